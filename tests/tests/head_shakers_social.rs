//! Head Shakers social API end to end, the parts the writes tests leave out: notifications
//! honouring the recipient's `inApp*` settings (and never for one's own actions), reply
//! notifications among three users, a deleted like target resolving to null inside an intact
//! response, the reverse sides of collections and comments (`replies`, `likes`,
//! `viewerHasLiked`, `viewerFollows`, `followerCount`, `commentCount`), comment `likeCount`,
//! a blocked user following the blocker's collection, and comment likes under concurrent
//! writers — on every backend.

use e2e::backends;
use e2e::head_shakers::{COMMENT, FOLLOW, world};
use entity::head_shakers::users;
use migration::Database;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

/// The types of notifications, in order.
fn kinds(nodes: &[Value]) -> Vec<&str> {
    nodes.iter().filter_map(|n| n["type"].as_str()).collect()
}

#[tokio::test]
async fn notifications_honour_in_app_settings_and_skip_own_actions() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = backend.name();
        let item = w.item.to_string();
        let coll = w.coll.to_string();

        // Likes off: a like notifies nobody, a comment still does.
        w.settings(false, true, true).await;
        w.like("BOBBLEHEAD", &item, &w.fan_t).await.data();
        assert_eq!(
            kinds(&w.notifications(&w.owner_t).await),
            Vec::<&str>::new(),
            "{b}"
        );
        w.comment("Nice", None, &w.fan_t).await;
        assert_eq!(
            kinds(&w.notifications(&w.owner_t).await),
            ["COMMENT"],
            "{b}"
        );

        // Likes back on, comments off.
        w.settings(true, false, true).await;
        w.like("COLLECTION", &coll, &w.fan_t).await.data();
        w.comment("Nicer", None, &w.fan_t).await;
        let n = w.notifications(&w.owner_t).await;
        assert_eq!(kinds(&n), ["COMMENT", "LIKE"], "{b}");
        assert_eq!(n[1]["relatedId"], coll, "{b}");
        assert_eq!(n[1]["relatedUser"]["rowId"], w.fan.to_string(), "{b}");
        assert_eq!(
            n[1]["related"]["__typename"], "HeadShakersCollection",
            "{b}"
        );

        // Comments back on, followers off: a follow of the user or a collection is silent.
        w.settings(true, true, false).await;
        w.app
            .gql(FOLLOW, json!({ "u": w.owner.to_string() }), Some(&w.fan_t))
            .await
            .data();
        w.app
            .gql(FOLLOW, json!({ "c": coll }), Some(&w.fan_t))
            .await
            .data();
        let reply_to = w.comment("Nicest", None, &w.fan_t).await;
        assert_eq!(
            kinds(&w.notifications(&w.owner_t).await),
            ["COMMENT", "LIKE", "COMMENT"],
            "{b}"
        );

        // Followers back on: a new follow notifies.
        w.settings(true, true, true).await;
        w.app
            .gql(
                r#"mutation($u: UUID!) { headShakers { unfollow(userId: $u) { deletedId } } }"#,
                json!({ "u": w.owner.to_string() }),
                Some(&w.fan_t),
            )
            .await
            .data();
        w.app
            .gql(FOLLOW, json!({ "u": w.owner.to_string() }), Some(&w.fan_t))
            .await
            .data();
        let n = w.notifications(&w.owner_t).await;
        assert_eq!(kinds(&n), ["COMMENT", "LIKE", "COMMENT", "FOLLOW"], "{b}");
        assert_eq!(n[3]["related"]["__typename"], "HeadShakersUser", "{b}");

        // Acting on one's own content never notifies, with every setting on.
        w.like("BOBBLEHEAD", &item, &w.owner_t).await.data();
        w.like("COLLECTION", &coll, &w.owner_t).await.data();
        let own = w.comment("My own", None, &w.owner_t).await;
        w.like("COMMENT", &own, &w.owner_t).await.data();
        // The fan liking and replying to their own comment notifies the owner (of the reply
        // on their bobblehead) but not the fan.
        w.like("COMMENT", &reply_to, &w.fan_t).await.data();
        w.comment("Me again", Some(&reply_to), &w.fan_t).await;
        assert_eq!(
            kinds(&w.notifications(&w.owner_t).await),
            ["COMMENT", "LIKE", "COMMENT", "FOLLOW", "COMMENT"],
            "{b}: no notification of the owner's own actions"
        );
        assert_eq!(
            kinds(&w.notifications(&w.fan_t).await),
            Vec::<&str>::new(),
            "{b}: no notification of the fan's own actions"
        );
    }
}

