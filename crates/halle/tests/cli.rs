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

/// A portal ready to receive bids: a published consultation whose committee key is known, and
/// a registered firm (`lea@martin.fr`).
struct Portal {
    app: App,
    store: store::Store,
    consultation: i64,
    opening_secret: String,
}

const FIRM_EMAIL: &str = "lea@martin.fr";
const PASSWORD: &str = "mot-de-passe-solide";

async fn portal(dir: &Path) -> Portal {
    use domain::consultation::{ConsultationInput, LotInput};
    let store = store::Store::connect(&format!("sqlite://{}/halle.db", dir.display())).await.unwrap();
    let vault = vault::Vault::open(dir.join("fichiers")).await.unwrap();
    let app = App::new(store.clone(), vault, Arc::new(SystemClock), Config::default());
    app.bootstrap_admin("admin@exemple.fr", "Admin", PASSWORD).await.unwrap();
    let (_, admin) = app.login("admin@exemple.fr", PASSWORD, app::TokenKind::Api).await.unwrap();
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
        password: PASSWORD.into(),
        role: "acheteur".into(),
        organisation_id: Some(org),
        departements: vec![],
    };
    app.create_account(&admin, &account).await.unwrap();
    let (_, buyer) = app.login("acheteur@a.fr", PASSWORD, app::TokenKind::Api).await.unwrap();
    let buyer = Actor::User(buyer);
    let (opening_key, opening_secret) = vault::ConsultationKey::generate();
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
        email: FIRM_EMAIL.into(),
        password: PASSWORD.into(),
    };
    app.register_firm(&firm).await.unwrap();
    Portal {
        app,
        store,
        consultation: c.id,
        opening_secret: vault::ExposeSecret::expose_secret(&opening_secret).into(),
    }
}

/// A real receipt, made through the use cases: a firm deposits on a published consultation.
async fn receipt(dir: &Path) -> (String, String) {
    let p = portal(dir).await;
    let (_, firm) = p.app.login(FIRM_EMAIL, PASSWORD, app::TokenKind::Api).await.unwrap();
    let firm = Actor::User(firm);
    let deposit = p.app.begin_deposit(&firm, p.consultation).await.unwrap();
    let part = p.app.seal_bid_file(&deposit, "offre", "offre.pdf", &b"offre de prix"[..]).await.unwrap();
    let (_, document) = p.app.finish_deposit(deposit, &[], vec![part]).await.unwrap();
    let key = p.app.receipt_public_key().unwrap();
    p.store.close().await;
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

/// One HTTP/1.1 exchange over a fresh connection; `None` if the server went away.
fn http(addr: &str, request: &[u8]) -> Option<(u16, Vec<u8>)> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(std::time::Duration::from_secs(20))).ok()?;
    s.write_all(request).ok()?;
    let mut out = Vec::new();
    s.read_to_end(&mut out).ok()?;
    let head_end = out.windows(4).position(|w| w == b"\r\n\r\n")?;
    let status = std::str::from_utf8(&out[9..12]).ok()?.parse().ok()?;
    Some((status, out[head_end + 4..].to_vec()))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start_server(dir: &Path, addr: &str) -> std::process::Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_halle"))
        .arg("serve")
        .env("HALLE_DATABASE_URL", format!("sqlite://{}/halle.db", dir.display()))
        .env("HALLE_STORAGE", dir.join("fichiers"))
        .env("HALLE_ADDR", addr)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    for _ in 0..200 {
        if let Some((200, body)) =
            http(addr, format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes())
            && body == b"ok"
        {
            return child;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("halle serve did not start");
}

fn deposit_request(addr: &str, token: &str, consultation: i64, n: usize) -> Vec<u8> {
    let boundary = "----halle-kill-test";
    let mut body =
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"offre\"; filename=\"offre-{n}.bin\"\r\n\r\n")
            .into_bytes();
    body.extend((0..256 * 1024).map(|i| ((i * 31 + n) % 251) as u8));
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut req = format!(
        "POST /api/v1/consultations/{consultation}/bids HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    req.extend(body);
    req
}

/// A server killed with SIGKILL in the middle of a rush loses none of the bids that got a
/// receipt, and starts again clean.
#[tokio::test(flavor = "multi_thread")]
async fn sigkill_during_a_rush_loses_no_receipted_bid() {
    let dir = tempfile::tempdir().unwrap();
    let p = portal(dir.path()).await;
    let consultation = p.consultation;
    p.store.close().await;
    let addr = format!("127.0.0.1:{}", free_port());
    let mut server = start_server(dir.path(), &addr);
    let login = format!("{{\"email\":\"{FIRM_EMAIL}\",\"password\":\"{PASSWORD}\"}}");
    let (_, token) = http(
        &addr,
        format!(
            "POST /api/v1/auth/token HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{login}",
            login.len()
        )
        .as_bytes(),
    )
    .unwrap();
    let token: serde_json::Value = serde_json::from_slice(&token).unwrap();
    let token = token["token"].as_str().unwrap().to_string();

    // Eight firms' clients deposit in a loop; the server is killed while they are at it.
    let receipts = std::sync::Arc::new(std::sync::Mutex::new(Vec::<Vec<u8>>::new()));
    let clients: Vec<_> = (0..8)
        .map(|c| {
            let (addr, token, receipts) = (addr.clone(), token.clone(), receipts.clone());
            std::thread::spawn(move || {
                for n in 0..200 {
                    match http(&addr, &deposit_request(&addr, &token, consultation, c * 1000 + n)) {
                        Some((201, body)) => receipts.lock().unwrap().push(body),
                        Some((status, body)) => panic!("deposit answered {status}: {}", String::from_utf8_lossy(&body)),
                        None => return,
                    }
                }
            })
        })
        .collect();
    while receipts.lock().unwrap().len() < 12 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    server.kill().unwrap(); // SIGKILL
    server.wait().unwrap();
    for c in clients {
        c.join().unwrap();
    }
    let receipts = receipts.lock().unwrap().clone();

    // It starts again, and serves.
    let mut server = start_server(dir.path(), &addr);
    server.kill().unwrap();
    server.wait().unwrap();

    // Every receipted bid is there, with the very receipt handed out, and its file opens to
    // the bytes that were sent.
    let store = store::Store::connect(&format!("sqlite://{}/halle.db", dir.path().display())).await.unwrap();
    let files = vault::Vault::open(dir.path().join("fichiers")).await.unwrap();
    let key = store.consultation_key(consultation).await.unwrap();
    let identity = vault::seal::unwrap_identity(key.wrapped_identity.as_bytes(), &p.opening_secret).unwrap();
    for document in &receipts {
        let doc: serde_json::Value = serde_json::from_slice(document).unwrap();
        let id = doc["receipt"]["bid"].as_i64().unwrap();
        let bid = store.bid(id).await.expect("a receipted bid survives SIGKILL");
        assert_eq!(bid.receipt.as_bytes(), &document[..]);
        let mut reader = files.open_sealed(&bid.files[0].storage_key, &identity).await.unwrap();
        let mut plain = Vec::new();
        tokio::io::AsyncReadExt::read_to_end(&mut reader, &mut plain).await.unwrap();
        use sha2::Digest;
        assert_eq!(hex::encode(sha2::Sha256::digest(&plain)), doc["receipt"]["files"][0]["sha256"].as_str().unwrap());
    }
    assert!(receipts.len() >= 12);
    println!("{} receipted bids before SIGKILL, all intact", receipts.len());
}
