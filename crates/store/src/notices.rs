//! Notices published elsewhere (BOAMP, TED), with the other sources and the amending notices
//! linked to each.

use domain::money::Cents;
use jiff::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::codec::{secs, split, ts};
use crate::{Store, StoreError, Tx};

/// A notice as stored; `id` is 0 before it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeRecord {
    pub id: i64,
    pub source: String,
    pub source_id: String,
    pub url: String,
    pub kind: String,
    pub cancelled: bool,
    pub title: String,
    pub description: String,
    pub buyer_name: String,
    pub buyer_siret: Option<String>,
    pub nature: Option<String>,
    pub procedure: Option<String>,
    pub cpv: Option<String>,
    pub departements: Vec<String>,
    pub estimated: Option<Cents>,
    pub published_on: Option<String>,
    pub deadline: Option<Timestamp>,
    pub winners: Vec<String>,
    pub lots: i64,
    pub dedup_key: Option<String>,
    pub match_key: String,
    pub content_hash: String,
    pub search_text: String,
    /// When Halle first imported it (`None` before it is saved).
    pub imported_at: Option<Timestamp>,
}

/// Another publication of a notice's tender, or a notice amending it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeLink {
    pub source: String,
    pub source_id: String,
    /// `doublon`, `rectificatif`, `annulation`, `resultat`.
    pub role: String,
    pub url: String,
    pub published_on: Option<String>,
}

/// What the store already holds under a source's id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KnownNotice {
    /// `same`: with the same content hash.
    Notice { id: i64, same: bool },
    /// `role`: `doublon`, `rectificatif`…
    Link { notice_id: i64, same: bool, role: String },
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoticeFilter {
    /// Folded words, all required.
    pub words: Vec<String>,
    pub departement: Option<String>,
    /// Only those whose deadline is still ahead (and not cancelled).
    pub open_at: Option<Timestamp>,
    pub page: i64,
    pub per_page: i64,
}

pub(crate) const COLUMNS: &str = "id, source, source_id, url, kind, cancelled, title, description, buyer_name, buyer_siret, \
    nature, procedure_label, cpv, departements, estimated_cents, published_on, deadline, winners, lots, dedup_key, \
    match_key, content_hash, search_text, imported_at";

