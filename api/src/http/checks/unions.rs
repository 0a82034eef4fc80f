//! Fragments typed on a union, applied as the GraphQL spec says.
//!
//! async-graphql's dynamic executor applies a fragment to an object only when its type
//! condition names the object or one of the object's interfaces (`collect_fields` in its
//! `dynamic/resolve.rs`), so every field under `... on SomeUnion`, or under a named fragment
//! on a union, was silently left out: the object came back empty. Relay and Apollo generate
//! exactly these forms. Before a document runs (after its checks), such fragments are
//! rewritten into forms the executor applies, with the same meaning:
//!
//! - where every object the selection can hold is a member of the union, the condition always
//!   holds: the fragment becomes an inline fragment without a condition;
//! - otherwise (a union fragment under `node`, or under another union) it becomes one inline
//!   fragment per member the selection can hold, each on that member.
//!
//! A spread of a named fragment on a union is replaced by its selection; the definition goes
//! when no spread is left. Fragments that validation refuses (no member in common with the
//! selection) are left as they are, so validation still reports them. Expanding copies
//! selections: the copies are counted against a budget, since a fragment bomb the checks
//! measured by fields could otherwise multiply here.

use std::collections::{HashMap, HashSet};

use async_graphql::parser::types::{
    BaseType, Directive, DocumentOperations, ExecutableDocument, FragmentDefinition,
    InlineFragment, OperationType, Selection, SelectionSet, ServiceDocument, Type, TypeCondition,
    TypeKind, TypeSystemDefinition,
};
use async_graphql::{Name, Pos, Positioned};

/// What the rewrite needs of a schema: field types, union members and the objects of each
/// abstract type.
#[derive(Debug, Default)]
pub struct Types {
    /// The named type of every field of every object and interface.
    fields: HashMap<String, HashMap<String, String>>,
    /// The member objects of every union.
    unions: HashMap<String, Vec<String>>,
    /// The objects implementing every interface.
    interfaces: HashMap<String, Vec<String>>,
}

impl Types {
    /// The types of the schema whose SDL is `sdl` (`Err`: it does not parse).
    pub fn from_sdl(sdl: &str) -> Result<Types, String> {
        let doc: ServiceDocument =
            async_graphql::parser::parse_schema(sdl).map_err(|e| e.to_string())?;
        let mut types = Types::default();
        for def in &doc.definitions {
            let TypeSystemDefinition::Type(t) = def else {
                continue;
            };
            let name = t.node.name.node.to_string();
            let fields = match &t.node.kind {
                TypeKind::Object(o) => {
                    for i in &o.implements {
                        let implementors = types.interfaces.entry(i.node.to_string());
                        implementors.or_default().push(name.clone());
                    }
                    &o.fields
                }
                TypeKind::Interface(i) => &i.fields,
                TypeKind::Union(u) => {
                    let members = u.members.iter().map(|m| m.node.to_string());
                    types.unions.insert(name, members.collect());
                    continue;
                }
                _ => continue,
            };
            let fields = fields
                .iter()
                .map(|f| (f.node.name.node.to_string(), named(&f.node.ty.node)));
            types.fields.insert(name, fields.collect());
        }
        Ok(types)
    }

    /// The possible object types of every union and interface, sorted (Apollo Client's
    /// `possibleTypes`).
    pub fn possible_types(&self) -> std::collections::BTreeMap<String, Vec<String>> {
        let abstracts = self.unions.iter().chain(&self.interfaces);
        abstracts
            .map(|(name, objects)| {
                let mut objects = objects.clone();
                objects.sort();
                (name.clone(), objects)
            })
            .collect()
    }

    /// The object types of the root fields of `root` that carry no `id`: the sources'
    /// namespaces (`HeadShakersQuery` …), which a normalizing cache must merge, not replace.
    pub fn namespaces(&self, root: &str) -> Vec<String> {
        let mut out: Vec<String> = self
            .fields
            .get(root)
            .into_iter()
            .flat_map(|fields| fields.values())
            .filter(|ty| {
                self.fields
                    .get(ty.as_str())
                    .is_some_and(|f| !f.contains_key("id"))
            })
            .cloned()
            .collect();
        out.sort();
        out.dedup();
        out
    }

