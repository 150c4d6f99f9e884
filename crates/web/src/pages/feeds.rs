//! What a firm subscribes to without an account: the Atom feed of the newest consultations
//! (`/flux.atom`) and each consultation's deadlines as a calendar file
//! (`/consultations/{id}/calendrier.ics`).

use app::Found;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use store::{ConsultationFilter, ConsultationSummary};

use crate::AppState;
use crate::calendar::{self, Deadline};
use crate::error::PageError;
use crate::identity::Caller;
use crate::views;

/// Entries in the feed.
const FEED_SIZE: i64 = 50;

pub struct Entry {
    pub url: String,
    pub title: String,
    pub updated: String,
    pub summary: String,
}

#[derive(Template)]
#[template(path = "feed.xml")]
struct Feed<'a> {
    title: &'a str,
    self_url: &'a str,
    alternate: &'a str,
    updated: String,
    entries: Vec<Entry>,
}

/// A consultation as a feed entry.
fn consultation_entry(base: &str, s: &ConsultationSummary) -> Entry {
    Entry {
        url: format!("{base}/consultations/{}", s.id),
        title: s.title.clone(),
        updated: views::iso(&s.published_at.unwrap_or(s.bid_deadline)),
        summary: format!(
            "{} — {} — date limite de remise des plis : {}",
            s.organisation_name,
            s.place_label,
            views::long(&s.bid_deadline)
        ),
    }
}

/// A search result (a consultation or a notice published elsewhere) as a feed entry.
pub(super) fn entry(base: &str, found: &Found) -> Entry {
    match found {
        Found::Consultation(s) => consultation_entry(base, s),
        Found::Notice(n) => Entry {
            url: format!("{base}/avis/{}", n.id),
            title: n.title.clone(),
            updated: views::iso(&n.imported_at.unwrap_or(jiff::Timestamp::UNIX_EPOCH)),
            summary: match n.deadline {
                Some(d) => format!("{} — date limite de remise des plis : {}", n.buyer_name, views::long(&d)),
                None => n.buyer_name.clone(),
            },
        },
    }
}

/// An Atom document: newest entry first, the feed dated by it.
pub(super) fn atom_response(
    state: &AppState,
    title: &str,
    self_url: &str,
    alternate: &str,
    entries: Vec<Entry>,
) -> Result<Response, PageError> {
    let updated = entries.first().map(|e| e.updated.clone()).unwrap_or_else(|| views::iso(&state.app.now()));
    let body = Feed { title, self_url, alternate, updated, entries }
        .render()
        .map_err(|e| app::AppError::Internal(e.to_string()))?;
    Ok(([(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")], body).into_response())
}

pub async fn atom(State(state): State<AppState>) -> Result<Response, PageError> {
    let page = state.app.search_consultations(&ConsultationFilter::default(), 1, FEED_SIZE).await?;
    let base = state.app.config().base_url.trim_end_matches('/').to_string();
    let entries = page.items.iter().map(|s| consultation_entry(&base, s)).collect();
    atom_response(
        &state,
        "Halle — consultations des acheteurs d’Île-de-France",
        &format!("{base}/flux.atom"),
        &format!("{base}/consultations"),
        entries,
    )
}

pub async fn ics(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let view = state.app.consultation(&actor, id).await?;
    let c = &view.consultation;
    let base = state.app.config().base_url.trim_end_matches('/').to_string();
    let url = format!("{base}/consultations/{id}");
    let host = base.split("://").nth(1).unwrap_or("halle").to_string();
    let mut deadlines = Vec::new();
    if let Some(q) = c.fields.questions_deadline {
        deadlines.push(Deadline {
            uid: format!("{}-questions@{host}", c.reference),
            summary: format!("Questions : {}", c.fields.title),
            description: format!("Date limite des questions à {} ({}).", c.organisation_name, c.reference),
            url: url.clone(),
            at: q,
        });
    }
    deadlines.push(Deadline::bids(
        &host,
        &c.reference,
        &c.fields.title,
        &c.organisation_name,
        url,
        c.fields.bid_deadline,
    ));
    let body = calendar::calendar(&c.fields.title, &deadlines, state.app.now());
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}.ics\"", c.reference)),
        ],
        body,
    )
        .into_response())
}
