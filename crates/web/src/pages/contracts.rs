//! Contracts with a social clause (`/clauses/contrats`): the list (a facilitator's départements,
//! or a firm's own), and one contract's page — commitment, placements, monthly hours (form or
//! CSV file) and their validation, progress against the required hours.

use app::{AppError, ContractRole, ContractView};
use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::FieldErrors;
use domain::hours_report::{self, ReportStatus};
use domain::paris_time;
use domain::penalty::{PenaltyInput, PenaltyReason, PenaltyStatus};
use domain::placement::{ContractType, Outcome, OutcomeTime, PlacementInput};
use store::ClauseContract;

use super::consultation_form::{Choice, choices};
use super::render;
use crate::AppState;
use crate::error::PageError;
use crate::form::FormData;
use crate::identity::Caller;
use crate::views::{self, Nav};

pub struct ContractRow {
    pub link: String,
    pub reference: String,
    pub title: String,
    pub lot: String,
    pub buyer: String,
    pub titulaire: String,
    pub departement: String,
    pub progress: String,
}

/// "412 heures validées sur 833 (49 %)".
fn progress(validated: i64, required: Option<i64>) -> String {
    match required {
        Some(r) if r > 0 => format!(
            "{} heures validées sur {} ({}\u{a0}%)",
            views::count(validated),
            views::count(r),
            validated * 100 / r
        ),
        _ => format!("{} heures validées", views::count(validated)),
    }
}

impl ContractRow {
    pub fn of(c: &ClauseContract) -> ContractRow {
        ContractRow {
            link: format!("/clauses/contrats/{}/{}", c.consultation_id, c.lot_number),
            reference: c.reference.clone(),
            title: c.title.clone(),
            lot: match &c.lot_title {
                Some(t) => format!("Lot {} — {t}", c.lot_number),
                None => "Marché entier".into(),
            },
            buyer: c.organisation_name.clone(),
            titulaire: format!("{} (SIRET {})", c.titulaire_name, c.titulaire_siret),
            departement: views::departement_name(&c.facilitator_departement),
            progress: progress(c.validated_hours, c.required_hours),
        }
    }
}

#[derive(Template)]
#[template(path = "clause_contracts.html")]
struct ListPage {
    nav: Nav,
    rows: Vec<ContractRow>,
}

pub async fn list(State(state): State<AppState>, Caller(actor): Caller) -> Result<Response, PageError> {
    let rows = state.app.clause_contracts(&actor).await?.iter().map(ContractRow::of).collect();
    Ok(render(&ListPage { nav: Nav::of(&actor), rows }))
}

pub struct PlacementRow {
    pub id: i64,
    pub beneficiary: i64,
    pub employer: String,
    pub way: &'static str,
    pub contract_type: &'static str,
    pub dates: String,
    pub outcome_end: &'static str,
    pub outcome_six_months: &'static str,
}

pub struct PenaltyRow {
    pub id: i64,
    pub reason: &'static str,
    pub hours_missing: String,
    pub amount: String,
    pub note: String,
    pub status: &'static str,
    pub dates: String,
    pub to_decide: bool,
}

impl PenaltyRow {
    fn of(p: &store::Penalty) -> PenaltyRow {
        let day = |t| paris_time::format_date(t);
        PenaltyRow {
            id: p.id,
            reason: p.spec.reason.label(),
            hours_missing: p.spec.hours_missing.map(views::count).unwrap_or_else(|| "—".into()),
            amount: p.spec.amount.format_ht(),
            note: p.spec.note.clone(),
            status: p.status.label(),
            dates: match p.decided_at {
                Some(d) => format!("proposée le {}, décidée le {}", day(p.proposed_at), day(d)),
                None => format!("proposée le {}", day(p.proposed_at)),
            },
            to_decide: p.status == PenaltyStatus::Proposee,
        }
    }
}

pub struct ReportRow {
    pub id: i64,
    pub placement: i64,
    pub month: String,
    pub hours: i64,
    pub status: &'static str,
    pub to_decide: bool,
}

#[derive(Template)]
#[template(path = "clause_contract.html")]
struct ContractPage {
    nav: Nav,
    c: ContractRow,
    base: String,
    clause: super::clause_view::ClauseRow,
    is_facilitator: bool,
    is_titulaire: bool,
    is_buyer: bool,
    commitment: Option<String>,
    penalties: Vec<PenaltyRow>,
    penalty_reasons: Vec<Choice>,
    /// The penalty form: as typed when refused, else the hours still missing.
    penalty: PenaltyInput,
    placements: Vec<PlacementRow>,
    reports: Vec<ReportRow>,
    beneficiaries: Vec<(i64, String)>,
    ways: Vec<Choice>,
    contract_types: Vec<Choice>,
    this_month: String,
    notice: Option<String>,
    errors: FieldErrors,
    outcome_times: Vec<Choice>,
    outcomes: Vec<Choice>,
}

