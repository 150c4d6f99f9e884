//! The harness: a real `web::router` over a real `App` on a throw-away database (SQLite, and
//! PostgreSQL when `HALLE_TEST_DATABASE_URL` is set), a vault in a temporary folder and a
//! fixed clock; seeded accounts; request helpers that go through `tower::ServiceExt::oneshot`.

use std::collections::BTreeMap;
use std::sync::Arc;

use app::{App, Config, FirmRegistration, FixedClock, NewAccount, NewBuyerOrganisation, TokenKind};
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};
use store::test_support::{self, PG_URL_VAR, TestDb};
use store::{Backend, Store};
use tower::ServiceExt;
use web::WebConfig;

pub const PASSWORD: &str = "correct horse battery";

/// Tuesday 10 March 2026, 10:00 in Paris: every environment starts at this instant.
pub fn t0() -> Timestamp {
    "2026-03-10T09:00:00Z".parse().unwrap()
}

pub fn at(rfc3339: &str) -> Timestamp {
    rfc3339.parse().unwrap()
}

/// The smallest body `POST /api/v1/consultations` accepts, from DESIGN.md "Public contract".
pub fn minimal(title: &str) -> Value {
    json!({"title": title, "object": "Peinture des salles de classe et des couloirs.", "nature": "travaux",
           "procedure": "mapa", "cpv": "45442100-8", "departement": "93",
           "bid_deadline": "2026-12-15T12:00:00+01:00",
           "lots": [{"title": "Peinture intérieure", "cpv": "45442100-8"}]})
}

/// Someone signed in, with a browser session (cookie) and an API token.
pub struct Account {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub cookie: String,
    pub token: String,
}

impl Account {
    /// As a browser: the session cookie.
    pub fn page(&self) -> Auth {
        Auth::Cookie(self.cookie.clone())
    }

    /// As an API client: the bearer token.
    pub fn api(&self) -> Auth {
        Auth::Bearer(self.token.clone())
    }
}

#[derive(Debug, Clone)]
pub enum Auth {
    None,
    Cookie(String),
    Bearer(String),
}

pub const ANON: Auth = Auth::None;

/// A response read whole.
pub struct Res {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    pub what: String,
}

impl Res {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("{}: not JSON ({e}): {}", self.what, self.text()))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn location(&self) -> Option<&str> {
        self.header("location")
    }

    /// Asserts the status, showing the request and the body when it differs.
    #[track_caller]
    pub fn expect(&self, status: u16) -> &Res {
        assert_eq!(self.status.as_u16(), status, "{} → {}: {}", self.what, self.status, self.text());
        self
    }

    /// A redirect (303 See Other) to this path, as after a plain form post.
    #[track_caller]
    pub fn expect_redirect(&self, to: &str) -> &Res {
        assert!(self.status.is_redirection(), "{} → {}, expected a redirect: {}", self.what, self.status, self.text());
        assert_eq!(self.location(), Some(to), "{}", self.what);
        self
    }

    /// An RFC 9457 problem naming `field`.
    #[track_caller]
    pub fn expect_problem(&self, status: u16, field: &str) -> Value {
        self.expect(status);
        assert_eq!(self.header("content-type"), Some("application/problem+json"), "{}", self.what);
        let p = self.json();
        assert_eq!(p["status"], status, "{}: {p}", self.what);
        assert_eq!(p["field"], field, "{}: {p}", self.what);
        assert!(p["errors"].as_array().is_some_and(|e| e.iter().any(|e| e["field"] == field)), "{}: {p}", self.what);
        assert!(!p["detail"].as_str().unwrap_or("").is_empty(), "{}: {p}", self.what);
        p
    }
}

