//! Builds the application from [`Settings`]: connections, migrations, demo data on a new
//! embedded database, the schema and the router, bound to a listener (port 0 in tests).

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use async_graphql::dynamic::Schema;
use migration::Database;
use tokio::net::TcpListener;

use crate::auth::Tokens;
use crate::config::Settings;
use crate::db::{Connections, Target, target};
use crate::error::ApiError;
use crate::http::server::ConnLimits;
use crate::http::{AppState, Cors, Shutdown, router};
use crate::sources::SOURCES;

/// The executable schema with the default limits, built without any database.
pub fn schema() -> Result<Schema, ApiError> {
    crate::graphql::schema::build(SOURCES).map_err(|e| ApiError::Internal(format!("schema: {e}")))
}

/// The executable schema with the limits, introspection switch and source settings of
/// `settings` (its SDL is that of [`schema`]).
pub fn schema_with(settings: &Settings) -> Result<Schema, ApiError> {
    let limits = crate::graphql::schema::Limits {
        depth: settings.max_depth,
        complexity: settings.max_complexity,
        introspection: settings.introspection,
    };
    let quotas = crate::sources::character_creation::writes::Limits {
        free: settings.cc_quota_free.0,
        premium: settings.cc_quota_premium.0,
        pro: settings.cc_quota_pro.0,
    };
    crate::graphql::schema::build_with(SOURCES, limits, |s| s.data(quotas))
        .map_err(|e| ApiError::Internal(format!("schema: {e}")))
}

/// What introspection answers as `__schema { description }`: async-graphql answers this fixed
/// text, so the SDL declares it as the schema's description, and a client that prints the
/// introspected schema (graphql-js `buildClientSchema`, codegen from the URL) gets exactly
/// `schema.graphql`.
const SCHEMA_DESCRIPTION: &str = "A GraphQL Schema defines the capabilities of a GraphQL server. It exposes all available types and directives on the server, as well as the entry points for query, mutation, and subscription operations.";

/// The SDL of [`schema`], as committed in `schema.graphql`.
pub fn sdl() -> Result<String, ApiError> {
    let sdl = schema()?.sdl();
    let described = format!("\n\"\"\"\n{SCHEMA_DESCRIPTION}\n\"\"\"\nschema {{");
    match sdl.rfind("\nschema {") {
        Some(at) => Ok(format!(
            "{}{described}{}",
            &sdl[..at],
            &sdl[at + "\nschema {".len()..]
        )),
        None => Err(ApiError::Internal("the SDL declares no schema".into())),
    }
}

/// What Apollo Client's `InMemoryCache` needs of the schema, as JSON it takes as is
/// (`new InMemoryCache(setup)`): `possibleTypes` of every union and interface, so fragments
/// on them match, and `typePolicies` that merge the sources' namespace objects (they have no
/// `id`; replacing one would drop the fields another query cached under it).
pub fn apollo_setup() -> Result<String, ApiError> {
    use crate::http::checks::Types;
    let types = Types::from_sdl(&schema()?.sdl())
        .map_err(|e| ApiError::Internal(format!("schema types: {e}")))?;
    let merged = ["Query", "Mutation"]
        .iter()
        .flat_map(|root| types.namespaces(root))
        .map(|ty| (ty, serde_json::json!({ "merge": true })))
        .collect::<serde_json::Map<_, _>>();
    let setup = serde_json::json!({
        "possibleTypes": types.possible_types(),
        "typePolicies": merged,
    });
    let text = serde_json::to_string_pretty(&setup)
        .map_err(|e| ApiError::Internal(format!("apollo setup: {e}")))?;
    Ok(text + "\n")
}

/// The document limits of `settings`, with the schema's shape when introspection is answered
/// (its objects count against the row limit).
pub fn doc_limits(
    settings: &Settings,
    schema: &Schema,
) -> Result<crate::http::checks::DocLimits, ApiError> {
    use crate::http::checks::{DocLimits, InputLimits, Shape, Types};
    let sdl = schema.sdl();
    let types =
        Types::from_sdl(&sdl).map_err(|e| ApiError::Internal(format!("schema types: {e}")))?;
    let schema = if settings.introspection {
        let shape =
            Shape::from_sdl(&sdl).map_err(|e| ApiError::Internal(format!("schema shape: {e}")))?;
        Some(Arc::new(shape))
    } else {
        None
    };
    Ok(DocLimits {
        max_aliases: settings.max_aliases,
        max_rows: settings.max_rows,
        max_depth: settings.max_depth,
        max_fields: settings.max_complexity,
        max_variables: settings.max_variables,
        inputs: InputLimits {
            depth: settings.max_input_depth,
            values: settings.max_input_values,
        },
        schema,
        max_introspections: settings.max_introspection,
        types: Arc::new(types),
    })
}

/// A number of seconds as a limit (`0`: none).
fn secs(n: u64) -> Option<Duration> {
    (n > 0).then(|| Duration::from_secs(n))
}

/// Applies every pending migration of every database.
pub async fn migrate(conns: &Connections) -> Result<(), ApiError> {
    for (db, conn) in conns.iter() {
        db.up(conn, None).await?;
    }
    Ok(())
}

/// The HS256 secret: configured, or kept in the data directory (created on first use) so that
/// `mint-token` and `serve` agree without configuration in development.
pub fn jwt_secret(settings: &Settings) -> Result<String, ApiError> {
    if let Some(s) = &settings.jwt_secret {
        return Ok(s.clone());
    }
    let path = settings.data_dir.join("jwt-secret");
    if let Ok(s) = std::fs::read_to_string(&path)
        && !s.trim().is_empty()
    {
        return Ok(s.trim().to_owned());
    }
    std::fs::create_dir_all(&settings.data_dir)
        .map_err(|e| ApiError::Internal(format!("create {}: {e}", settings.data_dir.display())))?;
    let secret = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    write_private(&path, &secret)?;
    tracing::warn!(path = %path.display(), "GATEWAY_JWT_SECRET is not set: using a generated development secret");
    Ok(secret)
}

