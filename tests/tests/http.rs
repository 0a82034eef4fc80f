//! GraphQL over HTTP: the server audit of graphql-http (its MUST and SHOULD items), as data.
//! Each case is a request and what the response must be.

use e2e::{Data, Reply, TestApp, backends};

const GRJ: &str = "application/graphql-response+json";
const JSON: &str = "application/json";

struct Case {
    id: &'static str,
    method: &'static str,
    path: &'static str,
    accept: Option<&'static str>,
    content_type: Option<&'static str>,
    body: Option<&'static str>,
    status: u16,
    media: Option<&'static str>,
    errors: Option<bool>,
    data_absent: bool,
}

const fn post(
    id: &'static str,
    accept: Option<&'static str>,
    body: &'static str,
    status: u16,
    errors: Option<bool>,
) -> Case {
    Case {
        id,
        method: "POST",
        path: "/graphql",
        accept,
        content_type: Some(JSON),
        body: Some(body),
        status,
        media: None,
        errors,
        data_absent: false,
    }
}

const OK: &str = r#"{"query":"{ __typename }"}"#;

fn cases() -> Vec<Case> {
    let mut c = vec![
        Case {
            media: Some(GRJ),
            ..post(
                "22EB accepts graphql-response+json",
                Some(GRJ),
                OK,
                200,
                Some(false),
            )
        },
        Case {
            media: Some(JSON),
            ..post(
                "4655 accepts application/json",
                Some(JSON),
                OK,
                200,
                Some(false),
            )
        },
        Case {
            media: Some(JSON),
            ..post(
                "47DE */* answers application/json",
                Some("*/*"),
                OK,
                200,
                Some(false),
            )
        },
        Case {
            content_type: Some("application/json; charset=utf-8"),
            ..post("BF61 utf-8 request", None, OK, 200, Some(false))
        },
        post("03D4 application/json POST", None, OK, 200, Some(false)),
        Case {
            content_type: None,
            body: None,
            ..post(
                "9ABE no content-type on POST is 4xx",
                None,
                "",
                415,
                Some(true),
            )
        },
        Case {
            content_type: Some("text/plain"),
            ..post("wrong content-type is 415", None, OK, 415, Some(true))
        },
        Case {
            content_type: Some("application/json; charset=latin1"),
            ..post("only utf-8 is accepted", None, OK, 415, Some(true))
        },
        Case {
            body: None,
            ..post("7267 a POST needs a body", Some(JSON), "", 400, Some(true))
        },
        Case {
            data_absent: true,
            ..post(
                "6610 missing query 400",
                Some(GRJ),
                r#"{"notquery":"{ __typename }"}"#,
                400,
                Some(true),
            )
        },
        post(
            "3715 missing query is a malformed request, 400 under json too",
            Some(JSON),
            r#"{"notquery":"{ __typename }"}"#,
            400,
            Some(true),
        ),
        post(
            "8161 string operationName",
            Some(GRJ),
            r#"{"operationName":"Q","query":"query Q { __typename }"}"#,
            200,
            Some(false),
        ),
        post(
            "B8B3 string operationName json",
            Some(JSON),
            r#"{"operationName":"Q","query":"query Q { __typename }"}"#,
            200,
            Some(false),
        ),
        post(
            "28B9 map variables",
            Some(JSON),
            r#"{"query":"query T($name: String!) { __type(name: $name) { name } }","variables":{"name":"Query"}}"#,
            200,
            Some(false),
        ),
        post(
            "1B7A map extensions",
            Some(JSON),
            r#"{"query":"{ __typename }","extensions":{"some":"value"}}"#,
            200,
            Some(false),
        ),
        post(
            "BCF8 malformed JSON with json is 400",
            Some(JSON),
            r#"{ "not a JSON"#,
            400,
            Some(true),
        ),
        Case {
            data_absent: true,
            ..post(
                "2163 malformed JSON with grj is 400",
                Some(GRJ),
                r#"{ "not a JSON"#,
                400,
                Some(true),
            )
        },
        post(
            "572B parse failure json 200",
            Some(JSON),
            r#"{"query":"{"}"#,
            200,
            Some(true),
        ),
        Case {
            data_absent: true,
            ..post(
                "556A parse failure grj 400",
                Some(GRJ),
                r#"{"query":"{"}"#,
                400,
                Some(true),
            )
        },
        post(
            "FDE2 validation failure json 200",
            Some(JSON),
            r#"{"query":"{ noSuchField }"}"#,
            200,
            Some(true),
        ),
        Case {
            data_absent: true,
            ..post(
                "74FF validation failure grj 400",
                Some(GRJ),
                r#"{"query":"{ noSuchField }"}"#,
                400,
                Some(true),
            )
        },
        post(
            "unknown operationName",
            Some(GRJ),
            r#"{"operationName":"Nope","query":"query Q { __typename }"}"#,
            400,
            Some(true),
        ),
        Case {
            media: Some(JSON),
            ..post(
                "406 for unacceptable media",
                Some("text/plain"),
                OK,
                406,
                Some(true),
            )
        },
        Case {
            method: "GET",
            path: "/graphql?query=%7B__typename%7D",
            content_type: None,
            body: None,
            media: Some(JSON),
            ..post(
                "80D8 GET without accept is application/json",
                None,
                "",
                200,
                Some(false),
            )
        },
        Case {
            method: "GET",
            path: "/graphql?query=query%20T(%24name%3A%20String!)%20%7B%20__type(name%3A%20%24name)%20%7B%20name%20%7D%20%7D&variables=%7B%22name%22%3A%22Query%22%7D",
            content_type: None,
            body: None,
            ..post(
                "6A70 GET with url-encoded variables",
                Some(JSON),
                "",
                200,
                Some(false),
            )
        },
        Case {
            method: "GET",
            path: "/graphql?query=mutation%20%7B%20__typename%20%7D",
            content_type: None,
            body: None,
            ..post("9C48 no mutations over GET", Some(GRJ), "", 405, Some(true))
        },
        Case {
            method: "GET",
            path: "/graphql",
            content_type: None,
            body: None,
            ..post("GET without query", Some(GRJ), "", 400, Some(true))
        },
    ];
    for (i, bad) in ["{\"obj\":\"ect\"}", "0", "false", "[\"array\"]"]
        .iter()
        .enumerate()
    {
        let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
        c.push(Case {
            data_absent: true,
            ..post(
                leak(format!("4F5{i} bad query")),
                Some(GRJ),
                leak(format!("{{\"query\":{bad}}}")),
                400,
                Some(true),
            )
        });
        c.push(post(
            leak(format!("9FE{i} bad query json")),
            Some(JSON),
            leak(format!("{{\"query\":{bad}}}")),
            400,
            Some(true),
        ));
        c.push(post(
            leak(format!("E3E{i} bad operationName")),
            Some(GRJ),
            leak(format!(
                "{{\"query\":\"{{ __typename }}\",\"operationName\":{bad}}}"
            )),
            400,
            Some(true),
        ));
    }
    for (i, bad) in ["\"string\"", "0", "false", "[\"array\"]"]
        .iter()
        .enumerate()
    {
        let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
        c.push(post(
            leak(format!("69B{i} bad variables")),
            Some(GRJ),
            leak(format!(
                "{{\"query\":\"{{ __typename }}\",\"variables\":{bad}}}"
            )),
            400,
            Some(true),
        ));
        c.push(post(
            leak(format!("F05{i} bad variables json")),
            Some(JSON),
            leak(format!(
                "{{\"query\":\"{{ __typename }}\",\"variables\":{bad}}}"
            )),
            400,
            Some(true),
        ));
        c.push(post(
            leak(format!("904{i} bad extensions")),
            Some(GRJ),
            leak(format!(
                "{{\"query\":\"{{ __typename }}\",\"extensions\":{bad}}}"
            )),
            400,
            Some(true),
        ));
    }
    for p in ["variables", "operationName", "extensions"] {
        let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
        c.push(post(
            leak(format!("94B null {p}")),
            Some(GRJ),
            leak(format!("{{\"query\":\"{{ __typename }}\",\"{p}\":null}}")),
            200,
            Some(false),
        ));
    }
    c
}

