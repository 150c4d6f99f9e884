//! eForms notices (UBL, eForms SDK 1.x), the format of every EU-threshold notice published on
//! TED — and on BOAMP since 2024: contract notices (`ContractNotice`: `cn-*`, `qu-sy`, `subco`),
//! award and modification notices (`ContractAwardNotice`: `can-*`, `veat`, `compl`) and prior
//! information notices (`PriorInformationNotice`: `pin-*`, `pmc`). Business registration
//! notices (`BusinessRegistrationInformationNotice`) are not procurement notices: refused.
//!
//! Read: the notice id, type, subtype, kind, issue date and language; the procedure's
//! identifier (BT-04, shared by a contract notice and its award notice), the notice a change or
//! modification notice changes (BT-758 / BT-1501), the procedure's title, description, contract
//! nature, main and additional CPV codes, place of performance (NUTS), estimated value and
//! procedure type code (`open`, `restricted`, `neg-w-call`…); the buyer (the first contracting
//! party, resolved to its organisation); the lots (`LOT-nnnn`, or `PAR-nnnn` parts of a prior
//! information notice; groups of lots are skipped) with title, description, CPV codes, NUTS,
//! estimated value and deadlines; and, in award notices, the results per lot: status, number
//! of tenders received, the tenders with their value and tenderers (winners marked), the
//! contract conclusion date. Texts in several languages are read in the notice's language.
//! Amounts are in euro cents (other currencies are refused); deadlines are RFC 3339 date-times
//! made of the notice's `EndDate` and `EndTime`.
//!
//! A notice that cannot be read is a [`FormatError::Record`] whose [`RecordError`] gives, in
//! French, the line of the offending element, the notice id when known, and the reason.

use std::collections::HashMap;
use std::io::Read;

use serde::Serialize;

use crate::text::{is_iso_date, is_rfc3339};
use crate::xml::{Element, euros_to_cents, parse};
use crate::{FormatError, RecordError};

/// What a notice is for, from its root element and notice type (`NoticeTypeCode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoticeKind {
    /// A call for competition (`ContractNotice`: `cn-standard`, `cn-social`, `cn-desg`,
    /// `qu-sy`, `subco`).
    Contract,
    /// A result (`ContractAwardNotice`: `can-standard`, `can-social`, `can-desg`, `can-tran`,
    /// `veat`).
    Award,
    /// A prior information notice (`PriorInformationNotice`: `pin-*`).
    PriorInformation,
    /// A modification of a contract during its term (`can-modif`).
    Modification,
    /// Another form under a known root: pre-market consultation (`pmc`), contract completion
    /// (`compl`).
    Other,
}

