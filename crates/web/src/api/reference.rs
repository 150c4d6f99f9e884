//! `GET /api/v1/cpv?q=` and `GET /api/v1/communes?q=`: the pickers' suggestions as JSON.

use axum::Json;
use axum::extract::Query;
use serde::Deserialize;
use serde_json::{Value, json};

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
