//! Placements and their months of hours: declared by the titulaire, then decided by the
//! facilitator.

use std::collections::{BTreeMap, HashMap};

use domain::hours_report::{HoursLine, ReportStatus};
use domain::placement::{ContractType, Outcome, OutcomeTime, PlacementSpec};
use domain::siret::Siret;
use domain::social_clause::Way;
use jiff::civil::Date;
use store::{Store, Tx};

use super::{ClauseLot, Firm, Generator, Scale, at, days, months, today};
use crate::Error;
use crate::rng::Cumulative;

/// Ways a placement takes, in proportion (among those the clause admits).
const WAYS: [(Way, f64); 6] = [
    (Way::EmbaucheDirecte, 30.0),
    (Way::Etti, 35.0),
    (Way::Geiq, 8.0),
    (Way::Ai, 5.0),
    (Way::SousTraitanceSiae, 12.0),
    (Way::Formation, 10.0),
];

/// What every placement of the run draws from.
struct Pool<'a> {
    people: &'a BTreeMap<&'static str, Vec<i64>>,
    everyone: Vec<i64>,
    firms: &'a [(Firm, f64)],
    months: usize,
    last_month: Date,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Decision {
    Validated,
    Refused,
    Pending,
}

impl Generator {
    /// Placements spread over the lots in proportion to their required hours; each month of
    /// hours declared by the titulaire in one transaction, then decided by the facilitator in
    /// the next (a decision names the report, whose id the store gives back once committed).
    pub(super) async fn placements(
        &mut self,
        store: &Store,
        scale: &Scale,
        lots: &[ClauseLot],
        firms: &[(Firm, f64)],
        people: &BTreeMap<&'static str, Vec<i64>>,
        progress: &dyn Fn(String),
    ) -> Result<(), Error> {
        let draw = Cumulative::new(lots.iter().map(|l| l.required.max(1) as f64));
        let mut counts = vec![0usize; lots.len()];
        for _ in 0..scale.placements {
            counts[draw.draw(&mut self.rng)] += 1;
        }
        let pool = Pool {
            people,
            everyone: people.values().flatten().copied().collect(),
            firms,
            months: scale.months,
            // Months are reported up to two months before today (declared, then decided).
            last_month: months(today().first_of_month(), -2)?,
        };
        const CHUNK: usize = 50;
        for (c, chunk) in lots.chunks(CHUNK).enumerate() {
            let counts = &counts[c * CHUNK..];
            let mut decisions = HashMap::new();
            let mut tx = store.begin().await?;
            for (lot, n) in chunk.iter().zip(counts) {
                // The lot's people realise about 60 % to 135 % of its required hours.
                let base = lot.required as f64 * (0.6 + 0.75 * self.rng.unit()) / (n * scale.months).max(1) as f64;
                for _ in 0..*n {
                    self.placement(&mut tx, &pool, lot, base, &mut decisions).await?;
                }
            }
            tx.commit().await?;
            let mut tx = store.begin().await?;
            for (lot, n) in chunk.iter().zip(counts) {
                if *n == 0 {
                    continue;
                }
                let facilitator = self.facilitators[lot.departement];
                for r in store.hours_reports(lot.consultation, lot.lot).await? {
                    let status = match decisions.get(&(r.placement_id, r.month)) {
                        Some(Decision::Validated) => ReportStatus::Validee,
                        Some(Decision::Refused) => ReportStatus::Refusee,
                        Some(Decision::Pending) => continue,
                        None => return Err(format!("report {} was not generated", r.id).into()),
                    };
                    tx.decide_hours_report(r.id, status, facilitator, at(days(months(r.month, 1)?, 12)?)?).await?;
                }
            }
            tx.commit().await?;
            let done = ((c + 1) * CHUNK).min(lots.len());
            if (c + 1).is_multiple_of(10) || done == lots.len() {
                progress(format!(
                    "{} placements, {} monthly reports ({done} lots of {})",
                    self.out.placements,
                    self.out.reports,
                    lots.len()
                ));
            }
        }
        Ok(())
    }

