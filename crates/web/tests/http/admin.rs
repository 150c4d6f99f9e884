//! Story 1: the platform administrator creates buyer organisations and accounts with roles,
//! and facilitators scoped to départements; nobody else may.

use serde_json::json;

use crate::support::{ANON, PASSWORD, for_each_backend, visible};

#[tokio::test]
async fn admin_creates_organisations_with_a_checked_siret() {
    for_each_backend("admin_organisations", async |env| {
        let admin = env.admin.page();
        let page = env.get("/admin", &admin).await;
        page.expect(200);
        assert!(page.text().contains("Administration de la plateforme"));
        assert!(page.text().contains("Ville de Saint-Denis"));

        let good_siret = luhn_complete("2193000800001");
        let wrong_key = format!("{}{}", &good_siret[..13], (good_siret.as_bytes()[13] - b'0' + 1) % 10);
        // A wrong SIRET: the page comes back with the French message beside the field.
        let bad = env
            .post_form(
                "/admin/organisations",
                &admin,
                &[("name", "Commune de Bobigny"), ("siret", &wrong_key), ("kind", "commune"), ("departement", "93")],
            )
            .await;
        bad.expect(422);
        let html = bad.text();
        assert!(html.contains("L’organisation n’a pas été créée"), "{html}");
        let error = html.find("id=\"siret-erreur\"").expect("message beside the SIRET field");
        let field = html.find("id=\"org-siret\"").unwrap();
        assert!(error < field && field - error < 300, "the message sits just before the field");
        assert!(visible(&html[error..field]).contains("clé de contrôle est fausse"), "{}", &html[error..field]);
        let short = env
            .post_form(
                "/admin/organisations",
                &admin,
                &[("name", "X"), ("siret", "1234"), ("kind", "commune"), ("departement", "93")],
            )
            .await;
        short.expect(422);
        assert!(short.text().contains("exactement 14 chiffres"));
        // A département outside Île-de-France and an unknown kind are refused too.
        let other = env
            .post_form(
                "/admin/organisations",
                &admin,
                &[("name", "Commune de Bobigny"), ("siret", &good_siret), ("kind", "chateau"), ("departement", "13")],
            )
            .await;
        other.expect(422);
        assert!(other.text().contains("id=\"departement-erreur\""));
        assert!(other.text().contains("id=\"kind-erreur\""));
        // Nothing half-saved.
        assert!(!env.get("/admin", &admin).await.text().contains("Commune de Bobigny"));

        // A good one is saved and listed.
        env.post_form(
            "/admin/organisations",
            &admin,
            &[
                ("name", "Commune de Bobigny"),
                ("siret", &good_siret),
                ("kind", "commune"),
                ("departement", "93"),
                ("address", ""),
            ],
        )
        .await
        .expect_redirect("/admin");
        let listed = env.get("/admin", &admin).await.text();
        assert!(listed.contains("Commune de Bobigny") && listed.contains(&good_siret), "{listed}");
        // The same SIRET twice is refused beside the field.
        let twice = env
            .post_form(
                "/admin/organisations",
                &admin,
                &[("name", "Bobigny bis"), ("siret", &good_siret), ("kind", "commune"), ("departement", "93")],
            )
            .await;
        twice.expect(422);
        assert!(twice.text().contains("existe déjà"));
        assert!(!env.get("/admin", &admin).await.text().contains("Bobigny bis"));
    })
    .await;
}

/// Completes 13 digits with the Luhn key.
pub fn luhn_complete(prefix: &str) -> String {
    (0..10).map(|k| format!("{prefix}{k}")).find(|s| domain::siret::Siret::parse(s).is_ok()).expect("a key digit")
}

