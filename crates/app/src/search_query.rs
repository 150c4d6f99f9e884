//! The search parameters shared by the list page and `GET /api/v1/consultations`.

use domain::FieldErrors;
use domain::consultation::{Nature, Procedure, SocialConsideration};
use search::{DeadlineWindow, Sort};
use serde::Deserialize;
use store::{ConsultationFilter, OpenState};

#[derive(Debug, Clone, Default, Deserialize)]
pub struct SearchQuery {
    pub q: Option<String>,
    pub departement: Option<String>,
    pub nature: Option<String>,
    pub procedure: Option<String>,
    /// A CPV division (two digits) or any CPV code, of which the division is used.
    pub cpv: Option<String>,
    /// `en_cours` or `cloturee`.
    pub etat: Option<String>,
    /// `sociale`: only consultations with a social consideration.
    pub clause: Option<String>,
    pub page: Option<String>,
    /// `pertinence` (default), `date_limite` or `publication`.
    pub tri: Option<String>,
    /// `semaine` or `mois`: the deadline falls within the next 7 or 30 days.
    pub echeance: Option<String>,
}

/// A checked search: the store's filter (for the path without the index), the page, and what
/// only the index understands.
#[derive(Debug, Clone, Default)]
pub struct Checked {
    pub filter: ConsultationFilter,
    pub page: i64,
    pub sort: Sort,
    pub window: Option<DeadlineWindow>,
    /// What people typed, at most 200 characters, not folded (the index analyses it).
    pub text: String,
}

impl Checked {
    /// The index's query, at `per_page` results a page (`now` is set by the app).
    pub fn query(&self, per_page: i64) -> search::Query {
        let f = &self.filter;
        search::Query {
            text: self.text.clone(),
            filters: search::Filters {
                departements: f.departement.iter().cloned().collect(),
                natures: f.nature.into_iter().collect(),
                procedures: f.procedure.into_iter().collect(),
                cpv_divisions: f.cpv_division.iter().cloned().collect(),
                social: if f.social_clause {
                    SocialConsideration::ALL.iter().copied().filter(|s| *s != SocialConsideration::Aucune).collect()
                } else {
                    Vec::new()
                },
                deadline_window: self.window,
                open_only: f.state == Some(OpenState::Open),
                ..Default::default()
            },
            sort: self.sort,
            page: usize::try_from(self.page).unwrap_or(1),
            per_page: usize::try_from(per_page).unwrap_or(search::DEFAULT_PER_PAGE),
            now: 0,
        }
    }
}

