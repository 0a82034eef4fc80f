//! GraphQL fields of the Head Shakers profile, settings, moderation and administration writes.
//!
//! Optional arguments left out or `null` keep the stored value (GraphQL servers pass an
//! unprovided variable as `null`, so `null` cannot safely mean "clear"); a nullable column is
//! cleared by naming its argument in `clear`. Admin and moderator are the token's `admin` /
//! `moderator` roles (the development rule until roles come from data).

use async_graphql::Value;
use async_graphql::dynamic::{Field, FieldFuture, ResolverContext, TypeRef};
use chrono::NaiveDateTime;
use entity::head_shakers::{notification_settings as ns, user_settings as us};
use migration::Database;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::admin::{self, Feature, Patch, PlatformSetting, Profile, Settings};
use super::enums::{
    COMMENT_PERMISSION, CONTENT_REPORT_REASON, CONTENT_REPORT_STATUS, CONTENT_REPORT_TARGET_TYPE,
    DIGEST_FREQUENCY, DM_PERMISSION, FEATURE_TYPE, FEATURED_CONTENT_TYPE, PRIVACY_LEVEL, THEME,
    VALUE_TYPE,
};
use super::mutations::{arg, enum_arg, uuid_arg};
use super::write;
use crate::error::{ApiError, OrGql};
use crate::graphql::context::RequestData;
use crate::graphql::filter::input_cell;
use crate::graphql::schema::committed;
use crate::graphql::schema::data;
use crate::graphql::spec::{EnumDef, Kind, Source};
use crate::graphql::sql::Scope;
use crate::graphql::value::Cell;
use crate::graphql::value::Key;

/// The boolean arguments of `updateSettings` and their columns.
const SETTING_FLAGS: [(&str, us::Column, &str); 7] = [
    (
        "showCollectionStats",
        us::Column::ShowCollectionStats,
        "Show collection statistics on the profile.",
    ),
    (
        "showCollectionValue",
        us::Column::ShowCollectionValue,
        "Show collection values on the profile.",
    ),
    (
        "showJoinDate",
        us::Column::ShowJoinDate,
        "Show the join date on the profile.",
    ),
    (
        "showLastActive",
        us::Column::ShowLastActive,
        "Show the last-active time on the profile.",
    ),
    (
        "showLocation",
        us::Column::ShowLocation,
        "Show the location on the profile.",
    ),
    (
        "showRealName",
        us::Column::ShowRealName,
        "Show the real name on the profile.",
    ),
    (
        "moderateComments",
        us::Column::ModerateComments,
        "Comments on the user's content need approval.",
    ),
];

/// The boolean arguments of `updateNotificationSettings` and their columns.
const NOTIFICATION_FLAGS: [(&str, ns::Column, &str); 12] = [
    (
        "emailNewComments",
        ns::Column::EmailNewComments,
        "E-mail on new comments.",
    ),
    (
        "emailNewFollowers",
        ns::Column::EmailNewFollowers,
        "E-mail on new followers.",
    ),
    (
        "emailNewLikes",
        ns::Column::EmailNewLikes,
        "E-mail on new likes.",
    ),
    (
        "emailPlatformUpdates",
        ns::Column::EmailPlatformUpdates,
        "E-mail platform updates.",
    ),
    (
        "emailWeeklyDigest",
        ns::Column::EmailWeeklyDigest,
        "E-mail the periodic digest.",
    ),
    (
        "inAppNewComments",
        ns::Column::InAppNewComments,
        "In-app notification on new comments.",
    ),
    (
        "inAppNewFollowers",
        ns::Column::InAppNewFollowers,
        "In-app notification on new followers.",
    ),
    (
        "inAppNewLikes",
        ns::Column::InAppNewLikes,
        "In-app notification on new likes.",
    ),
    (
        "inAppFollowingUpdates",
        ns::Column::InAppFollowingUpdates,
        "In-app notification on updates from followed users.",
    ),
    (
        "pushNewComments",
        ns::Column::PushNewComments,
        "Push notification on new comments.",
    ),
    (
        "pushNewFollowers",
        ns::Column::PushNewFollowers,
        "Push notification on new followers.",
    ),
    (
        "pushNewLikes",
        ns::Column::PushNewLikes,
        "Push notification on new likes.",
    ),
];

