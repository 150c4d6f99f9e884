//! DECP: the official v2 examples (JSON and XML) read, written back in both formats, checked
//! by `check-jsonschema` (2.0.3) and `xmllint` (XSD 2.0.2) and re-read unchanged; the real v1
//! files mapped to v2 with their rejections counted per rule; the Mégalis v2 file; garbage.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use formats::decp::{
    Contrat, DecpError, Layout, ReadSummary, Record, Rule, read_decp_json, read_decp_xml, write_decp_json,
    write_decp_xml,
};
use serde_json::Value;

use super::support::{check_jsonschema, repo_root, xmllint};

fn data(path: &str) -> PathBuf {
    repo_root().join("data/decp").join(path)
}

fn schema() -> PathBuf {
    data("schemas/v2/schema_decp_v2.0.3.json")
}

fn xsd() -> PathBuf {
    data("schemas/v2/schema_decp_v2.0.2.xsd")
}

fn files(dir: &str, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(data(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no {ext} in {dir}");
    out
}

fn tmp(name: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("decp-{}-{name}", std::process::id()))
}

fn read_json_file(path: &Path) -> (Vec<Record>, ReadSummary) {
    let mut records = Vec::new();
    let summary = read_decp_json(File::open(path).unwrap(), |r| records.push(r)).unwrap();
    (records, summary)
}

fn read_json_bytes(bytes: &[u8]) -> Result<(Vec<Record>, ReadSummary), DecpError> {
    let mut records = Vec::new();
    let summary = read_decp_json(bytes, |r| records.push(r))?;
    Ok((records, summary))
}

fn read_xml_bytes(bytes: &[u8]) -> Result<(Vec<Record>, ReadSummary), DecpError> {
    let mut records = Vec::new();
    let summary = read_decp_xml(bytes, |r| records.push(r))?;
    Ok((records, summary))
}

fn accepted(records: Vec<Record>) -> Vec<Contrat> {
    records.into_iter().map(|r| r.outcome.unwrap_or_else(|rejection| panic!("{rejection}"))).collect()
}

/// Writes `contrats` as v2 JSON and XML, checks both with the official schemas, and returns
/// what reading them back gives.
fn export_and_validate(name: &str, contrats: &[Contrat]) -> (Vec<Contrat>, Vec<Contrat>) {
    let json_path = tmp(&format!("{name}.json"));
    write_decp_json(contrats, File::create(&json_path).unwrap()).unwrap();
    let verdict = check_jsonschema(&schema(), &json_path);
    assert!(verdict.ok, "{name}: JSON export invalid against 2.0.3:\n{}", verdict.output);
    let xml_path = tmp(&format!("{name}.xml"));
    write_decp_xml(contrats, File::create(&xml_path).unwrap()).unwrap();
    let verdict = xmllint(&xsd(), &xml_path);
    assert!(verdict.ok, "{name}: XML export invalid against the 2.0.2 XSD:\n{}", verdict.output);
    let (from_json, summary) = read_json_file(&json_path);
    assert_eq!(summary.layout, Layout::V2);
    let mut xml_records = Vec::new();
    read_decp_xml(File::open(&xml_path).unwrap(), |r| xml_records.push(r)).unwrap();
    let _ = std::fs::remove_file(json_path);
    let _ = std::fs::remove_file(xml_path);
    (accepted(from_json), accepted(xml_records))
}

/// Numbers compared as numbers (`0` and `0.0` are the same value).
fn normalise(v: &Value) -> Value {
    match v {
        Value::Number(n) => serde_json::json!(n.as_f64()),
        Value::Array(items) => Value::Array(items.iter().map(normalise).collect()),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), normalise(v))).collect()),
        other => other.clone(),
    }
}

