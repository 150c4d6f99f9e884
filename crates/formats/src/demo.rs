//! The demo data sets of `data/demo/`, embedded in the binary so that `halle demo` needs no
//! file next to it. Their sources, licences and the changes made are in
//! `data/demo/PROVENANCE.md`.

use crate::{BoampNotice, BoampXmlNotice, EformsNotice, FormatError, Siae, Supplier};

/// The 548 Île-de-France notices of the BOAMP export of 8–15 March 2026 (CSV, source format).
pub const BOAMP_IDF_CSV: &str = include_str!("../../../data/demo/boamp_avis_idf_2026-03.csv");
/// 70 real suppliers (SIRENE, enriched with their awards).
pub const SUPPLIERS_CSV: &str = include_str!("../../../data/demo/fournisseurs_enrichis.csv");
/// 200 inclusive employers of Île-de-France, 25 per département.
pub const SIAE_CSV: &str = include_str!("../../../data/demo/siae_idf.csv");

/// Legacy BOAMP XML notices (2016–2017), by file name: three calls for competition of
/// Île-de-France buyers and one of Marseille.
pub const BOAMP_XML: [(&str, &str); 4] = [
    ("test-pub.xml", include_str!("../../../data/demo/boamp-xml/test-pub.xml")),
    ("test-pub-3.xml", include_str!("../../../data/demo/boamp-xml/test-pub-3.xml")),
    ("test-pub-5.xml", include_str!("../../../data/demo/boamp-xml/test-pub-5.xml")),
    ("test-pub-2.xml", include_str!("../../../data/demo/boamp-xml/test-pub-2.xml")),
];
/// eForms contract notices of the eForms SDK examples, by file name: the CEA (Essonne) and
/// Rouen Habitat.
pub const EFORMS: [(&str, &str); 2] = [
    ("cn_81_FRA.xml", include_str!("../../../data/demo/eforms/cn_81_FRA.xml")),
    ("cn_24_FRA_comments.xml", include_str!("../../../data/demo/eforms/cn_24_FRA_comments.xml")),
];

/// The demo BOAMP notices, parsed.
pub fn boamp_notices() -> Result<Vec<BoampNotice>, FormatError> {
    crate::read_boamp_csv(BOAMP_IDF_CSV.as_bytes())
}

/// The demo BOAMP XML notices, parsed, with their file names.
pub fn boamp_xml_notices() -> Result<Vec<(&'static str, BoampXmlNotice)>, FormatError> {
    BOAMP_XML.iter().map(|(file, text)| Ok((*file, crate::read_boamp_xml(text.as_bytes())?))).collect()
}

/// The demo eForms notices, parsed, with their file names.
pub fn eforms_notices() -> Result<Vec<(&'static str, EformsNotice)>, FormatError> {
    EFORMS.iter().map(|(file, text)| Ok((*file, crate::read_eforms(text.as_bytes())?))).collect()
}

/// The demo suppliers, parsed.
pub fn suppliers() -> Result<Vec<Supplier>, FormatError> {
    crate::read_suppliers_csv(SUPPLIERS_CSV.as_bytes())
}

/// The demo inclusive employers, parsed.
pub fn siae() -> Result<Vec<Siae>, FormatError> {
    crate::read_siae_csv(SIAE_CSV.as_bytes())
}

#[cfg(test)]
mod tests {
    #[test]
    fn embedded_data_sets_parse() {
        assert_eq!(super::boamp_notices().unwrap().len(), 548);
        assert_eq!(super::suppliers().unwrap().len(), 70);
        assert_eq!(super::siae().unwrap().len(), 200);
        let xml = super::boamp_xml_notices().unwrap();
        assert_eq!(xml.iter().map(|(_, n)| n.lots.len()).collect::<Vec<_>>(), vec![2, 1, 2, 1]);
        let eforms = super::eforms_notices().unwrap();
        assert_eq!(
            eforms.iter().map(|(f, n)| (*f, n.buyer.postal_code.as_deref())).collect::<Vec<_>>(),
            vec![("cn_81_FRA.xml", Some("91297")), ("cn_24_FRA_comments.xml", Some("76001"))]
        );
    }
}
