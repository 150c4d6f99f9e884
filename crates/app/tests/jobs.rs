//! Background jobs, run against both database engines: e-mail delivery (to a real SMTP server,
//! aiosmtpd, on loopback), the alerts of saved searches and the daily digest.

#[path = "../../formats/tests/formats/support.rs"]
mod validators;

use std::sync::{Arc, Mutex};

use app::search_query::SearchQuery;
use app::{
    Actor, App, AppError, Config, FirmRegistration, FixedClock, Mailer, NewAccount, NewBuyerOrganisation, Smtp,
    TokenKind,
};
use domain::consultation::{ConsultationInput, LotInput};

/// Collects what would be handed to the mail transfer agent; fails on demand.
#[derive(Default)]
struct Outbox {
    sent: Mutex<Vec<(String, String)>>,
    fail: Mutex<bool>,
}

impl Mailer for Outbox {
    fn send(&self, _from: &str, recipient: &str, message: &str) -> Result<(), String> {
        if *self.fail.lock().unwrap() {
            return Err("relais indisponible".into());
        }
        self.sent.lock().unwrap().push((recipient.into(), message.into()));
        Ok(())
    }
}

struct Setup {
    app: App,
    clock: Arc<FixedClock>,
    buyer: Actor,
    _files: tempfile::TempDir,
}

async fn setup(db: &store::test_support::TestDb) -> Setup {
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
    Setup { app, clock, buyer, _files: dir }
}

/// A consultation ready to publish: a roofing job in Bobigny.
fn roofing() -> ConsultationInput {
    ConsultationInput {
        title: "Réfection de la toiture du gymnase".into(),
        object: "Travaux de couverture".into(),
        nature: "travaux".into(),
        procedure: "mapa".into(),
        cpv: "45261000-4".into(),
        place: "93008".into(),
        bid_deadline: "2026-12-15T12:00".into(),
        lots: vec![LotInput { title: "Couverture".into(), cpv: None, estimated_value: None }],
        ..Default::default()
    }
}

