//! The v2 XML reader (XSD 2.0.2), streaming: quick-xml events build a small tree for one
//! `marche` or `contrat-concession` at a time, which is turned into the v2 JSON shape and
//! judged like a JSON record, so both formats obey the same rules and give the same reasons,
//! and memory stays flat whatever the file's size. (The crate's `xml` tree holds the whole
//! document and finds each element's line by counting from the start, which is quadratic on
//! files of thousands of records; the same rules are kept: local names, the five predefined
//! entities and character references, depth bounded.)
//!
//! XML writes lists without the JSON wrappers (`<titulaires><titulaire>…` for
//! `titulaires: [{"titulaire": …}]`), booleans as `oui`/`non`/`true`/`false`/`1`/`0`, and
//! names the modification of an acte de sous-traitance `modificationActesSousTraitance`. An
//! empty `origineUE`, `origineFrance` or `idAccordCadre` (which the XSD's documentation
//! allows) counts as absent.

use std::io::{BufReader, Read};

use quick_xml::Reader;
use quick_xml::escape;
use quick_xml::events::{BytesStart, Event};
use serde_json::{Map, Number, Value};

use super::read_json::{Layout, ReadSummary};
use super::{DecpError, Invalid, Kind, Record, Rejection, Rule, judge_v2};
use crate::FormatError;

/// Deeper nesting is refused (a record is five levels deep).
const MAX_DEPTH: usize = 32;

/// One element of a record: local name, own text, children, line of its start tag.
#[derive(Debug, Default)]
struct Element {
    name: String,
    raw_text: String,
    children: Vec<Element>,
    line: u64,
}

impl Element {
    /// The element's text: free texts (`objet`, `intituleTarif`) as written, since `xs:string`
    /// keeps white space; codes, labels and numbers trimmed.
    fn text(&self) -> String {
        if FREE_TEXT.contains(&self.name.as_str()) { self.raw_text.clone() } else { self.raw_text.trim().to_string() }
    }
}

const FREE_TEXT: &[&str] = &["objet", "intituleTarif"];

/// Lists of wrapped objects: `<titulaires><titulaire>…</titulaire>…</titulaires>`.
const WRAPPED: &[&str] = &[
    "titulaires",
    "actesSousTraitance",
    "modificationsActesSousTraitance",
    "modifications",
    "concessionnaires",
    "donneesExecution",
    "tarifs",
];

/// Lists of labels: `<techniques><technique>…</technique>…</techniques>`.
const LABELS: &[&str] =
    &["techniques", "modalitesExecution", "typesPrix", "considerationsSociales", "considerationsEnvironnementales"];

const BOOLEANS: &[&str] = &["marcheInnovant", "attributionAvance", "sousTraitanceDeclaree"];

const NUMBERS: &[&str] = &[
    "montant",
    "dureeMois",
    "offresRecues",
    "tauxAvance",
    "origineUE",
    "origineFrance",
    "valeurGlobale",
    "montantSubventionPublique",
    "depensesInvestissement",
];

/// Elements whose `id` is an integer (elsewhere `id` is text).
const INTEGER_IDS: &[&str] = &["modification", "acteSousTraitance", "modificationActesSousTraitance"];

/// Optional elements that may be written empty.
const EMPTY_IS_ABSENT: &[&str] = &["origineUE", "origineFrance", "idAccordCadre"];

/// Reads a DECP v2 XML document record by record, calling `on_record` for each `marche`
/// and `contrat-concession`, accepted or rejected. Fails only when the input is not
/// well-formed XML (the error names the line; records before it have been handed over) or its
/// root is not `marches`.
pub fn read_decp_xml<R: Read>(reader: R, mut on_record: impl FnMut(Record)) -> Result<ReadSummary, DecpError> {
    let mut xml = Reader::from_reader(BufReader::with_capacity(1 << 16, reader));
    let mut buf = Vec::new();
    let mut line: u64 = 1;
    let mut root_seen = false;
    let mut root_open = false;
    let mut stack: Vec<Element> = Vec::new();
    let mut summary = ReadSummary { layout: Layout::V2, records: 0, accepted: 0, rejected: 0 };
    let xml_error = |line: u64, message: String| DecpError::Xml(FormatError::Xml { line, message });
    loop {
        buf.clear();
        let event = xml.read_event_into(&mut buf).map_err(|e| match e {
            quick_xml::Error::Io(io) => DecpError::Io(std::io::Error::new(io.kind(), io.to_string())),
            other => xml_error(line, other.to_string()),
        })?;
        let at = line;
        let newlines = |s: &str| u64::try_from(s.bytes().filter(|b| *b == b'\n').count()).unwrap_or(0);
        match event {
            Event::Start(e) => {
                line += newlines(&e);
                let element = start(&e, at)?;
                if !root_open {
                    if root_seen {
                        return Err(xml_error(at, "élément hors de l'élément racine".into()));
                    }
                    if element.name != "marches" {
                        return Err(not_decp(&element.name));
                    }
                    root_seen = true;
                    root_open = true;
                } else if stack.len() >= MAX_DEPTH {
                    return Err(xml_error(at, format!("éléments imbriqués sur plus de {MAX_DEPTH} niveaux")));
                } else {
                    stack.push(element);
                }
            }
            Event::Empty(e) => {
                line += newlines(&e);
                let element = start(&e, at)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None if root_open => emit(element, &mut summary, &mut on_record),
                    None if !root_seen && element.name == "marches" => root_seen = true,
                    None if !root_seen => return Err(not_decp(&element.name)),
                    None => return Err(xml_error(at, "élément hors de l'élément racine".into())),
                }
            }
            Event::End(_) => match stack.pop() {
                // quick-xml checks that end tags match their start tags.
                Some(element) => match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => emit(element, &mut summary, &mut on_record),
                },
                None => root_open = false,
            },
            Event::Text(t) => {
                line += newlines(&t);
                let content = t.xml10_content();
                match stack.last_mut() {
                    Some(e) => e.raw_text.push_str(&content),
                    None if content.trim().is_empty() || root_open => {}
                    None => return Err(xml_error(at, "texte hors de l'élément racine".into())),
                }
            }
            Event::CData(t) => {
                line += newlines(&t);
                if let Some(e) = stack.last_mut() {
                    e.raw_text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => escape::resolve_predefined_entity(&r)
                        .ok_or_else(|| xml_error(at, format!("entité inconnue « &{}; »", &*r)))?
                        .to_string(),
                    Err(e) => return Err(xml_error(at, e.to_string())),
                };
                if let Some(e) = stack.last_mut() {
                    e.raw_text.push_str(&resolved);
                }
            }
            Event::Comment(t) => line += newlines(&t),
            Event::DocType(t) => line += newlines(&t),
            Event::PI(t) => line += newlines(&t),
            Event::Decl(_) => {}
            Event::Eof => break,
        }
    }
    if root_open || !stack.is_empty() {
        return Err(xml_error(line, "document tronqué : l'élément « marches » n'est pas fermé".into()));
    }
    if !root_seen {
        return Err(DecpError::Layout("le document XML est vide : élément « marches » attendu".into()));
    }
    Ok(summary)
}

