//! The GraphQL types of this group: the typed creators and their union, the creator
//! connection and its paging, a job's state, and the campaign-with-job result.

use std::sync::Arc;

use async_graphql::dynamic::{
    Field, FieldFuture, FieldValue, InputObject, InputValue, Object, Type, TypeRef, Union,
};
use async_graphql::{Name, Value as GqlValue};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::NaiveDateTime;
use serde_json::Value;
use uuid::Uuid;

use super::creators::{self, Key, Obj, Ty};
use super::status::{Found, JobState};
use crate::error::ApiError;
use crate::graphql::connection::Page;
use crate::graphql::spec::{EnumDef, Kind, Source, camel};
use crate::graphql::value::{Cell, Key as RowKey};

/// The union of typed creators.
pub const CREATOR: &str = "UsegemzCreator";
/// Fallback member for records of no known shape.
pub const RAW: &str = "UsegemzRawCreator";
/// A page of creators.
pub const CONNECTION: &str = "UsegemzCreatorConnection";
/// The filter input of a job's creators.
pub const WHERE: &str = "UsegemzCreatorWhere";
const EDGE: &str = "UsegemzCreatorEdge";
/// A job's state.
pub const JOB_STATE: &str = "UsegemzJobState";
/// The result of `createCampaignWithJob`.
pub const CAMPAIGN_WITH_JOB: &str = "UsegemzCampaignWithJob";

/// Default page size of a job's creators.
pub const DEFAULT_PAGE: usize = 20;
/// Largest page size (`first` or `last`) of a job's creators.
pub const MAX_PAGE: usize = 100;

fn value(v: GqlValue) -> Option<FieldValue<'static>> {
    match v {
        GqlValue::Null => None,
        v => Some(FieldValue::value(v)),
    }
}

fn key_field(key: &'static Key) -> Field {
    let ty = match key.ty {
        Ty::Str => TypeRef::named_nn(TypeRef::STRING),
        Ty::Int => TypeRef::named_nn(TypeRef::INT),
        Ty::Count => TypeRef::named_nn("BigInt"),
        Ty::Bool => TypeRef::named_nn(TypeRef::BOOLEAN),
        Ty::StrList => TypeRef::named_nn_list_nn(TypeRef::STRING),
        Ty::Lit(def, _) => TypeRef::named_nn(def.name),
        Ty::Obj(o) => TypeRef::named_nn(o.type_name),
    };
    Field::new(camel(key.key), ty, move |ctx| {
        FieldFuture::new(async move {
            let parent = ctx.parent_value.try_downcast_ref::<Value>()?;
            let v = parent.get(key.key).cloned().unwrap_or(Value::Null);
            Ok(match key.ty {
                Ty::Obj(_) => (!v.is_null()).then(|| FieldValue::owned_any(v)),
                Ty::Count => v
                    .as_i64()
                    .map(|n| FieldValue::value(GqlValue::String(n.to_string()))),
                Ty::Lit(..) => v.as_str().map(|s| {
                    FieldValue::value(GqlValue::Enum(Name::new(EnumDef::graphql_name(s))))
                }),
                _ => value(GqlValue::from_json(v).unwrap_or(GqlValue::Null)),
            })
        })
    })
    .description(format!(
        "{} (JSON key `{}`).",
        key.doc.trim_end_matches('.'),
        key.key
    ))
}

fn shape_object(obj: &'static Obj) -> Object {
    let mut o = Object::new(obj.type_name).description(obj.doc);
    for key in obj.keys {
        o = o.field(key_field(key));
    }
    o
}

/// A creator in a page, with its cursor.
struct Item {
    cursor: String,
    creator: Value,
    type_name: &'static str,
}

impl Item {
    fn node(&self) -> FieldValue<'static> {
        FieldValue::owned_any(self.creator.clone()).with_type(self.type_name)
    }
}

/// A page of a job's creators.
pub struct CreatorPage {
    items: Vec<Arc<Item>>,
    page: Arc<Page>,
    total: usize,
}

/// Filters of a job's creators (`UsegemzCreatorWhere`).
#[derive(Debug, Clone, Default)]
pub struct CreatorFilter {
    /// At least this many followers (creators without a follower count never match).
    pub min_followers: Option<i64>,
    /// Verified or not (creators without the information count as not verified).
    pub verified: Option<bool>,
    /// With or without a contact e-mail.
    pub has_email: Option<bool>,
    /// Of this platform (stored casing).
    pub platform: Option<String>,
}

