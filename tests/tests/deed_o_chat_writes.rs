//! Deed-O chat and OTP writes end to end on every backend: a message's attachments answered
//! typed (`attachmentList`), read for a whole page of messages in one statement; and writes
//! whose foreign or unique key breaks between the service's checks and its insert (a race,
//! forced here by a trigger) answering NOT_FOUND or CONFLICT instead of INTERNAL, with
//! nothing written.

use e2e::{Backend, Data, Reply, TestApp, backends};
use entity::deed_o::{groups, messages};
use entity::deed_o_auth::user_verifications;
use migration::Database;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

const REQUEST: &str = "mutation($e: String!, $a: DeedOVerificationAction!) { deedO { requestOtp(email: $e, action: $a, platform: DEED_O) } }";
const VERIFY: &str = "mutation($r: UUID!, $c: String!) { deedO { verifyOtp(requestId: $r, code: $c) { token user { rowId } } } }";
const GROUP: &str = "mutation($n: String!, $p: String, $m: [Int!]) { deedO { createGroup(name: $n, productId: $p, memberIds: $m) { rowId } } }";
const SEND: &str = "mutation($g: UUID!, $t: String, $a: [DeedOAttachmentInput!]) { deedO { sendMessage(groupId: $g, text: $t, attachments: $a) { rowId attachments attachmentList { url type } } } }";
const PRODUCT: &str = "mutation { deedO { createProduct(cause: GRIEF_CARE, mrp: 100, sellingPrice: 80, images: [\"https://img.example.org/c.png\"], title: \"Candle\", description: \"A candle\", productUrl: \"https://shop.example.org/c\") { rowId } } }";

/// A request for `email`, with its code as a mailbox would receive it.
async fn request(app: &TestApp, email: &str, action: &str) -> Result<(Uuid, String), Reply> {
    let r = app
        .gql(REQUEST, json!({ "e": email, "a": action }), None)
        .await;
    let Some(id) = r.body["data"]["deedO"]["requestOtp"]
        .as_str()
        .and_then(|s| Uuid::parse_str(s).ok())
    else {
        return Err(r);
    };
    let row = user_verifications::Entity::find_by_id(id)
        .one(app.db(Database::DeedOAuth))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no verification {id}"));
    Ok((id, row.otp_code.chars().take(6).collect()))
}

/// Registers `email`: its user id and bearer token.
async fn sign_up(app: &TestApp, email: &str) -> (i64, String) {
    let (id, code) = request(app, email, "REGISTER")
        .await
        .unwrap_or_else(|r| panic!("{}", r.body));
    let r = app.gql(VERIFY, json!({ "r": id, "c": code }), None).await;
    let s = &r.data()["deedO"]["verifyOtp"];
    let user = s["user"]["rowId"].as_i64().unwrap_or_else(|| panic!("{s}"));
    (user, s["token"].as_str().unwrap_or_default().to_owned())
}

fn row_id(r: &Reply, field: &str) -> String {
    r.data()["deedO"][field]["rowId"]
        .as_str()
        .unwrap_or_else(|| panic!("no {field}: {}", r.body))
        .to_owned()
}

async fn send(app: &TestApp, token: &str, group: &str, text: Option<&str>, files: Value) -> Reply {
    app.gql(
        SEND,
        json!({ "g": group, "t": text, "a": files }),
        Some(token),
    )
    .await
}

