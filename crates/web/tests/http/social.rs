//! Issue 6: social clauses. The insertion-hours calculator (API and form), a lot's clause
//! drafted by its buyer and shown on the public page; others refused; bad input saves nothing.

use serde_json::json;

use crate::support::{ANON, Env, for_each_backend, minimal, visible};

/// A valid clause form for lot 1, amounts in euros as a person types them.
fn clause_form(action: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("legal_basis", "L2112-2"),
        ("amount", "1 000 000"),
        ("labour_share", "50"),
        ("rate", "5"),
        ("hourly_cost", "30"),
        ("publics", "deld"),
        ("publics", "jeune"),
        ("ways", "embauche_directe"),
        ("ways", "etti"),
        ("facilitator_departement", "93"),
        ("body", "Le titulaire réserve 833 heures à des personnes éloignées de l’emploi."),
        ("action", action),
    ]
}

fn clause_path(id: i64, lot: i64) -> String {
    format!("/acheteur/consultations/{id}/lots/{lot}/clause-sociale")
}

async fn clauses(env: &Env, id: i64) -> usize {
    env.store.social_clauses(id).await.unwrap().len()
}

#[tokio::test]
async fn the_calculator_answers_in_hours_or_in_french_problems() {
    for_each_backend("clause_hours_api", async |env| {
        let r = env.get("/api/v1/clauses/hours?amount=100000000&labour_share=50&rate=5&hourly_cost=3000", &ANON).await;
        r.expect(200);
        assert_eq!(r.json(), json!({ "hours": 833 }));
        let r = env
            .get("/api/v1/clauses/hours?amount=100000000&labour_share=45%2C5&rate=7.25&hourly_cost=2850", &ANON)
            .await;
        assert_eq!(r.json()["hours"], 1157);

        let p = env
            .get("/api/v1/clauses/hours?amount=abc&labour_share=50&rate=5&hourly_cost=3000", &ANON)
            .await
            .expect_problem(422, "amount");
        assert!(p["detail"].as_str().unwrap().contains("centimes"), "{p}");
        let p = env
            .get("/api/v1/clauses/hours?amount=100000000&labour_share=150&rate=5&hourly_cost=3000", &ANON)
            .await
            .expect_problem(422, "labour_share");
        assert!(
            p["detail"].as_str().unwrap().contains("la part de main-d’œuvre est un pourcentage entre 0 et 100"),
            "{p}"
        );
        env.get("/api/v1/clauses/hours?amount=100000000&labour_share=50&rate=0&hourly_cost=3000", &ANON)
            .await
            .expect_problem(422, "rate");
        let p = env
            .get("/api/v1/clauses/hours?amount=100000000&labour_share=50&rate=5", &ANON)
            .await
            .expect_problem(422, "hourly_cost");
        assert_eq!(p["title"], "Données invalides");
        assert_eq!(p["detail"], "Le coût horaire moyen est obligatoire.");
    })
    .await;
}

