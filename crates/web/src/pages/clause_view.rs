//! A lot's social clause as the public consultation page shows it.

use domain::percent;
use store::SocialClause;

use crate::views;

pub struct ClauseRow {
    pub lot: String,
    pub legal_basis: &'static str,
    /// The hours required and how they were reached; none for a clause without hours.
    pub hours: Option<String>,
    pub publics: Vec<&'static str>,
    pub ways: Vec<&'static str>,
    pub facilitator: String,
    pub body: String,
}

impl ClauseRow {
    pub fn of(c: &SocialClause, lot_title: Option<&str>) -> ClauseRow {
        let s = &c.spec;
        let computed = s.basis.map(|b| {
            format!(
                "{} heures calculées ({} × {} de main-d’œuvre × {} d’insertion ÷ {} de l’heure)",
                views::count(b.hours()),
                b.amount.format_ht(),
                percent::format(b.labour_share_bp),
                percent::format(b.rate_bp),
                b.hourly_cost.format_ht(),
            )
        });
        let hours = match (&s.overridden, computed) {
            (Some(o), Some(computed)) => {
                Some(format!("{} heures retenues, au lieu des {computed}. Motif : {}", views::count(o.hours), o.reason))
            }
            (Some(o), None) => Some(format!("{} heures retenues. Motif : {}", views::count(o.hours), o.reason)),
            (None, computed) => computed,
        };
        ClauseRow {
            lot: match (c.lot_number, lot_title) {
                (0, _) => "Marché entier".into(),
                (n, Some(t)) => format!("Lot {n} — {t}"),
                (n, None) => format!("Lot {n}"),
            },
            legal_basis: s.legal_basis.label(),
            hours,
            publics: s.publics.iter().map(|p| p.label()).collect(),
            ways: s.ways.iter().map(|w| w.label()).collect(),
            facilitator: format!(
                "Facilitateur des clauses sociales du département : {}",
                views::departement_name(&s.facilitator_departement)
            ),
            body: s.body.clone(),
        }
    }
}
