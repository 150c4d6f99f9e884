//! A transaction dropped without commit leaves nothing behind.

use domain::audit::GENESIS;
use domain::organisation::OrgRole;
use domain::role::Role;
use store::{NewDownload, StoreError};

use crate::{T0, at, backends, buyer, full_fields, running, seed_buyer, user};

#[tokio::test]
async fn dropped_transactions_leave_nothing() {
    for db in backends("dropped_transactions").await {
        running("dropped_transactions", &db);
        let store = &db.store;
        let (org, buyer_id) = seed_buyer(store, "21750001600019", "a@paris.example").await;
        let before_orgs = store.organisations(OrgRole::Acheteur).await.unwrap();

        let mut tx = store.begin().await.unwrap();
        let lost_org = tx.insert_organisation(&buyer("21930066000013", "Perdue", "93"), at(T0)).await.unwrap();
        let lost_user =
            tx.insert_user(&user("perdu@example.fr", Role::Acheteur, Some(lost_org)), at(T0)).await.unwrap();
        tx.insert_session("lost-session", buyer_id, "web", at(T0), at(T0 + 3600)).await.unwrap();
        tx.record_login_failure("a@paris.example", at(T0)).await.unwrap();
        let n = tx.next_consultation_number(org).await.unwrap();
        let c = tx.insert_consultation("LOST-1", org, &full_fields("perdue", at(T0 + 86_400)), at(T0)).await.unwrap();
        tx.set_consultation_status(c, domain::consultation::Status::Publiee, at(T0)).await.unwrap();
        let download = NewDownload {
            consultation_id: c,
            document_id: None,
            dce_version: 1,
            email: Some("x@y.fr".into()),
            user_id: None,
        };
        tx.insert_download(&download, at(T0)).await.unwrap();
        tx.insert_question(c, buyer_id, org, "?", at(T0)).await.unwrap();
        tx.insert_rectificatif(c, 2, "perdu", at(T0)).await.unwrap();
        tx.queue_email("x@y.fr", "perdu", "perdu", at(T0)).await.unwrap();
        tx.audit(
            &store::AuditEvent { actor: "a".into(), action: "b".into(), subject: "c".into(), details: "{}".into() },
            at(T0),
        )
        .await
        .unwrap();
        drop(tx);

        // Straight away, nothing of it is visible.
        assert_eq!(store.organisations(OrgRole::Acheteur).await.unwrap(), before_orgs);
        assert!(matches!(store.organisation(lost_org).await, Err(StoreError::NotFound)));
        assert!(matches!(store.user(lost_user).await, Err(StoreError::NotFound)));
        assert!(matches!(store.credentials("perdu@example.fr").await, Err(StoreError::NotFound)));
        assert!(matches!(store.session_user("lost-session", at(T0)).await, Err(StoreError::NotFound)));
        assert_eq!(store.recent_login_failures("a@paris.example", at(0)).await.unwrap(), 0);
        assert!(matches!(store.consultation(c).await, Err(StoreError::NotFound)));
        assert_eq!(store.organisation_consultations(org).await.unwrap(), Vec::new());
        let page = store.search_consultations(&Default::default(), at(T0), 0, 10).await.unwrap();
        assert_eq!((page.total, page.items.len()), (0, 0));
        assert_eq!(store.downloads(c).await.unwrap(), Vec::new());
        assert_eq!(store.download_contacts(c).await.unwrap(), Vec::<String>::new());
        assert_eq!(store.questions(c).await.unwrap(), Vec::new());
        assert_eq!(store.rectificatifs(c).await.unwrap(), Vec::new());
        assert_eq!(store.unsent_emails().await.unwrap(), Vec::new());
        assert_eq!(store.audit_head().await.unwrap(), (0, GENESIS.to_string()));
        assert_eq!(store.audit_entries(0, 10).await.unwrap(), Vec::new());

        // The next writer starts from where the last commit left things.
        let mut tx = store.begin().await.unwrap();
        assert_eq!(tx.next_consultation_number(org).await.unwrap(), n);
        let again = tx.insert_organisation(&buyer("21930066000013", "Gardée", "93"), at(T0)).await.unwrap();
        tx.insert_user(&user("perdu@example.fr", Role::Acheteur, Some(again)), at(T0)).await.unwrap();
        let kept =
            tx.insert_consultation("LOST-1", org, &full_fields("gardée", at(T0 + 86_400)), at(T0)).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(store.organisation(again).await.unwrap().name, "Gardée");
        assert_eq!(store.consultation(kept).await.unwrap().reference, "LOST-1");

        // Many abandoned transactions in a row do not exhaust the store (the SQLite writer
        // is a single connection: each must be given back rolled back).
        for i in 0..50 {
            let mut tx = store.begin().await.unwrap();
            tx.queue_email("x@y.fr", &format!("perdu {i}"), "", at(T0)).await.unwrap();
        }
        // And one that failed half-way.
        let mut tx = store.begin().await.unwrap();
        tx.queue_email("x@y.fr", "perdu aussi", "", at(T0)).await.unwrap();
        assert!(matches!(
            tx.insert_organisation(&buyer("21930066000013", "Doublon", "93"), at(T0)).await,
            Err(StoreError::Conflict)
        ));
        drop(tx);
        assert_eq!(store.unsent_emails().await.unwrap(), Vec::new());
        let mut tx = store.begin().await.unwrap();
        tx.queue_email("x@y.fr", "gardé", "", at(T0)).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(store.unsent_emails().await.unwrap().len(), 1);
    }
}
