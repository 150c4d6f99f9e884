use domain::consultation::{EnvironmentalConsideration, Nature, Procedure, SocialConsideration, Status};
use domain::criteria::{Criterion, CriterionKind};
use domain::money::Cents;
use jiff::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::codec::{decode, join, secs, split, ts};
use crate::{
    Consultation, ConsultationFields, ConsultationFilter, ConsultationPage, ConsultationSummary, Facets, Lot,
    OpenState, Store, StoreError, Tx,
};

const COLUMNS: &str = "c.id, c.reference, c.organisation_id, o.name AS organisation_name, c.title, c.object, \
    c.nature, c.procedure, c.cpv, c.cpv_additional, c.place_code, c.place_label, c.departement, c.nuts, \
    c.estimated_cents, c.questions_deadline, c.bid_deadline, c.contact, c.social, c.environmental, c.status, \
    c.dce_version, c.search_text, c.created_at, c.updated_at, c.published_at, c.criteria, c.tender_validity_days";
const FROM: &str = "FROM consultations c JOIN organisations o ON o.id = c.organisation_id";

fn consultation(row: &AnyRow, lots: Vec<Lot>) -> Result<Consultation, StoreError> {
    let social: String = row.try_get("social")?;
    let environmental: String = row.try_get("environmental")?;
    let cpv_additional: String = row.try_get("cpv_additional")?;
    Ok(Consultation {
        id: row.try_get("id")?,
        reference: row.try_get("reference")?,
        organisation_id: row.try_get("organisation_id")?,
        organisation_name: row.try_get("organisation_name")?,
        fields: ConsultationFields {
            title: row.try_get("title")?,
            object: row.try_get("object")?,
            nature: decode(Nature::parse(row.try_get("nature")?))?,
            procedure: decode(Procedure::parse(row.try_get("procedure")?))?,
            cpv: row.try_get("cpv")?,
            cpv_additional: split(&cpv_additional).map(str::to_string).collect(),
            place_code: row.try_get("place_code")?,
            place_label: row.try_get("place_label")?,
            departement: row.try_get("departement")?,
            nuts: row.try_get("nuts")?,
            estimated_value: row.try_get::<Option<i64>, _>("estimated_cents")?.map(Cents),
            questions_deadline: row.try_get::<Option<i64>, _>("questions_deadline")?.map(ts),
            bid_deadline: ts(row.try_get("bid_deadline")?),
            contact: row.try_get("contact")?,
            social: split(&social).map(|s| decode(SocialConsideration::parse(s))).collect::<Result<_, _>>()?,
            environmental: split(&environmental)
                .map(|s| decode(EnvironmentalConsideration::parse(s)))
                .collect::<Result<_, _>>()?,
            lots,
            search_text: row.try_get("search_text")?,
            criteria: criteria(&row.try_get::<String, _>("criteria")?)?,
            tender_validity_days: row
                .try_get::<Option<i64>, _>("tender_validity_days")?
                .map(|d| decode(u16::try_from(d).map_err(|e| e.to_string())))
                .transpose()?,
        },
        status: decode(Status::parse(row.try_get("status")?))?,
        dce_version: row.try_get("dce_version")?,
        created_at: ts(row.try_get("created_at")?),
        updated_at: ts(row.try_get("updated_at")?),
        published_at: row.try_get::<Option<i64>, _>("published_at")?.map(ts),
    })
}

/// Criteria as stored: one a line, `kind<TAB>weight<TAB>name`.
fn criteria(text: &str) -> Result<Vec<Criterion>, StoreError> {
    text.lines()
        .map(|line| {
            let mut parts = line.splitn(3, '\t');
            let (Some(kind), Some(weight), Some(name)) = (parts.next(), parts.next(), parts.next()) else {
                return Err(StoreError::Corrupt(format!("critère « {line} »")));
            };
            Ok(Criterion {
                kind: decode(CriterionKind::parse(kind))?,
                weight: decode(weight.parse::<u8>().map_err(|e| e.to_string()))?,
                name: name.to_string(),
            })
        })
        .collect()
}

