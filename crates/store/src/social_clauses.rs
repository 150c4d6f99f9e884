use domain::consultation::SocialConsideration;
use domain::insertion_hours::HoursBasis;
use domain::money::Cents;
use domain::social_clause::{ClauseSpec, HoursOverride, LegalBasis, Public, Way};
use jiff::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::codec::{decode, join, secs, split, ts};
use crate::{SocialClause, Store, StoreError, Tx};

const COLUMNS: &str = "consultation_id, lot_number, legal_basis, amount_cents, labour_share_bp, insertion_rate_bp, \
    hourly_cost_cents, override_hours, override_reason, publics, ways, facilitator_departement, body, updated_at";

fn bp(row: &AnyRow, column: &str) -> Result<u16, StoreError> {
    let v: i64 = row.try_get(column)?;
    u16::try_from(v).map_err(|_| StoreError::Corrupt(format!("{column}: {v}")))
}

fn clause(row: &AnyRow) -> Result<SocialClause, StoreError> {
    let basis = match row.try_get::<Option<i64>, _>("amount_cents")? {
        Some(amount) => Some(HoursBasis {
            amount: Cents(amount),
            labour_share_bp: bp(row, "labour_share_bp")?,
            rate_bp: bp(row, "insertion_rate_bp")?,
            hourly_cost: Cents(row.try_get("hourly_cost_cents")?),
        }),
        None => None,
    };
    let overridden = match row.try_get::<Option<i64>, _>("override_hours")? {
        Some(hours) => Some(HoursOverride {
            hours,
            reason: row.try_get::<Option<String>, _>("override_reason")?.unwrap_or_default(),
        }),
        None => None,
    };
    let publics: String = row.try_get("publics")?;
    let ways: String = row.try_get("ways")?;
    Ok(SocialClause {
        consultation_id: row.try_get("consultation_id")?,
        lot_number: row.try_get("lot_number")?,
        spec: ClauseSpec {
            legal_basis: decode(LegalBasis::parse(row.try_get("legal_basis")?))?,
            basis,
            overridden,
            publics: split(&publics).map(|p| decode(Public::parse(p))).collect::<Result<_, _>>()?,
            ways: split(&ways).map(|w| decode(Way::parse(w))).collect::<Result<_, _>>()?,
            facilitator_departement: row.try_get("facilitator_departement")?,
            body: row.try_get("body")?,
        },
        updated_at: ts(row.try_get("updated_at")?),
    })
}

impl Store {
    /// A consultation's social clauses, by lot.
    pub async fn social_clauses(&self, consultation_id: i64) -> Result<Vec<SocialClause>, StoreError> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM social_clauses WHERE consultation_id = $1 ORDER BY lot_number"
        )))
        .bind(consultation_id)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(clause)
        .collect()
    }
}

impl Tx {
    /// The consultation's DECP social considerations, which its clauses make true.
    pub async fn set_social_considerations(
        &mut self,
        consultation_id: i64,
        social: &[SocialConsideration],
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE consultations SET social = $1 WHERE id = $2")
            .bind(join(social, |s| s.code()))
            .bind(consultation_id)
            .execute(&mut *self.inner)
            .await?;
        Ok(())
    }

    /// Writes a lot's clause, replacing the one it had.
    pub async fn put_social_clause(
        &mut self,
        consultation_id: i64,
        lot_number: i64,
        c: &ClauseSpec,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO social_clauses (consultation_id, lot_number, legal_basis, amount_cents, labour_share_bp,
                insertion_rate_bp, hourly_cost_cents, computed_hours, override_hours, override_reason, publics, ways,
                facilitator_departement, body, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
             ON CONFLICT (consultation_id, lot_number) DO UPDATE SET legal_basis = excluded.legal_basis,
                amount_cents = excluded.amount_cents, labour_share_bp = excluded.labour_share_bp,
                insertion_rate_bp = excluded.insertion_rate_bp, hourly_cost_cents = excluded.hourly_cost_cents,
                computed_hours = excluded.computed_hours, override_hours = excluded.override_hours,
                override_reason = excluded.override_reason, publics = excluded.publics, ways = excluded.ways,
                facilitator_departement = excluded.facilitator_departement, body = excluded.body,
                updated_at = excluded.updated_at",
        )
        .bind(consultation_id)
        .bind(lot_number)
        .bind(c.legal_basis.code())
        .bind(c.basis.map(|b| b.amount.0))
        .bind(c.basis.map(|b| i64::from(b.labour_share_bp)))
        .bind(c.basis.map(|b| i64::from(b.rate_bp)))
        .bind(c.basis.map(|b| b.hourly_cost.0))
        .bind(c.basis.map(|b| b.hours()))
        .bind(c.overridden.as_ref().map(|o| o.hours))
        .bind(c.overridden.as_ref().map(|o| o.reason.as_str()))
        .bind(join(&c.publics, |p| p.code()))
        .bind(join(&c.ways, |w| w.code()))
        .bind(&c.facilitator_departement)
        .bind(&c.body)
        .bind(secs(now))
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }

    /// Removes a lot's clause; none there is not found.
    pub async fn delete_social_clause(&mut self, consultation_id: i64, lot_number: i64) -> Result<(), StoreError> {
        let done = sqlx::query("DELETE FROM social_clauses WHERE consultation_id = $1 AND lot_number = $2")
            .bind(consultation_id)
            .bind(lot_number)
            .execute(&mut *self.inner)
            .await?;
        if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }
}
