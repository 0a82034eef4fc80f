//! SQL for the read layer, built with sea-query so one builder serves PostgreSQL and SQLite:
//! the access rule of a table as a predicate, column expressions, and reading result rows.

use std::sync::Arc;

use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, Func, Query, SimpleExpr};
use sea_orm::{ConnectionTrait, DbBackend, QueryResult, StatementBuilder};

use super::inline::{self, Inline, Inlined};
use super::spec::{Access, Column, Cond, Kind, Lit, Read, Setting, Source, Table};
use super::value::{Cell, Key};
use crate::auth::Viewer;
use crate::error::ApiError;

/// Column name → value of one row: the handful of columns a selection reads, found by a scan
/// that costs less than hashing the name.
#[derive(Debug, Clone, Default)]
pub struct Cells(Vec<(&'static str, Cell)>);

impl Cells {
    /// Room for `n` columns.
    pub fn with_capacity(n: usize) -> Self {
        Cells(Vec::with_capacity(n))
    }

    /// The value of `column`, if read.
    pub fn get(&self, column: &str) -> Option<&Cell> {
        self.0.iter().find(|(c, _)| *c == column).map(|(_, v)| v)
    }

    /// Sets the value of `column`.
    pub fn insert(&mut self, column: &'static str, value: Cell) {
        match self.0.iter_mut().find(|(c, _)| *c == column) {
            Some((_, v)) => *v = value,
            None => self.0.push((column, value)),
        }
    }
}

/// One row read for a table, holding the columns the query asked for.
#[derive(Debug, Clone)]
pub struct Row {
    /// The table the row belongs to.
    pub table: &'static Table,
    /// Column name → value.
    pub cells: Cells,
    /// Whether the viewer may read owner-only columns of this row.
    pub owned: bool,
    /// Fields answered in the row's own statement (see `inline`).
    pub inlined: Vec<(&'static str, Inlined)>,
}

impl Row {
    /// A row of `table` read for the scope's viewer.
    pub fn new(
        table: &'static Table,
        cells: Cells,
        scope: &Scope,
        inlined: Vec<(&'static str, Inlined)>,
    ) -> Row {
        let owned = scope.admin()
            || table.owner.is_some_and(|o| {
                let kind = table.column(o).map(|c| c.kind);
                let viewer = kind.and_then(|k| scope.viewer_cell(k));
                viewer.is_some() && cells.get(o) == viewer.as_ref()
            });
        Row {
            table,
            cells,
            owned,
            inlined,
        }
    }

    /// The answer of a field read in the row's own statement.
    pub fn inlined(&self, field: &str) -> Option<&Inlined> {
        self.inlined
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, v)| v)
    }

    /// The value of `column` (`Null` when it was not selected).
    pub fn get(&self, column: &str) -> &Cell {
        self.cells.get(column).unwrap_or(&Cell::Null)
    }

    /// The primary key values.
    pub fn pk(&self) -> Vec<Key> {
        self.table
            .pk
            .iter()
            .filter_map(|c| self.get(c).key())
            .collect()
    }

    /// The value of a field for the viewer: `Null` for an owner-only column of a row the
    /// viewer does not own.
    pub fn visible(&self, column: &Column) -> &Cell {
        if column.read == Read::Owner && !self.owned {
            return &Cell::Null;
        }
        self.get(column.name)
    }
}

/// Everything SQL building needs about the request.
#[derive(Clone)]
pub struct Scope {
    /// The source whose tables are read.
    pub source: &'static Source,
    /// The viewer.
    pub viewer: Arc<Viewer>,
    /// The backend of the connection that will run the statement.
    pub backend: DbBackend,
    /// Set when the rows read are those of `.0` whose column `.1` holds the key of a row of
    /// table `.2` the viewer can see (children loaded for their parents, counted for a row):
    /// an access rule that only asks for that parent to be visible holds already.
    pub via: Option<(&'static str, &'static str, &'static str)>,
}

impl Scope {
    /// The same scope, reading rows of `table` by `column`, which holds the keys of visible
    /// rows of `parent` (see the `via` field).
    pub fn under(
        mut self,
        table: &'static str,
        column: &'static str,
        parent: &'static str,
    ) -> Self {
        self.via = Some((table, column, parent));
        self
    }

    /// Whether the rows of `table` are read by `column` from visible rows of `parent`.
    pub fn reads_under(&self, table: &str, column: &str, parent: &str) -> bool {
        self.via == Some((table, column, parent))
    }

    /// Tells statements apart that differ in what they assume (part of batch identities).
    pub fn fingerprint(&self) -> String {
        match self.via {
            Some((t, c, p)) => format!("{}@{t}.{c}<{p}", self.viewer.scope()),
            None => self.viewer.scope(),
        }
    }

    /// Whether the viewer is an admin of the source.
    pub fn admin(&self) -> bool {
        self.viewer.is_admin(self.source.id)
    }

    /// The viewer's key as a value comparable with `column`, when signed in to this source.
    pub fn viewer_cell(&self, kind: Kind) -> Option<Cell> {
        let key = self.viewer.key_in(self.source.id)?;
        Key::parse(kind, key).map(|k| k.cell())
    }
}

/// `"table"."column"`.
pub fn qcol(table: &str, column: &str) -> Expr {
    Expr::col((Alias::new(table), Alias::new(column)))
}

/// The expression that reads `column`: its computed expression when it has one; named enum
/// types are read as text so both backends answer the same strings (and order them the same
/// way).
pub fn read_expr(table: &Table, column: &Column, backend: DbBackend) -> Expr {
    if let Some(computed) = column.computed {
        return computed(table, backend);
    }
    match column.kind {
        Kind::Enum(def) if def.pg_type.is_some() && backend == DbBackend::Postgres => {
            qcol(table.name, column.name).cast_as("text")
        }
        _ => qcol(table.name, column.name),
    }
}

/// The expression that selects `column` for the viewer (see [`viewer_expr`]); a column shown
/// by a setting on a table whose owner cannot be found is a description error.
pub fn select_expr(
    table: &'static Table,
    column: &'static Column,
    scope: &Scope,
) -> Result<Expr, ApiError> {
    if matches!(column.read, Read::Setting(_)) && gate_owner(table, scope.source).is_none() {
        return Err(ApiError::Internal(format!(
            "{} has setting-guarded columns but no owner",
            table.name
        )));
    }
    Ok(viewer_expr(table, column, scope))
}

/// The value of `column` as the viewer reads it — the one expression that selects, filters,
/// orders, and compares cursors, so that none of them can tell more than the field answers.
/// A column shown by its owner's setting reads `NULL` unless the viewer owns the row, is an
/// admin, or the owner's setting allows it: a hidden value never matches a comparison, sorts
/// as null, and is null in a cursor. The rule is one `CASE` over a probe of the owner's
/// settings row by its unique user key.
pub fn viewer_expr(table: &'static Table, column: &'static Column, scope: &Scope) -> Expr {
    let plain = read_expr(table, column, scope.backend);
    let Read::Setting(setting) = column.read else {
        return plain;
    };
    if scope.admin() {
        return plain;
    }
    let Some(owner) = gate_owner(table, scope.source) else {
        // Fail closed: without an owner nobody but admins may read the value (and
        // `select_expr` reports the description error).
        return Expr::case(Expr::cust("1 = 0"), plain)
            .finally(Expr::null())
            .into();
    };
    let mut shown = Condition::any().add(setting_allows(setting, &owner));
    if let Some(mine) = owner.is_viewer(scope) {
        shown = shown.add(mine);
    }
    Expr::case(shown, plain).finally(Expr::null()).into()
}

/// The user whose settings govern a table's guarded columns, as seen from a row of it.
enum GateOwner {
    /// The table's own owner column.
    Column(Expr, Kind),
    /// The owner of the parent row the table is seen through (`Access::Via`): a sub-collection
    /// follows its collection's owner.
    Parent {
        parent: &'static Table,
        owner: &'static str,
        pk: &'static str,
        fk: Expr,
        kind: Kind,
    },
}

impl GateOwner {
    /// `value` names the owner (`value IN (SELECT owner FROM parent WHERE pk = fk)` through a
    /// parent: a probe by the parent's primary key).
    fn is(&self, value: Expr) -> SimpleExpr {
        match self {
            GateOwner::Column(owner, _) => owner.clone().eq(value),
            GateOwner::Parent {
                parent,
                owner,
                pk,
                fk,
                ..
            } => value.in_subquery(
                Query::select()
                    .expr(qcol(parent.name, owner))
                    .from(Alias::new(parent.name))
                    .and_where(qcol(parent.name, pk).eq(fk.clone()))
                    .to_owned(),
            ),
        }
    }

    /// The owner is the viewer (`None` for a viewer not signed in to the source).
    fn is_viewer(&self, scope: &Scope) -> Option<SimpleExpr> {
        let kind = match self {
            GateOwner::Column(_, kind) | GateOwner::Parent { kind, .. } => *kind,
        };
        let cell = scope.viewer_cell(kind)?;
        Some(self.is(Expr::val(cell.sql(kind, scope.backend))))
    }
}

/// Finds the owner of `table`'s rows: its owner column, else the owner of the parent of its
/// first `Access::Via` rule (directly or under `Access::All`).
fn gate_owner(table: &'static Table, source: &'static Source) -> Option<GateOwner> {
    if let Some(o) = table.owner {
        return Some(GateOwner::Column(
            qcol(table.name, o),
            table.column(o)?.kind,
        ));
    }
    fn via(access: &Access) -> Option<(&'static str, &'static str)> {
        match access {
            Access::Via { column, table } => Some((column, table)),
            Access::All(rules) => rules.iter().find_map(via),
            _ => None,
        }
    }
    let (fk, parent) = via(&table.access)?;
    let parent = source.table(parent)?;
    let owner = parent.owner?;
    Some(GateOwner::Parent {
        parent,
        owner,
        pk: parent.pk.first().copied()?,
        fk: qcol(table.name, fk),
        kind: parent.column(owner)?.kind,
    })
}

/// The owner's `setting` allows others to read: the flag of the owner's settings row, or the
/// setting's default without one. A scalar subquery (`COALESCE((SELECT flag … WHERE user =
/// owner), default)`) rather than `EXISTS`, so PostgreSQL probes the settings row by its unique
/// user key for each row instead of hashing the whole settings table for every statement.
fn setting_allows(setting: &Setting, owner: &GateOwner) -> SimpleExpr {
    let flag = Query::select()
        .expr(qcol(setting.table, setting.flag))
        .from(Alias::new(setting.table))
        .and_where(owner.is(qcol(setting.table, setting.user_column)))
        .to_owned();
    Func::coalesce([
        Expr::SubQuery(None, Box::new(flag.into())),
        Expr::val(setting.default),
    ])
    .into()
}

/// A value to compare with `column`, cast to the column's enum type on PostgreSQL.
pub fn value_expr(column: &Column, cell: &Cell, backend: DbBackend) -> Expr {
    let v = Expr::val(cell.sql(column.kind, backend));
    match column.kind {
        Kind::Enum(def) => match (def.pg_type, backend) {
            (Some(ty), DbBackend::Postgres) => v.as_enum(Alias::new(ty)),
            _ => v,
        },
        _ => v,
    }
}

/// `column = literal` (or `IS NULL`) over `"table".column`.
pub fn lit(table: &Table, (name, lit): &Cond, backend: DbBackend) -> Result<SimpleExpr, ApiError> {
    let column = table
        .column(name)
        .ok_or_else(|| ApiError::Internal(format!("{}.{name} is not described", table.name)))?;
    Ok(match lit {
        Lit::Null => qcol(table.name, name).is_null(),
        Lit::Bool(b) => qcol(table.name, name).eq(value_expr(column, &Cell::Bool(*b), backend)),
        Lit::Str(s) => {
            qcol(table.name, name).eq(value_expr(column, &Cell::Text((*s).to_owned()), backend))
        }
    })
}

/// All of `conds`.
pub fn conds(table: &Table, conds: &[Cond], backend: DbBackend) -> Result<Condition, ApiError> {
    let mut all = Condition::all();
    for c in conds {
        all = all.add(lit(table, c, backend)?);
    }
    Ok(all)
}

fn never() -> SimpleExpr {
    Expr::cust("1 = 0")
}

/// An [`Access::Custom`] rule: every row for a viewer who is a moderator of the source by its
/// data, none otherwise.
pub fn moderators(_table: &'static Table, scope: &Scope) -> Result<Condition, ApiError> {
    Ok(if scope.viewer.has_role(scope.source.id, "moderator") {
        Condition::all()
    } else {
        Condition::all().add(never())
    })
}

fn owner_is_viewer(table: &Table, scope: &Scope) -> Result<SimpleExpr, ApiError> {
    let Some(owner) = table.owner else {
        return Ok(never());
    };
    let column = table.column(owner).ok_or_else(|| {
        ApiError::Internal(format!(
            "owner column {}.{owner} is not described",
            table.name
        ))
    })?;
    Ok(match scope.viewer_cell(column.kind) {
        Some(cell) => qcol(table.name, owner).eq(Expr::val(cell.sql(column.kind, scope.backend))),
        None => never(),
    })
}

/// The rows of `table` the viewer may read, as a predicate over `"table".…`.
pub fn visibility(table: &'static Table, scope: &Scope) -> Result<Condition, ApiError> {
    let mut cond = Condition::all();
    for c in table.always {
        cond = cond.add(lit(table, c, scope.backend)?);
    }
    if scope.admin() {
        return admin_visibility(table, scope, cond);
    }
    Ok(cond.add(rule(table, &table.access, scope)?))
}

/// What even an admin does not see: besides the table's own `always` filters (in `cond`), rows
/// seen through a parent whose `always` filters hide it (a photo of a soft-deleted bobblehead is
/// as gone as the bobblehead).
fn admin_visibility(
    table: &'static Table,
    scope: &Scope,
    cond: Condition,
) -> Result<Condition, ApiError> {
    let Access::Via { column, table: p } = &table.access else {
        return Ok(cond);
    };
    if scope.reads_under(table.name, column, p) {
        return Ok(cond);
    }
    let p = parent(scope, p)?;
    if !hides_rows(p, scope) {
        return Ok(cond);
    }
    Ok(cond.add(through(table, column, p, visibility(p, scope)?)))
}

/// Rows of `table` whose parent `p` (by the foreign key `column`) meets `cond`: an `EXISTS`
/// correlated on the parent's primary key, one index probe per row, where `column IN (SELECT
/// pk FROM p WHERE cond)` reads every qualifying parent in every statement. A table seen through
/// itself keeps the `IN` form, since inside the probe its name would mean the parent.
fn through(table: &'static Table, column: &str, p: &'static Table, cond: Condition) -> SimpleExpr {
    let pk = p.pk.first().copied().unwrap_or("id");
    let fk = qcol(table.name, column);
    if p.name == table.name {
        let sub = Query::select()
            .expr(qcol(p.name, pk))
            .from(Alias::new(p.name))
            .cond_where(cond)
            .to_owned();
        return fk.in_subquery(sub);
    }
    let probe = Query::select()
        .expr(Expr::cust("1"))
        .from(Alias::new(p.name))
        .and_where(qcol(p.name, pk).eq(fk))
        .cond_where(cond)
        .to_owned();
    Expr::exists(probe)
}

/// Whether `table`, or a parent it is seen through, has `always` filters.
fn hides_rows(table: &'static Table, scope: &Scope) -> bool {
    !table.always.is_empty()
        || matches!(&table.access, Access::Via { table: p, .. }
            if scope.source.table(p).is_some_and(|p| hides_rows(p, scope)))
}

fn parent(scope: &Scope, name: &str) -> Result<&'static Table, ApiError> {
    scope
        .source
        .table(name)
        .ok_or_else(|| ApiError::Internal(format!("{name} is not described")))
}

fn rule(table: &'static Table, access: &Access, scope: &Scope) -> Result<Condition, ApiError> {
    Ok(match access {
        Access::Everyone => Condition::all(),
        Access::Admin => Condition::all().add(never()),
        Access::Owner => Condition::all().add(owner_is_viewer(table, scope)?),
        Access::Where(conds) => {
            let mut all = Condition::all();
            for c in *conds {
                all = all.add(lit(table, c, scope.backend)?);
            }
            all
        }
        Access::Via { column, table: p } if scope.reads_under(table.name, column, p) => {
            Condition::all()
        }
        Access::Via { column, table: p } | Access::ViaOwner { column, table: p } => {
            let p = parent(scope, p)?;
            let cond = match access {
                Access::Via { .. } => visibility(p, scope)?,
                _ => Condition::all().add(owner_is_viewer(p, scope)?),
            };
            Condition::all().add(through(table, column, p, cond))
        }
        Access::MemberOf(column) => {
            let member = scope.viewer_cell(Kind::Int).and_then(|c| match c {
                Cell::Int(i) => Some(i),
                _ => None,
            });
            let expr = match (member, scope.backend) {
                (None, _) => never(),
                // The id is an integer parsed from the token, so inlining it is safe.
                (Some(id), DbBackend::Postgres) => Expr::cust(format!(
                    "\"{}\".\"{column}\" @> '[{id}]'::jsonb",
                    table.name
                )),
                (Some(id), _) => Expr::cust(format!(
                    "EXISTS (SELECT 1 FROM json_each(\"{}\".\"{column}\") WHERE value = {id})",
                    table.name
                )),
            };
            Condition::all().add(expr)
        }
        Access::All(rules) => {
            let mut all = Condition::all();
            for r in *rules {
                all = all.add(rule(table, r, scope)?);
            }
            all
        }
        Access::Custom(f) => f(table, scope)?,
        Access::Any(rules) => {
            let mut any = Condition::any();
            for r in *rules {
                any = any.add(rule(table, r, scope)?);
            }
            any
        }
    })
}

/// Runs a select and returns its rows.
pub async fn fetch(
    db: &impl ConnectionTrait,
    stmt: &impl StatementBuilder,
) -> Result<Vec<QueryResult>, ApiError> {
    Ok(db.query_all(stmt).await?)
}

/// Reads `columns` of each result row into a [`Row`], with the fields of `inlines`.
pub fn rows(
    results: &[QueryResult],
    table: &'static Table,
    columns: &[&'static Column],
    inlines: &[Inline],
    scope: &Scope,
) -> Result<Vec<Row>, ApiError> {
    results
        .iter()
        .map(|r| {
            let mut cells = Cells::with_capacity(columns.len());
            for c in columns {
                cells.insert(c.name, Cell::read(r, c.name, c.kind, scope.backend)?);
            }
            Ok(Row::new(
                table,
                cells,
                scope,
                inline::read(r, inlines, scope)?,
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every column shown by a setting finds the user whose setting it is, so it is never
    /// answered through the fail-closed path.
    #[test]
    fn setting_guarded_columns_find_their_owner() {
        for source in crate::sources::SOURCES {
            for table in source.tables {
                if table
                    .columns
                    .iter()
                    .any(|c| matches!(c.read, Read::Setting(_)))
                {
                    assert!(
                        gate_owner(table, source).is_some(),
                        "{}.{} has no owner for its settings",
                        source.id,
                        table.name
                    );
                }
            }
        }
    }
}
