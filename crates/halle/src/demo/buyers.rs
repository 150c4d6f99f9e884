//! The demo's public buyers: real buyers of the BOAMP notices, two to five per département,
//! with a fictitious SIRET each (the notices do not carry one).

use domain::geo::fold;
use domain::organisation::BuyerKind;
use domain::siret::Siret;

/// One demo buyer organisation.
pub struct BuyerDef {
    /// The name shown on the portal.
    pub name: &'static str,
    pub departement: &'static str,
    /// Folded fragments of the BOAMP `nomacheteur` spellings of this buyer.
    pub patterns: &'static [&'static str],
}

/// Index in [`BUYERS`] of the organisation of `acheteur@demo.halle.test`.
pub const DEMO_BUYER: usize = 0;

#[rustfmt::skip]
pub const BUYERS: &[BuyerDef] = &[
    BuyerDef { name: "Commune nouvelle de Saint-Denis", departement: "93", patterns: &["commune nouvelle de saint-denis"] },
    BuyerDef { name: "Ville de Paris", departement: "75", patterns: &["ville de paris"] },
    BuyerDef { name: "Île-de-France Mobilités", departement: "75", patterns: &["ile de france mobilites"] },
    BuyerDef { name: "Assistance publique – Hôpitaux de Paris", departement: "75", patterns: &["assistance publique"] },
    BuyerDef { name: "Opéra national de Paris", departement: "75", patterns: &["opera national de paris"] },
    BuyerDef { name: "Communauté d’agglomération du Pays de Meaux", departement: "77", patterns: &["pays de meaux"] },
    BuyerDef { name: "Service départemental d’incendie et de secours de Seine-et-Marne", departement: "77", patterns: &["sdis77", "sdis 77"] },
    BuyerDef { name: "Ville de Mitry-Mory", departement: "77", patterns: &["mitry-mory"] },
    BuyerDef { name: "Université Gustave Eiffel", departement: "77", patterns: &["gustave eiffel"] },
    BuyerDef { name: "Communauté d’agglomération de Saint-Quentin-en-Yvelines", departement: "78", patterns: &["saint-quentin-en-yvelines"] },
    BuyerDef { name: "Département des Yvelines", departement: "78", patterns: &["conseil departemental des yvelines"] },
    BuyerDef { name: "Établissement public du château, du musée et du domaine national de Versailles", departement: "78", patterns: &["chateau de versailles"] },
    BuyerDef { name: "Ville de Plaisir", departement: "78", patterns: &["ville de plaisir"] },
    BuyerDef { name: "Cœur d’Essonne Agglomération", departement: "91", patterns: &["coeur essonne"] },
    BuyerDef { name: "Ville de Montgeron", departement: "91", patterns: &["montgeron"] },
    BuyerDef { name: "Ville de Gif-sur-Yvette", departement: "91", patterns: &["gif sur yvette", "gif-sur-yvette"] },
    BuyerDef { name: "Université Paris-Saclay", departement: "91", patterns: &["universite paris-saclay"] },
    BuyerDef { name: "Ville de Gennevilliers", departement: "92", patterns: &["gennevilliers"] },
    BuyerDef { name: "Ville de Puteaux", departement: "92", patterns: &["puteaux"] },
    BuyerDef { name: "Département des Hauts-de-Seine", departement: "92", patterns: &["departement des hauts-de-seine"] },
    BuyerDef { name: "Hauts-de-Seine Habitat – OPH", departement: "92", patterns: &["hauts-de-seine habitat"] },
    BuyerDef { name: "Département de la Seine-Saint-Denis", departement: "93", patterns: &["departement de la seine-saint-denis"] },
    BuyerDef { name: "Région Île-de-France", departement: "93", patterns: &["region ile de france", "region ile-de-france"] },
    BuyerDef { name: "Ville de Gagny", departement: "93", patterns: &["commune de gagny"] },
    BuyerDef { name: "Ville de Bonneuil-sur-Marne", departement: "94", patterns: &["bonneuil sur marne", "bonneuil-sur-marne"] },
    BuyerDef { name: "Établissement public territorial Grand Paris Sud Est Avenir", departement: "94", patterns: &["grand paris sud est avenir"] },
    BuyerDef { name: "Ville de Créteil", departement: "94", patterns: &["creteil"] },
    BuyerDef { name: "Ville du Perreux-sur-Marne", departement: "94", patterns: &["perreux"] },
    BuyerDef { name: "Communauté d’agglomération de Cergy-Pontoise", departement: "95", patterns: &["agglomeration de cergy-pontoise"] },
    BuyerDef { name: "Ville de Sannois", departement: "95", patterns: &["sannois"] },
    BuyerDef { name: "Département du Val-d’Oise", departement: "95", patterns: &["conseil departemental du val-d'oise"] },
    BuyerDef { name: "Syndicat intercommunal d’assainissement de la région d’Enghien-les-Bains (SIARE)", departement: "95", patterns: &["s.i.a.r.e"] },
    // Buyers of the XML notices (see `imported.rs`).
    BuyerDef { name: "Ministères sociaux (MTSFP)", departement: "75", patterns: &["mtsfp"] },
    BuyerDef { name: "SEMMY – Société d’économie mixte de Mitry-Mory", departement: "77", patterns: &["semmy"] },
    BuyerDef { name: "Commissariat à l’énergie atomique et aux énergies alternatives (CEA)", departement: "91", patterns: &["commissariat a l'energie atomique"] },
];

