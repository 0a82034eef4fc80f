//! Typed `where` filters: one filter input per scalar family, one `…Where` input per table
//! (`{ column: { eq, ne, in, … }, and, or, not }`), and their translation into SQL conditions.

use async_graphql::dynamic::{InputObject, InputValue, TypeRef};
use async_graphql::{Name, Value};
use sea_orm::sea_query::{Condition, Expr, ExprTrait, Func, LikeExpr, SimpleExpr};

use super::spec::Read;
use super::spec::{Column, EnumDef, Kind, Table};
use super::sql::{Scope, qcol, value_expr, viewer_expr};
use super::value::{Cell, parse_timestamp};
use crate::error::ApiError;

/// Operators and scalar of one filter family.
struct Family {
    name: String,
    scalar: String,
    ordered: bool,
    text: bool,
    lists: bool,
}

fn family(kind: Kind) -> Family {
    let f = |name: &str, scalar: &str, ordered, text, lists| Family {
        name: name.to_owned(),
        scalar: scalar.to_owned(),
        ordered,
        text,
        lists,
    };
    match kind {
        Kind::Uuid => f("UUIDFilter", "UUID", false, false, true),
        Kind::Text => f("StringFilter", TypeRef::STRING, true, true, true),
        Kind::Int => f("IntFilter", TypeRef::INT, true, false, true),
        Kind::BigInt => f("BigIntFilter", "BigInt", true, false, true),
        Kind::Float => f("FloatFilter", TypeRef::FLOAT, true, false, true),
        Kind::Decimal(_) => f("DecimalFilter", "Decimal", true, false, true),
        Kind::Bool | Kind::TextBool => f("BooleanFilter", TypeRef::BOOLEAN, false, false, false),
        Kind::Timestamp | Kind::TimestampTz => f("DateTimeFilter", "DateTime", true, false, true),
        Kind::Date => f("DateFilter", "Date", true, false, true),
        Kind::Json => f("JSONFilter", "JSON", false, false, false),
        Kind::Enum(def) => f(&format!("{}Filter", def.name), def.name, false, false, true),
    }
}

/// Name of the filter input for a column kind.
pub fn filter_type_name(kind: Kind) -> String {
    family(kind).name
}

/// The filter input type of a column kind.
pub fn filter_input(kind: Kind) -> InputObject {
    let fam = family(kind);
    let scalar = fam.scalar.as_str();
    let mut obj = InputObject::new(fam.name.as_str()).description(format!(
        "Conditions on a `{scalar}` value; all given conditions must hold."
    ));
    if !matches!(kind, Kind::Json) {
        obj = obj
            .field(InputValue::new("eq", TypeRef::named(scalar)).description("Equal to."))
            .field(
                InputValue::new("ne", TypeRef::named(scalar))
                    .description("Not equal to (rows where the value is null do not match)."),
            );
    }
    if fam.lists {
        obj = obj
            .field(
                InputValue::new("in", TypeRef::named_nn_list(scalar))
                    .description("Equal to one of."),
            )
            .field(
                InputValue::new("notIn", TypeRef::named_nn_list(scalar))
                    .description("Equal to none of."),
            );
    }
    if fam.ordered {
        for (op, doc) in [
            ("lt", "Less than."),
            ("lte", "Less than or equal to."),
            ("gt", "Greater than."),
            ("gte", "Greater than or equal to."),
        ] {
            obj = obj.field(InputValue::new(op, TypeRef::named(scalar)).description(doc));
        }
    }
    if matches!(kind, Kind::Json) {
        obj = super::json_filter::fields(obj);
    }
    if fam.text {
        obj = obj
            .field(
                InputValue::new("contains", TypeRef::named(TypeRef::STRING))
                    .description("Contains the text, ignoring case."),
            )
            .field(
                InputValue::new("startsWith", TypeRef::named(TypeRef::STRING))
                    .description("Starts with the text, ignoring case."),
            )
            .field(
                InputValue::new("endsWith", TypeRef::named(TypeRef::STRING))
                    .description("Ends with the text, ignoring case."),
            );
    }
    obj.field(
        InputValue::new("isNull", TypeRef::named(TypeRef::BOOLEAN))
            .description("`true`: the value is null; `false`: it is not."),
    )
}

/// Every kind whose filter input must be registered, deduplicated by name by the caller.
pub fn kinds_of(table: &Table) -> impl Iterator<Item = Kind> + '_ {
    table.columns.iter().map(|c| c.kind)
}

/// Name of a table's `where` input.
pub fn where_type_name(table: &Table) -> String {
    format!("{}Where", table.type_name)
}

