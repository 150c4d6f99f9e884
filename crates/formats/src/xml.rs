//! A small element tree over `quick-xml`, enough for the notice readers: local names (namespace
//! prefixes dropped), attributes, the text directly inside each element, and the line where
//! each element starts, for errors. Comments, processing instructions and the DOCTYPE are
//! skipped; only the five predefined entities and character references are known.

use std::io::Read;

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion, escape};

use crate::FormatError;
use crate::text::clean;

/// Deeper nesting is refused: notices are a dozen levels deep, and a bounded depth keeps
/// every walk of the tree (including dropping it) far from the stack's limit.
const MAX_DEPTH: usize = 100;

#[derive(Debug, Clone, Default)]
pub(crate) struct Element {
    /// Local name, without namespace prefix.
    pub name: String,
    attributes: Vec<(String, String)>,
    /// The text directly inside the element, entities resolved, not trimmed.
    raw_text: String,
    pub children: Vec<Element>,
    /// 1-based line of the start tag.
    pub line: u64,
}

impl Element {
    /// The first child named `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child named `name`.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The first element reached by following `path` (child names) from here.
    pub fn at(&self, path: &[&str]) -> Option<&Element> {
        path.iter().try_fold(self, |e, name| e.child(name))
    }

    /// The value of the attribute `name` (local name).
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The element's own text, tidied (see [`tidy`]).
    pub fn text(&self) -> String {
        tidy(&self.raw_text)
    }

    /// The tidied text at `path`, if the element exists and its text is not blank.
    pub fn text_at(&self, path: &[&str]) -> Option<String> {
        self.at(path).map(Element::text).filter(|t| !t.is_empty())
    }

    /// The name of the first child element, for BOAMP's "choice" elements such as
    /// `<TYPE_MARCHE><SERVICE/></TYPE_MARCHE>`.
    pub fn first_child_name(&self) -> Option<&str> {
        self.children.first().map(|c| c.name.as_str())
    }
}

/// Mojibake repaired (see [`clean`]), every line trimmed, runs of blank lines reduced to one,
/// no blank line at either end. Notice texts are indented with the XML around them.
pub(crate) fn tidy(raw: &str) -> String {
    let cleaned = clean(raw);
    let mut out = String::with_capacity(cleaned.len());
    let mut blank = false;
    for line in cleaned.lines().map(str::trim) {
        if line.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank { "\n\n" } else { "\n" });
        }
        out.push_str(line);
        blank = false;
    }
    out
}

fn line_at(text: &str, offset: u64) -> u64 {
    Lines::new(text).at(offset)
}

/// Line numbers of byte offsets met in increasing order, counted incrementally: counting from
/// the start at every event made big notices (1.7 MB) quadratic.
struct Lines<'a> {
    text: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Lines { text: text.as_bytes(), offset: 0, line: 1 }
    }

    fn at(&mut self, offset: u64) -> u64 {
        let end = usize::try_from(offset).unwrap_or(usize::MAX).min(self.text.len());
        if end < self.offset {
            self.offset = 0;
            self.line = 1;
        }
        let newlines = self.text[self.offset..end].iter().filter(|b| **b == b'\n').count();
        self.line = self.line.saturating_add(u64::try_from(newlines).unwrap_or(u64::MAX));
        self.offset = end;
        self.line
    }
}

fn local(name: &str) -> String {
    name.rsplit_once(':').map_or(name, |(_, local)| local).to_string()
}

fn start(e: &BytesStart, line: u64) -> Result<Element, FormatError> {
    let mut attributes = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|err| FormatError::Xml { line, message: err.to_string() })?;
        let value = a
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|err| FormatError::Xml { line, message: err.to_string() })?;
        attributes.push((local(a.key.as_ref()), value.into_owned()));
    }
    Ok(Element { name: local(e.name().as_ref()), attributes, line, ..Element::default() })
}

