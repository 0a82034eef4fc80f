//! End-to-end test helpers: a real gateway on a free port over real databases.
//!
//! Every test gets databases of its own: a fresh SQLite folder, and — when
//! `TEST_DATABASE_URL` names a PostgreSQL server — a fresh PostgreSQL database on it, dropped
//! when the test ends. Tests therefore run in parallel and leave nothing behind.

use std::path::PathBuf;

use api::config::Settings;
use api::db::Connections;
use api::startup::Application;
use migration::Database;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::{Value, json};

/// The backends a test runs on: SQLite always, PostgreSQL when `TEST_DATABASE_URL` is set.
pub fn backends() -> Vec<Backend> {
    let mut out = vec![Backend::Sqlite];
    if let Ok(url) = std::env::var("TEST_DATABASE_URL")
        && !url.trim().is_empty()
    {
        out.push(Backend::Postgres(url));
    }
    out
}

/// A database backend for a test.
#[derive(Debug, Clone)]
pub enum Backend {
    /// Embedded SQLite files in a temporary folder.
    Sqlite,
    /// A PostgreSQL server (the URL of any database on it).
    Postgres(String),
}

impl Backend {
    /// Short name for assertion messages.
    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }
}

/// Whether the gateway starts with the demo data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Data {
    /// Migrated, empty databases.
    Empty,
    /// The demo data (`gateway seed`).
    Demo,
    /// The demo data at a scale (`gateway seed --scale N`).
    Scaled(u32),
}

/// A running gateway.
pub struct TestApp {
    /// Base URL (`http://127.0.0.1:port`).
    pub url: String,
    /// The backend it runs on.
    pub backend: Backend,
    /// Its connections, to arrange data directly.
    pub conns: Connections,
    /// The HS256 secret its tokens use.
    pub secret: String,
    client: reqwest::Client,
    dir: PathBuf,
    pg: Option<(String, String)>,
    settings: Settings,
}

/// One GraphQL response.
#[derive(Debug)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// `content-type` header.
    pub content_type: String,
    /// Statements the request issued (`x-gateway-sql-statements`).
    pub statements: Option<usize>,
    /// Parsed body (`Null` when not JSON).
    pub body: Value,
}

impl Reply {
    /// `data` of the body, failing the test when errors came back.
    pub fn data(&self) -> &Value {
        assert!(
            self.body.get("errors").is_none(),
            "unexpected errors: {}",
            self.body
        );
        &self.body["data"]
    }

    /// `extensions.code` of the first error.
    pub fn code(&self) -> Option<&str> {
        self.body["errors"][0]["extensions"]["code"].as_str()
    }
}

fn unique(prefix: &str) -> String {
    format!("{prefix}_{}", uuid::Uuid::new_v4().simple())
}

impl TestApp {
    /// Starts a gateway on `backend` with `data`.
    pub async fn spawn(backend: &Backend, data: Data) -> TestApp {
        Self::spawn_with(backend, data, |_| {}).await
    }

    /// Starts a gateway on `backend` with `data` and the settings `configure` adjusts (limits,
    /// switches); the data directory, secret and database URLs are set before it runs.
    pub async fn spawn_with(
        backend: &Backend,
        data: Data,
        configure: impl FnOnce(&mut Settings),
    ) -> TestApp {
        let dir = std::env::temp_dir().join(unique("gateway_test"));
        let mut settings = Settings::for_data_dir(dir.clone());
        settings.jwt_secret = Some("test-secret".into());
        configure(&mut settings);
        let mut pg = None;
        if let Backend::Postgres(url) = backend {
            let name = unique("gw_test");
            let admin = sea_orm::Database::connect(url.as_str())
                .await
                .unwrap_or_else(|e| panic!("TEST_DATABASE_URL unreachable: {e}"));
            admin
                .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await
                .unwrap_or_else(|e| panic!("create database: {e}"));
            admin.close().await.ok();
            let base = url
                .rsplit_once('/')
                .map(|(b, _)| b.to_owned())
                .unwrap_or_else(|| url.clone());
            settings.database_url = Some(format!("{base}/{name}"));
            pg = Some((url.clone(), name));
        }
        Self::launch(backend, data, dir, settings, pg).await
    }

