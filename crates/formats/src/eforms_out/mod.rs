//! eForms notices written from plain structs (eForms SDK 1.15, UBL 2.3): the contract notice
//! of an open procedure (subtype 16, `cn-standard`, root `ContractNotice`) and the contract
//! award notice (subtype 29, `can-standard`, root `ContractAwardNotice`), in French (`FRA`).
//!
//! The caller gives what Halle knows — the buyer, the review body, the procedure, its lots and,
//! for an award, each lot's winner — and [`write_contract_notice`] or [`write_award_notice`]
//! checks it all first: a missing title, no lot, a negative amount, a malformed SIRET, NUTS
//! code, CPV code, date or URL gives a [`NoticeError`] whose message (in French, buyers read
//! it) names the field; nothing is written half-way and no input panics.
//!
//! What the SDK makes mandatory for these subtypes and Halle does not ask is written with
//! fixed values, each named in `fixed`: the legal basis is Directive 2014/24/EU, the procedure
//! is not accelerated, exclusion grounds and selection criteria are in the procurement
//! documents, no EU funds, no reservation, electronic invoicing required, no e-catalogue, no
//! framework agreement nor DPS, no e-auction, GPA covered, e-submission required, tenders in
//! French, no e-ordering nor e-payment, subcontracting not known (award notice).
//!
//! Amounts are integer cents of euros, written with two decimals in `EUR`. Date-times are
//! RFC 3339 (`2026-04-15T12:00:00+02:00`), split into the eForms date and time with their
//! offset; a plain date (the contract conclusion date) is written with the Paris offset of that
//! day. Organisations get the technical ids `ORG-0001` (buyer), `ORG-0002` (review body) and
//! `ORG-0003`… (winners, award notice).

mod award_notice;
mod check;
mod common;
mod contract_notice;
mod error;
mod fixed;
mod lots;
mod parties;
mod writer;

pub use award_notice::write_award_notice;
pub use contract_notice::write_contract_notice;
pub use error::NoticeError;

/// Buyer legal types (BT-11, code list `buyer-legal-type`) the writer accepts.
pub const BUYER_LEGAL_TYPES: &[&str] = &[
    "body-pl",
    "body-pl-cga",
    "body-pl-la",
    "body-pl-ra",
    "cga",
    "def-cont",
    "eu-ins-bod-ag",
    "int-org",
    "la",
    "org-sub",
    "org-sub-cga",
    "org-sub-la",
    "org-sub-ra",
    "pub-undert",
    "pub-undert-cga",
    "pub-undert-la",
    "pub-undert-ra",
    "ra",
    "spec-rights-entity",
];

/// Main activities of a contracting authority (BT-10, code list `authority-activity`).
pub const AUTHORITY_ACTIVITIES: &[&str] =
    &["defence", "econ-aff", "education", "env-pro", "gen-pub", "hc-am", "health", "pub-os", "rcr", "soc-pro"];

/// One notice: who buys what, in which lots. The same struct feeds the contract notice and,
/// with the lots' results, the award notice (which gets its own `notice_id`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// BT-701, a UUID chosen by the caller (`8-4-4-4-12` hexadecimal digits).
    pub notice_id: String,
    /// BT-04, the procedure's UUID: the same in the contract and the award notice.
    pub procedure_id: String,
    /// BT-05, RFC 3339 date-time with an offset, e.g. `2026-03-02T10:15:00+01:00`.
    pub issued_at: String,
    pub buyer: Buyer,
    /// The body hearing appeals (OPT-301 review organisation), e.g. the tribunal administratif;
    /// also named as the one giving information on review deadlines.
    pub review_body: Organisation,
    pub procedure: Procedure,
    /// `LOT-0001`… at least one; a procedure without lots has one lot.
    pub lots: Vec<Lot>,
}

/// An organisation: the buyer, the review body or a winner.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Organisation {
    /// BT-500.
    pub name: String,
    /// BT-501: 14 digits (spaces allowed) with a valid check digit when `country` is `FRA`,
    /// the national registration number otherwise.
    pub siret: String,
    /// BT-510.
    pub street: Option<String>,
    /// BT-513.
    pub town: String,
    /// BT-512: 5 digits in France.
    pub postcode: String,
    /// BT-507: NUTS 3 code, e.g. `FR101` (Paris); required in France.
    pub nuts: Option<String>,
    /// BT-514: ISO 3166-1 alpha-3, e.g. `FRA`.
    pub country: String,
    /// BT-506 (required for the buyer).
    pub email: Option<String>,
    /// BT-503 (required for the buyer).
    pub phone: Option<String>,
    /// BT-505.
    pub website: Option<String>,
}

/// The buyer (the single contracting authority of the procedure).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Buyer {
    pub organisation: Organisation,
    /// BT-11, one of [`BUYER_LEGAL_TYPES`], e.g. `la` (local authority).
    pub legal_type: String,
    /// BT-10, one of [`AUTHORITY_ACTIVITIES`], e.g. `gen-pub`.
    pub activity: String,
    /// BT-508, the buyer profile URL.
    pub profile_url: Option<String>,
}

