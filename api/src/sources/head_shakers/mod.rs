//! Head Shakers (seed 000): a platform for bobblehead collectors — users, collections and
//! sub-collections, bobbleheads with photos and tags, follows, likes, comments, analytics,
//! notifications, featured content, platform settings and moderation reports (22 tables).
//!
//! Access decisions (admins of the source read every row):
//!
//! - `users`: everyone, soft-deleted users hidden (`is_deleted = false`); `clerk_id`, `email`,
//!   `failed_login_attempts`, `last_failed_login_at`, `locked_until` and `updated_at` are
//!   readable only by the user; `last_active_at`, `location`, `member_since` and `created_at`
//!   follow the user's `show_*` settings (`visibility.rs`).
//! - `collections`: public ones for everyone, all for their owner.
//! - `sub_collections`: the collection must be visible, and the sub-collection public or its
//!   collection owned by the viewer.
//! - `bobbleheads`: public or owned, and in a visible collection; soft-deleted items hidden.
//! - `bobblehead_photos`, `bobblehead_tags`: when their bobblehead is visible.
//! - `tags`, `follows`, `likes`, `featured_content`: everyone.
//! - `comments`: everyone, soft-deleted comments hidden; a comment held under its target
//!   owner's `moderate_comments` (`is_approved = false`) only for its author, that owner and
//!   moderators, until the owner or a moderator approves (`approveComment`) or rejects it.
//! - `user_settings`, `notification_settings`, `user_sessions`, `login_history`,
//!   `user_activity`, `notifications`, `search_queries`: their user only; `content_views`: the
//!   viewer (`viewer_id`) only; `user_blocks`: the blocker only; `content_reports`: the
//!   reporter only.
//! - `platform_settings`: public entries (`is_public = true`) only.
//! - Never exposed: `user_sessions.session_token` and every `ip_address` / `user_agent`.
//!
//! Ordering: the seed keeps a position (`sort_order`) for sub-collections within their
//! collection, photos within their bobblehead and featured entries, and those are what the
//! `reorder…` mutations set. Collections have no position of their own in the seed; a profile
//! lists them by any `orderBy` (name, `updated_at`, `last_item_added_at`, …) instead of a
//! hand-kept order, which would need a column the seed does not have.

pub mod admin;
pub mod admin_mutations;
pub mod catalog;
pub mod catalog_mutations;
pub mod enums;
pub mod mutations;
mod payloads;
pub mod search;
mod tables;
pub mod visibility;
pub mod write;

use migration::Database;

use crate::graphql::spec::{Lit, Member, Polymorphic, Related};
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
    polymorphic: POLYMORPHIC,
    related: RELATED,
    computed: &[],
    array_relations: &[],
    default_orders: &[
        // Photos: the primary one first, then in their order (HS-OP14).
        (
            "bobblehead_photos",
            &[("is_primary", true), ("sort_order", false)],
        ),
        ("sub_collections", &[("sort_order", false)]),
        ("comments", &[("created_at", false)]),
        ("notifications", &[("created_at", true)]),
        // Newest first, like the tables with `created_at`.
        ("content_views", &[("viewed_at", true)]),
        ("login_history", &[("login_at", true)]),
        ("search_queries", &[("searched_at", true)]),
    ],
    queries: Some(search::fields),
    subscriptions: None,
    mutations: Some(mutations::build),
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

const fn member(value: &'static str, table: &'static str) -> Member {
    Member {
        value,
        table,
        id_column: None,
    }
}

