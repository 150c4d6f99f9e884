//! The library of good practices: entries, comments, reuses, featuring, attached files.

use domain::practice::{Practice, PracticeKind};
use domain::social_clause::LegalBasis;
use jiff::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::codec::{decode, join, secs, split, ts};
use crate::{Store, StoreError, Tx};

/// An entry as listed and shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PracticeRecord {
    pub id: i64,
    pub practice: Practice,
    pub author_id: i64,
    pub author_name: String,
    pub organisation_name: Option<String>,
    /// Distinct users who reused it.
    pub uses: i64,
    pub comments: i64,
    pub featured: bool,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PracticeComment {
    pub author_name: String,
    pub organisation_name: Option<String>,
    pub body: String,
    pub created_at: Timestamp,
}

/// A file attached to an entry; the file itself is the vault object `storage_key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PracticeAttachment {
    pub id: i64,
    pub practice_id: i64,
    pub name: String,
    pub size: i64,
    pub sha256: String,
    pub storage_key: String,
    pub content_type: String,
    pub uploader_id: i64,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPracticeAttachment {
    pub practice_id: i64,
    pub name: String,
    pub size: i64,
    pub sha256: String,
    pub storage_key: String,
    pub content_type: String,
    pub uploader_id: i64,
}

/// A search of the library: every folded word required; empty parts ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PracticeFilter {
    pub words: Vec<String>,
    pub legal_basis: Option<LegalBasis>,
    /// Two digits.
    pub cpv_division: Option<String>,
    pub kind: Option<PracticeKind>,
}

const SELECT: &str =
    "SELECT p.id, p.author_id, p.kind, p.title, p.legal_basis, p.cpv, p.body, p.featured_at, p.created_at,
        u.name AS author_name, o.name AS organisation_name,
        (SELECT COUNT(*) FROM practice_uses x WHERE x.practice_id = p.id) AS uses,
        (SELECT COUNT(*) FROM practice_comments c WHERE c.practice_id = p.id) AS comments
    FROM practices p JOIN users u ON u.id = p.author_id LEFT JOIN organisations o ON o.id = p.organisation_id";

fn record(r: &AnyRow) -> Result<PracticeRecord, StoreError> {
    let legal_basis: Option<String> = r.try_get("legal_basis")?;
    let cpv: String = r.try_get("cpv")?;
    Ok(PracticeRecord {
        id: r.try_get("id")?,
        practice: Practice {
            kind: decode(PracticeKind::parse(&r.try_get::<String, _>("kind")?))?,
            title: r.try_get("title")?,
            legal_basis: legal_basis.as_deref().map(LegalBasis::parse).transpose().map_err(StoreError::Corrupt)?,
            cpv: split(&cpv).map(str::to_string).collect(),
            body: r.try_get("body")?,
        },
        author_id: r.try_get("author_id")?,
        author_name: r.try_get("author_name")?,
        organisation_name: r.try_get("organisation_name")?,
        uses: r.try_get("uses")?,
        comments: r.try_get("comments")?,
        featured: r.try_get::<Option<i64>, _>("featured_at")?.is_some(),
        created_at: ts(r.try_get("created_at")?),
    })
}

const ATTACHMENT_COLUMNS: &str =
    "id, practice_id, name, size, sha256, storage_key, content_type, uploader_id, created_at";

fn attachment(r: &AnyRow) -> Result<PracticeAttachment, StoreError> {
    Ok(PracticeAttachment {
        id: r.try_get("id")?,
        practice_id: r.try_get("practice_id")?,
        name: r.try_get("name")?,
        size: r.try_get("size")?,
        sha256: r.try_get("sha256")?,
        storage_key: r.try_get("storage_key")?,
        content_type: r.try_get("content_type")?,
        uploader_id: r.try_get("uploader_id")?,
        created_at: ts(r.try_get("created_at")?),
    })
}

impl Store {
    /// Featured entries first, then the most reused, then the newest; at most 200.
    pub async fn practices(&self, f: &PracticeFilter) -> Result<Vec<PracticeRecord>, StoreError> {
        let mut clauses = vec!["1 = 1".to_string()];
        let mut n = 0;
        let mut next = || {
            n += 1;
            n
        };
        for _ in &f.words {
            clauses.push(format!("p.search_text LIKE ${}", next()));
        }
        if f.legal_basis.is_some() {
            clauses.push(format!("p.legal_basis = ${}", next()));
        }
        if f.cpv_division.is_some() {
            // A division's codes start with its two digits, after the separator or at the start.
            let (a, b) = (next(), next());
            clauses.push(format!("(p.cpv LIKE ${a} OR p.cpv LIKE ${b})"));
        }
        if f.kind.is_some() {
            clauses.push(format!("p.kind = ${}", next()));
        }
        let sql = format!(
            "{SELECT} WHERE {} ORDER BY p.featured_at IS NULL, uses DESC, p.created_at DESC, p.id DESC LIMIT 200",
            clauses.join(" AND ")
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for w in &f.words {
            q = q.bind(format!("%{w}%"));
        }
        if let Some(b) = f.legal_basis {
            q = q.bind(b.code());
        }
        if let Some(d) = &f.cpv_division {
            q = q.bind(format!("{d}%")).bind(format!("%|{d}%"));
        }
        if let Some(k) = f.kind {
            q = q.bind(k.code());
        }
        q.fetch_all(&self.read).await?.iter().map(record).collect()
    }

    pub async fn practice(&self, id: i64) -> Result<PracticeRecord, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE p.id = $1")))
            .bind(id)
            .fetch_optional(&self.read)
            .await?
            .ok_or(StoreError::NotFound)?;
        record(&row)
    }

