//! Head Shakers writes end to end: likes, comments, follows, blocks, views and notifications,
//! their counters, their error codes, and counters under concurrent writers — on every backend.

use e2e::head_shakers::{UNLIKE, World, world};
use e2e::{Reply, TestApp, backends, screens};
use migration::Database;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use uuid::Uuid;

// The like, comment and notification documents of `e2e::head_shakers` select less than these
// tests assert, hence documents of their own.
const LIKE: &str = r#"mutation($t: HeadShakersLikeTargetType!, $id: UUID!) { headShakers { like(targetType: $t, targetId: $id) { rowId targetType user { rowId } } } }"#;
const COMMENT: &str = r#"mutation($t: HeadShakersCommentTargetType!, $id: UUID!, $c: String!, $p: UUID) { headShakers { addComment(targetType: $t, targetId: $id, content: $c, parentCommentId: $p) { rowId content isEdited parentComment { rowId } } } }"#;
const BOBBLEHEAD: &str = r#"query($id: UUID!) { headShakers { bobblehead(rowId: $id) { likeCount commentCount viewCount viewerHasLiked likes { totalCount } comments { totalCount } } } }"#;
const NOTIFICATIONS: &str = r#"{ headShakers { notifications(orderBy: [CREATED_AT_DESC]) { totalCount nodes { rowId type isRead relatedUser { rowId } related { __typename } } } } }"#;

async fn counts(w: &World, token: Option<&str>) -> Value {
    let r = w
        .app
        .gql(BOBBLEHEAD, json!({ "id": w.item.to_string() }), token)
        .await;
    r.data()["headShakers"]["bobblehead"].clone()
}

fn code(r: &Reply) -> Option<&str> {
    r.code()
}

/// A removal answers the global id of what it removed (null when there was nothing) and the
/// rows it changed with their new counters, so a normalized cache is whole again; a view
/// answers its target, a bulk change its count.
#[tokio::test]
async fn removals_answer_the_removed_id_and_the_changed_rows() {
    const LIKE_ID: &str = r#"mutation($t: HeadShakersLikeTargetType!, $id: UUID!) { headShakers { like(targetType: $t, targetId: $id) { id } } }"#;
    const UNLIKE_FULL: &str = r#"mutation($t: HeadShakersLikeTargetType!, $id: UUID!) { headShakers { unlike(targetType: $t, targetId: $id) { deletedId target { __typename ... on HeadShakersBobblehead { rowId likeCount viewerHasLiked } } } } }"#;
    const NODE: &str = r#"query($id: ID!) { node(id: $id) { id } }"#;
    const FOLLOW: &str = r#"mutation($u: UUID!) { headShakers { follow(userId: $u) { id } } }"#;
    const UNFOLLOW: &str = r#"mutation($u: UUID!) { headShakers { unfollow(userId: $u) { deletedId user { rowId followerCount } collection { rowId } } } }"#;
    const VIEW: &str = r#"mutation($id: UUID!) { headShakers { recordView(targetType: BOBBLEHEAD, targetId: $id) { target { ... on HeadShakersBobblehead { viewCount } } } } }"#;
    const READ_ALL: &str = r#"mutation { headShakers { markAllNotificationsRead { count user { rowId notifications { nodes { isRead } } } } } }"#;
    for backend in backends() {
        let w = world(&backend).await;
        let b = backend.name();
        let vars = json!({ "t": "BOBBLEHEAD", "id": w.item.to_string() });

        let r = w.app.gql(LIKE_ID, vars.clone(), Some(&w.fan_t)).await;
        let like = r.data()["headShakers"]["like"]["id"].clone();
        let r = w.app.gql(UNLIKE_FULL, vars.clone(), Some(&w.fan_t)).await;
        let unlike = &r.data()["headShakers"]["unlike"];
        assert_eq!(
            unlike["deletedId"], like,
            "{b}: the removed like's global id"
        );
        assert_eq!(
            unlike["target"],
            json!({ "__typename": "HeadShakersBobblehead", "rowId": w.item.to_string(), "likeCount": 0, "viewerHasLiked": false }),
            "{b}: the target with its new counter"
        );
        let r = w.app.gql(NODE, json!({ "id": like }), Some(&w.fan_t)).await;
        assert_eq!(r.data()["node"], Value::Null, "{b}: the like is gone");
        let r = w.app.gql(UNLIKE_FULL, vars.clone(), Some(&w.fan_t)).await;
        let again = &r.data()["headShakers"]["unlike"];
        assert_eq!(again["deletedId"], Value::Null, "{b}: nothing to remove");
        assert_eq!(again["target"]["likeCount"], 0, "{b}");

        let u = json!({ "u": w.owner.to_string() });
        let r = w.app.gql(FOLLOW, u.clone(), Some(&w.fan_t)).await;
        let follow = r.data()["headShakers"]["follow"]["id"].clone();
        let r = w.app.gql(UNFOLLOW, u.clone(), Some(&w.fan_t)).await;
        assert_eq!(
            r.data()["headShakers"]["unfollow"],
            json!({ "deletedId": follow, "user": { "rowId": w.owner.to_string(), "followerCount": 0 }, "collection": null }),
            "{b}"
        );

        let item = json!({ "id": w.item.to_string() });
        let r = w.app.gql(VIEW, item.clone(), None).await;
        assert_eq!(
            r.data()["headShakers"]["recordView"]["target"]["viewCount"],
            1,
            "{b}: the view counted, anonymous too"
        );

        // The like and the follow notified the owner.
        let r = w.app.gql(READ_ALL, json!({}), Some(&w.owner_t)).await;
        let read = &r.data()["headShakers"]["markAllNotificationsRead"];
        assert_eq!(read["count"], 2, "{b}: {read}");
        assert_eq!(read["user"]["rowId"], w.owner.to_string(), "{b}");
        assert_eq!(
            read["user"]["notifications"]["nodes"],
            json!([{ "isRead": true }, { "isRead": true }]),
            "{b}"
        );
        let r = w.app.gql(READ_ALL, json!({}), Some(&w.owner_t)).await;
        assert_eq!(
            r.data()["headShakers"]["markAllNotificationsRead"]["count"],
            0,
            "{b}"
        );
    }
}

