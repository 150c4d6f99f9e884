//! A placement (contrat d'insertion): a beneficiary working for an employer on a contract with a
//! social clause, in one of the ways the clause admits, under a contract type, between dates.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::FieldErrors;
use crate::siret::Siret;
use crate::social_clause::Way;
use crate::text;

vocabulary!(
    /// The employment contract (les-emplois' `ContractType`, and the provisions without one).
    ContractType, "type de contrat" {
    Cdi => "cdi", "CDI";
    CdiInclusion => "cdi_inclusion", "CDI inclusion";
    Cdd => "cdd", "CDD";
    Cddi => "cddi", "CDD d’insertion (CDDI)";
    Interim => "interim", "Mission d’intérim";
    MissionEtti => "mission_etti", "Mission d’intérim d’insertion (ETTI)";
    MiseADisposition => "mise_a_disposition", "Mise à disposition (AI, GEIQ)";
    Apprentissage => "apprentissage", "Contrat d’apprentissage";
    Professionnalisation => "professionnalisation", "Contrat de professionnalisation";
    Formation => "formation", "Formation";
});

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlacementInput {
    pub beneficiary_id: Option<i64>,
    pub employer_siret: String,
    pub employer_name: String,
    pub way: String,
    pub contract_type: String,
    /// `YYYY-MM-DD`.
    pub start_on: String,
    /// `YYYY-MM-DD`, empty while it lasts.
    pub end_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacementSpec {
    pub beneficiary_id: i64,
    pub employer_siret: Siret,
    pub employer_name: String,
    pub way: Way,
    pub contract_type: ContractType,
    pub start_on: Date,
    pub end_on: Option<Date>,
}

fn day(text: &str) -> Result<Date, String> {
    text.trim().parse().map_err(|_| format!("« {} » : la date attendue a la forme 2027-02-01.", text.trim()))
}

/// Checks a placement against the ways the clause admits; every problem named by its field.
pub fn validate(input: &PlacementInput, allowed: &[Way]) -> Result<PlacementSpec, FieldErrors> {
    let mut e = FieldErrors::default();
    let beneficiary_id = input.beneficiary_id;
    if beneficiary_id.is_none() {
        e.push("beneficiary_id", "Choisissez le bénéficiaire.");
    }
    let employer_siret = e.check("employer_siret", Siret::parse(&input.employer_siret));
    let employer_name = e.check("employer_name", text::required(&input.employer_name, "L’employeur", 200));
    let way = e.check(
        "way",
        Way::parse(&input.way).and_then(|w| {
            if allowed.contains(&w) {
                Ok(w)
            } else {
                Err(format!("La clause n’admet pas la modalité « {} ».", w.label()))
            }
        }),
    );
    let contract_type = e.check("contract_type", ContractType::parse(&input.contract_type));
    let start_on = e.check("start_on", day(&input.start_on));
    let end_on = match input.end_on.trim() {
        "" => None,
        t => e.check("end_on", day(t)),
    };
    if let (Some(s), Some(end)) = (start_on, end_on)
        && end < s
    {
        e.push("end_on", "La date de fin précède la date de début.");
    }
    match (beneficiary_id, employer_siret, employer_name, way, contract_type, start_on) {
        (
            Some(beneficiary_id),
            Some(employer_siret),
            Some(employer_name),
            Some(way),
            Some(contract_type),
            Some(start_on),
        ) if e.is_empty() => {
            Ok(PlacementSpec { beneficiary_id, employer_siret, employer_name, way, contract_type, start_on, end_on })
        }
        _ => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> PlacementInput {
        PlacementInput {
            beneficiary_id: Some(1),
            employer_siret: "73282932000074".into(),
            employer_name: "Peintures Dupont".into(),
            way: "embauche_directe".into(),
            contract_type: "cdd".into(),
            start_on: "2027-02-01".into(),
            end_on: "2027-07-31".into(),
        }
    }

    #[test]
    fn a_placement_in_an_admitted_way() {
        let p = validate(&input(), &[Way::EmbaucheDirecte]).unwrap();
        assert_eq!(p.contract_type, ContractType::Cdd);
        assert_eq!(p.end_on.unwrap().to_string(), "2027-07-31");
        let e = validate(&input(), &[Way::Etti]).unwrap_err();
        assert_eq!(
            e.get("way"),
            Some("La clause n’admet pas la modalité « Embauche directe (CDD, CDI, alternance) ».")
        );
    }

    #[test]
    fn every_error_named() {
        let i = PlacementInput { end_on: "2020-01-01".into(), start_on: "2027-02-01".into(), ..Default::default() };
        let e = validate(&i, &[]).unwrap_err();
        for f in ["beneficiary_id", "employer_siret", "employer_name", "way", "contract_type", "end_on"] {
            assert!(e.get(f).is_some(), "{f}: {e}");
        }
    }
}

vocabulary!(
    /// Where the beneficiary stands when the placement ends, and six months later.
    Outcome, "situation du bénéficiaire" {
    Cdi => "cdi", "En CDI";
    EmploiDurable => "emploi_durable", "En CDD ou intérim de six mois ou plus";
    EmploiCourt => "emploi_court", "En CDD ou intérim de moins de six mois";
    Formation => "formation", "En formation qualifiante";
    Creation => "creation", "Créateur ou créatrice d’entreprise";
    Recherche => "recherche", "En recherche d’emploi";
    Inconnue => "inconnue", "Situation inconnue";
});

vocabulary!(
    /// When an outcome is observed.
    OutcomeTime, "moment du suivi" {
    End => "fin", "À la fin du contrat";
    SixMonths => "six_mois", "Six mois après la fin";
});

impl OutcomeTime {
    /// The first day the outcome may be recorded, for a placement ending on `end`.
    pub fn from(self, end: Date) -> Date {
        match self {
            OutcomeTime::End => end,
            OutcomeTime::SixMonths => end.checked_add(jiff::Span::new().months(6)).unwrap_or(end),
        }
    }
}

/// Whether an outcome observed at `time` may be recorded on `today` for a placement ending on
/// `end` (none: still running). The message says from when.
pub fn outcome_due(time: OutcomeTime, end: Option<Date>, today: Date) -> Result<(), String> {
    let Some(end) = end else {
        return Err("Le contrat de ce bénéficiaire n’a pas de date de fin : sa situation se note à la fin.".into());
    };
    let from = time.from(end);
    if today < from {
        return Err(format!(
            "{} se note à partir du {}.",
            match time {
                OutcomeTime::End => "La situation à la fin du contrat",
                OutcomeTime::SixMonths => "La situation six mois après la fin",
            },
            crate::paris_time::format_day(from)
        ));
    }
    Ok(())
}

#[cfg(test)]
mod outcome_tests {
    use super::*;

    #[test]
    fn outcomes_are_recorded_when_due() {
        let end: Date = "2027-03-31".parse().unwrap();
        assert_eq!(OutcomeTime::SixMonths.from(end).to_string(), "2027-09-30");
        assert!(outcome_due(OutcomeTime::End, Some(end), end).is_ok());
        let early = outcome_due(OutcomeTime::End, Some(end), "2027-03-30".parse().unwrap()).unwrap_err();
        assert!(early.contains("31 mars 2027"), "{early}");
        let six = outcome_due(OutcomeTime::SixMonths, Some(end), "2027-09-29".parse().unwrap()).unwrap_err();
        assert!(six.contains("30 septembre 2027"), "{six}");
        assert!(outcome_due(OutcomeTime::SixMonths, Some(end), "2027-09-30".parse().unwrap()).is_ok());
        assert!(outcome_due(OutcomeTime::End, None, end).is_err());
        assert_eq!(Outcome::parse("cdi").unwrap(), Outcome::Cdi);
    }
}
