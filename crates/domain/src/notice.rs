//! Notices published elsewhere — BOAMP, TED — that Halle shows beside its own consultations so
//! a firm finds every tender of the region in one place: what they are, how one is checked, and
//! how the same tender published in two places is recognised.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::FieldErrors;
use crate::consultation::Nature;
use crate::cpv;
use crate::geo::{self, fold};
use crate::money::Cents;
use crate::paris_time;
use crate::text;

vocabulary!(
    /// Where a notice was first published.
    NoticeSource, "source" {
    Boamp => "boamp", "BOAMP";
    Ted => "ted", "TED (JOUE)";
});

vocabulary!(
    /// What a notice announces.
    NoticeKind, "type d’avis" {
    Avis => "avis", "Avis de marché";
    Preinformation => "preinformation", "Avis de préinformation";
    Resultat => "resultat", "Avis d’attribution";
    Rectificatif => "rectificatif", "Avis rectificatif";
    Annulation => "annulation", "Avis d’annulation";
    Autre => "autre", "Autre avis";
});

// The vocabulary macro has no way to mark a variant `#[default]`.
#[allow(clippy::derivable_impls)]
impl Default for NoticeKind {
    fn default() -> Self {
        NoticeKind::Avis
    }
}

/// The kinds of notice that amend another.
pub const AMENDING: [NoticeKind; 3] = [NoticeKind::Rectificatif, NoticeKind::Annulation, NoticeKind::Resultat];

impl NoticeKind {
    /// The kind of a BOAMP `nature_categorise_libelle` (« Avis de marché », « Résultat de
    /// marché/Concession », « Rectificatif »…).
    pub fn of_boamp(label: &str) -> NoticeKind {
        let l = fold(label);
        if l.starts_with("rectificatif") {
            NoticeKind::Rectificatif
        } else if l.starts_with("annulation") {
            NoticeKind::Annulation
        } else if l.starts_with("resultat") {
            NoticeKind::Resultat
        } else if l.starts_with("avis de marche") || l.starts_with("avis/") || l == "avis" {
            NoticeKind::Avis
        } else if l.starts_with("avis informatif") || l.starts_with("pre") {
            NoticeKind::Preinformation
        } else {
            NoticeKind::Autre
        }
    }

    /// Whether the notice changes another one rather than announcing a tender of its own.
    pub fn amends(self) -> bool {
        AMENDING.contains(&self)
    }
}

/// A notice as read from its source, before checks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoticeInput {
    pub source_id: String,
    pub url: String,
    pub kind: NoticeKind,
    pub title: String,
    pub description: String,
    pub buyer_name: String,
    pub buyer_siret: Option<String>,
    /// `TRAVAUX`, `works`, `Fournitures`…: whatever the source says.
    pub nature: Option<String>,
    pub procedure: Option<String>,
    pub cpv: Option<String>,
    /// Département codes (`75`, `2A`…) and NUTS codes (`FR101`) of the place of performance.
    pub departements: Vec<String>,
    pub nuts: Vec<String>,
    pub estimated_cents: Option<i64>,
    /// `YYYY-MM-DD`.
    pub published_on: Option<String>,
    /// RFC 3339.
    pub deadline: Option<String>,
    pub winners: Vec<String>,
    pub lots: i64,
}

/// A checked notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub source: NoticeSource,
    pub source_id: String,
    pub url: String,
    pub kind: NoticeKind,
    pub title: String,
    pub description: String,
    pub buyer_name: String,
    pub buyer_siret: Option<String>,
    pub nature: Option<Nature>,
    pub procedure: Option<String>,
    /// With its check digit, when the source's code is in CPV 2008.
    pub cpv: Option<String>,
    /// The Île-de-France départements among the notice's places.
    pub departements: Vec<String>,
    pub estimated: Option<Cents>,
    pub published_on: Option<jiff::civil::Date>,
    pub deadline: Option<Timestamp>,
    pub winners: Vec<String>,
    pub lots: i64,
}

/// Why a notice is not imported: an error in the record, or a notice that is fine but not for
/// this portal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Invalid(FieldErrors),
    OutsideRegion,
}

fn nature(raw: &str) -> Option<Nature> {
    match fold(raw.trim()).as_str() {
        "travaux" | "works" => Some(Nature::Travaux),
        "fournitures" | "supplies" => Some(Nature::Fournitures),
        "services" => Some(Nature::Services),
        _ => None,
    }
}

/// The Île-de-France départements named by département codes or by NUTS-3 codes.
fn idf_departements(departements: &[String], nuts: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let by_code = departements.iter().filter_map(|d| geo::departement(d).ok());
    let by_nuts = nuts.iter().filter_map(|n| geo::DEPARTEMENTS.iter().find(|d| d.nuts.eq_ignore_ascii_case(n.trim())));
    // A region-level NUTS (FR10, FR1) names every département of it.
    let whole_region = nuts.iter().any(|n| matches!(n.trim().to_ascii_uppercase().as_str(), "FR1" | "FR10"));
    let all = geo::DEPARTEMENTS.iter().filter(|_| whole_region);
    for d in by_code.chain(by_nuts).chain(all) {
        if !out.iter().any(|o| o == d.code) {
            out.push(d.code.to_string());
        }
    }
    out
}

