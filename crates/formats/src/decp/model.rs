//! One DECP v2 record as Rust types: every property of schema 2.0.3, for `marche` and for
//! `contrat-concession`. Serialising a value (serde) gives exactly the v2 JSON shape, wrappers
//! included (`titulaires: [{"titulaire": {…}}]`, `techniques: {"technique": […]}`); reading goes
//! through [`super::parse`], which checks every constraint of the schema.
//!
//! Dates are `AAAA-MM-JJ` strings (checked to be real calendar days), amounts `f64` euros HT as
//! the format writes them, optional lists empty when absent.

use std::fmt;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

macro_rules! decp_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $(#[doc = $label] $variant),+
        }

        impl $name {
            /// Every value, in the schema's order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The label the format uses.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $label),+
                }
            }

            /// The value whose label is exactly `label`.
            pub fn from_label(label: &str) -> Option<Self> {
                match label {
                    $($label => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl super::parse::Label for $name {
            const ALL: &'static [Self] = $name::ALL;
            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
            fn from_label(label: &str) -> Option<Self> {
                $name::from_label(label)
            }
        }
    };
}

decp_enum!(
    /// `nature` of a marché.
    NatureMarche {
        Marche => "Marché",
        MarcheDePartenariat => "Marché de partenariat",
        MarcheDeDefenseOuDeSecurite => "Marché de défense ou de sécurité",
    }
);

decp_enum!(
    /// `techniques.technique`.
    Technique {
        AccordCadre => "Accord-cadre",
        Concours => "Concours",
        SystemeDeQualification => "Système de qualification",
        SystemeDAcquisitionDynamique => "Système d'acquisition dynamique",
        CatalogueElectronique => "Catalogue électronique",
        EnchereElectronique => "Enchère électronique",
        SansObjet => "Sans objet",
    }
);

decp_enum!(
    /// `modalitesExecution.modaliteExecution`.
    ModaliteExecution {
        Tranches => "Tranches",
        BonsDeCommande => "Bons de commande",
        MarchesSubsequents => "Marchés subséquents",
        SansObjet => "Sans objet",
    }
);

decp_enum!(
    /// `ccag`.
    Ccag {
        Travaux => "Travaux",
        MaitriseDOeuvre => "Maitrise d'œuvre",
        FournituresCourantesEtServices => "Fournitures courantes et services",
        MarchesIndustriels => "Marchés industriels",
        PrestationsIntellectuelles => "Prestations intellectuelles",
        TechniquesDeLInformation => "Techniques de l'information et de la communication",
        PasDeCcag => "Pas de CCAG",
    }
);

decp_enum!(
    /// `typeGroupementOperateurs`.
    TypeGroupement {
        Conjoint => "Conjoint",
        Solidaire => "Solidaire",
        PasDeGroupement => "Pas de groupement",
    }
);

decp_enum!(
    /// `procedure` of a marché.
    ProcedureMarche {
        ProcedureAdaptee => "Procédure adaptée",
        AppelDOffresOuvert => "Appel d'offres ouvert",
        AppelDOffresRestreint => "Appel d'offres restreint",
        ProcedureAvecNegociation => "Procédure avec négociation",
        SansPubliciteNiMiseEnConcurrence => "Marché passé sans publicité ni mise en concurrence préalable",
        DialogueCompetitif => "Dialogue compétitif",
    }
);

decp_enum!(
    /// `lieuExecution.typeCode`.
    TypeCodeLieu {
        CodePostal => "Code postal",
        CodeCommune => "Code commune",
        CodeArrondissement => "Code arrondissement",
        CodeCanton => "Code canton",
        CodeDepartement => "Code département",
        CodeRegion => "Code région",
        CodePays => "Code pays",
    }
);

decp_enum!(
    /// `typesPrix.typePrix`.
    TypePrix {
        DefinitifFerme => "Définitif ferme",
        DefinitifActualisable => "Définitif actualisable",
        DefinitifRevisable => "Définitif révisable",
        Provisoire => "Provisoire",
    }
);

decp_enum!(
    /// `formePrix`.
    FormePrix {
        Unitaire => "Unitaire",
        Forfaitaire => "Forfaitaire",
        Mixte => "Mixte",
    }
);

decp_enum!(
    /// `typeIdentifiant` of a titulaire, sous-traitant or concessionnaire.
    TypeIdentifiant {
        Siret => "SIRET",
        Tva => "TVA",
        Tahiti => "TAHITI",
        Ridet => "RIDET",
        Frwf => "FRWF",
        Irep => "IREP",
        HorsUe => "HORS-UE",
    }
);

decp_enum!(
    /// `variationPrix` of an acte spécial de sous-traitance.
    VariationPrix {
        Ferme => "Ferme",
        Actualisable => "Actualisable",
        Revisable => "Révisable",
    }
);

decp_enum!(
    /// `considerationsSociales.considerationSociale` of a marché.
    ConsiderationSociale {
        ClauseSociale => "Clause sociale",
        CritereSocial => "Critère social",
        MarcheReserve => "Marché réservé",
        PasDeConsiderationSociale => "Pas de considération sociale",
    }
);

decp_enum!(
    /// `considerationsSociales.considerationSociale` of a contrat de concession.
    ConsiderationSocialeConcession {
        ClauseSociale => "Clause sociale",
        CritereSocial => "Critère social",
        ConcessionReservee => "Concession réservée",
        PasDeConsiderationSociale => "Pas de considération sociale",
    }
);

decp_enum!(
    /// `considerationsEnvironnementales.considerationEnvironnementale`.
    ConsiderationEnvironnementale {
        ClauseEnvironnementale => "Clause environnementale",
        CritereEnvironnemental => "Critère environnemental",
        PasDeConsiderationEnvironnementale => "Pas de considération environnementale",
    }
);

decp_enum!(
    /// `nature` of a contrat de concession.
    NatureConcession {
        ConcessionDeTravaux => "Concession de travaux",
        ConcessionDeService => "Concession de service",
        ConcessionDeServicePublic => "Concession de service public",
        DelegationDeServicePublic => "Délégation de service public",
    }
);

decp_enum!(
    /// `procedure` of a contrat de concession.
    ProcedureConcession {
        NegocieeOuverte => "Procédure négociée ouverte",
        NonNegocieeOuverte => "Procédure non négociée ouverte",
        NegocieeRestreinte => "Procédure négociée restreinte",
        NonNegocieeRestreinte => "Procédure non négociée restreinte",
    }
);

/// The buyer (`acheteur`) or the concession authority (`autoriteConcedante`): a SIRET.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Acheteur {
    /// 14 digits.
    pub id: String,
}

