//! Following awarded lots with a social clause: the contracts (awards joined to clauses), the
//! firm's commitment, placements and monthly hours.

use domain::hours_report::{HoursLine, ReportStatus};
use domain::placement::{ContractType, Outcome, OutcomeTime, PlacementSpec};
use domain::siret::Siret;
use domain::social_clause::Way;
use jiff::Timestamp;
use jiff::civil::Date;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::codec::{decode, secs, ts};
use crate::{ClauseContract, Commitment, ContractScope, HoursReport, Placement, Store, StoreError, Tx};

fn civil(text: &str) -> Result<Date, StoreError> {
    text.parse().map_err(|_| StoreError::Corrupt(format!("date: {text}")))
}

fn contract(r: &AnyRow) -> Result<ClauseContract, StoreError> {
    Ok(ClauseContract {
        consultation_id: r.try_get("id")?,
        reference: r.try_get("reference")?,
        title: r.try_get("title")?,
        organisation_id: r.try_get("organisation_id")?,
        organisation_name: r.try_get("organisation_name")?,
        lot_number: r.try_get("lot_number")?,
        lot_title: r.try_get("lot_title")?,
        titulaire_siret: r.try_get("titulaire_siret")?,
        titulaire_name: r.try_get("titulaire_name")?,
        facilitator_departement: r.try_get("facilitator_departement")?,
        required_hours: r.try_get("required_hours")?,
        validated_hours: r.try_get("validated_hours")?,
    })
}

fn placement(r: &AnyRow) -> Result<Placement, StoreError> {
    Ok(Placement {
        id: r.try_get("id")?,
        consultation_id: r.try_get("consultation_id")?,
        lot_number: r.try_get("lot_number")?,
        spec: PlacementSpec {
            beneficiary_id: r.try_get("beneficiary_id")?,
            employer_siret: decode(Siret::parse(r.try_get("employer_siret")?))?,
            employer_name: r.try_get("employer_name")?,
            way: decode(Way::parse(r.try_get("way")?))?,
            contract_type: decode(ContractType::parse(r.try_get("contract_type")?))?,
            start_on: civil(r.try_get("start_on")?)?,
            end_on: r.try_get::<Option<String>, _>("end_on")?.as_deref().map(civil).transpose()?,
        },
        outcome_end: outcome(r.try_get("outcome_end")?)?,
        outcome_six_months: outcome(r.try_get("outcome_six_months")?)?,
    })
}

fn outcome(code: Option<String>) -> Result<Option<Outcome>, StoreError> {
    code.as_deref().map(Outcome::parse).transpose().map_err(StoreError::Corrupt)
}

const PLACEMENT_COLUMNS: &str = "id, consultation_id, lot_number, beneficiary_id, employer_siret, employer_name, way, \
    contract_type, start_on, end_on, outcome_end, outcome_six_months";

