//! An owned copy of a selection. Prefetching continues after the resolver that started it has
//! returned (when a batch answers, the next level's loads are registered at once), so it cannot
//! hold the request document's borrowed selection; it holds a plan instead.

use std::sync::Arc;

use async_graphql::{Name, SelectionField, Value};

/// What one field asked for: its name, its arguments and its sub-selection.
#[derive(Debug)]
pub struct Plan {
    /// Field name.
    pub name: String,
    /// Arguments with variables resolved, or why they could not be.
    pub args: Result<Vec<(Name, Value)>, String>,
    /// Selected sub-fields (fragments flattened).
    pub children: Vec<Arc<Plan>>,
}

impl Plan {
    /// The plan of a selected field and everything under it.
    pub fn of(field: SelectionField<'_>) -> Arc<Plan> {
        Arc::new(Plan {
            name: field.name().to_owned(),
            args: field.arguments().map_err(|e| e.message),
            children: field.selection_set().map(Plan::of).collect(),
        })
    }

    /// The selected sub-fields named `name`.
    pub fn sub<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Arc<Plan>> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
}
