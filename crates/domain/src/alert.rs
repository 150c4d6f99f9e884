//! Saved searches (veille): how often their user hears of what they find, and when the daily
//! digest goes out.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::paris_time;

vocabulary!(
    /// When a user hears of new consultations matching a saved search, or of changes to a DCE
    /// they downloaded. `Never` keeps the search (its page, feed and calendar) without e-mails:
    /// what unsubscribing does.
    Frequency, "fréquence des alertes" {
    Immediate => "immediat", "Dès la publication";
    Daily => "quotidien", "Résumé quotidien";
    Never => "aucun", "Aucun courriel";
});

/// The daily digest goes out at this hour, Paris time: before a working day starts.
pub const DIGEST_HOUR: i8 = 7;

/// The latest digest time at or before `now` (today's at 7 h in Paris once it has passed,
/// yesterday's before), whatever the daylight-saving offset of the day.
pub fn last_digest_time(now: Timestamp) -> Timestamp {
    let today = paris_time::today(now);
    let at = |d| paris_time::at_hour(d, DIGEST_HOUR).unwrap_or(now);
    let t = at(today);
    if t <= now { t } else { today.yesterday().map(at).unwrap_or(t) }
}

/// A saved search's name: one line of at most 120 characters.
pub fn name(value: &str) -> Result<String, String> {
    let name = crate::text::required(value, "Le nom de la recherche", 120)?;
    if name.contains(['\n', '\r']) {
        return Err("Le nom de la recherche tient sur une ligne.".into());
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn digest_time_follows_paris_through_daylight_saving() {
        // Winter (UTC+1): 7 h in Paris is 6 h UTC.
        assert_eq!(last_digest_time(at("2026-12-15T06:00:00Z")), at("2026-12-15T06:00:00Z"));
        assert_eq!(last_digest_time(at("2026-12-15T05:59:59Z")), at("2026-12-14T06:00:00Z"));
        // Summer (UTC+2): 5 h UTC.
        assert_eq!(last_digest_time(at("2026-07-01T12:00:00Z")), at("2026-07-01T05:00:00Z"));
        // The last Sunday of March 2026 (29th): clocks go forward at 2 h, 7 h is 5 h UTC.
        assert_eq!(last_digest_time(at("2026-03-29T05:30:00Z")), at("2026-03-29T05:00:00Z"));
        assert_eq!(last_digest_time(at("2026-03-29T04:30:00Z")), at("2026-03-28T06:00:00Z"));
        // The last Sunday of October 2026 (25th): clocks go back at 3 h, 7 h is 6 h UTC.
        assert_eq!(last_digest_time(at("2026-10-25T06:30:00Z")), at("2026-10-25T06:00:00Z"));
        assert_eq!(last_digest_time(at("2026-10-25T05:30:00Z")), at("2026-10-24T05:00:00Z"));
    }

    #[test]
    fn names_and_frequencies() {
        assert_eq!(name("  Voirie 93 ").unwrap(), "Voirie 93");
        assert!(name("").unwrap_err().contains("obligatoire"));
        assert!(name("a\nb").is_err());
        assert!(name(&"x".repeat(121)).is_err());
        assert_eq!(Frequency::parse("quotidien").unwrap(), Frequency::Daily);
        assert!(Frequency::parse("hebdo").unwrap_err().contains("immediat, quotidien, aucun"));
    }
}
