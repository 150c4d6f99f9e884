//! Small text helpers shared by the readers.

use std::io::Read;

use crate::{FormatError, RecordError};

/// Repairs Windows-1252 mis-decodings: a byte 0x80..=0x9F of a cp1252 text read as Latin-1
/// becomes the C1 control character U+0080..=U+009F (e.g. U+009C where "œ" was meant). Each
/// such character is replaced by its cp1252 meaning; the five bytes cp1252 leaves undefined
/// (0x81, 0x8D, 0x8F, 0x90, 0x9D) are dropped. Line breaks inside the value are normalised
/// to `\n`.
pub(crate) fn clean(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\u{80}'..='\u{9f}' => {
                if let Some(r) = cp1252_c1(c) {
                    out.push(r);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// The character cp1252 assigns to the byte whose Latin-1 reading is `c` (U+0080..=U+009F).
fn cp1252_c1(c: char) -> Option<char> {
    Some(match c {
        '\u{80}' => '€',
        '\u{82}' => '‚',
        '\u{83}' => 'ƒ',
        '\u{84}' => '„',
        '\u{85}' => '…',
        '\u{86}' => '†',
        '\u{87}' => '‡',
        '\u{88}' => 'ˆ',
        '\u{89}' => '‰',
        '\u{8a}' => 'Š',
        '\u{8b}' => '‹',
        '\u{8c}' => 'Œ',
        '\u{8e}' => 'Ž',
        '\u{91}' => '‘',
        '\u{92}' => '’',
        '\u{93}' => '“',
        '\u{94}' => '”',
        '\u{95}' => '•',
        '\u{96}' => '–',
        '\u{97}' => '—',
        '\u{98}' => '˜',
        '\u{99}' => '™',
        '\u{9a}' => 'š',
        '\u{9b}' => '›',
        '\u{9c}' => 'œ',
        '\u{9e}' => 'ž',
        '\u{9f}' => 'Ÿ',
        _ => return None,
    })
}

/// Lower-cases, removes French diacritics, expands ligatures and turns every character that is
/// not a letter or digit into a single space, with one space at each end: `" maitrise d oeuvre "`.
/// Used for accent- and case-insensitive keyword matching at word starts.
pub(crate) fn fold(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push(' ');
    for c in value.chars().flat_map(char::to_lowercase) {
        let mapped: &str = match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => "a",
            'ç' => "c",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'î' | 'ï' | 'í' | 'ì' => "i",
            'ô' | 'ö' | 'ó' | 'ò' | 'õ' => "o",
            'ù' | 'û' | 'ü' | 'ú' => "u",
            'ÿ' | 'ý' => "y",
            'ñ' => "n",
            'œ' => "oe",
            'æ' => "ae",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            c if c.is_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => " ",
        };
        if mapped == " " {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push_str(mapped);
        }
    }
    if !out.ends_with(' ') {
        out.push(' ');
    }
    out
}

/// `YYYY-MM-DD` with a plausible month and day.
pub(crate) fn is_iso_date(s: &str) -> bool {
    iso_date(s.as_bytes())
}

fn iso_date(b: &[u8]) -> bool {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Some(_), Some(m), Some(d)) = (num(&b[0..4]), num(&b[5..7]), num(&b[8..10])) else {
        return false;
    };
    (1..=12).contains(&m) && (1..=31).contains(&d)
}

/// An RFC 3339 date-time: `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)`.
pub(crate) fn is_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 20 || !iso_date(&b[..10]) {
        return false;
    }
    let t = &b[10..];
    if !matches!(t[0], b'T' | b't' | b' ') || t[3] != b':' || t[6] != b':' {
        return false;
    }
    let (Some(h), Some(mi), Some(sec)) = (num(&t[1..3]), num(&t[4..6]), num(&t[7..9])) else {
        return false;
    };
    if h > 23 || mi > 59 || sec > 60 {
        return false;
    }
    let mut tz = &t[9..];
    if let [b'.', frac @ ..] = tz {
        let digits = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return false;
        }
        tz = &frac[digits..];
    }
    match tz {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', oh @ .., b':', _, _] if oh.len() == 2 => {
            matches!((num(oh), num(&tz[4..6])), (Some(oh), Some(om)) if oh <= 23 && om <= 59)
        }
        _ => false,
    }
}

