//! `bench-indicators`: see the library's documentation. Run through
//! `cargo xtask bench-indicators`, which builds it in release mode and, with `--pg`, provides
//! the PostgreSQL database.

use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use bench_indicators::generate::{self, Scale};
use bench_indicators::report::{self, Context, EngineReport};
use bench_indicators::{Error, db, measure, peak_rss_kb};
use store::Store;

/// As in `halle serve` (see its `main.rs`): the memory measured is the one the server would use.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "\
usage: bench-indicators [--lots N] [--beneficiaries N] [--placements N] [--months N] [--seed N]
                        [--runs N] [--min-seconds S] [--pg URL] [--work DIR] [--out FILE]
       bench-indicators phase load|measure DATABASE_URL [the same flags]

  --lots 3000            awarded lots with a social clause
  --beneficiaries 15000  people followed
  --placements N         placements (default: two per beneficiary)
  --months 12            months of hours reported per placement
  --runs 30              at least this many rounds of the queries…
  --min-seconds 20       …and at least this long
  --pg URL               an empty PostgreSQL database, measured after SQLite
  --work DIR             where the SQLite database goes (default: a temporary folder)
  --out FILE             where the markdown report goes (it is printed too)";

struct Options {
    scale: Scale,
    runs: usize,
    min_seconds: u64,
    pg: Option<String>,
    work: Option<PathBuf>,
    out: Option<PathBuf>,
}

fn options(args: &[String]) -> Result<Options, Error> {
    let mut o = Options { scale: Scale::region(), runs: 30, min_seconds: 20, pg: None, work: None, out: None };
    let mut placements = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("`{arg}` needs a value"));
        match arg.as_str() {
            "--lots" => o.scale.lots = value()?.parse()?,
            "--beneficiaries" => o.scale.beneficiaries = value()?.parse()?,
            "--placements" => placements = Some(value()?.parse()?),
            "--months" => o.scale.months = value()?.parse()?,
            "--seed" => o.scale.seed = value()?.parse()?,
            "--runs" => o.runs = value()?.parse()?,
            "--min-seconds" => o.min_seconds = value()?.parse()?,
            "--pg" => o.pg = Some(value()?.clone()),
            "--work" => o.work = Some(value()?.into()),
            "--out" => o.out = Some(value()?.into()),
            other => return Err(format!("unknown flag `{other}`").into()),
        }
    }
    o.scale.placements = placements.unwrap_or(o.scale.beneficiaries * 2);
    if o.scale.lots == 0 || o.scale.beneficiaries == 0 || o.scale.months == 0 || o.runs == 0 {
        return Err("--lots, --beneficiaries, --months and --runs take at least 1".into());
    }
    Ok(o)
}

/// The flags a phase process is given: the same scale and measure.
fn phase_flags(o: &Options) -> Vec<String> {
    let s = &o.scale;
    [
        ("--lots", s.lots.to_string()),
        ("--beneficiaries", s.beneficiaries.to_string()),
        ("--placements", s.placements.to_string()),
        ("--months", s.months.to_string()),
        ("--seed", s.seed.to_string()),
        ("--runs", o.runs.to_string()),
        ("--min-seconds", o.min_seconds.to_string()),
    ]
    .into_iter()
    .flat_map(|(flag, value)| [flag.to_string(), value])
    .collect()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("phase") => match &args[1..] {
            [step, url, flags @ ..] => options(flags).and_then(|o| phase(step, url, &o)),
            _ => Err(format!("a phase takes a step and a database URL\n{USAGE}").into()),
        },
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => options(&args).map_err(|e| format!("{e}\n{USAGE}").into()).and_then(|o| run(&o)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench-indicators: {e}");
            ExitCode::FAILURE
        }
    }
}

fn phase(step: &str, url: &str, o: &Options) -> Result<(), Error> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    match step {
        "load" => runtime.block_on(load(url, o)),
        "measure" => runtime.block_on(measure(url, o)),
        other => Err(format!("unknown step `{other}`").into()),
    }
}

