//! Cursor connections: the value behind a `…Connection` field, computed lazily so that a page,
//! its `totalCount` and its `aggregate` each cost a statement only when selected.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dynamic::ResolverContext;
use async_graphql::{SelectionField, Value};
use sea_orm::sea_query::Condition;
use tokio::sync::OnceCell;

use super::context::RequestData;
use super::fetch::{
    AggFn, BatchKey, DEFAULT_PAGE, Loaded, MAX_PAGE, PageArgs, Shape, Work, filter_id, run,
};
use super::filter::condition;
use super::order::Ordering;
use super::select::columns_for;
use super::spec::{Column, Kind, Table};
use super::sql::{Row, Scope};
use super::value::{Cell, Key};
use crate::error::ApiError;

/// One page of rows with its cursors.
#[derive(Debug)]
pub struct Page {
    /// Rows in order.
    pub rows: Vec<Arc<Row>>,
    /// Cursor of each row.
    pub cursors: Vec<String>,
    /// Whether rows follow the page.
    pub has_next: bool,
    /// Whether rows precede the page.
    pub has_previous: bool,
}

/// The value of a connection field.
pub struct Conn {
    table: &'static Table,
    key: &'static Column,
    parent: Option<Key>,
    columns: Vec<&'static Column>,
    args: PageArgs,
    scope: Scope,
    page: OnceCell<Arc<Page>>,
}

impl Conn {
    /// A connection over `table`'s rows whose `key` column equals `parent` (`None`: all rows),
    /// built from the field's arguments and selection.
    pub fn new(
        ctx: &ResolverContext<'_>,
        table: &'static Table,
        key: &'static Column,
        parent: Option<Key>,
        scope: Scope,
    ) -> Result<Conn, ApiError> {
        let first = int_arg(ctx, "first")?;
        let last = int_arg(ctx, "last")?;
        if first.is_some() && last.is_some() {
            return Err(ApiError::input("last", "give `first` or `last`, not both"));
        }
        let limit = first.or(last).unwrap_or(DEFAULT_PAGE);
        let where_value = ctx.args.get("where").map(|v| v.as_value().clone());
        let filter = match &where_value {
            Some(v) => condition(table, v, &scope, "where")?,
            None => Condition::all(),
        };
        let order_value = ctx.args.get("orderBy").map(|v| v.as_value().clone());
        let order = Ordering::parse(table, order_value.as_ref())?;
        let after = string_arg(ctx, "after")
            .map(|c| order.decode(&c, "after"))
            .transpose()?;
        let before = string_arg(ctx, "before")
            .map(|c| order.decode(&c, "before"))
            .transpose()?;
        let args = PageArgs {
            filter,
            filter_id: filter_id(where_value.as_ref()),
            order,
            limit,
            backward: last.is_some(),
            after,
            before,
        };
        let columns = node_columns(table, ctx.ctx.field(), scope.source);
        Ok(Conn {
            table,
            key,
            parent,
            columns,
            args,
            scope,
            page: OnceCell::new(),
        })
    }

    async fn load(
        &self,
        data: &RequestData,
        work: Work,
        columns: Vec<&'static Column>,
    ) -> Result<Arc<Loaded>, ApiError> {
        let shape = Arc::new(Shape::new(
            self.table,
            self.key,
            columns,
            work,
            self.scope.clone(),
        ));
        match &self.parent {
            Some(parent) => data
                .loader
                .load_one(BatchKey {
                    shape,
                    parent: parent.clone(),
                })
                .await
                .map_err(|e| ApiError::Internal(e.message))?
                .ok_or_else(|| ApiError::Internal("batch answered no value".into())),
            None => {
                let mut out = run(&data.conns, &shape, None).await?;
                out.pop()
                    .map(|(_, l)| Arc::new(l))
                    .ok_or_else(|| ApiError::Internal("statement answered no value".into()))
            }
        }
    }