#[tokio::test]
async fn likes_are_idempotent_counted_and_notified() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = backend.name();
        let vars = json!({ "t": "BOBBLEHEAD", "id": w.item.to_string() });

        let r = w.app.gql(LIKE, vars.clone(), None).await;
        assert_eq!(code(&r), Some("UNAUTHENTICATED"), "{b}: {}", r.body);

        let first = w.app.gql(LIKE, vars.clone(), Some(&w.fan_t)).await;
        let like_id = first.data()["headShakers"]["like"]["rowId"].clone();
        assert_eq!(
            first.data()["headShakers"]["like"]["user"]["rowId"],
            w.fan.to_string(),
            "{b}"
        );
        let again = w.app.gql(LIKE, vars.clone(), Some(&w.fan_t)).await;
        assert_eq!(
            again.data()["headShakers"]["like"]["rowId"],
            like_id,
            "{b}: liking twice is a no-op"
        );
        let c = counts(&w, Some(&w.fan_t)).await;
        assert_eq!(c["likeCount"], 1, "{b}");
        assert_eq!(c["likes"]["totalCount"], 1, "{b}");
        assert_eq!(c["viewerHasLiked"], true, "{b}");

        // The owner is notified once; liking one's own content notifies nobody.
        let r = w.app.gql(NOTIFICATIONS, json!({}), Some(&w.owner_t)).await;
        let n = &r.data()["headShakers"]["notifications"];
        assert_eq!(n["totalCount"], 1, "{b}");
        assert_eq!(n["nodes"][0]["type"], "LIKE", "{b}");
        assert_eq!(
            n["nodes"][0]["relatedUser"]["rowId"],
            w.fan.to_string(),
            "{b}"
        );
        assert_eq!(
            n["nodes"][0]["related"]["__typename"], "HeadShakersBobblehead",
            "{b}"
        );
        w.app.gql(LIKE, vars.clone(), Some(&w.owner_t)).await.data();
        let r = w.app.gql(NOTIFICATIONS, json!({}), Some(&w.owner_t)).await;
        assert_eq!(
            r.data()["headShakers"]["notifications"]["totalCount"],
            1,
            "{b}: no self-notification"
        );
        assert_eq!(counts(&w, None).await["likeCount"], 2, "{b}");

        let r = w.app.gql(UNLIKE, vars.clone(), Some(&w.fan_t)).await;
        assert!(
            r.data()["headShakers"]["unlike"]["deletedId"].is_string(),
            "{b}"
        );
        let r = w.app.gql(UNLIKE, vars.clone(), Some(&w.fan_t)).await;
        assert!(
            r.data()["headShakers"]["unlike"]["deletedId"].is_null(),
            "{b}: unliking twice is a no-op"
        );
        assert_eq!(counts(&w, None).await["likeCount"], 1, "{b}");

        // Missing targets and comments/collections as targets.
        let r = w
            .app
            .gql(
                LIKE,
                json!({ "t": "BOBBLEHEAD", "id": Uuid::new_v4().to_string() }),
                Some(&w.fan_t),
            )
            .await;
        assert_eq!(code(&r), Some("NOT_FOUND"), "{b}");
        let r = w
            .app
            .gql(
                LIKE,
                json!({ "t": "COLLECTION", "id": w.coll.to_string() }),
                Some(&w.fan_t),
            )
            .await;
        r.data();
        let r = w
            .app
            .gql(
                r#"query($id: UUID!) { headShakers { collection(rowId: $id) { likeCount } } }"#,
                json!({ "id": w.coll.to_string() }),
                None,
            )
            .await;
        assert_eq!(
            r.data()["headShakers"]["collection"]["likeCount"],
            1,
            "{b}: collections count likes on demand"
        );
        let r = w
            .app
            .gql(
                LIKE,
                json!({ "t": "NOT_A_TYPE", "id": w.item.to_string() }),
                Some(&w.fan_t),
            )
            .await;
        assert!(r.body.get("errors").is_some(), "{b}: invalid enum");

        // A soft-deleted bobblehead cannot be liked.
        w.app
            .db(Database::HeadShakers)
            .execute_unprepared("UPDATE bobbleheads SET is_deleted = true, deleted_at = updated_at")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let r = w.app.gql(LIKE, vars.clone(), Some(&w.fan_t)).await;
        assert_eq!(code(&r), Some("NOT_FOUND"), "{b}");
    }
}

/// A like is one transaction: besides its BEGIN and COMMIT, the viewer's account, the check of
/// the target, the write (on PostgreSQL the like, its counter and the owner's notification in
/// one statement; on SQLite one by one) and the read-back of the like.
#[tokio::test]
async fn a_like_costs_few_statements() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = backend.name();
        let vars = json!({ "id": w.item.to_string() });
        let first = w
            .app
            .gql(screens::LIKE_BOBBLEHEAD, vars.clone(), Some(&w.fan_t))
            .await;
        let again = w
            .app
            .gql(screens::LIKE_BOBBLEHEAD, vars, Some(&w.fan_t))
            .await;
        let id = &first.data()["headShakers"]["like"]["rowId"];
        assert!(id.is_string(), "{b}: {}", first.body);
        assert_eq!(&again.data()["headShakers"]["like"]["rowId"], id, "{b}");
        let pg = b == "postgres";
        assert_eq!(
            first.statements,
            Some(if pg { 4 } else { 6 }),
            "{b}: a new like"
        );
        assert_eq!(
            again.statements,
            Some(if pg { 4 } else { 5 }),
            "{b}: a like already there"
        );
        let c = counts(&w, None).await;
        assert_eq!(c["likeCount"], 1, "{b}");
    }
}

