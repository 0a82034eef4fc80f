//! Polymorphic references as GraphQL unions, the rows referencing a target as connections on
//! every target type, and viewer flags and counts over related rows — all batched: a union
//! costs one statement per member type per level, a flag or count one statement per level.

use async_graphql::dynamic::{Field, TypeRef, Union};

use super::schema::{connection_args, relational, type_of};
use super::spec::{Polymorphic, Related, Source, Table};

/// The union types of a source's polymorphic references.
pub fn unions(source: &'static Source) -> Vec<Union> {
    source
        .polymorphic
        .iter()
        .map(|p| {
            let mut u = Union::new(p.union).description(p.doc);
            let mut seen = Vec::new();
            for m in p.members {
                let ty = type_of(source, m.table);
                if !seen.contains(&ty) {
                    u = u.possible_type(ty.as_str());
                    seen.push(ty);
                }
            }
            u
        })
        .collect()
}

/// Fields these mechanisms add to `table`'s object type.
pub fn fields(source: &'static Source, table: &'static Table) -> Vec<Field> {
    let mut out = Vec::new();
    for p in source.polymorphic {
        if p.table == table.name {
            out.push(target_field(source, p));
        }
        if let Some(reverse) = p.reverse
            && p.members
                .iter()
                .any(|m| m.table == table.name && m.id_column.is_none())
        {
            out.push(reverse_field(source, p, reverse));
        }
    }
    for r in source.related.iter().filter(|r| r.on == table.name) {
        out.push(related_field(source, r));
    }
    out
}

fn target_field(source: &'static Source, p: &'static Polymorphic) -> Field {
    Field::new(p.field, TypeRef::named(p.union), relational(source)).description(p.doc)
}

fn reverse_field(source: &'static Source, p: &'static Polymorphic, name: &'static str) -> Field {
    let ty = type_of(source, p.table);
    let field = Field::new(
        name,
        TypeRef::named_nn(format!("{ty}Connection")),
        relational(source),
    )
    .description(format!("The `{}` rows referencing this object.", p.table));
    connection_args(field, source, source.table(p.table))
}

fn related_field(source: &'static Source, r: &'static Related) -> Field {
    let ty = if r.viewer_column.is_some() {
        TypeRef::BOOLEAN
    } else {
        TypeRef::INT
    };
    Field::new(r.field, TypeRef::named_nn(ty), relational(source)).description(r.doc)
}
