//! The index schema and how a [`SearchDoc`] becomes a tantivy document.
//!
//! Texts are indexed but not stored: only the key is stored. Every value that filters, sorts or
//! makes a facet lives in fast fields (columns), most of them packed into one `u64` (`bits`) so
//! that filtering and counting facets costs one column read per matching document:
//!
//! | bits  | what |
//! |-------|------|
//! | 0–6   | département, index in [`departements`] + 1 (0: none) |
//! | 7–8   | nature, index in `Nature::ALL` + 1 |
//! | 9–12  | procedure, index in `Procedure::ALL` + 1 |
//! | 13–16 | social considerations, one bit per `SocialConsideration::ALL` entry |
//! | 17–19 | environmental considerations, one bit per `EnvironmentalConsideration::ALL` entry |
//! | 20    | reserved market |
//! | 21–24 | buyer kind, index in `BuyerKind::ALL` + 1 |
//! | 25    | kind: 0 consultation, 1 notice |
//! | 26    | closed (said so by the caller, whatever the deadline) |
//!
//! `divisions` is a bit set of the CPV divisions of all codes (index in [`divisions`]).
//! The layout depends on the vocabularies' order: [`fingerprint`] changes with them, and an index
//! written with another fingerprint is cleared on opening (it is derived data).

use std::sync::LazyLock;

use domain::consultation::{EnvironmentalConsideration, Nature, Procedure, SocialConsideration};
use domain::organisation::BuyerKind;
use domain::{cpv, geo};
use tantivy::TantivyDocument;
use tantivy::schema::{FAST, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions};

use crate::analysis::{FR, FR_RAW};
use crate::{DocKind, SearchDoc};

/// Bump when the schema or the meaning of a stored value changes.
const LAYOUT_VERSION: u32 = 1;

pub(crate) const DEPT_SHIFT: u32 = 0;
pub(crate) const DEPT_BITS: u32 = 7;
pub(crate) const NATURE_SHIFT: u32 = 7;
pub(crate) const NATURE_BITS: u32 = 2;
pub(crate) const PROC_SHIFT: u32 = 9;
pub(crate) const PROC_BITS: u32 = 4;
pub(crate) const SOCIAL_SHIFT: u32 = 13;
pub(crate) const SOCIAL_BITS: u32 = 4;
pub(crate) const ENV_SHIFT: u32 = 17;
pub(crate) const ENV_BITS: u32 = 3;
pub(crate) const RESERVED_SHIFT: u32 = 20;
pub(crate) const BUYER_SHIFT: u32 = 21;
pub(crate) const BUYER_BITS: u32 = 4;
pub(crate) const KIND_SHIFT: u32 = 25;
pub(crate) const CLOSED_SHIFT: u32 = 26;

// The packed fields do not overlap (checked at compile time).
const _: () = {
    assert!(NATURE_SHIFT >= DEPT_SHIFT + DEPT_BITS);
    assert!(PROC_SHIFT >= NATURE_SHIFT + NATURE_BITS);
    assert!(SOCIAL_SHIFT >= PROC_SHIFT + PROC_BITS);
    assert!(ENV_SHIFT >= SOCIAL_SHIFT + SOCIAL_BITS);
    assert!(RESERVED_SHIFT >= ENV_SHIFT + ENV_BITS);
    assert!(KIND_SHIFT >= BUYER_SHIFT + BUYER_BITS);
    assert!(BUYER_SHIFT > RESERVED_SHIFT);
    assert!(CLOSED_SHIFT > KIND_SHIFT);
};

pub(crate) fn field_of(bits: u64, shift: u32, width: u32) -> usize {
    ((bits >> shift) & ((1u64 << width) - 1)) as usize
}

/// Every French département code (metropolitan, Corsica, overseas), in a fixed order.
pub(crate) fn departements() -> &'static [String] {
    static CODES: LazyLock<Vec<String>> = LazyLock::new(|| {
        let mut v: Vec<String> = (1..=19).map(|n| format!("{n:02}")).collect();
        v.push("2A".into());
        v.push("2B".into());
        v.extend((21..=95).map(|n| format!("{n:02}")));
        v.extend(["971", "972", "973", "974", "975", "976", "977", "978", "986", "987", "988"].map(String::from));
        v
    });
    &CODES
}

pub(crate) fn departement_index(code: &str) -> Option<usize> {
    let code = code.trim();
    let code = if code.len() == 1 && code.bytes().all(|b| b.is_ascii_digit()) {
        format!("0{code}")
    } else {
        code.to_uppercase()
    };
    departements().iter().position(|d| *d == code)
}

/// The 45 CPV divisions (`"03"`, `"09"`, … `"98"`), in a fixed order.
pub(crate) fn divisions() -> &'static [String] {
    static DIVISIONS: LazyLock<Vec<String>> =
        LazyLock::new(|| cpv::divisions().iter().map(|e| e.division().to_string()).collect());
    &DIVISIONS
}

pub(crate) fn division_index(code: &str) -> Option<usize> {
    let code = code.trim();
    let prefix = code.get(..2)?;
    divisions().iter().position(|d| d == prefix)
}

