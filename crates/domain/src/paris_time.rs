//! Deadlines are instants; people type and read them in Europe/Paris local time.

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};

fn paris() -> TimeZone {
    TimeZone::get("Europe/Paris").expect("the bundled time zone database has Europe/Paris")
}

/// Parses a local Paris date-time as typed in a form (`2026-12-15T12:00`) or an RFC 3339
/// instant with offset (`2026-12-15T12:00:00+01:00`, API).
pub fn parse(input: &str) -> Result<Timestamp, String> {
    let s = input.trim();
    if s.is_empty() {
        return Err("La date est obligatoire.".into());
    }
    if let Ok(ts) = s.parse::<Timestamp>() {
        return Ok(ts);
    }
    let dt: DateTime = s.parse().map_err(|_| {
        format!("« {s} » n’est pas une date valide : attendu par exemple 2026-12-15T12:00 (heure de Paris).")
    })?;
    dt.to_zoned(paris()).map(|z| z.timestamp()).map_err(|_| format!("« {s} » n’est pas une heure qui existe à Paris."))
}

fn zoned(ts: Timestamp) -> Zoned {
    ts.to_zoned(paris())
}

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// `15 décembre 2026 à 12 h 00` (Paris time).
pub fn format_long(ts: Timestamp) -> String {
    let z = zoned(ts);
    format!("{} à {} h {:02}", format_date(ts), z.hour(), z.minute())
}

/// `15 décembre 2026` (Paris date); the first of the month is written `1er`.
pub fn format_date(ts: Timestamp) -> String {
    format_day(zoned(ts).date())
}

/// `15 décembre 2026`, `1er mars 2027`: a calendar date.
pub fn format_day(d: jiff::civil::Date) -> String {
    let day = if d.day() == 1 { "1er".to_string() } else { d.day().to_string() };
    format!("{day} {} {}", MONTHS[usize::try_from(d.month() - 1).unwrap_or(0)], d.year())
}

/// The calendar date in Paris at this instant.
pub fn today(ts: Timestamp) -> jiff::civil::Date {
    zoned(ts).date()
}

/// `2026-12-15T12:00`, the value of an `<input type="datetime-local">` in Paris time.
pub fn format_input(ts: Timestamp) -> String {
    zoned(ts).strftime("%Y-%m-%dT%H:%M").to_string()
}

/// ISO 8601 with the Paris offset, for the API and machine-readable `<time>` elements.
pub fn format_iso(ts: Timestamp) -> String {
    zoned(ts).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// The calendar year in Paris, for references.
pub fn year(ts: Timestamp) -> i16 {
    zoned(ts).year()
}

pub fn from_seconds(s: i64) -> Timestamp {
    Timestamp::from_second(s).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// An hour of a calendar day in Paris, as an instant.
pub fn at_hour(date: jiff::civil::Date, hour: i8) -> Result<Timestamp, String> {
    date.at(hour, 0, 0, 0).to_zoned(paris()).map(|z| z.timestamp()).map_err(|e| format!("{date} {hour} h : {e}"))
}

/// The start of a calendar day in Paris (a notification date as an instant).
pub fn start_of_day(date: jiff::civil::Date) -> Result<Timestamp, String> {
    date.to_zoned(paris()).map(|z| z.timestamp()).map_err(|e| format!("{date} : {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_winter_and_summer() {
        let winter = parse("2026-12-15T12:00").unwrap();
        assert_eq!(winter.to_string(), "2026-12-15T11:00:00Z");
        let summer = parse("2026-07-01T12:00").unwrap();
        assert_eq!(summer.to_string(), "2026-07-01T10:00:00Z");
        assert_eq!(format_long(winter), "15 décembre 2026 à 12 h 00");
        assert_eq!(format_input(summer), "2026-07-01T12:00");
        assert_eq!(format_iso(winter), "2026-12-15T12:00:00+01:00");
    }

    #[test]
    fn rfc3339_and_errors() {
        assert_eq!(parse("2026-12-15T12:00:00+01:00").unwrap(), parse("2026-12-15T12:00").unwrap());
        assert!(parse("").is_err());
        assert!(parse("demain").is_err());
        assert!(parse("2026-13-01T10:00").is_err());
    }

    #[test]
    fn first_of_month() {
        assert_eq!(format_date(parse("2027-03-01T09:00").unwrap()), "1er mars 2027");
    }
}
