//! What an import did, record by record.

use jiff::Timestamp;

/// A record that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// Where it is in the file: `ligne 12`, `avis 26-26124`, `enregistrement 7`…
    pub record: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub kind: String,
    pub file: String,
    pub read: i64,
    /// New records.
    pub created: i64,
    /// Records known with another content, now updated.
    pub updated: i64,
    /// Records known with the same content.
    pub unchanged: i64,
    /// Records folded into another: the same tender from another source, a notice of change,
    /// cancellation or result applied to its notice.
    pub merged: i64,
    /// Fine records that are not for this portal (outside Île-de-France).
    pub skipped: i64,
    pub rejected: Vec<Rejection>,
}

impl ImportReport {
    pub fn reject(&mut self, record: impl Into<String>, reason: impl Into<String>) {
        self.rejected.push(Rejection { record: record.into(), reason: reason.into() });
    }

    /// The report in French, one line per rejected record after the counts.
    pub fn summary(&self) -> String {
        let mut out = format!(
            "{} : {} enregistrement(s) lu(s) — {} créé(s), {} mis à jour, {} inchangé(s), {} rattaché(s) à un avis existant, {} hors Île-de-France, {} rejeté(s).",
            self.file,
            self.read,
            self.created,
            self.updated,
            self.unchanged,
            self.merged,
            self.skipped,
            self.rejected.len()
        );
        for r in &self.rejected {
            out.push_str(&format!("\n  rejeté — {} : {}", r.record, r.reason));
        }
        out
    }

    pub(crate) fn run(&self, started: Timestamp, finished: Timestamp) -> store::ImportRun {
        let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        store::ImportRun {
            kind: self.kind.clone(),
            file: self.file.clone(),
            started_at: Some(started),
            finished_at: Some(finished),
            read: self.read,
            created: self.created,
            updated: self.updated,
            unchanged: self.unchanged,
            merged: self.merged,
            skipped: self.skipped,
            rejected: count(self.rejected.len()),
            report: self.rejected.iter().map(|r| format!("{} : {}", r.record, r.reason)).collect::<Vec<_>>().join("\n"),
        }
    }
}
