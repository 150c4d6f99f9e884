//! Files: the DCE documents (and later sealed bids) on local disk. A file is written to a
//! temporary name while it is hashed and counted, and only renamed into place once complete,
//! so a failed or oversized upload leaves nothing behind.

mod store;
pub mod zip;

pub use store::{StoredFile, Vault, VaultError};