#[tokio::test]
async fn a_reply_notifies_the_owner_and_the_parent_author_once_each() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = backend.name();
        let (third, third_t) = w.user(3).await;

        let parent = w.comment("Great paint", None, &w.fan_t).await;
        assert_eq!(
            kinds(&w.notifications(&w.owner_t).await),
            ["COMMENT"],
            "{b}"
        );
        assert!(w.notifications(&w.fan_t).await.is_empty(), "{b}");

        let reply = w.comment("Agreed", Some(&parent), &third_t).await;
        let owner_n = w.notifications(&w.owner_t).await;
        let fan_n = w.notifications(&w.fan_t).await;
        assert_eq!(
            kinds(&owner_n),
            ["COMMENT", "COMMENT"],
            "{b}: one more for the owner"
        );
        assert_eq!(kinds(&fan_n), ["COMMENT"], "{b}: exactly one for the fan");
        for n in [&owner_n[1], &fan_n[0]] {
            assert_eq!(n["relatedId"], reply, "{b}");
            assert_eq!(n["related"]["__typename"], "HeadShakersComment", "{b}");
            assert_eq!(n["relatedUser"]["rowId"], third.to_string(), "{b}");
        }
        assert!(w.notifications(&third_t).await.is_empty(), "{b}");

        // The third user replies to the owner's own comment: the owner is both the content's
        // owner and the parent's author, and is notified once.
        let owners = w.comment("Thanks all", None, &w.owner_t).await;
        w.comment("You're welcome", Some(&owners), &third_t).await;
        assert_eq!(
            kinds(&w.notifications(&w.owner_t).await),
            ["COMMENT", "COMMENT", "COMMENT"],
            "{b}: one notification, not two"
        );
        assert_eq!(w.notifications(&w.fan_t).await.len(), 1, "{b}");
    }
}

