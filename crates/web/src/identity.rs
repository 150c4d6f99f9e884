//! Who is asking: the session cookie of a browser, or the bearer token of an API client.

use app::Actor;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};

use crate::AppState;
use crate::error::Failure;

pub const SESSION_COOKIE: &str = "halle_session";

/// The acting user, resolved once per request.
pub struct Caller(pub Actor);

pub fn token(headers: &HeaderMap) -> Option<String> {
    if let Some(bearer) =
        headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "))
    {
        return Some(bearer.trim().to_string());
    }
    session_cookie(headers)
}

pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_string())
}

/// `Set-Cookie` for a new session, or to clear it (`token` empty).
pub fn cookie(token: &str, secure: bool) -> String {
    let max_age = if token.is_empty() { 0 } else { 12 * 3600 };
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    )
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = token(&parts.headers);
        let actor = state.app.authenticate(token.as_deref()).await.map_err(|e| Failure::new(e, parts))?;
        Ok(Caller(actor))
    }
}