/// The `where` input of a table.
pub fn where_input(table: &'static Table) -> InputObject {
    let name = where_type_name(table);
    let mut obj = InputObject::new(name.as_str()).description(format!(
        "Conditions on `{}` rows; all given conditions must hold.",
        table.type_name
    ));
    // A column shown by its owner's setting filters on the value as the viewer reads it (see
    // `column_condition`); owner-only columns are not filters at all.
    for c in table.columns.iter().filter(|c| c.read != Read::Owner) {
        obj = obj.field(
            InputValue::new(
                c.field_name(table),
                TypeRef::named(filter_type_name(c.kind)),
            )
            .description(match c.read {
                Read::Setting(_) => format!(
                    "{} A value its owner's setting hides from the viewer reads null here too.",
                    c.doc
                ),
                _ => c.doc.to_owned(),
            }),
        );
    }
    obj.field(
        InputValue::new("and", TypeRef::named_nn_list(name.as_str()))
            .description("All of these hold."),
    )
    .field(
        InputValue::new("or", TypeRef::named_nn_list(name.as_str()))
            .description("At least one of these holds."),
    )
    .field(InputValue::new("not", TypeRef::named(name.as_str())).description("This does not hold."))
}

/// Translates a `where` value of `table` into a condition.
pub fn condition(
    table: &'static Table,
    value: &Value,
    scope: &Scope,
    path: &str,
) -> Result<Condition, ApiError> {
    let Value::Object(map) = value else {
        return Ok(Condition::all());
    };
    let mut cond = Condition::all();
    for (name, v) in map {
        if matches!(v, Value::Null) {
            continue;
        }
        let here = format!("{path}.{name}");
        match name.as_str() {
            "and" | "or" => {
                let items = list(v)
                    .iter()
                    .enumerate()
                    .map(|(i, item)| condition(table, item, scope, &format!("{here}[{i}]")))
                    .collect::<Result<Vec<_>, _>>()?;
                cond = cond.add(balanced(items, name.as_str() == "or"));
            }
            "not" => cond = cond.add(condition(table, v, scope, &here)?.not()),
            field => {
                let column = table
                    .columns
                    .iter()
                    .find(|c| c.field_name(table) == field)
                    .ok_or_else(|| {
                        ApiError::input(here.clone(), format!("unknown field `{field}`"))
                    })?;
                cond = cond.add(column_condition(table, column, v, scope, &here)?);
            }
        }
    }
    Ok(cond)
}

/// `items` joined by `OR` (`any`) or `AND`, as a balanced tree of parenthesised groups: a flat
/// chain of a thousand alternatives parses into an expression a thousand deep, past SQLite's
/// expression-depth limit, where the tree is only as deep as its logarithm.
fn balanced(mut items: Vec<Condition>, any: bool) -> Condition {
    const GROUP: usize = 8;
    let join = |items: Vec<Condition>| {
        let empty = if any {
            Condition::any()
        } else {
            Condition::all()
        };
        items.into_iter().fold(empty, Condition::add)
    };
    while items.len() > GROUP {
        let mut grouped = Vec::with_capacity(items.len().div_ceil(GROUP));
        let mut rest = items.into_iter().peekable();
        while rest.peek().is_some() {
            grouped.push(join(rest.by_ref().take(GROUP).collect()));
        }
        items = grouped;
    }
    join(items)
}

fn list(v: &Value) -> Vec<Value> {
    match v {
        Value::List(items) => items.clone(),
        Value::Null => vec![],
        other => vec![other.clone()],
    }
}

