//! `halle import`'s service: BOAMP notices with their amendments, the same tender from TED,
//! the SIAE directory; then the public list, page and API of notices published elsewhere.

use std::path::{Path, PathBuf};

use app::ImportKind;
use serde_json::json;

use crate::support::{ANON, Env, for_each_backend, visible};

const HEADER: &str = "id,idweb,objet,famille_libelle,type_marche,nature_categorise_libelle,procedure_libelle,nomacheteur,titulaire,code_departement,code_departement_prestation,dateparution,datelimitereponse,datefindiffusion,type_avis,url_avis";

const CEA: &str = "Commissariat à l'énergie atomique et aux énergies alternatives";
const CEA_TITLE: &str = "Assistance à maîtrise d’œuvre en suivi de réalisation dans le cadre du projet de construction d’un poste de garde et d’un parking sur plusieurs niveaux sur le site CEA de Cadarache pour le compte du CEA DAM";

// One argument per column of the flattened BOAMP export.
#[allow(clippy::too_many_arguments)]
fn row(
    idweb: &str,
    objet: &str,
    nature: &str,
    buyer: &str,
    winners: &str,
    dep: &str,
    day: &str,
    deadline: &str,
) -> String {
    let url = format!("https://www.boamp.fr/pages/avis/?q=idweb:{idweb}");
    format!(
        "{},{idweb},\"{objet}\",MAPA,SERVICES,{nature},Procédure adaptée,\"{buyer}\",{winners},{dep},,{day},{deadline},,,{url}",
        idweb.replace('-', "_")
    )
}

/// Eight BOAMP notices, amendments before what they amend, one outside the region, two bad.
fn boamp_csv() -> String {
    let rows = [
        row("20-1002", CEA_TITLE, "Rectificatif/", CEA, "", "91", "2020-07-10", "2020-09-21T10:00:00+00:00"),
        row("20-1001", CEA_TITLE, "Avis de marché/", CEA, "", "91", "2020-07-01", "2020-09-14T15:00:00+00:00"),
        row(
            "20-1003",
            "Nettoyage des locaux de la mairie",
            "Avis de marché/",
            "Ville de Montreuil",
            "",
            "93",
            "2020-07-02",
            "2020-08-01T10:00:00+00:00",
        ),
        row(
            "20-1004",
            "Nettoyage des locaux de la mairie",
            "Annulation/",
            "Ville de Montreuil",
            "",
            "93",
            "2020-07-20",
            "",
        ),
        row(
            "20-1005",
            "Fourniture de repas en liaison froide, maîtrise d'\u{9c}uvre",
            "Résultat de marché/",
            "Ville de Créteil",
            "SARL Repas | Cuisine Centrale",
            "94",
            "2020-07-03",
            "",
        ),
        row(
            "20-1006",
            "Entretien des espaces verts",
            "Avis de marché/",
            "Ville de Marseille",
            "",
            "13",
            "2020-07-04",
            "2020-08-04T10:00:00+00:00",
        ),
        row("20-1007", "Travaux de voirie", "Avis de marché/", "Ville de Paris", "", "75", "01/07/2020", ""),
        row("20-1008", "Travaux de toiture", "Avis de marché/", "Ville de Paris", "", "75", "2020-07-05", "")
            .replace("https://www.boamp.fr/pages/avis/?q=idweb:20-1008", "javascript:alert(1)"),
    ];
    format!("{HEADER}\r\n{}\r\n", rows.join("\r\n"))
}

