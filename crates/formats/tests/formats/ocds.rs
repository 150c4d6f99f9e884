//! The OCDS release packages of `formats::ocds`, checked by `libcoveocds` (the OCDS
//! validator, run offline on the standard zip in `data/ocds/`) and by `check-jsonschema`
//! against the release package schema, plus what the validators cannot see (releases, statuses,
//! amounts, characters) and the refusal of bad input.

use std::path::{Path, PathBuf};

use formats::ocds::{
    Award, Consultation, Contract, Cpv, Document, DocumentKind, Duration, LICENCE_OUVERTE_2_0, Lot, LotOutcome, Nature,
    OcdsError, Organisation, PackageInfo, Place, Procedure, Status, write_release_package,
};
use serde_json::Value;

use crate::support::{assert_cove_clean, check_jsonschema, libcoveocds, repo_root};

fn ocds_dir() -> PathBuf {
    repo_root().join("data/ocds")
}

/// A fresh directory for one test's files, in Cargo's scratch space for integration tests
/// (left there after the run, to look at).
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ocds").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn info() -> PackageInfo {
    PackageInfo {
        ocid_prefix: "ocds-halle".into(),
        uri: "https://halle.example/donnees/ocds/paquet-2026-06-01.json".into(),
        published_at: "2026-06-01T08:00:00+02:00".into(),
        publisher_name: "Halle — plateforme des marchés publics".into(),
        publication_policy_url: "https://halle.example/donnees/ocds/politique".into(),
        license_url: LICENCE_OUVERTE_2_0.into(),
    }
}

fn org(name: &str, siret: &str) -> Organisation {
    Organisation { name: name.into(), siret: siret.into() }
}

fn cpv(code: &str, label: &str) -> Cpv {
    Cpv { code: code.into(), label: Some(label.into()) }
}

fn lot(id: &str, title: &str, cents: i64, code: Option<Cpv>) -> Lot {
    Lot {
        id: id.into(),
        title: title.into(),
        description: Some(format!("Description du lot {id}.")),
        estimated_value_cents: Some(cents),
        cpv: code,
        tenders_received: None,
    }
}

/// A works consultation in two lots, as published.
fn two_lots() -> Consultation {
    Consultation {
        reference: "2026-0075-00012".into(),
        title: "Réfection de la voirie et de l'éclairage public".into(),
        description: "Travaux de voirie rue de Paris et remplacement des luminaires.".into(),
        buyer: org("Commune de Montreuil", "21930048000015"),
        nature: Nature::Works,
        procedure: Procedure::Adapted,
        status: Status::Published,
        estimated_value_cents: Some(45_000_050),
        cpv_main: cpv("45233140-2", "Travaux routiers"),
        cpv_additional: vec![cpv("45316110-9", "Installation d'éclairage public")],
        lots: vec![
            lot("1", "Voirie", 30_000_000, Some(cpv("45233140-2", "Travaux routiers"))),
            lot("2", "Éclairage public", 15_000_050, Some(cpv("45316110-9", "Installation d'éclairage public"))),
        ],
        published_at: "2026-03-02T12:00:00+01:00".into(),
        tender_deadline: "2026-04-02T12:00:00+02:00".into(),
        questions_deadline: Some("2026-03-26T12:00:00+01:00".into()),
        place: Some(Place {
            locality: Some("Montreuil".into()),
            postal_code: Some("93100".into()),
            region: Some("Île-de-France".into()),
            nuts: Some("FR106".into()),
        }),
        documents: vec![
            Document {
                kind: DocumentKind::Notice,
                title: "Avis de marché".into(),
                url: "https://halle.example/consultations/2026-0075-00012".into(),
            },
            Document {
                kind: DocumentKind::TenderDocuments,
                title: "Dossier de consultation des entreprises".into(),
                url: "https://halle.example/consultations/2026-0075-00012/dce".into(),
            },
        ],
        tenders_received: None,
        decided_at: None,
        outcomes: vec![],
    }
}

