//! From a checked consultation to its releases: which releases it has (its stages), and the
//! content of each. Every release is a full snapshot of the consultation at that stage (tender
//! repeated, parties, buyer), so each can be read on its own.

use super::date::{Instant, compact_utc, format_utc};
use super::input::{self, Consultation, Duration, LotOutcome, Organisation, Status};
use super::model::{
    Address, Award, Bids, Classification, Contract, Document, Gazetteer, Identifier, Item, Location, Lot,
    OrganizationReference, Party, Period, Release, Statistic, Tender, Value,
};

/// The org-id.guide scheme for SIREN/SIRET numbers: `FR-RCS` (the Registre du commerce et des
/// sociétés list, whose identifiers are SIRET numbers; `FR-INSEE` is deprecated in its favour).
pub const SIRET_SCHEME: &str = "FR-RCS";

/// One release of a consultation, in the order they are published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    /// `tender`, at publication.
    Tender,
    /// `award`, at the decision.
    Award,
    /// `contract`, at the last signature.
    Contract,
    /// `tenderUpdate`: the consultation is declared unsuccessful.
    Unsuccessful,
    /// `tenderCancellation`: the consultation is declared sans suite.
    Cancellation,
}

impl Stage {
    fn tag(self) -> &'static str {
        match self {
            Stage::Tender => "tender",
            Stage::Award => "award",
            Stage::Contract => "contract",
            Stage::Unsuccessful => "tenderUpdate",
            Stage::Cancellation => "tenderCancellation",
        }
    }
}

/// The releases a consultation has: none for a draft.
pub(crate) fn stages(c: &Consultation) -> Vec<Stage> {
    match c.status {
        Status::Draft => vec![],
        Status::Published | Status::Closed => vec![Stage::Tender],
        Status::Awarded if awarded(c).any(|a| a.contract.is_some()) => {
            vec![Stage::Tender, Stage::Award, Stage::Contract]
        }
        Status::Awarded => vec![Stage::Tender, Stage::Award],
        Status::Unsuccessful => vec![Stage::Tender, Stage::Unsuccessful],
        Status::Cancelled => vec![Stage::Tender, Stage::Cancellation],
    }
}

fn awarded(c: &Consultation) -> impl Iterator<Item = &input::Award> {
    c.outcomes.iter().filter_map(|o| match o {
        LotOutcome::Awarded(a) => Some(a),
        _ => None,
    })
}

fn unix(s: &str) -> i64 {
    Instant::parse(s).map(|i| i.unix()).unwrap_or(i64::MIN)
}

/// The release of `c` at `stage`; `c` has passed the checks.
pub(crate) fn release<'a>(c: &'a Consultation, ocid: &'a str, stage: Stage) -> Release<'a> {
    let decided = c.decided_at.as_deref().unwrap_or(&c.published_at);
    let date = match stage {
        Stage::Tender => c.published_at.as_str(),
        Stage::Award | Stage::Unsuccessful | Stage::Cancellation => decided,
        Stage::Contract => awarded(c)
            .filter_map(|a| a.contract.as_ref())
            .map(|k| k.signed_at.as_str())
            .max_by_key(|s| unix(s))
            .unwrap_or(decided),
    };
    let with_awards = matches!(stage, Stage::Award | Stage::Contract);
    // Tenders received are known once the deadline has passed: not in the tender release of a
    // consultation still open, whose date is its publication.
    let counts = stage != Stage::Tender || c.status == Status::Closed;
    Release {
        ocid,
        id: format!("{ocid}-{}-{}", stage.tag(), compact_utc(unix(date))),
        date,
        tag: [stage.tag()],
        initiation_type: "tender",
        language: "fr",
        parties: parties(c, with_awards),
        buyer: reference(&c.buyer),
        tender: tender(c, stage, counts),
        bids: if counts { bids(c) } else { None },
        awards: if with_awards { awards(c, decided) } else { vec![] },
        contracts: if stage == Stage::Contract { contracts(c) } else { vec![] },
    }
}

fn party_id(org: &Organisation) -> String {
    format!("{SIRET_SCHEME}-{}", org.siret)
}

