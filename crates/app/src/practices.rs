//! The library of good practices: buyers and facilitators publish model clauses and practices,
//! comment and reuse them (a reuse counted once per person); the platform's coordinators (its
//! administrators) feature some. An entry's author, or a coordinator, attaches files to it.
//! Anyone reads the library and downloads its files.

use domain::geo::fold;
use domain::practice::{self, PracticeInput, PracticeKind};
use domain::role::Role;
use domain::social_clause::LegalBasis;
use domain::text;
use store::{NewPracticeAttachment, PracticeAttachment, PracticeComment, PracticeFilter, PracticeRecord};
use vault::StoredFile;

use crate::accounts::event;
use crate::files::{FileDownload, IncomingFiles, content_type};
use crate::search_query::given;
use crate::{Actor, App, AppError};

/// A search of the library as typed.
#[derive(Debug, Clone, Default)]
pub struct PracticeQuery {
    pub q: Option<String>,
    pub legal_basis: Option<String>,
    pub cpv: Option<String>,
    pub kind: Option<String>,
}

/// Buyers and facilitators share practices; firms read them.
fn may_contribute(actor: &Actor) -> Result<&store::User, AppError> {
    let me = actor.signed_in()?;
    match me.role {
        Role::Acheteur | Role::AdminOrganisation | Role::Facilitateur | Role::Admin => Ok(me),
        Role::Entreprise => {
            Err(AppError::Forbidden("La bibliothèque est alimentée par les acheteurs et les facilitateurs.".into()))
        }
    }
}

/// An entry as its page shows it.
#[derive(Debug, Clone)]
pub struct PracticeView {
    pub record: PracticeRecord,
    pub comments: Vec<PracticeComment>,
    pub attachments: Vec<PracticeAttachment>,
    /// The caller may attach files to the entry and remove them.
    pub manages_attachments: bool,
}

fn manages_attachments(actor: &Actor, p: &PracticeRecord) -> bool {
    actor.user().is_some_and(|u| u.id == p.author_id || u.role == Role::Admin)
}

fn may_manage_attachments<'a>(actor: &'a Actor, p: &PracticeRecord) -> Result<&'a store::User, AppError> {
    let me = actor.signed_in()?;
    if manages_attachments(actor, p) {
        Ok(me)
    } else {
        Err(AppError::Forbidden(
            "Seuls l’auteur de la fiche et la coordination de la plateforme gèrent ses pièces jointes.".into(),
        ))
    }
}

impl App {
    pub async fn publish_practice(&self, actor: &Actor, input: &PracticeInput) -> Result<PracticeRecord, AppError> {
        let me = may_contribute(actor)?;
        let p = practice::validate(input)?;
        let search_text = fold(&format!("{} {}", p.title, p.body));
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let id = tx.insert_practice(me.id, me.organisation_id, &p, &search_text, now).await?;
        tx.audit(&event(actor, "bibliotheque.publiee", format!("pratique:{id}"), &p.title), now).await?;
        tx.commit().await?;
        Ok(self.store.practice(id).await?)
    }

    pub async fn practices(&self, q: &PracticeQuery) -> Result<Vec<PracticeRecord>, AppError> {
        let mut e = domain::FieldErrors::default();
        let legal_basis = given(&q.legal_basis).and_then(|b| e.check("base", LegalBasis::parse(b)));
        let kind = given(&q.kind).and_then(|k| e.check("type", PracticeKind::parse(k)));
        let cpv_division = given(&q.cpv).and_then(|c| e.check("cpv", domain::cpv::division_filter(c)));
        e.into_result()?;
        let words = given(&q.q)
            .map(|t| fold(&t.chars().take(200).collect::<String>()))
            .map(|t| t.split_whitespace().map(str::to_string).collect())
            .unwrap_or_default();
        Ok(self.store.practices(&PracticeFilter { words, legal_basis, cpv_division, kind }).await?)
    }

    pub async fn practice(&self, actor: &Actor, id: i64) -> Result<PracticeView, AppError> {
        let record = self.store.practice(id).await?;
        Ok(PracticeView {
            manages_attachments: manages_attachments(actor, &record),
            comments: self.store.practice_comments(id).await?,
            attachments: self.store.practice_attachments(id).await?,
            record,
        })
    }

    /// Attaches every file to the entry, or none: all are streamed into the vault first, then
    /// recorded in one transaction; on any failure the files already stored are removed.
    pub async fn attach_to_practice(
        &self,
        actor: &Actor,
        id: i64,
        files: &mut impl IncomingFiles,
    ) -> Result<Vec<PracticeAttachment>, AppError> {
        let me = may_manage_attachments(actor, &self.store.practice(id).await?)?;
        let mut stored = Vec::new();
        let keys = |stored: &[(String, StoredFile)]| stored.iter().map(|(_, f)| f.key.clone()).collect::<Vec<_>>();
        let recorded = match self.receive(files, &mut stored).await {
            Ok(()) => {
                let kept = keys(&stored);
                self.record_attachments(actor, me.id, id, stored).await.map_err(|e| (e, kept))
            }
            Err(e) => Err((e, keys(&stored))),
        };
        match recorded {
            Ok(ids) => {
                let mut all = self.store.practice_attachments(id).await?;
                all.retain(|a| ids.contains(&a.id));
                Ok(all)
            }
            // Nothing recorded: the files already in the vault go too.
            Err((e, kept)) => {
                for key in kept {
                    let _ = self.vault.remove(&key).await;
                }
                Err(e)
            }
        }
    }

