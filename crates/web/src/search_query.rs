//! The search parameters shared by the list page and `GET /api/v1/consultations`.

use domain::FieldErrors;
use domain::consultation::{Nature, Procedure};
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
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl SearchQuery {
    pub fn filter(&self) -> Result<(ConsultationFilter, i64), FieldErrors> {
        let mut e = FieldErrors::default();
        let departement = given(&self.departement)
            .and_then(|d| e.check("departement", domain::geo::departement(d).map(|d| d.code.to_string())));
        let nature = given(&self.nature).and_then(|n| e.check("nature", Nature::parse(n)));
        let procedure = given(&self.procedure).and_then(|p| e.check("procedure", Procedure::parse(p)));
        let cpv_division = given(&self.cpv).and_then(|c| {
            let digits: String = c.chars().take_while(char::is_ascii_digit).collect();
            if digits.len() >= 2 {
                Some(digits[..2].to_string())
            } else {
                e.push("cpv", "Le filtre CPV attend une division (2 chiffres, par exemple 45) ou un code CPV.");
                None
            }
        });
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
        ];
        pairs
            .iter()
            .filter_map(|(k, v)| given(v).map(|v| format!("{k}={}", url_encode(v))))
            .collect::<Vec<_>>()
            .join("&")
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
