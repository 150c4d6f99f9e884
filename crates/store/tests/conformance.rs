//! Store conformance suite: every scenario runs, unchanged, on each backend that
//! `store::test_support::all()` provides: SQLite always, PostgreSQL when
//! `HALLE_TEST_DATABASE_URL` is set (`cargo xtask pg -- cargo test -p store --test conformance`).
//! Only the public API of `store` is used.

#[path = "conformance/accounts.rs"]
mod accounts;
#[path = "conformance/audit.rs"]
mod audit;
#[path = "conformance/consultations.rs"]
mod consultations;
#[path = "conformance/documents.rs"]
mod documents;
#[path = "conformance/practices.rs"]
mod practices;
#[path = "conformance/registers.rs"]
mod registers;
#[path = "conformance/search.rs"]
mod search;
#[path = "conformance/transactions.rs"]
mod transactions;

use domain::consultation::{EnvironmentalConsideration, Nature, Procedure, SocialConsideration};
use domain::money::Cents;
use domain::organisation::{BuyerKind, FirmSize, OrgRole};
use domain::role::Role;
use jiff::Timestamp;
use store::test_support::{self, PG_URL_VAR, TestDb};
use store::{Backend, ConsultationFields, Lot, NewOrganisation, NewUser, Store, Tx};

/// The fresh databases a scenario runs on, announced on stdout. When the PostgreSQL variable
/// is set, PostgreSQL must be among them: a suite that silently ran on SQLite alone would
/// prove nothing about the other engine.
pub async fn backends(scenario: &str) -> Vec<TestDb> {
    let dbs = test_support::all().await;
    let names: Vec<Backend> = dbs.iter().map(|db| db.backend).collect();
    println!("[{scenario}] backends: {names:?}");
    assert_eq!(names.first(), Some(&Backend::Sqlite), "SQLite always runs");
    if std::env::var(PG_URL_VAR).is_ok_and(|v| !v.is_empty()) {
        assert!(names.contains(&Backend::Postgres), "{PG_URL_VAR} is set, so PostgreSQL must run");
    }
    dbs
}

/// Announces which backend the following assertions are about (shown when a test fails).
pub fn running(scenario: &str, db: &TestDb) {
    println!("[{scenario}] running on {:?}", db.backend);
}

/// A whole second (the store keeps most times to the second).
pub fn at(secs: i64) -> Timestamp {
    Timestamp::from_second(secs).unwrap()
}

/// Some moment in June 2025.
pub const T0: i64 = 1_750_000_000;

pub fn buyer(siret: &str, name: &str, departement: &str) -> NewOrganisation {
    NewOrganisation {
        role: OrgRole::Acheteur,
        name: name.into(),
        siret: siret.into(),
        kind: Some(BuyerKind::Commune),
        size: None,
        address: Some("1 place de l’Hôtel de Ville".into()),
        departement: departement.into(),
    }
}

pub fn company(siret: &str, name: &str) -> NewOrganisation {
    NewOrganisation {
        role: OrgRole::Entreprise,
        name: name.into(),
        siret: siret.into(),
        kind: None,
        size: Some(FirmSize::Pme),
        address: None,
        departement: "93".into(),
    }
}

pub fn user(email: &str, role: Role, organisation_id: Option<i64>) -> NewUser {
    NewUser {
        email: email.into(),
        password_hash: format!("$argon2id$v=19$m=19456,t=2,p=1$salt${email}"),
        name: format!("Nom {email}"),
        role,
        organisation_id,
        departements: Vec::new(),
    }
}

/// A consultation with every optional field filled and two lots.
pub fn full_fields(title: &str, bid_deadline: Timestamp) -> ConsultationFields {
    ConsultationFields {
        title: title.into(),
        object: "Objet détaillé « avec guillemets », apostrophe ’ et ligne\nsuivante ✓".into(),
        nature: Nature::Travaux,
        procedure: Procedure::Aoo,
        cpv: "45000000".into(),
        cpv_additional: vec!["45200000".into(), "45310000".into()],
        place_code: "75056".into(),
        place_label: "Paris".into(),
        departement: "75".into(),
        nuts: "FR101".into(),
        estimated_value: Some(Cents(12_345_678_901_234)),
        questions_deadline: Some(bid_deadline - jiff::SignedDuration::from_hours(240)),
        bid_deadline,
        contact: Some("achats@ville.example".into()),
        social: vec![SocialConsideration::ClauseSociale, SocialConsideration::MarcheReserve],
        environmental: vec![EnvironmentalConsideration::Clause, EnvironmentalConsideration::Critere],
        lots: vec![
            Lot { number: 1, title: "Gros œuvre".into(), cpv: "45210000".into(), estimated_value: Some(Cents(1)) },
            Lot { number: 2, title: "Électricité".into(), cpv: "45310000".into(), estimated_value: None },
        ],
        search_text: title.to_lowercase(),
        criteria: Vec::new(),
        tender_validity_days: None,
    }
}

/// A consultation with every optional field empty and no lot.
pub fn bare_fields(title: &str, bid_deadline: Timestamp) -> ConsultationFields {
    ConsultationFields {
        title: title.into(),
        object: String::new(),
        nature: Nature::Services,
        procedure: Procedure::Mapa,
        cpv: "90910000".into(),
        cpv_additional: Vec::new(),
        place_code: "93066".into(),
        place_label: "Saint-Denis".into(),
        departement: "93".into(),
        nuts: "FR106".into(),
        estimated_value: None,
        questions_deadline: None,
        bid_deadline,
        contact: None,
        social: vec![SocialConsideration::Aucune],
        environmental: vec![EnvironmentalConsideration::Aucune],
        lots: Vec::new(),
        search_text: title.to_lowercase(),
        criteria: Vec::new(),
        tender_validity_days: None,
    }
}

/// Inserts a consultation numbered in its organisation's sequence; returns its id.
pub async fn insert_consultation(tx: &mut Tx, organisation_id: i64, f: &ConsultationFields, now: Timestamp) -> i64 {
    let n = tx.next_consultation_number(organisation_id).await.unwrap();
    tx.insert_consultation(&format!("ORG{organisation_id}-{n:04}"), organisation_id, f, now).await.unwrap()
}

/// A buyer organisation with one buyer, committed; returns (organisation id, user id).
pub async fn seed_buyer(store: &Store, siret: &str, email: &str) -> (i64, i64) {
    let mut tx = store.begin().await.unwrap();
    let org = tx.insert_organisation(&buyer(siret, &format!("Ville {siret}"), "75"), at(T0)).await.unwrap();
    let u = tx.insert_user(&user(email, Role::Acheteur, Some(org)), at(T0)).await.unwrap();
    tx.commit().await.unwrap();
    (org, u)
}
