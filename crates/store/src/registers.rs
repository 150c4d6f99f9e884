//! The registre des retraits (downloads) and the questions and answers.

use jiff::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::codec::{secs, ts};
use crate::{Download, NewDownload, Question, Store, StoreError, Tx};

const QUESTION_COLUMNS: &str = "q.id, q.consultation_id, q.body, q.asked_at, q.answer, q.answered_at, \
    o.name AS organisation_name, u.email AS user_email";
const QUESTION_FROM: &str =
    "FROM questions q JOIN organisations o ON o.id = q.organisation_id JOIN users u ON u.id = q.user_id";

fn question(row: &AnyRow) -> Result<Question, StoreError> {
    Ok(Question {
        id: row.try_get("id")?,
        consultation_id: row.try_get("consultation_id")?,
        body: row.try_get("body")?,
        asked_at: ts(row.try_get("asked_at")?),
        answer: row.try_get("answer")?,
        answered_at: row.try_get::<Option<i64>, _>("answered_at")?.map(ts),
        organisation_name: row.try_get("organisation_name")?,
        user_email: row.try_get("user_email")?,
    })
}

impl Store {
    pub async fn downloads(&self, consultation_id: i64) -> Result<Vec<Download>, StoreError> {
        sqlx::query(
            "SELECT d.id, doc.name AS document_name, d.dce_version, d.email, u.email AS user_email,
                    o.name AS organisation_name, d.at
             FROM downloads d
             LEFT JOIN documents doc ON doc.id = d.document_id
             LEFT JOIN users u ON u.id = d.user_id
             LEFT JOIN organisations o ON o.id = u.organisation_id
             WHERE d.consultation_id = $1 ORDER BY d.at DESC, d.id DESC",
        )
        .bind(consultation_id)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(|r| {
            Ok(Download {
                id: r.try_get("id")?,
                document_name: r.try_get("document_name")?,
                dce_version: r.try_get("dce_version")?,
                email: r.try_get("email")?,
                user_email: r.try_get("user_email")?,
                organisation_name: r.try_get("organisation_name")?,
                at: ts(r.try_get("at")?),
            })
        })
        .collect()
    }

    /// Everyone who left an address when downloading, to be told of changes.
    /// The addresses to tell at once of a change to the DCE: those who downloaded it, but the
    /// users who asked for such changes in their daily digest.
    pub async fn download_contacts(&self, consultation_id: i64) -> Result<Vec<String>, StoreError> {
        sqlx::query(
            "SELECT DISTINCT COALESCE(d.email, u.email) AS contact FROM downloads d LEFT JOIN users u ON u.id = d.user_id
             WHERE d.consultation_id = $1 AND COALESCE(d.email, u.email) IS NOT NULL
               AND (u.id IS NULL OR u.dce_alerts <> 'quotidien') ORDER BY contact",
        )
        .bind(consultation_id)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(|r| Ok(r.try_get(0)?))
        .collect()
    }

    pub async fn questions(&self, consultation_id: i64) -> Result<Vec<Question>, StoreError> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {QUESTION_COLUMNS} {QUESTION_FROM} WHERE q.consultation_id = $1 ORDER BY q.asked_at, q.id"
        )))
        .bind(consultation_id)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(question)
        .collect()
    }

    pub async fn question(&self, id: i64) -> Result<Question, StoreError> {
        let row =
            sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {QUESTION_COLUMNS} {QUESTION_FROM} WHERE q.id = $1")))
                .bind(id)
                .fetch_one(&self.read)
                .await?;
        question(&row)
    }
}

impl Tx {
    pub async fn insert_download(&mut self, d: &NewDownload, now: Timestamp) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO downloads (consultation_id, document_id, dce_version, email, user_id, at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(d.consultation_id)
        .bind(d.document_id)
        .bind(d.dce_version)
        .bind(&d.email)
        .bind(d.user_id)
        .bind(secs(now))
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }

    pub async fn insert_question(
        &mut self,
        consultation_id: i64,
        user_id: i64,
        organisation_id: i64,
        body: &str,
        now: Timestamp,
    ) -> Result<i64, StoreError> {
        Ok(sqlx::query(
            "INSERT INTO questions (consultation_id, user_id, organisation_id, body, asked_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(consultation_id)
        .bind(user_id)
        .bind(organisation_id)
        .bind(body)
        .bind(secs(now))
        .fetch_one(&mut *self.inner)
        .await?
        .try_get(0)?)
    }

    pub async fn answer_question(&mut self, id: i64, answer: &str, by: i64, now: Timestamp) -> Result<(), StoreError> {
        sqlx::query("UPDATE questions SET answer = $2, answered_by = $3, answered_at = $4 WHERE id = $1")
            .bind(id)
            .bind(answer)
            .bind(by)
            .bind(secs(now))
            .execute(&mut *self.inner)
            .await?;
        Ok(())
    }
}
