//! usegemz campaigns, scraping jobs and their results end to end: the campaign lifecycle, the
//! keyword/similar rules, `createCampaignWithJob` rollback (also of a database-level failure),
//! the job status flow with every illegal transition, progress capped at 100, time limits on
//! read, the creator shapes, the typed creators union with paging and filters, and foreign
//! users getting `NOT_FOUND` and never data — on every backend.

use e2e::{Backend, Data, Reply, TestApp, backends};
use entity::usegemz::{campaigns, scraping_jobs, scraping_results, system_configurations};
use migration::Database;
use sea_orm::prelude::DateTime;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait};
use sea_orm::{DatabaseConnection, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

const OWNER: &str = "user_2jobsOwner";
const OTHER: &str = "user_2jobsOther";

const CAMPAIGN: &str = "rowId userId name description searchType status";
const JOB: &str = "rowId userId status platform region keywords targetUsername targetResults processedRuns processedResults progress cursor runId qstashMessageId startedAt completedAt createdAt timeoutAt error campaign { rowId }";
const CREATE_JOB: &str = "mutation($c: UUID, $p: UsegemzPlatform!, $k: [String!], $u: String, $r: String, $n: Int, $sp: JSON) { usegemz { createScrapingJob(campaignId: $c, platform: $p, keywords: $k, targetUsername: $u, region: $r, targetResults: $n, searchParams: $sp) { JOB } } }";
const UPDATE_CAMPAIGN: &str = "mutation($id: UUID!, $s: UsegemzCampaignStatus, $n: String, $d: String) { usegemz { updateCampaign(id: $id, status: $s, name: $n, description: $d) { CAMPAIGN } } }";
const ARCHIVE: &str = "mutation($id: UUID!) { usegemz { archiveCampaign(id: $id) { CAMPAIGN } } }";
const SET_STATUS: &str = "mutation($id: UUID!, $s: UsegemzJobStatus!, $e: String) { usegemz { updateJobStatus(id: $id, status: $s, error: $e) { JOB } } }";
const PROGRESS: &str = "mutation($id: UUID!, $n: Int!) { usegemz { recordJobProgress(id: $id, newResults: $n, cursor: 7, runId: \"run_1\", qstashMessageId: \"msg_1\") { JOB } } }";
const APPEND: &str = "mutation($id: UUID!, $c: JSON!) { usegemz { appendJobResults(jobId: $id, creators: $c) { rowId job { processedResults progress } } } }";
const STATE: &str = "query($id: UUID!) { usegemz { jobStatus(id: $id) { jobId status progress processedRuns processedResults targetResults timedOut timeoutAt } } }";
const WITH_JOB: &str = "mutation($n: String!, $t: UsegemzSearchType!, $p: UsegemzPlatform!, $k: [String!], $u: String, $r: String) { usegemz { createCampaignWithJob(name: $n, searchType: $t, platform: $p, keywords: $k, targetUsername: $u, region: $r) { campaign { rowId status } job { rowId status userId campaign { rowId } } } } }";

struct World {
    app: TestApp,
    b: &'static str,
    owner: String,
    other: String,
}

async fn world(backend: &Backend) -> World {
    let app = TestApp::spawn(backend, Data::Empty).await;
    let owner = app.token("usegemz", OWNER);
    let other = app.token("usegemz", OTHER);
    let b = backend.name();
    World {
        app,
        b,
        owner,
        other,
    }
}

/// The query with its field lists filled in.
fn q(text: &str) -> String {
    text.replace("{ JOB }", &format!("{{ {JOB} }}"))
        .replace("{ CAMPAIGN }", &format!("{{ {CAMPAIGN} }}"))
}

/// The values of `keys` of `v`, as one JSON array.
fn pick(v: &Value, keys: &[&str]) -> Value {
    Value::Array(keys.iter().map(|k| v[*k].clone()).collect())
}

fn text(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("not a string: {v}"))
        .to_owned()
}

/// A UTC time `secs` after the epoch.
fn at(secs: i64) -> DateTime {
    sea_orm::prelude::ChronoDateTimeUtc::from_timestamp(secs, 0)
        .map(|t| t.naive_utc())
        .unwrap_or_default()
}

fn time(v: &Value) -> DateTime {
    DateTime::parse_from_str(&text(v), "%Y-%m-%dT%H:%M:%S%.fZ")
        .unwrap_or_else(|e| panic!("{v}: {e}"))
}

impl World {
    fn db(&self) -> &DatabaseConnection {
        self.app.db(Database::Usegemz)
    }

    /// Runs `text` as the owner, answering the namespace's `field`.
    async fn ok(&self, text: &str, vars: Value, field: &str) -> Value {
        let r = self.app.gql(&q(text), vars, Some(&self.owner)).await;
        r.data()["usegemz"][field].clone()
    }

    async fn run(&self, text: &str, vars: Value, token: Option<&str>) -> Reply {
        self.app.gql(&q(text), vars, token).await
    }

    /// Asserts an error of `code` (naming `arg` when given) and that no data came back.
    fn refused(&self, r: &Reply, code: &str, arg: Option<&str>, what: &str) {
        let b = self.b;
        assert_eq!(r.code(), Some(code), "{b}: {what}: {}", r.body);
        let data = &r.body["data"];
        assert!(
            data.is_null() || data["usegemz"].is_null(),
            "{b}: {what}: {}",
            r.body
        );
        if let Some(a) = arg {
            let field = r.body["errors"][0]["extensions"]["field"].as_str();
            assert_eq!(field, Some(a), "{b}: {what}: {}", r.body);
        }
    }

    /// Runs as the owner and expects `BAD_USER_INPUT` naming `arg`.
    async fn bad(&self, text: &str, vars: Value, arg: &str, what: &str) {
        let r = self.run(text, vars, Some(&self.owner)).await;
        self.refused(&r, "BAD_USER_INPUT", Some(arg), what);
    }

    /// Runs as another user and expects `NOT_FOUND` without data.
    async fn foreign(&self, text: &str, vars: Value, what: &str) {
        let r = self.run(text, vars, Some(&self.other)).await;
        self.refused(&r, "NOT_FOUND", None, what);
    }

