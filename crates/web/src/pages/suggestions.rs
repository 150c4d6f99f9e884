//! Pickers for CPV codes and communes. With htmx, a form's field asks `/suggestions/cpv` or
//! `/suggestions/communes` as people type and gets `<option>`s for its `<datalist>`; without
//! JavaScript, the link beside the field opens the same address as a page with a search form and
//! the codes to copy. The API gives the same lists as JSON.

use app::Actor;
use askama::Template;
use axum::extract::Query;
use axum::http::HeaderMap;
use axum::response::Response;

use super::render;
use crate::identity::Caller;
use crate::views::Nav;

/// Suggestions offered at a time.
pub const LIMIT: usize = 12;

pub struct Suggestion {
    pub value: String,
    pub label: String,
}

/// What people typed: the first non-empty parameter, whatever the field's name (htmx sends the
/// field under its own name, the page's form as `q`).
fn typed(params: &[(String, String)]) -> String {
    params.iter().map(|(_, v)| v.trim()).find(|v| !v.is_empty()).unwrap_or("").chars().take(100).collect()
}

fn cpv_suggestions(q: &str) -> Vec<Suggestion> {
    domain::cpv::matching(q, LIMIT)
        .into_iter()
        .map(|e| Suggestion { value: e.code.clone(), label: format!("{} — {}", e.code, e.label_fr) })
        .collect()
}

fn commune_suggestions(q: &str) -> Vec<Suggestion> {
    domain::geo::communes_matching(q, LIMIT)
        .into_iter()
        .map(|c| Suggestion { value: c.code.clone(), label: format!("{} — {} ({})", c.code, c.name, c.departement) })
        .collect()
}

#[derive(Template)]
#[template(
    source = "{% for s in items %}<option value=\"{{ s.value }}\">{{ s.label }}</option>{% endfor %}",
    ext = "html"
)]
struct Options {
    items: Vec<Suggestion>,
}

#[derive(Template)]
#[template(path = "suggestions.html")]
struct SuggestionsPage {
    nav: Nav,
    heading: &'static str,
    hint: &'static str,
    action: &'static str,
    q: String,
    items: Vec<Suggestion>,
}

fn respond(
    headers: &HeaderMap,
    actor: &Actor,
    params: &[(String, String)],
    find: fn(&str) -> Vec<Suggestion>,
    page: (&'static str, &'static str, &'static str),
) -> Response {
    let q = typed(params);
    let items = find(&q);
    if headers.contains_key("hx-request") {
        return render(&Options { items });
    }
    let (heading, hint, action) = page;
    render(&SuggestionsPage { nav: Nav::of(actor), heading, hint, action, q, items })
}

pub async fn cpv(Caller(actor): Caller, headers: HeaderMap, Query(params): Query<Vec<(String, String)>>) -> Response {
    respond(
        &headers,
        &actor,
        &params,
        cpv_suggestions,
        (
            "Trouver un code CPV",
            "Tapez le début d’un code ou des mots du métier, par exemple « peinture » ou « 4544 ».",
            "/suggestions/cpv",
        ),
    )
}

pub async fn communes(
    Caller(actor): Caller,
    headers: HeaderMap,
    Query(params): Query<Vec<(String, String)>>,
) -> Response {
    respond(
        &headers,
        &actor,
        &params,
        commune_suggestions,
        (
            "Trouver le code INSEE d’une commune",
            "Tapez le début du nom d’une commune d’Île-de-France, par exemple « Saint-Denis », ou de son code.",
            "/suggestions/communes",
        ),
    )
}
