//! Head Shakers writes: the viewer's profile and settings, content reports and their
//! moderation, featured content and platform settings.
//!
//! Every input is checked against the seed's limits before anything is written, and every
//! write that spans statements runs in one transaction. Roles are, as a development rule until
//! they come from data, the roles of the viewer's token: `admin` (see `Viewer::is_admin`) and
//! `moderator`.

use chrono::NaiveDateTime;
use entity::head_shakers::sea_orm_active_enums as en;
use entity::head_shakers::{
    content_reports, featured_content, notification_settings, platform_settings, user_settings,
    users,
};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QuerySelect, SqlErr,
};
use uuid::Uuid;

use super::enums::PRIVACY_LEVEL;
use super::write::{now, parse, target_owner};
use crate::error::ApiError;
use crate::graphql::sql::Scope;
use crate::graphql::write::{begin, commit, db_error};

/// A change of a nullable column: `None` keeps it, `Some(None)` clears it, `Some(Some(v))`
/// sets it.
pub type Patch<T> = Option<Option<T>>;

/// `BAD_USER_INPUT` on `field` when `value` is longer than `max` characters.
fn check_len(field: &str, value: &str, max: usize) -> Result<(), ApiError> {
    if value.chars().count() > max {
        return Err(ApiError::input(
            field,
            format!("{field} has at most {max} characters"),
        ));
    }
    Ok(())
}

/// Like [`check_len`], and the value must not be blank.
fn check_required(field: &str, value: &str, max: usize) -> Result<(), ApiError> {
    if value.trim().is_empty() {
        return Err(ApiError::input(field, format!("{field} cannot be blank")));
    }
    check_len(field, value, max)
}

fn check_opt(field: &str, value: Option<&String>, max: usize) -> Result<(), ApiError> {
    value.map_or(Ok(()), |v| check_len(field, v, max))
}

fn check_patch(field: &str, value: &Patch<String>, max: usize) -> Result<(), ApiError> {
    check_opt(field, value.as_ref().and_then(Option::as_ref), max)
}

/// The enum value stored as `s`, or `BAD_USER_INPUT` on `field`.
fn enum_in<E>(field: &str, s: &str) -> Result<E, ApiError>
where
    E: sea_orm::ActiveEnum<Value = sea_orm::sea_query::Enum> + sea_orm::Iterable,
{
    parse::<E>(s).ok_or_else(|| ApiError::input(field, format!("{s} is not a valid {field}")))
}

fn internal(e: sea_orm::DbErr) -> ApiError {
    ApiError::Internal(e.to_string())
}

/// `FORBIDDEN` unless `allowed`.
pub fn require(allowed: bool, who: &str) -> Result<(), ApiError> {
    if allowed {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!("only {who} may do this")))
    }
}

/// Changes to the viewer's profile (`users` row); absent fields keep their value.
#[derive(Debug, Default)]
pub struct Profile {
    /// Unique handle, 1 to 50 characters.
    pub username: Option<String>,
    /// Name shown, 1 to 100 characters.
    pub display_name: Option<String>,
    /// Up to 500 characters.
    pub bio: Patch<String>,
    /// Up to 100 characters (HS-A13).
    pub avatar_url: Patch<String>,
    /// Up to 100 characters.
    pub location: Patch<String>,
}

/// Updates the viewer's profile and touches `last_active_at` (HS-OP17, HS-OP20); a taken
/// username is `CONFLICT`.
pub async fn update_profile(
    db: &DatabaseConnection,
    actor: Uuid,
    p: Profile,
) -> Result<(), ApiError> {
    if let Some(u) = &p.username {
        check_required("username", u, 50)?;
    }
    if let Some(d) = &p.display_name {
        check_required("displayName", d, 100)?;
    }
    check_patch("bio", &p.bio, 500)?;
    check_patch("avatarUrl", &p.avatar_url, 100)?;
    check_patch("location", &p.location, 100)?;
    let at = now();
    let mut am = users::ActiveModel {
        last_active_at: Set(Some(at)),
        updated_at: Set(Some(at)),
        ..Default::default()
    };
    if let Some(u) = p.username {
        am.username = Set(u);
    }
    if let Some(d) = p.display_name {
        am.display_name = Set(d);
    }
    if let Some(b) = p.bio {
        am.bio = Set(b);
    }
    if let Some(a) = p.avatar_url {
        am.avatar_url = Set(a);
    }
    if let Some(l) = p.location {
        am.location = Set(l);
    }
    // A transaction of its own, so that the answer is read back before it commits.
    let txn = begin(db).await?;
    let changed = users::Entity::update_many()
        .set(am)
        .filter(users::Column::Id.eq(actor))
        .filter(users::Column::IsDeleted.eq(false))
        .exec(&txn)
        .await
        .map_err(|e| db_error(e, "a user with this username"))?
        .rows_affected;
    if changed == 0 {
        return Err(ApiError::NotFound(format!("no user {actor}")));
    }
    commit(txn).await
}

