//! Statements of the read layer and the per-request batch loader that runs them.
//!
//! A [`Shape`] carries everything that shapes a statement: table, parent key column, filter,
//! order, page size, cursor, requested columns and the viewer's scope. Keys with the same shape
//! and different parents share one statement; nested pages use one windowed statement
//! (`ROW_NUMBER() OVER (PARTITION BY parent …)`) for all parents.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::Value;
use sea_orm::sea_query::{
    Alias, Condition, Expr, ExprTrait, Func, Query, SelectStatement, WindowStatement,
};
use sea_orm::{ConnectionTrait, DbBackend, QueryResult};

use super::inline::{self, Inline, fingerprint};
use super::order::Ordering;
use super::spec::{Column, Table};
use super::sql::{Row, Scope, fetch, qcol, rows, select_expr, visibility};
use super::value::{Cell, Key};
use crate::db::Connections;
use crate::error::ApiError;

/// Largest page a connection answers.
pub const MAX_PAGE: u64 = 100;
/// Page size when neither `first` nor `last` is given.
pub const DEFAULT_PAGE: u64 = 20;
const RN: &str = "__rn";
const PARENT: &str = "__parent";
const WINDOW: &str = "__w";

/// Arguments of one connection field.
#[derive(Debug, Clone)]
pub struct PageArgs {
    /// Parsed `where`.
    pub filter: Condition,
    /// Canonical text of `where` (part of the shape id).
    pub filter_id: String,
    /// The ordering.
    pub order: Ordering,
    /// Page size.
    pub limit: u64,
    /// Paging backwards (`last`).
    pub backward: bool,
    /// Keyset of `after`.
    pub after: Option<Vec<Cell>>,
    /// Keyset of `before`.
    pub before: Option<Vec<Cell>>,
}

impl PageArgs {
    fn id(&self) -> String {
        format!(
            "{}|{}|{}|{}|{:?}|{:?}",
            self.filter_id,
            self.order.fingerprint(),
            self.limit,
            self.backward,
            self.after
                .as_ref()
                .map(|v| v.iter().map(Cell::to_json).collect::<Vec<_>>()),
            self.before
                .as_ref()
                .map(|v| v.iter().map(Cell::to_json).collect::<Vec<_>>()),
        )
    }

    fn conditions(&self, scope: &Scope) -> Condition {
        let mut c = Condition::all().add(self.filter.clone());
        if let Some(a) = &self.after {
            c = c.add(self.order.keyset(a, false, scope));
        }
        if let Some(b) = &self.before {
            c = c.add(self.order.keyset(b, true, scope));
        }
        c
    }
}

/// An aggregate function over a numeric column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AggFn {
    /// `SUM`.
    Sum,
    /// `AVG`.
    Avg,
    /// `MIN`.
    Min,
    /// `MAX`.
    Max,
}

impl AggFn {
    /// The GraphQL field naming it.
    pub fn field(self) -> &'static str {
        match self {
            AggFn::Sum => "sum",
            AggFn::Avg => "avg",
            AggFn::Min => "min",
            AggFn::Max => "max",
        }
    }
}

/// What a statement computes.
#[derive(Debug, Clone)]
pub enum Work {
    /// Rows by key (relations, lookups, `node`).
    Rows,
    /// A page of rows.
    Page(PageArgs),
    /// `COUNT(*)` under a filter.
    Count(Condition, String),
    /// Count plus numeric aggregates under a filter.
    Aggregate(Condition, String, Vec<(AggFn, &'static Column)>),
}

/// Everything that shapes one statement except the parents' keys.
#[derive(Clone)]
pub struct Shape {
    id: String,
    /// The table read.
    pub table: &'static Table,
    /// The column matched against the parents' keys.
    pub key: &'static Column,
    /// Columns to read.
    pub columns: Vec<&'static Column>,
    /// What to compute.
    pub work: Work,
    /// The viewer's scope.
    pub scope: Scope,
    /// A further condition every row meets (fixed discriminators, the viewer's own rows).
    pub extra: Option<Condition>,
    /// Fields of the rows answered in the same statement (see `inline`).
    pub inline: Vec<Inline>,
}

impl Shape {
    /// Identifies everything that shapes the statement.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The same shape, answering `inline` fields of its rows in its own statement.
    pub fn with_inline(mut self, inline: Vec<Inline>) -> Self {
        if !inline.is_empty() {
            self.id.push_str("|i:");
            self.id.push_str(&fingerprint(&inline));
            self.inline = inline;
        }
        self
    }

    /// The same shape, restricted to rows meeting `cond`; `id` identifies the condition.
    pub fn restrict(mut self, cond: Condition, id: &str) -> Self {
        self.id.push_str("|x:");
        self.id.push_str(id);
        self.extra = Some(match self.extra.take() {
            Some(c) => Condition::all().add(c).add(cond),
            None => cond,
        });
        self
    }

    /// A shape; `columns` is completed with the key, the primary key, the owner and the
    /// ordering columns.
    pub fn new(
        table: &'static Table,
        key: &'static Column,
        mut columns: Vec<&'static Column>,
        work: Work,
        scope: Scope,
    ) -> Self {
        let mut add = |c: &'static Column| {
            if !columns.iter().any(|x| x.name == c.name) {
                columns.push(c);
            }
        };
        add(key);
        for pk in table.pk {
            if let Some(c) = table.column(pk) {
                add(c);
            }
        }
        if let Some(c) = table.owner.and_then(|o| table.column(o)) {
            add(c);
        }
        if let Work::Page(p) = &work {
            for c in p.order.columns() {
                add(c);
            }
        }
        columns.sort_by_key(|c| c.name);
        let work_id = match &work {
            Work::Rows => "rows".to_owned(),
            Work::Page(p) => format!("page:{}", p.id()),
            Work::Count(_, f) => format!("count:{f}"),
            Work::Aggregate(_, f, fns) => format!(
                "agg:{f}:{}",
                fns.iter()
                    .map(|(a, c)| format!("{}.{}", a.field(), c.name))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        };
        let id = format!(
            "{}|{}|{}|{}|{}",
            table.type_name,
            key.name,
            columns.iter().map(|c| c.name).collect::<Vec<_>>().join(","),
            work_id,
            scope.fingerprint()
        );
        Shape {
            id,
            table,
            key,
            columns,
            work,
            scope,
            extra: None,
            inline: Vec::new(),
        }
    }
}

/// One batch key: a shape and one parent key.
#[derive(Clone)]
pub struct BatchKey {
    /// The statement's shape.
    pub shape: Arc<Shape>,
    /// The parent's key value.
    pub parent: Key,
}

impl PartialEq for BatchKey {
    fn eq(&self, other: &Self) -> bool {
        self.shape.id == other.shape.id && self.parent == other.parent
    }
}
impl Eq for BatchKey {}
impl std::hash::Hash for BatchKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.shape.id.hash(state);
        self.parent.hash(state);
    }
}

