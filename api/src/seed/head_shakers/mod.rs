//! Demo data of `head_shakers`: bobblehead collectors, their collections and the social layer.
//!
//! Users are generated in chunks of `CHUNK`: each chunk holds everything its users own and
//! every interaction among them (follows, likes, comments, views, notifications …), so memory
//! stays bounded at any scale. Counters (`like_count`, `comment_count`, `view_count`,
//! `total_items`, `total_value`, `last_item_added_at`, `item_count`, `usage_count`) are tallied
//! in memory and set on the rows before they are inserted. Soft-deleted bobbleheads get no
//! likes, comments, views or tags, and soft-deleted comments sit on collections only and get no
//! likes, so every counter reads the same whether deleted rows are filtered out or not
//! (`total_items`, `total_value` and `item_count` count non-deleted bobbleheads only).

mod content;
mod people;
mod social;
mod words;

use std::collections::HashSet;

use chrono::{Duration, NaiveDateTime};
use entity::head_shakers as hs;
use entity::head_shakers::sea_orm_active_enums::ValueType;
use migration::Database;
use rust_decimal::Decimal;
use sea_orm::ActiveValue::Set;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::{Density, Rng, epoch, has_rows, insert_all};
use crate::db::Connections;
use crate::error::ApiError;

/// `users.id` of the first, deterministic demo user (`demo_collector`): it owns three
/// collections (one private), curates the featured content, moderates reports and last
/// edited the platform settings.
pub const DEMO_USER: &str = "00000000-0000-4000-8000-000000000001";

/// Users per unit of scale.
const USERS_PER_SCALE: usize = 20;
/// Users generated (with everything they own and do) per chunk.
const CHUNK: usize = 500;

/// Writes demo data at `scale` and `density` into an empty `head_shakers` database.
pub async fn seed(conns: &Connections, scale: u32, density: Density) -> Result<(), ApiError> {
    let db = conns.get(Database::HeadShakers)?;
    if has_rows(db, "users").await? {
        return Ok(());
    }
    let demo = Uuid::parse_str(DEMO_USER)
        .map_err(|e| ApiError::Internal(format!("DEMO_USER is not a uuid: {e}")))?;
    let total = USERS_PER_SCALE * scale.max(1) as usize;
    let (mut first, mut chunk) = (0usize, 0u64);
    while first < total {
        let n = CHUNK.min(total - first);
        let mut b = Batch::new(chunk, first, demo, density);
        people::build(&mut b, n);
        content::build(&mut b);
        social::build(&mut b);
        b.finish();
        b.rows.write(db).await?;
        if chunk == 0 {
            platform_settings(db, demo).await?;
        }
        first += n;
        chunk += 1;
    }
    Ok(())
}

/// A user of the chunk.
pub(super) struct User {
    id: Uuid,
    username: String,
    display: String,
    created: NaiveDateTime,
    /// Not soft-deleted: owns content and interacts.
    active: bool,
    /// `allow_comments = 'none'`.
    no_comments: bool,
}

/// A collection of the chunk.
pub(super) struct Coll {
    id: Uuid,
    owner: usize,
    name: String,
    public: bool,
    created: NaiveDateTime,
}

/// A sub-collection of the chunk.
pub(super) struct Sub {
    id: Uuid,
    coll: usize,
    public: bool,
    created: NaiveDateTime,
}

/// A bobblehead of the chunk with its tallies.
pub(super) struct Bobble {
    id: Uuid,
    owner: usize,
    name: String,
    /// Public, in a public collection and not deleted: open to likes, comments and views.
    visible: bool,
    created: NaiveDateTime,
    likes: i32,
    comments: i32,
    views: i32,
}

/// A comment of the chunk (`row` indexes `Rows::comments`).
pub(super) struct Note {
    id: Uuid,
    owner: usize,
    /// Index into bobbleheads (`on_bobble`) or collections.
    target: usize,
    on_bobble: bool,
    deleted: bool,
    created: NaiveDateTime,
    likes: i32,
}

