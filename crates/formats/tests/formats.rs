//! Halle's exports checked by the official validators (see `support`), and round trips.

#[path = "formats/decp.rs"]
mod decp;
#[path = "formats/support.rs"]
mod support;

#[path = "formats/eforms_out.rs"]
mod eforms_out;
#[path = "formats/ocds.rs"]
mod ocds;
#[path = "formats/readers.rs"]
mod readers;
#[path = "formats/xlsx.rs"]
mod xlsx;
