//! The web crate through its real router, in-process (`tower::ServiceExt::oneshot`, no
//! network), on SQLite and — when `HALLE_TEST_DATABASE_URL` is set, as
//! `cargo xtask pg -- cargo test -p web` arranges — on PostgreSQL too. One module per story of
//! issue 2, plus the security matrix.

#[path = "http/support.rs"]
mod support;
#[path = "../../formats/tests/formats/support.rs"]
mod validators;

#[path = "http/admin.rs"]
mod admin;
#[path = "http/audit.rs"]
mod audit;
#[path = "http/beneficiaries.rs"]
mod beneficiaries;
#[path = "http/bids.rs"]
mod bids;
#[path = "http/buyer.rs"]
mod buyer;
#[path = "http/eforms.rs"]
mod eforms;
#[path = "http/feeds.rs"]
mod feeds;
#[path = "http/firms.rs"]
mod firms;
#[path = "http/imports.rs"]
mod imports;
#[path = "http/inclusion.rs"]
mod inclusion;
#[path = "http/indicators.rs"]
mod indicators;
#[path = "http/library.rs"]
mod library;
#[path = "http/pages.rs"]
mod pages;
#[path = "http/penalties.rs"]
mod penalties;
#[path = "http/placements.rs"]
mod placements;
#[path = "http/public.rs"]
mod public;
#[path = "http/search.rs"]
mod search;
#[path = "http/security.rs"]
mod security;
#[path = "http/social.rs"]
mod social;
#[path = "http/veille.rs"]
mod veille;
