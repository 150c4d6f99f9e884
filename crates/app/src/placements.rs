//! Following an awarded lot's social clause: the facilitators of the clause's département place
//! beneficiaries and validate hours; the titulaire writes its commitment and reports monthly
//! hours (form or CSV file, all or nothing); the buyer reads. A firm sees only its own contracts.

use domain::hours_report::{self, HoursLine, ReportStatus};
use domain::placement::{self, PlacementInput};
use domain::role::Role;
use domain::{FieldErrors, paris_time, text};
use serde_json::json;
use store::{
    Beneficiary, ClauseContract, Commitment, ContractScope, HoursReport, Penalty, Placement, SocialClause, StoreError,
    User,
};

use crate::beneficiaries::require_facilitator;
use crate::consultations::consultation_event;
use crate::{Actor, App, AppError};

/// Why the actor may see a contract, which decides what they may do there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContractRole {
    Facilitator,
    Titulaire,
    Buyer,
    /// The platform's coordinators: they read every contract, and act on none.
    Coordinator,
}

#[derive(Debug, Clone)]
pub struct ContractView {
    pub contract: ClauseContract,
    pub clause: SocialClause,
    pub role: ContractRole,
    pub commitment: Option<Commitment>,
    pub placements: Vec<Placement>,
    pub reports: Vec<HoursReport>,
    pub penalties: Vec<Penalty>,
    /// For a facilitator: the beneficiaries they may place.
    pub beneficiaries: Vec<Beneficiary>,
}

/// The facilitators of the clause's département follow the contract.
pub(crate) fn follows(me: &User, c: &ClauseContract) -> bool {
    me.role == Role::Facilitateur && me.departements.contains(&c.facilitator_departement)
}

impl App {
    /// The SIRET of the firm the actor works for.
    async fn firm_siret(&self, me: &User) -> Result<Option<String>, AppError> {
        match (me.role, me.organisation_id) {
            (Role::Entreprise, Some(org)) => Ok(Some(self.store.organisation(org).await?.siret)),
            _ => Ok(None),
        }
    }

    /// Facilitators: the contracts of their départements; firms: those they hold; buyers: their
    /// organisation's; the platform's coordinators: all.
    pub async fn clause_contracts(&self, actor: &Actor) -> Result<Vec<ClauseContract>, AppError> {
        let me = actor.signed_in()?;
        let siret;
        let scope = match (me.role, actor.buyer_organisation()) {
            (Role::Facilitateur, _) => ContractScope::Departements(&me.departements),
            (Role::Admin, _) => ContractScope::All,
            (_, Some(org)) => ContractScope::Buyer(org),
            _ => match self.firm_siret(me).await? {
                Some(s) => {
                    siret = s;
                    ContractScope::Titulaire(&siret)
                }
                None => return Err(AppError::Forbidden("Réservé aux comptes rattachés à une organisation.".into())),
            },
        };
        Ok(self.store.clause_contracts(scope).await?)
    }

