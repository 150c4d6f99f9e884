//! The words of public procurement as types and rules. No I/O, no async, no database:
//! everything here is pure and can be tested in isolation.

#[macro_use]
mod vocabulary;

pub mod alert;
pub mod audit;
pub mod award;
pub mod beneficiary;
pub mod consultation;
pub mod cpv;
pub mod criteria;
pub mod email;
pub mod error;
pub mod geo;
pub mod hours_report;
pub mod inclusion;
pub mod indicators;
pub mod insertion_hours;
pub mod money;
pub mod notice;
pub mod operation;
pub mod organisation;
pub mod paris_time;
pub mod penalty;
pub mod percent;
pub mod placement;
pub mod practice;
pub mod profile;
pub mod role;
pub mod siret;
pub mod social_clause;
pub mod text;

pub use error::{FieldError, FieldErrors};
