//! One step of one engine, in a process of its own: `load` (generate and write every notice) or
//! `query` (serve the 50 searches to 8 clients). Results go to stdout as `name value…` lines
//! that `EngineReport::read_load` and `read_query` parse.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::clients::{self, Error};
use crate::corpus::Corpus;
use crate::generate::Generator;
use crate::queries::{self, BenchQuery, PER_PAGE};
use crate::sql::Dialect;
use crate::{memory, pg, sqlite};

/// Notices handed to the index at a time.
const INDEX_BATCH: u64 = 10_000;
/// How often PostgreSQL's memory is sampled while it serves.
const SAMPLE_EVERY: Duration = Duration::from_millis(250);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Tantivy,
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn name(self) -> &'static str {
        match self {
            Engine::Tantivy => "tantivy",
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        }
    }

    pub fn parse(s: &str) -> Option<Engine> {
        [Engine::Tantivy, Engine::Sqlite, Engine::Postgres].into_iter().find(|e| e.name() == s)
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    Ok(tokio::runtime::Builder::new_multi_thread().enable_all().build()?)
}

fn print_own_memory() {
    println!("peak_kb {}", memory::status_kb("self", "VmHWM:").unwrap_or(0));
    println!("anon_kb {}", memory::status_kb("self", "RssAnon:").unwrap_or(0));
}

/// Generates and writes notices `0..n`; `target` is a folder (tantivy), a file (SQLite) or a URL.
pub fn load(engine: Engine, target: &str, n: u64) -> Result<(), Error> {
    let generator = Generator::new(Corpus::load()?);
    let started = Instant::now();
    match engine {
        Engine::Tantivy => {
            let index = search::Index::open_or_create(target)?;
            let mut start = 0;
            while start < n {
                let end = (start + INDEX_BATCH).min(n);
                let docs: Vec<_> = (start..end).map(|i| generator.notice(i)).collect();
                index.upsert(&docs)?;
                start = end;
            }
            // As `halle reindex` does after a rebuild.
            index.commit(0)?;
            index.optimize()?;
        }
        Engine::Sqlite => runtime()?.block_on(sqlite::load(Path::new(target), &generator, n))?,
        Engine::Postgres => runtime()?.block_on(pg::load(target, &generator, n))?,
    }
    println!("load_seconds {}", started.elapsed().as_secs_f64());
    Ok(())
}

fn tantivy_query(q: &BenchQuery, now: i64) -> search::Query {
    search::Query {
        text: q.text.clone(),
        filters: q.filters.clone(),
        sort: q.sort,
        page: q.page,
        per_page: PER_PAGE,
        now,
    }
}

/// Serves the 50 searches to 8 clients for at least `min_time`.
pub fn query(engine: Engine, target: &str, min_time: Duration) -> Result<(), Error> {
    let queries = queries::all();
    let measure = match engine {
        Engine::Tantivy => {
            let index = search::Index::open_or_create(target)?;
            clients::measure(&queries, min_time, |q, now| Ok(index.search(&tantivy_query(q, now))?.total))?
        }
        Engine::Sqlite => {
            let rt = runtime()?;
            let pool = rt.block_on(sqlite::open(Path::new(target)))?;
            let handle = rt.handle();
            clients::measure(&queries, min_time, |q, now| {
                handle.block_on(crate::baseline::search(Dialect::Sqlite, &pool, q, now))
            })?
        }
        Engine::Postgres => {
            let rt = runtime()?;
            let pool = rt.block_on(pg::open(target))?;
            println!("size_bytes {}", rt.block_on(pg::size(&pool))?);
            let postmaster = rt.block_on(pg::postmaster(&pool))?;
            let handle = rt.handle();
            let done = std::sync::atomic::AtomicBool::new(false);
            let (measure, server_kb) = std::thread::scope(|s| {
                let sampler = s.spawn(|| {
                    let mut peak = 0;
                    while !done.load(std::sync::atomic::Ordering::Relaxed) {
                        peak = postmaster.and_then(memory::tree_pss_kb).unwrap_or(0).max(peak);
                        std::thread::sleep(SAMPLE_EVERY);
                    }
                    peak
                });
                let measure = clients::measure(&queries, min_time, |q, now| {
                    handle.block_on(crate::baseline::search(Dialect::Postgres, &pool, q, now))
                });
                done.store(true, std::sync::atomic::Ordering::Relaxed);
                (measure, sampler.join().unwrap_or(0))
            });
            println!("server_kb {server_kb}");
            measure?
        }
    };
    println!("overall {}", measure.overall.to_fields());
    println!("wall_ms {}", measure.wall.as_millis());
    for (i, s) in measure.per_query.iter().enumerate() {
        println!("query {i} {} {} {}", s.hits, s.first, s.latency.to_fields());
    }
    print_own_memory();
    Ok(())
}