/// The same, lot 1 awarded to a group of two firms and signed, lot 2 unsuccessful.
fn two_lots_awarded() -> Consultation {
    let mut c = two_lots();
    c.status = Status::Awarded;
    c.lots[0].tenders_received = Some(4);
    c.lots[1].tenders_received = Some(0);
    c.decided_at = Some("2026-05-04T10:00:00+02:00".into());
    c.outcomes = vec![
        LotOutcome::Awarded(Award {
            id: "2026-0075-00012-L1".into(),
            lot_id: Some("1".into()),
            date: "2026-05-04T10:00:00+02:00".into(),
            value_cents: 28_750_099,
            suppliers: vec![org("Routes & Réseaux SAS", "73282932000074"), org("Lumière d'Île SARL", "51278830800025")],
            contract: Some(Contract {
                signed_at: "2026-05-20T09:30:00+02:00".into(),
                notified_at: Some("2026-05-22T14:00:00+02:00".into()),
                duration: Some(Duration::Months(12)),
            }),
        }),
        LotOutcome::Unsuccessful { lot_id: Some("2".into()) },
    ];
    c
}

/// A services consultation without lots.
fn without_lots() -> Consultation {
    Consultation {
        reference: "2026-0075-00020".into(),
        title: "Nettoyage des locaux de la mairie".into(),
        description: String::new(),
        buyer: org("Commune de Montreuil", "21930048000015"),
        nature: Nature::Services,
        procedure: Procedure::OpenCall,
        status: Status::Closed,
        estimated_value_cents: Some(9_999_999),
        cpv_main: cpv("90911200-8", "Services de nettoyage de bâtiments"),
        cpv_additional: vec![],
        lots: vec![],
        published_at: "2026-02-02T09:00:00+01:00".into(),
        tender_deadline: "2026-03-09T12:00:00+01:00".into(),
        questions_deadline: None,
        place: None,
        documents: vec![],
        tenders_received: Some(3),
        decided_at: None,
        outcomes: vec![],
    }
}

/// Writes the package, then parses it back.
fn package(name: &str, consultations: &[Consultation]) -> (PathBuf, Value) {
    let mut bytes = Vec::new();
    write_release_package(&mut bytes, &info(), consultations).unwrap();
    let path = scratch(name).join("paquet.json");
    std::fs::write(&path, &bytes).unwrap();
    let json: Value = serde_json::from_slice(&bytes).unwrap();
    (path, json)
}

/// `check-jsonschema` against the release package schema, its `$ref` to the release schema
/// pointed at the local copy so that no network is needed.
fn assert_schema_valid(path: &Path) {
    let dir = path.parent().unwrap();
    let schemas = ocds_dir().join("schema-1.1.5");
    std::fs::copy(schemas.join("release-schema.json"), dir.join("release-schema.json")).unwrap();
    let mut package: Value =
        serde_json::from_slice(&std::fs::read(schemas.join("release-package-schema.json")).unwrap()).unwrap();
    package.as_object_mut().unwrap().remove("id");
    package["properties"]["releases"]["items"]["$ref"] = "release-schema.json".into();
    let local = dir.join("release-package-schema.local.json");
    std::fs::write(&local, serde_json::to_vec(&package).unwrap()).unwrap();
    let verdict = check_jsonschema(&local, path);
    assert!(verdict.ok, "check-jsonschema: {}", verdict.output);
}

fn releases(json: &Value) -> &Vec<Value> {
    json["releases"].as_array().unwrap()
}

fn tags(json: &Value) -> Vec<&str> {
    releases(json).iter().map(|r| r["tag"][0].as_str().unwrap()).collect()
}

#[test]
fn the_validator_and_its_report_are_trusted_on_a_known_sample() {
    let sample = ocds_dir().join("samples/ocds-213czf-000-00001-04-award.json");
    assert_cove_clean(&sample);
    assert_schema_valid(&{
        let copy = scratch("sample").join("sample.json");
        std::fs::copy(&sample, &copy).unwrap();
        copy
    });
    // Spoilt copies: the report must show each fault where `assert_cove_clean` looks.
    let spoilt = |name: &str, spoil: fn(&mut Value)| -> (Value, PathBuf) {
        let mut broken: Value = serde_json::from_slice(&std::fs::read(&sample).unwrap()).unwrap();
        spoil(&mut broken["releases"][0]);
        let path = scratch(name).join("broken.json");
        std::fs::write(&path, serde_json::to_vec(&broken).unwrap()).unwrap();
        let verdict = libcoveocds(&ocds_dir().join("standard-1__1__5-schema.zip"), &path);
        (serde_json::from_str(&verdict.output[verdict.output.find('{').unwrap()..]).unwrap(), path)
    };
    let (report, path) = spoilt("bad-date", |r| r["date"] = "hier".into());
    assert_eq!(report["validation_errors"].as_array().map(Vec::len), Some(1), "{report:#}");
    assert!(!check_jsonschema(&ocds_dir().join("schema-1.1.5/release-schema.json"), &path).ok);
    // libcoveocds reports a value outside a closed codelist apart, not as a validation error.
    let (report, _) = spoilt("bad-status", |r| r["tender"]["status"] = "attribuée".into());
    assert_eq!(report["validation_errors"], serde_json::json!([]));
    assert_eq!(report["additional_closed_codelist_values"]["releases/tender/status"]["values"][0], "attribuée");
}