fn encode_criteria(criteria: &[Criterion]) -> String {
    criteria.iter().map(|c| format!("{}\t{}\t{}", c.kind.code(), c.weight, c.name)).collect::<Vec<_>>().join("\n")
}

fn summary(row: &AnyRow) -> Result<ConsultationSummary, StoreError> {
    Ok(ConsultationSummary {
        id: row.try_get("id")?,
        reference: row.try_get("reference")?,
        title: row.try_get("title")?,
        organisation_name: row.try_get("organisation_name")?,
        nature: decode(Nature::parse(row.try_get("nature")?))?,
        procedure: decode(Procedure::parse(row.try_get("procedure")?))?,
        cpv: row.try_get("cpv")?,
        departement: row.try_get("departement")?,
        place_label: row.try_get("place_label")?,
        bid_deadline: ts(row.try_get("bid_deadline")?),
        status: decode(Status::parse(row.try_get("status")?))?,
        published_at: row.try_get::<Option<i64>, _>("published_at")?.map(ts),
    })
}

const SUMMARY_COLUMNS: &str = "c.id, c.reference, c.title, o.name AS organisation_name, c.nature, c.procedure, \
    c.cpv, c.departement, c.place_label, c.bid_deadline, c.status, c.published_at";

/// A WHERE clause with its bound values, built from a filter.
struct Where {
    sql: String,
    text: Vec<String>,
    int: Option<i64>,
}

fn where_clause(f: &ConsultationFilter, now: Timestamp) -> Where {
    let mut clauses = vec!["c.status <> 'brouillon'".to_string(), "c.is_test = 0".to_string()];
    let mut text = Vec::new();
    let mut push = |clauses: &mut Vec<String>, sql: &str, value: String| {
        text.push(value);
        clauses.push(sql.replace('?', &format!("${}", text.len())));
    };
    if let Some(q) = &f.text {
        for word in q.split_whitespace().take(10) {
            // Wildcards typed by people are dropped, and so are `\` (PostgreSQL's LIKE takes it
            // as an escape, SQLite's does not) and NUL (PostgreSQL refuses it in text).
            push(&mut clauses, "c.search_text LIKE ?", format!("%{}%", word.replace(['%', '_', '\\', '\0'], "")));
        }
    }
    if let Some(d) = &f.departement {
        push(&mut clauses, "c.departement = ?", d.clone());
    }
    if let Some(n) = f.nature {
        push(&mut clauses, "c.nature = ?", n.code().to_string());
    }
    if let Some(p) = f.procedure {
        push(&mut clauses, "c.procedure = ?", p.code().to_string());
    }
    if let Some(d) = &f.cpv_division {
        push(&mut clauses, "c.cpv LIKE ?", format!("{d}%"));
    }
    if f.social_clause {
        push(&mut clauses, "c.social <> ?", SocialConsideration::Aucune.code().to_string());
    }
    let int = f.state.map(|state| {
        let n = text.len() + 1;
        clauses.push(match state {
            OpenState::Open => format!("(c.status = 'publiee' AND c.bid_deadline > ${n})"),
            OpenState::Closed => format!("(c.status <> 'publiee' OR c.bid_deadline <= ${n})"),
        });
        secs(now)
    });
    Where { sql: clauses.join(" AND "), text, int }
}

