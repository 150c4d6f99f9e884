//! `GET /api/v1/clauses/hours`: the insertion-hours calculator, for anyone.

use axum::Json;
use axum::extract::{Query, State};
use domain::consultation::AmountInput;
use domain::insertion_hours::HoursInput;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::error::ApiError;

/// Every parameter read as text, so a bad one gets the calculator's French message.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct HoursQuery {
    amount: Option<String>,
    labour_share: String,
    rate: String,
    hourly_cost: Option<String>,
}

/// Cents as text; what does not parse is passed on as a negative amount, which the check
/// refuses with its message (positive, in cents HT).
fn cents(text: Option<String>) -> Option<AmountInput> {
    text.filter(|t| !t.trim().is_empty()).map(|t| AmountInput::Cents(t.trim().parse().unwrap_or(-1)))
}

pub async fn hours(State(state): State<AppState>, Query(q): Query<HoursQuery>) -> Result<Json<Value>, ApiError> {
    let input = HoursInput {
        amount: cents(q.amount),
        labour_share: q.labour_share,
        rate: q.rate,
        hourly_cost: cents(q.hourly_cost),
    };
    Ok(Json(json!({ "hours": state.app.insertion_hours(&input)? })))
}
