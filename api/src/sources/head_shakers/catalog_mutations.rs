//! GraphQL fields of the Head Shakers catalog writes: collections, sub-collections,
//! bobbleheads, photos and tags (see [`super::catalog`]).
//!
//! Optional arguments left out or `null` take the column's default on create and keep the
//! stored value on update (GraphQL servers pass an unprovided variable as `null`); a nullable
//! column is cleared by naming its argument in `clear`. Every write is the owner's only.

use async_graphql::dynamic::{Field, FieldFuture, FieldValue, ResolverContext, TypeRef};
use async_graphql::{ErrorExtensions, Value};
use migration::Database;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::catalog::{self, Input, Rule, Values};
use super::mutations::{arg, opt_uuid_arg, uuid_arg};
use super::write;
use crate::error::{ApiError, OrGql};
use crate::graphql::filter::input_cell;
use crate::graphql::payload::{Removal, table};
use crate::graphql::schema::data;
use crate::graphql::schema::{committed, committed_rows};
use crate::graphql::spec::{Kind, Source};
use crate::graphql::sql::Scope;
use crate::graphql::value::Cell;
use crate::graphql::value::Key;

type Resolver = for<'a> fn(ResolverContext<'a>, &'static Source) -> FieldFuture<'a>;

fn field(source: &'static Source, name: &str, ty: TypeRef, doc: &str, resolve: Resolver) -> Field {
    Field::new(name, ty, move |ctx| resolve(ctx, source)).description(doc)
}

/// The signed-in writer: the connection, their user id and their read scope.
struct Writer<'a> {
    db: &'a DatabaseConnection,
    actor: Uuid,
    scope: Scope,
}

async fn writer<'a>(
    ctx: &ResolverContext<'a>,
    source: &'static Source,
) -> async_graphql::Result<Writer<'a>> {
    let data = data(ctx)?;
    let db = data.conns.get(Database::HeadShakers).gql()?;
    let actor = write::actor(&data.viewer).gql()?;
    let table = source
        .tables
        .first()
        .ok_or_else(|| ApiError::Internal("no tables".into()).extend())?;
    Ok(Writer {
        db,
        actor,
        scope: data.scope(source, table),
    })
}

/// A resolver that first signs the writer in (`UNAUTHENTICATED` without a Head Shakers token).
macro_rules! resolve {
    (|$ctx:ident, $source:ident, $w:ident| $body:block) => {
        |$ctx, $source| {
            FieldFuture::new(async move {
                let $w = writer(&$ctx, $source).await?;
                $body
            })
        }
    };
}

/// The removal of the row `id` of `table` (`removed` false: there was none), answering the
/// row of `parent_table` keyed `parent` in the payload field `field` when there is one.
fn removal(
    source: &'static Source,
    table_name: &str,
    id: Uuid,
    removed: bool,
    changed: Option<(&'static str, &str, Uuid)>,
) -> async_graphql::Result<Removal> {
    let mut r = Removal::of(table(source, table_name)?, removed.then_some(Key::Uuid(id)));
    if let Some((field, parent_table, parent)) = changed {
        r = r.changed(field, table(source, parent_table)?, Key::Uuid(parent));
    }
    Ok(r)
}

/// Runs `write` and answers the rows of `table` it wrote, in the order of `ids`, read back
/// before it commits (see [`committed`]).
async fn committed_all(
    ctx: &ResolverContext<'_>,
    source: &'static Source,
    table: &str,
    ids: &[Uuid],
    write: impl std::future::Future<Output = Result<(), ApiError>>,
) -> async_graphql::Result<Option<FieldValue<'static>>> {
    let keys = ids.iter().map(|id| Key::Uuid(*id)).collect();
    let rows = committed_rows(ctx, source, table, async { write.await.map(|()| keys) }).await?;
    Ok(Some(FieldValue::list(rows)))
}

fn given(ctx: &ResolverContext<'_>, name: &str) -> Option<Value> {
    match ctx.args.get(name).map(|v| v.as_value().clone()) {
        None | Some(Value::Null) => None,
        v => v,
    }
}

/// Whether the column may be set to NULL.
fn nullable(i: &Input) -> bool {
    !matches!(i.rule, Rule::Flag | Rule::Text { required: true, .. })
}

