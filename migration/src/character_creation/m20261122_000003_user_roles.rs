//! `users.role`: Character Creation administrators.
//!
//! The seed keeps credentials in Auth0 and shows no role; the gateway takes roles from the
//! source's own data, never from a token's claims, so the role is a column: enum `user_role`
//! (`USER`, `ADMIN`, UPPER_CASE as Prisma writes enum values), NOT NULL, default `USER`. Admins
//! read every row of the source.

use sea_orm_migration::prelude::*;

use crate::common::{add_role_column, drop_role_column};

/// `user_role` values.
const USER_ROLE: &[&str] = &["USER", "ADMIN"];

/// Adds `users.role`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_role_column(manager, "users", "user_role", USER_ROLE, "USER").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_role_column(manager, "users", "user_role").await
    }
}