    async fn campaign(&self, search_type: &str) -> String {
        let t = "mutation($t: UsegemzSearchType!) { usegemz { createCampaign(name: \"C\", searchType: $t) { CAMPAIGN } } }";
        text(
            &self
                .ok(t, json!({ "t": search_type }), "createCampaign")
                .await["rowId"],
        )
    }

    /// A job of `platform` in a new campaign of `search_type`, wanting `target` results.
    async fn job(&self, platform: &str, search_type: &str, target: i64) -> String {
        let c = self.campaign(search_type).await;
        let vars = match search_type {
            "KEYWORD" => json!({ "c": c, "p": platform, "k": ["fitness"], "n": target }),
            _ => json!({ "c": c, "p": platform, "u": "@original", "n": target }),
        };
        text(&self.ok(CREATE_JOB, vars, "createScrapingJob").await["rowId"])
    }

    async fn status(&self, id: &str, status: &str, error: Option<&str>) -> Value {
        let vars = json!({ "id": id, "s": status, "e": error });
        self.ok(SET_STATUS, vars, "updateJobStatus").await
    }

    async fn stored(&self, id: &str) -> Value {
        let t = "query($id: UUID!) { usegemz { scrapingJob(rowId: $id) { JOB } } }";
        self.ok(t, json!({ "id": id }), "scrapingJob").await
    }

    /// The status stored in the database, bypassing the gateway.
    async fn in_db(&self, id: &str) -> String {
        let id = Uuid::parse_str(id).unwrap_or_else(|e| panic!("{id}: {e}"));
        scraping_jobs::Entity::find_by_id(id)
            .one(self.db())
            .await
            .unwrap_or_else(|e| panic!("read job: {e}"))
            .unwrap_or_else(|| panic!("no job {id}"))
            .status
    }

    /// Asserts that the job's `status` is `want` on every read path: the root lookup, the root
    /// connection, its campaign's nested list and `node`; and that `status` filters treat it as
    /// `want` too.
    async fn reads_as(&self, id: &str, want: &str) {
        let b = self.b;
        let t = "query($id: UUID!) { usegemz { scrapingJob(rowId: $id) { id status campaign { rowId } } } }";
        let j = self.ok(t, json!({ "id": id }), "scrapingJob").await;
        assert_eq!(j["status"], want, "{b}: lookup: {j}");
        let gid = text(&j["id"]);
        let campaign = text(&j["campaign"]["rowId"]);

        let t = "query($id: UUID!) { usegemz { scrapingJobs(where: { rowId: { eq: $id } }) { nodes { status } } } }";
        let c = self.ok(t, json!({ "id": id }), "scrapingJobs").await;
        assert_eq!(c["nodes"][0]["status"], want, "{b}: connection: {c}");

        let t = "query($c: UUID!) { usegemz { campaign(rowId: $c) { scrapingJobs { nodes { rowId status } } } } }";
        let c = self.ok(t, json!({ "c": campaign }), "campaign").await;
        let nested: Vec<&Value> = c["scrapingJobs"]["nodes"]
            .as_array()
            .map(|n| n.iter().filter(|j| j["rowId"] == id).collect())
            .unwrap_or_default();
        assert_eq!(nested.len(), 1, "{b}: nested: {c}");
        assert_eq!(nested[0]["status"], want, "{b}: nested: {c}");

        let t = "query($id: ID!) { node(id: $id) { ... on UsegemzScrapingJob { status } } }";
        let r = self.run(t, json!({ "id": gid }), Some(&self.owner)).await;
        assert_eq!(r.data()["node"]["status"], want, "{b}: node: {}", r.body);

        // Filters (equality, set membership, comparisons) and orderings see the same status.
        for (filter, hit) in [
            (format!("{{ status: {{ eq: {want} }} }}"), true),
            (format!("{{ status: {{ ne: {want} }} }}"), false),
            (format!("{{ status: {{ in: [{want}] }} }}"), true),
            (format!("{{ status: {{ notIn: [{want}] }} }}"), false),
        ] {
            let t = format!(
                "query($c: UUID!) {{ usegemz {{ scrapingJobs(where: {{ campaignId: {{ eq: $c }}, and: [{filter}] }}) {{ nodes {{ rowId }} }} }} }}"
            );
            let r = self
                .run(&t, json!({ "c": campaign }), Some(&self.owner))
                .await;
            let found = r.data()["usegemz"]["scrapingJobs"]["nodes"]
                .as_array()
                .is_some_and(|n| n.iter().any(|j| j["rowId"] == id));
            assert_eq!(found, hit, "{b}: where {filter}: {}", r.body);
        }
    }

    async fn campaigns(&self) -> u64 {
        let n = campaigns::Entity::find().count(self.db()).await;
        n.unwrap_or_else(|e| panic!("count: {e}"))
    }

    async fn expire(&self, id: &str) {
        scraping_jobs::Entity::update_many()
            .col_expr(
                scraping_jobs::Column::TimeoutAt,
                Expr::value(at(1_577_836_800)),
            )
            .filter(scraping_jobs::Column::Id.eq(Uuid::parse_str(id).unwrap_or_default()))
            .exec(self.db())
            .await
            .unwrap_or_else(|e| panic!("expire: {e}"));
    }
}

