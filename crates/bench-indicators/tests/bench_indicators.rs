//! The generator and the measure at a very small scale on SQLite: the indicators must add up to
//! what the generator counted as it wrote. Nothing here is timed (`cargo xtask bench-indicators`
//! measures).

use std::time::Duration;

use app::IndicatorQuery;
use bench_indicators::db;
use bench_indicators::generate::{self, Generated, LAST_YEAR, Scale};
use bench_indicators::measure;
use store::Store;

fn small() -> Scale {
    Scale { lots: 20, beneficiaries: 50, placements: 100, months: 12, seed: 7 }
}

async fn loaded(scale: &Scale) -> (tempfile::TempDir, String, Store, Generated) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let url = format!("sqlite://{}", dir.path().join("indicators.db").display());
    let store = Store::connect(&url).await.expect("a SQLite store");
    let generated = generate::load(&store, scale, &|_| {}).await.expect("the region loads");
    (dir, url, store, generated)
}

#[tokio::test]
async fn the_indicators_add_up_to_what_was_generated() {
    let (dir, url, store, g) = loaded(&small()).await;
    assert_eq!((g.lots_with_clause, g.beneficiaries, g.placements), (20, 50, 100));
    assert!(g.awarded_lots >= g.lots_with_clause);
    assert_eq!(g.reports, g.reports_validated + g.reports_refused + g.reports_pending);
    assert!(g.reports_validated > 0 && g.hours_validated > 0 && g.hours_required > 0);

    let rows: std::collections::BTreeMap<String, i64> = db::row_counts(&url).await.unwrap().into_iter().collect();
    assert_eq!(rows["social_clauses"], 20);
    assert_eq!(rows["awards"], g.awarded_lots as i64);
    assert_eq!(rows["placements"], 100);
    assert_eq!(rows["hours_reports"], g.reports as i64);
    assert_eq!(rows["hours_reports (validated)"], g.reports_validated as i64);
    assert_eq!(rows["operation_contracts"], g.operation_contracts as i64);

    let app = measure::app(store.clone(), &dir.path().join("vault")).await.unwrap();
    let region = app.indicators(&IndicatorQuery::default()).await.unwrap();
    let i = &region.indicators;
    assert_eq!(i.contracts_with_clause, 20, "contracts with a clause = lots generated with one");
    assert_eq!(i.hours_required, g.hours_required);
    assert_eq!(i.hours_realised, g.hours_validated, "hours realised = validated hours generated");
    assert_eq!(region.contracts.contracts, g.awarded_lots as i64);

    let departements: Vec<&str> = region.by_departement.iter().map(|(d, _)| *d).collect();
    assert_eq!(departements, g.by_departement.keys().map(String::as_str).collect::<Vec<_>>());
    for (d, i) in &region.by_departement {
        let t = &g.by_departement[*d];
        assert_eq!(
            (i.contracts_with_clause, i.hours_required, i.hours_realised),
            (t.lots_with_clause as i64, t.hours_required, t.hours_validated),
            "département {d}"
        );
    }
    let year = IndicatorQuery { year: Some(LAST_YEAR.to_string()), ..Default::default() };
    assert_eq!(
        app.indicators(&year).await.unwrap().indicators.hours_realised,
        g.hours_validated_by_year.get(&LAST_YEAR).copied().unwrap_or(0)
    );

    let queries = measure::queries(&store).await.unwrap();
    assert_eq!(queries.len(), 13, "region, 8 départements, operation, year, buyer, département + year");
    let m = measure::measure(&app, &store, &queries, 2, Duration::ZERO).await.unwrap();
    assert_eq!(m.rounds, 2);
    assert!(m.results.iter().all(|r| r.latency.count == 2));
    assert_eq!(m.results[0].hours_realised, g.hours_validated);
    assert_eq!(m.results[0].contracts, 20);
    let per_departement: i64 = m.results[1..9].iter().map(|r| r.hours_realised).sum();
    assert_eq!(per_departement, g.hours_validated, "the eight départements make the region");
}

#[tokio::test]
async fn the_same_seed_writes_the_same_region() {
    let scale = Scale { lots: 8, beneficiaries: 20, placements: 30, months: 4, seed: 11 };
    let (_a, _, _, first) = loaded(&scale).await;
    let (_b, _, _, again) = loaded(&scale).await;
    assert_eq!(first, again);
    let (_c, _, _, other) = loaded(&Scale { seed: 12, ..scale }).await;
    assert_ne!(first, other, "another seed, another region");
}