/// The values given for the columns of `spec`; with `clear`, the nullable ones named in
/// `clear` become NULL.
fn values(
    ctx: &ResolverContext<'_>,
    spec: &'static [Input],
    clear: bool,
) -> Result<Values, ApiError> {
    let mut out = Vec::new();
    for i in spec {
        if let Some(v) = given(ctx, i.arg) {
            out.push((i, input_cell(i.kind(), &v, i.arg)?));
        }
    }
    if !clear {
        return Ok(out);
    }
    let names = match given(ctx, "clear") {
        Some(Value::List(items)) => items,
        Some(one) => vec![one],
        None => Vec::new(),
    };
    for name in names {
        let name = match name {
            Value::String(s) => s,
            _ => return Err(ApiError::input("clear", "expected argument names")),
        };
        let i = spec
            .iter()
            .find(|i| i.arg == name && nullable(i))
            .ok_or_else(|| ApiError::input("clear", format!("{name} cannot be cleared here")))?;
        if out.iter().any(|(o, _)| o.arg == name) {
            return Err(ApiError::input(
                "clear",
                format!("{name} is both given and cleared"),
            ));
        }
        out.push((i, Cell::Null));
    }
    Ok(out)
}

fn scalar(kind: Kind) -> &'static str {
    match kind {
        Kind::Int => TypeRef::INT,
        Kind::Bool => TypeRef::BOOLEAN,
        Kind::Decimal(_) => "Decimal",
        Kind::Timestamp => "DateTime",
        Kind::Json => "JSON",
        _ => TypeRef::STRING,
    }
}

/// Declares the arguments of `spec` (the required ones non-null on create) and, on update,
/// `clear`.
fn with(mut f: Field, spec: &'static [Input], create: bool) -> Field {
    for i in spec {
        let ty = scalar(i.kind());
        let ty = if create && i.required() {
            TypeRef::named_nn(ty)
        } else {
            TypeRef::named(ty)
        };
        f = f.argument(arg(i.arg, ty, i.doc));
    }
    if !create {
        let names: Vec<&str> = spec.iter().filter(|i| nullable(i)).map(|i| i.arg).collect();
        f = f.argument(arg(
            "clear",
            TypeRef::named_nn_list(TypeRef::STRING),
            &format!("Arguments whose columns become null: {}.", names.join(", ")),
        ));
    }
    f
}

fn uuid_list(ctx: &ResolverContext<'_>, name: &str) -> Result<Vec<Uuid>, ApiError> {
    let Some(Value::List(items)) = given(ctx, name) else {
        return Err(ApiError::input(name, "expected a list of UUIDs"));
    };
    items
        .iter()
        .map(|v| match input_cell(Kind::Uuid, v, name)? {
            Cell::Uuid(u) => Ok(u),
            _ => Err(ApiError::input(name, "expected a UUID")),
        })
        .collect()
}

fn uuid() -> TypeRef {
    TypeRef::named_nn("UUID")
}

fn ty(name: &str) -> TypeRef {
    TypeRef::named_nn(name)
}

fn payload(name: &str) -> TypeRef {
    TypeRef::named_nn(name)
}

/// The mutation fields of this group.
pub fn fields(source: &'static Source) -> Vec<Field> {
    let mut out = collection_fields(source);
    out.extend(bobblehead_fields(source));
    out.extend(media_fields(source));
    out
}