#[tokio::test]
async fn a_deleted_like_target_is_null_and_the_rest_resolves() {
    let likes = r#"query($id: UUID!) { headShakers { user(rowId: $id) { rowId likes(orderBy: [CREATED_AT_ASC]) { totalCount nodes { targetType targetId target { __typename ... on HeadShakersBobblehead { rowId name } ... on HeadShakersCollection { rowId name } } } } } } }"#;
    for backend in backends() {
        let w = world(&backend).await;
        let b = backend.name();
        let coll = w.coll.to_string();
        // Created through the API so that the collection's aggregates count it (the fixture's
        // direct insert leaves `total_items` at 0, which a soft delete could not decrement).
        let r = w
            .app
            .gql(
                r#"mutation($c: UUID!) { headShakers { createBobblehead(collectionId: $c, name: "Doomed") { rowId } } }"#,
                json!({ "c": coll }),
                Some(&w.owner_t),
            )
            .await;
        let item = r.data()["headShakers"]["createBobblehead"]["rowId"]
            .as_str()
            .unwrap_or_else(|| panic!("{b}: {}", r.body))
            .to_owned();
        w.like("BOBBLEHEAD", &item, &w.fan_t).await.data();
        w.like("COLLECTION", &coll, &w.fan_t).await.data();
        let r = w
            .app
            .gql(
                r#"mutation($id: UUID!) { headShakers { deleteBobblehead(id: $id) { deletedId } } }"#,
                json!({ "id": item }),
                Some(&w.owner_t),
            )
            .await;
        assert!(
            r.data()["headShakers"]["deleteBobblehead"]["deletedId"].is_string(),
            "{b}"
        );

        // The fan's likes: no error, the live collection still resolves, and the deleted
        // bobblehead never resolves.
        let r = w
            .app
            .gql(likes, json!({ "id": w.fan.to_string() }), Some(&w.fan_t))
            .await;
        assert!(r.body.get("errors").is_none(), "{b}: {}", r.body);
        let user = &r.body["data"]["headShakers"]["user"];
        assert_eq!(user["rowId"], w.fan.to_string(), "{b}");
        let nodes = user["likes"]["nodes"]
            .as_array()
            .cloned()
            .unwrap_or_else(|| panic!("{b}: {}", r.body));
        let live = nodes
            .iter()
            .find(|n| n["targetType"] == "COLLECTION")
            .unwrap_or_else(|| panic!("{b}: no collection like in {}", r.body));
        assert_eq!(live["target"]["__typename"], "HeadShakersCollection", "{b}");
        assert_eq!(live["target"]["rowId"], coll, "{b}");
        assert_eq!(live["target"]["name"], "Shelf", "{b}");
        assert_eq!(user["likes"]["totalCount"], 2, "{b}: {}", r.body);
        let gone = nodes
            .iter()
            .find(|n| n["targetType"] == "BOBBLEHEAD")
            .unwrap_or_else(|| panic!("{b}: the like of the deleted item is listed: {}", r.body));
        assert_eq!(gone["targetId"], item, "{b}");
        assert_eq!(gone["target"], Value::Null, "{b}: a deleted target is null");

        // The owner's notifications of both likes: the one about the deleted bobblehead keeps
        // its row and ids with `related: null`; the other still resolves.
        let n = w.notifications(&w.owner_t).await;
        assert_eq!(kinds(&n), ["LIKE", "LIKE"], "{b}");
        let gone = n
            .iter()
            .find(|n| n["relatedId"] == item.as_str())
            .unwrap_or_else(|| panic!("{b}: no notification of {item}"));
        assert_eq!(
            gone["related"],
            Value::Null,
            "{b}: a deleted subject is null"
        );
        assert_eq!(gone["relatedUser"]["rowId"], w.fan.to_string(), "{b}");
        let kept = n
            .iter()
            .find(|n| n["relatedId"] == coll.as_str())
            .unwrap_or_else(|| panic!("{b}: no notification of {coll}"));
        assert_eq!(
            kept["related"]["__typename"], "HeadShakersCollection",
            "{b}"
        );

        // An admin, whom likes do not hide from, sees both likes in one response: the deleted
        // bobblehead's as `target: null`, the collection's resolved.
        let (admin, admin_t) = w.user(9).await;
        w.app
            .grant("head_shakers", &admin.to_string(), "admin")
            .await;
        let r = w
            .app
            .gql(likes, json!({ "id": w.fan.to_string() }), Some(&admin_t))
            .await;
        assert!(r.body.get("errors").is_none(), "{b}: {}", r.body);
        let all = &r.body["data"]["headShakers"]["user"]["likes"];
        assert_eq!(all["totalCount"], 2, "{b}: {}", r.body);
        let nodes = all["nodes"].as_array().cloned().unwrap_or_default();
        let of = |kind: &str| {
            nodes
                .iter()
                .find(|n| n["targetType"] == kind)
                .cloned()
                .unwrap_or_else(|| panic!("{b}: no {kind} like in {}", r.body))
        };
        let gone = of("BOBBLEHEAD");
        assert_eq!(gone["targetId"], item, "{b}");
        assert_eq!(gone["target"], Value::Null, "{b}: a deleted target is null");
        assert_eq!(of("COLLECTION")["target"]["rowId"], coll, "{b}");

        // Restored, the bobblehead resolves again in the fan's likes.
        let r = w
            .app
            .gql(
                r#"mutation($id: UUID!) { headShakers { restoreBobblehead(id: $id) { rowId } } }"#,
                json!({ "id": item }),
                Some(&w.owner_t),
            )
            .await;
        r.data();
        let r = w
            .app
            .gql(likes, json!({ "id": w.fan.to_string() }), Some(&w.fan_t))
            .await;
        let nodes = r.data()["headShakers"]["user"]["likes"]["nodes"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let back = nodes
            .iter()
            .find(|n| n["targetType"] == "BOBBLEHEAD")
            .unwrap_or_else(|| panic!("{b}: no bobblehead like in {}", r.body));
        assert_eq!(back["target"]["rowId"], item, "{b}");
        assert_eq!(back["target"]["name"], "Doomed", "{b}");
    }
}

#[tokio::test]
async fn collections_and_comments_show_their_reverse_sides() {
    let coll_q = r#"query($id: UUID!) { headShakers { collection(rowId: $id) { likeCount commentCount followerCount viewerHasLiked viewerFollows likes { totalCount nodes { user { rowId } } } comments { totalCount } } } }"#;
    for backend in backends() {
        let w = world(&backend).await;
        let b = backend.name();
        let (_, other_t) = w.user(3).await;
        let coll = w.coll.to_string();
        let read_coll = |token: Option<String>| {
            let w = &w;
            let coll = coll.clone();
            async move {
                let r = w
                    .app
                    .gql(coll_q, json!({ "id": coll }), token.as_deref())
                    .await;
                r.data()["headShakers"]["collection"].clone()
            }
        };

        let c = read_coll(None).await;
        assert_eq!(c["likeCount"], 0, "{b}");
        assert_eq!(c["commentCount"], 0, "{b}");
        assert_eq!(c["followerCount"], 0, "{b}");

        // Likes, comments and a follow on the collection.
        w.like("COLLECTION", &coll, &w.fan_t).await.data();
        w.like("COLLECTION", &coll, &other_t).await.data();
        for (text, token) in [("one", &w.fan_t), ("two", &other_t)] {
            let r = w
                .app
                .gql(
                    COMMENT,
                    json!({ "t": "COLLECTION", "id": coll, "c": text }),
                    Some(token),
                )
                .await;
            r.data();
        }
        w.app
            .gql(FOLLOW, json!({ "c": coll }), Some(&w.fan_t))
            .await
            .data();

        let c = read_coll(Some(w.fan_t.clone())).await;
        assert_eq!(c["likeCount"], 2, "{b}");
        assert_eq!(c["likes"]["totalCount"], 2, "{b}");
        assert_eq!(c["commentCount"], 2, "{b}");
        assert_eq!(c["comments"]["totalCount"], 2, "{b}");
        assert_eq!(c["followerCount"], 1, "{b}");
        assert_eq!(c["viewerHasLiked"], true, "{b}");
        assert_eq!(c["viewerFollows"], true, "{b}");
        let c = read_coll(Some(w.owner_t.clone())).await;
        assert_eq!(c["viewerHasLiked"], false, "{b}");
        assert_eq!(c["viewerFollows"], false, "{b}");
        let c = read_coll(None).await;
        assert_eq!(c["viewerHasLiked"], false, "{b}: anonymous");
        assert_eq!(c["viewerFollows"], false, "{b}: anonymous");
        assert_eq!(c["followerCount"], 1, "{b}");

        w.unlike("COLLECTION", &coll, &other_t).await.data();
        w.app
            .gql(
                r#"mutation($c: UUID!) { headShakers { unfollow(collectionId: $c) { deletedId } } }"#,
                json!({ "c": coll }),
                Some(&w.fan_t),
            )
            .await
            .data();
        let c = read_coll(Some(w.fan_t.clone())).await;
        assert_eq!(c["likeCount"], 1, "{b}");
        assert_eq!(c["likes"]["totalCount"], 1, "{b}");
        assert_eq!(
            c["likes"]["nodes"][0]["user"]["rowId"],
            w.fan.to_string(),
            "{b}"
        );
        assert_eq!(c["followerCount"], 0, "{b}");
        assert_eq!(c["viewerFollows"], false, "{b}");

        // A comment's replies and likes.
        let parent = w.comment("Parent", None, &w.fan_t).await;
        let r1 = w.comment("Reply one", Some(&parent), &w.owner_t).await;
        let r2 = w.comment("Reply two", Some(&parent), &other_t).await;
        w.like("COMMENT", &parent, &w.owner_t).await.data();
        w.like("COMMENT", &parent, &other_t).await.data();

        let c = w.read_comment(&parent, Some(&w.owner_t)).await;
        assert_eq!(c["replies"]["totalCount"], 2, "{b}");
        let mut ids: Vec<&str> = c["replies"]["nodes"]
            .as_array()
            .map(|a| a.iter().filter_map(|n| n["rowId"].as_str()).collect())
            .unwrap_or_default();
        ids.sort_unstable();
        let mut want = vec![r1.as_str(), r2.as_str()];
        want.sort_unstable();
        assert_eq!(ids, want, "{b}");
        assert_eq!(
            c["replies"]["nodes"][0]["parentComment"]["rowId"], parent,
            "{b}"
        );
        assert_eq!(c["likes"]["totalCount"], 2, "{b}");
        assert_eq!(c["likeCount"], 2, "{b}");
        assert_eq!(c["viewerHasLiked"], true, "{b}: the liker");
        let c = w.read_comment(&parent, Some(&w.fan_t)).await;
        assert_eq!(
            c["viewerHasLiked"], false,
            "{b}: its author did not like it"
        );
        let c = w.read_comment(&parent, None).await;
        assert_eq!(c["viewerHasLiked"], false, "{b}: anonymous");
        let c = w.read_comment(&r1, None).await;
        assert_eq!(c["replies"]["totalCount"], 0, "{b}");
        assert_eq!(c["likes"]["totalCount"], 0, "{b}");
    }
}

#[tokio::test]
async fn comment_like_count_follows_likes_and_unlikes() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = backend.name();
        let (_, other_t) = w.user(3).await;
        let id = w.comment("Count me", None, &w.owner_t).await;
        assert_eq!(w.read_comment(&id, None).await["likeCount"], 0, "{b}");

        let first = w.like("COMMENT", &id, &w.fan_t).await;
        let again = w.like("COMMENT", &id, &w.fan_t).await;
        assert_eq!(
            again.data()["headShakers"]["like"]["rowId"],
            first.data()["headShakers"]["like"]["rowId"],
            "{b}: liking twice is a no-op"
        );
        let c = w.read_comment(&id, None).await;
        assert_eq!(c["likeCount"], 1, "{b}");
        assert_eq!(c["likes"]["totalCount"], 1, "{b}");

        w.like("COMMENT", &id, &other_t).await.data();
        assert_eq!(w.read_comment(&id, None).await["likeCount"], 2, "{b}");

        let r = w.unlike("COMMENT", &id, &w.fan_t).await;
        assert!(
            r.data()["headShakers"]["unlike"]["deletedId"].is_string(),
            "{b}"
        );
        let r = w.unlike("COMMENT", &id, &w.fan_t).await;
        assert!(
            r.data()["headShakers"]["unlike"]["deletedId"].is_null(),
            "{b}"
        );
        let c = w.read_comment(&id, Some(&w.fan_t)).await;
        assert_eq!(c["likeCount"], 1, "{b}: unliking twice counts once");
        assert_eq!(c["likes"]["totalCount"], 1, "{b}");
        assert_eq!(c["viewerHasLiked"], false, "{b}");

        let r = w
            .like("COMMENT", &Uuid::new_v4().to_string(), &w.fan_t)
            .await;
        assert_eq!(r.code(), Some("NOT_FOUND"), "{b}: {}", r.body);
    }
}

