//! The generic read layer end to end: keyset pagination both ways, cursors bound to their
//! ordering, typed filters, `orderBy`, `totalCount`, `aggregate`, lookups by primary key,
//! `node`/`nodes`, relations in both directions — on every backend; and the plans of the
//! benchmark's screens on PostgreSQL at scale (`plans`).

#[path = "read_layer/plans.rs"]
mod plans;

use e2e::fixtures::{hs_bobblehead, hs_collection, hs_user};
use e2e::{Data, TestApp, backends};
use entity::head_shakers::{bobbleheads, user_settings};
use migration::Database;
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

fn names(v: &Value) -> Vec<String> {
    v["nodes"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|n| n["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn expected(range: impl Iterator<Item = usize>) -> Vec<String> {
    range.map(|i| format!("B{i:02}")).collect()
}

const PAGE: &str = r#"query($first: Int, $last: Int, $after: String, $before: String, $order: [HeadShakersBobbleheadOrderBy!], $where: HeadShakersBobbleheadWhere) {
  headShakers { bobbleheads(first: $first, last: $last, after: $after, before: $before, orderBy: $order, where: $where) {
    totalCount
    nodes { name purchasePrice }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  } }
}"#;

async fn arrange(app: &TestApp) {
    let db = app.db(Database::HeadShakers);
    let user = hs_user(db, 1).await;
    // The collector shows values (`show_collection_value`), so anyone filters and orders by
    // purchase price.
    user_settings::ActiveModel {
        id: Set(Uuid::new_v4()),
        user_id: Set(user),
        show_collection_value: Set(true),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap_or_else(|e| panic!("insert settings: {e}"));
    let coll = hs_collection(db, user, "Shelf", true).await;
    for i in 0..25 {
        let id = hs_bobblehead(db, user, coll, &format!("B{i:02}"), Some(i as i64)).await;
        // A year per item, for the aggregates (purchase prices are not aggregated).
        bobbleheads::Entity::update_many()
            .col_expr(bobbleheads::Column::Year, Expr::value(2000 + i))
            .filter(bobbleheads::Column::Id.eq(id))
            .exec(db)
            .await
            .unwrap_or_else(|e| panic!("set year: {e}"));
    }
}

/// Without `orderBy` a list reads newest first (by `created_at`, then the key), pages
/// included, and the schema documents that default on the argument.
#[tokio::test]
async fn lists_default_to_newest_first() {
    for backend in backends() {
        let app = TestApp::spawn(&backend, Data::Empty).await;
        arrange(&app).await;
        let b = backend.name();
        // Creation times in the reverse of the names: B00 is the newest.
        let db = app.db(Database::HeadShakers);
        for i in 0..25i64 {
            let at = chrono::NaiveDate::from_ymd_opt(2026, 1, 1)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t - chrono::Duration::minutes(i))
                .unwrap_or_default();
            bobbleheads::Entity::update_many()
                .col_expr(bobbleheads::Column::CreatedAt, Expr::value(at))
                .filter(bobbleheads::Column::Name.eq(format!("B{i:02}")))
                .exec(db)
                .await
                .unwrap_or_else(|e| panic!("set created_at: {e}"));
        }
        let r = app.gql(PAGE, json!({ "first": 10 }), None).await;
        let page = &r.data()["headShakers"]["bobbleheads"];
        assert_eq!(names(page), expected(0..10), "{b}: newest first");
        let after = page["pageInfo"]["endCursor"].clone();
        let r = app
            .gql(PAGE, json!({ "first": 10, "after": after }), None)
            .await;
        let page2 = &r.data()["headShakers"]["bobbleheads"];
        assert_eq!(names(page2), expected(10..20), "{b}: the next page");
        let r = app
            .gql(
                PAGE,
                json!({ "first": 10, "order": ["CREATED_AT_DESC"] }),
                None,
            )
            .await;
        assert_eq!(
            names(&r.data()["headShakers"]["bobbleheads"]),
            expected(0..10),
            "{b}: the same as CREATED_AT_DESC"
        );
    }
    let sdl = api::startup::sdl().unwrap_or_else(|e| panic!("schema: {e}"));
    assert!(
        sdl.contains("(default: `CREATED_AT_DESC, ROW_ID_ASC`)"),
        "the default is documented"
    );
    assert!(
        !sdl.contains("default: primary key ascending"),
        "every orderBy names its default"
    );
}

/// JSON filters: array elements (`contains`, `containsAny`), object keys with values
/// (`contains`) and keys (`hasKey`), under `not` too, alike on both backends.
#[tokio::test]
async fn json_filters_match_elements_keys_and_values() {
    const Q: &str = r#"query($w: HeadShakersBobbleheadWhere) { headShakers { bobbleheads(where: $w, orderBy: [NAME_ASC]) { nodes { name } } } }"#;
    for backend in backends() {
        let app = TestApp::spawn(&backend, Data::Empty).await;
        arrange(&app).await;
        let b = backend.name();
        let db = app.db(Database::HeadShakers);
        let docs = [
            json!({ "team": "Cubs", "signed": true, "year": 1998 }),
            json!({ "team": "Mets" }),
            json!(["red", "blue", 3]),
            json!(["green"]),
        ];
        for (i, doc) in docs.iter().enumerate() {
            bobbleheads::Entity::update_many()
                .col_expr(bobbleheads::Column::CustomFields, Expr::value(doc.clone()))
                .filter(bobbleheads::Column::Name.eq(format!("B{i:02}")))
                .exec(db)
                .await
                .unwrap_or_else(|e| panic!("set custom fields: {e}"));
        }
        let only = |f: Value| json!({ "customFields": f, "name": { "in": ["B00", "B01", "B02", "B03", "B04"] } });
        let cases = [
            (only(json!({ "contains": { "team": "Cubs" } })), vec!["B00"]),
            (
                only(json!({ "contains": { "signed": true, "year": 1998 } })),
                vec!["B00"],
            ),
            (
                only(json!({ "contains": { "team": "Cubs", "year": 1999 } })),
                vec![],
            ),
            (only(json!({ "hasKey": "team" })), vec!["B00", "B01"]),
            (only(json!({ "contains": ["red", 3] })), vec!["B02"]),
            (only(json!({ "contains": ["red", "green"] })), vec![]),
            (
                only(json!({ "containsAny": ["green", "blue"] })),
                vec!["B02", "B03"],
            ),
            (
                json!({ "not": { "customFields": { "containsAny": ["green"] } }, "name": { "in": ["B00", "B01", "B02", "B03", "B04"] } }),
                vec!["B00", "B01", "B02"],
            ),
        ];
        for (w, want) in cases {
            let r = app.gql(Q, json!({ "w": w }), None).await;
            let got = names(&r.data()["headShakers"]["bobbleheads"]);
            assert_eq!(got, want, "{b}: {w}");
        }
        for bad in [
            json!({ "customFields": { "contains": [["nested"]] } }),
            json!({ "customFields": { "contains": "scalar" } }),
        ] {
            let r = app.gql(Q, json!({ "w": bad }), None).await;
            assert_eq!(r.code(), Some("BAD_USER_INPUT"), "{b}: {bad}: {}", r.body);
        }
    }
}

/// An object whose selection applies no field answers `{}`, not `null`: a fragment on another
/// type, or every field skipped; and the gateway's marker never shows.
#[tokio::test]
async fn objects_without_applied_fields_answer_empty_objects() {
    const Q: &str = r#"query($id: ID!) {
  node(id: $id) { ... on HeadShakersComment { content } }
  headShakers { bobbleheads(first: 2, orderBy: [NAME_ASC]) { nodes { name @skip(if: true) ... on HeadShakersBobblehead @include(if: false) { rowId } } } }
  same: node(id: $id) { ... on HeadShakersBobblehead { name } }
}"#;
    for backend in backends() {
        let app = TestApp::spawn(&backend, Data::Empty).await;
        arrange(&app).await;
        let b = backend.name();
        let r = app
            .gql(
                r#"{ headShakers { bobbleheads(first: 1, orderBy: [NAME_ASC]) { nodes { id } } } }"#,
                json!({}),
                None,
            )
            .await;
        let id = r.data()["headShakers"]["bobbleheads"]["nodes"][0]["id"].clone();
        let r = app.gql(Q, json!({ "id": id }), None).await;
        assert_eq!(
            r.data(),
            &json!({
                "node": {},
                "headShakers": { "bobbleheads": { "nodes": [{}, {}] } },
                "same": { "name": "B00" }
            }),
            "{b}"
        );
        let r = app
            .gql("{ __gatewayObject: __typename }", json!({}), None)
            .await;
        assert!(
            r.body.get("errors").is_some(),
            "{b}: the marker is reserved"
        );
    }
}

