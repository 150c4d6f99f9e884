//! `/bibliotheque`: the library of good practices — model clauses and practices shared by buyers
//! and facilitators, searchable by anyone; reused, commented and featured; files attached by
//! their authors, downloaded by anyone.

use app::{Actor, AppError, PracticeQuery};
use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::FieldErrors;
use domain::practice::{PracticeInput, PracticeKind};
use domain::social_clause::LegalBasis;
use serde::Deserialize;
use store::PracticeRecord;

use super::public::{Opt, options};
use super::render;
use crate::AppState;
use crate::error::PageError;
use crate::form::FormData;
use crate::identity::Caller;
use crate::upload::Files;
use crate::views::{self, Nav};

/// The library's filters, shared by the page and the API.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct LibraryParams {
    pub q: Option<String>,
    pub base: Option<String>,
    pub cpv: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

impl LibraryParams {
    pub fn query(&self) -> PracticeQuery {
        PracticeQuery {
            q: self.q.clone(),
            legal_basis: self.base.clone(),
            cpv: self.cpv.clone(),
            kind: self.kind.clone(),
        }
    }
}

pub struct PracticeRow {
    pub id: i64,
    pub kind: &'static str,
    pub title: String,
    pub basis: String,
    pub cpv: String,
    pub by: String,
    pub uses: i64,
    pub comments: i64,
    pub featured: bool,
    pub created: String,
}

impl PracticeRow {
    pub fn of(r: &PracticeRecord) -> PracticeRow {
        let p = &r.practice;
        PracticeRow {
            id: r.id,
            kind: p.kind.label(),
            title: p.title.clone(),
            basis: p.legal_basis.map(|b| b.label().to_string()).unwrap_or_default(),
            cpv: p.cpv.iter().map(|c| format!("{c} ({})", domain::cpv::label(c))).collect::<Vec<_>>().join(", "),
            by: match &r.organisation_name {
                Some(o) => format!("{} ({o})", r.author_name),
                None => r.author_name.clone(),
            },
            uses: r.uses,
            comments: r.comments,
            featured: r.featured,
            created: domain::paris_time::format_date(r.created_at),
        }
    }
}

fn may_contribute(actor: &Actor) -> bool {
    actor.user().is_some_and(|u| u.role != domain::role::Role::Entreprise)
}

#[derive(Template)]
#[template(path = "library.html")]
struct LibraryPage {
    nav: Nav,
    q: String,
    bases: Vec<Opt>,
    kinds: Vec<Opt>,
    cpv: String,
    rows: Vec<PracticeRow>,
    errors: Vec<String>,
    can_contribute: bool,
}

fn basis_options(current: &Option<String>) -> Vec<Opt> {
    options(LegalBasis::ALL.iter().map(|b| (b.code(), b.label().to_string())), current)
}

fn kind_options(current: &Option<String>) -> Vec<Opt> {
    options(PracticeKind::ALL.iter().map(|k| (k.code(), k.label().to_string())), current)
}

pub async fn list(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Query(p): Query<LibraryParams>,
) -> Result<Response, PageError> {
    let (rows, errors) = match state.app.practices(&p.query()).await {
        Ok(found) => (found.iter().map(PracticeRow::of).collect(), Vec::new()),
        Err(AppError::Invalid(e)) => (Vec::new(), e.0.into_iter().map(|e| e.message).collect()),
        Err(e) => return Err(e.into()),
    };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let mut r = render(&LibraryPage {
        nav: Nav::of(&actor),
        q: p.q.clone().unwrap_or_default(),
        bases: basis_options(&p.base),
        kinds: kind_options(&p.kind),
        cpv: p.cpv.clone().unwrap_or_default(),
        rows,
        errors,
        can_contribute: may_contribute(&actor),
    });
    *r.status_mut() = status;
    Ok(r)
}

#[derive(Template)]
#[template(path = "practice_form.html")]
struct FormPage {
    nav: Nav,
    p: PracticeInput,
    bases: Vec<Opt>,
    kinds: Vec<Opt>,
    errors: FieldErrors,
}

fn form_page(actor: &Actor, p: PracticeInput, errors: FieldErrors) -> Response {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let mut r = render(&FormPage {
        nav: Nav::of(actor),
        bases: basis_options(&Some(p.legal_basis.clone())),
        kinds: kind_options(&Some(p.kind.clone())),
        p,
        errors,
    });
    *r.status_mut() = status;
    r
}

