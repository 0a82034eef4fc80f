//! Fields of a row answered inside the row's own statement: to-one relations (a bobblehead's
//! owner, a like's polymorphic target, a tag link's tag), counts of related rows and viewer
//! flags become correlated scalar subqueries of the statement that reads the row.
//!
//! Loading them as levels of their own would cost a statement per relation, each a round trip
//! that waits for the previous level; a correlated subquery on a key is one index probe per row
//! inside a statement that runs anyway. So the number of statements follows the depth of
//! *connections* only (PostGraphile and Hasura join to-one relations into the parent's query
//! for the same reason). What stays a level of its own: connections (pages per parent), JSON
//! key arrays and computed fields, a relation between rows of one table (inside the subquery
//! the table's name would mean the related row, not the parent) or across databases, and
//! to-one relations nested deeper than [`MAX_DEPTH`] (each level wraps the one below in one
//! more subquery).
//!
//! Visibility is the same as a load of its own: the subquery that finds the related row's key
//! carries the related table's access rule, and a row it does not find answers `null`; counts
//! and flags carry the access rule of the rows they count.

use std::sync::Arc;

use async_graphql::Value;
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, JoinType, Query, SelectStatement};
use sea_orm::{DbBackend, QueryResult};

use super::plan::Plan;
use super::select::columns_for;
use super::spec::{Column, Kind, Read, Table};
use super::sql::{Cells, Row, Scope, conds, qcol, select_expr, visibility};
use super::value::Cell;
use crate::error::ApiError;

/// How many to-one relations deep a selection is answered inside one statement (a like's
/// target's owner is 2).
pub const MAX_DEPTH: usize = 2;

/// A field answered inside the statement of the row it is on.
#[derive(Debug, Clone)]
pub struct Inline {
    /// The GraphQL field name.
    field: &'static str,
    what: What,
}

#[derive(Debug, Clone)]
enum What {
    /// A to-one relation: the first target whose row is found (one for a foreign key, one per
    /// member for a polymorphic reference).
    One(Vec<Target>),
    /// `COUNT(*)` of related rows, or whether any exists.
    Related(Related),
}

#[derive(Debug, Clone)]
struct Related {
    table: &'static Table,
    key_column: &'static str,
    cond: Condition,
    /// Whether any exists (a viewer flag) rather than how many.
    flag: bool,
    alias: String,
}

/// One table a to-one relation may lead to.
#[derive(Debug, Clone)]
struct Target {
    table: &'static Table,
    /// Column of the target matched against the parent's `from` column.
    key: &'static str,
    /// Column of the parent holding the target's key.
    from: &'static str,
    /// A discriminator of the parent (`target_type = 'bobblehead'`) naming this target.
    when: Option<(&'static str, &'static str)>,
    /// The union member type name, for polymorphic targets.
    type_name: Option<&'static str>,
    /// The parent's access rule already requires this target to be visible or gone
    /// ([`crate::graphql::spec::Polymorphic::guarded`]): finding it live is enough.
    guarded: bool,
    columns: Vec<&'static Column>,
    nested: Vec<Inline>,
    /// Alias of the target's primary key (null: not found or not visible); column `i` is
    /// `{alias}_{i}`.
    alias: String,
}

/// A field answered in its row's statement, as read.
#[derive(Debug, Clone)]
pub enum Inlined {
    /// The related row, `None` when absent or not visible; the union member type name for a
    /// polymorphic target.
    Row(Option<Arc<Row>>, Option<&'static str>),
    /// A count or a viewer flag.
    Value(Value),
}

/// The fields selected under `plan` on rows of `table` that can be answered in the rows' own
/// statement.
pub fn inlines_for(table: &'static Table, plan: &Plan, scope: &Scope) -> Vec<Inline> {
    let mut next = 0;
    plan_level(table, plan, scope, 1, &mut next)
}

/// [`inlines_for`] over several selections of the same rows (`nodes` and `edges { node }`).
pub fn inlines_for_all<'a>(
    table: &'static Table,
    plans: impl Iterator<Item = &'a Arc<Plan>>,
    scope: &Scope,
) -> Vec<Inline> {
    let children: Vec<Arc<Plan>> = plans.flat_map(|p| p.children.iter().cloned()).collect();
    let merged = Plan {
        name: String::new(),
        args: Ok(Vec::new()),
        children,
    };
    inlines_for(table, &merged, scope)
}

