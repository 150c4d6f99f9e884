//! The demo's organisations and user accounts, created through the application services by
//! the administrator (buyers, facilitator) and by the firms themselves.

use app::{Actor, App, AppError, FirmRegistration, FixedClock, NewAccount, NewBuyerOrganisation};
use domain::role::Role;
use jiff::{SignedDuration, Timestamp};
use store::Store;
use vault::ExposeSecret;

use super::buyers::{BUYERS, DEMO_BUYER, fictitious_siret, guess_kind};
use super::people::person;
use super::{ADMIN_EMAIL, BUYER_EMAIL, DEMO_PASSWORD, FACILITATOR_EMAIL};

/// Who acts in the demo.
pub struct Accounts {
    /// For each buyer of [`BUYERS`], the agent who runs its consultations.
    pub buyers: Vec<Actor>,
    /// For each registered firm, its user (the demo firm first).
    pub firms: Vec<Actor>,
    pub buyer_users: usize,
    /// The demo buyer's opening secret key (`AGE-SECRET-KEY-1…`).
    pub demo_opening_secret: Option<String>,
}

async fn actor(store: &Store, id: i64) -> Result<Actor, AppError> {
    Ok(Actor::User(store.user(id).await?))
}

/// Creates everything from `start` on, moving the clock a few minutes per account.
pub async fn create(
    app: &App,
    store: &Store,
    clock: &FixedClock,
    start: Timestamp,
    firms: &[FirmRegistration],
) -> Result<Accounts, AppError> {
    let mut at = start;
    let mut tick = |minutes: i64| {
        at += SignedDuration::from_mins(minutes);
        clock.set(at);
    };
    tick(0);
    let admin_id = app.bootstrap_admin(ADMIN_EMAIL, &person(0), DEMO_PASSWORD).await?;
    let admin = actor(store, admin_id).await?;
    let mut buyers = Vec::new();
    let mut buyer_users = 0;
    let mut demo_opening_secret = None;
    for (i, b) in BUYERS.iter().enumerate() {
        tick(6);
        let kind = guess_kind(b.name);
        let org = app
            .create_buyer_organisation(
                &admin,
                &NewBuyerOrganisation {
                    name: b.name.into(),
                    siret: fictitious_siret(i, kind, b.departement),
                    kind: kind.code().into(),
                    departement: b.departement.into(),
                    address: None,
                },
            )
            .await?;
        let mut agent = None;
        for (k, role) in [Role::AdminOrganisation, Role::Acheteur].into_iter().enumerate() {
            tick(2);
            let email = if i == DEMO_BUYER && role == Role::Acheteur {
                BUYER_EMAIL.to_string()
            } else {
                format!("acheteur+o{i:02}a{k}@demo.halle.test")
            };
            let id = app
                .create_account(
                    &admin,
                    &NewAccount {
                        email,
                        name: person(2 * i + k + 1),
                        password: DEMO_PASSWORD.into(),
                        role: role.code().into(),
                        organisation_id: Some(org),
                        departements: vec![],
                    },
                )
                .await?;
            buyer_users += 1;
            if role == Role::Acheteur {
                // Each agent registers their own opening key, so that their organisation's
                // consultations can be sealed; the demo buyer's secret is handed back.
                let a = actor(store, id).await?;
                let (public_key, secret) = vault::ConsultationKey::generate();
                app.register_opening_key(&a, &public_key).await?;
                if i == DEMO_BUYER {
                    demo_opening_secret = Some(secret.expose_secret().to_string());
                }
                agent = Some(a);
            }
        }
        buyers.push(agent.ok_or_else(|| AppError::Internal("demo buyer without an agent".into()))?);
    }
    tick(10);
    app.create_account(
        &admin,
        &NewAccount {
            email: FACILITATOR_EMAIL.into(),
            name: person(90),
            password: DEMO_PASSWORD.into(),
            role: Role::Facilitateur.code().into(),
            organisation_id: None,
            departements: vec!["93".into(), "95".into()],
        },
    )
    .await?;
    // Firms register over the following day and a half.
    tick(24 * 60);
    let mut firm_actors = Vec::new();
    for f in firms {
        tick(41);
        let id = app.register_firm(f).await?;
        firm_actors.push(actor(store, id).await?);
    }
    Ok(Accounts { buyers, firms: firm_actors, buyer_users, demo_opening_secret })
}
