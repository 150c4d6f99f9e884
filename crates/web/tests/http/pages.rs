//! Story 6: pages in French (`lang="fr"`), a skip link, a label for every form control, one
//! main heading, no script needed; the API is described by its OpenAPI document; `/healthz`.

use std::collections::BTreeSet;

use serde_json::json;

use crate::support::{ANON, Auth, Env, for_each_backend, tags, visible};

/// Simple, static accessibility checks on one page.
#[track_caller]
fn check_page(html: &str, what: &str) {
    assert!(html.starts_with("<!DOCTYPE html>"), "{what}");
    assert!(html.contains("<html lang=\"fr\">"), "{what}: lang=\"fr\"");
    // Skip link first in the body, to the main content.
    let body = html.find("<body>").expect("body");
    let skip = html.find("href=\"#contenu\"").unwrap_or_else(|| panic!("{what}: skip link"));
    let first_link = html[body..].find("<a ").map(|i| i + body).unwrap();
    assert!(skip > first_link && skip - first_link < 40, "{what}: the skip link comes first");
    assert!(html.contains("<main id=\"contenu\""), "{what}: the skip target");
    assert!(visible(html).contains("Aller au contenu"), "{what}");
    assert_eq!(html.matches("<h1").count(), 1, "{what}: one main heading");
    assert!(html.contains("<title>") && html.contains("— Halle"), "{what}: a title");
    // htmx only enhances forms that work without it (suggestions while typing); no other script.
    let scripts = html.replace(r#"<script src="/static/htmx.min.js" defer></script>"#, "");
    assert!(!scripts.contains("<script"), "{what}: works without JavaScript");
    // Every control has a label.
    let ids: BTreeSet<String> = tags(html, &["input", "select", "textarea"])
        .into_iter()
        .filter(|(_, a)| !matches!(a.get("type").map(String::as_str), Some("hidden" | "submit" | "button")))
        .map(|(tag, a)| a.get("id").cloned().unwrap_or_else(|| panic!("{what}: a <{tag}> without id: {a:?}")))
        .collect();
    let labelled: BTreeSet<String> =
        tags(html, &["label"]).into_iter().filter_map(|(_, a)| a.get("for").cloned()).collect();
    for id in &ids {
        assert!(labelled.contains(id), "{what}: control #{id} has no <label for>");
    }
    // Ids are unique.
    let all_ids: Vec<String> =
        tags(html, &["input", "select", "textarea", "p", "label", "main", "h2", "section", "div"])
            .into_iter()
            .filter_map(|(_, a)| a.get("id").cloned())
            .collect();
    let unique: BTreeSet<&String> = all_ids.iter().collect();
    assert_eq!(unique.len(), all_ids.len(), "{what}: duplicate ids");
    // Forms post plainly (no JavaScript): a method and an action each.
    for (_, a) in tags(html, &["form"]) {
        assert!(matches!(a.get("method").map(String::as_str), Some("get" | "post")), "{what}: {a:?}");
        assert!(a.get("action").is_some_and(|x| x.starts_with('/')), "{what}: {a:?}");
    }
    // Tables have headers with a scope.
    for (_, a) in tags(html, &["th"]) {
        assert_eq!(a.get("scope").map(String::as_str), Some("col"), "{what}");
    }
}

async fn pages_of(env: &Env) -> Vec<(String, Auth, u16)> {
    let (id, doc) = env.published("Accessibilité des pages").await;
    let _ = doc;
    let draft = env.create(&env.buyer_a, &crate::support::minimal("Brouillon")).await;
    let r = env
        .post_json(
            &format!("/api/v1/consultations/{id}/questions"),
            &env.firm.api(),
            &json!({"question": "Une question ?"}),
        )
        .await;
    r.expect(201);
    env.get(&format!("/consultations/{id}/dce?email=a%40b.fr"), &ANON).await.expect(200);
    vec![
        ("/".into(), ANON, 200),
        ("/consultations".into(), ANON, 200),
        ("/consultations?departement=13".into(), ANON, 200),
        (format!("/consultations/{id}"), ANON, 200),
        (format!("/consultations/{id}"), env.firm.page(), 200),
        ("/connexion".into(), ANON, 200),
        ("/inscription".into(), ANON, 200),
        ("/acheteur".into(), env.buyer_a.page(), 200),
        ("/acheteur/consultations/nouvelle".into(), env.buyer_a.page(), 200),
        (format!("/acheteur/consultations/{id}"), env.buyer_a.page(), 200),
        (format!("/acheteur/consultations/{id}/modifier"), env.buyer_a.page(), 200),
        (format!("/acheteur/consultations/{draft}"), env.buyer_a.page(), 200),
        ("/admin".into(), env.admin.page(), 200),
        ("/veille".into(), env.firm.page(), 200),
        ("/structures-inclusives".into(), ANON, 200),
        ("/bibliotheque".into(), ANON, 200),
        ("/bibliotheque/nouvelle".into(), env.buyer_a.page(), 200),
        ("/suggestions/cpv?q=peinture".into(), ANON, 200),
        ("/suggestions/communes".into(), ANON, 200),
        ("/consultations/999999".into(), ANON, 404),
        ("/admin".into(), env.firm.page(), 403),
    ]
}

#[tokio::test]
async fn pages_are_french_accessible_and_need_no_javascript() {
    for_each_backend("pages", async |env| {
        for (path, auth, status) in pages_of(&env).await {
            let r = env.get(&path, &auth).await;
            r.expect(status);
            assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"), "{path}");
            assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
            assert_eq!(r.header("x-frame-options"), Some("DENY"));
            check_page(&r.text(), &path);
        }
        // Pages that come back with errors keep the same qualities.
        let r = env
            .post_form(
                "/acheteur/consultations/nouvelle",
                &env.buyer_a.page(),
                &[("title", ""), ("cpv", "1"), ("bid_deadline", "demain")],
            )
            .await;
        r.expect(422);
        check_page(&r.text(), "form with errors");
        let r = env.post_form("/inscription", &ANON, &[("siret", "1")]).await;
        r.expect(422);
        check_page(&r.text(), "registration with errors");
        let r = env.post_form("/connexion", &ANON, &[("email", "x@y.fr"), ("password", "non")]).await;
        r.expect(401);
        check_page(&r.text(), "login failed");
        assert!(visible(&r.text()).contains("Adresse e-mail ou mot de passe incorrect"));
        let css = env.get("/static/halle.css", &ANON).await;
        css.expect(200);
        assert!(css.header("content-type").unwrap().starts_with("text/css"));
    })
    .await;
}

#[tokio::test]
async fn signing_in_and_out_with_plain_forms() {
    for_each_backend("sign_in", async |env| {
        // A buyer lands in their space; a deep link comes back after signing in.
        let r = env.get("/acheteur/consultations/nouvelle", &ANON).await;
        r.expect_redirect("/connexion?suite=%2Facheteur%2Fconsultations%2Fnouvelle");
        let form = env.get("/connexion?suite=/acheteur/consultations/nouvelle", &ANON).await.text();
        assert!(form.contains("name=\"suite\" value=\"/acheteur/consultations/nouvelle\""));
        let r = env
            .post_form(
                "/connexion",
                &ANON,
                &[
                    ("email", "ACHETEUR@saint-denis.test "),
                    ("password", crate::support::PASSWORD),
                    ("suite", "/acheteur/consultations/nouvelle"),
                ],
            )
            .await;
        r.expect_redirect("/acheteur/consultations/nouvelle");
        let r = env
            .post_form(
                "/connexion",
                &ANON,
                &[("email", &env.buyer_a.email), ("password", crate::support::PASSWORD), ("suite", "/")],
            )
            .await;
        r.expect_redirect("/acheteur");
        // Nowhere off-site.
        for suite in ["//evil.example/", "https://evil.example/", "/\\evil.example"] {
            let r = env
                .post_form(
                    "/connexion",
                    &ANON,
                    &[("email", &env.firm.email), ("password", crate::support::PASSWORD), ("suite", suite)],
                )
                .await;
            r.expect_redirect("/");
        }
        // The navigation names who is signed in.
        assert!(visible(&env.get("/acheteur", &env.buyer_a.page()).await.text()).contains(&env.buyer_a.name));
        let cookie = r_cookie(
            &env.post_form("/connexion", &ANON, &[("email", &env.firm.email), ("password", crate::support::PASSWORD)])
                .await,
        );
        let me = Auth::Cookie(cookie.clone());
        assert!(visible(&env.get("/", &me).await.text()).contains("Camille Dupont"));
        // Signing out ends the session on the server, not only in the browser.
        let out = env.post_form("/deconnexion", &me, &[]).await;
        out.expect_redirect("/");
        assert!(out.header("set-cookie").unwrap().contains("Max-Age=0"));
        let after = env.get("/", &me).await.text();
        assert!(!after.contains("Camille Dupont") && after.contains("Se connecter"));
        env.post_json("/api/v1/consultations/1/questions", &me, &json!({"question": "?"})).await.expect(401);
    })
    .await;
}

fn r_cookie(r: &crate::support::Res) -> String {
    let set = r.header("set-cookie").expect("a session cookie");
    set.split(';').next().unwrap().trim_start_matches("halle_session=").to_string()
}

#[tokio::test]
async fn the_api_is_described_and_the_server_reports_health() {
    for_each_backend("openapi", async |env| {
        let h = env.get("/healthz", &ANON).await;
        h.expect(200);
        assert_eq!(h.text(), "ok");
        let doc = env.get("/api/v1/openapi.json", &ANON).await;
        doc.expect(200);
        let doc = doc.json();
        assert_eq!(doc["openapi"], "3.1.0");
        let paths: BTreeSet<&str> = doc["paths"].as_object().unwrap().keys().map(String::as_str).collect();
        // Every route of the public contract, and every route of the API router.
        for p in [
            "/api/v1/auth/token",
            "/api/v1/openapi.json",
            "/api/v1/consultations",
            "/api/v1/consultations/{id}",
            "/api/v1/consultations/{id}/publish",
            "/api/v1/consultations/{id}/status",
            "/api/v1/consultations/{id}/dce",
            "/api/v1/consultations/{id}/documents",
            "/api/v1/consultations/{id}/documents/{doc}",
            "/api/v1/consultations/{id}/downloads",
            "/api/v1/consultations/{id}/questions",
            "/api/v1/questions/{id}/answer",
            "/api/v1/consultations/{id}/bids",
            "/api/v1/consultations/{id}/deposit-register",
            "/api/v1/bids/{id}/receipt",
            "/api/v1/me/opening-key",
            "/.well-known/halle/receipt-key",
        ] {
            assert!(paths.contains(p), "{p} is documented");
        }
        assert_eq!(paths.len(), 49, "no documented route is missing from the router: {paths:?}");
        assert!(doc["paths"]["/api/v1/consultations"]["post"]["requestBody"].is_object());
        // The API answers in problem details, with a Bearer challenge when signed out.
        let r = env.post_json("/api/v1/consultations", &ANON, &crate::support::minimal("x")).await;
        r.expect(401);
        assert_eq!(r.header("www-authenticate"), Some("Bearer"));
        assert_eq!(r.header("content-type"), Some("application/problem+json"));
        assert_eq!(r.json()["title"], "Connexion requise");
        // An unknown bearer token is simply nobody.
        let r =
            env.post_json("/api/v1/consultations", &Auth::Bearer("0".repeat(64)), &crate::support::minimal("x")).await;
        r.expect(401);
        // Tokens from the contract's route.
        let t = env
            .post_json(
                "/api/v1/auth/token",
                &ANON,
                &json!({"email": env.buyer_a.email, "password": crate::support::PASSWORD}),
            )
            .await;
        t.expect(200);
        let t = t.json();
        assert_eq!(t["expires_in"], 30 * 24 * 3600);
        assert_eq!(t["user"]["role"], "acheteur");
        let token = Auth::Bearer(t["token"].as_str().unwrap().to_string());
        env.post_json("/api/v1/consultations", &token, &crate::support::minimal("Avec un jeton")).await.expect(201);
        let bad = env
            .post_json("/api/v1/auth/token", &ANON, &json!({"email": env.buyer_a.email, "password": "mauvais"}))
            .await;
        bad.expect(401);
        assert_eq!(bad.header("content-type"), Some("application/problem+json"));
    })
    .await;
}
