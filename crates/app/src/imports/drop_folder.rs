//! The drop folder: files put in `boamp/`, `eforms/`, `decp/` or `siae/` under it are imported,
//! then moved to `importes/KIND/` beside their report, or to `illisibles/KIND/` with the reason. Files
//! whose name starts with a dot, and files changed in the last seconds, are left alone: a file
//! still being copied is not imported half-way.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::{ImportKind, ImportReport};
use crate::{App, AppError};

const KINDS: [ImportKind; 4] = [ImportKind::Boamp, ImportKind::Eforms, ImportKind::Decp, ImportKind::Siae];
/// How long a file must have been left untouched before it is taken.
const SETTLED: Duration = Duration::from_secs(5);
pub const IMPORTED: &str = "importes";
pub const UNREADABLE: &str = "illisibles";

/// The files waiting in `dir/kind/`, by name.
fn waiting(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let now = SystemTime::now();
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .filter(|e| {
            e.metadata().is_ok_and(|m| {
                m.is_file() && m.modified().is_ok_and(|t| now.duration_since(t).is_ok_and(|age| age >= SETTLED))
            })
        })
        .map(|e| e.path())
        .collect();
    files.sort();
    files
}

/// Moves `file` into `dir/to/kind/`, prefixed with the time, and writes `text` beside it.
fn file_away(file: &Path, dir: &Path, to: &str, kind: ImportKind, stamp: &str, text: &str) -> std::io::Result<()> {
    let target_dir = dir.join(to).join(kind.code());
    std::fs::create_dir_all(&target_dir)?;
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let target = target_dir.join(format!("{stamp}-{name}"));
    std::fs::rename(file, &target)?;
    std::fs::write(target_dir.join(format!("{stamp}-{name}.rapport.txt")), format!("{text}\n"))
}

impl App {
    /// Imports every settled file of the drop folder `dir`; returns the reports of the files
    /// imported. A file that cannot be moved afterwards stays, and is reported in the log.
    pub async fn import_drop_folder(&self, dir: &Path) -> Result<Vec<ImportReport>, AppError> {
        let mut reports = Vec::new();
        for kind in KINDS {
            for file in waiting(&dir.join(kind.code())) {
                let stamp = self.now().strftime("%Y%m%dT%H%M%SZ").to_string();
                let moved = match self.import_file(kind, &file).await {
                    Ok(report) => {
                        let moved = file_away(&file, dir, IMPORTED, kind, &stamp, &report.summary());
                        reports.push(report);
                        moved
                    }
                    Err(AppError::Conflict(reason)) => file_away(&file, dir, UNREADABLE, kind, &stamp, &reason),
                    Err(other) => return Err(other),
                };
                if let Err(e) = moved {
                    tracing::warn!(file = %file.display(), error = %e, "imported file could not be filed away");
                }
            }
        }
        Ok(reports)
    }
}
