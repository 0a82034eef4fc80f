//! Who is asking: the bearer token of a request, verified.
//!
//! A token names one source (`source`, or the namespaced custom claim [`SOURCE_CLAIM`]) and a
//! subject (`sub`). Two issuers are accepted:
//! - **the gateway itself**: HS256 with the configured secret. Its tokens name the source's own
//!   user key (`users.id`, the usegemz Clerk id, the BetterAuth user id, the Deed-O auth
//!   `users.id`); those it issues at Deed-O's `verifyOtp` also carry `sid`, the `tokens` row of
//!   the session. `gateway mint-token` prints development tokens;
//! - **identity providers**: RS256 and ES256 verified against a provider's JWKS, fetched on
//!   first use, cached, and fetched again when a token names an unknown key id (at most once
//!   every [`REFRESH_INTERVAL`]) or once the set is older than its maximum age ([`KEY_MAX_AGE`]
//!   unless configured), so that a retired key stops counting. Their subject is the provider's user id (a Clerk or Auth0 id, a
//!   BetterAuth user id). Each application signs in with its own provider, so each source can
//!   have one (`GATEWAY_IDENTITY_PROVIDERS`, [`ProviderSpec`]): a token is verified with the
//!   keys of the provider whose issuer its `iss` names, must carry that issuer (and audience,
//!   when set), and is for that provider's source without any custom claim. Beside them, one
//!   provider for any source (`GATEWAY_JWKS_URL`) takes tokens naming their source in a claim;
//!   when `GATEWAY_JWT_ISSUER` / `GATEWAY_JWT_AUDIENCE` are set, its tokens must carry that
//!   issuer / audience (a token without the claim is refused like one naming another).
//!
//! The JWKS is fetched over `https://` (plain `http://` only from a loopback address: keys
//! fetched in clear from elsewhere could be substituted on the way), and redirects are followed
//! only to such URLs. TLS is rustls with the *ring* crypto provider, chosen explicitly
//! ([`crypto_provider`]): reqwest is built with `rustls-no-provider`, sparing the build
//! aws-lc-rs (a long C build). The server's certificate must chain to a root of the system's
//! store (rustls-platform-verifier, which that reqwest feature brings anyway: no compiled-in
//! bundle to go stale, and CAs installed on the machine are honoured) or to one of the extra CA
//! certificates of `GATEWAY_JWKS_CA` (a private identity provider, tests).
//!
//! `alg: none`, any other algorithm, an HS256 token whose `kid` names a key of the JWKS
//! (algorithm confusion), a bad signature, an expired or not-yet-valid token are all refused
//! with `UNAUTHENTICATED`. Role claims are ignored: [`crate::identity`] maps the subject to the
//! source's user and takes the roles from the source's own data.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, JwkSet, KeyAlgorithm};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;

use crate::error::ApiError;

/// Clock skew tolerated on `exp` / `nbf`, in seconds.
const LEEWAY_SECS: u64 = 30;

/// Shortest time between two fetches of the JWKS caused by unknown key ids.
pub const REFRESH_INTERVAL: Duration = Duration::from_secs(30);

/// How long a fetched key set is trusted before it is fetched again (`GATEWAY_JWKS_MAX_AGE_SECS`).
pub const KEY_MAX_AGE: Duration = Duration::from_secs(3600);

/// The custom claim naming the gateway source when the standard `source` claim is absent.
pub const SOURCE_CLAIM: &str = "https://gateway/source";

/// The claims read from a verified token (any issuer).
#[derive(Debug, Deserialize)]
struct Incoming {
    /// The source's user key.
    sub: String,
    /// The source id.
    #[serde(default)]
    source: Option<String>,
    /// The source id, as an identity provider's namespaced custom claim.
    #[serde(default, rename = "https://gateway/source")]
    namespaced_source: Option<String>,
    /// The Deed-O `tokens` row of a session the gateway issued.
    #[serde(default)]
    sid: Option<i32>,
    /// The subject's e-mail address, as an identity provider states it.
    #[serde(default)]
    email: Option<String>,
    /// The subject's display name, as an identity provider states it.
    #[serde(default)]
    name: Option<String>,
    /// The issuer, compared with the configured one after the validation.
    #[serde(default)]
    iss: Option<serde_json::Value>,
    /// Expiry (required and checked by the validation).
    exp: u64,
}

