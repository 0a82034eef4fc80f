//! The `/graphql` endpoint, following GraphQL over HTTP.
//!
//! - `POST` with an `application/json` body runs queries and mutations; `GET` with URL
//!   parameters runs queries only (a mutation over `GET` is `405`).
//! - The response media type follows `Accept`: `application/graphql-response+json` when the
//!   client accepts it, `application/json` otherwise (also for `*/*` or no `Accept`); anything
//!   else is `406`.
//! - A request that cannot run (malformed JSON or parameters, a document that fails to parse or
//!   validate) answers `400` without a `data` entry under `application/graphql-response+json`,
//!   and `200` with `errors` under `application/json`.
//! - Every rejected request carries a GraphQL error body with `extensions.code`.
//! - Each response carries `x-gateway-sql-statements`: the statements the request issued.

use std::collections::HashMap;
use std::sync::atomic::Ordering;

use async_graphql::parser::types::OperationType;
use async_graphql::{Request, Response as GqlResponse, ServerError, Variables};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Query, State};
use axum::http::header::{ACCEPT, ALLOW, AUTHORIZATION, CONNECTION, CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use serde_json::{Value as Json, json};

use super::AppState;
use super::checks::Document;
use super::graphiql;
use crate::error::ApiError;
use crate::graphql::context::RequestData;

/// Header carrying the number of SQL statements a request issued.
pub const STATEMENTS_HEADER: &str = "x-gateway-sql-statements";
const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";
const JSON: &str = "application/json";

/// The media type a response is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Media {
    GraphqlResponse,
    Json,
    /// `text/event-stream` (graphql-sse): results as events; a document refused before
    /// execution is answered on an accepted stream too, as a `next` event holding the errors
    /// (an `EventSource` reads nothing from a refused connection). Refusals of the transport
    /// itself (method, size, credentials) keep their status, with a JSON body.
    EventStream,
}

impl Media {
    fn content_type(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Media::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
            Media::Json | Media::EventStream => "application/json; charset=utf-8",
        })
    }

    /// The media of a request's answers: an event stream when the client asks for one.
    fn of(headers: &HeaderMap) -> Option<Media> {
        if super::live::wants_sse(headers) {
            return Some(Media::EventStream);
        }
        negotiate(headers)
    }
}

/// Picks the response media type from `Accept` (`None`: nothing acceptable).
fn negotiate(headers: &HeaderMap) -> Option<Media> {
    let Some(accept) = headers.get(ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Some(Media::Json);
    };
    let mut json = false;
    for part in accept.split(',') {
        let mut params = part.split(';');
        let ty = params.next().unwrap_or("").trim().to_ascii_lowercase();
        let refused = params.any(|p| {
            let p = p.trim().replace(' ', "");
            p == "q=0" || p == "q=0.0" || p == "q=0.00" || p == "q=0.000"
        });
        if refused {
            continue;
        }
        match ty.as_str() {
            GRAPHQL_RESPONSE => return Some(Media::GraphqlResponse),
            JSON | "application/*" | "*/*" => json = true,
            _ => {}
        }
    }
    json.then_some(Media::Json)
}

/// A request rejected before execution.
struct Rejection {
    status: StatusCode,
    message: String,
    allow_post: bool,
    /// A `400` for a well-formed request whose document is refused: under `application/json`
    /// answered `200` with the errors, as GraphQL over HTTP asks; a malformed request (no body,
    /// broken JSON, parameters of the wrong type) keeps its `400`.
    well_formed: bool,
}

impl Rejection {
    /// A well-formed request whose document may not run.
    fn bad(message: impl Into<String>) -> Self {
        Rejection {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
            allow_post: false,
            well_formed: true,
        }
    }

    /// A request that is not a well-formed GraphQL-over-HTTP request: `400` under every media
    /// type.
    fn malformed(message: impl Into<String>) -> Self {
        Rejection {
            well_formed: false,
            ..Rejection::bad(message)
        }
    }

