use domain::audit::{self, BrokenLink};

use crate::{App, AppError};

const PAGE: i64 = 1000;

impl App {
    /// Walks the whole chain, a page at a time; returns the number of entries or the first
    /// broken one. Also checks the stored head matches the last entry (a truncated tail).
    pub async fn verify_audit(&self) -> Result<Result<u64, BrokenLink>, AppError> {
        let mut after = 0;
        let mut prev = audit::GENESIS.to_string();
        let mut count = 0u64;
        loop {
            let page = self.store.audit_entries(after, PAGE).await?;
            let Some(last) = page.last().cloned() else { break };
            if let Err(broken) = audit::verify_from(&page, &prev, after + 1) {
                return Ok(Err(broken));
            }
            count += page.len() as u64;
            after = last.seq;
            prev = last.hash;
        }
        let (head_seq, head_hash) = self.store.audit_head().await?;
        if head_seq != after || head_hash != prev {
            return Ok(Err(BrokenLink {
                seq: after + 1,
                reason: format!(
                    "la tête de la chaîne annonce {head_seq} entrées, {after} sont présentes (entrées supprimées ?)"
                ),
            }));
        }
        Ok(Ok(count))
    }
}
