//! What a user account is for. Authorization rules live in the application layer; this only
//! names the roles.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Platform administrator (MACS coordinator): manages organisations and accounts.
    Admin,
    /// Administrator of one buyer organisation: its consultations and its users.
    AdminOrganisation,
    /// Agent of a buyer organisation.
    Acheteur,
    /// User of a firm.
    Entreprise,
    /// Social-clause facilitator, scoped to départements.
    Facilitateur,
}

impl Role {
    pub const ALL: &'static [Role] =
        &[Role::Admin, Role::AdminOrganisation, Role::Acheteur, Role::Entreprise, Role::Facilitateur];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::AdminOrganisation => "admin_organisation",
            Role::Acheteur => "acheteur",
            Role::Entreprise => "entreprise",
            Role::Facilitateur => "facilitateur",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Administrateur de la plateforme",
            Role::AdminOrganisation => "Administrateur d’organisation",
            Role::Acheteur => "Acheteur",
            Role::Entreprise => "Entreprise",
            Role::Facilitateur => "Facilitateur de clauses sociales",
        }
    }

    pub fn parse(code: &str) -> Result<Role, String> {
        Role::ALL
            .iter()
            .copied()
            .find(|r| r.code() == code.trim())
            .ok_or_else(|| format!("Le rôle « {} » est inconnu.", code.trim()))
    }

    /// Works for a buyer organisation (both buyer roles).
    pub fn is_buyer(self) -> bool {
        matches!(self, Role::Acheteur | Role::AdminOrganisation)
    }
}
