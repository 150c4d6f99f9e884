use domain::organisation::{BuyerKind, FirmSize, OrgRole};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::codec::{decode, secs, ts};
use crate::{NewOrganisation, Organisation, Store, StoreError, Tx};

const COLUMNS: &str = "id, role, name, siret, kind, size, address, departement, created_at";

fn organisation(row: &AnyRow) -> Result<Organisation, StoreError> {
    Ok(Organisation {
        id: row.try_get("id")?,
        role: decode(OrgRole::parse(row.try_get("role")?))?,
        name: row.try_get("name")?,
        siret: row.try_get("siret")?,
        kind: row.try_get::<Option<String>, _>("kind")?.map(|k| decode(BuyerKind::parse(&k))).transpose()?,
        size: row.try_get::<Option<String>, _>("size")?.map(|s| decode(FirmSize::parse(&s))).transpose()?,
        address: row.try_get("address")?,
        departement: row.try_get("departement")?,
        created_at: ts(row.try_get("created_at")?),
    })
}

impl Store {
    pub async fn organisation(&self, id: i64) -> Result<Organisation, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM organisations WHERE id = $1")))
            .bind(id)
            .fetch_one(&self.read)
            .await?;
        organisation(&row)
    }

    pub async fn organisations(&self, role: OrgRole) -> Result<Vec<Organisation>, StoreError> {
        sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM organisations WHERE role = $1 ORDER BY name")))
            .bind(role.code())
            .fetch_all(&self.read)
            .await?
            .iter()
            .map(organisation)
            .collect()
    }
}

impl Tx {
    pub async fn insert_organisation(&mut self, o: &NewOrganisation, now: jiff::Timestamp) -> Result<i64, StoreError> {
        let id = sqlx::query(
            "INSERT INTO organisations (role, name, siret, kind, size, address, departement, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(o.role.code())
        .bind(&o.name)
        .bind(&o.siret)
        .bind(o.kind.map(|k| k.code()))
        .bind(o.size.map(|s| s.code()))
        .bind(&o.address)
        .bind(&o.departement)
        .bind(secs(now))
        .fetch_one(&mut *self.inner)
        .await?
        .try_get(0)?;
        Ok(id)
    }

    /// The next number in the organisation's sequence of consultations.
    pub async fn next_consultation_number(&mut self, organisation_id: i64) -> Result<i64, StoreError> {
        Ok(sqlx::query(
            "UPDATE organisations SET consultation_seq = consultation_seq + 1 WHERE id = $1 RETURNING consultation_seq",
        )
        .bind(organisation_id)
        .fetch_one(&mut *self.inner)
        .await?
        .try_get(0)?)
    }
}