    pub(crate) async fn contract_access<'a>(
        &self,
        actor: &'a Actor,
        id: i64,
        lot: i64,
    ) -> Result<(ClauseContract, ContractRole, &'a User), AppError> {
        let me = actor.signed_in()?;
        let c = self.store.clause_contracts(ContractScope::Lot(id, lot)).await?.into_iter().next();
        let c = c.ok_or(AppError::NotFound)?;
        let role = if follows(me, &c) {
            ContractRole::Facilitator
        } else if self.firm_siret(me).await?.as_deref() == Some(c.titulaire_siret.as_str()) {
            ContractRole::Titulaire
        } else if actor.buyer_organisation() == Some(c.organisation_id) {
            ContractRole::Buyer
        } else if me.role == Role::Admin {
            ContractRole::Coordinator
        } else {
            return Err(AppError::Forbidden("Ce contrat n’est pas suivi par vous.".into()));
        };
        Ok((c, role, me))
    }

    pub(crate) fn only(role: ContractRole, wanted: ContractRole, message: &str) -> Result<(), AppError> {
        if role == wanted { Ok(()) } else { Err(AppError::Forbidden(message.into())) }
    }

    pub async fn clause_contract(&self, actor: &Actor, id: i64, lot: i64) -> Result<ContractView, AppError> {
        let (contract, role, _) = self.contract_access(actor, id, lot).await?;
        let clause = self.store.social_clauses(id).await?.into_iter().find(|c| c.lot_number == lot);
        let beneficiaries = match role {
            ContractRole::Facilitator => self.beneficiaries(actor, None).await?,
            _ => Vec::new(),
        };
        Ok(ContractView {
            clause: clause.ok_or(AppError::NotFound)?,
            commitment: self.store.commitment(id, lot).await?,
            placements: self.store.placements(id, lot).await?,
            reports: self.store.hours_reports(id, lot).await?,
            penalties: self.store.penalties(id, lot).await?,
            beneficiaries,
            role,
            contract,
        })
    }

    /// The titulaire says how it will fulfil the clause.
    pub async fn set_commitment(&self, actor: &Actor, id: i64, lot: i64, body: &str) -> Result<(), AppError> {
        let (_, role, me) = self.contract_access(actor, id, lot).await?;
        Self::only(role, ContractRole::Titulaire, "Seule l’entreprise titulaire écrit son engagement.")?;
        let body = text::required(body, "L’engagement", 5000).map_err(|m| AppError::field("commitment", m))?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        tx.put_commitment(id, lot, &body, me.id, now).await?;
        tx.audit(&consultation_event(actor, "clause.engagement", id, json!({ "lot": lot })), now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A facilitator places a beneficiary of their territory on the contract.
    pub async fn add_placement(
        &self,
        actor: &Actor,
        id: i64,
        lot: i64,
        input: &PlacementInput,
    ) -> Result<i64, AppError> {
        let (_, role, me) = self.contract_access(actor, id, lot).await?;
        Self::only(
            role,
            ContractRole::Facilitator,
            "Seuls les facilitateurs du département placent des bénéficiaires.",
        )?;
        let clause = self.store.social_clauses(id).await?.into_iter().find(|c| c.lot_number == lot);
        let allowed = clause.map(|c| c.spec.ways).unwrap_or_default();
        let spec = placement::validate(input, &allowed)?;
        match self.beneficiary(actor, spec.beneficiary_id).await {
            Ok(_) => {}
            Err(AppError::NotFound) => {
                return Err(AppError::field("beneficiary_id", "Ce bénéficiaire n’est pas sur votre territoire."));
            }
            Err(e) => return Err(e),
        }
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let pid = tx.insert_placement(id, lot, &spec, me.id, now).await?;
        tx.audit(
            &consultation_event(
                actor,
                "clause.placement",
                id,
                json!({ "lot": lot, "placement": pid, "beneficiaire": spec.beneficiary_id, "modalite": spec.way.code() }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(pid)
    }

    /// The titulaire reports hours: one month from the form.
    pub async fn report_hours(
        &self,
        actor: &Actor,
        id: i64,
        lot: i64,
        placement_id: &str,
        month: &str,
        hours: &str,
    ) -> Result<(), AppError> {
        let mut e = FieldErrors::default();
        let current = paris_time::today(self.now());
        let placement_id = e
            .check("placement", placement_id.trim().parse::<i64>().map_err(|_| "Choisissez le placement.".to_string()));
        let month = e.check("month", hours_report::month(month, current));
        let hours = e.check("hours", hours_report::hours(hours));
        let (Some(placement_id), Some(month), Some(hours)) = (placement_id, month, hours) else {
            return Err(e.into());
        };
        self.record_hours(actor, id, lot, &[HoursLine { line: 1, placement_id, month, hours }], "placement").await
    }

    /// The titulaire reports hours from a CSV file: every line, or none.
    pub async fn import_hours(&self, actor: &Actor, id: i64, lot: i64, csv: &str) -> Result<usize, AppError> {
        self.contract_access(actor, id, lot).await?;
        let lines = hours_report::parse_csv(csv, paris_time::today(self.now()))?;
        self.record_hours(actor, id, lot, &lines, "file").await?;
        Ok(lines.len())
    }

    /// Writes the lines in one transaction; an error names the line (for a file) or the field.
    async fn record_hours(
        &self,
        actor: &Actor,
        id: i64,
        lot: i64,
        lines: &[HoursLine],
        field: &str,
    ) -> Result<(), AppError> {
        let (_, role, me) = self.contract_access(actor, id, lot).await?;
        Self::only(role, ContractRole::Titulaire, "Seule l’entreprise titulaire déclare les heures.")?;
        let placements: Vec<i64> = self.store.placements(id, lot).await?.iter().map(|p| p.id).collect();
        let at = |l: &HoursLine, m: String| {
            if field == "file" {
                AppError::field(field, format!("Ligne {} : {m}", l.line))
            } else {
                AppError::field(field, m)
            }
        };
        let now = self.now();
        let mut tx = self.store.begin().await?;
        for l in lines {
            if !placements.contains(&l.placement_id) {
                return Err(at(l, format!("le placement {} n’appartient pas à ce contrat.", l.placement_id)));
            }
            tx.put_hours_report(l, me.id, now).await.map_err(|e| match e {
                StoreError::Conflict => at(
                    l,
                    format!(
                        "les heures de {} du placement {} sont déjà validées par le facilitateur.",
                        hours_report::format_month(l.month),
                        l.placement_id
                    ),
                ),
                other => other.into(),
            })?;
        }
        let total: i64 = lines.iter().map(|l| l.hours).sum();
        tx.audit(
            &consultation_event(
                actor,
                "clause.heures_declarees",
                id,
                json!({ "lot": lot, "lignes": lines.len(), "heures": total }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A facilitator of the contract validates or refuses a declared month; returns the
    /// contract (consultation, lot).
    pub async fn decide_hours(&self, actor: &Actor, report_id: i64, accept: bool) -> Result<(i64, i64), AppError> {
        require_facilitator(actor)?;
        let report = self.store.hours_report(report_id).await?;
        let p = self.store.placement(report.placement_id).await?;
        let (_, role, me) = self.contract_access(actor, p.consultation_id, p.lot_number).await?;
        Self::only(role, ContractRole::Facilitator, "Seuls les facilitateurs du département valident les heures.")?;
        let status = if accept { ReportStatus::Validee } else { ReportStatus::Refusee };
        let now = self.now();
        let mut tx = self.store.begin().await?;
        tx.decide_hours_report(report_id, status, me.id, now).await.map_err(|e| match e {
            StoreError::Conflict => AppError::Conflict("Ce relevé a déjà été traité.".into()),
            other => other.into(),
        })?;
        tx.audit(
            &consultation_event(
                actor,
                "clause.heures_decidees",
                p.consultation_id,
                json!({ "lot": p.lot_number, "releve": report_id, "etat": status.code(), "heures": report.hours }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok((p.consultation_id, p.lot_number))
    }

    /// A facilitator of the contract records where the beneficiary stands at the end of the
    /// placement, or six months later (not before); returns the contract (consultation, lot).
    pub async fn record_outcome(
        &self,
        actor: &Actor,
        placement_id: i64,
        time: &str,
        outcome: &str,
    ) -> Result<(i64, i64), AppError> {
        require_facilitator(actor)?;
        let p = self.store.placement(placement_id).await?;
        let (_, role, _) = self.contract_access(actor, p.consultation_id, p.lot_number).await?;
        Self::only(
            role,
            ContractRole::Facilitator,
            "Seuls les facilitateurs du département suivent les bénéficiaires.",
        )?;
        let mut e = FieldErrors::default();
        let time = e.check("moment", placement::OutcomeTime::parse(time));
        let outcome = e.check("situation", placement::Outcome::parse(outcome));
        e.into_result()?;
        let (Some(time), Some(outcome)) = (time, outcome) else {
            return Err(AppError::Internal("checked fields missing".into()));
        };
        let now = self.now();
        placement::outcome_due(time, p.spec.end_on, paris_time::today(now)).map_err(AppError::Conflict)?;
        let mut tx = self.store.begin().await?;
        tx.set_placement_outcome(placement_id, time, outcome).await?;
        tx.audit(
            &consultation_event(
                actor,
                "clause.situation",
                p.consultation_id,
                json!({ "lot": p.lot_number, "placement": placement_id, "moment": time.code(), "situation": outcome.code() }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok((p.consultation_id, p.lot_number))
    }
}
