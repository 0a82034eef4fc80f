//! Campaign writes and scraping job creation.
//!
//! Every campaign write is the owner's: another user's campaign answers `NOT_FOUND`, exactly
//! like a missing one, so nothing about it leaks. The status moves forward only along
//! `draft → active → completed → archived` (skipping ahead is allowed, staying put is a
//! no-op, going back is `BAD_USER_INPUT`).

use chrono::{Duration, NaiveDateTime};
use entity::usegemz::{campaigns, scraping_jobs, system_configurations};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    QueryFilter, QuerySelect,
};
use serde_json::Value;
use uuid::Uuid;

use crate::auth::Viewer;
use crate::error::ApiError;
use crate::graphql::write::{begin, commit, db_error};

/// `system_configurations` category of the scraping job time limit.
pub const TIMEOUT_CATEGORY: &str = "api";
/// `system_configurations` key of the scraping job time limit: value type `duration`
/// (`"90 minutes"`, `"2 hours"`, `"45m"` …) or `number` (minutes).
pub const TIMEOUT_KEY: &str = "scraping_job_timeout";
/// Time limit of a scraping job when no (valid) configuration row exists.
pub const DEFAULT_TIMEOUT_MINUTES: i64 = 60;
/// Largest `targetResults` of a job. It bounds what one job can store — the creators of a job
/// are read into memory to be filtered — since appends never go past `targetResults`.
pub const MAX_TARGET_RESULTS: i32 = 10_000;
/// Default `targetResults` (the seed's production value).
pub const DEFAULT_TARGET_RESULTS: i32 = 1000;
/// Longest region (`VARCHAR(10)`).
pub const MAX_REGION: usize = 10;

/// The campaign statuses in lifecycle order.
pub const CAMPAIGN_ORDER: [&str; 4] = ["draft", "active", "completed", "archived"];

pub use crate::graphql::write::now;

/// The signed-in usegemz user: the Clerk id of the token (no profile row is needed, UG-A03).
pub fn actor(viewer: &Viewer) -> Result<String, ApiError> {
    viewer.user_in("usegemz", "usegemz")
}

/// A campaign to create.
#[derive(Debug, Clone)]
pub struct CampaignInput {
    /// Name (not blank).
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// `keyword` or `similar`.
    pub search_type: String,
    /// Initial status.
    pub status: String,
}

/// Changes to a campaign; `None` leaves a field as it is (`Some(None)` clears the description).
#[derive(Debug, Clone, Default)]
pub struct CampaignPatch {
    /// New name.
    pub name: Option<String>,
    /// New description.
    pub description: Option<Option<String>>,
    /// New status (forward only).
    pub status: Option<String>,
}

/// A scraping job to create, its arguments validated on their own.
#[derive(Debug, Clone)]
pub struct JobInput {
    /// Parent campaign (it decides the search type).
    pub campaign_id: Option<Uuid>,
    /// `TikTok`, `Instagram` or `YouTube`.
    pub platform: String,
    /// Keywords of a keyword search (`None` when not given).
    pub keywords: Option<Vec<String>>,
    /// Username of a similar search.
    pub target_username: Option<String>,
    /// Extra parameters (a JSON object).
    pub search_params: Option<Value>,
    /// Region (1–10 characters).
    pub region: String,
    /// Creators wanted (1 to [`MAX_TARGET_RESULTS`]).
    pub target_results: i32,
}

/// A name that must not be blank.
pub fn check_name(name: &str) -> Result<(), ApiError> {
    if name.trim().is_empty() {
        return Err(ApiError::input("name", "a campaign needs a name"));
    }
    Ok(())
}

