//! The index: opening, writing with change-feed positions, searching.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use tantivy::directory::MmapDirectory;
use tantivy::schema::Value;
use tantivy::{DocAddress, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, Term};

use crate::cache::{ResultCache, TextKey};
use crate::collect::{Fruit, Plan, SearchCollector};
use crate::layout::{self, Fields};
use crate::{DEFAULT_PER_PAGE, Hit, MAX_PER_PAGE, MAX_RANK, Query, Result, Results, SearchDoc, Sort, analysis, text};

/// Writer memory for an index on disk (split between the indexing threads).
const WRITER_HEAP: usize = 96 << 20;
/// [`Index::optimize`] waits this long for background merges, this many times at most.
const OPTIMIZE_RETRY_AFTER: std::time::Duration = std::time::Duration::from_millis(100);
const OPTIMIZE_ATTEMPTS: usize = 600;
/// Writer memory for an index in memory (tests): tantivy's minimum for one thread is 15 MB.
const TEST_WRITER_HEAP: usize = 20 << 20;

/// The search index. Cheap to share (`&Index` from many threads): searches run concurrently, and
/// writes queue on one writer.
pub struct Index {
    index: tantivy::Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    cache: ResultCache,
}

fn payload(position: Option<i64>) -> String {
    serde_json::json!({ "position": position, "layout": layout::fingerprint() }).to_string()
}

