//! `GET`/`POST /api/v1/practices` and `GET /api/v1/practices/{id}`: the library of good
//! practices.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use domain::practice::PracticeInput;
use serde_json::{Value, json};
use store::PracticeRecord;

use super::body::JsonBody;
use crate::AppState;
use crate::error::ApiError;
use crate::identity::Caller;
use crate::pages::library::LibraryParams;
use crate::views;

fn practice(r: &PracticeRecord) -> Value {
    let p = &r.practice;
    json!({
        "id": r.id, "kind": p.kind.code(), "title": p.title, "legal_basis": p.legal_basis.map(|b| b.code()),
        "cpv": p.cpv, "author": r.author_name, "organisation": r.organisation_name, "uses": r.uses,
        "comments": r.comments, "featured": r.featured, "created_at": views::iso(&r.created_at),
    })
}

pub async fn list(State(state): State<AppState>, Query(p): Query<LibraryParams>) -> Result<Json<Value>, ApiError> {
    let items: Vec<Value> = state.app.practices(&p.query()).await?.iter().map(practice).collect();
    Ok(Json(json!({ "items": items })))
}

pub async fn show(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Json<Value>, ApiError> {
    let (r, comments) = state.app.practice(id).await?;
    let mut body = practice(&r);
    body["body"] = json!(r.practice.body);
    body["comment_list"] = json!(
        comments
            .iter()
            .map(|c| json!({ "author": c.author_name, "organisation": c.organisation_name, "body": c.body, "created_at": views::iso(&c.created_at) }))
            .collect::<Vec<_>>()
    );
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
