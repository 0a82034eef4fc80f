//! Migrations of the `usegemz` database.
//!
//! Seven tables (UG-T01..T07) in three schema migrations plus one data migration; the seed's twelve
//! history steps (`0000_sleepy_moira_mactaggert` … `0011_admin_roles`) are folded into their
//! final shape, each migration naming the steps it covers. Decisions where the seed is silent or
//! contradictory:
//! - Value domains UG-E01..E12 are VARCHAR columns (the stated lengths) with a `CHECK` over the
//!   value list on both backends; the seed has no PostgreSQL enum types. UG-E08 (`search_jobs.status`)
//!   is 'queued' plus the proposed 'processing', 'completed', 'failed'; UG-E09/E10 reuse the
//!   platform and search-type lists; UG-E11 is 'string', 'number', 'boolean', 'duration', 'json'.
//! - UG-A01: `scraping_jobs.platform` defaults to 'TikTok' (the seed's 'Tiktok' is a typo against
//!   its own «exact casing» list); only the canonical values pass the `CHECK`.
//! - UG-A08/E12: `is_hot_reloadable` VARCHAR(5) default 'true' and `is_verified` VARCHAR(10) default
//!   'false' stay string booleans, restricted to 'true'/'false'.
//! - UG-A13: 'cancelled' (trial) and 'canceled' (subscription) are kept verbatim.
//! - UG-A14: `trial_status`, `subscription_status`, `is_admin`, `cursor`, `progress`, `followers`,
//!   `is_verified` keep their literal nullability (defaults, but nullable).
//! - UG-A03/R01/R02: `user_id` columns are Clerk ids with no foreign key; UG-A06: every stated FK
//!   (`scraping_jobs.campaign_id`, `scraping_results.job_id`, `search_jobs.campaign_id`,
//!   `search_results.job_id`) is `ON DELETE NO ACTION`, nullability as written.
//! - Checks (P): `progress` between 0 and 100 (UG-A07), `processed_runs`, `processed_results`,
//!   `cursor`, `total_count`, `completed_count`, `followers` ≥ 0, `target_results` > 0,
//!   `completed_count <= total_count`, `trial_end_date >= trial_start_date`; non-blank `user_id`,
//!   `campaigns.name`, configuration `category`/`key`, `search_jobs.id`, `search_results.profile_id`/
//!   `username`. SQLite gets length checks for the free-text VARCHARs (`region`, `category`, `key`).
//! - `progress` is `numeric` without precision as stated (UG-A07); the application rounds.
//! - Indexes: the ten stated ones by their stated names (including the partial
//!   `idx_user_profiles_is_admin … WHERE is_admin = true`), `unique_category_key` as stated, plus
//!   proposed `idx_campaigns_user_id` (UG-OP11) and `idx_search_results_job_id`, and, for loading
//!   a campaign's jobs (UG-OP15, UG-OP26), `idx_scraping_jobs_campaign_id` and
//!   `idx_search_jobs_campaign_id`; for the campaigns screen's newest-first order,
//!   `m20261207_000005_campaign_order_indexes`.
//! - GW-A14: the five stated `system_configurations` rows are a data migration with fixed ids
//!   (`75670000-0000-4000-8000-00000000000N`) and fixed timestamps (2026-01-01 00:00 UTC).
//! - No database id defaults (`gen_random_uuid()`): ids come from the application; `updated_at` is
//!   kept current by a trigger on every table that has it.

use sea_orm_migration::prelude::*;

mod m20260101_000001_create_profiles_campaigns_jobs;
mod m20260101_000002_create_system_configurations;
mod m20260101_000003_create_legacy_search_tables;
mod m20260101_000004_insert_system_configurations;
mod m20261207_000005_campaign_order_indexes;
mod m20261207_000006_default_order_indexes;

/// The `usegemz` database's migrator, with its own history.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20260101_000001_create_profiles_campaigns_jobs::Migration),
            Box::new(m20260101_000002_create_system_configurations::Migration),
            Box::new(m20260101_000003_create_legacy_search_tables::Migration),
            Box::new(m20260101_000004_insert_system_configurations::Migration),
            Box::new(m20261207_000005_campaign_order_indexes::MIGRATION),
            Box::new(m20261207_000006_default_order_indexes::MIGRATION),
        ]
    }
}
