//! `user.role`, as BetterAuth's admin plugin defines it.
//!
//! A nullable text holding one role or a comma-separated list (`admin`, `user`); NULL means a
//! plain user. The gateway takes roles from here, never from a token's claims: an `admin` reads
//! every row of the source.

use sea_orm_migration::prelude::*;

use crate::common::{add_column, drop_column};

/// Adds `user.role`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let role = ColumnDef::new(Alias::new("role")).text().null().to_owned();
        add_column(manager, "user", role).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_column(manager, "user", "role").await
    }
}