fn check(case: &Case, r: &Reply) {
    assert_eq!(r.status, case.status, "{}: {}", case.id, r.body);
    if let Some(m) = case.media {
        assert!(
            r.content_type.starts_with(m),
            "{}: content-type {}",
            case.id,
            r.content_type
        );
    }
    if r.status != 415 || r.content_type.contains("json") {
        assert!(
            r.content_type.contains("charset=utf-8"),
            "{}: {}",
            case.id,
            r.content_type
        );
    }
    if let Some(errors) = case.errors {
        assert_eq!(
            r.body.get("errors").is_some(),
            errors,
            "{}: {}",
            case.id,
            r.body
        );
        if errors {
            assert!(
                r.body["errors"][0]["extensions"]["code"].is_string(),
                "{}: every error has a code: {}",
                case.id,
                r.body
            );
        }
    }
    if case.data_absent {
        assert!(
            r.body.get("data").is_none(),
            "{}: no data entry: {}",
            case.id,
            r.body
        );
    }
}

#[tokio::test]
async fn graphql_over_http_audit() {
    let backend = &backends()[0];
    let app = TestApp::spawn(backend, Data::Empty).await;
    for case in cases() {
        let mut headers = Vec::new();
        if let Some(a) = case.accept {
            headers.push(("accept", a));
        }
        if let Some(t) = case.content_type {
            headers.push(("content-type", t));
        }
        let r = app.raw(case.method, case.path, &headers, case.body).await;
        check(&case, &r);
    }
}

