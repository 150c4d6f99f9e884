//! The real material the generator composes from, read from the repository's `data/`: the 3,000
//! BOAMP notices of March 2026, the 19 legacy BOAMP XML notices (titles, lots, CPV codes,
//! values), the CPV 2008 labels and the Île-de-France communes with their population.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use domain::consultation::{Nature, Procedure};
use formats::{BoampNotice, read_boamp_csv, read_boamp_xml, suggest_cpv};

/// One real notice, reduced to what the generator reuses.
#[derive(Debug, Clone)]
pub struct Template {
    pub title: String,
    pub nature: Option<Nature>,
    pub procedure: Option<Procedure>,
    /// An award, an unsuccessful or cancelled procedure: closed whatever its deadline.
    pub closed: bool,
    /// Seconds from publication to the bid deadline, when the notice has one.
    pub deadline_after: Option<i64>,
    /// Main CPV code (given by the XML notices, guessed from the object for the CSV ones).
    pub cpv: String,
    pub lots: Vec<String>,
    pub value_cents: Option<i64>,
    /// The full object, when the notice gives more than its title.
    pub description: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Cpv {
    /// 8 digits and check digit.
    pub code: String,
    pub label: String,
}

#[derive(Debug, Clone)]
pub struct Commune {
    pub code: String,
    pub name: String,
    pub population: u64,
}

/// Everything the generator draws from.
pub struct Corpus {
    pub templates: Vec<Template>,
    /// Île-de-France département → how many real notices name it.
    pub departement_notices: BTreeMap<String, u64>,
    /// Île-de-France département → the buyers of the real notices there (repeated as often as
    /// they publish).
    pub buyers: BTreeMap<String, Vec<String>>,
    /// Île-de-France département → its communes.
    pub communes: BTreeMap<String, Vec<Commune>>,
    /// Every CPV code, sorted by code.
    pub cpv: Vec<Cpv>,
}

type Error = Box<dyn std::error::Error + Send + Sync>;

/// The repository's `data/` folder.
pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data")
}