#[test]
fn official_v2_json_examples_round_trip_and_validate() {
    let mut kinds = (0, 0);
    for path in files("examples-official/v2/json", "json") {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let original: Value = serde_json::from_reader(File::open(&path).unwrap()).unwrap();
        let mut raw: Vec<&Value> = Vec::new();
        for list in ["marche", "contrat-concession"] {
            raw.extend(original["marches"][list].as_array().into_iter().flatten());
        }
        let (records, summary) = read_json_file(&path);
        assert_eq!((summary.layout, summary.records, summary.rejected), (Layout::V2, raw.len() as u64, 0), "{name}");
        let contrats = accepted(records);
        for c in &contrats {
            match c {
                Contrat::Marche(_) => kinds.0 += 1,
                Contrat::Concession(_) => kinds.1 += 1,
            }
        }
        // Every property of the input is kept, with its value: the serialised model equals
        // the input record.
        let mut expected: Vec<Value> = raw.iter().map(|v| normalise(v)).collect();
        let mut got: Vec<Value> = contrats.iter().map(|c| normalise(&serde_json::to_value(c).unwrap())).collect();
        let key = |v: &Value| v.to_string();
        expected.sort_by_key(key);
        got.sort_by_key(key);
        assert_eq!(got, expected, "{name}");
        let (from_json, from_xml) = export_and_validate(&name, &contrats);
        // The writer puts marchés before concessions; compare as sets in that order.
        let mut sorted = contrats.clone();
        sorted.sort_by_key(|c| matches!(c, Contrat::Concession(_)));
        assert_eq!(from_json, sorted, "{name}: JSON round trip");
        assert_eq!(from_xml, contrats, "{name}: XML round trip");
    }
    assert_eq!(kinds, (4, 6), "marchés and concessions in the official JSON examples");
}

#[test]
fn official_v2_xml_examples_round_trip_and_validate() {
    let mut total = 0;
    for path in files("examples-official/v2/xml", "xml") {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let expected = text.matches("<marche>").count() + text.matches("<contrat-concession>").count();
        let (records, summary) = read_xml_bytes(text.as_bytes()).unwrap();
        assert_eq!((summary.records, summary.rejected), (expected as u64, 0), "{name}");
        let contrats = accepted(records);
        total += contrats.len();
        let (from_json, from_xml) = export_and_validate(&name, &contrats);
        let mut sorted = contrats.clone();
        sorted.sort_by_key(|c| matches!(c, Contrat::Concession(_)));
        assert_eq!(from_json, sorted, "{name}: JSON round trip");
        assert_eq!(from_xml, contrats, "{name}: XML round trip");
    }
    assert_eq!(total, 6);
    // Spot checks of what XML writes differently: booleans as `oui`, the
    // `modificationActesSousTraitance` spelling, tarifs nested in tarifs.
    let (records, _) = read_xml_bytes(&std::fs::read(data("examples-official/v2/xml/Marche.xml")).unwrap()).unwrap();
    let Ok(Contrat::Marche(m)) = &records[0].outcome else { panic!("{:?}", records[0]) };
    assert!(m.marche_innovant && m.attribution_avance && m.sous_traitance_declaree);
    assert_eq!(m.actes_sous_traitance[0].montant, 123456.89);
    assert_eq!(m.considerations_sociales.len(), 2);
    let (records, _) =
        read_xml_bytes(&std::fs::read(data("examples-official/v2/xml/Contrat-concession.xml")).unwrap()).unwrap();
    let Ok(Contrat::Concession(c)) = &records[0].outcome else { panic!("{:?}", records[0]) };
    assert_eq!(c.donnees_execution[0].tarifs[0].tarif, 14.29);
    assert_eq!(c.concessionnaires.len(), 2);
}

/// Per file: records, accepted, and rejections per rule.
fn v1_counts(path: &Path) -> (u64, Vec<Contrat>, BTreeMap<Rule, u64>, BTreeMap<String, u64>) {
    let (records, summary) = read_json_file(path);
    assert_eq!(summary.layout, Layout::V1);
    let raw: Value = serde_json::from_reader(File::open(path).unwrap()).unwrap();
    let n = raw["marches"].as_array().unwrap().len() as u64;
    assert_eq!(summary.records, n, "{}", path.display());
    assert_eq!(records.len() as u64, n);
    let mut ok = Vec::new();
    let mut rules = BTreeMap::new();
    let mut fields = BTreeMap::new();
    for (i, r) in records.into_iter().enumerate() {
        assert_eq!(r.index, i as u64);
        match r.outcome {
            Ok(c) => ok.push(c),
            Err(rejection) => {
                assert_eq!(rejection.index, r.index);
                assert!(!rejection.reason.is_empty());
                *rules.entry(rejection.rule).or_insert(0) += 1;
                let field: String = rejection.field.chars().filter(|c| !c.is_ascii_digit()).collect();
                *fields.entry(format!("{} / {field}", rejection.rule.label())).or_insert(0) += 1;
            }
        }
    }
    assert_eq!(summary.accepted, ok.len() as u64);
    assert_eq!(summary.accepted + summary.rejected, n);
    (n, ok, rules, fields)
}

