//! Limits and hostile input: depth, complexity and alias limits, the introspection and
//! GraphiQL switches, the PostgreSQL statement timeout; hostile documents (`hostile`) and
//! connection limits (`connections`).

#[path = "limits/connections.rs"]
mod connections;
#[path = "limits/hostile.rs"]
mod hostile;

use e2e::{Backend, Data, Reply, TestApp, backends};
use migration::Database;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

const GRJ: &str = "application/graphql-response+json";

/// A valid query of nesting depth 13 (one more than the default limit).
const DEEP: &str = "{ headShakers { users(first: 1) { nodes { likes(first: 1) { nodes { user { likes(first: 1) { nodes { user { likes(first: 1) { nodes { user { rowId } } } } } } } } } } } } }";

/// The same path, shallow enough for the default limit.
const SHALLOW: &str = "{ headShakers { users(first: 1) { nodes { likes(first: 1) { nodes { user { rowId } } } } } } }";

/// POSTs `query` asking for `application/graphql-response+json`.
async fn post(app: &TestApp, query: &str) -> Reply {
    let body = json!({ "query": query }).to_string();
    app.raw(
        "POST",
        "/graphql",
        &[("content-type", "application/json"), ("accept", GRJ)],
        Some(&body),
    )
    .await
}

/// Asserts a refusal before execution: 400, GraphQL error with `BAD_USER_INPUT`, no data.
fn assert_refused(r: &Reply, what: &str, backend: &Backend) {
    assert_eq!(r.status, 400, "{what} ({}): {}", backend.name(), r.body);
    assert!(
        r.content_type.starts_with(GRJ),
        "{what}: {}",
        r.content_type
    );
    assert_eq!(
        r.code(),
        Some("BAD_USER_INPUT"),
        "{what} ({}): {}",
        backend.name(),
        r.body
    );
    assert!(
        r.body.get("data").is_none_or(|d| d.is_null()),
        "{what}: {}",
        r.body
    );
}

/// `query` with `n` aliased `__typename` fields.
fn aliased(n: usize) -> String {
    let fields: Vec<String> = (0..n).map(|i| format!("a{i}: __typename")).collect();
    format!("{{ {} }}", fields.join(" "))
}

/// graphql-js's standard introspection query, as GraphiQL and codegen send it, runs with the
/// default limits on every backend, although it nests deeper than data may: the depth limit
/// measures data, and introspection has a budget of its own.
#[tokio::test]
async fn standard_introspection_runs_with_default_limits() {
    for backend in backends() {
        let app = TestApp::spawn(&backend, Data::Empty).await;
        let r = post(&app, api::http::checks::STANDARD_INTROSPECTION).await;
        assert!(
            r.body.get("errors").is_none(),
            "{}: {}",
            backend.name(),
            r.body
        );
        let types = r.body["data"]["__schema"]["types"].as_array().map(Vec::len);
        assert!(
            types.is_some_and(|n| n > 100),
            "{}: {types:?}",
            backend.name()
        );
    }
}

#[tokio::test]
async fn depth_limit() {
    for backend in backends() {
        let app = TestApp::spawn(&backend, Data::Demo).await;
        let r = post(&app, SHALLOW).await;
        assert_eq!(r.status, 200, "{}", r.body);
        r.data();
        assert_refused(&post(&app, DEEP).await, "too deep", &backend);

        let app = TestApp::spawn_with(&backend, Data::Empty, |s| s.max_depth = 4).await;
        assert_refused(&post(&app, SHALLOW).await, "deeper than 4", &backend);
        let r = post(&app, "{ headShakers { users(first: 1) { totalCount } } }").await;
        assert_eq!(r.status, 200, "{}", r.body);
        r.data();
    }
}

#[tokio::test]
async fn complexity_limit() {
    for backend in backends() {
        let app = TestApp::spawn_with(&backend, Data::Empty, |s| s.max_complexity = 5).await;
        let r = post(&app, "{ headShakers { users(first: 1) { totalCount } } }").await;
        assert_eq!(r.status, 200, "{}", r.body);
        r.data();
        let wide = "{ headShakers { users(first: 1) { totalCount nodes { rowId } pageInfo { hasNextPage endCursor } } } }";
        assert_refused(&post(&app, wide).await, "too complex", &backend);
    }
}

#[tokio::test]
async fn alias_limit() {
    for backend in backends() {
        let app = TestApp::spawn(&backend, Data::Empty).await;
        let r = post(&app, &aliased(30)).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.data()["a29"], json!("Query"));
        assert_refused(&post(&app, &aliased(31)).await, "31 aliases", &backend);
        // Aliases in fragments count too.
        let spread = format!(
            "query {{ ...F }} fragment F on Query {{ {} }}",
            (0..31)
                .map(|i| format!("f{i}: __typename"))
                .collect::<Vec<_>>()
                .join(" ")
        );
        assert_refused(
            &post(&app, &spread).await,
            "aliases in a fragment",
            &backend,
        );

        let app = TestApp::spawn_with(&backend, Data::Empty, |s| s.max_aliases = 2).await;
        let r = post(&app, &aliased(2)).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_refused(&post(&app, &aliased(3)).await, "3 aliases", &backend);
        // Under application/json the refusal is a 200 with the same error.
        let r = app.gql(&aliased(3), json!({}), None).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.code(), Some("BAD_USER_INPUT"), "{}", r.body);
    }
}

