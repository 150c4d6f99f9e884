//! CPV 2008 codes, checked against the official list shipped in `data/cpv/`.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CpvEntry {
    /// With check digit, e.g. `45442100-8`.
    pub code: String,
    pub label_fr: String,
    pub parent: Option<String>,
}

impl CpvEntry {
    /// The division, the first two digits (`45` for construction work).
    pub fn division(&self) -> &str {
        &self.code[..2]
    }
}

const CSV: &str = include_str!("../../../data/cpv/cpv_2008_eforms_fr_en.csv");

/// Keyed by the 8 digits without check digit.
static CATALOG: LazyLock<HashMap<String, CpvEntry>> = LazyLock::new(|| {
    let mut reader = csv::Reader::from_reader(CSV.as_bytes());
    reader
        .records()
        .map(|r| r.expect("the shipped CPV list is valid CSV"))
        .map(|r| {
            let parent = r.get(4).filter(|p| !p.is_empty()).map(str::to_string);
            (r[1].to_string(), CpvEntry { code: r[0].to_string(), label_fr: r[2].to_string(), parent })
        })
        .collect()
});

/// Looks a code up, with or without its check digit; a wrong check digit is refused.
pub fn lookup(input: &str) -> Result<&'static CpvEntry, String> {
    let code = input.trim();
    let (digits, check) = match code.split_once('-') {
        Some((d, c)) => (d, Some(c)),
        None => (code, None),
    };
    if digits.len() != 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("Le code CPV doit avoir la forme 45442100-8 (8 chiffres, un tiret, un chiffre de contrôle).".into());
    }
    let entry =
        CATALOG.get(digits).ok_or_else(|| format!("Le code CPV {code} n’existe pas dans la nomenclature CPV 2008."))?;
    match check {
        Some(c) if entry.code[9..] != *c => {
            Err(format!("Le chiffre de contrôle du code CPV {code} est faux : le code exact est {}.", entry.code))
        }
        _ => Ok(entry),
    }
}

/// The French label of a code, or the code itself when unknown (old or imported data).
pub fn label(code: &str) -> String {
    lookup(code).map(|e| e.label_fr.clone()).unwrap_or_else(|_| code.to_string())
}

/// The 45 divisions, for filters.
pub fn divisions() -> Vec<&'static CpvEntry> {
    let mut v: Vec<_> = CATALOG.values().filter(|e| e.parent.is_none()).collect();
    v.sort_by(|a, b| a.code.cmp(&b.code));
    v
}

/// The division a filter asks for: the first two digits of what was typed (a division or any
/// code).
pub fn division_filter(text: &str) -> Result<String, String> {
    let digits: String = text.trim().chars().take_while(char::is_ascii_digit).collect();
    if digits.len() >= 2 {
        Ok(digits[..2].to_string())
    } else {
        Err("Le filtre CPV attend une division (2 chiffres, par exemple 45) ou un code CPV.".into())
    }
}

/// Codes for a picker: those starting with the digits typed, or whose French label has words
/// starting with each word typed (accents and case ignored); the more general codes first.
pub fn matching(text: &str, limit: usize) -> Vec<&'static CpvEntry> {
    let digits: String = text.trim().chars().filter(char::is_ascii_digit).collect();
    let words: Vec<String> = crate::geo::fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2 && !w.bytes().all(|b| b.is_ascii_digit()))
        .map(str::to_string)
        .collect();
    if digits.len() < 2 && words.is_empty() {
        return Vec::new();
    }
    let label_words = |e: &CpvEntry| -> Vec<String> {
        crate::geo::fold(&e.label_fr).split(|c: char| !c.is_alphanumeric()).map(str::to_string).collect()
    };
    let mut found: Vec<&CpvEntry> = CATALOG
        .values()
        .filter(|e| digits.len() < 2 || e.code.starts_with(&digits))
        .filter(|e| {
            words.is_empty() || {
                let lw = label_words(e);
                words.iter().all(|w| lw.iter().any(|l| l.starts_with(w.as_str())))
            }
        })
        .collect();
    // A shorter code (more trailing zeros) is a more general one.
    let depth = |e: &CpvEntry| e.code[..8].trim_end_matches('0').len();
    found.sort_by(|a, b| depth(a).cmp(&depth(b)).then_with(|| a.code.cmp(&b.code)));
    found.truncate(limit);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_is_complete() {
        assert_eq!(CATALOG.len(), 9454);
        assert_eq!(divisions().len(), 45);
    }

    #[test]
    fn lookups() {
        let e = lookup("45442100-8").unwrap();
        assert_eq!(e.label_fr, "Travaux de peinture");
        assert_eq!(e.division(), "45");
        assert_eq!(lookup("45442100").unwrap().code, "45442100-8");
        assert!(lookup("45442100-9").unwrap_err().contains("45442100-8"));
        assert!(lookup("99999999-9").is_err());
        assert!(lookup("4544").is_err());
        assert!(lookup("").is_err());
    }

    #[test]
    fn picker_matches_codes_and_label_words() {
        let codes = |q: &str| matching(q, 5).iter().map(|e| e.code.clone()).collect::<Vec<_>>();
        assert_eq!(codes("45442")[0], "45442000-7");
        assert!(codes("4544210").contains(&"45442100-8".to_string()));
        assert_eq!(codes("travaux de peint")[0], "45440000-3", "the general code first");
        assert!(codes("travaux de peint").contains(&"45442100-8".to_string()));
        assert!(matching("électricité", 10).iter().all(|e| crate::geo::fold(&e.label_fr).contains("electricit")));
        assert!(codes("toiture").contains(&"45261200-6".to_string()), "{:?}", codes("toiture"));
        assert!(matching("", 5).is_empty() && matching("4", 5).is_empty() && matching("zzzz", 5).is_empty());
        assert_eq!(matching("travaux", 3).len(), 3);
    }
}
