//! `cargo xtask bench-bids`: the deadline rush of issue 3. A release build of `halle demo`
//! (SQLite) receives sealed bids from N firms at once, each streaming an M MB file; the rate at
//! which plaintext is received is set next to the raw write speed of the same disk (dd with
//! fsync, in the server's data folder), with the time each firm waits for its receipt and the
//! server's memory.
//!
//! Neither side holds a bid in memory: each client thread sends its body in 64 KiB chunks under
//! a `Content-Length` computed up front.

use std::{
    io::{BufReader, Write},
    net::{SocketAddr, TcpStream},
    path::Path,
    process::Command,
    sync::{
        Barrier,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    thread,
    time::{Duration, Instant},
};

use crate::{
    Result, apt,
    http::{self, Client, Response},
    json,
    server::{self, DemoServer},
    signal,
};

/// How long one deposit (connection, upload, receipt) may take before it counts as failed.
const RUSH_TIMEOUT: Duration = Duration::from_secs(240);
/// The size of each write of a bid's body.
const CHUNK: usize = 64 * 1024;
/// How often the server's memory is sampled during the rush.
const SAMPLE_EVERY: Duration = Duration::from_millis(50);
/// Registration and login hash passwords (Argon2id): as many at a time as there are cores here.
const REGISTER_THREADS: usize = 2;
/// The raw disk measure: `dd bs=1M count=DD_MIB conv=fsync`.
const DD_MIB: u64 = 1024;
const MB: f64 = 1_000_000.0;
const BOUNDARY: &str = "halle-bench-bids-7c1d0f5e9a2b4c36";
const PASSWORD: &str = "bench-bids-password";

pub struct Flags {
    firms: usize,
    size_mb: u64,
}

impl Flags {
    pub fn parse(args: &[String]) -> Result<Flags> {
        let mut flags = Flags { firms: 200, size_mb: 20 };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = || args.next().ok_or_else(|| format!("`{arg}` needs a value"));
            match arg.as_str() {
                "--firms" => flags.firms = value()?.parse()?,
                "--size-mb" => flags.size_mb = value()?.parse()?,
                other => return Err(format!("unknown flag `{other}` for `bench-bids`").into()),
            }
        }
        if !(1..=1_000).contains(&flags.firms) {
            return Err("--firms takes 1 to 1000".into());
        }
        // The demo accepts files up to 500 MiB.
        if !(1..=500).contains(&flags.size_mb) {
            return Err("--size-mb takes 1 to 500".into());
        }
        Ok(flags)
    }

    fn bid_bytes(&self) -> u64 {
        self.size_mb * 1_000_000
    }
}

pub fn run(flags: Flags) -> Result {
    apt::ensure_program("dd", &["coreutils"])?;
    server::build_release()?;
    let server = DemoServer::start()?;
    let result = bench(&server, &flags);
    if result.is_err() {
        server.print_log();
    }
    result
}

