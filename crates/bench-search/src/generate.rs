//! A million realistic notices from a few thousand real ones, deterministically.
//!
//! Each notice starts from a real notice (its nature, procedure, delay to the deadline, being an
//! award or not), takes a title made of its phrases, another real notice's phrases or a CPV label
//! of its trade, a more precise CPV code under the real one, an Île-de-France place drawn as the
//! real notices are spread over the départements (and, inside one, as people live in its
//! communes), a real buyer of that département, and a publication date over the year before
//! [`NOW`]. Notice `n` depends only on the seed and `n`.

use domain::consultation::{EnvironmentalConsideration, Nature, SocialConsideration};
use domain::organisation::BuyerKind;
use search::{DocKind, SearchDoc};

use crate::corpus::{Corpus, Template};
use crate::rng::{Rng, Weighted};

/// The instant the benchmark pretends to run at: Monday 16 March 2026, 9:00 in Paris, the day
/// after the last real notice was published.
pub const NOW: i64 = 1_773_648_000;
pub const SEED: u64 = 0x4841_4C4C_4521;

const DAY: i64 = 86_400;
/// Publications spread over the year before `NOW`.
const PUBLISHED_OVER_DAYS: i64 = 365;

// Assumed shares (no open data gives them for Île-de-France): notices imported from BOAMP carry
// no considerations nor buyer kind (as `app::indexer::notice_doc` builds them); Halle's own
// consultations do.
const CONSULTATION_SHARE: f64 = 0.15;
const SOCIAL_CLAUSE: f64 = 0.25;
const SOCIAL_CRITERION: f64 = 0.08;
const RESERVED: f64 = 0.03;
const ENV_CLAUSE: f64 = 0.35;
const ENV_CRITERION: f64 = 0.20;
const NOTICE_WITH_VALUE: f64 = 0.30;
const WITH_LOTS: f64 = 0.25;
const WITHOUT_COMMUNE: f64 = 0.15;

/// The generator: the corpus with its draw tables.
pub struct Generator {
    corpus: Corpus,
    departements: Vec<String>,
    departement_draw: Weighted,
    /// Per département (same order): its communes and their draw by population.
    communes: Vec<Weighted>,
    /// Per template: its phrases (split at dashes, colons, commas…).
    phrases: Vec<Vec<String>>,
    /// Templates by nature (index in `Nature::ALL`, then one list for "none"), to borrow phrases
    /// from notices buying the same kind of thing.
    by_nature: [Vec<usize>; 4],
}

fn phrases_of(title: &str) -> Vec<String> {
    title
        .split([',', ';', ':', '(', ')', '–', '—'])
        .flat_map(|s| s.split(" - "))
        .map(|s| s.trim().trim_matches(['-', '.', '/']).trim().to_string())
        .filter(|s| s.chars().filter(|c| c.is_alphabetic()).count() >= 4)
        .collect()
}

fn nature_slot(n: Option<Nature>) -> usize {
    n.and_then(|n| Nature::ALL.iter().position(|x| *x == n)).unwrap_or(3)
}

impl Generator {
    pub fn new(corpus: Corpus) -> Generator {
        let departements: Vec<String> = corpus.departement_notices.keys().cloned().collect();
        let departement_draw = Weighted::new(corpus.departement_notices.values().copied());
        let communes = departements
            .iter()
            .map(|d| Weighted::new(corpus.communes.get(d).into_iter().flatten().map(|c| c.population.max(1))))
            .collect();
        let phrases = corpus.templates.iter().map(|t| phrases_of(&t.title)).collect();
        let mut by_nature: [Vec<usize>; 4] = Default::default();
        for (i, t) in corpus.templates.iter().enumerate() {
            by_nature[nature_slot(t.nature)].push(i);
        }
        Generator { corpus, departements, departement_draw, communes, phrases, by_nature }
    }