/// The argument as given: `None` when left out, `Some(Value::Null)` for an explicit null.
fn given(ctx: &ResolverContext<'_>, name: &str) -> Option<Value> {
    ctx.args.get(name).map(|v| v.as_value().clone())
}

fn opt_string(ctx: &ResolverContext<'_>, name: &str) -> Option<String> {
    match given(ctx, name) {
        Some(Value::String(s)) => Some(s),
        _ => None,
    }
}

/// The `clear` argument: names of nullable arguments whose columns become null, each one of
/// `allowed` and not also given a value.
fn clears(ctx: &ResolverContext<'_>, allowed: &[&str]) -> Result<Vec<String>, ApiError> {
    let names: Vec<String> = match given(ctx, "clear") {
        Some(Value::List(items)) => items
            .into_iter()
            .filter_map(|v| match v {
                Value::String(s) => Some(s),
                _ => None,
            })
            .collect(),
        Some(Value::String(s)) => vec![s],
        _ => Vec::new(),
    };
    for n in &names {
        if !allowed.contains(&n.as_str()) {
            return Err(ApiError::input(
                "clear",
                format!("{n} cannot be cleared here; one of {}", allowed.join(", ")),
            ));
        }
        if !matches!(given(ctx, n), None | Some(Value::Null)) {
            return Err(ApiError::input(
                "clear",
                format!("{n} is both given and cleared"),
            ));
        }
    }
    Ok(names)
}

fn clear_arg(allowed: &[&str]) -> async_graphql::dynamic::InputValue {
    arg(
        "clear",
        TypeRef::named_nn_list(TypeRef::STRING),
        &format!(
            "Arguments whose values become null: {}.",
            allowed.join(", ")
        ),
    )
}

fn patch_string(ctx: &ResolverContext<'_>, name: &str, clear: &[String]) -> Patch<String> {
    if clear.iter().any(|c| c == name) {
        return Some(None);
    }
    opt_string(ctx, name).map(Some)
}

fn opt_bool(ctx: &ResolverContext<'_>, name: &str) -> Option<bool> {
    match given(ctx, name) {
        Some(Value::Boolean(b)) => Some(b),
        _ => None,
    }
}

fn opt_int(ctx: &ResolverContext<'_>, name: &str) -> Option<i64> {
    match given(ctx, name) {
        Some(Value::Number(n)) => n.as_i64(),
        _ => None,
    }
}

fn patch_time(
    ctx: &ResolverContext<'_>,
    name: &str,
    clear: &[String],
) -> Result<Patch<NaiveDateTime>, ApiError> {
    if clear.iter().any(|c| c == name) {
        return Ok(Some(None));
    }
    Ok(match given(ctx, name) {
        None | Some(Value::Null) => None,
        Some(v) => match input_cell(Kind::Timestamp, &v, name)? {
            Cell::Timestamp(t) => Some(Some(t)),
            _ => None,
        },
    })
}

fn opt_enum(
    ctx: &ResolverContext<'_>,
    name: &str,
    def: &'static EnumDef,
) -> Result<Option<String>, ApiError> {
    match given(ctx, name) {
        None | Some(Value::Null) => Ok(None),
        Some(_) => enum_arg(ctx, name, def).map(Some),
    }
}

/// The request data, the Head Shakers connection and the signed-in actor.
async fn signed_in<'c>(
    ctx: &'c ResolverContext<'_>,
) -> async_graphql::Result<(&'c RequestData, &'c DatabaseConnection, Uuid)> {
    let data = data(ctx)?;
    let db = data.conns.get(Database::HeadShakers).gql()?;
    let actor = write::actor(&data.viewer).gql()?;
    Ok((data, db, actor))
}

