//! Shared pieces of the write paths: transactions that take the write lock up front, and the
//! mapping of constraint violations to error codes.

use sea_orm::{
    AccessMode, DatabaseConnection, DatabaseTransaction, DbErr, SqlErr, SqliteTransactionMode,
    TransactionOptions, TransactionTrait,
};

use crate::error::ApiError;

/// Begins a write transaction. On SQLite it is `BEGIN IMMEDIATE`: a deferred transaction that
/// reads first and writes later fails with `SQLITE_BUSY` under concurrent writers instead of
/// waiting for the lock.
pub async fn begin(db: &DatabaseConnection) -> Result<DatabaseTransaction, ApiError> {
    let options = TransactionOptions {
        isolation_level: None,
        access_mode: Some(AccessMode::ReadWrite),
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
    };
    db.begin_with_options(options).await.map_err(ApiError::from)
}

/// Maps a database error of a write: unique violations are `CONFLICT`, foreign key violations
/// `NOT_FOUND`, anything else `INTERNAL`.
pub fn db_error(e: DbErr, what: &str) -> ApiError {
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

/// The current time as the gateway stores it: `timestamp` without zone, UTC throughout.
pub fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}
