//! Builds the GraphQL schema from the source descriptions: one generic mechanism for every
//! table (object, connection, edge, `where`, `orderBy`, aggregate), every relation (both
//! directions) and the Relay `node` interface. Needs no database, so `export-schema` and the
//! `schema.graphql` test build exactly what the server serves.

use std::collections::BTreeSet;
use std::future::Future;
use std::sync::Arc;

use async_graphql::dynamic::{
    Enum, EnumItem, Field, FieldFuture, FieldValue, InputValue, Interface, InterfaceField, Object,
    ResolverContext, Scalar, Schema, SchemaBuilder, SchemaError, Subscription, TypeRef,
};
use async_graphql::{Context, Value};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use futures_util::future::try_join_all;

use super::children::{Child, child, prefetch_rows};
use super::connection::{Conn, Page, is_key_kind};
use super::context::RequestData;
use super::fetch::{BatchKey, Loaded, Shape, Work};
use super::filter::{filter_input, filter_type_name, where_input, where_type_name};
use super::inline::Inlined;
use super::order::{Ordering, order_enum, order_type_name};
use super::plan::Plan;
use super::select::shape_for;
use super::spec::{Column, EnumDef, Kind, Relation, Source, Table};
use super::sql::Row;
use super::value::{Cell, Key};
use super::write;
use async_graphql::ErrorExtensions;

use crate::error::{ApiError, OrGql};

const PAGE_INFO: &str = "PageInfo";
const NODE: &str = "Node";

/// The scalar a column kind is answered as.
fn scalar(kind: Kind) -> String {
    match kind {
        Kind::Uuid => "UUID".into(),
        Kind::Text => TypeRef::STRING.into(),
        Kind::Int => TypeRef::INT.into(),
        Kind::BigInt => "BigInt".into(),
        Kind::Float => TypeRef::FLOAT.into(),
        Kind::Decimal(_) => "Decimal".into(),
        Kind::Bool | Kind::TextBool => TypeRef::BOOLEAN.into(),
        Kind::Timestamp | Kind::TimestampTz => "DateTime".into(),
        Kind::Date => "Date".into(),
        Kind::Json => "JSON".into(),
        Kind::Enum(def) => def.name.into(),
    }
}

pub(crate) fn data<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a RequestData> {
    ctx.data::<RequestData>()
}

/// The row a field is on. Rows travel as `Arc<Row>`, shared with the page or batch that read
/// them rather than copied per field value; a source's own resolvers may still answer a `Row`.
pub(super) fn row<'a>(ctx: &ResolverContext<'a>) -> async_graphql::Result<&'a Row> {
    match ctx.parent_value.downcast_ref::<Arc<Row>>() {
        Some(r) => Ok(r.as_ref()),
        None => ctx.parent_value.try_downcast_ref::<Row>(),
    }
}

fn value_or_none(v: Value) -> Option<FieldValue<'static>> {
    match v {
        Value::Null => None,
        v => Some(FieldValue::value(v)),
    }
}

/// A field's answer that needs no waiting, given in place: most fields of a page are columns
/// of rows already read, and a boxed future apiece was a measurable share of a feed's CPU.
fn ready<'a>(answer: async_graphql::Result<Option<FieldValue<'a>>>) -> FieldFuture<'a> {
    match answer {
        Ok(v) => FieldFuture::Value(v),
        Err(e) => FieldFuture::new(async move { Err::<Option<FieldValue<'a>>, _>(e) }),
    }
}

/// The Relay global id of a row: its type name and primary key values.
pub fn global_id(row: &Row) -> String {
    global_id_of(row.table, &row.pk())
}

/// The Relay global id of the row of `table` with these primary key values.
pub fn global_id_of(table: &Table, keys: &[Key]) -> String {
    let keys: Vec<String> = keys.iter().map(Key::text).collect();
    object_id(table.type_name, &keys)
}

/// The global id of an object of type `type_name` that is not a row of its own (a view of
/// one, such as a job's progress or a profile's trial), distinct from every row's id, so
/// normalized caches keep one entry per object.
pub fn object_id(type_name: &str, keys: &[String]) -> String {
    let doc = serde_json::json!([type_name, keys]);
    URL_SAFE_NO_PAD.encode(doc.to_string())
}

fn decode_global_id(id: &str) -> Option<(String, Vec<String>)> {
    let bytes = URL_SAFE_NO_PAD.decode(id.trim()).ok()?;
    let doc: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let ty = doc.get(0)?.as_str()?.to_owned();
    let keys = doc
        .get(1)?
        .as_array()?
        .iter()
        .map(|k| k.as_str().map(str::to_owned))
        .collect::<Option<Vec<_>>>()?;
    Some((ty, keys))
}

/// How deep introspection may nest: graphql-js's `getIntrospectionQuery()` with every option
/// reaches 15 (its type references nest `ofType` nine deep).
pub const INTROSPECTION_DEPTH: usize = 20;

/// Limits enforced on every document before execution; none of them shows in the SDL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Deepest selection nesting of data.
    pub depth: usize,
    /// Largest complexity (one per selected field).
    pub complexity: usize,
    /// Whether introspection is answered.
    pub introspection: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            depth: 12,
            complexity: 5000,
            introspection: true,
        }
    }
}

/// Builds the schema over `sources` with the default [`Limits`].
pub fn build(sources: &'static [&'static Source]) -> Result<Schema, SchemaError> {
    build_with(sources, Limits::default(), |s| s)
}

