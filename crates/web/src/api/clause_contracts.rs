//! `GET /api/v1/clauses/contracts[/{id}/{lot}]`: the contracts with a social clause the caller
//! follows (facilitators: their départements; firms: those they hold; buyers: their
//! organisation's; coordinators: all) and one contract's follow-up — commitment, placements
//! (beneficiaries by their pseudonymous number only), monthly hours and penalties.

use axum::Json;
use axum::extract::{Path, State};
use serde_json::{Value, json};
use store::ClauseContract;

use crate::AppState;
use crate::error::ApiError;
use crate::identity::Caller;

fn contract(c: &ClauseContract) -> Value {
    json!({
        "consultation": c.consultation_id, "reference": c.reference, "title": c.title, "lot": c.lot_number,
        "lot_title": c.lot_title, "buyer": { "id": c.organisation_id, "name": c.organisation_name },
        "titulaire": { "siret": c.titulaire_siret, "name": c.titulaire_name },
        "departement": c.facilitator_departement, "hours_required": c.required_hours,
        "hours_validated": c.validated_hours,
        "url": format!("/api/v1/clauses/contracts/{}/{}", c.consultation_id, c.lot_number),
    })
}

pub async fn list(State(state): State<AppState>, Caller(actor): Caller) -> Result<Json<Value>, ApiError> {
    let items = state.app.clause_contracts(&actor).await?;
    Ok(Json(json!({ "items": items.iter().map(contract).collect::<Vec<_>>() })))
}

pub async fn show(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path((id, lot)): Path<(i64, i64)>,
) -> Result<Json<Value>, ApiError> {
    let v = state.app.clause_contract(&actor, id, lot).await?;
    let time = |t: jiff::Timestamp| t.to_string();
    let mut out = contract(&v.contract);
    out["legal_basis"] = json!(v.clause.spec.legal_basis.code());
    out["commitment"] = json!(v.commitment.as_ref().map(|c| &c.body));
    out["placements"] = v
        .placements
        .iter()
        .map(|p| {
            json!({
                "id": p.id, "beneficiary": p.spec.beneficiary_id,
                "employer": { "siret": p.spec.employer_siret.to_string(), "name": p.spec.employer_name },
                "way": p.spec.way.code(), "contract_type": p.spec.contract_type.code(),
                "start_on": p.spec.start_on.to_string(), "end_on": p.spec.end_on.map(|d| d.to_string()),
                "outcome_end": p.outcome_end.map(|o| o.code()),
                "outcome_six_months": p.outcome_six_months.map(|o| o.code()),
            })
        })
        .collect();
    out["hours"] = v
        .reports
        .iter()
        .map(|r| {
            json!({ "id": r.id, "placement": r.placement_id, "month": r.month.strftime("%Y-%m").to_string(),
                    "hours": r.hours, "status": r.status.code() })
        })
        .collect();
    out["penalties"] = v
        .penalties
        .iter()
        .map(|p| {
            json!({ "id": p.id, "reason": p.spec.reason.code(), "hours_missing": p.spec.hours_missing,
                    "amount_cents": p.spec.amount.0, "note": p.spec.note, "status": p.status.code(),
                    "proposed_at": time(p.proposed_at), "decided_at": p.decided_at.map(time) })
        })
        .collect();
    Ok(Json(out))
}
