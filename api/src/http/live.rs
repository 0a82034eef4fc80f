//! Subscriptions over WebSocket (graphql-transport-ws, and the legacy graphql-ws protocol) and
//! over Server-Sent Events (`Accept: text/event-stream` on `/graphql`, GET or POST).
//!
//! A WebSocket client names its viewer in the `connection_init` payload
//! (`{"Authorization": "Bearer …"}`); an SSE client in the `Authorization` header.

use std::convert::Infallible;
use std::time::Duration;

use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql::{Data, Request, Variables};
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocketUpgrade, close_code};
use axum::http::HeaderMap;
use axum::http::header::ACCEPT;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::SinkExt;
use futures_util::stream::{self, StreamExt};

use super::AppState;
use crate::graphql::context::RequestData;

/// Whether the client asks for an event stream.
pub fn wants_sse(headers: &HeaderMap) -> bool {
    headers
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/event-stream"))
}

/// The viewer of a WebSocket connection, from its `connection_init`.
struct ConnectionViewer {
    viewer: crate::auth::Viewer,
    /// When the token of `connection_init` expires (seconds since the epoch); `None`: anonymous.
    expires_at: Option<u64>,
}

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The answer to an operation of a connection whose token has expired.
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

/// The executor behind WebSocket connections: every operation gets request data of its own
/// (fresh loaders, so no answer is reused across operations) and level-by-level batching.
#[derive(Clone)]
pub struct Gateway {
    app: AppState,
}

impl Gateway {
    /// The answer to an operation the document checks refuse, as over HTTP.
    fn refusal(&self, request: &Request) -> Option<async_graphql::Response> {
        let variables = serde_json::to_value(&request.variables).ok();
        let message = super::checks::check(
            &request.query,
            request.operation_name.as_deref(),
            variables.as_ref(),
            self.app.doc_limits,
        )
        .err()?;
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
        request: Request,
    ) -> impl std::future::Future<Output = async_graphql::Response> + Send {
        let refused = self.refusal(&request);
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
        request: Request,
        session_data: Option<std::sync::Arc<Data>>,
    ) -> futures_util::stream::BoxStream<'static, async_graphql::Response> {
        if let Some(refused) = self.refusal(&request) {
            return stream::once(async move { refused }).boxed();
        }
        let session = session_data
            .as_ref()
            .and_then(|d| d.get(&std::any::TypeId::of::<ConnectionViewer>()))
            .and_then(|v| v.downcast_ref::<ConnectionViewer>());
        let viewer = session.map(|s| s.viewer.clone()).unwrap_or_default();
        let expires_at = session.and_then(|s| s.expires_at);
        if expires_at.is_some_and(|exp| now_secs() >= exp) {
            return stream::once(async { expired() }).boxed();
        }
        let data = RequestData::new(viewer, &self.app.conns, self.app.events.clone());
        let batcher = data.loader.clone();
        let stream = self
            .app
            .schema
            .execute_stream(request.data(data).data(self.app.tokens.clone()));
        let stream = batcher.drive_stream(stream);
        let Some(exp) = expires_at else {
            return stream.boxed();
        };
        // A subscription lives no longer than the token it was opened with: at its expiry the
        // stream ends with an UNAUTHENTICATED error.
        let fired = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let expiry = {
            let fired = fired.clone();
            async move {
                tokio::time::sleep(Duration::from_secs(exp.saturating_sub(now_secs()))).await;
                fired.store(true, std::sync::atomic::Ordering::SeqCst);
            }
        };
        let farewell = stream::once(async move { fired.load(std::sync::atomic::Ordering::SeqCst) })
            .filter_map(|fired| async move { fired.then(expired) });
        stream.take_until(expiry).chain(farewell).boxed()
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
            let ws = GraphQLWebSocket::new_with_pair(&mut sink, &mut stream, gateway, protocol);
            let session = ws
                .on_connection_init(move |payload| async move {
                    let authorization = ["Authorization", "authorization"]
                        .iter()
                        .find_map(|k| payload.get(*k).and_then(|v| v.as_str()).map(str::to_owned));
                    let claimed = app
                        .tokens
                        .verify(authorization.as_deref())
                        .await
                        .map_err(|e| async_graphql::Error::new(e.to_string()))?;
                    let expires_at = claimed.as_ref().map(|c| c.expires_at);
                    let viewer = crate::identity::resolve(&app.conns, &app.directory, claimed)
                        .await
                        .map_err(|e| async_graphql::Error::new(e.to_string()))?;
                    let mut data = Data::default();
                    data.insert(ConnectionViewer { viewer, expires_at });
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
pub fn sse(
    app: &AppState,
    data: RequestData,
    query: String,
    operation_name: Option<String>,
    variables: Option<serde_json::Value>,
) -> Response {
    let data_batcher = data.loader.clone();
    let mut request = Request::new(query).data(data).data(app.tokens.clone());
    if let Some(name) = operation_name {
        request = request.operation_name(name);
    }
    if let Some(v) = variables {
        request = request.variables(Variables::from_json(v));
    }
    let batcher = data_batcher;
    let shutdown = app.shutdown.clone();
    let results = batcher
        .drive_stream(app.schema.execute_stream(request))
        // On shutdown the stream completes, so the response (and graceful shutdown) can end.
        .take_until(async move { shutdown.fired().await })
        .map(|response| {
            let body = serde_json::to_string(&super::graphql::coded(response))
                .unwrap_or_else(|_| "{}".to_owned());
            Ok::<_, Infallible>(Event::default().event("next").data(body))
        });
    let complete =
        stream::once(async { Ok::<_, Infallible>(Event::default().event("complete").data("")) });
    Sse::new(results.chain(complete))
        .keep_alive(KeepAlive::default())
        .into_response()
}

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
