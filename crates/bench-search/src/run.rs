//! The whole benchmark: measures the generator, then runs each engine's `load` and `query`
//! processes (this binary, `phase …`) and writes the report.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::clients::Error;
use crate::corpus::Corpus;
use crate::generate::Generator;
use crate::phase::Engine;
use crate::report::{Context, EngineReport, markdown};
use crate::{memory, queries};

pub struct Options {
    pub notices: u64,
    /// An empty PostgreSQL database; the baseline is skipped without one.
    pub pg_url: Option<String>,
    /// Scratch folder for the index and the SQLite file (emptied by the caller).
    pub work: PathBuf,
    pub out: PathBuf,
    pub min_time: Duration,
}

fn phase(args: &[&str]) -> Result<String, Error> {
    let exe = std::env::current_exe()?;
    let out = Command::new(&exe).arg("phase").args(args).stderr(Stdio::inherit()).output()?;
    if !out.status.success() {
        return Err(format!("`{} phase {}` failed ({})", exe.display(), args.join(" "), out.status).into());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn engine(engine: Engine, target: &str, options: &Options, size: impl Fn() -> u64) -> Result<EngineReport, Error> {
    let mut report = EngineReport { name: engine.name().to_string(), ..Default::default() };
    let n = options.notices.to_string();
    eprintln!("bench-search: {}: loading {} notices", engine.name(), options.notices);
    report.read_load(&phase(&[engine.name(), "load", target, &n])?);
    eprintln!("bench-search: {}: loaded in {:.1} s; serving", engine.name(), report.load_seconds);
    let secs = options.min_time.as_secs().to_string();
    let before = load_average(1);
    report.read_query(&phase(&[engine.name(), "query", target, &secs])?);
    report.machine_load = format!("{before} → {}", load_average(1));
    if report.size_bytes == 0 {
        report.size_bytes = size();
    }
    Ok(report)
}

fn generation_rate(n: u64) -> Result<f64, Error> {
    let generator = Generator::new(Corpus::load()?);
    let n = n.min(200_000);
    let started = Instant::now();
    let mut bytes = 0;
    for i in 0..n {
        bytes += generator.notice(i).title.len();
    }
    std::hint::black_box(bytes);
    Ok(n as f64 / started.elapsed().as_secs_f64())
}

/// The machine's load average over the last 1, 5 and 15 minutes, the first `n` of them: other
/// work on the machine shows in the latencies.
fn load_average(n: usize) -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(n).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

pub fn run(options: &Options) -> Result<(), Error> {
    let ctx = Context {
        notices: options.notices,
        generation_rate: generation_rate(options.notices)?,
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        load_average: load_average(3),
    };
    let index = options.work.join("index");
    let db = options.work.join("notices.db");
    let mut engines = vec![engine(Engine::Tantivy, &path(&index), options, || memory::dir_bytes(&index))?];
    engines.push(engine(Engine::Sqlite, &path(&db), options, || std::fs::metadata(&db).map_or(0, |m| m.len()))?);
    match &options.pg_url {
        Some(url) => engines.push(engine(Engine::Postgres, url, options, || 0)?),
        None => eprintln!("bench-search: no --pg URL: PostgreSQL skipped"),
    }
    let report = markdown(&ctx, &engines, &queries::all());
    println!("\n{report}");
    if let Some(dir) = options.out.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&options.out, &report)?;
    eprintln!("bench-search: report written to {}", options.out.display());
    Ok(())
}

fn path(p: &Path) -> String {
    p.display().to_string()
}
