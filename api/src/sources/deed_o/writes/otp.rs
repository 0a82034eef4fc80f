//! OTP sign-in of Deed-O (auth database): `requestOtp` and `verifyOtp`.
//!
//! - A request writes a `user_verifications` row (6-digit code, valid 10 minutes, source
//!   `email`) and hands the code to an [`OtpSender`]; the code is never answered.
//! - The answer never tells whether an email has an account, so that `requestOtp` cannot
//!   enumerate accounts: both actions answer a request id for any well-formed email. An email
//!   without an account gets one (`not-verified`, as registering creates it) and a code; a
//!   known account gets a code whatever the action (its holder signs in with it); a deleted
//!   account's request is recorded but no code is sent, and `verifyOtp` refuses it. Every
//!   request so has its row, and the per-email limits below answer alike for every email.
//! - Verifying refuses an expired, already used or wrong code (`UNAUTHENTICATED`).
//! - Attempt limit without a schema change: every wrong code appends one `!` to the stored
//!   `otp_code` (which GraphQL never exposes) inside a transaction that locks the row
//!   (`SELECT … FOR UPDATE` on PostgreSQL, `BEGIN IMMEDIATE` on SQLite), so concurrent attempts
//!   on any replica count exactly; the fifth wrong code also sets `expire_at` to now, which
//!   kills the request. Only the first six characters are the code.
//! - Success marks the row verified, makes a `not-verified` user `verified`, writes a `tokens`
//!   row valid 30 days for the platform, and answers a gateway token for the user.
//! - Per-email limits, so that asking for a new code does not reset the brute-force budget:
//!   over the account's `user_verifications` rows created in the last [`WINDOW_MINUTES`], at
//!   most [`MAX_REQUESTS`] codes are sent and at most [`MAX_WINDOW_FAILURES`] wrong codes are
//!   evaluated (the `!` marks of every row count). Past either limit `requestOtp` and
//!   `verifyOtp` answer `RATE_LIMITED` until enough rows leave the window; a refused attempt
//!   is not evaluated, so even the right code waits. Both operations lock the account's
//!   `users` row first, so concurrent requests on any replica count exactly.

use std::sync::Arc;

use chrono::{DateTime, Duration, FixedOffset, Utc};
use entity::deed_o_auth::sea_orm_active_enums::{
    PlatformTypesEnum, UserVerificationActionsEnum, UsersRolesEnum, UsersStatusesEnum,
};
use entity::deed_o_auth::{tokens, user_verifications, users};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
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
/// The rolling window of the per-email limits.
pub const WINDOW_MINUTES: i64 = 60;
/// Codes sent to one account within the window.
pub const MAX_REQUESTS: usize = 10;
/// Wrong codes evaluated for one account within the window (over all its requests): with
/// 6-digit codes this bounds a guesser to 10 in a million per hour.
pub const MAX_WINDOW_FAILURES: usize = 10;

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
    crate::graphql::write::now().and_utc().fixed_offset()
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

/// Wrong codes recorded on a verification row (one `!` each after the code).
fn failures(otp_code: &str) -> usize {
    otp_code.len().saturating_sub(CODE_LEN)
}

/// The `(created_at, otp_code)` of the account's verification rows created within the
/// window, oldest first.
async fn recent(
    txn: &DatabaseTransaction,
    user: i32,
    at: DateTime<FixedOffset>,
) -> Result<Vec<(DateTime<FixedOffset>, String)>, ApiError> {
    let rows = user_verifications::Entity::find()
        .select_only()
        .column(user_verifications::Column::CreatedAt)
        .column(user_verifications::Column::OtpCode)
        .filter(user_verifications::Column::UserId.eq(user))
        .filter(user_verifications::Column::CreatedAt.gt(at - Duration::minutes(WINDOW_MINUTES)))
        .order_by_asc(user_verifications::Column::CreatedAt)
        .into_tuple::<(DateTime<FixedOffset>, String)>()
        .all(txn)
        .await?;
    Ok(rows)
}

/// Whole minutes (at least 1) until `created` leaves the window.
fn minutes_until_out(created: DateTime<FixedOffset>, at: DateTime<FixedOffset>) -> i64 {
    let left = (created + Duration::minutes(WINDOW_MINUTES) - at).num_seconds();
    ((left + 59) / 60).max(1)
}

/// `RATE_LIMITED` when the account has had [`MAX_WINDOW_FAILURES`] wrong codes in the window,
/// saying when enough of them will have left it.
fn check_failures(
    rows: &[(DateTime<FixedOffset>, String)],
    at: DateTime<FixedOffset>,
) -> Result<(), ApiError> {
    let mut total: usize = rows.iter().map(|(_, c)| failures(c)).sum();
    if total < MAX_WINDOW_FAILURES {
        return Ok(());
    }
    // The oldest rows leave the window first; the limit lifts once the one taking the total
    // below it has left.
    let mut wait = 1;
    for (created, code) in rows {
        total -= failures(code);
        if total < MAX_WINDOW_FAILURES {
            wait = minutes_until_out(*created, at);
            break;
        }
    }
    Err(ApiError::RateLimited(format!(
        "too many wrong codes for this account; try again in {wait} minutes"
    )))
}