/// One portal on one backend, seeded.
pub struct Env {
    pub backend: Backend,
    pub app: App,
    pub store: Store,
    pub clock: Arc<FixedClock>,
    router: Router,
    pub admin: Account,
    /// Acheteur of `org_a` (Ville de Saint-Denis, 93).
    pub buyer_a: Account,
    /// Acheteur of `org_b` (Ville de Paris, 75).
    pub buyer_b: Account,
    /// User of `firm_org` (Peintures Dupont), registered by `register_firm`.
    pub firm: Account,
    /// Facilitator for 93 and 94.
    pub facilitator: Account,
    pub org_a: i64,
    pub org_b: i64,
    pub firm_org: i64,
    pub vault_dir: tempfile::TempDir,
    /// The opening secret keys of buyer A and buyer B (`AGE-SECRET-KEY-1…`).
    pub opening_secrets: Vec<String>,
    _db: TestDb,
}

pub const ORG_A_SIRET: &str = "21930066000012";
pub const ORG_B_SIRET: &str = "21750010000011";
pub const FIRM_SIRET: &str = "73282932000074";

impl Env {
    pub async fn new(db: TestDb, config: Config) -> Env {
        Env::with_web(db, config, WebConfig::default()).await
    }

    pub async fn with_web(db: TestDb, config: Config, web_config: WebConfig) -> Env {
        Env::build(db, config, web_config, None).await
    }

    /// With a search index in memory: searches use it; the test feeds it with
    /// `env.app.index_pending()` (what the server's indexer loop does).
    pub async fn with_search(db: TestDb, config: Config) -> Env {
        let index = Arc::new(::search::Index::in_memory().expect("search index"));
        Env::build(db, config, WebConfig::default(), Some(index)).await
    }

    async fn build(db: TestDb, config: Config, web_config: WebConfig, index: Option<Arc<::search::Index>>) -> Env {
        let vault_dir = tempfile::tempdir().expect("temporary folder");
        let vault = vault::Vault::open(vault_dir.path()).await.expect("vault");
        let clock = Arc::new(FixedClock::new(t0()));
        let mut app = App::new(db.store.clone(), vault, clock.clone(), config);
        if let Some(index) = index {
            app = app.with_search(index);
        }
        let router = web::router(app.clone(), web_config);

        let admin_id = app.bootstrap_admin("admin@halle.test", "Alice Admin", PASSWORD).await.expect("admin");
        let (admin_cookie, admin) =
            app.login("admin@halle.test", PASSWORD, TokenKind::Cookie).await.expect("admin login");
        let admin_actor = app.authenticate(Some(&admin_cookie)).await.unwrap();
        let org = |name: &str, siret: &str, kind: &str, dep: &str| NewBuyerOrganisation {
            name: name.into(),
            siret: siret.into(),
            kind: kind.into(),
            departement: dep.into(),
            address: None,
        };
        let org_a = app
            .create_buyer_organisation(&admin_actor, &org("Ville de Saint-Denis", ORG_A_SIRET, "commune", "93"))
            .await
            .expect("org A");
        let org_b = app
            .create_buyer_organisation(&admin_actor, &org("Ville de Paris", ORG_B_SIRET, "commune", "75"))
            .await
            .expect("org B");
        let account = |email: &str, name: &str, role: &str, org: Option<i64>, deps: &[&str]| NewAccount {
            email: email.into(),
            name: name.into(),
            password: PASSWORD.into(),
            role: role.into(),
            organisation_id: org,
            departements: deps.iter().map(|d| d.to_string()).collect(),
        };
        app.create_account(
            &admin_actor,
            &account("acheteur@saint-denis.test", "Bruno Acheteur", "acheteur", Some(org_a), &[]),
        )
        .await
        .expect("buyer A");
        app.create_account(
            &admin_actor,
            &account("acheteuse@paris.test", "Béatrice Acheteuse", "acheteur", Some(org_b), &[]),
        )
        .await
        .expect("buyer B");
        app.create_account(
            &admin_actor,
            &account("facilitateur@93.test", "Fanny Facilitatrice", "facilitateur", None, &["93", "94"]),
        )
        .await
        .expect("facilitator");
        // Each buyer registers an opening key, without which nothing can be published.
        let mut opening_secrets = Vec::new();
        for email in ["acheteur@saint-denis.test", "acheteuse@paris.test"] {
            let (cookie, _) = app.login(email, PASSWORD, TokenKind::Cookie).await.expect("buyer login");
            let buyer = app.authenticate(Some(&cookie)).await.unwrap();
            let (public_key, secret) = vault::ConsultationKey::generate();
            app.register_opening_key(&buyer, &public_key).await.expect("opening key");
            opening_secrets.push(vault::ExposeSecret::expose_secret(&secret).to_string());
        }
        let firm_user = app
            .register_firm(&FirmRegistration {
                siret: FIRM_SIRET.into(),
                name: "Peintures Dupont".into(),
                size: "pme".into(),
                address: "12 rue de la République, 93200 Saint-Denis".into(),
                departement: "93".into(),
                user_name: "Camille Dupont".into(),
                email: "camille@dupont.test".into(),
                password: PASSWORD.into(),
            })
            .await
            .expect("firm");
        let firm_org = db.store.user(firm_user).await.unwrap().organisation_id.expect("firm organisation");

        let sign_in = async |email: &str| {
            let (cookie, user) = app.login(email, PASSWORD, TokenKind::Cookie).await.expect("login");
            let (token, _) = app.login(email, PASSWORD, TokenKind::Api).await.expect("token");
            Account { id: user.id, email: user.email, name: user.name, cookie, token }
        };
        let (admin_token, _) = app.login("admin@halle.test", PASSWORD, TokenKind::Api).await.unwrap();
        let admin =
            Account { id: admin_id, email: admin.email, name: admin.name, cookie: admin_cookie, token: admin_token };
        Env {
            backend: db.backend,
            store: db.store.clone(),
            buyer_a: sign_in("acheteur@saint-denis.test").await,
            buyer_b: sign_in("acheteuse@paris.test").await,
            firm: sign_in("camille@dupont.test").await,
            facilitator: sign_in("facilitateur@93.test").await,
            admin,
            app,
            clock,
            router,
            org_a,
            org_b,
            firm_org,
            vault_dir,
            opening_secrets,
            _db: db,
        }
    }