fn not_decp(name: &str) -> DecpError {
    DecpError::Layout(format!("le document n'est pas au format DECP : élément racine « {name} », « marches » attendu"))
}

fn local(name: &str) -> String {
    name.rsplit_once(':').map_or(name, |(_, local)| local).to_string()
}

fn start(e: &BytesStart, line: u64) -> Result<Element, DecpError> {
    Ok(Element { name: local(e.name().as_ref()), line, ..Element::default() })
}

/// Judges one child of `marches` and hands it over.
fn emit(e: Element, summary: &mut ReadSummary, on_record: &mut impl FnMut(Record)) {
    let index = summary.records;
    let record = match e.name.as_str() {
        "marche" => judge_v2(index, Kind::Marche, &object(&e)),
        "contrat-concession" => judge_v2(index, Kind::Concession, &object(&e)),
        other => {
            let invalid = Invalid::new(
                other,
                Rule::Structure,
                format!(
                    "ligne {} : élément « {other} » inconnu (« marche » ou « contrat-concession » attendu)",
                    e.line
                ),
            );
            Record { index, outcome: Err(Rejection::new(index, None, invalid)), completed: false }
        }
    };
    summary.records += 1;
    if record.outcome.is_ok() {
        summary.accepted += 1;
    } else {
        summary.rejected += 1;
    }
    on_record(record);
}

/// The JSON name of an XML element.
fn json_name(name: &str) -> &str {
    if name == "modificationActesSousTraitance" { "modificationActeSousTraitance" } else { name }
}

fn object(e: &Element) -> Value {
    let mut map = Map::new();
    for c in &e.children {
        let Some(v) = field(c, &e.name) else { continue };
        let key = json_name(&c.name).to_string();
        // A repeated element becomes a list, which the judge then refuses as the wrong type.
        match map.remove(&key) {
            None => {
                map.insert(key, v);
            }
            Some(Value::Array(mut items)) => {
                items.push(v);
                map.insert(key, Value::Array(items));
            }
            Some(first) => {
                map.insert(key, Value::Array(vec![first, v]));
            }
        }
    }
    Value::Object(map)
}

fn field(c: &Element, parent: &str) -> Option<Value> {
    let name = c.name.as_str();
    let text = || c.text();
    if EMPTY_IS_ABSENT.contains(&name) && c.children.is_empty() && text().is_empty() {
        return None;
    }
    Some(if WRAPPED.contains(&name) {
        let items = c.children.iter().map(|item| {
            let mut wrapper = Map::new();
            let inner = if item.children.is_empty() { leaf(item, name) } else { object(item) };
            wrapper.insert(json_name(&item.name).to_string(), inner);
            Value::Object(wrapper)
        });
        Value::Array(items.collect())
    } else if LABELS.contains(&name) {
        let mut lists: Map<String, Value> = Map::new();
        for item in &c.children {
            let entry = lists.entry(item.name.clone()).or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(items) = entry {
                items.push(Value::String(item.text()));
            }
        }
        Value::Object(lists)
    } else if !c.children.is_empty() {
        object(c)
    } else {
        leaf(c, parent)
    })
}

fn leaf(c: &Element, parent: &str) -> Value {
    let name = c.name.as_str();
    let text = c.text();
    if BOOLEANS.contains(&name) {
        return match text.as_str() {
            "oui" | "true" | "1" => Value::Bool(true),
            "non" | "false" | "0" => Value::Bool(false),
            _ => Value::String(text),
        };
    }
    let numeric = NUMBERS.contains(&name) || (name == "id" && INTEGER_IDS.contains(&parent)) || name == "tarif";
    if numeric {
        if let Ok(n) = text.parse::<u64>() {
            return Value::Number(n.into());
        }
        if let Some(n) = text.parse::<f64>().ok().and_then(Number::from_f64) {
            return Value::Number(n);
        }
    }
    Value::String(text)
}
