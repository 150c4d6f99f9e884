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
    /// How many records were rejected.
    pub rejected_count: i64,
    /// The first [`DETAILED`] of them, with their reason (a million bad records must not fill
    /// the memory nor the report).
    pub rejected: Vec<Rejection>,
}

/// Rejections listed one by one in a report; the others are counted.
pub const DETAILED: usize = 1000;

impl ImportReport {
    pub fn reject(&mut self, record: impl Into<String>, reason: impl Into<String>) {
        self.rejected_count += 1;
        if self.rejected.len() < DETAILED {
            self.rejected.push(Rejection { record: record.into(), reason: reason.into() });
        }
    }

    /// The report in French, one line per rejected record after the counts.
    pub fn summary(&self) -> String {
        let mut counts = vec![
            format!("{} créé(s)", self.created),
            format!("{} mis à jour", self.updated),
            format!("{} inchangé(s)", self.unchanged),
        ];
        if self.merged > 0 {
            counts.push(format!("{} rattaché(s) à un avis existant", self.merged));
        }
        if self.skipped > 0 {
            counts.push(format!("{} hors Île-de-France", self.skipped));
        }
        counts.push(format!("{} rejeté(s)", self.rejected_count));
        let mut out = format!("{} : {} enregistrement(s) lu(s) — {}.", self.file, self.read, counts.join(", "));
        for r in &self.rejected {
            out.push_str(&format!("\n  rejeté — {} : {}", r.record, r.reason));
        }
        let beyond = self.rejected_count - i64::try_from(self.rejected.len()).unwrap_or(0);
        if beyond > 0 {
            out.push_str(&format!("\n  … et {beyond} autre(s) rejet(s)."));
        }
        out
    }

    pub(crate) fn run(&self, started: Timestamp, finished: Timestamp) -> store::ImportRun {
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
            rejected: self.rejected_count,
            report: self.rejected.iter().map(|r| format!("{} : {}", r.record, r.reason)).collect::<Vec<_>>().join("\n"),
        }
    }
}