#[test]
fn published_consultation_with_two_lots() {
    let (path, json) = package("published", &[two_lots()]);
    let report = assert_cove_clean(&path);
    assert_schema_valid(&path);
    assert_eq!(report["count"], 1);
    assert_eq!(json["version"], "1.1");
    assert_eq!(json["license"], LICENCE_OUVERTE_2_0);
    assert_eq!(tags(&json), ["tender"]);
    let release = &releases(&json)[0];
    assert_eq!(release["ocid"], "ocds-halle-2026-0075-00012");
    assert_eq!(release["id"], "ocds-halle-2026-0075-00012-tender-20260302T110000Z");
    assert_eq!(release["initiationType"], "tender");
    assert_eq!(release["language"], "fr");
    assert_eq!(release["buyer"]["id"], "FR-RCS-21930048000015");
    assert_eq!(release["parties"][0]["roles"], serde_json::json!(["buyer", "procuringEntity"]));
    let tender = &release["tender"];
    assert_eq!(tender["status"], "active");
    assert_eq!(tender["procurementMethod"], "open");
    assert_eq!(tender["procurementMethodDetails"], "Procédure adaptée");
    assert_eq!(tender["mainProcurementCategory"], "works");
    assert_eq!(tender["tenderPeriod"]["endDate"], "2026-04-02T12:00:00+02:00");
    assert_eq!(tender["enquiryPeriod"]["endDate"], "2026-03-26T12:00:00+01:00");
    assert_eq!(tender["lots"].as_array().unwrap().len(), 2);
    assert_eq!(tender["lots"][1]["status"], "active");
    assert_eq!(tender["items"][1]["relatedLot"], "2");
    assert_eq!(tender["items"][1]["classification"]["id"], "45316110");
    assert_eq!(tender["items"][0]["additionalClassifications"][0]["id"], "45316110");
    assert!(tender["items"][1].get("additionalClassifications").is_none(), "the item's own CPV is not repeated");
    assert_eq!(tender["items"][0]["deliveryAddress"]["postalCode"], "93100");
    assert_eq!(tender["items"][0]["deliveryLocation"]["gazetteer"]["identifiers"][0], "FR106");
    assert_eq!(tender["documents"][1]["documentType"], "biddingDocuments");
    assert!(release.get("awards").is_none() && release.get("bids").is_none());
}