/// A titulaire, sous-traitant or concessionnaire.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Operateur {
    #[serde(rename = "typeIdentifiant")]
    pub type_identifiant: TypeIdentifiant,
    pub id: String,
}

/// `lieuExecution`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LieuExecution {
    pub code: String,
    #[serde(rename = "typeCode")]
    pub type_code: TypeCodeLieu,
}

/// `actesSousTraitance[].acteSousTraitance`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActeSousTraitance {
    pub id: u32,
    pub sous_traitant: Operateur,
    pub duree_mois: u32,
    pub date_notification: String,
    pub date_publication_donnees: String,
    pub montant: f64,
    pub variation_prix: VariationPrix,
}

/// `modificationsActesSousTraitance[].modificationActeSousTraitance`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ModificationActeSousTraitance {
    pub id: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duree_mois: Option<u32>,
    pub date_notification_modification_sous_traitance: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub montant: Option<f64>,
    pub date_publication_donnees: String,
}

/// `modifications[].modification` of a marché.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ModificationMarche {
    pub id: u32,
    pub date_notification_modification: String,
    pub date_publication_donnees_modification: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duree_mois: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub montant: Option<f64>,
    /// The titulaires after the modification; empty when unchanged.
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "ser::titulaires")]
    pub titulaires: Vec<Operateur>,
}

