//! Head Shakers catalog writes end to end: collections, sub-collections, bobbleheads, photos
//! and tags — their aggregates after every kind of change, their input checks and error
//! codes, that a failing statement leaves nothing half-written, and aggregates under
//! concurrent writers — on every backend.

use e2e::fixtures::{hs_settings, hs_user};
use e2e::{Data, TestApp, backends};
use migration::Database;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use uuid::Uuid;

const CREATE_COLLECTION: &str = r#"mutation($n: String!, $p: Boolean) { headShakers { createCollection(name: $n, isPublic: $p) { rowId name isPublic description totalItems totalValue lastItemAddedAt } } }"#;
const UPDATE_COLLECTION: &str = r#"mutation($id: UUID!, $n: String, $d: String, $clear: [String!]) { headShakers { updateCollection(id: $id, name: $n, description: $d, clear: $clear) { name description isPublic } } }"#;
const DELETE_COLLECTION: &str =
    r#"mutation($id: UUID!) { headShakers { deleteCollection(id: $id) { deletedId } } }"#;
const COLLECTION: &str = r#"query($id: UUID!) { headShakers { collection(rowId: $id) { totalItems totalValue lastItemAddedAt subCollections(orderBy: [SORT_ORDER_ASC]) { nodes { rowId name sortOrder itemCount } } } } }"#;
const CREATE_SUB: &str = r#"mutation($c: UUID!, $n: String!, $o: Int) { headShakers { createSubCollection(collectionId: $c, name: $n, sortOrder: $o) { rowId sortOrder itemCount isPublic } } }"#;
const UPDATE_SUB: &str = r#"mutation($id: UUID!) { headShakers { updateSubCollection(id: $id, name: "Renamed", isPublic: false) { name isPublic } } }"#;
const REORDER_SUBS: &str = r#"mutation($c: UUID!, $ids: [UUID!]!) { headShakers { reorderSubCollections(collectionId: $c, ids: $ids) { rowId sortOrder } } }"#;
const DELETE_SUB: &str =
    r#"mutation($id: UUID!) { headShakers { deleteSubCollection(id: $id) { deletedId } } }"#;
const CREATE_ITEM: &str = r#"mutation($c: UUID!, $s: UUID, $n: String!, $price: Decimal, $year: Int, $cf: JSON, $p: Boolean, $h: Decimal, $cond: String, $ad: DateTime) { headShakers { createBobblehead(collectionId: $c, subCollectionId: $s, name: $n, purchasePrice: $price, year: $year, customFields: $cf, isPublic: $p, height: $h, currentCondition: $cond, acquisitionDate: $ad) { rowId purchasePrice customFields isPublic currentCondition status acquisitionDate subCollection { rowId } } } }"#;
const UPDATE_ITEM: &str = r#"mutation($id: UUID!, $price: Decimal, $clear: [String!]) { headShakers { updateBobblehead(id: $id, purchasePrice: $price, clear: $clear) { purchasePrice } } }"#;
const MOVE: &str = r#"mutation($id: UUID!, $c: UUID!, $s: UUID) { headShakers { moveBobblehead(id: $id, collectionId: $c, subCollectionId: $s) { collection { rowId } subCollection { rowId } } } }"#;
const DELETE_ITEM: &str = r#"mutation($id: UUID!) { headShakers { deleteBobblehead(id: $id) { deletedId collection { totalItems } } } }"#;
const RESTORE: &str = r#"mutation($id: UUID!) { headShakers { restoreBobblehead(id: $id) { rowId isDeleted deletedAt } } }"#;
const ITEM: &str = r#"query($id: UUID!) { headShakers { bobblehead(rowId: $id) { rowId subCollectionId photos(orderBy: [SORT_ORDER_ASC]) { nodes { rowId sortOrder isPrimary } } tagLinks { totalCount } } } }"#;
const ADD_PHOTO: &str = r#"mutation($b: UUID!, $u: String!, $p: Boolean, $w: Int) { headShakers { addPhoto(bobbleheadId: $b, url: $u, isPrimary: $p, width: $w) { rowId sortOrder isPrimary } } }"#;
const SET_PRIMARY: &str =
    r#"mutation($id: UUID!) { headShakers { setPrimaryPhoto(id: $id) { rowId isPrimary } } }"#;
const REORDER_PHOTOS: &str = r#"mutation($b: UUID!, $ids: [UUID!]!) { headShakers { reorderPhotos(bobbleheadId: $b, ids: $ids) { rowId sortOrder } } }"#;
const DELETE_PHOTO: &str =
    r#"mutation($id: UUID!) { headShakers { deletePhoto(id: $id) { deletedId } } }"#;