#[test]
fn one_lot_awarded_the_other_unsuccessful() {
    let (path, json) = package("awarded", &[two_lots_awarded()]);
    let report = assert_cove_clean(&path);
    assert_schema_valid(&path);
    assert_eq!(report["count"], 3);
    assert_eq!(report["unique_ocids_count"], 1);
    assert_eq!(tags(&json), ["tender", "award", "contract"]);
    let [tender, award, contract] = &releases(&json)[..] else { panic!("three releases") };
    assert_eq!(tender["tender"]["status"], "active");
    assert!(tender.get("awards").is_none());
    assert!(tender.get("bids").is_none(), "tenders received are not known at publication");

    assert_eq!(award["id"], "ocds-halle-2026-0075-00012-award-20260504T080000Z");
    assert_eq!(award["date"], "2026-05-04T10:00:00+02:00");
    assert_eq!(award["tender"]["status"], "complete");
    let lots = &award["tender"]["lots"];
    assert_eq!((lots[0]["status"].as_str(), lots[1]["status"].as_str()), (Some("complete"), Some("unsuccessful")));
    let awards = award["awards"].as_array().unwrap();
    assert_eq!(awards.len(), 2);
    assert_eq!(awards[0]["status"], "active");
    assert_eq!(awards[0]["relatedLots"], serde_json::json!(["1"]));
    assert_eq!(awards[0]["value"], serde_json::json!({"amount": 287500.99, "currency": "EUR"}));
    assert_eq!(awards[0]["suppliers"][1]["id"], "FR-RCS-51278830800025");
    assert_eq!(awards[1]["status"], "unsuccessful");
    assert_eq!(awards[1]["relatedLots"], serde_json::json!(["2"]));
    assert!(awards[1].get("value").is_none() && awards[1].get("suppliers").is_none());
    let stats = award["bids"]["statistics"].as_array().unwrap();
    assert_eq!(stats.len(), 2);
    assert_eq!((stats[0]["measure"].as_str(), stats[0]["value"].as_u64()), (Some("bids"), Some(4)));
    assert_eq!(stats[1]["relatedLot"], "2");
    let roles: Vec<(&str, Vec<&str>)> = award["parties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (p["id"].as_str().unwrap(), p["roles"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect())
        })
        .collect();
    assert_eq!(
        roles,
        [
            ("FR-RCS-21930048000015", vec!["buyer", "procuringEntity"]),
            ("FR-RCS-73282932000074", vec!["supplier"]),
            ("FR-RCS-51278830800025", vec!["supplier"]),
        ]
    );

    assert_eq!(contract["date"], "2026-05-20T09:30:00+02:00");
    let contracts = contract["contracts"].as_array().unwrap();
    assert_eq!(contracts.len(), 1);
    assert_eq!(contracts[0]["awardID"], "2026-0075-00012-L1");
    assert_eq!(contracts[0]["status"], "active");
    assert_eq!(contracts[0]["dateSigned"], "2026-05-20T09:30:00+02:00");
    let period = &contracts[0]["period"];
    assert_eq!(period["startDate"], "2026-05-22T14:00:00+02:00");
    assert_eq!(period["endDate"], "2027-05-22T12:00:00Z");
    assert_eq!(period["durationInDays"], 365);
    assert_eq!(contract["awards"][0]["contractPeriod"], *period);
}

#[test]
fn cancelled_consultation() {
    let mut c = two_lots();
    c.status = Status::Cancelled;
    c.procedure = Procedure::RestrictedCall;
    c.decided_at = Some("2026-04-10T16:45:00+02:00".into());
    let (path, json) = package("cancelled", &[c]);
    assert_cove_clean(&path);
    assert_schema_valid(&path);
    assert_eq!(tags(&json), ["tender", "tenderCancellation"]);
    let last = &releases(&json)[1];
    assert_eq!(last["tender"]["status"], "cancelled");
    assert_eq!(last["tender"]["procurementMethod"], "selective");
    assert!(last["tender"]["lots"].as_array().unwrap().iter().all(|l| l["status"] == "cancelled"));
    assert!(last.get("awards").is_none());
}