#[tokio::test]
async fn keyset_pages_forward_and_backward() {
    for backend in backends() {
        let app = TestApp::spawn(&backend, Data::Empty).await;
        arrange(&app).await;
        let b = backend.name();

        let r = app
            .gql(PAGE, json!({ "first": 10, "order": ["NAME_DESC"] }), None)
            .await;
        let page = &r.data()["headShakers"]["bobbleheads"];
        assert_eq!(names(page), expected((15..25).rev()), "{b}");
        assert_eq!(page["totalCount"], 25, "{b}");
        assert_eq!(page["pageInfo"]["hasNextPage"], true, "{b}");
        assert_eq!(page["pageInfo"]["hasPreviousPage"], false, "{b}");

        let after = page["pageInfo"]["endCursor"].clone();
        let r = app
            .gql(
                PAGE,
                json!({ "first": 10, "after": after, "order": ["NAME_DESC"] }),
                None,
            )
            .await;
        let page2 = &r.data()["headShakers"]["bobbleheads"];
        assert_eq!(names(page2), expected((5..15).rev()), "{b}");
        assert_eq!(page2["pageInfo"]["hasPreviousPage"], true, "{b}");

        let after = page2["pageInfo"]["endCursor"].clone();
        let r = app
            .gql(
                PAGE,
                json!({ "first": 10, "after": after, "order": ["NAME_DESC"] }),
                None,
            )
            .await;
        let page3 = &r.data()["headShakers"]["bobbleheads"];
        assert_eq!(names(page3), expected((0..5).rev()), "{b}");
        assert_eq!(page3["pageInfo"]["hasNextPage"], false, "{b}");

        // Backwards from the start of page 2: the last rows of page 1, in list order.
        let before = page2["pageInfo"]["startCursor"].clone();
        let r = app
            .gql(
                PAGE,
                json!({ "last": 3, "before": before, "order": ["NAME_DESC"] }),
                None,
            )
            .await;
        let back = &r.data()["headShakers"]["bobbleheads"];
        assert_eq!(names(back), vec!["B17", "B16", "B15"], "{b}");
        assert_eq!(back["pageInfo"]["hasPreviousPage"], true, "{b}");
        assert_eq!(back["pageInfo"]["hasNextPage"], true, "{b}");

        // The last rows of the whole list.
        let r = app
            .gql(PAGE, json!({ "last": 2, "order": ["NAME_DESC"] }), None)
            .await;
        assert_eq!(
            names(&r.data()["headShakers"]["bobbleheads"]),
            vec!["B01", "B00"],
            "{b}"
        );

        // A cursor made under NAME_DESC is refused under another ordering.
        let r = app
            .gql(
                PAGE,
                json!({ "first": 5, "after": after, "order": ["NAME_ASC"] }),
                None,
            )
            .await;
        assert_eq!(r.code(), Some("BAD_USER_INPUT"), "{b}: {}", r.body);
        assert!(
            r.body["errors"][0]["message"]
                .as_str()
                .unwrap_or("")
                .contains("orderBy"),
            "{b}"
        );
        let r = app
            .gql(PAGE, json!({ "first": 5, "after": "not-a-cursor" }), None)
            .await;
        assert_eq!(r.code(), Some("BAD_USER_INPUT"), "{b}");

        // Page sizes are capped and validated.
        let r = app.gql(PAGE, json!({ "first": 1000 }), None).await;
        assert_eq!(r.code(), Some("BAD_USER_INPUT"), "{b}");
        assert_eq!(r.body["errors"][0]["extensions"]["field"], "first", "{b}");
        let r = app.gql(PAGE, json!({ "first": 2, "last": 2 }), None).await;
        assert_eq!(r.code(), Some("BAD_USER_INPUT"), "{b}");
    }
}