    fn field(&self, on: &str, field: &str) -> Option<&str> {
        self.fields.get(on)?.get(field).map(String::as_str)
    }

    /// The objects a selection on `ty` can hold (`None`: not a type this knows).
    fn objects<'a>(&'a self, ty: &'a str) -> Option<Vec<&'a str>> {
        if let Some(members) = self.unions.get(ty).or_else(|| self.interfaces.get(ty)) {
            return Some(members.iter().map(String::as_str).collect());
        }
        self.fields.contains_key(ty).then(|| vec![ty])
    }

    /// How a fragment on `condition` in a selection on `context` is rewritten: `None` when it
    /// is left as it is (not on a union, or refused by validation); else the conditions of
    /// its replacements (`None` in the list: no condition).
    fn split(&self, context: Option<&str>, condition: &str) -> Option<Vec<Option<String>>> {
        let members = self.unions.get(condition)?;
        let held = context.and_then(|c| self.objects(c));
        let Some(held) = held else {
            return Some(members.iter().cloned().map(Some).collect());
        };
        if held.iter().all(|o| members.iter().any(|m| m == o)) {
            return Some(vec![None]);
        }
        let both: Vec<_> = held
            .into_iter()
            .filter(|o| members.iter().any(|m| m == o))
            .map(|o| Some(o.to_owned()))
            .collect();
        (!both.is_empty()).then_some(both)
    }

    /// Whether an object can be of both types (`true` for a type this does not know).
    fn overlap(&self, a: &str, b: &str) -> bool {
        match (self.objects(a), self.objects(b)) {
            (Some(x), Some(y)) => x.iter().any(|o| y.contains(o)),
            _ => true,
        }
    }

    fn is_union(&self, name: &str) -> bool {
        self.unions.contains_key(name)
    }
}

fn named(ty: &Type) -> String {
    match &ty.base {
        BaseType::Named(n) => n.to_string(),
        BaseType::List(inner) => named(inner),
    }
}

/// `doc` with its fragments on unions rewritten (see the module); at most `budget` selections
/// are created.
pub fn expand(
    doc: ExecutableDocument,
    types: &Types,
    budget: usize,
) -> Result<ExecutableDocument, String> {
    if !mentions_union(&doc, types) {
        return Ok(doc);
    }
    let mut doc = doc;
    let originals = doc.fragments.clone();
    let mut rewrite = Rewrite {
        types,
        fragments: &originals,
        budget,
        inlined: HashSet::new(),
    };
    match &mut doc.operations {
        DocumentOperations::Single(op) => {
            let root = root(op.node.ty);
            rewrite.set(&mut op.node.selection_set.node, Some(root))?;
        }
        DocumentOperations::Multiple(ops) => {
            for op in ops.values_mut() {
                let root = root(op.node.ty);
                rewrite.set(&mut op.node.selection_set.node, Some(root))?;
            }
        }
    }
    for def in doc.fragments.values_mut() {
        let on = def.node.type_condition.node.on.node.clone();
        if !types.is_union(&on) {
            rewrite.set(&mut def.node.selection_set.node, Some(&on))?;
        }
    }
    // Inlined definitions go once nothing that stays spreads them (an unused one stays, for
    // validation to report).
    let mut reached = HashSet::new();
    let mut pending = Vec::new();
    for (_, op) in doc.operations.iter() {
        spreads(&op.node.selection_set.node, &mut pending);
    }
    for (name, def) in &doc.fragments {
        if !rewrite.inlined.contains(name) {
            spreads(&def.node.selection_set.node, &mut pending);
        }
    }
    while let Some(name) = pending.pop() {
        if reached.insert(name.clone())
            && let Some(def) = doc.fragments.get(&name)
        {
            spreads(&def.node.selection_set.node, &mut pending);
        }
    }
    doc.fragments
        .retain(|name, _| !rewrite.inlined.contains(name) || reached.contains(name));
    Ok(doc)
}