/// What a batch key loads.
#[derive(Debug)]
pub enum Loaded {
    /// Rows (of a page: with one extra row when another page follows).
    Rows(Vec<Row>),
    /// Count and aggregates by name (`count`, `sum.likeCount` …).
    Aggregate(HashMap<String, Cell>),
}

/// Runs a shape for the given parents (`None`: unkeyed, the root of a namespace); answers one
/// entry per parent key (the unkeyed answer is under `Key::Int(0)`).
pub async fn run(
    conns: &Connections,
    shape: &Shape,
    parents: Option<&[Key]>,
) -> Result<Vec<(Key, Loaded)>, ApiError> {
    run_on(conns.get(shape.table.db)?, shape, parents).await
}

/// [`run`] on one connection: the loader runs it on the pool, a write's read-back inside the
/// write's own transaction (see `crate::graphql::write`), with the same statement and access
/// rules either way.
pub async fn run_on(
    db: &impl ConnectionTrait,
    shape: &Shape,
    parents: Option<&[Key]>,
) -> Result<Vec<(Key, Loaded)>, ApiError> {
    let scope = &shape.scope;
    let mut base = visibility(shape.table, scope)?;
    if let Some(extra) = &shape.extra {
        base = base.add(extra.clone());
    }
    if let Some(parents) = parents {
        let values: Vec<Expr> = parents
            .iter()
            .map(|k| Expr::val(k.cell().sql(shape.key.kind, scope.backend)))
            .collect();
        base = base.add(qcol(shape.table.name, shape.key.name).is_in(values));
    }
    let keyed = parents.is_some();
    let group = |rows: Vec<Row>| -> Vec<(Key, Loaded)> {
        if !keyed {
            return vec![(Key::Int(0), Loaded::Rows(rows))];
        }
        let mut by: HashMap<Key, Vec<Row>> = HashMap::new();
        for r in rows {
            if let Some(k) = r.get(shape.key.name).key() {
                by.entry(k).or_default().push(r);
            }
        }
        parents
            .unwrap_or_default()
            .iter()
            .map(|p| (p.clone(), Loaded::Rows(by.remove(p).unwrap_or_default())))
            .collect()
    };
    match &shape.work {
        Work::Rows => {
            let mut q = select(shape, scope)?;
            q.cond_where(base);
            let res = fetch(db, &q).await?;
            Ok(group(rows(
                &res,
                shape.table,
                &shape.columns,
                &shape.inline,
                scope,
            )?))
        }
        Work::Page(args) => {
            let cond = base.add(args.conditions(scope));
            // One parent (a user's likes, one collection's items) needs no window: ordered by
            // an index on (parent, order), the scan stops at the page's last row, where a
            // window numbers (and checks the access rule of) every row of the parent first.
            if parents.is_none_or(|p| p.len() == 1) {
                let mut q = select(shape, scope)?;
                q.cond_where(cond);
                args.order.apply(&mut q, args.backward, scope);
                q.limit(args.limit + 1);
                let res = fetch(db, &q).await?;
                return Ok(group(rows(
                    &res,
                    shape.table,
                    &shape.columns,
                    &shape.inline,
                    scope,
                )?));
            }
            let mut inner = select_columns(shape, scope)?;
            inner.cond_where(cond);
            let mut window = WindowStatement::partition_by((
                Alias::new(shape.table.name),
                Alias::new(shape.key.name),
            ));
            args.order.apply_window(&mut window, args.backward, scope);
            inner.expr_window_as(Expr::cust("ROW_NUMBER()"), window, Alias::new(RN));
            // Inline fields are computed for the page's rows only, outside the window that
            // numbers every row of every parent.
            let mut outer = Query::select();
            outer.column((Alias::new(WINDOW), sea_orm::sea_query::Asterisk));
            inline::attach(&mut outer, shape.table, WINDOW, &shape.inline, scope)?;
            outer
                .from_subquery(inner, Alias::new(WINDOW))
                .and_where(Expr::col(Alias::new(RN)).lte(Expr::val(args.limit as i64 + 1)))
                .order_by(Alias::new(RN), sea_orm::sea_query::Order::Asc);
            let res = fetch(db, &outer).await?;
            Ok(group(rows(
                &res,
                shape.table,
                &shape.columns,
                &shape.inline,
                scope,
            )?))
        }
        Work::Count(filter, _) | Work::Aggregate(filter, _, _) => {
            let fns: &[(AggFn, &'static Column)] = match &shape.work {
                Work::Aggregate(_, _, fns) => fns,
                _ => &[],
            };
            let mut q = Query::select();
            q.from(Alias::new(shape.table.name))
                .cond_where(base.add(filter.clone()))
                .expr_as(Expr::cust("COUNT(*)"), Alias::new("count"));
            for (i, (f, c)) in fns.iter().enumerate() {
                q.expr_as(
                    aggregate_expr(shape.table, *f, c, scope),
                    Alias::new(format!("a{i}")),
                );
            }
            if keyed {
                q.expr_as(qcol(shape.table.name, shape.key.name), Alias::new(PARENT))
                    .group_by_col((Alias::new(shape.table.name), Alias::new(shape.key.name)));
            }
            let res = fetch(db, &q).await?;
            let mut by: HashMap<Key, HashMap<String, Cell>> = HashMap::new();
            for r in &res {
                let key = if keyed {
                    match Cell::read(r, PARENT, shape.key.kind, scope.backend)?.key() {
                        Some(k) => k,
                        None => continue,
                    }
                } else {
                    Key::Int(0)
                };
                by.insert(key, aggregate_values(r, fns)?);
            }
            let empty = || {
                let mut m = HashMap::new();
                m.insert("count".to_owned(), Cell::Int(0));
                m
            };
            let keys: Vec<Key> = match parents {
                Some(p) => p.to_vec(),
                None => vec![Key::Int(0)],
            };
            Ok(keys
                .into_iter()
                .map(|k| {
                    let v = by.remove(&k).unwrap_or_else(empty);
                    (k, Loaded::Aggregate(v))
                })
                .collect())
        }
    }
}

/// The shape's columns and inline fields over its table.
fn select(shape: &Shape, scope: &Scope) -> Result<SelectStatement, ApiError> {
    let mut q = select_columns(shape, scope)?;
    inline::attach(&mut q, shape.table, shape.table.name, &shape.inline, scope)?;
    Ok(q)
}

fn select_columns(shape: &Shape, scope: &Scope) -> Result<SelectStatement, ApiError> {
    let mut q = Query::select();
    q.from(Alias::new(shape.table.name));
    for c in &shape.columns {
        q.expr_as(select_expr(shape.table, c, scope)?, Alias::new(c.name));
    }
    Ok(q)
}

fn aggregate_expr(table: &'static Table, f: AggFn, c: &'static Column, scope: &Scope) -> Expr {
    // The value as the viewer reads it (a computed column aggregates what it reads as, a value
    // hidden by its owner's setting is null and adds nothing).
    let col = super::sql::viewer_expr(table, c, scope);
    let backend = scope.backend;
    let e: Expr = match f {
        AggFn::Sum => Func::sum(col).into(),
        AggFn::Avg => Func::avg(col).into(),
        AggFn::Min => Func::min(col).into(),
        AggFn::Max => Func::max(col).into(),
    };
    // Integer sums are bigint on PostgreSQL and averages numeric; read them all as doubles.
    e.cast_as(if backend == DbBackend::Postgres {
        "double precision"
    } else {
        "real"
    })
}

fn aggregate_values(
    r: &QueryResult,
    fns: &[(AggFn, &'static Column)],
) -> Result<HashMap<String, Cell>, ApiError> {
    let mut m = HashMap::new();
    m.insert(
        "count".to_owned(),
        Cell::Int(r.try_get::<i64>("", "count")?),
    );
    for (i, (f, c)) in fns.iter().enumerate() {
        let v = r.try_get::<Option<f64>>("", &format!("a{i}"))?;
        m.insert(
            format!("{}.{}", f.field(), c.name),
            v.map(Cell::Float).unwrap_or(Cell::Null),
        );
    }
    Ok(m)
}

/// Canonical text of a `where` value.
pub fn filter_id(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(v) => v.to_string(),
    }
}
