//! Mind-vault's own operations end to end on every backend: video summaries from every common
//! YouTube URL form, invalid URLs, duplicates, the processing status flow with typed content,
//! tags, categories and keyframes, the viewer's filtered summary list, per-user scoping, and
//! the statements of the summary list with tags and keyframes at two data sizes.

use e2e::{Data, Reply, TestApp, backends};
use migration::Database;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

const CREATE: &str = r#"mutation($u: String!, $t: String, $d: Int) { mindVault { createVideoSummary(youtubeUrl: $u, title: $t, duration: $d) { rowId youtubeId youtubeUrl title processingStatus thumbnailUrl user { rowId } } } }"#;
const STATUS: &str = r#"mutation($id: String!, $s: MindVaultProcessingStatus!, $e: String, $c: JSON) { mindVault { updateProcessingStatus(id: $id, status: $s, error: $e, aiGeneratedContent: $c) { processingStatus processingError aiGeneratedContent } } }"#;
const TAG: &str = r#"mutation($n: String!) { mindVault { createTag(name: $n, description: "d") { rowId name } } }"#;
const CATEGORY: &str =
    r#"mutation($n: String!) { mindVault { createCategory(name: $n) { rowId name } } }"#;
const ATTACH_TAG: &str = r#"mutation($s: String!, $t: String!) { mindVault { attachTag(summaryId: $s, tagId: $t) { videoSummaryTags { totalCount } } } }"#;
const DETACH_TAG: &str = r#"mutation($s: String!, $t: String!) { mindVault { detachTag(summaryId: $s, tagId: $t) { videoSummaryTags { totalCount } } } }"#;
const ATTACH_CAT: &str = r#"mutation($s: String!, $t: String!) { mindVault { attachCategory(summaryId: $s, categoryId: $t) { videoSummaryCategories { totalCount } } } }"#;
const DETACH_CAT: &str = r#"mutation($s: String!, $t: String!) { mindVault { detachCategory(summaryId: $s, categoryId: $t) { videoSummaryCategories { totalCount } } } }"#;
const KEYFRAME: &str = r#"mutation($s: String!, $at: Int!) { mindVault { addKeyframe(summaryId: $s, timestamp: $at, imageUrl: "https://img.example.com/k.jpg") { rowId timestamp videoSummary { rowId } } } }"#;
const SUMMARIES: &str = r#"query($s: MindVaultProcessingStatus, $t: [String!], $c: [String!]) { mindVault { summaries(status: $s, tagIds: $t, categoryIds: $c, first: 50) { totalCount nodes { rowId } } } }"#;

/// An app with two Mind-vault users and their tokens.
struct World {
    app: TestApp,
    alice: String,
    bob: String,
}

async fn user(app: &TestApp, id: &str) {
    app.db(Database::MindVault)
        .execute_unprepared(&format!(
            r#"INSERT INTO "user" (id, name, email, "emailVerified", "createdAt", "updatedAt") VALUES ('{id}', '{id}', '{id}@example.com', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"#
        ))
        .await
        .unwrap_or_else(|e| panic!("insert user: {e}"));
}

async fn world(backend: &e2e::Backend) -> World {
    let app = TestApp::spawn(backend, Data::Empty).await;
    user(&app, "alice").await;
    user(&app, "bob").await;
    let alice = app.token("mind_vault", "alice");
    let bob = app.token("mind_vault", "bob");
    World { app, alice, bob }
}

fn field(r: &Reply) -> Option<&str> {
    r.body["errors"][0]["extensions"]["field"].as_str()
}

async fn create(w: &World, url: &str, token: &str) -> Reply {
    w.app
        .gql(CREATE, json!({ "u": url, "d": 600 }), Some(token))
        .await
}