/// Changes to the viewer's `user_settings`; absent fields keep their value (enum values and
/// `default_item_privacy` as stored strings).
#[derive(Debug, Default)]
pub struct Settings {
    /// `privacy_level` value.
    pub profile_visibility: Option<String>,
    /// `comment_permission` value.
    pub allow_comments: Option<String>,
    /// `dm_permission` value.
    pub allow_direct_messages: Option<String>,
    /// `theme` value.
    pub theme: Option<String>,
    /// The boolean columns to set.
    pub flags: Vec<(user_settings::Column, bool)>,
    /// Up to 10 characters.
    pub language: Option<String>,
    /// Up to 50 characters.
    pub timezone: Option<String>,
    /// Up to 10 characters.
    pub currency: Option<String>,
    /// One of the `privacy_level` values (HS-A15).
    pub default_item_privacy: Option<String>,
}

/// Upserts the viewer's settings row: created with the defaults when absent, then changed
/// (HS-OP21); answers its id.
pub async fn update_settings(
    db: &DatabaseConnection,
    actor: Uuid,
    s: Settings,
) -> Result<Uuid, ApiError> {
    check_opt("language", s.language.as_ref(), 10)?;
    check_opt("timezone", s.timezone.as_ref(), 50)?;
    check_opt("currency", s.currency.as_ref(), 10)?;
    if let Some(p) = &s.default_item_privacy
        && !PRIVACY_LEVEL.values.contains(&p.as_str())
    {
        return Err(ApiError::input(
            "defaultItemPrivacy",
            format!("one of {}", PRIVACY_LEVEL.values.join(", ")),
        ));
    }
    let at = now();
    let mut am = user_settings::ActiveModel {
        updated_at: Set(Some(at)),
        ..Default::default()
    };
    if let Some(v) = &s.profile_visibility {
        am.profile_visibility = Set(Some(enum_in("profileVisibility", v)?));
    }
    if let Some(v) = &s.allow_comments {
        am.allow_comments = Set(Some(enum_in("allowComments", v)?));
    }
    if let Some(v) = &s.allow_direct_messages {
        am.allow_direct_messages = Set(Some(enum_in("allowDirectMessages", v)?));
    }
    if let Some(v) = &s.theme {
        am.theme = Set(Some(enum_in("theme", v)?));
    }
    for (col, on) in s.flags {
        am.try_set(col, on.into()).map_err(internal)?;
    }
    if let Some(v) = s.language {
        am.language = Set(Some(v));
    }
    if let Some(v) = s.timezone {
        am.timezone = Set(Some(v));
    }
    if let Some(v) = s.currency {
        am.currency = Set(Some(v));
    }
    if let Some(v) = s.default_item_privacy {
        am.default_item_privacy = Set(Some(v));
    }
    let fresh = user_settings::ActiveModel {
        id: Set(Uuid::new_v4()),
        user_id: Set(actor),
        created_at: Set(Some(at)),
        updated_at: Set(Some(at)),
        ..Default::default()
    };
    let own = (user_settings::Column::UserId, user_settings::Column::Id);
    upsert_own::<user_settings::Entity>(db, actor, fresh, am, own, "settings").await
}

/// Upserts the viewer's notification settings (HS-OP22): the boolean columns in `flags` and
/// the digest frequency (a stored `digest_frequency` value); answers the row's id.
pub async fn update_notification_settings(
    db: &DatabaseConnection,
    actor: Uuid,
    flags: Vec<(notification_settings::Column, bool)>,
    digest: Option<String>,
) -> Result<Uuid, ApiError> {
    let at = now();
    let mut am = notification_settings::ActiveModel {
        updated_at: Set(Some(at)),
        ..Default::default()
    };
    if let Some(d) = &digest {
        am.digest_frequency = Set(Some(enum_in("digestFrequency", d)?));
    }
    for (col, on) in flags {
        am.try_set(col, on.into()).map_err(internal)?;
    }
    let fresh = notification_settings::ActiveModel {
        id: Set(Uuid::new_v4()),
        user_id: Set(actor),
        created_at: Set(Some(at)),
        updated_at: Set(Some(at)),
        ..Default::default()
    };
    let own = (
        notification_settings::Column::UserId,
        notification_settings::Column::Id,
    );
    upsert_own::<notification_settings::Entity>(db, actor, fresh, am, own, "notification settings")
        .await
}

