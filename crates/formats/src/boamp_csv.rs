//! BOAMP notices flattened to CSV, as in the open-data export of the DILA (the `boamp` data
//! set of data.economie.gouv.fr): one row per notice, 16 columns, CRLF line endings, line
//! breaks inside quoted fields, lists separated by `" | "`.
//!
//! Columns read (by name, so their order does not matter): `idweb`, `objet`, `famille_libelle`,
//! `type_marche`, `nature_categorise_libelle`, `procedure_libelle`, `nomacheteur`, `titulaire`,
//! `code_departement`, `dateparution`, `datelimitereponse`, `datefindiffusion`, `url_avis`.
//!
//! Every text value is repaired on the way in: Windows-1252 mojibake (C1 control characters
//! such as U+009C standing for "œ") is turned back into the intended character and line
//! breaks inside a field become `\n`.

use std::io::Read;

use serde::Serialize;

use crate::text::{Row, Schema, all_or_first_error, csv_records, is_iso_date, is_rfc3339, split_list};
use crate::{FormatError, RecordError};

/// The eight départements of Île-de-France.
pub const IDF_DEPARTEMENTS: [&str; 8] = ["75", "77", "78", "91", "92", "93", "94", "95"];

/// One BOAMP notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BoampNotice {
    /// BOAMP publication id, e.g. `26-26124` (never empty).
    pub idweb: String,
    /// Object of the contract; may hold `\n` line breaks.
    pub objet: String,
    /// Notice family, e.g. `Marchés européens`, `MAPA`.
    pub famille: String,
    /// `TRAVAUX`, `FOURNITURES`, `SERVICES`, or empty when BOAMP gives none.
    pub type_marche: String,
    /// E.g. `Avis de marché`, `Résultat de marché`, `Rectificatif`, `Annulation`,
    /// `Avis de marché/Concession` (BOAMP's trailing `/` of an empty sub-category is removed).
    pub nature_avis: String,
    /// E.g. `Procédure Ouverte`, `Procédure adaptée`.
    pub procedure_libelle: String,
    /// The buyer's name.
    pub acheteur: String,
    /// Winners (award notices only), in BOAMP order.
    pub titulaires: Vec<String>,
    /// Département codes of the notice (`75`, `2A`, `974`…), in BOAMP order.
    pub departements: Vec<String>,
    /// Publication date, `YYYY-MM-DD`.
    pub date_parution: String,
    /// Bid deadline, the original RFC 3339 string (e.g. `2026-03-31T10:00:00+00:00`).
    pub date_limite_reponse: Option<String>,
    /// End of display on boamp.fr, `YYYY-MM-DD`.
    pub date_fin_diffusion: Option<String>,
    /// The notice on boamp.fr.
    pub url: String,
}

impl BoampNotice {
    /// Whether any of the notice's départements is in Île-de-France.
    pub fn is_ile_de_france(&self) -> bool {
        self.departements.iter().any(|d| is_idf_departement(d))
    }
}

/// Whether `code` is one of the eight Île-de-France départements.
pub fn is_idf_departement(code: &str) -> bool {
    IDF_DEPARTEMENTS.contains(&code.trim())
}

static SCHEMA: Schema = Schema {
    required: &[
        "idweb",
        "objet",
        "famille_libelle",
        "type_marche",
        "nature_categorise_libelle",
        "procedure_libelle",
        "nomacheteur",
        "titulaire",
        "code_departement",
        "dateparution",
        "datelimitereponse",
        "datefindiffusion",
        "url_avis",
    ],
    optional: &[],
    id: 0,
};