    pub async fn practice_comments(&self, id: i64) -> Result<Vec<PracticeComment>, StoreError> {
        sqlx::query(
            "SELECT u.name AS author_name, o.name AS organisation_name, c.body, c.created_at
             FROM practice_comments c JOIN users u ON u.id = c.author_id
             LEFT JOIN organisations o ON o.id = u.organisation_id
             WHERE c.practice_id = $1 ORDER BY c.created_at, c.id",
        )
        .bind(id)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(|r| {
            Ok(PracticeComment {
                author_name: r.try_get("author_name")?,
                organisation_name: r.try_get("organisation_name")?,
                body: r.try_get("body")?,
                created_at: ts(r.try_get("created_at")?),
            })
        })
        .collect()
    }

    /// An entry's files, in the order they were attached.
    pub async fn practice_attachments(&self, practice_id: i64) -> Result<Vec<PracticeAttachment>, StoreError> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {ATTACHMENT_COLUMNS} FROM practice_attachments WHERE practice_id = $1 ORDER BY id"
        )))
        .bind(practice_id)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(attachment)
        .collect()
    }

    /// A file of that entry: another entry's is not found.
    pub async fn practice_attachment(&self, practice_id: i64, id: i64) -> Result<PracticeAttachment, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {ATTACHMENT_COLUMNS} FROM practice_attachments WHERE practice_id = $1 AND id = $2"
        )))
        .bind(practice_id)
        .bind(id)
        .fetch_optional(&self.read)
        .await?
        .ok_or(StoreError::NotFound)?;
        attachment(&row)
    }
}

impl Tx {
    pub async fn insert_practice(
        &mut self,
        author_id: i64,
        organisation_id: Option<i64>,
        p: &Practice,
        search_text: &str,
        now: Timestamp,
    ) -> Result<i64, StoreError> {
        Ok(sqlx::query(
            "INSERT INTO practices (author_id, organisation_id, kind, title, legal_basis, cpv, body, search_text, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(author_id)
        .bind(organisation_id)
        .bind(p.kind.code())
        .bind(&p.title)
        .bind(p.legal_basis.map(LegalBasis::code))
        .bind(join(&p.cpv, |c| c.as_str()))
        .bind(&p.body)
        .bind(search_text)
        .bind(secs(now))
        .fetch_one(&mut *self.inner)
        .await?
        .try_get(0)?)
    }

    pub async fn insert_practice_comment(
        &mut self,
        practice_id: i64,
        author_id: i64,
        body: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO practice_comments (practice_id, author_id, body, created_at) VALUES ($1, $2, $3, $4)")
            .bind(practice_id)
            .bind(author_id)
            .bind(body)
            .bind(secs(now))
            .execute(&mut *self.inner)
            .await?;
        Ok(())
    }

    /// Counts a reuse; false when this user had already reused the entry.
    pub async fn record_practice_use(
        &mut self,
        practice_id: i64,
        user_id: i64,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        Ok(sqlx::query(
            "INSERT INTO practice_uses (practice_id, user_id, used_at) VALUES ($1, $2, $3)
             ON CONFLICT (practice_id, user_id) DO NOTHING RETURNING practice_id",
        )
        .bind(practice_id)
        .bind(user_id)
        .bind(secs(now))
        .fetch_optional(&mut *self.inner)
        .await?
        .is_some())
    }

    pub async fn set_practice_featured(&mut self, id: i64, at: Option<Timestamp>) -> Result<(), StoreError> {
        sqlx::query("UPDATE practices SET featured_at = $2 WHERE id = $1")
            .bind(id)
            .bind(at.map(secs))
            .execute(&mut *self.inner)
            .await?;
        Ok(())
    }

    pub async fn insert_practice_attachment(
        &mut self,
        a: &NewPracticeAttachment,
        now: Timestamp,
    ) -> Result<i64, StoreError> {
        Ok(sqlx::query(
            "INSERT INTO practice_attachments (practice_id, name, size, sha256, storage_key, content_type, uploader_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(a.practice_id)
        .bind(&a.name)
        .bind(a.size)
        .bind(&a.sha256)
        .bind(&a.storage_key)
        .bind(&a.content_type)
        .bind(a.uploader_id)
        .bind(secs(now))
        .fetch_one(&mut *self.inner)
        .await?
        .try_get(0)?)
    }

    /// Deletes a file of that entry and returns it, so that its object can go after the commit.
    pub async fn delete_practice_attachment(
        &mut self,
        practice_id: i64,
        id: i64,
    ) -> Result<PracticeAttachment, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM practice_attachments WHERE practice_id = $1 AND id = $2 RETURNING {ATTACHMENT_COLUMNS}"
        )))
        .bind(practice_id)
        .bind(id)
        .fetch_optional(&mut *self.inner)
        .await?
        .ok_or(StoreError::NotFound)?;
        attachment(&row)
    }
}