    fn into_response(self, media: Media) -> Response {
        let code = match self.status {
            StatusCode::UNAUTHORIZED => "UNAUTHENTICATED",
            StatusCode::INTERNAL_SERVER_ERROR => "INTERNAL",
            StatusCode::GATEWAY_TIMEOUT => "TIMEOUT",
            StatusCode::SERVICE_UNAVAILABLE => "UNAVAILABLE",
            _ => "BAD_USER_INPUT",
        };
        let body =
            json!({ "errors": [{ "message": self.message, "extensions": { "code": code } }] });
        if media == Media::EventStream && self.status == StatusCode::BAD_REQUEST {
            return super::live::refused(&body);
        }
        // Under application/json a request error is still a 200 (except transport-level
        // refusals: method, media type, size and credentials keep their status).
        let status = match (media, self.status) {
            (Media::Json | Media::EventStream, StatusCode::BAD_REQUEST) if self.well_formed => {
                StatusCode::OK
            }
            (_, s) => s,
        };
        let mut res = (status, body.to_string()).into_response();
        res.headers_mut().insert(CONTENT_TYPE, media.content_type());
        if self.allow_post {
            res.headers_mut()
                .insert(ALLOW, HeaderValue::from_static("POST"));
        }
        if status == StatusCode::SERVICE_UNAVAILABLE {
            retry_after(&mut res);
        }
        res
    }
}

/// Seconds a client is asked to wait before retrying a request answered `503`: about one
/// acquire deadline, by when a busy pool has usually drained.
const RETRY_AFTER_SECS: &str = "2";

/// Adds `Retry-After` to a `503`.
fn retry_after(res: &mut Response) {
    res.headers_mut()
        .insert(RETRY_AFTER, HeaderValue::from_static(RETRY_AFTER_SECS));
}

/// The parameters of a GraphQL-over-HTTP request.
struct Params {
    query: String,
    operation_name: Option<String>,
    variables: Option<Json>,
}

fn params_from_json(body: &Json) -> Result<Params, Rejection> {
    let Json::Object(map) = body else {
        return Err(Rejection::malformed(
            "the request body must be a JSON object",
        ));
    };
    let query = match map.get("query") {
        Some(Json::String(q)) => q.clone(),
        Some(_) => return Err(Rejection::malformed("`query` must be a string")),
        None => return Err(Rejection::malformed("the request has no `query`")),
    };
    let operation_name = match map.get("operationName") {
        None | Some(Json::Null) => None,
        Some(Json::String(s)) => Some(s.clone()),
        Some(_) => return Err(Rejection::malformed("`operationName` must be a string")),
    };
    let variables = match map.get("variables") {
        None | Some(Json::Null) => None,
        Some(v @ Json::Object(_)) => Some(v.clone()),
        Some(_) => return Err(Rejection::malformed("`variables` must be an object")),
    };
    match map.get("extensions") {
        None | Some(Json::Null) | Some(Json::Object(_)) => {}
        Some(_) => return Err(Rejection::malformed("`extensions` must be an object")),
    }
    Ok(Params {
        query,
        operation_name,
        variables,
    })
}

/// `POST /graphql`.
pub async fn post(
    State(app): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    // An event-stream client gets its rejections as JSON.
    let Some(media) = Media::of(&headers) else {
        return not_acceptable();
    };
    let body = match body {
        Ok(b) => b,
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            let refused = Rejection {
                status: StatusCode::PAYLOAD_TOO_LARGE,
                message: format!("the request body exceeds {} bytes", app.body_limit),
                allow_post: false,
                well_formed: true,
            };
            return closing(refused.into_response(media));
        }
        Err(e) => {
            let refused = Rejection::malformed(format!("unreadable request body: {e}"));
            return closing(refused.into_response(media));
        }
    };
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut parts = content_type.split(';');
    let mime = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    if mime != JSON {
        return Rejection {
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
            message: "a POST body must be `application/json`".into(),
            allow_post: false,
            well_formed: true,
        }
        .into_response(media);
    }
    for p in parts {
        let p = p.trim().to_ascii_lowercase().replace(' ', "");
        if let Some(charset) = p.strip_prefix("charset=")
            && charset.trim_matches('"') != "utf-8"
        {
            return Rejection {
                status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
                message: "only the utf-8 charset is accepted".into(),
                allow_post: false,
                well_formed: true,
            }
            .into_response(media);
        }
    }
    if body.is_empty() {
        return Rejection::malformed("a POST request needs a body").into_response(media);
    }
    let parsed: Json = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => {
            return Rejection::malformed(format!("malformed JSON body: {e}")).into_response(media);
        }
    };
    let params = match params_from_json(&parsed) {
        Ok(p) => p,
        Err(r) => return r.into_response(media),
    };
    execute(&app, &headers, params, media, true).await
}

