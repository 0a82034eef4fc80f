//! Hostile documents: each class of input that once stopped or hung the process is refused
//! before it runs, quickly, with `BAD_USER_INPUT` naming the limit, and the gateway keeps
//! answering.

use std::time::{Duration, Instant};

use api::http::checks::STANDARD_INTROSPECTION;
use e2e::hostile::fragment_bomb;
use e2e::{Data, Reply, TestApp, backends};
use serde_json::{Value, json};

use super::{GRJ, assert_refused};

/// POSTs `query` with `variables`.
async fn send(app: &TestApp, query: &str, variables: Value) -> (Reply, Duration) {
    let body = json!({ "query": query, "variables": variables }).to_string();
    let started = Instant::now();
    let r = app
        .raw(
            "POST",
            "/graphql",
            &[("content-type", "application/json"), ("accept", GRJ)],
            Some(&body),
        )
        .await;
    (r, started.elapsed())
}

fn where_bobbleheads(filter: &str) -> String {
    format!("{{ headShakers {{ bobbleheads(where: {filter}) {{ totalCount }} }} }}")
}

/// The documents of the hostile classes, each with the limit its refusal names.
fn cases() -> Vec<(&'static str, String, Value, &'static str)> {
    let leaf = "{name: {eq: \"x\"}}";
    let unused: Vec<String> = (0..5000).map(|i| format!("$v{i}: Int")).collect();
    let deep_where = (0..40).fold(json!({ "name": { "eq": "x" } }), |w, _| json!({ "not": w }));
    vec![
        (
            "not nested 1,500 deep",
            where_bobbleheads(&format!("{}{leaf}{}", "{not: ".repeat(1500), "}".repeat(1500))),
            json!({}),
            "GATEWAY_MAX_INPUT_DEPTH",
        ),
        (
            "and nested 1,500 deep",
            where_bobbleheads(&format!("{}{leaf}{}", "{and: [".repeat(1500), "]}".repeat(1500))),
            json!({}),
            "GATEWAY_MAX_INPUT_DEPTH",
        ),
        (
            "or nested 20 deep",
            where_bobbleheads(&format!("{}{leaf}{}", "{or: [".repeat(20), "]}".repeat(20))),
            json!({}),
            "GATEWAY_MAX_INPUT_DEPTH",
        ),
        (
            "a flat or of 20,000 alternatives",
            where_bobbleheads(&format!("{{or: [{}]}}", vec![leaf; 20_000].join(","))),
            json!({}),
            "GATEWAY_MAX_INPUT_VALUES",
        ),
        (
            "a where nested 40 deep in a variable",
            "query($w: HeadShakersBobbleheadWhere) { headShakers { bobbleheads(where: $w) { totalCount } } }".into(),
            json!({ "w": deep_where }),
            "GATEWAY_MAX_INPUT_DEPTH",
        ),
        ("a fragment bomb of 22", fragment_bomb(22), json!({}), "GATEWAY_MAX_COMPLEXITY"),
        ("a fragment bomb of 40", fragment_bomb(40), json!({}), "fragment"),
        (
            "a NUL in a literal search",
            "{ headShakers { searchBobbleheads(query: \"a\\u0000b\") { totalCount } } }".into(),
            json!({}),
            "NUL",
        ),
        (
            "a NUL in a variable of a write",
            "mutation($n: String!) { mindVault { createTag(name: $n) { rowId } } }".into(),
            json!({ "n": "tag\u{0}" }),
            "NUL",
        ),
        (
            "introspection multiplied by aliases",
            format!(
                "{{ {} }}",
                (0..10)
                    .map(|i| format!("s{i}: __schema {{ types {{ name fields {{ name args {{ name }} type {{ name ofType {{ name }} }} }} }} }}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            json!({}),
            "GATEWAY_MAX_INTROSPECTION",
        ),
        (
            "5,000 unused variables",
            format!("query({}) {{ __typename }}", unused.join(", ")),
            json!({}),
            "GATEWAY_MAX_VARIABLES",
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_documents_are_refused_before_they_run() {
    for backend in backends() {
        let b = backend.name();
        let app = TestApp::spawn(&backend, Data::Demo).await;
        for (what, query, variables, limit) in cases() {
            let (r, took) = send(&app, &query, variables).await;
            assert_refused(&r, what, &backend);
            let message = r.body["errors"][0]["message"].as_str().unwrap_or("");
            assert!(message.contains(limit), "{b}: {what}: {message}");
            assert!(
                took < Duration::from_secs(2),
                "{b}: {what} took {took:?} to refuse"
            );
        }
        // Within the limits the same shapes run, on SQLite too (no expression-depth error).
        let leaf = "{name: {eq: \"x\"}}";
        let allowed = [
            where_bobbleheads(&format!("{}{leaf}{}", "{not: ".repeat(12), "}".repeat(12))),
            where_bobbleheads(&format!("{{or: [{}]}}", vec![leaf; 3000].join(","))),
            where_bobbleheads(&format!("{{and: [{}]}}", vec![leaf; 3000].join(","))),
            fragment_bomb(8),
            "{ __schema { types { name fields { name args { name type { name ofType { name } } } } } } }".into(),
        ];
        for query in allowed {
            let (r, _) = send(&app, &query, json!({})).await;
            assert_eq!(r.status, 200, "{b}: {}", r.body);
            assert!(r.body.get("errors").is_none(), "{b}: {}", r.body);
        }
        let health = app.raw("GET", "/healthz", &[], None).await;
        assert_eq!(health.status, 200, "{b}");
    }
}

#[tokio::test]
async fn the_standard_introspection_query_fits_the_row_limit() {
    // Its 15 levels pass the depth limit only when raised (the default is 12); counted
    // object by object, it stays within the default row limit.
    let app = TestApp::spawn_with(&backends()[0], Data::Empty, |s| s.max_depth = 16).await;
    let (r, _) = send(&app, STANDARD_INTROSPECTION, json!({})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.get("errors").is_none(), "{}", r.body);
    assert!(
        r.body["data"]["__schema"]["types"]
            .as_array()
            .is_some_and(|t| t.len() > 100)
    );
}

#[tokio::test]
async fn responses_list_a_bounded_number_of_errors() {
    let app = TestApp::spawn_with(&backends()[0], Data::Empty, |s| s.max_errors = 5).await;
    let fields: Vec<String> = (0..40).map(|i| format!("nope{i}")).collect();
    let (r, _) = send(&app, &format!("{{ {} }}", fields.join(" ")), json!({})).await;
    let errors = r.body["errors"].as_array().cloned().unwrap_or_default();
    assert_eq!(errors.len(), 5, "{}", r.body);
    let last = errors
        .last()
        .and_then(|e| e["message"].as_str())
        .unwrap_or("");
    assert!(last.contains("36 more errors"), "{last}");
    assert_eq!(
        errors[4]["extensions"]["code"], "BAD_USER_INPUT",
        "{}",
        r.body
    );
}
