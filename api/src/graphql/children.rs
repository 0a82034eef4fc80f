//! What a relational field of a row loads — one function used both by the field's resolver
//! and by prefetching.
//!
//! async-graphql's dynamic schema resolves the fields of a nested object one after another,
//! so a field's load would only be registered once its previous sibling's whole subtree is
//! done, and one level's loads would scatter over several batches. Instead, whoever hands out
//! rows (a page, a lookup) first *prefetches*: it registers every load the rows' selected
//! fields will need, each with a continuation that prefetches the next level as soon as its
//! rows arrive — before the batch counts as answered. The whole query tree is thus planned
//! level by level as the data comes in, whatever order the resolvers run in; their own loads
//! find their keys already requested (the batcher answers a key once per request), and each
//! level is one batch.

use std::sync::Arc;

use async_graphql::Value;
use sea_orm::sea_query::{Condition, Expr, ExprTrait};

use super::batch::Then;
use super::connection::{Conn, ConnSpec};
use super::context::Ctx;
use super::fetch::Loaded;
use super::fetch::{BatchKey, Shape, Work};
use super::inline::Inlined;
use super::plan::Plan;
use super::select::shape_for;
use super::spec::{Column, Lit, Source, Table};
use super::sql::{Row, Scope, conds, qcol};
use super::value::Key;
use crate::error::ApiError;

