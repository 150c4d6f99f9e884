//! What the two SQL baselines share: running a search's statement and reading its rows, with the
//! index's fallback to any of the words when all of them find nothing.

use domain::consultation::{EnvironmentalConsideration, SocialConsideration};
use sqlx::{Database, Executor, IntoArguments, Row};

use crate::clients::Error;
use crate::queries::BenchQuery;
use crate::sql::{self, Dialect};

/// The `bits` table's rows: `(facet, bit, code)` for the multi-valued facets.
pub fn bit_rows() -> Vec<(&'static str, i64, &'static str)> {
    let mut rows = Vec::new();
    for (i, s) in SocialConsideration::ALL.iter().enumerate() {
        rows.push(("social", 1i64 << i, s.code()));
    }
    for (i, e) in EnvironmentalConsideration::ALL.iter().enumerate() {
        rows.push(("environmental", 1i64 << i, e.code()));
    }
    rows
}

/// Runs `q` at `now` and returns its total; every row (page and facets) is read.
pub async fn search<'c, DB, E>(dialect: Dialect, executor: E, q: &BenchQuery, now: i64) -> Result<u64, Error>
where
    DB: Database,
    E: Executor<'c, Database = DB> + Copy,
    for<'a> <DB as Database>::Arguments: IntoArguments<DB>,
    for<'r> String: sqlx::Decode<'r, DB> + sqlx::Type<DB>,
    for<'r> i64: sqlx::Decode<'r, DB> + sqlx::Type<DB> + sqlx::Encode<'r, DB>,
    for<'r> &'r str: sqlx::Encode<'r, DB> + sqlx::Type<DB>,
    usize: sqlx::ColumnIndex<DB::Row>,
{
    let (words, typing) = sql::words(&q.text);
    if words.is_empty() {
        let statement = sql::statement(dialect, q, false);
        let rows = sqlx::query(sqlx::AssertSqlSafe(statement)).bind(now).fetch_all(executor).await?;
        return total(&rows);
    }
    let statement = sql::statement(dialect, q, true);
    let mut result = 0;
    for all in [true, false] {
        if !all && words.len() < 2 {
            break;
        }
        let expression = sql::match_expression(dialect, &words, typing, all);
        let rows = sqlx::query(sqlx::AssertSqlSafe(statement.clone()))
            .bind(expression.as_str())
            .bind(now)
            .fetch_all(executor)
            .await?;
        result = total(&rows)?;
        if result > 0 {
            break;
        }
    }
    Ok(result)
}

fn total<R: Row>(rows: &[R]) -> Result<u64, Error>
where
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    usize: sqlx::ColumnIndex<R>,
{
    for row in rows {
        let what: String = row.try_get(0)?;
        if what == "total" {
            let n: i64 = row.try_get(2)?;
            return Ok(n as u64);
        }
    }
    Err("no total row".into())
}
