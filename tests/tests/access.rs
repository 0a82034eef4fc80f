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
        let alice_t = app.token("head_shakers", &alice.to_string());
        let bob_t = app.token("head_shakers", &bob.to_string());
        let carol = hs_user(db, 3).await;
        app.grant("head_shakers", &carol.to_string(), "admin").await;
        let admin_t = app.token("head_shakers", &carol.to_string());
        let other_source_t = app.token("usegemz", &alice.to_string());

        let q = r#"{ headShakers {
            collections { totalCount nodes { name } }
            bobbleheads { totalCount aggregate { count } }
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
            // (Purchase prices follow `show_collection_value` and are not aggregated at all:
            // head_shakers_social.rs tries every path to a hidden value.)
            assert_eq!(agg["count"], items, "{b} {who}: aggregate count");
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
            assert_eq!(r.data()["nodes"], json!([null]), "{b}: nodes");
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

/// Profile visibility, `show_*` settings and blocks, on every path.
#[tokio::test]
async fn profile_settings_and_blocks_shape_what_others_see() {
    use sea_orm::ConnectionTrait;
    for backend in backends() {
        let app = TestApp::spawn(&backend, Data::Empty).await;
        let b = backend.name();
        let db = app.db(Database::HeadShakers);
        let hidden = hs_user(db, 1).await;
        let shy = hs_user(db, 2).await;
        let viewer = hs_user(db, 3).await;
        let coll = hs_collection(db, shy, "Shelf", true).await;
        hs_bobblehead(db, shy, coll, "Item", Some(5)).await;
        let lit = |id: uuid::Uuid| match backend {
            e2e::Backend::Postgres(_) => format!("'{id}'"),
            e2e::Backend::Sqlite => format!("X'{}'", id.simple()),
        };
        for sql in [
            format!(
                "UPDATE users SET location = 'Springfield' WHERE id = {}",
                lit(shy)
            ),
            format!(
                "INSERT INTO user_settings (id, user_id, profile_visibility) VALUES ({}, {}, 'private')",
                lit(uuid::Uuid::new_v4()),
                lit(hidden)
            ),
            format!(
                "INSERT INTO user_settings (id, user_id, show_location, show_collection_value) VALUES ({}, {}, false, false)",
                lit(uuid::Uuid::new_v4()),
                lit(shy)
            ),
        ] {
            db.execute_unprepared(&sql)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
        }
        let viewer_t = app.token("head_shakers", &viewer.to_string());
        let shy_t = app.token("head_shakers", &shy.to_string());
        let q = r#"query($h: UUID!, $s: UUID!) { headShakers {
            hidden: user(rowId: $h) { rowId }
            shy: user(rowId: $s) { location collections { nodes { totalValue totalItems } } }
        } }"#;
        let vars = json!({ "h": hidden.to_string(), "s": shy.to_string() });

        let r = app.gql(q, vars.clone(), Some(&viewer_t)).await;
        let d = &r.data()["headShakers"];
        assert_eq!(d["hidden"], Value::Null, "{b}: a private profile is hidden");
        assert_eq!(d["shy"]["location"], Value::Null, "{b}: show_location off");
        assert_eq!(
            d["shy"]["collections"]["nodes"][0]["totalValue"],
            Value::Null,
            "{b}: show_collection_value off"
        );
        assert_eq!(
            d["shy"]["collections"]["nodes"][0]["totalItems"], 0,
            "{b}: show_collection_stats defaults on"
        );

        let r = app.gql(q, vars.clone(), Some(&shy_t)).await;
        assert_eq!(
            r.data()["headShakers"]["shy"]["location"],
            "Springfield",
            "{b}: the owner sees their own"
        );

        // Once shy blocks the viewer, shy and shy's content vanish for the viewer.
        let block = r#"mutation($u: UUID!) { headShakers { blockUser(userId: $u) { rowId } } }"#;
        app.gql(block, json!({ "u": viewer.to_string() }), Some(&shy_t))
            .await
            .data();
        let r = app.gql(q, vars.clone(), Some(&viewer_t)).await;
        assert_eq!(
            r.data()["headShakers"]["shy"],
            Value::Null,
            "{b}: the blocker is hidden"
        );
        let r = app
            .gql(
                "{ headShakers { collections { totalCount } bobbleheads { totalCount } } }",
                json!({}),
                Some(&viewer_t),
            )
            .await;
        assert_eq!(
            r.data()["headShakers"]["collections"]["totalCount"],
            0,
            "{b}"
        );
        assert_eq!(
            r.data()["headShakers"]["bobbleheads"]["totalCount"],
            0,
            "{b}"
        );
        let r = app
            .gql(
                "{ headShakers { collections { totalCount } } }",
                json!({}),
                None,
            )
            .await;
        assert_eq!(
            r.data()["headShakers"]["collections"]["totalCount"],
            1,
            "{b}: others still see it"
        );
    }
}

/// Likes and comments on content the viewer cannot see are hidden with it.
#[tokio::test]
async fn reactions_follow_their_target() {
    for backend in backends() {
        let app = TestApp::spawn(&backend, Data::Empty).await;
        let b = backend.name();
        let db = app.db(Database::HeadShakers);
        let owner = hs_user(db, 1).await;
        let private = hs_collection(db, owner, "Private", false).await;
        let item = hs_bobblehead(db, owner, private, "Secret", None).await;
        let owner_t = app.token("head_shakers", &owner.to_string());
        let like = r#"mutation($id: UUID!) { headShakers { like(targetType: BOBBLEHEAD, targetId: $id) { rowId } } }"#;
        app.gql(like, json!({ "id": item.to_string() }), Some(&owner_t))
            .await
            .data();
        let comment = r#"mutation($id: UUID!) { headShakers { addComment(targetType: BOBBLEHEAD, targetId: $id, content: "note to self") { rowId } } }"#;
        app.gql(comment, json!({ "id": item.to_string() }), Some(&owner_t))
            .await
            .data();
        let q = "{ headShakers { likes { totalCount } comments { totalCount } users { nodes { likes { totalCount } comments { totalCount } } } } }";
        let r = app.gql(q, json!({}), None).await;
        let d = &r.data()["headShakers"];
        assert_eq!(d["likes"]["totalCount"], 0, "{b}");
        assert_eq!(d["comments"]["totalCount"], 0, "{b}");
        assert_eq!(
            d["users"]["nodes"][0]["likes"]["totalCount"], 0,
            "{b}: nested too"
        );
        let r = app.gql(q, json!({}), Some(&owner_t)).await;
        assert_eq!(
            r.data()["headShakers"]["likes"]["totalCount"],
            1,
            "{b}: the owner sees them"
        );
        assert_eq!(r.data()["headShakers"]["comments"]["totalCount"], 1, "{b}");
    }
}
