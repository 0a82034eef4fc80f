//! Command line and configuration: every setting is a flag with an environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};
use migration::Database;

/// One GraphQL endpoint over the databases of five applications.
#[derive(Debug, Parser)]
#[command(name = "gateway", version, about)]
pub struct Cli {
    /// Settings shared by every command.
    #[command(flatten)]
    pub settings: Settings,
    /// What to do (default: serve).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Settings shared by every command.
#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// One database for every source (`postgres://…` or `sqlite://…`); unset: SQLite files
    /// under the data directory.
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Overrides the Head Shakers database.
    #[arg(long, env = "HEAD_SHAKERS_DATABASE_URL", global = true)]
    pub head_shakers_database_url: Option<String>,
    /// Overrides the usegemz database.
    #[arg(long, env = "USEGEMZ_DATABASE_URL", global = true)]
    pub usegemz_database_url: Option<String>,
    /// Overrides the Character Creation database.
    #[arg(long, env = "CHARACTER_CREATION_DATABASE_URL", global = true)]
    pub character_creation_database_url: Option<String>,
    /// Overrides the Mind-vault database.
    #[arg(long, env = "MIND_VAULT_DATABASE_URL", global = true)]
    pub mind_vault_database_url: Option<String>,
    /// Overrides the Deed-O main database (products, groups, messages).
    #[arg(long, env = "DEED_O_DATABASE_URL", global = true)]
    pub deed_o_database_url: Option<String>,
    /// Overrides the Deed-O auth database (users, tokens, verifications).
    #[arg(long, env = "DEED_O_AUTH_DATABASE_URL", global = true)]
    pub deed_o_auth_database_url: Option<String>,
    /// Where the embedded SQLite files live.
    #[arg(
        long,
        env = "GATEWAY_DATA_DIR",
        default_value = "./data",
        global = true
    )]
    pub data_dir: PathBuf,
    /// Address to serve on.
    #[arg(
        long,
        env = "GATEWAY_LISTEN",
        default_value = "127.0.0.1:8000",
        global = true
    )]
    pub listen: SocketAddr,
    /// HS256 secret for bearer tokens; unset: a random secret kept in the data directory.
    #[arg(
        long,
        env = "GATEWAY_JWT_SECRET",
        global = true,
        hide_env_values = true
    )]
    pub jwt_secret: Option<String>,
    /// JWKS URL of an identity provider whose RS256 / ES256 tokens are accepted; unset: only
    /// HS256 tokens signed with the secret.
    ///
    /// Fetched over https (plain http only on a loopback address: 127.0.0.1, localhost, `[::1]`).
    #[arg(long, env = "GATEWAY_JWKS_URL", global = true)]
    pub jwks_url: Option<String>,
    /// PEM file of extra CA certificates trusted for the JWKS server's certificate, beside the
    /// system's (a private identity provider); unset: the system's only.
    #[arg(long, env = "GATEWAY_JWKS_CA", global = true)]
    pub jwks_ca: Option<PathBuf>,
    /// Seconds a fetched JWKS is trusted before it is fetched again (a retired key stops
    /// counting within this time).
    #[arg(
        long,
        env = "GATEWAY_JWKS_MAX_AGE_SECS",
        default_value_t = 3600,
        global = true
    )]
    pub jwks_max_age_secs: u64,
    /// Required `iss` of identity-provider (JWKS) tokens; unset: not checked.
    #[arg(long, env = "GATEWAY_JWT_ISSUER", global = true)]
    pub jwt_issuer: Option<String>,
    /// Required `aud` of identity-provider (JWKS) tokens; unset: not checked.
    #[arg(long, env = "GATEWAY_JWT_AUDIENCE", global = true)]
    pub jwt_audience: Option<String>,
    /// One identity provider per application, `;`-separated, each
    /// `source=<source id>,jwks=<url>,issuer=<iss>[,audience=<aud>]`: its tokens are for that
    /// source, told apart by their issuer, with no custom claim.
    #[arg(
        long = "identity-provider",
        env = "GATEWAY_IDENTITY_PROVIDERS",
        global = true,
        value_delimiter = ';'
    )]
    pub identity_providers: Vec<crate::auth::ProviderSpec>,
    /// Clerk ids of usegemz admins, comma-separated, beside the `is_admin` profiles (UG-A15).
    #[arg(
        long,
        env = "GATEWAY_USEGEMZ_ADMINS",
        global = true,
        value_delimiter = ','
    )]
    pub usegemz_admins: Vec<String>,
    /// Origins allowed by CORS, comma-separated, or `*`; unset: no cross-origin access.
    #[arg(long, env = "GATEWAY_CORS_ORIGINS", global = true)]
    pub cors_origins: Option<String>,
    /// Request headers cross-origin callers may send beyond the defaults (content type,
    /// authorization, request id, W3C and Sentry tracing, Apollo client awareness),
    /// comma-separated, or `*` for any.
    #[arg(long, env = "GATEWAY_CORS_HEADERS", global = true)]
    pub cors_headers: Option<String>,
    /// How long browsers may reuse a CORS preflight answer, in seconds.
    #[arg(
        long,
        env = "GATEWAY_CORS_MAX_AGE_SECS",
        default_value_t = 600,
        global = true
    )]
    pub cors_max_age_secs: u64,
    /// Largest accepted request body, in bytes.
    #[arg(
        long,
        env = "GATEWAY_BODY_LIMIT",
        default_value_t = 1_048_576,
        global = true
    )]
    pub body_limit: usize,
    /// Deepest accepted selection nesting of a document's data, introspection left out (deeper:
    /// refused before execution).
    #[arg(long, env = "GATEWAY_MAX_DEPTH", default_value_t = 12, global = true)]
    pub max_depth: usize,
    /// Largest accepted complexity of a document (one per selected field).
    #[arg(
        long,
        env = "GATEWAY_MAX_COMPLEXITY",
        default_value_t = 5000,
        global = true
    )]
    pub max_complexity: usize,
    /// Most aliased fields accepted in one document.
    #[arg(long, env = "GATEWAY_MAX_ALIASES", default_value_t = 30, global = true)]
    pub max_aliases: usize,
    /// Largest estimated number of objects (rows) an operation may produce: each connection
    /// multiplies its selection by its page size (`first`/`last`, default 20).
    #[arg(
        long,
        env = "GATEWAY_MAX_ROWS",
        default_value_t = 100_000,
        global = true
    )]
    pub max_rows: u64,
    /// Deepest nesting of lists and objects in one input value (a `where`, a JSON argument,
    /// a variable).
    #[arg(
        long,
        env = "GATEWAY_MAX_INPUT_DEPTH",
        default_value_t = 16,
        global = true
    )]
    pub max_input_depth: usize,
    /// Most input values (every scalar, list and object) in a request's arguments and
    /// variables together.
    #[arg(
        long,
        env = "GATEWAY_MAX_INPUT_VALUES",
        default_value_t = 10_000,
        global = true
    )]
    pub max_input_values: usize,
    /// Most introspection one operation may answer, in copies of what the standard
    /// introspection query answers for this schema.
    #[arg(
        long,
        env = "GATEWAY_MAX_INTROSPECTION",
        default_value_t = 2,
        global = true
    )]
    pub max_introspection: u64,
    /// Most variables a document may define.
    #[arg(
        long,
        env = "GATEWAY_MAX_VARIABLES",
        default_value_t = 100,
        global = true
    )]
    pub max_variables: usize,
    /// Most errors one response lists; the rest are summed up in a last error.
    #[arg(long, env = "GATEWAY_MAX_ERRORS", default_value_t = 50, global = true)]
    pub max_errors: usize,
    /// Seconds a connection may wait for a complete request head, whether idle between
    /// requests or sending its headers slowly (`0`: no limit).
    #[arg(
        long,
        env = "GATEWAY_HEADER_TIMEOUT_SECS",
        default_value_t = 30,
        global = true
    )]
    pub header_timeout_secs: u64,
    /// Seconds a request body may take to arrive (`0`: no limit).
    #[arg(
        long,
        env = "GATEWAY_BODY_TIMEOUT_SECS",
        default_value_t = 30,
        global = true
    )]
    pub body_timeout_secs: u64,
    /// Most connections served at once; more are answered `503` and closed.
    #[arg(
        long,
        env = "GATEWAY_MAX_CONNECTIONS",
        default_value_t = 10_000,
        global = true
    )]
    pub max_connections: usize,
    /// Whether introspection (`__schema`, `__type`) is answered (`false` in production).
    #[arg(
        long,
        env = "GATEWAY_INTROSPECTION",
        default_value_t = true,
        action = ArgAction::Set,
        global = true
    )]
    pub introspection: bool,
    /// Whether `GET /graphql` from a browser answers GraphiQL.
    #[arg(
        long,
        env = "GATEWAY_GRAPHIQL",
        default_value_t = true,
        action = ArgAction::Set,
        global = true
    )]
    pub graphiql: bool,
    /// PostgreSQL `statement_timeout` of every connection, in milliseconds (0: none); not
    /// applicable to SQLite.
    #[arg(
        long,
        env = "GATEWAY_STATEMENT_TIMEOUT_MS",
        default_value_t = 10_000,
        global = true
    )]
    pub statement_timeout_ms: u64,
    /// PostgreSQL `plan_cache_mode` of every connection (see [`PlanCache`]); not applicable to
    /// SQLite.
    #[arg(
        long,
        env = "GATEWAY_PG_PLAN_CACHE",
        value_enum,
        default_value_t = PlanCache::Generic,
        global = true
    )]
    pub pg_plan_cache: PlanCache,
    /// Longest a GraphQL request (queries and mutations; not subscriptions) may run, in
    /// milliseconds (0: none): the whole request, all its statements, on either backend.
    #[arg(
        long,
        env = "GATEWAY_REQUEST_TIMEOUT_MS",
        default_value_t = 30_000,
        global = true
    )]
    pub request_timeout_ms: u64,
    /// Connections of each database's pool (unset: 10 on PostgreSQL, 8 on SQLite).
    #[arg(long, env = "GATEWAY_DB_POOL_SIZE", global = true)]
    pub db_pool_size: Option<u32>,
    /// Longest a statement waits for a pooled connection, in milliseconds, before the request
    /// is answered `UNAVAILABLE` (unset: 3000 on PostgreSQL, 10000 on SQLite).
    #[arg(long, env = "GATEWAY_DB_ACQUIRE_TIMEOUT_MS", global = true)]
    pub db_acquire_timeout_ms: Option<u64>,
    /// Character Creation daily generations of a FREE user (a number, or `unlimited`).
    #[arg(long, env = "CC_QUOTA_FREE", default_value = "5", global = true)]
    pub cc_quota_free: DailyLimit,
    /// Character Creation daily generations of a PREMIUM user (a number, or `unlimited`).
    #[arg(long, env = "CC_QUOTA_PREMIUM", default_value = "50", global = true)]
    pub cc_quota_premium: DailyLimit,
    /// Character Creation daily generations of a PRO user (a number, or `unlimited`).
    #[arg(long, env = "CC_QUOTA_PRO", default_value = "unlimited", global = true)]
    pub cc_quota_pro: DailyLimit,
}

