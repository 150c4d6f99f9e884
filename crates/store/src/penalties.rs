//! Penalties of a social clause: proposed, then applied or waived by the buyer.

use domain::money::Cents;
use domain::penalty::{PenaltyReason, PenaltySpec, PenaltyStatus};
use jiff::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::codec::{decode, secs, ts};
use crate::{Penalty, Store, StoreError, Tx};

const COLUMNS: &str =
    "id, consultation_id, lot_number, reason, hours_missing, amount_cents, note, status, proposed_at, decided_at";

fn penalty(r: &AnyRow) -> Result<Penalty, StoreError> {
    Ok(Penalty {
        id: r.try_get("id")?,
        consultation_id: r.try_get("consultation_id")?,
        lot_number: r.try_get("lot_number")?,
        spec: PenaltySpec {
            reason: decode(PenaltyReason::parse(r.try_get("reason")?))?,
            hours_missing: r.try_get("hours_missing")?,
            amount: Cents(r.try_get("amount_cents")?),
            note: r.try_get("note")?,
        },
        status: decode(PenaltyStatus::parse(r.try_get("status")?))?,
        proposed_at: ts(r.try_get("proposed_at")?),
        decided_at: r.try_get::<Option<i64>, _>("decided_at")?.map(ts),
    })
}

impl Store {
    /// A contract's penalties, oldest first.
    pub async fn penalties(&self, consultation_id: i64, lot: i64) -> Result<Vec<Penalty>, StoreError> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM clause_penalties WHERE consultation_id = $1 AND lot_number = $2 ORDER BY id"
        )))
        .bind(consultation_id)
        .bind(lot)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(penalty)
        .collect()
    }

    pub async fn penalty(&self, id: i64) -> Result<Penalty, StoreError> {
        let r = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM clause_penalties WHERE id = $1")))
            .bind(id)
            .fetch_one(&self.read)
            .await?;
        penalty(&r)
    }
}

impl Tx {
    pub async fn insert_penalty(
        &mut self,
        consultation_id: i64,
        lot: i64,
        p: &PenaltySpec,
        user_id: i64,
        now: Timestamp,
    ) -> Result<i64, StoreError> {
        Ok(sqlx::query(
            "INSERT INTO clause_penalties (consultation_id, lot_number, reason, hours_missing, amount_cents, note,
                status, proposed_by, proposed_at)
             VALUES ($1, $2, $3, $4, $5, $6, 'proposee', $7, $8) RETURNING id",
        )
        .bind(consultation_id)
        .bind(lot)
        .bind(p.reason.code())
        .bind(p.hours_missing)
        .bind(p.amount.0)
        .bind(&p.note)
        .bind(user_id)
        .bind(secs(now))
        .fetch_one(&mut *self.inner)
        .await?
        .try_get(0)?)
    }

    /// The buyer's decision on a proposed penalty; one already decided is a conflict.
    pub async fn decide_penalty(
        &mut self,
        id: i64,
        status: PenaltyStatus,
        user_id: i64,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE clause_penalties SET status = $1, decided_by = $2, decided_at = $3
             WHERE id = $4 AND status = 'proposee'",
        )
        .bind(status.code())
        .bind(user_id)
        .bind(secs(now))
        .bind(id)
        .execute(&mut *self.inner)
        .await?;
        if done.rows_affected() == 0 { Err(StoreError::Conflict) } else { Ok(()) }
    }
}
