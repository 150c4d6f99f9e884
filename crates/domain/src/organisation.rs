//! Organisations: public buyers and firms.

use serde::{Deserialize, Serialize};

vocabulary!(
    /// The kind of public buyer.
    BuyerKind, "type d’acheteur" {
    Commune => "commune", "Commune";
    EpciEpt => "epci_ept", "EPCI / EPT";
    Departement => "departement", "Département";
    Region => "region", "Région";
    Etat => "etat", "État";
    EtablissementPublic => "etablissement_public", "Établissement public";
    Hopital => "hopital", "Hôpital";
    BailleurSocial => "bailleur_social", "Bailleur social";
    Sem => "sem", "Société d’économie mixte (SEM)";
});

vocabulary!(
    /// The size of a firm (loi LME categories).
    FirmSize, "taille d’entreprise" {
    Micro => "micro", "Microentreprise (TPE)";
    Pme => "pme", "Petite ou moyenne entreprise (PME)";
    Eti => "eti", "Entreprise de taille intermédiaire (ETI)";
    Ge => "ge", "Grande entreprise";
});

/// Whether an organisation buys or bids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgRole {
    Acheteur,
    Entreprise,
}

impl OrgRole {
    pub fn code(self) -> &'static str {
        match self {
            OrgRole::Acheteur => "acheteur",
            OrgRole::Entreprise => "entreprise",
        }
    }

    pub fn parse(code: &str) -> Result<Self, String> {
        match code {
            "acheteur" => Ok(OrgRole::Acheteur),
            "entreprise" => Ok(OrgRole::Entreprise),
            _ => Err(format!("Type d’organisation inconnu : {code}")),
        }
    }
}
