//! Mind-vault's own operations end to end on every backend: video summaries from every common
//! YouTube URL form, invalid URLs, duplicates, the processing status flow with typed content,
//! tags, categories and keyframes, the viewer's filtered summary list, per-user scoping, the
//! typed AI content, deleting summaries (with what hangs off them) and keyframes, and the
//! statements of the summary lists with tags and keyframes at two data sizes.

use e2e::{Data, Reply, TestApp, backends};
use entity::mind_vault as mv;
use migration::Database;
use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
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

/// The generic list of the viewer's summaries with their tags and keyframes.
const LIST: &str = r#"{ mindVault { videoSummaries(first: 50) { nodes { title
    videoSummaryTags { nodes { tag { name } } }
    keyframes { nodes { timestamp } }
} } } }"#;

/// The same through the custom filtered list, with the typed content too.
const FILTERED: &str = r#"query($t: [String!], $c: [String!]) { mindVault { summaries(status: COMPLETED, tagIds: $t, categoryIds: $c, first: 50) { nodes { title
    aiContent { summary chapters { title } }
    videoSummaryTags { nodes { tag { name } } }
    keyframes { nodes { timestamp } }
} } } }"#;

/// Shared vocabulary of the sized data: three tags and one category.
const SIZED_TAGS: [&str; 3] = ["tag-a", "tag-b", "tag-c"];
const SIZED_CATEGORY: &str = "cat-a";

/// `alice` with `n` completed summaries, each with content, two tags (`tag-a` on all of
/// them), the category and three keyframes.
async fn sized(app: &TestApp, n: usize) {
    let db = app.db(Database::MindVault);
    user(app, "alice").await;
    let at = api::graphql::write::now();
    for id in SIZED_TAGS {
        mv::tag::Entity::insert(mv::tag::ActiveModel {
            id: Set(id.into()),
            name: Set(id.into()),
            description: Set(None),
            created_at: Set(at),
        })
        .exec_without_returning(db)
        .await
        .unwrap_or_else(|e| panic!("tag: {e}"));
    }
    mv::category::Entity::insert(mv::category::ActiveModel {
        id: Set(SIZED_CATEGORY.into()),
        name: Set(SIZED_CATEGORY.into()),
        description: Set(None),
        created_at: Set(at),
    })
    .exec_without_returning(db)
    .await
    .unwrap_or_else(|e| panic!("category: {e}"));
    let mut summaries = Vec::new();
    let (mut tags, mut categories, mut frames) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..n {
        let id = format!("sized{i:016}");
        summaries.push(mv::video_summary::ActiveModel {
            id: Set(id.clone()),
            user_id: Set("alice".into()),
            youtube_url: Set(format!("https://youtu.be/sized{i:06}")),
            youtube_id: Set(format!("sized{i:06}")),
            title: Set(format!("Video {i}")),
            description: Set(None),
            channel_name: Set(None),
            duration: Set(Some(600)),
            thumbnail_url: Set(None),
            processing_status: Set("completed".into()),
            processing_error: Set(None),
            ai_generated_content: Set(Some(json!({
                "summary": format!("Summary {i}"),
                "chapters": [{ "title": "Intro", "startSeconds": 0 }]
            }))),
            created_at: Set(at),
            updated_at: Set(at),
        });
        for tag in [SIZED_TAGS[0], SIZED_TAGS[1 + i % 2]] {
            tags.push(mv::video_summary_tag::ActiveModel {
                video_summary_id: Set(id.clone()),
                tag_id: Set(tag.into()),
            });
        }
        categories.push(mv::video_summary_category::ActiveModel {
            video_summary_id: Set(id.clone()),
            category_id: Set(SIZED_CATEGORY.into()),
        });
        for k in 0..3 {
            frames.push(mv::keyframe::ActiveModel {
                id: Set(format!("{id}k{k}")),
                video_summary_id: Set(id.clone()),
                timestamp: Set(k * 100),
                image_url: Set("https://img.example.com/k.jpg".into()),
                description: Set(None),
                created_at: Set(at),
            });
        }
    }
    let fail = |what: &str, e: sea_orm::DbErr| panic!("{what}: {e}");
    mv::video_summary::Entity::insert_many(summaries)
        .exec_without_returning(db)
        .await
        .unwrap_or_else(|e| fail("summaries", e));
    mv::video_summary_tag::Entity::insert_many(tags)
        .exec_without_returning(db)
        .await
        .unwrap_or_else(|e| fail("tag links", e));
    mv::video_summary_category::Entity::insert_many(categories)
        .exec_without_returning(db)
        .await
        .unwrap_or_else(|e| fail("category links", e));
    mv::keyframe::Entity::insert_many(frames)
        .exec_without_returning(db)
        .await
        .unwrap_or_else(|e| fail("keyframes", e));
}

