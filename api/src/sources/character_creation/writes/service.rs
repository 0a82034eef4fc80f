//! Service functions of `character_creation`: the daily generation quota, generation requests
//! and their status flow, and the owner's character writes. Every multi-row write runs in one
//! transaction; timestamps are UTC.

use chrono::{NaiveDateTime, Utc};
use entity::character_creation::sea_orm_active_enums::{
    GenerationStatus, StyleType, SubscriptionTier,
};
use entity::character_creation::{character_templates, characters, generations, users};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    PaginatorTrait, QueryFilter, QuerySelect,
};
use serde_json::Value;
use uuid::Uuid;

use crate::error::ApiError;
use crate::graphql::write::{begin, commit, db_error};

/// Longest prompt accepted.
const MAX_PROMPT: usize = 2000;
/// Longest character name accepted (a name derived from a prompt is cut to it).
const MAX_NAME: usize = 100;
/// Most tags of a character, and the longest tag.
const MAX_TAGS: usize = 20;
const MAX_TAG: usize = 50;

/// The daily generation limits per tier (`None`: unlimited), from the gateway's settings
/// (`CC_QUOTA_FREE`, `CC_QUOTA_PREMIUM`, `CC_QUOTA_PRO`), carried as schema data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// FREE tier.
    pub free: Option<i64>,
    /// PREMIUM tier.
    pub premium: Option<i64>,
    /// PRO tier.
    pub pro: Option<i64>,
}

impl Default for Limits {
    /// The settings' defaults: 5, 50 and unlimited.
    fn default() -> Self {
        Limits {
            free: Some(5),
            premium: Some(50),
            pro: None,
        }
    }
}

impl Limits {
    fn of(&self, t: &SubscriptionTier) -> Option<i64> {
        match t {
            SubscriptionTier::Free => self.free,
            SubscriptionTier::Premium => self.premium,
            SubscriptionTier::Pro => self.pro,
        }
    }
}

/// The stored name of a tier.
pub fn tier_name(t: &SubscriptionTier) -> &'static str {
    match t {
        SubscriptionTier::Free => "FREE",
        SubscriptionTier::Premium => "PREMIUM",
        SubscriptionTier::Pro => "PRO",
    }
}

/// A style from its stored name.
pub fn style(s: &str, arg: &str) -> Result<StyleType, ApiError> {
    Ok(match s {
        "FANTASY" => StyleType::Fantasy,
        "REALISTIC" => StyleType::Realistic,
        "ANIME" => StyleType::Anime,
        "CARTOON" => StyleType::Cartoon,
        "SCI_FI" => StyleType::SciFi,
        _ => return Err(ApiError::input(arg, "unknown style type")),
    })
}

fn status_name(s: &GenerationStatus) -> &'static str {
    match s {
        GenerationStatus::Pending => "PENDING",
        GenerationStatus::Processing => "PROCESSING",
        GenerationStatus::Completed => "COMPLETED",
        GenerationStatus::Failed => "FAILED",
    }
}

use crate::graphql::write::now;

/// The start of the current UTC day.
fn midnight() -> NaiveDateTime {
    Utc::now().date_naive().and_time(chrono::NaiveTime::MIN)
}

/// The viewer's user row, row-locked on PostgreSQL (so that quota checks of one user queue).
async fn user_row(
    db: &impl ConnectionTrait,
    user: Uuid,
    lock: bool,
) -> Result<users::Model, ApiError> {
    let mut q = users::Entity::find_by_id(user);
    if lock && db.get_database_backend() == DbBackend::Postgres {
        q = q.lock_exclusive();
    }
    q.one(db)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no user {user}")))
}

/// The viewer's quota as it stands now.
pub struct Quota {
    /// The user's tier.
    pub tier: &'static str,
    /// Generations allowed per UTC day (`None`: unlimited).
    pub limit: Option<i64>,
    /// Generations requested since UTC midnight.
    pub used: i64,
}

