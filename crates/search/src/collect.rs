//! One pass over the documents matching the text: filters, facet counts and the top of the page.
//!
//! Each filter group that a document fails sets one bit of `fails`. The document is a result when
//! `fails == 0`; it counts in a facet when it fails no filter but, possibly, that facet's own (the
//! usual multi-select faceting: choosing « Travaux » still shows how many « Services » there are).

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use domain::consultation::{EnvironmentalConsideration, Nature, Procedure, SocialConsideration};
use domain::organisation::BuyerKind;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::layout::{self, *};
use crate::{DeadlineWindow, DocKind, Facets, Filters, Sort};

pub(crate) const WEEK: i64 = 7 * 86_400;
pub(crate) const MONTH: i64 = 30 * 86_400;

// Filter groups, one bit each in `fails`.
const G_DEPT: u32 = 1 << 0;
const G_NATURE: u32 = 1 << 1;
const G_PROC: u32 = 1 << 2;
const G_DIV: u32 = 1 << 3;
const G_SOCIAL: u32 = 1 << 4;
const G_ENV: u32 = 1 << 5;
const G_RESERVED: u32 = 1 << 6;
const G_WINDOW: u32 = 1 << 7;
const G_BUYER: u32 = 1 << 8;
const G_KIND: u32 = 1 << 9;
const G_OPEN: u32 = 1 << 10;
const G_VALUE: u32 = 1 << 11;

/// The filters turned into masks over the packed columns. A mask of allowed values is `None`
/// when the filter is not set; an empty mask (only unknown values asked) lets nothing through.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub(crate) struct Plan {
    dept: Option<u128>,
    nature: Option<u64>,
    procedure: Option<u64>,
    divisions: Option<u64>,
    social: Option<u64>,
    env: Option<u64>,
    reserved: Option<bool>,
    window: Option<i64>,
    buyer: Option<u64>,
    kind: Option<bool>,
    open_only: bool,
    min_value: Option<i64>,
    max_value: Option<i64>,
    pub(crate) now: i64,
    pub(crate) sort: Sort,
    /// How many of the best documents to keep (offset + page size).
    pub(crate) keep: usize,
    pub(crate) scoring: bool,
}

fn mask_of<T: PartialEq>(all: &[T], wanted: &[T]) -> Option<u64> {
    if wanted.is_empty() {
        return None;
    }
    Some(wanted.iter().map(|w| 1u64 << layout::index_in(all, w)).fold(0, |a, b| a | b))
}

fn bits_of<T: PartialEq>(all: &[T], wanted: &[T]) -> Option<u64> {
    if wanted.is_empty() {
        return None;
    }
    Some(wanted.iter().filter_map(|w| all.iter().position(|x| x == w)).map(|i| 1u64 << i).fold(0, |a, b| a | b))
}

impl Plan {
    pub(crate) fn new(filters: &Filters, now: i64, sort: Sort, keep: usize, scoring: bool) -> Plan {
        let dept = (!filters.departements.is_empty()).then(|| {
            filters
                .departements
                .iter()
                .filter_map(|d| layout::departement_index(d))
                .map(|i| 1u128 << (i + 1))
                .fold(0, |a, b| a | b)
        });
        let divisions = (!filters.cpv_divisions.is_empty()).then(|| {
            filters
                .cpv_divisions
                .iter()
                .filter_map(|d| layout::division_index(d))
                .map(|i| 1u64 << i)
                .fold(0, |a, b| a | b)
        });
        Plan {
            dept,
            nature: mask_of(Nature::ALL, &filters.natures),
            procedure: mask_of(Procedure::ALL, &filters.procedures),
            divisions,
            social: bits_of(SocialConsideration::ALL, &filters.social),
            env: bits_of(EnvironmentalConsideration::ALL, &filters.environmental),
            reserved: filters.reserved,
            window: filters.deadline_window.map(|w| match w {
                DeadlineWindow::Week => WEEK,
                DeadlineWindow::Month => MONTH,
            }),
            buyer: mask_of(BuyerKind::ALL, &filters.buyer_kinds),
            kind: filters.kind.map(|k| k == DocKind::Notice),
            open_only: filters.open_only,
            min_value: filters.min_value_cents,
            max_value: filters.max_value_cents,
            now,
            sort,
            keep,
            scoring,
        }
    }

