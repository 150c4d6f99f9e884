//! `GET /api/v1/opendata/ocds.json` and `GET /api/v1/opendata/decp.json`: open data, public.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::error::ApiError;

fn json(body: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, "application/json; charset=utf-8")], body).into_response()
}

pub async fn ocds(State(state): State<AppState>) -> Result<Response, ApiError> {
    Ok(json(state.app.ocds_package().await?))
}

pub async fn decp(State(state): State<AppState>) -> Result<Response, ApiError> {
    Ok(json(state.app.decp_export(false).await?))
}