/// Creates the viewer's 1:1 row of `E` (`fresh`, all defaults) unless it exists, applies
/// `changes` to it and answers its id, in one transaction: concurrent first writes leave one
/// row. `own` names the row's user column (unique) and its id column.
async fn upsert_own<E>(
    db: &DatabaseConnection,
    actor: Uuid,
    fresh: E::ActiveModel,
    changes: E::ActiveModel,
    own: (E::Column, E::Column),
    what: &str,
) -> Result<Uuid, ApiError>
where
    E: EntityTrait,
    E::ActiveModel: ActiveModelTrait<Entity = E> + Send,
{
    let (user, id) = own;
    let txn = begin(db).await?;
    E::insert(fresh)
        .on_conflict(OnConflict::column(user).do_nothing().to_owned())
        .exec_without_returning(&txn)
        .await
        .map_err(|e| db_error(e, what))?;
    E::update_many()
        .set(changes)
        .filter(user.eq(actor))
        .exec(&txn)
        .await?;
    let row = E::find()
        .select_only()
        .column(id)
        .filter(user.eq(actor))
        .into_tuple::<Uuid>()
        .one(&txn)
        .await?
        .ok_or_else(|| ApiError::Internal(format!("the {what} row vanished")))?;
    commit(txn).await?;
    Ok(row)
}

/// Files a report about visible content (`NOT_FOUND` otherwise); a reporter has at most one
/// pending report per target (`CONFLICT`). Answers the report's id.
pub async fn report(
    db: &DatabaseConnection,
    scope: &Scope,
    actor: Uuid,
    kind: &str,
    target: Uuid,
    reason: &str,
    description: Option<String>,
) -> Result<Uuid, ApiError> {
    let target_type = enum_in::<en::ContentReportTargetType>("targetType", kind)?;
    let reason = enum_in::<en::ContentReportReason>("reason", reason)?;
    check_opt("description", description.as_ref(), 1000)?;
    target_owner(db, scope, kind, target).await?;
    let txn = begin(db).await?;
    // Serialises the reporter's concurrent reports on PostgreSQL (SQLite's BEGIN IMMEDIATE
    // already does), so the pending-report check below cannot race.
    users::Entity::find_by_id(actor)
        .lock_exclusive()
        .one(&txn)
        .await?;
    let open = content_reports::Entity::find()
        .filter(content_reports::Column::ReporterId.eq(actor))
        .filter(content_reports::Column::TargetType.eq(target_type.clone()))
        .filter(content_reports::Column::TargetId.eq(target))
        .filter(content_reports::Column::Status.eq(en::ContentReportStatus::Pending))
        .count(&txn)
        .await?;
    if open > 0 {
        return Err(ApiError::Conflict(
            "you already have a pending report about this".into(),
        ));
    }
    let id = Uuid::new_v4();
    let at = now();
    content_reports::Entity::insert(content_reports::ActiveModel {
        id: Set(id),
        reporter_id: Set(Some(actor)),
        target_type: Set(target_type),
        target_id: Set(target),
        reason: Set(reason),
        description: Set(description),
        status: Set(Some(en::ContentReportStatus::Pending)),
        moderator_id: Set(None),
        moderator_notes: Set(None),
        resolved_at: Set(None),
        created_at: Set(Some(at)),
        updated_at: Set(Some(at)),
    })
    .exec_without_returning(&txn)
    .await
    .map_err(|e| db_error(e, "report"))?;
    commit(txn).await?;
    Ok(id)
}

/// Moderates a report: sets `status` (not back to `pending`), `moderator_id`, the notes when
/// given, and `resolved_at` (now when resolved or dismissed, cleared when reviewed).
pub async fn resolve_report(
    db: &DatabaseConnection,
    moderator: Uuid,
    id: Uuid,
    status: &str,
    notes: Patch<String>,
) -> Result<(), ApiError> {
    let status = enum_in::<en::ContentReportStatus>("status", status)?;
    if status == en::ContentReportStatus::Pending {
        return Err(ApiError::input(
            "status",
            "a moderated report is reviewed, resolved or dismissed",
        ));
    }
    let closed = matches!(
        status,
        en::ContentReportStatus::Resolved | en::ContentReportStatus::Dismissed
    );
    let at = now();
    let mut am = content_reports::ActiveModel {
        status: Set(Some(status)),
        moderator_id: Set(Some(moderator)),
        resolved_at: Set(closed.then_some(at)),
        updated_at: Set(Some(at)),
        ..Default::default()
    };
    if let Some(n) = notes {
        am.moderator_notes = Set(n);
    }
    let txn = begin(db).await?;
    let changed = content_reports::Entity::update_many()
        .set(am)
        .filter(content_reports::Column::Id.eq(id))
        .exec(&txn)
        .await
        .map_err(|e| db_error(e, "report"))?
        .rows_affected;
    if changed == 0 {
        return Err(ApiError::NotFound(format!("no report {id}")));
    }
    commit(txn).await
}