fn collection_fields(source: &'static Source) -> Vec<Field> {
    use catalog::{COLLECTION, SUB_COLLECTION};
    vec![
        with(field(source, "createCollection", ty("HeadShakersCollection"), "Creates a collection owned by the viewer.", resolve!(|ctx, source, w| {
            let v = values(&ctx, COLLECTION, false).gql()?;
            committed(&ctx, source, "collections", async { catalog::create_collection(w.db, w.actor, &v).await.map(Key::Uuid) }).await
        })), COLLECTION, true),
        with(field(source, "updateCollection", ty("HeadShakersCollection"), "Changes the given fields of the viewer's collection. FORBIDDEN for someone else's.", resolve!(|ctx, source, w| {
            let id = uuid_arg(&ctx, "id").gql()?;
            let v = values(&ctx, COLLECTION, true).gql()?;
            committed(&ctx, source, "collections", async { catalog::update_collection(w.db, &w.scope, w.actor, id, &v).await.map(|_| Key::Uuid(id)) }).await
        })).argument(arg("id", uuid(), "The collection.")), COLLECTION, false),
        field(source, "deleteCollection", payload("HeadShakersDeleteCollectionPayload"), "Deletes the viewer's collection for good, with its sub-collections, bobbleheads, photos and tag links, and the likes, comments, views and follows aimed at them.", resolve!(|ctx, source, w| {
            let id = uuid_arg(&ctx, "id").gql()?;
            let deleted = catalog::delete_collection(w.db, &w.scope, w.actor, id).await.gql()?;
            removal(source, "collections", id, deleted, Some(("user", "users", w.actor)))?.answer(&ctx)
        })).argument(arg("id", uuid(), "The collection.")),
        with(field(source, "createSubCollection", ty("HeadShakersSubCollection"), "Creates a sub-collection in the viewer's collection (after the last one unless `sortOrder` is given).", resolve!(|ctx, source, w| {
            let collection = uuid_arg(&ctx, "collectionId").gql()?;
            let v = values(&ctx, SUB_COLLECTION, false).gql()?;
            committed(&ctx, source, "sub_collections", async { catalog::create_sub_collection(w.db, &w.scope, w.actor, collection, &v).await.map(Key::Uuid) }).await
        })).argument(arg("collectionId", uuid(), "The collection.")), SUB_COLLECTION, true),
        with(field(source, "updateSubCollection", ty("HeadShakersSubCollection"), "Changes the given fields of a sub-collection of the viewer's.", resolve!(|ctx, source, w| {
            let id = uuid_arg(&ctx, "id").gql()?;
            let v = values(&ctx, SUB_COLLECTION, true).gql()?;
            committed(&ctx, source, "sub_collections", async { catalog::update_sub_collection(w.db, &w.scope, w.actor, id, &v).await.map(|_| Key::Uuid(id)) }).await
        })).argument(arg("id", uuid(), "The sub-collection.")), SUB_COLLECTION, false),
        field(source, "reorderSubCollections", TypeRef::named_nn_list_nn("HeadShakersSubCollection"), "Orders the sub-collections of the viewer's collection: `sortOrder` becomes each one's position in `ids`, which must name every one of them exactly once. Answers them in that order.", resolve!(|ctx, source, w| {
            let collection = uuid_arg(&ctx, "collectionId").gql()?;
            let ids = uuid_list(&ctx, "ids").gql()?;
            committed_all(&ctx, source, "sub_collections", &ids, catalog::reorder_sub_collections(w.db, &w.scope, w.actor, collection, &ids)).await
        }))
        .argument(arg("collectionId", uuid(), "The collection."))
        .argument(arg("ids", TypeRef::named_nn_list_nn("UUID"), "Its sub-collections in their new order.")),
        field(source, "deleteSubCollection", payload("HeadShakersDeleteSubCollectionPayload"), "Deletes a sub-collection of the viewer's; its bobbleheads stay in the collection without a sub-collection.", resolve!(|ctx, source, w| {
            let id = uuid_arg(&ctx, "id").gql()?;
            let collection = catalog::delete_sub_collection(w.db, &w.scope, w.actor, id).await.gql()?;
            removal(source, "sub_collections", id, collection.is_some(), collection.map(|c| ("collection", "collections", c)))?.answer(&ctx)
        })).argument(arg("id", uuid(), "The sub-collection.")),
    ]
}

