//! `/indicateurs`: the public indicators of social clauses — filters, a bar chart drawn on the
//! server in SVG (hours by way), the same figures as a table, and as a CSV file.

use app::{IndicatorQuery, IndicatorsView};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::indicators::{Indicators, SMALL_COUNT};
use domain::percent;
use serde::Deserialize;

use super::consultation_form::{Choice, departements};
use super::render;
use crate::AppState;
use crate::error::PageError;
use crate::identity::Caller;
use crate::views::{self, Nav};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Filters {
    departement: Option<String>,
    operation: Option<String>,
    annee: Option<String>,
}

impl Filters {
    pub fn query(self) -> IndicatorQuery {
        IndicatorQuery { departement: self.departement, operation: self.operation, year: self.annee }
    }
}

fn hidden() -> String {
    format!("masqué (moins de {SMALL_COUNT} personnes)")
}

fn hours(h: i64) -> String {
    format!("{} h", views::count(h))
}

/// Every figure as (label, value): the table and the CSV file show the same. With an
/// operation, its charter's targets come first, to compare.
fn rows(v: &IndicatorsView) -> Vec<(String, String)> {
    let i = &v.indicators;
    let pct = |p: Option<i64>| p.map(|p| format!("{p}\u{a0}%")).unwrap_or_else(hidden);
    let mut rows = Vec::new();
    if let Some(o) = v.operations.iter().find(|o| Some(o.id) == v.filter.operation) {
        rows.push(("Opération".to_string(), o.spec.name.clone()));
        rows.push((
            "Objectif de la charte : part des heures en insertion".into(),
            percent::format(o.spec.target_rate_bp),
        ));
        if let Some(h) = o.spec.target_hours {
            rows.push(("Objectif de la charte : heures d’insertion".into(), hours(h)));
        }
    }
    rows.extend([
        ("Contrats avec une clause sociale".to_string(), views::count(i.contracts_with_clause)),
        ("Heures d’insertion requises".into(), hours(i.hours_required)),
        ("Heures d’insertion réalisées (validées)".into(), hours(i.hours_realised)),
        ("Bénéficiaires".into(), i.beneficiaries.map(views::count).unwrap_or_else(hidden)),
        ("Part des femmes".into(), pct(i.women_share)),
        ("Part des habitants des quartiers prioritaires (QPV)".into(), pct(i.qpv_share)),
    ]);
    rows.extend(
        i.hours_by_way
            .iter()
            .map(|w| (format!("Heures réalisées — {}", w.way.label()), w.hours.map(hours).unwrap_or_else(hidden))),
    );
    rows
}

pub struct Bar {
    pub label: &'static str,
    pub value: String,
    pub y: usize,
    pub width: i64,
}

/// Bars of the hours by way that may be shown, scaled to 400 px.
fn bars(i: &Indicators) -> Vec<Bar> {
    let shown: Vec<_> = i.hours_by_way.iter().filter_map(|w| w.hours.map(|h| (w.way, h))).collect();
    let max = shown.iter().map(|(_, h)| *h).max().unwrap_or(0).max(1);
    shown
        .iter()
        .enumerate()
        .map(|(n, (way, h))| Bar { label: way.label(), value: hours(*h), y: n * 40, width: (h * 400 / max).max(1) })
        .collect()
}

#[derive(Template)]
#[template(path = "indicators.html")]
struct Page {
    nav: Nav,
    departements: Vec<Choice>,
    operations: Vec<(i64, String, bool)>,
    year: String,
    rows: Vec<(String, String)>,
    bars: Vec<Bar>,
    chart_height: usize,
    csv: String,
}

pub async fn show(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Query(f): Query<Filters>,
) -> Result<Response, PageError> {
    let v: IndicatorsView = state.app.indicators(&f.query()).await?;
    let bars = bars(&v.indicators);
    let filter = &v.filter;
    let mut params = Vec::new();
    if let Some(d) = &filter.departement {
        params.push(format!("departement={d}"));
    }
    if let Some(o) = filter.operation {
        params.push(format!("operation={o}"));
    }
    if let Some(y) = filter.year {
        params.push(format!("annee={y}"));
    }
    Ok(render(&Page {
        nav: Nav::of(&actor),
        departements: departements(filter.departement.as_deref().unwrap_or("")),
        operations: v.operations.iter().map(|o| (o.id, o.spec.name.clone(), filter.operation == Some(o.id))).collect(),
        year: filter.year.map(|y| y.to_string()).unwrap_or_default(),
        rows: rows(&v),
        chart_height: bars.len() * 40 + 10,
        bars,
        csv: format!("/indicateurs.csv{}{}", if params.is_empty() { "" } else { "?" }, params.join("&")),
    }))
}

/// The same figures as a CSV file (`;`, UTF-8 with a byte-order mark so spreadsheets read the
/// accents).
pub async fn csv(State(state): State<AppState>, Query(f): Query<Filters>) -> Result<Response, PageError> {
    let v = state.app.indicators(&f.query()).await?;
    let mut out = String::from("\u{feff}indicateur;valeur\r\n");
    for (label, value) in rows(&v) {
        out.push_str(&format!("{label};{}\r\n", value.replace(['\u{202f}', '\u{a0}'], " ")));
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"indicateurs-clauses-sociales.csv\""),
        ],
        out,
    )
        .into_response())
}
