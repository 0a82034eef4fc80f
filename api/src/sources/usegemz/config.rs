//! usegemz system configuration (UG-OP25): app-wide settings by category and key, with their
//! values parsed by `value_type` into typed fields.
//!
//! - `config` / `configs` follow the table's rule (UG-T05 `system_configurations`: admins
//!   only), as the generic `systemConfigurations` does: `UNAUTHENTICATED` without a usegemz
//!   token, `FORBIDDEN` for a signed-in non-admin (configuration is for admins: README,
//!   "The GraphQL API").
//! - `setConfig` is admin-only (token `admin` role or `is_admin` profile). It upserts the row;
//!   the next read answers the new value since nothing is cached (hot reload). The row's
//!   `isHotReloadable` flag is informational: it tells the app's processes whether they must
//!   restart to pick a change up; the gateway itself always answers the stored value.

mod parse;
mod store;

use async_graphql::Value;
use async_graphql::dynamic::{Field, FieldFuture, FieldValue, Object, Type, TypeRef};
use entity::usegemz::system_configurations as sc;
use migration::Database;

use super::enums::VALUE_TYPE;
use super::profiles::{arg, given, opt_string, require_admin, timestamp, value_or_none};
use crate::error::{ApiError, OrGql};
use crate::graphql::schema::data;
use crate::graphql::schema::object_id;
use crate::graphql::spec::{Kind, Source};
use crate::graphql::value::Cell;
use parse::Parsed;
use store::{MAX_CATEGORY, MAX_DESCRIPTION, MAX_KEY, Setting};

const CONFIG_VALUE: &str = "UsegemzConfigValue";

/// A required text argument: trimmed, not blank, at most `max` characters.
fn required(
    ctx: &async_graphql::dynamic::ResolverContext<'_>,
    name: &str,
    max: usize,
) -> Result<String, ApiError> {
    let v = opt_string(ctx, name).unwrap_or_default();
    let v = v.trim();
    if v.is_empty() {
        return Err(ApiError::input(name, format!("{name} cannot be blank")));
    }
    if v.chars().count() > max {
        return Err(ApiError::input(
            name,
            format!("{name} has at most {max} characters"),
        ));
    }
    Ok(v.to_owned())
}

/// The typed value of a row, `None` when the stored text does not parse as its type.
fn typed(row: &sc::Model) -> Option<Parsed> {
    parse::parse(&row.value_type, &row.value).ok()
}

fn value_type() -> Object {
    let f = |name: &'static str, ty: TypeRef, doc: &'static str| {
        Field::new(name, ty, move |ctx| {
            FieldFuture::new(async move {
                let row = ctx.parent_value.try_downcast_ref::<sc::Model>()?;
                let text = |s: &str| Value::String(s.to_owned());
                let v = match (name, typed(row)) {
                    ("id", _) => Value::String(object_id(CONFIG_VALUE, &[row.id.to_string()])),
                    ("category", _) => text(&row.category),
                    ("key", _) => text(&row.key),
                    ("value", _) => text(&row.value),
                    ("valueType", _) => {
                        Cell::Text(row.value_type.clone()).graphql(Kind::Enum(&VALUE_TYPE))
                    }
                    ("description", _) => {
                        row.description.clone().map_or(Value::Null, Value::String)
                    }
                    ("isHotReloadable", _) => Value::Boolean(row.is_hot_reloadable == "true"),
                    ("createdAt", _) => timestamp(Some(row.created_at)),
                    ("updatedAt", _) => timestamp(Some(row.updated_at)),
                    ("number", Some(Parsed::Number(n))) => {
                        serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
                    }
                    ("boolean", Some(Parsed::Boolean(b))) => Value::Boolean(b),
                    ("duration", Some(Parsed::Duration(d))) => Value::Number(d.into()),
                    ("string", Some(Parsed::String(s))) => Value::String(s),
                    ("json", Some(Parsed::Json(j))) => Value::from_json(j).unwrap_or(Value::Null),
                    _ => Value::Null,
                };
                Ok(value_or_none(v))
            })
        })
        .description(doc)
    };
    Object::new(CONFIG_VALUE)
        .description("An app-wide setting (`system_configurations`) with its value parsed by its value type: exactly the typed field matching `valueType` is set (null when the stored text does not parse), the others are null.")
        .field(f("id", TypeRef::named_nn(TypeRef::ID), "Global id of the setting."))
        .field(f("category", TypeRef::named_nn(TypeRef::STRING), "Configuration category, e.g. `email` or `api`."))
        .field(f("key", TypeRef::named_nn(TypeRef::STRING), "Key, unique within its category."))
        .field(f("value", TypeRef::named_nn(TypeRef::STRING), "The stored value as text."))
        .field(f("valueType", TypeRef::named_nn(VALUE_TYPE.name), "How the value is parsed."))
        .field(f("description", TypeRef::named(TypeRef::STRING), "What the setting controls."))
        .field(f("isHotReloadable", TypeRef::named_nn(TypeRef::BOOLEAN), "Whether the app picks a change up without a restart."))
        .field(f("number", TypeRef::named(TypeRef::FLOAT), "The value of a `number` setting."))
        .field(f("boolean", TypeRef::named(TypeRef::BOOLEAN), "The value of a `boolean` setting."))
        .field(f("duration", TypeRef::named(TypeRef::INT), "The value of a `duration` setting in seconds (`2 days` → 172800)."))
        .field(f("string", TypeRef::named(TypeRef::STRING), "The value of a `string` setting."))
        .field(f("json", TypeRef::named("JSON"), "The value of a `json` setting."))
        .field(f("createdAt", TypeRef::named_nn("DateTime"), "When the setting was created."))
        .field(f("updatedAt", TypeRef::named_nn("DateTime"), "When the setting was last updated."))
}

