//! The `mind_vault` namespace's own queries and mutations, gathered from `writes`.

use async_graphql::dynamic::{Field, Object, Type};

use crate::graphql::spec::Source;

/// Query fields beyond the generic ones.
pub fn queries(source: &'static Source) -> Vec<Field> {
    super::writes::queries(source)
}

/// The `<Prefix>Mutation` namespace and the types its fields need (none while it has no field).
pub fn build(source: &'static Source) -> Vec<Type> {
    let (fields, types) = super::writes::mutations(source);
    if fields.is_empty() {
        return Vec::new();
    }
    let mut obj = Object::new(format!("{}Mutation", source.prefix)).description(source.doc);
    for f in fields {
        obj = obj.field(f);
    }
    let mut out = vec![Type::from(obj)];
    out.extend(types);
    out
}
