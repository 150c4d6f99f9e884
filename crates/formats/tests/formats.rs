//! Halle's exports checked by the official validators (see `support`), and round trips.

mod support;
#[path = "formats/eforms_out.rs"]
mod eforms_out;
