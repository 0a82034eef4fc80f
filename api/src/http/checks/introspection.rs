//! The exact number of objects an introspection selection answers, counted against the
//! schema before it runs.
//!
//! Introspection is answered from memory, but not for free: `__schema { types { fields { type
//! { fields { … } } } } }` multiplies the schema by itself, and 2.5 KB of such a document
//! answered 5.5 MB. The library's complexity limit does not count introspection fields, so
//! this counts every `__Schema`, `__Type`, `__Field`, `__InputValue`, `__EnumValue` and
//! `__Directive` object the selection would produce, walking the schema's shape, and stops as
//! soon as the count passes the budget (so counting costs no more than the budget).

use std::collections::HashMap;

use async_graphql::parser::types::{
    BaseType, ExecutableDocument, FragmentDefinition, OperationDefinition, OperationType,
    Selection, SelectionSet, ServiceDocument, Type, TypeKind, TypeSystemDefinition,
};
use async_graphql::{Name, Positioned};
use async_graphql_value::Value;
use serde_json::Value as Json;

use super::selections::MAX_SPREAD_DEPTH;

/// The introspection types and built-in scalars, which the served SDL leaves out but
/// `__schema { types }` lists.
const BUILT_IN: &str = r#"
scalar String scalar Int scalar Float scalar Boolean scalar ID
type __Schema { description: String types: [__Type!]! queryType: __Type! mutationType: __Type subscriptionType: __Type directives: [__Directive!]! }
type __Type { kind: __TypeKind! name: String description: String specifiedByURL: String fields(includeDeprecated: Boolean): [__Field!] interfaces: [__Type!] possibleTypes: [__Type!] enumValues(includeDeprecated: Boolean): [__EnumValue!] inputFields(includeDeprecated: Boolean): [__InputValue!] ofType: __Type isOneOf: Boolean }
type __Field { name: String! description: String args(includeDeprecated: Boolean): [__InputValue!]! type: __Type! isDeprecated: Boolean! deprecationReason: String }
type __InputValue { name: String! description: String type: __Type! defaultValue: String isDeprecated: Boolean! deprecationReason: String }
type __EnumValue { name: String! description: String isDeprecated: Boolean! deprecationReason: String }
type __Directive { name: String! description: String locations: [__DirectiveLocation!]! args(includeDeprecated: Boolean): [__InputValue!]! isRepeatable: Boolean! }
enum __TypeKind { SCALAR OBJECT INTERFACE UNION ENUM INPUT_OBJECT LIST NON_NULL }
enum __DirectiveLocation { QUERY MUTATION SUBSCRIPTION FIELD FRAGMENT_DEFINITION FRAGMENT_SPREAD INLINE_FRAGMENT VARIABLE_DEFINITION SCHEMA SCALAR OBJECT FIELD_DEFINITION ARGUMENT_DEFINITION INTERFACE UNION ENUM ENUM_VALUE INPUT_OBJECT INPUT_FIELD_DEFINITION }
directive @include(if: Boolean!) on FIELD
directive @skip(if: Boolean!) on FIELD
directive @deprecated(reason: String) on FIELD_DEFINITION
directive @specifiedBy(url: String!) on SCALAR
directive @oneOf on INPUT_OBJECT
"#;

/// graphql-js `getIntrospectionQuery()`, as GraphiQL and codegen send it: the measure of the
/// introspection budget.
pub const STANDARD: &str = r#"
query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) {
    name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason
  }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name
    ofType { kind name ofType { kind name ofType { kind name } } } } } } } }
}
"#;

/// A type reference: a named type (its index), a list or a non-null of another.
#[derive(Debug, Clone)]
enum Ref {
    Named(usize),
    List(Box<Ref>),
    NonNull(Box<Ref>),
}

#[derive(Debug, Default)]
struct Field {
    args: Vec<Ref>,
    ty: Option<Ref>,
}

#[derive(Debug, Default)]
struct Named {
    fields: Vec<Field>,
    input_fields: Vec<Ref>,
    interfaces: Vec<usize>,
    possible: Vec<usize>,
    enum_values: usize,
}

/// The shape of a schema as introspection shows it.
#[derive(Debug, Default)]
pub struct Shape {
    types: Vec<Named>,
    index: HashMap<String, usize>,
    directives: Vec<Vec<Ref>>,
    roots: [Option<usize>; 3],
    /// Objects the [`STANDARD`] query answers.
    standard: u64,
}

