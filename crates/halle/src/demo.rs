//! `halle demo`: fills an empty database with a realistic Île-de-France portal built from the
//! real BOAMP notices (CSV, and a few in BOAMP XML and eForms with their real lots), suppliers
//! and inclusive employers embedded in `formats`.
//!
//! Everything goes through the application services, with a settable clock moved through
//! time, so that every rule, the registers and the audit chain are exercised as in real use.
//! The buyers' SIRETs and all people, e-mail addresses, dates of open consultations, DCE
//! documents and exchanges are fictitious.

mod accounts;
mod buyers;
mod documents;
mod firms;
mod imported;
mod input;
mod library;
mod people;
mod plan;
mod qa;
mod run;
mod schedule;
mod social;
mod summary;
#[cfg(test)]
mod tests;
mod timeline;

use std::collections::HashMap;
use std::sync::Arc;

use app::{App, AppError, Config, FixedClock};
use domain::consultation::Phase;
use domain::role::Role;
use jiff::{SignedDuration, Timestamp};
use store::Store;
use vault::Vault;

pub use summary::DemoSummary;

pub const DEMO_PASSWORD: &str = "demo-halle";
pub const ADMIN_EMAIL: &str = "admin@demo.halle.test";
pub const BUYER_EMAIL: &str = "acheteur@demo.halle.test";
pub const FIRM_EMAIL: &str = "entreprise@demo.halle.test";
pub const FACILITATOR_EMAIL: &str = "facilitateur@demo.halle.test";

fn data_error(e: formats::FormatError) -> AppError {
    AppError::Internal(format!("embedded demo data: {e}"))
}

/// The directory of inclusive suppliers (the Île-de-France extract embedded in the binary),
/// imported as an operator would with `halle import siae`.
async fn import_inclusive_suppliers(app: &App) -> Result<(), AppError> {
    let path = std::env::temp_dir().join(format!("halle-demo-siae-{}.csv", std::process::id()));
    std::fs::write(&path, formats::demo::SIAE_CSV)
        .map_err(|e| AppError::Internal(format!("{}: {e}", path.display())))?;
    let report = app.import_file(app::ImportKind::Siae, &path).await;
    let _ = std::fs::remove_file(&path);
    report.map(drop)
}

/// Seeds an empty database; does nothing (and says so) when an administrator already exists.
pub async fn seed(store: Store, vault: Vault, config: Config) -> Result<DemoSummary, AppError> {
    if store.users().await?.iter().any(|u| u.role == Role::Admin) {
        return Ok(DemoSummary::already_seeded());
    }
    let now = Timestamp::now();
    let notices = formats::demo::boamp_notices().map_err(data_error)?;
    let firms = firms::registrations(
        &formats::demo::suppliers().map_err(data_error)?,
        &formats::demo::siae().map_err(data_error)?,
    );
    let mut plans = plan::plans(&notices);
    plans.extend(imported::plans(
        &formats::demo::boamp_xml_notices().map_err(data_error)?,
        &formats::demo::eforms_notices().map_err(data_error)?,
    ));
    let timelines: Vec<timeline::Timeline> = plans.iter().map(|p| timeline::timeline(p, now)).collect();
    let first = timelines.iter().map(|t| t.created).min().unwrap_or(now);
    let start = timeline::at(timeline::paris_date(first - SignedDuration::from_hours(24 * 10)), 9, 0);

    let clock = Arc::new(FixedClock::new(start));
    let app = App::new(store.clone(), vault, clock.clone(), config);
    import_inclusive_suppliers(&app).await?;
    let accounts = accounts::create(&app, &store, &clock, start, &firms).await?;
    let steps = schedule::steps(&plans, &timelines, accounts.firms.len(), now);
    let mut runner = run::Runner {
        app: &app,
        clock: &clock,
        plans: &plans,
        timelines: &timelines,
        accounts: &accounts,
        consultations: vec![None; plans.len()],
        questions: HashMap::new(),
        activity: run::Activity::default(),
    };
    runner.run(steps).await?;
    let social = social::follow(&app, &store, &clock, &accounts).await?;
    library::share(&app, &store, &accounts).await?;

    let mut phases: Vec<(Phase, usize)> = Vec::new();
    for c in runner.consultations.iter().flatten() {
        let c = store.consultation(c.id).await?;
        let phase = Phase::of(c.status, c.fields.bid_deadline, now);
        match phases.iter_mut().find(|(p, _)| *p == phase) {
            Some((_, n)) => *n += 1,
            None => phases.push((phase, 1)),
        }
    }
    let a = runner.activity;
    Ok(DemoSummary {
        already_seeded: false,
        accounts: summary::demo_accounts(),
        buyer_organisations: buyers::BUYERS.len(),
        buyer_users: accounts.buyer_users,
        firms: accounts.firms.len(),
        phases,
        documents: a.documents,
        downloads: a.downloads,
        questions: a.questions,
        answers: a.answers,
        rectificatifs: a.rectificatifs,
        deposits: a.deposits,
        awards: a.awards,
        social_clauses: a.clauses,
        beneficiaries: social.beneficiaries,
        placements: social.placements,
        insertion_hours: social.hours,
        opening_secret: accounts.demo_opening_secret.clone(),
    })
}