#[test]
fn real_v1_files_map_to_valid_v2_with_counted_rejections() {
    use Rule::*;
    // (file, records, accepted, rejections per rule)
    type Expected = (&'static str, u64, u64, &'static [(Rule, u64)]);
    let expected: [Expected; 5] = [
        // AIFE: most records lack dateNotification (2,499) or datePublicationDonnees (1,616).
        ("data.gouv.fr_aife.json", 4530, 359, &[(ChampAbsent, 4168), (FormatInvalide, 3)]),
        // PES: two montants of 0.
        ("data.gouv.fr_pes.json", 1148, 1146, &[(HorsLimites, 2)]),
        ("e-marchespublics.json", 470, 470, &[]),
        // marches-publics.info: 53 montants of 0, two dates in year 0210…
        ("marches-publics.info.json", 4509, 4448, &[(TypeInvalide, 1), (FormatInvalide, 4), (HorsLimites, 56)]),
        // Croix: 33 empty ids, 14 empty CPV codes, 8 montants of 0, 3 records without titulaire;
        // its 69 empty typeIdentifiant are all valid SIRETs (inferred).
        (
            "marches-securises_croix_21590163800019_2019-2021.json",
            159,
            100,
            &[(ChampAbsent, 48), (HorsLimites, 8), (ListeVide, 3)],
        ),
    ];
    let mut all_ok = Vec::new();
    let mut sample = Vec::new();
    let mut report = String::new();
    for (file, records, accepted, rules) in expected {
        let (n, ok, got_rules, fields) = v1_counts(&data(&format!("real/v1.x/{file}")));
        report.push_str(&format!("{file}: {n} records, {} accepted, {got_rules:?}\n  {fields:?}\n", ok.len()));
        assert_eq!((n, ok.len() as u64), (records, accepted), "{file}");
        let rules: BTreeMap<Rule, u64> = rules.iter().copied().collect();
        assert_eq!(got_rules, rules, "{file}: {fields:?}");
        assert_eq!(accepted + rules.values().sum::<u64>(), records, "{file}");
        sample.extend(ok.iter().take(80).cloned());
        sample.extend(ok.iter().skip(80).filter(|c| matches!(c, Contrat::Concession(_))).cloned());
        all_ok.extend(ok);
    }
    println!("{report}");
    let concessions = all_ok.iter().filter(|c| matches!(c, Contrat::Concession(_))).count();
    assert_eq!((all_ok.len(), concessions), (6523, 8), "accepted records, concessions among them");
    // Every accepted v1 record exports as valid v2 JSON and reads back unchanged.
    let json_path = tmp("v1-all.json");
    write_decp_json(&all_ok, File::create(&json_path).unwrap()).unwrap();
    let verdict = check_jsonschema(&schema(), &json_path);
    assert!(verdict.ok, "v1 export invalid against 2.0.3:\n{}", verdict.output);
    let (from_json, summary) = read_json_file(&json_path);
    let _ = std::fs::remove_file(json_path);
    assert_eq!(summary.rejected, 0);
    let mut sorted = all_ok.clone();
    sorted.sort_by_key(|c| matches!(c, Contrat::Concession(_)));
    assert_eq!(accepted(from_json), sorted);
    // A sample from every file, in both formats (the XML reader holds the document in memory).
    let (from_json, from_xml) = export_and_validate("v1-sample", &sample);
    let mut sorted = sample.clone();
    sorted.sort_by_key(|c| matches!(c, Contrat::Concession(_)));
    assert_eq!(from_json, sorted);
    assert_eq!(from_xml, sample);
}

