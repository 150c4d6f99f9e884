//! The use cases. Every operation takes the acting user and decides here, and only here,
//! whether they may do it and to which organisation's data. Handlers call one of these;
//! these call the store and the vault. No HTML, no SQL.

mod accounts;
mod actor;
mod alerts;
mod audit;
mod auth;
mod awards;
mod backup_copies;
mod beneficiaries;
mod bids;
pub use auth::TokenKind;
mod clock;
mod consultations;
mod dce;
mod error;
mod files;
mod imports;
pub mod inclusion;
mod indexer;
mod mail;
mod opendata;
mod opening;
mod operations;
mod penalties;
mod placements;
mod practices;
mod profiles;
mod questions;
pub mod search_query;
mod secret;
mod social_clauses;
mod test_consultation;
mod transparency;
mod veille;

pub use accounts::{FirmRegistration, NewAccount, NewBuyerOrganisation};
pub use actor::Actor;
pub use backup_copies::OPEN_REASONS as BACKUP_OPEN_REASONS;
pub use bids::{Deposit, DepositRegister, ENVELOPES, SealedPart};
pub use clock::{Clock, FixedClock, SystemClock};
pub use consultations::{ConsultationView, PublicQuestion, StatusChange};
pub use dce::Dce;
pub use error::AppError;
pub use files::{FileDownload, IncomingFiles};
pub use imports::{ImportKind, ImportReport, Rejection, source_label};
pub use inclusion::{ConsultationCoverage, Supplier, SupplierPage, SupplierQuery};
pub use indexer::{Found, FoundPage, consultation_doc, notice_doc};
pub use mail::{Mailer, Sendmail, Smtp};
pub use opendata::DEFAULT_OCID_PREFIX;
pub use opening::{OpenedBidFile, OpeningView};
pub use operations::{IndicatorQuery, IndicatorsView, OperationView};
pub use placements::{ContractRole, ContractView};
pub use practices::{PracticeQuery, PracticeView};
pub use social_clauses::ClauseDraft;

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
    /// The OCDS identifier prefix registered for the platform.
    pub ocid_prefix: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_upload_bytes: 500 * 1024 * 1024,
            base_url: "http://127.0.0.1:8080".into(),
            ocid_prefix: opendata::DEFAULT_OCID_PREFIX.into(),
        }
    }
}

/// Everything a use case needs; cheap to clone, shared by all requests.
#[derive(Clone)]
pub struct App {
    store: Store,
    vault: Vault,
    clock: Arc<dyn Clock>,
    config: Arc<Config>,
    /// Loaded on first use from the vault (created there the first time).
    receipt_key: Arc<std::sync::OnceLock<vault::receipt::ReceiptKey>>,
    /// The search index, when this node keeps one (see `indexer`).
    search: Option<Arc<search::Index>>,
    /// One indexing run at a time.
    index_lock: Arc<tokio::sync::Mutex<()>>,
    /// One run of the alert job or of the digest at a time.
    alerts_lock: Arc<tokio::sync::Mutex<()>>,
}

impl App {
    pub fn new(store: Store, vault: Vault, clock: Arc<dyn Clock>, config: Config) -> App {
        App {
            store,
            vault,
            clock,
            config: Arc::new(config),
            receipt_key: Arc::default(),
            search: None,
            index_lock: Arc::default(),
            alerts_lock: Arc::default(),
        }
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The platform's receipt-signing key, loaded once.
    fn receipt_key(&self) -> Result<&vault::receipt::ReceiptKey, AppError> {
        if let Some(k) = self.receipt_key.get() {
            return Ok(k);
        }
        let key = self.vault.receipt_key()?;
        Ok(self.receipt_key.get_or_init(|| key))
    }

    /// The database answers (for `/healthz`).
    pub async fn healthy(&self) -> bool {
        self.store.ping().await.is_ok()
    }
}
