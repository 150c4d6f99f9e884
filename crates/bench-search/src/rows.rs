//! A generated notice as a table row for the SQL baselines: the same texts the index gets (CPV
//! codes with their labels and their ancestors', the commune's and département's names, the
//! vocabulary labels), and the facet values as columns.

use domain::consultation::{EnvironmentalConsideration, SocialConsideration};
use domain::{cpv, geo};
use search::SearchDoc;

pub struct Row {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub lots: String,
    pub buyer: String,
    pub cpv: String,
    pub cpv_up: String,
    pub place: String,
    pub meta: String,
    pub dept: String,
    pub nature: Option<&'static str>,
    pub procedure: Option<&'static str>,
    /// One bit per `SocialConsideration::ALL` entry.
    pub social: i64,
    /// One bit per `EnvironmentalConsideration::ALL` entry.
    pub env: i64,
    pub reserved: bool,
    pub buyer_kind: Option<&'static str>,
    pub kind: &'static str,
    pub closed: bool,
    pub published: Option<i64>,
    pub deadline: Option<i64>,
    pub value: Option<i64>,
    /// CPV divisions (two digits), without repeats.
    pub divisions: Vec<String>,
}

fn bits<T: PartialEq>(all: &[T], set: &[T]) -> i64 {
    all.iter().enumerate().filter(|(_, v)| set.contains(v)).map(|(i, _)| 1i64 << i).sum()
}

pub fn row(id: i64, d: &SearchDoc) -> Row {
    let mut own = String::new();
    let mut up = String::new();
    let mut divisions: Vec<String> = Vec::new();
    for code in &d.cpv {
        if let Some(div) = code.get(..2).filter(|v| !divisions.iter().any(|d| d == v)) {
            divisions.push(div.to_string());
        }
        let Ok(entry) = cpv::lookup(code) else {
            own.push_str(code);
            own.push('\n');
            continue;
        };
        own.push_str(&format!("{} {}\n", &entry.code[..8], entry.label_fr));
        let mut parent = entry.parent.as_deref().and_then(|p| cpv::lookup(p).ok());
        while let Some(p) = parent {
            up.push_str(&format!("{} {}\n", &p.code[..8], p.label_fr));
            parent = p.parent.as_deref().and_then(|p| cpv::lookup(p).ok());
        }
    }
    let dept = d.departement.clone().unwrap_or_default();
    let mut place = Vec::new();
    if let Some(c) = d.commune.as_deref() {
        place.push(c.to_string());
        place.extend(geo::commune(c).map(|c| c.name.clone()));
    }
    if let Ok(dep) = geo::departement(&dept) {
        place.extend([dep.code.to_string(), dep.name.to_string(), dep.nuts.to_string()]);
    }
    let mut meta: Vec<&str> = Vec::new();
    meta.extend(d.nature.map(|n| n.label()));
    meta.extend(d.procedure.map(|p| p.label()));
    meta.extend(d.buyer_kind.map(|k| k.label()));
    meta.extend(d.social.iter().map(|s| s.label()));
    meta.extend(d.environmental.iter().map(|e| e.label()));
    Row {
        id,
        title: d.title.clone(),
        description: d.description.clone(),
        lots: d.lot_titles.join("\n"),
        buyer: d.buyer_name.clone(),
        cpv: own,
        cpv_up: up,
        place: place.join(" "),
        meta: meta.join("\n"),
        dept,
        nature: d.nature.map(|n| n.code()),
        procedure: d.procedure.map(|p| p.code()),
        social: bits(SocialConsideration::ALL, &d.social),
        env: bits(EnvironmentalConsideration::ALL, &d.environmental),
        reserved: d.reserved,
        buyer_kind: d.buyer_kind.map(|k| k.code()),
        kind: d.kind.code(),
        closed: d.closed,
        published: d.published_at,
        deadline: d.deadline,
        value: d.value_cents,
        divisions,
    }
}
