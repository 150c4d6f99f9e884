//! One SQL statement per search for the baselines: the rows matching the words (a CTE), then,
//! over them, the total, the page in the asked order and each facet's counts with every filter
//! but the facet's own — what the index computes in its single pass.
//!
//! The words: runs of letters and digits, at most 16, all required (any of them when that finds
//! nothing, as the index does), the last one completed as a prefix while it is being typed.
//! Neither engine forgives typos; FTS5 does not stem French, PostgreSQL does not fold accents.

use domain::consultation::{EnvironmentalConsideration, SocialConsideration};
use search::{DeadlineWindow, DocKind, Sort};

use crate::queries::{BenchQuery, PER_PAGE};

const MAX_WORDS: usize = 16;
const WEEK: i64 = 7 * 86_400;
const MONTH: i64 = 30 * 86_400;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// The words of the text, and whether the last one is being typed.
pub fn words(text: &str) -> (Vec<String>, bool) {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(MAX_WORDS)
        .map(str::to_lowercase)
        .collect();
    let typing = text.chars().next_back().is_some_and(char::is_alphanumeric)
        && words.last().is_some_and(|w| w.chars().count() >= 3);
    (words, typing)
}

/// The engine's full-text query for the words: all of them, or any of them.
pub fn match_expression(dialect: Dialect, words: &[String], typing: bool, all: bool) -> String {
    let last = words.len().saturating_sub(1);
    let terms: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let prefix = typing && i == last;
            match (dialect, prefix) {
                (Dialect::Sqlite, false) => format!("\"{w}\""),
                (Dialect::Sqlite, true) => format!("\"{w}\" *"),
                (Dialect::Postgres, false) => w.clone(),
                (Dialect::Postgres, true) => format!("{w}:*"),
            }
        })
        .collect();
    let join = match (dialect, all) {
        (Dialect::Sqlite, true) => " ",
        (Dialect::Sqlite, false) => " OR ",
        (Dialect::Postgres, true) => " & ",
        (Dialect::Postgres, false) => " | ",
    };
    terms.join(join)
}

fn list(values: &[&str]) -> String {
    values.iter().map(|v| format!("'{}'", v.replace('\'', "''"))).collect::<Vec<_>>().join(", ")
}

fn mask<T: PartialEq>(all: &[T], set: &[T]) -> i64 {
    all.iter().enumerate().filter(|(_, v)| set.contains(v)).map(|(i, _)| 1i64 << i).sum()
}

/// Facet groups: each filter is one, and a facet counts the rows passing all the others.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Group {
    Dept,
    Nature,
    Procedure,
    Division,
    Social,
    Env,
    Reserved,
    Window,
    Buyer,
    Kind,
    Open,
    Value,
}

fn conditions(q: &BenchQuery, now: &str) -> Vec<(Group, String)> {
    let f = &q.filters;
    let mut c = Vec::new();
    let codes = |v: Vec<&str>| list(&v);
    if !f.departements.is_empty() {
        c.push((Group::Dept, format!("m.dept IN ({})", codes(f.departements.iter().map(String::as_str).collect()))));
    }
    if !f.natures.is_empty() {
        c.push((Group::Nature, format!("m.nature IN ({})", codes(f.natures.iter().map(|n| n.code()).collect()))));
    }
    if !f.procedures.is_empty() {
        c.push((
            Group::Procedure,
            format!("m.procedure IN ({})", codes(f.procedures.iter().map(|p| p.code()).collect())),
        ));
    }
    if !f.cpv_divisions.is_empty() {
        c.push((
            Group::Division,
            format!(
                "EXISTS (SELECT 1 FROM notice_divisions d WHERE d.notice_id = m.id AND d.division IN ({}))",
                codes(f.cpv_divisions.iter().map(String::as_str).collect())
            ),
        ));
    }
    if !f.social.is_empty() {
        c.push((Group::Social, format!("(m.social & {}) <> 0", mask(SocialConsideration::ALL, &f.social))));
    }
    if !f.environmental.is_empty() {
        c.push((Group::Env, format!("(m.env & {}) <> 0", mask(EnvironmentalConsideration::ALL, &f.environmental))));
    }
    if let Some(r) = f.reserved {
        c.push((Group::Reserved, format!("m.reserved = {}", i32::from(r))));
    }
    if let Some(w) = f.deadline_window {
        let span = if w == DeadlineWindow::Week { WEEK } else { MONTH };
        c.push((Group::Window, format!("m.deadline >= {now} AND m.deadline < {now} + {span}")));
    }
    if !f.buyer_kinds.is_empty() {
        c.push((
            Group::Buyer,
            format!("m.buyer_kind IN ({})", codes(f.buyer_kinds.iter().map(|k| k.code()).collect())),
        ));
    }
    if let Some(k) = f.kind {
        c.push((Group::Kind, format!("m.kind = '{}'", if k == DocKind::Notice { "notice" } else { "consultation" })));
    }
    if f.open_only {
        c.push((Group::Open, format!("m.closed = 0 AND m.deadline >= {now}")));
    }
    if let Some(v) = f.min_value_cents {
        c.push((Group::Value, format!("m.value >= {v}")));
    }
    if let Some(v) = f.max_value_cents {
        c.push((Group::Value, format!("m.value <= {v}")));
    }
    c
}

