//! Inclusive suppliers: the kinds of structures of the SIAE directory, the trades (sectors) read
//! from their NAF code, and what a buyer can do with them on a consultation.
//!
//! The sectors are Halle's own correspondence between the NAF divisions or groups the directory
//! gives and the CPV divisions of consultations; many structures (associations) are registered
//! under a NAF code that says nothing of their trade (88.99B, 94.99Z): they are counted apart,
//! never guessed.

use serde::{Deserialize, Serialize};

vocabulary!(
    /// The kinds of structures of the directory (codes as the source writes them).
    StructureKind, "type de structure" {
    Aci => "ACI", "Atelier et chantier d’insertion (ACI)";
    Ai => "AI", "Association intermédiaire (AI)";
    Ei => "EI", "Entreprise d’insertion (EI)";
    Etti => "ETTI", "Entreprise de travail temporaire d’insertion (ETTI)";
    Eiti => "EITI", "Entreprise d’insertion par le travail indépendant (EITI)";
    Geiq => "GEIQ", "Groupement d’employeurs pour l’insertion et la qualification (GEIQ)";
    Ea => "EA", "Entreprise adaptée (EA)";
    Esat => "ESAT", "Établissement et service d’aide par le travail (ESAT)";
});

impl StructureKind {
    /// A structure of insertion by economic activity: may bid for lots reserved under
    /// article L2113-13.
    pub fn is_siae(self) -> bool {
        matches!(
            self,
            StructureKind::Aci | StructureKind::Ai | StructureKind::Ei | StructureKind::Etti | StructureKind::Eiti
        )
    }

    /// Employs disabled workers: may bid for lots reserved under article L2113-12.
    pub fn is_disability(self) -> bool {
        matches!(self, StructureKind::Ea | StructureKind::Esat)
    }

    /// Puts people at a firm's disposal, whatever the trade: a way to fulfil an insertion clause.
    pub fn provides_staff(self) -> bool {
        matches!(self, StructureKind::Ai | StructureKind::Etti | StructureKind::Geiq)
    }
}

/// A trade, as NAF code prefixes (digits, without the dot) and the CPV divisions it answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sector {
    pub code: &'static str,
    pub label: &'static str,
    pub naf: &'static [&'static str],
    pub cpv_divisions: &'static [&'static str],
}

pub const SECTORS: &[Sector] = &[
    Sector {
        code: "batiment", label: "Bâtiment et travaux publics", naf: &["41", "42", "43"], cpv_divisions: &["45"]
    },
    Sector { code: "proprete", label: "Propreté et nettoyage", naf: &["812"], cpv_divisions: &["90"] },
    Sector { code: "espaces-verts", label: "Espaces verts et paysage", naf: &["8130", "016"], cpv_divisions: &["77"] },
    Sector {
        code: "dechets",
        label: "Déchets, tri, recyclage et réemploi",
        naf: &["38", "39"],
        cpv_divisions: &["90"],
    },
    Sector {
        code: "restauration",
        label: "Restauration, traiteur et alimentation",
        naf: &["56", "10", "55"],
        cpv_divisions: &["55", "15"],
    },
    Sector {
        code: "transport",
        label: "Transport, logistique et courrier",
        naf: &["49", "52", "53"],
        cpv_divisions: &["60", "63", "64"],
    },
    Sector { code: "personnel", label: "Mise à disposition de personnel", naf: &["78"], cpv_divisions: &["79"] },
    Sector {
        code: "administratif",
        label: "Services administratifs, accueil et conseil",
        naf: &["82", "70", "74"],
        cpv_divisions: &["79"],
    },
    Sector {
        code: "numerique",
        label: "Informatique et numérique",
        naf: &["58", "62", "63"],
        cpv_divisions: &["72", "48"],
    },
    Sector {
        code: "textile",
        label: "Textile, couture et blanchisserie",
        naf: &["13", "14", "9601"],
        cpv_divisions: &["18", "98"],
    },
    Sector {
        code: "bois-mobilier",
        label: "Bois, menuiserie et mobilier",
        naf: &["16", "31"],
        cpv_divisions: &["39", "44"],
    },
    Sector {
        code: "agriculture",
        label: "Agriculture et maraîchage",
        naf: &["011", "012", "013", "014", "015"],
        cpv_divisions: &["03"],
    },
    Sector {
        code: "reparation",
        label: "Réparation et maintenance",
        naf: &["33", "95", "452"],
        cpv_divisions: &["50"],
    },
    Sector { code: "formation", label: "Formation et enseignement", naf: &["85"], cpv_divisions: &["80"] },
    Sector {
        code: "services-personne",
        label: "Services à la personne et action sociale",
        naf: &["87", "881", "9609"],
        cpv_divisions: &["85", "98"],
    },
];