/// A BOAMP buyer name folded for matching: entities decoded, spaces collapsed, no accents.
pub fn fold_name(raw: &str) -> String {
    let decoded = raw.replace("&#039;", "'").replace("&amp;", "&").replace("&quot;", "\"");
    fold(&decoded.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The demo buyer a BOAMP `nomacheteur` belongs to, if any.
pub fn buyer_of(acheteur: &str) -> Option<usize> {
    let name = fold_name(acheteur);
    BUYERS.iter().position(|b| b.patterns.iter().any(|p| name.contains(p)))
}

/// The kind of a public buyer guessed from its name.
pub fn guess_kind(name: &str) -> BuyerKind {
    let n = fold_name(name);
    let has = |words: &[&str]| words.iter().any(|w| n.contains(w));
    if has(&["habitat", "oph", "hlm", "logement"]) {
        BuyerKind::BailleurSocial
    } else if has(&["hopita", "hospitalier", "chu ", "etablissement public de sante"]) {
        BuyerKind::Hopital
    } else if n.starts_with("sem ") || n.starts_with("spl ") || has(&["economie mixte"]) {
        BuyerKind::Sem
    } else if n.starts_with("region") || n.starts_with("conseil regional") {
        BuyerKind::Region
    } else if n.starts_with("departement") || n.starts_with("conseil departemental") {
        BuyerKind::Departement
    } else if has(&["communaute", "agglomeration", "territorial", "syndicat", "intercommunal"]) {
        BuyerKind::EpciEpt
    } else if has(&["ville ", "mairie", "commune"]) {
        BuyerKind::Commune
    } else if has(&["ministere", "prefecture", "direction departementale"]) {
        BuyerKind::Etat
    } else {
        BuyerKind::EtablissementPublic
    }
}

/// A FICTITIOUS but well-formed SIRET for demo buyer `index`: the real ones are not in the
/// notices. `2` (public legal person), a kind digit, the département, `90`, the index, NIC
/// `0001` and a last digit chosen so that the Luhn key holds. Never use outside the demo.
pub fn fictitious_siret(index: usize, kind: BuyerKind, departement: &str) -> String {
    let kind_digit = BuyerKind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
    let base = format!("2{kind_digit}{departement}90{:03}0001", index % 1000);
    (0..10).map(|d| format!("{base}{d}")).find(|s| Siret::parse(s).is_ok()).unwrap_or_else(|| format!("{base}0"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_names() {
        assert_eq!(guess_kind("Ville de Puteaux"), BuyerKind::Commune);
        assert_eq!(guess_kind("Département des Yvelines"), BuyerKind::Departement);
        assert_eq!(guess_kind("Région Île-de-France"), BuyerKind::Region);
        assert_eq!(guess_kind("Hauts-de-Seine Habitat – OPH"), BuyerKind::BailleurSocial);
        assert_eq!(guess_kind("Assistance publique – Hôpitaux de Paris"), BuyerKind::Hopital);
        assert_eq!(guess_kind("Cœur d’Essonne Agglomération"), BuyerKind::EpciEpt);
        assert_eq!(
            guess_kind("Service départemental d’incendie et de secours de Seine-et-Marne"),
            BuyerKind::EtablissementPublic
        );
        assert_eq!(guess_kind("SEM SEINE OUEST HABITAT ET PATRIMOINE"), BuyerKind::BailleurSocial);
        assert_eq!(guess_kind("SPL  SEQUANO GRAND PARIS"), BuyerKind::Sem);
        assert_eq!(guess_kind("Ministères sociaux (MTSFP)"), BuyerKind::Etat);
        assert_eq!(guess_kind("SEMMY – Société d’économie mixte de Mitry-Mory"), BuyerKind::Sem);
    }

    #[test]
    fn fictitious_sirets_are_valid_and_distinct() {
        let all: Vec<String> =
            BUYERS.iter().enumerate().map(|(i, b)| fictitious_siret(i, guess_kind(b.name), b.departement)).collect();
        for s in &all {
            assert!(Siret::parse(s).is_ok(), "{s}");
        }
        let mut unique = all.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), all.len());
    }

    #[test]
    fn boamp_spellings_match() {
        assert_eq!(
            buyer_of("Communauté  d'Agglomération de Cergy-Pontoise").map(|i| BUYERS[i].departement),
            Some("95")
        );
        assert_eq!(buyer_of("COMMUNE NOUVELLE DE SAINT-DENIS"), Some(DEMO_BUYER));
        assert_eq!(buyer_of("Mairie de Bondy"), None);
        let cea =
            buyer_of("Commissariat à l'énergie atomique et aux énergies alternatives").map(|i| BUYERS[i].departement);
        assert_eq!(cea, Some("91"));
    }
}
