//! Analytics, system and moderation tables (HS-T12..T17).

use sea_orm_migration::prelude::*;

use super::util::{check, col, counter, enum_default, flag, idx, stamp, touch, uuid_col};
use crate::common::{
    create_enum, drop_enum, drop_tables, enum_col, fk, non_negative, not_blank, sqlite_len_checks,
    uuid_pk,
};

/// HS-E09 `content_views_target_type`.
const CONTENT_VIEWS_TARGET_TYPE: &[&str] =
    &["bobblehead", "collection", "sub_collection", "profile"];
/// HS-E10 `result_type`.
const RESULT_TYPE: &[&str] = &["bobblehead", "collection", "sub_collection", "user"];
/// HS-E11 `featured_content_type`.
const FEATURED_CONTENT_TYPE: &[&str] = &["bobblehead", "collection", "sub_collection", "user"];
/// HS-E12 `feature_type`.
const FEATURE_TYPE: &[&str] = &[
    "homepage_banner",
    "editor_pick",
    "trending",
    "collection_of_week",
];
/// HS-E13 `notification_type`.
const NOTIFICATION_TYPE: &[&str] = &["comment", "follow", "like", "following_update", "system"];
/// HS-E14 `notification_related_type`.
const NOTIFICATION_RELATED_TYPE: &[&str] = &[
    "bobblehead",
    "collection",
    "sub_collection",
    "comment",
    "user",
];
/// HS-E15 `value_type`.
const VALUE_TYPE: &[&str] = &["string", "number", "boolean", "json"];
/// HS-E16 `content_report_target_type`.
const CONTENT_REPORT_TARGET_TYPE: &[&str] = &[
    "bobblehead",
    "collection",
    "sub_collection",
    "comment",
    "user",
];
/// HS-E17 `content_report_reason`.
const CONTENT_REPORT_REASON: &[&str] = &[
    "spam",
    "harassment",
    "inappropriate_content",
    "copyright_violation",
    "misinformation",
    "other",
];
/// HS-E18 `content_report_status`.
const CONTENT_REPORT_STATUS: &[&str] = &["pending", "reviewed", "resolved", "dismissed"];

const ENUMS: [(&str, &[&str]); 10] = [
    ("content_views_target_type", CONTENT_VIEWS_TARGET_TYPE),
    ("result_type", RESULT_TYPE),
    ("featured_content_type", FEATURED_CONTENT_TYPE),
    ("feature_type", FEATURE_TYPE),
    ("notification_type", NOTIFICATION_TYPE),
    ("notification_related_type", NOTIFICATION_RELATED_TYPE),
    ("value_type", VALUE_TYPE),
    ("content_report_target_type", CONTENT_REPORT_TARGET_TYPE),
    ("content_report_reason", CONTENT_REPORT_REASON),
    ("content_report_status", CONTENT_REPORT_STATUS),
];

