//! Readers for the data sets Halle imports: BOAMP notices (flattened CSV and legacy XML),
//! eForms contract notices, real suppliers (SIRENE-enriched CSV) and inclusive employers
//! (SIAE), plus a keyword-based CPV guess for notices that carry no CPV code.
//!
//! Every reader takes any [`std::io::Read`] and returns plain structs (`String`, `Option`,
//! `Vec`) or a [`FormatError`] that names the offending line: bad input never panics. XML is
//! read with `quick-xml` into a small element tree (`xml`), then picked apart.
//! The crate has no async, no database and no dependency on other Halle crates.
//!
//! The demo data sets live in `data/demo/` at the repository root (see its `PROVENANCE.md`)
//! and are embedded in the crate by [`demo`], so `halle demo` works from any directory.

pub mod boamp_csv;
pub mod boamp_xml;
pub mod cpv_guess;
pub mod decp;
pub mod demo;
pub mod eforms;
pub mod eforms_out;
mod error;
pub mod ocds;
pub mod pdf;
pub mod siae;
pub mod suppliers;
mod text;
pub mod xlsx;
mod xml;

pub use boamp_csv::{BoampNotice, boamp_csv_records, is_idf_departement, read_boamp_csv};
pub use boamp_xml::{BoampXmlBuyer, BoampXmlLot, BoampXmlNotice, read_boamp_xml};
pub use cpv_guess::suggest_cpv;
pub use eforms::{EformsBuyer, EformsLot, EformsLotResult, EformsNotice, EformsOrganisation, EformsTender};
pub use eforms::{NoticeKind, read_eforms};
pub use error::{FormatError, RecordError};
pub use siae::{Siae, read_siae_csv, siae_records};
pub use suppliers::{Supplier, read_suppliers_csv, size_from_staff_band};