#[tokio::test]
async fn a_blocked_user_cannot_follow_the_blockers_collection() {
    let coll_q = r#"query($id: UUID!) { headShakers { collection(rowId: $id) { followerCount viewerFollows } } }"#;
    for backend in backends() {
        let w = world(&backend).await;
        let b = backend.name();
        let coll = w.coll.to_string();
        let r = w
            .app
            .gql(
                r#"mutation($u: UUID!) { headShakers { blockUser(userId: $u) { blocked { rowId } } } }"#,
                json!({ "u": w.fan.to_string() }),
                Some(&w.owner_t),
            )
            .await;
        assert_eq!(
            r.data()["headShakers"]["blockUser"]["blocked"]["rowId"],
            w.fan.to_string(),
            "{b}"
        );
        let r = w
            .app
            .gql(FOLLOW, json!({ "c": coll }), Some(&w.fan_t))
            .await;
        assert_eq!(r.code(), Some("FORBIDDEN"), "{b}: {}", r.body);
        let r = w
            .app
            .gql(coll_q, json!({ "id": coll }), Some(&w.owner_t))
            .await;
        assert_eq!(
            r.data()["headShakers"]["collection"]["followerCount"],
            0,
            "{b}"
        );
        assert!(
            w.notifications(&w.owner_t).await.is_empty(),
            "{b}: a refused follow notifies nobody"
        );
    }
}

