//! OCDS 1.1.5 release packages of every published consultation.

use domain::consultation::{Nature, Phase, Procedure};
use domain::paris_time;
use formats::ocds;

use super::Published;
use crate::{App, AppError};

/// The OCID prefix Halle uses until the platform registers its own with the Open Contracting
/// Partnership (set `ocid_prefix` in the configuration then).
pub const DEFAULT_OCID_PREFIX: &str = "ocds-halle";

fn nature(n: Nature) -> ocds::Nature {
    match n {
        Nature::Travaux => ocds::Nature::Works,
        Nature::Fournitures => ocds::Nature::Supplies,
        Nature::Services => ocds::Nature::Services,
    }
}

fn procedure(p: Procedure) -> ocds::Procedure {
    match p {
        Procedure::Mapa => ocds::Procedure::Adapted,
        Procedure::Aoo => ocds::Procedure::OpenCall,
        // A design contest selects its participants.
        Procedure::Aor | Procedure::Concours => ocds::Procedure::RestrictedCall,
        Procedure::Pan => ocds::Procedure::Negotiated,
        Procedure::Dc => ocds::Procedure::CompetitiveDialogue,
        Procedure::Mnsp => ocds::Procedure::WithoutPublicity,
    }
}

fn status(p: Phase) -> ocds::Status {
    match p {
        Phase::Brouillon => ocds::Status::Draft,
        Phase::EnCours => ocds::Status::Published,
        Phase::Cloturee => ocds::Status::Closed,
        Phase::Attribuee => ocds::Status::Awarded,
        Phase::Infructueuse => ocds::Status::Unsuccessful,
        Phase::SansSuite => ocds::Status::Cancelled,
    }
}

fn cpv(code: &str) -> ocds::Cpv {
    ocds::Cpv { code: code.to_string(), label: domain::cpv::lookup(code).ok().map(|e| e.label_fr.clone()) }
}

fn lot_id(number: i64) -> Option<String> {
    (number != 0).then(|| format!("lot-{number}"))
}

/// A `YYYY-MM-DD` date as the start of that day in Paris, RFC 3339.
fn day(date: &str) -> Result<String, AppError> {
    let d = date.parse::<jiff::civil::Date>().map_err(|e| AppError::Internal(format!("{date}: {e}")))?;
    Ok(paris_time::format_iso(paris_time::start_of_day(d).map_err(AppError::Internal)?))
}

fn consultation(p: &Published, base_url: &str) -> Result<ocds::Consultation, AppError> {
    let c = &p.consultation;
    let f = &c.fields;
    let page = format!("{base_url}/consultations/{}", c.id);
    let outcomes = match p.phase {
        Phase::Attribuee => p
            .awards
            .iter()
            .map(|a| {
                let date = day(&a.notified_on)?;
                Ok(ocds::LotOutcome::Awarded(ocds::Award {
                    id: format!("{}-{}", c.reference, lot_id(a.lot_number).unwrap_or_else(|| "marche".into())),
                    lot_id: lot_id(a.lot_number),
                    date: date.clone(),
                    value_cents: a.amount.0,
                    suppliers: a
                        .holders
                        .iter()
                        .filter(|h| h.role != "sous-traitant")
                        .map(|h| ocds::Organisation { name: h.name.clone(), siret: h.siret.clone() })
                        .collect(),
                    contract: Some(ocds::Contract {
                        signed_at: date,
                        notified_at: None,
                        duration: u32::try_from(a.duration_months).ok().map(ocds::Duration::Months),
                    }),
                }))
            })
            .collect::<Result<Vec<_>, AppError>>()?,
        Phase::Infructueuse => {
            lots_or_whole(p).into_iter().map(|lot_id| ocds::LotOutcome::Unsuccessful { lot_id }).collect()
        }
        Phase::SansSuite => lots_or_whole(p).into_iter().map(|lot_id| ocds::LotOutcome::Cancelled { lot_id }).collect(),
        _ => Vec::new(),
    };
    let decided_at = match p.phase {
        Phase::Attribuee => p.awards.iter().map(|a| a.notified_on.as_str()).max().map(day).transpose()?,
        Phase::Infructueuse | Phase::SansSuite => Some(paris_time::format_iso(c.updated_at)),
        _ => None,
    };
    Ok(ocds::Consultation {
        reference: c.reference.clone(),
        title: f.title.clone(),
        description: f.object.clone(),
        buyer: ocds::Organisation { name: c.organisation_name.clone(), siret: p.buyer_siret.clone() },
        nature: nature(f.nature),
        procedure: procedure(f.procedure),
        status: status(p.phase),
        estimated_value_cents: f.estimated_value.map(|v| v.0),
        cpv_main: cpv(&f.cpv),
        cpv_additional: f.cpv_additional.iter().map(|c| cpv(c)).collect(),
        lots: f
            .lots
            .iter()
            .map(|l| ocds::Lot {
                id: format!("lot-{}", l.number),
                title: l.title.clone(),
                description: None,
                estimated_value_cents: l.estimated_value.map(|v| v.0),
                cpv: Some(cpv(&l.cpv)),
                tenders_received: Some(p.tenders.get(&l.number).copied().unwrap_or(0)),
            })
            .collect(),
        published_at: paris_time::format_iso(c.published_at.unwrap_or(c.created_at)),
        tender_deadline: paris_time::format_iso(f.bid_deadline),
        questions_deadline: f.questions_deadline.map(paris_time::format_iso),
        place: Some(ocds::Place {
            locality: Some(f.place_label.clone()),
            postal_code: None,
            region: Some("Île-de-France".into()),
            nuts: Some(f.nuts.clone()),
        }),
        documents: vec![
            ocds::Document {
                kind: ocds::DocumentKind::Notice,
                title: "Avis de consultation".into(),
                url: page.clone(),
            },
            ocds::Document {
                kind: ocds::DocumentKind::TenderDocuments,
                title: "Dossier de consultation (DCE)".into(),
                url: format!("{page}/dce"),
            },
        ],
        tenders_received: f.lots.is_empty().then(|| p.tenders.get(&0).copied().unwrap_or(0)),
        decided_at,
        outcomes,
    })
}

fn lots_or_whole(p: &Published) -> Vec<Option<String>> {
    if p.consultation.fields.lots.is_empty() {
        vec![None]
    } else {
        p.consultation.fields.lots.iter().map(|l| lot_id(l.number)).collect()
    }
}

impl App {
    /// The OCDS release package of every published consultation, as JSON.
    pub async fn ocds_package(&self) -> Result<Vec<u8>, AppError> {
        let base = self.config.base_url.trim_end_matches('/').to_string();
        let published = self.published().await?;
        let consultations = published.iter().map(|p| consultation(p, &base)).collect::<Result<Vec<_>, AppError>>()?;
        let info = ocds::PackageInfo {
            ocid_prefix: self.config.ocid_prefix.clone(),
            uri: format!("{base}/api/v1/opendata/ocds.json"),
            published_at: paris_time::format_iso(self.now()),
            publisher_name: "Halle — marchés publics d’Île-de-France".into(),
            publication_policy_url: format!("{base}/api/v1/openapi.json"),
            license_url: ocds::LICENCE_OUVERTE_2_0.into(),
        };
        let mut out = Vec::new();
        ocds::write_release_package(&mut out, &info, &consultations)
            .map_err(|e| AppError::Internal(format!("OCDS : {e}")))?;
        Ok(out)
    }
}
