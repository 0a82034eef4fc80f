//! Chat groups, members, messages and read receipts, and the main and auth databases on two
//! different databases.

use e2e::{Data, TestApp, backends};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{create, sign_up};

const GROUP: &str = "rowId name members productId lastMessage { rowId text }";
const MESSAGE: &str = "rowId text attachments readBy sender { rowId } group { rowId }";

async fn send(
    app: &TestApp,
    token: &str,
    group: &str,
    text: Option<&str>,
    files: Value,
) -> e2e::Reply {
    let q = format!(
        "mutation($g: UUID!, $t: String, $a: [DeedOAttachmentInput!]) {{ deedO {{ sendMessage(groupId: $g, text: $t, attachments: $a) {{ {MESSAGE} }} }} }}"
    );
    app.gql(
        &q,
        json!({ "g": group, "t": text, "a": files }),
        Some(token),
    )
    .await
}

async fn membership(app: &TestApp, token: &str, op: &str, group: &str, user: i64) -> e2e::Reply {
    let q = format!(
        "mutation($g: UUID!, $u: Int!) {{ deedO {{ {op}(groupId: $g, userId: $u) {{ {GROUP} }} }} }}"
    );
    app.gql(&q, json!({ "g": group, "u": user }), Some(token))
        .await
}

async fn mark_read(app: &TestApp, token: &str, message: &str) -> e2e::Reply {
    let q =
        format!("mutation($m: UUID!) {{ deedO {{ markRead(messageId: $m) {{ {MESSAGE} }} }} }}");
    app.gql(&q, json!({ "m": message }), Some(token)).await
}

