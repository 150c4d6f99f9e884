//! Organisations and user accounts: the administrator creates buyers and facilitators; firms
//! register themselves.

use domain::organisation::{BuyerKind, FirmSize, OrgRole};
use domain::role::Role;
use domain::siret::Siret;
use domain::{FieldErrors, geo, text};
use store::{AuditEvent, NewOrganisation, NewUser, Organisation, StoreError, Tx, User};

use crate::secret::{check_password_strength, hash_password};
use crate::{Actor, App, AppError};

#[derive(Debug, Clone, Default)]
pub struct NewBuyerOrganisation {
    pub name: String,
    pub siret: String,
    pub kind: String,
    pub departement: String,
    pub address: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct NewAccount {
    pub email: String,
    pub name: String,
    pub password: String,
    pub role: String,
    pub organisation_id: Option<i64>,
    /// For facilitators.
    pub departements: Vec<String>,
}

/// What a firm fills in to register; a field left out reads as empty (and gets its message).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct FirmRegistration {
    pub siret: String,
    pub name: String,
    pub size: String,
    pub address: String,
    pub departement: String,
    pub user_name: String,
    pub email: String,
    pub password: String,
}

/// Any French département code (two characters, or 971–976), since firms come from all over.
fn french_departement(code: &str) -> Result<String, String> {
    let c = code.trim().to_uppercase();
    let ok = match c.len() {
        2 => c == "2A" || c == "2B" || (c.bytes().all(|b| b.is_ascii_digit()) && c != "00" && c != "20"),
        3 => ["971", "972", "973", "974", "976"].contains(&c.as_str()),
        _ => false,
    };
    if ok { Ok(c) } else { Err(format!("« {} » n’est pas un numéro de département français.", code.trim())) }
}

fn conflict_on(field: &str, message: &str) -> impl Fn(StoreError) -> AppError {
    let (field, message) = (field.to_string(), message.to_string());
    move |e| match e {
        StoreError::Conflict => AppError::field(&field, message.clone()),
        other => other.into(),
    }
}

