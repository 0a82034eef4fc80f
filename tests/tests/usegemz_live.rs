//! Live job progress through a real WebSocket client (graphql-transport-ws) and through
//! Server-Sent Events; on PostgreSQL the change is made through a second gateway instance and
//! reaches the subscriber of the first over LISTEN/NOTIFY.

use std::time::Duration;

use e2e::fixtures::ug_job;
use e2e::{Backend, Data, TestApp, backends};
use futures_util::{SinkExt, StreamExt};
use migration::Database;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

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

#[tokio::test]
async fn job_progress_over_server_sent_events() {
    let backend = &backends()[0];
    let app = TestApp::spawn(backend, Data::Empty).await;
    let id = ug_job(app.db(Database::Usegemz), OWNER).await;
    let token = app.token("usegemz", OWNER);
    let body = json!({ "query": SUBSCRIBE, "variables": { "id": id.to_string() } }).to_string();
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
    let mut res = res;
    let mut seen = String::new();
    let wtoken = token.clone();
    let writer = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        app.gql(r#"mutation($id: UUID!) { usegemz { updateJobStatus(id: $id, status: PROCESSING) { status } } }"#, json!({ "id": id.to_string() }), Some(&wtoken)).await;
    };
    let reader = async {
        while !seen.contains("PROCESSING") {
            match tokio::time::timeout(Duration::from_secs(10), res.chunk()).await {
                Ok(Ok(Some(chunk))) => seen.push_str(&String::from_utf8_lossy(&chunk)),
                _ => break,
            }
        }
    };
    tokio::join!(writer, reader);
    assert!(seen.contains("event: next"), "{seen}");
    assert!(
        seen.contains("PENDING") && seen.contains("PROCESSING"),
        "{seen}"
    );
}
