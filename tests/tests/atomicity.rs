//! Nothing half-written: every multi-statement write of the gateway is one transaction.
//!
//! Table-driven, on every backend: for each write mutation that issues more than one
//! statement, a trigger makes a LATER statement of it fail (an INSERT, UPDATE or DELETE on the
//! second or third table it touches, or a WHEN condition that only the later statement meets).
//! The mutation must then answer `INTERNAL` without any database text, and every table of the
//! source's database(s) must read exactly as before (the first statements rolled back). With
//! the trigger dropped the same mutation succeeds and its counters move by exactly what it
//! wrote.
//!
//! Writes of a single statement have no later statement to fail and are not listed: every
//! Mind-vault write, `createCollection`, `createSubCollection`, `createTag`, Character
//! Creation's generation requests (one insert after the quota count), usegemz
//! `recordJobProgress`, Deed-O `createGroup`, `addMember` and `removeMember`.

use std::collections::{BTreeSet, HashMap};

use e2e::fixtures::hs_user;
use e2e::{Backend, Data, Reply, TestApp, backends};
use migration::Database;
use sea_orm::prelude::{ChronoUtc as Utc, Decimal};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter,
};
use serde_json::{Value, json};
use uuid::Uuid;

/// The text every forced failure raises; it must never reach a client.
const MARKER: &str = "atomicity-forced-failure";

/// Fragments of raw database errors that must not appear in an answered message.
const RAW: [&str; 8] = [
    MARKER,
    "forced",
    "trigger",
    "raise",
    "sqlstate",
    "sqlx",
    "error returned from database",
    "constraint",
];

/// The statement a trigger fails: `BEFORE <event> ON <table> [WHEN <when>]`. `when` is written
/// once for both dialects (it may use `NEW` / `OLD`).
#[derive(Clone, Copy)]
struct Fail {
    table: &'static str,
    event: &'static str,
    when: Option<&'static str>,
}

const fn fail(event: &'static str, table: &'static str) -> Fail {
    Fail {
        table,
        event,
        when: None,
    }
}

const fn fail_when(event: &'static str, table: &'static str, when: &'static str) -> Fail {
    Fail {
        table,
        event,
        when: Some(when),
    }
}

/// What a probe reads after the successful retry: the value before plus `n`, or exactly a value.
enum Want {
    Plus(i64),
    Is(Value),
}

fn plus(n: i64) -> Want {
    Want::Plus(n)
}

fn is(v: Value) -> Want {
    Want::Is(v)
}

/// One row of the table: a mutation, the later statement to fail, and what success changes.
struct Case {
    name: &'static str,
    db: Database,
    fail: Fail,
    query: &'static str,
    vars: Value,
    token: Option<String>,
    want: Vec<(&'static str, Want)>,
}

/// A source's fixtures: the app, the databases to compare, and named values to read.
trait World {
    fn app(&self) -> &TestApp;
    fn dbs(&self) -> &'static [Database];
    async fn probe(&self, key: &str) -> Value;
}

const TRIGGER: &str = "atomicity_fail";

/// Installs the failing trigger on `db`. On PostgreSQL the connection's `search_path` is the
/// source's schema, so the function and the unqualified table land there.
async fn arm(app: &TestApp, db: Database, f: Fail) {
    let when = |open: &str, close: &str| {
        f.when
            .map(|w| format!(" WHEN {open}{w}{close}"))
            .unwrap_or_default()
    };
    let ddl = match app.backend {
        Backend::Sqlite => vec![format!(
            "CREATE TRIGGER {TRIGGER} BEFORE {} ON \"{}\" FOR EACH ROW{} BEGIN SELECT RAISE(ABORT, '{MARKER}'); END",
            f.event,
            f.table,
            when("", "")
        )],
        Backend::Postgres(_) => vec![
            format!(
                "CREATE FUNCTION {TRIGGER}() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION '{MARKER}'; END $$ LANGUAGE plpgsql"
            ),
            format!(
                "CREATE TRIGGER {TRIGGER} BEFORE {} ON \"{}\" FOR EACH ROW{} EXECUTE FUNCTION {TRIGGER}()",
                f.event,
                f.table,
                when("(", ")")
            ),
        ],
    };
    for s in ddl {
        app.db(db)
            .execute_unprepared(&s)
            .await
            .unwrap_or_else(|e| panic!("{s}: {e}"));
    }
}

async fn disarm(app: &TestApp, db: Database, f: Fail) {
    let ddl = match app.backend {
        Backend::Sqlite => vec![format!("DROP TRIGGER {TRIGGER}")],
        Backend::Postgres(_) => vec![
            format!("DROP TRIGGER {TRIGGER} ON \"{}\"", f.table),
            format!("DROP FUNCTION {TRIGGER}()"),
        ],
    };
    for s in ddl {
        app.db(db)
            .execute_unprepared(&s)
            .await
            .unwrap_or_else(|e| panic!("{s}: {e}"));
    }
}

/// Every row of every listed table, as sorted `Debug` strings of its entity model.
macro_rules! rows {
    ($db:expr, $name:expr, $out:ident, $($m:ident),+ $(,)?) => {$(
        let mut rows: Vec<String> = $m::Entity::find()
            .all($db)
            .await
            .unwrap_or_else(|e| panic!("dump {}: {e}", stringify!($m)))
            .iter()
            .map(|r| format!("{r:?}"))
            .collect();
        rows.sort();
        $out.push((format!("{}.{}", $name, stringify!($m)), rows));
    )+};
}

type Dump = Vec<(String, Vec<String>)>;

/// Every table of the given databases.
async fn dump(app: &TestApp, dbs: &[Database]) -> Dump {
    let mut out = Vec::new();
    for &d in dbs {
        let db = app.db(d);
        let name = d.name();
        match d {
            Database::HeadShakers => {
                use entity::head_shakers::*;
                rows!(
                    db,
                    name,
                    out,
                    bobblehead_photos,
                    bobblehead_tags,
                    bobbleheads,
                    collections,
                    comments,
                    content_reports,
                    content_views,
                    featured_content,
                    follows,
                    likes,
                    login_history,
                    notification_settings,
                    notifications,
                    platform_settings,
                    search_queries,
                    sub_collections,
                    tags,
                    user_activity,
                    user_blocks,
                    user_sessions,
                    user_settings,
                    users,
                );
            }
            Database::Usegemz => {
                use entity::usegemz::*;
                rows!(
                    db,
                    name,
                    out,
                    campaigns,
                    scraping_jobs,
                    scraping_results,
                    search_jobs,
                    search_results,
                    system_configurations,
                    user_profiles,
                );
            }
            Database::CharacterCreation => {
                use entity::character_creation::*;
                rows!(
                    db,
                    name,
                    out,
                    character_templates,
                    characters,
                    generations,
                    users
                );
            }
            Database::MindVault => {
                use entity::mind_vault::*;
                rows!(
                    db,
                    name,
                    out,
                    account,
                    category,
                    keyframe,
                    session,
                    tag,
                    user,
                    verification,
                    video_summary,
                    video_summary_category,
                    video_summary_tag,
                );
            }
            Database::DeedO => {
                use entity::deed_o::*;
                rows!(db, name, out, groups, messages, products);
            }
            Database::DeedOAuth => {
                use entity::deed_o_auth::*;
                rows!(db, name, out, tokens, user_verifications, users);
            }
        }
    }
    out
}

/// The rows that differ between two dumps, per table (`+` added, `-` gone).
fn changes(before: &Dump, after: &Dump) -> Vec<String> {
    let mut out = Vec::new();
    for ((table, old), (_, new)) in before.iter().zip(after) {
        let old: BTreeSet<&String> = old.iter().collect();
        let new: BTreeSet<&String> = new.iter().collect();
        for r in new.difference(&old) {
            out.push(format!("{table}: + {r}"));
        }
        for r in old.difference(&new) {
            out.push(format!("{table}: - {r}"));
        }
    }
    out
}

/// Whether an answer's data holds nothing but nulls.
fn empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Object(o) => o.values().all(empty),
        _ => false,
    }
}

