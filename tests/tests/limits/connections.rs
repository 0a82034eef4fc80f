//! Connection limits: a refused body closes its connection, idle and slow connections are
//! timed out, and connections past the maximum are answered `503` instead of piling up.

use std::time::{Duration, Instant};

use e2e::{Data, TestApp, backends};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn connect(app: &TestApp) -> TcpStream {
    let addr = app.url.trim_start_matches("http://");
    TcpStream::connect(addr)
        .await
        .unwrap_or_else(|e| panic!("connect: {e}"))
}

/// Everything the server sends until it closes the connection or `within` passes; `None` when
/// it is still open then.
async fn read_until_closed(stream: &mut TcpStream, within: Duration) -> Option<String> {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = Instant::now() + within;
    loop {
        let left = deadline.checked_duration_since(Instant::now())?;
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0) | Err(_)) => return Some(String::from_utf8_lossy(&out).into_owned()),
            Ok(Ok(n)) => out.extend_from_slice(&buf[..n]),
        }
    }
}

#[tokio::test]
async fn a_refused_body_closes_its_connection_and_the_client_goes_on() {
    let app = TestApp::spawn(&backends()[0], Data::Empty).await;
    let client = reqwest::Client::new();
    let big = format!(
        r#"{{"query":"{{ __typename }}","pad":"{}"}}"#,
        "x".repeat(3 << 20)
    );
    let res = client
        .post(format!("{}/graphql", app.url))
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap_or_else(|e| panic!("send: {e}"));
    assert_eq!(res.status().as_u16(), 413);
    assert_eq!(
        res.headers()
            .get("connection")
            .and_then(|v| v.to_str().ok()),
        Some("close")
    );
    // The same client's next request is answered on a new connection.
    let res = client
        .post(format!("{}/graphql", app.url))
        .header("content-type", "application/json")
        .body(r#"{"query":"{ __typename }"}"#)
        .send()
        .await
        .unwrap_or_else(|e| panic!("the request after a refused body failed: {e}"));
    assert_eq!(res.status().as_u16(), 200);
}

#[tokio::test]
async fn idle_and_slow_connections_are_closed() {
    let app = TestApp::spawn_with(&backends()[0], Data::Empty, |s| {
        s.header_timeout_secs = 1;
        s.body_timeout_secs = 1;
    })
    .await;
    // Idle: connected, nothing sent.
    let mut idle = connect(&app).await;
    assert!(
        read_until_closed(&mut idle, Duration::from_secs(5))
            .await
            .is_some(),
        "an idle connection stayed open"
    );
    // Slowloris: a request head trickled in a byte at a time never completes.
    let mut slow = connect(&app).await;
    let started = Instant::now();
    let mut closed = false;
    for b in b"POST /graphql HTTP/1.1\r\nhost: x\r\nx-slow: "
        .iter()
        .cycle()
    {
        if slow.write_all(&[*b]).await.is_err() || started.elapsed() > Duration::from_secs(5) {
            closed = slow.write_all(b"y").await.is_err()
                || read_until_closed(&mut slow, Duration::from_millis(500))
                    .await
                    .is_some();
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(closed, "a slowly sent head kept its connection");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    // A body that stops arriving is answered and its connection closed.
    let mut body = connect(&app).await;
    let head = "POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n\
                content-length: 100\r\n\r\n{\"query\":";
    body.write_all(head.as_bytes())
        .await
        .unwrap_or_else(|e| panic!("write: {e}"));
    let answer = read_until_closed(&mut body, Duration::from_secs(5))
        .await
        .unwrap_or_else(|| panic!("a stalled body kept its connection"));
    // A body that never arrived whole is a malformed request: 400 under every media type.
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains("connection: close"), "{answer}");
    assert!(answer.contains("unreadable request body"), "{answer}");
}

#[tokio::test]
async fn connections_past_the_maximum_are_answered_503() {
    let app = TestApp::spawn_with(&backends()[0], Data::Empty, |s| s.max_connections = 2).await;
    let held = [connect(&app).await, connect(&app).await];
    // Let the server accept both before the third arrives.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut third = connect(&app).await;
    third
        .write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n")
        .await
        .unwrap_or_else(|e| panic!("write: {e}"));
    let answer = read_until_closed(&mut third, Duration::from_secs(5))
        .await
        .unwrap_or_else(|| panic!("the connection over the maximum stayed open"));
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(
        answer.to_ascii_lowercase().contains("retry-after: 1"),
        "{answer}"
    );
    assert!(answer.contains("UNAVAILABLE"), "{answer}");
    // A slot freed is a connection served.
    drop(held);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let r = app.raw("GET", "/healthz", &[], None).await;
    assert_eq!(r.status, 200);
}
