//! Real suppliers: SIRENE data (INSEE) enriched with their BOAMP awards, one row per
//! establishment (`data/demo/fournisseurs_enrichis.csv`).
//!
//! Columns read by name: `siren`, `siret`, `nom`, `nature_juridique`, `activite_principale`,
//! `libelle_activite`, `tranche_effectifs`, `date_creation`, `adresse`, `commune`,
//! `departement`, `nombre_etablissements`, `est_ess`, `nb_marches`, `total_marches_eur`,
//! `marches_sans_concurrence`.

use std::io::Read;

use serde::Serialize;

use crate::FormatError;
use crate::text::{Columns, csv_reader, is_iso_date, line_of};

/// One supplier establishment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Supplier {
    /// 9 digits.
    pub siren: String,
    /// 14 digits, starting with the SIREN. Only the shape is checked here, not the Luhn key.
    pub siret: String,
    pub name: String,
    /// INSEE legal category code (`catégorie juridique`), e.g. `5710` for a SAS.
    pub legal_form_code: String,
    /// NAF/APE code of the main activity, e.g. `42.11Z`.
    pub naf: String,
    pub naf_label: Option<String>,
    /// INSEE staff band code (`tranche d'effectifs salariés`), e.g. `32` for 250 to 499.
    pub staff_band: Option<String>,
    /// `micro`, `pme`, `eti` or `ge`, from the staff band (see [`size_from_staff_band`]).
    pub size: Option<String>,
    /// `YYYY-MM-DD`.
    pub creation_date: Option<String>,
    pub address: String,
    pub commune: String,
    pub departement: String,
    /// Number of establishments of the company.
    pub establishments: Option<u32>,
    /// Member of the social and solidarity economy (ESS).
    pub ess: bool,
    /// Contracts won in the source's BOAMP sample.
    pub contracts_won: u32,
    /// Their total amount, in euro cents (rounded to the cent).
    pub contracts_total_cents: i64,
    /// How many of them were awarded without competition.
    pub contracts_without_competition: u32,
}

/// The company size category for an INSEE staff band code (`tranche_effectifs` of SIRENE).
///
/// Halle's sizes follow the French categories of the LME law (décret 2008-1354), judged on
/// staff alone since SIRENE gives neither turnover nor balance sheet:
///
/// | size | staff | INSEE bands |
/// |---|---|---|
/// | `micro` | fewer than 10 | `NN` (no employee), `00`, `01` (1–2), `02` (3–5), `03` (6–9) |
/// | `pme` | 10 to 249 | `11` (10–19), `12` (20–49), `21` (50–99), `22` (100–199), `31` (200–249) |
/// | `eti` | 250 to 4,999 | `32` (250–499), `41` (500–999), `42` (1,000–1,999), `51` (2,000–4,999) |
/// | `ge` | 5,000 or more | `52` (5,000–9,999), `53` (10,000 and more) |
///
/// Returns `None` for an empty or unknown code.
pub fn size_from_staff_band(band: &str) -> Option<&'static str> {
    Some(match band.trim() {
        "NN" | "00" | "01" | "02" | "03" => "micro",
        "11" | "12" | "21" | "22" | "31" => "pme",
        "32" | "41" | "42" | "51" => "eti",
        "52" | "53" => "ge",
        _ => return None,
    })
}

const COLUMNS: [&str; 16] = [
    "siren",
    "siret",
    "nom",
    "nature_juridique",
    "activite_principale",
    "libelle_activite",
    "tranche_effectifs",
    "date_creation",
    "adresse",
    "commune",
    "departement",
    "nombre_etablissements",
    "est_ess",
    "nb_marches",
    "total_marches_eur",
    "marches_sans_concurrence",
];

/// Reads every supplier of a `fournisseurs_enrichis.csv` file (header on the first line).
///
/// Fails on the first bad row, naming its line: malformed CSV, a SIRET that is not 14 digits
/// or does not start with the SIREN, an empty name, an unknown non-empty staff band, a bad
/// date, boolean, count or amount.
pub fn read_suppliers_csv<R: Read>(reader: R) -> Result<Vec<Supplier>, FormatError> {
    let mut csv = csv_reader(reader);
    let cols = Columns::find(csv.headers()?, COLUMNS)?;
    let mut out = Vec::new();
    for record in csv.records() {
        let record = record?;
        out.push(parse_row(&cols, &record)?);
    }
    Ok(out)
}