impl CreatorFilter {
    fn matches(&self, v: &Value) -> bool {
        self.min_followers
            .is_none_or(|m| creators::followers(v).is_some_and(|f| f >= m))
            && self.verified.is_none_or(|b| creators::verified(v) == b)
            && self.has_email.is_none_or(|b| creators::has_email(v) == b)
            && self
                .platform
                .as_deref()
                .is_none_or(|p| creators::platform(v) == Some(p))
    }
}

/// Where a creator stands in its job's order: its result row's `created_at` and id, then its
/// index in the row's array.
type Position = (Option<NaiveDateTime>, Uuid, usize);

const CURSOR_TIME: &str = "%Y-%m-%dT%H:%M:%S%.f";

fn position(f: &Found) -> Position {
    (f.at, f.result, f.index)
}

/// A cursor carries the creator's position itself (as the gateway's other cursors carry their
/// sort key), so a cursor bounds the creators of any job, not only of the one it came from: a
/// nested `creators(after: …)` over several jobs pages each of them from that point.
fn encode_cursor(p: &Position) -> String {
    let at =
        p.0.map_or_else(|| "-".to_owned(), |t| t.format(CURSOR_TIME).to_string());
    URL_SAFE_NO_PAD.encode(format!("creator:{at}:{}:{}", p.1, p.2))
}

fn decode_cursor(cursor: &str) -> Option<Position> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor.trim()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let rest = text.strip_prefix("creator:")?;
    // The time holds colons itself: split the id and the index off the right.
    let mut parts = rest.rsplitn(3, ':');
    let index = parts.next()?.parse().ok()?;
    let id = Uuid::parse_str(parts.next()?).ok()?;
    let at = match parts.next()? {
        "-" => None,
        t => Some(NaiveDateTime::parse_from_str(t, CURSOR_TIME).ok()?),
    };
    Some((at, id, index))
}

/// Which of the matching creators a page holds, Relay-style: `first` after `after` (forward,
/// the default) or `last` before `before` (backward: the newest creators).
#[derive(Debug, Clone, Default)]
pub struct CreatorPaging {
    /// Creators from the start of the window; [`DEFAULT_PAGE`] when neither this nor `last`.
    pub first: Option<usize>,
    /// Creators from the end of the window.
    pub last: Option<usize>,
    /// Cursor the window starts after.
    pub after: Option<String>,
    /// Cursor the window ends before.
    pub before: Option<String>,
}

/// One page of `all` (a job's creators in order) after filtering: the matching creators between
/// the `after` and `before` cursors, the first or the last of them as `paging` asks, in the
/// job's order either way, with the count of all that match.
pub fn page(
    all: Vec<Found>,
    filter: &CreatorFilter,
    paging: &CreatorPaging,
) -> Result<CreatorPage, ApiError> {
    let bound = |cursor: Option<&str>, arg: &str| {
        cursor
            .map(|c| decode_cursor(c).ok_or_else(|| ApiError::input(arg, "not a creator cursor")))
            .transpose()
    };
    let after = bound(paging.after.as_deref(), "after")?;
    let before = bound(paging.before.as_deref(), "before")?;
    let mut total = 0;
    let mut window = Vec::new();
    for f in all {
        if !filter.matches(&f.creator) {
            continue;
        }
        total += 1;
        let at = position(&f);
        if after.is_none_or(|a| at > a) && before.is_none_or(|b| at < b) {
            window.push(f);
        }
    }
    // As the gateway's other connections: the far side of a page is known exactly, the side
    // of a given cursor is reported as non-empty.
    let (kept, has_next, has_previous) = match paging.last {
        Some(n) => {
            let more = window.len() > n;
            let skip = window.len().saturating_sub(n);
            let kept: Vec<Found> = window.into_iter().skip(skip).collect();
            (kept, paging.before.is_some(), more)
        }
        None => {
            let n = paging.first.unwrap_or(DEFAULT_PAGE);
            let more = window.len() > n;
            window.truncate(n);
            (window, more, paging.after.is_some())
        }
    };
    let items: Vec<Arc<Item>> = kept
        .into_iter()
        .map(|f| {
            let type_name = creators::typed(&f.creator).map_or(RAW, |o| o.type_name);
            Arc::new(Item {
                cursor: encode_cursor(&position(&f)),
                creator: f.creator,
                type_name,
            })
        })
        .collect();
    let page = Arc::new(Page::of_cursors(
        items.iter().map(|i| i.cursor.clone()).collect(),
        has_next,
        has_previous,
    ));
    Ok(CreatorPage { items, page, total })
}