pub(crate) fn record(r: &AnyRow) -> Result<NoticeRecord, StoreError> {
    let departements: String = r.try_get("departements")?;
    let winners: String = r.try_get("winners")?;
    Ok(NoticeRecord {
        id: r.try_get("id")?,
        source: r.try_get("source")?,
        source_id: r.try_get("source_id")?,
        url: r.try_get("url")?,
        kind: r.try_get("kind")?,
        cancelled: r.try_get::<i64, _>("cancelled")? != 0,
        title: r.try_get("title")?,
        description: r.try_get("description")?,
        buyer_name: r.try_get("buyer_name")?,
        buyer_siret: r.try_get("buyer_siret")?,
        nature: r.try_get("nature")?,
        procedure: r.try_get("procedure_label")?,
        cpv: r.try_get("cpv")?,
        departements: split(&departements).map(str::to_string).collect(),
        estimated: r.try_get::<Option<i64>, _>("estimated_cents")?.map(Cents),
        published_on: r.try_get("published_on")?,
        deadline: r.try_get::<Option<i64>, _>("deadline")?.map(ts),
        winners: split(&winners).map(str::to_string).collect(),
        lots: r.try_get("lots")?,
        dedup_key: r.try_get("dedup_key")?,
        match_key: r.try_get("match_key")?,
        content_hash: r.try_get("content_hash")?,
        search_text: r.try_get("search_text")?,
        imported_at: Some(ts(r.try_get("imported_at")?)),
    })
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

/// Binds the notice's fields as `$1`…`$22` (everything but the id).
fn bind_notice<'q>(q: AnyQuery<'q>, n: &'q NoticeRecord) -> AnyQuery<'q> {
    q.bind(&n.source)
        .bind(&n.source_id)
        .bind(&n.url)
        .bind(&n.kind)
        .bind(i64::from(n.cancelled))
        .bind(&n.title)
        .bind(&n.description)
        .bind(&n.buyer_name)
        .bind(&n.buyer_siret)
        .bind(&n.nature)
        .bind(&n.procedure)
        .bind(&n.cpv)
        .bind(n.departements.join("|"))
        .bind(n.estimated.map(|c| c.0))
        .bind(&n.published_on)
        .bind(n.deadline.map(secs))
        .bind(n.winners.join("|"))
        .bind(n.lots)
        .bind(&n.dedup_key)
        .bind(&n.match_key)
        .bind(&n.content_hash)
        .bind(&n.search_text)
}

fn filter_sql(f: &NoticeFilter) -> (String, Vec<String>, Option<i64>) {
    let mut clauses = vec!["1 = 1".to_string()];
    let mut text = Vec::new();
    for word in &f.words {
        text.push(format!("%{}%", word.replace(['%', '_', '\\', '\0'], "")));
        clauses.push(format!("search_text LIKE ${}", text.len()));
    }
    if let Some(d) = &f.departement {
        text.push(format!("%|{d}|%"));
        clauses.push(format!("('|' || departements || '|') LIKE ${}", text.len()));
    }
    let int = f.open_at.map(|now| {
        clauses.push(format!("(cancelled = 0 AND deadline > ${})", text.len() + 1));
        secs(now)
    });
    (clauses.join(" AND "), text, int)
}

impl Store {
    /// A page of notices, newest publication first, and how many match.
    pub async fn notices(&self, f: &NoticeFilter) -> Result<(Vec<NoticeRecord>, i64), StoreError> {
        let (clause, text, int) = filter_sql(f);
        fn bind<'q>(mut q: AnyQuery<'q>, text: &[String], int: Option<i64>) -> AnyQuery<'q> {
            for t in text {
                q = q.bind(t.clone());
            }
            if let Some(i) = int {
                q = q.bind(i);
            }
            q
        }
        let total: i64 =
            bind(sqlx::query(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM notices WHERE {clause}"))), &text, int)
                .fetch_one(&self.read)
                .await?
                .try_get(0)?;
        let per_page = f.per_page.clamp(1, 200);
        let offset = f.page.max(0).saturating_mul(per_page);
        let rows = bind(sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM notices WHERE {clause} ORDER BY published_on IS NULL, published_on DESC, id DESC LIMIT {per_page} OFFSET {offset}"
        ))), &text, int)
        .fetch_all(&self.read)
        .await?;
        Ok((rows.iter().map(record).collect::<Result<_, _>>()?, total))
    }

    /// A notice and its links; `NotFound` if there is none.
    pub async fn notice(&self, id: i64) -> Result<(NoticeRecord, Vec<NoticeLink>), StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM notices WHERE id = $1")))
            .bind(id)
            .fetch_one(&self.read)
            .await?;
        let links = sqlx::query(
            "SELECT source, source_id, role, url, published_on FROM notice_links WHERE notice_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(|r| {
            Ok(NoticeLink {
                source: r.try_get("source")?,
                source_id: r.try_get("source_id")?,
                role: r.try_get("role")?,
                url: r.try_get("url")?,
                published_on: r.try_get("published_on")?,
            })
        })
        .collect::<Result<_, StoreError>>()?;
        Ok((record(&row)?, links))
    }
}

impl Tx {
    /// Whether `source_id` of `source` is known, as a notice or as a link, and whether with the
    /// same content.
    pub async fn known_notice(
        &mut self,
        source: &str,
        source_id: &str,
        content_hash: &str,
    ) -> Result<Option<KnownNotice>, StoreError> {
        if let Some(r) = sqlx::query("SELECT id, content_hash FROM notices WHERE source = $1 AND source_id = $2")
            .bind(source)
            .bind(source_id)
            .fetch_optional(&mut *self.inner)
            .await?
        {
            let hash: String = r.try_get("content_hash")?;
            return Ok(Some(KnownNotice::Notice { id: r.try_get("id")?, same: hash == content_hash }));
        }
        let link =
            sqlx::query("SELECT notice_id, content_hash, role FROM notice_links WHERE source = $1 AND source_id = $2")
                .bind(source)
                .bind(source_id)
                .fetch_optional(&mut *self.inner)
                .await?;
        link.map(|r| {
            let hash: String = r.try_get("content_hash")?;
            Ok(KnownNotice::Link {
                notice_id: r.try_get("notice_id")?,
                same: hash == content_hash,
                role: r.try_get("role")?,
            })
        })
        .transpose()
    }

