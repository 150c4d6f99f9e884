//! The award of a consultation (or of one lot): who, how much, from when, for how long — the
//! fields of the DECP v2 essential data.

use serde::{Deserialize, Serialize};

use crate::FieldErrors;
use crate::consultation::AmountInput;
use crate::money::Cents;
use crate::percent::basis_points;
use crate::siret::Siret;
use crate::text;
use crate::vocabulary::parse_set;

vocabulary!(
    /// DECP `formePrix`.
    PriceForm, "forme du prix" {
    Unitaire => "Unitaire", "Unitaire";
    Forfaitaire => "Forfaitaire", "Forfaitaire";
    Mixte => "Mixte", "Mixte";
});

vocabulary!(
    /// DECP `typesPrix.typePrix`.
    PriceType, "type de prix" {
    Ferme => "Définitif ferme", "Définitif ferme";
    Actualisable => "Définitif actualisable", "Définitif actualisable";
    Revisable => "Définitif révisable", "Définitif révisable";
    Provisoire => "Provisoire", "Provisoire";
});

vocabulary!(
    /// DECP `techniques.technique`: the purchasing technique.
    Technique, "technique d’achat" {
    AccordCadre => "Accord-cadre", "Accord-cadre";
    Concours => "Concours", "Concours";
    SystemeQualification => "Système de qualification", "Système de qualification";
    Sad => "Système d'acquisition dynamique", "Système d’acquisition dynamique";
    Catalogue => "Catalogue électronique", "Catalogue électronique";
    Enchere => "Enchère électronique", "Enchère électronique";
    SansObjet => "Sans objet", "Sans objet";
});

vocabulary!(
    /// DECP `modalitesExecution.modaliteExecution`.
    Modality, "modalité d’exécution" {
    Tranches => "Tranches", "Tranches";
    BonsDeCommande => "Bons de commande", "Bons de commande";
    Subsequents => "Marchés subséquents", "Marchés subséquents";
    SansObjet => "Sans objet", "Sans objet";
});

vocabulary!(
    /// DECP `ccag`: the general administrative terms the contract refers to.
    Ccag, "CCAG" {
    Travaux => "Travaux", "Travaux";
    MaitriseOeuvre => "Maitrise d'œuvre", "Maîtrise d’œuvre";
    Fcs => "Fournitures courantes et services", "Fournitures courantes et services";
    Industriels => "Marchés industriels", "Marchés industriels";
    Pi => "Prestations intellectuelles", "Prestations intellectuelles";
    Tic => "Techniques de l'information et de la communication", "Techniques de l’information et de la communication";
    Aucun => "Pas de CCAG", "Pas de CCAG";
});

