//! The contract award notice: subtype 29, `can-standard`, root `ContractAwardNotice`.

use super::common::{self, close_extension, open_extension};
use super::lots::{self, Kind};
use super::parties::{self, Org};
use super::writer::Xml;
use super::{LotAward, Notice, NoticeError, check, fixed};

const ROOT: &str = "ContractAwardNotice";

/// One lot's checked result, with the technical ids that tie its parts together.
struct Result<'a> {
    lot: &'a str,
    /// RES-, TEN-, CON- ids (same number as the lot's position).
    n: usize,
    /// The winner's tendering party, TPA-nnnn.
    party: usize,
    tender_id: &'a str,
    amount: String,
    contract_reference: &'a str,
    conclusion_date: String,
    tenders_received: String,
}

fn tech(prefix: &str, n: usize) -> String {
    format!("{prefix}-{n:04}")
}

/// Writes `notice` and the lots' results as an eForms contract award notice (subtype 29),
/// valid against the SDK 1.15 `UBL-ContractAwardNotice-2.3.xsd`. Each lot of the notice needs
/// exactly one [`LotAward`]; a firm that wins several lots appears once. Every value is
/// checked first; the first problem found is returned as a [`NoticeError`].
pub fn write_award_notice(notice: &Notice, awards: &[LotAward]) -> std::result::Result<String, NoticeError> {
    let mut c = common::check(notice, Kind::Award)?;
    for (i, a) in awards.iter().enumerate() {
        let lot = a.lot_id.trim();
        if !c.lots.iter().any(|l| l.id == lot) {
            return Err(NoticeError::UnknownLot { lot: a.lot_id.clone() });
        }
        if awards[..i].iter().any(|b| b.lot_id.trim() == lot) {
            return Err(NoticeError::DuplicateAward { lot: lot.to_string() });
        }
    }
    // Winners are organisations 3, 4…; `parties` maps a tendering party to its organisation.
    let mut parties_orgs: Vec<usize> = Vec::new();
    let mut results = Vec::new();
    let mut total: i64 = 0;
    for (i, lot) in c.lots.iter().enumerate() {
        let Some(a) = awards.iter().find(|a| a.lot_id.trim() == lot.id) else {
            return Err(NoticeError::MissingAward { lot: lot.id.to_string() });
        };
        let who = format!("Lot {} — attribution", lot.id);
        let f = |what: &str| format!("{who} — {what}");
        let mut winner = parties::org(&format!("{who} — attributaire"), String::new(), &a.winner, false)?;
        winner.size = Some(a.winner_size.code());
        let org_index = match c.organisations.iter().position(|o| o.same_firm(&winner)) {
            Some(existing) if existing >= 2 => existing,
            _ => {
                winner.id = parties::org_id(c.organisations.len() + 1);
                c.organisations.push(winner);
                c.organisations.len() - 1
            }
        };
        let party = match parties_orgs.iter().position(|&o| o == org_index) {
            Some(p) => p + 1,
            None => {
                parties_orgs.push(org_index);
                parties_orgs.len()
            }
        };
        if a.tenders_received == 0 {
            return Err(NoticeError::Invalid {
                field: f("nombre d'offres reçues"),
                value: "0".into(),
                expected: "un nombre d'au moins une offre (le lot a un attributaire)",
            });
        }
        total = total
            .checked_add(a.amount.max(0))
            .ok_or_else(|| NoticeError::AmountTooLarge { field: "Avis — valeur totale".into() })?;
        results.push(Result {
            lot: lot.id,
            n: i + 1,
            party,
            tender_id: check::text(&f("référence de l'offre"), &a.tender_id)?,
            amount: check::amount(&f("montant"), a.amount)?,
            contract_reference: check::text(&f("numéro du marché"), &a.contract_reference)?,
            conclusion_date: check::paris_date(&f("date de conclusion du marché"), &a.conclusion_date)?,
            tenders_received: a.tenders_received.to_string(),
        });
    }
    let total = check::amount("Avis — valeur totale", total)?;

    let mut xml = Xml::new(ROOT);
    open_extension(&mut xml);
    xml.open("efac:NoticeResult");
    xml.euros("cbc:TotalAmount", &total);
    for r in &results {
        write_lot_result(&mut xml, r);
    }
    for r in &results {
        write_lot_tender(&mut xml, r);
    }
    for r in &results {
        write_settled_contract(&mut xml, r);
    }
    for (p, &o) in parties_orgs.iter().enumerate() {
        xml.open("efac:TenderingParty");
        xml.id("tendering-party", &tech("TPA", p + 1));
        xml.open("efac:Tenderer");
        xml.id("organization", org_ref(&c.organisations, o));
        xml.close("efac:Tenderer");
        xml.close("efac:TenderingParty");
    }
    xml.close("efac:NoticeResult");
    common::write_subtype(&mut xml, "29");
    parties::write_organizations(&mut xml, &c.organisations);
    close_extension(&mut xml);
    common::write_header(&mut xml, &c, "result", "can-standard");
    common::write_procedure_process(&mut xml, notice.procedure.procedure_type.code(), Kind::Award);
    lots::write_project(&mut xml, &c.project);
    for lot in &c.lots {
        lots::write_lot(&mut xml, lot);
    }
    xml.open("cac:TenderResult");
    xml.leaf("cbc:AwardDate", fixed::TENDER_RESULT_DATE);
    xml.close("cac:TenderResult");
    Ok(xml.finish(ROOT))
}

