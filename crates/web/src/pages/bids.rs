//! Pages of sealed bids: a firm deposits a pli and reads its receipt; a buyer registers the
//! opening key that seals their organisation's consultations.

use app::{Actor, AppError};
use askama::Template;
use axum::Form;
use axum::extract::{Multipart, OriginalUri, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use domain::FieldErrors;
use serde::Deserialize;
use serde_json::Value;

use super::render;
use crate::AppState;
use crate::error::PageError;
use crate::identity::Caller;
use crate::views::Nav;

pub struct ReceiptFile {
    pub envelope: String,
    pub name: String,
    pub size: String,
    pub sha256: String,
}

#[derive(Template)]
#[template(path = "receipt.html")]
struct ReceiptPage {
    nav: Nav,
    bid: i64,
    reference: String,
    title: String,
    consultation: i64,
    buyer: String,
    firm: String,
    siret: String,
    user: String,
    lots: String,
    received: String,
    received_utc: String,
    late: bool,
    files: Vec<ReceiptFile>,
}

fn text(v: &Value, path: &[&str]) -> String {
    let mut v = v;
    for p in path {
        v = &v[*p];
    }
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn receipt_page(actor: &Actor, document: &str) -> Result<Response, PageError> {
    let doc: Value = serde_json::from_str(document).map_err(|e| AppError::Internal(e.to_string()))?;
    let r = &doc["receipt"];
    let received = r["received_at"].as_str().and_then(|s| s.parse::<jiff::Timestamp>().ok());
    let lots: Vec<String> = r["lots"].as_array().into_iter().flatten().map(|l| l.to_string()).collect();
    Ok(render(&ReceiptPage {
        nav: Nav::of(actor),
        bid: r["bid"].as_i64().unwrap_or(0),
        reference: text(r, &["consultation", "reference"]),
        title: text(r, &["consultation", "title"]),
        consultation: r["consultation"]["id"].as_i64().unwrap_or(0),
        buyer: text(r, &["buyer"]),
        firm: text(r, &["depositor", "firm"]),
        siret: text(r, &["depositor", "siret"]),
        user: text(r, &["depositor", "user"]),
        lots: if lots.is_empty() { "Tous (ou lot unique)".into() } else { lots.join(", ") },
        received: received.map(domain::paris_time::format_long).unwrap_or_default(),
        received_utc: text(r, &["received_at"]),
        late: r["late"].as_bool().unwrap_or(false),
        files: r["files"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| ReceiptFile {
                envelope: text(f, &["envelope"]),
                name: text(f, &["name"]),
                size: crate::views::size(&f["size"].as_i64().unwrap_or(0)),
                sha256: text(f, &["sha256"]),
            })
            .collect(),
    }))
}

pub async fn deposit(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let (_, document) = crate::upload::deposit_bid(&state.app, &actor, id, multipart).await?;
    let mut r = receipt_page(&actor, &document)?;
    *r.status_mut() = StatusCode::CREATED;
    Ok(r)
}

pub async fn receipt(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    receipt_page(&actor, &state.app.bid_receipt(&actor, id).await?)
}

pub async fn receipt_file(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let document = state.app.bid_receipt(&actor, id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"accuse-de-reception-{id}.json\"")),
        ],
        document,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "opening_key.html")]
struct OpeningKeyPage {
    nav: Nav,
    current: Option<String>,
    value: String,
    errors: FieldErrors,
}

pub async fn opening_key_form(
    State(state): State<AppState>,
    Caller(actor): Caller,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, PageError> {
    if actor.user().is_none() {
        return Ok(
            Redirect::to(&format!("/connexion?suite={}", crate::search_query::url_encode(uri.path()))).into_response()
        );
    }
    let current = state.app.opening_key(&actor).await?;
    Ok(render(&OpeningKeyPage { nav: Nav::of(&actor), current, value: String::new(), errors: FieldErrors::default() }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct OpeningKeyForm {
    public_key: String,
}

pub async fn opening_key(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Form(form): Form<OpeningKeyForm>,
) -> Result<Response, PageError> {
    match state.app.register_opening_key(&actor, &form.public_key).await {
        Ok(()) => Ok(Redirect::to("/acheteur/cle-ouverture").into_response()),
        Err(AppError::Invalid(errors)) => {
            let current = state.app.opening_key(&actor).await?;
            let mut r = render(&OpeningKeyPage { nav: Nav::of(&actor), current, value: form.public_key, errors });
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct UnlockForm {
    secret: String,
}

pub async fn unlock(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
    Form(form): Form<UnlockForm>,
) -> Result<Response, PageError> {
    state.app.unlock_bids(&actor, id, &form.secret).await?;
    Ok(Redirect::to(&format!("/acheteur/consultations/{id}#depots")).into_response())
}

pub async fn open_envelope(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path((id, envelope)): Path<(i64, String)>,
) -> Result<Response, PageError> {
    state.app.open_envelope(&actor, id, &envelope).await?;
    Ok(Redirect::to(&format!("/acheteur/consultations/{id}#depots")).into_response())
}

/// An opened file, decrypted as it streams; the same handler serves the page and API routes.
pub async fn opened_file<E: From<AppError> + IntoResponse>(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path((bid, index)): Path<(i64, usize)>,
) -> Result<Response, E> {
    let f = state.app.open_bid_file(&actor, bid, index).await?;
    Ok(crate::download::stream(&f.name, f.size, "application/octet-stream", f.file))
}