/// One eForms notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EformsNotice {
    /// `cbc:ID` of the notice (a UUID; never empty).
    pub id: String,
    /// `NoticeTypeCode`, e.g. `cn-standard`.
    pub notice_type: String,
    /// `SubTypeCode`, e.g. `16`.
    pub subtype: Option<String>,
    /// `IssueDate`, `YYYY-MM-DD`.
    pub issue_date: Option<String>,
    /// `NoticeLanguageCode`, e.g. `FRA`.
    pub language: Option<String>,
    pub title: String,
    pub description: String,
    /// `ProcurementTypeCode`: `works`, `supplies` or `services`.
    pub contract_nature: Option<String>,
    pub buyer: EformsBuyer,
    /// Main CPV code of the procedure, 8 digits.
    pub cpv: Option<String>,
    pub cpv_additional: Vec<String>,
    /// NUTS codes of the procedure's places of performance.
    pub place_nuts: Vec<String>,
    /// The description of the first place of performance.
    pub place_description: Option<String>,
    /// `EstimatedOverallContractAmount` of the procedure, cents.
    pub estimated_value: Option<i64>,
    /// `ProcedureCode`: `open`, `restricted`, `neg-w-call`, `comp-dial`, `innovation`,
    /// `oth-single`, `oth-mult`…
    pub procedure: Option<String>,
    pub lots: Vec<EformsLot>,
    /// The first lot's deadline for tenders (eForms puts deadlines on lots).
    pub tender_deadline: Option<String>,
    /// The first lot's deadline for requests to participate (restricted procedures…).
    pub participation_deadline: Option<String>,
    /// From the root element and `NoticeTypeCode`.
    pub kind: NoticeKind,
    /// BT-04 `ContractFolderID`, the procedure's identifier: the same in a contract notice, its
    /// changes and its award notice.
    pub procedure_id: Option<String>,
    /// The notice this one changes: BT-758 (`Changes`, a change notice: `<uuid>-<version>`) or
    /// BT-1501 (`ContractModification`, a modification notice; often an OJ S number such as
    /// `342558-2018`).
    pub changed_notice: Option<String>,
    /// BT-161 `TotalAmount` of an award notice: the value of all its contracts, cents.
    pub awarded_value: Option<i64>,
    /// The results per lot of an award notice (`LotResult`), in notice order; empty otherwise.
    pub results: Vec<EformsLotResult>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EformsBuyer {
    /// `ORG-0001`…
    pub id: String,
    pub name: String,
    pub street: Option<String>,
    pub city: Option<String>,
    pub postal_code: Option<String>,
    pub nuts: Option<String>,
    /// ISO 3166-1 alpha-3, e.g. `FRA`.
    pub country: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EformsLot {
    /// `LOT-0001`… (`PAR-0001`… for the parts of a prior information notice)
    pub id: String,
    pub title: String,
    pub description: String,
    pub cpv: Option<String>,
    pub cpv_additional: Vec<String>,
    pub nuts: Vec<String>,
    /// Cents.
    pub estimated_value: Option<i64>,
    pub tender_deadline: Option<String>,
    pub participation_deadline: Option<String>,
}

/// The result of one lot in an award notice (`efac:LotResult`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EformsLotResult {
    /// OPT-322, `RES-0001`…
    pub id: String,
    /// BT-13713, the lot (`LOT-0001`) or group of lots (`GLO-0001`) the result is for.
    pub lot_id: String,
    /// BT-142 `TenderResultCode`: `selec-w` (a winner was chosen), `clos-nw` (no winner, the
    /// competition is closed), `open-nw` (no winner yet).
    pub status: Option<String>,
    /// BT-759 where BT-760 is `tenders`: the number of tenders received.
    pub tenders_received: Option<u32>,
    /// The tenders the result names (OPT-320) and those of its contracts, in notice order.
    pub tenders: Vec<EformsTender>,
    /// BT-145 `IssueDate` of the result's first contract (OPT-315) that has one: the date the
    /// contract was concluded, `YYYY-MM-DD`.
    pub conclusion_date: Option<String>,
}

impl EformsLotResult {
    /// The organisations of the winning tenders.
    pub fn winners(&self) -> impl Iterator<Item = &EformsOrganisation> {
        self.tenders.iter().filter(|t| t.winner).flat_map(|t| &t.tenderers)
    }
}

/// A tender named by a lot result (`efac:LotTender`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EformsTender {
    /// OPT-321, `TEN-0001`…
    pub id: String,
    /// BT-720 `PayableAmount`, the tender's value, cents.
    pub amount: Option<i64>,
    /// Whether one of the lot result's contracts (`SettledContract`, BT-3202) was concluded on
    /// this tender.
    pub winner: bool,
    /// The organisations of the tendering party (OPT-310 → OPT-300): one, or the members of a
    /// group.
    pub tenderers: Vec<EformsOrganisation>,
}

/// An organisation of the notice (`efac:Organization/efac:Company`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EformsOrganisation {
    /// OPT-200, `ORG-0004`…
    pub id: String,
    /// BT-500.
    pub name: String,
    /// BT-501 `CompanyID`: SIREN, SIRET or another national registration number, as written.
    pub company_id: Option<String>,
}

/// Why a notice was refused: the line of the element concerned and a French reason.
struct Reject {
    line: u64,
    reason: String,
}

fn reject(line: u64, reason: impl Into<String>) -> Reject {
    Reject { line, reason: reason.into() }
}

type Parsed<T> = Result<T, Reject>;

