//! Cross-site request forgery protection without tokens (the scheme of Go 1.25's
//! CrossOriginProtection): browsers say where a request comes from with `Sec-Fetch-Site`, or
//! at least `Origin`; a state-changing request from another site is refused. Requests with
//! neither header do not come from a browser, so they carry no ambient cookie to abuse.

use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub async fn check(request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) || allowed(&request) {
        next.run(request).await
    } else {
        (
            StatusCode::FORBIDDEN,
            "Requête refusée : elle provient d’un autre site (protection contre la falsification de requêtes).",
        )
            .into_response()
    }
}

fn allowed(request: &Request) -> bool {
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    origin.split_once("://").is_some_and(|(_, rest)| rest == host)
}