const CREATE_TAG: &str = r#"mutation($n: String!, $c: String) { headShakers { createTag(name: $n, color: $c) { rowId name color usageCount } } }"#;
const UPDATE_TAG: &str = r#"mutation($id: UUID!, $n: String, $c: String) { headShakers { updateTag(id: $id, name: $n, color: $c) { name color } } }"#;
const DELETE_TAG: &str =
    r#"mutation($id: UUID!) { headShakers { deleteTag(id: $id) { deletedId } } }"#;
const TAG: &str = r#"mutation($b: UUID!, $t: UUID!) { headShakers { tagBobblehead(bobbleheadId: $b, tagId: $t) { rowId tag { usageCount } } } }"#;
const UNTAG: &str = r#"mutation($b: UUID!, $t: UUID!) { headShakers { untagBobblehead(bobbleheadId: $b, tagId: $t) { deletedId } } }"#;
const TAG_USES: &str = r#"query($id: UUID!) { headShakers { tag(rowId: $id) { usageCount } } }"#;

struct World {
    app: TestApp,
    owner: Uuid,
    owner_t: String,
    other_t: String,
}

async fn world(backend: &e2e::Backend) -> World {
    let app = TestApp::spawn(backend, Data::Empty).await;
    let db = app.db(Database::HeadShakers);
    let owner = hs_user(db, 1).await;
    let other = hs_user(db, 2).await;
    let owner_t = app.token("head_shakers", &owner.to_string());
    let other_t = app.token("head_shakers", &other.to_string());
    World {
        app,
        owner,
        owner_t,
        other_t,
    }
}

impl World {
    /// The one field under `headShakers` of a request that must succeed.
    async fn as_user(&self, q: &str, vars: Value, token: &str) -> Value {
        let r = self.app.gql(q, vars, Some(token)).await;
        let data = r.data()["headShakers"].as_object().cloned();
        data.and_then(|o| o.into_iter().next())
            .map(|(_, v)| v)
            .unwrap_or_default()
    }

    /// The owner's request, which must succeed.
    async fn ok(&self, q: &str, vars: Value) -> Value {
        self.as_user(q, vars, &self.owner_t).await
    }

    /// The error of a request as `CODE` or `CODE field`.
    async fn err(&self, q: &str, vars: Value, token: Option<&str>) -> String {
        let r = self.app.gql(q, vars, token).await;
        let e = &r.body["errors"][0]["extensions"];
        let code = e["code"].as_str().unwrap_or("no error").to_owned();
        match e["field"].as_str() {
            Some(f) => format!("{code} {f}"),
            None => code,
        }
    }

    async fn mine(&self, q: &str, vars: Value) -> String {
        self.err(q, vars, Some(&self.owner_t)).await
    }

    async fn theirs(&self, q: &str, vars: Value) -> String {
        self.err(q, vars, Some(&self.other_t)).await
    }

    async fn collection(&self, name: &str, public: bool) -> String {
        id(&self
            .ok(CREATE_COLLECTION, json!({ "n": name, "p": public }))
            .await)
    }

    async fn sub(&self, collection: &str, name: &str) -> String {
        id(&self
            .ok(CREATE_SUB, json!({ "c": collection, "n": name }))
            .await)
    }

    async fn item(&self, collection: &str, sub: Option<&str>, price: &str) -> String {
        let vars = json!({ "c": collection, "s": sub, "n": "Bobby", "price": price });
        id(&self.ok(CREATE_ITEM, vars).await)
    }

    async fn totals(&self, collection: &str) -> Value {
        self.ok(COLLECTION, json!({ "id": collection })).await
    }

    /// The item count of the collection's first sub-collection.
    async fn first_sub_count(&self, collection: &str) -> Value {
        self.totals(collection).await["subCollections"]["nodes"][0]["itemCount"].clone()
    }

    /// The rows of raw SQL.
    async fn count(&self, sql: &str) -> i64 {
        let db = self.app.db(Database::HeadShakers);
        let sql = format!("SELECT COUNT(*) AS n FROM ({sql}) AS q");
        let stmt = Statement::from_string(db.get_database_backend(), sql.clone());
        let row = db.query_one_raw(stmt).await;
        let row = row.unwrap_or_else(|e| panic!("{sql}: {e}"));
        row.and_then(|r| r.try_get("", "n").ok()).unwrap_or(-1)
    }

    /// Every aggregate equals what it counts.
    async fn exact(&self, b: &str) {
        let checks = [
            "SELECT c.id FROM collections c WHERE c.total_items <> (SELECT COUNT(*) FROM bobbleheads b WHERE b.collection_id = c.id AND b.is_deleted = false)",
            "SELECT c.id FROM collections c WHERE ABS(c.total_value - (SELECT COALESCE(SUM(b.purchase_price), 0) FROM bobbleheads b WHERE b.collection_id = c.id AND b.is_deleted = false)) > 0.001",
            "SELECT s.id FROM sub_collections s WHERE s.item_count <> (SELECT COUNT(*) FROM bobbleheads b WHERE b.sub_collection_id = s.id AND b.is_deleted = false)",
            "SELECT t.id FROM tags t WHERE t.usage_count <> (SELECT COUNT(*) FROM bobblehead_tags bt WHERE bt.tag_id = t.id)",
        ];
        for sql in checks {
            assert_eq!(self.count(sql).await, 0, "{b}: {sql}");
        }
    }
}

