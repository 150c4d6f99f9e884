//! The real notices in XML — legacy BOAMP XML and eForms — of Île-de-France buyers, as open
//! demo consultations that keep the notice's own title, description, lots, CPV codes and
//! estimated values. Only the dates, the DCE and the exchanges are made up, as for the CSV
//! notices; each object says which file it was copied from.

use domain::consultation::{AmountInput, ConsultationInput, LotInput, Nature, Procedure};
use domain::cpv;
use domain::geo::{DEPARTEMENTS, Place};
use domain::paris_time;
use formats::{BoampNotice, BoampXmlNotice, EformsNotice};
use jiff::Timestamp;

use super::buyers::{BUYERS, buyer_of, fold_name};
use super::input::{one_line, shorten};
use super::plan::{Fate, Plan};

const TITLE_MAX: usize = 300;
const DESCRIPTION_MAX: usize = 3000;

/// What the consultation takes from its notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// The file under `data/demo/`, e.g. `boamp-xml/test-pub.xml`.
    pub file: String,
    /// How the notice is named in the object, e.g. `l’avis BOAMP n° 16-186394`.
    pub notice: String,
    /// The buyer as the notice names it.
    pub buyer: String,
    pub title: String,
    pub description: String,
    pub nature: Nature,
    pub procedure: Procedure,
    /// Checked against CPV 2008, with its check digit.
    pub cpv: String,
    pub cpv_additional: Vec<String>,
    /// A département of Île-de-France.
    pub place: String,
    /// The notice's own place of performance, when it lies outside Île-de-France.
    pub place_elsewhere: Option<String>,
    /// Cents HT.
    pub estimated_value: Option<i64>,
    pub lots: Vec<ImportedLot>,
    /// `YYYY-MM-DD`.
    pub published: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedLot {
    pub title: String,
    pub cpv: String,
    pub estimated_value: Option<i64>,
}

/// The CPV 2008 code (with check digit) of `code`, or a guess from `text` when the notice's
/// code is not in CPV 2008.
fn checked_cpv(code: Option<&str>, text: &str, nature: Nature) -> String {
    code.and_then(|c| cpv::lookup(c).ok())
        .map(|e| e.code.clone())
        .unwrap_or_else(|| formats::suggest_cpv(text, &nature.code().to_uppercase()).to_string())
}

/// Additional codes that are in CPV 2008, without repeats nor the main code.
fn additional(codes: &[&str], main: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for e in codes.iter().filter_map(|c| cpv::lookup(c).ok()) {
        if e.code != main && !out.contains(&e.code) {
            out.push(e.code.clone());
        }
    }
    out
}

fn nature_of_cpv(code: Option<&str>) -> Nature {
    match code.and_then(|c| c.get(..2)).and_then(|d| d.parse::<u8>().ok()) {
        Some(45) => Nature::Travaux,
        Some(d) if d < 45 => Nature::Fournitures,
        _ => Nature::Services,
    }
}

/// The Île-de-France département of a NUTS 3 code (`FR101` → `75`).
fn departement_of_nuts(nuts: &str) -> Option<&'static str> {
    DEPARTEMENTS.iter().find(|d| d.nuts == nuts.trim()).map(|d| d.code)
}

/// The Île-de-France département of a French postal code (`91297` → `91`).
fn departement_of_postcode(code: &str) -> Option<&'static str> {
    let code = code.trim();
    if code.len() != 5 {
        return None;
    }
    DEPARTEMENTS.iter().find(|d| code.starts_with(d.code)).map(|d| d.code)
}

/// The first département found: the places of performance, then the buyer's postal code,
/// then the buyer's NUTS code.
fn place<'a>(
    performance: impl IntoIterator<Item = &'a str>,
    postcode: Option<&str>,
    buyer_nuts: Option<&str>,
) -> Option<&'static str> {
    performance
        .into_iter()
        .find_map(departement_of_nuts)
        .or_else(|| postcode.and_then(departement_of_postcode))
        .or_else(|| buyer_nuts.and_then(departement_of_nuts))
}

fn sum(values: impl IntoIterator<Item = Option<i64>>) -> Option<i64> {
    values.into_iter().try_fold(0i64, |acc, v| acc.checked_add(v?))
}

