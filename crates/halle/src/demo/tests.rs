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

    for account in &summary.accounts {
        let (_, user) = app.login(account.email, DEMO_PASSWORD, TokenKind::Cookie).await.expect(account.email);
        assert_eq!(user.email, account.email);
    }
    let buyer =
        app.authenticate(Some(&app.login(BUYER_EMAIL, DEMO_PASSWORD, TokenKind::Api).await.unwrap().0)).await.unwrap();
    let mine = app.my_consultations(&buyer).await.expect("own consultations");
    assert!(mine.len() >= 10, "{}", mine.len());
    assert!(app.verify_audit().await.expect("audit").is_ok());

    let again = seed(db.store.clone(), vault, Config::default()).await.expect("second seed");
    assert!(again.already_seeded);
    assert_eq!(app.search_consultations(&ConsultationFilter::default(), 1, 100).await.unwrap().total, all.total);
    assert!(again.lines("127.0.0.1:8080").iter().any(|l| l.contains("acheteur@demo.halle.test")));
}
