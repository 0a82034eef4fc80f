//! The `usegemz` namespace's own fields: the writes of profiles, campaigns and jobs, and
//! configuration, gathered from their modules.

use async_graphql::dynamic::{Field, Object, Type};

use crate::graphql::spec::Source;

/// Query fields beyond the generic ones (typed configuration values …).
pub fn queries(source: &'static Source) -> Vec<Field> {
    let mut out = super::profiles::queries(source);
    out.extend(super::jobs::queries(source));
    out.extend(super::config::queries(source));
    out
}

/// The `UsegemzMutation` namespace and the types its fields need.
pub fn build(source: &'static Source) -> Vec<Type> {
    let mut obj = Object::new("UsegemzMutation").description(
        "usegemz writes. Each needs a usegemz bearer token (its subject is the Clerk user id); data is scoped to the signed-in user.",
    );
    let mut types = Vec::new();
    for (fields, extra) in [
        super::profiles::mutations(source),
        super::jobs::mutations(source),
        super::config::mutations(source),
    ] {
        for f in fields {
            obj = obj.field(f);
        }
        types.extend(extra);
    }
    let mut out = vec![Type::from(obj)];
    out.extend(types);
    out
}
