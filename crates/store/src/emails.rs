//! E-mails are queued in the database in the same transaction as the change they announce;
//! a sender job delivers them.

use jiff::Timestamp;
use sqlx::Row;

use crate::codec::{secs, ts};
use crate::{Email, Store, StoreError, Tx};

impl Store {
    pub async fn unsent_emails(&self) -> Result<Vec<Email>, StoreError> {
        sqlx::query("SELECT id, recipient, subject, body, created_at FROM emails WHERE sent_at IS NULL ORDER BY id")
            .fetch_all(&self.read)
            .await?
            .iter()
            .map(|r| {
                Ok(Email {
                    id: r.try_get("id")?,
                    recipient: r.try_get("recipient")?,
                    subject: r.try_get("subject")?,
                    body: r.try_get("body")?,
                    created_at: ts(r.try_get("created_at")?),
                })
            })
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

    pub async fn queue_email(
        &mut self,
        recipient: &str,
        subject: &str,
        body: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO emails (recipient, subject, body, created_at) VALUES ($1, $2, $3, $4)")
            .bind(recipient)
            .bind(subject)
            .bind(body)
            .bind(secs(now))
            .execute(&mut *self.inner)
            .await?;
        Ok(())
    }
}
