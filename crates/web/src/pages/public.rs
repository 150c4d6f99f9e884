//! What anyone can see and do without an account: find consultations, read them, download
//! their DCE; and, for a firm, ask a question.

use app::{Actor, ConsultationView, Found};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::award::{Ccag, Modality, PriceType, Technique};
use domain::consultation::{Nature, Phase, Procedure};
use serde::Deserialize;
use store::ConsultationSummary;

use super::render;
use crate::AppState;
use crate::error::PageError;
use crate::identity::Caller;
use crate::pages::notices::NoticeRow;
use crate::views::{self, Nav};
use app::search_query::SearchQuery;

pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub(super) fn options<'a>(items: impl Iterator<Item = (&'a str, String)>, current: &Option<String>) -> Vec<Opt> {
    items
        .map(|(value, label)| Opt { selected: current.as_deref() == Some(value), value: value.to_string(), label })
        .collect()
}

pub struct Row {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub buyer: String,
    pub nature: &'static str,
    pub procedure: &'static str,
    pub place: String,
    pub deadline: String,
    pub deadline_iso: String,
    pub phase: &'static str,
    pub phase_code: &'static str,
}

impl Row {
    pub fn of(s: &ConsultationSummary, now: jiff::Timestamp) -> Row {
        let phase = Phase::of(s.status, s.bid_deadline, now);
        Row {
            id: s.id,
            reference: s.reference.clone(),
            title: s.title.clone(),
            buyer: s.organisation_name.clone(),
            nature: s.nature.label(),
            procedure: s.procedure.label(),
            place: format!("{} ({})", s.place_label, s.departement),
            deadline: views::long(&s.bid_deadline),
            deadline_iso: views::iso(&s.bid_deadline),
            phase: phase.label(),
            phase_code: phase.code(),
        }
    }
}

/// One result: a consultation of Halle or a notice published elsewhere.
pub enum Card {
    Consultation(Row),
    Notice(NoticeRow),
}

/// A facet value: its count, and the link that adds (or, when chosen, removes) the filter.
pub struct FacetLink {
    pub label: String,
    pub count: u64,
    pub href: String,
    pub selected: bool,
}

pub struct FacetGroup {
    pub label: &'static str,
    pub links: Vec<FacetLink>,
}

/// At most this many values per facet on the page.
const FACET_VALUES: usize = 12;

fn facet_group(
    query: &SearchQuery,
    label: &'static str,
    param: &str,
    current: &Option<String>,
    counts: &[(String, u64)],
    name: impl Fn(&str) -> Option<(String, String)>,
) -> Option<FacetGroup> {
    let chosen = current.as_deref().map(str::trim).filter(|c| !c.is_empty());
    let links: Vec<FacetLink> = counts
        .iter()
        .filter_map(|(code, count)| {
            let (value, label) = name(code)?;
            let selected = chosen == Some(value.as_str());
            // A chosen filter shows only its value, as the link that removes it.
            if chosen.is_some() && !selected {
                return None;
            }
            let href = query.with(param, if selected { None } else { Some(&value) });
            Some(FacetLink { label, count: *count, href, selected })
        })
        .take(FACET_VALUES)
        .collect();
    (!links.is_empty()).then_some(FacetGroup { label, links })
}

fn facets(query: &SearchQuery, f: &search::Facets) -> Vec<FacetGroup> {
    let same = |code: &str, label: String| Some((code.to_string(), label));
    [
        facet_group(query, "département", "departement", &query.departement, &f.departement, |c| {
            same(c, views::departement_name(c))
        }),
        facet_group(query, "nature", "nature", &query.nature, &f.nature, |c| {
            Nature::parse(c).ok().and_then(|n| same(c, n.label().to_string()))
        }),
        facet_group(query, "procédure", "procedure", &query.procedure, &f.procedure, |c| {
            Procedure::parse(c).ok().and_then(|p| same(c, p.label().to_string()))
        }),
        facet_group(query, "domaine", "cpv", &query.cpv, &f.cpv_division, |c| {
            let label = domain::cpv::divisions().into_iter().find(|d| d.division() == c).map(|d| d.label_fr.as_str());
            same(c, format!("{c} — {}", label.unwrap_or("division inconnue")))
        }),
        facet_group(query, "date limite", "echeance", &query.echeance, &f.deadline_window, |c| match c {
            "week" => Some(("semaine".into(), "Cette semaine".into())),
            "month" => Some(("mois".into(), "Dans les 30 jours".into())),
            _ => None,
        }),
    ]
    .into_iter()
    .flatten()
    .collect()
}