/// The polymorphic references of the seed (HS-PR01..PR08), each a GraphQL union.
static POLYMORPHIC: &[Polymorphic] = &[
    Polymorphic {
        table: "likes",
        kind_column: "target_type",
        id_column: "target_id",
        field: "target",
        union: "HeadShakersLikeTarget",
        members: &[
            member("bobblehead", "bobbleheads"),
            member("collection", "collections"),
            member("comment", "comments"),
        ],
        reverse: Some("likes"),
        guarded: true,
        doc: "The liked bobblehead, collection or comment; null when it was deleted or is not visible.",
    },
    Polymorphic {
        table: "comments",
        kind_column: "target_type",
        id_column: "target_id",
        field: "target",
        union: "HeadShakersCommentTarget",
        members: &[
            member("bobblehead", "bobbleheads"),
            member("collection", "collections"),
        ],
        reverse: Some("comments"),
        guarded: true,
        doc: "The commented bobblehead or collection; null when it was deleted or is not visible.",
    },
    Polymorphic {
        table: "follows",
        kind_column: "follow_type",
        id_column: "target_id",
        field: "target",
        union: "HeadShakersFollowTarget",
        members: &[
            Member {
                value: "user",
                table: "users",
                id_column: Some("following_id"),
            },
            member("collection", "collections"),
        ],
        reverse: None,
        guarded: false,
        doc: "What is followed: the user for a user follow, the collection for a collection follow.",
    },
    Polymorphic {
        table: "content_views",
        kind_column: "target_type",
        id_column: "target_id",
        field: "target",
        union: "HeadShakersViewTarget",
        members: &[
            member("bobblehead", "bobbleheads"),
            member("collection", "collections"),
            member("sub_collection", "sub_collections"),
            member("profile", "users"),
        ],
        reverse: None,
        guarded: false,
        doc: "The viewed bobblehead, collection, sub-collection or profile.",
    },
    Polymorphic {
        table: "search_queries",
        kind_column: "clicked_result_type",
        id_column: "clicked_result_id",
        field: "clickedResult",
        union: "HeadShakersSearchResult",
        members: &[
            member("bobblehead", "bobbleheads"),
            member("collection", "collections"),
            member("sub_collection", "sub_collections"),
            member("user", "users"),
        ],
        reverse: None,
        guarded: false,
        doc: "The search result the user clicked, if any.",
    },
    Polymorphic {
        table: "featured_content",
        kind_column: "content_type",
        id_column: "content_id",
        field: "content",
        union: "HeadShakersFeaturedTarget",
        members: &[
            member("bobblehead", "bobbleheads"),
            member("collection", "collections"),
            member("sub_collection", "sub_collections"),
            member("user", "users"),
        ],
        reverse: None,
        guarded: false,
        doc: "The featured bobblehead, collection, sub-collection or user.",
    },
    Polymorphic {
        table: "notifications",
        kind_column: "related_type",
        id_column: "related_id",
        field: "related",
        union: "HeadShakersNotificationSubject",
        members: &[
            member("bobblehead", "bobbleheads"),
            member("collection", "collections"),
            member("sub_collection", "sub_collections"),
            member("comment", "comments"),
            member("user", "users"),
        ],
        reverse: None,
        guarded: false,
        doc: "The object the notification is about.",
    },
    Polymorphic {
        table: "content_reports",
        kind_column: "target_type",
        id_column: "target_id",
        field: "target",
        union: "HeadShakersReportTarget",
        members: &[
            member("bobblehead", "bobbleheads"),
            member("collection", "collections"),
            member("sub_collection", "sub_collections"),
            member("comment", "comments"),
            member("user", "users"),
        ],
        reverse: None,
        guarded: false,
        doc: "The reported bobblehead, collection, sub-collection, comment or user.",
    },
];

/// Viewer flags and counts.
static RELATED: &[Related] = &[
    Related {
        on: "bobbleheads",
        field: "viewerHasLiked",
        table: "likes",
        key_column: "target_id",
        fixed: &[("target_type", Lit::Str("bobblehead"))],
        viewer_column: Some("user_id"),
        doc: "Whether the viewer likes this bobblehead (false for anonymous viewers).",
    },
    Related {
        on: "collections",
        field: "viewerHasLiked",
        table: "likes",
        key_column: "target_id",
        fixed: &[("target_type", Lit::Str("collection"))],
        viewer_column: Some("user_id"),
        doc: "Whether the viewer likes this collection (false for anonymous viewers).",
    },
    Related {
        on: "comments",
        field: "viewerHasLiked",
        table: "likes",
        key_column: "target_id",
        fixed: &[("target_type", Lit::Str("comment"))],
        viewer_column: Some("user_id"),
        doc: "Whether the viewer likes this comment (false for anonymous viewers).",
    },
    Related {
        on: "users",
        field: "viewerFollows",
        table: "follows",
        key_column: "following_id",
        fixed: &[("follow_type", Lit::Str("user"))],
        viewer_column: Some("follower_id"),
        doc: "Whether the viewer follows this user (false for anonymous viewers).",
    },
    Related {
        on: "collections",
        field: "viewerFollows",
        table: "follows",
        key_column: "target_id",
        fixed: &[("follow_type", Lit::Str("collection"))],
        viewer_column: Some("follower_id"),
        doc: "Whether the viewer follows this collection (false for anonymous viewers).",
    },
    Related {
        on: "users",
        field: "followerCount",
        table: "follows",
        key_column: "following_id",
        fixed: &[("follow_type", Lit::Str("user"))],
        viewer_column: None,
        doc: "How many users follow this user.",
    },
    Related {
        on: "users",
        field: "followingCount",
        table: "follows",
        key_column: "follower_id",
        fixed: &[("follow_type", Lit::Str("user"))],
        viewer_column: None,
        doc: "How many users this user follows.",
    },
    Related {
        on: "collections",
        field: "likeCount",
        table: "likes",
        key_column: "target_id",
        fixed: &[("target_type", Lit::Str("collection"))],
        viewer_column: None,
        doc: "How many users like this collection (counted on demand: collections have no counter column, HS-A09).",
    },
    Related {
        on: "collections",
        field: "commentCount",
        table: "comments",
        key_column: "target_id",
        fixed: &[
            ("target_type", Lit::Str("collection")),
            ("is_deleted", Lit::Bool(false)),
        ],
        viewer_column: None,
        doc: "How many comments this collection has (counted on demand, HS-A09).",
    },
    Related {
        on: "collections",
        field: "followerCount",
        table: "follows",
        key_column: "target_id",
        fixed: &[("follow_type", Lit::Str("collection"))],
        viewer_column: None,
        doc: "How many users follow this collection.",
    },
];
