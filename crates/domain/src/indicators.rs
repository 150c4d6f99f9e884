//! Public indicators of social clauses, computed from facts read out of the store each time
//! (nothing is maintained incrementally, so there is nothing to drift). Counts of people under
//! [`SMALL_COUNT`] are hidden, with what could be derived from them (shares, a way's hours), and
//! a second cell beside a lone hidden one, so that the total minus the others gives nothing away.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::beneficiary::Sex;
use crate::placement::Outcome;
use crate::social_clause::Way;

/// Fewer people than this are not shown: they could be recognised.
pub const SMALL_COUNT: usize = 5;

/// A validated month's hours of one placement, with what is known of the person (nothing once
/// erased).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoursFact {
    pub beneficiary_id: i64,
    pub way: Way,
    pub hours: i64,
    pub sex: Option<Sex>,
    pub qpv: Option<bool>,
    /// The age the person reached in the year the placement started (the birth date stays in the
    /// identity, which statistics never read).
    pub age: Option<i64>,
    /// The département whose facilitators follow the clause.
    pub departement: String,
}

/// One awarded lot with a clause in scope: its required hours (none: not sized) and the
/// département whose facilitators follow it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequiredFact {
    pub departement: String,
    pub hours: Option<i64>,
}

/// The age bands of employment policy: the young (under 26) and seniors (50 and over) are
/// publics of their own in the clauses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AgeBand {
    Under26,
    From26To49,
    From50,
}

impl AgeBand {
    pub const ALL: [AgeBand; 3] = [AgeBand::Under26, AgeBand::From26To49, AgeBand::From50];