fn parse_row(cols: &Columns<16>, r: &csv::StringRecord) -> Result<Supplier, FormatError> {
    let line = line_of(r);
    let err = |column, message: String| FormatError::field(line, column, message);
    let digits = |s: &str, n| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());

    let siret = cols.get(r, 1);
    if !digits(&siret, 14) {
        return Err(err("siret", format!("`{siret}` is not 14 digits")));
    }
    let mut siren = cols.get(r, 0);
    if siren.is_empty() {
        siren = siret[..9].to_owned();
    } else if !digits(&siren, 9) || !siret.starts_with(&siren) {
        return Err(err("siren", format!("`{siren}` is not the first 9 digits of SIRET {siret}")));
    }
    let name = cols.get(r, 2);
    if name.is_empty() {
        return Err(err("nom", "empty name".into()));
    }
    let staff_band = non_empty(cols.get(r, 6));
    let size = match &staff_band {
        None => None,
        Some(band) => Some(
            size_from_staff_band(band)
                .ok_or_else(|| err("tranche_effectifs", format!("unknown staff band `{band}`")))?
                .to_owned(),
        ),
    };
    let creation_date = non_empty(cols.get(r, 7));
    if let Some(d) = &creation_date
        && !is_iso_date(d)
    {
        return Err(err("date_creation", format!("`{d}` is not a YYYY-MM-DD date")));
    }
    let establishments = match non_empty(cols.get(r, 11)) {
        None => None,
        Some(n) => Some(count(&n).ok_or_else(|| err("nombre_etablissements", bad_count(&n)))?),
    };
    let ess = match cols.get(r, 12).to_ascii_lowercase().as_str() {
        "true" | "1" | "oui" => true,
        "false" | "0" | "non" | "" => false,
        other => return Err(err("est_ess", format!("`{other}` is not a boolean"))),
    };
    let won = cols.get(r, 13);
    let total = cols.get(r, 14);
    let without = cols.get(r, 15);
    Ok(Supplier {
        siren,
        siret,
        name,
        legal_form_code: cols.get(r, 3),
        naf: cols.get(r, 4),
        naf_label: non_empty(cols.get(r, 5)),
        staff_band,
        size,
        creation_date,
        address: cols.get(r, 8),
        commune: cols.get(r, 9),
        departement: cols.get(r, 10),
        establishments,
        ess,
        contracts_won: count_or_zero(&won).ok_or_else(|| err("nb_marches", bad_count(&won)))?,
        contracts_total_cents: euros_to_cents(&total)
            .ok_or_else(|| err("total_marches_eur", format!("`{total}` is not an amount in euros")))?,
        contracts_without_competition: count_or_zero(&without)
            .ok_or_else(|| err("marches_sans_concurrence", bad_count(&without)))?,
    })
}

fn non_empty(s: String) -> Option<String> {
    Some(s).filter(|s| !s.is_empty())
}

fn bad_count(s: &str) -> String {
    format!("`{s}` is not a whole number")
}

