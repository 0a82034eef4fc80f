//! The `headShakers` mutation namespace: thin resolvers over `write`, each answering the
//! written row as the read layer sees it (so access rules apply to mutation results too).

use async_graphql::dynamic::{
    Field, FieldFuture, InputValue, Object, ResolverContext, Type, TypeRef,
};
use async_graphql::{ErrorExtensions, Value};
use migration::Database;
use uuid::Uuid;

use super::enums::{COMMENT_TARGET_TYPE, CONTENT_VIEWS_TARGET_TYPE, LIKE_TARGET_TYPE};
use super::write;
use crate::error::{ApiError, OrGql};
use crate::graphql::filter::input_cell;
use crate::graphql::payload::{Removal, table};
use crate::graphql::schema::committed;
use crate::graphql::schema::data;
use crate::graphql::spec::{EnumDef, Kind, Source};
use crate::graphql::value::Cell;
use crate::graphql::value::Key;

pub(super) fn uuid_arg(ctx: &ResolverContext<'_>, name: &str) -> Result<Uuid, ApiError> {
    let v = ctx
        .args
        .get(name)
        .map(|v| v.as_value().clone())
        .unwrap_or(Value::Null);
    match input_cell(Kind::Uuid, &v, name)? {
        Cell::Uuid(u) => Ok(u),
        _ => Err(ApiError::input(name, "expected a UUID")),
    }
}

pub(super) fn opt_uuid_arg(
    ctx: &ResolverContext<'_>,
    name: &str,
) -> Result<Option<Uuid>, ApiError> {
    match ctx.args.get(name).map(|v| v.as_value().clone()) {
        None | Some(Value::Null) => Ok(None),
        Some(_) => uuid_arg(ctx, name).map(Some),
    }
}

pub(super) fn enum_arg(
    ctx: &ResolverContext<'_>,
    name: &str,
    def: &'static EnumDef,
) -> Result<String, ApiError> {
    let v = ctx
        .args
        .get(name)
        .map(|v| v.as_value().clone())
        .unwrap_or(Value::Null);
    match input_cell(Kind::Enum(def), &v, name)? {
        Cell::Text(s) => Ok(s),
        _ => Err(ApiError::input(name, format!("expected a {}", def.name))),
    }
}

pub(super) fn string_arg(ctx: &ResolverContext<'_>, name: &str) -> Option<String> {
    ctx.args
        .get(name)
        .and_then(|v| v.string().ok().map(str::to_owned))
}

/// The request's data, the Head Shakers connection and the signed-in user.
async fn signed_in<'a>(
    ctx: &ResolverContext<'a>,
) -> async_graphql::Result<(
    &'a crate::graphql::context::RequestData,
    &'a sea_orm::DatabaseConnection,
    Uuid,
)> {
    let data = data(ctx)?;
    let db = data.conns.get(Database::HeadShakers).gql()?;
    let actor = write::actor(&data.viewer).gql()?;
    Ok((data, db, actor))
}

/// The read scope of the source's users (for visibility checks of targets).
fn scope(
    data: &crate::graphql::context::RequestData,
    source: &'static Source,
) -> async_graphql::Result<crate::graphql::sql::Scope> {
    let users = source
        .table("users")
        .ok_or_else(|| ApiError::Internal("users is not described".into()).extend())?;
    Ok(data.scope(source, users))
}

type Resolver = for<'a> fn(ResolverContext<'a>, &'static Source) -> FieldFuture<'a>;

fn field(source: &'static Source, name: &str, ty: TypeRef, doc: &str, resolve: Resolver) -> Field {
    Field::new(name, ty, move |ctx| resolve(ctx, source)).description(doc)
}

pub(super) fn arg(name: &str, ty: TypeRef, doc: &str) -> InputValue {
    InputValue::new(name, ty).description(doc)
}

