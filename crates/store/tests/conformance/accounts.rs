//! Organisations, users, sessions and login failures.

use domain::organisation::{BuyerKind, FirmSize, OrgRole};
use domain::role::Role;
use store::{Organisation, StoreError, User};

use crate::{T0, at, backends, buyer, company, running, seed_buyer, user};

#[tokio::test]
async fn organisations_and_users() {
    for db in backends("organisations_and_users").await {
        running("organisations_and_users", &db);
        let store = &db.store;

        let mut tx = store.begin().await.unwrap();
        let b = buyer("21750001600019", "Ville de Paris", "75");
        let c = company("73282932000074", "Électricité Générale SARL");
        let b_id = tx.insert_organisation(&b, at(T0)).await.unwrap();
        let c_id = tx.insert_organisation(&c, at(T0 + 1)).await.unwrap();
        assert_ne!(b_id, c_id);
        let admin = user("admin@halle.example", Role::Admin, None);
        let mut facilitator = user("facilitatrice@halle.example", Role::Facilitateur, None);
        facilitator.departements = vec!["93".into(), "75".into(), "2A".into()];
        let buyer_user = user("acheteuse@paris.example", Role::Acheteur, Some(b_id));
        let admin_id = tx.insert_user(&admin, at(T0)).await.unwrap();
        let facilitator_id = tx.insert_user(&facilitator, at(T0)).await.unwrap();
        let buyer_id = tx.insert_user(&buyer_user, at(T0)).await.unwrap();
        tx.commit().await.unwrap();

        // Organisations read back, field by field.
        let mut expected_b = Organisation {
            id: b_id,
            role: OrgRole::Acheteur,
            name: b.name.clone(),
            siret: b.siret.clone(),
            kind: Some(BuyerKind::Commune),
            size: None,
            address: b.address.clone(),
            departement: "75".into(),
            created_at: at(T0),
            profile: None,
        };
        let expected_c = Organisation {
            id: c_id,
            role: OrgRole::Entreprise,
            name: c.name.clone(),
            siret: c.siret.clone(),
            kind: None,
            size: Some(FirmSize::Pme),
            address: None,
            departement: "93".into(),
            created_at: at(T0 + 1),
            profile: None,
        };
        assert_eq!(store.organisation(b_id).await.unwrap(), expected_b);
        assert_eq!(store.organisation(c_id).await.unwrap(), expected_c);
        assert_eq!(store.organisations(OrgRole::Acheteur).await.unwrap(), vec![expected_b.clone()]);
        // The profile, all its columns together.
        let profile = domain::profile::validate(&domain::profile::ProfileInput {
            phone: "01 42 76 40 40".into(),
            email: "marches@paris.fr".into(),
            postcode: "75004".into(),
            town: "Paris".into(),
            review_name: "Tribunal administratif de Paris".into(),
            review_siret: "35600000000048".into(),
            review_postcode: "75004".into(),
            review_town: "Paris".into(),
        })
        .unwrap();
        let mut tx = store.begin().await.unwrap();
        tx.set_profile(b_id, &profile).await.unwrap();
        assert!(matches!(tx.set_profile(999_999, &profile).await, Err(StoreError::NotFound)));
        tx.commit().await.unwrap();
        expected_b.profile = Some(profile);
        assert_eq!(store.organisation(b_id).await.unwrap(), expected_b);
        assert_eq!(store.organisations(OrgRole::Entreprise).await.unwrap(), vec![expected_c.clone()]);
        assert!(matches!(store.organisation(b_id + c_id + 1000).await, Err(StoreError::NotFound)));

        // Users read back, with their organisation's name and sorted départements.
        let expected_buyer = User {
            id: buyer_id,
            email: buyer_user.email.clone(),
            name: buyer_user.name.clone(),
            role: Role::Acheteur,
            organisation_id: Some(b_id),
            organisation_name: Some("Ville de Paris".into()),
            departements: Vec::new(),
        };
        assert_eq!(store.user(buyer_id).await.unwrap(), expected_buyer);
        let f = store.user(facilitator_id).await.unwrap();
        assert_eq!(f.departements, vec!["2A", "75", "93"]);
        assert_eq!((f.role, f.organisation_id, f.organisation_name), (Role::Facilitateur, None, None));
        let creds = store.credentials("acheteuse@paris.example").await.unwrap();
        assert_eq!(creds.user, expected_buyer);
        assert_eq!(creds.password_hash, buyer_user.password_hash);
        assert!(matches!(store.credentials("personne@nulle.part").await, Err(StoreError::NotFound)));
        assert!(matches!(store.user(admin_id + 1000).await, Err(StoreError::NotFound)));
        let emails: Vec<String> = store.users().await.unwrap().into_iter().map(|u| u.email).collect();
        assert_eq!(emails, vec!["acheteuse@paris.example", "admin@halle.example", "facilitatrice@halle.example"]);

        // A SIRET already registered: Conflict, and what was committed before stays.
        let mut tx = store.begin().await.unwrap();
        let dup = tx.insert_organisation(&company("21750001600019", "Imposteur"), at(T0 + 5)).await;
        assert!(matches!(dup, Err(StoreError::Conflict)), "duplicate SIRET: {dup:?}");
        drop(tx);
        // The same, after other writes in the same transaction: the transaction is abandoned.
        let mut tx = store.begin().await.unwrap();
        tx.insert_organisation(&company("44306184100047", "Passagère"), at(T0 + 5)).await.unwrap();
        let dup = tx.insert_organisation(&company("73282932000074", "Doublon"), at(T0 + 5)).await;
        assert!(matches!(dup, Err(StoreError::Conflict)), "duplicate SIRET: {dup:?}");
        drop(tx);
        assert_eq!(store.organisations(OrgRole::Acheteur).await.unwrap(), vec![expected_b.clone()]);
        assert_eq!(store.organisations(OrgRole::Entreprise).await.unwrap(), vec![expected_c.clone()]);

        // An e-mail already registered: Conflict, and nothing else moves.
        let mut tx = store.begin().await.unwrap();
        let dup = tx.insert_user(&user("admin@halle.example", Role::Entreprise, Some(c_id)), at(T0 + 6)).await;
        assert!(matches!(dup, Err(StoreError::Conflict)), "duplicate e-mail: {dup:?}");
        drop(tx);
        assert_eq!(store.users().await.unwrap().len(), 3);
        assert_eq!(store.user(admin_id).await.unwrap().role, Role::Admin);

        // The store is still writable afterwards, and the freed SIRET of the abandoned
        // transaction can be taken.
        let mut tx = store.begin().await.unwrap();
        let p_id = tx.insert_organisation(&company("44306184100047", "Passagère"), at(T0 + 7)).await.unwrap();
        tx.insert_user(&user("contact@passagere.example", Role::Entreprise, Some(p_id)), at(T0 + 7)).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(store.organisations(OrgRole::Entreprise).await.unwrap().len(), 2);
        assert_eq!(store.users().await.unwrap().len(), 4);
    }
}

