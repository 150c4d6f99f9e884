//! Monthly insertion hours reported by the firm for a placement: one line typed in a form, or
//! many in a CSV file (`placement;mois;heures`) where an error names its line and its field and
//! nothing is taken from a file with an error.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::FieldErrors;

vocabulary!(
    /// Where a month's report stands: declared by the firm, then validated or refused by the
    /// facilitator. Only validated hours count.
    ReportStatus, "état du relevé" {
    Declaree => "declaree", "Déclarées, à valider";
    Validee => "validee", "Validées";
    Refusee => "refusee", "Refusées";
});

/// The most hours anyone works in a month (31 days × 24 h): beyond is a typing error.
const MAX_MONTH_HOURS: i64 = 744;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HoursLine {
    /// The line of the file (1 for a form).
    pub line: usize,
    pub placement_id: i64,
    /// The first day of the month.
    pub month: Date,
    pub hours: i64,
}

/// `2027-03` → 1 March 2027; not after `current` (the month now, in Paris).
pub fn month(text: &str, current: Date) -> Result<Date, String> {
    let t = text.trim();
    let err = || format!("« {t} » : le mois attendu a la forme 2027-03.");
    let (y, m) = t.split_once('-').ok_or_else(err)?;
    if y.len() != 4 || m.len() != 2 {
        return Err(err());
    }
    let (y, m): (i16, i8) = (y.parse().map_err(|_| err())?, m.parse().map_err(|_| err())?);
    let d = Date::new(y, m, 1).map_err(|_| err())?;
    if d > current.first_of_month() {
        return Err(format!("« {t} » : on ne déclare pas les heures d’un mois à venir."));
    }
    Ok(d)
}

/// Whole hours in a month.
pub fn hours(text: &str) -> Result<i64, String> {
    let t = text.trim();
    t.parse::<i64>()
        .ok()
        .filter(|h| (0..=MAX_MONTH_HOURS).contains(h))
        .ok_or_else(|| format!("« {t} » : le nombre d’heures est un entier entre 0 et {MAX_MONTH_HOURS}."))
}

/// `2027-03` as French words: `mars 2027`.
pub fn format_month(d: Date) -> String {
    let day = crate::paris_time::format_day(d);
    day.split_once(' ').map(|(_, rest)| rest.to_string()).unwrap_or(day)
}

/// An error of the file, named by its line and column.
fn located<T>(e: &mut FieldErrors, line: usize, column: &str, r: Result<T, String>) -> Option<T> {
    e.check("file", r.map_err(|m| format!("Ligne {line}, colonne « {column} » : {m}")))
}

/// Reads a CSV file of hours: a header line naming `placement`, `mois` and `heures` (in any
/// order, `;` or `,` separated), then one line per placement and month. Any error fails the
/// whole file, each one named `ligne N, colonne « … »`.
pub fn parse_csv(text: &str, current: Date) -> Result<Vec<HoursLine>, FieldErrors> {
    let mut e = FieldErrors::default();
    let text = text.trim_start_matches('\u{feff}');
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.contains(';') { b';' } else { b',' };
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|h| h.trim().to_lowercase()).collect(),
        Err(_) => vec![],
    };
    let column = |name: &str| headers.iter().position(|h| h == name);
    let (Some(p), Some(m), Some(h)) = (column("placement"), column("mois"), column("heures")) else {
        e.push("file", "La première ligne du fichier doit nommer les colonnes placement, mois et heures.");
        return Err(e);
    };
    let mut lines = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let n = i + 2;
        let record = match record {
            Ok(r) => r,
            Err(err) => {
                e.push("file", format!("Ligne {n} : illisible ({err})."));
                continue;
            }
        };
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |c: usize| record.get(c).unwrap_or("");
        let placement = located(
            &mut e,
            n,
            "placement",
            cell(p)
                .trim()
                .parse::<i64>()
                .map_err(|_| format!("« {} » n’est pas un numéro de placement.", cell(p).trim())),
        );
        let month = located(&mut e, n, "mois", month(cell(m), current));
        let hours = located(&mut e, n, "heures", hours(cell(h)));
        if let (Some(placement_id), Some(month), Some(hours)) = (placement, month, hours) {
            if lines.iter().any(|l: &HoursLine| l.placement_id == placement_id && l.month == month) {
                e.push("file", format!("Ligne {n} : le placement {placement_id} a déjà une ligne pour ce mois."));
            }
            lines.push(HoursLine { line: n, placement_id, month, hours });
        }
    }
    if lines.is_empty() && e.is_empty() {
        e.push("file", "Le fichier ne contient aucune ligne d’heures.");
    }
    if e.is_empty() { Ok(lines) } else { Err(e) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Date {
        "2027-04-15".parse().unwrap()
    }

    #[test]
    fn months_and_hours() {
        assert_eq!(month("2027-03", now()).unwrap().to_string(), "2027-03-01");
        assert_eq!(month("2027-04", now()).unwrap().to_string(), "2027-04-01");
        assert!(month("2027-05", now()).unwrap_err().contains("mois à venir"));
        assert!(month("03/2027", now()).is_err());
        assert!(month("2027-13", now()).is_err());
        assert_eq!(hours("151"), Ok(151));
        assert!(hours("800").is_err() && hours("-1").is_err() && hours("7,5").is_err());
        assert_eq!(format_month("2027-03-01".parse().unwrap()), "mars 2027");
    }

    #[test]
    fn a_csv_file() {
        let lines =
            parse_csv("\u{feff}placement;mois;heures\n3;2027-02;120\n3;2027-03;151\n\n4;2027-03;35\n", now()).unwrap();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[1], HoursLine { line: 3, placement_id: 3, month: "2027-03-01".parse().unwrap(), hours: 151 });
        let comma = parse_csv("mois,heures,placement\n2027-01,10,7\n", now()).unwrap();
        assert_eq!(comma[0].placement_id, 7);
    }

    #[test]
    fn a_csv_error_names_its_line_and_column() {
        let e =
            parse_csv("placement;mois;heures\n3;2027-02;120\n3;2027-03;beaucoup\nx;2027-13;5\n", now()).unwrap_err();
        let messages: Vec<&str> = e.0.iter().map(|f| f.message.as_str()).collect();
        assert!(
            messages.contains(
                &"Ligne 3, colonne « heures » : « beaucoup » : le nombre d’heures est un entier entre 0 et 744."
            ),
            "{messages:?}"
        );
        assert!(messages.iter().any(|m| m.starts_with("Ligne 4, colonne « placement »")));
        assert!(messages.iter().any(|m| m.starts_with("Ligne 4, colonne « mois »")));
        assert!(
            parse_csv("nom;prénom\nx;y\n", now())
                .unwrap_err()
                .get("file")
                .unwrap()
                .contains("placement, mois et heures")
        );
        assert!(parse_csv("placement;mois;heures\n3;2027-02;1\n3;2027-02;2\n", now()).is_err(), "twice the same month");
    }
}
