//! Organisations (`efac:Organizations`) and the contracting party.

use super::writer::Xml;
use super::{AUTHORITY_ACTIVITIES, BUYER_LEGAL_TYPES, Buyer, NoticeError, Organisation, check};

/// ORG-0001 is the buyer, ORG-0002 the review body, then the winners.
pub(super) const BUYER_ORG: &str = "ORG-0001";
pub(super) const REVIEW_ORG: &str = "ORG-0002";

/// The technical id of the `n`-th organisation (1-based).
pub(super) fn org_id(n: usize) -> String {
    format!("ORG-{n:04}")
}

/// An organisation whose values have been checked.
pub(super) struct Org<'a> {
    pub(super) id: String,
    name: &'a str,
    company_id: String,
    street: Option<&'a str>,
    town: &'a str,
    postcode: &'a str,
    nuts: Option<&'a str>,
    country: &'a str,
    email: Option<&'a str>,
    phone: Option<&'a str>,
    website: Option<&'a str>,
    /// BT-165 (winners).
    pub(super) size: Option<&'static str>,
}

impl Org<'_> {
    /// Whether two organisations are the same firm (same registration number and name).
    pub(super) fn same_firm(&self, other: &Org) -> bool {
        self.company_id == other.company_id && self.name == other.name
    }
}

/// Checks an organisation; `who` names it in errors (`Acheteur`), `contact` requires the e-mail
/// and phone (the buyer's, BT-503 and BT-506).
pub(super) fn org<'a>(who: &str, id: String, o: &'a Organisation, contact: bool) -> Result<Org<'a>, NoticeError> {
    let f = |what: &str| format!("{who} — {what}");
    let country = check::country(&f("pays"), &o.country)?;
    let nuts = match o.nuts.as_deref().filter(|n| !n.trim().is_empty()) {
        Some(n) => Some(check::nuts(&f("code NUTS"), n, country)?),
        None if country == "FRA" => return Err(NoticeError::Missing { field: f("code NUTS") }),
        None => None,
    };
    let email = check::optional(&f("courriel"), o.email.as_deref())?;
    let phone = check::optional(&f("téléphone"), o.phone.as_deref())?;
    if contact {
        if email.is_none() {
            return Err(NoticeError::Missing { field: f("courriel") });
        }
        if phone.is_none() {
            return Err(NoticeError::Missing { field: f("téléphone") });
        }
    }
    Ok(Org {
        id,
        name: check::text(&f("nom"), &o.name)?,
        company_id: check::siret(&f("SIRET"), &o.siret, country)?,
        street: check::optional(&f("adresse"), o.street.as_deref())?,
        town: check::text(&f("ville"), &o.town)?,
        postcode: check::postcode(&f("code postal"), &o.postcode, country)?,
        nuts,
        country,
        email: email.map(|e| check::email(&f("courriel"), e)).transpose()?,
        phone: phone.map(|p| check::phone(&f("téléphone"), p)).transpose()?,
        website: check::optional(&f("site web"), o.website.as_deref())?
            .map(|w| check::url(&f("site web"), w))
            .transpose()?,
        size: None,
    })
}

/// The buyer's codes, checked.
pub(super) struct BuyerCodes<'a> {
    legal_type: &'a str,
    activity: &'a str,
    profile_url: Option<&'a str>,
}

pub(super) fn buyer(b: &Buyer) -> Result<(Org<'_>, BuyerCodes<'_>), NoticeError> {
    let org = org("Acheteur", BUYER_ORG.to_string(), &b.organisation, true)?;
    let legal_type = check::text("Acheteur — type d'acheteur", &b.legal_type)?;
    if !BUYER_LEGAL_TYPES.contains(&legal_type) {
        return Err(NoticeError::Invalid {
            field: "Acheteur — type d'acheteur".into(),
            value: legal_type.into(),
            expected: "un type d'acheteur de la liste eForms buyer-legal-type",
        });
    }
    let activity = check::text("Acheteur — activité principale", &b.activity)?;
    if !AUTHORITY_ACTIVITIES.contains(&activity) {
        return Err(NoticeError::Invalid {
            field: "Acheteur — activité principale".into(),
            value: activity.into(),
            expected: "une activité de la liste eForms authority-activity",
        });
    }
    let profile_url = check::optional("Acheteur — profil d'acheteur", b.profile_url.as_deref())?
        .map(|u| check::url("Acheteur — profil d'acheteur", u))
        .transpose()?;
    Ok((org, BuyerCodes { legal_type, activity, profile_url }))
}

/// `cac:ContractingParty` (BT-508, BT-11, BT-10, OPT-300).
pub(super) fn write_contracting_party(xml: &mut Xml, codes: &BuyerCodes) {
    xml.open("cac:ContractingParty");
    if let Some(url) = codes.profile_url {
        xml.leaf("cbc:BuyerProfileURI", url);
    }
    xml.open("cac:ContractingPartyType");
    xml.code("cbc:PartyTypeCode", "buyer-legal-type", codes.legal_type);
    xml.close("cac:ContractingPartyType");
    xml.open("cac:ContractingActivity");
    xml.code("cbc:ActivityTypeCode", "authority-activity", codes.activity);
    xml.close("cac:ContractingActivity");
    xml.party_ref("cac:Party", BUYER_ORG);
    xml.close("cac:ContractingParty");
}

/// `efac:Organizations` with one `efac:Company` each.
pub(super) fn write_organizations(xml: &mut Xml, orgs: &[Org]) {
    xml.open("efac:Organizations");
    for o in orgs {
        xml.open("efac:Organization");
        xml.open("efac:Company");
        if let Some(w) = o.website {
            xml.leaf("cbc:WebsiteURI", w);
        }
        if let Some(size) = o.size {
            xml.code("efbc:CompanySizeCode", "economic-operator-size", size);
        }
        xml.open("cac:PartyIdentification");
        xml.id("organization", &o.id);
        xml.close("cac:PartyIdentification");
        xml.open("cac:PartyName");
        xml.text("cbc:Name", o.name);
        xml.close("cac:PartyName");
        xml.open("cac:PostalAddress");
        if let Some(street) = o.street {
            xml.leaf("cbc:StreetName", street);
        }
        xml.leaf("cbc:CityName", o.town);
        xml.leaf("cbc:PostalZone", o.postcode);
        if let Some(nuts) = o.nuts {
            xml.code("cbc:CountrySubentityCode", "nuts", nuts);
        }
        xml.open("cac:Country");
        xml.code("cbc:IdentificationCode", "country", o.country);
        xml.close("cac:Country");
        xml.close("cac:PostalAddress");
        xml.open("cac:PartyLegalEntity");
        xml.leaf("cbc:CompanyID", &o.company_id);
        xml.close("cac:PartyLegalEntity");
        if o.phone.is_some() || o.email.is_some() {
            xml.open("cac:Contact");
            if let Some(phone) = o.phone {
                xml.leaf("cbc:Telephone", phone);
            }
            if let Some(email) = o.email {
                xml.leaf("cbc:ElectronicMail", email);
            }
            xml.close("cac:Contact");
        }
        xml.close("efac:Company");
        xml.close("efac:Organization");
    }
    xml.close("efac:Organizations");
}
