//! A beneficiary's pseudonymous profile as the facilitator's pages and the API show it.

use domain::geo;
use domain::paris_time;
use store::Beneficiary;

use crate::views;

pub struct BeneficiaryRow {
    pub id: i64,
    pub departement: String,
    pub birth_year: i16,
    pub sex: &'static str,
    pub commune: String,
    pub qpv: &'static str,
    pub diploma: &'static str,
    pub criteria: String,
    pub prescriber: &'static str,
    pub retention_until: String,
}

impl BeneficiaryRow {
    pub fn of(b: &Beneficiary) -> BeneficiaryRow {
        let p = &b.profile;
        BeneficiaryRow {
            id: b.id,
            departement: views::departement_name(&p.departement),
            birth_year: p.birth_year,
            sex: p.sex.label(),
            commune: geo::commune(&p.commune).map(|c| c.name.clone()).unwrap_or_else(|| p.commune.clone()),
            qpv: if p.qpv { "Oui" } else { "Non" },
            diploma: p.diploma.label(),
            criteria: p.criteria.iter().map(|c| c.label()).collect::<Vec<_>>().join(", "),
            prescriber: p.prescriber.label(),
            retention_until: paris_time::format_day(p.retention_until),
        }
    }
}