impl Store {
    /// Awarded lots with a clause, with the hours validated so far.
    pub async fn clause_contracts(&self, scope: ContractScope<'_>) -> Result<Vec<ClauseContract>, StoreError> {
        let filter = match scope {
            ContractScope::Departements([]) => return Ok(Vec::new()),
            ContractScope::Departements(d) => {
                let p: Vec<String> = (1..=d.len()).map(|i| format!("${i}")).collect();
                format!("s.facilitator_departement IN ({})", p.join(", "))
            }
            ContractScope::Titulaire(_) => "h.siret = $1".to_string(),
            ContractScope::Buyer(_) => "c.organisation_id = $1".to_string(),
            ContractScope::Operation(_) => "EXISTS (SELECT 1 FROM operation_contracts oc WHERE oc.operation_id = $1
                AND oc.consultation_id = s.consultation_id AND oc.lot_number = s.lot_number)"
                .to_string(),
            ContractScope::All => "1 = 1".to_string(),
            ContractScope::Lot(..) => "s.consultation_id = $1 AND s.lot_number = $2".to_string(),
        };
        let sql = format!(
            "SELECT c.id, c.reference, c.title, c.organisation_id, o.name AS organisation_name, s.lot_number,
                l.title AS lot_title, h.siret AS titulaire_siret, h.name AS titulaire_name, s.facilitator_departement,
                COALESCE(s.override_hours, s.computed_hours) AS required_hours,
                CAST((SELECT COALESCE(SUM(r.hours), 0) FROM hours_reports r JOIN placements p ON p.id = r.placement_id
                      WHERE p.consultation_id = s.consultation_id AND p.lot_number = s.lot_number
                        AND r.status = 'validee') AS BIGINT) AS validated_hours
             FROM social_clauses s
             JOIN awards a ON a.consultation_id = s.consultation_id AND a.lot_number = s.lot_number
             JOIN award_holders h ON h.award_id = a.id AND h.role = 'titulaire'
             JOIN consultations c ON c.id = s.consultation_id
             JOIN organisations o ON o.id = c.organisation_id
             LEFT JOIN lots l ON l.consultation_id = s.consultation_id AND l.number = s.lot_number
             WHERE {filter} ORDER BY c.id DESC, s.lot_number"
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        match scope {
            ContractScope::Departements(d) => {
                for d in d {
                    q = q.bind(d);
                }
            }
            ContractScope::Titulaire(siret) => q = q.bind(siret),
            ContractScope::Buyer(org) | ContractScope::Operation(org) => q = q.bind(org),
            ContractScope::All => {}
            ContractScope::Lot(id, lot) => q = q.bind(id).bind(lot),
        }
        q.fetch_all(&self.read).await?.iter().map(contract).collect()
    }

    pub async fn commitment(&self, consultation_id: i64, lot: i64) -> Result<Option<Commitment>, StoreError> {
        sqlx::query("SELECT body, updated_at FROM clause_commitments WHERE consultation_id = $1 AND lot_number = $2")
            .bind(consultation_id)
            .bind(lot)
            .fetch_optional(&self.read)
            .await?
            .map(|r| Ok(Commitment { body: r.try_get("body")?, updated_at: ts(r.try_get("updated_at")?) }))
            .transpose()
    }

    pub async fn placements(&self, consultation_id: i64, lot: i64) -> Result<Vec<Placement>, StoreError> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {PLACEMENT_COLUMNS} FROM placements WHERE consultation_id = $1 AND lot_number = $2 ORDER BY id"
        )))
        .bind(consultation_id)
        .bind(lot)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(placement)
        .collect()
    }

    pub async fn placement(&self, id: i64) -> Result<Placement, StoreError> {
        let r = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {PLACEMENT_COLUMNS} FROM placements WHERE id = $1")))
            .bind(id)
            .fetch_one(&self.read)
            .await?;
        placement(&r)
    }

    /// The monthly reports of a lot's placements, by placement then month.
    pub async fn hours_reports(&self, consultation_id: i64, lot: i64) -> Result<Vec<HoursReport>, StoreError> {
        sqlx::query(
            "SELECT r.id, r.placement_id, r.month, r.hours, r.status, r.reported_at FROM hours_reports r
             JOIN placements p ON p.id = r.placement_id
             WHERE p.consultation_id = $1 AND p.lot_number = $2 ORDER BY r.placement_id, r.month",
        )
        .bind(consultation_id)
        .bind(lot)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(report)
        .collect()
    }

    pub async fn hours_report(&self, id: i64) -> Result<HoursReport, StoreError> {
        let r = sqlx::query(
            "SELECT id, placement_id, month, hours, status, reported_at FROM hours_reports r WHERE id = $1",
        )
        .bind(id)
        .fetch_one(&self.read)
        .await?;
        report(&r)
    }
}

