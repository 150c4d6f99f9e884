//! `/indicateurs`: the public indicators of social clauses — filters, a bar chart drawn on the
//! server in SVG (hours by way), the same figures as a table, a CSV file and a workbook (XLSX).

use app::{IndicatorQuery, IndicatorsView};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::indicators::{Indicators, SMALL_COUNT};
use domain::percent;
use formats::xlsx::{Cell, workbook};
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
    acheteur: Option<String>,
}

impl Filters {
    pub fn query(self) -> IndicatorQuery {
        IndicatorQuery {
            departement: self.departement,
            operation: self.operation,
            year: self.annee,
            buyer: self.acheteur,
        }
    }
}

fn hidden() -> String {
    format!("masqué (moins de {SMALL_COUNT} personnes)")
}

fn hours(h: i64) -> String {
    format!("{} h", views::count(h))
}

/// A figure of the table, typed so that a spreadsheet gets numbers.
enum Figure {
    Count(i64),
    Hours(i64),
    /// Whole percent.
    Percent(i64),
    /// A charter's target rate, in basis points.
    Rate(u16),
    /// Cents HT.
    Euros(i64),
    Text(String),
    /// Fewer than five people: not shown.
    Hidden,
}

impl Figure {
    fn text(&self) -> String {
        match self {
            Figure::Count(n) => views::count(*n),
            Figure::Hours(h) => hours(*h),
            Figure::Percent(p) => format!("{p}\u{a0}%"),
            Figure::Rate(bp) => percent::format(*bp),
            Figure::Euros(c) => domain::money::Cents(*c).format_ht(),
            Figure::Text(t) => t.clone(),
            Figure::Hidden => hidden(),
        }
    }

    /// The unit a spreadsheet's label needs once the number stands alone.
    fn unit(&self) -> &'static str {
        match self {
            Figure::Hours(_) => " (heures)",
            Figure::Percent(_) => " (%)",
            Figure::Euros(_) => " (euros HT)",
            _ => "",
        }
    }

    fn cell(&self) -> Cell {
        match self {
            Figure::Count(n) | Figure::Hours(n) | Figure::Percent(n) => Cell::Number(*n),
            // Whole euros: a spreadsheet sums them; the cents of an award are rarely more.
            Figure::Euros(c) => Cell::Number(c / 100),
            other => Cell::Text(other.text().replace(['\u{202f}', '\u{a0}'], " ")),
        }
    }
}

/// Every figure with its label: the table, the CSV file and the workbook show the same. With an
/// operation, its charter's targets come first, to compare.
fn figures(v: &IndicatorsView) -> Vec<(String, Figure)> {
    let i = &v.indicators;
    let or_hidden = |f: Option<i64>, wrap: fn(i64) -> Figure| f.map_or(Figure::Hidden, wrap);
    let mut rows = Vec::new();
    if let Some(b) = v.buyers.iter().find(|b| Some(b.id) == v.filter.buyer) {
        rows.push(("Acheteur".to_string(), Figure::Text(b.name.clone())));
    }
    if let Some(o) = v.operations.iter().find(|o| Some(o.id) == v.filter.operation) {
        rows.push(("Opération".to_string(), Figure::Text(o.spec.name.clone())));
        rows.push(("Objectif de la charte : part des heures en insertion".into(), Figure::Rate(o.spec.target_rate_bp)));
        if let Some(h) = o.spec.target_hours {
            rows.push(("Objectif de la charte : heures d’insertion".into(), Figure::Hours(h)));
        }
        if let Some(bp) = o.spec.target_sme_bp {
            rows.push((
                "Objectif de la charte : part du montant remportée par des TPE et PME".into(),
                Figure::Rate(bp),
            ));
        }
    }
    rows.extend([
        ("Contrats avec une clause sociale".to_string(), Figure::Count(i.contracts_with_clause)),
        ("Heures d’insertion requises".into(), Figure::Hours(i.hours_required)),
        ("Heures d’insertion réalisées (validées)".into(), Figure::Hours(i.hours_realised)),
        (
            "Part des heures requises réalisées".into(),
            i.realisation_share.map_or(Figure::Text("—".into()), Figure::Percent),
        ),
        ("Bénéficiaires".into(), or_hidden(i.beneficiaries, Figure::Count)),
        ("Part des femmes".into(), or_hidden(i.women_share, Figure::Percent)),
        ("Part des habitants des quartiers prioritaires (QPV)".into(), or_hidden(i.qpv_share, Figure::Percent)),
    ]);
    rows.extend(
        i.hours_by_way
            .iter()
            .map(|w| (format!("Heures réalisées — {}", w.way.label()), or_hidden(w.hours, Figure::Hours))),
    );
    rows.extend(
        i.age_bands
            .iter()
            .map(|b| (format!("Bénéficiaires de {}", b.band.label()), or_hidden(b.people, Figure::Count))),
    );
    let k = &v.contracts;
    let share = |p: Option<i64>| p.map_or(Figure::Text("—".into()), Figure::Percent);
    rows.extend([
        ("Marchés attribués (lots)".to_string(), Figure::Count(k.contracts)),
        ("Montant attribué".into(), Figure::Euros(k.amount_cents)),
        ("Marchés avec une considération sociale".into(), Figure::Count(k.with_social)),
        ("Part des marchés avec une considération sociale".into(), share(k.social_share)),
        ("Part des marchés remportés par des TPE et PME".into(), share(k.sme_share)),
        ("Part du montant remportée par des TPE et PME".into(), share(k.sme_amount_share)),
        ("Part des marchés remportés par des structures inclusives".into(), share(k.siae_share)),
        ("Part du montant remportée par des structures inclusives".into(), share(k.siae_amount_share)),
    ]);
    let outcomes = [("À la fin du contrat", &v.outcomes.at_end), ("Six mois après la fin", &v.outcomes.six_months)];
    for (when, counts) in outcomes {
        rows.extend(
            counts.iter().map(|c| {
                (format!("{when} — {} (contrats)", c.outcome.label()), or_hidden(c.placements, Figure::Count))
            }),
        );
    }
    rows
}

