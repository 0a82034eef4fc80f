//! Photos and tags of bobbleheads.

use entity::head_shakers::{bobblehead_photos, bobblehead_tags, tags};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::items::live;
use super::{
    Values, begin, bump, check, col, commit, db_error, get, given, insert, now, own, reorder,
    update,
};
use crate::error::ApiError;
use crate::graphql::sql::Scope;
use crate::graphql::value::Cell;

/// Unsets the primary photo of a bobblehead.
async fn unset_primary(db: &impl ConnectionTrait, bobblehead: Uuid) -> Result<(), ApiError> {
    let mut q = Query::update();
    q.table(col("bobblehead_photos"))
        .value(col("is_primary"), false)
        .and_where(Expr::col(col("bobblehead_id")).eq(bobblehead))
        .and_where(Expr::col(col("is_primary")).eq(true));
    db.execute(&q).await?;
    Ok(())
}

/// Adds a photo to the viewer's bobblehead (appended when no `sortOrder`); a primary photo
/// replaces the previous one in the same transaction (HS-A16). Answers its id.
pub async fn add_photo(
    db: &DatabaseConnection,
    scope: &Scope,
    actor: Uuid,
    bobblehead: Uuid,
    values: &Values,
) -> Result<Uuid, ApiError> {
    let values = &given(values);
    check(values)?;
    own(db, scope, actor, "bobblehead", bobblehead).await?;
    let txn = begin(db).await?;
    live(&txn, bobblehead).await?;
    let id = Uuid::new_v4();
    let mut fixed = vec![
        ("id", id.into()),
        ("bobblehead_id", bobblehead.into()),
        ("uploaded_at", now().into()),
    ];
    if get(values, "sort_order").is_none() {
        let last = bobblehead_photos::Entity::find()
            .filter(bobblehead_photos::Column::BobbleheadId.eq(bobblehead))
            .order_by_desc(bobblehead_photos::Column::SortOrder)
            .one(&txn)
            .await?;
        fixed.push((
            "sort_order",
            last.map_or(0, |p| p.sort_order.saturating_add(1)).into(),
        ));
    }
    if get(values, "is_primary") == Some(&Cell::Bool(true)) {
        unset_primary(&txn, bobblehead).await?;
    }
    insert(&txn, "bobblehead_photos", fixed, values).await?;
    commit(txn).await?;
    Ok(id)
}

/// The bobblehead of a photo, once the viewer is shown to own it.
async fn own_photo(
    db: &DatabaseConnection,
    scope: &Scope,
    actor: Uuid,
    id: Uuid,
) -> Result<Uuid, ApiError> {
    let photo = bobblehead_photos::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no photo {id}")))?;
    own(db, scope, actor, "bobblehead", photo.bobblehead_id).await?;
    Ok(photo.bobblehead_id)
}

/// Makes a photo of the viewer's bobblehead its primary one; the others stop being primary.
pub async fn set_primary_photo(
    db: &DatabaseConnection,
    scope: &Scope,
    actor: Uuid,
    id: Uuid,
) -> Result<(), ApiError> {
    let bobblehead = own_photo(db, scope, actor, id).await?;
    let txn = begin(db).await?;
    live(&txn, bobblehead).await?;
    unset_primary(&txn, bobblehead).await?;
    let mut q = Query::update();
    q.table(col("bobblehead_photos"))
        .value(col("is_primary"), true)
        .and_where(Expr::col(col("id")).eq(id));
    txn.execute(&q).await?;
    commit(txn).await?;
    Ok(())
}

/// Orders the photos of the viewer's bobblehead as `ids` (all of them, each once).
pub async fn reorder_photos(
    db: &DatabaseConnection,
    scope: &Scope,
    actor: Uuid,
    bobblehead: Uuid,
    ids: &[Uuid],
) -> Result<(), ApiError> {
    own(db, scope, actor, "bobblehead", bobblehead).await?;
    let txn = begin(db).await?;
    live(&txn, bobblehead).await?;
    reorder(&txn, "bobblehead_photos", "bobblehead_id", bobblehead, ids).await?;
    commit(txn).await?;
    Ok(())
}

/// Deletes a photo of the viewer's bobblehead.
pub async fn delete_photo(
    db: &DatabaseConnection,
    scope: &Scope,
    actor: Uuid,
    id: Uuid,
) -> Result<Option<Uuid>, ApiError> {
    let bobblehead = own_photo(db, scope, actor, id).await?;
    let deleted = bobblehead_photos::Entity::delete_by_id(id).exec(db).await?;
    Ok((deleted.rows_affected > 0).then_some(bobblehead))
}

