//! `tokens` and `user_verifications` (auth database, seed `auth-schema.ts`).

use sea_orm_migration::prelude::*;

use super::m20260101_000001_users::PLATFORMS;
use crate::common::{
    create_enum, drop_enum, drop_tables, enum_col, fk, index, not_blank, timestamptz_now,
    updated_at_trigger, uuid_pk,
};

/// `user_verification_actions_enum` (DO-E06).
pub const VERIFICATION_ACTIONS: &[&str] = &["login", "register"];

/// Creates `user_verification_actions_enum`, `tokens` and `user_verifications`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_enum(
            manager,
            "user_verification_actions_enum",
            VERIFICATION_ACTIONS,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Alias::new("tokens"))
                    .col(
                        ColumnDef::new(Alias::new("id"))
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Alias::new("user_id")).integer().not_null())
                    .col(
                        ColumnDef::new(Alias::new("expire_at"))
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        enum_col(manager, "platform_type", "platform_types_enum", PLATFORMS)
                            .not_null(),
                    )
                    .foreign_key(&mut fk(
                        "tokens",
                        "user_id",
                        "users",
                        "id",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "idx_tokens_user_id", "tokens", &["user_id"], false).await?;

        manager
            .create_table(
                Table::create()
                    .table(Alias::new("user_verifications"))
                    .col(uuid_pk("id"))
                    .col(ColumnDef::new(Alias::new("user_id")).integer().not_null())
                    .col(ColumnDef::new(Alias::new("otp_code")).string().not_null())
                    // Values unstated (DO-E07, DO-A10): free text, e.g. 'email', 'sms'.
                    .col(
                        ColumnDef::new(Alias::new("verification_source"))
                            .string()
                            .not_null(),
                    )
                    .col(
                        enum_col(manager, "action_platform", "platform_types_enum", PLATFORMS)
                            .not_null(),
                    )
                    .col(
                        enum_col(
                            manager,
                            "action",
                            "user_verification_actions_enum",
                            VERIFICATION_ACTIONS,
                        )
                        .not_null(),
                    )
                    .col(
                        ColumnDef::new(Alias::new("verified"))
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .col(
                        ColumnDef::new(Alias::new("expire_at"))
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(timestamptz_now("created_at").not_null())
                    .col(timestamptz_now("updated_at").not_null())
                    .check((
                        Alias::new("ck_user_verifications_otp_code_not_blank"),
                        not_blank(manager, "otp_code"),
                    ))
                    .foreign_key(&mut fk(
                        "user_verifications",
                        "user_id",
                        "users",
                        "id",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        // Stated (“Composite index on `(id, user_id, otp_code)`”): the OTP lookup (DO-OP15).
        index(
            manager,
            "idx_user_verifications_id_user_id_otp_code",
            "user_verifications",
            &["id", "user_id", "otp_code"],
            false,
        )
        .await?;
        // Proposed: a user's pending verifications of one action.
        index(
            manager,
            "idx_user_verifications_user_id_action_verified",
            "user_verifications",
            &["user_id", "action", "verified"],
            false,
        )
        .await?;
        updated_at_trigger(manager, "user_verifications", "updated_at").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["user_verifications", "tokens"]).await?;
        drop_enum(manager, "user_verification_actions_enum").await
    }
}
