//! Objects whose selection applies no field answer `{}`, as the GraphQL spec says.
//!
//! async-graphql answers an object whose selected fields all fell away — every one under a
//! fragment on another type, or skipped by `@skip`/`@include` — as `null`
//! (`do_resolve_container` in its `resolver_utils/container.rs`), even where the schema says
//! non-null: a `target { ... on HeadShakersComment { content } }` on a bobblehead read `null`
//! where clients expect `{}`. So before a document runs, every selection that may apply no
//! field gets one more, `__typename` under a reserved alias ([`MARKER`]); the executor then
//! always has a field to answer, and the marker is taken out of every answer ([`strip`]).
//! Selections with a plain field (no directive) are left alone, so most documents gain
//! nothing.

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, Field, Selection, SelectionSet,
};
use async_graphql::{Name, Positioned, Value};

/// The reserved response key of the marker field (a document may not use it).
pub const MARKER: &str = "__gatewayObject";

/// Request data flagging a document that holds the marker: over HTTP only its answers are
/// walked by [`strip`], most answers not at all (a stream's answers always are: its context
/// does not hold the request's data).
#[derive(Debug, Clone, Copy)]
pub struct Marked;

/// Adds the marker to every selection of `doc` that may apply no field.
pub fn mark(doc: &mut ExecutableDocument) {
    match &mut doc.operations {
        DocumentOperations::Single(op) => set(&mut op.node.selection_set),
        DocumentOperations::Multiple(ops) => {
            for op in ops.values_mut() {
                set(&mut op.node.selection_set);
            }
        }
    }
    for def in doc.fragments.values_mut() {
        // A fragment's own selection merges into the selection spreading it, which is marked
        // where it needs to be; only the fields inside it are selections of their own.
        inner(&mut def.node.selection_set.node);
    }
}

/// Whether `doc` uses the reserved key itself (refused: its field would vanish).
pub fn uses_marker(doc: &ExecutableDocument) -> bool {
    fn set(s: &SelectionSet) -> bool {
        s.items.iter().any(|item| match &item.node {
            Selection::Field(f) => {
                f.node.response_key().node.as_str() == MARKER || set(&f.node.selection_set.node)
            }
            Selection::FragmentSpread(_) => false,
            Selection::InlineFragment(i) => set(&i.node.selection_set.node),
        })
    }
    doc.operations
        .iter()
        .any(|(_, op)| set(&op.node.selection_set.node))
        || doc
            .fragments
            .values()
            .any(|f| set(&f.node.selection_set.node))
}

fn set(s: &mut Positioned<SelectionSet>) {
    inner(&mut s.node);
    let sure = s.node.items.iter().any(|item| match &item.node {
        Selection::Field(f) => f.node.directives.is_empty(),
        _ => false,
    });
    if !sure {
        let field = Field {
            alias: Some(Positioned::new(Name::new(MARKER), s.pos)),
            name: Positioned::new(Name::new("__typename"), s.pos),
            arguments: Vec::new(),
            directives: Vec::new(),
            selection_set: Positioned::new(SelectionSet::default(), s.pos),
        };
        s.node.items.push(Positioned::new(
            Selection::Field(Positioned::new(field, s.pos)),
            s.pos,
        ));
    }
}

/// Marks the selections of the fields inside `s` (not `s` itself).
fn inner(s: &mut SelectionSet) {
    for item in &mut s.items {
        match &mut item.node {
            Selection::Field(f) => {
                if !f.node.selection_set.node.items.is_empty() {
                    set(&mut f.node.selection_set);
                }
            }
            Selection::FragmentSpread(_) => {}
            Selection::InlineFragment(i) => inner(&mut i.node.selection_set.node),
        }
    }
}

/// Takes the marker out of an answer.
pub fn strip(v: &mut Value) {
    match v {
        Value::Object(map) => {
            map.shift_remove(MARKER);
            for v in map.values_mut() {
                strip(v);
            }
        }
        Value::List(items) => items.iter_mut().for_each(strip),
        _ => {}
    }
}
