//! Operations and public indicators. Facilitators create operations and group the contracts of
//! their départements in them; anyone reads the indicators, computed from the store on each
//! request (the domain hides counts of fewer than five people).

use domain::indicators::{self, Indicators};
use domain::operation::{self, OperationInput};
use domain::{FieldErrors, geo};
use serde_json::json;
use store::{ClauseContract, IndicatorFilter, Operation, StoreError};

use crate::accounts::event;
use crate::beneficiaries::require_facilitator;
use crate::placements::{ContractRole, follows};
use crate::{Actor, App, AppError};

/// The indicators' filters as received.
#[derive(Debug, Clone, Default)]
pub struct IndicatorQuery {
    pub departement: Option<String>,
    pub operation: Option<String>,
    pub year: Option<String>,
    /// The buying organisation's id.
    pub buyer: Option<String>,
}

#[derive(Debug, Clone)]
pub struct IndicatorsView {
    pub filter: IndicatorFilter,
    pub indicators: Indicators,
    pub outcomes: indicators::Outcomes,
    pub contracts: indicators::ContractShares,
    /// Every operation, to choose from.
    pub operations: Vec<Operation>,
    /// Every buying organisation, to choose from.
    pub buyers: Vec<store::Organisation>,
    /// The same indicators for each département of the region with a contract in scope (the
    /// other filters kept), to compare them.
    pub by_departement: Vec<(&'static str, Indicators)>,
}

/// One operation as its page shows it.
#[derive(Debug, Clone)]
pub struct OperationView {
    pub operation: Operation,
    /// Its contracts, each with whether the facilitator follows it (and may take it out).
    pub contracts: Vec<(ClauseContract, bool)>,
    /// The facilitator created it: they change or delete it.
    pub editable: bool,
}

fn grouping_event(actor: &Actor, action: &str, operation: i64, consultation: i64, lot: i64) -> store::AuditEvent {
    store::AuditEvent {
        actor: actor.audit_name(),
        action: action.into(),
        subject: format!("operation:{operation}"),
        details: json!({ "consultation": consultation, "lot": lot }).to_string(),
    }
}

/// Checks the filters against the known operations and buyers; every problem named by its field.
fn indicator_filter(
    q: &IndicatorQuery,
    operations: &[Operation],
    buyers: &[store::Organisation],
) -> Result<IndicatorFilter, AppError> {
    let mut e = FieldErrors::default();
    let some = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
    // An id among the known ones, else the message.
    let known = |text: &str, mut ids: std::slice::Iter<'_, i64>, what: &str| {
        text.parse::<i64>().ok().filter(|id| ids.any(|k| k == id)).ok_or_else(|| format!("« {text} » : {what}"))
    };
    let operation_ids: Vec<i64> = operations.iter().map(|o| o.id).collect();
    let buyer_ids: Vec<i64> = buyers.iter().map(|b| b.id).collect();
    let departement =
        some(&q.departement).and_then(|d| e.check("departement", geo::departement(&d).map(|d| d.code.to_string())));
    let operation = some(&q.operation)
        .and_then(|o| e.check("operation", known(&o, operation_ids.iter(), "cette opération n’existe pas.")));
    let year = some(&q.year).and_then(|y| {
        e.check(
            "year",
            y.parse::<i16>()
                .ok()
                .filter(|y| (2000..=2100).contains(y))
                .ok_or_else(|| format!("« {y} » : l’année attendue a la forme 2027.")),
        )
    });
    let buyer =
        some(&q.buyer).and_then(|b| e.check("buyer", known(&b, buyer_ids.iter(), "cet acheteur n’existe pas.")));
    e.into_result()?;
    Ok(IndicatorFilter { departement, operation, year, buyer })
}