#[tokio::test]
async fn graphiql_health_and_limits() {
    let backend = &backends()[0];
    let app = TestApp::spawn(backend, Data::Empty).await;
    let page = reqwest::Client::new()
        .get(format!("{}/graphql", app.url))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap_or_default();
    assert!(
        html.contains("/graphiql/graphiql.min.js"),
        "GraphiQL page served locally"
    );
    let asset = app.raw("GET", "/graphiql/graphiql.min.js", &[], None).await;
    assert_eq!(asset.status, 200);
    assert_eq!(app.raw("GET", "/healthz", &[], None).await.status, 200);
    let ready = app.raw("GET", "/readyz", &[], None).await;
    assert_eq!(ready.status, 200);
    assert_eq!(ready.body["databases"]["deed_o_auth"], "ok");

    let big = format!(
        "{{\"query\":\"{{ __typename }}\",\"pad\":\"{}\"}}",
        "x".repeat(2 * 1024 * 1024)
    );
    let r = app
        .raw("POST", "/graphql", &[("content-type", JSON)], Some(&big))
        .await;
    assert_eq!(r.status, 413);
    assert_eq!(r.code(), Some("BAD_USER_INPUT"));

    let r = app
        .raw(
            "POST",
            "/graphql",
            &[("content-type", JSON), ("authorization", "Bearer forged")],
            Some(OK),
        )
        .await;
    assert_eq!(r.status, 401);
    assert_eq!(r.code(), Some("UNAUTHENTICATED"));
}

