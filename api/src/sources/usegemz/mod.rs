//! usegemz: an influencer-discovery platform where Clerk users run campaigns whose scraping jobs
//! search TikTok, Instagram and YouTube for creators (seed 001, inventory section 2).
//!
//! The viewer's key is the Clerk id `user_profiles.user_id` (text). Access decisions (admins of the
//! source bypass them):
//! - `user_profiles`, `campaigns`, `scraping_jobs`: owner only (`user_id`); the Stripe customer and
//!   subscription ids are payment ids and are not listed at all.
//! - `scraping_results`: visible when their scraping job is (`job_id`).
//! - `search_jobs` (legacy): visible when their campaign is (`campaign_id`).
//! - `search_results` (legacy): visible when their search job is (`job_id`).
//! - `system_configurations`: admins only.
//!
//! Value domains are `CHECK`ed VARCHARs, so the enums carry no PostgreSQL type; the string booleans
//! `is_hot_reloadable` and `search_results.is_verified` are exposed as `Boolean`. Relations: the four
//! foreign keys plus the logical (no FK) `campaigns.user_id` and `scraping_jobs.user_id` →
//! `user_profiles.user_id`, which may resolve to `null` when no profile exists yet.

pub mod config;
pub mod enums;
pub mod jobs;
pub mod live;
pub mod mutations;
pub mod profiles;
mod tables;

use migration::Database;

use crate::graphql::spec::{Relation, Source};
use tables::TABLES;

/// The usegemz source.
pub static SOURCE: Source = Source {
    id: "usegemz",
    namespace: "usegemz",
    prefix: "Usegemz",
    doc: "usegemz: influencer search campaigns, their scraping jobs and found creators, user profiles with trial and admin data, and app-wide configuration.",
    users: Database::Usegemz,
    tables: &TABLES,
    relations: &[
        Relation {
            from: "campaigns",
            column: "user_id",
            to: "user_profiles",
            to_column: "user_id",
            forward: "profile",
            reverse: "campaigns",
            unique: false,
            doc: "The profile of the Clerk user owning the campaign (logical reference, no foreign key).",
        },
        Relation {
            from: "scraping_jobs",
            column: "user_id",
            to: "user_profiles",
            to_column: "user_id",
            forward: "profile",
            reverse: "scrapingJobs",
            unique: false,
            doc: "The profile of the Clerk user owning the scraping job (logical reference, no foreign key).",
        },
        Relation {
            from: "scraping_jobs",
            column: "campaign_id",
            to: "campaigns",
            to_column: "id",
            forward: "campaign",
            reverse: "scrapingJobs",
            unique: false,
            doc: "The campaign a scraping job belongs to.",
        },
        Relation {
            from: "scraping_results",
            column: "job_id",
            to: "scraping_jobs",
            to_column: "id",
            forward: "job",
            reverse: "results",
            unique: false,
            doc: "The scraping job that produced a result batch.",
        },
        Relation {
            from: "search_jobs",
            column: "campaign_id",
            to: "campaigns",
            to_column: "id",
            forward: "campaign",
            reverse: "searchJobs",
            unique: false,
            doc: "The campaign a legacy search job belongs to.",
        },
        Relation {
            from: "search_results",
            column: "job_id",
            to: "search_jobs",
            to_column: "id",
            forward: "job",
            reverse: "results",
            unique: false,
            doc: "The legacy search job that found a result.",
        },
    ],
    polymorphic: &[],
    related: &[],
    computed: jobs::COMPUTED,
    array_relations: &[],
    default_orders: &[],
    queries: Some(mutations::queries),
    subscriptions: Some(live::subscriptions),
    mutations: Some(mutations::build),
};
