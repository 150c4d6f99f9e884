//! What the store hands out and takes in: plain data with domain types, no behaviour.

use domain::consultation::{EnvironmentalConsideration, Nature, Procedure, SocialConsideration, Status};
use domain::criteria::Criterion;
use domain::money::Cents;
use domain::organisation::{BuyerKind, FirmSize, OrgRole};
use domain::profile::Profile;
use domain::role::Role;
use jiff::Timestamp;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrganisation {
    pub role: OrgRole,
    pub name: String,
    pub siret: String,
    pub kind: Option<BuyerKind>,
    pub size: Option<FirmSize>,
    pub address: Option<String>,
    pub departement: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    pub id: i64,
    pub role: OrgRole,
    pub name: String,
    pub siret: String,
    pub kind: Option<BuyerKind>,
    pub size: Option<FirmSize>,
    pub address: Option<String>,
    pub departement: String,
    pub created_at: Timestamp,
    /// Contact details and review body, once the organisation gave them.
    pub profile: Option<Profile>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub email: String,
    pub password_hash: String,
    pub name: String,
    pub role: Role,
    pub organisation_id: Option<i64>,
    /// Only for facilitators: the départements they follow.
    pub departements: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub organisation_id: Option<i64>,
    pub organisation_name: Option<String>,
    pub departements: Vec<String>,
}

/// A user with the secret needed to check a login.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lot {
    pub number: i64,
    pub title: String,
    pub cpv: String,
    pub estimated_value: Option<Cents>,
}

/// The stored fields of a consultation that a buyer writes (create or edit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsultationFields {
    pub title: String,
    pub object: String,
    pub nature: Nature,
    pub procedure: Procedure,
    pub cpv: String,
    pub cpv_additional: Vec<String>,
    pub place_code: String,
    pub place_label: String,
    pub departement: String,
    pub nuts: String,
    pub estimated_value: Option<Cents>,
    pub questions_deadline: Option<Timestamp>,
    pub bid_deadline: Timestamp,
    pub contact: Option<String>,
    pub social: Vec<SocialConsideration>,
    pub environmental: Vec<EnvironmentalConsideration>,
    pub lots: Vec<Lot>,
    /// Lowercase, accent-free text the simple search matches against.
    pub search_text: String,
    /// Empty: in the consultation documents only.
    pub criteria: Vec<Criterion>,
    pub tender_validity_days: Option<u16>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consultation {
    pub id: i64,
    pub reference: String,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub fields: ConsultationFields,
    pub status: Status,
    pub dce_version: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub published_at: Option<Timestamp>,
}

/// One line of a list of consultations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsultationSummary {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub organisation_name: String,
    pub nature: Nature,
    pub procedure: Procedure,
    pub cpv: String,
    pub departement: String,
    pub place_label: String,
    pub bid_deadline: Timestamp,
    pub status: Status,
    pub published_at: Option<Timestamp>,
}