#[tokio::test]
async fn blocked_users_cannot_like_comment_or_follow() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = backend.name();
        let r = w
            .app
            .gql(r#"mutation($u: UUID!) { headShakers { blockUser(userId: $u, reason: "spam") { blocked { rowId } } } }"#, json!({ "u": w.fan.to_string() }), Some(&w.owner_t))
            .await;
        assert_eq!(
            r.data()["headShakers"]["blockUser"]["blocked"]["rowId"],
            w.fan.to_string(),
            "{b}"
        );
        let r = w
            .app
            .gql(
                LIKE,
                json!({ "t": "BOBBLEHEAD", "id": w.item.to_string() }),
                Some(&w.fan_t),
            )
            .await;
        assert_eq!(code(&r), Some("FORBIDDEN"), "{b}");
        let r = w
            .app
            .gql(
                COMMENT,
                json!({ "t": "BOBBLEHEAD", "id": w.item.to_string(), "c": "hi" }),
                Some(&w.fan_t),
            )
            .await;
        assert_eq!(code(&r), Some("FORBIDDEN"), "{b}");
        let r = w
            .app
            .gql(
                r#"mutation($u: UUID!) { headShakers { follow(userId: $u) { rowId } } }"#,
                json!({ "u": w.owner.to_string() }),
                Some(&w.fan_t),
            )
            .await;
        assert_eq!(code(&r), Some("FORBIDDEN"), "{b}");
        let r = w
            .app
            .gql(
                r#"mutation($u: UUID!) { headShakers { unblockUser(userId: $u) { deletedId } } }"#,
                json!({ "u": w.fan.to_string() }),
                Some(&w.owner_t),
            )
            .await;
        assert!(
            r.data()["headShakers"]["unblockUser"]["deletedId"].is_string(),
            "{b}"
        );
        let r = w
            .app
            .gql(
                LIKE,
                json!({ "t": "BOBBLEHEAD", "id": w.item.to_string() }),
                Some(&w.fan_t),
            )
            .await;
        r.data();
    }
}

#[tokio::test]
async fn comments_threads_edits_deletes_and_limits() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = backend.name();
        let vars = |c: &str, p: Option<&Value>| json!({ "t": "BOBBLEHEAD", "id": w.item.to_string(), "c": c, "p": p });
        let r = w
            .app
            .gql(COMMENT, vars("Great one", None), Some(&w.fan_t))
            .await;
        let parent = r.data()["headShakers"]["addComment"]["rowId"].clone();
        let r = w
            .app
            .gql(COMMENT, vars("Thanks!", Some(&parent)), Some(&w.owner_t))
            .await;
        assert_eq!(
            r.data()["headShakers"]["addComment"]["parentComment"]["rowId"],
            parent,
            "{b}"
        );
        assert_eq!(counts(&w, None).await["commentCount"], 2, "{b}");
        assert_eq!(counts(&w, None).await["comments"]["totalCount"], 2, "{b}");

        // The fan is notified of the owner's reply.
        let r = w.app.gql(NOTIFICATIONS, json!({}), Some(&w.fan_t)).await;
        assert_eq!(
            r.data()["headShakers"]["notifications"]["nodes"][0]["type"],
            "COMMENT",
            "{b}"
        );

        // Limits and bad input.
        let long = "x".repeat(5001);
        let r = w.app.gql(COMMENT, vars(&long, None), Some(&w.fan_t)).await;
        assert_eq!(code(&r), Some("BAD_USER_INPUT"), "{b}");
        assert_eq!(r.body["errors"][0]["extensions"]["field"], "content", "{b}");
        let r = w.app.gql(COMMENT, vars("   ", None), Some(&w.fan_t)).await;
        assert_eq!(code(&r), Some("BAD_USER_INPUT"), "{b}");
        let other = json!({ "t": "COLLECTION", "id": w.coll.to_string(), "c": "wrong thread", "p": parent });
        let r = w.app.gql(COMMENT, other, Some(&w.fan_t)).await;
        assert_eq!(
            code(&r),
            Some("BAD_USER_INPUT"),
            "{b}: a reply stays on its parent's target"
        );

        // Edit: only the author; marks it edited.
        let edit = r#"mutation($id: UUID!, $c: String!) { headShakers { editComment(id: $id, content: $c) { content isEdited editedAt } } }"#;
        let r = w
            .app
            .gql(
                edit,
                json!({ "id": parent, "c": "Great one!!" }),
                Some(&w.owner_t),
            )
            .await;
        assert_eq!(code(&r), Some("FORBIDDEN"), "{b}");
        let r = w
            .app
            .gql(
                edit,
                json!({ "id": parent, "c": "Great one!!" }),
                Some(&w.fan_t),
            )
            .await;
        let edited = &r.data()["headShakers"]["editComment"];
        assert_eq!(edited["isEdited"], true, "{b}");
        assert!(edited["editedAt"].is_string(), "{b}");

        // Delete: soft, counted, once.
        let del =
            r#"mutation($id: UUID!) { headShakers { deleteComment(id: $id) { deletedId } } }"#;
        let r = w
            .app
            .gql(del, json!({ "id": parent }), Some(&w.fan_t))
            .await;
        assert!(
            r.data()["headShakers"]["deleteComment"]["deletedId"].is_string(),
            "{b}"
        );
        let r = w
            .app
            .gql(del, json!({ "id": parent }), Some(&w.fan_t))
            .await;
        assert_eq!(code(&r), Some("NOT_FOUND"), "{b}");
        assert_eq!(counts(&w, None).await["commentCount"], 1, "{b}");

        // The owner closes comments.
        w.app
            .db(Database::HeadShakers)
            .execute_unprepared(&format!(
                "INSERT INTO user_settings (id, user_id, allow_comments) VALUES ({}, {}, 'none')",
                lit(&w.app, Uuid::new_v4()),
                lit(&w.app, w.owner)
            ))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let r = w
            .app
            .gql(COMMENT, vars("hello?", None), Some(&w.fan_t))
            .await;
        assert_eq!(code(&r), Some("FORBIDDEN"), "{b}");
    }
}

