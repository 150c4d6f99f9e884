//! The directory of inclusive employers (SIAE, EA, ESAT, GEIQ…): whom a facilitator and a buyer
//! with a reserved market can turn to. A SIRET that fails its check digit is reported, never
//! imported silently.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::path::Path;

use domain::siret::Siret;
use store::{SiaeRow, Upsert};

use super::ImportReport;
use crate::{App, AppError};

/// Employers per transaction.
const BATCH: usize = 500;

impl App {
    pub(super) async fn import_siae(&self, path: &Path) -> Result<ImportReport, AppError> {
        let owned = path.to_path_buf();
        let records = tokio::task::spawn_blocking(move || -> Result<Vec<_>, String> {
            let file = std::fs::File::open(&owned).map_err(|e| e.to_string())?;
            Ok(formats::siae_records(std::io::BufReader::new(file)).collect())
        })
        .await
        .map_err(|e| AppError::Internal(format!("import: {e}")))?
        .map_err(|e| AppError::Conflict(format!("Fichier « {} » illisible : {e}", path.display())))?;
        let mut report = ImportReport { read: i64::try_from(records.len()).unwrap_or(i64::MAX), ..Default::default() };
        // The first of several records with the same SIRET wins; the others are reported, so a
        // re-import finds everything unchanged.
        let mut seen = HashMap::new();
        let mut tx = self.store.begin().await?;
        let mut in_tx = 0;
        for r in records {
            let s = match r {
                Ok(s) => s,
                Err(e) => {
                    report.reject(format!("ligne {}", e.line), e.reason);
                    continue;
                }
            };
            let siret = match Siret::parse(&s.siret) {
                Ok(siret) => siret,
                Err(reason) => {
                    report.reject(format!("SIRET {} ({})", s.siret, s.name), reason);
                    continue;
                }
            };
            match seen.entry(siret.to_string()) {
                Entry::Occupied(first) => {
                    let reason = format!("déjà présent dans ce fichier ({}).", first.get());
                    report.reject(format!("SIRET {siret} ({})", s.name), reason);
                    continue;
                }
                Entry::Vacant(slot) => {
                    slot.insert(s.name.clone());
                }
            }
            let row = SiaeRow {
                siret: siret.to_string(),
                name: s.name,
                kind: s.kind,
                departement: s.departement,
                city: s.city,
                brand: s.brand,
                naf: s.naf,
                address: s.address,
                post_code: s.post_code,
            };
            match tx.upsert_siae(&row, self.now()).await? {
                Upsert::Created => report.created += 1,
                Upsert::Updated => report.updated += 1,
                Upsert::Unchanged => report.unchanged += 1,
            }
            // Short transactions: the single SQLite writer also serves deposits meanwhile.
            in_tx += 1;
            if in_tx == BATCH {
                tx.commit().await?;
                tx = self.store.begin().await?;
                in_tx = 0;
            }
        }
        tx.commit().await?;
        Ok(report)
    }
}
