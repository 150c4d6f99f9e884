//! Story 2: a buyer creates, edits, fills the DCE of and publishes consultations for their
//! own organisation; drafts stay invisible to everyone else; a change after publication
//! needs a reason, opens a new DCE version and a public avis rectificatif, and tells those who
//! left an address; the outcome is recorded only after the deadline.

use serde_json::json;

use crate::support::{ANON, at, for_each_backend, minimal, visible};

fn is_reference(r: &str, year: &str, org: i64) -> bool {
    let parts: Vec<&str> = r.split('-').collect();
    parts.len() == 3
        && parts[0] == year
        && parts[1].len() == 4
        && parts[2].len() == 5
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
        && parts[1].parse::<i64>() == Ok(org)
}

#[tokio::test]
async fn the_minimal_api_body_creates_a_draft_with_a_reference() {
    for_each_backend("create_api", async |env| {
        let r = env.post_json("/api/v1/consultations", &env.buyer_a.api(), &minimal("Travaux de peinture de l'école Jean Jaurès")).await;
        r.expect(201);
        let c = r.json();
        let id = c["id"].as_i64().expect("id");
        let reference = c["reference"].as_str().unwrap();
        assert!(is_reference(reference, "2026", env.org_a), "{reference}");
        assert!(reference.ends_with("-00001"), "{reference}");
        assert_eq!(c["status"], "brouillon");
        assert_eq!(c["phase"], "brouillon");
        assert_eq!(c["title"], "Travaux de peinture de l'école Jean Jaurès");
        assert_eq!(c["buyer"]["id"], env.org_a);
        assert_eq!(c["buyer"]["name"], "Ville de Saint-Denis");
        assert_eq!(c["nature"], "travaux");
        assert_eq!(c["procedure"], "mapa");
        assert_eq!(c["cpv"], "45442100-8");
        assert_eq!(c["cpv_label"], "Travaux de peinture");
        assert_eq!(c["place"]["departement"], "93");
        assert_eq!(c["place"]["nuts"], "FR106");
        // Typed with its offset, stored as an instant, shown in Paris time.
        assert_eq!(c["bid_deadline"], "2026-12-15T12:00:00+01:00");
        assert_eq!(c["dce_version"], 1);
        assert_eq!(c["lots"].as_array().unwrap().len(), 1);
        assert_eq!(c["lots"][0]["number"], 1);
        assert_eq!(c["social_considerations"], json!(["Pas de considération sociale"]));
        assert_eq!(c["published_at"], serde_json::Value::Null);

        // The full body: every optional field comes back as sent.
        let full = json!({
            "title": "Nettoyage des gymnases", "object": "Nettoyage quotidien.", "nature": "services", "procedure": "aoo",
            "cpv": "90910000-9", "cpv_additional": ["79000000-4"], "departement": "93", "commune": "93066",
            "estimated_value_cents": 45_000_000, "questions_deadline": "2026-12-01T12:00",
            "bid_deadline": "2026-12-15T12:00", "contact": "marches@saint-denis.test",
            "social_considerations": ["Clause sociale", "Marché réservé"],
            "environmental_considerations": ["Critère environnemental"],
            "lots": [{"title": "Gymnase Delaune", "estimated_value_cents": 20_000_000}, {"title": "Gymnase Baquet", "cpv": "90910000-9"}]
        });
        let r = env.post_json("/api/v1/consultations", &env.buyer_a.api(), &full).await;
        r.expect(201);
        let c = r.json();
        assert!(c["reference"].as_str().unwrap().ends_with("-00002"), "sequence per organisation");
        assert_eq!(c["place"]["code"], "93066");
        assert_eq!(c["place"]["label"], "Saint-Denis");
        assert_eq!(c["estimated_value_cents"], 45_000_000);
        assert_eq!(c["cpv_additional"], json!(["79000000-4"]));
        // Paris local time without offset: December is UTC+1.
        assert_eq!(c["questions_deadline"], "2026-12-01T12:00:00+01:00");
        assert_eq!(c["social_considerations"], json!(["Clause sociale", "Marché réservé"]));
        assert_eq!(c["environmental_considerations"], json!(["Critère environnemental"]));
        assert_eq!(c["lots"][1]["number"], 2);
        assert_eq!(c["lots"][0]["cpv"], "90910000-9", "a lot without CPV takes the main one");
        assert_eq!(c["lots"][0]["estimated_value_cents"], 20_000_000);

        // Another organisation numbers its own.
        let r = env.post_json("/api/v1/consultations", &env.buyer_b.api(), &minimal("Paris")).await;
        r.expect(201);
        assert!(is_reference(r.json()["reference"].as_str().unwrap(), "2026", env.org_b));
        assert!(r.json()["reference"].as_str().unwrap().ends_with("-00001"));

        // The draft shows on its buyer's dashboard and nowhere public.
        let dash = env.get("/acheteur", &env.buyer_a.page()).await;
        dash.expect(200);
        assert!(dash.text().contains("Nettoyage des gymnases") && dash.text().contains(reference));
        assert!(!env.get("/acheteur", &env.buyer_b.page()).await.text().contains("Nettoyage des gymnases"));
        assert_eq!(env.get("/api/v1/consultations", &ANON).await.json()["total"], 0);
        let _ = id;
    })
    .await;
}

