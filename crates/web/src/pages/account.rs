//! Signing in and out, and a firm's registration.

use app::{AppError, FirmRegistration, TokenKind};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use domain::FieldErrors;
use domain::organisation::FirmSize;
use serde::Deserialize;

use super::{render, safe_return};
use crate::AppState;
use crate::error::PageError;
use crate::identity::{Caller, cookie, session_cookie};
use crate::views::Nav;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    nav: Nav,
    email: String,
    suite: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct SuiteQuery {
    pub suite: Option<String>,
}

pub async fn login_form(Caller(actor): Caller, Query(q): Query<SuiteQuery>) -> Response {
    render(&LoginPage {
        nav: Nav::of(&actor),
        email: String::new(),
        suite: safe_return(q.suite.as_deref()),
        error: None,
    })
}

/// A field left out is read as empty, so it gets the French message of its check.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    pub email: String,
    pub password: String,
    pub suite: Option<String>,
}

pub async fn login(State(state): State<AppState>, Form(form): Form<LoginForm>) -> Result<Response, PageError> {
    let suite = safe_return(form.suite.as_deref());
    match state.app.login(&form.email, &form.password, TokenKind::Cookie).await {
        Ok((token, user)) => {
            let target = if suite == "/" && user.role.is_buyer() { "/acheteur".to_string() } else { suite };
            let mut response = Redirect::to(&target).into_response();
            if let Ok(v) = cookie(&token, state.config.secure_cookies).parse() {
                response.headers_mut().insert(header::SET_COOKIE, v);
            }
            Ok(response)
        }
        Err(e @ (AppError::Unauthenticated | AppError::TooManyAttempts)) => {
            let (status, message) = match e {
                AppError::TooManyAttempts => (
                    StatusCode::TOO_MANY_REQUESTS,
                    "Trop de tentatives échouées pour cette adresse : réessayez dans quinze minutes.",
                ),
                _ => (StatusCode::UNAUTHORIZED, "Adresse e-mail ou mot de passe incorrect."),
            };
            let mut response =
                render(&LoginPage { nav: Nav::anonymous(), email: form.email, suite, error: Some(message.into()) });
            *response.status_mut() = status;
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, PageError> {
    if let Some(token) = session_cookie(&headers) {
        state.app.logout(&token).await?;
    }
    let mut response = Redirect::to("/").into_response();
    if let Ok(v) = cookie("", state.config.secure_cookies).parse() {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(response)
}

pub struct SizeOpt {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    nav: Nav,
    f: FirmRegistration,
    sizes: Vec<SizeOpt>,
    errors: FieldErrors,
}

fn register_page(nav: Nav, f: FirmRegistration, errors: FieldErrors) -> RegisterPage {
    let sizes = FirmSize::ALL
        .iter()
        .map(|s| SizeOpt { value: s.code(), label: s.label(), selected: f.size == s.code() })
        .collect();
    RegisterPage { nav, f, sizes, errors }
}

pub async fn register_form(Caller(actor): Caller) -> Response {
    render(&register_page(Nav::of(&actor), FirmRegistration::default(), FieldErrors::default()))
}

pub async fn register(
    State(state): State<AppState>,
    Form(mut form): Form<FirmRegistration>,
) -> Result<Response, PageError> {
    match state.app.register_firm(&form).await {
        Ok(_) => {
            let (token, _) = state.app.login(&form.email, &form.password, TokenKind::Cookie).await?;
            let mut response = Redirect::to("/consultations").into_response();
            if let Ok(v) = cookie(&token, state.config.secure_cookies).parse() {
                response.headers_mut().insert(header::SET_COOKIE, v);
            }
            Ok(response)
        }
        Err(AppError::Invalid(errors)) => {
            form.password.clear();
            let mut response = render(&register_page(Nav::anonymous(), form, errors));
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}