fn id(v: &Value) -> String {
    v["rowId"].as_str().unwrap_or_default().to_owned()
}

/// A uuid literal for raw SQL on either backend (SQLite keeps uuids as 16-byte blobs).
fn lit(app: &TestApp, id: Uuid) -> String {
    match app.backend {
        e2e::Backend::Postgres(_) => format!("'{id}'"),
        e2e::Backend::Sqlite => format!("X'{}'", id.simple()),
    }
}

#[tokio::test]
async fn collections_and_sub_collections() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = backend.name();

        let vars = json!({ "n": "Shelf" });
        let r = w.err(CREATE_COLLECTION, vars.clone(), None).await;
        assert_eq!(r, "UNAUTHENTICATED", "{b}");
        let c = w.ok(CREATE_COLLECTION, vars).await;
        assert_eq!(c["isPublic"], true, "{b}: public by default");
        assert_eq!(c["totalItems"], 0, "{b}");
        assert_eq!(c["totalValue"], "0.00", "{b}");
        assert!(c["lastItemAddedAt"].is_null(), "{b}");
        let coll = id(&c);
        for name in ["x".repeat(101), "   ".into()] {
            let r = w.mine(CREATE_COLLECTION, json!({ "n": name })).await;
            assert_eq!(r, "BAD_USER_INPUT name", "{b}: {name}");
        }

        // Update: owner only; null keeps, `clear` empties a nullable column.
        let vars = json!({ "id": coll, "n": "Mine" });
        let r = w.theirs(UPDATE_COLLECTION, vars).await;
        assert_eq!(r, "FORBIDDEN", "{b}");
        let vars = json!({ "id": Uuid::new_v4(), "n": "Mine" });
        assert_eq!(w.mine(UPDATE_COLLECTION, vars).await, "NOT_FOUND", "{b}");
        let vars = json!({ "id": coll, "n": "Top shelf", "d": "Best ones" });
        let u = w.ok(UPDATE_COLLECTION, vars).await;
        assert_eq!(u["description"], "Best ones", "{b}");
        assert_eq!(u["isPublic"], true, "{b}: untouched");
        let vars = json!({ "id": coll, "clear": ["description"] });
        let u = w.ok(UPDATE_COLLECTION, vars).await;
        assert!(u["description"].is_null(), "{b}");
        assert_eq!(u["name"], "Top shelf", "{b}: null keeps");
        let vars = json!({ "id": coll, "clear": ["name"] });
        let r = w.mine(UPDATE_COLLECTION, vars).await;
        assert_eq!(r, "BAD_USER_INPUT clear", "{b}: a name cannot be cleared");

        // Sub-collections append in order; a reorder takes exactly all of them.
        let s1 = w.sub(&coll, "A").await;
        let s2 = w.sub(&coll, "B").await;
        let s3 = w.sub(&coll, "C").await;
        let nodes = w.totals(&coll).await["subCollections"]["nodes"].clone();
        assert_eq!(nodes[2]["sortOrder"], 2, "{b}");
        assert_eq!(nodes[2]["name"], "C", "{b}");
        let vars = json!({ "c": coll, "n": "D", "o": -1 });
        let r = w.mine(CREATE_SUB, vars).await;
        assert_eq!(r, "BAD_USER_INPUT sortOrder", "{b}");
        let vars = json!({ "c": coll, "ids": [s3, s1, s2] });
        let r = w.ok(REORDER_SUBS, vars).await;
        assert_eq!(r[0]["rowId"], s3.as_str(), "{b}");
        assert_eq!(r[0]["sortOrder"], 0, "{b}");
        assert_eq!(r[2]["sortOrder"], 2, "{b}");
        let unknown = Uuid::new_v4().to_string();
        for ids in [
            vec![&s3, &s1],
            vec![&s3, &s1, &s1],
            vec![&s3, &s1, &s2, &unknown],
        ] {
            let r = w.mine(REORDER_SUBS, json!({ "c": coll, "ids": ids })).await;
            assert_eq!(r, "BAD_USER_INPUT ids", "{b}: {ids:?}");
        }
        let vars = json!({ "c": coll, "ids": [s1, s2, s3] });
        assert_eq!(w.theirs(REORDER_SUBS, vars).await, "FORBIDDEN", "{b}");
        let nodes = w.totals(&coll).await["subCollections"]["nodes"].clone();
        assert_eq!(
            nodes[0]["name"], "C",
            "{b}: a refused reorder changes nothing"
        );

        let u = w.ok(UPDATE_SUB, json!({ "id": s1 })).await;
        assert_eq!(u["isPublic"], false, "{b}");
        let r = w.theirs(UPDATE_SUB, json!({ "id": s2 })).await;
        assert_eq!(r, "FORBIDDEN", "{b}");
        let r = w.theirs(UPDATE_SUB, json!({ "id": s1 })).await;
        assert_eq!(r, "NOT_FOUND", "{b}: a private sub-collection is invisible");

        // Deleting a sub-collection keeps its bobbleheads in the collection.
        let item = w.item(&coll, Some(&s2), "12.50").await;
        let r = w.theirs(DELETE_SUB, json!({ "id": s2 })).await;
        assert_eq!(r, "FORBIDDEN", "{b}");
        assert!(
            w.ok(DELETE_SUB, json!({ "id": s2 })).await["deletedId"].is_string(),
            "{b}"
        );
        let i = w.ok(ITEM, json!({ "id": item })).await;
        assert!(i["subCollectionId"].is_null(), "{b}: SET NULL");
        let t = w.totals(&coll).await;
        assert_eq!(t["totalItems"], 1, "{b}");
        assert_eq!(t["totalValue"], "12.50", "{b}");
        w.exact(b).await;

        // Deleting the collection removes everything in it and everything aimed at it.
        let fan = |q: &'static str, vars: Value| w.as_user(q, vars, &w.other_t);
        let like = r#"mutation($t: HeadShakersLikeTargetType!, $id: UUID!) { headShakers { like(targetType: $t, targetId: $id) { rowId } } }"#;
        fan(like, json!({ "t": "COLLECTION", "id": coll })).await;
        fan(like, json!({ "t": "BOBBLEHEAD", "id": item })).await;
        let comment = r#"mutation($t: HeadShakersCommentTargetType!, $id: UUID!) { headShakers { addComment(targetType: $t, targetId: $id, content: "Nice") { rowId } } }"#;
        let c = fan(comment, json!({ "t": "BOBBLEHEAD", "id": item })).await;
        fan(like, json!({ "t": "COMMENT", "id": c["rowId"] })).await;
        fan(comment, json!({ "t": "COLLECTION", "id": coll })).await;
        let follow =
            r#"mutation($c: UUID!) { headShakers { follow(collectionId: $c) { rowId } } }"#;
        fan(follow, json!({ "c": coll })).await;
        let view = r#"mutation($t: HeadShakersContentViewsTargetType!, $id: UUID!) { headShakers { recordView(targetType: $t, targetId: $id) { target { __typename } } } }"#;
        fan(view, json!({ "t": "BOBBLEHEAD", "id": item })).await;
        fan(view, json!({ "t": "SUB_COLLECTION", "id": s3 })).await;
        let aimed = "SELECT id FROM likes UNION ALL SELECT id FROM comments UNION ALL SELECT id FROM follows UNION ALL SELECT id FROM content_views";
        assert_eq!(w.count(aimed).await, 8, "{b}");
        let vars = json!({ "id": coll });
        let r = w.theirs(DELETE_COLLECTION, vars.clone()).await;
        assert_eq!(r, "FORBIDDEN", "{b}");
        assert!(
            w.ok(DELETE_COLLECTION, vars.clone()).await["deletedId"].is_string(),
            "{b}"
        );
        assert!(w.totals(&coll).await.is_null(), "{b}");
        assert_eq!(w.count("SELECT id FROM bobbleheads").await, 0, "{b}");
        assert_eq!(w.count("SELECT id FROM sub_collections").await, 0, "{b}");
        assert_eq!(
            w.count(aimed).await,
            0,
            "{b}: what was aimed at it went too"
        );
        let r = w.mine(DELETE_COLLECTION, vars).await;
        assert_eq!(r, "NOT_FOUND", "{b}");
    }
}