fn report(r: &AnyRow) -> Result<HoursReport, StoreError> {
    Ok(HoursReport {
        id: r.try_get("id")?,
        placement_id: r.try_get("placement_id")?,
        month: civil(r.try_get("month")?)?,
        hours: r.try_get("hours")?,
        status: decode(ReportStatus::parse(r.try_get("status")?))?,
        reported_at: ts(r.try_get("reported_at")?),
    })
}

impl Tx {
    pub async fn put_commitment(
        &mut self,
        consultation_id: i64,
        lot: i64,
        body: &str,
        user_id: i64,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO clause_commitments (consultation_id, lot_number, body, updated_by, updated_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (consultation_id, lot_number) DO UPDATE SET body = excluded.body,
                updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        )
        .bind(consultation_id)
        .bind(lot)
        .bind(body)
        .bind(user_id)
        .bind(secs(now))
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }

    pub async fn insert_placement(
        &mut self,
        consultation_id: i64,
        lot: i64,
        p: &PlacementSpec,
        user_id: i64,
        now: Timestamp,
    ) -> Result<i64, StoreError> {
        Ok(sqlx::query(
            "INSERT INTO placements (consultation_id, lot_number, beneficiary_id, employer_siret, employer_name, way,
                contract_type, start_on, end_on, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(consultation_id)
        .bind(lot)
        .bind(p.beneficiary_id)
        .bind(p.employer_siret.to_string())
        .bind(&p.employer_name)
        .bind(p.way.code())
        .bind(p.contract_type.code())
        .bind(p.start_on.to_string())
        .bind(p.end_on.map(|d| d.to_string()))
        .bind(user_id)
        .bind(secs(now))
        .fetch_one(&mut *self.inner)
        .await?
        .try_get(0)?)
    }

    /// Declares (or declares again) a month's hours; a validated month is a conflict.
    /// Records where the beneficiary stands at the end of the placement or six months later.
    pub async fn set_placement_outcome(
        &mut self,
        placement_id: i64,
        time: OutcomeTime,
        outcome: Outcome,
    ) -> Result<(), StoreError> {
        let column = match time {
            OutcomeTime::End => "outcome_end",
            OutcomeTime::SixMonths => "outcome_six_months",
        };
        sqlx::query(sqlx::AssertSqlSafe(format!("UPDATE placements SET {column} = $2 WHERE id = $1")))
            .bind(placement_id)
            .bind(outcome.code())
            .execute(&mut *self.inner)
            .await?;
        Ok(())
    }

    pub async fn put_hours_report(&mut self, line: &HoursLine, user_id: i64, now: Timestamp) -> Result<(), StoreError> {
        let done = sqlx::query(
            "INSERT INTO hours_reports (placement_id, month, hours, status, reported_by, reported_at)
             VALUES ($1, $2, $3, 'declaree', $4, $5)
             ON CONFLICT (placement_id, month) DO UPDATE SET hours = excluded.hours, status = 'declaree',
                reported_by = excluded.reported_by, reported_at = excluded.reported_at, decided_by = NULL,
                decided_at = NULL
             WHERE hours_reports.status <> 'validee'",
        )
        .bind(line.placement_id)
        .bind(line.month.to_string())
        .bind(line.hours)
        .bind(user_id)
        .bind(secs(now))
        .execute(&mut *self.inner)
        .await?;
        if done.rows_affected() == 0 { Err(StoreError::Conflict) } else { Ok(()) }
    }

    /// The facilitator's decision on a declared month.
    pub async fn decide_hours_report(
        &mut self,
        id: i64,
        status: ReportStatus,
        user_id: i64,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE hours_reports SET status = $1, decided_by = $2, decided_at = $3 WHERE id = $4 AND status = 'declaree'",
        )
        .bind(status.code())
        .bind(user_id)
        .bind(secs(now))
        .bind(id)
        .execute(&mut *self.inner)
        .await?;
        if done.rows_affected() == 0 { Err(StoreError::Conflict) } else { Ok(()) }
    }
}
