//! Ouverture des plis: after the deadline a member of the opening committee unlocks the
//! consultation's key with their own secret; the buyer then opens the candidatures, then the
//! offers. Only each firm's last pli received in time is ever opened (R2151-6); late plis never
//! are (R2151-5).

use std::collections::HashMap;

use domain::consultation::Phase;
use serde_json::json;
use store::{Bid, ConsultationKey};
use vault::{ExposeSecret, OpenedFile, SecretString};

use crate::bids::ENVELOPES;
use crate::consultations::consultation_event;
use crate::{Actor, App, AppError};

/// The opening as the consultation's buyers see it.
#[derive(Debug, Clone)]
pub struct OpeningView {
    pub deadline_passed: bool,
    pub is_member: bool,
    pub unlocked: bool,
    pub candidatures_opened: bool,
    pub offres_opened: bool,
    /// For consultations with lots: the lots whose offers are opened.
    pub offres_opened_lots: Vec<i64>,
    /// Every pli, with whether it is the one of its firm to open.
    pub bids: Vec<(Bid, bool)>,
    /// For the procès-verbal: the consultation and who did what, when.
    pub consultation: store::Consultation,
    pub unlocked_by: Option<String>,
    pub unlocked_at: Option<jiff::Timestamp>,
    pub candidatures_opened_at: Option<jiff::Timestamp>,
    pub offres_opened_at: Option<jiff::Timestamp>,
}

/// An opened file, decrypted as it is read.
pub struct OpenedBidFile {
    pub name: String,
    pub size: u64,
    pub file: OpenedFile,
}

/// For each firm, the id of its last pli received before the deadline.
pub(crate) fn openable(bids: &[Bid]) -> HashMap<i64, i64> {
    let mut last = HashMap::new();
    for b in bids.iter().filter(|b| !b.late) {
        // Bids come in the order received: a later one replaces an earlier one.
        last.insert(b.organisation_id, b.id);
    }
    last
}

impl App {
    async fn opening_context(&self, actor: &Actor, consultation_id: i64) -> Result<(ConsultationKey, Phase), AppError> {
        let (key, phase, _) = self.opening_state(actor, consultation_id).await?;
        Ok((key, phase))
    }

    async fn opening_state(
        &self,
        actor: &Actor,
        consultation_id: i64,
    ) -> Result<(ConsultationKey, Phase, store::Consultation), AppError> {
        let c = self.owned_consultation(actor, consultation_id).await?;
        let key = self.store.consultation_key(consultation_id).await?;
        let phase = Phase::of(c.status, c.fields.bid_deadline, self.now());
        Ok((key, phase, c))
    }

    pub async fn opening(&self, actor: &Actor, consultation_id: i64) -> Result<OpeningView, AppError> {
        let (key, phase, consultation) = self.opening_state(actor, consultation_id).await?;
        let bids = self.store.bids(consultation_id).await?;
        let unlocked_by = match key.opening.unlocked_by {
            Some(id) => Some(self.store.user(id).await?.name),
            None => None,
        };
        let last = openable(&bids);
        let me = actor.signed_in()?.id;
        Ok(OpeningView {
            deadline_passed: !matches!(phase, Phase::Brouillon | Phase::EnCours),
            is_member: key.committee.contains(&me),
            unlocked: key.opening.identity.is_some(),
            candidatures_opened: key.opening.candidatures_opened_at.is_some(),
            offres_opened: if consultation.fields.lots.is_empty() {
                key.opening.offres_opened_at.is_some()
            } else {
                consultation.fields.lots.iter().all(|l| key.opening.offres_opened_lots.contains(&l.number))
            },
            offres_opened_lots: key.opening.offres_opened_lots.clone(),
            bids: bids.into_iter().map(|b| (b.clone(), last.get(&b.organisation_id) == Some(&b.id))).collect(),
            consultation,
            unlocked_by,
            unlocked_at: key.opening.unlocked_at,
            candidatures_opened_at: key.opening.candidatures_opened_at,
            offres_opened_at: key.opening.offres_opened_at,
        })
    }

