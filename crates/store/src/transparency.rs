//! The transparency log's leaves and the frozen deposit statements.

use jiff::Timestamp;
use sqlx::Row;

use crate::codec::secs;
use crate::{Store, StoreError, Tx};

impl Store {
    /// Every leaf hash (hex) in log order.
    pub async fn transparency_leaves(&self) -> Result<Vec<String>, StoreError> {
        sqlx::query("SELECT leaf_hash FROM transparency_log ORDER BY leaf_index")
            .fetch_all(&self.read)
            .await?
            .iter()
            .map(|r| Ok(r.try_get(0)?))
            .collect()
    }

    /// The position of a bid's receipt in the log.
    pub async fn transparency_index(&self, bid_id: i64) -> Result<i64, StoreError> {
        Ok(sqlx::query("SELECT leaf_index FROM transparency_log WHERE bid_id = $1")
            .bind(bid_id)
            .fetch_one(&self.read)
            .await?
            .try_get(0)?)
    }

    /// Published consultations whose deadline has passed and whose deposits are not frozen yet.
    pub async fn statements_due(&self, now: Timestamp) -> Result<Vec<i64>, StoreError> {
        sqlx::query(
            "SELECT c.id FROM consultations c WHERE c.status <> 'brouillon' AND c.bid_deadline <= $1
               AND NOT EXISTS (SELECT 1 FROM deposit_statements s WHERE s.consultation_id = c.id)
             ORDER BY c.bid_deadline LIMIT 100",
        )
        .bind(secs(now))
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(|r| Ok(r.try_get(0)?))
        .collect()
    }

    pub async fn deposit_statement(&self, consultation_id: i64) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query("SELECT statement FROM deposit_statements WHERE consultation_id = $1")
            .bind(consultation_id)
            .fetch_optional(&self.read)
            .await?
            .map(|r| r.try_get(0))
            .transpose()?)
    }
}

impl Tx {
    /// Appends a leaf; taking the head row first serialises appends on both engines.
    /// Returns the leaf's index.
    pub async fn append_transparency_leaf(
        &mut self,
        bid_id: i64,
        leaf_hash: &str,
        now: Timestamp,
    ) -> Result<i64, StoreError> {
        let size: i64 = sqlx::query("UPDATE transparency_head SET size = size + 1 WHERE id = 1 RETURNING size")
            .fetch_one(&mut *self.inner)
            .await?
            .try_get(0)?;
        sqlx::query(
            "INSERT INTO transparency_log (leaf_index, leaf_hash, bid_id, appended_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(size - 1)
        .bind(leaf_hash)
        .bind(bid_id)
        .bind(secs(now))
        .execute(&mut *self.inner)
        .await?;
        Ok(size - 1)
    }

    /// Keeps the first statement made for a consultation; a later one is ignored.
    pub async fn insert_deposit_statement(
        &mut self,
        consultation_id: i64,
        statement: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO deposit_statements (consultation_id, statement, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (consultation_id) DO NOTHING",
        )
        .bind(consultation_id)
        .bind(statement)
        .bind(secs(now))
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }
}
