//! The JSON API under `/api/v1`: the same use cases as the pages, errors as problem details.

mod auth;
mod body;
mod consultations;
mod openapi;
mod render;

use axum::Router;
use axum::routing::{get, post};

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
        .route("/api/v1/consultations/{id}/dce", get(crate::download::dce::<ApiError>))
        .route("/api/v1/consultations/{id}/documents/{doc}", get(crate::download::document::<ApiError>))
        .route("/api/v1/consultations/{id}/downloads", get(consultations::downloads))
        .route("/api/v1/consultations/{id}/questions", post(consultations::ask))
        .route("/api/v1/questions/{id}/answer", post(consultations::answer))
}

pub fn upload_routes() -> Router<AppState> {
    Router::new().route("/api/v1/consultations/{id}/documents", post(consultations::upload))
}
