//! The load: 8 client threads each run the 50 searches over and over (each from its own starting
//! point, so the slow ones do not line up), until every client has done at least one round and
//! the measure has lasted its minimum time. A single warm-up round first, whose hit counts are
//! kept to compare the engines.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::generate::NOW;
use crate::queries::BenchQuery;
use crate::stats::{Latency, QueryStats};

pub type Error = Box<dyn std::error::Error + Send + Sync>;

pub const CLIENTS: usize = 8;

pub struct Measure {
    pub overall: Latency,
    pub per_query: Vec<QueryStats>,
    pub wall: Duration,
}

/// `search(query, now)` returns the number of hits. `now` moves with the wall clock (one second
/// per second from [`NOW`]), as it does for the product: nothing can be cached on a fixed
/// instant.
pub fn measure<F>(queries: &[BenchQuery], min_time: Duration, search: F) -> Result<Measure, Error>
where
    F: Fn(&BenchQuery, i64) -> Result<u64, Error> + Sync,
{
    let started = Instant::now();
    let now = || NOW + started.elapsed().as_secs() as i64;
    let mut first = Vec::with_capacity(queries.len());
    for q in queries {
        let t = Instant::now();
        let hits = search(q, now())?;
        first.push((hits, t.elapsed().as_micros() as u64));
    }

    let measuring = Instant::now();
    let failed = AtomicBool::new(false);
    let per_client: Vec<Result<Vec<(usize, u64)>, Error>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..CLIENTS)
            .map(|c| {
                let (search, failed, now) = (&search, &failed, &now);
                s.spawn(move || {
                    let mut samples = Vec::new();
                    let first = c * queries.len() / CLIENTS;
                    loop {
                        for k in 0..queries.len() {
                            let i = (first + k) % queries.len();
                            let t = Instant::now();
                            if let Err(e) = search(&queries[i], now()) {
                                failed.store(true, Ordering::Relaxed);
                                return Err(e);
                            }
                            samples.push((i, t.elapsed().as_micros() as u64));
                            if failed.load(Ordering::Relaxed) {
                                return Ok(samples);
                            }
                        }
                        if measuring.elapsed() >= min_time {
                            return Ok(samples);
                        }
                    }
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|_| Err("a client panicked".into()))).collect()
    });
    let wall = measuring.elapsed();
    let mut all = Vec::new();
    let mut by_query: Vec<Vec<u64>> = vec![Vec::new(); queries.len()];
    for samples in per_client {
        for (i, micros) in samples? {
            all.push(micros);
            by_query[i].push(micros);
        }
    }
    let per_query = by_query
        .into_iter()
        .zip(first)
        .map(|(s, (hits, first))| QueryStats { hits, first, latency: Latency::of(s) })
        .collect();
    Ok(Measure { overall: Latency::of(all), per_query, wall })
}
