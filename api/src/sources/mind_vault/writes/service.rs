//! Mind-vault writes: video summaries, their processing status, the tag and category
//! vocabularies, their links to summaries, and keyframes. Every write is the signed-in user's
//! and touches only their own summaries; another user's summary is `NOT_FOUND`.

use entity::mind_vault::{keyframe, user, video_summary};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    PaginatorTrait, QueryFilter, QuerySelect,
};
use serde_json::Value;

use crate::auth::Viewer;
use crate::error::ApiError;
use crate::graphql::write::{begin, commit, db_error};

/// Default title of a summary created without one (`title` is NOT NULL); `{id}` is the
/// YouTube video id.
pub const DEFAULT_TITLE: &str = "YouTube video {id}";

/// Longest tag or category name.
pub const MAX_NAME: usize = 100;

pub use crate::graphql::write::now;

/// A new 21-character, URL-safe identifier (nanoid alphabet `A-Za-z0-9_-`, 126 random bits).
pub fn new_id() -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    let mut bytes = uuid::Uuid::new_v4().into_bytes().to_vec();
    bytes.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
    bytes
        .iter()
        .take(21)
        .map(|b| char::from(ALPHABET[usize::from(b & 63)]))
        .collect()
}

/// The signed-in Mind-vault user. [`crate::identity`] found their `user` row when the request
/// began, so no statement is needed here.
pub fn actor(viewer: &Viewer) -> Result<String, ApiError> {
    viewer.user_in("mind_vault", "Mind-vault")
}

/// The actor's summary `id` (`NOT_FOUND` when absent or another user's).
pub async fn own_summary(
    db: &impl ConnectionTrait,
    actor: &str,
    id: &str,
) -> Result<video_summary::Model, ApiError> {
    video_summary::Entity::find_by_id(id.to_owned())
        .one(db)
        .await?
        .filter(|s| s.user_id == actor)
        .ok_or_else(|| ApiError::NotFound(format!("no video summary {id}")))
}

/// A new summary's details, validated by the caller.
pub struct NewSummary {
    /// The URL as given (trimmed).
    pub url: String,
    /// Its video id.
    pub youtube_id: String,
    /// Title, when given.
    pub title: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Channel name.
    pub channel_name: Option<String>,
    /// Duration in seconds.
    pub duration: Option<i32>,
}

/// Creates a pending summary; `CONFLICT` when the actor already has one of the same video.
/// On PostgreSQL the actor's `user` row is locked first, so two concurrent creations of the
/// same video serialize (SQLite's `BEGIN IMMEDIATE` already does).
pub async fn create_summary(
    db: &DatabaseConnection,
    actor: &str,
    new: NewSummary,
) -> Result<String, ApiError> {
    let txn = begin(db).await?;
    if db.get_database_backend() == DbBackend::Postgres {
        user::Entity::find_by_id(actor.to_owned())
            .lock_exclusive()
            .one(&txn)
            .await?;
    }
    let dup = video_summary::Entity::find()
        .filter(video_summary::Column::UserId.eq(actor))
        .filter(video_summary::Column::YoutubeId.eq(&new.youtube_id))
        .count(&txn)
        .await?;
    if dup > 0 {
        return Err(ApiError::Conflict(format!(
            "you already have a summary of video {}",
            new.youtube_id
        )));
    }
    let id = new_id();
    let at = now();
    let title = new
        .title
        .unwrap_or_else(|| DEFAULT_TITLE.replace("{id}", &new.youtube_id));
    video_summary::Entity::insert(video_summary::ActiveModel {
        id: Set(id.clone()),
        user_id: Set(actor.to_owned()),
        youtube_url: Set(new.url),
        thumbnail_url: Set(Some(format!(
            "https://i.ytimg.com/vi/{}/hqdefault.jpg",
            new.youtube_id
        ))),
        youtube_id: Set(new.youtube_id),
        title: Set(title),
        description: Set(new.description),
        channel_name: Set(new.channel_name),
        duration: Set(new.duration),
        processing_status: Set("pending".into()),
        processing_error: Set(None),
        ai_generated_content: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
    })
    .exec_without_returning(&txn)
    .await
    .map_err(|e| db_error(e, "the video summary"))?;
    commit(txn).await?;
    Ok(id)
}

/// Whether the processing flow allows `from → to`: `pending → processing → completed |
/// failed`, and a pending summary may fail before it starts.
pub fn allowed(from: &str, to: &str) -> bool {
    matches!(
        (from, to),
        ("pending", "processing" | "failed") | ("processing", "completed" | "failed")
    )
}