async fn summary(w: &World, url: &str) -> String {
    let r = create(w, url, &w.alice).await;
    r.data()["mindVault"]["createVideoSummary"]["rowId"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn set_status(w: &World, token: &str, id: &str, s: &str, e: Value, c: Value) -> Reply {
    w.app
        .gql(
            STATUS,
            json!({ "id": id, "s": s, "e": e, "c": c }),
            Some(token),
        )
        .await
}

#[tokio::test]
async fn every_url_form_creates_a_pending_summary() {
    let forms = [
        ("https://www.youtube.com/watch?v=aaaaaaaaaa1", "aaaaaaaaaa1"),
        (
            "http://youtube.com/watch?feature=share&v=aaaaaaaaaa2&t=42s",
            "aaaaaaaaaa2",
        ),
        ("https://m.youtube.com/watch?v=aaaaaaaaaa3", "aaaaaaaaaa3"),
        (
            "https://music.youtube.com/watch?v=aaaaaaaaaa4&list=RD1",
            "aaaaaaaaaa4",
        ),
        ("https://youtu.be/aaaaaaaaaa5?t=30", "aaaaaaaaaa5"),
        (
            "https://www.youtube.com/embed/aaaaaaaaaa6?start=10",
            "aaaaaaaaaa6",
        ),
        ("https://www.youtube.com/shorts/aaaaaaaaaa7", "aaaaaaaaaa7"),
        (
            "https://www.youtube.com/live/aaaaaaaaaa8?si=x",
            "aaaaaaaaaa8",
        ),
        ("youtube.com/watch?v=aaaa-aaa_a9#t=1m", "aaaa-aaa_a9"),
    ];
    for backend in backends() {
        let w = world(&backend).await;
        let b = backend.name();
        for (url, id) in forms {
            let r = create(&w, url, &w.alice).await;
            let s = &r.data()["mindVault"]["createVideoSummary"];
            assert_eq!(s["youtubeId"], id, "{b}: {url}");
            assert_eq!(s["processingStatus"], "PENDING", "{b}");
            assert_eq!(s["youtubeUrl"], url, "{b}");
            assert_eq!(s["title"], format!("YouTube video {id}"), "{b}");
            assert_eq!(s["user"]["rowId"], "alice", "{b}");
            let row_id = s["rowId"].as_str().unwrap_or_default();
            assert_eq!(row_id.len(), 21, "{b}: nanoid-like id {row_id}");
            assert!(
                row_id
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-'),
                "{b}: {row_id}"
            );
        }
        let r = w
            .app
            .gql(
                CREATE,
                json!({ "u": "https://youtu.be/bbbbbbbbbbb", "t": "  My title " }),
                Some(&w.alice),
            )
            .await;
        assert_eq!(
            r.data()["mindVault"]["createVideoSummary"]["title"],
            "My title",
            "{b}"
        );
    }
}

#[tokio::test]
async fn invalid_urls_duplicates_and_anonymous_callers_are_refused() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = backend.name();
        for url in [
            "",
            "dQw4w9WgXcQ",
            "https://vimeo.com/123",
            "https://www.youtube.com/watch?v=short",
            "https://www.youtube.com/channel/UC1",
            "https://youtube.com.evil.com/watch?v=dQw4w9WgXcQ",
        ] {
            let r = create(&w, url, &w.alice).await;
            assert_eq!(r.code(), Some("BAD_USER_INPUT"), "{b}: {url}");
            assert_eq!(field(&r), Some("youtubeUrl"), "{b}: {url}");
        }
        let r = w
            .app
            .gql(
                CREATE,
                json!({ "u": "https://youtu.be/dQw4w9WgXcQ", "d": -1 }),
                Some(&w.alice),
            )
            .await;
        assert_eq!(field(&r), Some("duration"), "{b}");
        summary(&w, "https://youtu.be/dQw4w9WgXcQ").await;
        // The same video in another URL form is still the same video.
        let r = create(
            &w,
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=5",
            &w.alice,
        )
        .await;
        assert_eq!(r.code(), Some("CONFLICT"), "{b}");
        // Another user may summarize it too.
        let r = create(&w, "https://youtu.be/dQw4w9WgXcQ", &w.bob).await;
        assert_eq!(
            r.data()["mindVault"]["createVideoSummary"]["user"]["rowId"],
            "bob",
            "{b}"
        );
        let r = w
            .app
            .gql(CREATE, json!({ "u": "https://youtu.be/ccccccccccc" }), None)
            .await;
        assert_eq!(r.code(), Some("UNAUTHENTICATED"), "{b}");
        let ghost = w.app.token("mind_vault", "ghost");
        let r = create(&w, "https://youtu.be/ccccccccccc", &ghost).await;
        assert_eq!(r.code(), Some("UNAUTHENTICATED"), "{b}");
    }
}

