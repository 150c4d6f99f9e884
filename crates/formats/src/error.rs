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
}

impl FormatError {
    /// The line the error points at, if any.
    pub fn line(&self) -> Option<u64> {
        match self {
            FormatError::Csv { line, .. }
            | FormatError::Field { line, .. }
            | FormatError::Xml { line, .. }
            | FormatError::Element { line, .. } => Some(*line),
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
