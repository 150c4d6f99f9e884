//! Streamed downloads: a DCE ZIP is written into a pipe while the client reads the other end,
//! so memory stays flat whatever the size.

use app::{App, Dce, DceFile};
use axum::body::Body;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use tokio_util::io::ReaderStream;

use crate::search_query::url_encode;

/// `attachment` with an ASCII fallback and the exact UTF-8 name (RFC 6266 / 5987).
fn disposition(name: &str) -> HeaderValue {
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' { c } else { '_' }).collect();
    HeaderValue::from_str(&format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{}", url_encode(name)))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

pub fn zip(app: App, dce: Dce) -> Response {
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

pub fn file(f: DceFile) -> Response {
    let content_type =
        HeaderValue::from_str(&f.content_type).unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let headers = [
        (header::CONTENT_TYPE, content_type),
        (header::CONTENT_LENGTH, HeaderValue::from(f.size)),
        (header::CONTENT_DISPOSITION, disposition(&f.name)),
    ];
    (headers, Body::from_stream(ReaderStream::new(f.file))).into_response()
}