/// Nodes of `path` (`videoSummaries` …) and the tag links, keyframes and typed contents they
/// carry.
fn tally(r: &Reply, path: &str) -> (usize, usize, usize, usize) {
    let nodes = r.data()["mindVault"][path]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let sum = |f: &dyn Fn(&Value) -> usize| nodes.iter().map(f).sum::<usize>();
    let tags = sum(&|n| {
        n["videoSummaryTags"]["nodes"]
            .as_array()
            .map_or(0, Vec::len)
    });
    let frames = sum(&|n| n["keyframes"]["nodes"].as_array().map_or(0, Vec::len));
    let contents = sum(&|n| usize::from(n["aiContent"]["summary"].is_string()));
    (nodes.len(), tags, frames, contents)
}

#[tokio::test]
async fn the_summary_list_with_tags_and_keyframes_costs_the_same_at_two_sizes() {
    for backend in backends() {
        let b = backend.name();
        let (mut plain, mut filtered) = (Vec::new(), Vec::new());
        for n in [3, 11] {
            let app = TestApp::spawn(&backend, Data::Empty).await;
            sized(&app, n).await;
            let token = app.token("mind_vault", "alice");
            let r = app.gql(LIST, json!({}), Some(&token)).await;
            assert_eq!(tally(&r, "videoSummaries"), (n, 2 * n, 3 * n, 0), "{b}");
            plain.push(r.statements.unwrap_or(usize::MAX));
            let vars = json!({ "t": [SIZED_TAGS[0]], "c": [SIZED_CATEGORY] });
            let r = app.gql(FILTERED, vars, Some(&token)).await;
            assert_eq!(tally(&r, "summaries"), (n, 2 * n, 3 * n, n), "{b}");
            filtered.push(r.statements.unwrap_or(usize::MAX));
        }
        assert_eq!(
            plain[0], plain[1],
            "{b}: videoSummaries statements at two sizes"
        );
        // The viewer's account; summaries; their tag links with their tags; their keyframes.
        assert_eq!(plain[0], 4, "{b}");
        assert_eq!(
            filtered[0], filtered[1],
            "{b}: summaries statements at two sizes"
        );
        // The same, and the summaries' typed content in one more statement.
        assert_eq!(filtered[0], 5, "{b}");
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

const CONTENT: &str = r#"query($id: String!) { mindVault { videoSummary(rowId: $id) { aiGeneratedContent aiContent { summary keyPoints topics chapters { title startSeconds endSeconds summary } } } } }"#;

#[tokio::test]
async fn ai_content_reads_typed() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = backend.name();
        let a = summary(&w, "https://youtu.be/aaaaaaaaaaa").await;
        let null = Value::Null;
        let read = |id: String| {
            let w = &w;
            async move {
                let r = w
                    .app
                    .gql(CONTENT, json!({ "id": id }), Some(&w.alice))
                    .await;
                r.data()["mindVault"]["videoSummary"].clone()
            }
        };
        // Nothing generated yet.
        assert_eq!(read(a.clone()).await["aiContent"], Value::Null, "{b}");
        set_status(&w, &w.alice, &a, "PROCESSING", null.clone(), null.clone())
            .await
            .data();
        // Offsets beyond a GraphQL Int are refused on input.
        let huge = json!({ "chapters": [{ "title": "a", "startSeconds": 3_000_000_000_u64 }] });
        let r = set_status(&w, &w.alice, &a, "COMPLETED", null.clone(), huge).await;
        assert_eq!(field(&r), Some("aiGeneratedContent"), "{b}");
        let content = json!({
            "summary": "A talk.", "keyPoints": ["one", "two"], "extra": { "kept": true },
            "chapters": [{ "title": "Intro", "startSeconds": 0, "endSeconds": 30 }, { "title": "Body", "startSeconds": 30, "summary": "s" }]
        });
        let doc = r#"mutation($id: String!, $c: JSON) { mindVault { updateProcessingStatus(id: $id, status: COMPLETED, aiGeneratedContent: $c) { aiContent { summary topics chapters { title endSeconds } } } } }"#;
        let r = w
            .app
            .gql(doc, json!({ "id": a, "c": content }), Some(&w.alice))
            .await;
        assert_eq!(
            r.data()["mindVault"]["updateProcessingStatus"]["aiContent"],
            json!({ "summary": "A talk.", "topics": [], "chapters": [{ "title": "Intro", "endSeconds": 30 }, { "title": "Body", "endSeconds": null }] }),
            "{b}"
        );
        let s = read(a.clone()).await;
        assert_eq!(
            s["aiContent"],
            json!({
                "summary": "A talk.", "keyPoints": ["one", "two"], "topics": [],
                "chapters": [
                    { "title": "Intro", "startSeconds": 0, "endSeconds": 30, "summary": null },
                    { "title": "Body", "startSeconds": 30, "endSeconds": null, "summary": "s" }
                ]
            }),
            "{b}"
        );
        // The raw JSON keeps every key.
        assert_eq!(s["aiGeneratedContent"], content, "{b}");
        // Another user sees neither.
        let r = w.app.gql(CONTENT, json!({ "id": a }), Some(&w.bob)).await;
        assert_eq!(r.data()["mindVault"]["videoSummary"], Value::Null, "{b}");
    }
}

