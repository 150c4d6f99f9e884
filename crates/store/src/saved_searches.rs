//! Saved searches (veille), the documents they matched, and what the daily digest gathers.

use jiff::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::codec::{secs, ts};
use crate::{Store, StoreError, Tx};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedSearch {
    pub id: i64,
    pub user_id: i64,
    pub user_email: String,
    pub name: String,
    /// The canonical query string of the search (as on `/consultations`).
    pub query: String,
    /// `immediat` or `quotidien` (`domain::alert::Frequency`).
    pub frequency: String,
    /// The secret of its unsubscribe, feed and calendar links.
    pub token: String,
    pub created_at: Timestamp,
}

/// A document a daily saved search matched, not announced yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingMatch {
    pub saved_search_id: i64,
    pub doc_key: String,
    pub title: String,
}

/// A change to the DCE of a consultation a user downloaded, for that user's digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DceChange {
    pub user_id: i64,
    pub user_email: String,
    pub consultation_id: i64,
    pub reference: String,
    pub title: String,
    pub summary: String,
    pub dce_version: i64,
    pub published_at: Timestamp,
}

const COLUMNS: &str = "s.id, s.user_id, u.email AS user_email, s.name, s.query, s.frequency, s.token, s.created_at \
     FROM saved_searches s JOIN users u ON u.id = s.user_id";

fn saved_search(r: &AnyRow) -> Result<SavedSearch, StoreError> {
    Ok(SavedSearch {
        id: r.try_get("id")?,
        user_id: r.try_get("user_id")?,
        user_email: r.try_get("user_email")?,
        name: r.try_get("name")?,
        query: r.try_get("query")?,
        frequency: r.try_get("frequency")?,
        token: r.try_get("token")?,
        created_at: ts(r.try_get("created_at")?),
    })
}

