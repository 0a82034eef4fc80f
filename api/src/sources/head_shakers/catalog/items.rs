//! Bobbleheads: create, update, move, soft delete and restore, with the aggregates of their
//! collections and sub-collections.

use entity::head_shakers::{bobbleheads, user_settings};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait, LockType, Query, Value};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect,
};
use uuid::Uuid;

use super::{
    Values, begin, bump, check, col, commit, count_in, get, given, insert, now, own, tally, update,
};
use crate::error::ApiError;
use crate::graphql::sql::Scope;
use crate::graphql::value::Cell;

/// What the aggregates need to know of a bobblehead.
pub(super) struct Item {
    user: Uuid,
    collection: Uuid,
    sub: Option<Uuid>,
    price: Decimal,
    deleted: bool,
}

/// Reads (and on PostgreSQL locks, `FOR NO KEY UPDATE`) a bobblehead's placement and price.
async fn item(db: &impl ConnectionTrait, id: Uuid) -> Result<Item, ApiError> {
    type Row = (Uuid, Uuid, Option<Uuid>, Option<Decimal>, bool);
    let row: Option<Row> = bobbleheads::Entity::find_by_id(id)
        .select_only()
        .columns([
            bobbleheads::Column::UserId,
            bobbleheads::Column::CollectionId,
            bobbleheads::Column::SubCollectionId,
            bobbleheads::Column::PurchasePrice,
            bobbleheads::Column::IsDeleted,
        ])
        .lock(LockType::NoKeyUpdate)
        .into_tuple()
        .one(db)
        .await?;
    let (user, collection, sub, price, deleted) =
        row.ok_or_else(|| ApiError::NotFound(format!("no bobblehead {id}")))?;
    Ok(Item {
        user,
        collection,
        sub,
        price: price.unwrap_or_default().round_dp(2),
        deleted,
    })
}

/// A live bobblehead, locked for the transaction.
pub(super) async fn live(db: &impl ConnectionTrait, id: Uuid) -> Result<Item, ApiError> {
    let it = item(db, id).await?;
    if it.deleted {
        return Err(ApiError::NotFound(format!("no bobblehead {id}")));
    }
    Ok(it)
}

fn price_of(cell: Option<&Cell>) -> Decimal {
    match cell {
        Some(Cell::Decimal(d)) => d.round_dp(2),
        _ => Decimal::ZERO,
    }
}

/// Whether the viewer's new items are public: `user_settings.default_item_privacy` is
/// `public` or unset (HS-A15).
async fn default_public(db: &impl ConnectionTrait, actor: Uuid) -> Result<bool, ApiError> {
    let privacy: Option<Option<String>> = user_settings::Entity::find()
        .select_only()
        .column(user_settings::Column::DefaultItemPrivacy)
        .filter(user_settings::Column::UserId.eq(actor))
        .into_tuple()
        .one(db)
        .await?;
    Ok(privacy.flatten().is_none_or(|p| p == "public"))
}

/// Adds a bobblehead to the viewer's collection (and optionally one of its sub-collections);
/// the aggregates count it. Answers its id.
pub async fn create_bobblehead(
    db: &DatabaseConnection,
    scope: &Scope,
    actor: Uuid,
    collection: Uuid,
    sub: Option<Uuid>,
    values: &Values,
) -> Result<Uuid, ApiError> {
    let values = &given(values);
    check(values)?;
    own(db, scope, actor, "collection", collection).await?;
    let (id, at) = (Uuid::new_v4(), now());
    let mut fixed = vec![
        ("id", id.into()),
        ("user_id", actor.into()),
        ("collection_id", collection.into()),
        ("sub_collection_id", Value::Uuid(sub)),
        ("created_at", at.into()),
        ("updated_at", at.into()),
    ];
    if get(values, "is_public").is_none() {
        fixed.push(("is_public", default_public(db, actor).await?.into()));
    }
    let price = price_of(get(values, "purchase_price"));
    let txn = begin(db).await?;
    insert(&txn, "bobbleheads", fixed, values).await?;
    if tally(&txn, collection, 1, price, Some(at)).await? == 0 {
        return Err(ApiError::NotFound(format!("no collection {collection}")));
    }
    if let Some(s) = sub {
        count_in(&txn, actor, s, collection, 1).await?;
    }
    commit(txn).await?;
    Ok(id)
}

/// Changes the given metadata of the viewer's bobblehead; a new price moves the collection's
/// `total_value` by the difference.
pub async fn update_bobblehead(
    db: &DatabaseConnection,
    scope: &Scope,
    actor: Uuid,
    id: Uuid,
    values: &Values,
) -> Result<(), ApiError> {
    check(values)?;
    own(db, scope, actor, "bobblehead", id).await?;
    let txn = begin(db).await?;
    let it = live(&txn, id).await?;
    update(
        &txn,
        "bobbleheads",
        id,
        vec![("updated_at", now().into())],
        values,
    )
    .await?;
    if let Some(cell) = get(values, "purchase_price") {
        let delta = price_of(Some(cell)) - it.price;
        if !delta.is_zero() {
            tally(&txn, it.collection, 0, delta, None).await?;
        }
    }
    commit(txn).await?;
    Ok(())
}

