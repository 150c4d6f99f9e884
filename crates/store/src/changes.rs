//! The change feed (outbox): every public change to a consultation or a notice adds a row in the
//! transaction that makes it, so whatever is derived from the store (the search index) follows
//! it by reading the rows after the last position it applied. Also the batch reads the search
//! results need (rows by id, in the order given).

use domain::consultation::{Nature, Procedure, Status};
use jiff::Timestamp;
use sqlx::Row;

use crate::codec::{decode, secs, ts};
use crate::notices::{COLUMNS as NOTICE_COLUMNS, record as notice_record};
use crate::{Backend, ConsultationSummary, NoticeRecord, Store, StoreError, Tx};

/// What a change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeEntity {
    Consultation,
    Notice,
}

impl ChangeEntity {
    pub fn code(self) -> &'static str {
        match self {
            ChangeEntity::Consultation => "consultation",
            ChangeEntity::Notice => "notice",
        }
    }

    pub fn parse(code: &str) -> Result<ChangeEntity, String> {
        match code {
            "consultation" => Ok(ChangeEntity::Consultation),
            "notice" => Ok(ChangeEntity::Notice),
            other => Err(format!("unknown change entity: {other}")),
        }
    }
}

/// One row of the change feed: `entity_id` changed at `at`; positions only grow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub position: i64,
    pub entity: ChangeEntity,
    pub entity_id: i64,
    pub at: Timestamp,
}

impl Store {
    /// Up to `limit` changes after `position` (`None`: from the start), oldest first.
    pub async fn changes_after(&self, position: Option<i64>, limit: i64) -> Result<Vec<Change>, StoreError> {
        sqlx::query(
            "SELECT position, entity, entity_id, at FROM changes WHERE position > $1 ORDER BY position LIMIT $2",
        )
        .bind(position.unwrap_or(0))
        .bind(limit.clamp(1, 10_000))
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(|r| {
            Ok(Change {
                position: r.try_get("position")?,
                entity: decode(ChangeEntity::parse(&r.try_get::<String, _>("entity")?))?,
                entity_id: r.try_get("entity_id")?,
                at: ts(r.try_get("at")?),
            })
        })
        .collect()
    }

    /// The position of the latest change, `None` when there is none.
    pub async fn last_change_position(&self) -> Result<Option<i64>, StoreError> {
        Ok(sqlx::query("SELECT MAX(position) FROM changes").fetch_one(&self.read).await?.try_get(0)?)
    }

    /// Up to `limit` notices with an id above `after`, by id (to walk them all in pages).
    pub async fn notices_after(&self, after: i64, limit: i64) -> Result<Vec<NoticeRecord>, StoreError> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {NOTICE_COLUMNS} FROM notices WHERE id > $1 ORDER BY id LIMIT $2"
        )))
        .bind(after)
        .bind(limit.clamp(1, 10_000))
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(notice_record)
        .collect()
    }

    /// The notices with these ids, in the order given (unknown ids are left out).
    pub async fn notices_by_ids(&self, ids: &[i64]) -> Result<Vec<NoticeRecord>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {NOTICE_COLUMNS} FROM notices WHERE id IN ({})",
            id_list(ids)
        )))
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(notice_record)
        .collect::<Result<Vec<_>, _>>()?;
        Ok(in_order(ids, rows, |n| n.id))
    }

    /// Public consultations (never drafts nor the test consultation) with these ids, as list
    /// lines, in the order given; others are left out.
    pub async fn consultation_summaries(&self, ids: &[i64]) -> Result<Vec<ConsultationSummary>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT c.id, c.reference, c.title, o.name AS organisation_name, c.nature, c.procedure, c.cpv, \
             c.departement, c.place_label, c.bid_deadline, c.status, c.published_at \
             FROM consultations c JOIN organisations o ON o.id = c.organisation_id \
             WHERE c.id IN ({}) AND c.status <> 'brouillon' AND c.is_test = 0",
            id_list(ids)
        )))
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(|row| {
            Ok(ConsultationSummary {
                id: row.try_get("id")?,
                reference: row.try_get("reference")?,
                title: row.try_get("title")?,
                organisation_name: row.try_get("organisation_name")?,
                nature: decode(Nature::parse(row.try_get("nature")?))?,
                procedure: decode(Procedure::parse(row.try_get("procedure")?))?,
                cpv: row.try_get("cpv")?,
                departement: row.try_get("departement")?,
                place_label: row.try_get("place_label")?,
                bid_deadline: ts(row.try_get("bid_deadline")?),
                status: decode(Status::parse(row.try_get("status")?))?,
                published_at: row.try_get::<Option<i64>, _>("published_at")?.map(ts),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(in_order(ids, rows, |s| s.id))
    }

    /// Whether consultation `id` is public (published once, not the test consultation).
    pub async fn is_public_consultation(&self, id: i64) -> Result<bool, StoreError> {
        Ok(sqlx::query("SELECT COUNT(*) FROM consultations WHERE id = $1 AND status <> 'brouillon' AND is_test = 0")
            .bind(id)
            .fetch_one(&self.read)
            .await?
            .try_get::<i64, _>(0)?
            > 0)
    }
}

impl Tx {
    /// Adds `entity` `id` to the change feed. Call it last in the transaction: on PostgreSQL it
    /// locks the feed until commit, so positions are handed out in commit order and a reader
    /// never sees a later position before an earlier one.
    pub async fn record_change(&mut self, entity: ChangeEntity, id: i64, now: Timestamp) -> Result<(), StoreError> {
        if self.backend == Backend::Postgres {
            sqlx::query("LOCK TABLE changes IN SHARE ROW EXCLUSIVE MODE").execute(&mut *self.inner).await?;
        }
        sqlx::query("INSERT INTO changes (entity, entity_id, at) VALUES ($1, $2, $3)")
            .bind(entity.code())
            .bind(id)
            .bind(secs(now))
            .execute(&mut *self.inner)
            .await?;
        Ok(())
    }
}

fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
}

fn in_order<T>(ids: &[i64], rows: Vec<T>, id: impl Fn(&T) -> i64) -> Vec<T> {
    let mut rows: Vec<Option<T>> = rows.into_iter().map(Some).collect();
    let mut out = Vec::with_capacity(ids.len());
    for want in ids {
        if let Some(slot) = rows.iter_mut().find(|r| r.as_ref().is_some_and(|r| id(r) == *want))
            && let Some(row) = slot.take()
        {
            out.push(row);
        }
    }
    out
}