fn where_type() -> InputObject {
    let f = |name: &str, ty: TypeRef, doc: &str| InputValue::new(name, ty).description(doc);
    InputObject::new(WHERE)
        .description("Filters of a job's creators; all given ones must hold (AND), and they apply before paging.")
        .field(f("minFollowers", TypeRef::named(TypeRef::INT), "At least this many followers (`creator.followers`); shapes without a follower count (Instagram similar) never match."))
        .field(f("verified", TypeRef::named(TypeRef::BOOLEAN), "Verified (true) or not verified (false) by the platform; shapes without the information count as not verified."))
        .field(f("hasEmail", TypeRef::named(TypeRef::BOOLEAN), "With (true) or without (false) a contact e-mail (`creator.emails`)."))
        .field(f("platform", TypeRef::named("UsegemzPlatform"), "Of this platform."))
}

fn creator_types() -> Vec<Type> {
    let mut out: Vec<Type> = creators::all_objects()
        .into_iter()
        .map(|o| Type::from(shape_object(o)))
        .collect();
    out.push(Type::from(
        Object::new(RAW)
            .description("A stored creator record of no known shape (e.g. an Instagram keyword or YouTube similar search, UG-A12), as raw JSON.")
            .field(
                Field::new("json", TypeRef::named_nn("JSON"), |ctx| {
                    FieldFuture::new(async move {
                        let v = ctx.parent_value.try_downcast_ref::<Value>()?;
                        Ok(value(GqlValue::from_json(v.clone()).unwrap_or(GqlValue::Null)))
                    })
                })
                .description("The record as stored."),
            ),
    ));
    let mut union = Union::new(CREATOR).description(
        "A creator found by a scraping job, typed by its platform and search type (UG-J01); records of no known shape are `UsegemzRawCreator`.",
    );
    for s in creators::SHAPES {
        union = union.possible_type(s.type_name);
    }
    out.push(Type::from(union.possible_type(RAW)));
    out
}

fn connection_types() -> Vec<Type> {
    let edge = Object::new(EDGE)
        .description("A creator in a page, with its cursor.")
        .field(
            Field::new("cursor", TypeRef::named_nn(TypeRef::STRING), |ctx| {
                FieldFuture::new(async move {
                    let item = ctx.parent_value.try_downcast_ref::<Arc<Item>>()?;
                    Ok(Some(FieldValue::value(GqlValue::String(
                        item.cursor.clone(),
                    ))))
                })
            })
            .description("Opaque cursor of this creator (its result record and index)."),
        )
        .field(
            Field::new("node", TypeRef::named_nn(CREATOR), |ctx| {
                FieldFuture::new(async move {
                    let item = ctx.parent_value.try_downcast_ref::<Arc<Item>>()?;
                    Ok(Some(item.node()))
                })
            })
            .description("The creator."),
        );
    let conn = Object::new(CONNECTION)
        .description("A page of a job's creators, flattened from all its result records in order.")
        .field(
            Field::new("edges", TypeRef::named_nn_list_nn(EDGE), |ctx| {
                FieldFuture::new(async move {
                    let p = ctx.parent_value.try_downcast_ref::<CreatorPage>()?;
                    Ok(Some(FieldValue::list(
                        p.items.iter().map(|i| FieldValue::owned_any(i.clone())),
                    )))
                })
            })
            .description("The creators of the page with their cursors."),
        )
        .field(
            Field::new("nodes", TypeRef::named_nn_list_nn(CREATOR), |ctx| {
                FieldFuture::new(async move {
                    let p = ctx.parent_value.try_downcast_ref::<CreatorPage>()?;
                    Ok(Some(FieldValue::list(p.items.iter().map(|i| i.node()))))
                })
            })
            .description("The creators of the page."),
        )
        .field(
            Field::new("pageInfo", TypeRef::named_nn("PageInfo"), |ctx| {
                FieldFuture::new(async move {
                    let p = ctx.parent_value.try_downcast_ref::<CreatorPage>()?;
                    Ok(Some(FieldValue::owned_any(p.page.clone())))
                })
            })
            .description("Where this page stands."),
        )
        .field(
            Field::new("totalCount", TypeRef::named_nn(TypeRef::INT), |ctx| {
                FieldFuture::new(async move {
                    let p = ctx.parent_value.try_downcast_ref::<CreatorPage>()?;
                    Ok(Some(FieldValue::value(GqlValue::Number(p.total.into()))))
                })
            })
            .description("Creators meeting the filters, ignoring paging."),
        );
    vec![Type::from(edge), Type::from(conn)]
}