/// Runs the cases in order on one world.
async fn check<W: World>(w: &W, cases: Vec<Case>) {
    let app = w.app();
    let b = app.backend.name();
    for case in cases {
        let what = format!("{b}: {}", case.name);
        let mut old = Vec::new();
        for (key, _) in &case.want {
            old.push(w.probe(key).await);
        }
        let before = dump(app, w.dbs()).await;

        arm(app, case.db, case.fail).await;
        let r = app
            .gql(case.query, case.vars.clone(), case.token.as_deref())
            .await;
        let after = dump(app, w.dbs()).await;
        disarm(app, case.db, case.fail).await;

        // First what matters most: not one row of the earlier statements survived.
        let left = changes(&before, &after);
        assert!(
            left.is_empty(),
            "{what}: HALF-WRITTEN — the failed mutation left these rows behind:\n{}",
            left.join("\n")
        );
        assert_eq!(
            r.code(),
            Some("INTERNAL"),
            "{what}: a failing later statement is answered as INTERNAL: {}",
            r.body
        );
        let message = r.body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .to_lowercase();
        for raw in RAW {
            assert!(
                !message.contains(raw),
                "{what}: the message leaks database text ({raw}): {}",
                r.body
            );
        }
        assert!(empty(&r.body["data"]), "{what}: no data: {}", r.body);

        // Without the trigger the same mutation succeeds and moves exactly its counters.
        let r = app
            .gql(case.query, case.vars.clone(), case.token.as_deref())
            .await;
        assert!(
            r.body.get("errors").is_none() && !empty(&r.body["data"]),
            "{what}: the retry succeeds: {}",
            r.body
        );
        for ((key, want), old) in case.want.iter().zip(old) {
            let expected = match want {
                Want::Plus(n) => {
                    let o = old
                        .as_i64()
                        .unwrap_or_else(|| panic!("{what}: {key} is not a number: {old}"));
                    json!(o + n)
                }
                Want::Is(v) => v.clone(),
            };
            assert_eq!(
                w.probe(key).await,
                expected,
                "{what}: {key} after the retry"
            );
        }
    }
}

/// The single field a mutation answered (`data.<namespace>.<field>`).
fn answer(r: &Reply) -> Value {
    let first = |v: &Value| {
        v.as_object()
            .and_then(|o| o.values().next().cloned())
            .unwrap_or(Value::Null)
    };
    first(&first(r.data()))
}

fn id_of(v: &Value) -> Uuid {
    v["rowId"]
        .as_str()
        .and_then(|s| Uuid::parse_str(s).ok())
        .unwrap_or_else(|| panic!("no rowId in {v}"))
}

fn cents(d: Option<Decimal>) -> i64 {
    let c = (d.unwrap_or_default() * Decimal::from(100)).round();
    i64::try_from(c.mantissa()).unwrap_or(i64::MAX)
}

fn found<T>(r: Result<Option<T>, sea_orm::DbErr>, what: &str) -> T {
    r.unwrap_or_else(|e| panic!("{what}: {e}"))
        .unwrap_or_else(|| panic!("no {what}"))
}

fn counted(r: Result<u64, sea_orm::DbErr>, what: &str) -> Value {
    json!(r.unwrap_or_else(|e| panic!("count {what}: {e}")))
}

// ---------------------------------------------------------------------------------------------
// Head Shakers
// ---------------------------------------------------------------------------------------------

const HS_COLLECTION: &str = "mutation($n: String!) { headShakers { createCollection(name: $n, isPublic: true) { rowId } } }";
const HS_SUB: &str = "mutation($c: UUID!, $n: String!) { headShakers { createSubCollection(collectionId: $c, name: $n) { rowId } } }";
const HS_ITEM: &str = "mutation($c: UUID!, $s: UUID, $n: String!, $p: Decimal) { headShakers { createBobblehead(collectionId: $c, subCollectionId: $s, name: $n, purchasePrice: $p) { rowId } } }";
const HS_TAG: &str = "mutation($n: String!) { headShakers { createTag(name: $n) { rowId } } }";
const HS_TAG_ITEM: &str = "mutation($b: UUID!, $t: UUID!) { headShakers { tagBobblehead(bobbleheadId: $b, tagId: $t) { rowId } } }";
const HS_UNTAG: &str = "mutation($b: UUID!, $t: UUID!) { headShakers { untagBobblehead(bobbleheadId: $b, tagId: $t) { deletedId } } }";
const HS_PHOTO: &str = "mutation($b: UUID!, $u: String!, $p: Boolean) { headShakers { addPhoto(bobbleheadId: $b, url: $u, isPrimary: $p) { rowId } } }";
const HS_PRIMARY: &str =
    "mutation($id: UUID!) { headShakers { setPrimaryPhoto(id: $id) { rowId } } }";
const HS_REORDER_PHOTOS: &str = "mutation($b: UUID!, $ids: [UUID!]!) { headShakers { reorderPhotos(bobbleheadId: $b, ids: $ids) { rowId } } }";
const HS_REORDER_SUBS: &str = "mutation($c: UUID!, $ids: [UUID!]!) { headShakers { reorderSubCollections(collectionId: $c, ids: $ids) { rowId } } }";
const HS_LIKE: &str = "mutation($t: HeadShakersLikeTargetType!, $id: UUID!) { headShakers { like(targetType: $t, targetId: $id) { rowId } } }";
const HS_UNLIKE: &str = "mutation($t: HeadShakersLikeTargetType!, $id: UUID!) { headShakers { unlike(targetType: $t, targetId: $id) { deletedId } } }";
const HS_COMMENT: &str = "mutation($t: HeadShakersCommentTargetType!, $id: UUID!, $c: String!, $p: UUID) { headShakers { addComment(targetType: $t, targetId: $id, content: $c, parentCommentId: $p) { rowId } } }";
const HS_DELETE_COMMENT: &str =
    "mutation($id: UUID!) { headShakers { deleteComment(id: $id) { deletedId } } }";
