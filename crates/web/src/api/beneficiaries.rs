//! `GET /api/v1/beneficiaries`: the caller's territory only, pseudonymous profiles (facilitators).

use axum::Json;
use axum::extract::{Query, State};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::error::ApiError;
use crate::identity::Caller;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Filter {
    departement: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Query(f): Query<Filter>,
) -> Result<Json<Value>, ApiError> {
    let items = state.app.beneficiaries(&actor, f.departement.as_deref().map(str::trim)).await?;
    Ok(Json(json!({ "items": items.iter().map(|b| {
        let p = &b.profile;
        json!({
            "id": b.id, "departement": p.departement, "birth_year": p.birth_year, "sex": p.sex.code(),
            "commune": p.commune, "qpv": p.qpv, "diploma": p.diploma.code(),
            "criteria": p.criteria.iter().map(|c| c.code()).collect::<Vec<_>>(),
            "prescriber": p.prescriber.code(), "retention_until": p.retention_until.to_string(),
        })
    }).collect::<Vec<_>>() })))
}