/// Moves the actor's summary `id` to `status`. `failed` needs `error` (kept in
/// `processing_error`); `completed` may carry `content` (validated by the caller); any other
/// change is `BAD_USER_INPUT` on `status`. A concurrent change in between is `CONFLICT`.
pub async fn update_status(
    db: &DatabaseConnection,
    actor: &str,
    id: &str,
    status: &str,
    error: Option<String>,
    content: Option<Value>,
) -> Result<(), ApiError> {
    let txn = begin(db).await?;
    let s = own_summary(&txn, actor, id).await?;
    if !allowed(&s.processing_status, status) {
        return Err(ApiError::input(
            "status",
            format!(
                "a summary cannot go from {} to {status}",
                s.processing_status
            ),
        ));
    }
    let mut q = Query::update();
    q.table(Alias::new("video_summary"))
        .value(Alias::new("processing_status"), status)
        .value(Alias::new("processing_error"), error)
        .value(Alias::new("updated_at"), now())
        .and_where(Expr::col(Alias::new("id")).eq(id))
        .and_where(Expr::col(Alias::new("processing_status")).eq(s.processing_status.as_str()));
    if let Some(c) = content {
        q.value(Alias::new("ai_generated_content"), c);
    }
    if txn.execute(&q).await?.rows_affected() == 0 {
        return Err(ApiError::Conflict(
            "the summary's status changed meanwhile".into(),
        ));
    }
    commit(txn).await?;
    Ok(())
}

/// The two shared vocabularies.
#[derive(Clone, Copy)]
pub enum Vocab {
    /// `tag`, linked through `video_summary_tag.tag_id`.
    Tag,
    /// `category`, linked through `video_summary_category.category_id`.
    Category,
}

impl Vocab {
    /// Table name.
    pub fn table(self) -> &'static str {
        match self {
            Vocab::Tag => "tag",
            Vocab::Category => "category",
        }
    }

    /// Link table and its column naming the vocabulary row.
    pub fn link(self) -> (&'static str, &'static str) {
        match self {
            Vocab::Tag => ("video_summary_tag", "tag_id"),
            Vocab::Category => ("video_summary_category", "category_id"),
        }
    }
}

async fn exists(
    db: &impl ConnectionTrait,
    table: &str,
    column: &str,
    value: &str,
) -> Result<bool, ApiError> {
    let mut q = Query::select();
    q.expr(Expr::val(1))
        .from(Alias::new(table))
        .and_where(Expr::col(Alias::new(column)).eq(value))
        .limit(1);
    Ok(db.query_one(&q).await?.is_some())
}

/// Creates a tag or category; `CONFLICT` when the name is taken.
pub async fn create_vocab(
    db: &DatabaseConnection,
    vocab: Vocab,
    name: &str,
    description: Option<String>,
) -> Result<String, ApiError> {
    let txn = begin(db).await?;
    let what = vocab.table();
    if exists(&txn, what, "name", name).await? {
        return Err(ApiError::Conflict(format!(
            "the {what} {name} already exists"
        )));
    }
    let id = new_id();
    let mut q = Query::insert();
    q.into_table(Alias::new(what))
        .columns([
            Alias::new("id"),
            Alias::new("name"),
            Alias::new("description"),
            Alias::new("created_at"),
        ])
        .values_panic([
            id.clone().into(),
            name.into(),
            description.into(),
            now().into(),
        ]);
    txn.execute(&q)
        .await
        .map_err(|e| db_error(e, &format!("the {what} {name}")))?;
    commit(txn).await?;
    Ok(id)
}

/// Attaches (`attach`) or detaches a tag or category to the actor's summary; idempotent.
/// `NOT_FOUND` for another user's summary or a missing tag or category.
pub async fn link(
    db: &DatabaseConnection,
    actor: &str,
    summary: &str,
    vocab: Vocab,
    target: &str,
    attach: bool,
) -> Result<(), ApiError> {
    let txn = begin(db).await?;
    own_summary(&txn, actor, summary).await?;
    let what = vocab.table();
    if !exists(&txn, what, "id", target).await? {
        return Err(ApiError::NotFound(format!("no {what} {target}")));
    }
    let (table, column) = vocab.link();
    if attach {
        let mut q = Query::insert();
        q.into_table(Alias::new(table))
            .columns([Alias::new("video_summary_id"), Alias::new(column)])
            .values_panic([summary.into(), target.into()])
            .on_conflict(
                OnConflict::columns([Alias::new("video_summary_id"), Alias::new(column)])
                    .do_nothing()
                    .to_owned(),
            );
        txn.execute(&q)
            .await
            .map_err(|e| db_error(e, &format!("the {what} link")))?;
    } else {
        let mut q = Query::delete();
        q.from_table(Alias::new(table))
            .and_where(Expr::col(Alias::new("video_summary_id")).eq(summary))
            .and_where(Expr::col(Alias::new(column)).eq(target));
        txn.execute(&q).await?;
    }
    commit(txn).await?;
    Ok(())
}