fn where_but(conds: &[(Group, String)], but: Option<Group>, extra: &str) -> String {
    let mut parts: Vec<&str> = conds.iter().filter(|(g, _)| Some(*g) != but).map(|(_, s)| s.as_str()).collect();
    if !extra.is_empty() {
        parts.push(extra);
    }
    if parts.is_empty() { String::new() } else { format!(" WHERE {}", parts.join(" AND ")) }
}

/// The statement for `q`. Parameters: with words, `$1` the match expression and `$2` the current
/// instant; without, `$1` the instant. Returns rows `(what, value, n)`: `total`, `page` (ids in
/// order), then one per facet value.
pub fn statement(dialect: Dialect, q: &BenchQuery, has_words: bool) -> String {
    let now = if has_words { "CAST($2 AS BIGINT)" } else { "CAST($1 AS BIGINT)" };
    let scoring = has_words && q.sort == Sort::Relevance;
    let columns =
        "id, dept, nature, procedure, social, env, reserved, buyer_kind, kind, closed, published, deadline, value";
    let source = match (dialect, has_words) {
        (Dialect::Sqlite, true) => format!(
            "SELECT n.{}, bm25(notices_fts, 4, 2, 1.5, 1.2, 1, 1, 0.6, 0.5) AS score \
             FROM notices_fts JOIN notices n ON n.id = notices_fts.rowid WHERE notices_fts MATCH $1",
            columns.replace(", ", ", n.")
        ),
        (Dialect::Postgres, true) => format!(
            "SELECT {columns}, {} AS score FROM notices WHERE tsv @@ to_tsquery('french', $1)",
            if scoring { "ts_rank(tsv, to_tsquery('french', $1))" } else { "0" }
        ),
        (_, false) => format!("SELECT {columns}, 0 AS score FROM notices"),
    };
    // Text matches are computed once and read by every part; without words each part scans the
    // table itself rather than copying it.
    let materialized = if has_words { "MATERIALIZED" } else { "NOT MATERIALIZED" };
    let conds = conditions(q, now);
    let all = where_but(&conds, None, "");
    let order = match q.sort {
        Sort::Relevance if scoring => match dialect {
            Dialect::Sqlite => "score ASC, id".to_string(),
            Dialect::Postgres => "score DESC, id".to_string(),
        },
        Sort::Relevance | Sort::Publication => "published IS NULL, published DESC, id".to_string(),
        Sort::Deadline => format!(
            "CASE WHEN deadline >= {now} THEN 0 WHEN deadline IS NOT NULL THEN 1 ELSE 2 END, \
             CASE WHEN deadline >= {now} THEN deadline ELSE -deadline END, id"
        ),
    };
    let offset = (q.page.max(1) - 1) * PER_PAGE;
    let mut parts = vec![
        format!("SELECT 'total' AS what, '' AS value, count(*) AS n FROM m{all}"),
        format!(
            "SELECT 'page', CAST(id AS TEXT), 0 FROM (SELECT m.id FROM m{all} ORDER BY {order} LIMIT {PER_PAGE} OFFSET {offset}) p"
        ),
    ];
    for (name, column, group) in [
        ("departement", "m.dept", Group::Dept),
        ("nature", "m.nature", Group::Nature),
        ("procedure", "m.procedure", Group::Procedure),
        ("buyer_kind", "m.buyer_kind", Group::Buyer),
        ("kind", "m.kind", Group::Kind),
        ("reserved", "CAST(m.reserved AS TEXT)", Group::Reserved),
    ] {
        let w = where_but(&conds, Some(group), &format!("{column} IS NOT NULL"));
        parts.push(format!("SELECT '{name}', {column}, count(*) FROM m{w} GROUP BY {column}"));
    }
    let w = where_but(&conds, Some(Group::Division), "");
    parts.push(format!(
        "SELECT 'cpv_division', d.division, count(*) FROM m JOIN notice_divisions d ON d.notice_id = m.id{w} GROUP BY d.division"
    ));
    for (name, column, group) in [("social", "m.social", Group::Social), ("environmental", "m.env", Group::Env)] {
        let w = where_but(&conds, Some(group), "");
        parts.push(format!(
            "SELECT '{name}', b.code, count(*) FROM m JOIN bits b ON b.facet = '{name}' AND ({column} & b.bit) <> 0{w} GROUP BY b.code"
        ));
    }
    for (name, span) in [("week", WEEK), ("month", MONTH)] {
        let w = where_but(&conds, Some(Group::Window), &format!("m.deadline >= {now} AND m.deadline < {now} + {span}"));
        parts.push(format!("SELECT 'deadline_window', '{name}', count(*) FROM m{w}"));
    }
    format!("WITH m AS {materialized} ({source}) {}", parts.join(" UNION ALL "))
}
