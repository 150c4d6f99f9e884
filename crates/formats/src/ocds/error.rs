use thiserror::Error;

/// Why a release package could not be written. Messages are in French: they reach the
/// operator who configured the export or the buyer whose consultation cannot be published.
#[derive(Debug, Error)]
pub enum OcdsError {
    /// The output failed.
    #[error("erreur d'écriture du paquet OCDS : {0}")]
    Io(#[from] std::io::Error),

    /// A field of the input cannot be published as is. `context` names the package or the
    /// consultation (`consultation 2026-0075-00012`), `field` the path inside it (`lots[1].valeur`).
    #[error("{context} : champ `{field}` : {message}")]
    Invalid { context: String, field: String, message: String },

    /// Nothing to publish: every consultation was a draft, or there was none. A release package
    /// must hold at least one release.
    #[error("aucune consultation à publier : un paquet OCDS doit contenir au moins une publication")]
    Empty,

    /// The JSON serialiser failed for another reason than the output (should not happen).
    #[error("erreur de sérialisation JSON : {0}")]
    Json(String),
}

impl OcdsError {
    pub(crate) fn invalid(context: &str, field: impl Into<String>, message: impl Into<String>) -> Self {
        OcdsError::Invalid { context: context.to_string(), field: field.into(), message: message.into() }
    }
}

impl From<serde_json::Error> for OcdsError {
    fn from(err: serde_json::Error) -> Self {
        if err.is_io() {
            match err.io_error_kind() {
                Some(kind) => OcdsError::Io(std::io::Error::new(kind, err.to_string())),
                None => OcdsError::Json(err.to_string()),
            }
        } else {
            OcdsError::Json(err.to_string())
        }
    }
}
