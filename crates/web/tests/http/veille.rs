//! Saved searches (veille) through the pages: saving the search on screen, the list, e-mail
//! frequency, deletion, the one-click unsubscribe link, and each saved search's feed and
//! calendar; nobody reaches another user's searches.

use axum::body::Body;
use axum::http::{Method, header};

use crate::support::{ANON, Env, for_each_backend_indexed, minimal};
use crate::validators;

/// The firm's saved searches, as the store has them.
async fn saved(env: &Env) -> Vec<store::SavedSearch> {
    env.store.saved_searches_of(env.firm.id).await.unwrap()
}

#[tokio::test]
async fn a_firm_saves_a_search_and_follows_it_by_email_feed_and_calendar() {
    for_each_backend_indexed("veille", async |env| {
        // Anonymous visitors are offered to sign in, and come back to their search.
        let list = env.get("/consultations?q=peinture&departement=93", &ANON).await.text();
        assert!(list.contains("/connexion?suite=%2Fconsultations%3Fq%3Dpeinture%26departement%3D93"), "{list}");
        env.get("/veille", &ANON).await.expect_redirect("/connexion?suite=/veille");
        let r =
            env.post_form("/veille", &ANON, &[("recherche", "q=peinture"), ("nom", "x"), ("frequence", "immediat")]);
        r.await.expect_redirect("/connexion?suite=/veille");

        let page = env.get("/consultations?q=peinture&departement=93", &env.firm.page()).await.text();
        assert!(page.contains(r#"name="recherche" value="q=peinture&#38;departement=93""#), "{page}");
        assert!(page.contains("« peinture » · Seine-Saint-Denis (93)"));

        // A refused form keeps what was typed and saves nothing.
        let r = env
            .post_form(
                "/veille",
                &env.firm.page(),
                &[("recherche", "q=peinture&departement=93"), ("nom", " "), ("frequence", "hebdomadaire")],
            )
            .await;
        r.expect(422);
        let text = r.text();
        assert!(text.contains("Le nom de la recherche est obligatoire."), "{text}");
        assert!(text.contains("« hebdomadaire » : valeur inconnue pour « fréquence des alertes »"));
        assert!(saved(&env).await.is_empty());
        env.post_form(
            "/veille",
            &env.firm.page(),
            &[("recherche", "departement=99"), ("nom", "Ailleurs"), ("frequence", "immediat")],
        )
        .await
        .expect(422);

        let fields = [("recherche", "q=peinture&departement=93"), ("nom", "Peinture 93"), ("frequence", "quotidien")];
        env.post_form("/veille", &env.firm.page(), &fields).await.expect_redirect("/veille");
        let s = saved(&env).await.pop().unwrap();
        assert_eq!(
            (s.name.as_str(), s.query.as_str(), s.frequency.as_str()),
            ("Peinture 93", "q=peinture&departement=93", "quotidien")
        );
        let page = env.get("/veille", &env.firm.page()).await.text();
        assert!(page.contains("Peinture 93") && page.contains(&format!("/veille/{}/flux.atom", s.token)), "{page}");

        // Its feed and calendar: what matches, nothing else, without a session.
        let (id, _) = env.published("Peinture du groupe scolaire Jules-Vallès").await;
        let mut cleaning = minimal("Nettoyage des vitres");
        cleaning["object"] = "Nettoyage des surfaces vitrées.".into();
        cleaning["lots"] = serde_json::json!([{"title": "Vitrerie", "cpv": "90911300-9"}]);
        cleaning["cpv"] = "90911300-9".into();
        let other = env.create(&env.buyer_a, &cleaning).await;
        env.upload(&env.buyer_a, other, "rc.pdf", b"%PDF-1.4 rc").await;
        env.publish(&env.buyer_a, other).await;
        env.app.index_pending().await.unwrap();
        let r = env.get(&format!("/veille/{}/flux.atom", s.token), &ANON).await;
        r.expect(200);
        let feed = r.text();
        assert!(feed.contains("<title>Halle — veille « Peinture 93 »</title>"), "{feed}");
        assert!(feed.contains(&format!("/consultations/{id}</id>")));
        assert!(!feed.contains(&format!("/consultations/{other}</id>")));
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("veille.atom"), &feed).unwrap();
        let verdict = validators::xml_well_formed(&dir.path().join("veille.atom"));
        assert!(verdict.ok, "{}", verdict.output);
        let ics = env.get(&format!("/veille/{}/calendrier.ics", s.token), &ANON).await.text();
        assert!(ics.contains("SUMMARY:Remise des plis : Peinture du groupe scolaire Jules-Vallès"), "{ics}");
        assert!(!ics.contains("Nettoyage"));
        assert!(ics.contains("DTSTART;TZID=Europe/Paris:20261215T120000\r\n"));
        env.get("/veille/0000/flux.atom", &ANON).await.expect(404);
        env.get(&format!("/veille/{}/calendrier.ics", "f".repeat(64)), &ANON).await.expect(404);

        // Another user can neither change nor delete it.
        let path = format!("/veille/{}/frequence", s.id);
        env.post_form(&path, &env.buyer_a.page(), &[("frequence", "immediat")]).await.expect(404);
        env.post_form(&format!("/veille/{}/supprimer", s.id), &env.buyer_a.page(), &[]).await.expect(404);
        assert!(!env.get("/veille", &env.buyer_a.page()).await.text().contains("Peinture 93"));
        env.post_form(&path, &env.firm.page(), &[("frequence", "immediat")]).await.expect_redirect("/veille");
        assert_eq!(saved(&env).await[0].frequency, "immediat");

        // A cross-site form cannot save a search in the firm's name.
        let r = env
            .send(
                Env::request(Method::POST, "/veille", &env.firm.page())
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header("sec-fetch-site", "cross-site")
                    .body(Body::from("recherche=q%3Dx&nom=Pirate&frequence=immediat"))
                    .unwrap(),
            )
            .await;
        r.expect(403);
        assert_eq!(saved(&env).await.len(), 1);

        // The e-mails' link: a page with one button, and the one-click POST of mail clients
        // (no browser headers, no session).
        let link = format!("/veille/desabonnement/{}", s.token);
        let page = env.get(&link, &ANON).await.text();
        assert!(page.contains("Ne plus recevoir ces courriels"), "{page}");
        assert_eq!(saved(&env).await[0].frequency, "immediat", "a GET changes nothing");
        let one_click = Env::request(Method::POST, &link, &ANON)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("List-Unsubscribe=One-Click"))
            .unwrap();
        let r = env.send(one_click).await;
        r.expect(200);
        assert!(r.text().contains("Vous ne recevrez plus de courriels pour la recherche « Peinture 93 »"));
        assert_eq!(saved(&env).await[0].frequency, "aucun");
        env.post_form(&format!("/veille/desabonnement/{}", "0".repeat(64)), &ANON, &[]).await.expect(404);

        // DCE changes: at once or in the digest, never off.
        env.post_form("/veille/modifications-dce", &env.firm.page(), &[("modifications_dce", "aucun")])
            .await
            .expect(422);
        env.post_form("/veille/modifications-dce", &env.firm.page(), &[("modifications_dce", "quotidien")])
            .await
            .expect_redirect("/veille");
        assert_eq!(env.store.dce_alerts(env.firm.id).await.unwrap(), "quotidien");

        env.post_form(&format!("/veille/{}/supprimer", s.id), &env.firm.page(), &[]).await.expect_redirect("/veille");
        assert!(saved(&env).await.is_empty());
    })
    .await;
}