#[tokio::test]
async fn rectificatif_emails_reach_those_who_left_an_address() {
    for db in store::test_support::all().await {
        let Setup { app, clock, buyer, _files } = setup(&db).await;
        let mut input = roofing();
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
        assert_eq!(db.store.unsent_emails().await.unwrap()[0].attempts, 1);

        *outbox.fail.lock().unwrap() = false;
        assert_eq!(
            app.deliver_emails(outbox.clone(), "ne-pas-repondre@halle.test").await.unwrap(),
            0,
            "not retried before its delay"
        );
        clock.set(app.now() + jiff::SignedDuration::from_mins(1));
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

/// aiosmtpd on a free loopback port, keeping what it receives in a maildir.
struct SmtpServer {
    child: std::process::Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl SmtpServer {
    fn start() -> SmtpServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let dir = tempfile::tempdir().unwrap();
        let child = std::process::Command::new(validators::tool("aiosmtpd"))
            .args(["-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir.path().join("boite"))
            .spawn()
            .expect("aiosmtpd starts");
        let server = SmtpServer { child, port, dir };
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return server;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("aiosmtpd did not listen on port {port}");
    }

    /// Every message received so far, as the server wrote it (with its `X-MailFrom` and
    /// `X-RcptTo` envelope headers).
    fn received(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(self.dir.path().join("boite/new")) else { return Vec::new() };
        entries.map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap()).collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn firm(app: &App) -> Actor {
    let registration = FirmRegistration {
        siret: "73282932000074".into(),
        name: "Couvertures Dupont".into(),
        size: "micro".into(),
        address: "3 rue des Lilas, 93000 Bobigny".into(),
        departement: "93".into(),
        user_name: "Léa Dupont".into(),
        email: "lea@couvertures-dupont.fr".into(),
        password: "mot-de-passe-entreprise".into(),
    };
    app.register_firm(&registration).await.unwrap();
    let (_, user) = app.login(&registration.email, &registration.password, TokenKind::Api).await.unwrap();
    Actor::User(user)
}

async fn publish(app: &App, buyer: &Actor, title: &str) -> i64 {
    let c = app.create_consultation(buyer, &ConsultationInput { title: title.into(), ..roofing() }).await.unwrap();
    app.add_document(buyer, c.id, "RC.txt", &b"reglement"[..]).await.unwrap();
    app.publish_consultation(buyer, c.id).await.unwrap();
    c.id
}

/// The messages queued for `to` so far, as (subject, body).
async fn queued_for(store: &store::Store, to: &str) -> Vec<(String, String)> {
    store
        .unsent_emails()
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.recipient == to)
        .map(|m| (m.subject, m.body))
        .collect()
}

#[tokio::test]
async fn saved_searches_alert_at_once_over_smtp_or_in_the_daily_digest() {
    let smtp = SmtpServer::start();
    for db in store::test_support::all().await {
        let Setup { app, clock, buyer, _files } = setup(&db).await;
        let firm = firm(&app).await;
        let lea = "lea@couvertures-dupont.fr";
        let at = |s: &str| domain::paris_time::parse(s).unwrap();
        // The first run starts at the end of the feed: what existed before is not news.
        publish(&app, &buyer, "Réfection de la toiture de la mairie").await;
        assert_eq!(app.run_alerts().await.unwrap(), 0);

        let query = SearchQuery::parse("q=toiture&departement=93");
        let toitures = app.save_search(&firm, "Toitures 93", &query, "immediat").await.unwrap();
        app.save_search(&firm, "Voirie", &SearchQuery::parse("q=voirie"), "quotidien").await.unwrap();
        match app.save_search(&firm, " ", &SearchQuery::parse("departement=99&tri=hasard"), "hebdo").await {
            Err(AppError::Invalid(e)) => {
                let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
                assert_eq!(fields, ["nom", "frequence", "tri", "departement"], "{e:?}");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            app.save_search(&Actor::Anonymous, "x", &SearchQuery::default(), "immediat").await,
            Err(AppError::Unauthenticated)
        ));
        assert_eq!(app.saved_searches(&firm).await.unwrap().len(), 2, "nothing saved by the refused ones");

        // Immediately: one e-mail for the new roofing job, none for the park.
        let roof = publish(&app, &buyer, "Réfection de la toiture du gymnase").await;
        publish(&app, &buyer, "Entretien des espaces verts").await;
        assert_eq!(app.run_alerts().await.unwrap(), 1);
        assert_eq!(app.run_alerts().await.unwrap(), 0);
        let mails = queued_for(&db.store, lea).await;
        assert_eq!(mails.len(), 1, "{mails:?}");
        assert_eq!(mails[0].0, "Veille « Toitures 93 » : 1 nouvelle consultation");
        assert!(mails[0].1.contains("Réfection de la toiture du gymnase — Commune de Bobigny"), "{}", mails[0].1);
        assert!(mails[0].1.contains(&format!("/consultations/{roof}\n")), "{}", mails[0].1);
        assert!(mails[0].1.contains(&format!("/veille/desabonnement/{}", toitures.token)));
        // A change to the consultation is not a new consultation.
        let input = ConsultationInput { title: "Réfection de la toiture du gymnase".into(), ..roofing() };
        app.update_consultation(&buyer, roof, &input, Some("Précision du CCTP.")).await.unwrap();
        assert_eq!(app.run_alerts().await.unwrap(), 0);
        assert_eq!(queued_for(&db.store, lea).await.len(), 1);

        // Delivered over SMTP, with the one-click unsubscribe headers.
        let before = smtp.received().len();
        let mailer = Arc::new(Smtp::parse(&format!("smtp://127.0.0.1:{}", smtp.port)).unwrap());
        let sent = app.deliver_emails(mailer, "ne-pas-repondre@halle.test").await.unwrap();
        assert!(sent >= 1);
        // The maildir holds every backend's messages, in no order: this one is known by its token.
        let received = smtp.received();
        assert_eq!(received.len(), before + sent, "{received:?}");
        let unsubscribe = format!("List-Unsubscribe: <http://127.0.0.1:8080/veille/desabonnement/{}>", toitures.token);
        let alert = received
            .iter()
            .find(|m| m.contains(&unsubscribe))
            .unwrap_or_else(|| panic!("no message with {unsubscribe} in {received:?}"));
        assert!(alert.contains(&format!("X-RcptTo: {lea}")), "{alert}");
        assert!(alert.contains("X-MailFrom: ne-pas-repondre@halle.test"), "{alert}");
        assert!(alert.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
        assert!(alert.contains("Votre recherche « Toitures 93 » a trouvé 1 nouvelle consultation"), "{alert}");
        assert!(queued_for(&db.store, lea).await.is_empty(), "sent, so no longer queued");

        // Daily: kept for the digest, sent once a day after 7 h (Paris).
        publish(&app, &buyer, "Réfection de la voirie rue Jean-Jaurès").await;
        assert_eq!(app.run_alerts().await.unwrap(), 1);
        assert!(queued_for(&db.store, lea).await.is_empty());
        assert_eq!(app.send_digests().await.unwrap(), 1);
        assert_eq!(app.send_digests().await.unwrap(), 0, "once a day");
        let digest = queued_for(&db.store, lea).await;
        assert_eq!(digest[0].0, "Résumé quotidien — veille « Voirie » : 1 nouvelle consultation");
        assert!(digest[0].1.contains("Réfection de la voirie rue Jean-Jaurès"));
        clock.set(at("2026-11-03T06:30"));
        publish(&app, &buyer, "Signalisation et voirie du parc des sports").await;
        assert_eq!(app.run_alerts().await.unwrap(), 1);
        assert_eq!(app.send_digests().await.unwrap(), 0, "not before 7 h");
        clock.set(at("2026-11-03T07:01"));
        assert_eq!(app.send_digests().await.unwrap(), 1);
        let digest = queued_for(&db.store, lea).await;
        assert!(digest[1].1.contains("Signalisation et voirie du parc des sports"));
        assert!(!digest[1].1.contains("Jean-Jaurès"), "announced once: {}", digest[1].1);

        // Nobody else sees or changes these searches.
        assert!(app.saved_searches(&buyer).await.unwrap().is_empty());
        assert!(matches!(app.delete_saved_search(&buyer, toitures.id).await, Err(AppError::NotFound)));
        assert!(matches!(
            app.set_saved_search_frequency(&buyer, toitures.id, "quotidien").await,
            Err(AppError::NotFound)
        ));
        assert!(matches!(app.unsubscribe("0123").await, Err(AppError::NotFound)));

        // Unsubscribed: the search stays, its e-mails stop.
        assert_eq!(app.unsubscribe(&toitures.token).await.unwrap().frequency, "aucun");
        let queued = queued_for(&db.store, lea).await.len();
        publish(&app, &buyer, "Toiture de l’école Jules-Ferry").await;
        assert_eq!(app.run_alerts().await.unwrap(), 0);
        assert_eq!(queued_for(&db.store, lea).await.len(), queued);
        assert_eq!(app.saved_searches(&firm).await.unwrap().len(), 2);

        // Changes to a DCE the firm downloaded, in its digest since it asked so.
        assert!(matches!(app.set_dce_alerts(&firm, "aucun").await, Err(AppError::Invalid(_))));
        app.set_dce_alerts(&firm, "quotidien").await.unwrap();
        app.download_dce(&firm, roof, None).await.unwrap();
        app.update_consultation(&buyer, roof, &input, Some("Report de la visite de site.")).await.unwrap();
        assert_eq!(queued_for(&db.store, lea).await.len(), queued, "not at once");
        clock.set(at("2026-11-04T07:30"));
        assert_eq!(app.send_digests().await.unwrap(), 1);
        let last = queued_for(&db.store, lea).await.pop().unwrap();
        assert_eq!(last.0, "Résumé quotidien — 1 DCE modifié");
        assert!(last.1.contains("Motif : Report de la visite de site."), "{}", last.1);
        assert!(!last.1.contains("Précision du CCTP"), "before the download: {}", last.1);
        println!("saved-search alerts verified on {:?}", db.backend);
    }
}