/// `GET /graphql`: a query from URL parameters, or GraphiQL for a browser.
pub async fn get(State(app): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    let map: HashMap<String, String> = Query::try_from_uri(&uri).map(|q| q.0).unwrap_or_default();
    let wants_html = headers
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    if !map.contains_key("query") && wants_html && app.graphiql {
        return Html(graphiql::PAGE).into_response();
    }
    // An event-stream client gets its rejections as JSON.
    let Some(media) = Media::of(&headers) else {
        return not_acceptable();
    };
    let Some(query) = map.get("query").cloned() else {
        return Rejection::malformed("the request has no `query` parameter").into_response(media);
    };
    let variables = match map.get("variables") {
        None => None,
        Some(v) => match serde_json::from_str::<Json>(v) {
            Ok(Json::Null) => None,
            Ok(v @ Json::Object(_)) => Some(v),
            _ => {
                return Rejection::malformed("`variables` must be a JSON object")
                    .into_response(media);
            }
        },
    };
    if let Some(ext) = map.get("extensions")
        && !matches!(
            serde_json::from_str::<Json>(ext),
            Ok(Json::Object(_) | Json::Null)
        )
    {
        return Rejection::malformed("`extensions` must be a JSON object").into_response(media);
    }
    let params = Params {
        query,
        operation_name: map.get("operationName").cloned(),
        variables,
    };
    execute(&app, &headers, params, media, false).await
}

/// `res` closing its connection: the unread rest of a refused body would otherwise be taken for
/// the client's next request on a kept-alive connection.
fn closing(mut res: Response) -> Response {
    res.headers_mut()
        .insert(CONNECTION, HeaderValue::from_static("close"));
    res
}

fn not_acceptable() -> Response {
    let body = json!({ "errors": [{
        "message": "acceptable media types are application/graphql-response+json and application/json",
        "extensions": { "code": "BAD_USER_INPUT" }
    }] });
    let mut res = (StatusCode::NOT_ACCEPTABLE, body.to_string()).into_response();
    res.headers_mut()
        .insert(CONTENT_TYPE, Media::Json.content_type());
    res
}

