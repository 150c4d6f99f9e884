//! A CPV code for notices that have none.
//!
//! The flattened BOAMP export carries no CPV code, yet every Halle consultation needs a main
//! one. [`suggest_cpv`] looks for a few French keywords in the object (accent- and
//! case-insensitive, matched at the start of a word so plurals match) and falls back on a broad
//! code of the contract's nature. It is a demo helper, not a classifier: the first matching rule
//! of [`RULES`] wins, so more specific rules come first.
//!
//! Every code here exists in CPV 2008 (`data/cpv/cpv_2008_eforms_fr_en.csv`, checked by a test).

use crate::text::fold;

/// The nature a rule is restricted to (the BOAMP `type_marche`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nature {
    Travaux,
    Fournitures,
    Services,
}

impl Nature {
    /// `TRAVAUX` / `FOURNITURES` / `SERVICES` (any case, accents ignored); `None` otherwise.
    pub fn parse(type_marche: &str) -> Option<Nature> {
        match fold(type_marche).trim() {
            "travaux" => Some(Nature::Travaux),
            "fournitures" => Some(Nature::Fournitures),
            "services" => Some(Nature::Services),
            _ => None,
        }
    }
}

/// One keyword rule: if the folded object contains any of `keywords` at a word start (and the
/// nature matches when `nature` is set), the suggestion is `code`.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Keywords, already folded: lower case, no accents, `œ` as `oe`, single spaces.
    pub keywords: &'static [&'static str],
    pub nature: Option<Nature>,
    pub code: &'static str,
}

const fn rule(keywords: &'static [&'static str], nature: Option<Nature>, code: &'static str) -> Rule {
    Rule { keywords, nature, code }
}

use Nature::{Fournitures as F, Services as S, Travaux as T};

