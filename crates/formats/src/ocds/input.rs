//! What the caller hands the writer: plain structs, in Halle's words, with no OCDS in them.
//!
//! Amounts are `i64` cents excluding VAT (HT), in euros. Instants are RFC 3339 strings with
//! an offset (`2026-03-02T12:00:00+01:00` or `…Z`): the caller formats them (Paris time is the
//! domain's business), the writer only checks their shape.

/// Who publishes the package, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageInfo {
    /// The OCID prefix, e.g. `ocds-halle`. In production this must be a prefix registered with
    /// the Open Contracting Partnership (`ocds-` followed by six characters, e.g. `ocds-213czf`);
    /// any other value makes the OCIDs non-unique in the world.
    pub ocid_prefix: String,
    /// Where this package can be downloaded (`uri` of the package), absolute URL.
    pub uri: String,
    /// When the package was produced (`publishedDate`), RFC 3339 with offset.
    pub published_at: String,
    /// The publisher (`publisher.name`), e.g. the platform operator.
    pub publisher_name: String,
    /// The page describing what is published and when (`publicationPolicy`), absolute URL.
    pub publication_policy_url: String,
    /// The licence of the data (`license`); usually [`super::LICENCE_OUVERTE_2_0`].
    pub license_url: String,
}

/// A consultation (one OCDS contracting process, `ocid` = prefix + `-` + reference).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consultation {
    /// Halle's reference, e.g. `2026-0075-00012`: letters, digits, `-`, `_`, `.` only.
    pub reference: String,
    pub title: String,
    pub description: String,
    pub buyer: Organisation,
    pub nature: Nature,
    pub procedure: Procedure,
    pub status: Status,
    /// Estimated value, cents HT.
    pub estimated_value_cents: Option<i64>,
    pub cpv_main: Cpv,
    pub cpv_additional: Vec<Cpv>,
    /// Empty for a consultation without lots.
    pub lots: Vec<Lot>,
    /// When the consultation was published: date of the tender release, start of the tender
    /// and enquiry periods.
    pub published_at: String,
    /// Deadline for tenders (`tenderPeriod.endDate`).
    pub tender_deadline: String,
    /// Deadline for questions (`enquiryPeriod.endDate`), if any.
    pub questions_deadline: Option<String>,
    pub place: Option<Place>,
    pub documents: Vec<Document>,
    /// Tenders received, for a consultation without lots (`tender.numberOfTenderers`); per lot,
    /// see [`Lot::tenders_received`].
    pub tenders_received: Option<u32>,
    /// When the outcome was decided: required for [`Status::Awarded`],
    /// [`Status::Unsuccessful`] and [`Status::Cancelled`] (date of their release).
    pub decided_at: Option<String>,
    /// The outcome of each lot (or of the whole consultation without lots), for
    /// [`Status::Awarded`]; ignored otherwise.
    pub outcomes: Vec<LotOutcome>,
}

/// A buyer or a supplier, identified by its SIRET.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    pub name: String,
    /// 14 digits (spaces allowed, removed). Published with the org-id scheme `FR-RCS`.
    pub siret: String,
}

/// The nature of the contract (`mainProcurementCategory`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nature {
    /// Travaux → `works`.
    Works,
    /// Fournitures → `goods`.
    Supplies,
    /// Services → `services`.
    Services,
}

/// The procedure of the French code de la commande publique.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Procedure {
    /// Procédure adaptée (MAPA), published openly by Halle → `open`.
    Adapted,
    /// Appel d'offres ouvert → `open`.
    OpenCall,
    /// Appel d'offres restreint → `selective`.
    RestrictedCall,
    /// Procédure avec négociation → `selective`.
    Negotiated,
    /// Dialogue compétitif → `selective`.
    CompetitiveDialogue,
    /// Marché passé sans publicité ni mise en concurrence préalable → `limited`.
    WithoutPublicity,
}

/// The life-cycle phase of the consultation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Brouillon: never exported (the consultation is skipped).
    Draft,
    /// Publiée: tender release, `active`.
    Published,
    /// Clôturée: tender release, `active`, the tender period has ended.
    Closed,
    /// Attribuée: tender, award and (when signed) contract releases; `complete`.
    Awarded,
    /// Infructueuse: tender and `tenderUpdate` releases; `unsuccessful`.
    Unsuccessful,
    /// Sans suite: tender and `tenderCancellation` releases; `cancelled`.
    Cancelled,
}

/// A CPV 2008 code, `45233140` or with its check digit `45233140-2` (published without it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cpv {
    pub code: String,
    /// The label, e.g. `Travaux routiers`, if known.
    pub label: Option<String>,
}

/// One lot of a consultation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lot {
    /// Unique within the consultation, e.g. `1`.
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    /// Estimated value, cents HT.
    pub estimated_value_cents: Option<i64>,
    /// The lot's CPV; the consultation's main CPV when absent.
    pub cpv: Option<Cpv>,
    /// Tenders received for this lot (`bids.statistics`, measure `bids`).
    pub tenders_received: Option<u32>,
}

/// The place of performance (`items[].deliveryAddress`, location extension).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub locality: Option<String>,
    pub postal_code: Option<String>,
    /// Region name, e.g. `Île-de-France`.
    pub region: Option<String>,
    /// NUTS code, e.g. `FR101` (`items[].deliveryLocation.gazetteer`, scheme `NUTS`).
    pub nuts: Option<String>,
}

/// A document published with the consultation: a link, never the file itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub kind: DocumentKind,
    pub title: String,
    /// Absolute `http(s)` URL.
    pub url: String,
}

/// What a [`Document`] is (`documentType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    /// The consultation's page / avis de marché → `tenderNotice`.
    Notice,
    /// The DCE (dossier de consultation des entreprises) page → `biddingDocuments`.
    TenderDocuments,
    /// The avis d'attribution → `awardNotice`.
    AwardNotice,
}

/// What became of a lot (or of the consultation without lots: `lot_id` is `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LotOutcome {
    Awarded(Award),
    /// Infructueux: no acceptable tender. An award with status `unsuccessful`.
    Unsuccessful {
        lot_id: Option<String>,
    },
    /// Déclaré sans suite: the lot is `cancelled`, no award.
    Cancelled {
        lot_id: Option<String>,
    },
}

/// An award of a lot to one supplier or a group of suppliers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Award {
    /// Unique within the consultation, e.g. `2026-0075-00012-L1`.
    pub id: String,
    /// The lot awarded; `None` for a consultation without lots.
    pub lot_id: Option<String>,
    /// Date of the award decision.
    pub date: String,
    /// Amount awarded, cents HT.
    pub value_cents: i64,
    /// At least one; several for a group (groupement).
    pub suppliers: Vec<Organisation>,
    /// The contract, once signed.
    pub contract: Option<Contract>,
}

/// The contract that follows an award (`contracts[]`, same `id` as the award).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contract {
    /// Signature date (`dateSigned`).
    pub signed_at: String,
    /// Notification date: start of the contract period; the signature date when absent.
    pub notified_at: Option<String>,
    pub duration: Option<Duration>,
}

/// How long a contract runs from its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duration {
    Months(u32),
    Days(u32),
}
