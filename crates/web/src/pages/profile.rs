//! The buyer organisation's contact details and review body (`/acheteur/organisation`): read by
//! its buyers, changed by its administrator; official notices need them.

use app::{Actor, AppError};
use askama::Template;
use axum::Form;
use axum::extract::{OriginalUri, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::FieldErrors;
use domain::profile::ProfileInput;

use super::buyer::refusal;
use super::render;
use crate::AppState;
use crate::error::PageError;
use crate::form::FormData;
use crate::identity::Caller;
use crate::views::Nav;

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    nav: Nav,
    organisation: String,
    can_edit: bool,
    p: ProfileInput,
    errors: FieldErrors,
}

/// The form's fields, shared by the page and the API.
pub fn profile_input(f: &FormData) -> ProfileInput {
    ProfileInput {
        phone: f.text("phone"),
        email: f.text("email"),
        postcode: f.text("postcode"),
        town: f.text("town"),
        review_name: f.text("review_name"),
        review_siret: f.text("review_siret"),
        review_postcode: f.text("review_postcode"),
        review_town: f.text("review_town"),
    }
}

async fn page(
    state: &AppState,
    actor: &Actor,
    form: Option<ProfileInput>,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let organisation_id = actor.user().and_then(|u| u.organisation_id).ok_or(AppError::NotFound)?;
    let o = state.app.own_organisation(actor, organisation_id).await?;
    let p = form.unwrap_or_else(|| match &o.profile {
        Some(p) => ProfileInput {
            phone: p.phone.clone(),
            email: p.email.clone(),
            postcode: p.postcode.clone(),
            town: p.town.clone(),
            review_name: p.review.name.clone(),
            review_siret: p.review.siret.to_string(),
            review_postcode: p.review.postcode.clone(),
            review_town: p.review.town.clone(),
        },
        None => ProfileInput::default(),
    });
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let mut r = render(&ProfilePage {
        nav: Nav::of(actor),
        organisation: o.name,
        can_edit: state.app.may_set_profile(actor, organisation_id),
        p,
        errors,
    });
    *r.status_mut() = status;
    Ok(r)
}

pub async fn show(
    State(state): State<AppState>,
    Caller(actor): Caller,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, PageError> {
    if let Some(r) = refusal(&actor, &uri) {
        return Ok(r);
    }
    page(&state, &actor, None, FieldErrors::default()).await
}

pub async fn save(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let input = profile_input(&FormData(f));
    let organisation_id = actor.user().and_then(|u| u.organisation_id).ok_or(AppError::NotFound)?;
    match state.app.set_profile(&actor, organisation_id, &input).await {
        Ok(_) => Ok(Redirect::to("/acheteur").into_response()),
        Err(AppError::Invalid(e)) => page(&state, &actor, Some(input), e).await,
        Err(e) => Err(e.into()),
    }
}