fn bobblehead_fields(source: &'static Source) -> Vec<Field> {
    use catalog::BOBBLEHEAD;
    let bobblehead = || ty("HeadShakersBobblehead");
    vec![
        with(field(source, "createBobblehead", bobblehead(), "Adds a bobblehead to the viewer's collection, optionally in one of its sub-collections; the collection's `totalItems`, `totalValue` and `lastItemAddedAt` and the sub-collection's `itemCount` count it.", resolve!(|ctx, source, w| {
            let collection = uuid_arg(&ctx, "collectionId").gql()?;
            let sub = opt_uuid_arg(&ctx, "subCollectionId").gql()?;
            let v = values(&ctx, BOBBLEHEAD, false).gql()?;
            committed(&ctx, source, "bobbleheads", async { catalog::create_bobblehead(w.db, &w.scope, w.actor, collection, sub, &v).await.map(Key::Uuid) }).await
        }))
        .argument(arg("collectionId", uuid(), "The collection."))
        .argument(arg("subCollectionId", TypeRef::named("UUID"), "A sub-collection of that collection.")), BOBBLEHEAD, true),
        with(field(source, "updateBobblehead", bobblehead(), "Changes the given fields of the viewer's bobblehead; a new `purchasePrice` moves the collection's `totalValue` by the difference.", resolve!(|ctx, source, w| {
            let id = uuid_arg(&ctx, "id").gql()?;
            let v = values(&ctx, BOBBLEHEAD, true).gql()?;
            committed(&ctx, source, "bobbleheads", async { catalog::update_bobblehead(w.db, &w.scope, w.actor, id, &v).await.map(|_| Key::Uuid(id)) }).await
        })).argument(arg("id", uuid(), "The bobblehead.")), BOBBLEHEAD, false),
        field(source, "moveBobblehead", bobblehead(), "Moves the viewer's bobblehead to one of their collections and (optionally) one of its sub-collections; no `subCollectionId` takes it out of any. The aggregates of both sides follow.", resolve!(|ctx, source, w| {
            let id = uuid_arg(&ctx, "id").gql()?;
            let collection = uuid_arg(&ctx, "collectionId").gql()?;
            let sub = opt_uuid_arg(&ctx, "subCollectionId").gql()?;
            committed(&ctx, source, "bobbleheads", async { catalog::move_bobblehead(w.db, &w.scope, w.actor, id, collection, sub).await.map(|_| Key::Uuid(id)) }).await
        }))
        .argument(arg("id", uuid(), "The bobblehead."))
        .argument(arg("collectionId", uuid(), "The collection it moves to (may be its own)."))
        .argument(arg("subCollectionId", TypeRef::named("UUID"), "The sub-collection of that collection it moves to, if any.")),
        field(source, "deleteBobblehead", payload("HeadShakersDeleteBobbleheadPayload"), "Soft-deletes the viewer's bobblehead (`isDeleted`, `deletedAt`); it leaves the aggregates and is hidden until restored.", resolve!(|ctx, source, w| {
            let id = uuid_arg(&ctx, "id").gql()?;
            let collection = catalog::delete_bobblehead(w.db, &w.scope, w.actor, id).await.gql()?;
            removal(source, "bobbleheads", id, collection.is_some(), collection.map(|c| ("collection", "collections", c)))?.answer(&ctx)
        })).argument(arg("id", uuid(), "The bobblehead.")),
        field(source, "restoreBobblehead", bobblehead(), "Restores the viewer's soft-deleted bobblehead; it counts in the aggregates again.", resolve!(|ctx, source, w| {
            let id = uuid_arg(&ctx, "id").gql()?;
            committed(&ctx, source, "bobbleheads", async { catalog::restore_bobblehead(w.db, &w.scope, w.actor, id).await.map(|_| Key::Uuid(id)) }).await
        })).argument(arg("id", uuid(), "The bobblehead.")),
    ]
}

