//! Live events: scraping job progress, fanned out to subscribers.
//!
//! A change is published after its transaction commits. On PostgreSQL the gateway sends it
//! with `pg_notify` on [`CHANNEL`], and every gateway replica listening on that channel — this
//! one included — hands it to its subscribers; so an update made through one replica reaches
//! the subscribers of all. On SQLite (one process) it goes straight to the in-process channel.

use std::sync::Arc;

use entity::usegemz::scraping_jobs;
use migration::Database;
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, Statement};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use uuid::Uuid;

use crate::db::Connections;
use crate::error::ApiError;

/// The PostgreSQL notification channel of job progress.
pub const CHANNEL: &str = "usegemz_job_progress";

/// The state of a scraping job after a change.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct JobProgress {
    /// The job.
    pub job_id: Uuid,
    /// Its owner's Clerk id (subscribers see only their own jobs).
    pub user_id: String,
    /// Stored status.
    pub status: String,
    /// Progress percentage (0–100).
    pub progress: f64,
    /// API calls made.
    pub processed_runs: i32,
    /// Creators found.
    pub processed_results: i32,
    /// Target number of creators.
    pub target_results: i32,
    /// Error text of a failed job.
    pub error: Option<String>,
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

/// The current state of a job as an event (`None`: no such job).
pub async fn job_state(conns: &Connections, job_id: Uuid) -> Result<Option<JobProgress>, ApiError> {
    let db = conns.get(Database::Usegemz)?;
    let Some(job) = scraping_jobs::Entity::find_by_id(job_id).one(db).await? else {
        return Ok(None);
    };
    use rust_decimal::prelude::ToPrimitive;
    Ok(Some(JobProgress {
        job_id,
        user_id: job.user_id,
        status: job.status,
        progress: job.progress.and_then(|p| p.to_f64()).unwrap_or(0.0),
        processed_runs: job.processed_runs,
        processed_results: job.processed_results,
        target_results: job.target_results,
        error: job.error,
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
            let payload = serde_json::to_string(&event)
                .map_err(|e| ApiError::Internal(format!("event: {e}")))?;
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
                    Ok(Some(n)) => match serde_json::from_str::<JobProgress>(n.payload()) {
                        Ok(event) => bus.deliver(event),
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
