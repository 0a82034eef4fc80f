//! `characters` (CC-T02) and `generations` (CC-T03).

use sea_orm_migration::prelude::*;

use super::m20260101_000001_create_users_and_templates::{
    GENERATION_STATUS, GENERATION_STATUSES, STYLE_TYPE, STYLE_TYPES,
};
use crate::common::{
    drop_tables, enum_col, fk, gin_index, index, json_array_col, not_blank, timestamp_now,
    updated_at_trigger, uuid_pk,
};

/// Creates `characters` and `generations`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // CC-T02, CC-R01, CC-R04.
        manager
            .create_table(
                Table::create()
                    .table("characters")
                    .col(uuid_pk("id"))
                    .col(ColumnDef::new("user_id").uuid().not_null())
                    .col(ColumnDef::new("name").text().not_null())
                    .col(ColumnDef::new("prompt").text().not_null())
                    .col(enum_col(manager, "style_type", STYLE_TYPE, STYLE_TYPES).not_null())
                    .col(json_array_col("tags").not_null())
                    .col(
                        ColumnDef::new("is_public")
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .col(ColumnDef::new("image_url").text().null())
                    .col(ColumnDef::new("metadata").json_binary().null())
                    .col(ColumnDef::new("template_id").uuid().null())
                    .col(timestamp_now(manager, "created_at").not_null())
                    .col(timestamp_now(manager, "updated_at").not_null())
                    .foreign_key(&mut fk(
                        "characters",
                        "user_id",
                        "users",
                        "id",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "characters",
                        "template_id",
                        "character_templates",
                        "id",
                        ForeignKeyAction::SetNull,
                    ))
                    .check(Check::named(
                        "chk_characters_name_not_blank",
                        not_blank(manager, "name"),
                    ))
                    .check(Check::named(
                        "chk_characters_prompt_not_blank",
                        not_blank(manager, "prompt"),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_characters_user_id",
            "characters",
            &["user_id"],
            false,
        )
        .await?;
        index(
            manager,
            "idx_characters_style_type",
            "characters",
            &["style_type"],
            false,
        )
        .await?;
        index(
            manager,
            "idx_characters_is_public",
            "characters",
            &["is_public"],
            false,
        )
        .await?;
        index(
            manager,
            "idx_characters_is_public_created_at",
            "characters",
            &["is_public", "created_at"],
            false,
        )
        .await?;
        index(
            manager,
            "idx_characters_template_id",
            "characters",
            &["template_id"],
            false,
        )
        .await?;
        gin_index(manager, "idx_characters_tags", "characters", "tags").await?;
        updated_at_trigger(manager, "characters", "updated_at").await?;

        // CC-T03, CC-R02, CC-R03, CC-R05.
        manager
            .create_table(
                Table::create()
                    .table("generations")
                    .col(uuid_pk("id"))
                    .col(ColumnDef::new("user_id").uuid().not_null())
                    .col(ColumnDef::new("character_id").uuid().null())
                    .col(ColumnDef::new("template_id").uuid().null())
                    .col(ColumnDef::new("prompt").text().not_null())
                    .col(enum_col(manager, "style_type", STYLE_TYPE, STYLE_TYPES).not_null())
                    .col(
                        enum_col(manager, "status", GENERATION_STATUS, GENERATION_STATUSES)
                            .not_null()
                            .default(Expr::cust("'PENDING'")),
                    )
                    .col(ColumnDef::new("error_message").text().null())
                    .col(ColumnDef::new("result_url").text().null())
                    .col(ColumnDef::new("started_at").timestamp().null())
                    .col(ColumnDef::new("completed_at").timestamp().null())
                    .col(timestamp_now(manager, "created_at").not_null())
                    .col(timestamp_now(manager, "updated_at").not_null())
                    .foreign_key(&mut fk(
                        "generations",
                        "user_id",
                        "users",
                        "id",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "generations",
                        "character_id",
                        "characters",
                        "id",
                        ForeignKeyAction::SetNull,
                    ))
                    .foreign_key(&mut fk(
                        "generations",
                        "template_id",
                        "character_templates",
                        "id",
                        ForeignKeyAction::SetNull,
                    ))
                    .check(Check::named(
                        "chk_generations_prompt_not_blank",
                        not_blank(manager, "prompt"),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_generations_status_created_at",
            "generations",
            &["status", "created_at"],
            false,
        )
        .await?;
        index(
            manager,
            "idx_generations_user_id_created_at",
            "generations",
            &["user_id", "created_at"],
            false,
        )
        .await?;
        index(
            manager,
            "idx_generations_character_id",
            "generations",
            &["character_id"],
            false,
        )
        .await?;
        index(
            manager,
            "idx_generations_template_id",
            "generations",
            &["template_id"],
            false,
        )
        .await?;
        updated_at_trigger(manager, "generations", "updated_at").await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["generations", "characters"]).await
    }
}
