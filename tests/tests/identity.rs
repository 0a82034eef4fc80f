//! Identity-provider tokens: RS256 and ES256 verified against a JWKS that the test serves
//! itself (keys under `tests/fixtures/`), refreshed on an unknown key id; forged, expired,
//! not yet valid, misaddressed (or not addressed at all, when an issuer and audience are
//! configured) and algorithm-confused tokens answer 401 `UNAUTHENTICATED`. The JWKS is fetched
//! over https from a server whose certificate is trusted (`GATEWAY_JWKS_CA`), never from an
//! untrusted one, and plain http only from a loopback address.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use api::error::ApiError;
use api::startup::Application;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use e2e::fixtures::{hs_collection, hs_user};
use e2e::{Backend, Data, TestApp, backends};
use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use migration::Database;
use serde_json::{Value, json};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

const ISSUER: &str = "https://idp.test/";
const AUDIENCE: &str = "gateway";

/// RSA 2048 private keys, PKCS#1 DER (`openssl genpkey -algorithm RSA` then
/// `openssl rsa -traditional -outform DER`).
const RSA1: &[u8] = include_bytes!("../fixtures/rsa1.der");
const RSA2: &[u8] = include_bytes!("../fixtures/rsa2.der");
/// A P-256 private key, PKCS#8 DER (`openssl genpkey -algorithm EC -pkeyopt
/// ec_paramgen_curve:P-256` then `openssl pkcs8 -topk8 -nocrypt -outform DER`).
const EC1: &[u8] = include_bytes!("../fixtures/ec1.der");

/// The test CA (P-256, PEM) that signed the HTTPS JWKS server's certificate: the file
/// `GATEWAY_JWKS_CA` names. The certificates were made once, valid 2026-01-01 to 2126-01-01
/// (100 years; the start backdated so that a machine whose clock lags still trusts them), in a
/// scratch directory holding a copy of `tests/fixtures/tls-ca.cnf` (an `openssl ca`
/// configuration); `tls-ca.pem`, `tls-localhost.pem` and `tls-localhost.key` were then copied
/// to `tests/fixtures/`, the CA key was not kept:
///
/// ```sh
/// touch index.txt
/// openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca.key
/// openssl req -new -key ca.key -subj "/CN=gateway test JWKS CA" -out ca.csr
/// openssl ca -batch -config tls-ca.cnf -selfsign -keyfile ca.key -in ca.csr -extensions ca_ext \
///   -startdate 20260101000000Z -enddate 21260101000000Z -notext -out tls-ca.pem
/// openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out tls-localhost.key
/// openssl req -new -key tls-localhost.key -subj "/CN=localhost" -out localhost.csr
/// openssl ca -batch -config tls-ca.cnf -cert tls-ca.pem -keyfile ca.key -in localhost.csr \
///   -extensions server_ext -startdate 20260101000000Z -enddate 21260101000000Z -notext \
///   -out tls-localhost.pem
/// ```
const TLS_CA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/tls-ca.pem");
/// The server certificate (`localhost`, `127.0.0.1`, `::1`; PEM) and its P-256 key (PKCS#8 PEM).
const TLS_CERT: &[u8] = include_bytes!("../fixtures/tls-localhost.pem");
const TLS_KEY: &[u8] = include_bytes!("../fixtures/tls-localhost.key");

/// A signing key of the test identity provider.
struct Key {
    kid: &'static str,
    alg: Algorithm,
    encoding: EncodingKey,
}

impl Key {
    fn rsa(kid: &'static str, der: &[u8]) -> Key {
        Key {
            kid,
            alg: Algorithm::RS256,
            encoding: EncodingKey::from_rsa_der(der),
        }
    }

    fn ec(kid: &'static str, der: &[u8]) -> Key {
        Key {
            kid,
            alg: Algorithm::ES256,
            encoding: EncodingKey::from_ec_der(der),
        }
    }

    /// The public JWK of the key.
    fn jwk(&self) -> Jwk {
        let mut jwk =
            Jwk::from_encoding_key(&self.encoding, self.alg).unwrap_or_else(|e| panic!("jwk: {e}"));
        jwk.common.key_id = Some(self.kid.to_owned());
        jwk
    }

