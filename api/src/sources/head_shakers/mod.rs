//! Head Shakers (seed 000): a platform for bobblehead collectors — users, collections and
//! sub-collections, bobbleheads with photos and tags, follows, likes, comments, analytics,
//! notifications, featured content, platform settings and moderation reports (22 tables).
//!
//! Access decisions (admins of the source read every row):
//!
//! - `users`: everyone, soft-deleted users hidden (`is_deleted = false`); `clerk_id`, `email`,
//!   `failed_login_attempts`, `last_failed_login_at`, `locked_until` and `last_active_at` are
//!   readable only by the user.
//! - `collections`: public ones for everyone, all for their owner.
//! - `sub_collections`: the collection must be visible, and the sub-collection public or its
//!   collection owned by the viewer.
//! - `bobbleheads`: public or owned, and in a visible collection; soft-deleted items hidden.
//! - `bobblehead_photos`, `bobblehead_tags`: when their bobblehead is visible.
//! - `tags`, `follows`, `likes`, `featured_content`: everyone.
//! - `comments`: everyone, soft-deleted comments hidden.
//! - `user_settings`, `notification_settings`, `user_sessions`, `login_history`,
//!   `user_activity`, `notifications`, `search_queries`: their user only; `content_views`: the
//!   viewer (`viewer_id`) only; `user_blocks`: the blocker only; `content_reports`: the
//!   reporter only.
//! - `platform_settings`: public entries (`is_public = true`) only.
//! - Never exposed: `user_sessions.session_token` and every `ip_address` / `user_agent`.

mod enums;
mod tables;

use migration::Database;

use crate::graphql::spec::{Relation, Source};

/// The Head Shakers source.
pub static SOURCE: Source = Source {
    id: "head_shakers",
    namespace: "headShakers",
    prefix: "HeadShakers",
    doc: "Head Shakers: bobblehead collections, their items and photos, tags, the social graph (follows, likes, comments), notifications, featured content and moderation.",
    users: Database::HeadShakers,
    tables: &tables::TABLES,
    relations: RELATIONS,
};

/// A many-to-one foreign key (`unique: false`).
const fn fk(
    from: &'static str,
    column: &'static str,
    to: &'static str,
    forward: &'static str,
    reverse: &'static str,
    doc: &'static str,
) -> Relation {
    Relation {
        from,
        column,
        to,
        to_column: "id",
        forward,
        reverse,
        unique: false,
        doc,
    }
}

/// A one-to-one foreign key (unique child column).
const fn one(
    from: &'static str,
    column: &'static str,
    to: &'static str,
    forward: &'static str,
    reverse: &'static str,
    doc: &'static str,
) -> Relation {
    Relation {
        from,
        column,
        to,
        to_column: "id",
        forward,
        reverse,
        unique: true,
        doc,
    }
}

/// Every foreign key of the migrations (HS-R01..R26).
static RELATIONS: &[Relation] = &[
    // Content ownership and structure.
    fk(
        "collections",
        "user_id",
        "users",
        "owner",
        "collections",
        "The user who owns the collection.",
    ),
    fk(
        "sub_collections",
        "collection_id",
        "collections",
        "collection",
        "subCollections",
        "The collection a sub-collection belongs to.",
    ),
    fk(
        "bobbleheads",
        "user_id",
        "users",
        "owner",
        "bobbleheads",
        "The user who owns the bobblehead.",
    ),
    fk(
        "bobbleheads",
        "collection_id",
        "collections",
        "collection",
        "bobbleheads",
        "The collection holding the bobblehead.",
    ),
    fk(
        "bobbleheads",
        "sub_collection_id",
        "sub_collections",
        "subCollection",
        "bobbleheads",
        "The sub-collection holding the bobblehead.",
    ),
    fk(
        "bobblehead_photos",
        "bobblehead_id",
        "bobbleheads",
        "bobblehead",
        "photos",
        "The bobblehead a photo shows.",
    ),
    fk(
        "bobblehead_tags",
        "bobblehead_id",
        "bobbleheads",
        "bobblehead",
        "tagLinks",
        "The tagged bobblehead of a tag link.",
    ),
    fk(
        "bobblehead_tags",
        "tag_id",
        "tags",
        "tag",
        "bobbleheadLinks",
        "The tag of a tag link.",
    ),
    fk(
        "tags",
        "user_id",
        "users",
        "owner",
        "tags",
        "The user who created the tag.",
    ),
    // Per-user records.
    one(
        "user_settings",
        "user_id",
        "users",
        "user",
        "settings",
        "The user whose preferences these are.",
    ),
    one(
        "notification_settings",
        "user_id",
        "users",
        "user",
        "notificationSettings",
        "The user whose notification preferences these are.",
    ),
    fk(
        "user_sessions",
        "user_id",
        "users",
        "user",
        "sessions",
        "The user of the session.",
    ),
    fk(
        "login_history",
        "user_id",
        "users",
        "user",
        "loginHistory",
        "The user who tried to sign in.",
    ),
    fk(
        "user_activity",
        "user_id",
        "users",
        "user",
        "activities",
        "The user who acted.",
    ),
    fk(
        "user_blocks",
        "blocker_id",
        "users",
        "blocker",
        "blocksMade",
        "The user who blocks.",
    ),
    fk(
        "user_blocks",
        "blocked_id",
        "users",
        "blocked",
        "blocksReceived",
        "The blocked user.",
    ),
    // Social.
    fk(
        "follows",
        "follower_id",
        "users",
        "follower",
        "followingEdges",
        "The user who follows (reverse: the follows a user makes).",
    ),
    fk(
        "follows",
        "following_id",
        "users",
        "following",
        "followerEdges",
        "The followed user (reverse: the follows a user receives).",
    ),
    fk(
        "likes",
        "user_id",
        "users",
        "user",
        "likes",
        "The user who likes.",
    ),
    fk(
        "comments",
        "user_id",
        "users",
        "author",
        "comments",
        "The author of the comment.",
    ),
    fk(
        "comments",
        "parent_comment_id",
        "comments",
        "parentComment",
        "replies",
        "The comment a reply answers.",
    ),
    // Analytics, system and moderation.
    fk(
        "content_views",
        "viewer_id",
        "users",
        "viewer",
        "contentViews",
        "The signed-in viewer of a recorded view.",
    ),
    fk(
        "search_queries",
        "user_id",
        "users",
        "user",
        "searchQueries",
        "The signed-in user who searched.",
    ),
    fk(
        "featured_content",
        "curator_id",
        "users",
        "curator",
        "curatedFeatures",
        "The user who curated the featured entry.",
    ),
    fk(
        "notifications",
        "user_id",
        "users",
        "recipient",
        "notifications",
        "The recipient of the notification.",
    ),
    fk(
        "notifications",
        "related_user_id",
        "users",
        "relatedUser",
        "relatedNotifications",
        "The user who caused the notified event.",
    ),
    fk(
        "platform_settings",
        "updated_by",
        "users",
        "updatedByUser",
        "updatedPlatformSettings",
        "The user who last changed the setting.",
    ),
    fk(
        "content_reports",
        "reporter_id",
        "users",
        "reporter",
        "filedReports",
        "The user who filed the report.",
    ),
    fk(
        "content_reports",
        "moderator_id",
        "users",
        "moderator",
        "moderatedReports",
        "The moderator who handled the report.",
    ),
];
