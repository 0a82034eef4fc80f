//! Checks of a document before it runs, shared by HTTP and WebSocket requests: what
//! async-graphql's own limits (depth, per-field complexity) do not see, or would only see after
//! work a hostile document can make unbounded. Past any limit the request is refused with
//! `BAD_USER_INPUT` naming the limit, before anything runs.
//!
//! - **Nesting of the text** (`lexical`), before parsing: the parser recurses.
//! - **Fragments** (`selections`): every fragment measured once, so a fragment bomb (each
//!   fragment spreading the next twice) is refused for its expanded size without expanding
//!   it; cycles and spreads nested deeper than 32 are refused.
//! - **Aliases**: at most `max_aliases` aliased fields in the selected operation, counted once
//!   per use of a fragment.
//! - **Rows**: the estimated number of objects (rows) the operation can produce: every field
//!   with a selection is one object, repeated by its page size when it pages (`first`/`last`,
//!   literal or variable, default `DEFAULT_PAGE` for a connection). Three nested connections
//!   of 100 each are a million rows even though each field costs one in the complexity count.
//! - **Introspection** (`introspection`): the objects it answers, counted exactly against the
//!   schema, at most `max_introspections` times what the standard introspection query answers.
//! - **Inputs** (`inputs`): nesting and number of input values, variables included; NUL
//!   characters; the number of variables a document defines.
//! - **Required variables** missing or null, which async-graphql would otherwise answer as a
//!   field error at execution time.

pub mod empty;
mod inputs;
mod introspection;
mod lexical;
mod selections;
mod unions;

use std::sync::Arc;

use async_graphql::Positioned;
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationDefinition, OperationType,
};
use serde_json::Value as Json;

pub use inputs::InputLimits;
pub use introspection::{STANDARD as STANDARD_INTROSPECTION, Shape};
use selections::Measure;
pub use unions::Types;

/// The limits of [`check`].
#[derive(Debug, Clone)]
pub struct DocLimits {
    /// Most aliased fields in one operation.
    pub max_aliases: usize,
    /// Largest estimated number of objects (rows) one operation may produce.
    pub max_rows: u64,
    /// Deepest selection nesting of data (introspection left out, see [`Sizes`]); it also
    /// bounds the text's nesting, with the input depth, before parsing.
    ///
    /// [`Sizes`]: selections::Sizes
    pub max_depth: usize,
    /// Most fields of an operation with every fragment spread expanded (the complexity limit,
    /// which the library would only reach by walking every expansion).
    pub max_fields: usize,
    /// Most variables a document defines.
    pub max_variables: usize,
    /// How deep and how many input values.
    pub inputs: InputLimits,
    /// The schema's shape, to count introspection (`None`: introspection is off).
    pub schema: Option<Arc<Shape>>,
    /// Most introspection an operation may answer, in copies of the standard introspection
    /// query's answer (so the budget grows with the schema).
    pub max_introspections: u64,
    /// The schema's types, to rewrite fragments on unions (see [`unions`]).
    pub types: Arc<Types>,
}

/// A document parsed once, with its selected operation, for the checks before execution.
pub struct Document {
    doc: ExecutableDocument,
    /// The operation's name, when the request names one.
    operation_name: Option<String>,
}

impl Document {
    /// `query` parsed: `Ok(None)` when it does not parse (execution reports that with the
    /// library's message), `Err` when it nests too deep to be parsed safely.
    pub fn parse(
        query: &str,
        operation_name: Option<&str>,
        limits: &DocLimits,
    ) -> Result<Option<Document>, String> {
        // Selections, arguments and input values all nest in the text; a little room for the
        // brackets of arguments and the operation itself.
        let most = limits
            .max_depth
            .saturating_add(limits.inputs.depth)
            .saturating_add(4);
        let nesting = lexical::nesting(query);
        if nesting > most {
            return Err(format!(
                "the document nests brackets {nesting} deep; at most {most} are accepted \
                 (GATEWAY_MAX_DEPTH and GATEWAY_MAX_INPUT_DEPTH)"
            ));
        }
        Ok(async_graphql::parser::parse_query(query)
            .ok()
            .map(|doc| Document {
                doc,
                operation_name: operation_name.map(str::to_owned),
            }))
    }

