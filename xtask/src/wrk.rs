//! Running wrk and reading its report.

use std::process::Command;

use crate::{Result, shell::output};

pub struct Measure {
    pub requests_per_sec: f64,
    pub p99_ms: f64,
    /// `Non-2xx or 3xx responses` and `Socket errors`, when wrk reports any.
    pub errors: Vec<String>,
}

/// `wrk -t2 -c32 -d<duration> --latency url`, echoing wrk's own report.
pub fn measure(url: &str, duration: &str) -> Result<Measure> {
    let out = output(Command::new("wrk").args(["-t2", "-c32", &format!("-d{duration}"), "--latency", url]))?;
    eprint!("{out}");
    parse(&out).ok_or_else(|| format!("cannot read wrk's report for {url}").into())
}

fn parse(report: &str) -> Option<Measure> {
    let mut requests_per_sec = None;
    let mut p99_ms = None;
    let mut errors = Vec::new();
    for line in report.lines().map(str::trim) {
        if let Some(rate) = line.strip_prefix("Requests/sec:") {
            requests_per_sec = rate.trim().parse().ok();
        } else if let Some(latency) = line.strip_prefix("99%") {
            p99_ms = milliseconds(latency.trim());
        } else if line.starts_with("Non-2xx") || line.starts_with("Socket errors") {
            errors.push(line.to_string());
        }
    }
    Some(Measure { requests_per_sec: requests_per_sec?, p99_ms: p99_ms?, errors })
}

/// wrk's times: `850.00us`, `12.34ms`, `1.20s`, `2.00m`.
fn milliseconds(time: &str) -> Option<f64> {
    let split = time.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = time.split_at(split);
    let number: f64 = number.parse().ok()?;
    let factor = match unit {
        "us" => 0.001,
        "ms" => 1.0,
        "s" => 1_000.0,
        "m" => 60_000.0,
        "h" => 3_600_000.0,
        _ => return None,
    };
    Some(number * factor)
}

#[cfg(test)]
mod tests {
    use super::parse;

    const REPORT: &str = "\
Running 15s test @ http://127.0.0.1:40123/consultations
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.21ms    1.02ms  31.50ms   88.12%
    Req/Sec     3.81k   210.44     4.30k    70.33%
  Latency Distribution
     50%    4.05ms
     75%    4.61ms
     90%    5.32ms
     99%  850.00us
  113842 requests in 15.00s, 1.02GB read
  Non-2xx or 3xx responses: 12
Requests/sec:   7589.13
Transfer/sec:     69.70MB
";

    #[test]
    fn reads_rate_p99_and_errors() {
        let measure = parse(REPORT).unwrap();
        assert_eq!(measure.requests_per_sec, 7589.13);
        assert!((measure.p99_ms - 0.85).abs() < 1e-9);
        assert_eq!(measure.errors, ["Non-2xx or 3xx responses: 12"]);
    }

    #[test]
    fn seconds_and_no_errors() {
        let report = REPORT.replace("850.00us", "1.20s").replace("  Non-2xx or 3xx responses: 12\n", "");
        let measure = parse(&report).unwrap();
        assert!((measure.p99_ms - 1200.0).abs() < 1e-9);
        assert!(measure.errors.is_empty());
        assert!(parse("garbage").is_none());
    }
}
