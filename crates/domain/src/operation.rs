//! An operation: contracts grouped under one charter (a renewal programme, a transport line, a
//! games site) with its targets: insertion hours, and the share of the amount going to SMEs.

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
    /// Share of the contracts' amount to go to very small and small/medium firms, in %.
    pub target_sme_share: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationSpec {
    pub name: String,
    pub charter: String,
    pub target_rate_bp: u16,
    pub target_hours: Option<i64>,
    pub target_sme_bp: Option<u16>,
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
    let target_sme_bp = match input.target_sme_share.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => e.check("target_sme_share", basis_points(s, "la part visée pour les TPE et PME")),
    };
    match (name, charter, target_rate_bp) {
        (Some(name), Some(charter), Some(target_rate_bp)) if e.is_empty() => {
            Ok(OperationSpec { name, charter, target_rate_bp, target_hours, target_sme_bp })
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
            target_sme_share: Some("20".into()),
        };
        let spec = validate(&i).unwrap();
        assert_eq!((spec.target_rate_bp, spec.target_sme_bp), (500, Some(2000)));
        let e = validate(&OperationInput {
            target_hours: Some("-3".into()),
            target_sme_share: Some("120".into()),
            ..Default::default()
        })
        .unwrap_err();
        for f in ["name", "charter", "target_rate", "target_hours", "target_sme_share"] {
            assert!(e.get(f).is_some(), "{f}");
        }
    }
}