fn num(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 9 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
}

/// Splits a list field such as `"75 | 92"` into its trimmed, non-empty parts.
pub(crate) fn split_list(value: &str) -> Vec<String> {
    value.split('|').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// A CSV reader over `input` with a header line. Line endings are normalised first (see
/// [`UnixNewlines`]) so that the line numbers csv reports are right for CRLF files too: the csv
/// crate counts a record after a CRLF as starting on the previous line.
pub(crate) fn csv_reader<R: Read>(input: R) -> csv::Reader<UnixNewlines<R>> {
    csv::ReaderBuilder::new().has_headers(true).from_reader(UnixNewlines::new(input))
}

/// Turns `\r\n` and lone `\r` into `\n` while reading.
pub(crate) struct UnixNewlines<R> {
    inner: R,
    buf: Box<[u8]>,
    pos: usize,
    len: usize,
    after_cr: bool,
}

impl<R: Read> UnixNewlines<R> {
    fn new(inner: R) -> Self {
        UnixNewlines { inner, buf: vec![0; 8 * 1024].into_boxed_slice(), pos: 0, len: 0, after_cr: false }
    }
}

impl<R: Read> Read for UnixNewlines<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        loop {
            if self.pos == self.len {
                self.len = self.inner.read(&mut self.buf)?;
                self.pos = 0;
                if self.len == 0 {
                    return Ok(0);
                }
            }
            let mut written = 0;
            while written < out.len() && self.pos < self.len {
                let b = self.buf[self.pos];
                self.pos += 1;
                let after_cr = std::mem::replace(&mut self.after_cr, b == b'\r');
                match b {
                    b'\r' => out[written] = b'\n',
                    b'\n' if after_cr => continue,
                    _ => out[written] = b,
                }
                written += 1;
            }
            if written > 0 {
                return Ok(written);
            }
        }
    }
}

/// Positions of named columns in a CSV header.
pub(crate) struct Columns<const N: usize> {
    index: [usize; N],
}

impl<const N: usize> Columns<N> {
    pub(crate) fn find(header: &csv::StringRecord, names: [&'static str; N]) -> Result<Self, FormatError> {
        let mut index = [0; N];
        for (slot, name) in index.iter_mut().zip(names) {
            *slot = header
                .iter()
                .position(|h| h.trim_start_matches('\u{feff}').trim() == name)
                .ok_or(FormatError::MissingColumn { column: name })?;
        }
        Ok(Columns { index })
    }

    /// The cleaned value of the `i`-th requested column (empty if the record is short).
    pub(crate) fn get(&self, record: &csv::StringRecord, i: usize) -> String {
        clean(record.get(self.index[i]).unwrap_or("")).trim().to_owned()
    }
}

/// The 1-based line where `record` starts.
pub(crate) fn line_of(record: &csv::StringRecord) -> u64 {
    record.position().map(|p| p.line()).unwrap_or(0)
}

/// The columns a record reader needs, by header name: the required ones (a header without one
/// of them is a file-level failure), the optional ones (read when present), and which required
/// column identifies a record in error messages.
pub(crate) struct Schema {
    pub required: &'static [&'static str],
    pub optional: &'static [&'static str],
    /// Index into `required`.
    pub id: usize,
}

/// One CSV record's values for a [`Schema`]: UTF-8 checked, mojibake repaired (see [`clean`]),
/// trimmed.
pub(crate) struct Row {
    values: Vec<Option<String>>,
    required: usize,
}

impl Row {
    /// The value of the `i`-th required column.
    pub(crate) fn get(&self, i: usize) -> &str {
        self.values.get(i).and_then(Option::as_deref).unwrap_or("")
    }

    /// The value of the `i`-th optional column, `None` when the column is absent or the value
    /// empty.
    pub(crate) fn opt(&self, i: usize) -> Option<&str> {
        self.values.get(self.required + i).and_then(Option::as_deref).filter(|v| !v.is_empty())
    }
}

enum State {
    Header,
    Records { index: Vec<Option<usize>>, width: usize },
    Done,
}