#[tokio::test]
async fn held_comments_await_the_owners_approval() {
    let approve =
        r#"mutation($id: UUID!) { headShakers { approveComment(id: $id) { rowId isApproved } } }"#;
    let reject = r#"mutation($id: UUID!) { headShakers { rejectComment(id: $id) { deletedId } } }"#;
    let one = r#"query($id: UUID!) { headShakers { comment(rowId: $id) { rowId isApproved } } }"#;
    let del = r#"mutation($id: UUID!) { headShakers { deleteComment(id: $id) { deletedId } } }"#;
    for backend in backends() {
        let w = world(&backend).await;
        let b = backend.name();
        let (_, stranger_t) = w.user(3).await;
        let (moderator, moderator_t) = w.user(4).await;
        w.app
            .grant("head_shakers", &moderator.to_string(), "moderator")
            .await;
        let vars = |c: &str, p: Option<&Value>| json!({ "t": "BOBBLEHEAD", "id": w.item.to_string(), "c": c, "p": p });
        let settings = r#"mutation { headShakers { updateSettings(moderateComments: true) { moderateComments } } }"#;
        let r = w.app.gql(settings, json!({}), Some(&w.owner_t)).await;
        assert_eq!(
            r.data()["headShakers"]["updateSettings"]["moderateComments"],
            true,
            "{b}"
        );
        let comment = |c: &'static str| {
            let w = &w;
            let vars = vars(c, None);
            async move {
                let r = w.app.gql(COMMENT, vars, Some(&w.fan_t)).await;
                r.data()["headShakers"]["addComment"]["rowId"].clone()
            }
        };
        let seen = |id: Value, token: Option<String>| {
            let w = &w;
            async move {
                let r = w.app.gql(one, json!({ "id": id }), token.as_deref()).await;
                r.data()["headShakers"]["comment"]["isApproved"].clone()
            }
        };

        // Held: its author, the owner and moderators see it; nobody else; it does not count.
        let held = comment("First!").await;
        assert_eq!(
            seen(held.clone(), Some(w.fan_t.clone())).await,
            false,
            "{b}"
        );
        assert_eq!(
            seen(held.clone(), Some(w.owner_t.clone())).await,
            false,
            "{b}"
        );
        assert_eq!(
            seen(held.clone(), Some(moderator_t.clone())).await,
            false,
            "{b}"
        );
        assert_eq!(
            seen(held.clone(), Some(stranger_t.clone())).await,
            Value::Null,
            "{b}"
        );
        assert_eq!(seen(held.clone(), None).await, Value::Null, "{b}");
        assert_eq!(counts(&w, None).await["commentCount"], 0, "{b}");
        assert_eq!(counts(&w, None).await["comments"]["totalCount"], 0, "{b}");
        assert_eq!(
            counts(&w, Some(&w.owner_t)).await["comments"]["totalCount"],
            1,
            "{b}"
        );
        let r = w.app.gql(NOTIFICATIONS, json!({}), Some(&w.owner_t)).await;
        assert_eq!(
            r.data()["headShakers"]["notifications"]["nodes"][0]["related"]["__typename"],
            "HeadShakersComment",
            "{b}: the owner learns of the held comment"
        );
        let r = w
            .app
            .gql(COMMENT, vars("Thanks?", Some(&held)), Some(&w.owner_t))
            .await;
        assert_eq!(
            code(&r),
            Some("BAD_USER_INPUT"),
            "{b}: no replies to a held comment"
        );
        assert_eq!(
            r.body["errors"][0]["extensions"]["field"], "parentCommentId",
            "{b}"
        );

        // Only the owner or a moderator decides.
        let r = w
            .app
            .gql(approve, json!({ "id": held }), Some(&stranger_t))
            .await;
        assert_eq!(code(&r), Some("NOT_FOUND"), "{b}");
        let r = w
            .app
            .gql(approve, json!({ "id": held }), Some(&w.fan_t))
            .await;
        assert_eq!(code(&r), Some("FORBIDDEN"), "{b}");
        let r = w.app.gql(approve, json!({ "id": held }), None).await;
        assert_eq!(code(&r), Some("UNAUTHENTICATED"), "{b}");
        let r = w
            .app
            .gql(approve, json!({ "id": held }), Some(&w.owner_t))
            .await;
        assert_eq!(
            r.data()["headShakers"]["approveComment"]["isApproved"],
            true,
            "{b}"
        );
        assert_eq!(seen(held.clone(), None).await, true, "{b}");
        assert_eq!(counts(&w, None).await["commentCount"], 1, "{b}");
        let r = w
            .app
            .gql(approve, json!({ "id": held }), Some(&w.owner_t))
            .await;
        assert_eq!(code(&r), Some("NOT_FOUND"), "{b}: approved once");

        // Rejected: gone without ever counting.
        let spam = comment("Buy now").await;
        let r = w
            .app
            .gql(reject, json!({ "id": spam }), Some(&w.owner_t))
            .await;
        assert!(
            r.data()["headShakers"]["rejectComment"]["deletedId"].is_string(),
            "{b}"
        );
        assert_eq!(
            seen(spam.clone(), Some(w.fan_t.clone())).await,
            Value::Null,
            "{b}"
        );
        let r = w
            .app
            .gql(reject, json!({ "id": spam }), Some(&w.owner_t))
            .await;
        assert_eq!(code(&r), Some("NOT_FOUND"), "{b}");
        let r = w
            .app
            .gql(reject, json!({ "id": held }), Some(&w.owner_t))
            .await;
        assert_eq!(
            code(&r),
            Some("NOT_FOUND"),
            "{b}: an approved comment is not rejected"
        );

        // Deleting a held comment leaves the counter alone; a moderator approves for the owner.
        let withdrawn = comment("Never mind").await;
        let r = w
            .app
            .gql(del, json!({ "id": withdrawn }), Some(&w.fan_t))
            .await;
        assert!(
            r.data()["headShakers"]["deleteComment"]["deletedId"].is_string(),
            "{b}"
        );
        let later = comment("Nice paint").await;
        let r = w
            .app
            .gql(approve, json!({ "id": later }), Some(&moderator_t))
            .await;
        assert_eq!(
            r.data()["headShakers"]["approveComment"]["isApproved"],
            true,
            "{b}"
        );
        assert_eq!(counts(&w, None).await["commentCount"], 2, "{b}");
        assert_eq!(counts(&w, None).await["comments"]["totalCount"], 2, "{b}");

        // The owner's own comments are never held.
        let r = w
            .app
            .gql(COMMENT, vars("Mine", None), Some(&w.owner_t))
            .await;
        let mine = r.data()["headShakers"]["addComment"]["rowId"].clone();
        assert_eq!(seen(mine, None).await, true, "{b}");
        assert_eq!(counts(&w, None).await["commentCount"], 3, "{b}");
    }
}