#[tokio::test]
async fn campaigns_are_the_owners_and_move_forward_only() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = w.b;
        let create = "mutation($n: String!, $d: String) { usegemz { createCampaign(name: $n, description: $d, searchType: KEYWORD) { CAMPAIGN } } }";
        let r = w.run(create, json!({ "n": "Spring" }), None).await;
        w.refused(&r, "UNAUTHENTICATED", None, "anonymous");
        w.bad(create, json!({ "n": "  " }), "name", "blank name")
            .await;
        let c = w
            .ok(
                create,
                json!({ "n": "Spring", "d": "Go" }),
                "createCampaign",
            )
            .await;
        let want = json!(["DRAFT", "KEYWORD", OWNER]);
        assert_eq!(pick(&c, &["status", "searchType", "userId"]), want, "{b}");
        let id = text(&c["rowId"]);

        // Forward (skipping allowed, the same status a no-op), never back.
        let order = ["DRAFT", "ACTIVE", "COMPLETED", "ARCHIVED"];
        for (i, to) in order.iter().enumerate() {
            let fresh = w.campaign("SIMILAR").await;
            let vars = json!({ "id": fresh, "s": to });
            for _ in 0..2 {
                let c = w.ok(UPDATE_CAMPAIGN, vars.clone(), "updateCampaign").await;
                assert_eq!(c["status"], *to, "{b}");
            }
            for back in &order[..i] {
                let vars = json!({ "id": fresh, "s": back });
                w.bad(UPDATE_CAMPAIGN, vars, "status", &format!("{to} → {back}"))
                    .await;
            }
        }
        let vars = json!({ "id": id, "s": "ACTIVE", "n": "Summer", "d": null });
        let c = w.ok(UPDATE_CAMPAIGN, vars, "updateCampaign").await;
        let want = json!(["Summer", null, "ACTIVE"]);
        assert_eq!(pick(&c, &["name", "description", "status"]), want, "{b}");

        // Another user: NOT_FOUND, never data, and nothing changes.
        let vars = json!({ "id": id, "s": "COMPLETED" });
        w.foreign(UPDATE_CAMPAIGN, vars, "foreign update").await;
        w.foreign(ARCHIVE, json!({ "id": id }), "foreign archive")
            .await;
        let vars = json!({ "c": id, "p": "TIKTOK", "k": ["x"] });
        w.foreign(CREATE_JOB, vars.clone(), "job in a foreign campaign")
            .await;
        let read = "query($id: UUID!) { usegemz { campaign(rowId: $id) { name } } }";
        let r = w.run(read, json!({ "id": id }), Some(&w.other)).await;
        assert!(r.data()["usegemz"]["campaign"].is_null(), "{b}");
        assert_eq!(w.stored_campaign(&id).await["status"], "ACTIVE", "{b}");

        for _ in 0..2 {
            let c = w.ok(ARCHIVE, json!({ "id": id }), "archiveCampaign").await;
            assert_eq!(c["status"], "ARCHIVED", "{b}");
        }
        w.bad(CREATE_JOB, vars, "campaignId", "archived campaign")
            .await;
    }
}

impl World {
    async fn stored_campaign(&self, id: &str) -> Value {
        let t = "query($id: UUID!) { usegemz { campaign(rowId: $id) { CAMPAIGN } } }";
        self.ok(t, json!({ "id": id }), "campaign").await
    }
}

#[tokio::test]
async fn jobs_follow_their_campaigns_search_type() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = w.b;
        let kw = w.campaign("KEYWORD").await;
        let sim = w.campaign("SIMILAR").await;
        let cases = [
            (json!({ "c": kw, "p": "TIKTOK" }), "keywords"),
            (json!({ "c": kw, "p": "TIKTOK", "k": [] }), "keywords"),
            (json!({ "c": kw, "p": "TIKTOK", "k": [" "] }), "keywords"),
            (
                json!({ "c": kw, "p": "TIKTOK", "k": ["a"], "u": "@x" }),
                "targetUsername",
            ),
            (json!({ "c": sim, "p": "INSTAGRAM" }), "targetUsername"),
            (
                json!({ "c": sim, "p": "INSTAGRAM", "u": "@x", "k": ["a"] }),
                "keywords",
            ),
            (json!({ "p": "TIKTOK" }), "keywords"),
            (json!({ "p": "TIKTOK", "k": ["a"], "u": "@x" }), "keywords"),
            (
                json!({ "c": kw, "p": "TIKTOK", "k": ["a"], "r": "ELEVENCHARS" }),
                "region",
            ),
            (
                json!({ "c": kw, "p": "TIKTOK", "k": ["a"], "n": 0 }),
                "targetResults",
            ),
            (
                json!({ "c": kw, "p": "TIKTOK", "k": ["a"], "sp": [1] }),
                "searchParams",
            ),
        ];
        for (vars, arg) in cases {
            w.bad(CREATE_JOB, vars.clone(), arg, &vars.to_string())
                .await;
        }
        let vars =
            json!({ "c": kw, "p": "YOUTUBE", "k": ["cook", "vegan"], "sp": { "sort": "x" } });
        let j = w.ok(CREATE_JOB, vars, "createScrapingJob").await;
        let keys = [
            "status",
            "platform",
            "region",
            "targetResults",
            "userId",
            "keywords",
        ];
        let want = json!(["PENDING", "YOUTUBE", "US", 1000, OWNER, ["cook", "vegan"]]);
        assert_eq!(pick(&j, &keys), want, "{b}");
        assert_eq!(j["campaign"]["rowId"], kw, "{b}");
        let limit = time(&j["timeoutAt"]) - time(&j["createdAt"]);
        assert_eq!(limit.num_minutes(), 60, "{b}: default time limit");
        let vars = json!({ "c": sim, "p": "INSTAGRAM", "u": "@original", "r": "DE", "n": 100 });
        let j = w.ok(CREATE_JOB, vars, "createScrapingJob").await;
        let want = json!(["@original", "DE", 100, null]);
        assert_eq!(
            pick(
                &j,
                &["targetUsername", "region", "targetResults", "keywords"]
            ),
            want
        );
        let j = w
            .ok(
                CREATE_JOB,
                json!({ "p": "TIKTOK", "u": "@solo" }),
                "createScrapingJob",
            )
            .await;
        assert!(j["campaign"].is_null(), "{b}: a job without a campaign");

        // The time limit comes from configuration when a row exists.
        system_configurations::Entity::insert(system_configurations::ActiveModel {
            id: Set(Uuid::new_v4()),
            category: Set("api".into()),
            key: Set("scraping_job_timeout".into()),
            value: Set("90 minutes".into()),
            value_type: Set("duration".into()),
            description: Set(None),
            is_hot_reloadable: Set("true".into()),
            created_at: Set(at(0)),
            updated_at: Set(at(0)),
        })
        .exec_without_returning(w.db())
        .await
        .unwrap_or_else(|e| panic!("config: {e}"));
        let vars = json!({ "c": kw, "p": "TIKTOK", "k": ["a"] });
        let j = w.ok(CREATE_JOB, vars, "createScrapingJob").await;
        let limit = time(&j["timeoutAt"]) - time(&j["createdAt"]);
        assert_eq!(limit.num_minutes(), 90, "{b}: configured time limit");
    }
}

