//! The seven usegemz tables (UG-T01..T07), as the migrations create them. The Stripe ids of
//! `user_profiles` are payment ids and are not listed, so never readable.

use migration::Database;

use super::enums::{
    CAMPAIGN_STATUS, JOB_STATUS, ONBOARDING_STEP, PLATFORM, SEARCH_JOB_STATUS, SEARCH_TYPE,
    SUBSCRIPTION_STATUS, TRIAL_STATUS, VALUE_TYPE,
};
use crate::graphql::spec::{Access, Column, Kind, Table};

/// The seven tables, in inventory order (UG-T01..T07).
pub static TABLES: [Table; 7] = [
    // UG-T01 `user_profiles`: only the profile's owner (and admins).
    Table {
        db: Database::Usegemz,
        name: "user_profiles",
        type_name: "UsegemzUserProfile",
        singular: "userProfile",
        plural: "userProfiles",
        doc: "Central user data of a Clerk user, including onboarding, the 7-day trial system and the admin role.",
        pk: &["id"],
        owner: Some("user_id"),
        access: Access::Owner,
        always: &[],
        columns: &[
            Column::new("id", Kind::Uuid, "Primary key of the profile."),
            Column::new(
                "user_id",
                Kind::Text,
                "Clerk user id (`user_2xxxxx`), unique; the key every campaign and job refers to.",
            ),
            Column::new("email", Kind::Text, "The user's primary email address.").null(),
            Column::new(
                "name",
                Kind::Text,
                "User name (original profile field, now optional).",
            )
            .null(),
            Column::new(
                "company_name",
                Kind::Text,
                "Company name (original profile field, now optional).",
            )
            .null(),
            Column::new(
                "industry",
                Kind::Text,
                "Industry type (original profile field, now optional).",
            )
            .null(),
            Column::new(
                "signup_timestamp",
                Kind::Timestamp,
                "When the account was created.",
            ),
            Column::new(
                "onboarding_step",
                Kind::Enum(&ONBOARDING_STEP),
                "Current onboarding step.",
            ),
            Column::new(
                "full_name",
                Kind::Text,
                "Complete name captured during onboarding.",
            )
            .null(),
            Column::new(
                "business_name",
                Kind::Text,
                "Business or brand name captured during onboarding.",
            )
            .null(),
            Column::new(
                "brand_description",
                Kind::Text,
                "Detailed brand description captured during onboarding.",
            )
            .null(),
            Column::new(
                "email_schedule_status",
                Kind::Json,
                "Sending status of the scheduled trial emails, by email key.",
            )
            .null(),
            Column::new(
                "trial_start_date",
                Kind::Timestamp,
                "Start of the 7-day trial.",
            )
            .null(),
            Column::new(
                "trial_end_date",
                Kind::Timestamp,
                "End of the 7-day trial (start + 7 days).",
            )
            .null(),
            Column::new(
                "trial_status",
                Kind::Enum(&TRIAL_STATUS),
                "State of the trial (`NULL` reads as pending); an active trial whose end has passed reads as `EXPIRED` (stored so on the profile's next write).",
            )
            .null()
            .read_as(super::profiles::trial_status_expr),
            Column::new(
                "subscription_status",
                Kind::Enum(&SUBSCRIPTION_STATUS),
                "State of the (mock Stripe) subscription (`NULL` reads as none); the `TRIALING` subscription of an expired trial reads as `CANCELED`.",
            )
            .null()
            .read_as(super::profiles::subscription_status_expr),
            Column::new(
                "is_admin",
                Kind::Bool,
                "Database-based admin role (alongside admins named by configuration).",
            )
            .null(),
            Column::new(
                "created_at",
                Kind::Timestamp,
                "When the profile was created.",
            ),
            Column::new(
                "updated_at",
                Kind::Timestamp,
                "When the profile was last updated.",
            ),
        ],
    },
    // UG-T02 `campaigns`: only the campaign's owner.
    Table {
        db: Database::Usegemz,
        name: "campaigns",
        type_name: "UsegemzCampaign",
        singular: "campaign",
        plural: "campaigns",
        doc: "High-level campaign container for influencer search operations, owned by a Clerk user.",
        pk: &["id"],
        owner: Some("user_id"),
        access: Access::Owner,
        always: &[],
        columns: &[
            Column::new("id", Kind::Uuid, "Primary key of the campaign."),
            Column::new(
                "user_id",
                Kind::Text,
                "Clerk user id of the owner (refers to a profile's `userId`, without foreign key).",
            ),
            Column::new("name", Kind::Text, "Campaign name."),
            Column::new("description", Kind::Text, "Optional description.").null(),
            Column::new(
                "search_type",
                Kind::Enum(&SEARCH_TYPE),
                "Search method of the campaign: keyword or similar creators.",
            ),
            Column::new(
                "status",
                Kind::Enum(&CAMPAIGN_STATUS),
                "Lifecycle status of the campaign.",
            ),
            Column::new(
                "created_at",
                Kind::Timestamp,
                "When the campaign was created.",
            ),
            Column::new(
                "updated_at",
                Kind::Timestamp,
                "When the campaign was last updated.",
            ),
        ],
    },
    // UG-T03 `scraping_jobs`: only the job's owner.
    Table {
        db: Database::Usegemz,
        name: "scraping_jobs",
        type_name: "UsegemzScrapingJob",
        singular: "scrapingJob",
        plural: "scrapingJobs",
        doc: "Background job searching a platform for creators, with comprehensive progress and status tracking.",
        pk: &["id"],
        owner: Some("user_id"),
        access: Access::Owner,
        always: &[],
        columns: &[
            Column::new("id", Kind::Uuid, "Primary key of the job."),
            Column::new("user_id", Kind::Text, "Clerk user id of the owner."),
            Column::new("campaign_id", Kind::Uuid, "Parent campaign.").null(),
            Column::new("platform", Kind::Enum(&PLATFORM), "Platform searched."),
            Column::new(
                "keywords",
                Kind::Json,
                "Keywords array for keyword searches, e.g. `[\"keyword1\", \"keyword2\"]`.",
            )
            .null(),
            Column::new(
                "target_username",
                Kind::Text,
                "Username for similar searches, e.g. `@username`.",
            )
            .null(),
            Column::new(
                "search_params",
                Kind::Json,
                "Additional search parameters such as filters and sorting.",
            )
            .null(),
            Column::new("region", Kind::Text, "Search region (default `US`)."),
            // Computed on read: a job past its time limit is timed out before that is stored.
            Column::new(
                "status",
                Kind::Enum(&JOB_STATUS),
                "Processing state of the job; a pending or processing job whose `timeoutAt` has passed reads as `TIMEOUT` (stored so on its next write).",
            )
            .read_as(super::jobs::effective_status_expr),
            Column::new("run_id", Kind::Text, "External API run id.").null(),
            Column::new(
                "qstash_message_id",
                Kind::Text,
                "QStash message tracking id.",
            )
            .null(),
            Column::new(
                "processed_runs",
                Kind::Int,
                "Number of API calls made (limited for testing).",
            ),
            Column::new(
                "processed_results",
                Kind::Int,
                "Total creators/videos found so far.",
            ),
            Column::new(
                "target_results",
                Kind::Int,
                "Goal number of results (100 for testing, 1000 for production).",
            ),
            Column::new(
                "cursor",
                Kind::Int,
                "Pagination position for continuing the search.",
            )
            .null(),
            Column::new(
                "progress",
                Kind::Decimal(Some(2)),
                "Calculated progress percentage (0-100).",
            )
            .null(),
            Column::new("created_at", Kind::Timestamp, "When the job was created."),
            Column::new("started_at", Kind::Timestamp, "When processing started.").null(),
            Column::new(
                "completed_at",
                Kind::Timestamp,
                "When processing completed.",
            )
            .null(),
            Column::new(
                "timeout_at",
                Kind::Timestamp,
                "When the job exceeded its time limit.",
            )
            .null(),
            Column::new(
                "updated_at",
                Kind::Timestamp,
                "When the job was last updated.",
            ),
            Column::new("error", Kind::Text, "Error message if the job failed.").null(),
        ],
    },
    // UG-T04 `scraping_results`: visible with their job.
    Table {
        db: Database::Usegemz,
        name: "scraping_results",
        type_name: "UsegemzScrapingResult",
        singular: "scrapingResult",
        plural: "scrapingResults",
        doc: "A batch of processed creator/video data a scraping job received from a platform API.",
        pk: &["id"],
        owner: None,
        access: Access::Via {
            column: "job_id",
            table: "scraping_jobs",
        },
        always: &[],
        columns: &[
            Column::new("id", Kind::Uuid, "Primary key of the result batch."),
            Column::new("job_id", Kind::Uuid, "Parent scraping job.").null(),
            Column::new(
                "creators",
                Kind::Json,
                "JSON array of platform-specific creator records (TikTok, Instagram or YouTube shapes).",
            ),
            Column::new("created_at", Kind::Timestamp, "When the batch was saved."),
        ],
    },
    // UG-T05 `system_configurations`: admin-only.
    Table {
        db: Database::Usegemz,
        name: "system_configurations",
        type_name: "UsegemzSystemConfiguration",
        singular: "systemConfiguration",
        plural: "systemConfigurations",
        doc: "An app-wide configurable setting (unique per category and key), with hot-reload capability.",
        pk: &["id"],
        owner: None,
        access: Access::Admin,
        always: &[],
        columns: &[
            Column::new("id", Kind::Uuid, "Primary key of the setting."),
            Column::new(
                "category",
                Kind::Text,
                "Configuration category, e.g. `email` or `api`.",
            ),
            Column::new(
                "key",
                Kind::Text,
                "Configuration key, unique within its category.",
            ),
            Column::new(
                "value",
                Kind::Text,
                "Configuration value, parsed according to `valueType`.",
            ),
            Column::new(
                "value_type",
                Kind::Enum(&VALUE_TYPE),
                "Type used to parse the value.",
            ),
            Column::new("description", Kind::Text, "What the setting controls.").null(),
            Column::new(
                "is_hot_reloadable",
                Kind::TextBool,
                "Whether the setting can be changed without a restart.",
            ),
            Column::new(
                "created_at",
                Kind::Timestamp,
                "When the setting was created.",
            ),
            Column::new(
                "updated_at",
                Kind::Timestamp,
                "When the setting was last updated.",
            ),
        ],
    },
    // UG-T06 `search_jobs` (legacy): visible with their campaign.
    Table {
        db: Database::Usegemz,
        name: "search_jobs",
        type_name: "UsegemzSearchJob",
        singular: "searchJob",
        plural: "searchJobs",
        doc: "Legacy, currently unused: a search job of the alternative search-processing implementation.",
        pk: &["id"],
        owner: None,
        access: Access::Via {
            column: "campaign_id",
            table: "campaigns",
        },
        always: &[],
        columns: &[
            Column::new(
                "id",
                Kind::Text,
                "Custom job id generated by the application.",
            ),
            Column::new("campaign_id", Kind::Uuid, "Parent campaign.").null(),
            Column::new("platform", Kind::Enum(&PLATFORM), "Platform searched."),
            Column::new(
                "search_type",
                Kind::Enum(&SEARCH_TYPE),
                "Search method: keyword or similar creators.",
            ),
            Column::new(
                "status",
                Kind::Enum(&SEARCH_JOB_STATUS),
                "Processing state of the job.",
            ),
            Column::new("total_count", Kind::Int, "Expected number of results."),
            Column::new("completed_count", Kind::Int, "Number of results completed."),
            Column::new("created_at", Kind::Timestamp, "When the job was created."),
            Column::new(
                "updated_at",
                Kind::Timestamp,
                "When the job was last updated.",
            ),
            Column::new("completed_at", Kind::Timestamp, "When the job completed.").null(),
        ],
    },
    // UG-T07 `search_results` (legacy): visible with their search job.
    Table {
        db: Database::Usegemz,
        name: "search_results",
        type_name: "UsegemzSearchResult",
        singular: "searchResult",
        plural: "searchResults",
        doc: "Legacy, currently unused: one creator found by a legacy search job.",
        pk: &["id"],
        owner: None,
        access: Access::Via {
            column: "job_id",
            table: "search_jobs",
        },
        always: &[],
        columns: &[
            Column::new("id", Kind::Uuid, "Primary key of the result."),
            Column::new("job_id", Kind::Text, "Parent search job."),
            Column::new(
                "profile_id",
                Kind::Text,
                "The creator's profile id on the platform.",
            ),
            Column::new("username", Kind::Text, "The creator's username."),
            Column::new("display_name", Kind::Text, "The creator's display name.").null(),
            Column::new(
                "platform",
                Kind::Enum(&PLATFORM),
                "Platform the creator was found on.",
            ),
            Column::new("profile_url", Kind::Text, "URL of the creator's profile.").null(),
            Column::new("post_url", Kind::Text, "URL of the matching post.").null(),
            Column::new(
                "post_description",
                Kind::Text,
                "Description of the matching post.",
            )
            .null(),
            Column::new("avatar_url", Kind::Text, "URL of the creator's avatar.").null(),
            Column::new("followers", Kind::Int, "Follower count.").null(),
            Column::new(
                "is_verified",
                Kind::TextBool,
                "Whether the creator is verified on the platform.",
            )
            .null(),
            Column::new("email", Kind::Text, "The creator's contact email.").null(),
            Column::new("bio", Kind::Text, "The creator's bio.").null(),
            Column::new("raw_data", Kind::Json, "Original API response.").null(),
            Column::new("created_at", Kind::Timestamp, "When the result was saved."),
        ],
    },
];