fn bind_where<'q>(mut q: AnyQuery<'q>, w: &'q Where) -> AnyQuery<'q> {
    for t in &w.text {
        q = q.bind(t.as_str());
    }
    if let Some(i) = w.int {
        q = q.bind(i);
    }
    q
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

/// Binds the buyer-written fields as `$1`…`$17`, the change time as `$18`, the criteria and the
/// offers' validity as `$19` and `$20`, for both the insert and the update.
fn bind_fields<'q>(q: AnyQuery<'q>, f: &'q ConsultationFields, now: Timestamp) -> AnyQuery<'q> {
    q.bind(&f.title)
        .bind(&f.object)
        .bind(f.nature.code())
        .bind(f.procedure.code())
        .bind(&f.cpv)
        .bind(f.cpv_additional.join("|"))
        .bind(&f.place_code)
        .bind(&f.place_label)
        .bind(&f.departement)
        .bind(&f.nuts)
        .bind(f.estimated_value.map(|c| c.0))
        .bind(f.questions_deadline.map(secs))
        .bind(secs(f.bid_deadline))
        .bind(&f.contact)
        .bind(join(&f.social, |s| s.code()))
        .bind(join(&f.environmental, |s| s.code()))
        .bind(&f.search_text)
        .bind(secs(now))
        .bind(encode_criteria(&f.criteria))
        .bind(f.tender_validity_days.map(i64::from))
}

impl Store {
    async fn lots(&self, consultation_id: i64) -> Result<Vec<Lot>, StoreError> {
        sqlx::query("SELECT number, title, cpv, estimated_cents FROM lots WHERE consultation_id = $1 ORDER BY number")
            .bind(consultation_id)
            .fetch_all(&self.read)
            .await?
            .iter()
            .map(|r| {
                Ok(Lot {
                    number: r.try_get("number")?,
                    title: r.try_get("title")?,
                    cpv: r.try_get("cpv")?,
                    estimated_value: r.try_get::<Option<i64>, _>("estimated_cents")?.map(Cents),
                })
            })
            .collect()
    }

    pub async fn consultation(&self, id: i64) -> Result<Consultation, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} {FROM} WHERE c.id = $1")))
            .bind(id)
            .fetch_one(&self.read)
            .await?;
        consultation(&row, self.lots(id).await?)
    }

    /// The permanent test consultation, if it was made.
    pub async fn test_consultation(&self) -> Result<Option<i64>, StoreError> {
        Ok(sqlx::query("SELECT id FROM consultations WHERE is_test = 1 ORDER BY id LIMIT 1")
            .fetch_optional(&self.read)
            .await?
            .map(|r| r.try_get(0))
            .transpose()?)
    }

    /// Every consultation of one organisation, drafts included, newest first.
    pub async fn organisation_consultations(
        &self,
        organisation_id: i64,
    ) -> Result<Vec<ConsultationSummary>, StoreError> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {SUMMARY_COLUMNS} {FROM} WHERE c.organisation_id = $1 ORDER BY c.created_at DESC, c.id DESC"
        )))
        .bind(organisation_id)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(summary)
        .collect()
    }

    /// Public consultations (never drafts) matching the filter, newest publication first.
    pub async fn search_consultations(
        &self,
        filter: &ConsultationFilter,
        now: Timestamp,
        offset: i64,
        limit: i64,
    ) -> Result<ConsultationPage, StoreError> {
        let w = where_clause(filter, now);
        let n = w.text.len() + usize::from(w.int.is_some());
        let list_sql = format!(
            "SELECT {SUMMARY_COLUMNS} {FROM} WHERE {} ORDER BY c.published_at DESC, c.id DESC LIMIT ${} OFFSET ${}",
            w.sql,
            n + 1,
            n + 2
        );
        let items = bind_where(sqlx::query(sqlx::AssertSqlSafe(list_sql)), &w)
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.read)
            .await?
            .iter()
            .map(summary)
            .collect::<Result<Vec<_>, _>>()?;
        let total_sql = format!("SELECT COUNT(*) {FROM} WHERE {}", w.sql);
        let total: i64 =
            bind_where(sqlx::query(sqlx::AssertSqlSafe(total_sql)), &w).fetch_one(&self.read).await?.try_get(0)?;
        let mut facets = Facets::default();
        for (column, out) in [
            ("departement", &mut facets.departement),
            ("nature", &mut facets.nature),
            ("procedure", &mut facets.procedure),
        ] {
            let sql =
                format!("SELECT c.{column}, COUNT(*) {FROM} WHERE {} GROUP BY c.{column} ORDER BY c.{column}", w.sql);
            for row in bind_where(sqlx::query(sqlx::AssertSqlSafe(sql)), &w).fetch_all(&self.read).await? {
                out.push((row.try_get(0)?, row.try_get(1)?));
            }
        }
        Ok(ConsultationPage { total, items, facets })
    }
}