/// Creates a tag of the viewer's (`CONFLICT` when they have one of that name); answers its id.
pub async fn create_tag(
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
    insert(&txn, "tags", fixed, values).await?;
    commit(txn).await?;
    Ok(id)
}

/// A tag of the viewer's (`NOT_FOUND` when missing, `FORBIDDEN` when someone else's).
async fn own_tag(db: &impl ConnectionTrait, actor: Uuid, id: Uuid) -> Result<(), ApiError> {
    let tag = tags::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no tag {id}")))?;
    if tag.user_id != actor {
        return Err(ApiError::Forbidden(
            "only its owner may use this tag".into(),
        ));
    }
    Ok(())
}

/// Changes the name or colour of the viewer's tag.
pub async fn update_tag(
    db: &DatabaseConnection,
    actor: Uuid,
    id: Uuid,
    values: &Values,
) -> Result<(), ApiError> {
    check(values)?;
    own_tag(db, actor, id).await?;
    let txn = begin(db).await?;
    update(&txn, "tags", id, vec![("updated_at", now().into())], values).await?;
    commit(txn).await
}

/// Deletes the viewer's tag and its links.
pub async fn delete_tag(db: &DatabaseConnection, actor: Uuid, id: Uuid) -> Result<bool, ApiError> {
    own_tag(db, actor, id).await?;
    Ok(tags::Entity::delete_by_id(id).exec(db).await?.rows_affected > 0)
}

/// Tags the viewer's bobblehead with their tag (idempotent; `usage_count` grows only when
/// the link is new); answers the link's id.
pub async fn tag_bobblehead(
    db: &DatabaseConnection,
    scope: &Scope,
    actor: Uuid,
    bobblehead: Uuid,
    tag: Uuid,
) -> Result<Uuid, ApiError> {
    own(db, scope, actor, "bobblehead", bobblehead).await?;
    own_tag(db, actor, tag).await?;
    // A concurrent untag may remove the link between the insert that found it present and the
    // read of its id; the viewer still wants it, so insert again.
    for _ in 0..3 {
        if let Some(id) = tag_once(db, bobblehead, tag).await? {
            return Ok(id);
        }
    }
    Err(ApiError::Conflict(
        "the tag link changed concurrently; try again".into(),
    ))
}

/// One attempt of [`tag_bobblehead`]: the link's id, or `None` when it vanished meanwhile.
async fn tag_once(
    db: &DatabaseConnection,
    bobblehead: Uuid,
    tag: Uuid,
) -> Result<Option<Uuid>, ApiError> {
    let txn = begin(db).await?;
    let inserted = bobblehead_tags::Entity::insert(bobblehead_tags::ActiveModel {
        id: Set(Uuid::new_v4()),
        bobblehead_id: Set(bobblehead),
        tag_id: Set(tag),
        created_at: Set(Some(now())),
    })
    .on_conflict(
        OnConflict::columns([
            bobblehead_tags::Column::BobbleheadId,
            bobblehead_tags::Column::TagId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(&txn)
    .await
    .map_err(|e| db_error(e, "tag link"))?;
    if inserted > 0 && bump(&txn, "tags", "usage_count", tag, 1, None).await? == 0 {
        return Err(ApiError::NotFound(format!("no tag {tag}")));
    }
    // Locked (PostgreSQL) so that a concurrent untag waits for this write's answer.
    let id = bobblehead_tags::Entity::find()
        .filter(bobblehead_tags::Column::BobbleheadId.eq(bobblehead))
        .filter(bobblehead_tags::Column::TagId.eq(tag))
        .lock_shared()
        .one(&txn)
        .await?
        .map(|l| l.id);
    match id {
        Some(_) => commit(txn).await?,
        None => txn.rollback().await?,
    }
    Ok(id)
}

/// Removes a tag from the viewer's bobblehead; answers whether it was there.
pub async fn untag_bobblehead(
    db: &DatabaseConnection,
    scope: &Scope,
    actor: Uuid,
    bobblehead: Uuid,
    tag: Uuid,
) -> Result<Option<Uuid>, ApiError> {
    own(db, scope, actor, "bobblehead", bobblehead).await?;
    let txn = begin(db).await?;
    let removed = bobblehead_tags::Entity::delete_many()
        .filter(bobblehead_tags::Column::BobbleheadId.eq(bobblehead))
        .filter(bobblehead_tags::Column::TagId.eq(tag))
        .exec_with_returning(&txn)
        .await?;
    if !removed.is_empty() {
        let n = i32::try_from(removed.len()).unwrap_or(i32::MAX);
        bump(&txn, "tags", "usage_count", tag, -n, None).await?;
    }
    commit(txn).await?;
    Ok(removed.first().map(|l| l.id))
}
