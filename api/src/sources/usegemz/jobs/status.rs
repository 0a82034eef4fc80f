//! Scraping job state: the status flow, progress, appended results, time limits, and the
//! reads of a job's state and creators.
//!
//! Status flow (UG-OP18): `pending → processing → completed | error | timeout`; a pending job
//! may also fail (`error`) or time out before it starts. Every other change — backwards, out
//! of a final status, or to the same status — is `BAD_USER_INPUT`. `started_at` is set on
//! `processing`, `completed_at` on `completed`, `error` (required) on `error`.
//!
//! Time limit: a pending or processing job whose `timeout_at` has passed *is* timed out. Every
//! read answers `timeout` at once — `jobStatus`, the job's `status` wherever the read layer
//! answers it (lookup, connections, nested lists, `node`, filters and orderings, through
//! [`effective_status_expr`]) and live progress; the stored status follows lazily on the job's
//! next write, which that write commits before it is refused (a timed-out job takes no progress).
//!
//! Progress (UG-OP16/17) changes by increments in one `UPDATE` — never read-modify-write — with
//! `progress = min(100, round(100 × processed_results / target_results, 2))`.

use chrono::NaiveDateTime;
use entity::usegemz::{campaigns, scraping_jobs, scraping_results};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    QueryFilter, QuerySelect,
};
use serde_json::Value;
use uuid::Uuid;

use super::campaigns::now;
use super::creators;
use crate::db::Connections;
use crate::error::ApiError;
use crate::events::EventBus;
use crate::graphql::spec::Table;
use crate::graphql::sql::qcol;
use crate::graphql::write::{begin, commit, db_error};

/// Statuses a job leaves only by timing out or by the flow.
const LIVE: [&str; 2] = ["pending", "processing"];

/// Whether the flow allows `from → to`.
pub fn allowed(from: &str, to: &str) -> bool {
    matches!(
        (from, to),
        ("pending", "processing" | "error" | "timeout")
            | ("processing", "completed" | "error" | "timeout")
    )
}

/// Whether the job's time limit has passed while it was still pending or processing.
pub fn timed_out(job: &scraping_jobs::Model, at: NaiveDateTime) -> bool {
    LIVE.contains(&job.status.as_str()) && job.timeout_at.is_some_and(|t| at >= t)
}

/// The status a job reads as: `timeout` once its time limit passed, else the stored one.
pub fn effective_status(job: &scraping_jobs::Model, at: NaiveDateTime) -> &str {
    if timed_out(job, at) {
        "timeout"
    } else {
        &job.status
    }
}

/// `status` as every read of a job answers it, in SQL: `'timeout'` for a pending or processing
/// job whose `timeout_at` has passed, else the stored status — [`effective_status`] for the read
/// layer, so the value read, `where` filters and `orderBy` agree. The clock is the gateway's,
/// as for [`effective_status`], bound as a value so both backends compare like stored times.
pub fn effective_status_expr(table: &Table, _backend: DbBackend) -> Expr {
    let status = qcol(table.name, "status");
    // `timeout_at IS NULL` makes the comparison NULL, so a job without a limit keeps its status.
    let expired = Condition::all()
        .add(status.clone().is_in(LIVE))
        .add(qcol(table.name, "timeout_at").lte(Expr::val(now())));
    Expr::case(expired, Expr::val("timeout"))
        .finally(status)
        .into()
}

/// Publishes a job's committed state to live subscribers; a failure is logged, not answered
/// (the write itself succeeded).
pub async fn publish(conns: &Connections, events: &EventBus, id: Uuid) {
    if let Err(e) = crate::events::job_changed(conns, events, id).await {
        tracing::warn!(job = %id, error = %e, "could not publish a job change");
    }
}

/// A job the viewer may read: their own, or any for an admin.
pub async fn readable_job(
    db: &impl ConnectionTrait,
    user: &str,
    admin: bool,
    id: Uuid,
) -> Result<scraping_jobs::Model, ApiError> {
    scraping_jobs::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|j| admin || j.user_id == user)
        .ok_or_else(|| ApiError::NotFound(format!("no scraping job {id}")))
}

/// The viewer's job (`NOT_FOUND` for a missing or foreign one), row-locked on PostgreSQL.
async fn own_job(
    db: &impl ConnectionTrait,
    user: &str,
    id: Uuid,
) -> Result<scraping_jobs::Model, ApiError> {
    let mut q = scraping_jobs::Entity::find_by_id(id);
    if db.get_database_backend() == DbBackend::Postgres {
        q = q.lock_exclusive();
    }
    q.one(db)
        .await?
        .filter(|j| j.user_id == user)
        .ok_or_else(|| ApiError::NotFound(format!("no scraping job {id}")))
}

