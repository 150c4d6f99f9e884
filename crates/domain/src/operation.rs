//! An operation: contracts grouped under one charter (a renewal programme, a transport line, a
//! games site) with its insertion targets.

use crate::FieldErrors;
use crate::percent::basis_points;
use crate::text;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OperationInput {
    pub name: String,
    /// The charter's commitments, as written.
    pub charter: String,
    /// Share of hours worked reserved to insertion, in %.
    pub target_rate: String,
    pub target_hours: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationSpec {
    pub name: String,
    pub charter: String,
    pub target_rate_bp: u16,
    pub target_hours: Option<i64>,
}

pub fn validate(input: &OperationInput) -> Result<OperationSpec, FieldErrors> {
    let mut e = FieldErrors::default();
    let name = e.check("name", text::required(&input.name, "Le nom de l’opération", 200));
    let charter = e.check("charter", text::required(&input.charter, "La charte", 5000));
    let target_rate_bp = e.check("target_rate", basis_points(&input.target_rate, "le taux d’insertion visé"));
    let target_hours = match input.target_hours.as_deref().map(str::trim).filter(|h| !h.is_empty()) {
        None => None,
        Some(h) => e.check(
            "target_hours",
            h.parse::<i64>()
                .ok()
                .filter(|n| (1..=100_000_000).contains(n))
                .ok_or_else(|| format!("« {h} » : l’objectif d’heures est un nombre entier positif.")),
        ),
    };
    match (name, charter, target_rate_bp) {
        (Some(name), Some(charter), Some(target_rate_bp)) if e.is_empty() => {
            Ok(OperationSpec { name, charter, target_rate_bp, target_hours })
        }
        _ => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_operation_and_its_errors() {
        let i = OperationInput {
            name: "NPNRU Franc-Moisin".into(),
            charter: "Charte ANRU : 5 % des heures.".into(),
            target_rate: "5".into(),
            target_hours: Some("12000".into()),
        };
        assert_eq!(validate(&i).unwrap().target_rate_bp, 500);
        let e = validate(&OperationInput { target_hours: Some("-3".into()), ..Default::default() }).unwrap_err();
        for f in ["name", "charter", "target_rate", "target_hours"] {
            assert!(e.get(f).is_some(), "{f}");
        }
    }
}
