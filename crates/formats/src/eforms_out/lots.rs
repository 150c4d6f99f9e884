//! The procedure's and the lots' `cac:ProcurementProject`, and the lots
//! (`cac:ProcurementProjectLot`) of the contract and the award notice.

use super::parties::{BUYER_ORG, REVIEW_ORG};
use super::writer::{LANGUAGE, Xml};
use super::{AwardCriterion, Lot, NoticeError, Place, Procedure, check, fixed};

/// Which notice the lots are written for: the award notice leaves out the call for tenders
/// (deadline, documents, submission, validity), which its subtype does not carry.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Contract,
    Award,
}

/// A checked `cac:ProcurementProject`.
pub(super) struct Project<'a> {
    internal_id: Option<&'a str>,
    title: &'a str,
    description: &'a str,
    nature: &'static str,
    cpv: &'a str,
    cpv_additional: Vec<&'a str>,
    value: Option<String>,
    nuts: &'a str,
    town: Option<&'a str>,
    place_description: Option<&'a str>,
}

struct Criterion<'a> {
    kind: &'static str,
    name: Option<&'a str>,
    description: &'a str,
    weight: String,
}

/// A checked lot.
pub(super) struct CheckedLot<'a> {
    pub(super) id: &'a str,
    project: Project<'a>,
    /// BT-131 date and time, BT-15, BT-18, BT-98 (contract notice only).
    call: Option<Call<'a>>,
    criteria: Vec<Criterion<'a>>,
}

struct Call<'a> {
    deadline: (String, String),
    documents_url: &'a str,
    submission_url: &'a str,
    validity_days: String,
}

#[allow(clippy::too_many_arguments)]
fn project<'a>(
    who: &str,
    internal_id: Option<&'a str>,
    title: &'a str,
    description: &'a str,
    nature: &'static str,
    cpv: &'a str,
    cpv_additional: &'a [String],
    value: Option<i64>,
    place: &'a Place,
) -> Result<Project<'a>, NoticeError> {
    let f = |what: &str| format!("{who} — {what}");
    let main = check::cpv(&f("code CPV principal"), cpv)?;
    let mut additional = Vec::new();
    for code in cpv_additional {
        let code = check::cpv(&f("code CPV supplémentaire"), code)?;
        if code != main && !additional.contains(&code) {
            additional.push(code);
        }
    }
    Ok(Project {
        internal_id: check::optional(&f("référence"), internal_id)?,
        title: check::text(&f("titre"), title)?,
        description: check::text(&f("description"), description)?,
        nature,
        cpv: main,
        cpv_additional: additional,
        value: value.map(|v| check::amount(&f("valeur estimée"), v)).transpose()?,
        nuts: check::nuts(&f("lieu d'exécution (code NUTS)"), &place.nuts, "FRA")?,
        town: check::optional(&f("lieu d'exécution (ville)"), place.town.as_deref())?,
        place_description: check::optional(&f("lieu d'exécution (précisions)"), place.description.as_deref())?,
    })
}

/// Checks the procedure.
pub(super) fn procedure(p: &Procedure) -> Result<Project<'_>, NoticeError> {
    project(
        "Procédure",
        p.internal_id.as_deref(),
        &p.title,
        &p.description,
        p.nature.code(),
        &p.cpv,
        &p.cpv_additional,
        p.estimated_value,
        &p.place,
    )
}

fn criteria<'a>(who: &str, lot: &str, list: &'a [AwardCriterion]) -> Result<Vec<Criterion<'a>>, NoticeError> {
    if list.is_empty() {
        return Err(NoticeError::NoAwardCriteria { lot: lot.to_string() });
    }
    let mut out = Vec::new();
    let mut total: u64 = 0;
    for (i, c) in list.iter().enumerate() {
        let f = |what: &str| format!("{who} — critère {} — {what}", i + 1);
        total += u64::from(c.weight_percent);
        out.push(Criterion {
            kind: c.kind.code(),
            name: check::optional(&f("nom"), c.name.as_deref())?,
            description: check::text(&f("description"), &c.description)?,
            weight: c.weight_percent.to_string(),
        });
    }
    if total != 100 {
        return Err(NoticeError::WeightsNotHundred { lot: lot.to_string(), total });
    }
    Ok(out)
}

