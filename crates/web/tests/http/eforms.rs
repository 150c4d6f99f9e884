//! The eForms notices of a consultation: what they need (the organisation's contact details and
//! review body, the award criteria) and who may give it; the contract notice and the award
//! notice valid against the eForms SDK 1.15 schemas, and read back by Halle's eForms reader.

use serde_json::{Value, json};

use crate::bids::{deposit, two_files};
use crate::support::{ANON, at, for_each_backend, minimal};
use crate::validators;

fn profile() -> Value {
    json!({"phone": "01 49 15 40 00", "email": "marches@ville-saint-denis.fr", "postcode": "93200",
           "town": "Saint-Denis", "review_name": "Tribunal administratif de Montreuil",
           "review_siret": "35600000000048", "review_postcode": "93100", "review_town": "Montreuil"})
}

/// Writes the notice and runs xmllint on it against the SDK's schema for its root.
fn assert_valid(xml: &[u8], xsd: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notice.xml");
    std::fs::write(&path, xml).unwrap();
    let schema = validators::repo_root().join("data/eforms-sdk/schemas/maindoc").join(xsd);
    let verdict = validators::xmllint(&schema, &path);
    assert!(verdict.ok, "{}\n{}", verdict.output, String::from_utf8_lossy(xml));
}

#[tokio::test]
async fn eforms_notices_need_the_buyers_details_and_validate() {
    for_each_backend("eforms", async |env| {
        let mut body = minimal("Réfection des toitures des écoles");
        body["procedure"] = json!("aoo");
        body["estimated_value_cents"] = json!(90_000_000);
        body["criteria"] = json!([
            {"kind": "prix", "name": "Prix des prestations", "weight": 60},
            {"kind": "qualite", "name": "Valeur technique", "weight": 40}
        ]);
        body["tender_validity_days"] = json!(120);
        let id = env.create(&env.buyer_a, &body).await;
        env.upload(&env.buyer_a, id, "reglement.pdf", b"%PDF-1.4 RC").await;
        env.publish(&env.buyer_a, id).await;
        let reference = env.owner_view(id).await["reference"].as_str().unwrap().to_string();
        let refused = env.app.eforms_notice(&reference, false).await.unwrap_err();
        assert!(matches!(&refused, app::AppError::Conflict(m) if m.contains("coordonnées")), "{refused:?}");

        // Who may give the details: the platform's or the organisation's administrator only.
        let path = format!("/api/v1/organisations/{}/profile", env.org_a);
        for who in [&env.buyer_a, &env.buyer_b, &env.firm] {
            env.put_json(&path, &who.api(), &profile()).await.expect(403);
        }
        env.put_json(&path, &ANON, &profile()).await.expect(401);
        let mut bad = profile();
        bad["review_siret"] = json!("12345678901234");
        bad["postcode"] = json!("932");
        let problem = env.put_json(&path, &env.admin.api(), &bad).await.expect_problem(422, "postcode");
        assert!(problem["errors"].as_array().unwrap().iter().any(|e| e["field"] == "review_siret"));
        env.put_json(&path, &env.admin.api(), &profile()).await.expect(200);
        let page = env.get("/acheteur/organisation", &env.buyer_a.page()).await;
        assert!(page.expect(200).text().contains("Tribunal administratif de Montreuil"));

        let cn = env.app.eforms_notice(&reference, false).await.expect("contract notice");
        assert_valid(&cn, "UBL-ContractNotice-2.3.xsd");
        let read = formats::read_eforms(&cn[..]).expect("Halle reads its own notice");
        assert_eq!(read.buyer.name, "Ville de Saint-Denis");
        assert_eq!(read.cpv.as_deref(), Some("45442100"));
        assert_eq!(read.lots.len(), 1);
        assert_eq!(read.lots[0].title, "Peinture intérieure");
        assert_eq!(read.lots[0].nuts, ["FR106"]);
        assert_eq!(read.tender_deadline.as_deref(), Some("2026-12-15T12:00:00+01:00"));
        // A draft or an unknown reference has none.
        let draft = env.create(&env.buyer_a, &body).await;
        let draft_ref = env.owner_view(draft).await["reference"].as_str().unwrap().to_string();
        assert!(matches!(env.app.eforms_notice(&draft_ref, false).await, Err(app::AppError::NotFound)));
        assert!(matches!(env.app.eforms_notice("2099-9999-99999", false).await, Err(app::AppError::NotFound)));
        // Not yet: the award notice follows the award.
        assert!(env.app.eforms_notice(&reference, true).await.is_err());

        deposit(&env, &format!("/api/v1/consultations/{id}/bids"), &env.firm.api(), &two_files()).await.expect(201);
        env.set_time(at("2026-12-16T09:00:00+01:00"));
        let buyer = env.api_token(&env.buyer_a).await;
        let award = json!({
            "lot": 1, "titulaire": {"siret": "73282932000074", "name": "Peintures Dupont"},
            "amount_cents": 84_000_000, "notified_on": "2027-01-10", "duration_months": 12,
            "price_form": "Forfaitaire", "price_types": ["Définitif ferme"], "ccag": "Travaux"
        });
        env.post_json(&format!("/api/v1/consultations/{id}/awards"), &buyer, &award).await.expect(201);
        let can = env.app.eforms_notice(&reference, true).await.expect("award notice");
        assert_valid(&can, "UBL-ContractAwardNotice-2.3.xsd");
        let text = String::from_utf8(can).unwrap();
        assert!(text.contains("73282932000074") && text.contains("93200"), "the winner with its address");
    })
    .await;
}