fn bench(server: &DemoServer, flags: &Flags) -> Result {
    let started = Instant::now();
    let tokens = register_firms(server.addr(), flags.firms)?;
    eprintln!("xtask: {} firms registered and signed in ({:.1}s)", tokens.len(), started.elapsed().as_secs_f64());
    let (consultation, reference) = open_consultation(server.addr())?;
    eprintln!("xtask: the firms deposit on consultation {consultation} ({reference})");

    let disk_before = dd(&server.data_dir())?;
    // The peak so far comes from the demo's seeding and the registrations, which hash passwords
    // (Argon2id, 19 MiB each); the rush is measured from the resident size just before it.
    let peak_before_kb = server.peak_rss_kb();
    let rss_before_kb = server.rss_kb();
    let peak_was_reset = server.reset_peak_rss();
    eprintln!("xtask: rush: {} firms × {} MB", flags.firms, flags.size_mb);
    let rush = rush(server, consultation, &tokens, flags.bid_bytes())?;
    let rush_peak_kb =
        if peak_was_reset { server.peak_rss_kb().unwrap_or(0).max(rush.max_rss_kb) } else { rush.max_rss_kb };
    // The disk's speed on a virtual machine varies from one minute to the next: measured on
    // both sides of the rush, the throughput is set against the faster of the two.
    let disk_after = dd(&server.data_dir())?;
    let disk = if disk_after.mb_per_sec() > disk_before.mb_per_sec() { &disk_after } else { &disk_before };

    let failures: Vec<&Deposit> = rush.deposits.iter().filter(|d| d.error.is_some()).collect();
    let received: u64 = rush.deposits.iter().filter(|d| d.error.is_none()).map(|_| flags.bid_bytes()).sum();
    let throughput = received as f64 / MB / rush.wall.as_secs_f64();
    let mut times: Vec<f64> =
        rush.deposits.iter().filter(|d| d.error.is_none()).map(|d| d.time.as_secs_f64()).collect();
    times.sort_by(f64::total_cmp);

    println!(
        "\nhalle demo, release build, SQLite: deadline rush of {} firms × {} MB on consultation {reference}",
        flags.firms, flags.size_mb
    );
    println!("deposits answered 201 with \"late\":false  {:>5}/{}", flags.firms - failures.len(), flags.firms);
    println!(
        "raw disk write (dd bs=1M count={DD_MIB} conv=fsync, data folder)  {:.0} MB/s before the rush, {:.0} MB/s after",
        disk_before.mb_per_sec(),
        disk_after.mb_per_sec()
    );
    println!(
        "aggregate throughput (plaintext received)  {:>8.0} MB/s  ({:.0} MB in {:.1}s, {:.0}% of the faster dd)",
        throughput,
        received as f64 / MB,
        rush.wall.as_secs_f64(),
        100.0 * throughput / disk.mb_per_sec()
    );
    if let (Some(p50), Some(p99), Some(max)) = (percentile(&times, 0.50), percentile(&times, 0.99), times.last()) {
        println!("time to receipt (first byte sent → 201)  p50 {p50:.2}s  p99 {p99:.2}s  max {max:.2}s");
    }
    println!("server peak RSS before the rush (VmHWM: demo seeding, registrations)  {}", mb(peak_before_kb));
    println!("server RSS just before the rush (VmRSS)  {}", mb(rss_before_kb));
    let how = if peak_was_reset { "VmHWM reset just before it, and VmRSS sampled" } else { "VmRSS sampled" };
    println!("server peak RSS during the rush ({how})  {}", mb(Some(rush_peak_kb)));
    let growth_kb = rss_before_kb.map(|before| rush_peak_kb.saturating_sub(before));
    if let Some(growth) = growth_kb {
        println!(
            "growth during the rush  {:.1} MB ({:.2} MB per concurrent upload)",
            growth as f64 / 1024.0,
            growth as f64 / 1024.0 / flags.firms as f64
        );
    }
    println!(
        "aim (issue 3): throughput ≥ 25% of dd: {}; peak RSS during the rush < 300 MB: {}",
        if throughput * 4.0 >= disk.mb_per_sec() { "met" } else { "NOT met" },
        if rush_peak_kb < 300 * 1024 { "met" } else { "NOT met" },
    );

    for deposit in failures.iter().take(10) {
        println!("  firm {}: {}", deposit.firm, deposit.error.as_deref().unwrap_or_default());
    }
    if !failures.is_empty() {
        return Err(format!("{} of {} deposits failed", failures.len(), flags.firms).into());
    }
    Ok(())
}

