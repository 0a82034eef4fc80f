//! Head Shakers writes: likes, comments, follows, blocks, views and notifications.
//!
//! Every write that touches a counter changes it in the same transaction as the row it
//! counts, by a single `UPDATE … SET n = n + 1` (never read-modify-write), and only when the
//! counted row was really inserted or removed — so liking twice is a no-op and concurrent
//! likes and unlikes leave `like_count` equal to the likes that exist.

use entity::head_shakers::sea_orm_active_enums as en;
use entity::head_shakers::{comments, content_views, follows, likes, notifications, user_blocks};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, OnConflict, Query};
use sea_orm::{
    ActiveEnum, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend,
    EntityTrait, Iterable, PaginatorTrait, QueryFilter, QuerySelect, Statement,
};
use uuid::Uuid;

use crate::auth::Viewer;
use crate::error::ApiError;
use crate::graphql::spec::Kind;
use crate::graphql::sql::{Scope, fetch, qcol, visibility};
use crate::graphql::value::Cell;
use crate::graphql::write::{begin, commit, db_error};

/// Longest comment, as the seed's `varchar(5000)`.
pub const MAX_COMMENT: usize = 5000;

/// The enum value stored as `s`.
pub(super) fn parse<E>(s: &str) -> Option<E>
where
    E: ActiveEnum<Value = sea_orm::sea_query::Enum> + Iterable,
{
    E::iter().find(|v| v.to_value().value == s)
}

pub(super) use crate::graphql::write::now;

/// The signed-in Head Shakers user. [`crate::identity`] found their live `users` row when the
/// request began, so no statement is needed here.
pub fn actor(viewer: &Viewer) -> Result<Uuid, ApiError> {
    viewer.user_in("head_shakers", "Head Shakers")
}

/// The table and owner column behind a target kind.
pub(super) fn target_table(kind: &str) -> Option<(&'static str, &'static str)> {
    Some(match kind {
        "bobblehead" => ("bobbleheads", "user_id"),
        "collection" => ("collections", "user_id"),
        "sub_collection" => ("sub_collections", "collection_id"),
        "comment" => ("comments", "user_id"),
        "user" | "profile" => ("users", "id"),
        _ => return None,
    })
}

/// The owner of a target the viewer may see (`NOT_FOUND` when absent, deleted or invisible).
/// Sub-collections answer their collection's owner.
pub async fn target_owner(
    db: &impl ConnectionTrait,
    scope: &Scope,
    kind: &str,
    id: Uuid,
) -> Result<Uuid, ApiError> {
    let owner = owner_of(db, scope, kind, id).await?;
    if kind == "sub_collection" {
        return owner_of(db, scope, "collection", owner).await;
    }
    Ok(owner)
}

async fn owner_of(
    db: &impl ConnectionTrait,
    scope: &Scope,
    kind: &str,
    id: Uuid,
) -> Result<Uuid, ApiError> {
    let missing = || ApiError::NotFound(format!("no {kind} {id}"));
    let (table_name, owner_col) = target_table(kind).ok_or_else(missing)?;
    let table = scope
        .source
        .table(table_name)
        .ok_or_else(|| ApiError::Internal(format!("{table_name} is not described")))?;
    let mut q = Query::select();
    q.expr_as(qcol(table_name, owner_col), Alias::new("owner"))
        .from(Alias::new(table_name))
        .cond_where(visibility(table, scope)?)
        .and_where(qcol(table_name, "id").eq(Expr::val(
            Cell::Uuid(id).sql(crate::graphql::spec::Kind::Uuid, scope.backend),
        )));
    let rows = fetch(db, &q).await?;
    let Some(row) = rows.first() else {
        // Hidden because its owner blocked the viewer: that is a refusal, not an absence.
        if let Some(Cell::Uuid(viewer)) = scope.viewer_cell(crate::graphql::spec::Kind::Uuid) {
            let mut q = Query::select();
            q.expr_as(qcol(table_name, owner_col), Alias::new("owner"))
                .from(Alias::new(table_name))
                .and_where(qcol(table_name, "id").eq(Expr::val(
                    Cell::Uuid(id).sql(crate::graphql::spec::Kind::Uuid, scope.backend),
                )));
            if let Some(r) = fetch(db, &q).await?.first() {
                let owner: Uuid = r.try_get("", "owner")?;
                if kind != "sub_collection" && owner != viewer && blocks(db, owner, viewer).await? {
                    return Err(ApiError::Forbidden("this user has blocked you".into()));
                }
            }
        }
        return Err(missing());
    };
    Ok(row.try_get("", "owner")?)
}

/// Whether `blocker` blocks `blocked`.
pub async fn blocks(
    db: &impl ConnectionTrait,
    blocker: Uuid,
    blocked: Uuid,
) -> Result<bool, ApiError> {
    Ok(user_blocks::Entity::find()
        .filter(user_blocks::Column::BlockerId.eq(blocker))
        .filter(user_blocks::Column::BlockedId.eq(blocked))
        .count(db)
        .await?
        > 0)
}

