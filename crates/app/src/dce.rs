//! The DCE: documents a buyer adds to a consultation, and their free download — as one ZIP
//! or file by file, no account needed — recorded in the registre des retraits.

use domain::consultation::{Phase, Status};
use domain::text;
use serde_json::json;
use store::{Consultation, Document, NewDocument, NewDownload};
use tokio::io::{AsyncRead, AsyncWrite};
use vault::zip::{ZipEntry, archive_len, unique_names, write_zip};

use crate::consultations::consultation_event;
use crate::files::{FileDownload, content_type};
use crate::{Actor, App, AppError};

/// A whole DCE ready to stream.
#[derive(Debug, Clone)]
pub struct Dce {
    pub file_name: String,
    pub len: u64,
    entries: Vec<ZipEntry>,
}

impl App {
    fn editable_dce(&self, c: &Consultation) -> Result<Phase, AppError> {
        let phase = Phase::of(c.status, c.fields.bid_deadline, self.now());
        if matches!(phase, Phase::Brouillon | Phase::EnCours) {
            Ok(phase)
        } else {
            Err(AppError::Conflict(format!("Le DCE d’une consultation « {} » ne peut plus changer.", phase.label())))
        }
    }

    /// Streams a file into the DCE. After publication this is a change: new DCE version and
    /// avis rectificatif.
    pub async fn add_document(
        &self,
        actor: &Actor,
        consultation_id: i64,
        raw_name: &str,
        body: impl AsyncRead + Unpin,
    ) -> Result<Document, AppError> {
        let c = self.owned_consultation(actor, consultation_id).await?;
        let phase = self.editable_dce(&c)?;
        let name = text::file_name(raw_name);
        // The file is stored before the transaction, which then stays short.
        let stored = self.vault.put(body, self.config.max_upload_bytes).await?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let version = if phase == Phase::EnCours {
            self.publish_rectificatif(&mut tx, actor, &c, &format!("Ajout du document « {name} » au DCE."), now).await?
        } else {
            c.dce_version
        };
        let doc = NewDocument {
            consultation_id,
            name: name.clone(),
            size: i64::try_from(stored.size).map_err(|_| AppError::TooLarge { limit: self.config.max_upload_bytes })?,
            sha256: stored.sha256.clone(),
            crc32: stored.crc32,
            storage_key: stored.key,
            content_type: content_type(&name).into(),
        };
        let id = tx.insert_document(&doc, version, now).await?;
        tx.audit(
            &consultation_event(
                actor,
                "dce.document_ajoute",
                consultation_id,
                json!({ "document": id, "nom": name, "taille": stored.size, "sha256": stored.sha256, "version": version }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(self.store.document(consultation_id, id).await?)
    }

    pub async fn remove_document(&self, actor: &Actor, consultation_id: i64, document_id: i64) -> Result<(), AppError> {
        let c = self.owned_consultation(actor, consultation_id).await?;
        let phase = self.editable_dce(&c)?;
        let doc = self.store.document(consultation_id, document_id).await?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let version = if phase == Phase::EnCours {
            self.publish_rectificatif(&mut tx, actor, &c, &format!("Retrait du document « {} » du DCE.", doc.name), now)
                .await?
        } else {
            c.dce_version
        };
        tx.remove_document(consultation_id, document_id, version).await?;
        tx.audit(
            &consultation_event(
                actor,
                "dce.document_retire",
                consultation_id,
                json!({ "document": document_id, "version": version }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Who may download: anyone once published; only its buyers while a draft.
    async fn downloadable(&self, actor: &Actor, id: i64) -> Result<(Consultation, bool), AppError> {
        let c = self.store.consultation(id).await?;
        let is_owner = actor.buyer_organisation() == Some(c.organisation_id);
        if c.status == Status::Brouillon && !is_owner {
            return Err(AppError::NotFound);
        }
        Ok((c, is_owner))
    }

    /// Records a download in the register and the audit log (the buyer's own are not listed).
    async fn record_download(
        &self,
        actor: &Actor,
        c: &Consultation,
        is_owner: bool,
        document_id: Option<i64>,
        email: Option<&str>,
    ) -> Result<(), AppError> {
        if is_owner {
            return Ok(());
        }
        let email = match email.map(str::trim).filter(|e| !e.is_empty()) {
            Some(e) => Some(text::email(e).map_err(|m| AppError::field("email", m))?),
            None => None,
        };
        let now = self.now();
        let mut tx = self.store.begin().await?;
        tx.insert_download(
            &NewDownload {
                consultation_id: c.id,
                document_id,
                dce_version: c.dce_version,
                email: email.clone(),
                user_id: actor.user().map(|u| u.id),
            },
            now,
        )
        .await?;
        tx.audit(
            &consultation_event(
                actor,
                "dce.telecharge",
                c.id,
                json!({ "document": document_id, "version": c.dce_version, "adresse_laissee": email.is_some() }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The whole DCE as one ZIP; `email` is optional and only serves to be told of changes.
    pub async fn download_dce(&self, actor: &Actor, id: i64, email: Option<&str>) -> Result<Dce, AppError> {
        let (c, is_owner) = self.downloadable(actor, id).await?;
        let docs = self.store.documents(id).await?;
        if docs.is_empty() {
            return Err(AppError::Conflict("Cette consultation n’a pas encore de document.".into()));
        }
        let names = unique_names(docs.iter().map(|d| d.name.as_str()));
        let entries: Vec<ZipEntry> = docs
            .iter()
            .zip(names)
            .map(|(d, name)| ZipEntry {
                name,
                key: d.storage_key.clone(),
                size: u64::try_from(d.size).unwrap_or(0),
                crc32: d.crc32,
                modified: d.created_at,
            })
            .collect();
        let len = archive_len(&entries)
            .ok_or_else(|| AppError::Conflict("Ce DCE dépasse 4 Go : téléchargez ses documents un par un.".into()))?;
        self.record_download(actor, &c, is_owner, None, email).await?;
        Ok(Dce { file_name: format!("DCE-{}.zip", c.reference), len, entries })
    }

    /// Writes the ZIP of a DCE prepared by [`App::download_dce`].
    pub async fn write_dce(&self, dce: &Dce, out: &mut (impl AsyncWrite + Unpin)) -> Result<(), AppError> {
        Ok(write_zip(&self.vault, &dce.entries, out).await?)
    }

    pub async fn download_document(
        &self,
        actor: &Actor,
        id: i64,
        document_id: i64,
        email: Option<&str>,
    ) -> Result<FileDownload, AppError> {
        let (c, is_owner) = self.downloadable(actor, id).await?;
        let doc = self.store.document(id, document_id).await?;
        let file = self.vault.open_file(&doc.storage_key).await?;
        self.record_download(actor, &c, is_owner, Some(doc.id), email).await?;
        Ok(FileDownload {
            name: doc.name,
            size: u64::try_from(doc.size).unwrap_or(0),
            content_type: doc.content_type,
            file,
        })
    }

    /// The registre des retraits, for the consultation's buyers only.
    pub async fn download_register(&self, actor: &Actor, id: i64) -> Result<Vec<store::Download>, AppError> {
        self.owned_consultation(actor, id).await?;
        Ok(self.store.downloads(id).await?)
    }
}