/// Twelve clients like one comment at once, then four of them unlike it at once: its
/// `likeCount` ends equal to the likes that exist.
#[tokio::test]
async fn comment_likes_stay_exact_under_concurrent_writers() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = backend.name();
        let id = w.comment("Popular", None, &w.owner_t).await;
        let tokens = w.user_tokens(100..112).await;

        let likes = tokens.iter().map(|t| w.like("COMMENT", &id, t));
        for r in futures_util::future::join_all(likes).await {
            assert!(r.body.get("errors").is_none(), "{b}: {}", r.body);
        }
        let c = w.read_comment(&id, None).await;
        assert_eq!(c["likeCount"], 12, "{b}");
        assert_eq!(c["likes"]["totalCount"], 12, "{b}");

        let unlikes = tokens[..4].iter().map(|t| w.unlike("COMMENT", &id, t));
        for r in futures_util::future::join_all(unlikes).await {
            assert!(
                r.data()["headShakers"]["unlike"]["deletedId"].is_string(),
                "{b}: {}",
                r.body
            );
        }
        let c = w.read_comment(&id, None).await;
        assert_eq!(c["likeCount"], 8, "{b}: like_count equals the likes");
        assert_eq!(c["likes"]["totalCount"], 8, "{b}");
    }
}

/// Everything a profile's `show_*` settings hide (HS-OP38), read by one viewer.
const PROFILE_VALUES: &str = r#"query($u: UUID!) { headShakers { user(rowId: $u) {
    location memberSince createdAt lastActiveAt updatedAt
    collections { nodes { rowId totalItems totalValue
        subCollections { nodes { itemCount } } bobbleheads { nodes { purchasePrice } } } }
    bobbleheads { nodes { purchasePrice } }
} } }"#;