impl Index {
    /// Opens the index in `dir` (created if missing). An index written with another layout
    /// (vocabularies changed) is emptied, and [`Index::last_position`] is then `None`, so the
    /// indexer rebuilds it from the start of the change feed.
    pub fn open_or_create(dir: impl AsRef<Path>) -> Result<Index> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir)?;
        let (schema, fields) = layout::schema();
        let index = tantivy::Index::open_or_create(MmapDirectory::open(dir)?, schema)?;
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 2);
        Index::init(index, fields, threads, WRITER_HEAP)
    }

    /// An index in memory, for tests.
    pub fn in_memory() -> Result<Index> {
        let (schema, fields) = layout::schema();
        Index::init(tantivy::Index::create_in_ram(schema), fields, 1, TEST_WRITER_HEAP)
    }

    fn init(index: tantivy::Index, fields: Fields, threads: usize, heap: usize) -> Result<Index> {
        index.tokenizers().register(analysis::FR, analysis::french_analyzer());
        index.tokenizers().register(analysis::FR_RAW, analysis::raw_analyzer());
        let writer = index.writer_with_num_threads(threads, heap)?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let this = Index { index, reader, writer: Mutex::new(writer), fields, cache: ResultCache::default() };
        let layout = this.payload_field("layout");
        if layout.is_some_and(|l| l.as_str() != Some(layout::fingerprint().as_str())) {
            this.clear()?;
        }
        Ok(this)
    }

    fn writer(&self) -> MutexGuard<'_, IndexWriter> {
        self.writer.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn payload_field(&self, name: &str) -> Option<serde_json::Value> {
        let payload = self.index.load_metas().ok()?.payload?;
        let mut value: serde_json::Value = serde_json::from_str(&payload).ok()?;
        value.get_mut(name).map(serde_json::Value::take)
    }

    /// Adds documents, replacing those with the same key. Seen by searches after [`Index::commit`].
    pub fn upsert(&self, docs: &[SearchDoc]) -> Result<()> {
        let writer = self.writer();
        for d in docs {
            writer.delete_term(Term::from_field_text(self.fields.key, &d.key));
            writer.add_document(layout::document(&self.fields, d))?;
        }
        Ok(())
    }

    /// Removes a document (no error if there is none). Seen by searches after [`Index::commit`].
    pub fn delete(&self, key: &str) -> Result<()> {
        self.writer().delete_term(Term::from_field_text(self.fields.key, key));
        Ok(())
    }

    /// Makes the changes so far durable and visible, recording the change-feed position they
    /// bring the index to.
    pub fn commit(&self, position: i64) -> Result<()> {
        self.commit_payload(Some(position))
    }

    fn commit_payload(&self, position: Option<i64>) -> Result<()> {
        let mut writer = self.writer();
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&payload(position));
        prepared.commit()?;
        drop(writer);
        self.reader.reload()?;
        Ok(())
    }

    /// Merges every segment into one and waits for it: after a rebuild, each word of a search is
    /// then looked up (and its typos expanded) once instead of once per segment. Seen by
    /// searches at once; the change-feed position is kept. Segments busy in a background merge
    /// are waited for, a minute at most (then the index is left as it is: correct, only slower).
    pub fn optimize(&self) -> Result<()> {
        let mut writer = self.writer();
        for _ in 0..OPTIMIZE_ATTEMPTS {
            let segments = self.index.searchable_segment_ids()?;
            if segments.len() < 2 {
                break;
            }
            match writer.merge(&segments).wait() {
                // Some segments are in a background merge: retry once it has replaced them.
                Err(tantivy::TantivyError::InvalidArgument(_)) => std::thread::sleep(OPTIMIZE_RETRY_AFTER),
                Err(e) => return Err(e.into()),
                Ok(_) => break,
            }
        }
        drop(writer);
        self.reader.reload()?;
        Ok(())
    }

    /// The change-feed position of the last commit: the indexer resumes after it. `None` for a
    /// new or cleared index.
    pub fn last_position(&self) -> Option<i64> {
        self.payload_field("position")?.as_i64()
    }

    /// Empties the index (committed at once, position forgotten), before a rebuild.
    pub fn clear(&self) -> Result<()> {
        self.writer().delete_all_documents()?;
        self.commit_payload(None)
    }

    /// The number of documents searchable.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Searches. Any text and any filter values are fine: errors are only the index's own (I/O).
    pub fn search(&self, q: &Query) -> Result<Results> {
        let searcher = self.reader.searcher();
        let (words, prefix_last) = text::query_words(&q.text);
        let per_page = match q.per_page {
            0 => DEFAULT_PER_PAGE,
            n => n.min(MAX_PER_PAGE),
        };
        let offset = (q.page.max(1) - 1).saturating_mul(per_page);
        let keep = if offset >= MAX_RANK { 0 } else { (offset + per_page).min(MAX_RANK) };
        let scoring = q.sort == Sort::Relevance && !words.is_empty();
        let collector = SearchCollector { plan: Plan::new(&q.filters, q.now, q.sort, keep, scoring) };

        let (fruit, relaxed) = if words.is_empty() {
            (self.cache.wordless(&searcher, &collector)?, false)
        } else {
            let key = TextKey { words, prefix_last, plan: collector.plan.without_now() };
            match self.cache.text(&searcher, &key, q.now) {
                Some(remembered) => remembered,
                None => {
                    let (fruit, relaxed) = self.search_words(&searcher, &collector, &key.words, prefix_last)?;
                    self.cache.remember_text(&searcher, key, q.now, &fruit, relaxed)?;
                    (fruit, relaxed)
                }
            }
        };

        let mut items = Vec::new();
        for e in fruit.best.iter().skip(offset).take(per_page) {
            let doc: TantivyDocument = searcher.doc(DocAddress::new(e.segment, e.doc))?;
            let key = doc.get_first(self.fields.key).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            items.push(Hit { key, score: if scoring { e.score } else { 0.0 } });
        }
        Ok(Results { total: fruit.total, items, facets: fruit.counts.facets(), relaxed })
    }

    /// All the words required, or any of them when that matches nothing (then `relaxed`).
    fn search_words(
        &self,
        searcher: &Searcher,
        collector: &SearchCollector,
        words: &[String],
        prefix_last: bool,
    ) -> Result<(Fruit, bool)> {
        let query = text::build(searcher, &self.fields, words, prefix_last, true)?;
        let fruit = searcher.search(&*query, collector)?;
        if fruit.matched == 0 && words.len() > 1 {
            let query = text::build(searcher, &self.fields, words, prefix_last, false)?;
            let fruit = searcher.search(&*query, collector)?;
            let relaxed = fruit.matched > 0;
            return Ok((fruit, relaxed));
        }
        Ok((fruit, false))
    }

    /// Completions of the last word of `prefix` among the indexed words (accents folded,
    /// lowercase), most frequent first; the word itself first if it is indexed as typed.
    pub fn suggest(&self, prefix: &str, limit: usize) -> Result<Vec<String>> {
        let (words, _) = text::query_words(prefix);
        let Some(word) = words.last() else { return Ok(Vec::new()) };
        if word.chars().count() < 2 || limit == 0 {
            return Ok(Vec::new());
        }
        let searcher = self.reader.searcher();
        let exact = Term::from_field_text(self.fields.raw, word);
        let mut out = Vec::new();
        if searcher.doc_freq(&exact)? > 0 {
            out.push(word.clone());
        }
        out.extend(text::prefix_expansions(&searcher, self.fields.raw, word, limit)?);
        out.truncate(limit.min(MAX_PER_PAGE));
        Ok(out)
    }
}