#[tokio::test]
async fn bobbleheads_keep_the_aggregates_exact() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = backend.name();
        let a = w.collection("A", true).await;
        let bc = w.collection("B", true).await;
        let sa = w.sub(&a, "A1").await;
        let sb = w.sub(&bc, "B1").await;

        let cf = json!({ "signed": true, "edition": 12, "note": null });
        let vars = json!({ "c": a, "s": sa, "n": "Bobby", "price": "10.10", "year": 1999, "cf": cf, "ad": "2020-05-01T10:00:00Z" });
        let r = w.err(CREATE_ITEM, vars.clone(), None).await;
        assert_eq!(r, "UNAUTHENTICATED", "{b}");
        let first = w.ok(CREATE_ITEM, vars).await;
        assert_eq!(first["purchasePrice"], "10.10", "{b}");
        assert_eq!(first["customFields"], cf, "{b}");
        assert_eq!(
            first["acquisitionDate"], "2020-05-01T10:00:00.000000Z",
            "{b}"
        );
        assert_eq!(first["currentCondition"], "excellent", "{b}: default");
        assert_eq!(first["status"], "owned", "{b}: default");
        assert_eq!(first["isPublic"], true, "{b}");
        assert_eq!(first["subCollection"]["rowId"], sa.as_str(), "{b}");
        let one = id(&first);
        let two = w.item(&a, None, "20.20").await;
        let t = w.totals(&a).await;
        assert_eq!(t["totalItems"], 2, "{b}");
        assert_eq!(t["totalValue"], "30.30", "{b}");
        assert!(t["lastItemAddedAt"].is_string(), "{b}");
        assert_eq!(w.first_sub_count(&a).await, 1, "{b}");

        // A new price moves the value by the difference; clearing it takes it out.
        let u = w
            .ok(UPDATE_ITEM, json!({ "id": one, "price": "15.55" }))
            .await;
        assert_eq!(u["purchasePrice"], "15.55", "{b}");
        assert_eq!(w.totals(&a).await["totalValue"], "35.75", "{b}");
        let vars = json!({ "id": two, "clear": ["purchasePrice"] });
        w.ok(UPDATE_ITEM, vars).await;
        assert_eq!(w.totals(&a).await["totalValue"], "15.55", "{b}");
        w.ok(UPDATE_ITEM, json!({ "id": two, "price": "20.20" }))
            .await;
        assert_eq!(w.totals(&a).await["totalValue"], "35.75", "{b}");
        let r = w
            .theirs(UPDATE_ITEM, json!({ "id": one, "price": "1" }))
            .await;
        assert_eq!(r, "FORBIDDEN", "{b}");

        // Move: both collections and both sub-collections follow.
        let m = w.ok(MOVE, json!({ "id": one, "c": bc, "s": sb })).await;
        assert_eq!(m["collection"]["rowId"], bc.as_str(), "{b}");
        let ta = w.totals(&a).await;
        assert_eq!(ta["totalItems"], 1, "{b}");
        assert_eq!(ta["totalValue"], "20.20", "{b}");
        assert_eq!(w.first_sub_count(&a).await, 0, "{b}");
        let tb = w.totals(&bc).await;
        assert_eq!(tb["totalItems"], 1, "{b}");
        assert_eq!(tb["totalValue"], "15.55", "{b}");
        assert!(tb["lastItemAddedAt"].is_string(), "{b}");
        assert_eq!(w.first_sub_count(&bc).await, 1, "{b}");
        w.exact(b).await;

        // A move into another collection's sub-collection changes nothing.
        let r = w.mine(MOVE, json!({ "id": one, "c": bc, "s": sa })).await;
        assert_eq!(r, "BAD_USER_INPUT subCollectionId", "{b}");
        assert_eq!(w.totals(&bc).await, tb, "{b}: rolled back");
        let r = w.theirs(MOVE, json!({ "id": one, "c": a })).await;
        assert_eq!(r, "FORBIDDEN", "{b}");

        // Soft delete leaves the aggregates; restore counts it again.
        let vars = json!({ "id": one });
        assert_eq!(
            w.theirs(DELETE_ITEM, vars.clone()).await,
            "FORBIDDEN",
            "{b}"
        );
        let deleted = w.ok(DELETE_ITEM, vars.clone()).await;
        assert!(deleted["deletedId"].is_string(), "{b}");
        assert_eq!(
            deleted["collection"]["totalItems"], 0,
            "{b}: the collection with its new totals"
        );
        let tb = w.totals(&bc).await;
        assert_eq!(tb["totalItems"], 0, "{b}");
        assert_eq!(tb["totalValue"], "0.00", "{b}");
        assert_eq!(w.first_sub_count(&bc).await, 0, "{b}");
        assert!(w.ok(ITEM, vars.clone()).await.is_null(), "{b}: hidden");
        assert_eq!(w.mine(DELETE_ITEM, vars.clone()).await, "NOT_FOUND", "{b}");
        let both = "SELECT id FROM bobbleheads WHERE is_deleted = true AND deleted_at IS NOT NULL";
        assert_eq!(w.count(both).await, 1, "{b}: flag and timestamp together");
        w.exact(b).await;
        assert_eq!(w.theirs(RESTORE, vars.clone()).await, "NOT_FOUND", "{b}");
        let r = w.ok(RESTORE, vars.clone()).await;
        assert_eq!(r["isDeleted"], false, "{b}");
        assert!(r["deletedAt"].is_null(), "{b}");
        let tb = w.totals(&bc).await;
        assert_eq!(tb["totalItems"], 1, "{b}");
        assert_eq!(tb["totalValue"], "15.55", "{b}");
        assert_eq!(w.first_sub_count(&bc).await, 1, "{b}");
        w.ok(RESTORE, vars).await;
        let n = w.totals(&bc).await["totalItems"].clone();
        assert_eq!(n, 1, "{b}: restoring twice is a no-op");

        // Out of the sub-collection, within the collection.
        w.ok(MOVE, json!({ "id": one, "c": bc })).await;
        assert_eq!(w.totals(&bc).await["totalItems"], 1, "{b}");
        assert_eq!(w.first_sub_count(&bc).await, 0, "{b}");
        w.exact(b).await;

        // New items follow the owner's default item privacy (HS-A15).
        let db = w.app.db(Database::HeadShakers);
        let settings = hs_settings(db, w.owner).await;
        let sql = format!(
            "UPDATE user_settings SET default_item_privacy = 'private' WHERE id = {}",
            lit(&w.app, settings)
        );
        db.execute_unprepared(&sql)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let p = w.ok(CREATE_ITEM, json!({ "c": a, "n": "Quiet" })).await;
        assert_eq!(p["isPublic"], false, "{b}");
        let p = w
            .ok(CREATE_ITEM, json!({ "c": a, "n": "Loud", "p": true }))
            .await;
        assert_eq!(p["isPublic"], true, "{b}");
        w.exact(b).await;
    }
}

