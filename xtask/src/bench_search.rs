//! `cargo xtask bench-search`: "find every tender in seconds". Builds the `bench-search`
//! program (release), starts a throw-away PostgreSQL cluster for its baseline, and runs it: N
//! generated notices (1,000,000 by default) indexed by the product's search index, SQLite FTS5
//! and PostgreSQL full-text search, then the same 50 searches with facets at 8 concurrent
//! clients on each. The markdown report is printed and written to `<target>/bench-search.md`.

use std::process::Command;

use crate::{
    Result,
    postgres::Cluster,
    shell::{self, cargo, target_dir},
    tmp::TempDir,
};

pub struct Flags {
    notices: u64,
    min_seconds: u64,
}

impl Flags {
    pub fn parse(args: &[String]) -> Result<Flags> {
        let mut flags = Flags { notices: 1_000_000, min_seconds: 30 };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = || args.next().ok_or_else(|| format!("`{arg}` needs a value"));
            match arg.as_str() {
                "--notices" => flags.notices = value()?.parse()?,
                "--min-seconds" => flags.min_seconds = value()?.parse()?,
                other => return Err(format!("unknown flag `{other}` for `bench-search`").into()),
            }
        }
        if flags.notices == 0 {
            return Err("--notices takes at least 1".into());
        }
        Ok(flags)
    }
}

pub fn run(flags: Flags) -> Result {
    shell::run(cargo().args(["build", "--release", "--package", "bench-search"]))?;
    let work = TempDir::new("bench-search")?;
    let cluster = Cluster::start()?;
    cluster.create_database("bench")?;
    let report = target_dir().join("bench-search.md");
    shell::run(
        Command::new(target_dir().join("release/bench-search"))
            .args(["--notices", &flags.notices.to_string()])
            .args(["--min-seconds", &flags.min_seconds.to_string()])
            .args(["--pg", &cluster.url("bench")])
            .arg("--work")
            .arg(work.path())
            .arg("--out")
            .arg(&report),
    )
}