fn media_fields(source: &'static Source) -> Vec<Field> {
    use catalog::{PHOTO, TAG};
    let photo = || ty("HeadShakersBobbleheadPhoto");
    vec![
        with(field(source, "addPhoto", photo(), "Adds a photo to the viewer's bobblehead (after the last one unless `sortOrder` is given); a primary photo replaces the previous primary one.", resolve!(|ctx, source, w| {
            let bobblehead = uuid_arg(&ctx, "bobbleheadId").gql()?;
            let v = values(&ctx, PHOTO, false).gql()?;
            committed(&ctx, source, "bobblehead_photos", async { catalog::add_photo(w.db, &w.scope, w.actor, bobblehead, &v).await.map(Key::Uuid) }).await
        })).argument(arg("bobbleheadId", uuid(), "The bobblehead.")), PHOTO, true),
        field(source, "setPrimaryPhoto", photo(), "Makes a photo the primary one of its bobblehead (the viewer's); the others stop being primary.", resolve!(|ctx, source, w| {
            let id = uuid_arg(&ctx, "id").gql()?;
            committed(&ctx, source, "bobblehead_photos", async { catalog::set_primary_photo(w.db, &w.scope, w.actor, id).await.map(|_| Key::Uuid(id)) }).await
        })).argument(arg("id", uuid(), "The photo.")),
        field(source, "reorderPhotos", TypeRef::named_nn_list_nn("HeadShakersBobbleheadPhoto"), "Orders the photos of the viewer's bobblehead: `sortOrder` becomes each one's position in `ids`, which must name every one of them exactly once. Answers them in that order.", resolve!(|ctx, source, w| {
            let bobblehead = uuid_arg(&ctx, "bobbleheadId").gql()?;
            let ids = uuid_list(&ctx, "ids").gql()?;
            committed_all(&ctx, source, "bobblehead_photos", &ids, catalog::reorder_photos(w.db, &w.scope, w.actor, bobblehead, &ids)).await
        }))
        .argument(arg("bobbleheadId", uuid(), "The bobblehead."))
        .argument(arg("ids", TypeRef::named_nn_list_nn("UUID"), "Its photos in their new order.")),
        field(source, "deletePhoto", payload("HeadShakersDeletePhotoPayload"), "Deletes a photo of the viewer's bobblehead.", resolve!(|ctx, source, w| {
            let id = uuid_arg(&ctx, "id").gql()?;
            let bobblehead = catalog::delete_photo(w.db, &w.scope, w.actor, id).await.gql()?;
            removal(source, "bobblehead_photos", id, bobblehead.is_some(), bobblehead.map(|b| ("bobblehead", "bobbleheads", b)))?.answer(&ctx)
        })).argument(arg("id", uuid(), "The photo.")),
        with(field(source, "createTag", ty("HeadShakersTag"), "Creates a tag of the viewer's. CONFLICT when they already have a tag of that name.", resolve!(|ctx, source, w| {
            let v = values(&ctx, TAG, false).gql()?;
            committed(&ctx, source, "tags", async { catalog::create_tag(w.db, w.actor, &v).await.map(Key::Uuid) }).await
        })), TAG, true),
        with(field(source, "updateTag", ty("HeadShakersTag"), "Renames or recolours the viewer's tag. CONFLICT when the new name is taken.", resolve!(|ctx, source, w| {
            let id = uuid_arg(&ctx, "id").gql()?;
            let v = values(&ctx, TAG, true).gql()?;
            committed(&ctx, source, "tags", async { catalog::update_tag(w.db, w.actor, id, &v).await.map(|_| Key::Uuid(id)) }).await
        })).argument(arg("id", uuid(), "The tag.")), TAG, false),
        field(source, "deleteTag", payload("HeadShakersDeleteTagPayload"), "Deletes the viewer's tag and removes it from their bobbleheads.", resolve!(|ctx, source, w| {
            let id = uuid_arg(&ctx, "id").gql()?;
            let deleted = catalog::delete_tag(w.db, w.actor, id).await.gql()?;
            removal(source, "tags", id, deleted, None)?.answer(&ctx)
        })).argument(arg("id", uuid(), "The tag.")),
        field(source, "tagBobblehead", ty("HeadShakersBobbleheadTag"), "Puts one of the viewer's tags on one of their bobbleheads; tagging twice is a no-op. The tag's `usageCount` counts it.", resolve!(|ctx, source, w| {
            let bobblehead = uuid_arg(&ctx, "bobbleheadId").gql()?;
            let tag = uuid_arg(&ctx, "tagId").gql()?;
            committed(&ctx, source, "bobblehead_tags", async { catalog::tag_bobblehead(w.db, &w.scope, w.actor, bobblehead, tag).await.map(Key::Uuid) }).await
        }))
        .argument(arg("bobbleheadId", uuid(), "The bobblehead."))
        .argument(arg("tagId", uuid(), "The tag.")),
        field(source, "untagBobblehead", payload("HeadShakersUntagBobbleheadPayload"), "Takes a tag off the viewer's bobblehead; answers the removed tag link's id (null when the tag was not on) with the bobblehead and the tag.", resolve!(|ctx, source, w| {
            let bobblehead = uuid_arg(&ctx, "bobbleheadId").gql()?;
            let tag = uuid_arg(&ctx, "tagId").gql()?;
            let link = catalog::untag_bobblehead(w.db, &w.scope, w.actor, bobblehead, tag).await.gql()?;
            Removal::of(table(source, "bobblehead_tags")?, link.map(Key::Uuid))
                .changed("bobblehead", table(source, "bobbleheads")?, Key::Uuid(bobblehead))
                .changed("tag", table(source, "tags")?, Key::Uuid(tag))
                .answer(&ctx)
        }))
        .argument(arg("bobbleheadId", uuid(), "The bobblehead."))
        .argument(arg("tagId", uuid(), "The tag.")),
    ]
}
