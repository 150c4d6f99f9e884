//! The generator: a plausible Île-de-France of social clauses, written through the store's own
//! `Tx` methods in large transactions (the `App` services would add an audit entry, an
//! authorization check and a commit per row: hours to load a region, and not what is measured).
//!
//! Buyers, firms (some in the directory of inclusive structures) and one facilitator per
//! département; consultations of one to six lots, awarded, most lots with a social clause sized
//! by the hours calculator; beneficiaries with sex, birth year and QPV residence; placements
//! spread over the lots in proportion to their required hours, each with its months of hours
//! declared by the titulaire and then validated by the facilitator (a few refused, some last
//! months still waiting); outcomes of the placements that ended; a few operations.
//!
//! Everything comes from one seeded stream, so the same scale writes the same rows; what was
//! written is counted here as it is generated ([`Generated`]), apart from the store, so that the
//! test can check the indicators against it.

mod contracts;
mod hours;
mod parties;

use std::collections::BTreeMap;

use domain::consultation::Nature;
use domain::geo::{self, Commune};
use domain::social_clause::Way;
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use store::Store;

use crate::Error;
use crate::rng::Rng;

/// The day the region is observed: every month reported is before it.
pub const TODAY: (i16, i8, i8) = (2026, 9, 1);

/// Contracts are notified over these years; the "one year" query asks for the last one.
pub const FIRST_YEAR: i16 = 2022;

pub const LAST_YEAR: i16 = 2024;

pub fn today() -> Date {
    Date::new(TODAY.0, TODAY.1, TODAY.2).expect("a valid date")
}

/// How much to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scale {
    /// Awarded lots with a social clause (lots without one are awarded beside them).
    pub lots: usize,
    pub beneficiaries: usize,
    pub placements: usize,
    /// Months of hours reported for each placement.
    pub months: usize,
    pub seed: u64,
}

impl Scale {
    /// The region: about what Île-de-France's facilitators follow over three years.
    pub fn region() -> Scale {
        Scale { lots: 3_000, beneficiaries: 15_000, placements: 30_000, months: 12, seed: 2024 }
    }
}

/// Totals of one département (the facilitators' département of the clause).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    pub lots_with_clause: usize,
    pub hours_required: i64,
    pub hours_validated: i64,
}

/// What the generator wrote, counted as it went.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Generated {
    pub buyers: usize,
    pub firms: usize,
    pub siae: usize,
    pub consultations: usize,
    pub awarded_lots: usize,
    pub lots_with_clause: usize,
    pub hours_required: i64,
    pub beneficiaries: usize,
    pub placements: usize,
    pub ended_placements: usize,
    pub reports: usize,
    pub reports_validated: usize,
    pub reports_refused: usize,
    pub reports_pending: usize,
    pub hours_validated: i64,
    pub operations: usize,
    pub operation_contracts: usize,
    /// By the clause's département.
    pub by_departement: BTreeMap<String, Totals>,
    /// Validated hours by the year of their month.
    pub hours_validated_by_year: BTreeMap<i16, i64>,
}

/// Relative weight of each département in the clauses followed (Paris and Seine-Saint-Denis,
/// with the renewal of their neighbourhoods and the Olympic works, ahead).
const DEPARTEMENT_WEIGHTS: [(&str, f64); 8] =
    [("75", 20.0), ("77", 9.0), ("78", 9.0), ("91", 10.0), ("92", 13.0), ("93", 20.0), ("94", 11.0), ("95", 8.0)];
/// The fourteen digits: `body` (13 digits) and the Luhn key that makes it a SIRET.
fn siret(kind: u64, n: usize) -> String {
    let body = format!("{kind}{n:012}");
    let sum: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            // The key takes position 0: the body's last digit is doubled.
            if i % 2 == 0 {
                let dd = d * 2;
                if dd > 9 { dd - 9 } else { dd }
            } else {
                d
            }
        })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

fn at(date: Date) -> Result<Timestamp, Error> {
    Ok(domain::paris_time::at_hour(date, 10)?)
}

fn days(date: Date, n: i64) -> Result<Date, Error> {
    Ok(date.checked_add(n.days())?)
}

fn months(date: Date, n: i64) -> Result<Date, Error> {
    Ok(date.checked_add(n.months())?)
}

struct Firm {
    siret: String,
    name: String,
    user: i64,
}

struct Buyer {
    id: i64,
    departement: &'static str,
}

/// An awarded lot with a clause, as the placements need it.
struct ClauseLot {
    consultation: i64,
    lot: i64,
    departement: &'static str,
    nature: Nature,
    required: i64,
    notified: Date,
    ways: Vec<Way>,
    firm: usize,
}

/// Loads the region into an empty, migrated store. `progress` hears about each step.
pub async fn load(store: &Store, scale: &Scale, progress: &dyn Fn(String)) -> Result<Generated, Error> {
    if scale.lots == 0 || scale.beneficiaries == 0 || scale.months == 0 {
        return Err("lots, beneficiaries and months must be at least 1".into());
    }
    let mut g = Generator {
        rng: Rng::new(scale.seed),
        out: Generated::default(),
        communes: communes(),
        facilitators: BTreeMap::new(),
    };
    g.facilitators(store).await?;
    let buyers = g.buyers(store, (scale.lots / 8).max(3)).await?;
    progress(format!("{} buyers", buyers.len()));
    let firms = g.firms(store, (scale.lots / 3).max(5)).await?;
    progress(format!("{} firms ({} inclusive structures)", firms.len(), g.out.siae));
    let lots = g.consultations(store, scale.lots, &buyers, &firms, progress).await?;
    let people = g.beneficiaries(store, scale.beneficiaries).await?;
    progress(format!("{} beneficiaries", g.out.beneficiaries));
    g.placements(store, scale, &lots, &firms, &people, progress).await?;
    g.operations(store, &lots).await?;
    progress(format!("{} operations grouping {} contracts", g.out.operations, g.out.operation_contracts));
    Ok(g.out)
}

struct Generator {
    rng: Rng,
    out: Generated,
    communes: BTreeMap<&'static str, Vec<&'static Commune>>,
    /// The facilitator of each département (who validates its hours).
    facilitators: BTreeMap<&'static str, i64>,
}

/// The communes of each département, in code order (the shipped list is a map).
fn communes() -> BTreeMap<&'static str, Vec<&'static Commune>> {
    geo::DEPARTEMENTS
        .iter()
        .map(|d| {
            let mut v: Vec<&'static Commune> =
                geo::communes_matching(d.code, 100_000).into_iter().filter(|c| c.departement == d.code).collect();
            v.sort_by(|a, b| a.code.cmp(&b.code));
            (d.code, v)
        })
        .collect()
}

impl Generator {
    fn departement(&mut self) -> &'static str {
        let weights: Vec<f64> = DEPARTEMENT_WEIGHTS.iter().map(|(_, w)| *w).collect();
        DEPARTEMENT_WEIGHTS[self.rng.weighted(&weights)].0
    }

    fn commune(&mut self, departement: &str) -> &'static Commune {
        let list = &self.communes[departement];
        list[self.rng.below(list.len())]
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn generated_sirets_are_sirets() {
        for (kind, n) in [(2, 0), (2, 17), (3, 999), (3, 123_456)] {
            let s = super::siret(kind, n);
            assert!(domain::siret::Siret::parse(&s).is_ok(), "{s}");
        }
    }
}
