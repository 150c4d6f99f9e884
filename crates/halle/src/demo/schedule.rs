//! Everything that happens to the demo consultations, as dated steps in chronological order,
//! so that the audit log reads like a real portal's history.

use app::StatusChange;
use jiff::{SignedDuration, Timestamp};

use domain::consultation::Procedure;

use super::buyers::DEMO_BUYER;
use super::input::procedure;
use super::people::stable_hash;
use super::plan::{Fate, Plan};
use super::qa::QUESTIONS;
use super::timeline::Timeline;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Downloader {
    Anonymous,
    AnonymousWithEmail(String),
    /// Index of the firm in the registrations.
    Firm(usize),
}

#[derive(Debug, Clone)]
pub enum Action {
    Create(usize),
    /// The plan and the index of the document in its DCE.
    AddDocument(usize, usize),
    Publish(usize),
    Download {
        plan: usize,
        who: Downloader,
    },
    Ask {
        plan: usize,
        firm: usize,
        qa: usize,
        key: usize,
    },
    Answer {
        plan: usize,
        qa: usize,
        key: usize,
    },
    Rectify(usize),
    /// A firm deposits a pli; `version` counts its deposits on that consultation.
    Deposit {
        plan: usize,
        firm: usize,
        version: usize,
    },
    Decide(usize, StatusChange),
}

#[derive(Debug, Clone)]
pub struct Step {
    pub at: Timestamp,
    pub action: Action,
}

const MINUTE: SignedDuration = SignedDuration::from_mins(1);
const MARGIN: SignedDuration = SignedDuration::from_hours(2);

/// `start` plus `num/den` of the way to `end`.
fn between(start: Timestamp, end: Timestamp, num: i32, den: i32) -> Timestamp {
    let span = end.duration_since(start);
    start + span / den * num
}

struct Builder {
    steps: Vec<Step>,
    firms: usize,
    next_firm: usize,
    next_question: usize,
    anonymous: usize,
}

impl Builder {
    fn push(&mut self, at: Timestamp, action: Action) {
        self.steps.push(Step { at, action });
    }

    /// Another firm than the demo one, in turn.
    fn firm(&mut self) -> usize {
        self.next_firm = self.next_firm % (self.firms - 1) + 1;
        self.next_firm
    }

    fn downloads(&mut self, p: usize, plan: &Plan, t: &Timeline, published: Timestamp, now: Timestamp, h: u64) {
        let end = t.bid_deadline.min(now - MARGIN);
        let count = 2 + i32::try_from(h % 4).unwrap_or(0);
        for j in 0..count {
            let who = if j == 0 && plan.org == DEMO_BUYER {
                Downloader::Firm(0)
            } else {
                match (i64::from(j) + i64::try_from(h % 3).unwrap_or(0)) % 3 {
                    0 => Downloader::Anonymous,
                    1 => {
                        self.anonymous += 1;
                        Downloader::AnonymousWithEmail(format!("veille+{}@demo.halle.test", self.anonymous))
                    }
                    _ => Downloader::Firm(self.firm()),
                }
            };
            self.push(between(published, end, j + 1, count + 1), Action::Download { plan: p, who });
        }
    }

    /// Plis before the deadline (a few firms, the demo firm on the demo buyer's
    /// consultations, one of which deposits a second, replacing version), and, on closed
    /// consultations of the demo buyer, one late pli.
    fn deposits(&mut self, p: usize, plan: &Plan, t: &Timeline, published: Timestamp, now: Timestamp, h: u64) {
        let end = t.bid_deadline.min(now - MARGIN);
        if end <= published + MARGIN {
            return;
        }
        let count = 1 + i32::try_from(h % 3).unwrap_or(0);
        for j in 0..count {
            let firm = if j == 0 && plan.org == DEMO_BUYER { 0 } else { self.firm() };
            let at = between(published, end, 2 * j + 3, 2 * count + 4);
            self.push(at, Action::Deposit { plan: p, firm, version: 1 });
            if j == 0 && plan.org == DEMO_BUYER {
                self.push(between(at, end, 1, 2), Action::Deposit { plan: p, firm, version: 2 });
            }
        }
        if plan.org == DEMO_BUYER && t.bid_deadline + MARGIN < now {
            let late = t.bid_deadline + SignedDuration::from_mins(7);
            let firm = self.firm();
            self.push(late, Action::Deposit { plan: p, firm, version: 1 });
        }
    }

    fn questions(&mut self, p: usize, plan: &Plan, t: &Timeline, published: Timestamp, now: Timestamp, h: u64) {
        let demo_showcase = plan.org == DEMO_BUYER && plan.lots > 0;
        if plan.org != DEMO_BUYER && h.is_multiple_of(3) {
            return;
        }
        let end = t.questions_deadline.min(now - MARGIN);
        if end <= published + MARGIN {
            return;
        }
        let count = if demo_showcase { 2 } else { 1 + i32::try_from(h % 2).unwrap_or(0) };
        let mut qa = usize::try_from(h).unwrap_or(0) % QUESTIONS.len();
        for j in 0..count {
            while QUESTIONS[qa].needs_lots && plan.lots == 0 {
                qa = (qa + 1) % QUESTIONS.len();
            }
            let firm = if (demo_showcase && j == 0) || (plan.org == DEMO_BUYER && !demo_showcase && j == 1) {
                0
            } else {
                self.firm()
            };
            let key = self.next_question;
            self.next_question += 1;
            let asked = between(published, end, j + 1, count + 2);
            self.push(asked, Action::Ask { plan: p, firm, qa, key });
            let answered = if demo_showcase { j == 0 } else { (h + u64::try_from(j).unwrap_or(0)) % 4 != 3 };
            if answered {
                self.push(asked + (end.duration_since(asked) / 3).max(MINUTE), Action::Answer { plan: p, qa, key });
            }
            qa = (qa + 3) % QUESTIONS.len();
        }
    }
}

/// All steps, sorted by date. `firms` is the number of registered firms (the demo one first).
pub fn steps(plans: &[Plan], timelines: &[Timeline], firms: usize, now: Timestamp) -> Vec<Step> {
    let mut b = Builder { steps: Vec::new(), firms: firms.max(2), next_firm: 0, next_question: 0, anonymous: 0 };
    for (p, (plan, t)) in plans.iter().zip(timelines).enumerate() {
        let h = stable_hash(&plan.notice.url);
        b.push(t.created, Action::Create(p));
        let documents = match (plan.fate, procedure(&plan.notice)) {
            (Fate::Draft, _) => 1,
            (_, Procedure::Mapa) => 2,
            _ => 3,
        };
        for d in 0..documents {
            b.push(t.created + MINUTE * (7 * (i32::try_from(d).unwrap_or(0) + 1)), Action::AddDocument(p, d));
        }
        let Some(published) = t.published else { continue };
        b.push(published, Action::Publish(p));
        b.downloads(p, plan, t, published, now, h);
        b.questions(p, plan, t, published, now, h);
        b.deposits(p, plan, t, published, now, h);
        if plan.rectification.is_some() {
            b.push(between(published, now - MARGIN, 3, 5), Action::Rectify(p));
        }
        let change = match plan.fate {
            Fate::Attribuee => Some(StatusChange::Attribuee),
            Fate::Infructueuse => Some(StatusChange::Infructueuse),
            Fate::SansSuite => Some(StatusChange::SansSuite),
            _ => None,
        };
        if let (Some(change), Some(at)) = (change, t.decided) {
            b.push(at, Action::Decide(p, change));
        }
    }
    b.steps.sort_by_key(|s| s.at);
    b.steps
}
