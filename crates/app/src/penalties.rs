//! Penalties of a social clause. The facilitators who follow the contract, or its buyer, propose
//! one with what they found; only the buyer, party to the contract, applies or waives it. The
//! titulaire sees them on its contract.

use domain::penalty::{self, PenaltyInput, PenaltyStatus};
use serde_json::json;
use store::StoreError;

use crate::consultations::consultation_event;
use crate::placements::ContractRole;
use crate::{Actor, App, AppError};

impl App {
    pub async fn propose_penalty(
        &self,
        actor: &Actor,
        id: i64,
        lot: i64,
        input: &PenaltyInput,
    ) -> Result<i64, AppError> {
        let (_, role, me) = self.contract_access(actor, id, lot).await?;
        if !matches!(role, ContractRole::Facilitator | ContractRole::Buyer) {
            return Err(AppError::Forbidden(
                "Les pénalités sont proposées par les facilitateurs ou par l’acheteur.".into(),
            ));
        }
        let spec = penalty::validate(input)?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let pid = tx.insert_penalty(id, lot, &spec, me.id, now).await?;
        tx.audit(
            &consultation_event(
                actor,
                "clause.penalite_proposee",
                id,
                json!({ "lot": lot, "penalite": pid, "motif": spec.reason.code(), "montant": spec.amount.0 }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(pid)
    }

    /// The buyer applies or waives a proposed penalty; returns the contract (consultation, lot).
    pub async fn decide_penalty(&self, actor: &Actor, penalty_id: i64, apply: bool) -> Result<(i64, i64), AppError> {
        let p = self.store.penalty(penalty_id).await?;
        let (_, role, me) = self.contract_access(actor, p.consultation_id, p.lot_number).await?;
        Self::only(role, ContractRole::Buyer, "Seul l’acheteur applique ou abandonne une pénalité.")?;
        let status = if apply { PenaltyStatus::Appliquee } else { PenaltyStatus::Abandonnee };
        let now = self.now();
        let mut tx = self.store.begin().await?;
        tx.decide_penalty(penalty_id, status, me.id, now).await.map_err(|e| match e {
            StoreError::Conflict => AppError::Conflict("Cette pénalité a déjà été décidée.".into()),
            other => other.into(),
        })?;
        tx.audit(
            &consultation_event(
                actor,
                "clause.penalite_decidee",
                p.consultation_id,
                json!({ "lot": p.lot_number, "penalite": penalty_id, "etat": status.code() }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok((p.consultation_id, p.lot_number))
    }
}