#[tokio::test]
async fn admin_creates_accounts_with_roles_and_facilitators_with_departements() {
    for_each_backend("admin_accounts", async |env| {
        let admin = env.admin.page();
        let org = env.org_a.to_string();
        // An acheteur and an administrateur d'organisation for org A.
        for (email, role) in [("agent@saint-denis.test", "acheteur"), ("chef@saint-denis.test", "admin_organisation")] {
            env.post_form(
                "/admin/comptes",
                &admin,
                &[
                    ("email", email),
                    ("name", "Nouvel agent"),
                    ("password", PASSWORD),
                    ("role", role),
                    ("organisation_id", &org),
                ],
            )
            .await
            .expect_redirect("/admin");
            let t = env.post_json("/api/v1/auth/token", &ANON, &json!({"email": email, "password": PASSWORD})).await;
            t.expect(200);
            let t = t.json();
            assert_eq!(t["token_type"], "Bearer");
            assert_eq!(t["user"]["role"], role);
            assert_eq!(t["user"]["organisation_id"], env.org_a);
            // Both buyer roles work for their organisation.
            let bearer = crate::support::Auth::Bearer(t["token"].as_str().unwrap().to_string());
            let r = env.post_json("/api/v1/consultations", &bearer, &crate::support::minimal("Travaux")).await;
            r.expect(201);
            assert_eq!(r.json()["buyer"]["id"], env.org_a);
        }

        // A facilitator follows départements.
        env.post_form(
            "/admin/comptes",
            &admin,
            &[
                ("email", "facilitatrice@95.test"),
                ("name", "Fatou Facilitatrice"),
                ("password", PASSWORD),
                ("role", "facilitateur"),
                ("organisation_id", ""),
                ("departements", "95"),
                ("departements", "78"),
            ],
        )
        .await
        .expect_redirect("/admin");
        let users = env.store.users().await.unwrap();
        let f = users.iter().find(|u| u.email == "facilitatrice@95.test").expect("saved");
        assert_eq!(f.role, domain::role::Role::Facilitateur);
        let mut deps = f.departements.clone();
        deps.sort();
        assert_eq!(deps, ["78", "95"]);
        assert_eq!(f.organisation_id, None);
        let listed = visible(&env.get("/admin", &admin).await.text());
        assert!(listed.contains("Facilitateur de clauses sociales"), "{listed}");

        // Without a département, outside Île-de-France, with an organisation, or a role that
        // does not fit: refused, with the reason beside the field, and nothing saved.
        let before = env.store.users().await.unwrap().len();
        for (fields, field, message) in [
            (vec![("role", "facilitateur"), ("organisation_id", "")], "departements", "au moins un département"),
            (
                vec![("role", "facilitateur"), ("organisation_id", ""), ("departements", "13")],
                "departements",
                "Île-de-France",
            ),
            (
                vec![("role", "facilitateur"), ("organisation_id", &org), ("departements", "93")],
                "organisation_id",
                "ne correspond pas",
            ),
            (vec![("role", "entreprise"), ("organisation_id", &org)], "organisation_id", "ne correspond pas"),
            (vec![("role", "acheteur"), ("organisation_id", "")], "organisation_id", "ne correspond pas"),
        ] {
            let mut all = vec![("email", "x@halle.test"), ("name", "X"), ("password", PASSWORD)];
            all.extend(fields);
            let r = env.post_form("/admin/comptes", &admin, &all).await;
            r.expect(422);
            let html = r.text();
            assert!(html.contains(&format!("id=\"{field}-erreur\"")), "{field}: {html}");
            assert!(html.contains(message), "{message}");
        }
        let weak = env
            .post_form(
                "/admin/comptes",
                &admin,
                &[
                    ("email", "pas-une-adresse"),
                    ("name", ""),
                    ("password", "court"),
                    ("role", "acheteur"),
                    ("organisation_id", &org),
                ],
            )
            .await;
        weak.expect(422);
        for field in ["email", "name", "password"] {
            assert!(weak.text().contains(&format!("id=\"{field}-erreur\"")), "{field}");
        }
        // An address already used.
        let dup = env
            .post_form(
                "/admin/comptes",
                &admin,
                &[
                    ("email", "Acheteur@Saint-Denis.test"),
                    ("name", "Doublon"),
                    ("password", PASSWORD),
                    ("role", "acheteur"),
                    ("organisation_id", &org),
                ],
            )
            .await;
        dup.expect(422);
        assert!(dup.text().contains("existe déjà"));
        assert_eq!(env.store.users().await.unwrap().len(), before);
    })
    .await;
}