/// How PostgreSQL plans the gateway's prepared statements (`plan_cache_mode`).
///
/// The default departs from PostgreSQL's (`auto`) on purpose. Every statement the gateway
/// issues is prepared once per connection and is a shape of key probes and ordered index scans
/// whose best plan does not depend on the values bound to it (a viewer, a page of keys); yet
/// under `auto` PostgreSQL keeps re-planning the statements that carry access rules for every
/// execution, because their many correlated probes make the generic plan's estimate look
/// dearer than a custom one. Measured on the production-sized Head Shakers data, planning the
/// likes feed's statement cost more than running it (about 2.5 ms beside 2.5 ms); generic
/// plans halve its time and raise the home feed's throughput by a sixth. The plan test
/// (`tests/tests/read_layer/plans.rs`) reads every screen's statements in both modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanCache {
    /// `force_generic_plan`: plan each statement once per connection.
    Generic,
    /// `auto`: PostgreSQL's own choice between custom and generic plans.
    Auto,
    /// `force_custom_plan`: plan every execution for its values.
    Custom,
}

impl PlanCache {
    /// The `plan_cache_mode` value.
    pub fn setting(self) -> &'static str {
        match self {
            PlanCache::Generic => "force_generic_plan",
            PlanCache::Auto => "auto",
            PlanCache::Custom => "force_custom_plan",
        }
    }
}

