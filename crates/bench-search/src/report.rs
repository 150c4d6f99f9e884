//! What each engine measured, and the markdown report.

use std::fmt::Write;

use crate::queries::BenchQuery;
use crate::stats::{Latency, QueryStats};

/// One engine's numbers, gathered from its `load` and `query` processes.
#[derive(Debug, Clone, Default)]
pub struct EngineReport {
    pub name: String,
    pub load_seconds: f64,
    pub size_bytes: u64,
    /// Peak memory while serving: the serving process's VmHWM, or for PostgreSQL the peak summed
    /// PSS of the server's processes.
    pub server_kb: u64,
    /// The serving process's anonymous memory at the end (heap, not the mapped files).
    pub anon_kb: u64,
    pub overall: Latency,
    pub wall_ms: u64,
    pub per_query: Vec<QueryStats>,
    /// The machine's 1-minute load average before and after serving.
    pub machine_load: String,
}

impl EngineReport {
    /// Reads a `load` process's output.
    pub fn read_load(&mut self, out: &str) {
        for line in out.lines() {
            if let Some(v) = line.strip_prefix("load_seconds ") {
                self.load_seconds = v.trim().parse().unwrap_or(0.0);
            }
        }
    }

    /// Reads a `query` process's output.
    pub fn read_query(&mut self, out: &str) {
        let mut server_kb = None;
        let mut peak_kb = 0;
        for line in out.lines() {
            let mut f = line.split_whitespace();
            match f.next() {
                Some("size_bytes") => self.size_bytes = f.next().and_then(|v| v.parse().ok()).unwrap_or(0),
                Some("server_kb") => server_kb = f.next().and_then(|v| v.parse().ok()),
                Some("peak_kb") => peak_kb = f.next().and_then(|v| v.parse().ok()).unwrap_or(0),
                Some("anon_kb") => self.anon_kb = f.next().and_then(|v| v.parse().ok()).unwrap_or(0),
                Some("wall_ms") => self.wall_ms = f.next().and_then(|v| v.parse().ok()).unwrap_or(0),
                Some("overall") => self.overall = Latency::from_fields(f).unwrap_or_default(),
                Some("query") => {
                    let _index = f.next();
                    let hits = f.next().and_then(|v| v.parse().ok()).unwrap_or(0);
                    let first = f.next().and_then(|v| v.parse().ok()).unwrap_or(0);
                    let latency = Latency::from_fields(f).unwrap_or_default();
                    self.per_query.push(QueryStats { hits, first, latency });
                }
                _ => {}
            }
        }
        self.server_kb = server_kb.unwrap_or(peak_kb);
    }

    fn rate(&self, notices: u64) -> f64 {
        notices as f64 / self.load_seconds.max(1e-9)
    }

    fn throughput(&self) -> f64 {
        self.overall.count as f64 / (self.wall_ms.max(1) as f64 / 1000.0)
    }
}

fn ms(micros: u64) -> String {
    let ms = micros as f64 / 1000.0;
    if ms < 10.0 {
        format!("{ms:.2}")
    } else if ms < 100.0 {
        format!("{ms:.1}")
    } else {
        format!("{ms:.0}")
    }
}

fn mb(bytes: f64) -> String {
    format!("{:.0} MB", bytes / 1e6)
}

/// The context of the run, printed above the tables.
pub struct Context {
    pub notices: u64,
    pub generation_rate: f64,
    pub cores: usize,
    pub load_average: String,
}

