//! The JSON API under `/api/v1`: the same use cases as the pages, errors as problem details.

mod auth;
mod backup_copies;
mod beneficiaries;
mod bids;
mod body;
mod clause_contracts;
mod clauses;
mod consultations;
mod indicators;
mod notices;
mod openapi;
mod opendata;
mod organisations;
mod practices;
mod reference;
mod render;
mod saved_searches;
mod transparency;

use axum::Router;
use axum::routing::{get, post, put};

use crate::AppState;
use crate::error::ApiError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/auth/token", post(auth::token))
        .route("/api/v1/openapi.json", get(openapi::document))
        .route("/api/v1/consultations", get(consultations::search).post(consultations::create))
        .route("/api/v1/consultations/{id}", get(consultations::show).put(consultations::update))
        .route("/api/v1/consultations/{id}/publish", post(consultations::publish))
        .route("/api/v1/consultations/{id}/status", post(consultations::status))
        .route("/api/v1/consultations/{id}/awards", post(consultations::award))
        .route("/api/v1/consultations/{id}/dce", get(crate::download::dce::<ApiError>))
        .route("/api/v1/consultations/{id}/documents/{doc}", get(crate::download::document::<ApiError>))
        .route("/api/v1/consultations/{id}/downloads", get(consultations::downloads))
        .route("/api/v1/consultations/{id}/questions", post(consultations::ask))
        .route("/api/v1/questions/{id}/answer", post(consultations::answer))
        .route("/api/v1/consultations/{id}/deposit-register", get(bids::register))
        .route("/api/v1/bids/{id}/receipt", get(bids::receipt))
        .route("/api/v1/bids/{id}/receipt.pdf", get(crate::pages::bids::receipt_pdf::<ApiError>))
        .route("/api/v1/consultations/{id}/opening/report.pdf", get(crate::pages::bids::opening_report::<ApiError>))
        .route("/api/v1/consultations/{id}/opening", get(bids::opening))
        .route("/api/v1/consultations/{id}/opening/unlock", post(bids::unlock))
        .route("/api/v1/consultations/{id}/opening/{envelope}", post(bids::open_envelope))
        .route("/api/v1/bids/{id}/files/{index}", get(crate::pages::bids::opened_file::<ApiError>))
        .route("/api/v1/me/opening-key", put(bids::opening_key))
        .route("/.well-known/halle/receipt-key", get(bids::receipt_key))
        .route("/api/v1/consultations/{id}/backup-copies", get(backup_copies::list).post(backup_copies::declare))
        .route("/api/v1/backup-copies/{id}/{event}", post(backup_copies::event))
        .route("/api/v1/opendata/ocds.json", get(opendata::ocds))
        .route("/api/v1/opendata/decp.json", get(opendata::decp))
        .route("/api/v1/organisations/{id}/profile", put(organisations::set_profile))
        .route("/api/v1/saved-searches", get(saved_searches::list).post(saved_searches::create))
        .route("/api/v1/saved-searches/{id}", put(saved_searches::set_frequency).delete(saved_searches::delete))
        .route("/api/v1/practices", get(practices::list).post(practices::create))
        .route("/api/v1/practices/{id}", get(practices::show))
        .route(
            "/api/v1/practices/{id}/attachments/{attachment}",
            get(crate::download::practice_attachment::<ApiError>).delete(practices::remove_attachment),
        )
        .route("/api/v1/cpv", get(reference::cpv))
        .route("/api/v1/communes", get(reference::communes))
        .route("/api/v1/inclusive-suppliers", get(reference::inclusive_suppliers))
        .route("/api/v1/clauses/hours", get(clauses::hours))
        .route("/api/v1/clauses/contracts", get(clause_contracts::list))
        .route("/api/v1/clauses/contracts/{id}/{lot}", get(clause_contracts::show))
        .route("/api/v1/beneficiaries", get(beneficiaries::list))
        .route("/api/v1/indicators", get(indicators::show))
        .route("/api/v1/notices", get(notices::search))
        .route("/api/v1/notices/{id}", get(notices::show))
        .route("/api/v1/transparency/head", get(transparency::head))
        .route("/api/v1/transparency/proof", get(transparency::proof))
        .route("/api/v1/transparency/consistency", get(transparency::consistency))
        .route("/api/v1/consultations/{id}/deposits/statement", get(transparency::statement))
}

pub fn upload_routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/consultations/{id}/documents", post(consultations::upload))
        .route("/api/v1/consultations/{id}/bids", post(bids::deposit))
        .route("/api/v1/practices/{id}/attachments", post(practices::attach))
}
