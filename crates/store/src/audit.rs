use domain::audit::{AuditEntry, entry_hash};
use jiff::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Store, StoreError, Tx};

/// What happened, before it gets its place in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub details: String,
}

impl Tx {
    /// Appends to the chain. Taking the head row first locks it (row lock on PostgreSQL, the
    /// single writer on SQLite), so concurrent appends line up instead of forking the chain.
    pub async fn audit(&mut self, event: &AuditEvent, now: Timestamp) -> Result<i64, StoreError> {
        let head = sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
            .fetch_one(&mut *self.inner)
            .await?;
        let seq: i64 = head.try_get("seq")?;
        let prev: String = head.try_get("hash")?;
        let at = now.as_microsecond();
        let hash = entry_hash(&prev, seq, at, &event.actor, &event.action, &event.subject, &event.details);
        sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1").bind(&hash).execute(&mut *self.inner).await?;
        sqlx::query(
            "INSERT INTO audit_log (seq, at_micros, actor, action, subject, details, prev_hash, hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(seq)
        .bind(at)
        .bind(&event.actor)
        .bind(&event.action)
        .bind(&event.subject)
        .bind(&event.details)
        .bind(&prev)
        .bind(&hash)
        .execute(&mut *self.inner)
        .await?;
        Ok(seq)
    }
}

fn entry(r: &AnyRow) -> Result<AuditEntry, StoreError> {
    Ok(AuditEntry {
        seq: r.try_get("seq")?,
        at_micros: r.try_get("at_micros")?,
        actor: r.try_get("actor")?,
        action: r.try_get("action")?,
        subject: r.try_get("subject")?,
        details: r.try_get("details")?,
        prev_hash: r.try_get("prev_hash")?,
        hash: r.try_get("hash")?,
    })
}

impl Store {
    /// Entries with `seq > after`, in order, at most `limit`: the chain is read in pages.
    pub async fn audit_entries(&self, after: i64, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
        sqlx::query(
            "SELECT seq, at_micros, actor, action, subject, details, prev_hash, hash FROM audit_log
             WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(entry)
        .collect()
    }

    /// The audit entries about one subject, newest first (for registers shown to buyers).
    pub async fn audit_for(&self, subject: &str) -> Result<Vec<AuditEntry>, StoreError> {
        sqlx::query(
            "SELECT seq, at_micros, actor, action, subject, details, prev_hash, hash FROM audit_log
             WHERE subject = $1 ORDER BY seq DESC",
        )
        .bind(subject)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(entry)
        .collect()
    }

    /// Head of the chain as stored (seq, hash).
    pub async fn audit_head(&self) -> Result<(i64, String), StoreError> {
        let r = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(&self.read).await?;
        Ok((r.try_get("seq")?, r.try_get("hash")?))
    }
}
