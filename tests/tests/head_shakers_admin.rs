//! Head Shakers profile, settings, moderation and administration writes end to end: happy
//! paths, the role matrix, input limits and error codes — on every backend.

use e2e::fixtures::{hs_bobblehead, hs_collection, hs_settings, hs_user};
use e2e::{Data, Reply, TestApp, backends};
use entity::head_shakers::{content_reports, users};
use migration::Database;
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use uuid::Uuid;

const PROFILE: &str = r#"mutation($u: String, $d: String, $b: String, $a: String, $l: String, $clear: [String!]) { headShakers { updateProfile(username: $u, displayName: $d, bio: $b, avatarUrl: $a, location: $l, clear: $clear) { rowId username displayName bio avatarUrl location lastActiveAt } } }"#;
const SETTINGS: &str = r#"mutation($v: HeadShakersPrivacyLevel, $c: HeadShakersCommentPermission, $t: HeadShakersTheme, $lang: String, $tz: String, $cur: String, $p: String, $loc: Boolean) { headShakers { updateSettings(profileVisibility: $v, allowComments: $c, theme: $t, language: $lang, timezone: $tz, currency: $cur, defaultItemPrivacy: $p, showLocation: $loc) { rowId userId profileVisibility allowComments allowDirectMessages theme language timezone currency defaultItemPrivacy showLocation showJoinDate } } }"#;
const NOTIFY: &str = r#"mutation($d: HeadShakersDigestFrequency, $likes: Boolean, $push: Boolean) { headShakers { updateNotificationSettings(digestFrequency: $d, inAppNewLikes: $likes, pushNewLikes: $push) { rowId userId digestFrequency inAppNewLikes pushNewLikes emailNewComments } } }"#;
const REPORT: &str = r#"mutation($t: HeadShakersContentReportTargetType!, $id: UUID!, $r: HeadShakersContentReportReason!, $d: String) { headShakers { reportContent(targetType: $t, targetId: $id, reason: $r, description: $d) { rowId status reason description reporter { rowId } target { __typename } } } }"#;
const RESOLVE: &str = r#"mutation($id: UUID!, $s: HeadShakersContentReportStatus!, $n: String) { headShakers { resolveReport(id: $id, status: $s, moderatorNotes: $n) { rowId status moderatorNotes resolvedAt moderator { rowId } } } }"#;
const CREATE_FEATURE: &str = r#"mutation($t: HeadShakersFeaturedContentType!, $id: UUID!, $f: HeadShakersFeatureType!, $title: String, $desc: String, $sort: Int, $start: DateTime, $end: DateTime) { headShakers { createFeature(contentType: $t, contentId: $id, featureType: $f, title: $title, description: $desc, sortOrder: $sort, startDate: $start, endDate: $end) { rowId contentType featureType title description sortOrder isActive startDate endDate curator { rowId } content { __typename } } } }"#;
const UPDATE_FEATURE: &str = r#"mutation($id: UUID!, $title: String, $active: Boolean, $end: DateTime, $clear: [String!]) { headShakers { updateFeature(id: $id, title: $title, isActive: $active, endDate: $end, clear: $clear) { rowId title description isActive sortOrder startDate endDate } } }"#;
const DELETE_FEATURE: &str =
    r#"mutation($id: UUID!) { headShakers { deleteFeature(id: $id) { deletedId } } }"#;
const SET_SETTING: &str = r#"mutation($k: String!, $v: String!, $t: HeadShakersValueType, $p: Boolean, $d: String) { headShakers { setPlatformSetting(key: $k, value: $v, valueType: $t, isPublic: $p, description: $d) { rowId key value valueType isPublic description updatedByUser { rowId } } } }"#;

struct World {
    app: TestApp,
    user: Uuid,
    other: Uuid,
    admin: Uuid,
    moderator: Uuid,
    item: Uuid,
    private_coll: Uuid,
    user_t: String,
    other_t: String,
    admin_t: String,
    mod_t: String,
}

