//! The use cases. Every operation takes the acting user and decides here, and only here,
//! whether they may do it and to which organisation's data. Handlers call one of these;
//! these call the store and the vault. No HTML, no SQL.

mod accounts;
mod actor;
mod audit;
mod auth;
mod awards;
mod backup_copies;
mod bids;
pub use auth::TokenKind;
mod clock;
mod consultations;
mod dce;
mod error;
mod mail;
mod opening;
mod questions;
mod secret;
mod test_consultation;
mod transparency;

pub use accounts::{FirmRegistration, NewAccount, NewBuyerOrganisation};
pub use actor::Actor;
pub use backup_copies::OPEN_REASONS as BACKUP_OPEN_REASONS;
pub use bids::{Deposit, DepositRegister, ENVELOPES, SealedPart};
pub use clock::{Clock, FixedClock, SystemClock};
pub use consultations::{ConsultationView, PublicQuestion, StatusChange};
pub use dce::{Dce, DceFile};
pub use error::AppError;
pub use mail::{Mailer, Sendmail};
pub use opening::{OpenedBidFile, OpeningView};

use std::sync::Arc;

use jiff::Timestamp;
use store::Store;
use vault::Vault;

#[derive(Debug, Clone)]
pub struct Config {
    /// Largest accepted file, in bytes.
    pub max_upload_bytes: u64,
    /// Public address of the portal, for links in e-mails.
    pub base_url: String,
}

impl Default for Config {
    fn default() -> Self {
        Config { max_upload_bytes: 500 * 1024 * 1024, base_url: "http://127.0.0.1:8080".into() }
    }
}

/// Everything a use case needs; cheap to clone, shared by all requests.
#[derive(Clone)]
pub struct App {
    store: Store,
    vault: Vault,
    clock: Arc<dyn Clock>,
    config: Arc<Config>,
    /// Loaded on first use from the vault's folder (created there the first time).
    receipt_key: Arc<std::sync::OnceLock<vault::receipt::ReceiptKey>>,
}

impl App {
    pub fn new(store: Store, vault: Vault, clock: Arc<dyn Clock>, config: Config) -> App {
        App { store, vault, clock, config: Arc::new(config), receipt_key: Arc::default() }
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The platform's receipt-signing key, kept with the files so that every node of a
    /// deployment sharing the storage signs with the same key.
    fn receipt_key(&self) -> Result<&vault::receipt::ReceiptKey, AppError> {
        if let Some(k) = self.receipt_key.get() {
            return Ok(k);
        }
        let dir = self.vault.root().join("cles");
        std::fs::create_dir_all(&dir).map_err(|e| AppError::Internal(format!("{}: {e}", dir.display())))?;
        let key = vault::receipt::ReceiptKey::load_or_create(dir.join("recus.ed25519"))
            .map_err(|e| AppError::Internal(e.to_string()))?;
        Ok(self.receipt_key.get_or_init(|| key))
    }

    /// The database answers (for `/healthz`).
    pub async fn healthy(&self) -> bool {
        self.store.ping().await.is_ok()
    }
}