#[tokio::test]
async fn create_campaign_with_job_is_one_transaction() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = w.b;
        let vars = json!({ "n": "Both", "t": "KEYWORD", "p": "TIKTOK", "k": ["run"] });
        let both = w.ok(WITH_JOB, vars, "createCampaignWithJob").await;
        assert_eq!(both["campaign"]["status"], "ACTIVE", "{b}");
        assert_eq!(
            pick(&both["job"], &["status", "userId"]),
            json!(["PENDING", OWNER])
        );
        assert_eq!(
            both["job"]["campaign"]["rowId"], both["campaign"]["rowId"],
            "{b}"
        );
        assert_eq!(w.campaigns().await, 1, "{b}");

        // An invalid job: nothing is written.
        let vars = json!({ "n": "Bad", "t": "SIMILAR", "p": "TIKTOK", "k": ["run"] });
        w.bad(WITH_JOB, vars, "targetUsername", "similar with keywords")
            .await;
        let vars =
            json!({ "n": "Bad", "t": "KEYWORD", "p": "TIKTOK", "k": ["a"], "r": "TOO-LONG-RGN" });
        w.bad(WITH_JOB, vars, "region", "long region").await;
        assert_eq!(w.campaigns().await, 1, "{b}");

        // The job insert fails in the database: the campaign inserted first is rolled back.
        let ddl: &[&str] = match backend {
            Backend::Sqlite => &[
                "CREATE TRIGGER fail_job BEFORE INSERT ON scraping_jobs WHEN NEW.region = 'XX' BEGIN SELECT RAISE(ABORT, 'job insert failed'); END",
            ],
            Backend::Postgres(_) => &[
                "CREATE FUNCTION fail_job() RETURNS trigger AS $$ BEGIN IF NEW.region = 'XX' THEN RAISE EXCEPTION 'job insert failed'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
                "CREATE TRIGGER fail_job BEFORE INSERT ON scraping_jobs FOR EACH ROW EXECUTE FUNCTION fail_job()",
            ],
        };
        for s in ddl {
            let done = w.db().execute_unprepared(s).await;
            done.unwrap_or_else(|e| panic!("{b}: {e}"));
        }
        let vars = json!({ "n": "Doomed", "t": "KEYWORD", "p": "TIKTOK", "k": ["a"], "r": "XX" });
        let r = w.run(WITH_JOB, vars, Some(&w.owner)).await;
        w.refused(&r, "INTERNAL", None, "failing job insert");
        assert_eq!(w.campaigns().await, 1, "{b}: the campaign was rolled back");
        let doomed = campaigns::Entity::find().filter(campaigns::Column::Name.eq("Doomed"));
        assert_eq!(doomed.count(w.db()).await.unwrap_or(1), 0, "{b}");
    }
}

#[tokio::test]
async fn the_job_status_flow_is_enforced() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = w.b;
        let all = ["PENDING", "PROCESSING", "COMPLETED", "ERROR", "TIMEOUT"];
        let legal = [
            ("PENDING", "PROCESSING"),
            ("PENDING", "ERROR"),
            ("PENDING", "TIMEOUT"),
            ("PROCESSING", "COMPLETED"),
            ("PROCESSING", "ERROR"),
            ("PROCESSING", "TIMEOUT"),
        ];
        // A job in each status, reached through the flow.
        let paths: [(&str, &[&str]); 5] = [
            ("PENDING", &[]),
            ("PROCESSING", &["PROCESSING"]),
            ("COMPLETED", &["PROCESSING", "COMPLETED"]),
            ("ERROR", &["PROCESSING", "ERROR"]),
            ("TIMEOUT", &["PROCESSING", "TIMEOUT"]),
        ];
        for (from, path) in paths {
            let id = w.job("TIKTOK", "KEYWORD", 100).await;
            for step in path {
                let j = w
                    .status(&id, step, (*step == "ERROR").then_some("quota"))
                    .await;
                assert_eq!(j["status"], *step, "{b}");
                match *step {
                    "PROCESSING" => assert!(j["startedAt"].is_string(), "{b}: {j}"),
                    "COMPLETED" => assert!(j["completedAt"].is_string(), "{b}: {j}"),
                    "ERROR" => assert_eq!(j["error"], "quota", "{b}"),
                    _ => assert!(j["timeoutAt"].is_string(), "{b}: {j}"),
                }
            }
            for to in all.into_iter().filter(|to| !legal.contains(&(from, *to))) {
                let vars = json!({ "id": id, "s": to, "e": (to == "ERROR").then_some("x") });
                w.bad(SET_STATUS, vars, "status", &format!("{from} → {to}"))
                    .await;
            }
            assert_eq!(w.stored(&id).await["status"], from, "{b}: unchanged");
            // Another user can neither change nor read it.
            let vars = json!({ "id": id, "s": "PROCESSING" });
            w.foreign(SET_STATUS, vars, "foreign status").await;
            w.foreign(STATE, json!({ "id": id }), "foreign state").await;
        }
        let id = w.job("TIKTOK", "KEYWORD", 100).await;
        let j = w.status(&id, "PROCESSING", None).await;
        assert!(j["completedAt"].is_null(), "{b}");
        let vars = json!({ "id": id, "s": "ERROR" });
        w.bad(SET_STATUS, vars, "error", "error text required")
            .await;
        let vars = json!({ "id": id, "s": "COMPLETED", "e": "no" });
        w.bad(SET_STATUS, vars, "error", "error text only on failure")
            .await;
        let r = w
            .run(SET_STATUS, json!({ "id": id, "s": "COMPLETED" }), None)
            .await;
        w.refused(&r, "UNAUTHENTICATED", None, "anonymous");
    }
}

