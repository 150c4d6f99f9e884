//! `GET`/`POST /api/v1/practices`, `GET /api/v1/practices/{id}` and its attachments: the
//! library of good practices.

use axum::Json;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use domain::practice::PracticeInput;
use serde_json::{Value, json};
use store::{PracticeAttachment, PracticeRecord};

use super::body::JsonBody;
use crate::AppState;
use crate::error::ApiError;
use crate::identity::Caller;
use crate::pages::library::LibraryParams;
use crate::upload::Files;
use crate::views;

fn practice(r: &PracticeRecord) -> Value {
    let p = &r.practice;
    json!({
        "id": r.id, "kind": p.kind.code(), "title": p.title, "legal_basis": p.legal_basis.map(|b| b.code()),
        "cpv": p.cpv, "author": r.author_name, "organisation": r.organisation_name, "uses": r.uses,
        "comments": r.comments, "featured": r.featured, "created_at": views::iso(&r.created_at),
    })
}

fn attachment(a: &PracticeAttachment) -> Value {
    json!({
        "id": a.id, "name": a.name, "size": a.size, "sha256": a.sha256,
        "url": format!("/api/v1/practices/{}/attachments/{}", a.practice_id, a.id),
    })
}

pub async fn list(State(state): State<AppState>, Query(p): Query<LibraryParams>) -> Result<Json<Value>, ApiError> {
    let items: Vec<Value> = state.app.practices(&p.query()).await?.iter().map(practice).collect();
    Ok(Json(json!({ "items": items })))
}

pub async fn show(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let v = state.app.practice(&actor, id).await?;
    let mut body = practice(&v.record);
    body["body"] = json!(v.record.practice.body);
    body["comment_list"] = json!(
        v.comments
            .iter()
            .map(|c| json!({ "author": c.author_name, "organisation": c.organisation_name, "body": c.body, "created_at": views::iso(&c.created_at) }))
            .collect::<Vec<_>>()
    );
    body["attachments"] = json!(v.attachments.iter().map(attachment).collect::<Vec<_>>());
    Ok(Json(body))
}

pub async fn create(
    State(state): State<AppState>,
    Caller(actor): Caller,
    JsonBody(input): JsonBody<PracticeInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let r = state.app.publish_practice(&actor, &input).await?;
    Ok((StatusCode::CREATED, Json(practice(&r))))
}

/// Multipart, every part under `file`: all are attached, or none.
pub async fn attach(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let added = state.app.attach_to_practice(&actor, id, &mut Files::new(&state.app, multipart, "file")).await?;
    Ok((StatusCode::CREATED, Json(json!({ "attachments": added.iter().map(attachment).collect::<Vec<_>>() }))))
}

pub async fn remove_attachment(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path((id, attachment)): Path<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    state.app.remove_practice_attachment(&actor, id, attachment).await?;
    Ok(StatusCode::NO_CONTENT)
}
