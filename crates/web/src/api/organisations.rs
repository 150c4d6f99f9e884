//! `PUT /api/v1/organisations/{id}/profile`: a buyer organisation's contact details and review
//! body (its administrator, or the platform's).

use axum::Json;
use axum::extract::{Path, State};
use domain::profile::ProfileInput;
use serde::Deserialize;
use serde_json::{Value, json};

use super::body::JsonBody;
use crate::AppState;
use crate::error::ApiError;
use crate::identity::Caller;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ProfileBody {
    phone: String,
    email: String,
    postcode: String,
    town: String,
    review_name: String,
    review_siret: String,
    review_postcode: String,
    review_town: String,
}

pub async fn set_profile(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<ProfileBody>,
) -> Result<Json<Value>, ApiError> {
    let input = ProfileInput {
        phone: b.phone,
        email: b.email,
        postcode: b.postcode,
        town: b.town,
        review_name: b.review_name,
        review_siret: b.review_siret,
        review_postcode: b.review_postcode,
        review_town: b.review_town,
    };
    let p = state.app.set_profile(&actor, id, &input).await?;
    Ok(Json(json!({
        "phone": p.phone, "email": p.email, "postcode": p.postcode, "town": p.town,
        "review": { "name": p.review.name, "siret": p.review.siret.to_string(), "postcode": p.review.postcode, "town": p.review.town },
    })))
}
