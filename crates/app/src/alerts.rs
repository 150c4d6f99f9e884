//! The alerts of saved searches.
//!
//! [`App::run_alerts`] reads the change feed after its own position (kept in the database, apart
//! from the search index's), puts the documents changed in a small index of their own, runs every
//! saved search on it, and in one transaction records the matches, queues the e-mails of
//! immediate searches and moves its position: a crash replays a batch, and a document is
//! announced once per saved search whatever happens. Only documents that appeared after the
//! search was saved (published, or imported for notices) and are still open count as new.
//!
//! [`App::send_digests`] runs once a day after 7 h (Paris): one e-mail per daily saved search
//! with what it found, and one per user with the changes to DCE they downloaded, if they chose
//! the digest for those.

use std::collections::{BTreeMap, HashMap};

use domain::alert::{self, Frequency};
use domain::paris_time;
use jiff::Timestamp;
use search::{Index, SearchDoc};
use store::{ChangeEntity, SavedSearch};

use crate::indexer::notice_doc;
use crate::search_query::SearchQuery;
use crate::{App, AppError};

/// The alert job's name in `job_positions`.
const ALERTS: &str = "veille";
/// The digest's: its position is the time of the last digest sent.
const DIGEST: &str = "resume-quotidien";
/// Changes read at a time.
const BATCH: i64 = 500;

/// A document changed in the batch, with when it first appeared on Halle.
struct Candidate {
    doc: SearchDoc,
    appeared: Option<Timestamp>,
}

fn new_consultations(n: usize) -> String {
    if n == 1 { "1 nouvelle consultation".into() } else { format!("{n} nouvelles consultations") }
}

/// What a saved search found in a batch.
struct Found<'a> {
    search: &'a SavedSearch,
    docs: Vec<&'a Candidate>,
}

impl App {
    fn link_of(&self, doc_key: &str) -> String {
        let base = self.config.base_url.trim_end_matches('/');
        match doc_key.split_once(':') {
            Some(("n", id)) => format!("{base}/avis/{id}"),
            Some((_, id)) => format!("{base}/consultations/{id}"),
            None => base.to_string(),
        }
    }

    fn unsubscribe_url(&self, s: &SavedSearch) -> String {
        format!("{}/veille/desabonnement/{}", self.config.base_url.trim_end_matches('/'), s.token)
    }

    /// The footer of a saved search's e-mails.
    fn alert_footer(&self, s: &SavedSearch) -> String {
        let base = self.config.base_url.trim_end_matches('/');
        format!(
            "Toutes les consultations de cette recherche : {base}/consultations?{}\nVos recherches enregistrées : {base}/veille\n\nVous recevez ce message car vous avez enregistré la recherche « {} » sur Halle. Pour ne plus recevoir ces courriels : {}\n",
            s.query,
            s.name,
            self.unsubscribe_url(s)
        )
    }

    /// The documents the changes are about, as they are now (gone or draft ones left out).
    async fn candidates(&self, changes: &[store::Change]) -> Result<Vec<Candidate>, AppError> {
        let test_id = self.store.test_consultation().await?;
        let mut kinds = HashMap::new();
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        for change in changes {
            if !seen.insert((change.entity, change.entity_id)) {
                continue;
            }
            match change.entity {
                ChangeEntity::Consultation => {
                    if let Some(doc) = self.consultation_doc(change.entity_id, test_id, &mut kinds).await? {
                        let appeared = doc.published_at.map(paris_time::from_seconds);
                        out.push(Candidate { doc, appeared });
                    }
                }
                ChangeEntity::Notice => {
                    for n in self.store.notices_by_ids(&[change.entity_id]).await? {
                        out.push(Candidate { doc: notice_doc(&n), appeared: n.imported_at });
                    }
                }
            }
        }
        Ok(out)
    }