#[tokio::test]
async fn filters_ordering_count_and_aggregates() {
    for backend in backends() {
        let app = TestApp::spawn(&backend, Data::Empty).await;
        arrange(&app).await;
        let b = backend.name();

        let w = json!({ "purchasePrice": { "gte": "20" } });
        let r = app
            .gql(
                PAGE,
                json!({ "first": 10, "where": w, "order": ["PURCHASE_PRICE_ASC"] }),
                None,
            )
            .await;
        let page = &r.data()["headShakers"]["bobbleheads"];
        assert_eq!(names(page), expected(20..25), "{b}");
        assert_eq!(page["totalCount"], 5, "{b}");
        assert_eq!(
            page["nodes"][0]["purchasePrice"], "20.00",
            "{b}: decimals keep their scale"
        );

        let w = json!({ "or": [{ "name": { "in": ["B01", "B03"] } }, { "name": { "contains": "b2" } }], "not": { "name": { "eq": "B21" } } });
        let r = app
            .gql(
                PAGE,
                json!({ "first": 20, "where": w, "order": ["NAME_ASC"] }),
                None,
            )
            .await;
        assert_eq!(
            names(&r.data()["headShakers"]["bobbleheads"]),
            vec!["B01", "B03", "B20", "B22", "B23", "B24"],
            "{b}"
        );

        let w = json!({ "name": { "startsWith": "b1" }, "purchasePrice": { "lt": 15 } });
        let r = app.gql(PAGE, json!({ "where": w }), None).await;
        assert_eq!(
            r.data()["headShakers"]["bobbleheads"]["totalCount"],
            5,
            "{b}"
        );

        let r = app
            .gql(
                r#"{ headShakers { bobbleheads(where: { purchasePrice: { lt: "10" } }) {
                     aggregate { count sum { year } avg { year } min { year } max { year viewCount } }
                   } } }"#,
                json!({}),
                None,
            )
            .await;
        let agg = &r.data()["headShakers"]["bobbleheads"]["aggregate"];
        assert_eq!(agg["count"], 10, "{b}");
        assert_eq!(agg["sum"]["year"], 20045.0, "{b}");
        assert_eq!(agg["avg"]["year"], 2004.5, "{b}");
        assert_eq!(agg["min"]["year"], 2000.0, "{b}");
        assert_eq!(agg["max"]["year"], 2009.0, "{b}");
        assert_eq!(agg["max"]["viewCount"], 0.0, "{b}");

        // Bad input names the offending field.
        let r = app
            .gql(
                PAGE,
                json!({ "where": { "userId": { "eq": "not-a-uuid" } } }),
                None,
            )
            .await;
        assert_eq!(r.code(), Some("BAD_USER_INPUT"), "{b}: {}", r.body);
        let r = app
            .gql(PAGE, json!({ "order": ["NO_SUCH_FIELD_ASC"] }), None)
            .await;
        assert!(r.body.get("errors").is_some(), "{b}");
    }
}

