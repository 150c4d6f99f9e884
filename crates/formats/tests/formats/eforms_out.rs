//! The eForms writer (`formats::eforms_out`): its contract notice (subtype 16) and award notice
//! (subtype 29) checked against the SDK 1.15.1 copied in `data/eforms-sdk/` — the XSDs (with
//! `xmllint`), the fields of `fields.json` and the code lists — plus a round trip of an
//! official example through `read_eforms`, and precise errors on bad input.
//!
//! ## How an emitted value is matched to the SDK
//!
//! Every element without child elements and every attribute (namespace declarations aside) of
//! the written notice gives a path from the root, `/*/cac:ProcurementProjectLot/cbc:ID` or
//! `…/cbc:ItemClassificationCode/@listName`. A field of `fields.json` matches when its
//! `xpathAbsolute`, with every predicate `[…]` removed, is that path. (Predicates such as
//! `[cbc:ID/@schemeName='Lot']` or `[@listName='dps-usage']` only tell apart fields that share
//! a path; the `listName` check below covers the codes those predicates select.) A path no
//! field matches, or whose every field is forbidden for the subtype, fails the test.
//!
//! A value is checked against a code list when a matching field has a `codeList`, and against
//! the list its `listName` attribute names when it has one. A list's codes are those of its
//! `.gc` file; the SDK snapshot holds 39 of about 300 files, so a list without its file takes
//! the codes of its family (its parent and the lists sharing that parent, e.g. `nuts-lvl3` →
//! `nuts-fra-lvl3`, `country` → `eu-country`) and the values the official examples copied in
//! `data/eforms-sdk/examples/` use for it (which attests `true`/`false` for `indicator` lists,
//! `no-eu-funds`, `per-exa`…). CPV codes come from `data/cpv/cpv_2008_eforms_fr_en.csv`, built
//! from the same SDK (its `cpv.gc` is too large for the snapshot).

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use formats::eforms_out::{
    AUTHORITY_ACTIVITIES, AwardCriterion, BUYER_LEGAL_TYPES, Buyer, CompanySize, ContractNature, CriterionKind, Lot,
    LotAward, Notice, NoticeError, Organisation, Place, Procedure, ProcedureType, write_award_notice,
    write_contract_notice,
};
use formats::{EformsNotice, read_eforms};
use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};

use crate::support::{repo_root, xmllint};

fn sdk() -> PathBuf {
    repo_root().join("data/eforms-sdk")
}

// ---------------------------------------------------------------------------------------------
// Sample input: a Hauts-de-Seine buyer, two lots.

fn organisation(name: &str, siret: &str, town: &str, postcode: &str, nuts: &str) -> Organisation {
    Organisation {
        name: name.into(),
        siret: siret.into(),
        street: Some("1 rue de l'Hôtel de Ville".into()),
        town: town.into(),
        postcode: postcode.into(),
        nuts: Some(nuts.into()),
        country: "FRA".into(),
        email: None,
        phone: None,
        website: None,
    }
}

fn criteria() -> Vec<AwardCriterion> {
    vec![
        AwardCriterion {
            kind: CriterionKind::Price,
            name: Some("Prix".into()),
            description: "Prix global et forfaitaire (DPGF)".into(),
            weight_percent: 40,
        },
        AwardCriterion {
            kind: CriterionKind::Quality,
            name: Some("Valeur technique".into()),
            description: "Appréciée au regard du mémoire technique : moyens & méthodes <détaillés>".into(),
            weight_percent: 60,
        },
    ]
}

fn lot(n: u32, title: &str, cpv: &str, nuts: &str) -> Lot {
    Lot {
        id: format!("LOT-{n:04}"),
        title: title.into(),
        description: format!("{title} des bâtiments communaux, y compris l'école \"Jean Jaurès\"."),
        cpv: cpv.into(),
        cpv_additional: vec!["45442110".into()],
        place: Place { nuts: nuts.into(), town: Some("Nanterre".into()), description: None },
        estimated_value: Some(12_500_050),
        tender_deadline: "2026-04-15T12:00:00+02:00".into(),
        documents_url: "https://halle.example.fr/consultations/2026-014/dce?lot=1&format=zip".into(),
        submission_url: "https://halle.example.fr/consultations/2026-014/depot".into(),
        tender_validity_days: 120,
        award_criteria: criteria(),
    }
}

