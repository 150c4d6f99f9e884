//! A social clause on a lot: its legal basis, the insertion hours it requires (computed, or
//! overridden with a written reason), the publics it serves, the ways a firm may fulfil it, the
//! facilitator's département and the clause text that goes into the contract.

use serde::{Deserialize, Serialize};

use crate::FieldErrors;
use crate::consultation::SocialConsideration;
use crate::geo;
use crate::insertion_hours::{self, HoursBasis, HoursInput};
use crate::text;
use crate::vocabulary::parse_set;

vocabulary!(
    /// The article of the Code de la commande publique the clause rests on.
    LegalBasis, "base légale" {
    ConditionExecution => "L2112-2", "Condition d’exécution (article L2112-2)";
    CritereAttribution => "L2152-7", "Critère d’attribution (article L2152-7)";
    ReserveEaEsat => "L2113-12", "Marché réservé aux EA et ESAT (article L2113-12)";
    ReserveSiae => "L2113-13", "Marché réservé aux SIAE (article L2113-13)";
    ReserveEss => "L2113-15", "Marché réservé aux entreprises de l’ESS (article L2113-15)";
    MarcheInsertion => "R2123-1", "Marché d’insertion et de qualification (article R2123-1)";
});

impl LegalBasis {
    /// An execution condition or a criterion is sized in hours; a reserved contract or an
    /// insertion market may be.
    pub fn needs_hours(self) -> bool {
        matches!(self, LegalBasis::ConditionExecution | LegalBasis::CritereAttribution)
    }

    /// The DECP `considerationsSociales` value a clause on this basis makes true.
    pub fn consideration(self) -> SocialConsideration {
        match self {
            LegalBasis::ConditionExecution | LegalBasis::MarcheInsertion => SocialConsideration::ClauseSociale,
            LegalBasis::CritereAttribution => SocialConsideration::CritereSocial,
            LegalBasis::ReserveEaEsat | LegalBasis::ReserveSiae | LegalBasis::ReserveEss => {
                SocialConsideration::MarcheReserve
            }
        }
    }
}

/// The consultation's social considerations once a clause on `basis` is added: its value
/// joins them, and "none" goes.
pub fn with_consideration(current: &[SocialConsideration], basis: LegalBasis) -> Vec<SocialConsideration> {
    let mut out: Vec<SocialConsideration> =
        current.iter().copied().filter(|c| *c != SocialConsideration::Aucune).collect();
    if !out.contains(&basis.consideration()) {
        out.push(basis.consideration());
    }
    out
}

/// The consultation's social considerations once the clause on `removed` goes: its value goes
/// too unless a clause that stays (on `remaining`) still carries it; with nothing left, "none".
pub fn without_consideration(
    current: &[SocialConsideration],
    removed: LegalBasis,
    remaining: &[LegalBasis],
) -> Vec<SocialConsideration> {
    let gone = removed.consideration();
    let kept = remaining.iter().any(|b| b.consideration() == gone);
    let out: Vec<SocialConsideration> = current.iter().copied().filter(|c| kept || *c != gone).collect();
    if out.is_empty() { vec![SocialConsideration::Aucune] } else { out }
}

vocabulary!(
    /// Who may fill the insertion hours (the facilitators' shared list).
    Public, "public éligible" {
    Deld => "deld", "Demandeurs d’emploi de longue durée (plus de 12 mois)";
    MinimaSociaux => "minima_sociaux", "Bénéficiaires de minima sociaux (RSA, ASS, AAH…)";
    TravailleurHandicape => "th", "Travailleurs handicapés";
    Jeune => "jeune", "Jeunes de moins de 26 ans peu qualifiés";
    Senior => "senior", "Demandeurs d’emploi de plus de 50 ans";
    Qpv => "qpv", "Habitants des quartiers prioritaires (QPV)";
    SalarieSiae => "siae", "Salariés d’une structure d’insertion (SIAE)";
    SalarieGeiq => "geiq", "Salariés d’un GEIQ";
    MainDeJustice => "justice", "Personnes placées sous main de justice";
});