/// The sector of a NAF code (`81.21Z`, `8121Z`), if its code tells the trade.
pub fn sector_of_naf(naf: &str) -> Option<&'static Sector> {
    let digits: String = naf.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 2 {
        return None;
    }
    // The longest prefix wins (81.30 is green spaces, 81.2 cleaning).
    SECTORS
        .iter()
        .flat_map(|s| s.naf.iter().map(move |p| (s, *p)))
        .filter(|(_, p)| digits.starts_with(p))
        .max_by_key(|(_, p)| p.len())
        .map(|(s, _)| s)
}

pub fn sector(code: &str) -> Option<&'static Sector> {
    SECTORS.iter().find(|s| s.code == code.trim())
}

/// The sectors that answer a CPV code's division.
pub fn sectors_for_cpv(cpv: &str) -> Vec<&'static Sector> {
    let division: String = cpv.chars().take(2).collect();
    SECTORS.iter().filter(|s| s.cpv_divisions.contains(&division.as_str())).collect()
}

/// Who could take part in a consultation, in its département.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Coverage {
    /// SIAE whose trade answers the consultation's CPV.
    pub siae_in_trade: usize,
    /// EA and ESAT whose trade answers it.
    pub disability_in_trade: usize,
    /// AI, ETTI and GEIQ: staff for any trade.
    pub staff_providers: usize,
    /// Structures whose NAF code does not tell their trade.
    pub trade_unknown: usize,
}

/// At least this many able structures make a reserved lot a real competition.
pub const RESERVED_MINIMUM: usize = 3;

/// What the counts suggest, in French, most demanding first.
pub fn suggestions(c: &Coverage) -> Vec<String> {
    let mut out = Vec::new();
    if c.siae_in_trade >= RESERVED_MINIMUM {
        out.push(format!(
            "Un lot réservé aux structures d’insertion (article L2113-13) : {} SIAE de ce métier dans le département peuvent y répondre.",
            c.siae_in_trade
        ));
    }
    if c.disability_in_trade >= RESERVED_MINIMUM {
        out.push(format!(
            "Un lot réservé aux entreprises adaptées et ESAT (article L2113-12) : {} structures de ce métier dans le département.",
            c.disability_in_trade
        ));
    }
    if c.siae_in_trade + c.disability_in_trade > 0 {
        out.push("Un critère d’attribution sur l’insertion (article L2152-7) : des structures de ce métier peuvent être cotraitantes ou sous-traitantes.".into());
    }
    if c.staff_providers > 0 {
        out.push(format!(
            "Une clause d’insertion comme condition d’exécution (article L2112-2) : le titulaire pourra recruter par {} structure{} de mise à disposition (AI, ETTI, GEIQ) du département.",
            c.staff_providers,
            if c.staff_providers > 1 { "s" } else { "" }
        ));
    }
    if out.is_empty() {
        out.push("Aucune structure inclusive recensée ne couvre ce métier dans le département : une clause d’insertion reste possible, le facilitateur du territoire peut aider à trouver des candidats.".into());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn naf_codes_tell_sectors_when_they_can() {
        assert_eq!(sector_of_naf("8121Z").unwrap().code, "proprete");
        assert_eq!(sector_of_naf("81.30Z").unwrap().code, "espaces-verts");
        assert_eq!(sector_of_naf("4334Z").unwrap().code, "batiment");
        assert_eq!(sector_of_naf("5621Z").unwrap().code, "restauration");
        assert_eq!(sector_of_naf("9601A").unwrap().code, "textile");
        assert!(sector_of_naf("8899B").is_none(), "social action, trade unknown");
        assert!(sector_of_naf("9499Z").is_none());
        assert!(sector_of_naf("").is_none());
        assert_eq!(sectors_for_cpv("45442100-8")[0].code, "batiment");
        assert!(sectors_for_cpv("90910000-9").iter().any(|s| s.code == "proprete"));
        assert!(sector("proprete").is_some() && sector("x").is_none());
        let codes: std::collections::HashSet<_> = SECTORS.iter().map(|s| s.code).collect();
        assert_eq!(codes.len(), SECTORS.len(), "codes are unique");
    }

    #[test]
    fn kinds_and_what_the_counts_suggest() {
        assert!(StructureKind::parse("ETTI").unwrap().provides_staff());
        assert!(StructureKind::Ei.is_siae() && !StructureKind::Geiq.is_siae());
        assert!(StructureKind::Esat.is_disability());
        let many = Coverage { siae_in_trade: 4, disability_in_trade: 0, staff_providers: 2, trade_unknown: 9 };
        let s = suggestions(&many);
        assert!(s[0].contains("L2113-13") && s[0].contains("4 SIAE"));
        assert!(s.iter().any(|l| l.contains("L2152-7")));
        assert!(s.last().unwrap().contains("2 structures de mise à disposition"));
        let few = Coverage { siae_in_trade: 2, ..Default::default() };
        assert!(!suggestions(&few).iter().any(|l| l.contains("L2113-13")), "two is no competition");
        assert!(suggestions(&Coverage::default())[0].starts_with("Aucune structure"));
    }
}
