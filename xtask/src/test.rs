//! `cargo xtask test`: formatting, lints, every test on SQLite and PostgreSQL, browser tests.

use crate::{
    Result, e2e,
    postgres::Cluster,
    report::Report,
    shell::{self, cargo, succeeds},
};

/// The variable through which the product's tests find the throw-away PostgreSQL database.
pub const DATABASE_URL_VAR: &str = "HALLE_TEST_DATABASE_URL";
const DATABASE: &str = "halle_test";

pub struct Flags {
    no_pg: bool,
    no_e2e: bool,
}

impl Flags {
    pub fn parse(args: &[String]) -> Result<Flags> {
        let mut flags = Flags { no_pg: false, no_e2e: false };
        for arg in args {
            match arg.as_str() {
                "--no-pg" => flags.no_pg = true,
                "--no-e2e" => flags.no_e2e = true,
                other => return Err(format!("unknown flag `{other}` for `test`").into()),
            }
        }
        Ok(flags)
    }
}

pub fn run(flags: Flags) -> Result {
    let mut report = Report::new();

    report.step("fmt", || shell::run(cargo().args(["fmt", "--all", "--", "--check"])));
    report.step("clippy", || {
        shell::run(cargo().args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))
    });

    let cluster = if flags.no_pg {
        report.skip("postgres", "--no-pg");
        None
    } else {
        report.step("postgres", start_database)
    };
    // The sealed-bid tests check that the standard `age` tool opens what Halle seals.
    report.step("age tool", || crate::apt::ensure_program("age", &["age"]));
    // The PDF tests check that poppler's `pdftotext` reads back what `formats::pdf` writes.
    report.step("pdftotext", || crate::apt::ensure_program("pdftotext", &["poppler-utils"]));
    // The format tests validate Halle's exports with the official tools.
    let validators = report.step("validators", crate::validators::ensure);
    report.step("tests", || {
        let mut cmd = test_command();
        if let Some(bin) = &validators {
            cmd.env(crate::validators::BIN_VAR, bin);
        }
        match &cluster {
            Some(cluster) => {
                let url = cluster.url(DATABASE);
                eprintln!("xtask: {DATABASE_URL_VAR}={url}");
                cmd.env(DATABASE_URL_VAR, url);
            }
            None => {
                eprintln!("xtask: no PostgreSQL: the tests run on SQLite only");
                cmd.env_remove(DATABASE_URL_VAR);
            }
        }
        shell::run(&mut cmd)
    });
    // Free the database before the browser tests, which do not use it.
    drop(cluster);

    if flags.no_e2e {
        report.skip("e2e", "--no-e2e");
    } else {
        e2e::run(&mut report);
    }

    report.print();
    if report.failed() { Err("some steps failed".into()) } else { Ok(()) }
}

/// `cargo xtask pg [-- COMMAND…]`: runs COMMAND (default: `psql`) with a throw-away database in
/// `HALLE_TEST_DATABASE_URL`, then removes it. For running some tests on PostgreSQL by hand.
pub fn pg(args: &[String]) -> Result {
    let args = match args.split_first() {
        Some((dashes, rest)) if dashes == "--" => rest,
        _ => args,
    };
    let cluster = start_database()?;
    let url = cluster.url(DATABASE);
    eprintln!("xtask: {DATABASE_URL_VAR}={url}");
    let mut cmd = match args.split_first() {
        Some((program, rest)) => {
            let mut cmd = std::process::Command::new(program);
            cmd.args(rest);
            cmd
        }
        None => {
            let mut cmd = cluster.client_tool("psql");
            cmd.arg(DATABASE);
            cmd
        }
    };
    shell::run(cmd.env(DATABASE_URL_VAR, url))
}

fn start_database() -> Result<Cluster> {
    let cluster = Cluster::start()?;
    cluster.create_database(DATABASE)?;
    Ok(cluster)
}

/// `cargo nextest run`, or `cargo test` where nextest is not installed.
fn test_command() -> std::process::Command {
    let mut cmd = cargo();
    if succeeds(cargo().args(["nextest", "--version"])) {
        cmd.args(["nextest", "run", "--workspace", "--no-fail-fast"]);
    } else {
        eprintln!("xtask: cargo-nextest not found, falling back to cargo test");
        cmd.args(["test", "--workspace", "--no-fail-fast"]);
    }
    cmd
}
