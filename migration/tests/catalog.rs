//! On a fresh PostgreSQL database every stated enum type and named index exists in its
//! database's schema (runs when `TEST_DATABASE_URL` is set; CI sets it).

use migration::Database;
use migration::sea_orm_migration::sea_orm::{
    ConnectOptions, ConnectionTrait, Database as Db, DatabaseConnection, Statement,
};

async fn migrated(
    url: &str,
    schema: &str,
    which: Database,
) -> (DatabaseConnection, DatabaseConnection) {
    let admin = Db::connect(url)
        .await
        .unwrap_or_else(|e| panic!("postgres: {e}"));
    admin
        .execute_unprepared(&format!(
            "DROP SCHEMA IF EXISTS \"{schema}\" CASCADE; CREATE SCHEMA \"{schema}\""
        ))
        .await
        .unwrap_or_else(|e| panic!("schema: {e}"));
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.set_schema_search_path(schema.to_owned())
        .max_connections(1)
        .sqlx_logging(false);
    let db = Db::connect(opts)
        .await
        .unwrap_or_else(|e| panic!("postgres: {e}"));
    which
        .up(&db, None)
        .await
        .unwrap_or_else(|e| panic!("up: {e}"));
    (admin, db)
}

async fn strings(db: &DatabaseConnection, sql: &str) -> Vec<String> {
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    rows.iter()
        .map(|r| r.try_get::<String>("", "v").unwrap_or_default())
        .collect()
}

async fn check(which: Database, enums: &[&str], indexes: &[&str]) {
    let Ok(url) = std::env::var("TEST_DATABASE_URL") else {
        return;
    };
    let schema = format!("catalog_{}", which.name());
    let (admin, db) = migrated(&url, &schema, which).await;
    let found_enums = strings(
        &db,
        "SELECT t.typname AS v FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace \
         WHERE t.typtype = 'e' AND n.nspname = current_schema()",
    )
    .await;
    for e in enums {
        assert!(
            found_enums.iter().any(|f| f == e),
            "{}: enum type {e} missing",
            which.name()
        );
    }
    assert_eq!(
        found_enums.len(),
        enums.len(),
        "{}: {found_enums:?}",
        which.name()
    );
    let found = strings(&db, "SELECT indexname || ' ' || indexdef AS v FROM pg_indexes WHERE schemaname = current_schema()").await;
    for i in indexes {
        let (name, needle) = i.split_once(' ').unwrap_or((i, ""));
        assert!(
            found
                .iter()
                .any(|f| f.starts_with(&format!("{name} ")) && f.contains(needle)),
            "{}: index {name} ({needle}) missing in {found:#?}",
            which.name()
        );
    }
    let checks = strings(
        &db,
        "SELECT c.conname::text AS v FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace \
         WHERE c.contype = 'c' AND n.nspname = current_schema()",
    )
    .await;
    assert!(!checks.is_empty(), "{}: check constraints", which.name());
    db.close().await.ok();
    admin
        .execute_unprepared(&format!("DROP SCHEMA \"{schema}\" CASCADE"))
        .await
        .unwrap_or_else(|e| panic!("drop: {e}"));
}

#[tokio::test]
async fn head_shakers() {
    check(
        Database::HeadShakers,
        &[
            "privacy_level",
            "comment_permission",
            "dm_permission",
            "theme",
            "digest_frequency",
            "follow_type",
            "like_target_type",
            "comment_target_type",
            "content_views_target_type",
            "result_type",
            "featured_content_type",
            "feature_type",
            "notification_type",
            "notification_related_type",
            "value_type",
            "content_report_target_type",
            "content_report_reason",
            "content_report_status",
            "user_role",
        ],
        &[
            "users_clerk_id_key UNIQUE",
            "users_username_key UNIQUE",
            "users_email_key UNIQUE",
            "user_settings_user_id_key UNIQUE",
            "notification_settings_user_id_key UNIQUE",
            "platform_settings_key_key UNIQUE",
            "idx_bobblehead_tags_bobblehead_id_tag_id UNIQUE",
            "idx_likes_user_id_target_type_target_id UNIQUE",
            "idx_tags_user_id_name UNIQUE",
            "idx_follows_follower_id_following_id_follow_type WHERE",
            "idx_follows_follower_id_following_id_follow_type_target_id WHERE",
            "idx_bobblehead_photos_bobblehead_id_primary WHERE",
            "idx_collections_user_id",
            "idx_collections_is_public",
            "idx_collections_updated_at",
            "idx_collections_user_id_is_public",
        ],
    )
    .await;
}

#[tokio::test]
async fn usegemz() {
    check(
        Database::Usegemz,
        &[],
        &[
            "user_profiles_user_id_key UNIQUE",
            "unique_category_key (category, key)",
            "idx_user_profiles_trial_status (trial_status)",
            "idx_user_profiles_trial_dates (trial_start_date, trial_end_date)",
            "idx_user_profiles_stripe_customer (stripe_customer_id)",
            "idx_user_profiles_is_admin WHERE (is_admin = true)",
            "idx_user_profiles_admin_details (is_admin, full_name, email, updated_at)",
            "idx_scraping_jobs_status (status)",
            "idx_scraping_jobs_platform (platform)",
            "idx_scraping_jobs_user_campaign (user_id, campaign_id)",
            "idx_scraping_results_job_id (job_id)",
            "idx_scraping_results_created_at (created_at)",
        ],
    )
    .await;
}

#[tokio::test]
async fn character_creation() {
    check(
        Database::CharacterCreation,
        &[
            "subscription_tier",
            "style_type",
            "generation_status",
            "user_role",
        ],
        &[
            "uq_users_email UNIQUE",
            "uq_users_auth0_id UNIQUE",
            "idx_characters_user_id",
            "idx_characters_style_type",
            "idx_characters_is_public",
            "idx_characters_tags gin",
            "idx_generations_status_created_at (status, created_at)",
        ],
    )
    .await;
}

#[tokio::test]
async fn mind_vault() {
    check(
        Database::MindVault,
        &[],
        &[
            "uq_tag_name UNIQUE",
            "uq_category_name UNIQUE",
            "idx_video_summary_user_id",
            "idx_video_summary_youtube_id",
            "idx_keyframe_video_summary_id",
            "video_summary_tag_pkey (video_summary_id, tag_id)",
            "video_summary_category_pkey (video_summary_id, category_id)",
        ],
    )
    .await;
}

#[tokio::test]
async fn deed_o() {
    check(
        Database::DeedO,
        &["causes_enum", "publishing_status_enum"],
        &[
            "idx_products_vendor_id",
            "idx_products_cause",
            "idx_products_publishing_status",
            "idx_products_created_at",
            "idx_groups_product_id",
            "idx_groups_members gin",
            "idx_messages_group_id",
            "idx_messages_sender_id",
            "idx_messages_timestamp",
        ],
    )
    .await;
}

#[tokio::test]
async fn deed_o_auth() {
    check(
        Database::DeedOAuth,
        &[
            "users_roles_enum",
            "users_statuses_enum",
            "platform_types_enum",
            "user_verification_actions_enum",
        ],
        &[
            "users_email_key UNIQUE",
            "idx_user_verifications_id_user_id_otp_code (id, user_id, otp_code)",
        ],
    )
    .await;
}
