//! `halle import`'s service: BOAMP notices with their amendments, the same tender from TED,
//! the SIAE directory; then the public list, page and API of notices published elsewhere.

use std::path::{Path, PathBuf};

use app::ImportKind;
use serde_json::json;

use crate::support::{ANON, Env, for_each_backend, visible};

const HEADER: &str = "id,idweb,objet,famille_libelle,type_marche,nature_categorise_libelle,procedure_libelle,nomacheteur,titulaire,code_departement,code_departement_prestation,dateparution,datelimitereponse,datefindiffusion,type_avis,url_avis";

const CEA: &str = "Commissariat à l'énergie atomique et aux énergies alternatives";
const CEA_TITLE: &str = "Assistance à maîtrise d’œuvre en suivi de réalisation dans le cadre du projet de construction d’un poste de garde et d’un parking sur plusieurs niveaux sur le site CEA de Cadarache pour le compte du CEA DAM";

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