/// A new keyframe's details, validated by the caller.
pub struct NewKeyframe {
    /// Offset in seconds (≥ 0).
    pub timestamp: i32,
    /// Image URL.
    pub image_url: String,
    /// Description.
    pub description: Option<String>,
}

/// Adds a keyframe to the actor's summary; its timestamp must lie within the video's
/// duration when that is known (`BAD_USER_INPUT` on `timestamp`).
pub async fn add_keyframe(
    db: &DatabaseConnection,
    actor: &str,
    summary: &str,
    new: NewKeyframe,
) -> Result<String, ApiError> {
    let txn = begin(db).await?;
    let s = own_summary(&txn, actor, summary).await?;
    if let Some(d) = s.duration
        && new.timestamp > d
    {
        return Err(ApiError::input(
            "timestamp",
            format!("the video lasts {d} seconds"),
        ));
    }
    let id = new_id();
    keyframe::Entity::insert(keyframe::ActiveModel {
        id: Set(id.clone()),
        video_summary_id: Set(summary.to_owned()),
        timestamp: Set(new.timestamp),
        image_url: Set(new.image_url),
        description: Set(new.description),
        created_at: Set(now()),
    })
    .exec_without_returning(&txn)
    .await
    .map_err(|e| db_error(e, "the keyframe"))?;
    commit(txn).await?;
    Ok(id)
}

/// Deletes the actor's summary `id`; its keyframes and tag and category links go with it (the
/// foreign keys cascade, on SQLite too: connections enable `foreign_keys`). `NOT_FOUND` when
/// absent or another user's.
pub async fn delete_summary(
    db: &DatabaseConnection,
    actor: &str,
    id: &str,
) -> Result<(), ApiError> {
    let txn = begin(db).await?;
    own_summary(&txn, actor, id).await?;
    // The owner is in the statement too, so it deletes nothing but the actor's own row.
    let done = video_summary::Entity::delete_many()
        .filter(video_summary::Column::Id.eq(id))
        .filter(video_summary::Column::UserId.eq(actor))
        .exec(&txn)
        .await?;
    if done.rows_affected == 0 {
        return Err(ApiError::NotFound(format!("no video summary {id}")));
    }
    commit(txn).await?;
    Ok(())
}

/// Deletes keyframe `id` of one of the actor's summaries; `NOT_FOUND` when absent or on
/// another user's summary. Answers the summary's id.
pub async fn delete_keyframe(
    db: &DatabaseConnection,
    actor: &str,
    id: &str,
) -> Result<String, ApiError> {
    let txn = begin(db).await?;
    let missing = || ApiError::NotFound(format!("no keyframe {id}"));
    let frame = keyframe::Entity::find_by_id(id.to_owned())
        .one(&txn)
        .await?
        .ok_or_else(missing)?;
    // Another user's keyframe answers exactly as a missing one.
    own_summary(&txn, actor, &frame.video_summary_id)
        .await
        .map_err(|_| missing())?;
    let done = keyframe::Entity::delete_by_id(id.to_owned())
        .exec(&txn)
        .await?;
    if done.rows_affected == 0 {
        return Err(missing());
    }
    commit(txn).await?;
    Ok(frame.video_summary_id)
}

#[cfg(test)]
mod tests {
    use super::{allowed, new_id};

    #[test]
    fn ids_are_nanoid_like() {
        let id = new_id();
        assert_eq!(id.len(), 21);
        assert!(
            id.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        );
        assert_ne!(new_id(), new_id());
    }

    #[test]
    fn the_flow_is_enforced() {
        assert!(allowed("pending", "processing"));
        assert!(allowed("processing", "completed"));
        assert!(allowed("processing", "failed"));
        assert!(allowed("pending", "failed"));
        for (a, b) in [
            ("pending", "completed"),
            ("pending", "pending"),
            ("processing", "pending"),
            ("completed", "processing"),
            ("failed", "completed"),
            ("completed", "failed"),
        ] {
            assert!(!allowed(a, b), "{a} → {b}");
        }
    }
}