async fn execute(
    app: &AppState,
    headers: &HeaderMap,
    params: Params,
    media: Media,
    post: bool,
) -> Response {
    // Parsed once, for the method check, the document checks and execution.
    let doc = match Document::parse(
        &params.query,
        params.operation_name.as_deref(),
        &app.doc_limits,
    ) {
        Ok(doc) => doc,
        Err(message) => return Rejection::bad(message).into_response(media),
    };
    if let Some(doc) = &doc {
        // GET reads: queries, and subscriptions on an event stream (an `EventSource` can
        // only GET); mutations only with POST.
        let kind = doc.kind();
        let readable = kind.is_none_or(|k| {
            k == OperationType::Query
                || (k == OperationType::Subscription && media == Media::EventStream)
        });
        if !post && !readable {
            return Rejection {
                status: StatusCode::METHOD_NOT_ALLOWED,
                message: "only queries (and subscriptions on an event stream) may be sent with \
                          GET; send mutations with POST"
                    .into(),
                allow_post: true,
                well_formed: true,
            }
            .into_response(media);
        }
        if let Err(message) = doc.check(params.variables.as_ref(), &app.doc_limits) {
            return Rejection::bad(message).into_response(media);
        }
    }
    let parsed = match doc.map(|d| d.into_parsed(&app.doc_limits)).transpose() {
        Ok(parsed) => parsed,
        Err(message) => return Rejection::bad(message).into_response(media),
    };
    let authorization = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok());
    let claimed = app.tokens.verify(authorization).await;
    let data = match claimed {
        Ok(c) => RequestData::signed_in(c, &app.directory, &app.conns, app.events.clone()).await,
        Err(e) => Err(e),
    };
    let data = match data {
        Ok(d) => d,
        Err(ApiError::Unauthenticated(message)) => {
            return Rejection {
                status: StatusCode::UNAUTHORIZED,
                message,
                allow_post: false,
                well_formed: true,
            }
            .into_response(media);
        }
        // A database that cannot take the request now is a retryable 503 with the documented
        // message, as on every other path.
        Err(e) if e.retryable() => {
            tracing::warn!(error = ?e, "resolving the viewer failed");
            return Rejection {
                status: StatusCode::SERVICE_UNAVAILABLE,
                message: e.to_string(),
                allow_post: false,
                well_formed: true,
            }
            .into_response(media);
        }
        Err(e) => {
            tracing::warn!(error = ?e, "resolving the viewer failed");
            return Rejection {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                message: format!("the viewer's account could not be read: {e}"),
                allow_post: false,
                well_formed: true,
            }
            .into_response(media);
        }
    };
    let statements = data.statements.clone();
    let batcher = data.loader.clone();
    let mut request = Request::new(params.query);
    if let Some(name) = params.operation_name {
        request = request.operation_name(name);
    }
    if let Some(doc) = parsed {
        super::checks::attach(&mut request, doc);
    }
    if let Some(v) = params.variables {
        request = request.variables(Variables::from_json(v));
    }
    if super::live::wants_sse(headers) {
        return super::live::sse(app, data, request);
    }
    let request = request.data(data).data(app.tokens.clone());
    // Unconstrained: tokio's cooperative budget would make receivers report pending midway
    // through a level, and the level's keys would be sent in more than one batch.
    let run = batcher.drive(tokio::task::unconstrained(app.schema.execute(request)));
    let response = match app.request_timeout {
        None => run.await,
        // Dropping the execution rolls back an open transaction: nothing is half-written.
        Some(limit) => match tokio::time::timeout(limit, run).await {
            Ok(response) => response,
            Err(_) => {
                return Rejection {
                    status: StatusCode::GATEWAY_TIMEOUT,
                    message: format!(
                        "the request ran longer than {} ms and was cancelled; nothing it began was \
                         kept",
                        limit.as_millis()
                    ),
                    allow_post: false,
                    well_formed: true,
                }
                .into_response(media);
            }
        },
    };
    let count = statements.load(Ordering::Relaxed);
    let mut res = respond(capped(response, app.max_errors), media);
    if let Ok(v) = HeaderValue::from_str(&count.to_string()) {
        res.headers_mut().insert(STATEMENTS_HEADER, v);
    }
    res
}

/// `response` with at most `most` errors: the rest are summed up in a last one, so a document
/// that fails in thousands of places does not answer megabytes of errors.
fn capped(mut response: GqlResponse, most: usize) -> GqlResponse {
    let total = response.errors.len();
    if total > most.max(1) {
        let kept = most.max(1) - 1;
        let code = response
            .errors
            .get(kept)
            .and_then(|e| e.extensions.as_ref().and_then(|x| x.get("code").cloned()));
        response.errors.truncate(kept);
        let mut more = ServerError::new(
            format!(
                "{} more errors are left out (GATEWAY_MAX_ERRORS is {most})",
                total - kept
            ),
            None,
        );
        if let Some(code) = code {
            more.extensions
                .get_or_insert_with(Default::default)
                .set("code", code);
        }
        response.errors.push(more);
    }
    response
}

fn with_code(mut e: ServerError, code: &str) -> ServerError {
    let has_code = e
        .extensions
        .as_ref()
        .is_some_and(|x| x.get("code").is_some());
    if !has_code {
        let field = (code == "BAD_USER_INPUT")
            .then(|| offending_argument(&e.message))
            .flatten();
        let ext = e.extensions.get_or_insert_with(Default::default);
        ext.set("code", code);
        if let Some(f) = field {
            ext.set("field", f);
        }
    }
    e
}

/// The argument a validation message names (`Invalid value for argument "ids.0", …`, `…
/// argument "id" of type "UUID!" is required …`): the input error's offending field.
fn offending_argument(message: &str) -> Option<String> {
    let rest = &message[message.find("argument \"")? + "argument \"".len()..];
    let name = &rest[..rest.find('"')?];
    (!name.is_empty()).then(|| name.to_owned())
}