impl App {
    pub async fn create_operation(&self, actor: &Actor, input: &OperationInput) -> Result<i64, AppError> {
        let me = require_facilitator(actor)?;
        let spec = operation::validate(input)?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let id = tx.insert_operation(&spec, me.id, now).await?;
        tx.audit(&event(actor, "operation.creee", format!("operation:{id}"), &spec.name), now).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn operation(&self, id: i64) -> Result<Operation, AppError> {
        self.store.operations().await?.into_iter().find(|o| o.id == id).ok_or(AppError::NotFound)
    }

    /// The operation, if the actor created it: only they change or delete it.
    async fn own_operation(&self, actor: &Actor, id: i64) -> Result<Operation, AppError> {
        let me = require_facilitator(actor)?;
        let o = self.operation(id).await?;
        if o.created_by != me.id {
            return Err(AppError::Forbidden("Seul le facilitateur qui a créé l’opération la modifie.".into()));
        }
        Ok(o)
    }

    pub async fn update_operation(&self, actor: &Actor, id: i64, input: &OperationInput) -> Result<(), AppError> {
        self.own_operation(actor, id).await?;
        let spec = operation::validate(input)?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        tx.update_operation(id, &spec).await?;
        tx.audit(&event(actor, "operation.modifiee", format!("operation:{id}"), &spec.name), now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes the operation; its contracts stay, ungrouped.
    pub async fn delete_operation(&self, actor: &Actor, id: i64) -> Result<(), AppError> {
        let o = self.own_operation(actor, id).await?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        tx.delete_operation(id).await?;
        tx.audit(&event(actor, "operation.supprimee", format!("operation:{id}"), &o.spec.name), now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Grouping is for the facilitators who follow the contract, in an operation that exists.
    async fn may_group(&self, actor: &Actor, operation_id: i64, consultation: i64, lot: i64) -> Result<(), AppError> {
        require_facilitator(actor)?;
        self.operation(operation_id).await?;
        let (_, role, _) = self.contract_access(actor, consultation, lot).await?;
        Self::only(role, ContractRole::Facilitator, "Seuls les facilitateurs du département regroupent ce contrat.")
    }

    /// A facilitator adds a contract they follow to an operation.
    pub async fn add_operation_contract(
        &self,
        actor: &Actor,
        operation_id: i64,
        consultation: i64,
        lot: i64,
    ) -> Result<(), AppError> {
        self.may_group(actor, operation_id, consultation, lot).await?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        tx.add_operation_contract(operation_id, consultation, lot).await.map_err(|e| match e {
            StoreError::Conflict => AppError::field("contract", "Ce contrat fait déjà partie de l’opération."),
            other => other.into(),
        })?;
        tx.audit(&grouping_event(actor, "operation.contrat", operation_id, consultation, lot), now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A facilitator takes a contract they follow out of an operation.
    pub async fn remove_operation_contract(
        &self,
        actor: &Actor,
        operation_id: i64,
        consultation: i64,
        lot: i64,
    ) -> Result<(), AppError> {
        self.may_group(actor, operation_id, consultation, lot).await?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        tx.remove_operation_contract(operation_id, consultation, lot).await?;
        tx.audit(&grouping_event(actor, "operation.contrat_retire", operation_id, consultation, lot), now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// One operation for a facilitator: its contracts (those they follow may be taken out), and
    /// whether they may change it.
    pub async fn operation_workspace(&self, actor: &Actor, id: i64) -> Result<OperationView, AppError> {
        let me = require_facilitator(actor)?;
        let operation = self.operation(id).await?;
        let contracts = self
            .store
            .clause_contracts(store::ContractScope::Operation(id))
            .await?
            .into_iter()
            .map(|c| {
                let mine = follows(me, &c);
                (c, mine)
            })
            .collect();
        Ok(OperationView { editable: operation.created_by == me.id, operation, contracts })
    }

    /// The operations, and the contracts the facilitator may group in them.
    pub async fn operations_workspace(&self, actor: &Actor) -> Result<(Vec<Operation>, Vec<ClauseContract>), AppError> {
        require_facilitator(actor)?;
        Ok((self.store.operations().await?, self.clause_contracts(actor).await?))
    }

    /// Operations are public: their names and targets frame the indicators.
    pub async fn operations(&self) -> Result<Vec<Operation>, AppError> {
        Ok(self.store.operations().await?)
    }

    /// Public indicators, recomputed from the store on each call (nothing maintained on the
    /// side, so nothing can drift from the hours and clauses themselves).
    pub async fn indicators(&self, q: &IndicatorQuery) -> Result<IndicatorsView, AppError> {
        let buyers = self.store.organisations(domain::organisation::OrgRole::Acheteur).await?;
        let operations = self.store.operations().await?;
        let filter = indicator_filter(q, &operations, &buyers)?;
        let required = self.store.required_hours(&filter).await?;
        let hours = self.store.hours_facts(&filter).await?;
        let codes: Vec<&'static str> = geo::DEPARTEMENTS.iter().map(|d| d.code).collect();
        Ok(IndicatorsView {
            indicators: indicators::compute(&required, &hours),
            by_departement: indicators::by_departement(&codes, &required, &hours),
            outcomes: indicators::outcomes(&self.store.outcome_facts(&filter).await?),
            contracts: indicators::contract_shares(&self.store.contract_facts(&filter).await?),
            operations,
            buyers,
            filter,
        })
    }
}
