//! usegemz campaigns, scraping jobs and their results (issue 4, "Campaigns and jobs").
//!
//! Mutations: `createCampaign`, `updateCampaign`, `archiveCampaign`, `createScrapingJob`,
//! `createCampaignWithJob`, `updateJobStatus`, `recordJobProgress`, `appendJobResults`.
//! Queries: `jobStatus` (a job's effective state) and `jobCreators` (its creators, typed by
//! shape, paged and filtered).
//!
//! A job's creators — `jobCreators(jobId, …)` and `UsegemzScrapingJob.creators(…)` take the same
//! arguments: `where: UsegemzCreatorWhere { minFollowers, verified, hasEmail, platform }` (the
//! filters, applied before paging), and Relay paging both ways: `first`/`after` from the oldest,
//! `last`/`before` from the newest (`last: 20` is a job's latest 20 creators, still answered in
//! the job's order). A cursor carries its creator's position (result record time and id, index),
//! so under a list of several jobs a nested `creators(after: …)` pages each job from that
//! position instead of failing for the jobs the cursor did not come from; a malformed cursor is
//! `BAD_USER_INPUT`. The separate `minFollowers`/`verified`/`hasEmail`/`platform` arguments of
//! the first version are deprecated aliases of `where`; mixing them with `where` is
//! `BAD_USER_INPUT`.
//!
//! Access: every field needs a usegemz token. Writes are the owner's only — another user's
//! campaign or job answers `NOT_FOUND`, exactly as a missing one, and never data. The two reads
//! also serve admins (the token's `admin` role or the profile's `is_admin`, UG-OP07).
//!
//! Decisions:
//! - Time limit: a new job's `timeout_at` is its creation time plus the `api` /
//!   `scraping_job_timeout` configuration row (`duration` such as `"90 minutes"`, or `number`
//!   of minutes), 60 minutes when there is no usable row. A job past it reads as `timeout`
//!   everywhere (`jobStatus`, its `status` field on every read path, filters, orderings and
//!   live progress, which also wakes up at the limit) and is stored as such on its next write
//!   (which is then refused).
//! - `appendJobResults` counts its creators itself (`processed_results`, `progress`); a worker
//!   records each API call with `recordJobProgress(newResults: 0, cursor, runId)`, or counts
//!   creators it does not store with `newResults`. Appends stop at `targetResults`, and
//!   `targetResults` is at most 10000, so `jobCreators` — which filters in memory after loading
//!   the job's result rows — holds at most 10000 creators of one job.
//! - Both progress writes need a `processing` job; so does appending results.
//! - Changes of a job's status or progress are published to `usegemzJobProgress` subscribers
//!   after they commit.

mod args;
mod campaigns;
mod creators;
mod status;
mod types;

use async_graphql::ErrorExtensions;
use async_graphql::dynamic::{Field, FieldFuture, FieldValue, ResolverContext, Type, TypeRef};
use migration::Database;

use super::enums::{CAMPAIGN_STATUS, JOB_STATUS};
use crate::error::{ApiError, OrGql};
use crate::graphql::schema::{computed_rows, data};
use crate::graphql::spec::{Computed, Source};
use crate::graphql::value::Cell;
use args::arg;
use campaigns::{CampaignPatch, actor};
use types::row_by_id;

pub use campaigns::{DEFAULT_TIMEOUT_MINUTES, TIMEOUT_CATEGORY, TIMEOUT_KEY};
pub use status::{effective_status, effective_status_expr};

/// A job's progress in its one form: the column's scale of 2 (`78.00`), on the job, in
/// `jobStatus` and in live events alike; none yet reads as `0.00`.
pub fn percent(progress: Option<rust_decimal::Decimal>) -> rust_decimal::Decimal {
    let mut p = progress.unwrap_or_default();
    p.rescale(2);
    p
}

type Resolver = for<'a> fn(ResolverContext<'a>, &'static Source) -> FieldFuture<'a>;

