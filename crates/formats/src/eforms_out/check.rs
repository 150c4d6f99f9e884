//! Checks of the input values, each giving the text to write or a [`NoticeError`] naming the
//! field.

use super::NoticeError;

fn invalid(field: &str, value: &str, expected: &'static str) -> NoticeError {
    NoticeError::Invalid { field: field.to_string(), value: value.to_string(), expected }
}

fn missing(field: &str) -> NoticeError {
    NoticeError::Missing { field: field.to_string() }
}

/// A required text: trimmed, not blank, without characters XML 1.0 cannot carry.
pub(super) fn text<'a>(field: &str, value: &'a str) -> Result<&'a str, NoticeError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(missing(field));
    }
    if value.chars().any(|c| (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{FFFE}' || c == '\u{FFFF}')
    {
        return Err(invalid(field, value, "un texte sans caractère de contrôle"));
    }
    Ok(value)
}

/// An optional text: blank counts as absent.
pub(super) fn optional<'a>(field: &str, value: Option<&'a str>) -> Result<Option<&'a str>, NoticeError> {
    match value {
        Some(v) if !v.trim().is_empty() => text(field, v).map(Some),
        _ => Ok(None),
    }
}

/// A UUID: 8-4-4-4-12 hexadecimal digits.
pub(super) fn uuid<'a>(field: &str, value: &'a str) -> Result<&'a str, NoticeError> {
    let v = text(field, value)?;
    let groups: Vec<&str> = v.split('-').collect();
    let lengths = [8, 4, 4, 4, 12];
    let ok = groups.len() == 5
        && groups.iter().zip(lengths).all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()));
    if ok { Ok(v) } else { Err(invalid(field, v, "un identifiant UUID (8-4-4-4-12 chiffres hexadécimaux)")) }
}

/// `LOT-` and four digits.
pub(super) fn lot_id<'a>(field: &str, value: &'a str) -> Result<&'a str, NoticeError> {
    let v = text(field, value)?;
    match v.strip_prefix("LOT-") {
        Some(n) if n.len() == 4 && n.bytes().all(|b| b.is_ascii_digit()) => Ok(v),
        _ => Err(invalid(field, v, "un identifiant de lot de la forme LOT-0001")),
    }
}

/// ISO 3166-1 alpha-3, upper case.
pub(super) fn country<'a>(field: &str, value: &'a str) -> Result<&'a str, NoticeError> {
    let v = text(field, value)?;
    if v.len() == 3 && v.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(v)
    } else {
        Err(invalid(field, v, "un code pays ISO à trois lettres (FRA)"))
    }
}

/// A SIRET (14 digits, Luhn, or La Poste's rule) in France; any identifier elsewhere. Spaces
/// are dropped.
pub(super) fn siret(field: &str, value: &str, country: &str) -> Result<String, NoticeError> {
    let v = text(field, value)?;
    if country != "FRA" {
        return Ok(v.to_string());
    }
    let digits: String = v.chars().filter(|c| *c != ' ').collect();
    let ok = digits.len() == 14 && digits.bytes().all(|b| b.is_ascii_digit()) && {
        let d: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
        luhn_valid(&d) || (digits.starts_with("356000000") && d.iter().sum::<u32>() % 5 == 0)
    };
    if ok { Ok(digits) } else { Err(invalid(field, v, "un SIRET valide (14 chiffres)")) }
}

fn luhn_valid(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| {
            if i % 2 == 1 {
                let y = x * 2;
                if y > 9 { y - 9 } else { y }
            } else {
                x
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// A NUTS 3 code: two letters and three letters or digits, `FR` and three in France.
pub(super) fn nuts<'a>(field: &str, value: &'a str, country: &str) -> Result<&'a str, NoticeError> {
    let v = text(field, value)?;
    let b = v.as_bytes();
    let ok = b.len() == 5
        && b[..2].iter().all(u8::is_ascii_uppercase)
        && b[2..].iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && (country != "FRA" || v.starts_with("FR"));
    if ok { Ok(v) } else { Err(invalid(field, v, "un code NUTS de niveau 3 (par exemple FR101)")) }
}

/// Five digits in France, any text elsewhere.
pub(super) fn postcode<'a>(field: &str, value: &'a str, country: &str) -> Result<&'a str, NoticeError> {
    let v = text(field, value)?;
    if country != "FRA" || (v.len() == 5 && v.bytes().all(|b| b.is_ascii_digit())) {
        Ok(v)
    } else {
        Err(invalid(field, v, "un code postal à cinq chiffres"))
    }
}

