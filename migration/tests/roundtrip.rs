//! Every database migrates up, all the way down, and up again — on SQLite always, and on
//! PostgreSQL when `TEST_DATABASE_URL` is set (each run in a schema of its own, dropped after).

use migration::Database;
use migration::sea_orm_migration::sea_orm::{
    ConnectOptions, ConnectionTrait, Database as Db, DatabaseConnection, DbBackend, Statement,
};

async fn sqlite() -> DatabaseConnection {
    // One connection: an in-memory SQLite database lives as long as its connection.
    let mut opts = ConnectOptions::new("sqlite::memory:");
    opts.max_connections(1)
        .min_connections(1)
        .sqlx_logging(false);
    match Db::connect(opts).await {
        Ok(db) => db,
        Err(e) => panic!("sqlite: {e}"),
    }
}

async fn postgres(schema: &str) -> Option<(DatabaseConnection, DatabaseConnection)> {
    let url = std::env::var("TEST_DATABASE_URL").ok()?;
    let admin = Db::connect(url.as_str())
        .await
        .unwrap_or_else(|e| panic!("postgres: {e}"));
    admin
        .execute_unprepared(&format!(
            "DROP SCHEMA IF EXISTS \"{schema}\" CASCADE; CREATE SCHEMA \"{schema}\""
        ))
        .await
        .unwrap_or_else(|e| panic!("create schema: {e}"));
    let mut opts = ConnectOptions::new(url);
    opts.set_schema_search_path(schema.to_owned())
        .max_connections(2)
        .sqlx_logging(false);
    let db = Db::connect(opts)
        .await
        .unwrap_or_else(|e| panic!("postgres: {e}"));
    Some((admin, db))
}

async fn table_count(db: &DatabaseConnection) -> i64 {
    let sql = match db.get_database_backend() {
        DbBackend::Postgres => {
            "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name <> 'seaql_migrations'"
        }
        _ => {
            "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT IN ('seaql_migrations', 'sqlite_sequence')"
        }
    };
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap_or_else(|e| panic!("count: {e}"))
        .unwrap_or_else(|| panic!("no row"));
    row.try_get::<i64>("", "n")
        .unwrap_or_else(|e| panic!("n: {e}"))
}

async fn roundtrip(db: &DatabaseConnection, which: Database, tables: i64) {
    which
        .up(db, None)
        .await
        .unwrap_or_else(|e| panic!("{} up: {e}", which.name()));
    assert_eq!(
        table_count(db).await,
        tables,
        "{} tables after up",
        which.name()
    );
    let status = which
        .status(db)
        .await
        .unwrap_or_else(|e| panic!("status: {e}"));
    assert!(status.iter().all(|(_, applied)| *applied), "{status:?}");
    which
        .down(db, None)
        .await
        .unwrap_or_else(|e| panic!("{} down: {e}", which.name()));
    assert_eq!(
        table_count(db).await,
        0,
        "{} tables after down",
        which.name()
    );
    which
        .up(db, None)
        .await
        .unwrap_or_else(|e| panic!("{} up again: {e}", which.name()));
    assert_eq!(table_count(db).await, tables);
    which
        .fresh(db)
        .await
        .unwrap_or_else(|e| panic!("{} fresh: {e}", which.name()));
    assert_eq!(table_count(db).await, tables);
}

async fn both(which: Database, tables: i64) {
    let db = sqlite().await;
    roundtrip(&db, which, tables).await;
    let schema = format!("mig_test_{}", which.name());
    if let Some((admin, db)) = postgres(&schema).await {
        roundtrip(&db, which, tables).await;
        db.close().await.ok();
        admin
            .execute_unprepared(&format!("DROP SCHEMA \"{schema}\" CASCADE"))
            .await
            .unwrap_or_else(|e| panic!("drop schema: {e}"));
    }
}

#[tokio::test]
async fn head_shakers() {
    both(Database::HeadShakers, 22).await;
}

#[tokio::test]
async fn usegemz() {
    both(Database::Usegemz, 7).await;
}

#[tokio::test]
async fn character_creation() {
    both(Database::CharacterCreation, 4).await;
}

#[tokio::test]
async fn mind_vault() {
    both(Database::MindVault, 10).await;
}

#[tokio::test]
async fn deed_o() {
    both(Database::DeedO, 3).await;
}

#[tokio::test]
async fn deed_o_auth() {
    both(Database::DeedOAuth, 3).await;
}
