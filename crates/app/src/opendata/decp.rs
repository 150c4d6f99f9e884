//! DECP v2 essential data: every contract Halle awarded, then every record imported as v2, as
//! JSON or XML valid against the official schema (2.0.3 JSON, 2.0.2 XSD).

use domain::consultation::Procedure;
use formats::decp::{
    self, Acheteur, ActeSousTraitance, Ccag, ConsiderationEnvironnementale, ConsiderationSociale, Contrat, FormePrix,
    LieuExecution, Marche, ModaliteExecution, NatureMarche, Operateur, ProcedureMarche, Technique, TypeCodeLieu,
    TypeGroupement, TypeIdentifiant, TypePrix, VariationPrix,
};
use sha2::Digest;
use store::Award;

use super::Published;
use crate::{App, AppError};

/// Records read from the store at a time.
const PAGE: i64 = 1000;

/// A DECP `id` has 16 characters at most: the reference's digits with a two-digit year
/// (`2026-0001-00012` → `26000100012`), then `L` and the lot (`26000100012L3`); a reference too
/// long for that (organisation or sequence numbers grown past their widths) gets a digest of it.
pub(super) fn contract_id(reference: &str, lot: i64) -> String {
    let digits: String = reference.get(2..).unwrap_or(reference).chars().filter(char::is_ascii_digit).collect();
    let id = if lot == 0 { digits } else { format!("{digits}L{lot}") };
    if id.len() <= 16 {
        return id;
    }
    let digest = sha2::Sha256::digest(format!("{reference}/{lot}").as_bytes());
    format!("H{}", &hex::encode(digest)[..15])
}

fn procedure(p: Procedure) -> ProcedureMarche {
    match p {
        Procedure::Mapa => ProcedureMarche::ProcedureAdaptee,
        Procedure::Aoo => ProcedureMarche::AppelDOffresOuvert,
        // A design contest is a restricted procedure; its technique says « Concours ».
        Procedure::Aor | Procedure::Concours => ProcedureMarche::AppelDOffresRestreint,
        Procedure::Pan => ProcedureMarche::ProcedureAvecNegociation,
        Procedure::Dc => ProcedureMarche::DialogueCompetitif,
        Procedure::Mnsp => ProcedureMarche::SansPubliciteNiMiseEnConcurrence,
    }
}

/// A stored vocabulary code as the format's value (both are the DECP labels).
fn label<T>(code: &str, from: fn(&str) -> Option<T>) -> Result<T, AppError> {
    from(code).ok_or_else(|| AppError::Internal(format!("DECP : valeur « {code} » inconnue")))
}

fn labels<T>(codes: &[String], from: fn(&str) -> Option<T>) -> Result<Vec<T>, AppError> {
    codes.iter().map(|c| label(c, from)).collect()
}

fn variation(types: &[TypePrix]) -> VariationPrix {
    match types.first() {
        Some(TypePrix::DefinitifActualisable) => VariationPrix::Actualisable,
        Some(TypePrix::DefinitifRevisable) => VariationPrix::Revisable,
        _ => VariationPrix::Ferme,
    }
}

fn euros(cents: i64) -> f64 {
    cents as f64 / 100.0
}

/// The essential data of one award of a consultation.
fn marche(p: &Published, a: &Award) -> Result<Marche, AppError> {
    let c = &p.consultation;
    let f = &c.fields;
    let published = a.created_at.map(domain::paris_time::format_input).map(|d| d[..10].to_string());
    let date_publication = published.unwrap_or_else(|| a.notified_on.clone());
    let mut techniques = labels(&a.techniques, Technique::from_label)?;
    if f.procedure == Procedure::Concours && !techniques.contains(&Technique::Concours) {
        techniques.retain(|t| *t != Technique::SansObjet);
        techniques.push(Technique::Concours);
    }
    let types_prix = labels(&a.price_types, TypePrix::from_label)?;
    let duree_mois = u32::try_from(a.duration_months).map_err(|e| AppError::Internal(e.to_string()))?;
    let operator = |siret: &str| Operateur { type_identifiant: TypeIdentifiant::Siret, id: siret.to_string() };
    let sous_traitants: Vec<_> = a.holders.iter().filter(|h| h.role == "sous-traitant").collect();
    let actes = sous_traitants
        .iter()
        .filter_map(|h| h.amount.map(|amount| (h, amount)))
        .zip(1..)
        .map(|((h, amount), id)| ActeSousTraitance {
            id,
            sous_traitant: operator(&h.siret),
            duree_mois,
            date_notification: a.notified_on.clone(),
            date_publication_donnees: date_publication.clone(),
            montant: euros(amount.0),
            variation_prix: variation(&types_prix),
        })
        .collect();
    let (code, type_code) = if f.place_code.len() == 5 {
        (f.place_code.clone(), TypeCodeLieu::CodeCommune)
    } else {
        (f.departement.clone(), TypeCodeLieu::CodeDepartement)
    };
    Ok(Marche {
        id: contract_id(&c.reference, a.lot_number),
        acheteur: Acheteur { id: p.buyer_siret.clone() },
        nature: NatureMarche::Marche,
        objet: lot_object(p, a.lot_number),
        code_cpv: lot_cpv(p, a.lot_number),
        techniques,
        modalites_execution: labels(&a.modalities, ModaliteExecution::from_label)?,
        id_accord_cadre: None,
        marche_innovant: a.innovative,
        ccag: label(&a.ccag, Ccag::from_label)?,
        offres_recues: u32::try_from(a.offers_received).map_err(|e| AppError::Internal(e.to_string()))?,
        attribution_avance: a.advance.is_some(),
        taux_avance: a
            .advance
            .and_then(|bp| domain::award::Advance::Granted(bp.and_then(|b| u16::try_from(b).ok())).rate()),
        type_groupement_operateurs: label(&a.grouping, TypeGroupement::from_label)?,
        sous_traitance_declaree: !sous_traitants.is_empty(),
        actes_sous_traitance: actes,
        procedure: procedure(f.procedure),
        lieu_execution: LieuExecution { code, type_code },
        duree_mois,
        date_notification: a.notified_on.clone(),
        date_publication_donnees: date_publication,
        montant: euros(a.amount.0),
        types_prix,
        forme_prix: label(&a.price_form, FormePrix::from_label)?,
        origine_ue: None,
        origine_france: None,
        titulaires: a.holders.iter().filter(|h| h.role != "sous-traitant").map(|h| operator(&h.siret)).collect(),
        considerations_sociales: f
            .social
            .iter()
            .map(|c| label(c.code(), ConsiderationSociale::from_label))
            .collect::<Result<_, _>>()?,
        considerations_environnementales: f
            .environmental
            .iter()
            .map(|c| label(c.code(), ConsiderationEnvironnementale::from_label))
            .collect::<Result<_, _>>()?,
        modifications_actes_sous_traitance: Vec::new(),
        modifications: Vec::new(),
    })
}

