//! Reading notice files — BOAMP CSV or XML, eForms XML — into notices to check.

use std::path::Path;

use domain::notice::{NoticeInput, NoticeKind, NoticeSource};
use formats::eforms::NoticeKind as EformsKind;
use formats::{BoampNotice, BoampXmlNotice, EformsNotice};

use super::{ImportKind, Rejection};
use crate::AppError;

/// One record of a notice file: a notice to check, or why it could not be read.
pub type NoticeRecord = Result<(NoticeSource, NoticeInput), Rejection>;

const TITLE_MAX: usize = 300;

/// Reads every record of `path` (on a blocking thread: the readers are synchronous).
pub async fn read_notices(kind: ImportKind, path: &Path) -> Result<Vec<NoticeRecord>, AppError> {
    let path = path.to_path_buf();
    tokio::task::spawn_blocking(move || read_sync(kind, &path))
        .await
        .map_err(|e| AppError::Internal(format!("import: {e}")))?
}

fn unreadable(path: &Path, e: impl std::fmt::Display) -> AppError {
    AppError::Conflict(format!("Fichier « {} » illisible : {e}", path.display()))
}

fn read_sync(kind: ImportKind, path: &Path) -> Result<Vec<NoticeRecord>, AppError> {
    let file = std::fs::File::open(path).map_err(|e| unreadable(path, e))?;
    let reader = std::io::BufReader::new(file);
    let is_csv = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    match kind {
        ImportKind::Boamp if is_csv => Ok(formats::boamp_csv_records(reader)
            .map(|r| {
                r.map(|n| (NoticeSource::Boamp, from_boamp_csv(&n))).map_err(|e| Rejection {
                    record: match &e.id {
                        Some(id) => format!("ligne {} (avis {id})", e.line),
                        None => format!("ligne {}", e.line),
                    },
                    reason: e.reason.clone(),
                })
            })
            .collect()),
        ImportKind::Boamp => {
            let n = formats::read_boamp_xml(reader).map_err(|e| unreadable(path, e))?;
            Ok(vec![Ok((NoticeSource::Boamp, from_boamp_xml(&n)))])
        }
        ImportKind::Eforms => match formats::read_eforms(reader) {
            Ok(n) => Ok(vec![Ok((NoticeSource::Ted, from_eforms(&n)))]),
            // One notice per file: a notice that is not a procurement notice is a rejected
            // record, reported like any other, not a failed run.
            Err(e) => Ok(vec![Err(Rejection { record: path.display().to_string(), reason: e.to_string() })]),
        },
        ImportKind::Decp | ImportKind::Siae => Err(AppError::Internal("not a notice file".into())),
    }
}

/// The first `TITLE_MAX` characters of the object's first line, cut at a word.
fn title_of(text: &str) -> String {
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= TITLE_MAX {
        return line;
    }
    let cut: String = line.chars().take(TITLE_MAX).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head).trim_end_matches([',', ';', ':']);
    format!("{cut}…")
}

fn from_boamp_csv(n: &BoampNotice) -> NoticeInput {
    NoticeInput {
        source_id: n.idweb.clone(),
        url: n.url.clone(),
        kind: NoticeKind::of_boamp(&n.nature_avis),
        title: title_of(&n.objet),
        description: n.objet.clone(),
        buyer_name: n.acheteur.clone(),
        buyer_siret: None,
        nature: Some(n.type_marche.clone()).filter(|t| !t.is_empty()),
        procedure: Some(n.procedure_libelle.clone()).filter(|p| !p.is_empty()),
        cpv: None,
        departements: n.departements.clone(),
        nuts: Vec::new(),
        estimated_cents: None,
        published_on: Some(n.date_parution.clone()),
        deadline: n.date_limite_reponse.clone(),
        winners: n.titulaires.clone(),
        lots: 0,
    }
}

fn boamp_url(idweb: &str) -> String {
    format!("https://www.boamp.fr/pages/avis/?q=idweb:{idweb}")
}

fn from_boamp_xml(n: &BoampXmlNotice) -> NoticeInput {
    let kind = match n.nature.as_str() {
        "APPEL_OFFRE" => NoticeKind::Avis,
        "ATTRIBUTION" => NoticeKind::Resultat,
        "RECTIFICATIF" => NoticeKind::Rectificatif,
        "ANNULATION" => NoticeKind::Annulation,
        "PRE_INFORMATION" => NoticeKind::Preinformation,
        _ => NoticeKind::Autre,
    };
    // The place of performance; the buyer's own NUTS only when the notice gives none.
    let mut nuts: Vec<String> =
        n.place_nuts.iter().chain(n.lots.iter().filter_map(|l| l.nuts.as_ref())).cloned().collect();
    if nuts.is_empty() {
        nuts.extend(n.buyer.nuts.iter().cloned());
    }
    NoticeInput {
        source_id: n.idweb.clone(),
        url: boamp_url(&n.idweb),
        kind,
        title: title_of(&n.title),
        description: n.description.clone(),
        buyer_name: n.buyer.name.clone(),
        buyer_siret: None,
        nature: n.type_marche.clone(),
        procedure: n.procedure.clone(),
        cpv: n.cpv.clone(),
        departements: n.departement_publication.iter().cloned().collect(),
        nuts,
        estimated_cents: n.estimated_value,
        published_on: n.date_publication.clone(),
        deadline: n.deadline.clone(),
        winners: Vec::new(),
        lots: i64::try_from(n.lots.iter().filter(|l| l.number.is_some()).count()).unwrap_or(0),
    }
}

fn from_eforms(n: &EformsNotice) -> NoticeInput {
    let kind = match n.kind {
        EformsKind::Contract => NoticeKind::Avis,
        EformsKind::Award => NoticeKind::Resultat,
        EformsKind::PriorInformation => NoticeKind::Preinformation,
        EformsKind::Modification | EformsKind::Other => NoticeKind::Autre,
    };
    let mut winners: Vec<String> = Vec::new();
    for w in n.results.iter().flat_map(|r| r.winners()) {
        if !winners.contains(&w.name) {
            winners.push(w.name.clone());
        }
    }
    let mut nuts = n.place_nuts.clone();
    nuts.extend(n.lots.iter().flat_map(|l| l.nuts.iter().cloned()));
    NoticeInput {
        source_id: n.id.clone(),
        // eForms notices carry their id, not their TED publication number: the link searches
        // TED for the id.
        url: format!("https://ted.europa.eu/fr/search/result?FT={}", n.id),
        kind,
        title: title_of(&n.title),
        description: n.description.clone(),
        buyer_name: n.buyer.name.clone(),
        buyer_siret: None,
        nature: n.contract_nature.clone(),
        procedure: n.procedure.clone(),
        cpv: n.cpv.clone(),
        departements: Vec::new(),
        nuts,
        estimated_cents: n.estimated_value,
        published_on: n.issue_date.clone(),
        deadline: n.tender_deadline.clone().or_else(|| n.participation_deadline.clone()),
        winners,
        lots: i64::try_from(n.lots.len()).unwrap_or(0),
    }
}

#[cfg(test)]
mod tests {
    use super::title_of;

    #[test]
    fn long_objects_make_short_titles() {
        assert_eq!(title_of("Travaux\r\n de  voirie"), "Travaux de voirie");
        let long = "mot ".repeat(200);
        let t = title_of(&long);
        assert!(t.chars().count() <= 301 && t.ends_with("mot…"), "{t}");
    }
}
