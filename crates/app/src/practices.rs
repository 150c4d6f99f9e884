//! The library of good practices: buyers and facilitators publish model clauses and practices,
//! comment and reuse them (a reuse counted once per person); the platform's coordinators (its
//! administrators) feature some. Anyone reads the library.

use domain::geo::fold;
use domain::practice::{self, PracticeInput, PracticeKind};
use domain::role::Role;
use domain::social_clause::LegalBasis;
use store::{PracticeComment, PracticeFilter, PracticeRecord};

use crate::accounts::event;
use crate::search_query::given;
use crate::{Actor, App, AppError};

/// A search of the library as typed.
#[derive(Debug, Clone, Default)]
pub struct PracticeQuery {
    pub q: Option<String>,
    pub legal_basis: Option<String>,
    pub cpv: Option<String>,
    pub kind: Option<String>,
}

/// Buyers and facilitators share practices; firms read them.
fn may_contribute(actor: &Actor) -> Result<&store::User, AppError> {
    let me = actor.signed_in()?;
    match me.role {
        Role::Acheteur | Role::AdminOrganisation | Role::Facilitateur | Role::Admin => Ok(me),
        Role::Entreprise => {
            Err(AppError::Forbidden("La bibliothèque est alimentée par les acheteurs et les facilitateurs.".into()))
        }
    }
}

impl App {
    pub async fn publish_practice(&self, actor: &Actor, input: &PracticeInput) -> Result<PracticeRecord, AppError> {
        let me = may_contribute(actor)?;
        let p = practice::validate(input)?;
        let search_text = fold(&format!("{} {}", p.title, p.body));
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let id = tx.insert_practice(me.id, me.organisation_id, &p, &search_text, now).await?;
        tx.audit(&event(actor, "bibliotheque.publiee", format!("pratique:{id}"), &p.title), now).await?;
        tx.commit().await?;
        Ok(self.store.practice(id).await?)
    }

    pub async fn practices(&self, q: &PracticeQuery) -> Result<Vec<PracticeRecord>, AppError> {
        let mut e = domain::FieldErrors::default();
        let legal_basis = given(&q.legal_basis).and_then(|b| e.check("base", LegalBasis::parse(b)));
        let kind = given(&q.kind).and_then(|k| e.check("type", PracticeKind::parse(k)));
        let cpv_division = given(&q.cpv).and_then(|c| e.check("cpv", domain::cpv::division_filter(c)));
        e.into_result()?;
        let words = given(&q.q)
            .map(|t| fold(&t.chars().take(200).collect::<String>()))
            .map(|t| t.split_whitespace().map(str::to_string).collect())
            .unwrap_or_default();
        Ok(self.store.practices(&PracticeFilter { words, legal_basis, cpv_division, kind }).await?)
    }

    pub async fn practice(&self, id: i64) -> Result<(PracticeRecord, Vec<PracticeComment>), AppError> {
        Ok((self.store.practice(id).await?, self.store.practice_comments(id).await?))
    }

    pub async fn comment_practice(&self, actor: &Actor, id: i64, body: &str) -> Result<(), AppError> {
        let me = may_contribute(actor)?;
        self.store.practice(id).await?;
        let body = practice::comment(body).map_err(|m| AppError::field("comment", m))?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        tx.insert_practice_comment(id, me.id, &body, now).await?;
        tx.audit(&event(actor, "bibliotheque.commentaire", format!("pratique:{id}"), &body), now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Takes an entry for one's own use; returns it, counted once per person.
    pub async fn reuse_practice(&self, actor: &Actor, id: i64) -> Result<PracticeRecord, AppError> {
        let me = may_contribute(actor)?;
        self.store.practice(id).await?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        if tx.record_practice_use(id, me.id, now).await? {
            tx.audit(&event(actor, "bibliotheque.reutilisee", format!("pratique:{id}"), ""), now).await?;
        }
        tx.commit().await?;
        Ok(self.store.practice(id).await?)
    }

    /// Features an entry (or stops): the platform's coordinators only.
    pub async fn feature_practice(&self, actor: &Actor, id: i64, featured: bool) -> Result<PracticeRecord, AppError> {
        actor.require_admin()?;
        self.store.practice(id).await?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        tx.set_practice_featured(id, featured.then_some(now)).await?;
        let action = if featured { "bibliotheque.mise_en_avant" } else { "bibliotheque.retrait_mise_en_avant" };
        tx.audit(&event(actor, action, format!("pratique:{id}"), ""), now).await?;
        tx.commit().await?;
        Ok(self.store.practice(id).await?)
    }
}
