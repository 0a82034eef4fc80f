//! `users.role`: who moderates and administers Head Shakers.
//!
//! The seed names moderators (`content_reports.moderator_id`) and admins (curators of
//! `featured_content`, editors of `platform_settings`) but keeps no role column: its Clerk
//! integration held roles outside the database. The gateway takes roles from the source's own
//! data, never from a token's claims, so the role lives here: a named enum `user_role`
//! (`user`, `moderator`, `admin`), NOT NULL, default `user`.

use sea_orm_migration::prelude::*;

use crate::common::{add_role_column, drop_role_column};

/// `user_role` values.
const USER_ROLE: &[&str] = &["user", "moderator", "admin"];

/// Adds `users.role`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_role_column(manager, "users", "user_role", USER_ROLE, "user").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_role_column(manager, "users", "user_role").await
    }
}