#[tokio::test]
async fn relations_lookups_and_nodes() {
    for backend in backends() {
        let app = TestApp::spawn(&backend, Data::Empty).await;
        let db = app.db(Database::HeadShakers);
        let b = backend.name();
        let user = hs_user(db, 1).await;
        let coll = hs_collection(db, user, "Shelf", true).await;
        for i in 0..3 {
            hs_bobblehead(db, user, coll, &format!("B{i:02}"), None).await;
        }

        let q = r#"query($id: UUID!) { headShakers { collection(rowId: $id) {
              id rowId name
              owner { displayName collections { totalCount } }
              bobbleheads(first: 2, orderBy: [NAME_ASC]) { totalCount nodes { name collection { name } owner { displayName } } }
            } } }"#;
        let r = app.gql(q, json!({ "id": coll.to_string() }), None).await;
        let c = &r.data()["headShakers"]["collection"];
        assert_eq!(c["rowId"], coll.to_string(), "{b}");
        assert_eq!(c["owner"]["displayName"], "User 1", "{b}");
        assert_eq!(c["owner"]["collections"]["totalCount"], 1, "{b}");
        assert_eq!(c["bobbleheads"]["totalCount"], 3, "{b}");
        assert_eq!(names(&c["bobbleheads"]), vec!["B00", "B01"], "{b}");
        assert_eq!(
            c["bobbleheads"]["nodes"][0]["collection"]["name"], "Shelf",
            "{b}"
        );

        let global = c["id"].as_str().unwrap_or_default().to_owned();
        let r = app
            .gql(
                r#"query($id: ID!, $ids: [ID!]!) {
                    node(id: $id) { id __typename ... on HeadShakersCollection { name } }
                    nodes(ids: $ids) { id ... on HeadShakersCollection { name } }
                }"#,
                json!({ "id": global, "ids": [global, global] }),
                None,
            )
            .await;
        let d = r.data();
        assert_eq!(d["node"]["__typename"], "HeadShakersCollection", "{b}");
        assert_eq!(d["node"]["name"], "Shelf", "{b}");
        assert_eq!(d["nodes"].as_array().map(Vec::len), Some(2), "{b}");

        // Unknown ids: null; malformed ids: BAD_USER_INPUT.
        let r = app
            .gql(
                r#"query($id: UUID!) { headShakers { collection(rowId: $id) { name } } }"#,
                json!({ "id": uuid::Uuid::new_v4().to_string() }),
                None,
            )
            .await;
        assert_eq!(r.data()["headShakers"]["collection"], Value::Null, "{b}");
        let r = app
            .gql(r#"{ node(id: "garbage") { id } }"#, json!({}), None)
            .await;
        assert_eq!(r.code(), Some("BAD_USER_INPUT"), "{b}");
        let r = app
            .gql(
                r#"{ headShakers { collection(rowId: "nope") { name } } }"#,
                json!({}),
                None,
            )
            .await;
        assert!(r.body.get("errors").is_some(), "{b}");
    }
}

