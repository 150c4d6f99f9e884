//! `/facilitateur/operations`: operations (contracts grouped under a charter with targets),
//! created by facilitators, who add the contracts of their départements to them and take them
//! out; the facilitator who created one changes or deletes it on its page.

use app::{AppError, OperationView};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::FieldErrors;
use domain::operation::{OperationInput, OperationSpec};
use domain::percent;

use super::render;
use crate::AppState;
use crate::error::PageError;
use crate::form::FormData;
use crate::identity::Caller;
use crate::views::{self, Nav};

pub struct OperationRow {
    pub id: i64,
    pub name: String,
    pub charter: String,
    pub targets: String,
    pub contracts: usize,
}

fn targets(o: &OperationSpec) -> String {
    let mut t = format!("{} des heures", percent::format(o.target_rate_bp));
    if let Some(h) = o.target_hours {
        t.push_str(&format!(", {} heures d’insertion", views::count(h)));
    }
    if let Some(bp) = o.target_sme_bp {
        t.push_str(&format!(", {} du montant aux TPE et PME", percent::format(bp)));
    }
    t
}

/// "consultation-lot", the value of a contract in the forms.
fn contract_value(c: &store::ClauseContract) -> String {
    format!("{}-{}", c.consultation_id, c.lot_number)
}

fn chosen_contract(f: &FormData) -> Option<(i64, i64)> {
    f.text("contract").split_once('-').and_then(|(c, l)| Some((c.parse().ok()?, l.parse().ok()?)))
}

fn choose_a_contract() -> FieldErrors {
    let mut e = FieldErrors::default();
    e.push("contract", "Choisissez un contrat.");
    e
}

#[derive(Template)]
#[template(path = "operations.html")]
struct Page {
    nav: Nav,
    operations: Vec<OperationRow>,
    /// ("consultation-lot", label).
    contracts: Vec<(String, String)>,
    form: OperationInput,
    errors: FieldErrors,
}

async fn page(
    state: &AppState,
    actor: &app::Actor,
    form: OperationInput,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let (operations, contracts) = state.app.operations_workspace(actor).await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let mut r = render(&Page {
        nav: Nav::of(actor),
        operations: operations
            .iter()
            .map(|o| OperationRow {
                id: o.id,
                name: o.spec.name.clone(),
                charter: o.spec.charter.clone(),
                targets: targets(&o.spec),
                contracts: o.contracts.len(),
            })
            .collect(),
        contracts: contracts
            .iter()
            .map(|c| (contract_value(c), format!("{} — {} (lot {})", c.reference, c.title, c.lot_number)))
            .collect(),
        form,
        errors,
    });
    *r.status_mut() = status;
    Ok(r)
}

pub async fn show(State(state): State<AppState>, Caller(actor): Caller) -> Result<Response, PageError> {
    page(&state, &actor, OperationInput::default(), FieldErrors::default()).await
}

fn operation_input(f: &FormData) -> OperationInput {
    OperationInput {
        name: f.text("name"),
        charter: f.text("charter"),
        target_rate: f.text("target_rate"),
        target_hours: f.optional("target_hours"),
        target_sme_share: f.optional("target_sme_share"),
    }
}

pub async fn create(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let input = operation_input(&FormData(pairs));
    match state.app.create_operation(&actor, &input).await {
        Ok(_) => Ok(Redirect::to("/facilitateur/operations").into_response()),
        Err(AppError::Invalid(e)) => page(&state, &actor, input, e).await,
        Err(e) => Err(e.into()),
    }
}

/// `contract` is "consultation-lot".
pub async fn add_contract(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(operation): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = FormData(pairs);
    let Some((consultation, lot)) = chosen_contract(&f) else {
        return page(&state, &actor, OperationInput::default(), choose_a_contract()).await;
    };
    match state.app.add_operation_contract(&actor, operation, consultation, lot).await {
        Ok(()) => Ok(Redirect::to("/facilitateur/operations").into_response()),
        Err(AppError::Invalid(e)) => page(&state, &actor, OperationInput::default(), e).await,
        Err(e) => Err(e.into()),
    }
}

pub struct OperationContract {
    pub value: String,
    pub label: String,
    pub link: String,
    /// The facilitator follows it: they open it and may take it out.
    pub followed: bool,
}

#[derive(Template)]
#[template(path = "operation.html")]
struct OnePage {
    nav: Nav,
    id: i64,
    name: String,
    targets: String,
    charter: String,
    contracts: Vec<OperationContract>,
    editable: bool,
    form: OperationInput,
    errors: FieldErrors,
}

fn one_page(actor: &app::Actor, v: &OperationView, form: Option<OperationInput>, errors: FieldErrors) -> Response {
    let o = &v.operation;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let mut r = render(&OnePage {
        nav: Nav::of(actor),
        id: o.id,
        name: o.spec.name.clone(),
        targets: targets(&o.spec),
        charter: o.spec.charter.clone(),
        contracts: v
            .contracts
            .iter()
            .map(|(c, followed)| OperationContract {
                value: contract_value(c),
                label: format!("{} — {} (lot {}), {}", c.reference, c.title, c.lot_number, c.organisation_name),
                link: format!("/clauses/contrats/{}/{}", c.consultation_id, c.lot_number),
                followed: *followed,
            })
            .collect(),
        editable: v.editable,
        form: form.unwrap_or_else(|| OperationInput {
            name: o.spec.name.clone(),
            charter: o.spec.charter.clone(),
            target_rate: views::percent_input(o.spec.target_rate_bp),
            target_hours: o.spec.target_hours.map(|h| h.to_string()),
            target_sme_share: o.spec.target_sme_bp.map(views::percent_input),
        }),
        errors,
    });
    *r.status_mut() = status;
    r
}

pub async fn show_one(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let v = state.app.operation_workspace(&actor, id).await?;
    Ok(one_page(&actor, &v, None, FieldErrors::default()))
}

pub async fn update(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let input = operation_input(&FormData(pairs));
    match state.app.update_operation(&actor, id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/facilitateur/operations/{id}")).into_response()),
        Err(AppError::Invalid(e)) => {
            let v = state.app.operation_workspace(&actor, id).await?;
            Ok(one_page(&actor, &v, Some(input), e))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn delete(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    state.app.delete_operation(&actor, id).await?;
    Ok(Redirect::to("/facilitateur/operations").into_response())
}

/// `contract` is "consultation-lot".
pub async fn remove_contract(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let Some((consultation, lot)) = chosen_contract(&FormData(pairs)) else {
        return Err(AppError::Invalid(choose_a_contract()).into());
    };
    state.app.remove_operation_contract(&actor, id, consultation, lot).await?;
    Ok(Redirect::to(&format!("/facilitateur/operations/{id}")).into_response())
}
