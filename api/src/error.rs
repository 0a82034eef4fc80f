//! The gateway's error policy.
//!
//! Every error a client sees is an [`ApiError`] with a stable `extensions.code`. Database and
//! internal failures are logged with their detail and answered as `INTERNAL` without it, so no
//! raw database message reaches a client.

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
    /// A database failure; the detail is logged, never answered.
    #[error("{}", database_message(.0))]
    Database(#[from] sea_orm::DbErr),
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

/// Whether `e` says the database cannot be reached (no connection, a connection lost
/// mid-statement, the server shutting down) rather than that a statement failed.
fn unavailable(e: &sea_orm::DbErr) -> bool {
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
        Sqlx::Database(d) => d
            .code()
            .is_some_and(|c| c.starts_with("08") || c.starts_with("57P")),
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
            ApiError::Database(_) | ApiError::Internal(_) => "INTERNAL",
        }
    }
}

impl ErrorExtensions for ApiError {
    fn extend(&self) -> async_graphql::Error {
        match self {
            ApiError::Database(e) => tracing::error!(error = %e, "database error"),
            ApiError::Internal(e) => tracing::error!(error = %e, "internal error"),
            _ => {}
        }
        async_graphql::Error::new(self.to_string()).extend_with(|_, ext| {
            ext.set("code", self.code());
            if let ApiError::BadUserInput { field: Some(f), .. } = self {
                ext.set("field", f.as_str());
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
