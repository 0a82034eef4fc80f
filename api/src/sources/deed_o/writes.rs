//! The `deed_o` source's own operations.

use async_graphql::dynamic::{Field, Type};

use crate::graphql::spec::Source;

/// Query fields of this source beyond the generic ones.
pub fn queries(_source: &'static Source) -> Vec<Field> {
    Vec::new()
}

/// Mutation fields of this source and the extra types they need.
pub fn mutations(_source: &'static Source) -> (Vec<Field>, Vec<Type>) {
    (Vec::new(), Vec::new())
}