vocabulary!(
    /// How a firm may fulfil the clause.
    Way, "modalité de mise en œuvre" {
    EmbaucheDirecte => "embauche_directe", "Embauche directe (CDD, CDI, alternance)";
    Etti => "etti", "Intérim d’insertion (ETTI)";
    Ai => "ai", "Mise à disposition par une association intermédiaire (AI)";
    Geiq => "geiq", "Mise à disposition par un GEIQ";
    SousTraitanceSiae => "sous_traitance_siae", "Sous-traitance ou cotraitance avec une SIAE";
    EaEsat => "ea_esat", "Recours à une entreprise adaptée ou un ESAT";
    Formation => "formation", "Heures de formation";
});

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClauseInput {
    pub legal_basis: String,
    pub hours: HoursInput,
    /// Hours the buyer sets instead of the computed ones; needs `override_reason`.
    pub override_hours: Option<String>,
    pub override_reason: Option<String>,
    pub publics: Vec<String>,
    pub ways: Vec<String>,
    pub facilitator_departement: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HoursOverride {
    pub hours: i64,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClauseSpec {
    pub legal_basis: LegalBasis,
    /// None: a reserved contract or an insertion market not sized in hours.
    pub basis: Option<HoursBasis>,
    pub overridden: Option<HoursOverride>,
    pub publics: Vec<Public>,
    pub ways: Vec<Way>,
    pub facilitator_departement: String,
    pub body: String,
}

impl ClauseSpec {
    /// What the firm must do: the override, else the computed hours.
    pub fn required_hours(&self) -> Option<i64> {
        self.overridden.as_ref().map(|o| o.hours).or_else(|| self.basis.map(|b| b.hours()))
    }
}

/// At most a million hours: about 600 full-time years, beyond any single lot.
const MAX_HOURS: i64 = 1_000_000;

/// Checks a clause; every problem named by its field.
pub fn validate(input: &ClauseInput) -> Result<ClauseSpec, FieldErrors> {
    let mut e = FieldErrors::default();
    let legal_basis = e.check("legal_basis", LegalBasis::parse(&input.legal_basis));
    let basis = if legal_basis.is_some_and(|l| !l.needs_hours()) && input.hours.is_blank() {
        None
    } else {
        match insertion_hours::validate(&input.hours) {
            Ok(b) => Some(b),
            Err(errors) => {
                e.0.extend(errors.0);
                None
            }
        }
    };
    let reason = input.override_reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
    let overridden = match input.override_hours.as_deref().map(str::trim).filter(|h| !h.is_empty()) {
        None => {
            if reason.is_some() {
                e.push("override_hours", "Un motif suppose un nombre d’heures retenu à la place du calcul.");
            }
            None
        }
        Some(h) => {
            let hours = e.check(
                "override_hours",
                h.parse::<i64>()
                    .ok()
                    .filter(|n| (0..=MAX_HOURS).contains(n))
                    .ok_or_else(|| format!("« {h} » : le nombre d’heures retenu est un entier entre 0 et 1 000 000.")),
            );
            let reason = match reason {
                Some(r) => e.check("override_reason", text::required(r, "Le motif", 2000)),
                None => {
                    e.push(
                        "override_reason",
                        "Expliquez par écrit pourquoi le nombre d’heures retenu diffère du calcul.",
                    );
                    None
                }
            };
            hours.zip(reason).map(|(hours, reason)| HoursOverride { hours, reason })
        }
    };
    let publics = parse_set::<Public>(&mut e, "publics", &input.publics, None);
    if publics.is_empty() {
        e.push("publics", "Choisissez au moins un public éligible.");
    }
    let ways = parse_set::<Way>(&mut e, "ways", &input.ways, None);
    if ways.is_empty() {
        e.push("ways", "Choisissez au moins une modalité de mise en œuvre.");
    }
    let departement = e
        .check("facilitator_departement", geo::departement(&input.facilitator_departement).map(|d| d.code.to_string()));
    let body = e.check("body", text::required(&input.body, "Le texte de la clause", 10_000));
    match (legal_basis, departement, body) {
        (Some(legal_basis), Some(facilitator_departement), Some(body)) if e.is_empty() => {
            Ok(ClauseSpec { legal_basis, basis, overridden, publics, ways, facilitator_departement, body })
        }
        _ => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consultation::AmountInput;

    fn input() -> ClauseInput {
        ClauseInput {
            legal_basis: "L2112-2".into(),
            hours: HoursInput {
                amount: Some(AmountInput::Euros("1 000 000".into())),
                labour_share: "50".into(),
                rate: "5".into(),
                hourly_cost: Some(AmountInput::Euros("30".into())),
            },
            publics: vec!["deld".into(), "jeune".into()],
            ways: vec!["embauche_directe".into(), "etti".into()],
            facilitator_departement: "93".into(),
            body: "Le titulaire réserve 833 heures à l’insertion.".into(),
            ..Default::default()
        }
    }

    #[test]
    fn an_execution_condition_with_its_hours() {
        let c = validate(&input()).unwrap();
        assert_eq!(c.legal_basis, LegalBasis::ConditionExecution);
        assert_eq!(c.required_hours(), Some(833));
        assert_eq!(c.publics, vec![Public::Deld, Public::Jeune]);
        assert_eq!(c.ways, vec![Way::EmbaucheDirecte, Way::Etti]);
    }

    #[test]
    fn an_override_needs_a_written_reason() {
        let mut i = input();
        i.override_hours = Some("1000".into());
        assert!(validate(&i).unwrap_err().get("override_reason").is_some());
        i.override_reason = Some("Chantier en QPV : objectif ANRU porté à 6 %.".into());
        assert_eq!(validate(&i).unwrap().required_hours(), Some(1000));
        i.override_hours = Some("beaucoup".into());
        assert!(validate(&i).unwrap_err().get("override_hours").is_some());
        i.override_hours = None;
        assert!(validate(&i).unwrap_err().get("override_hours").is_some(), "a reason alone");
    }

    #[test]
    fn a_clause_sets_the_decp_consideration() {
        use SocialConsideration as S;
        assert_eq!(with_consideration(&[S::Aucune], LegalBasis::ConditionExecution), vec![S::ClauseSociale]);
        assert_eq!(with_consideration(&[S::ClauseSociale], LegalBasis::ConditionExecution), vec![S::ClauseSociale]);
        assert_eq!(
            with_consideration(&[S::CritereSocial], LegalBasis::ReserveSiae),
            vec![S::CritereSocial, S::MarcheReserve]
        );
    }

    #[test]
    fn removing_a_clause_removes_what_only_it_carried() {
        use LegalBasis as B;
        use SocialConsideration as S;
        assert_eq!(without_consideration(&[S::ClauseSociale], B::ConditionExecution, &[]), vec![S::Aucune]);
        assert_eq!(
            without_consideration(&[S::ClauseSociale], B::ConditionExecution, &[B::MarcheInsertion]),
            vec![S::ClauseSociale],
            "another lot's clause still carries it"
        );
        assert_eq!(
            without_consideration(&[S::CritereSocial, S::MarcheReserve], B::ReserveSiae, &[B::CritereAttribution]),
            vec![S::CritereSocial]
        );
    }

    #[test]
    fn reserved_contracts_need_no_hours() {
        let mut i = input();
        i.legal_basis = "L2113-13".into();
        i.hours = HoursInput::default();
        assert_eq!(validate(&i).unwrap().required_hours(), None);
        i.legal_basis = "L2112-2".into();
        assert!(validate(&i).unwrap_err().get("amount").is_some());
    }

    #[test]
    fn every_error_named() {
        let i = ClauseInput {
            legal_basis: "art. 14".into(),
            publics: vec!["tous".into()],
            facilitator_departement: "13".into(),
            ..Default::default()
        };
        let e = validate(&i).unwrap_err();
        for f in [
            "legal_basis",
            "amount",
            "labour_share",
            "rate",
            "hourly_cost",
            "publics",
            "ways",
            "facilitator_departement",
            "body",
        ] {
            assert!(e.get(f).is_some(), "{f}: {e}");
        }
        assert!(e.get("legal_basis").unwrap().contains("valeur inconnue pour « base légale »"));
    }
}
