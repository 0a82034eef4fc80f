//! The legacy `search_jobs` / `search_results` tables of usegemz (seed 001, "Legacy Tables")
//! read end to end on every backend: the owner of their campaign reads their real values
//! (status, expected and completed counts, found creators and their count) through the root
//! lists and lookups, the campaign's nested list and aggregates; another user and the
//! anonymous viewer see none of it (empty lists, `null` lookups, zero counts), and an admin
//! reads every row. There are no writes for these tables, so the test stores the rows itself.

use e2e::{Backend, Data, TestApp, backends};
use entity::usegemz::{search_jobs, search_results};
use migration::Database;
use sea_orm::prelude::DateTime;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use serde_json::{Value, json};
use uuid::Uuid;

const OWNER: &str = "user_2legacyOwner";
const OTHER: &str = "user_2legacyOther";
const ADMIN: &str = "user_2legacyAdmin";

const RESULT: &str = "rowId username displayName platform followers isVerified email bio rawData";

/// Everything a viewer can ask about the legacy rows, from every entry point.
fn everything() -> String {
    let job = format!(
        "rowId platform searchType status totalCount completedCount completedAt campaign {{ name }}
         results(orderBy: [CREATED_AT_ASC]) {{ totalCount nodes {{ {RESULT} }} }}"
    );
    format!(
        "query($c: UUID!, $j: String!, $r: UUID!) {{ usegemz {{
           campaign(rowId: $c) {{ searchJobs {{ totalCount nodes {{ rowId status }} }} }}
           searchJobs(orderBy: [CREATED_AT_ASC]) {{ totalCount nodes {{ {job} }} }}
           searchJob(rowId: $j) {{ {job} }}
           searchResults {{ totalCount aggregate {{ count sum {{ followers }} }} }}
           searchResult(rowId: $r) {{ {RESULT} job {{ rowId status }} }}
           completed: searchJobs(where: {{ status: {{ eq: COMPLETED }} }}) {{ totalCount nodes {{ rowId }} }}
         }} }}"
    )
}

/// A UTC time `secs` after the epoch.
fn at(secs: i64) -> DateTime {
    sea_orm::prelude::ChronoDateTimeUtc::from_timestamp(secs, 0)
        .map(|t| t.naive_utc())
        .unwrap_or_default()
}

struct Legacy {
    app: TestApp,
    campaign: String,
    done: String,
    running: String,
    result: Uuid,
}

/// A campaign of the owner with two legacy search jobs: a completed one with its two found
/// creators, and a processing one with one of its five.
async fn legacy(backend: &Backend) -> Legacy {
    let app = TestApp::spawn(backend, Data::Empty).await;
    let owner = app.token("usegemz", OWNER);
    let create =
        "mutation { usegemz { createCampaign(name: \"Legacy\", searchType: KEYWORD) { rowId } } }";
    let r = app.gql(create, json!({}), Some(&owner)).await;
    let campaign = r.data()["usegemz"]["createCampaign"]["rowId"]
        .as_str()
        .unwrap_or_else(|| panic!("campaign: {}", r.body))
        .to_owned();
    let campaign_id = Uuid::parse_str(&campaign).unwrap_or_else(|e| panic!("{e}"));
    let db = app.db(Database::Usegemz);
    let (done, running) = ("sj_legacy_done".to_owned(), "sj_legacy_running".to_owned());
    for (id, status, total, completed, t, finished) in [
        (
            &done,
            "completed",
            3,
            2,
            1_700_000_000,
            Some(at(1_700_000_600)),
        ),
        (&running, "processing", 5, 1, 1_700_001_000, None),
    ] {
        search_jobs::ActiveModel {
            id: Set(id.clone()),
            campaign_id: Set(Some(campaign_id)),
            platform: Set("TikTok".into()),
            search_type: Set("keyword".into()),
            status: Set(status.into()),
            total_count: Set(total),
            completed_count: Set(completed),
            created_at: Set(at(t)),
            updated_at: Set(at(t)),
            completed_at: Set(finished),
        }
        .insert(db)
        .await
        .unwrap_or_else(|e| panic!("search job: {e}"));
    }
    let mut first = None;
    for (job, user, followers, verified, email, t) in [
        (
            &done,
            "fit_anna",
            12_000,
            "true",
            Some("anna@example.com"),
            1_700_000_100,
        ),
        (&done, "fit_ben", 800, "false", None, 1_700_000_200),
        (&running, "fit_cleo", 55_000, "true", None, 1_700_001_100),
    ] {
        let id = Uuid::new_v4();
        first.get_or_insert(id);
        search_results::ActiveModel {
            id: Set(id),
            job_id: Set(job.clone()),
            profile_id: Set(format!("tt_{user}")),
            username: Set(user.into()),
            display_name: Set(Some(user.to_uppercase())),
            platform: Set("TikTok".into()),
            profile_url: Set(None),
            post_url: Set(None),
            post_description: Set(None),
            avatar_url: Set(None),
            followers: Set(Some(followers)),
            is_verified: Set(Some(verified.into())),
            email: Set(email.map(str::to_owned)),
            bio: Set(Some(format!("{user} bio"))),
            raw_data: Set(Some(json!({ "source": "legacy", "user": user }))),
            created_at: Set(at(t)),
        }
        .insert(db)
        .await
        .unwrap_or_else(|e| panic!("search result: {e}"));
    }
    Legacy {
        app,
        campaign,
        done,
        running,
        result: first.unwrap_or_default(),
    }
}

