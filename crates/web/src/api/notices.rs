//! `GET /api/v1/notices` and `GET /api/v1/notices/{id}`: notices published elsewhere.

use axum::Json;
use axum::extract::{Path, Query, State};
use serde_json::{Value, json};
use store::{NoticeLink, NoticeRecord};

use crate::AppState;
use crate::error::ApiError;
use crate::pages::notices::NoticeQuery;
use crate::views;

pub(crate) fn notice(n: &NoticeRecord) -> Value {
    json!({
        "id": n.id, "source": n.source, "source_id": n.source_id, "url": n.url, "kind": n.kind,
        "cancelled": n.cancelled, "title": n.title, "buyer": n.buyer_name, "buyer_siret": n.buyer_siret,
        "nature": n.nature, "procedure": n.procedure, "cpv": n.cpv, "departements": n.departements,
        "estimated_cents": n.estimated.map(|c| c.0), "published_on": n.published_on,
        "deadline": n.deadline.as_ref().map(views::iso), "winners": n.winners, "lots": n.lots,
    })
}

fn link(l: &NoticeLink) -> Value {
    json!({ "source": l.source, "source_id": l.source_id, "role": l.role, "url": l.url, "published_on": l.published_on })
}

pub async fn search(State(state): State<AppState>, Query(query): Query<NoticeQuery>) -> Result<Json<Value>, ApiError> {
    let (items, total) = query.run(&state).await?;
    Ok(Json(json!({ "total": total, "page": query.page(), "items": items.iter().map(notice).collect::<Vec<_>>() })))
}

pub async fn show(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Json<Value>, ApiError> {
    let (n, links) = state.app.notice(id).await?;
    let mut body = notice(&n);
    body["description"] = json!(n.description);
    body["links"] = json!(links.iter().map(link).collect::<Vec<_>>());
    Ok(Json(body))
}