fn sample() -> Notice {
    let mut buyer = organisation("Ville de Nanterre", "21920050200017", "Nanterre", "92000", "FR105");
    buyer.email = Some("marches@mairie-nanterre.fr".into());
    buyer.phone = Some("+33 1 47 29 50 50".into());
    buyer.website = Some("https://www.nanterre.fr".into());
    let mut review =
        organisation("Tribunal administratif de Cergy-Pontoise", "17950111500010", "Cergy", "95000", "FR108");
    review.street = Some("2-4 boulevard de l'Hautil".into());
    review.email = Some("greffe.ta-cergy-pontoise@juradm.fr".into());
    Notice {
        notice_id: "7f2b8c1e-4d5a-4b6c-9e8f-0a1b2c3d4e5f".into(),
        procedure_id: "0b9f3a2e-1c4d-4e5f-8a7b-6c5d4e3f2a1b".into(),
        issued_at: "2026-03-02T10:15:00+01:00".into(),
        buyer: Buyer {
            organisation: buyer,
            legal_type: "la".into(),
            activity: "gen-pub".into(),
            profile_url: Some("https://halle.example.fr/acheteurs/nanterre".into()),
        },
        review_body: review,
        procedure: Procedure {
            internal_id: Some("2026-014".into()),
            title: "Travaux de peinture & de revêtements".into(),
            description: "Travaux de peinture intérieure et de revêtements de sols souples.".into(),
            nature: ContractNature::Works,
            procedure_type: ProcedureType::Open,
            cpv: "45442100-8".into(),
            cpv_additional: vec!["45432111".into(), "45442100".into()],
            estimated_value: Some(25_000_100),
            place: Place {
                nuts: "FR105".into(),
                town: Some("Nanterre".into()),
                description: Some("Bâtiments communaux de Nanterre".into()),
            },
        },
        lots: vec![lot(1, "Peinture", "45442100", "FR105"), lot(2, "Revêtements de sols", "45432111", "FR105")],
    }
}

fn awards() -> Vec<LotAward> {
    let mut winner = organisation("Peintures Franciliennes SARL", "73282932000074", "Colombes", "92700", "FR105");
    winner.email = Some("contact@peintures-franciliennes.fr".into());
    let award = |lot: &str, tender: &str, amount: i64| LotAward {
        lot_id: lot.into(),
        winner: winner.clone(),
        winner_size: CompanySize::Small,
        tender_id: tender.into(),
        amount,
        contract_reference: format!("2026-014-{lot}"),
        conclusion_date: "2026-06-30".into(),
        tenders_received: 4,
    };
    vec![award("LOT-0002", "PLI-0007", 9_870_000), award("LOT-0001", "PLI-0003", 11_999_999)]
}

fn temp_file(name: &str, content: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    fs::write(&path, content).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    path
}

fn assert_xsd_valid(maindoc: &str, name: &str, xml: &str) {
    let file = temp_file(name, xml);
    let verdict = xmllint(&sdk().join("schemas/maindoc").join(maindoc), &file);
    assert!(verdict.ok, "{name} is not valid against {maindoc}:\n{}", verdict.output);
}

// ---------------------------------------------------------------------------------------------
// XSD validity.

#[test]
fn contract_notice_is_valid_against_the_sdk_schema() {
    let xml = write_contract_notice(&sample()).unwrap();
    assert_xsd_valid("UBL-ContractNotice-2.3.xsd", "eforms_out_cn16.xml", &xml);
    // The escaping held: the texts are there, and nothing raw broke the document.
    assert!(xml.contains("Travaux de peinture &amp; de revêtements"));
    assert!(xml.contains("moyens &amp; méthodes &lt;détaillés&gt;"));
    assert!(xml.contains("dce?lot=1&amp;format=zip"));
    assert!(xml.contains("<cbc:EstimatedOverallContractAmount currencyID=\"EUR\">250001.00<"));
    assert!(xml.contains("<cbc:EndDate>2026-04-15+02:00</cbc:EndDate>"));
    assert!(xml.contains("<cbc:ItemClassificationCode listName=\"cpv\">45442100<"));
}

#[test]
fn award_notice_is_valid_against_the_sdk_schema() {
    let xml = write_award_notice(&sample(), &awards()).unwrap();
    assert_xsd_valid("UBL-ContractAwardNotice-2.3.xsd", "eforms_out_can29.xml", &xml);
    assert!(xml.contains("<cbc:TotalAmount currencyID=\"EUR\">218699.99</cbc:TotalAmount>"), "{xml}");
    assert!(xml.contains("<cbc:PayableAmount currencyID=\"EUR\">98700.00</cbc:PayableAmount>"));
    assert!(xml.contains("<cbc:IssueDate>2026-06-30+02:00</cbc:IssueDate>"));
    // One firm won both lots: one organisation, one tendering party.
    assert_eq!(xml.matches("Peintures Franciliennes SARL").count(), 1);
    assert_eq!(xml.matches("<efac:TenderingParty>").count(), 3, "one declared, two references");
}