/// A BOAMP XML call for competition of an Île-de-France buyer; `None` for other notices.
pub fn from_boamp_xml(file: &str, n: &BoampXmlNotice) -> Option<Imported> {
    if n.nature != "APPEL_OFFRE" {
        return None;
    }
    let lot_nuts = n.lots.iter().filter_map(|l| l.nuts.as_deref());
    let place = place(
        n.place_nuts.as_deref().into_iter().chain(lot_nuts),
        n.buyer.postal_code.as_deref(),
        n.buyer.nuts.as_deref(),
    )?;
    let concours = n.nature_detail.as_deref() == Some("CONCOURS");
    let procedure = match n.procedure.as_deref() {
        _ if concours => Procedure::Concours,
        Some("OUVERT") => Procedure::Aoo,
        Some("RESTREINT") => Procedure::Aor,
        Some("DIALOGUE_COMPETITIF") => Procedure::Dc,
        Some(p) if p.starts_with("NEGOCIE") => Procedure::Pan,
        _ => Procedure::Mapa,
    };
    let nature = match n.type_marche.as_deref() {
        Some("TRAVAUX") => Nature::Travaux,
        Some("FOURNITURES") => Nature::Fournitures,
        Some(_) => Nature::Services,
        None if concours => Nature::Services,
        None => nature_of_cpv(n.cpv.as_deref()),
    };
    let main = checked_cpv(n.cpv.as_deref(), &format!("{} {}", n.title, n.description), nature);
    let mut codes: Vec<&str> = n.cpv_additional.iter().map(String::as_str).collect();
    codes.extend(n.lots.iter().flat_map(|l| l.cpv.iter().map(String::as_str)));
    let lots: Vec<ImportedLot> = if n.divided {
        n.lots
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let title = match (l.title.is_empty(), &l.number) {
                    (false, _) => l.title.clone(),
                    (true, Some(num)) => format!("Lot {num}"),
                    (true, None) => format!("Lot {}", i + 1),
                };
                let cpv = l.cpv.first().map(|c| checked_cpv(Some(c), &title, nature)).unwrap_or_else(|| main.clone());
                ImportedLot { title: shorten(&one_line(&title), TITLE_MAX), cpv, estimated_value: l.estimated_value }
            })
            .collect()
    } else {
        vec![]
    };
    let estimated_value =
        n.estimated_value.or_else(|| if lots.is_empty() { None } else { sum(lots.iter().map(|l| l.estimated_value)) });
    Some(Imported {
        file: format!("boamp-xml/{file}"),
        notice: format!("l’avis BOAMP n°\u{a0}{}", n.idweb),
        buyer: n.buyer.name.clone(),
        title: n.title.clone(),
        // An undivided notice often describes its object only in its single lot.
        description: match (n.description.is_empty(), n.divided, n.lots.as_slice()) {
            (true, false, [lot]) => lot.description.clone(),
            _ => n.description.clone(),
        },
        nature,
        procedure,
        cpv_additional: additional(&codes, &main),
        cpv: main,
        place: place.to_string(),
        place_elsewhere: None,
        estimated_value,
        lots,
        published: n.date_publication.clone(),
    })
}

/// An eForms contract notice of an Île-de-France buyer; `None` for other notices.
pub fn from_eforms(file: &str, n: &EformsNotice) -> Option<Imported> {
    let lot_nuts = n.lots.iter().flat_map(|l| l.nuts.iter().map(String::as_str));
    let performance: Vec<&str> = n.place_nuts.iter().map(String::as_str).chain(lot_nuts).collect();
    let place = place(performance.iter().copied(), n.buyer.postal_code.as_deref(), n.buyer.nuts.as_deref())?;
    let elsewhere = !performance.is_empty() && !performance.iter().any(|c| departement_of_nuts(c).is_some());
    let nature = match n.contract_nature.as_deref() {
        Some("works") => Nature::Travaux,
        Some("supplies") => Nature::Fournitures,
        Some(_) => Nature::Services,
        None => nature_of_cpv(n.cpv.as_deref()),
    };
    let procedure = match n.procedure.as_deref() {
        Some("open") => Procedure::Aoo,
        Some("restricted") => Procedure::Aor,
        Some("neg-w-call" | "innovation") => Procedure::Pan,
        Some("comp-dial") => Procedure::Dc,
        Some("neg-wo-call") => Procedure::Mnsp,
        _ => Procedure::Mapa,
    };
    let main = checked_cpv(n.cpv.as_deref(), &format!("{} {}", n.title, n.description), nature);
    // One lot is no division: its (often English or placeholder) details stay out.
    let lots: Vec<ImportedLot> = if n.lots.len() > 1 {
        n.lots
            .iter()
            .map(|l| {
                let title = if l.title.is_empty() { l.id.clone() } else { l.title.clone() };
                let cpv =
                    l.cpv.as_deref().map(|c| checked_cpv(Some(c), &title, nature)).unwrap_or_else(|| main.clone());
                ImportedLot { title: shorten(&one_line(&title), TITLE_MAX), cpv, estimated_value: l.estimated_value }
            })
            .collect()
    } else {
        vec![]
    };
    let mut codes: Vec<&str> = n.cpv_additional.iter().map(String::as_str).collect();
    codes.extend(n.lots.iter().filter(|_| lots.len() > 1).flat_map(|l| l.cpv_additional.iter().map(String::as_str)));
    let estimated_value =
        n.estimated_value.or_else(|| if lots.is_empty() { None } else { sum(lots.iter().map(|l| l.estimated_value)) });
    let place_description = n.place_description.as_deref().map(|d| d.trim_end_matches(['.', ' ']));
    let nuts = performance.first().map(|c| format!("NUTS {c}"));
    let where_ = match (place_description, nuts) {
        (Some(d), Some(nuts)) => format!("{d} ({nuts})"),
        (Some(d), None) => d.to_string(),
        (None, Some(nuts)) => nuts,
        (None, None) => String::new(),
    };
    Some(Imported {
        file: format!("eforms/{file}"),
        notice: format!("l’avis eForms {} (exemple {file} du SDK eForms 1.15.1)", n.id),
        buyer: n.buyer.name.clone(),
        title: n.title.clone(),
        description: n.description.clone(),
        nature,
        procedure,
        cpv_additional: additional(&codes, &main),
        cpv: main,
        place: place.to_string(),
        place_elsewhere: elsewhere.then_some(where_),
        estimated_value,
        lots,
        published: n.issue_date.clone(),
    })
}

