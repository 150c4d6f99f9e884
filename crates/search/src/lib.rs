//! The search index over consultations and imported notices (tantivy), derived from the change
//! feed and rebuildable at any time.
//!
//! - French analysis (see [`analysis`]): words, lowercase, elision, accents folded, stop words,
//!   Snowball French stemmer; one typo forgiven on words of five letters or more; the last word
//!   completed as a prefix while it is being typed.
//! - A document's CPV codes bring their French labels and their ancestors' codes and labels, so a
//!   search for a trade finds what is coded with it; the place brings the commune's and the
//!   département's names and the NUTS code.
//! - Only the key is stored; filters, sorts and facets read columns (see `layout`).
//! - Any query text is searched as plain words: there is no syntax to get wrong, and no input
//!   makes [`Index::search`] fail (only I/O errors do).
//!
//! Open/closed: the caller says when a document is closed whatever its deadline (awarded,
//! cancelled, a result notice); otherwise a document is open while its deadline is in the future,
//! judged at query time against [`Query::now`], so the index never goes stale as time passes.

pub mod analysis;
mod cache;
mod collect;
mod index;
mod layout;
mod text;

pub use domain::consultation::{EnvironmentalConsideration, Nature, Procedure, SocialConsideration};
pub use domain::organisation::BuyerKind;
pub use index::Index;

/// What a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum DocKind {
    /// A consultation published on Halle.
    #[default]
    Consultation,
    /// A notice imported from elsewhere (BOAMP, TED…).
    Notice,
}

impl DocKind {
    pub fn code(self) -> &'static str {
        match self {
            DocKind::Consultation => "consultation",
            DocKind::Notice => "notice",
        }
    }
}

/// A document to index, as the indexer builds it from the store.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchDoc {
    /// The caller's stable id, e.g. `c:42` for a consultation, `n:7` for a notice. Indexing a
    /// document with a key already present replaces it.
    pub key: String,
    pub kind: DocKind,
    pub title: String,
    /// The object or description.
    pub description: String,
    pub lot_titles: Vec<String>,
    pub buyer_name: String,
    pub buyer_kind: Option<BuyerKind>,
    /// CPV codes, main first, with or without check digit (`45233140` or `45233140-2`). Each is
    /// expanded to its French label and its ancestors' codes and labels; unknown codes are indexed
    /// as given.
    pub cpv: Vec<String>,
    /// INSEE code of the commune.
    pub commune: Option<String>,
    /// Département code; taken from the commune when absent.
    pub departement: Option<String>,
    /// NUTS code; taken from the département (Île-de-France) when absent.
    pub nuts: Option<String>,
    /// Free text naming the place (e.g. an imported notice's place of performance).
    pub place_label: Option<String>,
    pub procedure: Option<Procedure>,
    pub nature: Option<Nature>,
    pub social: Vec<SocialConsideration>,
    pub environmental: Vec<EnvironmentalConsideration>,
    /// Reserved market (also set by `SocialConsideration::MarcheReserve`).
    pub reserved: bool,
    /// Unix seconds.
    pub published_at: Option<i64>,
    /// Bid deadline, Unix seconds.
    pub deadline: Option<i64>,
    /// Estimated value, cents HT.
    pub value_cents: Option<i64>,
    /// Closed whatever the deadline (awarded, unsuccessful, cancelled, a result notice).
    pub closed: bool,
}

/// Deadline windows, relative to [`Query::now`]: the deadline is in `[now, now + 7 days)` for
/// `Week` (« cette semaine ») and `[now, now + 30 days)` for `Month` (« ce mois-ci »).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeadlineWindow {
    Week,
    Month,
}

impl DeadlineWindow {
    /// `week` or `month`, as in [`Facets::deadline_window`].
    pub fn code(self) -> &'static str {
        match self {
            DeadlineWindow::Week => "week",
            DeadlineWindow::Month => "month",
        }
    }

    pub fn parse(code: &str) -> Option<DeadlineWindow> {
        match code.trim() {
            "week" => Some(DeadlineWindow::Week),
            "month" => Some(DeadlineWindow::Month),
            _ => None,
        }
    }
}

