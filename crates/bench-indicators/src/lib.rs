//! `cargo xtask bench-indicators`: what recomputing the public indicators of social clauses from
//! the raw rows on every request costs at the scale of Île-de-France.
//!
//! [`generate`] fills a throw-away database, opened through `store::Store::connect` (so with the
//! real schema), with a deterministic region: awarded lots with clauses, beneficiaries,
//! placements and their validated months of hours. [`measure`] then calls `App::indicators` —
//! the code behind `GET /api/v1/indicators` and `/indicateurs` — for a region, each département,
//! an operation, a year, a buyer and a département in a year, round after round, and
//! [`report`] writes the markdown. Loading and measuring run in processes of their own (this
//! binary, `phase …`), so that each one's peak memory is its own.

pub mod db;
pub mod generate;
pub mod measure;
pub mod report;
pub mod rng;

pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// This process's peak resident size in kB (`VmHWM` in /proc/self/status); 0 without /proc.
pub fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find_map(|l| l.strip_prefix("VmHWM:"))?.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}