#[tokio::test]
async fn progress_counts_by_increments_and_caps_at_100() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = w.b;
        let id = w.job("TIKTOK", "KEYWORD", 3).await;
        w.bad(PROGRESS, json!({ "id": id, "n": 1 }), "id", "pending job")
            .await;
        w.status(&id, "PROCESSING", None).await;
        w.bad(
            PROGRESS,
            json!({ "id": id, "n": -1 }),
            "newResults",
            "negative",
        )
        .await;
        w.foreign(PROGRESS, json!({ "id": id, "n": 1 }), "foreign progress")
            .await;
        for (n, progress) in [(1, "33.33"), (1, "66.67"), (5, "100.00")] {
            let j = w
                .ok(PROGRESS, json!({ "id": id, "n": n }), "recordJobProgress")
                .await;
            // One form everywhere: the column's scale of 2, on both backends.
            assert_eq!(j["progress"], progress, "{b}: {j}");
            let ids = pick(&j, &["cursor", "runId", "qstashMessageId"]);
            assert_eq!(ids, json!([7, "run_1", "msg_1"]), "{b}");
            let s = w.ok(STATE, json!({ "id": id }), "jobStatus").await;
            assert_eq!(s["progress"], progress, "{b}");
        }
        let s = w.ok(STATE, json!({ "id": id }), "jobStatus").await;
        let keys = [
            "processedRuns",
            "processedResults",
            "targetResults",
            "status",
            "timedOut",
        ];
        assert_eq!(
            pick(&s, &keys),
            json!([3, 7, 3, "PROCESSING", false]),
            "{b}"
        );
        w.status(&id, "COMPLETED", None).await;
        w.bad(PROGRESS, json!({ "id": id, "n": 1 }), "id", "completed job")
            .await;
    }
}

#[tokio::test]
async fn a_job_past_its_time_limit_reads_as_timed_out() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = w.b;
        let id = w.job("TIKTOK", "KEYWORD", 100).await;
        w.status(&id, "PROCESSING", None).await;
        w.expire(&id).await;
        let s = w.ok(STATE, json!({ "id": id }), "jobStatus").await;
        assert_eq!(
            pick(&s, &["status", "timedOut"]),
            json!(["TIMEOUT", true]),
            "{b}"
        );
        // Every read path answers the effective status, and filters agree with it.
        w.reads_as(&id, "TIMEOUT").await;
        assert_eq!(w.in_db(&id).await, "processing", "{b}: stored lazily");
        // The next write stores the timeout and is refused.
        w.bad(PROGRESS, json!({ "id": id, "n": 1 }), "id", "timed out")
            .await;
        assert_eq!(w.in_db(&id).await, "timeout", "{b}: stored now");
        let j = w.stored(&id).await;
        assert_eq!(
            pick(&j, &["status", "processedResults"]),
            json!(["TIMEOUT", 0]),
            "{b}"
        );
        w.reads_as(&id, "TIMEOUT").await;
        let vars = json!({ "id": id, "s": "COMPLETED" });
        w.bad(SET_STATUS, vars, "status", "completing a timed-out job")
            .await;

        // A pending job times out too; declaring the timeout is allowed.
        let p = w.job("TIKTOK", "KEYWORD", 100).await;
        w.reads_as(&p, "PENDING").await;
        w.expire(&p).await;
        w.reads_as(&p, "TIMEOUT").await;
        assert_eq!(w.in_db(&p).await, "pending", "{b}: stored lazily");
        // Ordering and keyset paging by status use the effective status too: the fresh pending
        // job comes first, then the two timed-out ones (one of them stored as pending).
        let fresh = w.job("TIKTOK", "KEYWORD", 100).await;
        let page = "query($after: String) { usegemz { scrapingJobs(first: 1, after: $after, orderBy: [STATUS_ASC]) { nodes { rowId status } pageInfo { endCursor hasNextPage } } } }";
        let (mut seen, mut after) = (Vec::new(), Value::Null);
        loop {
            let c = w.ok(page, json!({ "after": after }), "scrapingJobs").await;
            for n in c["nodes"].as_array().into_iter().flatten() {
                seen.push((text(&n["rowId"]), text(&n["status"])));
            }
            if c["pageInfo"]["hasNextPage"] != true {
                break;
            }
            after = c["pageInfo"]["endCursor"].clone();
        }
        let statuses: Vec<&str> = seen.iter().map(|(_, s)| s.as_str()).collect();
        assert_eq!(statuses, ["PENDING", "TIMEOUT", "TIMEOUT"], "{b}: {seen:?}");
        assert_eq!(seen[0].0, fresh, "{b}: {seen:?}");
        let mut rest: Vec<&str> = seen[1..].iter().map(|(i, _)| i.as_str()).collect();
        rest.sort_unstable();
        let mut want = [id.as_str(), p.as_str()];
        want.sort_unstable();
        assert_eq!(rest, want, "{b}: {seen:?}");
        let vars = json!({ "id": p, "s": "PROCESSING" });
        w.bad(SET_STATUS, vars, "status", "starting a timed-out job")
            .await;
        assert_eq!(w.stored(&p).await["status"], "TIMEOUT", "{b}");
        let t = w.job("TIKTOK", "KEYWORD", 100).await;
        w.expire(&t).await;
        let j = w.status(&t, "TIMEOUT", Some("limit")).await;
        assert_eq!(
            pick(&j, &["status", "error"]),
            json!(["TIMEOUT", "limit"]),
            "{b}"
        );
    }
}

fn tiktok_keyword(followers: i64, verified: bool, emails: &[&str]) -> Value {
    json!({
        "creator": { "name": "Creator Name", "followers": followers, "avatarUrl": "/api/proxy/image?url=a",
            "profilePicUrl": "/api/proxy/image?url=p", "bio": "Creator bio", "emails": emails,
            "uniqueId": "@creatorhandle", "verified": verified },
        "video": { "description": "Video", "url": "https://tiktok.com/@creator/video/123",
            "statistics": { "likes": 10, "comments": 2, "shares": 1, "views": 3_000_000_000_i64 } },
        "hashtags": ["#trending", "#viral"],
        "platform": "TikTok"
    })
}

fn tiktok_similar() -> Value {
    json!({
        "creator": { "name": "Sim", "followers": 5000, "avatarUrl": "/a", "bio": "b", "emails": [], "uniqueId": "@sim" },
        "platform": "TikTok", "searchType": "similar", "targetUsername": "@original"
    })
}

fn instagram() -> Value {
    json!({ "id": "1789", "username": "gram", "full_name": "Gram Er", "is_private": false,
        "is_verified": true, "profile_pic_url": "https://ig/p.jpg", "platform": "Instagram" })
}

