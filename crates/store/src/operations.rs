//! Operations (contracts grouped under a charter) and the facts public indicators are computed
//! from, read each time.

use domain::beneficiary::Sex;
use domain::consultation::SocialConsideration;
use domain::indicators::{ContractFact, HoursFact, OutcomeFact, RequiredFact};
use domain::operation::OperationSpec;
use domain::placement::Outcome;
use domain::social_clause::Way;
use jiff::Timestamp;
use sqlx::Row;

use crate::codec::{decode, secs, split};
use crate::{Backend, IndicatorFilter, Operation, Store, StoreError, Tx};

enum Bind {
    Text(String),
    Int(i64),
}

fn bound<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    binds: Vec<Bind>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    for b in binds {
        q = match b {
            Bind::Text(t) => q.bind(t),
            Bind::Int(i) => q.bind(i),
        };
    }
    q
}

/// The filter as SQL conditions and the placeholders' values, from `$1`: `year`, on the text
/// column (a date) it applies to, numbered first; `scope`, on `s` (social_clauses).
struct Conditions {
    year: String,
    scope: String,
    binds: Vec<Bind>,
}

impl Conditions {
    fn of(f: &IndicatorFilter, year_of: &str) -> Conditions {
        let mut c = Conditions { year: String::new(), scope: String::new(), binds: Vec::new() };
        if let Some(y) = f.year {
            c.binds.push(Bind::Text(y.to_string()));
            c.year = format!(" AND substr({year_of}, 1, 4) = ${}", c.binds.len());
        }
        if let Some(d) = &f.departement {
            c.binds.push(Bind::Text(d.clone()));
            c.scope.push_str(&format!(" AND s.facilitator_departement = ${}", c.binds.len()));
        }
        if let Some(o) = f.operation {
            c.binds.push(Bind::Int(o));
            c.scope.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM operation_contracts oc WHERE oc.operation_id = ${}
                   AND oc.consultation_id = s.consultation_id AND oc.lot_number = s.lot_number)",
                c.binds.len()
            ));
        }
        if let Some(b) = f.buyer {
            c.binds.push(Bind::Int(b));
            c.scope.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM consultations cb WHERE cb.id = s.consultation_id AND cb.organisation_id = ${})",
                c.binds.len()
            ));
        }
        c
    }

    /// Both, where the year's column is in the same query as `s`.
    fn all(&self) -> String {
        format!("{}{}", self.year, self.scope)
    }
}

