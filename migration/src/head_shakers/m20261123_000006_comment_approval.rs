//! `comments.is_approved`: comments held for approval under the owner's `moderate_comments`.
//!
//! The seed gives `user_settings.moderate_comments` ("comments on my content need approval") but
//! no column to hold a comment's approval, and the inventory asks the gateway to honour it
//! (HS-OP29). A comment another user writes on the content of an owner who moderates comments is
//! stored with `is_approved = false`: only its author, the content's owner, moderators and admins
//! see it, and it counts in `bobbleheads.comment_count` from its approval on. Every other comment,
//! and every comment written before this migration, is approved: `boolean NOT NULL DEFAULT true`.
//! A partial index finds an owner's pending comments without scanning approved ones.

use sea_orm_migration::prelude::*;

use super::util::flag;
use crate::common::{add_column, drop_column, partial_index, raw};

/// Adds `comments.is_approved`.
#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEX: &str = "idx_comments_pending";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_column(manager, "comments", flag("is_approved", true)).await?;
        partial_index(
            manager,
            INDEX,
            "comments",
            &["target_type", "target_id"],
            "NOT is_approved",
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite refuses to drop a column an index still names.
        raw(manager, &format!("DROP INDEX IF EXISTS \"{INDEX}\"")).await?;
        drop_column(manager, "comments", "is_approved").await
    }
}