/// Reads one eForms notice (contract, award, modification or prior information notice).
///
/// Fails with [`FormatError::Io`] when the input cannot be read, and otherwise with a
/// [`FormatError::Record`] whose reason (in French) names the element and line: malformed XML,
/// a root that is not a procurement notice, a missing notice id, an issue date or a deadline
/// that is not a date, a CPV code that is not 8 digits, an amount that is not in euros, a
/// number of tenders that is not a number, a result that names no lot, or a reference to a
/// tender, tendering party or organisation the notice does not hold.
pub fn read_eforms<R: Read>(reader: R) -> Result<EformsNotice, FormatError> {
    let root = match parse(reader) {
        Ok(root) => root,
        Err(FormatError::Xml { line, message }) => {
            return Err(RecordError::new(line, None, format!("XML mal formé : {message}")).into());
        }
        Err(other) => return Err(other),
    };
    let id = root.text_at(&["ID"]);
    notice(&root, id.clone()).map_err(|r| RecordError::new(r.line, id, r.reason).into())
}

fn notice(root: &Element, id: Option<String>) -> Parsed<EformsNotice> {
    let root_kind = match root.name.as_str() {
        "ContractNotice" => NoticeKind::Contract,
        "ContractAwardNotice" => NoticeKind::Award,
        "PriorInformationNotice" => NoticeKind::PriorInformation,
        "BusinessRegistrationInformationNotice" => {
            return Err(reject(
                root.line,
                "racine « BusinessRegistrationInformationNotice » : avis d’entreprise (immatriculation \
                 d’un GEIE ou d’une société européenne), pas un avis de marché",
            ));
        }
        other => {
            return Err(reject(
                root.line,
                format!(
                    "racine « {other} » : pas un avis eForms (« ContractNotice », « ContractAwardNotice » \
                     ou « PriorInformationNotice » attendu)"
                ),
            ));
        }
    };
    let id = id.ok_or_else(|| match root.child("ID") {
        Some(e) => reject(e.line, "identifiant de l’avis vide : « cbc:ID » (BT-701) doit le donner"),
        None => reject(root.line, "identifiant de l’avis absent : « cbc:ID » (BT-701) est attendu"),
    })?;
    let notice_type = root.text_at(&["NoticeTypeCode"]).unwrap_or_default();
    let kind = match (root_kind, notice_type.as_str()) {
        (NoticeKind::Award, "can-modif") => NoticeKind::Modification,
        (NoticeKind::Award, "compl") | (NoticeKind::PriorInformation, "pmc") => NoticeKind::Other,
        (kind, _) => kind,
    };
    let language = root.text_at(&["NoticeLanguageCode"]);
    let lang = language.as_deref();
    let issue_date = match root.child("IssueDate") {
        Some(e) => Some(date_part(e, "cbc:IssueDate", "date d’émission de l’avis (BT-05)")?),
        None => None,
    };
    let empty = Element::default();
    let project = root.child("ProcurementProject").unwrap_or(&empty);
    let (cpv, cpv_additional) = classifications(project)?;
    let mut lots = Vec::new();
    for lot in root.children_named("ProcurementProjectLot") {
        let Some(lot_id) = lot.child("ID").filter(|i| i.attribute("schemeName") != Some("LotsGroup")) else {
            continue;
        };
        let p = lot.child("ProcurementProject").unwrap_or(&empty);
        let (cpv, cpv_additional) = classifications(p)?;
        let process = lot.child("TenderingProcess");
        lots.push(EformsLot {
            id: lot_id.text(),
            title: in_language(p, "Name", lang),
            description: in_language(p, "Description", lang),
            cpv,
            cpv_additional,
            nuts: nuts_codes(p),
            estimated_value: euros(
                p.at(&["RequestedTenderTotal", "EstimatedOverallContractAmount"]),
                "cbc:EstimatedOverallContractAmount",
            )?,
            tender_deadline: deadline(process.and_then(|t| t.child("TenderSubmissionDeadlinePeriod")))?,
            participation_deadline: deadline(process.and_then(|t| t.child("ParticipationRequestReceptionPeriod")))?,
        });
    }
    let ext = extension(root);
    let notice_result = ext.and_then(|x| x.child("NoticeResult"));
    let results = match notice_result {
        Some(r) => lot_results(r, ext.and_then(|x| x.child("Organizations")), lang)?,
        None => Vec::new(),
    };
    Ok(EformsNotice {
        notice_type,
        subtype: ext.and_then(|x| x.text_at(&["NoticeSubType", "SubTypeCode"])),
        issue_date,
        title: in_language(project, "Name", lang),
        description: in_language(project, "Description", lang),
        contract_nature: project.text_at(&["ProcurementTypeCode"]),
        buyer: buyer(root, lang),
        cpv,
        cpv_additional,
        place_nuts: nuts_codes(project),
        place_description: project
            .child("RealizedLocation")
            .map(|l| in_language(l, "Description", lang))
            .filter(|d| !d.is_empty()),
        estimated_value: euros(
            project.at(&["RequestedTenderTotal", "EstimatedOverallContractAmount"]),
            "cbc:EstimatedOverallContractAmount",
        )?,
        procedure: root.text_at(&["TenderingProcess", "ProcedureCode"]),
        tender_deadline: lots.iter().find_map(|l| l.tender_deadline.clone()),
        participation_deadline: lots.iter().find_map(|l| l.participation_deadline.clone()),
        lots,
        id,
        language,
        kind,
        procedure_id: root.text_at(&["ContractFolderID"]),
        changed_notice: ext.and_then(|x| {
            x.text_at(&["Changes", "ChangedNoticeIdentifier"])
                .or_else(|| x.text_at(&["ContractModification", "ChangedNoticeIdentifier"]))
        }),
        awarded_value: euros(notice_result.and_then(|r| r.child("TotalAmount")), "cbc:TotalAmount")?,
        results,
    })
}

