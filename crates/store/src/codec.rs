//! How domain values sit in columns both engines understand: integers and text.

use jiff::Timestamp;

use crate::StoreError;

/// Turns a stored code back into its domain value, or says the row is corrupt.
pub(crate) fn decode<T>(parsed: Result<T, String>) -> Result<T, StoreError> {
    parsed.map_err(StoreError::Corrupt)
}

pub(crate) fn secs(ts: Timestamp) -> i64 {
    ts.as_second()
}

pub(crate) fn ts(secs: i64) -> Timestamp {
    domain::paris_time::from_seconds(secs)
}

/// Lists of codes are kept as one text column, separated by `|` (no code contains it).
pub(crate) fn join<T>(items: &[T], code: impl Fn(&T) -> &str) -> String {
    items.iter().map(code).collect::<Vec<_>>().join("|")
}

pub(crate) fn split(text: &str) -> impl Iterator<Item = &str> {
    text.split('|').filter(|s| !s.is_empty())
}