/// Checks the fields of a job that do not depend on its campaign.
pub fn check_job(input: &JobInput) -> Result<(), ApiError> {
    if let Some(k) = &input.keywords
        && let Some(i) = k.iter().position(|w| w.trim().is_empty())
    {
        return Err(ApiError::input("keywords", format!("keyword {i} is blank")));
    }
    if input
        .target_username
        .as_deref()
        .is_some_and(|t| t.trim().is_empty())
    {
        return Err(ApiError::input(
            "targetUsername",
            "a target username cannot be blank",
        ));
    }
    if input
        .search_params
        .as_ref()
        .is_some_and(|p| !p.is_object() && !p.is_null())
    {
        return Err(ApiError::input(
            "searchParams",
            "search parameters are a JSON object",
        ));
    }
    let region = input.region.trim();
    if region.is_empty() || input.region.chars().count() > MAX_REGION {
        return Err(ApiError::input(
            "region",
            format!("a region has 1 to {MAX_REGION} characters"),
        ));
    }
    if input.target_results <= 0 || input.target_results > MAX_TARGET_RESULTS {
        return Err(ApiError::input(
            "targetResults",
            format!("targetResults is between 1 and {MAX_TARGET_RESULTS}"),
        ));
    }
    Ok(())
}

fn has_keywords(input: &JobInput) -> bool {
    input.keywords.as_ref().is_some_and(|k| !k.is_empty())
}

/// The search type of a job without a campaign: from which of keywords and target username
/// it has (UG-A04).
pub fn derived_search_type(input: &JobInput) -> Result<&'static str, ApiError> {
    match (has_keywords(input), input.target_username.is_some()) {
        (true, false) => Ok("keyword"),
        (false, true) => Ok("similar"),
        _ => Err(ApiError::input(
            "keywords",
            "a job without a campaign needs either keywords (keyword search) or a targetUsername (similar search)",
        )),
    }
}

/// Checks that the job's fields fit the search type: keywords for keyword searches, a target
/// username for similar ones, never the other.
pub fn check_search_type(input: &JobInput, search_type: &str) -> Result<(), ApiError> {
    match search_type {
        "keyword" => {
            if !has_keywords(input) {
                return Err(ApiError::input(
                    "keywords",
                    "a keyword search needs at least one keyword",
                ));
            }
            if input.target_username.is_some() {
                return Err(ApiError::input(
                    "targetUsername",
                    "a keyword search takes no target username",
                ));
            }
        }
        _ => {
            if input.target_username.is_none() {
                return Err(ApiError::input(
                    "targetUsername",
                    "a similar search needs a target username",
                ));
            }
            if has_keywords(input) {
                return Err(ApiError::input(
                    "keywords",
                    "a similar search takes no keywords",
                ));
            }
        }
    }
    Ok(())
}

/// Parses a configured duration: `"90 minutes"`, `"2 hours"`, `"1 day"`, `"45m"`, `"30s"`.
pub fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: f64 = num.trim().parse().ok()?;
    let secs = match unit.trim().to_ascii_lowercase().as_str() {
        "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
        "" | "m" | "min" | "mins" | "minute" | "minutes" => 60.0,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3600.0,
        "d" | "day" | "days" => 86_400.0,
        "w" | "week" | "weeks" => 604_800.0,
        _ => return None,
    };
    let total = n * secs;
    (1.0..1e10)
        .contains(&total)
        .then(|| Duration::seconds(total as i64))
}

/// The time limit of new jobs: the `api` / `scraping_job_timeout` configuration row when it
/// exists and parses (`duration`, or `number` of minutes), else [`DEFAULT_TIMEOUT_MINUTES`].
/// Read on every job creation, so a changed row applies to the next job (hot reload).
pub async fn job_timeout(db: &impl ConnectionTrait) -> Result<Duration, ApiError> {
    let row = system_configurations::Entity::find()
        .filter(system_configurations::Column::Category.eq(TIMEOUT_CATEGORY))
        .filter(system_configurations::Column::Key.eq(TIMEOUT_KEY))
        .one(db)
        .await?;
    let default = Duration::minutes(DEFAULT_TIMEOUT_MINUTES);
    let Some(row) = row else {
        return Ok(default);
    };
    let parsed = match row.value_type.as_str() {
        "duration" | "number" => parse_duration(&row.value),
        _ => None,
    };
    Ok(parsed.unwrap_or_else(|| {
        tracing::warn!(value = %row.value, value_type = %row.value_type, "unusable {TIMEOUT_CATEGORY}.{TIMEOUT_KEY}; using the default job timeout");
        default
    }))
}