/// The rows of one chunk, table by table.
#[derive(Default)]
pub(super) struct Rows {
    users: Vec<hs::users::ActiveModel>,
    user_settings: Vec<hs::user_settings::ActiveModel>,
    notification_settings: Vec<hs::notification_settings::ActiveModel>,
    user_sessions: Vec<hs::user_sessions::ActiveModel>,
    login_history: Vec<hs::login_history::ActiveModel>,
    user_blocks: Vec<hs::user_blocks::ActiveModel>,
    collections: Vec<hs::collections::ActiveModel>,
    sub_collections: Vec<hs::sub_collections::ActiveModel>,
    tags: Vec<hs::tags::ActiveModel>,
    bobbleheads: Vec<hs::bobbleheads::ActiveModel>,
    bobblehead_photos: Vec<hs::bobblehead_photos::ActiveModel>,
    bobblehead_tags: Vec<hs::bobblehead_tags::ActiveModel>,
    follows: Vec<hs::follows::ActiveModel>,
    comments: Vec<hs::comments::ActiveModel>,
    likes: Vec<hs::likes::ActiveModel>,
    content_views: Vec<hs::content_views::ActiveModel>,
    search_queries: Vec<hs::search_queries::ActiveModel>,
    featured_content: Vec<hs::featured_content::ActiveModel>,
    notifications: Vec<hs::notifications::ActiveModel>,
    content_reports: Vec<hs::content_reports::ActiveModel>,
    user_activity: Vec<hs::user_activity::ActiveModel>,
}

impl Rows {
    /// Inserts every table, parents first (top-level comments precede their replies).
    async fn write(self, db: &DatabaseConnection) -> Result<(), ApiError> {
        insert_all(db, self.users, 18).await?;
        insert_all(db, self.user_settings, 19).await?;
        insert_all(db, self.notification_settings, 17).await?;
        insert_all(db, self.user_sessions, 11).await?;
        insert_all(db, self.login_history, 9).await?;
        insert_all(db, self.user_blocks, 6).await?;
        insert_all(db, self.collections, 11).await?;
        insert_all(db, self.sub_collections, 10).await?;
        insert_all(db, self.tags, 7).await?;
        insert_all(db, self.bobbleheads, 30).await?;
        insert_all(db, self.bobblehead_photos, 11).await?;
        insert_all(db, self.bobblehead_tags, 4).await?;
        insert_all(db, self.follows, 7).await?;
        insert_all(db, self.comments, 13).await?;
        insert_all(db, self.likes, 6).await?;
        insert_all(db, self.content_views, 9).await?;
        insert_all(db, self.search_queries, 10).await?;
        insert_all(db, self.featured_content, 14).await?;
        insert_all(db, self.notifications, 13).await?;
        insert_all(db, self.content_reports, 12).await?;
        insert_all(db, self.user_activity, 9).await
    }
}

/// One chunk of users with everything they own and do.
pub(super) struct Batch {
    chunk: u64,
    /// Global index of the chunk's first user (0: the demo user).
    first: usize,
    demo: Uuid,
    density: Density,
    users: Vec<User>,
    colls: Vec<Coll>,
    subs: Vec<Sub>,
    bobbles: Vec<Bobble>,
    notes: Vec<Note>,
    /// `(blocker, blocked)` user indexes.
    blocks: HashSet<(usize, usize)>,
    rows: Rows,
}

impl Batch {
    fn new(chunk: u64, first: usize, demo: Uuid, density: Density) -> Self {
        Batch {
            chunk,
            first,
            demo,
            density,
            users: Vec::new(),
            colls: Vec::new(),
            subs: Vec::new(),
            bobbles: Vec::new(),
            notes: Vec::new(),
            blocks: HashSet::new(),
            rows: Rows::default(),
        }
    }

    /// The generator of one purpose in this chunk.
    fn rng(&self, purpose: u64) -> Rng {
        Rng::new(0x4853_0000_0000_0000 ^ (purpose << 40) ^ self.chunk)
    }

    /// How many of something a user has: a draw from `demo` or `production` (half-open
    /// ranges) by the batch's density.
    fn count(&self, rng: &mut Rng, demo: (i64, i64), production: (i64, i64)) -> i64 {
        let (lo, hi) = match self.density {
            Density::Demo => demo,
            Density::Production => production,
        };
        rng.range(lo, hi)
    }

    /// Whether either user blocks the other.
    fn blocked(&self, a: usize, b: usize) -> bool {
        self.blocks.contains(&(a, b)) || self.blocks.contains(&(b, a))
    }

    /// Indexes of the users who are not deleted.
    fn active(&self) -> Vec<usize> {
        (0..self.users.len())
            .filter(|&u| self.users[u].active)
            .collect()
    }

    /// Logs an action of `user` in `user_activity`.
    #[allow(clippy::too_many_arguments)]
    fn activity(
        &mut self,
        rng: &mut Rng,
        user: usize,
        action: &str,
        target: Option<(&str, Uuid)>,
        metadata: Option<serde_json::Value>,
        at: NaiveDateTime,
    ) {
        let agent = rng.below(words::AGENTS.len());
        self.rows
            .user_activity
            .push(hs::user_activity::ActiveModel {
                id: Set(rng.uuid()),
                user_id: Set(self.users[user].id),
                action_type: Set(action.to_owned()),
                target_type: Set(target.map(|(t, _)| t.to_owned())),
                target_id: Set(target.map(|(_, id)| id)),
                metadata: Set(metadata),
                ip_address: Set(Some(ip(rng))),
                user_agent: Set(Some(words::AGENTS[agent].to_owned())),
                created_at: Set(at),
            });
    }