/// A user's profile (location, and `lastActiveAt` touched), its settings, and a public
/// collection with one sub-collection holding bobbleheads of the given prices, all written
/// through the API so every counter is the gateway's own; answers (collection,
/// sub-collection, first bobblehead).
async fn profile(
    w: &e2e::head_shakers::World,
    token: &str,
    location: &str,
    show: bool,
    prices: &[&str],
) -> (String, String, String) {
    let ok = |r: e2e::Reply, what: &str| -> Value {
        assert!(r.body.get("errors").is_none(), "{what}: {}", r.body);
        r.body["data"]["headShakers"].clone()
    };
    let id = |v: &Value, f: &str| v[f]["rowId"].as_str().unwrap_or_default().to_owned();
    let r = w.app.gql(
        r#"mutation($l: String) { headShakers { updateProfile(location: $l) { rowId } } }"#,
        json!({ "l": location }),
        Some(token),
    );
    ok(r.await, "updateProfile");
    let r = w.app.gql(
        r#"mutation($s: Boolean) { headShakers { updateSettings(showCollectionStats: $s, showCollectionValue: $s, showJoinDate: $s, showLastActive: $s, showLocation: $s, showRealName: $s) { rowId } } }"#,
        json!({ "s": show }),
        Some(token),
    );
    ok(r.await, "updateSettings");
    let r = w.app.gql(
        r#"mutation { headShakers { createCollection(name: "Vault", isPublic: true) { rowId } } }"#,
        json!({}),
        Some(token),
    );
    let coll = id(&ok(r.await, "createCollection"), "createCollection");
    let r = w.app.gql(
        r#"mutation($c: UUID!) { headShakers { createSubCollection(collectionId: $c, name: "Top shelf") { rowId } } }"#,
        json!({ "c": coll }),
        Some(token),
    );
    let sub = id(&ok(r.await, "createSubCollection"), "createSubCollection");
    let mut items = Vec::new();
    for p in prices {
        let r = w.app.gql(
            r#"mutation($c: UUID!, $s: UUID, $p: Decimal) { headShakers { createBobblehead(collectionId: $c, subCollectionId: $s, name: "Valued", purchasePrice: $p) { rowId } } }"#,
            json!({ "c": coll, "s": sub, "p": p }),
            Some(token),
        );
        items.push(id(&ok(r.await, "createBobblehead"), "createBobblehead"));
    }
    (coll, sub, items.first().cloned().unwrap_or_default())
}

