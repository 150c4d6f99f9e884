//! Saved searches (veille): any signed-in user keeps searches, each with how often it e-mails
//! what it finds; a user only ever sees and changes their own. The secret token of a saved search
//! opens its unsubscribe link, its Atom feed and its calendar, which mail clients, feed readers
//! and calendars fetch without a session.

use domain::alert::{self, Frequency};
use store::SavedSearch;

use crate::accounts::event;
use crate::indexer::FoundPage;
use crate::search_query::SearchQuery;
use crate::{Actor, App, AppError};

/// More would make every batch of the alert job slower for everyone; nobody follows that many.
const MAX_PER_USER: usize = 50;

/// What a feed or a calendar of a saved search lists: its newest results.
const FEED_ITEMS: usize = 50;

impl App {
    /// Saves `query` under `name`. The search is checked as the search page checks it.
    pub async fn save_search(
        &self,
        actor: &Actor,
        name: &str,
        query: &SearchQuery,
        frequency: &str,
    ) -> Result<SavedSearch, AppError> {
        let me = actor.signed_in()?;
        let mut errors = domain::FieldErrors::default();
        let name = errors.check("nom", alert::name(name));
        let frequency = errors.check("frequence", Frequency::parse(frequency));
        if let Err(e) = query.check() {
            errors.0.extend(e.0);
        }
        errors.into_result()?;
        let (Some(name), Some(frequency)) = (name, frequency) else {
            return Err(AppError::Internal("checked fields missing".into()));
        };
        if self.store.saved_searches_of(me.id).await?.len() >= MAX_PER_USER {
            return Err(AppError::Conflict(format!(
                "Vous avez déjà {MAX_PER_USER} recherches enregistrées : supprimez-en une avant d’en ajouter."
            )));
        }
        let canonical = query.query_string_without_page();
        let (token, _) = crate::secret::new_token();
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let id = tx.insert_saved_search(me.id, &name, &canonical, frequency.code(), &token, now).await?;
        tx.audit(&event(actor, "veille.creee", format!("veille:{id}"), &canonical), now).await?;
        tx.commit().await?;
        Ok(self.store.saved_search(id).await?)
    }

    /// The caller's saved searches.
    pub async fn saved_searches(&self, actor: &Actor) -> Result<Vec<SavedSearch>, AppError> {
        Ok(self.store.saved_searches_of(actor.signed_in()?.id).await?)
    }

    /// One of the caller's saved searches; another user's is not found.
    async fn own_saved_search(&self, actor: &Actor, id: i64) -> Result<SavedSearch, AppError> {
        let me = actor.signed_in()?;
        match self.store.saved_search(id).await {
            Ok(s) if s.user_id == me.id => Ok(s),
            Ok(_) | Err(store::StoreError::NotFound) => Err(AppError::NotFound),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn set_saved_search_frequency(
        &self,
        actor: &Actor,
        id: i64,
        frequency: &str,
    ) -> Result<SavedSearch, AppError> {
        let s = self.own_saved_search(actor, id).await?;
        let frequency = Frequency::parse(frequency).map_err(|m| AppError::field("frequence", m))?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        tx.set_saved_search_frequency(s.id, frequency.code()).await?;
        tx.audit(&event(actor, "veille.frequence", format!("veille:{id}"), frequency.code()), now).await?;
        tx.commit().await?;
        Ok(self.store.saved_search(id).await?)
    }

    pub async fn delete_saved_search(&self, actor: &Actor, id: i64) -> Result<(), AppError> {
        let s = self.own_saved_search(actor, id).await?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        tx.delete_saved_search(s.id).await?;
        tx.audit(&event(actor, "veille.supprimee", format!("veille:{id}"), &s.name), now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The saved search a link's token opens; an unknown token is not found.
    pub async fn saved_search_by_token(&self, token: &str) -> Result<SavedSearch, AppError> {
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(AppError::NotFound);
        }
        Ok(self.store.saved_search_by_token(token).await?)
    }

    /// The unsubscribe link: the search stays, its e-mails stop.
    pub async fn unsubscribe(&self, token: &str) -> Result<SavedSearch, AppError> {
        let s = self.saved_search_by_token(token).await?;
        if s.frequency != Frequency::Never.code() {
            let now = self.now();
            let mut tx = self.store.begin().await?;
            tx.set_saved_search_frequency(s.id, Frequency::Never.code()).await?;
            tx.audit(&event(&Actor::Anonymous, "veille.desabonnement", format!("veille:{}", s.id), &s.user_email), now)
                .await?;
            tx.commit().await?;
        }
        Ok(self.store.saved_search(s.id).await?)
    }

    /// A saved search's newest results (its feed and calendar).
    pub async fn saved_search_results(&self, s: &SavedSearch) -> Result<FoundPage, AppError> {
        let checked = SearchQuery::parse(&s.query).check().unwrap_or_default();
        let mut query = checked.query(FEED_ITEMS as i64);
        query.sort = search::Sort::Publication;
        query.page = 1;
        self.search(&checked.filter, query).await
    }

    /// When the caller hears of changes to the DCE they downloaded.
    pub async fn dce_alerts(&self, actor: &Actor) -> Result<Frequency, AppError> {
        let code = self.store.dce_alerts(actor.signed_in()?.id).await?;
        Frequency::parse(&code).map_err(AppError::Internal)
    }

    /// At once or in the daily digest; changes to a DCE cannot be turned off (a firm that
    /// downloaded it must know the consultation changed).
    pub async fn set_dce_alerts(&self, actor: &Actor, frequency: &str) -> Result<Frequency, AppError> {
        let me = actor.signed_in()?;
        let frequency = Frequency::parse(frequency).map_err(|m| AppError::field("modifications_dce", m))?;
        if frequency == Frequency::Never {
            return Err(AppError::field(
                "modifications_dce",
                "Les modifications d’un DCE que vous avez téléchargé vous sont toujours signalées : choisissez « Dès la publication » ou « Résumé quotidien ».",
            ));
        }
        let now = self.now();
        let mut tx = self.store.begin().await?;
        tx.set_dce_alerts(me.id, frequency.code(), now).await?;
        tx.audit(&event(actor, "veille.modifications_dce", format!("user:{}", me.id), frequency.code()), now).await?;
        tx.commit().await?;
        Ok(frequency)
    }
}