/// A featured entry's fields; on update, absent fields keep their value.
#[derive(Debug, Default)]
pub struct Feature {
    /// The featured content: a `featured_content_type` value and an id (both or neither).
    pub content: Option<(String, Uuid)>,
    /// A `feature_type` value.
    pub feature_type: Option<String>,
    /// Up to 255 characters.
    pub title: Patch<String>,
    /// Free text.
    pub description: Patch<String>,
    /// Image URL.
    pub image_url: Patch<String>,
    /// Position, at least 0.
    pub sort_order: Option<i64>,
    /// Switched on.
    pub is_active: Option<bool>,
    /// Start of the window.
    pub start_date: Patch<NaiveDateTime>,
    /// End of the window, not before the start.
    pub end_date: Patch<NaiveDateTime>,
}

/// Validates `f` over `old` (the stored row on update) into the columns to set.
async fn feature_model(
    db: &DatabaseConnection,
    scope: &Scope,
    f: Feature,
    old: Option<&featured_content::Model>,
) -> Result<featured_content::ActiveModel, ApiError> {
    check_patch("title", &f.title, 255)?;
    let sort_order = match f.sort_order {
        Some(n) if n < 0 => return Err(ApiError::input("sortOrder", "cannot be negative")),
        Some(n) => Some(i32::try_from(n).map_err(|_| ApiError::input("sortOrder", "too large"))?),
        None => None,
    };
    let start = f
        .start_date
        .unwrap_or_else(|| old.and_then(|o| o.start_date));
    let end = f.end_date.unwrap_or_else(|| old.and_then(|o| o.end_date));
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        return Err(ApiError::input(
            "endDate",
            "the end cannot be before the start",
        ));
    }
    let mut am = featured_content::ActiveModel {
        updated_at: Set(Some(now())),
        ..Default::default()
    };
    if let Some((kind, id)) = f.content {
        am.content_type = Set(enum_in::<en::FeaturedContentType>("contentType", &kind)?);
        target_owner(db, scope, &kind, id).await?;
        am.content_id = Set(id);
    }
    if let Some(t) = &f.feature_type {
        am.feature_type = Set(enum_in("featureType", t)?);
    }
    if let Some(v) = f.title {
        am.title = Set(v);
    }
    if let Some(v) = f.description {
        am.description = Set(v);
    }
    if let Some(v) = f.image_url {
        am.image_url = Set(v);
    }
    if let Some(n) = sort_order {
        am.sort_order = Set(n);
    }
    if let Some(a) = f.is_active {
        am.is_active = Set(a);
    }
    if let Some(s) = f.start_date {
        am.start_date = Set(s);
    }
    if let Some(e) = f.end_date {
        am.end_date = Set(e);
    }
    Ok(am)
}

/// Creates a featured entry curated by `curator` (HS-OP32); the content must exist
/// (`NOT_FOUND`). Answers its id.
pub async fn create_feature(
    db: &DatabaseConnection,
    scope: &Scope,
    curator: Uuid,
    f: Feature,
) -> Result<Uuid, ApiError> {
    if f.content.is_none() {
        return Err(ApiError::input("contentId", "name the featured content"));
    }
    if f.feature_type.is_none() {
        return Err(ApiError::input("featureType", "give the feature type"));
    }
    let mut am = feature_model(db, scope, f, None).await?;
    let id = Uuid::new_v4();
    am.id = Set(id);
    am.curator_id = Set(Some(curator));
    am.created_at = am.updated_at.clone();
    let txn = begin(db).await?;
    featured_content::Entity::insert(am)
        .exec_without_returning(&txn)
        .await
        .map_err(|e| db_error(e, "featured entry"))?;
    commit(txn).await?;
    Ok(id)
}

