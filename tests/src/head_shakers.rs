//! The Head Shakers world the social and writes tests share: an owner with a public
//! collection holding one bobblehead, a fan, and their tokens — with the social actions those
//! tests take on it (likes, comments, notifications, notification settings) and the GraphQL
//! documents behind them.
//!
//! The documents select only what the actions read back; a test that asserts more fields of
//! a like, comment or notification keeps a document of its own.

use std::ops::Range;

use migration::Database;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::fixtures::{hs_bobblehead, hs_collection, hs_user};
use crate::{Backend, Data, Reply, TestApp};

/// Likes a target (`$t`, `$id`), answering the like's `rowId`.
pub const LIKE: &str = r#"mutation($t: HeadShakersLikeTargetType!, $id: UUID!) { headShakers { like(targetType: $t, targetId: $id) { rowId } } }"#;

/// Unlikes a target (`$t`, `$id`), answering whether a like was removed.
pub const UNLIKE: &str = r#"mutation($t: HeadShakersLikeTargetType!, $id: UUID!) { headShakers { unlike(targetType: $t, targetId: $id) { deletedId } } }"#;

/// Comments on a target (`$t`, `$id`) with `$c`, as a reply to `$p` when given, answering
/// the comment's `rowId`.
pub const COMMENT: &str = r#"mutation($t: HeadShakersCommentTargetType!, $id: UUID!, $c: String!, $p: UUID) { headShakers { addComment(targetType: $t, targetId: $id, content: $c, parentCommentId: $p) { rowId } } }"#;

/// Follows a user (`$u`) or a collection (`$c`), answering the follow's `rowId`.
pub const FOLLOW: &str = r#"mutation($u: UUID, $c: UUID) { headShakers { follow(userId: $u, collectionId: $c) { rowId } } }"#;

/// Sets the viewer's `inApp*` notification settings for likes (`$l`), comments (`$c`) and
/// followers (`$f`).
pub const SETTINGS: &str = r#"mutation($l: Boolean, $c: Boolean, $f: Boolean) { headShakers { updateNotificationSettings(inAppNewLikes: $l, inAppNewComments: $c, inAppNewFollowers: $f) { inAppNewLikes inAppNewComments inAppNewFollowers } } }"#;

/// The viewer's notifications, oldest first.
pub const NOTIFICATIONS: &str = r#"{ headShakers { notifications(orderBy: [CREATED_AT_ASC]) { totalCount nodes { type relatedId relatedUser { rowId } related { __typename } } } } }"#;

/// A comment (`$id`): its likes, and its replies with their parents.
pub const COMMENT_READ: &str = r#"query($id: UUID!) { headShakers { comment(rowId: $id) { likeCount viewerHasLiked likes { totalCount } replies { totalCount nodes { rowId content parentComment { rowId } } } } } }"#;

/// A gateway over empty databases holding two Head Shakers users: `owner` (user 1), whose
/// public collection "Shelf" holds the bobblehead "Bobby", and `fan` (user 2).
pub struct World {
    /// The gateway.
    pub app: TestApp,
    /// The owner of the collection and the bobblehead.
    pub owner: Uuid,
    /// Another user, who likes, comments and follows.
    pub fan: Uuid,
    /// The owner's bobblehead "Bobby" (purchase price 10), in `coll`.
    pub item: Uuid,
    /// The owner's public collection "Shelf".
    pub coll: Uuid,
    /// The owner's bearer token.
    pub owner_t: String,
    /// The fan's bearer token.
    pub fan_t: String,
}

/// Starts a gateway on `backend` and arranges the [`World`] in it.
pub async fn world(backend: &Backend) -> World {
    let app = TestApp::spawn(backend, Data::Empty).await;
    let db = app.db(Database::HeadShakers);
    let owner = hs_user(db, 1).await;
    let fan = hs_user(db, 2).await;
    let coll = hs_collection(db, owner, "Shelf", true).await;
    let item = hs_bobblehead(db, owner, coll, "Bobby", Some(10)).await;
    let owner_t = app.token("head_shakers", &owner.to_string());
    let fan_t = app.token("head_shakers", &fan.to_string());
    World {
        app,
        owner,
        fan,
        item,
        coll,
        owner_t,
        fan_t,
    }
}

impl World {
    /// A further user (`user{n}`) and their token.
    pub async fn user(&self, n: usize) -> (Uuid, String) {
        let u = hs_user(self.app.db(Database::HeadShakers), n).await;
        (u, self.app.token("head_shakers", &u.to_string()))
    }

    /// The tokens of further users, one a number in `ns` (see [`World::user`]).
    pub async fn user_tokens(&self, ns: Range<usize>) -> Vec<String> {
        let mut tokens = Vec::new();
        for n in ns {
            tokens.push(self.user(n).await.1);
        }
        tokens
    }

    /// Likes the target `kind` (`BOBBLEHEAD`, `COLLECTION`, `COMMENT`) `id` as the holder of
    /// `token`.
    pub async fn like(&self, kind: &str, id: &str, token: &str) -> Reply {
        self.app
            .gql(LIKE, json!({ "t": kind, "id": id }), Some(token))
            .await
    }

    /// Unlikes the target `kind` `id` as the holder of `token`.
    pub async fn unlike(&self, kind: &str, id: &str, token: &str) -> Reply {
        self.app
            .gql(UNLIKE, json!({ "t": kind, "id": id }), Some(token))
            .await
    }

    /// Comments on the bobblehead (or replies to `parent`); answers the comment's id.
    pub async fn comment(&self, content: &str, parent: Option<&str>, token: &str) -> String {
        let r = self
            .app
            .gql(
                COMMENT,
                json!({ "t": "BOBBLEHEAD", "id": self.item.to_string(), "c": content, "p": parent }),
                Some(token),
            )
            .await;
        r.data()["headShakers"]["addComment"]["rowId"]
            .as_str()
            .unwrap_or_else(|| panic!("no comment id: {}", r.body))
            .to_owned()
    }

    /// The viewer's notifications, oldest first.
    pub async fn notifications(&self, token: &str) -> Vec<Value> {
        let r = self.app.gql(NOTIFICATIONS, json!({}), Some(token)).await;
        let n = &r.data()["headShakers"]["notifications"];
        let nodes = n["nodes"]
            .as_array()
            .cloned()
            .unwrap_or_else(|| panic!("no nodes: {}", r.body));
        assert_eq!(n["totalCount"], nodes.len(), "{}", r.body);
        nodes
    }

    /// Sets the owner's `inApp*` notification settings, and checks that they took.
    pub async fn settings(&self, likes: bool, comments: bool, followers: bool) {
        let r = self
            .app
            .gql(
                SETTINGS,
                json!({ "l": likes, "c": comments, "f": followers }),
                Some(&self.owner_t),
            )
            .await;
        assert_eq!(
            r.data()["headShakers"]["updateNotificationSettings"],
            json!({ "inAppNewLikes": likes, "inAppNewComments": comments, "inAppNewFollowers": followers }),
            "{}",
            r.body
        );
    }

    /// The comment `id` ([`COMMENT_READ`]) as the holder of `token` reads it, or as anyone
    /// reads it when `token` is `None`.
    pub async fn read_comment(&self, id: &str, token: Option<&str>) -> Value {
        let r = self.app.gql(COMMENT_READ, json!({ "id": id }), token).await;
        r.data()["headShakers"]["comment"].clone()
    }
}