#[tokio::test]
async fn a_buyer_works_through_the_pages_without_javascript() {
    for_each_backend("buyer_pages", async |env| {
        let me = env.buyer_a.page();
        let form = env.get("/acheteur/consultations/nouvelle", &me).await;
        form.expect(200);
        assert!(form.text().contains("Nouvelle consultation"));
        let fields = [
            ("title", "Réfection de la toiture du gymnase"),
            ("object", "Remplacement de la couverture."),
            ("nature", "travaux"),
            ("procedure", "mapa"),
            ("cpv", "45442100-8"),
            ("cpv_additional", ""),
            ("departement", "93"),
            ("commune", "93066"),
            ("estimated_value", "120 000,50"),
            ("questions_deadline", "2026-04-20T12:00"),
            ("bid_deadline", "2026-04-30T12:00"),
            ("social", "Clause sociale"),
            ("environmental", "Pas de considération environnementale"),
            ("lots[0].title", "Couverture"),
            ("lots[0].cpv", ""),
            ("lots[0].estimated_value", "100000"),
            ("lots[1].title", "Zinguerie"),
            ("lots[1].cpv", "45442100-8"),
            ("lots[1].estimated_value", ""),
            ("lots[2].title", ""),
            ("lots[2].cpv", ""),
            ("lots[2].estimated_value", ""),
            ("contact", ""),
        ];
        let r = env.post_form("/acheteur/consultations/nouvelle", &me, &fields).await;
        r.expect(303);
        let manage_url = r.location().unwrap().to_string();
        let id: i64 = manage_url.rsplit('/').next().unwrap().parse().unwrap();
        assert_eq!(manage_url, format!("/acheteur/consultations/{id}"));
        let manage = env.get(&manage_url, &me).await;
        manage.expect(200);
        let text = visible(&manage.text());
        assert!(text.contains("Réfection de la toiture du gymnase"));
        assert!(text.contains("Brouillon"));
        assert!(text.contains("120 000,50 € HT") || text.contains("120\u{202f}000,50 € HT"), "{text}");
        assert!(text.contains("30 avril 2026 à 12 h 00"), "Paris time shown as typed: {text}");
        assert!(text.contains("Saint-Denis"));
        assert!(text.contains("Couverture") && text.contains("Zinguerie"));
        let api = env.owner_view(id).await;
        // 30 April in Paris is UTC+2 (summer time).
        assert_eq!(api["bid_deadline"], "2026-04-30T12:00:00+02:00");
        assert_eq!(api["lots"].as_array().unwrap().len(), 2, "blank lot rows are ignored");
        assert_eq!(api["estimated_value_cents"], 12_000_050);

        // Edit (a draft: no reason needed); the form comes filled.
        let edit = env.get(&format!("/acheteur/consultations/{id}/modifier"), &me).await;
        edit.expect(200);
        assert!(edit.text().contains("value=\"Réfection de la toiture du gymnase\""));
        assert!(!edit.text().contains("name=\"reason\""), "no reason asked for a draft");
        let mut changed = fields.to_vec();
        changed[0] = ("title", "Réfection de la toiture du gymnase Delaune");
        env.post_form(&format!("/acheteur/consultations/{id}/modifier"), &me, &changed)
            .await
            .expect_redirect(&format!("/acheteur/consultations/{id}"));
        assert_eq!(env.owner_view(id).await["title"], "Réfection de la toiture du gymnase Delaune");
        assert_eq!(env.owner_view(id).await["dce_version"], 1, "editing a draft is no rectificatif");

        // Upload two files through the page form (multipart), then remove one.
        let r = env
            .post_multipart(
                &format!("/acheteur/consultations/{id}/documents"),
                &me,
                "fichier",
                &[("CCTP toiture.pdf", b"%PDF cctp"), ("../../etc/plans:v1.dwg", b"DWG plans")],
            )
            .await;
        r.expect_redirect(&format!("/acheteur/consultations/{id}#dce"));
        let docs = env.owner_view(id).await["documents"].as_array().unwrap().clone();
        let names: Vec<&str> = docs.iter().map(|d| d["name"].as_str().unwrap()).collect();
        assert_eq!(names.len(), 2);
        assert!(names.contains(&"CCTP toiture.pdf"));
        assert!(names.contains(&"plans_v1.dwg"), "file names are sanitised: {names:?}");
        let empty = env.post_multipart(&format!("/acheteur/consultations/{id}/documents"), &me, "fichier", &[]).await;
        empty.expect(422);
        assert!(empty.text().contains("Choisissez au moins un fichier"));
        let plans = docs.iter().find(|d| d["name"] == "plans_v1.dwg").unwrap()["id"].as_i64().unwrap();
        env.post_form(&format!("/acheteur/consultations/{id}/documents/{plans}/retirer"), &me, &[])
            .await
            .expect_redirect(&format!("/acheteur/consultations/{id}#dce"));
        assert_eq!(env.owner_view(id).await["documents"].as_array().unwrap().len(), 1);

        // Publish with the page's button.
        env.post_form(&format!("/acheteur/consultations/{id}/publier"), &me, &[])
            .await
            .expect_redirect(&format!("/acheteur/consultations/{id}"));
        let v = env.owner_view(id).await;
        assert_eq!(v["status"], "publiee");
        assert_eq!(v["phase"], "en_cours");
        assert!(v["published_at"].is_string());
        // Publishing twice is refused.
        let again = env.post_form(&format!("/acheteur/consultations/{id}/publier"), &me, &[]).await;
        again.expect(409);
        assert!(visible(&again.text()).contains("Action impossible"));
        // The public sees it now.
        env.get(&format!("/consultations/{id}"), &ANON).await.expect(200);
    })
    .await;
}

