//! Input values of a request (arguments written in the document and the variables): how deep
//! they nest, how many values they hold, and strings no database column can store.
//!
//! A `where` nested a thousand deep or an `or` of thousands of alternatives compiles to SQL
//! that recursion in the gateway, SQLite's expression-depth limit or PostgreSQL's bind
//! parameter limit would fail on; a NUL character is refused by PostgreSQL in any text. All of
//! these are refused here, before any statement runs, as the client's error they are.

use async_graphql::parser::types::{
    Directive, ExecutableDocument, OperationDefinition, Selection, SelectionSet,
};
use async_graphql::{Name, Positioned};
use async_graphql_value::Value;
use serde_json::Value as Json;

/// How much input a request may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputLimits {
    /// Deepest nesting of lists and objects in one value.
    pub depth: usize,
    /// Most values (every scalar, list and object) in all arguments and variables together.
    pub values: usize,
}

/// Counts and checks input values against [`InputLimits`].
pub struct Inputs {
    limits: InputLimits,
    counted: usize,
}

impl Inputs {
    /// A check with nothing counted yet.
    pub fn new(limits: InputLimits) -> Self {
        Inputs { limits, counted: 0 }
    }

    /// Checks every value written in the document: arguments of fields and directives, and
    /// variables' defaults, in every operation and fragment.
    pub fn document(&mut self, doc: &ExecutableDocument) -> Result<(), String> {
        for (_, op) in doc.operations.iter() {
            self.operation(&op.node)?;
        }
        for fragment in doc.fragments.values() {
            self.directives(&fragment.node.directives)?;
            self.selections(&fragment.node.selection_set.node)?;
        }
        Ok(())
    }

    /// Checks the request's variables (all of them, used or not: each is parsed and held).
    pub fn variables(&mut self, variables: Option<&Json>) -> Result<(), String> {
        let Some(Json::Object(vars)) = variables else {
            return Ok(());
        };
        for (name, value) in vars {
            self.json(value, 0, name)?;
        }
        Ok(())
    }

    fn operation(&mut self, op: &OperationDefinition) -> Result<(), String> {
        for def in &op.variable_definitions {
            if let Some(default) = &def.node.default_value {
                let default = default.node.clone().into_value();
                self.value(&default, 0, def.node.name.node.as_str())?;
            }
            self.directives(&def.node.directives)?;
        }
        self.directives(&op.directives)?;
        self.selections(&op.selection_set.node)
    }

    fn selections(&mut self, set: &SelectionSet) -> Result<(), String> {
        for item in &set.items {
            match &item.node {
                Selection::Field(f) => {
                    self.arguments(&f.node.arguments)?;
                    self.directives(&f.node.directives)?;
                    self.selections(&f.node.selection_set.node)?;
                }
                Selection::InlineFragment(i) => {
                    self.directives(&i.node.directives)?;
                    self.selections(&i.node.selection_set.node)?;
                }
                Selection::FragmentSpread(s) => self.directives(&s.node.directives)?,
            }
        }
        Ok(())
    }

    fn directives(&mut self, directives: &[Positioned<Directive>]) -> Result<(), String> {
        directives
            .iter()
            .try_for_each(|d| self.arguments(&d.node.arguments))
    }

    fn arguments(
        &mut self,
        arguments: &[(Positioned<Name>, Positioned<Value>)],
    ) -> Result<(), String> {
        arguments
            .iter()
            .try_for_each(|(name, value)| self.value(&value.node, 0, name.node.as_str()))
    }

    /// One more value, `depth` lists and objects deep, in the argument or variable `at`.
    fn count(&mut self, depth: usize, at: &str) -> Result<(), String> {
        self.counted += 1;
        if depth > self.limits.depth {
            return Err(format!(
                "`{at}` nests lists and objects more than {} deep (GATEWAY_MAX_INPUT_DEPTH)",
                self.limits.depth
            ));
        }
        if self.counted > self.limits.values {
            return Err(format!(
                "the request's arguments and variables hold more than {} values \
                 (GATEWAY_MAX_INPUT_VALUES)",
                self.limits.values
            ));
        }
        Ok(())
    }

    fn value(&mut self, v: &Value, depth: usize, at: &str) -> Result<(), String> {
        self.count(depth, at)?;
        match v {
            Value::String(s) => text(s, at),
            Value::List(items) => items.iter().try_for_each(|i| self.value(i, depth + 1, at)),
            Value::Object(fields) => fields.iter().try_for_each(|(k, i)| {
                text(k.as_str(), at)?;
                self.value(i, depth + 1, at)
            }),
            _ => Ok(()),
        }
    }

    fn json(&mut self, v: &Json, depth: usize, at: &str) -> Result<(), String> {
        self.count(depth, at)?;
        match v {
            Json::String(s) => text(s, at),
            Json::Array(items) => items.iter().try_for_each(|i| self.json(i, depth + 1, at)),
            Json::Object(fields) => fields.iter().try_for_each(|(k, i)| {
                text(k, at)?;
                self.json(i, depth + 1, at)
            }),
            _ => Ok(()),
        }
    }
}

/// Refuses text that no database column can store.
fn text(s: &str, at: &str) -> Result<(), String> {
    if s.contains('\0') {
        return Err(format!(
            "`{at}` holds a NUL character (U+0000), which no text can store"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const LIMITS: InputLimits = InputLimits {
        depth: 4,
        values: 20,
    };

    fn literal(q: &str) -> Result<(), String> {
        let doc = async_graphql::parser::parse_query(q).map_err(|e| e.to_string())?;
        Inputs::new(LIMITS).document(&doc)
    }

    #[test]
    fn depth_count_and_nul_of_literals() {
        assert_eq!(literal("{ a(w: {not: {x: {eq: 1}}}) }"), Ok(()));
        assert!(
            literal("{ a(w: {not: {not: {not: {not: {x: 1}}}}}) }")
                .is_err_and(|m| m.contains("GATEWAY_MAX_INPUT_DEPTH") && m.contains("`w`"))
        );
        let wide = format!("{{ a(ids: [{}]) }}", vec!["1"; 25].join(","));
        assert!(literal(&wide).is_err_and(|m| m.contains("GATEWAY_MAX_INPUT_VALUES")));
        assert!(literal(r#"{ a(s: "x\u0000y") }"#).is_err_and(|m| m.contains("NUL")));
        assert!(literal(r#"query($v: String = "\u0000") { a }"#).is_err_and(|m| m.contains("`v`")));
        assert!(literal(r#"{ ...F } fragment F on Q { a @skip(if: "\u0000") }"#).is_err());
    }

    #[test]
    fn depth_count_and_nul_of_variables() {
        let vars = |v: Json| Inputs::new(LIMITS).variables(Some(&v));
        assert_eq!(vars(json!({ "a": [1, 2], "b": { "c": "x" } })), Ok(()));
        assert!(vars(json!({ "a": [[[[[1]]]]] })).is_err_and(|m| m.contains("`a`")));
        assert!(vars(json!({ "a": vec![0; 30] })).is_err());
        assert!(vars(json!({ "a": { "k\u{0}": 1 } })).is_err_and(|m| m.contains("NUL")));
    }
}
