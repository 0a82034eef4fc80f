//! Collections and sub-collections.

use std::collections::BTreeMap;

use entity::head_shakers::sea_orm_active_enums as en;
use entity::head_shakers::{
    bobblehead_tags, bobbleheads, collections, comments, content_views, follows, likes,
    sub_collections,
};
use sea_orm::sea_query::{Condition, ExprTrait, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use super::{Values, begin, bump, check, commit, get, given, insert, now, own, reorder, update};
use crate::error::ApiError;
use crate::graphql::sql::Scope;

/// Creates a collection for the viewer; answers its id.
pub async fn create_collection(
    db: &DatabaseConnection,
    actor: Uuid,
    values: &Values,
) -> Result<Uuid, ApiError> {
    let values = &given(values);
    check(values)?;
    let (id, at) = (Uuid::new_v4(), now());
    let fixed = vec![
        ("id", id.into()),
        ("user_id", actor.into()),
        ("created_at", at.into()),
        ("updated_at", at.into()),
    ];
    // A transaction of its own, so that the answer is read back before it commits.
    let txn = begin(db).await?;
    insert(&txn, "collections", fixed, values).await?;
    commit(txn).await?;
    Ok(id)
}

/// Changes the given columns of the viewer's collection.
pub async fn update_collection(
    db: &DatabaseConnection,
    scope: &Scope,
    actor: Uuid,
    id: Uuid,
    values: &Values,
) -> Result<(), ApiError> {
    check(values)?;
    own(db, scope, actor, "collection", id).await?;
    let txn = begin(db).await?;
    update(
        &txn,
        "collections",
        id,
        vec![("updated_at", now().into())],
        values,
    )
    .await?;
    commit(txn).await
}

/// The ids of the bobbleheads of a collection, soft-deleted ones included.
fn items_of(collection: Uuid) -> SelectStatement {
    Query::select()
        .column(bobbleheads::Column::Id)
        .from(bobbleheads::Entity)
        .and_where(bobbleheads::Column::CollectionId.eq(collection))
        .to_owned()
}

/// Removes the likes, comments, views and follows aimed at a collection, its sub-collections
/// and its bobbleheads, which no foreign key reaches (HS-A04).
async fn purge(db: &impl ConnectionTrait, collection: Uuid) -> Result<(), ApiError> {
    let subs = Query::select()
        .column(sub_collections::Column::Id)
        .from(sub_collections::Entity)
        .and_where(sub_collections::Column::CollectionId.eq(collection))
        .to_owned();
    let on_targets = Condition::any()
        .add(
            comments::Column::TargetType
                .eq(en::CommentTargetType::Bobblehead)
                .and(comments::Column::TargetId.in_subquery(items_of(collection))),
        )
        .add(
            comments::Column::TargetType
                .eq(en::CommentTargetType::Collection)
                .and(comments::Column::TargetId.eq(collection)),
        );
    let comment_ids = Query::select()
        .column(comments::Column::Id)
        .from(comments::Entity)
        .cond_where(on_targets.clone())
        .to_owned();
    likes::Entity::delete_many()
        .filter(
            Condition::any()
                .add(
                    likes::Column::TargetType
                        .eq(en::LikeTargetType::Bobblehead)
                        .and(likes::Column::TargetId.in_subquery(items_of(collection))),
                )
                .add(
                    likes::Column::TargetType
                        .eq(en::LikeTargetType::Collection)
                        .and(likes::Column::TargetId.eq(collection)),
                )
                .add(
                    likes::Column::TargetType
                        .eq(en::LikeTargetType::Comment)
                        .and(likes::Column::TargetId.in_subquery(comment_ids)),
                ),
        )
        .exec(db)
        .await?;
    comments::Entity::delete_many()
        .filter(on_targets)
        .exec(db)
        .await?;
    content_views::Entity::delete_many()
        .filter(
            Condition::any()
                .add(
                    content_views::Column::TargetType
                        .eq(en::ContentViewsTargetType::Bobblehead)
                        .and(content_views::Column::TargetId.in_subquery(items_of(collection))),
                )
                .add(
                    content_views::Column::TargetType
                        .eq(en::ContentViewsTargetType::Collection)
                        .and(content_views::Column::TargetId.eq(collection)),
                )
                .add(
                    content_views::Column::TargetType
                        .eq(en::ContentViewsTargetType::SubCollection)
                        .and(content_views::Column::TargetId.in_subquery(subs)),
                ),
        )
        .exec(db)
        .await?;
    follows::Entity::delete_many()
        .filter(follows::Column::FollowType.eq(en::FollowType::Collection))
        .filter(follows::Column::TargetId.eq(collection))
        .exec(db)
        .await?;
    Ok(())
}

/// Deletes the viewer's collection with its sub-collections, bobbleheads, photos and tag
/// links (foreign keys cascade); the tags' `usage_count` loses the removed links.
pub async fn delete_collection(
    db: &DatabaseConnection,
    scope: &Scope,
    actor: Uuid,
    id: Uuid,
) -> Result<bool, ApiError> {
    own(db, scope, actor, "collection", id).await?;
    let txn = begin(db).await?;
    // On PostgreSQL, lock the collection (no new items), its items (no new tag links) and
    // their links (an untag in flight finishes first), so the counted links are the ones the
    // cascade removes.
    collections::Entity::find_by_id(id)
        .lock_exclusive()
        .one(&txn)
        .await?;
    bobbleheads::Entity::find()
        .select_only()
        .column(bobbleheads::Column::Id)
        .filter(bobbleheads::Column::CollectionId.eq(id))
        .lock_exclusive()
        .into_tuple::<Uuid>()
        .all(&txn)
        .await?;
    let links: Vec<Uuid> = bobblehead_tags::Entity::find()
        .select_only()
        .column(bobblehead_tags::Column::TagId)
        .filter(bobblehead_tags::Column::BobbleheadId.in_subquery(items_of(id)))
        .lock_exclusive()
        .into_tuple()
        .all(&txn)
        .await?;
    let mut uses: BTreeMap<Uuid, i32> = BTreeMap::new();
    for tag in links {
        *uses.entry(tag).or_default() += 1;
    }
    for (tag, n) in uses {
        bump(&txn, "tags", "usage_count", tag, -n, None).await?;
    }
    purge(&txn, id).await?;
    let deleted = collections::Entity::delete_by_id(id).exec(&txn).await?;
    commit(txn).await?;
    Ok(deleted.rows_affected > 0)
}

/// Creates a sub-collection in the viewer's collection (appended when no `sortOrder`).
pub async fn create_sub_collection(
    db: &DatabaseConnection,
    scope: &Scope,
    actor: Uuid,
    collection: Uuid,
    values: &Values,
) -> Result<Uuid, ApiError> {
    let values = &given(values);
    check(values)?;
    own(db, scope, actor, "collection", collection).await?;
    let txn = begin(db).await?;
    let mut fixed = Vec::new();
    if get(values, "sort_order").is_none() {
        let last = sub_collections::Entity::find()
            .filter(sub_collections::Column::CollectionId.eq(collection))
            .order_by_desc(sub_collections::Column::SortOrder)
            .one(&txn)
            .await?;
        fixed.push((
            "sort_order",
            last.map_or(0, |s| s.sort_order.saturating_add(1)).into(),
        ));
    }
    let (id, at) = (Uuid::new_v4(), now());
    fixed.extend([
        ("id", id.into()),
        ("collection_id", collection.into()),
        ("created_at", at.into()),
        ("updated_at", at.into()),
    ]);
    insert(&txn, "sub_collections", fixed, values).await?;
    commit(txn).await?;
    Ok(id)
}

/// Changes the given columns of a sub-collection of the viewer's.
pub async fn update_sub_collection(
    db: &DatabaseConnection,
    scope: &Scope,
    actor: Uuid,
    id: Uuid,
    values: &Values,
) -> Result<(), ApiError> {
    check(values)?;
    own(db, scope, actor, "sub_collection", id).await?;
    let fixed = vec![("updated_at", now().into())];
    let txn = begin(db).await?;
    update(&txn, "sub_collections", id, fixed, values).await?;
    commit(txn).await
}

/// Orders the sub-collections of the viewer's collection as `ids` (all of them, each once).
pub async fn reorder_sub_collections(
    db: &DatabaseConnection,
    scope: &Scope,
    actor: Uuid,
    collection: Uuid,
    ids: &[Uuid],
) -> Result<(), ApiError> {
    own(db, scope, actor, "collection", collection).await?;
    let txn = begin(db).await?;
    reorder(&txn, "sub_collections", "collection_id", collection, ids).await?;
    commit(txn).await?;
    Ok(())
}

/// Deletes a sub-collection of the viewer's; its bobbleheads stay in the collection without
/// a sub-collection (`ON DELETE SET NULL`), so the collection's aggregates do not change.
pub async fn delete_sub_collection(
    db: &DatabaseConnection,
    scope: &Scope,
    actor: Uuid,
    id: Uuid,
) -> Result<Option<Uuid>, ApiError> {
    own(db, scope, actor, "sub_collection", id).await?;
    let txn = begin(db).await?;
    content_views::Entity::delete_many()
        .filter(content_views::Column::TargetType.eq(en::ContentViewsTargetType::SubCollection))
        .filter(content_views::Column::TargetId.eq(id))
        .exec(&txn)
        .await?;
    let deleted = sub_collections::Entity::delete_many()
        .filter(sub_collections::Column::Id.eq(id))
        .exec_with_returning(&txn)
        .await?;
    commit(txn).await?;
    Ok(deleted.first().map(|s| s.collection_id))
}