#[tokio::test]
async fn drafts_are_invisible_to_everyone_but_their_buyers() {
    for_each_backend("drafts_hidden", async |env| {
        let id = env.create(&env.buyer_a, &minimal("Brouillon secret")).await;
        let doc = env.upload(&env.buyer_a, id, "secret.pdf", b"secret").await;
        for (who, auth_page, auth_api) in [
            ("anonymous", ANON, ANON),
            ("firm", env.firm.page(), env.firm.api()),
            ("other buyer", env.buyer_b.page(), env.buyer_b.api()),
            ("facilitator", env.facilitator.page(), env.facilitator.api()),
            ("admin", env.admin.page(), env.admin.api()),
        ] {
            for path in [
                format!("/consultations/{id}"),
                format!("/consultations/{id}/dce"),
                format!("/consultations/{id}/documents/{doc}"),
            ] {
                let r = env.get(&path, &auth_page).await;
                r.expect(404);
                assert!(!r.text().contains("Brouillon secret"), "{who}");
            }
            for path in [
                format!("/api/v1/consultations/{id}"),
                format!("/api/v1/consultations/{id}/dce"),
                format!("/api/v1/consultations/{id}/documents/{doc}"),
            ] {
                let r = env.get(&path, &auth_api).await;
                r.expect_problem_status(404, who);
            }
            let list = env.get("/api/v1/consultations?q=secret", &auth_api).await;
            assert_eq!(list.json()["total"], 0, "{who}");
            assert!(!env.get("/consultations", &auth_page).await.text().contains("Brouillon secret"), "{who}");
        }
        // Its buyer sees it, and downloads are not recorded in the register.
        env.get(&format!("/consultations/{id}"), &env.buyer_a.page()).await.expect(200);
        env.get(&format!("/api/v1/consultations/{id}/dce"), &env.buyer_a.api()).await.expect(200);
        assert!(env.register(id).await.is_empty());
        // A missing id is the same 404.
        env.get("/api/v1/consultations/999999", &ANON).await.expect(404);
    })
    .await;
}

trait ProblemStatus {
    fn expect_problem_status(&self, status: u16, who: &str);
}

impl ProblemStatus for crate::support::Res {
    #[track_caller]
    fn expect_problem_status(&self, status: u16, who: &str) {
        assert_eq!(self.status.as_u16(), status, "{who}: {} → {}", self.what, self.text());
        assert_eq!(self.header("content-type"), Some("application/problem+json"), "{who}: {}", self.what);
    }
}

