//! Story 4: a firm registers with a checked SIRET; its users ask questions; the buyer answers;
//! answers are public without the asker's identity; no questions after the deadline.

use jiff::SignedDuration;
use serde_json::json;

use crate::support::{ANON, Auth, FIRM_SIRET, PASSWORD, at, for_each_backend, minimal, visible};

fn registration<'a>(siret: &'a str, email: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("siret", siret),
        ("name", "Bâtiments Martin"),
        ("size", "micro"),
        ("address", "3 avenue Jean Moulin, 94300 Vincennes"),
        ("departement", "94"),
        ("user_name", "Léa Martin"),
        ("email", email),
        ("password", PASSWORD),
    ]
}

#[tokio::test]
async fn a_firm_registers_with_a_checked_siret() {
    for_each_backend("register_firm", async |env| {
        let form = env.get("/inscription", &ANON).await;
        form.expect(200);
        assert!(form.text().contains("Inscrire mon entreprise"));
        let firms = async || env.store.organisations(domain::organisation::OrgRole::Entreprise).await.unwrap().len();
        assert_eq!(firms().await, 1);

        for (siret, message) in [
            ("44000000000017", "clé de contrôle est fausse"),
            // Digits sum to a multiple of 5, but this is not La Poste: Luhn applies.
            ("44000000000002", "clé de contrôle est fausse"),
            // La Poste, digit sum not a multiple of 5.
            ("35600000000003", "clé de contrôle est fausse"),
            ("4400000000001", "exactement 14 chiffres"),
            ("4400000000001A", "exactement 14 chiffres"),
        ] {
            let r = env.post_form("/inscription", &ANON, &registration(siret, "lea@martin.test")).await;
            r.expect(422);
            let html = r.text();
            let at = html.find("id=\"siret-erreur\"").unwrap_or_else(|| panic!("{siret}: {html}"));
            assert!(visible(&html[at..at + 400]).contains(message), "{siret}");
            assert!(html.contains(&format!("value=\"{siret}\"")), "what was typed is kept");
            assert!(!html.contains(PASSWORD), "the password is never sent back");
            assert!(r.header("set-cookie").is_none());
        }
        assert_eq!(firms().await, 1, "nothing saved");

        // Other fields are checked and named too.
        let r = env
            .post_form(
                "/inscription",
                &ANON,
                &[
                    ("siret", "44000000000016"),
                    ("name", ""),
                    ("size", "enorme"),
                    ("address", ""),
                    ("departement", "100"),
                    ("user_name", ""),
                    ("email", "x"),
                    ("password", "court"),
                ],
            )
            .await;
        r.expect(422);
        for f in ["name", "size", "address", "departement", "user_name", "email", "password"] {
            assert!(r.text().contains(&format!("id=\"{f}-erreur\"")), "{f}");
        }

        // La Poste's exception: 356000000… with a digit sum multiple of 5 passes without Luhn.
        let r = env.post_form("/inscription", &ANON, &registration("356 000 000 00001", "guichet@laposte.test")).await;
        r.expect_redirect("/consultations");
        // Registered and signed in at once.
        let cookie =
            r.header("set-cookie").unwrap().split(';').next().unwrap().trim_start_matches("halle_session=").to_string();
        let page = env.get("/consultations", &Auth::Cookie(cookie)).await.text();
        assert!(page.contains("Léa Martin"), "signed in");
        let saved = env.store.organisations(domain::organisation::OrgRole::Entreprise).await.unwrap();
        let poste = saved.iter().find(|o| o.siret == "35600000000001").expect("stored without spaces");
        assert_eq!(poste.size, Some(domain::organisation::FirmSize::Micro));
        assert_eq!(poste.departement, "94");

        // A Luhn-valid SIRET from anywhere in France (here Lyon, 69).
        let mut form = registration("44000000000016", "contact@lyon.test");
        form[4] = ("departement", "69");
        env.post_form("/inscription", &ANON, &form).await.expect_redirect("/consultations");

        // The same SIRET twice, or the same address twice: refused.
        let r = env.post_form("/inscription", &ANON, &registration(FIRM_SIRET, "autre@dupont.test")).await;
        r.expect(422);
        assert!(visible(&r.text()).contains("Cette entreprise est déjà inscrite"));
        let r = env.post_form("/inscription", &ANON, &registration("55000000000012", "camille@dupont.test")).await;
        r.expect(422);
        assert!(r.text().contains("id=\"email-erreur\""));
        assert!(visible(&r.text()).contains("Un compte existe déjà avec cette adresse"));
        assert_eq!(firms().await, 3);
        assert!(env.store.credentials("autre@dupont.test").await.is_err());
    })
    .await;
}