#[tokio::test]
async fn bobblehead_inputs_are_checked_before_anything_is_written() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = backend.name();
        let a = w.collection("A", true).await;
        let bc = w.collection("B", true).await;
        let sb = w.sub(&bc, "B1").await;
        let before = w.totals(&a).await;

        let bad = [
            (json!({ "n": "x".repeat(201) }), "name"),
            (json!({ "n": " " }), "name"),
            (json!({ "year": 1799 }), "year"),
            (json!({ "year": 2101 }), "year"),
            (json!({ "price": "-1" }), "purchasePrice"),
            (json!({ "price": "1.234" }), "purchasePrice"),
            (json!({ "h": "0" }), "height"),
            (json!({ "h": "1000" }), "height"),
            (json!({ "cf": { "a": { "nested": 1 } } }), "customFields"),
            (json!({ "cf": [1, 2] }), "customFields"),
            (json!({ "cond": "x".repeat(21) }), "currentCondition"),
        ];
        for (mut vars, name) in bad {
            vars["c"] = json!(a);
            if vars.get("n").is_none() {
                vars["n"] = json!("Y");
            }
            let r = w.mine(CREATE_ITEM, vars.clone()).await;
            assert_eq!(r, format!("BAD_USER_INPUT {name}"), "{b}: {vars}");
        }

        // Someone else's collection, a private one of someone else's, unknown ones.
        let private = w.collection("Private", false).await;
        let r = w
            .theirs(CREATE_ITEM, json!({ "c": a, "n": "Theirs" }))
            .await;
        assert_eq!(r, "FORBIDDEN", "{b}");
        let r = w
            .theirs(CREATE_ITEM, json!({ "c": private, "n": "Theirs" }))
            .await;
        assert_eq!(r, "NOT_FOUND", "{b}: invisible");
        let vars = json!({ "c": Uuid::new_v4(), "n": "Nowhere" });
        assert_eq!(w.mine(CREATE_ITEM, vars).await, "NOT_FOUND", "{b}");
        let vars = json!({ "c": a, "s": Uuid::new_v4(), "n": "Nowhere" });
        assert_eq!(w.mine(CREATE_ITEM, vars).await, "NOT_FOUND", "{b}");

        // The insert and the collection's tally run, then the sub-collection check fails:
        // nothing of it remains.
        let vars = json!({ "c": a, "s": sb, "n": "Misplaced", "price": "9.99" });
        let r = w.mine(CREATE_ITEM, vars).await;
        assert_eq!(r, "BAD_USER_INPUT subCollectionId", "{b}");
        assert_eq!(w.count("SELECT id FROM bobbleheads").await, 0, "{b}");
        assert_eq!(w.totals(&a).await, before, "{b}: no counter changed");
        assert_eq!(w.first_sub_count(&bc).await, 0, "{b}");
        w.exact(b).await;
    }
}

