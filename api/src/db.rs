//! Connections to every source database.
//!
//! PostgreSQL: every database lives in its own schema (named by its id), reached through the
//! connection's `search_path`, so table names stay as the seeds give them. SQLite: every
//! database is a file of its own. A per-database URL overrides the shared one.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use migration::Database;
use sea_orm::{ConnectOptions, ConnectionTrait, DatabaseConnection, DbBackend};

use crate::config::{PlanCache, Settings};
use crate::error::ApiError;

/// How long a request waits for a PostgreSQL connection. While the server is down, the pool
/// keeps retrying refused connections until this deadline, so it is how long requests take to
/// fail during an outage.
const PG_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);

/// The acquire deadline of SQLite pools (waits for busy writers, not outages) and of the first
/// PostgreSQL connection at startup (the server may still be coming up).
const PATIENT_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

/// How long the readiness probe waits for one database.
const PING_TIMEOUT: Duration = Duration::from_secs(2);

/// Connections of a PostgreSQL pool unless `GATEWAY_DB_POOL_SIZE` says otherwise.
const PG_POOL_SIZE: u32 = 10;

/// Connections of a SQLite pool unless `GATEWAY_DB_POOL_SIZE` says otherwise.
const SQLITE_POOL_SIZE: u32 = 8;

/// The size and acquire deadline of a database's pool (`None`: the backend's default).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pool {
    /// Most connections.
    pub size: Option<u32>,
    /// Longest a statement waits for a free connection; past it the request is answered
    /// `UNAVAILABLE`.
    pub acquire_timeout: Option<Duration>,
}

/// One open connection pool per database.
#[derive(Clone, Debug)]
pub struct Connections {
    map: BTreeMap<Database, DatabaseConnection>,
}

/// Where a database lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A PostgreSQL database (URL) and the schema inside it.
    Postgres {
        /// Connection URL.
        url: String,
        /// Schema holding the database's tables.
        schema: String,
        /// `statement_timeout` of every connection, in milliseconds (0: none).
        statement_timeout_ms: u64,
        /// `plan_cache_mode` of every connection.
        plan_cache: PlanCache,
        /// The pool's size and acquire deadline.
        pool: Pool,
    },
    /// A SQLite file.
    Sqlite {
        /// Connection URL (`sqlite://…?mode=rwc`).
        url: String,
        /// The pool's size and acquire deadline.
        pool: Pool,
    },
}

/// Resolves where `db` lives under `settings`.
pub fn target(settings: &Settings, db: Database) -> Target {
    let url = settings
        .database_url_for(db)
        .map(str::to_owned)
        .or_else(|| settings.database_url.clone());
    let pool = Pool {
        size: settings.db_pool_size,
        acquire_timeout: settings.db_acquire_timeout_ms.map(Duration::from_millis),
    };
    match url {
        Some(u) if u.starts_with("postgres://") || u.starts_with("postgresql://") => {
            Target::Postgres {
                url: u,
                schema: db.name().to_owned(),
                statement_timeout_ms: settings.statement_timeout_ms,
                plan_cache: settings.pg_plan_cache,
                pool,
            }
        }
        Some(u) if settings.database_url_for(db).is_some() => Target::Sqlite { url: u, pool },
        Some(u) => {
            // One SQLite URL for every source: a file per database beside it, since the
            // sources' table names overlap (`users`).
            let path = u
                .trim_start_matches("sqlite://")
                .trim_start_matches("sqlite:");
            let path = path.split('?').next().unwrap_or(path);
            let p = Path::new(path);
            let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or("gateway");
            let file = p.with_file_name(format!("{stem}.{}.db", db.name()));
            Target::Sqlite {
                url: format!("sqlite://{}?mode=rwc", file.display()),
                pool,
            }
        }
        None => {
            let file = settings.data_dir.join(format!("{}.db", db.name()));
            Target::Sqlite {
                url: format!("sqlite://{}?mode=rwc", file.display()),
                pool,
            }
        }
    }
}

