//! A scraping job's time limit on the live `usegemzJobProgress` subscription, over WebSocket
//! (graphql-transport-ws) and Server-Sent Events, on every backend: a job already past its
//! limit answers `TIMEOUT` first and the stream ends; a subscriber of a running job receives
//! `TIMEOUT` when the limit passes although nothing was written. On PostgreSQL the writes go
//! through a second gateway replica.

use std::time::Duration;

use e2e::fixtures::ug_job;
use e2e::{Backend, Data, TestApp, backends};
use entity::usegemz::scraping_jobs;
use futures_util::{SinkExt, StreamExt};
use migration::Database;
use sea_orm::prelude::DateTime;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use uuid::Uuid;

const OWNER: &str = "user_2timeoutOwner";

const SUBSCRIBE: &str =
    "subscription($id: UUID!) { usegemzJobProgress(jobId: $id) { jobId status processedResults } }";

/// How long any expected message may take (a correctness bound on a busy machine).
const WAIT: Duration = Duration::from_secs(15);

/// The time limit of a job that is still running when the test subscribes: long enough for a
/// status write to land before it, short enough to wait for.
const LIMIT: Duration = Duration::from_secs(3);

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The current time as the gateway stores it (UTC, no zone).
fn now() -> DateTime {
    chrono::Utc::now().naive_utc()
}

/// Sets a job's stored status and time limit directly, as a worker's earlier writes would
/// have left them.
async fn arrange(app: &TestApp, id: Uuid, status: &str, timeout_at: DateTime) {
    let db = app.db(Database::Usegemz);
    let job = scraping_jobs::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap_or_else(|e| panic!("read job: {e}"))
        .unwrap_or_else(|| panic!("no job {id}"));
    let mut job: scraping_jobs::ActiveModel = job.into();
    job.status = Set(status.to_owned());
    job.timeout_at = Set(Some(timeout_at));
    job.update(db)
        .await
        .unwrap_or_else(|e| panic!("arrange job: {e}"));
}

async fn stored_status(app: &TestApp, id: Uuid) -> String {
    scraping_jobs::Entity::find_by_id(id)
        .one(app.db(Database::Usegemz))
        .await
        .unwrap_or_else(|e| panic!("read job: {e}"))
        .unwrap_or_else(|| panic!("no job {id}"))
        .status
}

/// The gateway writes go through: a second replica on PostgreSQL (so the change travels by
/// LISTEN/NOTIFY), the subscriber's own gateway on SQLite.
async fn writer(app: &TestApp) -> Option<TestApp> {
    match app.backend {
        Backend::Postgres(_) => Some(app.replica().await),
        Backend::Sqlite => None,
    }
}

async fn set_status(app: &TestApp, id: Uuid, status: &str) {
    let token = app.token("usegemz", OWNER);
    let r = app
        .gql(
            "mutation($id: UUID!, $s: UsegemzJobStatus!) { usegemz { updateJobStatus(id: $id, status: $s) { status } } }",
            json!({ "id": id.to_string(), "s": status }),
            Some(&token),
        )
        .await;
    assert!(r.body.get("errors").is_none(), "{}", r.body);
}

/// A graphql-transport-ws subscription to `job`'s progress, as `OWNER`.
async fn subscribe_ws(app: &TestApp, job: Uuid) -> Ws {
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
    let token = app.token("usegemz", OWNER);
    let init = json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } });
    ws.send(Message::Text(init.to_string().into()))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(next_ws(&mut ws).await["type"], "connection_ack");
    let sub = json!({ "id": "1", "type": "subscribe", "payload": { "query": SUBSCRIBE, "variables": { "id": job.to_string() } } });
    ws.send(Message::Text(sub.to_string().into()))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    ws
}

/// The next protocol message, pings left out.
async fn next_ws(ws: &mut Ws) -> Value {
    loop {
        let msg = tokio::time::timeout(WAIT, ws.next())
            .await
            .unwrap_or_else(|_| panic!("no message within {WAIT:?}"))
            .unwrap_or_else(|| panic!("socket closed"))
            .unwrap_or_else(|e| panic!("socket error: {e}"));
        if let Message::Text(t) = msg {
            let v: Value = serde_json::from_str(&t).unwrap_or(Value::Null);
            if v["type"] != "ping" && v["type"] != "pong" {
                return v;
            }
        }
    }
}

/// The status of a `next` message.
fn status(msg: &Value) -> &str {
    assert_eq!(msg["type"], "next", "{msg}");
    msg["payload"]["data"]["usegemzJobProgress"]["status"]
        .as_str()
        .unwrap_or_else(|| panic!("no status: {msg}"))
}

/// An event-stream subscription to `job`'s progress, as `OWNER`.
struct Sse {
    res: reqwest::Response,
    buf: String,
}

