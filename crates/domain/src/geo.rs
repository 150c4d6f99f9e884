//! Île-de-France départements, communes and their NUTS-3 codes (COG 2026, shipped in `data/geo/`).

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Departement {
    pub code: &'static str,
    pub name: &'static str,
    pub nuts: &'static str,
}

pub const DEPARTEMENTS: [Departement; 8] = [
    Departement { code: "75", name: "Paris", nuts: "FR101" },
    Departement { code: "77", name: "Seine-et-Marne", nuts: "FR102" },
    Departement { code: "78", name: "Yvelines", nuts: "FR103" },
    Departement { code: "91", name: "Essonne", nuts: "FR104" },
    Departement { code: "92", name: "Hauts-de-Seine", nuts: "FR105" },
    Departement { code: "93", name: "Seine-Saint-Denis", nuts: "FR106" },
    Departement { code: "94", name: "Val-de-Marne", nuts: "FR107" },
    Departement { code: "95", name: "Val-d’Oise", nuts: "FR108" },
];

pub fn departement(code: &str) -> Result<&'static Departement, String> {
    let code = code.trim();
    DEPARTEMENTS.iter().find(|d| d.code == code).ok_or_else(|| {
        format!("Le département « {code} » n’est pas en Île-de-France (75, 77, 78, 91, 92, 93, 94 ou 95).")
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Commune {
    pub code: String,
    pub name: String,
    pub departement: String,
}

const COMMUNES_CSV: &str = include_str!("../../../data/geo/communes_idf.csv");

static COMMUNES: LazyLock<HashMap<String, Commune>> = LazyLock::new(|| {
    let mut reader = csv::Reader::from_reader(COMMUNES_CSV.as_bytes());
    reader
        .records()
        .map(|r| r.expect("the shipped commune list is valid CSV"))
        .filter(|r| matches!(&r[2], "commune-actuelle" | "arrondissement-municipal"))
        .map(|r| {
            let c = Commune { code: r[0].to_string(), name: r[1].to_string(), departement: r[3].to_string() };
            (c.code.clone(), c)
        })
        .collect()
});

pub fn commune(code: &str) -> Option<&'static Commune> {
    COMMUNES.get(code.trim())
}

/// Communes whose name (accents and case ignored) or INSEE code starts with the given text, for
/// pickers.
pub fn communes_matching(prefix: &str, limit: usize) -> Vec<&'static Commune> {
    let p = fold(prefix.trim());
    if p.is_empty() {
        return Vec::new();
    }
    let mut v: Vec<_> = COMMUNES.values().filter(|c| fold(&c.name).starts_with(&p) || c.code.starts_with(&p)).collect();
    v.sort_by(|a, b| a.name.cmp(&b.name));
    v.truncate(limit);
    v
}

/// Lowercase without French accents, for matching what people type.
pub fn fold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ÿ' => 'y',
            '’' => '\'',
            c => c,
        })
        .collect()
}

/// Where the work is done: a commune of Île-de-France or a whole département.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Place {
    /// INSEE code of the commune, or the département code.
    pub code: String,
    pub label: String,
    pub departement: &'static Departement,
}

impl Place {
    pub fn nuts(&self) -> &'static str {
        self.departement.nuts
    }

    /// A département (2 digits) or a commune (5-character INSEE code).
    pub fn parse(code: &str) -> Result<Place, String> {
        let code = code.trim();
        if code.len() == 2 {
            let d = departement(code)?;
            return Ok(Place { code: d.code.into(), label: d.name.into(), departement: d });
        }
        let c = commune(code).ok_or_else(|| {
            format!("Le lieu « {code} » n’est ni un département ni une commune d’Île-de-France (code INSEE).")
        })?;
        Ok(Place { code: c.code.clone(), label: c.name.clone(), departement: departement(&c.departement)? })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places() {
        let p = Place::parse("93066").unwrap();
        assert_eq!(p.label, "Saint-Denis");
        assert_eq!(p.nuts(), "FR106");
        assert_eq!(Place::parse("77").unwrap().nuts(), "FR102");
        assert!(Place::parse("13").is_err());
        assert!(Place::parse("13055").is_err());
        assert_eq!(Place::parse("75112").unwrap().departement.code, "75");
    }

    #[test]
    fn commune_search_ignores_accents() {
        let found = communes_matching("evry", 5);
        assert!(found.iter().any(|c| c.name.starts_with("Évry")), "{found:?}");
        assert_eq!(communes_matching("93066", 5)[0].name, "Saint-Denis");
        assert!(communes_matching("  ", 5).is_empty());
    }

    #[test]
    fn counts() {
        assert_eq!(COMMUNES.len(), 1266 + 20);
    }
}