    /// A committee member unlocks the consultation's key with their own secret key.
    pub async fn unlock_bids(&self, actor: &Actor, consultation_id: i64, secret: &str) -> Result<(), AppError> {
        let (key, phase) = self.opening_context(actor, consultation_id).await?;
        let me = actor.signed_in()?.id;
        if matches!(phase, Phase::Brouillon | Phase::EnCours) {
            return Err(AppError::Conflict(
                "Les plis ne peuvent être ouverts qu’après la date limite de remise.".into(),
            ));
        }
        if !key.committee.contains(&me) {
            return Err(AppError::Forbidden(
                "Vous n’êtes pas membre de la commission d’ouverture de cette consultation (aucune clé d’ouverture enregistrée lors de sa publication).".into(),
            ));
        }
        if key.opening.identity.is_some() {
            return Ok(());
        }
        // The list of deposits is frozen before anything is opened.
        self.deposit_statement(consultation_id).await?;
        let identity = vault::seal::unwrap_identity(key.wrapped_identity.as_bytes(), secret.trim()).map_err(|_| {
            AppError::field(
                "secret",
                "Cette clé secrète n’ouvre pas les plis de cette consultation (attendu : AGE-SECRET-KEY-1…, la vôtre).",
            )
        })?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        tx.unlock_bids(consultation_id, identity.expose_secret(), me, now).await?;
        tx.audit(&consultation_event(actor, "ouverture.deverrouillee", consultation_id, json!({})), now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Opens one envelope of every pli to open: candidatures first, then offers — lot by lot
    /// when the consultation has lots.
    pub async fn open_envelope(
        &self,
        actor: &Actor,
        consultation_id: i64,
        envelope: &str,
        lot: Option<i64>,
    ) -> Result<(), AppError> {
        let (key, _, c) = self.opening_state(actor, consultation_id).await?;
        if !ENVELOPES.contains(&envelope) {
            return Err(AppError::NotFound);
        }
        if key.opening.identity.is_none() {
            return Err(AppError::Conflict(
                "Un membre de la commission doit d’abord déverrouiller les plis avec sa clé.".into(),
            ));
        }
        if envelope == "offre" && key.opening.candidatures_opened_at.is_none() {
            return Err(AppError::Conflict("Les candidatures s’ouvrent avant les offres.".into()));
        }
        let now = self.now();
        let mut tx = self.store.begin().await?;
        match (envelope, c.fields.lots.is_empty()) {
            ("offre", false) => {
                let lot = lot
                    .filter(|n| c.fields.lots.iter().any(|l| l.number == *n))
                    .ok_or_else(|| AppError::field("lot", "Les offres s’ouvrent lot par lot : choisissez le lot."))?;
                if key.opening.offres_opened_lots.contains(&lot) {
                    return Ok(());
                }
                tx.open_offer_lot(consultation_id, lot, now).await?;
            }
            _ => tx.open_envelope(consultation_id, envelope, now).await?,
        }
        tx.audit(
            &consultation_event(actor, &format!("ouverture.{envelope}s"), consultation_id, json!({ "lot": lot })),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A file of an opened envelope, decrypted as it streams, for the consultation's buyers.
    pub async fn open_bid_file(&self, actor: &Actor, bid_id: i64, index: usize) -> Result<OpenedBidFile, AppError> {
        let bid = self.store.bid(bid_id).await?;
        let (key, _, c) = self.opening_state(actor, bid.consultation_id).await?;
        let file = bid.files.get(index).ok_or(AppError::NotFound)?;
        if bid.late {
            return Err(AppError::Conflict(
                "Ce pli est arrivé hors délai : il est conservé mais n’est jamais ouvert.".into(),
            ));
        }
        if openable(&self.store.bids(bid.consultation_id).await?).get(&bid.organisation_id) != Some(&bid.id) {
            return Err(AppError::Conflict(
                "L’entreprise a déposé un pli plus récent dans les délais : seul le dernier est ouvert.".into(),
            ));
        }
        let lots_opened = &key.opening.offres_opened_lots;
        let opened = match file.envelope.as_str() {
            "candidature" => key.opening.candidatures_opened_at.is_some(),
            _ if c.fields.lots.is_empty() => key.opening.offres_opened_at.is_some(),
            // A pli for every lot cannot be split: it opens with the first lot opened.
            _ if bid.lots.is_empty() => !lots_opened.is_empty(),
            _ => bid.lots.iter().any(|l| lots_opened.contains(l)),
        };
        let Some(identity) = key.opening.identity.filter(|_| opened) else {
            return Err(AppError::Conflict(format!("L’enveloppe « {} » n’est pas encore ouverte.", file.envelope)));
        };
        let reader = self.vault.open_sealed(&file.storage_key, &SecretString::from(identity)).await?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        tx.audit(
            &consultation_event(
                actor,
                "pli.fichier_ouvert",
                bid.consultation_id,
                json!({ "pli": bid.id, "fichier": index }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(OpenedBidFile { name: file.name.clone(), size: u64::try_from(file.plain_size).unwrap_or(0), file: reader })
    }
}
