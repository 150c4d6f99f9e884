//! `GET /api/v1/indicators?departement=&operation=&year=`: public, aggregated, no personal field.

use axum::Json;
use axum::extract::{Query, State};
use domain::indicators::OutcomeCount;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::error::ApiError;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Filters {
    departement: Option<String>,
    operation: Option<String>,
    year: Option<String>,
    buyer: Option<String>,
}

pub async fn show(State(state): State<AppState>, Query(f): Query<Filters>) -> Result<Json<Value>, ApiError> {
    let q = app::IndicatorQuery { departement: f.departement, operation: f.operation, year: f.year, buyer: f.buyer };
    let v = state.app.indicators(&q).await?;
    let i = &v.indicators;
    let counts = |list: &[OutcomeCount]| -> Vec<Value> {
        list.iter()
            .map(|c| json!({ "outcome": c.outcome.code(), "label": c.outcome.label(), "placements": c.placements }))
            .collect()
    };
    let operation = v.operations.iter().find(|o| Some(o.id) == v.filter.operation).map(|o| {
        json!({ "id": o.id, "name": o.spec.name, "charter": o.spec.charter,
                "target_rate_bp": o.spec.target_rate_bp, "target_hours": o.spec.target_hours,
                "target_sme_bp": o.spec.target_sme_bp })
    });
    Ok(Json(json!({
        "operation": operation,
        "filters": { "departement": v.filter.departement, "operation": v.filter.operation, "year": v.filter.year, "buyer": v.filter.buyer },
        "contracts_with_social_clause": i.contracts_with_clause,
        "hours_required": i.hours_required,
        "hours_realised": i.hours_realised,
        "realisation_share": i.realisation_share,
        "beneficiaries": i.beneficiaries,
        "women_share": i.women_share,
        "qpv_share": i.qpv_share,
        "age_bands": i.age_bands.iter().map(|b| json!({ "band": b.band.code(), "label": b.band.label(), "beneficiaries": b.people })).collect::<Vec<_>>(),
        "hours_by_way": i.hours_by_way.iter().map(|w| json!({ "way": w.way.code(), "label": w.way.label(), "hours": w.hours })).collect::<Vec<_>>(),
        "outcomes": { "at_end": counts(&v.outcomes.at_end), "six_months": counts(&v.outcomes.six_months) },
        "contracts": v.contracts,
        "by_departement": v.by_departement.iter().map(|(code, d)| json!({
            "departement": code, "contracts_with_social_clause": d.contracts_with_clause,
            "hours_required": d.hours_required, "hours_realised": d.hours_realised, "beneficiaries": d.beneficiaries,
        })).collect::<Vec<_>>(),
        "small_counts_hidden_below": domain::indicators::SMALL_COUNT,
    })))
}
