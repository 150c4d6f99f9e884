//! Throw-away databases for tests: a SQLite file in a temporary folder, and, when
//! `HALLE_TEST_DATABASE_URL` points at a PostgreSQL server (as `cargo xtask test` arranges),
//! a fresh PostgreSQL database on it.

use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::Executor;

use crate::{Backend, Store};

pub const PG_URL_VAR: &str = "HALLE_TEST_DATABASE_URL";

/// A store that lives as long as this value (the SQLite folder is removed on drop).
pub struct TestDb {
    pub store: Store,
    pub backend: Backend,
    _dir: Option<tempfile::TempDir>,
}

pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("temporary folder");
    let url = format!("sqlite://{}/halle.db", dir.path().display());
    let store = Store::connect(&url).await.expect("SQLite store");
    TestDb { store, backend: Backend::Sqlite, _dir: Some(dir) }
}

/// A new, empty PostgreSQL database, or `None` when no server was given.
pub async fn postgres() -> Option<TestDb> {
    let base = std::env::var(PG_URL_VAR).ok().filter(|u| !u.is_empty())?;
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "halle_t_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0)
    );
    sqlx::any::install_default_drivers();
    let admin = sqlx::AnyPool::connect(&base).await.expect("connect to the test PostgreSQL server");
    admin.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).await.expect("create a test database");
    admin.close().await;
    let url = match base.rsplit_once('/') {
        Some((server, _)) => format!("{server}/{name}"),
        None => panic!("{PG_URL_VAR} must end with /database"),
    };
    let store = Store::connect(&url).await.expect("PostgreSQL store");
    Some(TestDb { store, backend: Backend::Postgres, _dir: None })
}

/// SQLite always, PostgreSQL too when available: the conformance suites run on each.
pub async fn all() -> Vec<TestDb> {
    let mut v = vec![sqlite().await];
    if let Some(pg) = postgres().await {
        v.push(pg);
    }
    v
}