#[tokio::test]
async fn the_processing_flow_is_enforced_with_typed_content() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = backend.name();
        let a = summary(&w, "https://youtu.be/aaaaaaaaaaa").await;
        let null = Value::Null;
        // Illegal from pending.
        for s in ["COMPLETED", "PENDING"] {
            let r = set_status(&w, &w.alice, &a, s, null.clone(), null.clone()).await;
            assert_eq!(r.code(), Some("BAD_USER_INPUT"), "{b}: pending → {s}");
            assert_eq!(field(&r), Some("status"), "{b}");
        }
        // Another user's summary does not exist for them.
        let r = set_status(&w, &w.bob, &a, "PROCESSING", null.clone(), null.clone()).await;
        assert_eq!(r.code(), Some("NOT_FOUND"), "{b}");
        let r = set_status(
            &w,
            &w.alice,
            "nope",
            "PROCESSING",
            null.clone(),
            null.clone(),
        )
        .await;
        assert_eq!(r.code(), Some("NOT_FOUND"), "{b}");
        let r = set_status(&w, &w.alice, &a, "PROCESSING", null.clone(), null.clone()).await;
        assert_eq!(
            r.data()["mindVault"]["updateProcessingStatus"]["processingStatus"],
            "PROCESSING",
            "{b}"
        );
        let r = set_status(&w, &w.alice, &a, "PENDING", null.clone(), null.clone()).await;
        assert_eq!(field(&r), Some("status"), "{b}: processing → pending");
        // Badly typed content.
        for c in [
            json!("text"),
            json!({ "summary": 3 }),
            json!({ "keyPoints": [1] }),
            json!({ "topics": "x" }),
            json!({ "chapters": [{ "title": "a" }] }),
            json!({ "chapters": [{ "title": "a", "startSeconds": 9, "endSeconds": 1 }] }),
        ] {
            let r = set_status(&w, &w.alice, &a, "COMPLETED", null.clone(), c.clone()).await;
            assert_eq!(field(&r), Some("aiGeneratedContent"), "{b}: {c}");
        }
        let content = json!({
            "summary": "A talk.", "keyPoints": ["one", "two"], "topics": ["rust"],
            "chapters": [{ "title": "Intro", "startSeconds": 0, "endSeconds": 30 }, { "title": "Body", "startSeconds": 30, "summary": "s" }]
        });
        let r = set_status(&w, &w.alice, &a, "COMPLETED", null.clone(), content.clone()).await;
        let s = &r.data()["mindVault"]["updateProcessingStatus"];
        assert_eq!(s["processingStatus"], "COMPLETED", "{b}");
        assert_eq!(s["aiGeneratedContent"], content, "{b}");
        for to in ["FAILED", "PROCESSING", "PENDING"] {
            let r = set_status(&w, &w.alice, &a, to, json!("x"), null.clone()).await;
            assert_eq!(r.code(), Some("BAD_USER_INPUT"), "{b}: completed → {to}");
        }
        // Failing needs the error and keeps it.
        let f = summary(&w, "https://youtu.be/fffffffffff").await;
        set_status(&w, &w.alice, &f, "PROCESSING", null.clone(), null.clone()).await;
        let r = set_status(&w, &w.alice, &f, "FAILED", null.clone(), null.clone()).await;
        assert_eq!(field(&r), Some("error"), "{b}");
        let r = set_status(
            &w,
            &w.alice,
            &f,
            "FAILED",
            json!("no captions"),
            null.clone(),
        )
        .await;
        let s = &r.data()["mindVault"]["updateProcessingStatus"];
        assert_eq!(s["processingStatus"], "FAILED", "{b}");
        assert_eq!(s["processingError"], "no captions", "{b}");
        let r = set_status(&w, &w.alice, &f, "COMPLETED", null.clone(), null.clone()).await;
        assert_eq!(field(&r), Some("status"), "{b}: failed → completed");
    }
}