    /// A token signed by the key, naming its `kid`.
    fn sign(&self, claims: &Value) -> String {
        let mut header = Header::new(self.alg);
        header.kid = Some(self.kid.to_owned());
        jsonwebtoken::encode(&header, claims, &self.encoding)
            .unwrap_or_else(|e| panic!("sign: {e}"))
    }
}

/// A JWKS served over HTTP (or HTTPS) on a free local port; the set can be replaced (key
/// rotation).
struct JwksServer {
    url: String,
    body: Arc<Mutex<String>>,
    hits: Arc<AtomicUsize>,
}

impl JwksServer {
    /// Over plain HTTP on `127.0.0.1`.
    async fn start(keys: &[&Key]) -> JwksServer {
        Self::start_with(keys, None).await
    }

    /// Over HTTPS, as `localhost`, with the certificate the test CA signed.
    async fn start_tls(keys: &[&Key]) -> JwksServer {
        let cert = CertificateDer::from_pem_slice(TLS_CERT)
            .unwrap_or_else(|e| panic!("server certificate: {e}"));
        let key =
            PrivateKeyDer::from_pem_slice(TLS_KEY).unwrap_or_else(|e| panic!("server key: {e}"));
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap_or_else(|e| panic!("tls versions: {e}"))
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .unwrap_or_else(|e| panic!("server tls: {e}"));
        Self::start_with(keys, Some(TlsAcceptor::from(Arc::new(config)))).await
    }

    async fn start_with(keys: &[&Key], tls: Option<TlsAcceptor>) -> JwksServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("bind: {e}"));
        let addr = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("addr: {e}"));
        let url = match tls {
            None => format!("http://{addr}/.well-known/jwks.json"),
            Some(_) => format!("https://localhost:{}/.well-known/jwks.json", addr.port()),
        };
        let server = JwksServer {
            url,
            body: Arc::new(Mutex::new(String::new())),
            hits: Arc::new(AtomicUsize::new(0)),
        };
        server.serve(keys);
        let (body, hits) = (server.body.clone(), server.hits.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (body, hits, tls) = (body.clone(), hits.clone(), tls.clone());
                tokio::spawn(async move {
                    match tls {
                        None => answer(stream, body, hits).await,
                        // A refused handshake (an untrusted certificate) never gets a request.
                        Some(tls) => {
                            if let Ok(stream) = tls.accept(stream).await {
                                answer(stream, body, hits).await;
                            }
                        }
                    }
                });
            }
        });
        server
    }

    /// Serves exactly `keys` from now on.
    fn serve(&self, keys: &[&Key]) {
        let set = JwkSet {
            keys: keys.iter().map(|k| k.jwk()).collect(),
        };
        *self.body.lock().unwrap_or_else(|e| e.into_inner()) =
            serde_json::to_string(&set).unwrap_or_else(|e| panic!("jwks json: {e}"));
    }

    fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

/// Reads one HTTP/1.1 request from `stream` and answers the key set `body`.
async fn answer(
    mut stream: impl AsyncRead + AsyncWrite + Unpin,
    body: Arc<Mutex<String>>,
    hits: Arc<AtomicUsize>,
) {
    let mut request = Vec::new();
    let mut buf = [0u8; 1024];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    hits.fetch_add(1, Ordering::SeqCst);
    let body = body.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(response.as_bytes()).await.ok();
    stream.shutdown().await.ok();
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_else(|e| panic!("clock: {e}"))
        .as_secs() as i64
}

/// Claims of a valid identity-provider token for the Head Shakers user whose Clerk id is `sub`.
fn claims(sub: &str) -> Value {
    json!({
        "sub": sub,
        "source": "head_shakers",
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now(),
        "nbf": now() - 5,
        "exp": now() + 600,
    })
}

/// A gateway whose identity provider is `jwks`, and a user owning one private and one public
/// collection.
async fn gateway(backend: &Backend, jwks: &JwksServer) -> (TestApp, String) {
    gateway_trusting(backend, jwks, None).await
}

/// [`gateway`] trusting the extra CA certificates of the PEM file `ca` (`GATEWAY_JWKS_CA`).
async fn gateway_trusting(
    backend: &Backend,
    jwks: &JwksServer,
    ca: Option<PathBuf>,
) -> (TestApp, String) {
    let url = jwks.url.clone();
    let app = TestApp::spawn_with(backend, Data::Empty, move |s| {
        s.jwks_url = Some(url);
        s.jwks_ca = ca;
        s.jwt_issuer = Some(ISSUER.into());
        s.jwt_audience = Some(AUDIENCE.into());
    })
    .await;
    let db = app.db(Database::HeadShakers);
    let owner = hs_user(db, 1).await;
    hs_collection(db, owner, "Public shelf", true).await;
    hs_collection(db, owner, "Private shelf", false).await;
    // Providers name the Clerk id (the fixture's `clerk_<id>`), not the row id.
    (app, format!("clerk_{owner}"))
}