#[test]
fn v1_mapping_details_and_reasons() {
    // The Croix file: numbers as strings, `"nom "`, empty typeIdentifiant, "Code Postal".
    let (records, _) = read_json_file(&data("real/v1.x/marches-securises_croix_21590163800019_2019-2021.json"));
    let Ok(Contrat::Marche(m)) = &records[0].outcome else { panic!("{:?}", records[0]) };
    assert_eq!((m.id.as_str(), m.montant, m.duree_mois), ("202117F000000000", 30000.0, 36));
    assert_eq!(m.titulaires[0].type_identifiant, formats::decp::TypeIdentifiant::Siret);
    assert_eq!(m.lieu_execution.type_code, formats::decp::TypeCodeLieu::CodePostal);
    assert_eq!(m.techniques, [formats::decp::Technique::AccordCadre]);
    assert_eq!(m.dedup_key().id, "202117F000000000");
    // PES: dates with a time zone, CPV with check digit.
    let (records, _) = read_json_file(&data("real/v1.x/data.gouv.fr_pes.json"));
    let Ok(Contrat::Marche(m)) = &records[0].outcome else { panic!("{:?}", records[0]) };
    assert_eq!((m.date_notification.as_str(), m.code_cpv.as_str()), ("2018-12-17", "50700000"));
    // Reasons are French sentences naming the field.
    let (records, _) = read_json_file(&data("real/v1.x/data.gouv.fr_aife.json"));
    let rejection = records.iter().find_map(|r| r.outcome.as_ref().err()).unwrap();
    assert_eq!(rejection.reason, "dateNotification : champ obligatoire absent");
    assert_eq!(rejection.id.as_deref(), Some("2018COs68fWklM00"));
    assert_eq!(
        rejection.to_string(),
        "enregistrement n° 1 (id « 2018COs68fWklM00 ») rejeté : dateNotification : champ obligatoire absent"
    );
    // A titulaire without type whose id is not a SIRET rejects the record, naming it.
    let doc = r#"{"marches": [{"_type": "Marché", "id": "1", "titulaires": [{"id": "123", "typeIdentifiant": ""}]}]}"#;
    let (records, _) = read_json_bytes(doc.as_bytes()).unwrap();
    let rejection = records[0].outcome.as_ref().unwrap_err();
    assert_eq!(rejection.rule, Rule::TitulaireNonIdentifie);
    assert_eq!(
        rejection.reason,
        "titulaires[0] : type d'identifiant absent et identifiant « 123 » qui n'est pas un SIRET valide"
    );
    // An unknown `_type`, a record that is not an object.
    let doc = r#"{"marches": [{"_type": "Avenant"}, 42]}"#;
    let (records, summary) = read_json_bytes(doc.as_bytes()).unwrap();
    assert_eq!((summary.records, summary.rejected), (2, 2));
    assert!(records.iter().all(|r| r.outcome.as_ref().is_err_and(|e| e.rule == Rule::Structure)));
}

#[test]
fn megalis_v2_records_breaking_the_schema_are_rejected() {
    let path = data("real/v2/megalis-bretagne_decp-59920013600241-2024-07-09-01.json");
    let (records, summary) = read_json_file(&path);
    assert_eq!((summary.layout, summary.records, summary.accepted), (Layout::V2, 5, 0));
    for r in &records {
        let e = r.outcome.as_ref().unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.rule),
            ("actesSousTraitance[0].acteSousTraitance.dureeMois", Rule::ChampAbsent)
        );
        assert_eq!(e.reason, "actesSousTraitance[0].acteSousTraitance.dureeMois : champ obligatoire absent");
        assert!(e.id.as_deref().is_some_and(|id| id.starts_with("H9O2024T")));
    }
    // Without the incomplete actes, the rest of each record is accepted: the extra `_type` and
    // the empty `modifications` lists are tolerated (nothing is lost), and the export is valid.
    let mut doc: Value = serde_json::from_reader(File::open(&path).unwrap()).unwrap();
    for m in doc["marches"]["marche"].as_array_mut().unwrap() {
        m.as_object_mut().unwrap().remove("actesSousTraitance");
    }
    let (records, summary) = read_json_bytes(doc.to_string().as_bytes()).unwrap();
    assert_eq!(summary.accepted, 5);
    let contrats = accepted(records);
    let (from_json, from_xml) = export_and_validate("megalis", &contrats);
    assert_eq!((from_json, from_xml), (contrats.clone(), contrats));
}