/// One DECP v2 `marche`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Marche {
    /// 1 to 16 characters, unique per buyer.
    pub id: String,
    pub acheteur: Acheteur,
    pub nature: NatureMarche,
    /// At most 1,000 characters.
    pub objet: String,
    /// 8 digits, optionally `-` and the check digit, as given.
    #[serde(rename = "codeCPV")]
    pub code_cpv: String,
    #[serde(serialize_with = "ser::techniques")]
    pub techniques: Vec<Technique>,
    #[serde(serialize_with = "ser::modalites")]
    pub modalites_execution: Vec<ModaliteExecution>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_accord_cadre: Option<String>,
    pub marche_innovant: bool,
    pub ccag: Ccag,
    pub offres_recues: u32,
    pub attribution_avance: bool,
    /// 0 to 1 (0.1 = 10 %).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub taux_avance: Option<f64>,
    pub type_groupement_operateurs: TypeGroupement,
    pub sous_traitance_declaree: bool,
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "ser::actes")]
    pub actes_sous_traitance: Vec<ActeSousTraitance>,
    pub procedure: ProcedureMarche,
    pub lieu_execution: LieuExecution,
    pub duree_mois: u32,
    pub date_notification: String,
    pub date_publication_donnees: String,
    /// Euros HT, at least 1.
    pub montant: f64,
    #[serde(serialize_with = "ser::types_prix")]
    pub types_prix: Vec<TypePrix>,
    pub forme_prix: FormePrix,
    /// 0 to 1.
    #[serde(rename = "origineUE", skip_serializing_if = "Option::is_none")]
    pub origine_ue: Option<f64>,
    /// 0 to 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origine_france: Option<f64>,
    #[serde(serialize_with = "ser::titulaires")]
    pub titulaires: Vec<Operateur>,
    #[serde(serialize_with = "ser::sociales")]
    pub considerations_sociales: Vec<ConsiderationSociale>,
    #[serde(serialize_with = "ser::environnementales")]
    pub considerations_environnementales: Vec<ConsiderationEnvironnementale>,
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "ser::modifications_actes")]
    pub modifications_actes_sous_traitance: Vec<ModificationActeSousTraitance>,
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "ser::modifications")]
    pub modifications: Vec<ModificationMarche>,
}

/// `tarifs[].tarif` of the yearly execution data of a concession.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Tarif {
    /// At most 256 characters.
    pub intitule_tarif: String,
    pub tarif: f64,
}

/// `donneesExecution[].donneesAnnuelles`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DonneesAnnuelles {
    pub date_publication_donnees_execution: String,
    pub depenses_investissement: f64,
    #[serde(serialize_with = "ser::tarifs")]
    pub tarifs: Vec<Tarif>,
}

/// `modifications[].modification` of a contrat de concession.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ModificationConcession {
    pub id: u32,
    pub date_signature_modification: String,
    pub date_publication_donnees_modification: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duree_mois: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valeur_globale: Option<f64>,
}

/// One DECP v2 `contrat-concession`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContratConcession {
    pub id: String,
    pub autorite_concedante: Acheteur,
    pub nature: NatureConcession,
    pub objet: String,
    pub procedure: ProcedureConcession,
    pub duree_mois: u32,
    pub date_signature: String,
    pub date_publication_donnees: String,
    pub date_debut_execution: String,
    pub valeur_globale: f64,
    pub montant_subvention_publique: f64,
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "ser::donnees")]
    pub donnees_execution: Vec<DonneesAnnuelles>,
    #[serde(serialize_with = "ser::concessionnaires")]
    pub concessionnaires: Vec<Operateur>,
    #[serde(serialize_with = "ser::sociales_concession")]
    pub considerations_sociales: Vec<ConsiderationSocialeConcession>,
    #[serde(serialize_with = "ser::environnementales")]
    pub considerations_environnementales: Vec<ConsiderationEnvironnementale>,
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "ser::modifications_concession")]
    pub modifications: Vec<ModificationConcession>,
}

