//! iCalendar (RFC 5545) files of a consultation's deadlines, in Paris time: a `VTIMEZONE` for
//! Europe/Paris (the EU rule: summer time from the last Sunday of March to the last Sunday of
//! October, at 01:00 UTC) and each deadline as local time, so calendars show what buyers wrote.

use jiff::Timestamp;

/// One deadline of a calendar.
pub struct Deadline {
    pub uid: String,
    pub summary: String,
    pub description: String,
    pub url: String,
    pub at: Timestamp,
}

impl Deadline {
    /// A consultation's bid deadline, the same in every calendar that lists it.
    pub fn bids(host: &str, reference: &str, title: &str, buyer: &str, url: String, at: Timestamp) -> Deadline {
        Deadline {
            uid: format!("{reference}-plis@{host}"),
            summary: format!("Remise des plis : {title}"),
            description: format!("Date limite de remise des plis à {buyer} ({reference})."),
            url,
            at,
        }
    }
}

const PARIS: &str = "BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n\
BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n\
BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n\
END:VTIMEZONE\r\n";

/// Text as an iCalendar value: backslash, semicolon, comma and line breaks escaped.
fn text(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace(['\n', '\r'], "\\n")
}

/// A content line folded at 75 octets (continuation lines start with a space), on a character
/// boundary.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

fn paris_local(at: Timestamp) -> String {
    at.to_zoned(jiff::tz::TimeZone::get("Europe/Paris").unwrap_or(jiff::tz::TimeZone::UTC))
        .strftime("%Y%m%dT%H%M%S")
        .to_string()
}

/// The calendar; `stamp` is when it was made (`DTSTAMP`).
pub fn calendar(name: &str, deadlines: &[Deadline], stamp: Timestamp) -> String {
    let mut out = String::from(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Halle//Marchés publics d’Île-de-France//FR\r\nCALSCALE:GREGORIAN\r\n",
    );
    out.push_str(&fold(&format!("X-WR-CALNAME:{}", text(name))));
    out.push_str(PARIS);
    for d in deadlines {
        out.push_str("BEGIN:VEVENT\r\n");
        out.push_str(&fold(&format!("UID:{}", d.uid)));
        out.push_str(&format!("DTSTAMP:{}\r\n", stamp.strftime("%Y%m%dT%H%M%SZ")));
        out.push_str(&format!("DTSTART;TZID=Europe/Paris:{}\r\n", paris_local(d.at)));
        out.push_str(&format!("DTEND;TZID=Europe/Paris:{}\r\n", paris_local(d.at)));
        out.push_str(&fold(&format!("SUMMARY:{}", text(&d.summary))));
        out.push_str(&fold(&format!("DESCRIPTION:{}", text(&d.description))));
        out.push_str(&fold(&format!("URL:{}", d.url)));
        out.push_str("BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-P1D\r\n");
        out.push_str(&fold(&format!("DESCRIPTION:{}", text(&d.summary))));
        out.push_str("END:VALARM\r\nEND:VEVENT\r\n");
    }
    out.push_str("END:VCALENDAR\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn deadlines_in_paris_time_across_daylight_saving_changes() {
        let d = |when: &str| Deadline {
            uid: "x@halle".into(),
            summary: "Remise des plis, lots 1; 2".into(),
            description: "Ligne 1\nLigne 2".into(),
            url: "https://exemple.fr/consultations/1".into(),
            at: at(when),
        };
        // Last Sunday of March 2027 (the 28th): summer time from 02:00; last Sunday of October
        // 2026 (the 25th): winter time from 03:00.
        let ics = calendar(
            "Test",
            &[d("2027-03-28T10:00:00Z"), d("2026-10-25T11:00:00Z"), d("2027-03-27T11:00:00Z")],
            at("2026-03-10T08:00:00Z"),
        );
        assert!(ics.contains("DTSTART;TZID=Europe/Paris:20270328T120000\r\n"), "{ics}");
        assert!(ics.contains("DTSTART;TZID=Europe/Paris:20261025T120000\r\n"), "{ics}");
        assert!(ics.contains("DTSTART;TZID=Europe/Paris:20270327T120000\r\n"), "{ics}");
        assert!(ics.contains("SUMMARY:Remise des plis\\, lots 1\\; 2\r\n"));
        assert!(ics.contains("DESCRIPTION:Ligne 1\\nLigne 2\r\n"));
        assert!(ics.lines().all(|l| l.len() <= 75), "folded");
    }

    #[test]
    fn long_lines_fold_on_character_boundaries() {
        let folded = fold(&format!("SUMMARY:{}", "é".repeat(60)));
        assert!(folded.split("\r\n").all(|l| l.len() <= 75));
        assert_eq!(folded.replace("\r\n ", "").trim_end(), format!("SUMMARY:{}", "é".repeat(60)));
    }
}