/// BT-23: the main nature of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContractNature {
    Works,
    Supplies,
    Services,
}

impl ContractNature {
    /// The `contract-nature` code.
    pub fn code(self) -> &'static str {
        match self {
            ContractNature::Works => "works",
            ContractNature::Supplies => "supplies",
            ContractNature::Services => "services",
        }
    }

    /// The nature for a `contract-nature` code.
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "works" => Some(ContractNature::Works),
            "supplies" => Some(ContractNature::Supplies),
            "services" => Some(ContractNature::Services),
            _ => None,
        }
    }
}

/// BT-105: the procedure type. Only the open procedure (appel d'offres ouvert) is written for
/// now; the others need fields (deadlines for requests, candidate numbers…) Halle lacks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ProcedureType {
    #[default]
    Open,
}

impl ProcedureType {
    /// The `procurement-procedure-type` code.
    pub fn code(self) -> &'static str {
        match self {
            ProcedureType::Open => "open",
        }
    }
}

/// A place of performance (BG-708): a NUTS 3 code in France, with an optional town and text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Place {
    /// BT-5071, e.g. `FR105` (Hauts-de-Seine).
    pub nuts: String,
    /// BT-5131.
    pub town: Option<String>,
    /// BT-728, more about the place.
    pub description: Option<String>,
}

/// The procedure as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Procedure {
    /// BT-22, the buyer's own reference, e.g. `2026-014`.
    pub internal_id: Option<String>,
    /// BT-21.
    pub title: String,
    /// BT-24.
    pub description: String,
    pub nature: ContractNature,
    pub procedure_type: ProcedureType,
    /// BT-262, 8 digits (a check digit `-n` is accepted and dropped).
    pub cpv: String,
    /// BT-263.
    pub cpv_additional: Vec<String>,
    /// BT-27, cents of euros excluding VAT.
    pub estimated_value: Option<i64>,
    /// BT-5071 / BT-5131 / BT-728.
    pub place: Place,
}

/// BT-539: the kind of an award criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CriterionKind {
    Price,
    Cost,
    Quality,
}

impl CriterionKind {
    /// The `award-criterion-type` code.
    pub fn code(self) -> &'static str {
        match self {
            CriterionKind::Price => "price",
            CriterionKind::Cost => "cost",
            CriterionKind::Quality => "quality",
        }
    }
}

/// One award criterion of a lot, weighted in percent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwardCriterion {
    pub kind: CriterionKind,
    /// BT-734, e.g. `Valeur technique`.
    pub name: Option<String>,
    /// BT-540, e.g. `Appréciée au regard du mémoire technique`.
    pub description: String,
    /// BT-541 with BT-5421 `per-exa`: the weight in percent, 0 to 100.
    pub weight_percent: u32,
}

/// One lot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lot {
    /// BT-137, `LOT-` and 4 digits, unique in the notice.
    pub id: String,
    /// BT-21.
    pub title: String,
    /// BT-24.
    pub description: String,
    /// BT-262.
    pub cpv: String,
    /// BT-263.
    pub cpv_additional: Vec<String>,
    pub place: Place,
    /// BT-27, cents of euros excluding VAT.
    pub estimated_value: Option<i64>,
    /// BT-131, RFC 3339 date-time with an offset (contract notice).
    pub tender_deadline: String,
    /// BT-15, where the procurement documents (DCE) are freely downloaded (contract notice).
    pub documents_url: String,
    /// BT-18, where tenders are submitted (contract notice).
    pub submission_url: String,
    /// BT-98, how long tenders stay valid, in days (contract notice).
    pub tender_validity_days: u32,
    /// BG-38, at least one, weights summing to 100.
    pub award_criteria: Vec<AwardCriterion>,
}

/// BT-165: the winner's size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompanySize {
    Micro,
    Small,
    Medium,
    Large,
}

impl CompanySize {
    /// The `economic-operator-size` code.
    pub fn code(self) -> &'static str {
        match self {
            CompanySize::Micro => "micro",
            CompanySize::Small => "small",
            CompanySize::Medium => "medium",
            CompanySize::Large => "large",
        }
    }
}

/// The result of one lot in the award notice: a winner was chosen and the contract signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LotAward {
    /// The awarded lot's `LOT-nnnn`.
    pub lot_id: String,
    pub winner: Organisation,
    /// BT-165.
    pub winner_size: CompanySize,
    /// BT-3201, the winning tender's reference (e.g. the deposit number).
    pub tender_id: String,
    /// BT-720, cents of euros excluding VAT.
    pub amount: i64,
    /// BT-150, the contract's reference (numéro de marché).
    pub contract_reference: String,
    /// BT-145, `YYYY-MM-DD`.
    pub conclusion_date: String,
    /// BT-759 with BT-760 `tenders`: tenders received for the lot, at least 1.
    pub tenders_received: u32,
}