async fn world(backend: &e2e::Backend) -> World {
    let app = TestApp::spawn(backend, Data::Empty).await;
    let db = app.db(Database::HeadShakers);
    let user = hs_user(db, 1).await;
    let other = hs_user(db, 2).await;
    let admin = hs_user(db, 3).await;
    let moderator = hs_user(db, 4).await;
    let coll = hs_collection(db, other, "Shelf", true).await;
    let private_coll = hs_collection(db, other, "Vault", false).await;
    let item = hs_bobblehead(db, other, coll, "Bobby", Some(10)).await;
    let user_t = app.token("head_shakers", &user.to_string());
    let other_t = app.token("head_shakers", &other.to_string());
    app.grant("head_shakers", &admin.to_string(), "admin").await;
    app.grant("head_shakers", &moderator.to_string(), "moderator")
        .await;
    let admin_t = app.token("head_shakers", &admin.to_string());
    let mod_t = app.token("head_shakers", &moderator.to_string());
    World {
        app,
        user,
        other,
        admin,
        moderator,
        item,
        private_coll,
        user_t,
        other_t,
        admin_t,
        mod_t,
    }
}

/// `(extensions.code, extensions.field)` of the first error.
fn err(r: &Reply) -> (Option<&str>, Option<&str>) {
    let ext = &r.body["errors"][0]["extensions"];
    (ext["code"].as_str(), ext["field"].as_str())
}

fn long(n: usize) -> String {
    "x".repeat(n)
}

fn hs<'a>(r: &'a Reply, field: &str) -> &'a Value {
    &r.data()["headShakers"][field]
}

#[tokio::test]
async fn profile_updates_touch_activity_and_respect_limits() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = backend.name();
        let t = Some(w.user_t.as_str());

        let r = w.app.gql(PROFILE, json!({ "d": "Anon" }), None).await;
        assert_eq!(err(&r).0, Some("UNAUTHENTICATED"), "{b}: {}", r.body);

        let vars = json!({ "u": "collector", "d": "The Collector", "b": "I collect.", "a": "https://img.example/a.png", "l": "Ohio" });
        let r = w.app.gql(PROFILE, vars, t).await;
        let p = hs(&r, "updateProfile");
        assert_eq!(p["rowId"], w.user.to_string(), "{b}");
        assert_eq!(p["username"], "collector", "{b}");
        assert_eq!(p["displayName"], "The Collector", "{b}");
        assert_eq!(p["bio"], "I collect.", "{b}");
        assert_eq!(p["avatarUrl"], "https://img.example/a.png", "{b}");
        assert_eq!(p["location"], "Ohio", "{b}");
        assert!(p["lastActiveAt"].is_string(), "{b}: last_active_at touched");

        // Left-out and null arguments keep their value; `clear` nulls a nullable one.
        let r = w.app.gql(PROFILE, json!({ "l": null }), t).await;
        assert_eq!(hs(&r, "updateProfile")["location"], "Ohio", "{b}");
        let r = w.app.gql(PROFILE, json!({ "clear": ["bio"] }), t).await;
        let p = hs(&r, "updateProfile");
        assert_eq!(p["bio"], Value::Null, "{b}");
        assert_eq!(p["location"], "Ohio", "{b}");
        assert_eq!(p["username"], "collector", "{b}");
        let r = w
            .app
            .gql(PROFILE, json!({ "clear": ["displayName"] }), t)
            .await;
        assert_eq!(err(&r), (Some("BAD_USER_INPUT"), Some("clear")), "{b}");
        let r = w
            .app
            .gql(PROFILE, json!({ "b": "x", "clear": ["bio"] }), t)
            .await;
        assert_eq!(err(&r), (Some("BAD_USER_INPUT"), Some("clear")), "{b}");

        // Someone else's username is taken.
        let r = w
            .app
            .gql(PROFILE, json!({ "u": "collector" }), Some(&w.other_t))
            .await;
        assert_eq!(err(&r).0, Some("CONFLICT"), "{b}: {}", r.body);

        for (var, field, max) in [
            ("u", "username", 50),
            ("d", "displayName", 100),
            ("b", "bio", 500),
            ("a", "avatarUrl", 100),
            ("l", "location", 100),
        ] {
            let r = w.app.gql(PROFILE, json!({ var: long(max + 1) }), t).await;
            assert_eq!(
                err(&r),
                (Some("BAD_USER_INPUT"), Some(field)),
                "{b}: {}",
                r.body
            );
            let r = w.app.gql(PROFILE, json!({ var: long(max) }), t).await;
            r.data();
        }
        for (var, field) in [("d", "displayName"), ("u", "username")] {
            let r = w.app.gql(PROFILE, json!({ var: "  " }), t).await;
            assert_eq!(err(&r), (Some("BAD_USER_INPUT"), Some(field)), "{b}");
        }
        let stored = users::Entity::find_by_id(w.user)
            .one(w.app.db(Database::HeadShakers))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("user"));
        assert_eq!(
            stored.display_name,
            long(100),
            "{b}: nothing of a rejected write"
        );
    }
}