    /// Runs every saved search that e-mails on the candidates; what each found anew.
    fn match_searches<'a>(
        &self,
        searches: &'a [SavedSearch],
        candidates: &'a [Candidate],
    ) -> Result<Vec<Found<'a>>, AppError> {
        let by_key: HashMap<&str, &Candidate> = candidates.iter().map(|c| (c.doc.key.as_str(), c)).collect();
        let index = Index::in_memory().map_err(|e| AppError::Internal(e.to_string()))?;
        let docs: Vec<SearchDoc> = candidates.iter().map(|c| c.doc.clone()).collect();
        index.upsert(&docs).and_then(|()| index.commit(0)).map_err(|e| AppError::Internal(e.to_string()))?;
        let now = self.now().as_second();
        let mut found = Vec::new();
        for s in searches.iter().filter(|s| s.frequency != Frequency::Never.code()) {
            // A saved search whose parameters no longer check (a vocabulary changed) finds
            // nothing rather than everything.
            let Ok(checked) = SearchQuery::parse(&s.query).check() else { continue };
            let mut query = checked.query(search::MAX_PER_PAGE as i64);
            query.filters.open_only = true;
            query.now = now;
            let mut docs = Vec::new();
            for page in 1.. {
                query.page = page;
                let results = index.search(&query).map_err(|e| AppError::Internal(e.to_string()))?;
                // Documents with only some of the words are suggestions on the search page,
                // not matches.
                if results.relaxed || results.items.is_empty() {
                    break;
                }
                docs.extend(
                    results
                        .items
                        .iter()
                        .filter_map(|hit| by_key.get(hit.key.as_str()).copied())
                        .filter(|c| c.appeared.is_some_and(|t| t >= s.created_at)),
                );
                if page * search::MAX_PER_PAGE >= usize::try_from(results.total).unwrap_or(usize::MAX) {
                    break;
                }
            }
            if !docs.is_empty() {
                found.push(Found { search: s, docs });
            }
        }
        Ok(found)
    }

    /// Applies the change feed to the saved searches (see the module's documentation); returns
    /// the number of new matches. The first run starts at the end of the feed: what existed
    /// before alerts did is not news.
    pub async fn run_alerts(&self) -> Result<usize, AppError> {
        let _one_at_a_time = self.alerts_lock.lock().await;
        let mut matched = 0;
        loop {
            let Some(from) = self.store.job_position(ALERTS).await? else {
                let start = self.store.last_change_position().await?.unwrap_or(0);
                let mut tx = self.store.begin().await?;
                tx.set_job_position(ALERTS, start).await?;
                tx.commit().await?;
                continue;
            };
            let changes = self.store.changes_after(Some(from), BATCH).await?;
            let Some(last) = changes.last().map(|c| c.position) else { break };
            let searches = self.store.all_saved_searches().await?;
            let candidates = if searches.is_empty() { Vec::new() } else { self.candidates(&changes).await? };
            let found = if candidates.is_empty() { Vec::new() } else { self.match_searches(&searches, &candidates)? };
            let now = self.now();
            let mut tx = self.store.begin().await?;
            for f in &found {
                let immediate = f.search.frequency == Frequency::Immediate.code();
                let mut new = Vec::new();
                for c in &f.docs {
                    if tx.record_match(f.search.id, &c.doc.key, &c.doc.title, now, immediate).await? {
                        new.push(*c);
                    }
                }
                matched += new.len();
                if immediate && !new.is_empty() {
                    let (subject, body) = self.alert_email(f.search, &new);
                    tx.queue_alert_email(
                        &f.search.user_email,
                        &subject,
                        &body,
                        Some(&self.unsubscribe_url(f.search)),
                        now,
                    )
                    .await?;
                }
            }
            tx.set_job_position(ALERTS, last).await?;
            tx.commit().await?;
            if changes.len() < BATCH as usize {
                break;
            }
        }
        Ok(matched)
    }

    fn alert_email(&self, s: &SavedSearch, docs: &[&Candidate]) -> (String, String) {
        let count = new_consultations(docs.len());
        let mut body = format!("Bonjour,\n\nVotre recherche « {} » a trouvé {count} :\n\n", s.name);
        for c in docs {
            let d = &c.doc;
            body.push_str(&format!("- {} — {}\n", d.title, d.buyer_name));
            if let Some(deadline) = d.deadline {
                body.push_str(&format!(
                    "  Date limite : {}\n",
                    paris_time::format_long(paris_time::from_seconds(deadline))
                ));
            }
            body.push_str(&format!("  {}\n\n", self.link_of(&d.key)));
        }
        body.push_str(&self.alert_footer(s));
        (format!("Veille « {} » : {count}", s.name), body)
    }

    /// Sends the daily digests once the day's digest time has passed; returns how many e-mails
    /// were queued. Running it again the same day does nothing.
    pub async fn send_digests(&self) -> Result<usize, AppError> {
        let _one_at_a_time = self.alerts_lock.lock().await;
        let now = self.now();
        let due = alert::last_digest_time(now);
        if self.store.job_position(DIGEST).await?.is_some_and(|last| last >= due.as_second()) {
            return Ok(0);
        }
        let searches: HashMap<i64, SavedSearch> =
            self.store.all_saved_searches().await?.into_iter().map(|s| (s.id, s)).collect();
        let mut per_search: BTreeMap<i64, Vec<store::PendingMatch>> = BTreeMap::new();
        for m in self.store.pending_matches().await? {
            per_search.entry(m.saved_search_id).or_default().push(m);
        }
        let mut dce: BTreeMap<i64, Vec<store::DceChange>> = BTreeMap::new();
        for c in self.store.digest_dce_changes(now).await? {
            dce.entry(c.user_id).or_default().push(c);
        }
        let mut users = std::collections::BTreeSet::new();
        let mut queued = 0;
        let mut tx = self.store.begin().await?;
        for (id, matches) in &per_search {
            let Some(s) = searches.get(id) else { continue };
            let count = new_consultations(matches.len());
            let mut body =
                format!("Bonjour,\n\nDepuis le dernier résumé, votre recherche « {} » a trouvé {count} :\n\n", s.name);
            for m in matches {
                body.push_str(&format!("- {}\n  {}\n\n", m.title, self.link_of(&m.doc_key)));
            }
            body.push_str(&self.alert_footer(s));
            let subject = format!("Résumé quotidien — veille « {} » : {count}", s.name);
            tx.queue_alert_email(&s.user_email, &subject, &body, Some(&self.unsubscribe_url(s)), now).await?;
            users.insert(s.user_id);
            queued += 1;
        }
        for (user, changes) in &dce {
            let base = self.config.base_url.trim_end_matches('/');
            let mut body = String::from(
                "Bonjour,\n\nDes consultations dont vous avez téléchargé le DCE ont été modifiées depuis le dernier résumé :\n\n",
            );
            for c in changes {
                body.push_str(&format!(
                    "- {} ({}) — version {} du DCE, le {}\n  Motif : {}\n  {base}/consultations/{}\n\n",
                    c.title,
                    c.reference,
                    c.dce_version,
                    paris_time::format_long(c.published_at),
                    c.summary,
                    c.consultation_id
                ));
            }
            body.push_str(&format!(
                "Vous recevez ces modifications dans un résumé quotidien, comme vous l’avez choisi : {base}/veille\n"
            ));
            let subject = match changes.len() {
                1 => "Résumé quotidien — 1 DCE modifié".to_string(),
                n => format!("Résumé quotidien — {n} DCE modifiés"),
            };
            tx.queue_email(&changes[0].user_email, &subject, &body, now).await?;
            users.insert(*user);
            queued += 1;
        }
        for user in users {
            tx.mark_digest_sent(user, now).await?;
        }
        tx.set_job_position(DIGEST, due.as_second()).await?;
        tx.commit().await?;
        Ok(queued)
    }
}
