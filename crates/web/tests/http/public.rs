//! Story 3: anyone, without an account, lists and filters published consultations, opens
//! one, downloads its DCE as one ZIP or file by file, may leave an address; every download
//! lands in the buyer's registre des retraits and nowhere else.

use jiff::SignedDuration;
use serde_json::{Value, json};

use crate::support::{ANON, Env, at, for_each_backend, minimal, unzip, visible};

/// Five published consultations across départements, natures, procedures and CPV divisions,
/// published an hour apart (the last is the newest), plus one draft.
async fn catalogue(env: &Env) -> Vec<i64> {
    let specs = [
        ("Peinture école Jaurès", "travaux", "mapa", "45442100-8", "93", "2026-12-15T12:00", &env.buyer_a),
        ("Nettoyage des gymnases", "services", "aoo", "90910000-9", "93", "2026-12-15T12:00", &env.buyer_a),
        ("Fournitures de bureau", "fournitures", "mapa", "30192000-1", "75", "2026-03-20T12:00", &env.buyer_b),
        ("Maîtrise d'œuvre médiathèque", "services", "concours", "71000000-8", "75", "2026-12-15T12:00", &env.buyer_b),
        ("Ravalement de façade", "travaux", "aoo", "45442100-8", "94", "2026-12-15T12:00", &env.buyer_b),
    ];
    let mut ids = Vec::new();
    for (title, nature, procedure, cpv, dep, deadline, who) in specs {
        let mut body = minimal(title);
        body["nature"] = json!(nature);
        body["procedure"] = json!(procedure);
        body["cpv"] = json!(cpv);
        body["lots"] = json!([]);
        body["departement"] = json!(dep);
        body["bid_deadline"] = json!(deadline);
        if title.starts_with("Nettoyage") {
            body["social_considerations"] = json!(["Clause sociale"]);
        }
        let id = env.create(who, &body).await;
        env.upload(who, id, "rc.pdf", title.as_bytes()).await;
        env.publish(who, id).await;
        env.advance(SignedDuration::from_hours(1));
        ids.push(id);
    }
    env.create(&env.buyer_a, &minimal("Brouillon jamais publié")).await;
    ids
}

