//! `cargo xtask bench-decp`: issue 5's import benchmark. The real DECP v1 records (10,816 of
//! 2019) repeated to N (1,000,000 by default, each copy a distinct contract), imported by a
//! release build of `halle import decp` into a fresh SQLite database; records per second and the
//! importer's peak memory (VmHWM, sampled until it exits). A second run imports the same file
//! again (everything unchanged).

use std::{
    fs,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use crate::{
    Result,
    shell::{self, cargo, target_dir},
    tmp::TempDir,
};

const SAMPLE_EVERY: Duration = Duration::from_millis(20);

pub struct Flags {
    records: usize,
}

impl Flags {
    pub fn parse(args: &[String]) -> Result<Flags> {
        let mut flags = Flags { records: 1_000_000 };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--records" => {
                    flags.records = args.next().ok_or("--records needs a number")?.parse()?;
                }
                other => return Err(format!("unknown flag `{other}` for `bench-decp`").into()),
            }
        }
        Ok(flags)
    }
}

struct Run {
    wall: Duration,
    peak_kb: u64,
    report: String,
}

fn status_kb(pid: u32, field: &str) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|line| line.strip_prefix(field))?.split_whitespace().next()?.parse().ok()
}

fn import(data: &std::path::Path, file: &std::path::Path) -> Result<Run> {
    let binary = target_dir().join("release").join("halle");
    // The report goes to a file: a pipe nobody reads while waiting would fill and block it.
    let report_file = data.with_file_name("report.txt");
    let started = Instant::now();
    let mut child = Command::new(&binary)
        .args(["import", "decp", "--data"])
        .arg(data)
        .arg(file)
        .stdout(fs::File::create(&report_file)?)
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
    let pid = child.id();
    let mut peak_kb = 0;
    while child.try_wait()?.is_none() {
        peak_kb = peak_kb.max(status_kb(pid, "VmHWM:").unwrap_or(0));
        std::thread::sleep(SAMPLE_EVERY);
    }
    let wall = started.elapsed();
    let status = child.wait()?;
    if !status.success() {
        return Err(format!("halle import decp failed ({status})").into());
    }
    let report = fs::read_to_string(&report_file)?.lines().next().unwrap_or_default().to_string();
    Ok(Run { wall, peak_kb, report })
}

pub fn run(flags: Flags) -> Result {
    shell::run(cargo().args(["build", "--release", "--package", "halle"]))?;
    shell::run(cargo().args(["build", "--release", "--package", "formats", "--example", "decp_repeat"]))?;
    let dir = TempDir::new("bench-decp")?;
    let file = dir.path().join("decp.json");
    shell::run(
        Command::new(target_dir().join("release/examples/decp_repeat")).arg(&file).arg(flags.records.to_string()),
    )?;
    let size_mb = fs::metadata(&file)?.len() as f64 / 1e6;
    let data = dir.path().join("data");
    let first = import(&data, &file)?;
    let again = import(&data, &file)?;
    let db_mb = fs::metadata(data.join("halle.db")).map(|m| m.len() as f64 / 1e6).unwrap_or(0.0);
    println!("\nbench-decp: {} records ({size_mb:.0} MB of DECP v1 JSON), SQLite, release build", flags.records);
    for (what, r) in [("first import", &first), ("same file again", &again)] {
        let rate = flags.records as f64 / r.wall.as_secs_f64();
        println!(
            "{what:<16} {:>7.1} s  {rate:>9.0} records/s  peak memory {:.0} MB",
            r.wall.as_secs_f64(),
            r.peak_kb as f64 / 1024.0
        );
        println!("                 {}", r.report);
    }
    println!("database size    {db_mb:.0} MB");
    Ok(())
}