/// Reads a BOAMP CSV export (header on the first line) notice by notice, streaming.
///
/// Each record is either a notice or a [`RecordError`] naming its line, its `idweb` when
/// readable and the reason (in French): wrong number of fields, a field that is not UTF-8, an
/// empty `idweb`, a publication date that is not `YYYY-MM-DD`, a non-empty deadline that is not
/// RFC 3339, a non-empty end of display that is not `YYYY-MM-DD`. Reading goes on after a
/// rejected record. A header without one of the columns read is a single error (line 1), and
/// nothing follows it.
///
/// The CSV has no column linking a rectificatif, an annulation or a résultat to the notice it
/// follows (`type_avis` holds lists of BOAMP category codes, not ids): linking them is left to
/// the importer (same buyer, same object).
pub fn boamp_csv_records<R: Read>(reader: R) -> impl Iterator<Item = Result<BoampNotice, RecordError>> {
    csv_records(reader, &SCHEMA, parse_row)
}

/// Reads every notice of a BOAMP CSV export (header on the first line).
///
/// Fails on the first rejected record (see [`boamp_csv_records`]) with a
/// [`FormatError::Record`] naming its line.
pub fn read_boamp_csv<R: Read>(reader: R) -> Result<Vec<BoampNotice>, FormatError> {
    all_or_first_error(boamp_csv_records(reader))
}