fn field(source: &'static Source, name: &str, ty: TypeRef, doc: &str, resolve: Resolver) -> Field {
    Field::new(name, ty, move |ctx| resolve(ctx, source)).description(doc)
}

fn uuid_nn() -> TypeRef {
    TypeRef::named_nn("UUID")
}

/// Query fields of this group.
pub fn queries(source: &'static Source) -> Vec<Field> {
    vec![
        field(source, "jobStatus", TypeRef::named(types::JOB_STATE), "The state of one of the viewer's scraping jobs as it is now: a job past its time limit reads as `TIMEOUT` (and is stored so on its next write). NOT_FOUND for a missing or foreign job.", |ctx, _| {
            FieldFuture::new(async move {
                let data = data(&ctx)?;
                let db = data.conns.get(Database::Usegemz).gql()?;
                let user = actor(&data.viewer).gql()?;
                let id = args::uuid(&ctx, "id").gql()?;
                let admin = data.viewer.is_admin("usegemz");
                let state = status::job_state(db, &user, admin, id).await.gql()?;
                Ok(Some(FieldValue::owned_any(state)))
            })
        })
        .argument(arg("id", uuid_nn(), "The job.")),
        creators_args(field(source, "jobCreators", TypeRef::named(types::CONNECTION), "The creators one of the viewer's jobs found, flattened from all its result records in order (records by creation time and id, then position), typed by shape; the same arguments and answer as `UsegemzScrapingJob.creators`. Filters (`where`) apply before paging; `last: 20` pages the latest 20. NOT_FOUND for a missing or foreign job.", |ctx, _| {
            FieldFuture::new(async move {
                let data = data(&ctx)?;
                let db = data.conns.get(Database::Usegemz).gql()?;
                let user = actor(&data.viewer).gql()?;
                let id = args::uuid(&ctx, "jobId").gql()?;
                let (paging, filter) = args::creator_page(&ctx).gql()?;
                let admin = data.viewer.is_admin("usegemz");
                let all = status::job_creators(db, &user, admin, id).await.gql()?;
                let page = types::page(all, &filter, &paging).gql()?;
                Ok(Some(FieldValue::owned_any(page)))
            })
        })
        .argument(arg("jobId", uuid_nn(), "The job."))),
    ]
}

/// Reads back a job after a write of it, publishing the change when there was one.
async fn job_written(
    ctx: &ResolverContext<'_>,
    source: &'static Source,
    id: uuid::Uuid,
    w: status::Written<()>,
) -> async_graphql::Result<Option<FieldValue<'static>>> {
    let data = data(ctx)?;
    if w.changed {
        status::publish(&data.conns, &data.events, id).await;
    }
    w.result.gql()?;
    row_by_id(ctx, source, "scraping_jobs", id).await
}

