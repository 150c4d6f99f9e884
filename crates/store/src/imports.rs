//! Contracts' essential data (DECP), the directory of inclusive employers (SIAE), and the report
//! of every import run.

use std::collections::HashMap;

use jiff::Timestamp;
use sqlx::Row;

use crate::codec::{secs, ts};
use crate::{Store, StoreError, Tx};

/// One contract's essential data, as DECP v2 JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecpRow {
    /// Unique across buyers: the buyer's id and the contract's.
    pub uid: String,
    pub acheteur_id: String,
    /// `YYYY-MM-DD`.
    pub notified_on: String,
    /// `decp-v1` (mapped, with defaults for what v1 lacks) or `decp-v2`.
    pub origin: String,
    /// How many modifications the record holds.
    pub version: i64,
    pub record: String,
}

/// One inclusive employer of the SIAE directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiaeRow {
    pub siret: String,
    pub name: String,
    pub kind: String,
    pub departement: String,
    pub city: String,
    pub brand: Option<String>,
    pub naf: Option<String>,
    pub address: Option<String>,
    pub post_code: Option<String>,
}

/// The counts and the report of one import run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportRun {
    pub kind: String,
    pub file: String,
    pub started_at: Option<Timestamp>,
    pub finished_at: Option<Timestamp>,
    pub read: i64,
    pub created: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub merged: i64,
    pub skipped: i64,
    pub rejected: i64,
    /// One line per rejected record, with its reason.
    pub report: String,
}

impl Store {
    /// Up to `limit` DECP records after `after_id`, by id, but those of origin `except`, for
    /// exports that stream.
    pub async fn decp_records(
        &self,
        after_id: i64,
        limit: i64,
        except: &str,
    ) -> Result<Vec<(i64, String)>, StoreError> {
        sqlx::query("SELECT id, record FROM decp_contracts WHERE id > $1 AND origin <> $2 ORDER BY id LIMIT $3")
            .bind(after_id)
            .bind(except)
            .bind(limit)
            .fetch_all(&self.read)
            .await?
            .iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("record")?)))
            .collect()
    }

    /// The inclusive employers of a département, by name.
    pub async fn siae_of(&self, departement: &str) -> Result<Vec<SiaeRow>, StoreError> {
        sqlx::query(
            "SELECT siret, name, kind, departement, city, brand, naf, address, post_code FROM siae_directory
             WHERE departement = $1 ORDER BY name",
        )
        .bind(departement)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(|r| {
            Ok(SiaeRow {
                siret: r.try_get("siret")?,
                name: r.try_get("name")?,
                kind: r.try_get("kind")?,
                departement: r.try_get("departement")?,
                city: r.try_get("city")?,
                brand: r.try_get("brand")?,
                naf: r.try_get("naf")?,
                address: r.try_get("address")?,
                post_code: r.try_get("post_code")?,
            })
        })
        .collect()
    }

    /// The latest import runs, newest first.
    pub async fn import_runs(&self, limit: i64) -> Result<Vec<ImportRun>, StoreError> {
        sqlx::query(
            "SELECT kind, file, started_at, finished_at, read_count, created_count, updated_count, unchanged_count,
                merged_count, skipped_count, rejected_count, report FROM import_runs ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(|r| {
            Ok(ImportRun {
                kind: r.try_get("kind")?,
                file: r.try_get("file")?,
                started_at: Some(ts(r.try_get("started_at")?)),
                finished_at: Some(ts(r.try_get("finished_at")?)),
                read: r.try_get("read_count")?,
                created: r.try_get("created_count")?,
                updated: r.try_get("updated_count")?,
                unchanged: r.try_get("unchanged_count")?,
                merged: r.try_get("merged_count")?,
                skipped: r.try_get("skipped_count")?,
                rejected: r.try_get("rejected_count")?,
                report: r.try_get("report")?,
            })
        })
        .collect()
    }
}

/// Rows per multi-row INSERT. Small: SQLite's driver looks each `$n` up among the statement's
/// parameters, so binding grows with the square of their number (measured: with 200 rows, that
/// lookup was the largest cost of a million-record import).
const DECP_CHUNK: usize = 16;