async fn refuse_if_blocked(
    db: &impl ConnectionTrait,
    owner: Uuid,
    actor: Uuid,
) -> Result<(), ApiError> {
    if owner != actor && blocks(db, owner, actor).await? {
        return Err(ApiError::Forbidden("this user has blocked you".into()));
    }
    Ok(())
}

/// `UPDATE table SET column = column + delta WHERE id = ?`; answers the rows changed.
async fn bump(
    db: &impl ConnectionTrait,
    table: &str,
    column: &str,
    id: Uuid,
    delta: i32,
) -> Result<u64, ApiError> {
    let mut q = Query::update();
    q.table(Alias::new(table))
        .value(Alias::new(column), Expr::col(Alias::new(column)).add(delta))
        .and_where(Expr::col(Alias::new("id")).eq(id));
    Ok(db.execute(&q).await?.rows_affected())
}

/// The counter a like of `kind` changes (collections count theirs on demand, HS-A09).
fn like_counter(kind: &str) -> Option<&'static str> {
    match kind {
        "bobblehead" => Some("bobbleheads"),
        "comment" => Some("comments"),
        _ => None,
    }
}

/// What a notification is about.
pub struct Notice<'a> {
    /// Notification type.
    pub kind: en::NotificationType,
    /// The recipient's `notification_settings` column that must allow it.
    pub setting: &'a str,
    /// Title.
    pub title: String,
    /// Related object's type and id.
    pub related: Option<(en::NotificationRelatedType, Uuid)>,
}

/// Notifies `recipient` of `actor`'s action, unless it is their own or their in-app setting
/// for it is off (no settings row: the defaults, which are on).
async fn notify(
    db: &impl ConnectionTrait,
    recipient: Uuid,
    actor: Uuid,
    notice: Notice<'_>,
) -> Result<(), ApiError> {
    if recipient == actor {
        return Ok(());
    }
    // One statement: the row is inserted only if the recipient's setting allows it.
    let pg = db.get_database_backend() == DbBackend::Postgres;
    let typed = |value: Option<String>, ty: &str| -> Expr {
        let v = Expr::val(value);
        if pg { v.as_enum(Alias::new(ty)) } else { v }
    };
    let setting = Query::select()
        .expr(Expr::col(Alias::new(notice.setting)))
        .from(Alias::new("notification_settings"))
        .and_where(Expr::col(Alias::new("user_id")).eq(recipient))
        .to_owned();
    let allowed = Func::coalesce([
        Expr::SubQuery(None, Box::new(setting.into())),
        Expr::val(true),
    ]);
    let (related_type, related_id) = match notice.related {
        Some((t, id)) => (Some(t.to_value().value.to_string()), Some(id)),
        None => (None, None),
    };
    let row = Query::select()
        .exprs([
            Expr::val(Uuid::new_v4()),
            Expr::val(recipient),
            typed(
                Some(notice.kind.to_value().value.to_string()),
                "notification_type",
            ),
            Expr::val(notice.title),
            typed(related_type, "notification_related_type"),
            Expr::val(related_id),
            Expr::val(actor),
            Expr::val(false),
            Expr::val(false),
            Expr::val(now()),
        ])
        .and_where(allowed.into())
        .to_owned();
    let mut insert = Query::insert();
    insert
        .into_table(Alias::new("notifications"))
        .columns(
            [
                "id",
                "user_id",
                "type",
                "title",
                "related_type",
                "related_id",
                "related_user_id",
                "is_read",
                "is_email_sent",
                "created_at",
            ]
            .map(Alias::new),
        )
        .select_from(row)
        .map_err(|e| ApiError::Internal(format!("notification insert: {e}")))?;
    db.execute(&insert).await?;
    Ok(())
}

fn related_type(kind: &str) -> Option<en::NotificationRelatedType> {
    parse::<en::NotificationRelatedType>(kind)
}

/// Likes a target (idempotent); answers the like's id.
///
/// Everything runs in one transaction, held open for the read-back of the like (see
/// `crate::graphql::write::held`): the check of the target (visible, its owner has not blocked
/// the viewer) is one statement, and on PostgreSQL the like, its counter and the owner's
/// notification are one more (data-modifying `WITH`); SQLite, which has no data-modifying
/// `WITH`, runs them one by one in the same transaction.
pub async fn like(
    db: &DatabaseConnection,
    scope: &Scope,
    actor: Uuid,
    kind: &str,
    target: Uuid,
) -> Result<Uuid, ApiError> {
    let target_type = parse::<en::LikeTargetType>(kind)
        .ok_or_else(|| ApiError::input("targetType", format!("cannot like a {kind}")))?;
    // A concurrent unlike may remove the like between the insert that found it present and the
    // read of its id; the viewer still wants it, so insert again.
    for _ in 0..3 {
        let txn = begin(db).await?;
        let owner = checked_owner(&txn, scope, kind, target, actor).await?;
        let found = match txn.get_database_backend() {
            DbBackend::Postgres => like_at_once(&txn, actor, kind, target, owner).await?,
            _ => like_by_steps(&txn, actor, &target_type, kind, target, owner).await?,
        };
        commit(txn).await?;
        if let Some(id) = found {
            return Ok(id);
        }
    }
    Err(ApiError::Conflict(
        "the like changed concurrently; try again".into(),
    ))
}