impl Sse {
    async fn open(app: &TestApp, job: Uuid) -> Sse {
        let token = app.token("usegemz", OWNER);
        let body = json!({ "query": SUBSCRIBE, "variables": { "id": job.to_string() } });
        let res = reqwest::Client::new()
            .post(format!("{}/graphql", app.url))
            .header("content-type", "application/json")
            .header("accept", "text/event-stream")
            .header("authorization", format!("Bearer {token}"))
            .body(body.to_string())
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let kind = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        assert!(kind.starts_with("text/event-stream"), "{kind}");
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
            let chunk = tokio::time::timeout(WAIT, self.res.chunk())
                .await
                .unwrap_or_else(|_| panic!("no event within {WAIT:?}"))
                .unwrap_or_else(|e| panic!("event stream: {e}"))?;
            self.buf.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// The status of the next event, which must be a `next` one.
    async fn next_status(&mut self) -> String {
        let (name, data) = self
            .next()
            .await
            .unwrap_or_else(|| panic!("the stream ended"));
        assert_eq!(name, "next", "{data}");
        let v: Value = serde_json::from_str(&data).unwrap_or_else(|e| panic!("{data}: {e}"));
        status(&json!({ "type": "next", "payload": v })).to_owned()
    }

    /// Asserts that the stream completes and ends.
    async fn ends(&mut self) {
        let (name, data) = self
            .next()
            .await
            .unwrap_or_else(|| panic!("the stream ended without `complete`"));
        assert_eq!(name, "complete", "{data}");
        assert!(self.next().await.is_none(), "events after `complete`");
    }
}

#[tokio::test]
async fn an_expired_job_answers_timeout_first_and_the_stream_ends() {
    for backend in backends() {
        let b = backend.name();
        let app = TestApp::spawn(&backend, Data::Empty).await;
        let id = ug_job(app.db(Database::Usegemz), OWNER).await;
        arrange(&app, id, "processing", now() - chrono::Duration::minutes(5)).await;

        let mut ws = subscribe_ws(&app, id).await;
        let first = next_ws(&mut ws).await;
        assert_eq!(status(&first), "TIMEOUT", "{b}: {first}");
        let done = next_ws(&mut ws).await;
        assert_eq!(done["type"], "complete", "{b}: {done}");

        let mut sse = Sse::open(&app, id).await;
        assert_eq!(sse.next_status().await, "TIMEOUT", "{b}");
        sse.ends().await;

        // Reading did not write: the stored status follows on the next write only.
        assert_eq!(stored_status(&app, id).await, "processing", "{b}");
    }
}

#[tokio::test]
async fn a_running_job_times_out_live_over_websocket() {
    for backend in backends() {
        let b = backend.name();
        let app = TestApp::spawn(&backend, Data::Empty).await;
        let replica = writer(&app).await;
        let writer = replica.as_ref().unwrap_or(&app);
        let id = ug_job(app.db(Database::Usegemz), OWNER).await;
        let limit = now() + chrono::Duration::from_std(LIMIT).unwrap_or_default();
        arrange(&app, id, "pending", limit).await;

        let mut ws = subscribe_ws(&app, id).await;
        let first = next_ws(&mut ws).await;
        assert_eq!(status(&first), "PENDING", "{b}: {first}");
        set_status(writer, id, "PROCESSING").await;
        let second = next_ws(&mut ws).await;
        assert_eq!(status(&second), "PROCESSING", "{b}: {second}");

        // Nothing is written from here on: the subscriber wakes up at the limit by itself.
        let third = next_ws(&mut ws).await;
        assert!(now() >= limit, "{b}: TIMEOUT before the limit");
        assert_eq!(status(&third), "TIMEOUT", "{b}: {third}");
        assert!(
            now() - limit < chrono::Duration::seconds(5),
            "{b}: TIMEOUT long after the limit"
        );
        let done = next_ws(&mut ws).await;
        assert_eq!(done["type"], "complete", "{b}: {done}");
        assert_eq!(stored_status(&app, id).await, "processing", "{b}");
    }
}

#[tokio::test]
async fn a_running_job_times_out_live_over_server_sent_events() {
    for backend in backends() {
        let b = backend.name();
        let app = TestApp::spawn(&backend, Data::Empty).await;
        let replica = writer(&app).await;
        let writer = replica.as_ref().unwrap_or(&app);
        let id = ug_job(app.db(Database::Usegemz), OWNER).await;
        let limit = now() + chrono::Duration::from_std(LIMIT).unwrap_or_default();
        arrange(&app, id, "pending", limit).await;

        let mut sse = Sse::open(&app, id).await;
        assert_eq!(sse.next_status().await, "PENDING", "{b}");
        set_status(writer, id, "PROCESSING").await;
        assert_eq!(sse.next_status().await, "PROCESSING", "{b}");
        assert_eq!(sse.next_status().await, "TIMEOUT", "{b}");
        assert!(now() >= limit, "{b}: TIMEOUT before the limit");
        sse.ends().await;
        assert_eq!(stored_status(&app, id).await, "processing", "{b}");
    }
}