async fn load(url: &str, o: &Options) -> Result<(), Error> {
    let store = Store::connect(url).await?;
    let started = Instant::now();
    let g = generate::load(&store, &o.scale, &|m| eprintln!("bench-indicators: {m}")).await?;
    let seconds = started.elapsed().as_secs_f64();
    store.close().await;
    let rows = db::row_counts(url).await?;
    print!("{}", report::load_lines(seconds, peak_rss_kb(), &rows));
    println!("generated_lots {}\ngenerated_hours {}", g.lots_with_clause, g.hours_validated);
    Ok(())
}

async fn measure(url: &str, o: &Options) -> Result<(), Error> {
    db::analyze(url).await?;
    let size = db::size_bytes(url).await?;
    let store = Store::connect(url).await?;
    let vault = tempfile::tempdir()?;
    let app = measure::app(store.clone(), vault.path()).await?;
    let queries = measure::queries(&store).await?;
    eprintln!("bench-indicators: measuring {} queries", queries.len());
    let m = measure::measure(&app, &store, &queries, o.runs, Duration::from_secs(o.min_seconds)).await?;
    print!("{}", report::measure_lines(size, peak_rss_kb(), &m));
    Ok(())
}

/// Runs a phase of this same program, its report on standard output.
fn child(step: &str, url: &str, o: &Options) -> Result<String, Error> {
    let exe = std::env::current_exe()?;
    let out = Command::new(&exe).args(["phase", step, url]).args(phase_flags(o)).stderr(Stdio::inherit()).output()?;
    if !out.status.success() {
        return Err(format!("`{} phase {step}` failed ({})", exe.display(), out.status).into());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The machine's load averages (1, 5, 15 minutes), the first `n`: other work shows in latencies.
fn load_average(n: usize) -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(n).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn engine(name: &str, url: &str, o: &Options) -> Result<EngineReport, Error> {
    let mut e = EngineReport { name: name.to_string(), ..Default::default() };
    eprintln!("bench-indicators: {name}: loading");
    let out = child("load", url, o)?;
    e.read_load(&out);
    eprintln!("bench-indicators: {name}: loaded in {:.1} s; measuring", e.load_seconds);
    let before = load_average(1);
    e.read_measure(&child("measure", url, o)?);
    e.machine_load = format!("{before} → {}", load_average(1));
    // The region's figures must be the generator's own totals: else the measure measured
    // something else than what was loaded.
    let generated = |key: &str| -> i64 {
        out.lines().find_map(|l| l.strip_prefix(key)).and_then(|v| v.trim().parse().ok()).unwrap_or(-1)
    };
    let region = e.measured.results.first().ok_or("no query was measured")?;
    if region.contracts != generated("generated_lots ") || region.hours_realised != generated("generated_hours ") {
        return Err(format!(
            "{name}: the region's indicators ({} contracts, {} hours) differ from what was generated ({}, {})",
            region.contracts,
            region.hours_realised,
            generated("generated_lots "),
            generated("generated_hours ")
        )
        .into());
    }
    Ok(e)
}

fn run(o: &Options) -> Result<(), Error> {
    let context = Context {
        scale: o.scale.clone(),
        min_rounds: o.runs,
        min_seconds: o.min_seconds,
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        load_average: load_average(3),
    };
    // The SQLite database: in the folder given, or in one removed at the end.
    let scratch = tempfile::tempdir()?;
    let work = o.work.clone().unwrap_or_else(|| scratch.path().to_path_buf());
    std::fs::create_dir_all(&work)?;
    let db = work.join("indicators.db");
    for suffix in ["", "-wal", "-shm"] {
        let mut file = db.clone().into_os_string();
        file.push(suffix);
        let _ = std::fs::remove_file(file);
    }
    let mut engines = vec![engine("sqlite", &format!("sqlite://{}", db.display()), o)?];
    if let Some(url) = &o.pg {
        engines.push(engine("postgres", url, o)?);
    }
    let markdown = report::markdown(&context, &engines);
    println!("{markdown}");
    if let Some(out) = &o.out {
        std::fs::write(out, &markdown)?;
        eprintln!("bench-indicators: report written to {}", out.display());
    }
    Ok(())
}
