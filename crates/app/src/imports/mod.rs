//! Imports: notices published elsewhere (BOAMP, TED eForms), contracts' essential data (DECP v1
//! and v2), the directory of inclusive employers (SIAE). Run by the operator (`halle import`) or
//! by the drop-folder job. A bad record never stops a batch: it is listed in the report with its
//! reason; re-importing the same files changes nothing.

pub(crate) mod decp;
mod drop_folder;
mod notices;
mod report;
mod siae;
mod sources;

pub use notices::source_label;
pub use report::{ImportReport, Rejection};

use std::path::Path;

use crate::{App, AppError};

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    /// BOAMP notices: the flattened open-data CSV, or one legacy XML notice.
    Boamp,
    /// One TED eForms notice (XML).
    Eforms,
    /// DECP essential data: v1 or v2 JSON, v2 XML.
    Decp,
    /// The SIAE directory (CSV).
    Siae,
}

impl ImportKind {
    pub fn parse(s: &str) -> Result<ImportKind, String> {
        match s {
            "boamp" => Ok(ImportKind::Boamp),
            "eforms" => Ok(ImportKind::Eforms),
            "decp" => Ok(ImportKind::Decp),
            "siae" => Ok(ImportKind::Siae),
            other => Err(format!("« {other} » : type d’import inconnu (boamp, eforms, decp ou siae).")),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            ImportKind::Boamp => "boamp",
            ImportKind::Eforms => "eforms",
            ImportKind::Decp => "decp",
            ImportKind::Siae => "siae",
        }
    }
}

impl App {
    /// Imports one file; the report says what became of each record and is kept in the
    /// database. An unreadable file is an error (nothing imported), not a report.
    pub async fn import_file(&self, kind: ImportKind, path: &Path) -> Result<ImportReport, AppError> {
        let started = self.now();
        let file = path.display().to_string();
        let mut report = match kind {
            ImportKind::Boamp | ImportKind::Eforms => {
                let records = sources::read_notices(kind, path).await?;
                self.import_notices(records).await?
            }
            ImportKind::Siae => self.import_siae(path).await?,
            ImportKind::Decp => self.import_decp(path).await?,
        };
        report.kind = kind.code().into();
        report.file = file;
        let mut tx = self.store.begin().await?;
        tx.insert_import_run(&report.run(started, self.now()), self.now()).await?;
        tx.commit().await?;
        Ok(report)
    }
}
