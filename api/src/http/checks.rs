//! Checks of a document before it runs, shared by HTTP and WebSocket requests: what
//! async-graphql's own limits (depth, per-field complexity) do not see.
//!
//! - **Aliases**: at most `max_aliases` aliased fields in the selected operation, counted once
//!   per use of a fragment, so that spreading one fragment many times does not multiply them
//!   unseen.
//! - **Rows**: the estimated number of objects (rows) the operation can produce: every field
//!   with a selection is one object, repeated by its page size when it pages (`first`/`last`,
//!   literal or variable, default [`DEFAULT_PAGE`] for a connection). Three nested connections
//!   of 100 each are a million rows even though each field costs one in the complexity count;
//!   this refuses them before a statement runs, while scalar fields cost nothing here (the
//!   complexity limit counts them).
//! - **Required variables** missing or null, which async-graphql would otherwise answer as a
//!   field error at execution time.

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, Field, FragmentDefinition, OperationDefinition,
    OperationType, Selection, SelectionSet,
};
use async_graphql::{Name, Positioned, Value};
use serde_json::Value as Json;
use std::collections::HashMap;

use crate::graphql::fetch::{DEFAULT_PAGE, MAX_PAGE};

/// The limits of [`check`].
#[derive(Debug, Clone, Copy)]
pub struct DocLimits {
    /// Most aliased fields in one operation.
    pub max_aliases: usize,
    /// Largest estimated number of objects (rows) one operation may produce.
    pub max_rows: u64,
}

/// Fragment spreads followed inside one another at most; deeper nesting is a cycle or abuse,
/// which validation refuses anyway.
const MAX_SPREAD_DEPTH: usize = 32;

/// A document parsed once, with its selected operation, for the checks before execution.
pub struct Document {
    doc: ExecutableDocument,
    /// The operation's name, when the request names one.
    operation_name: Option<String>,
}

impl Document {
    /// `query` parsed (`None`: it does not parse; execution reports that with the library's
    /// message).
    pub fn parse(query: &str, operation_name: Option<&str>) -> Option<Document> {
        Some(Document {
            doc: async_graphql::parser::parse_query(query).ok()?,
            operation_name: operation_name.map(str::to_owned),
        })
    }

    fn operation(&self) -> Option<&Positioned<OperationDefinition>> {
        match (&self.doc.operations, self.operation_name.as_deref()) {
            (DocumentOperations::Single(op), _) => Some(op),
            (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name),
            (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next(),
            (DocumentOperations::Multiple(_), None) => None,
        }
    }

    /// Whether the selected operation is a query (`None`: no such operation).
    pub fn is_query(&self) -> Option<bool> {
        self.operation()
            .map(|op| op.node.ty == OperationType::Query)
    }

    /// Why the selected operation may not run, if it may not (`Ok` also when there is no such
    /// operation: execution reports that).
    pub fn check(&self, variables: Option<&Json>, limits: DocLimits) -> Result<(), String> {
        let Some(op) = self.operation() else {
            return Ok(());
        };
        let walk = Walk {
            fragments: &self.doc.fragments,
            variables,
        };
        let set = &op.node.selection_set.node;
        let aliases = walk.aliases(set, 0);
        if aliases > limits.max_aliases {
            return Err(format!(
                "the operation has {aliases} aliased fields; at most {} are accepted",
                limits.max_aliases
            ));
        }
        let rows = walk.rows(set, 0);
        if rows > limits.max_rows {
            return Err(format!(
                "the operation could produce about {rows} objects (page sizes multiply along \
                 nested connections); at most {} are accepted: ask for smaller pages",
                limits.max_rows
            ));
        }
        if let Some(missing) = missing_variable(&op.node, variables) {
            return Err(missing);
        }
        Ok(())
    }
}

/// Why `query` may not run, if it may not ([`Document::check`]; `Ok` when it does not parse).
pub fn check(
    query: &str,
    operation_name: Option<&str>,
    variables: Option<&Json>,
    limits: DocLimits,
) -> Result<(), String> {
    Document::parse(query, operation_name).map_or(Ok(()), |d| d.check(variables, limits))
}

struct Walk<'a> {
    fragments: &'a HashMap<Name, Positioned<FragmentDefinition>>,
    variables: Option<&'a Json>,
}

