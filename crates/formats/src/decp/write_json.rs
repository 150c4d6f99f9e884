//! The v2 JSON writer: `{"marches": {"marche": [...], "contrat-concession": [...]}}`, one
//! record per line. Marchés stream straight to the output; concessions (a few per thousand
//! records) are held serialised until the marchés are done, since they go in a second list.

use std::borrow::Borrow;
use std::io::{self, Write};

use super::Contrat;

/// Writes `records` in the v2 JSON layout. Valid records (as the readers accept them) give a
/// document valid against schema 2.0.3. The `marche` list is always written (the schema wants
/// one of the two lists), `contrat-concession` only when there is one.
pub fn write_decp_json<I, W>(records: I, mut out: W) -> io::Result<()>
where
    I: IntoIterator,
    I::Item: Borrow<Contrat>,
    W: Write,
{
    let mut concessions: Vec<u8> = Vec::new();
    out.write_all(b"{\"marches\":{\"marche\":[")?;
    let mut first = true;
    for record in records {
        match record.borrow() {
            Contrat::Marche(m) => {
                out.write_all(if first { b"\n" } else { b",\n" })?;
                first = false;
                serde_json::to_writer(&mut out, m)?;
            }
            Contrat::Concession(c) => {
                concessions.extend_from_slice(if concessions.is_empty() { b"\n" } else { b",\n" });
                serde_json::to_writer(&mut concessions, c)?;
            }
        }
    }
    out.write_all(b"\n]")?;
    if !concessions.is_empty() {
        out.write_all(b",\"contrat-concession\":[")?;
        out.write_all(&concessions)?;
        out.write_all(b"\n]")?;
    }
    out.write_all(b"}}\n")?;
    out.flush()
}
