//! Reading the arguments of this group's fields into checked service inputs; every malformed
//! argument is `BAD_USER_INPUT` naming it.

use async_graphql::Value;
use async_graphql::dynamic::{InputValue, ResolverContext, TypeRef};
use uuid::Uuid;

use super::campaigns::{CampaignInput, DEFAULT_TARGET_RESULTS, JobInput};
use super::status::Progress;
use super::types::{CreatorFilter, CreatorPaging, DEFAULT_PAGE, MAX_PAGE, WHERE};
use crate::error::ApiError;
use crate::graphql::filter::input_cell;
use crate::graphql::spec::{EnumDef, Kind};
use crate::graphql::value::Cell;

/// An argument with its description.
pub fn arg(name: &str, ty: TypeRef, doc: &str) -> InputValue {
    InputValue::new(name, ty).description(doc)
}

/// The argument's value; `None` when absent or `null`.
fn get(ctx: &ResolverContext<'_>, name: &str) -> Option<Value> {
    match ctx.args.get(name).map(|v| v.as_value().clone()) {
        None | Some(Value::Null) => None,
        v => v,
    }
}

/// Whether the argument was given at all (`null` included).
pub fn given(ctx: &ResolverContext<'_>, name: &str) -> bool {
    ctx.args.get(name).is_some()
}

/// A required UUID.
pub fn uuid(ctx: &ResolverContext<'_>, name: &str) -> Result<Uuid, ApiError> {
    opt_uuid(ctx, name)?.ok_or_else(|| ApiError::input(name, "expected a UUID"))
}

/// An optional UUID.
pub fn opt_uuid(ctx: &ResolverContext<'_>, name: &str) -> Result<Option<Uuid>, ApiError> {
    match get(ctx, name) {
        None => Ok(None),
        Some(v) => match input_cell(Kind::Uuid, &v, name)? {
            Cell::Uuid(u) => Ok(Some(u)),
            _ => Err(ApiError::input(name, "expected a UUID")),
        },
    }
}

/// An optional enum value, as its stored string.
pub fn opt_enum(
    ctx: &ResolverContext<'_>,
    name: &str,
    def: &'static EnumDef,
) -> Result<Option<String>, ApiError> {
    match get(ctx, name) {
        None => Ok(None),
        Some(v) => match input_cell(Kind::Enum(def), &v, name)? {
            Cell::Text(s) => Ok(Some(s)),
            _ => Err(ApiError::input(name, format!("expected a {}", def.name))),
        },
    }
}

/// A required enum value, as its stored string.
pub fn enum_value(
    ctx: &ResolverContext<'_>,
    name: &str,
    def: &'static EnumDef,
) -> Result<String, ApiError> {
    opt_enum(ctx, name, def)?
        .ok_or_else(|| ApiError::input(name, format!("expected a {}", def.name)))
}

/// An optional string.
pub fn opt_string(ctx: &ResolverContext<'_>, name: &str) -> Result<Option<String>, ApiError> {
    match get(ctx, name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(ApiError::input(name, "expected a string")),
    }
}

/// An optional 32-bit integer.
pub fn opt_int(ctx: &ResolverContext<'_>, name: &str) -> Result<Option<i32>, ApiError> {
    match get(ctx, name) {
        None => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .and_then(|i| i32::try_from(i).ok())
            .map(Some)
            .ok_or_else(|| ApiError::input(name, "expected a 32-bit integer")),
        Some(_) => Err(ApiError::input(name, "expected an integer")),
    }
}

/// An optional boolean.
pub fn opt_bool(ctx: &ResolverContext<'_>, name: &str) -> Result<Option<bool>, ApiError> {
    match get(ctx, name) {
        None => Ok(None),
        Some(Value::Boolean(b)) => Ok(Some(b)),
        Some(_) => Err(ApiError::input(name, "expected a boolean")),
    }
}

/// An optional JSON value.
pub fn opt_json(
    ctx: &ResolverContext<'_>,
    name: &str,
) -> Result<Option<serde_json::Value>, ApiError> {
    get(ctx, name)
        .map(|v| {
            v.into_json()
                .map_err(|_| ApiError::input(name, "expected JSON"))
        })
        .transpose()
}

