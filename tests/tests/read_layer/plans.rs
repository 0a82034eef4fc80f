//! Statement plans at scale on PostgreSQL: the statements behind the benchmark's screens
//! (home feed, likes feed, lookup, like, anonymous and signed in; and every other source's main
//! screen) are captured as the gateway issues them and explained on a seeded, analyzed
//! database; none may read a table that grows with use from end to end. The visibility rules once did (`target_id IN (SELECT id FROM
//! every visible target)`), at 0.9 s per statement on production-sized data.

use std::fmt::Debug;
use std::sync::{Arc, Mutex};

use e2e::screens::{
    CAMPAIGNS, GALLERY, HOME_FEED, INBOX, LIBRARY, LIKE_BOBBLEHEAD, LIKES_FEED, LOOKUP,
};
use e2e::{Backend, Data, TestApp, backends};
use migration::Database;
use sea_orm::{ConnectionTrait, Statement, TransactionTrait};
use serde_json::json;
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, SubscriberExt};

/// Tables that grow with use: a sequential scan of one is a statement that slows down as the
/// platform grows.
const GROWING: &[&str] = &[
    "users",
    "user_settings",
    "notification_settings",
    "collections",
    "sub_collections",
    "bobbleheads",
    "bobblehead_photos",
    "bobblehead_tags",
    "tags",
    "likes",
    "comments",
    "follows",
    "notifications",
    "content_views",
    "user_blocks",
    // usegemz
    "user_profiles",
    "campaigns",
    "scraping_jobs",
    "scraping_results",
    // Character Creation
    "characters",
    "generations",
    // Mind-vault
    "user",
    "video_summary",
    "video_summary_tag",
    "keyframe",
    // Deed-O
    "groups",
    "messages",
    "products",
];

/// The other sources' screens, each with its demo user.
const OTHER_SCREENS: [(&str, &str, &str); 4] = [
    (CAMPAIGNS, "usegemz", "user_2demoUsegemzAdmin000000"),
    (
        GALLERY,
        "character_creation",
        "cc000000-0000-4000-8000-000000000001",
    ),
    (LIBRARY, "mind_vault", "mvDemoUser0000000000000000000001"),
    (INBOX, "deed_o", "1"),
];

/// The other sources' demo data at this scale (their plans do not depend on size here).
const OTHER_SCALE: u32 = 10;

/// Demo data at this scale: 20 users per unit, with everything they own and do.
const SCALE: u32 = 100;

/// A statement the gateway logged: with its values written in, and as prepared (`$n`
/// placeholders and the values as literals).
#[derive(Debug, Clone, Default)]
struct Logged {
    text: String,
    sql: String,
    params: String,
}

/// Records the statements the gateway logs (`gateway::sql`).
struct Statements(Arc<Mutex<Vec<Logged>>>);

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Statements {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() != "gateway::sql" {
            return;
        }
        struct Fields(Logged);
        impl Visit for Fields {
            fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
                let v = format!("{value:?}");
                match field.name() {
                    "message" => self.0.text = v,
                    "sql" => self.0.sql = v,
                    "params" => self.0.params = v,
                    _ => {}
                }
            }
        }
        let mut m = Fields(Logged::default());
        event.record(&mut m);
        if let Ok(mut all) = self.0.lock() {
            all.push(m.0);
        }
    }
}

async fn one(app: &TestApp, sql: &str) -> String {
    let db = app.db(Database::HeadShakers);
    db.query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .ok()
        .flatten()
        .and_then(|r| r.try_get_by_index::<String>(0).ok())
        .unwrap_or_else(|| panic!("no answer to {sql}"))
}

