use app::{AppError, StatusChange};
use axum::Json;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::consultation::{AmountInput, ConsultationInput, LotInput};
use domain::criteria::CriterionInput;
use serde::Deserialize;
use serde_json::{Value, json};

use super::body::JsonBody;
use super::render;
use crate::AppState;
use crate::error::ApiError;
use crate::identity::Caller;
use app::search_query::SearchQuery;

#[derive(Deserialize)]
pub struct PageQuery {
    #[serde(flatten)]
    search: SearchQuery,
    per_page: Option<String>,
}

pub async fn search(State(state): State<AppState>, Query(q): Query<PageQuery>) -> Result<Json<Value>, ApiError> {
    let checked = q.search.check().map_err(AppError::Invalid)?;
    let per_page = q.per_page.and_then(|p| p.parse::<i64>().ok()).unwrap_or(20).clamp(1, 100);
    let found = state.app.search(&checked.filter, checked.query(per_page)).await?;
    Ok(Json(render::found(&found, checked.page, per_page, state.app.now())))
}

pub async fn show(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(render::consultation(&state.app.consultation(&actor, id).await?)))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LotBody {
    title: String,
    cpv: Option<String>,
    estimated_value_cents: Option<i64>,
}

/// The body of `POST /api/v1/consultations` and `PUT /api/v1/consultations/{id}`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ConsultationBody {
    title: String,
    object: String,
    nature: String,
    procedure: String,
    cpv: String,
    cpv_additional: Vec<String>,
    departement: String,
    commune: Option<String>,
    estimated_value_cents: Option<i64>,
    questions_deadline: Option<String>,
    bid_deadline: String,
    contact: Option<String>,
    social_considerations: Vec<String>,
    environmental_considerations: Vec<String>,
    lots: Vec<LotBody>,
    criteria: Vec<CriterionBody>,
    tender_validity_days: Option<i64>,
    /// Required to change a published consultation.
    reason: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CriterionBody {
    kind: String,
    name: String,
    weight: Option<i64>,
}

impl ConsultationBody {
    fn input(&self) -> ConsultationInput {
        ConsultationInput {
            title: self.title.clone(),
            object: self.object.clone(),
            nature: self.nature.clone(),
            procedure: self.procedure.clone(),
            cpv: self.cpv.clone(),
            cpv_additional: self.cpv_additional.clone(),
            place: self.commune.clone().filter(|c| !c.trim().is_empty()).unwrap_or_else(|| self.departement.clone()),
            estimated_value: self.estimated_value_cents.map(AmountInput::Cents),
            questions_deadline: self.questions_deadline.clone(),
            bid_deadline: self.bid_deadline.clone(),
            contact: self.contact.clone(),
            social: self.social_considerations.clone(),
            environmental: self.environmental_considerations.clone(),
            lots: self
                .lots
                .iter()
                .map(|l| LotInput {
                    title: l.title.clone(),
                    cpv: l.cpv.clone(),
                    estimated_value: l.estimated_value_cents.map(AmountInput::Cents),
                })
                .collect(),
            criteria: self
                .criteria
                .iter()
                .map(|c| CriterionInput {
                    kind: c.kind.clone(),
                    name: c.name.clone(),
                    weight: c.weight.map(|w| w.to_string()),
                })
                .collect(),
            tender_validity_days: self.tender_validity_days.map(|d| d.to_string()),
        }
    }

    /// The API names fields as its body does.
    fn rename_fields(&self, e: AppError) -> AppError {
        match e {
            AppError::Invalid(mut errors) => {
                for f in &mut errors.0 {
                    f.field = match f.field.as_str() {
                        "place" if self.commune.as_deref().is_some_and(|c| !c.trim().is_empty()) => "commune".into(),
                        "place" => "departement".into(),
                        "social" => "social_considerations".into(),
                        "environmental" => "environmental_considerations".into(),
                        "estimated_value" => "estimated_value_cents".into(),
                        other => other.replace("estimated_value", "estimated_value_cents"),
                    };
                }
                AppError::Invalid(errors)
            }
            other => other,
        }
    }
}

async fn view(state: &AppState, actor: &app::Actor, id: i64) -> Result<Value, ApiError> {
    Ok(render::consultation(&state.app.consultation(actor, id).await?))
}

pub async fn create(
    State(state): State<AppState>,
    Caller(actor): Caller,
    JsonBody(body): JsonBody<ConsultationBody>,
) -> Result<Response, ApiError> {
    let c = state.app.create_consultation(&actor, &body.input()).await.map_err(|e| body.rename_fields(e))?;
    Ok((StatusCode::CREATED, Json(view(&state, &actor, c.id).await?)).into_response())
}