impl Shape {
    /// The shape of the schema whose SDL is `sdl` (`Err`: it does not parse).
    pub fn from_sdl(sdl: &str) -> Result<Shape, String> {
        let mut defs = Vec::new();
        for text in [sdl, BUILT_IN] {
            let doc: ServiceDocument =
                async_graphql::parser::parse_schema(text).map_err(|e| e.to_string())?;
            defs.extend(doc.definitions);
        }
        let mut shape = Shape::default();
        for def in &defs {
            if let TypeSystemDefinition::Type(t) = def {
                let name = t.node.name.node.to_string();
                if !shape.index.contains_key(&name) {
                    shape.index.insert(name, shape.types.len());
                    shape.types.push(Named::default());
                }
            }
        }
        for def in &defs {
            match def {
                TypeSystemDefinition::Type(t) => shape.describe(&t.node.name.node, &t.node.kind),
                TypeSystemDefinition::Directive(d) => {
                    let args = d.node.arguments.iter();
                    let args = args.filter_map(|a| shape.reference(&a.node.ty.node));
                    shape.directives.push(args.collect());
                }
                TypeSystemDefinition::Schema(s) => {
                    let s = &s.node;
                    for (slot, name) in [&s.query, &s.mutation, &s.subscription]
                        .into_iter()
                        .enumerate()
                    {
                        if let Some(n) = name {
                            shape.roots[slot] = shape.index.get(n.node.as_str()).copied();
                        }
                    }
                }
            }
        }
        for (slot, name) in ["Query", "Mutation", "Subscription"]
            .into_iter()
            .enumerate()
        {
            if shape.roots[slot].is_none() {
                shape.roots[slot] = shape.index.get(name).copied();
            }
        }
        let standard = async_graphql::parser::parse_query(STANDARD).map_err(|e| e.to_string())?;
        let (_, op) = standard
            .operations
            .iter()
            .next()
            .ok_or("the standard introspection query has no operation")?;
        shape.standard = Count::of(&shape, &standard, &op.node, None, u64::MAX).unwrap_or(u64::MAX);
        Ok(shape)
    }

    /// Objects the standard introspection query answers for this schema.
    pub fn standard(&self) -> u64 {
        self.standard
    }

    fn describe(&mut self, name: &Name, kind: &TypeKind) {
        let Some(&at) = self.index.get(name.as_str()) else {
            return;
        };
        let mut named = Named::default();
        match kind {
            TypeKind::Object(o) => {
                named.fields = self.fields(&o.fields);
                named.interfaces = self.names(o.implements.iter().map(|i| &i.node));
            }
            TypeKind::Interface(i) => {
                named.fields = self.fields(&i.fields);
                named.interfaces = self.names(i.implements.iter().map(|i| &i.node));
            }
            TypeKind::Union(u) => named.possible = self.names(u.members.iter().map(|m| &m.node)),
            TypeKind::Enum(e) => named.enum_values = e.values.len(),
            TypeKind::InputObject(o) => {
                let refs = o
                    .fields
                    .iter()
                    .filter_map(|f| self.reference(&f.node.ty.node));
                named.input_fields = refs.collect();
            }
            TypeKind::Scalar => {}
        }
        // An interface's possible types are the objects that implement it.
        for &interface in &named.interfaces {
            if let Some(t) = self.types.get_mut(interface) {
                t.possible.push(at);
            }
        }
        if let Some(slot) = self.types.get_mut(at) {
            named.possible.append(&mut slot.possible);
            *slot = named;
        }
    }

    fn fields(
        &self,
        fields: &[Positioned<async_graphql::parser::types::FieldDefinition>],
    ) -> Vec<Field> {
        fields
            .iter()
            .map(|f| Field {
                args: f
                    .node
                    .arguments
                    .iter()
                    .filter_map(|a| self.reference(&a.node.ty.node))
                    .collect(),
                ty: self.reference(&f.node.ty.node),
            })
            .collect()
    }

    fn names<'n>(&self, names: impl Iterator<Item = &'n Name>) -> Vec<usize> {
        names
            .filter_map(|n| self.index.get(n.as_str()).copied())
            .collect()
    }

    fn reference(&self, ty: &Type) -> Option<Ref> {
        let base = match &ty.base {
            BaseType::Named(n) => Ref::Named(*self.index.get(n.as_str())?),
            BaseType::List(inner) => Ref::List(Box::new(self.reference(inner)?)),
        };
        Some(if ty.nullable {
            base
        } else {
            Ref::NonNull(Box::new(base))
        })
    }
}