#[tokio::test]
async fn tags_categories_and_keyframes_belong_to_own_summaries() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = backend.name();
        let s = summary(&w, "https://youtu.be/aaaaaaaaaaa").await;
        let r = w
            .app
            .gql(TAG, json!({ "n": " rust " }), Some(&w.alice))
            .await;
        let tag = r.data()["mindVault"]["createTag"]["rowId"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert_eq!(r.data()["mindVault"]["createTag"]["name"], "rust", "{b}");
        let r = w.app.gql(TAG, json!({ "n": "rust" }), Some(&w.bob)).await;
        assert_eq!(r.code(), Some("CONFLICT"), "{b}");
        let r = w.app.gql(TAG, json!({ "n": "  " }), Some(&w.bob)).await;
        assert_eq!(field(&r), Some("name"), "{b}");
        let r = w
            .app
            .gql(CATEGORY, json!({ "n": "Tech" }), Some(&w.alice))
            .await;
        let cat = r.data()["mindVault"]["createCategory"]["rowId"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let r = w
            .app
            .gql(CATEGORY, json!({ "n": "Tech" }), Some(&w.alice))
            .await;
        assert_eq!(r.code(), Some("CONFLICT"), "{b}");

        let vars = json!({ "s": s, "t": tag });
        for _ in 0..2 {
            let r = w.app.gql(ATTACH_TAG, vars.clone(), Some(&w.alice)).await;
            assert_eq!(
                r.data()["mindVault"]["attachTag"]["videoSummaryTags"]["totalCount"],
                1,
                "{b}"
            );
        }
        let r = w.app.gql(ATTACH_TAG, vars.clone(), Some(&w.bob)).await;
        assert_eq!(r.code(), Some("NOT_FOUND"), "{b}: another user's summary");
        let r = w
            .app
            .gql(
                ATTACH_TAG,
                json!({ "s": s, "t": "missing" }),
                Some(&w.alice),
            )
            .await;
        assert_eq!(r.code(), Some("NOT_FOUND"), "{b}: a missing tag");
        let cvars = json!({ "s": s, "t": cat });
        for _ in 0..2 {
            let r = w.app.gql(ATTACH_CAT, cvars.clone(), Some(&w.alice)).await;
            assert_eq!(
                r.data()["mindVault"]["attachCategory"]["videoSummaryCategories"]["totalCount"],
                1,
                "{b}"
            );
        }
        let r = w.app.gql(DETACH_CAT, cvars.clone(), Some(&w.bob)).await;
        assert_eq!(r.code(), Some("NOT_FOUND"), "{b}");
        for _ in 0..2 {
            let r = w.app.gql(DETACH_CAT, cvars.clone(), Some(&w.alice)).await;
            assert_eq!(
                r.data()["mindVault"]["detachCategory"]["videoSummaryCategories"]["totalCount"],
                0,
                "{b}"
            );
            let r = w.app.gql(DETACH_TAG, vars.clone(), Some(&w.alice)).await;
            assert_eq!(
                r.data()["mindVault"]["detachTag"]["videoSummaryTags"]["totalCount"],
                0,
                "{b}"
            );
        }

        for at in [300, 10, 600, 0] {
            let r = w
                .app
                .gql(KEYFRAME, json!({ "s": s, "at": at }), Some(&w.alice))
                .await;
            assert_eq!(r.data()["mindVault"]["addKeyframe"]["timestamp"], at, "{b}");
        }
        let r = w
            .app
            .gql(KEYFRAME, json!({ "s": s, "at": 601 }), Some(&w.alice))
            .await;
        assert_eq!(field(&r), Some("timestamp"), "{b}: beyond the duration");
        let r = w
            .app
            .gql(KEYFRAME, json!({ "s": s, "at": -1 }), Some(&w.alice))
            .await;
        assert_eq!(field(&r), Some("timestamp"), "{b}");
        let r = w
            .app
            .gql(KEYFRAME, json!({ "s": s, "at": 5 }), Some(&w.bob))
            .await;
        assert_eq!(r.code(), Some("NOT_FOUND"), "{b}");
        let q = r#"query($id: String!) { mindVault { videoSummary(rowId: $id) { keyframes { nodes { timestamp } } } } }"#;
        let r = w.app.gql(q, json!({ "id": s }), Some(&w.alice)).await;
        let at: Vec<i64> = r.data()["mindVault"]["videoSummary"]["keyframes"]["nodes"]
            .as_array()
            .map(|n| n.iter().filter_map(|k| k["timestamp"].as_i64()).collect())
            .unwrap_or_default();
        assert_eq!(at, [0, 10, 300, 600], "{b}: keyframes by timestamp");
    }
}