#[derive(Template)]
#[template(path = "list.html")]
struct ListPage {
    nav: Nav,
    heading: &'static str,
    q: String,
    total: u64,
    /// Of which notices published elsewhere.
    notices: u64,
    cards: Vec<Card>,
    errors: Vec<String>,
    departements: Vec<Opt>,
    natures: Vec<Opt>,
    procedures: Vec<Opt>,
    divisions: Vec<Opt>,
    etats: Vec<Opt>,
    tris: Vec<Opt>,
    social: bool,
    relaxed: bool,
    previous: Option<String>,
    next: Option<String>,
    page: i64,
    pages: i64,
    facets: Vec<FacetGroup>,
    save: Option<SaveOffer>,
}

/// The offer to save the search on screen (veille), shown when the search is valid.
struct SaveOffer {
    signed_in: bool,
    query: String,
    name: String,
    sign_in: String,
    frequencies: Vec<Opt>,
}

const PER_PAGE: i64 = 20;

async fn list_page(
    state: AppState,
    actor: Actor,
    query: SearchQuery,
    heading: &'static str,
) -> Result<Response, PageError> {
    let (checked, errors) = match query.check() {
        Ok(c) => (c, vec![]),
        Err(e) => (Default::default(), e.0.into_iter().map(|e| e.message).collect()),
    };
    let errors_empty = errors.is_empty();
    let page = checked.page.max(1);
    let result = state.app.search(&checked.filter, checked.query(PER_PAGE)).await?;
    let now = state.app.now();
    let total = i64::try_from(result.total).unwrap_or(i64::MAX);
    // Results past the 10 000th are not listed: no page beyond them.
    let pages = ((total.min(search::MAX_RANK as i64) + PER_PAGE - 1) / PER_PAGE).max(1);
    let base = query.query_string_without_page();
    let link = |p: i64| format!("/consultations?{}{}page={p}", base, if base.is_empty() { "" } else { "&" });
    let page_view = ListPage {
        nav: Nav::of(&actor),
        heading,
        q: query.q.clone().unwrap_or_default(),
        total: result.total.saturating_sub(search::Facets::count(&result.facets.kind, "notice")),
        notices: search::Facets::count(&result.facets.kind, "notice"),
        cards: result
            .items
            .iter()
            .map(|item| match item {
                Found::Consultation(s) => Card::Consultation(Row::of(s, now)),
                Found::Notice(n) => Card::Notice(NoticeRow::of(n)),
            })
            .collect(),
        errors,
        departements: options(
            domain::geo::DEPARTEMENTS.iter().map(|d| (d.code, format!("{} ({})", d.name, d.code))),
            &query.departement,
        ),
        natures: options(Nature::ALL.iter().map(|n| (n.code(), n.label().to_string())), &query.nature),
        procedures: options(Procedure::ALL.iter().map(|p| (p.code(), p.label().to_string())), &query.procedure),
        divisions: options(
            domain::cpv::divisions().into_iter().map(|d| (d.division(), format!("{} — {}", d.division(), d.label_fr))),
            &query.cpv,
        ),
        etats: options(
            [("en_cours", "En cours".to_string()), ("cloturee", "Clôturées et attribuées".to_string())].into_iter(),
            &query.etat,
        ),
        tris: options(
            [
                ("pertinence", "Pertinence".to_string()),
                ("date_limite", "Date limite la plus proche".to_string()),
                ("publication", "Publication la plus récente".to_string()),
            ]
            .into_iter(),
            &query.tri,
        ),
        social: query.clause.as_deref() == Some("sociale"),
        relaxed: result.relaxed,
        previous: (page > 1).then(|| link(page - 1)),
        next: (page < pages).then(|| link(page + 1)),
        page,
        pages,
        facets: facets(&query, &result.facets),
        save: errors_empty.then(|| SaveOffer {
            signed_in: actor.user().is_some(),
            query: base.clone(),
            name: query.describe(),
            sign_in: super::veille::sign_in_to_save(&query),
            frequencies: super::veille::frequencies(domain::alert::Frequency::Immediate.code(), false),
        }),
    };
    Ok(render(&page_view))
}

pub async fn home(State(state): State<AppState>, Caller(actor): Caller) -> Result<Response, PageError> {
    list_page(state, actor, SearchQuery::default(), "Les marchés publics d’Île-de-France").await
}

pub async fn list(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Query(query): Query<SearchQuery>,
) -> Result<Response, PageError> {
    list_page(state, actor, query, "Consultations").await
}

pub struct LotRow {
    pub number: i64,
    pub title: String,
    pub cpv: String,
    pub value: String,
}

pub struct DocRow {
    pub id: i64,
    pub name: String,
    pub size: String,
    pub version: i64,
}