/// A DECP v2 record: a marché or a contrat de concession.
#[derive(Debug, Clone, PartialEq)]
pub enum Contrat {
    Marche(Box<Marche>),
    Concession(Box<ContratConcession>),
}

/// What identifies a record across files and re-publications: the record's `id`, its buyer's
/// (or concession authority's) SIRET, and its notification (or signature) date.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DedupKey {
    pub id: String,
    pub acheteur: String,
    pub date: String,
}

impl Marche {
    /// `id` + `acheteur.id` + `dateNotification`.
    pub fn dedup_key(&self) -> DedupKey {
        DedupKey { id: self.id.clone(), acheteur: self.acheteur.id.clone(), date: self.date_notification.clone() }
    }
}

impl ContratConcession {
    /// `id` + `autoriteConcedante.id` + `dateSignature`.
    pub fn dedup_key(&self) -> DedupKey {
        DedupKey {
            id: self.id.clone(),
            acheteur: self.autorite_concedante.id.clone(),
            date: self.date_signature.clone(),
        }
    }
}

impl Contrat {
    pub fn id(&self) -> &str {
        match self {
            Contrat::Marche(m) => &m.id,
            Contrat::Concession(c) => &c.id,
        }
    }

    pub fn dedup_key(&self) -> DedupKey {
        match self {
            Contrat::Marche(m) => m.dedup_key(),
            Contrat::Concession(c) => c.dedup_key(),
        }
    }
}

/// The format's wrappers: a list of `T` written as `[{"name": T}, …]` or `{"name": [T, …]}`.
mod ser {
    use super::*;

    struct One<'a, T>(&'static str, &'a T);

    impl<T: Serialize> Serialize for One<'_, T> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut map = s.serialize_map(Some(1))?;
            map.serialize_entry(self.0, self.1)?;
            map.end()
        }
    }

    fn each<S: Serializer, T: Serialize>(name: &'static str, items: &[T], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(items.iter().map(|item| One(name, item)))
    }

    fn list<S: Serializer, T: Serialize>(name: &'static str, items: &[T], s: S) -> Result<S::Ok, S::Error> {
        One(name, &items).serialize(s)
    }

    macro_rules! wrappers {
        ($($fn:ident: $t:ty => $how:ident($name:literal);)+) => {
            $(pub(super) fn $fn<S: Serializer>(items: &[$t], s: S) -> Result<S::Ok, S::Error> {
                $how($name, items, s)
            })+
        };
    }

    wrappers! {
        titulaires: Operateur => each("titulaire");
        concessionnaires: Operateur => each("concessionnaire");
        actes: ActeSousTraitance => each("acteSousTraitance");
        modifications_actes: ModificationActeSousTraitance => each("modificationActeSousTraitance");
        modifications: ModificationMarche => each("modification");
        modifications_concession: ModificationConcession => each("modification");
        donnees: DonneesAnnuelles => each("donneesAnnuelles");
        tarifs: Tarif => each("tarif");
        techniques: Technique => list("technique");
        modalites: ModaliteExecution => list("modaliteExecution");
        types_prix: TypePrix => list("typePrix");
        sociales: ConsiderationSociale => list("considerationSociale");
        sociales_concession: ConsiderationSocialeConcession => list("considerationSociale");
        environnementales: ConsiderationEnvironnementale => list("considerationEnvironnementale");
    }
}

impl Serialize for Contrat {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Contrat::Marche(m) => m.serialize(s),
            Contrat::Concession(c) => c.serialize(s),
        }
    }
}
