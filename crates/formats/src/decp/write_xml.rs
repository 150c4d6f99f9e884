//! The v2 XML writer (XSD 2.0.2): each record is serialised to its JSON shape, then written
//! as elements, the JSON wrappers turned into XML lists (`titulaires: [{"titulaire": {…}}]` →
//! `<titulaires><titulaire>…</titulaire></titulaires>`, `techniques: {"technique": [a, b]}` →
//! `<techniques><technique>a</technique><technique>b</technique></techniques>`). Numbers are
//! written as plain decimals (no exponent: `xs:decimal`), booleans `true`/`false`, and
//! characters XML 1.0 cannot hold are dropped.

use std::borrow::Borrow;
use std::io::{self, Write};

use serde_json::Value;

use super::Contrat;

/// Writes `records` as a v2 XML document (`<marches>` holding `<marche>` and
/// `<contrat-concession>` in input order, as the XSD allows). Valid records (as the readers
/// accept them) give a document valid against the 2.0.2 XSD.
pub fn write_decp_xml<I, W>(records: I, mut out: W) -> io::Result<()>
where
    I: IntoIterator,
    I::Item: Borrow<Contrat>,
    W: Write,
{
    out.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<marches>\n")?;
    let mut buf = String::new();
    for record in records {
        let record = record.borrow();
        let name = match record {
            Contrat::Marche(_) => "marche",
            Contrat::Concession(_) => "contrat-concession",
        };
        let value = serde_json::to_value(record)?;
        buf.clear();
        element(&mut buf, name, &value, 1);
        out.write_all(buf.as_bytes())?;
    }
    out.write_all(b"</marches>\n")?;
    out.flush()
}

/// The XML name of a JSON key.
fn xml_name(key: &str) -> &str {
    if key == "modificationActeSousTraitance" { "modificationActesSousTraitance" } else { key }
}

fn indent(buf: &mut String, depth: usize) {
    for _ in 0..depth {
        buf.push_str("  ");
    }
}

fn element(buf: &mut String, name: &str, value: &Value, depth: usize) {
    let name = xml_name(name);
    match value {
        Value::Object(map) => {
            indent(buf, depth);
            buf.push_str(&format!("<{name}>\n"));
            fields(buf, map, depth + 1);
            indent(buf, depth);
            buf.push_str(&format!("</{name}>\n"));
        }
        Value::Array(items) if items.iter().all(Value::is_object) => {
            // A list of wrapped objects: the wrappers' keys name the items.
            indent(buf, depth);
            buf.push_str(&format!("<{name}>\n"));
            for item in items {
                if let Value::Object(wrapper) = item {
                    fields(buf, wrapper, depth + 1);
                }
            }
            indent(buf, depth);
            buf.push_str(&format!("</{name}>\n"));
        }
        Value::Array(items) => {
            // A list of labels: the element repeated.
            for item in items {
                element(buf, name, item, depth);
            }
        }
        scalar => {
            indent(buf, depth);
            buf.push_str(&format!("<{name}>"));
            match scalar {
                Value::String(s) => escape(buf, s),
                Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                    (Some(u), _, _) => buf.push_str(&u.to_string()),
                    (None, Some(i), _) => buf.push_str(&i.to_string()),
                    // Rust prints f64 without exponent, as `xs:decimal` wants.
                    (None, None, Some(f)) => buf.push_str(&f.to_string()),
                    _ => buf.push_str(&n.to_string()),
                },
                Value::Bool(b) => buf.push_str(if *b { "true" } else { "false" }),
                _ => {}
            }
            buf.push_str(&format!("</{name}>\n"));
        }
    }
}

fn fields(buf: &mut String, map: &serde_json::Map<String, Value>, depth: usize) {
    for (key, value) in map {
        element(buf, key, value, depth);
    }
}

fn escape(buf: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => buf.push_str("&amp;"),
            '<' => buf.push_str("&lt;"),
            '>' => buf.push_str("&gt;"),
            '\t' | '\n' => buf.push(c),
            '\r' => buf.push_str("&#13;"),
            c if u32::from(c) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => buf.push(c),
        }
    }
}
