//! Bad input and security: every buyer route refused to everyone but the buyer's
//! organisation, cross-site posts refused, login attempts limited, session cookie attributes,
//! problem details naming the field, and the upload size limit.

use app::Config;
use axum::body::Body;
use axum::http::{Method, Request, header};
use jiff::SignedDuration;
use serde_json::{Value, json};
use web::WebConfig;

use crate::support::{
    ANON, Account, Auth, Env, PASSWORD, Res, for_each_backend, for_each_backend_with, minimal, multipart, visible,
};

/// What a buyer of organisation A owns: a draft with a document, and a published
/// consultation with a document, a download and a question.
struct Targets {
    draft: i64,
    draft_doc: i64,
    open: i64,
    open_doc: i64,
    question: i64,
}

async fn targets(env: &Env) -> Targets {
    let draft = env.create(&env.buyer_a, &minimal("Brouillon confidentiel")).await;
    let draft_doc = env.upload(&env.buyer_a, draft, "confidentiel.pdf", b"draft").await;
    let (open, open_doc) = env.published("Consultation ouverte").await;
    env.get(&format!("/consultations/{open}/dce?email=veille%40exemple.fr"), &ANON).await.expect(200);
    let r = env
        .post_json(
            &format!("/api/v1/consultations/{open}/questions"),
            &env.firm.api(),
            &json!({"question": "Allotissement ?"}),
        )
        .await;
    r.expect(201);
    Targets { draft, draft_doc, open, open_doc, question: r.json()["id"].as_i64().unwrap() }
}

/// Everything that must not change, as the owner sees it.
async fn snapshot(env: &Env, t: &Targets) -> Value {
    json!({
        "draft": env.owner_view(t.draft).await,
        "open": env.owner_view(t.open).await,
        "register": env.register(t.open).await,
        "audit": env.audit_len().await,
        "emails": env.store.unsent_emails().await.unwrap().len(),
        "mine": env.store.organisation_consultations(env.org_a).await.unwrap().len(),
    })
}

