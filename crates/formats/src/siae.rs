//! Inclusive employers (SIAE and the like), from the demo file `data/demo/siae_idf.csv`: a
//! subset of the directory of "Le marché de l'inclusion" (see `data/demo/PROVENANCE.md`).
//!
//! Columns read by name: `siret`, `name`, `kind`, `departement`, `city`, and when present
//! `brand`, `naf`, `address`, `post_code`.

use std::io::Read;

use serde::Serialize;

use crate::FormatError;
use crate::text::{Columns, csv_reader, line_of};

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

const REQUIRED: [&str; 5] = ["siret", "name", "kind", "departement", "city"];
const OPTIONAL: [&str; 4] = ["brand", "naf", "address", "post_code"];

/// Reads every employer of an SIAE CSV file (header on the first line).
///
/// Fails on the first bad row, naming its line: malformed CSV, a SIRET that is not 14 digits,
/// an empty name, département or city, or a kind not in [`KINDS`].
pub fn read_siae_csv<R: Read>(reader: R) -> Result<Vec<Siae>, FormatError> {
    let mut csv = csv_reader(reader);
    let header = csv.headers()?.clone();
    let cols = Columns::find(&header, REQUIRED)?;
    let optional: Vec<Option<Columns<1>>> = OPTIONAL.iter().map(|&name| Columns::find(&header, [name]).ok()).collect();
    let mut out = Vec::new();
    for record in csv.records() {
        let r = record?;
        let line = line_of(&r);
        let opt = |i: usize| optional[i].as_ref().map(|c| c.get(&r, 0)).filter(|s| !s.is_empty());
        let siret: String = cols.get(&r, 0).chars().filter(|c| *c != ' ').collect();
        if siret.len() != 14 || !siret.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FormatError::field(line, "siret", format!("`{siret}` is not 14 digits")));
        }
        let kind = cols.get(&r, 2).to_uppercase();
        if !KINDS.contains(&kind.as_str()) {
            return Err(FormatError::field(
                line,
                "kind",
                format!("unknown kind `{kind}` (expected one of {})", KINDS.join(", ")),
            ));
        }
        let [name, departement, city] = [1, 3, 4].map(|i| cols.get(&r, i));
        for (column, value) in [("name", &name), ("departement", &departement), ("city", &city)] {
            if value.is_empty() {
                return Err(FormatError::field(line, column, "empty value"));
            }
        }
        out.push(Siae {
            siret,
            name,
            kind,
            departement,
            city,
            brand: opt(0),
            naf: opt(1),
            address: opt(2),
            post_code: opt(3),
        });
    }
    Ok(out)
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
            ("8074693170001X,Baluchon,EI,93,Romainville", "siret"),
            ("80746931700018,Baluchon,SARL,93,Romainville", "kind"),
            ("80746931700018,,EI,93,Romainville", "name"),
            ("80746931700018,Baluchon,EI,,Romainville", "departement"),
        ];
        for (row, column) in cases {
            let input = format!("{header}{good}{row}\n");
            let err = read_siae_csv(input.as_bytes()).unwrap_err();
            assert!(matches!(&err, FormatError::Field { line: 3, column: c, .. } if *c == column), "{row}: {err}");
        }
        let err = read_siae_csv(format!("{header}{good}\"unterminated,x\n").as_bytes());
        // An unterminated quote swallows the rest of the input: csv reports a short record.
        assert!(matches!(err, Err(FormatError::Csv { line: 3, .. })), "{err:?}");
        let err = read_siae_csv("siret,name\n1,x\n".as_bytes()).unwrap_err();
        assert!(matches!(err, FormatError::MissingColumn { column: "kind" }), "{err}");
    }
}