#[tokio::test]
async fn settings_are_upserted_with_defaults() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = backend.name();
        let t = Some(w.user_t.as_str());

        let r = w.app.gql(SETTINGS, json!({ "t": "DARK" }), None).await;
        assert_eq!(err(&r).0, Some("UNAUTHENTICATED"), "{b}");

        // No row yet: created with the defaults plus the change.
        let r = w
            .app
            .gql(SETTINGS, json!({ "t": "DARK", "loc": true }), t)
            .await;
        let s = hs(&r, "updateSettings").clone();
        assert_eq!(s["userId"], w.user.to_string(), "{b}");
        assert_eq!(s["theme"], "DARK", "{b}");
        assert_eq!(s["showLocation"], true, "{b}");
        assert_eq!(s["showJoinDate"], true, "{b}: default");
        assert_eq!(s["allowDirectMessages"], "FOLLOWERS", "{b}: default");
        assert_eq!(s["profileVisibility"], "PUBLIC", "{b}: default");
        assert_eq!(s["language"], "en", "{b}: default");
        assert_eq!(s["defaultItemPrivacy"], "public", "{b}: default");

        // The same row changes.
        let vars = json!({ "v": "FOLLOWERS", "c": "NONE", "lang": "de", "tz": "Europe/Berlin", "cur": "EUR", "p": "private" });
        let r = w.app.gql(SETTINGS, vars, t).await;
        let s2 = hs(&r, "updateSettings");
        assert_eq!(s2["rowId"], s["rowId"], "{b}: one row per user");
        assert_eq!(s2["profileVisibility"], "FOLLOWERS", "{b}");
        assert_eq!(s2["allowComments"], "NONE", "{b}");
        assert_eq!(s2["theme"], "DARK", "{b}: kept");
        assert_eq!(s2["timezone"], "Europe/Berlin", "{b}");
        assert_eq!(s2["currency"], "EUR", "{b}");
        assert_eq!(s2["defaultItemPrivacy"], "private", "{b}");

        // An existing row (made elsewhere) is updated, not duplicated.
        let row = hs_settings(w.app.db(Database::HeadShakers), w.other).await;
        let r = w
            .app
            .gql(SETTINGS, json!({ "t": "SYSTEM" }), Some(&w.other_t))
            .await;
        assert_eq!(hs(&r, "updateSettings")["rowId"], row.to_string(), "{b}");

        for (var, field, max) in [
            ("lang", "language", 10),
            ("tz", "timezone", 50),
            ("cur", "currency", 10),
        ] {
            let r = w.app.gql(SETTINGS, json!({ var: long(max + 1) }), t).await;
            assert_eq!(
                err(&r),
                (Some("BAD_USER_INPUT"), Some(field)),
                "{b}: {}",
                r.body
            );
        }
        let r = w.app.gql(SETTINGS, json!({ "p": "secret" }), t).await;
        assert_eq!(
            err(&r),
            (Some("BAD_USER_INPUT"), Some("defaultItemPrivacy")),
            "{b}"
        );
        let r = w.app.gql(SETTINGS, json!({ "t": "NEON" }), t).await;
        assert!(r.body.get("errors").is_some(), "{b}: invalid enum");

        // Notification settings: created with defaults, then changed.
        let r = w.app.gql(NOTIFY, json!({ "d": "DAILY" }), None).await;
        assert_eq!(err(&r).0, Some("UNAUTHENTICATED"), "{b}");
        let r = w
            .app
            .gql(NOTIFY, json!({ "d": "DAILY", "likes": false }), t)
            .await;
        let n = hs(&r, "updateNotificationSettings").clone();
        assert_eq!(n["userId"], w.user.to_string(), "{b}");
        assert_eq!(n["digestFrequency"], "DAILY", "{b}");
        assert_eq!(n["inAppNewLikes"], false, "{b}");
        assert_eq!(n["pushNewLikes"], false, "{b}: default");
        assert_eq!(n["emailNewComments"], true, "{b}: default");
        let r = w.app.gql(NOTIFY, json!({ "push": true }), t).await;
        let n2 = hs(&r, "updateNotificationSettings");
        assert_eq!(n2["rowId"], n["rowId"], "{b}");
        assert_eq!(n2["pushNewLikes"], true, "{b}");
        assert_eq!(n2["digestFrequency"], "DAILY", "{b}: kept");
        assert_eq!(n2["inAppNewLikes"], false, "{b}: kept");
    }
}