enum Call {
    Get(String),
    Form(String, Vec<(&'static str, String)>),
    Json(Method, String, Value),
    Upload(String, &'static str),
}

/// Every buyer route, for one consultation: pages then API.
fn buyer_routes(id: i64, doc: i64, question: Option<i64>) -> (Vec<Call>, Vec<Call>) {
    let form: Vec<(&'static str, String)> = [
        ("title", "Piraté"),
        ("object", "Piraté"),
        ("nature", "travaux"),
        ("procedure", "mapa"),
        ("cpv", "45442100-8"),
        ("departement", "93"),
        ("bid_deadline", "2026-12-20T12:00"),
        ("reason", "Piraté"),
    ]
    .iter()
    .map(|(k, v)| (*k, v.to_string()))
    .collect();
    let mut body = minimal("Piraté");
    body["reason"] = json!("Piraté");
    let mut pages = vec![
        Call::Get(format!("/acheteur/consultations/{id}")),
        Call::Get(format!("/acheteur/consultations/{id}/modifier")),
        Call::Form(format!("/acheteur/consultations/{id}/modifier"), form),
        Call::Form(format!("/acheteur/consultations/{id}/publier"), vec![]),
        Call::Form(format!("/acheteur/consultations/{id}/statut"), vec![("status", "sans_suite".into())]),
        Call::Upload(format!("/acheteur/consultations/{id}/documents"), "fichier"),
        Call::Form(format!("/acheteur/consultations/{id}/documents/{doc}/retirer"), vec![]),
    ];
    let mut api = vec![
        Call::Json(Method::PUT, format!("/api/v1/consultations/{id}"), body),
        Call::Json(Method::POST, format!("/api/v1/consultations/{id}/publish"), json!({})),
        Call::Json(Method::POST, format!("/api/v1/consultations/{id}/status"), json!({"status": "sans_suite"})),
        Call::Upload(format!("/api/v1/consultations/{id}/documents"), "file"),
        Call::Get(format!("/api/v1/consultations/{id}/downloads")),
    ];
    if let Some(q) = question {
        pages.push(Call::Form(format!("/acheteur/questions/{q}/reponse"), vec![("answer", "Piraté".into())]));
        api.push(Call::Json(Method::POST, format!("/api/v1/questions/{q}/answer"), json!({"answer": "Piraté"})));
    }
    (pages, api)
}

async fn call(env: &Env, c: &Call, auth: &Auth) -> Res {
    match c {
        Call::Get(p) => env.get(p, auth).await,
        Call::Form(p, f) => {
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            env.post_form(p, auth, &f).await
        }
        Call::Json(m, p, b) => env.send_json(m.clone(), p, auth, b).await,
        Call::Upload(p, field) => env.post_multipart(p, auth, field, &[("malveillant.exe", b"MZ")]).await,
    }
}

#[tokio::test]
async fn every_buyer_route_refuses_everyone_but_the_buyers_organisation() {
    for_each_backend("security_matrix", async |env| {
        let t = targets(&env).await;
        let before = snapshot(&env, &t).await;
        let intruders: [(&str, Option<&Account>); 5] = [
            ("buyer of another organisation", Some(&env.buyer_b)),
            ("firm", Some(&env.firm)),
            ("facilitator", Some(&env.facilitator)),
            ("platform administrator", Some(&env.admin)),
            ("anonymous", None),
        ];
        let mut tried = 0;
        for (who, account) in &intruders {
            let (page_auth, api_auth) = match account {
                Some(a) => (a.page(), a.api()),
                None => (ANON, ANON),
            };
            for (id, doc, q, is_draft) in
                [(t.draft, t.draft_doc, None, true), (t.open, t.open_doc, Some(t.question), false)]
            {
                let (pages, api) = buyer_routes(id, doc, q);
                for c in &pages {
                    let r = call(&env, c, &page_auth).await;
                    tried += 1;
                    let s = r.status.as_u16();
                    if account.is_none() {
                        assert!(
                            r.status.is_redirection() && r.location().is_some_and(|l| l.starts_with("/connexion")),
                            "{who}: {} → {s}, expected a redirect to /connexion",
                            r.what
                        );
                    } else {
                        assert!(matches!(s, 403 | 404), "{who}: {} → {s}: {}", r.what, r.text());
                        // In French, and revealing nothing of the consultation.
                        let text = visible(&r.text());
                        assert!(
                            text.contains("Accès refusé") || text.contains("Introuvable"),
                            "{who}: {}: {text}",
                            r.what
                        );
                        assert!(
                            !text.contains("Brouillon confidentiel") && !text.contains("Allotissement"),
                            "{who}: {}",
                            r.what
                        );
                    }
                    // Another organisation's buyer must not even learn a draft exists.
                    if is_draft && *who == "buyer of another organisation" {
                        assert_eq!(s, 404, "{who}: {}", r.what);
                    }
                }
                for c in &api {
                    let r = call(&env, c, &api_auth).await;
                    tried += 1;
                    let s = r.status.as_u16();
                    let expected: &[u16] = if account.is_none() { &[401] } else { &[403, 404] };
                    assert!(expected.contains(&s), "{who}: {} → {s}: {}", r.what, r.text());
                    assert_eq!(r.header("content-type"), Some("application/problem+json"), "{who}: {}", r.what);
                    if is_draft && *who == "buyer of another organisation" {
                        assert_eq!(s, 404, "{who}: {}", r.what);
                    }
                }
            }
        }
        // Creating is for buyers too.
        for (who, auth) in
            [("firm", env.firm.api()), ("facilitator", env.facilitator.api()), ("admin", env.admin.api())]
        {
            let r = env.post_json("/api/v1/consultations", &auth, &minimal("Intrus")).await;
            assert_eq!(r.status.as_u16(), 403, "{who}");
        }
        env.post_json("/api/v1/consultations", &ANON, &minimal("Intrus")).await.expect(401);
        let form = [
            ("title", "Intrus"),
            ("object", "x"),
            ("nature", "travaux"),
            ("procedure", "mapa"),
            ("cpv", "45442100-8"),
            ("departement", "93"),
            ("bid_deadline", "2026-12-20T12:00"),
        ];
        for auth in [env.firm.page(), env.facilitator.page()] {
            env.post_form("/acheteur/consultations/nouvelle", &auth, &form).await.expect(403);
            env.get("/acheteur", &auth).await.expect(403);
            env.get("/acheteur/consultations/nouvelle", &auth).await.expect(403);
        }
        env.post_form("/acheteur/consultations/nouvelle", &ANON, &form)
            .await
            .expect_redirect("/connexion?suite=%2Facheteur%2Fconsultations%2Fnouvelle");
        env.get("/acheteur", &ANON).await.expect_redirect("/connexion?suite=%2Facheteur");
        assert!(tried >= 100, "{tried} attempts");

        // Nothing changed.
        assert_eq!(snapshot(&env, &t).await, before);
        // And the owner can do all of it (the matrix refuses for the right reason).
        env.get(&format!("/acheteur/consultations/{}", t.draft), &env.buyer_a.page()).await.expect(200);
        env.post_json(
            &format!("/api/v1/questions/{}/answer", t.question),
            &env.buyer_a.api(),
            &json!({"answer": "Deux lots."}),
        )
        .await
        .expect(200);
        env.post_form(&format!("/acheteur/consultations/{}/publier", t.draft), &env.buyer_a.page(), &[])
            .await
            .expect(303);
        assert_eq!(env.owner_view(t.draft).await["status"], "publiee");
    })
    .await;
}

fn publish_request(id: i64, auth: &Account, headers: &[(&str, &str)]) -> Request<Body> {
    let mut b = Env::request(Method::POST, &format!("/acheteur/consultations/{id}/publier"), &auth.page())
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    b.body(Body::empty()).unwrap()
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    for_each_backend("csrf", async |env| {
        let id = env.create(&env.buyer_a, &minimal("Cible")).await;
        env.upload(&env.buyer_a, id, "rc.pdf", b"rc").await;
        for headers in [
            vec![("sec-fetch-site", "cross-site")],
            vec![("sec-fetch-site", "same-site")],
            vec![("sec-fetch-site", "cross-site"), ("origin", "http://halle.test")],
            vec![("origin", "https://evil.example")],
            vec![("origin", "http://halle.test.evil.example")],
            vec![("origin", "null")],
        ] {
            let r = env.send(publish_request(id, &env.buyer_a, &headers)).await;
            r.expect(403);
            assert!(r.text().contains("autre site"), "{headers:?}: {}", r.text());
        }
        // The API and the login form are covered too.
        let cross = Env::request(Method::POST, &format!("/api/v1/consultations/{id}/publish"), &env.buyer_a.api())
            .header("sec-fetch-site", "cross-site")
            .body(Body::empty())
            .unwrap();
        env.send(cross).await.expect(403);
        let login = Request::post("/connexion")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("origin", "https://evil.example")
            .header(header::HOST, "halle.test")
            .body(Body::from(format!("email={}&password={}", env.buyer_a.email, PASSWORD)))
            .unwrap();
        env.send(login).await.expect(403);
        assert_eq!(env.owner_view(id).await["status"], "brouillon", "nothing changed");
        // Reading is not state-changing: a DCE link followed from another site works.
        env.publish(&env.buyer_a, id).await;
        let get = Env::request(Method::GET, &format!("/consultations/{id}/dce"), &ANON)
            .header("sec-fetch-site", "cross-site")
            .body(Body::empty())
            .unwrap();
        env.send(get).await.expect(200);
        // Same origin passes, by Sec-Fetch-Site or by Origin.
        let other = env.create(&env.buyer_a, &minimal("Cible 2")).await;
        env.send(publish_request(other, &env.buyer_a, &[("origin", "http://halle.test")])).await.expect(303);
        let third = env.create(&env.buyer_a, &minimal("Cible 3")).await;
        env.send(publish_request(third, &env.buyer_a, &[("sec-fetch-site", "same-origin")])).await.expect(303);
    })
    .await;
}

#[tokio::test]
async fn login_attempts_are_limited() {
    for_each_backend("rate_limit", async |env| {
        let email = env.buyer_a.email.clone();
        for i in 0..10 {
            let r =
                env.post_form("/connexion", &ANON, &[("email", &email), ("password", &format!("mauvais-{i}"))]).await;
            r.expect(401);
            assert!(r.header("set-cookie").is_none());
        }
        // The 11th is refused even with the right password, on the page and through the API.
        let r = env.post_form("/connexion", &ANON, &[("email", &email), ("password", PASSWORD)]).await;
        r.expect(429);
        assert!(visible(&r.text()).contains("Trop de tentatives"));
        assert!(r.header("set-cookie").is_none());
        let r = env
            .post_json("/api/v1/auth/token", &ANON, &json!({"email": email.to_uppercase(), "password": PASSWORD}))
            .await;
        r.expect(429);
        assert_eq!(r.json()["title"], "Trop de tentatives");
        // Other accounts are not locked out.
        env.post_json("/api/v1/auth/token", &ANON, &json!({"email": env.buyer_b.email, "password": PASSWORD}))
            .await
            .expect(200);
        // Sessions already open keep working.
        env.get("/acheteur", &env.buyer_a.page()).await.expect(200);
        // Fifteen minutes later, the right password works again.
        env.advance(SignedDuration::from_mins(16));
        env.post_form("/connexion", &ANON, &[("email", &email), ("password", PASSWORD)])
            .await
            .expect_redirect("/acheteur");
    })
    .await;
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_same_site() {
    for_each_backend("cookie", async |env| {
        let r = env.post_form("/connexion", &ANON, &[("email", &env.firm.email), ("password", PASSWORD)]).await;
        r.expect(303);
        let cookie = r.header("set-cookie").unwrap().to_string();
        let attrs: Vec<&str> = cookie.split(';').map(str::trim).collect();
        assert!(attrs[0].starts_with("halle_session=") && attrs[0].len() > 40, "{cookie}");
        for a in ["HttpOnly", "SameSite=Lax", "Path=/"] {
            assert!(attrs.contains(&a), "{a}: {cookie}");
        }
        assert!(!attrs.contains(&"Secure"), "plain HTTP by default: {cookie}");
        // The value is a random secret, not the user id.
        assert_ne!(attrs[0], format!("halle_session={}", env.firm.id));
        // A browser session lasts 12 hours, an API token 30 days.
        let session = Auth::Cookie(attrs[0].trim_start_matches("halle_session=").to_string());
        assert!(visible(&env.get("/", &session).await.text()).contains("Camille Dupont"));
        env.advance(SignedDuration::from_hours(13));
        assert!(!visible(&env.get("/", &session).await.text()).contains("Camille Dupont"));
        env.get("/acheteur", &env.buyer_a.page()).await.expect_redirect("/connexion?suite=%2Facheteur");
        env.post_json("/api/v1/consultations", &env.buyer_a.api(), &minimal("Jeton encore valide")).await.expect(201);
        env.advance(SignedDuration::from_hours(24 * 30));
        env.post_json("/api/v1/consultations", &env.buyer_a.api(), &minimal("Expiré")).await.expect(401);
    })
    .await;
    // Behind HTTPS the cookie is Secure.
    let db = store::test_support::sqlite().await;
    let env = Env::with_web(db, Config::default(), WebConfig { secure_cookies: true }).await;
    let r = env.post_form("/connexion", &ANON, &[("email", &env.firm.email), ("password", PASSWORD)]).await;
    r.expect(303);
    let cookie = r.header("set-cookie").unwrap();
    assert!(cookie.contains("; Secure") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
}

#[tokio::test]
async fn bad_input_gets_problem_details_naming_the_field_and_nothing_is_saved() {
    for_each_backend("bad_input", async |env| {
        let api = env.buyer_a.api();
        let with = |f: &dyn Fn(&mut Value)| {
            let mut b = minimal("Travaux");
            f(&mut b);
            b
        };
        let cases: Vec<(Value, &str, &str)> = vec![
            (with(&|b| b["cpv"] = json!("45442100-9")), "cpv", "chiffre de contrôle"),
            (with(&|b| b["cpv"] = json!("99999999-9")), "cpv", "n’existe pas"),
            (with(&|b| b["cpv"] = json!("peinture")), "cpv", "45442100-8"),
            (with(&|b| b["cpv_additional"] = json!(["1234"])), "cpv_additional", "CPV"),
            (with(&|b| b["bid_deadline"] = json!("15/12/2026")), "bid_deadline", "n’est pas une date valide"),
            (with(&|b| b["bid_deadline"] = json!("2026-02-30T12:00")), "bid_deadline", "date"),
            (with(&|b| b["bid_deadline"] = json!("2025-12-15T12:00:00+01:00")), "bid_deadline", "dans le futur"),
            (with(&|b| b["questions_deadline"] = json!("2027-01-01T12:00")), "questions_deadline", "précéder"),
            (with(&|b| b["estimated_value_cents"] = json!(-100)), "estimated_value_cents", "positif"),
            (with(&|b| b["estimated_value_cents"] = json!("douze mille")), "estimated_value_cents", "JSON"),
            (with(&|b| b["estimated_value_cents"] = json!(12.5)), "estimated_value_cents", "JSON"),
            (with(&|b| b["lots"][0]["estimated_value_cents"] = json!(-1)), "lots[0].estimated_value_cents", "positif"),
            (with(&|b| b["lots"][0]["cpv"] = json!("00000000-0")), "lots[0].cpv", "CPV"),
            (with(&|b| b["lots"][0]["title"] = json!("")), "lots[0].title", "obligatoire"),
            (with(&|b| b["departement"] = json!("13")), "departement", "Île-de-France"),
            (with(&|b| b["departement"] = json!("")), "departement", "Île-de-France"),
            (with(&|b| b["commune"] = json!("13055")), "commune", "commune d’Île-de-France"),
            (with(&|b| b["nature"] = json!("plomberie")), "nature", "travaux, fournitures, services"),
            (with(&|b| b["procedure"] = json!("gre-a-gre")), "procedure", "mapa"),
            (with(&|b| b["social_considerations"] = json!(["Clause verte"])), "social_considerations", "inconnu"),
            (with(&|b| b["title"] = json!("   ")), "title", "obligatoire"),
            (with(&|b| b["title"] = json!(42)), "title", "JSON"),
            (with(&|b| b["lots"] = json!("deux")), "lots", "JSON"),
            (
                with(&|b| {
                    b["estimated_value_cents"] = json!(30_000_000);
                    b["nature"] = json!("services");
                }),
                "procedure",
                "seuil européen",
            ),
        ];
        for (body, field, message) in &cases {
            let r = env.post_json("/api/v1/consultations", &api, body).await;
            let p = r.expect_problem(422, field);
            let detail = p["detail"].as_str().unwrap();
            assert!(detail.contains(message), "{field}: {detail}");
        }
        // Several mistakes at once: each named.
        let r = env
            .post_json(
                "/api/v1/consultations",
                &api,
                &json!({"title": "", "nature": "x", "cpv": "1", "departement": "13", "bid_deadline": "hier"}),
            )
            .await;
        let p = r.expect_problem(422, "title");
        let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        for f in ["title", "object", "nature", "procedure", "cpv", "departement", "bid_deadline"] {
            assert!(fields.contains(&f), "{f}: {fields:?}");
        }
        // Not JSON at all.
        for raw in ["{\"title\": ", "[1, 2]", "null"] {
            let req = Env::request(Method::POST, "/api/v1/consultations", &api)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(raw))
                .unwrap();
            env.send(req).await.expect_problem(422, "body");
        }
        // The same checks on an edit, and the PUT changes nothing.
        let id = env.create(&env.buyer_a, &minimal("Valide")).await;
        let before = env.owner_view(id).await;
        let r = env
            .put_json(&format!("/api/v1/consultations/{id}"), &api, &with(&|b| b["departement"] = json!("2A")))
            .await;
        r.expect_problem(422, "departement");
        assert_eq!(env.owner_view(id).await, before);
        // Nothing was saved but that one valid consultation.
        assert_eq!(env.store.organisation_consultations(env.org_a).await.unwrap().len(), 1);

        // On the page: the French message beside each field, what was typed kept.
        let r = env
            .post_form(
                "/acheteur/consultations/nouvelle",
                &env.buyer_a.page(),
                &[
                    ("title", "Titre gardé"),
                    ("object", "o"),
                    ("nature", "travaux"),
                    ("procedure", "mapa"),
                    ("cpv", "45442100-9"),
                    ("departement", "13"),
                    ("estimated_value", "12,345"),
                    ("bid_deadline", "31/12/2026"),
                    ("lots[0].title", ""),
                    ("lots[0].cpv", "45442100-8"),
                    ("lots[0].estimated_value", ""),
                ],
            )
            .await;
        r.expect(422);
        let html = r.text();
        assert!(html.contains("value=\"Titre gardé\""));
        for (field, input, message) in [
            ("cpv", "id=\"cpv\"", "chiffre de contrôle"),
            ("estimated_value", "id=\"estimated_value\"", "n’est pas un montant en euros valide"),
            ("bid_deadline", "id=\"bid_deadline\"", "n’est pas une date valide"),
            ("place", "id=\"departement\"", "n’est pas en Île-de-France"),
        ] {
            let e = html.find(&format!("id=\"{field}-erreur\"")).unwrap_or_else(|| panic!("{field}: {html}"));
            let i = html.find(input).unwrap();
            assert!(e < i && i - e < 400, "{field}: the message sits just before its field");
            assert!(visible(&html[e..i]).contains(message), "{field}: {}", visible(&html[e..i]));
        }
        assert!(visible(&html).contains("Le titre du lot 1 est obligatoire"));
        assert_eq!(env.store.organisation_consultations(env.org_a).await.unwrap().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn uploads_over_the_limit_are_refused_and_not_kept() {
    let config = Config { max_upload_bytes: 1024, ..Config::default() };
    for_each_backend_with("upload_limit", config, async |env| {
        let id = env.create(&env.buyer_a, &minimal("Limite")).await;
        // Exactly the limit is accepted.
        env.upload(&env.buyer_a, id, "juste.pdf", &[7u8; 1024]).await;
        let big = vec![1u8; 4096];
        let r = env
            .post_multipart(
                &format!("/api/v1/consultations/{id}/documents"),
                &env.buyer_a.api(),
                "file",
                &[("gros.pdf", &big)],
            )
            .await;
        let p = r.expect(413).json();
        assert_eq!(p["title"], "Fichier trop volumineux");
        assert_eq!(r.header("content-type"), Some("application/problem+json"));
        let r = env
            .post_multipart(
                &format!("/acheteur/consultations/{id}/documents"),
                &env.buyer_a.page(),
                "fichier",
                &[("gros.pdf", &big)],
            )
            .await;
        r.expect(413);
        assert!(visible(&r.text()).contains("Fichier trop volumineux"));
        // A body far over any limit is refused as well.
        let huge = vec![0u8; 2 * 1024 * 1024];
        let (ct, body) = multipart("file", &[("enorme.bin", &huge)]);
        let req = Env::request(Method::POST, &format!("/api/v1/consultations/{id}/documents"), &env.buyer_a.api())
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(body))
            .unwrap();
        env.send(req).await.expect(413);
        let docs = env.owner_view(id).await["documents"].as_array().unwrap().clone();
        assert_eq!(docs.len(), 1, "{docs:?}");
        assert_eq!(docs[0]["name"], "juste.pdf");
        // Nothing of the refused files is left in storage.
        let files = count_files(env.vault_dir.path());
        assert_eq!(files, 1, "only the accepted file is stored");
        // Other request bodies are capped small.
        let mut b = minimal("Énorme");
        b["object"] = json!("x".repeat(300 * 1024));
        let r = env.post_json("/api/v1/consultations", &env.buyer_a.api(), &b).await;
        assert!(matches!(r.status.as_u16(), 413 | 422), "{}", r.status);
        assert_eq!(env.store.organisation_consultations(env.org_a).await.unwrap().len(), 1);
    })
    .await;
}

fn count_files(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| if e.file_type().unwrap().is_dir() { count_files(&e.path()) } else { 1 })
        .sum()
}
