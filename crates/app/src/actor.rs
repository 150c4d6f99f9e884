use domain::role::Role;
use store::User;

use crate::AppError;

/// Who is acting: nobody in particular, or a signed-in user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    Anonymous,
    User(User),
}

impl Actor {
    pub fn user(&self) -> Option<&User> {
        match self {
            Actor::Anonymous => None,
            Actor::User(u) => Some(u),
        }
    }

    pub fn signed_in(&self) -> Result<&User, AppError> {
        self.user().ok_or(AppError::Unauthenticated)
    }

    /// How the audit log names this actor.
    pub fn audit_name(&self) -> String {
        match self {
            Actor::Anonymous => "anonyme".into(),
            Actor::User(u) => format!("user:{}", u.id),
        }
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.user().is_some_and(|u| u.role == role)
    }

    /// The buyer organisation this actor works for, if any.
    pub fn buyer_organisation(&self) -> Option<i64> {
        self.user().filter(|u| u.role.is_buyer()).and_then(|u| u.organisation_id)
    }

    /// A buyer of this organisation, or refused.
    pub fn require_buyer_of(&self, organisation_id: i64) -> Result<&User, AppError> {
        let u = self.signed_in()?;
        if u.role.is_buyer() && u.organisation_id == Some(organisation_id) {
            Ok(u)
        } else {
            Err(AppError::Forbidden("Réservé aux acheteurs de l’organisation qui a publié cette consultation.".into()))
        }
    }

    pub fn require_admin(&self) -> Result<&User, AppError> {
        let u = self.signed_in()?;
        if u.role == Role::Admin {
            Ok(u)
        } else {
            Err(AppError::Forbidden("Réservé aux administrateurs de la plateforme.".into()))
        }
    }
}