impl Legacy {
    async fn read(&self, token: Option<&str>) -> Value {
        let vars = json!({ "c": self.campaign, "j": self.done, "r": self.result });
        let r = self.app.gql(&everything(), vars, token).await;
        r.data()["usegemz"].clone()
    }
}

#[tokio::test]
async fn legacy_search_jobs_read_with_their_values_for_their_owner_only() {
    for backend in backends() {
        let b = backend.name();
        let l = legacy(&backend).await;
        let owner = l.app.token("usegemz", OWNER);

        // The owner: every value as stored, counts included.
        let d = l.read(Some(&owner)).await;
        let jobs = &d["searchJobs"];
        assert_eq!(jobs["totalCount"], 2, "{b}: {d}");
        let done = &jobs["nodes"][0];
        let want = json!({
            "rowId": l.done, "platform": "TIKTOK", "searchType": "KEYWORD", "status": "COMPLETED",
            "totalCount": 3, "completedCount": 2, "campaign": { "name": "Legacy" },
        });
        for (k, v) in want.as_object().into_iter().flatten() {
            assert_eq!(&done[k], v, "{b}: {k}: {done}");
        }
        let finished = done["completedAt"].as_str().unwrap_or_default();
        assert!(finished.starts_with("2023-11-14T22:23:20"), "{b}: {done}");
        assert_eq!(done["results"]["totalCount"], 2, "{b}: {done}");
        let anna = &done["results"]["nodes"][0];
        assert_eq!(
            json!([
                anna["username"],
                anna["displayName"],
                anna["followers"],
                anna["isVerified"],
                anna["email"],
                anna["rawData"]["user"]
            ]),
            json!([
                "fit_anna",
                "FIT_ANNA",
                12000,
                true,
                "anna@example.com",
                "fit_anna"
            ]),
            "{b}: {anna}"
        );
        assert_eq!(done["results"]["nodes"][1]["isVerified"], false, "{b}");
        assert_eq!(done["results"]["nodes"][1]["email"], Value::Null, "{b}");
        let running = &jobs["nodes"][1];
        assert_eq!(
            json!([
                running["rowId"],
                running["status"],
                running["totalCount"],
                running["completedCount"],
                running["completedAt"],
                running["results"]["totalCount"]
            ]),
            json!([l.running, "PROCESSING", 5, 1, null, 1]),
            "{b}: {running}"
        );
        // The lookup, the campaign's own list, the result list with its aggregates, a filter.
        assert_eq!(d["searchJob"], *done, "{b}: the lookup reads the same");
        assert_eq!(d["campaign"]["searchJobs"]["totalCount"], 2, "{b}: {d}");
        let results = &d["searchResults"];
        assert_eq!(
            json!([results["totalCount"], results["aggregate"]["count"]]),
            json!([3, 3]),
            "{b}: {results}"
        );
        // A sum answers a Float.
        let sum = &results["aggregate"]["sum"]["followers"];
        assert_eq!(sum.as_f64(), Some(67_800.0), "{b}: {results}");
        assert_eq!(d["searchResult"]["username"], "fit_anna", "{b}");
        assert_eq!(d["searchResult"]["job"]["status"], "COMPLETED", "{b}");
        assert_eq!(d["completed"]["totalCount"], 1, "{b}");
        assert_eq!(d["completed"]["nodes"][0]["rowId"], json!(l.done), "{b}");

        // Another user and the anonymous viewer: no row, no count, no lookup, no error that
        // would tell the rows exist.
        let other = l.app.token("usegemz", OTHER);
        for (who, token) in [("other", Some(other.as_str())), ("anonymous", None)] {
            let d = l.read(token).await;
            assert_eq!(d["campaign"], Value::Null, "{b} {who}: {d}");
            assert_eq!(d["searchJobs"]["totalCount"], 0, "{b} {who}: {d}");
            assert_eq!(d["searchJobs"]["nodes"], json!([]), "{b} {who}");
            assert_eq!(d["searchJob"], Value::Null, "{b} {who}");
            assert_eq!(d["searchResults"]["totalCount"], 0, "{b} {who}");
            assert_eq!(d["searchResults"]["aggregate"]["count"], 0, "{b} {who}");
            assert_eq!(d["searchResult"], Value::Null, "{b} {who}");
            assert_eq!(d["completed"]["totalCount"], 0, "{b} {who}");
        }

        // An admin of the source reads every row.
        let admin = l.app.token("usegemz", ADMIN);
        let create =
            "mutation { usegemz { createProfile(email: \"admin@example.com\") { userId } } }";
        l.app.gql(create, json!({}), Some(&admin)).await.data();
        l.app.grant("usegemz", ADMIN, "admin").await;
        let d = l.read(Some(&admin)).await;
        assert_eq!(d["searchJobs"]["totalCount"], 2, "{b}: admin: {d}");
        assert_eq!(d["searchJob"]["results"]["totalCount"], 2, "{b}: admin");
    }
}