#[tokio::test]
async fn attachments_read_typed() {
    for backend in backends() {
        let app = TestApp::spawn(&backend, Data::Empty).await;
        let b = backend.name();
        let (_, a) = sign_up(&app, "a@example.org").await;
        let (b_id, bee) = sign_up(&app, "b@example.org").await;
        let r = app
            .gql(GROUP, json!({ "n": "Files", "m": [b_id] }), Some(&a))
            .await;
        let group = row_id(&r, "createGroup");
        let files = json!([
            { "url": "https://cdn.example.org/a.png", "type": "IMAGE" },
            { "url": "https://cdn.example.org/b.mp3", "type": "AUDIO" },
            { "url": "https://cdn.example.org/c.pdf", "type": "FILE" },
            { "url": "https://cdn.example.org/d.mp4", "type": "VIDEO" }
        ]);
        let r = send(&app, &a, &group, None, files.clone()).await;
        let m = &r.data()["deedO"]["sendMessage"];
        assert_eq!(m["attachmentList"], files, "{b}: typed, in order");
        assert_eq!(
            m["attachments"][0],
            json!({ "url": "https://cdn.example.org/a.png", "type": "image" }),
            "{b}: the raw column as stored"
        );
        let r = send(&app, &bee, &group, Some("no files"), Value::Null).await;
        assert_eq!(
            r.data()["deedO"]["sendMessage"]["attachmentList"],
            json!([]),
            "{b}"
        );
        // A row written around the gateway: only items of the documented shape are typed.
        let odd = Uuid::new_v4();
        messages::Entity::insert(messages::ActiveModel {
            id: Set(odd),
            sender_id: Set(i32::try_from(b_id).unwrap_or_default()),
            group_id: Set(Uuid::parse_str(&group).unwrap_or_default()),
            text: Set(None),
            attachments: Set(Some(json!([
                { "url": "https://cdn.example.org/x", "type": "hologram" },
                { "type": "image" },
                "https://cdn.example.org/loose",
                { "url": "https://cdn.example.org/ok.mp4", "type": "video" }
            ]))),
            read_by: Set(Some(json!([]))),
            timestamp: Set(Some(api::graphql::write::now())),
        })
        .exec_without_returning(app.db(Database::DeedO))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        let r = app
            .gql(
                "query($id: UUID!) { deedO { message(rowId: $id) { attachmentList { url type } } } }",
                json!({ "id": odd }),
                Some(&a),
            )
            .await;
        assert_eq!(
            r.data()["deedO"]["message"]["attachmentList"],
            json!([{ "url": "https://cdn.example.org/ok.mp4", "type": "VIDEO" }]),
            "{b}"
        );
        // A non-member reads no message, so no attachment either.
        let (_, c) = sign_up(&app, "c@example.org").await;
        let r = app
            .gql(
                "query($id: UUID!) { deedO { message(rowId: $id) { attachmentList { url } } } }",
                json!({ "id": odd }),
                Some(&c),
            )
            .await;
        assert_eq!(r.data()["deedO"]["message"], Value::Null, "{b}");
    }
}

