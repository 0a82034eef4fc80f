//! Users, their 1:1 settings, and the four PROPOSED user tables (HS-T06..T08, HS-T19..T22).

use sea_orm_migration::prelude::*;

use super::util::{
    check, col, counter, enum_default, flag, idx, stamp, stamp_required, touch, uuid_col,
};
use crate::common::{
    create_enum, create_updated_at_function, drop_enum, drop_tables, drop_updated_at_function,
    enum_col, fk, non_negative, not_blank, sqlite_len_checks, uuid_pk,
};

/// HS-E01 `privacy_level`.
const PRIVACY_LEVEL: &[&str] = &["public", "followers", "private"];
/// HS-E02 `comment_permission`.
const COMMENT_PERMISSION: &[&str] = &["anyone", "followers", "none"];
/// HS-E03 `dm_permission`.
const DM_PERMISSION: &[&str] = &["anyone", "followers", "none"];
/// HS-E04 `theme`.
const THEME: &[&str] = &["light", "dark", "system"];
/// HS-E05 `digest_frequency`.
const DIGEST_FREQUENCY: &[&str] = &["daily", "weekly", "monthly", "never"];

const ENUMS: [(&str, &[&str]); 5] = [
    ("privacy_level", PRIVACY_LEVEL),
    ("comment_permission", COMMENT_PERMISSION),
    ("dm_permission", DM_PERMISSION),
    ("theme", THEME),
    ("digest_frequency", DIGEST_FREQUENCY),
];

