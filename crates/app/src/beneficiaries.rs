//! Beneficiaries of insertion hours (RGPD): facilitators record, list and erase those of their
//! départements. Lists carry the pseudonymous profile only; the identity is read one person at
//! a time, by a facilitator of that person's département, and each reading is audited. Firms,
//! buyers and administrators never see either.

use domain::beneficiary::{self, BeneficiaryInput, Identity};
use domain::paris_time;
use domain::role::Role;
use store::{AuditEvent, Beneficiary, User};

use crate::accounts::event;
use crate::{Actor, App, AppError};

/// A facilitator, or refused: signed out is "sign in first", anyone else is forbidden.
pub(crate) fn require_facilitator(actor: &Actor) -> Result<&User, AppError> {
    let me = actor.signed_in()?;
    if me.role == Role::Facilitateur {
        Ok(me)
    } else {
        Err(AppError::Forbidden("Réservé aux facilitateurs des clauses sociales.".into()))
    }
}

fn subject(id: i64) -> String {
    format!("beneficiaire:{id}")
}

impl App {
    /// The départements the facilitator follows.
    pub fn facilitator_territory(&self, actor: &Actor) -> Result<Vec<String>, AppError> {
        Ok(require_facilitator(actor)?.departements.clone())
    }

    pub async fn create_beneficiary(&self, actor: &Actor, input: &BeneficiaryInput) -> Result<i64, AppError> {
        let me = require_facilitator(actor)?;
        let now = self.now();
        let spec = beneficiary::validate(input, paris_time::today(now))?;
        if !me.departements.contains(&spec.profile.departement) {
            return Err(AppError::field(
                "commune",
                format!(
                    "Cette commune est dans le département {}, hors de votre territoire ({}).",
                    spec.profile.departement,
                    me.departements.join(", ")
                ),
            ));
        }
        let mut tx = self.store.begin().await?;
        let id = tx.insert_beneficiary(&spec, me.id, now).await?;
        // No identity in the audit log: it outlives the retention date.
        tx.audit(&event(actor, "beneficiaire.cree", subject(id), &spec.profile.departement), now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The beneficiaries of the facilitator's départements (or of one of them).
    pub async fn beneficiaries(&self, actor: &Actor, departement: Option<&str>) -> Result<Vec<Beneficiary>, AppError> {
        let me = require_facilitator(actor)?;
        let scope: Vec<String> =
            me.departements.iter().filter(|d| departement.is_none_or(|only| only == d.as_str())).cloned().collect();
        Ok(self.store.beneficiaries(&scope).await?)
    }

    /// One beneficiary of the facilitator's territory, pseudonymous; others do not exist for them.
    pub async fn beneficiary(&self, actor: &Actor, id: i64) -> Result<Beneficiary, AppError> {
        let me = require_facilitator(actor)?;
        let b = self.store.beneficiary(id).await?;
        if me.departements.contains(&b.profile.departement) { Ok(b) } else { Err(AppError::NotFound) }
    }

    /// The identity, read and audited in one transaction.
    pub async fn beneficiary_identity(&self, actor: &Actor, id: i64) -> Result<(Beneficiary, Identity), AppError> {
        let b = self.beneficiary(actor, id).await?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let identity = tx.beneficiary_identity(id).await?;
        tx.audit(&event(actor, "beneficiaire.identite_lue", subject(id), &b.profile.departement), now).await?;
        tx.commit().await?;
        Ok((b, identity))
    }

    /// Erases a beneficiary on request.
    pub async fn delete_beneficiary(&self, actor: &Actor, id: i64) -> Result<(), AppError> {
        let b = self.beneficiary(actor, id).await?;
        self.erase(actor.audit_name(), &b).await
    }

    /// Erases everyone whose retention date has passed (the server runs this daily); returns
    /// how many. The audit names the retention rule as the actor.
    pub async fn purge_expired_beneficiaries(&self) -> Result<usize, AppError> {
        let expired = self.store.expired_beneficiaries(paris_time::today(self.now())).await?;
        for b in &expired {
            self.erase("systeme:duree-de-conservation".into(), b).await?;
        }
        Ok(expired.len())
    }

    async fn erase(&self, actor: String, b: &Beneficiary) -> Result<(), AppError> {
        let now = self.now();
        let mut tx = self.store.begin().await?;
        tx.delete_beneficiary(b.id).await?;
        let details = serde_json::json!({ "detail": b.profile.departement }).to_string();
        tx.audit(&AuditEvent { actor, action: "beneficiaire.supprime".into(), subject: subject(b.id), details }, now)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