fn campaign_fields(source: &'static Source) -> Vec<Field> {
    vec![
        field(source, "createCampaign", TypeRef::named_nn("UsegemzCampaign"), "Creates a campaign of the viewer, in `DRAFT`.", |ctx, source| {
            FieldFuture::new(async move {
                let data = data(&ctx)?;
                let db = data.conns.get(Database::Usegemz).gql()?;
                let user = actor(&data.viewer).gql()?;
                let input = args::campaign_input(&ctx, "draft".into()).gql()?;
                let id = campaigns::create_campaign(db, &user, &input).await.gql()?;
                row_by_id(&ctx, source, "campaigns", id).await
            })
        })
        .argument(arg("name", TypeRef::named_nn(TypeRef::STRING), "Name (not blank)."))
        .argument(arg("description", TypeRef::named(TypeRef::STRING), "Description."))
        .argument(arg("searchType", TypeRef::named_nn("UsegemzSearchType"), "Search method of the campaign's jobs.")),
        field(source, "updateCampaign", TypeRef::named_nn("UsegemzCampaign"), "Changes one of the viewer's campaigns. The status moves forward only (DRAFT → ACTIVE → COMPLETED → ARCHIVED; the same status is a no-op); going back is BAD_USER_INPUT. NOT_FOUND for a missing or foreign campaign.", |ctx, source| {
            FieldFuture::new(async move {
                let data = data(&ctx)?;
                let db = data.conns.get(Database::Usegemz).gql()?;
                let user = actor(&data.viewer).gql()?;
                let id = args::uuid(&ctx, "id").gql()?;
                let patch = CampaignPatch {
                    name: args::opt_string(&ctx, "name").gql()?,
                    description: if args::given(&ctx, "description") {
                        Some(args::opt_string(&ctx, "description").gql()?)
                    } else {
                        None
                    },
                    status: args::opt_enum(&ctx, "status", &CAMPAIGN_STATUS).gql()?,
                };
                campaigns::update_campaign(db, &user, id, &patch).await.gql()?;
                row_by_id(&ctx, source, "campaigns", id).await
            })
        })
        .argument(arg("id", uuid_nn(), "The campaign."))
        .argument(arg("name", TypeRef::named(TypeRef::STRING), "New name (not blank)."))
        .argument(arg("description", TypeRef::named(TypeRef::STRING), "New description (`null` clears it)."))
        .argument(arg("status", TypeRef::named("UsegemzCampaignStatus"), "New status, later in the lifecycle.")),
        field(source, "archiveCampaign", TypeRef::named_nn("UsegemzCampaign"), "Archives one of the viewer's campaigns (from any status; archiving twice is a no-op). An archived campaign takes no new jobs.", |ctx, source| {
            FieldFuture::new(async move {
                let data = data(&ctx)?;
                let db = data.conns.get(Database::Usegemz).gql()?;
                let user = actor(&data.viewer).gql()?;
                let id = args::uuid(&ctx, "id").gql()?;
                let patch = CampaignPatch {
                    status: Some("archived".into()),
                    ..Default::default()
                };
                campaigns::update_campaign(db, &user, id, &patch).await.gql()?;
                row_by_id(&ctx, source, "campaigns", id).await
            })
        })
        .argument(arg("id", uuid_nn(), "The campaign.")),
    ]
}

fn job_create_fields(source: &'static Source) -> Vec<Field> {
    let mut create = field(source, "createScrapingJob", TypeRef::named_nn("UsegemzScrapingJob"), "Creates a pending scraping job of the viewer. In a campaign, the campaign's search type decides (a keyword search needs keywords and no target username, a similar search a target username and no keywords); without one, whichever of the two is given decides. Its time limit is set from configuration (`api`/`scraping_job_timeout`, default 60 minutes).", |ctx, source| {
        FieldFuture::new(async move {
            let data = data(&ctx)?;
            let db = data.conns.get(Database::Usegemz).gql()?;
            let user = actor(&data.viewer).gql()?;
            let input = args::job_input(&ctx, true).gql()?;
            let id = campaigns::create_job(db, &user, &input).await.gql()?;
            row_by_id(&ctx, source, "scraping_jobs", id).await
        })
    })
    .argument(arg("campaignId", TypeRef::named("UUID"), "The viewer's campaign the job belongs to (not archived)."));
    for a in args::job_args() {
        create = create.argument(a);
    }
    let mut both = field(source, "createCampaignWithJob", TypeRef::named_nn(types::CAMPAIGN_WITH_JOB), "Creates a campaign and its first job in one transaction (UG-OP13): everything is checked first, and if the job cannot be written no campaign remains.", |ctx, _| {
        FieldFuture::new(async move {
            let data = data(&ctx)?;
            let db = data.conns.get(Database::Usegemz).gql()?;
            let user = actor(&data.viewer).gql()?;
            let status = args::opt_enum(&ctx, "status", &CAMPAIGN_STATUS).gql()?.unwrap_or_else(|| "active".into());
            if !matches!(status.as_str(), "draft" | "active") {
                return Err(ApiError::input("status", "a new campaign is draft or active").extend());
            }
            let campaign = args::campaign_input(&ctx, status).gql()?;
            let job = args::job_input(&ctx, false).gql()?;
            let ids = campaigns::create_campaign_with_job(db, &user, &campaign, &job).await.gql()?;
            data.loader.invalidate();
            Ok(Some(FieldValue::owned_any(ids)))
        })
    })
    .argument(arg("name", TypeRef::named_nn(TypeRef::STRING), "Campaign name (not blank)."))
    .argument(arg("description", TypeRef::named(TypeRef::STRING), "Campaign description."))
    .argument(arg("searchType", TypeRef::named_nn("UsegemzSearchType"), "Search method of the campaign and its job."))
    .argument(arg("status", TypeRef::named("UsegemzCampaignStatus"), "Initial campaign status: ACTIVE (default, as the seed's example) or DRAFT."));
    for a in args::job_args() {
        both = both.argument(a);
    }
    vec![create, both]
}

