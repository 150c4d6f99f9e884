//! `GET`/`POST /api/v1/saved-searches` and `PUT`/`DELETE /api/v1/saved-searches/{id}`: the
//! caller's saved searches (veille), as on `/veille`.

use app::search_query::SearchQuery;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use store::SavedSearch;

use super::body::JsonBody;
use crate::AppState;
use crate::error::ApiError;
use crate::identity::Caller;

fn saved(state: &AppState, s: &SavedSearch) -> Value {
    let base = state.app.config().base_url.trim_end_matches('/');
    json!({
        "id": s.id, "name": s.name, "query": s.query, "frequency": s.frequency,
        "description": SearchQuery::parse(&s.query).describe(),
        "created_at": crate::views::iso(&s.created_at),
        "atom": format!("{base}/veille/{}/flux.atom", s.token),
        "ics": format!("{base}/veille/{}/calendrier.ics", s.token),
    })
}

pub async fn list(State(state): State<AppState>, Caller(actor): Caller) -> Result<Json<Value>, ApiError> {
    let items: Vec<Value> = state.app.saved_searches(&actor).await?.iter().map(|s| saved(&state, s)).collect();
    Ok(Json(json!({ "items": items })))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewSaved {
    name: String,
    /// The search's query string, as on `/consultations` (`q=toiture&departement=93`).
    query: String,
    frequency: String,
}

pub async fn create(
    State(state): State<AppState>,
    Caller(actor): Caller,
    JsonBody(b): JsonBody<NewSaved>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let s = state.app.save_search(&actor, &b.name, &SearchQuery::parse(&b.query), &b.frequency).await?;
    Ok((StatusCode::CREATED, Json(saved(&state, &s))))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Frequency {
    frequency: String,
}

pub async fn set_frequency(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<Frequency>,
) -> Result<Json<Value>, ApiError> {
    let s = state.app.set_saved_search_frequency(&actor, id, &b.frequency).await?;
    Ok(Json(saved(&state, &s)))
}

pub async fn delete(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    state.app.delete_saved_search(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