impl Quota {
    /// Generations left today (`None`: unlimited).
    pub fn remaining(&self) -> Option<i64> {
        self.limit.map(|l| (l - self.used).max(0))
    }

    /// Whether no generation is left today.
    pub fn exceeded(&self) -> bool {
        self.limit.is_some_and(|l| self.used >= l)
    }
}

async fn quota_of(
    db: &impl ConnectionTrait,
    limits: &Limits,
    user: &users::Model,
) -> Result<Quota, ApiError> {
    let used = generations::Entity::find()
        .filter(generations::Column::UserId.eq(user.id))
        .filter(generations::Column::CreatedAt.gte(midnight()))
        .count(db)
        .await?;
    Ok(Quota {
        tier: tier_name(&user.subscription_tier),
        limit: limits.of(&user.subscription_tier),
        used: i64::try_from(used).unwrap_or(i64::MAX),
    })
}

/// The viewer's quota.
pub async fn quota(
    db: &DatabaseConnection,
    limits: &Limits,
    user: Uuid,
) -> Result<Quota, ApiError> {
    let u = user_row(db, user, false).await?;
    quota_of(db, limits, &u).await
}

/// A prompt: not blank, at most [`MAX_PROMPT`] characters.
pub fn check_prompt(prompt: &str, arg: &str) -> Result<String, ApiError> {
    let p = prompt.trim();
    if p.is_empty() {
        return Err(ApiError::input(arg, "the prompt is blank"));
    }
    if p.chars().count() > MAX_PROMPT {
        return Err(ApiError::input(
            arg,
            format!("a prompt has at most {MAX_PROMPT} characters"),
        ));
    }
    Ok(p.to_owned())
}

/// A name: not blank, at most [`MAX_NAME`] characters.
pub fn check_name(name: &str, arg: &str) -> Result<String, ApiError> {
    let n = name.trim();
    if n.is_empty() {
        return Err(ApiError::input(arg, "the name is blank"));
    }
    if n.chars().count() > MAX_NAME {
        return Err(ApiError::input(
            arg,
            format!("a name has at most {MAX_NAME} characters"),
        ));
    }
    Ok(n.to_owned())
}

/// Tags: a JSON array of at most [`MAX_TAGS`] distinct, non-blank strings of at most
/// [`MAX_TAG`] characters (trimmed).
pub fn check_tags(v: &Value, arg: &str) -> Result<Value, ApiError> {
    let Value::Array(items) = v else {
        return Err(ApiError::input(arg, "tags are a JSON array of strings"));
    };
    if items.len() > MAX_TAGS {
        return Err(ApiError::input(arg, format!("at most {MAX_TAGS} tags")));
    }
    let mut out: Vec<Value> = Vec::new();
    for (i, t) in items.iter().enumerate() {
        let Value::String(s) = t else {
            return Err(ApiError::input(format!("{arg}[{i}]"), "a tag is a string"));
        };
        let s = s.trim();
        if s.is_empty() || s.chars().count() > MAX_TAG {
            return Err(ApiError::input(
                format!("{arg}[{i}]"),
                format!("a tag has 1 to {MAX_TAG} characters"),
            ));
        }
        let s = Value::String(s.to_owned());
        if !out.contains(&s) {
            out.push(s);
        }
    }
    Ok(Value::Array(out))
}

/// A checked generation request.
pub struct Request {
    /// The prompt (checked), or `None` to start from the template's prompt.
    pub prompt: Option<String>,
    /// The style, or `None` to take the template's.
    pub style: Option<StyleType>,
    /// The template used.
    pub template: Option<Uuid>,
}

/// The template `id`, `NOT_FOUND` when it is missing or inactive: an inactive template is
/// withdrawn, and nothing new (a generation, a character) starts from it.
async fn active_template(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<character_templates::Model, ApiError> {
    character_templates::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|t| t.is_active)
        .ok_or_else(|| ApiError::NotFound(format!("no active template {id}")))
}