fn job_state_fields(source: &'static Source) -> Vec<Field> {
    vec![
        field(source, "updateJobStatus", TypeRef::named_nn("UsegemzScrapingJob"), "Moves one of the viewer's jobs along pending → processing → completed | error | timeout (a pending job may also fail or time out). Sets `startedAt` on PROCESSING and `completedAt` on COMPLETED; ERROR needs an error text. Any other change is BAD_USER_INPUT, as is a change of a job past its time limit (which is then stored as TIMEOUT).", |ctx, source| {
            FieldFuture::new(async move {
                let data = data(&ctx)?;
                let db = data.conns.get(Database::Usegemz).gql()?;
                let user = actor(&data.viewer).gql()?;
                let id = args::uuid(&ctx, "id").gql()?;
                let to = args::enum_value(&ctx, "status", &JOB_STATUS).gql()?;
                let error = args::opt_string(&ctx, "error").gql()?;
                let w = status::update_status(db, &user, id, &to, error.as_deref()).await;
                job_written(&ctx, source, id, w).await
            })
        })
        .argument(arg("id", uuid_nn(), "The job."))
        .argument(arg("status", TypeRef::named_nn("UsegemzJobStatus"), "The next status."))
        .argument(arg("error", TypeRef::named(TypeRef::STRING), "Why the job failed (required for ERROR, allowed for TIMEOUT).")),
        field(source, "recordJobProgress", TypeRef::named_nn("UsegemzScrapingJob"), "Records one API call of a processing job (UG-OP16): processedRuns + 1, processedResults + newResults and progress = min(100, round(100 × processedResults / targetResults, 2)), by increments in one statement; the cursor and run ids when given.", |ctx, source| {
            FieldFuture::new(async move {
                let data = data(&ctx)?;
                let db = data.conns.get(Database::Usegemz).gql()?;
                let user = actor(&data.viewer).gql()?;
                let id = args::uuid(&ctx, "id").gql()?;
                let p = args::progress(&ctx).gql()?;
                let w = status::record_progress(db, &user, id, &p).await;
                job_written(&ctx, source, id, w).await
            })
        })
        .argument(arg("id", uuid_nn(), "The job (processing)."))
        .argument(arg("newResults", TypeRef::named_nn(TypeRef::INT), "Creators this call found (≥ 0)."))
        .argument(arg("cursor", TypeRef::named(TypeRef::INT), "Where the search continues (≥ 0)."))
        .argument(arg("runId", TypeRef::named(TypeRef::STRING), "External API run id."))
        .argument(arg("qstashMessageId", TypeRef::named(TypeRef::STRING), "QStash message id.")),
        field(source, "appendJobResults", TypeRef::named_nn("UsegemzScrapingResult"), "Stores a batch of creators of a processing job (UG-OP21). Every creator must have the shape of the job's platform and search type (TikTok keyword, TikTok similar, Instagram similar, YouTube keyword; exact key casing) — else BAD_USER_INPUT naming it, e.g. `creators[3].creator.followers`. The job's processedResults and progress grow in the same transaction; a batch cannot take the job past targetResults.", |ctx, source| {
            FieldFuture::new(async move {
                let data = data(&ctx)?;
                let db = data.conns.get(Database::Usegemz).gql()?;
                let user = actor(&data.viewer).gql()?;
                let job = args::uuid(&ctx, "jobId").gql()?;
                let batch = args::opt_json(&ctx, "creators").gql()?.unwrap_or(serde_json::Value::Null);
                let w = status::append_results(db, &user, job, &batch).await;
                if w.changed {
                    status::publish(&data.conns, &data.events, job).await;
                }
                let id = w.result.gql()?;
                row_by_id(&ctx, source, "scraping_results", id).await
            })
        })
        .argument(arg("jobId", uuid_nn(), "The job (processing)."))
        .argument(arg("creators", TypeRef::named_nn("JSON"), "A non-empty JSON array of creator records.")),
    ]
}

