//! Latency percentiles, and the lines a measuring process prints for the one that reports.

/// Latencies in microseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Latency {
    pub count: u64,
    pub p50: u64,
    pub p99: u64,
    pub max: u64,
}

impl Latency {
    pub fn of(mut samples: Vec<u64>) -> Latency {
        samples.sort_unstable();
        // Nearest rank: the smallest sample with at least p of them at or below it.
        let rank = |p: f64| samples.get(((p * samples.len() as f64).ceil() as usize).max(1) - 1).copied().unwrap_or(0);
        Latency {
            count: samples.len() as u64,
            p50: rank(0.50),
            p99: rank(0.99),
            max: samples.last().copied().unwrap_or(0),
        }
    }

    pub fn to_fields(self) -> String {
        format!("{} {} {} {}", self.count, self.p50, self.p99, self.max)
    }

    pub fn from_fields<'a>(mut fields: impl Iterator<Item = &'a str>) -> Option<Latency> {
        let mut next = || fields.next()?.parse().ok();
        Some(Latency { count: next()?, p50: next()?, p99: next()?, max: next()? })
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct QueryStats {
    pub hits: u64,
    /// The first run, alone (microseconds): caches cold.
    pub first: u64,
    pub latency: Latency,
}
