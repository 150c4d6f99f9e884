//! Files: the DCE documents, the library's attachments and the sealed bids on local disk. A
//! file is written to a temporary name while it is hashed and counted, and only renamed into
//! place once complete, so a failed or oversized upload leaves nothing behind. Bid files are
//! sealed (age-encrypted) as they stream in ([`seal`]); deposit receipts are signed with Ed25519
//! ([`receipt`]) and their hashes logged in an RFC 6962 Merkle tree ([`merkle`]).

pub mod merkle;
pub mod receipt;
pub mod seal;
mod store;
pub mod zip;

pub use seal::{ConsultationKey, ExposeSecret, OpenedFile, SealError, SealedFile, SecretString};
pub use store::{StoredFile, Vault, VaultError};
