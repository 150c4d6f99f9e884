//! When each consultation was created, published, closed and decided. Past consultations keep
//! their notice's real dates; open ones (whose notices are older than any open consultation
//! can be) are dated a few days back, with a deadline two to eight weeks after today.

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};

use super::people::stable_hash;
use super::plan::{Fate, Plan, Rectification};

#[derive(Debug, Clone, Copy)]
pub struct Timeline {
    pub created: Timestamp,
    pub published: Option<Timestamp>,
    pub questions_deadline: Timestamp,
    pub bid_deadline: Timestamp,
    /// When the outcome (attribuée, infructueuse, sans suite) is recorded.
    pub decided: Option<Timestamp>,
}

fn paris() -> TimeZone {
    TimeZone::get("Europe/Paris").unwrap_or(TimeZone::UTC)
}

/// `date` at `hour:minute`, Paris time.
pub fn at(date: Date, hour: i8, minute: i8) -> Timestamp {
    let time = Time::new(hour, minute, 0, 0).unwrap_or(Time::midnight());
    date.to_datetime(time).to_zoned(paris()).map(|z| z.timestamp()).unwrap_or(Timestamp::UNIX_EPOCH)
}

pub fn paris_date(ts: Timestamp) -> Date {
    ts.to_zoned(paris()).date()
}

fn days(date: Date, n: i64) -> Date {
    date.checked_add(n.days()).unwrap_or(date)
}

const DAY: SignedDuration = SignedDuration::from_hours(24);

/// The dates of `plan`, given the real current instant `now`.
pub fn timeline(plan: &Plan, now: Timestamp) -> Timeline {
    let h = i64::try_from(stable_hash(&plan.notice.idweb) % 1000).unwrap_or(0);
    let today = paris_date(now);
    let notice_day: Date = plan.notice.date_parution.parse().unwrap_or(today);
    let before_deadline =
        |deadline: Timestamp, d: i64| deadline.checked_sub(DAY * i32::try_from(d).unwrap_or(7)).unwrap_or(deadline);
    match plan.fate {
        Fate::Open => {
            let back = if plan.rectification.is_some() { 14 + h % 8 } else { 3 + h % 20 };
            let published = at(days(today, -back), 10, 0);
            let bid_deadline = at(days(today, 14 + h % 43), 12, 0);
            Timeline {
                created: at(days(today, -back - 1), 15, 30),
                published: Some(published),
                questions_deadline: before_deadline(bid_deadline, 8),
                bid_deadline,
                decided: None,
            }
        }
        Fate::Draft => {
            let bid_deadline = at(days(today, 42 + h % 14), 12, 0);
            Timeline {
                created: at(days(today, -1 - h % 5), 14, 0),
                published: None,
                questions_deadline: before_deadline(bid_deadline, 8),
                bid_deadline,
                decided: None,
            }
        }
        Fate::Attribuee => {
            let bid_deadline = at(days(notice_day, -60), 12, 0);
            Timeline {
                created: at(days(notice_day, -97), 15, 0),
                published: Some(at(days(notice_day, -95), 10, 0)),
                questions_deadline: before_deadline(bid_deadline, 7),
                bid_deadline,
                decided: Some(at(days(notice_day, -12), 10, 0)),
            }
        }
        Fate::Closed | Fate::Infructueuse | Fate::SansSuite => {
            let published = at(notice_day, 9, 30);
            let real = plan.notice.date_limite_reponse.as_deref().and_then(|d| d.parse::<Timestamp>().ok());
            let bid_deadline = real
                .filter(|d| *d > published + DAY * 7 && *d < now - DAY * 30)
                .unwrap_or_else(|| at(days(notice_day, 30), 12, 0));
            let decided = match plan.fate {
                Fate::Closed => None,
                _ => Some(at(days(paris_date(bid_deadline), 20 + h % 10), 10, 0)).filter(|d| *d < now - DAY),
            };
            Timeline {
                created: at(days(notice_day, -1), 16, 0),
                published: Some(published),
                questions_deadline: before_deadline(bid_deadline, 6),
                bid_deadline,
                decided,
            }
        }
    }
}

/// The deadline after a postponement.
pub fn postponed(t: &Timeline, r: Option<Rectification>) -> Timestamp {
    match r {
        Some(Rectification::PostponeDeadline) => t.bid_deadline + DAY * 7,
        _ => t.bid_deadline,
    }
}
