use domain::FieldErrors;
use store::StoreError;
use vault::VaultError;

/// Why a use case refused or failed; the web layer turns each into a page or a problem detail.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("invalid input: {0}")]
    Invalid(FieldErrors),
    /// Also used when the thing exists but the actor may not know it does.
    #[error("not found")]
    NotFound,
    #[error("not signed in")]
    Unauthenticated,
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The action does not fit the current state (e.g. answering after the deadline).
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("too many attempts")]
    TooManyAttempts,
    #[error("file too large (limit {limit} bytes)")]
    TooLarge { limit: u64 },
    /// File storage failed (disk full, I/O error): nothing was kept.
    #[error("storage unavailable: {0}")]
    StorageUnavailable(String),
    #[error("internal: {0}")]
    Internal(String),
}

impl AppError {
    pub fn field(field: &str, message: impl Into<String>) -> AppError {
        let mut e = FieldErrors::default();
        e.push(field, message);
        AppError::Invalid(e)
    }
}

impl From<FieldErrors> for AppError {
    fn from(e: FieldErrors) -> Self {
        AppError::Invalid(e)
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict => AppError::Conflict("Cet enregistrement existe déjà.".into()),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<VaultError> for AppError {
    fn from(e: VaultError) -> Self {
        match e {
            VaultError::TooLarge { limit } => AppError::TooLarge { limit },
            VaultError::Interrupted(e) => {
                AppError::Conflict(format!("Le transfert du fichier a été interrompu ({e})."))
            }
            VaultError::Io(e) => AppError::StorageUnavailable(e.to_string()),
            other => AppError::Internal(other.to_string()),
        }
    }
}
