//! Argument readers of the Deed-O operations.

use async_graphql::Value;
use async_graphql::dynamic::{InputValue, ResolverContext, TypeRef};
use sea_orm::{ActiveEnum, Iterable};
use uuid::Uuid;

use crate::error::ApiError;
use crate::graphql::filter::input_cell;
use crate::graphql::spec::{EnumDef, Kind};
use crate::graphql::value::Cell;

/// A documented argument.
pub fn arg(name: &str, ty: TypeRef, doc: &str) -> InputValue {
    InputValue::new(name, ty).description(doc)
}

fn raw(ctx: &ResolverContext<'_>, name: &str) -> Value {
    ctx.args
        .get(name)
        .map(|v| v.as_value().clone())
        .unwrap_or(Value::Null)
}

/// A string argument.
pub fn string(ctx: &ResolverContext<'_>, name: &str) -> Option<String> {
    ctx.args
        .get(name)
        .and_then(|v| v.string().ok().map(str::to_owned))
}

/// A UUID argument.
pub fn uuid(ctx: &ResolverContext<'_>, name: &str) -> Result<Uuid, ApiError> {
    match input_cell(Kind::Uuid, &raw(ctx, name), name)? {
        Cell::Uuid(u) => Ok(u),
        _ => Err(ApiError::input(name, "expected a UUID")),
    }
}

/// The stored value of an enum argument.
pub fn stored(
    ctx: &ResolverContext<'_>,
    name: &str,
    def: &'static EnumDef,
) -> Result<String, ApiError> {
    match input_cell(Kind::Enum(def), &raw(ctx, name), name)? {
        Cell::Text(s) => Ok(s),
        _ => Err(ApiError::input(name, format!("expected a {}", def.name))),
    }
}

/// An enum argument as the entity's enum.
pub fn entity_enum<E>(
    ctx: &ResolverContext<'_>,
    name: &str,
    def: &'static EnumDef,
) -> Result<E, ApiError>
where
    E: ActiveEnum<Value = sea_orm::sea_query::Enum> + Iterable,
{
    let s = stored(ctx, name, def)?;
    E::iter()
        .find(|v| v.to_value().value == s)
        .ok_or_else(|| ApiError::input(name, format!("expected a {}", def.name)))
}

/// An optional number argument (`Float`).
pub fn float(ctx: &ResolverContext<'_>, name: &str) -> Option<f64> {
    ctx.args.get(name).and_then(|v| v.f64().ok())
}

/// An optional list of strings.
pub fn strings(ctx: &ResolverContext<'_>, name: &str) -> Result<Option<Vec<String>>, ApiError> {
    let Some(v) = ctx.args.get(name) else {
        return Ok(None);
    };
    if v.is_null() {
        return Ok(None);
    }
    let list = v
        .list()
        .map_err(|_| ApiError::input(name, "expected a list of strings"))?;
    list.iter()
        .map(|s| {
            s.string()
                .map(str::to_owned)
                .map_err(|_| ApiError::input(name, "expected strings"))
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// An optional enum argument as the entity's enum.
pub fn opt_entity_enum<E>(
    ctx: &ResolverContext<'_>,
    name: &str,
    def: &'static EnumDef,
) -> Result<Option<E>, ApiError>
where
    E: ActiveEnum<Value = sea_orm::sea_query::Enum> + Iterable,
{
    match ctx.args.get(name) {
        None => Ok(None),
        Some(v) if v.is_null() => Ok(None),
        Some(_) => entity_enum(ctx, name, def).map(Some),
    }
}