fn youtube() -> Value {
    json!({
        "creator": { "name": "Chan", "followers": 0, "avatarUrl": "/y" },
        "video": { "description": "Title", "url": "https://youtube.com/watch?v=1",
            "statistics": { "views": 42, "likes": 0, "comments": 0 } },
        "hashtags": [], "publishedTime": "2024-01-15", "lengthSeconds": 300, "platform": "YouTube"
    })
}

const CREATORS: &str = r#"query($id: UUID!, $first: Int, $after: String, $last: Int, $before: String, $min: Int, $v: Boolean, $e: Boolean, $p: UsegemzPlatform) { usegemz { jobCreators(jobId: $id, first: $first, after: $after, last: $last, before: $before, where: { minFollowers: $min, verified: $v, hasEmail: $e, platform: $p }) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { __typename
  ... on UsegemzTikTokKeywordCreator { platform hashtags creator { followers verified emails uniqueId } video { url statistics { views likes } } }
  ... on UsegemzTikTokSimilarCreator { searchType targetUsername creator { followers uniqueId } }
  ... on UsegemzInstagramSimilarCreator { id username fullName isVerified isPrivate profilePicUrl platform }
  ... on UsegemzYouTubeKeywordCreator { publishedTime lengthSeconds creator { name followers } video { statistics { views } } }
  ... on UsegemzRawCreator { json } } } } } }"#;

