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

/// A pli: multipart fields `candidature` and `offre` (files, each repeatable) and `lots`
/// (optional, repeatable or comma-separated lot numbers). Files are sealed as they stream
/// in; if anything fails, what was already sealed is removed and no bid is recorded.
/// Returns the bid's id and its signed receipt.
pub async fn deposit_bid(
    app: &App,
    actor: &Actor,
    consultation_id: i64,
    mut multipart: Multipart,
) -> Result<(i64, String), AppError> {
    let deposit = app.begin_deposit(actor, consultation_id).await?;
    let mut parts = Vec::new();
    let mut lots = Vec::new();
    loop {
        let part = match multipart.next_field().await {
            Ok(Some(part)) => part,
            Ok(None) => break,
            Err(e) => {
                app.discard_sealed(&parts).await;
                return Err(unreadable(app, "offre", e));
            }
        };
        let field = part.name().unwrap_or("").to_string();
        let sealed = if field == "lots" {
            match part.text().await {
                Ok(text) => {
                    lots.extend(text.split(',').map(str::to_string));
                    continue;
                }
                Err(e) => Err(unreadable(app, "lots", e)),
            }
        } else {
            let Some(name) = part.file_name().map(str::to_string).filter(|n| !n.is_empty()) else { continue };
            let reader = StreamReader::new(part.map_err(std::io::Error::other));
            app.seal_bid_file(&deposit, &field, &name, reader).await
        };
        match sealed {
            Ok(p) => parts.push(p),
            Err(e) => {
                app.discard_sealed(&parts).await;
                return Err(e);
            }
        }
    }
    app.finish_deposit(deposit, &lots, parts).await
}
