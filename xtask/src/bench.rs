//! `cargo xtask bench`: the consultation list page and `GET /api/v1/consultations` under wrk, on a
//! release build of `halle demo` holding (at least) 1,000 published consultations.

use std::time::Instant;

use crate::{
    Result, apt,
    http::{Client, Response},
    json,
    server::{self, DemoServer},
    wrk,
};

const EMAIL: &str = "acheteur@demo.halle.test";
const PASSWORD: &str = "demo-halle";
const PAGES: [&str; 2] = ["/consultations", "/api/v1/consultations"];

pub struct Flags {
    consultations: usize,
    duration: String,
}

impl Flags {
    pub fn parse(args: &[String]) -> Result<Flags> {
        let mut flags = Flags { consultations: 1_000, duration: "15s".to_string() };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = || args.next().ok_or_else(|| format!("`{arg}` needs a value"));
            match arg.as_str() {
                "--consultations" => flags.consultations = value()?.parse()?,
                "--duration" => flags.duration = value()?.clone(),
                other => return Err(format!("unknown flag `{other}` for `bench`").into()),
            }
        }
        Ok(flags)
    }
}

pub fn run(flags: Flags) -> Result {
    apt::ensure_program("wrk", &["wrk"])?;
    server::build_release()?;
    let server = DemoServer::start()?;
    let result = bench(&server, &flags);
    if result.is_err() {
        server.print_log();
    }
    result
}

fn bench(server: &DemoServer, flags: &Flags) -> Result {
    let mut client = Client::new(server.addr());
    let token = login(&mut client)?;
    client.set_bearer(&token);

    let started = Instant::now();
    let already = published(&mut client)?;
    let missing = flags.consultations.saturating_sub(already);
    eprintln!("xtask: {already} consultations published by the demo, creating {missing}");
    for n in 1..=missing {
        publish_one(&mut client, n)?;
        if n % 100 == 0 {
            eprintln!("xtask: {n}/{missing}");
        }
    }
    let total = published(&mut client)?;
    eprintln!("xtask: {total} consultations published ({missing} created in {:.1}s)", started.elapsed().as_secs_f64());

    let mut rows = Vec::new();
    for page in PAGES {
        let url = format!("{}{page}", server.base_url());
        rows.push((page, wrk::measure(&url, &flags.duration)?));
    }

    println!("\nhalle demo, release build, {total} published consultations, wrk -t2 -c32 -d{}", flags.duration);
    println!("{:<26} {:>12} {:>12}", "page", "requests/s", "p99 (ms)");
    for (page, measure) in &rows {
        println!("{page:<26} {:>12.0} {:>12.2}", measure.requests_per_sec, measure.p99_ms);
        for error in &measure.errors {
            println!("  warning: {error}");
        }
    }
    // The peak includes the demo's start-up, which hashes every demo account's password
    // (Argon2id, 19 MiB each); the RSS after the load is what serving costs.
    for (label, kb) in
        [("peak RSS of the server (with demo seeding)", server.peak_rss_kb()), ("RSS after the load", server.rss_kb())]
    {
        match kb {
            Some(kb) => println!("{label}: {:.1} MB", kb as f64 / 1024.0),
            None => println!("{label}: unknown"),
        }
    }
    if rows.iter().any(|(_, measure)| !measure.errors.is_empty()) {
        return Err("some requests failed during the benchmark".into());
    }
    Ok(())
}

fn login(client: &mut Client) -> Result<String> {
    let body = format!(r#"{{"email":"{EMAIL}","password":"{PASSWORD}"}}"#);
    let response = expect_success(client.post_json("/api/v1/auth/token", &body)?, "login")?;
    json::field(&response.body, "token").ok_or_else(|| "no `token` in the login response".into())
}

/// The number of consultations the public API lists.
fn published(client: &mut Client) -> Result<usize> {
    let response = expect_success(client.get("/api/v1/consultations")?, "list")?;
    let total = json::field(&response.body, "total").ok_or("no `total` in the list response")?;
    Ok(total.parse()?)
}

fn publish_one(client: &mut Client, n: usize) -> Result {
    let body = format!(
        r#"{{"title":"Bench {n} — travaux de voirie","object":"Réfection de la chaussée et des trottoirs, tranche {n}","nature":"travaux","procedure":"mapa","cpv":"45233140-2","departement":"93","bid_deadline":"2027-06-15T12:00:00+02:00","lots":[{{"title":"Lot unique","cpv":"45233140-2"}}]}}"#
    );
    let created = expect_success(client.post_json("/api/v1/consultations", &body)?, "create")?;
    let id = json::field(&created.body, "id").ok_or("no `id` in the created consultation")?;
    let path = format!("/api/v1/consultations/{id}/publish");
    expect_success(client.post_json(&path, "{}")?, "publish")?;
    Ok(())
}

fn expect_success(response: Response, what: &str) -> Result<Response> {
    if response.is_success() {
        Ok(response)
    } else {
        Err(format!("{what}: HTTP {} {}", response.status, response.body).into())
    }
}
