//! The usegemz value domains (UG-E01..E12): `CHECK`ed VARCHAR columns, not PostgreSQL enum
//! types, so every [`EnumDef`] has `pg_type: None`. Values are the exact stored strings in the
//! migrations' order. The string booleans (UG-E12) are not enums here: they are
//! [`Kind::TextBool`](crate::graphql::spec::Kind::TextBool) columns.

use crate::graphql::spec::EnumDef;

/// UG-E01 `user_profiles.onboarding_step`.
pub static ONBOARDING_STEP: EnumDef = EnumDef {
    name: "UsegemzOnboardingStep",
    pg_type: None,
    doc: "Step of a user's onboarding: pending → info captured → intent captured → completed.",
    values: &["pending", "info_captured", "intent_captured", "completed"],
};

/// UG-E02 `user_profiles.trial_status` (British «cancelled»).
pub static TRIAL_STATUS: EnumDef = EnumDef {
    name: "UsegemzTrialStatus",
    pg_type: None,
    doc: "State of a user's 7-day trial.",
    values: &["pending", "active", "expired", "cancelled", "converted"],
};

/// UG-E03 `user_profiles.subscription_status` (Stripe's «canceled»).
pub static SUBSCRIPTION_STATUS: EnumDef = EnumDef {
    name: "UsegemzSubscriptionStatus",
    pg_type: None,
    doc: "State of a user's (mock Stripe) subscription.",
    values: &["none", "trialing", "active", "past_due", "canceled"],
};

/// UG-E04 / UG-E10 `campaigns.search_type` and `search_jobs.search_type`.
pub static SEARCH_TYPE: EnumDef = EnumDef {
    name: "UsegemzSearchType",
    pg_type: None,
    doc: "Search method: by keywords, or for creators similar to a target username.",
    values: &["keyword", "similar"],
};

/// UG-E05 `campaigns.status`.
pub static CAMPAIGN_STATUS: EnumDef = EnumDef {
    name: "UsegemzCampaignStatus",
    pg_type: None,
    doc: "Lifecycle of a campaign: draft → active → completed → archived.",
    values: &["draft", "active", "completed", "archived"],
};

/// UG-E06 / UG-E09 `scraping_jobs.platform`, `search_jobs.platform`, `search_results.platform`.
pub static PLATFORM: EnumDef = EnumDef {
    name: "UsegemzPlatform",
    pg_type: None,
    doc: "Social platform searched for creators (stored with exact casing).",
    values: &["TikTok", "Instagram", "YouTube"],
};

/// UG-E07 `scraping_jobs.status`.
pub static JOB_STATUS: EnumDef = EnumDef {
    name: "UsegemzJobStatus",
    pg_type: None,
    doc: "State of a scraping job: pending → processing → completed, or error / timeout.",
    values: &["pending", "processing", "completed", "error", "timeout"],
};

/// UG-E08 `search_jobs.status` (legacy).
pub static SEARCH_JOB_STATUS: EnumDef = EnumDef {
    name: "UsegemzSearchJobStatus",
    pg_type: None,
    doc: "State of a legacy search job.",
    values: &["queued", "processing", "completed", "failed"],
};

/// UG-E11 `system_configurations.value_type`.
pub static VALUE_TYPE: EnumDef = EnumDef {
    name: "UsegemzValueType",
    pg_type: None,
    doc: "How a configuration value is parsed.",
    values: &["string", "number", "boolean", "duration", "json"],
};
