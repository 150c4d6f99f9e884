//! JSON request bodies: a body that is not valid JSON of the expected shape gets a problem
//! detail, not a bare text error.

use app::AppError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

use crate::AppState;
use crate::error::ApiError;

pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError(AppError::field("body", format!("Corps de requête illisible : {e}"))))?;
        let bytes = if bytes.iter().all(u8::is_ascii_whitespace) { Bytes::from_static(b"{}") } else { bytes };
        serde_json::from_slice(&bytes).map(JsonBody).map_err(|e| {
            let message = e.to_string();
            // serde names the culprit in backquotes: "invalid type: … for `lots`"
            let field = message.split('`').nth(1).filter(|f| !f.contains(' ')).unwrap_or("body").to_string();
            ApiError(AppError::field(&field, format!("JSON invalide : {message}")))
        })
    }
}
