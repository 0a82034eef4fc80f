//! Subscriptions over WebSocket (graphql-transport-ws, and the legacy graphql-ws protocol) and
//! over Server-Sent Events (`Accept: text/event-stream` on `/graphql`, GET or POST).
//!
//! A WebSocket client names its viewer in the `connection_init` payload
//! (`{"Authorization": "Bearer …"}`); an SSE client in the `Authorization` header.
//!
//! Both transports run operations through [`responses`]: a subscription lives no longer than
//! the token it was opened with, and at the token's expiry it ends with one `UNAUTHENTICATED`
//! error ([`until_expiry`]). A query or mutation, authorised when it began, is answered in
//! full. A WebSocket connection whose token has expired starts nothing more.

use std::collections::HashSet;
use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql::parser::types::{DocumentOperations, OperationType};
use async_graphql::{Data, Request};
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocketUpgrade, close_code};
use axum::http::HeaderMap;
use axum::http::header::{ACCEPT, CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use futures_util::SinkExt;
use futures_util::stream::{self, BoxStream, StreamExt};

use super::AppState;
use crate::auth::Viewer;
use crate::graphql::context::RequestData;

/// Whether the client asks for an event stream.
pub fn wants_sse(headers: &HeaderMap) -> bool {
    headers
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/event-stream"))
}

/// How long from now until `expires_at` (seconds since the epoch); `None` once it has passed.
fn left_until(expires_at: u64) -> Option<Duration> {
    (UNIX_EPOCH + Duration::from_secs(expires_at))
        .duration_since(SystemTime::now())
        .ok()
        .filter(|left| !left.is_zero())
}

/// The answer ending a subscription (or refusing an operation of a WebSocket connection) whose
/// token has expired.
fn expired() -> async_graphql::Response {
    let mut error = async_graphql::ServerError::new(
        "the connection's token has expired; reconnect with a fresh one",
        None,
    );
    error
        .extensions
        .get_or_insert_with(Default::default)
        .set("code", "UNAUTHENTICATED");
    async_graphql::Response::from_errors(vec![error])
}

/// `responses` of a subscription standing on a token that expires at `expires_at` (seconds
/// since the epoch; `None`: anonymous, no end): at the expiry the stream ends with one
/// [`expired`] answer, and a token expired already (within the clock-skew leeway the
/// verification allows) gets that answer alone. The subscription's own end comes first when
/// it is earlier.
fn until_expiry(
    responses: BoxStream<'static, async_graphql::Response>,
    expires_at: Option<u64>,
) -> BoxStream<'static, async_graphql::Response> {
    let Some(exp) = expires_at else {
        return responses;
    };
    let Some(left) = left_until(exp) else {
        return stream::once(async { expired() }).boxed();
    };
    let expiry = Box::pin(tokio::time::sleep(left));
    stream::unfold(Some((responses, expiry)), |state| async move {
        let (mut responses, mut expiry) = state?;
        tokio::select! {
            // Expiry first: nothing is delivered once the token has expired.
            biased;
            () = &mut expiry => Some((expired(), None)),
            next = responses.next() => next.map(|r| (r, Some((responses, expiry)))),
        }
    })
    .boxed()
}

/// Whether `request` runs a subscription. Its document is parsed here once (execution reuses
/// the parse); `false` when it does not parse or does not name one operation, which execution
/// then answers as an error.
fn is_subscription(request: &mut Request) -> bool {
    let name = request.operation_name.clone();
    let Ok(doc) = request.parsed_query() else {
        return false;
    };
    let operation = match (&doc.operations, name.as_deref()) {
        (DocumentOperations::Single(op), None) => Some(op),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next(),
        _ => None,
    };
    operation.is_some_and(|op| op.node.ty == OperationType::Subscription)
}

/// The answers of `request` for the viewer of `data`, as a stream batched level by level; a
/// subscription ends at the expiry of the viewer's token ([`until_expiry`]). Every transport
/// runs its operations through here.
fn responses(
    app: &AppState,
    mut request: Request,
    data: RequestData,
) -> BoxStream<'static, async_graphql::Response> {
    let subscription = is_subscription(&mut request);
    let expires_at = data.viewer.expires_at;
    let batcher = data.loader.clone();
    let answers = batcher
        .drive_stream(
            app.schema
                .execute_stream(request.data(data).data(app.tokens.clone())),
        )
        .boxed();
    if subscription {
        until_expiry(answers, expires_at)
    } else {
        answers
    }
}

/// The executor behind WebSocket connections: every operation gets request data of its own
/// (fresh loaders, so no answer is reused across operations) and level-by-level batching.
#[derive(Clone)]
pub struct Gateway {
    app: AppState,
}