impl Tx {
    /// Adds DECP records; a known record is replaced only by a later version of it (one with more
    /// modifications), so importing files again, in any order, changes nothing. Within `rows`,
    /// the same rule: the first of the records with the most modifications.
    pub async fn upsert_decp(&mut self, rows: &[DecpRow], now: Timestamp) -> Result<UpsertCounts, StoreError> {
        let mut counts = UpsertCounts::default();
        for chunk in rows.chunks(DECP_CHUNK) {
            let mut last: HashMap<&str, &DecpRow> = HashMap::new();
            for r in chunk {
                let kept = last.entry(&r.uid).or_insert(r);
                if !std::ptr::eq(*kept, r) {
                    if r.version > kept.version {
                        *kept = r;
                    }
                    counts.unchanged += 1;
                }
            }
            let rows: Vec<&DecpRow> =
                chunk.iter().filter(|r| last.get(r.uid.as_str()).is_some_and(|l| std::ptr::eq(*l, *r))).collect();
            // New records go in at once; only those already known are read back and compared.
            let inserted = self.insert_new_decp(&rows, now).await?;
            counts.created += inserted.len() as u64;
            let known: Vec<&DecpRow> = rows.into_iter().filter(|r| !inserted.contains(r.uid.as_str())).collect();
            if known.is_empty() {
                continue;
            }
            let placeholders: Vec<String> = (1..=known.len()).map(|n| format!("${n}")).collect();
            let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT uid, record, version FROM decp_contracts WHERE uid IN ({})",
                placeholders.join(", ")
            )));
            for r in &known {
                q = q.bind(&r.uid);
            }
            let stored: HashMap<String, (String, i64)> = q
                .fetch_all(&mut *self.inner)
                .await?
                .iter()
                .map(|r| Ok((r.try_get("uid")?, (r.try_get("record")?, r.try_get("version")?))))
                .collect::<Result<_, StoreError>>()?;
            for r in known {
                match stored.get(&r.uid) {
                    Some((record, version)) if *record != r.record && *version < r.version => {
                        sqlx::query(
                            "UPDATE decp_contracts SET record = $1, origin = $2, version = $3, imported_at = $4 WHERE uid = $5",
                        )
                        .bind(&r.record)
                        .bind(&r.origin)
                        .bind(r.version)
                        .bind(secs(now))
                        .bind(&r.uid)
                        .execute(&mut *self.inner)
                        .await?;
                        counts.updated += 1;
                    }
                    _ => counts.unchanged += 1,
                }
            }
        }
        Ok(counts)
    }

    /// Inserts the records whose uid is not known yet; returns their uids.
    async fn insert_new_decp(
        &mut self,
        rows: &[&DecpRow],
        now: Timestamp,
    ) -> Result<std::collections::HashSet<String>, StoreError> {
        if rows.is_empty() {
            return Ok(Default::default());
        }
        let values: Vec<String> = (0..rows.len())
            .map(|i| {
                let n = i * 6;
                let p: Vec<String> = (1..=6).map(|k| format!("${}", n + k)).collect();
                format!("({}, ${})", p.join(", "), rows.len() * 6 + 1)
            })
            .collect();
        let sql = format!(
            "INSERT INTO decp_contracts (uid, acheteur_id, notified_on, origin, version, record, imported_at) VALUES {}
             ON CONFLICT (uid) DO NOTHING RETURNING uid",
            values.join(", ")
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for r in rows {
            q = q
                .bind(&r.uid)
                .bind(&r.acheteur_id)
                .bind(&r.notified_on)
                .bind(&r.origin)
                .bind(r.version)
                .bind(&r.record);
        }
        q.bind(secs(now)).fetch_all(&mut *self.inner).await?.iter().map(|r| Ok(r.try_get("uid")?)).collect()
    }

    /// Adds or updates an inclusive employer; tells whether it was new, changed or the same.
    pub async fn upsert_siae(&mut self, s: &SiaeRow, now: Timestamp) -> Result<Upsert, StoreError> {
        let existing = sqlx::query(
            "SELECT siret, name, kind, departement, city, brand, naf, address, post_code FROM siae_directory
             WHERE siret = $1",
        )
        .bind(&s.siret)
        .fetch_optional(&mut *self.inner)
        .await?;
        let same = match &existing {
            None => false,
            Some(r) => {
                let fields: [Option<String>; 8] = [
                    r.try_get("name")?,
                    r.try_get("kind")?,
                    r.try_get("departement")?,
                    r.try_get("city")?,
                    r.try_get("brand")?,
                    r.try_get("naf")?,
                    r.try_get("address")?,
                    r.try_get("post_code")?,
                ];
                fields
                    == [
                        Some(s.name.clone()),
                        Some(s.kind.clone()),
                        Some(s.departement.clone()),
                        Some(s.city.clone()),
                        s.brand.clone(),
                        s.naf.clone(),
                        s.address.clone(),
                        s.post_code.clone(),
                    ]
            }
        };
        if same {
            return Ok(Upsert::Unchanged);
        }
        sqlx::query(
            "INSERT INTO siae_directory (siret, name, kind, departement, city, brand, naf, address, post_code, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             ON CONFLICT (siret) DO UPDATE SET name = $2, kind = $3, departement = $4, city = $5, brand = $6,
                naf = $7, address = $8, post_code = $9, updated_at = $10",
        )
        .bind(&s.siret)
        .bind(&s.name)
        .bind(&s.kind)
        .bind(&s.departement)
        .bind(&s.city)
        .bind(&s.brand)
        .bind(&s.naf)
        .bind(&s.address)
        .bind(&s.post_code)
        .bind(secs(now))
        .execute(&mut *self.inner)
        .await?;
        Ok(if existing.is_some() { Upsert::Updated } else { Upsert::Created })
    }

    pub async fn insert_import_run(&mut self, run: &ImportRun, now: Timestamp) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO import_runs (kind, file, started_at, finished_at, read_count, created_count, updated_count,
                unchanged_count, merged_count, skipped_count, rejected_count, report)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(&run.kind)
        .bind(&run.file)
        .bind(secs(run.started_at.unwrap_or(now)))
        .bind(secs(run.finished_at.unwrap_or(now)))
        .bind(run.read)
        .bind(run.created)
        .bind(run.updated)
        .bind(run.unchanged)
        .bind(run.merged)
        .bind(run.skipped)
        .bind(run.rejected)
        .bind(&run.report)
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UpsertCounts {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upsert {
    Created,
    Updated,
    Unchanged,
}