/// Opens a pool for one database, creating its PostgreSQL schema when missing.
pub async fn connect_one(target: &Target) -> Result<DatabaseConnection, ApiError> {
    match target {
        Target::Postgres {
            url,
            schema,
            statement_timeout_ms,
            plan_cache,
            pool,
        } => {
            let admin =
                sea_orm::Database::connect(quiet(url.clone(), 1, PATIENT_ACQUIRE_TIMEOUT)).await?;
            admin
                .execute_unprepared(&format!("CREATE SCHEMA IF NOT EXISTS \"{schema}\""))
                .await?;
            admin.close().await?;
            let mut opts = quiet(
                url.clone(),
                pool.size.unwrap_or(PG_POOL_SIZE),
                pool.acquire_timeout.unwrap_or(PG_ACQUIRE_TIMEOUT),
            );
            opts.set_schema_search_path(schema.clone());
            // The connection above proved the server reachable; the pool opens its connections
            // as requests need them, so a tight acquire deadline (meant for requests) cannot
            // fail the start on a busy machine.
            opts.connect_lazy(true);
            // Timestamps without zone are UTC throughout the gateway; no statement runs longer
            // than the configured timeout; prepared statements are planned as configured.
            let timeout = statement_timeout_ms.to_string();
            let plan_cache = plan_cache.setting();
            opts.map_sqlx_postgres_opts(move |o| {
                o.options([
                    ("timezone", "UTC"),
                    ("statement_timeout", timeout.as_str()),
                    ("plan_cache_mode", plan_cache),
                ])
            });
            Ok(sea_orm::Database::connect(opts).await?)
        }
        Target::Sqlite { url, pool } => {
            if let Some(dir) =
                sqlite_path(url).and_then(|p| Path::new(p).parent().map(Path::to_path_buf))
                && !dir.as_os_str().is_empty()
            {
                std::fs::create_dir_all(&dir)
                    .map_err(|e| ApiError::Internal(format!("create {}: {e}", dir.display())))?;
            }
            let mut opts = quiet(
                url.clone(),
                pool.size.unwrap_or(SQLITE_POOL_SIZE),
                pool.acquire_timeout.unwrap_or(PATIENT_ACQUIRE_TIMEOUT),
            );
            opts.map_sqlx_sqlite_opts(|o| {
                o.foreign_keys(true)
                    .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                    .busy_timeout(Duration::from_secs(10))
            });
            Ok(sea_orm::Database::connect(opts).await?)
        }
    }
}

fn sqlite_path(url: &str) -> Option<&str> {
    let p = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    p.split('?').next()
}

fn quiet(url: String, max: u32, acquire: Duration) -> ConnectOptions {
    let mut opts = ConnectOptions::new(url);
    opts.max_connections(max)
        .min_connections(0)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(acquire)
        .sqlx_logging(false);
    opts
}

/// A statement's bound values as SQL literals, comma-separated: with its `sql` field, the
/// statement as prepared (the plan test explains it as PostgreSQL plans a prepared statement).
struct Params<'a>(&'a sea_orm::Statement);

impl std::fmt::Display for Params<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use sea_orm::sea_query::{PostgresQueryBuilder, QueryBuilder};
        let Some(values) = &self.0.values else {
            return Ok(());
        };
        for (i, v) in values.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(&PostgresQueryBuilder.value_to_string(v))?;
        }
        Ok(())
    }
}

impl Connections {
    /// Connects every database.
    pub async fn connect(settings: &Settings) -> Result<Self, ApiError> {
        let mut map = BTreeMap::new();
        for db in Database::ALL {
            map.insert(db, connect_one(&target(settings, db)).await?);
        }
        Ok(Connections { map })
    }

    /// Connections from already opened pools.
    pub fn from_map(map: BTreeMap<Database, DatabaseConnection>) -> Self {
        Connections { map }
    }

    /// The pool of `db`.
    pub fn get(&self, db: Database) -> Result<&DatabaseConnection, ApiError> {
        self.map
            .get(&db)
            .ok_or_else(|| ApiError::Internal(format!("no connection for {}", db.name())))
    }

    /// Every database with its pool.
    pub fn iter(&self) -> impl Iterator<Item = (Database, &DatabaseConnection)> {
        self.map.iter().map(|(d, c)| (*d, c))
    }

    /// The backend of `db`'s connection.
    pub fn backend(&self, db: Database) -> DbBackend {
        self.map
            .get(&db)
            .map(|c| c.get_database_backend())
            .unwrap_or(DbBackend::Sqlite)
    }

    /// Clones of the pools whose statements are counted into `counter` (one request's).
    pub fn counted(&self, counter: Arc<AtomicUsize>) -> Self {
        let map = self
            .map
            .iter()
            .map(|(d, c)| {
                let mut c = c.clone();
                let counter = counter.clone();
                c.set_metric_callback(move |info| {
                    counter.fetch_add(1, Ordering::Relaxed);
                    tracing::debug!(
                        target: "gateway::sql",
                        elapsed = ?info.elapsed,
                        failed = info.failed,
                        sql = %info.statement.sql,
                        params = %Params(info.statement),
                        "{}",
                        info.statement
                    );
                });
                (*d, c)
            })
            .collect();
        Connections { map }
    }

    /// Whether every database answers: all asked at once, each for at most `PING_TIMEOUT`, so
    /// a database that is down does not hold the probe for its pool's acquire deadline.
    pub async fn ping(&self) -> Vec<(Database, Result<(), String>)> {
        let pings = self.map.iter().map(|(d, c)| async move {
            let result = match tokio::time::timeout(PING_TIMEOUT, c.ping()).await {
                Ok(r) => r.map_err(|e| e.to_string()),
                Err(_) => Err(format!("no answer within {PING_TIMEOUT:?}")),
            };
            (*d, result)
        });
        futures_util::future::join_all(pings).await
    }
}