/// The real eForms example, moved to Essonne: the CEA tender of `boamp_csv`, published on TED.
fn eforms_xml() -> String {
    let example = std::fs::read_to_string(repo().join("data/demo/eforms/cn_81_FRA.xml")).unwrap();
    example.replace(">FRL04<", ">FR104<")
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

async fn import(env: &Env, kind: ImportKind, dir: &Path, name: &str, content: &str) -> app::ImportReport {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    env.app.import_file(kind, &path).await.unwrap()
}

#[tokio::test]
async fn boamp_and_ted_notices_are_imported_once_with_their_amendments() {
    for_each_backend("import_notices", async |env| {
        let dir = tempfile::tempdir().unwrap();
        let r = import(&env, ImportKind::Boamp, dir.path(), "boamp.csv", &boamp_csv()).await;
        assert_eq!(
            (r.read, r.created, r.merged, r.skipped, r.rejected.len(), r.updated, r.unchanged),
            (8, 3, 2, 1, 2, 0, 0),
            "{}",
            r.summary()
        );
        let reasons: Vec<String> = r.rejected.iter().map(|x| format!("{} — {}", x.record, x.reason)).collect();
        assert!(reasons.iter().any(|x| x.contains("20-1007")), "{reasons:?}");
        assert!(reasons.iter().any(|x| x.contains("20-1008") && x.contains("https://")), "{reasons:?}");
        // The same tender on TED shows once.
        let t = import(&env, ImportKind::Eforms, dir.path(), "cn.xml", &eforms_xml()).await;
        assert_eq!((t.read, t.merged, t.created), (1, 1, 0), "{}", t.summary());
        // Again: nothing changes.
        let again = import(&env, ImportKind::Boamp, dir.path(), "boamp.csv", &boamp_csv()).await;
        assert_eq!((again.created, again.updated, again.merged, again.unchanged), (0, 0, 0, 5), "{}", again.summary());
        let t = import(&env, ImportKind::Eforms, dir.path(), "cn.xml", &eforms_xml()).await;
        assert_eq!((t.created, t.merged, t.unchanged), (0, 0, 1));
        assert_eq!(env.store.import_runs(10).await.unwrap().len(), 4, "every run is reported");

        let list = env.get("/api/v1/notices", &ANON).await.json();
        assert_eq!(list["total"], 3, "{list}");
        let cea = list["items"].as_array().unwrap().iter().find(|n| n["source_id"] == "20-1001").unwrap().clone();
        assert_eq!(cea["deadline"], "2020-09-21T12:00:00+02:00", "the rectificatif moved the deadline");
        let detail = env.get(&format!("/api/v1/notices/{}", cea["id"]), &ANON).await.json();
        let roles: Vec<(&str, &str)> = detail["links"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| (l["source"].as_str().unwrap(), l["role"].as_str().unwrap()))
            .collect();
        assert_eq!(roles, [("boamp", "rectificatif"), ("ted", "doublon")]);
        let montreuil = env.get("/api/v1/notices?q=NETTOYAGE%20mairie", &ANON).await.json();
        assert_eq!((&montreuil["total"], &montreuil["items"][0]["cancelled"]), (&json!(1), &json!(true)));
        let creteil = env.get("/api/v1/notices?departement=94", &ANON).await.json();
        assert_eq!(creteil["items"][0]["winners"], json!(["SARL Repas", "Cuisine Centrale"]));
        assert!(creteil["items"][0]["title"].as_str().unwrap().ends_with("maîtrise d'œuvre"), "mojibake repaired");
        assert_eq!(env.get("/api/v1/notices?etat=en_cours", &ANON).await.json()["total"], 0, "all past");
        env.get("/api/v1/notices/99999", &ANON).await.expect(404);

        // The pages, without an account.
        let page = visible(&env.get("/avis?departement=91", &ANON).await.expect(200).text());
        assert!(page.contains("1 avis trouvé.") && page.contains("Assistance à maîtrise"), "{page}");
        let show = env.get(&format!("/avis/{}", cea["id"]), &ANON).await;
        let html = show.expect(200).text();
        assert!(html.contains("href=\"https://www.boamp.fr/pages/avis/?q=idweb:20-1001\""), "{html}");
        assert!(visible(&html).contains("Le même avis, publié aussi sur TED (JOUE)"), "{html}");
    })
    .await;
}

#[tokio::test]
async fn the_siae_directory_reports_bad_sirets_and_duplicates() {
    for_each_backend("import_siae", async |env| {
        let dir = tempfile::tempdir().unwrap();
        let csv = "siret,name,brand,kind,naf,address,post_code,city,departement,source_pk\n\
            80746931700018,BALUCHON A TABLE CITOYENS,Baluchon,EI,5621Z,Rue Madeleine Odru,93230,Romainville,93,1\n\
            80746931700019,MAUVAISE CLE,,ACI,,,93100,Montreuil,93,2\n\
            80746931700018,BALUCHON BIS,,EI,,,93230,Romainville,93,3\n";
        let r = import(&env, ImportKind::Siae, dir.path(), "siae.csv", csv).await;
        assert_eq!((r.read, r.created, r.rejected.len()), (3, 1, 2), "{}", r.summary());
        assert!(r.rejected[0].reason.contains("clé de contrôle"), "{:?}", r.rejected);
        assert!(r.rejected[1].reason.contains("déjà présent"), "{:?}", r.rejected);
        let again = import(&env, ImportKind::Siae, dir.path(), "siae.csv", csv).await;
        assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 1));
        let listed = env.store.siae_of("93").await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].name, "BALUCHON A TABLE CITOYENS");
        // A file that is not there is an error, and leaves no run behind.
        assert!(env.app.import_file(ImportKind::Siae, &dir.path().join("absent.csv")).await.is_err());
        assert_eq!(env.store.import_runs(10).await.unwrap().len(), 2);
    })
    .await;
}