/// Answers of 1 KiB or more, GraphiQL's scripts included, are compressed as the client's
/// `Accept-Encoding` asks (gzip, brotli); small ones and clients that ask for nothing get
/// them as they are.
#[tokio::test]
async fn large_answers_are_compressed_as_the_client_accepts() {
    use std::io::Read;
    let backend = &backends()[0];
    let app = TestApp::spawn(backend, Data::Empty).await;
    let client = reqwest::Client::new();
    let query = r#"{"query":"{ __schema { types { name description } } }"}"#;
    let post = |encoding: Option<&'static str>| {
        let mut req = client
            .post(format!("{}/graphql", app.url))
            .header("content-type", JSON)
            .body(query);
        if let Some(e) = encoding {
            req = req.header("accept-encoding", e);
        }
        req.send()
    };
    let plain = post(None).await.unwrap_or_else(|e| panic!("{e}"));
    assert!(plain.headers().get("content-encoding").is_none());
    let plain = plain.bytes().await.unwrap_or_default();
    assert!(plain.len() > 1024, "a large answer: {} bytes", plain.len());

    let gz = post(Some("gzip")).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    let packed = gz.bytes().await.unwrap_or_default();
    assert!(
        packed.len() < plain.len() / 2,
        "{} of {}",
        packed.len(),
        plain.len()
    );
    let mut text = String::new();
    flate2::read::GzDecoder::new(&packed[..])
        .read_to_string(&mut text)
        .unwrap_or_else(|e| panic!("gunzip: {e}"));
    assert_eq!(text.as_bytes(), &plain[..], "the same answer");

    let br = post(Some("br")).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(br.headers()["content-encoding"], "br");

    let script = client
        .get(format!("{}/graphiql/graphiql.min.js", app.url))
        .header("accept-encoding", "gzip, br")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        script.headers().get("content-encoding").is_some(),
        "GraphiQL's script"
    );

    let small = client
        .get(format!("{}/healthz", app.url))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        small.headers().get("content-encoding").is_none(),
        "too small to gain"
    );
}

/// Every answer carries `x-request-id`: the caller's own when it sent one, else a new UUID.
#[tokio::test]
async fn request_ids_are_echoed_or_made() {
    let backend = &backends()[0];
    let app = TestApp::spawn(backend, Data::Empty).await;
    let client = reqwest::Client::new();
    let send = |id: Option<&'static str>| {
        let mut req = client
            .post(format!("{}/graphql", app.url))
            .header("content-type", JSON)
            .body(OK);
        if let Some(id) = id {
            req = req.header("x-request-id", id);
        }
        req.send()
    };
    let r = send(Some("checkout-42"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.headers()["x-request-id"], "checkout-42");
    let r = send(None).await.unwrap_or_else(|e| panic!("{e}"));
    let made = r.headers()["x-request-id"]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    assert!(uuid::Uuid::parse_str(&made).is_ok(), "a new id: {made}");
    let again = send(None).await.unwrap_or_else(|e| panic!("{e}"));
    assert_ne!(
        again.headers()["x-request-id"],
        made.as_str(),
        "one per request"
    );
}

/// A CORS preflight from an allowed origin admits the headers browsers' tracing and Apollo
/// Client send, plus the configured ones, and may be reused for the configured time.
#[tokio::test]
async fn cors_preflight_admits_tracing_and_client_headers() {
    let backend = &backends()[0];
    let app = TestApp::spawn_with(backend, Data::Empty, |s| {
        s.cors_origins = Some("https://app.example".into());
        s.cors_headers = Some("x-tenant".into());
        s.cors_max_age_secs = 3600;
    })
    .await;
    let client = reqwest::Client::new();
    let preflight = |headers: &'static str| {
        client
            .request(reqwest::Method::OPTIONS, format!("{}/graphql", app.url))
            .header("origin", "https://app.example")
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", headers)
            .send()
    };
    let r = preflight(
        "content-type,authorization,sentry-trace,baggage,apollographql-client-name,x-tenant",
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(r.status().is_success(), "{}", r.status());
    let h = r.headers();
    assert_eq!(h["access-control-allow-origin"], "https://app.example");
    assert_eq!(h["access-control-max-age"], "3600");
    let allowed = h["access-control-allow-headers"]
        .to_str()
        .unwrap_or_default()
        .to_lowercase();
    for name in [
        "sentry-trace",
        "baggage",
        "apollographql-client-name",
        "x-tenant",
        "authorization",
    ] {
        assert!(allowed.contains(name), "{name} in {allowed}");
    }
    let r = client
        .post(format!("{}/graphql", app.url))
        .header("origin", "https://app.example")
        .header("content-type", JSON)
        .body(OK)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let exposed = r.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap_or_default()
        .to_lowercase();
    assert!(exposed.contains("x-request-id"), "{exposed}");
}