fn extension(root: &Element) -> Option<&Element> {
    root.at(&["UBLExtensions", "UBLExtension", "ExtensionContent", "EformsExtension"])
}

/// The children named `name` of `parent`, by the text of their `cbc:ID`.
fn by_id<'a>(parent: &'a Element, name: &'a str) -> HashMap<String, &'a Element> {
    let mut map = HashMap::new();
    for e in parent.children_named(name) {
        if let Some(id) = e.text_at(&["ID"]) {
            map.entry(id).or_insert(e);
        }
    }
    map
}

/// The `cbc:ID` texts of the `name` children of `parent`.
fn refs<'a>(parent: &'a Element, name: &'a str) -> impl Iterator<Item = (String, u64)> + 'a {
    parent.children_named(name).filter_map(|e| e.child("ID").map(|i| (i.text(), i.line)))
}

/// The results per lot of an award notice's `efac:NoticeResult`.
fn lot_results(result: &Element, organizations: Option<&Element>, lang: Option<&str>) -> Parsed<Vec<EformsLotResult>> {
    let tenders = by_id(result, "LotTender");
    let parties = by_id(result, "TenderingParty");
    let contracts = by_id(result, "SettledContract");
    let mut companies: HashMap<String, &Element> = HashMap::new();
    for company in
        organizations.into_iter().flat_map(|o| o.children_named("Organization")).filter_map(|o| o.child("Company"))
    {
        if let Some(id) = company.text_at(&["PartyIdentification", "ID"]) {
            companies.entry(id).or_insert(company);
        }
    }

    let tender = |id: &str, line: u64, from: &str, winner: bool| -> Parsed<EformsTender> {
        let t = tenders.get(id).ok_or_else(|| {
            reject(
                line,
                format!("l’offre « {id} » citée par {from} est absente de « efac:NoticeResult » (efac:LotTender)"),
            )
        })?;
        let mut tenderers = Vec::new();
        for (party_id, party_line) in refs(t, "TenderingParty") {
            let party = parties.get(&party_id).ok_or_else(|| {
                reject(
                    party_line,
                    format!("le soumissionnaire « {party_id} » de l’offre « {id} » est absent de « efac:NoticeResult » (efac:TenderingParty)"),
                )
            })?;
            for (org_id, org_line) in refs(party, "Tenderer") {
                let company = companies.get(&org_id).ok_or_else(|| {
                    reject(
                        org_line,
                        format!("l’organisation « {org_id} » du soumissionnaire « {party_id} » est absente de « efac:Organizations »"),
                    )
                })?;
                tenderers.push(EformsOrganisation {
                    name: company.child("PartyName").map(|p| in_language(p, "Name", lang)).unwrap_or_default(),
                    company_id: company.text_at(&["PartyLegalEntity", "CompanyID"]),
                    id: org_id,
                });
            }
        }
        Ok(EformsTender {
            id: id.to_owned(),
            amount: euros(t.at(&["LegalMonetaryTotal", "PayableAmount"]), "cbc:PayableAmount")?,
            winner,
            tenderers,
        })
    };

    let mut out = Vec::new();
    for r in result.children_named("LotResult") {
        let id = r.text_at(&["ID"]).unwrap_or_default();
        let label = if id.is_empty() { "un résultat de lot".to_owned() } else { format!("le résultat « {id} »") };
        let lot_id = r.text_at(&["TenderLot", "ID"]).ok_or_else(|| {
            reject(
                r.line,
                format!("{label} ne dit pas de quel lot il s’agit : « efac:TenderLot/cbc:ID » (BT-13713) est attendu"),
            )
        })?;
        let mut tenders_received = None;
        for stat in r.children_named("ReceivedSubmissionsStatistics") {
            if stat.text_at(&["StatisticsCode"]).as_deref() != Some("tenders") {
                continue;
            }
            let Some(n) = stat.child("StatisticsNumeric") else { continue };
            let text = n.text();
            tenders_received = Some(text.parse::<u32>().map_err(|_| {
                reject(
                    n.line,
                    format!("élément « efbc:StatisticsNumeric » : « {text} » n’est pas un nombre d’offres reçues (BT-759, entier positif attendu)"),
                )
            })?);
        }
        let from = format!("le résultat « {id} »");
        let mut result_tenders: Vec<EformsTender> = Vec::new();
        let mut conclusion_date = None;
        let mut tender_refs: Vec<(String, u64, String)> =
            refs(r, "LotTender").map(|(t, l)| (t, l, from.clone())).collect();
        for (contract_id, line) in refs(r, "SettledContract") {
            let contract = contracts.get(&contract_id).ok_or_else(|| {
                reject(line, format!("le contrat « {contract_id} » cité par {from} est absent de « efac:NoticeResult » (efac:SettledContract)"))
            })?;
            if conclusion_date.is_none()
                && let Some(date) = contract.child("IssueDate")
            {
                conclusion_date = Some(date_part(date, "cbc:IssueDate", "date de conclusion du contrat (BT-145)")?);
            }
            let via = format!("le contrat « {contract_id} »");
            tender_refs.extend(refs(contract, "LotTender").map(|(t, l)| (t, l, via.clone())));
        }
        for (tender_id, line, from) in &tender_refs {
            if !result_tenders.iter().any(|t| t.id == *tender_id) {
                let winner = tender_refs.iter().any(|(t, _, via)| t == tender_id && via.starts_with("le contrat"));
                result_tenders.push(tender(tender_id, *line, from, winner)?);
            }
        }
        out.push(EformsLotResult {
            id,
            lot_id,
            status: r.text_at(&["TenderResultCode"]),
            tenders_received,
            tenders: result_tenders,
            conclusion_date,
        });
    }
    Ok(out)
}