fn update(id: Uuid, status: &str, at: NaiveDateTime) -> sea_orm::sea_query::UpdateStatement {
    let mut q = Query::update();
    q.table(Alias::new("scraping_jobs"))
        .value(Alias::new("updated_at"), at)
        .and_where(Expr::col(Alias::new("id")).eq(id))
        .and_where(Expr::col(Alias::new("status")).eq(status));
    q
}

/// Stores the `timeout` a job already reads as, commits, and answers why the write is refused.
async fn refuse_timed_out(
    txn: sea_orm::DatabaseTransaction,
    job: &scraping_jobs::Model,
    at: NaiveDateTime,
    arg: &str,
) -> ApiError {
    let mut q = update(job.id, &job.status, at);
    q.value(Alias::new("status"), "timeout");
    let stored = async {
        txn.execute(&q).await?;
        commit(txn).await
    };
    if let Err(e) = stored.await {
        return e;
    }
    ApiError::input(
        arg,
        format!(
            "the job timed out (its time limit passed while it was {}); a timed-out job takes no further changes",
            job.status
        ),
    )
}

/// What a write of a job changed, for publishing.
pub struct Written<T> {
    /// The answer of the write, or why it was refused.
    pub result: Result<T, ApiError>,
    /// Whether the job's row changed (also when a lazily stored timeout refused the write).
    pub changed: bool,
}

/// Why a write was refused, and whether a lazily stored timeout changed the job anyway.
struct Refusal {
    error: ApiError,
    changed: bool,
}

impl<T> From<Refusal> for Written<T> {
    fn from(r: Refusal) -> Self {
        Written {
            result: Err(r.error),
            changed: r.changed,
        }
    }
}

impl<T> Written<T> {
    fn no(e: ApiError) -> Self {
        Written {
            result: Err(e),
            changed: false,
        }
    }
    fn timed_out(e: ApiError) -> Self {
        Written {
            result: Err(e),
            changed: true,
        }
    }
}

/// Moves a job along the status flow.
pub async fn update_status(
    db: &DatabaseConnection,
    user: &str,
    id: Uuid,
    status: &str,
    error: Option<&str>,
) -> Written<()> {
    if status == "error" && error.is_none_or(|e| e.trim().is_empty()) {
        return Written::no(ApiError::input("error", "a failed job needs an error text"));
    }
    if error.is_some() && !matches!(status, "error" | "timeout") {
        return Written::no(ApiError::input(
            "error",
            "only a failed or timed-out job has an error text",
        ));
    }
    let txn = match begin(db).await {
        Ok(t) => t,
        Err(e) => return Written::no(e),
    };
    let job = match own_job(&txn, user, id).await {
        Ok(j) => j,
        Err(e) => return Written::no(e),
    };
    let at = now();
    if timed_out(&job, at) && status != "timeout" {
        return Written::timed_out(refuse_timed_out(txn, &job, at, "status").await);
    }
    if !allowed(&job.status, status) {
        return Written::no(ApiError::input(
            "status",
            format!(
                "a {} job cannot become {status} (pending → processing → completed | error | timeout)",
                job.status
            ),
        ));
    }
    let mut q = update(id, &job.status, at);
    q.value(Alias::new("status"), status);
    match status {
        "processing" => {
            q.value(Alias::new("started_at"), at);
        }
        "completed" => {
            q.value(Alias::new("completed_at"), at);
        }
        // `timeout_at` records when the limit was hit: now, unless it passed earlier.
        "timeout" if job.timeout_at.is_none_or(|t| t > at) => {
            q.value(Alias::new("timeout_at"), at);
        }
        _ => {}
    }
    if let Some(e) = error {
        q.value(Alias::new("error"), e.to_owned());
    }
    let done = async {
        txn.execute(&q)
            .await
            .map_err(|e| db_error(e, "scraping job"))?;
        commit(txn).await?;
        Ok(())
    };
    match done.await {
        Ok(()) => Written {
            result: Ok(()),
            changed: true,
        },
        Err(e) => Written::no(e),
    }
}

/// `progress` after adding `n` results, as SQL over the row's old values: 100 once the target
/// is reached, else the percentage rounded to two places (the same on both backends).
fn progress_expr(n: i32, backend: DbBackend) -> Expr {
    let (a, values) = match backend {
        DbBackend::Postgres => ("$1", vec![n]),
        _ => ("?", vec![n, n]),
    };
    Expr::cust_with_values(
        format!(
            "CASE WHEN \"processed_results\" + {a} >= \"target_results\" THEN 100 \
             ELSE ROUND(100.0 * (\"processed_results\" + {a}) / \"target_results\", 2) END"
        ),
        values,
    )
}