/// The claims of a gateway bearer token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The source's user key.
    pub sub: String,
    /// The source id the subject belongs to.
    pub source: String,
    /// The Deed-O `tokens` row of the session, for tokens `verifyOtp` issues.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<i32>,
    /// Issued at (seconds since the epoch).
    pub iat: u64,
    /// Expiry (seconds since the epoch).
    pub exp: u64,
}

/// Who signed the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Issuer {
    /// The gateway's own secret (HS256): the subject is the source's user key.
    Gateway,
    /// An identity provider's key from the JWKS: the subject is the provider's user id.
    Provider,
}

/// A verified token, before its subject is mapped to a user ([`crate::identity::resolve`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    /// The source id the token is for.
    pub source: String,
    /// `sub`.
    pub subject: String,
    /// Who signed it.
    pub issuer: Issuer,
    /// The Deed-O `tokens` row of the session (`sid`).
    pub session: Option<i32>,
    /// The e-mail address a provider states.
    pub email: Option<String>,
    /// The display name a provider states.
    pub name: Option<String>,
    /// When the token expires (`exp`, seconds since the epoch): a long-lived session (a
    /// WebSocket connection) stands on it no longer than that.
    pub expires_at: u64,
}

/// The identity a request acts as: a user of one source, with the roles that source's data
/// gives them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Viewer {
    /// `(source id, user key)` when a valid token was presented.
    pub user: Option<(String, String)>,
    /// Roles within that source (`admin`, `moderator`), from its data.
    pub roles: Vec<String>,
    /// The Deed-O `tokens` row the request's session stands on (`sid`), for `signOut`.
    pub session: Option<i32>,
    /// When the token the viewer signed in with expires (`exp`, seconds since the epoch;
    /// `None`: anonymous). A subscription, on any transport, ends then
    /// ([`crate::http::live`]).
    pub expires_at: Option<u64>,
    /// The keys of the users of the viewer's source who blocked the viewer, read with the
    /// viewer's account (Head Shakers, HS-OP26): the access rules leave them and their content
    /// out by these keys rather than by a subquery in every statement.
    pub blocked_by: Vec<String>,
}

impl Viewer {
    /// The anonymous viewer.
    pub fn anonymous() -> Self {
        Viewer::default()
    }

    /// The viewer's user key within `source`, if the token is for that source.
    pub fn key_in(&self, source: &str) -> Option<&str> {
        match &self.user {
            Some((s, k)) if s == source => Some(k.as_str()),
            _ => None,
        }
    }

    /// The signed-in user of `source` (named `name` in messages), their key parsed as `T` (a
    /// row id, a Clerk id …): `UNAUTHENTICATED` when the request is not signed in to `source`
    /// or its key is not of that form.
    pub fn user_in<T: std::str::FromStr>(&self, source: &str, name: &str) -> Result<T, ApiError> {
        let key = self
            .key_in(source)
            .ok_or_else(|| unauthenticated(format!("sign in to {name} to do this")))?;
        key.parse()
            .map_err(|_| unauthenticated(format!("the token does not name a {name} user")))
    }

    /// Whether the viewer is an admin of `source`.
    pub fn is_admin(&self, source: &str) -> bool {
        self.has_role(source, "admin")
    }

    /// Whether the viewer holds `role` in `source`.
    pub fn has_role(&self, source: &str, role: &str) -> bool {
        self.key_in(source).is_some() && self.roles.iter().any(|r| r == role)
    }

    /// A stable text identifying the viewer, part of every batch key so that no batch mixes
    /// two viewers' visibility.
    pub fn scope(&self) -> String {
        match &self.user {
            Some((s, k)) => format!("{s}:{k}:{}", self.roles.join(",")),
            None => "anonymous".to_owned(),
        }
    }
}

/// Signs and verifies bearer tokens.
#[derive(Clone)]
pub struct Tokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
    jwks: Option<Arc<Jwks>>,
    issuer: Option<String>,
    audience: Option<String>,
    providers: Vec<Provider>,
    key_max_age: Duration,
}