#[tokio::test]
async fn saved_searches_through_the_api_belong_to_their_user() {
    for_each_backend_indexed("veille-api", async |env| {
        let body =
            serde_json::json!({"name": "Toitures", "query": "q=toiture&departement=93", "frequency": "quotidien"});
        env.post_json("/api/v1/saved-searches", &ANON, &body).await.expect(401);
        let r = env.post_json("/api/v1/saved-searches", &env.firm.api(), &body).await;
        r.expect(201);
        let created = r.json();
        assert_eq!(created["description"], "« toiture » · Seine-Saint-Denis (93)");
        assert!(created["atom"].as_str().unwrap().ends_with("/flux.atom"));
        let id = created["id"].as_i64().unwrap();
        let bad = serde_json::json!({"name": "x", "query": "echeance=annee", "frequency": "immediat"});
        env.post_json("/api/v1/saved-searches", &env.firm.api(), &bad).await.expect_problem(422, "echeance");
        let bad = serde_json::json!({"name": "x", "query": "", "frequency": "parfois"});
        env.post_json("/api/v1/saved-searches", &env.firm.api(), &bad).await.expect_problem(422, "frequence");

        let mine = env.get("/api/v1/saved-searches", &env.firm.api()).await.json();
        assert_eq!(mine["items"].as_array().unwrap().len(), 1);
        let theirs = env.get("/api/v1/saved-searches", &env.buyer_a.api()).await.json();
        assert!(theirs["items"].as_array().unwrap().is_empty());
        let path = format!("/api/v1/saved-searches/{id}");
        let change = serde_json::json!({"frequency": "immediat"});
        env.put_json(&path, &env.buyer_a.api(), &change).await.expect(404);
        let r = env.send(Env::request(Method::DELETE, &path, &env.buyer_a.api()).body(Body::empty()).unwrap()).await;
        r.expect(404);
        let r = env.put_json(&path, &env.firm.api(), &change).await;
        r.expect(200);
        assert_eq!(r.json()["frequency"], "immediat");
        let r = env.send(Env::request(Method::DELETE, &path, &env.firm.api()).body(Body::empty()).unwrap()).await;
        r.expect(204);
        assert!(saved(&env).await.is_empty());
    })
    .await;
}

