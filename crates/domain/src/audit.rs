//! The audit chain: each entry carries the SHA-256 of the one before, so that changing or
//! removing any entry breaks every hash after it.

use serde::Serialize;
use sha2::{Digest, Sha256};

/// The hash the first entry points to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    /// Microseconds since the Unix epoch (UTC).
    pub at_micros: i64,
    /// Who: `user:12`, `anonyme`, `système`.
    pub actor: String,
    /// What: `consultation.publiee`, `dce.telecharge`…
    pub action: String,
    /// On what: `consultation:42`.
    pub subject: String,
    /// Details as JSON text.
    pub details: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash of an entry from its fields and the previous hash. Each field is length-prefixed
/// so that no two different entries encode to the same bytes.
pub fn entry_hash(
    prev_hash: &str,
    seq: i64,
    at_micros: i64,
    actor: &str,
    action: &str,
    subject: &str,
    details: &str,
) -> String {
    let mut h = Sha256::new();
    for field in [prev_hash.as_bytes(), &seq.to_be_bytes(), &at_micros.to_be_bytes()] {
        h.update((field.len() as u64).to_be_bytes());
        h.update(field);
    }
    for field in [actor, action, subject, details] {
        h.update((field.len() as u64).to_be_bytes());
        h.update(field.as_bytes());
    }
    hex::encode(h.finalize())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    pub seq: i64,
    pub reason: String,
}

/// Walks the chain in order from its start; returns the first entry that does not hold.
pub fn verify<'a>(entries: impl IntoIterator<Item = &'a AuditEntry>) -> Result<u64, BrokenLink> {
    verify_from(entries, GENESIS, 1)
}

/// Walks a part of the chain that must follow the entry `seq - 1` whose hash is `prev`.
pub fn verify_from<'a>(
    entries: impl IntoIterator<Item = &'a AuditEntry>,
    prev: &str,
    seq: i64,
) -> Result<u64, BrokenLink> {
    let mut prev = prev.to_string();
    let mut count = 0;
    for (expected_seq, e) in (seq..).zip(entries) {
        let broken = |reason: String| BrokenLink { seq: e.seq, reason };
        if e.seq != expected_seq {
            return Err(broken(format!("numéro attendu {expected_seq}, trouvé {} (entrée supprimée ?)", e.seq)));
        }
        if e.prev_hash != prev {
            return Err(broken("le hachage précédent ne correspond pas à l’entrée d’avant".into()));
        }
        let h = entry_hash(&e.prev_hash, e.seq, e.at_micros, &e.actor, &e.action, &e.subject, &e.details);
        if h != e.hash {
            return Err(broken("le contenu de l’entrée a été modifié".into()));
        }
        prev = e.hash.clone();
        count += 1;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let hash = entry_hash(&prev, seq, seq * 10, "user:1", "test", "x:1", "{}");
                let e = AuditEntry {
                    seq,
                    at_micros: seq * 10,
                    actor: "user:1".into(),
                    action: "test".into(),
                    subject: "x:1".into(),
                    details: "{}".into(),
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                e
            })
            .collect()
    }

    #[test]
    fn intact_chain_verifies() {
        assert_eq!(verify(&chain(5)), Ok(5));
        assert_eq!(verify(&[]), Ok(0));
    }

    #[test]
    fn tampering_is_found() {
        let mut c = chain(5);
        c[2].details = "{\"x\":1}".into();
        assert_eq!(verify(&c).unwrap_err().seq, 3);
        let mut c = chain(5);
        c.remove(1);
        assert_eq!(verify(&c).unwrap_err().seq, 3);
        let mut c = chain(5);
        c[4].actor = "user:2".into();
        assert_eq!(verify(&c).unwrap_err().seq, 5);
    }

    #[test]
    fn fields_do_not_run_together() {
        assert_ne!(entry_hash(GENESIS, 1, 1, "ab", "c", "", ""), entry_hash(GENESIS, 1, 1, "a", "bc", "", ""));
    }
}
