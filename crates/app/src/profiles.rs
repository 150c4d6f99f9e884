//! A buyer organisation's contact details and review body: set by the platform administrator
//! or the organisation's own administrator; read by its buyers (and used in official notices).

use domain::organisation::OrgRole;
use domain::profile::{self, Profile, ProfileInput};
use domain::role::Role;
use store::Organisation;

use crate::accounts::event;
use crate::{Actor, App, AppError};

impl App {
    /// The organisation as its members (and the platform administrator) see it.
    pub async fn own_organisation(&self, actor: &Actor, organisation_id: i64) -> Result<Organisation, AppError> {
        let me = actor.signed_in()?;
        if me.role != Role::Admin && me.organisation_id != Some(organisation_id) {
            return Err(AppError::Forbidden("Cette organisation n’est pas la vôtre.".into()));
        }
        Ok(self.store.organisation(organisation_id).await?)
    }

    /// Whether `actor` may change the organisation's contact details: the platform's
    /// administrator, or the organisation's own.
    pub fn may_set_profile(&self, actor: &Actor, organisation_id: i64) -> bool {
        actor.user().is_some_and(|me| match me.role {
            Role::Admin => true,
            Role::AdminOrganisation => me.organisation_id == Some(organisation_id),
            _ => false,
        })
    }

    pub async fn set_profile(
        &self,
        actor: &Actor,
        organisation_id: i64,
        input: &ProfileInput,
    ) -> Result<Profile, AppError> {
        actor.signed_in()?;
        if !self.may_set_profile(actor, organisation_id) {
            return Err(AppError::Forbidden(
                "Seul l’administrateur de l’organisation peut modifier ses coordonnées.".into(),
            ));
        }
        if self.store.organisation(organisation_id).await?.role != OrgRole::Acheteur {
            return Err(AppError::Conflict("Seules les organisations acheteuses ont ces coordonnées.".into()));
        }
        let profile = profile::validate(input)?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        tx.set_profile(organisation_id, &profile).await?;
        tx.audit(
            &event(actor, "organisation.coordonnees", format!("organisation:{organisation_id}"), &profile.email),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(profile)
    }
}
