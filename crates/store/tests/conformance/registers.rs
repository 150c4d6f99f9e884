//! Registre des retraits, questions and answers, e-mail queue.

use domain::role::Role;
use store::{Download, NewDocument, NewDownload, Question, StoreError};

use crate::{T0, at, backends, company, full_fields, insert_consultation, running, seed_buyer, user};

#[tokio::test]
async fn downloads_register_and_contacts() {
    for db in backends("downloads").await {
        running("downloads", &db);
        let store = &db.store;
        let (org, _) = seed_buyer(store, "21750001600019", "a@paris.example").await;
        let mut tx = store.begin().await.unwrap();
        let c = insert_consultation(&mut tx, org, &full_fields("dce", at(T0 + 86_400)), at(T0)).await;
        let other = insert_consultation(&mut tx, org, &full_fields("autre", at(T0 + 86_400)), at(T0)).await;
        let doc = NewDocument {
            consultation_id: c,
            name: "CCTP.pdf".into(),
            size: 10,
            sha256: "0".repeat(64),
            crc32: 1,
            storage_key: "k".into(),
            content_type: "application/pdf".into(),
        };
        let doc_id = tx.insert_document(&doc, 1, at(T0)).await.unwrap();
        let firm = tx.insert_organisation(&company("73282932000074", "BTP Nord"), at(T0)).await.unwrap();
        let u1 = tx.insert_user(&user("zoe@btp-nord.example", Role::Entreprise, Some(firm)), at(T0)).await.unwrap();
        let u2 = tx.insert_user(&user("bob@btp-nord.example", Role::Entreprise, Some(firm)), at(T0)).await.unwrap();
        tx.commit().await.unwrap();

        let dl = |document_id: Option<i64>, email: Option<&str>, user_id: Option<i64>| NewDownload {
            consultation_id: c,
            document_id,
            dce_version: 1,
            email: email.map(str::to_string),
            user_id,
        };
        let mut tx = store.begin().await.unwrap();
        // Anonymous, with an address (whole DCE).
        tx.insert_download(&dl(None, Some("anne@example.fr"), None), at(T0 + 10)).await.unwrap();
        // Signed in, no address left: the account's address is the contact.
        tx.insert_download(&dl(Some(doc_id), None, Some(u1)), at(T0 + 20)).await.unwrap();
        // Signed in, another address left: that one.
        tx.insert_download(&dl(None, Some("appels@btp-nord.example"), Some(u2)), at(T0 + 30)).await.unwrap();
        // Anonymous without address: in the register, not a contact.
        tx.insert_download(&dl(None, None, None), at(T0 + 40)).await.unwrap();
        // The same people again.
        tx.insert_download(&dl(None, Some("anne@example.fr"), None), at(T0 + 50)).await.unwrap();
        tx.insert_download(&dl(None, None, Some(u1)), at(T0 + 50)).await.unwrap();
        tx.insert_download(&dl(None, Some("zoe@btp-nord.example"), Some(u1)), at(T0 + 60)).await.unwrap();
        // Elsewhere.
        let elsewhere = NewDownload { consultation_id: other, ..dl(None, Some("ailleurs@example.fr"), None) };
        tx.insert_download(&elsewhere, at(T0 + 70)).await.unwrap();
        tx.commit().await.unwrap();

        assert_eq!(
            store.download_contacts(c).await.unwrap(),
            vec!["anne@example.fr", "appels@btp-nord.example", "zoe@btp-nord.example"]
        );
        assert_eq!(store.download_contacts(other).await.unwrap(), vec!["ailleurs@example.fr"]);
        assert_eq!(store.download_contacts(other + c + 1000).await.unwrap(), Vec::<String>::new());

        let register = store.downloads(c).await.unwrap();
        assert_eq!(register.len(), 7);
        // Newest first; same second: latest inserted first.
        let times: Vec<_> = register.iter().map(|d| d.at).collect();
        let expected: Vec<_> = [60, 50, 50, 40, 30, 20, 10].into_iter().map(|s| at(T0 + s)).collect();
        assert_eq!(times, expected);
        assert!(register[1].id > register[2].id);
        assert_eq!(
            register[5],
            Download {
                id: register[5].id,
                document_name: Some("CCTP.pdf".into()),
                dce_version: 1,
                email: None,
                user_email: Some("zoe@btp-nord.example".into()),
                organisation_name: Some("BTP Nord".into()),
                at: at(T0 + 20),
            }
        );
        assert_eq!(
            register[6],
            Download {
                id: register[6].id,
                document_name: None,
                dce_version: 1,
                email: Some("anne@example.fr".into()),
                user_email: None,
                organisation_name: None,
                at: at(T0 + 10),
            }
        );
        assert_eq!((register[3].email.as_deref(), register[3].user_email.as_deref()), (None, None));
        assert_eq!(store.downloads(other).await.unwrap().len(), 1);
    }
}