#[tokio::test]
async fn typed_attachments_of_a_page_cost_the_same_at_two_sizes() {
    for backend in backends() {
        let app = TestApp::spawn(&backend, Data::Empty).await;
        let b = backend.name();
        let (_, a) = sign_up(&app, "a@example.org").await;
        let q = "query($id: UUID!) { deedO { group(rowId: $id) { messages(first: 50) { nodes { text attachmentList { url type } } } } } }";
        let mut seen = Vec::new();
        for n in [2, 7] {
            let r = app
                .gql(GROUP, json!({ "n": format!("G{n}") }), Some(&a))
                .await;
            let group = row_id(&r, "createGroup");
            for i in 0..n {
                let files =
                    json!([{ "url": format!("https://cdn.example.org/{i}.png"), "type": "IMAGE" }]);
                send(&app, &a, &group, Some("see"), files).await.data();
            }
            let r = app.gql(q, json!({ "id": group }), Some(&a)).await;
            let nodes = r.data()["deedO"]["group"]["messages"]["nodes"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let typed = nodes
                .iter()
                .filter(|m| m["attachmentList"][0]["type"] == "IMAGE")
                .count();
            assert_eq!((nodes.len(), typed), (n, n), "{b}: {}", r.body);
            seen.push(r.statements.unwrap_or(usize::MAX));
        }
        assert_eq!(seen[0], seen[1], "{b}: statements at two sizes");
    }
}

/// A trigger, on `table` of `db`, that runs `action` (SQL using `NEW`) before each insert:
/// the race the services guard against, made certain. Answers its name for [`drop_trigger`];
/// names are never reused, since a pooled SQLite connection may still have the dropped one in
/// its schema cache when it parses the next `CREATE TRIGGER`.
async fn before_insert(app: &TestApp, db: Database, table: &str, action: &str) -> String {
    let name = format!("race_{table}_{}", Uuid::new_v4().simple());
    let sql = match app.backend {
        Backend::Sqlite => vec![format!(
            "CREATE TRIGGER {name} BEFORE INSERT ON {table} BEGIN {action}; END"
        )],
        // `pg_trigger_depth` keeps an insert of the action itself from firing it again.
        Backend::Postgres(_) => vec![
            format!(
                "CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF pg_trigger_depth() = 1 THEN {action}; END IF; RETURN NEW; END $$"
            ),
            format!(
                "CREATE TRIGGER {name} BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()"
            ),
        ],
    };
    for s in sql {
        app.db(db)
            .execute_unprepared(&s)
            .await
            .unwrap_or_else(|e| panic!("{s}: {e}"));
    }
    name
}

async fn drop_trigger(app: &TestApp, db: Database, table: &str, name: &str) {
    let sql = match app.backend {
        Backend::Sqlite => vec![format!("DROP TRIGGER {name}")],
        Backend::Postgres(_) => vec![
            format!("DROP TRIGGER {name} ON {table}"),
            format!("DROP FUNCTION {name}()"),
        ],
    };
    for s in sql {
        app.db(db)
            .execute_unprepared(&s)
            .await
            .unwrap_or_else(|e| panic!("{s}: {e}"));
    }
}

#[tokio::test]
async fn key_races_answer_not_found_or_conflict() {
    for backend in backends() {
        let app = TestApp::spawn(&backend, Data::Empty).await;
        let b = backend.name();
        let (_, a) = sign_up(&app, "a@example.org").await;
        let r = app.gql(PRODUCT, json!({}), Some(&a)).await;
        let product = row_id(&r, "createProduct");

        // The product vanishes between createGroup's check and its insert.
        let t = before_insert(
            &app,
            Database::DeedO,
            "groups",
            "DELETE FROM products WHERE id = NEW.product_id",
        )
        .await;
        let r = app
            .gql(GROUP, json!({ "n": "Gone", "p": product }), Some(&a))
            .await;
        assert_eq!(r.code(), Some("NOT_FOUND"), "{b}: {}", r.body);
        drop_trigger(&app, Database::DeedO, "groups", &t).await;
        let left = groups::Entity::find()
            .filter(groups::Column::Name.eq("Gone"))
            .all(app.db(Database::DeedO))
            .await
            .unwrap_or_default();
        assert!(left.is_empty(), "{b}: no group written");
        let r = app
            .gql(GROUP, json!({ "n": "Chat", "p": product }), Some(&a))
            .await;
        let group = row_id(&r, "createGroup");

        // The group vanishes between sendMessage's membership check and its insert; the
        // transaction is undone, so the group is back.
        let t = before_insert(
            &app,
            Database::DeedO,
            "messages",
            "DELETE FROM groups WHERE id = NEW.group_id",
        )
        .await;
        let r = send(&app, &a, &group, Some("hello?"), Value::Null).await;
        assert_eq!(r.code(), Some("NOT_FOUND"), "{b}: {}", r.body);
        drop_trigger(&app, Database::DeedO, "messages", &t).await;
        // Another insert took the message's id first.
        let t = before_insert(
            &app,
            Database::DeedO,
            "messages",
            "INSERT INTO messages (id, sender_id, group_id, text) VALUES (NEW.id, NEW.sender_id, NEW.group_id, 'twin')",
        )
        .await;
        let r = send(&app, &a, &group, Some("first"), Value::Null).await;
        assert_eq!(r.code(), Some("CONFLICT"), "{b}: {}", r.body);
        drop_trigger(&app, Database::DeedO, "messages", &t).await;
        let r = app
            .gql(
                "query($id: UUID!) { deedO { group(rowId: $id) { lastMessage { rowId } messages { totalCount } } } }",
                json!({ "id": group }),
                Some(&a),
            )
            .await;
        assert_eq!(
            r.data()["deedO"]["group"],
            json!({ "lastMessage": null, "messages": { "totalCount": 0 } }),
            "{b}: nothing written"
        );
        send(&app, &a, &group, Some("now"), Value::Null)
            .await
            .data();

        // The account vanishes while its code is being written, or its session.
        sign_up(&app, "gone@example.org").await;
        let t = before_insert(
            &app,
            Database::DeedOAuth,
            "user_verifications",
            "DELETE FROM users WHERE id = NEW.user_id",
        )
        .await;
        let r = request(&app, "gone@example.org", "LOGIN")
            .await
            .err()
            .unwrap_or_else(|| panic!("{b}: a code was sent"));
        assert_eq!(r.code(), Some("NOT_FOUND"), "{b}: {}", r.body);
        drop_trigger(&app, Database::DeedOAuth, "user_verifications", &t).await;
        let (id, code) = request(&app, "gone@example.org", "LOGIN")
            .await
            .unwrap_or_else(|r| panic!("{b}: {}", r.body));
        let t = before_insert(
            &app,
            Database::DeedOAuth,
            "tokens",
            "DELETE FROM users WHERE id = NEW.user_id",
        )
        .await;
        let r = app.gql(VERIFY, json!({ "r": id, "c": code }), None).await;
        assert_eq!(r.code(), Some("NOT_FOUND"), "{b}: {}", r.body);
        drop_trigger(&app, Database::DeedOAuth, "tokens", &t).await;
        // Undone: the code is still unused and works.
        let r = app.gql(VERIFY, json!({ "r": id, "c": code }), None).await;
        assert!(r.data()["deedO"]["verifyOtp"]["token"].is_string(), "{b}");
    }
}