fn contract_page(
    actor: &app::Actor,
    v: &ContractView,
    now: jiff::Timestamp,
    notice: Option<String>,
    errors: FieldErrors,
    penalty: Option<PenaltyInput>,
) -> Response {
    let c = &v.contract;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let day = |d: jiff::civil::Date| paris_time::format_day(d);
    let mut r = render(&ContractPage {
        nav: Nav::of(actor),
        c: ContractRow::of(c),
        base: format!("/clauses/contrats/{}/{}", c.consultation_id, c.lot_number),
        clause: super::clause_view::ClauseRow::of(&v.clause, c.lot_title.as_deref()),
        is_facilitator: v.role == ContractRole::Facilitator,
        is_titulaire: v.role == ContractRole::Titulaire,
        is_buyer: v.role == ContractRole::Buyer,
        commitment: v.commitment.as_ref().map(|m| m.body.clone()),
        penalties: v.penalties.iter().map(PenaltyRow::of).collect(),
        penalty_reasons: choices(
            PenaltyReason::ALL,
            PenaltyReason::code,
            PenaltyReason::label,
            &penalty.as_ref().map(|p| vec![p.reason.clone()]).unwrap_or_default(),
        ),
        penalty: penalty.unwrap_or_else(|| PenaltyInput {
            hours_missing: c
                .required_hours
                .map(|r| r - c.validated_hours)
                .filter(|h| *h > 0)
                .map(|h| h.to_string())
                .unwrap_or_default(),
            ..PenaltyInput::default()
        }),
        placements: v
            .placements
            .iter()
            .map(|p| PlacementRow {
                id: p.id,
                beneficiary: p.spec.beneficiary_id,
                employer: format!("{} (SIRET {})", p.spec.employer_name, p.spec.employer_siret),
                way: p.spec.way.label(),
                contract_type: p.spec.contract_type.label(),
                dates: match p.spec.end_on {
                    Some(end) => format!("du {} au {}", day(p.spec.start_on), day(end)),
                    None => format!("depuis le {}", day(p.spec.start_on)),
                },
                outcome_end: p.outcome_end.map_or("—", |o| o.label()),
                outcome_six_months: p.outcome_six_months.map_or("—", |o| o.label()),
            })
            .collect(),
        reports: v
            .reports
            .iter()
            .map(|r| ReportRow {
                id: r.id,
                placement: r.placement_id,
                month: hours_report::format_month(r.month),
                hours: r.hours,
                status: r.status.label(),
                to_decide: r.status == ReportStatus::Declaree,
            })
            .collect(),
        beneficiaries: v
            .beneficiaries
            .iter()
            .map(|b| (b.id, format!("n° {} — {}, né(e) en {}", b.id, b.profile.sex.label(), b.profile.birth_year)))
            .collect(),
        ways: v.clause.spec.ways.iter().map(|w| Choice { value: w.code(), label: w.label(), checked: false }).collect(),
        contract_types: choices(ContractType::ALL, ContractType::code, ContractType::label, &[]),
        this_month: paris_time::today(now).strftime("%Y-%m").to_string(),
        notice,
        errors,
        outcome_times: choices(OutcomeTime::ALL, OutcomeTime::code, OutcomeTime::label, &[]),
        outcomes: choices(Outcome::ALL, Outcome::code, Outcome::label, &[]),
    });
    *r.status_mut() = status;
    r
}

