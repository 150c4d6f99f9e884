//! Copies de sauvegarde: a firm declares a backup copy of its pli (paper or a physical medium)
//! sent within the deadline; the buyer records its arrival, opens it only in the legal cases —
//! malware found in the electronic pli, or an electronic pli incomplete, late or unreadable whose
//! transmission began before the deadline — and otherwise destroys it unopened.

use domain::consultation::{Phase, Status};
use domain::role::Role;
use serde_json::json;
use store::BackupCopy;

use crate::consultations::consultation_event;
use crate::{Actor, App, AppError};

pub const MEDIA: [&str; 2] = ["papier", "support physique électronique"];
/// The legal cases in which a copy may be opened.
pub const OPEN_REASONS: [(&str, &str); 2] = [
    ("programme_malveillant", "Un programme malveillant a été détecté dans le pli électronique"),
    (
        "pli_incomplet_tardif_ou_illisible",
        "Le pli électronique est arrivé incomplet, hors délai ou n’a pu être ouvert, sa transmission ayant commencé avant la date limite",
    ),
];

impl App {
    pub async fn declare_backup_copy(
        &self,
        actor: &Actor,
        consultation_id: i64,
        medium: &str,
    ) -> Result<i64, AppError> {
        let user = actor.signed_in()?;
        let (Role::Entreprise, Some(org)) = (user.role, user.organisation_id) else {
            return Err(AppError::Forbidden("Seules les entreprises déclarent une copie de sauvegarde.".into()));
        };
        if !MEDIA.contains(&medium) {
            return Err(AppError::field("medium", "Le support est « papier » ou « support physique électronique »."));
        }
        let c = self.store.consultation(consultation_id).await?;
        if c.status == Status::Brouillon {
            return Err(AppError::NotFound);
        }
        let now = self.now();
        if Phase::of(c.status, c.fields.bid_deadline, now) != Phase::EnCours {
            return Err(AppError::Conflict(
                "Une copie de sauvegarde se transmet avant la date limite de remise des plis.".into(),
            ));
        }
        let mut tx = self.store.begin().await?;
        let id = tx.insert_backup_copy(consultation_id, org, user.id, medium, now).await?;
        tx.audit(
            &consultation_event(
                actor,
                "copie_sauvegarde.declaree",
                consultation_id,
                json!({ "copie": id, "support": medium }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn owned_copy(&self, actor: &Actor, id: i64) -> Result<(BackupCopy, store::Consultation), AppError> {
        let copy = self.store.backup_copy(id).await?;
        let c = self.owned_consultation(actor, copy.consultation_id).await?;
        Ok((copy, c))
    }

    /// The buyer records that the copy arrived (now).
    pub async fn receive_backup_copy(&self, actor: &Actor, id: i64) -> Result<(), AppError> {
        let (copy, c) = self.owned_copy(actor, id).await?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        tx.mark_backup_copy(id, "received", None, now).await?;
        tx.audit(
            &consultation_event(
                actor,
                "copie_sauvegarde.recue",
                c.id,
                json!({ "copie": copy.id, "hors_delai": now >= c.fields.bid_deadline }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Opens the copy, only after the deadline, only in a legal case, only if it arrived in time
    /// and the firm's electronic transmission had begun before the deadline.
    pub async fn open_backup_copy(&self, actor: &Actor, id: i64, reason: &str) -> Result<(), AppError> {
        let (copy, c) = self.owned_copy(actor, id).await?;
        let now = self.now();
        if now < c.fields.bid_deadline {
            return Err(AppError::Conflict("Une copie de sauvegarde ne s’ouvre qu’après la date limite.".into()));
        }
        if !OPEN_REASONS.iter().any(|(code, _)| *code == reason) {
            return Err(AppError::field(
                "reason",
                "Une copie de sauvegarde ne s’ouvre que si un programme malveillant a été détecté dans le pli électronique, ou si celui-ci est arrivé incomplet, hors délai ou illisible.",
            ));
        }
        match copy.received_at {
            Some(at) if at < c.fields.bid_deadline => {}
            Some(_) => {
                return Err(AppError::Conflict(
                    "Cette copie est arrivée après la date limite : elle ne peut pas être ouverte.".into(),
                ));
            }
            None => return Err(AppError::Conflict("Enregistrez d’abord l’arrivée de la copie.".into())),
        }
        if copy.destroyed_at.is_some() {
            return Err(AppError::Conflict("Cette copie a été détruite.".into()));
        }
        let deadline = c.fields.bid_deadline.as_microsecond();
        let started_in_time = self
            .store
            .bids(c.id)
            .await?
            .iter()
            .any(|b| b.organisation_id == copy.organisation_id && b.started_at_micros < deadline);
        if !started_in_time {
            return Err(AppError::Conflict(
                "L’entreprise n’a commencé aucune transmission électronique avant la date limite : la copie ne peut pas être ouverte.".into(),
            ));
        }
        let mut tx = self.store.begin().await?;
        tx.mark_backup_copy(id, "opened", Some(reason), now).await?;
        tx.audit(
            &consultation_event(actor, "copie_sauvegarde.ouverte", c.id, json!({ "copie": copy.id, "motif": reason })),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// An unopened copy is destroyed (recorded).
    pub async fn destroy_backup_copy(&self, actor: &Actor, id: i64) -> Result<(), AppError> {
        let (copy, c) = self.owned_copy(actor, id).await?;
        if copy.opened_at.is_some() {
            return Err(AppError::Conflict("Une copie ouverte est conservée avec le pli.".into()));
        }
        let now = self.now();
        let mut tx = self.store.begin().await?;
        tx.mark_backup_copy(id, "destroyed", None, now).await?;
        tx.audit(&consultation_event(actor, "copie_sauvegarde.detruite", c.id, json!({ "copie": copy.id })), now)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The consultation a copy belongs to (for redirects after an action on it).
    pub async fn backup_copy_consultation(&self, id: i64) -> Result<i64, AppError> {
        Ok(self.store.backup_copy(id).await?.consultation_id)
    }

    pub async fn backup_copies(&self, actor: &Actor, consultation_id: i64) -> Result<Vec<BackupCopy>, AppError> {
        self.owned_consultation(actor, consultation_id).await?;
        Ok(self.store.backup_copies(consultation_id).await?)
    }
}
