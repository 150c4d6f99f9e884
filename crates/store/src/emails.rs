//! E-mails are queued in the database in the same transaction as the change they announce;
//! a sender job delivers them, and retries later those that fail.

use jiff::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::codec::{secs, ts};
use crate::{Email, Store, StoreError, Tx};

const COLUMNS: &str = "id, recipient, subject, body, created_at, unsubscribe_url, attempts";

fn email(r: &AnyRow) -> Result<Email, StoreError> {
    Ok(Email {
        id: r.try_get("id")?,
        recipient: r.try_get("recipient")?,
        subject: r.try_get("subject")?,
        body: r.try_get("body")?,
        created_at: ts(r.try_get("created_at")?),
        unsubscribe_url: r.try_get("unsubscribe_url")?,
        attempts: r.try_get("attempts")?,
    })
}

impl Store {
    /// The messages not sent yet, oldest first.
    pub async fn unsent_emails(&self) -> Result<Vec<Email>, StoreError> {
        sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM emails WHERE sent_at IS NULL ORDER BY id")))
            .fetch_all(&self.read)
            .await?
            .iter()
            .map(email)
            .collect()
    }

    /// Up to `limit` messages not sent yet whose next attempt is due at `now`, oldest first.
    pub async fn due_emails(&self, now: Timestamp, limit: i64) -> Result<Vec<Email>, StoreError> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM emails WHERE sent_at IS NULL AND next_attempt_at <= $1 ORDER BY id LIMIT $2"
        )))
        .bind(secs(now))
        .bind(limit.clamp(1, 10_000))
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(email)
        .collect()
    }
}

impl Tx {
    pub async fn mark_email_sent(&mut self, id: i64, now: Timestamp) -> Result<(), StoreError> {
        sqlx::query("UPDATE emails SET sent_at = $2 WHERE id = $1 AND sent_at IS NULL")
            .bind(id)
            .bind(secs(now))
            .execute(&mut *self.inner)
            .await?;
        Ok(())
    }

    /// Records a failed attempt; the message is tried again from `retry_at`.
    pub async fn mark_email_failed(&mut self, id: i64, error: &str, retry_at: Timestamp) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE emails SET attempts = attempts + 1, next_attempt_at = $2, last_error = $3
             WHERE id = $1 AND sent_at IS NULL",
        )
        .bind(id)
        .bind(secs(retry_at))
        .bind(error)
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }

    pub async fn queue_email(
        &mut self,
        recipient: &str,
        subject: &str,
        body: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.queue_alert_email(recipient, subject, body, None, now).await
    }

    /// A message with a one-click unsubscribe address.
    pub async fn queue_alert_email(
        &mut self,
        recipient: &str,
        subject: &str,
        body: &str,
        unsubscribe_url: Option<&str>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO emails (recipient, subject, body, created_at, unsubscribe_url, next_attempt_at)
             VALUES ($1, $2, $3, $4, $5, $4)",
        )
        .bind(recipient)
        .bind(subject)
        .bind(body)
        .bind(secs(now))
        .bind(unsubscribe_url)
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }
}
