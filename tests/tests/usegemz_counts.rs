//! A campaign list with its jobs, each job's latest 20 creators and result counts costs the
//! same number of statements at two data sizes — for the admin demo user (who reads past owner
//! scoping) and for an ordinary owner (whose every list is scoped to their rows).

use std::collections::HashMap;

use e2e::{Backend, Data, TestApp, backends};
use entity::usegemz::{scraping_jobs, scraping_results, user_profiles};
use migration::Database;
use sea_orm::{EntityTrait, QuerySelect};
use serde_json::json;
use uuid::Uuid;

const DEMO_USER: &str = "user_2demoUsegemzAdmin000000";

const CAMPAIGNS: &str = r#"{ usegemz { campaigns(first: 20) { nodes {
    name status
    scrapingJobs(first: 10) { nodes {
        status progress
        creators(last: 20) { totalCount pageInfo { hasPreviousPage } nodes { __typename } }
        results { totalCount }
    } }
} } } }"#;

/// The non-admin owner with the most result records, ties broken by Clerk id: the seed builds
/// the same first users at every scale, so both sizes pick the same one.
async fn busiest_owner(app: &TestApp) -> String {
    let db = app.db(Database::Usegemz);
    let admins: Vec<String> = user_profiles::Entity::find()
        .all(db)
        .await
        .unwrap_or_else(|e| panic!("profiles: {e}"))
        .into_iter()
        .filter(|p| p.is_admin == Some(true))
        .map(|p| p.user_id)
        .collect();
    let owners: HashMap<Uuid, String> = scraping_jobs::Entity::find()
        .select_only()
        .column(scraping_jobs::Column::Id)
        .column(scraping_jobs::Column::UserId)
        .into_tuple::<(Uuid, String)>()
        .all(db)
        .await
        .unwrap_or_else(|e| panic!("jobs: {e}"))
        .into_iter()
        .collect();
    let results: Vec<Option<Uuid>> = scraping_results::Entity::find()
        .select_only()
        .column(scraping_results::Column::JobId)
        .into_tuple()
        .all(db)
        .await
        .unwrap_or_else(|e| panic!("results: {e}"));
    let mut per_owner: HashMap<&str, usize> = HashMap::new();
    for job in results.iter().flatten() {
        if let Some(owner) = owners.get(job)
            && !admins.contains(owner)
        {
            *per_owner.entry(owner.as_str()).or_default() += 1;
        }
    }
    per_owner
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(owner, _)| owner.to_owned())
        .unwrap_or_else(|| panic!("no non-admin owner has results"))
}

/// Statements of the campaign list at scales 1 and 2, as the demo admin or as an ordinary
/// owner, and the creators it found at each.
async fn counts(backend: &Backend, admin: bool) -> (Vec<usize>, Vec<i64>) {
    let b = backend.name();
    let mut counts = Vec::new();
    let mut creators = Vec::new();
    let mut viewers = Vec::new();
    for scale in [1, 2] {
        let app = TestApp::spawn(backend, Data::Scaled(scale)).await;
        let viewer = if admin {
            DEMO_USER.to_owned()
        } else {
            busiest_owner(&app).await
        };
        let token = app.token("usegemz", &viewer);
        let r = app.gql(CAMPAIGNS, json!({}), Some(&token)).await;
        let campaigns = r.data()["usegemz"]["campaigns"]["nodes"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(!campaigns.is_empty(), "{b}: {viewer} has campaigns");
        let found: i64 = campaigns
            .iter()
            .flat_map(|c| {
                c["scrapingJobs"]["nodes"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
            })
            .map(|j| {
                // `last: 20`: the latest 20 of each job, the older ones before the page.
                let total = j["creators"]["totalCount"].as_i64().unwrap_or(0);
                let shown = j["creators"]["nodes"].as_array().map_or(0, Vec::len);
                assert_eq!(i64::try_from(shown).ok(), Some(total.min(20)), "{b}: {j}");
                assert_eq!(
                    j["creators"]["pageInfo"]["hasPreviousPage"],
                    total > 20,
                    "{b}: {j}"
                );
                total
            })
            .sum();
        creators.push(found);
        counts.push(r.statements.unwrap_or(usize::MAX));
        viewers.push(viewer);
    }
    assert_eq!(viewers[0], viewers[1], "{b}: the same viewer at both sizes");
    (counts, creators)
}

#[tokio::test]
async fn campaign_list_statements_do_not_grow_with_data() {
    for backend in backends() {
        let b = backend.name();
        for admin in [true, false] {
            let who = if admin { "admin" } else { "owner" };
            let (counts, creators) = counts(&backend, admin).await;
            assert!(
                creators.iter().all(|c| *c > 0),
                "{b} {who}: jobs have creators"
            );
            assert_eq!(counts[0], counts[1], "{b} {who}: statements at two sizes");
            // The viewer's admin flag; campaign page; job pages; result records (creators);
            // result counts.
            assert_eq!(counts[0], 5, "{b} {who}");
        }
    }
}