/// The `rowId`s of a list's nodes, in order.
fn row_ids(list: &Value) -> Vec<String> {
    list["nodes"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|n| n["rowId"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The ordering values a cursor holds.
fn cursor_values(cursor: &Value) -> Value {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor.as_str().unwrap_or_default())
        .unwrap_or_default();
    serde_json::from_slice::<Value>(&bytes).unwrap_or_default()["v"].clone()
}

/// A value hidden by a `show_*` setting cannot be derived by anyone but its owner (and
/// admins): not through its field, another field holding the same value, a `where` filter,
/// an `orderBy` (or its cursors), nor an aggregate (which sees it as the field does) — tried
/// for every setting as an anonymous
/// visitor and as another signed-in user. `show_real_name` guards no column (the seed has
/// no real name, HS-A14), so there is nothing of it to derive.
#[tokio::test]
async fn hidden_profile_values_cannot_be_derived() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = backend.name();
        // The shy user (the world's owner) hides everything; the open user (created later)
        // shows everything and holds larger values, so that any ordering that used a hidden
        // value would put the shy row first where a null goes last.
        let (open, open_t) = w.user(3).await;
        let (admin, admin_t) = w.user(4).await;
        w.app
            .grant("head_shakers", &admin.to_string(), "admin")
            .await;
        let shy_t = w.owner_t.clone();
        let (shy_coll, shy_sub, shy_item) =
            profile(&w, &shy_t, "Aardvark Bay", false, &["20.00"]).await;
        let (open_coll, open_sub, open_item) =
            profile(&w, &open_t, "Zulu Town", true, &["30.00", "5.00"]).await;
        // Whole seconds, years apart: SQLite's default timestamps have whole seconds, so two
        // users created within one would tie; the shy user's come first.
        for (user, year) in [(w.owner, 2020), (open, 2021)] {
            let at = |y: i32| {
                chrono::NaiveDate::from_ymd_opt(y, 1, 2)
                    .and_then(|d| d.and_hms_opt(3, 4, 5))
                    .unwrap_or_default()
            };
            users::Entity::update_many()
                .col_expr(users::Column::CreatedAt, Expr::value(at(year)))
                .col_expr(users::Column::MemberSince, Expr::value(at(year)))
                .col_expr(users::Column::LastActiveAt, Expr::value(at(year + 4)))
                .filter(users::Column::Id.eq(user))
                .exec(w.app.db(Database::HeadShakers))
                .await
                .unwrap_or_else(|e| panic!("{b}: pin the user's times: {e}"));
        }
        let (shy, open) = (w.owner.to_string(), open.to_string());

        // What the owner reads: every value is there.
        let r = w
            .app
            .gql(PROFILE_VALUES, json!({ "u": shy }), Some(&shy_t))
            .await;
        let mine = r.data()["headShakers"]["user"].clone();
        for f in [
            "location",
            "memberSince",
            "createdAt",
            "lastActiveAt",
            "updatedAt",
        ] {
            assert!(!mine[f].is_null(), "{b}: the owner reads {f}: {mine}");
        }
        assert_eq!(mine["memberSince"], mine["createdAt"], "{b}: one instant");
        let vault = mine["collections"]["nodes"]
            .as_array()
            .and_then(|a| a.iter().find(|c| c["rowId"] == shy_coll.as_str()))
            .cloned()
            .unwrap_or_default();
        assert_eq!(vault["totalItems"], 1, "{b}: {vault}");
        assert_eq!(vault["totalValue"], "20.00", "{b}: {vault}");
        assert_eq!(vault["subCollections"]["nodes"][0]["itemCount"], 1, "{b}");
        assert_eq!(
            vault["bobbleheads"]["nodes"][0]["purchasePrice"], "20.00",
            "{b}"
        );

        // (list, field, ORDER name, shy row, open row, the shy row's value).
        let probes = [
            (
                "users",
                "location",
                "LOCATION",
                &shy,
                &open,
                mine["location"].clone(),
            ),
            (
                "users",
                "memberSince",
                "MEMBER_SINCE",
                &shy,
                &open,
                mine["memberSince"].clone(),
            ),
            (
                "users",
                "createdAt",
                "CREATED_AT",
                &shy,
                &open,
                mine["createdAt"].clone(),
            ),
            (
                "users",
                "lastActiveAt",
                "LAST_ACTIVE_AT",
                &shy,
                &open,
                mine["lastActiveAt"].clone(),
            ),
            (
                "collections",
                "totalItems",
                "TOTAL_ITEMS",
                &shy_coll,
                &open_coll,
                json!(1),
            ),
            (
                "collections",
                "totalValue",
                "TOTAL_VALUE",
                &shy_coll,
                &open_coll,
                json!("20.00"),
            ),
            (
                "subCollections",
                "itemCount",
                "ITEM_COUNT",
                &shy_sub,
                &open_sub,
                json!(1),
            ),
            (
                "bobbleheads",
                "purchasePrice",
                "PURCHASE_PRICE",
                &shy_item,
                &open_item,
                json!("20.00"),
            ),
        ];
        let viewers = [
            ("anonymous", None, false),
            ("another user", Some(w.fan_t.as_str()), false),
            ("the owner", Some(shy_t.as_str()), true),
            ("an admin", Some(admin_t.as_str()), true),
        ];
        for (who, token, sees) in viewers {
            // The fields, on the profile and nested under it.
            let r = w.app.gql(PROFILE_VALUES, json!({ "u": shy }), token).await;
            let u = &r.data()["headShakers"]["user"];
            let text = u.to_string();
            for f in [
                "location",
                "memberSince",
                "createdAt",
                "lastActiveAt",
                "updatedAt",
            ] {
                assert_eq!(!u[f].is_null(), sees, "{b} {who}: user.{f}: {text}");
            }
            for c in u["collections"]["nodes"].as_array().into_iter().flatten() {
                assert_eq!(!c["totalItems"].is_null(), sees, "{b} {who}: {text}");
                assert_eq!(!c["totalValue"].is_null(), sees, "{b} {who}: {text}");
            }
            let vault = u["collections"]["nodes"]
                .as_array()
                .and_then(|a| a.iter().find(|c| c["rowId"] == shy_coll.as_str()))
                .cloned()
                .unwrap_or_default();
            let nested = [
                &vault["subCollections"]["nodes"][0]["itemCount"],
                &vault["bobbleheads"]["nodes"][0]["purchasePrice"],
                &u["bobbleheads"]["nodes"][0]["purchasePrice"],
                &u["bobbleheads"]["nodes"][1]["purchasePrice"],
            ];
            for v in nested {
                assert_eq!(!v.is_null(), sees, "{b} {who}: nested values: {text}");
            }

            for (list, field, order, s, o, value) in &probes {
                let ids = json!([s, o]);
                let within = format!("rowId: {{ in: {ids} }}");
                let q = format!(
                    r#"{{ headShakers {{
                        asc: {list}(where: {{ {within} }}, orderBy: [{order}_ASC]) {{ nodes {{ rowId {field} }} edges {{ cursor }} }}
                        desc: {list}(where: {{ {within} }}, orderBy: [{order}_DESC]) {{ nodes {{ rowId }} }}
                        eq: {list}(where: {{ {within}, {field}: {{ eq: {value} }} }}) {{ totalCount }}
                        ne: {list}(where: {{ {within}, not: {{ {field}: {{ eq: {value} }} }} }}) {{ totalCount }}
                        set: {list}(where: {{ {within}, {field}: {{ isNull: false }} }}) {{ totalCount }}
                        range: {list}(where: {{ {within}, {field}: {{ gte: {value}, lte: {value} }} }}) {{ totalCount }}
                    }} }}"#
                );
                let r = w.app.gql(&q, json!({}), token).await;
                let d = &r.data()["headShakers"];
                let at = format!("{b} {who}: {list}.{field}");
                // Aggregates read the value as the field does: a hidden one adds nothing.
                if ["totalItems", "totalValue", "itemCount", "purchasePrice"].contains(field) {
                    let q = format!(
                        r#"{{ headShakers {{
                            both: {list}(where: {{ {within} }}) {{ aggregate {{ sum {{ {field} }} }} }}
                            open: {list}(where: {{ rowId: {{ eq: "{o}" }} }}) {{ aggregate {{ sum {{ {field} }} }} }}
                            shy: {list}(where: {{ rowId: {{ eq: "{s}" }} }}) {{ aggregate {{ max {{ {field} }} avg {{ {field} }} }} }}
                        }} }}"#
                    );
                    let r = w.app.gql(&q, json!({}), token).await;
                    let a = &r.data()["headShakers"];
                    let sum = |k: &str| a[k]["aggregate"]["sum"][*field].as_f64();
                    assert_eq!(
                        sum("both") != sum("open"),
                        sees,
                        "{b} {who}: sum of {list}.{field}: {a}"
                    );
                    let shy = &a["shy"]["aggregate"];
                    assert_eq!(
                        !shy["max"][*field].is_null(),
                        sees,
                        "{b} {who}: max of {list}.{field}: {a}"
                    );
                    assert_eq!(
                        !shy["avg"][*field].is_null(),
                        sees,
                        "{b} {who}: avg of {list}.{field}: {a}"
                    );
                }
                let (s, o) = (s.to_string(), o.to_string());
                // A hidden value sorts where a null does (last ascending, first descending);
                // the owner's order is the values' own.
                let (asc, desc) = if sees {
                    (vec![s.clone(), o.clone()], vec![o.clone(), s.clone()])
                } else {
                    (vec![o.clone(), s.clone()], vec![s.clone(), o.clone()])
                };
                assert_eq!(row_ids(&d["asc"]), asc, "{at}: ascending order");
                assert_eq!(row_ids(&d["desc"]), desc, "{at}: descending order");
                let pos = usize::from(!sees);
                let shown = &d["asc"]["nodes"][pos][field];
                let cursor = cursor_values(&d["asc"]["edges"][pos]["cursor"]);
                if sees {
                    assert_eq!(shown, value, "{at}: the value");
                    assert_eq!(&cursor[0], value, "{at}: the cursor holds the value");
                } else {
                    assert!(shown.is_null(), "{at}: the field: {shown}");
                    assert!(cursor[0].is_null(), "{at}: the cursor: {cursor}");
                }
                // Filters see the value as the field reads it: a hidden one matches nothing.
                let n = |k: &str| d[k]["totalCount"].as_i64().unwrap_or(-1);
                let want = if sees { (1, 1, 2, 1) } else { (0, 1, 1, 0) };
                assert_eq!(
                    (n("eq"), n("ne"), n("set"), n("range")),
                    want,
                    "{at}: filters"
                );

                // Paging by cursor walks the same order, one row at a time.
                let mut walked = Vec::new();
                let mut after = Value::Null;
                for _ in 0..3 {
                    let q = format!(
                        r#"query($a: String) {{ headShakers {{ {list}(first: 1, after: $a, where: {{ {within} }}, orderBy: [{order}_ASC]) {{ nodes {{ rowId }} pageInfo {{ hasNextPage endCursor }} }} }} }}"#
                    );
                    let r = w.app.gql(&q, json!({ "a": after }), token).await;
                    let page = r.data()["headShakers"][*list].clone();
                    walked.extend(row_ids(&page));
                    if page["pageInfo"]["hasNextPage"] != true {
                        break;
                    }
                    after = page["pageInfo"]["endCursor"].clone();
                }
                assert_eq!(walked, asc, "{at}: paging by cursor");
            }

            // An owner-only column is neither a filter nor an order.
            for q in [
                "{ headShakers { users(where: { updatedAt: { isNull: false } }) { totalCount } } }",
                "{ headShakers { users(orderBy: [UPDATED_AT_ASC]) { totalCount } } }",
            ] {
                let r = w.app.gql(q, json!({}), token).await;
                assert!(
                    r.body["errors"][0]["message"].is_string() && r.body["data"].is_null(),
                    "{b} {who}: {q} is refused: {}",
                    r.body
                );
            }
            // Search filters and orders through the same rule.
            let r = w
                .app
                .gql(
                    r#"{ headShakers { searchBobbleheads(query: "Valued", where: { purchasePrice: { eq: "20.00" } }) { totalCount } } }"#,
                    json!({}),
                    token,
                )
                .await;
            let n = &r.data()["headShakers"]["searchBobbleheads"]["totalCount"];
            assert_eq!(n, if sees { 1 } else { 0 }, "{b} {who}: search by price");
        }
    }
}