pub(crate) fn index_in<T: PartialEq>(all: &[T], v: &T) -> usize {
    all.iter().position(|x| x == v).map_or(0, |i| i + 1)
}

/// Identifies the layout: the version and the vocabularies' codes, in order.
pub(crate) fn fingerprint() -> String {
    let mut s = format!("v{LAYOUT_VERSION}");
    let lists: [Vec<&str>; 5] = [
        Nature::ALL.iter().map(|v| v.code()).collect(),
        Procedure::ALL.iter().map(|v| v.code()).collect(),
        SocialConsideration::ALL.iter().map(|v| v.code()).collect(),
        EnvironmentalConsideration::ALL.iter().map(|v| v.code()).collect(),
        BuyerKind::ALL.iter().map(|v| v.code()).collect(),
    ];
    for l in lists {
        s.push('|');
        s.push_str(&l.join(","));
    }
    s.push('|');
    s.push_str(&divisions().join(","));
    s
}

/// The fields, with their weight in scoring.
#[derive(Clone, Copy)]
pub(crate) struct Fields {
    pub(crate) key: Field,
    pub(crate) title: Field,
    pub(crate) lots: Field,
    pub(crate) body: Field,
    pub(crate) buyer: Field,
    pub(crate) cpv: Field,
    pub(crate) cpv_up: Field,
    pub(crate) place: Field,
    pub(crate) meta: Field,
    pub(crate) raw: Field,
    pub(crate) bits: Field,
    pub(crate) divisions: Field,
    pub(crate) deadline: Field,
    pub(crate) published: Field,
    pub(crate) value: Field,
}

pub(crate) const BITS: &str = "bits";
pub(crate) const DIVISIONS: &str = "divisions";
pub(crate) const DEADLINE: &str = "deadline";
pub(crate) const PUBLISHED: &str = "published";
pub(crate) const VALUE: &str = "value";

impl Fields {
    /// The scored text fields and their boosts: title first, CPV labels below it, parents' labels
    /// and vocabulary labels last.
    pub(crate) fn scored(&self) -> [(Field, f32); 8] {
        [
            (self.title, 4.0),
            (self.lots, 2.0),
            (self.buyer, 1.5),
            (self.cpv, 1.2),
            (self.body, 1.0),
            (self.place, 1.0),
            (self.cpv_up, 0.6),
            (self.meta, 0.5),
        ]
    }
}

pub(crate) fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let scored = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(FR).set_index_option(IndexRecordOption::WithFreqs),
    );
    let raw = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(FR_RAW)
            .set_index_option(IndexRecordOption::Basic)
            .set_fieldnorms(false),
    );
    let f = Fields {
        key: b.add_text_field("key", STRING | STORED),
        title: b.add_text_field("title", scored.clone()),
        lots: b.add_text_field("lots", scored.clone()),
        body: b.add_text_field("body", scored.clone()),
        buyer: b.add_text_field("buyer", scored.clone()),
        cpv: b.add_text_field("cpv", scored.clone()),
        cpv_up: b.add_text_field("cpv_up", scored.clone()),
        place: b.add_text_field("place", scored.clone()),
        meta: b.add_text_field("meta", scored),
        raw: b.add_text_field("raw", raw),
        bits: b.add_u64_field(BITS, FAST),
        divisions: b.add_u64_field(DIVISIONS, FAST),
        deadline: b.add_i64_field(DEADLINE, FAST),
        published: b.add_i64_field(PUBLISHED, FAST),
        value: b.add_i64_field(VALUE, FAST),
    };
    (b.build(), f)
}

/// The département of a document: given, or that of its commune (INSEE code).
fn departement_of(doc: &SearchDoc) -> Option<String> {
    if let Some(d) = doc.departement.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        return Some(d.to_string());
    }
    let commune = doc.commune.as_deref()?.trim();
    if let Some(c) = geo::commune(commune) {
        return Some(c.departement.clone());
    }
    let n = if commune.starts_with("97") || commune.starts_with("98") { 3 } else { 2 };
    commune.get(..n).map(str::to_string)
}