vocabulary!(
    /// DECP `typeGroupementOperateurs`.
    Grouping, "groupement" {
    Conjoint => "Conjoint", "Conjoint";
    Solidaire => "Solidaire", "Solidaire";
    Aucun => "Pas de groupement", "Pas de groupement";
});

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartyInput {
    pub siret: String,
    pub name: String,
    /// Subcontractors only.
    pub amount: Option<AmountInput>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AwardInput {
    /// The lot number; none for a consultation without lots.
    pub lot: Option<i64>,
    pub titulaire: PartyInput,
    pub cotraitants: Vec<PartyInput>,
    pub sous_traitants: Vec<PartyInput>,
    pub grouping: Option<String>,
    pub amount: Option<AmountInput>,
    /// `YYYY-MM-DD`.
    pub notified_on: String,
    pub duration_months: Option<i64>,
    pub price_form: String,
    pub price_types: Vec<String>,
    pub techniques: Vec<String>,
    pub modalities: Vec<String>,
    pub ccag: String,
    pub innovative: bool,
    /// Whether an advance is paid to the titulaire, and its rate in percent of the amount
    /// (unknown: none).
    pub advance: bool,
    pub advance_percent: Option<String>,
    /// Offers received for the lot, paper ones included; none: those deposited on Halle.
    pub offers_received: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    pub siret: Siret,
    pub name: String,
    pub amount: Option<Cents>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwardSpec {
    pub lot: Option<i64>,
    pub titulaire: Party,
    pub cotraitants: Vec<Party>,
    pub sous_traitants: Vec<Party>,
    pub grouping: Grouping,
    pub amount: Cents,
    pub notified_on: jiff::civil::Date,
    pub duration_months: i64,
    pub price_form: PriceForm,
    pub price_types: Vec<PriceType>,
    pub techniques: Vec<Technique>,
    pub modalities: Vec<Modality>,
    pub ccag: Ccag,
    pub innovative: bool,
    pub advance: Advance,
    pub offers_received: Option<i64>,
}

/// DECP `attributionAvance` and `tauxAvance`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Advance {
    None,
    /// Rate in basis points of the amount (2 000: 20 %); none when not known.
    Granted(Option<u16>),
}

impl Advance {
    /// The DECP `tauxAvance` (0.2 for 20 %); 0 means granted at an unknown rate, as the schema says.
    pub fn rate(self) -> Option<f64> {
        match self {
            Advance::None => None,
            Advance::Granted(bp) => Some(f64::from(bp.unwrap_or(0)) / 10_000.0),
        }
    }
}

fn party(e: &mut FieldErrors, field: &str, p: &PartyInput, with_amount: bool) -> Option<Party> {
    let siret = e.check(&format!("{field}.siret"), Siret::parse(&p.siret));
    let name = e.check(&format!("{field}.name"), text::required(&p.name, "La raison sociale", 200));
    let amount =
        if with_amount { p.amount.as_ref().and_then(|a| e.check(&format!("{field}.amount"), a.parse())) } else { None };
    Some(Party { siret: siret?, name: name?, amount })
}

/// Checks an award; every problem named by its field.
pub fn validate(input: &AwardInput) -> Result<AwardSpec, FieldErrors> {
    let mut e = FieldErrors::default();
    let titulaire = party(&mut e, "titulaire", &input.titulaire, false);
    let cotraitants: Vec<Party> = input
        .cotraitants
        .iter()
        .enumerate()
        .filter(|(_, p)| !(p.siret.trim().is_empty() && p.name.trim().is_empty()))
        .filter_map(|(i, p)| party(&mut e, &format!("cotraitants[{i}]"), p, false))
        .collect();
    let sous_traitants: Vec<Party> = input
        .sous_traitants
        .iter()
        .enumerate()
        .filter(|(_, p)| !(p.siret.trim().is_empty() && p.name.trim().is_empty()))
        .filter_map(|(i, p)| party(&mut e, &format!("sous_traitants[{i}]"), p, true))
        .collect();
    let grouping = match input.grouping.as_deref().map(str::trim).filter(|g| !g.is_empty()) {
        Some(g) => e.check("grouping", Grouping::parse(g)),
        None if cotraitants.is_empty() => Some(Grouping::Aucun),
        None => Some(Grouping::Conjoint),
    };
    if grouping == Some(Grouping::Aucun) && !cotraitants.is_empty() {
        e.push("grouping", "Avec des cotraitants, le groupement est conjoint ou solidaire.");
    }
    let amount = match &input.amount {
        Some(a) => e.check(
            "amount",
            a.parse().and_then(|c| if c.0 > 0 { Ok(c) } else { Err("Le montant attribué doit être positif.".into()) }),
        ),
        None => {
            e.push("amount", "Le montant attribué (HT) est obligatoire.");
            None
        }
    };
    let notified_on = e.check(
        "notified_on",
        input
            .notified_on
            .trim()
            .parse::<jiff::civil::Date>()
            .map_err(|_| "La date de notification attendue a la forme 2026-12-20.".to_string()),
    );
    let duration_months = match input.duration_months {
        Some(d) if (1..=1200).contains(&d) => Some(d),
        _ => {
            e.push("duration_months", "La durée est un nombre de mois entre 1 et 1 200.");
            None
        }
    };
    let price_form = e.check("price_form", PriceForm::parse(&input.price_form));
    let price_types = parse_set::<PriceType>(&mut e, "price_types", &input.price_types, None);
    if price_types.is_empty() {
        e.push("price_types", "Choisissez au moins un type de prix.");
    }
    let techniques = parse_set(&mut e, "techniques", &input.techniques, Some(Technique::SansObjet));
    let modalities = parse_set(&mut e, "modalities", &input.modalities, Some(Modality::SansObjet));
    let ccag = e.check("ccag", Ccag::parse(&input.ccag));
    let advance = match (input.advance, input.advance_percent.as_deref().map(str::trim).filter(|p| !p.is_empty())) {
        (false, None) => Some(Advance::None),
        (false, Some(_)) => {
            e.push("advance_percent", "Un taux d’avance suppose qu’une avance soit attribuée.");
            None
        }
        (true, None) => Some(Advance::Granted(None)),
        (true, Some(p)) => {
            e.check("advance_percent", basis_points(p, "le taux d’avance")).map(|bp| Advance::Granted(Some(bp)))
        }
    };
    let offers_received = match input.offers_received {
        Some(n) if !(1..=100_000).contains(&n) => {
            e.push("offers_received", "Le nombre d’offres reçues est un nombre entier, au moins 1.");
            None
        }
        n => n,
    };
    if !e.is_empty() {
        return Err(e);
    }
    match (titulaire, grouping, amount, notified_on, duration_months, price_form, ccag, advance) {
        (
            Some(titulaire),
            Some(grouping),
            Some(amount),
            Some(notified_on),
            Some(duration_months),
            Some(price_form),
            Some(ccag),
            Some(advance),
        ) => Ok(AwardSpec {
            lot: input.lot,
            titulaire,
            cotraitants,
            sous_traitants,
            grouping,
            amount,
            notified_on,
            duration_months,
            price_form,
            price_types,
            techniques,
            modalities,
            ccag,
            innovative: input.innovative,
            advance,
            offers_received,
        }),
        _ => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> AwardInput {
        AwardInput {
            titulaire: PartyInput { siret: "73282932000074".into(), name: "Peintures Dupont".into(), amount: None },
            amount: Some(AmountInput::Cents(4_800_000)),
            notified_on: "2027-01-10".into(),
            duration_months: Some(12),
            price_form: "Forfaitaire".into(),
            price_types: vec!["Définitif ferme".into()],
            ccag: "Travaux".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_simple_award() {
        let a = validate(&input()).unwrap();
        assert_eq!(a.grouping, Grouping::Aucun);
        assert_eq!(a.amount, Cents(4_800_000));
        assert_eq!(a.price_types, vec![PriceType::Ferme]);
        assert_eq!(a.techniques, vec![Technique::SansObjet]);
        assert_eq!(a.modalities, vec![Modality::SansObjet]);
        assert_eq!(a.ccag, Ccag::Travaux);
        assert_eq!(a.advance, Advance::None);
        assert_eq!(a.advance.rate(), None);
    }

    #[test]
    fn decp_vocabularies_and_the_advance() {
        let mut i = input();
        i.techniques = vec!["Accord-cadre".into(), "Enchère électronique".into()];
        i.modalities = vec!["Bons de commande".into()];
        i.price_types = vec!["Définitif révisable".into(), "Provisoire".into()];
        i.ccag = "Maîtrise d’œuvre".into();
        i.innovative = true;
        i.advance = true;
        i.advance_percent = Some("5,5 %".into());
        let a = validate(&i).unwrap();
        assert_eq!(a.techniques, vec![Technique::AccordCadre, Technique::Enchere]);
        assert_eq!(a.price_types, vec![PriceType::Revisable, PriceType::Provisoire]);
        assert_eq!(a.ccag.code(), "Maitrise d'œuvre");
        assert_eq!(a.advance, Advance::Granted(Some(550)));
        assert_eq!(a.advance.rate(), Some(0.055));
        i.advance_percent = None;
        assert_eq!(validate(&i).unwrap().advance.rate(), Some(0.0));
        for bad in ["101", "abc", "-5", "1.234", ""] {
            i.advance_percent = Some(bad.into());
            let r = validate(&i);
            if bad.is_empty() {
                assert!(r.is_ok());
            } else {
                assert!(r.unwrap_err().get("advance_percent").is_some(), "{bad}");
            }
        }
        i.advance = false;
        i.advance_percent = Some("20".into());
        assert!(validate(&i).unwrap_err().get("advance_percent").is_some());
    }

    #[test]
    fn every_error_named() {
        let mut i = input();
        i.titulaire.siret = "123".into();
        i.amount = Some(AmountInput::Cents(0));
        i.notified_on = "10/01/2027".into();
        i.duration_months = Some(0);
        i.price_form = "Global".into();
        i.price_types = vec![];
        i.ccag = "CCAG-PI".into();
        i.techniques = vec!["Sans objet".into(), "Concours".into()];
        i.offers_received = Some(0);
        i.cotraitants = vec![PartyInput { siret: "73282932000074".into(), name: "".into(), amount: None }];
        let e = validate(&i).unwrap_err();
        for f in [
            "titulaire.siret",
            "amount",
            "notified_on",
            "duration_months",
            "price_form",
            "cotraitants[0].name",
            "price_types",
            "ccag",
            "techniques",
            "offers_received",
        ] {
            assert!(e.get(f).is_some(), "{f}: {e}");
        }
    }

    #[test]
    fn cotraitants_need_a_grouping() {
        let mut i = input();
        i.cotraitants = vec![PartyInput { siret: "35600000000048".into(), name: "La Poste".into(), amount: None }];
        assert_eq!(validate(&i).unwrap().grouping, Grouping::Conjoint);
        i.grouping = Some("Pas de groupement".into());
        assert!(validate(&i).unwrap_err().get("grouping").is_some());
    }
}