fn state_type() -> Object {
    let f = |name: &'static str, ty: TypeRef, doc: &'static str| {
        Field::new(name, ty, move |ctx| {
            FieldFuture::new(async move {
                let s = ctx.parent_value.try_downcast_ref::<JobState>()?;
                let v = match name {
                    "jobId" => GqlValue::String(s.id.to_string()),
                    "status" => GqlValue::Enum(Name::new(EnumDef::graphql_name(&s.status))),
                    "progress" => GqlValue::String(s.progress.to_string()),
                    "processedRuns" => GqlValue::Number(s.processed_runs.into()),
                    "processedResults" => GqlValue::Number(s.processed_results.into()),
                    "targetResults" => GqlValue::Number(s.target_results.into()),
                    "timedOut" => GqlValue::Boolean(s.timed_out),
                    "timeoutAt" => s.timeout_at.map_or(GqlValue::Null, |t| {
                        Cell::Timestamp(t).graphql(Kind::Timestamp)
                    }),
                    _ => s.error.clone().map_or(GqlValue::Null, GqlValue::String),
                };
                Ok(value(v))
            })
        })
        .description(doc)
    };
    Object::new(JOB_STATE)
        .description("The state of a scraping job as it is now: a job past its time limit reads as `TIMEOUT` even before the stored status follows (on the job's next write).")
        .field(f("jobId", TypeRef::named_nn("UUID"), "The job."))
        .field(f("status", TypeRef::named_nn("UsegemzJobStatus"), "Effective status: `TIMEOUT` once `timeoutAt` passed while pending or processing."))
        .field(f("progress", TypeRef::named_nn("Decimal"), "Progress percentage, 0 to 100."))
        .field(f("processedRuns", TypeRef::named_nn(TypeRef::INT), "API calls made."))
        .field(f("processedResults", TypeRef::named_nn(TypeRef::INT), "Creators found."))
        .field(f("targetResults", TypeRef::named_nn(TypeRef::INT), "Creators wanted."))
        .field(f("timedOut", TypeRef::named_nn(TypeRef::BOOLEAN), "Whether the job timed out (stored, or by its time limit)."))
        .field(f("timeoutAt", TypeRef::named("DateTime"), "The job's time limit."))
        .field(f("error", TypeRef::named(TypeRef::STRING), "Why the job failed."))
}

/// Reads the row `id` of `table` back after a write, through the read layer for the field
/// being resolved (the shared [`crate::graphql::schema::written`]).
pub async fn row_by_id(
    ctx: &async_graphql::dynamic::ResolverContext<'_>,
    source: &'static Source,
    table: &str,
    id: Uuid,
) -> async_graphql::Result<Option<FieldValue<'static>>> {
    crate::graphql::schema::written(ctx, source, table, RowKey::Uuid(id)).await
}

fn campaign_with_job(source: &'static Source) -> Object {
    Object::new(CAMPAIGN_WITH_JOB)
        .description("A campaign and its first scraping job, created together in one transaction.")
        .field(
            Field::new(
                "campaign",
                TypeRef::named_nn("UsegemzCampaign"),
                move |ctx| {
                    FieldFuture::new(async move {
                        let (campaign, _) = *ctx.parent_value.try_downcast_ref::<(Uuid, Uuid)>()?;
                        row_by_id(&ctx, source, "campaigns", campaign).await
                    })
                },
            )
            .description("The campaign."),
        )
        .field(
            Field::new("job", TypeRef::named_nn("UsegemzScrapingJob"), move |ctx| {
                FieldFuture::new(async move {
                    let (_, job) = *ctx.parent_value.try_downcast_ref::<(Uuid, Uuid)>()?;
                    row_by_id(&ctx, source, "scraping_jobs", job).await
                })
            })
            .description("Its scraping job."),
        )
}