#[tokio::test]
async fn cpv_and_commune_pickers_answer_htmx_pages_and_the_api() {
    for_each_backend_indexed("pickers", async |env| {
        // htmx asks with the field's own name and gets options for its datalist.
        let r = env
            .send(
                Env::request(Method::GET, "/suggestions/cpv?cpv=travaux%20de%20peinture", &ANON)
                    .header("hx-request", "true")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        r.expect(200);
        let options = r.text();
        assert!(options.starts_with("<option value=\""), "{options}");
        assert!(
            options.contains(r#"<option value="45442100-8">45442100-8 — Travaux de peinture</option>"#),
            "{options}"
        );
        assert!(!options.contains("<html"));
        // Without JavaScript: a page with a search form.
        let page = env.get("/suggestions/communes?q=saint-den", &ANON).await.text();
        assert!(
            page.contains("<h1>Trouver le code INSEE d’une commune</h1>") && page.contains("<code>93066</code>"),
            "{page}"
        );
        let none = env.get("/suggestions/cpv?q=%3Cscript%3E", &ANON).await.text();
        assert!(none.contains("Aucun résultat pour « &#60;script&#62; »"), "{none}");
        // The API.
        let cpv = env.get("/api/v1/cpv?q=4544", &ANON).await.json();
        assert!(cpv["items"].as_array().unwrap().iter().all(|i| i["code"].as_str().unwrap().starts_with("4544")));
        let communes = env.get("/api/v1/communes?q=evry", &ANON).await.json();
        assert_eq!(communes["items"][0]["departement"], "91");
        // The consultation form offers them.
        let form = env.get("/acheteur/consultations/nouvelle", &env.buyer_a.page()).await.text();
        assert!(form.contains(r#"hx-get="/suggestions/cpv""#) && form.contains(r#"list="commune-options""#));
        assert!(form.contains(r#"<a href="/suggestions/cpv""#), "a link for those without JavaScript");
        let js = env.get("/static/htmx.min.js", &ANON).await;
        js.expect(200);
        assert!(js.header("content-type").unwrap().starts_with("text/javascript"));
    })
    .await;
}
