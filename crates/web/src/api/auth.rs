use app::TokenKind;
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};

use super::body::JsonBody;
use crate::AppState;
use crate::error::ApiError;

#[derive(Deserialize)]
pub struct Credentials {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

pub async fn token(State(state): State<AppState>, JsonBody(c): JsonBody<Credentials>) -> Result<Json<Value>, ApiError> {
    let (token, user) = state.app.login(&c.email, &c.password, TokenKind::Api).await?;
    Ok(Json(json!({
        "token": token,
        "token_type": "Bearer",
        "expires_in": 30 * 24 * 3600,
        "user": {
            "id": user.id,
            "email": user.email,
            "name": user.name,
            "role": user.role.code(),
            "organisation_id": user.organisation_id,
        }
    })))
}
