//! Files attached to library entries: listed per entry, read only through their own entry,
//! deleted once.

use domain::practice::{Practice, PracticeKind};
use store::{NewPracticeAttachment, PracticeAttachment, StoreError};

use crate::{T0, at, backends, running, seed_buyer};

fn new_attachment(practice_id: i64, name: &str, uploader_id: i64) -> NewPracticeAttachment {
    NewPracticeAttachment {
        practice_id,
        name: name.into(),
        size: 5_000_000_000,
        sha256: format!("{:0>64}", name.len()),
        storage_key: format!("{:0>32}", name.len()),
        content_type: "application/pdf".into(),
        uploader_id,
    }
}

fn stored(id: i64, a: &NewPracticeAttachment, created: i64) -> PracticeAttachment {
    PracticeAttachment {
        id,
        practice_id: a.practice_id,
        name: a.name.clone(),
        size: a.size,
        sha256: a.sha256.clone(),
        storage_key: a.storage_key.clone(),
        content_type: a.content_type.clone(),
        uploader_id: a.uploader_id,
        created_at: at(created),
    }
}

#[tokio::test]
async fn attachments_belong_to_their_entry() {
    for db in backends("practice_attachments").await {
        running("practice_attachments", &db);
        let store = &db.store;
        let (org, author) = seed_buyer(store, "21750001600019", "a@paris.example").await;
        let entry = |title: &str| Practice {
            kind: PracticeKind::Clause,
            title: title.into(),
            legal_basis: None,
            cpv: Vec::new(),
            body: "Texte.".into(),
        };
        let mut tx = store.begin().await.unwrap();
        let p = tx.insert_practice(author, Some(org), &entry("Clause"), "clause", at(T0)).await.unwrap();
        let other = tx.insert_practice(author, Some(org), &entry("Autre"), "autre", at(T0)).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(store.practice(p).await.unwrap().author_id, author);

        let model = new_attachment(p, "Modèle d’acte d’engagement « AE ».pdf", author);
        let grid = new_attachment(p, "grille.ods", author);
        let mut tx = store.begin().await.unwrap();
        let model_id = tx.insert_practice_attachment(&model, at(T0 + 1)).await.unwrap();
        let grid_id = tx.insert_practice_attachment(&grid, at(T0 + 2)).await.unwrap();
        tx.commit().await.unwrap();
        // Not committed: not kept.
        let mut tx = store.begin().await.unwrap();
        tx.insert_practice_attachment(&new_attachment(other, "brouillon.pdf", author), at(T0 + 3)).await.unwrap();
        drop(tx);

        let (model, grid) = (stored(model_id, &model, T0 + 1), stored(grid_id, &grid, T0 + 2));
        assert_eq!(store.practice_attachments(p).await.unwrap(), vec![model.clone(), grid.clone()]);
        assert!(store.practice_attachments(other).await.unwrap().is_empty());
        assert_eq!(store.practice_attachment(p, model_id).await.unwrap(), model);
        assert!(matches!(store.practice_attachment(other, model_id).await, Err(StoreError::NotFound)));

        // Deleted through its own entry only, once, returning what it was.
        let mut tx = store.begin().await.unwrap();
        assert!(matches!(tx.delete_practice_attachment(other, model_id).await, Err(StoreError::NotFound)));
        assert_eq!(tx.delete_practice_attachment(p, model_id).await.unwrap(), model);
        assert!(matches!(tx.delete_practice_attachment(p, model_id).await, Err(StoreError::NotFound)));
        tx.commit().await.unwrap();
        assert_eq!(store.practice_attachments(p).await.unwrap(), vec![grid]);
    }
}