impl Store {
    /// A user's saved searches, oldest first.
    pub async fn saved_searches_of(&self, user_id: i64) -> Result<Vec<SavedSearch>, StoreError> {
        sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} WHERE s.user_id = $1 ORDER BY s.id")))
            .bind(user_id)
            .fetch_all(&self.read)
            .await?
            .iter()
            .map(saved_search)
            .collect()
    }

    /// Every saved search, for the alert job.
    pub async fn all_saved_searches(&self) -> Result<Vec<SavedSearch>, StoreError> {
        sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} ORDER BY s.id")))
            .fetch_all(&self.read)
            .await?
            .iter()
            .map(saved_search)
            .collect()
    }

    pub async fn saved_search(&self, id: i64) -> Result<SavedSearch, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} WHERE s.id = $1")))
            .bind(id)
            .fetch_optional(&self.read)
            .await?
            .ok_or(StoreError::NotFound)?;
        saved_search(&row)
    }

    pub async fn saved_search_by_token(&self, token: &str) -> Result<SavedSearch, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} WHERE s.token = $1")))
            .bind(token)
            .fetch_optional(&self.read)
            .await?
            .ok_or(StoreError::NotFound)?;
        saved_search(&row)
    }

    /// Where job `name` stands in the change feed (`None`: it never ran).
    pub async fn job_position(&self, name: &str) -> Result<Option<i64>, StoreError> {
        Ok(sqlx::query("SELECT position FROM job_positions WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.read)
            .await?
            .map(|r| r.try_get(0))
            .transpose()?)
    }

    /// The matches of daily saved searches not announced yet, by saved search then by match.
    pub async fn pending_matches(&self) -> Result<Vec<PendingMatch>, StoreError> {
        sqlx::query(
            "SELECT m.saved_search_id, m.doc_key, m.title FROM saved_search_matches m
             JOIN saved_searches s ON s.id = m.saved_search_id
             WHERE m.notified_at IS NULL AND s.frequency = 'quotidien' ORDER BY m.saved_search_id, m.matched_at, m.doc_key",
        )
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(|r| {
            Ok(PendingMatch {
                saved_search_id: r.try_get("saved_search_id")?,
                doc_key: r.try_get("doc_key")?,
                title: r.try_get("title")?,
            })
        })
        .collect()
    }

    /// Changes to DCE published after the user downloaded it and since their last digest, for
    /// the users who want them in the digest; by user, then by date. (A change in the very second
    /// of the last digest is told twice rather than never.)
    pub async fn digest_dce_changes(&self, until: Timestamp) -> Result<Vec<DceChange>, StoreError> {
        sqlx::query(
            "SELECT DISTINCT u.id AS user_id, u.email AS user_email, c.id AS consultation_id, c.reference, c.title, r.summary, r.dce_version,
                    r.published_at
             FROM users u JOIN downloads d ON d.user_id = u.id
             JOIN rectificatifs r ON r.consultation_id = d.consultation_id
             JOIN consultations c ON c.id = r.consultation_id
             WHERE u.dce_alerts = 'quotidien' AND r.published_at >= COALESCE(u.digest_sent_at, 0)
               AND r.published_at >= d.at AND r.published_at <= $1
             ORDER BY u.id, r.published_at, c.id",
        )
        .bind(secs(until))
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(|r| {
            Ok(DceChange {
                user_id: r.try_get("user_id")?,
                user_email: r.try_get("user_email")?,
                consultation_id: r.try_get("consultation_id")?,
                reference: r.try_get("reference")?,
                title: r.try_get("title")?,
                summary: r.try_get("summary")?,
                dce_version: r.try_get("dce_version")?,
                published_at: ts(r.try_get("published_at")?),
            })
        })
        .collect()
    }

    /// `immediat` or `quotidien`: when the user hears of changes to the DCE they downloaded.
    pub async fn dce_alerts(&self, user_id: i64) -> Result<String, StoreError> {
        Ok(sqlx::query("SELECT dce_alerts FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&self.read)
            .await?
            .ok_or(StoreError::NotFound)?
            .try_get(0)?)
    }
}

impl Tx {
    pub async fn insert_saved_search(
        &mut self,
        user_id: i64,
        name: &str,
        query: &str,
        frequency: &str,
        token: &str,
        now: Timestamp,
    ) -> Result<i64, StoreError> {
        Ok(sqlx::query(
            "INSERT INTO saved_searches (user_id, name, query, frequency, token, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(user_id)
        .bind(name)
        .bind(query)
        .bind(frequency)
        .bind(token)
        .bind(secs(now))
        .fetch_one(&mut *self.inner)
        .await?
        .try_get(0)?)
    }

    pub async fn set_saved_search_frequency(&mut self, id: i64, frequency: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE saved_searches SET frequency = $2 WHERE id = $1")
            .bind(id)
            .bind(frequency)
            .execute(&mut *self.inner)
            .await?;
        Ok(())
    }

    /// Deletes a saved search and what it matched.
    pub async fn delete_saved_search(&mut self, id: i64) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM saved_search_matches WHERE saved_search_id = $1")
            .bind(id)
            .execute(&mut *self.inner)
            .await?;
        sqlx::query("DELETE FROM saved_searches WHERE id = $1").bind(id).execute(&mut *self.inner).await?;
        Ok(())
    }

    /// Records that `doc_key` matched; false when it already had (it is announced once).
    /// `notified`: announced by an e-mail queued in this transaction.
    pub async fn record_match(
        &mut self,
        saved_search_id: i64,
        doc_key: &str,
        title: &str,
        now: Timestamp,
        notified: bool,
    ) -> Result<bool, StoreError> {
        let inserted = sqlx::query(
            "INSERT INTO saved_search_matches (saved_search_id, doc_key, title, matched_at, notified_at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (saved_search_id, doc_key) DO NOTHING RETURNING doc_key",
        )
        .bind(saved_search_id)
        .bind(doc_key)
        .bind(title)
        .bind(secs(now))
        .bind(notified.then(|| secs(now)))
        .fetch_optional(&mut *self.inner)
        .await?;
        Ok(inserted.is_some())
    }

    /// Marks the pending matches of a user's daily saved searches announced, and the user's
    /// digest sent.
    pub async fn mark_digest_sent(&mut self, user_id: i64, now: Timestamp) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE saved_search_matches SET notified_at = $2
             WHERE notified_at IS NULL AND matched_at <= $2
               AND saved_search_id IN (SELECT id FROM saved_searches WHERE user_id = $1 AND frequency = 'quotidien')",
        )
        .bind(user_id)
        .bind(secs(now))
        .execute(&mut *self.inner)
        .await?;
        sqlx::query("UPDATE users SET digest_sent_at = $2 WHERE id = $1")
            .bind(user_id)
            .bind(secs(now))
            .execute(&mut *self.inner)
            .await?;
        Ok(())
    }

    /// Sets when the user hears of changes to the DCE they downloaded; the digest starts from
    /// the switch (what came before was told at once).
    pub async fn set_dce_alerts(&mut self, user_id: i64, frequency: &str, now: Timestamp) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE users SET digest_sent_at = CASE WHEN dce_alerts = $2 THEN digest_sent_at ELSE $3 END,
                dce_alerts = $2 WHERE id = $1",
        )
        .bind(user_id)
        .bind(frequency)
        .bind(secs(now))
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }

    /// Records where job `name` stands in the change feed, with what it did.
    pub async fn set_job_position(&mut self, name: &str, position: i64) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO job_positions (name, position) VALUES ($1, $2)
             ON CONFLICT (name) DO UPDATE SET position = excluded.position",
        )
        .bind(name)
        .bind(position)
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }
}
