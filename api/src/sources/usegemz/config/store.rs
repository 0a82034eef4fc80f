//! Reading and upserting `system_configurations` rows (UG-OP25). Nothing is cached: every
//! read runs against the table, so a value set by one request (or one gateway replica) is what
//! the next read answers — the hot reload the seed asks for.

use entity::usegemz::system_configurations as sc;
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, SqlErr,
};
use uuid::Uuid;

use super::parse;
use crate::error::ApiError;
use crate::graphql::write::{begin, db_error};

/// Longest category, as `VARCHAR(50)`.
pub const MAX_CATEGORY: usize = 50;
/// Longest key, as `VARCHAR(100)`.
pub const MAX_KEY: usize = 100;
/// Longest description accepted.
pub const MAX_DESCRIPTION: usize = 2000;

/// A setting to write (category, key and value type already checked).
#[derive(Debug)]
pub struct Setting {
    /// Category.
    pub category: String,
    /// Key within the category.
    pub key: String,
    /// The value as text, checked against the effective value type.
    pub value: String,
    /// A stored value type; `None` keeps the stored one (required for a new setting).
    pub value_type: Option<&'static str>,
    /// Description; `None` keeps the stored one.
    pub description: Option<String>,
    /// Hot-reload flag; `None` keeps the stored one (new settings: true).
    pub hot_reloadable: Option<bool>,
}

/// The setting `category` / `key`, if any.
pub async fn get(
    db: &impl ConnectionTrait,
    category: &str,
    key: &str,
) -> Result<Option<sc::Model>, ApiError> {
    Ok(sc::Entity::find()
        .filter(sc::Column::Category.eq(category))
        .filter(sc::Column::Key.eq(key))
        .one(db)
        .await?)
}

/// Every setting, or those of one category, by category then key.
pub async fn list(
    db: &impl ConnectionTrait,
    category: Option<&str>,
) -> Result<Vec<sc::Model>, ApiError> {
    let mut q = sc::Entity::find();
    if let Some(c) = category {
        q = q.filter(sc::Column::Category.eq(c));
    }
    Ok(q.order_by_asc(sc::Column::Category)
        .order_by_asc(sc::Column::Key)
        .all(db)
        .await?)
}

fn flag(b: bool) -> String {
    if b { "true" } else { "false" }.to_owned()
}

/// Upserts a setting by category and key; answers the row written.
pub async fn set(db: &DatabaseConnection, s: Setting) -> Result<sc::Model, ApiError> {
    // A concurrent first write of the same key on PostgreSQL loses with a unique violation; the
    // second attempt then updates the row the other wrote.
    for _ in 0..2 {
        let txn = begin(db).await?;
        let old = sc::Entity::find()
            .filter(sc::Column::Category.eq(s.category.as_str()))
            .filter(sc::Column::Key.eq(s.key.as_str()))
            .lock_exclusive()
            .one(&txn)
            .await?;
        let ty = match (s.value_type, &old) {
            (Some(t), _) => t,
            (None, Some(o)) => parse::value_type(&o.value_type)?,
            (None, None) => {
                return Err(ApiError::input(
                    "valueType",
                    "valueType is required for a new setting",
                ));
            }
        };
        let value = parse::checked(ty, &s.value)?;
        let at = crate::graphql::write::now();
        let mut am = sc::ActiveModel {
            value: Set(value),
            value_type: Set(ty.to_owned()),
            updated_at: Set(at),
            ..Default::default()
        };
        if let Some(d) = &s.description {
            am.description = Set(Some(d.clone()));
        }
        if let Some(h) = s.hot_reloadable {
            am.is_hot_reloadable = Set(flag(h));
        }
        let id = match old {
            Some(o) => {
                sc::Entity::update_many()
                    .set(am)
                    .filter(sc::Column::Id.eq(o.id))
                    .exec(&txn)
                    .await
                    .map_err(|e| db_error(e, "setting"))?;
                o.id
            }
            None => {
                let id = Uuid::new_v4();
                am.id = Set(id);
                am.category = Set(s.category.clone());
                am.key = Set(s.key.clone());
                am.created_at = Set(at);
                if s.hot_reloadable.is_none() {
                    am.is_hot_reloadable = Set(flag(true));
                }
                match sc::Entity::insert(am).exec_without_returning(&txn).await {
                    Ok(_) => id,
                    Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                        txn.rollback().await?;
                        continue;
                    }
                    Err(e) => return Err(db_error(e, "setting")),
                }
            }
        };
        let row = sc::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or_else(|| ApiError::Internal(format!("setting {id} vanished")))?;
        txn.commit().await?;
        return Ok(row);
    }
    Err(ApiError::Conflict(format!(
        "setting {}/{} is being written concurrently",
        s.category, s.key
    )))
}