/// Builds the schema over `sources` enforcing `limits`; `configure` adds schema data (the
/// sources' settings, such as quotas) that resolvers read from their context.
pub fn build_with(
    sources: &'static [&'static Source],
    limits: Limits,
    configure: impl FnOnce(SchemaBuilder) -> SchemaBuilder,
) -> Result<Schema, SchemaError> {
    let has_mutations = sources.iter().any(|s| s.mutations.is_some());
    let has_subscriptions = sources.iter().any(|s| s.subscriptions.is_some());
    let mut schema = Schema::build(
        "Query",
        has_mutations.then_some("Mutation"),
        has_subscriptions.then_some("Subscription"),
    )
    // The library's depth limit counts introspection too, which graphql-js's standard query
    // nests past any sensible data depth; the document checks (`http::checks`, on every
    // transport) hold data to `limits.depth`, and this is the backstop.
    .limit_depth(limits.depth.max(INTROSPECTION_DEPTH))
    .limit_complexity(limits.complexity)
    .extension(super::nulls::NullEntries);
    schema = configure(schema);
    if !limits.introspection {
        schema = schema.disable_introspection();
    }
    let mut subscription = Subscription::new("Subscription")
        .description("Live updates; fields are named with their source's namespace.");
    let mut mutation = Object::new("Mutation").description(
        "Every source's writes, one namespace per source; the namespaces' fields run one after another.",
    );
    for s in scalars() {
        schema = schema.register(s);
    }
    schema = schema.register(page_info()).register(
        Interface::new(NODE)
            .description("An object with a global id, fetchable with `node(id:)`.")
            .field(
                InterfaceField::new("id", TypeRef::named_nn(TypeRef::ID))
                    .description("Global id of the object."),
            ),
    );

    let mut registered: BTreeSet<String> = BTreeSet::new();
    let mut query =
        Object::new("Query").description("Every source's data, one namespace per source.");
    for &source in sources {
        for table in source.tables {
            for c in table.columns {
                if let Kind::Enum(def) = c.kind
                    && registered.insert(def.name.to_owned())
                {
                    schema = schema.register(enum_type(def));
                }
                // Only filters a `where` input uses (owner-only columns are no filters): an
                // unused type would show in the SDL but not in introspection.
                if c.read != super::spec::Read::Owner && registered.insert(filter_type_name(c.kind))
                {
                    schema = schema.register(filter_input(c.kind));
                }
            }
            schema = schema
                .register(object(source, table))
                .register(edge(table))
                .register(connection(source, table))
                .register(where_input(table))
                .register(order_enum(table));
            for t in aggregate_types(table) {
                schema = schema.register(t);
            }
        }
        for u in super::poly::unions(source) {
            schema = schema.register(u);
        }
        schema = schema.register(namespace(source));
        if let Some(build) = source.subscriptions {
            let (fields, types) = build(source);
            for f in fields {
                subscription = subscription.field(f);
            }
            for t in types {
                schema = schema.register(t);
            }
        }
        if let Some(build) = source.mutations {
            let types = build(source);
            // A source whose writes are not built yet contributes no namespace.
            if !types.is_empty() {
                for t in types {
                    schema = schema.register(t);
                }
                let ty = format!("{}Mutation", source.prefix);
                mutation = mutation.field(
                    Field::new(source.namespace, TypeRef::named_nn(ty), |_| {
                        FieldFuture::new(async { Ok(Some(FieldValue::owned_any(()))) })
                    })
                    .description(source.doc),
                );
            }
        }
        let ns_type = format!("{}Query", source.prefix);
        query = query.field(
            Field::new(source.namespace, TypeRef::named_nn(ns_type), |_| {
                FieldFuture::new(async { Ok(Some(FieldValue::owned_any(()))) })
            })
            .description(source.doc),
        );
    }
    query = query
        .field(
            Field::new("node", TypeRef::named(NODE), move |ctx| {
                FieldFuture::new(async move {
                    let id = ctx.args.try_get("id")?.string()?.to_owned();
                    node(&ctx, sources, &id, "id").await
                })
            })
            .description("The object with this global id, or null when it does not exist or is not visible.")
            .argument(InputValue::new("id", TypeRef::named_nn(TypeRef::ID)).description("A global id.")),
        )
        .field(
            Field::new("nodes", TypeRef::named_list_nn(NODE), move |ctx| {
                FieldFuture::new(async move {
                    let ids: Vec<String> = ctx
                        .args
                        .try_get("ids")?
                        .list()?
                        .iter()
                        .map(|v| v.string().map(str::to_owned))
                        .collect::<Result<_, _>>()?;
                    if ids.len() > super::fetch::MAX_PAGE as usize {
                        return Err(ApiError::input("ids", "at most 100 ids").extend());
                    }
                    let ctx = &ctx;
                    // A malformed id is an absent object here, not an error of the whole list.
                    let found = try_join_all(ids.iter().map(|id| async move {
                        match node_key(sources, id) {
                            Some(key) => node_at(ctx, key).await,
                            None => Ok(None),
                        }
                    }))
                    .await?;
                    // The executor cannot take a null entry here: `nulls` answers these.
                    let path = ctx.path_node.map(|p| p.to_string()).unwrap_or_default();
                    let memo = &data(ctx)?.memo;
                    let entries = found.into_iter().enumerate().map(|(i, found)| {
                        found.unwrap_or_else(|| {
                            memo.null_entry(path.clone(), i);
                            FieldValue::NULL
                        })
                    });
                    Ok(Some(FieldValue::list(entries.collect::<Vec<_>>())))
                })
            })
            .description("One entry per global id, in the order given: the object, or null where it does not exist, is not visible or the id is not a global id.")
            .argument(InputValue::new("ids", TypeRef::named_nn_list_nn(TypeRef::ID)).description("Global ids (at most 100).")),
        );
    if has_mutations {
        schema = schema.register(mutation);
    }
    if has_subscriptions {
        schema = schema.register(subscription);
    }
    schema.register(query).finish()
}

