//! Steps with their outcome and wall time, and the summary printed at the end.

use std::time::{Duration, Instant};

use crate::{Result, signal};

enum Outcome {
    Passed,
    Failed,
    Skipped(String),
}

struct Entry {
    name: String,
    outcome: Outcome,
    time: Duration,
}

pub struct Report {
    started: Instant,
    entries: Vec<Entry>,
}

impl Report {
    pub fn new() -> Report {
        Report { started: Instant::now(), entries: Vec::new() }
    }

    /// Runs one step, timing it; `None` if it failed or was skipped after an interruption.
    pub fn step<T>(&mut self, name: &str, f: impl FnOnce() -> Result<T>) -> Option<T> {
        if signal::interrupted() {
            self.skip(name, "interrupted");
            return None;
        }
        eprintln!("\n==> {name}");
        let started = Instant::now();
        let result = f();
        let time = started.elapsed();
        let (outcome, value) = match result {
            Ok(value) => (Outcome::Passed, Some(value)),
            Err(error) => {
                eprintln!("xtask: step `{name}` failed: {error}");
                (Outcome::Failed, None)
            }
        };
        self.entries.push(Entry { name: name.to_string(), outcome, time });
        value
    }

    pub fn skip(&mut self, name: &str, why: &str) {
        self.entries.push(Entry {
            name: name.to_string(),
            outcome: Outcome::Skipped(why.to_string()),
            time: Duration::ZERO,
        });
    }

    pub fn failed(&self) -> bool {
        signal::interrupted() || self.entries.iter().any(|entry| matches!(entry.outcome, Outcome::Failed))
    }

    pub fn print(&self) {
        eprintln!("\n==> summary");
        for entry in &self.entries {
            let (status, note) = match &entry.outcome {
                Outcome::Passed => ("ok", String::new()),
                Outcome::Failed => ("FAILED", String::new()),
                Outcome::Skipped(why) => ("skipped", format!("  ({why})")),
            };
            eprintln!("  {status:<8} {:<24} {:>8.1}s{note}", entry.name, entry.time.as_secs_f64());
        }
        let verdict = if self.failed() { "FAILED" } else { "ok" };
        eprintln!("  {verdict:<8} {:<24} {:>8.1}s", "total", self.started.elapsed().as_secs_f64());
    }
}
