//! Unit tests of the writer's own logic; validity against the schema is checked by the
//! integration tests with libcoveocds and check-jsonschema.

use super::*;

pub(crate) fn info() -> PackageInfo {
    PackageInfo {
        ocid_prefix: "ocds-halle".into(),
        uri: "https://halle.example/ocds/paquet.json".into(),
        published_at: "2026-06-01T08:00:00+02:00".into(),
        publisher_name: "Halle".into(),
        publication_policy_url: "https://halle.example/ocds/politique".into(),
        license_url: LICENCE_OUVERTE_2_0.into(),
    }
}

fn consultation() -> Consultation {
    Consultation {
        reference: "2026-0075-00012".into(),
        title: "Entretien des espaces verts".into(),
        description: String::new(),
        buyer: Organisation { name: "Ville de Montreuil".into(), siret: "21930048000015".into() },
        nature: Nature::Services,
        procedure: Procedure::Adapted,
        status: Status::Published,
        estimated_value_cents: Some(12_345_605),
        cpv_main: Cpv { code: "77310000-6".into(), label: None },
        cpv_additional: vec![],
        lots: vec![],
        published_at: "2026-03-02T12:00:00+01:00".into(),
        tender_deadline: "2026-04-02T12:00:00+02:00".into(),
        questions_deadline: None,
        place: None,
        documents: vec![],
        tenders_received: None,
        decided_at: None,
        outcomes: vec![],
    }
}

fn write(consultations: &[Consultation]) -> Result<String, OcdsError> {
    let mut out = Vec::new();
    write_release_package(&mut out, &info(), consultations)?;
    Ok(String::from_utf8(out).unwrap())
}

#[test]
fn amounts_have_two_decimals() {
    let json = write(&[consultation()]).unwrap();
    assert!(json.contains(r#""value":{"amount":123456.05,"currency":"EUR"}"#), "{json}");
    let mut round = consultation();
    round.estimated_value_cents = Some(MAX_CENTS);
    assert!(write(&[round]).unwrap().contains(r#""amount":90071992547409.91"#));
}

#[test]
fn drafts_are_skipped_and_an_empty_package_refused() {
    let mut draft = consultation();
    draft.status = Status::Draft;
    draft.title = String::new();
    assert!(matches!(write(&[draft.clone()]), Err(OcdsError::Empty)));
    let json = write(&[draft, consultation()]).unwrap();
    assert_eq!(json.matches(r#""tag":["#).count(), 1);
}

#[test]
fn ids_and_codes() {
    let json = write(&[consultation()]).unwrap();
    for expected in [
        r#""ocid":"ocds-halle-2026-0075-00012""#,
        r#""id":"ocds-halle-2026-0075-00012-tender-20260302T110000Z""#,
        r#""procurementMethod":"open","procurementMethodDetails":"Procédure adaptée""#,
        r#""mainProcurementCategory":"services""#,
        r#""identifier":{"scheme":"FR-RCS","id":"21930048000015","legalName":"Ville de Montreuil"}"#,
        r#""classification":{"scheme":"CPV","id":"77310000"}"#,
    ] {
        assert!(json.contains(expected), "{expected} in {json}");
    }
    let no_description = r#""title":"Entretien des espaces verts","status":"active""#;
    assert!(json.contains(no_description), "an empty description is left out: {json}");
}

#[test]
fn duplicate_references_are_refused() {
    let err = write(&[consultation(), consultation()]).unwrap_err();
    assert!(err.to_string().contains("2026-0075-00012"), "{err}");
}

#[test]
fn write_errors_are_io_errors() {
    struct Broken;
    impl Write for Broken {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::other("disque plein"))
        }
        fn flush(&mut self) -> io::Result<()> {
            Err(io::Error::other("disque plein"))
        }
    }
    let err = write_release_package(Broken, &info(), [consultation()]).unwrap_err();
    assert!(matches!(err, OcdsError::Io(_)), "{err:?}");
}