const HS_FOLLOW: &str = "mutation($u: UUID, $c: UUID) { headShakers { follow(userId: $u, collectionId: $c) { rowId } } }";
const HS_VIEW: &str = "mutation($t: HeadShakersContentViewsTargetType!, $id: UUID!) { headShakers { recordView(targetType: $t, targetId: $id) { target { __typename } } } }";
const HS_DELETE_SUB: &str =
    "mutation($id: UUID!) { headShakers { deleteSubCollection(id: $id) { deletedId } } }";
const HS_UPDATE_ITEM: &str = "mutation($id: UUID!, $p: Decimal) { headShakers { updateBobblehead(id: $id, purchasePrice: $p) { rowId } } }";
const HS_MOVE: &str = "mutation($id: UUID!, $c: UUID!, $s: UUID) { headShakers { moveBobblehead(id: $id, collectionId: $c, subCollectionId: $s) { rowId } } }";
const HS_DELETE_ITEM: &str =
    "mutation($id: UUID!) { headShakers { deleteBobblehead(id: $id) { deletedId } } }";
const HS_RESTORE_ITEM: &str =
    "mutation($id: UUID!) { headShakers { restoreBobblehead(id: $id) { rowId } } }";
const HS_SETTINGS: &str =
    "mutation($l: String) { headShakers { updateSettings(language: $l) { rowId } } }";
const HS_NOTIFICATION_SETTINGS: &str = "mutation($on: Boolean) { headShakers { updateNotificationSettings(inAppNewLikes: $on) { rowId } } }";
const HS_BLOCK: &str =
    "mutation($u: UUID!) { headShakers { blockUser(userId: $u, reason: \"spam\") { rowId } } }";
const HS_DELETE_COLLECTION: &str =
    "mutation($id: UUID!) { headShakers { deleteCollection(id: $id) { deletedId } } }";

struct Hs {
    app: TestApp,
    ids: HashMap<&'static str, Uuid>,
    tokens: HashMap<&'static str, String>,
}

impl Hs {
    fn id(&self, label: &str) -> Uuid {
        *self
            .ids
            .get(label)
            .unwrap_or_else(|| panic!("no fixture {label}"))
    }

    fn token(&self, user: &str) -> String {
        self.tokens
            .get(user)
            .cloned()
            .unwrap_or_else(|| panic!("no user {user}"))
    }

    /// Runs a setup write as `user`; answers the written object.
    async fn ok(&self, user: &str, query: &str, vars: Value) -> Value {
        let r = self.app.gql(query, vars, Some(&self.token(user))).await;
        answer(&r)
    }

    async fn new(backend: &Backend) -> Hs {
        let app = TestApp::spawn(backend, Data::Empty).await;
        let db = app.db(Database::HeadShakers);
        let mut ids = HashMap::new();
        let mut tokens = HashMap::new();
        for (n, name) in [(1, "owner"), (2, "fan"), (3, "pal")] {
            let u = hs_user(db, n).await;
            ids.insert(name, u);
            tokens.insert(name, app.token("head_shakers", &u.to_string()));
        }
        let mut w = Hs { app, ids, tokens };
        // The catalog is built through the gateway, so every counter starts consistent.
        let coll = id_of(&w.ok("owner", HS_COLLECTION, json!({ "n": "Shelf" })).await);
        let coll2 = id_of(&w.ok("owner", HS_COLLECTION, json!({ "n": "Other" })).await);
        let vars = json!({ "c": coll, "n": "Top" });
        let sub = id_of(&w.ok("owner", HS_SUB, vars).await);
        let vars = json!({ "c": coll, "n": "Bottom" });
        let sub2 = id_of(&w.ok("owner", HS_SUB, vars).await);
        let vars = json!({ "c": coll, "s": sub, "n": "Bobby", "p": "10.00" });
        let item = id_of(&w.ok("owner", HS_ITEM, vars).await);
        let vars = json!({ "c": coll, "s": sub, "n": "Second", "p": "5.00" });
        let item2 = id_of(&w.ok("owner", HS_ITEM, vars).await);
        let tag = id_of(&w.ok("owner", HS_TAG, json!({ "n": "Rare" })).await);
        w.ok("owner", HS_TAG_ITEM, json!({ "b": item2, "t": tag }))
            .await;
        let mut photos = Vec::new();
        for n in 1..=3 {
            let vars =
                json!({ "b": item, "u": format!("https://img.example/{n}.jpg"), "p": n == 1 });
            photos.push(id_of(&w.ok("owner", HS_PHOTO, vars).await));
        }
        let vars = json!({ "t": "BOBBLEHEAD", "id": item, "c": "Nice one" });
        let c1 = id_of(&w.ok("pal", HS_COMMENT, vars).await);
        // A view of a sub-collection, which deleting the sub-collection purges first.
        let vars = json!({ "t": "SUB_COLLECTION", "id": sub2 });
        let r = w.app.gql(HS_VIEW, vars, Some(&w.token("fan"))).await;
        r.data();
        for (label, id) in [
            ("coll", coll),
            ("coll2", coll2),
            ("sub", sub),
            ("sub2", sub2),
            ("item", item),
            ("item2", item2),
            ("tag", tag),
            ("p1", photos[0]),
            ("p2", photos[1]),
            ("p3", photos[2]),
            ("c1", c1),
        ] {
            w.ids.insert(label, id);
        }
        w
    }

    async fn count(&self, table: &str) -> Value {
        use entity::head_shakers::*;
        let db = self.app.db(Database::HeadShakers);
        match table {
            "likes" => counted(likes::Entity::find().count(db).await, table),
            "comments" => counted(comments::Entity::find().count(db).await, table),
            "notifications" => counted(notifications::Entity::find().count(db).await, table),
            "follows" => counted(follows::Entity::find().count(db).await, table),
            "user_blocks" => counted(user_blocks::Entity::find().count(db).await, table),
            "content_views" => counted(content_views::Entity::find().count(db).await, table),
            "bobbleheads" => counted(bobbleheads::Entity::find().count(db).await, table),
            "bobblehead_tags" => counted(bobblehead_tags::Entity::find().count(db).await, table),
            "bobblehead_photos" => {
                counted(bobblehead_photos::Entity::find().count(db).await, table)
            }
            "collections" => counted(collections::Entity::find().count(db).await, table),
            "sub_collections" => counted(sub_collections::Entity::find().count(db).await, table),
            "user_settings" => counted(user_settings::Entity::find().count(db).await, table),
            "notification_settings" => {
                counted(notification_settings::Entity::find().count(db).await, table)
            }
            _ => panic!("no count of {table}"),
        }
    }
}

