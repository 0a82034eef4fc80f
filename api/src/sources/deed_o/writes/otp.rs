//! OTP sign-in of Deed-O (auth database): `requestOtp` and `verifyOtp`.
//!
//! - A request writes a `user_verifications` row (6-digit code, valid 10 minutes, source
//!   `email`) and hands the code to an [`OtpSender`]; the code is never answered.
//! - Registering creates the user (`not-verified`) when the email is new and is `CONFLICT`
//!   otherwise; logging in needs an existing, not deleted user (`NOT_FOUND`).
//! - Verifying refuses an expired, already used or wrong code (`UNAUTHENTICATED`).
//! - Attempt limit without a schema change: every wrong code appends one `!` to the stored
//!   `otp_code` (which GraphQL never exposes) inside a transaction that locks the row
//!   (`SELECT … FOR UPDATE` on PostgreSQL, `BEGIN IMMEDIATE` on SQLite), so concurrent attempts
//!   on any replica count exactly; the fifth wrong code also sets `expire_at` to now, which
//!   kills the request. Only the first six characters are the code.
//! - Success marks the row verified, makes a registering user `verified`, writes a `tokens`
//!   row valid 30 days for the platform, and answers a gateway token for the user.

use std::sync::Arc;

use chrono::{DateTime, Duration, FixedOffset, Utc};
use entity::deed_o_auth::sea_orm_active_enums::{
    PlatformTypesEnum, UserVerificationActionsEnum, UsersRolesEnum, UsersStatusesEnum,
};
use entity::deed_o_auth::{tokens, user_verifications, users};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect,
};
use uuid::Uuid;

use crate::error::ApiError;
use crate::graphql::write::{begin, db_error};

/// How long a code is valid.
pub const CODE_MINUTES: i64 = 10;
/// How long a session (its `tokens` row and bearer token) is valid.
pub const SESSION_DAYS: i64 = 30;
/// Wrong codes after which a request is dead.
pub const MAX_FAILURES: usize = 5;
/// Length of a code.
const CODE_LEN: usize = 6;

/// Delivers a one-time code to a user. Embedders register an `Arc<dyn OtpSender>` as schema
/// data; without one, [`LogSender`] is used.
pub trait OtpSender: Send + Sync {
    /// Sends `code` for `action` to `email`.
    fn send(&self, email: &str, action: &str, code: &str) -> Result<(), ApiError>;
}

/// The development sender: logs the code with `tracing`.
#[derive(Debug, Default)]
pub struct LogSender;

impl OtpSender for LogSender {
    fn send(&self, email: &str, action: &str, code: &str) -> Result<(), ApiError> {
        tracing::info!(target: "gateway::deed_o::otp", %email, %action, %code, "one-time code");
        Ok(())
    }
}

/// The sender of a request: the registered one, else [`LogSender`].
pub fn sender(registered: Option<&Arc<dyn OtpSender>>) -> Arc<dyn OtpSender> {
    registered.cloned().unwrap_or_else(|| Arc::new(LogSender))
}

/// A verified sign-in.
#[derive(Debug, Clone)]
pub struct Session {
    /// The user.
    pub user: i32,
    /// The session's `tokens` row, bound into the bearer token (`sid`).
    pub token: i32,
    /// When the session ends.
    pub expires_at: DateTime<Utc>,
}

fn now() -> DateTime<FixedOffset> {
    Utc::now().fixed_offset()
}

/// A random 6-digit code.
fn code() -> String {
    let n = Uuid::new_v4().as_u128() % 1_000_000;
    format!("{n:06}")
}

/// Checks and normalises an email address.
fn email(raw: &str) -> Result<String, ApiError> {
    let e = raw.trim().to_lowercase();
    let ok = e.len() <= 320
        && e.split_once('@')
            .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.starts_with('.'))
        && !e.contains(char::is_whitespace);
    if ok {
        Ok(e)
    } else {
        Err(ApiError::input("email", "not an email address"))
    }
}