    /// Migrates, fills with `data` and serves a gateway configured by `settings` (which own
    /// `dir` and, on PostgreSQL, the database `pg` names).
    async fn launch(
        backend: &Backend,
        data: Data,
        dir: PathBuf,
        settings: Settings,
        pg: Option<(String, String)>,
    ) -> TestApp {
        // A test of a tight acquire deadline gets it for what it serves; its own setup
        // (migrations, data, fixtures) waits as long as it needs on a machine under load.
        let mut patient = settings.clone();
        patient.db_acquire_timeout_ms = None;
        let conns = Connections::connect(&patient)
            .await
            .unwrap_or_else(|e| panic!("connect: {e:?}"));
        api::startup::migrate(&conns)
            .await
            .unwrap_or_else(|e| panic!("migrate: {e:?}"));
        let scale = match data {
            Data::Empty => 0,
            Data::Demo => 1,
            Data::Scaled(n) => n,
        };
        if scale > 0 {
            api::seed::seed(&conns, scale, None)
                .await
                .unwrap_or_else(|e| panic!("seed: {e:?}"));
        }
        let served = if settings.db_acquire_timeout_ms.is_some() {
            Connections::connect(&settings)
                .await
                .unwrap_or_else(|e| panic!("connect: {e:?}"))
        } else {
            conns.clone()
        };
        let app = Application::build_with(&settings, served)
            .await
            .unwrap_or_else(|e| panic!("build: {e:?}"));
        let url = format!("http://{}", app.addr());
        tokio::spawn(app.serve(std::future::pending()));
        TestApp {
            url,
            backend: backend.clone(),
            conns,
            secret: "test-secret".into(),
            client: reqwest::Client::new(),
            dir,
            pg,
            settings,
        }
    }

    /// A second gateway process over the same databases (a replica behind a load balancer).
    pub async fn replica(&self) -> TestApp {
        let conns = Connections::connect(&self.settings)
            .await
            .unwrap_or_else(|e| panic!("connect: {e:?}"));
        let app = Application::build_with(&self.settings, conns.clone())
            .await
            .unwrap_or_else(|e| panic!("build: {e:?}"));
        let url = format!("http://{}", app.addr());
        tokio::spawn(app.serve(std::future::pending()));
        TestApp {
            url,
            backend: self.backend.clone(),
            conns,
            secret: self.secret.clone(),
            client: reqwest::Client::new(),
            // The replica owns nothing: dropping it removes no files and no database.
            dir: std::env::temp_dir().join(unique("gateway_replica")),
            pg: None,
            settings: self.settings.clone(),
        }
    }

    /// The connection of one database.
    pub fn db(&self, db: Database) -> &DatabaseConnection {
        self.conns.get(db).unwrap_or_else(|e| panic!("{e:?}"))
    }

    /// A bearer token for the user whose key in `source` is `user` (roles come from the data).
    pub fn token(&self, source: &str, user: &str) -> String {
        api::auth::Tokens::new(&self.secret)
            .mint(source, user, 3600)
            .unwrap_or_else(|e| panic!("{e:?}"))
    }

    /// Gives the user whose key in `source` is `key` the role `role` (`admin` or `moderator`)
    /// in that source's own data, where the gateway reads roles from.
    pub async fn grant(&self, source: &str, key: &str, role: &str) {
        use sea_orm::sea_query::Expr;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let uuid = || uuid::Uuid::parse_str(key).unwrap_or_else(|e| panic!("{key}: {e}"));
        let done = match source {
            "head_shakers" => {
                use entity::head_shakers::sea_orm_active_enums::UserRole;
                use entity::head_shakers::users;
                let role = match role {
                    "admin" => UserRole::Admin,
                    "moderator" => UserRole::Moderator,
                    _ => UserRole::User,
                };
                users::Entity::update_many()
                    .col_expr(users::Column::Role, Expr::val(role))
                    .filter(users::Column::Id.eq(uuid()))
                    .exec(self.db(Database::HeadShakers))
                    .await
                    .map(|r| r.rows_affected)
            }
            "usegemz" => {
                use entity::usegemz::user_profiles;
                user_profiles::Entity::update_many()
                    .col_expr(user_profiles::Column::IsAdmin, Expr::val(role == "admin"))
                    .filter(user_profiles::Column::UserId.eq(key))
                    .exec(self.db(Database::Usegemz))
                    .await
                    .map(|r| r.rows_affected)
            }
            "character_creation" => {
                use entity::character_creation::sea_orm_active_enums::UserRole;
                use entity::character_creation::users;
                let role = if role == "admin" {
                    UserRole::Admin
                } else {
                    UserRole::User
                };
                users::Entity::update_many()
                    .col_expr(users::Column::Role, Expr::val(role))
                    .filter(users::Column::Id.eq(uuid()))
                    .exec(self.db(Database::CharacterCreation))
                    .await
                    .map(|r| r.rows_affected)
            }
            "mind_vault" => {
                use entity::mind_vault::user;
                user::Entity::update_many()
                    .col_expr(user::Column::Role, Expr::val(role))
                    .filter(user::Column::Id.eq(key))
                    .exec(self.db(Database::MindVault))
                    .await
                    .map(|r| r.rows_affected)
            }
            "deed_o" => {
                use entity::deed_o_auth::sea_orm_active_enums::UsersRolesEnum;
                use entity::deed_o_auth::users;
                let role = match role {
                    "admin" => UsersRolesEnum::Admin,
                    "moderator" => UsersRolesEnum::Moderator,
                    _ => UsersRolesEnum::User,
                };
                let id: i32 = key.parse().unwrap_or_else(|e| panic!("{key}: {e}"));
                users::Entity::update_many()
                    .col_expr(users::Column::Role, Expr::val(role))
                    .filter(users::Column::Id.eq(id))
                    .exec(self.db(Database::DeedOAuth))
                    .await
                    .map(|r| r.rows_affected)
            }
            other => panic!("unknown source {other}"),
        }
        .unwrap_or_else(|e| panic!("grant {role} to {key} in {source}: {e}"));
        assert_eq!(done, 1, "grant {role}: no {source} user {key}");
    }

