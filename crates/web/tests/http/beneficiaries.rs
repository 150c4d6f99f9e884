//! Issue 6, slice 2: beneficiaries (RGPD). Facilitators see only their départements; the
//! identity is on one page, each reading audited; firms, buyers and administrators are refused.

use app::{NewAccount, TokenKind};

use crate::support::{ANON, Account, Env, PASSWORD, for_each_backend, visible};

fn person(commune: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("last_name", "Martin"),
        ("first_name", "Inès"),
        ("birth_date", "2001-07-14"),
        ("contact", "06 12 34 56 78"),
        ("sex", "f"),
        ("commune", commune),
        ("qpv", "oui"),
        ("diploma", "3"),
        ("criteria", "JEUNE"),
        ("criteria", "QPV"),
        ("prescriber", "mission_locale"),
        ("retention_until", "2028-03-10"),
    ]
}

/// A facilitator of Paris (75), created by the administrator (signed in afresh: the clock may
/// have moved past the seeded session).
pub(crate) async fn paris_facilitator(env: &Env) -> Account {
    let (cookie, _) = env.app.login("admin@halle.test", PASSWORD, TokenKind::Cookie).await.unwrap();
    let admin = env.app.authenticate(Some(&cookie)).await.unwrap();
    let input = NewAccount {
        email: "facilitateur@75.test".into(),
        name: "Paul Facilitateur".into(),
        password: PASSWORD.into(),
        role: "facilitateur".into(),
        organisation_id: None,
        departements: vec!["75".into()],
    };
    let id = env.app.create_account(&admin, &input).await.unwrap();
    let (cookie, _) = env.app.login("facilitateur@75.test", PASSWORD, TokenKind::Cookie).await.unwrap();
    let (token, _) = env.app.login("facilitateur@75.test", PASSWORD, TokenKind::Api).await.unwrap();
    Account { id, email: input.email, name: input.name, cookie, token }
}

/// Records a person through the form; returns their number.
async fn record(env: &Env, who: &Account, commune: &'static str) -> i64 {
    env.post_form("/facilitateur/beneficiaires/nouveau", &who.page(), &person(commune))
        .await
        .expect_redirect("/facilitateur#beneficiaires");
    let list = env.get("/api/v1/beneficiaries", &who.api()).await;
    list.json()["items"][0]["id"].as_i64().expect("the newest first")
}

#[tokio::test]
async fn a_facilitator_records_and_lists_the_beneficiaries_of_their_territory() {
    for_each_backend("beneficiaries_territory", async |env| {
        let paris = paris_facilitator(&env).await;
        let in_93 = record(&env, &env.facilitator, "93066").await;
        let in_75 = record(&env, &paris, "75112").await;

        // The API: own territory only, with the département, no identity field at all.
        let items = env.get("/api/v1/beneficiaries", &env.facilitator.api()).await.json()["items"].clone();
        let items = items.as_array().unwrap();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0]["id"], in_93);
        assert_eq!(items[0]["departement"], "93");
        assert_eq!(items[0]["birth_year"], 2001);
        let text = serde_json::to_string(items).unwrap();
        for identity in ["Martin", "Inès", "2001-07-14", "06 12"] {
            assert!(!text.contains(identity), "{identity} in {text}");
        }
        let other = env.get("/api/v1/beneficiaries?departement=75", &env.facilitator.api()).await.json();
        assert_eq!(other["items"], serde_json::json!([]), "another territory is not reachable by filter");
        assert_eq!(env.get("/api/v1/beneficiaries", &paris.api()).await.json()["items"][0]["id"], in_75);

        // The pages: the list is pseudonymous; the identity of another territory's person does not exist.
        let list = visible(&env.get("/facilitateur", &env.facilitator.page()).await.text());
        assert!(list.contains(&format!("Bénéficiaire n° {in_93}")) && !list.contains(&format!("n° {in_75}")));
        assert!(!list.contains("Martin"));
        env.get(&format!("/facilitateur/beneficiaires/{in_75}"), &env.facilitator.page()).await.expect(404);
        env.post_form(&format!("/facilitateur/beneficiaires/{in_75}/supprimer"), &env.facilitator.page(), &[])
            .await
            .expect(404);

        // A person living outside the territory cannot be recorded there.
        let audit = env.audit_len().await;
        let r = env.post_form("/facilitateur/beneficiaires/nouveau", &env.facilitator.page(), &person("75112")).await;
        r.expect(422);
        assert!(r.text().contains("hors de votre territoire (93, 94)"));
        assert_eq!(env.audit_len().await, audit, "nothing saved");
        assert_eq!(
            env.get("/api/v1/beneficiaries", &env.facilitator.api()).await.json()["items"].as_array().unwrap().len(),
            1
        );
    })
    .await;
}

