//! The record readers over the real data sets the repository holds: every record is read or
//! rejected with a precise reason, and no input makes them panic.

use std::collections::BTreeMap;
use std::path::PathBuf;

use formats::{
    BoampNotice, EformsNotice, FormatError, NoticeKind, RecordError, boamp_csv_records, read_boamp_csv, read_eforms,
    read_siae_csv, siae_records,
};

fn data(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data").join(path)
}

fn bytes(path: &str) -> Vec<u8> {
    std::fs::read(data(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

// ---------------------------------------------------------------------------------------------
// BOAMP

#[test]
fn all_3000_boamp_notices_read() {
    let all: Vec<Result<BoampNotice, RecordError>> =
        boamp_csv_records(bytes("boamp/boamp_avis_3000.csv").as_slice()).collect();
    let rejected: Vec<&RecordError> = all.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(rejected.is_empty(), "{rejected:?}");
    let notices: Vec<&BoampNotice> = all.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(notices.len(), 3000);
    let mut ids: Vec<&str> = notices.iter().map(|n| n.idweb.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 3000);
    assert_eq!(notices.iter().filter(|n| n.is_ile_de_france()).count(), 548);

    let mut natures = BTreeMap::new();
    for n in &notices {
        *natures.entry(n.nature_avis.as_str()).or_insert(0) += 1;
    }
    let expected = [
        ("Annulation", 5),
        ("Avis de marché", 1916),
        ("Avis de marché/Concession", 17),
        ("Avis informatif", 2),
        ("Avis de marché/Concours", 10),
        ("Avis en cas de transparence ex ante volontaire", 1),
        ("Rectificatif", 98),
        ("Résultat de marché", 933),
        ("Résultat de marché/Concession", 6),
        ("Résultat de marché/Concours", 12),
    ];
    assert_eq!(natures, BTreeMap::from(expected));

    // No C1 control nor carriage return left in any text; the 14 mis-decodings are repaired.
    let texts = |n: &&BoampNotice| {
        [&n.objet, &n.famille, &n.type_marche, &n.nature_avis, &n.procedure_libelle, &n.acheteur, &n.url]
            .into_iter()
            .chain(&n.titulaires)
            .chain(&n.departements)
            .map(String::clone)
            .collect::<Vec<_>>()
    };
    for n in &notices {
        for t in texts(n) {
            assert!(!t.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c) || c == '\r'), "{}: {t:?}", n.idweb);
        }
    }
    let with = |s: &str| notices.iter().filter(|n| texts(n).iter().any(|t| t.contains(s))).count();
    assert!(with("œuvre") >= 5, "{}", with("œuvre"));
    assert!(with("’") >= 1);
    assert!(with("Œ") >= 1);

    // Multi-line fields (CRLF inside quotes) are whole and become \n.
    let multi = notices.iter().filter(|n| texts(n).iter().any(|t| t.contains('\n'))).count();
    assert!(multi >= 40, "{multi}");
    let n = notices.iter().find(|n| n.idweb == "26-26459").unwrap();
    assert!(n.objet.lines().count() >= 2 && n.url.ends_with("idweb:26-26459"));

    // The all-or-nothing reader agrees.
    let same = read_boamp_csv(bytes("boamp/boamp_avis_3000.csv").as_slice()).unwrap();
    assert_eq!(same.len(), 3000);
    assert_eq!(&same[17], notices[17]);
}

fn boamp_header() -> String {
    let file = bytes("boamp/boamp_avis_3000.csv");
    let end = file.windows(2).position(|w| w == b"\r\n").unwrap();
    String::from_utf8(file[..end + 2].to_vec()).unwrap()
}

#[test]
fn boamp_damaged_copy_keeps_going() {
    // The real file with three records damaged: every other record still reads.
    let mut raw = bytes("boamp/boamp_avis_3000.csv");
    let find = |raw: &[u8], after: &[u8], what: &[u8]| {
        let start = raw.windows(after.len()).position(|w| w == after).unwrap();
        start + raw[start..].windows(what.len()).position(|w| w == what).unwrap()
    };
    // Line 2 (26-26122): a 17th field.
    let at = find(&raw, b"\r\n26_26122,", b"https://www.boamp.fr/");
    raw.splice(at..at, *b"x,");
    // Record 26-26141: a publication date in French.
    let at = find(&raw, b"\r\n26_26141,", b",2026-03-");
    raw.splice(at + 1..at + 11, *b"15/03/2026");
    // Record 26-26150: a Windows-1252 "\u{e9}" (0xE9) in the procedure.
    let at = find(&raw, b"\r\n26_26150,", b"Proc\xc3\xa9dure");
    raw.splice(at + 4..at + 6, [0xE9]);
    let all: Vec<_> = boamp_csv_records(raw.as_slice()).collect();
    let errors: Vec<&RecordError> = all.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!(all.len(), 3000);
    assert_eq!(errors.len(), 3, "{errors:#?}");
    assert!(errors.iter().all(|e| e.line > 1 && e.id.as_deref().is_some_and(|i| i.starts_with("26-"))));
    assert!(
        errors
            .iter()
            .any(|e| e.id.as_deref() == Some("26-26122") && e.reason == "17 champs au lieu des 16 de l’en-tête")
    );
    assert!(
        errors
            .iter()
            .any(|e| e.reason.contains("champ « dateparution » : « 15/03/2026 » n’est pas une date AAAA-MM-JJ"))
    );
    assert!(
        errors
            .iter()
            .any(|e| e.reason.contains("champ « procedure_libelle » : texte qui n’est pas en UTF-8 (octet 0xE9"))
    );
}

#[test]
fn boamp_file_level_failures_are_one_error() {
    let cases: [(&[u8], &str); 5] = [
        (b"", "fichier vide : la ligne d’en-tête manque"),
        (b"\r\n\r\n", "fichier vide : la ligne d’en-tête manque"),
        (br#"{"records": [{"idweb": "26-1"}]}"#, "en-tête : les colonnes « idweb », « objet »,"),
        (b"siret,name,kind,departement,city\n1,x,EI,93,Paris\n", "en-tête : les colonnes « idweb »,"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "(en-tête qui n’est pas en UTF-8)"),
    ];
    for (input, reason) in cases {
        let all: Vec<_> = boamp_csv_records(input).collect();
        assert_eq!(all.len(), 1, "{input:?}: {all:?}");
        let e = all[0].as_ref().unwrap_err();
        assert_eq!((e.line, e.id.as_deref()), (1, None));
        assert!(e.reason.contains(reason), "{input:?}: {e}");
        assert!(matches!(read_boamp_csv(input), Err(FormatError::Record(_))));
    }
    // A header alone: no record, no error.
    assert_eq!(boamp_csv_records(boamp_header().as_bytes()).count(), 0);
}

#[test]
fn boamp_truncated_and_cp1252_inputs_do_not_panic() {
    let file = bytes("boamp/boamp_avis_3000.csv");
    // Cut anywhere, even inside a quoted multi-line field or a UTF-8 sequence.
    for cut in [1, 100, 5_000, 123_457, 500_001, file.len() - 3] {
        let all: Vec<_> = boamp_csv_records(&file[..cut]).collect();
        for e in all.iter().filter_map(|r| r.as_ref().err()) {
            assert!(e.line >= 1 && !e.reason.is_empty());
        }
    }
    // The whole file re-encoded in Windows-1252: rejected record by record, never a panic.
    let text = String::from_utf8(file).unwrap();
    let latin: Vec<u8> = text.chars().map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?')).collect();
    let all: Vec<_> = boamp_csv_records(latin.as_slice()).collect();
    assert_eq!(all.len(), 3000);
    let rejected = all.iter().filter(|r| r.is_err()).count();
    assert!(rejected > 2000, "{rejected}");
    for e in all.iter().filter_map(|r| r.as_ref().err()) {
        assert!(e.reason.contains("n’est pas en UTF-8"), "{e}");
    }
}

// ---------------------------------------------------------------------------------------------
// SIAE

#[test]
fn the_whole_siae_directory_reads() {
    let all: Vec<_> = siae_records(bytes("siae/siae_le-marche.csv").as_slice()).collect();
    assert_eq!(all.len(), 3853);
    let rejected: Vec<&RecordError> = all.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(rejected.is_empty(), "{rejected:?}");
    let siaes: Vec<_> = all.into_iter().map(Result::unwrap).collect();
    let mut kinds = BTreeMap::new();
    for s in &siaes {
        *kinds.entry(s.kind.as_str()).or_insert(0) += 1;
    }
    assert_eq!(
        kinds,
        BTreeMap::from([("ACI", 1815), ("AI", 620), ("EA", 3), ("EI", 944), ("ETTI", 299), ("GEIQ", 172)])
    );
    assert_eq!(siaes.iter().filter(|s| formats::is_idf_departement(&s.departement)).count(), 373);
    assert_eq!(siaes.iter().filter(|s| s.brand.is_none()).count(), 3700);
    assert_eq!(siaes.iter().filter(|s| s.naf.is_none()).count(), 71);
    assert_eq!(siaes.iter().filter(|s| s.address.is_none()).count(), 12);
    let mut sirets: Vec<&str> = siaes.iter().map(|s| s.siret.as_str()).collect();
    sirets.sort_unstable();
    sirets.dedup();
    assert_eq!(sirets.len(), 3853 - 12);
    // The shape is checked here, not the Luhn key: the fake SIRETs are read.
    assert!(siaes.iter().any(|s| s.siret == "12345678901234"));
    // The demo extract is a subset, row for row.
    let demo = read_siae_csv(bytes("demo/siae_idf.csv").as_slice()).unwrap();
    assert!(demo.iter().all(|d| siaes.contains(d)));
    assert_eq!(read_siae_csv(bytes("siae/siae_le-marche.csv").as_slice()).unwrap(), siaes);
}

#[test]
fn siae_bad_rows_are_rejected_and_reading_goes_on() {
    let input = "siret,name,kind,departement,city\n\
                 80746931700018,Baluchon,EI,93,Romainville\n\
                 807 469 317,Court,EI,93,Romainville\n\
                 75187049400026,La Collecterie,SCOP,93,Montreuil\n\
                 75187049400026,La Collecterie,ACI,93\n\
                 75187049400026,\"La \u{8c}uvre\",aci,93,Montreuil\n";
    let all: Vec<_> = siae_records(input.as_bytes()).collect();
    assert_eq!(all.len(), 5);
    let err = |i: usize| all[i].as_ref().unwrap_err();
    assert_eq!(all[0].as_ref().unwrap().name, "Baluchon");
    assert_eq!((err(1).line, err(1).id.as_deref()), (3, Some("807 469 317")));
    assert_eq!(err(1).reason, "champ « siret » : « 807 469 317 » n’est pas un SIRET de 14 chiffres");
    assert_eq!(
        err(1).to_string(),
        "ligne 3 (807 469 317) : champ « siret » : « 807 469 317 » n’est pas un SIRET de 14 chiffres"
    );
    assert!(err(2).reason.starts_with("champ « kind » : type de structure « SCOP » inconnu"));
    assert_eq!((err(3).line, err(3).reason.as_str()), (5, "4 champs au lieu des 5 de l’en-tête"));
    let last = all[4].as_ref().unwrap();
    assert_eq!((last.name.as_str(), last.kind.as_str()), ("La Œuvre", "ACI"));
    // Garbage: one file-level error.
    for garbage in [&b"\x00\x01\x02"[..], b"<xml/>", b"siret;name;kind;departement;city\n1;2;3;4;5\n"] {
        let all: Vec<_> = siae_records(garbage).collect();
        assert_eq!(all.len(), 1, "{garbage:?}");
        assert!(all[0].as_ref().unwrap_err().reason.starts_with("en-tête : "), "{all:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// eForms

/// The expected outcome of each of the SDK's 92 examples.
enum Expect {
    /// Read: kind, number of lots, number of lot results.
    Ok(NoticeKind, usize, usize),
    /// Rejected: line and a substring of the reason.
    Err(u64, &'static str),
}

use Expect::{Err as Rejected, Ok as Read};
use NoticeKind::{Award, Contract, Modification, Other, PriorInformation};

const NO_ID: &str = "identifiant de l’avis absent : « cbc:ID » (BT-701) est attendu";
const EMPTY_ID: &str = "identifiant de l’avis vide";
const BRIN: &str = "racine « BusinessRegistrationInformationNotice » : avis d’entreprise";
const GBP: &str = "élément « cbc:PayableAmount » : montant en GBP, seuls les montants en euros (EUR) sont lus";

const EXAMPLES: [(&str, Expect); 92] = [
    ("CEI.xml", Read(PriorInformation, 1, 0)),
    ("E1_minimal.xml", Read(Other, 1, 0)),
    ("E2_minimal.xml", Read(PriorInformation, 1, 0)),
    ("E3_minimal.xml", Read(Contract, 1, 0)),
    ("E4_minimal.xml", Read(Award, 1, 1)),
    ("E5_minimal.xml", Read(Other, 1, 1)),
    ("E6_minimal.xml", Read(Modification, 1, 0)),
    ("INVALID_can_24_empty.xml", Rejected(4, NO_ID)),
    ("INVALID_can_24_stage-1.xml", Rejected(4, NO_ID)),
    ("INVALID_can_24_stage-2.xml", Rejected(83, EMPTY_ID)),
    ("INVALID_change-cn_24_FRA_comments.xml", Read(Contract, 2, 0)),
    ("INVALID_cn_24_empty.xml", Rejected(4, NO_ID)),
    ("INVALID_cn_24_multiple.xml", Read(Contract, 2, 0)),
    ("INVALID_cn_24_stage-1.xml", Rejected(4, NO_ID)),
    ("INVALID_cn_24_stage-2.xml", Rejected(43, EMPTY_ID)),
    ("INVALID_pin-buyer_24_stage-1.xml", Rejected(4, NO_ID)),
    ("INVALID_pin-only_24_empty.xml", Rejected(4, NO_ID)),
    ("INVALID_pin-only_24_minimal.xml", Rejected(16, EMPTY_ID)),
    ("INVALID_pin-only_24_stage-1.xml", Rejected(31, EMPTY_ID)),
    ("X01_EEIG.xml", Rejected(2, BRIN)),
    ("X02_registration.xml", Rejected(2, BRIN)),
    ("can-desg_24.xml", Read(Award, 4, 4)),
    ("can-desg_25.xml", Read(Award, 3, 3)),
    ("can-modif_23.xml", Read(Modification, 1, 0)),
    ("can-modif_24_duration.xml", Rejected(42, GBP)),
    ("can-modif_24_value.xml", Rejected(39, GBP)),
    ("can-modif_25.xml", Read(Modification, 1, 0)),
    ("can-social_23.xml", Read(Award, 3, 3)),
    ("can-social_24.xml", Read(Award, 3, 3)),
    ("can-social_25.xml", Read(Award, 3, 3)),
    ("can_23_contracts.xml", Rejected(53, GBP)),
    ("can_24_FRA_comments.xml", Read(Award, 2, 2)),
    ("can_24_LSBU.xml", Rejected(52, GBP)),
    ("can_24_UKRI.xml", Rejected(51, GBP)),
    ("can_24_maximal.xml", Read(Award, 2, 2)),
    ("can_24_minimal.xml", Read(Award, 1, 1)),
    ("can_24_no_tenders.xml", Read(Award, 1, 1)),
    ("can_25_ENG.xml", Rejected(51, GBP)),
    ("can_25_ENG_Buyers.xml", Read(Award, 1, 1)),
    ("can_25_ENG_buyers_countries.xml", Read(Award, 1, 1)),
    ("can_25_ITA.xml", Read(Award, 1, 1)),
    ("can_25_withheld.xml", Rejected(153, GBP)),
    ("can_25_withheld_lots.xml", Rejected(172, GBP)),
    ("can_81_FRA.xml", Read(Award, 1, 1)),
    ("change-cn_24_cumbria_suppliers.xml", Read(Contract, 1, 0)),
    ("change-cn_24_open_dates.xml", Read(Contract, 1, 0)),
    ("change-cn_24_void.xml", Read(Contract, 1, 0)),
    ("cn-desg_24.xml", Read(Contract, 1, 0)),
    ("cn-desg_25.xml", Read(Contract, 1, 0)),
    ("cn-social_24.xml", Read(Contract, 1, 0)),
    (
        "cn-social_25.xml",
        Rejected(116, "élément « cbc:EstimatedOverallContractAmount » : montant en BWP, seuls les montants en euros"),
    ),
    ("cn_23.xml", Read(Contract, 1, 0)),
    ("cn_24_FRA_comments.xml", Read(Contract, 2, 0)),
    ("cn_24_cumbria.xml", Read(Contract, 1, 0)),
    ("cn_24_maximal.xml", Read(Contract, 2, 0)),
    ("cn_24_maximal_100_lots.xml", Read(Contract, 100, 0)),
    ("cn_24_minimal.xml", Read(Contract, 1, 0)),
    ("cn_24_multilingual.xml", Read(Contract, 1, 0)),
    ("cn_24_nego_accel.xml", Read(Contract, 1, 0)),
    ("cn_24_open.xml", Read(Contract, 1, 0)),
    ("cn_24_open_accel.xml", Read(Contract, 1, 0)),
    ("cn_25.xml", Read(Contract, 1, 0)),
    ("cn_81.xml", Read(Contract, 1, 0)),
    ("cn_81_FRA.xml", Read(Contract, 1, 0)),
    ("pin-buyer_24.xml", Read(PriorInformation, 0, 0)),
    ("pin-buyer_24_minimal.xml", Read(PriorInformation, 0, 0)),
    ("pin-buyer_24_published.xml", Read(PriorInformation, 0, 0)),
    ("pin-buyer_25.xml", Read(PriorInformation, 0, 0)),
    ("pin-buyer_81.xml", Read(PriorInformation, 0, 0)),
    ("pin-cfc-social_23.xml", Read(PriorInformation, 1, 0)),
    ("pin-cfc-social_24.xml", Read(PriorInformation, 1, 0)),
    ("pin-cfc-social_25.xml", Read(PriorInformation, 3, 0)),
    ("pin-cfc_24.xml", Read(PriorInformation, 1, 0)),
    ("pin-cfc_25.xml", Read(PriorInformation, 2, 0)),
    ("pin-only_24.xml", Read(PriorInformation, 1, 0)),
    ("pin-only_24_lots.xml", Read(PriorInformation, 10, 0)),
    ("pin-only_24_maximal.xml", Read(PriorInformation, 1, 0)),
    ("pin-only_25.xml", Read(PriorInformation, 1, 0)),
    ("pin-only_81.xml", Read(PriorInformation, 1, 0)),
    ("pin-only_81_FRA.xml", Read(PriorInformation, 1, 0)),
    ("pin-only_fin-reg.xml", Read(PriorInformation, 1, 0)),
    ("pin-rtl_24.xml", Read(PriorInformation, 1, 0)),
    ("pin-rtl_25.xml", Read(PriorInformation, 1, 0)),
    ("pin-rtl_81.xml", Read(PriorInformation, 1, 0)),
    ("qu-sy_25.xml", Read(Contract, 1, 0)),
    ("subco_81.xml", Read(Contract, 1, 0)),
    ("t01_PRT.xml", Read(PriorInformation, 1, 0)),
    ("t02_ESP.xml", Read(Award, 1, 1)),
    ("veat_23.xml", Read(Award, 1, 0)),
    ("veat_24.xml", Read(Award, 1, 1)),
    ("veat_25.xml", Read(Award, 1, 1)),
    ("veat_81.xml", Read(Award, 2, 2)),
];

fn example(file: &str) -> Result<EformsNotice, FormatError> {
    read_eforms(bytes(&format!("eforms-sdk/examples/notices/{file}")).as_slice())
}

#[test]
fn every_sdk_example_is_read_or_rejected_as_expected() {
    let mut on_disk: Vec<String> = std::fs::read_dir(data("eforms-sdk/examples/notices"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".xml"))
        .collect();
    on_disk.sort();
    let listed: Vec<&str> = EXAMPLES.iter().map(|(f, _)| *f).collect();
    assert_eq!(on_disk, listed);

    let mut wrong = Vec::new();
    for (file, expect) in &EXAMPLES {
        match (example(file), expect) {
            (Ok(n), Read(kind, lots, results)) => {
                if (n.kind, n.lots.len(), n.results.len()) != (*kind, *lots, *results) || n.id.is_empty() {
                    wrong.push(format!(
                        "{file}: read as {:?}, {} lots, {} results",
                        n.kind,
                        n.lots.len(),
                        n.results.len()
                    ));
                }
            }
            (Err(FormatError::Record(e)), Rejected(line, reason)) => {
                if e.line != *line || !e.reason.contains(reason) {
                    wrong.push(format!("{file}: {e}"));
                }
            }
            (Ok(n), Rejected(..)) => wrong.push(format!("{file}: read as {:?}", n.kind)),
            (Err(e), _) => wrong.push(format!("{file}: {e}")),
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    let read = EXAMPLES.iter().filter(|(_, e)| matches!(e, Read(..))).count();
    assert_eq!(read, 92 - 21);
}

#[test]
fn award_results_of_the_french_example() {
    let n = example("can_24_FRA_comments.xml").unwrap();
    assert_eq!(n.kind, Award);
    assert_eq!(n.notice_type, "can-standard");
    assert_eq!(n.subtype.as_deref(), Some("29"));
    assert_eq!(n.buyer.name, "Rouen Habitat");
    assert_eq!(n.awarded_value, Some(39_069_784));
    assert!(n.procedure_id.is_some());
    let r = &n.results[0];
    assert_eq!((r.id.as_str(), r.lot_id.as_str(), r.status.as_deref()), ("RES-0001", "LOT-0001", Some("selec-w")));
    assert_eq!(r.tenders_received, Some(3));
    assert_eq!(r.conclusion_date.as_deref(), Some("2019-09-03"));
    assert_eq!(r.tenders.len(), 1);
    assert_eq!(
        (r.tenders[0].id.as_str(), r.tenders[0].amount, r.tenders[0].winner),
        ("TEN-0001", Some(9_541_400), true)
    );
    let winners: Vec<(&str, &str, Option<&str>)> =
        r.winners().map(|w| (w.id.as_str(), w.name.as_str(), w.company_id.as_deref())).collect();
    assert_eq!(winners, [("ORG-0004", "Espaces Verts Lemire", Some("326 912 557"))]);
    let r = &n.results[1];
    assert_eq!((r.lot_id.as_str(), r.tenders_received, r.tenders[0].amount), ("LOT-0002", Some(2), Some(2_650_000)));
    assert_eq!(r.winners().map(|w| w.name.as_str()).collect::<Vec<_>>(), ["ID Verde SASU"]);

    // The contract notice of the same procedure shares its BT-04 identifier.
    let cn = example("cn_24_FRA_comments.xml").unwrap();
    assert_eq!(cn.kind, Contract);
    assert!(cn.results.is_empty() && cn.awarded_value.is_none() && cn.changed_notice.is_none());
}

#[test]
fn award_results_with_several_winners_and_losers() {
    let n = example("can_24_maximal.xml").unwrap();
    let lot1 = &n.results[0];
    assert_eq!((lot1.status.as_deref(), lot1.tenders_received, lot1.tenders.len()), (Some("selec-w"), Some(9), 2));
    assert!(lot1.tenders.iter().all(|t| t.winner));
    assert_eq!(lot1.winners().count(), 3);
    assert_eq!(lot1.conclusion_date.as_deref(), Some("2023-03-24"));
    // A lot closed without a winner: its tender is named, not a winner.
    let lot2 = &n.results[1];
    assert_eq!((lot2.status.as_deref(), lot2.tenders.len(), lot2.winners().count()), (Some("clos-nw"), 1, 0));

    let social = example("can-social_24.xml").unwrap();
    let statuses: Vec<_> = social.results.iter().map(|r| (r.status.as_deref(), r.winners().count())).collect();
    // The example's one contract is the lot 2 result's, but it names the tender for lot 1: the
    // reader follows the references as written.
    assert_eq!(statuses, [(Some("clos-nw"), 0), (Some("selec-w"), 1), (Some("open-nw"), 0)]);
    let lot2: Vec<(&str, bool)> = social.results[1].tenders.iter().map(|t| (t.id.as_str(), t.winner)).collect();
    assert_eq!(lot2, [("TEN-0002", false), ("TEN-0001", true)]);
}

#[test]
fn change_and_modification_notices_name_the_notice_they_change() {
    let change = example("change-cn_24_open_dates.xml").unwrap();
    assert_eq!(change.kind, Contract);
    assert_eq!(change.changed_notice.as_deref(), Some("c4c415ee-ac08-4465-8fa6-57568cf69462-01"));
    let modif = example("can-modif_25.xml").unwrap();
    assert_eq!(modif.kind, Modification);
    assert!(modif.changed_notice.is_some());
}

#[test]
fn eforms_garbage_truncation_and_broken_references() {
    let good = bytes("eforms-sdk/examples/notices/can_24_FRA_comments.xml");
    for cut in [0, 1, 10, 500, 4_000, 20_000, good.len() - 2] {
        match read_eforms(&good[..cut]) {
            Err(FormatError::Record(e)) => assert!(e.reason.starts_with("XML mal formé : "), "{cut}: {e}"),
            other => panic!("{cut}: {other:?}"),
        }
    }
    let garbage: [&[u8]; 4] =
        [b"\x00\xff\xfe", b"{\"notice\": 1}", b"<a><b></a>", b"<ContractNotice><cbc:ID>x</cbc:ID>"];
    for g in garbage {
        assert!(matches!(read_eforms(g), Err(FormatError::Record(_))), "{g:?}");
    }
    let text = String::from_utf8(good).unwrap();
    let cases = [
        (
            text.replacen("<cbc:ID schemeName=\"tender\">TEN-0002</cbc:ID>\n\t\t\t\t\t\t\t<!--BT-171", "<cbc:ID schemeName=\"tender\">TEN-0009</cbc:ID>\n\t\t\t\t\t\t\t<!--BT-171", 1),
            "l’offre « TEN-0002 » citée par le résultat « RES-0002 » est absente de « efac:NoticeResult » (efac:LotTender)",
        ),
        (
            text.replacen("<cbc:ID schemeName=\"organization\">ORG-0005</cbc:ID>", "<cbc:ID schemeName=\"organization\">ORG-0099</cbc:ID>", 1),
            "l’organisation « ORG-0099 » du soumissionnaire « TPA-0002 » est absente de « efac:Organizations »",
        ),
        (
            text.replacen("<efbc:StatisticsNumeric>3</efbc:StatisticsNumeric>", "<efbc:StatisticsNumeric>trois</efbc:StatisticsNumeric>", 1),
            "élément « efbc:StatisticsNumeric » : « trois » n’est pas un nombre d’offres reçues",
        ),
        (
            text.replacen("<cbc:IssueDate>2019-09-03+02:00</cbc:IssueDate>", "<cbc:IssueDate>3 sept.</cbc:IssueDate>", 1),
            "élément « cbc:IssueDate » (date de conclusion du contrat (BT-145)) : « 3 sept. » n’est pas une date",
        ),
        (
            text.replacen("<cbc:ID schemeName=\"Lot\">LOT-0001</cbc:ID>\n\t\t\t\t\t\t\t</efac:TenderLot>\n\t\t\t\t\t\t</efac:LotResult>", "</efac:TenderLot>\n\t\t\t\t\t\t</efac:LotResult>", 1),
            "le résultat « RES-0001 » ne dit pas de quel lot il s’agit",
        ),
    ];
    for (doc, reason) in cases {
        assert_ne!(doc, text, "{reason}: the edit did not apply");
        match read_eforms(doc.as_bytes()) {
            Err(FormatError::Record(e)) => {
                assert!(e.reason.contains(reason), "{e}");
                assert!(e.id.is_some() && e.line > 1, "{e}");
            }
            other => panic!("{reason}: {other:?}"),
        }
    }
}