#[test]
fn consultations_without_lots_in_every_status() {
    let closed = without_lots();
    let mut awarded = without_lots();
    awarded.reference = "2026-0075-00021".into();
    awarded.procedure = Procedure::WithoutPublicity;
    awarded.nature = Nature::Supplies;
    awarded.status = Status::Awarded;
    awarded.decided_at = Some("2026-03-20T11:00:00+01:00".into());
    awarded.outcomes = vec![LotOutcome::Awarded(Award {
        id: "A1".into(),
        lot_id: None,
        date: "2026-03-20T11:00:00+01:00".into(),
        value_cents: 123_450,
        suppliers: vec![org("Propreté Francilienne", "80746931700018")],
        contract: Some(Contract {
            signed_at: "2026-03-25T10:00:00+01:00".into(),
            notified_at: None,
            duration: Some(Duration::Days(90)),
        }),
    })];
    let mut unsuccessful = without_lots();
    unsuccessful.reference = "2026-0075-00022".into();
    unsuccessful.procedure = Procedure::CompetitiveDialogue;
    unsuccessful.status = Status::Unsuccessful;
    unsuccessful.decided_at = Some("2026-03-30T11:00:00+02:00".into());
    let mut draft = without_lots();
    draft.reference = "2026-0075-00023".into();
    draft.status = Status::Draft;
    let (path, json) = package("without-lots", &[closed, awarded, unsuccessful, draft]);
    let report = assert_cove_clean(&path);
    assert_schema_valid(&path);
    assert_eq!(report["unique_ocids_count"], 3, "the draft is not exported");
    assert_eq!(tags(&json), ["tender", "tender", "award", "contract", "tender", "tenderUpdate"]);
    let r = releases(&json);
    assert_eq!(r[0]["tender"]["status"], "active");
    assert_eq!(r[0]["tender"]["numberOfTenderers"], 3);
    assert!(r[0]["tender"].get("lots").is_none() && r[0]["tender"].get("description").is_none());
    assert_eq!(r[2]["tender"]["procurementMethod"], "limited");
    assert_eq!(r[2]["tender"]["mainProcurementCategory"], "goods");
    assert!(r[2]["awards"][0].get("relatedLots").is_none());
    let period = &r[3]["contracts"][0]["period"];
    assert_eq!(period["durationInDays"], 90);
    assert_eq!(period["endDate"], "2026-06-23T09:00:00Z");
    assert_eq!(r[5]["tender"]["status"], "unsuccessful");
    assert_eq!(r[5]["tender"]["procurementMethod"], "selective");
}