    /// Sets every counter from the tallies.
    fn finish(&mut self) {
        for (row, b) in self.rows.bobbleheads.iter_mut().zip(&self.bobbles) {
            row.like_count = Set(b.likes);
            row.comment_count = Set(b.comments);
            row.view_count = Set(b.views);
        }
        for (row, n) in self.rows.comments.iter_mut().zip(&self.notes) {
            row.like_count = Set(n.likes);
        }
    }
}

/// A time in `a..b` (`a` when the range is empty).
pub(super) fn between(rng: &mut Rng, a: NaiveDateTime, b: NaiveDateTime) -> NaiveDateTime {
    let span = (b - a).num_seconds();
    if span <= 0 {
        return a;
    }
    a + Duration::seconds(rng.range(0, span))
}

/// A time between `a` and [`epoch`].
pub(super) fn after(rng: &mut Rng, a: NaiveDateTime) -> NaiveDateTime {
    between(rng, a, epoch())
}

/// A plausible public IPv4 address.
pub(super) fn ip(rng: &mut Rng) -> String {
    const FIRST: &[i64] = &[24, 47, 67, 73, 98, 104, 142, 174, 184, 199];
    let a = FIRST[rng.below(FIRST.len())];
    format!(
        "{a}.{}.{}.{}",
        rng.range(0, 256),
        rng.range(0, 256),
        rng.range(1, 255)
    )
}

/// An amount with two decimals.
pub(super) fn money(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

/// A Cloudinary image URL under `folder`.
pub(super) fn image(rng: &mut Rng, folder: &str) -> String {
    format!(
        "https://res.cloudinary.com/head-shakers/image/upload/v{}/{folder}/{}.jpg",
        rng.range(1_650_000_000, 1_767_000_000),
        rng.nanoid(20)
    )
}

/// The platform's settings, last edited by the demo user.
async fn platform_settings(db: &DatabaseConnection, demo: Uuid) -> Result<(), ApiError> {
    const SETTINGS: &[(&str, &str, ValueType, &str, bool)] = &[
        (
            "site.maintenance_mode",
            "false",
            ValueType::Boolean,
            "Show the maintenance page to everyone but admins.",
            true,
        ),
        (
            "site.announcement",
            "Bobblehead Night swap meet in Milwaukee on March 14!",
            ValueType::String,
            "Banner text shown above the feed.",
            true,
        ),
        (
            "uploads.max_photos_per_bobblehead",
            "8",
            ValueType::Number,
            "Photos a bobblehead may carry.",
            true,
        ),
        (
            "uploads.max_file_size_mb",
            "10",
            ValueType::Number,
            "Largest accepted photo upload.",
            true,
        ),
        (
            "collections.max_per_user",
            "50",
            ValueType::Number,
            "Collections one user may create.",
            false,
        ),
        (
            "comments.max_length",
            "5000",
            ValueType::Number,
            "Longest accepted comment.",
            true,
        ),
        (
            "featured.rotation_hours",
            "24",
            ValueType::Number,
            "How often the homepage banner rotates.",
            false,
        ),
        (
            "moderation.auto_hide_threshold",
            "5",
            ValueType::Number,
            "Open reports that hide content until reviewed.",
            false,
        ),
        (
            "search.results_per_page",
            "24",
            ValueType::Number,
            "Search results per page.",
            true,
        ),
        (
            "features.flags",
            r#"{"trades":true,"marketplace":false,"price_history":true}"#,
            ValueType::Json,
            "Feature switches.",
            false,
        ),
    ];
    let mut rng = Rng::new(0x4853_5345_5454);
    let rows = SETTINGS
        .iter()
        .map(|&(key, value, ref kind, description, public)| {
            let created = rng.time_before(700);
            hs::platform_settings::ActiveModel {
                id: Set(rng.uuid()),
                key: Set(key.to_owned()),
                value: Set(Some(value.to_owned())),
                value_type: Set(Some(kind.clone())),
                description: Set(Some(description.to_owned())),
                is_public: Set(public),
                updated_by: Set(Some(demo)),
                created_at: Set(Some(created)),
                updated_at: Set(Some(after(&mut rng, created))),
            }
        })
        .collect();
    insert_all(db, rows, 9).await
}