/// What an introspection field is selected on.
#[derive(Clone, Copy)]
enum Node<'s> {
    Schema,
    Type(&'s Ref),
    Named(usize),
    Field(&'s Field),
    Input(&'s Ref),
    Directive(&'s Vec<Ref>),
    Leaf,
}

/// Counts introspection objects of one operation against a budget.
pub struct Count<'a> {
    shape: &'a Shape,
    fragments: &'a HashMap<Name, Positioned<FragmentDefinition>>,
    variables: Option<&'a Json>,
    left: u64,
}

impl<'a> Count<'a> {
    /// The objects the introspection fields of `op` answer, or `None` past `budget`.
    pub fn of(
        shape: &'a Shape,
        doc: &'a ExecutableDocument,
        op: &'a OperationDefinition,
        variables: Option<&'a Json>,
        budget: u64,
    ) -> Option<u64> {
        if op.ty != OperationType::Query {
            return Some(0);
        }
        let mut count = Count {
            shape,
            fragments: &doc.fragments,
            variables,
            left: budget,
        };
        count.root(&op.selection_set.node, 0)?;
        Some(budget - count.left)
    }

    fn take(&mut self, n: u64) -> Option<()> {
        self.left = self.left.checked_sub(n)?;
        Some(())
    }

    /// The root selection: `__schema` and `__type`, also inside fragments.
    fn root(&mut self, set: &'a SelectionSet, spreads: usize) -> Option<()> {
        for item in &set.items {
            match &item.node {
                Selection::Field(f) => {
                    let f = &f.node;
                    match f.name.node.as_str() {
                        "__schema" => self.each(Node::Schema, &f.selection_set.node, spreads)?,
                        "__type" => {
                            if let Some(at) = self.type_named(f.get_argument("name")) {
                                self.each(Node::Named(at), &f.selection_set.node, spreads)?;
                            }
                        }
                        _ => {}
                    }
                }
                Selection::InlineFragment(i) => self.root(&i.node.selection_set.node, spreads)?,
                Selection::FragmentSpread(s) => {
                    if let Some(set) = self.spread(&s.node.fragment_name.node, spreads) {
                        self.root(set, spreads + 1)?;
                    }
                }
            }
        }
        Some(())
    }

    fn type_named(&self, name: Option<&Positioned<Value>>) -> Option<usize> {
        let name = match &name?.node {
            Value::String(s) => s.clone(),
            Value::Variable(v) => self.variables?.get(v.as_str())?.as_str()?.to_owned(),
            _ => return None,
        };
        self.shape.index.get(&name).copied()
    }

    fn spread(&self, name: &Name, spreads: usize) -> Option<&'a SelectionSet> {
        (spreads < MAX_SPREAD_DEPTH)
            .then(|| self.fragments.get(name))
            .flatten()
            .map(|f| &f.node.selection_set.node)
    }

    /// One object `node`, with `set` selected on it.
    fn each(&mut self, node: Node<'a>, set: &'a SelectionSet, spreads: usize) -> Option<()> {
        self.take(1)?;
        self.set(node, set, spreads)
    }

    fn set(&mut self, node: Node<'a>, set: &'a SelectionSet, spreads: usize) -> Option<()> {
        for item in &set.items {
            match &item.node {
                Selection::Field(f) => {
                    let f = &f.node;
                    self.field(node, f.name.node.as_str(), &f.selection_set.node, spreads)?;
                }
                Selection::InlineFragment(i) => {
                    self.set(node, &i.node.selection_set.node, spreads)?;
                }
                Selection::FragmentSpread(s) => {
                    if let Some(set) = self.spread(&s.node.fragment_name.node, spreads) {
                        self.set(node, set, spreads + 1)?;
                    }
                }
            }
        }
        Some(())
    }

    fn field(
        &mut self,
        node: Node<'a>,
        name: &str,
        set: &'a SelectionSet,
        spreads: usize,
    ) -> Option<()> {
        let shape = self.shape;
        let ty = |r: &'a Ref| match r {
            Ref::Named(i) => Node::Named(*i),
            other => Node::Type(other),
        };
        match (node, name) {
            (Node::Schema, "types") => {
                for at in 0..shape.types.len() {
                    self.each(Node::Named(at), set, spreads)?;
                }
            }
            (Node::Schema, "queryType" | "mutationType" | "subscriptionType") => {
                let slot = ["queryType", "mutationType", "subscriptionType"]
                    .iter()
                    .position(|n| *n == name);
                if let Some(at) = slot.and_then(|s| shape.roots.get(s).copied().flatten()) {
                    self.each(Node::Named(at), set, spreads)?;
                }
            }
            (Node::Schema, "directives") => {
                for args in &shape.directives {
                    self.each(Node::Directive(args), set, spreads)?;
                }
            }
            (Node::Type(Ref::List(inner) | Ref::NonNull(inner)), "ofType") => {
                self.each(ty(inner), set, spreads)?;
            }
            (Node::Named(at), _) => {
                let Some(named) = shape.types.get(at) else {
                    return Some(());
                };
                match name {
                    "fields" => {
                        for f in &named.fields {
                            self.each(Node::Field(f), set, spreads)?;
                        }
                    }
                    "inputFields" => {
                        for r in &named.input_fields {
                            self.each(Node::Input(r), set, spreads)?;
                        }
                    }
                    "interfaces" | "possibleTypes" => {
                        let list = if name == "interfaces" {
                            &named.interfaces
                        } else {
                            &named.possible
                        };
                        for &at in list {
                            self.each(Node::Named(at), set, spreads)?;
                        }
                    }
                    "enumValues" => {
                        for _ in 0..named.enum_values {
                            self.each(Node::Leaf, set, spreads)?;
                        }
                    }
                    _ => {}
                }
            }
            (Node::Field(Field { args, .. }) | Node::Directive(args), "args") => {
                for r in args.iter() {
                    self.each(Node::Input(r), set, spreads)?;
                }
            }
            (Node::Field(f), "type") => {
                if let Some(r) = &f.ty {
                    self.each(ty(r), set, spreads)?;
                }
            }
            (Node::Input(r), "type") => self.each(ty(r), set, spreads)?,
            _ => {}
        }
        Some(())
    }
}
