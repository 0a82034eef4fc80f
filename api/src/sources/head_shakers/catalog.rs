//! Head Shakers writes: the catalog — collections, sub-collections, bobbleheads, their photos
//! and tags (HS-OP01..OP16).
//!
//! Only the owner writes. Every input is checked against the seed's limits before anything
//! is written, and every write that spans rows runs in one transaction, so a failing
//! statement leaves nothing behind. The aggregates — `collections.total_items`,
//! `total_value`, `last_item_added_at`, `sub_collections.item_count` and `tags.usage_count` —
//! change by `UPDATE … SET n = n + delta` in the transaction of the row they count (HS-A07):
//! items and values count non-deleted bobbleheads, `usage_count` counts tag links. On SQLite
//! decimals are `REAL`, bound as doubles (as the read layer binds them) and the sum is rounded
//! to cents so repeated additions cannot drift.

use std::collections::HashSet;

use entity::head_shakers::{collections as collection_rows, sub_collections};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query, Value};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait};
use uuid::Uuid;

use super::write::target_owner;
use crate::error::ApiError;
use crate::graphql::spec::Kind;
use crate::graphql::sql::Scope;
use crate::graphql::value::Cell;
use crate::graphql::write::{begin, commit, db_error};

mod collections;
mod items;
mod media;

pub use collections::{
    create_collection, create_sub_collection, delete_collection, delete_sub_collection,
    reorder_sub_collections, update_collection, update_sub_collection,
};
pub use items::{
    create_bobblehead, delete_bobblehead, move_bobblehead, restore_bobblehead, update_bobblehead,
};
pub use media::{
    add_photo, create_tag, delete_photo, delete_tag, reorder_photos, set_primary_photo,
    tag_bobblehead, untag_bobblehead, update_tag,
};

/// How an input column is checked before it is written.
#[derive(Debug, Clone, Copy)]
pub enum Rule {
    /// Text of at most `max` characters; `required` text is never NULL nor blank.
    Text {
        /// Longest value (the column's `varchar(n)`), if bounded.
        max: Option<usize>,
        /// Whether the column is `NOT NULL` and must not be blank.
        required: bool,
    },
    /// A `NOT NULL` boolean.
    Flag,
    /// An integer within `min..=max`.
    Int {
        /// Smallest value.
        min: i64,
        /// Largest value.
        max: i64,
    },
    /// A decimal with at most two places, `>= 0` (or `> 0` when `positive`), at most `max_cents / 100`.
    Money {
        /// Whether zero is refused.
        positive: bool,
        /// The largest value in hundredths (the column's precision).
        max_cents: i64,
    },
    /// A colour `#RRGGBB`.
    Color,
    /// A flat JSON object of scalars (HS-J01).
    Flat,
    /// A timestamp (UTC).
    Time,
}

/// One writable column and the GraphQL argument that sets it.
#[derive(Debug)]
pub struct Input {
    /// Column name.
    pub column: &'static str,
    /// Argument name.
    pub arg: &'static str,
    /// Check.
    pub rule: Rule,
    /// Argument description.
    pub doc: &'static str,
}

impl Input {
    /// The column's kind, as the read layer knows it.
    pub fn kind(&self) -> Kind {
        match self.rule {
            Rule::Text { .. } | Rule::Color => Kind::Text,
            Rule::Flag => Kind::Bool,
            Rule::Int { .. } => Kind::Int,
            Rule::Money { .. } => Kind::Decimal(Some(2)),
            Rule::Flat => Kind::Json,
            Rule::Time => Kind::Timestamp,
        }
    }

    /// Whether a create must give it.
    pub fn required(&self) -> bool {
        matches!(self.rule, Rule::Text { required: true, .. })
    }
}

const fn inp(column: &'static str, arg: &'static str, rule: Rule, doc: &'static str) -> Input {
    Input {
        column,
        arg,
        rule,
        doc,
    }
}
const fn text(max: usize) -> Rule {
    Rule::Text {
        max: Some(max),
        required: false,
    }
}
const fn name(max: usize) -> Rule {
    Rule::Text {
        max: Some(max),
        required: true,
    }
}
const FREE: Rule = Rule::Text {
    max: None,
    required: false,
};
const URL: Rule = Rule::Text {
    max: None,
    required: true,
};
const SORT: Rule = Rule::Int {
    min: 0,
    max: i32::MAX as i64,
};
const SIZE: Rule = Rule::Int {
    min: 1,
    max: i32::MAX as i64,
};
const YEAR: Rule = Rule::Int {
    min: 1800,
    max: 2100,
};
const fn money(positive: bool, max_cents: i64) -> Rule {
    Rule::Money {
        positive,
        max_cents,
    }
}

