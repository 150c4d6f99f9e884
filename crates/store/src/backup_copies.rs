use jiff::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::codec::{secs, ts};
use crate::{BackupCopy, Store, StoreError, Tx};

const COLUMNS: &str = "b.id, b.consultation_id, b.organisation_id, o.name AS organisation_name, b.medium, b.declared_at, \
    b.received_at, b.opened_at, b.open_reason, b.destroyed_at";
const FROM: &str = "FROM backup_copies b JOIN organisations o ON o.id = b.organisation_id";

fn copy(r: &AnyRow) -> Result<BackupCopy, StoreError> {
    let at = |c: &str| -> Result<Option<Timestamp>, StoreError> { Ok(r.try_get::<Option<i64>, _>(c)?.map(ts)) };
    Ok(BackupCopy {
        id: r.try_get("id")?,
        consultation_id: r.try_get("consultation_id")?,
        organisation_id: r.try_get("organisation_id")?,
        organisation_name: r.try_get("organisation_name")?,
        medium: r.try_get("medium")?,
        declared_at: ts(r.try_get("declared_at")?),
        received_at: at("received_at")?,
        opened_at: at("opened_at")?,
        open_reason: r.try_get("open_reason")?,
        destroyed_at: at("destroyed_at")?,
    })
}

impl Store {
    pub async fn backup_copy(&self, id: i64) -> Result<BackupCopy, StoreError> {
        let r = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} {FROM} WHERE b.id = $1")))
            .bind(id)
            .fetch_one(&self.read)
            .await?;
        copy(&r)
    }

    pub async fn backup_copies(&self, consultation_id: i64) -> Result<Vec<BackupCopy>, StoreError> {
        sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} {FROM} WHERE b.consultation_id = $1 ORDER BY b.id")))
            .bind(consultation_id)
            .fetch_all(&self.read)
            .await?
            .iter()
            .map(copy)
            .collect()
    }
}

impl Tx {
    pub async fn insert_backup_copy(
        &mut self,
        consultation_id: i64,
        organisation_id: i64,
        user_id: i64,
        medium: &str,
        now: Timestamp,
    ) -> Result<i64, StoreError> {
        Ok(sqlx::query(
            "INSERT INTO backup_copies (consultation_id, organisation_id, user_id, medium, declared_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(consultation_id)
        .bind(organisation_id)
        .bind(user_id)
        .bind(medium)
        .bind(secs(now))
        .fetch_one(&mut *self.inner)
        .await?
        .try_get(0)?)
    }

    /// Sets one of the copy's dates (`received_at`, `opened_at`, `destroyed_at`), once.
    pub async fn mark_backup_copy(
        &mut self,
        id: i64,
        what: &str,
        reason: Option<&str>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let sql = match what {
            "received" => "UPDATE backup_copies SET received_at = $2 WHERE id = $1 AND received_at IS NULL",
            "opened" => "UPDATE backup_copies SET opened_at = $2, open_reason = $3 WHERE id = $1 AND opened_at IS NULL",
            "destroyed" => "UPDATE backup_copies SET destroyed_at = $2 WHERE id = $1 AND destroyed_at IS NULL",
            other => return Err(StoreError::Corrupt(format!("unknown backup copy event {other}"))),
        };
        let mut q = sqlx::query(sql).bind(id).bind(secs(now));
        if what == "opened" {
            q = q.bind(reason);
        }
        q.execute(&mut *self.inner).await?;
        Ok(())
    }
}
