//! `users.role`: who moderates and administers Head Shakers.
//!
//! The seed names moderators (`content_reports.moderator_id`) and admins (curators of
//! `featured_content`, editors of `platform_settings`) but keeps no role column: its Clerk
//! integration held roles outside the database. The gateway takes roles from the source's own
//! data, never from a token's claims, so the role lives here: a named enum `user_role`
//! (`user`, `moderator`, `admin`), NOT NULL, default `user`.

use sea_orm_migration::prelude::*;

use crate::common::{create_enum, drop_enum, enum_col};

/// `user_role` values.
const USER_ROLE: &[&str] = &["user", "moderator", "admin"];

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
                            .default(Expr::cust("'user'")),
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
