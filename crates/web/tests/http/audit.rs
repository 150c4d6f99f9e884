//! Story 5: every publication, change, download, question and answer appends one entry to
//! the hash-chained audit log, and the chain verifies. (Tampering is tested through the
//! `halle audit verify` binary, not here: the public API offers no way to alter a row.)

use serde_json::json;

use crate::support::{ANON, Env, for_each_backend, minimal};

/// Runs `action`, then checks the chain grew by exactly the expected actions, in order, on
/// this consultation, and still verifies.
async fn appends(env: &Env, expected: &[&str], action: impl AsyncFnOnce()) {
    let before = env.audit_len().await;
    action().await;
    let after = env.audit_len().await;
    let entries = env.store.audit_entries(before, 100).await.unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, expected, "[{:?}]", env.backend);
    assert_eq!(after - before, expected.len() as i64);
    let verified = env.app.verify_audit().await.unwrap().expect("the chain verifies");
    assert_eq!(verified, after as u64);
}

#[tokio::test]
async fn each_action_appends_to_a_chain_that_verifies() {
    for_each_backend("audit", async |env| {
        let seeded = env.app.verify_audit().await.unwrap().expect("the seeded chain verifies");
        assert!(seeded > 0);
        let id = std::cell::Cell::new(0);
        appends(&env, &["consultation.creee"], async || id.set(env.create(&env.buyer_a, &minimal("Audit")).await))
            .await;
        let id = id.get();
        appends(&env, &["dce.document_ajoute"], async || {
            env.upload(&env.buyer_a, id, "rc.pdf", b"rc").await;
        })
        .await;
        appends(&env, &["consultation.publiee"], async || env.publish(&env.buyer_a, id).await).await;
        appends(&env, &["dce.telecharge"], async || {
            env.get(&format!("/consultations/{id}/dce"), &ANON).await.expect(200);
        })
        .await;
        let q = std::cell::Cell::new(0);
        appends(&env, &["question.posee"], async || {
            let r = env
                .post_json(&format!("/api/v1/consultations/{id}/questions"), &env.firm.api(), &json!({"question": "?"}))
                .await;
            r.expect(201);
            q.set(r.json()["id"].as_i64().unwrap());
        })
        .await;
        appends(&env, &["question.repondue"], async || {
            env.post_json(
                &format!("/api/v1/questions/{}/answer", q.get()),
                &env.buyer_a.api(),
                &json!({"answer": "!"}),
            )
            .await
            .expect(200);
        })
        .await;
        appends(&env, &["consultation.modifiee", "consultation.rectificatif"], async || {
            let mut body = minimal("Audit modifié");
            body["reason"] = json!("Précision de l’objet.");
            env.put_json(&format!("/api/v1/consultations/{id}"), &env.buyer_a.api(), &body).await.expect(200);
        })
        .await;
        appends(&env, &["consultation.statut"], async || {
            env.post_json(
                &format!("/api/v1/consultations/{id}/status"),
                &env.buyer_a.api(),
                &json!({"status": "sans_suite"}),
            )
            .await
            .expect(200);
        })
        .await;
        appends(&env, &["compte.connexion"], async || {
            env.post_json(
                "/api/v1/auth/token",
                &ANON,
                &json!({"email": env.buyer_b.email, "password": crate::support::PASSWORD}),
            )
            .await
            .expect(200);
        })
        .await;
        // Refused or read-only requests append nothing.
        appends(&env, &[], async || {
            env.get(&format!("/api/v1/consultations/{id}"), &ANON).await.expect(200);
            env.get("/consultations", &ANON).await.expect(200);
            env.post_json(&format!("/api/v1/consultations/{id}/publish"), &env.buyer_b.api(), &json!({}))
                .await
                .expect(403);
            env.post_json("/api/v1/consultations", &env.buyer_a.api(), &json!({"title": ""})).await.expect(422);
        })
        .await;
        // Who did it is recorded.
        let entries = env.store.audit_for(&format!("consultation:{id}")).await.unwrap();
        let published = entries.iter().find(|e| e.action == "consultation.publiee").unwrap();
        assert_eq!(published.actor, format!("user:{}", env.buyer_a.id));
        let download = entries.iter().find(|e| e.action == "dce.telecharge").unwrap();
        assert_eq!(download.actor, "anonyme");
        // Each entry points to the one before.
        let all = env.store.audit_entries(0, 1000).await.unwrap();
        for pair in all.windows(2) {
            assert_eq!(pair[1].prev_hash, pair[0].hash);
            assert_eq!(pair[1].seq, pair[0].seq + 1);
        }
    })
    .await;
}
