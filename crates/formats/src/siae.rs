//! Inclusive employers (SIAE and the like), from the demo file `data/demo/siae_idf.csv`: a
//! subset of the directory of "Le marché de l'inclusion" (see `data/demo/PROVENANCE.md`).
//!
//! Columns read by name: `siret`, `name`, `kind`, `departement`, `city`, and when present
//! `brand`, `naf`, `address`, `post_code`.

use std::io::Read;

use serde::Serialize;

use crate::text::{Row, Schema, all_or_first_error, csv_records};
use crate::{FormatError, RecordError};

/// The kinds of inclusive employer Halle knows: the four SIAE kinds of the insertion par
/// l'activité économique (EI, AI, ACI, ETTI), their EITI variant, the GEIQ, and the
/// disability-sector employers (EA, EATT, ESAT).
pub const KINDS: [&str; 9] = ["EI", "AI", "ACI", "ETTI", "EITI", "GEIQ", "EA", "EATT", "ESAT"];

/// One inclusive employer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Siae {
    /// 14 digits (shape checked here; the Luhn key is the domain's business).
    pub siret: String,
    pub name: String,
    /// One of [`KINDS`], upper case.
    pub kind: String,
    /// Département code, e.g. `93` or `2A`.
    pub departement: String,
    pub city: String,
    /// Trade name, when it differs from the legal name.
    pub brand: Option<String>,
    /// NAF/APE code without dot, e.g. `5621Z`.
    pub naf: Option<String>,
    pub address: Option<String>,
    pub post_code: Option<String>,
}

static SCHEMA: Schema = Schema {
    required: &["siret", "name", "kind", "departement", "city"],
    optional: &["brand", "naf", "address", "post_code"],
    id: 0,
};

/// Reads an SIAE CSV file (header on the first line) employer by employer, streaming.
///
/// Each record is either an employer or a [`RecordError`] naming its line, its SIRET when
/// readable and the reason (in French): wrong number of fields, a field that is not UTF-8, a
/// SIRET that is not 14 digits (spaces are ignored), a kind not in [`KINDS`], an empty name,
/// département or city. Reading goes on after a rejected record. A header without one of the
/// required columns is a single error (line 1), and nothing follows it.
pub fn siae_records<R: Read>(reader: R) -> impl Iterator<Item = Result<Siae, RecordError>> {
    csv_records(reader, &SCHEMA, parse_row)
}

/// Reads every employer of an SIAE CSV file (header on the first line).
///
/// Fails on the first rejected record (see [`siae_records`]) with a [`FormatError::Record`]
/// naming its line.
pub fn read_siae_csv<R: Read>(reader: R) -> Result<Vec<Siae>, FormatError> {
    all_or_first_error(siae_records(reader))
}

fn parse_row(r: &Row) -> Result<Siae, String> {
    let siret: String = r.get(0).chars().filter(|c| !c.is_whitespace()).collect();
    if siret.len() != 14 || !siret.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("champ « siret » : « {} » n’est pas un SIRET de 14 chiffres", r.get(0)));
    }
    let kind = r.get(2).to_uppercase();
    if !KINDS.contains(&kind.as_str()) {
        return Err(format!(
            "champ « kind » : type de structure « {} » inconnu (attendu : {})",
            r.get(2),
            KINDS.join(", ")
        ));
    }
    let expected = [
        (1, "name", "la raison sociale est attendue"),
        (3, "departement", "le code du département (par ex. 93, 2A) est attendu"),
        (4, "city", "la commune est attendue"),
    ];
    for (i, column, what) in expected {
        if r.get(i).is_empty() {
            return Err(format!("champ « {column} » vide : {what}"));
        }
    }
    let opt = |i: usize| r.opt(i).map(str::to_owned);
    Ok(Siae {
        siret,
        name: r.get(1).to_owned(),
        kind,
        departement: r.get(3).to_owned(),
        city: r.get(4).to_owned(),
        brand: opt(0),
        naf: opt(1),
        address: opt(2),
        post_code: opt(3),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_demo_copy() {
        let path = format!("{}/../../data/demo/siae_idf.csv", env!("CARGO_MANIFEST_DIR"));
        let all = read_siae_csv(std::fs::File::open(path).unwrap()).unwrap();
        assert_eq!(all.len(), 200);
        assert!(all.iter().all(|s| crate::is_idf_departement(&s.departement)));
        for dep in crate::boamp_csv::IDF_DEPARTEMENTS {
            assert!(all.iter().any(|s| s.departement == dep), "{dep}");
        }
        for kind in ["EI", "AI", "ACI", "ETTI", "EA"] {
            assert!(all.iter().any(|s| s.kind == kind), "{kind}");
        }
        let first = &all[0];
        assert_eq!(first.siret, "80746931700018");
        assert_eq!(first.name, "BALUCHON A TABLE CITOYENS");
        assert_eq!(first.city, "Romainville");
        assert_eq!(first.post_code.as_deref(), Some("93230"));
        let mut sirets: Vec<&str> = all.iter().map(|s| s.siret.as_str()).collect();
        sirets.sort_unstable();
        sirets.dedup();
        assert_eq!(sirets.len(), 200);
    }

    #[test]
    fn only_the_required_columns_are_needed() {
        let csv = "kind,siret,name,departement,city\nei,807 469 317 00018,Baluchon,93,Romainville\n";
        let all = read_siae_csv(csv.as_bytes()).unwrap();
        assert_eq!(all[0].kind, "EI");
        assert_eq!(all[0].siret, "80746931700018");
        assert_eq!(all[0].brand, None);
    }

    #[test]
    fn a_broken_row_is_an_error_naming_its_line() {
        let header = "siret,name,kind,departement,city\n";
        let good = "80746931700018,Baluchon,EI,93,Romainville\n";
        let cases = [
            (
                "8074693170001X,Baluchon,EI,93,Romainville",
                "champ « siret » : « 8074693170001X » n’est pas un SIRET de 14 chiffres",
            ),
            (
                "80746931700018,Baluchon,SARL,93,Romainville",
                "champ « kind » : type de structure « SARL » inconnu (attendu : EI, AI, ACI, ETTI, EITI, GEIQ, EA, EATT, ESAT)",
            ),
            ("80746931700018,,EI,93,Romainville", "champ « name » vide : la raison sociale est attendue"),
            (
                "80746931700018,Baluchon,EI,,Romainville",
                "champ « departement » vide : le code du département (par ex. 93, 2A) est attendu",
            ),
        ];
        for (row, reason) in cases {
            let input = format!("{header}{good}{row}\n");
            match read_siae_csv(input.as_bytes()) {
                Err(FormatError::Record(e)) => assert_eq!((e.line, e.reason.as_str()), (3, reason), "{row}"),
                other => panic!("{row}: {other:?}"),
            }
        }
        let all: Vec<_> = siae_records(format!("{header}{good}\"unterminated,x\n{good}").as_bytes()).collect();
        // An unterminated quote swallows the rest of the input into one short record.
        assert_eq!(all.len(), 2, "{all:?}");
        let e = all[1].as_ref().unwrap_err();
        assert_eq!(e.line, 3);
        assert_eq!(
            e.reason,
            "1 champ au lieu des 5 de l’en-tête ; l’enregistrement s’étend des lignes 3 à 5 : guillemet non fermé ?"
        );
        let err = read_siae_csv("siret,name\n1,x\n".as_bytes()).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("ligne 1 : en-tête : les colonnes « kind », « departement », « city » manquent"),
            "{err}"
        );
    }
}