/// Reads a CSV file (header on the first line) record by record: each record is either parsed
/// by `parse` or rejected with a [`RecordError`] naming its line, its id when readable, and the
/// reason; reading goes on after a rejected record. A file-level failure (no header, a required
/// column missing, an unreadable input) is a single error that ends the iteration.
pub(crate) struct CsvRecords<R, F> {
    csv: csv::Reader<UnixNewlines<R>>,
    record: csv::ByteRecord,
    schema: &'static Schema,
    state: State,
    parse: F,
}

pub(crate) fn csv_records<R, T, F>(input: R, schema: &'static Schema, parse: F) -> CsvRecords<R, F>
where
    R: Read,
    F: FnMut(&Row) -> Result<T, String>,
{
    let csv = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(UnixNewlines::new(input));
    CsvRecords { csv, record: csv::ByteRecord::new(), schema, state: State::Header, parse }
}

fn quoted_list(names: &[&str]) -> String {
    names.iter().map(|n| format!("« {n} »")).collect::<Vec<_>>().join(", ")
}

fn plural(n: usize, word: &str) -> String {
    if n > 1 { format!("{n} {word}s") } else { format!("{n} {word}") }
}

impl<R: Read, F> CsvRecords<R, F> {
    fn read_header(&mut self) -> Result<State, RecordError> {
        let header = match self.csv.byte_headers() {
            Ok(h) => h.clone(),
            Err(e) => return Err(RecordError::new(1, None, format!("en-tête illisible : {}", csv_reason(&e)))),
        };
        if header.iter().all(|h| h.iter().all(u8::is_ascii_whitespace)) {
            return Err(RecordError::new(1, None, "fichier vide : la ligne d’en-tête manque"));
        }
        let names: Vec<String> = header
            .iter()
            .map(|h| String::from_utf8_lossy(h).trim_start_matches('\u{feff}').trim().to_owned())
            .collect();
        let position = |name: &str| names.iter().position(|h| h == name);
        let missing: Vec<&str> = self.schema.required.iter().copied().filter(|n| position(n).is_none()).collect();
        if !missing.is_empty() {
            let what = if missing.len() == 1 {
                format!("la colonne {} manque", quoted_list(&missing))
            } else {
                format!("les colonnes {} manquent", quoted_list(&missing))
            };
            let utf8 = if std::str::from_utf8(header.as_slice()).is_err() {
                " (en-tête qui n’est pas en UTF-8)"
            } else {
                ""
            };
            return Err(RecordError::new(
                1,
                None,
                format!(
                    "en-tête : {what}{utf8} ; ce n’est pas le fichier attendu (colonnes requises : {})",
                    quoted_list(self.schema.required)
                ),
            ));
        }
        let index = self.schema.required.iter().chain(self.schema.optional).map(|n| position(n)).collect();
        Ok(State::Records { index, width: header.len() })
    }
}

/// A csv error in French.
fn csv_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Io(io) => format!("erreur de lecture : {io}"),
        _ => format!("CSV mal formé : {e}"),
    }
}

/// `bytes` as text, or why not: the offset and value of the first byte that is not UTF-8.
fn utf8_field(bytes: &[u8]) -> Result<&str, String> {
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        format!(
            "texte qui n’est pas en UTF-8 (octet 0x{:02X} en position {} ; fichier en Windows-1252 ou Latin-1 ?)",
            bytes[at],
            at + 1
        )
    })
}