#[tokio::test]
async fn photos_keep_one_primary_and_their_order() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = backend.name();
        let a = w.collection("A", true).await;
        let item = w.item(&a, None, "5").await;
        let add = |u: &str, p: Option<bool>| json!({ "b": item, "u": u, "p": p });

        let r = w
            .err(ADD_PHOTO, add("https://x/1.jpg", Some(true)), None)
            .await;
        assert_eq!(r, "UNAUTHENTICATED", "{b}");
        let r = w
            .theirs(ADD_PHOTO, add("https://x/1.jpg", Some(true)))
            .await;
        assert_eq!(r, "FORBIDDEN", "{b}");
        let p1 = w.ok(ADD_PHOTO, add("https://x/1.jpg", Some(true))).await;
        assert_eq!(p1["isPrimary"], true, "{b}");
        assert_eq!(p1["sortOrder"], 0, "{b}");
        let p2 = w.ok(ADD_PHOTO, add("https://x/2.jpg", None)).await;
        assert_eq!(p2["isPrimary"], false, "{b}");
        assert_eq!(p2["sortOrder"], 1, "{b}");
        let p3 = w.ok(ADD_PHOTO, add("https://x/3.jpg", Some(true))).await;
        assert_eq!(p3["sortOrder"], 2, "{b}");
        let (p1, p2, p3) = (id(&p1), id(&p2), id(&p3));
        let primaries = "SELECT id FROM bobblehead_photos WHERE is_primary = true";
        assert_eq!(
            w.count(primaries).await,
            1,
            "{b}: the new primary replaced the old"
        );

        let r = w
            .mine(ADD_PHOTO, json!({ "b": item, "u": "https://x", "w": 0 }))
            .await;
        assert_eq!(r, "BAD_USER_INPUT width", "{b}");
        let r = w.mine(ADD_PHOTO, json!({ "b": item, "u": "  " })).await;
        assert_eq!(r, "BAD_USER_INPUT url", "{b}");
        let r = w
            .mine(ADD_PHOTO, json!({ "b": Uuid::new_v4(), "u": "https://x" }))
            .await;
        assert_eq!(r, "NOT_FOUND", "{b}");

        let vars = json!({ "id": p1 });
        assert_eq!(
            w.theirs(SET_PRIMARY, vars.clone()).await,
            "FORBIDDEN",
            "{b}"
        );
        assert_eq!(w.ok(SET_PRIMARY, vars).await["isPrimary"], true, "{b}");
        assert_eq!(w.count(primaries).await, 1, "{b}");

        let r = w
            .ok(REORDER_PHOTOS, json!({ "b": item, "ids": [p3, p2, p1] }))
            .await;
        assert_eq!(r[0]["rowId"], p3.as_str(), "{b}");
        assert_eq!(r[0]["sortOrder"], 0, "{b}");
        let r = w
            .mine(REORDER_PHOTOS, json!({ "b": item, "ids": [p3, p2] }))
            .await;
        assert_eq!(r, "BAD_USER_INPUT ids", "{b}");
        let photos = w.ok(ITEM, json!({ "id": item })).await["photos"]["nodes"].clone();
        assert_eq!(photos[0]["rowId"], p3.as_str(), "{b}");
        assert_eq!(photos[2]["isPrimary"], true, "{b}");

        let vars = json!({ "id": p2 });
        assert_eq!(
            w.theirs(DELETE_PHOTO, vars.clone()).await,
            "FORBIDDEN",
            "{b}"
        );
        assert!(
            w.ok(DELETE_PHOTO, vars.clone()).await["deletedId"].is_string(),
            "{b}"
        );
        assert_eq!(w.mine(DELETE_PHOTO, vars).await, "NOT_FOUND", "{b}");
        assert_eq!(w.count("SELECT id FROM bobblehead_photos").await, 2, "{b}");
    }
}

