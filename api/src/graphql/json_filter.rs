//! Conditions on JSON columns: `contains` (every element of an array, or every key of an
//! object with its value, is in the column's document), `containsAny` (one of these elements
//! is in the column's array) and `hasKey` (the column's object has the key).
//!
//! PostgreSQL answers them with `@>` on `jsonb`, which the GIN indexes on JSON arrays serve
//! (character tags, group members); SQLite with `json_each`. So that both answer the same,
//! the values compared are scalars — strings, numbers, booleans, null — and an object's
//! values too: containment of nested documents, which SQLite cannot compare by value, is
//! refused as bad input on both backends.

use async_graphql::Value;
use async_graphql::dynamic::{InputObject, InputValue, TypeRef};
use sea_orm::DatabaseBackend;
use sea_orm::sea_query::{Condition, Expr};
use serde_json::Value as Json;

use crate::error::ApiError;

/// Adds the JSON operators to the JSON filter input.
pub fn fields(obj: InputObject) -> InputObject {
    obj.field(
        InputValue::new("contains", TypeRef::named("JSON")).description(
            "Contains: an array, every one of these elements (`[\"a\", \"b\"]`); an object, each \
         of these keys with its value (`{\"plan\": \"pro\"}`). Elements and values are \
         scalars.",
        ),
    )
    .field(
        InputValue::new("containsAny", TypeRef::named_nn_list("JSON"))
            .description("An array containing at least one of these scalar elements."),
    )
    .field(
        InputValue::new("hasKey", TypeRef::named(TypeRef::STRING))
            .description("An object with this key."),
    )
}

/// The condition of JSON operator `op` (`None`: not a JSON operator) on `col` holding JSON.
pub fn condition(
    op: &str,
    col: &Expr,
    v: &Value,
    backend: DatabaseBackend,
    path: &str,
) -> Result<Option<Condition>, ApiError> {
    let json = |v: &Value| {
        v.clone()
            .into_json()
            .map_err(|_| ApiError::input(path, "expected a JSON value"))
    };
    Ok(Some(match op {
        "contains" => match json(v)? {
            Json::Array(items) => items.iter().try_fold(Condition::all(), |c, e| {
                Ok::<_, ApiError>(c.add(element(col, scalar(e, path)?, backend)))
            })?,
            Json::Object(map) => map.iter().try_fold(Condition::all(), |c, (k, e)| {
                Ok::<_, ApiError>(c.add(entry(col, k, scalar(e, path)?, backend)))
            })?,
            _ => {
                return Err(ApiError::input(
                    path,
                    "give an array of elements or an object of keys and values",
                ));
            }
        },
        "containsAny" => {
            let Value::List(items) = v else {
                return Err(ApiError::input(path, "expected a list of elements"));
            };
            items.iter().try_fold(Condition::any(), |c, e| {
                let e = json(e)?;
                Ok::<_, ApiError>(c.add(element(col, scalar(&e, path)?, backend)))
            })?
        }
        "hasKey" => {
            let Value::String(key) = v else {
                return Err(ApiError::input(path, "expected a key"));
            };
            Condition::all().add(has_key(col, key, backend))
        }
        _ => return Ok(None),
    }))
}

/// `e` when it is a scalar.
fn scalar<'a>(e: &'a Json, path: &str) -> Result<&'a Json, ApiError> {
    match e {
        Json::Array(_) | Json::Object(_) => Err(ApiError::input(
            path,
            "elements and values are strings, numbers, booleans or null",
        )),
        s => Ok(s),
    }
}

fn jsonb(j: Json) -> Expr {
    Expr::val(sea_orm::Value::Json(Some(Box::new(j))))
}

/// A `json_each` row's value as compact JSON text (`"a"`, `1`, `true`, `null`), comparable
/// with serde_json's text of a scalar.
const EACH_JSON: &str = "CASE j.type WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' \
                         WHEN 'null' THEN 'null' ELSE json_quote(j.value) END";

/// The column's array has the element `e`.
fn element(col: &Expr, e: &Json, backend: DatabaseBackend) -> Expr {
    match backend {
        DatabaseBackend::Postgres => contains(col, Json::Array(vec![e.clone()])),
        _ => sqlite(
            col,
            &format!(
                "json_type(?) = 'array' AND EXISTS (SELECT 1 FROM json_each(?) AS j WHERE {EACH_JSON} = ?)"
            ),
            vec![Expr::val(e.to_string())],
        ),
    }
}

/// The column's object has the key `k` with the value `e`.
fn entry(col: &Expr, k: &str, e: &Json, backend: DatabaseBackend) -> Expr {
    match backend {
        DatabaseBackend::Postgres => {
            let mut doc = serde_json::Map::new();
            doc.insert(k.to_owned(), e.clone());
            contains(col, Json::Object(doc))
        }
        _ => sqlite(
            col,
            &format!(
                "json_type(?) = 'object' AND EXISTS (SELECT 1 FROM json_each(?) AS j WHERE j.key = ? AND {EACH_JSON} = ?)"
            ),
            vec![Expr::val(k.to_owned()), Expr::val(e.to_string())],
        ),
    }
}

/// The column's object has the key `k`.
fn has_key(col: &Expr, k: &str, backend: DatabaseBackend) -> Expr {
    match backend {
        // `?` would also match a string element of an array: objects only, as on SQLite.
        DatabaseBackend::Postgres => Expr::cust_with_exprs(
            "(jsonb_typeof(CAST($1 AS jsonb)) = 'object' AND jsonb_exists(CAST($1 AS jsonb), $2))",
            [col.clone(), Expr::val(k.to_owned())],
        ),
        _ => sqlite(
            col,
            "json_type(?) = 'object' AND EXISTS (SELECT 1 FROM json_each(?) AS j WHERE j.key = ?)",
            vec![Expr::val(k.to_owned())],
        ),
    }
}

/// PostgreSQL's containment `col @> doc`, which a GIN index on the column serves (the cast is
/// a no-op on `jsonb` columns and reads the few `json` ones).
fn contains(col: &Expr, doc: Json) -> Expr {
    Expr::cust_with_exprs("CAST($1 AS jsonb) @> $2", [col.clone(), jsonb(doc)])
}

/// A SQLite test `cond` of the column (its first two `?`; `values` fill the others), null
/// where the column is null, as PostgreSQL's operators answer: `not` then excludes a null
/// document on both backends alike. (SQLite's placeholders are `?` in order, PostgreSQL's
/// `$n`.)
fn sqlite(col: &Expr, cond: &str, values: Vec<Expr>) -> Expr {
    let mut exprs = vec![col.clone(), col.clone(), col.clone()];
    exprs.extend(values);
    Expr::cust_with_exprs(
        format!("(CASE WHEN ? IS NULL THEN NULL ELSE ({cond}) END)"),
        exprs,
    )
}
