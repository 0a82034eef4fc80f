//! Live job progress through a real WebSocket client (graphql-transport-ws) and through
//! Server-Sent Events, on every backend; on PostgreSQL the change is made through a second
//! gateway instance and reaches the subscriber of the first over LISTEN/NOTIFY — also a final
//! error whose text is longer than a notification's payload may be. A batch of appended
//! creators is an event, and each stream ends after COMPLETED or ERROR on both transports.

use std::time::Duration;

use e2e::fixtures::ug_job;
use e2e::{Backend, Data, TestApp, backends};
use futures_util::{SinkExt, StreamExt};
use migration::Database;
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use uuid::Uuid;

const OWNER: &str = "user_2liveOwner";

const SUBSCRIBE: &str = "subscription($id: UUID!) { usegemzJobProgress(jobId: $id) { jobId status progress processedResults } }";

async fn next(
    ws: &mut (impl StreamExt<Item = Result<Message, tokio_tungstenite::tungstenite::Error>> + Unpin),
) -> Value {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(10), ws.next())
            .await
            .unwrap_or_else(|_| panic!("no message within 10 s"))
            .unwrap_or_else(|| panic!("socket closed"))
            .unwrap_or_else(|e| panic!("socket error: {e}"));
        if let Message::Text(t) = msg {
            let v: Value = serde_json::from_str(&t).unwrap_or(Value::Null);
            if v["type"] != "ping" && v["type"] != "ka" {
                return v;
            }
        }
    }
}

#[tokio::test]
async fn job_progress_reaches_websocket_subscribers_across_replicas() {
    for backend in backends() {
        let app = TestApp::spawn(&backend, Data::Empty).await;
        let b = backend.name();
        let id = ug_job(app.db(Database::Usegemz), OWNER).await;
        // On PostgreSQL the write goes through another gateway instance.
        let replica = match backend {
            Backend::Postgres(_) => Some(app.replica().await),
            Backend::Sqlite => None,
        };
        let writer = replica.as_ref().unwrap_or(&app);
        let token = app.token("usegemz", OWNER);

        let url = format!("{}/graphql", app.url.replacen("http", "ws", 1));
        let mut req = url.into_client_request().unwrap_or_else(|e| panic!("{e}"));
        req.headers_mut().insert(
            "sec-websocket-protocol",
            "graphql-transport-ws"
                .parse()
                .unwrap_or_else(|e| panic!("{e}")),
        );
        let (mut ws, _) = tokio_tungstenite::connect_async(req)
            .await
            .unwrap_or_else(|e| panic!("{b}: connect: {e}"));
        let init = json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } });
        ws.send(Message::Text(init.to_string().into()))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(next(&mut ws).await["type"], "connection_ack", "{b}");
        let sub = json!({ "id": "1", "type": "subscribe", "payload": { "query": SUBSCRIBE, "variables": { "id": id.to_string() } } });
        ws.send(Message::Text(sub.to_string().into()))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
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
            third["payload"]["data"]["usegemzJobProgress"]["progress"], 40.0,
            "{b}"
        );

        // Someone else's job is not followed.
        let stranger = app.token("usegemz", "user_2stranger");
        let (mut ws2, _) = {
            let mut req = format!("{}/graphql", app.url.replacen("http", "ws", 1))
                .into_client_request()
                .unwrap_or_else(|e| panic!("{e}"));
            req.headers_mut().insert(
                "sec-websocket-protocol",
                "graphql-transport-ws"
                    .parse()
                    .unwrap_or_else(|e| panic!("{e}")),
            );
            tokio_tungstenite::connect_async(req)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
        };
        let init = json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {stranger}") } });
        ws2.send(Message::Text(init.to_string().into()))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        next(&mut ws2).await;
        ws2.send(Message::Text(sub.to_string().into()))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let denied = next(&mut ws2).await;
        assert_eq!(denied["payload"]["data"], Value::Null, "{b}: {denied}");
        assert_eq!(
            denied["payload"]["errors"][0]["extensions"]["code"], "NOT_FOUND",
            "{b}: {denied}"
        );
    }
}

/// An event-stream subscription read event by event.
struct Sse {
    res: reqwest::Response,
    buf: String,
}

