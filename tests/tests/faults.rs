//! Faults: a PostgreSQL outage under load (requests fail fast with `503`, `Retry-After` and
//! the documented `UNAVAILABLE` error on every path, the gateway recovers without a restart,
//! live events resume) and graceful shutdown (in-flight
//! requests finish, new connections are refused, subscriptions end with a close).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use api::config::Settings;
use api::startup::Application;
use e2e::fixtures::ug_job;
use e2e::live::{self, JOB_PROGRESS, Ws};
use e2e::pg_server::Downable;
use e2e::{Backend, Data, TestApp, backends};
use entity::usegemz::scraping_jobs;
use futures_util::StreamExt;
use migration::Database;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use uuid::Uuid;

/// A correctness bound, not a benchmark: no request may take this long.
const BOUND: Duration = Duration::from_secs(10);

const READ: &str =
    "{ headShakers { bobbleheads(first: 5) { totalCount edges { node { rowId name } } } } }";

const OWNER: &str = "user_2faultsOwner";

/// A graphql-transport-ws subscription to `job`'s progress on `/graphql/ws`, past its first
/// (current state) event.
async fn subscribe(base: &str, token: &str, job: Uuid) -> Ws {
    let mut ws = live::connect(&format!("{base}/graphql/ws"), token).await;
    live::subscribe(&mut ws, "1", JOB_PROGRESS, job).await;
    let first = live::next(&mut ws).await;
    assert_eq!(
        first["payload"]["data"]["usegemzJobProgress"]["status"], "PENDING",
        "{first}"
    );
    ws
}

/// One request of the load: when it started, how long it took, and its status and body (or
/// the transport error), with its `Retry-After`.
struct Outcome {
    started: Instant,
    elapsed: Duration,
    reply: Result<(u16, Value), String>,
    retry_after: Option<String>,
}

/// The documented answer to a request during an outage.
const OUTAGE: &str = "the database is unavailable; try again shortly";