    /// Notice `n` (from 0).
    pub fn notice(&self, n: u64) -> SearchDoc {
        let mut rng = Rng::for_item(SEED, n);
        let ti = rng.below(self.corpus.templates.len());
        let t = &self.corpus.templates[ti];
        let nature = t.nature.or_else(|| Some(*rng.pick(Nature::ALL)));
        let kind = if rng.chance(CONSULTATION_SHARE) { DocKind::Consultation } else { DocKind::Notice };

        let cpv = self.cpv_codes(&mut rng, t, nature);
        let main_label = domain::cpv::lookup(&cpv[0]).ok().map(|e| e.label_fr.clone());
        let other = self.same_nature(&mut rng, nature);
        let title = self.title(&mut rng, ti, other, main_label.as_deref());

        let d = self.departement_draw.draw(&mut rng);
        let departement = self.departements[d].clone();
        let commune = match self.corpus.communes.get(&departement) {
            Some(list) if !list.is_empty() && !rng.chance(WITHOUT_COMMUNE) => {
                Some(&list[self.communes[d].draw(&mut rng)])
            }
            _ => None,
        };
        let buyer_name = self.corpus.buyers.get(&departement).map(|b| rng.pick(b).clone()).unwrap_or_default();

        let mut description = t.description.clone().unwrap_or_else(|| t.title.clone());
        if let Some(label) = &main_label {
            description.push_str(&format!(". Prestations relevant de : {}", label.to_lowercase()));
        }
        description.push_str(&format!(". Prestations associées : {}", self.corpus.templates[other].title));
        if let Some(c) = commune {
            description.push_str(&format!(". Lieu d’exécution : {} ({departement})", c.name));
        }
        description.push('.');

        let lot_titles = if !t.lots.is_empty() {
            t.lots.clone()
        } else if rng.chance(WITH_LOTS) {
            let below = self.corpus.cpv_below(&cpv[0][..2]);
            (1..=2 + rng.below(5)).map(|k| format!("Lot {k} : {}", rng.pick(below).label)).collect()
        } else {
            Vec::new()
        };

        let published_at =
            NOW - (1 + rng.below(PUBLISHED_OVER_DAYS as usize) as i64) * DAY + rng.below(10) as i64 * 3600;
        let deadline = t.deadline_after.map(|after| published_at + after);
        let consultation = kind == DocKind::Consultation;
        let mut social = Vec::new();
        let mut environmental = Vec::new();
        if consultation {
            for (p, s) in [
                (SOCIAL_CLAUSE, SocialConsideration::ClauseSociale),
                (SOCIAL_CRITERION, SocialConsideration::CritereSocial),
                (RESERVED, SocialConsideration::MarcheReserve),
            ] {
                if rng.chance(p) {
                    social.push(s);
                }
            }
            for (p, e) in
                [(ENV_CLAUSE, EnvironmentalConsideration::Clause), (ENV_CRITERION, EnvironmentalConsideration::Critere)]
            {
                if rng.chance(p) {
                    environmental.push(e);
                }
            }
        }
        let value_cents =
            t.value_cents.or_else(|| (consultation || rng.chance(NOTICE_WITH_VALUE)).then(|| value(&mut rng, nature)));

        SearchDoc {
            key: format!("n:{n}"),
            kind,
            title,
            description,
            lot_titles,
            buyer_kind: consultation.then(|| buyer_kind(&buyer_name)),
            buyer_name,
            cpv,
            commune: commune.map(|c| c.code.clone()),
            departement: Some(departement),
            nuts: None,
            place_label: None,
            procedure: t.procedure,
            nature,
            reserved: social.contains(&SocialConsideration::MarcheReserve),
            social,
            environmental,
            published_at: Some(published_at),
            deadline,
            value_cents,
            closed: t.closed,
        }
    }

    fn same_nature(&self, rng: &mut Rng, nature: Option<Nature>) -> usize {
        let list = &self.by_nature[nature_slot(nature)];
        if list.is_empty() { rng.below(self.corpus.templates.len()) } else { *rng.pick(list) }
    }

    /// The real title, or its first phrase joined to another notice's phrase or to the label of
    /// its CPV code, as buyers write them (« Travaux de voirie - Lot 2 : éclairage public »).
    fn title(&self, rng: &mut Rng, ti: usize, other: usize, cpv_label: Option<&str>) -> String {
        let own = &self.phrases[ti];
        let real = &self.corpus.templates[ti].title;
        let Some(head) = own.first() else { return real.clone() };
        match rng.below(10) {
            0..=4 => real.clone(),
            5..=7 => match self.phrases[other].get(rng.below(self.phrases[other].len().max(1))) {
                Some(tail) => format!("{head} - {}", lowercase_first(tail)),
                None => real.clone(),
            },
            _ => match cpv_label {
                Some(label) => format!("{head} : {}", lowercase_first(label)),
                None => real.clone(),
            },
        }
    }

    /// The real main code or one below it, then up to two codes of notices of the same nature.
    fn cpv_codes(&self, rng: &mut Rng, t: &Template, nature: Option<Nature>) -> Vec<String> {
        let below = self.corpus.cpv_below(&t.cpv);
        let main = if !below.is_empty() && rng.chance(0.7) { rng.pick(below).code.clone() } else { t.cpv.clone() };
        let mut codes = vec![main];
        for _ in 0..rng.below(3) {
            let other = &self.corpus.templates[self.same_nature(rng, nature)].cpv;
            if !codes.contains(other) {
                codes.push(other.clone());
            }
        }
        codes
    }
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) if c.clone().next().is_some_and(char::is_lowercase) => first.to_lowercase().chain(c).collect(),
        _ => s.to_string(),
    }
}

/// A log-normal estimated value around a typical amount for the nature, in cents HT.
fn value(rng: &mut Rng, nature: Option<Nature>) -> i64 {
    let median_euros = match nature {
        Some(Nature::Travaux) => 350_000.0,
        Some(Nature::Fournitures) => 90_000.0,
        _ => 120_000.0,
    };
    let euros: f64 = median_euros * (1.4 * rng.normal()).exp();
    (euros.clamp(1_000.0, 500_000_000.0) * 100.0).round() as i64
}

/// The kind of a buyer guessed from its name.
fn buyer_kind(name: &str) -> BuyerKind {
    let n = domain::geo::fold(name);
    let has = |words: &[&str]| words.iter().any(|w| n.contains(w));
    if has(&["hopita", "hospital", "ap-hp", "chu ", "ehpad", "sante"]) {
        BuyerKind::Hopital
    } else if has(&["habitat", "logement", "hlm", "oph"]) {
        BuyerKind::BailleurSocial
    } else if has(&["departement", "conseil departemental"]) {
        BuyerKind::Departement
    } else if has(&["region"]) {
        BuyerKind::Region
    } else if has(&["communaute", "agglomeration", "metropole", "territoire", "syndicat", "sivom", "sivu", "ept "]) {
        BuyerKind::EpciEpt
    } else if has(&["commune", "ville d", "mairie", "ccas"]) {
        BuyerKind::Commune
    } else if has(&["ministere", "prefecture", "direction", "rectorat", "armee", "etat"]) {
        BuyerKind::Etat
    } else if has(&["sem ", "spl ", "economie mixte"]) {
        BuyerKind::Sem
    } else {
        BuyerKind::EtablissementPublic
    }
}
