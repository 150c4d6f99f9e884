//! The transparency log (RFC 6962): every receipt is a leaf, so a firm can prove its receipt
//! is in the log, and anyone can check the log only grows. At the deadline a consultation's
//! deposits are frozen in a signed statement: no pli can be added or removed afterwards
//! without it showing.

use domain::consultation::{Phase, Status};
use domain::paris_time;
use jiff::Timestamp;
use serde_json::{Value, json};
use store::Tx;
use vault::merkle;

use crate::{App, AppError};

fn parse_hash(hex_text: &str) -> Result<merkle::Hash, AppError> {
    let bytes = hex::decode(hex_text).map_err(|e| AppError::Internal(format!("stored leaf hash: {e}")))?;
    bytes.try_into().map_err(|_| AppError::Internal("stored leaf hash is not 32 bytes".into()))
}

impl App {
    /// Appends a receipt to the log, in the deposit's transaction.
    pub(crate) async fn log_receipt(
        &self,
        tx: &mut Tx,
        bid_id: i64,
        document: &str,
        now: Timestamp,
    ) -> Result<i64, AppError> {
        let leaf = hex::encode(merkle::leaf_hash(document.as_bytes()));
        Ok(tx.append_transparency_leaf(bid_id, &leaf, now).await?)
    }

    async fn leaves(&self) -> Result<Vec<merkle::Hash>, AppError> {
        self.store.transparency_leaves().await?.iter().map(|h| parse_hash(h)).collect()
    }

    /// The signed tree head: size and root of the log now.
    pub async fn tree_head(&self) -> Result<String, AppError> {
        let leaves = self.leaves().await?;
        let head = json!({
            "type": "tete-du-journal-de-transparence",
            "tree_size": leaves.len(),
            "root_hash": hex::encode(merkle::root(&leaves)),
            "timestamp": self.now().to_string(),
        });
        String::from_utf8(self.receipt_key()?.sign(&head)).map_err(|e| AppError::Internal(e.to_string()))
    }

    /// The proof that a bid's receipt is in the log, against the current tree.
    pub async fn inclusion_proof(&self, bid_id: i64) -> Result<Value, AppError> {
        let index = self.store.transparency_index(bid_id).await?;
        let leaves = self.leaves().await?;
        let index = u64::try_from(index).map_err(|_| AppError::Internal("negative leaf index".into()))?;
        let proof = merkle::inclusion_proof(&leaves, index).ok_or(AppError::NotFound)?;
        let leaf = leaves.get(usize::try_from(index).unwrap_or(usize::MAX)).ok_or(AppError::NotFound)?;
        Ok(json!({
            "bid": bid_id,
            "leaf_index": index,
            "leaf_hash": hex::encode(leaf),
            "tree_size": leaves.len(),
            "root_hash": hex::encode(merkle::root(&leaves)),
            "audit_path": proof.iter().map(hex::encode).collect::<Vec<_>>(),
        }))
    }

    /// The proof that the log of `old_size` leaves is a prefix of the log of `new_size` leaves.
    pub async fn consistency_proof(&self, old_size: u64, new_size: u64) -> Result<Value, AppError> {
        let leaves = self.leaves().await?;
        let new = usize::try_from(new_size).unwrap_or(usize::MAX);
        if new > leaves.len() || old_size > new_size {
            return Err(AppError::field("to", format!("Le journal compte {} feuilles.", leaves.len())));
        }
        let prefix = &leaves[..new];
        let old = usize::try_from(old_size).unwrap_or(0);
        let proof = merkle::consistency_proof(prefix, old_size).ok_or(AppError::NotFound)?;
        Ok(json!({
            "from": old_size,
            "to": new_size,
            "from_root": hex::encode(merkle::root(&prefix[..old])),
            "to_root": hex::encode(merkle::root(prefix)),
            "proof": proof.iter().map(hex::encode).collect::<Vec<_>>(),
        }))
    }

    /// Freezes the deposits of every consultation whose deadline has just passed (a job run
    /// every few seconds, so the statement is made at the deadline, not when first asked for).
    /// Returns how many were frozen.
    pub async fn freeze_due_statements(&self) -> Result<usize, AppError> {
        let due = self.store.statements_due(self.now()).await?;
        for id in &due {
            self.deposit_statement(*id).await?;
        }
        Ok(due.len())
    }

    /// The consultation's deposits in time, frozen and signed once its deadline has passed.
    pub async fn deposit_statement(&self, consultation_id: i64) -> Result<String, AppError> {
        if let Some(s) = self.store.deposit_statement(consultation_id).await? {
            return Ok(s);
        }
        let c = self.store.consultation(consultation_id).await?;
        if c.status == Status::Brouillon {
            return Err(AppError::NotFound);
        }
        let now = self.now();
        if matches!(Phase::of(c.status, c.fields.bid_deadline, now), Phase::EnCours) {
            return Err(AppError::Conflict(
                "Le relevé des dépôts est établi à la date limite de remise des plis.".into(),
            ));
        }
        let leaves = self.leaves().await?;
        let mut deposits = Vec::new();
        for b in self.store.bids(consultation_id).await?.iter().filter(|b| !b.late) {
            let index = self.store.transparency_index(b.id).await?;
            deposits.push(json!({
                "bid": b.id,
                "leaf_index": index,
                "leaf_hash": hex::encode(merkle::leaf_hash(b.receipt.as_bytes())),
                "received_at": Timestamp::from_microsecond(b.received_at_micros).map(|t| t.to_string()).unwrap_or_default(),
            }));
        }
        let statement = json!({
            "type": "releve-des-depots",
            "consultation": { "id": c.id, "reference": c.reference, "title": c.fields.title },
            "bid_deadline": paris_time::format_iso(c.fields.bid_deadline),
            "deposits": deposits,
            "tree_size": leaves.len(),
            "root_hash": hex::encode(merkle::root(&leaves)),
            "frozen_at": now.to_string(),
        });
        let document =
            String::from_utf8(self.receipt_key()?.sign(&statement)).map_err(|e| AppError::Internal(e.to_string()))?;
        let mut tx = self.store.begin().await?;
        tx.insert_deposit_statement(consultation_id, &document, now).await?;
        tx.commit().await?;
        // Another node may have frozen it first: the stored one is the statement.
        Ok(self.store.deposit_statement(consultation_id).await?.unwrap_or(document))
    }
}