    pub fn now(&self) -> Timestamp {
        self.app.now()
    }

    pub fn set_time(&self, t: Timestamp) {
        self.clock.set(t);
    }

    pub fn advance(&self, d: SignedDuration) {
        self.clock.set(self.now().checked_add(d).unwrap());
    }

    /// A new browser session through the login form (sessions last 12 hours: after moving
    /// the clock far, sign in again).
    pub async fn sign_in(&self, who: &Account) -> Auth {
        let r = self.post_form("/connexion", &ANON, &[("email", &who.email), ("password", PASSWORD)]).await;
        r.expect(303);
        let cookie = r.header("set-cookie").expect("a session cookie");
        Auth::Cookie(cookie.split(';').next().unwrap().trim_start_matches("halle_session=").to_string())
    }

    /// A new API token through `POST /api/v1/auth/token` (tokens last 30 days).
    pub async fn api_token(&self, who: &Account) -> Auth {
        let r = self.post_json("/api/v1/auth/token", &ANON, &json!({"email": who.email, "password": PASSWORD})).await;
        r.expect(200);
        Auth::Bearer(r.json()["token"].as_str().expect("token").to_string())
    }

    /// Sends any request through the real router, in-process.
    pub async fn send(&self, request: Request<Body>) -> Res {
        let what = format!("[{:?}] {} {}", self.backend, request.method(), request.uri());
        let response = self.router.clone().oneshot(request).await.expect("the router never fails");
        let status = response.status();
        let headers = response.headers().clone();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("body").to_vec();
        Res { status, headers, body, what }
    }

    pub fn request(method: Method, path: &str, auth: &Auth) -> axum::http::request::Builder {
        let b = Request::builder().method(method).uri(path).header(header::HOST, "halle.test");
        match auth {
            Auth::None => b,
            Auth::Cookie(c) => b.header(header::COOKIE, format!("theme=clair; halle_session={c}")),
            Auth::Bearer(t) => b.header(header::AUTHORIZATION, format!("Bearer {t}")),
        }
    }

