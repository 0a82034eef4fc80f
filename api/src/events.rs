//! Live events: scraping job progress, fanned out to subscribers.
//!
//! A change is published after its transaction commits. On PostgreSQL the gateway sends it
//! with `pg_notify` on [`CHANNEL`], and every gateway replica listening on that channel — this
//! one included — hands it to its subscribers; so an update made through one replica reaches
//! the subscribers of all. On SQLite (one process) it goes straight to the in-process channel.
//!
//! A notification's payload must stay below 8000 bytes, and a job's state holds its error text
//! of any length. A state that does not fit is sent as the job id alone ([`Notice::Changed`]);
//! each listener then reads the job's state itself, so no change — the final `error` with a long
//! text included — is lost, and every stored byte of the text still reaches subscribers.

use std::sync::Arc;

use chrono::NaiveDateTime;
use entity::usegemz::scraping_jobs;
use migration::Database;
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, Statement};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use uuid::Uuid;

use crate::db::Connections;
use crate::error::ApiError;
use crate::graphql::write::now;
use crate::sources::usegemz::jobs::effective_status;

/// The PostgreSQL notification channel of job progress.
pub const CHANNEL: &str = "usegemz_job_progress";

/// The largest payload `pg_notify` takes: PostgreSQL refuses one of 8000 bytes or more.
pub const MAX_NOTIFY_PAYLOAD: usize = 7999;

/// The state of a scraping job after a change.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct JobProgress {
    /// The job.
    pub job_id: Uuid,
    /// Its owner's Clerk id (subscribers see only their own jobs).
    pub user_id: String,
    /// Effective status: `timeout` once a pending or processing job's time limit has passed,
    /// else the stored one.
    pub status: String,
    /// Progress percentage (0–100) at the column's scale ([`percent`]).
    ///
    /// [`percent`]: crate::sources::usegemz::jobs::percent
    pub progress: Decimal,
    /// API calls made.
    pub processed_runs: i32,
    /// Creators found.
    pub processed_results: i32,
    /// Target number of creators.
    pub target_results: i32,
    /// Error text of a failed job.
    pub error: Option<String>,
    /// The job's time limit (UTC), so a subscriber can wake up when it passes.
    #[serde(default)]
    pub timeout_at: Option<NaiveDateTime>,
}

/// A notification on [`CHANNEL`].
#[derive(Debug, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Notice {
    /// The job's state after the change.
    State(JobProgress),
    /// The job changed, but its state is too large for a notification: read it.
    Changed {
        /// The job.
        #[serde(rename = "jobId")]
        job_id: Uuid,
    },
}

impl Notice {
    /// The payload announcing `event`: the whole state when it fits in a notification, else
    /// the job id alone.
    pub fn payload(event: &JobProgress) -> Result<String, ApiError> {
        let failed = |e: serde_json::Error| ApiError::Internal(format!("event: {e}"));
        // Untagged: a `State` notice is the state's own JSON.
        let full = serde_json::to_string(event).map_err(failed)?;
        if full.len() <= MAX_NOTIFY_PAYLOAD {
            return Ok(full);
        }
        serde_json::to_string(&Notice::Changed {
            job_id: event.job_id,
        })
        .map_err(failed)
    }
}

/// What subscribers receive.
#[derive(Debug, Clone)]
pub enum BusEvent {
    /// A job's state after a change.
    Job(Arc<JobProgress>),
    /// Notifications may have been missed (the listener's connection was lost and is back):
    /// subscribers read their job's state again.
    Resync,
}

/// Fans events out to this process's subscribers.
#[derive(Debug, Clone)]
pub struct EventBus {
    tx: broadcast::Sender<BusEvent>,
}

impl Default for EventBus {
    fn default() -> Self {
        let (tx, _) = broadcast::channel(1024);
        EventBus { tx }
    }
}

impl EventBus {
    /// A receiver of every event from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<BusEvent> {
        self.tx.subscribe()
    }

    /// Hands an event to this process's subscribers.
    pub fn deliver(&self, event: JobProgress) {
        // No subscriber is not an error.
        let _ = self.tx.send(BusEvent::Job(Arc::new(event)));
    }

    /// Tells subscribers that events may have been lost.
    pub fn resync(&self) {
        let _ = self.tx.send(BusEvent::Resync);
    }
}