/// Asserts that `reply` is the documented outage answer: `503`, `UNAVAILABLE`, the message.
fn outage_answer(kind: &str, what: &str, reply: &e2e::Reply) {
    assert_eq!(reply.status, 503, "{kind}: {what}: {}", reply.body);
    assert_eq!(
        reply.code(),
        Some("UNAVAILABLE"),
        "{kind}: {what}: {}",
        reply.body
    );
    let message = reply.body["errors"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(
        message.starts_with(OUTAGE),
        "{kind}: {what}: unclear outage error: {}",
        reply.body
    );
}

impl Outcome {
    fn ok(&self) -> bool {
        matches!(&self.reply, Ok((200, body)) if body.get("errors").is_none() && body["data"]["headShakers"]["bobbleheads"]["edges"].is_array())
    }
}

async fn read_once(client: &reqwest::Client, url: &str) -> Outcome {
    let started = Instant::now();
    let sent = client
        .post(format!("{url}/graphql"))
        .header("content-type", "application/json")
        .body(json!({ "query": READ }).to_string())
        .send()
        .await;
    let mut retry_after = None;
    let reply = match sent {
        Ok(res) => {
            let status = res.status().as_u16();
            retry_after = res
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            match res.text().await {
                Ok(text) => Ok((
                    status,
                    serde_json::from_str(&text).unwrap_or(Value::String(text)),
                )),
                Err(e) => Err(format!("body: {e}")),
            }
        }
        Err(e) => Err(format!("request: {e}")),
    };
    Outcome {
        started,
        elapsed: started.elapsed(),
        reply,
        retry_after,
    }
}

/// Waits until `done` holds of the outcomes so far, for at most `wait`.
async fn until(
    outcomes: &Mutex<Vec<Outcome>>,
    wait: Duration,
    what: &str,
    done: impl Fn(&[Outcome]) -> bool,
) {
    let deadline = Instant::now() + wait;
    loop {
        if done(&outcomes.lock().unwrap_or_else(|e| e.into_inner())) {
            return;
        }
        assert!(Instant::now() < deadline, "{what} within {wait:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_outage_under_load_fails_fast_and_recovers() {
    let Some(pg) = Downable::new().await else {
        eprintln!(
            "SKIPPED postgres_outage_under_load_fails_fast_and_recovers: no initdb/pg_ctl found \
             (set PG_BIN) and TEST_DATABASE_URL is unset"
        );
        return;
    };
    let app = TestApp::spawn(&Backend::Postgres(pg.url()), Data::Demo).await;
    let kind = pg.describe();
    let ready = app.raw("GET", "/readyz", &[], None).await;
    assert_eq!(ready.status, 200, "{kind}: {}", ready.body);

    // A live subscription held across the outage: its events travel over LISTEN/NOTIFY.
    let id = ug_job(app.db(Database::Usegemz), OWNER).await;
    let token = app.token("usegemz", OWNER);
    let mut ws = subscribe(&app.url, &token, id).await;
    let r = app
        .gql(
            "mutation($id: UUID!) { usegemz { updateJobStatus(id: $id, status: PROCESSING) { status } } }",
            json!({ "id": id.to_string() }),
            Some(&token),
        )
        .await;
    assert!(r.body.get("errors").is_none(), "{kind}: {}", r.body);
    let before = live::next(&mut ws).await;
    assert_eq!(
        before["payload"]["data"]["usegemzJobProgress"]["status"], "PROCESSING",
        "{kind}: {before}"
    );
    // A change written around the gateway sends no notification, so the subscriber hears of it
    // only when the listener, back after the outage, makes subscribers read their job again.
    scraping_jobs::ActiveModel {
        id: Set(id),
        processed_results: Set(7),
        ..Default::default()
    }
    .update(app.db(Database::Usegemz))
    .await
    .unwrap_or_else(|e| panic!("{kind}: silent change: {e}"));
    let quiet = live::next_within(&mut ws, Duration::from_secs(1)).await;
    assert!(
        quiet.is_none(),
        "{kind}: no notification was sent: {quiet:?}"
    );

    // Concurrent readers for the whole test.
    let outcomes = Arc::new(Mutex::new(Vec::<Outcome>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let workers: Vec<_> = (0..8)
        .map(|_| {
            let (client, url, outcomes, stop) = (
                client.clone(),
                app.url.clone(),
                outcomes.clone(),
                stop.clone(),
            );
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    let o = read_once(&client, &url).await;
                    outcomes.lock().unwrap_or_else(|e| e.into_inner()).push(o);
                }
            })
        })
        .collect();
    until(
        &outcomes,
        Duration::from_secs(60),
        "20 reads before the outage",
        |o| o.iter().filter(|o| o.ok()).count() >= 20,
    )
    .await;

    pg.down().await;
    let down_at = Instant::now();

    // Readiness says so, promptly.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let t = Instant::now();
        let ready = app.raw("GET", "/readyz", &[], None).await;
        assert!(
            t.elapsed() < BOUND,
            "{kind}: /readyz took {:?} while down",
            t.elapsed()
        );
        if ready.status == 503 {
            assert_eq!(
                ready.body["status"], "unavailable",
                "{kind}: {}",
                ready.body
            );
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{kind}: /readyz still {} while down",
            ready.status
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Requests that start while the server is gone come back (failing) too.
    until(
        &outcomes,
        Duration::from_secs(60),
        "16 reads started during the outage",
        |o| o.iter().filter(|o| o.started > down_at).count() >= 16,
    )
    .await;
    // Every other path answers the outage alike: a signed-in request (its viewer is read
    // first), nested loads, and a write.
    let signed_in = app.gql(READ, json!({}), Some(&token)).await;
    outage_answer(kind, "a signed-in read", &signed_in);
    let nested = app
        .gql(
            "{ headShakers { collections(first: 3) { nodes { rowId owner { username } bobbleheads(first: 2) { nodes { name } } } } } }",
            json!({}),
            None,
        )
        .await;
    outage_answer(kind, "a nested read", &nested);
    let write = app
        .gql(
            "mutation($id: UUID!) { usegemz { recordJobProgress(id: $id, newResults: 1) { processedResults } } }",
            json!({ "id": id.to_string() }),
            Some(&token),
        )
        .await;
    outage_answer(kind, "a write", &write);

    pg.up().await;
    let up_at = Instant::now();

    // Without restarting the gateway: ready again, and queries answer.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let ready = app.raw("GET", "/readyz", &[], None).await;
        let read = app.gql(READ, json!({}), None).await;
        if ready.status == 200 && read.body.get("errors").is_none() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{kind}: not recovered 60 s after restart: /readyz {} {}; read {}",
            ready.status,
            ready.body,
            read.body
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    until(
        &outcomes,
        Duration::from_secs(60),
        "10 reads after recovery",
        |o| o.iter().filter(|o| o.started > up_at && o.ok()).count() >= 10,
    )
    .await;
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.await.unwrap_or_else(|e| panic!("load worker: {e}"));
    }

    let outcomes = std::mem::take(&mut *outcomes.lock().unwrap_or_else(|e| e.into_inner()));
    let failed: Vec<&Outcome> = outcomes.iter().filter(|o| !o.ok()).collect();
    assert!(
        !failed.is_empty(),
        "{kind}: no read failed during the outage"
    );
    let mut times: Vec<Duration> = failed.iter().map(|o| o.elapsed).collect();
    times.sort();
    eprintln!(
        "{kind}: {} reads, {} failed in {:?} to {:?} (median {:?})",
        outcomes.len(),
        failed.len(),
        times.first().copied().unwrap_or_default(),
        times.last().copied().unwrap_or_default(),
        times.get(times.len() / 2).copied().unwrap_or_default(),
    );
    for o in &outcomes {
        assert!(
            o.elapsed < BOUND,
            "{kind}: a read took {:?} (bound {BOUND:?})",
            o.elapsed
        );
        let (status, body) = o
            .reply
            .as_ref()
            .unwrap_or_else(|e| panic!("{kind}: a read got no HTTP answer: {e}"));
        if !o.ok() {
            // A request that failed as a whole for the outage is a retryable 503 (not an
            // INTERNAL 200); one caught by the outage midway keeps what it read, with a 200.
            assert!(
                *status == 503 || (*status == 200 && body["data"]["headShakers"].is_object()),
                "{kind}: {status} {body}"
            );
            if *status == 503 {
                assert!(
                    o.retry_after.is_some(),
                    "{kind}: a 503 without Retry-After: {body}"
                );
            }
            assert_eq!(
                body["errors"][0]["extensions"]["code"], "UNAVAILABLE",
                "{kind}: {body}"
            );
            // The error says what is wrong and that trying again helps, and no more.
            let message = body["errors"][0]["message"].as_str().unwrap_or_default();
            assert!(message == OUTAGE, "{kind}: unclear outage error: {body}");
        }
    }

    // The listener is back and resynced: the silent change reached the subscriber.
    let resynced = live::next_within(&mut ws, Duration::from_secs(60))
        .await
        .unwrap_or_default();
    assert_eq!(
        resynced["payload"]["data"]["usegemzJobProgress"]["processedResults"], 7,
        "{kind}: the subscriber reads its job again after the listener's gap: {resynced}"
    );

    // The LISTEN connection came back too: a change made now reaches the subscriber that
    // stayed connected through the outage (notifications sent before it re-listens are lost,
    // so keep changing until one arrives).
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let r = app
            .gql(
                "mutation($id: UUID!) { usegemz { recordJobProgress(id: $id, newResults: 1) { processedResults } } }",
                json!({ "id": id.to_string() }),
                Some(&token),
            )
            .await;
        assert!(r.body.get("errors").is_none(), "{kind}: {}", r.body);
        if let Some(event) = live::next_within(&mut ws, Duration::from_secs(1)).await {
            assert_eq!(event["type"], "next", "{kind}: {event}");
            assert!(
                event["payload"]["data"]["usegemzJobProgress"]["processedResults"]
                    .as_i64()
                    .is_some_and(|n| n >= 1),
                "{kind}: {event}"
            );
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{kind}: no live event 60 s after recovery"
        );
    }
    drop(ws);
    drop(app);
    drop(pg);
}

/// Sends a POST whose body is held back: returns once the server has read the headers and
/// asked for the body (`Expect: 100-continue`), so the request is in flight at the server.
async fn held_request(addr: SocketAddr, body: &str) -> TcpStream {
    let mut tcp = TcpStream::connect(addr)
        .await
        .unwrap_or_else(|e| panic!("connect: {e}"));
    let head = format!(
        "POST /graphql HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\naccept: application/json\r\ncontent-length: {}\r\nexpect: 100-continue\r\n\r\n",
        body.len()
    );
    tcp.write_all(head.as_bytes())
        .await
        .unwrap_or_else(|e| panic!("write: {e}"));
    let mut got = Vec::new();
    let mut buf = [0u8; 256];
    while !got.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = tokio::time::timeout(BOUND, tcp.read(&mut buf))
            .await
            .unwrap_or_else(|_| panic!("no 100 Continue"))
            .unwrap_or_else(|e| panic!("read: {e}"));
        assert!(n > 0, "closed before 100 Continue");
        got.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8_lossy(&got);
    assert!(text.starts_with("HTTP/1.1 100"), "{text}");
    tcp
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn graceful_shutdown_finishes_requests_and_closes_subscriptions() {
    for backend in backends() {
        let b = backend.name();
        // The harness's gateway provides the databases; a second one over them is ours to stop.
        let base = TestApp::spawn(&backend, Data::Demo).await;
        let id = ug_job(base.db(Database::Usegemz), OWNER).await;
        let mut settings = Settings::for_data_dir(std::env::temp_dir());
        settings.jwt_secret = Some(base.secret.clone());
        let gateway = Application::build_with(&settings, base.conns.clone())
            .await
            .unwrap_or_else(|e| panic!("{b}: build: {e:?}"));
        let addr = gateway.addr();
        let url = format!("http://{addr}");
        let (fire, fired) = tokio::sync::oneshot::channel::<()>();
        let serving = tokio::spawn(gateway.serve(async {
            let _ = fired.await;
        }));

        let token = base.token("usegemz", OWNER);
        let mut ws = subscribe(&url, &token, id).await;
        let mut sse = reqwest::Client::new()
            .post(format!("{url}/graphql"))
            .header("content-type", "application/json")
            .header("accept", "text/event-stream")
            .header("authorization", format!("Bearer {token}"))
            .body(
                json!({ "query": JOB_PROGRESS, "variables": { "id": id.to_string() } }).to_string(),
            )
            .send()
            .await
            .unwrap_or_else(|e| panic!("{b}: event stream: {e}"));
        let mut events = String::new();
        while !events.contains("event: next") {
            let chunk = tokio::time::timeout(BOUND, sse.chunk())
                .await
                .unwrap_or_else(|_| panic!("{b}: no first event"))
                .unwrap_or_else(|e| panic!("{b}: event stream: {e}"))
                .unwrap_or_else(|| panic!("{b}: event stream ended early"));
            events.push_str(&String::from_utf8_lossy(&chunk));
        }
        let body = json!({ "query": READ }).to_string();
        let mut held = held_request(addr, &body).await;

        let _ = fire.send(());

        // The WebSocket ends with a close frame ("going away"), not a reset.
        let closed = tokio::time::timeout(BOUND, async {
            loop {
                match ws.next().await {
                    Some(Ok(Message::Close(frame))) => return frame,
                    Some(Ok(_)) => {}
                    Some(Err(e)) => panic!("{b}: websocket error instead of a close: {e}"),
                    None => panic!("{b}: websocket ended without a close frame"),
                }
            }
        })
        .await
        .unwrap_or_else(|_| panic!("{b}: websocket not closed on shutdown"));
        assert_eq!(
            closed.map(|f| f.code),
            Some(CloseCode::Away),
            "{b}: close frame"
        );
        // The event stream completes.
        let ended = tokio::time::timeout(BOUND, async {
            loop {
                match sse.chunk().await {
                    Ok(Some(chunk)) => events.push_str(&String::from_utf8_lossy(&chunk)),
                    Ok(None) => return Ok(()),
                    Err(e) => return Err(e.to_string()),
                }
            }
        })
        .await
        .unwrap_or_else(|_| panic!("{b}: event stream not ended on shutdown"));
        assert_eq!(ended, Ok(()), "{b}: event stream");
        assert!(events.contains("event: complete"), "{b}: {events}");

        // New connections are refused.
        let deadline = Instant::now() + BOUND;
        loop {
            match TcpStream::connect(addr).await {
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => break,
                _ => {
                    assert!(
                        Instant::now() < deadline,
                        "{b}: still accepting after shutdown"
                    );
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
        }
        // The in-flight request holds the server open, and then gets its full answer.
        assert!(
            !serving.is_finished(),
            "{b}: serve returned with a request in flight"
        );
        held.write_all(body.as_bytes())
            .await
            .unwrap_or_else(|e| panic!("{b}: write body: {e}"));
        let mut answer = Vec::new();
        tokio::time::timeout(BOUND, held.read_to_end(&mut answer))
            .await
            .unwrap_or_else(|_| panic!("{b}: no answer to the in-flight request"))
            .unwrap_or_else(|e| panic!("{b}: read answer: {e}"));
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with("HTTP/1.1 200"), "{b}: {answer}");
        let json = answer
            .split_once("\r\n\r\n")
            .map(|(_, body)| body)
            .unwrap_or_default();
        let json: Value =
            serde_json::from_str(json).unwrap_or_else(|e| panic!("{b}: {e}: {answer}"));
        assert!(json.get("errors").is_none(), "{b}: {json}");
        assert_eq!(
            json["data"]["headShakers"]["bobbleheads"]["edges"]
                .as_array()
                .map(Vec::len),
            Some(5),
            "{b}: {json}"
        );

        tokio::time::timeout(BOUND, serving)
            .await
            .unwrap_or_else(|_| panic!("{b}: serve did not return after shutdown"))
            .unwrap_or_else(|e| panic!("{b}: serve task: {e}"))
            .unwrap_or_else(|e| panic!("{b}: serve: {e:?}"));
    }
}