/// A two-level nested query costs the same number of statements for 5 and for 50 parents.
#[tokio::test]
async fn statement_count_depends_on_depth_not_rows() {
    for backend in backends() {
        let mut counts = Vec::new();
        for parents in [5usize, 50] {
            let app = TestApp::spawn(&backend, Data::Empty).await;
            let db = app.db(Database::HeadShakers);
            for n in 0..parents {
                let user = hs_user(db, n).await;
                let coll = hs_collection(db, user, &format!("C{n:02}"), true).await;
                for i in 0..3 {
                    hs_bobblehead(db, user, coll, &format!("B{i:02}"), Some(i)).await;
                }
            }
            let r = app
                .gql(
                    r#"{ headShakers { collections(first: 100) {
                        nodes { name owner { username } bobbleheads(first: 2) { totalCount nodes { name owner { displayName } } } }
                    } } }"#,
                    json!({}),
                    None,
                )
                .await;
            let nodes = r.data()["headShakers"]["collections"]["nodes"]
                .as_array()
                .map(Vec::len);
            assert_eq!(nodes, Some(parents), "{}", backend.name());
            assert_eq!(
                r.data()["headShakers"]["collections"]["nodes"][0]["bobbleheads"]["nodes"]
                    .as_array()
                    .map(Vec::len),
                Some(2)
            );
            counts.push(r.statements.unwrap_or(usize::MAX));
        }
        assert_eq!(
            counts[0],
            counts[1],
            "{}: statements for 5 and 50 parents",
            backend.name()
        );
        // The collections page with their owners; bobblehead pages with theirs; their counts.
        assert_eq!(counts[0], 3, "{}", backend.name());
    }
}

#[tokio::test]
async fn updated_at_is_refreshed_on_update() {
    use sea_orm::ConnectionTrait;
    for backend in backends() {
        let app = TestApp::spawn(&backend, Data::Empty).await;
        let db = app.db(Database::HeadShakers);
        let user = hs_user(db, 1).await;
        let coll = hs_collection(db, user, "Shelf", true).await;
        let q =
            r#"query($id: UUID!) { headShakers { collection(rowId: $id) { name updatedAt } } }"#;
        let before = app
            .gql(q, json!({ "id": coll.to_string() }), None)
            .await
            .data()["headShakers"]["collection"]["updatedAt"]
            .clone();
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        db.execute_unprepared("UPDATE collections SET name = 'Renamed'")
            .await
            .unwrap_or_else(|e| panic!("update: {e}"));
        let r = app.gql(q, json!({ "id": coll.to_string() }), None).await;
        let after = &r.data()["headShakers"]["collection"];
        assert_eq!(after["name"], "Renamed");
        assert_ne!(
            after["updatedAt"],
            before,
            "{}: updated_at must move",
            backend.name()
        );
    }
}