/// Writable columns of `collections`.
#[rustfmt::skip]
pub static COLLECTION: &[Input] = &[
    inp("name", "name", name(100), "Collection name (1 to 100 characters)."),
    inp("description", "description", FREE, "Free-text description."),
    inp("is_public", "isPublic", Rule::Flag, "Whether everyone may see it (default true)."),
    inp("cover_image_url", "coverImageUrl", FREE, "Cover image URL."),
];

/// Writable columns of `sub_collections`.
#[rustfmt::skip]
pub static SUB_COLLECTION: &[Input] = &[
    inp("name", "name", name(100), "Sub-collection name (1 to 100 characters)."),
    inp("description", "description", FREE, "Free-text description."),
    inp("is_public", "isPublic", Rule::Flag, "Whether everyone who sees the collection may see it (default true)."),
    inp("sort_order", "sortOrder", SORT, "Position in the collection (>= 0; default: after the last)."),
    inp("cover_image_url", "coverImageUrl", FREE, "Cover image URL."),
];

/// Writable metadata columns of `bobbleheads` (placement is set by create and move).
#[rustfmt::skip]
pub static BOBBLEHEAD: &[Input] = &[
    inp("name", "name", name(200), "Item name (1 to 200 characters)."),
    inp("description", "description", FREE, "Free-text description."),
    inp("category", "category", text(50), "Category (at most 50 characters)."),
    inp("character_name", "characterName", text(100), "Character or person depicted (at most 100 characters)."),
    inp("manufacturer", "manufacturer", text(100), "Maker (at most 100 characters)."),
    inp("series", "series", text(100), "Product series (at most 100 characters)."),
    inp("year", "year", YEAR, "Year of release (1800 to 2100)."),
    inp("height", "height", money(true, 99_999), "Height (> 0, at most 999.99, two decimal places)."),
    inp("weight", "weight", money(true, 999_999), "Weight (> 0, at most 9999.99, two decimal places)."),
    inp("material", "material", text(100), "Material (at most 100 characters)."),
    inp("current_condition", "currentCondition", text(20), "Condition, e.g. `mint`, `excellent` (at most 20 characters; default `excellent`)."),
    inp("status", "status", text(20), "Ownership status, e.g. `owned`, `for_sale` (at most 20 characters; default `owned`)."),
    inp("purchase_price", "purchasePrice", money(false, 9_999_999_999), "Price paid (>= 0, at most 99999999.99, two decimal places); counted in the collection's `totalValue`."),
    inp("purchase_location", "purchaseLocation", text(100), "Where it was bought (at most 100 characters)."),
    inp("acquisition_method", "acquisitionMethod", text(50), "How it was acquired, e.g. `purchase`, `gift` (at most 50 characters)."),
    inp("acquisition_date", "acquisitionDate", Rule::Time, "When it was acquired."),
    inp("custom_fields", "customFields", Rule::Flat, "Extra fields: a flat JSON object whose values are strings, numbers, booleans or null."),
    inp("is_public", "isPublic", Rule::Flag, "Whether everyone may see it (default: public unless the owner's `defaultItemPrivacy` says otherwise)."),
];

/// Writable columns of `bobblehead_photos`.
#[rustfmt::skip]
pub static PHOTO: &[Input] = &[
    inp("url", "url", URL, "Image URL."),
    inp("alt_text", "altText", text(255), "Alternative text (at most 255 characters)."),
    inp("caption", "caption", FREE, "Caption."),
    inp("sort_order", "sortOrder", SORT, "Position among the photos (>= 0; default: after the last)."),
    inp("is_primary", "isPrimary", Rule::Flag, "Whether it becomes the main photo (the previous one stops being primary)."),
    inp("width", "width", SIZE, "Width in pixels (> 0)."),
    inp("height", "height", SIZE, "Height in pixels (> 0)."),
    inp("file_size", "fileSize", SORT, "File size in bytes (>= 0)."),
];

/// Writable columns of `tags`.
#[rustfmt::skip]
pub static TAG: &[Input] = &[
    inp("name", "name", name(50), "Tag name (1 to 50 characters, unique among the viewer's tags)."),
    inp("color", "color", Rule::Color, "Colour as `#RRGGBB` (default `#3B82F6`)."),
];

/// Given columns with their new values (`Cell::Null` sets NULL).
pub type Values = Vec<(&'static Input, Cell)>;

fn get<'a>(values: &'a Values, column: &str) -> Option<&'a Cell> {
    values
        .iter()
        .find(|(i, _)| i.column == column)
        .map(|(_, c)| c)
}

/// The values a create writes: NULLs dropped, so the columns' defaults apply.
fn given(values: &Values) -> Values {
    values
        .iter()
        .filter(|(_, c)| *c != Cell::Null)
        .cloned()
        .collect()
}

