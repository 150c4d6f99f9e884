//! The demo data sets of `data/demo/`, embedded in the binary so that `halle demo` needs no
//! file next to it. Their sources, licences and the changes made are in
//! `data/demo/PROVENANCE.md`.

use crate::{BoampNotice, FormatError, Siae, Supplier};

/// The 548 Île-de-France notices of the BOAMP export of 8–15 March 2026 (CSV, source format).
pub const BOAMP_IDF_CSV: &str = include_str!("../../../data/demo/boamp_avis_idf_2026-03.csv");
/// 70 real suppliers (SIRENE, enriched with their awards).
pub const SUPPLIERS_CSV: &str = include_str!("../../../data/demo/fournisseurs_enrichis.csv");
/// 200 inclusive employers of Île-de-France, 25 per département.
pub const SIAE_CSV: &str = include_str!("../../../data/demo/siae_idf.csv");

/// The demo BOAMP notices, parsed.
pub fn boamp_notices() -> Result<Vec<BoampNotice>, FormatError> {
    crate::read_boamp_csv(BOAMP_IDF_CSV.as_bytes())
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
    }
}