    pub async fn insert_notice(&mut self, n: &NoticeRecord, now: Timestamp) -> Result<i64, StoreError> {
        let q = sqlx::query(
            "INSERT INTO notices (source, source_id, url, kind, cancelled, title, description, buyer_name, buyer_siret,
                nature, procedure_label, cpv, departements, estimated_cents, published_on, deadline, winners, lots,
                dedup_key, match_key, content_hash, search_text, imported_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
                $22, $23, $23) RETURNING id",
        );
        Ok(bind_notice(q, n).bind(secs(now)).fetch_one(&mut *self.inner).await?.try_get(0)?)
    }

    /// Replaces the fields of notice `id` with its source's new version; what notices amending it
    /// changed stays (a cancellation, the winners; the deadline once a rectificatif moved it).
    pub async fn replace_notice(&mut self, id: i64, n: &NoticeRecord, now: Timestamp) -> Result<(), StoreError> {
        let q = sqlx::query(
            "UPDATE notices SET source = $1, source_id = $2, url = $3, kind = $4, cancelled = $5, title = $6,
                description = $7, buyer_name = $8, buyer_siret = $9, nature = $10, procedure_label = $11, cpv = $12,
                departements = $13, estimated_cents = $14, published_on = $15, deadline = $16, winners = $17,
                lots = $18, dedup_key = $19, match_key = $20, content_hash = $21, search_text = $22, updated_at = $23
             WHERE id = $24",
        );
        let amended = sqlx::query("SELECT cancelled, winners, deadline FROM notices WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *self.inner)
            .await?;
        let rectified: bool = sqlx::query("SELECT 1 FROM notice_links WHERE notice_id = $1 AND role = 'rectificatif'")
            .bind(id)
            .fetch_optional(&mut *self.inner)
            .await?
            .is_some();
        let mut n = n.clone();
        n.cancelled |= amended.try_get::<i64, _>("cancelled")? != 0;
        if n.winners.is_empty() {
            n.winners = split(&amended.try_get::<String, _>("winners")?).map(str::to_string).collect();
        }
        if rectified {
            n.deadline = amended.try_get::<Option<i64>, _>("deadline")?.map(ts).or(n.deadline);
        }
        bind_notice(q, &n).bind(secs(now)).bind(id).execute(&mut *self.inner).await?;
        Ok(())
    }

    /// A notice of another source with the same dedup key: the same tender published twice.
    pub async fn notice_by_dedup_key(&mut self, key: &str, other_than: &str) -> Result<Option<i64>, StoreError> {
        Ok(sqlx::query("SELECT id FROM notices WHERE dedup_key = $1 AND source <> $2 ORDER BY id LIMIT 1")
            .bind(key)
            .bind(other_than)
            .fetch_optional(&mut *self.inner)
            .await?
            .map(|r| r.try_get(0))
            .transpose()?)
    }

    /// The latest notice of `source` announcing a tender (not of one of the `amending` kinds)
    /// with this buyer and object: the one a rectificatif, an annulation or a résultat refers to.
    pub async fn notice_to_amend(
        &mut self,
        source: &str,
        match_key: &str,
        amending: [&str; 3],
    ) -> Result<Option<i64>, StoreError> {
        Ok(sqlx::query(
            "SELECT id FROM notices WHERE source = $1 AND match_key = $2 AND kind NOT IN ($3, $4, $5)
             ORDER BY published_on IS NULL, published_on DESC, id DESC LIMIT 1",
        )
        .bind(source)
        .bind(match_key)
        .bind(amending[0])
        .bind(amending[1])
        .bind(amending[2])
        .fetch_optional(&mut *self.inner)
        .await?
        .map(|r| r.try_get(0))
        .transpose()?)
    }

    /// Records that `link` is another publication of, or an amendment to, notice `notice_id`;
    /// a link already known is updated to `content_hash`.
    pub async fn link_notice(
        &mut self,
        notice_id: i64,
        link: &NoticeLink,
        content_hash: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO notice_links (notice_id, source, source_id, role, url, published_on, content_hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (source, source_id) DO UPDATE SET notice_id = $1, role = $4, url = $5, published_on = $6,
                content_hash = $7",
        )
        .bind(notice_id)
        .bind(&link.source)
        .bind(&link.source_id)
        .bind(&link.role)
        .bind(&link.url)
        .bind(&link.published_on)
        .bind(content_hash)
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }

    /// What an amending notice changes: a new deadline, the cancellation, the winners.
    pub async fn amend_notice(
        &mut self,
        id: i64,
        deadline: Option<Timestamp>,
        cancelled: bool,
        winners: &[String],
        now: Timestamp,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE notices SET deadline = COALESCE($1, deadline), cancelled = CASE WHEN $2 = 1 THEN 1 ELSE cancelled END,
                winners = CASE WHEN $3 = '' THEN winners ELSE $3 END, updated_at = $4 WHERE id = $5",
        )
        .bind(deadline.map(secs))
        .bind(i64::from(cancelled))
        .bind(winners.join("|"))
        .bind(secs(now))
        .bind(id)
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }
}