#[test]
fn the_schema_check_can_fail() {
    let xml = write_contract_notice(&sample()).unwrap();
    // Elements out of the UBL order and an unknown element.
    let swapped = xml.replacen("<cbc:VersionID>01</cbc:VersionID>", "", 1).replacen(
        "<cbc:UBLVersionID>2.3</cbc:UBLVersionID>",
        "<cbc:UBLVersionID>2.3</cbc:UBLVersionID><cbc:VersionID>01</cbc:VersionID><cbc:Surprise>1</cbc:Surprise>",
        1,
    );
    let file = temp_file("eforms_out_cn16_broken.xml", &swapped);
    let verdict = xmllint(&sdk().join("schemas/maindoc/UBL-ContractNotice-2.3.xsd"), &file);
    assert!(!verdict.ok, "{}", verdict.output);
}

// ---------------------------------------------------------------------------------------------
// Fields and code lists.

/// An element without child elements, or an attribute, of a notice.
struct Leaf {
    /// `/*/cac:A/cbc:B` or `/*/cac:A/cbc:B/@attr`.
    path: String,
    value: String,
    /// The element's `listName`, if any.
    list_name: Option<String>,
}

fn leaves(xml: &str) -> Vec<Leaf> {
    struct Open {
        name: String,
        attrs: Vec<(String, String)>,
        text: String,
        has_children: bool,
    }
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Open> = Vec::new();
    let mut out = Vec::new();
    let path_of = |stack: &[Open], name: &str| {
        let mut p = String::from("/*");
        for o in stack.iter().skip(1) {
            p.push('/');
            p.push_str(&o.name);
        }
        if !stack.is_empty() {
            p.push('/');
            p.push_str(name);
        }
        p
    };
    let close = |stack: &mut Vec<Open>, out: &mut Vec<Leaf>| {
        let Some(o) = stack.pop() else { return };
        let path = path_of(stack, &o.name);
        for (k, v) in &o.attrs {
            out.push(Leaf { path: format!("{path}/@{k}"), value: v.clone(), list_name: None });
        }
        if !o.has_children && !stack.is_empty() {
            let list_name = o.attrs.iter().find(|(k, _)| k == "listName").map(|(_, v)| v.clone());
            out.push(Leaf { path, value: o.text.trim().to_string(), list_name });
        }
    };
    loop {
        let event = reader.read_event().expect("well-formed XML");
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) => {
                if let Some(parent) = stack.last_mut() {
                    parent.has_children = true;
                }
                let attrs = e
                    .attributes()
                    .map(|a| {
                        let a = a.expect("attribute");
                        let key = a.key.as_ref().to_string();
                        (key, a.normalized_value(XmlVersion::Implicit1_0).expect("attribute value").into_owned())
                    })
                    .filter(|(k, _)| k != "xmlns" && !k.starts_with("xmlns:"))
                    .collect();
                let name = e.name().as_ref().to_string();
                stack.push(Open { name, attrs, text: String::new(), has_children: false });
                if empty {
                    close(&mut stack, &mut out);
                }
            }
            Event::End(_) => close(&mut stack, &mut out),
            Event::Text(t) => {
                if let Some(o) = stack.last_mut() {
                    o.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some(o) = stack.last_mut() {
                    let s = match r.resolve_char_ref().expect("char ref") {
                        Some(c) => c.to_string(),
                        None => quick_xml::escape::resolve_predefined_entity(&r).expect("entity").to_string(),
                    };
                    o.text.push_str(&s);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// `xpathAbsolute` without its predicates.
fn strip_predicates(xpath: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for c in xpath.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') if depth > 0 => quote = Some(c),
            (None, '[') => depth += 1,
            (None, ']') => depth = depth.saturating_sub(1),
            (None, c) if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

struct Field {
    id: String,
    code_list: Option<String>,
    forbidden_for: HashSet<String>,
}

struct Sdk {
    /// Fields by stripped `xpathAbsolute`.
    fields: HashMap<String, Vec<Field>>,
    /// Code list id → parent id.
    parents: HashMap<String, Option<String>>,
    /// Code list id → codes, for the lists whose file is here.
    files: HashMap<String, HashSet<String>>,
    /// Code list id → values the SDK examples use for it.
    attested: HashMap<String, HashSet<String>>,
    cpv: HashSet<String>,
}

fn genericode_codes(path: &Path) -> HashSet<String> {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut codes = HashSet::new();
    let mut rest = text.as_str();
    while let Some(i) = rest.find("<Value ColumnRef=\"code\">") {
        rest = &rest[i..];
        let start = rest.find("<SimpleValue>").map(|s| s + "<SimpleValue>".len());
        let end = rest.find("</SimpleValue>");
        if let (Some(s), Some(e)) = (start, end) {
            codes.insert(rest[s..e].trim().to_string());
        }
        rest = &rest[1..];
    }
    codes
}

fn load_sdk() -> Sdk {
    let fields_json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(sdk().join("fields/fields.json")).unwrap()).unwrap();
    let mut fields: HashMap<String, Vec<Field>> = HashMap::new();
    for f in fields_json["fields"].as_array().unwrap() {
        let forbidden_for = f["forbidden"]["constraints"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| c.get("condition").is_none() && c["value"] == true)
            .flat_map(|c| c["noticeTypes"].as_array().unwrap().iter().map(|t| t.as_str().unwrap().to_string()))
            .collect();
        fields.entry(strip_predicates(f["xpathAbsolute"].as_str().unwrap())).or_default().push(Field {
            id: f["id"].as_str().unwrap().to_string(),
            code_list: f["codeList"]["value"]["id"].as_str().map(str::to_string),
            forbidden_for,
        });
    }
    let lists: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(sdk().join("codelists/codelists.json")).unwrap()).unwrap();
    let mut parents = HashMap::new();
    let mut files = HashMap::new();
    for l in lists["codelists"].as_array().unwrap() {
        let id = l["id"].as_str().unwrap().to_string();
        let file = sdk().join("codelists").join(l["filename"].as_str().unwrap());
        if file.is_file() {
            files.insert(id.clone(), genericode_codes(&file));
        }
        parents.insert(id, l["parentId"].as_str().map(str::to_string));
    }
    assert!(files.len() >= 20, "the code list files are missing from data/eforms-sdk/codelists");
    let cpv_csv = fs::read_to_string(repo_root().join("data/cpv/cpv_2008_eforms_fr_en.csv")).unwrap();
    let cpv = cpv_csv.lines().skip(1).filter_map(|l| l.split(',').nth(1)).map(str::to_string).collect();
    let mut sdk = Sdk { fields, parents, files, attested: HashMap::new(), cpv };
    for example in ["cn_24_FRA_comments.xml", "can_24_FRA_comments.xml", "cn_24_open.xml", "can_24_minimal.xml"] {
        let xml = fs::read_to_string(sdk_path_example(example)).unwrap();
        for leaf in leaves(&xml) {
            for list in sdk.lists_of(&leaf) {
                sdk.attested.entry(list).or_default().insert(leaf.value.clone());
            }
        }
    }
    sdk
}

fn sdk_path_example(name: &str) -> PathBuf {
    sdk().join("examples").join(name)
}

impl Sdk {
    /// The code lists a leaf's value must belong to: its `listName`, and its fields' lists.
    fn lists_of(&self, leaf: &Leaf) -> Vec<String> {
        let mut lists: Vec<String> = leaf.list_name.iter().cloned().collect();
        let field_lists: Vec<String> =
            self.fields.get(&leaf.path).into_iter().flatten().filter_map(|f| f.code_list.clone()).collect();
        if leaf.list_name.is_none() {
            // Without listName the value must be in one of the fields' lists (fields sharing a
            // path may have different lists); we keep the first, the others are checked below.
            lists.extend(field_lists.first().cloned());
        }
        lists
    }

    /// The lists a list's codes are looked for in: itself, its parent, and their children.
    fn family(&self, list: &str) -> Vec<String> {
        let parent = self.parents.get(list).cloned().flatten();
        let mut family = vec![list.to_string()];
        family.extend(parent.clone());
        for (id, p) in &self.parents {
            if p.as_deref() == Some(list) || (parent.is_some() && *p == parent) {
                family.push(id.clone());
            }
        }
        family
    }

    fn accepts(&self, list: &str, value: &str) -> bool {
        if list == "cpv" {
            return self.cpv.contains(value);
        }
        self.family(list).iter().any(|l| {
            self.files.get(l).is_some_and(|c| c.contains(value))
                || self.attested.get(l).is_some_and(|c| c.contains(value))
        })
    }

    /// Every problem of a written notice: unknown paths, forbidden fields, codes outside
    /// their lists.
    fn problems(&self, xml: &str, subtype: &str) -> Vec<String> {
        let mut problems = Vec::new();
        for leaf in leaves(xml) {
            let Some(fields) = self.fields.get(&leaf.path) else {
                problems.push(format!("no field has the path {}", leaf.path));
                continue;
            };
            if fields.iter().all(|f| f.forbidden_for.contains(subtype)) {
                let ids: Vec<&str> = fields.iter().map(|f| f.id.as_str()).collect();
                problems.push(format!("{} ({ids:?}) is forbidden in subtype {subtype}", leaf.path));
            }
            if let Some(list) = &leaf.list_name {
                if !self.parents.contains_key(list) {
                    problems.push(format!("{}: listName `{list}` is not an SDK code list", leaf.path));
                }
                let field_lists: Vec<&String> = fields.iter().filter_map(|f| f.code_list.as_ref()).collect();
                let related = field_lists.is_empty()
                    || field_lists.iter().any(|fl| self.family(fl).contains(list) || self.family(list).contains(fl));
                if !related {
                    problems.push(format!("{}: listName `{list}` is not the fields' list {field_lists:?}", leaf.path));
                }
                if !self.accepts(list, &leaf.value) {
                    problems.push(format!("{}: `{}` is not in the code list `{list}`", leaf.path, leaf.value));
                }
            } else {
                let field_lists: Vec<&String> = fields.iter().filter_map(|f| f.code_list.as_ref()).collect();
                if !field_lists.is_empty() && !field_lists.iter().any(|l| self.accepts(l, &leaf.value)) {
                    problems.push(format!("{}: `{}` is not in the code lists {field_lists:?}", leaf.path, leaf.value));
                }
            }
        }
        problems
    }
}

#[test]
fn every_emitted_field_and_code_exists_in_the_sdk() {
    let sdk = load_sdk();
    let cn = write_contract_notice(&sample()).unwrap();
    let problems = sdk.problems(&cn, "16");
    assert!(problems.is_empty(), "contract notice:\n{}", problems.join("\n"));
    let can = write_award_notice(&sample(), &awards()).unwrap();
    let problems = sdk.problems(&can, "29");
    assert!(problems.is_empty(), "award notice:\n{}", problems.join("\n"));
    // The walk saw what it should: many leaves, lists checked from files.
    assert!(leaves(&cn).len() > 100);
    for list in ["buyer-legal-type", "nuts-fra-lvl3", "contract-nature", "notice-subtype", "winner-selection-status"] {
        assert!(sdk.files.contains_key(list), "{list}");
    }
}

#[test]
fn the_field_and_code_check_can_fail() {
    let sdk = load_sdk();
    let cn = write_contract_notice(&sample()).unwrap();
    let broken = cn
        .replacen(">works</cbc:ProcurementTypeCode>", ">workz</cbc:ProcurementTypeCode>", 1)
        .replacen(">FR105</cbc:CountrySubentityCode>", ">FR999</cbc:CountrySubentityCode>", 1)
        .replacen(">45442100</cbc:ItemClassificationCode>", ">45442109</cbc:ItemClassificationCode>", 1)
        .replacen("listName=\"buyer-legal-type\"", "listName=\"buyer-legal-typo\"", 1)
        .replacen("<cbc:VersionID>", "<cbc:Invented>x</cbc:Invented><cbc:VersionID>", 1)
        .replacen(
            "<efbc:ParameterNumeric>",
            "<efbc:ParameterCode listName=\"number-weight\">per-mille</efbc:ParameterCode><efbc:ParameterNumeric>",
            1,
        );
    let problems = sdk.problems(&broken, "16").join("\n");
    for expected in [
        "`workz` is not in the code list `contract-nature`",
        "`FR999` is not in the code list `nuts`",
        "`45442109` is not in the code list `cpv`",
        "listName `buyer-legal-typo` is not an SDK code list",
        "no field has the path /*/cbc:Invented",
        "`per-mille` is not in the code list `number-weight`",
    ] {
        assert!(problems.contains(expected), "{expected} not reported in:\n{problems}");
    }
    // A field the subtype forbids: BT-161 (notice value) exists only in result notices.
    let forbidden = cn.replacen(
        "<efac:NoticeSubType>",
        "<efac:NoticeResult><cbc:TotalAmount currencyID=\"EUR\">1.00</cbc:TotalAmount></efac:NoticeResult><efac:NoticeSubType>",
        1,
    );
    let problems = sdk.problems(&forbidden, "16").join("\n");
    assert!(problems.contains("TotalAmount ([\"BT-161-NoticeResult\"]) is forbidden in subtype 16"), "{problems}");
}

#[test]
fn the_accepted_codes_are_sdk_codes() {
    let sdk = load_sdk();
    for code in BUYER_LEGAL_TYPES {
        assert!(sdk.accepts("buyer-legal-type", code), "{code}");
    }
    for code in AUTHORITY_ACTIVITIES {
        assert!(sdk.accepts("authority-activity", code), "{code}");
    }
    for size in [CompanySize::Micro, CompanySize::Small, CompanySize::Medium, CompanySize::Large] {
        assert!(sdk.accepts("economic-operator-size", size.code()));
    }
    for nature in [ContractNature::Works, ContractNature::Supplies, ContractNature::Services] {
        assert!(sdk.accepts("contract-nature", nature.code()));
        assert_eq!(ContractNature::from_code(nature.code()), Some(nature));
    }
    for kind in [CriterionKind::Price, CriterionKind::Cost, CriterionKind::Quality] {
        assert!(sdk.accepts("award-criterion-type", kind.code()));
    }
}

// ---------------------------------------------------------------------------------------------
// Round trip through the reader.

/// What `read_eforms` gives, completed with what it does not read (marked).
fn notice_from(read: &EformsNotice) -> Notice {
    let buyer = &read.buyer;
    let place = |nuts: &[String], description: Option<&String>| Place {
        nuts: nuts.first().cloned().unwrap_or_default(),
        town: None,
        description: description.cloned(),
    };
    Notice {
        notice_id: read.id.clone(),
        procedure_id: "e3cdabf1-e057-47a5-9210-b1f6fc757228".into(), // not read
        issued_at: format!("{}T00:00:00+01:00", read.issue_date.clone().unwrap_or_default()),
        buyer: Buyer {
            organisation: Organisation {
                name: buyer.name.clone(),
                siret: "21920050200017".into(), // not read (and the example's is no SIRET)
                street: buyer.street.clone(),
                town: buyer.city.clone().unwrap_or_default(),
                postcode: buyer.postal_code.clone().unwrap_or_default(),
                nuts: buyer.nuts.clone(),
                country: buyer.country.clone().unwrap_or_default(),
                email: Some("contact@rouenhabitat.fr".into()), // not read
                phone: Some("+33 235156161".into()),           // not read
                website: None,
            },
            legal_type: "pub-undert-la".into(), // not read
            activity: "hc-am".into(),           // not read
            profile_url: None,
        },
        review_body: organisation("Tribunal administratif de Rouen", "17760111500013", "Rouen", "76000", "FRD22"),
        procedure: Procedure {
            internal_id: None,
            title: read.title.clone(),
            description: read.description.clone(),
            nature: read
                .contract_nature
                .as_deref()
                .and_then(ContractNature::from_code)
                .unwrap_or(ContractNature::Services),
            procedure_type: ProcedureType::Open,
            cpv: read.cpv.clone().unwrap_or_default(),
            cpv_additional: read.cpv_additional.clone(),
            estimated_value: read.estimated_value,
            place: place(&read.place_nuts, read.place_description.as_ref()),
        },
        lots: read
            .lots
            .iter()
            .map(|l| Lot {
                id: l.id.clone(),
                title: l.title.clone(),
                description: l.description.clone(),
                cpv: l.cpv.clone().or_else(|| read.cpv.clone()).unwrap_or_default(),
                cpv_additional: l.cpv_additional.clone(),
                place: place(&l.nuts, None),
                estimated_value: l.estimated_value,
                tender_deadline: l.tender_deadline.clone().unwrap_or_default(),
                documents_url: "https://www.marches-publics.info/accueil.htm".into(), // not read
                submission_url: "https://www.marches-publics.info/accueil.htm".into(), // not read
                tender_validity_days: 180,                                            // not read
                award_criteria: criteria(),                                           // not read
            })
            .collect(),
    }
}

#[test]
fn the_rouen_habitat_notice_survives_a_round_trip() {
    let source = fs::read_to_string(sdk_path_example("cn_24_FRA_comments.xml")).unwrap();
    let original = read_eforms(source.as_bytes()).unwrap();
    assert_eq!(original.lots.len(), 2);
    let xml = write_contract_notice(&notice_from(&original)).unwrap();
    assert_xsd_valid("UBL-ContractNotice-2.3.xsd", "eforms_out_rouen.xml", &xml);
    let back = read_eforms(xml.as_bytes()).unwrap();
    // Buyer, lots, CPV codes, places and deadlines — and everything else the reader reads.
    assert_eq!(back.buyer, original.buyer);
    assert_eq!(back.lots, original.lots);
    assert_eq!((&back.cpv, &back.cpv_additional), (&original.cpv, &original.cpv_additional));
    assert_eq!(back.place_nuts, original.place_nuts);
    assert_eq!(back.tender_deadline.as_deref(), Some("2019-06-24T16:00:00Z"));
    assert_eq!(back, original);
    let problems = load_sdk().problems(&xml, "16");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_sample_reads_back_as_written() {
    let n = read_eforms(write_contract_notice(&sample()).unwrap().as_bytes()).unwrap();
    assert_eq!((n.notice_type.as_str(), n.subtype.as_deref()), ("cn-standard", Some("16")));
    assert_eq!(n.issue_date.as_deref(), Some("2026-03-02"));
    assert_eq!(n.title, "Travaux de peinture & de revêtements");
    assert_eq!(n.cpv.as_deref(), Some("45442100"));
    assert_eq!(n.cpv_additional, vec!["45432111"], "the main code is not repeated");
    assert_eq!(n.estimated_value, Some(25_000_100));
    assert_eq!(n.buyer.nuts.as_deref(), Some("FR105"));
    assert_eq!(n.lots[1].estimated_value, Some(12_500_050));
    assert_eq!(n.lots[1].tender_deadline.as_deref(), Some("2026-04-15T12:00:00+02:00"));
    assert_eq!(n.place_description.as_deref(), Some("Bâtiments communaux de Nanterre"));
}

// ---------------------------------------------------------------------------------------------
// Bad input.

fn contract_error(change: impl FnOnce(&mut Notice)) -> NoticeError {
    let mut n = sample();
    change(&mut n);
    write_contract_notice(&n).expect_err("bad input must be refused")
}

#[test]
fn bad_input_gives_a_precise_french_error() {
    let missing = |field: &str| NoticeError::Missing { field: field.into() };
    assert_eq!(contract_error(|n| n.procedure.title = "  ".into()), missing("Procédure — titre"));
    assert_eq!(contract_error(|n| n.lots.clear()), NoticeError::NoLots);
    assert_eq!(
        contract_error(|n| n.lots[1].estimated_value = Some(-1)),
        NoticeError::NegativeAmount { field: "Lot LOT-0002 — valeur estimée".into(), cents: -1 }
    );
    assert_eq!(contract_error(|n| n.lots[0].title = String::new()), missing("Lot LOT-0001 — titre"));
    assert_eq!(contract_error(|n| n.buyer.organisation.email = None), missing("Acheteur — courriel"));
    assert_eq!(contract_error(|n| n.review_body.nuts = None), missing("Instance de recours — code NUTS"));
    assert_eq!(
        contract_error(|n| n.lots[1].id = "LOT-0001".into()),
        NoticeError::DuplicateLot { lot: "LOT-0001".into() }
    );
    assert_eq!(
        contract_error(|n| n.lots[0].award_criteria.clear()),
        NoticeError::NoAwardCriteria { lot: "LOT-0001".into() }
    );
    assert_eq!(
        contract_error(|n| n.lots[0].award_criteria[0].weight_percent = 50),
        NoticeError::WeightsNotHundred { lot: "LOT-0001".into(), total: 110 }
    );
    let invalid = |e: NoticeError| match e {
        NoticeError::Invalid { field, .. } => field,
        other => panic!("{other:?}"),
    };
    assert_eq!(invalid(contract_error(|n| n.buyer.organisation.siret = "123".into())), "Acheteur — SIRET");
    assert_eq!(invalid(contract_error(|n| n.procedure.cpv = "4544".into())), "Procédure — code CPV principal");
    assert_eq!(
        invalid(contract_error(|n| n.lots[0].place.nuts = "75".into())),
        "Lot LOT-0001 — lieu d'exécution (code NUTS)"
    );
    assert_eq!(
        invalid(contract_error(|n| n.lots[0].tender_deadline = "15/04/2026 12h".into())),
        "Lot LOT-0001 — date limite de remise des offres"
    );
    assert_eq!(invalid(contract_error(|n| n.notice_id = "avis-1".into())), "Avis — identifiant");
    assert_eq!(invalid(contract_error(|n| n.buyer.legal_type = "mairie".into())), "Acheteur — type d'acheteur");
    assert_eq!(
        invalid(contract_error(|n| n.lots[0].documents_url = "www.x.fr".into())),
        "Lot LOT-0001 — adresse du DCE"
    );
    assert_eq!(invalid(contract_error(|n| n.lots[0].id = "Lot 1".into())), "Lot n° 1 — identifiant");
    assert_eq!(invalid(contract_error(|n| n.procedure.title = "A\u{1}B".into())), "Procédure — titre");

    let message = contract_error(|n| n.lots[1].estimated_value = Some(-500)).to_string();
    assert_eq!(message, "Lot LOT-0002 — valeur estimée : un montant ne peut pas être négatif (-500 centimes).");
    let message = contract_error(|n| n.buyer.organisation.postcode = "9200".into()).to_string();
    assert_eq!(message, "Acheteur — code postal : « 9200 » n'est pas un code postal à cinq chiffres.");
    assert_eq!(contract_error(|n| n.lots.clear()).to_string(), "La procédure doit comporter au moins un lot.");
}

#[test]
fn bad_awards_give_a_precise_french_error() {
    let award_error = |change: &dyn Fn(&mut Vec<LotAward>)| {
        let mut a = awards();
        change(&mut a);
        write_award_notice(&sample(), &a).expect_err("bad award must be refused")
    };
    assert_eq!(award_error(&|a| a.truncate(1)), NoticeError::MissingAward { lot: "LOT-0001".into() });
    assert_eq!(award_error(&|a| a[0].lot_id = "LOT-0009".into()), NoticeError::UnknownLot { lot: "LOT-0009".into() });
    assert_eq!(
        award_error(&|a| a[1].lot_id = "LOT-0002".into()),
        NoticeError::DuplicateAward { lot: "LOT-0002".into() }
    );
    assert_eq!(
        award_error(&|a| a[0].amount = -10),
        NoticeError::NegativeAmount { field: "Lot LOT-0002 — attribution — montant".into(), cents: -10 }
    );
    assert_eq!(
        award_error(&|a| a[1].winner.name = String::new()),
        NoticeError::Missing { field: "Lot LOT-0001 — attribution — attributaire — nom".into() }
    );
    assert!(matches!(award_error(&|a| a[0].tenders_received = 0), NoticeError::Invalid { .. }));
    assert!(matches!(award_error(&|a| a[0].conclusion_date = "2026-02-30".into()), NoticeError::Invalid { .. }));
    assert!(matches!(award_error(&|a| a[0].amount = i64::MAX), NoticeError::AmountTooLarge { .. }));
    // The award notice does not need the call's values.
    let mut n = sample();
    n.lots[0].tender_deadline.clear();
    n.lots[0].documents_url.clear();
    assert!(write_award_notice(&n, &awards()).is_ok());
}

#[test]
fn empty_or_odd_input_never_panics() {
    let empty_lot = Lot {
        id: String::new(),
        title: String::new(),
        description: String::new(),
        cpv: String::new(),
        cpv_additional: vec![],
        place: Place::default(),
        estimated_value: Some(i64::MIN),
        tender_deadline: "2026-04-15T12:00:00+02:0é".into(),
        documents_url: "https://".into(),
        submission_url: String::new(),
        tender_validity_days: 0,
        award_criteria: vec![AwardCriterion {
            kind: CriterionKind::Cost,
            name: None,
            description: String::new(),
            weight_percent: u32::MAX,
        }],
    };
    let notice = Notice {
        notice_id: String::new(),
        procedure_id: "é".repeat(36),
        issued_at: "2026-04-15T12:00:00+0".into(),
        buyer: Buyer::default(),
        review_body: Organisation::default(),
        procedure: sample().procedure,
        lots: vec![empty_lot.clone(), empty_lot],
    };
    assert!(write_contract_notice(&notice).is_err());
    assert!(write_award_notice(&notice, &[]).is_err());
    // Each field alone broken in odd ways.
    for odd in ["", " ", "\u{0}", "é", "2026-04-15T12:00:00+02:0é", "LOT-00é1", "FR10é", "9999999999999999999"] {
        let mut n = sample();
        n.issued_at = odd.into();
        n.lots[0].id = odd.into();
        n.lots[0].tender_deadline = odd.into();
        n.buyer.organisation.siret = odd.into();
        n.procedure.place.nuts = odd.into();
        assert!(write_contract_notice(&n).is_err(), "{odd:?}");
        let mut n = sample();
        n.lots[1].tender_deadline = odd.into();
        assert!(write_contract_notice(&n).is_err(), "{odd:?}");
        let mut a = awards();
        a[0].conclusion_date = odd.into();
        assert!(write_award_notice(&sample(), &a).is_err(), "{odd:?}");
    }
}
