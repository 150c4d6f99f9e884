//! Halle's vocabulary mapped to OCDS codelists (`procurementCategory`, `method`,
//! `tenderStatus`, `documentType`).

use super::input::{DocumentKind, Nature, Procedure};

impl Nature {
    /// `mainProcurementCategory`.
    pub fn ocds_category(self) -> &'static str {
        match self {
            Nature::Works => "works",
            Nature::Supplies => "goods",
            Nature::Services => "services",
        }
    }
}

impl Procedure {
    /// `procurementMethod`. The procedures with a selection of candidates before tendering
    /// (restreint, négociation, dialogue) are `selective`, as in the EU eForms-to-OCDS mapping;
    /// the procedure without publicity nor competition is `limited` (the buyer contacts the
    /// firms of its choice, possibly a single one).
    pub fn ocds_method(self) -> &'static str {
        match self {
            Procedure::Adapted | Procedure::OpenCall => "open",
            Procedure::RestrictedCall | Procedure::Negotiated | Procedure::CompetitiveDialogue => "selective",
            Procedure::WithoutPublicity => "limited",
        }
    }

    /// `procurementMethodDetails`: the French name of the procedure.
    pub fn french_name(self) -> &'static str {
        match self {
            Procedure::Adapted => "Procédure adaptée",
            Procedure::OpenCall => "Appel d'offres ouvert",
            Procedure::RestrictedCall => "Appel d'offres restreint",
            Procedure::Negotiated => "Procédure avec négociation",
            Procedure::CompetitiveDialogue => "Dialogue compétitif",
            Procedure::WithoutPublicity => "Marché passé sans publicité ni mise en concurrence préalable",
        }
    }
}

impl DocumentKind {
    /// `documentType`.
    pub fn ocds_type(self) -> &'static str {
        match self {
            DocumentKind::Notice => "tenderNotice",
            DocumentKind::TenderDocuments => "biddingDocuments",
            DocumentKind::AwardNotice => "awardNotice",
        }
    }
}