/// Registers `n` firms through the page form and signs each one's user in through the API;
/// returns their bearer tokens, in order.
fn register_firms(addr: SocketAddr, n: usize) -> Result<Vec<String>> {
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    // Errors cross threads as text (the boxed error is not `Send`).
    let results: Vec<std::result::Result<Vec<(usize, String)>, String>> = thread::scope(|scope| {
        let workers: Vec<_> = (0..REGISTER_THREADS)
            .map(|_| {
                scope.spawn(|| -> std::result::Result<Vec<(usize, String)>, String> {
                    let mut client = Client::new(addr);
                    let mut tokens = Vec::new();
                    // Bounded: each turn takes a distinct index below `n`.
                    loop {
                        let i = next.fetch_add(1, Ordering::SeqCst);
                        if i >= n || signal::interrupted() {
                            return Ok(tokens);
                        }
                        tokens.push((i, register_one(&mut client, i).map_err(|e| e.to_string())?));
                        let finished = done.fetch_add(1, Ordering::SeqCst) + 1;
                        if finished.is_multiple_of(50) {
                            eprintln!("xtask: {finished}/{n} firms registered");
                        }
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_else(|_| Err("a registration thread panicked".to_string())))
            .collect()
    });
    let mut tokens = Vec::with_capacity(n);
    for result in results {
        tokens.extend(result?);
    }
    if signal::interrupted() {
        return Err("interrupted".into());
    }
    tokens.sort_by_key(|(i, _)| *i);
    Ok(tokens.into_iter().map(|(_, token)| token).collect())
}

fn register_one(client: &mut Client, i: usize) -> Result<String> {
    let email = format!("depot-{i}@bench-bids.halle.test");
    let form = [
        ("siret", siret(i)),
        ("name", format!("Entreprise de banc d'essai {i}")),
        ("size", ["micro", "pme", "eti", "ge"][i % 4].to_string()),
        ("address", format!("{} rue de la République, 93200 Saint-Denis", i + 1)),
        ("departement", "93".to_string()),
        ("user_name", format!("Déposant {i}")),
        ("email", email.clone()),
        ("password", PASSWORD.to_string()),
    ];
    let body: Vec<String> = form.iter().map(|(name, value)| format!("{name}={}", form_encode(value))).collect();
    let response = client.post_form("/inscription", &body.join("&"))?;
    // Success is a redirection to the list of consultations; a refused form comes back as 422.
    if !(300..400).contains(&response.status) {
        return Err(format!("registering firm {i} ({}): HTTP {}", siret(i), response.status).into());
    }
    let login = format!(r#"{{"email":"{email}","password":"{PASSWORD}"}}"#);
    let response = expect_success(client.post_json("/api/v1/auth/token", &login)?, "sign-in")?;
    json::field(&response.body, "token").ok_or_else(|| "no `token` in the sign-in response".into())
}

/// A distinct, Luhn-valid SIRET for firm `i`: SIREN 99999xxxx (x from `i`), NIC 0001x, the last
/// digit being the Luhn key.
fn siret(i: usize) -> String {
    let body = format!("99999{:04}0001", i % 10_000);
    let sum: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(position, b)| {
            let d = u32::from(b - b'0');
            // The key will be the rightmost digit, so the rightmost digit of `body` is doubled.
            if position % 2 == 0 {
                let dd = d * 2;
                if dd > 9 { dd - 9 } else { dd }
            } else {
                d
            }
        })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

/// `application/x-www-form-urlencoded` encoding of one value.
fn form_encode(value: &str) -> String {
    let mut out = String::new();
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => out.push(char::from(byte)),
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// The first consultation the public API lists as open to bids: its id and reference.
fn open_consultation(addr: SocketAddr) -> Result<(i64, String)> {
    let response = expect_success(Client::new(addr).get("/api/v1/consultations?etat=en_cours")?, "list")?;
    let items = json::field(&response.body, "items").ok_or("no `items` in the list response")?;
    let first = items.find('{').map(|at| &items[at..]).ok_or("the demo has no consultation open to bids")?;
    let id = json::field(first, "id").ok_or("no `id` in the first consultation")?;
    let reference = json::field(first, "reference").unwrap_or_default();
    Ok((id.parse()?, reference))
}

struct Disk {
    bytes: u64,
    seconds: f64,
}

impl Disk {
    fn mb_per_sec(&self) -> f64 {
        self.bytes as f64 / MB / self.seconds
    }
}

/// `dd if=/dev/zero of=DIR/… bs=1M count=DD_MIB conv=fsync`, read from dd's own report; the file
/// is removed afterwards.
fn dd(dir: &Path) -> Result<Disk> {
    let file = dir.join("dd-write-speed");
    let mut cmd = Command::new("dd");
    cmd.arg("if=/dev/zero")
        .arg(format!("of={}", file.display()))
        .args(["bs=1M", &format!("count={DD_MIB}"), "conv=fsync"])
        // A decimal point, not a comma, in the report.
        .env("LC_ALL", "C");
    eprintln!("$ dd if=/dev/zero of={} bs=1M count={DD_MIB} conv=fsync", file.display());
    let out = cmd.output();
    let _ = std::fs::remove_file(&file);
    let out = out.map_err(|e| format!("cannot run dd: {e}"))?;
    let report = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!("dd failed ({}): {report}", out.status).into());
    }
    let disk = parse_dd(&report).ok_or_else(|| format!("cannot read dd's report: {report}"))?;
    eprintln!(
        "xtask: dd wrote {:.0} MB in {:.2}s: {:.0} MB/s",
        disk.bytes as f64 / MB,
        disk.seconds,
        disk.mb_per_sec()
    );
    Ok(disk)
}

/// dd's last line: `1073741824 bytes (1.1 GB, 1.0 GiB) copied, 2.73497 s, 393 MB/s`.
fn parse_dd(report: &str) -> Option<Disk> {
    let line = report.lines().rev().find(|line| line.contains(" bytes") && line.contains("copied"))?;
    let bytes = line.split_whitespace().next()?.parse().ok()?;
    let after = line.split_once("copied,")?.1;
    let seconds: f64 = after.split_whitespace().next()?.parse().ok()?;
    (seconds > 0.0).then_some(Disk { bytes, seconds })
}

struct Deposit {
    firm: usize,
    time: Duration,
    /// Why the deposit does not count: not 201, no receipt, late, or a wrong size.
    error: Option<String>,
}

struct Rush {
    deposits: Vec<Deposit>,
    wall: Duration,
    max_rss_kb: u64,
}

/// Every firm connects, then all start sending at once; the server's memory is sampled meanwhile.
fn rush(server: &DemoServer, consultation: i64, tokens: &[String], bid_bytes: u64) -> Result<Rush> {
    let path = format!("/api/v1/consultations/{consultation}/bids");
    let start = Barrier::new(tokens.len() + 1);
    let stop = AtomicBool::new(false);
    let addr = server.addr();
    thread::scope(|scope| {
        let sampler = scope.spawn(|| {
            let mut max = 0;
            let bound = RUSH_TIMEOUT.as_millis() / SAMPLE_EVERY.as_millis() + 100;
            for _ in 0..bound {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                max = max.max(server.rss_kb().unwrap_or(0));
                thread::sleep(SAMPLE_EVERY);
            }
            max
        });
        let firms: Vec<_> = tokens
            .iter()
            .enumerate()
            .map(|(firm, token)| {
                let (path, start) = (&path, &start);
                scope.spawn(move || {
                    let conn = connect(addr);
                    start.wait();
                    let began = Instant::now();
                    let error = match conn {
                        Ok(stream) => deposit(stream, addr, path, token, firm, bid_bytes).err().map(|e| e.to_string()),
                        Err(e) => Some(format!("cannot connect: {e}")),
                    };
                    Deposit { firm, time: began.elapsed(), error }
                })
            })
            .collect();
        start.wait();
        let began = Instant::now();
        let deposits: Vec<Deposit> = firms
            .into_iter()
            .enumerate()
            .map(|(firm, t)| {
                t.join().unwrap_or_else(|_| Deposit {
                    firm,
                    time: Duration::ZERO,
                    error: Some("the client thread panicked".into()),
                })
            })
            .collect();
        let wall = began.elapsed();
        stop.store(true, Ordering::SeqCst);
        let max_rss_kb = sampler.join().map_err(|_| "the memory sampler panicked")?;
        Ok(Rush { deposits, wall, max_rss_kb })
    })
}

fn connect(addr: SocketAddr) -> Result<TcpStream> {
    let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(10))?;
    stream.set_read_timeout(Some(RUSH_TIMEOUT))?;
    stream.set_write_timeout(Some(RUSH_TIMEOUT))?;
    Ok(stream)
}

/// Streams one bid (one `offre` file of `size` bytes) and checks the receipt.
fn deposit(mut stream: TcpStream, addr: SocketAddr, path: &str, token: &str, firm: usize, size: u64) -> Result {
    let prefix = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"offre\"; filename=\"offre-{firm}.pdf\"\r\n\
         Content-Type: application/pdf\r\n\r\n"
    );
    let suffix = format!("\r\n--{BOUNDARY}--\r\n");
    let length = prefix.len() as u64 + size + suffix.len() as u64;
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: application/json\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {length}\r\n\r\n{prefix}"
    );

    let sent = send_body(&mut stream, head.as_bytes(), firm, size, suffix.as_bytes());
    // The server may answer (and close) before taking the whole body: its answer tells why.
    let answer = http::read_response(&mut BufReader::new(stream));
    let response = match (sent, answer) {
        (_, Ok((response, _))) => response,
        (Err(e), Err(_)) => return Err(format!("sending the bid: {e}").into()),
        (Ok(()), Err(e)) => return Err(format!("reading the answer: {e}").into()),
    };
    check_receipt(&response, size)
}

/// The head, `size` bytes of content made chunk by chunk, then the tail.
fn send_body(stream: &mut TcpStream, head: &[u8], firm: usize, size: u64, tail: &[u8]) -> Result {
    stream.write_all(head)?;
    // Bytes that differ per firm, made once; each chunk is stamped with its number so that no
    // two chunks of a bid are alike, at no cost to the two cores the server needs.
    let mut chunk = vec![0u8; CHUNK];
    let mut state = 0x9e37_79b9_7f4a_7c15_u64 ^ (firm as u64 + 1).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    for word in chunk.chunks_mut(8) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        word.copy_from_slice(&state.to_le_bytes()[..word.len()]);
    }
    let mut left = size;
    let mut number = 0u64;
    while left > 0 {
        let n = usize::try_from(left.min(CHUNK as u64))?;
        chunk[..8].copy_from_slice(&number.to_le_bytes());
        stream.write_all(&chunk[..n])?;
        left -= n as u64;
        number += 1;
    }
    stream.write_all(tail)?;
    stream.flush()?;
    Ok(())
}