pub fn markdown(ctx: &Context, engines: &[EngineReport], queries: &[BenchQuery]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "## bench-search: {} notices, {} clients, {} searches with facets\n",
        ctx.notices,
        crate::clients::CLIENTS,
        queries.len()
    );
    let _ = writeln!(
        s,
        "Release build, {} cores shared with other work (load average before the run {}; the machine load column \
         is the 1-minute average before and after each engine served). Generating the notices alone runs at \
         {:.0} notices/s (included in every engine's load time).\n",
        ctx.cores, ctx.load_average, ctx.generation_rate
    );
    let _ = writeln!(
        s,
        "| engine | load | notices/s | size on disk | peak memory serving | heap at end | searches | p50 | p99 | max | searches/s | machine load |"
    );
    let _ = writeln!(s, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for e in engines {
        let _ = writeln!(
            s,
            "| {} | {:.1} s | {:.0} | {} | {} | {} | {} | {} ms | {} ms | {} ms | {:.1} | {} |",
            e.name,
            e.load_seconds,
            e.rate(ctx.notices),
            mb(e.size_bytes as f64),
            mb(e.server_kb as f64 * 1024.0),
            if e.name == "postgres" { "–".to_string() } else { mb(e.anon_kb as f64 * 1024.0) },
            e.overall.count,
            ms(e.overall.p50),
            ms(e.overall.p99),
            ms(e.overall.max),
            e.throughput(),
            e.machine_load
        );
    }
    if let (Some(t), Some(pg)) = (engines.first(), engines.iter().find(|e| e.name == "postgres")) {
        let _ = writeln!(
            s,
            "\ntantivy against PostgreSQL: {:.1}× at p50, {:.1}× at p99.",
            pg.overall.p50 as f64 / t.overall.p50.max(1) as f64,
            pg.overall.p99 as f64 / t.overall.p99.max(1) as f64
        );
    }

    let _ = write!(
        s,
        "\n### Per search: hits; ms alone the first time (cold), then p50 / p99 at {} clients\n\n| # | search |",
        crate::clients::CLIENTS
    );
    for e in engines {
        let _ = write!(s, " {} hits | {} cold | {} p50 / p99 |", e.name, e.name, e.name);
    }
    let _ = write!(s, "\n|---|---|");
    for _ in engines {
        let _ = write!(s, "---:|---:|---:|");
    }
    s.push('\n');
    for (i, q) in queries.iter().enumerate() {
        let _ = write!(s, "| {} | {} |", i + 1, q.label().replace('|', "\\|"));
        for e in engines {
            match e.per_query.get(i) {
                Some(st) => {
                    let (p50, p99) = (ms(st.latency.p50), ms(st.latency.p99));
                    let _ = write!(s, " {} | {} | {p50} / {p99} |", st.hits, ms(st.first));
                }
                None => s.push_str(" – | – | – |"),
            }
        }
        s.push('\n');
    }
    s.push_str(DIFFERENCES);
    s
}

const DIFFERENCES: &str = "
### What each engine does

- **tantivy** (`search::Index`, the product's code): French analysis (elision, accents folded, stop
  words, Snowball stemmer), one typo forgiven on words of 5+ letters, the last word completed as
  a prefix, BM25 over weighted fields, every facet counted with all filters but its own. Only
  the key is stored; segments merged into one after loading (`Index::optimize`, as
  `halle reindex` does). Searches without words (per segment) and searches whose words match
  10,000 documents or more (per index generation) are remembered until the next deadline
  boundary or commit: the 50 searches repeat, so under load those come from memory and their
  cost when computed is the cold column; searches matching fewer are computed every time.
  Memory is the serving process's peak resident size (VmHWM), mapped index files included.
- **SQLite FTS5** (bundled with sqlx): `unicode61 remove_diacritics 2` tokenizer — accents folded
  but **no stemming** (« nettoyages » does not find « nettoyage ») and **no stop words**
  (« l'école » requires a token « l »), **no typo tolerance**; last word as a prefix query; bm25
  with the same field weights; one statement per search (matches in a materialised CTE, then the
  page and each facet by GROUP BY over them). Stores the texts. Memory: the serving process's
  VmHWM with `mmap_size` 1 GiB.
- **PostgreSQL** (`to_tsvector('french', …)` generated column, GIN index): Snowball stemmer and
  stop words but **accents not folded** (« ecole » does not find « école ») and **no typo
  tolerance**; last word as `:*` prefix; `ts_rank` over A–D weights; the same single statement;
  `work_mem` 64 MB, default `shared_buffers` (128 MB), fsync off. Memory: the peak summed PSS of
  the postmaster and its backends while serving.
- All three: all words required, then any of them when that finds nothing; 20 results a page;
  the current instant moves with the clock; one round alone first (hit counts and cold times
  shown); then each client runs the 50 searches in turn from its own starting point.
";