#[tokio::test]
async fn a_buyer_drafts_a_lot_clause_that_the_public_page_shows() {
    for_each_backend("clause_draft", async |env| {
        let id = env.create(&env.buyer_a, &minimal("Réfection du gymnase")).await;
        let auth = env.buyer_a.page();
        // The manage page links to each lot's clause; the form starts from the building trade.
        let manage = env.get(&format!("/acheteur/consultations/{id}"), &auth).await;
        assert!(manage.text().contains(&clause_path(id, 1)));
        let form = env.get(&clause_path(id, 1), &auth).await;
        form.expect(200);
        let html = form.text();
        assert!(html.contains(r#"name="labour_share" value="50""#), "building works: 50 %");
        assert!(html.contains(r#"name="hourly_cost" value="30,00""#));

        // "Calculer" re-renders the form with the hours and saves nothing.
        let r = env.post_form(&clause_path(id, 1), &auth, &clause_form("calculer")).await;
        r.expect(200);
        assert!(visible(&r.text()).contains("Heures d’insertion calculées : 833 heures"), "{}", visible(&r.text()));
        assert_eq!(clauses(&env, id).await, 0);

        let audit = env.audit_len().await;
        env.post_form(&clause_path(id, 1), &auth, &clause_form("enregistrer"))
            .await
            .expect_redirect(&format!("/acheteur/consultations/{id}#clauses-sociales"));
        assert_eq!(env.audit_len().await, audit + 1, "the clause is audited");
        let stored = env.store.social_clauses(id).await.unwrap();
        assert_eq!(stored[0].lot_number, 1);
        assert_eq!(stored[0].spec.required_hours(), Some(833));

        // An override replaces the computed hours only with a written reason.
        let mut f = clause_form("enregistrer");
        f.push(("override_hours", "1000"));
        let r = env.post_form(&clause_path(id, 1), &auth, &f).await;
        r.expect(422);
        assert!(r.text().contains("Expliquez par écrit pourquoi"));
        f.push(("override_reason", "Chantier en QPV : objectif ANRU de 6 %."));
        env.post_form(&clause_path(id, 1), &auth, &f).await.expect(303);
        assert_eq!(env.store.social_clauses(id).await.unwrap()[0].spec.required_hours(), Some(1000));

        env.publish(&env.buyer_a, id).await;
        // (`visible` folds the no-break spaces of amounts and percentages into plain ones.)
        let page = visible(&env.get(&format!("/consultations/{id}"), &ANON).await.text());
        for text in [
            "Clauses sociales d’insertion",
            "Lot 1 — Peinture intérieure",
            "Condition d’exécution (article L2112-2)",
            "1 000 heures retenues, au lieu des 833 heures calculées",
            "(1 000 000,00 € HT × 50 % de main-d’œuvre",
            "× 5 % d’insertion ÷ 30,00 € HT de l’heure). Motif : Chantier en QPV",
            "Jeunes de moins de 26 ans peu qualifiés",
            "Intérim d’insertion (ETTI)",
            "Seine-Saint-Denis (93)",
        ] {
            assert!(page.contains(text), "{text} in {page}");
        }
        let api = env.get(&format!("/api/v1/consultations/{id}"), &ANON).await.json();
        assert_eq!(api["social_considerations"], json!(["Clause sociale"]), "the DECP flag follows the clause");
        let found = env.get("/api/v1/consultations?clause=sociale", &ANON).await.json();
        assert!(found["items"].as_array().unwrap().iter().any(|c| c["id"] == id), "{found}");
        assert_eq!(api["social_clauses"][0]["required_hours"], 1000);
        assert_eq!(api["social_clauses"][0]["computed_hours"], 833);

        // Once published, a change needs a reason and publishes an avis rectificatif.
        let r = env.post_form(&clause_path(id, 1), &auth, &clause_form("enregistrer")).await;
        r.expect(422);
        assert!(r.text().contains("Le motif de la modification est obligatoire."));
        let mut f = clause_form("enregistrer");
        f.push(("reason", "Retour au calcul standard."));
        env.post_form(&clause_path(id, 1), &auth, &f).await.expect(303);
        let page = visible(&env.get(&format!("/consultations/{id}"), &ANON).await.text());
        assert!(page.contains("Clause sociale (lot 1) : Retour au calcul standard."), "{page}");
    })
    .await;
}

#[tokio::test]
async fn bad_clause_input_leaves_nothing_saved() {
    for_each_backend("clause_invalid", async |env| {
        let id = env.create(&env.buyer_a, &minimal("Réfection du gymnase")).await;
        let audit = env.audit_len().await;
        let f: Vec<(&str, &str)> = vec![
            ("legal_basis", "article 14"),
            ("amount", "beaucoup"),
            ("labour_share", "0"),
            ("rate", "5"),
            ("hourly_cost", "30"),
            ("facilitator_departement", "13"),
            ("body", ""),
            ("action", "enregistrer"),
        ];
        let r = env.post_form(&clause_path(id, 1), &env.buyer_a.page(), &f).await;
        r.expect(422);
        let html = r.text();
        for m in [
            "La clause n’a pas été enregistrée",
            "« article 14 » : valeur inconnue pour « base légale »",
            "« beaucoup » n’est pas un montant en euros valide",
            "La part de main-d’œuvre doit être supérieure à 0\u{a0}%.",
            "Choisissez au moins un public éligible.",
            "Choisissez au moins une modalité de mise en œuvre.",
            "Le département « 13 » n’est pas en Île-de-France",
            "Le texte de la clause est obligatoire.",
        ] {
            assert!(html.contains(m), "{m}");
        }
        assert!(html.contains(r#"value="beaucoup""#), "what was typed comes back");
        assert_eq!(clauses(&env, id).await, 0);
        assert_eq!(env.audit_len().await, audit);
        // A lot that does not exist.
        env.post_form(&clause_path(id, 7), &env.buyer_a.page(), &clause_form("enregistrer")).await.expect(404);
    })
    .await;
}

#[tokio::test]
async fn only_the_organisations_buyers_draft_its_clauses() {
    for_each_backend("clause_forbidden", async |env| {
        let draft = env.create(&env.buyer_a, &minimal("Brouillon")).await;
        let (published, _) = env.published("Publiée").await;
        for (id, status) in [(draft, 404), (published, 403)] {
            // Another organisation's buyer: a draft does not exist for them, a published one is not theirs.
            env.get(&clause_path(id, 1), &env.buyer_b.page()).await.expect(status);
            env.post_form(&clause_path(id, 1), &env.buyer_b.page(), &clause_form("enregistrer")).await.expect(status);
            env.post_form(&clause_path(id, 1), &env.buyer_b.page(), &clause_form("calculer")).await.expect(status);
            // Firms and facilitators have no buyer space; anonymous visitors sign in first.
            for who in [&env.firm, &env.facilitator] {
                env.post_form(&clause_path(id, 1), &who.page(), &clause_form("enregistrer")).await.expect(403);
            }
            let r = env.post_form(&clause_path(id, 1), &ANON, &clause_form("enregistrer")).await;
            r.expect(303);
            assert!(r.location().unwrap().starts_with("/connexion"));
            assert_eq!(clauses(&env, id).await, 0);
        }
        // After the deadline the clause is frozen, even for its buyers.
        env.set_time(crate::support::at("2026-12-16T09:00:00Z"));
        let auth = env.sign_in(&env.buyer_a).await;
        env.post_form(&clause_path(published, 1), &auth, &clause_form("enregistrer")).await.expect(409);
    })
    .await;
}

#[tokio::test]
async fn a_buyer_removes_a_lot_clause_with_a_reason_once_published() {
    for_each_backend("clause_removed", async |env| {
        let id = env.create(&env.buyer_a, &minimal("Réfection du gymnase")).await;
        let auth = env.buyer_a.page();
        assert!(!env.get(&clause_path(id, 1), &auth).await.text().contains("value=\"supprimer\""), "nothing to remove");
        env.post_form(&clause_path(id, 1), &auth, &clause_form("supprimer")).await.expect(404);
        env.post_form(&clause_path(id, 1), &auth, &clause_form("enregistrer")).await.expect(303);
        assert!(env.get(&clause_path(id, 1), &auth).await.text().contains("Retirer la clause de ce lot"));

        // A draft's clause goes at once, and the DECP flag with it.
        env.post_form(&clause_path(id, 1), &auth, &clause_form("supprimer")).await.expect(303);
        assert_eq!(clauses(&env, id).await, 0);
        let api = env.get(&format!("/api/v1/consultations/{id}"), &env.buyer_a.api()).await.json();
        assert_eq!(api["social_considerations"], json!(["Pas de considération sociale"]), "{api}");

        // Published: another organisation may not, the buyer needs a reason, which the avis
        // rectificatif tells.
        env.post_form(&clause_path(id, 1), &auth, &clause_form("enregistrer")).await.expect(303);
        env.publish(&env.buyer_a, id).await;
        env.post_form(&clause_path(id, 1), &env.buyer_b.page(), &clause_form("supprimer")).await.expect(403);
        let audit = env.audit_len().await;
        let r = env.post_form(&clause_path(id, 1), &auth, &clause_form("supprimer")).await;
        r.expect(422);
        assert!(r.text().contains("Le motif de la modification est obligatoire."));
        assert_eq!((clauses(&env, id).await, env.audit_len().await), (1, audit), "nothing removed");
        let mut f = clause_form("supprimer");
        f.push(("reason", "Le lot sera réservé aux SIAE."));
        env.post_form(&clause_path(id, 1), &auth, &f).await.expect(303);
        assert_eq!(clauses(&env, id).await, 0);
        let page = visible(&env.get(&format!("/consultations/{id}"), &ANON).await.text());
        assert!(page.contains("Clause sociale (lot 1) : retrait — Le lot sera réservé aux SIAE."), "{page}");
        assert!(!page.contains("Condition d’exécution (article L2112-2)"), "{page}");
        let found = env.get("/api/v1/consultations?clause=sociale", &ANON).await.json();
        assert!(!found["items"].as_array().unwrap().iter().any(|c| c["id"] == id), "{found}");
    })
    .await;
}

#[tokio::test]
async fn a_buyer_starts_a_clause_from_a_model_of_the_library() {
    for_each_backend("clause_model", async |env| {
        let id = env.create(&env.buyer_a, &minimal("Réfection du gymnase")).await;
        let auth = env.buyer_a.page();
        let model = |title: &'static str, cpv: &'static str, basis: &'static str, body: &'static str| {
            [("kind", "clause"), ("title", title), ("legal_basis", basis), ("cpv", cpv), ("body", body)]
        };
        let works = model(
            "Clause d’insertion pour les travaux du bâtiment",
            "45000000-7",
            "L2112-2",
            "Le titulaire réserve 7 % des heures travaillées à des personnes éloignées de l’emploi.",
        );
        let cleaning = model("Nettoyage : critère d’insertion", "90910000-9", "L2152-7", "Critère d’insertion.");
        for m in [&works, &cleaning] {
            env.post_form("/bibliotheque", &env.facilitator.page(), m).await.expect(303);
        }
        let library = env.store.practices(&store::PracticeFilter::default()).await.unwrap();
        let id_of = |t: &str| library.iter().find(|p| p.practice.title == t).unwrap().id;
        let (works_id, cleaning_id) = (id_of(works[1].1), id_of(cleaning[1].1));

        // Only the model of the lot's trade (painting is building work) is offered.
        let html = env.get(&clause_path(id, 1), &auth).await.text();
        assert!(html.contains(&format!("<option value=\"{works_id}\">")), "{html}");
        assert!(!html.contains(&format!("<option value=\"{cleaning_id}\">")));

        // Taking it fills the text and the basis, keeps what was typed, counts a reuse, saves
        // no clause.
        let mut f = clause_form("modele");
        f.retain(|(k, _)| *k != "body" && *k != "legal_basis");
        f.push(("legal_basis", "L2152-7"));
        let works_text = works_id.to_string();
        f.push(("model", &works_text));
        let r = env.post_form(&clause_path(id, 1), &auth, &f).await;
        r.expect(200);
        let html = r.text();
        assert!(html.contains("Le titulaire réserve 7 % des heures travaillées"), "{html}");
        assert!(html.contains("<option value=\"L2112-2\" selected>"), "the model's basis");
        assert!(html.contains(r#"name="amount" value="1 000 000""#), "what was typed stays");
        assert!(visible(&html).contains("Texte repris de « Clause d’insertion pour les travaux du bâtiment »"));
        assert_eq!(clauses(&env, id).await, 0);
        let used = env.store.practice(works_id).await.unwrap();
        assert_eq!(used.uses, 1);

        // A model of another trade, or none, is refused by name.
        let cleaning_text = cleaning_id.to_string();
        for m in [cleaning_text.as_str(), "", "abc"] {
            let mut f = clause_form("modele");
            f.push(("model", m));
            let r = env.post_form(&clause_path(id, 1), &auth, &f).await;
            r.expect(422);
            assert!(r.text().contains("Choisissez une clause type de la bibliothèque."));
        }
        assert_eq!(env.store.practice(cleaning_id).await.unwrap().uses, 0);
        env.post_form(&clause_path(id, 1), &env.buyer_b.page(), &f).await.expect(404);
    })
    .await;
}