/// `201` with a receipt saying `"late":false` and naming one file of `size` bytes.
fn check_receipt(response: &Response, size: u64) -> Result {
    if response.status != 201 {
        let body: String = response.body.chars().take(300).collect();
        return Err(format!("HTTP {}: {body}", response.status).into());
    }
    let receipt = json::field(&response.body, "receipt").ok_or("no `receipt` in the answer")?;
    let late = json::field(&receipt, "late").ok_or("no `late` in the receipt")?;
    if late != "false" {
        return Err(format!("the receipt says \"late\":{late}").into());
    }
    let files = json::field(&receipt, "files").ok_or("no `files` in the receipt")?;
    let file = files.find('{').map(|at| &files[at..]).ok_or("no file in the receipt")?;
    let received = json::field(file, "size").ok_or("no `size` for the file in the receipt")?;
    if received != size.to_string() {
        return Err(format!("the receipt says {received} bytes, {size} were sent").into());
    }
    Ok(())
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted.get(rank.clamp(1, sorted.len().max(1)) - 1).copied()
}

fn mb(kb: Option<u64>) -> String {
    kb.map_or_else(|| "unknown".to_string(), |kb| format!("{:.1} MB", kb as f64 / 1024.0))
}

fn expect_success(response: Response, what: &str) -> Result<Response> {
    if response.is_success() {
        Ok(response)
    } else {
        Err(format!("{what}: HTTP {} {}", response.status, response.body).into())
    }
}

