//! A beneficiary of the insertion hours (RGPD): an identity (name, birth date, contact) kept
//! apart and read only by the facilitators of the territory, and a pseudonymous profile
//! (birth year, sex, commune, QPV, diploma, eligibility, prescriber) that placements and
//! statistics use, kept until a retention date.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::FieldErrors;
use crate::geo;
use crate::text;
use crate::vocabulary::parse_set;

vocabulary!(
    Sex, "sexe" {
    Femme => "f", "Femme";
    Homme => "h", "Homme";
});

vocabulary!(
    /// Highest diploma (nomenclature of 2019 levels).
    Diploma, "niveau de diplôme" {
    Aucun => "aucun", "Sans diplôme";
    Niveau3 => "3", "Niveau 3 (CAP, BEP)";
    Niveau4 => "4", "Niveau 4 (baccalauréat)";
    Niveau5 => "5", "Niveau 5 (bac + 2)";
    Niveau6 => "6", "Niveau 6 et plus (licence et au-delà)";
});

vocabulary!(
    /// Eligibility criteria (the IAE administrative criteria, les-emplois' codes).
    Criterion, "critère d’éligibilité" {
    Rsa => "RSA", "Bénéficiaire du RSA";
    Ass => "ASS", "Allocataire ASS";
    Aah => "AAH", "Allocataire AAH";
    Detld => "DETLD", "Demandeur d’emploi de très longue durée (plus de 24 mois)";
    Deld => "DELD", "Demandeur d’emploi de longue durée (12 à 24 mois)";
    Th => "TH", "Travailleur handicapé";
    Jeune => "JEUNE", "Jeune de moins de 26 ans";
    Senior => "SENIOR", "Senior (plus de 50 ans)";
    CapBep => "CAP_BEP", "Niveau d’étude 3 (CAP, BEP) ou infra";
    Qpv => "QPV", "Résident d’un quartier prioritaire (QPV)";
    Pi => "PI", "Parent isolé";
    Ase => "ASE", "Sortant de l’aide sociale à l’enfance";
    RefDa => "REF_DA", "Réfugié ou demandeur d’asile";
    DetentionMj => "DETENTION_MJ", "Sortant de détention ou sous main de justice";
    PshPr => "PSH_PR", "Sans hébergement";
});

vocabulary!(
    /// Who sent the person to the facilitator.
    Prescriber, "prescripteur" {
    FranceTravail => "france_travail", "France Travail";
    MissionLocale => "mission_locale", "Mission locale";
    CapEmploi => "cap_emploi", "Cap emploi";
    Plie => "plie", "PLIE";
    Siae => "siae", "Structure d’insertion (SIAE)";
    Departement => "departement", "Conseil départemental (RSA)";
    Autre => "autre", "Autre";
});

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BeneficiaryInput {
    pub last_name: String,
    pub first_name: String,
    /// `YYYY-MM-DD`.
    pub birth_date: String,
    /// Telephone or e-mail, as the person gave it.
    pub contact: String,
    pub sex: String,
    /// INSEE code of the commune of residence (Île-de-France).
    pub commune: String,
    pub qpv: bool,
    pub diploma: String,
    pub criteria: Vec<String>,
    pub prescriber: String,
    /// `YYYY-MM-DD`.
    pub retention_until: String,
}

/// Identifying data: only in the restricted table, never in a list, an export or the audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub last_name: String,
    pub first_name: String,
    pub birth_date: Date,
    pub contact: Option<String>,
}

/// What every other part of Halle knows of the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Profile {
    pub birth_year: i16,
    pub sex: Sex,
    pub commune: String,
    /// The commune's département: the territory whose facilitators may read the identity.
    pub departement: String,
    pub qpv: bool,
    pub diploma: Diploma,
    pub criteria: Vec<Criterion>,
    pub prescriber: Prescriber,
    pub retention_until: Date,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BeneficiarySpec {
    pub identity: Identity,
    pub profile: Profile,
}

/// Personal data are kept at most this long (years) after they are recorded.
pub const MAX_RETENTION_YEARS: i16 = 5;

fn date(text: &str, example: &str) -> Result<Date, String> {
    text.trim().parse::<Date>().map_err(|_| format!("« {} » : la date attendue a la forme {example}.", text.trim()))
}

