//! What each process measured (lines on its standard output, read back by the one that
//! reports), and the markdown report.

use std::fmt::Write;
use std::time::Duration;

use crate::generate::Scale;
use crate::measure::{Latency, Measured, QueryResult, Step};

/// One engine's numbers, from its `load` and `measure` processes.
#[derive(Debug, Clone, Default)]
pub struct EngineReport {
    pub name: String,
    pub load_seconds: f64,
    pub load_peak_kb: u64,
    pub rows: Vec<(String, i64)>,
    pub size_bytes: u64,
    pub measure_peak_kb: u64,
    pub measured: Measured,
    /// The machine's 1-minute load average before and after measuring.
    pub machine_load: String,
}

/// A `load` process's lines.
pub fn load_lines(seconds: f64, peak_kb: u64, rows: &[(String, i64)]) -> String {
    let mut s = format!("load_seconds {seconds:.3}\npeak_kb {peak_kb}\n");
    for (table, n) in rows {
        let _ = writeln!(s, "rows\t{table}\t{n}");
    }
    s
}

/// A `measure` process's lines.
pub fn measure_lines(size_bytes: u64, peak_kb: u64, m: &Measured) -> String {
    let mut s = format!(
        "size_bytes {size_bytes}\npeak_kb {peak_kb}\nwarmup {}\nrounds {}\nwall_us {}\n",
        m.warmup_rounds,
        m.rounds,
        m.wall.as_micros()
    );
    for step in &m.steps {
        let l = step.latency;
        let _ = writeln!(s, "step\t{}\t{}\t{}\t{}\t{}", step.name, l.count, l.p50, l.p99, l.max);
    }
    for r in &m.results {
        let l = r.latency;
        let _ = writeln!(
            s,
            "query\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            r.kind,
            r.label,
            r.required_rows,
            r.hours_rows,
            r.contracts,
            r.hours_required,
            r.hours_realised,
            r.beneficiaries.map_or("-".to_string(), |b| b.to_string()),
            l.count,
            l.p50,
            l.p99,
            l.max
        );
    }
    s
}

fn number<T: std::str::FromStr + Default>(v: Option<&str>) -> T {
    v.and_then(|v| v.trim().parse().ok()).unwrap_or_default()
}

impl EngineReport {
    pub fn read_load(&mut self, out: &str) {
        for line in out.lines() {
            let mut f = line.split(['\t', ' ']);
            match f.next() {
                Some("load_seconds") => self.load_seconds = number(f.next()),
                Some("peak_kb") => self.load_peak_kb = number(f.next()),
                Some("rows") => {
                    let mut f = line.split('\t').skip(1);
                    let table = f.next().unwrap_or_default().to_string();
                    self.rows.push((table, number(f.next())));
                }
                _ => {}
            }
        }
    }

    pub fn read_measure(&mut self, out: &str) {
        for line in out.lines() {
            if let Some(rest) = line.strip_prefix("step\t") {
                let f: Vec<&str> = rest.split('\t').collect();
                let get = |i: usize| f.get(i).copied();
                self.measured.steps.push(Step {
                    name: get(0).unwrap_or_default().to_string(),
                    latency: Latency {
                        count: number(get(1)),
                        p50: number(get(2)),
                        p99: number(get(3)),
                        max: number(get(4)),
                    },
                });
                continue;
            }
            if let Some(rest) = line.strip_prefix("query\t") {
                let f: Vec<&str> = rest.split('\t').collect();
                let get = |i: usize| f.get(i).copied();
                self.measured.results.push(QueryResult {
                    kind: get(0).unwrap_or_default().to_string(),
                    label: get(1).unwrap_or_default().to_string(),
                    required_rows: number(get(2)),
                    hours_rows: number(get(3)),
                    contracts: number(get(4)),
                    hours_required: number(get(5)),
                    hours_realised: number(get(6)),
                    beneficiaries: get(7).and_then(|b| b.parse().ok()),
                    latency: Latency {
                        count: number(get(8)),
                        p50: number(get(9)),
                        p99: number(get(10)),
                        max: number(get(11)),
                    },
                });
                continue;
            }
            let mut f = line.split(' ');
            match f.next() {
                Some("size_bytes") => self.size_bytes = number(f.next()),
                Some("peak_kb") => self.measure_peak_kb = number(f.next()),
                Some("warmup") => self.measured.warmup_rounds = number(f.next()),
                Some("rounds") => self.measured.rounds = number(f.next()),
                Some("wall_us") => self.measured.wall = Duration::from_micros(number(f.next())),
                _ => {}
            }
        }
    }