#[tokio::test]
async fn a_firm_asks_the_buyer_answers_and_the_answer_is_public_without_the_asker() {
    for_each_backend("questions", async |env| {
        let (id, _) = env.published("Restauration scolaire").await;
        // The public page invites to sign in; the firm's page offers the form.
        let anon_page = env.get(&format!("/consultations/{id}"), &ANON).await.text();
        assert!(anon_page.contains(&format!("href=\"/connexion?suite=/consultations/{id}\"")));
        assert!(!anon_page.contains("name=\"question\""));
        assert!(env.get(&format!("/consultations/{id}"), &env.firm.page()).await.text().contains("name=\"question\""));

        // The firm's user belongs to the firm that registered.
        let t =
            env.post_json("/api/v1/auth/token", &ANON, &json!({"email": env.firm.email, "password": PASSWORD})).await;
        assert_eq!(t.expect(200).json()["user"]["organisation_id"], env.firm_org);
        assert_eq!(t.json()["user"]["role"], "entreprise");

        // Ask through the page (plain form post, redirect) and the API.
        let r = env
            .post_form(
                &format!("/consultations/{id}/questions"),
                &env.firm.page(),
                &[("question", "Les repas bio comptent-ils ?")],
            )
            .await;
        r.expect_redirect(&format!("/consultations/{id}?envoye=1#questions"));
        assert!(
            env.get(r.location().unwrap(), &env.firm.page()).await.text().contains("Votre question a été transmise")
        );
        let r = env
            .post_json(
                &format!("/api/v1/consultations/{id}/questions"),
                &env.firm.api(),
                &json!({"question": "Quelle est la durée du marché ?"}),
            )
            .await;
        r.expect(201);
        let q2 = r.json()["id"].as_i64().unwrap();
        env.post_form(&format!("/consultations/{id}/questions"), &env.firm.page(), &[("question", "   ")])
            .await
            .expect(422);
        env.post_json(&format!("/api/v1/consultations/{id}/questions"), &env.firm.api(), &json!({"question": ""}))
            .await
            .expect_problem(422, "question");

        // Only firms ask.
        env.post_json(&format!("/api/v1/consultations/{id}/questions"), &ANON, &json!({"question": "?"}))
            .await
            .expect(401);
        env.post_form(&format!("/consultations/{id}/questions"), &ANON, &[("question", "?")])
            .await
            .expect_redirect("/connexion");
        for who in [&env.buyer_a, &env.buyer_b, &env.facilitator] {
            env.post_json(&format!("/api/v1/consultations/{id}/questions"), &who.api(), &json!({"question": "?"}))
                .await
                .expect(403);
        }

        // Unanswered questions are not public; the buyer sees them with the asker.
        let public = env.get(&format!("/api/v1/consultations/{id}"), &ANON).await.json();
        assert_eq!(public["questions"], json!([]));
        let owner = env.owner_view(id).await;
        let questions = owner["questions"].as_array().unwrap();
        assert_eq!(questions.len(), 2);
        assert!(questions.iter().all(|q| q["asker"].as_str().unwrap().contains("Peintures Dupont")));
        let q1 =
            questions.iter().find(|q| q["question"] == "Les repas bio comptent-ils ?").unwrap()["id"].as_i64().unwrap();
        let manage = env.get(&format!("/acheteur/consultations/{id}"), &env.buyer_a.page()).await.text();
        assert!(visible(&manage).contains("Peintures Dupont (camille@dupont.test)"));
        assert!(manage.contains(&format!("action=\"/acheteur/questions/{q1}/reponse\"")));

        // The buyer answers through the page and the API.
        env.post_form(
            &format!("/acheteur/questions/{q1}/reponse"),
            &env.buyer_a.page(),
            &[("answer", "Oui, au titre du critère 2.")],
        )
        .await
        .expect_redirect(&format!("/acheteur/consultations/{id}#questions"));
        env.post_json(&format!("/api/v1/questions/{q2}/answer"), &env.buyer_a.api(), &json!({"answer": ""}))
            .await
            .expect_problem(422, "answer");
        let r = env
            .post_json(&format!("/api/v1/questions/{q2}/answer"), &env.buyer_a.api(), &json!({"answer": "Trois ans."}))
            .await;
        r.expect(200);
        assert_eq!(r.json()["consultation_id"], id);
        // Nobody else answers.
        for auth in [env.buyer_b.api(), env.firm.api(), env.facilitator.api(), env.admin.api()] {
            let r = env.post_json(&format!("/api/v1/questions/{q2}/answer"), &auth, &json!({"answer": "Faux"})).await;
            assert_eq!(r.status.as_u16(), 403, "{}", r.text());
        }
        env.post_json(&format!("/api/v1/questions/{q2}/answer"), &ANON, &json!({"answer": "Faux"})).await.expect(401);
        env.post_json("/api/v1/questions/999999/answer", &env.buyer_a.api(), &json!({"answer": "?"})).await.expect(404);

        // Public, without the asker's identity, for everyone who is not the buyer.
        for auth in [ANON, env.firm.api(), env.buyer_b.api()] {
            let public = env.get(&format!("/api/v1/consultations/{id}"), &auth).await;
            let v = public.json();
            let qs = v["questions"].as_array().unwrap();
            assert_eq!(qs.len(), 2);
            assert!(
                qs.iter().any(|q| q["question"] == "Quelle est la durée du marché ?" && q["answer"] == "Trois ans.")
            );
            assert!(qs.iter().all(|q| q["asker"].is_null()));
            for secret in ["Dupont", "camille@", FIRM_SIRET] {
                assert!(!public.text().contains(secret), "{secret}");
            }
        }
        let page = env.get(&format!("/consultations/{id}"), &ANON).await.text();
        let text = visible(&page);
        assert!(text.contains("Les repas bio comptent-ils ?") && text.contains("Oui, au titre du critère 2."));
        assert!(!text.contains("Dupont") && !text.contains("camille@"));

        // After the questions deadline: refused; after the bid deadline too.
        let mut body = minimal("Transport scolaire");
        body["questions_deadline"] = json!("2026-04-01T12:00");
        let late = env.create(&env.buyer_a, &body).await;
        env.publish(&env.buyer_a, late).await;
        env.set_time(at("2026-04-01T10:00:00Z"));
        let r = env
            .post_json(
                &format!("/api/v1/consultations/{late}/questions"),
                &env.firm.api(),
                &json!({"question": "Encore ?"}),
            )
            .await;
        r.expect(409);
        assert!(r.json()["detail"].as_str().unwrap().contains("période des questions est close"));
        // (The browser session of the morning has expired: sign in again.)
        let firm_page = env.sign_in(&env.firm).await;
        let page = env.get(&format!("/consultations/{late}"), &firm_page).await.text();
        assert!(page.contains("Camille Dupont") && !page.contains("name=\"question\""), "no question form any more");
        let r =
            env.post_form(&format!("/consultations/{late}/questions"), &firm_page, &[("question", "Encore ?")]).await;
        r.expect(409);
        assert!(visible(&r.text()).contains("période des questions est close"));
        env.set_time(at("2026-12-15T11:00:00Z"));
        let firm_api = env.api_token(&env.firm).await;
        env.post_json(&format!("/api/v1/consultations/{id}/questions"), &firm_api, &json!({"question": "Trop tard ?"}))
            .await
            .expect(409);
        env.advance(SignedDuration::from_hours(-1));
        // Drafts take no questions (and do not exist for the firm).
        let buyer_api = env.api_token(&env.buyer_a).await;
        let r = env.post_json("/api/v1/consultations", &buyer_api, &minimal("Brouillon")).await;
        let draft = r.expect(201).json()["id"].as_i64().unwrap();
        env.post_json(&format!("/api/v1/consultations/{draft}/questions"), &firm_api, &json!({"question": "?"}))
            .await
            .expect(404);
    })
    .await;
}
