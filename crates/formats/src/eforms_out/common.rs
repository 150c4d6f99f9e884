//! What both notices share: the checked input and the header elements.

use super::lots::{self, CheckedLot, Kind, Project};
use super::parties::{self, BuyerCodes, Org, REVIEW_ORG};
use super::writer::{LANGUAGE, Xml};
use super::{Notice, NoticeError, check, fixed};

/// A notice whose every value has been checked.
pub(super) struct Checked<'a> {
    notice_id: &'a str,
    procedure_id: &'a str,
    issue: (String, String),
    pub(super) organisations: Vec<Org<'a>>,
    codes: BuyerCodes<'a>,
    pub(super) project: Project<'a>,
    pub(super) lots: Vec<CheckedLot<'a>>,
}

pub(super) fn check(n: &Notice, kind: Kind) -> Result<Checked<'_>, NoticeError> {
    let (buyer, codes) = parties::buyer(&n.buyer)?;
    let review = parties::org("Instance de recours", REVIEW_ORG.to_string(), &n.review_body, false)?;
    let project = lots::procedure(&n.procedure)?;
    Ok(Checked {
        notice_id: check::uuid("Avis — identifiant", &n.notice_id)?,
        procedure_id: check::uuid("Procédure — identifiant", &n.procedure_id)?,
        issue: check::date_time("Avis — date d'envoi", &n.issued_at)?,
        organisations: vec![buyer, review],
        codes,
        lots: lots::lots(&n.lots, project_nature(n), kind)?,
        project,
    })
}

fn project_nature(n: &Notice) -> &'static str {
    n.procedure.nature.code()
}

/// The root's children from `cbc:UBLVersionID` to `cac:ContractingParty` (OPT-001, OPT-002,
/// BT-701, BT-04, BT-05, BT-757, BT-01, BT-03, BT-02, BT-702, BT-508, BT-11, BT-10, OPT-300).
pub(super) fn write_header(xml: &mut Xml, c: &Checked, form_type: &str, notice_type: &str) {
    xml.leaf("cbc:UBLVersionID", fixed::UBL_VERSION);
    xml.leaf("cbc:CustomizationID", fixed::CUSTOMIZATION);
    xml.id("notice-id", c.notice_id);
    xml.leaf("cbc:ContractFolderID", c.procedure_id);
    xml.leaf("cbc:IssueDate", &c.issue.0);
    xml.leaf("cbc:IssueTime", &c.issue.1);
    xml.leaf("cbc:VersionID", fixed::VERSION);
    xml.leaf("cbc:RegulatoryDomain", fixed::LEGAL_BASIS);
    xml.code("cbc:NoticeTypeCode", form_type, notice_type);
    xml.leaf("cbc:NoticeLanguageCode", LANGUAGE);
    parties::write_contracting_party(xml, &c.codes);
}

/// `efac:NoticeSubType`.
pub(super) fn write_subtype(xml: &mut Xml, subtype: &str) {
    xml.open("efac:NoticeSubType");
    xml.code("cbc:SubTypeCode", "notice-subtype", subtype);
    xml.close("efac:NoticeSubType");
}

/// Opens `ext:UBLExtensions/…/efext:EformsExtension`.
pub(super) fn open_extension(xml: &mut Xml) {
    xml.open("ext:UBLExtensions");
    xml.open("ext:UBLExtension");
    xml.open("ext:ExtensionContent");
    xml.open("efext:EformsExtension");
}

pub(super) fn close_extension(xml: &mut Xml) {
    xml.close("efext:EformsExtension");
    xml.close("ext:ExtensionContent");
    xml.close("ext:UBLExtension");
    xml.close("ext:UBLExtensions");
}

/// `cac:TenderingProcess` of the procedure (BT-105, and BT-106 in the contract notice).
pub(super) fn write_procedure_process(xml: &mut Xml, procedure_code: &str, kind: Kind) {
    xml.open("cac:TenderingProcess");
    xml.code("cbc:ProcedureCode", "procurement-procedure-type", procedure_code);
    if kind == Kind::Contract {
        xml.open("cac:ProcessJustification");
        xml.code("cbc:ProcessReasonCode", "accelerated-procedure", fixed::ACCELERATED);
        xml.close("cac:ProcessJustification");
    }
    xml.close("cac:TenderingProcess");
}