/// Requests a generation for the viewer, refused (`FORBIDDEN`, nothing written) when the
/// viewer's daily quota is used up. The count and the insert share one transaction.
pub async fn request_generation(
    db: &DatabaseConnection,
    limits: &Limits,
    user: Uuid,
    req: Request,
) -> Result<Uuid, ApiError> {
    let txn = begin(db).await?;
    let u = user_row(&txn, user, true).await?;
    let template = match req.template {
        None => None,
        Some(id) => Some(active_template(&txn, id).await?),
    };
    let prompt = match (req.prompt, &template) {
        (Some(p), _) => p,
        (None, Some(t)) => t.prompt_template.clone(),
        (None, None) => return Err(ApiError::input("prompt", "the prompt is blank")),
    };
    let style = match (req.style, &template) {
        (Some(s), _) => s,
        (None, Some(t)) => t.style_type.clone(),
        (None, None) => return Err(ApiError::input("styleType", "a style type is needed")),
    };
    let q = quota_of(&txn, limits, &u).await?;
    if q.exceeded() {
        return Err(ApiError::Forbidden(format!(
            "daily generation quota exceeded: the {} tier allows {} generations per UTC day and {} were requested today",
            q.tier,
            q.limit.unwrap_or(0),
            q.used
        )));
    }
    let id = Uuid::new_v4();
    let at = now();
    generations::ActiveModel {
        id: Set(id),
        user_id: Set(user),
        character_id: Set(None),
        template_id: Set(template.map(|t| t.id)),
        prompt: Set(prompt),
        style_type: Set(style),
        status: Set(GenerationStatus::Pending),
        error_message: Set(None),
        result_url: Set(None),
        started_at: Set(None),
        completed_at: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(&txn)
    .await
    .map_err(|e| db_error(e, "generation"))?;
    commit(txn).await?;
    Ok(id)
}

/// A status change of a generation.
pub struct StatusChange {
    /// The next status (stored name).
    pub status: String,
    /// Why it failed (required for FAILED).
    pub error: Option<String>,
    /// The generated asset (COMPLETED; becomes the character's image).
    pub result_url: Option<String>,
    /// The name of the character a completion creates (default: from the prompt).
    pub name: Option<String>,
}

/// A character name taken from a prompt: its first clause, at most [`MAX_NAME`] characters.
fn name_from_prompt(prompt: &str) -> String {
    let first = prompt
        .split(['.', ',', ';', '\n'])
        .next()
        .unwrap_or(prompt)
        .trim();
    let n: String = first.chars().take(MAX_NAME).collect();
    if n.trim().is_empty() {
        "Untitled character".to_owned()
    } else {
        n.trim().to_owned()
    }
}

/// Moves one of the viewer's generations along PENDING → PROCESSING → COMPLETED | FAILED.
/// Completing creates its character (tags from the template) and links it, in the same
/// transaction; failing keeps the error text. Anything else is `BAD_USER_INPUT` on `status`.
pub async fn update_status(
    db: &DatabaseConnection,
    user: Uuid,
    id: Uuid,
    change: StatusChange,
) -> Result<(), ApiError> {
    let to = match change.status.as_str() {
        "PENDING" => GenerationStatus::Pending,
        "PROCESSING" => GenerationStatus::Processing,
        "COMPLETED" => GenerationStatus::Completed,
        "FAILED" => GenerationStatus::Failed,
        _ => return Err(ApiError::input("status", "unknown status")),
    };
    let error = change
        .error
        .map(|e| e.trim().to_owned())
        .filter(|e| !e.is_empty());
    if to == GenerationStatus::Failed && error.is_none() {
        return Err(ApiError::input(
            "errorMessage",
            "a failure needs an error message",
        ));
    }
    let result_url = change
        .result_url
        .map(|u| u.trim().to_owned())
        .filter(|u| !u.is_empty());
    if let Some(u) = &result_url
        && !(u.starts_with("https://") || u.starts_with("http://"))
    {
        return Err(ApiError::input(
            "resultUrl",
            "a result URL starts with http:// or https://",
        ));
    }
    let name = change
        .name
        .as_deref()
        .map(|n| check_name(n, "characterName"))
        .transpose()?;
    let txn = begin(db).await?;
    let mut q = generations::Entity::find_by_id(id);
    if txn.get_database_backend() == DbBackend::Postgres {
        q = q.lock_exclusive();
    }
    let g = q
        .one(&txn)
        .await?
        .filter(|g| g.user_id == user)
        .ok_or_else(|| ApiError::NotFound(format!("no generation {id}")))?;
    let legal = matches!(
        (&g.status, &to),
        (GenerationStatus::Pending, GenerationStatus::Processing)
            | (
                GenerationStatus::Processing,
                GenerationStatus::Completed | GenerationStatus::Failed
            )
    );
    if !legal {
        return Err(ApiError::input(
            "status",
            format!(
                "a {} generation cannot become {} (PENDING → PROCESSING → COMPLETED | FAILED)",
                status_name(&g.status),
                status_name(&to)
            ),
        ));
    }
    let at = now();
    let mut m: generations::ActiveModel = g.clone().into();
    m.status = Set(to.clone());
    m.updated_at = Set(at);
    match to {
        GenerationStatus::Processing => m.started_at = Set(Some(at)),
        GenerationStatus::Failed => {
            m.error_message = Set(error);
            m.completed_at = Set(Some(at));
        }
        _ => {
            let tags = match g.template_id {
                Some(t) => character_templates::Entity::find_by_id(t)
                    .one(&txn)
                    .await?
                    .map(|t| t.tags)
                    .unwrap_or_else(|| Value::Array(Vec::new())),
                None => Value::Array(Vec::new()),
            };
            let character = Uuid::new_v4();
            characters::ActiveModel {
                id: Set(character),
                user_id: Set(user),
                name: Set(name.unwrap_or_else(|| name_from_prompt(&g.prompt))),
                prompt: Set(g.prompt.clone()),
                style_type: Set(g.style_type.clone()),
                tags: Set(tags),
                is_public: Set(false),
                image_url: Set(result_url.clone()),
                metadata: Set(None),
                template_id: Set(g.template_id),
                created_at: Set(at),
                updated_at: Set(at),
            }
            .insert(&txn)
            .await
            .map_err(|e| db_error(e, "character"))?;
            m.character_id = Set(Some(character));
            m.result_url = Set(result_url);
            m.completed_at = Set(Some(at));
        }
    }
    m.update(&txn)
        .await
        .map_err(|e| db_error(e, "generation"))?;
    commit(txn).await?;
    Ok(())
}

/// The fields of a character write; `None` leaves a field as it is (on create: its default).
#[derive(Default)]
pub struct CharacterInput {
    /// Name (checked).
    pub name: Option<String>,
    /// Prompt (checked).
    pub prompt: Option<String>,
    /// Style.
    pub style: Option<StyleType>,
    /// Tags (checked).
    pub tags: Option<Value>,
    /// Public in the gallery.
    pub is_public: Option<bool>,
    /// Image URL (`Some(None)` clears it).
    pub image_url: Option<Option<String>>,
    /// Metadata (`Some(None)` clears it).
    pub metadata: Option<Option<Value>>,
    /// Template.
    pub template: Option<Uuid>,
}

/// Creates a character of the viewer; `NOT_FOUND` for a missing or inactive template.
pub async fn create_character(
    db: &DatabaseConnection,
    user: Uuid,
    input: CharacterInput,
) -> Result<Uuid, ApiError> {
    let name = input
        .name
        .ok_or_else(|| ApiError::input("name", "the name is blank"))?;
    let prompt = input
        .prompt
        .ok_or_else(|| ApiError::input("prompt", "the prompt is blank"))?;
    let style = input
        .style
        .ok_or_else(|| ApiError::input("styleType", "a style type is needed"))?;
    user_row(db, user, false).await?;
    // Refused as `generateFromTemplate` refuses it, rather than left to the foreign key
    // (which takes an inactive template).
    if let Some(template) = input.template {
        active_template(db, template).await?;
    }
    let id = Uuid::new_v4();
    let at = now();
    let txn = begin(db).await?;
    characters::ActiveModel {
        id: Set(id),
        user_id: Set(user),
        name: Set(name),
        prompt: Set(prompt),
        style_type: Set(style),
        tags: Set(input.tags.unwrap_or_else(|| Value::Array(Vec::new()))),
        is_public: Set(input.is_public.unwrap_or(false)),
        image_url: Set(input.image_url.flatten()),
        metadata: Set(input.metadata.flatten()),
        template_id: Set(input.template),
        created_at: Set(at),
        updated_at: Set(at),
    }
    // A transaction of its own, so that the answer is read back before it commits.
    .insert(&txn)
    .await
    .map_err(|e| db_error(e, "character"))?;
    commit(txn).await?;
    Ok(id)
}

async fn own_character(
    db: &impl ConnectionTrait,
    user: Uuid,
    id: Uuid,
) -> Result<characters::Model, ApiError> {
    characters::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|c| c.user_id == user)
        .ok_or_else(|| ApiError::NotFound(format!("no character {id}")))
}