/// Mutation fields of this group and the extra types they need.
pub fn mutations(source: &'static Source) -> (Vec<Field>, Vec<Type>) {
    let mut fields = campaign_fields(source);
    fields.extend(job_create_fields(source));
    fields.extend(job_state_fields(source));
    (fields, types::types(source))
}

/// Fields computed from related rows: a job's `creators`.
pub static COMPUTED: &[Computed] = &[Computed {
    on: "scraping_jobs",
    field: "creators",
    table: "scraping_results",
    key_column: "job_id",
    columns: &["id", "job_id", "creators", "created_at"],
    define: creators_field,
}];

/// `UsegemzScrapingJob.creators`: the job's creators flattened from all its result records in
/// order (records by creation time and id, then position), typed by shape, filtered, paged both
/// ways (Relay `first`/`after` and `last`/`before`, see [`args::creator_args`]).
/// The result records of every job on a page are read in one statement.
fn creators_field(source: &'static Source, _computed: &'static Computed) -> Field {
    let field = Field::new("creators", TypeRef::named_nn(types::CONNECTION), move |ctx| {
        FieldFuture::new(async move {
            let (paging, filter) = args::creator_page(&ctx).gql()?;
            let mut rows = computed_rows(&ctx, source).await?;
            let order = |r: &crate::graphql::sql::Row| {
                let at = match r.get("created_at") {
                    Cell::Timestamp(t) => Some(*t),
                    _ => None,
                };
                let id = match r.get("id") {
                    Cell::Uuid(u) => Some(*u),
                    _ => None,
                };
                (at, id)
            };
            rows.sort_by_key(order);
            let mut all = Vec::new();
            for r in rows {
                let (at, Some(result)) = order(&r) else {
                    continue;
                };
                let list = match r.get("creators") {
                    Cell::Json(serde_json::Value::Array(list)) => list.clone(),
                    Cell::Json(other) => vec![other.clone()],
                    _ => Vec::new(),
                };
                all.extend(list.into_iter().enumerate().map(|(index, creator)| status::Found { at, result, index, creator }));
            }
            let page = types::page(all, &filter, &paging).gql()?;
            Ok(Some(FieldValue::owned_any(page)))
        })
    })
    .description("The creators this job found, flattened from all its result records in order (records by creation time and id, then position), typed by shape. Filters (`where`) apply before paging; `first`/`after` page from the oldest, `last`/`before` from the newest (`last: 20` is the job's latest 20). The result records of every job on a page are read in one statement.");
    creators_args(field)
}

/// Adds the creator paging and filter arguments to `field` (`jobCreators` and the nested
/// `creators` take the same ones).
fn creators_args(field: Field) -> Field {
    args::creator_args()
        .into_iter()
        .fold(field, Field::argument)
}
