//! The gateway's error policy.
//!
//! Every error a client sees is an [`ApiError`] with a stable `extensions.code`. Database and
//! internal failures are logged with their detail and answered as `INTERNAL` without it, so no
//! raw database message reaches a client. A database that cannot take the request now (down,
//! every pooled connection busy past the acquire deadline, SQLite's write lock held past its
//! busy timeout) is `UNAVAILABLE`: retrying shortly can succeed, and a request that fails
//! only for it is answered `503` with `Retry-After`.

use std::sync::Arc;

use async_graphql::ErrorExtensions;

/// An error answered to a GraphQL client.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No valid credentials were presented where they are needed.
    #[error("{0}")]
    Unauthenticated(String),
    /// The viewer may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The addressed object does not exist (or is not visible to the viewer).
    #[error("{0}")]
    NotFound(String),
    /// The request's input is invalid; `field` names the offending argument when known.
    #[error("{message}")]
    BadUserInput {
        /// What is wrong.
        message: String,
        /// The argument or input field at fault.
        field: Option<String>,
    },
    /// The write conflicts with existing data (a unique constraint).
    #[error("{0}")]
    Conflict(String),
    /// Too many attempts of this kind in a recent window; trying again later can succeed.
    #[error("{0}")]
    RateLimited(String),
    /// A database failure; the detail is logged, never answered. `UNAVAILABLE` when the
    /// database could not be reached or had no connection free in time, `INTERNAL` otherwise.
    #[error("{}", database_message(.0))]
    Database(#[from] sea_orm::DbErr),
    /// The connection was lost while a write's `COMMIT` was on its way: the database may or may
    /// not have applied it, and only reading it back can tell.
    #[error(
        "the database connection was lost while the write was being committed: it may or may \
         not have been applied; read it back before trying again"
    )]
    CommitUnknown(sea_orm::DbErr),
    /// A write that failed and was rolled back: nothing of it was kept. Answered with the
    /// inner error's code.
    #[error("{0}; the write was not committed")]
    NotCommitted(Box<ApiError>),
    /// One error answered to every resolver waiting on the same batch of the loader; it keeps
    /// the code and message of the error it shares.
    #[error("{0}")]
    Shared(Arc<ApiError>),
    /// Any other internal failure; the detail is logged, never answered.
    #[error("internal error")]
    Internal(String),
}

/// What a client is told of a database failure: whether trying again can help, nothing more.
fn database_message(e: &sea_orm::DbErr) -> &'static str {
    if unavailable(e) {
        "the database is unavailable; try again shortly"
    } else if sqlstate(e).is_some_and(|c| c == "57014") {
        "the request ran longer than the database statement timeout allows; ask for less"
    } else {
        "database error"
    }
}

/// The SQLSTATE of a statement the database refused, if that is what `e` is.
fn sqlstate(e: &sea_orm::DbErr) -> Option<String> {
    use sea_orm::sqlx::Error as Sqlx;
    use sea_orm::{DbErr, RuntimeErr};
    let (DbErr::Query(RuntimeErr::SqlxError(sqlx)) | DbErr::Exec(RuntimeErr::SqlxError(sqlx))) = e
    else {
        return None;
    };
    match sqlx.as_ref() {
        Sqlx::Database(d) => d.code().map(|c| c.into_owned()),
        _ => None,
    }
}

/// SQLite's `SQLITE_BUSY` and `SQLITE_LOCKED` (with their extended codes): the write lock was
/// held by others past the busy timeout, which is overload, not a failed statement.
const SQLITE_BUSY: [&str; 6] = ["5", "6", "261", "262", "517", "773"];