/// The text of the `name` children of `parent` in `lang` (the first one when none is).
fn in_language(parent: &Element, name: &str, lang: Option<&str>) -> String {
    let mut all = parent.children_named(name);
    let first = parent.child(name);
    all.find(|e| lang.is_some() && e.attribute("languageID") == lang).or(first).map(Element::text).unwrap_or_default()
}

/// An amount in euros, in cents.
fn euros(element: Option<&Element>, name: &str) -> Parsed<Option<i64>> {
    let Some(e) = element else { return Ok(None) };
    let text = e.text();
    match e.attribute("currencyID").unwrap_or("EUR") {
        "EUR" => euros_to_cents(&text).map(Some).ok_or_else(|| {
            reject(e.line, format!("élément « {name} » : « {text} » n’est pas un montant en euros (par ex. 1250.50)"))
        }),
        other => Err(reject(
            e.line,
            format!("élément « {name} » : montant en {other}, seuls les montants en euros (EUR) sont lus"),
        )),
    }
}

fn cpv_code(e: &Element) -> Parsed<Option<String>> {
    let Some(code) = e.child("ItemClassificationCode").filter(|c| c.attribute("listName").is_none_or(|l| l == "cpv"))
    else {
        return Ok(None);
    };
    let text = code.text();
    if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(reject(
            code.line,
            format!("élément « cbc:ItemClassificationCode » : « {text} » n’est pas un code CPV de 8 chiffres"),
        ));
    }
    Ok(Some(text))
}