    fn rows_of(&self, table: &str) -> i64 {
        self.rows.iter().find(|(t, _)| t == table).map_or(0, |(_, n)| *n)
    }
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
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

fn mb(kb: u64) -> String {
    format!("{:.0} MB", kb as f64 * 1024.0 / 1e6)
}

/// The run's context, printed above the tables.
pub struct Context {
    pub scale: Scale,
    pub min_rounds: usize,
    pub min_seconds: u64,
    pub cores: usize,
    pub load_average: String,
}

pub fn markdown(ctx: &Context, engines: &[EngineReport]) -> String {
    let mut s = String::new();
    let sc = &ctx.scale;
    let _ = writeln!(
        s,
        "## bench-indicators: {} awarded lots with a clause, {} beneficiaries, {} placements × {} months\n",
        thousands(sc.lots as i64),
        thousands(sc.beneficiaries as i64),
        thousands(sc.placements as i64),
        sc.months
    );
    let queries = engines.first().map_or(0, |e| e.measured.results.len());
    let _ = writeln!(
        s,
        "`App::indicators` — the code of `GET /api/v1/indicators` and `/indicateurs` — recomputes every figure from \
         the rows on each request: the required hours of the lots in scope, the validated hours summed by person \
         and way, the outcomes, the contracts' shares, and the same per département for comparison. Release build, \
         {} cores shared with other work (load average {} before the run), seed {}. One client; a round asks the \
         {queries} queries below once each, in order; {} warm-up rounds, then at least {} rounds and {} s.\n",
        ctx.cores,
        ctx.load_average,
        sc.seed,
        engines.first().map_or(0, |e| e.measured.warmup_rounds),
        ctx.min_rounds,
        ctx.min_seconds
    );

    let _ = writeln!(s, "### Loading (the store's `Tx` methods, large transactions)\n");
    let _ =
        writeln!(s, "| engine | load time | monthly reports/s | size on disk | peak memory of the loading process |");
    let _ = writeln!(s, "|---|---:|---:|---:|---:|");
    for e in engines {
        let _ = writeln!(
            s,
            "| {} | {:.1} s | {} | {:.0} MB | {} |",
            e.name,
            e.load_seconds,
            thousands((e.rows_of("hours_reports") as f64 / e.load_seconds.max(1e-9)) as i64),
            e.size_bytes as f64 / 1e6,
            mb(e.load_peak_kb)
        );
    }

    let _ = write!(s, "\n### Rows\n\n| table |");
    for e in engines {
        let _ = write!(s, " {} |", e.name);
    }
    let _ = write!(s, "\n|---|");
    for _ in engines {
        s.push_str("---:|");
    }
    s.push('\n');
    if let Some(first) = engines.first() {
        for (table, _) in &first.rows {
            let _ = write!(s, "| {table} |");
            for e in engines {
                let _ = write!(s, " {} |", thousands(e.rows_of(table)));
            }
            s.push('\n');
        }
    }

    let calls = engines.first().and_then(|e| e.measured.results.first()).map_or(0, |r| r.latency.count);
    let _ = write!(
        s,
        "\n### One `App::indicators` call, per query (ms)\n\n\
         Facts: the rows of required hours and of validated hours (grouped by person and way) the store returns \
         for the query. {calls} calls per query and engine{}.\n\n\
         | query | facts | contracts | hours required | hours realised | people |",
        if calls < 100 { ", so p99 (nearest rank) is the slowest of them" } else { "" }
    );
    for e in engines {
        let _ = write!(s, " {0} p50 | {0} p99 | {0} max |", e.name);
    }
    let _ = write!(s, "\n|---|---:|---:|---:|---:|---:|");
    for _ in engines {
        s.push_str("---:|---:|---:|");
    }
    s.push('\n');
    if let Some(first) = engines.first() {
        for (i, r) in first.measured.results.iter().enumerate() {
            let _ = write!(
                s,
                "| {}: {} | {} + {} | {} | {} | {} | {} |",
                r.kind,
                r.label.replace('|', "\\|"),
                thousands(r.required_rows as i64),
                thousands(r.hours_rows as i64),
                thousands(r.contracts),
                thousands(r.hours_required),
                thousands(r.hours_realised),
                r.beneficiaries.map_or("hidden".to_string(), thousands)
            );
            for e in engines {
                match e.measured.results.get(i) {
                    Some(x) => {
                        let _ = write!(s, " {} | {} | {} |", ms(x.latency.p50), ms(x.latency.p99), ms(x.latency.max));
                    }
                    None => s.push_str(" – | – | – |"),
                }
            }
            s.push('\n');
        }
        for e in &engines[1..] {
            let same = e.measured.results.iter().zip(&first.measured.results).all(|(a, b)| {
                (a.contracts, a.hours_required, a.hours_realised, a.beneficiaries)
                    == (b.contracts, b.hours_required, b.hours_realised, b.beneficiaries)
            });
            let verdict = if same { "the same figures" } else { "**different figures** (a bug)" };
            let _ = writeln!(s, "\n{} and {} computed {verdict} for every query.", first.name, e.name);
        }
    }

    if let Some(first) = engines.first().filter(|e| !e.measured.steps.is_empty()) {
        let _ = write!(
            s,
            "\n### Where the time of the region's request goes (ms, {} runs of each step, after the rounds)\n\n| step |",
            first.measured.steps[0].latency.count
        );
        for e in engines {
            let _ = write!(s, " {0} p50 | {0} max |", e.name);
        }
        let _ = write!(s, "\n|---|");
        for _ in engines {
            s.push_str("---:|---:|");
        }
        s.push('\n');
        for (i, step) in first.measured.steps.iter().enumerate() {
            let _ = write!(s, "| `{}` |", step.name);
            for e in engines {
                match e.measured.steps.get(i) {
                    Some(x) => {
                        let _ = write!(s, " {} | {} |", ms(x.latency.p50), ms(x.latency.max));
                    }
                    None => s.push_str(" – | – |"),
                }
            }
            s.push('\n');
        }
    }

    let _ = writeln!(
        s,
        "\n### Overall, one client\n\n| engine | rounds | requests | time | requests/s | peak memory of the measuring \
         process (VmHWM) | machine load |\n|---|---:|---:|---:|---:|---:|---|"
    );
    for e in engines {
        let m = &e.measured;
        let _ = writeln!(
            s,
            "| {} | {} | {} | {:.1} s | {:.1} | {} | {} |",
            e.name,
            m.rounds,
            thousands(m.requests() as i64),
            m.wall.as_secs_f64(),
            m.per_second(),
            mb(e.measure_peak_kb),
            e.machine_load
        );
    }
    s.push_str(NOTES);
    s
}

const NOTES: &str = "
### How it was measured

- The database is created by `store::Store::connect` (the real migrations) and filled through the
  store's own `Tx` methods — the calls the `App` services make, without their audit entries and
  per-row commits. Hours are declared in one transaction and validated by the facilitator in the
  next, as in the product; about 15 % of the placements' last month still waits for validation
  and 1 % of months are refused.
- The indicators' rows are the product's: `store.required_hours`, `store.hours_facts`,
  `store.outcome_facts`, `store.contract_facts`, then the pure computation of
  `domain::indicators`, nothing cached. Every request also lists the operations and the buyers
  (the page's filters).
- Loading and measuring run in processes of their own, so each peak memory is its own; the
  measuring process's peak includes the runtime, the pools and the rows of the largest request
  (with mimalloc, as `halle serve`). PostgreSQL's own processes are not counted in it.
- Latencies are wall-clock times on a machine shared with other work: the load average is shown.
- PostgreSQL (when measured) is the throw-away cluster of `cargo xtask` (fsync off, default
  `shared_buffers`), `ANALYZE`d after the load as autovacuum would do; SQLite runs as `halle`
  runs it (WAL, 8 reader connections), without `ANALYZE`, as the product never runs it.
";
