//! Open data: what Halle publishes about its consultations in the official formats — OCDS
//! release packages, DECP v2 essential data of awarded contracts, eForms notices. Derived from
//! the store on demand, never a second truth.

mod decp;
mod eforms;
mod ocds;

pub use ocds::DEFAULT_OCID_PREFIX;

use std::collections::HashMap;

use domain::consultation::Phase;
use store::{Award, Bid, Consultation};

use crate::opening::openable;
use crate::{App, AppError};

/// A published consultation with what the formats need beside it.
pub(crate) struct Published {
    pub consultation: Consultation,
    pub buyer_siret: String,
    pub phase: Phase,
    pub awards: Vec<Award>,
    /// Plis retained (the last one of each firm, in time) per lot; lot 0: the whole consultation.
    pub tenders: HashMap<i64, u32>,
    /// Every pli, in the order received.
    pub bids: Vec<Bid>,
}

impl App {
    /// Every consultation ever published (not drafts, not the test consultation), oldest first.
    pub(crate) async fn published(&self) -> Result<Vec<Published>, AppError> {
        let mut out = Vec::new();
        for id in self.store.public_consultation_ids().await? {
            out.push(self.gather(id).await?);
        }
        Ok(out)
    }

    /// One published consultation; `NotFound` for a draft, the test consultation or no such id.
    pub(crate) async fn published_one(&self, id: i64) -> Result<Published, AppError> {
        if !self.store.is_public_consultation(id).await? {
            return Err(AppError::NotFound);
        }
        self.gather(id).await
    }

    async fn gather(&self, id: i64) -> Result<Published, AppError> {
        let consultation = self.store.consultation(id).await?;
        let buyer_siret = self.store.organisation(consultation.organisation_id).await?.siret;
        let bids = self.store.bids(id).await?;
        let retained = openable(&bids);
        let mut tenders: HashMap<i64, u32> = HashMap::new();
        for b in bids.iter().filter(|b| retained.get(&b.organisation_id) == Some(&b.id)) {
            *tenders.entry(0).or_default() += 1;
            let lots: Vec<i64> = if b.lots.is_empty() {
                consultation.fields.lots.iter().map(|l| l.number).collect()
            } else {
                b.lots.clone()
            };
            for lot in lots {
                *tenders.entry(lot).or_default() += 1;
            }
        }
        Ok(Published {
            phase: Phase::of(consultation.status, consultation.fields.bid_deadline, self.now()),
            awards: self.store.awards(id).await?,
            consultation,
            buyer_siret,
            tenders,
            bids,
        })
    }
}