/// The main CPV code and the additional ones (without repeats) of a `ProcurementProject`.
fn classifications(project: &Element) -> Parsed<(Option<String>, Vec<String>)> {
    let main = match project.child("MainCommodityClassification") {
        Some(m) => cpv_code(m)?,
        None => None,
    };
    let mut additional = Vec::new();
    for a in project.children_named("AdditionalCommodityClassification") {
        if let Some(code) = cpv_code(a)?
            && Some(&code) != main.as_ref()
            && !additional.contains(&code)
        {
            additional.push(code);
        }
    }
    Ok((main, additional))
}

fn nuts_codes(project: &Element) -> Vec<String> {
    project.children_named("RealizedLocation").filter_map(|l| l.text_at(&["Address", "CountrySubentityCode"])).collect()
}

/// `YYYY-MM-DD` and the offset that follows it (`2020-04-08+01:00` → (`2020-04-08`, `+01:00`)).
fn split_date(e: &Element, element: &str, what: &str) -> Parsed<(String, String)> {
    let text = e.text();
    match text.get(..10) {
        Some(day) if is_iso_date(day) => Ok((day.to_string(), text[10..].to_string())),
        _ => Err(reject(e.line, format!("élément « {element} » ({what}) : « {text} » n’est pas une date AAAA-MM-JJ"))),
    }
}

fn date_part(e: &Element, element: &str, what: &str) -> Parsed<String> {
    split_date(e, element, what).map(|(day, _)| day)
}

/// A period's `EndDate` and `EndTime` as one RFC 3339 date-time; the time takes the date's
/// offset when it has none, and a date without time means the end of that day.
fn deadline(period: Option<&Element>) -> Parsed<Option<String>> {
    let Some(date) = period.and_then(|p| p.child("EndDate")) else { return Ok(None) };
    let (day, date_offset) = split_date(date, "cbc:EndDate", "date limite")?;
    let (time, line) = match period.and_then(|p| p.child("EndTime")) {
        Some(t) => (t.text(), t.line),
        None => ("23:59:59".to_string(), date.line),
    };
    let mut value = format!("{day}T{time}");
    if time.len() == 8 {
        value.push_str(if date_offset.is_empty() { "Z" } else { &date_offset });
    }
    if !is_rfc3339(&value) {
        return Err(reject(
            line,
            format!("élément « cbc:EndTime » (heure limite) : « {time} » n’est pas une heure HH:MM:SS"),
        ));
    }
    Ok(Some(value))
}