/// Every type this group adds to the schema.
pub fn types(source: &'static Source) -> Vec<Type> {
    let mut out = creator_types();
    out.extend(connection_types());
    out.push(Type::from(where_type()));
    out.push(Type::from(state_type()));
    out.push(Type::from(campaign_with_job(source)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn found(result: Uuid, n: usize) -> Vec<Found> {
        (0..n)
            .map(|index| Found {
                at: None,
                result,
                index,
                creator: json!({ "followers": index, "platform": "TikTok" }),
            })
            .collect()
    }

    fn forward(first: usize, after: Option<String>) -> CreatorPaging {
        CreatorPaging {
            first: Some(first),
            after,
            ..Default::default()
        }
    }

    fn followers(p: &CreatorPage) -> Vec<i64> {
        p.items
            .iter()
            .filter_map(|i| i.creator["followers"].as_i64())
            .collect()
    }

    #[test]
    fn pages_follow_cursors_and_filters() -> Result<(), ApiError> {
        let r = Uuid::new_v4();
        let f = CreatorFilter {
            min_followers: Some(2),
            ..Default::default()
        };
        let p = page(found(r, 6), &f, &forward(2, None))?;
        assert_eq!((p.total, p.items.len(), p.page.has_next), (4, 2, true));
        let after = p.items.last().map(|i| i.cursor.clone());
        let p2 = page(found(r, 6), &f, &forward(2, after))?;
        assert_eq!((p2.items.len(), p2.page.has_next), (2, false));
        assert_eq!(p2.items[0].creator["followers"], 4);
        assert_eq!(p2.items[0].type_name, RAW);
        assert!(page(found(r, 1), &f, &forward(2, Some("nope".into()))).is_err());
        // A cursor bounds any job's creators by its position.
        let other = page(found(Uuid::nil(), 6), &f, &forward(9, None))?;
        let cursor = other.items.first().map(|i| i.cursor.clone());
        let p3 = page(found(Uuid::max(), 6), &f, &forward(9, cursor))?;
        assert_eq!(p3.items.len(), 4, "max > nil: all after");
        Ok(())
    }

    #[test]
    fn cursors_round_trip_their_position() {
        let t = chrono::DateTime::from_timestamp(1_700_000_000, 123_456_789).map(|t| t.naive_utc());
        for at in [t, None] {
            let p = (at, Uuid::new_v4(), 42);
            assert_eq!(decode_cursor(&encode_cursor(&p)), Some(p));
        }
        assert_eq!(decode_cursor("creator"), None);
    }

    #[test]
    fn backward_pages_hold_the_newest_in_order() -> Result<(), ApiError> {
        let r = Uuid::new_v4();
        let none = CreatorFilter::default();
        let last = |n: usize, before: Option<String>| CreatorPaging {
            last: Some(n),
            before,
            ..Default::default()
        };
        let p = page(found(r, 7), &none, &last(3, None))?;
        assert_eq!(followers(&p), [4, 5, 6]);
        assert_eq!(
            (p.total, p.page.has_previous, p.page.has_next),
            (7, true, false)
        );
        let before = p.items.first().map(|i| i.cursor.clone());
        let p = page(found(r, 7), &none, &last(3, before))?;
        assert_eq!(followers(&p), [1, 2, 3]);
        assert_eq!((p.page.has_previous, p.page.has_next), (true, true));
        let before = p.items.first().map(|i| i.cursor.clone());
        let p = page(found(r, 7), &none, &last(3, before))?;
        assert_eq!(followers(&p), [0]);
        assert!(!p.page.has_previous);
        // A window between two cursors, and more asked than it holds.
        let all = page(found(r, 7), &none, &forward(7, None))?;
        let window = CreatorPaging {
            last: Some(10),
            after: Some(all.items[1].cursor.clone()),
            before: Some(all.items[5].cursor.clone()),
            ..Default::default()
        };
        let p = page(found(r, 7), &none, &window)?;
        assert_eq!(followers(&p), [2, 3, 4]);
        let bad = page(found(r, 2), &none, &last(1, Some("bm9wZQ".into())));
        assert!(
            matches!(bad, Err(ApiError::BadUserInput { field: Some(ref f), .. }) if f == "before")
        );
        Ok(())
    }
}
