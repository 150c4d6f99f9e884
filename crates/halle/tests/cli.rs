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

/// A real receipt, made through the use cases: a firm deposits on a published consultation.
async fn receipt(dir: &Path) -> (String, String) {
    use domain::consultation::{ConsultationInput, LotInput};
    let store = store::Store::connect(&format!("sqlite://{}/halle.db", dir.display())).await.unwrap();
    let vault = vault::Vault::open(dir.join("fichiers")).await.unwrap();
    let app = App::new(store.clone(), vault, Arc::new(SystemClock), Config::default());
    app.bootstrap_admin("admin@exemple.fr", "Admin", "mot-de-passe-solide").await.unwrap();
    let (_, admin) = app.login("admin@exemple.fr", "mot-de-passe-solide", app::TokenKind::Api).await.unwrap();
    let admin = Actor::User(admin);
    let org = NewBuyerOrganisation {
        name: "Commune A".into(),
        siret: "21930066900013".into(),
        kind: "commune".into(),
        departement: "93".into(),
        address: None,
    };
    let org = app.create_buyer_organisation(&admin, &org).await.unwrap();
    let account = app::NewAccount {
        email: "acheteur@a.fr".into(),
        name: "Acheteur".into(),
        password: "mot-de-passe-solide".into(),
        role: "acheteur".into(),
        organisation_id: Some(org),
        departements: vec![],
    };
    app.create_account(&admin, &account).await.unwrap();
    let (_, buyer) = app.login("acheteur@a.fr", "mot-de-passe-solide", app::TokenKind::Api).await.unwrap();
    let buyer = Actor::User(buyer);
    let (opening_key, _) = vault::ConsultationKey::generate();
    app.register_opening_key(&buyer, &opening_key).await.unwrap();
    let deadline = jiff::Timestamp::now().checked_add(jiff::SignedDuration::from_hours(24 * 20)).unwrap();
    let input = ConsultationInput {
        title: "Nettoyage des locaux".into(),
        object: "Nettoyage".into(),
        nature: "services".into(),
        procedure: "mapa".into(),
        cpv: "90910000-9".into(),
        place: "93".into(),
        bid_deadline: deadline.to_string(),
        lots: vec![LotInput { title: "Lot unique".into(), cpv: None, estimated_value: None }],
        ..Default::default()
    };
    let c = app.create_consultation(&buyer, &input).await.unwrap();
    app.publish_consultation(&buyer, c.id).await.unwrap();
    let firm = app::FirmRegistration {
        siret: "73282932000074".into(),
        name: "Nettoyage Martin".into(),
        size: "micro".into(),
        address: "1 rue de Paris, 93100 Montreuil".into(),
        departement: "93".into(),
        user_name: "Léa Martin".into(),
        email: "lea@martin.fr".into(),
        password: "mot-de-passe-solide".into(),
    };
    app.register_firm(&firm).await.unwrap();
    let (_, firm) = app.login("lea@martin.fr", "mot-de-passe-solide", app::TokenKind::Api).await.unwrap();
    let firm = Actor::User(firm);
    let deposit = app.begin_deposit(&firm, c.id).await.unwrap();
    let part = app.seal_bid_file(&deposit, "offre", "offre.pdf", &b"offre de prix"[..]).await.unwrap();
    let (_, document) = app.finish_deposit(deposit, &[], vec![part]).await.unwrap();
    let key = app.receipt_public_key().unwrap();
    store.close().await;
    (document, key)
}

fn verify_receipt(file: &Path, key: Option<&str>) -> (bool, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_halle"));
    cmd.arg("verify-receipt").arg(file);
    if let Some(k) = key {
        cmd.args(["--key", k]);
    }
    let out = cmd.output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned())
}

#[tokio::test]
async fn verify_receipt_accepts_the_receipt_and_refuses_any_change() {
    let dir = tempfile::tempdir().unwrap();
    let (document, key) = receipt(dir.path()).await;
    let file = dir.path().join("accuse.json");
    std::fs::write(&file, &document).unwrap();

    let (ok, out) = verify_receipt(&file, Some(&key));
    assert!(ok, "{out}");
    assert!(out.contains("Accusé de réception intact"), "{out}");
    // The key as a file, as saved from /.well-known/halle/receipt-key.
    let key_file = dir.path().join("cle.txt");
    std::fs::write(&key_file, format!("{key}\n")).unwrap();
    assert!(verify_receipt(&file, Some(key_file.to_str().unwrap())).0);
    // Without --key: checked against its own key, with a warning.
    let (ok, out) = verify_receipt(&file, None);
    assert!(ok && out.contains("Attention"), "{out}");

    // Any altered byte fails, e.g. the late flag or a digit of the size.
    for (from, to) in [("\"late\":false", "\"late\":true "), ("offre.pdf", "offre.PDF")] {
        let altered = document.replacen(from, to, 1);
        assert_ne!(altered, document, "{from} is in the receipt");
        std::fs::write(&file, &altered).unwrap();
        let (ok, out) = verify_receipt(&file, Some(&key));
        assert!(!ok, "{out}");
        assert!(out.contains("INVALIDE"), "{out}");
    }
    // Another platform's key.
    std::fs::write(&file, &document).unwrap();
    let other = vault::receipt::ReceiptKey::generate().public_key_b64();
    let (ok, out) = verify_receipt(&file, Some(&other));
    assert!(!ok && out.contains("autre clé"), "{out}");
}
