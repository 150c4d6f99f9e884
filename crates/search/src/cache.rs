//! Search results remembered while they stay exact.
//!
//! A search's result depends on the documents, the words, the filters, the sort, the number kept
//! — and on `now` through deadlines only: « open », the deadline windows and the deadline sort
//! change when `now` reaches `d + 1` (`d >= now` turns false) or `d - span + 1` (`d < now + span`
//! turns true) for some deadline `d`. A result computed at `t0` is therefore exact for every `now`
//! in `[t0, next boundary)`, and real deadlines (whole hours, noon) leave minutes to hours
//! between boundaries.
//!
//! Two kinds are remembered, the ones that visit many documents:
//! - searches without words (the landing page, a facet clicked from it), per segment: a segment
//!   is immutable but for its deletes, so a commit only costs the pass over its new segments;
//! - searches whose words matched at least [`EXPENSIVE_MATCHES`] documents (« travaux »,
//!   « services »), for the index's current generation as a whole, since relevance scores and
//!   typo expansions depend on every segment. Rarer words cost little and are always computed.
//!
//! Entries of segments or generations no longer searched are dropped as new ones come; the
//! number of entries is bounded (all dropped when full: cheaper than tracking use, and each one
//! is refilled by one search).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::index::SegmentId;
use tantivy::{Opstamp, Searcher, SegmentReader};

use crate::collect::{Fruit, MONTH, Plan, SearchCollector, WEEK};
use crate::layout::DEADLINE;

/// Entries kept at most, of each kind (a few kilobytes each at the usual page sizes).
const MAX_ENTRIES: usize = 1_024;
/// Searches with words are remembered from this many matching documents: below, computing
/// them takes a few milliseconds at most.
pub(crate) const EXPENSIVE_MATCHES: u64 = 10_000;

#[derive(Clone, PartialEq, Eq, Hash)]
struct SegmentKey {
    segment: SegmentId,
    deletes: Option<Opstamp>,
    /// The plan with `now` cleared.
    plan: Plan,
}

/// A search with words, as analysed.
#[derive(Clone, PartialEq, Eq, Hash)]
pub(crate) struct TextKey {
    pub(crate) words: Vec<String>,
    pub(crate) prefix_last: bool,
    /// The plan with `now` cleared.
    pub(crate) plan: Plan,
}

struct Entry<T> {
    value: T,
    from: i64,
    until: i64,
}

impl<T: Clone> Entry<T> {
    fn at(&self, now: i64) -> Option<T> {
        (self.from <= now && now < self.until).then(|| self.value.clone())
    }
}

#[derive(Default)]
struct State {
    segments: HashMap<SegmentKey, Entry<Fruit>>,
    /// Searches with words of `generation` only.
    texts: HashMap<TextKey, Entry<(Fruit, bool)>>,
    generation: u64,
    /// Each segment's deadlines, sorted (deleted documents included: a boundary too many only
    /// shortens a validity).
    deadlines: HashMap<SegmentId, Arc<Vec<i64>>>,
}

#[derive(Default)]
pub(crate) struct ResultCache {
    state: Mutex<State>,
}

/// The first instant after `now` at which a deadline test changes for one of `deadlines`.
fn next_boundary(deadlines: &[i64], now: i64) -> i64 {
    [1, 1 - WEEK, 1 - MONTH]
        .into_iter()
        .filter_map(|shift| {
            let i = deadlines.partition_point(|d| d.saturating_add(shift) <= now);
            deadlines.get(i).map(|d| d.saturating_add(shift))
        })
        .min()
        .unwrap_or(i64::MAX)
}

fn sorted_deadlines(reader: &SegmentReader) -> tantivy::Result<Vec<i64>> {
    let column: Column<i64> = reader.fast_fields().i64(DEADLINE)?;
    let mut v: Vec<i64> = (0..reader.max_doc()).filter_map(|doc| column.first(doc)).collect();
    v.sort_unstable();
    Ok(v)
}

