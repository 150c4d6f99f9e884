//! DECP, the données essentielles de la commande publique: the v2 model (schema 2.0.3, marchés
//! and contrats de concession), readers for v2 JSON and XML and for the v1 consolidated JSON
//! (mapped to v2), and v2 writers in JSON and XML.
//!
//! Reading is record by record: each record gives a [`Record`] holding either a [`Contrat`]
//! that meets every constraint of the v2 schema (so that it exports valid) or a [`Rejection`]
//! with a reason in French. A bad record never stops the batch; only input that is not JSON
//! (or XML) at all, or not a DECP document, ends the read with a [`DecpError`].
//!
//! - [`model`]: the types.
//! - `parse`: the v2 judge (a JSON value in the v2 shape → model, or the first broken rule).
//! - `v1`: the lenient v1 → v2 mapping (defaults for what v1 lacks are documented there).
//! - [`read_decp_json`] (streaming, both layouts), [`read_decp_xml`].
//! - [`write_decp_json`], [`write_decp_xml`] (streaming).

pub mod model;
mod parse;
mod read_json;
mod read_xml;
mod v1;
mod write_json;
mod write_xml;

use std::fmt;

pub use model::*;
pub use parse::{parse_concession, parse_marche};
pub use read_json::{Layout, ReadSummary, read_decp_json};
pub use read_xml::read_decp_xml;
pub use write_json::write_decp_json;
pub use write_xml::write_decp_xml;

/// The rule a rejected record breaks, for counting rejections in an import report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    /// The record is not an object, or not a marché nor a concession.
    Structure,
    /// A required property is missing (or `null`, or an empty string in v1).
    ChampAbsent,
    /// A property has the wrong JSON type.
    TypeInvalide,
    /// A value is not one of the enumeration's.
    ValeurInconnue,
    /// A date, SIRET or CPV code does not have the required form.
    FormatInvalide,
    /// A number or a length is out of bounds.
    HorsLimites,
    /// A property the v2 schema does not know.
    ProprieteInconnue,
    /// A list that must hold at least one item is empty.
    ListeVide,
    /// v1: a titulaire or concessionnaire without identifier type whose identifier is not a
    /// valid SIRET.
    TitulaireNonIdentifie,
}

impl Rule {
    /// A short French label, for reports.
    pub fn label(self) -> &'static str {
        match self {
            Rule::Structure => "structure",
            Rule::ChampAbsent => "champ absent",
            Rule::TypeInvalide => "type invalide",
            Rule::ValeurInconnue => "valeur inconnue",
            Rule::FormatInvalide => "format invalide",
            Rule::HorsLimites => "hors limites",
            Rule::ProprieteInconnue => "propriété inconnue",
            Rule::ListeVide => "liste vide",
            Rule::TitulaireNonIdentifie => "titulaire non identifié",
        }
    }
}

/// A broken rule inside one record (before the record's index and id are known).
#[derive(Debug, Clone, PartialEq)]
pub struct Invalid {
    /// Where: a path in the v2 JSON shape (`titulaires[0].titulaire.id`), empty for the record.
    pub field: String,
    pub rule: Rule,
    /// What, in French, without the path.
    pub message: String,
}

impl Invalid {
    pub(crate) fn new(field: impl Into<String>, rule: Rule, message: impl Into<String>) -> Self {
        Invalid { field: field.into(), rule, message: message.into() }
    }

    fn reason(&self) -> String {
        if self.field.is_empty() { self.message.clone() } else { format!("{} : {}", self.field, self.message) }
    }
}

/// A record that was not imported, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    /// 0-based position of the record in the file (all lists together, in document order).
    pub index: u64,
    /// The record's `id`, when it has one.
    pub id: Option<String>,
    /// Where (a v2 path, see [`Invalid::field`]).
    pub field: String,
    pub rule: Rule,
    /// In French, for the import report, e.g. `dateNotification : champ obligatoire absent`.
    pub reason: String,
}

impl Rejection {
    pub(crate) fn new(index: u64, id: Option<String>, invalid: Invalid) -> Self {
        let reason = invalid.reason();
        Rejection { index, id, field: invalid.field, rule: invalid.rule, reason }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "enregistrement n° {}", self.index + 1)?;
        if let Some(id) = &self.id {
            write!(f, " (id « {id} »)")?;
        }
        write!(f, " rejeté : {}", self.reason)
    }
}

/// One record read: its 0-based position and what became of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub index: u64,
    pub outcome: Result<Contrat, Rejection>,
    /// Mapped from v1: what v1 lacks holds the documented defaults (see `v1`), not facts.
    pub completed: bool,
}

/// What ends a read: the input is not JSON (or XML), is cut short, or is not a DECP document.
/// Messages are in French (they reach import reports).
#[derive(Debug, thiserror::Error)]
pub enum DecpError {
    #[error("erreur de lecture : {0}")]
    Io(#[from] std::io::Error),
    /// Not JSON, or truncated; `line` and `column` are 1-based.
    #[error("ligne {line}, colonne {column} : JSON invalide ({message})")]
    Json { line: u64, column: u64, message: String },
    /// Not XML, or truncated.
    #[error("XML invalide : {0}")]
    Xml(crate::FormatError),
    /// Well-formed, but not a DECP document (no `marches`, wrong root…).
    #[error("{0}")]
    Layout(String),
}

impl DecpError {
    /// The line the error points at, if any.
    pub fn line(&self) -> Option<u64> {
        match self {
            DecpError::Json { line, .. } => Some(*line),
            DecpError::Xml(e) => e.line(),
            DecpError::Io(_) | DecpError::Layout(_) => None,
        }
    }
}

/// The `id` of a raw record, when it is a string or a number.
pub(crate) fn raw_id(value: &serde_json::Value) -> Option<String> {
    match value.get("id")? {
        serde_json::Value::String(s) => Some(s.trim().to_string()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Which list of the v2 layout a record comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Marche,
    Concession,
}

/// Judges one raw v2 record.
pub(crate) fn judge_v2(index: u64, kind: Kind, value: &serde_json::Value) -> Record {
    let outcome = match kind {
        Kind::Marche => parse_marche(value).map(|m| Contrat::Marche(Box::new(m))),
        Kind::Concession => parse_concession(value).map(|c| Contrat::Concession(Box::new(c))),
    };
    Record { index, outcome: outcome.map_err(|e| Rejection::new(index, raw_id(value), e)), completed: false }
}