/// Views, searches, featured content, notifications, platform settings and reports.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, values) in ENUMS {
            create_enum(manager, name, values).await?;
        }

        // HS-T12 content_views
        let mut t = Table::create();
        t.table(Alias::new("content_views"))
            .col(uuid_pk("id"))
            .col(uuid_col("viewer_id", false))
            .col(
                enum_col(
                    manager,
                    "target_type",
                    "content_views_target_type",
                    CONTENT_VIEWS_TARGET_TYPE,
                )
                .not_null(),
            )
            .col(uuid_col("target_id", true))
            .col(col("ip_address").string_len(45).null())
            .col(col("user_agent").string_len(1000).null())
            .col(col("referrer_url").string_len(500).null())
            .col(col("view_duration").integer().null())
            .col(stamp(manager, "viewed_at"))
            .check(non_negative("view_duration"))
            .foreign_key(&mut fk(
                "content_views",
                "viewer_id",
                "users",
                "id",
                ForeignKeyAction::SetNull,
            ));
        sqlite_len_checks(
            manager,
            &mut t,
            &[
                ("ip_address", 45),
                ("user_agent", 1000),
                ("referrer_url", 500),
            ],
        );
        manager.create_table(t).await?;
        idx(
            manager,
            "content_views",
            &["target_type", "target_id"],
            false,
        )
        .await?;
        idx(manager, "content_views", &["viewer_id"], false).await?;
        idx(manager, "content_views", &["viewed_at"], false).await?;

        // HS-T13 search_queries
        let mut t = Table::create();
        t.table(Alias::new("search_queries"))
            .col(uuid_pk("id"))
            .col(uuid_col("user_id", false))
            // HS-A17: no foreign key.
            .col(uuid_col("session_id", false))
            .col(col("query").string_len(500).not_null())
            .col(col("filters").json_binary().null())
            .col(col("result_count").integer().null())
            .col(uuid_col("clicked_result_id", false))
            .col(enum_col(manager, "clicked_result_type", "result_type", RESULT_TYPE).null())
            .col(col("ip_address").string_len(45).null())
            .col(stamp(manager, "searched_at"))
            .check(non_negative("result_count"))
            .check(check(
                r#"("clicked_result_id" IS NULL) = ("clicked_result_type" IS NULL)"#,
            ))
            .foreign_key(&mut fk(
                "search_queries",
                "user_id",
                "users",
                "id",
                ForeignKeyAction::SetNull,
            ));
        sqlite_len_checks(manager, &mut t, &[("query", 500), ("ip_address", 45)]);
        manager.create_table(t).await?;
        idx(manager, "search_queries", &["user_id"], false).await?;
        idx(manager, "search_queries", &["searched_at"], false).await?;

        // HS-T14 featured_content
        let mut t = Table::create();
        t.table(Alias::new("featured_content"))
            .col(uuid_pk("id"))
            .col(
                enum_col(
                    manager,
                    "content_type",
                    "featured_content_type",
                    FEATURED_CONTENT_TYPE,
                )
                .not_null(),
            )
            .col(uuid_col("content_id", true))
            .col(enum_col(manager, "feature_type", "feature_type", FEATURE_TYPE).not_null())
            .col(col("title").string_len(255).null())
            .col(col("description").text().null())
            .col(col("image_url").text().null())
            .col(uuid_col("curator_id", false))
            .col(counter("sort_order"))
            .col(flag("is_active", true))
            .col(col("start_date").timestamp().null())
            .col(col("end_date").timestamp().null())
            .col(stamp(manager, "created_at"))
            .col(stamp(manager, "updated_at"))
            .check(check(
                r#""end_date" IS NULL OR "start_date" IS NULL OR "end_date" >= "start_date""#,
            ))
            .foreign_key(&mut fk(
                "featured_content",
                "curator_id",
                "users",
                "id",
                ForeignKeyAction::SetNull,
            ));
        sqlite_len_checks(manager, &mut t, &[("title", 255)]);
        manager.create_table(t).await?;
        idx(
            manager,
            "featured_content",
            &["is_active", "start_date", "end_date"],
            false,
        )
        .await?;
        idx(
            manager,
            "featured_content",
            &["content_type", "content_id"],
            false,
        )
        .await?;
        idx(
            manager,
            "featured_content",
            &["feature_type", "sort_order"],
            false,
        )
        .await?;
        touch(manager, "featured_content").await?;

        // HS-T15 notifications
        let mut t = Table::create();
        t.table(Alias::new("notifications"))
            .col(uuid_pk("id"))
            .col(uuid_col("user_id", true))
            .col(enum_col(manager, "type", "notification_type", NOTIFICATION_TYPE).not_null())
            .col(col("title").string_len(255).not_null())
            .col(col("message").text().null())
            .col(
                enum_col(
                    manager,
                    "related_type",
                    "notification_related_type",
                    NOTIFICATION_RELATED_TYPE,
                )
                .null(),
            )
            .col(uuid_col("related_id", false))
            .col(uuid_col("related_user_id", false))
            .col(col("action_url").text().null())
            .col(flag("is_read", false))
            .col(flag("is_email_sent", false))
            .col(col("read_at").timestamp().null())
            .col(stamp(manager, "created_at"))
            .check(check(
                r#"("related_id" IS NULL) = ("related_type" IS NULL)"#,
            ))
            .foreign_key(&mut fk(
                "notifications",
                "user_id",
                "users",
                "id",
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut fk(
                "notifications",
                "related_user_id",
                "users",
                "id",
                ForeignKeyAction::SetNull,
            ));
        sqlite_len_checks(manager, &mut t, &[("title", 255)]);
        manager.create_table(t).await?;
        idx(manager, "notifications", &["user_id", "is_read"], false).await?;
        idx(manager, "notifications", &["user_id", "created_at"], false).await?;

        // HS-T16 platform_settings
        let mut t = Table::create();
        t.table(Alias::new("platform_settings"))
            .col(uuid_pk("id"))
            .col(col("key").string_len(100).not_null().unique_key())
            .col(col("value").text().null())
            .col(
                enum_col(manager, "value_type", "value_type", VALUE_TYPE)
                    .null()
                    .default(enum_default("string")),
            )
            .col(col("description").text().null())
            .col(flag("is_public", false))
            .col(uuid_col("updated_by", false))
            .col(stamp(manager, "created_at"))
            .col(stamp(manager, "updated_at"))
            .check(not_blank(manager, "key"))
            .foreign_key(&mut fk(
                "platform_settings",
                "updated_by",
                "users",
                "id",
                ForeignKeyAction::SetNull,
            ));
        sqlite_len_checks(manager, &mut t, &[("key", 100)]);
        manager.create_table(t).await?;
        touch(manager, "platform_settings").await?;

        // HS-T17 content_reports
        let mut t = Table::create();
        t.table(Alias::new("content_reports"))
            .col(uuid_pk("id"))
            .col(uuid_col("reporter_id", false))
            .col(
                enum_col(
                    manager,
                    "target_type",
                    "content_report_target_type",
                    CONTENT_REPORT_TARGET_TYPE,
                )
                .not_null(),
            )
            .col(uuid_col("target_id", true))
            .col(
                enum_col(
                    manager,
                    "reason",
                    "content_report_reason",
                    CONTENT_REPORT_REASON,
                )
                .not_null(),
            )
            .col(col("description").string_len(1000).null())
            .col(
                enum_col(
                    manager,
                    "status",
                    "content_report_status",
                    CONTENT_REPORT_STATUS,
                )
                .null()
                .default(enum_default("pending")),
            )
            .col(uuid_col("moderator_id", false))
            // HS-A19: unbounded varchar.
            .col(col("moderator_notes").string().null())
            .col(col("resolved_at").timestamp().null())
            .col(stamp(manager, "created_at"))
            .col(stamp(manager, "updated_at"))
            .foreign_key(&mut fk(
                "content_reports",
                "reporter_id",
                "users",
                "id",
                ForeignKeyAction::SetNull,
            ))
            .foreign_key(&mut fk(
                "content_reports",
                "moderator_id",
                "users",
                "id",
                ForeignKeyAction::SetNull,
            ));
        sqlite_len_checks(manager, &mut t, &[("description", 1000)]);
        manager.create_table(t).await?;
        idx(manager, "content_reports", &["status"], false).await?;
        idx(
            manager,
            "content_reports",
            &["target_type", "target_id"],
            false,
        )
        .await?;
        idx(manager, "content_reports", &["reporter_id"], false).await?;
        touch(manager, "content_reports").await?;

        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "content_reports",
                "platform_settings",
                "notifications",
                "featured_content",
                "search_queries",
                "content_views",
            ],
        )
        .await?;
        for (name, _) in ENUMS.iter().rev() {
            drop_enum(manager, name).await?;
        }
        Ok(())
    }
}
