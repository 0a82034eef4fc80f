//! Head Shakers reads: polymorphic targets as unions, the rows referencing a target, viewer
//! flags and counts — and their statement counts, which depend on the query's depth only.

use e2e::{Data, TestApp, backends, screens};
use migration::Database;
use serde_json::{Value, json};

const HOME_FEED: &str = r#"{ headShakers { collections(first: 20, where: { isPublic: { eq: true } }, orderBy: [UPDATED_AT_DESC]) { nodes {
    name likeCount viewerHasLiked
    owner { username followerCount viewerFollows }
    bobbleheads(first: 10, orderBy: [CREATED_AT_DESC]) { nodes {
        name likeCount viewerHasLiked
        tagLinks(first: 10) { nodes { tag { name color } } }
        comments(first: 3, orderBy: [CREATED_AT_DESC]) { nodes { content author { username displayName } } }
    } }
} } } }"#;

const LIKES_FEED: &str = r#"query($user: UUID!) { headShakers { user(rowId: $user) { likes(first: 50, orderBy: [CREATED_AT_DESC]) { totalCount nodes {
    targetType
    target {
        __typename
        ... on HeadShakersBobblehead { name owner { username } }
        ... on HeadShakersCollection { name owner { username } }
        ... on HeadShakersComment { content author { username } }
    }
} } } } }"#;

const DEMO_USER: &str = "00000000-0000-4000-8000-000000000001";

