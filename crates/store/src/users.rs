use domain::role::Role;
use jiff::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::codec::{decode, secs};
use crate::{Credentials, NewUser, Store, StoreError, Tx, User};

const COLUMNS: &str = "u.id, u.email, u.name, u.role, u.organisation_id, o.name AS organisation_name, u.password_hash";
const FROM: &str = "FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id";

impl Store {
    async fn user_from(&self, row: AnyRow) -> Result<Credentials, StoreError> {
        let id: i64 = row.try_get("id")?;
        let departements =
            sqlx::query("SELECT departement FROM user_departements WHERE user_id = $1 ORDER BY departement")
                .bind(id)
                .fetch_all(&self.read)
                .await?
                .iter()
                .map(|r| r.try_get(0))
                .collect::<Result<_, _>>()?;
        Ok(Credentials {
            user: User {
                id,
                email: row.try_get("email")?,
                name: row.try_get("name")?,
                role: decode(Role::parse(row.try_get("role")?))?,
                organisation_id: row.try_get("organisation_id")?,
                organisation_name: row.try_get("organisation_name")?,
                departements,
            },
            password_hash: row.try_get("password_hash")?,
        })
    }

    pub async fn credentials(&self, email: &str) -> Result<Credentials, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} {FROM} WHERE u.email = $1")))
            .bind(email)
            .fetch_one(&self.read)
            .await?;
        self.user_from(row).await
    }

    pub async fn user(&self, id: i64) -> Result<User, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} {FROM} WHERE u.id = $1")))
            .bind(id)
            .fetch_one(&self.read)
            .await?;
        Ok(self.user_from(row).await?.user)
    }

    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} {FROM} ORDER BY u.email")))
            .fetch_all(&self.read)
            .await?;
        self.users_from(rows).await
    }

    pub async fn organisation_users(&self, organisation_id: i64) -> Result<Vec<User>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} {FROM} WHERE u.organisation_id = $1 ORDER BY u.email"
        )))
        .bind(organisation_id)
        .fetch_all(&self.read)
        .await?;
        self.users_from(rows).await
    }

    async fn users_from(&self, rows: Vec<AnyRow>) -> Result<Vec<User>, StoreError> {
        let mut users = Vec::with_capacity(rows.len());
        for row in rows {
            users.push(self.user_from(row).await?.user);
        }
        Ok(users)
    }

    /// The user holding a live session or API token, by the token's hash.
    pub async fn session_user(&self, token_hash: &str, now: Timestamp) -> Result<User, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} {FROM} JOIN sessions s ON s.user_id = u.id WHERE s.token_hash = $1 AND s.expires_at > $2"
        )))
        .bind(token_hash)
        .bind(secs(now))
        .fetch_one(&self.read)
        .await?;
        Ok(self.user_from(row).await?.user)
    }

    pub async fn recent_login_failures(&self, email: &str, since: Timestamp) -> Result<i64, StoreError> {
        Ok(sqlx::query("SELECT COUNT(*) FROM login_failures WHERE email = $1 AND at > $2")
            .bind(email)
            .bind(secs(since))
            .fetch_one(&self.read)
            .await?
            .try_get(0)?)
    }
}

impl Tx {
    pub async fn insert_user(&mut self, u: &NewUser, now: Timestamp) -> Result<i64, StoreError> {
        let id: i64 = sqlx::query(
            "INSERT INTO users (email, password_hash, name, role, organisation_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(&u.email)
        .bind(&u.password_hash)
        .bind(&u.name)
        .bind(u.role.code())
        .bind(u.organisation_id)
        .bind(secs(now))
        .fetch_one(&mut *self.inner)
        .await?
        .try_get(0)?;
        for d in &u.departements {
            sqlx::query("INSERT INTO user_departements (user_id, departement) VALUES ($1, $2)")
                .bind(id)
                .bind(d)
                .execute(&mut *self.inner)
                .await?;
        }
        Ok(id)
    }

    pub async fn insert_session(
        &mut self,
        token_hash: &str,
        user_id: i64,
        kind: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, kind, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(kind)
        .bind(secs(now))
        .bind(secs(expires_at))
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }

    pub async fn delete_session(&mut self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&mut *self.inner).await?;
        Ok(())
    }

    pub async fn delete_expired_sessions(&mut self, now: Timestamp) -> Result<u64, StoreError> {
        Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(secs(now))
            .execute(&mut *self.inner)
            .await?
            .rows_affected())
    }

    pub async fn record_login_failure(&mut self, email: &str, now: Timestamp) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO login_failures (email, at) VALUES ($1, $2)")
            .bind(email)
            .bind(secs(now))
            .execute(&mut *self.inner)
            .await?;
        Ok(())
    }

    pub async fn clear_login_failures(&mut self, email: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM login_failures WHERE email = $1").bind(email).execute(&mut *self.inner).await?;
        Ok(())
    }
}
