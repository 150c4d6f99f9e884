//! The library of good practices: buyers and facilitators publish, anyone reads and searches,
//! reuses are counted once per person, comments, and only the coordinators feature; firms and
//! visitors are refused the ways that write.

use serde_json::json;

use crate::support::{ANON, Env, for_each_backend};

async fn practice(env: &Env, id: i64) -> serde_json::Value {
    let r = env.get(&format!("/api/v1/practices/{id}"), &ANON).await;
    r.expect(200);
    r.json()
}

#[tokio::test]
async fn buyers_and_facilitators_share_model_clauses() {
    for_each_backend("library", async |env| {
        // A buyer publishes through the page; a refused form keeps nothing.
        let bad = [("kind", "clause"), ("title", ""), ("legal_basis", "L9999"), ("cpv", "45"), ("body", "")];
        let r = env.post_form("/bibliotheque", &env.buyer_a.page(), &bad).await;
        r.expect(422);
        assert!(r.text().contains("Le titre est obligatoire."));
        assert!(env.get("/api/v1/practices", &ANON).await.json()["items"].as_array().unwrap().is_empty());
        let fields = [
            ("kind", "clause"),
            ("title", "Clause d’insertion pour les travaux de voirie"),
            ("legal_basis", "L2112-2"),
            ("cpv", "45233140-2"),
            ("body", "Le titulaire réserve au moins 5 % des heures travaillées à des personnes éloignées de l’emploi."),
        ];
        let r = env.post_form("/bibliotheque", &env.buyer_a.page(), &fields).await;
        let clause: i64 = r.location().unwrap().trim_start_matches("/bibliotheque/").parse().unwrap();
        // A facilitator through the API.
        let body = json!({"kind": "pratique", "title": "Réunion de lancement avec le facilitateur",
            "body": "Présenter la clause aux candidats dès la visite de site."});
        let r = env.post_json("/api/v1/practices", &env.facilitator.api(), &body).await;
        r.expect(201);
        let meeting = r.json()["id"].as_i64().unwrap();
        // Firms read but do not publish; visitors must sign in.
        env.post_json("/api/v1/practices", &env.firm.api(), &body).await.expect(403);
        env.post_json("/api/v1/practices", &ANON, &body).await.expect(401);
        env.get("/bibliotheque/nouvelle", &env.firm.page()).await.expect(403);
        env.post_form("/bibliotheque", &env.firm.page(), &fields).await.expect(403);

        // Search by words (accents ignored), legal basis, CPV division, kind.
        let ids = |v: serde_json::Value| {
            v["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect::<Vec<_>>()
        };
        assert_eq!(ids(env.get("/api/v1/practices?q=heures%20travaillees", &ANON).await.json()), [clause]);
        assert_eq!(ids(env.get("/api/v1/practices?base=L2112-2", &ANON).await.json()), [clause]);
        assert_eq!(ids(env.get("/api/v1/practices?cpv=45", &ANON).await.json()), [clause]);
        assert!(ids(env.get("/api/v1/practices?cpv=90", &ANON).await.json()).is_empty());
        assert_eq!(ids(env.get("/api/v1/practices?type=pratique", &ANON).await.json()), [meeting]);
        env.get("/api/v1/practices?base=L1", &ANON).await.expect_problem(422, "base");
        let page = env.get("/bibliotheque?q=voirie", &ANON).await.text();
        assert!(
            page.contains("Clause d’insertion pour les travaux de voirie") && !page.contains("Réunion de lancement")
        );

        // Reuses: once per person; firms cannot.
        let path = format!("/bibliotheque/{clause}/reutiliser");
        env.post_form(&path, &env.buyer_b.page(), &[])
            .await
            .expect_redirect(&format!("/bibliotheque/{clause}?repris=1#texte"));
        env.post_form(&path, &env.buyer_b.page(), &[]).await;
        env.post_form(&path, &env.facilitator.page(), &[]).await;
        env.post_form(&path, &env.firm.page(), &[]).await.expect(403);
        assert_eq!(practice(&env, clause).await["uses"], 2);
        // Most reused first.
        assert_eq!(ids(env.get("/api/v1/practices", &ANON).await.json()), [clause, meeting]);

        // Comments.
        let comment = format!("/bibliotheque/{meeting}/commentaires");
        env.post_form(&comment, &env.buyer_b.page(), &[("comment", " ")]).await.expect(422);
        env.post_form(&comment, &env.firm.page(), &[("comment", "Très utile")]).await.expect(403);
        env.post_form(&comment, &env.buyer_b.page(), &[("comment", "Repris à Paris, merci.")]).await;
        let p = practice(&env, meeting).await;
        assert_eq!(p["comment_list"][0]["body"], "Repris à Paris, merci.");
        assert_eq!(p["comments"], 1);

        // Only the coordinators feature; featured entries come first.
        let feature = format!("/bibliotheque/{meeting}/mise-en-avant");
        env.post_form(&feature, &env.buyer_a.page(), &[("featured", "1")]).await.expect(403);
        env.post_form(&feature, &env.admin.page(), &[("featured", "1")])
            .await
            .expect_redirect(&format!("/bibliotheque/{meeting}"));
        assert_eq!(ids(env.get("/api/v1/practices", &ANON).await.json()), [meeting, clause]);
        let shown = env.get(&format!("/bibliotheque/{meeting}"), &ANON).await.text();
        assert!(shown.contains("Mise en avant par la coordination") && shown.contains("Repris à Paris, merci."));
        env.get("/bibliotheque/999999", &ANON).await.expect(404);
    })
    .await;
}
