//! Server-rendered pages, in French, complete without JavaScript.

mod account;
mod admin;
mod award_form;
mod beneficiary_view;
pub(crate) mod bids;
mod buyer;
mod clause_form;
mod clause_view;
mod consultation_form;
mod contracts;
mod facilitator;
mod feeds;
pub(crate) mod inclusion;
mod indicators;
pub(crate) mod library;
pub(crate) mod notices;
mod operations;
pub(crate) mod profile;
mod public;
pub(crate) mod suggestions;
mod veille;

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{get, post};

use crate::AppState;
use crate::error::PageError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(public::home))
        .route("/static/halle.css", get(stylesheet))
        .route("/static/htmx.min.js", get(htmx))
        .route("/suggestions/cpv", get(suggestions::cpv))
        .route("/suggestions/communes", get(suggestions::communes))
        .route("/consultations", get(public::list))
        .route("/consultation-de-test", get(public::test_consultation))
        .route("/flux.atom", get(feeds::atom))
        .route("/consultations/{id}/calendrier.ics", get(feeds::ics))
        .route("/veille", get(veille::list).post(veille::save))
        .route("/veille/modifications-dce", post(veille::set_dce_alerts))
        .route("/veille/{id}/frequence", post(veille::set_frequency))
        .route("/veille/{id}/supprimer", post(veille::delete))
        .route("/veille/desabonnement/{token}", get(veille::unsubscribe_form).post(veille::unsubscribe))
        .route("/veille/{token}/flux.atom", get(veille::atom))
        .route("/veille/{token}/calendrier.ics", get(veille::ics))
        .route("/structures-inclusives", get(inclusion::directory))
        .route("/bibliotheque", get(library::list).post(library::create))
        .route("/bibliotheque/nouvelle", get(library::new_form))
        .route("/bibliotheque/{id}", get(library::show))
        .route("/bibliotheque/{id}/commentaires", post(library::comment))
        .route("/bibliotheque/{id}/reutiliser", post(library::reuse))
        .route("/bibliotheque/{id}/mise-en-avant", post(library::feature))
        .route("/bibliotheque/{id}/pieces/{attachment}", get(crate::download::practice_attachment::<PageError>))
        .route("/bibliotheque/{id}/pieces/{attachment}/retirer", post(library::remove_attachment))
        .route("/avis", get(notices::list))
        .route("/avis/{id}", get(notices::show))
        .route("/consultations/{id}", get(public::show))
        .route("/consultations/{id}/dce", get(crate::download::dce::<PageError>))
        .route("/consultations/{id}/documents/{doc}", get(crate::download::document::<PageError>))
        .route("/consultations/{id}/questions", post(public::ask))
        .route("/consultations/{id}/copies-de-sauvegarde", post(public::declare_backup_copy))
        .route("/acheteur/copies-de-sauvegarde/{id}/{event}", post(buyer::backup_copy))
        .route("/connexion", get(account::login_form).post(account::login))
        .route("/deconnexion", post(account::logout))
        .route("/inscription", get(account::register_form).post(account::register))
        .route("/acheteur", get(buyer::dashboard))
        .route("/acheteur/comptes", post(buyer::create_account))
        .route("/acheteur/organisation", get(profile::show).post(profile::save))
        .route("/acheteur/consultations/nouvelle", get(buyer::new_form).post(buyer::create))
        .route("/acheteur/consultations/{id}", get(buyer::manage))
        .route("/acheteur/consultations/{id}/modifier", get(buyer::edit_form).post(buyer::update))
        .route("/acheteur/consultations/{id}/publier", post(buyer::publish))
        .route("/acheteur/consultations/{id}/statut", post(buyer::status))
        .route("/acheteur/consultations/{id}/attribution", post(buyer::award))
        .route("/acheteur/consultations/{id}/lots/{lot}/clause-sociale", get(clause_form::show).post(clause_form::save))
        .route("/acheteur/consultations/{id}/documents/{doc}/retirer", post(buyer::remove_document))
        .route("/acheteur/questions/{id}/reponse", post(buyer::answer))
        .route("/acheteur/cle-ouverture", get(bids::opening_key_form).post(bids::opening_key))
        .route("/acheteur/consultations/{id}/ouverture/deverrouiller", post(bids::unlock))
        .route("/acheteur/consultations/{id}/ouverture/{envelope}", post(bids::open_envelope))
        .route("/acheteur/plis/{id}/fichiers/{index}", get(bids::opened_file::<PageError>))
        .route("/plis/{id}", get(bids::receipt))
        .route("/plis/{id}/accuse.json", get(bids::receipt_file))
        .route("/plis/{id}/accuse.pdf", get(bids::receipt_pdf::<PageError>))
        .route("/acheteur/consultations/{id}/pv-ouverture.pdf", get(bids::opening_report::<PageError>))
        .route("/facilitateur", get(facilitator::workspace))
        .route("/facilitateur/beneficiaires/nouveau", get(facilitator::new_form).post(facilitator::create))
        .route("/facilitateur/beneficiaires/{id}", get(facilitator::show))
        .route("/facilitateur/beneficiaires/{id}/supprimer", post(facilitator::delete))
        .route("/facilitateur/operations", get(operations::show).post(operations::create))
        .route("/facilitateur/operations/{id}", get(operations::show_one).post(operations::update))
        .route("/facilitateur/operations/{id}/supprimer", post(operations::delete))
        .route("/facilitateur/operations/{id}/contrats", post(operations::add_contract))
        .route("/facilitateur/operations/{id}/contrats/retirer", post(operations::remove_contract))
        .route("/indicateurs", get(indicators::show))
        .route("/indicateurs.csv", get(indicators::csv))
        .route("/indicateurs.xlsx", get(indicators::xlsx))
        .route("/clauses/contrats", get(contracts::list))
        .route("/clauses/contrats/{id}/{lot}", get(contracts::show))
        .route("/clauses/contrats/{id}/{lot}/engagement", post(contracts::commitment))
        .route("/clauses/contrats/{id}/{lot}/placements", post(contracts::add_placement))
        .route("/clauses/contrats/{id}/{lot}/heures", post(contracts::report_hours))
        .route("/clauses/contrats/{id}/{lot}/heures-csv", post(contracts::import_hours))
        .route("/clauses/releves/{id}/{decision}", post(contracts::decide))
        .route("/clauses/contrats/{id}/{lot}/penalites", post(contracts::propose_penalty))
        .route("/clauses/penalites/{id}/{decision}", post(contracts::decide_penalty))
        .route("/clauses/placements/situation", post(contracts::outcome))
        .route("/admin", get(admin::dashboard))
        .route("/admin/organisations", post(admin::create_organisation))
        .route("/admin/comptes", post(admin::create_account))
}

pub fn upload_routes() -> Router<AppState> {
    Router::new()
        .route("/acheteur/consultations/{id}/documents", post(buyer::upload))
        .route("/consultations/{id}/plis", post(bids::deposit))
        .route("/bibliotheque/{id}/pieces", post(library::attach))
}

async fn stylesheet() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../static/halle.css"),
    )
}

async fn htmx() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=86400")],
        include_str!("../../static/htmx.min.js"),
    )
}

/// Renders a template into a page, or a plain error if the template fails.
pub(crate) fn render(t: &impl askama::Template) -> axum::response::Response {
    match t.render() {
        Ok(html) => axum::response::Html(html).into_response(),
        Err(e) => crate::error::PageError(app::AppError::Internal(e.to_string())).into_response(),
    }
}

/// A local path to go back to after signing in; anything else is ignored.
pub(crate) fn safe_return(path: Option<&str>) -> String {
    match path {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') => p.to_string(),
        _ => "/".to_string(),
    }
}
