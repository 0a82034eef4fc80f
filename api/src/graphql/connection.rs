//! Cursor connections: the value behind a `…Connection` field, computed lazily so that a page,
//! its `totalCount` and its `aggregate` each cost a statement only when selected.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use async_graphql::Value;
use sea_orm::sea_query::Condition;
use tokio::sync::OnceCell;

use super::batch::Then;
use super::children::prefetch_rows;
use super::context::{Ctx, RequestData};
use super::fetch::{
    AggFn, BatchKey, DEFAULT_PAGE, Loaded, MAX_PAGE, PageArgs, Shape, Work, filter_id, run,
};
use super::filter::condition;
use super::inline::{Inline, inlines_for_all};
use super::order::Ordering;
use super::plan::Plan;
use super::select::columns_for;
use super::spec::{Column, Kind, Source, Table};
use super::sql::{Row, Scope};
use super::value::{Cell, Key};
use crate::error::ApiError;

/// One page of rows; cursors are written only for the rows a client asks them of.
pub struct Page {
    /// Rows in order.
    pub rows: Vec<Arc<Row>>,
    cursors: Cursors,
    /// Whether rows follow the page.
    pub has_next: bool,
    /// Whether rows precede the page.
    pub has_previous: bool,
}

enum Cursors {
    /// Written from each row by the connection's ordering.
    Ordered(Arc<ConnSpec>),
    /// Given, one per item, for pages of items that are not rows.
    Given(Vec<String>),
}

impl Page {
    /// A page of items other than rows, with their cursors.
    pub fn of_cursors(cursors: Vec<String>, has_next: bool, has_previous: bool) -> Page {
        Page {
            rows: Vec::new(),
            cursors: Cursors::Given(cursors),
            has_next,
            has_previous,
        }
    }

    /// The cursor of item `i` of the page.
    pub fn cursor(&self, i: usize) -> Option<String> {
        match &self.cursors {
            Cursors::Ordered(spec) => self.rows.get(i).map(|r| spec.args.order.cursor(r)),
            Cursors::Given(all) => all.get(i).cloned(),
        }
    }

    /// How many items the page holds.
    pub fn len(&self) -> usize {
        match &self.cursors {
            Cursors::Ordered(_) => self.rows.len(),
            Cursors::Given(all) => all.len(),
        }
    }

    /// Whether the page is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What every parent's instance of one connection field shares: its arguments, columns, inline
/// fields and statement shapes. Built once per field and table of a request (see
/// [`super::context::Memo`]): rebuilding it for each of 200 parent rows was a fifth of the
/// home feed's CPU.
#[derive(Clone)]
pub struct ConnSpec {
    table: &'static Table,
    key: &'static Column,
    columns: Vec<&'static Column>,
    /// Fields of the nodes answered in the page's statement.
    inline: Vec<Inline>,
    args: PageArgs,
    scope: Scope,
    page_shape: OnceLock<Arc<Shape>>,
    total_shape: OnceLock<Arc<Shape>>,
}

/// The value of a connection field.
pub struct Conn {
    spec: Arc<ConnSpec>,
    parent: Option<Key>,
    page: OnceCell<Arc<Page>>,
}

impl ConnSpec {
    /// A connection over `table`'s rows keyed by `key`, built from the field's arguments and
    /// selection.
    pub fn new(
        field: &Plan,
        table: &'static Table,
        key: &'static Column,
        scope: Scope,
    ) -> Result<ConnSpec, ApiError> {
        let args: HashMap<String, Value> = field
            .args
            .clone()
            .map_err(|e| ApiError::input(field.name.as_str(), e))?
            .into_iter()
            .map(|(n, v)| (n.to_string(), v))
            .collect();
        let first = int_arg(&args, "first")?;
        let last = int_arg(&args, "last")?;
        if first.is_some() && last.is_some() {
            return Err(ApiError::input("last", "give `first` or `last`, not both"));
        }
        let limit = first.or(last).unwrap_or(DEFAULT_PAGE);
        let where_value = args
            .get("where")
            .filter(|v| !matches!(v, Value::Null))
            .cloned();
        let filter = match &where_value {
            Some(v) => condition(table, v, &scope, "where")?,
            None => Condition::all(),
        };
        let order_value = args.get("orderBy").cloned();
        let order = Ordering::parse(scope.source, table, order_value.as_ref())?;
        let after = string_arg(&args, "after")
            .map(|c| order.decode(&c, "after"))
            .transpose()?;
        let before = string_arg(&args, "before")
            .map(|c| order.decode(&c, "before"))
            .transpose()?;
        let page_args = PageArgs {
            filter,
            filter_id: filter_id(where_value.as_ref()),
            order,
            limit,
            backward: last.is_some(),
            after,
            before,
        };
        let columns = node_columns(table, field, scope.source);
        let nodes = field.sub("nodes");
        let inline = inlines_for_all(
            table,
            nodes.chain(field.sub("edges").flat_map(|e| e.sub("node"))),
            &scope,
        );
        Ok(ConnSpec {
            inline,
            table,
            key,
            columns,
            args: page_args,
            scope,
            page_shape: OnceLock::new(),
            total_shape: OnceLock::new(),
        })
    }