/// Every embedded XML notice of an Île-de-France buyer, as an open consultation of the demo
/// buyer organisation that matches the notice's buyer (notices of other buyers are left out).
pub fn plans(xml: &[(&str, BoampXmlNotice)], eforms: &[(&str, EformsNotice)]) -> Vec<Plan> {
    let imported = xml
        .iter()
        .filter_map(|(f, n)| from_boamp_xml(f, n))
        .chain(eforms.iter().filter_map(|(f, n)| from_eforms(f, n)));
    imported
        .filter_map(|i| {
            let org = buyer_of(&i.buyer)?;
            let notice = BoampNotice {
                idweb: i.file.clone(),
                objet: i.title.clone(),
                famille: "Marchés européens".into(),
                type_marche: i.nature.code().to_uppercase(),
                nature_avis: "Avis de marché".into(),
                procedure_libelle: i.procedure.label().into(),
                acheteur: i.buyer.clone(),
                titulaires: vec![],
                departements: vec![i.place.clone()],
                date_parution: i.published.clone().unwrap_or_default(),
                date_limite_reponse: None,
                date_fin_diffusion: None,
                url: format!("data/demo/{}", i.file),
            };
            Some(Plan {
                org,
                notice,
                borrowed: false,
                fate: Fate::Open,
                lots: i.lots.len(),
                rectification: None,
                imported: Some(i),
            })
        })
        .collect()
}

fn french_date(day: &str) -> String {
    paris_time::parse(&format!("{day}T12:00")).map(paris_time::format_date).unwrap_or_else(|_| day.to_string())
}

fn object(plan: &Plan, i: &Imported) -> String {
    let place_label = Place::parse(&i.place).map(|p| p.label).unwrap_or_else(|_| i.place.clone());
    let place = match &i.place_elsewhere {
        Some(elsewhere) => format!("{place_label} (siège de l’acheteur)\u{a0}; l’avis indique\u{a0}: {elsewhere}"),
        None => place_label,
    };
    let published = i.published.as_deref().map(|d| format!(" publié le {}", french_date(d))).unwrap_or_default();
    let description = if i.description.is_empty() { &i.title } else { &i.description };
    let as_named = if fold_name(&i.buyer) == fold_name(BUYERS[plan.org].name) {
        String::new()
    } else {
        format!(" («\u{a0}{}\u{a0}» dans l’avis)", one_line(&i.buyer))
    };
    format!(
        "{}\n\nAcheteur\u{a0}: {}{as_named}. Procédure\u{a0}: {}. Nature\u{a0}: {}. Lieu d’exécution\u{a0}: {place}.\n\n\
         Consultation de démonstration\u{a0}: copie de {}{published}, fichier «\u{a0}{}\u{a0}» des données de démonstration \
         (data/demo/{}). Titre, description, lots et codes CPV sont ceux de l’avis\u{a0}; les dates, les pièces du dossier \
         et les échanges sont fictifs.",
        shorten(description, DESCRIPTION_MAX),
        BUYERS[plan.org].name,
        i.procedure.label(),
        i.nature.label().to_lowercase(),
        i.notice,
        i.file.rsplit('/').next().unwrap_or(&i.file),
        i.file,
    )
}