impl Sse {
    async fn open(app: &TestApp, token: &str, query: &str, job: Uuid) -> Sse {
        let body = json!({ "query": query, "variables": { "id": job.to_string() } }).to_string();
        let res = reqwest::Client::new()
            .post(format!("{}/graphql", app.url))
            .header("content-type", "application/json")
            .header("accept", "text/event-stream")
            .header("authorization", format!("Bearer {token}"))
            .body(body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            res.headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .starts_with("text/event-stream")
        );
        Sse {
            res,
            buf: String::new(),
        }
    }

    /// The next event as (name, data), keep-alive comments left out; `None` once the stream
    /// ended.
    async fn next(&mut self) -> Option<(String, String)> {
        loop {
            if let Some(end) = self.buf.find("\n\n") {
                let block: String = self.buf.drain(..end + 2).collect();
                let (mut name, mut data) = (String::new(), String::new());
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("event:") {
                        name = v.trim().to_owned();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push_str(v.trim_start());
                    }
                }
                if name.is_empty() && data.is_empty() {
                    continue;
                }
                return Some((name, data));
            }
            let chunk = tokio::time::timeout(Duration::from_secs(10), self.res.chunk())
                .await
                .unwrap_or_else(|_| panic!("no event within 10 s"))
                .unwrap_or_else(|e| panic!("event stream: {e}"))?;
            self.buf.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// The job's state in the next event, which must be a `next` one.
    async fn progress(&mut self) -> Value {
        let (name, data) = self
            .next()
            .await
            .unwrap_or_else(|| panic!("the stream ended"));
        assert_eq!(name, "next", "{data}");
        let v: Value = serde_json::from_str(&data).unwrap_or_else(|e| panic!("{data}: {e}"));
        assert!(v.get("errors").is_none(), "{v}");
        v["data"]["usegemzJobProgress"].clone()
    }
}

#[tokio::test]
async fn job_progress_over_server_sent_events() {
    for backend in backends() {
        let b = backend.name();
        let app = TestApp::spawn(&backend, Data::Empty).await;
        let id = ug_job(app.db(Database::Usegemz), OWNER).await;
        // On PostgreSQL the writes go through another gateway instance (LISTEN/NOTIFY).
        let replica = match backend {
            Backend::Postgres(_) => Some(app.replica().await),
            Backend::Sqlite => None,
        };
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
        let end = sse.next().await;
        assert_eq!(
            end.as_ref().map(|(name, _)| name.as_str()),
            Some("complete"),
            "{b}"
        );
        assert!(sse.next().await.is_none(), "{b}: events after `complete`");
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
        let app = TestApp::spawn(&backend, Data::Empty).await;
        let id = ug_job(app.db(Database::Usegemz), OWNER).await;
        let replica = match backend {
            Backend::Postgres(_) => Some(app.replica().await),
            Backend::Sqlite => None,
        };
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

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A graphql-transport-ws connection to `app`, acknowledged, as the holder of `token`.
async fn connect(app: &TestApp, token: &str) -> Ws {
    let url = format!("{}/graphql", app.url.replacen("http", "ws", 1));
    let mut req = url.into_client_request().unwrap_or_else(|e| panic!("{e}"));
    req.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws"
            .parse()
            .unwrap_or_else(|e| panic!("{e}")),
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(req)
        .await
        .unwrap_or_else(|e| panic!("connect: {e}"));
    let init = json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } });
    send(&mut ws, init).await;
    assert_eq!(next(&mut ws).await["type"], "connection_ack");
    ws
}

async fn send(ws: &mut Ws, msg: Value) {
    ws.send(Message::Text(msg.to_string().into()))
        .await
        .unwrap_or_else(|e| panic!("send: {e}"));
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
        let replica = match backend {
            Backend::Postgres(_) => Some(app.replica().await),
            Backend::Sqlite => None,
        };
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
        let mut ws = connect(&app, &app.token("usegemz", OWNER)).await;
        for (id, job) in [("1", done), ("2", failed)] {
            let sub = json!({ "id": id, "type": "subscribe", "payload": { "query": query, "variables": { "id": job.to_string() } } });
            send(&mut ws, sub).await;
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
                p["progress"].as_f64()
            ),
            (json!("PROCESSING"), json!(3), Some(3.0)),
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
        let sub = json!({ "id": "3", "type": "subscribe", "payload": { "query": query, "variables": { "id": done.to_string() } } });
        send(&mut ws, sub).await;
        assert_eq!(
            expect(&mut ws, "3", "next").await["status"],
            "COMPLETED",
            "{b}"
        );
        expect(&mut ws, "3", "complete").await;
    }
}
