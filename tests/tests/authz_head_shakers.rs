//! The Head Shakers authorization matrix: every query and mutation of `headShakers`, asked by
//! the anonymous viewer, a token of another source (naming the owner's uuid), the owner,
//! another user, a moderator and an admin.
//!
//! The world holds, beside plain public rows, one row of every kind that only its owner (and
//! admins) may read — a private collection, a private bobblehead, a private sub-collection of a
//! public collection, the owner's settings, sessions, login history, activity, blocks, views,
//! searches, notifications and reports — plus the rules that shape profiles: a private profile
//! (the hermit), a followers-only one (the selective user, followed by the other user), a
//! soft-deleted user, and a user who blocked the other user (grumpy). Names, e-mails and texts
//! of what the other user must never see are secret markers: any response to the anonymous
//! viewer, the other user or the foreign token carrying one fails the matrix, whatever path
//! (nested relation, union member, error message) carried it.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use e2e::authz::{self, Case, Expect, Who, World};
use e2e::fixtures::hs_user;
use e2e::{Data, TestApp, backends};
use entity::head_shakers::sea_orm_active_enums as en;
use entity::head_shakers::{
    content_reports, content_views, follows, login_history, notification_settings, notifications,
    search_queries, user_activity, user_sessions, user_settings, users,
};
use migration::Database;
use sea_orm::prelude::DateTime;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection};
use serde_json::{Value, json};
use uuid::Uuid;

use Expect::{Allowed, Nothing, Refused};
use Who::{Admin, Anonymous, Foreign, Moderator, Other, Owner};

/// No Head Shakers user behind the request.
const UNAUTH: Expect = Refused("UNAUTHENTICATED");
/// A row the viewer sees but may not change.
const DENIED: Expect = Refused("FORBIDDEN");
/// A row the viewer may not see: indistinguishable from a missing one.
const HIDDEN: Expect = Refused("NOT_FOUND");

/// The viewer patterns of most read cases.
trait Viewers {
    /// The owner's (and admins') row: nobody else sees anything, not even a count.
    fn private(self) -> Case;
    /// A report: its reporter's, and moderators' and admins', who resolve it.
    fn moderated(self) -> Case;
    /// A public row: everyone sees it (secrets nested in it stay hidden).
    fn public(self) -> Case;
    /// Configuration for admins only: the owner is nobody special.
    fn admins(self) -> Case;
    /// Hidden from every viewer, admins included (soft-deleted rows).
    fn nobody(self) -> Case;
    /// A row of the other user's own: theirs and admins'.
    fn others_own(self) -> Case;
    /// Public content of a user who blocked the other user: hidden from them alone.
    fn blocked_for_other(self) -> Case;
    /// A write any signed-in user makes on their own behalf.
    fn signed_in(self) -> Case;
    /// A write on the owner's visible row: theirs alone, admins' and moderators' neither.
    fn owner_only(self) -> Case;
    /// A write for admins only.
    fn admin_only(self) -> Case;
    /// A write on a row the other user (and the moderator) may not see.
    fn unseen(self) -> Case;
}

impl Viewers for Case {
    fn private(self) -> Case {
        self.then(Anonymous, Nothing)
            .then(Foreign, Nothing)
            .then(Other, Nothing)
            .then(Moderator, Nothing)
            .then(Owner, Allowed)
            .then(Admin, Allowed)
    }

    fn moderated(self) -> Case {
        self.then(Anonymous, Nothing)
            .then(Foreign, Nothing)
            .then(Other, Nothing)
            .then(Moderator, Allowed)
            .then(Owner, Allowed)
            .then(Admin, Allowed)
    }

    fn public(self) -> Case {
        self.then(Anonymous, Allowed)
            .then(Foreign, Allowed)
            .then(Other, Allowed)
            .then(Moderator, Allowed)
            .then(Owner, Allowed)
            .then(Admin, Allowed)
    }

    fn admins(self) -> Case {
        self.then(Anonymous, Nothing)
            .then(Foreign, Nothing)
            .then(Other, Nothing)
            .then(Moderator, Nothing)
            .then(Owner, Nothing)
            .then(Admin, Allowed)
    }

    fn nobody(self) -> Case {
        self.then(Anonymous, Nothing)
            .then(Other, Nothing)
            .then(Owner, Nothing)
            .then(Admin, Nothing)
    }

    fn others_own(self) -> Case {
        self.then(Anonymous, Nothing)
            .then(Foreign, Nothing)
            .then(Owner, Nothing)
            .then(Moderator, Nothing)
            .then(Other, Allowed)
            .then(Admin, Allowed)
    }

    fn blocked_for_other(self) -> Case {
        self.then(Anonymous, Allowed)
            .then(Other, Nothing)
            .then(Owner, Allowed)
            .then(Admin, Allowed)
    }

    fn signed_in(self) -> Case {
        self.then(Anonymous, UNAUTH)
            .then(Foreign, UNAUTH)
            .then(Other, Allowed)
            .then(Owner, Allowed)
    }

    fn owner_only(self) -> Case {
        self.then(Anonymous, UNAUTH)
            .then(Foreign, UNAUTH)
            .then(Other, DENIED)
            .then(Moderator, DENIED)
            .then(Admin, DENIED)
            .then(Owner, Allowed)
    }

    fn admin_only(self) -> Case {
        self.then(Anonymous, UNAUTH)
            .then(Foreign, UNAUTH)
            .then(Owner, DENIED)
            .then(Other, DENIED)
            .then(Moderator, DENIED)
            .then(Admin, Allowed)
    }

    fn unseen(self) -> Case {
        self.then(Anonymous, UNAUTH)
            .then(Other, HIDDEN)
            .then(Moderator, HIDDEN)
    }
}

/// `field(rowId: $id) { sel }`.
fn lookup(field: &'static str, id: Uuid, sel: &str) -> Case {
    Case::new(
        field,
        format!("query($id: UUID!) {{ headShakers {{ {field}(rowId: $id) {{ {sel} }} }} }}"),
        json!({ "id": id }),
    )
}

/// `field(where: $w) { sel }`.
fn list(field: &'static str, w: Value, sel: &str) -> Case {
    let ty = match field {
        "users" => "User",
        "userSettings" => "UserSetting",
        "notificationSettings" => "NotificationSetting",
        "userSessions" => "UserSession",
        "loginHistoryEntries" => "LoginHistoryEntry",
        "userActivities" => "UserActivity",
        "userBlocks" => "UserBlock",
        "collections" => "Collection",
        "subCollections" => "SubCollection",
        "tags" => "Tag",
        "bobbleheads" => "Bobblehead",
        "bobbleheadPhotos" => "BobbleheadPhoto",
        "bobbleheadTags" => "BobbleheadTag",
        "follows" => "Follow",
        "likes" => "Like",
        "comments" => "Comment",
        "contentViews" => "ContentView",
        "searchQueries" => "SearchQuery",
        "notifications" => "Notification",
        "platformSettings" => "PlatformSetting",
        "contentReports" => "ContentReport",
        other => panic!("no connection {other}"),
    };
    Case::new(
        field,
        format!(
            "query($w: HeadShakers{ty}Where) {{ headShakers {{ {field}(first: 50, where: $w) {{ {sel} }} }} }}"
        ),
        json!({ "w": w }),
    )
}

/// `field(where: { column: { eq: $id } }) { sel }`.
fn by(field: &'static str, column: &str, id: Uuid, sel: &str) -> Case {
    list(field, json!({ column: { "eq": id } }), sel)
}

/// `headShakers { field(args) { sel } }` as a mutation with `params` declared.
fn write(field: &'static str, params: &str, args: &str, sel: &str, vars: Value) -> Case {
    Case::new(
        field,
        format!("mutation{params} {{ headShakers {{ {field}{args} {sel} }} }}"),
        vars,
    )
}

/// Inline fragments selecting a readable text of each union member.
fn on(members: &[&str]) -> String {
    let mut out = String::from("__typename");
    for m in members {
        let sel = match *m {
            "Bobblehead" => "name description",
            "Collection" => "name description",
            "SubCollection" => "name",
            "Comment" => "content",
            "User" => "displayName email location",
            other => panic!("no member {other}"),
        };
        out.push_str(&format!(" ... on HeadShakers{m} {{ {sel} }}"));
    }
    out
}

fn like_target() -> String {
    on(&["Bobblehead", "Collection", "Comment"])
}

fn every_target() -> String {
    on(&[
        "Bobblehead",
        "Collection",
        "SubCollection",
        "Comment",
        "User",
    ])
}

fn view_target() -> String {
    on(&["Bobblehead", "Collection", "SubCollection", "User"])
}

/// A secret marker.
fn secret(kind: &str) -> String {
    format!("secret-{kind}-{}", Uuid::new_v4().simple())
}

