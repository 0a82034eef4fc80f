//! Clients of live subscriptions (`usegemzJobProgress`): a graphql-transport-ws WebSocket
//! client and a Server-Sent Events reader, each failing the test when an expected message
//! does not come within [`WAIT`]; and the second gateway a live test writes through.

use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use migration::Database;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use uuid::Uuid;

use crate::fixtures::ug_job;
use crate::{Backend, Data, TestApp};

/// How long any expected message may take (a correctness bound on a busy machine).
pub const WAIT: Duration = Duration::from_secs(15);

/// A job's id, status and processed results: the `usegemzJobProgress` subscription
/// document, taking the job as `$id`.
pub const JOB_PROGRESS: &str =
    "subscription($id: UUID!) { usegemzJobProgress(jobId: $id) { jobId status processedResults } }";

/// A WebSocket connection to a gateway.
pub type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The gateway a live test writes through: a second replica on PostgreSQL, so that a change
/// reaches the subscriber of `app` by LISTEN/NOTIFY; `None` on SQLite, where `app` writes
/// itself.
pub async fn replica_on_postgres(app: &TestApp) -> Option<TestApp> {
    match app.backend {
        Backend::Postgres(_) => Some(app.replica().await),
        Backend::Sqlite => None,
    }
}

/// Starts a gateway on `backend` over empty databases holding a pending job of the usegemz
/// user `owner`'s ([`ug_job`]), and its [`replica_on_postgres`]: `(app, replica, job)`.
pub async fn spawn_with_job(backend: &Backend, owner: &str) -> (TestApp, Option<TestApp>, Uuid) {
    let app = TestApp::spawn(backend, Data::Empty).await;
    let job = ug_job(app.db(Database::Usegemz), owner).await;
    let replica = replica_on_postgres(&app).await;
    (app, replica, job)
}

/// A graphql-transport-ws connection to `url` (an `http://` address) that has sent
/// `connection_init` with `token`, not yet answered.
async fn init(url: &str, token: &str) -> Ws {
    let url = url.replacen("http", "ws", 1);
    let mut req = url.into_client_request().unwrap_or_else(|e| panic!("{e}"));
    req.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws"
            .parse()
            .unwrap_or_else(|e| panic!("{e}")),
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(req)
        .await
        .unwrap_or_else(|e| panic!("websocket connect: {e}"));
    let init = json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } });
    send(&mut ws, init).await;
    ws
}

/// A graphql-transport-ws connection to the WebSocket endpoint at `url` (its `http://`
/// address, such as `{app.url}/graphql`), initialised as the holder of `token` and
/// acknowledged.
pub async fn connect(url: &str, token: &str) -> Ws {
    let mut ws = init(url, token).await;
    let ack = next(&mut ws).await;
    assert_eq!(ack["type"], "connection_ack", "{ack}");
    ws
}

/// Opens a graphql-transport-ws connection with `token` and answers the close code the server
/// ends it with after `connection_init` (`None`: the connection was accepted).
pub async fn refused_code(url: &str, token: &str) -> Option<u16> {
    let mut ws = init(url, token).await;
    let msg = tokio::time::timeout(WAIT, ws.next())
        .await
        .unwrap_or_else(|_| panic!("no answer to connection_init within {WAIT:?}"));
    match msg {
        Some(Ok(Message::Close(frame))) => frame.map(|f| u16::from(f.code)),
        _ => None,
    }
}

/// Sends one protocol message.
pub async fn send(ws: &mut Ws, msg: Value) {
    ws.send(Message::Text(msg.to_string().into()))
        .await
        .unwrap_or_else(|e| panic!("send: {e}"));
}

/// Starts the subscription `id` of `query` (a document taking `$id`) to `job`.
pub async fn subscribe(ws: &mut Ws, id: &str, query: &str, job: Uuid) {
    let sub = json!({ "id": id, "type": "subscribe", "payload": { "query": query, "variables": { "id": job.to_string() } } });
    send(ws, sub).await;
}

