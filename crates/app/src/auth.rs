use jiff::{SignedDuration, Timestamp};
use store::{AuditEvent, StoreError, User};

use crate::secret::{new_token, token_hash, verify_password};
use crate::{Actor, App, AppError};

/// Failed logins per address allowed in the window before further attempts are refused.
const MAX_FAILURES: i64 = 10;
const FAILURE_WINDOW: SignedDuration = SignedDuration::from_mins(15);
const SESSION_LIFETIME: SignedDuration = SignedDuration::from_hours(12);
const TOKEN_LIFETIME: SignedDuration = SignedDuration::from_hours(24 * 30);

/// How the token will be carried: a browser cookie or an API bearer token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Cookie,
    Api,
}

impl TokenKind {
    fn code(self) -> &'static str {
        match self {
            TokenKind::Cookie => "cookie",
            TokenKind::Api => "api",
        }
    }

    fn lifetime(self) -> SignedDuration {
        match self {
            TokenKind::Cookie => SESSION_LIFETIME,
            TokenKind::Api => TOKEN_LIFETIME,
        }
    }
}

fn later(now: Timestamp, d: SignedDuration) -> Timestamp {
    now.checked_add(d).unwrap_or(now)
}

impl App {
    /// Checks e-mail and password; returns a new secret token and the user.
    pub async fn login(&self, email: &str, password: &str, kind: TokenKind) -> Result<(String, User), AppError> {
        let email = email.trim().to_lowercase();
        let now = self.now();
        let since = now.checked_sub(FAILURE_WINDOW).unwrap_or(now);
        if self.store.recent_login_failures(&email, since).await? >= MAX_FAILURES {
            return Err(AppError::TooManyAttempts);
        }
        let credentials = match self.store.credentials(&email).await {
            Ok(c) => Some(c),
            Err(StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        };
        // Hash even for unknown addresses, so timing does not tell which accounts exist.
        let hash = credentials.as_ref().map(|c| c.password_hash.clone()).unwrap_or_else(|| {
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0000000000000000000000000000000000000000000".into()
        });
        let ok = verify_password(password.to_string(), hash).await;
        let mut tx = self.store.begin().await?;
        let Some(user) = credentials.filter(|_| ok).map(|c| c.user) else {
            tx.record_login_failure(&email, now).await?;
            tx.commit().await?;
            return Err(AppError::Unauthenticated);
        };
        tx.clear_login_failures(&email).await?;
        let (token, hash) = new_token();
        tx.insert_session(&hash, user.id, kind.code(), now, later(now, kind.lifetime())).await?;
        tx.audit(
            &AuditEvent {
                actor: format!("user:{}", user.id),
                action: "compte.connexion".into(),
                subject: format!("user:{}", user.id),
                details: format!("{{\"via\":\"{}\"}}", kind.code()),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok((token, user))
    }

    /// The actor behind a token; an unknown or expired token is simply anonymous.
    pub async fn authenticate(&self, token: Option<&str>) -> Result<Actor, AppError> {
        let Some(token) = token.filter(|t| !t.is_empty() && t.len() <= 128) else {
            return Ok(Actor::Anonymous);
        };
        match self.store.session_user(&token_hash(token), self.now()).await {
            Ok(u) => Ok(Actor::User(u)),
            Err(StoreError::NotFound) => Ok(Actor::Anonymous),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn logout(&self, token: &str) -> Result<(), AppError> {
        let mut tx = self.store.begin().await?;
        tx.delete_session(&token_hash(token)).await?;
        tx.commit().await?;
        Ok(())
    }
}
