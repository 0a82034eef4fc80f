//! A scraping job's time limit on the live `usegemzJobProgress` subscription, over WebSocket
//! (graphql-transport-ws) and Server-Sent Events, on every backend: a job already past its
//! limit answers `TIMEOUT` first and the stream ends; a subscriber of a running job receives
//! `TIMEOUT` when the limit passes although nothing was written. On PostgreSQL the writes go
//! through a second gateway replica.

use std::time::Duration;

use e2e::fixtures::ug_job;
use e2e::live::{JOB_PROGRESS, Sse, Ws, connect, next, spawn_with_job, subscribe};
use e2e::{Backend, Data, TestApp, backends};
use entity::usegemz::scraping_jobs;
use migration::Database;
use sea_orm::prelude::DateTime;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use serde_json::{Value, json};
use uuid::Uuid;

const OWNER: &str = "user_2timeoutOwner";

/// The time limit of a job that is still running when the test subscribes: long enough for a
/// status write to land before it, short enough to wait for.
const LIMIT: Duration = Duration::from_secs(3);

/// The current time as the gateway stores it (UTC, no zone).
fn now() -> DateTime {
    chrono::Utc::now().naive_utc()
}

/// Sets a job's stored status and time limit directly, as a worker's earlier writes would
/// have left them.
async fn arrange(app: &TestApp, id: Uuid, status: &str, timeout_at: DateTime) {
    let db = app.db(Database::Usegemz);
    let job = scraping_jobs::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap_or_else(|e| panic!("read job: {e}"))
        .unwrap_or_else(|| panic!("no job {id}"));
    let mut job: scraping_jobs::ActiveModel = job.into();
    job.status = Set(status.to_owned());
    job.timeout_at = Set(Some(timeout_at));
    job.update(db)
        .await
        .unwrap_or_else(|e| panic!("arrange job: {e}"));
}

async fn stored_status(app: &TestApp, id: Uuid) -> String {
    scraping_jobs::Entity::find_by_id(id)
        .one(app.db(Database::Usegemz))
        .await
        .unwrap_or_else(|e| panic!("read job: {e}"))
        .unwrap_or_else(|| panic!("no job {id}"))
        .status
}

async fn set_status(app: &TestApp, id: Uuid, status: &str) {
    let token = app.token("usegemz", OWNER);
    let r = app
        .gql(
            "mutation($id: UUID!, $s: UsegemzJobStatus!) { usegemz { updateJobStatus(id: $id, status: $s) { status } } }",
            json!({ "id": id.to_string(), "s": status }),
            Some(&token),
        )
        .await;
    assert!(r.body.get("errors").is_none(), "{}", r.body);
}

/// A graphql-transport-ws subscription to `job`'s progress, as `OWNER`.
async fn subscribe_ws(app: &TestApp, job: Uuid) -> Ws {
    let url = format!("{}/graphql", app.url);
    let mut ws = connect(&url, &app.token("usegemz", OWNER)).await;
    subscribe(&mut ws, "1", JOB_PROGRESS, job).await;
    ws
}

/// An event-stream subscription to `job`'s progress, as `OWNER`.
async fn subscribe_sse(app: &TestApp, job: Uuid) -> Sse {
    Sse::open(app, &app.token("usegemz", OWNER), JOB_PROGRESS, job).await
}

/// A gateway on `backend`, its writer replica (on PostgreSQL, so that writes reach the
/// subscriber by LISTEN/NOTIFY), and a job of `OWNER`'s pending until its time limit, which
/// is [`LIMIT`] from now: `(app, replica, job, limit)`.
async fn running(backend: &Backend) -> (TestApp, Option<TestApp>, Uuid, DateTime) {
    let (app, replica, id) = spawn_with_job(backend, OWNER).await;
    let limit = now() + chrono::Duration::from_std(LIMIT).unwrap_or_default();
    arrange(&app, id, "pending", limit).await;
    (app, replica, id, limit)
}

/// The status of a `next` message.
fn status(msg: &Value) -> &str {
    assert_eq!(msg["type"], "next", "{msg}");
    msg["payload"]["data"]["usegemzJobProgress"]["status"]
        .as_str()
        .unwrap_or_else(|| panic!("no status: {msg}"))
}

#[tokio::test]
async fn an_expired_job_answers_timeout_first_and_the_stream_ends() {
    for backend in backends() {
        let b = backend.name();
        let app = TestApp::spawn(&backend, Data::Empty).await;
        let id = ug_job(app.db(Database::Usegemz), OWNER).await;
        arrange(&app, id, "processing", now() - chrono::Duration::minutes(5)).await;

        let mut ws = subscribe_ws(&app, id).await;
        let first = next(&mut ws).await;
        assert_eq!(status(&first), "TIMEOUT", "{b}: {first}");
        let done = next(&mut ws).await;
        assert_eq!(done["type"], "complete", "{b}: {done}");

        let mut sse = subscribe_sse(&app, id).await;
        assert_eq!(sse.progress().await["status"], "TIMEOUT", "{b}");
        sse.ends().await;

        // Reading did not write: the stored status follows on the next write only.
        assert_eq!(stored_status(&app, id).await, "processing", "{b}");
    }
}

#[tokio::test]
async fn a_running_job_times_out_live_over_websocket() {
    for backend in backends() {
        let b = backend.name();
        let (app, replica, id, limit) = running(&backend).await;
        let writer = replica.as_ref().unwrap_or(&app);

        let mut ws = subscribe_ws(&app, id).await;
        let first = next(&mut ws).await;
        assert_eq!(status(&first), "PENDING", "{b}: {first}");
        set_status(writer, id, "PROCESSING").await;
        let second = next(&mut ws).await;
        assert_eq!(status(&second), "PROCESSING", "{b}: {second}");

        // Nothing is written from here on: the subscriber wakes up at the limit by itself.
        let third = next(&mut ws).await;
        assert!(now() >= limit, "{b}: TIMEOUT before the limit");
        assert_eq!(status(&third), "TIMEOUT", "{b}: {third}");
        assert!(
            now() - limit < chrono::Duration::seconds(5),
            "{b}: TIMEOUT long after the limit"
        );
        let done = next(&mut ws).await;
        assert_eq!(done["type"], "complete", "{b}: {done}");
        assert_eq!(stored_status(&app, id).await, "processing", "{b}");
    }
}

#[tokio::test]
async fn a_running_job_times_out_live_over_server_sent_events() {
    for backend in backends() {
        let b = backend.name();
        let (app, replica, id, limit) = running(&backend).await;
        let writer = replica.as_ref().unwrap_or(&app);

        let mut sse = subscribe_sse(&app, id).await;
        assert_eq!(sse.progress().await["status"], "PENDING", "{b}");
        set_status(writer, id, "PROCESSING").await;
        assert_eq!(sse.progress().await["status"], "PROCESSING", "{b}");
        assert_eq!(sse.progress().await["status"], "TIMEOUT", "{b}");
        assert!(now() >= limit, "{b}: TIMEOUT before the limit");
        sse.ends().await;
        assert_eq!(stored_status(&app, id).await, "processing", "{b}");
    }
}
