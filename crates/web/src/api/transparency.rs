//! The transparency log, public: hashes only, no identities.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::Value;

use crate::AppState;
use crate::error::ApiError;

fn signed(document: String) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], document).into_response()
}

pub async fn head(State(state): State<AppState>) -> Result<Response, ApiError> {
    Ok(signed(state.app.tree_head().await?))
}

#[derive(Deserialize)]
pub struct ProofQuery {
    bid: i64,
}

pub async fn proof(State(state): State<AppState>, Query(q): Query<ProofQuery>) -> Result<Json<Value>, ApiError> {
    Ok(Json(state.app.inclusion_proof(q.bid).await?))
}

pub async fn statement(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Response, ApiError> {
    Ok(signed(state.app.deposit_statement(id).await?))
}

#[derive(Deserialize)]
pub struct ConsistencyQuery {
    from: u64,
    to: u64,
}

pub async fn consistency(
    State(state): State<AppState>,
    Query(q): Query<ConsistencyQuery>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(state.app.consistency_proof(q.from, q.to).await?))
}
