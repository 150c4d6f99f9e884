//! eForms notices of a consultation: the contract notice (subtype 16) of an open procedure and,
//! once every lot is awarded, the contract award notice (subtype 29). What the notices need and
//! Halle does not hold yet — the buyer's contact details and review body, the award criteria,
//! the winners' addresses — is named in a clear message instead of being made up.

use domain::consultation::{Nature, Phase, Procedure};
use domain::criteria::CriterionKind;
use domain::organisation::{BuyerKind, FirmSize};
use domain::paris_time;
use formats::eforms_out::{self as eforms, AwardCriterion, Buyer, ContractNature, LotAward, Notice};
use sha2::{Digest, Sha256};

use super::Published;
use crate::{App, AppError};

/// What an eForms notice lacks, in French, for the buyer to complete.
fn missing(what: &str) -> AppError {
    AppError::Conflict(format!("Avis eForms impossible : {what}"))
}

/// A stable UUID (version 4 layout) derived from `seed`: the same consultation always gets the
/// same procedure and notice ids.
fn uuid(seed: &str) -> String {
    let mut b: [u8; 16] = Sha256::digest(seed.as_bytes())[..16].try_into().unwrap_or([0; 16]);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
}

/// The buyer's legal type and main activity (eForms code lists) for its kind.
fn legal_type(kind: Option<BuyerKind>) -> (&'static str, &'static str) {
    match kind {
        Some(BuyerKind::Region) => ("ra", "gen-pub"),
        Some(BuyerKind::Etat) => ("cga", "gen-pub"),
        Some(BuyerKind::Hopital) => ("body-pl", "health"),
        Some(BuyerKind::BailleurSocial) => ("body-pl", "hc-am"),
        Some(BuyerKind::EtablissementPublic | BuyerKind::Sem) => ("body-pl", "gen-pub"),
        Some(BuyerKind::Commune | BuyerKind::EpciEpt | BuyerKind::Departement) | None => ("la", "gen-pub"),
    }
}

/// `…, 93100 Montreuil` → (`93100`, `Montreuil`).
fn postcode_and_town(address: &str) -> Option<(String, String)> {
    let words: Vec<&str> = address.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    let at = words.iter().rposition(|w| w.len() == 5 && w.bytes().all(|b| b.is_ascii_digit()))?;
    let town = words[at + 1..].join(" ");
    (!town.is_empty()).then(|| (words[at].to_string(), town))
}

/// The NUTS 3 code of a postcode of Île-de-France (its first two digits are the département).
fn nuts_of(postcode: &str) -> Option<String> {
    domain::geo::departement(postcode.get(..2)?).ok().map(|d| d.nuts.to_string())
}

fn lot_id(number: i64) -> String {
    format!("LOT-{:04}", number.max(1))
}

impl App {
    async fn eforms_base(&self, reference: &str) -> Result<(Published, Notice), AppError> {
        let id = self.store.consultation_id(reference).await?.ok_or(AppError::NotFound)?;
        let p = self.published_one(id).await?;
        let c = &p.consultation;
        let f = &c.fields;
        if !matches!(f.procedure, Procedure::Aoo | Procedure::Mapa) {
            return Err(missing(
                "seules les procédures ouvertes (appel d’offres ouvert, procédure adaptée ouverte) ont pour l’instant un avis eForms.",
            ));
        }
        let organisation = self.store.organisation(c.organisation_id).await?;
        let profile = organisation.profile.clone().ok_or_else(|| {
            missing("l’administrateur de l’organisation doit d’abord renseigner ses coordonnées et son instance de recours.")
        })?;
        if f.criteria.is_empty() {
            return Err(missing("indiquez les critères d’attribution pondérés de la consultation."));
        }
        let validity = f.tender_validity_days.ok_or_else(|| missing("indiquez la durée de validité des offres."))?;
        let base = self.config.base_url.trim_end_matches('/');
        let page = format!("{base}/consultations/{}", c.id);
        let (legal_type, activity) = legal_type(organisation.kind);
        let nature = match f.nature {
            Nature::Travaux => ContractNature::Works,
            Nature::Fournitures => ContractNature::Supplies,
            Nature::Services => ContractNature::Services,
        };
        let place = eforms::Place { nuts: f.nuts.clone(), town: Some(f.place_label.clone()), description: None };
        let criteria: Vec<AwardCriterion> = f
            .criteria
            .iter()
            .map(|k| AwardCriterion {
                kind: match k.kind {
                    CriterionKind::Prix => eforms::CriterionKind::Price,
                    CriterionKind::Qualite => eforms::CriterionKind::Quality,
                    CriterionKind::Cout => eforms::CriterionKind::Cost,
                },
                name: Some(k.name.clone()),
                description: k.name.clone(),
                weight_percent: u32::from(k.weight),
            })
            .collect();
        let lot = |number: i64, title: &str, cpv: &str, value: Option<i64>| eforms::Lot {
            id: lot_id(number),
            title: title.to_string(),
            description: f.object.clone(),
            cpv: cpv.to_string(),
            cpv_additional: Vec::new(),
            place: place.clone(),
            estimated_value: value,
            tender_deadline: paris_time::format_iso(f.bid_deadline),
            documents_url: format!("{page}/dce"),
            submission_url: page.clone(),
            tender_validity_days: u32::from(validity),
            award_criteria: criteria.clone(),
        };
        let lots = if f.lots.is_empty() {
            vec![lot(1, &f.title, &f.cpv, f.estimated_value.map(|v| v.0))]
        } else {
            f.lots.iter().map(|l| lot(l.number, &l.title, &l.cpv, l.estimated_value.map(|v| v.0))).collect()
        };
        let notice = Notice {
            notice_id: uuid(&format!("{base}/{}/cn", c.reference)),
            procedure_id: uuid(&format!("{base}/{}", c.reference)),
            issued_at: paris_time::format_iso(c.published_at.unwrap_or(c.created_at)),
            buyer: Buyer {
                organisation: eforms::Organisation {
                    name: organisation.name.clone(),
                    siret: organisation.siret.clone(),
                    street: None,
                    town: profile.town.clone(),
                    postcode: profile.postcode.clone(),
                    nuts: nuts_of(&profile.postcode),
                    country: "FRA".into(),
                    email: Some(profile.email.clone()),
                    phone: Some(profile.phone.clone()),
                    website: None,
                },
                legal_type: legal_type.into(),
                activity: activity.into(),
                profile_url: Some(format!("{base}/consultations")),
            },
            review_body: eforms::Organisation {
                name: profile.review.name.clone(),
                siret: profile.review.siret.to_string(),
                street: None,
                town: profile.review.town.clone(),
                postcode: profile.review.postcode.clone(),
                nuts: nuts_of(&profile.review.postcode),
                country: "FRA".into(),
                email: None,
                phone: None,
                website: None,
            },
            procedure: eforms::Procedure {
                internal_id: Some(c.reference.clone()),
                title: f.title.clone(),
                description: f.object.clone(),
                nature,
                procedure_type: eforms::ProcedureType::Open,
                cpv: f.cpv.clone(),
                cpv_additional: f.cpv_additional.clone(),
                estimated_value: f.estimated_value.map(|v| v.0),
                place,
            },
            lots,
        };
        Ok((p, notice))
    }

