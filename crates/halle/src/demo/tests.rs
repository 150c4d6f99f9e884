use std::sync::Arc;

use app::{App, Config, SystemClock, TokenKind};
use domain::consultation::Phase;
use store::{ConsultationFilter, OpenState};

use super::*;

#[tokio::test]
async fn seeds_a_realistic_portal_once() {
    let db = store::test_support::sqlite().await;
    let dir = tempfile::tempdir().expect("temporary folder");
    let vault = Vault::open(dir.path()).await.expect("vault");

    let summary = seed(db.store.clone(), vault.clone(), Config::default()).await.expect("seed");
    assert!(!summary.already_seeded);
    assert!(summary.consultations() >= 40, "{summary:?}");
    for phase in [Phase::EnCours, Phase::Cloturee, Phase::Attribuee, Phase::Brouillon] {
        assert!(summary.count(phase) >= 2, "{phase:?}: {summary:?}");
    }
    assert!(summary.count(Phase::Infructueuse) + summary.count(Phase::SansSuite) >= 2, "{summary:?}");
    assert!(summary.count(Phase::EnCours) * 2 > summary.consultations(), "mostly open: {summary:?}");
    assert!(summary.firms >= 50 && summary.rectificatifs >= 3 && summary.answers < summary.questions, "{summary:?}");

    let app = App::new(db.store.clone(), vault.clone(), Arc::new(SystemClock), Config::default());
    let all = app.search_consultations(&ConsultationFilter::default(), 1, 100).await.expect("search");
    assert!(all.total >= 30, "public: {}", all.total);
    let open = ConsultationFilter { state: Some(OpenState::Open), ..Default::default() };
    assert!(app.search_consultations(&open, 1, 100).await.expect("open").total >= 20);
    let departements = &all.facets.departement;
    assert_eq!(departements.len(), 8, "{departements:?}");

    // The XML notices of Île-de-France buyers are open consultations with their real lots.
    let find = |words: &'static str| {
        let filter = ConsultationFilter { text: Some(domain::geo::fold(words)), ..Default::default() };
        let (app, store) = (&app, &db.store);
        async move {
            let page = app.search_consultations(&filter, 1, 10).await.expect("search");
            assert_eq!(page.items.len(), 1, "{words}: {:?}", page.items);
            let c = store.consultation(page.items[0].id).await.expect("consultation");
            assert_eq!(Phase::of(c.status, c.fields.bid_deadline, jiff::Timestamp::now()), Phase::EnCours, "{words}");
            c
        }
    };
    let towing = find("remorquage pour les véhicules de la ville de Paris").await;
    assert_eq!(towing.organisation_name, "Ville de Paris");
    assert_eq!(towing.fields.cpv, "50118110-9");
    let lots: Vec<(&str, &str)> = towing.fields.lots.iter().map(|l| (l.title.as_str(), l.cpv.as_str())).collect();
    assert_eq!(
        lots,
        [
            ("Prestations de remorquage pour les véhicules légers de la ville de Paris", "50118110-9"),
            ("Prestations de remorquage pour les poids lourds de la ville de Paris", "50118110-9"),
        ]
    );
    assert!(towing.fields.object.contains("test-pub.xml") && towing.fields.object.contains("16-186394"));
    let events = find("manifestations pour les ministères sociaux").await;
    let values: Vec<Option<i64>> = events.fields.lots.iter().map(|l| l.estimated_value.map(|v| v.0)).collect();
    assert_eq!(values, [Some(108_333_300), Some(633_333_300)]);
    assert_eq!(events.fields.cpv_additional, ["79951000-5"]);
    let contest = find("63 logements sociaux").await;
    assert!(contest.organisation_name.starts_with("SEMMY") && contest.fields.lots.is_empty());
    let cea = find("poste de garde parking Cadarache").await;
    assert_eq!((cea.fields.cpv.as_str(), cea.fields.place_code.as_str()), ("71336000-2", "91"));
    assert!(cea.fields.object.contains("cn_81_FRA.xml"), "{}", cea.fields.object);

    for account in &summary.accounts {
        let (_, user) = app.login(account.email, DEMO_PASSWORD, TokenKind::Cookie).await.expect(account.email);
        assert_eq!(user.email, account.email);
    }
    let buyer =
        app.authenticate(Some(&app.login(BUYER_EMAIL, DEMO_PASSWORD, TokenKind::Api).await.unwrap().0)).await.unwrap();
    let mine = app.my_consultations(&buyer).await.expect("own consultations");
    assert!(mine.len() >= 10, "{}", mine.len());
    // The demo buyer can open a closed consultation's plis with the demo opening key: the
    // demo firm's second pli replaced its first, and a late pli stays closed.
    assert!(summary.deposits >= 40, "{summary:?}");
    assert!(summary.awards >= 5, "at least five consultations awarded with their essential data: {summary:?}");
    let secret = summary.opening_secret.clone().expect("the demo buyer's opening key");
    let mut opened = 0;
    for s in mine.iter().filter(|s| Phase::of(s.status, s.bid_deadline, jiff::Timestamp::now()) == Phase::Cloturee) {
        let view = app.opening(&buyer, s.id).await.expect("opening view");
        if view.bids.is_empty() {
            continue;
        }
        app.unlock_bids(&buyer, s.id, &secret).await.expect("unlock with the demo key");
        app.open_envelope(&buyer, s.id, "candidature", None).await.unwrap();
        let c = app.consultation(&buyer, s.id).await.unwrap().consultation;
        if c.fields.lots.is_empty() {
            app.open_envelope(&buyer, s.id, "offre", None).await.unwrap();
        }
        for lot in &c.fields.lots {
            app.open_envelope(&buyer, s.id, "offre", Some(lot.number)).await.unwrap();
        }
        let view = app.opening(&buyer, s.id).await.unwrap();
        assert!(view.bids.iter().any(|(b, _)| b.late), "a late pli on the demo buyer's closed consultations");
        let (bid, _) = view.bids.iter().find(|(_, to_open)| *to_open).expect("a pli to open");
        let mut file = app.open_bid_file(&buyer, bid.id, 1).await.expect("opened offer").file;
        let mut text = String::new();
        tokio::io::AsyncReadExt::read_to_string(&mut file, &mut text).await.unwrap();
        assert!(text.starts_with("ACTE D’ENGAGEMENT"), "{text}");
        opened += 1;
    }
    assert!(opened >= 1, "the demo buyer has closed consultations with plis");
    assert!(app.verify_audit().await.expect("audit").is_ok());

    let again = seed(db.store.clone(), vault, Config::default()).await.expect("second seed");
    assert!(again.already_seeded);
    assert_eq!(app.search_consultations(&ConsultationFilter::default(), 1, 100).await.unwrap().total, all.total);
    assert!(again.lines("127.0.0.1:8080").iter().any(|l| l.contains("acheteur@demo.halle.test")));
}
