//! Deterministic demo data for every source.
//!
//! The same scale always writes the same rows (a fixed-seed generator and a fixed clock), so
//! demos, screenshots and benchmarks are repeatable. Every counter the seeds maintain
//! (`like_count`, `total_items`, `usage_count` …) equals the rows it counts. `--scale N`
//! multiplies the row counts; rows go in with multi-row `INSERT`s in batches.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait};
use uuid::Uuid;

use crate::db::Connections;
use crate::error::ApiError;

pub mod character_creation;
pub mod deed_o;
pub mod head_shakers;
pub mod mind_vault;
pub mod usegemz;

/// How much each Head Shakers user owns and does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Density {
    /// A small demo: one or two collections of a few bobbleheads, a handful of likes and
    /// comments per user.
    #[default]
    Demo,
    /// The sizes a production deployment plans for: per 2,000 users about 5,000 collections,
    /// 50,000 bobbleheads, 200,000 likes and 100,000 comments (what the benchmark measures).
    Production,
}

/// Writes demo data into every source (or only `only`) whose tables are empty.
pub async fn seed(conns: &Connections, scale: u32, only: Option<&str>) -> Result<(), ApiError> {
    seed_with(conns, scale, Density::Demo, only).await
}

/// [`seed`] at a chosen [`Density`].
pub async fn seed_with(
    conns: &Connections,
    scale: u32,
    density: Density,
    only: Option<&str>,
) -> Result<(), ApiError> {
    let scale = scale.max(1);
    if let Some(id) = only
        && crate::sources::source(id).is_none()
    {
        return Err(ApiError::input("source", format!("unknown source `{id}`")));
    }
    let wants = |id: &str| only.is_none_or(|o| o == id);
    if wants("head_shakers") {
        head_shakers::seed(conns, scale, density).await?;
    }
    if wants("usegemz") {
        usegemz::seed(conns, scale).await?;
    }
    if wants("character_creation") {
        character_creation::seed(conns, scale).await?;
    }
    if wants("mind_vault") {
        mind_vault::seed(conns, scale).await?;
    }
    if wants("deed_o") {
        deed_o::seed(conns, scale).await?;
    }
    // The databases of the sources seeded.
    let seeded: std::collections::BTreeSet<migration::Database> = crate::sources::SOURCES
        .iter()
        .filter(|s| wants(s.id))
        .flat_map(|s| s.tables.iter().map(|t| t.db))
        .collect();
    analyze(conns, seeded).await
}

/// Refreshes the planner's statistics after a bulk load: until autovacuum gets to the new rows,
/// PostgreSQL plans as if the tables were still nearly empty (hash joins over whole tables where
/// an index probe per row is right), and SQLite has no statistics at all.
async fn analyze(
    conns: &Connections,
    dbs: impl IntoIterator<Item = migration::Database>,
) -> Result<(), ApiError> {
    use sea_orm::ConnectionTrait;
    for db in dbs {
        conns.get(db)?.execute_unprepared("ANALYZE").await?;
    }
    Ok(())
}

/// Whether no source holds any user yet (a new database).
pub async fn is_empty(conns: &Connections) -> Result<bool, ApiError> {
    use migration::Database;
    let hs = entity::head_shakers::users::Entity::find()
        .count(conns.get(Database::HeadShakers)?)
        .await?;
    let cc = entity::character_creation::users::Entity::find()
        .count(conns.get(Database::CharacterCreation)?)
        .await?;
    Ok(hs == 0 && cc == 0)
}

/// A small deterministic generator (SplitMix64).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for one source and purpose.
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..hi` (`lo` when the range is empty).
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + (self.next_u64() % (hi - lo) as u64) as i64
    }

    /// An index below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        (self.next_u64() % n as u64) as usize
    }

    /// `true` with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    /// One element of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A random (version 4 layout) UUID.
    pub fn uuid(&mut self) -> Uuid {
        let bytes =
            ((u128::from(self.next_u64()) << 64) | u128::from(self.next_u64())).to_be_bytes();
        uuid::Builder::from_random_bytes(bytes).into_uuid()
    }

    /// A URL-safe id of `len` characters (nanoid style).
    pub fn nanoid(&mut self, len: usize) -> String {
        const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-";
        (0..len)
            .map(|_| ALPHABET[self.below(ALPHABET.len())] as char)
            .collect()
    }

    /// A time within `days` days before [`epoch`].
    pub fn time_before(&mut self, days: i64) -> NaiveDateTime {
        epoch() - Duration::seconds(self.range(0, days.max(1) * 86_400))
    }
}

/// The fixed "now" of demo data.
pub fn epoch() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 1, 1)
        .and_then(|d| d.and_hms_opt(12, 0, 0))
        .unwrap_or_default()
}

/// Inserts `rows` in multi-row statements, `columns` columns each, staying below both
/// backends' bind-parameter limits.
pub async fn insert_all<A>(
    db: &DatabaseConnection,
    rows: Vec<A>,
    columns: usize,
) -> Result<(), ApiError>
where
    A: ActiveModelTrait + Send,
    <A::Entity as EntityTrait>::Model: sea_orm::IntoActiveModel<A>,
{
    let per = (30_000 / columns.max(1)).clamp(1, 1_000);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(per).collect();
        <A::Entity as EntityTrait>::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Whether `table` of `db` has rows.
pub async fn has_rows(db: &DatabaseConnection, table: &str) -> Result<bool, ApiError> {
    let sql = format!("SELECT 1 AS x FROM \"{table}\" LIMIT 1");
    let stmt = sea_orm::Statement::from_string(db.get_database_backend(), sql);
    Ok(db.query_one_raw(stmt).await?.is_some())
}