    /// The key of a user holding `role` in `source`'s demo data (the seed names one per source).
    pub async fn holder(&self, source: &str, role: &str) -> String {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
        let what = format!("{role} in {source}'s data");
        match source {
            "head_shakers" => {
                use entity::head_shakers::sea_orm_active_enums::UserRole;
                use entity::head_shakers::users;
                let role = if role == "admin" {
                    UserRole::Admin
                } else {
                    UserRole::Moderator
                };
                users::Entity::find()
                    .filter(users::Column::Role.eq(role))
                    .filter(users::Column::IsDeleted.eq(false))
                    .order_by_asc(users::Column::CreatedAt)
                    .one(self.db(Database::HeadShakers))
                    .await
                    .unwrap_or_else(|e| panic!("{what}: {e}"))
                    .unwrap_or_else(|| panic!("no {what}"))
                    .id
                    .to_string()
            }
            "usegemz" => {
                use entity::usegemz::user_profiles;
                user_profiles::Entity::find()
                    .filter(user_profiles::Column::IsAdmin.eq(true))
                    .order_by_asc(user_profiles::Column::UserId)
                    .one(self.db(Database::Usegemz))
                    .await
                    .unwrap_or_else(|e| panic!("{what}: {e}"))
                    .unwrap_or_else(|| panic!("no {what}"))
                    .user_id
            }
            "character_creation" => {
                use entity::character_creation::sea_orm_active_enums::UserRole;
                use entity::character_creation::users;
                users::Entity::find()
                    .filter(users::Column::Role.eq(UserRole::Admin))
                    .order_by_asc(users::Column::CreatedAt)
                    .one(self.db(Database::CharacterCreation))
                    .await
                    .unwrap_or_else(|e| panic!("{what}: {e}"))
                    .unwrap_or_else(|| panic!("no {what}"))
                    .id
                    .to_string()
            }
            "mind_vault" => {
                use entity::mind_vault::user;
                user::Entity::find()
                    .filter(user::Column::Role.eq(role))
                    .order_by_asc(user::Column::Id)
                    .one(self.db(Database::MindVault))
                    .await
                    .unwrap_or_else(|e| panic!("{what}: {e}"))
                    .unwrap_or_else(|| panic!("no {what}"))
                    .id
            }
            "deed_o" => {
                use entity::deed_o_auth::sea_orm_active_enums::UsersRolesEnum;
                use entity::deed_o_auth::users;
                let role = if role == "admin" {
                    UsersRolesEnum::Admin
                } else {
                    UsersRolesEnum::Moderator
                };
                users::Entity::find()
                    .filter(users::Column::Role.eq(role))
                    .filter(users::Column::DeletedAt.is_null())
                    .order_by_asc(users::Column::Id)
                    .one(self.db(Database::DeedOAuth))
                    .await
                    .unwrap_or_else(|e| panic!("{what}: {e}"))
                    .unwrap_or_else(|| panic!("no {what}"))
                    .id
                    .to_string()
            }
            other => panic!("unknown source {other}"),
        }
    }