fn reference(org: &Organisation) -> OrganizationReference<'_> {
    OrganizationReference { id: party_id(org), name: &org.name }
}

/// The buyer, and the suppliers once awarded; one party per SIRET, roles merged.
fn parties(c: &Consultation, with_suppliers: bool) -> Vec<Party<'_>> {
    let mut out = vec![party(&c.buyer, vec!["buyer", "procuringEntity"])];
    if with_suppliers {
        for supplier in awarded(c).flat_map(|a| &a.suppliers) {
            match out.iter_mut().find(|p| p.identifier.id == supplier.siret) {
                Some(p) if !p.roles.contains(&"supplier") => p.roles.push("supplier"),
                Some(_) => {}
                None => out.push(party(supplier, vec!["supplier"])),
            }
        }
    }
    out
}

fn party<'a>(org: &'a Organisation, roles: Vec<&'static str>) -> Party<'a> {
    Party {
        id: party_id(org),
        name: &org.name,
        identifier: Identifier { scheme: SIRET_SCHEME, id: &org.siret, legal_name: &org.name },
        roles,
    }
}

fn lot_outcome<'a>(c: &'a Consultation, lot_id: &str) -> Option<&'a LotOutcome> {
    c.outcomes.iter().find(|o| {
        let id = match o {
            LotOutcome::Awarded(a) => a.lot_id.as_deref(),
            LotOutcome::Unsuccessful { lot_id } | LotOutcome::Cancelled { lot_id } => lot_id.as_deref(),
        };
        id == Some(lot_id)
    })
}

fn tender(c: &Consultation, stage: Stage, counts: bool) -> Tender<'_> {
    let status = match stage {
        Stage::Tender => "active",
        Stage::Award | Stage::Contract => "complete",
        Stage::Unsuccessful => "unsuccessful",
        Stage::Cancellation => "cancelled",
    };
    let lots = c
        .lots
        .iter()
        .map(|lot| Lot {
            id: &lot.id,
            title: &lot.title,
            description: non_empty(lot.description.as_deref()),
            value: lot.estimated_value_cents.map(Value::eur),
            status: match stage {
                Stage::Award | Stage::Contract => match lot_outcome(c, &lot.id) {
                    Some(LotOutcome::Awarded(_)) => "complete",
                    Some(LotOutcome::Unsuccessful { .. }) => "unsuccessful",
                    Some(LotOutcome::Cancelled { .. }) => "cancelled",
                    None => "active",
                },
                _ => status,
            },
        })
        .collect();
    let documents = c
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| Document {
            id: (i + 1).to_string(),
            document_type: d.kind.ocds_type(),
            title: &d.title,
            url: &d.url,
            language: "fr",
        })
        .collect();
    Tender {
        id: &c.reference,
        title: &c.title,
        description: non_empty(Some(&c.description)),
        status,
        procuring_entity: reference(&c.buyer),
        items: items(c),
        value: c.estimated_value_cents.map(Value::eur),
        procurement_method: c.procedure.ocds_method(),
        procurement_method_details: c.procedure.french_name(),
        main_procurement_category: c.nature.ocds_category(),
        tender_period: Period {
            start_date: Some(c.published_at.clone()),
            end_date: Some(c.tender_deadline.clone()),
            duration_in_days: None,
        },
        enquiry_period: c.questions_deadline.as_ref().map(|end| Period {
            start_date: Some(c.published_at.clone()),
            end_date: Some(end.clone()),
            duration_in_days: None,
        }),
        number_of_tenderers: if c.lots.is_empty() && counts { c.tenders_received } else { None },
        documents,
        lots,
    }
}

fn non_empty(s: Option<&str>) -> Option<&str> {
    s.filter(|s| !s.trim().is_empty())
}

/// The CPV code without its check digit, as in eForms.
fn classification(cpv: &input::Cpv) -> Classification<'_> {
    Classification {
        scheme: "CPV",
        id: cpv.code.get(..8).unwrap_or(&cpv.code),
        description: non_empty(cpv.label.as_deref()),
    }
}

