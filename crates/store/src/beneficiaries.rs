use domain::beneficiary::{BeneficiarySpec, Criterion, Diploma, Identity, Prescriber, Profile, Sex};
use jiff::Timestamp;
use jiff::civil::Date;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::codec::{decode, join, secs, split, ts};
use crate::{Beneficiary, Store, StoreError, Tx};

const COLUMNS: &str =
    "id, departement, birth_year, sex, commune, qpv, diploma, criteria, prescriber, retention_until, created_at";

fn civil(text: &str) -> Result<Date, StoreError> {
    text.parse().map_err(|_| StoreError::Corrupt(format!("date: {text}")))
}

fn beneficiary(row: &AnyRow) -> Result<Beneficiary, StoreError> {
    let criteria: String = row.try_get("criteria")?;
    let birth_year: i64 = row.try_get("birth_year")?;
    Ok(Beneficiary {
        id: row.try_get("id")?,
        profile: Profile {
            birth_year: i16::try_from(birth_year)
                .map_err(|_| StoreError::Corrupt(format!("birth_year: {birth_year}")))?,
            sex: decode(Sex::parse(row.try_get("sex")?))?,
            commune: row.try_get("commune")?,
            departement: row.try_get("departement")?,
            qpv: row.try_get::<i64, _>("qpv")? != 0,
            diploma: decode(Diploma::parse(row.try_get("diploma")?))?,
            criteria: split(&criteria).map(|c| decode(Criterion::parse(c))).collect::<Result<_, _>>()?,
            prescriber: decode(Prescriber::parse(row.try_get("prescriber")?))?,
            retention_until: civil(row.try_get("retention_until")?)?,
        },
        created_at: ts(row.try_get("created_at")?),
    })
}

impl Store {
    /// The beneficiaries of these départements, newest first: pseudonymous profiles only.
    pub async fn beneficiaries(&self, departements: &[String]) -> Result<Vec<Beneficiary>, StoreError> {
        if departements.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (1..=departements.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT {COLUMNS} FROM beneficiaries WHERE departement IN ({}) ORDER BY id DESC",
            placeholders.join(", ")
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for d in departements {
            q = q.bind(d);
        }
        q.fetch_all(&self.read).await?.iter().map(beneficiary).collect()
    }

    /// Those whose retention date is before `today` (`YYYY-MM-DD` compares as text).
    pub async fn expired_beneficiaries(&self, today: Date) -> Result<Vec<Beneficiary>, StoreError> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM beneficiaries WHERE retention_until < $1 ORDER BY id"
        )))
        .bind(today.to_string())
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(beneficiary)
        .collect()
    }

    pub async fn beneficiary(&self, id: i64) -> Result<Beneficiary, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM beneficiaries WHERE id = $1")))
            .bind(id)
            .fetch_one(&self.read)
            .await?;
        beneficiary(&row)
    }
}

impl Tx {
    /// Records the pseudonymous profile and, apart, the identity.
    pub async fn insert_beneficiary(
        &mut self,
        b: &BeneficiarySpec,
        created_by: i64,
        now: Timestamp,
    ) -> Result<i64, StoreError> {
        let p = &b.profile;
        let id: i64 = sqlx::query(
            "INSERT INTO beneficiaries (departement, birth_year, sex, commune, qpv, diploma, criteria, prescriber,
                retention_until, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(&p.departement)
        .bind(i64::from(p.birth_year))
        .bind(p.sex.code())
        .bind(&p.commune)
        .bind(i64::from(p.qpv))
        .bind(p.diploma.code())
        .bind(join(&p.criteria, |c| c.code()))
        .bind(p.prescriber.code())
        .bind(p.retention_until.to_string())
        .bind(created_by)
        .bind(secs(now))
        .fetch_one(&mut *self.inner)
        .await?
        .try_get(0)?;
        let i = &b.identity;
        sqlx::query(
            "INSERT INTO beneficiary_identities (beneficiary_id, last_name, first_name, birth_date, contact)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(&i.last_name)
        .bind(&i.first_name)
        .bind(i.birth_date.to_string())
        .bind(&i.contact)
        .execute(&mut *self.inner)
        .await?;
        Ok(id)
    }

    /// The identity, read inside the transaction that audits the reading.
    pub async fn beneficiary_identity(&mut self, id: i64) -> Result<Identity, StoreError> {
        let r = sqlx::query(
            "SELECT last_name, first_name, birth_date, contact FROM beneficiary_identities WHERE beneficiary_id = $1",
        )
        .bind(id)
        .fetch_one(&mut *self.inner)
        .await?;
        Ok(Identity {
            last_name: r.try_get("last_name")?,
            first_name: r.try_get("first_name")?,
            birth_date: civil(r.try_get("birth_date")?)?,
            contact: r.try_get("contact")?,
        })
    }

    /// Erases the person: identity and profile.
    pub async fn delete_beneficiary(&mut self, id: i64) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM beneficiary_identities WHERE beneficiary_id = $1")
            .bind(id)
            .execute(&mut *self.inner)
            .await?;
        let done = sqlx::query("DELETE FROM beneficiaries WHERE id = $1").bind(id).execute(&mut *self.inner).await?;
        if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }
}
