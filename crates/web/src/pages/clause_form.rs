//! The social-clause editor of one lot (`/acheteur/consultations/{id}/lots/{lot}/clause-sociale`):
//! the calculator pre-filled for the lot's trade, a "Calculer" button that re-renders the form
//! with the hours (no JavaScript), and the clause itself.

use app::{AppError, ClauseDraft};
use askama::Template;
use axum::Form;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::FieldErrors;
use domain::consultation::AmountInput;
use domain::insertion_hours::HoursInput;
use domain::social_clause::{ClauseInput, LegalBasis, Public, Way};

use super::buyer::refusal;
use super::consultation_form::{Choice, choices, departements};
use super::render;
use crate::AppState;
use crate::error::PageError;
use crate::form::FormData;
use crate::identity::Caller;
use crate::views::{self, Nav};

/// Offered when a lot has no clause yet; the buyer adapts it.
const MODEL_TEXT: &str = "Le titulaire réserve aux publics éligibles ci-dessus le nombre d’heures d’insertion \
indiqué, selon l’une des modalités retenues, avec l’accompagnement du facilitateur du département. Il transmet \
chaque mois le relevé des heures réalisées.";

pub struct ClauseForm {
    pub action: String,
    pub consultation_id: i64,
    pub consultation_title: String,
    pub lot: String,
    pub bases: Vec<Choice>,
    pub amount: String,
    pub labour_share: String,
    pub rate: String,
    pub hourly_cost: String,
    /// "833 heures", after "Calculer" or from the stored clause.
    pub computed: Option<String>,
    pub override_hours: String,
    pub override_reason: String,
    pub publics: Vec<Choice>,
    pub ways: Vec<Choice>,
    pub departements: Vec<Choice>,
    pub body: String,
    pub needs_reason: bool,
    pub reason: String,
    /// The lot has a clause, which may be removed.
    pub stored: bool,
    /// The library's model clauses offered: (id, "title — basis").
    pub models: Vec<(i64, String)>,
    /// The model whose text the form just took.
    pub taken: Option<String>,
    pub errors: FieldErrors,
}

fn hours_text(h: i64) -> String {
    format!("{} heure{}", views::count(h), if h > 1 { "s" } else { "" })
}

impl ClauseForm {
    fn frame(d: &ClauseDraft) -> ClauseForm {
        let c = &d.consultation;
        ClauseForm {
            action: format!("/acheteur/consultations/{}/lots/{}/clause-sociale", c.id, d.lot_number),
            consultation_id: c.id,
            consultation_title: c.fields.title.clone(),
            lot: match &d.lot_title {
                Some(t) => format!("Lot {} — {t}", d.lot_number),
                None => "Marché entier".into(),
            },
            bases: vec![],
            amount: String::new(),
            labour_share: String::new(),
            rate: String::new(),
            hourly_cost: String::new(),
            computed: None,
            override_hours: String::new(),
            override_reason: String::new(),
            publics: vec![],
            ways: vec![],
            departements: vec![],
            body: String::new(),
            needs_reason: d.needs_reason,
            reason: String::new(),
            stored: d.clause.is_some(),
            models: d
                .models
                .iter()
                .map(|m| {
                    let basis = m.practice.legal_basis.map(|b| format!(" — {}", b.label())).unwrap_or_default();
                    (m.id, format!("{}{basis}", m.practice.title))
                })
                .collect(),
            taken: None,
            errors: FieldErrors::default(),
        }
    }

    /// The stored clause, or the trade's defaults.
    pub fn of(d: &ClauseDraft) -> ClauseForm {
        let mut f = ClauseForm::frame(d);
        match &d.clause {
            Some(cl) => {
                let s = &cl.spec;
                f.bases = choices(LegalBasis::ALL, LegalBasis::code, LegalBasis::label, &[s.legal_basis.code().into()]);
                if let Some(b) = s.basis {
                    f.amount = b.amount.format_input();
                    f.labour_share = views::percent_input(b.labour_share_bp);
                    f.rate = views::percent_input(b.rate_bp);
                    f.hourly_cost = b.hourly_cost.format_input();
                    f.computed = Some(hours_text(b.hours()));
                }
                if let Some(o) = &s.overridden {
                    f.override_hours = o.hours.to_string();
                    f.override_reason = o.reason.clone();
                }
                let codes = |v: Vec<&str>| v.into_iter().map(String::from).collect::<Vec<_>>();
                f.publics = choices(
                    Public::ALL,
                    Public::code,
                    Public::label,
                    &codes(s.publics.iter().map(|p| p.code()).collect()),
                );
                f.ways = choices(Way::ALL, Way::code, Way::label, &codes(s.ways.iter().map(|w| w.code()).collect()));
                f.departements = departements(&s.facilitator_departement);
                f.body = s.body.clone();
            }
            None => {
                f.bases = choices(LegalBasis::ALL, LegalBasis::code, LegalBasis::label, &["L2112-2".into()]);
                f.amount = d.estimated_value.map(|v| v.format_input()).unwrap_or_default();
                f.labour_share = views::percent_input(d.defaults.labour_share_bp);
                f.rate = views::percent_input(d.defaults.rate_bp);
                f.hourly_cost = d.defaults.hourly_cost.format_input();
                f.publics = choices(Public::ALL, Public::code, Public::label, &[]);
                f.ways = choices(Way::ALL, Way::code, Way::label, &[]);
                f.departements = departements(&d.consultation.fields.departement);
                f.body = MODEL_TEXT.into();
            }
        }
        f
    }

