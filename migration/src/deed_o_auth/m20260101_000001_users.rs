//! `users` (auth database, seed `auth-schema.ts`) with its enum types and the updated-at trigger
//! function of this database.

use sea_orm_migration::prelude::*;

use crate::common::{
    create_enum, create_updated_at_function, drop_enum, drop_tables, drop_updated_at_function,
    enum_col, not_blank, timestamp_now, updated_at_trigger,
};

/// `users_roles_enum` (DO-E03).
pub const ROLES: &[&str] = &["moderator", "admin", "user"];

/// `users_statuses_enum` (DO-E04).
pub const STATUSES: &[&str] = &["inactive", "verified", "not-verified"];

/// `platform_types_enum` (DO-E05), also used by `tokens` and `user_verifications`.
pub const PLATFORMS: &[&str] = &["dobe", "cause-i", "deed-o"];

/// Creates `users_roles_enum`, `users_statuses_enum`, `platform_types_enum` and `users`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_updated_at_function(manager).await?;
        create_enum(manager, "users_roles_enum", ROLES).await?;
        create_enum(manager, "users_statuses_enum", STATUSES).await?;
        create_enum(manager, "platform_types_enum", PLATFORMS).await?;

        let string = |name: &'static str| {
            let mut def = ColumnDef::new(Alias::new(name));
            def.string();
            def
        };
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("users"))
                    .col(
                        ColumnDef::new(Alias::new("id"))
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(string("email").not_null().unique_key())
                    .col(string("name"))
                    .col(ColumnDef::new(Alias::new("contact_number")).big_integer())
                    .col(string("contact_number_country_code"))
                    .col(string("city"))
                    .col(string("state"))
                    .col(string("country"))
                    .col(ColumnDef::new(Alias::new("pincode")).integer())
                    .col(string("gender"))
                    .col(ColumnDef::new(Alias::new("dob")).date())
                    .col(
                        enum_col(manager, "status", "users_statuses_enum", STATUSES)
                            .not_null()
                            .default(Expr::cust("'not-verified'")),
                    )
                    .col(
                        enum_col(
                            manager,
                            "registration_platform",
                            "platform_types_enum",
                            PLATFORMS,
                        )
                        .not_null(),
                    )
                    .col(string("purpose_code"))
                    .col(string("nationality"))
                    .col(string("ethnicity"))
                    .col(string("qualification"))
                    .col(string("profession"))
                    .col(
                        enum_col(manager, "role", "users_roles_enum", ROLES)
                            .not_null()
                            .default(Expr::cust("'user'")),
                    )
                    .col(
                        ColumnDef::new(Alias::new("is_online"))
                            .boolean()
                            .default(false),
                    )
                    .col(timestamp_now(manager, "created_at").not_null())
                    .col(timestamp_now(manager, "updated_at").not_null())
                    .col(ColumnDef::new(Alias::new("deleted_at")).timestamp())
                    .check((
                        Alias::new("ck_users_email_not_blank"),
                        not_blank(manager, "email"),
                    ))
                    .to_owned(),
            )
            .await?;
        updated_at_trigger(manager, "users", "updated_at").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["users"]).await?;
        drop_enum(manager, "platform_types_enum").await?;
        drop_enum(manager, "users_statuses_enum").await?;
        drop_enum(manager, "users_roles_enum").await?;
        drop_updated_at_function(manager).await
    }
}
