//! `/facilitateur/operations`: operations (contracts grouped under a charter with targets),
//! created by facilitators, who add the contracts of their départements to them.

use app::AppError;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::FieldErrors;
use domain::operation::OperationInput;
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
                targets: match o.spec.target_hours {
                    Some(h) => format!(
                        "{} des heures, {} heures d’insertion",
                        percent::format(o.spec.target_rate_bp),
                        views::count(h)
                    ),
                    None => format!("{} des heures", percent::format(o.spec.target_rate_bp)),
                },
                contracts: o.contracts.len(),
            })
            .collect(),
        contracts: contracts
            .iter()
            .map(|c| {
                (
                    format!("{}-{}", c.consultation_id, c.lot_number),
                    format!("{} — {} (lot {})", c.reference, c.title, c.lot_number),
                )
            })
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

pub async fn create(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = FormData(pairs);
    let input = OperationInput {
        name: f.text("name"),
        charter: f.text("charter"),
        target_rate: f.text("target_rate"),
        target_hours: f.optional("target_hours"),
    };
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
    let parsed = f.text("contract").split_once('-').and_then(|(c, l)| Some((c.parse().ok()?, l.parse().ok()?)));
    let Some((consultation, lot)) = parsed else {
        return page(&state, &actor, OperationInput::default(), {
            let mut e = FieldErrors::default();
            e.push("contract", "Choisissez un contrat.");
            e
        })
        .await;
    };
    match state.app.add_operation_contract(&actor, operation, consultation, lot).await {
        Ok(()) => Ok(Redirect::to("/facilitateur/operations").into_response()),
        Err(AppError::Invalid(e)) => page(&state, &actor, OperationInput::default(), e).await,
        Err(e) => Err(e.into()),
    }
}