/// Filters: values within one filter are alternatives (any of them), filters combine (all of
/// them). An empty list means no filter. Unknown values (a département or CPV division that does
/// not exist) match nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    /// Département codes (`"93"`, `"2A"`, `"974"`).
    pub departements: Vec<String>,
    pub natures: Vec<Nature>,
    pub procedures: Vec<Procedure>,
    /// CPV divisions, the first two digits (`"45"`); a document matches if any of its codes is in
    /// one of them.
    pub cpv_divisions: Vec<String>,
    pub social: Vec<SocialConsideration>,
    pub environmental: Vec<EnvironmentalConsideration>,
    /// `Some(true)`: reserved markets only; `Some(false)`: all but them.
    pub reserved: Option<bool>,
    pub deadline_window: Option<DeadlineWindow>,
    pub buyer_kinds: Vec<BuyerKind>,
    pub kind: Option<DocKind>,
    /// Only documents not closed whose deadline is not past.
    pub open_only: bool,
    pub min_value_cents: Option<i64>,
    pub max_value_cents: Option<i64>,
}

/// Result order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Sort {
    /// Best match first; with no words to search, newest first (as `Publication`).
    #[default]
    Relevance,
    /// Soonest upcoming deadline first, then past deadlines (latest first), then none.
    Deadline,
    /// Newest first, undated last.
    Publication,
}

/// A search.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// What people typed; anything goes.
    pub text: String,
    pub filters: Filters,
    pub sort: Sort,
    /// From 1 (0 is read as 1).
    pub page: usize,
    /// 1 to [`MAX_PER_PAGE`] (0 is read as [`DEFAULT_PER_PAGE`], more as the maximum).
    pub per_page: usize,
    /// The current instant (Unix seconds), for deadline windows, open-only and the deadline sort.
    pub now: i64,
}

pub const DEFAULT_PER_PAGE: usize = 20;
pub const MAX_PER_PAGE: usize = 100;
/// Results beyond this rank are not listed (the total still counts them): deep pages cost
/// memory for no reader.
pub const MAX_RANK: usize = 10_000;

impl Default for Query {
    fn default() -> Self {
        Query {
            text: String::new(),
            filters: Filters::default(),
            sort: Sort::default(),
            page: 1,
            per_page: DEFAULT_PER_PAGE,
            now: 0,
        }
    }
}

impl Query {
    /// A search for `text`, first page, by relevance, at instant `now`.
    pub fn new(text: impl Into<String>, now: i64) -> Query {
        Query { text: text.into(), now, ..Query::default() }
    }
}

/// One result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub key: String,
    /// The relevance score (0 when there were no words to search).
    pub score: f32,
}

/// Counts per value for each facet, over the documents matching the text and every filter but
/// the facet's own (so the other values of a chosen filter still show their counts). Values are
/// codes (`Nature::code`, département codes, CPV divisions…); only values with documents are
/// listed, most frequent first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    pub departement: Vec<(String, u64)>,
    pub nature: Vec<(String, u64)>,
    pub procedure: Vec<(String, u64)>,
    pub cpv_division: Vec<(String, u64)>,
    pub social: Vec<(String, u64)>,
    pub environmental: Vec<(String, u64)>,
    /// `"true"` and `"false"`.
    pub reserved: Vec<(String, u64)>,
    /// `"week"` and `"month"` (a document closing this week also counts in `month`).
    pub deadline_window: Vec<(String, u64)>,
    pub buyer_kind: Vec<(String, u64)>,
    /// `"consultation"` and `"notice"`.
    pub kind: Vec<(String, u64)>,
}

impl Facets {
    /// The count of `value` in a facet's list, 0 when absent.
    pub fn count(list: &[(String, u64)], value: &str) -> u64 {
        list.iter().find(|(v, _)| v == value).map_or(0, |(_, n)| *n)
    }
}

/// What a search returns.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Results {
    /// Documents matching the text and all filters.
    pub total: u64,
    pub items: Vec<Hit>,
    pub facets: Facets,
    /// True when no document had all the words, and those with any of them are shown instead.
    pub relaxed: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index directory: {0}")]
    Directory(#[from] tantivy::directory::error::OpenDirectoryError),
    #[error("search index files: {0}")]
    Io(#[from] std::io::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