impl<R, T, F> Iterator for CsvRecords<R, F>
where
    R: Read,
    F: FnMut(&Row) -> Result<T, String>,
{
    type Item = Result<T, RecordError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let State::Header = self.state {
            match self.read_header() {
                Ok(state) => self.state = state,
                Err(e) => {
                    self.state = State::Done;
                    return Some(Err(e));
                }
            }
        }
        let State::Records { index, width } = &self.state else { return None };
        let width = *width;
        match self.csv.read_byte_record(&mut self.record) {
            Ok(false) => {
                self.state = State::Done;
                None
            }
            Err(e) => {
                // With byte records and flexible widths, only the input itself can fail.
                let line = e.position().map_or_else(|| self.csv.position().line(), |p| p.line());
                self.state = State::Done;
                Some(Err(RecordError::new(line, None, csv_reason(&e))))
            }
            Ok(true) => {
                let r = &self.record;
                let line = r.position().map_or(0, csv::Position::line);
                let id_bytes = index[self.schema.id].and_then(|i| r.get(i));
                let id = id_bytes
                    .and_then(|b| std::str::from_utf8(b).ok())
                    .map(|s| clean(s).trim().to_owned())
                    .filter(|s| !s.is_empty());
                let reject = |reason: String| Some(Err(RecordError::new(line, id.clone(), reason)));
                if r.len() != width {
                    let breaks = r.iter().flatten().filter(|b| **b == b'\n').count();
                    let end = line.saturating_add(u64::try_from(breaks).unwrap_or(u64::MAX));
                    let span = if end > line {
                        format!(" ; l’enregistrement s’étend des lignes {line} à {end} : guillemet non fermé ?")
                    } else {
                        String::new()
                    };
                    return reject(format!("{} au lieu des {} de l’en-tête{span}", plural(r.len(), "champ"), width));
                }
                let names = self.schema.required.iter().chain(self.schema.optional);
                let mut values = Vec::with_capacity(index.len());
                for (i, name) in index.iter().zip(names) {
                    let value = match i.and_then(|i| r.get(i)) {
                        None => None,
                        Some(bytes) => match utf8_field(bytes) {
                            Ok(text) => Some(clean(text).trim().to_owned()),
                            Err(why) => return reject(format!("champ « {name} » : {why}")),
                        },
                    };
                    values.push(value);
                }
                let row = Row { values, required: self.schema.required.len() };
                Some((self.parse)(&row).map_err(|reason| RecordError::new(line, id, reason)))
            }
        }
    }
}

/// Collects a record iterator, stopping at the first rejection (the "all or nothing" readers).
pub(crate) fn all_or_first_error<T>(
    records: impl Iterator<Item = Result<T, RecordError>>,
) -> Result<Vec<T>, FormatError> {
    records.collect::<Result<Vec<T>, RecordError>>().map_err(FormatError::Record)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_repairs_c1_and_line_breaks() {
        assert_eq!(clean("ma\u{ee}trise d'\u{9c}uvre"), "maîtrise d'œuvre");
        assert_eq!(clean("d\u{92}accueil \u{8c}UVRES"), "d’accueil ŒUVRES");
        assert_eq!(clean("a\r\nb\rc\nd\u{81}"), "a\nb\nc\nd");
    }

    #[test]
    fn fold_is_accent_and_case_insensitive() {
        assert_eq!(fold("Maîtrise d’ŒUVRE"), " maitrise d oeuvre ");
        assert_eq!(fold("  Éclairage--public "), " eclairage public ");
    }

    #[test]
    fn newlines_are_normalised_across_reads() {
        let input = b"a\r\nb\rc\n\r\n\r\rd".repeat(3000);
        let mut out = Vec::new();
        UnixNewlines::new(input.as_slice()).read_to_end(&mut out).unwrap();
        assert_eq!(out, b"a\nb\nc\n\n\n\nd".repeat(3000));
        // One byte at a time, so that every CR/LF pair straddles two reads.
        let mut one = UnixNewlines::new(input.as_slice());
        let mut out = Vec::new();
        let mut byte = [0u8; 1];
        while one.read(&mut byte).unwrap() == 1 {
            out.push(byte[0]);
        }
        assert_eq!(out, b"a\nb\nc\n\n\n\nd".repeat(3000));
    }

    #[test]
    fn dates() {
        assert!(is_iso_date("2026-03-15"));
        assert!(!is_iso_date("2026-13-15"));
        assert!(!is_iso_date("15/03/2026"));
        assert!(is_rfc3339("2026-03-31T10:00:00+00:00"));
        assert!(is_rfc3339("2026-03-31T10:00:00.123Z"));
        assert!(!is_rfc3339("2026-03-31T10:00:00"));
        assert!(!is_rfc3339("2026-03-31 à 10h"));
        assert!(!is_rfc3339("2026-03-31T1é:00:00+00:00"));
    }
}
