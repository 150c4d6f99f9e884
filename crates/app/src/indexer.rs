//! Search: the tantivy index (crate `search`), derived from the store and never a second truth.
//!
//! Every public change writes a row of the change feed in its own transaction
//! (`Tx::record_change`). [`App::index_pending`] applies the rows after the position the index
//! last committed, and commits the index with the last position applied: after a crash the
//! indexer resumes where the index's last commit left it (applying a change twice is harmless,
//! a document is rebuilt from the store as it is now). [`App::reindex`] rebuilds it from
//! scratch. Drafts and the test consultation are never indexed.
//!
//! Without an index (`App::new` alone), searches fall back to the store's folded-text `LIKE`
//! over consultations only; so does the "closed only" filter, which the index does not express.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use domain::consultation::{Nature, Procedure, Status};
use domain::organisation::BuyerKind;
use search::{DocKind, Index, SearchDoc};
use store::{ChangeEntity, Consultation, ConsultationFilter, ConsultationSummary, NoticeRecord, OpenState, StoreError};

use crate::{App, AppError};

/// Changes read from the feed at a time.
const BATCH: i64 = 500;

/// One search result, loaded from the store.
#[derive(Debug, Clone)]
pub enum Found {
    Consultation(ConsultationSummary),
    /// A notice imported from elsewhere.
    Notice(Box<NoticeRecord>),
}

/// A page of results.
#[derive(Debug, Clone, Default)]
pub struct FoundPage {
    /// How many match (all pages).
    pub total: u64,
    pub items: Vec<Found>,
    pub facets: search::Facets,
    /// No document had all the words: those with some of them are shown.
    pub relaxed: bool,
}

fn index_error(e: search::Error) -> AppError {
    AppError::Internal(e.to_string())
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, search::Error> + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| AppError::Internal(format!("search index task: {e}")))?
        .map_err(index_error)
}

/// The index document of a public consultation.
pub fn consultation_doc(c: &Consultation, buyer_kind: Option<BuyerKind>) -> SearchDoc {
    let f = &c.fields;
    let mut cpv = vec![f.cpv.clone()];
    cpv.extend(f.cpv_additional.iter().cloned());
    cpv.extend(f.lots.iter().map(|l| l.cpv.clone()).filter(|l| !l.is_empty()));
    let mut seen = HashSet::new();
    cpv.retain(|c| seen.insert(c.clone()));
    SearchDoc {
        key: format!("c:{}", c.id),
        kind: DocKind::Consultation,
        title: f.title.clone(),
        description: format!("{} {}", c.reference, f.object),
        lot_titles: f.lots.iter().map(|l| l.title.clone()).collect(),
        buyer_name: c.organisation_name.clone(),
        buyer_kind,
        cpv,
        commune: (f.place_code.len() == 5).then(|| f.place_code.clone()),
        departement: Some(f.departement.clone()),
        nuts: Some(f.nuts.clone()).filter(|n| !n.is_empty()),
        place_label: Some(f.place_label.clone()),
        procedure: Some(f.procedure),
        nature: Some(f.nature),
        social: f.social.clone(),
        environmental: f.environmental.clone(),
        reserved: false,
        published_at: c.published_at.map(|t| t.as_second()),
        deadline: Some(f.bid_deadline.as_second()),
        value_cents: f.estimated_value.map(|v| v.0),
        closed: c.status != Status::Publiee,
    }
}

/// The index document of an imported notice.
pub fn notice_doc(n: &NoticeRecord) -> SearchDoc {
    let places: Vec<&str> =
        n.departements.iter().filter_map(|d| domain::geo::departement(d).ok()).map(|d| d.name).collect();
    SearchDoc {
        key: format!("n:{}", n.id),
        kind: DocKind::Notice,
        title: n.title.clone(),
        description: n.description.clone(),
        lot_titles: Vec::new(),
        buyer_name: n.buyer_name.clone(),
        buyer_kind: None,
        cpv: n.cpv.iter().cloned().collect(),
        commune: None,
        departement: n.departements.first().cloned(),
        nuts: None,
        // The other départements' names, so a search for any of them finds it.
        place_label: (places.len() > 1).then(|| places.join(", ")),
        procedure: n.procedure.as_deref().and_then(|p| Procedure::parse(p).ok()),
        nature: n.nature.as_deref().and_then(|c| Nature::parse(c).ok()),
        social: Vec::new(),
        environmental: Vec::new(),
        reserved: false,
        published_at: n
            .published_on
            .as_deref()
            .and_then(|d| d.parse::<jiff::civil::Date>().ok())
            .and_then(|d| domain::paris_time::start_of_day(d).ok())
            .map(|t| t.as_second()),
        deadline: n.deadline.map(|t| t.as_second()),
        value_cents: n.estimated.map(|v| v.0),
        closed: n.cancelled || n.kind == "resultat" || !n.winners.is_empty(),
    }
}

