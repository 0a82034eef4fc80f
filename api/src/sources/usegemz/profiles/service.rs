//! Profile writes and admin reads against `user_profiles` (UG-OP01..OP10).
//!
//! Every write locks the profile row in its own transaction, first writes back a trial whose
//! end has passed (`active` → `expired`, see [`rules`](super::rules)), then applies its change
//! with `updated_at = now` (UTC; the table's trigger would also set it). A refused change
//! still commits that expiry.

use chrono::NaiveDateTime;
use entity::usegemz::user_profiles as up;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    QueryFilter, QuerySelect,
};
use uuid::Uuid;

use super::rules::{Action, Trial, check_step};
use crate::error::ApiError;
use crate::graphql::write::{begin, commit, db_error};

/// A change of a nullable column: `None` keeps it, `Some(None)` clears it, `Some(Some(v))`
/// sets it.
pub type Patch<T> = Option<Option<T>>;

pub use crate::graphql::write::now;

/// A new profile's fields (already checked).
#[derive(Debug, Default)]
pub struct NewProfile {
    /// `email`.
    pub email: Option<String>,
    /// `name`.
    pub name: Option<String>,
    /// `company_name`.
    pub company_name: Option<String>,
    /// `industry`.
    pub industry: Option<String>,
    /// `full_name`.
    pub full_name: Option<String>,
    /// `business_name`.
    pub business_name: Option<String>,
    /// `brand_description`.
    pub brand_description: Option<String>,
    /// `onboarding_step` (a UG-E01 value).
    pub onboarding_step: String,
}

/// Changes of a profile's own fields (already checked).
#[derive(Debug, Default)]
pub struct ProfilePatch {
    /// `email`.
    pub email: Patch<String>,
    /// `name`.
    pub name: Patch<String>,
    /// `company_name`.
    pub company_name: Patch<String>,
    /// `industry`.
    pub industry: Patch<String>,
    /// `full_name`.
    pub full_name: Patch<String>,
    /// `business_name`.
    pub business_name: Patch<String>,
    /// `brand_description`.
    pub brand_description: Patch<String>,
}

impl ProfilePatch {
    fn apply(self, am: &mut up::ActiveModel) {
        fn put(slot: &mut sea_orm::ActiveValue<Option<String>>, p: Patch<String>) {
            if let Some(v) = p {
                *slot = Set(v);
            }
        }
        put(&mut am.email, self.email);
        put(&mut am.name, self.name);
        put(&mut am.company_name, self.company_name);
        put(&mut am.industry, self.industry);
        put(&mut am.full_name, self.full_name);
        put(&mut am.business_name, self.business_name);
        put(&mut am.brand_description, self.brand_description);
    }
}

/// The stored trial of a profile.
pub fn trial_of(m: &up::Model) -> Trial {
    Trial::stored(
        m.trial_status.as_deref(),
        m.subscription_status.as_deref(),
        m.trial_start_date,
        m.trial_end_date,
    )
}

/// The profile of a Clerk user, if any.
pub async fn find(db: &impl ConnectionTrait, user_id: &str) -> Result<Option<up::Model>, ApiError> {
    Ok(up::Entity::find()
        .filter(up::Column::UserId.eq(user_id))
        .one(db)
        .await?)
}

fn missing(user_id: &str) -> ApiError {
    ApiError::NotFound(format!("User profile not found: {user_id}"))
}

/// Locks the profile of `user_id` in `txn` and writes back an expired trial; answers the
/// profile as it now is and whether the expiry was written.
async fn locked(
    txn: &DatabaseTransaction,
    user_id: &str,
    at: NaiveDateTime,
) -> Result<(up::Model, bool), ApiError> {
    let m = up::Entity::find()
        .filter(up::Column::UserId.eq(user_id))
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or_else(|| missing(user_id))?;
    let trial = trial_of(&m);
    if !trial.is_due(at) {
        return Ok((m, false));
    }
    let expired = trial.at(at);
    let am = up::ActiveModel {
        trial_status: Set(Some(expired.status.clone())),
        subscription_status: Set(Some(expired.subscription.clone())),
        updated_at: Set(at),
        ..Default::default()
    };
    update(txn, m.id, am).await?;
    let m = up::Model {
        trial_status: Some(expired.status),
        subscription_status: Some(expired.subscription),
        updated_at: at,
        ..m
    };
    Ok((m, true))
}

async fn update(txn: &DatabaseTransaction, id: Uuid, am: up::ActiveModel) -> Result<(), ApiError> {
    up::Entity::update_many()
        .set(am)
        .filter(up::Column::Id.eq(id))
        .exec(txn)
        .await
        .map_err(|e| db_error(e, "user profile"))?;
    Ok(())
}

/// Ends `txn` after a refused change: commits a written-back expiry, rolls back otherwise.
async fn refuse(txn: DatabaseTransaction, expired: bool, e: ApiError) -> Result<(), ApiError> {
    if expired {
        commit(txn).await?;
    } else {
        txn.rollback().await?;
    }
    Err(e)
}

