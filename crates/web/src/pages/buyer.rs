//! The buyer's space: their organisation's consultations, the form, the DCE, the registers,
//! the questions, publication and outcome.

use app::{Actor, AppError, StatusChange};
use askama::Template;
use axum::Form;
use axum::extract::{Multipart, OriginalUri, Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use domain::FieldErrors;
use domain::consultation::Phase;
use domain::role::Role;
use serde::Deserialize;

use super::consultation_form::ConsultationForm;
use super::public::{Detail, Row};
use super::render;
use crate::AppState;
use crate::error::PageError;
use crate::form::{FormData, consultation_input};
use crate::identity::Caller;
use crate::views::{self, Nav};

/// Pages of this space need a signed-in buyer: the response for anyone else (sign in
/// first, or refused).
pub(super) fn refusal(actor: &Actor, uri: &Uri) -> Option<Response> {
    match actor.user() {
        None => Some(
            Redirect::to(&format!("/connexion?suite={}", app::search_query::url_encode(uri.path()))).into_response(),
        ),
        Some(u) if u.role.is_buyer() => None,
        Some(_) => {
            Some(PageError(AppError::Forbidden("Cet espace est réservé aux acheteurs publics.".into())).into_response())
        }
    }
}

pub struct TeamRow {
    pub email: String,
    pub name: String,
    pub role: &'static str,
}

#[derive(Template)]
#[template(path = "buyer_dashboard.html")]
struct Dashboard {
    nav: Nav,
    organisation: String,
    rows: Vec<Row>,
    /// Only for an organisation's administrator: its accounts, and the form to add one.
    team: Option<Vec<TeamRow>>,
    errors: FieldErrors,
    has_key: bool,
}

async fn dashboard_page(state: &AppState, actor: &Actor, errors: FieldErrors) -> Result<Response, PageError> {
    let now = state.app.now();
    let rows = state.app.my_consultations(actor).await?.iter().map(|s| Row::of(s, now)).collect();
    let team = if actor.has_role(Role::AdminOrganisation) {
        let users = state.app.organisation_users(actor).await?;
        Some(
            users
                .iter()
                .map(|u| TeamRow { email: u.email.clone(), name: u.name.clone(), role: u.role.label() })
                .collect(),
        )
    } else {
        None
    };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let mut r = render(&Dashboard {
        nav: Nav::of(actor),
        organisation: actor.user().and_then(|u| u.organisation_name.clone()).unwrap_or_default(),
        rows,
        team,
        errors,
        has_key: state.app.opening_key(actor).await?.is_some(),
    });
    *r.status_mut() = status;
    Ok(r)
}

pub async fn dashboard(
    State(state): State<AppState>,
    Caller(actor): Caller,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, PageError> {
    if let Some(r) = refusal(&actor, &uri) {
        return Ok(r);
    }
    dashboard_page(&state, &actor, FieldErrors::default()).await
}

/// An organisation's administrator adds a buyer account to it.
pub async fn create_account(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    // Always the administrator's own organisation, whatever the form says.
    let mut input = crate::form::account_input(&FormData(f), actor.user().and_then(|u| u.organisation_id));
    input.departements.clear();
    match state.app.create_account(&actor, &input).await {
        Ok(_) => Ok(Redirect::to("/acheteur#comptes").into_response()),
        Err(AppError::Invalid(e)) => dashboard_page(&state, &actor, e).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "consultation_form.html")]
struct FormPage {
    nav: Nav,
    heading: String,
    form: ConsultationForm,
}

fn form_page(actor: &Actor, heading: String, form: ConsultationForm, status: StatusCode) -> Response {
    let mut r = render(&FormPage { nav: Nav::of(actor), heading, form });
    *r.status_mut() = status;
    r
}

pub async fn new_form(Caller(actor): Caller, OriginalUri(uri): OriginalUri) -> Response {
    if let Some(r) = refusal(&actor, &uri) {
        return r;
    }
    form_page(&actor, "Nouvelle consultation".into(), ConsultationForm::blank(), StatusCode::OK)
}

pub async fn create(
    State(state): State<AppState>,
    Caller(actor): Caller,
    OriginalUri(uri): OriginalUri,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    if let Some(r) = refusal(&actor, &uri) {
        return Ok(r);
    }
    let data = FormData(pairs);
    match state.app.create_consultation(&actor, &consultation_input(&data)).await {
        Ok(c) => Ok(Redirect::to(&format!("/acheteur/consultations/{}", c.id)).into_response()),
        Err(AppError::Invalid(errors)) => Ok(form_page(
            &actor,
            "Nouvelle consultation".into(),
            ConsultationForm::from_form(&data, uri.path().to_string(), false, errors),
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        Err(e) => Err(e.into()),
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    Caller(actor): Caller,
    OriginalUri(uri): OriginalUri,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    if let Some(r) = refusal(&actor, &uri) {
        return Ok(r);
    }
    let view = state.app.consultation(&actor, id).await?;
    if !view.is_owner {
        return Err(AppError::Forbidden(
            "Réservé aux acheteurs de l’organisation qui a publié cette consultation.".into(),
        )
        .into());
    }
    let form = ConsultationForm::from_consultation(&view.consultation, view.phase == Phase::EnCours);
    Ok(form_page(&actor, format!("Modifier « {} »", view.consultation.fields.title), form, StatusCode::OK))
}

pub async fn update(
    State(state): State<AppState>,
    Caller(actor): Caller,
    OriginalUri(uri): OriginalUri,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    if let Some(r) = refusal(&actor, &uri) {
        return Ok(r);
    }
    let data = FormData(pairs);
    let reason = data.optional("reason");
    match state.app.update_consultation(&actor, id, &consultation_input(&data), reason.as_deref()).await {
        Ok(_) => Ok(Redirect::to(&format!("/acheteur/consultations/{id}")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let needs_reason = data.get("reason").is_some();
            Ok(form_page(
                &actor,
                "Modifier la consultation".into(),
                ConsultationForm::from_form(&data, uri.path().to_string(), needs_reason, errors),
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub struct DownloadRow {
    pub date: String,
    pub who: String,
    pub what: String,
}

pub struct StatusChoice {
    pub value: &'static str,
    pub label: &'static str,
}

#[derive(Template)]
#[template(path = "manage.html")]
struct ManagePage {
    nav: Nav,
    d: Detail,
    is_draft: bool,
    editable: bool,
    can_award: bool,
    award: super::award_form::AwardChoices,
    /// Awarded lots with a social clause, whose follow-up the buyer can read.
    followups: Vec<i64>,
    outcomes: Vec<StatusChoice>,
    downloads: Vec<DownloadRow>,
    deposit_count: i64,
    deposits: Option<Vec<DepositRow>>,
    opening: Option<OpeningState>,
    backups: Vec<BackupRow>,
    reasons: &'static [(&'static str, &'static str)],
    max_upload: String,
    inclusion: InclusionPanel,
}

/// Inclusive suppliers able to take part, and what that suggests.
pub struct InclusionPanel {
    pub trades: String,
    pub siae: usize,
    pub disability: usize,
    pub staff: usize,
    pub unknown: usize,
    pub suggestions: Vec<String>,
    /// The directory, filtered on the consultation's trade and département.
    pub link: String,
}

pub struct BackupRow {
    pub id: i64,
    pub firm: String,
    pub medium: String,
    pub declared: String,
    pub state: String,
    pub can_receive: bool,
    pub can_open: bool,
}

pub struct DepositRow {
    pub id: i64,
    pub received: String,
    pub firm: String,
    pub lots: String,
    pub status: &'static str,
    pub files: Vec<BidFileRow>,
}

pub struct BidFileRow {
    pub envelope: String,
    pub name: String,
    pub size: String,
    /// Where to download it once its envelope is opened.
    pub link: Option<String>,
}

/// Where the ouverture stands, for the buttons of the page.
pub struct OpeningState {
    pub is_member: bool,
    pub unlocked: bool,
    pub candidatures_opened: bool,
    pub offres_opened: bool,
    /// Lots whose offers are still closed (number, title); empty without lots.
    pub lots_to_open: Vec<(i64, String)>,
}

fn deposit_rows(view: &app::OpeningView) -> Vec<DepositRow> {
    view.bids
        .iter()
        .map(|(b, to_open)| DepositRow {
            id: b.id,
            received: jiff::Timestamp::from_microsecond(b.received_at_micros)
                .map(domain::paris_time::format_long)
                .unwrap_or_default(),
            firm: format!("{} (SIRET {}) — {}", b.organisation_name, b.siret, b.user_email),
            lots: if b.lots.is_empty() {
                "tous".into()
            } else {
                b.lots.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
            },
            status: match (b.late, to_open) {
                (true, _) => "Hors délai : conservé, jamais ouvert",
                (false, true) => "À ouvrir",
                (false, false) => "Remplacé par un pli plus récent",
            },
            files: b
                .files
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let lots = &view.offres_opened_lots;
                    let opened = match f.envelope.as_str() {
                        "candidature" => view.candidatures_opened,
                        _ if view.consultation.fields.lots.is_empty() => view.offres_opened,
                        _ if b.lots.is_empty() => !lots.is_empty(),
                        _ => b.lots.iter().any(|l| lots.contains(l)),
                    };
                    BidFileRow {
                        envelope: f.envelope.clone(),
                        name: f.name.clone(),
                        size: views::size(&f.plain_size),
                        link: (opened && *to_open).then(|| format!("/acheteur/plis/{}/fichiers/{i}", b.id)),
                    }
                })
                .collect(),
        })
        .collect()
}

pub async fn manage(
    State(state): State<AppState>,
    Caller(actor): Caller,
    OriginalUri(uri): OriginalUri,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    if let Some(r) = refusal(&actor, &uri) {
        return Ok(r);
    }
    let register = state.app.download_register(&actor, id).await?;
    let deposits = state.app.deposit_register(&actor, id).await?;
    let past_deadline = deposits.bids.is_some();
    let backups = state
        .app
        .backup_copies(&actor, id)
        .await?
        .iter()
        .map(|b| BackupRow {
            id: b.id,
            firm: b.organisation_name.clone(),
            medium: b.medium.clone(),
            declared: views::long(&b.declared_at),
            state: match (b.received_at, b.opened_at, b.destroyed_at) {
                (_, Some(t), _) => format!("Ouverte le {}", views::long(&t)),
                (_, _, Some(t)) => format!("Détruite sans être ouverte le {}", views::long(&t)),
                (Some(t), _, _) => format!("Reçue le {}", views::long(&t)),
                _ => "Attendue".into(),
            },
            can_receive: b.received_at.is_none() && b.destroyed_at.is_none(),
            can_open: past_deadline && b.received_at.is_some() && b.opened_at.is_none() && b.destroyed_at.is_none(),
        })
        .collect();
    // After the deadline the register lists the plis, with the opening's state.
    let opening = match deposits.bids {
        Some(_) => Some(state.app.opening(&actor, id).await?),
        None => None,
    };
    let view = state.app.consultation(&actor, id).await?;
    let coverage = state.app.consultation_coverage(&actor, id).await?;
    let outcomes = match view.phase {
        Phase::EnCours => vec![StatusChoice { value: "sans_suite", label: "Classer sans suite" }],
        Phase::Cloturee => vec![
            StatusChoice { value: "attribuee", label: "Attribuée" },
            StatusChoice { value: "infructueuse", label: "Infructueuse" },
            StatusChoice { value: "sans_suite", label: "Classer sans suite" },
        ],
        _ => vec![],
    };
    let downloads = register
        .iter()
        .map(|d| DownloadRow {
            date: views::long(&d.at),
            who: match (&d.organisation_name, &d.user_email, &d.email) {
                (Some(o), Some(u), _) => format!("{o} ({u})"),
                (_, Some(u), _) => u.clone(),
                (_, None, Some(e)) => e.clone(),
                _ => "Anonyme".into(),
            },
            what: match &d.document_name {
                Some(n) => format!("{n} (version {})", d.dce_version),
                None => format!("DCE complet (version {})", d.dce_version),
            },
        })
        .collect();
    Ok(render(&ManagePage {
        nav: Nav::of(&actor),
        is_draft: view.phase == Phase::Brouillon,
        editable: matches!(view.phase, Phase::Brouillon | Phase::EnCours),
        can_award: matches!(view.phase, Phase::Cloturee)
            || (view.phase == Phase::Attribuee && view.awards.len() < view.consultation.fields.lots.len()),
        followups: view
            .clauses
            .iter()
            .filter(|cl| view.awards.iter().any(|a| a.lot_number == cl.lot_number))
            .map(|cl| cl.lot_number)
            .collect(),
        d: Detail::of(&view),
        award: super::award_form::AwardChoices::new(),
        outcomes,
        downloads,
        deposit_count: deposits.count,
        deposits: opening.as_ref().map(deposit_rows),
        backups,
        reasons: &app::BACKUP_OPEN_REASONS,
        opening: opening.as_ref().map(|o| OpeningState {
            is_member: o.is_member,
            unlocked: o.unlocked,
            candidatures_opened: o.candidatures_opened,
            offres_opened: o.offres_opened,
            lots_to_open: o
                .consultation
                .fields
                .lots
                .iter()
                .filter(|l| !o.offres_opened_lots.contains(&l.number))
                .map(|l| (l.number, l.title.clone()))
                .collect(),
        }),
        max_upload: views::upload_limit(&state.app),
        inclusion: InclusionPanel {
            trades: coverage.sectors.iter().map(|s| s.label).collect::<Vec<_>>().join(", "),
            siae: coverage.coverage.siae_in_trade,
            disability: coverage.coverage.disability_in_trade,
            staff: coverage.coverage.staff_providers,
            unknown: coverage.coverage.trade_unknown,
            suggestions: coverage.suggestions,
            link: format!(
                "/structures-inclusives?departement={}{}",
                coverage.departement,
                coverage.sectors.first().map(|s| format!("&secteur={}", s.code)).unwrap_or_default()
            ),
        },
    }))
}

pub async fn publish(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    state.app.publish_consultation(&actor, id).await?;
    Ok(Redirect::to(&format!("/acheteur/consultations/{id}")).into_response())
}

/// A field left out is read as empty, so it gets the French message of its check.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StatusForm {
    pub status: String,
}

pub async fn status(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
    Form(form): Form<StatusForm>,
) -> Result<Response, PageError> {
    state.app.change_status(&actor, id, StatusChange::parse(&form.status)?).await?;
    Ok(Redirect::to(&format!("/acheteur/consultations/{id}")).into_response())
}

/// Streams each file of the form into the DCE.
pub async fn upload(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, PageError> {
    crate::upload::add_files(&state.app, &actor, id, multipart, "fichier").await?;
    Ok(Redirect::to(&format!("/acheteur/consultations/{id}#dce")).into_response())
}

pub async fn remove_document(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path((id, doc)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    state.app.remove_document(&actor, id, doc).await?;
    Ok(Redirect::to(&format!("/acheteur/consultations/{id}#dce")).into_response())
}

/// A field left out is read as empty, so it gets the French message of its check.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AnswerForm {
    pub answer: String,
}

pub async fn answer(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(question): Path<i64>,
    Form(form): Form<AnswerForm>,
) -> Result<Response, PageError> {
    let id = state.app.answer_question(&actor, question, &form.answer).await?;
    Ok(Redirect::to(&format!("/acheteur/consultations/{id}#questions")).into_response())
}

/// The award form: one titulaire, optionally one co-contractor and one subcontractor.
pub async fn award(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let input = super::award_form::award_input(&FormData(pairs));
    state.app.award(&actor, id, &input).await?;
    Ok(Redirect::to(&format!("/acheteur/consultations/{id}#attribution")).into_response())
}

/// Received, open (with its legal reason) or destroy a copie de sauvegarde.
pub async fn backup_copy(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path((copy, event)): Path<(i64, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = FormData(pairs);
    match event.as_str() {
        "received" => state.app.receive_backup_copy(&actor, copy).await?,
        "open" => state.app.open_backup_copy(&actor, copy, &f.text("reason")).await?,
        "destroy" => state.app.destroy_backup_copy(&actor, copy).await?,
        _ => return Err(AppError::NotFound.into()),
    }
    let consultation = state.app.backup_copy_consultation(copy).await?;
    Ok(Redirect::to(&format!("/acheteur/consultations/{consultation}#copies")).into_response())
}