/// One item for a consultation without lots, else one per lot (same id as the lot).
fn items(c: &Consultation) -> Vec<Item<'_>> {
    if c.lots.is_empty() {
        return vec![item(c, "1".to_string(), &c.title, &c.cpv_main, None)];
    }
    c.lots
        .iter()
        .map(|lot| item(c, lot.id.clone(), &lot.title, lot.cpv.as_ref().unwrap_or(&c.cpv_main), Some(&lot.id)))
        .collect()
}

fn item<'a>(
    c: &'a Consultation,
    id: String,
    description: &'a str,
    main: &'a input::Cpv,
    lot: Option<&'a str>,
) -> Item<'a> {
    let main_code = classification(main).id;
    let place = c.place.as_ref();
    Item {
        id,
        description,
        classification: classification(main),
        additional_classifications: c.cpv_additional.iter().map(classification).filter(|k| k.id != main_code).collect(),
        related_lot: lot,
        delivery_address: place.map(|p| Address {
            locality: non_empty(p.locality.as_deref()),
            region: non_empty(p.region.as_deref()),
            postal_code: non_empty(p.postal_code.as_deref()),
            country_name: "France",
        }),
        delivery_location: place.and_then(|p| p.nuts.as_deref()).map(|nuts| Location {
            description: format!("Lieu d'exécution (NUTS {nuts})"),
            gazetteer: Gazetteer { scheme: "NUTS", identifiers: [nuts] },
        }),
    }
}

/// Tenders received per lot (bids extension), when the consultation has lots.
fn bids(c: &Consultation) -> Option<Bids<'_>> {
    let statistics: Vec<Statistic<'_>> = c
        .lots
        .iter()
        .filter_map(|lot| {
            lot.tenders_received.map(|n| Statistic {
                id: format!("offres-lot-{}", lot.id),
                measure: "bids",
                value: n,
                related_lot: &lot.id,
            })
        })
        .collect();
    (!statistics.is_empty()).then_some(Bids { statistics })
}

fn awards<'a>(c: &'a Consultation, decided: &'a str) -> Vec<Award<'a>> {
    c.outcomes
        .iter()
        .filter_map(|o| match o {
            LotOutcome::Awarded(a) => Some(Award {
                id: a.id.clone(),
                status: "active",
                date: &a.date,
                value: Some(Value::eur(a.value_cents)),
                suppliers: a.suppliers.iter().map(reference).collect(),
                contract_period: a.contract.as_ref().and_then(contract_period),
                related_lots: a.lot_id.as_deref().into_iter().collect(),
            }),
            LotOutcome::Unsuccessful { lot_id } => Some(Award {
                id: match lot_id {
                    Some(id) => format!("infructueux-lot-{id}"),
                    None => "infructueux".to_string(),
                },
                status: "unsuccessful",
                date: decided,
                value: None,
                suppliers: vec![],
                contract_period: None,
                related_lots: lot_id.as_deref().into_iter().collect(),
            }),
            LotOutcome::Cancelled { .. } => None,
        })
        .collect()
}

fn contracts(c: &Consultation) -> Vec<Contract<'_>> {
    awarded(c)
        .filter_map(|a| {
            a.contract.as_ref().map(|k| Contract {
                id: &a.id,
                award_id: &a.id,
                status: "active",
                value: Value::eur(a.value_cents),
                date_signed: &k.signed_at,
                period: contract_period(k),
            })
        })
        .collect()
}

/// From the notification (else the signature) for the duration: the end in UTC, exact to the
/// second whatever the summer time, and the length in calendar days.
fn contract_period(k: &input::Contract) -> Option<Period> {
    let start = k.notified_at.as_deref().unwrap_or(&k.signed_at);
    let begin = Instant::parse(start).ok()?;
    let days = match k.duration {
        None => return Some(Period { start_date: Some(start.to_string()), ..Period::default() }),
        Some(Duration::Months(n)) => begin.days_until(&begin.add_months(n)),
        Some(Duration::Days(n)) => i64::from(n),
    };
    Some(Period {
        start_date: Some(start.to_string()),
        end_date: Some(format_utc(begin.unix() + days * 86_400)),
        duration_in_days: Some(days),
    })
}
