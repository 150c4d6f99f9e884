//! Notices published elsewhere (BOAMP, TED): the list and one notice with its links to the
//! original publications.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use store::{NoticeLink, NoticeRecord};

use super::public::{Opt, options};
use super::render;
use crate::AppState;
use crate::error::PageError;
use crate::identity::Caller;
use crate::views::{self, Nav};

const PER_PAGE: i64 = 20;

#[derive(Debug, Default, Deserialize)]
pub struct NoticeQuery {
    pub q: Option<String>,
    pub departement: Option<String>,
    /// `en_cours`: only those still open.
    pub etat: Option<String>,
    pub page: Option<String>,
}

impl NoticeQuery {
    pub fn page(&self) -> i64 {
        self.page.as_deref().and_then(|p| p.trim().parse().ok()).unwrap_or(1).clamp(1, 10_000)
    }

    pub fn open_only(&self) -> bool {
        self.etat.as_deref() == Some("en_cours")
    }

    pub async fn run(&self, state: &AppState) -> Result<(Vec<NoticeRecord>, i64), app::AppError> {
        let departement = self.departement.as_deref().filter(|d| !d.is_empty());
        let q = self.q.as_deref().unwrap_or_default();
        state.app.search_notices(q, departement, self.open_only(), self.page(), PER_PAGE).await
    }
}

pub struct NoticeRow {
    pub id: i64,
    pub title: String,
    pub buyer: String,
    pub source: String,
    pub kind: String,
    pub places: String,
    pub deadline: Option<String>,
    pub deadline_iso: Option<String>,
    pub published: String,
    pub cancelled: bool,
}

fn kind_label(code: &str) -> String {
    domain::notice::NoticeKind::parse(code).map(|k| k.label().to_string()).unwrap_or_else(|_| code.to_string())
}

fn places(codes: &[String]) -> String {
    codes.iter().map(|d| views::departement_name(d)).collect::<Vec<_>>().join(", ")
}

fn french_date(iso: &Option<String>) -> String {
    iso.as_deref()
        .and_then(|d| d.parse::<jiff::civil::Date>().ok())
        .map(|d| d.strftime("%d/%m/%Y").to_string())
        .unwrap_or_else(|| "date inconnue".into())
}

impl NoticeRow {
    pub(crate) fn of(n: &NoticeRecord) -> NoticeRow {
        NoticeRow {
            id: n.id,
            title: n.title.clone(),
            buyer: n.buyer_name.clone(),
            source: app::source_label(&n.source).to_string(),
            kind: kind_label(&n.kind),
            places: places(&n.departements),
            deadline: n.deadline.as_ref().map(views::long),
            deadline_iso: n.deadline.as_ref().map(views::iso),
            published: french_date(&n.published_on),
            cancelled: n.cancelled,
        }
    }
}

#[derive(Template)]
#[template(path = "notices.html")]
struct ListPage {
    nav: Nav,
    q: String,
    departements: Vec<Opt>,
    open_only: bool,
    total: i64,
    rows: Vec<NoticeRow>,
    page: i64,
    pages: i64,
    previous: Option<String>,
    next: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let (notices, total) = query.run(&state).await?;
    let page = query.page();
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    let link = |p: i64| {
        let mut params = vec![];
        for (name, value) in [("q", &query.q), ("departement", &query.departement), ("etat", &query.etat)] {
            if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
                params.push(format!("{name}={}", app::search_query::url_encode(v)));
            }
        }
        params.push(format!("page={p}"));
        format!("/avis?{}", params.join("&"))
    };
    Ok(render(&ListPage {
        nav: Nav::of(&actor),
        q: query.q.clone().unwrap_or_default(),
        departements: options(
            domain::geo::DEPARTEMENTS.iter().map(|d| (d.code, format!("{} ({})", d.name, d.code))),
            &query.departement,
        ),
        open_only: query.open_only(),
        total,
        rows: notices.iter().map(NoticeRow::of).collect(),
        previous: (page > 1).then(|| link(page - 1)),
        next: (page < pages).then(|| link(page + 1)),
        page,
        pages,
    }))
}

pub struct LinkRow {
    pub what: String,
    pub source: String,
    pub source_id: String,
    pub url: String,
    pub published: String,
}

#[derive(Template)]
#[template(path = "notice.html")]
struct ShowPage {
    nav: Nav,
    n: NoticeRow,
    description: String,
    url: String,
    source_id: String,
    procedure: Option<String>,
    nature: Option<String>,
    cpv: Option<String>,
    value: String,
    winners: String,
    lots: i64,
    links: Vec<LinkRow>,
}

fn link_row(l: &NoticeLink) -> LinkRow {
    LinkRow {
        what: match l.role.as_str() {
            "doublon" => "Le même avis, publié aussi sur".to_string(),
            role => kind_label(role),
        },
        source: app::source_label(&l.source).to_string(),
        source_id: l.source_id.clone(),
        url: l.url.clone(),
        published: french_date(&l.published_on),
    }
}

pub async fn show(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let (n, links) = state.app.notice(id).await?;
    Ok(render(&ShowPage {
        nav: Nav::of(&actor),
        description: n.description.clone(),
        url: n.url.clone(),
        source_id: n.source_id.clone(),
        procedure: n.procedure.clone(),
        nature: n.nature.as_deref().and_then(|c| domain::consultation::Nature::parse(c).ok()).map(|n| n.label().into()),
        cpv: n.cpv.as_deref().map(|c| format!("{c} — {}", views::cpv_label(c))),
        value: views::money(&n.estimated),
        winners: n.winners.join(" ; "),
        lots: n.lots,
        links: links.iter().map(link_row).collect(),
        n: NoticeRow::of(&n),
    }))
}