fn at(s: &str) -> DateTime {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// The single field under `headShakers` of a request that must succeed.
async fn ok(app: &TestApp, doc: &str, vars: Value, token: &str) -> Value {
    let r = app.gql(doc, vars, Some(token)).await;
    r.data()["headShakers"]
        .as_object()
        .and_then(|o| o.values().next().cloned())
        .unwrap_or_default()
}

async fn ok_id(app: &TestApp, doc: &str, vars: Value, token: &str) -> Uuid {
    let v = ok(app, doc, vars, token).await;
    let id = v["rowId"].as_str().unwrap_or_default();
    Uuid::parse_str(id).unwrap_or_else(|e| panic!("no rowId in {v}: {e}"))
}

const CREATE_COLLECTION: &str = r#"mutation($n: String!, $p: Boolean) { headShakers { createCollection(name: $n, isPublic: $p) { rowId } } }"#;
const CREATE_SUB: &str = r#"mutation($c: UUID!, $n: String!, $p: Boolean) { headShakers { createSubCollection(collectionId: $c, name: $n, isPublic: $p) { rowId } } }"#;
const CREATE_ITEM: &str = r#"mutation($c: UUID!, $s: UUID, $n: String!, $p: Boolean) { headShakers { createBobblehead(collectionId: $c, subCollectionId: $s, name: $n, isPublic: $p) { rowId } } }"#;
const ADD_PHOTO: &str = r#"mutation($b: UUID!, $u: String!, $cap: String) { headShakers { addPhoto(bobbleheadId: $b, url: $u, caption: $cap) { rowId } } }"#;
const CREATE_TAG: &str =
    r#"mutation($n: String!) { headShakers { createTag(name: $n) { rowId } } }"#;
const TAG: &str = r#"mutation($b: UUID!, $t: UUID!) { headShakers { tagBobblehead(bobbleheadId: $b, tagId: $t) { rowId } } }"#;
const COMMENT: &str = r#"mutation($t: HeadShakersCommentTargetType!, $id: UUID!, $c: String!) { headShakers { addComment(targetType: $t, targetId: $id, content: $c) { rowId } } }"#;
const DELETE_COMMENT: &str =
    r#"mutation($id: UUID!) { headShakers { deleteComment(id: $id) { deletedId } } }"#;
const LIKE: &str = r#"mutation($t: HeadShakersLikeTargetType!, $id: UUID!) { headShakers { like(targetType: $t, targetId: $id) { rowId } } }"#;
const DELETE_ITEM: &str =
    r#"mutation($id: UUID!) { headShakers { deleteBobblehead(id: $id) { deletedId } } }"#;
const BLOCK: &str = r#"mutation($u: UUID!, $r: String) { headShakers { blockUser(userId: $u, reason: $r) { rowId } } }"#;
const FOLLOW_USER: &str = r#"mutation($u: UUID!) { headShakers { follow(userId: $u) { rowId } } }"#;
const REPORT: &str = r#"mutation($t: HeadShakersContentReportTargetType!, $id: UUID!, $d: String) { headShakers { reportContent(targetType: $t, targetId: $id, reason: SPAM, description: $d) { rowId } } }"#;
const FEATURE: &str = r#"mutation($t: HeadShakersFeaturedContentType!, $id: UUID!, $title: String) { headShakers { createFeature(contentType: $t, contentId: $id, featureType: EDITOR_PICK, title: $title) { rowId } } }"#;
const SET_SETTING: &str = r#"mutation($k: String!, $v: String!, $p: Boolean) { headShakers { setPlatformSetting(key: $k, value: $v, isPublic: $p) { rowId } } }"#;

/// Every row the matrix refers to.
struct Fx {
    owner: Uuid,
    other: Uuid,
    hermit: Uuid,
    selective: Uuid,
    gone: Uuid,
    victim: Uuid,
    grumpy_coll: Uuid,
    grumpy_item: Uuid,
    other_coll: Uuid,
    // The owner's catalog.
    c_pub: Uuid,
    c_priv: Uuid,
    c_del: Uuid,
    c_move: Uuid,
    c_reorder: Uuid,
    s_pub: Uuid,
    s_priv: Uuid,
    s_delme: Uuid,
    r1: Uuid,
    r2: Uuid,
    i_pub: Uuid,
    i_in_priv_sub: Uuid,
    i_priv: Uuid,
    i_in_priv_coll: Uuid,
    i_del: Uuid,
    i_move: Uuid,
    i_photos: Uuid,
    i_delme: Uuid,
    p_pub: Uuid,
    p_priv: Uuid,
    p_del: Uuid,
    p_delme: Uuid,
    p1: Uuid,
    p2: Uuid,
    tag: Uuid,
    tag2: Uuid,
    tag_delme: Uuid,
    link_priv: Uuid,
    // Social rows.
    k_pub: Uuid,
    k_priv: Uuid,
    k_del: Uuid,
    k_delme1: Uuid,
    k_delme2: Uuid,
    k_hermit: Uuid,
    k_held1: Uuid,
    k_held2: Uuid,
    k_held3: Uuid,
    k_grumpy: Uuid,
    like_priv: Uuid,
    like_comment_priv: Uuid,
    like_other_pub: Uuid,
    like_other_priv: Uuid,
    follow_other_priv: Uuid,
    follow_other_hermit: Uuid,
    // Personal records.
    settings: Uuid,
    notify_settings: Uuid,
    session: Uuid,
    login: Uuid,
    activity: Uuid,
    block: Uuid,
    view: Uuid,
    other_view: Uuid,
    search: Uuid,
    other_search: Uuid,
    notification: Uuid,
    other_notification: Uuid,
    report: Uuid,
    other_report: Uuid,
    // Admin content.
    feat_priv: Uuid,
    feat_pub: Uuid,
    feat_hermit: Uuid,
    feat_delme: Uuid,
    ps_pub: Uuid,
    ps_priv: Uuid,
}

/// Sets the columns of a user's row that the fixtures leave at their defaults.
async fn edit_user(db: &DatabaseConnection, m: users::ActiveModel) {
    m.update(db)
        .await
        .unwrap_or_else(|e| panic!("update user: {e}"));
}

async fn settings_row(
    db: &DatabaseConnection,
    user: Uuid,
    visibility: en::PrivacyLevel,
    timezone: Option<String>,
) -> Uuid {
    let id = Uuid::new_v4();
    user_settings::ActiveModel {
        id: Set(id),
        user_id: Set(user),
        profile_visibility: Set(Some(visibility)),
        timezone: Set(timezone),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap_or_else(|e| panic!("insert settings: {e}"));
    id
}

async fn follow_row(
    db: &DatabaseConnection,
    follower: Uuid,
    following: Uuid,
    collection: Option<Uuid>,
) -> Uuid {
    let id = Uuid::new_v4();
    follows::ActiveModel {
        id: Set(id),
        follower_id: Set(follower),
        following_id: Set(following),
        follow_type: Set(match collection {
            Some(_) => en::FollowType::Collection,
            None => en::FollowType::User,
        }),
        target_id: Set(collection),
        created_at: Set(Some(at("2026-01-01T00:00:00"))),
        updated_at: Set(Some(at("2026-01-01T00:00:00"))),
    }
    .insert(db)
    .await
    .unwrap_or_else(|e| panic!("insert follow: {e}"));
    id
}

/// Builds the world; answers its rows, the tokens and the secret markers.
async fn arrange(app: &TestApp) -> (Fx, Vec<(Who, Option<String>)>, Vec<String>) {
    let db = app.db(Database::HeadShakers);
    let mut secrets = Vec::new();
    let mut keep = |s: String| {
        secrets.push(s.clone());
        s
    };
    let owner = hs_user(db, 1).await;
    let other = hs_user(db, 2).await;
    let moderator = hs_user(db, 3).await;
    let admin = hs_user(db, 4).await;
    let hermit = hs_user(db, 5).await;
    let selective = hs_user(db, 6).await;
    let gone = hs_user(db, 7).await;
    let grumpy = hs_user(db, 8).await;
    let victim = hs_user(db, 9).await;
    app.grant("head_shakers", &moderator.to_string(), "moderator")
        .await;
    app.grant("head_shakers", &admin.to_string(), "admin").await;
    let tok = |u: Uuid| app.token("head_shakers", &u.to_string());
    let (o, t, a) = (tok(owner), tok(other), tok(admin));
    let (h, g) = (tok(hermit), tok(grumpy));

    // Profiles: the owner's e-mail and (hidden by `show_location`) location; a private
    // profile, a followers-only one the other user follows, a soft-deleted user.
    edit_user(
        db,
        users::ActiveModel {
            id: Set(owner),
            email: Set(format!("{}@example.com", keep(secret("mail")))),
            location: Set(Some(keep(secret("loc")))),
            ..Default::default()
        },
    )
    .await;
    edit_user(
        db,
        users::ActiveModel {
            id: Set(hermit),
            display_name: Set(keep(secret("hermit"))),
            ..Default::default()
        },
    )
    .await;
    edit_user(
        db,
        users::ActiveModel {
            id: Set(gone),
            display_name: Set(keep(secret("gone"))),
            is_deleted: Set(true),
            deleted_at: Set(Some(at("2026-01-01T00:00:00"))),
            ..Default::default()
        },
    )
    .await;
    let tz = keep(secret("tz"));
    let settings = settings_row(db, owner, en::PrivacyLevel::Public, Some(tz)).await;
    settings_row(db, hermit, en::PrivacyLevel::Private, None).await;
    settings_row(db, selective, en::PrivacyLevel::Followers, None).await;
    follow_row(db, other, selective, None).await;

    // The owner's catalog, written through the API so every aggregate is right.
    let coll = |n: &str, p: bool| json!({ "n": n, "p": p });
    let c_pub = ok_id(app, CREATE_COLLECTION, coll("Shelf pubmark", true), &o).await;
    let c_priv = ok_id(
        app,
        CREATE_COLLECTION,
        coll(&format!("{} privmark", keep(secret("coll"))), false),
        &o,
    )
    .await;
    let c_del = ok_id(app, CREATE_COLLECTION, coll("To delete", true), &o).await;
    let c_move = ok_id(app, CREATE_COLLECTION, coll("Move here", true), &o).await;
    let c_reorder = ok_id(app, CREATE_COLLECTION, coll("Reorder", true), &o).await;
    let sub = |c: Uuid, n: &str, p: bool| json!({ "c": c, "n": n, "p": p });
    let s_pub = ok_id(app, CREATE_SUB, sub(c_pub, "Sub pubmark", true), &o).await;
    let s_priv = ok_id(app, CREATE_SUB, sub(c_pub, &keep(secret("sub")), false), &o).await;
    let s_delme = ok_id(app, CREATE_SUB, sub(c_pub, "Sub to delete", true), &o).await;
    let r1 = ok_id(app, CREATE_SUB, sub(c_reorder, "R1", true), &o).await;
    let r2 = ok_id(app, CREATE_SUB, sub(c_reorder, "R2", true), &o).await;
    let item =
        |c: Uuid, s: Option<Uuid>, n: &str, p: bool| json!({ "c": c, "s": s, "n": n, "p": p });
    let i_pub = ok_id(
        app,
        CREATE_ITEM,
        item(c_pub, None, "Item pubmark", true),
        &o,
    )
    .await;
    // A public item in the private sub-collection of a public collection.
    let i_in_priv_sub = ok_id(
        app,
        CREATE_ITEM,
        item(c_pub, Some(s_priv), "Item2 pubmark", true),
        &o,
    )
    .await;
    let i_priv = ok_id(
        app,
        CREATE_ITEM,
        item(
            c_pub,
            None,
            &format!("{} privmark", keep(secret("item"))),
            false,
        ),
        &o,
    )
    .await;
    // A public item of a private collection: hidden with its collection.
    let i_in_priv_coll = ok_id(
        app,
        CREATE_ITEM,
        item(
            c_priv,
            None,
            &format!("{} privmark", keep(secret("deep"))),
            true,
        ),
        &o,
    )
    .await;
    let i_del = ok_id(
        app,
        CREATE_ITEM,
        item(c_pub, None, "Deleted delmark", true),
        &o,
    )
    .await;
    let i_move = ok_id(app, CREATE_ITEM, item(c_pub, None, "Mover", true), &o).await;
    let i_photos = ok_id(app, CREATE_ITEM, item(c_pub, None, "Photogenic", true), &o).await;
    let i_delme = ok_id(app, CREATE_ITEM, item(c_pub, None, "Doomed", true), &o).await;
    let photo =
        |b: Uuid, cap: &str| json!({ "b": b, "u": "https://img.example/p.jpg", "cap": cap });
    let p_pub = ok_id(app, ADD_PHOTO, photo(i_pub, "front"), &o).await;
    let p_priv = ok_id(app, ADD_PHOTO, photo(i_priv, &keep(secret("photo"))), &o).await;
    let p_del = ok_id(app, ADD_PHOTO, photo(i_del, "gone"), &o).await;
    let p_delme = ok_id(app, ADD_PHOTO, photo(i_pub, "back"), &o).await;
    let p1 = ok_id(app, ADD_PHOTO, photo(i_photos, "one"), &o).await;
    let p2 = ok_id(app, ADD_PHOTO, photo(i_photos, "two"), &o).await;
    let tag = ok_id(app, CREATE_TAG, json!({ "n": "rare" }), &o).await;
    let tag2 = ok_id(app, CREATE_TAG, json!({ "n": "shiny" }), &o).await;
    let tag_delme = ok_id(app, CREATE_TAG, json!({ "n": "doomed" }), &o).await;
    ok(app, TAG, json!({ "b": i_pub, "t": tag }), &o).await;
    let link_priv = ok_id(app, TAG, json!({ "b": i_priv, "t": tag }), &o).await;

    // Comments: on public and private items, a soft-deleted one, the hermit's (author hidden)
    // and grumpy's (hidden from the other user, whom grumpy blocks).
    let comment = |id: Uuid, c: &str| json!({ "t": "BOBBLEHEAD", "id": id, "c": c });
    let k_pub = ok_id(app, COMMENT, comment(i_pub, "Nice one"), &o).await;
    let k_priv = ok_id(app, COMMENT, comment(i_priv, &keep(secret("comment"))), &o).await;
    let k_del = ok_id(app, COMMENT, comment(i_pub, "Regret"), &o).await;
    ok(app, DELETE_COMMENT, json!({ "id": k_del }), &o).await;
    let k_delme1 = ok_id(app, COMMENT, comment(i_pub, "Delete me"), &o).await;
    let k_delme2 = ok_id(app, COMMENT, comment(i_pub, "Moderate me"), &o).await;
    let k_hermit = ok_id(app, COMMENT, comment(i_pub, "Hermit was here"), &h).await;
    // Comments of the other user held while the owner moderated comments.
    const MODERATE: &str = r#"mutation($m: Boolean) { headShakers { updateSettings(moderateComments: $m) { rowId } } }"#;
    ok(app, MODERATE, json!({ "m": true }), &o).await;
    let k_held1 = ok_id(app, COMMENT, comment(i_pub, "Held one"), &t).await;
    let k_held2 = ok_id(app, COMMENT, comment(i_pub, "Held two"), &t).await;
    let k_held3 = ok_id(app, COMMENT, comment(i_pub, "Held three"), &t).await;
    ok(app, MODERATE, json!({ "m": false }), &o).await;
    ok(app, FOLLOW_USER, json!({ "u": owner }), &h).await;

    // Grumpy: a public collection and item, a comment on the owner's item, then a block of
    // the other user.
    let grumpy_coll = ok_id(
        app,
        CREATE_COLLECTION,
        coll("Grumpy shelf grumpymark", true),
        &g,
    )
    .await;
    let grumpy_item = ok_id(
        app,
        CREATE_ITEM,
        item(grumpy_coll, None, "Grumpy item grumpymark", true),
        &g,
    )
    .await;
    let k_grumpy = ok_id(app, COMMENT, comment(i_pub, "Grumpy says hi"), &g).await;
    ok(app, BLOCK, json!({ "u": other, "r": "noisy" }), &g).await;

    // Likes: the owner's of their private item and private comment, the other user's of a
    // public item (notifying the owner) and of the private item (as if it were public then).
    let like = |t: &str, id: Uuid| json!({ "t": t, "id": id });
    let like_priv = ok_id(app, LIKE, like("BOBBLEHEAD", i_priv), &o).await;
    let like_comment_priv = ok_id(app, LIKE, like("COMMENT", k_priv), &o).await;
    let like_other_pub = ok_id(app, LIKE, like("BOBBLEHEAD", i_pub), &t).await;
    let like_other_priv = Uuid::new_v4();
    entity::head_shakers::likes::ActiveModel {
        id: Set(like_other_priv),
        user_id: Set(other),
        target_type: Set(en::LikeTargetType::Bobblehead),
        target_id: Set(i_priv),
        created_at: Set(Some(at("2026-01-01T00:00:00"))),
        updated_at: Set(Some(at("2026-01-01T00:00:00"))),
    }
    .insert(db)
    .await
    .unwrap_or_else(|e| panic!("insert like: {e}"));

    // Follows are public rows; their targets are not: the other user follows the private
    // collection and the hermit (both before they became invisible).
    let follow_other_priv = follow_row(db, other, owner, Some(c_priv)).await;
    let follow_other_hermit = follow_row(db, other, hermit, None).await;

    // The owner's personal records.
    let notify_settings = Uuid::new_v4();
    notification_settings::ActiveModel {
        id: Set(notify_settings),
        user_id: Set(owner),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap_or_else(|e| panic!("insert notification settings: {e}"));
    let session = Uuid::new_v4();
    user_sessions::ActiveModel {
        id: Set(session),
        user_id: Set(owner),
        session_token: Set(Uuid::new_v4().to_string()),
        device_info: Set(Some(json!({ "device": keep(secret("device")) }))),
        ip_address: Set(None),
        user_agent: Set(None),
        is_active: Set(true),
        last_activity_at: Set(None),
        expires_at: Set(at("2030-01-01T00:00:00")),
        created_at: Set(at("2026-01-01T00:00:00")),
        updated_at: Set(at("2026-01-01T00:00:00")),
    }
    .insert(db)
    .await
    .unwrap_or_else(|e| panic!("insert session: {e}"));
    let login = Uuid::new_v4();
    login_history::ActiveModel {
        id: Set(login),
        user_id: Set(owner),
        login_method: Set(Some("password".into())),
        is_successful: Set(false),
        failure_reason: Set(Some(keep(secret("login")))),
        ip_address: Set(None),
        user_agent: Set(None),
        device_info: Set(None),
        login_at: Set(at("2026-01-01T00:00:00")),
    }
    .insert(db)
    .await
    .unwrap_or_else(|e| panic!("insert login: {e}"));
    let activity = Uuid::new_v4();
    user_activity::ActiveModel {
        id: Set(activity),
        user_id: Set(owner),
        action_type: Set("bobblehead_created".into()),
        target_type: Set(Some("bobblehead".into())),
        target_id: Set(Some(i_priv)),
        metadata: Set(Some(json!({ "note": keep(secret("activity")) }))),
        ip_address: Set(None),
        user_agent: Set(None),
        created_at: Set(at("2026-01-01T00:00:00")),
    }
    .insert(db)
    .await
    .unwrap_or_else(|e| panic!("insert activity: {e}"));
    let block = ok_id(
        app,
        BLOCK,
        json!({ "u": victim, "r": keep(secret("block")) }),
        &o,
    )
    .await;
    let view = Uuid::new_v4();
    content_views::ActiveModel {
        id: Set(view),
        viewer_id: Set(Some(owner)),
        target_type: Set(en::ContentViewsTargetType::Bobblehead),
        target_id: Set(i_priv),
        ip_address: Set(None),
        user_agent: Set(None),
        referrer_url: Set(Some(keep(secret("referrer")))),
        view_duration: Set(Some(3)),
        viewed_at: Set(Some(at("2026-01-01T00:00:00"))),
    }
    .insert(db)
    .await
    .unwrap_or_else(|e| panic!("insert view: {e}"));
    let search = Uuid::new_v4();
    search_queries::ActiveModel {
        id: Set(search),
        user_id: Set(Some(owner)),
        query: Set(keep(secret("query"))),
        searched_at: Set(Some(at("2026-01-01T00:00:00"))),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap_or_else(|e| panic!("insert search: {e}"));
    let notification = ok(
        app,
        r#"{ headShakers { notifications(first: 1, where: { type: { eq: LIKE } }) { nodes { rowId } } } }"#,
        json!({}),
        &o,
    )
    .await["nodes"][0]["rowId"]
        .as_str()
        .and_then(|s| Uuid::parse_str(s).ok())
        .unwrap_or_else(|| panic!("the owner was not notified of the like"));

    // The other user's own records pointing at what became invisible to them.
    let other_coll = ok_id(app, CREATE_COLLECTION, coll("Other shelf", true), &t).await;
    let other_view = Uuid::new_v4();
    content_views::ActiveModel {
        id: Set(other_view),
        viewer_id: Set(Some(other)),
        target_type: Set(en::ContentViewsTargetType::Collection),
        target_id: Set(c_priv),
        ip_address: Set(None),
        user_agent: Set(None),
        referrer_url: Set(None),
        view_duration: Set(None),
        viewed_at: Set(Some(at("2026-01-01T00:00:00"))),
    }
    .insert(db)
    .await
    .unwrap_or_else(|e| panic!("insert view: {e}"));
    let other_search = Uuid::new_v4();
    search_queries::ActiveModel {
        id: Set(other_search),
        user_id: Set(Some(other)),
        query: Set("item".into()),
        clicked_result_id: Set(Some(i_priv)),
        clicked_result_type: Set(Some(en::ResultType::Bobblehead)),
        searched_at: Set(Some(at("2026-01-01T00:00:00"))),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap_or_else(|e| panic!("insert search: {e}"));
    let other_notification = Uuid::new_v4();
    notifications::ActiveModel {
        id: Set(other_notification),
        user_id: Set(other),
        r#type: Set(en::NotificationType::FollowingUpdate),
        title: Set("A collection you follow changed".into()),
        related_type: Set(Some(en::NotificationRelatedType::Collection)),
        related_id: Set(Some(c_priv)),
        related_user_id: Set(Some(owner)),
        is_read: Set(false),
        is_email_sent: Set(false),
        created_at: Set(Some(at("2026-01-01T00:00:00"))),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap_or_else(|e| panic!("insert notification: {e}"));
    let other_report = Uuid::new_v4();
    content_reports::ActiveModel {
        id: Set(other_report),
        reporter_id: Set(Some(other)),
        target_type: Set(en::ContentReportTargetType::Bobblehead),
        target_id: Set(i_priv),
        reason: Set(en::ContentReportReason::Spam),
        description: Set(Some("looked odd".into())),
        status: Set(Some(en::ContentReportStatus::Pending)),
        created_at: Set(Some(at("2026-01-01T00:00:00"))),
        updated_at: Set(Some(at("2026-01-01T00:00:00"))),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap_or_else(|e| panic!("insert report: {e}"));
    // The owner reports the other user's collection: readable by the owner and admins only.
    let report = ok_id(
        app,
        REPORT,
        json!({ "t": "COLLECTION", "id": other_coll, "d": keep(secret("report")) }),
        &o,
    )
    .await;

    // Admin content: features of a private collection, a public item and the hermit; public
    // and non-public platform settings.
    let feature = |t: &str, id: Uuid, title: &str| json!({ "t": t, "id": id, "title": title });
    let feat_priv = ok_id(
        app,
        FEATURE,
        feature("COLLECTION", c_priv, "Curated shelf"),
        &a,
    )
    .await;
    let feat_pub = ok_id(app, FEATURE, feature("BOBBLEHEAD", i_pub, "Pick"), &a).await;
    let feat_hermit = ok_id(app, FEATURE, feature("USER", hermit, "Collector"), &a).await;
    let feat_delme = ok_id(app, FEATURE, feature("BOBBLEHEAD", i_pub, "Old"), &a).await;
    let ps_pub = ok_id(
        app,
        SET_SETTING,
        json!({ "k": "max_items", "v": "500", "p": true }),
        &a,
    )
    .await;
    let ps_priv = ok_id(
        app,
        SET_SETTING,
        json!({ "k": keep(secret("key")), "v": keep(secret("value")) }),
        &a,
    )
    .await;

    // Soft-deleted last, so its photo was added while it was live.
    ok(app, DELETE_ITEM, json!({ "id": i_del }), &o).await;

    let tokens = vec![
        (Anonymous, None),
        // A token of another source naming the owner's uuid is nobody here.
        (Foreign, Some(app.token("usegemz", &owner.to_string()))),
        (Owner, Some(o)),
        (Other, Some(t)),
        (Moderator, Some(tok(moderator))),
        (Admin, Some(a)),
    ];
    let fx = Fx {
        owner,
        other,
        hermit,
        selective,
        gone,
        victim,
        grumpy_coll,
        grumpy_item,
        other_coll,
        c_pub,
        c_priv,
        c_del,
        c_move,
        c_reorder,
        s_pub,
        s_priv,
        s_delme,
        r1,
        r2,
        i_pub,
        i_in_priv_sub,
        i_priv,
        i_in_priv_coll,
        i_del,
        i_move,
        i_photos,
        i_delme,
        p_pub,
        p_priv,
        p_del,
        p_delme,
        p1,
        p2,
        tag,
        tag2,
        tag_delme,
        link_priv,
        k_pub,
        k_priv,
        k_del,
        k_delme1,
        k_delme2,
        k_hermit,
        k_held1,
        k_held2,
        k_held3,
        k_grumpy,
        like_priv,
        like_comment_priv,
        like_other_pub,
        like_other_priv,
        follow_other_priv,
        follow_other_hermit,
        settings,
        notify_settings,
        session,
        login,
        activity,
        block,
        view,
        other_view,
        search,
        other_search,
        notification,
        other_notification,
        report,
        other_report,
        feat_priv,
        feat_pub,
        feat_hermit,
        feat_delme,
        ps_pub,
        ps_priv,
    };
    (fx, tokens, secrets)
}

/// The read cases: every query field, on public rows, private rows, and the paths around them.
fn reads(f: &Fx) -> Vec<Case> {
    let like_t = like_target();
    let all_t = every_target();
    let view_t = view_target();
    let follow_t = on(&["User", "Collection"]);
    let comment_t = on(&["Bobblehead", "Collection"]);
    vec![
        // The viewer's own account, for every signed-in user; nothing otherwise.
        Case::new("viewer", "{ headShakers { viewer { rowId } } }", json!({}))
            .then(Anonymous, Nothing)
            .then(Foreign, Nothing)
            .then(Other, Allowed)
            .then(Moderator, Allowed)
            .then(Admin, Allowed)
            .then(Owner, Allowed),
        // Search sees what the viewer may see: private items and items of private collections
        // (all named `privmark`) only for their owner and admins; the count too.
        Case::new(
            "searchBobbleheads",
            r#"{ headShakers { searchBobbleheads(query: "privmark") { totalCount } } }"#,
            json!({}),
        )
        .private(),
        Case::new(
            "searchBobbleheads",
            r#"{ headShakers { searchBobbleheads(query: "pubmark") { totalCount nodes { name subCollection { name } collection { name } owner { email location } } } } }"#,
            json!({}),
        )
        .public(),
        Case::new(
            "searchBobbleheads",
            r#"{ headShakers { searchBobbleheads(query: "grumpymark") { totalCount } } }"#,
            json!({}),
        )
        .blocked_for_other(),
        // Collection search covers public collections only, whoever asks.
        Case::new(
            "searchCollections",
            r#"{ headShakers { searchCollections(query: "privmark") { totalCount } } }"#,
            json!({}),
        )
        .nobody(),
        Case::new(
            "searchCollections",
            r#"{ headShakers { searchCollections(query: "pubmark") { totalCount nodes { name owner { email location } bobbleheads { nodes { name } } subCollections { nodes { name } } } } } }"#,
            json!({}),
        )
        .public(),
        Case::new(
            "searchCollections",
            r#"{ headShakers { searchCollections(query: "grumpymark") { totalCount } } }"#,
            json!({}),
        )
        .blocked_for_other(),
        // Profiles: everything a user owns hangs off their profile; none of the owner's
        // personal records or private content may surface under it.
        Case::new(
            "users",
            format!(
                r#"{{ headShakers {{ users(first: 50) {{ totalCount nodes {{
                    rowId displayName email location lastActiveAt
                    settings {{ timezone }} notificationSettings {{ rowId }}
                    sessions {{ totalCount nodes {{ deviceInfo }} }}
                    loginHistory {{ totalCount nodes {{ failureReason }} }}
                    activities {{ totalCount nodes {{ metadata }} }}
                    blocksMade {{ totalCount nodes {{ reason }} }}
                    blocksReceived {{ totalCount nodes {{ reason }} }}
                    likes {{ totalCount nodes {{ target {{ {like_t} }} }} }}
                    comments {{ totalCount nodes {{ content }} }}
                    contentViews {{ totalCount nodes {{ referrerUrl }} }}
                    searchQueries {{ totalCount nodes {{ query }} }}
                    notifications {{ totalCount nodes {{ title }} }}
                    filedReports {{ totalCount nodes {{ description }} }}
                    collections {{ totalCount nodes {{ name }} }}
                    bobbleheads {{ totalCount nodes {{ name }} }}
                    followerEdges {{ nodes {{ follower {{ displayName }} }} }}
                }} }} }} }}"#
            ),
            json!({}),
        )
        .public(),
        // The hermit's private profile and the soft-deleted user: admins see the hermit,
        // nobody the deleted user.
        list(
            "users",
            json!({ "rowId": { "in": [f.hermit, f.gone] } }),
            "totalCount",
        )
        .admins(),
        lookup("user", f.owner, "email location settings { timezone }").public(),
        lookup("user", f.hermit, "displayName").admins(),
        // Followers-only: the other user follows the selective user; the owner does not.
        lookup("user", f.selective, "rowId")
            .then(Anonymous, Nothing)
            .then(Foreign, Nothing)
            .then(Owner, Nothing)
            .then(Other, Allowed)
            .then(Admin, Allowed),
        lookup("user", f.gone, "displayName").nobody(),
        lookup("user", f.victim, "rowId").public(),
        // Personal records: the owner's and admins' alone.
        by("userSettings", "userId", f.owner, "totalCount")
        .private(),
        lookup("userSetting", f.settings, "timezone user { email }").private(),
        by("notificationSettings", "userId", f.owner, "totalCount")
        .private(),
        lookup("notificationSetting", f.notify_settings, "digestFrequency").private(),
        by("userSessions", "userId", f.owner, "totalCount")
        .private(),
        lookup("userSession", f.session, "deviceInfo").private(),
        by("loginHistoryEntries", "userId", f.owner, "totalCount")
        .private(),
        lookup("loginHistoryEntry", f.login, "failureReason").private(),
        by("userActivities", "userId", f.owner, "totalCount")
        .private(),
        lookup("userActivity", f.activity, "metadata").private(),
        by("userBlocks", "blockerId", f.owner, "totalCount")
        .private(),
        // A block is the blocker's: the blocked user does not see grumpy's block of them.
        by("userBlocks", "blockedId", f.other, "totalCount")
        .admins(),
        lookup("userBlock", f.block, "reason blocked { rowId }").private(),
        // Collections.
        by("collections", "rowId", f.c_priv, "totalCount")
        .private(),
        by(
            "collections",
            "userId",
            f.owner,
            "totalCount nodes { name description subCollections { totalCount nodes { name } }
             bobbleheads { totalCount nodes { name } } comments { nodes { content } } }",
        )
        .public(),
        list(
            "collections",
            json!({ "userId": { "in": [f.owner, f.other] }, "isPublic": { "eq": false } }),
            "totalCount",
        )
        .private(),
        by("collections", "rowId", f.grumpy_coll, "totalCount")
        .blocked_for_other(),
        lookup("collection", f.c_priv, "name").private(),
        lookup(
            "collection",
            f.c_pub,
            "name owner { email location }
             subCollections { totalCount nodes { name bobbleheads { nodes { name } } } }
             bobbleheads { totalCount nodes {
                name subCollection { name } photos { nodes { caption } }
                tagLinks { nodes { tag { name } } }
                comments { nodes { content author { displayName } } }
                likes { nodes { user { displayName } } }
             } }",
        )
        .public(),
        lookup("collection", f.grumpy_coll, "name").blocked_for_other(),
        // Sub-collections: a private one of a public collection.
        by("subCollections", "rowId", f.s_priv, "totalCount")
        .private(),
        lookup("subCollection", f.s_priv, "name").private(),
        lookup(
            "subCollection",
            f.s_pub,
            "name collection { name } bobbleheads { nodes { name } }",
        )
        .public(),
        // Tags are public; their links to private items are not.
        by(
            "tags",
            "userId",
            f.owner,
            "nodes { name bobbleheadLinks { totalCount nodes { bobblehead { name } } } }",
        )
        .public(),
        lookup(
            "tag",
            f.tag,
            "name bobbleheadLinks { nodes { bobblehead { name } } }",
        )
        .public(),
        // Bobbleheads: private, in a private collection, soft-deleted, in a private
        // sub-collection.
        list(
            "bobbleheads",
            json!({ "rowId": { "in": [f.i_priv, f.i_in_priv_coll] } }),
            "totalCount",
        )
        .private(),
        by("bobbleheads", "rowId", f.i_del, "totalCount")
        .nobody(),
        by(
            "bobbleheads",
            "userId",
            f.owner,
            "totalCount nodes { name collection { name } subCollection { name } }",
        )
        .public(),
        lookup("bobblehead", f.i_priv, "name").private(),
        lookup("bobblehead", f.i_in_priv_coll, "name").private(),
        lookup("bobblehead", f.i_del, "name").nobody(),
        lookup(
            "bobblehead",
            f.i_in_priv_sub,
            "name subCollection { name } collection { name }",
        )
        .public(),
        lookup("bobblehead", f.grumpy_item, "name").blocked_for_other(),
        // Photos and tag links follow their bobblehead.
        by("bobbleheadPhotos", "bobbleheadId", f.i_priv, "totalCount")
        .private(),
        lookup("bobbleheadPhoto", f.p_priv, "caption bobblehead { name }").private(),
        lookup("bobbleheadPhoto", f.p_del, "caption").nobody(),
        lookup("bobbleheadPhoto", f.p_pub, "caption").public(),
        by("bobbleheadTags", "bobbleheadId", f.i_priv, "totalCount")
        .private(),
        lookup("bobbleheadTag", f.link_priv, "bobblehead { name }").private(),
        // Follows are public rows; a target the viewer may not see reads null.
        by(
            "follows",
            "followerId",
            f.other,
            &format!("nodes {{ followType target {{ {follow_t} }} following {{ displayName }} }}"),
        )
        .public(),
        by("follows", "followingId", f.owner, "nodes { follower { displayName } }")
        .public(),
        lookup(
            "follow",
            f.follow_other_priv,
            &format!("followType target {{ {follow_t} }}"),
        )
        .public(),
        lookup(
            "follow",
            f.follow_other_hermit,
            &format!("target {{ {follow_t} }} following {{ displayName }}"),
        )
        .public(),
        // Likes follow their target (bobblehead, collection or comment).
        by("likes", "targetId", f.i_priv, "totalCount")
        .private(),
        by("likes", "userId", f.owner, &format!("totalCount nodes {{ target {{ {like_t} }} }}"))
        .private(),
        by("likes", "userId", f.other, &format!("totalCount nodes {{ target {{ {like_t} }} }}"))
        .public(),
        lookup("like", f.like_priv, &format!("target {{ {like_t} }}")).private(),
        // A like of the owner's comment on their private item.
        lookup(
            "like",
            f.like_comment_priv,
            &format!("target {{ {like_t} }}"),
        )
        .private(),
        lookup("like", f.like_other_pub, &format!("target {{ {like_t} }}")).public(),
        // The other user's like of an item that became private hides with it, from them too;
        // the item's owner sees who liked it.
        lookup("like", f.like_other_priv, &format!("target {{ {like_t} }}")).private(),
        // Comments.
        by("comments", "rowId", f.k_priv, "totalCount")
        .private(),
        by("comments", "rowId", f.k_del, "totalCount")
        .nobody(),
        by(
            "comments",
            "targetId",
            f.i_pub,
            &format!("nodes {{ content author {{ displayName }} target {{ {comment_t} }} }}"),
        )
        .public(),
        lookup("comment", f.k_priv, "content").private(),
        lookup("comment", f.k_del, "content").nobody(),
        lookup("comment", f.k_grumpy, "content").blocked_for_other(),
        // The hermit's comment is public; its author (a private profile) is not.
        lookup("comment", f.k_hermit, "content author { displayName }").public(),
        // Views, searches, notifications and reports: their owner's (and admins').
        by("contentViews", "viewerId", f.owner, "totalCount")
        .private(),
        by(
            "contentViews",
            "viewerId",
            f.other,
            &format!("nodes {{ target {{ {view_t} }} }}"),
        )
        .others_own(),
        lookup(
            "contentView",
            f.view,
            &format!("referrerUrl target {{ {view_t} }}"),
        )
        .private(),
        // The other user's view of what became private: theirs, its target null.
        lookup("contentView", f.other_view, &format!("target {{ {view_t} }}")).others_own(),
        by("searchQueries", "userId", f.owner, "totalCount")
        .private(),
        lookup("searchQuery", f.search, "query").private(),
        lookup(
            "searchQuery",
            f.other_search,
            &format!("query clickedResult {{ {view_t} }}"),
        )
        .others_own(),
        // Featured entries are public; featured content the viewer may not see reads null.
        Case::new(
            "featuredContentItems",
            format!(
                "{{ headShakers {{ featuredContentItems(first: 50) {{ totalCount nodes {{ title content {{ {} }} curator {{ rowId }} }} }} }} }}",
                on(&["Bobblehead", "Collection", "SubCollection", "User"])
            ),
            json!({}),
        )
        .public(),
        lookup(
            "featuredContentItem",
            f.feat_priv,
            &format!("title content {{ {view_t} }}"),
        )
        .public(),
        lookup(
            "featuredContentItem",
            f.feat_hermit,
            &format!("title content {{ {view_t} }}"),
        )
        .public(),
        lookup("featuredContentItem", f.feat_pub, "title").public(),
        by("notifications", "userId", f.owner, "totalCount")
        .private(),
        lookup(
            "notification",
            f.notification,
            &format!("title related {{ {all_t} }} relatedUser {{ rowId }}"),
        )
        .private(),
        lookup(
            "notification",
            f.other_notification,
            &format!("title related {{ {all_t} }}"),
        )
        .others_own(),
        // Platform settings: public entries for everyone, the rest for admins.
        list(
            "platformSettings",
            json!({ "isPublic": { "eq": false } }),
            "totalCount",
        )
        .admins(),
        list(
            "platformSettings",
            json!({}),
            "totalCount nodes { key value }",
        )
        .public(),
        lookup("platformSetting", f.ps_priv, "key value").admins(),
        lookup("platformSetting", f.ps_pub, "key value").public(),
        // Reports: the reporter's, and moderators' and admins', who resolve them — not the
        // reported user's.
        by("contentReports", "reporterId", f.owner, "totalCount")
        .moderated(),
        lookup(
            "contentReport",
            f.report,
            "description target { __typename }",
        )
        .moderated(),
        lookup(
            "contentReport",
            f.other_report,
            &format!("description target {{ {all_t} }}"),
        )
        .then(Anonymous, Nothing)
        .then(Foreign, Nothing)
        .then(Owner, Nothing)
        .then(Moderator, Allowed)
        .then(Other, Allowed)
        .then(Admin, Allowed),
    ]
}