pub async fn show(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path((id, lot)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    let v = state.app.clause_contract(&actor, id, lot).await?;
    Ok(contract_page(&actor, &v, state.app.now(), None, FieldErrors::default(), None))
}

/// After a refused form: the page again, with what went wrong.
async fn refused(state: &AppState, actor: &app::Actor, id: i64, lot: i64, e: AppError) -> Result<Response, PageError> {
    match e {
        AppError::Invalid(errors) => {
            let v = state.app.clause_contract(actor, id, lot).await?;
            Ok(contract_page(actor, &v, state.app.now(), None, errors, None))
        }
        other => Err(other.into()),
    }
}

fn back(id: i64, lot: i64, anchor: &str) -> Response {
    Redirect::to(&format!("/clauses/contrats/{id}/{lot}#{anchor}")).into_response()
}

pub async fn commitment(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path((id, lot)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = FormData(pairs);
    match state.app.set_commitment(&actor, id, lot, &f.text("commitment")).await {
        Ok(()) => Ok(back(id, lot, "engagement")),
        Err(e) => refused(&state, &actor, id, lot, e).await,
    }
}

pub async fn add_placement(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path((id, lot)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = FormData(pairs);
    let input = PlacementInput {
        beneficiary_id: f.optional("beneficiary_id").and_then(|b| b.parse().ok()),
        employer_siret: f.text("employer_siret"),
        employer_name: f.text("employer_name"),
        way: f.text("way"),
        contract_type: f.text("contract_type"),
        start_on: f.text("start_on"),
        end_on: f.text("end_on"),
    };
    match state.app.add_placement(&actor, id, lot, &input).await {
        Ok(_) => Ok(back(id, lot, "placements")),
        Err(e) => refused(&state, &actor, id, lot, e).await,
    }
}

pub async fn report_hours(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path((id, lot)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = FormData(pairs);
    match state.app.report_hours(&actor, id, lot, &f.text("placement"), &f.text("month"), &f.text("hours")).await {
        Ok(()) => Ok(back(id, lot, "heures")),
        Err(e) => refused(&state, &actor, id, lot, e).await,
    }
}

/// The CSV file, read whole (the request body is capped small) and handed over as text.
pub async fn import_hours(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path((id, lot)): Path<(i64, i64)>,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    let mut text = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| AppError::field("file", format!("Envoi illisible : {}", e.body_text())))?
    {
        if field.name() == Some("fichier") {
            let bytes = field
                .bytes()
                .await
                .map_err(|e| AppError::field("file", format!("Envoi illisible : {}", e.body_text())))?;
            text = Some(
                String::from_utf8(bytes.to_vec())
                    .map_err(|_| AppError::field("file", "Le fichier doit être un CSV encodé en UTF-8."))?,
            );
        }
    }
    let Some(text) = text else {
        return refused(&state, &actor, id, lot, AppError::field("file", "Choisissez un fichier CSV.")).await;
    };
    match state.app.import_hours(&actor, id, lot, &text).await {
        Ok(n) => {
            let v = state.app.clause_contract(&actor, id, lot).await?;
            let notice =
                format!("{n} ligne{} d’heures importée{}.", if n > 1 { "s" } else { "" }, if n > 1 { "s" } else { "" });
            Ok(contract_page(&actor, &v, state.app.now(), Some(notice), FieldErrors::default(), None))
        }
        Err(e) => refused(&state, &actor, id, lot, e).await,
    }
}

/// A decision's last path segment: its two words, any other is no page.
fn yes_or_no(word: &str, yes: &str, no: &str) -> Result<bool, PageError> {
    match word {
        w if w == yes => Ok(true),
        w if w == no => Ok(false),
        _ => Err(AppError::NotFound.into()),
    }
}

pub async fn decide(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path((report, decision)): Path<(i64, String)>,
) -> Result<Response, PageError> {
    let (id, lot) = state.app.decide_hours(&actor, report, yes_or_no(&decision, "valider", "refuser")?).await?;
    Ok(back(id, lot, "heures"))
}

/// A facilitator notes where a beneficiary stands at the end of a placement or six months later.
pub async fn outcome(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = FormData(f);
    let placement = f.text("placement").trim().parse::<i64>().map_err(|_| AppError::NotFound)?;
    let (id, lot) = state.app.record_outcome(&actor, placement, &f.text("moment"), &f.text("situation")).await?;
    Ok(back(id, lot, "placements"))
}

/// A facilitator of the contract, or its buyer, proposes a penalty.
pub async fn propose_penalty(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path((id, lot)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = FormData(pairs);
    let input = PenaltyInput {
        reason: f.text("reason"),
        hours_missing: f.text("hours_missing"),
        per_hour: f.text("per_hour"),
        amount: f.text("amount"),
        note: f.text("note"),
    };
    match state.app.propose_penalty(&actor, id, lot, &input).await {
        Ok(_) => Ok(back(id, lot, "penalites")),
        Err(AppError::Invalid(errors)) => {
            let v = state.app.clause_contract(&actor, id, lot).await?;
            Ok(contract_page(&actor, &v, state.app.now(), None, errors, Some(input)))
        }
        Err(e) => Err(e.into()),
    }
}

/// The buyer applies or waives a proposed penalty.
pub async fn decide_penalty(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path((penalty, decision)): Path<(i64, String)>,
) -> Result<Response, PageError> {
    let apply = yes_or_no(&decision, "appliquer", "abandonner")?;
    let (id, lot) = state.app.decide_penalty(&actor, penalty, apply).await?;
    Ok(back(id, lot, "penalites"))
}
