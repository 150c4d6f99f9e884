//! `cargo xtask bench-search`: a million generated notices searched through the product's index
//! (`search::Index`) next to SQLite FTS5 and PostgreSQL full-text search over the same rows, with
//! the same 50 searches and their facets at 8 concurrent clients.
//!
//! Each engine loads then serves in processes of its own, so that each one's memory is its own;
//! [`run`] starts them (this same binary, `phase …`) and writes the report.

pub mod baseline;
pub mod clients;
pub mod corpus;
pub mod generate;
pub mod memory;
pub mod pg;
pub mod phase;
pub mod queries;
pub mod report;
pub mod rng;
pub mod rows;
pub mod run;
pub mod sql;
pub mod sqlite;
pub mod stats;
