//! An OCDS 1.1.5 writer: Halle's consultations as an Open Contracting Data Standard **release
//! package** (JSON), streamed to any [`std::io::Write`].
//!
//! Each consultation is one contracting process, `ocid` = the configured prefix + `-` + its
//! reference (`ocds-halle-2026-0075-00012`). **In production the prefix must be the one the Open
//! Contracting Partnership registered for the publisher** (`ocds-` + six characters); the
//! `ocds-halle` of the tests is not registered and makes the OCIDs non-unique in the world.
//!
//! Releases per consultation (each a full snapshot, `initiationType` `tender`, `language` `fr`):
//!
//! | status (statut)  | releases (tags)                               | `tender.status`         |
//! |------------------|-----------------------------------------------|-------------------------|
//! | brouillon        | none: never exported                          |                         |
//! | publiée          | `tender`                                      | `active`                |
//! | clôturée         | `tender` (the `tenderPeriod` has ended)       | `active`                |
//! | attribuée        | `tender`, `award`, `contract` once signed     | `complete` after award  |
//! | infructueuse     | `tender`, `tenderUpdate`                      | `unsuccessful`          |
//! | sans suite       | `tender`, `tenderCancellation`                | `cancelled`             |
//!
//! Release ids are `ocid-tag-YYYYMMDDTHHMMSSZ` (the release date in UTC).
//!
//! Choices, and where they come from:
//! - Organisations are identified by SIRET under the org-id.guide scheme `FR-RCS` (the French
//!   list of org-id.guide, whose identifiers are SIREN/SIRET numbers; there is no `FR-SIRET`
//!   and `FR-INSEE` is deprecated in favour of `FR-RCS`). Party ids are `FR-RCS-<siret>`; the
//!   buyer has the roles `buyer` and `procuringEntity`, the winners `supplier`.
//! - Amounts are excluding VAT (HT), in `EUR`, written with two decimals (`1234.50`).
//! - CPV codes go in `items[].classification` (scheme `CPV`), without their check digit.
//! - Lots use the lots extension (`tender.lots`, `items[].relatedLot`, `awards[].relatedLots`),
//!   tenders received per lot the bids extension (`bids.statistics`, measure `bids`), the place
//!   of performance the location extension (`items[].deliveryAddress`, and the NUTS code in
//!   `deliveryLocation.gazetteer` with scheme `NUTS`). The three are declared in the package's
//!   `extensions`, see [`EXTENSIONS`].
//! - An unsuccessful lot is an award with status `unsuccessful` (as the EU eForms profile does)
//!   and a lot with status `unsuccessful`; a lot declared sans suite is a `cancelled` lot.
//! - The contract period starts at notification (else signature); with a duration in months the
//!   end is the same day N months later, given in UTC, and `durationInDays` counts the days.
//!
//! The writer builds, writes and drops one release at a time: a package of thousands of
//! consultations never exists whole in memory. Each consultation is checked just before it is
//! written; on error the output holds a partial package and must be discarded.

mod build;
mod check;
mod codes;
mod date;
mod error;
mod input;
mod model;

use std::borrow::Borrow;
use std::cell::RefCell;
use std::collections::HashSet;
use std::io::{self, BufWriter, Write};

use serde::ser::{Error as _, SerializeSeq};
use serde::{Serialize, Serializer};

pub use build::SIRET_SCHEME;
pub use check::MAX_CENTS;
pub use error::OcdsError;
pub use input::{
    Award, Consultation, Contract, Cpv, Document, DocumentKind, Duration, Lot, LotOutcome, Nature, Organisation,
    PackageInfo, Place, Procedure, Status,
};

/// The Licence Ouverte / Open Licence 2.0 of Etalab, for [`PackageInfo::license_url`].
pub const LICENCE_OUVERTE_2_0: &str =
    "https://www.etalab.gouv.fr/wp-content/uploads/2017/04/ETALAB-Licence-Ouverte-v2.0.pdf";

/// The extensions Halle's releases use, declared in every package (lots, bids, location; the
/// versions published for OCDS 1.1.5).
pub const EXTENSIONS: [&str; 3] = [
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_location_extension/v1.1.5/extension.json",
];