impl Tx {
    pub async fn insert_consultation(
        &mut self,
        reference: &str,
        organisation_id: i64,
        f: &ConsultationFields,
        now: Timestamp,
    ) -> Result<i64, StoreError> {
        let query = sqlx::query(
            "INSERT INTO consultations (title, object, nature, procedure, cpv, cpv_additional, place_code, place_label,
                departement, nuts, estimated_cents, questions_deadline, bid_deadline, contact, social, environmental,
                search_text, updated_at, criteria, tender_validity_days, reference, organisation_id, created_at, status,
                dce_version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22,
                $18, 'brouillon', 1)
             RETURNING id",
        );
        let id: i64 = bind_fields(query, f, now)
            .bind(reference)
            .bind(organisation_id)
            .fetch_one(&mut *self.inner)
            .await?
            .try_get(0)?;
        self.replace_lots(id, &f.lots).await?;
        Ok(id)
    }

    pub async fn update_consultation(
        &mut self,
        id: i64,
        f: &ConsultationFields,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let query = sqlx::query(
            "UPDATE consultations SET title = $1, object = $2, nature = $3, procedure = $4, cpv = $5, cpv_additional = $6,
                place_code = $7, place_label = $8, departement = $9, nuts = $10, estimated_cents = $11,
                questions_deadline = $12, bid_deadline = $13, contact = $14, social = $15, environmental = $16,
                search_text = $17, updated_at = $18, criteria = $19, tender_validity_days = $20
             WHERE id = $21",
        );
        let done = bind_fields(query, f, now).bind(id).execute(&mut *self.inner).await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        self.replace_lots(id, &f.lots).await
    }

    async fn replace_lots(&mut self, consultation_id: i64, lots: &[Lot]) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM lots WHERE consultation_id = $1")
            .bind(consultation_id)
            .execute(&mut *self.inner)
            .await?;
        for lot in lots {
            sqlx::query(
                "INSERT INTO lots (consultation_id, number, title, cpv, estimated_cents) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(consultation_id)
            .bind(lot.number)
            .bind(&lot.title)
            .bind(&lot.cpv)
            .bind(lot.estimated_value.map(|c| c.0))
            .execute(&mut *self.inner)
            .await?;
        }
        Ok(())
    }

    /// Changes the status; `published_at` is set on the first publication only.
    pub async fn set_consultation_status(&mut self, id: i64, status: Status, now: Timestamp) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE consultations SET status = $2, updated_at = $3,
                published_at = CASE WHEN $2 = 'publiee' AND published_at IS NULL THEN $3 ELSE published_at END
             WHERE id = $1",
        )
        .bind(id)
        .bind(status.code())
        .bind(secs(now))
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }

    pub async fn mark_test_consultation(&mut self, id: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE consultations SET is_test = 1 WHERE id = $1").bind(id).execute(&mut *self.inner).await?;
        Ok(())
    }

    /// Starts a new DCE version (after a change to a published consultation); returns it.
    pub async fn bump_dce_version(&mut self, id: i64) -> Result<i64, StoreError> {
        Ok(sqlx::query("UPDATE consultations SET dce_version = dce_version + 1 WHERE id = $1 RETURNING dce_version")
            .bind(id)
            .fetch_one(&mut *self.inner)
            .await?
            .try_get(0)?)
    }
}

impl Store {
    /// The id of the consultation with this reference.
    pub async fn consultation_id(&self, reference: &str) -> Result<Option<i64>, StoreError> {
        Ok(sqlx::query("SELECT id FROM consultations WHERE reference = $1")
            .bind(reference.trim())
            .fetch_optional(&self.read)
            .await?
            .map(|r| r.try_get(0))
            .transpose()?)
    }

    /// Every consultation that was published (drafts and the test consultation aside), by id.
    pub async fn public_consultation_ids(&self) -> Result<Vec<i64>, StoreError> {
        sqlx::query("SELECT id FROM consultations WHERE status <> 'brouillon' AND is_test = 0 ORDER BY id")
            .fetch_all(&self.read)
            .await?
            .iter()
            .map(|r| Ok(r.try_get(0)?))
            .collect()
    }
}
