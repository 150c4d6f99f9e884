//! The PostgreSQL baseline: the notices in a table whose `tsvector` is a generated column of the
//! `french` configuration (Snowball stemmer and stop words, accents kept), weighted A–D like the
//! index's fields, under a GIN index; the CPV divisions in a side table. Loaded with COPY, then
//! indexed and analysed.

use sqlx::postgres::{PgConnection, PgPool, PgPoolOptions};
use sqlx::{Connection, Executor};

use crate::clients::{CLIENTS, Error};
use crate::generate::Generator;
use crate::rows::{Row, row};

const SCHEMA: &str = "
CREATE TABLE notices (id BIGINT PRIMARY KEY, dept TEXT, nature TEXT, procedure TEXT, social BIGINT NOT NULL,
  env BIGINT NOT NULL, reserved INTEGER NOT NULL, buyer_kind TEXT, kind TEXT NOT NULL, closed INTEGER NOT NULL,
  published BIGINT, deadline BIGINT, value BIGINT, title TEXT NOT NULL, description TEXT NOT NULL,
  lots TEXT NOT NULL, buyer TEXT NOT NULL, cpv TEXT NOT NULL, cpv_up TEXT NOT NULL, place TEXT NOT NULL,
  meta TEXT NOT NULL,
  tsv tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('french', title), 'A') ||
    setweight(to_tsvector('french', lots || ' ' || buyer), 'B') ||
    setweight(to_tsvector('french', cpv || ' ' || description), 'C') ||
    setweight(to_tsvector('french', cpv_up || ' ' || place || ' ' || meta), 'D')) STORED);
CREATE TABLE notice_divisions (notice_id BIGINT NOT NULL, division TEXT NOT NULL, PRIMARY KEY (notice_id, division));
CREATE TABLE bits (facet TEXT NOT NULL, bit BIGINT NOT NULL, code TEXT NOT NULL);
";

const COLUMNS: &str = "id, dept, nature, procedure, social, env, reserved, buyer_kind, kind, closed, published, \
                       deadline, value, title, description, lots, buyer, cpv, cpv_up, place, meta";

/// Rows sent per COPY message.
const COPY_BATCH: u64 = 2_000;

/// A value in COPY's text format.
fn field(out: &mut String, value: Option<&str>) {
    match value {
        None => out.push_str("\\N"),
        Some(v) => {
            for c in v.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\t' => out.push_str("\\t"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    c => out.push(c),
                }
            }
        }
    }
}

fn line(out: &mut String, values: &[Option<&str>]) {
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push('\t');
        }
        field(out, *v);
    }
    out.push('\n');
}

fn notice_line(out: &mut String, r: &Row) {
    let num = |v: Option<i64>| v.map(|v| v.to_string());
    let (id, social, env) = (r.id.to_string(), r.social.to_string(), r.env.to_string());
    let (published, deadline, value) = (num(r.published), num(r.deadline), num(r.value));
    line(
        out,
        &[
            Some(&id),
            Some(&r.dept),
            r.nature,
            r.procedure,
            Some(&social),
            Some(&env),
            Some(if r.reserved { "1" } else { "0" }),
            r.buyer_kind,
            Some(r.kind),
            Some(if r.closed { "1" } else { "0" }),
            published.as_deref(),
            deadline.as_deref(),
            value.as_deref(),
            Some(&r.title),
            Some(&r.description),
            Some(&r.lots),
            Some(&r.buyer),
            Some(&r.cpv),
            Some(&r.cpv_up),
            Some(&r.place),
            Some(&r.meta),
        ],
    );
}

/// Loads notices `0..n` into the (empty) database at `url`.
pub async fn load(url: &str, generator: &Generator, n: u64) -> Result<(), Error> {
    let mut conn = PgConnection::connect(url).await?;
    sqlx::raw_sql(SCHEMA).execute(&mut conn).await?;
    for (facet, bit, code) in crate::baseline::bit_rows() {
        sqlx::query("INSERT INTO bits VALUES ($1, $2, $3)").bind(facet).bind(bit).bind(code).execute(&mut conn).await?;
    }
    let mut start = 0;
    while start < n {
        let end = (start + COPY_BATCH).min(n);
        let (mut notices, mut divisions) = (String::new(), String::new());
        for i in start..end {
            let r = row(i as i64, &generator.notice(i));
            notice_line(&mut notices, &r);
            for d in &r.divisions {
                line(&mut divisions, &[Some(&r.id.to_string()), Some(d)]);
            }
        }
        let mut copy = conn.copy_in_raw(&format!("COPY notices ({COLUMNS}) FROM STDIN")).await?;
        copy.send(notices.as_bytes()).await?;
        copy.finish().await?;
        let mut copy = conn.copy_in_raw("COPY notice_divisions FROM STDIN").await?;
        copy.send(divisions.as_bytes()).await?;
        copy.finish().await?;
        start = end;
    }
    // One at a time: VACUUM refuses to run in the transaction a multi-statement string makes.
    for statement in [
        "SET maintenance_work_mem = '256MB'",
        "CREATE INDEX notices_tsv ON notices USING gin (tsv)",
        "CREATE INDEX notices_published ON notices (published)",
        "CREATE INDEX notices_deadline ON notices (deadline)",
        "CREATE INDEX notices_dept ON notices (dept)",
        "VACUUM ANALYZE notices",
        "VACUUM ANALYZE notice_divisions",
    ] {
        sqlx::raw_sql(statement).execute(&mut conn).await?;
    }
    conn.close().await?;
    Ok(())
}

/// A pool of one connection per client. `work_mem` is raised from its 4 MB default so that the
/// matching rows and the facets' groups stay in memory.
pub async fn open(url: &str) -> Result<PgPool, Error> {
    Ok(PgPoolOptions::new()
        .min_connections(CLIENTS as u32)
        .max_connections(CLIENTS as u32)
        .after_connect(|conn, _| {
            Box::pin(async move {
                conn.execute("SET work_mem = '64MB'").await?;
                Ok(())
            })
        })
        .connect(url)
        .await?)
}

/// The database's size on disk (tables, indexes, TOAST).
pub async fn size(pool: &PgPool) -> Result<u64, Error> {
    let bytes: i64 = sqlx::query_scalar("SELECT pg_database_size(current_database())").fetch_one(pool).await?;
    Ok(bytes as u64)
}

/// The postmaster's process id: the parent of a backend.
pub async fn postmaster(pool: &PgPool) -> Result<Option<u32>, Error> {
    let backend: i32 = sqlx::query_scalar("SELECT pg_backend_pid()").fetch_one(pool).await?;
    Ok(crate::memory::parent_of(backend as u32))
}
