use domain::organisation::{BuyerKind, FirmSize, OrgRole};
use domain::profile::{Profile, ReviewBody};
use domain::siret::Siret;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::codec::{decode, secs, ts};
use crate::{NewOrganisation, Organisation, Store, StoreError, Tx};

const COLUMNS: &str = "id, role, name, siret, kind, size, address, departement, created_at, phone, email, postcode, \
    town, review_name, review_siret, review_postcode, review_town";

/// The profile, when it was given (all its columns are set together).
fn profile(row: &AnyRow) -> Result<Option<Profile>, StoreError> {
    let get = |c: &str| row.try_get::<Option<String>, _>(c);
    let (Some(phone), Some(email), Some(postcode), Some(town)) =
        (get("phone")?, get("email")?, get("postcode")?, get("town")?)
    else {
        return Ok(None);
    };
    let (Some(name), Some(siret), Some(review_postcode), Some(review_town)) =
        (get("review_name")?, get("review_siret")?, get("review_postcode")?, get("review_town")?)
    else {
        return Ok(None);
    };
    Ok(Some(Profile {
        phone,
        email,
        postcode,
        town,
        review: ReviewBody { name, siret: decode(Siret::parse(&siret))?, postcode: review_postcode, town: review_town },
    }))
}

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
        profile: profile(row)?,
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

    /// The organisation with this SIRET, if one is registered.
    pub async fn organisation_by_siret(&self, siret: &str) -> Result<Option<Organisation>, StoreError> {
        sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM organisations WHERE siret = $1")))
            .bind(siret)
            .fetch_optional(&self.read)
            .await?
            .as_ref()
            .map(organisation)
            .transpose()
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
    /// Sets an organisation's contact details and review body.
    pub async fn set_profile(&mut self, organisation_id: i64, p: &Profile) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE organisations SET phone = $1, email = $2, postcode = $3, town = $4, review_name = $5,
                review_siret = $6, review_postcode = $7, review_town = $8 WHERE id = $9",
        )
        .bind(&p.phone)
        .bind(&p.email)
        .bind(&p.postcode)
        .bind(&p.town)
        .bind(&p.review.name)
        .bind(p.review.siret.to_string())
        .bind(&p.review.postcode)
        .bind(&p.review.town)
        .bind(organisation_id)
        .execute(&mut *self.inner)
        .await?;
        if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }

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