fn scalars() -> Vec<Scalar> {
    vec![
        Scalar::new("UUID")
            .description("A UUID in its canonical text form.")
            .validator(|v| matches!(v, Value::String(s) if uuid::Uuid::parse_str(s).is_ok())),
        Scalar::new("DateTime")
            .description("A date-time in RFC 3339 form; the gateway answers UTC at microseconds, the stored precision (`2026-01-31T12:00:00.123456Z`).")
            .validator(|v| matches!(v, Value::String(s) if super::value::parse_timestamp(s).is_some())),
        Scalar::new("Date")
            .description("A calendar date, `YYYY-MM-DD`.")
            .validator(|v| matches!(v, Value::String(s) if chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok())),
        Scalar::new("Decimal")
            .description("An exact decimal number as a string (`12.50`), kept at the column's scale.")
            .validator(|v| match v {
                Value::String(s) => s.parse::<rust_decimal::Decimal>().is_ok(),
                Value::Number(_) => true,
                _ => false,
            }),
        Scalar::new("BigInt")
            .description("A 64-bit integer as a string, since GraphQL `Int` is 32-bit.")
            .validator(|v| match v {
                Value::String(s) => s.parse::<i64>().is_ok(),
                Value::Number(n) => n.as_i64().is_some(),
                _ => false,
            }),
        Scalar::new("JSON").description("Any JSON value."),
    ]
}

fn page_info() -> Object {
    let f = |name: &'static str, ty: TypeRef, doc: &'static str| {
        Field::new(name, ty, move |ctx| {
            FieldFuture::new(async move {
                let page = ctx.parent_value.try_downcast_ref::<Arc<Page>>()?;
                let v = match name {
                    "hasNextPage" => Value::Boolean(page.has_next),
                    "hasPreviousPage" => Value::Boolean(page.has_previous),
                    "startCursor" => page.cursor(0).map_or(Value::Null, Value::String),
                    _ => page
                        .len()
                        .checked_sub(1)
                        .and_then(|i| page.cursor(i))
                        .map_or(Value::Null, Value::String),
                };
                Ok(value_or_none(v))
            })
        })
        .description(doc)
    };
    Object::new(PAGE_INFO)
        .description("Where a page stands in its list.")
        .field(f("hasNextPage", TypeRef::named_nn(TypeRef::BOOLEAN), "Whether rows follow this page."))
        .field(f(
            "hasPreviousPage",
            TypeRef::named_nn(TypeRef::BOOLEAN),
            "Whether rows precede this page (when paging forward: whether an `after` cursor was given).",
        ))
        .field(f("startCursor", TypeRef::named(TypeRef::STRING), "Cursor of the first row."))
        .field(f("endCursor", TypeRef::named(TypeRef::STRING), "Cursor of the last row."))
}

fn enum_type(def: &'static EnumDef) -> Enum {
    let mut e = Enum::new(def.name).description(def.doc);
    for v in def.values {
        e = e
            .item(EnumItem::new(EnumDef::graphql_name(v)).description(format!("Stored as `{v}`.")));
    }
    e
}

fn column_field(table: &'static Table, column: &'static Column) -> Field {
    let ty = if column.graphql_nullable() {
        TypeRef::named(scalar(column.kind))
    } else {
        TypeRef::named_nn(scalar(column.kind))
    };
    let doc = match column.read {
        super::spec::Read::Owner => format!(
            "{} Only its owner reads it; null for everyone else.",
            column.doc
        ),
        super::spec::Read::Setting(setting) => format!(
            "{} Null to others unless the owner's `{}` setting allows it.",
            column.doc,
            super::spec::camel(setting.flag)
        ),
        super::spec::Read::Everyone => column.doc.to_owned(),
    };
    Field::new(column.field_name(table), ty, move |ctx| {
        ready(row(&ctx).map(|r| value_or_none(r.visible(column).graphql(column.kind))))
    })
    .description(doc)
}

fn object(source: &'static Source, table: &'static Table) -> Object {
    let mut obj = Object::new(table.type_name)
        .description(table.doc)
        .implement(NODE)
        .field(
            Field::new("id", TypeRef::named_nn(TypeRef::ID), |ctx| {
                ready(row(&ctx).map(|r| Some(FieldValue::value(Value::String(global_id(r))))))
            })
            .description("Global id, for `node(id:)`."),
        );
    for c in table.columns {
        obj = obj.field(column_field(table, c));
    }
    for f in super::poly::fields(source, table) {
        obj = obj.field(f);
    }
    for a in source
        .array_relations
        .iter()
        .filter(|a| a.from == table.name)
    {
        obj = obj.field(
            Field::new(
                a.field,
                TypeRef::named_nn_list_nn(type_of(source, a.to)),
                relational(source),
            )
            .description(a.doc),
        );
    }
    for c in source.computed.iter().filter(|c| c.on == table.name) {
        obj = obj.field((c.define)(source, c));
    }
    for r in source.relations {
        if r.from == table.name {
            obj = obj.field(forward_field(source, r));
        }
        if r.to == table.name {
            obj = obj.field(reverse_field(source, r));
        }
    }
    obj
}