/// Changes a featured entry (its curator stays); `NOT_FOUND` for an unknown id.
pub async fn update_feature(
    db: &DatabaseConnection,
    scope: &Scope,
    id: Uuid,
    f: Feature,
) -> Result<(), ApiError> {
    let old = featured_content::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no featured entry {id}")))?;
    let am = feature_model(db, scope, f, Some(&old)).await?;
    let txn = begin(db).await?;
    featured_content::Entity::update_many()
        .set(am)
        .filter(featured_content::Column::Id.eq(id))
        .exec(&txn)
        .await
        .map_err(|e| db_error(e, "featured entry"))?;
    commit(txn).await
}

/// Deletes a featured entry; `NOT_FOUND` for an unknown id.
pub async fn delete_feature(db: &DatabaseConnection, id: Uuid) -> Result<(), ApiError> {
    let gone = featured_content::Entity::delete_by_id(id)
        .exec(db)
        .await?
        .rows_affected;
    if gone == 0 {
        return Err(ApiError::NotFound(format!("no featured entry {id}")));
    }
    Ok(())
}

/// A platform setting to set; absent fields keep their value (new entries: `string`, not
/// public, no description).
#[derive(Debug)]
pub struct PlatformSetting {
    /// Unique key, 1 to 100 characters.
    pub key: String,
    /// The value as text, parsed per the value type.
    pub value: String,
    /// A `value_type` value.
    pub value_type: Option<String>,
    /// What the setting controls.
    pub description: Patch<String>,
    /// Whether non-admins may read it.
    pub is_public: Option<bool>,
}

/// `BAD_USER_INPUT` on `value` unless it parses as `ty` (numbers as JSON numbers, booleans
/// `true`/`false`, JSON any JSON document).
pub fn check_value(ty: &en::ValueType, value: &str) -> Result<(), ApiError> {
    let ok = match ty {
        en::ValueType::String => true,
        en::ValueType::Boolean => value == "true" || value == "false",
        en::ValueType::Number => {
            serde_json::from_str::<serde_json::Value>(value).is_ok_and(|v| v.is_number())
        }
        en::ValueType::Json => serde_json::from_str::<serde_json::Value>(value).is_ok(),
    };
    if ok {
        Ok(())
    } else {
        let want = match ty {
            en::ValueType::Boolean => "true or false",
            en::ValueType::Number => "a number",
            _ => "a JSON document",
        };
        Err(ApiError::input("value", format!("expected {want}")))
    }
}

/// Upserts a platform setting by key, recording `admin` as `updated_by` (HS-OP34); answers
/// its id.
pub async fn set_platform_setting(
    db: &DatabaseConnection,
    admin: Uuid,
    s: PlatformSetting,
) -> Result<Uuid, ApiError> {
    check_required("key", &s.key, 100)?;
    let ty = match &s.value_type {
        Some(t) => Some(enum_in::<en::ValueType>("valueType", t)?),
        None => None,
    };
    // A concurrent first write of the same key on PostgreSQL loses with a unique violation;
    // the second attempt then updates the row the other wrote.
    for _ in 0..2 {
        let txn = begin(db).await?;
        let old = platform_settings::Entity::find()
            .filter(platform_settings::Column::Key.eq(s.key.as_str()))
            .lock_exclusive()
            .one(&txn)
            .await?;
        let effective = ty
            .clone()
            .or_else(|| old.as_ref().and_then(|o| o.value_type.clone()))
            .unwrap_or(en::ValueType::String);
        check_value(&effective, &s.value)?;
        let at = now();
        let mut am = platform_settings::ActiveModel {
            value: Set(Some(s.value.clone())),
            value_type: Set(Some(effective)),
            updated_by: Set(Some(admin)),
            updated_at: Set(Some(at)),
            ..Default::default()
        };
        if let Some(d) = &s.description {
            am.description = Set(d.clone());
        }
        if let Some(p) = s.is_public {
            am.is_public = Set(p);
        }
        let id = match old {
            Some(o) => {
                platform_settings::Entity::update_many()
                    .set(am)
                    .filter(platform_settings::Column::Id.eq(o.id))
                    .exec(&txn)
                    .await?;
                o.id
            }
            None => {
                let id = Uuid::new_v4();
                am.id = Set(id);
                am.key = Set(s.key.clone());
                am.created_at = Set(Some(at));
                match platform_settings::Entity::insert(am)
                    .exec_without_returning(&txn)
                    .await
                {
                    Ok(_) => id,
                    Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                        txn.rollback().await?;
                        continue;
                    }
                    Err(e) => return Err(db_error(e, "platform setting")),
                }
            }
        };
        commit(txn).await?;
        return Ok(id);
    }
    Err(ApiError::Conflict(format!(
        "platform setting {} is being written concurrently",
        s.key
    )))
}