pub(crate) fn document(f: &Fields, d: &SearchDoc) -> TantivyDocument {
    let mut doc = TantivyDocument::new();
    let mut raw = String::new();
    let mut text = |doc: &mut TantivyDocument, field: Field, s: &str| {
        if !s.trim().is_empty() {
            doc.add_text(field, s);
            raw.push_str(s);
            raw.push('\n');
        }
    };
    doc.add_text(f.key, &d.key);
    text(&mut doc, f.title, &d.title);
    text(&mut doc, f.body, &d.description);
    for lot in &d.lot_titles {
        text(&mut doc, f.lots, lot);
    }
    text(&mut doc, f.buyer, &d.buyer_name);

    // CPV: each code with its label, then its ancestors' codes and labels.
    let mut divisions_mask = 0u64;
    let mut own = String::new();
    let mut up = String::new();
    for code in &d.cpv {
        if let Some(i) = division_index(code) {
            divisions_mask |= 1 << i;
        }
        let Ok(entry) = cpv::lookup(code) else {
            own.push_str(code);
            own.push('\n');
            continue;
        };
        own.push_str(&format!("{} {}\n", &entry.code[..8], entry.label_fr));
        let mut parent = entry.parent.clone();
        let mut guard = 0;
        while let Some(p) = parent.take() {
            guard += 1;
            let Ok(pe) = cpv::lookup(&p) else { break };
            up.push_str(&format!("{} {}\n", &pe.code[..8], pe.label_fr));
            if guard < 8 {
                parent = pe.parent.clone();
            }
        }
    }
    text(&mut doc, f.cpv, &own);
    text(&mut doc, f.cpv_up, &up);

    // Place: codes and names of the commune and département, NUTS.
    let dept = departement_of(d);
    let mut place = String::new();
    if let Some(code) = d.commune.as_deref() {
        place.push_str(code);
        place.push(' ');
        if let Some(c) = geo::commune(code) {
            place.push_str(&c.name);
            place.push(' ');
        }
    }
    if let Some(code) = dept.as_deref() {
        place.push_str(code);
        place.push(' ');
        if let Ok(dep) = geo::departement(code) {
            place.push_str(dep.name);
            place.push(' ');
            if d.nuts.is_none() {
                place.push_str(dep.nuts);
                place.push(' ');
            }
        }
    }
    if let Some(nuts) = d.nuts.as_deref() {
        place.push_str(nuts);
        place.push(' ');
    }
    if let Some(label) = d.place_label.as_deref() {
        place.push_str(label);
    }
    text(&mut doc, f.place, &place);

    // Vocabulary labels, searchable with a low weight.
    let mut meta: Vec<&str> = Vec::new();
    meta.extend(d.nature.map(|n| n.label()));
    meta.extend(d.procedure.map(|p| p.label()));
    meta.extend(d.buyer_kind.map(|k| k.label()));
    meta.extend(d.social.iter().filter(|s| **s != SocialConsideration::Aucune).map(|s| s.label()));
    meta.extend(d.environmental.iter().filter(|e| **e != EnvironmentalConsideration::Aucune).map(|e| e.label()));
    text(&mut doc, f.meta, &meta.join("\n"));
    doc.add_text(f.raw, &raw);

    let mut bits = 0u64;
    if let Some(i) = dept.as_deref().and_then(departement_index) {
        bits |= ((i + 1) as u64) << DEPT_SHIFT;
    }
    if let Some(n) = d.nature {
        bits |= (index_in(Nature::ALL, &n) as u64) << NATURE_SHIFT;
    }
    if let Some(p) = d.procedure {
        bits |= (index_in(Procedure::ALL, &p) as u64) << PROC_SHIFT;
    }
    for s in &d.social {
        let i = index_in(SocialConsideration::ALL, s);
        if i > 0 {
            bits |= 1 << (SOCIAL_SHIFT + i as u32 - 1);
        }
    }
    for e in &d.environmental {
        let i = index_in(EnvironmentalConsideration::ALL, e);
        if i > 0 {
            bits |= 1 << (ENV_SHIFT + i as u32 - 1);
        }
    }
    if d.reserved || d.social.contains(&SocialConsideration::MarcheReserve) {
        bits |= 1 << RESERVED_SHIFT;
    }
    if let Some(k) = d.buyer_kind {
        bits |= (index_in(BuyerKind::ALL, &k) as u64) << BUYER_SHIFT;
    }
    if d.kind == DocKind::Notice {
        bits |= 1 << KIND_SHIFT;
    }
    if d.closed {
        bits |= 1 << CLOSED_SHIFT;
    }
    doc.add_u64(f.bits, bits);
    doc.add_u64(f.divisions, divisions_mask);
    if let Some(t) = d.deadline {
        doc.add_i64(f.deadline, t);
    }
    if let Some(t) = d.published_at {
        doc.add_i64(f.published, t);
    }
    if let Some(v) = d.value_cents {
        doc.add_i64(f.value, v);
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabularies_fit_their_bits() {
        assert!(departements().len() < (1 << DEPT_BITS));
        assert!(Nature::ALL.len() < (1 << NATURE_BITS));
        assert!(Procedure::ALL.len() < (1 << PROC_BITS));
        assert!(SocialConsideration::ALL.len() <= SOCIAL_BITS as usize);
        assert!(EnvironmentalConsideration::ALL.len() <= ENV_BITS as usize);
        assert!(BuyerKind::ALL.len() < (1 << BUYER_BITS));
        assert!(divisions().len() <= 64);
        assert_eq!(divisions().len(), 45);
    }

    #[test]
    fn departement_codes() {
        assert_eq!(departements()[departement_index("93").unwrap()], "93");
        assert_eq!(departements()[departement_index("2a").unwrap()], "2A");
        assert_eq!(departements()[departement_index("974").unwrap()], "974");
        assert_eq!(departement_index("1"), departement_index("01"));
        assert_eq!(departement_index("20"), None);
        assert_eq!(departement_index(""), None);
    }
}
