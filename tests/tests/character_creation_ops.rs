//! Character Creation operations end to end on every backend: generation requests within and
//! beyond the daily quota (nothing written when refused), the generation status flow with
//! illegal transitions, completion creating the linked character, failures keeping their error,
//! template generations (an inactive template starts neither a generation nor a character),
//! the owner's character CRUD with tag validation, the public gallery's
//! filters, the viewer's statistics, and the gallery's statement count at two data sizes.

use e2e::{Backend, Data, Reply, TestApp, backends};
use entity::character_creation::sea_orm_active_enums::{
    GenerationStatus, StyleType, SubscriptionTier,
};
use entity::character_creation::{character_templates, characters, generations, users};
use migration::Database;
use sea_orm::ActiveValue::Set;
use sea_orm::prelude::ChronoUtc as Utc;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

const GEN: &str = "rowId status prompt styleType errorMessage resultUrl startedAt completedAt character { rowId name tags imageUrl templateId isPublic }";
const CHAR: &str = "rowId name prompt styleType tags isPublic imageUrl metadata templateId";

struct World {
    app: TestApp,
    b: &'static str,
    free: Uuid,
    pro: Uuid,
    template: Uuid,
}

async fn user(db: &DatabaseConnection, tier: SubscriptionTier) -> Uuid {
    let id = Uuid::new_v4();
    let at = Utc::now().naive_utc();
    users::Entity::insert(users::ActiveModel {
        id: Set(id),
        email: Set(format!("{id}@example.com")),
        name: Set(Some("Tester".into())),
        auth0_id: Set(None),
        subscription_tier: Set(tier),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await
    .unwrap_or_else(|e| panic!("user: {e}"));
    id
}

async fn world(backend: &Backend) -> World {
    let app = TestApp::spawn(backend, Data::Empty).await;
    let db = app.db(Database::CharacterCreation).clone();
    let free = user(&db, SubscriptionTier::Free).await;
    let pro = user(&db, SubscriptionTier::Pro).await;
    let template = Uuid::new_v4();
    let at = Utc::now().naive_utc();
    character_templates::Entity::insert(character_templates::ActiveModel {
        id: Set(template),
        name: Set("Elf ranger".into()),
        description: Set(None),
        style_type: Set(StyleType::Fantasy),
        prompt_template: Set("An elven ranger, green cloak".into()),
        tags: Set(json!(["fantasy", "elf"])),
        is_active: Set(true),
        created_at: Set(at),
        updated_at: Set(at),
    })
    .exec_without_returning(&db)
    .await
    .unwrap_or_else(|e| panic!("template: {e}"));
    World {
        app,
        b: backend.name(),
        free,
        pro,
        template,
    }
}

impl World {
    fn db(&self) -> &DatabaseConnection {
        self.app.db(Database::CharacterCreation)
    }

    fn token(&self, user: Uuid) -> String {
        self.app.token("character_creation", &user.to_string())
    }

    async fn run(&self, user: Uuid, text: &str, vars: Value) -> Reply {
        let t = self.token(user);
        let text = text
            .replace("{ GEN }", &format!("{{ {GEN} }}"))
            .replace("{ CHAR }", &format!("{{ {CHAR} }}"));
        self.app.gql(&text, vars, Some(&t)).await
    }

    async fn ok(&self, user: Uuid, text: &str, vars: Value, field: &str) -> Value {
        let r = self.run(user, text, vars).await;
        r.data()["characterCreation"][field].clone()
    }

    async fn refused(
        &self,
        user: Uuid,
        text: &str,
        vars: Value,
        code: &str,
        arg: Option<&str>,
        what: &str,
    ) {
        let r = self.run(user, text, vars).await;
        let b = self.b;
        assert_eq!(r.code(), Some(code), "{b}: {what}: {}", r.body);
        if let Some(a) = arg {
            assert_eq!(
                r.body["errors"][0]["extensions"]["field"].as_str(),
                Some(a),
                "{b}: {what}: {}",
                r.body
            );
        }
    }

    async fn generations(&self, user: Uuid) -> u64 {
        generations::Entity::find()
            .filter(generations::Column::UserId.eq(user))
            .count(self.db())
            .await
            .unwrap_or_else(|e| panic!("count: {e}"))
    }
}

const REQUEST: &str = "mutation($p: String!, $s: CharacterCreationStyleType!, $t: UUID) { characterCreation { requestGeneration(prompt: $p, styleType: $s, templateId: $t) { GEN } } }";
const STATUS: &str = "mutation($id: UUID!, $s: CharacterCreationGenerationStatus!, $e: String, $u: String, $n: String) { characterCreation { updateGenerationStatus(id: $id, status: $s, errorMessage: $e, resultUrl: $u, characterName: $n) { GEN } } }";
const QUOTA: &str =
    "{ characterCreation { viewerQuota { tier limit usedToday remaining quotaExceeded } } }";
const CREATE: &str = "mutation($n: String!, $p: String!, $s: CharacterCreationStyleType!, $t: JSON, $pub: Boolean) { characterCreation { createCharacter(name: $n, prompt: $p, styleType: $s, tags: $t, isPublic: $pub) { CHAR } } }";

fn id(v: &Value) -> String {
    v["rowId"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn quota_refuses_beyond_the_tier_and_writes_nothing() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = w.b;
        // A generation of yesterday does not count.
        let now = Utc::now().naive_utc();
        let at = now
            .date()
            .pred_opt()
            .unwrap_or_else(|| panic!("no yesterday"))
            .and_time(now.time());
        generations::Entity::insert(generations::ActiveModel {
            id: Set(Uuid::new_v4()),
            user_id: Set(w.free),
            character_id: Set(None),
            template_id: Set(None),
            prompt: Set("old".into()),
            style_type: Set(StyleType::Anime),
            status: Set(GenerationStatus::Pending),
            error_message: Set(None),
            result_url: Set(None),
            started_at: Set(None),
            completed_at: Set(None),
            created_at: Set(at),
            updated_at: Set(at),
        })
        .exec_without_returning(w.db())
        .await
        .unwrap_or_else(|e| panic!("old generation: {e}"));
        let q = w.ok(w.free, QUOTA, json!({}), "viewerQuota").await;
        assert_eq!(
            q,
            json!({"tier": "FREE", "limit": 5, "usedToday": 0, "remaining": 5, "quotaExceeded": false}),
            "{b}"
        );
        for i in 0..5 {
            let g = w
                .ok(
                    w.free,
                    REQUEST,
                    json!({"p": format!("A knight {i}"), "s": "FANTASY"}),
                    "requestGeneration",
                )
                .await;
            assert_eq!(g["status"], "PENDING", "{b}");
        }
        let q = w.ok(w.free, QUOTA, json!({}), "viewerQuota").await;
        assert_eq!(
            q,
            json!({"tier": "FREE", "limit": 5, "usedToday": 5, "remaining": 0, "quotaExceeded": true}),
            "{b}"
        );
        w.refused(
            w.free,
            REQUEST,
            json!({"p": "One more", "s": "FANTASY"}),
            "FORBIDDEN",
            None,
            "beyond quota",
        )
        .await;
        let t = "mutation($t: UUID!) { characterCreation { generateFromTemplate(templateId: $t) { rowId } } }";
        w.refused(
            w.free,
            t,
            json!({"t": w.template.to_string()}),
            "FORBIDDEN",
            None,
            "template beyond quota",
        )
        .await;
        assert_eq!(w.generations(w.free).await, 6, "{b}: nothing written");
        // PRO is unlimited.
        let q = w.ok(w.pro, QUOTA, json!({}), "viewerQuota").await;
        assert_eq!(
            q,
            json!({"tier": "PRO", "limit": null, "usedToday": 0, "remaining": null, "quotaExceeded": false}),
            "{b}"
        );
        // Input is checked first.
        w.refused(
            w.pro,
            REQUEST,
            json!({"p": "  ", "s": "ANIME"}),
            "BAD_USER_INPUT",
            Some("prompt"),
            "blank prompt",
        )
        .await;
        w.refused(
            w.pro,
            REQUEST,
            json!({"p": "x", "s": "ANIME", "t": Uuid::new_v4().to_string()}),
            "NOT_FOUND",
            None,
            "missing template",
        )
        .await;
        let r = w.app.gql(QUOTA, json!({}), None).await;
        assert_eq!(r.code(), Some("UNAUTHENTICATED"), "{b}: {}", r.body);
    }
}

#[tokio::test]
async fn generation_status_flow() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = w.b;
        let g = w.ok(w.pro, REQUEST, json!({"p": "Lyra Moonwhisper, an elven ranger", "s": "FANTASY", "t": w.template.to_string()}), "requestGeneration").await;
        let gid = id(&g);
        let set = |s: &str| json!({"id": gid, "s": s});
        for bad in ["PENDING", "COMPLETED", "FAILED"] {
            w.refused(
                w.pro,
                STATUS,
                set(bad),
                "BAD_USER_INPUT",
                Some(if bad == "FAILED" {
                    "errorMessage"
                } else {
                    "status"
                }),
                bad,
            )
            .await;
        }
        w.refused(
            w.pro,
            STATUS,
            json!({"id": gid, "s": "FAILED", "e": "x"}),
            "BAD_USER_INPUT",
            Some("status"),
            "pending → failed",
        )
        .await;
        w.refused(
            w.free,
            STATUS,
            set("PROCESSING"),
            "NOT_FOUND",
            None,
            "foreign",
        )
        .await;
        w.refused(
            w.pro,
            STATUS,
            json!({"id": gid, "s": "COMPLETED", "u": "ftp://x"}),
            "BAD_USER_INPUT",
            Some("resultUrl"),
            "bad result URL",
        )
        .await;
        let p = w
            .ok(w.pro, STATUS, set("PROCESSING"), "updateGenerationStatus")
            .await;
        assert_eq!(p["status"], "PROCESSING", "{b}");
        assert!(p["startedAt"].is_string(), "{b}");
        w.refused(
            w.pro,
            STATUS,
            set("PROCESSING"),
            "BAD_USER_INPUT",
            Some("status"),
            "processing twice",
        )
        .await;
        let c = w
            .ok(
                w.pro,
                STATUS,
                json!({"id": gid, "s": "COMPLETED", "u": "https://img.example/1.png"}),
                "updateGenerationStatus",
            )
            .await;
        assert_eq!(c["status"], "COMPLETED", "{b}");
        assert_eq!(c["resultUrl"], "https://img.example/1.png", "{b}");
        assert_eq!(c["character"]["name"], "Lyra Moonwhisper", "{b}");
        assert_eq!(c["character"]["tags"], json!(["fantasy", "elf"]), "{b}");
        assert_eq!(
            c["character"]["imageUrl"], "https://img.example/1.png",
            "{b}"
        );
        assert_eq!(c["character"]["templateId"], w.template.to_string(), "{b}");
        w.refused(
            w.pro,
            STATUS,
            json!({"id": gid, "s": "FAILED", "e": "late"}),
            "BAD_USER_INPUT",
            Some("status"),
            "completed → failed",
        )
        .await;
        // Failure keeps the error, creates nothing.
        let before = characters::Entity::find()
            .count(w.db())
            .await
            .unwrap_or_else(|e| panic!("count: {e}"));
        let t = "mutation($t: UUID!) { characterCreation { generateFromTemplate(templateId: $t) { GEN } } }";
        let g2 = w
            .ok(
                w.pro,
                t,
                json!({"t": w.template.to_string()}),
                "generateFromTemplate",
            )
            .await;
        assert_eq!(g2["prompt"], "An elven ranger, green cloak", "{b}");
        assert_eq!(g2["styleType"], "FANTASY", "{b}");
        let g2 = id(&g2);
        w.ok(
            w.pro,
            STATUS,
            json!({"id": g2, "s": "PROCESSING"}),
            "updateGenerationStatus",
        )
        .await;
        let f = w
            .ok(
                w.pro,
                STATUS,
                json!({"id": g2, "s": "FAILED", "e": "model timeout"}),
                "updateGenerationStatus",
            )
            .await;
        assert_eq!(f["status"], "FAILED", "{b}");
        assert_eq!(f["errorMessage"], "model timeout", "{b}");
        assert!(
            f["character"].is_null() && f["completedAt"].is_string(),
            "{b}"
        );
        assert_eq!(
            characters::Entity::find()
                .count(w.db())
                .await
                .unwrap_or_else(|e| panic!("count: {e}")),
            before,
            "{b}"
        );
        // Completion with a given name, no template: no tags.
        let g3 = id(&w
            .ok(
                w.pro,
                REQUEST,
                json!({"p": "A robot", "s": "SCI_FI"}),
                "requestGeneration",
            )
            .await);
        w.ok(
            w.pro,
            STATUS,
            json!({"id": g3, "s": "PROCESSING"}),
            "updateGenerationStatus",
        )
        .await;
        let c3 = w
            .ok(
                w.pro,
                STATUS,
                json!({"id": g3, "s": "COMPLETED", "n": "Unit 7"}),
                "updateGenerationStatus",
            )
            .await;
        assert_eq!(c3["character"]["name"], "Unit 7", "{b}");
        assert_eq!(c3["character"]["tags"], json!([]), "{b}");
    }
}