/// Query fields of this group.
pub fn queries(source: &'static Source) -> Vec<Field> {
    vec![
        Field::new("config", TypeRef::named(CONFIG_VALUE), move |ctx| {
            FieldFuture::new(async move {
                let data = data(&ctx)?;
                require_admin(data, source).await.gql()?;
                let category = opt_string(&ctx, "category").unwrap_or_default();
                let key = opt_string(&ctx, "key").unwrap_or_default();
                let db = data.conns.get(Database::Usegemz).gql()?;
                let row = store::get(db, category.trim(), key.trim()).await.gql()?;
                Ok(row.map(FieldValue::owned_any))
            })
        })
        .description("The setting `category` / `key` (UG-OP25), read from the table on every request (hot reload); null when there is none. Admins only.")
        .argument(arg("category", TypeRef::named_nn(TypeRef::STRING), "Category."))
        .argument(arg("key", TypeRef::named_nn(TypeRef::STRING), "Key within the category.")),
        Field::new("configs", TypeRef::named_nn_list_nn(CONFIG_VALUE), move |ctx| {
            FieldFuture::new(async move {
                let data = data(&ctx)?;
                require_admin(data, source).await.gql()?;
                let category = opt_string(&ctx, "category");
                let db = data.conns.get(Database::Usegemz).gql()?;
                let rows = store::list(db, category.as_deref().map(str::trim)).await.gql()?;
                Ok(Some(FieldValue::list(rows.into_iter().map(FieldValue::owned_any))))
            })
        })
        .description("Every setting, or those of one category, by category then key. Admins only.")
        .argument(arg("category", TypeRef::named(TypeRef::STRING), "Only this category.")),
    ]
}

/// Mutation fields of this group and the extra types they need.
pub fn mutations(source: &'static Source) -> (Vec<Field>, Vec<Type>) {
    let set = Field::new("setConfig", TypeRef::named_nn(CONFIG_VALUE), move |ctx| {
        FieldFuture::new(async move {
            let data = data(&ctx)?;
            require_admin(data, source).await.gql()?;
            let category = required(&ctx, "category", MAX_CATEGORY).gql()?;
            let key = required(&ctx, "key", MAX_KEY).gql()?;
            let value_type = match opt_string(&ctx, "valueType") {
                Some(t) => Some(parse::value_type(&t).gql()?),
                None => None,
            };
            let value = opt_string(&ctx, "value").unwrap_or_default();
            if let Some(t) = value_type {
                parse::checked(t, &value).gql()?;
            }
            let description = match opt_string(&ctx, "description") {
                Some(_) => Some(required(&ctx, "description", MAX_DESCRIPTION).gql()?),
                None => None,
            };
            let hot_reloadable = match given(&ctx, "isHotReloadable") {
                Some(Value::Boolean(b)) => Some(b),
                _ => None,
            };
            let db = data.conns.get(Database::Usegemz).gql()?;
            let setting = Setting { category, key, value, value_type, description, hot_reloadable };
            let row = store::set(db, setting).await.gql()?;
            data.loader.invalidate();
            Ok(Some(FieldValue::owned_any(row)))
        })
    })
    .description("Creates or changes the setting `category` / `key` (UG-OP25); the next read answers the new value. Admins only. `value` must parse as the value type (else BAD_USER_INPUT on `value`); an unknown `valueType` is BAD_USER_INPUT on `valueType`.")
    .argument(arg("category", TypeRef::named_nn(TypeRef::STRING), "Category (1 to 50 characters)."))
    .argument(arg("key", TypeRef::named_nn(TypeRef::STRING), "Key within the category (1 to 100 characters)."))
    .argument(arg("value", TypeRef::named_nn(TypeRef::STRING), "The value as text: a number, `true`/`false`, a duration such as `2 days` or `30 minutes`, a JSON document, or any string."))
    .argument(arg("valueType", TypeRef::named(TypeRef::STRING), "One of string, number, boolean, duration, json (any letter case); required for a new setting, left out keeps the stored type."))
    .argument(arg("description", TypeRef::named(TypeRef::STRING), "What the setting controls; left out keeps the stored description."))
    .argument(arg("isHotReloadable", TypeRef::named(TypeRef::BOOLEAN), "Whether the app picks a change up without a restart; new settings default to true."));
    (vec![set], vec![Type::from(value_type())])
}