#[tokio::test]
async fn groups_members_messages_and_receipts() {
    for backend in backends() {
        let app = TestApp::spawn(&backend, Data::Empty).await;
        let b = backend.name();
        let (a_id, a) = sign_up(&app, "a@example.org").await;
        let (b_id, bee) = sign_up(&app, "b@example.org").await;
        let (c_id, c) = sign_up(&app, "c@example.org").await;
        let r = create(&app, Some(&a), json!({})).await;
        let product = r.data()["deedO"]["createProduct"]["rowId"]
            .as_str()
            .unwrap_or_default()
            .to_owned();

        let create_group = format!(
            "mutation($n: String!, $p: String, $m: [Int!]) {{ deedO {{ createGroup(name: $n, productId: $p, memberIds: $m) {{ {GROUP} }} }} }}"
        );
        assert_eq!(
            app.gql(
                &create_group,
                json!({ "n": "Chat", "m": [b_id, 99999] }),
                Some(&a)
            )
            .await
            .code(),
            Some("BAD_USER_INPUT"),
            "{b}"
        );
        assert_eq!(
            app.gql(&create_group, json!({ "n": " " }), Some(&a))
                .await
                .code(),
            Some("BAD_USER_INPUT"),
            "{b}"
        );
        // Another vendor's draft is not a product the creator can name.
        assert_eq!(
            app.gql(
                &create_group,
                json!({ "n": "Chat", "p": product }),
                Some(&bee)
            )
            .await
            .code(),
            Some("NOT_FOUND"),
            "{b}"
        );
        assert_eq!(
            app.gql(&create_group, json!({ "n": "Chat" }), None)
                .await
                .code(),
            Some("UNAUTHENTICATED"),
            "{b}"
        );
        let r = app
            .gql(
                &create_group,
                json!({ "n": "Candle chat", "p": product, "m": [b_id, b_id] }),
                Some(&a),
            )
            .await;
        let g = &r.data()["deedO"]["createGroup"];
        let group = g["rowId"].as_str().unwrap_or_default().to_owned();
        let mut want = vec![a_id, b_id];
        want.sort_unstable();
        assert_eq!(g["members"], json!(want), "{b}");
        assert_eq!(g["productId"].as_str(), Some(product.as_str()), "{b}");

        // Non-members: the group does not exist for them.
        assert_eq!(
            send(&app, &c, &group, Some("hi"), Value::Null).await.code(),
            Some("NOT_FOUND"),
            "{b}"
        );
        assert_eq!(
            membership(&app, &c, "addMember", &group, c_id).await.code(),
            Some("NOT_FOUND"),
            "{b}"
        );
        let r = app
            .gql(
                "{ deedO { groups { nodes { rowId } } messages { nodes { rowId } } } }",
                json!({}),
                Some(&c),
            )
            .await;
        assert_eq!(r.data()["deedO"]["groups"]["nodes"], json!([]), "{b}");

        // Messages: text and/or typed attachments; each becomes the group's last message.
        assert_eq!(
            send(&app, &a, &group, Some("  "), json!([])).await.code(),
            Some("BAD_USER_INPUT"),
            "{b}"
        );
        assert_eq!(
            send(
                &app,
                &a,
                &group,
                None,
                json!([{ "url": "nope", "type": "IMAGE" }])
            )
            .await
            .code(),
            Some("BAD_USER_INPUT"),
            "{b}"
        );
        let r = send(&app, &a, &group, Some("Hello"), Value::Null).await;
        let first = r.data()["deedO"]["sendMessage"]["rowId"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let r = send(&app, &bee, &group, None, json!([{ "url": "https://cdn.example.org/a.png", "type": "IMAGE" }, { "url": "https://cdn.example.org/b.mp3", "type": "AUDIO" }])).await;
        let m = &r.data()["deedO"]["sendMessage"];
        assert_eq!(
            m["attachments"],
            json!([{ "url": "https://cdn.example.org/a.png", "type": "image" }, { "url": "https://cdn.example.org/b.mp3", "type": "audio" }]),
            "{b}"
        );
        assert_eq!(
            (m["sender"]["rowId"].as_i64(), m["readBy"].clone()),
            (Some(b_id), json!([])),
            "{b}"
        );
        let second = m["rowId"].as_str().unwrap_or_default().to_owned();
        let r = app
            .gql(
                &format!("query($id: UUID!) {{ deedO {{ group(rowId: $id) {{ {GROUP} }} }} }}"),
                json!({ "id": group }),
                Some(&a),
            )
            .await;
        assert_eq!(
            r.data()["deedO"]["group"]["lastMessage"]["rowId"].as_str(),
            Some(second.as_str()),
            "{b}: {}",
            r.body
        );

        // Read receipts: once per reader, members only.
        mark_read(&app, &bee, &first).await.data();
        let r = mark_read(&app, &bee, &first).await;
        assert_eq!(
            r.data()["deedO"]["markRead"]["readBy"],
            json!([b_id]),
            "{b}"
        );
        assert_eq!(
            mark_read(&app, &c, &first).await.code(),
            Some("NOT_FOUND"),
            "{b}"
        );
        assert_eq!(
            mark_read(&app, &a, &Uuid::new_v4().to_string())
                .await
                .code(),
            Some("NOT_FOUND"),
            "{b}"
        );

        // Members add and remove members; a removed member is out again.
        assert_eq!(
            membership(&app, &a, "addMember", &group, 99999)
                .await
                .code(),
            Some("BAD_USER_INPUT"),
            "{b}"
        );
        let r = membership(&app, &bee, "addMember", &group, c_id).await;
        assert!(
            r.data()["deedO"]["addMember"]["members"]
                .as_array()
                .is_some_and(|m| m.contains(&json!(c_id))),
            "{b}"
        );
        membership(&app, &bee, "addMember", &group, c_id)
            .await
            .data();
        send(&app, &c, &group, Some("Thanks for adding me"), Value::Null)
            .await
            .data();
        let r = membership(&app, &a, "removeMember", &group, c_id).await;
        assert_eq!(
            r.data()["deedO"]["removeMember"]["members"],
            json!(want),
            "{b}"
        );
        assert_eq!(
            send(&app, &c, &group, Some("still here?"), Value::Null)
                .await
                .code(),
            Some("NOT_FOUND"),
            "{b}"
        );
        // Leaving: the group is gone for the leaver.
        let r = membership(&app, &bee, "removeMember", &group, b_id).await;
        assert_eq!(r.data()["deedO"]["removeMember"], Value::Null, "{b}");
        assert_eq!(
            send(&app, &bee, &group, Some("bye"), Value::Null)
                .await
                .code(),
            Some("NOT_FOUND"),
            "{b}"
        );
    }
}

/// Statements of the group messages query (senders from the auth database), after checking
/// that every message's sender and every product's vendor resolved across the two databases.
async fn cross_database_reads(app: &TestApp, admin: &str) -> usize {
    let r = app
        .gql(
            "{ deedO { products(first: 20) { nodes { vendor { rowId name } } } } }",
            json!({}),
            Some(admin),
        )
        .await;
    let products = r.data()["deedO"]["products"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        !products.is_empty() && products.iter().all(|p| p["vendor"]["name"].is_string()),
        "{}",
        r.body
    );
    let q =
        "{ deedO { groups { nodes { messages(first: 10) { nodes { text sender { name } } } } } } }";
    let r = app.gql(q, json!({}), Some(admin)).await;
    let mut senders = 0;
    for g in r.data()["deedO"]["groups"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        for m in g["messages"]["nodes"]
            .as_array()
            .cloned()
            .unwrap_or_default()
        {
            assert!(m["sender"]["name"].is_string(), "unresolved sender: {m}");
            senders += 1;
        }
    }
    assert!(senders > 0, "no messages read: {}", r.body);
    r.statements.unwrap_or_else(|| panic!("no statement count"))
}

#[tokio::test]
async fn main_and_auth_on_different_databases() {
    for backend in backends() {
        let b = backend.name();
        let mut counts = Vec::new();
        for scale in [1, 3] {
            let (app, _apart) = TestApp::spawn_apart(&backend, Data::Scaled(scale)).await;
            let admin = app.holder("deed_o", "admin").await;
            let admin = app.token("deed_o", &admin);
            counts.push(cross_database_reads(&app, &admin).await);
            if scale == 1 {
                // Writes across the two databases: a new user's group and message.
                let (me, token) = sign_up(&app, "split@example.org").await;
                let q = "mutation($m: [Int!]) { deedO { createGroup(name: \"Split\", memberIds: $m) { rowId } } }";
                let r = app.gql(q, json!({ "m": [1] }), Some(&token)).await;
                let group = r.data()["deedO"]["createGroup"]["rowId"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                let r = send(&app, &token, &group, Some("across"), Value::Null).await;
                assert_eq!(
                    r.data()["deedO"]["sendMessage"]["sender"]["rowId"].as_i64(),
                    Some(me),
                    "{b}"
                );
            }
        }
        assert_eq!(counts[0], counts[1], "{b}: statements at two data sizes");
    }
}