    /// Records the stored files and their audit entries in one transaction; their ids.
    async fn record_attachments(
        &self,
        actor: &Actor,
        uploader_id: i64,
        id: i64,
        stored: Vec<(String, StoredFile)>,
    ) -> Result<Vec<i64>, AppError> {
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let mut ids = Vec::new();
        for (name, f) in stored {
            let a = NewPracticeAttachment {
                practice_id: id,
                content_type: content_type(&name).into(),
                name,
                size: i64::try_from(f.size).map_err(|_| AppError::TooLarge { limit: self.config.max_upload_bytes })?,
                sha256: f.sha256,
                storage_key: f.key,
                uploader_id,
            };
            let attachment = tx.insert_practice_attachment(&a, now).await?;
            let detail = format!("pièce {attachment} : {} ({} octets, SHA-256 {})", a.name, a.size, a.sha256);
            tx.audit(&event(actor, "bibliotheque.piece_ajoutee", format!("pratique:{id}"), &detail), now).await?;
            ids.push(attachment);
        }
        tx.commit().await?;
        Ok(ids)
    }

    /// Streams each file into the vault, keeping in `stored` what is there, even on a refusal.
    async fn receive(
        &self,
        files: &mut impl IncomingFiles,
        stored: &mut Vec<(String, StoredFile)>,
    ) -> Result<(), AppError> {
        while let Some((raw_name, reader)) = files.next_file().await? {
            if raw_name.is_empty() {
                continue;
            }
            let name = text::file_name(&raw_name);
            let f = self.vault.put(reader, self.config.max_upload_bytes).await?;
            let empty = f.size == 0;
            stored.push((name.clone(), f));
            if empty {
                return Err(AppError::field("file", format!("Le fichier « {name} » est vide.")));
            }
        }
        if stored.is_empty() {
            return Err(AppError::field("file", "Choisissez au moins un fichier à joindre à la fiche."));
        }
        Ok(())
    }

    /// Removes a file from the entry; the vault object goes once the removal is committed.
    pub async fn remove_practice_attachment(&self, actor: &Actor, id: i64, attachment: i64) -> Result<(), AppError> {
        may_manage_attachments(actor, &self.store.practice(id).await?)?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let a = tx.delete_practice_attachment(id, attachment).await?;
        let detail = format!("pièce {attachment} : {}", a.name);
        tx.audit(&event(actor, "bibliotheque.piece_retiree", format!("pratique:{id}"), &detail), now).await?;
        tx.commit().await?;
        // A leftover object is harmless (no row points to it); the removal is done either way.
        if let Err(e) = self.vault.remove(&a.storage_key).await {
            tracing::warn!(error = %e, key = %a.storage_key, "removed attachment's file left in the vault");
        }
        Ok(())
    }

    /// A file of the entry, for anyone: the library is public.
    pub async fn download_practice_attachment(&self, id: i64, attachment: i64) -> Result<FileDownload, AppError> {
        let a = self.store.practice_attachment(id, attachment).await?;
        Ok(FileDownload {
            file: self.vault.open_file(&a.storage_key).await?,
            name: a.name,
            size: u64::try_from(a.size).unwrap_or(0),
            content_type: a.content_type,
        })
    }

    pub async fn comment_practice(&self, actor: &Actor, id: i64, body: &str) -> Result<(), AppError> {
        let me = may_contribute(actor)?;
        self.store.practice(id).await?;
        let body = practice::comment(body).map_err(|m| AppError::field("comment", m))?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        tx.insert_practice_comment(id, me.id, &body, now).await?;
        tx.audit(&event(actor, "bibliotheque.commentaire", format!("pratique:{id}"), &body), now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Takes an entry for one's own use; returns it, counted once per person.
    pub async fn reuse_practice(&self, actor: &Actor, id: i64) -> Result<PracticeRecord, AppError> {
        let me = may_contribute(actor)?;
        self.store.practice(id).await?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        if tx.record_practice_use(id, me.id, now).await? {
            tx.audit(&event(actor, "bibliotheque.reutilisee", format!("pratique:{id}"), ""), now).await?;
        }
        tx.commit().await?;
        Ok(self.store.practice(id).await?)
    }

    /// Features an entry (or stops): the platform's coordinators only.
    pub async fn feature_practice(&self, actor: &Actor, id: i64, featured: bool) -> Result<PracticeRecord, AppError> {
        actor.require_admin()?;
        self.store.practice(id).await?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        tx.set_practice_featured(id, featured.then_some(now)).await?;
        let action = if featured { "bibliotheque.mise_en_avant" } else { "bibliotheque.retrait_mise_en_avant" };
        tx.audit(&event(actor, action, format!("pratique:{id}"), ""), now).await?;
        tx.commit().await?;
        Ok(self.store.practice(id).await?)
    }
}