/// Creates the viewer's profile (UG-OP02); `CONFLICT` when it exists.
pub async fn create(db: &DatabaseConnection, user_id: &str, p: NewProfile) -> Result<(), ApiError> {
    if find(db, user_id).await?.is_some() {
        return Err(ApiError::Conflict(format!(
            "a profile for {user_id} already exists"
        )));
    }
    let at = now();
    let am = up::ActiveModel {
        id: Set(Uuid::new_v4()),
        user_id: Set(user_id.to_owned()),
        email: Set(p.email),
        name: Set(p.name),
        company_name: Set(p.company_name),
        industry: Set(p.industry),
        signup_timestamp: Set(at),
        onboarding_step: Set(p.onboarding_step),
        full_name: Set(p.full_name),
        business_name: Set(p.business_name),
        brand_description: Set(p.brand_description),
        email_schedule_status: Set(Some(serde_json::json!({}))),
        trial_start_date: Set(None),
        trial_end_date: Set(None),
        trial_status: Set(Some("pending".into())),
        stripe_customer_id: NotSet,
        stripe_subscription_id: NotSet,
        subscription_status: Set(Some("none".into())),
        is_admin: Set(Some(false)),
        created_at: Set(at),
        updated_at: Set(at),
    };
    // A concurrent creation of the same profile loses on the unique `user_id`: CONFLICT.
    up::Entity::insert(am)
        .exec_without_returning(db)
        .await
        .map_err(|e| db_error(e, "a profile for this user"))?;
    Ok(())
}

/// Changes the viewer's own profile fields.
pub async fn update_profile(
    db: &DatabaseConnection,
    user_id: &str,
    patch: ProfilePatch,
) -> Result<(), ApiError> {
    let at = now();
    let txn = begin(db).await?;
    let (m, _) = locked(&txn, user_id, at).await?;
    let mut am = up::ActiveModel {
        updated_at: Set(at),
        ..Default::default()
    };
    patch.apply(&mut am);
    update(&txn, m.id, am).await?;
    commit(txn).await?;
    Ok(())
}

/// Moves the viewer's onboarding to `step` (UG-OP03), capturing the given onboarding fields
/// with it; going back needs a `reason` (see [`check_step`]).
pub async fn advance_onboarding(
    db: &DatabaseConnection,
    user_id: &str,
    step: &str,
    reason: Option<&str>,
    capture: ProfilePatch,
) -> Result<(), ApiError> {
    let at = now();
    let txn = begin(db).await?;
    let (m, expired) = locked(&txn, user_id, at).await?;
    if let Err(e) = check_step(&m.onboarding_step, step, reason) {
        return refuse(txn, expired, e).await;
    }
    if let Some(r) = reason.filter(|_| step != m.onboarding_step) {
        tracing::info!(
            target: "gateway::usegemz",
            user = user_id,
            from = %m.onboarding_step,
            to = step,
            reason = r,
            "onboarding step changed with a reason"
        );
    }
    let mut am = up::ActiveModel {
        onboarding_step: Set(step.to_owned()),
        updated_at: Set(at),
        ..Default::default()
    };
    capture.apply(&mut am);
    update(&txn, m.id, am).await?;
    commit(txn).await?;
    Ok(())
}

/// Applies a trial action to the viewer's profile (UG-OP04, UG-OP05).
pub async fn trial(db: &DatabaseConnection, user_id: &str, action: Action) -> Result<(), ApiError> {
    let at = now();
    let txn = begin(db).await?;
    let (m, expired) = locked(&txn, user_id, at).await?;
    let next = match action.apply(&trial_of(&m), at) {
        Ok(t) => t,
        Err(e) => return refuse(txn, expired, e).await,
    };
    let am = up::ActiveModel {
        trial_status: Set(Some(next.status)),
        subscription_status: Set(Some(next.subscription)),
        trial_start_date: Set(next.start),
        trial_end_date: Set(next.end),
        updated_at: Set(at),
        ..Default::default()
    };
    update(&txn, m.id, am).await?;
    commit(txn).await?;
    Ok(())
}

/// Sets `is_admin` of `target`'s profile (UG-OP08, UG-OP09). Demoting the last admin is
/// refused: the admin rows are locked first, so two admins demoting each other at once cannot
/// leave none.
pub async fn set_admin(db: &DatabaseConnection, target: &str, admin: bool) -> Result<(), ApiError> {
    let at = now();
    let txn = begin(db).await?;
    let admins: Vec<String> = if admin {
        Vec::new()
    } else {
        up::Entity::find()
            .filter(up::Column::IsAdmin.eq(true))
            .lock_exclusive()
            .all(&txn)
            .await?
            .into_iter()
            .map(|m| m.user_id)
            .collect()
    };
    let (m, expired) = locked(&txn, target, at).await?;
    if m.is_admin.unwrap_or(false) == admin {
        commit(txn).await?;
        return Ok(());
    }
    if !admin && admins.iter().all(|a| a == target) {
        let e = ApiError::input("userId", "the last admin cannot be demoted");
        return refuse(txn, expired, e).await;
    }
    let am = up::ActiveModel {
        is_admin: Set(Some(admin)),
        updated_at: Set(at),
        ..Default::default()
    };
    update(&txn, m.id, am).await?;
    commit(txn).await?;
    Ok(())
}

/// One admin as UG-OP10 lists them.
#[derive(Debug, Clone)]
pub struct AdminRow {
    /// Clerk user id.
    pub user_id: String,
    /// `full_name`.
    pub full_name: Option<String>,
    /// `email`.
    pub email: Option<String>,
    /// `is_admin` (always true here).
    pub is_admin: bool,
    /// `updated_at`.
    pub updated_at: NaiveDateTime,
}

/// Every profile with `is_admin`, by full name (unnamed last), then user id (UG-OP10).
pub async fn admins(db: &impl ConnectionTrait) -> Result<Vec<AdminRow>, ApiError> {
    let mut out: Vec<AdminRow> = up::Entity::find()
        .filter(up::Column::IsAdmin.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|m| AdminRow {
            user_id: m.user_id,
            full_name: m.full_name,
            email: m.email,
            is_admin: m.is_admin.unwrap_or(false),
            updated_at: m.updated_at,
        })
        .collect();
    out.sort_by(|a, b| {
        (a.full_name.is_none(), &a.full_name, &a.user_id).cmp(&(
            b.full_name.is_none(),
            &b.full_name,
            &b.user_id,
        ))
    });
    Ok(out)
}
