//! `cargo xtask`: everything a developer or CI runs, behind one entry point.
//!
//! Standard library only. Each module has one job; the commands are `test`, `e2e`, `pg`,
//! `validators`, `bench`, `bench-bids`,
//! `bench-decp`, `bench-search` and `bench-indicators`.

mod apt;
mod bench;
mod bench_bids;
mod bench_decp;
mod bench_indicators;
mod bench_search;
mod e2e;
mod http;
mod json;
mod postgres;
mod report;
mod server;
mod shell;
mod signal;
mod test;
mod tmp;
mod validators;
mod wrk;

use std::process::ExitCode;

pub type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

const USAGE: &str = "\
usage: cargo xtask <command> [flags]

commands:
  test [--no-pg] [--no-e2e]   fmt, clippy, every test on SQLite and PostgreSQL, browser tests
  e2e                         only the browser tests (Playwright in e2e/, Debian chromium)
  pg [-- COMMAND...]          COMMAND (default psql) with a throw-away PostgreSQL database
                              in HALLE_TEST_DATABASE_URL, removed afterwards
  validators                  installs xmllint, check-jsonschema and libcoveocds; prints the
                              directory to put in HALLE_VALIDATORS_BIN for running tests by hand
  bench [--consultations N] [--duration 15s]
                              wrk against the list page and the API with N published consultations
  bench-bids [--firms 200] [--size-mb 20]
                              deadline rush: N firms deposit an M MB sealed bid at once; throughput
                              next to dd's write speed, time to receipt, server memory
  bench-decp [--records 1000000]
                              imports the real DECP records repeated to N: records/s, memory
  bench-search [--notices 1000000] [--min-seconds 30]
                              N generated notices in the search index, SQLite FTS5 and PostgreSQL
                              full-text search: load rate, size, memory, p50/p99 of 50 searches
                              with facets at 8 clients; report in <target>/bench-search.md
  bench-indicators [--lots 3000] [--beneficiaries 15000] [--placements N] [--months 12] [--pg]
                              the public indicators recomputed from the rows at the scale of
                              Île-de-France (N awarded lots with a clause, their people, placements
                              and validated months of hours) on SQLite, and PostgreSQL with --pg:
                              load time, rows, p50/p99/max per query, requests/s, peak memory;
                              report in <target>/bench-indicators.md
";

fn main() -> ExitCode {
    signal::install();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, flags)) = args.split_first() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    let outcome = match command.as_str() {
        "test" => test::Flags::parse(flags).and_then(test::run),
        "e2e" => no_flags(flags).and_then(|()| e2e::run_alone()),
        "pg" => test::pg(flags),
        "validators" => no_flags(flags).and_then(|()| validators::ensure()).map(|bin| println!("{}", bin.display())),
        "bench" => bench::Flags::parse(flags).and_then(bench::run),
        "bench-bids" => bench_bids::Flags::parse(flags).and_then(bench_bids::run),
        "bench-decp" => bench_decp::Flags::parse(flags).and_then(bench_decp::run),
        "bench-search" => bench_search::Flags::parse(flags).and_then(bench_search::run),
        "bench-indicators" => bench_indicators::Flags::parse(flags).and_then(bench_indicators::run),
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command `{other}`\n{USAGE}").into()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error}");
            ExitCode::FAILURE
        }
    }
}

fn no_flags(flags: &[String]) -> Result {
    match flags.first() {
        None => Ok(()),
        Some(flag) => Err(format!("unknown flag `{flag}`").into()),
    }
}
