//! Consultations: round trip, update, status, DCE version, sequence numbers.

use domain::consultation::{Nature, Procedure, SocialConsideration, Status};
use domain::money::Cents;
use store::{Consultation, ConsultationSummary, Lot, StoreError};

use crate::{T0, at, backends, bare_fields, full_fields, running, seed_buyer};

#[tokio::test]
async fn consultation_round_trip_update_and_status() {
    for db in backends("consultations").await {
        running("consultations", &db);
        let store = &db.store;
        let (org, _) = seed_buyer(store, "21750001600019", "a@paris.example").await;
        let deadline = at(T0 + 30 * 86_400);

        let full = full_fields("Rénovation de l’école Jules-Ferry", deadline);
        let bare = bare_fields("Nettoyage des locaux", deadline);
        let mut tx = store.begin().await.unwrap();
        let n = tx.next_consultation_number(org).await.unwrap();
        let full_id = tx.insert_consultation("2025-0001", org, &full, at(T0)).await.unwrap();
        let bare_id = tx.insert_consultation("2025-0002", org, &bare, at(T0 + 60)).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(n, 1);

        // Read back equal, field by field, then as a whole.
        let c = store.consultation(full_id).await.unwrap();
        assert_eq!(c.id, full_id);
        assert_eq!(c.reference, "2025-0001");
        assert_eq!(c.organisation_id, org);
        assert_eq!(c.organisation_name, format!("Ville 21750001600019"));
        let (got, want) = (&c.fields, &full);
        assert_eq!(got.title, want.title);
        assert_eq!(got.object, want.object);
        assert_eq!(got.nature, want.nature);
        assert_eq!(got.procedure, want.procedure);
        assert_eq!(got.cpv, want.cpv);
        assert_eq!(got.cpv_additional, want.cpv_additional);
        assert_eq!(got.place_code, want.place_code);
        assert_eq!(got.place_label, want.place_label);
        assert_eq!(got.departement, want.departement);
        assert_eq!(got.nuts, want.nuts);
        assert_eq!(got.estimated_value, want.estimated_value);
        assert_eq!(got.questions_deadline, want.questions_deadline);
        assert_eq!(got.bid_deadline, want.bid_deadline);
        assert_eq!(got.contact, want.contact);
        assert_eq!(got.social, want.social);
        assert_eq!(got.environmental, want.environmental);
        assert_eq!(got.lots, want.lots);
        assert_eq!(got.search_text, want.search_text);
        assert_eq!(c.status, Status::Brouillon);
        assert_eq!(c.dce_version, 1);
        assert_eq!(c.created_at, at(T0));
        assert_eq!(c.updated_at, at(T0));
        assert_eq!(c.published_at, None);
        let b = store.consultation(bare_id).await.unwrap();
        assert_eq!(
            b,
            Consultation {
                id: bare_id,
                reference: "2025-0002".into(),
                organisation_id: org,
                organisation_name: "Ville 21750001600019".into(),
                fields: bare.clone(),
                status: Status::Brouillon,
                dce_version: 1,
                created_at: at(T0 + 60),
                updated_at: at(T0 + 60),
                published_at: None,
            }
        );
        assert!(matches!(store.consultation(full_id + bare_id + 1000).await, Err(StoreError::NotFound)));

        // The same reference twice is refused.
        let mut tx = store.begin().await.unwrap();
        let dup = tx.insert_consultation("2025-0001", org, &bare, at(T0)).await;
        assert!(matches!(dup, Err(StoreError::Conflict)), "duplicate reference: {dup:?}");
        drop(tx);

        // Update replaces every field and the lots; created_at stays.
        let mut edited = bare_fields("Nettoyage des locaux et des vitres", at(T0 + 40 * 86_400));
        edited.nature = Nature::Fournitures;
        edited.procedure = Procedure::Concours;
        edited.estimated_value = Some(Cents(99_900));
        edited.social = vec![SocialConsideration::CritereSocial];
        edited.lots = vec![
            Lot { number: 3, title: "Vitres".into(), cpv: "90911300".into(), estimated_value: Some(Cents(500)) },
            Lot { number: 1, title: "Locaux".into(), cpv: "90919200".into(), estimated_value: None },
            Lot { number: 2, title: "Parkings".into(), cpv: "90910000".into(), estimated_value: Some(Cents(0)) },
        ];
        let mut tx = store.begin().await.unwrap();
        tx.update_consultation(full_id, &edited, at(T0 + 100)).await.unwrap();
        tx.commit().await.unwrap();
        let c = store.consultation(full_id).await.unwrap();
        let mut sorted = edited.clone();
        sorted.lots.sort_by_key(|l| l.number);
        assert_eq!(c.fields, sorted, "lots come back in number order, the old ones gone");
        assert_eq!((c.created_at, c.updated_at), (at(T0), at(T0 + 100)));
        // Emptying the lots.
        let mut tx = store.begin().await.unwrap();
        tx.update_consultation(full_id, &bare, at(T0 + 110)).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(store.consultation(full_id).await.unwrap().fields.lots, Vec::<Lot>::new());
        let mut tx = store.begin().await.unwrap();
        tx.update_consultation(full_id, &full, at(T0 + 120)).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(store.consultation(full_id).await.unwrap().fields, full);
        // The other consultation's lots are untouched, and unknown ids are NotFound.
        assert_eq!(store.consultation(bare_id).await.unwrap().fields, bare);
        let mut tx = store.begin().await.unwrap();
        assert!(matches!(
            tx.update_consultation(full_id + bare_id + 1000, &full, at(T0)).await,
            Err(StoreError::NotFound)
        ));
        drop(tx);

        // Status changes; published_at is set by the first publication only.
        let set = |status: Status, when: i64| async move {
            let mut tx = store.begin().await.unwrap();
            tx.set_consultation_status(full_id, status, at(when)).await.unwrap();
            tx.commit().await.unwrap();
            store.consultation(full_id).await.unwrap()
        };
        let c = set(Status::Publiee, T0 + 200).await;
        assert_eq!((c.status, c.published_at, c.updated_at), (Status::Publiee, Some(at(T0 + 200)), at(T0 + 200)));
        let c = set(Status::SansSuite, T0 + 300).await;
        assert_eq!((c.status, c.published_at, c.updated_at), (Status::SansSuite, Some(at(T0 + 200)), at(T0 + 300)));
        let c = set(Status::Publiee, T0 + 400).await;
        assert_eq!((c.status, c.published_at), (Status::Publiee, Some(at(T0 + 200))));
        for s in [Status::Attribuee, Status::Infructueuse] {
            let c = set(s, T0 + 500).await;
            assert_eq!((c.status, c.published_at), (s, Some(at(T0 + 200))));
        }
        assert_eq!(store.consultation(bare_id).await.unwrap().status, Status::Brouillon);

        // DCE versions.
        let mut tx = store.begin().await.unwrap();
        assert_eq!(tx.bump_dce_version(full_id).await.unwrap(), 2);
        assert_eq!(tx.bump_dce_version(full_id).await.unwrap(), 3);
        tx.commit().await.unwrap();
        assert_eq!(store.consultation(full_id).await.unwrap().dce_version, 3);
        assert_eq!(store.consultation(bare_id).await.unwrap().dce_version, 1);

        // The organisation's list has drafts too, newest first.
        let list = store.organisation_consultations(org).await.unwrap();
        let ids: Vec<i64> = list.iter().map(|s| s.id).collect();
        assert_eq!(ids, vec![bare_id, full_id]);
        assert_eq!(
            list[0],
            ConsultationSummary {
                id: bare_id,
                reference: "2025-0002".into(),
                title: bare.title.clone(),
                organisation_name: "Ville 21750001600019".into(),
                nature: bare.nature,
                procedure: bare.procedure,
                cpv: bare.cpv.clone(),
                departement: bare.departement.clone(),
                place_label: bare.place_label.clone(),
                bid_deadline: bare.bid_deadline,
                status: Status::Brouillon,
                published_at: None,
            }
        );
        assert_eq!(store.organisation_consultations(org + 1000).await.unwrap(), Vec::new());
    }
}

