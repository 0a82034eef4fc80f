//! `schema.graphql` is the schema the code builds, and the schema every backend serves.

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