#[tokio::test]
async fn reports_and_their_moderation() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = backend.name();
        let t = Some(w.user_t.as_str());
        let vars = |id: Uuid| json!({ "t": "BOBBLEHEAD", "id": id.to_string(), "r": "SPAM", "d": "buy now" });

        let r = w.app.gql(REPORT, vars(w.item), None).await;
        assert_eq!(err(&r).0, Some("UNAUTHENTICATED"), "{b}");

        let r = w.app.gql(REPORT, vars(w.item), t).await;
        let rep = hs(&r, "reportContent").clone();
        assert_eq!(rep["status"], "PENDING", "{b}");
        assert_eq!(rep["reason"], "SPAM", "{b}");
        assert_eq!(rep["reporter"]["rowId"], w.user.to_string(), "{b}");
        assert_eq!(rep["target"]["__typename"], "HeadShakersBobblehead", "{b}");
        let id = rep["rowId"].as_str().unwrap_or_default().to_owned();

        let r = w.app.gql(REPORT, vars(w.item), t).await;
        assert_eq!(err(&r).0, Some("CONFLICT"), "{b}: one pending report");
        let r = w.app.gql(REPORT, vars(w.item), Some(&w.admin_t)).await;
        hs(&r, "reportContent");

        let r = w.app.gql(REPORT, vars(Uuid::new_v4()), t).await;
        assert_eq!(err(&r).0, Some("NOT_FOUND"), "{b}");
        let hidden = json!({ "t": "COLLECTION", "id": w.private_coll.to_string(), "r": "OTHER" });
        let r = w.app.gql(REPORT, hidden, t).await;
        assert_eq!(err(&r).0, Some("NOT_FOUND"), "{b}: invisible target");
        let user =
            json!({ "t": "USER", "id": w.other.to_string(), "r": "HARASSMENT", "d": long(1001) });
        let r = w.app.gql(REPORT, user, t).await;
        assert_eq!(
            err(&r),
            (Some("BAD_USER_INPUT"), Some("description")),
            "{b}"
        );

        // Moderation: anonymous, plain users, then a moderator and an admin.
        let resolve = |s: &str| json!({ "id": id, "s": s, "n": "looked at it" });
        let r = w.app.gql(RESOLVE, resolve("REVIEWED"), None).await;
        assert_eq!(err(&r).0, Some("UNAUTHENTICATED"), "{b}");
        for token in [&w.user_t, &w.other_t] {
            let r = w.app.gql(RESOLVE, resolve("REVIEWED"), Some(token)).await;
            assert_eq!(err(&r).0, Some("FORBIDDEN"), "{b}");
        }
        let r = w
            .app
            .gql(RESOLVE, resolve("REVIEWED"), Some(&w.mod_t))
            .await;
        assert_eq!(
            hs(&r, "resolveReport")["status"],
            "REVIEWED",
            "{b}: moderators read the reports they resolve"
        );
        let stored = content_reports::Entity::find_by_id(
            Uuid::parse_str(&id).unwrap_or_else(|e| panic!("{e}")),
        )
        .one(w.app.db(Database::HeadShakers))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("report"));
        assert_eq!(stored.moderator_id, Some(w.moderator), "{b}");
        assert_eq!(
            stored.moderator_notes.as_deref(),
            Some("looked at it"),
            "{b}"
        );
        assert_eq!(stored.resolved_at, None, "{b}: reviewed is not resolved");

        let r = w
            .app
            .gql(RESOLVE, resolve("RESOLVED"), Some(&w.admin_t))
            .await;
        let done = hs(&r, "resolveReport");
        assert_eq!(done["status"], "RESOLVED", "{b}");
        assert!(done["resolvedAt"].is_string(), "{b}");
        assert_eq!(done["moderator"]["rowId"], w.admin.to_string(), "{b}");

        // The reporter sees the outcome, and may report again once nothing is pending.
        let r = w
            .app
            .gql(
                r#"query($id: UUID!) { headShakers { contentReport(rowId: $id) { status moderatorNotes } } }"#,
                json!({ "id": id }),
                t,
            )
            .await;
        assert_eq!(hs(&r, "contentReport")["status"], "RESOLVED", "{b}");
        let r = w.app.gql(REPORT, vars(w.item), t).await;
        assert_eq!(hs(&r, "reportContent")["status"], "PENDING", "{b}");

        let r = w
            .app
            .gql(RESOLVE, resolve("PENDING"), Some(&w.admin_t))
            .await;
        assert_eq!(err(&r), (Some("BAD_USER_INPUT"), Some("status")), "{b}");
        let r = w
            .app
            .gql(
                RESOLVE,
                json!({ "id": Uuid::new_v4().to_string(), "s": "DISMISSED" }),
                Some(&w.mod_t),
            )
            .await;
        assert_eq!(err(&r).0, Some("NOT_FOUND"), "{b}");
    }
}