    /// The same connection, restricted to rows meeting `cond` (for the page, its count and its
    /// aggregates); `id` identifies the condition.
    pub fn restrict(mut self, cond: Condition, id: &str) -> Self {
        self.args.filter = Condition::all().add(self.args.filter.clone()).add(cond);
        self.args.filter_id = format!("{}|{id}", self.args.filter_id);
        self.page_shape = OnceLock::new();
        self.total_shape = OnceLock::new();
        self
    }

    fn shape(&self, work: Work, columns: Vec<&'static Column>) -> Arc<Shape> {
        let page = matches!(work, Work::Page(_));
        let shape = Shape::new(self.table, self.key, columns, work, self.scope.clone());
        Arc::new(if page {
            shape.with_inline(self.inline.clone())
        } else {
            shape
        })
    }

    fn page_shape(&self) -> Arc<Shape> {
        self.page_shape
            .get_or_init(|| self.shape(Work::Page(self.args.clone()), self.columns.clone()))
            .clone()
    }

    fn total_shape(&self) -> Arc<Shape> {
        self.total_shape
            .get_or_init(|| self.shape(self.total_work(), vec![]))
            .clone()
    }

    fn total_work(&self) -> Work {
        Work::Count(self.args.filter.clone(), self.args.filter_id.clone())
    }
}

impl Conn {
    /// A connection over `table`'s rows whose `key` column equals `parent` (`None`: all rows),
    /// built from the field's arguments and selection.
    pub fn new(
        field: &Plan,
        table: &'static Table,
        key: &'static Column,
        parent: Option<Key>,
        scope: Scope,
    ) -> Result<Conn, ApiError> {
        Ok(Conn::of(
            Arc::new(ConnSpec::new(field, table, key, scope)?),
            parent,
        ))
    }

    /// The connection of `spec` under `parent`.
    pub fn of(spec: Arc<ConnSpec>, parent: Option<Key>) -> Conn {
        Conn {
            spec,
            parent,
            page: OnceCell::new(),
        }
    }