/// Checks every given value against its column's limits (`BAD_USER_INPUT` naming the argument).
pub fn check(values: &Values) -> Result<(), ApiError> {
    for (i, cell) in values {
        let bad = |m: String| Err(ApiError::input(i.arg, m));
        match (i.rule, cell) {
            (Rule::Text { required: true, .. } | Rule::Flag, Cell::Null) => {
                return bad(format!("{} cannot be null", i.arg));
            }
            (_, Cell::Null) => {}
            (Rule::Text { max, required }, Cell::Text(s)) => {
                if required && s.trim().is_empty() {
                    return bad(format!("{} cannot be blank", i.arg));
                }
                if let Some(max) = max
                    && s.chars().count() > max
                {
                    return bad(format!("{} has at most {max} characters", i.arg));
                }
            }
            (Rule::Int { min, max }, Cell::Int(n)) if !(min..=max).contains(n) => {
                return bad(format!("{} must be between {min} and {max}", i.arg));
            }
            (
                Rule::Money {
                    positive,
                    max_cents,
                },
                Cell::Decimal(d),
            ) => {
                if d.normalize().scale() > 2 {
                    return bad(format!("{} has at most two decimal places", i.arg));
                }
                let max = Decimal::new(max_cents, 2);
                if positive && *d <= Decimal::ZERO {
                    return bad(format!("{} must be greater than 0", i.arg));
                }
                if *d < Decimal::ZERO {
                    return bad(format!("{} cannot be negative", i.arg));
                }
                if *d > max {
                    return bad(format!("{} is at most {max}", i.arg));
                }
            }
            (Rule::Color, Cell::Text(s)) => {
                let b = s.as_bytes();
                if b.len() != 7 || b[0] != b'#' || !b[1..].iter().all(u8::is_ascii_hexdigit) {
                    return bad(format!("{} must be a colour #RRGGBB", i.arg));
                }
            }
            (Rule::Flat, Cell::Json(j)) => {
                let flat = j
                    .as_object()
                    .is_some_and(|o| o.values().all(|v| !(v.is_object() || v.is_array())));
                if !flat {
                    return bad(format!(
                        "{} must be a flat object of strings, numbers, booleans or nulls",
                        i.arg
                    ));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

use crate::graphql::write::now;

fn col(name: &str) -> Alias {
    Alias::new(name)
}

/// The value bound for `cell` in a column of `kind` (NULLs typed, so PostgreSQL accepts them).
fn bind(kind: Kind, cell: &Cell, backend: DbBackend) -> Value {
    let pg = backend == DbBackend::Postgres;
    match (cell, kind) {
        (Cell::Null, Kind::Int) => Value::Int(None),
        (Cell::Null, Kind::Bool) => Value::Bool(None),
        (Cell::Null, Kind::Decimal(_)) if pg => Value::Decimal(None),
        (Cell::Null, Kind::Decimal(_)) => Value::Double(None),
        (Cell::Null, Kind::Timestamp) => Value::ChronoDateTime(None),
        (Cell::Null, Kind::Json) => Value::Json(None),
        (Cell::Null, Kind::Uuid) => Value::Uuid(None),
        (Cell::Null, _) => Value::String(None),
        (cell, kind) => cell.sql(kind, backend),
    }
}

/// Inserts a row of `table`: the fixed columns and the given values.
async fn insert(
    db: &impl ConnectionTrait,
    table: &str,
    fixed: Vec<(&str, Value)>,
    values: &Values,
) -> Result<(), ApiError> {
    let backend = db.get_database_backend();
    let mut cols = Vec::new();
    let mut vals: Vec<Expr> = Vec::new();
    for (c, v) in fixed {
        cols.push(col(c));
        vals.push(Expr::val(v));
    }
    for (i, cell) in values {
        cols.push(col(i.column));
        vals.push(Expr::val(bind(i.kind(), cell, backend)));
    }
    let mut q = Query::insert();
    q.into_table(col(table))
        .columns(cols)
        .values(vals)
        .map_err(|e| ApiError::Internal(format!("insert into {table}: {e}")))?;
    db.execute(&q)
        .await
        .map_err(|e| db_error(e, table.trim_end_matches('s')))?;
    Ok(())
}

/// Updates row `id` of `table` with the given values and the fixed ones; answers the rows changed.
async fn update(
    db: &impl ConnectionTrait,
    table: &str,
    id: Uuid,
    fixed: Vec<(&str, Value)>,
    values: &Values,
) -> Result<u64, ApiError> {
    if values.is_empty() && fixed.is_empty() {
        return Ok(1);
    }
    let backend = db.get_database_backend();
    let mut q = Query::update();
    q.table(col(table));
    for (c, v) in fixed {
        q.value(col(c), Expr::val(v));
    }
    for (i, cell) in values {
        q.value(col(i.column), Expr::val(bind(i.kind(), cell, backend)));
    }
    q.and_where(Expr::col(col("id")).eq(id));
    Ok(db
        .execute(&q)
        .await
        .map_err(|e| db_error(e, table.trim_end_matches('s')))?
        .rows_affected())
}

/// `UPDATE table SET column = column + delta WHERE id = ?` (optionally `AND also = value`).
async fn bump(
    db: &impl ConnectionTrait,
    table: &str,
    column: &str,
    id: Uuid,
    delta: i32,
    also: Option<(&str, Uuid)>,
) -> Result<u64, ApiError> {
    let mut q = Query::update();
    q.table(col(table))
        .value(col(column), Expr::col(col(column)).add(delta))
        .and_where(Expr::col(col("id")).eq(id));
    if let Some((c, v)) = also {
        q.and_where(Expr::col(col(c)).eq(v));
    }
    Ok(db.execute(&q).await?.rows_affected())
}

/// Adds to a collection's aggregates: `items` bobbleheads worth `value`; `added` sets
/// `last_item_added_at`. Answers the rows changed.
async fn tally(
    db: &impl ConnectionTrait,
    collection: Uuid,
    items: i32,
    value: Decimal,
    added: Option<chrono::NaiveDateTime>,
) -> Result<u64, ApiError> {
    let backend = db.get_database_backend();
    let mut q = Query::update();
    q.table(col("collections"))
        .value(col("total_items"), Expr::col(col("total_items")).add(items));
    if !value.is_zero() {
        let sum = Expr::col(col("total_value"))
            .add(Cell::Decimal(value).sql(Kind::Decimal(Some(2)), backend));
        let sum = match backend {
            DbBackend::Postgres => sum,
            _ => Func::round_with_precision(sum, 2).into(),
        };
        q.value(col("total_value"), sum);
    }
    if let Some(at) = added {
        q.value(col("last_item_added_at"), at);
    }
    q.and_where(Expr::col(col("id")).eq(collection));
    Ok(db.execute(&q).await?.rows_affected())
}

/// Counts one more (or fewer) item in sub-collection `sub`, which must belong to `collection`.
async fn count_in(
    db: &impl ConnectionTrait,
    actor: Uuid,
    sub: Uuid,
    collection: Uuid,
    delta: i32,
) -> Result<(), ApiError> {
    let changed = bump(
        db,
        "sub_collections",
        "item_count",
        sub,
        delta,
        Some(("collection_id", collection)),
    )
    .await?;
    if changed > 0 {
        return Ok(());
    }
    // Only the actor's own sub-collections are named as misplaced; anyone else's does not
    // exist for this write, so a hidden one is not revealed.
    let mine = sub_collections::Entity::find_by_id(sub)
        .find_also_related(collection_rows::Entity)
        .one(db)
        .await?
        .and_then(|(_, c)| c)
        .is_some_and(|c| c.user_id == actor);
    if mine {
        Err(ApiError::input(
            "subCollectionId",
            "the sub-collection belongs to another collection",
        ))
    } else {
        Err(ApiError::NotFound(format!("no sub_collection {sub}")))
    }
}

/// Refuses unless `actor` owns the visible `kind` row `id` (`NOT_FOUND` when invisible).
async fn own(
    db: &DatabaseConnection,
    scope: &Scope,
    actor: Uuid,
    kind: &str,
    id: Uuid,
) -> Result<(), ApiError> {
    if target_owner(db, scope, kind, id).await? != actor {
        return Err(ApiError::Forbidden(format!(
            "only its owner may change this {kind}"
        )));
    }
    Ok(())
}

/// Sets `sort_order` 0, 1, … in the order of `ids`, which must be exactly the children of
/// `parent` in `table` (each once).
async fn reorder(
    db: &impl ConnectionTrait,
    table: &str,
    parent_col: &str,
    parent: Uuid,
    ids: &[Uuid],
) -> Result<(), ApiError> {
    let mut q = Query::select();
    q.column(col("id"))
        .from(col(table))
        .and_where(Expr::col(col(parent_col)).eq(parent));
    let existing = db
        .query_all(&q)
        .await?
        .iter()
        .map(|r| r.try_get::<Uuid>("", "id"))
        .collect::<Result<HashSet<_>, _>>()?;
    let given: HashSet<Uuid> = ids.iter().copied().collect();
    if given.len() != ids.len() || given != existing {
        return Err(ApiError::input(
            "ids",
            format!(
                "give every one of its {} {table} exactly once",
                existing.len()
            ),
        ));
    }
    for (n, id) in ids.iter().enumerate() {
        let n = i32::try_from(n).map_err(|_| ApiError::input("ids", "too many ids"))?;
        let mut q = Query::update();
        q.table(col(table))
            .value(col("sort_order"), n)
            .and_where(Expr::col(col("id")).eq(*id));
        db.execute(&q).await?;
    }
    Ok(())
}
