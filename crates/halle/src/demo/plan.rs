//! Which real notices become demo consultations, for which buyer, and what becomes of each.

use std::collections::HashSet;

use domain::geo::fold;
use domain::organisation::BuyerKind;
use formats::BoampNotice;

use super::buyers::{BUYERS, DEMO_BUYER, buyer_of, guess_kind};
use super::imported::Imported;

/// What the demo does with a consultation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Published, deadline ahead.
    Open,
    /// Published, deadline passed, no decision yet.
    Closed,
    Attribuee,
    Infructueuse,
    SansSuite,
    Draft,
}

/// A change made after publication, which publishes an avis rectificatif.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rectification {
    /// The bid deadline is pushed back a week.
    PostponeDeadline,
    /// An addendum joins the DCE.
    AddDocument,
}

#[derive(Debug, Clone)]
pub struct Plan {
    /// Index in [`BUYERS`].
    pub org: usize,
    pub notice: BoampNotice,
    /// The notice was published by another buyer than `org` (demo buyer only).
    pub borrowed: bool,
    pub fate: Fate,
    /// 0 (not divided), 2 or 3 lots.
    pub lots: usize,
    pub rectification: Option<Rectification>,
    /// For a notice read from XML (BOAMP or eForms): its own title, lots and CPV codes.
    pub imported: Option<Imported>,
}

const NOTICES_PER_BUYER: usize = 2;
const DEMO_AWARDS: usize = 2;

/// The demo buyer's consultations, in this order, from notices of Seine-Saint-Denis communes.
const DEMO_FATES: [Fate; 11] = [
    Fate::Open,
    Fate::Open,
    Fate::Open,
    Fate::Open,
    Fate::Closed,
    Fate::Closed,
    Fate::Infructueuse,
    Fate::SansSuite,
    Fate::Draft,
    Fate::Open,
    Fate::Draft,
];

/// Fates of the other buyers' calls for tenders, in turn: three quarters open.
const CYCLE: [Fate; 12] = [
    Fate::Open,
    Fate::Open,
    Fate::Closed,
    Fate::Open,
    Fate::Open,
    Fate::Open,
    Fate::Open,
    Fate::Infructueuse,
    Fate::Open,
    Fate::Open,
    Fate::Closed,
    Fate::Open,
];

fn is_call(n: &BoampNotice) -> bool {
    n.nature_avis == "Avis de marché"
}

fn is_award(n: &BoampNotice) -> bool {
    n.nature_avis == "Résultat de marché" && !n.titulaires.is_empty()
}

pub fn first_idf_departement(n: &BoampNotice) -> Option<&str> {
    n.departements.iter().map(String::as_str).find(|d| formats::is_idf_departement(d))
}

/// Picks the notices and decides the fate of each consultation.
pub fn plans(notices: &[BoampNotice]) -> Vec<Plan> {
    let mut seen = HashSet::new();
    let usable: Vec<&BoampNotice> = notices
        .iter()
        .filter(|n| n.is_ile_de_france() && !n.type_marche.is_empty() && (is_call(n) || is_award(n)))
        .filter(|n| seen.insert(fold(&n.objet)))
        .collect();
    let mut out = demo_buyer_plans(&usable);
    let mut calls = 0usize;
    let mut finals = 0usize;
    let mut opens = 0usize;
    for org in (0..BUYERS.len()).filter(|o| *o != DEMO_BUYER) {
        let own: Vec<&&BoampNotice> = usable.iter().filter(|n| buyer_of(&n.acheteur) == Some(org)).collect();
        for n in own.iter().filter(|n| is_call(n)).take(NOTICES_PER_BUYER) {
            let mut fate = CYCLE[calls % CYCLE.len()];
            if fate == Fate::Infructueuse {
                finals += 1;
                if finals.is_multiple_of(2) {
                    fate = Fate::SansSuite;
                }
            }
            if calls == 4 || calls == 23 {
                fate = Fate::Draft;
            }
            let lots = match (fate, calls % 9) {
                (Fate::Open | Fate::Draft, 1 | 5) => 2,
                (Fate::Open | Fate::Closed, 7) => 3,
                _ => 0,
            };
            if fate == Fate::Open {
                opens += 1;
            }
            let rectification = match (fate, opens) {
                (Fate::Open, 2) => Some(Rectification::AddDocument),
                (Fate::Open, 7) => Some(Rectification::PostponeDeadline),
                _ => None,
            };
            out.push(Plan { org, notice: (**n).clone(), borrowed: false, fate, lots, rectification, imported: None });
            calls += 1;
        }
        // An award for one buyer in four, so that about a tenth of the portal is attributed.
        if org % 4 == 1
            && let Some(n) = own.iter().find(|n| is_award(n))
        {
            out.push(Plan {
                org,
                notice: (**n).clone(),
                borrowed: false,
                fate: Fate::Attribuee,
                lots: 0,
                rectification: None,
                imported: None,
            });
        }
    }
    out
}

/// The demo buyer's own award notices, then calls for tenders of other communes that do not
/// name their town (those of its own département first), so that it has consultations in
/// every state.
fn demo_buyer_plans(usable: &[&BoampNotice]) -> Vec<Plan> {
    let mut out: Vec<Plan> = usable
        .iter()
        .filter(|n| is_award(n) && buyer_of(&n.acheteur) == Some(DEMO_BUYER))
        .take(DEMO_AWARDS)
        .map(|n| Plan {
            org: DEMO_BUYER,
            notice: (*n).clone(),
            borrowed: false,
            fate: Fate::Attribuee,
            lots: 0,
            rectification: None,
            imported: None,
        })
        .collect();
    let names_a_town = |n: &BoampNotice| {
        let o = fold(&n.objet);
        ["ville de", "ville du", "commune", "mairie", "territoire", "(9", "(7"].iter().any(|w| o.contains(w))
    };
    let mut borrowed: Vec<&&BoampNotice> = usable
        .iter()
        .filter(|n| {
            is_call(n)
                && buyer_of(&n.acheteur).is_none()
                && guess_kind(&n.acheteur) == BuyerKind::Commune
                && !names_a_town(n)
        })
        .collect();
    borrowed.sort_by_key(|n| first_idf_departement(n) != Some(BUYERS[DEMO_BUYER].departement));
    for (i, (n, fate)) in borrowed.into_iter().zip(DEMO_FATES).enumerate() {
        out.push(Plan {
            org: DEMO_BUYER,
            notice: (**n).clone(),
            borrowed: true,
            fate,
            lots: if i == 0 { 2 } else { 0 },
            rectification: (i == 1).then_some(Rectification::PostponeDeadline),
            imported: None,
        });
    }
    out
}