/// `local@domain`, without spaces.
pub(super) fn email<'a>(field: &str, value: &'a str) -> Result<&'a str, NoticeError> {
    let v = text(field, value)?;
    let ok = match v.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty() && domain.contains('.') && !domain.contains('@') && !v.contains(char::is_whitespace)
        }
        None => false,
    };
    if ok { Ok(v) } else { Err(invalid(field, v, "une adresse électronique")) }
}

/// Digits, spaces, `+`, `.`, `-`, parentheses; at least 6 digits.
pub(super) fn phone<'a>(field: &str, value: &'a str) -> Result<&'a str, NoticeError> {
    let v = text(field, value)?;
    let ok = v.chars().all(|c| c.is_ascii_digit() || " +.-()".contains(c))
        && v.chars().filter(char::is_ascii_digit).count() >= 6;
    if ok { Ok(v) } else { Err(invalid(field, v, "un numéro de téléphone")) }
}

/// An `http(s)://` URL without spaces.
pub(super) fn url<'a>(field: &str, value: &'a str) -> Result<&'a str, NoticeError> {
    let v = text(field, value)?;
    let rest = v.strip_prefix("https://").or_else(|| v.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !v.contains(char::is_whitespace) => Ok(v),
        _ => Err(invalid(field, v, "une adresse web commençant par https://")),
    }
}

/// A CPV code, `12345678` or `12345678-9`; gives the 8 digits.
pub(super) fn cpv<'a>(field: &str, value: &'a str) -> Result<&'a str, NoticeError> {
    let v = text(field, value)?;
    let code = match v.split_once('-') {
        Some((code, check)) if check.len() == 1 && check.bytes().all(|b| b.is_ascii_digit()) => code,
        Some(_) => "",
        None => v,
    };
    if code.len() == 8 && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(code)
    } else {
        Err(invalid(field, v, "un code CPV à 8 chiffres"))
    }
}

/// Cents as euros with two decimals: `123456` → `1234.56`.
pub(super) fn amount(field: &str, cents: i64) -> Result<String, NoticeError> {
    if cents < 0 {
        return Err(NoticeError::NegativeAmount { field: field.to_string(), cents });
    }
    Ok(format!("{}.{:02}", cents / 100, cents % 100))
}

fn number(b: &[u8]) -> Option<u32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        _ => 0,
    }
}

/// `YYYY-MM-DD`, a day that exists.
fn ymd(b: &[u8]) -> Option<(u32, u32, u32)> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (number(&b[..4])?, number(&b[5..7])?, number(&b[8..10])?);
    (y >= 1900 && (1..=12).contains(&m) && (1..=days_in_month(y, m)).contains(&d)).then_some((y, m, d))
}

/// An RFC 3339 date-time `YYYY-MM-DDTHH:MM:SS(Z|±HH:MM)` as the eForms date and time, each
/// with the offset: (`2026-04-15+02:00`, `12:00:00+02:00`).
pub(super) fn date_time(field: &str, value: &str) -> Result<(String, String), NoticeError> {
    let v = text(field, value)?;
    let b = v.as_bytes();
    let parsed = (|| {
        ymd(b.get(..10)?)?;
        let t = b.get(10..19)?;
        if t[0] != b'T' || t[3] != b':' || t[6] != b':' {
            return None;
        }
        let (h, mi, s) = (number(&t[1..3])?, number(&t[4..6])?, number(&t[7..9])?);
        if h > 23 || mi > 59 || s > 59 {
            return None;
        }
        let offset = v.get(19..)?;
        let ob = offset.as_bytes();
        let offset_ok = offset == "Z"
            || (ob.len() == 6
                && matches!(ob[0], b'+' | b'-')
                && ob[3] == b':'
                && number(&ob[1..3]).is_some_and(|oh| oh <= 14)
                && number(&ob[4..6]).is_some_and(|om| om <= 59));
        offset_ok.then(|| (format!("{}{offset}", &v[..10]), format!("{}{offset}", &v[11..19])))
    })();
    parsed.ok_or_else(|| invalid(field, v, "une date et heure de la forme 2026-04-15T12:00:00+02:00"))
}