fn count(s: &str) -> Option<u32> {
    // Accept a float-looking whole number ("3.0"), as pandas writes them.
    let s = s.strip_suffix(".0").unwrap_or(s);
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn count_or_zero(s: &str) -> Option<u32> {
    if s.is_empty() { Some(0) } else { count(s) }
}

/// Parses a non-negative decimal amount in euros (`"258186990.8"`, `"35340199.839999996"`,
/// empty for zero) into cents, rounding half up, without going through floating point.
fn euros_to_cents(s: &str) -> Option<i64> {
    if s.is_empty() {
        return Some(0);
    }
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let euros: i64 = int.parse().ok()?;
    let f = frac.as_bytes();
    let digit = |i: usize| f.get(i).map_or(0, |d| i64::from(d - b'0'));
    let mut cents = digit(0) * 10 + digit(1);
    if digit(2) >= 5 {
        cents += 1;
    }
    euros.checked_mul(100)?.checked_add(cents)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "siren,siret,nom,nature_juridique,activite_principale,libelle_activite,tranche_effectifs,date_creation,adresse,commune,departement,nombre_etablissements,est_association,est_ess,nb_marches,total_marches_eur,marches_sans_concurrence\r\n";

    #[test]
    fn reads_the_demo_copy() {
        let path = format!("{}/../../data/demo/fournisseurs_enrichis.csv", env!("CARGO_MANIFEST_DIR"));
        let suppliers = read_suppliers_csv(std::fs::File::open(path).unwrap()).unwrap();
        assert_eq!(suppliers.len(), 70);
        let colas = suppliers.iter().find(|s| s.siret == "32933888301136").unwrap();
        assert_eq!(colas.name, "COLAS FRANCE");
        assert_eq!(colas.siren, "329338883");
        assert_eq!(colas.naf, "42.11Z");
        assert_eq!(colas.size.as_deref(), Some("ge"));
        assert_eq!(colas.departement, "75");
        assert_eq!(colas.contracts_total_cents, 25_822_942_900);
        assert!(suppliers.iter().all(|s| s.size.is_some()));
        for size in ["pme", "eti", "ge"] {
            assert!(suppliers.iter().any(|s| s.size.as_deref() == Some(size)), "{size}");
        }
        assert_eq!(suppliers.iter().filter(|s| s.ess).count(), 3);
    }

    #[test]
    fn staff_bands() {
        assert_eq!(size_from_staff_band("NN"), Some("micro"));
        assert_eq!(size_from_staff_band("03"), Some("micro"));
        assert_eq!(size_from_staff_band("11"), Some("pme"));
        assert_eq!(size_from_staff_band("31"), Some("pme"));
        assert_eq!(size_from_staff_band("32"), Some("eti"));
        assert_eq!(size_from_staff_band("51"), Some("eti"));
        assert_eq!(size_from_staff_band("52"), Some("ge"));
        assert_eq!(size_from_staff_band(" 53 "), Some("ge"));
        assert_eq!(size_from_staff_band(""), None);
        assert_eq!(size_from_staff_band("99"), None);
    }

    #[test]
    fn amounts() {
        assert_eq!(euros_to_cents("258186990.8"), Some(25_818_699_080));
        assert_eq!(euros_to_cents("35340199.839999996"), Some(3_534_019_984));
        assert_eq!(euros_to_cents("40000.0"), Some(4_000_000));
        assert_eq!(euros_to_cents("0.005"), Some(1));
        assert_eq!(euros_to_cents("12"), Some(1200));
        assert_eq!(euros_to_cents(""), Some(0));
        assert_eq!(euros_to_cents("-3"), None);
        assert_eq!(euros_to_cents("1e6"), None);
        assert_eq!(euros_to_cents("99999999999999999999"), None);
    }

    #[test]
    fn a_broken_row_is_an_error_naming_its_line() {
        let good = "329338883,32933888301136,COLAS FRANCE,5710,42.11Z,,53,1984-01-01,1 RUE X 75015 PARIS,PARIS,75,564,False,False,2,258229429.0,0\r\n";
        let cases = [
            ("329338883,3293388830113,X,5710,42.11Z,,53,,a,c,75,1,False,False,2,1.0,0", "siret"),
            ("111111111,32933888301136,X,5710,42.11Z,,53,,a,c,75,1,False,False,2,1.0,0", "siren"),
            ("329338883,32933888301136,,5710,42.11Z,,53,,a,c,75,1,False,False,2,1.0,0", "nom"),
            ("329338883,32933888301136,X,5710,42.11Z,,77,,a,c,75,1,False,False,2,1.0,0", "tranche_effectifs"),
            ("329338883,32933888301136,X,5710,42.11Z,,53,01/01/1984,a,c,75,1,False,False,2,1.0,0", "date_creation"),
            ("329338883,32933888301136,X,5710,42.11Z,,53,,a,c,75,1,False,peut-être,2,1.0,0", "est_ess"),
            ("329338883,32933888301136,X,5710,42.11Z,,53,,a,c,75,1,False,False,deux,1.0,0", "nb_marches"),
            ("329338883,32933888301136,X,5710,42.11Z,,53,,a,c,75,1,False,False,2,1 000 €,0", "total_marches_eur"),
        ];
        for (row, column) in cases {
            let input = format!("{HEADER}{good}{row}\r\n");
            let err = read_suppliers_csv(input.as_bytes()).unwrap_err();
            assert!(matches!(&err, FormatError::Field { line: 3, column: c, .. } if *c == column), "{row}: {err}");
        }
        let input = format!("{HEADER}{good}329338883,32933888301136,X\r\n");
        let err = read_suppliers_csv(input.as_bytes()).unwrap_err();
        assert_eq!(err.line(), Some(3), "{err}");
    }
}