/// The current state of a job as an event (`None`: no such job), with its effective status.
pub async fn job_state(conns: &Connections, job_id: Uuid) -> Result<Option<JobProgress>, ApiError> {
    let db = conns.get(Database::Usegemz)?;
    let Some(job) = scraping_jobs::Entity::find_by_id(job_id).one(db).await? else {
        return Ok(None);
    };
    let status = effective_status(&job, now()).to_owned();
    Ok(Some(JobProgress {
        job_id,
        user_id: job.user_id,
        status,
        progress: crate::sources::usegemz::jobs::percent(job.progress),
        processed_runs: job.processed_runs,
        processed_results: job.processed_results,
        target_results: job.target_results,
        error: job.error,
        timeout_at: job.timeout_at,
    }))
}

/// Publishes a job's committed state: `pg_notify` on PostgreSQL, the in-process channel on
/// SQLite. Call it after the change's transaction has committed.
pub async fn job_changed(
    conns: &Connections,
    bus: &EventBus,
    job_id: Uuid,
) -> Result<(), ApiError> {
    let Some(event) = job_state(conns, job_id).await? else {
        return Ok(());
    };
    let db = conns.get(Database::Usegemz)?;
    match db.get_database_backend() {
        DbBackend::Postgres => {
            let payload = Notice::payload(&event)?;
            db.execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT pg_notify($1, $2)",
                [CHANNEL.into(), payload.into()],
            ))
            .await?;
        }
        _ => bus.deliver(event),
    }
    Ok(())
}

/// On PostgreSQL, listens on [`CHANNEL`] for as long as the process lives and delivers every
/// notification (from any replica) to `bus`; reconnects after a lost connection, then tells
/// subscribers to read their jobs again, since notifications sent meanwhile are gone.
pub fn listen(conns: &Connections, bus: EventBus) {
    let Ok(db) = conns.get(Database::Usegemz) else {
        return;
    };
    if db.get_database_backend() != DbBackend::Postgres {
        return;
    }
    let pool = db.get_postgres_connection_pool().clone();
    let conns = conns.clone();
    tokio::spawn(async move {
        let mut lost = false;
        loop {
            let mut listener = match sea_orm::sqlx::postgres::PgListener::connect_with(&pool).await
            {
                Ok(l) => l,
                Err(e) => {
                    tracing::warn!(error = %e, "job progress listener: cannot connect; retrying");
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                    continue;
                }
            };
            if let Err(e) = listener.listen(CHANNEL).await {
                tracing::warn!(error = %e, "job progress listener: cannot listen; retrying");
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                continue;
            }
            if lost {
                tracing::info!("job progress listener: listening again");
                bus.resync();
            }
            // `try_recv` reports a lost connection (`Ok(None)`) instead of reconnecting behind
            // our back, so the gap is known and answered with a resync.
            loop {
                match listener.try_recv().await {
                    Ok(Some(n)) => match serde_json::from_str::<Notice>(n.payload()) {
                        Ok(Notice::State(event)) => bus.deliver(event),
                        Ok(Notice::Changed { job_id }) => reread(&conns, &bus, job_id).await,
                        Err(e) => tracing::warn!(error = %e, "job progress listener: bad payload"),
                    },
                    Ok(None) => {
                        tracing::warn!("job progress listener: connection lost; reconnecting");
                        break;
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "job progress listener: connection lost; reconnecting");
                        break;
                    }
                }
            }
            lost = true;
        }
    });
}

/// Delivers the state of a job whose notification carried only its id. If it cannot be read,
/// subscribers are told to read their jobs themselves rather than miss the change.
async fn reread(conns: &Connections, bus: &EventBus, job_id: Uuid) {
    match job_state(conns, job_id).await {
        Ok(Some(event)) => bus.deliver(event),
        Ok(None) => {}
        Err(e) => {
            tracing::warn!(job = %job_id, error = %e, "job progress listener: cannot read a changed job");
            bus.resync();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(error: Option<String>) -> JobProgress {
        JobProgress {
            job_id: Uuid::nil(),
            user_id: "user_2x".into(),
            status: "error".into(),
            progress: Decimal::new(1250, 2),
            processed_runs: 1,
            processed_results: 2,
            target_results: 100,
            error,
            timeout_at: None,
        }
    }

    #[test]
    fn a_state_that_fits_travels_whole() {
        let s = state(Some("boom".into()));
        let payload = Notice::payload(&s).unwrap_or_default();
        match serde_json::from_str::<Notice>(&payload) {
            Ok(Notice::State(back)) => assert_eq!(back, s),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_state_too_large_for_a_notification_travels_as_its_id() {
        let s = state(Some("é".repeat(5_000)));
        let payload = Notice::payload(&s).unwrap_or_default();
        assert!(payload.len() <= MAX_NOTIFY_PAYLOAD, "{}", payload.len());
        match serde_json::from_str::<Notice>(&payload) {
            Ok(Notice::Changed { job_id }) => assert_eq!(job_id, s.job_id),
            other => panic!("{other:?}"),
        }
    }
}