/// Checks the lots: at least one, unique ids, and for the contract notice the call's values.
pub(super) fn lots<'a>(lots: &'a [Lot], nature: &'static str, kind: Kind) -> Result<Vec<CheckedLot<'a>>, NoticeError> {
    if lots.is_empty() {
        return Err(NoticeError::NoLots);
    }
    let mut out: Vec<CheckedLot> = Vec::new();
    for (i, lot) in lots.iter().enumerate() {
        let numbered = format!("Lot n° {}", i + 1);
        let id = check::lot_id(&format!("{numbered} — identifiant"), &lot.id)?;
        if out.iter().any(|l| l.id == id) {
            return Err(NoticeError::DuplicateLot { lot: id.to_string() });
        }
        let who = format!("Lot {id}");
        let f = |what: &str| format!("{who} — {what}");
        let project = project(
            &who,
            None,
            &lot.title,
            &lot.description,
            nature,
            &lot.cpv,
            &lot.cpv_additional,
            lot.estimated_value,
            &lot.place,
        )?;
        let call = match kind {
            Kind::Award => None,
            Kind::Contract => {
                if lot.tender_validity_days == 0 {
                    return Err(NoticeError::Invalid {
                        field: f("durée de validité des offres"),
                        value: "0".into(),
                        expected: "un nombre de jours positif",
                    });
                }
                Some(Call {
                    deadline: check::date_time(&f("date limite de remise des offres"), &lot.tender_deadline)?,
                    documents_url: check::url(&f("adresse du DCE"), &lot.documents_url)?,
                    submission_url: check::url(&f("adresse de dépôt des offres"), &lot.submission_url)?,
                    validity_days: lot.tender_validity_days.to_string(),
                })
            }
        };
        out.push(CheckedLot { id, project, call, criteria: criteria(&who, id, &lot.award_criteria)? });
    }
    Ok(out)
}

/// `cac:ProcurementProject` (BT-22, BT-21, BT-24, BT-23, BT-27, BT-262, BT-263, BG-708).
pub(super) fn write_project(xml: &mut Xml, p: &Project) {
    xml.open("cac:ProcurementProject");
    if let Some(id) = p.internal_id {
        xml.id("InternalID", id);
    }
    xml.text("cbc:Name", p.title);
    xml.text("cbc:Description", p.description);
    xml.code("cbc:ProcurementTypeCode", "contract-nature", p.nature);
    if let Some(value) = &p.value {
        xml.open("cac:RequestedTenderTotal");
        xml.euros("cbc:EstimatedOverallContractAmount", value);
        xml.close("cac:RequestedTenderTotal");
    }
    xml.open("cac:MainCommodityClassification");
    xml.code("cbc:ItemClassificationCode", "cpv", p.cpv);
    xml.close("cac:MainCommodityClassification");
    for code in &p.cpv_additional {
        xml.open("cac:AdditionalCommodityClassification");
        xml.code("cbc:ItemClassificationCode", "cpv", code);
        xml.close("cac:AdditionalCommodityClassification");
    }
    xml.open("cac:RealizedLocation");
    if let Some(d) = p.place_description {
        xml.text("cbc:Description", d);
    }
    xml.open("cac:Address");
    if let Some(town) = p.town {
        xml.leaf("cbc:CityName", town);
    }
    xml.code("cbc:CountrySubentityCode", "nuts", p.nuts);
    xml.open("cac:Country");
    xml.code("cbc:IdentificationCode", "country", "FRA");
    xml.close("cac:Country");
    xml.close("cac:Address");
    xml.close("cac:RealizedLocation");
    xml.close("cac:ProcurementProject");
}

fn write_criteria(xml: &mut Xml, criteria: &[Criterion]) {
    xml.open("cac:AwardingTerms");
    xml.open("cac:AwardingCriterion");
    for c in criteria {
        xml.open("cac:SubordinateAwardingCriterion");
        xml.open("ext:UBLExtensions");
        xml.open("ext:UBLExtension");
        xml.open("ext:ExtensionContent");
        xml.open("efext:EformsExtension");
        xml.open("efac:AwardCriterionParameter");
        xml.code("efbc:ParameterCode", "number-weight", fixed::WEIGHT_KIND);
        xml.leaf("efbc:ParameterNumeric", &c.weight);
        xml.close("efac:AwardCriterionParameter");
        xml.close("efext:EformsExtension");
        xml.close("ext:ExtensionContent");
        xml.close("ext:UBLExtension");
        xml.close("ext:UBLExtensions");
        xml.code("cbc:AwardingCriterionTypeCode", "award-criterion-type", c.kind);
        if let Some(name) = c.name {
            xml.text("cbc:Name", name);
        }
        xml.text("cbc:Description", c.description);
        xml.close("cac:SubordinateAwardingCriterion");
    }
    xml.close("cac:AwardingCriterion");
    xml.close("cac:AwardingTerms");
}

fn write_appeal_terms(xml: &mut Xml) {
    xml.open("cac:AppealTerms");
    xml.party_ref("cac:AppealInformationParty", REVIEW_ORG);
    xml.party_ref("cac:AppealReceiverParty", REVIEW_ORG);
    xml.close("cac:AppealTerms");
}