#[tokio::test]
async fn summaries_filter_the_viewers_own() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = backend.name();
        let one = summary(&w, "https://youtu.be/aaaaaaaaaa1").await;
        let two = summary(&w, "https://youtu.be/aaaaaaaaaa2").await;
        let three = summary(&w, "https://youtu.be/aaaaaaaaaa3").await;
        create(&w, "https://youtu.be/aaaaaaaaaa1", &w.bob).await;
        let tag = |n: &'static str| {
            let w = &w;
            async move {
                let r = w.app.gql(TAG, json!({ "n": n }), Some(&w.alice)).await;
                r.data()["mindVault"]["createTag"]["rowId"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned()
            }
        };
        let (t1, t2) = (tag("t1").await, tag("t2").await);
        let r = w
            .app
            .gql(CATEGORY, json!({ "n": "c1" }), Some(&w.alice))
            .await;
        let c1 = r.data()["mindVault"]["createCategory"]["rowId"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        for (s, t) in [(&one, &t1), (&one, &t2), (&two, &t1)] {
            w.app
                .gql(ATTACH_TAG, json!({ "s": s, "t": t }), Some(&w.alice))
                .await
                .data();
        }
        w.app
            .gql(ATTACH_CAT, json!({ "s": three, "t": c1 }), Some(&w.alice))
            .await
            .data();
        set_status(&w, &w.alice, &two, "PROCESSING", Value::Null, Value::Null)
            .await
            .data();

        let list = |vars: Value, token: Option<String>| {
            let w = &w;
            async move {
                let r = w.app.gql(SUMMARIES, vars, token.as_deref()).await;
                let mut ids: Vec<String> = r.data()["mindVault"]["summaries"]["nodes"]
                    .as_array()
                    .map(|n| {
                        n.iter()
                            .filter_map(|s| s["rowId"].as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                ids.sort();
                ids
            }
        };
        let sorted = |mut v: Vec<&String>| {
            v.sort();
            v.into_iter().cloned().collect::<Vec<_>>()
        };
        let a = Some(w.alice.clone());
        assert_eq!(
            list(json!({}), a.clone()).await,
            sorted(vec![&one, &two, &three]),
            "{b}"
        );
        assert_eq!(
            list(json!({ "s": "PROCESSING" }), a.clone()).await,
            vec![two.clone()],
            "{b}"
        );
        assert_eq!(
            list(json!({ "t": [t1] }), a.clone()).await,
            sorted(vec![&one, &two]),
            "{b}"
        );
        assert_eq!(
            list(json!({ "t": [t1, t2] }), a.clone()).await,
            vec![one.clone()],
            "{b}: every tag"
        );
        assert_eq!(
            list(json!({ "c": [c1] }), a.clone()).await,
            vec![three.clone()],
            "{b}"
        );
        assert_eq!(
            list(json!({ "t": [t1], "s": "PENDING" }), a.clone()).await,
            vec![one.clone()],
            "{b}"
        );
        assert_eq!(
            list(json!({}), Some(w.bob.clone())).await.len(),
            1,
            "{b}: bob's own only"
        );
        w.app.grant("mind_vault", "bob", "admin").await;
        let admin = w.app.token("mind_vault", "bob");
        assert_eq!(
            list(json!({}), Some(admin)).await.len(),
            1,
            "{b}: the viewer's own, even for an admin"
        );
        let r = w.app.gql(SUMMARIES, json!({}), None).await;
        assert_eq!(r.code(), Some("UNAUTHENTICATED"), "{b}");
    }
}

/// The seed's demo user (owns summaries with tags and keyframes at every scale).
const DEMO_USER: &str = "mvDemoUser0000000000000000000001";

const LIST: &str = r#"{ mindVault { videoSummaries(first: 50) { nodes { title
    videoSummaryTags { nodes { tag { name } } }
    keyframes { nodes { timestamp } }
} } } }"#;

