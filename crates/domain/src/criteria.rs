//! Award criteria (critères d’attribution) and how long offers stay valid: what the règlement de
//! la consultation announces, and what an eForms contract notice must carry (BT-539 to BT-541,
//! BT-98).

use serde::{Deserialize, Serialize};

use crate::FieldErrors;
use crate::text;

vocabulary!(
    /// What a criterion weighs (eForms `award-criterion-type`).
    CriterionKind, "type de critère" {
    Prix => "prix", "Prix";
    Qualite => "qualite", "Qualité";
    Cout => "cout", "Coût";
});

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CriterionInput {
    pub kind: String,
    pub name: String,
    pub weight: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Criterion {
    pub kind: CriterionKind,
    pub name: String,
    /// Percent, the weights of a consultation adding up to 100.
    pub weight: u8,
}

const MAX_CRITERIA: usize = 10;

/// Checks the criteria (rows left blank are ignored): none at all means they are in the
/// consultation documents only; otherwise weights of 1 to 100 adding up to 100.
pub fn validate(e: &mut FieldErrors, inputs: &[CriterionInput]) -> Vec<Criterion> {
    let rows: Vec<(usize, &CriterionInput)> = inputs
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            !(c.kind.trim().is_empty()
                && c.name.trim().is_empty()
                && c.weight.as_deref().is_none_or(|w| w.trim().is_empty()))
        })
        .collect();
    if rows.len() > MAX_CRITERIA {
        e.push("criteria", format!("Au plus {MAX_CRITERIA} critères."));
    }
    let mut out = Vec::new();
    for (i, c) in rows {
        let field = |f: &str| format!("criteria[{i}].{f}");
        let kind = e.check(&field("kind"), CriterionKind::parse(&c.kind));
        // One line: criteria are stored a line each, and notices want a short name.
        let one_line = c.name.split_whitespace().collect::<Vec<_>>().join(" ");
        let name = e.check(&field("name"), text::required(&one_line, &format!("Le nom du critère {}", i + 1), 200));
        let weight = match c.weight.as_deref().map(str::trim).map(|w| w.trim_end_matches('%').trim().parse::<u8>()) {
            Some(Ok(w)) if (1..=100).contains(&w) => Some(w),
            _ => {
                e.push(&field("weight"), format!("La pondération du critère {} est un pourcentage de 1 à 100.", i + 1));
                None
            }
        };
        if let (Some(kind), Some(name), Some(weight)) = (kind, name, weight) {
            out.push(Criterion { kind, name, weight });
        }
    }
    let total: u32 = out.iter().map(|c| u32::from(c.weight)).sum();
    if !out.is_empty() && total != 100 && e.is_empty() {
        e.push("criteria", format!("Les pondérations des critères totalisent {total} % au lieu de 100 %."));
    }
    out
}

/// Offers' validity in days, 1 to 730 (none: as the consultation documents say).
pub fn validity_days(e: &mut FieldErrors, input: Option<&str>) -> Option<u16> {
    let text = input.map(str::trim).filter(|t| !t.is_empty())?;
    match text.parse::<u16>() {
        Ok(d) if (1..=730).contains(&d) => Some(d),
        _ => {
            e.push("tender_validity_days", "La durée de validité des offres est un nombre de jours de 1 à 730.");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(kind: &str, name: &str, weight: &str) -> CriterionInput {
        CriterionInput { kind: kind.into(), name: name.into(), weight: Some(weight.into()) }
    }

    #[test]
    fn weights_add_up_to_one_hundred() {
        let mut e = FieldErrors::default();
        let c =
            validate(&mut e, &[row("prix", "Prix", "40"), row("Qualité", "Valeur technique", "60 %"), row("", "", "")]);
        assert!(e.is_empty(), "{e}");
        assert_eq!(c.len(), 2);
        assert_eq!((c[1].kind, c[1].weight, c[1].name.as_str()), (CriterionKind::Qualite, 60, "Valeur technique"));
        let mut e = FieldErrors::default();
        validate(&mut e, &[row("prix", "Prix", "40"), row("qualite", "Valeur technique", "50")]);
        assert!(e.get("criteria").is_some_and(|m| m.contains("90 %")), "{e}");
        let mut e = FieldErrors::default();
        assert!(validate(&mut e, &[]).is_empty() && e.is_empty(), "none: in the documents");
    }

    #[test]
    fn every_error_named() {
        let mut e = FieldErrors::default();
        validate(&mut e, &[row("délai", "", "0"), row("prix", "Prix", "cent")]);
        for f in ["criteria[0].kind", "criteria[0].name", "criteria[0].weight", "criteria[1].weight"] {
            assert!(e.get(f).is_some(), "{f}: {e}");
        }
        let mut e = FieldErrors::default();
        assert_eq!(validity_days(&mut e, Some(" 120 ")), Some(120));
        assert_eq!(validity_days(&mut e, Some("")), None);
        assert!(e.is_empty());
        validity_days(&mut e, Some("999"));
        assert!(e.get("tender_validity_days").is_some());
    }
}
