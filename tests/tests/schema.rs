//! `schema.graphql` is the schema the code builds, and the schema every backend serves.

use std::collections::BTreeSet;

use e2e::{Data, TestApp, backends};
use serde_json::json;

const INTROSPECT: &str = r#"{ __schema { types { name kind fields { name args { name } type { name kind ofType { name kind ofType { name kind ofType { name } } } } } inputFields { name } enumValues { name } } } }"#;

#[test]
fn committed_schema_is_current() {
    let built = api::startup::sdl().unwrap_or_else(|e| panic!("build schema: {e:?}"));
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        built == committed,
        "schema.graphql differs from the schema the code builds; regenerate it with \
         `cargo run -p api -- export-schema --output schema.graphql` and commit it"
    );
}

/// Introspection of a running gateway equals introspection of the database-free build, on
/// every backend — so the schema never depends on the backend.
#[tokio::test]
async fn served_schema_is_the_built_schema_on_every_backend() {
    let schema = api::startup::schema().unwrap_or_else(|e| panic!("{e:?}"));
    let local = schema.execute(INTROSPECT).await;
    let local = serde_json::to_value(&local.data).unwrap_or_default();
    for backend in backends() {
        let app = TestApp::spawn(&backend, Data::Empty).await;
        let served = app.gql(INTROSPECT, json!({}), None).await;
        assert_eq!(served.data(), &local, "{}", backend.name());
    }
}

/// The committed SDL declares exactly the types introspection serves: graphql-codegen from
/// the URL and from `schema.graphql` see the same schema.
#[tokio::test]
async fn committed_sdl_declares_the_served_types() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql");
    let sdl = std::fs::read_to_string(path).unwrap_or_default();
    let declared: BTreeSet<String> = sdl
        .lines()
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            match words.next()? {
                "type" | "input" | "enum" | "interface" | "union" | "scalar" => {
                    words.next().map(|n| n.trim_end_matches('{').to_owned())
                }
                _ => None,
            }
        })
        .collect();
    let schema = api::startup::schema().unwrap_or_else(|e| panic!("{e:?}"));
    let r = schema.execute("{ __schema { types { name } } }").await;
    let data = serde_json::to_value(&r.data).unwrap_or_default();
    let builtin = ["String", "Int", "Float", "Boolean", "ID"];
    let served: BTreeSet<String> = data["__schema"]["types"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["name"].as_str())
        .filter(|n| !n.starts_with("__") && !builtin.contains(n))
        .map(str::to_owned)
        .collect();
    assert!(served.len() > 100, "{served:?}");
    let only_sdl: Vec<_> = declared.difference(&served).collect();
    let only_served: Vec<_> = served.difference(&declared).collect();
    assert!(
        only_sdl.is_empty() && only_served.is_empty(),
        "only in schema.graphql: {only_sdl:?}; only served: {only_served:?}"
    );
}