/// A daily limit: a non-negative number, or `unlimited`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DailyLimit(pub Option<i64>);

impl std::str::FromStr for DailyLimit {
    type Err = String;

    /// A misspelt limit stops the gateway at start rather than silently meaning another one.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("unlimited") {
            return Ok(DailyLimit(None));
        }
        match s.parse::<i64>() {
            Ok(n) if n >= 0 => Ok(DailyLimit(Some(n))),
            _ => Err(format!(
                "`{s}` is not a limit: give a non-negative number or `unlimited`"
            )),
        }
    }
}

impl Settings {
    /// The URL configured for one database only.
    pub fn database_url_for(&self, db: Database) -> Option<&str> {
        match db {
            Database::HeadShakers => self.head_shakers_database_url.as_deref(),
            Database::Usegemz => self.usegemz_database_url.as_deref(),
            Database::CharacterCreation => self.character_creation_database_url.as_deref(),
            Database::MindVault => self.mind_vault_database_url.as_deref(),
            Database::DeedO => self.deed_o_database_url.as_deref(),
            Database::DeedOAuth => self.deed_o_auth_database_url.as_deref(),
        }
    }

    /// Settings for tests and embedding: everything default, SQLite under `data_dir`.
    pub fn for_data_dir(data_dir: PathBuf) -> Self {
        Settings {
            database_url: None,
            head_shakers_database_url: None,
            usegemz_database_url: None,
            character_creation_database_url: None,
            mind_vault_database_url: None,
            deed_o_database_url: None,
            deed_o_auth_database_url: None,
            data_dir,
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            jwt_secret: None,
            jwks_url: None,
            jwks_ca: None,
            jwks_max_age_secs: 3600,
            jwt_issuer: None,
            jwt_audience: None,
            identity_providers: Vec::new(),
            usegemz_admins: Vec::new(),
            cors_origins: None,
            cors_headers: None,
            cors_max_age_secs: 600,
            body_limit: 1_048_576,
            max_depth: 12,
            max_complexity: 5000,
            max_aliases: 30,
            max_rows: 100_000,
            max_input_depth: 16,
            max_input_values: 10_000,
            max_introspection: 2,
            max_variables: 100,
            max_errors: 50,
            header_timeout_secs: 30,
            body_timeout_secs: 30,
            max_connections: 10_000,
            introspection: true,
            graphiql: true,
            statement_timeout_ms: 10_000,
            pg_plan_cache: PlanCache::Generic,
            request_timeout_ms: 30_000,
            db_pool_size: None,
            db_acquire_timeout_ms: None,
            cc_quota_free: DailyLimit(Some(5)),
            cc_quota_premium: DailyLimit(Some(50)),
            cc_quota_pro: DailyLimit(None),
        }
    }
}

