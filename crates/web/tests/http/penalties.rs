//! Issue 6: penalties of a social clause — proposed by the contract's facilitator or buyer,
//! applied or waived by the buyer only, seen by the titulaire — and the list of contracts with
//! a clause for their buyer and for the platform's coordinators.

use serde_json::json;

use crate::placements::{awarded, post};
use crate::support::{ANON, for_each_backend, visible};

#[tokio::test]
async fn the_facilitator_proposes_a_penalty_and_only_the_buyer_decides() {
    for_each_backend("penalties", async |env| {
        let c = awarded(&env).await;
        let penalties = format!("{}/penalites", c.path);
        // The form offers the hours still missing.
        let page = env.get(&c.path, &c.facilitator).await.text();
        assert!(page.contains("name=\"hours_missing\" inputmode=\"numeric\" value=\"833\""), "{page}");
        let title = &page[page.find("<title>").unwrap()..page.find("</title>").unwrap()];
        assert!(title.starts_with("<title>Clause sociale — ") && !title[1..].contains('<'), "{title}");

        // Mistakes are named and nothing is saved.
        let audit = env.audit_len().await;
        let r = env
            .post_form(
                &penalties,
                &c.facilitator,
                &[("reason", "heures_non_realisees"), ("per_hour", "45"), ("note", "")],
            )
            .await;
        r.expect(422);
        let text = r.text();
        assert!(text.contains("Indiquez le nombre d’heures d’insertion non réalisées."), "{text}");
        assert!(text.contains("Le constat"), "{text}");
        assert!(text.contains(r#"name="per_hour" inputmode="decimal" value="45""#), "what was typed stays: {text}");
        assert!(text.contains(r#"aria-describedby="hours_missing-erreur""#), "the field says what is wrong");
        assert_eq!(env.audit_len().await, audit);
        assert!(env.store.penalties(c.id, 1).await.unwrap().is_empty());

        // The amount from the contract's rate: 433 hours × 45 €.
        let proposal = [
            ("reason", "heures_non_realisees"),
            ("hours_missing", "433"),
            ("per_hour", "45"),
            ("amount", ""),
            ("note", "Bilan à douze mois : 400 heures réalisées sur 833."),
        ];
        env.post_form(&penalties, &c.facilitator, &proposal).await.expect_redirect(&format!("{}#penalites", c.path));
        let p = env.store.penalties(c.id, 1).await.unwrap();
        assert_eq!(p.len(), 1);
        assert_eq!((p[0].spec.amount.0, p[0].status.code()), (1_948_500, "proposee"));
        let id = p[0].id;

        // Neither the titulaire nor the facilitator decides; the firm cannot propose.
        for who in [&c.firm, &c.facilitator] {
            env.post_form(&format!("/clauses/penalites/{id}/appliquer"), who, &[]).await.expect(403);
        }
        env.post_form(&penalties, &c.firm, &proposal).await.expect(403);
        env.post_form(&format!("/clauses/penalites/{id}/appliquer"), &ANON, &[]).await.expect(303);
        let buyer_b = env.sign_in(&env.buyer_b).await;
        env.post_form(&format!("/clauses/penalites/{id}/appliquer"), &buyer_b, &[]).await.expect(403);
        env.post_form(&penalties, &buyer_b, &proposal).await.expect(403);
        let admin = env.sign_in(&env.admin).await;
        env.post_form(&format!("/clauses/penalites/{id}/appliquer"), &admin, &[]).await.expect(403);
        env.post_form(&penalties, &admin, &proposal).await.expect(403);
        assert_eq!(env.store.penalties(c.id, 1).await.unwrap()[0].status.code(), "proposee");

        // The buyer applies it once; the titulaire sees it.
        let buyer = env.sign_in(&env.buyer_a).await;
        let page = env.get(&c.path, &buyer).await.text();
        assert!(page.contains(&format!("/clauses/penalites/{id}/appliquer")), "the buyer's buttons");
        env.post_form(&format!("/clauses/penalites/{id}/appliquer"), &buyer, &[])
            .await
            .expect_redirect(&format!("{}#penalites", c.path));
        env.post_form(&format!("/clauses/penalites/{id}/abandonner"), &buyer, &[]).await.expect(409);
        assert_eq!(env.store.penalties(c.id, 1).await.unwrap()[0].status.code(), "appliquee");
        env.post_form(&format!("/clauses/penalites/{id}/annuler"), &buyer, &[]).await.expect(404);
        env.post_form("/clauses/penalites/999/appliquer", &buyer, &[]).await.expect(404);
        let seen = visible(&env.get(&c.path, &c.firm).await.text());
        assert!(seen.contains("Heures d’insertion non réalisées 433 19 485,00 € HT"), "{seen}");
        assert!(seen.contains("Appliquée (proposée le"), "{seen}");

        // The buyer may propose too, with an amount of its own, and waive it.
        let own = [("reason", "justificatifs_non_transmis"), ("amount", "500"), ("note", "Relevés de mai absents.")];
        env.post_form(&penalties, &buyer, &own).await.expect(303);
        let second = env.store.penalties(c.id, 1).await.unwrap()[1].id;
        env.post_form(&format!("/clauses/penalites/{second}/abandonner"), &buyer, &[]).await.expect(303);
        let p = env.store.penalties(c.id, 1).await.unwrap();
        assert_eq!((p[1].spec.amount.0, p[1].status.code()), (50_000, "abandonnee"));

        // The same follow-up through the API, for those who follow the contract only.
        let api = format!("/api/v1/clauses/contracts/{}/1", c.id);
        let firm_token = env.api_token(&env.firm).await;
        let list = env.get("/api/v1/clauses/contracts", &firm_token).await.json();
        assert_eq!(list["items"][0]["url"], api.as_str(), "{list}");
        assert_eq!(
            (list["items"][0]["hours_required"].clone(), list["items"][0]["departement"].clone()),
            (json!(833), json!("93"))
        );
        let detail = env.get(&api, &firm_token).await.json();
        assert_eq!(detail["penalties"][0]["amount_cents"], 1_948_500);
        assert_eq!(detail["penalties"][0]["status"], "appliquee");
        assert_eq!(detail["penalties"][1]["status"], "abandonnee");
        assert_eq!(detail["legal_basis"], "L2112-2");
        assert!(!detail.to_string().contains("Martin"), "no identity: {detail}");
        let anonymous = env.get("/api/v1/clauses/contracts", &ANON).await;
        anonymous.expect(401);
        assert_eq!(anonymous.header("content-type"), Some("application/problem+json"));
        env.get(&api, &ANON).await.expect(401);
        let buyer_b_token = env.api_token(&env.buyer_b).await;
        assert_eq!(env.get("/api/v1/clauses/contracts", &buyer_b_token).await.json()["items"], json!([]));
        env.get(&api, &buyer_b_token).await.expect(403);
        env.get("/api/v1/clauses/contracts/999/1", &firm_token).await.expect(404);
    })
    .await;
}

#[tokio::test]
async fn buyers_see_their_contracts_with_a_clause_and_coordinators_all() {
    for_each_backend("clause_contracts_lists", async |env| {
        let c = awarded(&env).await;
        let buyer = env.sign_in(&env.buyer_a).await;
        let mine = visible(&env.get("/clauses/contrats", &buyer).await.text());
        assert!(mine.contains("Réfection du gymnase") && mine.contains("0 heures validées sur 833"), "{mine}");
        assert!(env.get("/acheteur", &buyer).await.text().contains("href=\"/clauses/contrats\""));
        let buyer_b = env.sign_in(&env.buyer_b).await;
        let theirs = visible(&env.get("/clauses/contrats", &buyer_b).await.text());
        assert!(theirs.contains("Aucun contrat attribué avec une clause sociale"), "{theirs}");

        // The coordinators read every contract and act on none.
        let admin = env.sign_in(&env.admin).await;
        assert!(visible(&env.get("/clauses/contrats", &admin).await.text()).contains("Réfection du gymnase"));
        let page = env.get(&c.path, &admin).await;
        page.expect(200);
        let html = page.text();
        for form in ["/engagement\"", "/placements\"", "/heures\"", "/penalites\""] {
            assert!(!html.contains(form), "{form}");
        }
        env.post_form(&format!("{}/engagement", c.path), &admin, &[("commitment", "x")]).await.expect(403);
        post(&env, &format!("{}/placements", c.path), &admin, &crate::placements::placement("1", "etti"))
            .await
            .expect(403);
        env.get("/clauses/contrats", &ANON).await.expect(303);
    })
    .await;
}