/// Loads the rows of `table` whose `key` column equals `parent`, through the request loader.
pub(crate) async fn load_by_key(
    ctx: &ResolverContext<'_>,
    source: &'static Source,
    table: &'static Table,
    key: &'static Column,
    parent: Key,
) -> async_graphql::Result<Option<FieldValue<'static>>> {
    let data = data(ctx)?;
    let plan = Plan::of(ctx.ctx.field());
    let shape = Arc::new(shape_for(
        table,
        key,
        &plan,
        Work::Rows,
        data.scope(source, table),
    ));
    let loaded = data.loader.load(BatchKey { shape, parent }).await.gql()?;
    Ok(match loaded.as_ref() {
        Loaded::Rows(rows) => rows.first().cloned().map(|r| {
            let r = Arc::new(r);
            prefetch_rows(&data.ctx(), source, std::slice::from_ref(&r), &plan);
            FieldValue::owned_any(r.clone())
        }),
        _ => None,
    })
}

/// Reads back the row of `table` whose `id` is `key`, written by an earlier step, through the
/// read layer (so the viewer's access rules apply and nested selections load as usual); the
/// request's batch cache is dropped first, since it may hold the row as it was. A mutation
/// answering the row its own write produced uses [`committed`] instead, which reads it before
/// the write commits.
pub(crate) async fn written(
    ctx: &ResolverContext<'_>,
    source: &'static Source,
    table: &str,
    key: Key,
) -> async_graphql::Result<Option<FieldValue<'static>>> {
    data(ctx)?.loader.invalidate();
    let table = described(source, table).gql()?;
    let pk = lookup_column(table, "id").gql()?;
    match load_by_key(ctx, source, table, pk, key).await? {
        Some(row) => Ok(Some(row)),
        None => Err(gone_after_write(table).extend()),
    }
}

/// A row committed, then removed or hidden by a concurrent request before it was read back:
/// the client's write stands, the row is simply no longer there to answer.
fn gone_after_write(table: &Table) -> ApiError {
    ApiError::NotFound(format!(
        "the {} was written, then removed by another request before it could be read back",
        table.singular
    ))
}

/// The described table `table` of `source`.
pub(crate) fn described(source: &'static Source, table: &str) -> Result<&'static Table, ApiError> {
    source
        .table(table)
        .ok_or_else(|| ApiError::Internal(format!("{table} is not described")))
}

/// Runs `write` and answers the row of `table` whose `id` is the key it answers.
///
/// The rule of every mutation that answers a row: **a write that committed is answered with
/// its result; a write that did not commit is answered with an error that says so.** The row
/// is read back through the read layer (the same statement and access rules as any read of
/// the viewer's) *inside the write's own transaction, before it commits* (see
/// [`crate::graphql::write::held`]), so a concurrent write that removes or hides the row
/// (unlike, unfollow, untag, delete) cannot come between the commit and the answer: it waits
/// for the commit and then acts on the committed row. A read-back that fails rolls the write
/// back and answers why, with "the write was not committed"; so does a row the viewer cannot
/// read (`NOT_FOUND`: a concurrent write removed or hid it first, and this write loses). Nested selections of the row load after the commit, as reads.
pub(crate) async fn committed<W>(
    ctx: &ResolverContext<'_>,
    source: &'static Source,
    table: &str,
    write: W,
) -> async_graphql::Result<Option<FieldValue<'static>>>
where
    W: Future<Output = Result<Key, ApiError>>,
{
    let rows = committed_rows(ctx, source, table, async { write.await.map(|k| vec![k]) }).await?;
    Ok(rows.into_iter().next())
}

/// [`committed`] for a write answering several rows of `table`, in the order of its keys.
pub(crate) async fn committed_rows<W>(
    ctx: &ResolverContext<'_>,
    source: &'static Source,
    table: &str,
    write: W,
) -> async_graphql::Result<Vec<FieldValue<'static>>>
where
    W: Future<Output = Result<Vec<Key>, ApiError>>,
{
    let data = data(ctx)?;
    let table = described(source, table).gql()?;
    let pk = lookup_column(table, "id").gql()?;
    let (keys, txn) = write::held(write).await.gql()?;
    // The request's cached reads may hold rows as they were before the write.
    data.loader.invalidate();
    let plan = Plan::of(ctx.ctx.field());
    let shape = shape_for(table, pk, &plan, Work::Rows, data.scope(source, table));
    let rows = match txn {
        Some(txn) => match read_in(&txn, &shape, &keys).await {
            Ok(rows) => {
                write::finish(txn).await.gql()?;
                rows
            }
            Err(e) => {
                write::abandon(txn).await;
                return Err(e.not_committed().extend());
            }
        },
        // A write of single statements committed each as it ran: read after the fact.
        None => {
            let loaded = try_join_all(keys.iter().map(|k| {
                data.loader.load(BatchKey {
                    shape: Arc::new(shape.clone()),
                    parent: k.clone(),
                })
            }))
            .await
            .gql()?;
            let mut rows = Vec::with_capacity(keys.len());
            for l in loaded {
                let found = match l.as_ref() {
                    Loaded::Rows(r) => r.first().cloned(),
                    Loaded::Aggregate(_) => None,
                };
                let row = found.ok_or_else(|| gone_after_write(table).extend())?;
                rows.push(Arc::new(row));
            }
            rows
        }
    };
    prefetch_rows(&data.ctx(), source, &rows, &plan);
    Ok(rows
        .iter()
        .map(|r| FieldValue::owned_any(r.clone()))
        .collect())
}

/// The rows of `shape` with these keys, read inside a write's transaction, in the order of
/// `keys`; every one must be visible to the viewer (`NOT_FOUND` otherwise).
async fn read_in(
    txn: &sea_orm::DatabaseTransaction,
    shape: &Shape,
    keys: &[Key],
) -> Result<Vec<Arc<Row>>, ApiError> {
    let loaded = super::fetch::run_on(txn, shape, Some(keys)).await?;
    let mut rows = Vec::with_capacity(keys.len());
    for (key, l) in loaded {
        match l {
            Loaded::Rows(r) if !r.is_empty() => rows.extend(r.into_iter().take(1).map(Arc::new)),
            // Removed or hidden by a concurrent write that committed first (an update racing a
            // delete): this write loses, and is rolled back.
            _ => {
                return Err(ApiError::NotCommitted(Box::new(ApiError::NotFound(
                    format!(
                        "the {} {} is gone or no longer visible to you",
                        shape.table.singular,
                        key.text()
                    ),
                ))));
            }
        }
    }
    Ok(rows)
}

pub(crate) fn lookup_column(
    table: &'static Table,
    name: &str,
) -> Result<&'static Column, ApiError> {
    table
        .column(name)
        .ok_or_else(|| ApiError::Internal(format!("{}.{name} is not described", table.name)))
}