/// The keyword table, most specific first.
#[rustfmt::skip]
pub const RULES: &[Rule] = &[
    // Studies and project management before any trade word they may mention.
    rule(&["assistance a maitrise d ouvrage", "amo "], None, "71541000-2"), // gestion de projets de construction
    // "maitrise d uvre": some notices lost the "œ" altogether ("maîtrise d??uvre").
    rule(&["maitrise d oeuvre", "maitrise d uvre", "moe "], None, "71000000-8"), // architecture, ingénierie
    rule(&["architecte", "architectur"], None, "71200000-0"), // services d'architecture
    rule(&["controle technique", "diagnostic", "coordination sps", "geotechni"], None, "71600000-4"), // essais, analyses
    rule(&["desamiantage", "amiante"], Some(T), "45262660-5"), // désamiantage
    rule(&["demolition"], None, "45111100-9"), // démolition
    rule(&["eclairage public", "eclairage exterieur"], None, "45316110-9"), // éclairage public
    rule(&["signalisation"], Some(T), "45233290-8"), // panneaux de signalisation
    rule(&["voirie", "chaussee", "enrobe", "trottoir", "routier", "routiere"], Some(T), "45233140-2"), // travaux routiers
    rule(&["voirie", "chaussee", "enrobe"], None, "45233141-9"), // entretien routier
    rule(&["assainissement", "eaux usees", "egout"], Some(T), "45232400-6"), // égouts
    rule(&["assainissement", "eaux usees"], None, "90400000-1"), // services des eaux usées
    rule(&["espaces verts", "paysag", "elagage", "arbres"], Some(T), "45112710-5"), // aménagement paysager
    rule(&["espaces verts", "paysag", "elagage", "arbres"], None, "77310000-6"), // espaces verts
    rule(&["ascenseur"], Some(T), "45313100-5"), // installation d'ascenseurs
    rule(&["ascenseur"], None, "50750000-7"), // entretien d'ascenseurs
    rule(&["chauffage", "cvc", "climatisation", "ventilation", "genie climatique"], Some(S), "50720000-8"), // entretien chauffage
    rule(&["chauffage", "cvc", "climatisation", "ventilation", "genie climatique"], None, "45331000-6"), // chauffage, ventilation, climatisation
    rule(&["plomberie"], None, "45330000-9"), // plomberie
    rule(&["carburant", "combustible", "fioul"], None, "09100000-0"), // combustibles
    rule(&["electricite", "gaz naturel"], Some(F), "09310000-5"), // électricité (énergie)
    rule(&["electricite", "courants forts", "courants faibles", "electrique"], None, "45310000-3"), // équipement électrique
    rule(&["peinture", "ravalement"], None, "45442100-8"), // peinture
    rule(&["menuiserie"], None, "45421000-4"), // menuiserie
    rule(&["couverture", "toiture", "etancheite"], Some(T), "45260000-7"), // couverture
    rule(&["rehabilitation", "renovation", "refection"], Some(T), "45453000-7"), // remise en état
    rule(&["construction", "extension", "gros oeuvre"], Some(T), "45210000-2"), // construction de bâtiments
    rule(&["nettoyage", "proprete", "entretien des locaux"], None, "90910000-9"), // nettoyage
    rule(&["dechets", "biodechets", "ordures", "collecte des"], None, "90500000-2"), // déchets
    rule(&["restauration scolaire", "repas scolaires", "cantine"], None, "55523100-3"), // restauration scolaire
    rule(&["restauration collective", "prestations de restauration", "restauration traiteur", "repas", "traiteur"], None, "55500000-5"), // cantine et traiteur
    rule(&["denrees", "produits alimentaires"], None, "15000000-8"), // produits alimentaires
    rule(&["logiciel", "progiciel", "licences"], None, "48000000-8"), // logiciels
    rule(&["materiel informatique", "ordinateurs", "postes de travail"], None, "30200000-1"), // matériel informatique
    rule(&["informatique", "numerique", "infogerance", "hebergement", "applicati", "systeme d information", "systemes d information"], None, "72000000-5"), // services TI
    rule(&["telecommunication", "telephonie", "fibre optique"], None, "64200000-8"), // télécommunications
    rule(&["videoprotection", "videosurveillance"], None, "32323500-8"), // vidéosurveillance
    rule(&["formation"], Some(S), "80500000-9"), // formation
    rule(&["gardiennage", "surveillance", "securite incendie", "ssiap"], Some(S), "79710000-4"), // sécurité
    rule(&["assurance"], None, "66510000-8"), // assurance
    rule(&["transport scolaire", "transports scolaires"], None, "60130000-8"), // transport spécialisé de passagers
    rule(&["transport", "navette"], Some(S), "60000000-8"), // transport
    rule(&["vehicule", "automobile"], Some(F), "34100000-8"), // véhicules à moteur
    rule(&["fournitures de bureau", "papeterie"], None, "30192000-1"), // fournitures de bureau
    rule(&["photocopieur", "copieur", "reprographie"], None, "30120000-6"), // photocopieurs
    rule(&["impression", "imprimerie"], None, "79800000-2"), // impression
    rule(&["mobilier"], Some(F), "39100000-3"), // mobilier
    rule(&["vetements", "habillement", "tenues", "epi "], None, "18000000-9"), // vêtements
    rule(&["medical", "medicaux", "pharmaceutique", "medicament"], Some(F), "33000000-0"), // matériel médical
    rule(&["traduction", "interpretariat"], None, "79530000-8"), // traduction
    rule(&["communication", "publicite"], Some(S), "79341000-6"), // publicité
    rule(&["conseil", "audit", "accompagnement"], Some(S), "79400000-8"), // conseil en gestion
    rule(&["maintenance", "entretien", "reparation"], Some(S), "50000000-5"), // réparation et entretien
];

/// Fallback for works: Travaux de construction.
pub const FALLBACK_TRAVAUX: &str = "45000000-7";
/// Fallback for supplies: CPV has no catch-all supplies code; 30000000-9 (machines, office and
/// computer equipment and supplies) is the most common broad division in buyers' notices.
pub const FALLBACK_FOURNITURES: &str = "30000000-9";
/// Fallback for services, and for notices without a nature: Services aux entreprises.
pub const FALLBACK_SERVICES: &str = "79000000-4";

