//! The demo data keeps every counter equal to what it counts, on every backend, and is
//! deterministic: the same scale writes the same rows.

use e2e::{Data, TestApp, backends};
use migration::Database;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

async fn zero(db: &DatabaseConnection, what: &str, sql: &str) {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT COUNT(*) AS n FROM ({sql}) AS q"),
        ))
        .await
        .unwrap_or_else(|e| panic!("{what}: {e}"))
        .unwrap_or_else(|| panic!("{what}: no row"));
    let n: i64 = row.try_get("", "n").unwrap_or(-1);
    assert_eq!(
        n,
        0,
        "{:?} {what}: rows whose counter disagrees",
        db.get_database_backend()
    );
}

#[tokio::test]
async fn counters_equal_what_they_count() {
    for backend in backends() {
        let app = TestApp::spawn(&backend, Data::Demo).await;
        let hs = app.db(Database::HeadShakers);
        let checks = [
            (
                "bobbleheads.like_count",
                "SELECT b.id FROM bobbleheads b WHERE b.like_count <> (SELECT COUNT(*) FROM likes l WHERE l.target_type = 'bobblehead' AND l.target_id = b.id)",
            ),
            (
                "bobbleheads.comment_count",
                "SELECT b.id FROM bobbleheads b WHERE b.comment_count <> (SELECT COUNT(*) FROM comments c WHERE c.target_type = 'bobblehead' AND c.target_id = b.id AND c.is_deleted = false)",
            ),
            (
                "bobbleheads.view_count",
                "SELECT b.id FROM bobbleheads b WHERE b.view_count <> (SELECT COUNT(*) FROM content_views v WHERE v.target_type = 'bobblehead' AND v.target_id = b.id)",
            ),
            (
                "comments.like_count",
                "SELECT c.id FROM comments c WHERE c.like_count <> (SELECT COUNT(*) FROM likes l WHERE l.target_type = 'comment' AND l.target_id = c.id)",
            ),
            (
                "collections.total_items",
                "SELECT c.id FROM collections c WHERE c.total_items <> (SELECT COUNT(*) FROM bobbleheads b WHERE b.collection_id = c.id AND b.is_deleted = false)",
            ),
            (
                "collections.total_value",
                "SELECT c.id FROM collections c WHERE ABS(c.total_value - (SELECT COALESCE(SUM(b.purchase_price), 0) FROM bobbleheads b WHERE b.collection_id = c.id AND b.is_deleted = false)) > 0.001",
            ),
            (
                "sub_collections.item_count",
                "SELECT s.id FROM sub_collections s WHERE s.item_count <> (SELECT COUNT(*) FROM bobbleheads b WHERE b.sub_collection_id = s.id AND b.is_deleted = false)",
            ),
            (
                "tags.usage_count",
                "SELECT t.id FROM tags t WHERE t.usage_count <> (SELECT COUNT(*) FROM bobblehead_tags bt WHERE bt.tag_id = t.id)",
            ),
        ];
        for (what, sql) in checks {
            zero(hs, what, sql).await;
        }

        let ug = app.db(Database::Usegemz);
        let len = match ug.get_database_backend() {
            DbBackend::Postgres => "jsonb_array_length",
            _ => "json_array_length",
        };
        zero(
            ug,
            "scraping_jobs.processed_results",
            &format!("SELECT j.id FROM scraping_jobs j WHERE j.processed_results <> (SELECT COALESCE(SUM({len}(r.creators)), 0) FROM scraping_results r WHERE r.job_id = j.id)"),
        )
        .await;
        zero(ug, "scraping_jobs.processed_runs", "SELECT j.id FROM scraping_jobs j WHERE j.processed_runs <> (SELECT COUNT(*) FROM scraping_results r WHERE r.job_id = j.id)").await;
        zero(ug, "search_jobs.completed_count", "SELECT j.id FROM search_jobs j WHERE j.completed_count <> (SELECT COUNT(*) FROM search_results r WHERE r.job_id = j.id)").await;

        let main = app.db(Database::DeedO);
        zero(
            main,
            "groups.last_message_id",
            r#"SELECT g.id FROM groups g WHERE g.last_message_id IS DISTINCT FROM (SELECT m.id FROM messages m WHERE m.group_id = g.id ORDER BY m."timestamp" DESC, m.id DESC LIMIT 1)"#,
        )
        .await;
    }
}

#[tokio::test]
async fn demo_data_is_deterministic() {
    let backend = &backends()[0];
    let a = TestApp::spawn(backend, Data::Demo).await;
    let b = TestApp::spawn(backend, Data::Demo).await;
    let q = r#"{ headShakers { bobbleheads(first: 5, orderBy: [NAME_ASC]) { totalCount nodes { rowId name likeCount } } }
               usegemz { scrapingJobs(first: 3) { totalCount } }
               deedO { products(first: 3) { totalCount nodes { rowId title } } } }"#;
    let ra = a.gql(q, serde_json::json!({}), None).await;
    let rb = b.gql(q, serde_json::json!({}), None).await;
    assert_eq!(ra.data(), rb.data());
}

/// Every `migrate` command works on both backends, over the demo data: every migration rolls
/// back (`down` to nothing), applies again (`up`), and `fresh` drops everything, data and
/// triggers included, and applies every migration.
#[tokio::test]
async fn migrate_commands_work_on_every_backend() {
    for backend in backends() {
        let app = TestApp::spawn(&backend, Data::Demo).await;
        let b = backend.name();
        for db in Database::ALL {
            let conn = app.db(db);
            let count = |status: Vec<(String, bool)>, applied: bool| {
                status.iter().filter(|(_, a)| *a == applied).count()
            };
            let all = db
                .status(conn)
                .await
                .unwrap_or_else(|e| panic!("{b} {db:?}: status: {e}"))
                .len();
            db.fresh(conn)
                .await
                .unwrap_or_else(|e| panic!("{b} {db:?}: fresh over data: {e}"));
            let status = db.status(conn).await.unwrap_or_default();
            assert_eq!(count(status, true), all, "{b} {db:?}: fresh applies all");
            db.down(conn, Some(u32::try_from(all).unwrap_or(u32::MAX)))
                .await
                .unwrap_or_else(|e| panic!("{b} {db:?}: down: {e}"));
            let status = db.status(conn).await.unwrap_or_default();
            assert_eq!(count(status, false), all, "{b} {db:?}: down rolls all back");
            db.up(conn, None)
                .await
                .unwrap_or_else(|e| panic!("{b} {db:?}: up: {e}"));
            let status = db.status(conn).await.unwrap_or_default();
            assert_eq!(count(status, true), all, "{b} {db:?}: up applies all");
        }
    }
}