#[tokio::test]
async fn questions_and_answers() {
    for db in backends("questions").await {
        running("questions", &db);
        let store = &db.store;
        let (org, buyer_id) = seed_buyer(store, "21750001600019", "a@paris.example").await;
        let mut tx = store.begin().await.unwrap();
        let c = insert_consultation(&mut tx, org, &full_fields("dce", at(T0 + 86_400)), at(T0)).await;
        let other = insert_consultation(&mut tx, org, &full_fields("autre", at(T0 + 86_400)), at(T0)).await;
        let firm = tx.insert_organisation(&company("73282932000074", "BTP Nord"), at(T0)).await.unwrap();
        let asker = tx.insert_user(&user("zoe@btp-nord.example", Role::Entreprise, Some(firm)), at(T0)).await.unwrap();
        let q2 = tx.insert_question(c, asker, firm, "Visite obligatoire ?", at(T0 + 200)).await.unwrap();
        let q1 =
            tx.insert_question(c, asker, firm, "Le lot 2 peut-il être « sous-traité » ?", at(T0 + 100)).await.unwrap();
        tx.insert_question(other, asker, firm, "Ailleurs", at(T0 + 100)).await.unwrap();
        tx.commit().await.unwrap();

        let unanswered = Question {
            id: q1,
            consultation_id: c,
            body: "Le lot 2 peut-il être « sous-traité » ?".into(),
            asked_at: at(T0 + 100),
            answer: None,
            answered_at: None,
            organisation_name: "BTP Nord".into(),
            user_email: "zoe@btp-nord.example".into(),
        };
        assert_eq!(store.question(q1).await.unwrap(), unanswered);
        let ids: Vec<i64> = store.questions(c).await.unwrap().iter().map(|q| q.id).collect();
        assert_eq!(ids, vec![q1, q2], "in the order they were asked");

        let mut tx = store.begin().await.unwrap();
        tx.answer_question(q1, "Oui, dans les conditions de l’article 3.", buyer_id, at(T0 + 300)).await.unwrap();
        tx.commit().await.unwrap();
        let answered = store.question(q1).await.unwrap();
        assert_eq!(
            answered,
            Question {
                answer: Some("Oui, dans les conditions de l’article 3.".into()),
                answered_at: Some(at(T0 + 300)),
                ..unanswered
            }
        );
        assert_eq!(store.question(q2).await.unwrap().answer, None);
        assert_eq!(store.questions(other).await.unwrap().len(), 1);
        assert!(matches!(store.question(q1 + q2 + 1000).await, Err(StoreError::NotFound)));
    }
}

#[tokio::test]
async fn email_queue() {
    for db in backends("emails").await {
        running("emails", &db);
        let store = &db.store;
        assert_eq!(store.unsent_emails().await.unwrap(), Vec::new());
        let mut tx = store.begin().await.unwrap();
        tx.queue_email("b@example.fr", "Rectificatif", "La date limite change.\n— Halle", at(T0 + 1)).await.unwrap();
        tx.queue_email("a@example.fr", "Réponse à votre question", "Bonjour,", at(T0)).await.unwrap();
        tx.commit().await.unwrap();
        let mut tx = store.begin().await.unwrap();
        tx.queue_email("c@example.fr", "Perdu", "jamais envoyé", at(T0 + 2)).await.unwrap();
        drop(tx);
        let queued = store.unsent_emails().await.unwrap();
        let view: Vec<_> =
            queued.iter().map(|e| (e.recipient.as_str(), e.subject.as_str(), e.body.as_str(), e.created_at)).collect();
        assert_eq!(
            view,
            vec![
                ("b@example.fr", "Rectificatif", "La date limite change.\n— Halle", at(T0 + 1)),
                ("a@example.fr", "Réponse à votre question", "Bonjour,", at(T0)),
            ],
            "in queue order"
        );
        assert!(queued[0].id < queued[1].id);
    }
}