/// Reads a whole XML document into its root element.
pub(crate) fn parse<R: Read>(mut input: R) -> Result<Element, FormatError> {
    let mut bytes = Vec::new();
    input.read_to_end(&mut bytes)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        FormatError::Xml { line: u64::try_from(line).unwrap_or(u64::MAX), message: "invalid UTF-8".into() }
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut reader = Reader::from_str(text);
    let mut lines = Lines::new(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let line = lines.at(reader.buffer_position());
        let event = reader
            .read_event()
            .map_err(|e| FormatError::Xml { line: line_at(text, reader.error_position()), message: e.to_string() })?;
        let outside = |what: &str| FormatError::Xml { line, message: format!("{what} outside the root element") };
        match event {
            Event::Start(e) => {
                if root.is_some() {
                    return Err(outside("element"));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(FormatError::Xml { line, message: format!("elements nested deeper than {MAX_DEPTH}") });
                }
                stack.push(start(&e, line)?);
            }
            Event::Empty(e) => {
                let element = start(&e, line)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None if root.is_none() => root = Some(element),
                    None => return Err(outside("element")),
                }
            }
            Event::End(_) => {
                // quick-xml checks that end tags match their start tags.
                let element = stack.pop().ok_or_else(|| outside("end tag"))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => root = Some(element),
                }
            }
            Event::Text(t) => match stack.last_mut() {
                Some(e) => e.raw_text.push_str(&t.xml10_content()),
                None if t.trim().is_empty() => {}
                None => return Err(outside("text")),
            },
            Event::CData(t) => match stack.last_mut() {
                Some(e) => e.raw_text.push_str(&t.xml10_content()),
                None => return Err(outside("CDATA")),
            },
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => escape::resolve_predefined_entity(&r)
                        .ok_or_else(|| FormatError::Xml { line, message: format!("unknown entity `&{};`", &*r) })?
                        .to_string(),
                    Err(e) => return Err(FormatError::Xml { line, message: e.to_string() }),
                };
                match stack.last_mut() {
                    Some(e) => e.raw_text.push_str(&resolved),
                    None => return Err(outside("entity")),
                }
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(FormatError::Xml {
            line: line_at(text, reader.buffer_position()),
            message: format!("element `{}` opened on line {} is not closed", open.name, open.line),
        });
    }
    root.ok_or(FormatError::Xml { line: 1, message: "no root element".into() })
}

/// An amount in euros as notices write it (`1083333`, `159691.6`, `9999999.99`, `12 500,50`),
/// in cents; `None` when it is not a non-negative amount with at most two decimals.
pub(crate) fn euros_to_cents(value: &str) -> Option<i64> {
    let compact: String = value.chars().filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{202f}').collect();
    let (whole, fraction) = match compact.split_once(['.', ',']) {
        Some((w, f)) => (w, f),
        None => (compact.as_str(), ""),
    };
    if whole.is_empty()
        || fraction.len() > 2
        || ![whole, fraction].iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let cents = format!("{fraction:0<2}").parse::<i64>().ok()?;
    whole.parse::<i64>().ok()?.checked_mul(100)?.checked_add(cents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_a_tree_with_lines_and_entities() {
        let doc = "<?xml version=\"1.0\"?>\n<!-- c -->\n<a:Root xmlns:a=\"urn:x\">\n  <b k=\"v &amp; w\">x &lt; y &#233;t&#xE9;</b>\n  <c/>\n  <b><![CDATA[<z>]]></b>\n</a:Root>\n";
        let root = parse(doc.as_bytes()).unwrap();
        assert_eq!(root.name, "Root");
        assert_eq!(root.line, 3);
        let b = root.child("b").unwrap();
        assert_eq!((b.line, b.text().as_str(), b.attribute("k")), (4, "x < y été", Some("v & w")));
        assert_eq!(root.children_named("b").nth(1).unwrap().text(), "<z>");
        assert_eq!(root.first_child_name(), Some("b"));
        assert!(root.at(&["c"]).is_some() && root.text_at(&["c"]).is_none());
    }

    #[test]
    fn broken_documents_are_errors_with_a_line() {
        let cases: [(&[u8], u64); 9] = [
            (b"<a>\n<b>\n</a>", 3),
            (b"<a>\n<b>", 2),
            (b"", 1),
            (b"<a/><b/>", 1),
            (b"<a>&nope;</a>", 1),
            (b"<a>\n\xff</a>", 2),
            (b"text", 1),
            (b"<a x=\"1>\n</a>", 1),
            (b"<a>\n</b>", 2),
        ];
        for (doc, line) in cases {
            let err = parse(doc).expect_err(&String::from_utf8_lossy(doc));
            assert!(matches!(err, FormatError::Xml { .. }), "{err}");
            assert_eq!(err.line(), Some(line), "{:?}: {err}", String::from_utf8_lossy(doc));
        }
        let deep = "<a>".repeat(10_000);
        assert!(parse(deep.as_bytes()).is_err());
    }

    #[test]
    fn tidies_texts() {
        assert_eq!(tidy("\n\t\tLigne 1 \n\t\tLigne 2\n\n\n\t\tL\u{92}autre\n\t"), "Ligne 1\nLigne 2\n\nL’autre");
    }

    #[test]
    fn amounts() {
        assert_eq!(euros_to_cents("1083333"), Some(108_333_300));
        assert_eq!(euros_to_cents("159691.6"), Some(15_969_160));
        assert_eq!(euros_to_cents("9999999.99"), Some(999_999_999));
        assert_eq!(euros_to_cents("12 500,50"), Some(1_250_050));
        for bad in ["", "-5", "1.234", "abc", "1e6", "99999999999999999999"] {
            assert_eq!(euros_to_cents(bad), None, "{bad}");
        }
    }
}
