//! The platform administrator: buyer organisations and accounts.

use app::{Actor, AppError, NewBuyerOrganisation};
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::FieldErrors;
use domain::organisation::{BuyerKind, OrgRole};
use domain::role::Role;

use super::render;
use crate::AppState;
use crate::error::PageError;
use crate::form::FormData;
use crate::identity::Caller;
use crate::views::Nav;

pub struct OrgRow {
    pub name: String,
    pub siret: String,
    pub kind: &'static str,
    pub departement: String,
}

pub struct UserRow {
    pub email: String,
    pub name: String,
    pub role: &'static str,
    pub organisation: String,
}

pub struct Choice {
    pub value: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage {
    nav: Nav,
    organisations: Vec<OrgRow>,
    users: Vec<UserRow>,
    kinds: Vec<Choice>,
    roles: Vec<Choice>,
    org_choices: Vec<Choice>,
    departements: Vec<Choice>,
    org_errors: FieldErrors,
    account_errors: FieldErrors,
}

async fn page(
    state: &AppState,
    actor: &Actor,
    org_errors: FieldErrors,
    account_errors: FieldErrors,
) -> Result<Response, PageError> {
    let buyers = state.app.organisations(actor, OrgRole::Acheteur).await?;
    let firms = state.app.organisations(actor, OrgRole::Entreprise).await?;
    let users = state.app.users(actor).await?;
    let status = if org_errors.is_empty() && account_errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut r = render(&AdminPage {
        nav: Nav::of(actor),
        organisations: buyers
            .iter()
            .map(|o| OrgRow {
                name: o.name.clone(),
                siret: o.siret.clone(),
                kind: o.kind.map(|k| k.label()).unwrap_or(""),
                departement: o.departement.clone(),
            })
            .collect(),
        users: users
            .iter()
            .map(|u| UserRow {
                email: u.email.clone(),
                name: u.name.clone(),
                role: u.role.label(),
                organisation: u.organisation_name.clone().unwrap_or_else(|| u.departements.join(", ")),
            })
            .collect(),
        kinds: BuyerKind::ALL.iter().map(|k| Choice { value: k.code().into(), label: k.label().into() }).collect(),
        roles: Role::ALL.iter().map(|r| Choice { value: r.code().into(), label: r.label().into() }).collect(),
        org_choices: buyers
            .iter()
            .chain(firms.iter())
            .map(|o| Choice { value: o.id.to_string(), label: format!("{} ({})", o.name, o.siret) })
            .collect(),
        departements: domain::geo::DEPARTEMENTS
            .iter()
            .map(|d| Choice { value: d.code.into(), label: format!("{} ({})", d.name, d.code) })
            .collect(),
        org_errors,
        account_errors,
    });
    *r.status_mut() = status;
    Ok(r)
}

pub async fn dashboard(State(state): State<AppState>, Caller(actor): Caller) -> Result<Response, PageError> {
    page(&state, &actor, FieldErrors::default(), FieldErrors::default()).await
}

pub async fn create_organisation(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = FormData(f);
    let input = NewBuyerOrganisation {
        name: f.text("name"),
        siret: f.text("siret"),
        kind: f.text("kind"),
        departement: f.text("departement"),
        address: f.optional("address"),
    };
    match state.app.create_buyer_organisation(&actor, &input).await {
        Ok(_) => Ok(Redirect::to("/admin").into_response()),
        Err(AppError::Invalid(e)) => page(&state, &actor, e, FieldErrors::default()).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn create_account(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let input = crate::form::account_input(&FormData(f), None);
    match state.app.create_account(&actor, &input).await {
        Ok(_) => Ok(Redirect::to("/admin").into_response()),
        Err(AppError::Invalid(e)) => page(&state, &actor, FieldErrors::default(), e).await,
        Err(e) => Err(e.into()),
    }
}