impl Gateway {
    /// `request` prepared to run ([`checks::prepare`]), or the answer when the document
    /// checks refuse it, as over HTTP.
    ///
    /// [`checks::prepare`]: super::checks::prepare
    fn prepare(&self, request: &mut Request) -> Option<async_graphql::Response> {
        let message = super::checks::prepare(request, &self.app.doc_limits).err()?;
        let mut error = async_graphql::ServerError::new(message, None);
        error
            .extensions
            .get_or_insert_with(Default::default)
            .set("code", "BAD_USER_INPUT");
        Some(async_graphql::Response::from_errors(vec![error]))
    }
}

impl async_graphql::Executor for Gateway {
    fn execute(
        &self,
        mut request: Request,
    ) -> impl std::future::Future<Output = async_graphql::Response> + Send {
        let refused = self.prepare(&mut request);
        let data = RequestData::new(
            crate::auth::Viewer::anonymous(),
            &self.app.conns,
            self.app.events.clone(),
        );
        let batcher = data.loader.clone();
        let schema = self.app.schema.clone();
        let tokens = self.app.tokens.clone();
        async move {
            if let Some(refused) = refused {
                return refused;
            }
            batcher
                .drive(schema.execute(request.data(data).data(tokens)))
                .await
        }
    }

    fn execute_stream(
        &self,
        mut request: Request,
        session_data: Option<std::sync::Arc<Data>>,
    ) -> futures_util::stream::BoxStream<'static, async_graphql::Response> {
        if let Some(refused) = self.prepare(&mut request) {
            return stream::once(async move { refused }).boxed();
        }
        let viewer = session_data
            .as_ref()
            .and_then(|d| d.get(&std::any::TypeId::of::<Viewer>()))
            .and_then(|v| v.downcast_ref::<Viewer>())
            .cloned()
            .unwrap_or_default();
        // The connection stands on its `connection_init` token: once that has expired, no
        // operation starts on it.
        if viewer
            .expires_at
            .is_some_and(|exp| left_until(exp).is_none())
        {
            return stream::once(async { expired() }).boxed();
        }
        let data = RequestData::new(viewer, &self.app.conns, self.app.events.clone());
        responses(&self.app, request, data)
            .map(super::graphql::coded)
            .boxed()
    }
}

/// What async-graphql's WebSocket session sends, brought in line with graphql-transport-ws:
/// a refused `connection_init` closes with 4403 (Forbidden), not 1002; an operation refused
/// before execution (every error `BAD_USER_INPUT`: validation, the document checks) is one
/// `error` message holding its errors, which ends the operation, instead of `next` then
/// `complete`. The legacy protocol (`data` messages, `connection_error`) passes unchanged.
#[derive(Default)]
struct TransportWs {
    /// Set when `connection_init` was refused.
    refused_init: Arc<AtomicBool>,
    /// Operations answered with `error`, whose `complete` is not sent.
    failed: HashSet<String>,
}

impl TransportWs {
    fn outgoing(&mut self, m: Message) -> Option<Message> {
        match m {
            Message::Close(Some(mut frame))
                if frame.code == close_code::PROTOCOL
                    && self.refused_init.load(Ordering::SeqCst) =>
            {
                frame.code = 4403;
                Some(Message::Close(Some(frame)))
            }
            // Only a result holding errors can be a refusal: the others pass unparsed.
            Message::Text(t) if t.starts_with(r#"{"type":"next""#) && t.contains(r#""errors""#) => {
                let Ok(v) = serde_json::from_str::<serde_json::Value>(&t) else {
                    return Some(Message::Text(t));
                };
                let errors = v["payload"]["errors"].as_array();
                let refused = v["payload"].get("data").is_none_or(|d| d.is_null())
                    && errors.is_some_and(|e| {
                        !e.is_empty()
                            && e.iter()
                                .all(|e| e["extensions"]["code"] == "BAD_USER_INPUT")
                    });
                let id = v["id"].as_str().unwrap_or_default();
                if !refused {
                    return Some(Message::Text(t));
                }
                self.failed.insert(id.to_owned());
                let error = serde_json::json!({
                    "type": "error",
                    "id": id,
                    "payload": v["payload"]["errors"],
                });
                Some(Message::Text(error.to_string().into()))
            }
            Message::Text(t) if t.starts_with(r#"{"type":"complete""#) => {
                let id = serde_json::from_str::<serde_json::Value>(&t)
                    .ok()
                    .and_then(|v| v["id"].as_str().map(str::to_owned));
                match id {
                    Some(id) if self.failed.remove(&id) => None,
                    _ => Some(Message::Text(t)),
                }
            }
            other => Some(other),
        }
    }
}

