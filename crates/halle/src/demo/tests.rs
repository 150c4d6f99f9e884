use std::sync::Arc;

use app::{Actor, App, Config, SystemClock, TokenKind};
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
    // Social clauses: drafted, followed by the demo facilitator, counted in the indicators.
    assert!(summary.social_clauses >= 10 && summary.beneficiaries >= 5 && summary.placements >= 4, "{summary:?}");
    let facilitator = Actor::User(db.store.credentials(FACILITATOR_EMAIL).await.expect("facilitator").user);
    let contracts = app.clause_contracts(&facilitator).await.expect("contracts");
    assert!(!contracts.is_empty() && contracts[0].validated_hours > 0, "{contracts:?}");
    let proposed: usize = {
        let mut n = 0;
        for c in &contracts {
            n += db.store.penalties(c.consultation_id, c.lot_number).await.expect("penalties").len();
        }
        n
    };
    assert_eq!(proposed, 1, "one penalty proposed, for the buyer to decide");
    let all_idf = app.indicators(&app::IndicatorQuery::default()).await.expect("indicators");
    assert!(
        all_idf.indicators.hours_realised > 0 && all_idf.indicators.beneficiaries.is_some(),
        "{:?}",
        all_idf.indicators
    );
    assert_eq!(all_idf.operations.len(), 1);
    let shown: Vec<_> = all_idf.indicators.hours_by_way.iter().filter(|w| w.hours.is_some()).collect();
    assert_eq!(shown.len(), 2, "direct hires and ETTI, six people each: {:?}", all_idf.indicators);
    // The library: three entries, the featured one first; the directory of inclusive suppliers.
    let library = app.practices(&app::PracticeQuery::default()).await.expect("library");
    assert_eq!(library.len(), 3);
    assert!(library[0].featured && library[0].uses == 2, "{:?}", library[0]);
    let works = app.practice(&Actor::Anonymous, library[0].id).await.expect("library entry");
    assert_eq!(works.attachments.len(), 1, "{:?}", works.attachments);
    let suppliers = app.inclusive_suppliers(&app::SupplierQuery::default()).await.expect("directory");
    assert_eq!(suppliers.total, 200, "the embedded extract");
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

#[path = "../../../formats/tests/formats/support.rs"]
mod validators;

/// `575000` and `575000.0` are the same amount: every number as a float.
fn same_numbers(v: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::Number(n) => n.as_f64().map_or(Value::Null, |f| serde_json::json!(f)),
        Value::Array(a) => Value::Array(a.iter().map(same_numbers).collect()),
        Value::Object(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), same_numbers(v))).collect()),
        other => other.clone(),
    }
}

/// Every award of the demo, then the official DECP examples imported, published as DECP v2
/// (JSON and XML) and OCDS: the official validators accept them, and each example's records come
/// back whole.
#[tokio::test]
async fn the_open_data_of_the_demo_passes_the_official_validators() {
    let db = store::test_support::sqlite().await;
    let dir = tempfile::tempdir().expect("temporary folder");
    let vault = Vault::open(dir.path()).await.expect("vault");
    seed(db.store.clone(), vault.clone(), Config::default()).await.expect("seed");
    let app = App::new(db.store.clone(), vault, Arc::new(SystemClock), Config::default());
    let root = validators::repo_root();
    let examples = root.join("data/decp/examples-official/v2");
    for file in ["json/marches_avec_modifications.json", "json/concessions_avec_modifications.json"] {
        let report = app.import_file(app::ImportKind::Decp, &examples.join(file)).await.expect("import");
        assert_eq!((report.created, report.rejected_count), (2, 0), "{}", report.summary());
    }
    // v1 records are kept, but not republished: v1 lacks facts v2 requires.
    let v1 = root.join("data/decp/real/v1.x/e-marchespublics.json");
    let report = app.import_file(app::ImportKind::Decp, &v1).await.expect("import v1");
    assert_eq!(report.created, 445, "{}", report.summary());

    let json = app.decp_export(false).await.expect("DECP JSON");
    let path = dir.path().join("decp.json");
    std::fs::write(&path, &json).unwrap();
    let verdict = validators::check_jsonschema(&root.join("data/decp/schemas/v2/schema_decp_v2.0.3.json"), &path);
    assert!(verdict.ok, "{}", verdict.output);
    let exported: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let marches = exported["marches"]["marche"].as_array().unwrap();
    let demo_awards = marches.iter().filter(|m| !m["id"].as_str().unwrap().starts_with("TEST")).count();
    assert!(demo_awards >= 8, "the demo's awards: {demo_awards}");
    // Halle's ids are its references' digits with a two-digit year (`25001000001`, `L2` for lot 2).
    let is_halle = |id: &str| id.len() >= 11 && id.bytes().take(11).all(|b| b.is_ascii_digit());
    let halle_ids = marches.iter().filter(|m| is_halle(m["id"].as_str().unwrap())).count();
    assert_eq!(demo_awards, halle_ids, "only Halle’s awards and the v2 examples");
    assert!(!marches.iter().any(|m| m["id"] == "2018MA181101"), "no v1 record republished");
    assert!(marches.iter().any(|m| m["attributionAvance"] == true && m["tauxAvance"] == 0.05));
    // The official examples come back with every field, modifications included.
    for (file, list) in [
        ("json/marches_avec_modifications.json", "marche"),
        ("json/concessions_avec_modifications.json", "contrat-concession"),
    ] {
        let original: serde_json::Value = serde_json::from_slice(&std::fs::read(examples.join(file)).unwrap()).unwrap();
        for record in original["marches"][list].as_array().unwrap() {
            let back = exported["marches"][list].as_array().unwrap().iter().find(|r| r["id"] == record["id"]);
            assert_eq!(back.map(same_numbers), Some(same_numbers(record)), "{file} {}", record["id"]);
        }
    }

    let xml = app.decp_export(true).await.expect("DECP XML");
    let path = dir.path().join("decp.xml");
    std::fs::write(&path, &xml).unwrap();
    let verdict = validators::xmllint(&root.join("data/decp/schemas/v2/schema_decp_v2.0.2.xsd"), &path);
    assert!(verdict.ok, "{}", verdict.output);

    let ocds = app.ocds_package().await.expect("OCDS");
    let path = dir.path().join("ocds.json");
    std::fs::write(&path, &ocds).unwrap();
    validators::assert_cove_clean(&path);
    let package: serde_json::Value = serde_json::from_slice(&ocds).unwrap();
    let tags: Vec<&str> = package["releases"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["tag"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()))
        .collect();
    for tag in ["tender", "award", "contract", "tenderCancellation"] {
        assert!(tags.contains(&tag), "{tag}: {tags:?}");
    }
}
