//! Sealed electronic bids: the buyers' opening keys, the consultation's sealing key made at
//! publication, the deposit (files sealed as they stream in) and its signed receipt, and the
//! registre des dépôts.

use domain::consultation::{Phase, Status};
use domain::role::Role;
use domain::{paris_time, text};
use jiff::Timestamp;
use serde_json::json;
use store::{Bid, Consultation, ConsultationKey, NewBid, NewBidFile, Tx};
use tokio::io::AsyncRead;
use vault::SealedFile;

use crate::consultations::consultation_event;
use crate::{Actor, App, AppError};

/// The two envelopes of a pli.
pub const ENVELOPES: [&str; 2] = ["candidature", "offre"];

/// A deposit under way: who deposits, on what, since when, and the key to seal to.
#[derive(Debug, Clone)]
pub struct Deposit {
    consultation: Consultation,
    public_key: String,
    started_at: Timestamp,
    organisation_id: i64,
    user_id: i64,
}

/// One file of a deposit, already sealed and durably stored.
#[derive(Debug, Clone)]
pub struct SealedPart {
    envelope: String,
    name: String,
    file: SealedFile,
}

/// The registre des dépôts as the buyer may see it: before the deadline, only how many.
#[derive(Debug, Clone)]
pub struct DepositRegister {
    pub count: i64,
    pub bids: Option<Vec<Bid>>,
}