#[tokio::test]
async fn an_inactive_template_starts_no_generation_and_no_character() {
    let create = "mutation($t: UUID) { characterCreation { createCharacter(name: \"Tam\", prompt: \"A ranger\", styleType: FANTASY, templateId: $t) { CHAR } } }";
    let generate = "mutation($t: UUID!) { characterCreation { generateFromTemplate(templateId: $t) { rowId } } }";
    for backend in backends() {
        let w = world(&backend).await;
        let b = w.b;
        let inactive = Uuid::new_v4();
        let at = Utc::now().naive_utc();
        character_templates::Entity::insert(character_templates::ActiveModel {
            id: Set(inactive),
            name: Set("Retired knight".into()),
            description: Set(None),
            style_type: Set(StyleType::Fantasy),
            prompt_template: Set("A knight, retired".into()),
            tags: Set(json!(["knight"])),
            is_active: Set(false),
            created_at: Set(at),
            updated_at: Set(at),
        })
        .exec_without_returning(w.db())
        .await
        .unwrap_or_else(|e| panic!("template: {e}"));

        // Both refuse an inactive template the same way, and a missing one; nothing is written.
        for (t, what) in [(inactive, "inactive"), (Uuid::new_v4(), "missing")] {
            let vars = json!({ "t": t.to_string() });
            let g = w.run(w.pro, generate, vars.clone()).await;
            let c = w.run(w.pro, create, vars).await;
            assert_eq!(
                g.code(),
                Some("NOT_FOUND"),
                "{b}: generate, {what}: {}",
                g.body
            );
            assert_eq!(
                c.code(),
                Some("NOT_FOUND"),
                "{b}: create, {what}: {}",
                c.body
            );
            let (gm, cm) = (
                &g.body["errors"][0]["message"],
                &c.body["errors"][0]["message"],
            );
            assert_eq!(gm, cm, "{b}: the same answer, {what}");
        }
        assert_eq!(
            characters::Entity::find().count(w.db()).await.ok(),
            Some(0),
            "{b}"
        );
        assert_eq!(w.generations(w.pro).await, 0, "{b}");

        // An active template, or none, is taken.
        let c = w
            .ok(
                w.pro,
                create,
                json!({ "t": w.template.to_string() }),
                "createCharacter",
            )
            .await;
        assert_eq!(c["templateId"], w.template.to_string(), "{b}");
        let c = w.ok(w.pro, create, json!({}), "createCharacter").await;
        assert_eq!(c["templateId"], Value::Null, "{b}");
        assert_eq!(
            characters::Entity::find().count(w.db()).await.ok(),
            Some(2),
            "{b}"
        );
    }
}