const DELETE_SUMMARY: &str =
    r#"mutation($id: String!) { mindVault { deleteVideoSummary(id: $id) { deletedId } } }"#;
const DELETE_KEYFRAME: &str = r#"mutation($id: String!) { mindVault { deleteKeyframe(id: $id) { deletedId videoSummary { rowId } } } }"#;

/// Rows of `table` whose `video_summary_id` is `id`.
async fn hanging(app: &TestApp, table: &str, id: &str) -> u64 {
    let db = app.db(Database::MindVault);
    let n = match table {
        "keyframe" => {
            mv::keyframe::Entity::find()
                .filter(mv::keyframe::Column::VideoSummaryId.eq(id))
                .count(db)
                .await
        }
        "video_summary_tag" => {
            mv::video_summary_tag::Entity::find()
                .filter(mv::video_summary_tag::Column::VideoSummaryId.eq(id))
                .count(db)
                .await
        }
        _ => {
            mv::video_summary_category::Entity::find()
                .filter(mv::video_summary_category::Column::VideoSummaryId.eq(id))
                .count(db)
                .await
        }
    };
    n.unwrap_or_else(|e| panic!("count {table}: {e}"))
}

#[tokio::test]
async fn summaries_and_keyframes_are_deleted_by_their_owner_only() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = backend.name();
        let s = summary(&w, "https://youtu.be/aaaaaaaaaaa").await;
        let kept = summary(&w, "https://youtu.be/bbbbbbbbbbb").await;
        let frame = |id: String, at: i64| {
            let w = &w;
            async move {
                let r = w
                    .app
                    .gql(KEYFRAME, json!({ "s": id, "at": at }), Some(&w.alice))
                    .await;
                r.data()["mindVault"]["addKeyframe"]["rowId"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned()
            }
        };
        let (k1, k2) = (frame(s.clone(), 10).await, frame(s.clone(), 20).await);
        let other_frame = frame(kept.clone(), 5).await;
        let r = w.app.gql(TAG, json!({ "n": "t1" }), Some(&w.alice)).await;
        let tag = r.data()["mindVault"]["createTag"]["rowId"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let r = w
            .app
            .gql(CATEGORY, json!({ "n": "c1" }), Some(&w.alice))
            .await;
        let cat = r.data()["mindVault"]["createCategory"]["rowId"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        for id in [&s, &kept] {
            w.app
                .gql(ATTACH_TAG, json!({ "s": id, "t": tag }), Some(&w.alice))
                .await
                .data();
            w.app
                .gql(ATTACH_CAT, json!({ "s": id, "t": cat }), Some(&w.alice))
                .await
                .data();
        }

        // Keyframes: only on the viewer's own summaries.
        let del = |doc: &'static str, id: String, token: Option<String>| {
            let w = &w;
            async move { w.app.gql(doc, json!({ "id": id }), token.as_deref()).await }
        };
        let (alice, bob) = (Some(w.alice.clone()), Some(w.bob.clone()));
        let r = del(DELETE_KEYFRAME, k1.clone(), None).await;
        assert_eq!(r.code(), Some("UNAUTHENTICATED"), "{b}");
        let r = del(DELETE_KEYFRAME, k1.clone(), bob.clone()).await;
        assert_eq!(r.code(), Some("NOT_FOUND"), "{b}: another user's keyframe");
        let r = del(DELETE_KEYFRAME, "missing".into(), alice.clone()).await;
        assert_eq!(r.code(), Some("NOT_FOUND"), "{b}: an unknown keyframe");
        assert_eq!(hanging(&w.app, "keyframe", &s).await, 2, "{b}");
        let r = del(DELETE_KEYFRAME, k1.clone(), alice.clone()).await;
        assert!(
            r.data()["mindVault"]["deleteKeyframe"]["deletedId"].is_string(),
            "{b}"
        );
        assert_eq!(
            r.data()["mindVault"]["deleteKeyframe"]["videoSummary"]["rowId"],
            s,
            "{b}: the keyframe's summary"
        );
        assert_eq!(hanging(&w.app, "keyframe", &s).await, 1, "{b}");
        let r = del(DELETE_KEYFRAME, k1.clone(), alice.clone()).await;
        assert_eq!(r.code(), Some("NOT_FOUND"), "{b}: deleted already");

        // Summaries: another user's, an unknown one and no token change nothing.
        let r = del(DELETE_SUMMARY, s.clone(), None).await;
        assert_eq!(r.code(), Some("UNAUTHENTICATED"), "{b}");
        let r = del(DELETE_SUMMARY, s.clone(), bob.clone()).await;
        assert_eq!(r.code(), Some("NOT_FOUND"), "{b}: another user's summary");
        w.app.grant("mind_vault", "bob", "admin").await;
        let admin = Some(w.app.token("mind_vault", "bob"));
        let r = del(DELETE_SUMMARY, s.clone(), admin).await;
        assert_eq!(r.code(), Some("NOT_FOUND"), "{b}: even for an admin");
        let r = del(DELETE_SUMMARY, "missing".into(), alice.clone()).await;
        assert_eq!(r.code(), Some("NOT_FOUND"), "{b}: an unknown summary");
        for table in ["keyframe", "video_summary_tag", "video_summary_category"] {
            assert_eq!(hanging(&w.app, table, &s).await, 1, "{b}: {table}");
        }
        // The owner's delete takes the keyframes and links along, nothing else.
        let doc = r#"mutation($id: String!) { mindVault { deleteVideoSummary(id: $id) { deletedId } } } "#;
        let r = del(doc, s.clone(), alice.clone()).await;
        assert!(
            r.data()["mindVault"]["deleteVideoSummary"]["deletedId"].is_string(),
            "{b}"
        );
        for table in ["keyframe", "video_summary_tag", "video_summary_category"] {
            assert_eq!(
                hanging(&w.app, table, &s).await,
                0,
                "{b}: {table} of the deleted"
            );
            assert_eq!(
                hanging(&w.app, table, &kept).await,
                1,
                "{b}: {table} of the other"
            );
        }
        let db = w.app.db(Database::MindVault);
        let gone = mv::keyframe::Entity::find()
            .filter(mv::keyframe::Column::Id.is_in([k1.clone(), k2.clone()]))
            .count(db)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(gone, 0, "{b}");
        let vocab = (
            mv::tag::Entity::find().count(db).await.ok(),
            mv::category::Entity::find().count(db).await.ok(),
        );
        assert_eq!(vocab, (Some(1), Some(1)), "{b}: the vocabulary stays");
        let r = w.app.gql(SUMMARIES, json!({}), Some(&w.alice)).await;
        assert_eq!(
            r.data()["mindVault"]["summaries"]["nodes"],
            json!([{ "rowId": kept }]),
            "{b}"
        );
        let r = del(DELETE_SUMMARY, s.clone(), alice.clone()).await;
        assert_eq!(r.code(), Some("NOT_FOUND"), "{b}: deleted already");
        // The same video may be summarized again.
        create(&w, "https://youtu.be/aaaaaaaaaaa", &w.alice)
            .await
            .data();
        let r = del(DELETE_KEYFRAME, other_frame, alice).await;
        assert!(
            r.data()["mindVault"]["deleteKeyframe"]["deletedId"].is_string(),
            "{b}"
        );
    }
}

#[tokio::test]
async fn demo_ai_content_reads_typed() {
    let q = r#"{ mindVault { summaries(status: COMPLETED, first: 5) { nodes { aiContent { summary keyPoints topics chapters { title startSeconds endSeconds } } } } } }"#;
    for backend in backends() {
        let b = backend.name();
        let app = TestApp::spawn(&backend, Data::Demo).await;
        let token = app.token("mind_vault", "mvDemoUser0000000000000000000001");
        let r = app.gql(q, json!({}), Some(&token)).await;
        let nodes = r.data()["mindVault"]["summaries"]["nodes"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(!nodes.is_empty(), "{b}: {}", r.body);
        for n in &nodes {
            let chapters = n["aiContent"]["chapters"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            assert!(!chapters.is_empty(), "{b}: demo chapters read typed: {n}");
            assert!(chapters[0]["startSeconds"].is_i64(), "{b}: {n}");
        }
    }
}
