//! The only place that speaks SQL. One `Store` over SQLite (default, one file, WAL, a single
//! writer) or PostgreSQL, chosen by the URL. Queries are written once in the SQL both engines
//! share (`$n` placeholders, `RETURNING`, integers for time); the schema has one migration
//! folder per engine. The store never decides who may do what.

mod audit;
mod awards;
mod backup_copies;
mod beneficiaries;
mod bids;
mod changes;
mod codec;
mod connect;
mod consultations;
mod documents;
mod emails;
mod error;
mod imports;
mod notices;
mod operations;
mod organisations;
mod penalties;
mod placements;
mod practices;
mod records;
mod registers;
mod saved_searches;
mod social_clauses;
mod transparency;
mod users;

#[cfg(feature = "test-support")]
pub mod test_support;

pub use audit::AuditEvent;
pub use changes::{Change, ChangeEntity};
pub use connect::Backend;
pub use error::StoreError;
pub use imports::{DecpRow, ImportRun, SiaeRow, Upsert, UpsertCounts};
pub use notices::{KnownNotice, NoticeFilter, NoticeLink, NoticeRecord};
pub use practices::{NewPracticeAttachment, PracticeAttachment, PracticeComment, PracticeFilter, PracticeRecord};
pub use records::*;
pub use saved_searches::{DceChange, PendingMatch, SavedSearch};

use sqlx::AnyPool;

/// Handle on the database; cheap to clone.
#[derive(Clone)]
pub struct Store {
    /// Reads go here (several connections; WAL lets them run beside the writer).
    read: AnyPool,
    /// Writes go here: on SQLite a single connection, so writers queue in the application
    /// instead of failing with SQLITE_BUSY; on PostgreSQL the same pool as reads.
    write: AnyPool,
    backend: Backend,
}

/// A write transaction. Everything a use case changes, including its audit entries, goes
/// through one `Tx` and lands together or not at all.
pub struct Tx {
    inner: sqlx::Transaction<'static, sqlx::Any>,
    backend: Backend,
}

impl Store {
    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub async fn begin(&self) -> Result<Tx, StoreError> {
        Ok(Tx { inner: self.write.begin().await?, backend: self.backend })
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.read).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
    }
}

impl Tx {
    pub async fn commit(self) -> Result<(), StoreError> {
        self.inner.commit().await?;
        Ok(())
    }
}
