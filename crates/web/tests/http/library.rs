//! The library of good practices: buyers and facilitators publish, anyone reads and searches,
//! reuses are counted once per person, comments, and only the coordinators feature; an entry's
//! author attaches files that anyone downloads; firms and visitors are refused the ways that
//! write.

use axum::body::Body;
use axum::http::Method;
use serde_json::json;

use crate::support::{ANON, Auth, Env, Res, for_each_backend, walk};

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

/// The files stored in the vault.
fn objects(env: &Env) -> usize {
    walk(env.vault_dir.path()).into_iter().filter(|p| p.to_string_lossy().contains("objects")).count()
}

async fn delete(env: &Env, path: &str, auth: &Auth) -> Res {
    env.send(Env::request(Method::DELETE, path, auth).body(Body::empty()).unwrap()).await
}

#[tokio::test]
async fn authors_attach_files_that_anyone_downloads() {
    for_each_backend("library_attachments", async |env| {
        let entry = |title: &str| json!({"kind": "clause", "title": title, "body": "Texte de la clause."});
        let r = env.post_json("/api/v1/practices", &env.buyer_a.api(), &entry("Clause d’insertion")).await;
        let id = r.json()["id"].as_i64().unwrap();
        let r = env.post_json("/api/v1/practices", &env.facilitator.api(), &entry("Visite de site")).await;
        let other = r.json()["id"].as_i64().unwrap();
        let pieces = format!("/bibliotheque/{id}/pieces");
        let author = env.buyer_a.page();

        // No file chosen, or an empty one among others: a French error at the field, nothing kept.
        let r = env.post_multipart(&pieces, &author, "file", &[("", b"")]).await;
        r.expect(422);
        assert!(r.text().contains("Choisissez au moins un fichier à joindre à la fiche."), "{}", r.text());
        assert!(r.text().contains("aria-invalid=\"true\""));
        let r = env.post_multipart(&pieces, &author, "file", &[("grille.ods", b"grille"), ("vide.pdf", b"")]).await;
        r.expect(422);
        assert!(r.text().contains("Le fichier « vide.pdf » est vide."), "{}", r.text());
        env.post_multipart(&format!("/api/v1/practices/{id}/attachments"), &env.buyer_a.api(), "file", &[])
            .await
            .expect_problem(422, "file");
        assert!(practice(&env, id).await["attachments"].as_array().unwrap().is_empty());
        assert_eq!(objects(&env), 0, "a refused upload leaves no file");

        // Others are refused, and store nothing either.
        let model: &[u8] = b"%PDF-1.4 \x00\xff acte d'engagement";
        for auth in [env.firm.page(), env.buyer_b.page(), env.facilitator.page()] {
            env.post_multipart(&pieces, &auth, "file", &[("ae.pdf", model)]).await.expect(403);
        }
        env.post_multipart(
            &format!("/api/v1/practices/{id}/attachments"),
            &env.firm.api(),
            "file",
            &[("ae.pdf", model)],
        )
        .await
        .expect(403);
        env.post_multipart(&format!("/api/v1/practices/{id}/attachments"), &ANON, "file", &[("ae.pdf", model)])
            .await
            .expect(401);
        assert_eq!(objects(&env), 0);

        // The author attaches two files at once, the name sanitised as the DCE's; both audited.
        let audited = env.audit_len().await;
        env.post_multipart(
            &pieces,
            &author,
            "file",
            &[("../Modèle d’acte d’engagement.pdf", model), ("grille.ods", b"grille")],
        )
        .await
        .expect_redirect(&format!("/bibliotheque/{id}#pieces"));
        assert_eq!(env.audit_len().await, audited + 2);
        let actions: Vec<String> =
            env.store.audit_for(&format!("pratique:{id}")).await.unwrap().into_iter().map(|e| e.action).collect();
        assert_eq!(actions[..2], ["bibliotheque.piece_ajoutee", "bibliotheque.piece_ajoutee"]);
        let listed = practice(&env, id).await["attachments"].clone();
        assert_eq!(listed[0]["name"], "Modèle d’acte d’engagement.pdf");
        assert_eq!(listed[0]["size"], model.len());
        assert_eq!(listed[1]["name"], "grille.ods");
        let piece = listed[0]["id"].as_i64().unwrap();
        assert_eq!(listed[0]["url"], format!("/api/v1/practices/{id}/attachments/{piece}"));

        // Anyone downloads it, byte for byte, by the page or the API.
        for path in
            [format!("/bibliotheque/{id}/pieces/{piece}"), format!("/api/v1/practices/{id}/attachments/{piece}")]
        {
            let r = env.get(&path, &ANON).await;
            r.expect(200);
            assert_eq!(r.body, model);
            assert_eq!(r.header("content-type"), Some("application/pdf"));
            let disposition = r.header("content-disposition").unwrap();
            assert!(disposition.contains("filename*=UTF-8''Mod%C3%A8le%20d%E2%80%99acte%20d%E2%80%99engagement.pdf"));
        }
        // Through another entry it does not exist.
        env.get(&format!("/bibliotheque/{other}/pieces/{piece}"), &ANON).await.expect(404);
        env.get(&format!("/api/v1/practices/{other}/attachments/{piece}"), &ANON).await.expect(404);
        env.post_form(&format!("/bibliotheque/{other}/pieces/{piece}/retirer"), &env.facilitator.page(), &[])
            .await
            .expect(404);

        // The page lists the files; only their author gets the forms.
        let shown = env.get(&format!("/bibliotheque/{id}"), &ANON).await.text();
        assert!(shown.contains(&format!("href=\"/bibliotheque/{id}/pieces/{piece}\"")));
        assert!(
            shown.contains("Modèle d’acte d’engagement.pdf") && shown.contains(&format!("({} octets)", model.len())),
            "{shown}"
        );
        assert!(!shown.contains("Joindre des fichiers") && !shown.contains("Retirer « "));
        let own = env.get(&format!("/bibliotheque/{id}"), &author).await.text();
        assert!(own.contains("enctype=\"multipart/form-data\"") && own.contains("<label for=\"file\">"));
        assert!(own.contains("Retirer « grille.ods »"));

        // Only the author (or a coordinator) removes them.
        let remove = format!("/bibliotheque/{id}/pieces/{piece}/retirer");
        env.post_form(&remove, &env.buyer_b.page(), &[]).await.expect(403);
        env.post_form(&remove, &env.firm.page(), &[]).await.expect(403);
        let api_path = format!("/api/v1/practices/{id}/attachments/{piece}");
        delete(&env, &api_path, &env.buyer_b.api()).await.expect(403);
        delete(&env, &api_path, &ANON).await.expect(401);
        assert_eq!(practice(&env, id).await["attachments"].as_array().unwrap().len(), 2);
        env.post_form(&remove, &author, &[]).await.expect_redirect(&format!("/bibliotheque/{id}#pieces"));
        env.get(&api_path, &ANON).await.expect(404);
        env.post_form(&remove, &author, &[]).await.expect(404);
        assert_eq!(objects(&env), 1, "the removed file left the vault");
        let grille = practice(&env, id).await["attachments"][0]["id"].as_i64().unwrap();
        delete(&env, &format!("/api/v1/practices/{id}/attachments/{grille}"), &env.admin.api()).await.expect(204);
        assert!(practice(&env, id).await["attachments"].as_array().unwrap().is_empty());
        let actions: Vec<String> =
            env.store.audit_for(&format!("pratique:{id}")).await.unwrap().into_iter().map(|e| e.action).collect();
        assert_eq!(actions[..2], ["bibliotheque.piece_retiree", "bibliotheque.piece_retiree"]);

        // Through the API, the author attaches and gets the files back.
        let r = env
            .post_multipart(
                &format!("/api/v1/practices/{id}/attachments"),
                &env.buyer_a.api(),
                "file",
                &[("note.txt", b"note")],
            )
            .await;
        r.expect(201);
        assert_eq!(r.json()["attachments"][0]["name"], "note.txt");
        assert_eq!(r.json()["attachments"][0]["size"], 4);
    })
    .await;
}