fn column_condition(
    table: &'static Table,
    column: &'static Column,
    ops: &Value,
    scope: &Scope,
    path: &str,
) -> Result<Condition, ApiError> {
    let Value::Object(ops) = ops else {
        return Ok(Condition::all());
    };
    // The value as the viewer reads it: a value hidden by its owner's setting is NULL here,
    // so no condition on it can match (or fail to match) because of what it hides.
    let col = viewer_expr(table, column, scope);
    // Equality tests the stored column (named enums compare as their type), unless the value
    // is computed or hidden by a setting: then only the read expression means what is read.
    let raw = if column.computed.is_some() || matches!(column.read, Read::Setting(_)) {
        col.clone()
    } else {
        qcol(table.name, column.name)
    };
    let mut cond = Condition::all();
    for (op, v) in ops {
        if matches!(v, Value::Null) {
            continue;
        }
        let here = format!("{path}.{op}");
        if matches!(column.kind, Kind::Json)
            && let Some(c) = super::json_filter::condition(op, &raw, v, scope.backend, &here)?
        {
            cond = cond.add(c);
            continue;
        }
        let one = |v: &Value| -> Result<Expr, ApiError> {
            Ok(value_expr(
                column,
                &input_cell(column.kind, v, &here)?,
                scope.backend,
            ))
        };
        let many =
            |v: &Value| -> Result<Vec<Expr>, ApiError> { list(v).iter().map(&one).collect() };
        let expr: SimpleExpr = match op.as_str() {
            "eq" => raw.clone().eq(one(v)?),
            "ne" => raw.clone().ne(one(v)?),
            "in" => raw.clone().is_in(many(v)?),
            "notIn" => raw.clone().is_not_in(many(v)?),
            "lt" => col.clone().lt(one(v)?),
            "lte" => col.clone().lte(one(v)?),
            "gt" => col.clone().gt(one(v)?),
            "gte" => col.clone().gte(one(v)?),
            "contains" | "startsWith" | "endsWith" => {
                let Value::String(s) = v else {
                    return Err(ApiError::input(here, "expected a string"));
                };
                let s = escape_like(&s.to_lowercase());
                let pattern = match op.as_str() {
                    "contains" => format!("%{s}%"),
                    "startsWith" => format!("{s}%"),
                    _ => format!("%{s}"),
                };
                Expr::expr(Func::lower(col.clone())).like(LikeExpr::new(pattern).escape('\\'))
            }
            "isNull" => match v {
                Value::Boolean(true) => raw.clone().is_null(),
                _ => raw.clone().is_not_null(),
            },
            other => return Err(ApiError::input(here, format!("unknown operator `{other}`"))),
        };
        cond = cond.add(expr);
    }
    Ok(cond)
}

pub(crate) fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Parses a GraphQL input value for a column of `kind`; `path` names it in errors.
pub fn input_cell(kind: Kind, v: &Value, path: &str) -> Result<Cell, ApiError> {
    let bad = |what: &str| ApiError::input(path, format!("expected {what}"));
    Ok(match (kind, v) {
        (_, Value::Null) => Cell::Null,
        (Kind::Uuid, Value::String(s)) => {
            Cell::Uuid(uuid::Uuid::parse_str(s).map_err(|_| bad("a UUID"))?)
        }
        (Kind::Text, Value::String(s)) => Cell::Text(s.clone()),
        (Kind::Int, Value::Number(n)) => {
            let i = n.as_i64().ok_or_else(|| bad("an integer"))?;
            i32::try_from(i).map_err(|_| bad("a 32-bit integer"))?;
            Cell::Int(i)
        }
        (Kind::BigInt, Value::String(s)) => {
            Cell::Int(s.parse().map_err(|_| bad("a 64-bit integer"))?)
        }
        (Kind::BigInt, Value::Number(n)) => {
            Cell::Int(n.as_i64().ok_or_else(|| bad("a 64-bit integer"))?)
        }
        (Kind::Float, Value::Number(n)) => Cell::Float(n.as_f64().ok_or_else(|| bad("a number"))?),
        (Kind::Decimal(_), Value::String(s)) => {
            Cell::Decimal(s.parse().map_err(|_| bad("a decimal"))?)
        }
        (Kind::Decimal(_), Value::Number(n)) => {
            Cell::Decimal(n.to_string().parse().map_err(|_| bad("a decimal"))?)
        }
        (Kind::Bool | Kind::TextBool, Value::Boolean(b)) => Cell::Bool(*b),
        (Kind::Timestamp, Value::String(s)) => {
            Cell::Timestamp(parse_timestamp(s).ok_or_else(|| bad("an RFC 3339 date-time"))?)
        }
        (Kind::TimestampTz, Value::String(s)) => Cell::TimestampTz(
            parse_timestamp(s)
                .ok_or_else(|| bad("an RFC 3339 date-time"))?
                .and_utc(),
        ),
        (Kind::Date, Value::String(s)) => Cell::Date(
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map_err(|_| bad("a date (YYYY-MM-DD)"))?,
        ),
        (Kind::Enum(def), Value::Enum(name)) => Cell::Text(
            enum_value(def, name)
                .ok_or_else(|| bad(def.name))?
                .to_owned(),
        ),
        (Kind::Enum(def), Value::String(name)) => Cell::Text(
            enum_value(def, &Name::new(name))
                .ok_or_else(|| bad(def.name))?
                .to_owned(),
        ),
        (Kind::Json, other) => Cell::Json(other.clone().into_json().map_err(|_| bad("JSON"))?),
        _ => return Err(bad("a value of the column's type")),
    })
}

/// The stored string of a GraphQL enum value.
pub fn enum_value(def: &'static EnumDef, name: &Name) -> Option<&'static str> {
    def.values
        .iter()
        .copied()
        .find(|v| EnumDef::graphql_name(v) == name.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_are_escaped() {
        assert_eq!(escape_like("50%_off\\"), "50\\%\\_off\\\\");
    }
}
