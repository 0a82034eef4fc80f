//! Migrations of the `deed_o` database.
//!
//! Main database of seed 004 (`DATABASE_URL`): `products`, `groups`, `messages`. Decisions where
//! the seed is silent or contradictory:
//! - DO-A03 / DO-X01..X04: `products.vendor_id`, `messages.sender_id`, `groups.members` and
//!   `messages.read_by` hold ids of `users` in the separate `deed_o_auth` database. No foreign
//!   key is declared for them (none can cross databases, and arrays never carry one); the service
//!   validates the ids on write and emulates `messages.sender_id`'s stated `ON DELETE CASCADE`.
//! - DO-A02: the circular keys `groups.last_message_id` ↔ `messages.group_id`. PostgreSQL creates
//!   `groups` without the first and adds it (`fk_groups_last_message_id`, `ON DELETE SET NULL`)
//!   after `messages`; SQLite declares it inline. `down` drops that key first on PostgreSQL.
//! - DO-A13: `groups.product_id` → `products` `ON DELETE SET NULL`; `messages.group_id` →
//!   `groups` `ON DELETE CASCADE`.
//! - `members` and `read_by` (`INTEGER[] DEFAULT '{}'`) are `jsonb` arrays defaulting to `'[]'`,
//!   GIN-indexed on PostgreSQL (`idx_groups_members`); SQLite reads them with `json_each`.
//! - DO-A05: `products.images` stays `json`, `messages.attachments` stays `jsonb` (`'[]'`).
//! - DO-A06: nullability as written: `groups.created_at`/`updated_at`, `messages.timestamp`,
//!   `messages.attachments`, `groups.members`, `messages.read_by` are nullable with defaults.
//! - GW-A03: ids have no database default (`uuid_generate_v4()` is dropped, no `uuid-ossp`); the
//!   application generates the uuids and the `IM_` product ids (DO-OP01).
//! - `CHECK`s: `mrp >= 0`, `selling_price >= 0`, `selling_price <= mrp` (DO-T01 P); the `IM_`
//!   prefix as `substr("id", 1, 3) = 'IM_' AND length("id") > 3` — `LIKE` ignores case on
//!   SQLite, so this is the portable equivalent of `LIKE 'IM\_%'` (and it requires a suffix);
//!   a message has non-blank `text` or at least one attachment (DO-T03 P); `products.title` and
//!   `groups.name` are not blank.
//! - Indexes: the nine “Recommended Additional Indexes” with their seed names, plus
//!   `idx_groups_last_message_id` (not in the seed) behind the `ON DELETE SET NULL` lookup.
//! - `updated_at` of `products` and `groups` is kept current by a trigger (GW-A11 says
//!   application-level; the trigger only fills it when a writer leaves it unchanged).

use sea_orm_migration::prelude::*;

mod m20260101_000001_products;
mod m20260101_000002_chat;
mod m20261207_000003_default_order_indexes;

/// The `deed_o` database's migrator, with its own history.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20260101_000001_products::Migration),
            Box::new(m20260101_000002_chat::Migration),
            Box::new(m20261207_000003_default_order_indexes::MIGRATION),
        ]
    }
}
