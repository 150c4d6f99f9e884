use std::borrow::Cow;
use std::time::Duration;

use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{Executor, SqlSafeStr};

use crate::{Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// One entry per migration, the same versions in both folders.
const MIGRATIONS: &[(i64, &str, &str, &str)] = &[
    (
        1,
        "init",
        include_str!("../migrations/sqlite/0001_init.sql"),
        include_str!("../migrations/postgres/0001_init.sql"),
    ),
    (
        2,
        "bids",
        include_str!("../migrations/sqlite/0002_bids.sql"),
        include_str!("../migrations/postgres/0002_bids.sql"),
    ),
    (
        3,
        "opening",
        include_str!("../migrations/sqlite/0003_opening.sql"),
        include_str!("../migrations/postgres/0003_opening.sql"),
    ),
    (
        4,
        "test_consultation",
        include_str!("../migrations/sqlite/0004_test_consultation.sql"),
        include_str!("../migrations/postgres/0004_test_consultation.sql"),
    ),
    (
        5,
        "transparency",
        include_str!("../migrations/sqlite/0005_transparency.sql"),
        include_str!("../migrations/postgres/0005_transparency.sql"),
    ),
    (
        6,
        "awards",
        include_str!("../migrations/sqlite/0006_awards.sql"),
        include_str!("../migrations/postgres/0006_awards.sql"),
    ),
    (
        7,
        "backup_copies",
        include_str!("../migrations/sqlite/0007_backup_copies.sql"),
        include_str!("../migrations/postgres/0007_backup_copies.sql"),
    ),
    (
        8,
        "lot_opening",
        include_str!("../migrations/sqlite/0008_lot_opening.sql"),
        include_str!("../migrations/postgres/0008_lot_opening.sql"),
    ),
    (
        9,
        "award_decp",
        include_str!("../migrations/sqlite/0009_award_decp.sql"),
        include_str!("../migrations/postgres/0009_award_decp.sql"),
    ),
    (
        10,
        "imports",
        include_str!("../migrations/sqlite/0010_imports.sql"),
        include_str!("../migrations/postgres/0010_imports.sql"),
    ),
    (
        11,
        "change_feed",
        include_str!("../migrations/sqlite/0011_change_feed.sql"),
        include_str!("../migrations/postgres/0011_change_feed.sql"),
    ),
    (
        12,
        "notice_details",
        include_str!("../migrations/sqlite/0012_notice_details.sql"),
        include_str!("../migrations/postgres/0012_notice_details.sql"),
    ),
    (
        13,
        "saved_searches",
        include_str!("../migrations/sqlite/0013_saved_searches.sql"),
        include_str!("../migrations/postgres/0013_saved_searches.sql"),
    ),
    (
        14,
        "social_clauses",
        include_str!("../migrations/sqlite/0014_social_clauses.sql"),
        include_str!("../migrations/postgres/0014_social_clauses.sql"),
    ),
    (
        15,
        "beneficiaries",
        include_str!("../migrations/sqlite/0015_beneficiaries.sql"),
        include_str!("../migrations/postgres/0015_beneficiaries.sql"),
    ),
    (
        16,
        "placements",
        include_str!("../migrations/sqlite/0016_placements.sql"),
        include_str!("../migrations/postgres/0016_placements.sql"),
    ),
    (
        17,
        "operations",
        include_str!("../migrations/sqlite/0017_operations.sql"),
        include_str!("../migrations/postgres/0017_operations.sql"),
    ),
    (
        18,
        "practices",
        include_str!("../migrations/sqlite/0018_practices.sql"),
        include_str!("../migrations/postgres/0018_practices.sql"),
    ),
    (
        19,
        "placement_outcomes",
        include_str!("../migrations/sqlite/0019_placement_outcomes.sql"),
        include_str!("../migrations/postgres/0019_placement_outcomes.sql"),
    ),
    (
        20,
        "practice_attachments",
        include_str!("../migrations/sqlite/0020_practice_attachments.sql"),
        include_str!("../migrations/postgres/0020_practice_attachments.sql"),
    ),
    (
        21,
        "penalties",
        include_str!("../migrations/sqlite/0021_penalties.sql"),
        include_str!("../migrations/postgres/0021_penalties.sql"),
    ),
    (
        22,
        "operation_sme_target",
        include_str!("../migrations/sqlite/0022_operation_sme_target.sql"),
        include_str!("../migrations/postgres/0022_operation_sme_target.sql"),
    ),
];

impl Store {
    /// Opens (creating if needed) and migrates the database at `url`:
    /// `sqlite://path/to/halle.db` or `postgres://user@host:port/db`.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let store = if url.starts_with("sqlite:") {
            let url = if url.contains("mode=") {
                url.to_string()
            } else if url.contains('?') {
                format!("{url}&mode=rwc")
            } else {
                format!("{url}?mode=rwc")
            };
            // The writer's page cache holds the indexes a large import keeps inserting into.
            let write = sqlite_pool(&url, 1, Some(WRITER_CACHE_KIB)).await?;
            // WAL is a property of the file: set once, readers then never block the writer.
            write.execute("PRAGMA journal_mode = WAL").await?;
            let read = sqlite_pool(&url, 8, None).await?;
            Store { read, write, backend: Backend::Sqlite }
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let pool =
                AnyPoolOptions::new().max_connections(16).acquire_timeout(Duration::from_secs(10)).connect(url).await?;
            Store { read: pool.clone(), write: pool, backend: Backend::Postgres }
        } else {
            return Err(StoreError::Corrupt(format!(
                "unsupported database URL (expected sqlite:// or postgres://): {url}"
            )));
        };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        let migrations = MIGRATIONS
            .iter()
            .map(|(version, name, sqlite, postgres)| {
                let sql = match self.backend {
                    Backend::Sqlite => *sqlite,
                    Backend::Postgres => *postgres,
                };
                Migration::new(*version, Cow::Borrowed(*name), MigrationType::Simple, sql.into_sql_str(), false)
            })
            .collect();
        Migrator::with_migrations(migrations).run(&self.write).await?;
        Ok(())
    }
}

/// The single SQLite writer's page cache (SQLite's default is 2 MiB).
const WRITER_CACHE_KIB: i64 = 64 * 1024;

async fn sqlite_pool(url: &str, max: u32, cache_kib: Option<i64>) -> Result<AnyPool, StoreError> {
    Ok(AnyPoolOptions::new()
        .max_connections(max)
        .acquire_timeout(Duration::from_secs(30))
        .after_connect(move |conn, _| {
            Box::pin(async move {
                // Durable at each checkpoint, fast at each commit; the WAL keeps it consistent.
                conn.execute("PRAGMA synchronous = NORMAL").await?;
                conn.execute("PRAGMA busy_timeout = 10000").await?;
                conn.execute("PRAGMA foreign_keys = ON").await?;
                if let Some(kib) = cache_kib {
                    conn.execute(sqlx::AssertSqlSafe(format!("PRAGMA cache_size = -{kib}"))).await?;
                }
                Ok(())
            })
        })
        .connect(url)
        .await?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn both_backends_list_the_same_migrations() {
        let dir = |b: &str| {
            let mut v: Vec<String> = std::fs::read_dir(format!("{}/migrations/{b}", env!("CARGO_MANIFEST_DIR")))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            v.sort();
            v
        };
        assert_eq!(dir("sqlite"), dir("postgres"));
        assert_eq!(dir("sqlite").len(), super::MIGRATIONS.len());
    }
}
