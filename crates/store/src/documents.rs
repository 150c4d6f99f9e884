use jiff::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::codec::{secs, ts};
use crate::{Document, NewDocument, Rectificatif, Store, StoreError, Tx};

const COLUMNS: &str =
    "id, consultation_id, name, size, sha256, crc32, storage_key, content_type, added_version, created_at";

fn document(row: &AnyRow) -> Result<Document, StoreError> {
    let crc: i64 = row.try_get("crc32")?;
    Ok(Document {
        id: row.try_get("id")?,
        consultation_id: row.try_get("consultation_id")?,
        name: row.try_get("name")?,
        size: row.try_get("size")?,
        sha256: row.try_get("sha256")?,
        crc32: u32::try_from(crc).map_err(|_| StoreError::Corrupt(format!("crc32 {crc}")))?,
        storage_key: row.try_get("storage_key")?,
        content_type: row.try_get("content_type")?,
        added_version: row.try_get("added_version")?,
        created_at: ts(row.try_get("created_at")?),
    })
}

impl Store {
    /// The documents of the current DCE, in the order they were added.
    pub async fn documents(&self, consultation_id: i64) -> Result<Vec<Document>, StoreError> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM documents WHERE consultation_id = $1 AND removed_version IS NULL ORDER BY id"
        )))
        .bind(consultation_id)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(document)
        .collect()
    }

    /// A document of the current DCE of that consultation.
    pub async fn document(&self, consultation_id: i64, id: i64) -> Result<Document, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM documents WHERE consultation_id = $1 AND id = $2 AND removed_version IS NULL"
        )))
        .bind(consultation_id)
        .bind(id)
        .fetch_one(&self.read)
        .await?;
        document(&row)
    }

    pub async fn rectificatifs(&self, consultation_id: i64) -> Result<Vec<Rectificatif>, StoreError> {
        sqlx::query(
            "SELECT dce_version, summary, published_at FROM rectificatifs WHERE consultation_id = $1 ORDER BY dce_version",
        )
        .bind(consultation_id)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(|r| {
            Ok(Rectificatif {
                dce_version: r.try_get("dce_version")?,
                summary: r.try_get("summary")?,
                published_at: ts(r.try_get("published_at")?),
            })
        })
        .collect()
    }
}

impl Tx {
    pub async fn insert_document(&mut self, d: &NewDocument, version: i64, now: Timestamp) -> Result<i64, StoreError> {
        Ok(sqlx::query(
            "INSERT INTO documents (consultation_id, name, size, sha256, crc32, storage_key, content_type, added_version, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(d.consultation_id)
        .bind(&d.name)
        .bind(d.size)
        .bind(&d.sha256)
        .bind(i64::from(d.crc32))
        .bind(&d.storage_key)
        .bind(&d.content_type)
        .bind(version)
        .bind(secs(now))
        .fetch_one(&mut *self.inner)
        .await?
        .try_get(0)?)
    }

    /// Takes a document out of the DCE from `version` on; the file stays for the record.
    pub async fn remove_document(&mut self, consultation_id: i64, id: i64, version: i64) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE documents SET removed_version = $3 WHERE consultation_id = $1 AND id = $2 AND removed_version IS NULL",
        )
        .bind(consultation_id)
        .bind(id)
        .bind(version)
        .execute(&mut *self.inner)
        .await?;
        if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }

    pub async fn insert_rectificatif(
        &mut self,
        consultation_id: i64,
        version: i64,
        summary: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO rectificatifs (consultation_id, dce_version, summary, published_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(consultation_id)
        .bind(version)
        .bind(summary)
        .bind(secs(now))
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }
}
