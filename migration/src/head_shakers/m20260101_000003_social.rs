//! Follows, likes and comments (HS-T09..T11).

use sea_orm_migration::prelude::*;

use super::util::{check, col, counter, enum_default, flag, idx, stamp, touch, uuid_col};
use crate::common::{
    create_enum, drop_enum, drop_tables, enum_col, fk, non_negative, not_blank, partial_index,
    sqlite_len_checks, uuid_pk,
};

/// HS-E06 `follow_type`.
const FOLLOW_TYPE: &[&str] = &["user", "collection"];
/// HS-E07 `like_target_type`.
const LIKE_TARGET_TYPE: &[&str] = &["bobblehead", "collection", "comment"];
/// HS-E08 `comment_target_type`.
const COMMENT_TARGET_TYPE: &[&str] = &["bobblehead", "collection"];

const ENUMS: [(&str, &[&str]); 3] = [
    ("follow_type", FOLLOW_TYPE),
    ("like_target_type", LIKE_TARGET_TYPE),
    ("comment_target_type", COMMENT_TARGET_TYPE),
];

/// The social tables.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, values) in ENUMS {
            create_enum(manager, name, values).await?;
        }

        // HS-T09 follows
        let mut t = Table::create();
        t.table(Alias::new("follows"))
            .col(uuid_pk("id"))
            .col(uuid_col("follower_id", true))
            .col(uuid_col("following_id", true))
            .col(
                enum_col(manager, "follow_type", "follow_type", FOLLOW_TYPE)
                    .not_null()
                    .default(enum_default("user")),
            )
            .col(uuid_col("target_id", false))
            .col(stamp(manager, "created_at"))
            .col(stamp(manager, "updated_at"))
            .check(check(r#""follower_id" <> "following_id""#))
            // HS-A06: a user follow has no target; a collection follow names the collection.
            .check(check(r#"("follow_type" = 'user') = ("target_id" IS NULL)"#))
            .foreign_key(&mut fk(
                "follows",
                "follower_id",
                "users",
                "id",
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut fk(
                "follows",
                "following_id",
                "users",
                "id",
                ForeignKeyAction::Cascade,
            ));
        manager.create_table(t).await?;
        // HS-A06: the stated UNIQUE(follower_id, following_id, follow_type, target_id) as two
        // partial unique indexes, so that NULL target ids cannot repeat.
        partial_index(
            manager,
            "idx_follows_follower_id_following_id_follow_type",
            "follows",
            &["follower_id", "following_id", "follow_type"],
            r#""target_id" IS NULL"#,
            true,
        )
        .await?;
        partial_index(
            manager,
            "idx_follows_follower_id_following_id_follow_type_target_id",
            "follows",
            &["follower_id", "following_id", "follow_type", "target_id"],
            r#""target_id" IS NOT NULL"#,
            true,
        )
        .await?;
        idx(manager, "follows", &["following_id"], false).await?;
        idx(manager, "follows", &["follow_type", "target_id"], false).await?;
        touch(manager, "follows").await?;

        // HS-T10 likes
        let mut t = Table::create();
        t.table(Alias::new("likes"))
            .col(uuid_pk("id"))
            .col(uuid_col("user_id", true))
            .col(enum_col(manager, "target_type", "like_target_type", LIKE_TARGET_TYPE).not_null())
            .col(uuid_col("target_id", true))
            .col(stamp(manager, "created_at"))
            .col(stamp(manager, "updated_at"))
            .foreign_key(&mut fk(
                "likes",
                "user_id",
                "users",
                "id",
                ForeignKeyAction::Cascade,
            ));
        manager.create_table(t).await?;
        idx(
            manager,
            "likes",
            &["user_id", "target_type", "target_id"],
            true,
        )
        .await?;
        idx(manager, "likes", &["target_type", "target_id"], false).await?;
        touch(manager, "likes").await?;

        // HS-T11 comments
        let mut t = Table::create();
        t.table(Alias::new("comments"))
            .col(uuid_pk("id"))
            .col(uuid_col("user_id", true))
            .col(
                enum_col(
                    manager,
                    "target_type",
                    "comment_target_type",
                    COMMENT_TARGET_TYPE,
                )
                .not_null(),
            )
            .col(uuid_col("target_id", true))
            .col(uuid_col("parent_comment_id", false))
            .col(col("content").string_len(5000).not_null())
            .col(counter("like_count"))
            .col(flag("is_edited", false))
            .col(flag("is_deleted", false))
            .col(col("edited_at").timestamp().null())
            .col(col("deleted_at").timestamp().null())
            .col(stamp(manager, "created_at"))
            .col(stamp(manager, "updated_at"))
            .check(non_negative("like_count"))
            .check(check(r#""parent_comment_id" <> "id""#))
            .check(not_blank(manager, "content"))
            .foreign_key(&mut fk(
                "comments",
                "user_id",
                "users",
                "id",
                ForeignKeyAction::Cascade,
            ))
            // HS-A18: hard-deleting a comment removes its replies.
            .foreign_key(&mut fk(
                "comments",
                "parent_comment_id",
                "comments",
                "id",
                ForeignKeyAction::Cascade,
            ));
        sqlite_len_checks(manager, &mut t, &[("content", 5000)]);
        manager.create_table(t).await?;
        idx(
            manager,
            "comments",
            &["target_type", "target_id", "created_at"],
            false,
        )
        .await?;
        idx(manager, "comments", &["user_id"], false).await?;
        idx(manager, "comments", &["parent_comment_id"], false).await?;
        touch(manager, "comments").await?;

        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["comments", "likes", "follows"]).await?;
        for (name, _) in ENUMS.iter().rev() {
            drop_enum(manager, name).await?;
        }
        Ok(())
    }
}
