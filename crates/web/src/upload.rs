//! Files sent to the DCE: each file of a multipart body is streamed into the vault as it
//! arrives, never held whole in memory.

use app::{Actor, App, AppError};
use axum::extract::Multipart;
use axum::extract::multipart::MultipartError;
use axum::http::StatusCode;
use futures_util::TryStreamExt;
use store::Document;
use tokio_util::io::StreamReader;

/// A multipart body that could not be read: over the request size cap it is "too large"
/// (413), like a file over the limit; otherwise the body is malformed (422).
fn unreadable(app: &App, field: &str, e: MultipartError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::TooLarge { limit: app.config().max_upload_bytes }
    } else {
        AppError::field(field, format!("Envoi illisible : {}", e.body_text()))
    }
}

/// Adds every file of the body to the consultation's DCE; `field` names the form field in
/// error messages. Parts without a file name (plain fields) are ignored.
pub async fn add_files(
    app: &App,
    actor: &Actor,
    consultation_id: i64,
    mut multipart: Multipart,
    field: &str,
) -> Result<Vec<Document>, AppError> {
    let mut added = Vec::new();
    while let Some(part) = multipart.next_field().await.map_err(|e| unreadable(app, field, e))? {
        let Some(name) = part.file_name().map(str::to_string).filter(|n| !n.is_empty()) else { continue };
        let reader = StreamReader::new(part.map_err(std::io::Error::other));
        added.push(app.add_document(actor, consultation_id, &name, reader).await?);
    }
    if added.is_empty() {
        return Err(AppError::field(field, "Choisissez au moins un fichier à ajouter au DCE."));
    }
    Ok(added)
}