fn keywords(ctx: &ResolverContext<'_>) -> Result<Option<Vec<String>>, ApiError> {
    match get(ctx, "keywords") {
        None => Ok(None),
        Some(Value::List(items)) => items
            .into_iter()
            .map(|v| match v {
                Value::String(s) => Ok(s),
                _ => Err(ApiError::input("keywords", "expected strings")),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        // A single value is coerced to a one-item list by GraphQL.
        Some(Value::String(s)) => Ok(Some(vec![s])),
        Some(_) => Err(ApiError::input("keywords", "expected a list of strings")),
    }
}

/// The campaign arguments (`name`, `description`, `searchType`), starting in `status`.
pub fn campaign_input(
    ctx: &ResolverContext<'_>,
    status: String,
) -> Result<CampaignInput, ApiError> {
    Ok(CampaignInput {
        name: opt_string(ctx, "name")?.unwrap_or_default(),
        description: opt_string(ctx, "description")?,
        search_type: enum_value(ctx, "searchType", &super::super::enums::SEARCH_TYPE)?,
        status,
    })
}

/// The job arguments (`campaignId` when `with_campaign`, `platform`, `keywords`,
/// `targetUsername`, `searchParams`, `region`, `targetResults`).
pub fn job_input(ctx: &ResolverContext<'_>, with_campaign: bool) -> Result<JobInput, ApiError> {
    Ok(JobInput {
        campaign_id: if with_campaign {
            opt_uuid(ctx, "campaignId")?
        } else {
            None
        },
        platform: enum_value(ctx, "platform", &super::super::enums::PLATFORM)?,
        keywords: keywords(ctx)?,
        target_username: opt_string(ctx, "targetUsername")?,
        search_params: opt_json(ctx, "searchParams")?,
        region: opt_string(ctx, "region")?.unwrap_or_else(|| "US".to_owned()),
        target_results: opt_int(ctx, "targetResults")?.unwrap_or(DEFAULT_TARGET_RESULTS),
    })
}

/// The arguments of `recordJobProgress`.
pub fn progress(ctx: &ResolverContext<'_>) -> Result<Progress, ApiError> {
    Ok(Progress {
        new_results: opt_int(ctx, "newResults")?
            .ok_or_else(|| ApiError::input("newResults", "expected an integer"))?,
        cursor: opt_int(ctx, "cursor")?,
        run_id: opt_string(ctx, "runId")?,
        qstash_message_id: opt_string(ctx, "qstashMessageId")?,
    })
}

/// The creator filters given as the deprecated separate arguments (`minFollowers`, `verified`,
/// `hasEmail`, `platform`), `None` when none of them is.
fn flat_filter(ctx: &ResolverContext<'_>) -> Result<Option<CreatorFilter>, ApiError> {
    let f = CreatorFilter {
        min_followers: opt_int(ctx, "minFollowers")?.map(i64::from),
        verified: opt_bool(ctx, "verified")?,
        has_email: opt_bool(ctx, "hasEmail")?,
        platform: opt_enum(ctx, "platform", &super::super::enums::PLATFORM)?,
    };
    let any = f.min_followers.is_some()
        || f.verified.is_some()
        || f.has_email.is_some()
        || f.platform.is_some();
    Ok(any.then_some(f))
}

/// The `where: UsegemzCreatorWhere` argument, `None` when absent or null. Errors name the
/// input field, e.g. `where.minFollowers`.
fn where_filter(ctx: &ResolverContext<'_>) -> Result<Option<CreatorFilter>, ApiError> {
    let Some(v) = get(ctx, "where") else {
        return Ok(None);
    };
    let Value::Object(map) = v else {
        return Err(ApiError::input("where", format!("expected a {WHERE}")));
    };
    let field = |name: &str| match map.get(name) {
        None | Some(Value::Null) => None,
        Some(v) => Some(v.clone()),
    };
    let min_followers = match field("minFollowers") {
        None => None,
        Some(Value::Number(n)) => Some(
            n.as_i64()
                .ok_or_else(|| ApiError::input("where.minFollowers", "expected an integer"))?,
        ),
        Some(_) => return Err(ApiError::input("where.minFollowers", "expected an integer")),
    };
    let flag = |name: &str| match field(name) {
        None => Ok(None),
        Some(Value::Boolean(b)) => Ok(Some(b)),
        Some(_) => Err(ApiError::input(
            format!("where.{name}"),
            "expected a boolean",
        )),
    };
    let platform = match field("platform") {
        None => None,
        Some(v) => {
            let def = &super::super::enums::PLATFORM;
            match input_cell(Kind::Enum(def), &v, "where.platform")? {
                Cell::Text(s) => Some(s),
                _ => {
                    return Err(ApiError::input(
                        "where.platform",
                        "expected a UsegemzPlatform",
                    ));
                }
            }
        }
    };
    Ok(Some(CreatorFilter {
        min_followers,
        verified: flag("verified")?,
        has_email: flag("hasEmail")?,
        platform,
    }))
}

/// The filters of a job's creators: `where`, or the deprecated separate arguments kept for
/// existing clients; giving both is `BAD_USER_INPUT` on `where` (one way to say a filter).
pub fn creator_filter(ctx: &ResolverContext<'_>) -> Result<CreatorFilter, ApiError> {
    match (where_filter(ctx)?, flat_filter(ctx)?) {
        (Some(_), Some(_)) => Err(ApiError::input(
            "where",
            "give the filters in `where` only, not also as the deprecated separate arguments",
        )),
        (Some(f), None) | (None, Some(f)) => Ok(f),
        (None, None) => Ok(CreatorFilter::default()),
    }
}

/// A page size argument (`first` or `last`): 0 to [`MAX_PAGE`].
fn page_size(ctx: &ResolverContext<'_>, name: &str) -> Result<Option<usize>, ApiError> {
    opt_int(ctx, name)?
        .map(|n| {
            usize::try_from(n)
                .ok()
                .filter(|n| *n <= MAX_PAGE)
                .ok_or_else(|| ApiError::input(name, format!("{name} is between 0 and {MAX_PAGE}")))
        })
        .transpose()
}

/// The paging and filter arguments shared by `jobCreators` and `UsegemzScrapingJob.creators`
/// (see [`creator_args`]).
pub fn creator_page(ctx: &ResolverContext<'_>) -> Result<(CreatorPaging, CreatorFilter), ApiError> {
    let first = page_size(ctx, "first")?;
    let last = page_size(ctx, "last")?;
    if first.is_some() && last.is_some() {
        // As every other connection of the gateway.
        return Err(ApiError::input("last", "give `first` or `last`, not both"));
    }
    let paging = CreatorPaging {
        first,
        last,
        after: opt_string(ctx, "after")?,
        before: opt_string(ctx, "before")?,
    };
    Ok((paging, creator_filter(ctx)?))
}

/// The paging and filter arguments of a job's creators, the same on `jobCreators` and on
/// `UsegemzScrapingJob.creators`: Relay paging both ways and `where`; the separate filter
/// arguments of the first version stay, deprecated, for existing clients.
pub fn creator_args() -> Vec<InputValue> {
    let deprecated = |name: &str, ty: TypeRef, field: &str| {
        arg(
            name,
            ty,
            &format!("Deprecated alias of `where: {{ {field}: … }}`."),
        )
        .deprecation(Some("use `where`"))
    };
    vec![
        arg(
            "first",
            TypeRef::named(TypeRef::INT),
            &format!(
                "The first creators of the window, oldest first (at most {MAX_PAGE}; default {DEFAULT_PAGE} when neither `first` nor `last` is given)."
            ),
        ),
        arg(
            "after",
            TypeRef::named(TypeRef::STRING),
            "The window starts after this cursor.",
        ),
        arg(
            "last",
            TypeRef::named(TypeRef::INT),
            &format!(
                "The last (newest) creators of the window, still in the job's order (at most {MAX_PAGE}); `last: 20` is a job's latest 20 creators. Not with `first`."
            ),
        ),
        arg(
            "before",
            TypeRef::named(TypeRef::STRING),
            "The window ends before this cursor (page backward with `last` and the page's `startCursor`).",
        ),
        arg(
            "where",
            TypeRef::named(WHERE),
            "Only creators meeting these filters; they apply before paging and to `totalCount`.",
        ),
        deprecated("minFollowers", TypeRef::named(TypeRef::INT), "minFollowers"),
        deprecated("verified", TypeRef::named(TypeRef::BOOLEAN), "verified"),
        deprecated("hasEmail", TypeRef::named(TypeRef::BOOLEAN), "hasEmail"),
        deprecated("platform", TypeRef::named("UsegemzPlatform"), "platform"),
    ]
}

/// The job arguments shared by `createScrapingJob` and `createCampaignWithJob`.
pub fn job_args() -> Vec<InputValue> {
    vec![
        arg(
            "platform",
            TypeRef::named_nn("UsegemzPlatform"),
            "Platform to search (stored with its exact casing).",
        ),
        arg(
            "keywords",
            TypeRef::named_list_nn(TypeRef::STRING),
            "Keywords of a keyword search (at least one; none for a similar search).",
        ),
        arg(
            "targetUsername",
            TypeRef::named(TypeRef::STRING),
            "Username of a similar search, e.g. `@creator` (none for a keyword search).",
        ),
        arg(
            "searchParams",
            TypeRef::named("JSON"),
            "Additional parameters (filters, sorting) as a JSON object.",
        ),
        arg(
            "region",
            TypeRef::named(TypeRef::STRING),
            "Search region, 1 to 10 characters (default `US`).",
        ),
        arg(
            "targetResults",
            TypeRef::named(TypeRef::INT),
            "Creators wanted, 1 to 10000 (default 1000).",
        ),
    ]
}