/// `GET /graphql` with a WebSocket upgrade.
pub async fn websocket(
    State(app): State<AppState>,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> Response {
    // A message may be no larger than a request body.
    upgrade
        .max_message_size(app.body_limit)
        .max_frame_size(app.body_limit)
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| async move {
            let shutdown = app.shutdown.clone();
            let gateway = Gateway { app: app.clone() };
            let (mut sink, mut stream) = socket.split();
            let mut transport = TransportWs::default();
            let refused = transport.refused_init.clone();
            let protocol_sink = (&mut sink)
                .with_flat_map(move |m: Message| stream::iter(transport.outgoing(m).map(Ok)));
            let ws = GraphQLWebSocket::new_with_pair(protocol_sink, &mut stream, gateway, protocol);
            let session = ws
                .on_connection_init(move |payload| async move {
                    let refuse = |e: String| {
                        refused.store(true, Ordering::SeqCst);
                        async_graphql::Error::new(e)
                    };
                    let authorization = ["Authorization", "authorization"]
                        .iter()
                        .find_map(|k| payload.get(*k).and_then(|v| v.as_str()).map(str::to_owned));
                    let claimed = app
                        .tokens
                        .verify(authorization.as_deref())
                        .await
                        .map_err(|e| refuse(e.to_string()))?;
                    // The viewer carries its token's expiry (`expires_at`).
                    let viewer = crate::identity::resolve(&app.conns, &app.directory, claimed)
                        .await
                        .map_err(|e| refuse(e.to_string()))?;
                    let mut data = Data::default();
                    data.insert(viewer);
                    Ok(data)
                })
                .serve();
            let shutting_down = tokio::select! {
                () = session => false,
                () = shutdown.fired() => true,
            };
            if shutting_down {
                // "Going away" with a close frame, then a moment for the client's close reply,
                // rather than a cut connection.
                let close = Message::Close(Some(CloseFrame {
                    code: close_code::AWAY,
                    reason: Utf8Bytes::from_static("server shutting down"),
                }));
                if sink.send(close).await.is_ok() {
                    let _ = tokio::time::timeout(Duration::from_secs(1), async {
                        while let Some(Ok(m)) = stream.next().await {
                            if matches!(m, Message::Close(_)) {
                                break;
                            }
                        }
                    })
                    .await;
                }
            }
        })
        .into_response()
}

/// An operation answered as an event stream: one `next` event per result, then `complete`.
/// A subscription ends at its token's expiry as over WebSocket: a `next` event with the
/// `UNAUTHENTICATED` error, then `complete`.
pub fn sse(app: &AppState, data: RequestData, request: Request) -> Response {
    let shutdown = app.shutdown.clone();
    let events = responses(app, request, data)
        // On shutdown the stream completes, so the response (and graceful shutdown) can end.
        .take_until(async move { shutdown.fired().await })
        .map(|response| {
            // Serialized JSON holds no line break: one `data:` line per result.
            let body = serde_json::to_string(&super::graphql::coded(response))
                .unwrap_or_else(|_| "{}".to_owned());
            Some(Bytes::from(format!("event: next\ndata: {body}\n\n")))
        })
        // `complete` carries an empty `data:` line: an `EventSource` dispatches no event without
        // one, so it would never see the end and would reconnect, running the operation again.
        .chain(stream::iter([
            Some(Bytes::from_static(b"event: complete\ndata:\n\n")),
            None,
        ]));
    // A comment line now and then keeps proxies from closing a quiet stream.
    let keep_alive = stream::unfold(
        tokio::time::interval_at(tokio::time::Instant::now() + KEEP_ALIVE, KEEP_ALIVE),
        |mut every| async move {
            every.tick().await;
            Some((Some(Bytes::from_static(b":\n\n")), every))
        },
    );
    let body = stream::select(events, keep_alive)
        .take_while(|frame| std::future::ready(frame.is_some()))
        .filter_map(|frame| std::future::ready(frame.map(Ok::<_, Infallible>)));
    (
        [
            (CONTENT_TYPE, "text/event-stream"),
            (CACHE_CONTROL, "no-cache"),
        ],
        Body::from_stream(body),
    )
        .into_response()
}

/// A request refused before execution, answered on an accepted event stream as the protocol
/// asks: its errors in one `next` event, then `complete`.
pub fn refused(body: &serde_json::Value) -> Response {
    let events = format!("event: next\ndata: {body}\n\nevent: complete\ndata:\n\n");
    (
        [
            (CONTENT_TYPE, "text/event-stream"),
            (CACHE_CONTROL, "no-cache"),
        ],
        events,
    )
        .into_response()
}

/// How often a quiet event stream carries a keep-alive comment.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// `GET /graphql`: a WebSocket upgrade starts a subscription connection; anything else is a
/// GraphQL-over-HTTP request (or GraphiQL).
pub async fn get_or_upgrade(State(app): State<AppState>, req: axum::extract::Request) -> Response {
    use axum::extract::FromRequestParts;
    let upgrade = req
        .headers()
        .get(axum::http::header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
    let (mut parts, _body) = req.into_parts();
    if upgrade {
        let protocol = match GraphQLProtocol::from_request_parts(&mut parts, &app).await {
            Ok(p) => p,
            Err(status) => return status.into_response(),
        };
        let ws = match WebSocketUpgrade::from_request_parts(&mut parts, &app).await {
            Ok(ws) => ws,
            Err(rejection) => return rejection.into_response(),
        };
        return websocket(State(app), protocol, ws).await;
    }
    super::graphql::get(State(app), parts.headers, parts.uri).await
}