fn root(ty: OperationType) -> &'static str {
    match ty {
        OperationType::Query => "Query",
        OperationType::Mutation => "Mutation",
        OperationType::Subscription => "Subscription",
    }
}

/// Whether any fragment of `doc` is typed on a union (most documents: none, and nothing is
/// copied).
fn mentions_union(doc: &ExecutableDocument, types: &Types) -> bool {
    fn set(s: &SelectionSet, types: &Types) -> bool {
        s.items.iter().any(|item| match &item.node {
            Selection::Field(f) => set(&f.node.selection_set.node, types),
            Selection::FragmentSpread(_) => false,
            Selection::InlineFragment(i) => {
                i.node
                    .type_condition
                    .as_ref()
                    .is_some_and(|c| types.is_union(&c.node.on.node))
                    || set(&i.node.selection_set.node, types)
            }
        })
    }
    doc.fragments.values().any(|f| {
        types.is_union(&f.node.type_condition.node.on.node)
            || set(&f.node.selection_set.node, types)
    }) || doc
        .operations
        .iter()
        .any(|(_, op)| set(&op.node.selection_set.node, types))
}

fn spreads(s: &SelectionSet, out: &mut Vec<Name>) {
    for item in &s.items {
        match &item.node {
            Selection::Field(f) => spreads(&f.node.selection_set.node, out),
            Selection::FragmentSpread(f) => out.push(f.node.fragment_name.node.clone()),
            Selection::InlineFragment(i) => spreads(&i.node.selection_set.node, out),
        }
    }
}

fn size(s: &SelectionSet) -> usize {
    s.items
        .iter()
        .map(|item| {
            1 + match &item.node {
                Selection::Field(f) => size(&f.node.selection_set.node),
                Selection::FragmentSpread(_) => 0,
                Selection::InlineFragment(i) => size(&i.node.selection_set.node),
            }
        })
        .sum()
}

struct Rewrite<'a> {
    types: &'a Types,
    fragments: &'a HashMap<Name, Positioned<FragmentDefinition>>,
    budget: usize,
    inlined: HashSet<Name>,
}