/// The first official marché, as a JSON value to break.
fn sample_marche() -> Value {
    let doc: Value =
        serde_json::from_reader(File::open(data("examples-official/v2/json/marches_concessions.json")).unwrap())
            .unwrap();
    doc["marches"]["marche"][0].clone()
}

#[test]
fn each_broken_constraint_is_named() {
    use Rule::*;
    type Edit = fn(&mut Value);
    let cases: Vec<(Edit, &str, Rule, &str)> = vec![
        (
            |m| drop(m.as_object_mut().unwrap().remove("dateNotification")),
            "dateNotification",
            ChampAbsent,
            "champ obligatoire absent",
        ),
        (
            |m| m["nature"] = "Marché public".into(),
            "nature",
            ValeurInconnue,
            "valeur « Marché public » inconnue (valeurs admises : « Marché », « Marché de partenariat », « Marché de défense ou de sécurité »)",
        ),
        (
            |m| m["acheteur"]["id"] = "2175000163006".into(),
            "acheteur.id",
            FormatInvalide,
            "« 2175000163006 » n'est pas un SIRET (14 chiffres)",
        ),
        (|m| m["montant"] = "575000".into(), "montant", TypeInvalide, "nombre attendu, trouvé la chaîne « 575000 »"),
        (|m| m["montant"] = 0.into(), "montant", HorsLimites, "0 est inférieur au minimum 1"),
        (|m| m["tauxAvance"] = 1.5.into(), "tauxAvance", HorsLimites, "1.5 est supérieur au maximum 1"),
        (|m| m["offresRecues"] = 0.into(), "offresRecues", HorsLimites, "0 n'est pas admis (au moins 1)"),
        (
            |m| m["titulaires"] = serde_json::json!([]),
            "titulaires",
            ListeVide,
            "la liste doit contenir au moins un élément",
        ),
        (|m| m["autre"] = 1.into(), "autre", ProprieteInconnue, "propriété « autre » inconnue du format DECP v2"),
        (
            |m| m["codeCPV"] = "4500".into(),
            "codeCPV",
            FormatInvalide,
            "« 4500 » n'est pas un code CPV (8 chiffres, éventuellement suivis de « -N »)",
        ),
        (
            |m| m["dateNotification"] = "2024-02-30".into(),
            "dateNotification",
            FormatInvalide,
            "« 2024-02-30 » n'est pas une date valide au format AAAA-MM-JJ",
        ),
        (
            |m| m["id"] = "12345678901234567".into(),
            "id",
            HorsLimites,
            "« 12345678901234567 » : 17 caractères, de 1 à 16 admis",
        ),
        (
            |m| m["techniques"]["technique"][1] = "Enchère".into(),
            "techniques.technique[1]",
            ValeurInconnue,
            "valeur « Enchère » inconnue (valeurs admises : « Accord-cadre », « Concours », « Système de qualification », « Système d'acquisition dynamique », « Catalogue électronique », « Enchère électronique », « Sans objet »)",
        ),
        (
            |m| m["titulaires"][0]["titulaire"]["typeIdentifiant"] = "SIREN".into(),
            "titulaires[0].titulaire.typeIdentifiant",
            ValeurInconnue,
            "valeur « SIREN » inconnue (valeurs admises : « SIRET », « TVA », « TAHITI », « RIDET », « FRWF », « IREP », « HORS-UE »)",
        ),
        (
            |m| m["marcheInnovant"] = "oui".into(),
            "marcheInnovant",
            TypeInvalide,
            "booléen (true ou false) attendu, trouvé la chaîne « oui »",
        ),
        (
            |m| m["dureeMois"] = 12.5.into(),
            "dureeMois",
            TypeInvalide,
            "nombre entier positif attendu, trouvé le nombre 12.5",
        ),
        (
            |m| m["modifications"][0]["modification"]["id"] = Value::Null,
            "modifications[0].modification.id",
            ChampAbsent,
            "champ obligatoire absent",
        ),
        (
            |m| m["lieuExecution"] = "75000".into(),
            "lieuExecution",
            TypeInvalide,
            "objet attendu, trouvé la chaîne « 75000 »",
        ),
        (|m| m["objet"] = "x".repeat(1001).into(), "objet", HorsLimites, "1001 caractères, au plus 1000 admis"),
    ];
    let base = sample_marche();
    assert!(formats::decp::parse_marche(&base).is_ok());
    for (edit, field, rule, message) in cases {
        let mut m = base.clone();
        edit(&mut m);
        let doc = serde_json::json!({"marches": {"marche": [base.clone(), m, base.clone()]}});
        let (records, summary) = read_json_bytes(doc.to_string().as_bytes()).unwrap();
        assert_eq!((summary.records, summary.accepted), (3, 2), "{field}");
        let e = records[1].outcome.as_ref().unwrap_err();
        assert_eq!((e.index, e.id.as_deref()), (1, m["id"].as_str()));
        assert_eq!((e.field.as_str(), e.rule, e.reason.clone()), (field, rule, format!("{field} : {message}")));
    }
}

