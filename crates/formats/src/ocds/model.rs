//! The OCDS 1.1.5 shapes Halle writes, borrowing from the input: one release at a time is
//! built, serialised and dropped. Field names follow the release schema (camelCase); empty
//! lists and absent values are left out, never written as `[]`, `""` or `null`.
//!
//! Fields from extensions: `tender.lots`, `items[].relatedLot`, `awards[].relatedLots` (lots),
//! `bids.statistics` (bids), `items[].deliveryAddress` / `deliveryLocation` (location).

use serde::Serialize;

/// An amount in euro cents, written as a JSON number with two decimals (`1234.50`) by the
/// writer's formatter: it is the only `f64` this module serialises.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Amount(pub i64);

impl Serialize for Amount {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Exact: |cents| < 2^53 is checked beforehand, and `{:.2}` rounds back to the cents.
        s.serialize_f64(self.0 as f64 / 100.0)
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Release<'a> {
    pub ocid: &'a str,
    pub id: String,
    pub date: &'a str,
    pub tag: [&'static str; 1],
    pub initiation_type: &'static str,
    pub language: &'static str,
    pub parties: Vec<Party<'a>>,
    pub buyer: OrganizationReference<'a>,
    pub tender: Tender<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bids: Option<Bids<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub awards: Vec<Award<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contracts: Vec<Contract<'a>>,
}

#[derive(Serialize)]
pub(crate) struct Party<'a> {
    pub id: String,
    pub name: &'a str,
    pub identifier: Identifier<'a>,
    pub roles: Vec<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Identifier<'a> {
    pub scheme: &'static str,
    pub id: &'a str,
    pub legal_name: &'a str,
}

#[derive(Serialize, Clone)]
pub(crate) struct OrganizationReference<'a> {
    pub id: String,
    pub name: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Tender<'a> {
    pub id: &'a str,
    pub title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'a str>,
    pub status: &'static str,
    pub procuring_entity: OrganizationReference<'a>,
    pub items: Vec<Item<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    pub procurement_method: &'static str,
    pub procurement_method_details: &'static str,
    pub main_procurement_category: &'static str,
    pub tender_period: Period,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enquiry_period: Option<Period>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number_of_tenderers: Option<u32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<Document<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lots: Vec<Lot<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Item<'a> {
    pub id: String,
    pub description: &'a str,
    pub classification: Classification<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub additional_classifications: Vec<Classification<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related_lot: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery_address: Option<Address<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery_location: Option<Location<'a>>,
}

#[derive(Serialize)]
pub(crate) struct Classification<'a> {
    pub scheme: &'static str,
    pub id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Address<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locality: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<&'a str>,
    pub country_name: &'static str,
}

#[derive(Serialize)]
pub(crate) struct Location<'a> {
    pub description: String,
    pub gazetteer: Gazetteer<'a>,
}

#[derive(Serialize)]
pub(crate) struct Gazetteer<'a> {
    pub scheme: &'static str,
    pub identifiers: [&'a str; 1],
}

#[derive(Serialize)]
pub(crate) struct Value {
    pub amount: Amount,
    pub currency: &'static str,
}

impl Value {
    pub fn eur(cents: i64) -> Value {
        Value { amount: Amount(cents), currency: "EUR" }
    }
}

#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Period {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_in_days: Option<i64>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Document<'a> {
    pub id: String,
    pub document_type: &'static str,
    pub title: &'a str,
    pub url: &'a str,
    pub language: &'static str,
}

#[derive(Serialize)]
pub(crate) struct Lot<'a> {
    pub id: &'a str,
    pub title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    pub status: &'static str,
}

#[derive(Serialize)]
pub(crate) struct Bids<'a> {
    pub statistics: Vec<Statistic<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Statistic<'a> {
    pub id: String,
    pub measure: &'static str,
    pub value: u32,
    pub related_lot: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Award<'a> {
    pub id: String,
    pub status: &'static str,
    pub date: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suppliers: Vec<OrganizationReference<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contract_period: Option<Period>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related_lots: Vec<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Contract<'a> {
    pub id: &'a str,
    #[serde(rename = "awardID")]
    pub award_id: &'a str,
    pub status: &'static str,
    pub value: Value,
    pub date_signed: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
}