fn write_contracting_systems(xml: &mut Xml) {
    xml.open("cac:AuctionTerms");
    xml.leaf("cbc:AuctionConstraintIndicator", fixed::AUCTION);
    xml.close("cac:AuctionTerms");
    xml.open("cac:ContractingSystem");
    xml.code("cbc:ContractingSystemTypeCode", "framework-agreement", fixed::FRAMEWORK);
    xml.close("cac:ContractingSystem");
    xml.open("cac:ContractingSystem");
    xml.code("cbc:ContractingSystemTypeCode", "dps-usage", fixed::DPS);
    xml.close("cac:ContractingSystem");
}

fn requirement(xml: &mut Xml, list: &str, code: &str) {
    xml.open("cac:TendererQualificationRequest");
    xml.open("cac:SpecificTendererRequirement");
    xml.code("cbc:TendererRequirementTypeCode", list, code);
    xml.close("cac:SpecificTendererRequirement");
    xml.close("cac:TendererQualificationRequest");
}

fn execution(xml: &mut Xml, list: &str, code: &str) {
    xml.open("cac:ContractExecutionRequirement");
    xml.code("cbc:ExecutionRequirementCode", list, code);
    xml.close("cac:ContractExecutionRequirement");
}

/// Writes the procedure-level `cac:TenderingTerms` of the contract notice (BT-806, BT-31).
pub(super) fn write_procedure_terms(xml: &mut Xml, lot_count: usize) {
    xml.open("cac:TenderingTerms");
    requirement(xml, "exclusion-grounds-source", fixed::EXCLUSION_GROUNDS_SOURCE);
    if lot_count > 1 {
        xml.open("cac:LotDistribution");
        xml.leaf("cbc:MaximumLotsSubmittedNumeric", &lot_count.to_string());
        xml.close("cac:LotDistribution");
    }
    xml.close("cac:TenderingTerms");
}

/// One `cac:ProcurementProjectLot`.
pub(super) fn write_lot(xml: &mut Xml, lot: &CheckedLot) {
    xml.open("cac:ProcurementProjectLot");
    xml.id("Lot", lot.id);
    xml.open("cac:TenderingTerms");
    xml.code("cbc:FundingProgramCode", "eu-funded", fixed::EU_FUNDS);
    if let Some(call) = &lot.call {
        xml.open("cac:CallForTendersDocumentReference");
        xml.leaf("cbc:ID", fixed::DOCUMENTS_ID);
        xml.leaf("cbc:DocumentType", fixed::DOCUMENTS);
        xml.open("cac:Attachment");
        xml.open("cac:ExternalReference");
        xml.leaf("cbc:URI", call.documents_url);
        xml.close("cac:ExternalReference");
        xml.close("cac:Attachment");
        xml.close("cac:CallForTendersDocumentReference");
        requirement(xml, "reserved-procurement", fixed::RESERVED_PROCUREMENT);
        requirement(xml, "selection-criteria-source", fixed::SELECTION_CRITERIA_SOURCE);
        execution(xml, "reserved-execution", fixed::RESERVED_EXECUTION);
        execution(xml, "einvoicing", fixed::EINVOICING);
        execution(xml, "ecatalog-submission", fixed::ECATALOG);
    }
    write_criteria(xml, &lot.criteria);
    if let Some(call) = &lot.call {
        xml.open("cac:TenderRecipientParty");
        xml.leaf("cbc:EndpointID", call.submission_url);
        xml.open("cac:PartyIdentification");
        xml.id("organization", BUYER_ORG);
        xml.close("cac:PartyIdentification");
        xml.close("cac:TenderRecipientParty");
        xml.open("cac:TenderValidityPeriod");
        xml.leaf_with("cbc:DurationMeasure", &[("unitCode", fixed::VALIDITY_UNIT)], &call.validity_days);
        xml.close("cac:TenderValidityPeriod");
    }
    write_appeal_terms(xml);
    if lot.call.is_some() {
        xml.open("cac:Language");
        xml.leaf("cbc:ID", LANGUAGE);
        xml.close("cac:Language");
        xml.open("cac:PostAwardProcess");
        xml.leaf("cbc:ElectronicOrderUsageIndicator", fixed::E_ORDERING);
        xml.leaf("cbc:ElectronicPaymentUsageIndicator", fixed::E_PAYMENT);
        xml.close("cac:PostAwardProcess");
    }
    xml.close("cac:TenderingTerms");
    xml.open("cac:TenderingProcess");
    if lot.call.is_some() {
        xml.code("cbc:SubmissionMethodCode", "esubmission", fixed::ESUBMISSION);
    }
    xml.leaf("cbc:GovernmentAgreementConstraintIndicator", fixed::GPA);
    if let Some(call) = &lot.call {
        xml.open("cac:TenderSubmissionDeadlinePeriod");
        xml.leaf("cbc:EndDate", &call.deadline.0);
        xml.leaf("cbc:EndTime", &call.deadline.1);
        xml.close("cac:TenderSubmissionDeadlinePeriod");
    }
    write_contracting_systems(xml);
    xml.close("cac:TenderingProcess");
    write_project(xml, &lot.project);
    xml.close("cac:ProcurementProjectLot");
}
