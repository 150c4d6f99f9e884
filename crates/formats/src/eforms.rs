//! eForms contract notices (UBL `ContractNotice`, eForms SDK 1.x), the format of every
//! EU-threshold notice published on TED — and on BOAMP since 2024.
//!
//! Read: the notice id, type, subtype, issue date and language; the procedure's title,
//! description, contract nature, main and additional CPV codes, place of performance (NUTS),
//! estimated value and procedure type code (`open`, `restricted`, `neg-w-call`…); the buyer
//! (the first contracting party, resolved to its organisation); and the lots (`LOT-nnnn`;
//! groups of lots are skipped) with title, description, CPV codes, NUTS, estimated value and
//! deadlines. Texts in several languages are read in the notice's language. Amounts are in
//! cents; deadlines are RFC 3339 date-times made of the notice's `EndDate` and `EndTime`.

use std::io::Read;

use serde::Serialize;

use crate::FormatError;
use crate::boamp_xml::amount;
use crate::text::{is_iso_date, is_rfc3339};
use crate::xml::{Element, parse};

/// One eForms contract notice.
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
    /// `LOT-0001`…
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

/// Reads one eForms contract notice.
///
/// Fails with a [`FormatError`] naming the line on malformed XML, a root other than
/// `ContractNotice`, a missing notice id, an issue date or a deadline that is not a date, a
/// CPV code that is not 8 digits, or an amount that is not in euros.
pub fn read_eforms<R: Read>(reader: R) -> Result<EformsNotice, FormatError> {
    let root = parse(reader)?;
    if root.name != "ContractNotice" {
        return Err(FormatError::element(root.line, "ContractNotice", format!("the root element is `{}`", root.name)));
    }
    let id = root.text_at(&["ID"]).ok_or_else(|| FormatError::element(root.line, "ID", "missing notice id"))?;
    let language = root.text_at(&["NoticeLanguageCode"]);
    let lang = language.as_deref();
    let issue_date = match root.child("IssueDate") {
        Some(e) => Some(date_part(e, "IssueDate")?),
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
            estimated_value: amount(
                p.at(&["RequestedTenderTotal", "EstimatedOverallContractAmount"]),
                "EstimatedOverallContractAmount",
            )?,
            tender_deadline: deadline(process.and_then(|t| t.child("TenderSubmissionDeadlinePeriod")))?,
            participation_deadline: deadline(process.and_then(|t| t.child("ParticipationRequestReceptionPeriod")))?,
        });
    }
    Ok(EformsNotice {
        notice_type: root.text_at(&["NoticeTypeCode"]).unwrap_or_default(),
        subtype: extension(&root).and_then(|x| x.text_at(&["NoticeSubType", "SubTypeCode"])),
        issue_date,
        title: in_language(project, "Name", lang),
        description: in_language(project, "Description", lang),
        contract_nature: project.text_at(&["ProcurementTypeCode"]),
        buyer: buyer(&root, lang),
        cpv,
        cpv_additional,
        place_nuts: nuts_codes(project),
        place_description: project
            .child("RealizedLocation")
            .map(|l| in_language(l, "Description", lang))
            .filter(|d| !d.is_empty()),
        estimated_value: amount(
            project.at(&["RequestedTenderTotal", "EstimatedOverallContractAmount"]),
            "EstimatedOverallContractAmount",
        )?,
        procedure: root.text_at(&["TenderingProcess", "ProcedureCode"]),
        tender_deadline: lots.iter().find_map(|l| l.tender_deadline.clone()),
        participation_deadline: lots.iter().find_map(|l| l.participation_deadline.clone()),
        lots,
        id,
        language,
    })
}

fn extension(root: &Element) -> Option<&Element> {
    root.at(&["UBLExtensions", "UBLExtension", "ExtensionContent", "EformsExtension"])
}

/// The text of the `name` children of `parent` in `lang` (the first one when none is).
fn in_language(parent: &Element, name: &str, lang: Option<&str>) -> String {
    let mut all = parent.children_named(name);
    let first = parent.child(name);
    all.find(|e| lang.is_some() && e.attribute("languageID") == lang).or(first).map(Element::text).unwrap_or_default()
}

fn cpv_code(e: &Element) -> Result<Option<String>, FormatError> {
    let Some(code) = e.child("ItemClassificationCode").filter(|c| c.attribute("listName").is_none_or(|l| l == "cpv"))
    else {
        return Ok(None);
    };
    let text = code.text();
    if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(FormatError::element(
            code.line,
            "ItemClassificationCode",
            format!("`{text}` is not an 8-digit CPV code"),
        ));
    }
    Ok(Some(text))
}

/// The main CPV code and the additional ones (without repeats) of a `ProcurementProject`.
fn classifications(project: &Element) -> Result<(Option<String>, Vec<String>), FormatError> {
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
fn split_date(e: &Element, element: &'static str) -> Result<(String, String), FormatError> {
    let text = e.text();
    match text.get(..10) {
        Some(day) if is_iso_date(day) => Ok((day.to_string(), text[10..].to_string())),
        _ => Err(FormatError::element(e.line, element, format!("`{text}` is not a date"))),
    }
}

fn date_part(e: &Element, element: &'static str) -> Result<String, FormatError> {
    split_date(e, element).map(|(day, _)| day)
}

/// A period's `EndDate` and `EndTime` as one RFC 3339 date-time; the time takes the date's
/// offset when it has none, and a date without time means the end of that day.
fn deadline(period: Option<&Element>) -> Result<Option<String>, FormatError> {
    let Some(date) = period.and_then(|p| p.child("EndDate")) else { return Ok(None) };
    let (day, date_offset) = split_date(date, "EndDate")?;
    let (time, line) = match period.and_then(|p| p.child("EndTime")) {
        Some(t) => (t.text(), t.line),
        None => ("23:59:59".to_string(), date.line),
    };
    let mut value = format!("{day}T{time}");
    if time.len() == 8 {
        value.push_str(if date_offset.is_empty() { "Z" } else { &date_offset });
    }
    if !is_rfc3339(&value) {
        return Err(FormatError::element(line, "EndTime", format!("`{time}` is not a time of day")));
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
        let cases: [(String, u64, &str); 5] = [
            (sample("beaucoup", "90910000", "2026-05-04Z"), 6, "EstimatedOverallContractAmount"),
            (sample("1", "9091", "2026-05-04Z"), 7, "ItemClassificationCode"),
            (sample("1", "90910000", "le 4 mai"), 13, "EndDate"),
            (SAMPLE.replace("<cbc:ID>n-1</cbc:ID>", ""), 1, "ID"),
            ("<ContractAwardNotice/>".to_string(), 1, "ContractNotice"),
        ];
        for (doc, line, element) in cases {
            match read_eforms(doc.as_bytes()) {
                Err(FormatError::Element { line: l, element: e, .. }) => assert_eq!((l, e), (line, element), "{doc}"),
                other => panic!("{doc}: {other:?}"),
            }
        }
        let truncated: String = demo_text("cn_81_FRA.xml").chars().take(3000).collect();
        assert!(matches!(read_eforms(truncated.as_bytes()), Err(FormatError::Xml { .. })));
        assert!(matches!(read_eforms(&b"<ContractNotice>\xc3</ContractNotice>"[..]), Err(FormatError::Xml { .. })));
    }
}
