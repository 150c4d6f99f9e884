//! `cargo xtask bench-indicators`: what recomputing the public indicators from the raw rows on
//! every request costs at the scale of Île-de-France. Builds the `bench-indicators` program
//! (release) and runs it: a throw-away SQLite database (and, with `--pg`, a database on a
//! throw-away PostgreSQL cluster) filled with N awarded lots with a clause (3,000 by default),
//! their beneficiaries, placements and months of validated hours, then `App::indicators` asked
//! for the region, each département, an operation, a year, a buyer and a département in a
//! year. The markdown report is printed and written to `<target>/bench-indicators.md`.

use std::process::Command;

use crate::{
    Result,
    postgres::Cluster,
    shell::{self, cargo, target_dir},
    tmp::TempDir,
};

pub struct Flags {
    /// Passed through to the program (`--lots`, `--beneficiaries`, `--placements`, `--months`).
    scale: Vec<String>,
    pg: bool,
}

impl Flags {
    pub fn parse(args: &[String]) -> Result<Flags> {
        let mut flags = Flags { scale: Vec::new(), pg: false };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--pg" => flags.pg = true,
                "--lots" | "--beneficiaries" | "--placements" | "--months" => {
                    let value = args.next().ok_or_else(|| format!("`{arg}` needs a value"))?;
                    if value.parse::<u64>().map_or(true, |n| n == 0) {
                        return Err(format!("`{arg}` takes a number of at least 1").into());
                    }
                    flags.scale.extend([arg.clone(), value.clone()]);
                }
                other => return Err(format!("unknown flag `{other}` for `bench-indicators`").into()),
            }
        }
        Ok(flags)
    }
}

pub fn run(flags: Flags) -> Result {
    shell::run(cargo().args(["build", "--release", "--package", "bench-indicators"]))?;
    let work = TempDir::new("bench-indicators")?;
    let report = target_dir().join("bench-indicators.md");
    let mut command = Command::new(target_dir().join("release/bench-indicators"));
    command.args(&flags.scale).arg("--work").arg(work.path()).arg("--out").arg(&report);
    // Kept until the program is done; stopped and removed when dropped.
    let cluster = if flags.pg { Some(Cluster::start()?) } else { None };
    if let Some(cluster) = &cluster {
        cluster.create_database("bench")?;
        command.args(["--pg", &cluster.url("bench")]);
    }
    shell::run(&mut command)
}