fn rows(v: &IndicatorsView) -> Vec<(String, String)> {
    figures(v).into_iter().map(|(label, f)| (label, f.text())).collect()
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

/// One département's line of the comparison, and its pair of bars (required, realised) scaled
/// to 400 px.
pub struct DepartementRow {
    pub name: String,
    pub contracts: String,
    pub required: String,
    pub realised: String,
    pub rate: String,
    pub beneficiaries: String,
    pub y: usize,
    pub required_width: i64,
    pub realised_width: i64,
}

/// The départements with a contract in scope, compared.
fn departement_rows(v: &IndicatorsView) -> Vec<DepartementRow> {
    let shown = &v.by_departement;
    let max = shown.iter().map(|(_, i)| i.hours_required.max(i.hours_realised)).max().unwrap_or(0).max(1);
    shown
        .iter()
        .enumerate()
        .map(|(n, (code, i))| DepartementRow {
            name: views::departement_name(code),
            contracts: views::count(i.contracts_with_clause),
            required: hours(i.hours_required),
            realised: hours(i.hours_realised),
            rate: i.realisation_share.map_or_else(|| "—".into(), |p| Figure::Percent(p).text()),
            beneficiaries: i.beneficiaries.map_or_else(hidden, views::count),
            y: n * 56,
            required_width: i.hours_required * 400 / max,
            realised_width: i.hours_realised * 400 / max,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "indicators.html")]
struct Page {
    nav: Nav,
    departements: Vec<Choice>,
    operations: Vec<(i64, String, bool)>,
    buyers: Vec<(i64, String, bool)>,
    year: String,
    rows: Vec<(String, String)>,
    bars: Vec<Bar>,
    chart_height: usize,
    departements_compared: Vec<DepartementRow>,
    comparison_height: usize,
    /// The query string of the filters (with its `?`), for the downloads.
    filters: String,
}

pub async fn show(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Query(f): Query<Filters>,
) -> Result<Response, PageError> {
    let v: IndicatorsView = state.app.indicators(&f.query()).await?;
    let bars = bars(&v.indicators);
    let compared = departement_rows(&v);
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
    if let Some(b) = filter.buyer {
        params.push(format!("acheteur={b}"));
    }
    Ok(render(&Page {
        nav: Nav::of(&actor),
        departements: departements(filter.departement.as_deref().unwrap_or("")),
        operations: v.operations.iter().map(|o| (o.id, o.spec.name.clone(), filter.operation == Some(o.id))).collect(),
        buyers: v.buyers.iter().map(|b| (b.id, b.name.clone(), filter.buyer == Some(b.id))).collect(),
        year: filter.year.map(|y| y.to_string()).unwrap_or_default(),
        rows: rows(&v),
        chart_height: bars.len() * 40 + 10,
        comparison_height: compared.len() * 56 + 40,
        departements_compared: compared,
        bars,
        filters: if params.is_empty() { String::new() } else { format!("?{}", params.join("&")) },
    }))
}

/// A field as RFC 4180 wants it: quoted when it holds the separator, a quote or a line break
/// (an operation's or a buyer's name may).
fn csv_field(text: &str) -> String {
    if text.contains([';', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_string() }
}

/// The same figures as a CSV file (`;`, UTF-8 with a byte-order mark so spreadsheets read the
/// accents).
pub async fn csv(State(state): State<AppState>, Query(f): Query<Filters>) -> Result<Response, PageError> {
    let v = state.app.indicators(&f.query()).await?;
    let mut out = String::from("\u{feff}indicateur;valeur\r\n");
    for (label, value) in rows(&v) {
        let value = value.replace(['\u{202f}', '\u{a0}'], " ");
        out.push_str(&format!("{};{}\r\n", csv_field(&label), csv_field(&value)));
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

/// The same figures as a workbook, numbers as numbers.
pub async fn xlsx(State(state): State<AppState>, Query(f): Query<Filters>) -> Result<Response, PageError> {
    let v = state.app.indicators(&f.query()).await?;
    let mut rows = vec![vec![Cell::Text("Indicateur".into()), Cell::Text("Valeur".into())]];
    rows.extend(figures(&v).into_iter().map(|(label, f)| vec![Cell::Text(format!("{label}{}", f.unit())), f.cell()]));
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"indicateurs-clauses-sociales.xlsx\""),
        ],
        workbook("Clauses sociales", &rows),
    )
        .into_response())
}