/// A date `YYYY-MM-DD`, written with the Paris offset of that day (`+02:00` from the last
/// Sunday of March to the day before the last Sunday of October, `+01:00` otherwise).
pub(super) fn paris_date(field: &str, value: &str) -> Result<String, NoticeError> {
    let v = text(field, value)?;
    let (y, m, d) = ymd(v.as_bytes()).ok_or_else(|| invalid(field, v, "une date de la forme 2026-06-30"))?;
    let summer = match m {
        4..=9 => true,
        3 => d >= last_sunday(y, 3),
        10 => d < last_sunday(y, 10),
        _ => false,
    };
    Ok(format!("{v}{}", if summer { "+02:00" } else { "+01:00" }))
}

/// The day of the month of the last Sunday of a 31-day month.
fn last_sunday(year: u32, month: u32) -> u32 {
    // Zeller-like: days since 1970-01-01 (a Thursday) of the month's 31st.
    let days_before_year: u64 = (1970..year).map(|y| if days_in_month(y, 2) == 29 { 366 } else { 365 }).sum();
    let days_before_month: u64 = (1..month).map(|mo| u64::from(days_in_month(year, mo))).sum();
    let day31 = days_before_year + days_before_month + 30;
    let weekday = (day31 + 4) % 7; // 0 = Sunday
    31 - weekday as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sirets_follow_luhn_and_la_poste() {
        assert_eq!(siret("f", "732 829 320 00074", "FRA").unwrap(), "73282932000074");
        assert!(siret("f", "73282932000075", "FRA").is_err());
        assert!(siret("f", "35600000000048", "FRA").is_ok());
        assert!(siret("f", "7328293200007", "FRA").is_err());
        assert_eq!(siret("f", "HRB 1234", "DEU").unwrap(), "HRB 1234");
    }

    #[test]
    fn dates_and_times_carry_their_offset() {
        assert_eq!(
            date_time("f", "2026-04-15T12:00:00+02:00").unwrap(),
            ("2026-04-15+02:00".to_string(), "12:00:00+02:00".to_string())
        );
        assert_eq!(date_time("f", "2019-06-24T16:00:00Z").unwrap().1, "16:00:00Z");
        for bad in [
            "2026-02-30T12:00:00Z",
            "2026-04-15 12:00:00Z",
            "2026-04-15T24:00:00Z",
            "2026-04-15T12:00:00",
            "2026-04-15T12:00:00.5Z",
            "2026-04-15T12:00:00+2:00",
        ] {
            assert!(date_time("f", bad).is_err(), "{bad}");
        }
        assert_eq!(paris_date("f", "2026-03-28").unwrap(), "2026-03-28+01:00");
        assert_eq!(paris_date("f", "2026-03-29").unwrap(), "2026-03-29+02:00");
        assert_eq!(paris_date("f", "2026-10-24").unwrap(), "2026-10-24+02:00");
        assert_eq!(paris_date("f", "2026-10-25").unwrap(), "2026-10-25+01:00");
        assert_eq!(paris_date("f", "2024-03-31").unwrap(), "2024-03-31+02:00");
        assert!(paris_date("f", "2026-13-01").is_err());
    }

    #[test]
    fn amounts_have_two_decimals() {
        assert_eq!(amount("f", 0).unwrap(), "0.00");
        assert_eq!(amount("f", 123_456).unwrap(), "1234.56");
        assert_eq!(amount("f", 5).unwrap(), "0.05");
        assert_eq!(amount("f", i64::MAX).unwrap(), "92233720368547758.07");
        assert!(matches!(amount("f", -1), Err(NoticeError::NegativeAmount { cents: -1, .. })));
    }

    #[test]
    fn codes_have_their_form() {
        assert_eq!(cpv("f", "45000000-7").unwrap(), "45000000");
        assert!(cpv("f", "4500000").is_err() && cpv("f", "45000000-77").is_err());
        assert!(
            nuts("f", "FR101", "FRA").is_ok() && nuts("f", "DE300", "FRA").is_err() && nuts("f", "FR1", "FRA").is_err()
        );
        assert!(lot_id("f", "LOT-0001").is_ok() && lot_id("f", "LOT-1").is_err());
        assert!(uuid("f", "da4d46e9-490b-41ff-a2ae-8166d356a619").is_ok() && uuid("f", "da4d46e9").is_err());
        assert!(text("f", "a\u{0}b").is_err() && text("f", "  ").is_err());
        assert!(url("f", "https://x.fr/dce").is_ok() && url("f", "ftp://x").is_err() && url("f", "https://").is_err());
    }
}
