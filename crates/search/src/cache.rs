//! Searches without words, remembered per segment.
//!
//! A search without words visits every document (the landing page, a facet clicked from it):
//! at a million documents that is tens of milliseconds per search. Its result for one segment
//! depends only on the segment (immutable but for its deletes), the filters, the sort, the
//! number kept — and on `now`, through deadlines only: « open », the deadline windows and the
//! deadline sort change when `now` reaches `d + 1` (`d >= now` turns false) or `d - span + 1`
//! (`d < now + span` turns true) for some deadline `d`. So a segment's result computed at `t0` is
//! exact for every `now` in `[t0, next boundary)`, and real deadlines (whole hours, noon) leave
//! minutes to hours between boundaries. Searches with words are not remembered: their texts are
//! too many to repeat.
//!
//! Entries of segments no longer searched are dropped as new ones come; the number of entries is
//! bounded (all dropped when full: cheaper than tracking use, and refilled at one pass each).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::index::SegmentId;
use tantivy::{Opstamp, Searcher, SegmentReader};

use crate::collect::{Fruit, MONTH, Plan, SearchCollector, WEEK};
use crate::layout::DEADLINE;

/// Entries kept at most (a few kilobytes each at the usual page sizes).
const MAX_ENTRIES: usize = 1_024;

#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    segment: SegmentId,
    deletes: Option<Opstamp>,
    /// The plan with `now` cleared.
    plan: Plan,
}

struct Entry {
    fruit: Fruit,
    from: i64,
    until: i64,
}

#[derive(Default)]
struct State {
    entries: HashMap<Key, Entry>,
    /// Each segment's deadlines, sorted (deleted documents included: a boundary too many only
    /// shortens a validity).
    deadlines: HashMap<SegmentId, Arc<Vec<i64>>>,
}

#[derive(Default)]
pub(crate) struct WordlessCache {
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

impl WordlessCache {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The same fruit as `searcher.search(&AllQuery, collector)`, from memory where it can.
    pub(crate) fn search(&self, searcher: &Searcher, collector: &SearchCollector) -> tantivy::Result<Fruit> {
        let now = collector.plan.now;
        let plan = collector.plan.without_now();
        let mut fruits = Vec::with_capacity(searcher.segment_readers().len());
        for (ordinal, reader) in searcher.segment_readers().iter().enumerate() {
            let ordinal = ordinal as u32;
            let key = Key { segment: reader.segment_id(), deletes: reader.delete_opstamp(), plan: plan.clone() };
            let cached =
                self.state().entries.get(&key).filter(|e| e.from <= now && now < e.until).map(|e| e.fruit.clone());
            let fruit = match cached {
                Some(f) => f.in_segment(ordinal),
                None => {
                    let mut segment = collector.for_segment(ordinal, reader)?;
                    for doc in reader.doc_ids_alive() {
                        segment.collect(doc, 0.0);
                    }
                    let fruit = segment.harvest();
                    let deadlines = self.deadlines(reader)?;
                    let until = next_boundary(&deadlines, now);
                    self.remember(searcher, key, Entry { fruit: fruit.clone(), from: now, until });
                    fruit
                }
            };
            fruits.push(fruit);
        }
        collector.merge_fruits(fruits)
    }

    fn deadlines(&self, reader: &SegmentReader) -> tantivy::Result<Arc<Vec<i64>>> {
        if let Some(d) = self.state().deadlines.get(&reader.segment_id()) {
            return Ok(d.clone());
        }
        let d = Arc::new(sorted_deadlines(reader)?);
        self.state().deadlines.insert(reader.segment_id(), d.clone());
        Ok(d)
    }

    fn remember(&self, searcher: &Searcher, key: Key, entry: Entry) {
        let live: Vec<SegmentId> = searcher.segment_readers().iter().map(|r| r.segment_id()).collect();
        let mut state = self.state();
        state.deadlines.retain(|id, _| live.contains(id));
        state.entries.retain(|k, _| live.contains(&k.segment));
        if state.entries.len() >= MAX_ENTRIES {
            state.entries.clear();
        }
        state.entries.insert(key, entry);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries_are_where_a_deadline_test_changes() {
        let d = [1_000_000];
        // Before the month window opens: it opens at d - MONTH + 1.
        assert_eq!(next_boundary(&d, 0), 1_000_000 - MONTH + 1);
        assert_eq!(next_boundary(&d, 1_000_000 - MONTH + 1), 1_000_000 - WEEK + 1);
        assert_eq!(next_boundary(&d, 1_000_000 - 1), 1_000_001);
        assert_eq!(next_boundary(&d, 1_000_000), 1_000_001);
        assert_eq!(next_boundary(&d, 1_000_001), i64::MAX);
        assert_eq!(next_boundary(&[], 5), i64::MAX);
    }
}
