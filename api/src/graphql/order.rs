//! `orderBy` and keyset cursors.
//!
//! An ordering is the requested columns followed by the primary key, so it is total. NULLs sort
//! as the greatest value on both backends (`ASC NULLS LAST`, `DESC NULLS FIRST`). A cursor holds
//! the values of every ordering column of its row plus a fingerprint of the ordering; a cursor
//! made under another ordering is refused instead of silently paging wrong.

use async_graphql::Value;
use async_graphql::dynamic::{Enum, EnumItem};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sea_orm::sea_query::{
    Condition, Expr, ExprTrait, NullOrdering, Order, SelectStatement, WindowStatement,
};

use super::spec::Read;
use super::spec::{Column, Source, Table, screaming};
use super::sql::{Row, Scope, value_expr, viewer_expr};
use super::value::Cell;
use crate::error::ApiError;

/// A total ordering of a table's rows.
#[derive(Debug, Clone)]
pub struct Ordering {
    /// The table ordered.
    pub table: &'static Table,
    /// `(column, descending)` pairs, primary key last.
    pub keys: Vec<(&'static Column, bool)>,
}

/// Name of a table's `orderBy` enum.
pub fn order_type_name(table: &Table) -> String {
    format!("{}OrderBy", table.type_name)
}

/// The `orderBy` enum of a table: `<FIELD>_ASC` / `<FIELD>_DESC` per orderable column.
pub fn order_enum(table: &'static Table) -> Enum {
    let mut e = Enum::new(order_type_name(table)).description(format!(
        "Orderings of `{}` rows; the primary key always breaks ties.",
        table.type_name
    ));
    for c in orderable(table) {
        let f = screaming(&c.field_name(table));
        e = e
            .item(EnumItem::new(format!("{f}_ASC")).description(format!(
                "By `{}`, ascending (nulls last).",
                c.field_name(table)
            )))
            .item(EnumItem::new(format!("{f}_DESC")).description(format!(
                "By `{}`, descending (nulls first).",
                c.field_name(table)
            )));
    }
    e
}

/// Columns that can order: a column shown by its owner's setting orders by the value as the
/// viewer reads it (hidden values sort as nulls, see [`viewer_expr`]); owner-only columns do
/// not order.
fn orderable(table: &'static Table) -> impl Iterator<Item = &'static Column> {
    table
        .columns
        .iter()
        .filter(|c| c.kind.is_orderable() && c.read != Read::Owner)
}

/// The creation time of a table's rows (`created_at`; `createdAt` in the Mind-vault auth
/// tables), which orders its lists by default.
fn created(table: &'static Table) -> Option<&'static Column> {
    table
        .columns
        .iter()
        .find(|c| matches!(c.name, "created_at" | "createdAt") && c.kind.is_orderable())
}

impl Ordering {
    /// Parses an `orderBy` argument (absent: the source's default ordering of the table, else
    /// newest first by its creation time, else primary key ascending); the primary key ends
    /// every ordering.
    pub fn parse(
        source: &'static Source,
        table: &'static Table,
        value: Option<&Value>,
    ) -> Result<Ordering, ApiError> {
        let mut keys: Vec<(&'static Column, bool)> = Vec::new();
        let absent = match value {
            None | Some(Value::Null) => true,
            Some(Value::List(l)) => l.is_empty(),
            Some(_) => false,
        };
        if absent {
            match source.default_orders.iter().find(|(t, _)| *t == table.name) {
                Some((_, order)) => {
                    for (name, desc) in *order {
                        let c = table.column(name).ok_or_else(|| {
                            ApiError::Internal(format!("{}.{name} is not described", table.name))
                        })?;
                        keys.push((c, *desc));
                    }
                }
                // Newest first: most keys are random (UUIDs, nanoids), so key order alone
                // would read a chat or a feed out of order.
                None => keys.extend(created(table).map(|c| (c, true))),
            }
        }
        let items = match value {
            Some(Value::List(items)) => items.clone(),
            Some(Value::Null) | None => vec![],
            Some(other) => vec![other.clone()],
        };
        for item in items {
            let name = match &item {
                Value::Enum(n) => n.to_string(),
                Value::String(s) => s.clone(),
                _ => return Err(ApiError::input("orderBy", "expected an ordering value")),
            };
            let found = orderable(table).find_map(|c| {
                let f = screaming(&c.field_name(table));
                if name == format!("{f}_ASC") {
                    Some((c, false))
                } else if name == format!("{f}_DESC") {
                    Some((c, true))
                } else {
                    None
                }
            });
            let (c, desc) = found
                .ok_or_else(|| ApiError::input("orderBy", format!("unknown ordering `{name}`")))?;
            if keys.iter().any(|(k, _)| k.name == c.name) {
                return Err(ApiError::input(
                    "orderBy",
                    format!("`{name}` orders by a column twice"),
                ));
            }
            keys.push((c, desc));
        }
        for pk in table.pk {
            if !keys.iter().any(|(k, _)| k.name == *pk) {
                let c = table.column(pk).ok_or_else(|| {
                    ApiError::Internal(format!("{}.{pk} is not described", table.name))
                })?;
                keys.push((c, false));
            }
        }
        Ok(Ordering { table, keys })
    }

    /// The ordering as `orderBy` values (`CREATED_AT_DESC, ROW_ID_ASC`), for documentation.
    pub fn names(&self) -> String {
        self.keys
            .iter()
            .map(|(c, desc)| {
                let dir = if *desc { "DESC" } else { "ASC" };
                format!("{}_{dir}", screaming(&c.field_name(self.table)))
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Identifies the ordering inside cursors.
    pub fn fingerprint(&self) -> String {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let text = self
            .keys
            .iter()
            .map(|(c, d)| format!("{}:{}", c.name, if *d { "d" } else { "a" }))
            .collect::<Vec<_>>()
            .join(",");
        for b in format!("{}|{text}", self.table.type_name).bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        format!("{h:016x}")
    }

    /// The columns the ordering reads.
    pub fn columns(&self) -> impl Iterator<Item = &'static Column> + '_ {
        self.keys.iter().map(|(c, _)| *c)
    }

    fn direction(desc: bool, reverse: bool) -> (Order, NullOrdering) {
        if desc != reverse {
            (Order::Desc, NullOrdering::First)
        } else {
            (Order::Asc, NullOrdering::Last)
        }
    }

    /// `ORDER BY` of a select (reversed for `last`/`before`).
    pub fn apply(&self, select: &mut SelectStatement, reverse: bool, scope: &Scope) {
        for (c, desc) in &self.keys {
            let (o, n) = Self::direction(*desc, reverse);
            select.order_by_expr_with_nulls(viewer_expr(self.table, c, scope), o, n);
        }
    }

    /// The same order inside a window.
    pub fn apply_window(&self, window: &mut WindowStatement, reverse: bool, scope: &Scope) {
        for (c, desc) in &self.keys {
            let (o, n) = Self::direction(*desc, reverse);
            window.order_by_expr_with_nulls(viewer_expr(self.table, c, scope), o, n);
        }
    }

    /// The cursor of a row.
    pub fn cursor(&self, row: &Row) -> String {
        let values: Vec<serde_json::Value> = self
            .keys
            .iter()
            .map(|(c, _)| row.get(c.name).to_json())
            .collect();
        let doc = serde_json::json!({ "o": self.fingerprint(), "v": values });
        URL_SAFE_NO_PAD.encode(doc.to_string())
    }

    /// The ordering values held by a cursor; `arg` names the argument in errors.
    pub fn decode(&self, cursor: &str, arg: &str) -> Result<Vec<Cell>, ApiError> {
        let bad = || ApiError::input(arg, "malformed cursor");
        let bytes = URL_SAFE_NO_PAD.decode(cursor.trim()).map_err(|_| bad())?;
        let doc: serde_json::Value = serde_json::from_slice(&bytes).map_err(|_| bad())?;
        if doc.get("o").and_then(|o| o.as_str()) != Some(self.fingerprint().as_str()) {
            return Err(ApiError::input(
                arg,
                "this cursor belongs to another list or another orderBy; request the first page again",
            ));
        }
        let values = doc.get("v").and_then(|v| v.as_array()).ok_or_else(bad)?;
        if values.len() != self.keys.len() {
            return Err(bad());
        }
        self.keys
            .iter()
            .zip(values)
            .map(|((c, _), v)| Cell::from_json(c.kind, v).ok_or_else(bad))
            .collect()
    }

    /// Rows strictly after the cursor values in this ordering (before them when `reverse`).
    pub fn keyset(&self, values: &[Cell], reverse: bool, scope: &Scope) -> Condition {
        let mut any = Condition::any();
        for i in 0..self.keys.len() {
            let mut all = Condition::all();
            for ((c, _), value) in self.keys.iter().zip(values).take(i) {
                let c = *c;
                all = all.add(match value {
                    Cell::Null => viewer_expr(self.table, c, scope).is_null(),
                    v => viewer_expr(self.table, c, scope).eq(value_expr_read(c, v, scope)),
                });
            }
            let (c, desc) = self.keys[i];
            let col = viewer_expr(self.table, c, scope);
            // NULL is the greatest value: after it in ascending order comes nothing.
            let ascending = desc == reverse;
            let after = match (&values[i], ascending) {
                (Cell::Null, true) => Condition::all().add(Expr::cust("1 = 0")),
                (Cell::Null, false) => Condition::all().add(col.is_not_null()),
                (v, true) => {
                    let gt = Condition::any().add(col.clone().gt(value_expr_read(c, v, scope)));
                    // A hidden value reads null even in a NOT NULL column.
                    if c.graphql_nullable() {
                        gt.add(col.is_null())
                    } else {
                        gt
                    }
                }
                (v, false) => Condition::all().add(col.lt(value_expr_read(c, v, scope))),
            };
            any = any.add(all.add(after));
        }
        any
    }
}

/// A value compared with [`viewer_expr`] of a column: enums are read as text there, so their
/// values stay text.
fn value_expr_read(c: &'static Column, v: &Cell, scope: &Scope) -> Expr {
    match c.kind {
        super::spec::Kind::Enum(_) => Expr::val(v.sql(c.kind, scope.backend)),
        _ => value_expr(c, v, scope.backend),
    }
}
