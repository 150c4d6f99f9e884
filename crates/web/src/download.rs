//! Streamed downloads: DCE documents and library attachments file by file; a DCE ZIP is
//! written into a pipe while the client reads the other end, so memory stays flat whatever the
//! size.

use app::{App, AppError, Dce, FileDownload};
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use tokio_util::io::ReaderStream;

use crate::AppState;
use crate::identity::Caller;
use app::search_query::url_encode;

/// `?email=`: optional, only to be told when the DCE changes.
#[derive(serde::Deserialize)]
pub struct EmailQuery {
    pub email: Option<String>,
}

/// The whole DCE as one ZIP; the same handler serves the page route and the API route, each
/// with its own way of showing a refusal (`E`).
pub async fn dce<E: From<AppError> + IntoResponse>(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
    Query(q): Query<EmailQuery>,
) -> Result<Response, E> {
    let dce = state.app.download_dce(&actor, id, q.email.as_deref()).await?;
    Ok(zip(state.app.clone(), dce))
}

/// One document of the DCE.
pub async fn document<E: From<AppError> + IntoResponse>(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path((id, doc)): Path<(i64, i64)>,
    Query(q): Query<EmailQuery>,
) -> Result<Response, E> {
    Ok(file(state.app.download_document(&actor, id, doc, q.email.as_deref()).await?))
}

/// A file attached to a library entry, for anyone; the id of another entry's file is not found.
pub async fn practice_attachment<E: From<AppError> + IntoResponse>(
    State(state): State<AppState>,
    Path((id, attachment)): Path<(i64, i64)>,
) -> Result<Response, E> {
    Ok(file(state.app.download_practice_attachment(id, attachment).await?))
}

/// `attachment` with an ASCII fallback and the exact UTF-8 name (RFC 6266 / 5987).
fn disposition(name: &str) -> HeaderValue {
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' { c } else { '_' }).collect();
    HeaderValue::from_str(&format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{}", url_encode(name)))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

fn zip(app: App, dce: Dce) -> Response {
    let (reader, mut writer) = tokio::io::duplex(64 * 1024);
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static("application/zip")),
        (header::CONTENT_LENGTH, HeaderValue::from(dce.len)),
        (header::CONTENT_DISPOSITION, disposition(&dce.file_name)),
    ];
    tokio::spawn(async move {
        if let Err(e) = app.write_dce(&dce, &mut writer).await {
            tracing::warn!(error = %e, "DCE archive interrupted");
        }
    });
    (headers, Body::from_stream(ReaderStream::new(reader))).into_response()
}

fn file(f: FileDownload) -> Response {
    stream(&f.name, f.size, &f.content_type, f.file)
}

/// Any readable file as a download, streamed.
pub fn stream(
    name: &str,
    size: u64,
    content_type: &str,
    reader: impl tokio::io::AsyncRead + Send + 'static,
) -> Response {
    let content_type =
        HeaderValue::from_str(content_type).unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let headers = [
        (header::CONTENT_TYPE, content_type),
        (header::CONTENT_LENGTH, HeaderValue::from(size)),
        (header::CONTENT_DISPOSITION, disposition(name)),
    ];
    (headers, Body::from_stream(ReaderStream::new(reader))).into_response()
}