/// Every selection of the field `name` under `plan`, as one (aliases of one field may select
/// different sub-fields; the inlined row answers them all).
fn merged(plan: &Plan, name: &str) -> Plan {
    Plan {
        name: name.to_owned(),
        args: Ok(Vec::new()),
        children: plan
            .sub(name)
            .flat_map(|p| p.children.iter().cloned())
            .collect(),
    }
}

fn plan_level(
    table: &'static Table,
    plan: &Plan,
    scope: &Scope,
    depth: usize,
    next: &mut usize,
) -> Vec<Inline> {
    let source = scope.source;
    let mut out: Vec<Inline> = Vec::new();
    let alias = |next: &mut usize| {
        let a = format!("__i{next}");
        *next += 1;
        a
    };
    for f in &plan.children {
        let name = f.name.as_str();
        if out.iter().any(|i| i.field == name) {
            continue;
        }
        // The related table of a to-one field, and how to find its row.
        let mut targets: Vec<(&'static Table, &'static str, &'static str, _, _, bool)> = Vec::new();
        let mut one: Option<&'static str> = None;
        for r in source.relations {
            if r.from == table.name && r.forward == name {
                one = Some(r.forward);
                targets.extend(
                    source
                        .table(r.to)
                        .map(|t| (t, r.to_column, r.column, None, None, false)),
                );
            } else if r.to == table.name && r.reverse == name && r.unique {
                one = Some(r.reverse);
                targets.extend(
                    source
                        .table(r.from)
                        .map(|t| (t, r.column, r.to_column, None, None, false)),
                );
            }
        }
        for p in source.polymorphic {
            if p.table == table.name && p.field == name {
                one = Some(p.field);
                for m in p.members {
                    let Some(t) = source.table(m.table) else {
                        continue;
                    };
                    let from = m.id_column.unwrap_or(p.id_column);
                    let pk = t.pk.first().copied().unwrap_or("id");
                    targets.push((
                        t,
                        pk,
                        from,
                        Some((p.kind_column, m.value)),
                        Some(t.type_name),
                        p.guarded,
                    ));
                }
            }
        }
        if let Some(field) = one {
            let inlinable = depth <= MAX_DEPTH
                && !targets.is_empty()
                && targets
                    .iter()
                    .all(|(t, ..)| t.name != table.name && t.db == table.db);
            if !inlinable {
                continue;
            }
            let sel = merged(plan, name);
            let mut built = Vec::with_capacity(targets.len());
            for (t, key, from, when, type_name, guarded) in targets {
                let mut columns = columns_for(t, &sel, source);
                complete(t, &mut columns);
                let alias = alias(next);
                let nested = plan_level(t, &sel, scope, depth + 1, next);
                built.push(Target {
                    table: t,
                    key,
                    from,
                    when,
                    type_name,
                    guarded,
                    columns,
                    nested,
                    alias,
                });
            }
            out.push(Inline {
                field,
                what: What::One(built),
            });
            continue;
        }
        let Some(r) = source
            .related
            .iter()
            .find(|r| r.on == table.name && r.field == name)
        else {
            continue;
        };
        let Some(related) = source.table(r.table) else {
            continue;
        };
        if related.name == table.name || related.db != table.db {
            continue;
        }
        let Ok(mut cond) = conds(related, r.fixed, scope.backend) else {
            continue;
        };
        if let Some(vc) = r.viewer_column {
            // Without a viewer the flag is `false` without a statement (see `children`).
            let Some(column) = related.column(vc) else {
                continue;
            };
            let Some(viewer) = scope.viewer_cell(column.kind) else {
                continue;
            };
            cond = cond
                .add(qcol(related.name, vc).eq(Expr::val(viewer.sql(column.kind, scope.backend))));
        }
        out.push(Inline {
            field: r.field,
            what: What::Related(Related {
                table: related,
                key_column: r.key_column,
                cond,
                flag: r.viewer_column.is_some(),
                alias: alias(next),
            }),
        });
    }
    out
}

/// Completes the columns of an inlined row: its owner when an owner-only column is read (to
/// tell whether the viewer owns the row); not its primary key, which the probe that finds the
/// row answers.
fn complete(table: &'static Table, columns: &mut Vec<&'static Column>) {
    let pk = table.pk.first().copied().unwrap_or("id");
    columns.retain(|c| c.name != pk);
    if columns.iter().any(|c| c.read == Read::Owner)
        && let Some(c) = table.owner.and_then(|o| table.column(o))
        && !columns.iter().any(|x| x.name == c.name)
    {
        columns.push(c);
    }
}

/// A text that tells inline selections apart, for the statement's batch identity.
pub fn fingerprint(inlines: &[Inline]) -> String {
    let mut s = String::new();
    for i in inlines {
        s.push_str(i.field);
        match &i.what {
            What::One(targets) => {
                s.push('{');
                for t in targets {
                    s.push_str(t.table.name);
                    s.push(':');
                    for c in &t.columns {
                        s.push_str(c.name);
                        s.push(',');
                    }
                    s.push('[');
                    s.push_str(&fingerprint(&t.nested));
                    s.push(']');
                }
                s.push('}');
            }
            What::Related(r) => s.push_str(if r.flag { "?" } else { "#" }),
        }
        s.push(';');
    }
    s
}

/// Adds to `q` what answers `inlines` on rows of `parent`, which `q` names `parent_ref` (the
/// table, or the alias of a windowed subquery selecting its columns), and answers the names of
/// the columns it added.
///
/// On PostgreSQL a to-one relation is one `LEFT JOIN LATERAL` per target: a single probe on
/// the target's key finds the row (under its access rule) and answers all its columns and the
/// relations nested under it. A scalar subquery per column would probe the same row once per
/// column, and the planner's work grows with every subquery (a likes feed with its targets'
/// owners was 113 subplans). SQLite has no `LATERAL`; there each column is a correlated
/// scalar subquery, an index probe SQLite answers in-process.
pub fn attach(
    q: &mut SelectStatement,
    parent: &'static Table,
    parent_ref: &str,
    inlines: &[Inline],
    scope: &Scope,
) -> Result<Vec<String>, ApiError> {
    let mut names = Vec::new();
    for i in inlines {
        match &i.what {
            What::One(targets) if scope.backend == DbBackend::Postgres => {
                for t in targets {
                    let pk = t.table.pk.first().copied().unwrap_or("id");
                    let mut inner = probe(t, parent_ref, scope);
                    inner
                        .expr_as(qcol(t.table.name, pk), Alias::new(&t.alias))
                        .cond_where(rule(t, scope)?);
                    let mut columns = vec![t.alias.clone()];
                    for (n, c) in t.columns.iter().enumerate() {
                        let alias = format!("{}_{n}", t.alias);
                        inner.expr_as(select_expr(t.table, c, scope)?, Alias::new(&alias));
                        columns.push(alias);
                    }
                    columns.extend(attach(&mut inner, t.table, t.table.name, &t.nested, scope)?);
                    q.join_lateral(
                        JoinType::LeftJoin,
                        inner,
                        Alias::new(&t.alias),
                        Expr::cust("TRUE"),
                    );
                    for c in columns {
                        q.expr_as(
                            Expr::col((Alias::new(&t.alias), Alias::new(&c))),
                            Alias::new(&c),
                        );
                        names.push(c);
                    }
                }
            }
            What::One(targets) => {
                for t in targets {
                    for (alias, e) in scalar(t, parent_ref, scope)? {
                        q.expr_as(e, Alias::new(&alias));
                        names.push(alias);
                    }
                }
            }
            What::Related(r) => {
                q.expr_as(related(parent, parent_ref, r, scope)?, Alias::new(&r.alias));
                names.push(r.alias.clone());
            }
        }
    }
    Ok(names)
}

/// The statement that finds the row of target `t` for the parent row `parent_ref`, selecting
/// nothing yet.
fn probe(t: &Target, parent_ref: &str, scope: &Scope) -> SelectStatement {
    let mut q = Query::select();
    q.from(Alias::new(t.table.name))
        .and_where(qcol(t.table.name, t.key).eq(qcol(parent_ref, t.from)))
        .limit(1);
    if let Some((column, value)) = t.when {
        q.and_where(discriminator(parent_ref, column, scope.backend).eq(value));
    }
    q
}

/// What the probe of target `t` asks of the row it finds: the target's access rule, or only
/// that it is live when the parent's rule already required it visible.
fn rule(t: &Target, scope: &Scope) -> Result<Condition, ApiError> {
    if t.guarded {
        conds(t.table, t.table.always, scope.backend)
    } else {
        visibility(t.table, scope)
    }
}

/// A to-one target as correlated scalar subqueries: the key under the target's access rule,
/// then each column and nested field.
fn scalar(t: &Target, parent_ref: &str, scope: &Scope) -> Result<Vec<(String, Expr)>, ApiError> {
    let found = |extra: Option<Condition>, e: Expr| -> Expr {
        let mut q = probe(t, parent_ref, scope);
        q.expr(e);
        if let Some(c) = extra {
            q.cond_where(c);
        }
        sub(q)
    };
    let pk = t.table.pk.first().copied().unwrap_or("id");
    let mut out = vec![(
        t.alias.clone(),
        found(Some(rule(t, scope)?), qcol(t.table.name, pk)),
    )];
    // Values of a row the probe above did not find are dropped when read, so their probes
    // skip the access rule.
    for (n, c) in t.columns.iter().enumerate() {
        let e = select_expr(t.table, c, scope)?;
        out.push((format!("{}_{n}", t.alias), found(None, e)));
    }
    for i in &t.nested {
        match &i.what {
            What::One(targets) => {
                for nt in targets {
                    for (alias, e) in scalar(nt, t.table.name, scope)? {
                        out.push((alias, found(None, e)));
                    }
                }
            }
            What::Related(r) => {
                let e = related(t.table, t.table.name, r, scope)?;
                out.push((r.alias.clone(), found(None, e)));
            }
        }
    }
    Ok(out)
}

/// A count of related rows, or whether the viewer has one, on the parent row `parent_ref`.
fn related(
    parent: &'static Table,
    parent_ref: &str,
    r: &Related,
    scope: &Scope,
) -> Result<Expr, ApiError> {
    let pk = parent.pk.first().copied().unwrap_or("id");
    // The parent row is one the statement reads under its own access rule.
    let under = scope.clone().under(r.table.name, r.key_column, parent.name);
    let mut q = Query::select();
    q.from(Alias::new(r.table.name))
        .and_where(qcol(r.table.name, r.key_column).eq(qcol(parent_ref, pk)))
        .cond_where(r.cond.clone())
        .cond_where(visibility(r.table, &under)?);
    Ok(if r.flag {
        q.expr(Expr::cust("1"));
        Expr::exists(q)
    } else {
        q.expr(Expr::cust("COUNT(*)"));
        sub(q)
    })
}

fn sub(q: SelectStatement) -> Expr {
    Expr::SubQuery(None, Box::new(q.into()))
}

/// The parent's discriminator as text: a named enum compares through a cast on PostgreSQL, and
/// a windowed subquery already selected it as text.
fn discriminator(parent_ref: &str, column: &str, backend: DbBackend) -> Expr {
    let c = qcol(parent_ref, column);
    if backend == DbBackend::Postgres {
        c.cast_as("text")
    } else {
        c
    }
}

/// Reads the answers of `inlines` from a result row.
pub fn read(
    r: &QueryResult,
    inlines: &[Inline],
    scope: &Scope,
) -> Result<Vec<(&'static str, Inlined)>, ApiError> {
    let mut out = Vec::with_capacity(inlines.len());
    for i in inlines {
        let v = match &i.what {
            What::One(targets) => {
                let mut found = Inlined::Row(None, None);
                for t in targets {
                    let pk = t.table.pk.first().copied().unwrap_or("id");
                    let kind = t.table.column(pk).map(|c| c.kind).unwrap_or(Kind::Uuid);
                    let key = Cell::read(r, &t.alias, kind, scope.backend)?;
                    if key == Cell::Null {
                        continue;
                    }
                    let mut cells = Cells::with_capacity(t.columns.len() + 1);
                    cells.insert(pk, key);
                    for (n, c) in t.columns.iter().enumerate() {
                        let alias = format!("{}_{n}", t.alias);
                        cells.insert(c.name, Cell::read(r, &alias, c.kind, scope.backend)?);
                    }
                    let row = Row::new(t.table, cells, scope, read(r, &t.nested, scope)?);
                    found = Inlined::Row(Some(Arc::new(row)), t.type_name);
                    break;
                }
                found
            }
            What::Related(rel) => {
                if rel.flag {
                    let any = match scope.backend {
                        DbBackend::Postgres => r.try_get::<bool>("", &rel.alias)?,
                        _ => r.try_get::<i64>("", &rel.alias)? != 0,
                    };
                    Inlined::Value(Value::Boolean(any))
                } else {
                    Inlined::Value(Value::Number(r.try_get::<i64>("", &rel.alias)?.into()))
                }
            }
        };
        out.push((i.field, v));
    }
    Ok(out)
}