pub(super) fn type_of(source: &'static Source, name: &str) -> String {
    source
        .table(name)
        .map(|t| t.type_name)
        .unwrap_or("Node")
        .to_owned()
}

/// The resolver of every relational field: see `children`.
pub(super) fn relational(
    source: &'static Source,
) -> impl Fn(ResolverContext<'_>) -> FieldFuture<'_> + Send + Sync + 'static {
    move |ctx| {
        // Answered in the row's own statement: no plan to build, nothing to load or wait for.
        if let Ok(row) = row(&ctx)
            && let Some(inlined) = row.inlined(ctx.ctx.field().name())
        {
            return ready(Ok(match inlined {
                Inlined::Row(found, ty) => found.as_ref().map(|r| typed(r.clone(), *ty)),
                Inlined::Value(v) => Some(FieldValue::value(v.clone())),
            }));
        }
        FieldFuture::new(async move {
            let data = data(&ctx)?;
            let row = row(&ctx)?;
            let plan = data.memo.plan(ctx.ctx);
            let loaded = |key| data.loader.load(key);
            Ok(match child(&data.ctx(), source, row, &plan).gql()? {
                None | Some(Child::Null) | Some(Child::Row(None, _)) => None,
                Some(Child::Row(Some(r), ty)) => Some(typed(r, ty)),
                Some(Child::Value(v)) => Some(FieldValue::value(v)),
                Some(Child::Conn(c)) => Some(FieldValue::owned_any(*c)),
                // Computed fields have resolvers of their own (see `computed_rows`).
                Some(Child::Computed(_)) => None,
                Some(Child::List(keys)) => {
                    let loaded = try_join_all(keys.into_iter().map(loaded)).await.gql()?;
                    let rows = loaded.iter().filter_map(|l| match l.as_ref() {
                        Loaded::Rows(rows) => rows.first().cloned(),
                        Loaded::Aggregate(_) => None,
                    });
                    Some(FieldValue::list(rows.map(FieldValue::owned_any)))
                }
                Some(Child::Flag(key)) => {
                    let l = loaded(key).await.gql()?;
                    let any = matches!(l.as_ref(), Loaded::Rows(rows) if !rows.is_empty());
                    Some(FieldValue::value(Value::Boolean(any)))
                }
                Some(Child::Count(key)) => {
                    let l = loaded(key).await.gql()?;
                    let n = match l.as_ref() {
                        Loaded::Aggregate(m) => m.get("count").map(|c| c.graphql(Kind::Int)),
                        Loaded::Rows(_) => None,
                    };
                    Some(FieldValue::value(n.unwrap_or(Value::Number(0.into()))))
                }
                Some(Child::Object(key, ty)) => {
                    let l = loaded(key).await.gql()?;
                    let Loaded::Rows(rows) = l.as_ref() else {
                        return Ok(None);
                    };
                    let Some(found) = rows.first() else {
                        return Ok(None);
                    };
                    // The rows' own selection was prefetched when they arrived.
                    Some(typed(Arc::new(found.clone()), ty))
                }
            })
        })
    }
}