/// The owner of a target the viewer may see, refusing a viewer the owner blocked: one
/// statement on the way that succeeds.
async fn checked_owner(
    db: &impl ConnectionTrait,
    scope: &Scope,
    kind: &str,
    id: Uuid,
    actor: Uuid,
) -> Result<Uuid, ApiError> {
    let owner_is_user = matches!(kind, "bobblehead" | "collection" | "comment");
    let (table_name, owner_col) = target_table(kind)
        .filter(|_| owner_is_user)
        .ok_or_else(|| ApiError::input("targetType", format!("cannot like a {kind}")))?;
    let table = scope
        .source
        .table(table_name)
        .ok_or_else(|| ApiError::Internal(format!("{table_name} is not described")))?;
    let blocked = Query::select()
        .expr(Expr::cust("1"))
        .from(Alias::new("user_blocks"))
        .and_where(qcol("user_blocks", "blocker_id").eq(qcol(table_name, owner_col)))
        .and_where(qcol("user_blocks", "blocked_id").eq(actor))
        .to_owned();
    let mut q = Query::select();
    q.expr_as(qcol(table_name, owner_col), Alias::new("owner"))
        .expr_as(Expr::exists(blocked), Alias::new("blocked"))
        .from(Alias::new(table_name))
        .cond_where(visibility(table, scope)?)
        .and_where(qcol(table_name, "id").eq(id));
    let Some(row) = fetch(db, &q).await?.into_iter().next() else {
        // Absent, or hidden: find out which, and say so.
        return target_owner(db, scope, kind, id).await;
    };
    let owner: Uuid = row.try_get("", "owner")?;
    let blocked = match Cell::read(&row, "blocked", Kind::Bool, scope.backend)? {
        Cell::Bool(b) => b,
        _ => false,
    };
    if blocked && owner != actor {
        return Err(ApiError::Forbidden("this user has blocked you".into()));
    }
    Ok(owner)
}

/// The like, its counter and the owner's notification in one PostgreSQL statement; answers the
/// like's id (`None`: a concurrent unlike removed the like it found, try again).
async fn like_at_once(
    txn: &impl ConnectionTrait,
    actor: Uuid,
    kind: &str,
    target: Uuid,
    owner: Uuid,
) -> Result<Option<Uuid>, ApiError> {
    let title = format!("Someone liked your {kind}");
    let related = related_type(kind).map(|t| t.to_value().value.to_string());
    // Only the counter table's name is spliced in, and it comes from a fixed list.
    let (bump, bumped) = match like_counter(kind) {
        Some(table) => (
            format!(
                ", bump AS (UPDATE {table} SET like_count = like_count + 1 \
                 WHERE id = $4 AND EXISTS (SELECT 1 FROM ins) RETURNING id)"
            ),
            "(SELECT count(*) FROM bump)",
        ),
        None => (String::new(), "CAST(1 AS bigint)"),
    };
    let sql = format!(
        "WITH ins AS (INSERT INTO likes (id, user_id, target_type, target_id, created_at, updated_at) \
         VALUES ($1, $2, CAST($3 AS like_target_type), $4, $5, $5) \
         ON CONFLICT (user_id, target_type, target_id) DO NOTHING RETURNING id){bump}, \
         note AS (INSERT INTO notifications (id, user_id, type, title, related_type, related_id, \
         related_user_id, is_read, is_email_sent, created_at) \
         SELECT $6, $7, CAST('like' AS notification_type), $8, CAST($9 AS notification_related_type), \
         $4, $2, FALSE, FALSE, $5 WHERE EXISTS (SELECT 1 FROM ins) AND $7 <> $2 \
         AND COALESCE((SELECT in_app_new_likes FROM notification_settings WHERE user_id = $7), TRUE)) \
         SELECT (SELECT id FROM ins) AS inserted, {bumped} AS bumped, \
         (SELECT id FROM likes WHERE user_id = $2 AND target_type = CAST($3 AS like_target_type) \
         AND target_id = $4 FOR SHARE) AS existing"
    );
    let values: Vec<sea_orm::Value> = vec![
        Uuid::new_v4().into(),
        actor.into(),
        kind.into(),
        target.into(),
        now().into(),
        Uuid::new_v4().into(),
        owner.into(),
        title.into(),
        related.into(),
    ];
    let stmt = Statement::from_sql_and_values(DbBackend::Postgres, sql, values);
    let row = txn
        .query_one_raw(stmt)
        .await
        .map_err(|e| db_error(e, "like"))?
        .ok_or_else(|| ApiError::Internal("the like answered no row".into()))?;
    let inserted: Option<Uuid> = row.try_get("", "inserted")?;
    let bumped: i64 = row.try_get("", "bumped")?;
    if inserted.is_some() && bumped == 0 {
        return Err(ApiError::NotFound(format!("no {kind} {target}")));
    }
    Ok(inserted.or(row.try_get("", "existing")?))
}