    /// The same plan at no particular instant, to compare plans made at different times.
    pub(crate) fn without_now(&self) -> Plan {
        Plan { now: 0, ..self.clone() }
    }

    fn in_window(&self, deadline: Option<i64>, span: i64) -> bool {
        deadline.is_some_and(|d| d >= self.now && d < self.now.saturating_add(span))
    }
}

/// One kept document, ordered best first by `(class, value)`, then by address.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Entry {
    class: u8,
    value: u64,
    pub(crate) segment: SegmentOrdinal,
    pub(crate) doc: DocId,
    pub(crate) score: Score,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    /// Greater is better.
    fn cmp(&self, other: &Self) -> Ordering {
        (self.class, self.value)
            .cmp(&(other.class, other.value))
            .then_with(|| (other.segment, other.doc).cmp(&(self.segment, self.doc)))
    }
}

/// An `i64` mapped to a `u64` keeping the order.
fn ordered(v: i64) -> u64 {
    (v as u64) ^ (1 << 63)
}

#[derive(Debug, Clone)]
pub(crate) struct Counts {
    dept: Vec<u64>,
    nature: [u64; 4],
    procedure: [u64; 16],
    divisions: [u64; 64],
    social: [u64; 8],
    env: [u64; 8],
    reserved: [u64; 2],
    window: [u64; 2],
    buyer: [u64; 16],
    kind: [u64; 2],
}

impl Counts {
    fn new() -> Counts {
        Counts {
            dept: vec![0; 1 << DEPT_BITS],
            nature: [0; 4],
            procedure: [0; 16],
            divisions: [0; 64],
            social: [0; 8],
            env: [0; 8],
            reserved: [0; 2],
            window: [0; 2],
            buyer: [0; 16],
            kind: [0; 2],
        }
    }

    fn add(&mut self, o: &Counts) {
        fn sum(a: &mut [u64], b: &[u64]) {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
        sum(&mut self.dept, &o.dept);
        sum(&mut self.nature, &o.nature);
        sum(&mut self.procedure, &o.procedure);
        sum(&mut self.divisions, &o.divisions);
        sum(&mut self.social, &o.social);
        sum(&mut self.env, &o.env);
        sum(&mut self.reserved, &o.reserved);
        sum(&mut self.window, &o.window);
        sum(&mut self.buyer, &o.buyer);
        sum(&mut self.kind, &o.kind);
    }

    pub(crate) fn facets(&self) -> Facets {
        fn listed(pairs: impl Iterator<Item = (String, u64)>) -> Vec<(String, u64)> {
            let mut v: Vec<_> = pairs.filter(|(_, n)| *n > 0).collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            v
        }
        fn vocab<T: Copy>(all: &[T], counts: &[u64], code: fn(T) -> &'static str, offset: usize) -> Vec<(String, u64)> {
            listed(
                all.iter()
                    .enumerate()
                    .map(|(i, v)| (code(*v).to_string(), counts.get(i + offset).copied().unwrap_or(0))),
            )
        }
        let depts = layout::departements();
        let divs = layout::divisions();
        Facets {
            departement: listed(
                depts.iter().enumerate().map(|(i, d)| (d.clone(), self.dept.get(i + 1).copied().unwrap_or(0))),
            ),
            nature: vocab(Nature::ALL, &self.nature, Nature::code, 1),
            procedure: vocab(Procedure::ALL, &self.procedure, Procedure::code, 1),
            cpv_division: listed(divs.iter().enumerate().map(|(i, d)| (d.clone(), self.divisions[i]))),
            social: vocab(SocialConsideration::ALL, &self.social, SocialConsideration::code, 0),
            environmental: vocab(EnvironmentalConsideration::ALL, &self.env, EnvironmentalConsideration::code, 0),
            reserved: listed(
                [("true".to_string(), self.reserved[1]), ("false".to_string(), self.reserved[0])].into_iter(),
            ),
            deadline_window: [("week".to_string(), self.window[0]), ("month".to_string(), self.window[1])]
                .into_iter()
                .filter(|(_, n)| *n > 0)
                .collect(),
            buyer_kind: vocab(BuyerKind::ALL, &self.buyer, BuyerKind::code, 1),
            kind: listed(
                [("consultation".to_string(), self.kind[0]), ("notice".to_string(), self.kind[1])].into_iter(),
            ),
        }
    }
}

#[derive(Clone)]
pub(crate) struct Fruit {
    pub(crate) total: u64,
    /// Documents that matched the text, whatever the filters.
    pub(crate) matched: u64,
    pub(crate) counts: Counts,
    pub(crate) best: Vec<Entry>,
}

impl Fruit {
    /// One segment's fruit, its documents addressed in the segment of ordinal `segment` (a
    /// segment's ordinal changes from one searcher to the next).
    pub(crate) fn in_segment(mut self, segment: SegmentOrdinal) -> Fruit {
        for e in &mut self.best {
            e.segment = segment;
        }
        self
    }
}

pub(crate) struct SearchCollector {
    pub(crate) plan: Plan,
}

impl Collector for SearchCollector {
    type Fruit = Fruit;
    type Child = SegmentSearch;

