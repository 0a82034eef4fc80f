//! Identity-provider tokens: RS256 and ES256 verified against a JWKS that the test serves
//! itself (keys under `tests/fixtures/`), refreshed on an unknown key id; forged, expired,
//! misaddressed and algorithm-confused tokens answer 401 `UNAUTHENTICATED`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use e2e::fixtures::{hs_collection, hs_user};
use e2e::{Backend, Data, TestApp, backends};
use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use migration::Database;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const ISSUER: &str = "https://idp.test/";
const AUDIENCE: &str = "gateway";

/// RSA 2048 private keys, PKCS#1 DER (`openssl genpkey -algorithm RSA` then
/// `openssl rsa -traditional -outform DER`).
const RSA1: &[u8] = include_bytes!("../fixtures/rsa1.der");
const RSA2: &[u8] = include_bytes!("../fixtures/rsa2.der");
/// A P-256 private key, PKCS#8 DER (`openssl genpkey -algorithm EC -pkeyopt
/// ec_paramgen_curve:P-256` then `openssl pkcs8 -topk8 -nocrypt -outform DER`).
const EC1: &[u8] = include_bytes!("../fixtures/ec1.der");

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

/// A JWKS served over HTTP on a free local port; the set can be replaced (key rotation).
struct JwksServer {
    url: String,
    body: Arc<Mutex<String>>,
    hits: Arc<AtomicUsize>,
}

impl JwksServer {
    async fn start(keys: &[&Key]) -> JwksServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("bind: {e}"));
        let addr = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("addr: {e}"));
        let server = JwksServer {
            url: format!("http://{addr}/.well-known/jwks.json"),
            body: Arc::new(Mutex::new(String::new())),
            hits: Arc::new(AtomicUsize::new(0)),
        };
        server.serve(keys);
        let (body, hits) = (server.body.clone(), server.hits.clone());
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let (body, hits) = (body.clone(), hits.clone());
                tokio::spawn(async move {
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
    let url = jwks.url.clone();
    let app = TestApp::spawn_with(backend, Data::Empty, move |s| {
        s.jwks_url = Some(url);
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