    /// POSTs a GraphQL request.
    pub async fn gql(&self, query: &str, variables: Value, token: Option<&str>) -> Reply {
        let mut req = self
            .client
            .post(format!("{}/graphql", self.url))
            .header("content-type", "application/json")
            .body(json!({ "query": query, "variables": variables }).to_string());
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        Self::reply(req.send().await.unwrap_or_else(|e| panic!("request: {e}"))).await
    }

    /// Sends a raw request (method, path with query, headers, body).
    pub async fn raw(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Reply {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap_or(reqwest::Method::GET);
        let mut req = self.client.request(method, format!("{}{path}", self.url));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(b) = body {
            req = req.body(b.to_owned());
        }
        Self::reply(req.send().await.unwrap_or_else(|e| panic!("request: {e}"))).await
    }

    async fn reply(res: reqwest::Response) -> Reply {
        let status = res.status().as_u16();
        let header = |name: &str| {
            res.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let content_type = header("content-type").unwrap_or_default();
        let statements = header(api::http::graphql::STATEMENTS_HEADER).and_then(|v| v.parse().ok());
        let text = res.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            content_type,
            statements,
            body,
        }
    }
}

/// A database of a test kept apart from the others (see [`TestApp::spawn_apart`]); dropping it
/// drops its PostgreSQL database.
pub struct Apart {
    pg: Option<(String, String)>,
}

impl Drop for Apart {
    fn drop(&mut self) {
        if let Some((url, name)) = self.pg.take() {
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build();
                if let Ok(rt) = rt {
                    rt.block_on(async {
                        if let Ok(admin) = sea_orm::Database::connect(url.as_str()).await {
                            let _ = admin
                                .execute_unprepared(&format!(
                                    "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                                ))
                                .await;
                            let _ = admin.close().await;
                        }
                    });
                }
            })
            .join();
        }
    }
}

impl TestApp {
    /// Starts a gateway on `backend` with `data` whose Deed-O auth database is a database of
    /// its own (`deed_o_auth_database_url`): another SQLite file in another folder, or another
    /// PostgreSQL database on the same server. Keep the [`Apart`] alive as long as the app.
    pub async fn spawn_apart(backend: &Backend, data: Data) -> (TestApp, Apart) {
        let dir = std::env::temp_dir().join(unique("gateway_test"));
        let mut settings = Settings::for_data_dir(dir.clone());
        settings.jwt_secret = Some("test-secret".into());
        let mut pg = None;
        let mut apart = Apart { pg: None };
        match backend {
            Backend::Sqlite => {
                let other = dir.join("elsewhere").join("auth.db");
                settings.deed_o_auth_database_url =
                    Some(format!("sqlite://{}?mode=rwc", other.display()));
            }
            Backend::Postgres(url) => {
                let admin = sea_orm::Database::connect(url.as_str())
                    .await
                    .unwrap_or_else(|e| panic!("TEST_DATABASE_URL unreachable: {e}"));
                let base = url
                    .rsplit_once('/')
                    .map(|(b, _)| b.to_owned())
                    .unwrap_or_else(|| url.clone());
                let main = unique("gw_test");
                let auth = unique("gw_test_auth");
                for name in [&main, &auth] {
                    admin
                        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                        .await
                        .unwrap_or_else(|e| panic!("create database: {e}"));
                }
                admin.close().await.ok();
                settings.database_url = Some(format!("{base}/{main}"));
                settings.deed_o_auth_database_url = Some(format!("{base}/{auth}"));
                pg = Some((url.clone(), main));
                apart.pg = Some((url.clone(), auth));
            }
        }
        let app = Self::launch(backend, data, dir, settings, pg).await;
        (app, apart)
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        if let Some((url, name)) = self.pg.take() {
            // Drop runs outside async; a short-lived runtime on its own thread drops the database.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build();
                if let Ok(rt) = rt {
                    rt.block_on(async {
                        if let Ok(admin) = sea_orm::Database::connect(url.as_str()).await {
                            let _ = admin
                                .execute_unprepared(&format!(
                                    "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                                ))
                                .await;
                            let _ = admin.close().await;
                        }
                    });
                }
            })
            .join();
        }
    }
}

pub mod authz;
pub mod fixtures;
pub mod head_shakers;
pub mod hostile;
pub mod live;
pub mod pg_server;
pub mod screens;