/// What a relational field of a row resolves to.
pub enum Child {
    /// Nothing (a null key, an unknown discriminator).
    Null,
    /// A value known without loading.
    Value(Value),
    /// One row by key; `type_name` is set for union members.
    Object(BatchKey, Option<&'static str>),
    /// Whether related rows exist (a viewer flag).
    Flag(BatchKey),
    /// How many related rows exist.
    Count(BatchKey),
    /// A connection.
    Conn(Box<Conn>),
    /// The rows behind a computed field.
    Computed(BatchKey),
    /// Rows named by a JSON array of keys, in array order.
    List(Vec<BatchKey>),
    /// A row read in its parent's statement (`None`: absent or not visible); `type_name` is
    /// set for union members.
    Row(Option<Arc<Row>>, Option<&'static str>),
}

fn table_of(source: &'static Source, name: &str) -> Result<&'static Table, ApiError> {
    source
        .table(name)
        .ok_or_else(|| ApiError::Internal(format!("{name} is not described")))
}

fn column_of(table: &'static Table, name: &str) -> Result<&'static Column, ApiError> {
    table
        .column(name)
        .ok_or_else(|| ApiError::Internal(format!("{}.{name} is not described", table.name)))
}

/// One row of `table` whose `column` equals `key`, read with `scope`.
fn by_key(
    scope: Scope,
    table: &'static Table,
    column: &str,
    key: Option<Key>,
    field: &Plan,
    type_name: Option<&'static str>,
) -> Result<Child, ApiError> {
    let Some(key) = key else {
        return Ok(Child::Null);
    };
    let col = column_of(table, column)?;
    let shape = Arc::new(shape_for(table, col, field, Work::Rows, scope));
    Ok(Child::Object(BatchKey { shape, parent: key }, type_name))
}

/// The load behind field `field` of `row` (of `table`), or `None` when the field is not
/// relational.
pub fn child(
    data: &Ctx,
    source: &'static Source,
    row: &Row,
    field: &Arc<Plan>,
) -> Result<Option<Child>, ApiError> {
    let table = row.table;
    let name = field.name.as_str();
    if let Some(inlined) = row.inlined(name) {
        return Ok(Some(match inlined {
            Inlined::Row(found, type_name) => Child::Row(found.clone(), *type_name),
            Inlined::Value(v) => Child::Value(v.clone()),
        }));
    }
    for r in source.relations {
        if r.from == table.name && r.forward == name {
            let to = table_of(source, r.to)?;
            return by_key(
                data.scope(source, to),
                to,
                r.to_column,
                row.get(r.column).key(),
                field,
                None,
            )
            .map(Some);
        }
        if r.to == table.name && r.reverse == name {
            let from = table_of(source, r.from)?;
            if r.unique {
                let scope = data
                    .scope(source, from)
                    .under(from.name, r.column, table.name);
                return by_key(
                    scope,
                    from,
                    r.column,
                    row.get(r.to_column).key(),
                    field,
                    None,
                )
                .map(Some);
            }
            let col = column_of(from, r.column)?;
            let parent = row
                .get(r.to_column)
                .key()
                .unwrap_or(Key::Text(String::new()));
            let spec = data.memo.conn(field, table, || {
                let scope = data
                    .scope(source, from)
                    .under(from.name, col.name, table.name);
                ConnSpec::new(field, from, col, scope)
            })?;
            return Ok(Some(Child::Conn(Box::new(Conn::of(spec, Some(parent))))));
        }
    }
    for p in source.polymorphic {
        if p.table == table.name && p.field == name {
            let super::value::Cell::Text(kind) = row.get(p.kind_column) else {
                return Ok(Some(Child::Null));
            };
            let Some(member) = p.members.iter().find(|m| m.value == kind.as_str()) else {
                return Ok(Some(Child::Null));
            };
            let target = table_of(source, member.table)?;
            let key = row.get(member.id_column.unwrap_or(p.id_column)).key();
            let pk = target.pk.first().copied().unwrap_or("id");
            return by_key(
                data.scope(source, target),
                target,
                pk,
                key,
                field,
                Some(target.type_name),
            )
            .map(Some);
        }
        if p.reverse == Some(name) {
            let Some(member) = p
                .members
                .iter()
                .find(|m| m.table == table.name && m.id_column.is_none())
            else {
                continue;
            };
            let holder = table_of(source, p.table)?;
            let col = column_of(holder, p.id_column)?;
            let spec = data.memo.conn(field, table, || {
                let scope = data
                    .scope(source, holder)
                    .under(holder.name, col.name, member.table);
                let fixed = conds(
                    holder,
                    &[(p.kind_column, Lit::Str(member.value))],
                    scope.backend,
                )?;
                Ok(ConnSpec::new(field, holder, col, scope)?
                    .restrict(fixed, &format!("{}={}", p.kind_column, member.value)))
            })?;
            let parent = row.pk().into_iter().next().unwrap_or(Key::Int(0));
            let conn = Conn::of(spec, Some(parent));
            return Ok(Some(Child::Conn(Box::new(conn))));
        }
    }
    if let Some(a) = source
        .array_relations
        .iter()
        .find(|a| a.from == table.name && a.field == name)
    {
        let to = table_of(source, a.to)?;
        let col = column_of(to, a.to_column)?;
        let shape = Arc::new(shape_for(
            to,
            col,
            field,
            Work::Rows,
            data.scope(source, to),
        ));
        let keys = match row.get(a.column) {
            super::value::Cell::Json(serde_json::Value::Array(items)) => items
                .iter()
                .filter_map(|v| match v {
                    serde_json::Value::Number(n) => n.as_i64().map(Key::Int),
                    serde_json::Value::String(s) => Key::parse(col.kind, s),
                    _ => None,
                })
                .map(|k| BatchKey {
                    shape: shape.clone(),
                    parent: k,
                })
                .collect(),
            _ => Vec::new(),
        };
        return Ok(Some(Child::List(keys)));
    }
    if let Some(c) = source
        .computed
        .iter()
        .find(|c| c.on == table.name && c.field == name)
    {
        let read = table_of(source, c.table)?;
        let key = column_of(read, c.key_column)?;
        let columns = c
            .columns
            .iter()
            .map(|n| column_of(read, n))
            .collect::<Result<Vec<_>, _>>()?;
        let Some(parent) = row.pk().into_iter().next() else {
            return Ok(Some(Child::Null));
        };
        let scope = data
            .scope(source, read)
            .under(read.name, key.name, table.name);
        let shape = Arc::new(Shape::new(read, key, columns, Work::Rows, scope));
        return Ok(Some(Child::Computed(BatchKey { shape, parent })));
    }
    if let Some(r) = source
        .related
        .iter()
        .find(|r| r.on == table.name && r.field == name)
    {
        let related = table_of(source, r.table)?;
        let key = column_of(related, r.key_column)?;
        let scope = data
            .scope(source, related)
            .under(related.name, key.name, table.name);
        let Some(parent) = row.pk().into_iter().next() else {
            return Ok(Some(Child::Null));
        };
        let mut cond = conds(related, r.fixed, scope.backend)?;
        let mut id = format!("{}:{}", r.table, r.field);
        let work = match r.viewer_column {
            Some(vc) => {
                let column = column_of(related, vc)?;
                let Some(viewer) = scope.viewer_cell(column.kind) else {
                    return Ok(Some(Child::Value(Value::Boolean(false))));
                };
                cond = cond.add(
                    qcol(related.name, vc).eq(Expr::val(viewer.sql(column.kind, scope.backend))),
                );
                id.push_str(&format!("@{}", data.viewer.scope()));
                Work::Rows
            }
            None => Work::Count(Condition::all(), String::new()),
        };
        let shape = Arc::new(Shape::new(related, key, vec![], work, scope).restrict(cond, &id));
        let key = BatchKey { shape, parent };
        return Ok(Some(if r.viewer_column.is_some() {
            Child::Flag(key)
        } else {
            Child::Count(key)
        }));
    }
    Ok(None)
}

/// Registers every load the selection `field` of `rows` will need, and, as each arrives, the
/// loads of the level below (see the module doc).
pub fn prefetch_rows(ctx: &Ctx, source: &'static Source, rows: &[Arc<Row>], field: &Arc<Plan>) {
    for f in &field.children {
        for row in rows {
            match child(ctx, source, row, f) {
                Ok(Some(Child::Object(key, _))) => {
                    let next = ctx.clone();
                    let f = f.clone();
                    let then: Then = Box::new(move |loaded: &Arc<Loaded>| {
                        if let Loaded::Rows(found) = loaded.as_ref() {
                            let found: Vec<Arc<Row>> =
                                found.iter().take(1).cloned().map(Arc::new).collect();
                            prefetch_rows(&next, source, &found, &f);
                        }
                    });
                    // The batcher keeps the answer for the field's resolver.
                    let _pending = ctx.loader.request_then(key, Some(then));
                }
                Ok(Some(Child::Flag(key) | Child::Count(key) | Child::Computed(key))) => {
                    let _pending = ctx.loader.request(key);
                }
                Ok(Some(Child::Conn(conn))) => conn.prefetch(ctx, source, f),
                Ok(Some(Child::Row(Some(found), _))) => {
                    prefetch_rows(ctx, source, std::slice::from_ref(&found), f);
                }
                Ok(Some(Child::List(keys))) => {
                    for key in keys {
                        let next = ctx.clone();
                        let f = f.clone();
                        let then: Then = Box::new(move |loaded: &Arc<Loaded>| {
                            if let Loaded::Rows(found) = loaded.as_ref() {
                                let found: Vec<Arc<Row>> =
                                    found.iter().take(1).cloned().map(Arc::new).collect();
                                prefetch_rows(&next, source, &found, &f);
                            }
                        });
                        let _pending = ctx.loader.request_then(key, Some(then));
                    }
                }
                // Errors surface from the field's own resolver.
                _ => {}
            }
        }
    }
}