impl World for Hs {
    fn app(&self) -> &TestApp {
        &self.app
    }

    fn dbs(&self) -> &'static [Database] {
        &[Database::HeadShakers]
    }

    /// `table` (its row count) or `table.label.value`.
    async fn probe(&self, key: &str) -> Value {
        use entity::head_shakers::*;
        let db = self.app.db(Database::HeadShakers);
        let parts: Vec<&str> = key.split('.').collect();
        let (table, label, value) = match parts.as_slice() {
            [table] => return self.count(table).await,
            [t, l, v] => (*t, *l, *v),
            _ => panic!("bad probe {key}"),
        };
        let id = self.id(label);
        match (table, value) {
            ("bobbleheads", _) => {
                let m = found(bobbleheads::Entity::find_by_id(id).one(db).await, key);
                match value {
                    "like_count" => json!(m.like_count),
                    "comment_count" => json!(m.comment_count),
                    "view_count" => json!(m.view_count),
                    "is_deleted" => json!(m.is_deleted),
                    "price_cents" => json!(cents(m.purchase_price)),
                    "collection" => json!(m.collection_id),
                    _ => panic!("bad probe {key}"),
                }
            }
            ("collections", _) => {
                let m = found(collections::Entity::find_by_id(id).one(db).await, key);
                match value {
                    "total_items" => json!(m.total_items),
                    "value_cents" => json!(cents(Some(m.total_value))),
                    _ => panic!("bad probe {key}"),
                }
            }
            ("sub_collections", "item_count") => {
                let m = found(sub_collections::Entity::find_by_id(id).one(db).await, key);
                json!(m.item_count)
            }
            // The names of a collection's sub-collections by position.
            ("sub_collections", "order") => {
                let mut subs = sub_collections::Entity::find()
                    .filter(sub_collections::Column::CollectionId.eq(id))
                    .all(db)
                    .await
                    .unwrap_or_else(|e| panic!("{key}: {e}"));
                subs.sort_by_key(|s| s.sort_order);
                json!(subs.iter().map(|s| s.name.clone()).collect::<Vec<_>>())
            }
            ("tags", "usage_count") => {
                let m = found(tags::Entity::find_by_id(id).one(db).await, key);
                json!(m.usage_count)
            }
            ("comments", _) => {
                let m = found(comments::Entity::find_by_id(id).one(db).await, key);
                match value {
                    "like_count" => json!(m.like_count),
                    "is_deleted" => json!(m.is_deleted),
                    _ => panic!("bad probe {key}"),
                }
            }
            // A bobblehead's photo URLs: the primary ones, or all by position.
            ("bobblehead_photos", _) => {
                let mut photos = bobblehead_photos::Entity::find()
                    .filter(bobblehead_photos::Column::BobbleheadId.eq(id))
                    .all(db)
                    .await
                    .unwrap_or_else(|e| panic!("{key}: {e}"));
                photos.sort_by_key(|p| p.sort_order);
                let urls = |keep: &dyn Fn(&bobblehead_photos::Model) -> bool| {
                    photos
                        .iter()
                        .filter(|p| keep(p))
                        .map(|p| p.url.clone())
                        .collect::<Vec<_>>()
                };
                match value {
                    "primary" => json!(urls(&|p| p.is_primary)),
                    "order" => json!(urls(&|_| true)),
                    _ => panic!("bad probe {key}"),
                }
            }
            ("user_settings", "language") => {
                let m = user_settings::Entity::find()
                    .filter(user_settings::Column::UserId.eq(id))
                    .one(db)
                    .await;
                // No row yet reads as null.
                let m = m.unwrap_or_else(|e| panic!("{key}: {e}"));
                json!(m.map(|m| m.language))
            }
            ("notification_settings", "in_app_new_likes") => {
                let m = notification_settings::Entity::find()
                    .filter(notification_settings::Column::UserId.eq(id))
                    .one(db)
                    .await;
                let m = m.unwrap_or_else(|e| panic!("{key}: {e}"));
                json!(m.map(|m| m.in_app_new_likes))
            }
            _ => panic!("bad probe {key}"),
        }
    }
}

