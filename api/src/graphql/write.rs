//! Shared pieces of the write paths: transactions that take the write lock up front, their
//! commit (held open for the read-back of the written row, see [`held`]), and the mapping of
//! constraint violations to error codes.
//!
//! The rule every mutation follows: a write that committed is answered with its result, and a
//! write that did not commit is answered with an error that says so. A mutation answering a
//! row runs its write under [`held`]: the write's last transaction is not committed when the
//! write ends but handed back, the row is read back through the read layer inside it (the
//! viewer's access rules apply as to any read), and only then is it committed. A concurrent
//! write that removes the row can therefore only do so after the answer was read; a failed
//! read-back rolls the write back and says so, and a lost connection during `COMMIT` is
//! answered as an unknown outcome (`UNAVAILABLE`, see [`ApiError::CommitUnknown`]).

use std::future::Future;
use std::sync::{Arc, Mutex};

use sea_orm::{
    AccessMode, DatabaseConnection, DatabaseTransaction, DbErr, SqlErr, SqliteTransactionMode,
    TransactionOptions, TransactionTrait,
};

use crate::error::{ApiError, unavailable};

/// What a [`held`] write left so far: its uncommitted last transaction, and whether an
/// earlier one of it was committed already.
#[derive(Default)]
struct Held {
    txn: Option<DatabaseTransaction>,
    committed: bool,
}

/// Where [`commit`] leaves a transaction while a [`held`] write runs.
type Slot = Arc<Mutex<Held>>;

tokio::task_local! {
    /// The slot of the [`held`] write running on this task, if any.
    static HELD: Slot;
}

fn lock(slot: &Slot) -> std::sync::MutexGuard<'_, Held> {
    // Only a transaction and a flag are put and taken under the lock: a poisoned lock is still
    // consistent.
    slot.lock().unwrap_or_else(|e| e.into_inner())
}

/// The slot of the [`held`] write running on this task.
fn slot() -> Option<Slot> {
    HELD.try_with(Slot::clone).ok()
}

/// Commits the transaction held in `slot`, if any, recording that something was committed.
async fn finish_held(slot: &Slot) -> Result<(), ApiError> {
    let earlier = lock(slot).txn.take();
    if let Some(earlier) = earlier {
        finish(earlier).await?;
        lock(slot).committed = true;
    }
    Ok(())
}

/// Begins a write transaction. On SQLite it is `BEGIN IMMEDIATE`: a deferred transaction that
/// reads first and writes later fails with `SQLITE_BUSY` under concurrent writers instead of
/// waiting for the lock.
///
/// Under [`held`], a transaction the write committed before is final once it begins another
/// (only the last one is held for the read-back): it is committed now, so that the new one does
/// not wait for its lock.
pub async fn begin(db: &DatabaseConnection) -> Result<DatabaseTransaction, ApiError> {
    if let Some(slot) = slot() {
        finish_held(&slot).await?;
    }
    // SQLite has no access modes (and the library warns on every write when one is given).
    let sqlite = db.get_database_backend() == sea_orm::DbBackend::Sqlite;
    let options = TransactionOptions {
        isolation_level: None,
        access_mode: (!sqlite).then_some(AccessMode::ReadWrite),
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
    };
    db.begin_with_options(options)
        .await
        .map_err(|e| ApiError::from(e).not_committed())
}

/// Commits a write transaction; under [`held`], hands it to the caller of `held` instead, who
/// reads the written row back inside it before committing it.
pub async fn commit(txn: DatabaseTransaction) -> Result<(), ApiError> {
    let Some(slot) = slot() else {
        return finish(txn).await;
    };
    // Two transactions open at once: the earlier one is final when the later one commits.
    finish_held(&slot).await?;
    lock(&slot).txn = Some(txn);
    Ok(())
}

/// Commits `txn` now. A connection lost during `COMMIT` leaves the outcome unknown and says
/// so; any other failure means the database rolled it back.
pub async fn finish(txn: DatabaseTransaction) -> Result<(), ApiError> {
    txn.commit().await.map_err(|e| {
        if unavailable(&e) {
            ApiError::CommitUnknown(e)
        } else {
            ApiError::Database(e).not_committed()
        }
    })
}

/// Rolls `txn` back; a failure to say so is only logged (the server drops the transaction
/// with its connection either way).
pub async fn abandon(txn: DatabaseTransaction) {
    if let Err(e) = txn.rollback().await {
        tracing::warn!(error = %e, "rolling back a write failed");
    }
}

/// Runs `write` holding its last transaction open: answers the write's result and that
/// transaction, not yet committed (`None` when the write committed nothing through
/// [`commit`]). The caller must [`finish`] or [`abandon`] it. A failed write has its held
/// transaction committed here (what it committed before failing stays, as without `held`);
/// when nothing of it was committed, its error says so.
pub async fn held<T>(
    write: impl Future<Output = Result<T, ApiError>>,
) -> Result<(T, Option<DatabaseTransaction>), ApiError> {
    let slot: Slot = Arc::new(Mutex::new(Held::default()));
    let result = HELD.scope(slot.clone(), write).await;
    match result {
        Ok(v) => {
            let txn = lock(&slot).txn.take();
            Ok((v, txn))
        }
        Err(e) => {
            finish_held(&slot).await?;
            if lock(&slot).committed {
                Err(e)
            } else {
                Err(e.not_committed())
            }
        }
    }
}

/// Maps a database error of a write: unique violations are `CONFLICT`, foreign key violations
/// and an update of a row removed meanwhile `NOT_FOUND`, anything else `INTERNAL`
/// (`UNAVAILABLE` when the database could not be reached).
pub fn db_error(e: DbErr, what: &str) -> ApiError {
    if matches!(e, DbErr::RecordNotUpdated) {
        return ApiError::NotFound(format!("{what} was removed by a concurrent write"));
    }
    match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => {
            ApiError::Conflict(format!("{what} already exists"))
        }
        Some(SqlErr::ForeignKeyConstraintViolation(_)) => {
            ApiError::NotFound(format!("{what} refers to a missing row"))
        }
        _ => ApiError::Database(e),
    }
}

/// The current time as the gateway stores it: `timestamp` without zone, UTC throughout, at
/// microseconds (PostgreSQL's precision; SQLite would keep nanoseconds that no answer,
/// cursor or filter carries, so a row would compare after the value answered for it).
pub fn now() -> chrono::NaiveDateTime {
    use chrono::SubsecRound;
    chrono::Utc::now().naive_utc().trunc_subsecs(6)
}