/// [`like_at_once`] as separate statements in the same transaction.
async fn like_by_steps(
    txn: &impl ConnectionTrait,
    actor: Uuid,
    target_type: &en::LikeTargetType,
    kind: &str,
    target: Uuid,
    owner: Uuid,
) -> Result<Option<Uuid>, ApiError> {
    let at = now();
    let id = Uuid::new_v4();
    let inserted = likes::Entity::insert(likes::ActiveModel {
        id: Set(id),
        user_id: Set(actor),
        target_type: Set(target_type.clone()),
        target_id: Set(target),
        created_at: Set(Some(at)),
        updated_at: Set(Some(at)),
    })
    .on_conflict(
        OnConflict::columns([
            likes::Column::UserId,
            likes::Column::TargetType,
            likes::Column::TargetId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(txn)
    .await
    .map_err(|e| db_error(e, "like"))?;
    if inserted > 0 {
        if let Some(table) = like_counter(kind)
            && bump(txn, table, "like_count", target, 1).await? == 0
        {
            return Err(ApiError::NotFound(format!("no {kind} {target}")));
        }
        let notice = Notice {
            kind: en::NotificationType::Like,
            setting: "in_app_new_likes",
            title: format!("Someone liked your {kind}"),
            related: related_type(kind).map(|t| (t, target)),
        };
        notify(txn, owner, actor, notice).await?;
        return Ok(Some(id));
    }
    let found = likes::Entity::find()
        .filter(likes::Column::UserId.eq(actor))
        .filter(likes::Column::TargetType.eq(target_type.clone()))
        .filter(likes::Column::TargetId.eq(target))
        .lock_shared()
        .one(txn)
        .await?;
    Ok(found.map(|l| l.id))
}

/// Removes the viewer's like of a target; answers the removed like's id.
pub async fn unlike(
    db: &DatabaseConnection,
    actor: Uuid,
    kind: &str,
    target: Uuid,
) -> Result<Option<Uuid>, ApiError> {
    let target_type = parse::<en::LikeTargetType>(kind)
        .ok_or_else(|| ApiError::input("targetType", format!("cannot like a {kind}")))?;
    let txn = begin(db).await?;
    let removed = likes::Entity::delete_many()
        .filter(likes::Column::UserId.eq(actor))
        .filter(likes::Column::TargetType.eq(target_type))
        .filter(likes::Column::TargetId.eq(target))
        .exec_with_returning(&txn)
        .await?;
    if !removed.is_empty()
        && let Some(table) = like_counter(kind)
    {
        bump(&txn, table, "like_count", target, -1).await?;
    }
    commit(txn).await?;
    Ok(removed.first().map(|l| l.id))
}

fn check_content(content: &str) -> Result<(), ApiError> {
    if content.trim().is_empty() {
        return Err(ApiError::input("content", "a comment cannot be empty"));
    }
    if content.chars().count() > MAX_COMMENT {
        return Err(ApiError::input(
            "content",
            format!("a comment has at most {MAX_COMMENT} characters"),
        ));
    }
    Ok(())
}

/// How `owner` takes comments from `actor`: refused under the owner's `allow_comments`, or
/// accepted and held for approval (`Some(true)`) under `moderate_comments`.
async fn comment_policy(
    db: &impl ConnectionTrait,
    owner: Uuid,
    actor: Uuid,
) -> Result<Option<bool>, ApiError> {
    if owner == actor {
        return Ok(Some(false));
    }
    let mut q = Query::select();
    q.expr_as(
        Expr::col(Alias::new("allow_comments")).cast_as("text"),
        Alias::new("allow"),
    )
    .expr_as(
        Expr::col(Alias::new("moderate_comments")),
        Alias::new("held"),
    )
    .from(Alias::new("user_settings"))
    .and_where(Expr::col(Alias::new("user_id")).eq(owner));
    let (allow, held) = match db.query_one(&q).await? {
        Some(r) => (
            r.try_get::<Option<String>>("", "allow")?
                .unwrap_or_else(|| "anyone".into()),
            r.try_get::<bool>("", "held")?,
        ),
        None => ("anyone".into(), false),
    };
    let allowed = match allow.as_str() {
        "none" => false,
        "followers" => {
            follows::Entity::find()
                .filter(follows::Column::FollowerId.eq(actor))
                .filter(follows::Column::FollowingId.eq(owner))
                .filter(follows::Column::FollowType.eq(en::FollowType::User))
                .count(db)
                .await?
                > 0
        }
        _ => true,
    };
    Ok(allowed.then_some(held))
}

/// Comments on a target, or replies to `parent`; answers the comment's id.
pub async fn comment(
    db: &DatabaseConnection,
    scope: &Scope,
    actor: Uuid,
    kind: &str,
    target: Uuid,
    parent: Option<Uuid>,
    content: &str,
) -> Result<Uuid, ApiError> {
    check_content(content)?;
    let target_type = parse::<en::CommentTargetType>(kind)
        .ok_or_else(|| ApiError::input("targetType", format!("cannot comment on a {kind}")))?;
    let owner = target_owner(db, scope, kind, target).await?;
    refuse_if_blocked(db, owner, actor).await?;
    let Some(held) = comment_policy(db, owner, actor).await? else {
        return Err(ApiError::Forbidden(
            "the owner does not allow your comments".into(),
        ));
    };
    let parent_author = match parent {
        None => None,
        Some(p) => {
            let parent = comments::Entity::find_by_id(p)
                .one(db)
                .await?
                .filter(|c| !c.is_deleted)
                .ok_or_else(|| ApiError::NotFound(format!("no comment {p}")))?;
            if parent.target_id != target || parent.target_type != target_type {
                return Err(ApiError::input(
                    "parentCommentId",
                    "a reply must be on its parent's target",
                ));
            }
            if !parent.is_approved {
                return Err(ApiError::input(
                    "parentCommentId",
                    "the comment awaits its approval and takes no replies yet",
                ));
            }
            Some(parent.user_id)
        }
    };
    let txn = begin(db).await?;
    let id = Uuid::new_v4();
    let at = now();
    comments::Entity::insert(comments::ActiveModel {
        id: Set(id),
        user_id: Set(actor),
        target_type: Set(target_type),
        target_id: Set(target),
        parent_comment_id: Set(parent),
        content: Set(content.to_owned()),
        like_count: Set(0),
        is_edited: Set(false),
        is_deleted: Set(false),
        is_approved: Set(!held),
        edited_at: Set(None),
        deleted_at: Set(None),
        created_at: Set(Some(at)),
        updated_at: Set(Some(at)),
    })
    .exec_without_returning(&txn)
    .await
    .map_err(|e| db_error(e, "comment"))?;
    if held {
        let notice = Notice {
            kind: en::NotificationType::Comment,
            setting: "in_app_new_comments",
            title: format!("A comment on your {kind} awaits your approval"),
            related: Some((en::NotificationRelatedType::Comment, id)),
        };
        notify(&txn, owner, actor, notice).await?;
    } else {
        published(&txn, kind, target, owner, parent_author, actor, id).await?;
    }
    commit(txn).await?;
    Ok(id)
}

/// What a comment's publication changes, in the caller's transaction: the bobblehead's
/// `comment_count`, and the notices to the content's owner and the parent comment's author.
async fn published(
    txn: &impl ConnectionTrait,
    kind: &str,
    target: Uuid,
    owner: Uuid,
    parent_author: Option<Uuid>,
    author: Uuid,
    id: Uuid,
) -> Result<(), ApiError> {
    if kind == "bobblehead" && bump(txn, "bobbleheads", "comment_count", target, 1).await? == 0 {
        return Err(ApiError::NotFound(format!("no bobblehead {target}")));
    }
    let notice = Notice {
        kind: en::NotificationType::Comment,
        setting: "in_app_new_comments",
        title: format!("New comment on your {kind}"),
        related: Some((en::NotificationRelatedType::Comment, id)),
    };
    notify(txn, owner, author, notice).await?;
    if let Some(parent_author) = parent_author
        && parent_author != owner
    {
        let notice = Notice {
            kind: en::NotificationType::Comment,
            setting: "in_app_new_comments",
            title: "New reply to your comment".into(),
            related: Some((en::NotificationRelatedType::Comment, id)),
        };
        notify(txn, parent_author, author, notice).await?;
    }
    Ok(())
}

/// A comment held for approval, with its target's kind and owner, when `actor` may decide on
/// it: the target's owner or a moderator. `NOT_FOUND` when it is absent, deleted, already
/// approved or hidden from the viewer; `FORBIDDEN` for its author.
async fn held_comment(
    db: &DatabaseConnection,
    scope: &Scope,
    actor: Uuid,
    id: Uuid,
    moderator: bool,
) -> Result<(comments::Model, &'static str, Uuid), ApiError> {
    let missing = || ApiError::NotFound(format!("no comment {id} awaits approval"));
    let c = comments::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|c| !c.is_deleted && !c.is_approved)
        .ok_or_else(missing)?;
    let kind = match c.target_type {
        en::CommentTargetType::Bobblehead => "bobblehead",
        en::CommentTargetType::Collection => "collection",
    };
    let owner = target_owner(db, scope, kind, c.target_id).await?;
    if owner != actor && !moderator {
        return Err(if c.user_id == actor {
            ApiError::Forbidden("only the content's owner approves its comments".into())
        } else {
            missing()
        });
    }
    Ok((c, kind, owner))
}

/// Approves a comment held under `moderate_comments` (its target's owner or a moderator): it
/// becomes visible, counts, and notifies as a new comment would have.
pub async fn approve_comment(
    db: &DatabaseConnection,
    scope: &Scope,
    actor: Uuid,
    id: Uuid,
    moderator: bool,
) -> Result<(), ApiError> {
    let (c, kind, owner) = held_comment(db, scope, actor, id, moderator).await?;
    let parent_author = match c.parent_comment_id {
        Some(p) => comments::Entity::find_by_id(p)
            .one(db)
            .await?
            .map(|p| p.user_id),
        None => None,
    };
    let txn = begin(db).await?;
    decide(&txn, id, &[("is_approved", true.into())]).await?;
    published(&txn, kind, c.target_id, owner, parent_author, c.user_id, id).await?;
    commit(txn).await?;
    Ok(())
}

/// Sets `values` on the held comment `id`, if it is still held and live: a concurrent decision
/// that took it first leaves `NOT_FOUND` (counting it twice would break the counter).
async fn decide(
    db: &impl ConnectionTrait,
    id: Uuid,
    values: &[(&str, sea_orm::Value)],
) -> Result<(), ApiError> {
    let mut q = Query::update();
    q.table(Alias::new("comments"))
        .value(Alias::new("updated_at"), now())
        .and_where(Expr::col(Alias::new("id")).eq(id))
        .and_where(Expr::col(Alias::new("is_approved")).eq(false))
        .and_where(Expr::col(Alias::new("is_deleted")).eq(false));
    for (column, value) in values {
        q.value(Alias::new(*column), value.clone());
    }
    if db.execute(&q).await?.rows_affected() == 0 {
        return Err(ApiError::NotFound(format!(
            "no comment {id} awaits approval"
        )));
    }
    Ok(())
}

/// Rejects a comment held under `moderate_comments` (its target's owner or a moderator): it is
/// soft-deleted without ever having counted.
pub async fn reject_comment(
    db: &DatabaseConnection,
    scope: &Scope,
    actor: Uuid,
    id: Uuid,
    moderator: bool,
) -> Result<(&'static str, Uuid), ApiError> {
    let (c, kind, _) = held_comment(db, scope, actor, id, moderator).await?;
    decide(
        db,
        id,
        &[("is_deleted", true.into()), ("deleted_at", now().into())],
    )
    .await?;
    Ok((kind, c.target_id))
}

/// The live comment `id` if `actor` wrote it (or is an admin): `NOT_FOUND` when it is absent or
/// hidden from the viewer (a comment on private content does not exist for others), `FORBIDDEN`
/// when the viewer sees it but did not write it.
async fn own_comment(
    db: &DatabaseConnection,
    scope: &Scope,
    actor: Uuid,
    id: Uuid,
    admin: bool,
) -> Result<comments::Model, ApiError> {
    let c = comments::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|c| !c.is_deleted)
        .ok_or_else(|| ApiError::NotFound(format!("no comment {id}")))?;
    if c.user_id != actor && !admin {
        owner_of(db, scope, "comment", id).await?;
        return Err(ApiError::Forbidden(
            "only its author may change a comment".into(),
        ));
    }
    Ok(c)
}

/// Edits the viewer's comment (sets `is_edited` and `edited_at`).
pub async fn edit_comment(
    db: &DatabaseConnection,
    scope: &Scope,
    actor: Uuid,
    id: Uuid,
    content: &str,
) -> Result<(), ApiError> {
    check_content(content)?;
    own_comment(db, scope, actor, id, false).await?;
    let at = now();
    let mut q = Query::update();
    q.table(Alias::new("comments"))
        .value(Alias::new("content"), content)
        .value(Alias::new("is_edited"), true)
        .value(Alias::new("edited_at"), at)
        .value(Alias::new("updated_at"), at)
        .and_where(Expr::col(Alias::new("id")).eq(id));
    // A transaction of its own, so that the answer is read back before it commits.
    let txn = begin(db).await?;
    txn.execute(&q).await?;
    commit(txn).await
}

/// Soft-deletes a comment (its author, or an admin); answers whether it was live, and the
/// kind and id of its target.
pub async fn delete_comment(
    db: &DatabaseConnection,
    scope: &Scope,
    actor: Uuid,
    id: Uuid,
    admin: bool,
) -> Result<(bool, &'static str, Uuid), ApiError> {
    let c = own_comment(db, scope, actor, id, admin).await?;
    let txn = begin(db).await?;
    let at = now();
    let mut q = Query::update();
    q.table(Alias::new("comments"))
        .value(Alias::new("is_deleted"), true)
        .value(Alias::new("deleted_at"), at)
        .and_where(Expr::col(Alias::new("id")).eq(id))
        .and_where(Expr::col(Alias::new("is_deleted")).eq(false));
    let changed = txn.execute(&q).await?.rows_affected();
    if changed > 0 && c.target_type == en::CommentTargetType::Bobblehead {
        // Read after the update, which holds the row: an approval that committed in between is
        // seen, one still to come finds the comment deleted. A held comment never counted.
        let counted = comments::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .is_some_and(|c| c.is_approved);
        if counted {
            bump(&txn, "bobbleheads", "comment_count", c.target_id, -1).await?;
        }
    }
    commit(txn).await?;
    let kind = match c.target_type {
        en::CommentTargetType::Bobblehead => "bobblehead",
        en::CommentTargetType::Collection => "collection",
    };
    Ok((changed > 0, kind, c.target_id))
}

/// Follows a user (`collection: None`) or a collection; idempotent; answers the follow's id.
pub async fn follow(
    db: &DatabaseConnection,
    scope: &Scope,
    actor: Uuid,
    user: Option<Uuid>,
    collection: Option<Uuid>,
) -> Result<Uuid, ApiError> {
    let (following, follow_type, target) = match (user, collection) {
        (Some(u), None) => (
            target_owner(db, scope, "user", u).await?,
            en::FollowType::User,
            None,
        ),
        (None, Some(c)) => (
            target_owner(db, scope, "collection", c).await?,
            en::FollowType::Collection,
            Some(c),
        ),
        _ => return Err(ApiError::input("userId", "give a user or a collection")),
    };
    if following == actor {
        return Err(ApiError::input(
            if target.is_some() {
                "collectionId"
            } else {
                "userId"
            },
            "you cannot follow yourself or your own collection",
        ));
    }
    refuse_if_blocked(db, following, actor).await?;
    let stored_type = follow_type.clone();
    let find = || {
        let mut q = follows::Entity::find()
            .filter(follows::Column::FollowerId.eq(actor))
            .filter(follows::Column::FollowingId.eq(following))
            .filter(follows::Column::FollowType.eq(follow_type.clone()));
        q = match target {
            Some(t) => q.filter(follows::Column::TargetId.eq(t)),
            None => q.filter(follows::Column::TargetId.is_null()),
        };
        q
    };
    // A concurrent follow of the same may win the insert, and a concurrent unfollow remove it
    // again: the viewer still wants to follow, so look again.
    let mut attempt = 0;
    let (txn, id) = loop {
        attempt += 1;
        if attempt > 3 {
            return Err(ApiError::Conflict(
                "the follow changed concurrently; try again".into(),
            ));
        }
        let txn = begin(db).await?;
        // Locked (PostgreSQL) so that a concurrent unfollow waits for this write's answer.
        if let Some(existing) = find().lock_shared().one(&txn).await? {
            commit(txn).await?;
            return Ok(existing.id);
        }
        let id = Uuid::new_v4();
        let at = now();
        let inserted = follows::Entity::insert(follows::ActiveModel {
            id: Set(id),
            follower_id: Set(actor),
            following_id: Set(following),
            follow_type: Set(stored_type.clone()),
            target_id: Set(target),
            created_at: Set(Some(at)),
            updated_at: Set(Some(at)),
        })
        .exec_without_returning(&txn)
        .await;
        match inserted {
            Ok(_) => break (txn, id),
            Err(e)
                if matches!(
                    e.sql_err(),
                    Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
                ) =>
            {
                txn.rollback().await?;
            }
            Err(e) => return Err(db_error(e, "follow")),
        }
    };
    let notice = Notice {
        kind: en::NotificationType::Follow,
        setting: "in_app_new_followers",
        title: match target {
            Some(_) => "Someone follows your collection".into(),
            None => "You have a new follower".into(),
        },
        related: Some(match target {
            Some(c) => (en::NotificationRelatedType::Collection, c),
            None => (en::NotificationRelatedType::User, actor),
        }),
    };
    notify(&txn, following, actor, notice).await?;
    commit(txn).await?;
    Ok(id)
}

/// Stops following a user or a collection; answers the removed follow's id.
pub async fn unfollow(
    db: &DatabaseConnection,
    actor: Uuid,
    user: Option<Uuid>,
    collection: Option<Uuid>,
) -> Result<Option<Uuid>, ApiError> {
    let mut q = follows::Entity::delete_many().filter(follows::Column::FollowerId.eq(actor));
    q = match (user, collection) {
        (Some(u), None) => q
            .filter(follows::Column::FollowingId.eq(u))
            .filter(follows::Column::FollowType.eq(en::FollowType::User)),
        (None, Some(c)) => q
            .filter(follows::Column::TargetId.eq(c))
            .filter(follows::Column::FollowType.eq(en::FollowType::Collection)),
        _ => return Err(ApiError::input("userId", "give a user or a collection")),
    };
    let removed = q.exec_with_returning(db).await?;
    Ok(removed.first().map(|f| f.id))
}

/// Blocks a user (idempotent): their follows of the viewer end; answers the block's id.
pub async fn block(
    db: &DatabaseConnection,
    scope: &Scope,
    actor: Uuid,
    user: Uuid,
    reason: Option<String>,
) -> Result<Uuid, ApiError> {
    if user == actor {
        return Err(ApiError::input("userId", "you cannot block yourself"));
    }
    target_owner(db, scope, "user", user).await?;
    if let Some(r) = &reason
        && r.chars().count() > 500
    {
        return Err(ApiError::input(
            "reason",
            "a reason has at most 500 characters",
        ));
    }
    let txn = begin(db).await?;
    let at = now();
    user_blocks::Entity::insert(user_blocks::ActiveModel {
        id: Set(Uuid::new_v4()),
        blocker_id: Set(actor),
        blocked_id: Set(user),
        reason: Set(reason),
        created_at: Set(at),
        updated_at: Set(at),
    })
    .on_conflict(
        OnConflict::columns([
            user_blocks::Column::BlockerId,
            user_blocks::Column::BlockedId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(&txn)
    .await
    .map_err(|e| db_error(e, "block"))?;
    follows::Entity::delete_many()
        .filter(follows::Column::FollowerId.eq(user))
        .filter(follows::Column::FollowingId.eq(actor))
        .exec(&txn)
        .await?;
    let id = user_blocks::Entity::find()
        .filter(user_blocks::Column::BlockerId.eq(actor))
        .filter(user_blocks::Column::BlockedId.eq(user))
        .one(&txn)
        .await?
        .map(|b| b.id)
        .ok_or_else(|| ApiError::Internal("the block vanished".into()))?;
    commit(txn).await?;
    Ok(id)
}

/// Unblocks a user; answers the removed block's id.
pub async fn unblock(
    db: &DatabaseConnection,
    actor: Uuid,
    user: Uuid,
) -> Result<Option<Uuid>, ApiError> {
    let removed = user_blocks::Entity::delete_many()
        .filter(user_blocks::Column::BlockerId.eq(actor))
        .filter(user_blocks::Column::BlockedId.eq(user))
        .exec_with_returning(db)
        .await?;
    Ok(removed.first().map(|b| b.id))
}

/// Records a view of a visible target (anonymous viewers too); bobbleheads count theirs.
pub async fn record_view(
    db: &DatabaseConnection,
    scope: &Scope,
    viewer: Option<Uuid>,
    kind: &str,
    target: Uuid,
    duration: Option<i32>,
) -> Result<(), ApiError> {
    let target_type = parse::<en::ContentViewsTargetType>(kind)
        .ok_or_else(|| ApiError::input("targetType", format!("cannot view a {kind}")))?;
    if duration.is_some_and(|d| d < 0) {
        return Err(ApiError::input(
            "viewDuration",
            "a duration cannot be negative",
        ));
    }
    target_owner(db, scope, kind, target).await?;
    let txn = begin(db).await?;
    content_views::Entity::insert(content_views::ActiveModel {
        id: Set(Uuid::new_v4()),
        viewer_id: Set(viewer),
        target_type: Set(target_type),
        target_id: Set(target),
        ip_address: Set(None),
        user_agent: Set(None),
        referrer_url: Set(None),
        view_duration: Set(duration),
        viewed_at: Set(Some(now())),
    })
    .exec_without_returning(&txn)
    .await
    .map_err(|e| db_error(e, "view"))?;
    if kind == "bobblehead" {
        bump(&txn, "bobbleheads", "view_count", target, 1).await?;
    }
    commit(txn).await?;
    Ok(())
}

/// Marks one of the viewer's notifications read (`NOT_FOUND` for anyone else's).
pub async fn mark_read(db: &DatabaseConnection, actor: Uuid, id: Uuid) -> Result<(), ApiError> {
    let n = notifications::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|n| n.user_id == actor)
        .ok_or_else(|| ApiError::NotFound(format!("no notification {id}")))?;
    if !n.is_read {
        let mut q = Query::update();
        q.table(Alias::new("notifications"))
            .value(Alias::new("is_read"), true)
            .value(Alias::new("read_at"), now())
            .and_where(Expr::col(Alias::new("id")).eq(id));
        // A transaction of its own, so that the answer is read back before it commits.
        let txn = begin(db).await?;
        txn.execute(&q).await?;
        commit(txn).await?;
    }
    Ok(())
}

/// Marks every unread notification of the viewer read; answers how many.
pub async fn mark_all_read(db: &DatabaseConnection, actor: Uuid) -> Result<u64, ApiError> {
    let mut q = Query::update();
    q.table(Alias::new("notifications"))
        .value(Alias::new("is_read"), true)
        .value(Alias::new("read_at"), now())
        .and_where(Expr::col(Alias::new("user_id")).eq(actor))
        .and_where(Expr::col(Alias::new("is_read")).eq(false));
    Ok(db.execute(&q).await?.rows_affected())
}