/// A plausible main CPV code (`"45442100-8"`) for a notice from its object and its nature
/// (`TRAVAUX`, `FOURNITURES`, `SERVICES`; anything else counts as services).
pub fn suggest_cpv(objet: &str, type_marche: &str) -> &'static str {
    let nature = Nature::parse(type_marche);
    let text = fold(objet);
    for r in RULES {
        if r.nature.is_some() && r.nature != nature {
            continue;
        }
        let hit = r.keywords.iter().any(|kw| {
            // Match at a word start: " voirie" matches "voirie" and "voiries".
            let needle = format!(" {kw}");
            text.contains(&needle)
        });
        if hit {
            return r.code;
        }
    }
    match nature {
        Some(Nature::Travaux) => FALLBACK_TRAVAUX,
        Some(Nature::Fournitures) => FALLBACK_FOURNITURES,
        Some(Nature::Services) | None => FALLBACK_SERVICES,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn cpv_codes() -> HashSet<String> {
        let path = format!("{}/../../data/cpv/cpv_2008_eforms_fr_en.csv", env!("CARGO_MANIFEST_DIR"));
        let mut reader = csv::Reader::from_path(&path).expect("CPV reference file");
        let col = reader.headers().unwrap().iter().position(|h| h == "code").expect("`code` column");
        let codes: HashSet<String> = reader.records().map(|r| r.expect("CPV row")[col].to_owned()).collect();
        assert!(codes.len() > 9000, "{} CPV codes", codes.len());
        codes
    }

    #[test]
    fn every_code_exists_in_cpv_2008() {
        let codes = cpv_codes();
        let all = RULES.iter().map(|r| r.code).chain([FALLBACK_TRAVAUX, FALLBACK_FOURNITURES, FALLBACK_SERVICES]);
        for code in all {
            assert!(codes.contains(code), "{code} is not a CPV 2008 code");
        }
        assert!(RULES.len() >= 30);
    }

    #[test]
    fn keywords_are_folded() {
        for r in RULES {
            for kw in r.keywords {
                let folded = fold(kw);
                // `fold` pads with spaces; a keyword may keep one trailing space to end a word.
                assert_eq!(folded.trim(), kw.trim(), "keyword {kw:?} is not folded");
            }
        }
    }

    #[test]
    fn suggestions() {
        let cases = [
            ("Travaux courants de voirie - Lot 22", "TRAVAUX", "45233140-2"),
            ("Travaux courants d'éclairage extérieur", "TRAVAUX", "45316110-9"),
            ("Mission de maîtrise d'\u{153}uvre pour la réhabilitation du gymnase", "SERVICES", "71000000-8"),
            ("MAITRISE D OEUVRE POUR LA RENOVATION", "SERVICES", "71000000-8"),
            ("Travaux de PEINTURE des écoles", "TRAVAUX", "45442100-8"),
            ("Nettoyage des locaux administratifs", "SERVICES", "90910000-9"),
            ("Fourniture de repas pour les crèches", "SERVICES", "55500000-5"),
            ("Acquisition de licences logicielles", "FOURNITURES", "48000000-8"),
            ("Assurance dommages aux biens", "SERVICES", "66510000-8"),
            ("Fourniture d'électricité", "FOURNITURES", "09310000-5"),
            ("Contrat d'exploitation des installations de chauffage", "SERVICES", "50720000-8"),
            ("Entretien des espaces verts", "SERVICES", "77310000-6"),
            ("Formations professionnelles SSIAP", "SERVICES", "80500000-9"),
            ("Gardiennage et sécurité incendie (SSIAP)", "SERVICES", "79710000-4"),
            ("Formations bureautiques", "SERVICES", "80500000-9"),
            ("Mobilier scolaire", "FOURNITURES", "39100000-3"),
            ("Achat de véhicules utilitaires", "FOURNITURES", "34100000-8"),
            ("Fournitures de bureau et papeterie", "FOURNITURES", "30192000-1"),
            ("Transport de personnes à mobilité réduite", "SERVICES", "60000000-8"),
            ("Quelque chose d'inédit", "TRAVAUX", FALLBACK_TRAVAUX),
            ("Quelque chose d'inédit", "fournitures", FALLBACK_FOURNITURES),
            ("Quelque chose d'inédit", "SERVICES", FALLBACK_SERVICES),
            ("Quelque chose d'inédit", "", FALLBACK_SERVICES),
            ("", "", FALLBACK_SERVICES),
        ];
        for (objet, nature, expected) in cases {
            assert_eq!(suggest_cpv(objet, nature), expected, "{objet:?} / {nature}");
        }
    }

    #[test]
    fn the_demo_notices_get_varied_codes() {
        let path = format!("{}/../../data/demo/boamp_avis_idf_2026-03.csv", env!("CARGO_MANIFEST_DIR"));
        let notices = crate::read_boamp_csv(std::fs::File::open(path).unwrap()).unwrap();
        let codes: HashSet<&str> = notices.iter().map(|n| suggest_cpv(&n.objet, &n.type_marche)).collect();
        let fallbacks = notices
            .iter()
            .filter(|n| {
                let c = suggest_cpv(&n.objet, &n.type_marche);
                [FALLBACK_TRAVAUX, FALLBACK_FOURNITURES, FALLBACK_SERVICES].contains(&c)
            })
            .count();
        assert!(codes.len() >= 25, "only {} distinct codes", codes.len());
        assert!(fallbacks < notices.len() / 2, "{fallbacks} fallbacks");
    }
}