impl Walk<'_> {
    fn spread(&self, name: &Name, depth: usize) -> Option<&SelectionSet> {
        (depth < MAX_SPREAD_DEPTH)
            .then(|| self.fragments.get(name))
            .flatten()
            .map(|f| &f.node.selection_set.node)
    }

    fn aliases(&self, set: &SelectionSet, depth: usize) -> usize {
        set.items
            .iter()
            .map(|item| match &item.node {
                Selection::Field(f) => usize::from(f.node.alias.is_some())
                    .saturating_add(self.aliases(&f.node.selection_set.node, depth)),
                Selection::InlineFragment(i) => self.aliases(&i.node.selection_set.node, depth),
                Selection::FragmentSpread(s) => self
                    .spread(&s.node.fragment_name.node, depth)
                    .map_or(0, |set| self.aliases(set, depth + 1)),
            })
            .fold(0, usize::saturating_add)
    }

    fn rows(&self, set: &SelectionSet, depth: usize) -> u64 {
        set.items
            .iter()
            .map(|item| match &item.node {
                Selection::Field(f) => {
                    let inner = &f.node.selection_set.node;
                    if inner.items.is_empty() {
                        return 0;
                    }
                    let page = self.page_size(&f.node, inner);
                    page.saturating_mul(self.rows(inner, depth).saturating_add(1))
                }
                Selection::InlineFragment(i) => self.rows(&i.node.selection_set.node, depth),
                Selection::FragmentSpread(s) => self
                    .spread(&s.node.fragment_name.node, depth)
                    .map_or(0, |set| self.rows(set, depth + 1)),
            })
            .fold(0, u64::saturating_add)
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

/// The first required variable (non-null type, no default) of `op` that `variables` leaves
/// out or sets to null.
fn missing_variable(op: &OperationDefinition, variables: Option<&Json>) -> Option<String> {
    op.variable_definitions.iter().find_map(|def| {
        let def = &def.node;
        let name = def.name.node.as_str();
        let given = variables
            .and_then(|v| v.get(name))
            .is_some_and(|v| !v.is_null());
        (!def.var_type.node.nullable && def.default_value.is_none() && !given).then(|| {
            format!(
                "the variable `${name}` of type `{}` is required",
                def.var_type.node
            )
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const LIMITS: DocLimits = DocLimits {
        max_aliases: 30,
        max_rows: 100_000,
    };

    fn aliases(q: &str) -> usize {
        let d = Document::parse(q, None).unwrap_or_else(|| panic!("{q}"));
        let walk = Walk {
            fragments: &d.doc.fragments,
            variables: None,
        };
        d.operation()
            .map_or(0, |op| walk.aliases(&op.node.selection_set.node, 0))
    }

    fn rows(q: &str, vars: Option<&Json>) -> u64 {
        let d = Document::parse(q, None).unwrap_or_else(|| panic!("{q}"));
        let walk = Walk {
            fragments: &d.doc.fragments,
            variables: vars,
        };
        d.operation()
            .map_or(0, |op| walk.rows(&op.node.selection_set.node, 0))
    }

    #[test]
    fn aliases_count_per_use_of_a_fragment() {
        assert_eq!(aliases("{ __typename }"), 0);
        assert_eq!(
            aliases("{ a: __typename b: __typename ... on Query { c: __typename } }"),
            3
        );
        assert_eq!(
            aliases("query { ...F } fragment F on Query { x: __typename y { z: w } }"),
            2
        );
        assert_eq!(
            aliases("query { ...F a { ...F } } fragment F on Query { x: __typename }"),
            2
        );
        // A cycle is cut off rather than followed for ever.
        assert!(aliases("query { ...F } fragment F on Query { x: a { ...F } }") > 0);
    }

    #[test]
    fn page_sizes_multiply_along_nested_connections() {
        assert_eq!(rows("{ a b }", None), 0);
        assert_eq!(rows("{ a { b } }", None), 1);
        // A page of 10 nodes: 10 × (the page's row + its node).
        assert_eq!(rows("{ c(first: 10) { nodes { x y } } }", None), 10 * 2);
        assert_eq!(rows("{ c { nodes { x } } }", None), 20 * 2);
        assert_eq!(
            rows(
                "query($n: Int) { c(first: $n) { nodes { x } } }",
                Some(&json!({ "n": 5 }))
            ),
            5 * 2
        );
        assert_eq!(rows("{ c(first: 1000) { nodes { x } } }", None), 100 * 2);
        assert_eq!(
            rows(
                "{ c(first: 2) { nodes { d(first: 3) { nodes { x } } } } }",
                None
            ),
            2 * (1 + (1 + 3 * 2))
        );
        let deep = "{ a(first: 100) { nodes { b(first: 100) { nodes { c(first: 100) { nodes { x } } } } } } }";
        assert!(check(deep, None, None, LIMITS).is_err_and(|m| m.contains("smaller pages")));
        let two = "{ a(first: 100) { nodes { b(first: 100) { nodes { x } } } } }";
        assert_eq!(check(two, None, None, LIMITS), Ok(()));
    }

    #[test]
    fn required_variables() {
        let c = |q: &str, op: Option<&str>, v: Option<&Json>| check(q, op, v, LIMITS);
        let q = "query($id: UUID!, $n: Int, $d: Int! = 3) { a }";
        assert!(c(q, None, None).is_err_and(|m| m.contains("$id")));
        assert!(c(q, None, Some(&json!({ "id": null }))).is_err());
        assert_eq!(c(q, None, Some(&json!({ "id": "x" }))), Ok(()));
        assert_eq!(c("{", None, None), Ok(()));
        assert_eq!(
            c("query A($x: Int!) { a } query B { b }", Some("B"), None),
            Ok(())
        );
    }

    #[test]
    fn operation_kinds() {
        let kind = |q: &str, op: Option<&str>| Document::parse(q, op).and_then(|d| d.is_query());
        assert_eq!(kind("{ __typename }", None), Some(true));
        assert_eq!(kind("mutation { __typename }", None), Some(false));
        assert_eq!(
            kind("query A { a } mutation B { b }", Some("B")),
            Some(false)
        );
        assert_eq!(kind("query A { a } mutation B { b }", None), None);
        assert_eq!(kind("{", None), None);
    }
}