#[tokio::test]
async fn the_summary_list_with_tags_and_keyframes_costs_the_same_at_two_sizes() {
    for backend in backends() {
        let b = backend.name();
        let mut counts = Vec::new();
        for scale in [1, 2] {
            let app = TestApp::spawn(&backend, Data::Scaled(scale)).await;
            let token = app.token("mind_vault", DEMO_USER);
            let r = app.gql(LIST, json!({}), Some(&token)).await;
            let nodes = r.data()["mindVault"]["videoSummaries"]["nodes"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            assert!(!nodes.is_empty(), "{b}: the demo user has summaries");
            let tags: usize = nodes
                .iter()
                .map(|n| {
                    n["videoSummaryTags"]["nodes"]
                        .as_array()
                        .map_or(0, Vec::len)
                })
                .sum();
            let frames: usize = nodes
                .iter()
                .map(|n| n["keyframes"]["nodes"].as_array().map_or(0, Vec::len))
                .sum();
            assert!(
                tags > 0 && frames > 0,
                "{b}: tags {tags}, keyframes {frames}"
            );
            counts.push(r.statements.unwrap_or(usize::MAX));
        }
        assert_eq!(counts[0], counts[1], "{b}: statements at two sizes");
        // The viewer's account; summaries; their tag links; the tags; their keyframes.
        assert_eq!(counts[0], 5, "{b}");
    }
}

#[tokio::test]
async fn concurrent_creations_of_one_video_leave_one_summary() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = backend.name();
        let replies = futures_util::future::join_all(
            (0..6).map(|_| create(&w, "https://youtu.be/zzzzzzzzzzz", &w.alice)),
        )
        .await;
        let codes: Vec<Option<&str>> = replies.iter().map(Reply::code).collect();
        assert_eq!(
            codes.iter().filter(|c| c.is_none()).count(),
            1,
            "{b}: {codes:?}"
        );
        assert!(
            codes.iter().flatten().all(|c| *c == "CONFLICT"),
            "{b}: {codes:?}"
        );
        let r = w.app.gql(SUMMARIES, json!({}), Some(&w.alice)).await;
        assert_eq!(r.data()["mindVault"]["summaries"]["totalCount"], 1, "{b}");
    }
}