#[tokio::test]
async fn introspection_switch() {
    const INTROSPECT: &str = "{ __schema { types { name } } }";
    for backend in backends() {
        let app = TestApp::spawn(&backend, Data::Empty).await;
        let r = post(&app, INTROSPECT).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(r.data()["__schema"]["types"].is_array(), "{}", r.body);

        let app = TestApp::spawn_with(&backend, Data::Empty, |s| s.introspection = false).await;
        assert_refused(&post(&app, INTROSPECT).await, "__schema", &backend);
        let r = post(&app, r#"{ __type(name: "Query") { name } }"#).await;
        assert_refused(&r, "__type", &backend);
        // Ordinary queries still run.
        let r = post(&app, "{ headShakers { users(first: 1) { totalCount } } }").await;
        assert_eq!(r.status, 200, "{}", r.body);
        r.data();
    }
}

#[tokio::test]
async fn graphiql_switch() {
    let html = [("accept", "text/html")];
    let backend = Backend::Sqlite;
    let app = TestApp::spawn(&backend, Data::Empty).await;
    let res = reqwest::Client::new()
        .get(format!("{}/graphql", app.url))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap_or_else(|e| panic!("request: {e}"));
    assert_eq!(res.status().as_u16(), 200);
    let page = res.text().await.unwrap_or_default();
    assert!(
        page.contains("<html") || page.contains("<!DOCTYPE"),
        "{page}"
    );

    let app = TestApp::spawn_with(&backend, Data::Empty, |s| s.graphiql = false).await;
    let res = reqwest::Client::new()
        .get(format!("{}/graphql", app.url))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap_or_else(|e| panic!("request: {e}"));
    let status = res.status().as_u16();
    let ct = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let text = res.text().await.unwrap_or_default();
    assert!(!ct.contains("text/html"), "GraphiQL served: {ct}");
    assert!(!text.contains("<html"), "GraphiQL served: {text}");
    assert_ne!(status, 200, "{text}");
    let r = app.raw("GET", "/graphql", &html, None).await;
    assert_ne!(r.status, 200, "{}", r.body);
    let r = app.raw("GET", "/graphiql/graphiql.min.js", &[], None).await;
    assert_eq!(r.status, 404, "GraphiQL's files are off with it");
}

#[tokio::test]
async fn statement_timeout() {
    for backend in backends() {
        let Backend::Postgres(_) = backend else {
            // SQLite has no statement timeout; the setting does not apply.
            continue;
        };
        for (ms, shown) in [(None, "10s"), (Some(1500), "1500ms")] {
            let app = TestApp::spawn_with(&backend, Data::Empty, |s| {
                if let Some(ms) = ms {
                    s.statement_timeout_ms = ms;
                }
            })
            .await;
            let conn = app
                .conns
                .get(Database::HeadShakers)
                .unwrap_or_else(|e| panic!("{e:?}"));
            let row = conn
                .query_one_raw(Statement::from_string(
                    conn.get_database_backend(),
                    "SHOW statement_timeout",
                ))
                .await
                .unwrap_or_else(|e| panic!("show: {e}"))
                .unwrap_or_else(|| panic!("no row"));
            let value: String = row
                .try_get_by_index(0)
                .unwrap_or_else(|e| panic!("value: {e}"));
            assert_eq!(value, shown);
            if let Some(ms) = ms {
                // A statement past the timeout is cancelled and answered with a clear message.
                let sleep = format!("SELECT pg_sleep({})", ms as f64 / 1000.0 + 1.0);
                let err = conn
                    .query_one_raw(Statement::from_string(conn.get_database_backend(), sleep))
                    .await
                    .err()
                    .unwrap_or_else(|| panic!("pg_sleep outlived the statement timeout"));
                let err = api::error::ApiError::from(err);
                assert!(err.to_string().contains("statement timeout"), "{err}");
            }
            // The gateway still answers over these connections.
            let r = post(&app, "{ headShakers { users(first: 1) { totalCount } } }").await;
            assert_eq!(r.status, 200, "{}", r.body);
            r.data();
        }
    }
}

#[tokio::test]
async fn input_errors_found_in_validation_name_their_argument() {
    let backend = &backends()[0];
    let app = TestApp::spawn(backend, Data::Empty).await;
    for (query, field) in [
        (
            r#"{ headShakers { bobblehead(rowId: "not-a-uuid") { name } } }"#,
            "rowId",
        ),
        (
            r#"mutation { headShakers { like(targetType: PLANET, targetId: "00000000-0000-4000-8000-000000000001") { rowId } } }"#,
            "targetType",
        ),
        (
            r#"mutation { headShakers { like(targetType: BOBBLEHEAD) { rowId } } }"#,
            "targetId",
        ),
    ] {
        let r = post(&app, query).await;
        assert_refused(&r, query, backend);
        assert_eq!(
            r.body["errors"][0]["extensions"]["field"], field,
            "{query}: {}",
            r.body
        );
    }
    // The same through a variable of the wrong shape.
    let body = json!({
        "query": "query($id: UUID!) { headShakers { bobblehead(rowId: $id) { name } } }",
        "variables": { "id": "nope" },
    })
    .to_string();
    let r = app
        .raw(
            "POST",
            "/graphql",
            &[("content-type", "application/json"), ("accept", GRJ)],
            Some(&body),
        )
        .await;
    assert_refused(&r, "variable", backend);
    assert_eq!(
        r.body["errors"][0]["extensions"]["field"], "rowId",
        "{}",
        r.body
    );
}

#[tokio::test]
async fn row_limit_scales_with_nested_page_sizes() {
    let backend = &backends()[0];
    let app = TestApp::spawn(backend, Data::Empty).await;
    // Each field costs one in the complexity count, but three pages of 100 nest to a million.
    let huge = "{ headShakers { users(first: 100) { nodes { likes(first: 100) { nodes { user { likes(first: 100) { nodes { rowId } } } } } } } } }";
    let r = post(&app, huge).await;
    assert_refused(&r, "nested pages", backend);
    assert!(
        r.body["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("smaller pages")),
        "{}",
        r.body
    );
    // Page sizes given as variables count the same.
    let body = json!({
        "query": "query($n: Int) { headShakers { users(first: $n) { nodes { likes(first: $n) { nodes { user { likes(first: $n) { nodes { rowId } } } } } } } } }",
        "variables": { "n": 100 },
    })
    .to_string();
    let headers = [("content-type", "application/json"), ("accept", GRJ)];
    let r = app.raw("POST", "/graphql", &headers, Some(&body)).await;
    assert_refused(&r, "nested pages by variable", backend);
    let small = body.replace("\"n\":100", "\"n\":5");
    let r = app.raw("POST", "/graphql", &headers, Some(&small)).await;
    assert_eq!(r.status, 200, "{}", r.body);
}

#[tokio::test]
async fn a_request_past_its_time_limit_is_cancelled_whole() {
    use e2e::fixtures::{hs_bobblehead, hs_collection, hs_user};
    use entity::head_shakers::{bobbleheads, likes};
    use sea_orm::{EntityTrait, PaginatorTrait, TransactionTrait};
    const LIKE: &str = "mutation($id: UUID!) { headShakers { like(targetType: BOBBLEHEAD, targetId: $id) { rowId } } }";
    for backend in backends() {
        let b = backend.name();
        let app = TestApp::spawn_with(&backend, Data::Empty, |s| s.request_timeout_ms = 300).await;
        let db = app.db(Database::HeadShakers);
        let owner = hs_user(db, 1).await;
        let fan = hs_user(db, 2).await;
        let coll = hs_collection(db, owner, "Shelf", true).await;
        let item = hs_bobblehead(db, owner, coll, "Bobby", None).await;
        let token = app.token("head_shakers", &fan.to_string());
        let vars = json!({ "id": item.to_string() });

        // Another writer holds the bobbleheads past the limit: the like waits, is cancelled
        // and answered as such.
        let blocker = db.begin().await.unwrap_or_else(|e| panic!("{b}: {e}"));
        blocker
            .execute_unprepared("UPDATE bobbleheads SET view_count = view_count")
            .await
            .unwrap_or_else(|e| panic!("{b}: lock: {e}"));
        let started = std::time::Instant::now();
        let r = app.gql(LIKE, vars.clone(), Some(&token)).await;
        let waited = started.elapsed();
        blocker
            .rollback()
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"));
        assert_eq!(r.status, 504, "{b}: {}", r.body);
        assert_eq!(r.code(), Some("TIMEOUT"), "{b}: {}", r.body);
        assert!(
            r.body.get("data").is_none_or(|d| d.is_null()),
            "{b}: {}",
            r.body
        );
        assert!(
            waited < std::time::Duration::from_secs(3),
            "{b}: answered after {waited:?}"
        );

        // Nothing of it was kept, even once the lock is gone.
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        let kept = likes::Entity::find()
            .count(db)
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"));
        assert_eq!(kept, 0, "{b}: the cancelled like left a row");
        let counter = bobbleheads::Entity::find_by_id(item)
            .one(db)
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"))
            .map(|i| i.like_count);
        assert_eq!(
            counter,
            Some(0),
            "{b}: the cancelled like moved the counter"
        );

        // Unhindered, the same like goes through within the limit.
        let r = app.gql(LIKE, vars, Some(&token)).await;
        assert!(r.body.get("errors").is_none(), "{b}: {}", r.body);
        let kept = likes::Entity::find()
            .count(db)
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"));
        assert_eq!(kept, 1, "{b}");
    }
}