    pub async fn get(&self, path: &str, auth: &Auth) -> Res {
        self.send(Self::request(Method::GET, path, auth).body(Body::empty()).unwrap()).await
    }

    /// A plain HTML form post, as a browser sends it (same-origin).
    pub async fn post_form(&self, path: &str, auth: &Auth, fields: &[(&str, &str)]) -> Res {
        let body = fields.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&");
        self.send(
            Self::request(Method::POST, path, auth)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "same-origin")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    pub async fn send_json(&self, method: Method, path: &str, auth: &Auth, body: &Value) -> Res {
        self.send(
            Self::request(method, path, auth)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await
    }

    pub async fn post_json(&self, path: &str, auth: &Auth, body: &Value) -> Res {
        self.send_json(Method::POST, path, auth, body).await
    }

    pub async fn put_json(&self, path: &str, auth: &Auth, body: &Value) -> Res {
        self.send_json(Method::PUT, path, auth, body).await
    }

    /// `multipart/form-data` with one part per file, all under `field`.
    pub async fn post_multipart(&self, path: &str, auth: &Auth, field: &str, files: &[(&str, &[u8])]) -> Res {
        let (content_type, body) = multipart(field, files);
        self.send(
            Self::request(Method::POST, path, auth)
                .header(header::CONTENT_TYPE, content_type)
                .header("sec-fetch-site", "same-origin")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    // ---- scenario building blocks (all through the router) ----

    /// Creates a draft through the API; returns its id.
    pub async fn create(&self, who: &Account, body: &Value) -> i64 {
        let r = self.post_json("/api/v1/consultations", &who.api(), body).await;
        r.expect(201);
        r.json()["id"].as_i64().expect("id")
    }

    /// Adds one file through the API; returns the document id.
    pub async fn upload(&self, who: &Account, id: i64, name: &str, bytes: &[u8]) -> i64 {
        let r = self
            .post_multipart(&format!("/api/v1/consultations/{id}/documents"), &who.api(), "file", &[(name, bytes)])
            .await;
        r.expect(201);
        r.json()["documents"][0]["id"].as_i64().expect("document id")
    }

    pub async fn publish(&self, who: &Account, id: i64) {
        self.post_json(&format!("/api/v1/consultations/{id}/publish"), &who.api(), &json!({})).await.expect(200);
    }

    /// A consultation of buyer A, published, with one document `reglement.pdf`.
    pub async fn published(&self, title: &str) -> (i64, i64) {
        let id = self.create(&self.buyer_a, &minimal(title)).await;
        let doc = self.upload(&self.buyer_a, id, "reglement.pdf", b"%PDF-1.4 reglement de consultation").await;
        self.publish(&self.buyer_a, id).await;
        (id, doc)
    }

    /// The consultation as its buyer sees it through the API.
    pub async fn owner_view(&self, id: i64) -> Value {
        let r = self.get(&format!("/api/v1/consultations/{id}"), &self.buyer_a.api()).await;
        r.expect(200);
        r.json()
    }

    pub async fn register(&self, id: i64) -> Vec<Value> {
        let r = self.get(&format!("/api/v1/consultations/{id}/downloads"), &self.buyer_a.api()).await;
        r.expect(200);
        r.json()["items"].as_array().cloned().unwrap_or_default()
    }

    /// Entries in the audit chain.
    pub async fn audit_len(&self) -> i64 {
        self.store.audit_head().await.unwrap().0
    }
}

/// Runs `scenario` on a fresh, seeded portal on each backend: SQLite always, PostgreSQL when
/// `HALLE_TEST_DATABASE_URL` is set (then it must run: a suite that quietly skipped it would
/// prove nothing about that engine).
pub async fn for_each_backend(name: &str, scenario: impl AsyncFn(Env)) {
    for_each_backend_with(name, Config::default(), scenario).await
}

pub async fn for_each_backend_with(name: &str, config: Config, scenario: impl AsyncFn(Env)) {
    let dbs = test_support::all().await;
    let backends: Vec<Backend> = dbs.iter().map(|d| d.backend).collect();
    if std::env::var(PG_URL_VAR).is_ok_and(|v| !v.is_empty()) {
        assert!(backends.contains(&Backend::Postgres), "{PG_URL_VAR} is set, so PostgreSQL must run");
    }
    for db in dbs {
        println!("[{name}] running on {:?}", db.backend);
        scenario(Env::new(db, config.clone()).await).await;
    }
}

/// As `for_each_backend`, with a search index (see `Env::with_search`).
pub async fn for_each_backend_indexed(name: &str, scenario: impl AsyncFn(Env)) {
    for db in test_support::all().await {
        println!("[{name}] running on {:?} with a search index", db.backend);
        scenario(Env::with_search(db, Config::default()).await).await;
    }
}

pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub fn multipart(field: &str, files: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----halle-test-boundary-7d9a1c";
    let mut body = Vec::new();
    for (name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Every file under `dir`, at any depth.
pub fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() { out.extend(walk(&p)) } else { out.push(p) }
    }
    out
}

/// Opens a ZIP with Python's `zipfile` (an independent reader), checks every CRC, and returns
/// its entries by name.
pub fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dce.zip");
    std::fs::write(&path, bytes).unwrap();
    let script = "import sys, json, zipfile\n\
                  z = zipfile.ZipFile(sys.argv[1])\n\
                  bad = z.testzip()\n\
                  assert bad is None, 'bad CRC in ' + str(bad)\n\
                  print(json.dumps({i.filename: z.read(i).hex() for i in z.infolist()}))";
    let out = std::process::Command::new("python3").arg("-c").arg(script).arg(&path).output().expect("python3 runs");
    assert!(out.status.success(), "not a valid ZIP: {}", String::from_utf8_lossy(&out.stderr));
    let map: BTreeMap<String, String> = serde_json::from_slice(&out.stdout).unwrap();
    map.into_iter().map(|(k, v)| (k, hex(&v))).collect()
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

/// The text of an HTML page with tags removed and entities of askama's escaping undone, to
/// look for sentences.
pub fn visible(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    unescape(&out).split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn unescape(s: &str) -> String {
    s.replace("&#38;", "&")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// `(tag name, attributes)` of every start tag of these names.
pub fn tags(html: &str, names: &[&str]) -> Vec<(String, BTreeMap<String, String>)> {
    let mut out = Vec::new();
    let lower = html.to_ascii_lowercase();
    let mut i = 0;
    while let Some(start) = lower[i..].find('<').map(|s| s + i) {
        let end = lower[start..].find('>').map(|e| e + start).unwrap_or(lower.len());
        let inner = &html[start + 1..end];
        i = end;
        let name: String =
            inner.chars().take_while(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
        if names.contains(&name.as_str()) {
            out.push((name.clone(), attributes(&inner[name.len()..])));
        }
    }
    out
}

fn attributes(s: &str) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i] as char).is_whitespace() {
            i += 1;
        }
        let start = i;
        while i < b.len() && !(b[i] as char).is_whitespace() && b[i] != b'=' && b[i] != b'/' {
            i += 1;
        }
        let name = s[start..i].to_ascii_lowercase();
        if i < b.len() && b[i] == b'=' {
            i += 1;
            let (value, next) = if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let close = s[i + 1..].find(q as char).map(|c| c + i + 1).unwrap_or(s.len());
                (s[i + 1..close].to_string(), close + 1)
            } else {
                let close = s[i..].find(char::is_whitespace).map(|c| c + i).unwrap_or(s.len());
                (s[i..close].to_string(), close)
            };
            map.insert(name, unescape(&value));
            i = next;
        } else {
            if !name.is_empty() {
                map.insert(name, String::new());
            }
            i += 1;
        }
    }
    map
}