/// A uuid literal for raw SQL on either backend (SQLite keeps uuids as 16-byte blobs).
fn lit(app: &TestApp, id: Uuid) -> String {
    match app.backend {
        e2e::Backend::Postgres(_) => format!("'{id}'"),
        e2e::Backend::Sqlite => format!("X'{}'", id.simple()),
    }
}

#[tokio::test]
async fn follows_views_and_notification_reads() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = backend.name();
        let follow = r#"mutation($u: UUID, $c: UUID) { headShakers { follow(userId: $u, collectionId: $c) { rowId followType target { __typename } } } }"#;
        let r = w
            .app
            .gql(follow, json!({ "u": w.owner.to_string() }), Some(&w.fan_t))
            .await;
        assert_eq!(
            r.data()["headShakers"]["follow"]["target"]["__typename"],
            "HeadShakersUser",
            "{b}"
        );
        let again = w
            .app
            .gql(follow, json!({ "u": w.owner.to_string() }), Some(&w.fan_t))
            .await;
        assert_eq!(
            again.data()["headShakers"]["follow"]["rowId"],
            r.data()["headShakers"]["follow"]["rowId"],
            "{b}"
        );
        let r = w
            .app
            .gql(follow, json!({ "c": w.coll.to_string() }), Some(&w.fan_t))
            .await;
        assert_eq!(
            r.data()["headShakers"]["follow"]["target"]["__typename"],
            "HeadShakersCollection",
            "{b}"
        );
        let r = w
            .app
            .gql(follow, json!({ "u": w.fan.to_string() }), Some(&w.fan_t))
            .await;
        assert_eq!(code(&r), Some("BAD_USER_INPUT"), "{b}: no self-follow");

        let q = r#"query($id: UUID!) { headShakers { user(rowId: $id) { followerCount followingCount viewerFollows } collection: collection(rowId: $id) { rowId } } }"#;
        let r = w
            .app
            .gql(q, json!({ "id": w.owner.to_string() }), Some(&w.fan_t))
            .await;
        let u = &r.data()["headShakers"]["user"];
        assert_eq!(u["followerCount"], 1, "{b}");
        assert_eq!(u["viewerFollows"], true, "{b}");
        let r = w
            .app
            .gql(
                r#"mutation($u: UUID!) { headShakers { unfollow(userId: $u) { deletedId } } }"#,
                json!({ "u": w.owner.to_string() }),
                Some(&w.fan_t),
            )
            .await;
        assert!(
            r.data()["headShakers"]["unfollow"]["deletedId"].is_string(),
            "{b}"
        );
        let r = w
            .app
            .gql(q, json!({ "id": w.owner.to_string() }), Some(&w.fan_t))
            .await;
        assert_eq!(r.data()["headShakers"]["user"]["followerCount"], 0, "{b}");

        // Views: anonymous too; counted on the bobblehead.
        let view = r#"mutation($id: UUID!) { headShakers { recordView(targetType: BOBBLEHEAD, targetId: $id, viewDuration: 12) { target { __typename } } } }"#;
        w.app
            .gql(view, json!({ "id": w.item.to_string() }), None)
            .await
            .data();
        w.app
            .gql(view, json!({ "id": w.item.to_string() }), Some(&w.fan_t))
            .await
            .data();
        assert_eq!(counts(&w, None).await["viewCount"], 2, "{b}");

        // Notifications: the owner got two follows; the fan cannot touch them.
        let r = w.app.gql(NOTIFICATIONS, json!({}), Some(&w.owner_t)).await;
        let nodes = r.data()["headShakers"]["notifications"]["nodes"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(nodes.len(), 2, "{b}");
        let first = nodes[0]["rowId"].clone();
        let mark = r#"mutation($id: UUID!) { headShakers { markNotificationRead(id: $id) { isRead readAt } } }"#;
        let r = w
            .app
            .gql(mark, json!({ "id": first }), Some(&w.fan_t))
            .await;
        assert_eq!(code(&r), Some("NOT_FOUND"), "{b}");
        let r = w
            .app
            .gql(mark, json!({ "id": first }), Some(&w.owner_t))
            .await;
        assert_eq!(
            r.data()["headShakers"]["markNotificationRead"]["isRead"],
            true,
            "{b}"
        );
        let r = w
            .app
            .gql(
                "mutation { headShakers { markAllNotificationsRead { count } } }",
                json!({}),
                Some(&w.owner_t),
            )
            .await;
        assert_eq!(
            r.data()["headShakers"]["markAllNotificationsRead"]["count"],
            1,
            "{b}"
        );
    }
}

