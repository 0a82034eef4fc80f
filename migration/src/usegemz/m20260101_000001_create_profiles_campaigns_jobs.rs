//! `user_profiles`, `campaigns`, `scraping_jobs` and `scraping_results` (UG-T01..T04), with their
//! stated and proposed indexes. Folds the seed's history steps `0000_sleepy_moira_mactaggert`
//! (initial schema), `0001_pale_jamie_braddock` (campaign system), `0002_lively_cable` (job
//! processing), `0003_late_ultron` (results storage), `0004_qstash_fields`, `0005_sudden_paibok`
//! (enhanced job fields), `0008_nifty_stick` (onboarding), `0009_trial_system`,
//! `0010_search_indexes` and `0011_admin_roles` into their final shape.

use sea_orm_migration::prelude::*;

use crate::common::{
    checked_string, create_updated_at_function, drop_tables, drop_updated_at_function, fk, index,
    non_negative, not_blank, partial_index, sqlite_len_checks, timestamp_now, updated_at_trigger,
    uuid_pk,
};

/// UG-E01 `user_profiles.onboarding_step`.
const ONBOARDING_STEPS: &[&str] = &["pending", "info_captured", "intent_captured", "completed"];
/// UG-E02 `user_profiles.trial_status` (British «cancelled», UG-A13).
const TRIAL_STATUSES: &[&str] = &["pending", "active", "expired", "cancelled", "converted"];
/// UG-E03 `user_profiles.subscription_status` (Stripe's «canceled», UG-A13).
const SUBSCRIPTION_STATUSES: &[&str] = &["none", "trialing", "active", "past_due", "canceled"];
/// UG-E04 `campaigns.search_type`.
pub(super) const SEARCH_TYPES: &[&str] = &["keyword", "similar"];
/// UG-E05 `campaigns.status`.
const CAMPAIGN_STATUSES: &[&str] = &["draft", "active", "completed", "archived"];
/// UG-E06 `scraping_jobs.platform`, exact casing (UG-A01).
pub(super) const PLATFORMS: &[&str] = &["TikTok", "Instagram", "YouTube"];
/// UG-E07 `scraping_jobs.status`.
const JOB_STATUSES: &[&str] = &["pending", "processing", "completed", "error", "timeout"];

fn col(name: &'static str) -> ColumnDef {
    ColumnDef::new(Alias::new(name))
}

