//! Applies every database's migrations to one PostgreSQL database, each in its own schema.
//! Used by `scripts/generate-entities.sh` to build the schema sea-orm-cli reads; the gateway's
//! own `migrate` command is the everyday way to migrate.

use migration::Database;
use migration::sea_orm_migration::sea_orm::{ConnectOptions, ConnectionTrait, Database as Db};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("migrate: {e}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("DATABASE_URL").map_err(|_| "set DATABASE_URL to a postgres:// URL")?;
    for db in Database::ALL {
        let admin = Db::connect(url.as_str()).await?;
        admin
            .execute_unprepared(&format!("CREATE SCHEMA IF NOT EXISTS \"{}\"", db.name()))
            .await?;
        admin.close().await?;
        let mut opts = ConnectOptions::new(url.clone());
        opts.set_schema_search_path(db.name().to_owned())
            .sqlx_logging(false);
        let conn = Db::connect(opts).await?;
        db.up(&conn, None).await?;
        conn.close().await?;
        println!("migrated {}", db.name());
    }
    Ok(())
}
