//! `schema.graphql` is the schema the code builds, and the schema every backend serves.

use std::collections::BTreeSet;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use e2e::{Data, TestApp, backends};
use serde_json::{Value, json};

const INTROSPECT: &str = r#"{ __schema { types { name kind fields { name args { name } type { name kind ofType { name kind ofType { name kind ofType { name } } } } } inputFields { name } enumValues { name } } } }"#;

#[test]
fn committed_schema_is_current() {
    let built = api::startup::sdl().unwrap_or_else(|e| panic!("build schema: {e:?}"));
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        built == committed,
        "schema.graphql differs from the schema the code builds; regenerate it with \
         `cargo run -p api -- export-schema --output schema.graphql --apollo clients/apollo-cache.json` and commit both"
    );
}

#[test]
fn committed_apollo_setup_is_current() {
    let built = api::startup::apollo_setup().unwrap_or_else(|e| panic!("{e:?}"));
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../clients/apollo-cache.json");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        built == committed,
        "clients/apollo-cache.json differs from the schema the code builds; regenerate it with \
         `cargo run -p api -- export-schema --output schema.graphql --apollo clients/apollo-cache.json`"
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

/// The members' own fields of a like's target, spelled with inline fragments on the members:
/// the baseline every other fragment form must answer identically.
const MEMBERS: &str = "__typename ... on HeadShakersBobblehead { rowId name } \
    ... on HeadShakersCollection { rowId name } ... on HeadShakersComment { rowId content }";

/// Named fragments, inline fragments and nested spreads typed on a union or an interface
/// answer what fragments on the member types answer, over HTTP and WebSocket, on every
/// backend (async-graphql's executor alone left them out: the objects came back null).
#[tokio::test]
async fn fragments_on_unions_and_interfaces_answer_like_member_fragments() {
    let likes = |target: &str, rest: &str| {
        format!(
            "{{ headShakers {{ likes(first: 30, orderBy: [CREATED_AT_ASC, ROW_ID_ASC]) {{ nodes {{ rowId \
             target {{ {target} }} }} }} }} }} {rest}"
        )
    };
    let forms = [
        likes(
            "...T",
            &format!("fragment T on HeadShakersLikeTarget {{ {MEMBERS} }}"),
        ),
        likes(&format!("... on HeadShakersLikeTarget {{ {MEMBERS} }}"), ""),
        likes(
            "...Outer",
            "fragment Outer on HeadShakersLikeTarget { ...Inner } \
             fragment Inner on HeadShakersLikeTarget { __typename ...B ...C \
               ... on HeadShakersComment { rowId content } } \
             fragment B on HeadShakersBobblehead { rowId name } \
             fragment C on HeadShakersCollection { ...Named } \
             fragment Named on HeadShakersCollection { rowId name }",
        ),
        // A fragment on a union spread inside another union sharing some members.
        likes(
            &format!(
                "... on HeadShakersCommentTarget {{ ... on HeadShakersLikeTarget {{ {MEMBERS} }} }} \
                 ... on HeadShakersComment {{ __typename rowId content }}"
            ),
            "",
        ),
    ];
    for backend in backends() {
        let app = TestApp::spawn(&backend, Data::Demo).await;
        let expected = app.gql(&likes(MEMBERS, ""), json!({}), None).await;
        let expected = expected.data().clone();
        let nodes = expected["headShakers"]["likes"]["nodes"].as_array();
        let kinds: BTreeSet<&str> = nodes
            .into_iter()
            .flatten()
            .filter_map(|n| n["target"]["__typename"].as_str())
            .collect();
        assert!(kinds.len() >= 2, "{}: {expected}", backend.name());
        for form in &forms {
            let got = app.gql(form, json!({}), None).await;
            assert_eq!(got.data(), &expected, "{}: {form}", backend.name());
        }

        // Under `node` (an interface) a union fragment applies to its members only, and an
        // interface fragment applies inside a union.
        let first = &nodes
            .into_iter()
            .flatten()
            .next()
            .cloned()
            .unwrap_or_default();
        let q = "query($id: ID!) { node(id: $id) { kind: __typename ... on HeadShakersLikeTarget { ...T } } } \
                 fragment T on HeadShakersLikeTarget { ... on Node { id } __typename }";
        let like_id = app
            .gql(
                "{ headShakers { likes(first: 1, orderBy: [CREATED_AT_ASC, ROW_ID_ASC]) { nodes { id target { ... on Node { id } } } } } }",
                json!({}),
                None,
            )
            .await;
        let like = &like_id.data()["headShakers"]["likes"]["nodes"][0];
        let target = app
            .gql(q, json!({ "id": like["target"]["id"] }), None)
            .await;
        assert_eq!(
            target.data()["node"]["__typename"],
            first["target"]["__typename"],
            "{}",
            backend.name()
        );
        assert_eq!(target.data()["node"]["id"], like["target"]["id"]);
        let not_a_member = app.gql(q, json!({ "id": like["id"] }), None).await;
        let kind = json!({ "kind": "HeadShakersLike" });
        assert_eq!(not_a_member.data()["node"], kind, "{}", backend.name());

        // The same rewrite runs over WebSocket.
        let token = app.token("head_shakers", &app.holder("head_shakers", "admin").await);
        let expected = app.gql(&likes(MEMBERS, ""), json!({}), Some(&token)).await;
        let expected = expected.data().clone();
        let mut ws = e2e::live::connect(&format!("{}/graphql/ws", app.url), &token).await;
        let sub = json!({ "id": "1", "type": "subscribe", "payload": { "query": forms[0] } });
        e2e::live::send(&mut ws, sub).await;
        let next = e2e::live::next(&mut ws).await;
        assert_eq!(
            next["payload"]["data"],
            expected,
            "{}: {next}",
            backend.name()
        );
    }
}

/// `nodes(ids:)` answers one entry per id in the order given: null for an absent object, a
/// malformed id or a global id of a type that is no table, without failing the others; the
/// same id twice answers twice. Aliased twice in one document, each list keeps its own nulls.
#[tokio::test]
async fn nodes_answers_one_entry_per_id_in_order() {
    for backend in backends() {
        let b = backend.name();
        let app = TestApp::spawn(&backend, Data::Demo).await;
        let r = app
            .gql(
                "{ headShakers { bobbleheads(first: 2, orderBy: [ROW_ID_ASC]) { nodes { id } } } }",
                json!({}),
                None,
            )
            .await;
        let ids: Vec<String> = r.data()["headShakers"]["bobbleheads"]["nodes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|n| n["id"].as_str().map(str::to_owned))
            .collect();
        assert_eq!(ids.len(), 2, "{b}: {}", r.body);
        // A well-formed id of a row that does not exist.
        let absent = json!([
            "HeadShakersBobblehead",
            ["00000000-0000-0000-0000-000000000000"]
        ]);
        let absent = URL_SAFE_NO_PAD.encode(absent.to_string());
        let asked = [
            ids[1].as_str(),
            "not a global id",
            absent.as_str(),
            ids[0].as_str(),
            ids[1].as_str(),
        ];
        let q = "query($ids: [ID!]!, $two: [ID!]!) { a: nodes(ids: $ids) { id } \
                 b: nodes(ids: $two) { id ... on HeadShakersBobblehead { name } } }";
        let r = app
            .gql(q, json!({ "ids": asked, "two": [absent, ids[0]] }), None)
            .await;
        let got: Vec<Option<&str>> = r.data()["a"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|n| n["id"].as_str())
            .collect();
        let want = vec![Some(&*ids[1]), None, None, Some(&*ids[0]), Some(&*ids[1])];
        assert_eq!(got, want, "{b}: {}", r.body);
        assert!(r.data()["b"][0].is_null(), "{b}: {}", r.body);
        assert_eq!(r.data()["b"][1]["id"], ids[0], "{b}: {}", r.body);
        assert!(r.data()["b"][1]["name"].is_string(), "{b}: {}", r.body);
    }
}

/// Every union of the served schema, on every field that answers one: documents generated
/// from introspection spell the union's members with a named fragment on the union, an inline
/// fragment on it, nested spreads, and a fragment on `Node` inside it; each answers what
/// inline fragments on the members answer, as each source's admin reads it.
#[tokio::test]
async fn generated_fragments_on_every_union_answer_like_member_fragments() {
    const TYPES: &str = "{ __schema { queryType { name } types { name kind possibleTypes { name } \
        fields { name args { name } type { name kind ofType { name kind ofType { name kind ofType { name kind } } } } } } } }";
    fn named(t: &Value) -> (&str, &str) {
        match t["ofType"].is_object() {
            true => named(&t["ofType"]),
            false => (
                t["name"].as_str().unwrap_or(""),
                t["kind"].as_str().unwrap_or(""),
            ),
        }
    }
    for backend in backends() {
        let b = backend.name();
        let app = TestApp::spawn(&backend, Data::Demo).await;
        let r = app.gql(TYPES, json!({}), None).await;
        let types = r.data()["__schema"]["types"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let by_name = |n: &str| {
            types
                .iter()
                .find(|t| t["name"] == n)
                .cloned()
                .unwrap_or_default()
        };
        let fields = |t: &Value| t["fields"].as_array().cloned().unwrap_or_default();
        let query = by_name("Query");
        let mut covered = BTreeSet::new();
        // Unions some generated document answered a member object of.
        let mut answered = BTreeSet::new();
        let mut documents = 0;
        for ns in fields(&query) {
            let (ns_type, kind) = named(&ns["type"]);
            if kind != "OBJECT" || !ns_type.ends_with("Query") {
                continue;
            }
            let ns_name = ns["name"].as_str().unwrap_or_default().to_owned();
            let source = match ns_name.as_str() {
                "headShakers" => "head_shakers",
                "usegemz" => "usegemz",
                _ => continue,
            };
            let token = app.token(source, &app.holder(source, "admin").await);
            for conn in fields(&by_name(ns_type)) {
                let (conn_type, _) = named(&conn["type"]);
                let Some(object) = conn_type.strip_suffix("Connection") else {
                    continue;
                };
                let takes_first = conn["args"]
                    .as_array()
                    .is_some_and(|a| a.iter().any(|x| x["name"] == "first"));
                if !takes_first {
                    continue;
                }
                for f in fields(&by_name(object)) {
                    let field = f["name"].as_str().unwrap_or_default();
                    let args: Vec<&str> = f["args"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|a| a["name"].as_str())
                        .collect();
                    let (ty, kind) = named(&f["type"]);
                    // A union, or a connection of one.
                    let (union, paged) = match ty.strip_suffix("Connection") {
                        Some(u) if by_name(u)["kind"] == "UNION" && args.contains(&"first") => {
                            (u, true)
                        }
                        _ if kind == "UNION" && args.is_empty() => (ty, false),
                        _ => continue,
                    };
                    let members: Vec<String> = by_name(union)["possibleTypes"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|m| m["name"].as_str().map(str::to_owned))
                        .collect();
                    let on_members: String = members
                        .iter()
                        .map(|m| {
                            let id = if fields(&by_name(m)).iter().any(|x| x["name"] == "id") {
                                "id"
                            } else {
                                ""
                            };
                            format!("... on {m} {{ __typename {id} }} ")
                        })
                        .collect();
                    let conn_name = conn["name"].as_str().unwrap_or_default();
                    let doc = |selection: &str, rest: &str| {
                        let inner = if paged {
                            format!("{field}(first: 20) {{ nodes {{ {selection} }} }}")
                        } else {
                            format!("{field} {{ {selection} }}")
                        };
                        format!(
                            "{{ {ns_name} {{ {conn_name}(first: 20) {{ nodes {{ {inner} }} }} }} }} {rest}"
                        )
                    };
                    let expected = app
                        .gql(&doc(&on_members, ""), json!({}), Some(&token))
                        .await;
                    let expected = expected.data().clone();
                    let forms = [
                        doc("...U", &format!("fragment U on {union} {{ {on_members} }}")),
                        doc(&format!("... on {union} {{ {on_members} }}"), ""),
                        doc(
                            "...Outer",
                            &format!(
                                "fragment Outer on {union} {{ ...Inner }} fragment Inner on {union} {{ {on_members} }}"
                            ),
                        ),
                    ];
                    for form in &forms {
                        let got = app.gql(form, json!({}), Some(&token)).await;
                        assert_eq!(got.data(), &expected, "{b}: {form}");
                        documents += 1;
                    }
                    covered.insert(union.to_owned());
                    if members
                        .iter()
                        .any(|m| expected.to_string().contains(&format!("\"{m}\"")))
                    {
                        answered.insert(union.to_owned());
                    }
                }
            }
        }
        let unions: BTreeSet<String> = types
            .iter()
            .filter(|t| t["kind"] == "UNION")
            .filter_map(|t| t["name"].as_str().map(str::to_owned))
            .collect();
        assert!(documents > 0, "{b}: no document generated");
        assert_eq!(
            covered, unions,
            "{b}: every union is reached from a connection"
        );
        assert_eq!(
            answered, unions,
            "{b}: the demo data answers members of every union"
        );
    }
}
