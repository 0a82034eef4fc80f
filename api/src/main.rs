//! The `gateway` binary: `serve` (default), `migrate`, `seed`, `export-schema`, `mint-token`.

use std::process::ExitCode;

use api::config::{Cli, Command, MigrateAction, Settings};
use api::db::{connect_one, target};
use api::error::ApiError;
use api::startup::{Application, jwt_secret, sdl};
use clap::Parser;
use migration::Database;

/// mimalloc: the request path makes many small short-lived allocations, where glibc's malloc
/// cost about a fifth of the CPU.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        // Colour codes only for a terminal: a log collector would store them as text.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
                tracing_subscriber::EnvFilter::new("info,sqlx=warn,sea_orm=warn")
            }),
        )
        .init();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gateway: {}", detail(&e));
            ExitCode::FAILURE
        }
    }
}

fn detail(e: &ApiError) -> String {
    match e {
        ApiError::Database(d) => format!("database error: {d}"),
        ApiError::Internal(m) => m.clone(),
        other => other.to_string(),
    }
}

async fn run(cli: Cli) -> Result<(), ApiError> {
    let settings = cli.settings;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(&settings).await,
        // DDL on a grown table and a large seed may outlast the statement timeout, which
        // guards serving requests, not operator commands.
        Command::Migrate { action, source } => {
            migrate(&untimed(settings), action, source.as_deref()).await
        }
        Command::Seed {
            scale,
            density,
            source,
        } => {
            let settings = untimed(settings);
            let conns = api::db::Connections::connect(&settings).await?;
            api::startup::migrate(&conns).await?;
            api::seed::seed_with(&conns, scale, density, source.as_deref()).await
        }
        Command::ExportSchema { output, apollo } => {
            if let Some(path) = apollo {
                std::fs::write(&path, api::startup::apollo_setup()?)
                    .map_err(|e| ApiError::Internal(format!("write {}: {e}", path.display())))?;
            }
            let text = sdl()?;
            match output {
                Some(path) => std::fs::write(&path, text)
                    .map_err(|e| ApiError::Internal(format!("write {}: {e}", path.display()))),
                None => {
                    print!("{text}");
                    Ok(())
                }
            }
        }
        Command::MintToken { source, user, ttl } => {
            if api::sources::source(&source).is_none() {
                return Err(ApiError::input(
                    "source",
                    format!("unknown source `{source}`"),
                ));
            }
            let tokens = api::auth::Tokens::new(&jwt_secret(&settings)?);
            println!("{}", tokens.mint(&source, &user, ttl)?);
            Ok(())
        }
    }
}

async fn serve(settings: &Settings) -> Result<(), ApiError> {
    let app = Application::build(settings).await?;
    println!(
        "gateway serving GraphQL and GraphiQL on http://{}/graphql",
        app.addr()
    );
    app.serve(async {
        let ctrl_c = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        #[cfg(unix)]
        let term = async {
            if let Ok(mut s) =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            {
                s.recv().await;
            }
        };
        #[cfg(not(unix))]
        let term = std::future::pending::<()>();
        tokio::select! {
            () = ctrl_c => {},
            () = term => {},
        }
        tracing::info!("shutting down: finishing in-flight requests");
    })
    .await
}

fn untimed(settings: Settings) -> Settings {
    Settings {
        statement_timeout_ms: 0,
        ..settings
    }
}

async fn migrate(
    settings: &Settings,
    action: MigrateAction,
    only: Option<&str>,
) -> Result<(), ApiError> {
    let dbs: Vec<Database> = match only {
        Some(name) => vec![
            Database::from_name(name)
                .ok_or_else(|| ApiError::input("source", format!("unknown database `{name}`")))?,
        ],
        None => Database::ALL.to_vec(),
    };
    for db in dbs {
        let conn = connect_one(&target(settings, db)).await?;
        match action {
            MigrateAction::Up { steps } => db.up(&conn, steps).await?,
            MigrateAction::Down { steps } => db.down(&conn, Some(steps)).await?,
            MigrateAction::Fresh => db.fresh(&conn).await?,
            MigrateAction::Status => {}
        }
        for (name, applied) in db.status(&conn).await? {
            println!(
                "{:<20} {:<60} {}",
                db.name(),
                name,
                if applied { "applied" } else { "pending" }
            );
        }
    }
    Ok(())
}