/// Progress of one run to record.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    /// Creators the run found (≥ 0).
    pub new_results: i32,
    /// Where the search continues (≥ 0).
    pub cursor: Option<i32>,
    /// External API run id.
    pub run_id: Option<String>,
    /// QStash message id.
    pub qstash_message_id: Option<String>,
}

/// Loads the viewer's job for a progress write: it must be processing and within its limit.
async fn processing_job(
    txn: sea_orm::DatabaseTransaction,
    user: &str,
    id: Uuid,
    arg: &str,
) -> Result<(sea_orm::DatabaseTransaction, scraping_jobs::Model), Refusal> {
    let job = own_job(&txn, user, id).await.map_err(|error| Refusal {
        error,
        changed: false,
    })?;
    let at = now();
    if timed_out(&job, at) {
        return Err(Refusal {
            error: refuse_timed_out(txn, &job, at, arg).await,
            changed: true,
        });
    }
    if job.status != "processing" {
        return Err(Refusal {
            changed: false,
            error: ApiError::input(
                arg,
                format!(
                    "progress is recorded only while a job is processing (this one is {})",
                    job.status
                ),
            ),
        });
    }
    Ok((txn, job))
}

/// Records one run of a processing job (UG-OP16): `processed_runs + 1`, `processed_results
/// + newResults`, the recomputed progress, and the cursor / run ids when given.
pub async fn record_progress(
    db: &DatabaseConnection,
    user: &str,
    id: Uuid,
    p: &Progress,
) -> Written<()> {
    if p.new_results < 0 {
        return Written::no(ApiError::input(
            "newResults",
            "newResults cannot be negative",
        ));
    }
    if p.cursor.is_some_and(|c| c < 0) {
        return Written::no(ApiError::input("cursor", "a cursor cannot be negative"));
    }
    for (arg, v) in [
        ("runId", &p.run_id),
        ("qstashMessageId", &p.qstash_message_id),
    ] {
        if v.as_deref().is_some_and(|s| s.trim().is_empty()) {
            return Written::no(ApiError::input(arg, format!("{arg} cannot be blank")));
        }
    }
    let txn = match begin(db).await {
        Ok(t) => t,
        Err(e) => return Written::no(e),
    };
    let (txn, job) = match processing_job(txn, user, id, "id").await {
        Ok(x) => x,
        Err(r) => return r.into(),
    };
    if job.processed_results.checked_add(p.new_results).is_none() {
        return Written::no(ApiError::input("newResults", "too many results"));
    }
    let backend = txn.get_database_backend();
    let mut q = update(id, "processing", now());
    q.value(
        Alias::new("processed_runs"),
        Expr::col(Alias::new("processed_runs")).add(1),
    )
    .value(
        Alias::new("processed_results"),
        Expr::col(Alias::new("processed_results")).add(p.new_results),
    )
    .value(
        Alias::new("progress"),
        progress_expr(p.new_results, backend),
    );
    if let Some(c) = p.cursor {
        q.value(Alias::new("cursor"), c);
    }
    if let Some(r) = &p.run_id {
        q.value(Alias::new("run_id"), r.clone());
    }
    if let Some(m) = &p.qstash_message_id {
        q.value(Alias::new("qstash_message_id"), m.clone());
    }
    let done = async {
        txn.execute(&q)
            .await
            .map_err(|e| db_error(e, "scraping job"))?;
        commit(txn).await?;
        Ok(())
    };
    match done.await {
        Ok(()) => Written {
            result: Ok(()),
            changed: true,
        },
        Err(e) => Written::no(e),
    }
}

/// The search type of a job: its campaign's, else what its fields imply (UG-A04).
async fn search_type(
    db: &impl ConnectionTrait,
    job: &scraping_jobs::Model,
) -> Result<String, ApiError> {
    if let Some(c) = job.campaign_id
        && let Some(campaign) = campaigns::Entity::find_by_id(c).one(db).await?
    {
        return Ok(campaign.search_type);
    }
    let keywords = job
        .keywords
        .as_ref()
        .and_then(Value::as_array)
        .is_some_and(|k| !k.is_empty());
    Ok(if !keywords && job.target_username.is_some() {
        "similar".into()
    } else {
        "keyword".into()
    })
}