#[tokio::test]
async fn only_the_platform_administrator_administers() {
    for_each_backend("admin_refused", async |env| {
        let orgs_before = env.store.organisations(domain::organisation::OrgRole::Acheteur).await.unwrap().len();
        let users_before = env.store.users().await.unwrap().len();
        for who in [&env.buyer_a, &env.firm, &env.facilitator] {
            let page = env.get("/admin", &who.page()).await;
            page.expect(403);
            assert!(page.text().contains("Réservé aux administrateurs"), "{}", page.text());
            env.post_form(
                "/admin/organisations",
                &who.page(),
                &[("name", "Intrus"), ("siret", "44000000000016"), ("kind", "commune"), ("departement", "93")],
            )
            .await
            .expect(403);
            env.post_form(
                "/admin/comptes",
                &who.page(),
                &[("email", "intrus@halle.test"), ("name", "Intrus"), ("password", PASSWORD), ("role", "admin")],
            )
            .await
            .expect(403);
        }
        // Anonymous people are sent to sign in.
        env.get("/admin", &ANON).await.expect_redirect("/connexion");
        env.post_form(
            "/admin/organisations",
            &ANON,
            &[("name", "Intrus"), ("siret", "44000000000016"), ("kind", "commune"), ("departement", "93")],
        )
        .await
        .expect_redirect("/connexion");
        // The navigation offers administration to the administrator only.
        assert!(env.get("/consultations", &env.admin.page()).await.text().contains("href=\"/admin\""));
        assert!(!env.get("/consultations", &env.buyer_a.page()).await.text().contains("href=\"/admin\""));
        assert_eq!(env.store.organisations(domain::organisation::OrgRole::Acheteur).await.unwrap().len(), orgs_before);
        assert_eq!(env.store.users().await.unwrap().len(), users_before);
    })
    .await;
}

/// An organisation's administrator adds buyers to their own organisation only; a plain
/// buyer cannot.
#[tokio::test]
async fn organisation_administrator_manages_their_own_team() {
    for_each_backend("organisation_admin", async |env| {
        let admin = env.admin.page();
        let org_a = env.org_a.to_string();
        env.post_form(
            "/admin/comptes",
            &admin,
            &[
                ("email", "chef@saint-denis.test"),
                ("name", "Chloé Cheffe"),
                ("password", PASSWORD),
                ("role", "admin_organisation"),
                ("organisation_id", &org_a),
            ],
        )
        .await
        .expect_redirect("/admin");
        let r = env.post_form("/connexion", &ANON, &[("email", "chef@saint-denis.test"), ("password", PASSWORD)]).await;
        let cookie = r.header("set-cookie").unwrap().split(';').next().unwrap().trim_start_matches("halle_session=");
        let chef = crate::support::Auth::Cookie(cookie.to_string());

        let page = env.get("/acheteur", &chef).await;
        page.expect(200);
        assert!(page.text().contains("Comptes de votre organisation"));
        assert!(page.text().contains("acheteur@saint-denis.test"));
        assert!(!page.text().contains("acheteuse@paris.test"), "another organisation's accounts stay hidden");

        let bad = env
            .post_form(
                "/acheteur/comptes",
                &chef,
                &[("email", "pas-une-adresse"), ("name", "X"), ("password", "court"), ("role", "acheteur")],
            )
            .await;
        bad.expect(422);
        assert!(bad.text().contains("id=\"email-erreur\""));
        assert!(bad.text().contains("au moins 10 caractères"));

        env.post_form(
            "/acheteur/comptes",
            &chef,
            &[
                ("email", "nouvel@saint-denis.test"),
                ("name", "Noé Nouvel"),
                ("password", PASSWORD),
                ("role", "acheteur"),
            ],
        )
        .await
        .expect_redirect("/acheteur#comptes");
        let user = env.store.credentials("nouvel@saint-denis.test").await.unwrap().user;
        assert_eq!(user.organisation_id, Some(env.org_a), "always in the administrator's own organisation");

        // Neither a facilitator nor a platform role can be handed out from there.
        env.post_form(
            "/acheteur/comptes",
            &chef,
            &[("email", "x@saint-denis.test"), ("name", "X"), ("password", PASSWORD), ("role", "admin")],
        )
        .await
        .expect(403);
        // A plain buyer sees no team and may not add anyone.
        let buyer = env.buyer_a.page();
        assert!(!env.get("/acheteur", &buyer).await.text().contains("Comptes de votre organisation"));
        env.post_form(
            "/acheteur/comptes",
            &buyer,
            &[("email", "y@saint-denis.test"), ("name", "Y"), ("password", PASSWORD), ("role", "acheteur")],
        )
        .await
        .expect(403);
        assert!(env.store.credentials("x@saint-denis.test").await.is_err());
        assert!(env.store.credentials("y@saint-denis.test").await.is_err());
    })
    .await;
}