/// An identity provider trusted for one source (`GATEWAY_IDENTITY_PROVIDERS`): its tokens are
/// told apart by their issuer and need no source claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderSpec {
    /// The gateway source whose users it signs in (`head_shakers`, `character_creation`, …).
    pub source: String,
    /// Its key set.
    pub jwks: String,
    /// Its `iss`, exactly.
    pub issuer: String,
    /// The `aud` its tokens must carry, when set.
    pub audience: Option<String>,
}

impl std::str::FromStr for ProviderSpec {
    type Err = String;

    /// `source=<id>,jwks=<url>,issuer=<iss>[,audience=<aud>]`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (mut source, mut jwks, mut issuer, mut audience) = (None, None, None, None);
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (k, v) = part
                .split_once('=')
                .ok_or_else(|| format!("`{part}` is not `key=value`"))?;
            let slot = match k.trim() {
                "source" => &mut source,
                "jwks" => &mut jwks,
                "issuer" => &mut issuer,
                "audience" => &mut audience,
                other => {
                    return Err(format!(
                        "unknown key `{other}` (source, jwks, issuer, audience)"
                    ));
                }
            };
            *slot = Some(v.trim().to_owned());
        }
        let need = |v: Option<String>, k: &str| {
            v.filter(|v| !v.is_empty())
                .ok_or_else(|| format!("`{s}` gives no `{k}=`"))
        };
        Ok(ProviderSpec {
            source: need(source, "source")?,
            jwks: need(jwks, "jwks")?,
            issuer: need(issuer, "issuer")?,
            audience: audience.filter(|a| !a.is_empty()),
        })
    }
}

/// A configured [`ProviderSpec`] with its key set.
#[derive(Clone)]
struct Provider {
    source: String,
    issuer: String,
    audience: Option<String>,
    jwks: Arc<Jwks>,
}

/// The one claim read before verification: which provider to verify with.
#[derive(Deserialize)]
struct Peek {
    #[serde(default)]
    iss: Option<String>,
}

/// The key set of an identity provider, fetched from its URL and cached.
struct Jwks {
    url: String,
    client: reqwest::Client,
    cache: Mutex<Cache>,
}

/// The last fetched key set and when it was fetched.
#[derive(Default)]
struct Cache {
    keys: Option<Arc<JwkSet>>,
    fetched: Option<Instant>,
}

impl Jwks {
    /// A key set fetched from `url` over https (plain http only from a loopback address) from a
    /// server whose certificate chains to the system's roots or to a certificate of the PEM file
    /// `extra_ca`.
    fn new(url: &str, extra_ca: Option<&Path>) -> Result<Jwks, ApiError> {
        let parsed = reqwest::Url::parse(url)
            .map_err(|e| ApiError::Internal(format!("JWKS URL `{url}`: {e}")))?;
        if !transport_trusted(&parsed) {
            return Err(ApiError::Internal(format!(
                "the JWKS URL `{url}` must be an https:// URL (plain http:// only on a \
                 loopback address: http://127.0.0.1, http://localhost, http://[::1]), since keys \
                 fetched in clear could be substituted on the way"
            )));
        }
        let extra = match extra_ca {
            Some(path) => extra_roots(path)?,
            None => Vec::new(),
        };
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::custom(|attempt| {
                let refused = !transport_trusted(attempt.url());
                if refused {
                    let to = attempt.url().to_string();
                    attempt.error(format!("redirect to `{to}` refused: not https"))
                } else if attempt.previous().len() >= 10 {
                    attempt.error("too many redirects")
                } else {
                    attempt.follow()
                }
            }))
            .tls_backend_preconfigured(tls_config(&parsed, extra)?)
            .build()
            .map_err(|e| ApiError::Internal(format!("JWKS client: {e}")))?;
        Ok(Jwks {
            url: url.to_owned(),
            client,
            cache: Mutex::new(Cache::default()),
        })
    }

    /// The key named `kid`: from the cache, or after a refresh when the cache does not know it
    /// (and the last fetch is older than [`REFRESH_INTERVAL`]).
    ///
    /// A set older than `max_age` is fetched again before use, so that a key the provider has
    /// retired stops being trusted even when no token names a new one; if that fetch fails the
    /// old set serves until `max_age` has passed once more.
    async fn key(&self, kid: &str, max_age: Duration) -> Result<Option<Jwk>, ApiError> {
        let mut cache = self.cache.lock().await;
        let aged = cache.fetched.is_some_and(|at| at.elapsed() >= max_age);
        if aged {
            cache.fetched = Some(Instant::now());
            match self.fetch().await {
                Ok(set) => cache.keys = Some(Arc::new(set)),
                Err(_) => tracing::warn!(url = %self.url, "keeping the previous key set"),
            }
        }
        if let Some(k) = cache.keys.as_ref().and_then(|s| s.find(kid)) {
            return Ok(Some(k.clone()));
        }
        let stale = cache
            .fetched
            .is_none_or(|at| at.elapsed() >= REFRESH_INTERVAL);
        if !stale {
            return Ok(None);
        }
        cache.fetched = Some(Instant::now());
        let set = self.fetch().await?;
        let found = set.find(kid).cloned();
        cache.keys = Some(Arc::new(set));
        Ok(found)
    }

    /// GETs and parses the key set.
    async fn fetch(&self) -> Result<JwkSet, ApiError> {
        let failed = |e: String| {
            tracing::warn!(url = %self.url, error = %e, "JWKS fetch failed");
            ApiError::Unauthenticated("the identity provider's signing keys are unavailable".into())
        };
        let response = self
            .client
            .get(&self.url)
            .send()
            .await
            .map_err(|e| failed(e.to_string()))?;
        if !response.status().is_success() {
            return Err(failed(format!("status {}", response.status())));
        }
        let set = response
            .json::<JwkSet>()
            .await
            .map_err(|e| failed(e.to_string()))?;
        tracing::info!(url = %self.url, keys = set.keys.len(), "JWKS fetched");
        Ok(set)
    }
}

