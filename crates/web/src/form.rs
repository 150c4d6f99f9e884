//! Reading HTML forms as ordered (name, value) pairs, so repeated names (checkboxes) and
//! indexed names (`lots[0].title`) work without JavaScript.

use domain::consultation::{AmountInput, ConsultationInput, LotInput};
use domain::criteria::CriterionInput;

pub struct FormData(pub Vec<(String, String)>);

impl FormData {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn text(&self, name: &str) -> String {
        self.get(name).unwrap_or("").to_string()
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
    }

    pub fn optional(&self, name: &str) -> Option<String> {
        self.get(name).map(str::trim).filter(|v| !v.is_empty()).map(str::to_string)
    }
}

/// Blank lot rows offered on the form for a person without JavaScript.
pub const LOT_ROWS: usize = 5;

/// The consultation form: the place is a commune code if given, else the département.
pub fn consultation_input(f: &FormData) -> ConsultationInput {
    let mut lots = Vec::new();
    for i in 0..50 {
        let title = f.text(&format!("lots[{i}].title"));
        let cpv = f.optional(&format!("lots[{i}].cpv"));
        let value = f.optional(&format!("lots[{i}].estimated_value"));
        if f.get(&format!("lots[{i}].title")).is_none() {
            break;
        }
        if title.trim().is_empty() && cpv.is_none() && value.is_none() {
            continue;
        }
        lots.push(LotInput { title, cpv, estimated_value: value.map(AmountInput::Euros) });
    }
    ConsultationInput {
        title: f.text("title"),
        object: f.text("object"),
        nature: f.text("nature"),
        procedure: f.text("procedure"),
        cpv: f.text("cpv"),
        cpv_additional: f.text("cpv_additional").split([',', ' ', ';']).map(str::to_string).collect(),
        place: f.optional("commune").unwrap_or_else(|| f.text("departement")),
        estimated_value: f.optional("estimated_value").map(AmountInput::Euros),
        questions_deadline: f.optional("questions_deadline"),
        bid_deadline: f.text("bid_deadline"),
        contact: f.optional("contact"),
        social: f.all("social"),
        environmental: f.all("environmental"),
        lots,
        criteria: (0..CRITERIA_ROWS)
            .map(|i| CriterionInput {
                kind: f.text(&format!("criteria[{i}].kind")),
                name: f.text(&format!("criteria[{i}].name")),
                weight: f.optional(&format!("criteria[{i}].weight")),
            })
            .collect(),
        tender_validity_days: f.optional("tender_validity_days"),
    }
}

/// Criterion rows on the form.
pub const CRITERIA_ROWS: usize = 4;

/// The account form, shared by the platform's and an organisation's administrators; the
/// organisation is given by the caller when the form has none to choose.
pub fn account_input(f: &FormData, organisation_id: Option<i64>) -> app::NewAccount {
    app::NewAccount {
        email: f.text("email"),
        name: f.text("name"),
        password: f.text("password"),
        role: f.text("role"),
        organisation_id: organisation_id.or_else(|| f.optional("organisation_id").and_then(|v| v.parse().ok())),
        departements: f.all("departements"),
    }
}