fn admin_of(data: &RequestData, source: &'static Source) -> Result<(), ApiError> {
    admin::require(data.viewer.is_admin(source.id), "admins")
}

fn scope(data: &RequestData, source: &'static Source) -> Result<Scope, ApiError> {
    let table = source
        .tables
        .first()
        .ok_or_else(|| ApiError::Internal("no tables".into()))?;
    Ok(data.scope(source, table))
}

/// The nullable arguments of the featured-entry writes.
const FEATURE_CLEARABLE: [&str; 5] = ["title", "description", "imageUrl", "startDate", "endDate"];
const PROFILE_CLEARABLE: [&str; 3] = ["bio", "avatarUrl", "location"];

fn feature(ctx: &ResolverContext<'_>) -> Result<Feature, ApiError> {
    let clear = clears(ctx, &FEATURE_CLEARABLE)?;
    let content = match (
        opt_enum(ctx, "contentType", &FEATURED_CONTENT_TYPE)?,
        given(ctx, "contentId").filter(|v| *v != Value::Null),
    ) {
        (Some(kind), Some(_)) => Some((kind, uuid_arg(ctx, "contentId")?)),
        (None, None) => None,
        _ => {
            return Err(ApiError::input(
                "contentId",
                "give both contentType and contentId",
            ));
        }
    };
    Ok(Feature {
        content,
        feature_type: opt_enum(ctx, "featureType", &FEATURE_TYPE)?,
        title: patch_string(ctx, "title", &clear),
        description: patch_string(ctx, "description", &clear),
        image_url: patch_string(ctx, "imageUrl", &clear),
        sort_order: opt_int(ctx, "sortOrder"),
        is_active: opt_bool(ctx, "isActive"),
        start_date: patch_time(ctx, "startDate", &clear)?,
        end_date: patch_time(ctx, "endDate", &clear)?,
    })
}

/// The arguments of `createFeature` / `updateFeature` (`required` names the non-null ones).
fn feature_args(mut f: Field, required: bool) -> Field {
    let ty = |name: &str| {
        if required {
            TypeRef::named_nn(name)
        } else {
            TypeRef::named(name)
        }
    };
    f = f
        .argument(arg(
            "contentType",
            ty(FEATURED_CONTENT_TYPE.name),
            "The kind of featured content.",
        ))
        .argument(arg("contentId", ty("UUID"), "Its id; it must exist."))
        .argument(arg(
            "featureType",
            ty(FEATURE_TYPE.name),
            "Where and how it is featured.",
        ))
        .argument(arg(
            "title",
            TypeRef::named(TypeRef::STRING),
            "Display title (at most 255 characters).",
        ))
        .argument(arg(
            "description",
            TypeRef::named(TypeRef::STRING),
            "Display description.",
        ))
        .argument(arg(
            "imageUrl",
            TypeRef::named(TypeRef::STRING),
            "Display image URL.",
        ))
        .argument(arg(
            "sortOrder",
            TypeRef::named(TypeRef::INT),
            "Position (0 or more; new entries 0).",
        ))
        .argument(arg(
            "isActive",
            TypeRef::named(TypeRef::BOOLEAN),
            "Switched on (new entries true).",
        ))
        .argument(arg(
            "startDate",
            TypeRef::named("DateTime"),
            "Start of the display window (open when null).",
        ))
        .argument(arg(
            "endDate",
            TypeRef::named("DateTime"),
            "End of the display window, not before the start (open when null).",
        ))
        .argument(clear_arg(&FEATURE_CLEARABLE));
    f
}