impl ResultCache {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The same fruit as `searcher.search(&AllQuery, collector)`, from memory where it can.
    pub(crate) fn wordless(&self, searcher: &Searcher, collector: &SearchCollector) -> tantivy::Result<Fruit> {
        let now = collector.plan.now;
        let plan = collector.plan.without_now();
        let mut fruits = Vec::with_capacity(searcher.segment_readers().len());
        for (ordinal, reader) in searcher.segment_readers().iter().enumerate() {
            let ordinal = ordinal as u32;
            let key = SegmentKey { segment: reader.segment_id(), deletes: reader.delete_opstamp(), plan: plan.clone() };
            let cached = self.state().segments.get(&key).and_then(|e| e.at(now));
            let fruit = match cached {
                Some(f) => f.in_segment(ordinal),
                None => {
                    let mut segment = collector.for_segment(ordinal, reader)?;
                    for doc in reader.doc_ids_alive() {
                        segment.collect(doc, 0.0);
                    }
                    let fruit = segment.harvest();
                    let until = next_boundary(&self.deadlines(reader)?, now);
                    let live: Vec<SegmentId> = searcher.segment_readers().iter().map(|r| r.segment_id()).collect();
                    let mut state = self.state();
                    state.segments.retain(|k, _| live.contains(&k.segment));
                    if state.segments.len() >= MAX_ENTRIES {
                        state.segments.clear();
                    }
                    state.segments.insert(key, Entry { value: fruit.clone(), from: now, until });
                    fruit
                }
            };
            fruits.push(fruit);
        }
        collector.merge_fruits(fruits)
    }

    /// A remembered search with words (its fruit, and whether it was relaxed to any word).
    pub(crate) fn text(&self, searcher: &Searcher, key: &TextKey, now: i64) -> Option<(Fruit, bool)> {
        let state = self.state();
        if state.generation != searcher.generation().generation_id() {
            return None;
        }
        state.texts.get(key).and_then(|e| e.at(now))
    }

    /// Remembers a search with words if it was expensive.
    pub(crate) fn remember_text(
        &self,
        searcher: &Searcher,
        key: TextKey,
        now: i64,
        fruit: &Fruit,
        relaxed: bool,
    ) -> tantivy::Result<()> {
        if fruit.matched < EXPENSIVE_MATCHES {
            return Ok(());
        }
        let mut until = i64::MAX;
        for reader in searcher.segment_readers() {
            until = until.min(next_boundary(&self.deadlines(reader)?, now));
        }
        let generation = searcher.generation().generation_id();
        let mut state = self.state();
        if state.generation != generation || state.texts.len() >= MAX_ENTRIES {
            state.texts.clear();
            state.generation = generation;
        }
        state.texts.insert(key, Entry { value: (fruit.clone(), relaxed), from: now, until });
        Ok(())
    }

    fn deadlines(&self, reader: &SegmentReader) -> tantivy::Result<Arc<Vec<i64>>> {
        if let Some(d) = self.state().deadlines.get(&reader.segment_id()) {
            return Ok(d.clone());
        }
        let d = Arc::new(sorted_deadlines(reader)?);
        let mut state = self.state();
        // Forget segments merged away: a new segment is searched before it is asked for here.
        if state.deadlines.len() >= MAX_ENTRIES {
            state.deadlines.clear();
        }
        state.deadlines.insert(reader.segment_id(), d.clone());
        Ok(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries_are_where_a_deadline_test_changes() {
        let t = 10_000_000;
        let d = [t];
        // Before the month window opens: it opens at d - MONTH + 1.
        assert_eq!(next_boundary(&d, 0), t - MONTH + 1);
        assert_eq!(next_boundary(&d, t - MONTH + 1), t - WEEK + 1);
        assert_eq!(next_boundary(&d, t - 1), t + 1);
        assert_eq!(next_boundary(&d, t), t + 1);
        assert_eq!(next_boundary(&d, t + 1), i64::MAX);
        assert_eq!(next_boundary(&[], 5), i64::MAX);
    }
}
