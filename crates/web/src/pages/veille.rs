//! Saved searches (`/veille`): the signed-in user's list, saving the search on screen, how often
//! each e-mails, deleting; the unsubscribe link of the e-mails (`/veille/desabonnement/{token}`,
//! a page with one button, and the RFC 8058 one-click POST mail clients send); and each saved
//! search's Atom feed and calendar of deadlines, opened by its secret token.

use app::search_query::{SearchQuery, url_encode};
use app::{Actor, AppError, Found};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use domain::FieldErrors;
use domain::alert::Frequency;
use store::SavedSearch;

use super::public::Opt;
use super::render;
use crate::AppState;
use crate::calendar::{self, Deadline};
use crate::error::PageError;
use crate::form::FormData;
use crate::identity::Caller;
use crate::views::Nav;

/// The choices of e-mail frequency, `current` selected.
pub(crate) fn frequencies(current: &str, with_never: bool) -> Vec<Opt> {
    Frequency::ALL
        .iter()
        .filter(|f| with_never || **f != Frequency::Never)
        .map(|f| Opt { value: f.code().into(), label: f.label().into(), selected: f.code() == current })
        .collect()
}

pub struct SavedRow {
    pub id: i64,
    pub name: String,
    pub query: String,
    pub description: String,
    pub created: String,
    pub token: String,
    pub frequencies: Vec<Opt>,
}

/// A search being saved that was refused, shown again to be corrected.
pub struct Draft {
    pub name: String,
    pub query: String,
    pub description: String,
    pub frequencies: Vec<Opt>,
}

#[derive(Template)]
#[template(path = "veille.html")]
struct VeillePage {
    nav: Nav,
    searches: Vec<SavedRow>,
    dce: Vec<Opt>,
    draft: Option<Draft>,
    errors: FieldErrors,
}

async fn page(
    state: &AppState,
    actor: &Actor,
    draft: Option<Draft>,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let searches = state
        .app
        .saved_searches(actor)
        .await?
        .into_iter()
        .map(|s| SavedRow {
            id: s.id,
            description: SearchQuery::parse(&s.query).describe(),
            created: domain::paris_time::format_date(s.created_at),
            frequencies: frequencies(&s.frequency, true),
            name: s.name,
            query: s.query,
            token: s.token,
        })
        .collect();
    let dce = frequencies(state.app.dce_alerts(actor).await?.code(), false);
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let mut r = render(&VeillePage { nav: Nav::of(actor), searches, dce, draft, errors });
    *r.status_mut() = status;
    Ok(r)
}

/// Anonymous visitors are sent to sign in first, then come back here.
fn sign_in_first(actor: &Actor) -> Option<Response> {
    actor.user().is_none().then(|| Redirect::to("/connexion?suite=/veille").into_response())
}

pub async fn list(State(state): State<AppState>, Caller(actor): Caller) -> Result<Response, PageError> {
    if let Some(r) = sign_in_first(&actor) {
        return Ok(r);
    }
    page(&state, &actor, None, FieldErrors::default()).await
}

pub async fn save(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    if let Some(r) = sign_in_first(&actor) {
        return Ok(r);
    }
    let f = FormData(f);
    let query = SearchQuery::parse(&f.text("recherche"));
    match state.app.save_search(&actor, &f.text("nom"), &query, &f.text("frequence")).await {
        Ok(_) => Ok(Redirect::to("/veille").into_response()),
        Err(AppError::Invalid(errors)) => {
            let draft = Draft {
                name: f.text("nom"),
                query: query.query_string_without_page(),
                description: query.describe(),
                frequencies: frequencies(&f.text("frequence"), false),
            };
            page(&state, &actor, Some(draft), errors).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn set_frequency(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    match state.app.set_saved_search_frequency(&actor, id, &FormData(f).text("frequence")).await {
        Ok(_) => Ok(Redirect::to("/veille").into_response()),
        Err(AppError::Invalid(errors)) => page(&state, &actor, None, errors).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn delete(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    state.app.delete_saved_search(&actor, id).await?;
    Ok(Redirect::to("/veille").into_response())
}

pub async fn set_dce_alerts(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    match state.app.set_dce_alerts(&actor, &FormData(f).text("modifications_dce")).await {
        Ok(_) => Ok(Redirect::to("/veille").into_response()),
        Err(AppError::Invalid(errors)) => page(&state, &actor, None, errors).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "unsubscribe.html")]
struct UnsubscribePage {
    nav: Nav,
    name: String,
    token: String,
    done: bool,
}

pub async fn unsubscribe_form(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let s = state.app.saved_search_by_token(&token).await?;
    let done = s.frequency == Frequency::Never.code();
    Ok(render(&UnsubscribePage { nav: Nav::of(&actor), name: s.name, token: s.token, done }))
}

/// The button of the page, and the one-click POST of mail clients (its body is ignored).
pub async fn unsubscribe(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let s = state.app.unsubscribe(&token).await?;
    Ok(render(&UnsubscribePage { nav: Nav::of(&actor), name: s.name, token: s.token, done: true }))
}

/// What a feed or calendar of a saved search is made of.
async fn results(state: &AppState, token: &str) -> Result<(SavedSearch, Vec<Found>), PageError> {
    let s = state.app.saved_search_by_token(token).await?;
    let found = state.app.saved_search_results(&s).await?;
    Ok((s, found.items))
}

pub async fn atom(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response, PageError> {
    let (s, items) = results(&state, &token).await?;
    let base = state.app.config().base_url.trim_end_matches('/').to_string();
    let entries = items.iter().map(|f| super::feeds::entry(&base, f)).collect();
    let title = format!("Halle — veille « {} »", s.name);
    let self_url = format!("{base}/veille/{}/flux.atom", s.token);
    let alternate = format!("{base}/consultations?{}", s.query);
    super::feeds::atom_response(&state, &title, &self_url, &alternate, entries)
}

pub async fn ics(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response, PageError> {
    let (s, items) = results(&state, &token).await?;
    let base = state.app.config().base_url.trim_end_matches('/').to_string();
    let host = base.split("://").nth(1).unwrap_or("halle").to_string();
    let mut deadlines = Vec::new();
    for f in &items {
        match f {
            Found::Consultation(c) => deadlines.push(Deadline::bids(
                &host,
                &c.reference,
                &c.title,
                &c.organisation_name,
                format!("{base}/consultations/{}", c.id),
                c.bid_deadline,
            )),
            Found::Notice(n) => {
                if let Some(at) = n.deadline {
                    deadlines.push(Deadline {
                        uid: format!("avis-{}-plis@{host}", n.id),
                        summary: format!("Remise des plis : {}", n.title),
                        description: format!("Date limite de remise des plis à {}.", n.buyer_name),
                        url: format!("{base}/avis/{}", n.id),
                        at,
                    });
                }
            }
        }
    }
    let body = calendar::calendar(&format!("Veille « {} »", s.name), &deadlines, state.app.now());
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"veille.ics\"".to_string()),
        ],
        body,
    )
        .into_response())
}

/// The link of the list page's "save this search" for an anonymous visitor.
pub fn sign_in_to_save(query: &SearchQuery) -> String {
    let back = format!("/consultations?{}", query.query_string_without_page());
    format!("/connexion?suite={}", url_encode(&back))
}