/// Timestamps keep their stored microseconds in answers, cursors and filters: paging both
/// ways over rows created within one millisecond returns each row once, `eq` on an answered
/// value finds its row and `gt` leaves it out ("new rows since" polling).
#[tokio::test]
async fn timestamps_keep_microseconds_in_pages_and_filters() {
    use entity::head_shakers::tags;
    const TAGS: &str = r#"query($first: Int, $last: Int, $after: String, $before: String, $order: [HeadShakersTagOrderBy!], $where: HeadShakersTagWhere) {
      headShakers { tags(first: $first, last: $last, after: $after, before: $before, orderBy: $order, where: $where) {
        nodes { name createdAt } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }"#;
    for backend in backends() {
        let b = backend.name();
        let app = TestApp::spawn(&backend, Data::Empty).await;
        let db = app.db(Database::HeadShakers);
        let user = hs_user(db, 1).await;
        let base = chrono::NaiveDate::from_ymd_opt(2026, 3, 1)
            .and_then(|d| d.and_hms_micro_opt(12, 0, 0, 250_000))
            .unwrap_or_default();
        // Seven rows within one millisecond, inserted out of order.
        for i in [3, 0, 6, 1, 5, 2, 4] {
            let at = base + chrono::Duration::microseconds(i * 100 + 7);
            tags::ActiveModel {
                id: Set(Uuid::new_v4()),
                user_id: Set(user),
                name: Set(format!("T{i}")),
                created_at: Set(Some(at)),
                updated_at: Set(Some(at)),
                ..Default::default()
            }
            .insert(db)
            .await
            .unwrap_or_else(|e| panic!("insert tag: {e}"));
        }
        let all: Vec<String> = (0..7).map(|i| format!("T{i}")).collect();
        for (order, forward) in [("CREATED_AT_ASC", true), ("CREATED_AT_DESC", false)] {
            let want: Vec<String> = if forward {
                all.clone()
            } else {
                all.iter().rev().cloned().collect()
            };
            // Forward with `first`/`after`, then backward with `last`/`before`.
            for backward in [false, true] {
                let (mut seen, mut cursor) = (Vec::new(), Value::Null);
                for _ in 0..10 {
                    let vars = if backward {
                        json!({ "last": 2, "before": cursor, "order": [order] })
                    } else {
                        json!({ "first": 2, "after": cursor, "order": [order] })
                    };
                    let r = app.gql(TAGS, vars, None).await;
                    let page = &r.data()["headShakers"]["tags"];
                    let mut got = names(page);
                    if backward {
                        got.extend(seen);
                        seen = got;
                    } else {
                        seen.extend(got);
                    }
                    let (more, next) = if backward {
                        ("hasPreviousPage", "startCursor")
                    } else {
                        ("hasNextPage", "endCursor")
                    };
                    if page["pageInfo"][more] != json!(true) {
                        break;
                    }
                    cursor = page["pageInfo"][next].clone();
                }
                assert_eq!(seen, want, "{b} {order} backward={backward}");
            }
        }
        let r = app
            .gql(
                TAGS,
                json!({ "first": 10, "order": ["CREATED_AT_ASC"] }),
                None,
            )
            .await;
        let nodes = r.data()["headShakers"]["tags"]["nodes"].clone();
        let third = &nodes[3];
        assert_eq!(
            third["createdAt"], "2026-03-01T12:00:00.250307Z",
            "{b}: {nodes}"
        );
        let at = third["createdAt"].clone();
        let r = app
            .gql(
                TAGS,
                json!({ "where": { "createdAt": { "eq": at } } }),
                None,
            )
            .await;
        assert_eq!(names(&r.data()["headShakers"]["tags"]), ["T3"], "{b}: eq");
        let since = json!({ "where": { "createdAt": { "gt": at } }, "order": ["CREATED_AT_ASC"] });
        let r = app.gql(TAGS, since, None).await;
        let since = names(&r.data()["headShakers"]["tags"]);
        assert_eq!(since, ["T4", "T5", "T6"], "{b}: gt");
    }
}