/// The object of the lot (« title — lot n : lot title »), at most 1,000 characters.
fn lot_object(p: &Published, lot: i64) -> String {
    let f = &p.consultation.fields;
    let text = match f.lots.iter().find(|l| l.number == lot) {
        Some(l) => format!("{} — lot {} : {}", f.title, l.number, l.title),
        None => f.title.clone(),
    };
    text.chars().take(1000).collect()
}

/// The lot's CPV code without its check digit (the format prefers it so).
fn lot_cpv(p: &Published, lot: i64) -> String {
    let f = &p.consultation.fields;
    let code = f.lots.iter().find(|l| l.number == lot).map_or(f.cpv.as_str(), |l| l.cpv.as_str());
    code.split('-').next().unwrap_or(code).to_string()
}

impl App {
    /// The DECP v2 records of every award Halle holds, checked against the format's rules.
    async fn halle_contracts(&self) -> Result<Vec<Contrat>, AppError> {
        let mut out = Vec::new();
        for p in self.published().await? {
            for a in &p.awards {
                let m = marche(&p, a)?;
                let value = serde_json::to_value(&m).map_err(|e| AppError::Internal(e.to_string()))?;
                // The same judge as for imported records: an award that breaks a rule of the
                // format is a bug to see, not a file to publish.
                decp::parse_marche(&value).map_err(|e| {
                    AppError::Internal(format!("DECP de {} : {} {}", p.consultation.reference, e.field, e.message))
                })?;
                out.push(Contrat::Marche(Box::new(m)));
            }
        }
        Ok(out)
    }

    /// Every contract's essential data — Halle's awards, then the imported records — as DECP
    /// v2 JSON (or XML), written as they are read.
    pub async fn decp_export(&self, xml: bool) -> Result<Vec<u8>, AppError> {
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Contrat>(PAGE as usize);
        let writer = tokio::task::spawn_blocking(move || {
            let records = std::iter::from_fn(move || rx.blocking_recv());
            let mut out = Vec::new();
            if xml { decp::write_decp_xml(records, &mut out) } else { decp::write_decp_json(records, &mut out) }
                .map(|()| out)
        });
        let fed = self.feed_decp(&tx).await;
        drop(tx);
        let written = writer.await.map_err(|e| AppError::Internal(e.to_string()))?;
        fed?;
        written.map_err(|e| AppError::Internal(format!("DECP : {e}")))
    }

    async fn feed_decp(&self, tx: &tokio::sync::mpsc::Sender<Contrat>) -> Result<(), AppError> {
        let closed = || AppError::Internal("DECP : l’écriture s’est arrêtée".into());
        for c in self.halle_contracts().await? {
            tx.send(c).await.map_err(|_| closed())?;
        }
        let mut after = 0;
        loop {
            // Records mapped from v1 hold defaults where v1 is silent (offers received,
            // CCAG…): kept for search and statistics, not republished as facts.
            let page = self.store.decp_records(after, PAGE, crate::imports::decp::V1).await?;
            let Some((last, _)) = page.last() else { return Ok(()) };
            after = *last;
            for (id, record) in page {
                let contrat = crate::imports::decp::stored(&record)
                    .map_err(|e| AppError::Internal(format!("DECP n° {id} en base : {e}")))?;
                tx.send(contrat).await.map_err(|_| closed())?;
            }
        }
    }
}