#[tokio::test]
async fn tags_are_unique_per_user_and_counted() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = backend.name();
        let a = w.collection("A", true).await;
        let item = w.item(&a, None, "5").await;

        let r = w.err(CREATE_TAG, json!({ "n": "rare" }), None).await;
        assert_eq!(r, "UNAUTHENTICATED", "{b}");
        let t = w.ok(CREATE_TAG, json!({ "n": "rare" })).await;
        assert_eq!(t["color"], "#3B82F6", "{b}: default colour");
        assert_eq!(t["usageCount"], 0, "{b}");
        let tag = id(&t);
        assert_eq!(
            w.mine(CREATE_TAG, json!({ "n": "rare" })).await,
            "CONFLICT",
            "{b}"
        );
        let vars = json!({ "n": "rare", "c": "#00ff00" });
        let theirs = id(&w.as_user(CREATE_TAG, vars, &w.other_t).await);
        for (vars, name) in [
            (json!({ "n": "x", "c": "red" }), "color"),
            (json!({ "n": "x", "c": "#12345G" }), "color"),
            (json!({ "n": "y".repeat(51) }), "name"),
        ] {
            let r = w.mine(CREATE_TAG, vars.clone()).await;
            assert_eq!(r, format!("BAD_USER_INPUT {name}"), "{b}: {vars}");
        }

        let other = id(&w.ok(CREATE_TAG, json!({ "n": "common" })).await);
        let r = w
            .mine(UPDATE_TAG, json!({ "id": other, "n": "rare" }))
            .await;
        assert_eq!(r, "CONFLICT", "{b}");
        let vars = json!({ "id": other, "c": "#ABCDEF" });
        assert_eq!(w.theirs(UPDATE_TAG, vars.clone()).await, "FORBIDDEN", "{b}");
        assert_eq!(w.ok(UPDATE_TAG, vars).await["color"], "#ABCDEF", "{b}");

        // Tagging is idempotent and counted once.
        let vars = json!({ "b": item, "t": tag });
        let first = w.ok(TAG, vars.clone()).await;
        assert_eq!(first["tag"]["usageCount"], 1, "{b}");
        let again = w.ok(TAG, vars.clone()).await;
        assert_eq!(again["rowId"], first["rowId"], "{b}");
        assert_eq!(again["tag"]["usageCount"], 1, "{b}");
        let r = w.mine(TAG, json!({ "b": item, "t": theirs })).await;
        assert_eq!(r, "FORBIDDEN", "{b}: someone else's tag");
        let r = w.theirs(TAG, vars.clone()).await;
        assert_eq!(r, "FORBIDDEN", "{b}: someone else's bobblehead");
        let r = w.mine(TAG, json!({ "b": item, "t": Uuid::new_v4() })).await;
        assert_eq!(r, "NOT_FOUND", "{b}");
        assert!(
            w.ok(UNTAG, vars.clone()).await["deletedId"].is_string(),
            "{b}"
        );
        assert!(
            w.ok(UNTAG, vars.clone()).await["deletedId"].is_null(),
            "{b}"
        );
        let uses = w.ok(TAG_USES, json!({ "id": tag })).await["usageCount"].clone();
        assert_eq!(uses, 0, "{b}");
        w.exact(b).await;

        // Deleting a tag removes its links; deleting a collection uncounts its items' links
        // (soft-deleted items' too: `usage_count` counts links).
        w.ok(TAG, vars.clone()).await;
        w.ok(TAG, json!({ "b": item, "t": other })).await;
        let del = json!({ "id": other });
        assert_eq!(w.theirs(DELETE_TAG, del.clone()).await, "FORBIDDEN", "{b}");
        assert!(w.ok(DELETE_TAG, del).await["deletedId"].is_string(), "{b}");
        let links = w.ok(ITEM, json!({ "id": item })).await["tagLinks"]["totalCount"].clone();
        assert_eq!(links, 1, "{b}");
        w.ok(DELETE_ITEM, json!({ "id": item })).await;
        w.exact(b).await;
        assert!(
            w.ok(DELETE_COLLECTION, json!({ "id": a })).await["deletedId"].is_string(),
            "{b}"
        );
        let uses = w.ok(TAG_USES, json!({ "id": tag })).await["usageCount"].clone();
        assert_eq!(uses, 0, "{b}");
        w.exact(b).await;
    }
}

