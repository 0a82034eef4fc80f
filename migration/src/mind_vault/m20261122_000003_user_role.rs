//! `user.role`, as BetterAuth's admin plugin defines it.
//!
//! A nullable text holding one role or a comma-separated list (`admin`, `user`); NULL means a
//! plain user. The gateway takes roles from here, never from a token's claims: an `admin` reads
//! every row of the source.

use sea_orm_migration::prelude::*;

/// Adds `user.role`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("user"))
                    .add_column(ColumnDef::new(Alias::new("role")).text().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("user"))
                    .drop_column(Alias::new("role"))
                    .to_owned(),
            )
            .await
    }
}
