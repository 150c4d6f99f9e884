//! Issue 3, first slice: opening keys, sealing at publication, deposits with signed receipts,
//! late bids, the registre des dépôts — and everything that must be refused.

use axum::body::Body;
use axum::http::{Method, header};
use jiff::SignedDuration;
use serde_json::{Value, json};

use crate::support::{ANON, Auth, Env, Res, at, for_each_backend, minimal, walk};

/// A multipart body with named parts: `(field, file name or None for a plain field, bytes)`.
fn parts(fields: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----halle-bid-boundary-3f1e";
    let mut body = Vec::new();
    for (field, file, bytes) in fields {
        let disposition = match file {
            Some(name) => format!("form-data; name=\"{field}\"; filename=\"{name}\""),
            None => format!("form-data; name=\"{field}\""),
        };
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n").as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub(crate) async fn deposit(env: &Env, path: &str, auth: &Auth, fields: &[(&str, Option<&str>, &[u8])]) -> Res {
    let (content_type, body) = parts(fields);
    env.send(
        Env::request(Method::POST, path, auth)
            .header(header::CONTENT_TYPE, content_type)
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

const CANDIDATURE: &[u8] = b"DC1 - lettre de candidature de Peintures Dupont";
const OFFRE: &[u8] = b"ACTE D'ENGAGEMENT - prix global et forfaitaire : 48 000 euros HT";

pub(crate) fn two_files() -> Vec<(&'static str, Option<&'static str>, &'static [u8])> {
    vec![("candidature", Some("DC1.pdf"), CANDIDATURE), ("offre", Some("AE.pdf"), OFFRE), ("lots", None, b"1")]
}

fn receipt_key(env_key: &Res) -> String {
    env_key.text().trim().to_string()
}

#[tokio::test]
async fn a_firm_deposits_and_gets_a_signed_receipt() {
    for_each_backend("bid_receipt", async |env| {
        let (id, _) = env.published("Réfection des peintures du groupe scolaire").await;
        let key = env.get("/.well-known/halle/receipt-key", &ANON).await;
        key.expect(200);
        let key = receipt_key(&key);

        let r = deposit(&env, &format!("/api/v1/consultations/{id}/bids"), &env.firm.api(), &two_files()).await;
        r.expect(201);
        let document = r.body.clone();
        let receipt = vault::receipt::verify(&document, &key).expect("the receipt verifies with the published key");
        assert_eq!(receipt["late"], false);
        assert_eq!(receipt["consultation"]["id"], id);
        assert_eq!(receipt["depositor"]["firm"], "Peintures Dupont");
        assert_eq!(receipt["depositor"]["user"], env.firm.email);
        assert_eq!(receipt["buyer"], "Ville de Saint-Denis");
        assert_eq!(receipt["lots"], json!([1]));
        assert_eq!(receipt["received_at"], env.now().to_string());
        let files = receipt["files"].as_array().unwrap();
        assert_eq!(files.len(), 2);
        assert_eq!(files[1]["envelope"], "offre");
        assert_eq!(files[1]["size"], OFFRE.len());
        assert_eq!(
            files[1]["sha256"].as_str().unwrap(),
            format!("{:x}", sha2_digest(OFFRE)),
            "the receipt names the hash of the plaintext"
        );

        // The receipt is also e-mailed to the depositor, verifiable as sent.
        let mail =
            env.store.unsent_emails().await.unwrap().into_iter().find(|m| m.recipient == env.firm.email).unwrap();
        assert!(mail.subject.starts_with("Accusé de réception — pli n°"));
        let inside = mail.body.split("-----\n").nth(1).unwrap().trim_end();
        assert_eq!(inside.as_bytes(), &document[..]);

        // The firm gets its receipt back, byte for byte; nobody else does.
        let bid = receipt["bid"].as_i64().unwrap();
        let again = env.get(&format!("/api/v1/bids/{bid}/receipt"), &env.firm.api()).await;
        again.expect(200);
        assert_eq!(again.body, document);
        for who in [env.buyer_a.api(), env.buyer_b.api(), env.admin.api(), ANON] {
            assert!(env.get(&format!("/api/v1/bids/{bid}/receipt"), &who).await.status.as_u16() >= 400);
        }

        // Buyer A's own secret unwraps the consultation key and opens the sealed offer; the
        // other organisation's buyer cannot.
        let ck = env.store.consultation_key(id).await.unwrap();
        assert!(vault::seal::unwrap_identity(ck.wrapped_identity.as_bytes(), &env.opening_secrets[1]).is_err());
        let identity = vault::seal::unwrap_identity(ck.wrapped_identity.as_bytes(), &env.opening_secrets[0]).unwrap();
        let stored = env.store.bid(bid).await.unwrap();
        let files_vault = vault::Vault::open(env.vault_dir.path()).await.unwrap();
        let mut opened = files_vault.open_sealed(&stored.files[1].storage_key, &identity).await.unwrap();
        let mut plain = Vec::new();
        tokio::io::AsyncReadExt::read_to_end(&mut opened, &mut plain).await.unwrap();
        assert_eq!(plain, OFFRE);

        // Only ciphertext reached the disk.
        let mut found_plaintext = false;
        for entry in walk(env.vault_dir.path()) {
            let bytes = std::fs::read(&entry).unwrap();
            if bytes.windows(OFFRE.len()).any(|w| w == OFFRE) || bytes.windows(20).any(|w| w == &CANDIDATURE[..20]) {
                found_plaintext = true;
            }
        }
        assert!(!found_plaintext, "no bid plaintext on disk");
        let audit = env.store.audit_for(&format!("consultation:{id}")).await.unwrap();
        assert!(audit.iter().any(|e| e.action == "pli.depose"));
    })
    .await;
}

fn sha2_digest(bytes: &[u8]) -> impl std::fmt::LowerHex {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
}

#[tokio::test]
async fn late_bids_are_kept_marked_and_the_register_opens_after_the_deadline() {
    for_each_backend("bid_late", async |env| {
        let (id, _) = env.published("Entretien des espaces verts").await;
        deposit(&env, &format!("/api/v1/consultations/{id}/bids"), &env.firm.api(), &two_files()).await.expect(201);
        // Before the deadline the buyer sees only a count; another organisation nothing.
        let reg = env.get(&format!("/api/v1/consultations/{id}/deposit-register"), &env.buyer_a.api()).await;
        reg.expect(200);
        assert_eq!(reg.json(), json!({"count": 1, "bids": null}));
        let page = env.get(&format!("/acheteur/consultations/{id}"), &env.buyer_a.page()).await;
        assert!(page.text().contains("1 pli reçu à ce jour"), "{}", page.text());
        assert!(!page.text().contains("Peintures Dupont (SIRET"));
        assert!(
            env.get(&format!("/api/v1/consultations/{id}/deposit-register"), &env.buyer_b.api()).await.status.as_u16()
                == 403
        );
        assert!(
            env.get(&format!("/api/v1/consultations/{id}/deposit-register"), &env.firm.api()).await.status.as_u16()
                == 403
        );

        // One second after the deadline: still received, marked late.
        env.set_time(at("2026-12-15T12:00:01+01:00"));
        let firm = env.api_token(&env.firm).await;
        let late = deposit(&env, &format!("/api/v1/consultations/{id}/bids"), &firm, &two_files()).await;
        late.expect(201);
        let key = receipt_key(&env.get("/.well-known/halle/receipt-key", &ANON).await);
        let receipt = vault::receipt::verify(&late.body, &key).unwrap();
        assert_eq!(receipt["late"], true);

        let buyer = env.api_token(&env.buyer_a).await;
        let reg = env.get(&format!("/api/v1/consultations/{id}/deposit-register"), &buyer).await.json();
        assert_eq!(reg["count"], 2);
        let bids = reg["bids"].as_array().unwrap();
        assert_eq!(bids.len(), 2);
        assert_eq!(bids[0]["late"], false);
        assert_eq!(bids[1]["late"], true);
        assert_eq!(bids[1]["siret"], "73282932000074");
        env.advance(SignedDuration::from_secs(1));
    })
    .await;
}

#[tokio::test]
async fn deposits_are_refused_where_they_must_be_and_leave_nothing() {
    for_each_backend("bid_refusals", async |env| {
        let (id, _) = env.published("Fourniture de mobilier scolaire").await;
        let path = format!("/api/v1/consultations/{id}/bids");
        // Not a firm.
        for who in [env.buyer_a.api(), env.buyer_b.api(), env.facilitator.api(), env.admin.api()] {
            deposit(&env, &path, &who, &two_files()).await.expect(403);
        }
        deposit(&env, &path, &ANON, &two_files()).await.expect(401);
        // A draft does not exist for the firm.
        let draft = env.create(&env.buyer_a, &minimal("Brouillon")).await;
        deposit(&env, &format!("/api/v1/consultations/{draft}/bids"), &env.firm.api(), &two_files()).await.expect(404);
        // An unknown envelope, a lot that does not exist, no file at all: 422 naming the field.
        deposit(&env, &path, &env.firm.api(), &[("offre", Some("AE.pdf"), OFFRE), ("annexe", Some("x.pdf"), b"x")])
            .await
            .expect_problem(422, "annexe");
        deposit(&env, &path, &env.firm.api(), &[("offre", Some("AE.pdf"), OFFRE), ("lots", None, b"7")])
            .await
            .expect_problem(422, "lots");
        deposit(&env, &path, &env.firm.api(), &[("lots", None, b"1")]).await.expect_problem(422, "offre");
        // Cross-site, from a browser: refused before anything is read.
        let (content_type, body) = parts(&two_files());
        let r = env
            .send(
                Env::request(Method::POST, &path, &env.firm.page())
                    .header(header::CONTENT_TYPE, content_type)
                    .header("sec-fetch-site", "cross-site")
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await;
        r.expect(403);
        assert_eq!(env.store.bid_count(id).await.unwrap(), 0);
        let objects =
            walk(env.vault_dir.path()).into_iter().filter(|p| p.to_string_lossy().contains("objects")).count();
        assert_eq!(objects, 1, "only the DCE document is stored: refused deposits left no sealed file");
        // Classée sans suite: closed to deposits.
        env.post_json(
            &format!("/api/v1/consultations/{id}/status"),
            &env.buyer_a.api(),
            &json!({"status": "sans_suite"}),
        )
        .await
        .expect(200);
        deposit(&env, &path, &env.firm.api(), &two_files()).await.expect(409);
    })
    .await;
}

#[tokio::test]
async fn publication_needs_an_opening_key_and_keys_are_checked() {
    for_each_backend("opening_keys", async |env| {
        let bad = env
            .put_json("/api/v1/me/opening-key", &env.buyer_b.api(), &json!({"public_key": "ssh-ed25519 AAAA"}))
            .await;
        let problem: Value = bad.expect_problem(422, "public_key");
        assert!(problem["detail"].as_str().unwrap().contains("age1"));
        // Page: the form says the same, beside the field.
        let page =
            env.post_form("/acheteur/cle-ouverture", &env.buyer_b.page(), &[("public_key", "pas une clé")]).await;
        page.expect(422);
        assert!(page.text().contains("id=\"public_key-erreur\""));
        // Firms have no opening key.
        let (public_key, _) = vault::ConsultationKey::generate();
        env.put_json("/api/v1/me/opening-key", &env.firm.api(), &json!({"public_key": public_key})).await.expect(403);

        // A fresh organisation without any key: publication refused, nothing published.
        let buyer_c = new_org_without_key(&env).await;
        let id = {
            let r = env.post_json("/api/v1/consultations", &buyer_c, &minimal("Sans clé")).await;
            r.expect(201);
            r.json()["id"].as_i64().unwrap()
        };
        let refused = env.post_json(&format!("/api/v1/consultations/{id}/publish"), &buyer_c, &json!({})).await;
        refused.expect(409);
        assert!(refused.json()["detail"].as_str().unwrap().contains("clé d’ouverture"));
        assert_eq!(env.get(&format!("/api/v1/consultations/{id}"), &ANON).await.status.as_u16(), 404);
        // Once a buyer of that organisation registers a key, it publishes.
        env.put_json("/api/v1/me/opening-key", &buyer_c, &json!({"public_key": public_key})).await.expect(200);
        env.post_json(&format!("/api/v1/consultations/{id}/publish"), &buyer_c, &json!({})).await.expect(200);
        let key = env.store.consultation_key(id).await.unwrap();
        assert_eq!(key.committee.len(), 1);
        assert!(key.public_key.starts_with("age1"));
        assert!(key.wrapped_identity.contains("BEGIN AGE ENCRYPTED FILE"), "only the wrapped private key is kept");
    })
    .await;
}

/// A third buyer organisation, with one buyer and no opening key; the buyer's API token.
async fn new_org_without_key(env: &Env) -> Auth {
    let admin = env.admin.page();
    let siret = "21940081500011";
    env.post_form(
        "/admin/organisations",
        &admin,
        &[("name", "Ville de Vitry-sur-Seine"), ("siret", siret), ("kind", "commune"), ("departement", "94")],
    )
    .await
    .expect_redirect("/admin");
    let org = env
        .app
        .organisations(
            &env.app.authenticate(Some(&env.admin.cookie)).await.unwrap(),
            domain::organisation::OrgRole::Acheteur,
        )
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.siret == siret)
        .unwrap()
        .id;
    env.post_form(
        "/admin/comptes",
        &admin,
        &[
            ("email", "achat@vitry.test"),
            ("name", "Véra Vitry"),
            ("password", crate::support::PASSWORD),
            ("role", "acheteur"),
            ("organisation_id", &org.to_string()),
        ],
    )
    .await
    .expect_redirect("/admin");
    let r = env
        .post_json(
            "/api/v1/auth/token",
            &ANON,
            &json!({"email": "achat@vitry.test", "password": crate::support::PASSWORD}),
        )
        .await;
    Auth::Bearer(r.json()["token"].as_str().unwrap().to_string())
}

#[tokio::test]
async fn the_page_deposit_shows_the_receipt() {
    for_each_backend("bid_page", async |env| {
        let (id, _) = env.published("Travaux de menuiserie").await;
        let page = env.get(&format!("/consultations/{id}"), &env.firm.page()).await;
        assert!(page.text().contains("Déposer un pli"));
        assert!(!env.get(&format!("/consultations/{id}"), &ANON).await.text().contains("Déposer un pli"));
        let r = deposit(&env, &format!("/consultations/{id}/plis"), &env.firm.page(), &two_files()).await;
        r.expect(201);
        let html = r.text();
        assert!(html.contains("Accusé de réception du pli n°"), "{html}");
        assert!(html.contains("reçu dans les délais"));
        assert!(html.contains("Peintures Dupont"));
        let bid = env.store.bids(id).await.unwrap()[0].id;
        let file = env.get(&format!("/plis/{bid}/accuse.json"), &env.firm.page()).await;
        file.expect(200);
        let key = receipt_key(&env.get("/.well-known/halle/receipt-key", &ANON).await);
        vault::receipt::verify(&file.body, &key).unwrap();
        env.get(&format!("/plis/{bid}"), &env.buyer_a.page()).await.expect(404);
        let printable = env.get(&format!("/plis/{bid}/accuse.pdf"), &env.firm.page()).await;
        printable.expect(200);
        let text = pdf_text(&printable.body);
        assert!(text.contains("Accusé de réception du pli n°") && text.contains("Peintures Dupont"), "{text}");
        assert!(text.contains("reçu dans les délais"), "{text}");
        env.get(&format!("/plis/{bid}/accuse.pdf"), &env.buyer_a.page()).await.expect(404);
    })
    .await;
}

#[tokio::test]
async fn opening_after_the_deadline_by_the_committee_candidatures_first() {
    for_each_backend("bid_opening", async |env| {
        let (id, _) = env.published("Restauration scolaire").await;
        let path = format!("/api/v1/consultations/{id}/bids");
        // The firm deposits twice in time (only the second counts), then once late.
        deposit(&env, &path, &env.firm.api(), &[("offre", Some("AE-v1.pdf"), b"premiere version")]).await.expect(201);
        env.advance(SignedDuration::from_mins(5));
        deposit(&env, &path, &env.firm.api(), &two_files()).await.expect(201);
        let unlock = format!("/api/v1/consultations/{id}/opening/unlock");
        let secret_a = env.opening_secrets[0].clone();

        // Before the deadline: nobody can unlock, even with the right secret.
        env.post_json(&unlock, &env.buyer_a.api(), &json!({"secret": secret_a})).await.expect(409);

        env.set_time(at("2026-12-15T12:30:00+01:00"));
        let firm = env.api_token(&env.firm).await;
        deposit(&env, &path, &firm, &[("offre", Some("AE-tard.pdf"), b"trop tard")]).await.expect(201);
        let buyer = env.api_token(&env.buyer_a).await;
        let other = env.api_token(&env.buyer_b).await;

        // Refused: another organisation, the firm, a wrong secret (buyer B's own key).
        env.post_json(&unlock, &other, &json!({"secret": secret_a})).await.expect(403);
        env.post_json(&unlock, &firm, &json!({"secret": secret_a})).await.expect(403);
        env.post_json(&unlock, &buyer, &json!({"secret": env.opening_secrets[1]})).await.expect_problem(422, "secret");
        // Offers cannot be opened before the key is unlocked, nor before the candidatures.
        env.post_json(&format!("/api/v1/consultations/{id}/opening/offre"), &buyer, &json!({})).await.expect(409);

        let state = env.post_json(&unlock, &buyer, &json!({"secret": secret_a})).await;
        state.expect(200);
        let state = state.json();
        assert_eq!(state["unlocked"], true);
        let bids = state["bids"].as_array().unwrap();
        assert_eq!(bids.len(), 3);
        assert_eq!(bids.iter().map(|b| b["to_open"].as_bool().unwrap()).collect::<Vec<_>>(), vec![false, true, false]);
        let current = bids[1]["id"].as_i64().unwrap();
        let (first, late) = (bids[0]["id"].as_i64().unwrap(), bids[2]["id"].as_i64().unwrap());

        env.post_json(&format!("/api/v1/consultations/{id}/opening/offre"), &buyer, &json!({})).await.expect(409);
        env.get(&format!("/api/v1/bids/{current}/files/0"), &buyer).await.expect(409);
        env.post_json(&format!("/api/v1/consultations/{id}/opening/candidature"), &buyer, &json!({})).await.expect(200);
        let candidature = env.get(&format!("/api/v1/bids/{current}/files/0"), &buyer).await;
        candidature.expect(200);
        assert_eq!(candidature.body, CANDIDATURE);
        env.get(&format!("/api/v1/bids/{current}/files/1"), &buyer).await.expect(409);
        env.post_json(&format!("/api/v1/consultations/{id}/opening/offre"), &buyer, &json!({}))
            .await
            .expect_problem(422, "lot");
        env.post_json(&format!("/api/v1/consultations/{id}/opening/offre"), &buyer, &json!({"lot": 1}))
            .await
            .expect(200);
        assert_eq!(env.get(&format!("/api/v1/bids/{current}/files/1"), &buyer).await.body, OFFRE);
        // The superseded and the late plis stay closed; other organisations see nothing.
        env.get(&format!("/api/v1/bids/{first}/files/0"), &buyer).await.expect(409);
        env.get(&format!("/api/v1/bids/{late}/files/0"), &buyer).await.expect(409);
        assert!(env.get(&format!("/api/v1/bids/{current}/files/1"), &other).await.status.as_u16() == 403);
        assert!(env.get(&format!("/api/v1/bids/{current}/files/1"), &firm).await.status.as_u16() >= 400);

        // The procès-verbal, printable: who unlocked, what was opened, what stayed closed.
        let report = env.get(&format!("/api/v1/consultations/{id}/opening/report.pdf"), &buyer).await;
        report.expect(200);
        assert_eq!(report.header("content-type"), Some("application/pdf"));
        let text = pdf_text(&report.body);
        assert!(text.contains("Procès-verbal d’ouverture des plis"), "{text}");
        assert!(text.contains("Bruno Acheteur"), "{text}");
        assert!(text.contains("Hors délai : non ouvert") && text.contains("Remplacé par un pli plus récent"), "{text}");
        assert!(
            env.get(&format!("/api/v1/consultations/{id}/opening/report.pdf"), &other).await.status.as_u16() == 403
        );

        // The page shows the register with links to the opened files.
        let page = env.sign_in(&env.buyer_a).await;
        let html = env.get(&format!("/acheteur/consultations/{id}"), &page).await.text();
        assert!(html.contains(&format!("/acheteur/plis/{current}/fichiers/1")), "{html}");
        assert!(html.contains("Hors délai : conservé, jamais ouvert"));
        assert!(html.contains("Remplacé par un pli plus récent"));
        let actions: Vec<String> = env
            .store
            .audit_for(&format!("consultation:{id}"))
            .await
            .unwrap()
            .iter()
            .map(|e| e.action.clone())
            .collect();
        for a in ["ouverture.deverrouillee", "ouverture.candidatures", "ouverture.offres", "pli.fichier_ouvert"] {
            assert!(actions.iter().any(|x| x == a), "{a} audited");
        }
    })
    .await;
}

#[tokio::test]
async fn the_test_consultation_takes_test_deposits_and_is_never_listed() {
    for_each_backend("bid_test_consultation", async |env| {
        let id = env.app.ensure_test_consultation().await.unwrap();
        assert_eq!(env.app.ensure_test_consultation().await.unwrap(), id, "made once");
        let r = env.get("/consultation-de-test", &ANON).await;
        r.expect_redirect(&format!("/consultations/{id}"));
        let page = env.get(&format!("/consultations/{id}"), &env.firm.page()).await;
        assert!(page.text().contains("Consultation de test"));
        assert!(page.text().contains("Déposer un pli"));
        let listed = env.get("/api/v1/consultations", &ANON).await.json();
        assert!(listed["items"].as_array().unwrap().iter().all(|c| c["id"] != id), "never listed");
        let r = deposit(&env, &format!("/api/v1/consultations/{id}/bids"), &env.firm.api(), &two_files()[..2]).await;
        r.expect(201);
        let key = receipt_key(&env.get("/.well-known/halle/receipt-key", &ANON).await);
        let receipt = vault::receipt::verify(&r.body, &key).unwrap();
        assert_eq!(receipt["test"], true);
        // Real consultations' receipts say they are not tests.
        let (real, _) = env.published("Vraie consultation").await;
        let r = deposit(&env, &format!("/api/v1/consultations/{real}/bids"), &env.firm.api(), &two_files()).await;
        assert_eq!(vault::receipt::verify(&r.body, &key).unwrap()["test"], false);
        // Nobody can open test plis: no committee.
        assert!(env.store.consultation_key(id).await.unwrap().committee.is_empty());
    })
    .await;
}

/// The text of a PDF as `pdftotext` (poppler-utils, installed by `cargo xtask test`) reads it.
fn pdf_text(pdf: &[u8]) -> String {
    assert!(pdf.starts_with(b"%PDF-"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("document.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (Debian poppler-utils) reads the PDF");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

fn hash(hex_text: &str) -> vault::merkle::Hash {
    hex::decode(hex_text).unwrap().try_into().unwrap()
}

#[tokio::test]
async fn receipts_are_in_the_transparency_log_and_deposits_are_frozen_at_the_deadline() {
    for_each_backend("transparency", async |env| {
        let key = receipt_key(&env.get("/.well-known/halle/receipt-key", &ANON).await);
        let (id, _) = env.published("Maintenance des ascenseurs").await;
        let draft = env.create(&env.buyer_a, &minimal("Brouillon")).await;
        let path = format!("/api/v1/consultations/{id}/bids");
        let mut receipts = Vec::new();
        for _ in 0..3 {
            let r = deposit(&env, &path, &env.firm.api(), &two_files()).await;
            r.expect(201);
            receipts.push(r.body.clone());
            env.advance(SignedDuration::from_mins(1));
        }
        let head = env.get("/api/v1/transparency/head", &ANON).await;
        head.expect(200);
        let head = vault::receipt::verify(&head.body, &key).expect("a signed tree head");
        assert_eq!(head["tree_size"], 3);
        let root = hash(head["root_hash"].as_str().unwrap());

        // Each receipt proves its place in the log, from its own bytes.
        for document in &receipts {
            let receipt = vault::receipt::verify(document, &key).unwrap();
            let bid = receipt["bid"].as_i64().unwrap();
            let proof = env.get(&format!("/api/v1/transparency/proof?bid={bid}"), &ANON).await.json();
            let path: Vec<vault::merkle::Hash> =
                proof["audit_path"].as_array().unwrap().iter().map(|h| hash(h.as_str().unwrap())).collect();
            let leaf = vault::merkle::leaf_hash(document);
            let index = proof["leaf_index"].as_u64().unwrap();
            assert!(vault::merkle::verify_inclusion(&leaf, index, 3, &path, &root));
            let mut altered = document.clone();
            altered[10] ^= 1;
            assert!(!vault::merkle::verify_inclusion(&vault::merkle::leaf_hash(&altered), index, 3, &path, &root));
        }

        // The log only grows: the tree of 1 leaf is a prefix of the tree of 3.
        let first_root = {
            let leaf = vault::merkle::leaf_hash(&receipts[0]);
            vault::merkle::root(&[leaf])
        };
        let c = env.get("/api/v1/transparency/consistency?from=1&to=3", &ANON).await.json();
        let proof: Vec<vault::merkle::Hash> =
            c["proof"].as_array().unwrap().iter().map(|h| hash(h.as_str().unwrap())).collect();
        assert_eq!(hash(c["from_root"].as_str().unwrap()), first_root);
        assert!(vault::merkle::verify_consistency(1, 3, &first_root, &root, &proof));
        env.get("/api/v1/transparency/consistency?from=2&to=9", &ANON).await.expect_problem(422, "to");

        // Before the deadline there is no statement; at the deadline the watch freezes it.
        env.get(&format!("/api/v1/consultations/{id}/deposits/statement"), &ANON).await.expect(409);
        assert_eq!(env.app.freeze_due_statements().await.unwrap(), 0);
        env.set_time(at("2026-12-15T12:00:00+01:00"));
        assert_eq!(env.app.freeze_due_statements().await.unwrap(), 1, "frozen at the deadline, unasked");
        assert!(env.store.deposit_statement(id).await.unwrap().is_some());
        assert_eq!(env.app.freeze_due_statements().await.unwrap(), 0, "once");
        let late = deposit(&env, &path, &env.api_token(&env.firm).await, &two_files()).await;
        late.expect(201);
        let statement = env.get(&format!("/api/v1/consultations/{id}/deposits/statement"), &ANON).await;
        statement.expect(200);
        let body = statement.body.clone();
        let s = vault::receipt::verify(&body, &key).expect("a signed statement");
        let listed: Vec<String> =
            s["deposits"].as_array().unwrap().iter().map(|d| d["leaf_hash"].as_str().unwrap().to_string()).collect();
        let expected: Vec<String> = receipts.iter().map(|r| hex::encode(vault::merkle::leaf_hash(r))).collect();
        assert_eq!(listed, expected, "exactly the plis in time, not the late one");
        assert_eq!(s["tree_size"], 3, "the log as it stood at the deadline, before the late pli");
        // Frozen: asked again later, the very same bytes.
        env.advance(SignedDuration::from_hours(2));
        assert_eq!(env.get(&format!("/api/v1/consultations/{id}/deposits/statement"), &ANON).await.body, body);
        // A draft has none.
        env.get(&format!("/api/v1/consultations/{draft}/deposits/statement"), &ANON).await.expect(404);
    })
    .await;
}

#[tokio::test]
async fn the_award_records_the_essential_data_and_tells_the_others() {
    for_each_backend("award", async |env| {
        let (id, _) = env.published("Travaux de couverture").await;
        // A second firm deposits too.
        env.app
            .register_firm(&app::FirmRegistration {
                siret: "35600000000048".into(),
                name: "Toitures Martin".into(),
                size: "micro".into(),
                address: "3 rue Haute, 93100 Montreuil".into(),
                departement: "93".into(),
                user_name: "Marc Martin".into(),
                email: "marc@toitures.test".into(),
                password: crate::support::PASSWORD.into(),
            })
            .await
            .unwrap();
        let second = {
            let r = env
                .post_json(
                    "/api/v1/auth/token",
                    &ANON,
                    &json!({"email": "marc@toitures.test", "password": crate::support::PASSWORD}),
                )
                .await;
            Auth::Bearer(r.json()["token"].as_str().unwrap().to_string())
        };
        let path = format!("/api/v1/consultations/{id}/bids");
        deposit(&env, &path, &env.firm.api(), &two_files()).await.expect(201);
        deposit(&env, &path, &second, &two_files()).await.expect(201);
        let body = json!({
            "lot": 1,
            "titulaire": {"siret": "73282932000074", "name": "Peintures Dupont"},
            "sous_traitants": [{"siret": "35600000000048", "name": "Toitures Martin", "amount_cents": 500000}],
            "amount_cents": 4_800_000, "notified_on": "2027-01-10", "duration_months": 12,
            "price_form": "Forfaitaire", "price_types": ["Définitif révisable"], "ccag": "Travaux",
            "techniques": ["Accord-cadre"], "modalities": ["Bons de commande", "Tranches"],
            "innovative": true, "advance": true, "advance_percent": 5.5
        });
        let awards = format!("/api/v1/consultations/{id}/awards");
        env.post_json(&awards, &env.buyer_a.api(), &body).await.expect(409);

        env.set_time(at("2026-12-16T09:00:00+01:00"));
        let buyer = env.api_token(&env.buyer_a).await;
        env.post_json(&awards, &env.api_token(&env.buyer_b).await, &body).await.expect(403);
        let mut bad = body.clone();
        bad["titulaire"]["siret"] = json!("12345678901234");
        bad["price_form"] = json!("Global");
        bad["price_types"] = json!([]);
        bad["ccag"] = json!("CCAG-X");
        bad["advance_percent"] = json!(150);
        let problem = env.post_json(&awards, &buyer, &bad).await.expect_problem(422, "titulaire.siret");
        for field in ["price_form", "price_types", "ccag", "advance_percent"] {
            assert!(problem["errors"].as_array().unwrap().iter().any(|e| e["field"] == field), "{field}: {problem}");
        }
        // Two plis came on Halle: fewer offers received is not possible.
        let mut fewer = body.clone();
        fewer["offers_received"] = json!(1);
        env.post_json(&awards, &buyer, &fewer).await.expect_problem(422, "offers_received");

        let r = env.post_json(&awards, &buyer, &body).await;
        r.expect(201);
        let c = r.json();
        assert_eq!(c["status"], "attribuee", "its only lot is awarded");
        let a = &c["awards"][0];
        assert_eq!(
            (a["lot"].as_i64(), a["amount_cents"].as_i64(), a["offers_received"].as_i64()),
            (Some(1), Some(4_800_000), Some(2))
        );
        assert_eq!(a["price_types"], json!(["Définitif révisable"]));
        assert_eq!(
            (&a["ccag"], &a["techniques"], &a["modalities"], &a["innovative"], &a["advance"], &a["advance_percent"]),
            (
                &json!("Travaux"),
                &json!(["Accord-cadre"]),
                &json!(["Bons de commande", "Tranches"]),
                &json!(true),
                &json!(true),
                &json!(5.5)
            )
        );
        assert_eq!(a["grouping"], "Pas de groupement");
        assert_eq!(a["holders"][1]["role"], "sous-traitant");
        // Public, as essential data are.
        let public = env.get(&format!("/api/v1/consultations/{id}"), &ANON).await.json();
        assert_eq!(public["awards"][0]["holders"][0]["name"], "Peintures Dupont");
        let page = env.get(&format!("/consultations/{id}"), &ANON).await.text();
        assert!(page.contains("Attribution") && page.contains("48\u{202f}000,00 € HT"), "{page}");
        assert!(
            page.contains("CCAG : Travaux ; technique : Accord-cadre") && page.contains("avance de 5,5 %"),
            "{page}"
        );
        // The firm not retained is told; the winner is not.
        let mails = env.store.unsent_emails().await.unwrap();
        assert!(
            mails.iter().any(|m| m.recipient == "marc@toitures.test" && m.subject.starts_with("Offre non retenue"))
        );
        assert!(!mails.iter().any(|m| m.recipient == env.firm.email && m.subject.starts_with("Offre non retenue")));
        // Once is enough.
        env.post_json(&awards, &buyer, &body).await.expect_problem(422, "lot");
    })
    .await;
}

#[tokio::test]
async fn the_award_form_takes_several_partners_and_asks_for_paper_offers() {
    for_each_backend("award_form", async |env| {
        let (id, _) = env.published("Travaux de couverture").await;
        env.set_time(at("2026-12-16T09:00:00+01:00"));
        let path = format!("/acheteur/consultations/{id}/attribution");
        let (buyer, other) = (env.sign_in(&env.buyer_a).await, env.sign_in(&env.buyer_b).await);
        let api = env.api_token(&env.buyer_a).await;
        let awards = async || env.get(&format!("/api/v1/consultations/{id}"), &api).await.json()["awards"].clone();
        let manage = env.get(&format!("/acheteur/consultations/{id}"), &buyer).await;
        let manage = manage.expect(200).text();
        for choice in ["Maîtrise d’œuvre", "Système d’acquisition dynamique", "Marchés subséquents", "Provisoire"]
        {
            assert!(manage.contains(choice), "{choice}: {manage}");
        }
        let mut form = vec![
            ("lot", "1"),
            ("titulaire_siret", "73282932000074"),
            ("titulaire_name", "Peintures Dupont"),
            ("cotraitant_1_siret", "35600000000048"),
            ("cotraitant_1_name", "La Poste"),
            ("cotraitant_2_siret", "73282932000074"),
            ("cotraitant_2_name", "Second cotraitant"),
            ("sous_traitant_3_siret", "35600000000048"),
            ("sous_traitant_3_name", "Sous-traitant"),
            ("sous_traitant_3_amount", "1 500,50"),
            ("grouping", "Solidaire"),
            ("amount", "48 000"),
            ("notified_on", "2027-01-10"),
            ("duration_months", "24"),
            ("price_form", "Unitaire"),
            ("price_types", "Définitif actualisable"),
            ("price_types", "Provisoire"),
            ("techniques", "Accord-cadre"),
            ("modalities", "Bons de commande"),
            ("ccag", "Maitrise d'œuvre"),
            ("advance", "oui"),
        ];
        // No pli was deposited on Halle: the buyer must say how many offers came.
        let r = env.post_form(&path, &buyer, &form).await;
        assert!(r.text().contains("indiquez le nombre d’offres reçues"), "{}", r.text());
        assert_eq!(awards().await, json!([]), "nothing half-saved");
        form.push(("offers_received", "trois"));
        assert!(env.post_form(&path, &buyer, &form).await.text().contains("au moins 1"));
        form.pop();
        form.push(("offers_received", "3"));
        // Another organisation's buyer may not.
        env.post_form(&path, &other, &form).await.expect(403);
        env.post_form(&path, &buyer, &form).await.expect(303);
        let a = &awards().await[0];
        let roles: Vec<&str> = a["holders"].as_array().unwrap().iter().map(|h| h["role"].as_str().unwrap()).collect();
        assert_eq!(roles, ["titulaire", "cotraitant", "cotraitant", "sous-traitant"]);
        assert_eq!(a["holders"][3]["amount_cents"], 150_050);
        assert_eq!(
            (&a["grouping"], &a["offers_received"], &a["ccag"], &a["advance"], &a["advance_percent"]),
            (&json!("Solidaire"), &json!(3), &json!("Maitrise d'œuvre"), &json!(true), &Value::Null)
        );
        assert_eq!(a["price_types"], json!(["Définitif actualisable", "Provisoire"]));
    })
    .await;
}

#[tokio::test]
async fn backup_copies_open_only_in_the_legal_cases() {
    for_each_backend("backup_copies", async |env| {
        let (id, _) = env.published("Fourniture de denrées").await;
        let declare = format!("/api/v1/consultations/{id}/backup-copies");
        env.post_json(&declare, &env.buyer_a.api(), &json!({"medium": "papier"})).await.expect(403);
        env.post_json(&declare, &env.firm.api(), &json!({"medium": "pigeon"})).await.expect_problem(422, "medium");
        // From the page, as a firm does.
        env.post_form(&format!("/consultations/{id}/copies-de-sauvegarde"), &env.firm.page(), &[("medium", "papier")])
            .await
            .expect_redirect(&format!("/consultations/{id}?copie=1#depot"));
        let copy = env.post_json(&declare, &env.firm.api(), &json!({"medium": "papier"})).await;
        copy.expect(201);
        let copy = copy.json()["id"].as_i64().unwrap();
        // The firm's electronic transmission begins before the deadline.
        deposit(&env, &format!("/api/v1/consultations/{id}/bids"), &env.firm.api(), &two_files()).await.expect(201);
        let event = |e: &str| format!("/api/v1/backup-copies/{copy}/{e}");
        env.post_json(&event("received"), &env.buyer_b.api(), &json!({})).await.expect(403);
        env.post_json(&event("received"), &env.buyer_a.api(), &json!({})).await.expect(204);
        // Not before the deadline, not without a legal case.
        env.post_json(&event("open"), &env.buyer_a.api(), &json!({"reason": "programme_malveillant"}))
            .await
            .expect(409);
        env.set_time(at("2026-12-15T13:00:00+01:00"));
        let buyer = env.api_token(&env.buyer_a).await;
        env.post_json(&event("open"), &buyer, &json!({"reason": "curiosité"})).await.expect_problem(422, "reason");
        env.post_json(&event("open"), &buyer, &json!({"reason": "pli_incomplet_tardif_ou_illisible"}))
            .await
            .expect(204);
        env.post_json(&event("destroy"), &buyer, &json!({})).await.expect(409);
        let list = env.get(&declare, &buyer).await.json();
        assert_eq!(list["items"][1]["open_reason"], "pli_incomplet_tardif_ou_illisible");
        // The pages: the buyer sees the copy and what became of it.
        let page = env.sign_in(&env.buyer_a).await;
        let html = env.get(&format!("/acheteur/consultations/{id}"), &page).await.text();
        assert!(html.contains("Copies de sauvegarde") && html.contains("Ouverte le"), "{html}");
        // Declaring after the deadline is refused.
        let firm = env.api_token(&env.firm).await;
        env.post_json(&declare, &firm, &json!({"medium": "papier"})).await.expect(409);
    })
    .await;
}

#[tokio::test]
async fn an_interrupted_upload_leaves_no_bid_and_no_file() {
    for_each_backend("bid_interrupted", async |env| {
        let (id, _) = env.published("Entretien de la voirie").await;
        let boundary = "----halle-cut";
        let head = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"candidature\"; filename=\"DC1.pdf\"\r\n\r\n{}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"offre\"; filename=\"AE.pdf\"\r\n\r\n",
            "candidature complète"
        );
        // The connection breaks in the middle of the second file.
        let chunks: Vec<Result<Vec<u8>, std::io::Error>> = vec![
            Ok(head.into_bytes()),
            Ok(vec![b'x'; 100_000]),
            Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "client gone")),
        ];
        let body = Body::from_stream(futures_util::stream::iter(chunks));
        let r = env
            .send(
                Env::request(Method::POST, &format!("/api/v1/consultations/{id}/bids"), &env.firm.api())
                    .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
                    .body(body)
                    .unwrap(),
            )
            .await;
        assert!(r.status.is_client_error() || r.status.is_server_error(), "{}", r.status);
        assert_ne!(r.status.as_u16(), 201);
        assert_eq!(env.store.bid_count(id).await.unwrap(), 0, "no bid");
        let left: Vec<_> =
            walk(env.vault_dir.path()).into_iter().filter(|p| !p.to_string_lossy().contains("cles")).collect();
        assert_eq!(left.len(), 1, "only the DCE document remains, nothing of the pli: {left:?}");
        assert!(env.store.unsent_emails().await.unwrap().iter().all(|m| !m.subject.starts_with("Accusé")));
    })
    .await;
}

#[tokio::test]
async fn offers_open_lot_by_lot() {
    for_each_backend("lot_by_lot", async |env| {
        let mut body = minimal("Deux lots");
        body["lots"] = json!([{"title": "Peinture"}, {"title": "Sols"}]);
        let id = env.create(&env.buyer_a, &body).await;
        env.publish(&env.buyer_a, id).await;
        deposit(
            &env,
            &format!("/api/v1/consultations/{id}/bids"),
            &env.firm.api(),
            &[("candidature", Some("DC1.pdf"), CANDIDATURE), ("offre", Some("AE.pdf"), OFFRE), ("lots", None, b"2")],
        )
        .await
        .expect(201);
        env.set_time(at("2026-12-16T09:00:00+01:00"));
        let buyer = env.api_token(&env.buyer_a).await;
        let opening = |what: &str| format!("/api/v1/consultations/{id}/opening/{what}");
        env.post_json(&opening("unlock"), &buyer, &json!({"secret": env.opening_secrets[0]})).await.expect(200);
        env.post_json(&opening("candidature"), &buyer, &json!({})).await.expect(200);
        let bid = env.store.bids(id).await.unwrap()[0].id;
        let offer = format!("/api/v1/bids/{bid}/files/1");
        let state = env.post_json(&opening("offre"), &buyer, &json!({"lot": 1})).await;
        state.expect(200);
        assert_eq!(state.json()["offres_opened_lots"], json!([1]));
        assert_eq!(state.json()["offres_opened"], false);
        env.get(&offer, &buyer).await.expect(409);
        let state = env.post_json(&opening("offre"), &buyer, &json!({"lot": 2})).await.json();
        assert_eq!(state["offres_opened"], true);
        assert_eq!(env.get(&offer, &buyer).await.body, OFFRE);
        env.post_json(&opening("offre"), &buyer, &json!({"lot": 3})).await.expect_problem(422, "lot");
    })
    .await;
}

#[tokio::test]
async fn a_storage_failure_gives_a_clear_error_and_no_receipt() {
    for_each_backend("bid_storage_failure", async |env| {
        let (id, _) = env.published("Nettoyage des vitres").await;
        // The storage breaks: its work folder is no longer a folder.
        let tmp = env.vault_dir.path().join("tmp");
        std::fs::remove_dir_all(&tmp).unwrap();
        std::fs::write(&tmp, b"not a folder").unwrap();
        let path = format!("/api/v1/consultations/{id}/bids");
        let r = deposit(&env, &path, &env.firm.api(), &two_files()).await;
        r.expect(503);
        assert!(r.json()["detail"].as_str().unwrap().contains("aucun accusé de réception"));
        assert_eq!(env.store.bid_count(id).await.unwrap(), 0);
        // Repaired, the same deposit goes through.
        std::fs::remove_file(&tmp).unwrap();
        std::fs::create_dir(&tmp).unwrap();
        deposit(&env, &path, &env.firm.api(), &two_files()).await.expect(201);
    })
    .await;
}