impl App {
    pub async fn create_buyer_organisation(
        &self,
        actor: &Actor,
        input: &NewBuyerOrganisation,
    ) -> Result<i64, AppError> {
        actor.require_admin()?;
        let mut e = FieldErrors::default();
        let name = e.check("name", text::required(&input.name, "Le nom", 200));
        let siret = e.check("siret", Siret::parse(&input.siret));
        let kind = e.check("kind", BuyerKind::parse(&input.kind));
        let departement = e.check("departement", geo::departement(&input.departement).map(|d| d.code.to_string()));
        let address = e.check("address", text::optional(input.address.as_deref(), "L’adresse", 300)).flatten();
        e.into_result()?;
        let (Some(name), Some(siret), Some(kind), Some(departement)) = (name, siret, kind, departement) else {
            return Err(AppError::Internal("validated fields missing".into()));
        };
        let org = NewOrganisation {
            role: OrgRole::Acheteur,
            name,
            siret: siret.to_string(),
            kind: Some(kind),
            size: None,
            address,
            departement,
        };
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let id = tx
            .insert_organisation(&org, now)
            .await
            .map_err(conflict_on("siret", "Une organisation avec ce SIRET existe déjà."))?;
        tx.audit(&event(actor, "organisation.creee", format!("organisation:{id}"), &org.name), now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The platform administrator creates any account; an organisation's administrator
    /// creates buyer accounts in their own organisation only.
    pub async fn create_account(&self, actor: &Actor, input: &NewAccount) -> Result<i64, AppError> {
        let me = actor.signed_in()?;
        let role = Role::parse(&input.role).map_err(|m| AppError::field("role", m))?;
        let allowed = match me.role {
            Role::Admin => true,
            Role::AdminOrganisation => role.is_buyer() && input.organisation_id == me.organisation_id,
            _ => false,
        };
        if !allowed {
            return Err(AppError::Forbidden("Vous ne pouvez pas créer ce compte.".into()));
        }
        let organisation = match input.organisation_id {
            Some(id) => Some(self.store.organisation(id).await.map_err(|e| match e {
                StoreError::NotFound => AppError::field("organisation_id", "Cette organisation n’existe pas."),
                other => other.into(),
            })?),
            None => None,
        };
        let mut e = FieldErrors::default();
        let fits = match role {
            Role::Acheteur | Role::AdminOrganisation => {
                organisation.as_ref().is_some_and(|o| o.role == OrgRole::Acheteur)
            }
            Role::Entreprise => organisation.as_ref().is_some_and(|o| o.role == OrgRole::Entreprise),
            Role::Admin | Role::Facilitateur => organisation.is_none(),
        };
        if !fits {
            e.push("organisation_id", "Ce rôle ne correspond pas à l’organisation choisie.");
        }
        let mut departements = Vec::new();
        if role == Role::Facilitateur {
            for d in input.departements.iter().filter(|d| !d.trim().is_empty()) {
                if let Some(d) = e.check("departements", geo::departement(d).map(|d| d.code.to_string())) {
                    departements.push(d);
                }
            }
            if departements.is_empty() {
                e.push("departements", "Un facilitateur suit au moins un département.");
            }
        }
        self.insert_account(&mut e, input, role, departements, actor).await
    }

    async fn insert_account(
        &self,
        e: &mut FieldErrors,
        input: &NewAccount,
        role: Role,
        departements: Vec<String>,
        actor: &Actor,
    ) -> Result<i64, AppError> {
        let email = e.check("email", text::email(&input.email));
        let name = e.check("name", text::required(&input.name, "Le nom", 200));
        e.check("password", check_password_strength(&input.password));
        std::mem::take(e).into_result()?;
        let (Some(email), Some(name)) = (email, name) else {
            return Err(AppError::Internal("validated fields missing".into()));
        };
        let user = NewUser {
            email,
            password_hash: hash_password(input.password.clone()).await?,
            name,
            role,
            organisation_id: input.organisation_id,
            departements,
        };
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let id = insert_user(&mut tx, &user, now).await?;
        tx.audit(&event(actor, "compte.cree", format!("user:{id}"), role.code()), now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A firm registers with its SIRET and gets its first user account.
    pub async fn register_firm(&self, input: &FirmRegistration) -> Result<i64, AppError> {
        let mut e = FieldErrors::default();
        let siret = e.check("siret", Siret::parse(&input.siret));
        let name = e.check("name", text::required(&input.name, "La raison sociale", 200));
        let size = e.check("size", FirmSize::parse(&input.size));
        let address = e.check("address", text::required(&input.address, "L’adresse", 300));
        let departement = e.check("departement", french_departement(&input.departement));
        let email = e.check("email", text::email(&input.email));
        let user_name = e.check("user_name", text::required(&input.user_name, "Votre nom", 200));
        e.check("password", check_password_strength(&input.password));
        e.into_result()?;
        let (Some(siret), Some(name), Some(size), Some(address), Some(departement), Some(email), Some(user_name)) =
            (siret, name, size, address, departement, email, user_name)
        else {
            return Err(AppError::Internal("validated fields missing".into()));
        };
        let password_hash = hash_password(input.password.clone()).await?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let org = NewOrganisation {
            role: OrgRole::Entreprise,
            name,
            siret: siret.to_string(),
            kind: None,
            size: Some(size),
            address: Some(address),
            departement,
        };
        let org_id = tx.insert_organisation(&org, now).await.map_err(conflict_on(
            "siret",
            "Cette entreprise est déjà inscrite : demandez un accès à un de ses utilisateurs.",
        ))?;
        let user = NewUser {
            email,
            password_hash,
            name: user_name,
            role: Role::Entreprise,
            organisation_id: Some(org_id),
            departements: vec![],
        };
        let user_id = insert_user(&mut tx, &user, now).await?;
        let actor = format!("user:{user_id}");
        tx.audit(
            &AuditEvent {
                actor: actor.clone(),
                action: "entreprise.inscrite".into(),
                subject: format!("organisation:{org_id}"),
                details: serde_json::json!({ "siret": org.siret }).to_string(),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(user_id)
    }

    /// Creates the first platform administrator; refused once one exists.
    pub async fn bootstrap_admin(&self, email: &str, name: &str, password: &str) -> Result<i64, AppError> {
        if self.store.users().await?.iter().any(|u| u.role == Role::Admin) {
            return Err(AppError::Conflict("Un administrateur existe déjà.".into()));
        }
        let input = NewAccount {
            email: email.into(),
            name: name.into(),
            password: password.into(),
            role: Role::Admin.code().into(),
            ..Default::default()
        };
        self.insert_account(&mut FieldErrors::default(), &input, Role::Admin, vec![], &Actor::Anonymous).await
    }

    pub async fn organisations(&self, actor: &Actor, role: OrgRole) -> Result<Vec<Organisation>, AppError> {
        actor.require_admin()?;
        Ok(self.store.organisations(role).await?)
    }

    /// The accounts of the actor's own buyer organisation, for its administrator.
    pub async fn organisation_users(&self, actor: &Actor) -> Result<Vec<User>, AppError> {
        let me = actor.signed_in()?;
        match (me.role, me.organisation_id) {
            (Role::AdminOrganisation, Some(org)) => Ok(self.store.organisation_users(org).await?),
            _ => Err(AppError::Forbidden("Réservé aux administrateurs d’organisation.".into())),
        }
    }

    pub async fn users(&self, actor: &Actor) -> Result<Vec<User>, AppError> {
        actor.require_admin()?;
        Ok(self.store.users().await?)
    }
}

async fn insert_user(tx: &mut Tx, user: &NewUser, now: jiff::Timestamp) -> Result<i64, AppError> {
    tx.insert_user(user, now).await.map_err(conflict_on("email", "Un compte existe déjà avec cette adresse e-mail."))
}

pub(crate) fn event(actor: &Actor, action: &str, subject: String, detail: &str) -> AuditEvent {
    AuditEvent {
        actor: actor.audit_name(),
        action: action.into(),
        subject,
        details: serde_json::json!({ "detail": detail }).to_string(),
    }
}