impl Corpus {
    pub fn load() -> Result<Corpus, Error> {
        let data = data_dir();
        let csv = std::fs::read(data.join("boamp/boamp_avis_3000.csv"))?;
        let notices = read_boamp_csv(csv.as_slice())?;
        let mut templates: Vec<Template> = notices.iter().map(template_of_csv).collect();
        let mut xml: Vec<PathBuf> = std::fs::read_dir(data.join("boamp/xml"))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "xml"))
            .collect();
        xml.sort();
        for path in xml {
            let n = read_boamp_xml(std::fs::File::open(&path)?)?;
            let nature = n.type_marche.as_deref().and_then(nature_of);
            let cpv =
                n.cpv.clone().unwrap_or_else(|| suggest_cpv(&n.title, n.type_marche.as_deref().unwrap_or("")).into());
            templates.push(Template {
                title: one_line(&n.title),
                nature,
                procedure: n.procedure.as_deref().and_then(procedure_of),
                closed: n.nature == "ATTRIBUTION",
                deadline_after: None,
                cpv,
                lots: n.lots.iter().map(|l| one_line(&l.title)).filter(|t| !t.is_empty()).collect(),
                value_cents: n.estimated_value,
                description: Some(one_line(&n.description)).filter(|d| !d.is_empty()),
            });
        }

        let mut departement_notices = BTreeMap::new();
        let mut buyers: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for n in notices.iter().filter(|n| n.is_ile_de_france()) {
            for d in n.departements.iter().filter(|d| formats::is_idf_departement(d)) {
                *departement_notices.entry(d.trim().to_string()).or_default() += 1;
                buyers.entry(d.trim().to_string()).or_default().push(one_line(&n.acheteur));
            }
        }
        Ok(Corpus { templates, departement_notices, buyers, communes: communes(&data)?, cpv: cpv_codes(&data)? })
    }

    /// The codes at or below `code` in the CPV tree (those sharing its significant digits).
    pub fn cpv_below(&self, code: &str) -> &[Cpv] {
        let digits = code.get(..8).unwrap_or(code).trim_end_matches('0');
        // Divisions keep their two digits ("45000000" → "45", "03000000" → "03").
        let prefix = if digits.len() < 2 { code.get(..2).unwrap_or(code) } else { digits };
        let start = self.cpv.partition_point(|c| c.code.as_str() < prefix);
        let end = start + self.cpv[start..].iter().take_while(|c| c.code.starts_with(prefix)).count();
        &self.cpv[start..end]
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn nature_of(type_marche: &str) -> Option<Nature> {
    match type_marche.trim().to_uppercase().as_str() {
        "TRAVAUX" => Some(Nature::Travaux),
        "FOURNITURES" => Some(Nature::Fournitures),
        "SERVICES" => Some(Nature::Services),
        _ => None,
    }
}

/// BOAMP's procedure labels (`Procédure Ouverte`, `Procédure adaptée`…, XML codes such as
/// `PROCEDURE_OUVERTE`) mapped to the Code de la commande publique's procedures.
fn procedure_of(label: &str) -> Option<Procedure> {
    let l = domain::geo::fold(label).replace('_', " ");
    if l.contains("adapt") {
        Some(Procedure::Mapa)
    } else if l.contains("ouvert") {
        Some(Procedure::Aoo)
    } else if l.contains("restreint") {
        Some(Procedure::Aor)
    } else if l.contains("sans publicit") {
        Some(Procedure::Mnsp)
    } else if l.contains("negoci") {
        Some(Procedure::Pan)
    } else if l.contains("dialogue") {
        Some(Procedure::Dc)
    } else if l.contains("concours") {
        Some(Procedure::Concours)
    } else {
        None
    }
}

fn template_of_csv(n: &BoampNotice) -> Template {
    let published =
        n.date_parution.parse::<jiff::civil::Date>().ok().and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok());
    let deadline = n.date_limite_reponse.as_deref().and_then(|d| d.parse::<jiff::Timestamp>().ok());
    let deadline_after = match (published, deadline) {
        (Some(p), Some(d)) => Some(d.as_second() - p.timestamp().as_second()).filter(|s| *s > 0),
        _ => None,
    };
    let kind = domain::geo::fold(&n.nature_avis);
    Template {
        title: one_line(&n.objet),
        nature: nature_of(&n.type_marche),
        procedure: procedure_of(&n.procedure_libelle),
        closed: kind.starts_with("resultat") || kind.starts_with("annulation"),
        deadline_after,
        cpv: suggest_cpv(&n.objet, &n.type_marche).to_string(),
        lots: Vec::new(),
        value_cents: None,
        description: None,
    }
}

fn communes(data: &Path) -> Result<BTreeMap<String, Vec<Commune>>, Error> {
    let mut out: BTreeMap<String, Vec<Commune>> = BTreeMap::new();
    let mut reader = csv::Reader::from_path(data.join("geo/communes_idf.csv"))?;
    for r in reader.records() {
        let r = r?;
        // Current communes only: Paris counts as one, like the notices that name it.
        if &r[2] != "commune-actuelle" {
            continue;
        }
        let population = r[8].parse().unwrap_or(0);
        out.entry(r[3].to_string()).or_default().push(Commune {
            code: r[0].to_string(),
            name: r[1].to_string(),
            population,
        });
    }
    Ok(out)
}

fn cpv_codes(data: &Path) -> Result<Vec<Cpv>, Error> {
    let mut reader = csv::Reader::from_path(data.join("cpv/cpv_2008_eforms_fr_en.csv"))?;
    let mut out = Vec::new();
    for r in reader.records() {
        let r = r?;
        out.push(Cpv { code: r[0].to_string(), label: r[2].to_string() });
    }
    out.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(out)
}