    pub fn of(age: i64) -> AgeBand {
        match age {
            ..26 => AgeBand::Under26,
            26..50 => AgeBand::From26To49,
            _ => AgeBand::From50,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            AgeBand::Under26 => "moins_26",
            AgeBand::From26To49 => "26_49",
            AgeBand::From50 => "50_plus",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AgeBand::Under26 => "moins de 26 ans",
            AgeBand::From26To49 => "26 à 49 ans",
            AgeBand::From50 => "50 ans et plus",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgeBandCount {
    pub band: AgeBand,
    /// People; none: between one and four.
    pub people: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WayHours {
    pub way: Way,
    /// None: fewer than five people.
    pub hours: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Indicators {
    pub contracts_with_clause: i64,
    pub hours_required: i64,
    pub hours_realised: i64,
    /// Realised over required, whole percent; none when nothing is required.
    pub realisation_share: Option<i64>,
    /// None: between one and four people.
    pub beneficiaries: Option<i64>,
    /// Percent of the people whose sex (QPV residence) is known; none when hidden.
    pub women_share: Option<i64>,
    pub qpv_share: Option<i64>,
    pub hours_by_way: Vec<WayHours>,
    /// Every band, in order, by the age reached in the year of the person's first placement.
    pub age_bands: Vec<AgeBandCount>,
}

fn shown(n: usize) -> bool {
    n == 0 || n >= SMALL_COUNT
}

/// Which cells of counts of people may be shown beside their total: those of one to four
/// people are hidden and, while the hidden ones add up to fewer than five, the smallest other
/// non-empty one too (else the total minus the others would tell them).
fn shown_cells(counts: &[usize]) -> Vec<bool> {
    let mut out: Vec<bool> = counts.iter().map(|n| shown(*n)).collect();
    loop {
        let hidden: usize = counts.iter().zip(&out).filter(|(_, s)| !**s).map(|(n, _)| n).sum();
        let next = (0..counts.len()).filter(|i| out[*i] && counts[*i] > 0).min_by_key(|i| counts[*i]);
        match next {
            Some(i) if hidden > 0 && hidden < SMALL_COUNT => out[i] = false,
            _ => return out,
        }
    }
}

fn count_if(show: bool, n: usize) -> Option<i64> {
    show.then(|| i64::try_from(n).unwrap_or(i64::MAX))
}

fn share(
    people: &BTreeMap<i64, (Option<Sex>, Option<bool>)>,
    yes: impl Fn(&(Option<Sex>, Option<bool>)) -> Option<bool>,
) -> Option<i64> {
    let known: Vec<bool> = people.values().filter_map(&yes).collect();
    if known.len() < SMALL_COUNT {
        return None;
    }
    let n = i64::try_from(known.iter().filter(|y| **y).count()).unwrap_or(0);
    Some((n * 100 + i64::try_from(known.len()).unwrap_or(1) / 2) / i64::try_from(known.len()).unwrap_or(1))
}

pub fn compute(required: &[RequiredFact], hours: &[HoursFact]) -> Indicators {
    let mut people: BTreeMap<i64, (Option<Sex>, Option<bool>)> = BTreeMap::new();
    let mut youngest_age: BTreeMap<i64, i64> = BTreeMap::new();
    let mut by_way: BTreeMap<&'static str, (Way, i64, BTreeSet<i64>)> = BTreeMap::new();
    for h in hours {
        people.insert(h.beneficiary_id, (h.sex, h.qpv));
        if let Some(age) = h.age {
            let first = youngest_age.entry(h.beneficiary_id).or_insert(age);
            *first = (*first).min(age);
        }
        let e = by_way.entry(h.way.code()).or_insert((h.way, 0, BTreeSet::new()));
        e.1 += h.hours;
        e.2.insert(h.beneficiary_id);
    }
    let count = people.len();
    let ways: Vec<_> = Way::ALL.iter().filter_map(|w| by_way.get(w.code())).collect();
    let ways_shown = shown_cells(&ways.iter().map(|(_, _, who)| who.len()).collect::<Vec<_>>());
    let bands: Vec<usize> =
        AgeBand::ALL.iter().map(|band| youngest_age.values().filter(|a| AgeBand::of(**a) == *band).count()).collect();
    let bands_shown = shown_cells(&bands);
    let hours_required = required.iter().filter_map(|r| r.hours).sum();
    let hours_realised = hours.iter().map(|h| h.hours).sum();
    Indicators {
        contracts_with_clause: i64::try_from(required.len()).unwrap_or(i64::MAX),
        hours_required,
        hours_realised,
        realisation_share: percent_of(hours_realised, hours_required),
        beneficiaries: count_if(shown(count), count),
        women_share: share(&people, |(s, _)| s.map(|s| s == Sex::Femme)),
        qpv_share: share(&people, |(_, q)| *q),
        hours_by_way: ways
            .iter()
            .zip(&ways_shown)
            .map(|((way, hours, _), show)| WayHours { way: *way, hours: show.then_some(*hours) })
            .collect(),
        age_bands: AgeBand::ALL
            .iter()
            .zip(bands.iter().zip(&bands_shown))
            .map(|(band, (n, show))| AgeBandCount { band: *band, people: count_if(*show, *n) })
            .collect(),
    }
}

/// The indicators of each département with a contract in scope, in the order given; the
/// beneficiaries of a lone hidden département hide another's.
pub fn by_departement(
    departements: &[&'static str],
    required: &[RequiredFact],
    hours: &[HoursFact],
) -> Vec<(&'static str, Indicators)> {
    let mut out: Vec<(&'static str, Indicators, usize)> = departements
        .iter()
        .filter(|d| required.iter().any(|r| r.departement == **d))
        .map(|d| {
            let req: Vec<RequiredFact> = required.iter().filter(|r| r.departement == *d).cloned().collect();
            let facts: Vec<HoursFact> = hours.iter().filter(|h| h.departement == *d).cloned().collect();
            let people = facts.iter().map(|h| h.beneficiary_id).collect::<BTreeSet<_>>().len();
            (*d, compute(&req, &facts), people)
        })
        .collect();
    let show = shown_cells(&out.iter().map(|(_, _, n)| *n).collect::<Vec<_>>());
    for ((_, i, n), show) in out.iter_mut().zip(show) {
        i.beneficiaries = count_if(show, *n);
    }
    out.into_iter().map(|(d, i, _)| (d, i)).collect()
}

/// The outcomes noted on one placement that ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeFact {
    pub at_end: Option<Outcome>,
    pub six_months: Option<Outcome>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutcomeCount {
    pub outcome: Outcome,
    /// Placements; none: between one and four.
    pub placements: Option<i64>,
}

/// Where people stood at the end of their placements and six months later.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Outcomes {
    pub at_end: Vec<OutcomeCount>,
    pub six_months: Vec<OutcomeCount>,
}

/// Counts per outcome, in the vocabulary's order, small ones hidden.
pub fn outcomes(facts: &[OutcomeFact]) -> Outcomes {
    let count = |pick: fn(&OutcomeFact) -> Option<Outcome>| -> Vec<OutcomeCount> {
        let counts: Vec<(Outcome, usize)> = Outcome::ALL
            .iter()
            .map(|o| (*o, facts.iter().filter(|f| pick(f) == Some(*o)).count()))
            .filter(|(_, n)| *n > 0)
            .collect();
        let show = shown_cells(&counts.iter().map(|(_, n)| *n).collect::<Vec<_>>());
        counts
            .iter()
            .zip(show)
            .map(|((outcome, n), show)| OutcomeCount { outcome: *outcome, placements: count_if(show, *n) })
            .collect()
    };
    Outcomes { at_end: count(|f| f.at_end), six_months: count(|f| f.six_months) }
}

/// One awarded lot in scope: its amount, whether the consultation had a social consideration,
/// and who won it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractFact {
    pub amount_cents: i64,
    pub social: bool,
    /// The titulaire is registered on Halle as a very small or small/medium firm.
    pub sme: bool,
    /// The titulaire is in the directory of inclusive structures.
    pub siae: bool,
}

/// Contracts awarded, and the shares (whole percent) with a social consideration and won by
/// SMEs and by inclusive structures, in number and in amount. Shares are none without contracts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ContractShares {
    pub contracts: i64,
    pub amount_cents: i64,
    pub with_social: i64,
    pub social_share: Option<i64>,
    pub sme_share: Option<i64>,
    pub sme_amount_share: Option<i64>,
    pub siae_share: Option<i64>,
    pub siae_amount_share: Option<i64>,
}

fn percent_of(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| (part * 100 + whole / 2) / whole)
}

pub fn contract_shares(facts: &[ContractFact]) -> ContractShares {
    let count = |f: fn(&ContractFact) -> bool| i64::try_from(facts.iter().filter(|c| f(c)).count()).unwrap_or(i64::MAX);
    let amount = |f: fn(&ContractFact) -> bool| facts.iter().filter(|c| f(c)).map(|c| c.amount_cents).sum::<i64>();
    let contracts = count(|_| true);
    let total = amount(|_| true);
    let with_social = count(|c| c.social);
    ContractShares {
        contracts,
        amount_cents: total,
        with_social,
        social_share: percent_of(with_social, contracts),
        sme_share: percent_of(count(|c| c.sme), contracts),
        sme_amount_share: percent_of(amount(|c| c.sme), total),
        siae_share: percent_of(count(|c| c.siae), contracts),
        siae_amount_share: percent_of(amount(|c| c.siae), total),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(id: i64, way: Way, hours: i64, sex: Sex, qpv: bool) -> HoursFact {
        HoursFact {
            beneficiary_id: id,
            way,
            hours,
            sex: Some(sex),
            qpv: Some(qpv),
            age: Some(20 + id * 5),
            departement: "93".into(),
        }
    }

    fn required(hours: &[Option<i64>]) -> Vec<RequiredFact> {
        hours.iter().map(|h| RequiredFact { departement: "93".into(), hours: *h }).collect()
    }

    #[test]
    fn totals_shares_and_small_counts() {
        let mut facts: Vec<HoursFact> = (1..=5)
            .map(|i| fact(i, Way::EmbaucheDirecte, 100, if i <= 2 { Sex::Femme } else { Sex::Homme }, i == 1))
            .collect();
        facts.push(fact(6, Way::Etti, 40, Sex::Homme, false));
        facts.push(fact(1, Way::EmbaucheDirecte, 50, Sex::Femme, true));
        let i = compute(&required(&[Some(833), None, Some(1000)]), &facts);
        assert_eq!((i.contracts_with_clause, i.hours_required, i.hours_realised), (3, 1833, 590));
        assert_eq!(i.realisation_share, Some(32));
        assert_eq!(i.beneficiaries, Some(6));
        assert_eq!(i.women_share, Some(33));
        assert_eq!(i.qpv_share, Some(17));
        // One person through an ETTI: hidden, and the direct hires with it, else the total
        // minus the direct hires would tell that person's hours.
        assert_eq!(i.hours_by_way[1], WayHours { way: Way::Etti, hours: None });
        assert_eq!(i.hours_by_way[0], WayHours { way: Way::EmbaucheDirecte, hours: None });
        let mut more = facts.clone();
        more.extend((7..=12).map(|id| fact(id, Way::Formation, 10, Sex::Femme, false)));
        let ways: Vec<Option<i64>> = compute(&[], &more).hours_by_way.iter().map(|w| w.hours).collect();
        assert_eq!(ways, [None, None, Some(60)], "the smallest other way (direct hires, 5 people) hidden too");

        // Ages 25, 30 … 45 and 50: one young person, four in the middle, one senior.
        let bands: Vec<Option<i64>> = i.age_bands.iter().map(|b| b.people).collect();
        assert_eq!(bands, [None, None, None], "1, 4 and 1 people: all hidden");
        // Person 1's later placement, at 27, keeps them in the band of their first one; the two
        // hidden bands add up to two, which would tell them both: the third goes too.
        let mut many = facts.clone();
        many[6].age = Some(27);
        many.extend((7..=11).map(|id| HoursFact { age: Some(30), ..fact(id, Way::Etti, 10, Sex::Femme, false) }));
        let bands: Vec<Option<i64>> = compute(&[], &many).age_bands.iter().map(|b| b.people).collect();
        assert_eq!(bands, [None, None, None]);
        many.extend((12..=16).map(|id| HoursFact { age: Some(60), ..fact(id, Way::Etti, 10, Sex::Femme, false) }));
        let bands: Vec<Option<i64>> = compute(&[], &many).age_bands.iter().map(|b| b.people).collect();
        assert_eq!(bands, [None, Some(9), None], "1 young and 6 seniors: the seniors hide the young one");
        many.extend((17..=20).map(|id| HoursFact { age: Some(20), ..fact(id, Way::Etti, 10, Sex::Femme, false) }));
        let bands: Vec<Option<i64>> = compute(&[], &many).age_bands.iter().map(|b| b.people).collect();
        assert_eq!(bands, [Some(5), Some(9), Some(6)]);

        let few = compute(&required(&[Some(833)]), &facts[..3]);
        assert_eq!((few.beneficiaries, few.women_share, few.qpv_share), (None, None, None));
        assert_eq!(few.hours_realised, 300);
        let none = compute(&[], &[]);
        assert_eq!((none.beneficiaries, none.realisation_share), (Some(0), None));
    }

    #[test]
    fn departements_compared_hide_a_lone_small_one() {
        let mut facts: Vec<HoursFact> =
            (1..=6).map(|i| fact(i, Way::EmbaucheDirecte, 100, Sex::Femme, false)).collect();
        facts.push(HoursFact { departement: "75".into(), ..fact(7, Way::EmbaucheDirecte, 30, Sex::Homme, false) });
        let mut req = required(&[Some(1000)]);
        req.push(RequiredFact { departement: "75".into(), hours: Some(200) });
        req.push(RequiredFact { departement: "92".into(), hours: None });
        let d = by_departement(&["75", "77", "92", "93"], &req, &facts);
        let seen: Vec<(&str, i64, i64, Option<i64>)> =
            d.iter().map(|(d, i)| (*d, i.hours_required, i.hours_realised, i.beneficiaries)).collect();
        assert_eq!(
            seen,
            [("75", 200, 30, None), ("92", 0, 0, Some(0)), ("93", 1000, 600, None)],
            "one person in Paris: hidden, and Seine-Saint-Denis with it; no contract in 77: absent"
        );
    }

    #[test]
    fn outcomes_are_counted_and_small_counts_hidden() {
        let mut facts = vec![OutcomeFact { at_end: Some(Outcome::Cdi), six_months: Some(Outcome::Cdi) }; 5];
        facts.push(OutcomeFact { at_end: Some(Outcome::Recherche), six_months: None });
        facts.push(OutcomeFact { at_end: None, six_months: None });
        let o = outcomes(&facts);
        assert_eq!(
            o.at_end,
            [
                OutcomeCount { outcome: Outcome::Cdi, placements: None },
                OutcomeCount { outcome: Outcome::Recherche, placements: None },
            ],
            "a lone small count hides another"
        );
        assert_eq!(o.six_months, [OutcomeCount { outcome: Outcome::Cdi, placements: Some(5) }]);
        assert_eq!(outcomes(&[]), Outcomes::default());
    }

    #[test]
    fn contract_shares_in_number_and_amount() {
        let fact = |amount_cents, social, sme, siae| ContractFact { amount_cents, social, sme, siae };
        let s = contract_shares(&[
            fact(100, true, true, false),
            fact(300, false, false, true),
            fact(600, true, true, false),
        ]);
        assert_eq!((s.contracts, s.amount_cents, s.with_social), (3, 1000, 2));
        assert_eq!((s.social_share, s.sme_share, s.sme_amount_share), (Some(67), Some(67), Some(70)));
        assert_eq!((s.siae_share, s.siae_amount_share), (Some(33), Some(30)));
        assert_eq!(contract_shares(&[]).social_share, None);
    }
}
