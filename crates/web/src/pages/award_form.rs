//! The award form: its choices, taken from the DECP vocabularies, and what it posts.

use domain::award::{AwardInput, Ccag, Grouping, Modality, PartyInput, PriceForm, PriceType, Technique};
use domain::consultation::AmountInput;

use super::consultation_form::{Choice, choices};
use crate::form::FormData;

/// How many co-contractors and subcontractors the form has rows for (no JavaScript needed;
/// more go through the API).
pub const PARTY_ROWS: usize = 3;

pub struct AwardChoices {
    pub groupings: Vec<Choice>,
    pub price_forms: Vec<Choice>,
    pub price_types: Vec<Choice>,
    pub techniques: Vec<Choice>,
    pub modalities: Vec<Choice>,
    pub ccags: Vec<Choice>,
    pub rows: Vec<usize>,
}

impl AwardChoices {
    pub fn new() -> AwardChoices {
        AwardChoices {
            groupings: choices(Grouping::ALL, Grouping::code, Grouping::label, &[]),
            price_forms: choices(PriceForm::ALL, PriceForm::code, PriceForm::label, &[]),
            price_types: choices(PriceType::ALL, PriceType::code, PriceType::label, &[]),
            techniques: choices(Technique::ALL, Technique::code, Technique::label, &[]),
            modalities: choices(Modality::ALL, Modality::code, Modality::label, &[]),
            ccags: choices(Ccag::ALL, Ccag::code, Ccag::label, &[]),
            rows: (1..=PARTY_ROWS).collect(),
        }
    }
}

/// The award as posted by the form (`cotraitant_1_siret`…, checkboxes for the lists).
pub fn award_input(f: &FormData) -> AwardInput {
    let party = |prefix: &str, with_amount: bool| PartyInput {
        siret: f.text(&format!("{prefix}_siret")),
        name: f.text(&format!("{prefix}_name")),
        amount: if with_amount { f.optional(&format!("{prefix}_amount")).map(AmountInput::Euros) } else { None },
    };
    let rows = |prefix: &str, with_amount: bool| -> Vec<PartyInput> {
        (1..=PARTY_ROWS).map(|i| party(&format!("{prefix}_{i}"), with_amount)).collect()
    };
    // A number that does not parse must be reported, not taken for "not given".
    let number = |name: &str| f.optional(name).map(|n| n.parse::<i64>().unwrap_or(0));
    AwardInput {
        lot: f.optional("lot").and_then(|l| l.parse().ok()),
        titulaire: party("titulaire", false),
        cotraitants: rows("cotraitant", false),
        sous_traitants: rows("sous_traitant", true),
        grouping: f.optional("grouping"),
        amount: f.optional("amount").map(AmountInput::Euros),
        notified_on: f.text("notified_on"),
        duration_months: number("duration_months"),
        price_form: f.text("price_form"),
        price_types: f.all("price_types"),
        techniques: f.all("techniques"),
        modalities: f.all("modalities"),
        ccag: f.text("ccag"),
        innovative: f.get("innovative").is_some(),
        advance: f.get("advance").is_some(),
        advance_percent: f.optional("advance_percent"),
        offers_received: number("offers_received"),
    }
}