#[tokio::test]
async fn sessions_expire_and_can_be_deleted() {
    for db in backends("sessions").await {
        running("sessions", &db);
        let store = &db.store;
        let (_, uid) = seed_buyer(store, "21930066000013", "a@saint-denis.example").await;
        let me = store.user(uid).await.unwrap();

        let mut tx = store.begin().await.unwrap();
        tx.insert_session("hash-web", uid, "web", at(T0), at(T0 + 3600)).await.unwrap();
        tx.insert_session("hash-api", uid, "api", at(T0), at(T0 + 86_400)).await.unwrap();
        tx.insert_session("hash-old", uid, "web", at(T0 - 7200), at(T0 - 3600)).await.unwrap();
        tx.commit().await.unwrap();

        assert_eq!(store.session_user("hash-web", at(T0)).await.unwrap(), me);
        assert_eq!(store.session_user("hash-web", at(T0 + 3599)).await.unwrap(), me);
        // Expired from its expiry time on.
        assert!(matches!(store.session_user("hash-web", at(T0 + 3600)).await, Err(StoreError::NotFound)));
        assert!(matches!(store.session_user("hash-old", at(T0)).await, Err(StoreError::NotFound)));
        assert!(matches!(store.session_user("unknown", at(T0)).await, Err(StoreError::NotFound)));

        // A duplicate token hash is refused.
        let mut tx = store.begin().await.unwrap();
        let dup = tx.insert_session("hash-api", uid, "api", at(T0), at(T0 + 10)).await;
        assert!(matches!(dup, Err(StoreError::Conflict)), "duplicate token: {dup:?}");
        drop(tx);

        // Logout.
        let mut tx = store.begin().await.unwrap();
        tx.delete_session("hash-api").await.unwrap();
        tx.delete_session("never-existed").await.unwrap();
        tx.commit().await.unwrap();
        assert!(matches!(store.session_user("hash-api", at(T0)).await, Err(StoreError::NotFound)));

        // Sweeping removes the expired ones only.
        let mut tx = store.begin().await.unwrap();
        assert_eq!(tx.delete_expired_sessions(at(T0)).await.unwrap(), 1);
        tx.commit().await.unwrap();
        assert_eq!(store.session_user("hash-web", at(T0)).await.unwrap(), me);
        let mut tx = store.begin().await.unwrap();
        assert_eq!(tx.delete_expired_sessions(at(T0 + 3600)).await.unwrap(), 1);
        tx.commit().await.unwrap();
        assert!(matches!(store.session_user("hash-web", at(T0)).await, Err(StoreError::NotFound)));
    }
}

#[tokio::test]
async fn login_failures_are_counted_per_address_and_window() {
    for db in backends("login_failures").await {
        running("login_failures", &db);
        let store = &db.store;
        let mut tx = store.begin().await.unwrap();
        for dt in [0, 10, 20] {
            tx.record_login_failure("cible@example.fr", at(T0 + dt)).await.unwrap();
        }
        tx.record_login_failure("autre@example.fr", at(T0 + 15)).await.unwrap();
        tx.commit().await.unwrap();

        let count = |email: &'static str, since: i64| async move {
            store.recent_login_failures(email, at(since)).await.unwrap()
        };
        assert_eq!(count("cible@example.fr", T0 - 1).await, 3);
        assert_eq!(count("cible@example.fr", T0 + 5).await, 2);
        // Strictly after `since`.
        assert_eq!(count("cible@example.fr", T0 + 10).await, 1);
        assert_eq!(count("cible@example.fr", T0 + 20).await, 0);
        assert_eq!(count("autre@example.fr", T0).await, 1);
        assert_eq!(count("Cible@example.fr", T0 - 1).await, 0, "addresses are compared as stored");
        assert_eq!(count("personne@example.fr", T0 - 1).await, 0);

        let mut tx = store.begin().await.unwrap();
        tx.clear_login_failures("cible@example.fr").await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(count("cible@example.fr", T0 - 1).await, 0);
        assert_eq!(count("autre@example.fr", T0 - 1).await, 1);
    }
}
