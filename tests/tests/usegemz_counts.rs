//! A campaign list with its jobs, each job's latest 20 creators and result counts costs the
//! same number of statements at two data sizes.

use e2e::{Data, TestApp, backends};
use serde_json::json;

const DEMO_USER: &str = "user_2demoUsegemzAdmin000000";

const CAMPAIGNS: &str = r#"{ usegemz { campaigns(first: 20) { nodes {
    name status
    scrapingJobs(first: 10) { nodes {
        status progress
        creators(first: 20) { totalCount nodes { __typename } }
        results { totalCount }
    } }
} } } }"#;

#[tokio::test]
async fn campaign_list_statements_do_not_grow_with_data() {
    for backend in backends() {
        let mut counts = Vec::new();
        let mut creators = Vec::new();
        for scale in [1, 2] {
            let app = TestApp::spawn(&backend, Data::Scaled(scale)).await;
            let token = app.token("usegemz", DEMO_USER);
            let r = app.gql(CAMPAIGNS, json!({}), Some(&token)).await;
            let campaigns = r.data()["usegemz"]["campaigns"]["nodes"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            assert!(
                !campaigns.is_empty(),
                "{}: the demo user has campaigns",
                backend.name()
            );
            let found: i64 = campaigns
                .iter()
                .flat_map(|c| {
                    c["scrapingJobs"]["nodes"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default()
                })
                .map(|j| j["creators"]["totalCount"].as_i64().unwrap_or(0))
                .sum();
            creators.push(found);
            counts.push(r.statements.unwrap_or(usize::MAX));
        }
        let b = backend.name();
        assert!(creators.iter().all(|c| *c > 0), "{b}: jobs have creators");
        assert_eq!(counts[0], counts[1], "{b}: statements at two sizes");
        // The viewer's admin flag; campaign page; job pages; result records (creators); result
        // counts.
        assert_eq!(counts[0], 5, "{b}");
    }
}
