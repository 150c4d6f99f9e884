//! The values the SDK makes mandatory for subtypes 16 and 29 that Halle does not ask the
//! buyer for, with the reason each is what it is.

/// OPT-001 and OPT-002.
pub(super) const UBL_VERSION: &str = "2.3";
pub(super) const CUSTOMIZATION: &str = "eforms-sdk-1.15";
/// BT-757: the first version of each notice.
pub(super) const VERSION: &str = "01";
/// BT-01: Directive 2014/24/EU, the classic sector (code `legal-basis`).
pub(super) const LEGAL_BASIS: &str = "32014L0024";
/// BT-106 (`accelerated-procedure`): Halle has no accelerated open procedure.
pub(super) const ACCELERATED: &str = "false";
/// BT-806 (`exclusion-grounds-source`) and BT-821 (`selection-criteria-source`): the grounds
/// and criteria are in the procurement documents (the règlement de la consultation).
pub(super) const EXCLUSION_GROUNDS_SOURCE: &str = "epo-procurement-document";
pub(super) const SELECTION_CRITERIA_SOURCE: &str = "epo-procurement-document";
/// BT-60 (`eu-funded`).
pub(super) const EU_FUNDS: &str = "no-eu-funds";
/// BT-14 (`document-distribution`): the DCE is freely downloadable, at BT-15.
pub(super) const DOCUMENTS: &str = "non-restricted-document";
/// OPT-140: the procurement documents' id.
pub(super) const DOCUMENTS_ID: &str = "DCE";
/// BT-71 (`reserved-procurement`).
pub(super) const RESERVED_PROCUREMENT: &str = "none";
/// BT-736 (`reserved-execution`).
pub(super) const RESERVED_EXECUTION: &str = "no";
/// BT-743 (`einvoicing`): French public buyers take invoices through Chorus Pro only.
pub(super) const EINVOICING: &str = "required";
/// BT-764 (`ecatalog-submission`).
pub(super) const ECATALOG: &str = "not-allowed";
/// BT-17 (`esubmission`): tenders are submitted on the platform only.
pub(super) const ESUBMISSION: &str = "required";
/// BT-115: open procedures above the EU thresholds are covered by the GPA.
pub(super) const GPA: &str = "true";
/// BT-767: no electronic auction.
pub(super) const AUCTION: &str = "false";
/// BT-765 (`framework-agreement`) and BT-766 (`dps-usage`).
pub(super) const FRAMEWORK: &str = "none";
pub(super) const DPS: &str = "none";
/// BT-92 and BT-93.
pub(super) const E_ORDERING: &str = "false";
pub(super) const E_PAYMENT: &str = "false";
/// BT-98 unit (`duration-unit`).
pub(super) const VALIDITY_UNIT: &str = "DAY";
/// BT-5421 (`number-weight`): weights are exact percentages.
pub(super) const WEIGHT_KIND: &str = "per-exa";
/// BT-142 (`winner-selection-status`): every lot written has a winner.
pub(super) const WINNER_CHOSEN: &str = "selec-w";
/// BT-760 (`received-submission-type`).
pub(super) const TENDERS: &str = "tenders";
/// BT-773 (`applicability`): Halle does not record subcontracting at award time.
pub(super) const SUBCONTRACTING: &str = "not-known";
/// OPT-999: a date the UBL schema requires in `cac:TenderResult` and eForms ignores.
pub(super) const TENDER_RESULT_DATE: &str = "2000-01-01Z";
