//! Background jobs, run against both database engines.

use std::sync::{Arc, Mutex};

use app::{Actor, App, Config, FixedClock, Mailer, NewAccount, NewBuyerOrganisation, TokenKind};
use domain::consultation::{ConsultationInput, LotInput};

/// Collects what would be handed to the mail transfer agent; fails on demand.
#[derive(Default)]
struct Outbox {
    sent: Mutex<Vec<(String, String)>>,
    fail: Mutex<bool>,
}

impl Mailer for Outbox {
    fn send(&self, recipient: &str, message: &str) -> Result<(), String> {
        if *self.fail.lock().unwrap() {
            return Err("relais indisponible".into());
        }
        self.sent.lock().unwrap().push((recipient.into(), message.into()));
        Ok(())
    }
}

#[tokio::test]
async fn rectificatif_emails_reach_those_who_left_an_address() {
    for db in store::test_support::all().await {
        let dir = tempfile::tempdir().unwrap();
        let vault = vault::Vault::open(dir.path()).await.unwrap();
        let clock = Arc::new(FixedClock::new(domain::paris_time::parse("2026-11-02T09:00").unwrap()));
        let app = App::new(db.store.clone(), vault, clock.clone(), Config::default());
        app.bootstrap_admin("admin@exemple.fr", "Admin", "mot-de-passe-admin").await.unwrap();
        let (_, admin) = app.login("admin@exemple.fr", "mot-de-passe-admin", TokenKind::Api).await.unwrap();
        let admin = Actor::User(admin);
        let org = NewBuyerOrganisation {
            name: "Commune de Bobigny".into(),
            siret: "21930008100011".into(),
            kind: "commune".into(),
            departement: "93".into(),
            address: None,
        };
        let org = app.create_buyer_organisation(&admin, &org).await.unwrap();
        let account = NewAccount {
            email: "acheteur@bobigny.fr".into(),
            name: "Acheteur".into(),
            password: "mot-de-passe-acheteur".into(),
            role: "acheteur".into(),
            organisation_id: Some(org),
            departements: vec![],
        };
        app.create_account(&admin, &account).await.unwrap();
        let (_, buyer) = app.login("acheteur@bobigny.fr", "mot-de-passe-acheteur", TokenKind::Api).await.unwrap();
        let buyer = Actor::User(buyer);
        let (opening_key, _secret) = vault::ConsultationKey::generate();
        app.register_opening_key(&buyer, &opening_key).await.unwrap();
        let mut input = ConsultationInput {
            title: "Réfection de la toiture du gymnase".into(),
            object: "Travaux de couverture".into(),
            nature: "travaux".into(),
            procedure: "mapa".into(),
            cpv: "45261000-4".into(),
            place: "93008".into(),
            bid_deadline: "2026-12-15T12:00".into(),
            lots: vec![LotInput { title: "Couverture".into(), cpv: None, estimated_value: None }],
            ..Default::default()
        };
        let c = app.create_consultation(&buyer, &input).await.unwrap();
        app.add_document(&buyer, c.id, "RC.txt", &b"reglement"[..]).await.unwrap();
        app.publish_consultation(&buyer, c.id).await.unwrap();
        app.download_dce(&Actor::Anonymous, c.id, Some("pme@exemple.fr")).await.unwrap();
        app.download_dce(&Actor::Anonymous, c.id, None).await.unwrap();
        input.bid_deadline = "2026-12-22T12:00".into();
        app.update_consultation(&buyer, c.id, &input, Some("Report de la date limite d’une semaine.")).await.unwrap();

        let outbox = Arc::new(Outbox::default());
        *outbox.fail.lock().unwrap() = true;
        assert_eq!(app.deliver_emails(outbox.clone(), "ne-pas-repondre@halle.test").await.unwrap(), 0);
        assert_eq!(db.store.unsent_emails().await.unwrap().len(), 1, "a failed send stays queued");

        *outbox.fail.lock().unwrap() = false;
        assert_eq!(app.deliver_emails(outbox.clone(), "ne-pas-repondre@halle.test").await.unwrap(), 1);
        let sent = outbox.sent.lock().unwrap().clone();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].0, "pme@exemple.fr");
        assert!(sent[0].1.contains("Report de la date limite"), "{}", sent[0].1);
        assert!(db.store.unsent_emails().await.unwrap().is_empty());
        assert_eq!(app.deliver_emails(outbox.clone(), "ne-pas-repondre@halle.test").await.unwrap(), 0);
        println!("e-mail delivery verified on {:?}", db.backend);
    }
}