fn titles(v: &Value) -> Vec<String> {
    v["items"].as_array().unwrap().iter().map(|i| i["title"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn anyone_lists_and_filters_published_consultations() {
    for_each_backend("list", async |env| {
        let ids = catalogue(&env).await;
        let all = env.get("/api/v1/consultations", &ANON).await;
        all.expect(200);
        let all = all.json();
        assert_eq!(all["total"], 5, "drafts never listed");
        assert_eq!(
            titles(&all),
            [
                "Ravalement de façade",
                "Maîtrise d'œuvre médiathèque",
                "Fournitures de bureau",
                "Nettoyage des gymnases",
                "Peinture école Jaurès"
            ],
            "newest publication first"
        );
        let first = &all["items"][0];
        assert_eq!(first["id"], ids[4]);
        assert_eq!(first["buyer"], "Ville de Paris");
        assert_eq!(first["departement"], "94");
        assert_eq!(first["phase"], "en_cours");
        assert_eq!(first["url"], format!("/consultations/{}", ids[4]));
        assert_eq!(all["facets"]["departement"], json!({"75": 2, "93": 2, "94": 1}));
        assert_eq!(all["facets"]["nature"], json!({"fournitures": 1, "services": 2, "travaux": 2}));
        assert_eq!(all["facets"]["procedure"], json!({"aoo": 2, "concours": 1, "mapa": 2}));

        let q = async |query: &str| env.get(&format!("/api/v1/consultations?{query}"), &ANON).await.json();
        assert_eq!(titles(&q("departement=93").await), ["Nettoyage des gymnases", "Peinture école Jaurès"]);
        let by_dep = q("departement=75").await;
        assert_eq!(by_dep["total"], 2);
        assert_eq!(by_dep["facets"]["departement"], json!({"75": 2}), "facets follow the filter");
        assert_eq!(titles(&q("nature=travaux").await), ["Ravalement de façade", "Peinture école Jaurès"]);
        assert_eq!(titles(&q("procedure=concours").await), ["Maîtrise d'œuvre médiathèque"]);
        assert_eq!(titles(&q("cpv=45").await), ["Ravalement de façade", "Peinture école Jaurès"]);
        assert_eq!(
            titles(&q("cpv=90910000-9").await),
            ["Nettoyage des gymnases"],
            "a full code filters by its division"
        );
        assert_eq!(titles(&q("clause=sociale").await), ["Nettoyage des gymnases"]);
        assert_eq!(titles(&q("nature=services&departement=93").await), ["Nettoyage des gymnases"]);
        assert_eq!(titles(&q("q=gymnase").await), ["Nettoyage des gymnases"]);
        assert_eq!(titles(&q("q=MEDIATHEQUE").await), ["Maîtrise d'œuvre médiathèque"], "accents and case folded");
        assert_eq!(q("departement=77").await["total"], 0);

        // Open / closed: the office supplies close on 20 March.
        assert_eq!(q("etat=en_cours").await["total"], 5);
        env.set_time(at("2026-03-21T09:00:00Z"));
        assert_eq!(titles(&q("etat=cloturee").await), ["Fournitures de bureau"]);
        assert_eq!(q("etat=en_cours").await["total"], 4);
        let closed = q("procedure=mapa&departement=75").await;
        assert_eq!(closed["items"][0]["phase"], "cloturee");

        // Pagination.
        let p1 = q("per_page=2").await;
        let p3 = q("per_page=2&page=3").await;
        assert_eq!(p1["total"], 5);
        assert_eq!(p1["per_page"], 2);
        assert_eq!(titles(&p1), ["Ravalement de façade", "Maîtrise d'œuvre médiathèque"]);
        assert_eq!(p3["page"], 3);
        assert_eq!(titles(&p3), ["Peinture école Jaurès"]);
        assert_eq!(q("per_page=2&page=4").await["items"], json!([]));

        // The same on the page, in French.
        let page = env.get("/consultations?departement=93", &ANON).await;
        page.expect(200);
        let text = visible(&page.text());
        assert!(text.contains("2 consultations trouvées"), "{text}");
        assert!(text.contains("Nettoyage des gymnases") && !text.contains("Ravalement"));
        assert!(text.contains("Par département — Seine-Saint-Denis (93) : 2"), "{text}");
        assert!(page.text().contains("<option value=\"93\" selected>"), "the filter stays selected");
        let home = env.get("/", &ANON).await;
        home.expect(200);
        let html = home.text();
        let (a, b) = (html.find("Ravalement de façade").unwrap(), html.find("Peinture école Jaurès").unwrap());
        assert!(a < b, "newest first on the page too");
        // Pagination links keep the filters.
        for i in 0..20 {
            let id = env.create(&env.buyer_a, &minimal(&format!("Lot de voirie {i}"))).await;
            env.publish(&env.buyer_a, id).await;
        }
        let p1 = env.get("/consultations?nature=travaux", &ANON).await.text();
        assert!(p1.contains("Page 1 sur 2"), "{}", visible(&p1));
        assert!(crate::support::unescape(&p1).contains("href=\"/consultations?nature=travaux&page=2\""), "{p1}");
        let p2 = env.get("/consultations?nature=travaux&page=2", &ANON).await.text();
        assert!(p2.contains("Page 2 sur 2") && p2.contains("rel=\"prev\""));
        // Bad filters: a message on the page, a problem in the API.
        let bad = env.get("/consultations?departement=13", &ANON).await;
        bad.expect(200);
        assert!(visible(&bad.text()).contains("n’est pas en Île-de-France"));
        env.get("/api/v1/consultations?departement=13", &ANON).await.expect_problem(422, "departement");
        env.get("/api/v1/consultations?nature=plomberie", &ANON).await.expect_problem(422, "nature");
        env.get("/api/v1/consultations?procedure=gre-a-gre", &ANON).await.expect_problem(422, "procedure");
        env.get("/api/v1/consultations?cpv=x", &ANON).await.expect_problem(422, "cpv");
        env.get("/api/v1/consultations?etat=ouverte", &ANON).await.expect_problem(422, "etat");
        env.get("/api/v1/consultations?page=0", &ANON).await.expect_problem(422, "page");
    })
    .await;
}

#[tokio::test]
async fn anyone_opens_a_consultation_and_downloads_its_dce() {
    for_each_backend("download", async |env| {
        let mut body = minimal("Travaux de peinture de l'école Jean Jaurès");
        body["lots"] = json!([{"title": "Peinture intérieure"}, {"title": "Peinture extérieure", "cpv": "45442100-8"}]);
        let id = env.create(&env.buyer_a, &body).await;
        let rc: Vec<u8> = (0..70_000u32).map(|i| (i % 251) as u8).collect();
        let rc_id = env.upload(&env.buyer_a, id, "Règlement de consultation.pdf", &rc).await;
        let r = env
            .post_multipart(
                &format!("/api/v1/consultations/{id}/documents"),
                &env.buyer_a.api(),
                "file",
                &[("CCTP.docx", b"cctp"), ("CCTP.docx", b"cctp bis"), ("vide.txt", b"")],
            )
            .await;
        r.expect(201);
        let added = r.json()["documents"].as_array().unwrap().clone();
        assert_eq!(added.len(), 3);
        assert_eq!(added[0]["size"], 4);
        assert_eq!(added[0]["sha256"].as_str().unwrap().len(), 64);
        env.publish(&env.buyer_a, id).await;

        // The page and the API.
        let page = env.get(&format!("/consultations/{id}"), &ANON).await;
        page.expect(200);
        let text = visible(&page.text());
        for needle in [
            "Travaux de peinture de l'école Jean Jaurès",
            "Ville de Saint-Denis",
            "En cours",
            "45442100-8 — Travaux de peinture",
            "15 décembre 2026 à 12 h 00",
            "Peinture extérieure",
            "Règlement de consultation.pdf",
            "Télécharger le DCE complet",
            "NUTS FR106",
        ] {
            assert!(text.contains(needle), "{needle}: {text}");
        }
        let api = env.get(&format!("/api/v1/consultations/{id}"), &ANON).await.json();
        assert_eq!(api["lots"].as_array().unwrap().len(), 2);
        assert_eq!(api["documents"].as_array().unwrap().len(), 4);
        assert_eq!(api["dce_url"], format!("/api/v1/consultations/{id}/dce"));

        // The whole DCE as one ZIP, without an account, from the page and the API.
        for path in [format!("/consultations/{id}/dce"), format!("/api/v1/consultations/{id}/dce")] {
            let zip = env.get(&path, &ANON).await;
            zip.expect(200);
            assert_eq!(zip.header("content-type"), Some("application/zip"));
            assert_eq!(
                zip.header("content-length"),
                Some(zip.body.len().to_string().as_str()),
                "announced length is exact"
            );
            let disposition = zip.header("content-disposition").unwrap();
            let reference = api["reference"].as_str().unwrap();
            assert!(disposition.contains(&format!("DCE-{reference}.zip")), "{disposition}");
            let entries = unzip(&zip.body);
            assert_eq!(entries.len(), 4, "{:?}", entries.keys());
            assert_eq!(entries["Règlement de consultation.pdf"], rc);
            let cctp: Vec<&Vec<u8>> = entries.iter().filter(|(k, _)| k.starts_with("CCTP")).map(|(_, v)| v).collect();
            assert_eq!(cctp.len(), 2, "same names made unique: {:?}", entries.keys());
            assert!(cctp.contains(&&b"cctp".to_vec()) && cctp.contains(&&b"cctp bis".to_vec()));
            assert_eq!(entries["vide.txt"], b"");
        }
        // File by file, with the leaving of an address optional.
        let one = env.get(&format!("/consultations/{id}/documents/{rc_id}?email=lecteur%40exemple.fr"), &ANON).await;
        one.expect(200);
        assert_eq!(one.body, rc);
        assert_eq!(one.header("content-type"), Some("application/pdf"));
        let disposition = one.header("content-disposition").unwrap();
        assert!(disposition.contains("filename*=UTF-8''R%C3%A8glement%20de%20consultation.pdf"), "{disposition}");
        let one = env.get(&format!("/api/v1/consultations/{id}/documents/{}", added[0]["id"]), &ANON).await;
        one.expect(200);
        assert_eq!(one.body, b"cctp");
        // A document of another consultation is not reachable through this one.
        let (other, other_doc) = env.published("Autre").await;
        env.get(&format!("/api/v1/consultations/{id}/documents/{other_doc}"), &ANON).await.expect(404);
        env.get(&format!("/api/v1/consultations/{other}/documents/{rc_id}"), &ANON).await.expect(404);
        // A malformed address is refused (and the download is not recorded).
        let bad = env.get(&format!("/api/v1/consultations/{id}/dce?email=pas-une-adresse"), &ANON).await;
        bad.expect_problem(422, "email");
        // A consultation without documents has no ZIP yet.
        let empty = env.create(&env.buyer_a, &minimal("Sans DCE")).await;
        env.publish(&env.buyer_a, empty).await;
        env.get(&format!("/api/v1/consultations/{empty}/dce"), &ANON).await.expect(409);
        assert!(
            visible(&env.get(&format!("/consultations/{empty}"), &ANON).await.text())
                .contains("Aucun document n’est encore publié")
        );
    })
    .await;
}

#[tokio::test]
async fn every_download_is_in_the_buyers_register_and_nowhere_else() {
    for_each_backend("register", async |env| {
        let (id, doc) = env.published("Entretien des ascenseurs").await;
        env.get(&format!("/consultations/{id}/dce"), &ANON).await.expect(200);
        env.advance(SignedDuration::from_mins(1));
        env.get(&format!("/consultations/{id}/dce?email=veille%40exemple.fr"), &ANON).await.expect(200);
        env.advance(SignedDuration::from_mins(1));
        env.get(&format!("/api/v1/consultations/{id}/documents/{doc}"), &env.firm.api()).await.expect(200);
        env.advance(SignedDuration::from_mins(1));
        // The owner's own downloads are not recorded; another buyer is a reader like any other.
        env.get(&format!("/consultations/{id}/dce"), &env.buyer_a.page()).await.expect(200);
        env.get(&format!("/consultations/{id}/dce"), &env.buyer_b.page()).await.expect(200);

        let items = env.register(id).await;
        assert_eq!(items.len(), 4, "{items:#?}");
        // Newest first.
        assert_eq!(items[0]["user_email"], "acheteuse@paris.test");
        assert_eq!(items[0]["organisation"], "Ville de Paris");
        assert_eq!(items[1]["document"], "reglement.pdf");
        assert_eq!(items[1]["user_email"], "camille@dupont.test");
        assert_eq!(items[1]["organisation"], "Peintures Dupont");
        assert_eq!(items[2]["email"], "veille@exemple.fr");
        assert_eq!(items[2]["document"], Value::Null, "the whole DCE");
        assert_eq!(items[3]["email"], Value::Null);
        assert_eq!(items[3]["user_email"], Value::Null);
        assert!(items.iter().all(|i| i["dce_version"] == 1));
        assert!(items[0]["at"].as_str().unwrap().starts_with("2026-03-10T10:03:00+01:00"), "{}", items[0]["at"]);

        // The buyer's page shows it.
        let manage = visible(&env.get(&format!("/acheteur/consultations/{id}"), &env.buyer_a.page()).await.text());
        assert!(manage.contains("Registre des retraits"));
        for needle in [
            "Peintures Dupont (camille@dupont.test)",
            "veille@exemple.fr",
            "Anonyme",
            "reglement.pdf (version 1)",
            "DCE complet (version 1)",
        ] {
            assert!(manage.contains(needle), "{needle}: {manage}");
        }
        // Nowhere else: not on the public page or API (even for a signed-in firm), and the
        // register refuses everyone but the buyer's organisation.
        for auth in [ANON, env.firm.api(), env.buyer_b.api()] {
            let public = env.get(&format!("/api/v1/consultations/{id}"), &auth).await.text();
            assert!(!public.contains("veille@exemple.fr") && !public.contains("camille@dupont.test"), "{public}");
        }
        let page = env.get(&format!("/consultations/{id}"), &env.firm.page()).await.text();
        assert!(!page.contains("veille@exemple.fr") && !page.contains("Registre des retraits"));
        env.get(&format!("/api/v1/consultations/{id}/downloads"), &ANON).await.expect(401);
        env.get(&format!("/api/v1/consultations/{id}/downloads"), &env.firm.api()).await.expect(403);
        env.get(&format!("/api/v1/consultations/{id}/downloads"), &env.buyer_b.api()).await.expect(403);
        env.get(&format!("/api/v1/consultations/{id}/downloads"), &env.facilitator.api()).await.expect(403);
        env.get(&format!("/acheteur/consultations/{id}"), &env.buyer_b.page()).await.expect(403);
        // Each download is in the audit chain too.
        let audit = env.store.audit_for(&format!("consultation:{id}")).await.unwrap();
        assert_eq!(audit.iter().filter(|e| e.action == "dce.telecharge").count(), 4);
    })
    .await;
}