fn org_ref<'a>(orgs: &'a [Org], i: usize) -> &'a str {
    orgs.get(i).map(|o| o.id.as_str()).unwrap_or_default()
}

/// `efac:LotResult` (OPT-322, BT-142, OPT-320, BT-760, BT-759, OPT-315, BT-13713).
fn write_lot_result(xml: &mut Xml, r: &Result) {
    xml.open("efac:LotResult");
    xml.id("result", &tech("RES", r.n));
    xml.code("cbc:TenderResultCode", "winner-selection-status", fixed::WINNER_CHOSEN);
    xml.open("efac:LotTender");
    xml.id("tender", &tech("TEN", r.n));
    xml.close("efac:LotTender");
    xml.open("efac:ReceivedSubmissionsStatistics");
    xml.code("efbc:StatisticsCode", "received-submission-type", fixed::TENDERS);
    xml.leaf("efbc:StatisticsNumeric", &r.tenders_received);
    xml.close("efac:ReceivedSubmissionsStatistics");
    xml.open("efac:SettledContract");
    xml.id("contract", &tech("CON", r.n));
    xml.close("efac:SettledContract");
    xml.open("efac:TenderLot");
    xml.id("Lot", r.lot);
    xml.close("efac:TenderLot");
    xml.close("efac:LotResult");
}

/// `efac:LotTender` (OPT-321, BT-720, BT-773, OPT-310, BT-13714, BT-3201).
fn write_lot_tender(xml: &mut Xml, r: &Result) {
    xml.open("efac:LotTender");
    xml.id("tender", &tech("TEN", r.n));
    xml.open("cac:LegalMonetaryTotal");
    xml.euros("cbc:PayableAmount", &r.amount);
    xml.close("cac:LegalMonetaryTotal");
    xml.open("efac:SubcontractingTerm");
    xml.code("efbc:TermCode", "applicability", fixed::SUBCONTRACTING);
    xml.close("efac:SubcontractingTerm");
    xml.open("efac:TenderingParty");
    xml.id("tendering-party", &tech("TPA", r.party));
    xml.close("efac:TenderingParty");
    xml.open("efac:TenderLot");
    xml.id("Lot", r.lot);
    xml.close("efac:TenderLot");
    xml.open("efac:TenderReference");
    xml.leaf("cbc:ID", r.tender_id);
    xml.close("efac:TenderReference");
    xml.close("efac:LotTender");
}

/// `efac:SettledContract` (OPT-316, BT-145, BT-150, BT-3202).
fn write_settled_contract(xml: &mut Xml, r: &Result) {
    xml.open("efac:SettledContract");
    xml.id("contract", &tech("CON", r.n));
    xml.leaf("cbc:IssueDate", &r.conclusion_date);
    xml.open("efac:ContractReference");
    xml.leaf("cbc:ID", r.contract_reference);
    xml.close("efac:ContractReference");
    xml.open("efac:LotTender");
    xml.id("tender", &tech("TEN", r.n));
    xml.close("efac:LotTender");
    xml.close("efac:SettledContract");
}