    fn operation(&self) -> Option<&Positioned<OperationDefinition>> {
        match (&self.doc.operations, self.operation_name.as_deref()) {
            (DocumentOperations::Single(op), _) => Some(op),
            (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name),
            (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next(),
            (DocumentOperations::Multiple(_), None) => None,
        }
    }

    /// The kind of the selected operation (`None`: no such operation).
    pub fn kind(&self) -> Option<OperationType> {
        self.operation().map(|op| op.node.ty)
    }

    /// Whether the selected operation is a query (`None`: no such operation).
    pub fn is_query(&self) -> Option<bool> {
        self.operation()
            .map(|op| op.node.ty == OperationType::Query)
    }

    /// The parsed document, for execution to use instead of parsing the text again, with its
    /// fragments on unions rewritten into forms the executor applies ([`unions`]) and its
    /// selections that may apply no field marked ([`empty`]). Call it after
    /// [`Document::check`]: the copies it makes are bounded by the checked size.
    pub fn into_parsed(self, limits: &DocLimits) -> Result<ExecutableDocument, String> {
        if empty::uses_marker(&self.doc) {
            return Err(format!(
                "the response key `{}` is reserved by the gateway",
                empty::MARKER
            ));
        }
        let budget = limits.max_fields.saturating_mul(4).max(1_000);
        let mut doc = unions::expand(self.doc, &limits.types, budget)?;
        empty::mark(&mut doc);
        Ok(doc)
    }

    /// Why the document may not run, if it may not. Every operation and fragment is measured
    /// (the library walks them all before it selects one); the selected operation also
    /// against the alias and row limits. `Ok` when there is no such operation: execution
    /// reports that.
    pub fn check(&self, variables: Option<&Json>, limits: &DocLimits) -> Result<(), String> {
        let defined: usize = self
            .doc
            .operations
            .iter()
            .map(|(_, op)| op.node.variable_definitions.len())
            .sum();
        if defined > limits.max_variables {
            return Err(format!(
                "the document defines {defined} variables; at most {} are accepted \
                 (GATEWAY_MAX_VARIABLES)",
                limits.max_variables
            ));
        }
        let mut inputs = inputs::Inputs::new(limits.inputs);
        inputs.variables(variables)?;
        inputs.document(&self.doc)?;
        let mut measure = Measure::new(&self.doc.fragments, variables);
        let max_fields = u64::try_from(limits.max_fields).unwrap_or(u64::MAX);
        let too_many = |fields: u64, what: &str| {
            format!(
                "{what} has {fields} fields with its fragments expanded; at most {max_fields} are \
                 accepted (GATEWAY_MAX_COMPLEXITY)"
            )
        };
        for name in self.doc.fragments.keys() {
            let fields = measure.fragment(name)?.fields;
            if fields > max_fields {
                return Err(too_many(fields, &format!("the fragment `{name}`")));
            }
        }
        for (_, op) in self.doc.operations.iter() {
            let fields = measure.set(&op.node.selection_set.node)?.fields;
            if fields > max_fields {
                return Err(too_many(fields, "the operation"));
            }
        }
        let Some(op) = self.operation() else {
            return Ok(());
        };
        let sizes = measure.set(&op.node.selection_set.node)?;
        if sizes.depth > limits.max_depth as u64 {
            return Err(format!(
                "the operation is too deep: its fields nest {} deep; at most {} are accepted \
                 (GATEWAY_MAX_DEPTH)",
                sizes.depth, limits.max_depth
            ));
        }
        if sizes.aliases > limits.max_aliases as u64 {
            return Err(format!(
                "the operation has {} aliased fields; at most {} are accepted",
                sizes.aliases, limits.max_aliases
            ));
        }
        if sizes.rows > limits.max_rows {
            return Err(format!(
                "the operation could produce about {} objects (page sizes multiply along nested \
                 connections); at most {} are accepted: ask for smaller pages",
                sizes.rows, limits.max_rows
            ));
        }
        if let Some(shape) = &limits.schema {
            let budget = shape.standard().saturating_mul(limits.max_introspections);
            if introspection::Count::of(shape, &self.doc, &op.node, variables, budget).is_none() {
                return Err(format!(
                    "the operation's introspection would answer more than {budget} objects, \
                     {} times what the standard introspection query answers \
                     (GATEWAY_MAX_INTROSPECTION)",
                    limits.max_introspections
                ));
            }
        }
        if let Some(missing) = missing_variable(&op.node, variables) {
            return Err(missing);
        }
        Ok(())
    }
}

/// Parses, checks and prepares the document of `request` for execution ([`Document::check`],
/// [`Document::into_parsed`]); `Err` says why it may not run. A document that does not parse
/// is left to execution, which reports that with the library's message.
pub fn prepare(request: &mut async_graphql::Request, limits: &DocLimits) -> Result<(), String> {
    let Some(doc) = Document::parse(&request.query, request.operation_name.as_deref(), limits)?
    else {
        return Ok(());
    };
    let variables = serde_json::to_value(&request.variables).ok();
    doc.check(variables.as_ref(), limits)?;
    attach(request, doc.into_parsed(limits)?);
    Ok(())
}

/// `request` to run `doc` ([`Document::into_parsed`]), flagged ([`empty::Marked`]) when the
/// document holds the marker of empty objects, so that only its answers are searched for it.
pub fn attach(request: &mut async_graphql::Request, doc: ExecutableDocument) {
    if empty::uses_marker(&doc) {
        request.data.insert(empty::Marked);
    }
    request.set_parsed_query(doc);
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

    /// Why `query` may not run, if it may not (`Ok` when it does not parse).
    fn check(
        query: &str,
        operation_name: Option<&str>,
        variables: Option<&Json>,
        limits: &DocLimits,
    ) -> Result<(), String> {
        Document::parse(query, operation_name, limits)?
            .map_or(Ok(()), |d| d.check(variables, limits))
    }

    fn limits() -> DocLimits {
        DocLimits {
            max_aliases: 30,
            max_rows: 100_000,
            max_depth: 12,
            max_fields: 5000,
            max_variables: 100,
            inputs: InputLimits {
                depth: 16,
                values: 10_000,
            },
            schema: None,
            max_introspections: 2,
            types: Arc::default(),
        }
    }

    fn sizes(q: &str, vars: Option<&Json>) -> selections::Sizes {
        let d = async_graphql::parser::parse_query(q).unwrap_or_else(|e| panic!("{q}: {e}"));
        let mut m = Measure::new(&d.fragments, vars);
        let (_, op) = d.operations.iter().next().unwrap_or_else(|| panic!("{q}"));
        m.set(&op.node.selection_set.node)
            .unwrap_or_else(|e| panic!("{q}: {e}"))
    }

    fn c(q: &str, op: Option<&str>, v: Option<&Json>) -> Result<(), String> {
        check(q, op, v, &limits())
    }

    #[test]
    fn aliases_count_per_use_of_a_fragment() {
        let aliases = |q: &str| sizes(q, None).aliases;
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
    }

    #[test]
    fn page_sizes_multiply_along_nested_connections() {
        let rows = |q: &str, v: Option<&Json>| sizes(q, v).rows;
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
        assert!(c(deep, None, None).is_err_and(|m| m.contains("smaller pages")));
        let two = "{ a(first: 100) { nodes { b(first: 100) { nodes { x } } } } }";
        assert_eq!(c(two, None, None), Ok(()));
    }

    /// A document of `k` fragments, each spreading the next twice: 2^k fields expanded.
    fn bomb(k: usize) -> String {
        let mut q = String::from("query { ...F0 }");
        for i in 0..k {
            q.push_str(&format!(
                " fragment F{i} on Query {{ ...F{} ...F{} }}",
                i + 1,
                i + 1
            ));
        }
        q.push_str(&format!(" fragment F{k} on Query {{ __typename }}"));
        q
    }

    #[test]
    fn fragment_bombs_are_measured_without_expanding_them() {
        assert_eq!(sizes(&bomb(10), None).fields, 1024);
        let started = std::time::Instant::now();
        assert!(c(&bomb(30), None, None).is_err_and(|m| m.contains("GATEWAY_MAX_COMPLEXITY")));
        // Refused for its size or its spread depth, whichever fragment is measured first.
        assert!(c(&bomb(60), None, None).is_err_and(|m| m.contains("fragment")));
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        assert_eq!(c(&bomb(8), None, None), Ok(()));
        // A cycle, even in an operation that is not selected, is refused, not followed.
        let cycle =
            "query A { __typename } query B { ...F } fragment F on Query { a { ...F ...F } }";
        assert!(c(cycle, Some("A"), None).is_err_and(|m| m.contains("spreads itself")));
    }

    #[test]
    fn nesting_is_refused_before_parsing() {
        let deep = format!(
            "{{ a(w: {}x: 1{}) }}",
            "{not: ".repeat(5000),
            "}".repeat(5000)
        );
        assert!(c(&deep, None, None).is_err_and(|m| m.contains("GATEWAY_MAX_INPUT_DEPTH")));
        let wide = format!("{{ a(w: {{or: [{}]}}) }}", vec!["{x: 1}"; 6000].join(","));
        assert!(c(&wide, None, None).is_err_and(|m| m.contains("GATEWAY_MAX_INPUT_VALUES")));
    }

    #[test]
    fn variables_are_limited() {
        let defs: Vec<String> = (0..101).map(|i| format!("$v{i}: Int")).collect();
        let q = format!("query({}) {{ a }}", defs.join(", "));
        assert!(c(&q, None, None).is_err_and(|m| m.contains("GATEWAY_MAX_VARIABLES")));
        assert!(
            c(
                "query($s: String) { a(s: $s) }",
                None,
                Some(&json!({ "s": "a\u{0}" }))
            )
            .is_err_and(|m| m.contains("NUL"))
        );
    }

    #[test]
    fn required_variables() {
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
    fn introspection_is_counted_against_the_schema() {
        let sdl = "type Query { a: A b(x: Int): [A] } type A { f: A g: Int }";
        let shape = Arc::new(Shape::from_sdl(sdl).unwrap_or_else(|e| panic!("{e}")));
        let count = |q: &str, budget: u64| {
            let d = async_graphql::parser::parse_query(q).unwrap_or_else(|e| panic!("{e}"));
            let (_, op) = d.operations.iter().next().unwrap_or_else(|| panic!("{q}"));
            introspection::Count::of(&shape, &d, &op.node, None, budget)
        };
        assert_eq!(count("{ __typename }", 100), Some(0));
        assert_eq!(count("{ __type(name: \"A\") { name } }", 100), Some(1));
        // A, then its two fields.
        assert_eq!(
            count("{ __type(name: \"A\") { fields { name } } }", 100),
            Some(3)
        );
        // b: [A] is a list, its ofType the named A.
        assert_eq!(
            count(
                "{ __type(name: \"Query\") { fields { type { ofType { name } } } } }",
                100
            ),
            Some(1 + 2 + 2 + 1)
        );
        assert_eq!(
            count("{ __schema { types { name } } }", 10_000).map(|n| n > 10),
            Some(true)
        );
        assert_eq!(
            count(
                "{ __schema { types { fields { type { fields { name } } } } } }",
                50
            ),
            None
        );
        let mut l = limits();
        l.schema = Some(shape.clone());
        l.max_introspections = 1;
        assert_eq!(check(introspection::STANDARD, None, None, &l), Ok(()));
        let fragments = &introspection::STANDARD[introspection::STANDARD
            .find("fragment FullType")
            .unwrap_or(0)..];
        let twice = format!(
            "{{ a: __schema {{ types {{ ...FullType }} }} b: __schema {{ types {{ ...FullType }} }} }} {fragments}"
        );
        assert_eq!(
            count(&twice, 10_000).map(|n| n > shape.standard()),
            Some(true)
        );
        assert!(
            check(&twice, None, None, &l).is_err_and(|m| m.contains("GATEWAY_MAX_INTROSPECTION"))
        );
    }

    #[test]
    fn operation_kinds() {
        let kind = |q: &str, op: Option<&str>| {
            Document::parse(q, op, &limits())
                .ok()
                .flatten()
                .and_then(|d| d.is_query())
        };
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