impl Rewrite<'_> {
    /// Rewrites `s`, a selection on `context` (`None`: a type this does not know, such as
    /// introspection's).
    fn set(&mut self, s: &mut SelectionSet, context: Option<&str>) -> Result<(), String> {
        let items = std::mem::take(&mut s.items);
        for mut item in items {
            let pos = item.pos;
            match &mut item.node {
                Selection::Field(f) => {
                    let name = f.node.name.node.as_str();
                    let ty = context.and_then(|c| self.types.field(c, name));
                    let ty = ty.map(str::to_owned);
                    self.set(&mut f.node.selection_set.node, ty.as_deref())?;
                }
                Selection::InlineFragment(i) => {
                    let on = i.node.type_condition.as_ref();
                    let on = on.map(|c| c.node.on.node.to_string());
                    if let Some(on) = on.as_deref()
                        && let Some(split) = self.types.split(context, on)
                    {
                        let i = &i.node;
                        let (body, directives) = (&i.selection_set.node, &i.directives);
                        if self.replace(s, split, context, on, body, directives, pos)? {
                            continue;
                        }
                    } else {
                        self.set(&mut i.node.selection_set.node, on.as_deref().or(context))?;
                    }
                }
                Selection::FragmentSpread(spread) => {
                    let name = &spread.node.fragment_name.node;
                    let fragments = self.fragments;
                    if let Some(def) = fragments.get(name) {
                        let on = def.node.type_condition.node.on.node.as_str();
                        if let Some(split) = self.types.split(context, on) {
                            let body = &def.node.selection_set.node;
                            let directives = &spread.node.directives;
                            if self.replace(s, split, context, on, body, directives, pos)? {
                                self.inlined.insert(name.clone());
                                continue;
                            }
                        }
                    }
                }
            }
            s.items.push(item);
        }
        Ok(())
    }

    /// Appends to `s` one inline fragment with `body`, a selection on the union `union`, per
    /// condition of `split`; `false` (nothing appended) when no copy would select anything,
    /// where the fragment as it stands (applied to no object) means the same.
    #[allow(clippy::too_many_arguments)]
    fn replace(
        &mut self,
        s: &mut SelectionSet,
        split: Vec<Option<String>>,
        context: Option<&str>,
        union: &str,
        body: &SelectionSet,
        directives: &[Positioned<Directive>],
        pos: Pos,
    ) -> Result<bool, String> {
        let cost = size(body).saturating_add(1);
        let mut replaced = false;
        for on in split {
            let narrowed = on.as_deref().or(context);
            let mut body = body.clone();
            // Moved from the union to a narrower selection, a fragment that only other members
            // can match would be refused as impossible there; it selects nothing there.
            if let Some(narrowed) = narrowed {
                body.items
                    .retain(|item| self.possible(item, union, narrowed));
            }
            if body.items.is_empty() {
                continue;
            }
            self.budget = self.budget.checked_sub(cost).ok_or_else(|| {
                "the document's fragments on unions expand to too many selections; \
                 spread them on the member types instead"
                    .to_owned()
            })?;
            self.set(&mut body, narrowed)?;
            let type_condition = on.map(|on| {
                let on = Positioned::new(Name::new(on), pos);
                Positioned::new(TypeCondition { on }, pos)
            });
            let inline = InlineFragment {
                type_condition,
                directives: directives.to_vec(),
                selection_set: Positioned::new(body, pos),
            };
            let inline = Positioned::new(inline, pos);
            s.items
                .push(Positioned::new(Selection::InlineFragment(inline), pos));
            replaced = true;
        }
        Ok(replaced)
    }

    /// Whether `item`, selected on `from`, can still select something on `to`: fields can,
    /// fragments when their type shares an object with `to` or none with `from` (then
    /// validation refuses it, as it did before).
    fn possible(&self, item: &Positioned<Selection>, from: &str, to: &str) -> bool {
        let on = match &item.node {
            Selection::Field(_) => return true,
            Selection::InlineFragment(i) => match &i.node.type_condition {
                Some(c) => c.node.on.node.as_str(),
                None => return true,
            },
            Selection::FragmentSpread(f) => match self.fragments.get(&f.node.fragment_name.node) {
                Some(def) => def.node.type_condition.node.on.node.as_str(),
                None => return true,
            },
        };
        self.types.overlap(on, to) || !self.types.overlap(on, from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fields async-graphql's executor selects of `object` from `s`: a fragment applies
    /// when it has no condition or its condition names the object or one of its interfaces.
    fn applied(
        s: &SelectionSet,
        object: &str,
        types: &Types,
        doc: &ExecutableDocument,
    ) -> Vec<String> {
        let applies = |on: Option<&str>| {
            on.is_none_or(|on| {
                on == object
                    || types
                        .interfaces
                        .get(on)
                        .is_some_and(|i| i.iter().any(|o| o == object))
            })
        };
        let mut out = Vec::new();
        for item in &s.items {
            match &item.node {
                Selection::Field(f) => out.push(f.node.name.node.to_string()),
                Selection::InlineFragment(i) => {
                    let on = i
                        .node
                        .type_condition
                        .as_ref()
                        .map(|c| c.node.on.node.as_str());
                    if applies(on) {
                        out.extend(applied(&i.node.selection_set.node, object, types, doc));
                    }
                }
                Selection::FragmentSpread(f) => {
                    let def = doc.fragments.get(&f.node.fragment_name.node);
                    let def = def.unwrap_or_else(|| panic!("unknown {}", f.node.fragment_name));
                    if applies(Some(def.node.type_condition.node.on.node.as_str())) {
                        out.extend(applied(&def.node.selection_set.node, object, types, doc));
                    }
                }
            }
        }
        out
    }

    fn types() -> Types {
        let sdl = crate::startup::schema()
            .unwrap_or_else(|e| panic!("{e:?}"))
            .sdl();
        Types::from_sdl(&sdl).unwrap_or_else(|e| panic!("{e}"))
    }

    fn expanded(q: &str, types: &Types) -> ExecutableDocument {
        let doc = async_graphql::parser::parse_query(q).unwrap_or_else(|e| panic!("{q}: {e}"));
        expand(doc, types, 100_000).unwrap_or_else(|e| panic!("{q}: {e}"))
    }

    /// Every field of the schema typed on a union, reached in every fragment form (named,
    /// inline, nested spreads, and a spread of a union fragment inside a member's fragment),
    /// selects the union fragment's fields on every member.
    #[test]
    fn every_union_fragment_form_applies_to_every_member() {
        let types = types();
        let mut fields_on_unions = 0;
        for (object, fields) in &types.fields {
            for (field, ty) in fields {
                let Some(members) = types.unions.get(ty) else {
                    continue;
                };
                fields_on_unions += 1;
                let q = format!(
                    "{{ __typename }}
                     fragment X on {object} {{ {field} {{
                       ...Named
                       ... on {ty} {{ __typename }}
                       ... on {ty} {{ ... on {ty} {{ __typename }} }}
                       ...Outer
                     }} }}
                     fragment Named on {ty} {{ __typename }}
                     fragment Outer on {ty} {{ ...Named }}"
                );
                let doc = expanded(&q, &types);
                let x = &doc.fragments[&Name::new("X")].node.selection_set.node;
                let Some(Selection::Field(f)) = x.items.first().map(|i| &i.node) else {
                    panic!("{q}");
                };
                for m in members {
                    let got = applied(&f.node.selection_set.node, m, &types, &doc);
                    assert_eq!(got, vec!["__typename"; 4], "{object}.{field} as {m}");
                }
                assert!(!doc.fragments.contains_key(&Name::new("Named")), "{q}");
            }
        }
        assert!(fields_on_unions > 5, "{fields_on_unions}");
    }

    /// Under `node` (the `Node` interface) a fragment on a union applies to exactly its
    /// members that are nodes; in a member's own selection it applies unconditionally.
    #[test]
    fn union_fragments_under_an_interface_or_a_member_keep_their_meaning() {
        let types = types();
        for (union, members) in &types.unions {
            let q = format!(
                "{{ node(id: \"x\") {{ ... on {union} {{ __typename }} }} }}
                 fragment M on {member} {{ ...U }}
                 fragment U on {union} {{ __typename }}",
                member = members[0]
            );
            let doc = expanded(&q, &types);
            let (_, op) = doc
                .operations
                .iter()
                .next()
                .unwrap_or_else(|| panic!("{q}"));
            let Some(Selection::Field(node)) =
                op.node.selection_set.node.items.first().map(|i| &i.node)
            else {
                panic!("{q}");
            };
            for object in &types.interfaces["Node"] {
                let got = applied(&node.node.selection_set.node, object, &types, &doc);
                let member = members.contains(object);
                assert_eq!(got.len(), usize::from(member), "{union} as {object}");
            }
            let m = &doc.fragments[&Name::new("M")].node.selection_set.node;
            assert_eq!(applied(m, &members[0], &types, &doc), vec!["__typename"]);
        }
    }

    /// A document without fragments on unions is returned as it came; a fragment no member
    /// of the context shares is left for validation to refuse; copies are bounded.
    #[test]
    fn other_documents_are_untouched_and_copies_are_bounded() {
        let types = types();
        let plain =
            "{ headShakers { bobbleheads { nodes { ... on HeadShakersBobblehead { name } } } } }";
        let doc = expanded(plain, &types);
        let again = async_graphql::parser::parse_query(plain).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(format!("{doc:?}"), format!("{again:?}"));

        let impossible =
            "fragment M on HeadShakersTag { ... on HeadShakersLikeTarget { __typename } }";
        let doc = expanded(&format!("{{ __typename }} {impossible}"), &types);
        let m = &doc.fragments[&Name::new("M")].node.selection_set.node;
        assert!(matches!(&m.items[0].node, Selection::InlineFragment(i)
            if i.node.type_condition.as_ref().is_some_and(|c| c.node.on.node == "HeadShakersLikeTarget")));

        let big = "{ node(id: \"x\") { ... on HeadShakersNotificationSubject { __typename } } }";
        let doc = async_graphql::parser::parse_query(big).unwrap_or_else(|e| panic!("{e}"));
        assert!(expand(doc, &types, 3).is_err());
    }
}