#[test]
fn garbage_ends_with_an_error_not_a_panic() {
    let good = std::fs::read_to_string(data("examples-official/v2/json/marches_concessions.json")).unwrap();
    // Truncated: the records before the cut are handed over, then the error names the line.
    let cut = &good[..good.find("\"TEST2022Bis\"").unwrap()];
    let mut seen = 0;
    let err = read_decp_json(cut.as_bytes(), |_| seen += 1).unwrap_err();
    assert_eq!(seen, 3, "two concessions and a marché before the cut");
    assert!(matches!(err, DecpError::Json { .. }), "{err}");
    assert_eq!(err.line(), Some(cut.lines().count() as u64), "{err}");
    for (doc, line) in
        [("bonjour", 1), ("{\"marches\": {\"marche\": [\n{\"id\": 1,}]}}", 2), ("", 1), ("{\"marches\": []} x", 1)]
    {
        let err = read_json_bytes(doc.as_bytes()).unwrap_err();
        assert!(matches!(err, DecpError::Json { .. }), "{doc}: {err}");
        assert_eq!(err.line(), Some(line), "{doc}: {err}");
        assert!(err.to_string().contains("JSON invalide"), "{err}");
    }
    // Well-formed but not DECP.
    for doc in ["[1, 2]", "{\"autre\": 1}", "{\"marches\": 5}", "{\"marches\": \"x\"}", "42", "null"] {
        let err = read_json_bytes(doc.as_bytes()).unwrap_err();
        assert!(matches!(err, DecpError::Layout(_)), "{doc}: {err}");
    }
    // Records of the wrong shape are rejected one by one; reading goes on.
    let doc = r#"{"marches": {"marche": [1, "x", {"id": 5}, null, [], {"id": "A", "acheteur": 3}],
        "contrat-concession": {"id": "C"}, "autre": [1]}}"#;
    let (records, summary) = read_json_bytes(doc.as_bytes()).unwrap();
    assert_eq!((summary.records, summary.rejected), (7, 7));
    let rules: Vec<Rule> = records.iter().map(|r| r.outcome.as_ref().unwrap_err().rule).collect();
    use Rule::*;
    assert_eq!(rules, [Structure, Structure, TypeInvalide, Structure, Structure, TypeInvalide, ChampAbsent]);
    let last = records[6].outcome.as_ref().unwrap_err();
    assert_eq!(
        (last.id.as_deref(), last.reason.as_str()),
        (Some("C"), "autoriteConcedante : champ obligatoire absent")
    );
    // XML: not well-formed, truncated, wrong root, unknown children, wrong values.
    for doc in
        ["<marches><marche><id>1</id></marches>", "<marches>\n<marche>", "pas du XML", "<marches>&nope;</marches>"]
    {
        let err = read_xml_bytes(doc.as_bytes()).unwrap_err();
        assert!(matches!(err, DecpError::Xml(_)), "{doc}: {err}");
    }
    assert!(matches!(read_xml_bytes(b"<autre/>"), Err(DecpError::Layout(_))));
    assert!(matches!(read_xml_bytes(b""), Err(DecpError::Layout(_))));
    let doc = "<marches>\n<marche><id>1</id><marcheInnovant>peut-être</marcheInnovant></marche>\n<autre/>\n</marches>";
    let (records, summary) = read_xml_bytes(doc.as_bytes()).unwrap();
    assert_eq!((summary.records, summary.rejected), (2, 2));
    assert_eq!(records[0].outcome.as_ref().unwrap_err().reason, "acheteur : champ obligatoire absent");
    assert_eq!(records[1].outcome.as_ref().unwrap_err().rule, Rule::Structure);
    let xml = std::fs::read_to_string(data("examples-official/v2/xml/Marche.xml")).unwrap();
    let broken = xml.replacen("<marcheInnovant>oui</marcheInnovant>", "<marcheInnovant>peut-être</marcheInnovant>", 1);
    let (records, _) = read_xml_bytes(broken.as_bytes()).unwrap();
    let e = records[0].outcome.as_ref().unwrap_err();
    assert_eq!(e.reason, "marcheInnovant : booléen (true ou false) attendu, trouvé la chaîne « peut-être »");
    assert!(records[1].outcome.is_ok());
}