/// The first contracting party, with the name and address of its organisation.
fn buyer(root: &Element, lang: Option<&str>) -> EformsBuyer {
    let Some(id) = root.text_at(&["ContractingParty", "Party", "PartyIdentification", "ID"]) else {
        return EformsBuyer::default();
    };
    let company = extension(root)
        .and_then(|x| x.child("Organizations"))
        .into_iter()
        .flat_map(|o| o.children_named("Organization"))
        .filter_map(|o| o.child("Company"))
        .find(|c| c.text_at(&["PartyIdentification", "ID"]).as_deref() == Some(id.as_str()));
    let Some(c) = company else { return EformsBuyer { id, ..EformsBuyer::default() } };
    let address = c.child("PostalAddress");
    let field = |name: &str| address.and_then(|a| a.text_at(&[name]));
    EformsBuyer {
        name: c.child("PartyName").map(|p| in_language(p, "Name", lang)).unwrap_or_default(),
        street: field("StreetName"),
        city: field("CityName"),
        postal_code: field("PostalZone"),
        nuts: field("CountrySubentityCode"),
        country: address.and_then(|a| a.text_at(&["Country", "IdentificationCode"])),
        id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo_text(file: &str) -> String {
        std::fs::read_to_string(format!("{}/../../data/demo/eforms/{file}", env!("CARGO_MANIFEST_DIR"))).expect(file)
    }

    fn demo(file: &str) -> EformsNotice {
        read_eforms(demo_text(file).as_bytes()).expect(file)
    }

    #[test]
    fn reads_the_cea_restricted_call() {
        let n = demo("cn_81_FRA.xml");
        assert_eq!(n.id, "866bf88e-f381-45c8-a085-43a6148d0ab7");
        assert_eq!((n.notice_type.as_str(), n.subtype.as_deref()), ("cn-standard", Some("18")));
        assert_eq!(n.issue_date.as_deref(), Some("2020-04-08"));
        assert_eq!(n.language.as_deref(), Some("FRA"));
        assert!(n.title.starts_with("Assistance à maîtrise d’œuvre en suivi de réalisation"), "{}", n.title);
        assert!(!n.title.contains('\t') && !n.title.contains('\n'));
        assert!(n.description.starts_with("Les prestations consistent"), "{}", n.description);
        assert!(n.description.contains("\n— d’une vigie"), "{}", n.description);
        assert_eq!(n.contract_nature.as_deref(), Some("services"));
        assert_eq!(n.buyer.name, "Commissariat à l'énergie atomique et aux énergies alternatives");
        assert_eq!((n.buyer.postal_code.as_deref(), n.buyer.nuts.as_deref()), (Some("91297"), Some("FR102")));
        assert_eq!(n.cpv.as_deref(), Some("71336000"));
        assert_eq!(n.place_nuts, vec!["FRL04"]);
        assert_eq!(n.procedure.as_deref(), Some("restricted"));
        assert_eq!(n.lots.len(), 1);
        assert_eq!(n.lots[0].id, "LOT-0000");
        assert_eq!(n.lots[0].cpv.as_deref(), Some("80512000"));
        assert_eq!(n.tender_deadline, None);
        assert_eq!(n.participation_deadline.as_deref(), Some("2020-09-14T16:00:00+01:00"));
    }

    #[test]
    fn reads_the_lots_of_rouen_habitat() {
        let n = demo("cn_24_FRA_comments.xml");
        assert_eq!(n.buyer.name, "Rouen Habitat");
        assert_eq!(n.procedure.as_deref(), Some("open"));
        assert_eq!(n.cpv.as_deref(), Some("77310000"));
        let titles: Vec<&str> = n.lots.iter().map(|l| l.title.as_str()).collect();
        assert_eq!(titles[..2], ["Agence centre", "Agence Hauts de Rouen"]);
        assert!(n.lots.iter().all(|l| l.id.starts_with("LOT-") && l.cpv.as_deref() == Some("77310000")));
        assert_eq!(n.lots[0].nuts, vec!["FRD22"]);
        assert_eq!(n.tender_deadline.as_deref(), Some("2019-06-24T16:00:00Z"));
    }

    const SAMPLE: &str = r#"<ContractNotice xmlns:cbc="c" xmlns:cac="a">
<cbc:ID>n-1</cbc:ID>
<cbc:NoticeLanguageCode>FRA</cbc:NoticeLanguageCode>
<cac:ProcurementProject>
<cbc:Name languageID="ENG">Cleaning</cbc:Name><cbc:Name languageID="FRA">Nettoyage</cbc:Name>
<cac:RequestedTenderTotal><cbc:EstimatedOverallContractAmount currencyID="EUR">@VALUE@</cbc:EstimatedOverallContractAmount></cac:RequestedTenderTotal>
<cac:MainCommodityClassification><cbc:ItemClassificationCode listName="cpv">@CPV@</cbc:ItemClassificationCode></cac:MainCommodityClassification>
<cac:AdditionalCommodityClassification><cbc:ItemClassificationCode listName="cpv">90919200</cbc:ItemClassificationCode></cac:AdditionalCommodityClassification>
<cac:AdditionalCommodityClassification><cbc:ItemClassificationCode listName="cpv">90919200</cbc:ItemClassificationCode></cac:AdditionalCommodityClassification>
</cac:ProcurementProject>
<cac:ProcurementProjectLot><cbc:ID schemeName="LotsGroup">GLO-0001</cbc:ID></cac:ProcurementProjectLot>
<cac:ProcurementProjectLot><cbc:ID schemeName="Lot">LOT-0001</cbc:ID>
<cac:TenderingProcess><cac:TenderSubmissionDeadlinePeriod><cbc:EndDate>@DATE@</cbc:EndDate><cbc:EndTime>12:00:00</cbc:EndTime></cac:TenderSubmissionDeadlinePeriod></cac:TenderingProcess>
<cac:ProcurementProject><cbc:Name languageID="FRA">Lot unique</cbc:Name>
<cac:RequestedTenderTotal><cbc:EstimatedOverallContractAmount currencyID="EUR">1250.5</cbc:EstimatedOverallContractAmount></cac:RequestedTenderTotal>
</cac:ProcurementProject></cac:ProcurementProjectLot>
</ContractNotice>"#;

    fn sample(value: &str, cpv: &str, date: &str) -> String {
        SAMPLE.replace("@VALUE@", value).replace("@CPV@", cpv).replace("@DATE@", date)
    }

    #[test]
    fn reads_values_additional_codes_and_languages() {
        let n = read_eforms(sample("9999999.99", "90910000", "2026-05-04+02:00").as_bytes()).unwrap();
        assert_eq!(n.title, "Nettoyage");
        assert_eq!(n.estimated_value, Some(999_999_999));
        assert_eq!((n.cpv.as_deref(), n.cpv_additional.clone()), (Some("90910000"), vec!["90919200".to_string()]));
        assert_eq!(n.lots.len(), 1);
        assert_eq!(
            (n.lots[0].title.as_str(), n.lots[0].estimated_value, n.lots[0].cpv.as_deref()),
            ("Lot unique", Some(125_050), None)
        );
        assert_eq!(n.tender_deadline.as_deref(), Some("2026-05-04T12:00:00+02:00"));
        assert!(n.buyer.name.is_empty());
    }

    #[test]
    fn broken_notices_are_errors_not_panics() {
        let cases: [(String, u64, &str); 6] = [
            (
                sample("beaucoup", "90910000", "2026-05-04Z"),
                6,
                "élément « cbc:EstimatedOverallContractAmount » : « beaucoup » n’est pas un montant en euros",
            ),
            (sample("1", "9091", "2026-05-04Z"), 7, "« 9091 » n’est pas un code CPV de 8 chiffres"),
            (
                sample("1", "90910000", "le 4 mai"),
                13,
                "élément « cbc:EndDate » (date limite) : « le 4 mai » n’est pas une date",
            ),
            (SAMPLE.replace("<cbc:ID>n-1</cbc:ID>", ""), 1, "identifiant de l’avis absent"),
            ("<ContractAwardNotice/>".to_string(), 1, "identifiant de l’avis absent"),
            ("<Invoice/>".to_string(), 1, "racine « Invoice » : pas un avis eForms"),
        ];
        for (doc, line, reason) in cases {
            match read_eforms(doc.as_bytes()) {
                Err(FormatError::Record(e)) => {
                    assert_eq!(e.line, line, "{doc}: {e}");
                    assert!(e.reason.contains(reason), "{doc}: {e}");
                }
                other => panic!("{doc}: {other:?}"),
            }
        }
        let truncated: String = demo_text("cn_81_FRA.xml").chars().take(3000).collect();
        let err = read_eforms(truncated.as_bytes()).unwrap_err();
        assert!(err.to_string().contains(" : XML mal formé : "), "{err}");
        assert_eq!(err.line(), Some(59), "{err}");
        let err = read_eforms(&b"<ContractNotice>\xc3</ContractNotice>"[..]).unwrap_err();
        assert_eq!(err.to_string(), "ligne 1 : XML mal formé : invalid UTF-8");
    }
}
