//! The award of a consultation (or of one lot): who, how much, from when, for how long — the
//! fields of the DECP v2 essential data.

use serde::{Deserialize, Serialize};

use crate::FieldErrors;
use crate::consultation::AmountInput;
use crate::money::Cents;
use crate::siret::Siret;
use crate::text;

vocabulary!(
    /// DECP `formePrix`.
    PriceForm, "forme du prix" {
    Unitaire => "Unitaire", "Unitaire";
    Forfaitaire => "Forfaitaire", "Forfaitaire";
    Mixte => "Mixte", "Mixte";
});

vocabulary!(
    /// DECP `typePrix` (variation of the price).
    PriceType, "type de prix" {
    Ferme => "Ferme", "Ferme";
    Actualisable => "Actualisable", "Actualisable";
    Revisable => "Révisable", "Révisable";
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
    pub price_type: String,
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
    pub price_type: PriceType,
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
    let price_type = e.check("price_type", PriceType::parse(&input.price_type));
    if !e.is_empty() {
        return Err(e);
    }
    match (titulaire, grouping, amount, notified_on, duration_months, price_form, price_type) {
        (
            Some(titulaire),
            Some(grouping),
            Some(amount),
            Some(notified_on),
            Some(duration_months),
            Some(price_form),
            Some(price_type),
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
            price_type,
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
            price_type: "Ferme".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_simple_award() {
        let a = validate(&input()).unwrap();
        assert_eq!(a.grouping, Grouping::Aucun);
        assert_eq!(a.amount, Cents(4_800_000));
        assert_eq!(PriceType::parse("Révisable").unwrap(), PriceType::Revisable);
    }

    #[test]
    fn every_error_named() {
        let mut i = input();
        i.titulaire.siret = "123".into();
        i.amount = Some(AmountInput::Cents(0));
        i.notified_on = "10/01/2027".into();
        i.duration_months = Some(0);
        i.price_form = "Global".into();
        i.cotraitants = vec![PartyInput { siret: "73282932000074".into(), name: "".into(), amount: None }];
        let e = validate(&i).unwrap_err();
        for f in ["titulaire.siret", "amount", "notified_on", "duration_months", "price_form", "cotraitants[0].name"] {
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