/// Whether `response` failed before execution: no data, and errors without a path (the
/// document did not parse or validate, or the operation was not found).
fn is_request_error(response: &GqlResponse) -> bool {
    matches!(response.data, async_graphql::Value::Null)
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty())
}

/// `response` with an `extensions.code` on every error: `BAD_USER_INPUT` for a request that
/// failed before execution, `INTERNAL` otherwise (errors that carry a code keep it). Used for
/// streamed responses, which keep their status.
pub(crate) fn coded(mut response: GqlResponse) -> GqlResponse {
    let code = if is_request_error(&response) {
        "BAD_USER_INPUT"
    } else {
        "INTERNAL"
    };
    response.errors = response
        .errors
        .into_iter()
        .map(|e| with_code(e, code))
        .collect();
    response
}

/// Whether `v` answers nothing: nulls and namespaces holding only nulls, no value at all.
fn answers_nothing(v: &async_graphql::Value) -> bool {
    use async_graphql::Value;
    match v {
        Value::Null => true,
        Value::Object(fields) => fields.values().all(answers_nothing),
        Value::List(items) => items.iter().all(answers_nothing),
        _ => false,
    }
}

/// Whether the whole request failed only because the database could not take it now: no value
/// answered at all, and every error `UNAVAILABLE`. Answered `503` with `Retry-After`; a partial
/// response keeps `200`, its failed fields carrying the code.
fn is_unavailable(response: &GqlResponse) -> bool {
    answers_nothing(&response.data)
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| {
            e.extensions
                .as_ref()
                .and_then(|x| x.get("code"))
                .is_some_and(|c| *c == async_graphql::Value::from("UNAVAILABLE"))
        })
}

fn respond(response: GqlResponse, media: Media) -> Response {
    let request_error = is_request_error(&response);
    let unavailable = is_unavailable(&response);
    // Serialized straight into the body: a JSON tree built first would copy every value of a
    // large answer once more.
    let serialized = if request_error {
        let errors: Vec<ServerError> = response
            .errors
            .into_iter()
            .map(|e| with_code(e, "BAD_USER_INPUT"))
            .collect();
        serde_json::to_vec(&json!({ "errors": errors }))
    } else {
        let mut response = response;
        response.errors = response
            .errors
            .into_iter()
            .map(|e| with_code(e, "INTERNAL"))
            .collect();
        serde_json::to_vec(&response)
    };
    let body = serialized.unwrap_or_else(|_| {
        br#"{"errors":[{"message":"unserializable response","extensions":{"code":"INTERNAL"}}]}"#
            .to_vec()
    });
    let status = if unavailable {
        StatusCode::SERVICE_UNAVAILABLE
    } else if request_error && media == Media::GraphqlResponse {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let mut res = (status, body).into_response();
    res.headers_mut().insert(CONTENT_TYPE, media.content_type());
    if unavailable {
        retry_after(&mut res);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_messages_name_their_argument() {
        let f = offending_argument;
        assert_eq!(
            f(r#"Invalid value for argument "targetId", expected type "UUID""#).as_deref(),
            Some("targetId")
        );
        assert_eq!(
            f(r#"Field "like" argument "targetType" of type "T!" is required but not provided"#)
                .as_deref(),
            Some("targetType")
        );
        assert_eq!(f(r#"Unknown field "x" on type "Query""#), None);
        assert_eq!(f(r#"argument ""#), None);
    }

    fn accept(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        if let Ok(v) = HeaderValue::from_str(v) {
            h.insert(ACCEPT, v);
        }
        h
    }

    #[test]
    fn negotiation() {
        assert_eq!(negotiate(&HeaderMap::new()), Some(Media::Json));
        assert_eq!(negotiate(&accept("*/*")), Some(Media::Json));
        assert_eq!(
            negotiate(&accept(
                "application/graphql-response+json, application/json"
            )),
            Some(Media::GraphqlResponse)
        );
        assert_eq!(
            negotiate(&accept("application/json;q=0.9")),
            Some(Media::Json)
        );
        assert_eq!(negotiate(&accept("text/plain")), None);
        assert_eq!(
            negotiate(&accept(
                "application/graphql-response+json;q=0, application/json"
            )),
            Some(Media::Json)
        );
    }
}
