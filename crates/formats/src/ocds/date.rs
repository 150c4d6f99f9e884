//! RFC 3339 instants: the shape check, and the little calendar arithmetic contract periods
//! need (adding months, counting days), without a date crate.

/// An RFC 3339 date-time with an explicit offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Instant {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    /// Seconds since local midnight.
    pub seconds_of_day: i64,
    /// Offset from UTC in seconds (`+01:00` → 3600).
    pub offset: i64,
}

impl Instant {
    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; the fraction is accepted and dropped.
    /// The error is a French sentence for the caller's message.
    pub fn parse(s: &str) -> Result<Instant, String> {
        let bad = || format!("`{s}` n'est pas une date-heure RFC 3339 avec fuseau (ex. 2026-03-02T12:00:00+01:00)");
        let b = s.as_bytes();
        if b.len() < 20 || !s.is_ascii() {
            return Err(bad());
        }
        let num = |range: std::ops::Range<usize>| -> Option<i64> {
            let part = &s[range];
            part.bytes().all(|c| c.is_ascii_digit()).then(|| part.parse().ok()).flatten()
        };
        let seps = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
        if seps.iter().any(|&(i, c)| b[i] != c) || !matches!(b[10], b'T' | b't') {
            return Err(bad());
        }
        let (Some(year), Some(month), Some(day), Some(hour), Some(minute), Some(second)) =
            (num(0..4), num(5..7), num(8..10), num(11..13), num(14..16), num(17..19))
        else {
            return Err(bad());
        };
        let mut rest = &s[19..];
        if let Some(frac) = rest.strip_prefix('.') {
            let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return Err(bad());
            }
            rest = &frac[digits..];
        }
        let offset = match rest {
            "Z" | "z" => 0,
            _ if rest.len() == 6 && matches!(&rest[..1], "+" | "-") && &rest[3..4] == ":" => {
                let (Some(h), Some(m)) = (num(s.len() - 5..s.len() - 3), num(s.len() - 2..s.len())) else {
                    return Err(bad());
                };
                if h > 23 || m > 59 {
                    return Err(bad());
                }
                let sign = if rest.starts_with('-') { -1 } else { 1 };
                sign * (h * 3600 + m * 60)
            }
            _ => return Err(bad()),
        };
        let (month, day) = (month as u32, day as u32);
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return Err(format!("`{s}` : la date n'existe pas"));
        }
        if hour > 23 || minute > 59 || second > 59 {
            return Err(format!("`{s}` : l'heure n'existe pas"));
        }
        Ok(Instant { year, month, day, seconds_of_day: hour * 3600 + minute * 60 + second, offset })
    }

    /// Seconds since 1970-01-01T00:00:00Z.
    pub fn unix(&self) -> i64 {
        days_from_civil(self.year, self.month, self.day) * 86_400 + self.seconds_of_day - self.offset
    }

    /// The same local time `months` calendar months later, the day clamped to the month's
    /// length (31 January + 1 month = 28 or 29 February).
    pub fn add_months(&self, months: u32) -> Instant {
        let index = self.year * 12 + i64::from(self.month - 1) + i64::from(months);
        let (year, month) = (index.div_euclid(12), index.rem_euclid(12) as u32 + 1);
        Instant { year, month, day: self.day.min(days_in_month(year, month)), ..*self }
    }

    /// Whole calendar days from `self`'s local date to `other`'s.
    pub fn days_until(&self, other: &Instant) -> i64 {
        days_from_civil(other.year, other.month, other.day) - days_from_civil(self.year, self.month, self.day)
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` for a Unix time.
pub(crate) fn format_utc(unix: i64) -> String {
    let (days, secs) = (unix.div_euclid(86_400), unix.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs / 60 % 60, secs % 60)
}

/// `YYYYMMDDTHHMMSSZ`: a compact UTC stamp for release identifiers.
pub(crate) fn compact_utc(unix: i64) -> String {
    format_utc(unix).replace(['-', ':'], "")
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_offsets_and_fractions() {
        let paris = Instant::parse("2026-03-02T12:00:00+01:00").unwrap();
        assert_eq!(format_utc(paris.unix()), "2026-03-02T11:00:00Z");
        let utc = Instant::parse("2026-03-02T11:00:00.250Z").unwrap();
        assert_eq!(paris.unix(), utc.unix());
        assert_eq!(compact_utc(paris.unix()), "20260302T110000Z");
    }

    #[test]
    fn refuses_what_is_not_rfc_3339_with_offset() {
        for bad in [
            "",
            "2026-03-02",
            "2026-03-02T12:00:00",
            "2026-03-02 12:00:00Z",
            "2026-02-30T12:00:00Z",
            "2026-03-02T24:00:00Z",
            "2026-03-02T12:00:00+1:00",
            "2026-03-02T12:00:00.Z",
            "2026-03-02T12:00:00+01:00x",
            "２026-03-02T12:00:00Z",
        ] {
            assert!(Instant::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn months_and_days() {
        let start = Instant::parse("2026-01-31T00:00:00+01:00").unwrap();
        let end = start.add_months(1);
        assert_eq!((end.year, end.month, end.day), (2026, 2, 28));
        assert_eq!(start.days_until(&end), 28);
        let leap = Instant::parse("2027-05-15T10:00:00+02:00").unwrap().add_months(9);
        assert_eq!((leap.year, leap.month, leap.day), (2028, 2, 15));
        let year = Instant::parse("2026-05-15T10:00:00+02:00").unwrap();
        assert_eq!(year.days_until(&year.add_months(12)), 365);
        for days in [-800_000, -1, 0, 59, 10_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
