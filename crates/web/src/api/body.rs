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
        let object = bytes.trim_ascii_start().first() == Some(&b'{');
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            let e = e.into_inner();
            let message = e.to_string();
            let field = match e.classify() {
                // A value of the wrong type: the path to it, like `lots[0].estimated_value_cents`.
                serde_json::error::Category::Data if object && path != "." => path,
                // "missing field `title`" names the culprit in backquotes.
                serde_json::error::Category::Data if object => {
                    message.split('`').nth(1).filter(|f| !f.contains(' ')).unwrap_or("body").to_string()
                }
                // Not JSON at all.
                _ => "body".to_string(),
            };
            ApiError(AppError::field(&field, format!("JSON invalide : {message}")))
        })?;
        de.end().map_err(|e| ApiError(AppError::field("body", format!("JSON invalide : {e}"))))?;
        Ok(JsonBody(value))
    }
}