/// Checks a notice from `source`; a notice with no place in Île-de-France is refused as
/// [`Refusal::OutsideRegion`].
pub fn validate(source: NoticeSource, input: &NoticeInput) -> Result<Notice, Refusal> {
    let mut e = FieldErrors::default();
    let source_id = e.check("source_id", text::required(&input.source_id, "L’identifiant de l’avis", 100));
    let url = input.url.trim();
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        e.push("url", format!("« {url} » : le lien vers l’avis d’origine doit commencer par https://."));
    }
    let title = e.check("title", text::required(&one_line(&input.title), "L’objet de l’avis", 1000));
    let description = e.check("description", text::optional(Some(&input.description), "La description", 20_000));
    let buyer_name = e.check("buyer_name", text::required(&one_line(&input.buyer_name), "L’acheteur", 300));
    let published_on = match input.published_on.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => e.check(
            "published_on",
            d.parse::<jiff::civil::Date>().map(Some).map_err(|_| format!("« {d} » : date de publication invalide.")),
        ),
        None => Some(None),
    };
    let deadline = match input.deadline.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => e.check(
            "deadline",
            d.parse::<Timestamp>().map(Some).map_err(|_| format!("« {d} » : date limite invalide.")),
        ),
        None => Some(None),
    };
    let estimated = match input.estimated_cents {
        Some(c) if c < 0 => {
            e.push("estimated", "Le montant estimé est négatif.");
            None
        }
        c => Some(c.map(Cents)),
    };
    if !e.is_empty() {
        return Err(Refusal::Invalid(e));
    }
    let departements = idf_departements(&input.departements, &input.nuts);
    if departements.is_empty() {
        return Err(Refusal::OutsideRegion);
    }
    let (Some(source_id), Some(title), Some(description), Some(buyer_name), Some(published_on), Some(deadline)) =
        (source_id, title, description, buyer_name, published_on, deadline)
    else {
        return Err(Refusal::Invalid(e));
    };
    Ok(Notice {
        source,
        source_id,
        url: url.to_string(),
        kind: input.kind,
        title,
        description: description.unwrap_or_default(),
        buyer_name,
        buyer_siret: input.buyer_siret.clone().filter(|s| !s.trim().is_empty()),
        nature: input.nature.as_deref().and_then(nature),
        procedure: input.procedure.clone().map(|p| one_line(&p)).filter(|p| !p.is_empty()),
        cpv: input.cpv.as_deref().and_then(|c| cpv::lookup(c).ok()).map(|e| e.code.clone()),
        departements,
        estimated: estimated.flatten(),
        published_on,
        deadline,
        winners: input.winners.iter().map(|w| one_line(w)).filter(|w| !w.is_empty()).collect(),
        lots: input.lots.max(0),
    })
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Letters and digits only, folded: what stays of a name or a title across sources.
fn squeeze(s: &str) -> String {
    fold(s).chars().filter(|c| c.is_alphanumeric()).collect()
}

impl Notice {
    /// The same tender in another source: the same buyer, the same deadline day (Paris) and the
    /// same first words of the object. Without a deadline, nothing is merged.
    pub fn dedup_key(&self) -> Option<String> {
        let day = paris_time::format_input(self.deadline?);
        let title: String = squeeze(&self.title).chars().take(40).collect();
        Some(format!("{}|{}|{}", squeeze(&self.buyer_name), &day[..10], title))
    }

    /// What links a notice of change, cancellation or result to the notice it amends in the
    /// same source: the buyer and the whole object.
    pub fn match_key(&self) -> String {
        format!("{}|{}", squeeze(&self.buyer_name), squeeze(&self.title))
    }

    /// The folded text a search reads.
    pub fn search_text(&self) -> String {
        fold(&format!("{} {} {}", self.title, self.buyer_name, self.description))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> NoticeInput {
        NoticeInput {
            source_id: "26-26124".into(),
            url: "https://www.boamp.fr/pages/avis/?q=idweb:26-26124".into(),
            title: "Mobilier médical,\n équipements de soin".into(),
            buyer_name: "Union des Groupements d'Achats Publics".into(),
            nature: Some("FOURNITURES".into()),
            departements: vec!["77".into()],
            published_on: Some("2026-03-15".into()),
            deadline: Some("2026-03-31T10:00:00+00:00".into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_boamp_notice() {
        let n = validate(NoticeSource::Boamp, &input()).unwrap();
        assert_eq!(n.title, "Mobilier médical, équipements de soin");
        assert_eq!(n.nature, Some(Nature::Fournitures));
        assert_eq!(n.kind, NoticeKind::Avis);
        assert_eq!(
            n.dedup_key().unwrap(),
            "uniondesgroupementsdachatspublics|2026-03-31|mobiliermedicalequipementsdesoin"
        );
    }

    #[test]
    fn kinds_of_boamp_labels() {
        for (label, kind) in [
            ("Avis de marché/Concession", NoticeKind::Avis),
            ("Résultat de marché", NoticeKind::Resultat),
            ("Rectificatif", NoticeKind::Rectificatif),
            ("Annulation", NoticeKind::Annulation),
            ("Avis informatif", NoticeKind::Preinformation),
            ("Ex ante", NoticeKind::Autre),
        ] {
            assert_eq!(NoticeKind::of_boamp(label), kind, "{label}");
        }
    }

    #[test]
    fn region_and_errors() {
        let mut i = input();
        i.departements = vec!["67".into(), "33".into()];
        assert_eq!(validate(NoticeSource::Boamp, &i), Err(Refusal::OutsideRegion));
        i.nuts = vec!["FR106".into()];
        assert_eq!(validate(NoticeSource::Boamp, &i).unwrap().departements, ["93"]);
        i.title = " ".into();
        i.url = "javascript:alert(1)".into();
        i.deadline = Some("demain".into());
        let Err(Refusal::Invalid(e)) = validate(NoticeSource::Boamp, &i) else { panic!("invalid") };
        for f in ["title", "url", "deadline"] {
            assert!(e.get(f).is_some(), "{f}: {e}");
        }
    }
}
