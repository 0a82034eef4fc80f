//! The enum types, `users` (CC-T01) and `character_templates` (CC-T04), and the `updated_at`
//! trigger function every table of this database uses.

use sea_orm_migration::prelude::*;

use crate::common::{
    create_enum, create_updated_at_function, drop_enum, drop_tables, drop_updated_at_function,
    enum_col, gin_index, json_array_col, not_blank, timestamp_now, updated_at_trigger, uuid_pk,
};

/// PostgreSQL enum type of `users.subscription_tier` (CC-E01).
pub(super) const SUBSCRIPTION_TIER: &str = "subscription_tier";
/// Values of [`SUBSCRIPTION_TIER`], UPPER_CASE as Prisma writes them.
pub(super) const SUBSCRIPTION_TIERS: &[&str] = &["FREE", "PREMIUM", "PRO"];
/// PostgreSQL enum type of every `style_type` column (CC-E02).
pub(super) const STYLE_TYPE: &str = "style_type";
/// Values of [`STYLE_TYPE`].
pub(super) const STYLE_TYPES: &[&str] = &["FANTASY", "REALISTIC", "ANIME", "CARTOON", "SCI_FI"];
/// PostgreSQL enum type of `generations.status` (CC-E03).
pub(super) const GENERATION_STATUS: &str = "generation_status";
/// Values of [`GENERATION_STATUS`].
pub(super) const GENERATION_STATUSES: &[&str] = &["PENDING", "PROCESSING", "COMPLETED", "FAILED"];

/// Creates the enum types, `users` and `character_templates`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_updated_at_function(manager).await?;
        create_enum(manager, SUBSCRIPTION_TIER, SUBSCRIPTION_TIERS).await?;
        create_enum(manager, STYLE_TYPE, STYLE_TYPES).await?;
        create_enum(manager, GENERATION_STATUS, GENERATION_STATUSES).await?;

        // CC-T01. Auth0 holds the credentials, so there is no password column; the daily quota
        // is counted from `generations` (CC-A05), so there is no counter either.
        manager
            .create_table(
                Table::create()
                    .table("users")
                    .col(uuid_pk("id"))
                    .col(ColumnDef::new("email").text().not_null())
                    .col(ColumnDef::new("name").text().null())
                    .col(ColumnDef::new("auth0_id").text().null())
                    .col(
                        enum_col(
                            manager,
                            "subscription_tier",
                            SUBSCRIPTION_TIER,
                            SUBSCRIPTION_TIERS,
                        )
                        .not_null()
                        .default(Expr::cust("'FREE'")),
                    )
                    .col(timestamp_now(manager, "created_at").not_null())
                    .col(timestamp_now(manager, "updated_at").not_null())
                    .index(Index::create().name("uq_users_email").col("email").unique())
                    .index(
                        Index::create()
                            .name("uq_users_auth0_id")
                            .col("auth0_id")
                            .unique(),
                    )
                    .check(Check::named(
                        "chk_users_email_not_blank",
                        not_blank(manager, "email"),
                    ))
                    .check(Check::named(
                        "chk_users_name_not_blank",
                        not_blank(manager, "name"),
                    ))
                    .check(Check::named(
                        "chk_users_auth0_id_not_blank",
                        not_blank(manager, "auth0_id"),
                    ))
                    .to_owned(),
            )
            .await?;
        updated_at_trigger(manager, "users", "updated_at").await?;

        // CC-T04. Seeded, looked up by name.
        manager
            .create_table(
                Table::create()
                    .table("character_templates")
                    .col(uuid_pk("id"))
                    .col(ColumnDef::new("name").text().not_null())
                    .col(ColumnDef::new("description").text().null())
                    .col(enum_col(manager, "style_type", STYLE_TYPE, STYLE_TYPES).not_null())
                    .col(ColumnDef::new("prompt_template").text().not_null())
                    .col(json_array_col("tags").not_null())
                    .col(
                        ColumnDef::new("is_active")
                            .boolean()
                            .not_null()
                            .default(true),
                    )
                    .col(timestamp_now(manager, "created_at").not_null())
                    .col(timestamp_now(manager, "updated_at").not_null())
                    .index(
                        Index::create()
                            .name("uq_character_templates_name")
                            .col("name")
                            .unique(),
                    )
                    .check(Check::named(
                        "chk_character_templates_name_not_blank",
                        not_blank(manager, "name"),
                    ))
                    .check(Check::named(
                        "chk_character_templates_prompt_template_not_blank",
                        not_blank(manager, "prompt_template"),
                    ))
                    .to_owned(),
            )
            .await?;
        gin_index(
            manager,
            "idx_character_templates_tags",
            "character_templates",
            "tags",
        )
        .await?;
        updated_at_trigger(manager, "character_templates", "updated_at").await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["character_templates", "users"]).await?;
        drop_enum(manager, GENERATION_STATUS).await?;
        drop_enum(manager, STYLE_TYPE).await?;
        drop_enum(manager, SUBSCRIPTION_TIER).await?;
        drop_updated_at_function(manager).await
    }
}
