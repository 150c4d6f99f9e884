//! Files sent in a multipart body: to the DCE and to a library entry, each file is streamed
//! into the vault as it arrives, never held whole in memory; a pli's envelopes into sealing.

use app::{Actor, App, AppError, IncomingFiles};
use axum::extract::Multipart;
use axum::extract::multipart::MultipartError;
use axum::http::StatusCode;
use futures_util::TryStreamExt;
use store::Document;
use tokio::io::AsyncRead;
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

/// The parts of a multipart body as files for a use case; `field` names the form field in
/// error messages.
pub struct Files<'a> {
    app: &'a App,
    multipart: Multipart,
    field: &'a str,
}

impl<'a> Files<'a> {
    pub fn new(app: &'a App, multipart: Multipart, field: &'a str) -> Files<'a> {
        Files { app, multipart, field }
    }
}

// Parts without a file come out too, with an empty name, for the caller to skip: skipping them
// here would mean a loop that returns one part's borrow or asks for the next, which the borrow
// checker refuses.
impl IncomingFiles for Files<'_> {
    async fn next_file(&mut self) -> Result<Option<(String, impl AsyncRead + Unpin + Send + '_)>, AppError> {
        let Some(part) = self.multipart.next_field().await.map_err(|e| unreadable(self.app, self.field, e))? else {
            return Ok(None);
        };
        let name = part.file_name().unwrap_or("").to_string();
        Ok(Some((name, StreamReader::new(part.map_err(std::io::Error::other)))))
    }
}

/// Adds every file of the body to the consultation's DCE; `field` names the form field in
/// error messages.
pub async fn add_files(
    app: &App,
    actor: &Actor,
    consultation_id: i64,
    multipart: Multipart,
    field: &str,
) -> Result<Vec<Document>, AppError> {
    let mut files = Files::new(app, multipart, field);
    let mut added = Vec::new();
    while let Some((name, reader)) = files.next_file().await? {
        if !name.is_empty() {
            added.push(app.add_document(actor, consultation_id, &name, reader).await?);
        }
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