/// The mutation fields of this group.
pub fn fields(source: &'static Source) -> Vec<Field> {
    let uuid = || TypeRef::named_nn("UUID");
    let text = || TypeRef::named(TypeRef::STRING);
    let flag = || TypeRef::named(TypeRef::BOOLEAN);

    let profile = Field::new("updateProfile", TypeRef::named_nn("HeadShakersUser"), move |ctx| {
        FieldFuture::new(async move {
            let (_, db, actor) = signed_in(&ctx).await?;
            let clear = clears(&ctx, &PROFILE_CLEARABLE).gql()?;
            let p = Profile {
                username: opt_string(&ctx, "username"),
                display_name: opt_string(&ctx, "displayName"),
                bio: patch_string(&ctx, "bio", &clear),
                avatar_url: patch_string(&ctx, "avatarUrl", &clear),
                location: patch_string(&ctx, "location", &clear),
            };
            committed(&ctx, source, "users", async { admin::update_profile(db, actor, p).await.map(|_| Key::Uuid(actor)) }).await
        })
    })
    .description("Changes the viewer's profile and records them as active now; left-out or null arguments keep their value. A taken username is CONFLICT.")
    .argument(arg("username", text(), "Unique handle (1 to 50 characters)."))
    .argument(arg("displayName", text(), "Name shown (1 to 100 characters)."))
    .argument(arg("bio", text(), "Self-description (at most 500 characters)."))
    .argument(arg("avatarUrl", text(), "Avatar URL (at most 100 characters, the seed's limit)."))
    .argument(arg("location", text(), "Location (at most 100 characters)."))
    .argument(clear_arg(&PROFILE_CLEARABLE));

    let mut settings = Field::new("updateSettings", TypeRef::named_nn("HeadShakersUserSetting"), move |ctx| {
        FieldFuture::new(async move {
            let (_, db, actor) = signed_in(&ctx).await?;
            let s = Settings {
                profile_visibility: opt_enum(&ctx, "profileVisibility", &PRIVACY_LEVEL).gql()?,
                allow_comments: opt_enum(&ctx, "allowComments", &COMMENT_PERMISSION).gql()?,
                allow_direct_messages: opt_enum(&ctx, "allowDirectMessages", &DM_PERMISSION).gql()?,
                theme: opt_enum(&ctx, "theme", &THEME).gql()?,
                flags: SETTING_FLAGS
                    .iter()
                    .filter_map(|(name, col, _)| opt_bool(&ctx, name).map(|b| (*col, b)))
                    .collect(),
                language: opt_string(&ctx, "language"),
                timezone: opt_string(&ctx, "timezone"),
                currency: opt_string(&ctx, "currency"),
                default_item_privacy: opt_string(&ctx, "defaultItemPrivacy"),
            };
            committed(&ctx, source, "user_settings", async { admin::update_settings(db, actor, s).await.map(Key::Uuid) }).await
        })
    })
    .description("Changes the viewer's preferences (left-out or null arguments keep their value); the settings row is created with the defaults when missing.")
    .argument(arg("profileVisibility", TypeRef::named(PRIVACY_LEVEL.name), "Who may see the profile."))
    .argument(arg("allowComments", TypeRef::named(COMMENT_PERMISSION.name), "Who may comment on the viewer's content."))
    .argument(arg("allowDirectMessages", TypeRef::named(DM_PERMISSION.name), "Who may send direct messages."))
    .argument(arg("theme", TypeRef::named(THEME.name), "Interface colour theme."))
    .argument(arg("language", text(), "Language code (at most 10 characters)."))
    .argument(arg("timezone", text(), "Time zone name (at most 50 characters)."))
    .argument(arg("currency", text(), "Currency code (at most 10 characters)."))
    .argument(arg("defaultItemPrivacy", text(), "Default visibility of new items: `public`, `followers` or `private`."));
    for (name, _, doc) in SETTING_FLAGS {
        settings = settings.argument(arg(name, flag(), doc));
    }

    let mut notifications = Field::new("updateNotificationSettings", TypeRef::named_nn("HeadShakersNotificationSetting"), move |ctx| {
        FieldFuture::new(async move {
            let (_, db, actor) = signed_in(&ctx).await?;
            let flags = NOTIFICATION_FLAGS
                .iter()
                .filter_map(|(name, col, _)| opt_bool(&ctx, name).map(|b| (*col, b)))
                .collect();
            let digest = opt_enum(&ctx, "digestFrequency", &DIGEST_FREQUENCY).gql()?;
            committed(&ctx, source, "notification_settings", async { admin::update_notification_settings(db, actor, flags, digest).await.map(Key::Uuid) }).await
        })
    })
    .description("Changes the viewer's notification preferences (left-out or null arguments keep their value); the row is created with the defaults when missing.")
    .argument(arg("digestFrequency", TypeRef::named(DIGEST_FREQUENCY.name), "How often the digest is sent."));
    for (name, _, doc) in NOTIFICATION_FLAGS {
        notifications = notifications.argument(arg(name, flag(), doc));
    }

    let report = Field::new("reportContent", TypeRef::named_nn("HeadShakersContentReport"), move |ctx| {
        FieldFuture::new(async move {
            let (data, db, actor) = signed_in(&ctx).await?;
            let kind = enum_arg(&ctx, "targetType", &CONTENT_REPORT_TARGET_TYPE).gql()?;
            let target = uuid_arg(&ctx, "targetId").gql()?;
            let reason = enum_arg(&ctx, "reason", &CONTENT_REPORT_REASON).gql()?;
            let description = opt_string(&ctx, "description");
            let scope = scope(data, source).gql()?;
            committed(&ctx, source, "content_reports", async { admin::report(db, &scope, actor, &kind, target, &reason, description).await.map(Key::Uuid) }).await
        })
    })
    .description("Reports visible content for moderation (NOT_FOUND otherwise). One pending report per reporter and target: another is CONFLICT.")
    .argument(arg("targetType", TypeRef::named_nn(CONTENT_REPORT_TARGET_TYPE.name), "What is reported."))
    .argument(arg("targetId", uuid(), "Its id."))
    .argument(arg("reason", TypeRef::named_nn(CONTENT_REPORT_REASON.name), "Why."))
    .argument(arg("description", text(), "Explanation (at most 1000 characters)."));

    let resolve = Field::new("resolveReport", TypeRef::named("HeadShakersContentReport"), move |ctx| {
        FieldFuture::new(async move {
            let (data, db, actor) = signed_in(&ctx).await?;
            let allowed = data.viewer.is_admin(source.id) || data.viewer.roles.iter().any(|r| r == "moderator");
            admin::require(allowed, "moderators and admins").gql()?;
            let id = uuid_arg(&ctx, "id").gql()?;
            let status = enum_arg(&ctx, "status", &CONTENT_REPORT_STATUS).gql()?;
            let clear = clears(&ctx, &["moderatorNotes"]).gql()?;
            let notes = patch_string(&ctx, "moderatorNotes", &clear);
            committed(&ctx, source, "content_reports", async { admin::resolve_report(db, actor, id, &status, notes).await.map(|_| Key::Uuid(id)) }).await
        })
    })
    .description("Moderates a report (moderators and admins): sets the status, the moderator and notes, and `resolvedAt` when resolved or dismissed. Answers the report as the viewer may read it: reports are readable by their reporter and admins, so a moderator without the admin role gets null.")
    .argument(arg("id", uuid(), "The report."))
    .argument(arg("status", TypeRef::named_nn(CONTENT_REPORT_STATUS.name), "REVIEWED, RESOLVED or DISMISSED."))
    .argument(arg("moderatorNotes", text(), "The moderator's notes."))
    .argument(clear_arg(&["moderatorNotes"]));

    let create = feature_args(
        Field::new(
            "createFeature",
            TypeRef::named_nn("HeadShakersFeaturedContent"),
            move |ctx| {
                FieldFuture::new(async move {
                    let (data, db, actor) = signed_in(&ctx).await?;
                    admin_of(data, source).gql()?;
                    let f = feature(&ctx).gql()?;
                    let scope = scope(data, source).gql()?;
                    committed(&ctx, source, "featured_content", async {
                        admin::create_feature(db, &scope, actor, f)
                            .await
                            .map(Key::Uuid)
                    })
                    .await
                })
            },
        )
        .description("Features existing content (admins); the admin is its curator."),
        true,
    );

    let update = feature_args(
        Field::new(
            "updateFeature",
            TypeRef::named_nn("HeadShakersFeaturedContent"),
            move |ctx| {
                FieldFuture::new(async move {
                    let (data, db, _) = signed_in(&ctx).await?;
                    admin_of(data, source).gql()?;
                    let id = uuid_arg(&ctx, "id").gql()?;
                    let f = feature(&ctx).gql()?;
                    let scope = scope(data, source).gql()?;
                    committed(&ctx, source, "featured_content", async {
                        admin::update_feature(db, &scope, id, f)
                            .await
                            .map(|_| Key::Uuid(id))
                    })
                    .await
                })
            },
        )
        .description(
            "Changes a featured entry (admins); left-out or null arguments keep their value.",
        )
        .argument(arg("id", uuid(), "The entry.")),
        false,
    );

    let delete = Field::new(
        "deleteFeature",
        TypeRef::named_nn("HeadShakersDeleteFeaturePayload"),
        move |ctx| {
            FieldFuture::new(async move {
                let (data, db, _) = signed_in(&ctx).await?;
                admin_of(data, source).gql()?;
                let id = uuid_arg(&ctx, "id").gql()?;
                admin::delete_feature(db, id).await.gql()?;
                let featured = crate::graphql::payload::table(source, "featured_content")?;
                crate::graphql::payload::Removal::of(featured, Some(Key::Uuid(id))).answer(&ctx)
            })
        },
    )
    .description("Deletes a featured entry (admins); NOT_FOUND for an unknown id.")
    .argument(arg("id", uuid(), "The entry."));

    let platform = Field::new("setPlatformSetting", TypeRef::named_nn("HeadShakersPlatformSetting"), move |ctx| {
        FieldFuture::new(async move {
            let (data, db, actor) = signed_in(&ctx).await?;
            admin_of(data, source).gql()?;
            let clear = clears(&ctx, &["description"]).gql()?;
            let s = PlatformSetting {
                key: opt_string(&ctx, "key").unwrap_or_default(),
                value: opt_string(&ctx, "value").unwrap_or_default(),
                value_type: opt_enum(&ctx, "valueType", &VALUE_TYPE).gql()?,
                description: patch_string(&ctx, "description", &clear),
                is_public: opt_bool(&ctx, "isPublic"),
            };
            committed(&ctx, source, "platform_settings", async { admin::set_platform_setting(db, actor, s).await.map(Key::Uuid) }).await
        })
    })
    .description("Creates or changes a platform setting by key (admins), recording the admin as `updatedBy`. The value must parse per the value type (NUMBER: a JSON number, BOOLEAN: true or false, JSON: a JSON document).")
    .argument(arg("key", TypeRef::named_nn(TypeRef::STRING), "Unique key (1 to 100 characters)."))
    .argument(arg("value", TypeRef::named_nn(TypeRef::STRING), "The value as text."))
    .argument(arg("valueType", TypeRef::named(VALUE_TYPE.name), "How to parse it (new entries STRING; left out keeps the stored type)."))
    .argument(arg("description", text(), "What it controls."))
    .argument(clear_arg(&["description"]))
    .argument(arg("isPublic", flag(), "Whether non-admins may read it (new entries false)."));

    vec![
        profile,
        settings,
        notifications,
        report,
        resolve,
        create,
        update,
        delete,
        platform,
    ]
}
