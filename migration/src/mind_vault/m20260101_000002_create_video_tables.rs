//! Video processing and content organization: `video_summary`, `tag`, `category`, `keyframe`,
//! `video_summary_tag`, `video_summary_category` (MV-T02..T07), as stated.

use sea_orm_migration::prelude::*;

use super::m20260101_000001_create_auth_tables::text_pk;
use crate::common::{
    checked_string, drop_tables, fk, index, non_negative, not_blank, timestamp_now,
    updated_at_trigger,
};

/// Values of `video_summary.processing_status` (MV-E01), lower-case as stated.
const PROCESSING_STATUSES: &[&str] = &["pending", "processing", "completed", "failed"];

/// `tag` and `category` share one shape: a globally unique, non-blank name (MV-T03, MV-T04).
fn vocabulary(manager: &SchemaManager, table: &'static str) -> TableCreateStatement {
    Table::create()
        .table(table)
        .col(text_pk("id"))
        .col(ColumnDef::new("name").text().not_null())
        .col(ColumnDef::new("description").text().null())
        .col(timestamp_now(manager, "created_at").not_null())
        .index(
            Index::create()
                .name(format!("uq_{table}_name"))
                .col("name")
                .unique(),
        )
        .check(Check::named(
            format!("chk_{table}_name_not_blank"),
            not_blank(manager, "name"),
        ))
        .to_owned()
}

/// A many-to-many link table: composite primary key, both sides ON DELETE CASCADE.
fn link(
    table: &'static str,
    other_col: &'static str,
    other_table: &'static str,
) -> TableCreateStatement {
    Table::create()
        .table(table)
        .col(ColumnDef::new("video_summary_id").text().not_null())
        .col(ColumnDef::new(other_col).text().not_null())
        .primary_key(Index::create().col("video_summary_id").col(other_col))
        .foreign_key(&mut fk(
            table,
            "video_summary_id",
            "video_summary",
            "id",
            ForeignKeyAction::Cascade,
        ))
        .foreign_key(&mut fk(
            table,
            other_col,
            other_table,
            "id",
            ForeignKeyAction::Cascade,
        ))
        .to_owned()
}

/// Creates the video tables.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // MV-T02, MV-R01.
        manager
            .create_table(
                Table::create()
                    .table("video_summary")
                    .col(text_pk("id"))
                    .col(ColumnDef::new("user_id").text().not_null())
                    .col(ColumnDef::new("youtube_url").text().not_null())
                    .col(ColumnDef::new("youtube_id").text().not_null())
                    .col(ColumnDef::new("title").text().not_null())
                    .col(ColumnDef::new("description").text().null())
                    .col(ColumnDef::new("channel_name").text().null())
                    .col(ColumnDef::new("duration").integer().null())
                    .col(ColumnDef::new("thumbnail_url").text().null())
                    .col(
                        checked_string("processing_status", None, PROCESSING_STATUSES)
                            .not_null()
                            .default("pending"),
                    )
                    .col(ColumnDef::new("processing_error").text().null())
                    .col(ColumnDef::new("ai_generated_content").json().null())
                    .col(timestamp_now(manager, "created_at").not_null())
                    .col(timestamp_now(manager, "updated_at").not_null())
                    .foreign_key(&mut fk(
                        "video_summary",
                        "user_id",
                        "user",
                        "id",
                        ForeignKeyAction::Cascade,
                    ))
                    .check(Check::named(
                        "chk_video_summary_duration_non_negative",
                        non_negative("duration"),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_video_summary_user_id",
            "video_summary",
            &["user_id"],
            false,
        )
        .await?;
        index(
            manager,
            "idx_video_summary_youtube_id",
            "video_summary",
            &["youtube_id"],
            false,
        )
        .await?;
        index(
            manager,
            "idx_video_summary_user_id_youtube_id",
            "video_summary",
            &["user_id", "youtube_id"],
            false,
        )
        .await?;
        updated_at_trigger(manager, "video_summary", "updated_at").await?;

        // MV-T03, MV-T04.
        manager.create_table(vocabulary(manager, "tag")).await?;
        manager
            .create_table(vocabulary(manager, "category"))
            .await?;

        // MV-T05, MV-R02.
        manager
            .create_table(
                Table::create()
                    .table("keyframe")
                    .col(text_pk("id"))
                    .col(ColumnDef::new("video_summary_id").text().not_null())
                    .col(ColumnDef::new("timestamp").integer().not_null())
                    .col(ColumnDef::new("image_url").text().not_null())
                    .col(ColumnDef::new("description").text().null())
                    .col(timestamp_now(manager, "created_at").not_null())
                    .foreign_key(&mut fk(
                        "keyframe",
                        "video_summary_id",
                        "video_summary",
                        "id",
                        ForeignKeyAction::Cascade,
                    ))
                    .check(Check::named(
                        "chk_keyframe_timestamp_non_negative",
                        non_negative("timestamp"),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_keyframe_video_summary_id",
            "keyframe",
            &["video_summary_id"],
            false,
        )
        .await?;
        index(
            manager,
            "idx_keyframe_video_summary_id_timestamp",
            "keyframe",
            &["video_summary_id", "timestamp"],
            false,
        )
        .await?;

        // MV-T06, MV-T07, MV-R03, MV-R04.
        manager
            .create_table(link("video_summary_tag", "tag_id", "tag"))
            .await?;
        index(
            manager,
            "idx_video_summary_tag_tag_id",
            "video_summary_tag",
            &["tag_id"],
            false,
        )
        .await?;
        manager
            .create_table(link("video_summary_category", "category_id", "category"))
            .await?;
        index(
            manager,
            "idx_video_summary_category_category_id",
            "video_summary_category",
            &["category_id"],
            false,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "video_summary_category",
                "video_summary_tag",
                "keyframe",
                "category",
                "tag",
                "video_summary",
            ],
        )
        .await
    }
}