/// The token verifier of `settings`: the HS256 secret, plus the identity providers (one for any
/// source, and one per source) when configured.
pub fn tokens(settings: &Settings) -> Result<Tokens, ApiError> {
    // reqwest ships no default TLS provider (`rustls-no-provider`): ring becomes it, so that
    // any other client of the process works too.
    crate::auth::install_crypto_provider();
    let mut tokens = Tokens::new(&jwt_secret(settings)?)
        .with_issuer(settings.jwt_issuer.clone())
        .with_audience(settings.jwt_audience.clone())
        .with_key_max_age(std::time::Duration::from_secs(settings.jwks_max_age_secs));
    if let Some(url) = &settings.jwks_url {
        tokens = tokens.with_jwks(url, settings.jwks_ca.as_deref())?;
    }
    for spec in &settings.identity_providers {
        if !SOURCES.iter().any(|s| s.id == spec.source) {
            let known: Vec<&str> = SOURCES.iter().map(|s| s.id).collect();
            return Err(ApiError::Internal(format!(
                "GATEWAY_IDENTITY_PROVIDERS: unknown source `{}` (one of {})",
                spec.source,
                known.join(", ")
            )));
        }
        tokens = tokens.with_provider(spec, settings.jwks_ca.as_deref())?;
    }
    Ok(tokens)
}

fn write_private(path: &Path, contents: &str) -> Result<(), ApiError> {
    std::fs::write(path, contents)
        .map_err(|e| ApiError::Internal(format!("write {}: {e}", path.display())))
}

/// Whether every database is embedded SQLite (demo data is written only there).
pub fn embedded(settings: &Settings) -> bool {
    Database::ALL
        .into_iter()
        .all(|db| matches!(target(settings, db), Target::Sqlite { .. }))
}

/// A bound, ready-to-serve gateway.
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    addr: SocketAddr,
    conns: Connections,
    shutdown: tokio::sync::watch::Sender<bool>,
    limits: ConnLimits,
}

/// How long [`Application::serve`] waits, after the last HTTP exchange, for subscriptions to
/// send their close.
const SESSION_DRAIN: Duration = Duration::from_secs(5);

impl Application {
    /// Connects, migrates, seeds a new embedded database and binds the listener.
    pub async fn build(settings: &Settings) -> Result<Self, ApiError> {
        let conns = Connections::connect(settings).await?;
        migrate(&conns).await?;
        if embedded(settings) && crate::seed::is_empty(&conns).await? {
            tracing::info!("new embedded database: writing demo data");
            crate::seed::seed(&conns, 1, None).await?;
        }
        Self::build_with(settings, conns).await
    }

    /// Binds a gateway over already migrated connections.
    pub async fn build_with(settings: &Settings, conns: Connections) -> Result<Self, ApiError> {
        let tokens = Arc::new(tokens(settings)?);
        let events = crate::events::EventBus::default();
        crate::events::listen(&conns, events.clone());
        let (shutdown, signal) = Shutdown::channel();
        let schema = schema_with(settings)?;
        let state = AppState {
            schema: schema.clone(),
            conns: conns.clone(),
            tokens,
            directory: crate::identity::Directory::new(settings.usegemz_admins.clone()),
            body_limit: settings.body_limit,
            graphiql: settings.graphiql,
            request_timeout: (settings.request_timeout_ms > 0)
                .then(|| std::time::Duration::from_millis(settings.request_timeout_ms)),
            doc_limits: doc_limits(settings, &schema)?,
            max_errors: settings.max_errors,
            events,
            shutdown: signal,
        };
        let cors = Cors {
            origins: settings.cors_origins.as_deref(),
            headers: settings.cors_headers.as_deref(),
            max_age: std::time::Duration::from_secs(settings.cors_max_age_secs),
        };
        let router = router(state, &cors, secs(settings.body_timeout_secs));
        let listener = TcpListener::bind(settings.listen)
            .await
            .map_err(|e| ApiError::Internal(format!("bind {}: {e}", settings.listen)))?;
        let addr = listener
            .local_addr()
            .map_err(|e| ApiError::Internal(format!("local address: {e}")))?;
        let limits = ConnLimits {
            head_timeout: secs(settings.header_timeout_secs),
            max_connections: crate::http::server::fit_connections(settings.max_connections),
        };
        Ok(Application {
            listener,
            router,
            addr,
            conns,
            shutdown,
            limits,
        })
    }

    /// The address the gateway serves on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The connections the gateway serves from.
    pub fn connections(&self) -> &Connections {
        &self.conns
    }

    /// Serves until `shutdown` completes, then refuses new connections, finishes in-flight
    /// requests and ends subscriptions (a WebSocket close, an event stream's `complete`).
    pub async fn serve(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> Result<(), ApiError> {
        let trigger = Arc::new(self.shutdown);
        let fire = trigger.clone();
        crate::http::server::serve(self.listener, self.router, self.limits, async move {
            shutdown.await;
            fire.send_replace(true);
        })
        .await;
        // Every session holds a receiver: all gone means every close was sent.
        trigger.send_replace(true);
        let _ = tokio::time::timeout(SESSION_DRAIN, trigger.closed()).await;
        Ok(())
    }
}