#[tokio::test]
async fn results_are_validated_typed_and_paged() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = w.b;
        let tk = w.job("TIKTOK", "KEYWORD", 6).await;
        let ts = w.job("TIKTOK", "SIMILAR", 10).await;
        let ig = w.job("INSTAGRAM", "SIMILAR", 10).await;
        let yt = w.job("YOUTUBE", "KEYWORD", 10).await;
        let one = |id: &str, c: Value| json!({ "id": id, "c": [c] });
        let vars = one(&tk, tiktok_keyword(1, true, &[]));
        w.bad(APPEND, vars, "jobId", "pending job").await;
        for id in [&tk, &ts, &ig, &yt] {
            w.status(id, "PROCESSING", None).await;
        }
        // Wrong shapes, each named by its path; nothing is stored.
        let mut bad_followers = tiktok_keyword(1, true, &[]);
        bad_followers["creator"]["followers"] = json!("many");
        let mut camel = instagram();
        if let Some(m) = camel.as_object_mut() {
            m.remove("full_name");
            m.insert("fullName".into(), json!("Gram Er"));
        }
        let mut extra = youtube();
        extra["video"]["statistics"]["shares"] = json!(1);
        let k = |f| tiktok_keyword(f, true, &[]);
        let four = json!({ "id": tk, "c": [k(1), k(2), k(3), bad_followers] });
        let cases = [
            (four, "creators[3].creator.followers"),
            (
                one(&tk, tiktok_similar()),
                "creators[0].creator.profilePicUrl",
            ),
            (one(&ts, k(1)), "creators[0].searchType"),
            (one(&ig, camel), "creators[0].full_name"),
            (one(&ig, youtube()), "creators[0].platform"),
            (one(&yt, extra), "creators[0].video.statistics.shares"),
            (json!({ "id": yt, "c": { "not": "a list" } }), "creators"),
            (json!({ "id": yt, "c": [] }), "creators"),
        ];
        for (vars, path) in cases {
            w.bad(APPEND, vars, path, path).await;
        }
        let stored = scraping_results::Entity::find()
            .count(w.db())
            .await
            .unwrap_or(1);
        assert_eq!(stored, 0, "{b}: nothing stored");
        w.foreign(APPEND, one(&tk, k(1)), "foreign append").await;

        // Valid batches in order; the job counts them.
        let batch = [
            tiktok_keyword(100, true, &["a@b.c"]),
            tiktok_keyword(2000, false, &[]),
            k(30000),
        ];
        let res = w
            .ok(APPEND, json!({ "id": tk, "c": batch }), "appendJobResults")
            .await;
        assert_eq!(
            pick(&res["job"], &["processedResults", "progress"]),
            json!([3, "50.00"]),
            "{b}"
        );
        let batch = [
            tiktok_keyword(400000, false, &["x@y.z"]),
            tiktok_keyword(5, true, &["q@r"]),
        ];
        w.ok(APPEND, json!({ "id": tk, "c": batch }), "appendJobResults")
            .await;
        w.bad(
            APPEND,
            json!({ "id": tk, "c": [k(1), k(1)] }),
            "creators",
            "past target",
        )
        .await;
        for (id, c) in [
            (&ts, tiktok_similar()),
            (&ig, instagram()),
            (&yt, youtube()),
        ] {
            w.ok(APPEND, one(id, c), "appendJobResults").await;
        }

        let page = |vars: Value| w.ok(CREATORS, vars, "jobCreators");
        let c = page(json!({ "id": tk, "first": 2 })).await;
        assert_eq!(pick(&c, &["totalCount"]), json!([5]), "{b}");
        let n = &c["edges"][0]["node"];
        assert_eq!(n["__typename"], "UsegemzTikTokKeywordCreator", "{b}");
        let want = json!(["TIKTOK", 100, ["a@b.c"]]);
        assert_eq!(
            json!([
                n["platform"],
                n["creator"]["followers"],
                n["creator"]["emails"]
            ]),
            want
        );
        assert_eq!(
            n["video"]["statistics"]["views"], "3000000000",
            "{b}: BigInt"
        );
        let (mut seen, mut c) = (vec![], c);
        loop {
            for e in c["edges"].as_array().into_iter().flatten() {
                seen.push(e["node"]["creator"]["followers"].clone());
            }
            if c["pageInfo"]["hasNextPage"] != true {
                break;
            }
            let after = c["pageInfo"]["endCursor"].clone();
            c = page(json!({ "id": tk, "first": 2, "after": after })).await;
        }
        assert_eq!(
            seen,
            [100, 2000, 30000, 400000, 5].map(|n| json!(n)),
            "{b}: in order"
        );

        // Backward: `last` pages from the newest, each page still in the job's order.
        let followers = |c: &Value| -> Vec<Value> {
            c["edges"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|e| e["node"]["creator"]["followers"].clone())
                .collect()
        };
        let info = |c: &Value| {
            json!([
                c["pageInfo"]["hasPreviousPage"],
                c["pageInfo"]["hasNextPage"]
            ])
        };
        let c = page(json!({ "id": tk, "last": 2 })).await;
        assert_eq!(
            followers(&c),
            [400000, 5].map(|n| json!(n)),
            "{b}: latest two"
        );
        assert_eq!(
            (c["totalCount"].clone(), info(&c)),
            (json!(5), json!([true, false])),
            "{b}"
        );
        let before = c["pageInfo"]["startCursor"].clone();
        let c = page(json!({ "id": tk, "last": 2, "before": before })).await;
        assert_eq!(followers(&c), [2000, 30000].map(|n| json!(n)), "{b}");
        assert_eq!(info(&c), json!([true, true]), "{b}");
        let before = c["pageInfo"]["startCursor"].clone();
        let c = page(json!({ "id": tk, "last": 2, "before": before })).await;
        assert_eq!(followers(&c), [json!(100)], "{b}: the oldest");
        assert_eq!(info(&c), json!([false, true]), "{b}");
        // Filters apply before backward paging too; the default page is forward.
        let c = page(json!({ "id": tk, "last": 1, "min": 2000 })).await;
        assert_eq!(followers(&c), [json!(400000)], "{b}");
        assert_eq!(
            page(json!({ "id": tk })).await["edges"][0]["node"]["creator"]["followers"],
            100,
            "{b}"
        );
        w.bad(
            CREATORS,
            json!({ "id": tk, "first": 1, "last": 1 }),
            "last",
            "first and last",
        )
        .await;
        w.bad(
            CREATORS,
            json!({ "id": tk, "last": 101 }),
            "last",
            "last too big",
        )
        .await;
        w.bad(
            CREATORS,
            json!({ "id": tk, "last": -1 }),
            "last",
            "negative last",
        )
        .await;
        w.bad(
            CREATORS,
            json!({ "id": tk, "last": 1, "before": "bm9wZQ" }),
            "before",
            "bad before",
        )
        .await;

        // The separate filter arguments of the first version still work (deprecated), but
        // not together with `where`.
        let flat = "query($id: UUID!) { usegemz { jobCreators(jobId: $id, minFollowers: 2000, verified: true) { totalCount } } }";
        let c = w.ok(flat, json!({ "id": tk }), "jobCreators").await;
        assert_eq!(c["totalCount"], 1, "{b}: deprecated arguments");
        let mixed = "query($id: UUID!) { usegemz { jobCreators(jobId: $id, minFollowers: 2000, where: { verified: true }) { totalCount } } }";
        w.bad(
            mixed,
            json!({ "id": tk }),
            "where",
            "where and separate arguments",
        )
        .await;

        // Filters apply before paging.
        let count = |vars: Value| async { page(vars).await["totalCount"].clone() };
        assert_eq!(count(json!({ "id": tk, "min": 2000 })).await, 3, "{b}");
        assert_eq!(count(json!({ "id": tk, "v": true })).await, 3, "{b}");
        assert_eq!(count(json!({ "id": tk, "e": true })).await, 3, "{b}");
        assert_eq!(
            count(json!({ "id": tk, "e": false, "v": false })).await,
            1,
            "{b}"
        );
        assert_eq!(count(json!({ "id": tk, "p": "INSTAGRAM" })).await, 0, "{b}");
        assert_eq!(count(json!({ "id": tk, "p": "TIKTOK" })).await, 5, "{b}");
        let c = page(json!({ "id": tk, "min": 2000, "v": true, "first": 1 })).await;
        let first = &c["edges"][0]["node"]["creator"]["followers"];
        assert_eq!(
            json!([c["totalCount"], first, c["pageInfo"]["hasNextPage"]]),
            json!([1, 30000, false])
        );
        w.bad(
            CREATORS,
            json!({ "id": tk, "after": "bm9wZQ" }),
            "after",
            "bad cursor",
        )
        .await;
        w.bad(
            CREATORS,
            json!({ "id": tk, "first": 101 }),
            "first",
            "page too big",
        )
        .await;

        // Every shape is typed.
        let n = page(json!({ "id": ts })).await["edges"][0]["node"].clone();
        let want = json!(["UsegemzTikTokSimilarCreator", "SIMILAR", "@original"]);
        assert_eq!(
            pick(&n, &["__typename", "searchType", "targetUsername"]),
            want,
            "{b}"
        );
        let n = page(json!({ "id": ig })).await["edges"][0]["node"].clone();
        let want = json!([
            "UsegemzInstagramSimilarCreator",
            "Gram Er",
            true,
            "INSTAGRAM"
        ]);
        assert_eq!(
            pick(&n, &["__typename", "fullName", "isVerified", "platform"]),
            want,
            "{b}"
        );
        let n = page(json!({ "id": yt })).await["edges"][0]["node"].clone();
        let want = json!(["UsegemzYouTubeKeywordCreator", 300, "2024-01-15"]);
        assert_eq!(
            pick(&n, &["__typename", "lengthSeconds", "publishedTime"]),
            want,
            "{b}"
        );
        assert_eq!(n["video"]["statistics"]["views"], "42", "{b}");
        assert_eq!(count(json!({ "id": ig, "v": true })).await, 1, "{b}");
        assert_eq!(
            count(json!({ "id": ig, "min": 1 })).await,
            0,
            "{b}: no follower count"
        );

        // A stored record of no known shape reads as raw JSON, after the older ones.
        let odd = json!({ "platform": "YouTube", "odd": true });
        scraping_results::Entity::insert(scraping_results::ActiveModel {
            id: Set(Uuid::new_v4()),
            job_id: Set(Some(Uuid::parse_str(&yt).unwrap_or_default())),
            creators: Set(json!([odd])),
            created_at: Set(at(4_102_444_800)),
        })
        .exec_without_returning(w.db())
        .await
        .unwrap_or_else(|e| panic!("raw: {e}"));
        let n = page(json!({ "id": yt })).await["edges"][1]["node"].clone();
        assert_eq!(
            pick(&n, &["__typename", "json"]),
            json!(["UsegemzRawCreator", odd]),
            "{b}"
        );

        // Foreign users: NOT_FOUND, never data; anonymous: UNAUTHENTICATED.
        w.foreign(CREATORS, json!({ "id": tk }), "foreign creators")
            .await;
        let r = w.run(CREATORS, json!({ "id": tk }), None).await;
        w.refused(&r, "UNAUTHENTICATED", None, "anonymous creators");
    }
}