#[cfg(test)]
mod tests {
    use super::{form_encode, parse_dd, percentile, siret};

    fn luhn(digits: &str) -> bool {
        let sum: u32 = digits
            .bytes()
            .rev()
            .enumerate()
            .map(|(i, b)| {
                let d = u32::from(b - b'0');
                if i % 2 == 1 {
                    let dd = d * 2;
                    if dd > 9 { dd - 9 } else { dd }
                } else {
                    d
                }
            })
            .sum();
        sum.is_multiple_of(10)
    }

    #[test]
    fn sirets_are_distinct_and_luhn_valid() {
        let all: std::collections::HashSet<String> = (0..1_000).map(siret).collect();
        assert_eq!(all.len(), 1_000);
        for s in &all {
            assert_eq!(s.len(), 14, "{s}");
            assert!(luhn(s), "{s}");
        }
        // A known valid SIRET shape: changing the key breaks it.
        let mut wrong = siret(7).into_bytes();
        wrong[13] = b'0' + (wrong[13] - b'0' + 1) % 10;
        assert!(!luhn(std::str::from_utf8(&wrong).unwrap()));
    }

    #[test]
    fn reads_dd_report() {
        let report = "1024+0 records in\n1024+0 records out\n\
                      1073741824 bytes (1.1 GB, 1.0 GiB) copied, 2.73497 s, 393 MB/s\n";
        let disk = parse_dd(report).unwrap();
        assert_eq!(disk.bytes, 1_073_741_824);
        assert!((disk.seconds - 2.73497).abs() < 1e-9);
        assert!((disk.mb_per_sec() - 392.6).abs() < 0.1);
        assert!(parse_dd("dd: error writing: No space left on device").is_none());
    }

    #[test]
    fn encodes_form_values() {
        assert_eq!(form_encode("a b@c.d"), "a+b%40c.d");
        assert_eq!(form_encode("é,'"), "%C3%A9%2C%27");
    }

    #[test]
    fn nearest_rank_percentiles() {
        let values: Vec<f64> = (1..=200).map(f64::from).collect();
        assert_eq!(percentile(&values, 0.5), Some(100.0));
        assert_eq!(percentile(&values, 0.99), Some(198.0));
        assert_eq!(percentile(&[3.0], 0.99), Some(3.0));
        assert_eq!(percentile(&[], 0.5), None);
    }
}