/// Appends a batch of creators to a processing job: every creator is checked against the
/// job's shape first; then one `scraping_results` row and the job's `processed_results` /
/// `progress` are written in one transaction. A batch never takes a job past its
/// `targetResults` (which bounds what reading a job's creators holds in memory).
pub async fn append_results(
    db: &DatabaseConnection,
    user: &str,
    job_id: Uuid,
    batch: &Value,
) -> Written<Uuid> {
    if !batch.is_array() {
        return Written::no(ApiError::input(
            "creators",
            "expected a JSON array of creators",
        ));
    }
    let txn = match begin(db).await {
        Ok(t) => t,
        Err(e) => return Written::no(e),
    };
    let (txn, job) = match processing_job(txn, user, job_id, "jobId").await {
        Ok(x) => x,
        Err(r) => return r.into(),
    };
    let n = match search_type(&txn, &job)
        .await
        .and_then(|st| creators::validate_batch(batch, &job.platform, &st))
    {
        Ok(n) => n,
        Err(e) => return Written::no(e),
    };
    let room = Ord::max(job.target_results.saturating_sub(job.processed_results), 0);
    let n = match i32::try_from(n) {
        Ok(n) if n <= room => n,
        _ => {
            return Written::no(ApiError::input(
                "creators",
                format!(
                    "the job wants {room} more creators at most (targetResults {}, {} found)",
                    job.target_results, job.processed_results
                ),
            ));
        }
    };
    let id = Uuid::new_v4();
    let at = now();
    let backend = txn.get_database_backend();
    let done = async {
        scraping_results::Entity::insert(scraping_results::ActiveModel {
            id: Set(id),
            job_id: Set(Some(job_id)),
            creators: Set(batch.clone()),
            created_at: Set(at),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(|e| db_error(e, "scraping result"))?;
        let mut q = update(job_id, "processing", at);
        q.value(
            Alias::new("processed_results"),
            Expr::col(Alias::new("processed_results")).add(n),
        )
        .value(Alias::new("progress"), progress_expr(n, backend));
        txn.execute(&q)
            .await
            .map_err(|e| db_error(e, "scraping job"))?;
        commit(txn).await?;
        Ok(())
    };
    match done.await {
        Ok(()) => Written {
            result: Ok(id),
            changed: true,
        },
        Err(e) => Written::no(e),
    }
}

/// The state of a job as `jobStatus` answers it.
#[derive(Debug, Clone)]
pub struct JobState {
    /// The job.
    pub id: Uuid,
    /// Effective status (`timeout` once the limit passed).
    pub status: String,
    /// Progress percentage.
    pub progress: Decimal,
    /// API calls made.
    pub processed_runs: i32,
    /// Creators found.
    pub processed_results: i32,
    /// Creators wanted.
    pub target_results: i32,
    /// Whether the job timed out (stored or by its limit).
    pub timed_out: bool,
    /// Its time limit.
    pub timeout_at: Option<NaiveDateTime>,
    /// Error text.
    pub error: Option<String>,
}

/// The state of a job the viewer may read.
pub async fn job_state(
    db: &DatabaseConnection,
    user: &str,
    admin: bool,
    id: Uuid,
) -> Result<JobState, ApiError> {
    let job = readable_job(db, user, admin, id).await?;
    let status = effective_status(&job, now()).to_owned();
    Ok(JobState {
        id,
        timed_out: status == "timeout",
        status,
        progress: super::percent(job.progress),
        processed_runs: job.processed_runs,
        processed_results: job.processed_results,
        target_results: job.target_results,
        timeout_at: job.timeout_at,
        error: job.error,
    })
}

/// One creator of a job, where it is stored.
#[derive(Debug, Clone)]
pub struct Found {
    /// `created_at` of the result row (the first part of the creators' order).
    pub at: Option<NaiveDateTime>,
    /// The result row.
    pub result: Uuid,
    /// Index in its `creators` array.
    pub index: usize,
    /// The record.
    pub creator: Value,
}

/// Every creator of a job the viewer may read, flattened in order: result rows by
/// (`created_at`, `id`), then array index (UG-OP23).
pub async fn job_creators(
    db: &DatabaseConnection,
    user: &str,
    admin: bool,
    id: Uuid,
) -> Result<Vec<Found>, ApiError> {
    readable_job(db, user, admin, id).await?;
    let mut rows = scraping_results::Entity::find()
        .filter(scraping_results::Column::JobId.eq(id))
        .all(db)
        .await?;
    rows.sort_by_key(|r| (r.created_at, r.id));
    let mut out = Vec::new();
    for r in rows {
        let list = match r.creators {
            Value::Array(list) => list,
            other => vec![other],
        };
        out.extend(list.into_iter().enumerate().map(|(index, creator)| Found {
            at: Some(r.created_at),
            result: r.id,
            index,
            creator,
        }));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::allowed;

    #[test]
    fn the_flow_is_enforced() {
        let statuses = ["pending", "processing", "completed", "error", "timeout"];
        let legal = [
            ("pending", "processing"),
            ("pending", "error"),
            ("pending", "timeout"),
            ("processing", "completed"),
            ("processing", "error"),
            ("processing", "timeout"),
        ];
        for from in statuses {
            for to in statuses {
                assert_eq!(
                    allowed(from, to),
                    legal.contains(&(from, to)),
                    "{from} → {to}"
                );
            }
        }
    }
}
