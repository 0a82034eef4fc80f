//! The read policy holds on every path: root connections, lookups, nested relations, `node`,
//! counts and aggregates; secrets are not in the schema at all.

use e2e::fixtures::{hs_bobblehead, hs_collection, hs_settings, hs_user};
use e2e::{Data, TestApp, backends};
use migration::Database;
use serde_json::{Value, json};

const SECRET_FIELDS: &[&str] = &[
    "otpCode",
    "password",
    "accessToken",
    "refreshToken",
    "idToken",
    "sessionToken",
    "ipAddress",
    "userAgent",
    "stripeCustomerId",
    "stripeSubscriptionId",
];

#[tokio::test]
async fn secrets_are_not_in_the_schema() {
    let schema = api::startup::schema().unwrap_or_else(|e| panic!("{e:?}"));
    let r = schema
        .execute("{ __schema { types { name fields { name } } } }")
        .await;
    let data = serde_json::to_value(&r.data).unwrap_or_default();
    for t in data["__schema"]["types"].as_array().into_iter().flatten() {
        for f in t["fields"].as_array().into_iter().flatten() {
            let name = f["name"].as_str().unwrap_or_default();
            assert!(
                !SECRET_FIELDS.contains(&name),
                "{}.{name} exposes a secret",
                t["name"]
            );
            if t["name"] == "MindVaultSession" || t["name"] == "MindVaultVerification" {
                assert!(
                    name != "token" && name != "value",
                    "{}.{name} exposes a secret",
                    t["name"]
                );
            }
        }
    }
}

fn count(r: &e2e::Reply, path: &[&str]) -> i64 {
    let mut v: &Value = r.data();
    for p in path {
        v = &v[*p];
    }
    v["totalCount"].as_i64().unwrap_or(-1)
}

#[tokio::test]
async fn private_rows_reach_only_their_owner_by_any_path() {
    for backend in backends() {
        let app = TestApp::spawn(&backend, Data::Empty).await;
        let b = backend.name();
        let db = app.db(Database::HeadShakers);
        let alice = hs_user(db, 1).await;
        let bob = hs_user(db, 2).await;
        let public = hs_collection(db, alice, "Public shelf", true).await;
        let private = hs_collection(db, alice, "Private shelf", false).await;
        hs_bobblehead(db, alice, public, "Visible", Some(5)).await;
        hs_bobblehead(db, alice, private, "Hidden", Some(7)).await;
        hs_settings(db, alice).await;
        let alice_t = app.token("head_shakers", &alice.to_string(), &[]);
        let bob_t = app.token("head_shakers", &bob.to_string(), &[]);
        let admin_t = app.token("head_shakers", &bob.to_string(), &["admin"]);
        let other_source_t = app.token("usegemz", &alice.to_string(), &[]);

        let q = r#"{ headShakers {
            collections { totalCount nodes { name } }
            bobbleheads { totalCount aggregate { count sum { purchasePrice } } }
            users { nodes { displayName email collections { totalCount } bobbleheads { totalCount } } }
            userSettings { totalCount }
        } }"#;
        for (who, token, colls, items, email, settings) in [
            ("anonymous", None, 1, 1, false, 0),
            ("another user", Some(bob_t.as_str()), 1, 1, false, 0),
            (
                "a token of another source",
                Some(other_source_t.as_str()),
                1,
                1,
                false,
                0,
            ),
            ("the owner", Some(alice_t.as_str()), 2, 2, true, 1),
            ("an admin", Some(admin_t.as_str()), 2, 2, true, 1),
        ] {
            let r = app.gql(q, json!({}), token).await;
            assert_eq!(
                count(&r, &["headShakers", "collections"]),
                colls,
                "{b} {who}: root collections"
            );
            assert_eq!(
                count(&r, &["headShakers", "bobbleheads"]),
                items,
                "{b} {who}: root bobbleheads"
            );
            let agg = &r.data()["headShakers"]["bobbleheads"]["aggregate"];
            assert_eq!(agg["count"], items, "{b} {who}: aggregate count");
            let sum = if items == 1 { 5.0 } else { 12.0 };
            assert_eq!(agg["sum"]["purchasePrice"], sum, "{b} {who}: aggregate sum");
            let users = r.data()["headShakers"]["users"]["nodes"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let alice_row = users
                .iter()
                .find(|u| u["displayName"] == "User 1")
                .cloned()
                .unwrap_or_default();
            assert_eq!(
                alice_row["collections"]["totalCount"], colls,
                "{b} {who}: nested collections"
            );
            assert_eq!(
                alice_row["bobbleheads"]["totalCount"], items,
                "{b} {who}: nested bobbleheads"
            );
            assert_eq!(
                alice_row["email"].is_string(),
                email,
                "{b} {who}: owner-only email"
            );
            assert_eq!(
                count(&r, &["headShakers", "userSettings"]),
                settings,
                "{b} {who}: personal settings"
            );
        }

        // Lookups and node: the private collection exists only for its owner.
        let lookup = r#"query($id: UUID!) { headShakers { collection(rowId: $id) { id name } } }"#;
        let r = app
            .gql(lookup, json!({ "id": private.to_string() }), Some(&alice_t))
            .await;
        let global = r.data()["headShakers"]["collection"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(!global.is_empty(), "{b}");
        for token in [None, Some(bob_t.as_str())] {
            let r = app
                .gql(lookup, json!({ "id": private.to_string() }), token)
                .await;
            assert_eq!(
                r.data()["headShakers"]["collection"],
                Value::Null,
                "{b}: lookup"
            );
            let r = app
                .gql(
                    r#"query($id: ID!) { node(id: $id) { id } nodes(ids: [$id]) { id } }"#,
                    json!({ "id": global }),
                    token,
                )
                .await;
            assert_eq!(r.data()["node"], Value::Null, "{b}: node");
            assert_eq!(r.data()["nodes"], json!([]), "{b}: nodes");
        }
        let r = app
            .gql(
                r#"query($id: ID!) { node(id: $id) { id } }"#,
                json!({ "id": global }),
                Some(&alice_t),
            )
            .await;
        assert_eq!(r.data()["node"]["id"], global.as_str(), "{b}");
    }
}
