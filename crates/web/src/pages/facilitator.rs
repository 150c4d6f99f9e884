//! The facilitator's space (`/facilitateur`): the beneficiaries of their départements — list
//! (pseudonymous), new, one person's identity (each reading audited), erasure.

use app::AppError;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::FieldErrors;
use domain::beneficiary::{BeneficiaryInput, Criterion, Diploma, Prescriber, Sex};
use domain::paris_time;

use super::beneficiary_view::BeneficiaryRow;
use super::consultation_form::{Choice, choices};
use super::render;
use crate::AppState;
use crate::error::PageError;
use crate::form::FormData;
use crate::identity::Caller;
use crate::views::Nav;

#[derive(Template)]
#[template(path = "facilitator.html")]
struct Workspace {
    nav: Nav,
    territory: String,
    beneficiaries: Vec<BeneficiaryRow>,
    /// The contracts with a clause to follow (`rows`, for the shared table).
    rows: Vec<super::contracts::ContractRow>,
}

pub async fn workspace(State(state): State<AppState>, Caller(actor): Caller) -> Result<Response, PageError> {
    let beneficiaries = state.app.beneficiaries(&actor, None).await?.iter().map(BeneficiaryRow::of).collect();
    let rows = state.app.clause_contracts(&actor).await?.iter().map(super::contracts::ContractRow::of).collect();
    let territory = actor.user().map(|u| u.departements.join(", ")).unwrap_or_default();
    Ok(render(&Workspace { nav: Nav::of(&actor), territory, beneficiaries, rows }))
}

pub struct BeneficiaryForm {
    pub last_name: String,
    pub first_name: String,
    pub birth_date: String,
    pub contact: String,
    pub sexes: Vec<Choice>,
    pub commune: String,
    pub qpv: bool,
    pub diplomas: Vec<Choice>,
    pub criteria: Vec<Choice>,
    pub prescribers: Vec<Choice>,
    pub retention_until: String,
    pub errors: FieldErrors,
}

impl BeneficiaryForm {
    fn of(f: &FormData, errors: FieldErrors) -> BeneficiaryForm {
        BeneficiaryForm {
            last_name: f.text("last_name"),
            first_name: f.text("first_name"),
            birth_date: f.text("birth_date"),
            contact: f.text("contact"),
            sexes: choices(Sex::ALL, Sex::code, Sex::label, &[f.text("sex")]),
            commune: f.text("commune"),
            qpv: f.get("qpv").is_some(),
            diplomas: choices(Diploma::ALL, Diploma::code, Diploma::label, &[f.text("diploma")]),
            criteria: choices(Criterion::ALL, Criterion::code, Criterion::label, &f.all("criteria")),
            prescribers: choices(Prescriber::ALL, Prescriber::code, Prescriber::label, &[f.text("prescriber")]),
            retention_until: f.text("retention_until"),
            errors,
        }
    }
}

fn beneficiary_input(f: &FormData) -> BeneficiaryInput {
    BeneficiaryInput {
        last_name: f.text("last_name"),
        first_name: f.text("first_name"),
        birth_date: f.text("birth_date"),
        contact: f.text("contact"),
        sex: f.text("sex"),
        commune: f.text("commune"),
        qpv: f.get("qpv").is_some(),
        diploma: f.text("diploma"),
        criteria: f.all("criteria"),
        prescriber: f.text("prescriber"),
        retention_until: f.text("retention_until"),
    }
}

#[derive(Template)]
#[template(path = "beneficiary_form.html")]
struct NewPage {
    nav: Nav,
    territory: String,
    form: BeneficiaryForm,
}

fn new_page(nav: Nav, territory: Vec<String>, form: BeneficiaryForm, status: StatusCode) -> Response {
    let mut r = render(&NewPage { nav, territory: territory.join(", "), form });
    *r.status_mut() = status;
    r
}

pub async fn new_form(State(state): State<AppState>, Caller(actor): Caller) -> Result<Response, PageError> {
    let territory = state.app.facilitator_territory(&actor)?;
    let form = BeneficiaryForm::of(&FormData(vec![]), FieldErrors::default());
    Ok(new_page(Nav::of(&actor), territory, form, StatusCode::OK))
}

pub async fn create(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let data = FormData(pairs);
    match state.app.create_beneficiary(&actor, &beneficiary_input(&data)).await {
        Ok(_) => Ok(Redirect::to("/facilitateur#beneficiaires").into_response()),
        Err(AppError::Invalid(errors)) => {
            let territory = actor.user().map(|u| u.departements.clone()).unwrap_or_default();
            let form = BeneficiaryForm::of(&data, errors);
            Ok(new_page(Nav::of(&actor), territory, form, StatusCode::UNPROCESSABLE_ENTITY))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "beneficiary.html")]
struct Detail {
    nav: Nav,
    b: BeneficiaryRow,
    name: String,
    birth_date: String,
    contact: String,
}

/// One person with their identity: the reading is audited.
pub async fn show(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let (b, identity) = state.app.beneficiary_identity(&actor, id).await?;
    Ok(render(&Detail {
        nav: Nav::of(&actor),
        b: BeneficiaryRow::of(&b),
        name: format!("{} {}", identity.first_name, identity.last_name),
        birth_date: paris_time::format_day(identity.birth_date),
        contact: identity.contact.unwrap_or_else(|| "Non communiqué".into()),
    }))
}

pub async fn delete(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    state.app.delete_beneficiary(&actor, id).await?;
    Ok(Redirect::to("/facilitateur#beneficiaires").into_response())
}