impl App {
    /// The same application with a search index: searches use it, and
    /// [`App::index_pending`] / [`App::reindex`] feed it.
    pub fn with_search(mut self, index: Arc<Index>) -> App {
        self.search = Some(index);
        self
    }

    pub fn search_index(&self) -> Option<&Arc<Index>> {
        self.search.as_ref()
    }

    /// The index document for consultation `id`, or `None` when it must not be searchable
    /// (a draft, the test consultation, gone).
    pub(crate) async fn consultation_doc(
        &self,
        id: i64,
        test_id: Option<i64>,
        kinds: &mut HashMap<i64, Option<BuyerKind>>,
    ) -> Result<Option<SearchDoc>, AppError> {
        if test_id == Some(id) {
            return Ok(None);
        }
        let c = match self.store.consultation(id).await {
            Ok(c) => c,
            Err(StoreError::NotFound) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        if c.status == Status::Brouillon {
            return Ok(None);
        }
        let kind = match kinds.get(&c.organisation_id) {
            Some(k) => *k,
            None => {
                let k = self.store.organisation(c.organisation_id).await?.kind;
                kinds.insert(c.organisation_id, k);
                k
            }
        };
        Ok(Some(consultation_doc(&c, kind)))
    }

    /// Applies the change feed after the index's last position; returns how many changes were
    /// read. Without an index, does nothing. Safe to call from several tasks (they queue).
    pub async fn index_pending(&self) -> Result<usize, AppError> {
        let Some(index) = self.search.clone() else { return Ok(0) };
        let _one_at_a_time = self.index_lock.lock().await;
        let test_id = self.store.test_consultation().await?;
        let mut kinds = HashMap::new();
        let mut applied = 0;
        loop {
            let changes = self.store.changes_after(index.last_position(), BATCH).await?;
            let Some(last) = changes.last().map(|c| c.position) else { break };
            let mut seen = HashSet::new();
            let (mut docs, mut gone) = (Vec::new(), Vec::new());
            for change in &changes {
                if !seen.insert((change.entity, change.entity_id)) {
                    continue;
                }
                let (key, doc) = match change.entity {
                    ChangeEntity::Consultation => (
                        format!("c:{}", change.entity_id),
                        self.consultation_doc(change.entity_id, test_id, &mut kinds).await?,
                    ),
                    ChangeEntity::Notice => (
                        format!("n:{}", change.entity_id),
                        self.store.notices_by_ids(&[change.entity_id]).await?.pop().map(|n| notice_doc(&n)),
                    ),
                };
                match doc {
                    Some(d) => docs.push(d),
                    None => gone.push(key),
                }
            }
            let index = index.clone();
            blocking(move || {
                index.upsert(&docs)?;
                for key in &gone {
                    index.delete(key)?;
                }
                index.commit(last)
            })
            .await?;
            applied += changes.len();
            if changes.len() < BATCH as usize {
                break;
            }
        }
        Ok(applied)
    }

    /// Empties the index and rebuilds it from the store: every public consultation and every
    /// notice, committed at the feed's current position. Returns the number of documents.
    pub async fn reindex(&self) -> Result<u64, AppError> {
        let Some(index) = self.search.clone() else { return Ok(0) };
        let _one_at_a_time = self.index_lock.lock().await;
        // Read the position first: changes made while rebuilding come after it and are applied
        // again by the next `index_pending`.
        let position = self.store.last_change_position().await?.unwrap_or(0);
        let i = index.clone();
        blocking(move || i.clear()).await?;
        let test_id = self.store.test_consultation().await?;
        let mut kinds = HashMap::new();
        let mut count = 0u64;
        let ids = self.store.public_consultation_ids().await?;
        for chunk in ids.chunks(200) {
            let mut docs = Vec::with_capacity(chunk.len());
            for id in chunk {
                if let Some(d) = self.consultation_doc(*id, test_id, &mut kinds).await? {
                    docs.push(d);
                }
            }
            count += docs.len() as u64;
            let i = index.clone();
            blocking(move || i.upsert(&docs)).await?;
        }
        let mut after = 0;
        loop {
            let notices = self.store.notices_after(after, BATCH).await?;
            let Some(last) = notices.last().map(|n| n.id) else { break };
            after = last;
            let docs: Vec<SearchDoc> = notices.iter().map(notice_doc).collect();
            count += docs.len() as u64;
            let i = index.clone();
            blocking(move || i.upsert(&docs)).await?;
        }
        // Then one segment: each word of a search is looked up once, not once per segment.
        blocking(move || {
            index.commit(position)?;
            index.optimize()
        })
        .await?;
        Ok(count)
    }

    /// At start: rebuilds the index if it is new, empty, or ahead of the store (a database
    /// restored from a backup); returns whether it did. Then [`App::index_pending`] catches up.
    pub async fn prepare_index(&self) -> Result<bool, AppError> {
        let Some(index) = self.search.clone() else { return Ok(false) };
        let store_position = self.store.last_change_position().await?.unwrap_or(0);
        let rebuild = match index.last_position() {
            None => true,
            Some(p) => p > store_position || index.is_empty(),
        };
        if rebuild {
            self.reindex().await?;
        }
        Ok(rebuild)
    }

    /// The public search: consultations (never drafts) and imported notices, with facets.
    /// `query.now` is set here. Uses the index when there is one, except for `closed`-only
    /// searches (`filter.state`), which, like every search without an index, go to the store's
    /// `LIKE` over consultations; `filter` describes the same search for that path.
    pub async fn search(&self, filter: &ConsultationFilter, mut query: search::Query) -> Result<FoundPage, AppError> {
        query.now = self.now().as_second();
        let per_page = match query.per_page {
            0 => search::DEFAULT_PER_PAGE,
            n => n.min(search::MAX_PER_PAGE),
        };
        let page = query.page.clamp(1, 10_000);
        let index = match &self.search {
            Some(index) if filter.state != Some(OpenState::Closed) => index.clone(),
            _ => {
                let p = self.search_consultations(filter, page as i64, per_page as i64).await?;
                let counts = |v: &[(String, i64)]| v.iter().map(|(k, n)| (k.clone(), *n as u64)).collect();
                return Ok(FoundPage {
                    total: p.total as u64,
                    items: p.items.into_iter().map(Found::Consultation).collect(),
                    facets: search::Facets {
                        departement: counts(&p.facets.departement),
                        nature: counts(&p.facets.nature),
                        procedure: counts(&p.facets.procedure),
                        ..Default::default()
                    },
                    relaxed: false,
                });
            }
        };
        query.page = page;
        query.per_page = per_page;
        let results = blocking(move || index.search(&query)).await?;
        let (mut cids, mut nids) = (Vec::new(), Vec::new());
        for hit in &results.items {
            match hit.key.split_once(':') {
                Some(("c", id)) => cids.extend(id.parse::<i64>().ok()),
                Some(("n", id)) => nids.extend(id.parse::<i64>().ok()),
                _ => {}
            }
        }
        let mut consultations: HashMap<i64, ConsultationSummary> =
            self.store.consultation_summaries(&cids).await?.into_iter().map(|s| (s.id, s)).collect();
        let mut notices: HashMap<i64, NoticeRecord> =
            self.store.notices_by_ids(&nids).await?.into_iter().map(|n| (n.id, n)).collect();
        // In the index's order; a row gone since it was indexed is left out.
        let items = results
            .items
            .iter()
            .filter_map(|hit| match hit.key.split_once(':') {
                Some(("c", id)) => id.parse().ok().and_then(|id| consultations.remove(&id)).map(Found::Consultation),
                Some(("n", id)) => {
                    id.parse().ok().and_then(|id| notices.remove(&id)).map(|n| Found::Notice(Box::new(n)))
                }
                _ => None,
            })
            .collect();
        Ok(FoundPage { total: results.total, items, facets: results.facets, relaxed: results.relaxed })
    }
}
