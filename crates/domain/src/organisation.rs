//! Organisations: public buyers and firms.

use serde::{Deserialize, Serialize};

macro_rules! labelled {
    ($(#[$m:meta])* $name:ident, $what:literal { $($variant:ident => $code:literal, $label:literal;)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn parse(code: &str) -> Result<Self, String> {
                let code = code.trim();
                Self::ALL.iter().copied().find(|v| v.code() == code).ok_or_else(|| {
                    let all: Vec<&str> = Self::ALL.iter().map(|v| v.code()).collect();
                    format!(concat!($what, " « {} » est inconnu : valeurs possibles {}."), code, all.join(", "))
                })
            }
        }
    };
}

labelled!(
    /// The kind of public buyer.
    BuyerKind, "Le type d’acheteur" {
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

labelled!(
    /// The size of a firm (loi LME categories).
    FirmSize, "La taille d’entreprise" {
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