#[tokio::test]
async fn every_eforms_sdk_example_is_imported_or_rejected_with_its_reason() {
    for_each_backend("import_eforms_examples", async |env| {
        let dir = repo().join("data/eforms-sdk/examples/notices");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        assert_eq!(files.len(), 92);
        let (mut read, mut rejected) = (0, Vec::new());
        for file in &files {
            let r = env.app.import_file(ImportKind::Eforms, file).await.expect("every file gives a report");
            assert_eq!(r.read, 1);
            read += r.created + r.merged + r.skipped;
            rejected.extend(r.rejected.iter().map(|x| x.reason.clone()));
        }
        // The SDK's examples are all outside Île-de-France: read, and left aside.
        assert_eq!((read, rejected.len()), (71, 21), "{rejected:#?}");
        let why = |part: &str| rejected.iter().filter(|r| r.contains(part)).count();
        assert_eq!(why("BT-701"), 10, "notices without their id");
        assert_eq!(why("BusinessRegistrationInformationNotice"), 2, "business registrations are not tenders");
        assert_eq!(why("GBP") + why("BWP"), 9, "amounts in other currencies: {rejected:#?}");
    })
    .await;
}

#[tokio::test]
async fn the_real_boamp_files_import_and_reimport_unchanged() {
    for_each_backend("import_real_boamp", async |env| {
        let csv = repo().join("data/boamp/boamp_avis_3000.csv");
        let r = env.app.import_file(ImportKind::Boamp, &csv).await.unwrap();
        // 548 notices of Île-de-France, two of them rectificatifs of a notice in the file.
        assert_eq!(
            (r.read, r.created, r.merged, r.skipped, r.rejected_count),
            (3000, 546, 2, 2452, 0),
            "{}",
            r.summary()
        );
        let again = env.app.import_file(ImportKind::Boamp, &csv).await.unwrap();
        assert_eq!((again.created, again.updated, again.merged, again.unchanged), (0, 0, 0, 548));
        let (mut created, mut skipped) = (0, 0);
        for entry in std::fs::read_dir(repo().join("data/boamp/xml")).unwrap() {
            let r = env.app.import_file(ImportKind::Boamp, &entry.unwrap().path()).await.unwrap();
            assert_eq!(r.rejected_count, 0, "{}", r.summary());
            created += r.created;
            skipped += r.skipped;
        }
        assert_eq!((created, skipped), (5, 14), "the legacy XML notices of Île-de-France buyers");
    })
    .await;
}

/// Sets a file's modification time in the past, as if it had been dropped a while ago.
fn settled(path: &Path) {
    let past = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
    std::fs::File::options().write(true).open(path).unwrap().set_modified(past).unwrap();
}