#[tokio::test]
async fn characters_gallery_and_stats() {
    for backend in backends() {
        let w = world(&backend).await;
        let b = w.b;
        let mk = |n: &str, s: &str, t: Value, p: bool| json!({"n": n, "p": format!("{n} prompt"), "s": s, "t": t, "pub": p});
        let a = w
            .ok(
                w.pro,
                CREATE,
                mk("Aria", "ANIME", json!(["cute", "mecha"]), true),
                "createCharacter",
            )
            .await;
        assert_eq!(a["tags"], json!(["cute", "mecha"]), "{b}");
        w.ok(
            w.pro,
            CREATE,
            mk("Bolt", "ANIME", json!(["mecha"]), true),
            "createCharacter",
        )
        .await;
        w.ok(
            w.pro,
            CREATE,
            mk("Cleo", "FANTASY", json!(["cute", "mecha", "elf"]), true),
            "createCharacter",
        )
        .await;
        let d = w
            .ok(
                w.pro,
                CREATE,
                mk("Dax", "ANIME", json!(["cute", "mecha"]), false),
                "createCharacter",
            )
            .await;
        for (t, arg) in [
            (json!("cute"), "tags"),
            (json!([1]), "tags[0]"),
            (json!([" "]), "tags[0]"),
        ] {
            w.refused(
                w.pro,
                CREATE,
                mk("E", "ANIME", t, false),
                "BAD_USER_INPUT",
                Some(arg),
                "bad tags",
            )
            .await;
        }
        w.refused(
            w.pro,
            CREATE,
            json!({"n": " ", "p": "x", "s": "ANIME"}),
            "BAD_USER_INPUT",
            Some("name"),
            "blank name",
        )
        .await;
        let gallery = "query($q: String, $s: CharacterCreationStyleType, $t: [String!]) { characterCreation { gallery(search: $q, styleType: $s, tags: $t, orderBy: [NAME_ASC]) { totalCount nodes { name } } } }";
        let names = |v: Value| -> Vec<String> {
            v["nodes"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .map(|n| n["name"].as_str().unwrap_or_default().to_owned())
                .collect()
        };
        let r = w
            .app
            .gql(gallery, json!({"t": ["cute", "mecha"]}), None)
            .await;
        assert_eq!(
            names(r.data()["characterCreation"]["gallery"].clone()),
            ["Aria", "Cleo"],
            "{b}: tags ALL, private hidden"
        );
        let r = w
            .app
            .gql(gallery, json!({"t": ["mecha"], "s": "ANIME"}), None)
            .await;
        assert_eq!(
            names(r.data()["characterCreation"]["gallery"].clone()),
            ["Aria", "Bolt"],
            "{b}: style"
        );
        let r = w.app.gql(gallery, json!({"q": "CLE"}), None).await;
        assert_eq!(
            names(r.data()["characterCreation"]["gallery"].clone()),
            ["Cleo"],
            "{b}: search"
        );
        let r = w.app.gql(gallery, json!({}), None).await;
        assert_eq!(
            r.data()["characterCreation"]["gallery"]["totalCount"],
            3,
            "{b}"
        );
        // Update, publish, delete; foreign writes are NOT_FOUND.
        let upd = "mutation($id: UUID!, $n: String, $t: JSON) { characterCreation { updateCharacter(id: $id, name: $n, tags: $t) { CHAR } } }";
        let u = w
            .ok(
                w.pro,
                upd,
                json!({"id": id(&d), "n": "Daxx", "t": ["solo"]}),
                "updateCharacter",
            )
            .await;
        assert_eq!(
            (u["name"].clone(), u["tags"].clone(), u["styleType"].clone()),
            (json!("Daxx"), json!(["solo"]), json!("ANIME")),
            "{b}"
        );
        w.refused(
            w.free,
            upd,
            json!({"id": id(&d), "n": "Mine"}),
            "NOT_FOUND",
            None,
            "foreign update",
        )
        .await;
        let publ = "mutation($id: UUID!, $p: Boolean!) { characterCreation { setCharacterPublic(id: $id, isPublic: $p) { isPublic } } }";
        let p = w
            .ok(
                w.pro,
                publ,
                json!({"id": id(&d), "p": true}),
                "setCharacterPublic",
            )
            .await;
        assert_eq!(p["isPublic"], true, "{b}");
        let del =
            "mutation($id: UUID!) { characterCreation { deleteCharacter(id: $id) { deletedId } } }";
        w.refused(
            w.free,
            del,
            json!({"id": id(&a)}),
            "NOT_FOUND",
            None,
            "foreign delete",
        )
        .await;
        assert!(
            w.ok(w.pro, del, json!({"id": id(&a)}), "deleteCharacter")
                .await["deletedId"]
                .is_string(),
            "{b}"
        );
        // Stats: Bolt, Cleo, Daxx public; one generation pending.
        w.ok(
            w.pro,
            REQUEST,
            json!({"p": "x", "s": "CARTOON"}),
            "requestGeneration",
        )
        .await;
        let stats = "{ characterCreation { characterStats { totalCharacters publicCharacters privateCharacters byStyle { styleType count } totalGenerations generationsByStatus { status count } } } }";
        let s = w.ok(w.pro, stats, json!({}), "characterStats").await;
        assert_eq!(s["totalCharacters"], 3, "{b}: {s}");
        assert_eq!(s["publicCharacters"], 3, "{b}: {s}");
        assert_eq!(s["privateCharacters"], 0, "{b}: {s}");
        assert_eq!(
            s["byStyle"],
            json!([
            {"styleType": "FANTASY", "count": 1}, {"styleType": "REALISTIC", "count": 0},
            {"styleType": "ANIME", "count": 2}, {"styleType": "CARTOON", "count": 0},
            {"styleType": "SCI_FI", "count": 0}]),
            "{b}"
        );
        assert_eq!(s["totalGenerations"], 1, "{b}");
        assert_eq!(
            s["generationsByStatus"][0],
            json!({"status": "PENDING", "count": 1}),
            "{b}"
        );
    }
}

#[tokio::test]
async fn gallery_statements_do_not_grow_with_data() {
    let query = r#"{ characterCreation { gallery(first: 20, tags: ["cinematic", "photography"], where: { templateId: { isNull: false } }, orderBy: [CREATED_AT_DESC]) { totalCount nodes { name tags template { name } } } } }"#;
    for backend in backends() {
        let mut counts = Vec::new();
        for scale in [1, 2] {
            let app = TestApp::spawn(&backend, Data::Scaled(scale)).await;
            let r = app.gql(query, json!({}), None).await;
            let nodes = r.data()["characterCreation"]["gallery"]["nodes"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            assert!(
                !nodes.is_empty(),
                "{}: the gallery has such characters: {}",
                backend.name(),
                r.body
            );
            assert!(
                nodes.iter().all(|n| n["tags"]
                    .as_array()
                    .is_some_and(|t| t.contains(&json!("cinematic")))),
                "{}",
                backend.name()
            );
            counts.push(r.statements.unwrap_or(usize::MAX));
        }
        let b = backend.name();
        assert_eq!(counts[0], counts[1], "{b}: statements at two sizes");
        // The page (its templates read in the same statement) and its count.
        assert_eq!(counts[0], 2, "{b}: {counts:?}");
    }
}

#[tokio::test]
async fn configured_quotas_apply_per_tier_and_hold_under_concurrent_requests() {
    for backend in backends() {
        let app = TestApp::spawn_with(&backend, Data::Empty, |s| {
            s.cc_quota_free = api::config::DailyLimit(Some(0));
            s.cc_quota_premium = "3".parse().unwrap_or_else(|e| panic!("{e}"));
            s.cc_quota_pro = api::config::DailyLimit(Some(1));
        })
        .await;
        let b = backend.name();
        let db = app.db(Database::CharacterCreation).clone();
        let free = user(&db, SubscriptionTier::Free).await;
        let premium = user(&db, SubscriptionTier::Premium).await;
        let pro = user(&db, SubscriptionTier::Pro).await;
        let token = |u: Uuid| app.token("character_creation", &u.to_string());
        let request = json!({ "p": "A knight", "s": "FANTASY" });
        let request_doc = REQUEST.replace("{ GEN }", "{ rowId }");
        let quota = |u: Uuid| {
            let t = token(u);
            let app = &app;
            async move {
                let r = app.gql(QUOTA, json!({}), Some(&t)).await;
                r.data()["characterCreation"]["viewerQuota"].clone()
            }
        };

        // A limit of zero refuses the first request.
        assert_eq!(
            quota(free).await,
            json!({"tier": "FREE", "limit": 0, "usedToday": 0, "remaining": 0, "quotaExceeded": true}),
            "{b}"
        );
        let r = app
            .gql(&request_doc, request.clone(), Some(&token(free)))
            .await;
        assert_eq!(r.code(), Some("FORBIDDEN"), "{b}: {}", r.body);

        // Eight PREMIUM requests at once against a limit of three: exactly three are written.
        let t = token(premium);
        let replies = futures_util::future::join_all(
            (0..8).map(|_| app.gql(&request_doc, request.clone(), Some(&t))),
        )
        .await;
        let granted = replies
            .iter()
            .filter(|r| r.body.get("errors").is_none())
            .count();
        assert_eq!(granted, 3, "{b}");
        assert!(
            replies
                .iter()
                .filter(|r| r.body.get("errors").is_some())
                .all(|r| r.code() == Some("FORBIDDEN")),
            "{b}: every refusal is the quota's"
        );
        let written = generations::Entity::find()
            .filter(generations::Column::UserId.eq(premium))
            .count(&db)
            .await
            .unwrap_or_else(|e| panic!("count: {e}"));
        assert_eq!(written, 3, "{b}");
        assert_eq!(quota(premium).await["remaining"], 0, "{b}");

        // PRO is limited too when configured so.
        assert_eq!(quota(pro).await["limit"], 1, "{b}");
        let r = app
            .gql(&request_doc, request.clone(), Some(&token(pro)))
            .await;
        assert!(r.body.get("errors").is_none(), "{b}: {}", r.body);
        let r = app
            .gql(&request_doc, request.clone(), Some(&token(pro)))
            .await;
        assert_eq!(r.code(), Some("FORBIDDEN"), "{b}");
    }
}