/// Changes one of the viewer's characters (`NOT_FOUND` for a missing or foreign one).
pub async fn update_character(
    db: &DatabaseConnection,
    user: Uuid,
    id: Uuid,
    input: CharacterInput,
) -> Result<(), ApiError> {
    let c = own_character(db, user, id).await?;
    let mut m: characters::ActiveModel = c.into();
    if let Some(v) = input.name {
        m.name = Set(v);
    }
    if let Some(v) = input.prompt {
        m.prompt = Set(v);
    }
    if let Some(v) = input.style {
        m.style_type = Set(v);
    }
    if let Some(v) = input.tags {
        m.tags = Set(v);
    }
    if let Some(v) = input.is_public {
        m.is_public = Set(v);
    }
    if let Some(v) = input.image_url {
        m.image_url = Set(v);
    }
    if let Some(v) = input.metadata {
        m.metadata = Set(v);
    }
    m.updated_at = Set(now());
    let txn = begin(db).await?;
    m.update(&txn).await.map_err(|e| db_error(e, "character"))?;
    commit(txn).await
}

/// Deletes one of the viewer's characters; its generations stay, unlinked.
pub async fn delete_character(
    db: &DatabaseConnection,
    user: Uuid,
    id: Uuid,
) -> Result<(), ApiError> {
    let c = own_character(db, user, id).await?;
    characters::Entity::delete_by_id(c.id).exec(db).await?;
    Ok(())
}