pub struct QuestionRow {
    pub id: i64,
    pub body: String,
    pub asked: String,
    pub answer: Option<String>,
    pub answered: String,
    pub asker: Option<String>,
}

pub struct AwardRow {
    pub lot: String,
    pub holders: String,
    pub amount: String,
    pub notified: String,
    pub duration: String,
    pub price: String,
    pub terms: String,
    pub offers: i64,
}

/// French labels of stored vocabulary codes, comma-separated.
fn labels<T>(codes: &[String], parse: fn(&str) -> Result<T, String>, label: fn(T) -> &'static str) -> String {
    codes.iter().map(|c| parse(c).map(label).unwrap_or(c.as_str())).collect::<Vec<_>>().join(", ")
}

/// CCAG, techniques, modalities, innovation and advance, in one line.
fn award_terms(a: &store::Award) -> String {
    let mut terms = vec![
        format!("CCAG : {}", Ccag::parse(&a.ccag).map(Ccag::label).unwrap_or(&a.ccag)),
        format!("technique : {}", labels(&a.techniques, Technique::parse, Technique::label)),
        format!("exécution : {}", labels(&a.modalities, Modality::parse, Modality::label)),
    ];
    if a.innovative {
        terms.push("marché innovant".into());
    }
    match a.advance {
        None => terms.push("sans avance".into()),
        Some(None) => terms.push("avance attribuée".into()),
        Some(Some(bp)) => terms.push(format!("avance de {} %", format_percent(bp))),
    }
    terms.join(" ; ")
}

/// Basis points as a French percentage: 550 → "5,5".
fn format_percent(bp: i64) -> String {
    let text = format!("{}.{:02}", bp / 100, bp % 100);
    text.trim_end_matches('0').trim_end_matches('.').replace('.', ",")
}

pub struct RectifRow {
    pub version: i64,
    pub summary: String,
    pub date: String,
}

/// Everything the public page and the buyer's page show about one consultation.
pub struct Detail {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub object: String,
    pub buyer: String,
    pub phase: &'static str,
    pub phase_code: &'static str,
    pub nature: &'static str,
    pub procedure: &'static str,
    pub cpv: String,
    pub cpv_additional: Vec<String>,
    pub place: String,
    pub nuts: String,
    pub value: String,
    pub questions_deadline: Option<String>,
    pub deadline: String,
    pub deadline_iso: String,
    pub published: Option<String>,
    pub contact: Option<String>,
    pub social: String,
    pub environmental: String,
    pub lots: Vec<LotRow>,
    pub docs: Vec<DocRow>,
    pub dce_size: String,
    pub dce_version: i64,
    pub questions: Vec<QuestionRow>,
    pub rectificatifs: Vec<RectifRow>,
    pub is_owner: bool,
    pub can_ask: bool,
    pub can_deposit: bool,
    pub is_test: bool,
    pub open: bool,
    pub awards: Vec<AwardRow>,
    pub clauses: Vec<super::clause_view::ClauseRow>,
}

