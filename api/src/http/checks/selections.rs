//! The size of an operation with every fragment spread expanded, computed once per fragment.
//!
//! A 1 KB document whose fragments each spread the next one twice expands to 2^K fields: walking
//! it spread by spread (as the library's depth and complexity checks and execution do) takes
//! as long as the expansion. Here every fragment is measured once and its sizes reused at each
//! spread, so measuring is linear in the document, and the expanded size is refused before
//! anything walks it.

use std::collections::HashMap;

use async_graphql::parser::types::{Field, FragmentDefinition, Selection, SelectionSet};
use async_graphql::{Name, Positioned, Value};
use serde_json::Value as Json;

use crate::graphql::fetch::{DEFAULT_PAGE, MAX_PAGE};

/// Fragment spreads followed inside one another at most.
pub const MAX_SPREAD_DEPTH: usize = 32;

/// What a selection set expands to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sizes {
    /// Fields, counted once per use of a fragment.
    pub fields: u64,
    /// Aliased fields, likewise.
    pub aliases: u64,
    /// Estimated objects (rows): every field with a selection is one object, repeated by its
    /// page size when it pages.
    pub rows: u64,
    /// Fields nested inside one another at most, introspection (`__schema`, `__type`) left
    /// out: its nesting is fixed by the schema and its size bounded by its own limit, and the
    /// standard introspection query nests deeper than data queries need to.
    pub depth: u64,
}

impl Sizes {
    fn plus(self, other: Sizes) -> Sizes {
        Sizes {
            fields: self.fields.saturating_add(other.fields),
            aliases: self.aliases.saturating_add(other.aliases),
            rows: self.rows.saturating_add(other.rows),
            depth: self.depth.max(other.depth),
        }
    }
}

/// Measures selection sets of one document, remembering each fragment's sizes.
pub struct Measure<'a> {
    fragments: &'a HashMap<Name, Positioned<FragmentDefinition>>,
    variables: Option<&'a Json>,
    measured: HashMap<&'a str, Sizes>,
    /// Fragments being measured, innermost last: a spread of one of them is a cycle.
    open: Vec<&'a str>,
}

impl<'a> Measure<'a> {
    /// A measure over the fragments of a document, with the request's variables (page sizes
    /// given as variables count).
    pub fn new(
        fragments: &'a HashMap<Name, Positioned<FragmentDefinition>>,
        variables: Option<&'a Json>,
    ) -> Self {
        Measure {
            fragments,
            variables,
            measured: HashMap::new(),
            open: Vec::new(),
        }
    }

    /// The sizes of `set` expanded; `Err` names a fragment cycle or spreads nested too deep.
    pub fn set(&mut self, set: &'a SelectionSet) -> Result<Sizes, String> {
        let mut total = Sizes::default();
        for item in &set.items {
            let sizes = match &item.node {
                Selection::Field(f) => self.field(&f.node)?,
                Selection::InlineFragment(i) => self.set(&i.node.selection_set.node)?,
                Selection::FragmentSpread(s) => self.fragment(&s.node.fragment_name.node)?,
            };
            total = total.plus(sizes);
        }
        Ok(total)
    }

    /// The sizes of the fragment `name` expanded (nothing for an unknown fragment: validation
    /// reports it).
    pub fn fragment(&mut self, name: &'a Name) -> Result<Sizes, String> {
        if let Some(sizes) = self.measured.get(name.as_str()) {
            return Ok(*sizes);
        }
        if self.open.contains(&name.as_str()) {
            return Err(format!("the fragment `{name}` spreads itself"));
        }
        let Some(def) = self.fragments.get(name) else {
            return Ok(Sizes::default());
        };
        if self.open.len() >= MAX_SPREAD_DEPTH {
            return Err(format!(
                "fragments are spread inside one another more than {MAX_SPREAD_DEPTH} deep"
            ));
        }
        self.open.push(name.as_str());
        let sizes = self.set(&def.node.selection_set.node);
        self.open.pop();
        let sizes = sizes?;
        self.measured.insert(name.as_str(), sizes);
        Ok(sizes)
    }

    fn field(&mut self, field: &'a Field) -> Result<Sizes, String> {
        let inner_set = &field.selection_set.node;
        let inner = self.set(inner_set)?;
        let rows = if inner_set.items.is_empty() {
            0
        } else {
            self.page_size(field, inner_set)
                .saturating_mul(inner.rows.saturating_add(1))
        };
        let introspection = matches!(field.name.node.as_str(), "__schema" | "__type");
        Ok(Sizes {
            fields: inner.fields.saturating_add(1),
            aliases: inner
                .aliases
                .saturating_add(u64::from(field.alias.is_some())),
            rows,
            depth: if introspection {
                0
            } else {
                inner.depth.saturating_add(1)
            },
        })
    }

    /// The rows a field's selection is repeated for: its `first`/`last` (at most
    /// [`MAX_PAGE`], which larger pages are refused beyond), the default page of a connection
    /// (a selection of `nodes` or `edges`) without one, and one otherwise.
    fn page_size(&self, field: &Field, inner: &SelectionSet) -> u64 {
        let given = field
            .arguments
            .iter()
            .filter(|(n, _)| matches!(n.node.as_str(), "first" | "last"))
            .filter_map(|(_, v)| {
                let value = v
                    .node
                    .clone()
                    .into_const_with(|var| {
                        self.variables
                            .and_then(|vars| vars.get(var.as_str()))
                            .and_then(|j| Value::from_json(j.clone()).ok())
                            .ok_or(())
                    })
                    .ok()?;
                match value {
                    Value::Number(n) => n.as_u64(),
                    _ => None,
                }
            })
            .max();
        if let Some(n) = given {
            return n.min(MAX_PAGE);
        }
        let connection = inner.items.iter().any(|i| {
            matches!(&i.node, Selection::Field(f) if matches!(f.node.name.node.as_str(), "nodes" | "edges"))
        });
        if connection { DEFAULT_PAGE } else { 1 }
    }
}
