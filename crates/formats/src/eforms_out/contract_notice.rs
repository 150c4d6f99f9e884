//! The contract notice of an open procedure: subtype 16, `cn-standard`, root `ContractNotice`.

use super::common::{self, close_extension, open_extension};
use super::lots::{self, Kind};
use super::parties;
use super::writer::Xml;
use super::{Notice, NoticeError};

const ROOT: &str = "ContractNotice";

/// Writes `notice` as an eForms contract notice (subtype 16), valid against the SDK 1.15
/// `UBL-ContractNotice-2.3.xsd`. Every value is checked first; the first problem found is
/// returned as a [`NoticeError`].
pub fn write_contract_notice(notice: &Notice) -> Result<String, NoticeError> {
    let c = common::check(notice, Kind::Contract)?;
    let mut xml = Xml::new(ROOT);
    open_extension(&mut xml);
    common::write_subtype(&mut xml, "16");
    parties::write_organizations(&mut xml, &c.organisations);
    close_extension(&mut xml);
    common::write_header(&mut xml, &c, "competition", "cn-standard");
    lots::write_procedure_terms(&mut xml, c.lots.len());
    common::write_procedure_process(&mut xml, notice.procedure.procedure_type.code(), Kind::Contract);
    lots::write_project(&mut xml, &c.project);
    for lot in &c.lots {
        lots::write_lot(&mut xml, lot);
    }
    Ok(xml.finish(ROOT))
}