/// The next protocol message (pings, pongs and keep-alives left out), failing the test when
/// none came within [`WAIT`].
pub async fn next(ws: &mut Ws) -> Value {
    next_within(ws, WAIT)
        .await
        .unwrap_or_else(|| panic!("no message within {WAIT:?}"))
}

/// The next protocol message (pings, pongs and keep-alives left out), `None` when none came
/// within `wait`.
pub async fn next_within(ws: &mut Ws, wait: Duration) -> Option<Value> {
    let deadline = Instant::now() + wait;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let msg = tokio::time::timeout(left, ws.next())
            .await
            .ok()?
            .unwrap_or_else(|| panic!("socket closed"))
            .unwrap_or_else(|e| panic!("socket error: {e}"));
        if let Message::Text(t) = msg {
            let v: Value = serde_json::from_str(&t).unwrap_or(Value::Null);
            if !["ping", "pong", "ka"].contains(&v["type"].as_str().unwrap_or_default()) {
                return Some(v);
            }
        }
    }
}

/// An event-stream (Server-Sent Events) subscription read event by event.
pub struct Sse {
    res: reqwest::Response,
    buf: String,
}

impl Sse {
    /// Opens the subscription `query` (a document taking `$id`) to `job` on `app`'s
    /// `/graphql`, as the holder of `token`.
    pub async fn open(app: &TestApp, token: &str, query: &str, job: Uuid) -> Sse {
        let body = json!({ "query": query, "variables": { "id": job.to_string() } });
        let req = reqwest::Client::new()
            .post(format!("{}/graphql", app.url))
            .header("content-type", "application/json")
            .body(body.to_string());
        Self::send(req, token).await
    }

    /// [`Sse::open`] with `GET` and the request in the URL, as an `EventSource` sends it.
    pub async fn get(app: &TestApp, token: &str, query: &str, job: Uuid) -> Sse {
        let variables = json!({ "id": job.to_string() }).to_string();
        let url = reqwest::Url::parse_with_params(
            &format!("{}/graphql", app.url),
            [("query", query), ("variables", variables.as_str())],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        Self::send(reqwest::Client::new().get(url), token).await
    }

    /// Sends `req` asking for an event stream, which the answer must be.
    async fn send(req: reqwest::RequestBuilder, token: &str) -> Sse {
        let res = req
            .header("accept", "text/event-stream")
            .header("authorization", format!("Bearer {token}"))
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
    /// ended. Fails the test when none came within [`WAIT`].
    pub async fn next(&mut self) -> Option<(String, String)> {
        loop {
            if let Some(end) = self.buf.find("\n\n") {
                let block: String = self.buf.drain(..end + 2).collect();
                let (mut name, mut data) = (String::new(), None::<String>);
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("event:") {
                        name = v.trim().to_owned();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.get_or_insert_default()
                            .push_str(v.strip_prefix(' ').unwrap_or(v));
                    }
                }
                // As an `EventSource` reads the stream: a block without a `data:` line (a
                // keep-alive comment, or an event written without one) is never dispatched.
                let Some(data) = data else {
                    continue;
                };
                return Some((name, data));
            }
            let chunk = tokio::time::timeout(WAIT, self.res.chunk())
                .await
                .unwrap_or_else(|_| panic!("no event within {WAIT:?}"))
                .unwrap_or_else(|e| panic!("event stream: {e}"))?;
            self.buf.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// The job's state in the next event, which must be a `next` one without errors.
    pub async fn progress(&mut self) -> Value {
        let (name, data) = self
            .next()
            .await
            .unwrap_or_else(|| panic!("the stream ended"));
        assert_eq!(name, "next", "{data}");
        let v: Value = serde_json::from_str(&data).unwrap_or_else(|e| panic!("{data}: {e}"));
        assert!(v.get("errors").is_none(), "{v}");
        v["data"]["usegemzJobProgress"].clone()
    }

    /// Asserts that the stream completes and then ends.
    pub async fn ends(&mut self) {
        let (name, data) = self
            .next()
            .await
            .unwrap_or_else(|| panic!("the stream ended without `complete`"));
        assert_eq!(name, "complete", "{data}");
        assert!(self.next().await.is_none(), "events after `complete`");
    }
}