/// Many clients liking and unliking, commenting and deleting, following and unfollowing at
/// once: every counter ends equal to the rows it counts.
#[tokio::test]
async fn counters_stay_exact_under_concurrent_writers() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = backend.name();
        let tokens = w.user_tokens(100..112).await;
        let app = &w.app;
        let item = w.item.to_string();
        let owner = w.owner.to_string();
        let mut tasks = Vec::new();
        for (i, t) in tokens.iter().enumerate() {
            let item = item.clone();
            let owner = owner.clone();
            tasks.push(async move {
                let like = json!({ "t": "BOBBLEHEAD", "id": item });
                for round in 0..4 {
                    let r = app.gql(LIKE, like.clone(), Some(t)).await;
                    assert!(r.body.get("errors").is_none(), "{}", r.body);
                    if (i + round) % 2 == 0 {
                        let r = app.gql(UNLIKE, like.clone(), Some(t)).await;
                        assert!(r.body.get("errors").is_none(), "{}", r.body);
                    }
                    let r = app.gql(COMMENT, json!({ "t": "BOBBLEHEAD", "id": item, "c": format!("c{i}{round}") }), Some(t)).await;
                    assert!(r.body.get("errors").is_none(), "{}", r.body);
                    if round % 2 == 0
                        && let Some(id) = r.body["data"]["headShakers"]["addComment"]["rowId"].as_str()
                    {
                        app.gql(r#"mutation($id: UUID!) { headShakers { deleteComment(id: $id) { deletedId } } }"#, json!({ "id": id }), Some(t)).await;
                    }
                    let r = app.gql(r#"mutation($u: UUID!) { headShakers { follow(userId: $u) { rowId } } }"#, json!({ "u": owner }), Some(t)).await;
                    assert!(r.body.get("errors").is_none(), "{}", r.body);
                    if round % 3 == 1 {
                        let r = app.gql(r#"mutation($u: UUID!) { headShakers { unfollow(userId: $u) { deletedId } } }"#, json!({ "u": owner }), Some(t)).await;
                        assert!(r.body.get("errors").is_none(), "{}", r.body);
                    }
                }
            });
        }
        futures_util::future::join_all(tasks).await;
        let c = counts(&w, None).await;
        assert_eq!(
            c["likeCount"], c["likes"]["totalCount"],
            "{b}: like_count equals the likes"
        );
        assert_eq!(
            c["commentCount"], c["comments"]["totalCount"],
            "{b}: comment_count equals the comments"
        );
        let r = w.app.gql(r#"query($id: UUID!) { headShakers { user(rowId: $id) { followerCount followerEdges { totalCount } } } }"#, json!({ "id": owner }), None).await;
        let u = &r.data()["headShakers"]["user"];
        assert_eq!(u["followerCount"], u["followerEdges"]["totalCount"], "{b}");
        assert_eq!(
            u["followerCount"], 12,
            "{b}: every client ends following (last round follows)"
        );
    }
}

/// An answered error: never `INTERNAL` (nor uncoded), whatever the race.
fn no_internal(b: &str, what: &str, r: &Reply) {
    if let Some(errors) = r.body.get("errors") {
        let code = r.code();
        assert!(
            code.is_some() && code != Some("INTERNAL"),
            "{b}: {what} answered {}: {errors}",
            code.unwrap_or("no code")
        );
    }
}

/// A count read straight from the database.
async fn counted(count: impl std::future::Future<Output = Result<u64, sea_orm::DbErr>>) -> u64 {
    count.await.unwrap_or_else(|e| panic!("count: {e}"))
}

const TAG_ON: &str = r#"mutation($b: UUID!, $t: UUID!) { headShakers { tagBobblehead(bobbleheadId: $b, tagId: $t) { rowId bobbleheadId tagId } } }"#;
const TAG_OFF: &str = r#"mutation($b: UUID!, $t: UUID!) { headShakers { untagBobblehead(bobbleheadId: $b, tagId: $t) { deletedId } } }"#;
const RENAME: &str = r#"mutation($id: UUID!, $n: String!) { headShakers { updateBobblehead(id: $id, name: $n) { rowId name } } }"#;
const DELETE: &str =
    r#"mutation($id: UUID!) { headShakers { deleteBobblehead(id: $id) { deletedId } } }"#;
const RESTORE: &str =
    r#"mutation($id: UUID!) { headShakers { restoreBobblehead(id: $id) { rowId isDeleted } } }"#;
const FOLLOW_USER: &str = r#"mutation($u: UUID!) { headShakers { follow(userId: $u) { rowId followingId followerId } } }"#;
const UNFOLLOW_USER: &str =
    r#"mutation($u: UUID!) { headShakers { unfollow(userId: $u) { deletedId } } }"#;

/// Writes that remove each other's rows, raced by several clients for a bounded number of
/// rounds (like/unlike, follow/unfollow by the same users; tag/untag and update/delete by the
/// owner from two clients): a write that committed is answered with its row as it wrote it,
/// one that lost the race with a coded error — never `INTERNAL` — and the counters end equal
/// to the rows they count.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_writes_are_answered_as_they_committed() {
    const ROUNDS: usize = 12;
    for backend in backends() {
        let w = world(&backend).await;
        let b = backend.name();
        let app = &w.app;
        // Created through the gateway, so that its collection's counters count it.
        let other = app
            .gql(
                r#"mutation($c: UUID!) { headShakers { createBobblehead(collectionId: $c, name: "Racer") { rowId } } }"#,
                json!({ "c": w.coll.to_string() }),
                Some(&w.owner_t),
            )
            .await;
        let other = other.data()["headShakers"]["createBobblehead"]["rowId"]
            .as_str()
            .unwrap_or_else(|| panic!("{b}: no bobblehead: {}", other.body))
            .to_owned();
        let tag = app
            .gql(
                r#"mutation { headShakers { createTag(name: "race") { rowId } } }"#,
                json!({}),
                Some(&w.owner_t),
            )
            .await;
        let tag = tag.data()["headShakers"]["createTag"]["rowId"]
            .as_str()
            .unwrap_or_else(|| panic!("{b}: no tag: {}", tag.body))
            .to_owned();
        let mut users = Vec::new();
        for n in 200..204 {
            users.push(w.user(n).await);
        }
        let item = w.item.to_string();
        let owner = w.owner.to_string();
        let other_s = other.clone();

        let mut tasks: Vec<futures_util::future::BoxFuture<'_, ()>> = Vec::new();
        for (user, token) in &users {
            let like = json!({ "t": "BOBBLEHEAD", "id": item });
            let (user, like2, token2) = (user.to_string(), like.clone(), token.clone());
            tasks.push(Box::pin({
                let (token, owner) = (token.clone(), owner.clone());
                async move {
                    for _ in 0..ROUNDS {
                        let r = app.gql(LIKE, like.clone(), Some(&token)).await;
                        no_internal(b, "like", &r);
                        if r.body.get("errors").is_none() {
                            let l = &r.body["data"]["headShakers"]["like"];
                            assert_eq!(l["user"]["rowId"], user.as_str(), "{b}: {}", r.body);
                            assert_eq!(l["targetType"], "BOBBLEHEAD", "{b}: {}", r.body);
                        }
                        let r = app
                            .gql(FOLLOW_USER, json!({ "u": owner }), Some(&token))
                            .await;
                        no_internal(b, "follow", &r);
                        if r.body.get("errors").is_none() {
                            let f = &r.body["data"]["headShakers"]["follow"];
                            assert_eq!(f["followerId"], user.as_str(), "{b}: {}", r.body);
                            assert_eq!(f["followingId"], owner.as_str(), "{b}: {}", r.body);
                        }
                    }
                }
            }));
            let owner = owner.clone();
            tasks.push(Box::pin(async move {
                for _ in 0..ROUNDS {
                    let r = app.gql(UNLIKE, like2.clone(), Some(&token2)).await;
                    no_internal(b, "unlike", &r);
                    assert!(
                        r.body.get("errors").is_some()
                            || r.body["data"]["headShakers"]["unlike"].is_object(),
                        "{b}: {}",
                        r.body
                    );
                    let r = app
                        .gql(UNFOLLOW_USER, json!({ "u": owner }), Some(&token2))
                        .await;
                    no_internal(b, "unfollow", &r);
                }
            }));
        }
        let tag_vars = json!({ "b": other_s, "t": tag });
        for on in [true, false] {
            let (vars, t) = (tag_vars.clone(), w.owner_t.clone());
            tasks.push(Box::pin(async move {
                for _ in 0..ROUNDS {
                    let r = app
                        .gql(if on { TAG_ON } else { TAG_OFF }, vars.clone(), Some(&t))
                        .await;
                    no_internal(b, "tag/untag", &r);
                    if on && r.body.get("errors").is_none() {
                        let l = &r.body["data"]["headShakers"]["tagBobblehead"];
                        assert_eq!(l["bobbleheadId"], vars["b"], "{b}: {}", r.body);
                        assert_eq!(l["tagId"], vars["t"], "{b}: {}", r.body);
                    }
                }
            }));
        }
        for updater in [true, false] {
            let (id, t) = (other_s.clone(), w.owner_t.clone());
            tasks.push(Box::pin(async move {
                for round in 0..ROUNDS {
                    if updater {
                        let name = format!("Racer {round}");
                        let r = app
                            .gql(RENAME, json!({ "id": id, "n": name }), Some(&t))
                            .await;
                        no_internal(b, "update", &r);
                        match r.body.get("errors") {
                            // The update committed: its answer is what it wrote.
                            None => assert_eq!(
                                r.body["data"]["headShakers"]["updateBobblehead"]["name"],
                                name.as_str(),
                                "{b}: {}",
                                r.body
                            ),
                            // It lost to the delete: not found, and said not to be kept.
                            Some(_) => assert_eq!(r.code(), Some("NOT_FOUND"), "{b}: {}", r.body),
                        }
                    } else {
                        let r = app.gql(DELETE, json!({ "id": id }), Some(&t)).await;
                        no_internal(b, "delete", &r);
                        let r = app.gql(RESTORE, json!({ "id": id }), Some(&t)).await;
                        no_internal(b, "restore", &r);
                        if r.body.get("errors").is_none() {
                            assert_eq!(
                                r.body["data"]["headShakers"]["restoreBobblehead"]["isDeleted"],
                                false,
                                "{b}: {}",
                                r.body
                            );
                        }
                    }
                }
            }));
        }
        futures_util::future::join_all(tasks).await;

        // Quiet now: every counter equals the rows it counts.
        use entity::head_shakers::{bobblehead_tags, bobbleheads, follows, likes, tags};
        use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter};
        let hs = app.db(Database::HeadShakers);
        let likes_now = counted(
            likes::Entity::find()
                .filter(Condition::all().add(likes::Column::TargetId.eq(w.item)))
                .count(app.db(Database::HeadShakers)),
        )
        .await;
        let item_row = bobbleheads::Entity::find_by_id(w.item)
            .one(hs)
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"))
            .unwrap_or_else(|| panic!("{b}: the bobblehead is gone"));
        assert_eq!(
            i64::from(item_row.like_count),
            likes_now as i64,
            "{b}: like_count equals the likes"
        );
        let follows_now = counted(
            follows::Entity::find()
                .filter(Condition::all().add(follows::Column::FollowingId.eq(w.owner)))
                .count(app.db(Database::HeadShakers)),
        )
        .await;
        let r = app
            .gql(
                r#"query($id: UUID!) { headShakers { user(rowId: $id) { followerCount followerEdges { totalCount } } } }"#,
                json!({ "id": w.owner.to_string() }),
                None,
            )
            .await;
        let u = &r.data()["headShakers"]["user"];
        assert_eq!(u["followerCount"], u["followerEdges"]["totalCount"], "{b}");
        assert_eq!(u["followerEdges"]["totalCount"], follows_now, "{b}");
        let tag_id: Uuid = tag.parse().unwrap_or_else(|e| panic!("{b}: {e}"));
        let links = counted(
            bobblehead_tags::Entity::find()
                .filter(Condition::all().add(bobblehead_tags::Column::TagId.eq(tag_id)))
                .count(app.db(Database::HeadShakers)),
        )
        .await;
        let usage = tags::Entity::find_by_id(tag_id)
            .one(hs)
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"))
            .map(|t| i64::from(t.usage_count))
            .unwrap_or_else(|| panic!("{b}: the tag is gone"));
        let links = links as i64;
        assert_eq!(usage, links, "{b}: usage_count equals the tag's links");
    }
}