impl Detail {
    pub fn of(v: &ConsultationView) -> Detail {
        let c = &v.consultation;
        let f = &c.fields;
        Detail {
            id: c.id,
            reference: c.reference.clone(),
            title: f.title.clone(),
            object: f.object.clone(),
            buyer: c.organisation_name.clone(),
            phase: v.phase.label(),
            phase_code: v.phase.code(),
            nature: f.nature.label(),
            procedure: f.procedure.label(),
            cpv: format!("{} — {}", f.cpv, views::cpv_label(&f.cpv)),
            cpv_additional: f.cpv_additional.iter().map(|c| format!("{c} — {}", views::cpv_label(c))).collect(),
            place: if f.place_code == f.departement {
                views::departement_name(&f.departement)
            } else {
                format!("{}, {}", f.place_label, views::departement_name(&f.departement))
            },
            nuts: f.nuts.clone(),
            value: views::money(&f.estimated_value),
            questions_deadline: f.questions_deadline.as_ref().map(views::long),
            deadline: views::long(&f.bid_deadline),
            deadline_iso: views::iso(&f.bid_deadline),
            published: c.published_at.as_ref().map(views::long),
            contact: f.contact.clone(),
            social: f.social.iter().map(|s| s.label()).collect::<Vec<_>>().join(", "),
            environmental: f.environmental.iter().map(|s| s.label()).collect::<Vec<_>>().join(", "),
            lots: f
                .lots
                .iter()
                .map(|l| LotRow {
                    number: l.number,
                    title: l.title.clone(),
                    cpv: format!("{} — {}", l.cpv, views::cpv_label(&l.cpv)),
                    value: views::money(&l.estimated_value),
                })
                .collect(),
            docs: v
                .documents
                .iter()
                .map(|d| DocRow {
                    id: d.id,
                    name: d.name.clone(),
                    size: views::size(&d.size),
                    version: d.added_version,
                })
                .collect(),
            dce_size: views::size(&v.documents.iter().map(|d| d.size).sum()),
            dce_version: c.dce_version,
            questions: v
                .questions
                .iter()
                .map(|q| QuestionRow {
                    id: q.id,
                    body: q.body.clone(),
                    asked: views::long(&q.asked_at),
                    answer: q.answer.clone(),
                    answered: q.answered_at.as_ref().map(views::long).unwrap_or_default(),
                    asker: q.asker.clone(),
                })
                .collect(),
            rectificatifs: v
                .rectificatifs
                .iter()
                .map(|r| RectifRow {
                    version: r.dce_version,
                    summary: r.summary.clone(),
                    date: views::long(&r.published_at),
                })
                .collect(),
            is_owner: v.is_owner,
            can_ask: v.can_ask,
            can_deposit: v.can_deposit,
            is_test: v.is_test,
            awards: v
                .awards
                .iter()
                .map(|a| AwardRow {
                    lot: if a.lot_number == 0 { "Marché entier".into() } else { format!("Lot {}", a.lot_number) },
                    holders: a
                        .holders
                        .iter()
                        .map(|h| format!("{} ({}, SIRET {})", h.name, h.role, h.siret))
                        .collect::<Vec<_>>()
                        .join(" ; "),
                    amount: a.amount.format_ht(),
                    notified: a.notified_on.clone(),
                    duration: format!("{} mois", a.duration_months),
                    price: format!(
                        "{}, {} — groupement : {}",
                        a.price_form,
                        labels(&a.price_types, PriceType::parse, PriceType::label).to_lowercase(),
                        a.grouping.to_lowercase()
                    ),
                    terms: award_terms(a),
                    offers: a.offers_received,
                })
                .collect(),
            clauses: v
                .clauses
                .iter()
                .map(|cl| {
                    let title = f.lots.iter().find(|l| l.number == cl.lot_number).map(|l| l.title.as_str());
                    super::clause_view::ClauseRow::of(cl, title)
                })
                .collect(),
            open: v.phase.is_open(),
        }
    }
}

#[derive(Template)]
#[template(path = "consultation.html")]
struct ShowPage {
    nav: Nav,
    d: Detail,
    signed_in: bool,
    question_error: Option<String>,
    question: String,
    notice: Option<&'static str>,
}

#[derive(Deserialize)]
pub struct ShowQuery {
    pub envoye: Option<String>,
    pub copie: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, PageError> {
    let view = state.app.consultation(&actor, id).await?;
    Ok(render(&ShowPage {
        nav: Nav::of(&actor),
        d: Detail::of(&view),
        signed_in: actor.user().is_some(),
        question_error: None,
        question: String::new(),
        notice: match (q.envoye, q.copie) {
            (Some(_), _) => {
                Some("Votre question a été transmise à l’acheteur. La réponse sera publiée sur cette page.")
            }
            (_, Some(_)) => {
                Some("Votre copie de sauvegarde est déclarée : envoyez-la à l’acheteur avant la date limite.")
            }
            _ => None,
        },
    }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AskForm {
    pub question: String,
}

pub async fn ask(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
    Form(form): Form<AskForm>,
) -> Result<Response, PageError> {
    match state.app.ask_question(&actor, id, &form.question).await {
        Ok(_) => Ok(Redirect::to(&format!("/consultations/{id}?envoye=1#questions")).into_response()),
        Err(app::AppError::Invalid(e)) => {
            let view = state.app.consultation(&actor, id).await?;
            let mut response = render(&ShowPage {
                nav: Nav::of(&actor),
                d: Detail::of(&view),
                signed_in: true,
                question_error: e.0.first().map(|e| e.message.clone()),
                question: form.question,
                notice: None,
            });
            *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}

/// The permanent test consultation, where a firm tries a deposit.
pub async fn test_consultation(State(state): State<AppState>) -> Result<Response, PageError> {
    let id = state.app.test_consultation().await?.ok_or(app::AppError::NotFound)?;
    Ok(Redirect::to(&format!("/consultations/{id}")).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct BackupForm {
    pub medium: String,
}

/// A firm declares a copie de sauvegarde.
pub async fn declare_backup_copy(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
    Form(form): Form<BackupForm>,
) -> Result<Response, PageError> {
    state.app.declare_backup_copy(&actor, id, &form.medium).await?;
    Ok(Redirect::to(&format!("/consultations/{id}?copie=1#depot")).into_response())
}