/// The viewer's campaign (`NOT_FOUND` for a missing or foreign one), locked on PostgreSQL
/// when `lock` (SQLite write transactions are exclusive already).
pub async fn own_campaign(
    db: &impl ConnectionTrait,
    user: &str,
    id: Uuid,
    lock: bool,
) -> Result<campaigns::Model, ApiError> {
    let mut q = campaigns::Entity::find_by_id(id);
    if lock && db.get_database_backend() == DbBackend::Postgres {
        q = q.lock_exclusive();
    }
    q.one(db)
        .await?
        .filter(|c| c.user_id == user)
        .ok_or_else(|| ApiError::NotFound(format!("no campaign {id}")))
}

async fn insert_campaign(
    db: &impl ConnectionTrait,
    user: &str,
    input: &CampaignInput,
    at: NaiveDateTime,
) -> Result<Uuid, ApiError> {
    let id = Uuid::new_v4();
    campaigns::Entity::insert(campaigns::ActiveModel {
        id: Set(id),
        user_id: Set(user.to_owned()),
        name: Set(input.name.clone()),
        description: Set(input.description.clone()),
        search_type: Set(input.search_type.clone()),
        status: Set(input.status.clone()),
        created_at: Set(at),
        updated_at: Set(at),
    })
    .exec_without_returning(db)
    .await
    .map_err(|e| db_error(e, "campaign"))?;
    Ok(id)
}

/// Creates a campaign of the viewer.
pub async fn create_campaign(
    db: &DatabaseConnection,
    user: &str,
    input: &CampaignInput,
) -> Result<Uuid, ApiError> {
    check_name(&input.name)?;
    insert_campaign(db, user, input, now()).await
}

fn rank(status: &str) -> usize {
    CAMPAIGN_ORDER
        .iter()
        .position(|s| *s == status)
        .unwrap_or(0)
}

/// Changes the viewer's campaign.
pub async fn update_campaign(
    db: &DatabaseConnection,
    user: &str,
    id: Uuid,
    patch: &CampaignPatch,
) -> Result<(), ApiError> {
    if let Some(n) = &patch.name {
        check_name(n)?;
    }
    let txn = begin(db).await?;
    let current = own_campaign(&txn, user, id, true).await?;
    if let Some(s) = &patch.status
        && rank(s) < rank(&current.status)
    {
        return Err(ApiError::input(
            "status",
            format!(
                "a campaign moves forward only (draft → active → completed → archived); an {} campaign cannot become {s}",
                current.status
            ),
        ));
    }
    let mut q = Query::update();
    q.table(Alias::new("campaigns"))
        .value(Alias::new("updated_at"), now())
        .and_where(Expr::col(Alias::new("id")).eq(id))
        .and_where(Expr::col(Alias::new("user_id")).eq(user));
    if let Some(n) = &patch.name {
        q.value(Alias::new("name"), n.clone());
    }
    if let Some(d) = &patch.description {
        q.value(Alias::new("description"), d.clone());
    }
    if let Some(s) = &patch.status {
        q.value(Alias::new("status"), s.clone());
    }
    txn.execute(&q).await.map_err(|e| db_error(e, "campaign"))?;
    commit(txn).await?;
    Ok(())
}

