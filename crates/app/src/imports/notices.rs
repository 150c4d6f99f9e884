//! Applying notices: new ones are created; the same tender from another source, and notices of
//! change, cancellation or result, are linked to the notice they concern; known ones are
//! updated only when their content changed.

use domain::notice::{self, AMENDING, Notice, NoticeKind, NoticeSource, Refusal};
use sha2::{Digest, Sha256};
use store::{KnownNotice, NoticeLink, NoticeRecord};

use super::ImportReport;
use super::sources::NoticeRecord as SourceRecord;
use crate::{App, AppError};

/// The role of a link to the same tender published in another source.
const DUPLICATE: &str = "doublon";

fn content_hash(n: &Notice) -> String {
    hex::encode(Sha256::digest(format!("{n:?}").as_bytes()))
}

fn record(n: &Notice, hash: &str) -> NoticeRecord {
    NoticeRecord {
        id: 0,
        source: n.source.code().into(),
        source_id: n.source_id.clone(),
        url: n.url.clone(),
        kind: n.kind.code().into(),
        cancelled: n.kind == NoticeKind::Annulation,
        title: n.title.clone(),
        description: n.description.clone(),
        buyer_name: n.buyer_name.clone(),
        buyer_siret: n.buyer_siret.clone(),
        nature: n.nature.map(|n| n.code().to_string()),
        procedure: n.procedure.clone(),
        cpv: n.cpv.clone(),
        departements: n.departements.clone(),
        estimated: n.estimated,
        published_on: n.published_on.map(|d| d.to_string()),
        deadline: n.deadline,
        winners: n.winners.clone(),
        lots: n.lots,
        dedup_key: n.dedup_key(),
        match_key: n.match_key(),
        content_hash: hash.into(),
        search_text: n.search_text(),
        imported_at: None,
    }
}

fn link(n: &Notice, role: &str) -> NoticeLink {
    NoticeLink {
        source: n.source.code().into(),
        source_id: n.source_id.clone(),
        role: role.into(),
        url: n.url.clone(),
        published_on: n.published_on.map(|d| d.to_string()),
    }
}

/// What became of one notice.
enum Outcome {
    Created,
    Updated,
    Unchanged,
    Merged,
}

impl App {
    pub(super) async fn import_notices(&self, records: Vec<SourceRecord>) -> Result<ImportReport, AppError> {
        let mut report = ImportReport { read: i64::try_from(records.len()).unwrap_or(i64::MAX), ..Default::default() };
        let mut checked: Vec<Notice> = Vec::new();
        for r in records {
            match r {
                Err(rejection) => report.reject(rejection.record, rejection.reason),
                Ok((source, input)) => match notice::validate(source, &input) {
                    Ok(n) => checked.push(n),
                    Err(Refusal::OutsideRegion) => report.skipped += 1,
                    Err(Refusal::Invalid(errors)) => {
                        report.reject(format!("avis {}", input.source_id.trim()), errors.to_string())
                    }
                },
            }
        }
        // Notices before the notices that amend them, whatever the file's order.
        checked.sort_by_key(|n| (n.published_on, n.kind.amends()));
        for n in &checked {
            match self.apply_notice(n).await? {
                Outcome::Created => report.created += 1,
                Outcome::Updated => report.updated += 1,
                Outcome::Unchanged => report.unchanged += 1,
                Outcome::Merged => report.merged += 1,
            }
        }
        Ok(report)
    }

    async fn apply_notice(&self, n: &Notice) -> Result<Outcome, AppError> {
        let now = self.now();
        let hash = content_hash(n);
        let mut tx = self.store.begin().await?;
        let outcome = match tx.known_notice(n.source.code(), &n.source_id, &hash).await? {
            Some(KnownNotice::Notice { same: true, .. } | KnownNotice::Link { same: true, .. }) => Outcome::Unchanged,
            Some(KnownNotice::Notice { id, same: false }) => {
                tx.replace_notice(id, &record(n, &hash), now).await?;
                tx.record_change(store::ChangeEntity::Notice, id, now).await?;
                Outcome::Updated
            }
            Some(KnownNotice::Link { notice_id, same: false, role }) if role == DUPLICATE => {
                tx.link_notice(notice_id, &link(n, DUPLICATE), &hash).await?;
                Outcome::Updated
            }
            Some(KnownNotice::Link { notice_id, same: false, .. }) => {
                self.amend(&mut tx, notice_id, n, &hash).await?;
                Outcome::Updated
            }
            None => self.place_new(&mut tx, n, &hash).await?,
        };
        tx.commit().await?;
        Ok(outcome)
    }

    async fn place_new(&self, tx: &mut store::Tx, n: &Notice, hash: &str) -> Result<Outcome, AppError> {
        if n.kind.amends() {
            if let Some(id) = tx.notice_to_amend(n.source.code(), &n.match_key(), AMENDING.map(|k| k.code())).await? {
                self.amend(tx, id, n, hash).await?;
                return Ok(Outcome::Merged);
            }
        } else if let Some(key) = n.dedup_key()
            && let Some(id) = tx.notice_by_dedup_key(&key, n.source.code()).await?
        {
            tx.link_notice(id, &link(n, DUPLICATE), hash).await?;
            return Ok(Outcome::Merged);
        }
        // An amending notice whose notice is not known stands on its own.
        let id = tx.insert_notice(&record(n, hash), self.now()).await?;
        tx.record_change(store::ChangeEntity::Notice, id, self.now()).await?;
        Ok(Outcome::Created)
    }

    async fn amend(&self, tx: &mut store::Tx, id: i64, n: &Notice, hash: &str) -> Result<(), AppError> {
        tx.link_notice(id, &link(n, n.kind.code()), hash).await?;
        let (deadline, winners) = match n.kind {
            NoticeKind::Rectificatif => (n.deadline, &[][..]),
            NoticeKind::Resultat => (None, n.winners.as_slice()),
            _ => (None, &[][..]),
        };
        tx.amend_notice(id, deadline, n.kind == NoticeKind::Annulation, winners, self.now()).await?;
        tx.record_change(store::ChangeEntity::Notice, id, self.now()).await?;
        Ok(())
    }

    /// Notices from elsewhere, newest first: all the words of `q` (accents and case aside), in
    /// a département, still open; page 1 first. Public.
    pub async fn search_notices(
        &self,
        q: &str,
        departement: Option<&str>,
        open_only: bool,
        page: i64,
        per_page: i64,
    ) -> Result<(Vec<NoticeRecord>, i64), AppError> {
        let filter = store::NoticeFilter {
            words: domain::geo::fold(q)
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect(),
            departement: departement.and_then(|d| domain::geo::departement(d).ok()).map(|d| d.code.to_string()),
            open_at: open_only.then(|| self.now()),
            page: page.max(1) - 1,
            per_page,
        };
        Ok(self.store.notices(&filter).await?)
    }

    /// One notice from elsewhere with its other publications and amendments.
    pub async fn notice(&self, id: i64) -> Result<(NoticeRecord, Vec<NoticeLink>), AppError> {
        Ok(self.store.notice(id).await?)
    }
}

/// The French label of a stored source code.
pub fn source_label(code: &str) -> &str {
    NoticeSource::parse(code).map(NoticeSource::label).unwrap_or(code)
}
