//! The 18 PostgreSQL enum types of the `head_shakers` database (HS-E01..E18), with the value
//! lists and order of the migrations. The varchar domains HS-E19..E22
//! (`bobbleheads.current_condition`, `status`, `acquisition_method`,
//! `user_settings.default_item_privacy`) carry no `CHECK` (HS-A11, HS-A15) and are plain text.

use crate::graphql::spec::EnumDef;

/// `user_role` (a gateway addition, `migration/src/head_shakers/m20261122_000005_user_roles.rs`):
/// who moderates and administers the platform.
pub static USER_ROLE: EnumDef = EnumDef {
    name: "HeadShakersUserRole",
    pg_type: Some("user_role"),
    doc: "A user's role on the platform: a collector, a moderator (resolves content reports) or \
          an admin (curates featured content and platform settings, and moderates).",
    values: &["user", "moderator", "admin"],
};

/// HS-E01 `privacy_level`: who may see a profile.
pub static PRIVACY_LEVEL: EnumDef = EnumDef {
    name: "HeadShakersPrivacyLevel",
    pg_type: Some("privacy_level"),
    doc: "Who may see a user's profile: everyone, only followers, or only the user.",
    values: &["public", "followers", "private"],
};

/// HS-E02 `comment_permission`: who may comment on a user's content.
pub static COMMENT_PERMISSION: EnumDef = EnumDef {
    name: "HeadShakersCommentPermission",
    pg_type: Some("comment_permission"),
    doc: "Who may comment on a user's content: anyone, only followers, or nobody.",
    values: &["anyone", "followers", "none"],
};

/// HS-E03 `dm_permission`: who may send a user direct messages.
pub static DM_PERMISSION: EnumDef = EnumDef {
    name: "HeadShakersDmPermission",
    pg_type: Some("dm_permission"),
    doc: "Who may send the user direct messages: anyone, only followers, or nobody.",
    values: &["anyone", "followers", "none"],
};

/// HS-E04 `theme`: the interface colour theme.
pub static THEME: EnumDef = EnumDef {
    name: "HeadShakersTheme",
    pg_type: Some("theme"),
    doc: "The user's interface colour theme.",
    values: &["light", "dark", "system"],
};

/// HS-E05 `digest_frequency`: how often the e-mail digest is sent.
pub static DIGEST_FREQUENCY: EnumDef = EnumDef {
    name: "HeadShakersDigestFrequency",
    pg_type: Some("digest_frequency"),
    doc: "How often the user receives the e-mail digest.",
    values: &["daily", "weekly", "monthly", "never"],
};

/// HS-E06 `follow_type`: what a follow targets.
pub static FOLLOW_TYPE: EnumDef = EnumDef {
    name: "HeadShakersFollowType",
    pg_type: Some("follow_type"),
    doc: "What a follow targets: a user, or one collection of the followed user (named by `targetId`).",
    values: &["user", "collection"],
};

/// HS-E07 `like_target_type`: what a like targets.
pub static LIKE_TARGET_TYPE: EnumDef = EnumDef {
    name: "HeadShakersLikeTargetType",
    pg_type: Some("like_target_type"),
    doc: "The kind of content a like targets: a bobblehead, a collection or a comment.",
    values: &["bobblehead", "collection", "comment"],
};

/// HS-E08 `comment_target_type`: what a comment is attached to.
pub static COMMENT_TARGET_TYPE: EnumDef = EnumDef {
    name: "HeadShakersCommentTargetType",
    pg_type: Some("comment_target_type"),
    doc: "The kind of content a comment is attached to: a bobblehead or a collection.",
    values: &["bobblehead", "collection"],
};

/// HS-E09 `content_views_target_type`: what a recorded view was of.
pub static CONTENT_VIEWS_TARGET_TYPE: EnumDef = EnumDef {
    name: "HeadShakersContentViewsTargetType",
    pg_type: Some("content_views_target_type"),
    doc: "The kind of content a recorded view was of.",
    values: &["bobblehead", "collection", "sub_collection", "profile"],
};

/// HS-E10 `result_type`: the kind of a clicked search result.
pub static RESULT_TYPE: EnumDef = EnumDef {
    name: "HeadShakersResultType",
    pg_type: Some("result_type"),
    doc: "The kind of search result a user clicked.",
    values: &["bobblehead", "collection", "sub_collection", "user"],
};

/// HS-E11 `featured_content_type`: the kind of featured content.
pub static FEATURED_CONTENT_TYPE: EnumDef = EnumDef {
    name: "HeadShakersFeaturedContentType",
    pg_type: Some("featured_content_type"),
    doc: "The kind of content a featured entry highlights.",
    values: &["bobblehead", "collection", "sub_collection", "user"],
};

/// HS-E12 `feature_type`: where and how content is featured.
pub static FEATURE_TYPE: EnumDef = EnumDef {
    name: "HeadShakersFeatureType",
    pg_type: Some("feature_type"),
    doc: "Where and how content is featured on the platform.",
    values: &[
        "homepage_banner",
        "editor_pick",
        "trending",
        "collection_of_week",
    ],
};

/// HS-E13 `notification_type`: the event a notification reports.
pub static NOTIFICATION_TYPE: EnumDef = EnumDef {
    name: "HeadShakersNotificationType",
    pg_type: Some("notification_type"),
    doc: "The event a notification reports.",
    values: &["comment", "follow", "like", "following_update", "system"],
};

/// HS-E14 `notification_related_type`: the kind of content a notification refers to.
pub static NOTIFICATION_RELATED_TYPE: EnumDef = EnumDef {
    name: "HeadShakersNotificationRelatedType",
    pg_type: Some("notification_related_type"),
    doc: "The kind of content a notification refers to.",
    values: &[
        "bobblehead",
        "collection",
        "sub_collection",
        "comment",
        "user",
    ],
};

/// HS-E15 `value_type`: how a platform setting's value is parsed.
pub static VALUE_TYPE: EnumDef = EnumDef {
    name: "HeadShakersValueType",
    pg_type: Some("value_type"),
    doc: "How a platform setting's text value is to be parsed.",
    values: &["string", "number", "boolean", "json"],
};

/// HS-E16 `content_report_target_type`: what a report is about.
pub static CONTENT_REPORT_TARGET_TYPE: EnumDef = EnumDef {
    name: "HeadShakersContentReportTargetType",
    pg_type: Some("content_report_target_type"),
    doc: "The kind of content a moderation report is about.",
    values: &[
        "bobblehead",
        "collection",
        "sub_collection",
        "comment",
        "user",
    ],
};

/// HS-E17 `content_report_reason`: why content was reported.
pub static CONTENT_REPORT_REASON: EnumDef = EnumDef {
    name: "HeadShakersContentReportReason",
    pg_type: Some("content_report_reason"),
    doc: "Why the reporter flagged the content.",
    values: &[
        "spam",
        "harassment",
        "inappropriate_content",
        "copyright_violation",
        "misinformation",
        "other",
    ],
};

/// HS-E18 `content_report_status`: where a report is in moderation.
pub static CONTENT_REPORT_STATUS: EnumDef = EnumDef {
    name: "HeadShakersContentReportStatus",
    pg_type: Some("content_report_status"),
    doc: "Where a moderation report stands.",
    values: &["pending", "reviewed", "resolved", "dismissed"],
};
