//! The measure: `App::indicators`, the very call behind `GET /api/v1/indicators` and
//! `/indicateurs`, for each query in turn, round after round, from a single client.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use app::{App, Config, FixedClock, IndicatorQuery};
use domain::organisation::OrgRole;
use domain::{geo, indicators};
use store::{ContractScope, IndicatorFilter, Store};

use crate::Error;
use crate::generate::{LAST_YEAR, today};

/// One request of the mix.
#[derive(Debug, Clone)]
pub struct Query {
    pub kind: &'static str,
    pub label: String,
    pub query: IndicatorQuery,
}

/// The App over the loaded store, its clock on the generator's today (indicators do not read the
/// clock; the App needs one). The vault is empty: indicators read no file.
pub async fn app(store: Store, vault_dir: &Path) -> Result<App, Error> {
    let vault = vault::Vault::open(vault_dir).await?;
    let clock = Arc::new(FixedClock::new(domain::paris_time::at_hour(today(), 12)?));
    Ok(App::new(store, vault, clock, Config::default()))
}

/// The mix: the region, each département, the operation and the buyer with the most contracts,
/// the last year of notifications, and Seine-Saint-Denis in that year.
pub async fn queries(store: &Store) -> Result<Vec<Query>, Error> {
    let mut out = vec![Query { kind: "region", label: "Île-de-France".into(), query: IndicatorQuery::default() }];
    for d in geo::DEPARTEMENTS.iter() {
        out.push(Query {
            kind: "département",
            label: format!("{} {}", d.code, d.name),
            query: IndicatorQuery { departement: Some(d.code.into()), ..Default::default() },
        });
    }
    if let Some(o) = store.operations().await?.into_iter().max_by_key(|o| (o.contracts.len(), -o.id)) {
        out.push(Query {
            kind: "operation",
            label: format!("{} ({} contracts)", o.spec.name, o.contracts.len()),
            query: IndicatorQuery { operation: Some(o.id.to_string()), ..Default::default() },
        });
    }
    let year = LAST_YEAR.to_string();
    out.push(Query {
        kind: "year",
        label: year.clone(),
        query: IndicatorQuery { year: Some(year.clone()), ..Default::default() },
    });
    let mut per_buyer: BTreeMap<i64, (usize, String)> = BTreeMap::new();
    for c in store.clause_contracts(ContractScope::All).await? {
        per_buyer.entry(c.organisation_id).or_insert((0, c.organisation_name)).0 += 1;
    }
    if let Some((id, (n, name))) = per_buyer.into_iter().max_by_key(|(id, (n, _))| (*n, -id)) {
        out.push(Query {
            kind: "buyer",
            label: format!("{name} ({n} contracts with a clause)"),
            query: IndicatorQuery { buyer: Some(id.to_string()), ..Default::default() },
        });
    }
    out.push(Query {
        kind: "département + year",
        label: format!("93 Seine-Saint-Denis, {year}"),
        query: IndicatorQuery { departement: Some("93".into()), year: Some(year), ..Default::default() },
    });
    Ok(out)
}

/// Latencies in microseconds, by nearest rank.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Latency {
    pub count: u64,
    pub p50: u64,
    pub p99: u64,
    pub max: u64,
}

impl Latency {
    pub fn of(mut samples: Vec<u64>) -> Latency {
        samples.sort_unstable();
        let rank = |p: f64| {
            let i = ((p * samples.len() as f64).ceil() as usize).max(1) - 1;
            samples.get(i).copied().unwrap_or(0)
        };
        Latency {
            count: samples.len() as u64,
            p50: rank(0.50),
            p99: rank(0.99),
            max: samples.last().copied().unwrap_or(0),
        }
    }
}

/// One query's answer (to show it is plausible) and its latencies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryResult {
    pub kind: String,
    pub label: String,
    /// Rows the store hands over for it: required-hours and hours facts (the largest reads).
    pub required_rows: usize,
    pub hours_rows: usize,
    pub contracts: i64,
    pub hours_required: i64,
    pub hours_realised: i64,
    /// None: hidden (fewer than five people).
    pub beneficiaries: Option<i64>,
    pub latency: Latency,
}

#[derive(Debug, Clone, Default)]
pub struct Measured {
    pub warmup_rounds: usize,
    pub rounds: usize,
    pub wall: Duration,
    pub results: Vec<QueryResult>,
    /// The region's request, step by step.
    pub steps: Vec<Step>,
}

impl Measured {
    pub fn requests(&self) -> u64 {
        self.results.iter().map(|r| r.latency.count).sum()
    }