const NESTED: &str = r#"query($c: UUID!, $w: UsegemzCreatorWhere, $first: Int, $after: String, $last: Int) { usegemz { campaign(rowId: $c) { scrapingJobs { nodes { rowId
  creators(where: $w, first: $first, after: $after, last: $last) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
    nodes { ... on UsegemzTikTokKeywordCreator { creator { followers } } } } } } } } }"#;

/// The nested `campaign.scrapingJobs.nodes.creators` of one job: its followers, total,
/// `hasNextPage` and end cursor.
fn of_job(campaign: &Value, job: &str) -> (Vec<i64>, Value, Value, Value) {
    let nodes = campaign["scrapingJobs"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let j = nodes
        .iter()
        .find(|j| j["rowId"] == job)
        .unwrap_or_else(|| panic!("job {job} not in {campaign}"));
    let c = &j["creators"];
    let followers = c["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n["creator"]["followers"].as_i64())
        .collect();
    let info = &c["pageInfo"];
    (
        followers,
        c["totalCount"].clone(),
        info["hasNextPage"].clone(),
        info["endCursor"].clone(),
    )
}

#[tokio::test]
async fn nested_job_creators_filter_and_page_under_a_campaign() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = w.b;
        let campaign = w.campaign("KEYWORD").await;
        let mut jobs = Vec::new();
        for _ in 0..2 {
            let vars = json!({ "c": campaign, "p": "TIKTOK", "k": ["fitness"], "n": 100 });
            let job = text(&w.ok(CREATE_JOB, vars, "createScrapingJob").await["rowId"]);
            w.status(&job, "PROCESSING", None).await;
            jobs.push(job);
        }
        let (a, z) = (&jobs[0], &jobs[1]);
        let append = |id: &str, c: Vec<Value>| {
            let vars = json!({ "id": id, "c": c });
            w.ok(APPEND, vars, "appendJobResults")
        };
        let k = tiktok_keyword;
        append(
            a,
            vec![
                k(100, true, &["a@b.c"]),
                k(2000, false, &[]),
                k(30000, true, &["c@d.e"]),
            ],
        )
        .await;
        append(
            a,
            vec![k(400000, true, &["x@y.z"]), k(5, false, &["q@r.s"])],
        )
        .await;
        // Job z's only batch is stored after both of a's.
        append(z, vec![k(50000, true, &["z@z.z"]), k(60, true, &[])]).await;

        let read = |vars: Value| {
            let mut vars = vars;
            vars["c"] = json!(campaign);
            w.ok(NESTED, vars, "campaign")
        };
        let rich = json!({ "minFollowers": 1000, "hasEmail": true });

        // Filters apply per job before paging; `first` pages each job from its oldest.
        let c = read(json!({ "w": rich, "first": 1 })).await;
        let (f, total, next, end_a) = of_job(&c, a);
        assert_eq!(
            (f, total, next),
            (vec![30000], json!(2), json!(true)),
            "{b}: job a"
        );
        let (f, total, next, _) = of_job(&c, z);
        assert_eq!(
            (f, total, next),
            (vec![50000], json!(1), json!(false)),
            "{b}: job z"
        );

        // The next page of job a after its cursor: a cursor is a position, so job z (stored
        // later) pages from the same point rather than failing.
        let c = read(json!({ "w": rich, "first": 1, "after": end_a })).await;
        let (f, total, next, _) = of_job(&c, a);
        assert_eq!(
            (f, total, next),
            (vec![400000], json!(2), json!(false)),
            "{b}: a, page 2"
        );
        let (f, _, next, _) = of_job(&c, z);
        assert_eq!(
            (f, next),
            (vec![50000], json!(false)),
            "{b}: z after a's cursor"
        );

        // Other filters, each alone, and every one of them at once.
        for (filter, want_a, want_z) in [
            (json!({ "verified": false }), vec![2000, 5], vec![]),
            (json!({ "hasEmail": false }), vec![2000], vec![60]),
            (
                json!({ "platform": "TIKTOK" }),
                vec![100, 2000, 30000, 400000, 5],
                vec![50000, 60],
            ),
            (json!({ "platform": "INSTAGRAM" }), vec![], vec![]),
            (
                json!({ "minFollowers": 100, "verified": true, "hasEmail": true, "platform": "TIKTOK" }),
                vec![100, 30000, 400000],
                vec![50000],
            ),
            (
                json!({}),
                vec![100, 2000, 30000, 400000, 5],
                vec![50000, 60],
            ),
        ] {
            let c = read(json!({ "w": filter })).await;
            assert_eq!(of_job(&c, a).0, want_a, "{b}: a {filter}");
            assert_eq!(of_job(&c, z).0, want_z, "{b}: z {filter}");
            let total = i64::try_from(want_a.len()).unwrap_or_default();
            assert_eq!(of_job(&c, a).1, total, "{b}: a total {filter}");
        }

        // The latest creator of each job, filtered.
        let c = read(json!({ "w": rich, "last": 1 })).await;
        assert_eq!(of_job(&c, a).0, vec![400000], "{b}: a's latest");
        assert_eq!(of_job(&c, z).0, vec![50000], "{b}: z's latest");

        // Refusals name the argument; another user sees no campaign at all.
        for (vars, arg) in [
            (json!({ "c": campaign, "first": 1, "last": 1 }), "last"),
            (json!({ "c": campaign, "after": "bm9wZQ" }), "after"),
            (json!({ "c": campaign, "first": 101 }), "first"),
        ] {
            let r = w.run(NESTED, vars, Some(&w.owner)).await;
            assert_eq!(r.code(), Some("BAD_USER_INPUT"), "{b}: {}", r.body);
            let field = r.body["errors"][0]["extensions"]["field"].as_str();
            assert_eq!(field, Some(arg), "{b}: {}", r.body);
        }
        let r = w
            .run(NESTED, json!({ "c": campaign, "w": rich }), Some(&w.other))
            .await;
        assert_eq!(
            r.data()["usegemz"]["campaign"],
            Value::Null,
            "{b}: foreign campaign"
        );
    }
}
