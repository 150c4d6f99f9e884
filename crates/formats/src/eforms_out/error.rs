use thiserror::Error;

/// Why a notice cannot be written. The messages are in French (the buyer reads them); `field`
/// names the place, e.g. `Lot LOT-0002 — titre` or `Acheteur — SIRET`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NoticeError {
    /// A required value is absent or blank.
    #[error("{field} : ce champ est obligatoire.")]
    Missing { field: String },

    /// A value does not have the expected form.
    #[error("{field} : « {value} » n'est pas {expected}.")]
    Invalid { field: String, value: String, expected: &'static str },

    /// An amount below zero.
    #[error("{field} : un montant ne peut pas être négatif ({cents} centimes).")]
    NegativeAmount { field: String, cents: i64 },

    /// The sum of the awarded amounts does not fit.
    #[error("{field} : le montant est trop élevé.")]
    AmountTooLarge { field: String },

    /// The procedure has no lot.
    #[error("La procédure doit comporter au moins un lot.")]
    NoLots,

    /// Two lots share an id.
    #[error("Le lot {lot} figure deux fois.")]
    DuplicateLot { lot: String },

    /// A lot has no award criterion.
    #[error("Lot {lot} : au moins un critère d'attribution est obligatoire.")]
    NoAwardCriteria { lot: String },

    /// The criteria's weights do not sum to 100 %.
    #[error("Lot {lot} : les pondérations des critères totalisent {total} % au lieu de 100 %.")]
    WeightsNotHundred { lot: String, total: u64 },

    /// The award notice lacks a lot's result.
    #[error("Lot {lot} : le résultat de l'attribution manque.")]
    MissingAward { lot: String },

    /// A result names a lot the notice does not have.
    #[error("Résultat d'attribution pour le lot {lot}, absent de la procédure.")]
    UnknownLot { lot: String },

    /// Two results for one lot.
    #[error("Lot {lot} : deux résultats d'attribution sont fournis.")]
    DuplicateAward { lot: String },
}