#[tokio::test]
async fn the_drop_folder_imports_settled_files_and_files_them_away() {
    for_each_backend("drop_folder", async |env| {
        let drop = tempfile::tempdir().unwrap();
        for sub in ["boamp", "siae", "decp"] {
            std::fs::create_dir(drop.path().join(sub)).unwrap();
        }
        let notices = drop.path().join("boamp/avis.csv");
        std::fs::write(&notices, boamp_csv()).unwrap();
        settled(&notices);
        let fresh = drop.path().join("siae/en-cours-de-copie.csv");
        std::fs::write(&fresh, "siret,name").unwrap();
        let broken = drop.path().join("decp/casse.json");
        std::fs::write(&broken, "{ pas du JSON").unwrap();
        settled(&broken);
        let hidden = drop.path().join("boamp/.temporaire.csv");
        std::fs::write(&hidden, boamp_csv()).unwrap();
        settled(&hidden);

        let reports = env.app.import_drop_folder(drop.path()).await.unwrap();
        assert_eq!(reports.len(), 1, "the BOAMP file only");
        assert_eq!(reports[0].created, 3);
        assert!(!notices.exists() && fresh.exists() && hidden.exists() && !broken.exists());
        let done: Vec<String> = std::fs::read_dir(drop.path().join("importes/boamp"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(done.len(), 2, "the file and its report: {done:?}");
        let report = done.iter().find(|n| n.ends_with(".rapport.txt")).unwrap();
        let text = std::fs::read_to_string(drop.path().join("importes/boamp").join(report)).unwrap();
        assert!(text.contains("3 créé(s)") && text.contains("20-1008"), "{text}");
        let unreadable: Vec<_> = std::fs::read_dir(drop.path().join("illisibles/decp")).unwrap().collect();
        assert_eq!(unreadable.len(), 2, "the broken file and why");
        // Nothing left to take: a second round does nothing.
        assert!(env.app.import_drop_folder(drop.path()).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn each_official_decp_example_comes_back_whole_and_valid() {
    let examples = repo().join("data/decp/examples-official/v2");
    let mut files: Vec<PathBuf> = Vec::new();
    for sub in ["json", "xml"] {
        files.extend(std::fs::read_dir(examples.join(sub)).unwrap().map(|e| e.unwrap().path()));
    }
    files.sort();
    assert_eq!(files.len(), 7);
    for file in files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        for_each_backend(&format!("decp_{name}"), async |env| {
            let r = env.app.import_file(ImportKind::Decp, &file).await.unwrap();
            assert_eq!(r.rejected_count, 0, "{}", r.summary());
            let dir = tempfile::tempdir().unwrap();
            let json = env.app.decp_export(false).await.unwrap();
            let exported = dir.path().join("decp.json");
            std::fs::write(&exported, &json).unwrap();
            let schema = repo().join("data/decp/schemas/v2/schema_decp_v2.0.3.json");
            let verdict = crate::validators::check_jsonschema(&schema, &exported);
            assert!(verdict.ok, "{name}: {}", verdict.output);
            let xml = env.app.decp_export(true).await.unwrap();
            let exported_xml = dir.path().join("decp.xml");
            std::fs::write(&exported_xml, &xml).unwrap();
            let xsd = repo().join("data/decp/schemas/v2/schema_decp_v2.0.2.xsd");
            let verdict = crate::validators::xmllint(&xsd, &exported_xml);
            assert!(verdict.ok, "{name}: {}", verdict.output);
            // Every record of the file, field for field (the same record read back from the
            // export by the same reader: JSON and XML examples alike).
            let read = |bytes: &[u8], xml: bool| {
                let mut records = Vec::new();
                let keep = |r: formats::decp::Record| records.push(r.outcome.expect("accepted"));
                if xml {
                    formats::decp::read_decp_xml(bytes, keep).unwrap();
                } else {
                    formats::decp::read_decp_json(bytes, keep).unwrap();
                }
                records
            };
            let original = std::fs::read(&file).unwrap();
            let mut expected = read(&original, name.ends_with(".xml"));
            // A later version of a record (more modifications) in the same file wins.
            expected.sort_by_key(|c| c.dedup_key());
            expected.dedup_by(|later, earlier| later.dedup_key() == earlier.dedup_key());
            let back = read(&json, false);
            for record in &expected {
                let found = back.iter().find(|b| b.dedup_key() == record.dedup_key());
                assert_eq!(found, Some(record), "{name}");
            }
            assert_eq!(back.len(), expected.len(), "{name}");
        })
        .await;
    }
}
