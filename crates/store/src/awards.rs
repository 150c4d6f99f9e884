use jiff::Timestamp;
use sqlx::Row;

use crate::codec::{secs, split, ts};
use crate::{Award, AwardHolder, Store, StoreError, Tx};
use domain::money::Cents;

impl Store {
    /// The awards of a consultation, by lot.
    pub async fn awards(&self, consultation_id: i64) -> Result<Vec<Award>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, lot_number, amount_cents, notified_on, duration_months, price_form, price_types, grouping,
                    offers_received, techniques, modalities, ccag, innovative, advance_granted, advance_rate_bp, created_at
             FROM awards WHERE consultation_id = $1 ORDER BY lot_number",
        )
        .bind(consultation_id)
        .fetch_all(&self.read)
        .await?;
        let mut awards = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: i64 = r.try_get("id")?;
            let holders = sqlx::query(
                "SELECT role, siret, name, amount_cents FROM award_holders WHERE award_id = $1 ORDER BY id",
            )
            .bind(id)
            .fetch_all(&self.read)
            .await?
            .iter()
            .map(|h| {
                Ok(AwardHolder {
                    role: h.try_get("role")?,
                    siret: h.try_get("siret")?,
                    name: h.try_get("name")?,
                    amount: h.try_get::<Option<i64>, _>("amount_cents")?.map(Cents),
                })
            })
            .collect::<Result<_, StoreError>>()?;
            awards.push(Award {
                consultation_id,
                lot_number: r.try_get("lot_number")?,
                amount: Cents(r.try_get("amount_cents")?),
                notified_on: r.try_get("notified_on")?,
                duration_months: r.try_get("duration_months")?,
                price_form: r.try_get("price_form")?,
                price_types: list(r.try_get("price_types")?),
                techniques: list(r.try_get("techniques")?),
                modalities: list(r.try_get("modalities")?),
                ccag: r.try_get("ccag")?,
                innovative: r.try_get::<i64, _>("innovative")? != 0,
                advance: (r.try_get::<i64, _>("advance_granted")? != 0)
                    .then(|| r.try_get::<Option<i64>, _>("advance_rate_bp"))
                    .transpose()?,
                grouping: r.try_get("grouping")?,
                offers_received: r.try_get("offers_received")?,
                holders,
                created_at: Some(ts(r.try_get("created_at")?)),
            });
        }
        Ok(awards)
    }
}

fn list(joined: String) -> Vec<String> {
    split(&joined).map(str::to_string).collect()
}

impl Tx {
    /// Records an award; a lot already awarded is a conflict.
    pub async fn insert_award(&mut self, a: &Award, now: Timestamp) -> Result<i64, StoreError> {
        let id: i64 = sqlx::query(
            "INSERT INTO awards (consultation_id, lot_number, amount_cents, notified_on, duration_months, price_form,
                price_types, grouping, offers_received, created_at, techniques, modalities, ccag, innovative,
                advance_granted, advance_rate_bp)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
        )
        .bind(a.consultation_id)
        .bind(a.lot_number)
        .bind(a.amount.0)
        .bind(&a.notified_on)
        .bind(a.duration_months)
        .bind(&a.price_form)
        .bind(a.price_types.join("|"))
        .bind(&a.grouping)
        .bind(a.offers_received)
        .bind(secs(now))
        .bind(a.techniques.join("|"))
        .bind(a.modalities.join("|"))
        .bind(&a.ccag)
        .bind(i64::from(a.innovative))
        .bind(i64::from(a.advance.is_some()))
        .bind(a.advance.flatten())
        .fetch_one(&mut *self.inner)
        .await?
        .try_get(0)?;
        for h in &a.holders {
            sqlx::query(
                "INSERT INTO award_holders (award_id, role, siret, name, amount_cents) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(&h.role)
            .bind(&h.siret)
            .bind(&h.name)
            .bind(h.amount.map(|c| c.0))
            .execute(&mut *self.inner)
            .await?;
        }
        Ok(id)
    }
}
