//! Rows arranged directly in the databases, for tests that need exact data.

use entity::head_shakers::sea_orm_active_enums::UserRole;
use entity::head_shakers::{bobbleheads, collections, user_settings, users};
use entity::usegemz::scraping_jobs;
use sea_orm::prelude::{Decimal, Uuid};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection};

/// A Head Shakers user named `user{n}`.
pub async fn hs_user(db: &DatabaseConnection, n: usize) -> Uuid {
    let id = Uuid::new_v4();
    users::ActiveModel {
        id: Set(id),
        clerk_id: Set(format!("clerk_{id}")),
        username: Set(format!("user{n}_{}", &id.simple().to_string()[..6])),
        email: Set(format!(
            "user{n}_{}@example.com",
            &id.simple().to_string()[..6]
        )),
        display_name: Set(format!("User {n}")),
        role: Set(UserRole::User),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap_or_else(|e| panic!("insert user: {e}"));
    id
}

/// The settings row of a Head Shakers user.
pub async fn hs_settings(db: &DatabaseConnection, user: Uuid) -> Uuid {
    let id = Uuid::new_v4();
    user_settings::ActiveModel {
        id: Set(id),
        user_id: Set(user),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap_or_else(|e| panic!("insert settings: {e}"));
    id
}

/// A Head Shakers collection.
pub async fn hs_collection(db: &DatabaseConnection, user: Uuid, name: &str, public: bool) -> Uuid {
    let id = Uuid::new_v4();
    collections::ActiveModel {
        id: Set(id),
        user_id: Set(user),
        name: Set(name.to_owned()),
        is_public: Set(public),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap_or_else(|e| panic!("insert collection: {e}"));
    id
}

/// A public Head Shakers bobblehead.
pub async fn hs_bobblehead(
    db: &DatabaseConnection,
    user: Uuid,
    collection: Uuid,
    name: &str,
    price: Option<i64>,
) -> Uuid {
    let id = Uuid::new_v4();
    bobbleheads::ActiveModel {
        id: Set(id),
        user_id: Set(user),
        collection_id: Set(collection),
        name: Set(name.to_owned()),
        purchase_price: Set(price.map(|p| Decimal::new(p * 100, 2))),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap_or_else(|e| panic!("insert bobblehead: {e}"));
    id
}

/// A pending TikTok keyword scraping job of the usegemz user `owner`, outside any campaign.
pub async fn ug_job(db: &DatabaseConnection, owner: &str) -> Uuid {
    let id = Uuid::new_v4();
    let at = sea_orm::prelude::DateTimeUtc::from_timestamp(1_767_225_600, 0)
        .unwrap_or_default()
        .naive_utc();
    scraping_jobs::ActiveModel {
        id: Set(id),
        user_id: Set(owner.into()),
        platform: Set("TikTok".into()),
        keywords: Set(Some(serde_json::json!(["fitness"]))),
        region: Set("US".into()),
        status: Set("pending".into()),
        processed_runs: Set(0),
        processed_results: Set(0),
        target_results: Set(100),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap_or_else(|e| panic!("insert job: {e}"));
    id
}
