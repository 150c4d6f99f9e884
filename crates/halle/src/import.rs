//! `halle import KIND PATH…`: every file (a folder: every file in it, by name), one report each.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use app::{App, ImportKind};

/// The files `paths` name: files as given, folders' files sorted by name (hidden ones skipped).
pub fn files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut inside: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| format!("{} : {e}", p.display()))?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|f| f.is_file() && !is_hidden(f))
                .collect();
            inside.sort();
            out.extend(inside);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn is_hidden(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'))
}

/// Imports each file; exit 1 if any file could not be read at all (its records untouched),
/// 0 otherwise — rejected records are reported, not failures of the run.
pub async fn run(app: &App, kind: ImportKind, paths: &[PathBuf]) -> Result<ExitCode, String> {
    let mut failed = false;
    for file in files(paths)? {
        match app.import_file(kind, &file).await {
            Ok(report) => println!("{}", report.summary()),
            Err(e) => {
                failed = true;
                let message = match e {
                    app::AppError::Conflict(m) => m,
                    other => other.to_string(),
                };
                eprintln!("halle : {message}");
            }
        }
    }
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}