/// The write cases: refused viewers first, the allowed one last; destructive writes on rows of
/// their own.
fn writes(f: &Fx) -> Vec<Case> {
    let id = |x: Uuid| json!({ "id": x });
    let target = |kind: &str, x: Uuid| json!({ "t": kind, "id": x });
    const LIKE_W: (&str, &str) = (
        "($t: HeadShakersLikeTargetType!, $id: UUID!)",
        "(targetType: $t, targetId: $id)",
    );
    const COMMENT_W: (&str, &str) = (
        "($id: UUID!)",
        r#"(targetType: BOBBLEHEAD, targetId: $id, content: "hello")"#,
    );
    const VIEW_W: (&str, &str) = (
        "($t: HeadShakersContentViewsTargetType!, $id: UUID!)",
        "(targetType: $t, targetId: $id)",
    );
    const EDIT_W: (&str, &str) = ("($id: UUID!)", r#"(id: $id, content: "edited")"#);
    const BY_ID: (&str, &str) = ("($id: UUID!)", "(id: $id)");
    const USER_W: (&str, &str) = ("($u: UUID!)", "(userId: $u)");
    const COLL_W: (&str, &str) = ("($c: UUID!)", "(collectionId: $c)");
    const NEW_SUB: (&str, &str) = ("($c: UUID!)", r#"(collectionId: $c, name: "New sub")"#);
    const NEW_ITEM: (&str, &str) = (
        "($c: UUID!, $s: UUID)",
        r#"(collectionId: $c, subCollectionId: $s, name: "Newcomer")"#,
    );
    const DESCRIBE: (&str, &str) = ("($id: UUID!)", r#"(id: $id, description: "changed")"#);
    const PUBLISH: (&str, &str) = ("($id: UUID!)", "(id: $id, isPublic: true)");
    const MOVE_W: (&str, &str) = ("($id: UUID!, $c: UUID!)", "(id: $id, collectionId: $c)");
    const REORDER_SUBS: (&str, &str) = (
        "($c: UUID!, $ids: [UUID!]!)",
        "(collectionId: $c, ids: $ids)",
    );
    const PHOTO_W: (&str, &str) = (
        "($b: UUID!)",
        r#"(bobbleheadId: $b, url: "https://img.example/new.jpg")"#,
    );
    const REORDER_PHOTOS: (&str, &str) = (
        "($b: UUID!, $ids: [UUID!]!)",
        "(bobbleheadId: $b, ids: $ids)",
    );
    const TAG_W: (&str, &str) = ("($b: UUID!, $t: UUID!)", "(bobbleheadId: $b, tagId: $t)");
    const REPORT_W: (&str, &str) = (
        "($t: HeadShakersContentReportTargetType!, $id: UUID!)",
        "(targetType: $t, targetId: $id, reason: SPAM)",
    );
    let w = |field: &'static str, (params, args): (&str, &str), sel: &str, vars: Value| {
        write(field, params, args, sel, vars)
    };
    vec![
        // Likes, comments, follows, blocks: a signed-in user's, on what they may see; a block
        // by the content's owner is FORBIDDEN.
        w("like", LIKE_W, "{ rowId }", target("BOBBLEHEAD", f.i_priv))
            .unseen()
            .then(Foreign, UNAUTH)
            .then(Admin, Allowed)
            .then(Owner, Allowed),
        // A comment on a private item is private with it.
        w("like", LIKE_W, "{ rowId }", target("COMMENT", f.k_priv))
            .unseen()
            .then(Owner, Allowed),
        w(
            "like",
            LIKE_W,
            "{ rowId }",
            target("BOBBLEHEAD", f.grumpy_item),
        )
        .then(Other, DENIED)
        .then(Owner, Allowed),
        w(
            "unlike",
            LIKE_W,
            "{ deletedId }",
            target("BOBBLEHEAD", f.i_pub),
        )
        .signed_in(),
        w("addComment", COMMENT_W, "{ rowId content }", id(f.i_priv))
            .unseen()
            .then(Foreign, UNAUTH)
            .then(Owner, Allowed),
        w("addComment", COMMENT_W, "{ rowId }", id(f.grumpy_item))
            .then(Other, DENIED)
            .then(Owner, Allowed),
        w(
            "addComment",
            COMMENT_W,
            "{ rowId target { __typename } }",
            id(f.i_pub),
        )
        .signed_in(),
        // Only its author edits a comment, admins included.
        w("editComment", EDIT_W, "{ content }", id(f.k_pub)).owner_only(),
        // A comment on a private item does not exist for the other user.
        w("editComment", EDIT_W, "{ content }", id(f.k_priv)).unseen(),
        w("deleteComment", BY_ID, "{ deletedId }", id(f.k_priv)).unseen(),
        w("deleteComment", BY_ID, "{ deletedId }", id(f.k_delme1))
            .then(Anonymous, UNAUTH)
            .then(Foreign, UNAUTH)
            .then(Other, DENIED)
            .then(Moderator, DENIED)
            .then(Owner, Allowed),
        // Admins remove anyone's comment.
        w("deleteComment", BY_ID, "{ deletedId }", id(f.k_delme2))
            .then(Other, DENIED)
            .then(Admin, Allowed),
        // Held comments: their target's owner or a moderator decides, never their author.
        w(
            "approveComment",
            BY_ID,
            "{ rowId isApproved }",
            id(f.k_held1),
        )
        .then(Anonymous, UNAUTH)
        .then(Foreign, UNAUTH)
        .then(Other, DENIED)
        .then(Owner, Allowed),
        w("approveComment", BY_ID, "{ rowId }", id(f.k_held2))
            .then(Other, DENIED)
            .then(Moderator, Allowed),
        w("rejectComment", BY_ID, "{ deletedId }", id(f.k_held3))
            .then(Anonymous, UNAUTH)
            .then(Foreign, UNAUTH)
            .then(Other, DENIED)
            .then(Owner, Allowed),
        w(
            "follow",
            USER_W,
            "{ rowId target { __typename } }",
            json!({ "u": f.owner }),
        )
        .then(Anonymous, UNAUTH)
        .then(Foreign, UNAUTH)
        .then(Other, Allowed),
        w("follow", COLL_W, "{ rowId }", json!({ "c": f.c_priv })).unseen(),
        // A private profile cannot be followed into view; a deleted user is gone for admins too.
        w("follow", USER_W, "{ rowId }", json!({ "u": f.hermit }))
            .unseen()
            .then(Owner, HIDDEN),
        w("follow", USER_W, "{ rowId }", json!({ "u": f.gone }))
            .unseen()
            .then(Admin, HIDDEN),
        w("follow", COLL_W, "{ rowId }", json!({ "c": f.grumpy_coll }))
            .then(Other, DENIED)
            .then(Owner, Allowed),
        w("unfollow", USER_W, "{ deletedId }", json!({ "u": f.owner }))
            .then(Anonymous, UNAUTH)
            .then(Foreign, UNAUTH)
            .then(Other, Allowed),
        w(
            "blockUser",
            USER_W,
            "{ rowId blocked { rowId } }",
            json!({ "u": f.victim }),
        )
        .signed_in(),
        w(
            "unblockUser",
            USER_W,
            "{ deletedId }",
            json!({ "u": f.victim }),
        )
        .then(Anonymous, UNAUTH)
        .then(Foreign, UNAUTH)
        .then(Other, Allowed),
        // Views: anyone may record a view of what they see, anonymous viewers too.
        w(
            "recordView",
            VIEW_W,
            "{ target { __typename } }",
            target("BOBBLEHEAD", f.i_pub),
        )
        .public(),
        w(
            "recordView",
            VIEW_W,
            "{ target { __typename } }",
            target("BOBBLEHEAD", f.i_priv),
        )
        .then(Anonymous, HIDDEN)
        .then(Foreign, HIDDEN)
        .then(Other, HIDDEN)
        .then(Moderator, HIDDEN)
        .then(Admin, Allowed)
        .then(Owner, Allowed),
        w(
            "recordView",
            VIEW_W,
            "{ target { __typename } }",
            target("PROFILE", f.hermit),
        )
        .then(Anonymous, HIDDEN)
        .then(Other, HIDDEN)
        .then(Owner, HIDDEN),
        w(
            "recordView",
            VIEW_W,
            "{ target { __typename } }",
            target("BOBBLEHEAD", f.i_del),
        )
        .then(Anonymous, HIDDEN)
        .then(Owner, HIDDEN),
        // Notifications: their recipient's, not even an admin's to mark.
        w(
            "markNotificationRead",
            BY_ID,
            "{ isRead }",
            id(f.notification),
        )
        .unseen()
        .then(Foreign, UNAUTH)
        .then(Admin, HIDDEN)
        .then(Owner, Allowed),
        w("markAllNotificationsRead", ("", ""), "{ count }", json!({})).signed_in(),
        // The catalog: only its owner writes; admins read everything but change nothing of
        // others'; what the viewer cannot see is NOT_FOUND.
        w(
            "createCollection",
            ("", r#"(name: "Fresh")"#),
            "{ rowId }",
            json!({}),
        )
        .signed_in(),
        w("updateCollection", DESCRIBE, "{ rowId }", id(f.c_pub)).owner_only(),
        w("updateCollection", PUBLISH, "{ rowId }", id(f.c_priv))
            .unseen()
            .then(Admin, DENIED),
        w("deleteCollection", BY_ID, "{ deletedId }", id(f.c_priv))
            .unseen()
            .then(Admin, DENIED),
        w("deleteCollection", BY_ID, "{ deletedId }", id(f.c_del)).owner_only(),
        w(
            "createSubCollection",
            NEW_SUB,
            "{ rowId }",
            json!({ "c": f.c_pub }),
        )
        .owner_only(),
        w(
            "createSubCollection",
            NEW_SUB,
            "{ rowId }",
            json!({ "c": f.c_priv }),
        )
        .unseen(),
        w("updateSubCollection", DESCRIBE, "{ rowId }", id(f.s_pub)).owner_only(),
        w("updateSubCollection", PUBLISH, "{ rowId }", id(f.s_priv))
            .unseen()
            .then(Admin, DENIED),
        w(
            "reorderSubCollections",
            REORDER_SUBS,
            "{ rowId sortOrder }",
            json!({ "c": f.c_reorder, "ids": [f.r2, f.r1] }),
        )
        .owner_only(),
        w(
            "reorderSubCollections",
            REORDER_SUBS,
            "{ rowId }",
            json!({ "c": f.c_priv, "ids": [] }),
        )
        .unseen(),
        w("deleteSubCollection", BY_ID, "{ deletedId }", id(f.s_priv))
            .unseen()
            .then(Admin, DENIED),
        w("deleteSubCollection", BY_ID, "{ deletedId }", id(f.s_delme)).owner_only(),
        w(
            "createBobblehead",
            NEW_ITEM,
            "{ rowId }",
            json!({ "c": f.c_pub }),
        )
        .owner_only(),
        w(
            "createBobblehead",
            NEW_ITEM,
            "{ rowId }",
            json!({ "c": f.c_priv }),
        )
        .unseen(),
        // The other user cannot file their item into the owner's sub-collection either: one
        // not of their own does not exist for their writes, public …
        w(
            "createBobblehead",
            NEW_ITEM,
            "{ rowId }",
            json!({ "c": f.other_coll, "s": f.s_pub }),
        )
        .then(Other, HIDDEN),
        // … or private.
        w(
            "createBobblehead",
            NEW_ITEM,
            "{ rowId }",
            json!({ "c": f.other_coll, "s": f.s_priv }),
        )
        .then(Other, HIDDEN),
        w("updateBobblehead", DESCRIBE, "{ rowId }", id(f.i_pub)).owner_only(),
        w("updateBobblehead", PUBLISH, "{ rowId }", id(f.i_priv))
            .unseen()
            .then(Admin, DENIED),
        w(
            "moveBobblehead",
            MOVE_W,
            "{ rowId }",
            json!({ "id": f.i_move, "c": f.c_move }),
        )
        .owner_only(),
        w(
            "moveBobblehead",
            MOVE_W,
            "{ rowId }",
            json!({ "id": f.i_priv, "c": f.c_pub }),
        )
        .unseen(),
        w("deleteBobblehead", BY_ID, "{ deletedId }", id(f.i_priv))
            .unseen()
            .then(Admin, DENIED),
        w("deleteBobblehead", BY_ID, "{ deletedId }", id(f.i_delme)).owner_only(),
        // A live private item does not exist for the other user, restoring it included.
        w("restoreBobblehead", BY_ID, "{ rowId }", id(f.i_priv)).unseen(),
        // A soft-deleted item exists for its owner alone.
        w(
            "restoreBobblehead",
            BY_ID,
            "{ rowId isDeleted }",
            id(f.i_del),
        )
        .unseen()
        .then(Foreign, UNAUTH)
        .then(Admin, HIDDEN)
        .then(Owner, Allowed),
        w("addPhoto", PHOTO_W, "{ rowId }", json!({ "b": f.i_pub })).owner_only(),
        w("addPhoto", PHOTO_W, "{ rowId }", json!({ "b": f.i_priv })).unseen(),
        w("setPrimaryPhoto", BY_ID, "{ rowId isPrimary }", id(f.p_pub)).owner_only(),
        w("setPrimaryPhoto", BY_ID, "{ rowId }", id(f.p_priv)).unseen(),
        w(
            "reorderPhotos",
            REORDER_PHOTOS,
            "{ rowId sortOrder }",
            json!({ "b": f.i_photos, "ids": [f.p2, f.p1] }),
        )
        .owner_only(),
        w(
            "reorderPhotos",
            REORDER_PHOTOS,
            "{ rowId }",
            json!({ "b": f.i_priv, "ids": [f.p_priv] }),
        )
        .unseen(),
        w("deletePhoto", BY_ID, "{ deletedId }", id(f.p_priv)).unseen(),
        w("deletePhoto", BY_ID, "{ deletedId }", id(f.p_delme)).owner_only(),
        // Tags: anyone creates their own; only the owner changes or uses theirs.
        w(
            "createTag",
            ("", r#"(name: "fresh")"#),
            "{ rowId }",
            json!({}),
        )
        .signed_in(),
        w(
            "updateTag",
            ("($id: UUID!)", r##"(id: $id, color: "#00FF00")"##),
            "{ rowId color }",
            id(f.tag),
        )
        .owner_only(),
        w("deleteTag", BY_ID, "{ deletedId }", id(f.tag_delme)).owner_only(),
        w(
            "tagBobblehead",
            TAG_W,
            "{ rowId }",
            json!({ "b": f.i_pub, "t": f.tag2 }),
        )
        .owner_only(),
        w(
            "tagBobblehead",
            TAG_W,
            "{ rowId }",
            json!({ "b": f.i_priv, "t": f.tag }),
        )
        .unseen(),
        w(
            "untagBobblehead",
            TAG_W,
            "{ deletedId }",
            json!({ "b": f.i_priv, "t": f.tag }),
        )
        .unseen()
        .then(Admin, DENIED),
        w(
            "untagBobblehead",
            TAG_W,
            "{ deletedId }",
            json!({ "b": f.i_pub, "t": f.tag }),
        )
        .owner_only(),
        // The viewer's own profile and preferences: no argument names anyone else's.
        w(
            "updateProfile",
            ("", r#"(displayName: "Renamed")"#),
            "{ rowId displayName }",
            json!({}),
        )
        .signed_in(),
        w(
            "updateSettings",
            ("", "(theme: DARK)"),
            "{ rowId userId theme }",
            json!({}),
        )
        .signed_in(),
        w(
            "updateNotificationSettings",
            ("", "(digestFrequency: DAILY)"),
            "{ rowId userId digestFrequency }",
            json!({}),
        )
        .signed_in(),
        // Reports: of visible content only.
        w(
            "reportContent",
            REPORT_W,
            "{ rowId }",
            target("BOBBLEHEAD", f.i_priv),
        )
        .unseen()
        .then(Foreign, UNAUTH),
        w(
            "reportContent",
            REPORT_W,
            "{ rowId }",
            target("USER", f.hermit),
        )
        .unseen(),
        w(
            "reportContent",
            REPORT_W,
            "{ rowId target { __typename } }",
            target("BOBBLEHEAD", f.i_pub),
        )
        .then(Other, Allowed),
        // Moderation: moderators and admins, who read the report they resolved.
        w(
            "resolveReport",
            (
                "($id: UUID!)",
                r#"(id: $id, status: REVIEWED, moderatorNotes: "seen")"#,
            ),
            "{ rowId status }",
            id(f.report),
        )
        .then(Anonymous, UNAUTH)
        .then(Foreign, UNAUTH)
        .then(Owner, DENIED)
        .then(Other, DENIED)
        .then(Moderator, Allowed)
        .then(Admin, Allowed),
        // Curation and configuration: admins only (moderators neither).
        w(
            "createFeature",
            (
                "($id: UUID!)",
                "(contentType: BOBBLEHEAD, contentId: $id, featureType: TRENDING)",
            ),
            "{ rowId }",
            id(f.i_pub),
        )
        .admin_only(),
        w(
            "updateFeature",
            ("($id: UUID!)", r#"(id: $id, title: "Top pick")"#),
            "{ rowId title }",
            id(f.feat_pub),
        )
        .admin_only(),
        w("deleteFeature", BY_ID, "{ deletedId }", id(f.feat_delme)).admin_only(),
        w(
            "setPlatformSetting",
            ("", r#"(key: "max_items", value: "600", isPublic: true)"#),
            "{ rowId value }",
            json!({}),
        )
        .admin_only(),
    ]
}

/// The value at `path` under `data.headShakers` as `token` sees it.
async fn read(app: &TestApp, doc: &str, vars: Value, token: Option<&str>, path: &[&str]) -> Value {
    let r = app.gql(doc, vars, token).await;
    let mut v = &r.data()["headShakers"];
    for p in path {
        v = &v[*p];
    }
    v.clone()
}

/// Counts under a public parent, as each viewer must see them: the owner's profile, a public
/// collection, a public item, a tag. The matrix's nested selections prove secrets stay out;
/// these prove the counts leave the hidden rows out too.
async fn nested_counts(w: &World<'_>, f: &Fx) {
    let b = w.app.backend.name();
    let q = r#"query($u: UUID!, $c: UUID!, $i: UUID!, $t: UUID!) { headShakers {
        user(rowId: $u) {
            location settings { rowId } notificationSettings { rowId }
            collections { totalCount } bobbleheads { totalCount } likes { totalCount }
            comments { totalCount } sessions { totalCount } loginHistory { totalCount }
            activities { totalCount } blocksMade { totalCount } contentViews { totalCount }
            searchQueries { totalCount } notifications { totalCount } filedReports { totalCount }
        }
        collection(rowId: $c) { totalValue subCollections { totalCount } bobbleheads { totalCount } }
        bobblehead(rowId: $i) { comments { totalCount } }
        tag(rowId: $t) { bobbleheadLinks { totalCount } }
    } }"#;
    let vars = json!({ "u": f.owner, "c": f.c_pub, "i": f.i_pub, "t": f.tag });
    // (collections, bobbleheads, likes, comments, the personal records' count, sub-collections
    // and items of the public collection, comments on the public item, links of the tag).
    let public = (4, 5, 0, 3, 0, 2, 5, 5, 1);
    // The three held comments on the public item show to its owner, their author and
    // moderators only.
    let own = (5, 7, 2, 4, 1, 3, 6, 8, 2);
    for (who, want) in [
        (Anonymous, public),
        (Foreign, public),
        // Moderators read the reports the owner filed, nothing else personal.
        (Moderator, (4, 5, 0, 3, 1, 2, 5, 8, 1)),
        // Grumpy, who blocked the other user, commented on the public item.
        (Other, (4, 5, 0, 3, 0, 2, 5, 7, 1)),
        (Owner, own),
        (Admin, own),
    ] {
        let r = w.app.gql(q, vars.clone(), w.token_of(who)).await;
        let d = &r.data()["headShakers"];
        let u = &d["user"];
        let n = |v: &Value| v["totalCount"].as_i64().unwrap_or(-1);
        let got = (
            n(&u["collections"]),
            n(&u["bobbleheads"]),
            n(&u["likes"]),
            n(&u["comments"]),
            [
                "sessions",
                "loginHistory",
                "activities",
                "blocksMade",
                "contentViews",
                "searchQueries",
                "filedReports",
            ]
            .iter()
            .map(|k| n(&u[*k]))
            .max()
            .unwrap_or(-1),
            n(&d["collection"]["subCollections"]),
            n(&d["collection"]["bobbleheads"]),
            n(&d["bobblehead"]["comments"]),
            n(&d["tag"]["bobbleheadLinks"]),
        );
        assert_eq!(got, want, "{b} nested counts as {who:?}: {}", r.body);
        let mine = matches!(who, Owner | Admin);
        for hidden in ["location", "settings", "notificationSettings"] {
            assert_eq!(
                !u[hidden].is_null(),
                mine,
                "{b} user.{hidden} as {who:?}: {}",
                r.body
            );
        }
        assert_eq!(
            !d["collection"]["totalValue"].is_null(),
            mine,
            "{b} totalValue (show_collection_value off) as {who:?}"
        );
        let notes = n(&u["notifications"]);
        assert_eq!(notes > 0, mine, "{b} user.notifications as {who:?}");
    }
}

/// The Relay global id the gateway gives a row: `["Type", ["key"]]`, base64url.
fn global(type_name: &str, id: Uuid) -> String {
    URL_SAFE_NO_PAD.encode(json!([type_name, [id.to_string()]]).to_string())
}

/// The Relay global ids of private rows with the viewers who may fetch them.
async fn global_ids(app: &TestApp, f: &Fx, owner: &str) -> Vec<(String, &'static [Who])> {
    const MINE: &[Who] = &[Owner, Admin];
    const ADMINS: &[Who] = &[Admin];
    let mut out = Vec::new();
    for (field, id) in [
        ("collection", f.c_priv),
        ("subCollection", f.s_priv),
        ("bobblehead", f.i_priv),
        ("bobblehead", f.i_in_priv_coll),
        ("bobbleheadPhoto", f.p_priv),
        ("bobbleheadTag", f.link_priv),
        ("comment", f.k_priv),
        ("like", f.like_priv),
        ("userSetting", f.settings),
        ("notificationSetting", f.notify_settings),
        ("userSession", f.session),
        ("loginHistoryEntry", f.login),
        ("userActivity", f.activity),
        ("userBlock", f.block),
        ("contentView", f.view),
        ("searchQuery", f.search),
        ("notification", f.notification),
    ] {
        let doc = format!("query($id: UUID!) {{ headShakers {{ {field}(rowId: $id) {{ id }} }} }}");
        let g = read(app, &doc, json!({ "id": id }), Some(owner), &[field, "id"]).await;
        let g = g
            .as_str()
            .unwrap_or_else(|| panic!("{field} {id}: no global id for its owner"));
        out.push((g.to_owned(), MINE));
    }
    assert_eq!(
        out[0].0,
        global("HeadShakersCollection", f.c_priv),
        "global ids are built as the gateway builds them"
    );
    // The owner's report: also its moderators'.
    let doc = "query($id: UUID!) { headShakers { contentReport(rowId: $id) { id } } }";
    let g = read(
        app,
        doc,
        json!({ "id": f.report }),
        Some(owner),
        &["contentReport", "id"],
    )
    .await;
    let g = g
        .as_str()
        .unwrap_or_else(|| panic!("report {}: no global id for its owner", f.report));
    out.push((g.to_owned(), &[Owner, Admin, Moderator]));
    // A private profile and a non-public platform setting: admins only.
    out.push((global("HeadShakersUser", f.hermit), ADMINS));
    out.push((global("HeadShakersPlatformSetting", f.ps_priv), ADMINS));
    // Soft-deleted rows: nobody.
    out.push((global("HeadShakersUser", f.gone), &[]));
    out.push((global("HeadShakersComment", f.k_del), &[]));
    out
}

/// `node(id:)` and `nodes(ids:)` answer a private row to the viewers who may see it only.
async fn nodes_stay_private(w: &World<'_>, ids: &[(String, &'static [Who])]) {
    let b = w.app.backend.name();
    let q = r#"query($id: ID!) { node(id: $id) { id } nodes(ids: [$id]) { id } }"#;
    for (id, seers) in ids {
        for who in [Anonymous, Foreign, Other, Moderator, Owner, Admin] {
            let r = w.app.gql(q, json!({ "id": id }), w.token_of(who)).await;
            let d = r.data();
            let sees = seers.contains(&who);
            assert_eq!(
                d["node"]["id"].as_str() == Some(id.as_str()),
                sees,
                "{b} node({id}) as {who:?}: {}",
                r.body
            );
            let entries = d["nodes"].as_array().cloned().unwrap_or_default();
            assert_eq!(entries.len(), 1, "{b} nodes([{id}]) as {who:?}");
            let n = entries.iter().filter(|e| !e.is_null()).count();
            assert_eq!(n, usize::from(sees), "{b} nodes([{id}]) as {who:?}");
        }
    }
}

trait Tokens {
    fn token_of(&self, who: Who) -> Option<&str>;
}

impl Tokens for World<'_> {
    fn token_of(&self, who: Who) -> Option<&str> {
        self.tokens
            .iter()
            .find(|(w, _)| *w == who)
            .and_then(|(_, t)| t.as_deref())
    }
}

#[tokio::test]
async fn authorization_matrix() {
    for backend in backends() {
        let app = TestApp::spawn(&backend, Data::Empty).await;
        let (fx, tokens, secrets) = arrange(&app).await;
        let world = World {
            app: &app,
            namespace: "headShakers",
            query_type: "HeadShakersQuery",
            mutation_type: "HeadShakersMutation",
            tokens,
            secrets,
        };
        let owner = world.token_of(Owner).unwrap_or_default().to_owned();
        let ids = global_ids(&app, &fx, &owner).await;
        nested_counts(&world, &fx).await;

        let mut cases = reads(&fx);
        cases.extend(writes(&fx));
        authz::run(&world, &cases).await;

        nodes_stay_private(&world, &ids).await;
    }
}
