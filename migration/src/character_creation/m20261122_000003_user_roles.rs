//! `users.role`: Character Creation administrators.
//!
//! The seed keeps credentials in Auth0 and shows no role; the gateway takes roles from the
//! source's own data, never from a token's claims, so the role is a column: enum `user_role`
//! (`USER`, `ADMIN`, UPPER_CASE as Prisma writes enum values), NOT NULL, default `USER`. Admins
//! read every row of the source.

use sea_orm_migration::prelude::*;

use crate::common::{create_enum, drop_enum, enum_col};

/// `user_role` values.
const USER_ROLE: &[&str] = &["USER", "ADMIN"];

/// Adds `users.role`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_enum(manager, "user_role", USER_ROLE).await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("users"))
                    .add_column(
                        enum_col(manager, "role", "user_role", USER_ROLE)
                            .not_null()
                            .default(Expr::cust("'USER'")),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("users"))
                    .drop_column(Alias::new("role"))
                    .to_owned(),
            )
            .await?;
        drop_enum(manager, "user_role").await
    }
}