/// A user whose likes reach every target type (so every union member costs its statement).
async fn most_liking_user(app: &TestApp) -> String {
    let r = app
        .gql("{ headShakers { users(first: 100) { nodes { rowId likes(first: 100) { nodes { targetType } } } } } }", json!({}), None)
        .await;
    let users = r.data()["headShakers"]["users"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!users.is_empty(), "no users: {}", r.body);
    let kinds = |u: &Value| {
        u["likes"]["nodes"]
            .as_array()
            .map(|l| {
                l.iter()
                    .filter_map(|x| x["targetType"].as_str())
                    .collect::<std::collections::BTreeSet<_>>()
                    .len()
            })
            .unwrap_or(0)
    };
    users
        .iter()
        .max_by_key(|u| {
            (
                kinds(u),
                u["likes"]["nodes"].as_array().map(Vec::len).unwrap_or(0),
            )
        })
        .and_then(|u| u["rowId"].as_str())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn union_targets_match_their_discriminators() {
    for backend in backends() {
        let app = TestApp::spawn(&backend, Data::Demo).await;
        let b = backend.name();
        let user = most_liking_user(&app).await;
        let r = app.gql(LIKES_FEED, json!({ "user": user }), None).await;
        let likes = r.data()["headShakers"]["user"]["likes"]["nodes"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(!likes.is_empty(), "{b}");
        let mut seen = std::collections::BTreeSet::new();
        for like in &likes {
            let expected = match like["targetType"].as_str() {
                Some("BOBBLEHEAD") => "HeadShakersBobblehead",
                Some("COLLECTION") => "HeadShakersCollection",
                Some("COMMENT") => "HeadShakersComment",
                other => panic!("{b}: unexpected target type {other:?}"),
            };
            if !like["target"].is_null() {
                assert_eq!(like["target"]["__typename"], expected, "{b}");
                seen.insert(expected);
            }
        }
        assert!(!seen.is_empty(), "{b}: some targets resolve");

        // The rows referencing a target, and the viewer's own flag.
        let viewer = app.token("head_shakers", &user);
        let r = app
            .gql(
                r#"{ headShakers { bobbleheads(first: 50, where: { likeCount: { gt: 0 } }) { nodes { likeCount viewerHasLiked likes { totalCount nodes { user { rowId } } } } } } }"#,
                json!({}),
                Some(&viewer),
            )
            .await;
        for node in r.data()["headShakers"]["bobbleheads"]["nodes"]
            .as_array()
            .into_iter()
            .flatten()
        {
            assert_eq!(
                node["likes"]["totalCount"], node["likeCount"],
                "{b}: like_count equals the likes"
            );
            let mine = node["likes"]["nodes"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|l| l["user"]["rowId"] == user.as_str());
            let total = node["likes"]["totalCount"].as_i64().unwrap_or(0);
            if total <= 20 {
                assert_eq!(node["viewerHasLiked"], mine, "{b}: viewerHasLiked");
            }
        }
        let r = app
            .gql(
                r#"{ headShakers { bobbleheads(first: 3) { nodes { viewerHasLiked } } } }"#,
                json!({}),
                None,
            )
            .await;
        for node in r.data()["headShakers"]["bobbleheads"]["nodes"]
            .as_array()
            .into_iter()
            .flatten()
        {
            assert_eq!(
                node["viewerHasLiked"], false,
                "{b}: anonymous viewers like nothing"
            );
        }
    }
}

async fn statements(app: &TestApp, query: &str, vars: Value, token: Option<&str>) -> usize {
    let r = app.gql(query, vars, token).await;
    assert!(r.body.get("errors").is_none(), "{}", r.body);
    r.statements.unwrap_or(usize::MAX)
}

/// The home feed and a user's latest likes cost the same number of statements at two data sizes.
#[tokio::test]
async fn feed_statement_counts_do_not_grow_with_data() {
    for backend in backends() {
        let mut home = Vec::new();
        let mut likes = Vec::new();
        for scale in [1, 3] {
            let app = TestApp::spawn(&backend, Data::Scaled(scale)).await;
            let token = app.token("head_shakers", DEMO_USER);
            home.push(statements(&app, HOME_FEED, json!({}), Some(&token)).await);
            let user = most_liking_user(&app).await;
            likes.push(statements(&app, LIKES_FEED, json!({ "user": user }), Some(&token)).await);
        }
        let b = backend.name();
        assert_eq!(home[0], home[1], "{b}: home feed statements at two sizes");
        assert_eq!(
            likes[0], likes[1],
            "{b}: likes feed statements at two sizes"
        );
        // The viewer's account; collections with their owners, counts and the viewer's
        // flags; bobblehead pages with theirs; tag links with their tags; comment pages with
        // their authors.
        assert_eq!(home[0], 5, "{b}: home feed statements");
        // The viewer's account; the user; the likes page with its targets and their owners;
        // its total count.
        assert_eq!(likes[0], 4, "{b}: likes feed statements");
    }
}

/// Anonymous, the home feed is four statements (one per connection level) and a user's likes
/// with their polymorphic targets two, at any size.
#[tokio::test]
async fn anonymous_feeds_cost_a_statement_per_connection_level() {
    for backend in backends() {
        let b = backend.name();
        let app = TestApp::spawn(&backend, Data::Scaled(2)).await;
        let home = statements(&app, screens::HOME_FEED, json!({}), None).await;
        assert_eq!(home, 4, "{b}");
        let user = most_liking_user(&app).await;
        let likes = statements(&app, screens::LIKES_FEED, json!({ "user": user }), None).await;
        assert_eq!(likes, 2, "{b}");
    }
}

#[tokio::test]
async fn search_finds_visible_items_and_records_the_search() {
    for backend in backends() {
        let app = TestApp::spawn(&backend, Data::Demo).await;
        let b = backend.name();
        let token = app.token("head_shakers", DEMO_USER);
        let r = app.gql("{ headShakers { bobbleheads(first: 1, orderBy: [NAME_ASC]) { nodes { name manufacturer year } } } }", json!({}), None).await;
        let item = r.data()["headShakers"]["bobbleheads"]["nodes"][0].clone();
        let name = item["name"].as_str().unwrap_or_default().to_owned();
        let word: String = name.chars().take(4).collect::<String>().to_uppercase();

        let q = r#"query($q: String!, $from: Int) { headShakers { searchBobbleheads(query: $q, yearFrom: $from, first: 50) { totalCount nodes { name } } } }"#;
        let r = app.gql(q, json!({ "q": word }), Some(&token)).await;
        let found = &r.data()["headShakers"]["searchBobbleheads"];
        assert!(
            found["nodes"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|n| n["name"] == name.as_str()),
            "{b}: {found}"
        );
        let anon = app.gql(q, json!({ "q": word }), None).await;
        assert!(
            anon.data()["headShakers"]["searchBobbleheads"]["totalCount"].as_i64()
                <= found["totalCount"].as_i64(),
            "{b}"
        );

        let r = app.gql(q, json!({ "q": "", "from": 1700 }), None).await;
        assert_eq!(r.code(), Some("BAD_USER_INPUT"), "{b}");
        let r = app.gql(q, json!({ "q": "x".repeat(501) }), None).await;
        assert_eq!(r.code(), Some("BAD_USER_INPUT"), "{b}");

        let r = app.gql(r#"{ headShakers { searchCollections(query: "") { totalCount } collections(where: { isPublic: { eq: true } }) { totalCount } } }"#, json!({}), None).await;
        let d = &r.data()["headShakers"];
        assert_eq!(
            d["searchCollections"]["totalCount"], d["collections"]["totalCount"],
            "{b}: every public collection matches an empty search"
        );

        // The signed-in search was recorded with its result count; the anonymous ones were not.
        let r = app
            .gql(r#"{ headShakers { searchQueries(orderBy: [SEARCHED_AT_DESC], first: 1) { nodes { query resultCount filters } } } }"#, json!({}), Some(&token))
            .await;
        let last = &r.data()["headShakers"]["searchQueries"]["nodes"][0];
        assert_eq!(last["query"], word.as_str(), "{b}");
        assert_eq!(last["resultCount"], found["totalCount"], "{b}");
    }
}

#[tokio::test]
async fn search_applies_every_filter_and_records_each_search_once() {
    let create = r#"mutation($c: UUID!, $n: String!, $cat: String, $ch: String, $m: String, $s: String, $y: Int, $cond: String, $st: String) {
        headShakers { createBobblehead(collectionId: $c, name: $n, category: $cat, characterName: $ch, manufacturer: $m, series: $s, year: $y, currentCondition: $cond, status: $st) { rowId } } }"#;
    let search = r#"query($q: String!, $cat: String, $ch: String, $m: String, $s: String, $cond: String, $st: String, $from: Int, $to: Int, $tags: [UUID!], $names: [String!], $after: String) {
        headShakers { searchBobbleheads(query: $q, category: $cat, characterName: $ch, manufacturer: $m, series: $s, condition: $cond, status: $st, yearFrom: $from, yearTo: $to, tagIds: $tags, tags: $names, first: 1, after: $after, orderBy: [NAME_ASC]) {
            totalCount nodes { name } pageInfo { endCursor } } } }"#;
    let history = r#"{ headShakers { searchQueries(orderBy: [SEARCHED_AT_DESC]) { totalCount nodes { query filters resultCount } } } }"#;
    for backend in backends() {
        let app = TestApp::spawn(&backend, Data::Empty).await;
        let b = backend.name();
        let db = app.db(Database::HeadShakers);
        let owner = e2e::fixtures::hs_user(db, 1).await;
        let coll = e2e::fixtures::hs_collection(db, owner, "Shelf", true).await;
        let t = app.token("head_shakers", &owner.to_string());
        let items = [
            (
                "Alpha",
                "Sports",
                "Babe Ruth",
                "Forever",
                "Legends",
                1990,
                "mint",
                "owned",
            ),
            (
                "Bravo",
                "Sports",
                "Lou Gehrig",
                "Funko",
                "Legends",
                2005,
                "good",
                "for_sale",
            ),
            (
                "Charlie", "Movies", "Yoda", "Funko", "Saga", 2015, "mint", "wishlist",
            ),
        ];
        let mut ids = Vec::new();
        for (n, cat, ch, m, s, y, cond, st) in items {
            let v = json!({ "c": coll.to_string(), "n": n, "cat": cat, "ch": ch, "m": m, "s": s, "y": y, "cond": cond, "st": st });
            let r = app.gql(create, v, Some(&t)).await;
            ids.push(r.data()["headShakers"]["createBobblehead"]["rowId"].clone());
        }
        let r = app
            .gql(
                r#"mutation { headShakers { createTag(name: "Signed") { rowId } } }"#,
                json!({}),
                Some(&t),
            )
            .await;
        let tag = r.data()["headShakers"]["createTag"]["rowId"].clone();
        let r = app
            .gql(r#"mutation($b: UUID!, $t: UUID!) { headShakers { tagBobblehead(bobbleheadId: $b, tagId: $t) { tagId } } }"#, json!({ "b": ids[1], "t": tag }), Some(&t))
            .await;
        assert!(r.body.get("errors").is_none(), "{b}: {}", r.body);

        let names = |r: &e2e::Reply| -> (i64, Value) {
            let s = &r.data()["headShakers"]["searchBobbleheads"];
            (
                s["totalCount"].as_i64().unwrap_or(-1),
                s["nodes"][0]["name"].clone(),
            )
        };
        for (vars, total, first) in [
            (json!({ "q": "" }), 3, "Alpha"),
            (json!({ "q": "funko" }), 2, "Bravo"),
            (json!({ "q": "", "cat": "sports" }), 2, "Alpha"),
            (json!({ "q": "", "ch": "YODA" }), 1, "Charlie"),
            (json!({ "q": "", "m": "Funko" }), 2, "Bravo"),
            (json!({ "q": "", "s": "legends" }), 2, "Alpha"),
            (json!({ "q": "", "cond": "mint" }), 2, "Alpha"),
            (json!({ "q": "", "st": "for_sale" }), 1, "Bravo"),
            (json!({ "q": "", "from": 2000 }), 2, "Bravo"),
            (json!({ "q": "", "to": 2005 }), 2, "Alpha"),
            (json!({ "q": "", "from": 2000, "to": 2010 }), 1, "Bravo"),
            (json!({ "q": "", "tags": [tag] }), 1, "Bravo"),
            (json!({ "q": "", "names": ["SIGNED", "none"] }), 1, "Bravo"),
            (
                json!({ "q": "", "m": "funko", "cond": "mint" }),
                1,
                "Charlie",
            ),
        ] {
            let r = app.gql(search, vars.clone(), Some(&t)).await;
            assert_eq!(names(&r), (total, json!(first)), "{b}: {vars}");
        }
        let r = app
            .gql(
                search,
                json!({ "q": "", "from": 2010, "to": 2000 }),
                Some(&t),
            )
            .await;
        assert_eq!(r.code(), Some("BAD_USER_INPUT"), "{b}");
        assert_eq!(r.body["errors"][0]["extensions"]["field"], "yearTo", "{b}");

        // 14 searches, each recorded with its filters and count; the refused one was not.
        let r = app.gql(history, json!({}), Some(&t)).await;
        let h = &r.data()["headShakers"]["searchQueries"];
        assert_eq!(h["totalCount"], 14, "{b}");
        assert_eq!(
            h["nodes"][0]["filters"],
            json!({ "manufacturer": "funko", "condition": "mint" }),
            "{b}"
        );
        assert_eq!(h["nodes"][0]["resultCount"], 1, "{b}");

        // Paging through a search is one search.
        let r = app.gql(search, json!({ "q": "" }), Some(&t)).await;
        let cursor = r.data()["headShakers"]["searchBobbleheads"]["pageInfo"]["endCursor"].clone();
        let r = app
            .gql(search, json!({ "q": "", "after": cursor }), Some(&t))
            .await;
        assert_eq!(names(&r), (3, json!("Bravo")), "{b}");
        let r = app.gql(history, json!({}), Some(&t)).await;
        assert_eq!(
            r.data()["headShakers"]["searchQueries"]["totalCount"],
            15,
            "{b}"
        );
    }
}
