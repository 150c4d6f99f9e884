use axum::Json;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::body::JsonBody;
use crate::AppState;
use crate::error::ApiError;
use crate::identity::Caller;

fn receipt_response(status: StatusCode, document: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], document).into_response()
}

/// Deposit a pli; answers 201 with the signed receipt.
pub async fn deposit(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, ApiError> {
    let (_, document) = crate::upload::deposit_bid(&state.app, &actor, id, multipart).await?;
    Ok(receipt_response(StatusCode::CREATED, document))
}

pub async fn receipt(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    Ok(receipt_response(StatusCode::OK, state.app.bid_receipt(&actor, id).await?))
}

/// The registre des dépôts: the count before the deadline, the list after.
pub async fn register(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let r = state.app.deposit_register(&actor, id).await?;
    let bids = r.bids.map(|bids| {
        bids.iter()
            .map(|b| {
                json!({
                    "id": b.id,
                    "firm": b.organisation_name,
                    "siret": b.siret,
                    "user": b.user_email,
                    "lots": b.lots,
                    "upload_started_at_micros": b.started_at_micros,
                    "received_at_micros": b.received_at_micros,
                    "late": b.late,
                    "files": b.files.iter().map(|f| json!({
                        "envelope": f.envelope, "name": f.name, "size": f.plain_size, "sha256": f.plain_sha256
                    })).collect::<Vec<_>>(),
                })
            })
            .collect::<Vec<_>>()
    });
    Ok(Json(json!({ "count": r.count, "bids": bids })))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct OpeningKeyBody {
    public_key: String,
}

pub async fn opening_key(
    State(state): State<AppState>,
    Caller(actor): Caller,
    JsonBody(body): JsonBody<OpeningKeyBody>,
) -> Result<Json<Value>, ApiError> {
    state.app.register_opening_key(&actor, &body.public_key).await?;
    Ok(Json(json!({ "public_key": state.app.opening_key(&actor).await? })))
}

/// The public key that signs receipts, as `halle verify-receipt --key` takes it.
pub async fn receipt_key(State(state): State<AppState>) -> Result<Response, ApiError> {
    let key = state.app.receipt_public_key()?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], format!("{key}\n")).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct UnlockBody {
    secret: String,
}

fn opening_json(o: &app::OpeningView) -> Value {
    json!({
        "deadline_passed": o.deadline_passed,
        "is_member": o.is_member,
        "unlocked": o.unlocked,
        "candidatures_opened": o.candidatures_opened,
        "offres_opened": o.offres_opened,
        "offres_opened_lots": o.offres_opened_lots,
        "bids": o.bids.iter().map(|(b, to_open)| json!({
            "id": b.id, "firm": b.organisation_name, "late": b.late, "to_open": to_open,
            "files": b.files.iter().enumerate().map(|(i, f)| json!({
                "index": i, "envelope": f.envelope, "name": f.name, "size": f.plain_size, "sha256": f.plain_sha256,
                "url": format!("/api/v1/bids/{}/files/{i}", b.id)
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

pub async fn opening(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(opening_json(&state.app.opening(&actor, id).await?)))
}

pub async fn unlock(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<UnlockBody>,
) -> Result<Json<Value>, ApiError> {
    state.app.unlock_bids(&actor, id, &body.secret).await?;
    Ok(Json(opening_json(&state.app.opening(&actor, id).await?)))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LotBody {
    lot: Option<i64>,
}

pub async fn open_envelope(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path((id, envelope)): Path<(i64, String)>,
    JsonBody(body): JsonBody<LotBody>,
) -> Result<Json<Value>, ApiError> {
    state.app.open_envelope(&actor, id, &envelope, body.lot).await?;
    Ok(Json(opening_json(&state.app.opening(&actor, id).await?)))
}