/// A row as a field's value, typed as the union member it is when it answers a union.
fn typed(row: Arc<Row>, type_name: Option<&'static str>) -> FieldValue<'static> {
    let v = FieldValue::owned_any(row);
    match type_name {
        Some(t) => v.with_type(t),
        None => v,
    }
}

/// The rows behind a computed field of the parent row, loaded with the level's batch.
pub(crate) async fn computed_rows(
    ctx: &ResolverContext<'_>,
    source: &'static Source,
) -> async_graphql::Result<Vec<Row>> {
    let data = data(ctx)?;
    let row = row(ctx)?;
    let plan = data.memo.plan(ctx.ctx);
    match child(&data.ctx(), source, row, &plan).gql()? {
        Some(Child::Computed(key)) => match data.loader.load(key).await.gql()?.as_ref() {
            Loaded::Rows(rows) => Ok(rows.clone()),
            Loaded::Aggregate(_) => Ok(Vec::new()),
        },
        _ => Ok(Vec::new()),
    }
}

fn forward_field(source: &'static Source, r: &'static Relation) -> Field {
    Field::new(
        r.forward,
        TypeRef::named(type_of(source, r.to)),
        relational(source),
    )
    .description(format!(
        "{} Null when absent or not visible to the viewer.",
        r.doc
    ))
}

fn reverse_field(source: &'static Source, r: &'static Relation) -> Field {
    let child = type_of(source, r.from);
    if r.unique {
        return Field::new(r.reverse, TypeRef::named(child), relational(source)).description(r.doc);
    }
    let field = Field::new(
        r.reverse,
        TypeRef::named_nn(format!("{child}Connection")),
        relational(source),
    )
    .description(r.doc);
    connection_args(field, source, source.table(r.from))
}

pub(crate) fn connection_args(
    field: Field,
    source: &'static Source,
    table: Option<&'static Table>,
) -> Field {
    let mut field = field
        .argument(
            InputValue::new("first", TypeRef::named(TypeRef::INT))
                .description("Rows from the start (at most 100; default 20)."),
        )
        .argument(
            InputValue::new("after", TypeRef::named(TypeRef::STRING))
                .description("Start after this cursor."),
        )
        .argument(
            InputValue::new("last", TypeRef::named(TypeRef::INT))
                .description("Rows from the end (at most 100)."),
        )
        .argument(
            InputValue::new("before", TypeRef::named(TypeRef::STRING))
                .description("End before this cursor."),
        );
    if let Some(t) = table {
        let default = Ordering::parse(source, t, None)
            .map(|o| o.names())
            .unwrap_or_default();
        field = field
            .argument(
                InputValue::new("where", TypeRef::named(where_type_name(t)))
                    .description("Only rows meeting these conditions."),
            )
            .argument(
                InputValue::new("orderBy", TypeRef::named_nn_list(order_type_name(t))).description(
                    format!(
                        "Order of the rows; the primary key breaks ties (default: `{default}`)."
                    ),
                ),
            );
    }
    field
}

fn edge(table: &'static Table) -> Object {
    Object::new(format!("{}Edge", table.type_name))
        .description(format!(
            "A `{}` in a page, with its cursor.",
            table.type_name
        ))
        .field(
            Field::new("cursor", TypeRef::named_nn(TypeRef::STRING), |ctx| {
                FieldFuture::new(async move {
                    let (_, cursor) = ctx.parent_value.try_downcast_ref::<(Arc<Row>, String)>()?;
                    Ok(Some(FieldValue::value(Value::String(cursor.clone()))))
                })
            })
            .description("Opaque cursor of this row under the list's ordering."),
        )
        .field(
            Field::new("node", TypeRef::named_nn(table.type_name), |ctx| {
                FieldFuture::new(async move {
                    let (row, _) = ctx.parent_value.try_downcast_ref::<(Arc<Row>, String)>()?;
                    Ok(Some(FieldValue::owned_any(row.clone())))
                })
            })
            .description("The row."),
        )
}

fn connection(source: &'static Source, table: &'static Table) -> Object {
    let name = format!("{}Connection", table.type_name);
    Object::new(name.as_str())
        .description(format!("A page of `{}` rows.", table.type_name))
        .field(
            Field::new("edges", TypeRef::named_nn_list_nn(format!("{}Edge", table.type_name)), move |ctx| {
                FieldFuture::new(async move {
                    let c = ctx.parent_value.try_downcast_ref::<Conn>()?;
                    let data = data(&ctx)?;
                    let page = c.page(data).await.gql()?;
                    if c.is_root() {
                        let plan = Plan::of(ctx.ctx.field());
                        for node in plan.sub("node") {
                            prefetch_rows(&data.ctx(), source, &page.rows, node);
                        }
                    }
                    let items: Vec<FieldValue<'static>> = page
                        .rows
                        .iter()
                        .enumerate()
                        .map(|(i, r)| FieldValue::owned_any((r.clone(), page.cursor(i).unwrap_or_default())))
                        .collect();
                    Ok(Some(FieldValue::list(items)))
                })
            })
            .description("The rows of the page with their cursors."),
        )
        .field(
            Field::new("nodes", TypeRef::named_nn_list_nn(table.type_name), move |ctx| {
                FieldFuture::new(async move {
                    let c = ctx.parent_value.try_downcast_ref::<Conn>()?;
                    let data = data(&ctx)?;
                    let page = c.page(data).await.gql()?;
                    if c.is_root() {
                        prefetch_rows(&data.ctx(), source, &page.rows, &Plan::of(ctx.ctx.field()));
                    }
                    Ok(Some(FieldValue::list(page.rows.iter().map(|r| FieldValue::owned_any(r.clone())))))
                })
            })
            .description("The rows of the page."),
        )
        .field(
            Field::new("pageInfo", TypeRef::named_nn(PAGE_INFO), |ctx| {
                FieldFuture::new(async move {
                    let c = ctx.parent_value.try_downcast_ref::<Conn>()?;
                    let page = c.page(data(&ctx)?).await.gql()?;
                    Ok(Some(FieldValue::owned_any(page)))
                })
            })
            .description("Where this page stands."),
        )
        .field(
            Field::new("totalCount", TypeRef::named_nn(TypeRef::INT), |ctx| {
                FieldFuture::new(async move {
                    let c = ctx.parent_value.try_downcast_ref::<Conn>()?;
                    let n = c.total(data(&ctx)?).await.gql()?;
                    Ok(Some(FieldValue::value(Value::Number(n.into()))))
                })
            })
            .description("Rows meeting the filter, ignoring paging (computed only when selected)."),
        )
        .field(
            Field::new("aggregate", TypeRef::named_nn(format!("{}Aggregate", table.type_name)), |ctx| {
                FieldFuture::new(async move {
                    let c = ctx.parent_value.try_downcast_ref::<Conn>()?;
                    let m = c.aggregate(data(&ctx)?, &Plan::of(ctx.ctx.field())).await.gql()?;
                    Ok(Some(FieldValue::owned_any(m)))
                })
            })
            .description("Count and numeric aggregates of the rows meeting the filter (computed only when selected)."),
        )
}

type AggMap = std::collections::HashMap<String, Cell>;

fn aggregate_types(table: &'static Table) -> Vec<Object> {
    let numeric: Vec<&'static Column> = table.columns.iter().filter(|c| c.aggregatable()).collect();
    let agg_name = format!("{}Aggregate", table.type_name);
    let nums_name = format!("{}AggregateNumbers", table.type_name);
    let mut agg = Object::new(agg_name.as_str())
        .description(format!("Aggregates over `{}` rows.", table.type_name))
        .field(
            Field::new("count", TypeRef::named_nn(TypeRef::INT), |ctx| {
                FieldFuture::new(async move {
                    let m = ctx.parent_value.try_downcast_ref::<AggMap>()?;
                    Ok(m.get("count")
                        .map(|c| FieldValue::value(c.graphql(Kind::Int))))
                })
            })
            .description("Number of rows."),
        );
    let mut out = Vec::new();
    if !numeric.is_empty() {
        for f in ["sum", "avg", "min", "max"] {
            agg = agg.field(
                Field::new(f, TypeRef::named_nn(nums_name.as_str()), move |ctx| {
                    FieldFuture::new(async move {
                        let m = ctx.parent_value.try_downcast_ref::<AggMap>()?;
                        Ok(Some(FieldValue::owned_any((f, m.clone()))))
                    })
                })
                .description(match f {
                    "sum" => "Sums of the numeric columns.",
                    "avg" => "Averages of the numeric columns.",
                    "min" => "Smallest values of the numeric columns.",
                    _ => "Largest values of the numeric columns.",
                }),
            );
        }
        let mut nums = Object::new(nums_name.as_str()).description(format!(
            "One aggregate of each numeric column of `{}` (null over no rows).",
            table.type_name
        ));
        for c in numeric {
            nums = nums.field(
                Field::new(
                    c.field_name(table),
                    TypeRef::named(TypeRef::FLOAT),
                    move |ctx| {
                        FieldFuture::new(async move {
                            let (f, m) = ctx
                                .parent_value
                                .try_downcast_ref::<(&'static str, AggMap)>()?;
                            let key = format!("{f}.{}", c.name);
                            Ok(m.get(&key)
                                .and_then(|v| value_or_none(v.graphql(Kind::Float))))
                        })
                    },
                )
                .description(c.doc),
            );
        }
        out.push(nums);
    }
    out.push(agg);
    out
}

fn namespace(source: &'static Source) -> Object {
    let mut obj = Object::new(format!("{}Query", source.prefix)).description(source.doc);
    if let Some(queries) = source.queries {
        for f in queries(source) {
            obj = obj.field(f);
        }
    }
    if let Some(users) = viewer_table(source) {
        obj = obj.field(viewer_field(source, users));
    }
    for &table in source.tables.iter().collect::<Vec<_>>().iter() {
        let conn = Field::new(
            table.plural,
            TypeRef::named_nn(format!("{}Connection", table.type_name)),
            move |ctx| {
                FieldFuture::new(async move {
                    let pk =
                        lookup_column(table, table.pk.first().copied().unwrap_or("id")).gql()?;
                    let scope = data(&ctx)?.scope(source, table);
                    Ok(Some(FieldValue::owned_any(
                        Conn::new(&Plan::of(ctx.ctx.field()), table, pk, None, scope).gql()?,
                    )))
                })
            },
        )
        .description(format!("Pages of {}", lowercase_first(table.doc)));
        obj = obj.field(connection_args(conn, source, Some(table)));
        let mut lookup = Field::new(
            table.singular,
            TypeRef::named(table.type_name),
            move |ctx| {
                FieldFuture::new(async move {
                    let mut keys = Vec::new();
                    for pk in table.pk {
                        let c = lookup_column(table, pk).gql()?;
                        let v = ctx.args.try_get(&c.field_name(table))?.as_value().clone();
                        let cell =
                            super::filter::input_cell(c.kind, &v, &c.field_name(table)).gql()?;
                        keys.push(
                            cell.key()
                                .ok_or_else(|| ApiError::input(c.field_name(table), "not a key"))
                                .gql()?,
                        );
                    }
                    by_pk(&ctx, source, table, keys).await
                })
            },
        )
        .description(format!(
            "One row of {} by its primary key; null when absent or not visible.",
            lowercase_first(table.doc)
        ));
        for pk in table.pk {
            if let Some(c) = table.column(pk) {
                lookup = lookup.argument(
                    InputValue::new(c.field_name(table), TypeRef::named_nn(scalar(c.kind)))
                        .description(c.doc),
                );
            }
        }
        obj = obj.field(lookup);
    }
    obj
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// One row by primary key: batched through the loader for single-column keys.
pub(crate) async fn by_pk(
    ctx: &ResolverContext<'_>,
    source: &'static Source,
    table: &'static Table,
    keys: Vec<Key>,
) -> async_graphql::Result<Option<FieldValue<'static>>> {
    if table.pk.len() == 1 {
        let col = lookup_column(table, table.pk[0]).gql()?;
        let Some(key) = keys.into_iter().next() else {
            return Ok(None);
        };
        return load_by_key(ctx, source, table, col, key).await;
    }
    // Composite keys: one statement keyed on the first column, filtered on the others.
    let data = data(ctx)?;
    let scope = data.scope(source, table);
    let first = lookup_column(table, table.pk[0]).gql()?;
    let mut cond = sea_orm::sea_query::Condition::all();
    for (pk, k) in table.pk.iter().zip(&keys).skip(1) {
        let c = lookup_column(table, pk).gql()?;
        cond = cond.add(sea_orm::sea_query::ExprTrait::eq(
            super::sql::qcol(table.name, c.name),
            super::sql::value_expr(c, &k.cell(), scope.backend),
        ));
    }
    let plan = Plan::of(ctx.ctx.field());
    let order = super::order::Ordering::parse(source, table, None).gql()?;
    let args = super::fetch::PageArgs {
        filter: cond,
        filter_id: format!("{keys:?}"),
        order,
        limit: 1,
        backward: false,
        after: None,
        before: None,
    };
    let shape = Arc::new(shape_for(table, first, &plan, Work::Page(args), scope));
    let Some(key) = keys.into_iter().next() else {
        return Ok(None);
    };
    let loaded = data
        .loader
        .load(BatchKey { shape, parent: key })
        .await
        .gql()?;
    Ok(match loaded.as_ref() {
        Loaded::Rows(rows) => rows.first().cloned().map(|r| {
            let r = Arc::new(r);
            prefetch_rows(&data.ctx(), source, std::slice::from_ref(&r), &plan);
            FieldValue::owned_any(r.clone())
        }),
        _ => None,
    })
}

async fn node(
    ctx: &ResolverContext<'_>,
    sources: &'static [&'static Source],
    id: &str,
    arg: &str,
) -> async_graphql::Result<Option<FieldValue<'static>>> {
    let Some(key) = node_key(sources, id) else {
        let message = format!("`{id}` is not a global id");
        return Err(ApiError::input(arg, message).extend());
    };
    node_at(ctx, key).await
}