#[tokio::test]
async fn each_identity_read_is_audited_and_erasure_removes_everything() {
    for_each_backend("beneficiaries_identity", async |env| {
        let id = record(&env, &env.facilitator, "93066").await;
        let subject = format!("beneficiaire:{id}");
        let entries = env.store.audit_for(&subject).await.unwrap();
        assert_eq!(entries.len(), 1);
        assert!(!entries[0].details.contains("Martin"), "no identity in the audit log");

        let page =
            visible(&env.get(&format!("/facilitateur/beneficiaires/{id}"), &env.facilitator.page()).await.text());
        assert!(
            page.contains("Inès Martin") && page.contains("14 juillet 2001") && page.contains("06 12 34 56 78"),
            "{page}"
        );
        env.get(&format!("/facilitateur/beneficiaires/{id}"), &env.facilitator.page()).await.expect(200);
        let reads: Vec<_> = env
            .store
            .audit_for(&subject)
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.action == "beneficiaire.identite_lue")
            .collect();
        assert_eq!(reads.len(), 2, "every reading");
        assert_eq!(reads[0].actor, format!("user:{}", env.facilitator.id));

        env.post_form(&format!("/facilitateur/beneficiaires/{id}/supprimer"), &env.facilitator.page(), &[])
            .await
            .expect_redirect("/facilitateur#beneficiaires");
        env.get(&format!("/facilitateur/beneficiaires/{id}"), &env.facilitator.page()).await.expect(404);
        assert_eq!(
            env.get("/api/v1/beneficiaries", &env.facilitator.api()).await.json()["items"],
            serde_json::json!([])
        );
        assert!(env.store.audit_for(&subject).await.unwrap().iter().any(|e| e.action == "beneficiaire.supprime"));

        // At the retention date (10 March 2028), the platform erases the person.
        let kept = record(&env, &env.facilitator, "93066").await;
        env.set_time(crate::support::at("2028-03-10T12:00:00Z"));
        assert_eq!(env.app.purge_expired_beneficiaries().await.unwrap(), 0, "the last day is still kept");
        env.set_time(crate::support::at("2028-03-11T12:00:00Z"));
        assert_eq!(env.app.purge_expired_beneficiaries().await.unwrap(), 1);
        assert!(env.store.beneficiary(kept).await.is_err());
        let erased = env.store.audit_for(&format!("beneficiaire:{kept}")).await.unwrap();
        assert_eq!(
            (erased[0].action.as_str(), erased[0].actor.as_str()),
            ("beneficiaire.supprime", "systeme:duree-de-conservation")
        );
    })
    .await;
}

#[tokio::test]
async fn firms_buyers_and_administrators_are_refused() {
    for_each_backend("beneficiaries_forbidden", async |env| {
        let id = record(&env, &env.facilitator, "93066").await;
        let r = env.get("/api/v1/beneficiaries", &ANON).await;
        r.expect(401);
        assert_eq!(r.header("content-type"), Some("application/problem+json"));
        for who in [&env.firm, &env.buyer_a, &env.admin] {
            let p = env.get("/api/v1/beneficiaries", &who.api()).await;
            p.expect(403);
            assert_eq!(p.json()["detail"], "Réservé aux facilitateurs des clauses sociales.");
            env.get("/facilitateur", &who.page()).await.expect(403);
            env.get(&format!("/facilitateur/beneficiaires/{id}"), &who.page()).await.expect(403);
            env.post_form("/facilitateur/beneficiaires/nouveau", &who.page(), &person("93066")).await.expect(403);
            env.post_form(&format!("/facilitateur/beneficiaires/{id}/supprimer"), &who.page(), &[]).await.expect(403);
        }
        let r = env.get(&format!("/facilitateur/beneficiaires/{id}"), &ANON).await;
        r.expect(303);
        assert!(r.location().unwrap().starts_with("/connexion"));
        let reads = env.store.audit_for(&format!("beneficiaire:{id}")).await.unwrap();
        assert_eq!(reads.len(), 1, "no refused attempt read the identity");
    })
    .await;
}
