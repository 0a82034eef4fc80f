//! HTTP: the router, `/graphql`, GraphiQL and the health probes.

pub mod checks;
pub mod graphiql;
pub mod graphql;
pub mod live;
pub mod server;

use std::sync::Arc;

use async_graphql::dynamic::Schema;
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Json};
use axum::routing::get;
use serde_json::json;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, Predicate, SizeAbove};
use tower_http::cors::{AllowHeaders, AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};

use crate::auth::Tokens;
use crate::db::Connections;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The executable schema.
    pub schema: Schema,
    /// Every source's connection pool.
    pub conns: Connections,
    /// Bearer token verification.
    pub tokens: Arc<Tokens>,
    /// Maps verified tokens to each source's users and roles.
    pub directory: crate::identity::Directory,
    /// Largest accepted body, in bytes.
    pub body_limit: usize,
    /// Whether `GET /graphql` from a browser answers GraphiQL.
    pub graphiql: bool,
    /// Longest a request may run (`None`: no limit); longer ones are cancelled.
    pub request_timeout: Option<std::time::Duration>,
    /// What a document may ask for beyond depth and complexity (aliases, rows, inputs).
    pub doc_limits: checks::DocLimits,
    /// Most errors one response lists.
    pub max_errors: usize,
    /// Live events for subscriptions.
    pub events: crate::events::EventBus,
    /// Fires when the server shuts down, to end subscriptions.
    pub shutdown: Shutdown,
}

/// Tells long-lived sessions (WebSocket and event-stream subscriptions) that the server is
/// shutting down: graceful shutdown waits for HTTP exchanges only, so these end themselves.
#[derive(Clone, Debug)]
pub struct Shutdown(tokio::sync::watch::Receiver<bool>);

impl Shutdown {
    /// The trigger (send `true`) and the signal sessions wait on.
    pub fn channel() -> (tokio::sync::watch::Sender<bool>, Shutdown) {
        let (tx, rx) = tokio::sync::watch::channel(false);
        (tx, Shutdown(rx))
    }

    /// Completes once shutdown has begun (or its trigger is gone).
    pub async fn fired(&self) {
        let mut rx = self.0.clone();
        let _ = rx.wait_for(|down| *down).await;
    }
}

/// The gateway's routes.
pub fn router(
    state: AppState,
    cors: &Cors<'_>,
    body_timeout: Option<std::time::Duration>,
) -> Router {
    let body_limit = state.body_limit;
    let mut router = Router::new()
        .route("/graphql", get(live::get_or_upgrade).post(graphql::post))
        .route("/graphql/ws", get(live::websocket));
    // With GraphiQL switched off its files are not served either.
    if state.graphiql {
        router = router.route("/graphiql/{file}", get(graphiql::asset));
    }
    let mut router = router
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .with_state(state)
        .layer(DefaultBodyLimit::max(body_limit));
    // A body that trickles in past the limit fails to read and is answered 400.
    if let Some(limit) = body_timeout {
        router = router.layer(tower_http::timeout::RequestBodyTimeoutLayer::new(limit));
    }
    if let Some(cors) = cors_layer(cors) {
        router = router.layer(cors);
    }
    router
        .layer(compression())
        // The caller's `x-request-id`, or a new UUID, on the request and echoed on the answer.
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

/// gzip or brotli, as the client's `Accept-Encoding` prefers, for answers of 1 KiB or more
/// (results, GraphiQL's scripts); never for event streams, whose events would wait in the
/// encoder, nor for what is too small to gain.
fn compression() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new()
        .gzip(true)
        .br(true)
        .compress_when(DefaultPredicate::new().and(SizeAbove::new(1024)))
}

/// Cross-origin access: who, with which request headers, and for how long a preflight holds.
pub struct Cors<'a> {
    /// Allowed origins, comma-separated, or `*` (`None`: no cross-origin access).
    pub origins: Option<&'a str>,
    /// Request headers allowed beyond [`CORS_HEADERS`], comma-separated, or `*` for any.
    pub headers: Option<&'a str>,
    /// How long a browser may reuse a preflight answer.
    pub max_age: std::time::Duration,
}

/// Request headers every cross-origin caller may send: the body's type, the bearer token,
/// the request id, W3C and Sentry tracing, and Apollo Client's client awareness.
pub const CORS_HEADERS: [&str; 11] = [
    "content-type",
    "authorization",
    "accept",
    "x-request-id",
    "traceparent",
    "tracestate",
    "baggage",
    "sentry-trace",
    "apollographql-client-name",
    "apollographql-client-version",
    "apollo-require-preflight",
];

fn cors_layer(cors: &Cors<'_>) -> Option<CorsLayer> {
    let origins = cors.origins?.trim();
    if origins.is_empty() {
        return None;
    }
    let list = |text: &str| -> Vec<HeaderValue> {
        text.split(',')
            .filter_map(|o| HeaderValue::from_str(o.trim()).ok())
            .collect()
    };
    let allow = if origins == "*" {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(list(origins))
    };
    let headers = match cors.headers.map(str::trim) {
        Some("*") => AllowHeaders::mirror_request(),
        extra => {
            let mut names: Vec<header::HeaderName> = CORS_HEADERS
                .iter()
                .map(|h| header::HeaderName::from_static(h))
                .collect();
            names.extend(
                extra
                    .unwrap_or_default()
                    .split(',')
                    .filter_map(|h| header::HeaderName::from_bytes(h.trim().as_bytes()).ok()),
            );
            AllowHeaders::list(names)
        }
    };
    Some(
        CorsLayer::new()
            .allow_origin(allow)
            .allow_methods([Method::GET, Method::POST])
            .allow_headers(headers)
            .max_age(cors.max_age)
            .expose_headers([
                header::HeaderName::from_static(graphql::STATEMENTS_HEADER),
                header::HeaderName::from_static("x-request-id"),
            ]),
    )
}

/// `GET /healthz`: the process is alive.
async fn healthz() -> impl IntoResponse {
    Json(json!({ "status": "ok" }))
}

/// `GET /readyz`: every source database answers.
async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let mut all = true;
    let mut dbs = serde_json::Map::new();
    for (db, result) in state.conns.ping().await {
        let status = match result {
            Ok(()) => "ok".to_owned(),
            Err(e) => {
                all = false;
                tracing::warn!(database = db.name(), error = %e, "database not ready");
                "unavailable".to_owned()
            }
        };
        dbs.insert(db.name().to_owned(), json!(status));
    }
    let status = if all {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(json!({ "status": if all { "ok" } else { "unavailable" }, "databases": dbs })),
    )
}