#[tokio::test]
async fn a_change_after_publication_needs_a_reason_and_tells_those_who_downloaded() {
    for_each_backend("rectificatif", async |env| {
        let (id, _) = env.published("Entretien des espaces verts").await;
        // Three downloads: two with an address (one of them twice), one without.
        env.get(&format!("/consultations/{id}/dce?email=Jardins%40exemple.fr"), &ANON).await.expect(200);
        env.get(&format!("/api/v1/consultations/{id}/dce?email=jardins@exemple.fr"), &ANON).await.expect(200);
        env.get(&format!("/api/v1/consultations/{id}/dce?email=paysage@exemple.fr"), &env.firm.api()).await.expect(200);
        env.get(&format!("/consultations/{id}/dce"), &ANON).await.expect(200);
        assert!(env.store.unsent_emails().await.unwrap().is_empty());

        let mut body = minimal("Entretien des espaces verts");
        body["bid_deadline"] = json!("2027-01-15T12:00:00+01:00");
        // Without a reason: refused, nothing changes.
        env.put_json(&format!("/api/v1/consultations/{id}"), &env.buyer_a.api(), &body)
            .await
            .expect_problem(422, "reason");
        body["reason"] = json!("   ");
        env.put_json(&format!("/api/v1/consultations/{id}"), &env.buyer_a.api(), &body)
            .await
            .expect_problem(422, "reason");
        let page = env
            .post_form(
                &format!("/acheteur/consultations/{id}/modifier"),
                &env.buyer_a.page(),
                &[
                    ("title", "Entretien des espaces verts"),
                    ("object", "x"),
                    ("nature", "travaux"),
                    ("procedure", "mapa"),
                    ("cpv", "45442100-8"),
                    ("departement", "93"),
                    ("bid_deadline", "2027-01-15T12:00"),
                    ("reason", ""),
                ],
            )
            .await;
        page.expect(422);
        assert!(page.text().contains("id=\"reason-erreur\""));
        assert!(visible(&page.text()).contains("Le motif de la modification est obligatoire"));
        let v = env.owner_view(id).await;
        assert_eq!(v["dce_version"], 1);
        assert_eq!(v["bid_deadline"], "2026-12-15T12:00:00+01:00");
        assert!(v["rectificatifs"].as_array().unwrap().is_empty());
        // The edit page asks for the reason.
        assert!(
            env.get(&format!("/acheteur/consultations/{id}/modifier"), &env.buyer_a.page())
                .await
                .text()
                .contains("name=\"reason\"")
        );

        // With a reason: new version, public notice, e-mails queued.
        body["reason"] = json!("Report de la date limite d’un mois.");
        let r = env.put_json(&format!("/api/v1/consultations/{id}"), &env.buyer_a.api(), &body).await;
        r.expect(200);
        let v = r.json();
        assert_eq!(v["dce_version"], 2);
        assert_eq!(v["bid_deadline"], "2027-01-15T12:00:00+01:00");
        assert_eq!(v["rectificatifs"][0]["dce_version"], 2);
        assert_eq!(v["rectificatifs"][0]["summary"], "Report de la date limite d’un mois.");
        let public = env.get(&format!("/api/v1/consultations/{id}"), &ANON).await.json();
        assert_eq!(public["rectificatifs"], v["rectificatifs"]);
        let html = visible(&env.get(&format!("/consultations/{id}"), &ANON).await.text());
        assert!(html.contains("Avis rectificatifs"), "{html}");
        assert!(html.contains("version 2 du DCE : Report de la date limite d’un mois."), "{html}");

        let emails = env.store.unsent_emails().await.unwrap();
        let mut to: Vec<&str> = emails.iter().map(|e| e.recipient.as_str()).collect();
        to.sort();
        assert_eq!(to, ["jardins@exemple.fr", "paysage@exemple.fr"], "one e-mail per address left");
        let reference = v["reference"].as_str().unwrap();
        for e in &emails {
            assert!(e.subject.contains("Avis rectificatif") && e.subject.contains(reference), "{}", e.subject);
            assert!(e.body.contains("Report de la date limite d’un mois."));
            assert!(e.body.contains(&format!("/consultations/{id}")));
        }

        // Adding a document after publication is a change too: version 3, and e-mails again.
        env.upload(&env.buyer_a, id, "additif.pdf", b"additif").await;
        let v = env.owner_view(id).await;
        assert_eq!(v["dce_version"], 3);
        assert_eq!(v["rectificatifs"].as_array().unwrap().len(), 2);
        assert_eq!(
            v["documents"].as_array().unwrap().iter().find(|d| d["name"] == "additif.pdf").unwrap()["dce_version"],
            3
        );
        assert_eq!(env.store.unsent_emails().await.unwrap().len(), 4);
    })
    .await;
}