/// Counts of the viewer's characters and generations.
pub struct Stats {
    /// (style, public, count) of the viewer's characters.
    pub characters: Vec<(String, bool, i64)>,
    /// (status, count) of the viewer's generations.
    pub generations: Vec<(String, i64)>,
}

/// The viewer's statistics, in two grouped statements.
pub async fn stats(db: &DatabaseConnection, user: Uuid) -> Result<Stats, ApiError> {
    use sea_orm::sea_query::{Alias, Expr, ExprTrait};
    let text = || Alias::new("text");
    let characters = characters::Entity::find()
        .select_only()
        .expr_as(
            Expr::col(characters::Column::StyleType).cast_as(text()),
            "s",
        )
        .column(characters::Column::IsPublic)
        .expr_as(Expr::col(characters::Column::Id).count(), "n")
        .filter(characters::Column::UserId.eq(user))
        .group_by(characters::Column::StyleType)
        .group_by(characters::Column::IsPublic)
        .into_tuple::<(String, bool, i64)>()
        .all(db)
        .await?;
    let generations = generations::Entity::find()
        .select_only()
        .expr_as(Expr::col(generations::Column::Status).cast_as(text()), "s")
        .expr_as(Expr::col(generations::Column::Id).count(), "n")
        .filter(generations::Column::UserId.eq(user))
        .group_by(generations::Column::Status)
        .into_tuple::<(String, i64)>()
        .all(db)
        .await?;
    Ok(Stats {
        characters,
        generations,
    })
}
