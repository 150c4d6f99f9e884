//! `bench-search`: see the library's documentation. Run through `cargo xtask bench-search`,
//! which builds it in release mode and provides the PostgreSQL database.

use std::process::ExitCode;
use std::time::Duration;

use bench_search::phase::{self, Engine};
use bench_search::run::{self, Options};

const USAGE: &str = "usage: bench-search --work DIR --out FILE [--notices N] [--pg URL] [--min-seconds S]
       bench-search phase tantivy|sqlite|postgres load TARGET N
       bench-search phase tantivy|sqlite|postgres query TARGET MIN_SECONDS";

type Error = Box<dyn std::error::Error + Send + Sync>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("phase") => run_phase(&args[1..]),
        _ => match options(&args) {
            Ok(o) => run::run(&o),
            Err(e) => Err(format!("{e}\n{USAGE}").into()),
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench-search: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run_phase(args: &[String]) -> Result<(), Error> {
    let [engine, step, target, number] = args else { return Err("a phase takes 4 arguments".into()) };
    let engine = Engine::parse(engine).ok_or("unknown engine")?;
    match step.as_str() {
        "load" => phase::load(engine, target, number.parse()?),
        "query" => phase::query(engine, target, Duration::from_secs(number.parse()?)),
        _ => Err("unknown step".into()),
    }
}

fn options(args: &[String]) -> Result<Options, Error> {
    let mut o = Options {
        notices: 1_000_000,
        pg_url: None,
        work: Default::default(),
        out: Default::default(),
        min_time: Duration::from_secs(30),
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("`{arg}` needs a value"));
        match arg.as_str() {
            "--notices" => o.notices = value()?.parse()?,
            "--pg" => o.pg_url = Some(value()?.clone()),
            "--work" => o.work = value()?.into(),
            "--out" => o.out = value()?.into(),
            "--min-seconds" => o.min_time = Duration::from_secs(value()?.parse()?),
            other => return Err(format!("unknown flag `{other}`").into()),
        }
    }
    if o.work.as_os_str().is_empty() || o.out.as_os_str().is_empty() {
        return Err("--work and --out are required".into());
    }
    Ok(o)
}