/// The table of the accounts a source's bearer tokens name (`users`, Mind-vault's `user`),
/// when the source has one: usegemz's users live in Clerk (see its `viewerProfile`).
fn viewer_table(source: &'static Source) -> Option<&'static Table> {
    source
        .tables
        .iter()
        .find(|t| t.db == source.users && matches!(t.name, "users" | "user") && t.pk.len() == 1)
}

/// `viewer`: the signed-in user's own account, read as they read it; null when anonymous or
/// signed in to another source. How an app learns who it is signed in as.
fn viewer_field(source: &'static Source, users: &'static Table) -> Field {
    Field::new("viewer", TypeRef::named(users.type_name), move |ctx| {
        FieldFuture::new(async move {
            let Some(key) = data(&ctx)?.viewer.key_in(source.id).map(str::to_owned) else {
                return Ok(None);
            };
            let pk = lookup_column(users, users.pk[0]).gql()?;
            let Some(key) = Key::parse(pk.kind, &key) else {
                return Ok(None);
            };
            by_pk(&ctx, source, users, vec![key]).await
        })
    })
    .description(
        "The signed-in user's own account; null when anonymous or signed in to another source.",
    )
}

/// The object at a decoded global id ([`node_key`]), typed for the `Node` interface.
async fn node_at(
    ctx: &ResolverContext<'_>,
    (source, table, keys): (&'static Source, &'static Table, Vec<Key>),
) -> async_graphql::Result<Option<FieldValue<'static>>> {
    Ok(by_pk(ctx, source, table, keys)
        .await?
        .map(|v| v.with_type(table.type_name)))
}

/// The table and key a global id names (`None`: not a global id, a type that is not a table,
/// or keys of the wrong number or kind).
fn node_key(
    sources: &'static [&'static Source],
    id: &str,
) -> Option<(&'static Source, &'static Table, Vec<Key>)> {
    let (ty, texts) = decode_global_id(id)?;
    let (source, table) = sources
        .iter()
        .flat_map(|s| s.tables.iter().map(move |t| (*s, t)))
        .find(|(_, t)| t.type_name == ty)?;
    if texts.len() != table.pk.len() {
        return None;
    }
    let mut keys = Vec::new();
    for (pk, text) in table.pk.iter().zip(&texts) {
        let c = lookup_column(table, pk).ok()?;
        if !is_key_kind(c.kind) {
            return None;
        }
        keys.push(Key::parse(c.kind, text)?);
    }
    Some((source, table, keys))
}