async fn insert_job(
    db: &impl ConnectionTrait,
    user: &str,
    campaign: Option<Uuid>,
    input: &JobInput,
    at: NaiveDateTime,
    timeout: Duration,
) -> Result<Uuid, ApiError> {
    let id = Uuid::new_v4();
    let keywords = input
        .keywords
        .as_ref()
        .filter(|k| !k.is_empty())
        .map(|k| Value::from(k.clone()));
    scraping_jobs::Entity::insert(scraping_jobs::ActiveModel {
        id: Set(id),
        user_id: Set(user.to_owned()),
        campaign_id: Set(campaign),
        platform: Set(input.platform.clone()),
        keywords: Set(keywords),
        target_username: Set(input.target_username.clone()),
        search_params: Set(input.search_params.clone().filter(|p| !p.is_null())),
        region: Set(input.region.clone()),
        status: Set("pending".to_owned()),
        run_id: Set(None),
        qstash_message_id: Set(None),
        processed_runs: Set(0),
        processed_results: Set(0),
        target_results: Set(input.target_results),
        cursor: Set(Some(0)),
        created_at: Set(at),
        started_at: Set(None),
        completed_at: Set(None),
        timeout_at: Set(Some(at + timeout)),
        updated_at: Set(at),
        error: Set(None),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await
    .map_err(|e| db_error(e, "scraping job"))?;
    Ok(id)
}

/// Creates a scraping job: in the viewer's campaign (its search type decides, UG-A04; the job
/// belongs to the campaign's owner, UG-A05), or on its own (the search type follows from the
/// keywords or target username). An archived campaign takes no new jobs.
pub async fn create_job(
    db: &DatabaseConnection,
    user: &str,
    input: &JobInput,
) -> Result<Uuid, ApiError> {
    check_job(input)?;
    if input.campaign_id.is_none() {
        check_search_type(input, derived_search_type(input)?)?;
    }
    let timeout = job_timeout(db).await?;
    let txn = begin(db).await?;
    let owner = match input.campaign_id {
        Some(c) => {
            let campaign = own_campaign(&txn, user, c, true).await?;
            if campaign.status == "archived" {
                return Err(ApiError::input(
                    "campaignId",
                    "an archived campaign takes no new jobs",
                ));
            }
            check_search_type(input, &campaign.search_type)?;
            campaign.user_id
        }
        None => user.to_owned(),
    };
    let id = insert_job(&txn, &owner, input.campaign_id, input, now(), timeout).await?;
    commit(txn).await?;
    Ok(id)
}

/// Creates a campaign and its first job in one transaction (UG-OP13): every argument is
/// checked before anything is written, and a failing job insert leaves no campaign behind.
pub async fn create_campaign_with_job(
    db: &DatabaseConnection,
    user: &str,
    campaign: &CampaignInput,
    job: &JobInput,
) -> Result<(Uuid, Uuid), ApiError> {
    check_name(&campaign.name)?;
    check_job(job)?;
    check_search_type(job, &campaign.search_type)?;
    let timeout = job_timeout(db).await?;
    let txn = begin(db).await?;
    let at = now();
    let campaign_id = insert_campaign(&txn, user, campaign, at).await?;
    // On error the transaction is dropped unfinished, which rolls the campaign back.
    let job_id = insert_job(&txn, user, Some(campaign_id), job, at, timeout).await?;
    commit(txn).await?;
    Ok((campaign_id, job_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse() {
        assert_eq!(parse_duration("90 minutes"), Some(Duration::minutes(90)));
        assert_eq!(parse_duration("2 hours"), Some(Duration::hours(2)));
        assert_eq!(parse_duration("45"), Some(Duration::minutes(45)));
        assert_eq!(parse_duration("30s"), Some(Duration::seconds(30)));
        assert_eq!(parse_duration("1 day"), Some(Duration::days(1)));
        assert_eq!(parse_duration("soon"), None);
        assert_eq!(parse_duration("0 minutes"), None);
    }

    #[test]
    fn lifecycle_is_ordered() {
        assert!(rank("draft") < rank("active") && rank("completed") < rank("archived"));
    }
}