fn hs_cases(w: &Hs) -> Vec<Case> {
    let hs = Database::HeadShakers;
    let id = |l: &str| w.id(l).to_string();
    let url = |n: u32| format!("https://img.example/{n}.jpg");
    let case = |name, fail, query, vars, user: &str, want| Case {
        name,
        db: hs,
        fail,
        query,
        vars,
        token: Some(w.token(user)),
        want,
    };
    // Rows are counted in a shared world: each case starts where the previous one left off.
    vec![
        case(
            "like: the like_count bump after the like insert",
            fail("UPDATE", "bobbleheads"),
            HS_LIKE,
            json!({ "t": "BOBBLEHEAD", "id": id("item") }),
            "fan",
            vec![
                ("likes", plus(1)),
                ("bobbleheads.item.like_count", plus(1)),
                ("notifications", plus(1)),
            ],
        ),
        case(
            "like: the notification, third statement",
            fail("INSERT", "notifications"),
            HS_LIKE,
            json!({ "t": "BOBBLEHEAD", "id": id("item") }),
            "pal",
            vec![
                ("likes", plus(1)),
                ("bobbleheads.item.like_count", plus(1)),
                ("notifications", plus(1)),
            ],
        ),
        case(
            "like a comment: the comment's like_count",
            fail("UPDATE", "comments"),
            HS_LIKE,
            json!({ "t": "COMMENT", "id": id("c1") }),
            "fan",
            vec![
                ("likes", plus(1)),
                ("comments.c1.like_count", plus(1)),
                ("notifications", plus(1)),
            ],
        ),
        case(
            "unlike: the like_count decrement after the delete",
            fail("UPDATE", "bobbleheads"),
            HS_UNLIKE,
            json!({ "t": "BOBBLEHEAD", "id": id("item") }),
            "fan",
            vec![
                ("likes", plus(-1)),
                ("bobbleheads.item.like_count", plus(-1)),
            ],
        ),
        case(
            "addComment: the comment_count bump after the comment",
            fail("UPDATE", "bobbleheads"),
            HS_COMMENT,
            json!({ "t": "BOBBLEHEAD", "id": id("item"), "c": "Great" }),
            "fan",
            vec![
                ("comments", plus(1)),
                ("bobbleheads.item.comment_count", plus(1)),
                ("notifications", plus(1)),
            ],
        ),
        case(
            "addComment on a collection: the notification",
            fail("INSERT", "notifications"),
            HS_COMMENT,
            json!({ "t": "COLLECTION", "id": id("coll"), "c": "Lovely shelf" }),
            "fan",
            vec![("comments", plus(1)), ("notifications", plus(1))],
        ),
        case(
            "reply: the parent author's notification, last statement",
            fail("INSERT", "notifications"),
            HS_COMMENT,
            json!({ "t": "BOBBLEHEAD", "id": id("item"), "c": "Thanks", "p": id("c1") }),
            "owner",
            vec![
                ("comments", plus(1)),
                ("bobbleheads.item.comment_count", plus(1)),
                ("notifications", plus(1)),
            ],
        ),
        case(
            "deleteComment: the comment_count decrement after the soft delete",
            fail("UPDATE", "bobbleheads"),
            HS_DELETE_COMMENT,
            json!({ "id": id("c1") }),
            "pal",
            vec![
                ("comments.c1.is_deleted", is(json!(true))),
                ("bobbleheads.item.comment_count", plus(-1)),
            ],
        ),
        case(
            "follow a user: the notification after the follow",
            fail("INSERT", "notifications"),
            HS_FOLLOW,
            json!({ "u": id("owner") }),
            "fan",
            vec![("follows", plus(1)), ("notifications", plus(1))],
        ),
        case(
            "follow a collection: the notification after the follow",
            fail("INSERT", "notifications"),
            HS_FOLLOW,
            json!({ "c": id("coll") }),
            "pal",
            vec![("follows", plus(1)), ("notifications", plus(1))],
        ),
        case(
            "recordView: the view_count bump after the view",
            fail("UPDATE", "bobbleheads"),
            HS_VIEW,
            json!({ "t": "BOBBLEHEAD", "id": id("item") }),
            "fan",
            vec![
                ("content_views", plus(1)),
                ("bobbleheads.item.view_count", plus(1)),
            ],
        ),
        case(
            "createBobblehead: the collection totals after the item",
            fail("UPDATE", "collections"),
            HS_ITEM,
            json!({ "c": id("coll"), "s": id("sub"), "n": "Third", "p": "2.50" }),
            "owner",
            vec![
                ("bobbleheads", plus(1)),
                ("collections.coll.total_items", plus(1)),
                ("collections.coll.value_cents", plus(250)),
                ("sub_collections.sub.item_count", plus(1)),
            ],
        ),
        case(
            "createBobblehead: the sub-collection count, third statement",
            fail("UPDATE", "sub_collections"),
            HS_ITEM,
            json!({ "c": id("coll"), "s": id("sub"), "n": "Fourth", "p": "2.50" }),
            "owner",
            vec![
                ("bobbleheads", plus(1)),
                ("collections.coll.total_items", plus(1)),
                ("collections.coll.value_cents", plus(250)),
                ("sub_collections.sub.item_count", plus(1)),
            ],
        ),
        case(
            "updateBobblehead: total_value after the new price",
            fail("UPDATE", "collections"),
            HS_UPDATE_ITEM,
            json!({ "id": id("item"), "p": "12.00" }),
            "owner",
            vec![
                ("bobbleheads.item.price_cents", is(json!(1200))),
                ("collections.coll.value_cents", plus(200)),
            ],
        ),
        case(
            "moveBobblehead: the destination's totals",
            // Only the destination's tally raises its item count.
            fail_when("UPDATE", "collections", "NEW.total_items > OLD.total_items"),
            HS_MOVE,
            json!({ "id": id("item2"), "c": id("coll2") }),
            "owner",
            vec![
                ("bobbleheads.item2.collection", is(json!(id("coll2")))),
                ("collections.coll.total_items", plus(-1)),
                ("collections.coll.value_cents", plus(-500)),
                ("collections.coll2.total_items", plus(1)),
                ("collections.coll2.value_cents", plus(500)),
                ("sub_collections.sub.item_count", plus(-1)),
            ],
        ),
        case(
            "moveBobblehead back: the sub-collection count, last statement",
            fail("UPDATE", "sub_collections"),
            HS_MOVE,
            json!({ "id": id("item2"), "c": id("coll"), "s": id("sub") }),
            "owner",
            vec![
                ("bobbleheads.item2.collection", is(json!(id("coll")))),
                ("collections.coll.total_items", plus(1)),
                ("collections.coll.value_cents", plus(500)),
                ("collections.coll2.total_items", plus(-1)),
                ("collections.coll2.value_cents", plus(-500)),
                ("sub_collections.sub.item_count", plus(1)),
            ],
        ),
        case(
            "deleteBobblehead: the sub-collection count after soft delete and totals",
            fail("UPDATE", "sub_collections"),
            HS_DELETE_ITEM,
            json!({ "id": id("item2") }),
            "owner",
            vec![
                ("bobbleheads.item2.is_deleted", is(json!(true))),
                ("collections.coll.total_items", plus(-1)),
                ("collections.coll.value_cents", plus(-500)),
                ("sub_collections.sub.item_count", plus(-1)),
            ],
        ),
        case(
            "restoreBobblehead: the totals after the restore",
            fail("UPDATE", "collections"),
            HS_RESTORE_ITEM,
            json!({ "id": id("item2") }),
            "owner",
            vec![
                ("bobbleheads.item2.is_deleted", is(json!(false))),
                ("collections.coll.total_items", plus(1)),
                ("collections.coll.value_cents", plus(500)),
                ("sub_collections.sub.item_count", plus(1)),
            ],
        ),
        case(
            "untagBobblehead: usage_count after the link delete",
            fail("UPDATE", "tags"),
            HS_UNTAG,
            json!({ "b": id("item2"), "t": id("tag") }),
            "owner",
            vec![
                ("bobblehead_tags", plus(-1)),
                ("tags.tag.usage_count", plus(-1)),
            ],
        ),
        case(
            "tagBobblehead: usage_count after the link",
            fail("UPDATE", "tags"),
            HS_TAG_ITEM,
            json!({ "b": id("item"), "t": id("tag") }),
            "owner",
            vec![
                ("bobblehead_tags", plus(1)),
                ("tags.tag.usage_count", plus(1)),
            ],
        ),
        case(
            "reorderPhotos: the second position",
            // The first update moves p3 to 0; the second (p1 to 1) fails.
            fail_when(
                "UPDATE",
                "bobblehead_photos",
                "NEW.sort_order = 1 AND OLD.sort_order <> 1",
            ),
            HS_REORDER_PHOTOS,
            json!({ "b": id("item"), "ids": [id("p3"), id("p1"), id("p2")] }),
            "owner",
            vec![(
                "bobblehead_photos.item.order",
                is(json!([url(3), url(1), url(2)])),
            )],
        ),
        case(
            "setPrimaryPhoto: setting the new primary after unsetting the old",
            fail_when("UPDATE", "bobblehead_photos", "NEW.is_primary = TRUE"),
            HS_PRIMARY,
            json!({ "id": id("p2") }),
            "owner",
            vec![("bobblehead_photos.item.primary", is(json!([url(2)])))],
        ),
        case(
            "addPhoto as primary: the insert after unsetting the old primary",
            fail("INSERT", "bobblehead_photos"),
            HS_PHOTO,
            json!({ "b": id("item"), "u": url(4), "p": true }),
            "owner",
            vec![
                ("bobblehead_photos", plus(1)),
                ("bobblehead_photos.item.primary", is(json!([url(4)]))),
            ],
        ),
        case(
            "reorderSubCollections: the second position",
            fail_when(
                "UPDATE",
                "sub_collections",
                "NEW.sort_order = 1 AND OLD.sort_order <> 1",
            ),
            HS_REORDER_SUBS,
            json!({ "c": id("coll"), "ids": [id("sub2"), id("sub")] }),
            "owner",
            vec![("sub_collections.coll.order", is(json!(["Bottom", "Top"])))],
        ),
        case(
            "deleteSubCollection: the delete after purging its views",
            fail("DELETE", "sub_collections"),
            HS_DELETE_SUB,
            json!({ "id": id("sub2") }),
            "owner",
            vec![("sub_collections", plus(-1)), ("content_views", plus(-1))],
        ),
        case(
            "updateSettings: the change after creating the default row",
            fail("UPDATE", "user_settings"),
            HS_SETTINGS,
            json!({ "l": "de" }),
            "fan",
            vec![
                ("user_settings", plus(1)),
                ("user_settings.fan.language", is(json!("de"))),
            ],
        ),
        case(
            "updateNotificationSettings: the change after creating the default row",
            fail("UPDATE", "notification_settings"),
            HS_NOTIFICATION_SETTINGS,
            json!({ "on": false }),
            "fan",
            vec![
                ("notification_settings", plus(1)),
                (
                    "notification_settings.fan.in_app_new_likes",
                    is(json!(false)),
                ),
            ],
        ),
        case(
            "blockUser: ending the blocked user's follows after the block",
            fail("DELETE", "follows"),
            HS_BLOCK,
            json!({ "u": id("fan") }),
            "owner",
            vec![("user_blocks", plus(1)), ("follows", plus(-1))],
        ),
        case(
            "deleteCollection: the delete after tag counts and purges",
            fail("DELETE", "collections"),
            HS_DELETE_COLLECTION,
            json!({ "id": id("coll") }),
            "owner",
            vec![
                ("collections", plus(-1)),
                ("tags.tag.usage_count", is(json!(0))),
                ("bobbleheads", is(json!(0))),
                ("bobblehead_tags", is(json!(0))),
                ("bobblehead_photos", is(json!(0))),
                ("sub_collections", is(json!(0))),
                ("likes", is(json!(0))),
                ("comments", is(json!(0))),
                ("content_views", is(json!(0))),
                ("follows", is(json!(0))),
            ],
        ),
    ]
}

