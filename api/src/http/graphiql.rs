//! GraphiQL, served with its assets from the binary: the stock page loads React and GraphiQL
//! from a CDN and stays blank on a machine without internet.

use axum::extract::Path;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// The GraphiQL page, talking to the endpoint it was served from; subscriptions run as event
/// streams with the headers editor's headers (`assets/graphiql/fetcher.js`).
pub const PAGE: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Gateway · GraphiQL</title>
<link rel="stylesheet" href="/graphiql/graphiql.min.css">
<style>body { margin: 0; } #graphiql { height: 100vh; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="/graphiql/react.production.min.js"></script>
<script src="/graphiql/react-dom.production.min.js"></script>
<script src="/graphiql/graphiql.min.js"></script>
<script src="/graphiql/fetcher.js"></script>
<script>
  const url = window.location.pathname;
  const fetcher = gatewayFetcher(url, GraphiQL.createFetcher({ url }));
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, { fetcher, shouldPersistHeaders: true, defaultEditorToolsVisibility: true })
  );
</script>
</body>
</html>
"#;

/// The gateway's GraphiQL fetcher (`gatewayFetcher(url, httpFetcher)`).
pub const FETCHER: &str = include_str!("../../assets/graphiql/fetcher.js");

const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "fetcher.js",
        "text/javascript; charset=utf-8",
        FETCHER.as_bytes(),
    ),
    (
        "graphiql.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/graphiql/graphiql.min.js"),
    ),
    (
        "graphiql.min.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/graphiql/graphiql.min.css"),
    ),
    (
        "react.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/graphiql/react.production.min.js"),
    ),
    (
        "react-dom.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/graphiql/react-dom.production.min.js"),
    ),
];

/// `GET /graphiql/{file}`.
pub async fn asset(Path(file): Path<String>) -> Response {
    match ASSETS.iter().find(|(name, _, _)| *name == file) {
        Some((_, mime, bytes)) => {
            let mut res = bytes.to_vec().into_response();
            res.headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static(mime));
            res.headers_mut().insert(
                CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            );
            res
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