/// Checks one consultation as the writer will, without writing anything: lets a caller refuse
/// bad data before starting a package. Drafts are always accepted (they are skipped).
pub fn check_consultation(consultation: &Consultation) -> Result<(), OcdsError> {
    if consultation.status == Status::Draft {
        return Ok(());
    }
    check::check_consultation(consultation)
}

/// Writes a release package of `consultations` (drafts skipped) to `out`, compact JSON in
/// UTF-8, buffered and flushed.
///
/// Fails, naming the consultation and field, on bad package metadata (before writing anything)
/// or a bad consultation (then the output is partial: discard it); fails with
/// [`OcdsError::Empty`] when there is nothing to publish and [`OcdsError::Io`] when `out` fails.
pub fn write_release_package<W, I>(out: W, info: &PackageInfo, consultations: I) -> Result<(), OcdsError>
where
    W: Write,
    I: IntoIterator,
    I::Item: Borrow<Consultation>,
{
    check::check_package(info)?;
    let mut out = BufWriter::new(out);
    let stream = ReleaseStream {
        prefix: &info.ocid_prefix,
        consultations: RefCell::new(Some(consultations.into_iter())),
        failure: RefCell::new(None),
    };
    let package = Package {
        uri: &info.uri,
        version: "1.1",
        extensions: EXTENSIONS,
        published_date: &info.published_at,
        publisher: Publisher { name: &info.publisher_name },
        license: &info.license_url,
        publication_policy: &info.publication_policy_url,
        releases: &stream,
    };
    let mut ser = serde_json::Serializer::with_formatter(&mut out, AmountFormatter);
    if let Err(err) = package.serialize(&mut ser) {
        return Err(stream.failure.take().unwrap_or_else(|| err.into()));
    }
    out.flush()?;
    Ok(())
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Package<'a, R: Serialize> {
    uri: &'a str,
    version: &'static str,
    extensions: [&'static str; 3],
    published_date: &'a str,
    publisher: Publisher<'a>,
    license: &'a str,
    publication_policy: &'a str,
    releases: R,
}

#[derive(Serialize)]
struct Publisher<'a> {
    name: &'a str,
}

/// The `releases` array, produced while it is written. Serde's `Serialize` takes `&self`, hence
/// the cells; a refused consultation is kept in `failure` and the serialiser stopped.
struct ReleaseStream<'a, It> {
    prefix: &'a str,
    consultations: RefCell<Option<It>>,
    failure: RefCell<Option<OcdsError>>,
}

impl<It> Serialize for &ReleaseStream<'_, It>
where
    It: Iterator,
    It::Item: Borrow<Consultation>,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let stop = |e: OcdsError| {
            let message = e.to_string();
            *self.failure.borrow_mut() = Some(e);
            S::Error::custom(message)
        };
        let mut seq = s.serialize_seq(None)?;
        let mut count = 0usize;
        let mut references = HashSet::new();
        let consultations = self.consultations.borrow_mut().take();
        for item in consultations.into_iter().flatten() {
            let c = item.borrow();
            if c.status == Status::Draft {
                continue;
            }
            check::check_consultation(c).map_err(stop)?;
            if !references.insert(c.reference.clone()) {
                let message = "deux consultations portent cette référence";
                return Err(stop(OcdsError::invalid(&format!("consultation {}", c.reference), "référence", message)));
            }
            let ocid = format!("{}-{}", self.prefix, c.reference);
            for stage in build::stages(c) {
                seq.serialize_element(&build::release(c, &ocid, stage))?;
                count += 1;
            }
        }
        if count == 0 {
            return Err(stop(OcdsError::Empty));
        }
        seq.end()
    }
}

/// serde_json's compact output, except that floats (only [`model::Amount`]s here) get exactly
/// two decimals.
struct AmountFormatter;

impl serde_json::ser::Formatter for AmountFormatter {
    fn write_f64<W: ?Sized + Write>(&mut self, writer: &mut W, value: f64) -> io::Result<()> {
        write!(writer, "{value:.2}")
    }
}

#[cfg(test)]
mod tests;