impl Store {
    pub async fn operations(&self) -> Result<Vec<Operation>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, name, charter, target_rate_bp, target_hours, target_sme_bp, created_by FROM operations ORDER BY name",
        )
        .fetch_all(&self.read)
        .await?;
        let links = sqlx::query("SELECT operation_id, consultation_id, lot_number FROM operation_contracts")
            .fetch_all(&self.read)
            .await?;
        rows.iter()
            .map(|r| {
                let id: i64 = r.try_get("id")?;
                let bp: i64 = r.try_get("target_rate_bp")?;
                let mut contracts = Vec::new();
                for l in links.iter() {
                    if l.try_get::<i64, _>("operation_id")? == id {
                        contracts.push((l.try_get("consultation_id")?, l.try_get("lot_number")?));
                    }
                }
                Ok(Operation {
                    id,
                    spec: OperationSpec {
                        name: r.try_get("name")?,
                        charter: r.try_get("charter")?,
                        target_rate_bp: u16::try_from(bp)
                            .map_err(|_| StoreError::Corrupt(format!("target_rate_bp: {bp}")))?,
                        target_hours: r.try_get("target_hours")?,
                        target_sme_bp: r
                            .try_get::<Option<i64>, _>("target_sme_bp")?
                            .map(|bp| {
                                u16::try_from(bp).map_err(|_| StoreError::Corrupt(format!("target_sme_bp: {bp}")))
                            })
                            .transpose()?,
                    },
                    created_by: r.try_get("created_by")?,
                    contracts,
                })
            })
            .collect()
    }

    /// The required hours of each awarded lot with a clause in scope, with its département.
    pub async fn required_hours(&self, f: &IndicatorFilter) -> Result<Vec<RequiredFact>, StoreError> {
        let c = Conditions::of(f, "a.notified_on");
        let sql = format!(
            "SELECT COALESCE(s.override_hours, s.computed_hours) AS required, s.facilitator_departement
             FROM social_clauses s
             JOIN awards a ON a.consultation_id = s.consultation_id AND a.lot_number = s.lot_number
             WHERE 1 = 1{}",
            c.all()
        );
        bound(sqlx::query(sqlx::AssertSqlSafe(sql)), c.binds)
            .fetch_all(&self.read)
            .await?
            .iter()
            .map(|r| {
                Ok(RequiredFact { departement: r.try_get("facilitator_departement")?, hours: r.try_get("required")? })
            })
            .collect()
    }

    /// Validated hours in scope, by placement, with the person's sex, QPV residence and birth
    /// year. Each engine gets the plan it runs fastest (`cargo xtask bench-indicators`): SQLite
    /// finds the placements in scope, then each one's months through the index of its reports;
    /// PostgreSQL sums the months of the placements in scope in one hashed aggregate.
    pub async fn hours_facts(&self, f: &IndicatorFilter) -> Result<Vec<HoursFact>, StoreError> {
        let c = Conditions::of(f, "r.month");
        let (year, scope) = (&c.year, &c.scope);
        let person = "p.beneficiary_id, p.way, b.sex, b.qpv, b.birth_year, p.start_on, s.facilitator_departement";
        let clause = "JOIN social_clauses s ON s.consultation_id = p.consultation_id AND s.lot_number = p.lot_number";
        let sql = match self.backend {
            Backend::Sqlite => format!(
                "SELECT * FROM (
                    SELECT {person}, (SELECT CAST(SUM(r.hours) AS BIGINT) FROM hours_reports r
                                      WHERE r.placement_id = p.id AND r.status = 'validee'{year}) AS hours
                    FROM placements p {clause}
                    LEFT JOIN beneficiaries b ON b.id = p.beneficiary_id
                    WHERE 1 = 1{scope}
                 ) x WHERE x.hours IS NOT NULL ORDER BY x.beneficiary_id"
            ),
            Backend::Postgres => format!(
                "SELECT {person}, h.hours
                 FROM (SELECT r.placement_id, CAST(SUM(r.hours) AS BIGINT) AS hours FROM hours_reports r
                       WHERE r.status = 'validee'{year}
                         AND r.placement_id IN (SELECT p.id FROM placements p {clause} WHERE 1 = 1{scope})
                       GROUP BY r.placement_id) h
                 JOIN placements p ON p.id = h.placement_id {clause}
                 LEFT JOIN beneficiaries b ON b.id = p.beneficiary_id
                 ORDER BY p.beneficiary_id"
            ),
        };
        bound(sqlx::query(sqlx::AssertSqlSafe(sql)), c.binds)
            .fetch_all(&self.read)
            .await?
            .iter()
            .map(|r| {
                let start: String = r.try_get("start_on")?;
                let start_year: i64 = start
                    .get(..4)
                    .and_then(|y| y.parse().ok())
                    .ok_or(StoreError::Corrupt(format!("start_on: {start}")))?;
                Ok(HoursFact {
                    beneficiary_id: r.try_get("beneficiary_id")?,
                    way: decode(Way::parse(r.try_get("way")?))?,
                    hours: r.try_get("hours")?,
                    sex: r.try_get::<Option<String>, _>("sex")?.map(|s| decode(Sex::parse(&s))).transpose()?,
                    qpv: r.try_get::<Option<i64>, _>("qpv")?.map(|q| q != 0),
                    age: r.try_get::<Option<i64>, _>("birth_year")?.map(|born| start_year - born),
                    departement: r.try_get("facilitator_departement")?,
                })
            })
            .collect()
    }

    /// The awarded lots in scope (the consultation's département, the notification's year, the
    /// operation's contracts), with what the shares need.
    pub async fn contract_facts(&self, f: &IndicatorFilter) -> Result<Vec<ContractFact>, StoreError> {
        let mut filter = String::new();
        let mut binds = Vec::new();
        if let Some(d) = &f.departement {
            binds.push(Bind::Text(d.clone()));
            filter.push_str(&format!(" AND c.departement = ${}", binds.len()));
        }
        if let Some(y) = f.year {
            binds.push(Bind::Text(y.to_string()));
            filter.push_str(&format!(" AND substr(a.notified_on, 1, 4) = ${}", binds.len()));
        }
        if let Some(o) = f.operation {
            binds.push(Bind::Int(o));
            filter.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM operation_contracts oc WHERE oc.operation_id = ${}
                   AND oc.consultation_id = a.consultation_id AND oc.lot_number = a.lot_number)",
                binds.len()
            ));
        }
        if let Some(b) = f.buyer {
            binds.push(Bind::Int(b));
            filter.push_str(&format!(" AND c.organisation_id = ${}", binds.len()));
        }
        let sql = format!(
            "SELECT a.amount_cents, c.social, o.size,
                    CAST(CASE WHEN EXISTS (SELECT 1 FROM siae_directory d WHERE d.siret = h.siret) THEN 1 ELSE 0 END AS BIGINT) AS siae
             FROM awards a JOIN consultations c ON c.id = a.consultation_id
             JOIN award_holders h ON h.award_id = a.id AND h.role = 'titulaire'
             LEFT JOIN organisations o ON o.siret = h.siret AND o.role = 'entreprise'
             WHERE 1 = 1{filter}"
        );
        bound(sqlx::query(sqlx::AssertSqlSafe(sql)), binds)
            .fetch_all(&self.read)
            .await?
            .iter()
            .map(|r| {
                let social: String = r.try_get("social")?;
                let size: Option<String> = r.try_get("size")?;
                Ok(ContractFact {
                    amount_cents: r.try_get("amount_cents")?,
                    social: split(&social)
                        .any(|c| SocialConsideration::parse(c).is_ok_and(|c| c != SocialConsideration::Aucune)),
                    sme: matches!(size.as_deref(), Some("micro" | "pme")),
                    siae: r.try_get::<i64, _>("siae")? != 0,
                })
            })
            .collect()
    }

    /// The outcomes of the placements in scope that ended (in the year, if one is asked).
    pub async fn outcome_facts(&self, f: &IndicatorFilter) -> Result<Vec<OutcomeFact>, StoreError> {
        let c = Conditions::of(f, "p.end_on");
        let sql = format!(
            "SELECT p.outcome_end, p.outcome_six_months FROM placements p
             JOIN social_clauses s ON s.consultation_id = p.consultation_id AND s.lot_number = p.lot_number
             WHERE p.end_on IS NOT NULL{}",
            c.all()
        );
        let outcome =
            |code: Option<String>| code.as_deref().map(Outcome::parse).transpose().map_err(StoreError::Corrupt);
        bound(sqlx::query(sqlx::AssertSqlSafe(sql)), c.binds)
            .fetch_all(&self.read)
            .await?
            .iter()
            .map(|r| {
                Ok(OutcomeFact {
                    at_end: outcome(r.try_get("outcome_end")?)?,
                    six_months: outcome(r.try_get("outcome_six_months")?)?,
                })
            })
            .collect()
    }
}