#[tokio::test]
async fn featured_content_is_for_admins() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = backend.name();
        let a = Some(w.admin_t.as_str());
        let vars = json!({ "t": "BOBBLEHEAD", "id": w.item.to_string(), "f": "EDITOR_PICK", "title": "Pick", "desc": "Nice", "sort": 2, "start": "2026-01-01T00:00:00Z", "end": "2026-02-01T00:00:00Z" });

        let r = w.app.gql(CREATE_FEATURE, vars.clone(), None).await;
        assert_eq!(err(&r).0, Some("UNAUTHENTICATED"), "{b}");
        for token in [&w.user_t, &w.mod_t] {
            let r = w.app.gql(CREATE_FEATURE, vars.clone(), Some(token)).await;
            assert_eq!(err(&r).0, Some("FORBIDDEN"), "{b}");
        }
        let r = w.app.gql(CREATE_FEATURE, vars.clone(), a).await;
        let f = hs(&r, "createFeature").clone();
        assert_eq!(f["featureType"], "EDITOR_PICK", "{b}");
        assert_eq!(f["sortOrder"], 2, "{b}");
        assert_eq!(f["isActive"], true, "{b}: default");
        assert_eq!(f["curator"]["rowId"], w.admin.to_string(), "{b}");
        assert_eq!(f["content"]["__typename"], "HeadShakersBobblehead", "{b}");
        let id = f["rowId"].as_str().unwrap_or_default().to_owned();

        // A private collection exists for admins; unknown content does not.
        let mut v = vars.clone();
        v["t"] = json!("COLLECTION");
        v["id"] = json!(w.private_coll.to_string());
        hs(&w.app.gql(CREATE_FEATURE, v, a).await, "createFeature");
        let mut v = vars.clone();
        v["id"] = json!(Uuid::new_v4().to_string());
        let r = w.app.gql(CREATE_FEATURE, v, a).await;
        assert_eq!(err(&r).0, Some("NOT_FOUND"), "{b}");

        for (key, bad, field) in [
            ("title", json!(long(256)), "title"),
            ("sort", json!(-1), "sortOrder"),
            ("end", json!("2025-12-31T00:00:00Z"), "endDate"),
        ] {
            let mut v = vars.clone();
            v[key] = bad;
            let r = w.app.gql(CREATE_FEATURE, v, a).await;
            assert_eq!(
                err(&r),
                (Some("BAD_USER_INPUT"), Some(field)),
                "{b}: {}",
                r.body
            );
        }

        // Update: left-out arguments stay, `clear` nulls; the window is checked merged.
        let upd =
            json!({ "id": id, "title": "Top pick", "clear": ["description"], "active": false });
        let r = w
            .app
            .gql(UPDATE_FEATURE, upd.clone(), Some(&w.user_t))
            .await;
        assert_eq!(err(&r).0, Some("FORBIDDEN"), "{b}");
        let r = w.app.gql(UPDATE_FEATURE, upd, a).await;
        let u = hs(&r, "updateFeature");
        assert_eq!(u["title"], "Top pick", "{b}");
        assert_eq!(u["description"], Value::Null, "{b}");
        assert_eq!(u["isActive"], false, "{b}");
        assert_eq!(u["sortOrder"], 2, "{b}: kept");
        assert!(u["startDate"].is_string(), "{b}: kept");
        let r = w
            .app
            .gql(
                UPDATE_FEATURE,
                json!({ "id": id, "end": "2025-06-01T00:00:00Z" }),
                a,
            )
            .await;
        assert_eq!(err(&r), (Some("BAD_USER_INPUT"), Some("endDate")), "{b}");
        let r = w
            .app
            .gql(
                UPDATE_FEATURE,
                json!({ "id": id, "clear": ["startDate", "endDate"] }),
                a,
            )
            .await;
        assert_eq!(hs(&r, "updateFeature")["endDate"], Value::Null, "{b}");
        let r = w
            .app
            .gql(
                UPDATE_FEATURE,
                json!({ "id": Uuid::new_v4().to_string() }),
                a,
            )
            .await;
        assert_eq!(err(&r).0, Some("NOT_FOUND"), "{b}");

        let r = w
            .app
            .gql(DELETE_FEATURE, json!({ "id": id }), Some(&w.user_t))
            .await;
        assert_eq!(err(&r).0, Some("FORBIDDEN"), "{b}");
        let r = w.app.gql(DELETE_FEATURE, json!({ "id": id }), a).await;
        assert!(hs(&r, "deleteFeature")["deletedId"].is_string(), "{b}");
        let r = w.app.gql(DELETE_FEATURE, json!({ "id": id }), a).await;
        assert_eq!(err(&r).0, Some("NOT_FOUND"), "{b}");
    }
}