// One thread: the subscriber that records statements is the test thread's own, and the
// gateway runs on it.
#[tokio::test(flavor = "current_thread")]
async fn no_screen_scans_a_growing_table() {
    let Some(backend) = backends()
        .into_iter()
        .find(|b| matches!(b, Backend::Postgres(_)))
    else {
        eprintln!("TEST_DATABASE_URL is not set: plans are read on PostgreSQL only");
        return;
    };
    // Head Shakers alone at scale: the other sources' demo data plays no part here.
    let app = TestApp::spawn_with(&backend, Data::Empty, |s| s.statement_timeout_ms = 0).await;
    api::seed::seed(&app.conns, SCALE, Some("head_shakers"))
        .await
        .unwrap_or_else(|e| panic!("seed: {e:?}"));
    for source in ["usegemz", "character_creation", "mind_vault", "deed_o"] {
        api::seed::seed(&app.conns, OTHER_SCALE, Some(source))
            .await
            .unwrap_or_else(|e| panic!("seed {source}: {e:?}"));
    }
    for (each, _) in app.conns.iter() {
        app.db(each)
            .execute_unprepared("ANALYZE")
            .await
            .unwrap_or_else(|e| panic!("analyze: {e}"));
    }
    let liker = one(
        &app,
        "SELECT user_id::text FROM likes GROUP BY user_id ORDER BY count(*) DESC LIMIT 1",
    )
    .await;
    let item = one(
        &app,
        "SELECT b.id::text FROM bobbleheads b JOIN collections c ON c.id = b.collection_id \
         WHERE b.is_public AND c.is_public AND NOT b.is_deleted ORDER BY b.id LIMIT 1",
    )
    .await;
    let viewer = app.token("head_shakers", api::seed::head_shakers::DEMO_USER);

    let log = Arc::new(Mutex::new(Vec::new()));
    let subscriber = tracing_subscriber::registry().with(Statements(log.clone()));
    let _recording = tracing::subscriber::set_default(subscriber);
    let screens = [
        (HOME_FEED, json!({})),
        (LIKES_FEED, json!({ "user": liker })),
        (LOOKUP, json!({ "id": item })),
        (LIKE_BOBBLEHEAD, json!({ "id": item })),
    ];
    for token in [None, Some(viewer.as_str())] {
        for (doc, vars) in &screens {
            if doc.starts_with("mutation") && token.is_none() {
                continue;
            }
            let r = app.gql(doc, vars.clone(), token).await;
            assert!(r.body.get("errors").is_none(), "{doc}: {}", r.body);
        }
    }
    for (doc, source, user) in OTHER_SCREENS {
        let token = app.token(source, user);
        let r = app.gql(doc, json!({}), Some(&token)).await;
        assert!(r.body.get("errors").is_none(), "{doc}: {}", r.body);
    }
    let statements: Vec<Logged> = log.lock().map(|l| l.clone()).unwrap_or_default();
    assert!(statements.len() > 10, "captured: {statements:?}");

    // With sequential scans priced out, one is left only where no index can serve the
    // statement: at test sizes the planner would otherwise rightly prefer scanning small tables.
    // Each statement is explained on the database whose tables it names (the first that can).
    let mut txns = Vec::new();
    for (each, _) in app.conns.iter() {
        let txn = app
            .db(each)
            .begin()
            .await
            .unwrap_or_else(|e| panic!("begin: {e}"));
        txn.execute_unprepared("SET LOCAL enable_seqscan = off")
            .await
            .unwrap_or_else(|e| panic!("set: {e}"));
        txns.push(txn);
    }
    let mut scans = Vec::new();
    for (n, logged) in statements
        .iter()
        .filter(|s| s.text.starts_with("SELECT"))
        .enumerate()
    {
        let sql = &logged.text;
        // Each statement's plan for its values, and its generic plan as prepared (the
        // gateway's connections use generic plans: `GATEWAY_PG_PLAN_CACHE`).
        let name = format!("plan_probe_{n}");
        let generic = if logged.params.is_empty() {
            format!("EXECUTE {name}")
        } else {
            format!("EXECUTE {name}({})", logged.params)
        };
        let mut plan = None;
        for txn in &txns {
            let Some(custom) = explain(txn, &[], &format!("EXPLAIN {sql}")).await else {
                continue;
            };
            let prepare = format!("PREPARE {name} AS {}", logged.sql);
            let generic = explain(
                txn,
                &["SET LOCAL plan_cache_mode = force_generic_plan", &prepare],
                &format!("EXPLAIN {generic}"),
            )
            .await
            .unwrap_or_else(|| panic!("no generic plan for {}", logged.sql));
            // A prepared statement outlives the savepoint that prepared it.
            let _ = txn.execute_unprepared(&format!("DEALLOCATE {name}")).await;
            plan = Some(format!("{custom}\n-- generic:\n{generic}"));
            break;
        }
        let plan = plan.unwrap_or_else(|| panic!("no database explains {sql}"));
        let scanned: Vec<&str> = GROWING
            .iter()
            .copied()
            .filter(|t| {
                plan.contains(&format!("Seq Scan on {t} "))
                    || plan.ends_with(&format!("Seq Scan on {t}"))
            })
            .collect();
        if !scanned.is_empty() {
            scans.push(format!("{scanned:?} in\n{sql}\n{plan}"));
        }
    }
    assert!(
        scans.is_empty(),
        "whole-table scans:\n\n{}",
        scans.join("\n\n")
    );
}

/// The plan `explain` answers after `setup`, under a savepoint of `txn` (a failed statement
/// aborts its transaction); `None` when any fails (a statement of another database).
async fn explain(
    txn: &sea_orm::DatabaseTransaction,
    setup: &[&str],
    explain: &str,
) -> Option<String> {
    let probe = txn
        .begin()
        .await
        .unwrap_or_else(|e| panic!("savepoint: {e}"));
    let backend = probe.get_database_backend();
    let mut ok = true;
    for s in setup {
        ok = ok && probe.execute_unprepared(s).await.is_ok();
    }
    let rows = if ok {
        probe
            .query_all_raw(Statement::from_string(backend, explain.to_owned()))
            .await
            .ok()
    } else {
        None
    };
    let _ = probe.rollback().await;
    Some(
        rows?
            .iter()
            .filter_map(|r| r.try_get_by_index::<String>(0).ok())
            .collect::<Vec<_>>()
            .join("\n"),
    )
}