fn parse_row(r: &Row) -> Result<BoampNotice, String> {
    let idweb = r.get(0);
    if idweb.is_empty() {
        return Err("champ « idweb » vide : l’identifiant BOAMP de l’avis (par ex. 26-26124) est attendu".into());
    }
    let date_parution = r.get(9);
    if !is_iso_date(date_parution) {
        return Err(format!(
            "champ « dateparution » : « {date_parution} » n’est pas une date AAAA-MM-JJ (par ex. 2026-03-15)"
        ));
    }
    let deadline = r.get(10);
    if !deadline.is_empty() && !is_rfc3339(deadline) {
        return Err(format!(
            "champ « datelimitereponse » : « {deadline} » n’est pas une date-heure RFC 3339 \
             (par ex. 2026-04-01T12:00:00+02:00)"
        ));
    }
    let fin = r.get(11);
    if !fin.is_empty() && !is_iso_date(fin) {
        return Err(format!(
            "champ « datefindiffusion » : « {fin} » n’est pas une date AAAA-MM-JJ (par ex. 2026-04-30)"
        ));
    }
    let some = |v: &str| Some(v.to_owned()).filter(|v| !v.is_empty());
    Ok(BoampNotice {
        idweb: idweb.to_owned(),
        objet: r.get(1).to_owned(),
        famille: r.get(2).to_owned(),
        type_marche: r.get(3).to_uppercase(),
        nature_avis: r.get(4).trim_end_matches('/').trim_end().to_owned(),
        procedure_libelle: r.get(5).to_owned(),
        acheteur: r.get(6).to_owned(),
        titulaires: split_list(r.get(7)),
        departements: split_list(r.get(8)),
        date_parution: date_parution.to_owned(),
        date_limite_reponse: some(deadline),
        date_fin_diffusion: some(fin),
        url: r.get(12).to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "id,idweb,objet,famille_libelle,type_marche,nature_categorise_libelle,procedure_libelle,nomacheteur,titulaire,code_departement,code_departement_prestation,dateparution,datelimitereponse,datefindiffusion,type_avis,url_avis\r\n";

    fn demo_path() -> String {
        format!("{}/../../data/demo/boamp_avis_idf_2026-03.csv", env!("CARGO_MANIFEST_DIR"))
    }

    #[test]
    fn reads_the_ile_de_france_demo_copy() {
        let file = std::fs::File::open(demo_path()).expect("demo copy present");
        let notices = read_boamp_csv(file).expect("demo copy parses");
        assert_eq!(notices.len(), 548);
        assert!(notices.iter().all(BoampNotice::is_ile_de_france));

        // Mojibake repaired everywhere.
        for n in &notices {
            for text in [&n.objet, &n.acheteur, &n.famille, &n.procedure_libelle].into_iter().chain(&n.titulaires) {
                assert!(
                    !text.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c)),
                    "C1 character left in {}: {text:?}",
                    n.idweb
                );
                assert!(!text.contains('\r'));
            }
        }
        assert!(notices.iter().any(|n| n.objet.contains("maîtrise d'œuvre")));
        assert!(notices.iter().any(|n| n.objet.contains("ŒUVRES SOCIALES")));

        // A multi-line objet is read whole, and the following row is not disturbed.
        let i = notices.iter().position(|n| n.idweb == "26-26459").expect("26-26459 in the IdF subset");
        let n = &notices[i];
        assert!(n.objet.contains('\n'), "{:?}", n.objet);
        assert!(n.objet.lines().count() >= 2);
        assert!(n.url.ends_with("idweb:26-26459"));
        assert!(notices[i + 1].idweb.starts_with("26-"));

        let count = |nature: &str| notices.iter().filter(|n| n.nature_avis == nature).count();
        assert_eq!(count("Avis de marché"), 358);
        assert_eq!(count("Résultat de marché"), 163);
        assert_eq!(count("Rectificatif"), 20);
        assert_eq!(count("Avis de marché/Concession"), 2);

        // Lists and optional fields.
        assert!(notices.iter().any(|n| n.titulaires.len() >= 5));
        assert!(notices.iter().any(|n| n.departements.len() > 1));
        assert!(notices.iter().all(|n| { n.titulaires.iter().all(|t| !t.is_empty() && !t.contains('|')) }));
        let with_deadline = notices.iter().filter(|n| n.date_limite_reponse.is_some()).count();
        assert!(with_deadline > 200 && with_deadline < 548);
        assert!(notices.iter().all(|n| ["TRAVAUX", "FOURNITURES", "SERVICES", ""].contains(&n.type_marche.as_str())));
    }

    #[test]
    fn reads_an_inline_sample() {
        let csv = format!(
            "{HEADER}26_1,26-1,\"Ma\u{ee}trise d'\u{9c}uvre\r\nlot 2\",MAPA,travaux,Avis de march\u{e9}/,Proc\u{e9}dure adapt\u{e9}e,Ville de Paris,,75 | 92,,2026-03-15,2026-04-01T12:00:00+02:00,2026-04-01,,https://x/1\r\n\
             26_2,26-2,Fournitures,MAPA,FOURNITURES,R\u{e9}sultat de march\u{e9},Proc\u{e9}dure adapt\u{e9}e,SIAAP,A | B SAS,13,,2026-03-15,,,,https://x/2\r\n"
        );
        let notices = read_boamp_csv(csv.as_bytes()).unwrap();
        assert_eq!(notices.len(), 2);
        assert_eq!(notices[0].objet, "Maîtrise d'œuvre\nlot 2");
        assert_eq!(notices[0].type_marche, "TRAVAUX");
        assert_eq!(notices[0].nature_avis, "Avis de marché");
        assert_eq!(notices[0].departements, ["75", "92"]);
        assert_eq!(notices[0].date_limite_reponse.as_deref(), Some("2026-04-01T12:00:00+02:00"));
        assert!(notices[0].is_ile_de_france());
        assert_eq!(notices[1].titulaires, ["A", "B SAS"]);
        assert_eq!(notices[1].date_limite_reponse, None);
        assert!(!notices[1].is_ile_de_france());
    }

    fn record_error(err: FormatError) -> RecordError {
        match err {
            FormatError::Record(r) => r,
            other => panic!("not a record error: {other:?}"),
        }
    }

    #[test]
    fn a_broken_row_is_an_error_naming_its_line() {
        // Line 2 is fine but spans two physical lines; the row starting on line 4 has a bad date.
        let csv = format!(
            "{HEADER}26_1,26-1,\"two\r\nlines\",F,SERVICES,Avis,P,A,,75,,2026-03-15,,,,u\r\n\
             26_2,26-2,o,F,SERVICES,Avis,P,A,,75,,15/03/2026,,,,u\r\n"
        );
        let err = read_boamp_csv(csv.as_bytes()).unwrap_err();
        assert_eq!(err.line(), Some(4), "{err}");
        assert_eq!(
            err.to_string(),
            "ligne 4 (26-2) : champ « dateparution » : « 15/03/2026 » n’est pas une date AAAA-MM-JJ (par ex. 2026-03-15)"
        );

        let bad_deadline = format!("{HEADER}26_2,26-2,o,F,SERVICES,Avis,P,A,,75,,2026-03-15,demain,,,u\r\n");
        let err = record_error(read_boamp_csv(bad_deadline.as_bytes()).unwrap_err());
        assert_eq!((err.line, err.id.as_deref()), (2, Some("26-2")));
        assert!(
            err.reason.starts_with("champ « datelimitereponse » : « demain » n’est pas une date-heure RFC 3339"),
            "{err}"
        );

        let short_row = format!("{HEADER}26_3,26-3,objet seul\r\n");
        let err = record_error(read_boamp_csv(short_row.as_bytes()).unwrap_err());
        assert_eq!(
            (err.line, err.id.as_deref(), err.reason.as_str()),
            (2, Some("26-3"), "3 champs au lieu des 16 de l’en-tête")
        );

        let no_id = format!("{HEADER}26_2,,o,F,SERVICES,Avis,P,A,,75,,2026-03-15,,,,u\r\n");
        let err = record_error(read_boamp_csv(no_id.as_bytes()).unwrap_err());
        assert_eq!((err.line, err.id.as_deref()), (2, None));
        assert!(err.reason.starts_with("champ « idweb » vide"), "{err}");

        let err = record_error(read_boamp_csv("idweb,objet\r\n1,x\r\n".as_bytes()).unwrap_err());
        assert_eq!(err.line, 1);
        assert!(err.reason.starts_with("en-tête : les colonnes « famille_libelle », « type_marche »,"), "{err}");

        let mut not_utf8 = HEADER.as_bytes().to_vec();
        not_utf8.extend_from_slice(b"26_2,26-2,\xe9t\xe9,F,SERVICES,Avis,P,A,,75,,2026-03-15,,,,u\r\n");
        let err = record_error(read_boamp_csv(not_utf8.as_slice()).unwrap_err());
        assert_eq!((err.line, err.id.as_deref()), (2, Some("26-2")));
        assert!(
            err.reason.starts_with("champ « objet » : texte qui n’est pas en UTF-8 (octet 0xE9 en position 1"),
            "{err}"
        );
    }

    #[test]
    fn bad_records_are_rejected_and_reading_goes_on() {
        let csv = format!(
            "{HEADER}26_1,26-1,\"two\r\nlines\",F,SERVICES,Avis,P,A,,75,,2026-03-15,,,,u\r\n\
             26_2,26-2,o,F,SERVICES,Avis,P,A,,75,,15/03/2026,,,,u\r\n\
             26_3,26-3,trop,de,champs,F,SERVICES,Avis,P,A,,75,,2026-03-15,,,,u\r\n\
             \r\n\
             26_4,26-4,o,F,SERVICES,Avis,P,A,,75,,2026-03-16,,,,u\r\n"
        );
        let all: Vec<_> = boamp_csv_records(csv.as_bytes()).collect();
        assert_eq!(all.len(), 4, "{all:?}");
        assert_eq!(all[0].as_ref().unwrap().idweb, "26-1");
        let e = all[1].as_ref().unwrap_err();
        assert_eq!((e.line, e.id.as_deref()), (4, Some("26-2")));
        let e = all[2].as_ref().unwrap_err();
        assert_eq!(
            (e.line, e.id.as_deref(), e.reason.as_str()),
            (5, Some("26-3"), "18 champs au lieu des 16 de l’en-tête")
        );
        assert_eq!(all[3].as_ref().unwrap().date_parution, "2026-03-16");
    }
}