#[tokio::test]
async fn the_outcome_is_recorded_only_after_the_deadline() {
    for_each_backend("status", async |env| {
        let (id, _) = env.published("Fourniture de mobilier").await;
        let status = |s: &str| json!({ "status": s });
        let api = format!("/api/v1/consultations/{id}/status");
        // Before the deadline: no award, no "infructueuse".
        let r = env.post_json(&api, &env.buyer_a.api(), &status("attribuee")).await;
        r.expect(409);
        assert!(r.json()["detail"].as_str().unwrap().contains("qu’après la date limite"));
        env.post_json(&api, &env.buyer_a.api(), &status("infructueuse")).await.expect(409);
        env.post_json(&api, &env.buyer_a.api(), &status("gagnee")).await.expect_problem(422, "status");
        // A draft cannot be awarded either.
        let draft = env.create(&env.buyer_a, &minimal("Brouillon")).await;
        env.post_json(&format!("/api/v1/consultations/{draft}/status"), &env.buyer_a.api(), &status("sans_suite"))
            .await
            .expect(409);

        // The manage page offers only "sans suite" while open.
        let manage = env.get(&format!("/acheteur/consultations/{id}"), &env.buyer_a.page()).await.text();
        assert!(manage.contains("value=\"sans_suite\"") && !manage.contains("value=\"attribuee\""));

        // After the deadline (15 December 2026, 12:00 Paris) it is "clôturée".
        env.set_time(at("2026-12-15T11:00:01Z"));
        let v = env.owner_view(id).await;
        assert_eq!(v["status"], "publiee");
        assert_eq!(v["phase"], "cloturee");
        assert!(visible(&env.get(&format!("/consultations/{id}"), &ANON).await.text()).contains("Clôturée"));
        // (Sessions and tokens of March have expired: sign in again.)
        let me = env.sign_in(&env.buyer_a).await;
        let me_api = env.api_token(&env.buyer_a).await;
        let manage = env.get(&format!("/acheteur/consultations/{id}"), &me).await.text();
        assert!(manage.contains("value=\"attribuee\"") && manage.contains("value=\"infructueuse\""));
        assert!(!manage.contains("/modifier\""), "no edit link once closed");
        // No more change to it.
        let mut body = minimal("Fourniture de mobilier");
        body["reason"] = json!("trop tard");
        body["bid_deadline"] = json!("2027-06-01T12:00");
        env.put_json(&format!("/api/v1/consultations/{id}"), &me_api, &body).await.expect(409);
        env.post_multipart(&format!("/api/v1/consultations/{id}/documents"), &me_api, "file", &[("tard.pdf", b"x")])
            .await
            .expect(409);

        // Award through the page form.
        env.post_form(&format!("/acheteur/consultations/{id}/statut"), &me, &[("status", "attribuee")])
            .await
            .expect_redirect(&format!("/acheteur/consultations/{id}"));
        let v = env.owner_view(id).await;
        assert_eq!(v["status"], "attribuee");
        assert_eq!(v["phase"], "attribuee");
        // Final: no further change.
        env.post_json(&api, &me_api, &status("sans_suite")).await.expect(409);

        // "Sans suite" is possible while open; then it is closed for questions and edits.
        env.set_time(crate::support::t0());
        let (other, _) = env.published("Prestations de traiteur").await;
        let r = env
            .post_json(&format!("/api/v1/consultations/{other}/status"), &env.buyer_a.api(), &status("sans_suite"))
            .await;
        r.expect(200);
        assert_eq!(r.json()["phase"], "sans_suite");
        env.post_json(
            &format!("/api/v1/consultations/{other}/questions"),
            &env.firm.api(),
            &json!({"question": "Encore ouverte ?"}),
        )
        .await
        .expect(409);
        // Publishing with a deadline already past is refused, naming the field.
        let late = env.create(&env.buyer_a, &minimal("Bientôt")).await;
        env.set_time(at("2026-12-16T00:00:00Z"));
        env.post_json(&format!("/api/v1/consultations/{late}/publish"), &me_api, &json!({}))
            .await
            .expect_problem(422, "bid_deadline");
    })
    .await;
}
