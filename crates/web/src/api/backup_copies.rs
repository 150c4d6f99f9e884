use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::body::JsonBody;
use crate::AppState;
use crate::error::ApiError;
use crate::identity::Caller;
use crate::views;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DeclareBody {
    medium: String,
}

pub async fn declare(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<DeclareBody>,
) -> Result<Response, ApiError> {
    let copy = state.app.declare_backup_copy(&actor, id, &body.medium).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": copy }))).into_response())
}

pub async fn list(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let copies = state.app.backup_copies(&actor, id).await?;
    let at = |t: &Option<jiff::Timestamp>| t.as_ref().map(views::iso);
    Ok(Json(json!({ "items": copies.iter().map(|c| json!({
        "id": c.id, "firm": c.organisation_name, "medium": c.medium, "declared_at": views::iso(&c.declared_at),
        "received_at": at(&c.received_at), "opened_at": at(&c.opened_at), "open_reason": c.open_reason,
        "destroyed_at": at(&c.destroyed_at),
    })).collect::<Vec<_>>() })))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct OpenBody {
    reason: String,
}

/// `received`, `open` (with a reason) or `destroy`.
pub async fn event(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path((id, event)): Path<(i64, String)>,
    JsonBody(body): JsonBody<OpenBody>,
) -> Result<StatusCode, ApiError> {
    match event.as_str() {
        "received" => state.app.receive_backup_copy(&actor, id).await?,
        "open" => state.app.open_backup_copy(&actor, id, &body.reason).await?,
        "destroy" => state.app.destroy_backup_copy(&actor, id).await?,
        _ => return Err(app::AppError::NotFound.into()),
    }
    Ok(StatusCode::NO_CONTENT)
}