    /// The page (loaded once).
    pub async fn page(&self, data: &RequestData) -> Result<Arc<Page>, ApiError> {
        self.page
            .get_or_try_init(|| async {
                let loaded = self
                    .load(data, Work::Page(self.args.clone()), self.columns.clone())
                    .await?;
                let Loaded::Rows(rows) = loaded.as_ref() else {
                    return Err(ApiError::Internal("a page answered aggregates".into()));
                };
                let limit = usize::try_from(self.args.limit).unwrap_or(usize::MAX);
                let more = rows.len() > limit;
                let mut rows: Vec<Arc<Row>> =
                    rows.iter().take(limit).cloned().map(Arc::new).collect();
                let (has_next, has_previous) = if self.args.backward {
                    rows.reverse();
                    (self.args.before.is_some(), more)
                } else {
                    (more, self.args.after.is_some())
                };
                let cursors = rows.iter().map(|r| self.args.order.cursor(r)).collect();
                Ok(Arc::new(Page {
                    rows,
                    cursors,
                    has_next,
                    has_previous,
                }))
            })
            .await
            .cloned()
    }

    /// `COUNT(*)` under the filter, ignoring the page.
    pub async fn total(&self, data: &RequestData) -> Result<i64, ApiError> {
        let work = Work::Count(self.args.filter.clone(), self.args.filter_id.clone());
        let loaded = self.load(data, work, vec![]).await?;
        match loaded.as_ref() {
            Loaded::Aggregate(m) => match m.get("count") {
                Some(Cell::Int(n)) => Ok(*n),
                _ => Ok(0),
            },
            Loaded::Rows(_) => Err(ApiError::Internal("a count answered rows".into())),
        }
    }

    /// Count and the aggregates selected under `field` (`aggregate { sum { … } … }`).
    pub async fn aggregate(
        &self,
        data: &RequestData,
        field: SelectionField<'_>,
    ) -> Result<HashMap<String, Cell>, ApiError> {
        let mut fns: Vec<(AggFn, &'static Column)> = Vec::new();
        for f in field.selection_set() {
            let agg = match f.name() {
                "sum" => AggFn::Sum,
                "avg" => AggFn::Avg,
                "min" => AggFn::Min,
                "max" => AggFn::Max,
                _ => continue,
            };
            for g in f.selection_set() {
                if let Some(c) = numeric_column(self.table, g.name())
                    && !fns.iter().any(|(a, x)| *a == agg && x.name == c.name)
                {
                    fns.push((agg, c));
                }
            }
        }
        let work = Work::Aggregate(self.args.filter.clone(), self.args.filter_id.clone(), fns);
        match self.load(data, work, vec![]).await?.as_ref() {
            Loaded::Aggregate(m) => Ok(m.clone()),
            Loaded::Rows(_) => Err(ApiError::Internal("an aggregate answered rows".into())),
        }
    }
}

/// The numeric column a field of an aggregate names.
pub fn numeric_column(table: &'static Table, field: &str) -> Option<&'static Column> {
    table.columns.iter().find(|c| {
        c.kind.is_numeric() && c.read == super::spec::Read::Everyone && c.field_name(table) == field
    })
}

/// Columns read for the nodes selected under a connection field (`edges { node }`, `nodes`).
fn node_columns(
    table: &'static Table,
    field: SelectionField<'_>,
    source: &'static super::spec::Source,
) -> Vec<&'static Column> {
    let mut out = Vec::new();
    for f in field.selection_set() {
        match f.name() {
            "nodes" => out.extend(columns_for(table, f, source)),
            "edges" => {
                for g in f.selection_set() {
                    if g.name() == "node" {
                        out.extend(columns_for(table, g, source));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn int_arg(ctx: &ResolverContext<'_>, name: &str) -> Result<Option<u64>, ApiError> {
    let Some(v) = ctx.args.get(name) else {
        return Ok(None);
    };
    if v.is_null() {
        return Ok(None);
    }
    let n = v
        .i64()
        .map_err(|_| ApiError::input(name, "expected an integer"))?;
    if n < 0 {
        return Err(ApiError::input(
            name,
            format!("`{name}` must not be negative"),
        ));
    }
    let n = n as u64;
    if n > MAX_PAGE {
        return Err(ApiError::input(
            name,
            format!("`{name}` may be at most {MAX_PAGE}"),
        ));
    }
    Ok(Some(n))
}

fn string_arg(ctx: &ResolverContext<'_>, name: &str) -> Option<String> {
    ctx.args.get(name).and_then(|v| match v.as_value() {
        Value::String(s) => Some(s.clone()),
        _ => None,
    })
}

/// Whether a kind can key a relation (single-column keys).
pub fn is_key_kind(kind: Kind) -> bool {
    matches!(kind, Kind::Uuid | Kind::Text | Kind::Int | Kind::BigInt)
}