    pub fn per_second(&self) -> f64 {
        self.requests() as f64 / self.wall.as_secs_f64().max(1e-9)
    }
}

pub const WARMUP_ROUNDS: usize = 2;
/// Runs of the first query's steps, after the rounds.
pub const BREAKDOWN_RUNS: usize = 10;

/// Each round asks every query once, in order (as a mix of visitors would); rounds go on until
/// there are at least `min_rounds` of them and `min_time` has passed. Warm-up rounds first, not
/// counted.
pub async fn measure(
    app: &App,
    store: &Store,
    queries: &[Query],
    min_rounds: usize,
    min_time: Duration,
) -> Result<Measured, Error> {
    let mut results = Vec::with_capacity(queries.len());
    let mut region = None;
    for q in queries {
        let view = app.indicators(&q.query).await?;
        region.get_or_insert_with(|| view.filter.clone());
        results.push(QueryResult {
            kind: q.kind.to_string(),
            label: q.label.clone(),
            required_rows: store.required_hours(&view.filter).await?.len(),
            hours_rows: store.hours_facts(&view.filter).await?.len(),
            contracts: view.indicators.contracts_with_clause,
            hours_required: view.indicators.hours_required,
            hours_realised: view.indicators.hours_realised,
            beneficiaries: view.indicators.beneficiaries,
            latency: Latency::default(),
        });
    }
    for _ in 0..WARMUP_ROUNDS {
        for q in queries {
            std::hint::black_box(app.indicators(&q.query).await?);
        }
    }
    let mut samples: Vec<Vec<u64>> = vec![Vec::new(); queries.len()];
    let started = Instant::now();
    let mut rounds = 0;
    while rounds < min_rounds || started.elapsed() < min_time {
        for (q, s) in queries.iter().zip(samples.iter_mut()) {
            let t = Instant::now();
            std::hint::black_box(app.indicators(&q.query).await?);
            s.push(micros(t));
        }
        rounds += 1;
    }
    let wall = started.elapsed();
    for (r, s) in results.iter_mut().zip(samples) {
        r.latency = Latency::of(s);
    }
    let steps = match region {
        Some(filter) => breakdown(store, &filter, BREAKDOWN_RUNS).await?,
        None => Vec::new(),
    };
    Ok(Measured { warmup_rounds: WARMUP_ROUNDS, rounds, wall, results, steps })
}

/// One step of a request: a read of the store, or the pure computation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Step {
    pub name: String,
    pub latency: Latency,
}

fn micros(t: Instant) -> u64 {
    u64::try_from(t.elapsed().as_micros()).unwrap_or(u64::MAX)
}

/// Where the time of one request goes: the reads `App::indicators` makes, one by one, then
/// `domain::indicators` over their rows, each `runs` times.
pub async fn breakdown(store: &Store, filter: &IndicatorFilter, runs: usize) -> Result<Vec<Step>, Error> {
    const NAMES: [&str; 7] = [
        "store.organisations (buyers, for the filter)",
        "store.operations (for the filter)",
        "store.required_hours",
        "store.hours_facts",
        "store.outcome_facts",
        "store.contract_facts",
        "domain::indicators (compute, by_departement, outcomes, contract_shares)",
    ];
    let codes: Vec<&'static str> = geo::DEPARTEMENTS.iter().map(|d| d.code).collect();
    let mut samples: Vec<Vec<u64>> = vec![Vec::with_capacity(runs); NAMES.len()];
    for _ in 0..runs {
        let t = Instant::now();
        std::hint::black_box(store.organisations(OrgRole::Acheteur).await?);
        samples[0].push(micros(t));
        let t = Instant::now();
        std::hint::black_box(store.operations().await?);
        samples[1].push(micros(t));
        let t = Instant::now();
        let required = store.required_hours(filter).await?;
        samples[2].push(micros(t));
        let t = Instant::now();
        let hours = store.hours_facts(filter).await?;
        samples[3].push(micros(t));
        let t = Instant::now();
        let outcomes = store.outcome_facts(filter).await?;
        samples[4].push(micros(t));
        let t = Instant::now();
        let contracts = store.contract_facts(filter).await?;
        samples[5].push(micros(t));
        let t = Instant::now();
        std::hint::black_box((
            indicators::compute(&required, &hours),
            indicators::by_departement(&codes, &required, &hours),
            indicators::outcomes(&outcomes),
            indicators::contract_shares(&contracts),
        ));
        samples[6].push(micros(t));
    }
    Ok(NAMES.iter().zip(samples).map(|(n, s)| Step { name: n.to_string(), latency: Latency::of(s) }).collect())
}