pub async fn update(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<ConsultationBody>,
) -> Result<Json<Value>, ApiError> {
    state
        .app
        .update_consultation(&actor, id, &body.input(), body.reason.as_deref())
        .await
        .map_err(|e| body.rename_fields(e))?;
    Ok(Json(view(&state, &actor, id).await?))
}

pub async fn publish(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    state.app.publish_consultation(&actor, id).await?;
    Ok(Json(view(&state, &actor, id).await?))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StatusBody {
    status: String,
}

pub async fn status(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<StatusBody>,
) -> Result<Json<Value>, ApiError> {
    state.app.change_status(&actor, id, StatusChange::parse(&body.status)?).await?;
    Ok(Json(view(&state, &actor, id).await?))
}

pub async fn upload(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, ApiError> {
    let added = crate::upload::add_files(&state.app, &actor, id, multipart, "file").await?;
    let documents: Vec<Value> = added
        .iter()
        .map(|d| json!({ "id": d.id, "name": d.name, "size": d.size, "sha256": d.sha256, "dce_version": d.added_version }))
        .collect();
    Ok((StatusCode::CREATED, Json(json!({ "documents": documents }))).into_response())
}

pub async fn downloads(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let register = state.app.download_register(&actor, id).await?;
    Ok(Json(json!({ "items": register.iter().map(render::download).collect::<Vec<_>>() })))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct QuestionBody {
    question: String,
}

pub async fn ask(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<QuestionBody>,
) -> Result<Response, ApiError> {
    let qid = state.app.ask_question(&actor, id, &body.question).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": qid }))).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AnswerBody {
    answer: String,
}

pub async fn answer(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<AnswerBody>,
) -> Result<Json<Value>, ApiError> {
    let consultation = state.app.answer_question(&actor, id, &body.answer).await?;
    Ok(Json(json!({ "id": id, "consultation_id": consultation })))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PartyBody {
    siret: String,
    name: String,
    amount_cents: Option<i64>,
}

impl PartyBody {
    fn input(&self) -> domain::award::PartyInput {
        domain::award::PartyInput {
            siret: self.siret.clone(),
            name: self.name.clone(),
            amount: self.amount_cents.map(AmountInput::Cents),
        }
    }
}

/// The body of `POST /api/v1/consultations/{id}/awards`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AwardBody {
    lot: Option<i64>,
    titulaire: PartyBody,
    cotraitants: Vec<PartyBody>,
    sous_traitants: Vec<PartyBody>,
    grouping: Option<String>,
    amount_cents: Option<i64>,
    notified_on: String,
    duration_months: Option<i64>,
    price_form: String,
    price_types: Vec<String>,
    techniques: Vec<String>,
    modalities: Vec<String>,
    ccag: String,
    innovative: bool,
    advance: bool,
    advance_percent: Option<f64>,
    offers_received: Option<i64>,
}

pub async fn award(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<AwardBody>,
) -> Result<Response, ApiError> {
    let input = domain::award::AwardInput {
        lot: b.lot,
        titulaire: b.titulaire.input(),
        cotraitants: b.cotraitants.iter().map(PartyBody::input).collect(),
        sous_traitants: b.sous_traitants.iter().map(PartyBody::input).collect(),
        grouping: b.grouping.clone(),
        amount: b.amount_cents.map(AmountInput::Cents),
        notified_on: b.notified_on.clone(),
        duration_months: b.duration_months,
        price_form: b.price_form.clone(),
        price_types: b.price_types.clone(),
        techniques: b.techniques.clone(),
        modalities: b.modalities.clone(),
        ccag: b.ccag.clone(),
        innovative: b.innovative,
        advance: b.advance,
        advance_percent: b.advance_percent.map(|p| p.to_string()),
        offers_received: b.offers_received,
    };
    state.app.award(&actor, id, &input).await.map_err(|e| match e {
        AppError::Invalid(mut errors) => {
            for f in &mut errors.0 {
                f.field = f
                    .field
                    .replace(".amount", ".amount_cents")
                    .replace("amount", "amount_cents")
                    .replace("_cents_cents", "_cents");
            }
            AppError::Invalid(errors)
        }
        other => other,
    })?;
    Ok((StatusCode::CREATED, Json(view(&state, &actor, id).await?)).into_response())
}
