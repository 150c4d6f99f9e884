//! The streaming JSON reader: serde visitors walk the document and hold one record at a time
//! (as a `serde_json::Value`, so that a record of the wrong shape is rejected and reading
//! goes on), whatever the size of the file.
//!
//! Two layouts: v2 `{"marches": {"marche": […], "contrat-concession": […]}}` (a single object
//! in place of a list is taken as a list of one) and the v1 consolidated
//! `{"marches": […]}`, whose records are mapped to v2 by `v1` (records already in the v2
//! shape, as some consolidations mix them in, are judged as v2). Other top-level keys are
//! skipped.

use std::fmt;
use std::io::{BufReader, Read};

use serde::Deserialize as _;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::{DecpError, Kind, Record, judge_v2, v1};

/// The layout a file was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// `{"marches": {"marche": [...], "contrat-concession": [...]}}`.
    V2,
    /// `{"marches": [...]}`, records distinguished by `_type`.
    V1,
}

/// Counts of a completed read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadSummary {
    pub layout: Layout,
    pub records: u64,
    pub accepted: u64,
    pub rejected: u64,
}

struct State<'f> {
    on_record: &'f mut dyn FnMut(Record),
    layout: Option<Layout>,
    records: u64,
    accepted: u64,
    layout_error: Option<String>,
}

impl State<'_> {
    fn emit(&mut self, record: Record) {
        self.records += 1;
        if record.outcome.is_ok() {
            self.accepted += 1;
        }
        (self.on_record)(record);
    }

    fn layout_error<E: de::Error>(&mut self, message: String) -> E {
        let err = E::custom(&message);
        self.layout_error = Some(message);
        err
    }
}

/// Reads a DECP JSON file (v2 or v1 consolidated layout) record by record, calling
/// `on_record` for each, accepted or rejected. Memory stays flat: one record at a time.
///
/// Fails only when the input is not JSON or is cut short (the error names the line and
/// column), or is not a DECP document (no `marches`); records seen before that point have been
/// handed to `on_record`.
pub fn read_decp_json<R: Read>(reader: R, mut on_record: impl FnMut(Record)) -> Result<ReadSummary, DecpError> {
    let mut state = State { on_record: &mut on_record, layout: None, records: 0, accepted: 0, layout_error: None };
    let mut de = serde_json::Deserializer::from_reader(BufReader::with_capacity(1 << 16, reader));
    let result = (&mut de).deserialize_any(Root(&mut state)).and_then(|()| de.end());
    if let Err(err) = result {
        if let Some(message) = state.layout_error.take() {
            return Err(DecpError::Layout(message));
        }
        return Err(match err.classify() {
            serde_json::error::Category::Io => DecpError::Io(err.into()),
            _ => DecpError::Json {
                line: u64::try_from(err.line()).unwrap_or(u64::MAX),
                column: u64::try_from(err.column()).unwrap_or(u64::MAX),
                message: err.to_string(),
            },
        });
    }
    let layout = state.layout.ok_or_else(|| DecpError::Layout("aucune clé « marches » dans le document".into()))?;
    Ok(ReadSummary {
        layout,
        records: state.records,
        accepted: state.accepted,
        rejected: state.records - state.accepted,
    })
}

const NOT_DECP: &str = "le document n'est pas au format DECP : un objet JSON avec une clé « marches » est attendu";

struct Root<'s, 'f>(&'s mut State<'f>);

impl<'de> Visitor<'de> for Root<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("un objet avec une clé « marches »")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "marches" && self.0.layout.is_none() {
                map.next_value_seed(Marches(&mut *self.0))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(self.0.layout_error(NOT_DECP.into()))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Err(self.0.layout_error(NOT_DECP.into()))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Err(self.0.layout_error(NOT_DECP.into()))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Err(self.0.layout_error(NOT_DECP.into()))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Err(self.0.layout_error(NOT_DECP.into()))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Err(self.0.layout_error(NOT_DECP.into()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Err(self.0.layout_error(NOT_DECP.into()))
    }
}

/// The value of `marches`: an object (v2) or an array (v1).
struct Marches<'s, 'f>(&'s mut State<'f>);

impl<'de> DeserializeSeed<'de> for Marches<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

const BAD_MARCHES: &str = "« marches » doit être un objet (format v2) ou un tableau (format v1 consolidé)";

impl<'de> Visitor<'de> for Marches<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(BAD_MARCHES)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.0.layout = Some(Layout::V1);
        while let Some(value) = seq.next_element::<Value>()? {
            let index = self.0.records;
            self.0.emit(v1::convert(index, &value));
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.0.layout = Some(Layout::V2);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "marche" => map.next_value_seed(List(&mut *self.0, Kind::Marche))?,
                "contrat-concession" => map.next_value_seed(List(&mut *self.0, Kind::Concession))?,
                _ => map.next_value::<IgnoredAny>().map(|_| ())?,
            }
        }
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Err(self.0.layout_error(BAD_MARCHES.into()))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Err(self.0.layout_error(BAD_MARCHES.into()))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Err(self.0.layout_error(BAD_MARCHES.into()))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Err(self.0.layout_error(BAD_MARCHES.into()))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Err(self.0.layout_error(BAD_MARCHES.into()))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Err(self.0.layout_error(BAD_MARCHES.into()))
    }
}

/// A v2 list (`marche` or `contrat-concession`): an array of records, a single record, or
/// `null` (no record). Anything else is one record of the wrong shape.
struct List<'s, 'f>(&'s mut State<'f>, Kind);

impl<'de> DeserializeSeed<'de> for List<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for List<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("une liste d'enregistrements")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(value) = seq.next_element::<Value>()? {
            let index = self.0.records;
            self.0.emit(judge_v2(index, self.1, &value));
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        let value = Value::deserialize(de::value::MapAccessDeserializer::new(map))?;
        let index = self.0.records;
        self.0.emit(judge_v2(index, self.1, &value));
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.scalar(Value::String(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        self.scalar(serde_json::json!(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.scalar(Value::from(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.scalar(Value::from(v))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.scalar(Value::Bool(v))
    }
}

impl List<'_, '_> {
    fn scalar<E>(self, value: Value) -> Result<(), E> {
        let index = self.0.records;
        self.0.emit(judge_v2(index, self.1, &value));
        Ok(())
    }
}