/// Moves the viewer's bobblehead to another of their collections and/or sub-collections
/// (`sub: None` = none); both collections' and sub-collections' aggregates follow.
pub async fn move_bobblehead(
    db: &DatabaseConnection,
    scope: &Scope,
    actor: Uuid,
    id: Uuid,
    collection: Uuid,
    sub: Option<Uuid>,
) -> Result<(), ApiError> {
    own(db, scope, actor, "bobblehead", id).await?;
    own(db, scope, actor, "collection", collection).await?;
    let txn = begin(db).await?;
    let it = live(&txn, id).await?;
    if it.collection == collection && it.sub == sub {
        commit(txn).await?;
        return Ok(());
    }
    let at = now();
    let fixed = vec![
        ("collection_id", collection.into()),
        ("sub_collection_id", Value::Uuid(sub)),
        ("updated_at", at.into()),
    ];
    update(&txn, "bobbleheads", id, fixed, &Vec::new()).await?;
    // Rows are locked in id order, so crossing moves cannot deadlock on PostgreSQL.
    if it.collection != collection {
        let mut sides = [
            (it.collection, -1, -it.price, None),
            (collection, 1, it.price, Some(at)),
        ];
        sides.sort_by_key(|s| s.0);
        for (c, items, value, added) in sides {
            if tally(&txn, c, items, value, added).await? == 0 && c == collection {
                return Err(ApiError::NotFound(format!("no collection {collection}")));
            }
        }
    }
    let mut subs: Vec<(Uuid, i32)> = it.sub.map(|s| (s, -1)).into_iter().collect();
    subs.extend(sub.map(|s| (s, 1)));
    subs.sort_by_key(|s| s.0);
    for (s, delta) in subs {
        if delta < 0 {
            bump(&txn, "sub_collections", "item_count", s, delta, None).await?;
        } else {
            count_in(&txn, actor, s, collection, delta).await?;
        }
    }
    commit(txn).await?;
    Ok(())
}

/// Sets or clears the soft-delete pair (`is_deleted`, `deleted_at`) when it is `!deleted`;
/// answers whether it changed.
async fn set_deleted(db: &impl ConnectionTrait, id: Uuid, deleted: bool) -> Result<bool, ApiError> {
    let at = now();
    let mut q = Query::update();
    q.table(col("bobbleheads"))
        .value(col("is_deleted"), deleted)
        .value(
            col("deleted_at"),
            Value::ChronoDateTime(deleted.then_some(at)),
        )
        .value(col("updated_at"), at)
        .and_where(Expr::col(col("id")).eq(id))
        .and_where(Expr::col(col("is_deleted")).eq(!deleted));
    Ok(db.execute(&q).await?.rows_affected() > 0)
}

/// Soft-deletes the viewer's bobblehead (HS-OP09); it leaves the aggregates.
pub async fn delete_bobblehead(
    db: &DatabaseConnection,
    scope: &Scope,
    actor: Uuid,
    id: Uuid,
) -> Result<Option<Uuid>, ApiError> {
    own(db, scope, actor, "bobblehead", id).await?;
    let txn = begin(db).await?;
    let it = item(&txn, id).await?;
    let changed = set_deleted(&txn, id, true).await?;
    if changed {
        tally(&txn, it.collection, -1, -it.price, None).await?;
        if let Some(s) = it.sub {
            bump(&txn, "sub_collections", "item_count", s, -1, None).await?;
        }
    }
    commit(txn).await?;
    Ok(changed.then_some(it.collection))
}

/// Restores the viewer's soft-deleted bobblehead (HS-OP10); it counts again, as a newly added
/// item of its collection. Restoring a live item changes nothing.
pub async fn restore_bobblehead(
    db: &DatabaseConnection,
    scope: &Scope,
    actor: Uuid,
    id: Uuid,
) -> Result<(), ApiError> {
    let txn = begin(db).await?;
    let it = item(&txn, id).await?;
    if it.user != actor {
        txn.rollback().await?;
        if it.deleted {
            return Err(ApiError::NotFound(format!("no bobblehead {id}")));
        }
        // Someone else's live bobblehead: NOT_FOUND when hidden from the viewer.
        own(db, scope, actor, "bobblehead", id).await?;
        return Err(ApiError::Forbidden(
            "only its owner may change this bobblehead".into(),
        ));
    }
    if set_deleted(&txn, id, false).await? {
        tally(&txn, it.collection, 1, it.price, Some(now())).await?;
        if let Some(s) = it.sub {
            bump(&txn, "sub_collections", "item_count", s, 1, None).await?;
        }
    }
    commit(txn).await?;
    Ok(())
}
