//! The DDL of every gateway source.
//!
//! Each source has its own [`MigratorTrait`] implementation and therefore its own
//! `seaql_migrations` history: in its own PostgreSQL schema (reached through the connection's
//! `search_path`) or in its own SQLite file. `deed_o` has two: `deed_o` (main: products, groups,
//! messages) and `deed_o_auth` (users, tokens, verifications), as its seed's dual database says.

pub mod character_creation;
pub mod common;
pub mod deed_o;
pub mod deed_o_auth;
pub mod head_shakers;
pub mod mind_vault;
pub mod usegemz;

pub use sea_orm_migration;
use sea_orm_migration::prelude::*;

/// One database (schema or SQLite file) with its own migration history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Database {
    /// Head Shakers, seed 000.
    HeadShakers,
    /// usegemz, seed 001.
    Usegemz,
    /// Character Creation, seed 002.
    CharacterCreation,
    /// Mind-vault, seed 003.
    MindVault,
    /// Deed-O main database (products, groups, messages), seed 004.
    DeedO,
    /// Deed-O auth database (users, tokens, user verifications), seed 004.
    DeedOAuth,
}

impl Database {
    /// Every database, in registration order.
    pub const ALL: [Database; 6] = [
        Database::HeadShakers,
        Database::Usegemz,
        Database::CharacterCreation,
        Database::MindVault,
        Database::DeedO,
        Database::DeedOAuth,
    ];

    /// Schema name on PostgreSQL, file stem on SQLite, and prefix of its `*_DATABASE_URL`.
    pub fn name(self) -> &'static str {
        match self {
            Database::HeadShakers => "head_shakers",
            Database::Usegemz => "usegemz",
            Database::CharacterCreation => "character_creation",
            Database::MindVault => "mind_vault",
            Database::DeedO => "deed_o",
            Database::DeedOAuth => "deed_o_auth",
        }
    }

    /// Parses a name as given by [`Database::name`].
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.name() == name)
    }

    /// Applies pending migrations (all, or `steps` of them).
    pub async fn up<'c, C: IntoSchemaManagerConnection<'c>>(
        self,
        db: C,
        steps: Option<u32>,
    ) -> Result<(), DbErr> {
        match self {
            Database::HeadShakers => head_shakers::Migrator::up(db, steps).await,
            Database::Usegemz => usegemz::Migrator::up(db, steps).await,
            Database::CharacterCreation => character_creation::Migrator::up(db, steps).await,
            Database::MindVault => mind_vault::Migrator::up(db, steps).await,
            Database::DeedO => deed_o::Migrator::up(db, steps).await,
            Database::DeedOAuth => deed_o_auth::Migrator::up(db, steps).await,
        }
    }

    /// Rolls back applied migrations (all, or `steps` of them).
    pub async fn down<'c, C: IntoSchemaManagerConnection<'c>>(
        self,
        db: C,
        steps: Option<u32>,
    ) -> Result<(), DbErr> {
        match self {
            Database::HeadShakers => head_shakers::Migrator::down(db, steps).await,
            Database::Usegemz => usegemz::Migrator::down(db, steps).await,
            Database::CharacterCreation => character_creation::Migrator::down(db, steps).await,
            Database::MindVault => mind_vault::Migrator::down(db, steps).await,
            Database::DeedO => deed_o::Migrator::down(db, steps).await,
            Database::DeedOAuth => deed_o_auth::Migrator::down(db, steps).await,
        }
    }

    /// Drops everything in this database, then applies every migration.
    ///
    /// On SQLite the tables go first, children before their parents: the library turns foreign
    /// keys off on one pooled connection and drops tables on others, where dropping a parent
    /// cascades its delete into a child already dropped ("no such table").
    pub async fn fresh(
        self,
        db: &sea_orm_migration::sea_orm::DatabaseConnection,
    ) -> Result<(), DbErr> {
        use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};
        if db.get_database_backend() == DbBackend::Sqlite {
            let names = |sql: String| async move {
                let rows = db
                    .query_all_raw(Statement::from_string(DbBackend::Sqlite, sql))
                    .await?;
                rows.iter()
                    .map(|r| r.try_get::<String>("", "name"))
                    .collect::<Result<Vec<_>, _>>()
            };
            let quote = |n: &str| n.replace('"', "\"\"").replace('\'', "''");
            loop {
                let tables = names(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                        .to_owned(),
                )
                .await?;
                let mut referenced = std::collections::HashSet::new();
                for t in &tables {
                    let sql = format!(
                        "SELECT \"table\" AS name FROM pragma_foreign_key_list('{}')",
                        quote(t)
                    );
                    referenced.extend(names(sql).await?.into_iter().filter(|p| p != t));
                }
                let leaves: Vec<&String> =
                    tables.iter().filter(|t| !referenced.contains(*t)).collect();
                if leaves.is_empty() {
                    break;
                }
                for t in leaves {
                    db.execute_unprepared(&format!("DROP TABLE IF EXISTS \"{}\"", quote(t)))
                        .await?;
                }
            }
        }
        match self {
            Database::HeadShakers => head_shakers::Migrator::fresh(db).await,
            Database::Usegemz => usegemz::Migrator::fresh(db).await,
            Database::CharacterCreation => character_creation::Migrator::fresh(db).await,
            Database::MindVault => mind_vault::Migrator::fresh(db).await,
            Database::DeedO => deed_o::Migrator::fresh(db).await,
            Database::DeedOAuth => deed_o_auth::Migrator::fresh(db).await,
        }
    }

    /// Names of every migration of this database with whether it is applied.
    pub async fn status<C: ConnectionTrait>(self, db: &C) -> Result<Vec<(String, bool)>, DbErr> {
        async fn collect<M: MigratorTrait, C: ConnectionTrait>(
            db: &C,
        ) -> Result<Vec<(String, bool)>, DbErr> {
            let applied: Vec<String> = M::get_applied_migrations(db)
                .await?
                .into_iter()
                .map(|m| m.name().to_owned())
                .collect();
            Ok(M::migrations()
                .into_iter()
                .map(|m| {
                    let name = m.name().to_owned();
                    let done = applied.contains(&name);
                    (name, done)
                })
                .collect())
        }
        match self {
            Database::HeadShakers => collect::<head_shakers::Migrator, C>(db).await,
            Database::Usegemz => collect::<usegemz::Migrator, C>(db).await,
            Database::CharacterCreation => collect::<character_creation::Migrator, C>(db).await,
            Database::MindVault => collect::<mind_vault::Migrator, C>(db).await,
            Database::DeedO => collect::<deed_o::Migrator, C>(db).await,
            Database::DeedOAuth => collect::<deed_o_auth::Migrator, C>(db).await,
        }
    }
}
