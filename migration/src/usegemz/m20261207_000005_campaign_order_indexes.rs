//! Indexes for the campaigns screen's default order (newest first), read off its plan on
//! PostgreSQL: `(user_id, created_at DESC, id)` for a user's own campaigns and
//! `(created_at DESC, id)` for an admin's view of every campaign, each matching the keyset
//! order `created_at DESC NULLS FIRST, id ASC` the gateway issues, so a page comes off the index
//! instead of sorting every campaign.

use sea_orm_migration::prelude::*;

use crate::common::raw;

/// Adds the campaign order indexes.
#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [(&str, &str); 2] = [
    (
        "idx_campaigns_user_id_created_at_desc_id",
        "\"user_id\", \"created_at\" DESC, \"id\"",
    ),
    (
        "idx_campaigns_created_at_desc_id",
        "\"created_at\" DESC, \"id\"",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, cols) in INDEXES {
            raw(
                manager,
                &format!("CREATE INDEX \"{name}\" ON \"campaigns\" ({cols})"),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, _) in INDEXES {
            raw(manager, &format!("DROP INDEX IF EXISTS \"{name}\"")).await?;
        }
        Ok(())
    }
}