#[tokio::test]
async fn head_shakers_writes_leave_nothing_half_written() {
    for backend in backends() {
        let w = Hs::new(&backend).await;
        let cases = hs_cases(&w);
        check(&w, cases).await;
    }
}

// ---------------------------------------------------------------------------------------------
// usegemz
// ---------------------------------------------------------------------------------------------

const UG_OWNER: &str = "user_2atomicityOwner";
const UG_PROFILE: &str =
    "mutation { usegemz { createProfile(email: \"owner@example.com\") { userId } } }";
const UG_WITH_JOB: &str = "mutation($n: String!, $t: UsegemzSearchType!, $p: UsegemzPlatform!, $k: [String]!, $u: String) { usegemz { createCampaignWithJob(name: $n, searchType: $t, platform: $p, keywords: $k, targetUsername: $u) { campaign { rowId } job { rowId } } } }";
const UG_STATUS: &str = "mutation($id: UUID!, $s: UsegemzJobStatus!) { usegemz { updateJobStatus(id: $id, status: $s) { rowId } } }";
const UG_APPEND: &str = "mutation($id: UUID!, $c: JSON!) { usegemz { appendJobResults(jobId: $id, creators: $c) { rowId } } }";
const UG_ONBOARD: &str =
    "mutation($s: UsegemzOnboardingStep!) { usegemz { advanceOnboarding(step: $s) { userId } } }";

struct Ug {
    app: TestApp,
    token: String,
    job: Uuid,
}

impl Ug {
    async fn new(backend: &Backend) -> Ug {
        let app = TestApp::spawn(backend, Data::Empty).await;
        let token = app.token("usegemz", UG_OWNER);
        let r = app.gql(UG_PROFILE, json!({}), Some(&token)).await;
        r.data();
        // A trial that ran out yesterday: the next profile write stores its expiry first.
        use entity::usegemz::user_profiles as up;
        up::Entity::update_many()
            .col_expr(up::Column::TrialStatus, Expr::value("active"))
            .col_expr(up::Column::SubscriptionStatus, Expr::value("trialing"))
            .col_expr(up::Column::TrialStartDate, Expr::value(days_ago(8)))
            .col_expr(up::Column::TrialEndDate, Expr::value(days_ago(1)))
            .filter(up::Column::UserId.eq(UG_OWNER))
            .exec(app.db(Database::Usegemz))
            .await
            .unwrap_or_else(|e| panic!("trial: {e}"));
        let vars = json!({ "n": "Lookalikes", "t": "SIMILAR", "p": "INSTAGRAM", "k": [], "u": "@original" });
        let r = app.gql(UG_WITH_JOB, vars, Some(&token)).await;
        let job = id_of(&answer(&r)["job"]);
        let vars = json!({ "id": job, "s": "PROCESSING" });
        app.gql(UG_STATUS, vars, Some(&token)).await.data();
        Ug { app, token, job }
    }
}

/// The UTC time `n` days ago.
fn days_ago(n: i64) -> sea_orm::prelude::DateTime {
    let secs = Utc::now().timestamp() - n * 86_400;
    sea_orm::prelude::ChronoDateTimeUtc::from_timestamp(secs, 0)
        .map(|t| t.naive_utc())
        .unwrap_or_default()
}

impl World for Ug {
    fn app(&self) -> &TestApp {
        &self.app
    }

    fn dbs(&self) -> &'static [Database] {
        &[Database::Usegemz]
    }

    async fn probe(&self, key: &str) -> Value {
        use entity::usegemz::*;
        let db = self.app.db(Database::Usegemz);
        match key {
            "campaigns" => counted(campaigns::Entity::find().count(db).await, key),
            "scraping_jobs" => counted(scraping_jobs::Entity::find().count(db).await, key),
            "scraping_results" => counted(scraping_results::Entity::find().count(db).await, key),
            "scraping_jobs.job.processed_results" => {
                let j = found(
                    scraping_jobs::Entity::find_by_id(self.job).one(db).await,
                    key,
                );
                json!(j.processed_results)
            }
            _ => {
                let p = user_profiles::Entity::find()
                    .filter(user_profiles::Column::UserId.eq(UG_OWNER))
                    .one(db)
                    .await;
                let p = found(p, key);
                match key {
                    "user_profiles.owner.trial_status" => json!(p.trial_status),
                    "user_profiles.owner.subscription_status" => json!(p.subscription_status),
                    "user_profiles.owner.onboarding_step" => json!(p.onboarding_step),
                    _ => panic!("bad probe {key}"),
                }
            }
        }
    }
}