    fn for_segment(&self, segment: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<SegmentSearch> {
        let ff = reader.fast_fields();
        Ok(SegmentSearch {
            plan: self.plan.clone(),
            segment,
            bits: ff.u64(BITS)?,
            divisions: ff.u64(DIVISIONS)?,
            deadline: ff.i64(DEADLINE)?,
            published: ff.i64(PUBLISHED)?,
            value: ff.i64(VALUE)?,
            heap: BinaryHeap::new(),
            fruit: Fruit { total: 0, matched: 0, counts: Counts::new(), best: Vec::new() },
        })
    }

    fn requires_scoring(&self) -> bool {
        self.plan.scoring
    }

    fn merge_fruits(&self, fruits: Vec<Fruit>) -> tantivy::Result<Fruit> {
        let mut out = Fruit { total: 0, matched: 0, counts: Counts::new(), best: Vec::new() };
        for f in fruits {
            out.total += f.total;
            out.matched += f.matched;
            out.counts.add(&f.counts);
            out.best.extend(f.best);
        }
        out.best.sort_by(|a, b| b.cmp(a));
        out.best.truncate(self.plan.keep);
        Ok(out)
    }
}

pub(crate) struct SegmentSearch {
    plan: Plan,
    segment: SegmentOrdinal,
    bits: Column<u64>,
    divisions: Column<u64>,
    deadline: Column<i64>,
    published: Column<i64>,
    value: Column<i64>,
    heap: BinaryHeap<Reverse<Entry>>,
    fruit: Fruit,
}

impl SegmentSearch {
    fn rank(&self, doc: DocId, score: Score, deadline: Option<i64>) -> (u8, u64) {
        let p = &self.plan;
        match p.sort {
            Sort::Relevance if p.scoring => (1, u64::from(score.max(0.0).to_bits())),
            Sort::Relevance | Sort::Publication => match self.published.first(doc) {
                Some(t) => (2, ordered(t)),
                None => (1, 0),
            },
            Sort::Deadline => match deadline {
                Some(d) if d >= p.now => (3, u64::MAX - ordered(d)),
                Some(d) => (2, ordered(d)),
                None => (1, 0),
            },
        }
    }
}

impl SegmentCollector for SegmentSearch {
    type Fruit = Fruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        let p = &self.plan;
        self.fruit.matched += 1;
        let bits = self.bits.first(doc).unwrap_or(0);
        let deadline = self.deadline.first(doc);
        let mut divisions = 0;
        let mut fails = 0u32;
        let dept = field_of(bits, DEPT_SHIFT, DEPT_BITS);
        if p.dept.is_some_and(|m| m & (1u128 << dept) == 0 || dept == 0) {
            fails |= G_DEPT;
        }
        let nature = field_of(bits, NATURE_SHIFT, NATURE_BITS);
        if p.nature.is_some_and(|m| m & (1 << nature) == 0 || nature == 0) {
            fails |= G_NATURE;
        }
        let procedure = field_of(bits, PROC_SHIFT, PROC_BITS);
        if p.procedure.is_some_and(|m| m & (1 << procedure) == 0 || procedure == 0) {
            fails |= G_PROC;
        }
        let social = field_of(bits, SOCIAL_SHIFT, SOCIAL_BITS) as u64;
        if p.social.is_some_and(|m| m & social == 0) {
            fails |= G_SOCIAL;
        }
        let env = field_of(bits, ENV_SHIFT, ENV_BITS) as u64;
        if p.env.is_some_and(|m| m & env == 0) {
            fails |= G_ENV;
        }
        let reserved = field_of(bits, RESERVED_SHIFT, 1) == 1;
        if p.reserved.is_some_and(|r| r != reserved) {
            fails |= G_RESERVED;
        }
        if p.window.is_some_and(|span| !p.in_window(deadline, span)) {
            fails |= G_WINDOW;
        }
        let buyer = field_of(bits, BUYER_SHIFT, BUYER_BITS);
        if p.buyer.is_some_and(|m| m & (1 << buyer) == 0 || buyer == 0) {
            fails |= G_BUYER;
        }
        let notice = field_of(bits, KIND_SHIFT, 1) == 1;
        if p.kind.is_some_and(|k| k != notice) {
            fails |= G_KIND;
        }
        let closed = field_of(bits, CLOSED_SHIFT, 1) == 1;
        if p.open_only && (closed || deadline.is_none_or(|d| d < p.now)) {
            fails |= G_OPEN;
        }
        if p.min_value.is_some() || p.max_value.is_some() {
            let v = self.value.first(doc);
            let ok = v.is_some_and(|v| p.min_value.is_none_or(|m| v >= m) && p.max_value.is_none_or(|m| v <= m));
            if !ok {
                fails |= G_VALUE;
            }
        }
        if fails.count_ones() > 1 {
            return;
        }
        if p.divisions.is_some() || fails == 0 {
            divisions = self.divisions.first(doc).unwrap_or(0);
            if p.divisions.is_some_and(|m| m & divisions == 0) {
                fails |= G_DIV;
                if fails.count_ones() > 1 {
                    return;
                }
            }
        }

