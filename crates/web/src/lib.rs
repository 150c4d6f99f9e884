//! HTTP: the router, thin handlers (parse, call one service, render), askama pages in French
//! that work without JavaScript, and the JSON API under `/api/v1` with problem details.

#![recursion_limit = "512"]

mod api;
mod calendar;
mod csrf;
mod download;
mod error;
mod form;
mod identity;
mod pages;
mod printable;
mod upload;
mod views;

use app::App;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::routing::get;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// Settings of the web layer.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Mark cookies `Secure` (behind HTTPS).
    pub secure_cookies: bool,
}

#[derive(Clone)]
pub(crate) struct AppState {
    pub app: App,
    pub config: WebConfig,
}

/// The whole site. Upload routes accept up to the configured file size; every other
/// request body is capped small.
pub fn router(app: App, config: WebConfig) -> Router {
    let upload_limit = usize::try_from(app.config().max_upload_bytes).unwrap_or(usize::MAX).saturating_add(1024 * 1024);
    let state = AppState { app, config };
    let uploads = Router::new()
        .merge(pages::upload_routes())
        .merge(api::upload_routes())
        .layer(DefaultBodyLimit::max(upload_limit));
    Router::new()
        .route("/healthz", get(healthz))
        .merge(pages::routes())
        .merge(api::routes())
        .layer(DefaultBodyLimit::max(256 * 1024))
        .merge(uploads)
        .layer(axum::middleware::from_fn(csrf::check))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn healthz(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> (axum::http::StatusCode, &'static str) {
    if state.app.healthy().await {
        (axum::http::StatusCode::OK, "ok")
    } else {
        (axum::http::StatusCode::SERVICE_UNAVAILABLE, "base de données indisponible")
    }
}