/// Users, settings, sessions, login history, activity and blocks.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_updated_at_function(manager).await?;
        for (name, values) in ENUMS {
            create_enum(manager, name, values).await?;
        }

        // HS-T06 users
        let mut t = Table::create();
        t.table(Alias::new("users"))
            .col(uuid_pk("id"))
            .col(col("clerk_id").string_len(255).not_null().unique_key())
            .col(col("username").string_len(50).not_null().unique_key())
            .col(col("email").string_len(255).not_null().unique_key())
            .col(col("display_name").string_len(100).not_null())
            .col(col("bio").string_len(500).null())
            // HS-A13: kept at varchar(100) as the seed states.
            .col(col("avatar_url").string_len(100).null())
            .col(col("location").string_len(100).null())
            .col(flag("is_verified", false))
            .col(flag("is_deleted", false))
            .col(counter("failed_login_attempts"))
            .col(col("last_active_at").timestamp().null())
            .col(col("last_failed_login_at").timestamp().null())
            .col(col("locked_until").timestamp().null())
            .col(stamp(manager, "member_since"))
            .col(col("deleted_at").timestamp().null())
            .col(stamp(manager, "created_at"))
            .col(stamp(manager, "updated_at"))
            .check(non_negative("failed_login_attempts"))
            .check(not_blank(manager, "username"))
            .check(not_blank(manager, "email"))
            .check(not_blank(manager, "display_name"));
        sqlite_len_checks(
            manager,
            &mut t,
            &[
                ("clerk_id", 255),
                ("username", 50),
                ("email", 255),
                ("display_name", 100),
                ("bio", 500),
                ("avatar_url", 100),
                ("location", 100),
            ],
        );
        manager.create_table(t).await?;
        idx(manager, "users", &["created_at"], false).await?;
        idx(manager, "users", &["is_deleted"], false).await?;
        touch(manager, "users").await?;

        // HS-T07 user_settings
        let mut t = Table::create();
        t.table(Alias::new("user_settings"))
            .col(uuid_pk("id"))
            .col(uuid_col("user_id", true).unique_key())
            .col(
                enum_col(
                    manager,
                    "profile_visibility",
                    "privacy_level",
                    PRIVACY_LEVEL,
                )
                .null()
                .default(enum_default("public")),
            )
            .col(
                enum_col(
                    manager,
                    "allow_comments",
                    "comment_permission",
                    COMMENT_PERMISSION,
                )
                .null()
                .default(enum_default("anyone")),
            )
            .col(
                enum_col(
                    manager,
                    "allow_direct_messages",
                    "dm_permission",
                    DM_PERMISSION,
                )
                .null()
                .default(enum_default("followers")),
            )
            .col(flag("show_collection_stats", true))
            .col(flag("show_collection_value", false))
            .col(flag("show_join_date", true))
            .col(flag("show_last_active", false))
            .col(flag("show_location", false))
            .col(flag("show_real_name", false))
            .col(flag("moderate_comments", false))
            .col(
                enum_col(manager, "theme", "theme", THEME)
                    .null()
                    .default(enum_default("light")),
            )
            .col(col("language").string_len(10).null().default("en"))
            .col(col("timezone").string_len(50).null().default("UTC"))
            .col(col("currency").string_len(10).null().default("USD"))
            // HS-E22 / HS-A15: varchar, not the privacy_level enum; no CHECK.
            .col(
                col("default_item_privacy")
                    .string_len(20)
                    .null()
                    .default("public"),
            )
            .col(stamp(manager, "created_at"))
            .col(stamp(manager, "updated_at"))
            .foreign_key(&mut fk(
                "user_settings",
                "user_id",
                "users",
                "id",
                ForeignKeyAction::Cascade,
            ));
        sqlite_len_checks(
            manager,
            &mut t,
            &[
                ("language", 10),
                ("timezone", 50),
                ("currency", 10),
                ("default_item_privacy", 20),
            ],
        );
        manager.create_table(t).await?;
        touch(manager, "user_settings").await?;

        // HS-T08 notification_settings
        let mut t = Table::create();
        t.table(Alias::new("notification_settings"))
            .col(uuid_pk("id"))
            .col(uuid_col("user_id", true).unique_key())
            .col(flag("email_new_comments", true))
            .col(flag("email_new_followers", true))
            .col(flag("email_new_likes", true))
            .col(flag("email_platform_updates", true))
            .col(flag("email_weekly_digest", true))
            .col(flag("in_app_new_comments", true))
            .col(flag("in_app_new_followers", true))
            .col(flag("in_app_new_likes", true))
            .col(flag("in_app_following_updates", true))
            .col(flag("push_new_comments", true))
            .col(flag("push_new_followers", true))
            .col(flag("push_new_likes", false))
            .col(
                enum_col(
                    manager,
                    "digest_frequency",
                    "digest_frequency",
                    DIGEST_FREQUENCY,
                )
                .null()
                .default(enum_default("weekly")),
            )
            .col(stamp(manager, "created_at"))
            .col(stamp(manager, "updated_at"))
            .foreign_key(&mut fk(
                "notification_settings",
                "user_id",
                "users",
                "id",
                ForeignKeyAction::Cascade,
            ));
        manager.create_table(t).await?;
        touch(manager, "notification_settings").await?;

        // HS-T19 user_sessions (PROPOSED)
        let mut t = Table::create();
        t.table(Alias::new("user_sessions"))
            .col(uuid_pk("id"))
            .col(uuid_col("user_id", true))
            .col(col("session_token").string_len(255).not_null().unique_key())
            .col(col("device_info").json_binary().null())
            .col(col("ip_address").string_len(45).null())
            .col(col("user_agent").string_len(1000).null())
            .col(flag("is_active", true))
            .col(stamp(manager, "last_activity_at"))
            .col(col("expires_at").timestamp().not_null())
            .col(stamp_required(manager, "created_at"))
            .col(stamp_required(manager, "updated_at"))
            .foreign_key(&mut fk(
                "user_sessions",
                "user_id",
                "users",
                "id",
                ForeignKeyAction::Cascade,
            ));
        sqlite_len_checks(
            manager,
            &mut t,
            &[
                ("session_token", 255),
                ("ip_address", 45),
                ("user_agent", 1000),
            ],
        );
        manager.create_table(t).await?;
        idx(manager, "user_sessions", &["user_id"], false).await?;
        idx(manager, "user_sessions", &["user_id", "is_active"], false).await?;
        idx(manager, "user_sessions", &["expires_at"], false).await?;
        touch(manager, "user_sessions").await?;

        // HS-T20 login_history (PROPOSED, append-only)
        let mut t = Table::create();
        t.table(Alias::new("login_history"))
            .col(uuid_pk("id"))
            .col(uuid_col("user_id", true))
            .col(col("login_method").string_len(50).null())
            .col(col("is_successful").boolean().not_null())
            .col(col("failure_reason").string_len(255).null())
            .col(col("ip_address").string_len(45).null())
            .col(col("user_agent").string_len(1000).null())
            .col(col("device_info").json_binary().null())
            .col(stamp_required(manager, "login_at"))
            .foreign_key(&mut fk(
                "login_history",
                "user_id",
                "users",
                "id",
                ForeignKeyAction::Cascade,
            ));
        sqlite_len_checks(
            manager,
            &mut t,
            &[
                ("login_method", 50),
                ("failure_reason", 255),
                ("ip_address", 45),
                ("user_agent", 1000),
            ],
        );
        manager.create_table(t).await?;
        idx(manager, "login_history", &["user_id", "login_at"], false).await?;
        idx(manager, "login_history", &["ip_address"], false).await?;

        // HS-T21 user_activity (PROPOSED, append-only)
        let mut t = Table::create();
        t.table(Alias::new("user_activity"))
            .col(uuid_pk("id"))
            .col(uuid_col("user_id", true))
            .col(col("action_type").string_len(50).not_null())
            .col(col("target_type").string_len(50).null())
            .col(uuid_col("target_id", false))
            .col(col("metadata").json_binary().null())
            .col(col("ip_address").string_len(45).null())
            .col(col("user_agent").string_len(1000).null())
            .col(stamp_required(manager, "created_at"))
            .foreign_key(&mut fk(
                "user_activity",
                "user_id",
                "users",
                "id",
                ForeignKeyAction::Cascade,
            ));
        sqlite_len_checks(
            manager,
            &mut t,
            &[
                ("action_type", 50),
                ("target_type", 50),
                ("ip_address", 45),
                ("user_agent", 1000),
            ],
        );
        manager.create_table(t).await?;
        idx(manager, "user_activity", &["user_id", "created_at"], false).await?;
        idx(manager, "user_activity", &["action_type"], false).await?;
        idx(
            manager,
            "user_activity",
            &["target_type", "target_id"],
            false,
        )
        .await?;

        // HS-T22 user_blocks (PROPOSED)
        let mut t = Table::create();
        t.table(Alias::new("user_blocks"))
            .col(uuid_pk("id"))
            .col(uuid_col("blocker_id", true))
            .col(uuid_col("blocked_id", true))
            .col(col("reason").string_len(500).null())
            .col(stamp_required(manager, "created_at"))
            .col(stamp_required(manager, "updated_at"))
            .check(check(r#""blocker_id" <> "blocked_id""#))
            .foreign_key(&mut fk(
                "user_blocks",
                "blocker_id",
                "users",
                "id",
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut fk(
                "user_blocks",
                "blocked_id",
                "users",
                "id",
                ForeignKeyAction::Cascade,
            ));
        sqlite_len_checks(manager, &mut t, &[("reason", 500)]);
        manager.create_table(t).await?;
        idx(manager, "user_blocks", &["blocker_id", "blocked_id"], true).await?;
        idx(manager, "user_blocks", &["blocked_id"], false).await?;
        touch(manager, "user_blocks").await?;

        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "user_blocks",
                "user_activity",
                "login_history",
                "user_sessions",
                "notification_settings",
                "user_settings",
                "users",
            ],
        )
        .await?;
        for (name, _) in ENUMS.iter().rev() {
            drop_enum(manager, name).await?;
        }
        drop_updated_at_function(manager).await
    }
}
