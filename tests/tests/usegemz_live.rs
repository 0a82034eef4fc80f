//! Live job progress through a real WebSocket client (graphql-transport-ws) and through
//! Server-Sent Events, on every backend; on PostgreSQL the change is made through a second
//! gateway instance and reaches the subscriber of the first over LISTEN/NOTIFY — also a final
//! error whose text is longer than a notification's payload may be. A batch of appended
//! creators is an event, and each stream ends after COMPLETED or ERROR, and with
//! UNAUTHENTICATED at its token's expiry, on both transports.

use e2e::fixtures::ug_job;
use e2e::live::{
    Sse, Ws, connect, next, next_within, refused_code, replica_on_postgres, spawn_with_job,
    subscribe,
};
use e2e::{Data, TestApp, backends};
use migration::Database;
use sea_orm::EntityTrait;
use serde_json::{Value, json};

const OWNER: &str = "user_2liveOwner";

const SUBSCRIBE: &str = "subscription($id: UUID!) { usegemzJobProgress(jobId: $id) { jobId status progress processedResults } }";

#[tokio::test]
async fn job_progress_reaches_websocket_subscribers_across_replicas() {
    for backend in backends() {
        let b = backend.name();
        // On PostgreSQL the write goes through another gateway instance.
        let (app, replica, id) = spawn_with_job(&backend, OWNER).await;
        let writer = replica.as_ref().unwrap_or(&app);
        let token = app.token("usegemz", OWNER);

        let url = format!("{}/graphql", app.url);
        let mut ws = connect(&url, &token).await;
        subscribe(&mut ws, "1", SUBSCRIBE, id).await;
        let first = next(&mut ws).await;
        assert_eq!(
            first["payload"]["data"]["usegemzJobProgress"]["status"], "PENDING",
            "{b}: {first}"
        );

        let wtoken = writer.token("usegemz", OWNER);
        let r = writer
            .gql(r#"mutation($id: UUID!) { usegemz { updateJobStatus(id: $id, status: PROCESSING) { status } } }"#, json!({ "id": id.to_string() }), Some(&wtoken))
            .await;
        assert!(r.body.get("errors").is_none(), "{b}: {}", r.body);
        let second = next(&mut ws).await;
        assert_eq!(
            second["payload"]["data"]["usegemzJobProgress"]["status"], "PROCESSING",
            "{b}: {second}"
        );

        let r = writer
            .gql(r#"mutation($id: UUID!) { usegemz { recordJobProgress(id: $id, newResults: 40) { processedResults } } }"#, json!({ "id": id.to_string() }), Some(&wtoken))
            .await;
        assert!(r.body.get("errors").is_none(), "{b}: {}", r.body);
        let third = next(&mut ws).await;
        assert_eq!(
            third["payload"]["data"]["usegemzJobProgress"]["processedResults"], 40,
            "{b}: {third}"
        );
        assert_eq!(
            third["payload"]["data"]["usegemzJobProgress"]["progress"], "40.00",
            "{b}"
        );

        // Someone else's job is not followed.
        let stranger = app.token("usegemz", "user_2stranger");
        let mut ws2 = connect(&url, &stranger).await;
        subscribe(&mut ws2, "1", SUBSCRIBE, id).await;
        let denied = next(&mut ws2).await;
        assert_eq!(denied["payload"]["data"], Value::Null, "{b}: {denied}");
        assert_eq!(
            denied["payload"]["errors"][0]["extensions"]["code"], "NOT_FOUND",
            "{b}: {denied}"
        );
    }
}

#[tokio::test]
async fn job_progress_over_server_sent_events() {
    for backend in backends() {
        let b = backend.name();
        // On PostgreSQL the writes go through another gateway instance (LISTEN/NOTIFY).
        let (app, replica, id) = spawn_with_job(&backend, OWNER).await;
        let writer = replica.as_ref().unwrap_or(&app);
        let token = app.token("usegemz", OWNER);
        let mut sse = Sse::open(&app, &token, SUBSCRIBE, id).await;
        assert_eq!(sse.progress().await["status"], "PENDING", "{b}");

        let wtoken = writer.token("usegemz", OWNER);
        let write = |query: &'static str, vars: Value| {
            let wtoken = wtoken.clone();
            async move {
                let r = writer.gql(query, vars, Some(&wtoken)).await;
                assert!(r.body.get("errors").is_none(), "{b}: {}", r.body);
            }
        };
        let set = r#"mutation($id: UUID!, $s: UsegemzJobStatus!) { usegemz { updateJobStatus(id: $id, status: $s) { status } } }"#;
        let record = r#"mutation($id: UUID!) { usegemz { recordJobProgress(id: $id, newResults: 25) { processedResults } } }"#;
        write(set, json!({ "id": id.to_string(), "s": "PROCESSING" })).await;
        assert_eq!(sse.progress().await["status"], "PROCESSING", "{b}");
        write(record, json!({ "id": id.to_string() })).await;
        assert_eq!(sse.progress().await["processedResults"], 25, "{b}");
        write(set, json!({ "id": id.to_string(), "s": "COMPLETED" })).await;
        assert_eq!(sse.progress().await["status"], "COMPLETED", "{b}");
        // A final status ends the stream.
        sse.ends().await;
    }
}

/// An `EventSource` can only GET: a subscription over GET streams as one over POST does, and
/// a document refused before execution is answered on an accepted stream (its coded errors in
/// a `next` event, then `complete`), not with a JSON body the `EventSource` cannot read.
#[tokio::test]
async fn event_source_subscribes_with_get_and_reads_refusals_as_events() {
    for backend in backends() {
        let b = backend.name();
        let (app, _replica, id) = spawn_with_job(&backend, OWNER).await;
        let token = app.token("usegemz", OWNER);
        let mut sse = Sse::get(&app, &token, SUBSCRIBE, id).await;
        assert_eq!(sse.progress().await["status"], "PENDING", "{b}");
        drop(sse);

        let broken = "subscription($id: UUID!) { usegemzJobProgress(jobId: $id) { status ";
        for mut refused in [
            Sse::get(&app, &token, broken, id).await,
            Sse::open(&app, &token, broken, id).await,
        ] {
            let (name, data) = refused
                .next()
                .await
                .unwrap_or_else(|| panic!("{b}: no event"));
            assert_eq!(name, "next", "{b}: {data}");
            let v: Value = serde_json::from_str(&data).unwrap_or_else(|e| panic!("{data}: {e}"));
            assert_eq!(
                v["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
                "{b}: {v}"
            );
            refused.ends().await;
        }
    }
}

/// graphql-transport-ws as its stock client expects it: a refused token closes the connection
/// with 4403; an operation refused before execution is one `error` message holding its coded
/// errors (no `next`, no `complete`), and the connection goes on serving.
#[tokio::test]
async fn websocket_refusals_follow_graphql_transport_ws() {
    for backend in backends() {
        let b = backend.name();
        let (app, _replica, id) = spawn_with_job(&backend, OWNER).await;
        let url = format!("{}/graphql", app.url);
        assert_eq!(refused_code(&url, "not-a-token").await, Some(4403), "{b}");

        let mut ws = connect(&url, &app.token("usegemz", OWNER)).await;
        let invalid = "subscription($id: UUID!) { usegemzJobProgress(jobId: $id) { noSuchField } }";
        subscribe(&mut ws, "bad", invalid, id).await;
        let error = next(&mut ws).await;
        assert_eq!(error["type"], "error", "{b}: {error}");
        assert_eq!(error["id"], "bad", "{b}: {error}");
        assert_eq!(
            error["payload"][0]["extensions"]["code"], "BAD_USER_INPUT",
            "{b}: {error}"
        );
        subscribe(&mut ws, "good", SUBSCRIBE, id).await;
        let first = next(&mut ws).await;
        assert_eq!(
            first["id"], "good",
            "{b}: no complete of the refused one: {first}"
        );
        assert_eq!(
            first["payload"]["data"]["usegemzJobProgress"]["status"], "PENDING",
            "{b}: {first}"
        );
        assert!(
            next_within(&mut ws, std::time::Duration::from_millis(300))
                .await
                .is_none_or(|m| m["id"] != "bad"),
            "{b}: a message for the refused operation after its error"
        );
    }
}

#[tokio::test]
async fn a_long_error_text_reaches_subscribers_whole() {
    // Far above PostgreSQL's 8000-byte notification payload, with multi-byte characters.
    let mut error = String::from("Apify run failed – ");
    while error.len() < 10 * 1024 {
        error.push_str("429 Too Many Requests – retry budget exhausted; ");
    }
    let query = "subscription($id: UUID!) { usegemzJobProgress(jobId: $id) { status error } }";
    for backend in backends() {
        let b = backend.name();
        let (app, replica, id) = spawn_with_job(&backend, OWNER).await;
        let writer = replica.as_ref().unwrap_or(&app);
        let token = app.token("usegemz", OWNER);
        let wtoken = writer.token("usegemz", OWNER);
        let set = r#"mutation($id: UUID!, $s: UsegemzJobStatus!, $e: String) { usegemz { updateJobStatus(id: $id, status: $s, error: $e) { status error } } }"#;
        let mut sse = Sse::open(&app, &token, query, id).await;
        assert_eq!(sse.progress().await["status"], "PENDING", "{b}");
        let r = writer
            .gql(
                set,
                json!({ "id": id.to_string(), "s": "PROCESSING" }),
                Some(&wtoken),
            )
            .await;
        assert!(r.body.get("errors").is_none(), "{b}: {}", r.body);
        assert_eq!(sse.progress().await["status"], "PROCESSING", "{b}");

        let vars = json!({ "id": id.to_string(), "s": "ERROR", "e": error });
        let r = writer.gql(set, vars, Some(&wtoken)).await;
        assert!(r.body.get("errors").is_none(), "{b}: {}", r.body);
        let p = sse.progress().await;
        assert_eq!(p["status"], "ERROR", "{b}: {p}");
        assert_eq!(
            p["error"].as_str(),
            Some(error.as_str()),
            "{b}: the whole text"
        );
        let end = sse.next().await;
        assert_eq!(
            end.as_ref().map(|(name, _)| name.as_str()),
            Some("complete"),
            "{b}"
        );

        // The stored text is intact: no cap, read back through the gateway and directly.
        let t = "query($id: UUID!) { usegemz { scrapingJob(rowId: $id) { error } } }";
        let r = app
            .gql(t, json!({ "id": id.to_string() }), Some(&token))
            .await;
        let read = r.data()["usegemz"]["scrapingJob"]["error"]
            .as_str()
            .map(str::to_owned);
        assert_eq!(read.as_deref(), Some(error.as_str()), "{b}");
        let stored = entity::usegemz::scraping_jobs::Entity::find_by_id(id)
            .one(app.db(Database::Usegemz))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .and_then(|j| j.error);
        assert_eq!(stored.as_deref(), Some(error.as_str()), "{b}");
    }
}

/// The next message for subscription `id`, which must be of `kind` (`next` or `complete`):
/// its job state for `next`.
async fn expect(ws: &mut Ws, id: &str, kind: &str) -> Value {
    let msg = next(ws).await;
    assert_eq!(
        (msg["id"].as_str(), msg["type"].as_str()),
        (Some(id), Some(kind)),
        "{msg}"
    );
    assert!(msg["payload"].get("errors").is_none(), "{msg}");
    msg["payload"]["data"]["usegemzJobProgress"].clone()
}

fn tiktok_keyword(followers: i64) -> Value {
    json!({
        "creator": { "name": "Creator", "followers": followers, "avatarUrl": "/a", "profilePicUrl": "/p",
            "bio": "bio", "emails": [], "uniqueId": "@creator", "verified": false },
        "video": { "description": "Video", "url": "https://tiktok.com/@creator/video/1",
            "statistics": { "likes": 1, "comments": 1, "shares": 1, "views": 10 } },
        "hashtags": ["#fit"],
        "platform": "TikTok"
    })
}

#[tokio::test]
async fn websocket_streams_appended_results_and_ends_at_completed_and_error() {
    let query = "subscription($id: UUID!) { usegemzJobProgress(jobId: $id) { jobId status progress processedResults error } }";
    let set = r#"mutation($id: UUID!, $s: UsegemzJobStatus!, $e: String) { usegemz { updateJobStatus(id: $id, status: $s, error: $e) { status } } }"#;
    let append = r#"mutation($id: UUID!, $c: JSON!) { usegemz { appendJobResults(jobId: $id, creators: $c) { rowId } } }"#;
    for backend in backends() {
        let b = backend.name();
        let app = TestApp::spawn(&backend, Data::Empty).await;
        let db = app.db(Database::Usegemz);
        let (done, failed) = (ug_job(db, OWNER).await, ug_job(db, OWNER).await);
        // On PostgreSQL the writes go through another gateway instance (LISTEN/NOTIFY).
        let replica = replica_on_postgres(&app).await;
        let writer = replica.as_ref().unwrap_or(&app);
        let wtoken = writer.token("usegemz", OWNER);
        let write = |q: &'static str, vars: Value| {
            let wtoken = wtoken.clone();
            async move {
                let r = writer.gql(q, vars, Some(&wtoken)).await;
                assert!(r.body.get("errors").is_none(), "{b}: {}", r.body);
            }
        };

        // Both jobs followed on one connection, each from its current state.
        let url = format!("{}/graphql", app.url);
        let mut ws = connect(&url, &app.token("usegemz", OWNER)).await;
        for (id, job) in [("1", done), ("2", failed)] {
            subscribe(&mut ws, id, query, job).await;
            let p = expect(&mut ws, id, "next").await;
            assert_eq!(p["status"], "PENDING", "{b}: {id}");
        }

        // A batch of creators is a progress change: one event with the job's new counts.
        write(set, json!({ "id": done.to_string(), "s": "PROCESSING" })).await;
        assert_eq!(
            expect(&mut ws, "1", "next").await["status"],
            "PROCESSING",
            "{b}"
        );
        let creators = json!([tiktok_keyword(10), tiktok_keyword(20), tiktok_keyword(30)]);
        write(append, json!({ "id": done.to_string(), "c": creators })).await;
        let p = expect(&mut ws, "1", "next").await;
        assert_eq!(
            (
                p["status"].clone(),
                p["processedResults"].clone(),
                p["progress"].clone()
            ),
            (json!("PROCESSING"), json!(3), json!("3.00")),
            "{b}: {p}"
        );

        // COMPLETED is the last event of its stream, which the server then completes.
        write(set, json!({ "id": done.to_string(), "s": "COMPLETED" })).await;
        assert_eq!(
            expect(&mut ws, "1", "next").await["status"],
            "COMPLETED",
            "{b}"
        );
        expect(&mut ws, "1", "complete").await;

        // So is ERROR, with its text; the other subscription was unaffected until then.
        write(set, json!({ "id": failed.to_string(), "s": "PROCESSING" })).await;
        assert_eq!(
            expect(&mut ws, "2", "next").await["status"],
            "PROCESSING",
            "{b}"
        );
        let vars = json!({ "id": failed.to_string(), "s": "ERROR", "e": "Apify run failed" });
        write(set, vars).await;
        let p = expect(&mut ws, "2", "next").await;
        assert_eq!(
            (p["status"].clone(), p["error"].clone()),
            (json!("ERROR"), json!("Apify run failed")),
            "{b}: {p}"
        );
        expect(&mut ws, "2", "complete").await;

        // Nothing follows on the connection, which stays open: a new subscription to the
        // finished job answers its final state and completes at once.
        subscribe(&mut ws, "3", query, done).await;
        assert_eq!(
            expect(&mut ws, "3", "next").await["status"],
            "COMPLETED",
            "{b}"
        );
        expect(&mut ws, "3", "complete").await;
    }
}

#[tokio::test]
async fn a_connection_lives_no_longer_than_its_token() {
    // SQLite is enough: the expiry is the connection's, not the database's.
    let backend = &backends()[0];
    let (app, _replica, id) = spawn_with_job(backend, OWNER).await;
    let short = api::auth::Tokens::new(&app.secret)
        .mint("usegemz", OWNER, 2)
        .unwrap_or_else(|e| panic!("{e:?}"));
    let mut ws = connect(&format!("{}/graphql", app.url), &short).await;
    subscribe(&mut ws, "1", e2e::live::JOB_PROGRESS, id).await;
    let first = next(&mut ws).await;
    assert_eq!(first["type"], "next", "{first}");
    assert_eq!(
        first["payload"]["data"]["usegemzJobProgress"]["status"], "PENDING",
        "{first}"
    );

    // At the token's expiry the subscription ends with UNAUTHENTICATED ...
    let ended = next(&mut ws).await;
    assert_eq!(ended["type"], "next", "{ended}");
    assert_eq!(
        ended["payload"]["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{ended}"
    );
    let complete = next(&mut ws).await;
    assert_eq!(complete["type"], "complete", "{complete}");
    assert_eq!(complete["id"], "1", "{complete}");

    // ... and nothing new starts on the connection.
    subscribe(&mut ws, "2", e2e::live::JOB_PROGRESS, id).await;
    let refused = next(&mut ws).await;
    assert_eq!(
        refused["payload"]["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{refused}"
    );
    assert!(refused["payload"]["data"].is_null(), "{refused}");
}

#[tokio::test]
async fn an_event_stream_subscription_lives_no_longer_than_its_token() {
    for backend in backends() {
        let b = backend.name();
        let (app, _replica, id) = spawn_with_job(&backend, OWNER).await;
        let short = api::auth::Tokens::new(&app.secret)
            .mint("usegemz", OWNER, 2)
            .unwrap_or_else(|e| panic!("{e:?}"));
        let mut sse = Sse::open(&app, &short, e2e::live::JOB_PROGRESS, id).await;
        assert_eq!(sse.progress().await["status"], "PENDING", "{b}");

        // At the token's expiry the stream ends as over WebSocket: one `next` event with
        // UNAUTHENTICATED, then `complete`.
        let (name, data) = sse
            .next()
            .await
            .unwrap_or_else(|| panic!("{b}: the stream ended without the expiry error"));
        assert_eq!(name, "next", "{b}: {data}");
        let ended: Value = serde_json::from_str(&data).unwrap_or_else(|e| panic!("{data}: {e}"));
        assert_eq!(
            ended["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
            "{b}: {ended}"
        );
        assert!(ended["data"].is_null(), "{b}: {ended}");
        sse.ends().await;
    }
}

/// GraphiQL's fetcher (the page's `fetcher.js`, run by Node.js as a browser would run it)
/// subscribes over an event stream with the headers editor's `Authorization`, reads events
/// until a final status completes the stream, and sends queries through GraphiQL's own HTTP
/// fetcher; a refused subscription comes back as its JSON answer.
#[tokio::test]
async fn graphiql_runs_subscriptions() {
    for backend in backends() {
        let b = backend.name();
        let (app, replica, id) = spawn_with_job(&backend, OWNER).await;
        let writer = replica.as_ref().unwrap_or(&app);
        let text = |path: &'static str, accept: &'static str| {
            let url = format!("{}{path}", app.url);
            async move {
                let res = reqwest::Client::new()
                    .get(url)
                    .header("accept", accept)
                    .send();
                let res = res.await.unwrap_or_else(|e| panic!("{path}: {e}"));
                res.text().await.unwrap_or_default()
            }
        };
        let page = text("/graphql", "text/html").await;
        assert!(
            page.contains("/graphiql/fetcher.js") && page.contains("gatewayFetcher("),
            "{b}"
        );
        let fetcher = text("/graphiql/fetcher.js", "*/*").await;
        assert!(fetcher.contains("root.gatewayFetcher"), "{b}: {fetcher}");

        let script = std::env::temp_dir().join(format!("graphiql_{}.js", uuid::Uuid::new_v4()));
        let run = format!(
            r#"{fetcher}
const [url, token, id] = process.argv.slice(2);
const http = async () => ({{ http: true }});
const f = globalThis.gatewayFetcher(url, http);
(async () => {{
  const sub = {{ query: {sub}, variables: {{ id }} }};
  const headers = {{ authorization: "Bearer " + token }};
  const seen = [];
  for await (const r of f(sub, {{ headers }})) {{
    seen.push(r);
    console.log(JSON.stringify(r));
  }}
  const query = await f({{ query: "{{ __typename }}" }}, {{ headers }});
  console.log(JSON.stringify(query));
  for await (const r of f(sub, {{ headers: {{ authorization: "Bearer nope" }} }})) console.log(JSON.stringify(r));
}})().catch((e) => {{ console.error(e); process.exit(1); }});
"#,
            sub = serde_json::to_string(SUBSCRIBE).unwrap_or_default(),
        );
        std::fs::write(&script, run).unwrap_or_else(|e| panic!("{e}"));
        let token = app.token("usegemz", OWNER);
        let mut node = tokio::process::Command::new("node")
            .arg(&script)
            .args([
                format!("{}/graphql", app.url),
                token.clone(),
                id.to_string(),
            ])
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("node (Node.js) must be installed: {e}"));
        let stdout = node.stdout.take().unwrap_or_else(|| panic!("no stdout"));
        let mut lines = tokio::io::AsyncBufReadExt::lines(tokio::io::BufReader::new(stdout));
        type Lines = tokio::io::Lines<tokio::io::BufReader<tokio::process::ChildStdout>>;
        async fn line(lines: &mut Lines) -> Value {
            let next = tokio::time::timeout(std::time::Duration::from_secs(20), lines.next_line());
            let text = next.await.ok().and_then(Result::ok).flatten();
            serde_json::from_str::<Value>(&text.unwrap_or_default()).unwrap_or(Value::Null)
        }
        let first = line(&mut lines).await;
        assert_eq!(
            first["data"]["usegemzJobProgress"]["status"], "PENDING",
            "{b}: {first}"
        );
        let wtoken = writer.token("usegemz", OWNER);
        let set = r#"mutation($id: UUID!, $s: UsegemzJobStatus!) { usegemz { updateJobStatus(id: $id, status: $s) { status } } }"#;
        for status in ["PROCESSING", "COMPLETED"] {
            let vars = json!({ "id": id.to_string(), "s": status });
            let r = writer.gql(set, vars, Some(&wtoken)).await;
            assert!(r.body.get("errors").is_none(), "{b}: {}", r.body);
            if status == "PROCESSING" {
                let p = line(&mut lines).await;
                assert_eq!(
                    p["data"]["usegemzJobProgress"]["status"], status,
                    "{b}: {p}"
                );
            }
        }
        let done = line(&mut lines).await;
        assert_eq!(
            done["data"]["usegemzJobProgress"]["status"], "COMPLETED",
            "{b}: {done}"
        );
        // The stream completed (the loop ended), so the query ran next, over HTTP.
        assert_eq!(line(&mut lines).await, json!({ "http": true }), "{b}");
        let refused = line(&mut lines).await;
        assert_eq!(
            refused["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
            "{b}: {refused}"
        );
        let status = node.wait().await.unwrap_or_else(|e| panic!("{e}"));
        let _ = std::fs::remove_file(&script);
        assert!(status.success(), "{b}: node failed");
    }
}
