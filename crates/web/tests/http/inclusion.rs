//! Inclusive suppliers: the directory (real SIAE data) by trade, place and kind, through the
//! page and the API; and, on a consultation's management page, who could take part and what
//! that suggests — for its organisation's buyers only.

use std::path::Path;

use app::ImportKind;
use domain::inclusion::{StructureKind, sector_of_naf};
use serde_json::json;

use crate::support::{ANON, Env, for_each_backend, minimal};

async fn import_directory(env: &Env) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/siae/siae_le-marche.csv");
    let report = env.app.import_file(ImportKind::Siae, &path).await.unwrap();
    assert!(report.created > 3000, "{}", report.summary());
}

#[tokio::test]
async fn the_directory_is_searchable_by_trade_place_and_kind() {
    for_each_backend("inclusion", async |env| {
        import_directory(&env).await;
        let page = env.get("/structures-inclusives?secteur=restauration&departement=93", &ANON).await;
        page.expect(200);
        let html = page.text();
        assert!(html.contains("Baluchon-À table citoyens (BALUCHON A TABLE CITOYENS)"), "{html}");
        assert!(html.contains("Restauration, traiteur et alimentation"));
        let api = env.get("/api/v1/inclusive-suppliers?secteur=restauration&departement=93", &ANON).await.json();
        let items = api["items"].as_array().unwrap();
        assert!(!items.is_empty());
        // Everything listed answers the filters, and nothing that answers them is missing.
        let expected = env
            .store
            .siae_of("93")
            .await
            .unwrap()
            .iter()
            .filter(|r| r.naf.as_deref().and_then(sector_of_naf).is_some_and(|s| s.code == "restauration"))
            .count();
        assert_eq!(api["total"], expected);
        assert!(items.iter().all(|i| i["departement"] == "93" && i["sector"] == "restauration"));

        let by_town = env.get("/api/v1/inclusive-suppliers?commune=romainville", &ANON).await.json();
        assert!(by_town["items"].as_array().unwrap().iter().all(|i| i["city"] == "Romainville"), "{by_town}");
        assert!(by_town["total"].as_u64().unwrap() >= 1);
        let ea = env.get("/api/v1/inclusive-suppliers?type=EA", &ANON).await.json();
        assert_eq!(ea["total"], 1, "the source lists one EA in Île-de-France");
        let pages = env.get("/api/v1/inclusive-suppliers?page=2", &ANON).await.json();
        assert_eq!(pages["items"].as_array().unwrap().len(), 20);

        env.get("/api/v1/inclusive-suppliers?departement=13", &ANON).await.expect_problem(422, "departement");
        env.get("/api/v1/inclusive-suppliers?secteur=astronautique", &ANON).await.expect_problem(422, "secteur");
        let r = env.get("/structures-inclusives?type=XYZ", &ANON).await;
        r.expect(422);
        assert!(r.text().contains("« XYZ » : valeur inconnue pour « type de structure »"));
    })
    .await;
}

#[tokio::test]
async fn a_buyer_sees_who_could_take_part_in_its_consultation() {
    for_each_backend("inclusion_coverage", async |env| {
        import_directory(&env).await;
        let mut body = minimal("Restauration scolaire");
        body["cpv"] = json!("55523100-3");
        body["lots"] = json!([{"title": "Repas", "cpv": "55523100-3"}]);
        let id = env.create(&env.buyer_a, &body).await;
        let page = env.get(&format!("/acheteur/consultations/{id}"), &env.buyer_a.page()).await;
        page.expect(200);
        let html = page.text();
        // The counts the page gives, recomputed from the directory's rows of the département.
        let rows = env.store.siae_of("93").await.unwrap();
        let kind = |r: &store::SiaeRow| StructureKind::parse(&r.kind).ok();
        let in_trade = rows
            .iter()
            .filter(|r| kind(r).is_some_and(StructureKind::is_siae))
            .filter(|r| r.naf.as_deref().and_then(sector_of_naf).is_some_and(|s| s.code == "restauration"))
            .count();
        let staff = rows.iter().filter(|r| kind(r).is_some_and(StructureKind::provides_staff)).count();
        assert!(html.contains(&format!("{in_trade} structure")), "{in_trade}: {html}");
        assert!(html.contains(&format!("<li>{staff} structures de mise à disposition")), "{staff}: {html}");
        assert!(html.contains("Métiers de cette consultation : Restauration, traiteur et alimentation."));
        assert!(html.contains("L2112-2"), "an insertion clause is suggested");
        assert!(html.contains("/structures-inclusives?departement=93&#38;secteur=restauration"));
        // Another organisation's buyer does not see it (a draft: not even that it exists).
        env.get(&format!("/acheteur/consultations/{id}"), &env.buyer_b.page()).await.expect(404);
        assert!(env.app.consultation_coverage(&app::Actor::Anonymous, id).await.is_err());
    })
    .await;
}