/// A file of `n` copies of one record between `head` and `tail`, produced on the fly,
/// counting the bytes handed out so far.
struct Generated {
    head: &'static [u8],
    sep: &'static [u8],
    tail: &'static [u8],
    record: Vec<u8>,
    n: u64,
    emitted: u64,
    pending: Vec<u8>,
    served: std::rc::Rc<std::cell::Cell<u64>>,
}

impl Read for Generated {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.pending.is_empty() {
            if self.emitted == 0 {
                self.pending.extend_from_slice(self.head);
            }
            if self.emitted < self.n {
                if self.emitted > 0 {
                    self.pending.extend_from_slice(self.sep);
                }
                self.pending.extend_from_slice(&self.record);
                self.emitted += 1;
                if self.emitted == self.n {
                    self.pending.extend_from_slice(self.tail);
                }
            }
        }
        let k = out.len().min(self.pending.len());
        out[..k].copy_from_slice(&self.pending[..k]);
        self.pending.drain(..k);
        self.served.set(self.served.get() + k as u64);
        Ok(k)
    }
}

#[test]
fn the_json_reader_streams() {
    let record = std::fs::read_to_string(data("real/v1.x/e-marchespublics.json")).unwrap();
    let doc: Value = serde_json::from_str(&record).unwrap();
    let record = doc["marches"][0].to_string().into_bytes();
    let served = std::rc::Rc::new(std::cell::Cell::new(0));
    let n = 200_000u64;
    let input = Generated {
        head: b"{\"marches\": [",
        sep: b",",
        tail: b"]}",
        record: record.clone(),
        n,
        emitted: 0,
        pending: Vec::new(),
        served: served.clone(),
    };
    let mut max_ahead = 0u64;
    let mut count = 0u64;
    let summary = read_decp_json(input, |r| {
        assert!(r.outcome.is_ok());
        count += 1;
        // Bytes read beyond the records handed over: bounded by the read buffer, not the file.
        let consumed = count * (record.len() as u64 + 1);
        max_ahead = max_ahead.max(served.get().saturating_sub(consumed));
    })
    .unwrap();
    assert_eq!((summary.records, summary.accepted, count), (n, n, n));
    assert!(served.get() > 100_000_000, "{} bytes", served.get());
    assert!(max_ahead <= 70_000, "read {max_ahead} bytes ahead of the records handed over");
}

#[test]
fn the_xml_reader_streams() {
    let xml = std::fs::read_to_string(data("examples-official/v2/xml/Marche.xml")).unwrap();
    let start = xml.find("<marche>").unwrap();
    let end = xml.find("</marche>").unwrap() + "</marche>".len();
    let record = xml.as_bytes()[start..end].to_vec();
    let served = std::rc::Rc::new(std::cell::Cell::new(0));
    let n = 20_000u64;
    let input = Generated {
        head: b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<marches>\n",
        sep: b"\n",
        tail: b"\n</marches>\n",
        record: record.clone(),
        n,
        emitted: 0,
        pending: Vec::new(),
        served: served.clone(),
    };
    let mut max_ahead = 0u64;
    let mut count = 0u64;
    let summary = read_decp_xml(input, |r| {
        assert!(r.outcome.is_ok(), "{r:?}");
        count += 1;
        let consumed = count * (record.len() as u64 + 1);
        max_ahead = max_ahead.max(served.get().saturating_sub(consumed));
    })
    .unwrap();
    assert_eq!((summary.records, summary.accepted, count), (n, n, n));
    assert!(max_ahead <= 70_000, "read {max_ahead} bytes ahead of the records handed over");
}