    async fn placement(
        &mut self,
        tx: &mut Tx,
        pool: &Pool<'_>,
        lot: &ClauseLot,
        base: f64,
        decisions: &mut HashMap<(i64, Date), Decision>,
    ) -> Result<(), Error> {
        // Mostly someone of the lot's département; sometimes from a neighbouring one.
        let beneficiary = match pool.people.get(lot.departement) {
            Some(local) if self.rng.chance(0.85) => *self.rng.pick(local),
            _ => *self.rng.pick(&pool.everyone),
        };
        let weights: Vec<f64> =
            lot.ways.iter().map(|w| WAYS.iter().find(|(v, _)| v == w).map_or(1.0, |(_, p)| *p)).collect();
        let way = lot.ways[self.rng.weighted(&weights)];
        let contract_type = match way {
            Way::EmbaucheDirecte => {
                *self.rng.pick(&[ContractType::Cdd, ContractType::Cdi, ContractType::Professionnalisation])
            }
            Way::Etti => ContractType::MissionEtti,
            Way::Ai | Way::Geiq => ContractType::MiseADisposition,
            Way::SousTraitanceSiae => ContractType::Cddi,
            Way::Formation => ContractType::Formation,
            Way::EaEsat => ContractType::Cdd,
        };
        let start = days(lot.notified, self.rng.between(15, 200))?;
        let first = start.first_of_month();
        let mut reported = Vec::with_capacity(pool.months);
        for m in 0..pool.months {
            let month = months(first, i64::try_from(m)?)?;
            if month > pool.last_month {
                break;
            }
            reported.push(month);
        }
        let span = i64::try_from(pool.months)?;
        let end_on = if reported.len() == pool.months && self.rng.chance(0.4) {
            Some(days(months(first, span)?, -1)?)
        } else {
            None
        };
        let firm = &pool.firms[lot.firm].0;
        let spec = PlacementSpec {
            beneficiary_id: beneficiary,
            employer_siret: Siret::parse(&firm.siret)?,
            employer_name: firm.name.clone(),
            way,
            contract_type,
            start_on: start,
            end_on,
        };
        let facilitator = self.facilitators[lot.departement];
        let id = tx.insert_placement(lot.consultation, lot.lot, &spec, facilitator, at(days(start, -3)?)?).await?;
        self.out.placements += 1;
        if let Some(end) = end_on {
            self.out.ended_placements += 1;
            if self.rng.chance(0.9) {
                let o = [
                    Outcome::Cdi,
                    Outcome::EmploiDurable,
                    Outcome::EmploiCourt,
                    Outcome::Formation,
                    Outcome::Creation,
                    Outcome::Recherche,
                    Outcome::Inconnue,
                ][self.rng.weighted(&[15.0, 25.0, 20.0, 10.0, 2.0, 20.0, 8.0])];
                tx.set_placement_outcome(id, OutcomeTime::End, o).await?;
            }
            if months(end, 6)? < today() && self.rng.chance(0.6) {
                let o =
                    [Outcome::Cdi, Outcome::EmploiDurable, Outcome::EmploiCourt, Outcome::Recherche, Outcome::Inconnue]
                        [self.rng.weighted(&[25.0, 25.0, 15.0, 20.0, 15.0])];
                tx.set_placement_outcome(id, OutcomeTime::SixMonths, o).await?;
            }
        }
        let last = reported.len().saturating_sub(1);
        for (j, month) in reported.into_iter().enumerate() {
            let hours = ((base * (0.6 + 0.8 * self.rng.unit())).round() as i64).clamp(1, 151);
            // The last month sometimes still waits for the facilitator; a few are refused.
            let decision = if j == last && self.rng.chance(0.15) {
                Decision::Pending
            } else if self.rng.chance(0.01) {
                Decision::Refused
            } else {
                Decision::Validated
            };
            let line = HoursLine { line: 1, placement_id: id, month, hours };
            tx.put_hours_report(&line, firm.user, at(days(months(month, 1)?, 4)?)?).await?;
            decisions.insert((id, month), decision);
            self.out.reports += 1;
            match decision {
                Decision::Validated => {
                    self.out.reports_validated += 1;
                    self.out.hours_validated += hours;
                    self.out.by_departement.entry(lot.departement.to_string()).or_default().hours_validated += hours;
                    *self.out.hours_validated_by_year.entry(month.year()).or_default() += hours;
                }
                Decision::Refused => self.out.reports_refused += 1,
                Decision::Pending => self.out.reports_pending += 1,
            }
        }
        Ok(())
    }
}
