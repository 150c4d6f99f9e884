use thiserror::Error;

/// Everything that can go wrong while reading an input file.
///
/// Line numbers are 1-based physical lines of the input (a CSV header is line 1); a CSV record
/// spanning several lines (quoted line breaks) is reported at the line where it starts, an XML
/// element at the line of its start tag.
#[derive(Debug, Error)]
pub enum FormatError {
    /// The underlying reader failed.
    #[error("read error: {0}")]
    Io(#[from] std::io::Error),

    /// The input is not well-formed CSV (wrong number of fields, invalid UTF-8…).
    #[error("line {line}: malformed CSV: {message}")]
    Csv { line: u64, message: String },

    /// The header lacks a column the reader needs.
    #[error("missing column `{column}` in the header")]
    MissingColumn { column: &'static str },

    /// A field holds a value the reader cannot accept.
    #[error("line {line}: column `{column}`: {message}")]
    Field { line: u64, column: &'static str, message: String },

    /// The input is not well-formed XML (unclosed or mismatched tags, unknown entity, invalid
    /// UTF-8, nesting too deep…).
    #[error("line {line}: malformed XML: {message}")]
    Xml { line: u64, message: String },

    /// An XML element is missing or holds a value the reader cannot accept; `line` is where
    /// the element (or, when it is missing, its parent) starts.
    #[error("line {line}: element `{element}`: {message}")]
    Element { line: u64, element: &'static str, message: String },

    /// A record (a CSV row, an eForms notice) or the whole file was rejected; the reason is in
    /// French, for the people who run imports.
    #[error("{0}")]
    Record(#[from] RecordError),
}

impl FormatError {
    /// The line the error points at, if any.
    pub fn line(&self) -> Option<u64> {
        match self {
            FormatError::Csv { line, .. }
            | FormatError::Field { line, .. }
            | FormatError::Xml { line, .. }
            | FormatError::Element { line, .. }
            | FormatError::Record(RecordError { line, .. }) => Some(*line),
            FormatError::Io(_) | FormatError::MissingColumn { .. } => None,
        }
    }

    pub(crate) fn field(line: u64, column: &'static str, message: impl Into<String>) -> Self {
        FormatError::Field { line, column, message: message.into() }
    }

    pub(crate) fn element(line: u64, element: &'static str, message: impl Into<String>) -> Self {
        FormatError::Element { line, element, message: message.into() }
    }
}

impl From<csv::Error> for FormatError {
    fn from(err: csv::Error) -> Self {
        let line = err.position().map(|p| p.line()).unwrap_or(0);
        let message = err.to_string();
        match err.into_kind() {
            csv::ErrorKind::Io(io) => FormatError::Io(io),
            _ => FormatError::Csv { line, message },
        }
    }
}

/// Why one record of a batch was not read. Readers that yield these never stop at a bad
/// record: the next one is read. A failure of the whole file (not CSV at all, a column missing
/// from the header, an unreadable input) is one `RecordError` too, after which nothing follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    /// 1-based line where the record starts (the header is line 1 of a CSV file; an XML
    /// notice's error points at the element concerned).
    pub line: u64,
    /// The record's identifier when it could be read: BOAMP `idweb`, SIRET, eForms notice id.
    pub id: Option<String>,
    /// What is wrong, in French: which field, what was found, what was expected.
    pub reason: String,
}

impl RecordError {
    pub(crate) fn new(line: u64, id: Option<String>, reason: impl Into<String>) -> Self {
        RecordError { line, id, reason: reason.into() }
    }
}

impl std::fmt::Display for RecordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ligne {}", self.line)?;
        if let Some(id) = &self.id {
            write!(f, " ({id})")?;
        }
        write!(f, " : {}", self.reason)
    }
}

impl std::error::Error for RecordError {}