/// Open: published and before its deadline; closed: every other public state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenState {
    Open,
    Closed,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConsultationFilter {
    /// Already folded (lowercase, no accents).
    pub text: Option<String>,
    pub departement: Option<String>,
    pub nature: Option<Nature>,
    pub procedure: Option<Procedure>,
    /// Two digits.
    pub cpv_division: Option<String>,
    pub state: Option<OpenState>,
    /// Only consultations with at least one social consideration other than "none".
    pub social_clause: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    pub departement: Vec<(String, i64)>,
    pub nature: Vec<(String, i64)>,
    pub procedure: Vec<(String, i64)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsultationPage {
    pub total: i64,
    pub items: Vec<ConsultationSummary>,
    pub facets: Facets,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDocument {
    pub consultation_id: i64,
    pub name: String,
    pub size: i64,
    pub sha256: String,
    pub crc32: u32,
    pub storage_key: String,
    pub content_type: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub id: i64,
    pub consultation_id: i64,
    pub name: String,
    pub size: i64,
    pub sha256: String,
    pub crc32: u32,
    pub storage_key: String,
    pub content_type: String,
    pub added_version: i64,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rectificatif {
    pub dce_version: i64,
    pub summary: String,
    pub published_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDownload {
    pub consultation_id: i64,
    /// None: the whole DCE as one ZIP.
    pub document_id: Option<i64>,
    pub dce_version: i64,
    pub email: Option<String>,
    pub user_id: Option<i64>,
}

/// A line of the registre des retraits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    pub id: i64,
    pub document_name: Option<String>,
    pub dce_version: i64,
    pub email: Option<String>,
    pub user_email: Option<String>,
    pub organisation_name: Option<String>,
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub id: i64,
    pub consultation_id: i64,
    pub body: String,
    pub asked_at: Timestamp,
    pub answer: Option<String>,
    pub answered_at: Option<Timestamp>,
    /// The asker; only buyers of the consultation's organisation ever see these two.
    pub organisation_name: String,
    pub user_email: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub created_at: Timestamp,
    /// The one-click unsubscribe address of an alert (`List-Unsubscribe`).
    pub unsubscribe_url: Option<String>,
    /// Failed delivery attempts so far.
    pub attempts: i64,
}

/// A consultation's sealing key: bids are encrypted to `public_key`; the private key exists only
/// wrapped to the opening committee's own keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsultationKey {
    pub consultation_id: i64,
    pub public_key: String,
    pub wrapped_identity: String,
    /// User ids of the committee members it was wrapped to.
    pub committee: Vec<i64>,
    pub created_at: Timestamp,
    pub opening: Opening,
}

/// Where the ouverture des plis stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Opening {
    /// The consultation's private key, stored only once a committee member unlocked it after
    /// the deadline.
    pub identity: Option<String>,
    pub unlocked_by: Option<i64>,
    pub unlocked_at: Option<Timestamp>,
    pub candidatures_opened_at: Option<Timestamp>,
    pub offres_opened_at: Option<Timestamp>,
    /// The lots whose offers are opened (consultations with lots).
    pub offres_opened_lots: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBidFile {
    /// `candidature` or `offre`.
    pub envelope: String,
    pub name: String,
    pub plain_size: i64,
    pub plain_sha256: String,
    pub sealed_size: i64,
    pub storage_key: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBid {
    pub consultation_id: i64,
    pub organisation_id: i64,
    pub user_id: i64,
    pub lots: Vec<i64>,
    pub started_at_micros: i64,
    pub received_at_micros: i64,
    pub late: bool,
}

/// A deposited bid (pli) as the registre des dépôts shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bid {
    pub id: i64,
    pub consultation_id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub siret: String,
    pub user_id: i64,
    pub user_email: String,
    pub lots: Vec<i64>,
    pub started_at_micros: i64,
    pub received_at_micros: i64,
    pub late: bool,
    /// The signed receipt document, exactly as handed to the firm.
    pub receipt: String,
    pub files: Vec<NewBidFile>,
}

/// Who holds an award: the titulaire, co-contractors, subcontractors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwardHolder {
    /// `titulaire`, `cotraitant` or `sous-traitant`.
    pub role: String,
    pub siret: String,
    pub name: String,
    /// For a subcontractor: the subcontracted amount.
    pub amount: Option<Cents>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Award {
    pub consultation_id: i64,
    /// 0: the whole consultation (no lots).
    pub lot_number: i64,
    pub amount: Cents,
    /// `YYYY-MM-DD`.
    pub notified_on: String,
    pub duration_months: i64,
    /// DECP `formePrix`: Unitaire, Forfaitaire, Mixte.
    pub price_form: String,
    /// DECP `typesPrix` codes.
    pub price_types: Vec<String>,
    /// DECP `techniques` codes.
    pub techniques: Vec<String>,
    /// DECP `modalitesExecution` codes.
    pub modalities: Vec<String>,
    /// DECP `ccag` code.
    pub ccag: String,
    pub innovative: bool,
    /// No advance; an advance at a rate in basis points (unknown: none).
    pub advance: Option<Option<i64>>,
    /// DECP `typeGroupementOperateurs`: Conjoint, Solidaire, Pas de groupement.
    pub grouping: String,
    pub offers_received: i64,
    pub holders: Vec<AwardHolder>,
    /// When the award was recorded (its essential data published); set by the store.
    pub created_at: Option<Timestamp>,
}

/// A copie de sauvegarde and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupCopy {
    pub id: i64,
    pub consultation_id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub medium: String,
    pub declared_at: Timestamp,
    pub received_at: Option<Timestamp>,
    pub opened_at: Option<Timestamp>,
    pub open_reason: Option<String>,
    pub destroyed_at: Option<Timestamp>,
}

/// A lot's social clause as stored (lot 0: a consultation without lots).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SocialClause {
    pub consultation_id: i64,
    pub lot_number: i64,
    pub spec: domain::social_clause::ClauseSpec,
    pub updated_at: Timestamp,
}

/// A beneficiary as everyone but the territory's facilitators know them: a number and a
/// pseudonymous profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Beneficiary {
    pub id: i64,
    pub profile: domain::beneficiary::Profile,
    pub created_at: Timestamp,
}

/// An awarded lot with a social clause: what facilitators and the titulaire follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClauseContract {
    pub consultation_id: i64,
    pub reference: String,
    pub title: String,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub lot_number: i64,
    pub lot_title: Option<String>,
    pub titulaire_siret: String,
    pub titulaire_name: String,
    pub facilitator_departement: String,
    /// None: a clause not sized in hours.
    pub required_hours: Option<i64>,
    pub validated_hours: i64,
}

/// Which contracts to list.
#[derive(Debug, Clone, Copy)]
pub enum ContractScope<'a> {
    /// Those whose clause is followed in these départements.
    Departements(&'a [String]),
    /// Those this SIRET holds as titulaire.
    Titulaire(&'a str),
    /// Those of this buying organisation.
    Buyer(i64),
    /// Those grouped in this operation.
    Operation(i64),
    /// Every one (the platform's coordinators).
    All,
    /// One lot of one consultation.
    Lot(i64, i64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commitment {
    pub body: String,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    pub id: i64,
    pub consultation_id: i64,
    pub lot_number: i64,
    pub spec: domain::placement::PlacementSpec,
    pub outcome_end: Option<domain::placement::Outcome>,
    pub outcome_six_months: Option<domain::placement::Outcome>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoursReport {
    pub id: i64,
    pub placement_id: i64,
    pub month: jiff::civil::Date,
    pub hours: i64,
    pub status: domain::hours_report::ReportStatus,
    pub reported_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Penalty {
    pub id: i64,
    pub consultation_id: i64,
    pub lot_number: i64,
    pub spec: domain::penalty::PenaltySpec,
    pub status: domain::penalty::PenaltyStatus,
    pub proposed_at: Timestamp,
    pub decided_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    pub id: i64,
    pub spec: domain::operation::OperationSpec,
    /// The facilitator who created it, who alone changes or deletes it.
    pub created_by: i64,
    /// (consultation, lot) of its contracts.
    pub contracts: Vec<(i64, i64)>,
}

/// What the public indicators are filtered by.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndicatorFilter {
    pub departement: Option<String>,
    pub operation: Option<i64>,
    /// Hours of this year's months; contracts notified this year.
    pub year: Option<i16>,
    /// The buying organisation.
    pub buyer: Option<i64>,
}
