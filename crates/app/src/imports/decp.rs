//! DECP essential data — v1 consolidated JSON, v2 JSON or XML — imported record by record in
//! batches: the file is read on a blocking thread while the previous batch is written, so a
//! million records go through in flat memory.

use std::path::Path;

use formats::decp::{self, Contrat, Record};
use store::DecpRow;

use super::ImportReport;
use crate::{App, AppError};

/// A record's origin: mapped from v1 (with defaults for what v1 lacks), or read as v2.
pub(crate) const V1: &str = "decp-v1";
const V2: &str = "decp-v2";

/// Records per transaction.
const BATCH: usize = 2000;

/// The stored JSON of a record, back as a record (the format's own judge checks it again).
pub(crate) fn stored(json: &str) -> Result<Contrat, String> {
    let value: serde_json::Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    if value.get("autoriteConcedante").is_some() {
        decp::parse_concession(&value).map(|c| Contrat::Concession(Box::new(c)))
    } else {
        decp::parse_marche(&value).map(|m| Contrat::Marche(Box::new(m)))
    }
    .map_err(|e| format!("{} : {}", e.field, e.message))
}

fn row(contrat: &Contrat, origin: &str) -> Result<DecpRow, String> {
    let key = contrat.dedup_key();
    let (record, modifications) = match contrat {
        Contrat::Marche(m) => (serde_json::to_string(m), m.modifications.len()),
        Contrat::Concession(c) => (serde_json::to_string(c), c.modifications.len()),
    };
    let record = record.map_err(|e| e.to_string())?;
    Ok(DecpRow {
        uid: format!("{}/{}/{}", key.acheteur, key.id, key.date),
        acheteur_id: key.acheteur,
        notified_on: key.date,
        origin: origin.to_string(),
        version: i64::try_from(modifications).unwrap_or(i64::MAX),
        record,
    })
}

/// What the reading thread hands over: the rows of up to `BATCH` records and the rejections
/// met on the way (one hand-over a batch: waking the writer for each rejection cost more than
/// reading).
#[derive(Default)]
struct Batch {
    rows: Vec<DecpRow>,
    rejected: Vec<(u64, Option<String>, String)>,
}

impl App {
    pub(super) async fn import_decp(&self, path: &Path) -> Result<ImportReport, AppError> {
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Batch>(2);
        let owned = path.to_path_buf();
        let reader = tokio::task::spawn_blocking(move || -> Result<(), String> {
            let file = std::fs::File::open(&owned).map_err(|e| e.to_string())?;
            let xml = owned.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml"));
            let mut batch = Batch::default();
            let mut stopped = false;
            let summary = {
                let mut on_record = |r: Record| {
                    if stopped {
                        return;
                    }
                    match r.outcome {
                        Ok(contrat) => match row(&contrat, if r.completed { V1 } else { V2 }) {
                            Ok(row) => batch.rows.push(row),
                            Err(reason) => batch.rejected.push((r.index, Some(contrat.id().into()), reason)),
                        },
                        Err(rejection) => batch.rejected.push((rejection.index, rejection.id, rejection.reason)),
                    }
                    if batch.rows.len() + batch.rejected.len() >= BATCH {
                        // The importer stopped (a database error): stop reading too.
                        stopped = tx.blocking_send(std::mem::take(&mut batch)).is_err();
                    }
                };
                if xml { decp::read_decp_xml(file, &mut on_record) } else { decp::read_decp_json(file, &mut on_record) }
            };
            if !stopped {
                let _ = tx.blocking_send(batch);
            }
            summary.map(|_| ()).map_err(|e| e.to_string())
        });
        let mut report = ImportReport::default();
        let mut failure = None;
        while let Some(batch) = rx.recv().await {
            for (index, id, reason) in batch.rejected {
                report.read += 1;
                let at = match id {
                    Some(id) => format!("enregistrement {} (id {id})", index + 1),
                    None => format!("enregistrement {}", index + 1),
                };
                report.reject(at, reason);
            }
            report.read += i64::try_from(batch.rows.len()).unwrap_or(i64::MAX);
            match self.upsert_decp_batch(&batch.rows).await {
                Ok(counts) => {
                    let count = |c: u64| i64::try_from(c).unwrap_or(i64::MAX);
                    report.created += count(counts.created);
                    report.updated += count(counts.updated);
                    report.unchanged += count(counts.unchanged);
                }
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            }
        }
        drop(rx);
        let read = reader.await.map_err(|e| AppError::Internal(format!("import DECP : {e}")))?;
        if let Some(e) = failure {
            return Err(e);
        }
        // A file that is not DECP at all is unreadable; records read before a cut are kept
        // (each batch is whole) and the cut is reported.
        match read {
            Err(reason) if report.read == 0 => {
                Err(AppError::Conflict(format!("Fichier « {} » illisible : {reason}", path.display())))
            }
            Err(reason) => {
                report.reject("fin du fichier", reason);
                Ok(report)
            }
            Ok(()) => Ok(report),
        }
    }

    async fn upsert_decp_batch(&self, rows: &[DecpRow]) -> Result<store::UpsertCounts, AppError> {
        let mut tx = self.store.begin().await?;
        let counts = tx.upsert_decp(rows, self.now()).await?;
        tx.commit().await?;
        Ok(counts)
    }
}