const COLLECTIONS: &str = "{ headShakers { collections { totalCount } } }";

/// How many collections the bearer of `token` sees (the owner: 2, anyone else: 1).
async fn collections_seen(app: &TestApp, token: &str, what: &str) -> i64 {
    let r = app.gql(COLLECTIONS, json!({}), Some(token)).await;
    assert_eq!(r.status, 200, "{what}: {:?}", r.body);
    r.data()["headShakers"]["collections"]["totalCount"]
        .as_i64()
        .unwrap_or_else(|| panic!("{what}: {:?}", r.body))
}

async fn assert_refused(app: &TestApp, token: &str, what: &str) {
    let r = app.gql(COLLECTIONS, json!({}), Some(token)).await;
    assert_eq!(r.status, 401, "{what}: {:?}", r.body);
    assert_eq!(r.code(), Some("UNAUTHENTICATED"), "{what}: {:?}", r.body);
}

#[tokio::test]
async fn provider_tokens_are_verified_and_forgeries_refused() {
    let rsa1 = Key::rsa("rsa-1", RSA1);
    let rsa2 = Key::rsa("rsa-2", RSA2);
    let ec1 = Key::ec("ec-1", EC1);
    for backend in backends() {
        let b = backend.name();
        let jwks = JwksServer::start(&[&rsa1, &ec1]).await;
        let (app, owner) = gateway(&backend, &jwks).await;
        let anonymous = app.gql(COLLECTIONS, json!({}), None).await;
        assert_eq!(
            anonymous.data()["headShakers"]["collections"]["totalCount"],
            1,
            "{b}"
        );

        let rs = rsa1.sign(&claims(&owner));
        assert_eq!(collections_seen(&app, &rs, "RS256").await, 2, "{b}");
        let es = ec1.sign(&claims(&owner));
        assert_eq!(collections_seen(&app, &es, "ES256").await, 2, "{b}");
        assert_eq!(jwks.hits(), 1, "{b}: the key set is cached");

        // The source as a namespaced custom claim; without any source: refused.
        let mut c = claims(&owner);
        c.as_object_mut().map(|o| o.remove("source"));
        c["https://gateway/source"] = json!("head_shakers");
        assert_eq!(
            collections_seen(&app, &rsa1.sign(&c), "custom claim").await,
            2
        );
        c.as_object_mut()
            .map(|o| o.remove("https://gateway/source"));
        assert_refused(&app, &rsa1.sign(&c), &format!("{b}: no source")).await;

        // HS256 tokens with the gateway secret name the row id.
        let row_id = owner.trim_start_matches("clerk_");
        let dev = app.token("head_shakers", row_id);
        assert_eq!(collections_seen(&app, &dev, "HS256").await, 2, "{b}");
        // A provider's subject is mapped through `clerk_id` only: the row id and an unknown
        // Clerk id are refused.
        let mut c = claims(&owner);
        c["sub"] = json!(row_id);
        assert_refused(&app, &rsa1.sign(&c), &format!("{b}: row id as subject")).await;
        c["sub"] = json!("user_2nobody");
        assert_refused(&app, &rsa1.sign(&c), &format!("{b}: unknown Clerk id")).await;

        // alg: none.
        let none = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#),
            URL_SAFE_NO_PAD.encode(claims(&owner).to_string())
        );
        assert_refused(&app, &none, &format!("{b}: alg none")).await;
        let none_kid = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT","kid":"rsa-1"}"#),
            URL_SAFE_NO_PAD.encode(claims(&owner).to_string())
        );
        assert_refused(&app, &none_kid, &format!("{b}: alg none with kid")).await;

        // HS256 naming an RSA key id: refused even when signed with the gateway secret, and when
        // signed with the RSA public key's JWK text.
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some("rsa-1".into());
        let confused = jsonwebtoken::encode(
            &header,
            &claims(&owner),
            &EncodingKey::from_secret(b"test-secret"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_refused(&app, &confused, &format!("{b}: HS256 with RSA kid")).await;
        let public = serde_json::to_string(&rsa1.jwk()).unwrap_or_else(|e| panic!("{e}"));
        let confused = jsonwebtoken::encode(
            &header,
            &claims(&owner),
            &EncodingKey::from_secret(public.as_bytes()),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_refused(&app, &confused, &format!("{b}: HS256 with public key")).await;

        // An RS256 header naming the EC key.
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some("ec-1".into());
        let wrong_type = jsonwebtoken::encode(&header, &claims(&owner), &rsa1.encoding)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_refused(&app, &wrong_type, &format!("{b}: RS256 with EC kid")).await;

        // Bad signature: signed by another key under rsa-1's id, or tampered with.
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some("rsa-1".into());
        let forged = jsonwebtoken::encode(&header, &claims(&owner), &rsa2.encoding)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_refused(&app, &forged, &format!("{b}: wrong key")).await;
        let mut parts: Vec<String> = rs.split('.').map(str::to_owned).collect();
        let mut c = claims(&owner);
        c["sub"] = json!(uuid::Uuid::new_v4().to_string());
        parts[1] = URL_SAFE_NO_PAD.encode(c.to_string());
        assert_refused(&app, &parts.join("."), &format!("{b}: tampered")).await;

        // Expired and not yet valid (beyond the 30 s leeway); inside the leeway: accepted.
        let mut c = claims(&owner);
        c["exp"] = json!(now() - 120);
        assert_refused(&app, &rsa1.sign(&c), &format!("{b}: expired")).await;
        let mut c = claims(&owner);
        c["exp"] = json!(now() - 5);
        assert_eq!(collections_seen(&app, &ec1.sign(&c), "leeway").await, 2);
        let mut c = claims(&owner);
        c["nbf"] = json!(now() + 300);
        assert_refused(&app, &rsa1.sign(&c), &format!("{b}: not yet valid")).await;

        // Wrong issuer or audience; missing sub.
        let mut c = claims(&owner);
        c["iss"] = json!("https://evil.test/");
        assert_refused(&app, &ec1.sign(&c), &format!("{b}: issuer")).await;
        let mut c = claims(&owner);
        c["aud"] = json!("someone-else");
        assert_refused(&app, &rsa1.sign(&c), &format!("{b}: audience")).await;
        let mut c = claims(&owner);
        c.as_object_mut().map(|o| o.remove("sub"));
        assert_refused(&app, &rsa1.sign(&c), &format!("{b}: no sub")).await;
    }
}

#[tokio::test]
async fn an_unknown_key_id_refreshes_the_key_set_at_most_every_30_seconds() {
    let rsa1 = Key::rsa("rsa-1", RSA1);
    let rsa2 = Key::rsa("rsa-2", RSA2);
    let mut apps = Vec::new();
    for backend in backends() {
        let jwks = JwksServer::start(&[&rsa1]).await;
        let (app, owner) = gateway(&backend, &jwks).await;
        let b = backend.name();
        assert_eq!(
            collections_seen(&app, &rsa1.sign(&claims(&owner)), b).await,
            2
        );
        assert_eq!(jwks.hits(), 1, "{b}");
        // A key the set does not hold yet, within 30 s of the first fetch: refused.
        let early = rsa2.sign(&claims(&owner));
        jwks.serve(&[&rsa1]);
        assert_refused(&app, &early, b).await;
        apps.push((app, jwks, owner));
    }
    // Rotation: the provider now publishes rsa-2 (rsa-1 retired).
    for (app, jwks, owner) in &apps {
        jwks.serve(&[&rsa2]);
        // Within 30 s of the last fetch, an unknown kid does not fetch again.
        let hits = jwks.hits();
        assert_refused(app, &rsa2.sign(&claims(owner)), "rate limited").await;
        assert_eq!(jwks.hits(), hits, "no refresh within 30 s");
    }
    tokio::time::sleep(std::time::Duration::from_secs(31)).await;
    for (app, jwks, owner) in &apps {
        let hits = jwks.hits();
        assert_eq!(
            collections_seen(app, &rsa2.sign(&claims(owner)), "after rotation").await,
            2
        );
        assert_eq!(jwks.hits(), hits + 1, "one refresh");
        // The retired key's cached entry is gone with the refreshed set.
        assert_refused(app, &rsa1.sign(&claims(owner)), "retired key").await;
    }
    drop(apps);
}

#[tokio::test]
async fn the_key_set_is_fetched_over_https_from_a_trusted_server_only() {
    let rsa1 = Key::rsa("rsa-1", RSA1);
    for backend in backends() {
        let b = backend.name();
        let jwks = JwksServer::start_tls(&[&rsa1]).await;
        assert!(jwks.url.starts_with("https://localhost:"), "{}", jwks.url);

        // The server's certificate chains to the CA of GATEWAY_JWKS_CA: accepted.
        let (app, owner) = gateway_trusting(&backend, &jwks, Some(TLS_CA.into())).await;
        let token = rsa1.sign(&claims(&owner));
        assert_eq!(
            collections_seen(&app, &token, b).await,
            2,
            "{b}: trusted CA"
        );
        assert_eq!(jwks.hits(), 1, "{b}");

        // Without it, the test CA is not among the system's roots: the handshake fails, no key
        // set, the same token is refused.
        let (app, owner) = gateway(&backend, &jwks).await;
        let token = rsa1.sign(&claims(&owner));
        assert_refused(&app, &token, &format!("{b}: untrusted certificate")).await;
        assert_eq!(
            jwks.hits(),
            1,
            "{b}: no request passed an untrusted handshake"
        );
    }
}

#[tokio::test]
async fn a_plain_http_key_set_off_this_machine_is_refused_at_startup() {
    let app = TestApp::spawn(&Backend::Sqlite, Data::Empty).await;
    let settings = |url: &str, ca: Option<&str>| {
        let mut s = api::config::Settings::for_data_dir(std::env::temp_dir());
        s.jwt_secret = Some("test-secret".into());
        s.jwks_url = Some(url.to_owned());
        s.jwks_ca = ca.map(PathBuf::from);
        s
    };
    let refused = |r: Result<Application, ApiError>| match r {
        Ok(_) => None,
        Err(ApiError::Internal(m)) => Some(m),
        Err(e) => Some(format!("{e:?}")),
    };
    for url in [
        "http://idp.example.com/.well-known/jwks.json",
        "http://10.1.2.3:8080/jwks",
        "http://localhost.example.com/jwks",
        "ftp://127.0.0.1/jwks",
    ] {
        let r = Application::build_with(&settings(url, None), app.conns.clone()).await;
        let message = refused(r).unwrap_or_else(|| panic!("{url}: the gateway started"));
        assert!(message.contains("https://"), "{url}: {message}");
    }
    // A GATEWAY_JWKS_CA that is missing or holds no certificate is refused too.
    let https = "https://idp.example.com/.well-known/jwks.json";
    for ca in [
        concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/missing.pem"),
        concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/tls-localhost.key"),
    ] {
        let r = Application::build_with(&settings(https, Some(ca)), app.conns.clone()).await;
        let message = refused(r).unwrap_or_else(|| panic!("{ca}: the gateway started"));
        assert!(message.contains("GATEWAY_JWKS_CA"), "{ca}: {message}");
    }
    // https anywhere and plain http on a loopback address are accepted (nothing is fetched
    // before the first provider token).
    for (url, ca) in [
        (https, None),
        (https, Some(TLS_CA)),
        ("http://127.0.0.1:9/jwks", None),
        ("http://localhost:9/jwks", None),
        ("http://[::1]:9/jwks", None),
    ] {
        api::startup::tokens(&settings(url, ca)).unwrap_or_else(|e| panic!("{url}: {e:?}"));
    }
}

#[tokio::test]
async fn each_application_signs_in_with_its_own_provider() {
    const CLERK: &str = "https://clerk.head-shakers.test";
    const AUTH0: &str = "https://character-creation.auth0.test/";
    let clerk_key = Key::rsa("clerk-1", RSA1);
    let auth0_key = Key::ec("auth0-1", EC1);
    let stray_key = Key::rsa("stray-1", RSA2);
    for backend in backends() {
        let b = backend.name();
        let clerk = JwksServer::start(&[&clerk_key]).await;
        let auth0 = JwksServer::start(&[&auth0_key]).await;
        let providers = vec![
            format!("source=head_shakers,jwks={},issuer={CLERK}", clerk.url)
                .parse::<api::auth::ProviderSpec>()
                .unwrap_or_else(|e| panic!("{e}")),
            format!(
                "source=character_creation, jwks={}, issuer={AUTH0}, audience={AUDIENCE}",
                auth0.url
            )
            .parse()
            .unwrap_or_else(|e| panic!("{e}")),
        ];
        let app = TestApp::spawn_with(&backend, Data::Empty, move |s| {
            s.identity_providers = providers;
        })
        .await;
        let db = app.db(Database::HeadShakers);
        let owner = hs_user(db, 1).await;
        hs_collection(db, owner, "Public shelf", true).await;
        hs_collection(db, owner, "Private shelf", false).await;
        let token = |key: &Key, iss: &str, sub: &str, extra: Value| {
            let mut c = json!({ "sub": sub, "iss": iss, "aud": AUDIENCE, "iat": now(), "exp": now() + 600 });
            if let (Some(c), Some(extra)) = (c.as_object_mut(), extra.as_object()) {
                c.extend(extra.clone());
            }
            key.sign(&c)
        };

        // Clerk's token names no source: its issuer says Head Shakers.
        let clerk_id = format!("clerk_{owner}");
        let hs = token(&clerk_key, CLERK, &clerk_id, json!({}));
        assert_eq!(collections_seen(&app, &hs, "Clerk").await, 2, "{b}");

        // Auth0's token signs in (and provisions) a Character Creation user.
        let cc = token(
            &auth0_key,
            AUTH0,
            "auth0|ada",
            json!({ "email": "ada@example.com", "name": "Ada" }),
        );
        let r = app
            .gql(
                "{ characterCreation { viewerQuota { tier } } }",
                json!({}),
                Some(&cc),
            )
            .await;
        assert_eq!(
            r.data()["characterCreation"]["viewerQuota"]["tier"],
            "FREE",
            "{b}: {}",
            r.body
        );

        // Each provider's keys count for its own issuer only, and a token cannot move itself
        // to another source or audience.
        for (what, forged) in [
            (
                "Auth0's key under Clerk's issuer",
                token(&auth0_key, CLERK, &clerk_id, json!({})),
            ),
            (
                "Clerk's key under Auth0's issuer",
                token(&clerk_key, AUTH0, "auth0|ada", json!({})),
            ),
            (
                "a Clerk token claiming another source",
                token(
                    &clerk_key,
                    CLERK,
                    &clerk_id,
                    json!({ "source": "character_creation" }),
                ),
            ),
            (
                "an Auth0 token for another audience",
                token(
                    &auth0_key,
                    AUTH0,
                    "auth0|ada",
                    json!({ "aud": "elsewhere" }),
                ),
            ),
            (
                "an unknown issuer",
                token(&stray_key, "https://stray.test/", &clerk_id, json!({})),
            ),
        ] {
            assert_refused(&app, &forged, what).await;
        }
        assert!(auth0.hits() >= 1 && clerk.hits() >= 1, "{b}");
    }
}

#[tokio::test]
async fn a_configured_issuer_and_audience_must_be_carried() {
    const AUTH0: &str = "https://character-creation.auth0.test/";
    let rsa1 = Key::rsa("rsa-1", RSA1);
    let auth0_key = Key::ec("auth0-1", EC1);
    for backend in backends() {
        let b = backend.name();
        // GATEWAY_JWKS_URL with GATEWAY_JWT_ISSUER / _AUDIENCE, and a provider with an audience.
        let jwks = JwksServer::start(&[&rsa1]).await;
        let auth0 = JwksServer::start(&[&auth0_key]).await;
        let provider = format!(
            "source=character_creation,jwks={},issuer={AUTH0},audience={AUDIENCE}",
            auth0.url
        )
        .parse::<api::auth::ProviderSpec>()
        .unwrap_or_else(|e| panic!("{e}"));
        let url = jwks.url.clone();
        let app = TestApp::spawn_with(&backend, Data::Empty, move |s| {
            s.jwks_url = Some(url);
            s.jwt_issuer = Some(ISSUER.into());
            s.jwt_audience = Some(AUDIENCE.into());
            s.identity_providers = vec![provider];
        })
        .await;
        let db = app.db(Database::HeadShakers);
        let owner = hs_user(db, 1).await;
        hs_collection(db, owner, "Public shelf", true).await;
        hs_collection(db, owner, "Private shelf", false).await;
        let owner = format!("clerk_{owner}");
        let without = |claim: &str| {
            let mut c = claims(&owner);
            c.as_object_mut().map(|o| o.remove(claim));
            c
        };
        let with = |claim: &str, value: Value| {
            let mut c = claims(&owner);
            c[claim] = value;
            c
        };

        // A token leaving out the configured audience or issuer is refused like one naming
        // another; an `iss` is one string, not a list that merely includes the issuer.
        for (what, c) in [
            ("no aud", without("aud")),
            ("empty aud", with("aud", json!([]))),
            ("null aud", with("aud", Value::Null)),
            ("no iss", without("iss")),
            (
                "iss among others",
                with("iss", json!(["https://evil.test/", ISSUER])),
            ),
            ("iss as a list", with("iss", json!([ISSUER]))),
            ("not yet valid", with("nbf", json!(now() + 300))),
        ] {
            assert_refused(&app, &rsa1.sign(&c), &format!("{b}: {what}")).await;
        }
        // An audience list naming the gateway is addressed to it (RFC 7519 §4.1.3); a token
        // valid within the clock-skew leeway (30 s) is accepted.
        for (what, c) in [
            ("aud list", with("aud", json!(["someone-else", AUDIENCE]))),
            ("nbf within the leeway", with("nbf", json!(now() + 10))),
        ] {
            assert_eq!(
                collections_seen(&app, &rsa1.sign(&c), what).await,
                2,
                "{b}: {what}"
            );
        }

        // The provider with an audience: a token without `aud` is refused too.
        let auth0_token = |extra: Value| {
            let mut c = json!({ "sub": "auth0|ada", "iss": AUTH0, "email": "ada@example.com",
                "name": "Ada", "iat": now(), "exp": now() + 600 });
            if let (Some(c), Some(extra)) = (c.as_object_mut(), extra.as_object()) {
                c.extend(extra.clone());
            }
            auth0_key.sign(&c)
        };
        assert_refused(
            &app,
            &auth0_token(json!({})),
            &format!("{b}: provider, no aud"),
        )
        .await;
        assert_refused(
            &app,
            &auth0_token(json!({ "aud": AUDIENCE, "nbf": now() + 300 })),
            &format!("{b}: provider, not yet valid"),
        )
        .await;
        let r = app
            .gql(
                "{ characterCreation { viewerQuota { tier } } }",
                json!({}),
                Some(&auth0_token(json!({ "aud": AUDIENCE }))),
            )
            .await;
        assert_eq!(
            r.data()["characterCreation"]["viewerQuota"]["tier"],
            "FREE",
            "{b}: {}",
            r.body
        );
    }
}

#[tokio::test]
async fn a_retired_key_stops_counting_once_the_key_set_ages() {
    let rsa1 = Key::rsa("rsa-1", RSA1);
    let rsa2 = Key::rsa("rsa-2", RSA2);
    let backend = &backends()[0];
    let jwks = JwksServer::start(&[&rsa1, &rsa2]).await;
    let url = jwks.url.clone();
    let app = TestApp::spawn_with(backend, Data::Empty, move |s| {
        s.jwks_url = Some(url);
        s.jwt_issuer = Some(ISSUER.into());
        s.jwt_audience = Some(AUDIENCE.into());
        s.jwks_max_age_secs = 1;
    })
    .await;
    let db = app.db(Database::HeadShakers);
    let owner = hs_user(db, 1).await;
    hs_collection(db, owner, "Public shelf", true).await;
    hs_collection(db, owner, "Private shelf", false).await;
    let owner = format!("clerk_{owner}");
    let old = rsa1.sign(&claims(&owner));
    assert_eq!(collections_seen(&app, &old, "before rotation").await, 2);
    assert_eq!(jwks.hits(), 1);
    // Within its age the set is not fetched again.
    assert_eq!(collections_seen(&app, &old, "cached").await, 2);
    assert_eq!(jwks.hits(), 1);

    // The provider retires rsa-1; once the set has aged, it is fetched again and rsa-1 no
    // longer counts, although no token named a new key.
    jwks.serve(&[&rsa2]);
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    assert_refused(&app, &old, "retired key").await;
    assert_eq!(jwks.hits(), 2, "one fetch for the aged set");
    let new = rsa2.sign(&claims(&owner));
    assert_eq!(collections_seen(&app, &new, "current key").await, 2);
    assert_eq!(jwks.hits(), 2);
}