/// A command of the gateway binary.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve GraphQL (and GraphiQL) after applying pending migrations; an empty embedded
    /// database is filled with demo data first.
    Serve,
    /// Apply or roll back migrations.
    Migrate {
        /// The migration action.
        #[command(subcommand)]
        action: MigrateAction,
        /// Only this database (`head_shakers`, `usegemz`, `character_creation`, `mind_vault`,
        /// `deed_o`, `deed_o_auth`); default: all.
        #[arg(long, global = true)]
        source: Option<String>,
    },
    /// Write deterministic demo data into every (empty) database.
    Seed {
        /// Multiplies the number of rows (1: a small demo; 1000: millions of rows).
        #[arg(long, default_value_t = 1)]
        scale: u32,
        /// How much each Head Shakers user owns and does (`production`: 100 likes and 50
        /// comments per user, about 25 bobbleheads).
        #[arg(long, value_enum, default_value_t)]
        density: crate::seed::Density,
        /// Only this source.
        #[arg(long)]
        source: Option<String>,
    },
    /// Print the GraphQL schema (SDL) that `schema.graphql` holds.
    ExportSchema {
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Also write Apollo Client's cache setup (`possibleTypes`, `typePolicies`) as JSON to
        /// this file (committed as `clients/apollo-cache.json`).
        #[arg(long)]
        apollo: Option<PathBuf>,
    },
    /// Print a development bearer token for a user of a source.
    MintToken {
        /// Source id (`head_shakers`, `usegemz`, `character_creation`, `mind_vault`, `deed_o`).
        #[arg(long)]
        source: String,
        /// The user's key in that source (see the README).
        #[arg(long)]
        user: String,
        /// Lifetime in seconds.
        #[arg(long, default_value_t = 86_400)]
        ttl: u64,
    },
}

/// Migration actions.
#[derive(Debug, Clone, Copy, Subcommand)]
pub enum MigrateAction {
    /// Apply pending migrations.
    Up {
        /// Only this many.
        #[arg(long)]
        steps: Option<u32>,
    },
    /// Roll back applied migrations.
    Down {
        /// Only this many (default: 1).
        #[arg(long, default_value_t = 1)]
        steps: u32,
    },
    /// List migrations and whether each is applied.
    Status,
    /// Drop everything, then apply every migration.
    Fresh,
}
