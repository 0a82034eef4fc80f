//! Migrations of the `head_shakers` database.
//!
//! 22 tables: the 18 the seed states with columns (HS-T01..T18) and the four it only names, with
//! the inventory's PROPOSED column sets (HS-T19 `user_sessions`, HS-T20 `login_history`, HS-T21
//! `user_activity`, HS-T22 `user_blocks`; HS-A24). Decisions where the seed is silent or
//! contradictory:
//!
//! - Enum values (HS-A01, HS-A10): the 18 named types carry the inventory's proposed value lists
//!   (HS-E01..E18), lower snake case; `follow_type` is `user`, `collection` (without the optional
//!   `sub_collection`). The varchar domains HS-E19..E22 (`current_condition`, `status`,
//!   `acquisition_method`, `default_item_privacy`) stay plain varchar without a `CHECK` (HS-A11,
//!   HS-A15).
//! - Ids (HS-A03): no database default; the application generates UUIDs on both backends.
//! - ON DELETE (HS-A04, HS-R01..R26): CASCADE for owned children (owners, settings, photos, tag
//!   links, follows, likes, comments and replies (HS-A18), notification recipients, the proposed
//!   tables); SET NULL for optional actors (`sub_collection_id`, `viewer_id`,
//!   `search_queries.user_id`, `curator_id`, `related_user_id`, `updated_by`, `reporter_id`,
//!   `moderator_id`).
//! - Nullability (HS-A05): ownership references are NOT NULL (`collections.user_id`,
//!   `sub_collections.collection_id`, `bobbleheads.user_id` and `.collection_id`,
//!   `bobblehead_photos.bobblehead_id`, `bobblehead_tags.*`, `tags.user_id`,
//!   `user_settings.user_id`, `notification_settings.user_id`, `follows.*_id`, `likes.user_id`,
//!   `comments.user_id`, `notifications.user_id`); every boolean flag and every integer counter
//!   or sort key with a stated default is NOT NULL with that default (the `sort_order` columns
//!   and `collections.total_value` included). `follows.follow_type` is NOT NULL too, since the
//!   HS-A06 uniqueness depends on it. Everything else keeps the literal nullability, including
//!   the stated `created_at`/`updated_at` columns and the other defaulted enum columns; the
//!   proposed tables follow the inventory's NOT NULL markers.
//! - `follows` (HS-A06): the stated `UNIQUE(follower_id, following_id, follow_type, target_id)`
//!   is two partial unique indexes (`WHERE target_id IS NULL` on the first three columns,
//!   `WHERE target_id IS NOT NULL` on all four); `CHECK (follower_id <> following_id)`; and
//!   `CHECK ((follow_type = 'user') = (target_id IS NULL))` for HS-A06's reading of `target_id`.
//! - Photos (HS-A16): partial unique index `idx_bobblehead_photos_bobblehead_id_primary` on
//!   `(bobblehead_id) WHERE is_primary`.
//! - Ranges (HS-A08) and checks: `year BETWEEN 1800 AND 2100`; `height`, `weight` and photo
//!   `width`, `height` > 0; money, counters, `file_size`, `view_duration`, `result_count`,
//!   `sub_collections.sort_order` >= 0; `end_date >= start_date`; pair consistency for
//!   `clicked_result_id`/`clicked_result_type` and `related_id`/`related_type`;
//!   `parent_comment_id <> id`; `bobbleheads.is_deleted = (deleted_at IS NOT NULL)` in the
//!   database; `tags.color` a `#RRGGBB` hex colour (regex on PostgreSQL, GLOB on SQLite);
//!   non-blank `users.username`, `email`, `display_name`, collection, sub-collection, tag and
//!   bobblehead `name`, `comments.content` and `platform_settings.key`; `user_blocks`
//!   `blocker_id <> blocked_id`. Every `varchar(n)` limit is also a `CHECK` on SQLite.
//! - `users.avatar_url` stays `varchar(100)` (HS-A13); `content_reports.moderator_notes` is an
//!   unbounded `varchar` (HS-A19); `search_queries.session_id` has no foreign key (HS-A17).
//! - Timestamps (HS-A12): the stated column lists are kept exactly (no added
//!   `created_at`/`updated_at`); `updated_at` is kept current by a trigger on every table that
//!   has one (HS-A20, HS-OP36).
//! - Uniques: single-column stated UNIQUEs are column constraints; composite ones (and the
//!   proposed `user_blocks (blocker_id, blocked_id)`) are unique indexes named
//!   `idx_<table>_<cols>`. Username and e-mail uniqueness stays case-sensitive (HS-A22). The
//!   optional "one open report per reporter and target" (HS-T17) and covering indexes (HS-A21)
//!   are not added.
//! - Indexes: the stated collections indexes `(user_id)`, `(is_public)`, `(updated_at)`,
//!   `(user_id, is_public)` and every index the inventory proposes per table; composite ones
//!   for the screens' orderings (`m20261207_000007_feed_indexes`).

use sea_orm_migration::prelude::*;

mod m20260101_000001_users;
mod m20260101_000002_collections;
mod m20260101_000003_social;
mod m20260101_000004_system;
mod m20261122_000005_user_roles;
mod m20261123_000006_comment_approval;
mod m20261207_000007_feed_indexes;
mod m20261207_000008_default_order_indexes;
mod util;

/// The `head_shakers` database's migrator, with its own history.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20260101_000001_users::Migration),
            Box::new(m20260101_000002_collections::Migration),
            Box::new(m20260101_000003_social::Migration),
            Box::new(m20260101_000004_system::Migration),
            Box::new(m20261122_000005_user_roles::Migration),
            Box::new(m20261123_000006_comment_approval::Migration),
            Box::new(m20261207_000007_feed_indexes::MIGRATION),
            Box::new(m20261207_000008_default_order_indexes::MIGRATION),
        ]
    }
}
