//! The SQLite FTS5 baseline: the notices in a table, their texts in a contentless FTS5 table
//! (`unicode61` with diacritics removed: no French stemming, no stop words), the CPV divisions
//! in a side table; written in one transaction, then the FTS index optimised.

use std::path::Path;
use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection, SqliteConnection};

use crate::clients::{CLIENTS, Error};
use crate::generate::Generator;
use crate::rows::row;

const SCHEMA: &str = "
CREATE TABLE notices (id INTEGER PRIMARY KEY, dept TEXT, nature TEXT, procedure TEXT, social INTEGER NOT NULL,
  env INTEGER NOT NULL, reserved INTEGER NOT NULL, buyer_kind TEXT, kind TEXT NOT NULL, closed INTEGER NOT NULL,
  published INTEGER, deadline INTEGER, value INTEGER, title TEXT NOT NULL, description TEXT NOT NULL,
  lots TEXT NOT NULL, buyer TEXT NOT NULL);
CREATE TABLE notice_divisions (notice_id INTEGER NOT NULL, division TEXT NOT NULL,
  PRIMARY KEY (notice_id, division)) WITHOUT ROWID;
CREATE TABLE bits (facet TEXT NOT NULL, bit INTEGER NOT NULL, code TEXT NOT NULL);
CREATE VIRTUAL TABLE notices_fts USING fts5(title, description, lots, buyer, cpv, cpv_up, place, meta,
  content='', tokenize='unicode61 remove_diacritics 2');
";

/// Loads notices `0..n` into a new database at `path`.
pub async fn load(path: &Path, generator: &Generator, n: u64) -> Result<(), Error> {
    let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Off)
        .synchronous(SqliteSynchronous::Off)
        .pragma("cache_size", "-262144");
    let mut conn = SqliteConnection::connect_with(&options).await?;
    sqlx::raw_sql(SCHEMA).execute(&mut conn).await?;
    let mut tx = conn.begin().await?;
    for (facet, bit, code) in crate::baseline::bit_rows() {
        sqlx::query("INSERT INTO bits VALUES ($1, $2, $3)").bind(facet).bind(bit).bind(code).execute(&mut *tx).await?;
    }
    for i in 0..n {
        let r = row(i as i64, &generator.notice(i));
        sqlx::query(
            "INSERT INTO notices VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
        )
        .bind(r.id)
        .bind(&r.dept)
        .bind(r.nature)
        .bind(r.procedure)
        .bind(r.social)
        .bind(r.env)
        .bind(r.reserved)
        .bind(r.buyer_kind)
        .bind(r.kind)
        .bind(r.closed)
        .bind(r.published)
        .bind(r.deadline)
        .bind(r.value)
        .bind(&r.title)
        .bind(&r.description)
        .bind(&r.lots)
        .bind(&r.buyer)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO notices_fts (rowid, title, description, lots, buyer, cpv, cpv_up, place, meta) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(r.id)
        .bind(&r.title)
        .bind(&r.description)
        .bind(&r.lots)
        .bind(&r.buyer)
        .bind(&r.cpv)
        .bind(&r.cpv_up)
        .bind(&r.place)
        .bind(&r.meta)
        .execute(&mut *tx)
        .await?;
        for d in &r.divisions {
            sqlx::query("INSERT INTO notice_divisions VALUES ($1, $2)").bind(r.id).bind(d).execute(&mut *tx).await?;
        }
    }
    tx.commit().await?;
    sqlx::raw_sql(
        "CREATE INDEX notices_published ON notices (published);
         CREATE INDEX notices_deadline ON notices (deadline);
         CREATE INDEX notices_dept ON notices (dept);
         INSERT INTO notices_fts (notices_fts) VALUES ('optimize');
         ANALYZE;",
    )
    .execute(&mut conn)
    .await?;
    conn.close().await?;
    Ok(())
}

/// A pool of one read-only connection per client.
pub async fn open(path: &Path) -> Result<SqlitePool, Error> {
    let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))?
        .read_only(true)
        .pragma("mmap_size", "1073741824");
    Ok(SqlitePoolOptions::new()
        .min_connections(CLIENTS as u32)
        .max_connections(CLIENTS as u32)
        .connect_with(options)
        .await?)
}
