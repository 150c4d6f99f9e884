//! The audit chain: appends, paging, verification, concurrency.

use std::collections::HashSet;

use domain::audit::{AuditEntry, GENESIS, verify};
use jiff::Timestamp;
use store::{AuditEvent, Store};

use crate::{T0, backends, running};

fn event(actor: &str, action: &str, subject: &str, details: &str) -> AuditEvent {
    AuditEvent { actor: actor.into(), action: action.into(), subject: subject.into(), details: details.into() }
}

/// A time with microseconds, which the chain keeps.
fn micros(n: i64) -> Timestamp {
    Timestamp::from_microsecond(T0 * 1_000_000 + n * 1_234_567 + 89).unwrap()
}

async fn whole_chain(store: &Store, page: i64) -> Vec<AuditEntry> {
    let mut all = Vec::new();
    let mut after = 0;
    loop {
        let part = store.audit_entries(after, page).await.unwrap();
        assert!(part.len() as i64 <= page);
        let Some(last) = part.last() else { break };
        after = last.seq;
        all.extend(part);
    }
    all
}

#[tokio::test]
async fn audit_chain_appends_pages_and_verifies() {
    for db in backends("audit_chain").await {
        running("audit_chain", &db);
        let store = &db.store;
        assert_eq!(store.audit_head().await.unwrap(), (0, GENESIS.to_string()));
        assert_eq!(verify(&store.audit_entries(0, 10).await.unwrap()), Ok(0));

        // 25 entries: 20 one per transaction, then 5 in a single transaction.
        const N: i64 = 25;
        for i in 1..=20 {
            let mut tx = store.begin().await.unwrap();
            let ev = event(&format!("user:{i}"), "consultation.modifiee", &format!("consultation:{}", i % 3), "{}");
            assert_eq!(tx.audit(&ev, micros(i)).await.unwrap(), i);
            tx.commit().await.unwrap();
        }
        let mut tx = store.begin().await.unwrap();
        for i in 21..=N {
            let details = format!("{{\"note\":\"é « \\\"quoted\\\" » {i}\"}}");
            assert_eq!(
                tx.audit(&event("système", "dce.telecharge", "consultation:1", &details), micros(i)).await.unwrap(),
                i
            );
        }
        tx.commit().await.unwrap();

        let all = store.audit_entries(0, 1000).await.unwrap();
        assert_eq!(all.len() as i64, N);
        assert_eq!(verify(&all), Ok(N as u64));
        assert_eq!(all.iter().map(|e| e.seq).collect::<Vec<_>>(), (1..=N).collect::<Vec<_>>());
        assert_eq!(all[0].prev_hash, GENESIS);
        assert_eq!(all[6].at_micros, micros(7).as_microsecond());
        assert_eq!((all[6].actor.as_str(), all[6].subject.as_str()), ("user:7", "consultation:1"));
        assert_eq!(all[24].details, "{\"note\":\"é « \\\"quoted\\\" » 25\"}");
        assert_eq!(store.audit_head().await.unwrap(), (N, all[24].hash.clone()));

        // Paging gives the same chain, whatever the page size.
        for page in [1, 7, 25, 100] {
            assert_eq!(whole_chain(store, page).await, all, "page size {page}");
        }
        assert_eq!(store.audit_entries(10, 3).await.unwrap(), all[10..13].to_vec());
        assert_eq!(store.audit_entries(N, 10).await.unwrap(), Vec::new());

        // By subject, newest first.
        let seqs: Vec<i64> = store.audit_for("consultation:2").await.unwrap().iter().map(|e| e.seq).collect();
        assert_eq!(seqs, vec![20, 17, 14, 11, 8, 5, 2]);
        assert_eq!(store.audit_for("consultation:1").await.unwrap().len(), 7 + 5);
        assert_eq!(store.audit_for("nothing").await.unwrap(), Vec::new());

        // An abandoned append leaves no hole and no fork.
        let mut tx = store.begin().await.unwrap();
        assert_eq!(tx.audit(&event("user:1", "perdu", "x:1", "{}"), micros(99)).await.unwrap(), N + 1);
        drop(tx);
        assert_eq!(store.audit_head().await.unwrap(), (N, all[24].hash.clone()));
        let mut tx = store.begin().await.unwrap();
        assert_eq!(tx.audit(&event("user:1", "garde", "x:1", "{}"), micros(100)).await.unwrap(), N + 1);
        tx.commit().await.unwrap();
        let all = store.audit_entries(0, 1000).await.unwrap();
        assert_eq!(verify(&all), Ok(N as u64 + 1));
        assert_eq!(all.last().unwrap().action, "garde");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn concurrent_appends_make_one_chain() {
    const TASKS: usize = 8;
    const EACH: usize = 10;
    for db in backends("audit_concurrency").await {
        running("audit_concurrency", &db);
        let mut handles = Vec::new();
        for t in 0..TASKS {
            let store = db.store.clone();
            handles.push(tokio::spawn(async move {
                let mut seqs = Vec::new();
                for i in 0..EACH {
                    let mut tx = store.begin().await.unwrap();
                    let ev = event(&format!("task:{t}"), "test.concurrent", &format!("n:{i}"), "{}");
                    seqs.push(tx.audit(&ev, Timestamp::now()).await.unwrap());
                    tokio::task::yield_now().await;
                    tx.commit().await.unwrap();
                }
                seqs
            }));
        }
        let mut returned = Vec::new();
        for h in handles {
            returned.extend(h.await.unwrap());
        }
        returned.sort();
        let total = (TASKS * EACH) as i64;
        assert_eq!(returned, (1..=total).collect::<Vec<_>>(), "each append got its own seq");

        let all = db.store.audit_entries(0, 10_000).await.unwrap();
        assert_eq!(all.len() as i64, total);
        assert_eq!(verify(&all), Ok(total as u64), "one unbroken chain");
        let distinct: HashSet<(String, String)> = all.iter().map(|e| (e.actor.clone(), e.subject.clone())).collect();
        assert_eq!(distinct.len() as i64, total, "every append recorded once");
        assert_eq!(db.store.audit_head().await.unwrap(), (total, all.last().unwrap().hash.clone()));
    }
}
