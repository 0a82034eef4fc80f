//! Deed-O group members and read receipts resolve to users of the auth database, in one
//! statement per level whatever the number of groups.

use e2e::{Data, TestApp, backends};
use serde_json::{Value, json};

const Q: &str = r#"{ deedO { groups(first: 50) { nodes {
    members memberUsers { rowId name }
    messages(first: 5) { nodes { readBy readers { rowId } sender { rowId } } }
} } } }"#;

fn ids(v: &Value) -> Vec<i64> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_i64).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn members_and_readers_resolve_across_databases() {
    for backend in backends() {
        let b = backend.name();
        let mut counts = Vec::new();
        for scale in [1, 2] {
            let app = TestApp::spawn(&backend, Data::Scaled(scale)).await;
            // The demo admin sees every group.
            let admin = app.holder("deed_o", "admin").await;
            let admin = app.token("deed_o", &admin);
            let r = app.gql(Q, json!({}), Some(&admin)).await;
            let groups = r.data()["deedO"]["groups"]["nodes"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            assert!(!groups.is_empty(), "{b}");
            let mut resolved = 0;
            for g in &groups {
                let members = ids(&g["members"]);
                let users: Vec<i64> = g["memberUsers"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|u| u["rowId"].as_i64())
                    .collect();
                assert!(users.iter().all(|u| members.contains(u)), "{b}: {g}");
                resolved += users.len();
                for m in g["messages"]["nodes"].as_array().into_iter().flatten() {
                    let readers: Vec<i64> = m["readers"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|u| u["rowId"].as_i64())
                        .collect();
                    assert!(
                        readers.iter().all(|u| ids(&m["readBy"]).contains(u)),
                        "{b}: {m}"
                    );
                }
            }
            assert!(resolved > 0, "{b}: members resolve");
            counts.push(r.statements.unwrap_or(usize::MAX));
        }
        assert_eq!(counts[0], counts[1], "{b}: statements at two sizes");
    }
}