/// Creates the first four usegemz tables and the `updated_at` trigger function.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_updated_at_function(manager).await?;

        // UG-T01 user_profiles
        let mut t = Table::create();
        t.table(Alias::new("user_profiles"))
            .col(uuid_pk("id"))
            .col(col("user_id").text().not_null().unique_key())
            .col(col("email").text())
            .col(col("name").text())
            .col(col("company_name").text())
            .col(col("industry").text())
            .col(timestamp_now(manager, "signup_timestamp").not_null())
            .col(
                checked_string("onboarding_step", Some(50), ONBOARDING_STEPS)
                    .not_null()
                    .default("pending"),
            )
            .col(col("full_name").text())
            .col(col("business_name").text())
            .col(col("brand_description").text())
            .col(
                col("email_schedule_status")
                    .json_binary()
                    .default(Expr::cust("'{}'")),
            )
            .col(col("trial_start_date").timestamp())
            .col(col("trial_end_date").timestamp())
            .col(checked_string("trial_status", Some(20), TRIAL_STATUSES).default("pending"))
            .col(col("stripe_customer_id").text())
            .col(col("stripe_subscription_id").text())
            .col(
                checked_string("subscription_status", Some(20), SUBSCRIPTION_STATUSES)
                    .default("none"),
            )
            .col(col("is_admin").boolean().default(false))
            .col(timestamp_now(manager, "created_at").not_null())
            .col(timestamp_now(manager, "updated_at").not_null())
            .check((
                "ck_user_profiles_user_id_not_blank",
                not_blank(manager, "user_id"),
            ))
            .check((
                "ck_user_profiles_trial_dates",
                Expr::cust(
                    "\"trial_start_date\" IS NULL OR \"trial_end_date\" IS NULL \
                     OR \"trial_end_date\" >= \"trial_start_date\"",
                ),
            ));
        manager.create_table(t).await?;
        updated_at_trigger(manager, "user_profiles", "updated_at").await?;
        index(
            manager,
            "idx_user_profiles_trial_status",
            "user_profiles",
            &["trial_status"],
            false,
        )
        .await?;
        index(
            manager,
            "idx_user_profiles_trial_dates",
            "user_profiles",
            &["trial_start_date", "trial_end_date"],
            false,
        )
        .await?;
        index(
            manager,
            "idx_user_profiles_stripe_customer",
            "user_profiles",
            &["stripe_customer_id"],
            false,
        )
        .await?;
        partial_index(
            manager,
            "idx_user_profiles_is_admin",
            "user_profiles",
            &["is_admin"],
            "\"is_admin\" = true",
            false,
        )
        .await?;
        index(
            manager,
            "idx_user_profiles_admin_details",
            "user_profiles",
            &["is_admin", "full_name", "email", "updated_at"],
            false,
        )
        .await?;

        // UG-T02 campaigns (user_id is a Clerk id without FK, UG-A03)
        let mut t = Table::create();
        t.table(Alias::new("campaigns"))
            .col(uuid_pk("id"))
            .col(col("user_id").text().not_null())
            .col(col("name").text().not_null())
            .col(col("description").text())
            .col(checked_string("search_type", Some(20), SEARCH_TYPES).not_null())
            .col(
                checked_string("status", Some(20), CAMPAIGN_STATUSES)
                    .not_null()
                    .default("draft"),
            )
            .col(timestamp_now(manager, "created_at").not_null())
            .col(timestamp_now(manager, "updated_at").not_null())
            .check((
                "ck_campaigns_user_id_not_blank",
                not_blank(manager, "user_id"),
            ))
            .check(("ck_campaigns_name_not_blank", not_blank(manager, "name")));
        manager.create_table(t).await?;
        updated_at_trigger(manager, "campaigns", "updated_at").await?;
        index(
            manager,
            "idx_campaigns_user_id",
            "campaigns",
            &["user_id"],
            false,
        )
        .await?;

        // UG-T03 scraping_jobs
        let mut t = Table::create();
        t.table(Alias::new("scraping_jobs"))
            .col(uuid_pk("id"))
            .col(col("user_id").text().not_null())
            .col(col("campaign_id").uuid())
            .col(
                checked_string("platform", Some(50), PLATFORMS)
                    .not_null()
                    .default("TikTok"),
            )
            .col(col("keywords").json_binary())
            .col(col("target_username").text())
            .col(col("search_params").json_binary())
            .col(col("region").string_len(10).not_null().default("US"))
            .col(
                checked_string("status", Some(20), JOB_STATUSES)
                    .not_null()
                    .default("pending"),
            )
            .col(col("run_id").text())
            .col(col("qstash_message_id").text())
            .col(col("processed_runs").integer().not_null().default(0))
            .col(col("processed_results").integer().not_null().default(0))
            .col(col("target_results").integer().not_null().default(1000))
            .col(col("cursor").integer().default(0))
            .col(col("progress").decimal().default(0))
            .col(timestamp_now(manager, "created_at").not_null())
            .col(col("started_at").timestamp())
            .col(col("completed_at").timestamp())
            .col(col("timeout_at").timestamp())
            .col(timestamp_now(manager, "updated_at").not_null())
            .col(col("error").text())
            .check((
                "ck_scraping_jobs_user_id_not_blank",
                not_blank(manager, "user_id"),
            ))
            .check((
                "ck_scraping_jobs_processed_runs",
                non_negative("processed_runs"),
            ))
            .check((
                "ck_scraping_jobs_processed_results",
                non_negative("processed_results"),
            ))
            .check((
                "ck_scraping_jobs_target_results",
                Expr::col(Alias::new("target_results")).gt(0),
            ))
            .check(("ck_scraping_jobs_cursor", non_negative("cursor")))
            .check((
                "ck_scraping_jobs_progress",
                Expr::col(Alias::new("progress")).between(0, 100),
            ))
            .foreign_key(&mut fk(
                "scraping_jobs",
                "campaign_id",
                "campaigns",
                "id",
                ForeignKeyAction::NoAction,
            ));
        sqlite_len_checks(manager, &mut t, &[("region", 10)]);
        manager.create_table(t).await?;
        updated_at_trigger(manager, "scraping_jobs", "updated_at").await?;
        index(
            manager,
            "idx_scraping_jobs_status",
            "scraping_jobs",
            &["status"],
            false,
        )
        .await?;
        index(
            manager,
            "idx_scraping_jobs_platform",
            "scraping_jobs",
            &["platform"],
            false,
        )
        .await?;
        index(
            manager,
            "idx_scraping_jobs_user_campaign",
            "scraping_jobs",
            &["user_id", "campaign_id"],
            false,
        )
        .await?;
        index(
            manager,
            "idx_scraping_jobs_campaign_id",
            "scraping_jobs",
            &["campaign_id"],
            false,
        )
        .await?;

        // UG-T04 scraping_results (no updated_at column, so no trigger)
        let mut t = Table::create();
        t.table(Alias::new("scraping_results"))
            .col(uuid_pk("id"))
            .col(col("job_id").uuid())
            .col(col("creators").json_binary().not_null())
            .col(timestamp_now(manager, "created_at").not_null())
            .foreign_key(&mut fk(
                "scraping_results",
                "job_id",
                "scraping_jobs",
                "id",
                ForeignKeyAction::NoAction,
            ));
        manager.create_table(t).await?;
        index(
            manager,
            "idx_scraping_results_job_id",
            "scraping_results",
            &["job_id"],
            false,
        )
        .await?;
        index(
            manager,
            "idx_scraping_results_created_at",
            "scraping_results",
            &["created_at"],
            false,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "scraping_results",
                "scraping_jobs",
                "campaigns",
                "user_profiles",
            ],
        )
        .await?;
        drop_updated_at_function(manager).await
    }
}
