//! Migrations of the `deed_o_auth` database.
//!
//! Auth database of seed 004 (`AUTH_DATABASE_URL`): `users`, `tokens`, `user_verifications`, with
//! the enum types `users_roles_enum`, `users_statuses_enum`, `platform_types_enum` and
//! `user_verification_actions_enum`. Decisions where the seed is silent or contradictory:
//! - DO-A03: this database is referenced by the main `deed_o` database (`vendor_id`,
//!   `sender_id`, `members`, `read_by`) without foreign keys; nothing here refers back.
//! - Foreign keys as stated: `tokens.user_id` and `user_verifications.user_id` → `users`
//!   `ON DELETE CASCADE`.
//! - DO-A15 / GW-A03: `users.id` and `tokens.id` are `SERIAL` (auto-increment on SQLite);
//!   `user_verifications.id` is a uuid the application generates (no `uuid_generate_v4()`
//!   default, no `uuid-ossp`).
//! - DO-A06: `users.is_online` stays nullable (default `false`) as written.
//! - DO-A09: `contact_number BIGINT` and `pincode INTEGER` keep their stated types.
//! - DO-A10 / DO-E07: `verification_source` is free `VARCHAR` (no value list); `otp_code` is plain
//!   text as stated (never exposed by the API).
//! - DO-A07: `tokens` keeps its four stated columns (no secret, no `created_at`).
//! - GW-A09: `tokens.expire_at` and `user_verifications.expire_at`/`created_at`/`updated_at` are
//!   `timestamptz`; the other timestamps are `timestamp` as stated.
//! - `CHECK`s (not in the seed): `users.email` and `user_verifications.otp_code` are not blank.
//! - Indexes: the `users.email` UNIQUE constraint (stated), the stated composite
//!   `idx_user_verifications_id_user_id_otp_code`, and the proposed `idx_tokens_user_id` and
//!   `idx_user_verifications_user_id_action_verified`.
//! - `updated_at` of `users` and `user_verifications` is kept current by a trigger (GW-A11 says
//!   application-level; the trigger only fills it when a writer leaves it unchanged).

use sea_orm_migration::prelude::*;

mod m20260101_000001_users;
mod m20260101_000002_tokens_verifications;

/// The `deed_o_auth` database's migrator, with its own history.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20260101_000001_users::Migration),
            Box::new(m20260101_000002_tokens_verifications::Migration),
        ]
    }
}