impl Tx {
    pub async fn insert_operation(
        &mut self,
        o: &OperationSpec,
        user_id: i64,
        now: Timestamp,
    ) -> Result<i64, StoreError> {
        Ok(sqlx::query(
            "INSERT INTO operations (name, charter, target_rate_bp, target_hours, target_sme_bp, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(&o.name)
        .bind(&o.charter)
        .bind(i64::from(o.target_rate_bp))
        .bind(o.target_hours)
        .bind(o.target_sme_bp.map(i64::from))
        .bind(user_id)
        .bind(secs(now))
        .fetch_one(&mut *self.inner)
        .await?
        .try_get(0)?)
    }

    /// Adds a contract to an operation; already there is a conflict.
    pub async fn add_operation_contract(
        &mut self,
        operation: i64,
        consultation: i64,
        lot: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO operation_contracts (operation_id, consultation_id, lot_number) VALUES ($1, $2, $3)")
            .bind(operation)
            .bind(consultation)
            .bind(lot)
            .execute(&mut *self.inner)
            .await?;
        Ok(())
    }

    pub async fn update_operation(&mut self, id: i64, o: &OperationSpec) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE operations SET name = $1, charter = $2, target_rate_bp = $3, target_hours = $4, target_sme_bp = $5
             WHERE id = $6",
        )
        .bind(&o.name)
        .bind(&o.charter)
        .bind(i64::from(o.target_rate_bp))
        .bind(o.target_hours)
        .bind(o.target_sme_bp.map(i64::from))
        .bind(id)
        .execute(&mut *self.inner)
        .await?;
        if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }

    /// Deletes an operation and its grouping; the contracts themselves stay.
    pub async fn delete_operation(&mut self, id: i64) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM operation_contracts WHERE operation_id = $1")
            .bind(id)
            .execute(&mut *self.inner)
            .await?;
        let done = sqlx::query("DELETE FROM operations WHERE id = $1").bind(id).execute(&mut *self.inner).await?;
        if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }

    /// Takes a contract out of an operation; not in it is not found.
    pub async fn remove_operation_contract(
        &mut self,
        operation: i64,
        consultation: i64,
        lot: i64,
    ) -> Result<(), StoreError> {
        let done = sqlx::query(
            "DELETE FROM operation_contracts WHERE operation_id = $1 AND consultation_id = $2 AND lot_number = $3",
        )
        .bind(operation)
        .bind(consultation)
        .bind(lot)
        .execute(&mut *self.inner)
        .await?;
        if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }
}