#[test]
fn special_characters_survive() {
    let title = "Marché \"clé en main\" <lot> & café — 🏗️ été\tnuit\u{7}";
    let mut c = two_lots();
    c.title = title.into();
    c.description = "Ligne 1\nLigne 2 \\ fin </script>".into();
    c.lots[1].title = "Éclairage « public » 💡".into();
    c.buyer.name = "Établissement public d'aménagement \"Paris-Saclay\"".into();
    let (path, json) = package("characters", &[c.clone()]);
    assert_cove_clean(&path);
    assert_schema_valid(&path);
    let tender = &releases(&json)[0]["tender"];
    assert_eq!(tender["title"], title);
    assert_eq!(tender["description"], c.description.as_str());
    assert_eq!(tender["lots"][1]["title"], "Éclairage « public » 💡");
    assert_eq!(releases(&json)[0]["parties"][0]["identifier"]["legalName"], c.buyer.name.as_str());
    // UTF-8 as is, not \u escapes (except the control character).
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("🏗️ été\\tnuit\\u0007") && text.contains(r#"\"clé en main\" <lot>"#), "{text}");
}

#[test]
fn amounts_keep_their_cents() {
    let mut c = two_lots();
    c.estimated_value_cents = Some(123_450);
    c.lots[0].estimated_value_cents = Some(1);
    c.lots[1].estimated_value_cents = Some(0);
    let (path, json) = package("amounts", &[c]);
    assert_cove_clean(&path);
    let text = std::fs::read_to_string(&path).unwrap();
    for written in [r#""amount":1234.50,"#, r#""amount":0.01,"#, r#""amount":0.00,"#] {
        assert!(text.contains(written), "{written} in {text}");
    }
    assert_eq!(releases(&json)[0]["tender"]["value"]["amount"].as_f64(), Some(1234.5));
}

#[test]
fn a_large_package_is_streamed_and_valid() {
    let all: Vec<Consultation> = (0..500)
        .map(|i| {
            let mut c = if i % 2 == 0 { two_lots_awarded() } else { without_lots() };
            c.reference = format!("2026-0075-{i:05}");
            c
        })
        .collect();
    // The iterator is consumed as the package is written: owned items are fine.
    let mut bytes = Vec::new();
    write_release_package(&mut bytes, &info(), all.iter().cloned()).unwrap();
    let path = scratch("large").join("paquet.json");
    std::fs::write(&path, &bytes).unwrap();
    let report = assert_cove_clean(&path);
    assert_eq!(report["count"], 250 * 3 + 250);
    assert_eq!(report["unique_ocids_count"], 500);
}

/// Spoils a good consultation in one way.
type Spoil = fn(&mut Consultation);

fn refused(info: &PackageInfo, c: Consultation) -> (String, String) {
    let mut out = Vec::new();
    match write_release_package(&mut out, info, [c]) {
        Err(OcdsError::Invalid { context, field, message }) => (format!("{context} / {field}"), message),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn bad_input_is_refused_precisely() {
    let mut no_prefix = info();
    no_prefix.ocid_prefix = String::new();
    let mut out = Vec::new();
    let err = write_release_package(&mut out, &no_prefix, [two_lots()]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "paquet : champ `préfixe OCID` : vide (attendu `ocds-` suivi du code attribué, ex. ocds-213czf)"
    );
    assert!(out.is_empty(), "nothing is written when the package itself is refused");

    let mut bad_prefix = info();
    bad_prefix.ocid_prefix = "OCDS 213czf".into();
    assert_eq!(refused(&bad_prefix, two_lots()).0, "paquet / préfixe OCID");

    let mut negative = two_lots();
    negative.lots[1].estimated_value_cents = Some(-1);
    let (where_, message) = refused(&info(), negative);
    assert_eq!(where_, "consultation 2026-0075-00012 / lots[1].valeur estimée");
    assert_eq!(message, "montant négatif (-1 centimes)");

    let mut negative_award = two_lots_awarded();
    if let LotOutcome::Awarded(a) = &mut negative_award.outcomes[0] {
        a.value_cents = -28_750_099;
    }
    assert_eq!(refused(&info(), negative_award).0, "consultation 2026-0075-00012 / attributions[0].montant");

    let cases: [(&str, Spoil); 10] = [
        ("consultation / référence", |c| c.reference = "2026/12".into()),
        ("consultation 2026-0075-00012 / titre", |c| c.title = "  ".into()),
        ("consultation 2026-0075-00012 / acheteur.siret", |c| c.buyer.siret = "219 300 480 00015".into()),
        ("consultation 2026-0075-00012 / cpv principal", |c| c.cpv_main.code = "4523314".into()),
        ("consultation 2026-0075-00012 / date limite de remise des offres", |c| {
            c.tender_deadline = "2026-04-02 12:00".into()
        }),
        ("consultation 2026-0075-00012 / date limite de remise des offres", |c| {
            c.tender_deadline = "2026-03-01T12:00:00+01:00".into()
        }),
        ("consultation 2026-0075-00012 / documents[1].url", |c| c.documents[1].url = "/dce".into()),
        ("consultation 2026-0075-00012 / lots[1].id", |c| c.lots[1].id = "1".into()),
        ("consultation 2026-0075-00012 / date de décision", |c| c.status = Status::Cancelled),
        ("consultation 2026-0075-00012 / attributions", |c| {
            c.status = Status::Awarded;
            c.decided_at = Some("2026-05-04T10:00:00+02:00".into());
        }),
    ];
    for (expected, spoil) in cases {
        let mut c = two_lots();
        spoil(&mut c);
        assert_eq!(refused(&info(), c).0, expected);
    }

    let awarded_cases: [(&str, Spoil); 4] = [
        ("consultation 2026-0075-00012 / attributions[1].lot", |c| {
            c.outcomes[1] = LotOutcome::Unsuccessful { lot_id: Some("3".into()) }
        }),
        ("consultation 2026-0075-00012 / attributions[1].lot", |c| {
            c.outcomes[1] = LotOutcome::Unsuccessful { lot_id: Some("1".into()) }
        }),
        ("consultation 2026-0075-00012 / attributions[0].titulaires", |c| {
            if let LotOutcome::Awarded(a) = &mut c.outcomes[0] {
                a.suppliers.clear();
            }
        }),
        ("consultation 2026-0075-00012 / attributions[0].marché.durée", |c| {
            if let LotOutcome::Awarded(a) = &mut c.outcomes[0] {
                a.contract.as_mut().unwrap().duration = Some(Duration::Months(0));
            }
        }),
    ];
    for (expected, spoil) in awarded_cases {
        let mut c = two_lots_awarded();
        spoil(&mut c);
        assert_eq!(refused(&info(), c).0, expected);
    }

    let mut draft = two_lots();
    draft.status = Status::Draft;
    assert!(matches!(write_release_package(Vec::new(), &info(), [draft]), Err(OcdsError::Empty)));
    assert!(matches!(write_release_package(Vec::new(), &info(), Vec::<Consultation>::new()), Err(OcdsError::Empty)));
}
