//! The binary as an operator uses it.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use app::{Actor, App, Config, NewBuyerOrganisation, SystemClock};

/// A data folder with a few audited actions, made through the use cases.
async fn data_dir_with_history(dir: &Path) {
    let store = store::Store::connect(&format!("sqlite://{}/halle.db", dir.display())).await.unwrap();
    let vault = vault::Vault::open(dir.join("fichiers")).await.unwrap();
    let app = App::new(store.clone(), vault, Arc::new(SystemClock), Config::default());
    app.bootstrap_admin("admin@exemple.fr", "Admin", "mot-de-passe-solide").await.unwrap();
    let (_, admin) = app.login("admin@exemple.fr", "mot-de-passe-solide", app::TokenKind::Api).await.unwrap();
    for (name, siret) in [("Commune A", "21930066900013"), ("Commune B", "21930048700010")] {
        let org = NewBuyerOrganisation {
            name: name.into(),
            siret: siret.into(),
            kind: "commune".into(),
            departement: "93".into(),
            address: None,
        };
        app.create_buyer_organisation(&Actor::User(admin.clone()), &org).await.unwrap();
    }
    store.close().await;
}

fn verify(dir: &Path) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_halle")).args(["audit", "verify", "--data"]).arg(dir).output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned())
}

fn sql(dir: &Path, statement: &str) {
    let status = Command::new("python3")
        .args(["-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()"])
        .arg(dir.join("halle.db"))
        .arg(statement)
        .status()
        .unwrap();
    assert!(status.success());
}

#[tokio::test]
async fn audit_verify_finds_the_first_tampered_entry() {
    let dir = tempfile::tempdir().unwrap();
    data_dir_with_history(dir.path()).await;
    let (ok, out) = verify(dir.path());
    assert!(ok, "{out}");
    assert!(out.contains("4 entrées vérifiées"), "{out}");

    sql(dir.path(), "UPDATE audit_log SET details = '{\"detail\":\"Commune Z\"}' WHERE seq = 3");
    let (ok, out) = verify(dir.path());
    assert!(!ok);
    assert!(out.contains("n° 3"), "{out}");
}

#[tokio::test]
async fn audit_verify_finds_a_removed_tail() {
    let dir = tempfile::tempdir().unwrap();
    data_dir_with_history(dir.path()).await;
    sql(dir.path(), "DELETE FROM audit_log WHERE seq = 4");
    let (ok, out) = verify(dir.path());
    assert!(!ok);
    assert!(out.contains("n° 4"), "{out}");
}