/// A pool too small for the load (two connections, a 10 ms acquire deadline): requests it
/// cannot serve are answered `UNAVAILABLE` — a `503` with `Retry-After` when the whole request
/// failed — never `INTERNAL`; every like answered as done is in the database, and every one
/// answered `UNAVAILABLE` is not (unless its answer says the outcome is unknown).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_exhausted_pool_answers_unavailable_and_keeps_its_word() {
    for backend in backends() {
        let b = backend.name();
        let app = TestApp::spawn_with(&backend, e2e::Data::Empty, |s| {
            s.db_pool_size = Some(2);
            s.db_acquire_timeout_ms = Some(10);
        })
        .await;
        let db = app.db(Database::HeadShakers);
        let owner = e2e::fixtures::hs_user(db, 1).await;
        let coll = e2e::fixtures::hs_collection(db, owner, "Shelf", true).await;
        let mut items = Vec::new();
        for i in 0..3 {
            items.push(e2e::fixtures::hs_bobblehead(db, owner, coll, &format!("B{i}"), None).await);
        }
        let mut users = Vec::new();
        for n in 0..40 {
            let u = e2e::fixtures::hs_user(db, 300 + n).await;
            users.push((u, app.token("head_shakers", &u.to_string())));
        }
        let (client, url) = (&reqwest::Client::new(), &format!("{}/graphql", app.url));
        let sends = users.iter().flat_map(|(u, t)| {
            items.iter().map(move |i| {
                let (client, url) = (client.clone(), url.clone());
                let body = json!({ "query": LIKE, "variables": { "t": "BOBBLEHEAD", "id": i.to_string() } });
                async move {
                    let res = client
                        .post(url)
                        .header("content-type", "application/json")
                        .header("authorization", format!("Bearer {t}"))
                        .body(body.to_string())
                        .send()
                        .await
                        .unwrap_or_else(|e| panic!("request: {e}"));
                    let status = res.status().as_u16();
                    let retry = res.headers().get("retry-after").is_some();
                    let text = res.text().await.unwrap_or_default();
                    let body: Value = serde_json::from_str(&text).unwrap_or(Value::String(text));
                    (*u, *i, status, retry, body)
                }
            })
        });
        let answers = futures_util::future::join_all(sends).await;
        let (mut done, mut refused) = (0, 0);
        for (user, item, status, retry, body) in answers {
            use entity::head_shakers::likes;
            use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter};
            let found = counted(
                likes::Entity::find()
                    .filter(
                        Condition::all()
                            .add(likes::Column::UserId.eq(user))
                            .add(likes::Column::TargetId.eq(item)),
                    )
                    .count(app.db(Database::HeadShakers)),
            )
            .await;
            // Nested fields load after the commit, as reads: they may fail alone, with the code.
            for e in body["errors"].as_array().into_iter().flatten() {
                assert_eq!(e["extensions"]["code"], "UNAVAILABLE", "{b}: {body}");
            }
            if body["data"]["headShakers"]["like"]["rowId"].is_string() {
                done += 1;
                assert_eq!(status, 200, "{b}: {body}");
                assert_eq!(found, 1, "{b}: a like answered as done is stored: {body}");
            } else {
                refused += 1;
                let errors = &body["errors"];
                assert!(
                    errors[0].is_object(),
                    "{b}: neither done nor refused: {body}"
                );
                if body["data"].is_null() {
                    assert_eq!(status, 503, "{b}: {body}");
                    assert!(retry, "{b}: a 503 without Retry-After: {body}");
                }
                let message = errors[0]["message"].as_str().unwrap_or_default();
                if !message.contains("may or may not") {
                    assert_eq!(
                        found, 0,
                        "{b}: a like answered as not done is stored: {body}"
                    );
                }
            }
        }
        eprintln!("{b}: {done} likes done, {refused} refused as UNAVAILABLE");
        assert!(
            refused > 0,
            "{b}: the pool never ran dry; the test proves nothing"
        );
        // Once the load is gone the same pool serves again (a few tries: the deadline is
        // 10 ms, which a machine busy with other tests can miss once).
        let (user, token) = &users[0];
        let vars = json!({ "t": "BOBBLEHEAD", "id": items[0].to_string() });
        let mut r = app.gql(LIKE, vars.clone(), Some(token)).await;
        for _ in 0..5 {
            if r.body.get("errors").is_none() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            r = app.gql(LIKE, vars.clone(), Some(token)).await;
        }
        assert_eq!(
            r.data()["headShakers"]["like"]["user"]["rowId"],
            user.to_string(),
            "{b}"
        );
    }
}
