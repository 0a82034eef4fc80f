//! Which columns a selection needs: the fields asked for, plus the keys that relations and
//! cursors use. Only those are read (PostGraphile hands its loaders the requested attributes;
//! reading `*` would cost every wide row on every page).

use super::fetch::{Shape, Work};
use super::inline::inlines_for;
use super::plan::Plan;
use super::spec::{Column, Source, Table};
use super::sql::Scope;

/// Columns of `table` needed to answer the fields selected under `field`.
pub fn columns_for(
    table: &'static Table,
    field: &Plan,
    source: &'static Source,
) -> Vec<&'static Column> {
    let mut out: Vec<&'static Column> = Vec::new();
    let mut add = |c: Option<&'static Column>| {
        if let Some(c) = c
            && !out.iter().any(|x| x.name == c.name)
        {
            out.push(c);
        }
    };
    for f in &field.children {
        let name = f.name.as_str();
        if name == "id" {
            for pk in table.pk {
                add(table.column(pk));
            }
            continue;
        }
        if let Some(c) = table.columns.iter().find(|c| c.field_name(table) == name) {
            add(Some(c));
            continue;
        }
        for p in source.polymorphic {
            if p.table == table.name && p.field == name {
                add(table.column(p.kind_column));
                add(table.column(p.id_column));
                for m in p.members {
                    add(m.id_column.and_then(|c| table.column(c)));
                }
            }
        }
        for a in source.array_relations {
            if a.from == table.name && a.field == name {
                add(table.column(a.column));
            }
        }
        for r in source.relations {
            if r.from == table.name && r.forward == name {
                add(table.column(r.column));
            }
            if r.to == table.name && r.reverse == name {
                add(table.column(r.to_column));
            }
        }
    }
    out
}

/// The statement reading rows of `table` by `key` for the selection `plan`: the columns it
/// needs and the fields answered in the same statement (see `inline`).
pub fn shape_for(
    table: &'static Table,
    key: &'static Column,
    plan: &Plan,
    work: Work,
    scope: Scope,
) -> Shape {
    let columns = columns_for(table, plan, scope.source);
    let inline = inlines_for(table, plan, &scope);
    Shape::new(table, key, columns, work, scope).with_inline(inline)
}
