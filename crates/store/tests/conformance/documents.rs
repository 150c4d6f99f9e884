//! DCE documents across versions, and rectificatifs.

use store::{Document, NewDocument, Rectificatif, StoreError};

use crate::{T0, at, backends, full_fields, insert_consultation, running, seed_buyer};

fn new_doc(consultation_id: i64, name: &str, crc32: u32) -> NewDocument {
    NewDocument {
        consultation_id,
        name: name.into(),
        size: 5_000_000_000,
        sha256: format!("{:0>64}", name.len()),
        crc32,
        storage_key: format!("dce/{consultation_id}/{name}"),
        content_type: "application/pdf".into(),
    }
}

fn stored(id: i64, d: &NewDocument, added_version: i64, created: i64) -> Document {
    Document {
        id,
        consultation_id: d.consultation_id,
        name: d.name.clone(),
        size: d.size,
        sha256: d.sha256.clone(),
        crc32: d.crc32,
        storage_key: d.storage_key.clone(),
        content_type: d.content_type.clone(),
        added_version,
        created_at: at(created),
    }
}

#[tokio::test]
async fn documents_follow_dce_versions() {
    for db in backends("documents").await {
        running("documents", &db);
        let store = &db.store;
        let (org, _) = seed_buyer(store, "21750001600019", "a@paris.example").await;
        let mut tx = store.begin().await.unwrap();
        let c = insert_consultation(&mut tx, org, &full_fields("dce", at(T0 + 86_400)), at(T0)).await;
        let other = insert_consultation(&mut tx, org, &full_fields("autre", at(T0 + 86_400)), at(T0)).await;
        tx.commit().await.unwrap();

        let rc = new_doc(c, "RC – règlement de consultation.pdf", 0);
        let cctp = new_doc(c, "CCTP.pdf", u32::MAX);
        let mut tx = store.begin().await.unwrap();
        let rc_id = tx.insert_document(&rc, 1, at(T0 + 1)).await.unwrap();
        let cctp_id = tx.insert_document(&cctp, 1, at(T0 + 2)).await.unwrap();
        let other_id = tx.insert_document(&new_doc(other, "AE.pdf", 7), 1, at(T0 + 3)).await.unwrap();
        tx.commit().await.unwrap();
        let rc_doc = stored(rc_id, &rc, 1, T0 + 1);
        let cctp_doc = stored(cctp_id, &cctp, 1, T0 + 2);
        assert_eq!(store.documents(c).await.unwrap(), vec![rc_doc.clone(), cctp_doc.clone()]);
        assert_eq!(store.document(c, cctp_id).await.unwrap(), cctp_doc);
        assert!(matches!(store.document(c, other_id).await, Err(StoreError::NotFound)));
        assert!(matches!(store.document(other, rc_id).await, Err(StoreError::NotFound)));

        // Version 2: the RC is replaced.
        let rc2 = new_doc(c, "RC v2.pdf", 123_456_789);
        let mut tx = store.begin().await.unwrap();
        assert_eq!(tx.bump_dce_version(c).await.unwrap(), 2);
        tx.remove_document(c, rc_id, 2).await.unwrap();
        let rc2_id = tx.insert_document(&rc2, 2, at(T0 + 10)).await.unwrap();
        tx.commit().await.unwrap();
        let rc2_doc = stored(rc2_id, &rc2, 2, T0 + 10);
        assert_eq!(store.documents(c).await.unwrap(), vec![cctp_doc.clone(), rc2_doc.clone()]);
        assert!(matches!(store.document(c, rc_id).await, Err(StoreError::NotFound)));
        assert_eq!(store.document(c, rc2_id).await.unwrap(), rc2_doc);

        // Removing twice, or through another consultation, is NotFound.
        let mut tx = store.begin().await.unwrap();
        assert!(matches!(tx.remove_document(c, rc_id, 3).await, Err(StoreError::NotFound)));
        assert!(matches!(tx.remove_document(other, cctp_id, 3).await, Err(StoreError::NotFound)));
        drop(tx);
        assert_eq!(store.documents(c).await.unwrap().len(), 2);
        assert_eq!(store.documents(other).await.unwrap().len(), 1);
        assert_eq!(store.documents(other + c + 1000).await.unwrap(), Vec::new());
    }
}

#[tokio::test]
async fn rectificatifs_are_listed_by_version() {
    for db in backends("rectificatifs").await {
        running("rectificatifs", &db);
        let store = &db.store;
        let (org, _) = seed_buyer(store, "21750001600019", "a@paris.example").await;
        let mut tx = store.begin().await.unwrap();
        let c = insert_consultation(&mut tx, org, &full_fields("dce", at(T0 + 86_400)), at(T0)).await;
        let other = insert_consultation(&mut tx, org, &full_fields("autre", at(T0 + 86_400)), at(T0)).await;
        tx.insert_rectificatif(c, 3, "Date limite repoussée au 30 juin.", at(T0 + 300)).await.unwrap();
        tx.insert_rectificatif(c, 2, "CCTP corrigé : l’article 4 « délais » est précisé.", at(T0 + 200)).await.unwrap();
        tx.insert_rectificatif(other, 2, "Autre", at(T0 + 250)).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            store.rectificatifs(c).await.unwrap(),
            vec![
                Rectificatif {
                    dce_version: 2,
                    summary: "CCTP corrigé : l’article 4 « délais » est précisé.".into(),
                    published_at: at(T0 + 200),
                },
                Rectificatif {
                    dce_version: 3,
                    summary: "Date limite repoussée au 30 juin.".into(),
                    published_at: at(T0 + 300),
                },
            ]
        );
        assert_eq!(store.rectificatifs(other).await.unwrap().len(), 1);
        assert_eq!(store.rectificatifs(other + c + 1000).await.unwrap(), Vec::new());
    }
}