#[tokio::test]
async fn sequence_numbers_are_per_organisation() {
    for db in backends("sequence_numbers").await {
        running("sequence_numbers", &db);
        let store = &db.store;
        let (a, _) = seed_buyer(store, "21750001600019", "a@paris.example").await;
        let (b, _) = seed_buyer(store, "21930066000013", "b@saint-denis.example").await;
        let next = |org: i64| async move {
            let mut tx = store.begin().await.unwrap();
            let n = tx.next_consultation_number(org).await.unwrap();
            tx.commit().await.unwrap();
            n
        };
        assert_eq!(next(a).await, 1);
        assert_eq!(next(a).await, 2);
        assert_eq!(next(b).await, 1);
        let mut tx = store.begin().await.unwrap();
        assert_eq!(tx.next_consultation_number(a).await.unwrap(), 3);
        assert_eq!(tx.next_consultation_number(a).await.unwrap(), 4);
        tx.commit().await.unwrap();
        // A number taken in an abandoned transaction is handed out again.
        let mut tx = store.begin().await.unwrap();
        assert_eq!(tx.next_consultation_number(b).await.unwrap(), 2);
        drop(tx);
        assert_eq!(next(b).await, 2);
        assert_eq!(next(a).await, 5);
        let mut tx = store.begin().await.unwrap();
        assert!(matches!(tx.next_consultation_number(a + b + 1000).await, Err(StoreError::NotFound)));
    }
}