/// The form a buyer would fill in for an imported notice, with the given deadlines.
pub fn consultation_input(
    plan: &Plan,
    i: &Imported,
    bid_deadline: Timestamp,
    questions_deadline: Timestamp,
) -> ConsultationInput {
    ConsultationInput {
        title: shorten(&one_line(&i.title), TITLE_MAX),
        object: object(plan, i),
        nature: i.nature.code().into(),
        procedure: i.procedure.code().into(),
        cpv: i.cpv.clone(),
        cpv_additional: i.cpv_additional.clone(),
        place: i.place.clone(),
        estimated_value: i.estimated_value.map(AmountInput::Cents),
        questions_deadline: Some(paris_time::format_iso(questions_deadline)),
        bid_deadline: paris_time::format_iso(bid_deadline),
        contact: Some(format!(
            "Direction de la commande publique – {} (questions par la plateforme uniquement)",
            BUYERS[plan.org].name
        )),
        social: vec![],
        environmental: vec![],
        lots: i
            .lots
            .iter()
            .map(|l| LotInput {
                title: l.title.clone(),
                cpv: Some(l.cpv.clone()),
                estimated_value: l.estimated_value.map(AmountInput::Cents),
            })
            .collect(),
        criteria: super::input::criteria(i.nature),
        tender_validity_days: Some("120".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Vec<Plan> {
        plans(&formats::demo::boamp_xml_notices().unwrap(), &formats::demo::eforms_notices().unwrap())
    }

    #[test]
    fn the_ile_de_france_notices_become_open_consultations() {
        let plans = all();
        let files: Vec<&str> = plans.iter().filter_map(|p| p.imported.as_ref()).map(|i| i.file.as_str()).collect();
        assert_eq!(
            files,
            ["boamp-xml/test-pub.xml", "boamp-xml/test-pub-3.xml", "boamp-xml/test-pub-5.xml", "eforms/cn_81_FRA.xml"]
        );
        let now = paris_time::parse("2026-11-25T10:00").unwrap();
        for p in &plans {
            let i = p.imported.as_ref().unwrap();
            let input = consultation_input(
                p,
                i,
                now + jiff::SignedDuration::from_hours(24 * 30),
                now + jiff::SignedDuration::from_hours(24 * 20),
            );
            let spec = domain::consultation::validate(&input, now).unwrap_or_else(|e| panic!("{}: {e}", i.file));
            assert!(spec.object.contains(&i.file) && spec.object.contains("démonstration"), "{}", spec.object);
            assert_eq!(p.fate, Fate::Open);
        }
        let paris = plans[0].imported.as_ref().unwrap();
        assert_eq!(
            (BUYERS[plans[0].org].name, paris.place.as_str(), paris.procedure),
            ("Ville de Paris", "75", Procedure::Aoo)
        );
        assert_eq!(paris.cpv, "50118110-9");
        assert_eq!(paris.lots.len(), 2);
        assert!(paris.lots[0].title.contains("véhicules légers"));
        let semmy = plans[1].imported.as_ref().unwrap();
        assert_eq!(
            (semmy.place.as_str(), semmy.procedure, semmy.nature, semmy.lots.len()),
            ("77", Procedure::Concours, Nature::Services, 0)
        );
        let ministries = plans[2].imported.as_ref().unwrap();
        assert_eq!(ministries.estimated_value, Some(741_666_600));
        assert_eq!(ministries.cpv_additional, ["79951000-5"]);
        let cea = plans[3].imported.as_ref().unwrap();
        assert_eq!((cea.place.as_str(), cea.procedure, cea.lots.len()), ("91", Procedure::Aor, 0));
        assert_eq!(cea.place_elsewhere.as_deref(), Some("CEA Cadarache — 13115 Saint-Paul-lez-Durance (NUTS FRL04)"));
        assert!(semmy.description.starts_with("Appel à candidatures pour une mission de maîtrise d'oeuvre"));
    }

    #[test]
    fn unknown_cpv_codes_are_guessed() {
        assert_eq!(
            checked_cpv(Some("99999999"), "Nettoyage des locaux", Nature::Services),
            formats::suggest_cpv("Nettoyage des locaux", "SERVICES")
        );
        assert_eq!(checked_cpv(Some("50118110"), "", Nature::Services), "50118110-9");
        assert_eq!(
            checked_cpv(None, "Travaux de voirie", Nature::Travaux),
            formats::suggest_cpv("Travaux de voirie", "TRAVAUX")
        );
    }
}
