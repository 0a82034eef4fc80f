//! `usegemzJobProgress(jobId)`: every status or progress change of a job the viewer owns,
//! starting with its current state and ending after a final status (completed, error,
//! timeout). Served over WebSocket (graphql-transport-ws) and Server-Sent Events.
//!
//! Statuses are effective ones: a job past its time limit is `timeout` although nothing wrote
//! it. So the first event of an expired job is `timeout` (and the stream ends), and a
//! subscriber of a live job wakes up at its `timeout_at` to read the job again and send the
//! `timeout` no write announces.

use std::sync::Arc;
use std::time::Duration;

use async_graphql::dynamic::{
    Field, FieldFuture, FieldValue, InputValue, Object, SubscriptionField, SubscriptionFieldFuture,
    Type, TypeRef,
};
use async_graphql::{ErrorExtensions, Name, Value};
use futures_util::stream::{self, StreamExt};
use tokio::sync::broadcast::error::RecvError;
use uuid::Uuid;

use crate::error::ApiError;
use crate::events::{BusEvent, JobProgress, job_state};
use crate::graphql::context::RequestData;
use crate::graphql::schema::object_id;
use crate::graphql::spec::{EnumDef, Source};
use crate::graphql::write::now;

const FINAL: [&str; 3] = ["completed", "error", "timeout"];

/// The shortest wait for a time limit.
const MIN_WAKE: Duration = Duration::from_millis(10);

/// The wait before reading a job again after the read at its time limit failed.
const RETRY: Duration = Duration::from_secs(1);

fn progress_type() -> Object {
    let f = |name: &'static str, ty: TypeRef, doc: &'static str| {
        Field::new(name, ty, move |ctx| {
            FieldFuture::new(async move {
                let p = ctx.parent_value.try_downcast_ref::<JobProgress>()?;
                let v = match name {
                    "id" => Value::String(object_id("UsegemzJobProgress", &[p.job_id.to_string()])),
                    "jobId" => Value::String(p.job_id.to_string()),
                    "status" => Value::Enum(Name::new(EnumDef::graphql_name(&p.status))),
                    "progress" => Value::String(p.progress.to_string()),
                    "processedRuns" => Value::Number(p.processed_runs.into()),
                    "processedResults" => Value::Number(p.processed_results.into()),
                    "targetResults" => Value::Number(p.target_results.into()),
                    _ => p.error.clone().map(Value::String).unwrap_or(Value::Null),
                };
                Ok(match v {
                    Value::Null => None,
                    v => Some(FieldValue::value(v)),
                })
            })
        })
        .description(doc)
    };
    Object::new("UsegemzJobProgress")
        .description("The state of a scraping job after a change.")
        .field(f(
            "id",
            TypeRef::named_nn(TypeRef::ID),
            "Global id of the job's progress: one per job, so a cache keeps its latest state.",
        ))
        .field(f("jobId", TypeRef::named_nn("UUID"), "The job."))
        .field(f(
            "status",
            TypeRef::named_nn("UsegemzJobStatus"),
            "Its status.",
        ))
        .field(f(
            "progress",
            TypeRef::named_nn("Decimal"),
            "Progress percentage, 0 to 100, at the job's scale (`78.50`), as the job reads it.",
        ))
        .field(f(
            "processedRuns",
            TypeRef::named_nn(TypeRef::INT),
            "API calls made.",
        ))
        .field(f(
            "processedResults",
            TypeRef::named_nn(TypeRef::INT),
            "Creators found.",
        ))
        .field(f(
            "targetResults",
            TypeRef::named_nn(TypeRef::INT),
            "Creators wanted.",
        ))
        .field(f(
            "error",
            TypeRef::named(TypeRef::STRING),
            "Why the job failed.",
        ))
}

/// How long until a live (pending or processing) job's time limit passes, when it has one.
fn until_time_limit(state: &JobProgress) -> Option<Duration> {
    if !matches!(state.status.as_str(), "pending" | "processing") {
        return None;
    }
    let left = state.timeout_at? - now();
    // A floor, so a clock that disagrees by a hair cannot spin on re-reads.
    Some(left.to_std().unwrap_or_default().max(MIN_WAKE))
}

/// Sleeps for `d`, or forever without one.
async fn sleep_for(d: Option<Duration>) {
    match d {
        Some(d) => tokio::time::sleep(d).await,
        None => std::future::pending().await,
    }
}

/// The subscription fields of usegemz.
pub fn subscriptions(source: &'static Source) -> (Vec<SubscriptionField>, Vec<Type>) {
    let field = SubscriptionField::new("usegemzJobProgress", TypeRef::named_nn("UsegemzJobProgress"), move |ctx| {
        SubscriptionFieldFuture::new(async move {
            let data = ctx.data::<RequestData>()?;
            let viewer = data
                .viewer
                .key_in(source.id)
                .ok_or_else(|| ApiError::Unauthenticated("sign in to usegemz to follow a job".into()).extend())?
                .to_owned();
            let admin = data.viewer.is_admin(source.id);
            let id = ctx.args.try_get("jobId")?.string()?.to_owned();
            let job_id = Uuid::parse_str(&id).map_err(|_| ApiError::input("jobId", "expected a UUID").extend())?;
            let state = job_state(&data.conns, job_id)
                .await
                .map_err(|e| e.extend())?
                .filter(|s| admin || s.user_id == viewer)
                .ok_or_else(|| ApiError::NotFound(format!("no job {job_id}")).extend())?;
            // Subscribe before answering the current state, so no change falls in between.
            let rx = data.events.subscribe();
            let conns = data.conns.clone();
            let first = stream::once({
                let state = state.clone();
                async move { Ok::<_, async_graphql::Error>(FieldValue::owned_any(state)) }
            });
            let changes = stream::unfold((rx, state), move |(mut rx, last)| {
                let conns = conns.clone();
                async move {
                    if FINAL.contains(&last.status.as_str()) {
                        return None;
                    }
                    loop {
                        let deadline = until_time_limit(&last);
                        let received = tokio::select! {
                            r = rx.recv() => Some(r),
                            () = sleep_for(deadline) => None,
                        };
                        let woke = received.is_none();
                        let next = match received {
                            Some(Ok(BusEvent::Job(e))) if e.job_id == job_id => Arc::unwrap_or_clone(e),
                            Some(Ok(BusEvent::Job(_))) => continue,
                            // Events may be gone, or the time limit passed without a write: the
                            // job's state as read now is the truth.
                            Some(Ok(BusEvent::Resync) | Err(RecvError::Lagged(_))) | None => {
                                match job_state(&conns, job_id).await {
                                    Ok(Some(s)) => s,
                                    Ok(None) => return None,
                                    Err(e) => {
                                        // Past the limit the next wake-up is immediate: pace
                                        // the retries instead of answering errors in a loop.
                                        if woke {
                                            tokio::time::sleep(RETRY).await;
                                        }
                                        return Some((Err(e.extend()), (rx, last)));
                                    }
                                }
                            }
                            Some(Err(RecvError::Closed)) => return None,
                        };
                        if next != last {
                            return Some((Ok(FieldValue::owned_any(next.clone())), (rx, next)));
                        }
                    }
                }
            });
            Ok(first.chain(changes))
        })
    })
    .description("Every status or progress change of a scraping job the viewer owns: its current state first, then each change, ending after a final status. A job whose time limit passes reads as TIMEOUT, sent when the limit passes even without a write.")
    .argument(InputValue::new("jobId", TypeRef::named_nn("UUID")).description("The job."));
    (vec![field], vec![Type::from(progress_type())])
}