    fn aggregate_work(&self, field: &Plan) -> Work {
        let mut fns: Vec<(AggFn, &'static Column)> = Vec::new();
        for f in &field.children {
            let agg = match f.name.as_str() {
                "sum" => AggFn::Sum,
                "avg" => AggFn::Avg,
                "min" => AggFn::Min,
                "max" => AggFn::Max,
                _ => continue,
            };
            for g in &f.children {
                if let Some(c) = numeric_column(self.spec.table, &g.name)
                    && !fns.iter().any(|(a, x)| *a == agg && x.name == c.name)
                {
                    fns.push((agg, c));
                }
            }
        }
        let args = &self.spec.args;
        Work::Aggregate(args.filter.clone(), args.filter_id.clone(), fns)
    }

    /// The same connection, restricted to rows meeting `cond` (see [`ConnSpec::restrict`]).
    pub fn restrict(self, cond: Condition, id: &str) -> Self {
        let spec = Arc::unwrap_or_clone(self.spec).restrict(cond, id);
        Conn::of(Arc::new(spec), self.parent)
    }

    /// Registers, without waiting, every load the connection's selection will need, so that
    /// it goes out in the same batch as its siblings'; when the page arrives, its rows'
    /// selection is prefetched in turn (see `children`).
    pub fn prefetch(&self, ctx: &Ctx, source: &'static Source, field: &Arc<Plan>) {
        let Some(parent) = &self.parent else {
            return;
        };
        let key = |shape: Arc<Shape>| BatchKey {
            shape,
            parent: parent.clone(),
        };
        let mut paged = false;
        for f in &field.children {
            match f.name.as_str() {
                "edges" | "nodes" | "pageInfo" if !paged => {
                    paged = true;
                    let limit = usize::try_from(self.spec.args.limit).unwrap_or(usize::MAX);
                    let next = ctx.clone();
                    let field = field.clone();
                    let then: Then = Box::new(move |loaded: &Arc<Loaded>| {
                        if let Loaded::Rows(rows) = loaded.as_ref() {
                            let rows: Vec<Arc<Row>> =
                                rows.iter().take(limit).cloned().map(Arc::new).collect();
                            for nodes in field.sub("nodes") {
                                prefetch_rows(&next, source, &rows, nodes);
                            }
                            for node in field.sub("edges").flat_map(|e| e.sub("node")) {
                                prefetch_rows(&next, source, &rows, node);
                            }
                        }
                    });
                    let _pending = ctx
                        .loader
                        .request_then(key(self.spec.page_shape()), Some(then));
                }
                "totalCount" => {
                    let _pending = ctx.loader.request(key(self.spec.total_shape()));
                }
                "aggregate" => {
                    let _pending = ctx
                        .loader
                        .request(key(self.spec.shape(self.aggregate_work(f), vec![])));
                }
                _ => {}
            }
        }
    }

    async fn load(&self, data: &RequestData, shape: Arc<Shape>) -> Result<Arc<Loaded>, ApiError> {
        match &self.parent {
            Some(parent) => {
                data.loader
                    .load(BatchKey {
                        shape,
                        parent: parent.clone(),
                    })
                    .await
            }
            None => {
                let mut out = run(&data.conns, &shape, None).await?;
                out.pop()
                    .map(|(_, l)| Arc::new(l))
                    .ok_or_else(|| ApiError::Internal("statement answered no value".into()))
            }
        }
    }

    /// Whether the connection is a namespace root (not under a parent row).
    pub fn is_root(&self) -> bool {
        self.parent.is_none()
    }

    /// The page (loaded once).
    pub async fn page(&self, data: &RequestData) -> Result<Arc<Page>, ApiError> {
        self.page
            .get_or_try_init(|| async {
                let loaded = self.load(data, self.spec.page_shape()).await?;
                let Loaded::Rows(rows) = loaded.as_ref() else {
                    return Err(ApiError::Internal("a page answered aggregates".into()));
                };
                let args = &self.spec.args;
                let limit = usize::try_from(args.limit).unwrap_or(usize::MAX);
                let more = rows.len() > limit;
                let mut rows: Vec<Arc<Row>> =
                    rows.iter().take(limit).cloned().map(Arc::new).collect();
                let (has_next, has_previous) = if args.backward {
                    rows.reverse();
                    (args.before.is_some(), more)
                } else {
                    (more, args.after.is_some())
                };
                Ok(Arc::new(Page {
                    rows,
                    cursors: Cursors::Ordered(self.spec.clone()),
                    has_next,
                    has_previous,
                }))
            })
            .await
            .cloned()
    }

    /// `COUNT(*)` under the filter, ignoring the page.
    pub async fn total(&self, data: &RequestData) -> Result<i64, ApiError> {
        let loaded = self.load(data, self.spec.total_shape()).await?;
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
        field: &Plan,
    ) -> Result<HashMap<String, Cell>, ApiError> {
        let shape = self.spec.shape(self.aggregate_work(field), vec![]);
        match self.load(data, shape).await?.as_ref() {
            Loaded::Aggregate(m) => Ok(m.clone()),
            Loaded::Rows(_) => Err(ApiError::Internal("an aggregate answered rows".into())),
        }
    }
}

/// The numeric column a field of an aggregate names.
pub fn numeric_column(table: &'static Table, field: &str) -> Option<&'static Column> {
    table
        .columns
        .iter()
        .find(|c| c.aggregatable() && c.field_name(table) == field)
}

/// Columns read for the nodes selected under a connection field (`edges { node }`, `nodes`).
fn node_columns(
    table: &'static Table,
    field: &Plan,
    source: &'static super::spec::Source,
) -> Vec<&'static Column> {
    let mut out = Vec::new();
    for f in field.sub("nodes") {
        out.extend(columns_for(table, f, source));
    }
    for g in field.sub("edges").flat_map(|e| e.sub("node")) {
        out.extend(columns_for(table, g, source));
    }
    out
}

fn int_arg(args: &HashMap<String, Value>, name: &str) -> Result<Option<u64>, ApiError> {
    let n = match args.get(name) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .ok_or_else(|| ApiError::input(name, "expected an integer"))?,
        Some(_) => return Err(ApiError::input(name, "expected an integer")),
    };
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

fn string_arg(args: &HashMap<String, Value>, name: &str) -> Option<String> {
    match args.get(name) {
        Some(Value::String(s)) => Some(s.clone()),
        _ => None,
    }
}

/// Whether a kind can key a relation (single-column keys).
pub fn is_key_kind(kind: Kind) -> bool {
    matches!(kind, Kind::Uuid | Kind::Text | Kind::Int | Kind::BigInt)
}
