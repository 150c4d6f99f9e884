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

use super::render;
use crate::AppState;
use crate::error::PageError;
use crate::identity::Caller;
use crate::printable::ReceiptView;
use crate::views::Nav;

#[derive(Template)]
#[template(path = "receipt.html")]
struct ReceiptPage {
    nav: Nav,
    r: ReceiptView,
}

fn receipt_page(actor: &Actor, document: &str) -> Result<Response, PageError> {
    Ok(render(&ReceiptPage { nav: Nav::of(actor), r: ReceiptView::parse(document)? }))
}

fn pdf(name: String, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        bytes,
    )
        .into_response()
}

/// The receipt, printable; the same handler serves the page and API routes.
pub async fn receipt_pdf<E: From<AppError> + IntoResponse>(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
) -> Result<Response, E> {
    let view = ReceiptView::parse(&state.app.bid_receipt(&actor, id).await?)?;
    Ok(pdf(format!("accuse-de-reception-{id}.pdf"), view.pdf()))
}

/// The procès-verbal d'ouverture, once the plis are unlocked.
pub async fn opening_report<E: From<AppError> + IntoResponse>(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
) -> Result<Response, E> {
    let view = state.app.opening(&actor, id).await?;
    if !view.unlocked {
        return Err(AppError::Conflict("Le procès-verbal s’établit une fois les plis déverrouillés.".into()).into());
    }
    Ok(pdf(format!("pv-ouverture-{}.pdf", view.consultation.reference), crate::printable::opening_report(&view)))
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
            Redirect::to(&format!("/connexion?suite={}", app::search_query::url_encode(uri.path()))).into_response()
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
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let lot = crate::form::FormData(pairs).optional("lot").and_then(|l| l.parse().ok());
    state.app.open_envelope(&actor, id, &envelope, lot).await?;
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