        let c = &mut self.fruit.counts;
        let counts = |group: u32| fails == 0 || fails == group;
        if counts(G_DEPT) {
            c.dept[dept] += 1;
        }
        if counts(G_NATURE) {
            c.nature[nature] += 1;
        }
        if counts(G_PROC) {
            c.procedure[procedure] += 1;
        }
        if counts(G_DIV) {
            let mut d = divisions;
            while d != 0 {
                c.divisions[d.trailing_zeros() as usize] += 1;
                d &= d - 1;
            }
        }
        if counts(G_SOCIAL) {
            let mut s = social;
            while s != 0 {
                c.social[s.trailing_zeros() as usize] += 1;
                s &= s - 1;
            }
        }
        if counts(G_ENV) {
            let mut e = env;
            while e != 0 {
                c.env[e.trailing_zeros() as usize] += 1;
                e &= e - 1;
            }
        }
        if counts(G_RESERVED) {
            c.reserved[usize::from(reserved)] += 1;
        }
        if counts(G_WINDOW) {
            if p.in_window(deadline, WEEK) {
                c.window[0] += 1;
            }
            if p.in_window(deadline, MONTH) {
                c.window[1] += 1;
            }
        }
        if counts(G_BUYER) {
            c.buyer[buyer] += 1;
        }
        if counts(G_KIND) {
            c.kind[usize::from(notice)] += 1;
        }
        if fails != 0 {
            return;
        }

        self.fruit.total += 1;
        if self.plan.keep == 0 {
            return;
        }
        let (class, value) = self.rank(doc, score, deadline);
        let entry = Entry { class, value, segment: self.segment, doc, score };
        if self.heap.len() < self.plan.keep {
            self.heap.push(Reverse(entry));
        } else if self.heap.peek().is_some_and(|Reverse(worst)| entry > *worst) {
            self.heap.pop();
            self.heap.push(Reverse(entry));
        }
    }

    fn harvest(mut self) -> Fruit {
        self.fruit.best = self.heap.into_iter().map(|Reverse(e)| e).collect();
        self.fruit
    }
}