    /// The eForms contract notice of a published consultation (`award`: its award notice, once
    /// every lot is awarded), as XML. Public data: no authorization.
    pub async fn eforms_notice(&self, reference: &str, award: bool) -> Result<Vec<u8>, AppError> {
        let (p, mut notice) = self.eforms_base(reference).await?;
        let xml = if award {
            if p.phase != Phase::Attribuee {
                return Err(missing("l’avis d’attribution suit l’attribution de chaque lot."));
            }
            let mut results = Vec::new();
            for a in &p.awards {
                let Some(winner) = a.holders.iter().find(|h| h.role == "titulaire") else { continue };
                let firm = self.store.organisation_by_siret(&winner.siret).await?;
                let address = firm.as_ref().and_then(|o| o.address.as_deref()).and_then(postcode_and_town);
                let (Some(firm), Some((postcode, town))) = (firm, address) else {
                    return Err(missing(&format!(
                        "l’adresse du titulaire {} (SIRET {}) n’est pas connue de Halle.",
                        winner.name, winner.siret
                    )));
                };
                let bid = p.bids.iter().rfind(|b| b.siret == winner.siret && !b.late).map_or_else(
                    || format!("{}-{}", p.consultation.reference, a.lot_number),
                    |b| format!("PLI-{}", b.id),
                );
                results.push(LotAward {
                    lot_id: lot_id(a.lot_number),
                    winner: eforms::Organisation {
                        name: winner.name.clone(),
                        siret: winner.siret.clone(),
                        street: None,
                        town,
                        postcode,
                        nuts: domain::geo::departement(&firm.departement).ok().map(|d| d.nuts.to_string()),
                        country: "FRA".into(),
                        email: None,
                        phone: None,
                        website: None,
                    },
                    winner_size: match firm.size {
                        Some(FirmSize::Micro) => eforms::CompanySize::Micro,
                        Some(FirmSize::Pme) => eforms::CompanySize::Small,
                        Some(FirmSize::Eti) => eforms::CompanySize::Medium,
                        Some(FirmSize::Ge) | None => eforms::CompanySize::Large,
                    },
                    tender_id: bid,
                    amount: a.amount.0,
                    contract_reference: super::decp::contract_id(&p.consultation.reference, a.lot_number),
                    conclusion_date: a.notified_on.clone(),
                    tenders_received: u32::try_from(a.offers_received.max(1)).unwrap_or(1),
                });
            }
            notice.notice_id = uuid(&format!("{}/can", notice.procedure_id));
            notice.issued_at = paris_time::format_iso(self.now());
            eforms::write_award_notice(&notice, &results)
        } else {
            eforms::write_contract_notice(&notice)
        };
        xml.map(String::into_bytes).map_err(|e| missing(&e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_stable_and_well_formed() {
        let a = uuid("2026-0001-00001");
        assert_eq!(a, uuid("2026-0001-00001"));
        assert_ne!(a, uuid("2026-0001-00002"));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
    }

    #[test]
    fn addresses_give_postcode_and_town() {
        assert_eq!(postcode_and_town("3 rue Haute, 93100 Montreuil"), Some(("93100".into(), "Montreuil".into())));
        assert_eq!(postcode_and_town("12 avenue X 75011 Paris 11e"), Some(("75011".into(), "Paris 11e".into())));
        assert_eq!(postcode_and_town("sans code"), None);
    }
}
