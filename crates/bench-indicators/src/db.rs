//! What the benchmark asks the database directly: row counts, its size, PostgreSQL's statistics.
//! The store has no method for these questions (the product never asks them); only the
//! benchmark runs this SQL, on its own throw-away database.

use std::path::PathBuf;

use sqlx::{AnyPool, Row};

use crate::Error;

/// The tables the indicators read, and those the generator fills beside them.
pub const TABLES: [&str; 14] = [
    "organisations",
    "users",
    "consultations",
    "lots",
    "awards",
    "award_holders",
    "siae_directory",
    "social_clauses",
    "beneficiaries",
    "beneficiary_identities",
    "placements",
    "hours_reports",
    "operations",
    "operation_contracts",
];

async fn pool(url: &str) -> Result<AnyPool, Error> {
    sqlx::any::install_default_drivers();
    Ok(AnyPool::connect(url).await?)
}

/// The SQLite file behind a `sqlite://` URL.
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite://")?;
    Some(PathBuf::from(rest.split('?').next().unwrap_or(rest)))
}

/// Rows per table, then the validated monthly reports.
pub async fn row_counts(url: &str) -> Result<Vec<(String, i64)>, Error> {
    let pool = pool(url).await?;
    let mut out = Vec::new();
    for table in TABLES {
        let n: i64 = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
            .fetch_one(&pool)
            .await?
            .try_get(0)?;
        out.push((table.to_string(), n));
    }
    let n: i64 = sqlx::query("SELECT COUNT(*) FROM hours_reports WHERE status = 'validee'")
        .fetch_one(&pool)
        .await?
        .try_get(0)?;
    out.push(("hours_reports (validated)".to_string(), n));
    pool.close().await;
    Ok(out)
}

/// The database's size on disk: the SQLite file (with its WAL, if any), or what PostgreSQL
/// reports for the database.
pub async fn size_bytes(url: &str) -> Result<u64, Error> {
    if let Some(path) = sqlite_path(url) {
        let mut total = std::fs::metadata(&path)?.len();
        let mut wal = path.into_os_string();
        wal.push("-wal");
        total += std::fs::metadata(&wal).map_or(0, |m| m.len());
        return Ok(total);
    }
    let pool = pool(url).await?;
    let n: i64 = sqlx::query("SELECT pg_database_size(current_database())").fetch_one(&pool).await?.try_get(0)?;
    pool.close().await;
    Ok(u64::try_from(n)?)
}

/// PostgreSQL: what autovacuum does on its own within a minute or so of a bulk load, done now so
/// that the measure does not depend on when it wakes up. SQLite is left as the product leaves
/// it (Halle never runs ANALYZE there).
pub async fn analyze(url: &str) -> Result<(), Error> {
    if sqlite_path(url).is_some() {
        return Ok(());
    }
    let pool = pool(url).await?;
    sqlx::query("ANALYZE").execute(&pool).await?;
    pool.close().await;
    Ok(())
}