/// The TLS crypto provider of the gateway's HTTP clients: ring (reqwest is built with
/// `rustls-no-provider`, without aws-lc-rs).
pub fn crypto_provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Installs ring as the process-wide default rustls provider unless one is installed already:
/// without it, a reqwest client built without a preconfigured TLS configuration
/// (`reqwest::Client::new()`) panics, `rustls-no-provider` shipping no default.
pub fn install_crypto_provider() {
    if CryptoProvider::get_default().is_none() {
        // Err: another thread installed one meanwhile, which is as good.
        rustls::crypto::ring::default_provider()
            .install_default()
            .ok();
    }
}

/// Whether keys fetched from `url` cannot be substituted on the way: https, or plain http to a
/// loopback address (this machine).
fn transport_trusted(url: &reqwest::Url) -> bool {
    match url.scheme() {
        "https" => true,
        "http" => {
            let host = url.host_str().unwrap_or_default();
            let host = host.trim_start_matches('[').trim_end_matches(']');
            host.eq_ignore_ascii_case("localhost")
                || host
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback())
        }
        _ => false,
    }
}

/// The CA certificates of the PEM file `path` (`GATEWAY_JWKS_CA`), each checked to be a usable
/// trust anchor.
fn extra_roots(path: &Path) -> Result<Vec<CertificateDer<'static>>, ApiError> {
    let bad = |e: String| ApiError::Internal(format!("GATEWAY_JWKS_CA {}: {e}", path.display()));
    let pem = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
    let certs = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| bad(e.to_string()))?;
    if certs.is_empty() {
        return Err(bad(
            "no PEM certificate (`-----BEGIN CERTIFICATE-----`) in it".into(),
        ));
    }
    let mut store = rustls::RootCertStore::empty();
    for cert in &certs {
        store
            .add(cert.clone())
            .map_err(|e| bad(format!("not a CA certificate: {e}")))?;
    }
    Ok(certs)
}

/// The TLS configuration of the JWKS client: ring, and the system's roots plus `extra`.
fn tls_config(
    url: &reqwest::Url,
    extra: Vec<CertificateDer<'static>>,
) -> Result<rustls::ClientConfig, ApiError> {
    let failed = |e: rustls::Error| ApiError::Internal(format!("JWKS client TLS: {e}"));
    let provider = crypto_provider();
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(failed)?;
    let builder = match rustls_platform_verifier::Verifier::new_with_extra_roots(extra, provider) {
        Ok(verifier) => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier)),
        // No CA certificate on this machine: plain http on loopback needs none (a redirect
        // to https then fails); https does.
        Err(e) if url.scheme() == "http" => {
            tracing::warn!(error = %e, "no trusted CA certificates: the JWKS client trusts no https server");
            builder.with_root_certificates(rustls::RootCertStore::empty())
        }
        Err(e) => {
            return Err(ApiError::Internal(format!(
                "GATEWAY_JWKS_URL: no trusted CA certificates ({e}); install the system's CA \
                     certificates or name a PEM file of them in GATEWAY_JWKS_CA"
            )));
        }
    };
    Ok(builder.with_no_client_auth())
}