#[tokio::test]
async fn platform_settings_are_typed_and_for_admins() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = backend.name();
        let a = Some(w.admin_t.as_str());
        let set = |k: &str, v: &str, t: Option<&str>| json!({ "k": k, "v": v, "t": t });

        let r = w
            .app
            .gql(SET_SETTING, set("max_items", "5", Some("NUMBER")), None)
            .await;
        assert_eq!(err(&r).0, Some("UNAUTHENTICATED"), "{b}");
        for token in [&w.user_t, &w.mod_t] {
            let r = w
                .app
                .gql(
                    SET_SETTING,
                    set("max_items", "5", Some("NUMBER")),
                    Some(token),
                )
                .await;
            assert_eq!(err(&r).0, Some("FORBIDDEN"), "{b}");
        }

        let mut v = set("max_items", "500", Some("NUMBER"));
        v["p"] = json!(true);
        v["d"] = json!("Most items per collection");
        let r = w.app.gql(SET_SETTING, v, a).await;
        let s = hs(&r, "setPlatformSetting").clone();
        assert_eq!(s["value"], "500", "{b}");
        assert_eq!(s["valueType"], "NUMBER", "{b}");
        assert_eq!(s["isPublic"], true, "{b}");
        assert_eq!(s["updatedByUser"]["rowId"], w.admin.to_string(), "{b}");

        // Upsert by key: the same row; a left-out type keeps the stored one.
        let r = w
            .app
            .gql(SET_SETTING, set("max_items", "-2.5e3", None), a)
            .await;
        let s2 = hs(&r, "setPlatformSetting");
        assert_eq!(s2["rowId"], s["rowId"], "{b}");
        assert_eq!(s2["valueType"], "NUMBER", "{b}");
        assert_eq!(s2["isPublic"], true, "{b}: kept");
        assert_eq!(s2["description"], "Most items per collection", "{b}: kept");
        let r = w
            .app
            .gql(SET_SETTING, set("max_items", "lots", None), a)
            .await;
        assert_eq!(err(&r), (Some("BAD_USER_INPUT"), Some("value")), "{b}");

        for (value, ty) in [
            ("abc", "NUMBER"),
            ("NaN", "NUMBER"),
            ("", "NUMBER"),
            ("yes", "BOOLEAN"),
            ("TRUE", "BOOLEAN"),
            ("{\"a\":", "JSON"),
        ] {
            let r = w
                .app
                .gql(SET_SETTING, set("typed", value, Some(ty)), a)
                .await;
            assert_eq!(
                err(&r),
                (Some("BAD_USER_INPUT"), Some("value")),
                "{b}: {value} as {ty}"
            );
        }
        for (value, ty) in [
            ("true", "BOOLEAN"),
            ("{\"a\": [1, 2]}", "JSON"),
            ("anything", "STRING"),
        ] {
            let r = w
                .app
                .gql(SET_SETTING, set("typed", value, Some(ty)), a)
                .await;
            assert_eq!(hs(&r, "setPlatformSetting")["value"], value, "{b}");
        }
        let r = w.app.gql(SET_SETTING, set(&long(101), "x", None), a).await;
        assert_eq!(err(&r), (Some("BAD_USER_INPUT"), Some("key")), "{b}");
        let r = w.app.gql(SET_SETTING, set(" ", "x", None), a).await;
        assert_eq!(err(&r), (Some("BAD_USER_INPUT"), Some("key")), "{b}");

        // A new entry is a string, not public: anonymous readers see only public ones.
        let r = w.app.gql(SET_SETTING, set("secret", "s3", None), a).await;
        let s3 = hs(&r, "setPlatformSetting");
        assert_eq!(s3["valueType"], "STRING", "{b}");
        assert_eq!(s3["isPublic"], false, "{b}");
        let r = w
            .app
            .gql(
                r#"{ headShakers { platformSettings { nodes { key } } } }"#,
                json!({}),
                None,
            )
            .await;
        let keys: Vec<&str> = hs(&r, "platformSettings")["nodes"]
            .as_array()
            .map(|n| n.iter().filter_map(|x| x["key"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(keys, vec!["max_items"], "{b}");
    }
}

#[tokio::test]
async fn concurrent_upserts_and_reports_stay_single() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = backend.name();
        let app = &w.app;
        let report = json!({ "t": "BOBBLEHEAD", "id": w.item.to_string(), "r": "SPAM" });
        let mut tasks = Vec::new();
        for i in 0..8 {
            let report = report.clone();
            let (user_t, admin_t) = (w.user_t.clone(), w.admin_t.clone());
            tasks.push(async move {
                let rep = app.gql(REPORT, report, Some(&user_t)).await;
                let set = app
                    .gql(SETTINGS, json!({ "lang": format!("l{i}") }), Some(&user_t))
                    .await;
                assert!(set.body.get("errors").is_none(), "{}", set.body);
                let notify = app
                    .gql(NOTIFY, json!({ "push": i % 2 == 0 }), Some(&user_t))
                    .await;
                assert!(notify.body.get("errors").is_none(), "{}", notify.body);
                let key = app
                    .gql(
                        SET_SETTING,
                        json!({ "k": "race", "v": format!("{i}") }),
                        Some(&admin_t),
                    )
                    .await;
                assert!(key.body.get("errors").is_none(), "{}", key.body);
                rep.code().map(str::to_owned)
            });
        }
        let codes = futures_util::future::join_all(tasks).await;
        assert_eq!(
            codes.iter().filter(|c| c.is_none()).count(),
            1,
            "{b}: exactly one pending report: {codes:?}"
        );
        assert!(
            codes.iter().flatten().all(|c| c == "CONFLICT"),
            "{b}: {codes:?}"
        );
        let r = app
            .gql(
                r#"{ headShakers { userSettings { totalCount } notificationSettings { totalCount } } }"#,
                json!({}),
                Some(&w.user_t),
            )
            .await;
        let d = &r.data()["headShakers"];
        assert_eq!(d["userSettings"]["totalCount"], 1, "{b}");
        assert_eq!(d["notificationSettings"]["totalCount"], 1, "{b}");
        let r = app
            .gql(
                r#"{ headShakers { platformSettings { totalCount } } }"#,
                json!({}),
                Some(&w.admin_t),
            )
            .await;
        assert_eq!(
            r.data()["headShakers"]["platformSettings"]["totalCount"],
            1,
            "{b}"
        );
    }
}