/// Whether `e` says the database cannot be reached or cannot take the request now (no
/// connection, no pooled connection free within the acquire deadline, a connection lost
/// mid-statement, the server shutting down, SQLite busy) rather than that a statement failed.
pub(crate) fn unavailable(e: &sea_orm::DbErr) -> bool {
    use sea_orm::sqlx::Error as Sqlx;
    use sea_orm::{DbErr, RuntimeErr};
    let runtime = match e {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => return true,
        DbErr::Query(r) | DbErr::Exec(r) => r,
        _ => return false,
    };
    let RuntimeErr::SqlxError(sqlx) = runtime else {
        return false;
    };
    match sqlx.as_ref() {
        Sqlx::Io(_) | Sqlx::PoolTimedOut | Sqlx::PoolClosed | Sqlx::WorkerCrashed => true,
        // SQLSTATE classes 08 (connection exception) and 57 (operator intervention: shutdown).
        Sqlx::Database(d) => d.code().is_some_and(|c| {
            c.starts_with("08") || c.starts_with("57P") || SQLITE_BUSY.contains(&c.as_ref())
        }),
        _ => false,
    }
}

impl ApiError {
    /// A `BAD_USER_INPUT` error about `field`.
    pub fn input(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::BadUserInput {
            message: message.into(),
            field: Some(field.into()),
        }
    }

    /// The stable code answered in `extensions.code`.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Unauthenticated(_) => "UNAUTHENTICATED",
            ApiError::Forbidden(_) => "FORBIDDEN",
            ApiError::NotFound(_) => "NOT_FOUND",
            ApiError::BadUserInput { .. } => "BAD_USER_INPUT",
            ApiError::Conflict(_) => "CONFLICT",
            ApiError::RateLimited(_) => "RATE_LIMITED",
            ApiError::Database(e) if unavailable(e) => "UNAVAILABLE",
            ApiError::CommitUnknown(_) => "UNAVAILABLE",
            ApiError::NotCommitted(inner) => inner.code(),
            ApiError::Shared(inner) => inner.code(),
            ApiError::Database(_) | ApiError::Internal(_) => "INTERNAL",
        }
    }

    /// The argument an input error names.
    fn field(&self) -> Option<&str> {
        match self {
            ApiError::BadUserInput { field: Some(f), .. } => Some(f),
            ApiError::NotCommitted(inner) => inner.field(),
            ApiError::Shared(inner) => inner.field(),
            _ => None,
        }
    }

    /// Whether trying the same request again shortly can succeed (code `UNAVAILABLE`).
    pub fn retryable(&self) -> bool {
        self.code() == "UNAVAILABLE"
    }

    /// This error for a write that was rolled back: a database or internal failure then says
    /// that nothing was kept (a refusal such as `NOT_FOUND` or `CONFLICT` already implies it).
    pub fn not_committed(self) -> Self {
        let failure = |e: &ApiError| matches!(e, ApiError::Database(_) | ApiError::Internal(_));
        match self {
            ApiError::Shared(inner) if failure(inner.as_ref()) => {
                ApiError::NotCommitted(Box::new(ApiError::Shared(inner)))
            }
            e if failure(&e) => ApiError::NotCommitted(Box::new(e)),
            e => e,
        }
    }
}

/// Logs the detail of an error that is answered without it.
fn log(e: &ApiError) {
    match e {
        ApiError::Database(d) if unavailable(d) => {
            tracing::warn!(error = %d, "database unavailable")
        }
        ApiError::Database(d) => tracing::error!(error = %d, "database error"),
        ApiError::CommitUnknown(d) => tracing::error!(error = %d, "commit outcome unknown"),
        ApiError::Internal(d) => tracing::error!(error = %d, "internal error"),
        ApiError::NotCommitted(inner) => log(inner),
        // Logged once, where the batch failed.
        _ => {}
    }
}

impl ErrorExtensions for ApiError {
    fn extend(&self) -> async_graphql::Error {
        log(self);
        async_graphql::Error::new(self.to_string()).extend_with(|_, ext| {
            ext.set("code", self.code());
            if let Some(f) = self.field() {
                ext.set("field", f);
            }
        })
    }
}

/// Converts an [`ApiError`] result into a GraphQL result that keeps `extensions.code` (the
/// blanket `From<Display>` conversion of async-graphql would drop it).
pub trait OrGql<T> {
    /// The result with the error carried as a GraphQL error with its code.
    fn gql(self) -> async_graphql::Result<T>;
}

impl<T> OrGql<T> for Result<T, ApiError> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(|e| e.extend())
    }
}