/// A parameter given and not blank.
pub(crate) fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl SearchQuery {
    /// Checks every parameter; errors name the offending one. The words themselves are never
    /// an error.
    pub fn check(&self) -> Result<Checked, FieldErrors> {
        let mut e = FieldErrors::default();
        let sort = match given(&self.tri) {
            None | Some("pertinence") => Sort::Relevance,
            Some("date_limite") => Sort::Deadline,
            Some("publication") => Sort::Publication,
            Some(_) => {
                e.push("tri", "Le tri attendu est « pertinence », « date_limite » ou « publication ».");
                Sort::Relevance
            }
        };
        let window = match given(&self.echeance) {
            None => None,
            Some("semaine") => Some(DeadlineWindow::Week),
            Some("mois") => Some(DeadlineWindow::Month),
            Some(_) => {
                e.push("echeance", "L’échéance attendue est « semaine » ou « mois ».");
                None
            }
        };
        let (filter, page) = match self.filter() {
            Ok(ok) => ok,
            Err(more) => {
                e.0.extend(more.0);
                return Err(e);
            }
        };
        e.into_result()?;
        let text = given(&self.q).map(|q| q.chars().take(200).collect()).unwrap_or_default();
        Ok(Checked { filter, page, sort, window, text })
    }

    pub fn filter(&self) -> Result<(ConsultationFilter, i64), FieldErrors> {
        let mut e = FieldErrors::default();
        let departement = given(&self.departement)
            .and_then(|d| e.check("departement", domain::geo::departement(d).map(|d| d.code.to_string())));
        let nature = given(&self.nature).and_then(|n| e.check("nature", Nature::parse(n)));
        let procedure = given(&self.procedure).and_then(|p| e.check("procedure", Procedure::parse(p)));
        let cpv_division = given(&self.cpv).and_then(|c| e.check("cpv", domain::cpv::division_filter(c)));
        let state = match given(&self.etat) {
            None => None,
            Some("en_cours") => Some(OpenState::Open),
            Some("cloturee") => Some(OpenState::Closed),
            Some(_) => {
                e.push("etat", "L’état attendu est « en_cours » ou « cloturee ».");
                None
            }
        };
        let social_clause = match given(&self.clause) {
            None => false,
            Some("sociale") => true,
            Some(_) => {
                e.push("clause", "Le filtre de clause attend « sociale ».");
                false
            }
        };
        let page = match given(&self.page) {
            None => 1,
            Some(p) => e
                .check(
                    "page",
                    p.parse::<i64>()
                        .ok()
                        .filter(|p| (1..=10_000).contains(p))
                        .ok_or_else(|| "Le numéro de page doit être un entier entre 1 et 10 000.".to_string()),
                )
                .unwrap_or(1),
        };
        let text = given(&self.q).map(|q| domain::geo::fold(&q.chars().take(200).collect::<String>()));
        e.into_result()?;
        Ok((ConsultationFilter { text, departement, nature, procedure, cpv_division, state, social_clause }, page))
    }

    /// A search saved as its query string; unknown parameters are ignored and bad values are
    /// reported by [`SearchQuery::check`] as for any search.
    pub fn parse(query_string: &str) -> SearchQuery {
        serde_urlencoded::from_str(query_string).unwrap_or_default()
    }

    /// The words and filters of the search in French, for a saved search's e-mails and pages.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(q) = given(&self.q) {
            parts.push(format!("« {q} »"));
        }
        if let Some(d) = given(&self.departement).and_then(|d| domain::geo::departement(d).ok()) {
            parts.push(format!("{} ({})", d.name, d.code));
        }
        if let Some(n) = given(&self.nature).and_then(|n| Nature::parse(n).ok()) {
            parts.push(n.label().to_string());
        }
        if let Some(p) = given(&self.procedure).and_then(|p| Procedure::parse(p).ok()) {
            parts.push(p.label().to_string());
        }
        if let Some(c) = given(&self.cpv) {
            parts.push(format!("CPV {c}"));
        }
        if given(&self.clause).is_some() {
            parts.push("clause sociale".into());
        }
        match given(&self.echeance) {
            Some("semaine") => parts.push("date limite dans la semaine".into()),
            Some("mois") => parts.push("date limite dans le mois".into()),
            _ => {}
        }
        if parts.is_empty() { "Toutes les consultations".into() } else { parts.join(" · ") }
    }

    /// The same search as a query string, without the page (for pagination links).
    pub fn query_string_without_page(&self) -> String {
        let pairs = [
            ("q", &self.q),
            ("departement", &self.departement),
            ("nature", &self.nature),
            ("procedure", &self.procedure),
            ("cpv", &self.cpv),
            ("etat", &self.etat),
            ("clause", &self.clause),
            ("tri", &self.tri),
            ("echeance", &self.echeance),
        ];
        pairs
            .iter()
            .filter_map(|(k, v)| given(v).map(|v| format!("{k}={}", url_encode(v))))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The same search with `key` set to `value` (or removed), from page 1: the link of a facet.
    pub fn with(&self, key: &str, value: Option<&str>) -> String {
        let mut q = self.clone();
        let v = value.map(str::to_string);
        match key {
            "departement" => q.departement = v,
            "nature" => q.nature = v,
            "procedure" => q.procedure = v,
            "cpv" => q.cpv = v,
            "etat" => q.etat = v,
            "clause" => q.clause = v,
            "tri" => q.tri = v,
            "echeance" => q.echeance = v,
            _ => {}
        }
        format!("/consultations?{}", q.query_string_without_page())
    }
}

pub fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