/// The namespace object and the types it needs.
pub fn build(source: &'static Source) -> Vec<Type> {
    let uuid = || TypeRef::named_nn("UUID");
    let obj = Object::new("HeadShakersMutation")
        .description("Head Shakers writes. Each needs a Head Shakers bearer token unless stated.")
        .field(
            field(source, "like", TypeRef::named_nn("HeadShakersLike"), "Likes a bobblehead, collection or comment; liking twice is a no-op. NOT_FOUND for a missing, deleted or invisible target; FORBIDDEN when its owner blocked the viewer.", |ctx, source| {
                FieldFuture::new(async move {
                    let (data, db, actor) = signed_in(&ctx).await?;
                    let kind = enum_arg(&ctx, "targetType", &LIKE_TARGET_TYPE).gql()?;
                    let target = uuid_arg(&ctx, "targetId").gql()?;
                    let scope = scope(data, source)?;
                    committed(&ctx, source, "likes", async { write::like(db, &scope, actor, &kind, target).await.map(Key::Uuid) }).await
                })
            })
            .argument(arg("targetType", TypeRef::named_nn(LIKE_TARGET_TYPE.name), "What is liked."))
            .argument(arg("targetId", uuid(), "Its id.")),
        )
        .field(
            field(source, "unlike", TypeRef::named_nn("HeadShakersUnlikePayload"), "Removes the viewer's like; answers its id (null when there was none) and the content with its new `likeCount`.", |ctx, source| {
                FieldFuture::new(async move {
                    let (_, db, actor) = signed_in(&ctx).await?;
                    let kind = enum_arg(&ctx, "targetType", &LIKE_TARGET_TYPE).gql()?;
                    let target = uuid_arg(&ctx, "targetId").gql()?;
                    let removed = write::unlike(db, actor, &kind, target).await.gql()?;
                    Removal::of(table(source, "likes")?, removed.map(Key::Uuid))
                        .changed("target", target_table(source, &kind)?, Key::Uuid(target))
                        .answer(&ctx)
                })
            })
            .argument(arg("targetType", TypeRef::named_nn(LIKE_TARGET_TYPE.name), "What was liked."))
            .argument(arg("targetId", uuid(), "Its id.")),
        )
        .field(
            field(source, "addComment", TypeRef::named_nn("HeadShakersComment"), "Comments on a bobblehead or collection, or replies to a comment on it (`parentCommentId`). Honours the owner's `allow_comments`; under their `moderate_comments` the comment is held (`isApproved: false`) until they approve it. 1 to 5000 characters.", |ctx, source| {
                FieldFuture::new(async move {
                    let (data, db, actor) = signed_in(&ctx).await?;
                    let kind = enum_arg(&ctx, "targetType", &COMMENT_TARGET_TYPE).gql()?;
                    let target = uuid_arg(&ctx, "targetId").gql()?;
                    let parent = opt_uuid_arg(&ctx, "parentCommentId").gql()?;
                    let content = string_arg(&ctx, "content").unwrap_or_default();
                    let scope = scope(data, source)?;
                    committed(&ctx, source, "comments", async { write::comment(db, &scope, actor, &kind, target, parent, &content).await.map(Key::Uuid) }).await
                })
            })
            .argument(arg("targetType", TypeRef::named_nn(COMMENT_TARGET_TYPE.name), "What is commented on."))
            .argument(arg("targetId", uuid(), "Its id."))
            .argument(arg("content", TypeRef::named_nn(TypeRef::STRING), "The comment (1 to 5000 characters)."))
            .argument(arg("parentCommentId", TypeRef::named("UUID"), "The comment replied to, on the same target.")),
        )
        .field(
            field(source, "editComment", TypeRef::named_nn("HeadShakersComment"), "Changes the text of the viewer's comment; marks it edited.", |ctx, source| {
                FieldFuture::new(async move {
                    let (data, db, actor) = signed_in(&ctx).await?;
                    let id = uuid_arg(&ctx, "id").gql()?;
                    let content = string_arg(&ctx, "content").unwrap_or_default();
                    let scope = scope(data, source)?;
                    committed(&ctx, source, "comments", async { write::edit_comment(db, &scope, actor, id, &content).await.map(|_| Key::Uuid(id)) }).await
                })
            })
            .argument(arg("id", uuid(), "The comment."))
            .argument(arg("content", TypeRef::named_nn(TypeRef::STRING), "The new text (1 to 5000 characters).")),
        )
        .field(
            field(source, "deleteComment", TypeRef::named_nn("HeadShakersDeleteCommentPayload"), "Soft-deletes a comment (its author, or an admin); answers its id (null when it was already deleted) and the commented content.", |ctx, source| {
                FieldFuture::new(async move {
                    let (data, db, actor) = signed_in(&ctx).await?;
                    let id = uuid_arg(&ctx, "id").gql()?;
                    let admin = data.viewer.is_admin(source.id);
                    let scope = scope(data, source)?;
                    let (deleted, kind, target) = write::delete_comment(db, &scope, actor, id, admin).await.gql()?;
                    Removal::of(table(source, "comments")?, deleted.then_some(Key::Uuid(id)))
                        .changed("target", target_table(source, kind)?, Key::Uuid(target))
                        .answer(&ctx)
                })
            })
            .argument(arg("id", uuid(), "The comment.")),
        )
        .field(
            field(source, "approveComment", TypeRef::named_nn("HeadShakersComment"), "Approves a comment held under the viewer's `moderateComments` setting (the commented content's owner, or a moderator): it becomes visible to everyone, counts in `commentCount` and notifies as a new comment. `NOT_FOUND` when no such comment awaits approval.", |ctx, source| {
                FieldFuture::new(async move {
                    let (data, db, actor) = signed_in(&ctx).await?;
                    let id = uuid_arg(&ctx, "id").gql()?;
                    let moderator = data.viewer.has_role(source.id, "moderator");
                    let scope = scope(data, source)?;
                    committed(&ctx, source, "comments", async { write::approve_comment(db, &scope, actor, id, moderator).await.map(|_| Key::Uuid(id)) }).await
                })
            })
            .argument(arg("id", uuid(), "The held comment.")),
        )
        .field(
            field(source, "rejectComment", TypeRef::named_nn("HeadShakersRejectCommentPayload"), "Rejects a comment held under the viewer's `moderateComments` setting (the commented content's owner, or a moderator): it is soft-deleted without ever having been shown or counted. `NOT_FOUND` when no such comment awaits approval.", |ctx, source| {
                FieldFuture::new(async move {
                    let (data, db, actor) = signed_in(&ctx).await?;
                    let id = uuid_arg(&ctx, "id").gql()?;
                    let moderator = data.viewer.has_role(source.id, "moderator");
                    let scope = scope(data, source)?;
                    let (kind, target) = write::reject_comment(db, &scope, actor, id, moderator).await.gql()?;
                    Removal::of(table(source, "comments")?, Some(Key::Uuid(id)))
                        .changed("target", target_table(source, kind)?, Key::Uuid(target))
                        .answer(&ctx)
                })
            })
            .argument(arg("id", uuid(), "The held comment.")),
        )
        .field(
            field(source, "follow", TypeRef::named_nn("HeadShakersFollow"), "Follows a user (`userId`) or a collection (`collectionId`); idempotent.", |ctx, source| {
                FieldFuture::new(async move {
                    let (data, db, actor) = signed_in(&ctx).await?;
                    let user = opt_uuid_arg(&ctx, "userId").gql()?;
                    let collection = opt_uuid_arg(&ctx, "collectionId").gql()?;
                    let scope = scope(data, source)?;
                    committed(&ctx, source, "follows", async { write::follow(db, &scope, actor, user, collection).await.map(Key::Uuid) }).await
                })
            })
            .argument(arg("userId", TypeRef::named("UUID"), "The user to follow."))
            .argument(arg("collectionId", TypeRef::named("UUID"), "The collection to follow.")),
        )
        .field(
            field(source, "unfollow", TypeRef::named_nn("HeadShakersUnfollowPayload"), "Stops following a user or a collection; answers the removed follow's id (null when there was none) and the user or collection.", |ctx, source| {
                FieldFuture::new(async move {
                    let (_, db, actor) = signed_in(&ctx).await?;
                    let user = opt_uuid_arg(&ctx, "userId").gql()?;
                    let collection = opt_uuid_arg(&ctx, "collectionId").gql()?;
                    let removed = write::unfollow(db, actor, user, collection).await.gql()?;
                    let mut answer = Removal::of(table(source, "follows")?, removed.map(Key::Uuid));
                    if let Some(u) = user {
                        answer = answer.changed("user", table(source, "users")?, Key::Uuid(u));
                    }
                    if let Some(c) = collection {
                        answer = answer.changed("collection", table(source, "collections")?, Key::Uuid(c));
                    }
                    answer.answer(&ctx)
                })
            })
            .argument(arg("userId", TypeRef::named("UUID"), "The user."))
            .argument(arg("collectionId", TypeRef::named("UUID"), "The collection.")),
        )
        .field(
            field(source, "blockUser", TypeRef::named_nn("HeadShakersUserBlock"), "Blocks a user: they can no longer like, comment on or follow the viewer's content, and their follows of the viewer end.", |ctx, source| {
                FieldFuture::new(async move {
                    let (data, db, actor) = signed_in(&ctx).await?;
                    let user = uuid_arg(&ctx, "userId").gql()?;
                    let reason = string_arg(&ctx, "reason");
                    let scope = scope(data, source)?;
                    committed(&ctx, source, "user_blocks", async { write::block(db, &scope, actor, user, reason).await.map(Key::Uuid) }).await
                })
            })
            .argument(arg("userId", uuid(), "The user to block."))
            .argument(arg("reason", TypeRef::named(TypeRef::STRING), "Why (at most 500 characters).")),
        )
        .field(
            field(source, "unblockUser", TypeRef::named_nn("HeadShakersUnblockUserPayload"), "Unblocks a user; answers the removed block's id (null when there was none) and the user.", |ctx, source| {
                FieldFuture::new(async move {
                    let (_, db, actor) = signed_in(&ctx).await?;
                    let user = uuid_arg(&ctx, "userId").gql()?;
                    let removed = write::unblock(db, actor, user).await.gql()?;
                    Removal::of(table(source, "user_blocks")?, removed.map(Key::Uuid))
                        .changed("user", table(source, "users")?, Key::Uuid(user))
                        .answer(&ctx)
                })
            })
            .argument(arg("userId", uuid(), "The user.")),
        )
        .field(
            field(source, "recordView", TypeRef::named_nn("HeadShakersRecordViewPayload"), "Records a view of visible content; anonymous viewers too. A bobblehead's `viewCount` grows by one; answers the viewed content.", |ctx, source| {
                FieldFuture::new(async move {
                    let data = data(&ctx)?;
                    let db = data.conns.get(Database::HeadShakers).gql()?;
                    let viewer = match data.viewer.key_in(source.id) {
                        Some(_) => Some(write::actor(&data.viewer).gql()?),
                        None => None,
                    };
                    let kind = enum_arg(&ctx, "targetType", &CONTENT_VIEWS_TARGET_TYPE).gql()?;
                    let target = uuid_arg(&ctx, "targetId").gql()?;
                    let duration = ctx.args.get("viewDuration").and_then(|v| v.i64().ok()).map(|d| i32::try_from(d).unwrap_or(i32::MAX));
                    let scope = scope(data, source)?;
                    write::record_view(db, &scope, viewer, &kind, target, duration).await.gql()?;
                    Removal::none(0)
                        .changed("target", target_table(source, &kind)?, Key::Uuid(target))
                        .answer(&ctx)
                })
            })
            .argument(arg("targetType", TypeRef::named_nn(CONTENT_VIEWS_TARGET_TYPE.name), "What was viewed."))
            .argument(arg("targetId", uuid(), "Its id."))
            .argument(arg("viewDuration", TypeRef::named(TypeRef::INT), "Seconds spent viewing.")),
        )
        .field(
            field(source, "markNotificationRead", TypeRef::named_nn("HeadShakersNotification"), "Marks one of the viewer's notifications read.", |ctx, source| {
                FieldFuture::new(async move {
                    let (_, db, actor) = signed_in(&ctx).await?;
                    let id = uuid_arg(&ctx, "id").gql()?;
                    committed(&ctx, source, "notifications", async { write::mark_read(db, actor, id).await.map(|_| Key::Uuid(id)) }).await
                })
            })
            .argument(arg("id", uuid(), "The notification.")),
        )
        .field(
            field(source, "markAllNotificationsRead", TypeRef::named_nn("HeadShakersMarkAllNotificationsReadPayload"), "Marks every unread notification of the viewer read; answers how many, and the viewer (whose `notifications` a client refetches in the same selection).", |ctx, source| {
                FieldFuture::new(async move {
                    let (_, db, actor) = signed_in(&ctx).await?;
                    let n = write::mark_all_read(db, actor).await.gql()?;
                    Removal::none(i64::try_from(n).unwrap_or(i64::MAX))
                        .changed("user", table(source, "users")?, Key::Uuid(actor))
                        .answer(&ctx)
                })
            }),
        );
    let mut obj = obj;
    for f in super::catalog_mutations::fields(source)
        .into_iter()
        .chain(super::admin_mutations::fields(source))
    {
        obj = obj.field(f);
    }
    let mut types = vec![Type::from(obj)];
    types.extend(super::payloads::types(source));
    types
}

/// The table behind a target kind (`bobblehead`, `profile` …).
fn target_table(
    source: &'static Source,
    kind: &str,
) -> async_graphql::Result<&'static crate::graphql::spec::Table> {
    let name = write::target_table(kind).map(|(t, _)| t).ok_or_else(|| {
        ApiError::input("targetType", format!("no content of kind {kind}")).extend()
    })?;
    table(source, name)
}