/// `RATE_LIMITED` when the account has been sent [`MAX_REQUESTS`] codes in the window.
fn check_requests(
    rows: &[(DateTime<FixedOffset>, String)],
    at: DateTime<FixedOffset>,
) -> Result<(), ApiError> {
    if rows.len() < MAX_REQUESTS {
        return Ok(());
    }
    // One more code may be sent once the row making the count reach the limit has left.
    let index = rows.len() - MAX_REQUESTS;
    let wait = rows
        .get(index)
        .map_or(1, |(created, _)| minutes_until_out(*created, at));
    Err(ApiError::RateLimited(format!(
        "too many codes requested for this account; try again in {wait} minutes"
    )))
}

/// The account of `email`, locked, and whether a code may be sent to it: the existing one
/// (not when deleted), or a new `not-verified` one registered from `platform`. The caller
/// answers alike in every case (see the module doc).
async fn account(
    txn: &DatabaseTransaction,
    email: &str,
    platform: &PlatformTypesEnum,
) -> Result<(i32, bool), ApiError> {
    // Locked so that concurrent requests for one account count each other (see the module doc).
    let existing = users::Entity::find()
        .filter(users::Column::Email.eq(email))
        .lock_exclusive()
        .one(txn)
        .await?;
    if let Some(u) = existing {
        // A deleted account's request is recorded, so that its limits count like any other,
        // but no code goes to it: it could not sign in.
        return Ok((u.id, u.deleted_at.is_none()));
    }
    let at = crate::graphql::write::now();
    let created = users::ActiveModel {
        email: Set(email.to_owned()),
        status: Set(UsersStatusesEnum::NotVerified),
        registration_platform: Set(platform.clone()),
        role: Set(UsersRolesEnum::User),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(txn)
    .await
    .map_err(|e| db_error(e, "an account with this email"))?;
    Ok((created.id, true))
}

/// `requestOtp`: answers the request id, the same way whether the email has an account or not,
/// after sending the code.
pub async fn request(
    db: &DatabaseConnection,
    sender: &dyn OtpSender,
    raw_email: &str,
    action: UserVerificationActionsEnum,
    platform: PlatformTypesEnum,
) -> Result<Uuid, ApiError> {
    let email = email(raw_email)?;
    // Two first requests for one new email race to create its account: the one losing (a
    // unique violation, its transaction dropped and so rolled back) tries once more and finds
    // the other's account, so that neither answers anything but a request id.
    let mut tries = 0;
    let (txn, user, deliver) = loop {
        tries += 1;
        let txn = begin(db).await?;
        match account(&txn, &email, &platform).await {
            Ok((user, deliver)) => break (txn, user, deliver),
            Err(ApiError::Conflict(_)) if tries < 2 => continue,
            Err(e) => return Err(e),
        }
    };
    let at = now();
    let rows = recent(&txn, user, at).await?;
    check_failures(&rows, at)?;
    check_requests(&rows, at)?;
    let id = Uuid::new_v4();
    let code = code();
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
    .await
    .map_err(|e| db_error(e, "the verification request"))?;
    txn.commit().await?;
    if deliver {
        let action = if action == UserVerificationActionsEnum::Register {
            "register"
        } else {
            "login"
        };
        sender.send(&email, action, &code)?;
    }
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
    let missing = || ApiError::NotFound(format!("no verification request {request}"));
    // The account's row is locked before the request's, as `request` locks it, so that the
    // per-email failure count sees every concurrent attempt on any of its requests.
    let owner = user_verifications::Entity::find_by_id(request)
        .select_only()
        .column(user_verifications::Column::UserId)
        .into_tuple::<i32>()
        .one(&txn)
        .await?
        .ok_or_else(missing)?;
    users::Entity::find_by_id(owner)
        .lock_exclusive()
        .one(&txn)
        .await?;
    let row = user_verifications::Entity::find_by_id(request)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or_else(missing)?;
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
    let rows = recent(&txn, row.user_id, at).await?;
    check_failures(&rows, at)?;
    let stored = row.otp_code.get(..CODE_LEN).unwrap_or_default();
    if stored != given {
        let failed = failures(&row.otp_code) + 1;
        let mut m: user_verifications::ActiveModel = row.clone().into();
        m.otp_code = Set(format!("{}!", row.otp_code));
        m.updated_at = Set(at);
        if failed >= MAX_FAILURES {
            m.expire_at = Set(at);
        }
        m.update(&txn).await?;
        txn.commit().await?;
        // What is left: this request's attempts, bounded by the account's window budget.
        let window: usize = rows.iter().map(|(_, c)| failures(c)).sum::<usize>() + 1;
        let (mine, account) = (
            MAX_FAILURES.saturating_sub(failed),
            MAX_WINDOW_FAILURES.saturating_sub(window),
        );
        return Err(ApiError::Unauthenticated(if mine == 0 {
            "wrong code; too many attempts, request a new code".into()
        } else if account == 0 {
            "wrong code; too many wrong codes for this account, try again later".into()
        } else {
            format!("wrong code; {} attempts left", mine.min(account))
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
    // The right code proves the mailbox, whichever action asked for it: a login may have
    // created the account.
    if user.status == UsersStatusesEnum::NotVerified {
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
    .await
    .map_err(|e| db_error(e, "the session"))?;
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
