//! Reference data: `GET /api/v1/cpv?q=` and `GET /api/v1/communes?q=` (the pickers'
//! suggestions as JSON) and the directory of inclusive suppliers.

use axum::Json;
use axum::extract::{Query, State};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::error::ApiError;
use crate::pages::inclusion::SupplierParams;
use crate::pages::suggestions::LIMIT;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Typed {
    q: String,
}

pub async fn cpv(Query(t): Query<Typed>) -> Json<Value> {
    let items: Vec<Value> = domain::cpv::matching(&t.q, LIMIT)
        .into_iter()
        .map(|e| json!({ "code": e.code, "label": e.label_fr }))
        .collect();
    Json(json!({ "items": items }))
}

pub async fn communes(Query(t): Query<Typed>) -> Json<Value> {
    let items: Vec<Value> = domain::geo::communes_matching(&t.q, LIMIT)
        .into_iter()
        .map(|c| json!({ "code": c.code, "name": c.name, "departement": c.departement }))
        .collect();
    Json(json!({ "items": items }))
}

/// `GET /api/v1/inclusive-suppliers?secteur=&departement=&commune=&type=&page=`.
pub async fn inclusive_suppliers(
    State(state): State<AppState>,
    Query(p): Query<SupplierParams>,
) -> Result<Json<Value>, ApiError> {
    let query = p.query();
    let found = state.app.inclusive_suppliers(&query).await?;
    let items: Vec<Value> = found
        .items
        .iter()
        .map(|s| {
            json!({
                "siret": s.row.siret, "name": s.row.name, "brand": s.row.brand, "kind": s.row.kind,
                "departement": s.row.departement, "city": s.row.city, "post_code": s.row.post_code,
                "naf": s.row.naf, "sector": s.sector.map(|s| s.code),
            })
        })
        .collect();
    Ok(Json(json!({ "total": found.total, "page": query.page.max(1), "items": items })))
}
