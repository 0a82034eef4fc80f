//! Payloads of the mutations that remove rows (or change rows without one to answer): the
//! removed row's global id, for Relay's `@deleteRecord` and Apollo's `cache.evict`, and the
//! rows whose counters or lists the mutation changed, read after it commits as the viewer sees
//! them, so a normalized cache is whole again without refetching.

use async_graphql::dynamic::{Field, FieldFuture, FieldValue, Object, ResolverContext, TypeRef};
use async_graphql::{ErrorExtensions, Value};

use super::schema::{by_pk, described, global_id_of};
use super::spec::{Source, Table};
use super::value::Key;
use crate::error::{ApiError, OrGql};

/// What a removal answers: the removed row (none when there was nothing to remove) and, per
/// field of its payload, the row it changed.
pub struct Removal {
    deleted: Option<String>,
    count: i64,
    changed: Vec<(&'static str, &'static Table, Key)>,
}

impl Removal {
    /// A removal of the row of `table` with key `key` (`None`: there was none to remove).
    pub fn of(table: &'static Table, key: Option<Key>) -> Self {
        Removal {
            deleted: key.map(|k| global_id_of(table, std::slice::from_ref(&k))),
            count: 0,
            changed: Vec::new(),
        }
    }

    /// A mutation that removed no row: it changed `count` others.
    pub fn none(count: i64) -> Self {
        Removal {
            deleted: None,
            count,
            changed: Vec::new(),
        }
    }

    /// Answers the row of `table` with key `key` in the payload field `field`.
    pub fn changed(mut self, field: &'static str, table: &'static Table, key: Key) -> Self {
        self.changed.push((field, table, key));
        self
    }

    /// The payload as a field's answer, after the request's cached reads are dropped (they may
    /// hold the changed rows as they were).
    pub fn answer(
        self,
        ctx: &ResolverContext<'_>,
    ) -> async_graphql::Result<Option<FieldValue<'static>>> {
        super::schema::data(ctx)?.loader.invalidate();
        Ok(Some(FieldValue::owned_any(self)))
    }
}

/// A field of a payload answering a changed row.
pub struct Changed {
    /// The field's name.
    pub field: &'static str,
    /// Its type: an object type of the row's table, or a union of several.
    pub ty: &'static str,
    /// Whether `ty` is a union (the answer then names its member type).
    pub union: bool,
    /// Its description.
    pub doc: &'static str,
}

/// The payload type `name` of a mutation removing a `removed` (`None`: it removes nothing, and
/// the type has no `deletedId`), with a field per changed row.
pub fn payload(
    source: &'static Source,
    name: &str,
    doc: &str,
    removed: Option<&str>,
    changed: &[Changed],
) -> Object {
    let mut obj = Object::new(name).description(doc);
    if let Some(what) = removed {
        obj = obj.field(
            Field::new("deletedId", TypeRef::named(TypeRef::ID), |ctx| {
                FieldFuture::Value(
                    removal(&ctx)
                        .ok()
                        .and_then(|r| r.deleted.clone())
                        .map(|id| FieldValue::value(Value::String(id))),
                )
            })
            .description(format!(
                "The global id of the removed {what}; null when there was none to remove."
            )),
        );
    }
    for c in changed {
        let (field, union) = (c.field, c.union);
        obj = obj.field(
            Field::new(c.field, TypeRef::named(c.ty), move |ctx| {
                FieldFuture::new(async move {
                    let Some((table, key)) = removal(&ctx)?
                        .changed
                        .iter()
                        .find(|(f, _, _)| *f == field)
                        .map(|(_, t, k)| (*t, k.clone()))
                    else {
                        return Ok(None);
                    };
                    let row = by_pk(&ctx, source, table, vec![key]).await?;
                    Ok(row.map(|v| {
                        if union {
                            v.with_type(table.type_name)
                        } else {
                            v
                        }
                    }))
                })
            })
            .description(c.doc),
        );
    }
    obj
}

fn removal<'a>(ctx: &'a ResolverContext<'_>) -> async_graphql::Result<&'a Removal> {
    ctx.parent_value
        .try_downcast_ref::<Removal>()
        .map_err(|_| ApiError::Internal("a payload without its removal".into()).extend())
}

/// The `count` field of a payload of a mutation that changes many rows.
pub fn count_field(doc: &str) -> Field {
    Field::new("count", TypeRef::named_nn(TypeRef::INT), |ctx| {
        FieldFuture::Value(
            removal(&ctx)
                .ok()
                .map(|r| FieldValue::value(Value::Number(r.count.into()))),
        )
    })
    .description(doc)
}

/// The described table `name` of `source`, for a resolver.
pub fn table(source: &'static Source, name: &str) -> async_graphql::Result<&'static Table> {
    described(source, name).gql()
}
