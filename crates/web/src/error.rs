//! The one place where a refused or failed use case becomes a response: a French page for
//! people, RFC 9457 problem details for the API.

use app::AppError;
use askama::Template;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde_json::json;

use crate::views::Nav;

fn status(e: &AppError) -> StatusCode {
    match e {
        AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
        AppError::Forbidden(_) => StatusCode::FORBIDDEN,
        AppError::Conflict(_) => StatusCode::CONFLICT,
        AppError::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
        AppError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        AppError::StorageUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn title(e: &AppError) -> &'static str {
    match e {
        AppError::Invalid(_) => "Données invalides",
        AppError::NotFound => "Introuvable",
        AppError::Unauthenticated => "Connexion requise",
        AppError::Forbidden(_) => "Accès refusé",
        AppError::Conflict(_) => "Action impossible",
        AppError::TooManyAttempts => "Trop de tentatives",
        AppError::TooLarge { .. } => "Fichier trop volumineux",
        AppError::StorageUnavailable(_) => "Stockage indisponible",
        AppError::Internal(_) => "Erreur interne",
    }
}

fn detail(e: &AppError) -> String {
    match e {
        AppError::Invalid(errors) => errors.0.iter().map(|f| f.message.clone()).collect::<Vec<_>>().join(" "),
        AppError::NotFound => "Cette page ou cette ressource n’existe pas, ou n’est pas publique.".into(),
        AppError::Unauthenticated => {
            "Identifiez-vous pour continuer (adresse e-mail ou mot de passe incorrect, ou session expirée).".into()
        }
        AppError::Forbidden(m) | AppError::Conflict(m) => m.clone(),
        AppError::TooManyAttempts => "Trop de tentatives de connexion échouées : réessayez dans quinze minutes.".into(),
        AppError::TooLarge { limit } => format!("La limite est de {} Mo par fichier.", limit / (1024 * 1024)),
        AppError::StorageUnavailable(_) => {
            "Le stockage des fichiers est momentanément indisponible : rien n’a été enregistré et aucun accusé de réception n’a été émis. Réessayez dans quelques instants.".into()
        }
        AppError::Internal(_) => {
            "Une erreur inattendue est survenue ; elle a été consignée. Réessayez plus tard.".into()
        }
    }
}

fn log(e: &AppError) {
    if let AppError::Internal(m) | AppError::StorageUnavailable(m) = e {
        tracing::error!(error = %m, "internal error");
    }
}

/// A failure on a page.
#[derive(Debug)]
pub struct PageError(pub AppError);

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        PageError(e)
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    nav: Nav,
    title: &'static str,
    detail: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        log(&self.0);
        if let AppError::Unauthenticated = self.0 {
            return Redirect::to("/connexion").into_response();
        }
        let page = ErrorPage { nav: Nav::anonymous(), title: title(&self.0), detail: detail(&self.0) };
        match page.render() {
            Ok(html) => (status(&self.0), Html(html)).into_response(),
            Err(_) => (status(&self.0), page.detail).into_response(),
        }
    }
}

/// A failure in the JSON API, as `application/problem+json`.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

pub fn problem(status: StatusCode, title: &str, detail: &str, errors: &[domain::FieldError]) -> Response {
    let mut body = json!({
        "type": "about:blank",
        "title": title,
        "status": status.as_u16(),
        "detail": detail,
    });
    if let Some(first) = errors.first() {
        body["field"] = json!(first.field);
        body["errors"] = json!(errors);
    }
    (status, [(header::CONTENT_TYPE, "application/problem+json")], body.to_string()).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        log(&self.0);
        let errors = match &self.0 {
            AppError::Invalid(e) => e.0.clone(),
            _ => vec![],
        };
        let mut response = problem(status(&self.0), title(&self.0), &detail(&self.0), &errors);
        if let AppError::Unauthenticated = self.0 {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, axum::http::HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// An error before the handler runs: shown as the API or a page, by path.
pub enum Failure {
    Page(PageError),
    Api(ApiError),
}

impl Failure {
    pub fn new(e: AppError, parts: &Parts) -> Failure {
        if parts.uri.path().starts_with("/api/") { Failure::Api(ApiError(e)) } else { Failure::Page(PageError(e)) }
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        match self {
            Failure::Page(p) => p.into_response(),
            Failure::Api(a) => a.into_response(),
        }
    }
}