/// Whether `jwk` is a key usable with `alg` (RSA for RS256, P-256 for ES256, and the key's own
/// `alg`, when it names one, equal to `alg`).
fn fits(jwk: &Jwk, alg: Algorithm) -> bool {
    let kind = match (&jwk.algorithm, alg) {
        (AlgorithmParameters::RSA(_), Algorithm::RS256) => true,
        (AlgorithmParameters::EllipticCurve(ec), Algorithm::ES256) => {
            ec.curve == EllipticCurve::P256
        }
        _ => false,
    };
    let named = match jwk.common.key_algorithm {
        None => true,
        Some(KeyAlgorithm::RS256) => alg == Algorithm::RS256,
        Some(KeyAlgorithm::ES256) => alg == Algorithm::ES256,
        Some(_) => false,
    };
    kind && named
}

fn unauthenticated(message: impl Into<String>) -> ApiError {
    ApiError::Unauthenticated(message.into())
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tokens(..)")
    }
}

impl Tokens {
    /// Keys for the HS256 `secret`.
    pub fn new(secret: &str) -> Self {
        Tokens {
            encoding: EncodingKey::from_secret(secret.as_bytes()),
            decoding: DecodingKey::from_secret(secret.as_bytes()),
            jwks: None,
            issuer: None,
            audience: None,
            providers: Vec::new(),
            key_max_age: KEY_MAX_AGE,
        }
    }

    /// Fetches a provider's key set again once it is older than `max_age` (default
    /// [`KEY_MAX_AGE`]).
    pub fn with_key_max_age(mut self, max_age: Duration) -> Self {
        self.key_max_age = max_age;
        self
    }

    /// Also accepts RS256 / ES256 tokens signed by a key of the JWKS at `url`, fetched over
    /// https (plain http only from a loopback address) from a server whose certificate chains
    /// to the system's roots or to a certificate of the PEM file `extra_ca`.
    pub fn with_jwks(mut self, url: &str, extra_ca: Option<&Path>) -> Result<Self, ApiError> {
        self.jwks = Some(Arc::new(Jwks::new(url, extra_ca)?));
        Ok(self)
    }

    /// Also accepts RS256 / ES256 tokens whose `iss` is the provider's, for its source (see
    /// [`ProviderSpec`]), their keys fetched as [`Tokens::with_jwks`] fetches them.
    pub fn with_provider(
        mut self,
        spec: &ProviderSpec,
        extra_ca: Option<&Path>,
    ) -> Result<Self, ApiError> {
        if self.providers.iter().any(|p| p.issuer == spec.issuer) {
            return Err(ApiError::Internal(format!(
                "GATEWAY_IDENTITY_PROVIDERS names the issuer `{}` twice: a token could not tell \
                 which source it is for",
                spec.issuer
            )));
        }
        self.providers.push(Provider {
            source: spec.source.clone(),
            issuer: spec.issuer.clone(),
            audience: spec.audience.clone(),
            jwks: Arc::new(Jwks::new(&spec.jwks, extra_ca)?),
        });
        Ok(self)
    }

    /// Requires `iss` of identity-provider tokens to be `issuer`.
    pub fn with_issuer(mut self, issuer: Option<String>) -> Self {
        self.issuer = issuer;
        self
    }

    /// Requires `aud` of identity-provider tokens to include `audience`.
    pub fn with_audience(mut self, audience: Option<String>) -> Self {
        self.audience = audience;
        self
    }

    /// A token for the user whose key in `source` is `user`, valid for `ttl_secs`.
    pub fn mint(&self, source: &str, user: &str, ttl_secs: u64) -> Result<String, ApiError> {
        self.mint_session(source, user, None, ttl_secs)
    }