/// `requestOtp`: answers the request id after sending the code.
pub async fn request(
    db: &DatabaseConnection,
    sender: &dyn OtpSender,
    raw_email: &str,
    action: UserVerificationActionsEnum,
    platform: PlatformTypesEnum,
) -> Result<Uuid, ApiError> {
    let email = email(raw_email)?;
    let txn = begin(db).await?;
    let existing = users::Entity::find()
        .filter(users::Column::Email.eq(email.as_str()))
        .one(&txn)
        .await?;
    let user = match (&action, existing) {
        (UserVerificationActionsEnum::Register, Some(_)) => {
            return Err(ApiError::Conflict(
                "an account with this email already exists".into(),
            ));
        }
        (UserVerificationActionsEnum::Register, None) => {
            let at = Utc::now().naive_utc();
            users::ActiveModel {
                email: Set(email.clone()),
                status: Set(UsersStatusesEnum::NotVerified),
                registration_platform: Set(platform.clone()),
                role: Set(UsersRolesEnum::User),
                created_at: Set(at),
                updated_at: Set(at),
                ..Default::default()
            }
            .insert(&txn)
            .await
            .map_err(|e| db_error(e, "an account with this email"))?
            .id
        }
        (UserVerificationActionsEnum::Login, Some(u)) if u.deleted_at.is_none() => u.id,
        (UserVerificationActionsEnum::Login, _) => {
            return Err(ApiError::NotFound("no account with this email".into()));
        }
    };
    let id = Uuid::new_v4();
    let code = code();
    let at = now();
    user_verifications::ActiveModel {
        id: Set(id),
        user_id: Set(user),
        otp_code: Set(code.clone()),
        verification_source: Set("email".into()),
        action_platform: Set(platform),
        action: Set(action.clone()),
        verified: Set(false),
        expire_at: Set(at + Duration::minutes(CODE_MINUTES)),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    let action = if action == UserVerificationActionsEnum::Register {
        "register"
    } else {
        "login"
    };
    sender.send(&email, action, &code)?;
    Ok(id)
}

/// `verifyOtp`: the session of a right, unexpired, unused code.
pub async fn verify(
    db: &DatabaseConnection,
    request: Uuid,
    given: &str,
) -> Result<Session, ApiError> {
    let given = given.trim();
    if given.len() != CODE_LEN || !given.chars().all(|c| c.is_ascii_digit()) {
        return Err(ApiError::input("code", "a code is 6 digits"));
    }
    let txn = begin(db).await?;
    let row = user_verifications::Entity::find_by_id(request)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no verification request {request}")))?;
    if row.verified {
        return Err(ApiError::Unauthenticated(
            "this code was already used".into(),
        ));
    }
    let at = now();
    if row.expire_at <= at {
        return Err(ApiError::Unauthenticated(
            "this code has expired; request a new one".into(),
        ));
    }
    let stored = row.otp_code.get(..CODE_LEN).unwrap_or_default();
    if stored != given {
        let failures = row.otp_code.len().saturating_sub(CODE_LEN) + 1;
        let mut m: user_verifications::ActiveModel = row.clone().into();
        m.otp_code = Set(format!("{}!", row.otp_code));
        m.updated_at = Set(at);
        if failures >= MAX_FAILURES {
            m.expire_at = Set(at);
        }
        m.update(&txn).await?;
        txn.commit().await?;
        return Err(ApiError::Unauthenticated(if failures >= MAX_FAILURES {
            "wrong code; too many attempts, request a new code".into()
        } else {
            format!("wrong code; {} attempts left", MAX_FAILURES - failures)
        }));
    }
    let user = users::Entity::find_by_id(row.user_id)
        .one(&txn)
        .await?
        .filter(|u| u.deleted_at.is_none())
        .ok_or_else(|| ApiError::NotFound("the account no longer exists".into()))?;
    let mut m: user_verifications::ActiveModel = row.clone().into();
    m.verified = Set(true);
    m.updated_at = Set(at);
    m.update(&txn).await?;
    if row.action == UserVerificationActionsEnum::Register
        && user.status != UsersStatusesEnum::Verified
    {
        let mut u: users::ActiveModel = user.clone().into();
        u.status = Set(UsersStatusesEnum::Verified);
        u.updated_at = Set(at.naive_utc());
        u.update(&txn).await?;
    }
    let expires = at + Duration::days(SESSION_DAYS);
    let token = tokens::ActiveModel {
        user_id: Set(user.id),
        expire_at: Set(expires),
        platform_type: Set(row.action_platform.clone()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(Session {
        user: user.id,
        token: token.id,
        expires_at: expires.with_timezone(&Utc),
    })
}

/// Deletes the session row `sid`; whether it existed.
pub async fn sign_out(db: &DatabaseConnection, sid: i32) -> Result<bool, ApiError> {
    let done = tokens::Entity::delete_by_id(sid).exec(db).await?;
    Ok(done.rows_affected > 0)
}