pub async fn new_form(Caller(actor): Caller) -> Result<Response, PageError> {
    if actor.user().is_none() {
        return Ok(Redirect::to("/connexion?suite=/bibliotheque/nouvelle").into_response());
    }
    if !may_contribute(&actor) {
        return Err(AppError::Forbidden(
            "La bibliothèque est alimentée par les acheteurs et les facilitateurs.".into(),
        )
        .into());
    }
    Ok(form_page(
        &actor,
        PracticeInput { kind: PracticeKind::Clause.code().into(), ..Default::default() },
        FieldErrors::default(),
    ))
}

pub fn practice_input(f: &FormData) -> PracticeInput {
    PracticeInput {
        kind: f.text("kind"),
        title: f.text("title"),
        legal_basis: f.text("legal_basis"),
        cpv: f.text("cpv"),
        body: f.text("body"),
    }
}

pub async fn create(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let input = practice_input(&FormData(f));
    match state.app.publish_practice(&actor, &input).await {
        Ok(p) => Ok(Redirect::to(&format!("/bibliotheque/{}", p.id)).into_response()),
        Err(AppError::Invalid(e)) => Ok(form_page(&actor, input, e)),
        Err(e) => Err(e.into()),
    }
}

pub struct AttachmentRow {
    pub id: i64,
    pub name: String,
    pub size: String,
}

pub struct CommentRow {
    pub by: String,
    pub at: String,
    pub body: String,
}

#[derive(Template)]
#[template(path = "practice.html")]
struct PracticePage {
    nav: Nav,
    row: PracticeRow,
    body: String,
    comments: Vec<CommentRow>,
    attachments: Vec<AttachmentRow>,
    manages_attachments: bool,
    max_upload: String,
    can_contribute: bool,
    coordinator: bool,
    reused: bool,
    /// A refused comment or upload, under the field it concerns.
    errors: FieldErrors,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ShowParams {
    repris: Option<String>,
}

async fn show_page(
    state: &AppState,
    actor: &Actor,
    id: i64,
    reused: bool,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let v = state.app.practice(actor, id).await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let mut r = render(&PracticePage {
        nav: Nav::of(actor),
        row: PracticeRow::of(&v.record),
        body: v.record.practice.body.clone(),
        comments: v
            .comments
            .iter()
            .map(|c| CommentRow {
                by: match &c.organisation_name {
                    Some(o) => format!("{} ({o})", c.author_name),
                    None => c.author_name.clone(),
                },
                at: views::long(&c.created_at),
                body: c.body.clone(),
            })
            .collect(),
        attachments: v
            .attachments
            .iter()
            .map(|a| AttachmentRow { id: a.id, name: a.name.clone(), size: views::size(&a.size) })
            .collect(),
        manages_attachments: v.manages_attachments,
        max_upload: views::upload_limit(&state.app),
        can_contribute: may_contribute(actor),
        coordinator: actor.user().is_some_and(|u| u.role == domain::role::Role::Admin),
        reused,
        errors,
    });
    *r.status_mut() = status;
    Ok(r)
}

pub async fn show(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
    Query(p): Query<ShowParams>,
) -> Result<Response, PageError> {
    show_page(&state, &actor, id, p.repris.is_some(), FieldErrors::default()).await
}

pub async fn comment(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    match state.app.comment_practice(&actor, id, &FormData(f).text("comment")).await {
        Ok(()) => Ok(Redirect::to(&format!("/bibliotheque/{id}#commentaires")).into_response()),
        Err(AppError::Invalid(e)) => show_page(&state, &actor, id, false, e).await,
        Err(e) => Err(e.into()),
    }
}

/// Streams each file of the form into the vault, then attaches them all to the entry.
pub async fn attach(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, PageError> {
    match state.app.attach_to_practice(&actor, id, &mut Files::new(&state.app, multipart, "file")).await {
        Ok(_) => Ok(Redirect::to(&format!("/bibliotheque/{id}#pieces")).into_response()),
        Err(AppError::Invalid(e)) => show_page(&state, &actor, id, false, e).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn remove_attachment(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path((id, attachment)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    state.app.remove_practice_attachment(&actor, id, attachment).await?;
    Ok(Redirect::to(&format!("/bibliotheque/{id}#pieces")).into_response())
}

pub async fn reuse(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    state.app.reuse_practice(&actor, id).await?;
    Ok(Redirect::to(&format!("/bibliotheque/{id}?repris=1#texte")).into_response())
}

pub async fn feature(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    state.app.feature_practice(&actor, id, FormData(f).get("featured") == Some("1")).await?;
    Ok(Redirect::to(&format!("/bibliotheque/{id}")).into_response())
}