    /// A token for `user` of `source` bound to the session row `sid` (Deed-O `tokens.id`).
    pub fn mint_session(
        &self,
        source: &str,
        user: &str,
        sid: Option<i32>,
        ttl_secs: u64,
    ) -> Result<String, ApiError> {
        let now = now_secs();
        let claims = Claims {
            sub: user.to_owned(),
            source: source.to_owned(),
            sid,
            iat: now,
            exp: now + ttl_secs,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| ApiError::Internal(format!("sign token: {e}")))
    }

    /// Every identity provider's key set.
    fn key_sets(&self) -> impl Iterator<Item = &Arc<Jwks>> {
        self.jwks
            .iter()
            .chain(self.providers.iter().map(|p| &p.jwks))
    }

    /// The verified token of an `Authorization` header value (`None`: no header, anonymous).
    pub async fn verify(&self, authorization: Option<&str>) -> Result<Option<Claimed>, ApiError> {
        let Some(value) = authorization else {
            return Ok(None);
        };
        let token = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .ok_or_else(|| unauthenticated("the Authorization header must be `Bearer <token>`"))?
            .trim();
        let invalid =
            |e: jsonwebtoken::errors::Error| unauthenticated(format!("invalid bearer token: {e}"));
        // An unknown `alg` (`none` included) fails here.
        let header = jsonwebtoken::decode_header(token).map_err(invalid)?;
        let mut validation = Validation::new(header.alg);
        validation.leeway = LEEWAY_SECS;
        validation.validate_nbf = true;
        validation.set_required_spec_claims(&["exp", "sub"]);
        let mut bound_source = None;
        let (claims, issuer) = match header.alg {
            Algorithm::HS256 => {
                if let Some(kid) = header.kid.as_deref() {
                    for jwks in self.key_sets() {
                        if jwks.key(kid, self.key_max_age).await?.is_some() {
                            return Err(unauthenticated(
                                "invalid bearer token: an HS256 token may not name a key of an identity provider",
                            ));
                        }
                    }
                }
                validation.validate_aud = false;
                let claims = jsonwebtoken::decode::<Incoming>(token, &self.decoding, &validation)
                    .map_err(invalid)?
                    .claims;
                (claims, Issuer::Gateway)
            }
            Algorithm::RS256 | Algorithm::ES256 => {
                // Only to choose the keys: the claim is checked with the signature below.
                let iss = jsonwebtoken::dangerous::insecure_decode_claims::<Peek>(token)
                    .ok()
                    .and_then(|p| p.iss);
                let provider = self
                    .providers
                    .iter()
                    .find(|p| iss.as_deref() == Some(p.issuer.as_str()));
                let (jwks, required_issuer, audience) = match (provider, &self.jwks) {
                    (Some(p), _) => {
                        bound_source = Some(p.source.as_str());
                        (&p.jwks, Some(&p.issuer), p.audience.as_ref())
                    }
                    (None, Some(jwks)) => (jwks, self.issuer.as_ref(), self.audience.as_ref()),
                    (None, None) => {
                        return Err(unauthenticated(match iss {
                            Some(iss) if !self.providers.is_empty() => format!(
                                "invalid bearer token: no identity provider is trusted for the issuer `{iss}`"
                            ),
                            _ => format!(
                                "invalid bearer token: {:?} tokens are not accepted (no identity provider is configured)",
                                header.alg
                            ),
                        }));
                    }
                };
                let kid = header.kid.as_deref().ok_or_else(|| {
                    unauthenticated("invalid bearer token: the header has no `kid`")
                })?;
                let jwk = jwks.key(kid, self.key_max_age).await?.ok_or_else(|| {
                    unauthenticated(format!("invalid bearer token: unknown key id `{kid}`"))
                })?;
                if !fits(&jwk, header.alg) {
                    return Err(unauthenticated(format!(
                        "invalid bearer token: key `{kid}` is not a {:?} key",
                        header.alg
                    )));
                }
                let key = DecodingKey::from_jwk(&jwk).map_err(invalid)?;
                // jsonwebtoken compares `iss` and `aud` only when the token carries them: a
                // configured issuer or audience must also be required, or a token leaving the
                // claim out would pass.
                let mut required = vec!["exp", "sub"];
                if let Some(iss) = required_issuer {
                    validation.set_issuer(&[iss]);
                    required.push("iss");
                }
                match audience {
                    Some(aud) => {
                        validation.set_audience(&[aud]);
                        required.push("aud");
                    }
                    None => validation.validate_aud = false,
                }
                validation.set_required_spec_claims(&required);
                let claims = jsonwebtoken::decode::<Incoming>(token, &key, &validation)
                    .map_err(invalid)?
                    .claims;
                // jsonwebtoken also takes an array `iss` naming the issuer among others; an
                // issuer is one string (RFC 7519 §4.1.1), and it must be the configured one.
                if let Some(required) = required_issuer
                    && claims.iss.as_ref().and_then(|v| v.as_str()) != Some(required.as_str())
                {
                    return Err(unauthenticated(
                        "invalid bearer token: `iss` must be the issuer, one string",
                    ));
                }
                (claims, Issuer::Provider)
            }
            other => {
                return Err(unauthenticated(format!(
                    "invalid bearer token: {other:?} is not accepted (HS256, RS256 or ES256)"
                )));
            }
        };
        let named = claims.source.or(claims.namespaced_source);
        let source = match (bound_source, named) {
            (Some(bound), Some(named)) if named != bound => {
                return Err(unauthenticated(format!(
                    "invalid bearer token: its issuer signs in users of `{bound}`, not `{named}`"
                )));
            }
            (Some(bound), _) => bound.to_owned(),
            (None, Some(named)) => named,
            (None, None) => {
                return Err(unauthenticated(format!(
                    "invalid bearer token: it names no gateway source (claim `source` or `{SOURCE_CLAIM}`)"
                )));
            }
        };
        Ok(Some(Claimed {
            source,
            subject: claims.sub,
            issuer,
            // Only the gateway binds sessions; a provider's `sid` means something else.
            session: claims.sid.filter(|_| issuer == Issuer::Gateway),
            email: claims.email,
            name: claims.name,
            expires_at: claims.exp,
        }))
    }
}

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn minted_tokens_verify_and_forged_ones_do_not() -> Result<(), ApiError> {
        let tokens = Tokens::new("secret");
        let t = tokens.mint("usegemz", "user_2abc", 60)?;
        let c = tokens.verify(Some(&format!("Bearer {t}"))).await?;
        let c = c.ok_or_else(|| ApiError::Internal("no claims".into()))?;
        assert_eq!(
            (c.source.as_str(), c.subject.as_str()),
            ("usegemz", "user_2abc")
        );
        assert_eq!((c.issuer, c.session), (Issuer::Gateway, None));
        let s = tokens.mint_session("deed_o", "7", Some(3), 60)?;
        let c = tokens.verify(Some(&format!("Bearer {s}"))).await?;
        assert_eq!(c.and_then(|c| c.session), Some(3));
        let other = Tokens::new("other");
        assert!(other.verify(Some(&format!("Bearer {t}"))).await.is_err());
        assert!(tokens.verify(Some("Basic abc")).await.is_err());
        assert_eq!(tokens.verify(None).await?, None);
        Ok(())
    }

    #[test]
    fn key_sets_come_over_https_or_from_this_machine() -> Result<(), ApiError> {
        let trusted = |url: &str| {
            reqwest::Url::parse(url)
                .map(|u| transport_trusted(&u))
                .map_err(|e| ApiError::Internal(format!("{url}: {e}")))
        };
        for url in [
            "https://idp.example.com/.well-known/jwks.json",
            "https://10.0.0.7:8443/jwks",
            "http://127.0.0.1:8080/jwks",
            "http://127.0.0.2/jwks",
            "http://LOCALHOST/jwks",
            "http://[::1]:9000/jwks",
        ] {
            assert!(trusted(url)?, "{url}");
        }
        for url in [
            "http://idp.example.com/.well-known/jwks.json",
            "http://10.0.0.7/jwks",
            "http://[::2]/jwks",
            "http://localhost.example.com/jwks",
            "http://127.0.0.1.nip.io/jwks",
            "ftp://127.0.0.1/jwks",
            "file:///etc/jwks.json",
        ] {
            assert!(!trusted(url)?, "{url}");
        }
        let refused = Tokens::new("s").with_jwks("http://idp.example.com/jwks", None);
        assert!(matches!(refused, Err(ApiError::Internal(m)) if m.contains("https://")));
        Ok(())
    }
}