fn instagram_creator() -> Value {
    json!({ "id": "1789", "username": "gram", "full_name": "Gram Er", "is_private": false,
        "is_verified": true, "profile_pic_url": "https://ig/p.jpg", "platform": "Instagram" })
}

fn ug_cases(w: &Ug) -> Vec<Case> {
    let ug = Database::Usegemz;
    vec![
        Case {
            name: "createCampaignWithJob: the job insert after the campaign",
            db: ug,
            fail: fail("INSERT", "scraping_jobs"),
            query: UG_WITH_JOB,
            vars: json!({ "n": "Keywords", "t": "KEYWORD", "p": "TIKTOK", "k": ["fitness"] }),
            token: Some(w.token.clone()),
            want: vec![("campaigns", plus(1)), ("scraping_jobs", plus(1))],
        },
        Case {
            name: "appendJobResults: the job's counts after the result row",
            db: ug,
            fail: fail("UPDATE", "scraping_jobs"),
            query: UG_APPEND,
            vars: json!({ "id": w.job, "c": [instagram_creator()] }),
            token: Some(w.token.clone()),
            want: vec![
                ("scraping_results", plus(1)),
                ("scraping_jobs.job.processed_results", plus(1)),
            ],
        },
        Case {
            name: "advanceOnboarding: the step after storing the trial's expiry",
            db: ug,
            // Both statements update the profile; only the second changes the step.
            fail: fail_when(
                "UPDATE",
                "user_profiles",
                "NEW.onboarding_step <> OLD.onboarding_step",
            ),
            query: UG_ONBOARD,
            vars: json!({ "s": "INFO_CAPTURED" }),
            token: Some(w.token.clone()),
            want: vec![
                ("user_profiles.owner.trial_status", is(json!("expired"))),
                (
                    "user_profiles.owner.subscription_status",
                    is(json!("canceled")),
                ),
                (
                    "user_profiles.owner.onboarding_step",
                    is(json!("info_captured")),
                ),
            ],
        },
    ]
}

#[tokio::test]
async fn usegemz_writes_leave_nothing_half_written() {
    for backend in backends() {
        let w = Ug::new(&backend).await;
        let cases = ug_cases(&w);
        check(&w, cases).await;
    }
}

// ---------------------------------------------------------------------------------------------
// Character Creation
// ---------------------------------------------------------------------------------------------

const CC_STATUS: &str = "mutation($id: UUID!, $s: CharacterCreationGenerationStatus!, $u: String, $n: String) { characterCreation { updateGenerationStatus(id: $id, status: $s, resultUrl: $u, characterName: $n) { rowId } } }";

struct Cc {
    app: TestApp,
    user: Uuid,
    generation: Uuid,
}

impl Cc {
    // Columns not named here (the users table gains some, e.g. roles) keep their defaults.
    #[allow(clippy::needless_update)]
    async fn new(backend: &Backend) -> Cc {
        use entity::character_creation::sea_orm_active_enums::{
            GenerationStatus, StyleType, SubscriptionTier,
        };
        use entity::character_creation::{generations, users};
        let app = TestApp::spawn(backend, Data::Empty).await;
        let db = app.db(Database::CharacterCreation);
        let (user, generation) = (Uuid::new_v4(), Uuid::new_v4());
        let at = Utc::now().naive_utc();
        users::Entity::insert(users::ActiveModel {
            id: Set(user),
            email: Set(format!("{user}@example.com")),
            name: Set(Some("Maker".into())),
            auth0_id: Set(None),
            subscription_tier: Set(SubscriptionTier::Pro),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        })
        .exec_without_returning(db)
        .await
        .unwrap_or_else(|e| panic!("user: {e}"));
        generations::Entity::insert(generations::ActiveModel {
            id: Set(generation),
            user_id: Set(user),
            character_id: Set(None),
            template_id: Set(None),
            prompt: Set("A brave knight, shining armour".into()),
            style_type: Set(StyleType::Fantasy),
            status: Set(GenerationStatus::Processing),
            error_message: Set(None),
            result_url: Set(None),
            started_at: Set(Some(at)),
            completed_at: Set(None),
            created_at: Set(at),
            updated_at: Set(at),
        })
        .exec_without_returning(db)
        .await
        .unwrap_or_else(|e| panic!("generation: {e}"));
        Cc {
            app,
            user,
            generation,
        }
    }
}

impl World for Cc {
    fn app(&self) -> &TestApp {
        &self.app
    }

    fn dbs(&self) -> &'static [Database] {
        &[Database::CharacterCreation]
    }

    async fn probe(&self, key: &str) -> Value {
        use entity::character_creation::{characters, generations};
        let db = self.app.db(Database::CharacterCreation);
        let g = || generations::Entity::find_by_id(self.generation).one(db);
        match key {
            "characters" => counted(characters::Entity::find().count(db).await, key),
            "generations.g.status" => json!(format!("{:?}", found(g().await, key).status)),
            // The name of the character the generation links to.
            "generations.g.character" => match found(g().await, key).character_id {
                None => Value::Null,
                Some(c) => json!(found(characters::Entity::find_by_id(c).one(db).await, key).name),
            },
            _ => panic!("bad probe {key}"),
        }
    }
}

#[tokio::test]
async fn character_creation_completion_leaves_nothing_half_written() {
    for backend in backends() {
        let w = Cc::new(&backend).await;
        let token = w.app.token("character_creation", &w.user.to_string());
        let cases = vec![Case {
            name: "updateGenerationStatus COMPLETED: the generation update after the character insert",
            db: Database::CharacterCreation,
            fail: fail("UPDATE", "generations"),
            query: CC_STATUS,
            vars: json!({ "id": w.generation, "s": "COMPLETED", "u": "https://img.example/knight.png", "n": "Knight" }),
            token: Some(token),
            want: vec![
                ("characters", plus(1)),
                ("generations.g.status", is(json!("Completed"))),
                ("generations.g.character", is(json!("Knight"))),
            ],
        }];
        check(&w, cases).await;
    }
}

// ---------------------------------------------------------------------------------------------
// Deed-O (main and auth databases)
// ---------------------------------------------------------------------------------------------

const DO_REQUEST: &str = "mutation($e: String!, $a: DeedOVerificationAction!) { deedO { requestOtp(email: $e, action: $a, platform: DEED_O) } }";
const DO_VERIFY: &str =
    "mutation($r: UUID!, $c: String!) { deedO { verifyOtp(requestId: $r, code: $c) { token } } }";
const DO_SEND: &str =
    "mutation($g: UUID!, $t: String) { deedO { sendMessage(groupId: $g, text: $t) { rowId } } }";

struct DeedO {
    app: TestApp,
    member: i32,
    group: Uuid,
    /// Verification requests by label, with their codes.
    requests: HashMap<&'static str, (Uuid, String)>,
}