/// Many clients creating, repricing, tagging, moving, deleting and restoring bobbleheads at
/// once (crossing moves included): every aggregate ends equal to what it counts.
#[tokio::test]
async fn aggregates_stay_exact_under_concurrent_writers() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = backend.name();
        let (a, bc) = (w.collection("A", true).await, w.collection("B", true).await);
        let (sa, sb) = (w.sub(&a, "A1").await, w.sub(&bc, "B1").await);
        let tag = id(&w.ok(CREATE_TAG, json!({ "n": "t" })).await);
        let (w, a, bc, sa, sb, tag) = (&w, &a, &bc, &sa, &sb, &tag);
        let tasks = (0..8).map(|i| async move {
            let vars = json!({ "c": a, "s": sa, "n": format!("B{i}"), "price": format!("{i}.25") });
            let item = id(&w.ok(CREATE_ITEM, vars).await);
            for round in 0..3 {
                let price = format!("{}.{:02}", i + round, round * 7);
                w.ok(UPDATE_ITEM, json!({ "id": item, "price": price }))
                    .await;
                w.ok(TAG, json!({ "b": item, "t": tag })).await;
                let (c, s) = if (i + round) % 2 == 0 {
                    (bc, sb)
                } else {
                    (a, sa)
                };
                w.ok(MOVE, json!({ "id": item, "c": c, "s": s })).await;
                if round == 1 {
                    w.ok(DELETE_ITEM, json!({ "id": item })).await;
                    if i % 2 == 1 {
                        break;
                    }
                    w.ok(RESTORE, json!({ "id": item })).await;
                }
            }
        });
        futures_util::future::join_all(tasks).await;
        w.exact(b).await;
        let live = w
            .count("SELECT id FROM bobbleheads WHERE is_deleted = false")
            .await;
        assert_eq!(live, 4, "{b}: half were deleted and not restored");
        let items = |t: Value| t["totalItems"].as_i64().unwrap_or(-1);
        let total = items(w.totals(a).await) + items(w.totals(bc).await);
        assert_eq!(total, live, "{b}");
    }
}