    /// What was just typed, with the errors (and the hours, after "Calculer").
    pub fn from_form(data: &FormData, d: &ClauseDraft, mut errors: FieldErrors) -> ClauseForm {
        let mut f = ClauseForm::frame(d);
        f.bases = choices(LegalBasis::ALL, LegalBasis::code, LegalBasis::label, &[data.text("legal_basis")]);
        f.amount = data.text("amount");
        f.labour_share = data.text("labour_share");
        f.rate = data.text("rate");
        f.hourly_cost = data.text("hourly_cost");
        match &d.computed {
            Some(Ok(h)) => f.computed = Some(hours_text(*h)),
            Some(Err(e)) => errors.0.extend(e.0.iter().cloned()),
            None => {}
        }
        f.override_hours = data.text("override_hours");
        f.override_reason = data.text("override_reason");
        f.publics = choices(Public::ALL, Public::code, Public::label, &data.all("publics"));
        f.ways = choices(Way::ALL, Way::code, Way::label, &data.all("ways"));
        f.departements = departements(&data.text("facilitator_departement"));
        f.body = data.text("body");
        f.reason = data.text("reason");
        f.errors = errors;
        f
    }
}

/// The clause as the form posts it (amounts in euros).
fn clause_input(f: &FormData) -> ClauseInput {
    ClauseInput {
        legal_basis: f.text("legal_basis"),
        hours: HoursInput {
            amount: f.optional("amount").map(AmountInput::Euros),
            labour_share: f.text("labour_share"),
            rate: f.text("rate"),
            hourly_cost: f.optional("hourly_cost").map(AmountInput::Euros),
        },
        override_hours: f.optional("override_hours"),
        override_reason: f.optional("override_reason"),
        publics: f.all("publics"),
        ways: f.all("ways"),
        facilitator_departement: f.text("facilitator_departement"),
        body: f.text("body"),
    }
}

#[derive(Template)]
#[template(path = "social_clause.html")]
struct ClausePage {
    nav: Nav,
    form: ClauseForm,
}

fn page(actor: &app::Actor, form: ClauseForm, status: StatusCode) -> Response {
    let mut r = render(&ClausePage { nav: Nav::of(actor), form });
    *r.status_mut() = status;
    r
}

pub async fn show(
    State(state): State<AppState>,
    Caller(actor): Caller,
    OriginalUri(uri): OriginalUri,
    Path((id, lot)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    if let Some(r) = refusal(&actor, &uri) {
        return Ok(r);
    }
    let draft = state.app.clause_draft(&actor, id, lot, None).await?;
    Ok(page(&actor, ClauseForm::of(&draft), StatusCode::OK))
}

/// "Calculer" shows the hours of what was typed; "Reprendre" takes a model clause's text from
/// the library; "Enregistrer" saves the clause; "Retirer" removes it.
pub async fn save(
    State(state): State<AppState>,
    Caller(actor): Caller,
    OriginalUri(uri): OriginalUri,
    Path((id, lot)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    if let Some(r) = refusal(&actor, &uri) {
        return Ok(r);
    }
    let data = FormData(pairs);
    let input = clause_input(&data);
    if data.get("action") == Some("calculer") {
        let draft = state.app.clause_draft(&actor, id, lot, Some(&input.hours)).await?;
        let status =
            if matches!(draft.computed, Some(Err(_))) { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
        return Ok(page(&actor, ClauseForm::from_form(&data, &draft, FieldErrors::default()), status));
    }
    if data.get("action") == Some("modele") {
        let model = data.optional("model").and_then(|m| m.parse().ok());
        let (draft, taken) = state.app.take_clause_model(&actor, id, lot, model).await?;
        return Ok(match taken {
            Ok(m) => {
                let mut f = ClauseForm::from_form(&data, &draft, FieldErrors::default());
                f.body = m.practice.body.clone();
                if let Some(b) = m.practice.legal_basis {
                    f.bases = choices(LegalBasis::ALL, LegalBasis::code, LegalBasis::label, &[b.code().into()]);
                }
                f.taken = Some(m.practice.title.clone());
                page(&actor, f, StatusCode::OK)
            }
            Err(errors) => page(&actor, ClauseForm::from_form(&data, &draft, errors), StatusCode::UNPROCESSABLE_ENTITY),
        });
    }
    let reason = data.optional("reason");
    let done = if data.get("action") == Some("supprimer") {
        state.app.remove_social_clause(&actor, id, lot, reason.as_deref()).await
    } else {
        state.app.save_social_clause(&actor, id, lot, &input, reason.as_deref()).await
    };
    match done {
        Ok(()) => Ok(Redirect::to(&format!("/acheteur/consultations/{id}#clauses-sociales")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let draft = state.app.clause_draft(&actor, id, lot, None).await?;
            Ok(page(&actor, ClauseForm::from_form(&data, &draft, errors), StatusCode::UNPROCESSABLE_ENTITY))
        }
        Err(e) => Err(e.into()),
    }
}