async fn auth_user(db: &DatabaseConnection, email: &str) -> i32 {
    use entity::deed_o_auth::sea_orm_active_enums::{
        PlatformTypesEnum, UsersRolesEnum, UsersStatusesEnum,
    };
    use entity::deed_o_auth::users;
    let at = Utc::now().naive_utc();
    users::ActiveModel {
        email: Set(email.to_owned()),
        status: Set(UsersStatusesEnum::Verified),
        registration_platform: Set(PlatformTypesEnum::DeedO),
        role: Set(UsersRolesEnum::User),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap_or_else(|e| panic!("auth user: {e}"))
    .id
}

impl DeedO {
    async fn new(backend: &Backend) -> DeedO {
        use entity::deed_o::groups;
        use entity::deed_o_auth::user_verifications;
        let app = TestApp::spawn(backend, Data::Empty).await;
        let auth = app.db(Database::DeedOAuth);
        let member = auth_user(auth, "one@example.org").await;
        let other = auth_user(auth, "two@example.org").await;
        let group = Uuid::new_v4();
        let at = Utc::now().naive_utc();
        groups::ActiveModel {
            id: Set(group),
            name: Set("Team".into()),
            product_id: Set(None),
            members: Set(Some(json!([member, other]))),
            last_message_id: Set(None),
            created_at: Set(Some(at)),
            updated_at: Set(Some(at)),
        }
        .insert(app.db(Database::DeedO))
        .await
        .unwrap_or_else(|e| panic!("group: {e}"));
        let mut requests = HashMap::new();
        for (label, email, action) in [
            ("reg1", "reg1@example.org", "REGISTER"),
            ("reg2", "reg2@example.org", "REGISTER"),
            ("login", "one@example.org", "LOGIN"),
        ] {
            let r = app
                .gql(DO_REQUEST, json!({ "e": email, "a": action }), None)
                .await;
            let id = r.data()["deedO"]["requestOtp"]
                .as_str()
                .and_then(|s| Uuid::parse_str(s).ok())
                .unwrap_or_else(|| panic!("request: {}", r.body));
            // The code, read from the database as a mailbox would receive it.
            let row = user_verifications::Entity::find_by_id(id).one(auth).await;
            let code = found(row, "verification").otp_code;
            requests.insert(label, (id, code));
        }
        DeedO {
            app,
            member,
            group,
            requests,
        }
    }

    fn request(&self, label: &str) -> (Uuid, String) {
        self.requests
            .get(label)
            .cloned()
            .unwrap_or_else(|| panic!("no request {label}"))
    }
}

impl World for DeedO {
    fn app(&self) -> &TestApp {
        &self.app
    }

    fn dbs(&self) -> &'static [Database] {
        &[Database::DeedO, Database::DeedOAuth]
    }

    async fn probe(&self, key: &str) -> Value {
        use entity::deed_o::{groups, messages};
        use entity::deed_o_auth::{tokens, user_verifications, users};
        let main = self.app.db(Database::DeedO);
        let auth = self.app.db(Database::DeedOAuth);
        let parts: Vec<&str> = key.split('.').collect();
        match parts.as_slice() {
            ["messages"] => counted(messages::Entity::find().count(main).await, key),
            ["users"] => counted(users::Entity::find().count(auth).await, key),
            ["tokens"] => counted(tokens::Entity::find().count(auth).await, key),
            ["user_verifications"] => {
                counted(user_verifications::Entity::find().count(auth).await, key)
            }
            // The text of the group's last message.
            ["groups", "g", "last_message"] => {
                let g = found(groups::Entity::find_by_id(self.group).one(main).await, key);
                match g.last_message_id {
                    None => Value::Null,
                    Some(m) => {
                        json!(found(messages::Entity::find_by_id(m).one(main).await, key).text)
                    }
                }
            }
            ["user_verifications", label, value] => {
                let (id, _) = self.request(label);
                let v = found(
                    user_verifications::Entity::find_by_id(id).one(auth).await,
                    key,
                );
                match *value {
                    "verified" => json!(v.verified),
                    "user_status" => {
                        let u = found(users::Entity::find_by_id(v.user_id).one(auth).await, key);
                        json!(format!("{:?}", u.status))
                    }
                    _ => panic!("bad probe {key}"),
                }
            }
            _ => panic!("bad probe {key}"),
        }
    }
}

fn deed_o_cases(w: &DeedO) -> Vec<Case> {
    let verify = |label: &str| {
        let (id, code) = w.request(label);
        json!({ "r": id, "c": code })
    };
    let signed_in = Some(w.app.token("deed_o", &w.member.to_string()));
    vec![
        Case {
            name: "sendMessage: the group's last_message_id after the message",
            db: Database::DeedO,
            fail: fail("UPDATE", "groups"),
            query: DO_SEND,
            vars: json!({ "g": w.group, "t": "hello" }),
            token: signed_in,
            want: vec![
                ("messages", plus(1)),
                ("groups.g.last_message", is(json!("hello"))),
            ],
        },
        Case {
            name: "requestOtp REGISTER: the verification after the new user",
            db: Database::DeedOAuth,
            fail: fail("INSERT", "user_verifications"),
            query: DO_REQUEST,
            vars: json!({ "e": "new@example.org", "a": "REGISTER" }),
            token: None,
            want: vec![("users", plus(1)), ("user_verifications", plus(1))],
        },
        Case {
            name: "verifyOtp REGISTER: the session token, last statement",
            db: Database::DeedOAuth,
            fail: fail("INSERT", "tokens"),
            query: DO_VERIFY,
            vars: verify("reg1"),
            token: None,
            want: vec![
                ("tokens", plus(1)),
                ("user_verifications.reg1.verified", is(json!(true))),
                ("user_verifications.reg1.user_status", is(json!("Verified"))),
            ],
        },
        Case {
            name: "verifyOtp REGISTER: verifying the user after using the code",
            db: Database::DeedOAuth,
            fail: fail("UPDATE", "users"),
            query: DO_VERIFY,
            vars: verify("reg2"),
            token: None,
            want: vec![
                ("tokens", plus(1)),
                ("user_verifications.reg2.verified", is(json!(true))),
                ("user_verifications.reg2.user_status", is(json!("Verified"))),
            ],
        },
        Case {
            name: "verifyOtp LOGIN: the session token after using the code",
            db: Database::DeedOAuth,
            fail: fail("INSERT", "tokens"),
            query: DO_VERIFY,
            vars: verify("login"),
            token: None,
            want: vec![
                ("tokens", plus(1)),
                ("user_verifications.login.verified", is(json!(true))),
            ],
        },
    ]
}

#[tokio::test]
async fn deed_o_writes_leave_nothing_half_written() {
    for backend in backends() {
        let w = DeedO::new(&backend).await;
        let cases = deed_o_cases(&w);
        check(&w, cases).await;
    }
}