impl App {
    /// A buyer registers the public half of their own age key (from `age-keygen`): the
    /// consultations of their organisation are sealed so that only such keys can open them.
    pub async fn register_opening_key(&self, actor: &Actor, public_key: &str) -> Result<(), AppError> {
        let user = actor.signed_in()?;
        if !user.role.is_buyer() {
            return Err(AppError::Forbidden("Seuls les acheteurs publics ont une clé d’ouverture.".into()));
        }
        let key = vault::seal::parse_recipient(public_key.trim())
            .map_err(|_| {
                AppError::field(
                    "public_key",
                    "Ce n’est pas une clé publique age : elle commence par « age1 » et se lit dans le fichier créé par age-keygen.",
                )
            })?
            .to_string();
        let now = self.now();
        let mut tx = self.store.begin().await?;
        tx.set_opening_key(user.id, &key, now).await?;
        tx.audit(
            &store::AuditEvent {
                actor: actor.audit_name(),
                action: "cle_ouverture.enregistree".into(),
                subject: format!("user:{}", user.id),
                details: json!({ "cle": key }).to_string(),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn opening_key(&self, actor: &Actor) -> Result<Option<String>, AppError> {
        Ok(self.store.opening_key(actor.signed_in()?.id).await?)
    }

    /// At publication: a key pair for the consultation, its private half wrapped to every
    /// member of the organisation's opening committee and then forgotten.
    pub(crate) async fn seal_consultation(
        &self,
        tx: &mut Tx,
        c: &Consultation,
        now: Timestamp,
    ) -> Result<(), AppError> {
        let committee = self.store.committee_keys(c.organisation_id).await?;
        if committee.is_empty() {
            return Err(AppError::Conflict(
                "Aucun acheteur de votre organisation n’a enregistré de clé d’ouverture : sans elle, les plis ne pourraient pas être scellés. Enregistrez une clé (espace acheteur) avant de publier.".into(),
            ));
        }
        let (public_key, identity) = vault::seal::ConsultationKey::generate();
        let recipients: Vec<String> = committee.iter().map(|(_, k)| k.clone()).collect();
        let wrapped = vault::seal::wrap_identity(&identity, &recipients)
            .ok()
            .and_then(|w| String::from_utf8(w).ok())
            .ok_or_else(|| AppError::Internal("wrapping the consultation key failed".into()))?;
        tx.insert_consultation_key(&ConsultationKey {
            consultation_id: c.id,
            public_key,
            wrapped_identity: wrapped,
            committee: committee.iter().map(|(id, _)| *id).collect(),
            created_at: now,
            opening: Default::default(),
        })
        .await?;
        Ok(())
    }

    /// Checks that the actor may deposit on this consultation, before any byte is taken.
    pub async fn begin_deposit(&self, actor: &Actor, consultation_id: i64) -> Result<Deposit, AppError> {
        let user = actor.signed_in()?;
        let (Role::Entreprise, Some(organisation_id)) = (user.role, user.organisation_id) else {
            return Err(AppError::Forbidden("Seules les entreprises inscrites déposent des plis.".into()));
        };
        let c = self.store.consultation(consultation_id).await?;
        match c.status {
            Status::Brouillon => return Err(AppError::NotFound),
            Status::Publiee => {}
            _ => return Err(AppError::Conflict("Cette consultation est close : elle ne reçoit plus de plis.".into())),
        }
        let key = self.store.consultation_key(consultation_id).await?;
        Ok(Deposit {
            public_key: key.public_key,
            consultation: c,
            started_at: self.now(),
            organisation_id,
            user_id: user.id,
        })
    }

    /// Seals one file to the consultation's key as it streams in; only ciphertext is written.
    pub async fn seal_bid_file(
        &self,
        deposit: &Deposit,
        envelope: &str,
        raw_name: &str,
        body: impl AsyncRead + Unpin,
    ) -> Result<SealedPart, AppError> {
        if !ENVELOPES.contains(&envelope) {
            return Err(AppError::field(envelope, "Les fichiers vont dans l’enveloppe « candidature » ou « offre »."));
        }
        let file = self.vault.put_sealed(body, &deposit.public_key, self.config.max_upload_bytes).await?;
        Ok(SealedPart { envelope: envelope.into(), name: text::file_name(raw_name), file })
    }

    /// A deposit that failed half-way leaves nothing behind.
    pub async fn discard_sealed(&self, parts: &[SealedPart]) {
        for p in parts {
            if let Err(e) = self.vault.remove(&p.file.key).await {
                tracing::warn!(error = %e, "sealed file of an abandoned deposit not removed");
            }
        }
    }

    /// Records the bid once every file is durably stored; the receipt instant is now, and a
    /// bid finished after the deadline is kept and marked late. Returns the signed receipt.
    pub async fn finish_deposit(
        &self,
        deposit: Deposit,
        lots: &[String],
        parts: Vec<SealedPart>,
    ) -> Result<(i64, String), AppError> {
        let result = self.record_deposit(&deposit, lots, &parts).await;
        if result.is_err() {
            self.discard_sealed(&parts).await;
        }
        result
    }

    async fn record_deposit(
        &self,
        d: &Deposit,
        lots: &[String],
        parts: &[SealedPart],
    ) -> Result<(i64, String), AppError> {
        if parts.is_empty() {
            return Err(AppError::field("offre", "Joignez au moins un fichier à votre pli."));
        }
        let c = &d.consultation;
        let mut chosen = Vec::new();
        for l in lots.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
            match l.parse::<i64>().ok().filter(|n| c.fields.lots.iter().any(|lot| lot.number == *n)) {
                Some(n) if !chosen.contains(&n) => chosen.push(n),
                Some(_) => {}
                None => {
                    return Err(AppError::field(
                        "lots",
                        format!("Le lot « {l} » n’existe pas dans cette consultation."),
                    ));
                }
            }
        }
        chosen.sort_unstable();
        let user = self.store.user(d.user_id).await?;
        let firm = self.store.organisation(d.organisation_id).await?;
        let received_at = self.now();
        let late = received_at >= c.fields.bid_deadline;
        let files: Vec<NewBidFile> = parts
            .iter()
            .map(|p| NewBidFile {
                envelope: p.envelope.clone(),
                name: p.name.clone(),
                plain_size: i64::try_from(p.file.plain_size).unwrap_or(i64::MAX),
                plain_sha256: p.file.plain_sha256.clone(),
                sealed_size: i64::try_from(p.file.sealed_size).unwrap_or(i64::MAX),
                storage_key: p.file.key.clone(),
            })
            .collect();
        let bid = NewBid {
            consultation_id: c.id,
            organisation_id: d.organisation_id,
            user_id: d.user_id,
            lots: chosen.clone(),
            started_at_micros: d.started_at.as_microsecond(),
            received_at_micros: received_at.as_microsecond(),
            late,
        };
        let mut tx = self.store.begin().await?;
        let id = tx.insert_bid(&bid, &files).await?;
        let receipt = json!({
            "type": "accuse-de-reception",
            "platform": self.config.base_url,
            "bid": id,
            "consultation": { "id": c.id, "reference": c.reference, "title": c.fields.title },
            "buyer": c.organisation_name,
            "depositor": { "firm": firm.name, "siret": firm.siret, "user": user.email },
            "lots": chosen,
            "upload_started_at": d.started_at.to_string(),
            "received_at": received_at.to_string(),
            "received_at_paris": paris_time::format_iso(received_at),
            "bid_deadline": paris_time::format_iso(c.fields.bid_deadline),
            "late": late,
            "test": self.is_test_consultation(c.id).await?,
            "files": files.iter().map(|f| json!({
                "envelope": f.envelope, "name": f.name, "size": f.plain_size, "sha256": f.plain_sha256
            })).collect::<Vec<_>>(),
        });
        let document = self.receipt_key()?.sign(&receipt);
        let document = String::from_utf8(document).map_err(|e| AppError::Internal(e.to_string()))?;
        tx.set_bid_receipt(id, &document).await?;
        self.log_receipt(&mut tx, id, &document, received_at).await?;
        let body = format!(
            "Bonjour,\n\nVotre pli n° {id} pour la consultation « {} » ({}) de {} a été reçu le {}{}.\n\nFichiers reçus :\n{}\n\nL’accusé de réception signé figure ci-dessous entre les deux lignes ; enregistrez-le tel quel dans un fichier pour le vérifier avec « halle verify-receipt ».\n-----\n{document}\n-----\n",
            c.fields.title,
            c.reference,
            c.organisation_name,
            paris_time::format_long(received_at),
            if late { " — APRÈS la date limite : il est conservé mais ne sera pas ouvert" } else { "" },
            files
                .iter()
                .map(|f| format!("- {} : {} ({} octets, SHA-256 {})", f.envelope, f.name, f.plain_size, f.plain_sha256))
                .collect::<Vec<_>>()
                .join("\n"),
        );
        tx.queue_email(
            &user.email,
            &format!("Accusé de réception — pli n° {id} — {}", c.reference),
            &body,
            received_at,
        )
        .await?;
        tx.audit(
            &consultation_event(
                &Actor::User(user),
                "pli.depose",
                c.id,
                json!({ "pli": id, "hors_delai": late, "fichiers": files.len(), "recu": received_at.to_string() }),
            ),
            received_at,
        )
        .await?;
        tx.commit().await?;
        Ok((id, document))
    }

    /// The signed receipt of a bid, for the firm that deposited it.
    pub async fn bid_receipt(&self, actor: &Actor, bid_id: i64) -> Result<String, AppError> {
        let user = actor.signed_in()?;
        let bid = self.store.bid(bid_id).await?;
        if user.organisation_id != Some(bid.organisation_id) || user.role != Role::Entreprise {
            return Err(AppError::NotFound);
        }
        Ok(bid.receipt)
    }

    /// The registre des dépôts: its buyers only; the list only once the deadline has passed.
    pub async fn deposit_register(&self, actor: &Actor, consultation_id: i64) -> Result<DepositRegister, AppError> {
        let c = self.owned_consultation(actor, consultation_id).await?;
        let count = self.store.bid_count(consultation_id).await?;
        let phase = Phase::of(c.status, c.fields.bid_deadline, self.now());
        let bids = if matches!(phase, Phase::Brouillon | Phase::EnCours) {
            None
        } else {
            Some(self.store.bids(consultation_id).await?)
        };
        Ok(DepositRegister { count, bids })
    }

    /// The public key that signs receipts (served at `/.well-known/halle/receipt-key`).
    pub fn receipt_public_key(&self) -> Result<String, AppError> {
        Ok(self.receipt_key()?.public_key_b64())
    }
}