/// Checks a beneficiary; `today` is the Paris date. Every problem named by its field.
pub fn validate(input: &BeneficiaryInput, today: Date) -> Result<BeneficiarySpec, FieldErrors> {
    let mut e = FieldErrors::default();
    let last_name = e.check("last_name", text::required(&input.last_name, "Le nom", 100));
    let first_name = e.check("first_name", text::required(&input.first_name, "Le prénom", 100));
    let birth_date = e.check(
        "birth_date",
        date(&input.birth_date, "1990-05-14").and_then(|d| {
            let age = today.year() - d.year();
            if (16..=80).contains(&age) && d < today {
                Ok(d)
            } else {
                Err("La date de naissance doit correspondre à un âge entre 16 et 80 ans.".into())
            }
        }),
    );
    let contact = e.check("contact", text::optional(Some(&input.contact), "Le contact", 200)).flatten();
    let sex = e.check("sex", Sex::parse(&input.sex));
    let commune = e.check(
        "commune",
        geo::commune(&input.commune).ok_or_else(|| {
            format!("« {} » n’est pas le code INSEE d’une commune d’Île-de-France.", input.commune.trim())
        }),
    );
    let diploma = e.check("diploma", Diploma::parse(&input.diploma));
    let criteria = parse_set::<Criterion>(&mut e, "criteria", &input.criteria, None);
    if criteria.is_empty() {
        e.push("criteria", "Cochez au moins un critère d’éligibilité.");
    }
    let prescriber = e.check("prescriber", Prescriber::parse(&input.prescriber));
    let retention_until = e.check(
        "retention_until",
        date(&input.retention_until, "2028-12-31").and_then(|d| {
            let limit = today.checked_add(jiff::Span::new().years(MAX_RETENTION_YEARS)).unwrap_or(today);
            if d > today && d <= limit {
                Ok(d)
            } else {
                Err(format!(
                    "La date de fin de conservation est postérieure à aujourd’hui et au plus dans {MAX_RETENTION_YEARS} ans."
                ))
            }
        }),
    );
    match (last_name, first_name, birth_date, sex, commune, diploma, prescriber, retention_until) {
        (
            Some(last_name),
            Some(first_name),
            Some(birth_date),
            Some(sex),
            Some(c),
            Some(diploma),
            Some(prescriber),
            Some(r),
        ) if e.is_empty() => Ok(BeneficiarySpec {
            identity: Identity { last_name, first_name, birth_date, contact },
            profile: Profile {
                birth_year: birth_date.year(),
                sex,
                commune: c.code.clone(),
                departement: c.departement.clone(),
                qpv: input.qpv,
                diploma,
                criteria,
                prescriber,
                retention_until: r,
            },
        }),
        _ => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        "2026-03-10".parse().unwrap()
    }

    fn input() -> BeneficiaryInput {
        BeneficiaryInput {
            last_name: "Martin".into(),
            first_name: "Inès".into(),
            birth_date: "2001-07-14".into(),
            contact: "06 12 34 56 78".into(),
            sex: "f".into(),
            commune: "93066".into(),
            qpv: true,
            diploma: "3".into(),
            criteria: vec!["JEUNE".into(), "QPV".into()],
            prescriber: "mission_locale".into(),
            retention_until: "2028-03-10".into(),
        }
    }

    #[test]
    fn identity_apart_from_the_profile() {
        let b = validate(&input(), today()).unwrap();
        assert_eq!(b.identity.last_name, "Martin");
        assert_eq!(b.profile.birth_year, 2001);
        assert_eq!(b.profile.departement, "93");
        assert_eq!(b.profile.criteria, vec![Criterion::Jeune, Criterion::Qpv]);
    }

    #[test]
    fn every_error_named() {
        let i = BeneficiaryInput {
            birth_date: "14/07/2001".into(),
            commune: "13055".into(),
            criteria: vec![],
            retention_until: "2040-01-01".into(),
            ..Default::default()
        };
        let e = validate(&i, today()).unwrap_err();
        for f in [
            "last_name",
            "first_name",
            "birth_date",
            "sex",
            "commune",
            "diploma",
            "criteria",
            "prescriber",
            "retention_until",
        ] {
            assert!(e.get(f).is_some(), "{f}: {e}");
        }
        let mut i = input();
        i.birth_date = "2015-01-01".into();
        i.retention_until = "2026-03-10".into();
        let e = validate(&i, today()).unwrap_err();
        assert!(e.get("birth_date").unwrap().contains("entre 16 et 80 ans"));
        assert!(e.get("retention_until").is_some(), "today is not after today");
    }
}
