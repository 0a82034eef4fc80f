//! Deed-O operations end to end on every backend: OTP sign-in (register, login, expiry, wrong
//! codes, the attempt limit, reuse), vendors' products with the publishing workflow and its
//! review permissions, chat groups with members, messages and read receipts, and the main and
//! auth databases on two different databases with cross-database joins at constant statement
//! counts.

use e2e::{Data, TestApp, backends};
use entity::deed_o_auth::{tokens, user_verifications, users};
use migration::Database;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
};
use serde_json::{Value, json};
use uuid::Uuid;

#[path = "deed_o_ops/chat.rs"]
mod chat;

const REQUEST: &str = "mutation($e: String!, $a: DeedOVerificationAction!, $p: DeedOPlatformType!) { deedO { requestOtp(email: $e, action: $a, platform: $p) } }";
const VERIFY: &str = "mutation($r: UUID!, $c: String!) { deedO { verifyOtp(requestId: $r, code: $c) { token expiresAt user { rowId name role } } } }";

/// Asks for a code; answers the request id.
async fn request(app: &TestApp, email: &str, action: &str) -> Result<Uuid, Value> {
    let r = app
        .gql(
            REQUEST,
            json!({ "e": email, "a": action, "p": "DEED_O" }),
            None,
        )
        .await;
    match r.body["data"]["deedO"]["requestOtp"].as_str() {
        Some(id) => Ok(Uuid::parse_str(id).unwrap_or_else(|e| panic!("{e}"))),
        None => Err(json!(r.code())),
    }
}

/// The code stored for a request, read from the database as a mailbox would.
async fn code_of(app: &TestApp, id: Uuid) -> String {
    let row = user_verifications::Entity::find_by_id(id)
        .one(app.db(Database::DeedOAuth))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no verification {id}"));
    row.otp_code.chars().take(6).collect()
}

async fn verify(app: &TestApp, id: Uuid, code: &str) -> e2e::Reply {
    app.gql(VERIFY, json!({ "r": id, "c": code }), None).await
}

/// A code that is not `code`.
fn wrong(code: &str) -> String {
    if code == "000000" {
        "111111".into()
    } else {
        "000000".into()
    }
}

/// Registers `email` and answers `(user id, bearer token)`.
pub async fn sign_up(app: &TestApp, email: &str) -> (i64, String) {
    let id = request(app, email, "REGISTER")
        .await
        .unwrap_or_else(|c| panic!("{c}"));
    let code = code_of(app, id).await;
    let r = verify(app, id, &code).await;
    let s = &r.data()["deedO"]["verifyOtp"];
    let user = s["user"]["rowId"].as_i64().unwrap_or_else(|| panic!("{s}"));
    (user, s["token"].as_str().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn otp_register_login_and_session() {
    for backend in backends() {
        let app = TestApp::spawn(&backend, Data::Empty).await;
        let b = backend.name();
        let db = app.db(Database::DeedOAuth);
        let id = request(&app, "Ada@Example.org", "REGISTER")
            .await
            .unwrap_or_else(|c| panic!("{b}: {c}"));
        let user = users::Entity::find()
            .filter(users::Column::Email.eq("ada@example.org"))
            .one(db)
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("{b}: no user"));
        assert_eq!(user.status.to_value_str(), "not-verified", "{b}");
        let v = user_verifications::Entity::find_by_id(id)
            .one(db)
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("{b}"));
        assert_eq!(
            (v.verification_source.as_str(), v.verified, v.otp_code.len()),
            ("email", false, 6),
            "{b}"
        );
        let minutes = (v.expire_at - v.created_at).num_minutes();
        assert_eq!(minutes, 10, "{b}");
        // Registering a known email and logging in an unknown one are answered like any request,
        // so that no one learns which emails have an account (more in `deed_o_otp_limits`).
        for (email, action) in [
            ("ada@example.org", "REGISTER"),
            ("nobody@example.org", "LOGIN"),
        ] {
            let r = request(&app, email, action).await;
            assert!(r.is_ok(), "{b}: {action} {email}: {r:?}");
        }
        assert_eq!(
            request(&app, "not an email", "LOGIN").await.err(),
            Some(json!("BAD_USER_INPUT")),
            "{b}"
        );
        // The code is nowhere in the schema.
        let r = app
            .gql(
                "{ __type(name: \"DeedOUserVerification\") { fields { name } } }",
                json!({}),
                None,
            )
            .await;
        assert!(!r.data().to_string().contains("otp"), "{b}: {}", r.body);

        let code = code_of(&app, id).await;
        let r = verify(&app, id, &code).await;
        let s = &r.data()["deedO"]["verifyOtp"];
        assert_eq!(s["user"]["rowId"].as_i64(), Some(i64::from(user.id)), "{b}");
        let user = users::Entity::find_by_id(user.id)
            .one(db)
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("{b}"));
        assert_eq!(user.status.to_value_str(), "verified", "{b}");
        let t = tokens::Entity::find()
            .filter(tokens::Column::UserId.eq(user.id))
            .one(db)
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("{b}: no token row"));
        assert_eq!(t.platform_type.to_value_str(), "deed-o", "{b}");
        assert!((t.expire_at - chrono_now()).num_days() >= 29, "{b}");
        // The token is the gateway's: it reads the user's own fields.
        let token = s["token"].as_str().unwrap_or_default().to_owned();
        let me = app
            .gql(
                "{ deedO { users { nodes { rowId email status } } } }",
                json!({}),
                Some(&token),
            )
            .await;
        let nodes = me.data()["deedO"]["users"]["nodes"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(
            nodes
                .iter()
                .any(|n| n["email"] == "ada@example.org" && n["status"] == "VERIFIED"),
            "{b}: {}",
            me.body
        );
        // Reuse is refused.
        assert_eq!(
            verify(&app, id, &code).await.code(),
            Some("UNAUTHENTICATED"),
            "{b}"
        );

        // Logging in; a moderator's token carries the role.
        let mut m: users::ActiveModel = user.clone().into();
        m.role = Set(entity::deed_o_auth::sea_orm_active_enums::UsersRolesEnum::Moderator);
        m.update(db).await.unwrap_or_else(|e| panic!("{e}"));
        let id = request(&app, "ada@example.org", "LOGIN")
            .await
            .unwrap_or_else(|c| panic!("{b}: {c}"));
        let code = code_of(&app, id).await;
        let r = verify(&app, id, &code).await;
        assert_eq!(
            r.data()["deedO"]["verifyOtp"]["user"]["role"],
            "MODERATOR",
            "{b}"
        );
        assert_eq!(
            tokens::Entity::find()
                .filter(tokens::Column::UserId.eq(user.id))
                .count(db)
                .await
                .ok(),
            Some(2),
            "{b}"
        );
        // A deleted account cannot log in: its request is answered like any other, but even its
        // code (never sent; read here from the table) signs no one in.
        let mut m: users::ActiveModel = user.into();
        m.deleted_at = Set(Some(chrono_now().naive_utc()));
        m.update(db).await.unwrap_or_else(|e| panic!("{e}"));
        let id = request(&app, "ada@example.org", "LOGIN")
            .await
            .unwrap_or_else(|c| panic!("{b}: {c}"));
        let code = code_of(&app, id).await;
        let r = verify(&app, id, &code).await;
        assert_eq!(r.code(), Some("NOT_FOUND"), "{b}: {}", r.body);
    }
}

#[tokio::test]
async fn otp_expiry_wrong_codes_and_attempt_limit() {
    for backend in backends() {
        let app = TestApp::spawn(&backend, Data::Empty).await;
        let b = backend.name();
        let db = app.db(Database::DeedOAuth);
        // Expired.
        let id = request(&app, "grace@example.org", "REGISTER")
            .await
            .unwrap_or_else(|c| panic!("{b}: {c}"));
        let code = code_of(&app, id).await;
        let v = user_verifications::Entity::find_by_id(id)
            .one(db)
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("{b}"));
        // Ten minutes before it was created.
        let past = v.created_at - (v.expire_at - v.created_at);
        let mut m: user_verifications::ActiveModel = v.into();
        m.expire_at = Set(past);
        m.update(db).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            verify(&app, id, &code).await.code(),
            Some("UNAUTHENTICATED"),
            "{b}"
        );
        assert_eq!(
            verify(&app, id, "12ab").await.code(),
            Some("BAD_USER_INPUT"),
            "{b}"
        );

        // Four wrong codes leave the request alive; the fifth kills it, even for the right code.
        let id = request(&app, "grace@example.org", "LOGIN")
            .await
            .unwrap_or_else(|c| panic!("{b}: {c}"));
        let code = code_of(&app, id).await;
        for _ in 0..4 {
            assert_eq!(
                verify(&app, id, &wrong(&code)).await.code(),
                Some("UNAUTHENTICATED"),
                "{b}"
            );
        }
        let r = verify(&app, id, &code).await;
        assert!(r.data()["deedO"]["verifyOtp"]["token"].is_string(), "{b}");

        let id = request(&app, "grace@example.org", "LOGIN")
            .await
            .unwrap_or_else(|c| panic!("{b}: {c}"));
        let code = code_of(&app, id).await;
        // Concurrent wrong attempts (as from several replicas) all count.
        let bad = wrong(&code);
        let attempts = (0..5).map(|_| verify(&app, id, &bad)).collect::<Vec<_>>();
        for r in futures_util::future::join_all(attempts).await {
            assert_eq!(r.code(), Some("UNAUTHENTICATED"), "{b}");
        }
        assert_eq!(
            verify(&app, id, &code).await.code(),
            Some("UNAUTHENTICATED"),
            "{b}"
        );
        let v = user_verifications::Entity::find_by_id(id)
            .one(db)
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("{b}"));
        assert!(!v.verified && v.expire_at <= chrono_now(), "{b}");
        // Unknown requests are not found.
        assert_eq!(
            verify(&app, Uuid::new_v4(), &code).await.code(),
            Some("NOT_FOUND"),
            "{b}"
        );
    }
}

fn chrono_now() -> sea_orm::prelude::DateTimeWithTimeZone {
    sea_orm::prelude::ChronoUtc::now().fixed_offset()
}

/// The stored text of an enum.
trait Stored {
    fn to_value_str(&self) -> String;
}

impl<E: sea_orm::ActiveEnum<Value = sea_orm::sea_query::Enum>> Stored for E {
    fn to_value_str(&self) -> String {
        self.to_value().value.to_string()
    }
}

const PRODUCT: &str = "rowId cause mrp sellingPrice images title description productUrl publishingStatus remark vendor { rowId }";

/// Sets a user's stored role.
async fn set_role(
    app: &TestApp,
    user: i64,
    role: entity::deed_o_auth::sea_orm_active_enums::UsersRolesEnum,
) {
    let db = app.db(Database::DeedOAuth);
    let id = i32::try_from(user).unwrap_or_default();
    let u = users::Entity::find_by_id(id)
        .one(db)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no user {user}"));
    let mut m: users::ActiveModel = u.into();
    m.role = Set(role);
    m.update(db).await.unwrap_or_else(|e| panic!("{e}"));
}

async fn create(app: &TestApp, token: Option<&str>, vars: Value) -> e2e::Reply {
    let q = format!(
        "mutation($c: DeedOCause!, $m: Float!, $s: Float!, $i: [String!]!, $t: String!, $d: String!, $u: String!) {{ deedO {{ createProduct(cause: $c, mrp: $m, sellingPrice: $s, images: $i, title: $t, description: $d, productUrl: $u) {{ {PRODUCT} }} }} }}"
    );
    let mut v = json!({ "c": "GRIEF_CARE", "m": 100.0, "s": 80.0, "i": ["https://img.example.org/1.png"], "t": "Candle", "d": "A remembrance candle", "u": "https://shop.example.org/candle" });
    if let (Some(o), Some(extra)) = (v.as_object_mut(), vars.as_object()) {
        for (k, x) in extra {
            o.insert(k.clone(), x.clone());
        }
    }
    app.gql(&q, v, token).await
}

async fn step(app: &TestApp, token: &str, op: &str, id: &str) -> e2e::Reply {
    app.gql(
        &format!("mutation($id: String!) {{ deedO {{ {op}(id: $id) {{ {PRODUCT} }} }} }}"),
        json!({ "id": id }),
        Some(token),
    )
    .await
}

async fn review(
    app: &TestApp,
    token: &str,
    id: &str,
    decision: &str,
    remark: Option<&str>,
) -> e2e::Reply {
    app.gql(&format!("mutation($id: String!, $d: DeedOReviewDecision!, $r: String) {{ deedO {{ reviewProduct(id: $id, decision: $d, remark: $r) {{ {PRODUCT} }} }} }}"), json!({ "id": id, "d": decision, "r": remark }), Some(token)).await
}

async fn public_ids(app: &TestApp, args: &str) -> Vec<String> {
    let args = if args.is_empty() {
        String::new()
    } else {
        format!("({args})")
    };
    let r = app
        .gql(
            &format!(
                "{{ deedO {{ publicProducts{args} {{ nodes {{ rowId publishingStatus }} }} }} }}"
            ),
            json!({}),
            None,
        )
        .await;
    r.data()["deedO"]["publicProducts"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|n| n["rowId"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn products_workflow_and_review_permissions() {
    use entity::deed_o_auth::sea_orm_active_enums::UsersRolesEnum as Role;
    for backend in backends() {
        let app = TestApp::spawn(&backend, Data::Empty).await;
        let b = backend.name();
        let (vendor_id, vendor) = sign_up(&app, "vendor@example.org").await;
        let (_, other) = sign_up(&app, "other@example.org").await;
        let (mod_id, _) = sign_up(&app, "mod@example.org").await;
        set_role(&app, mod_id, Role::Moderator).await;
        let moderator = app.token("deed_o", &mod_id.to_string());
        let (admin_id, _) = sign_up(&app, "admin@example.org").await;
        set_role(&app, admin_id, Role::Admin).await;
        let admin = app.token("deed_o", &admin_id.to_string());

        // Input is checked first; anonymous viewers cannot sell.
        assert_eq!(
            create(&app, Some(&vendor), json!({ "s": 120.0 }))
                .await
                .code(),
            Some("BAD_USER_INPUT"),
            "{b}"
        );
        assert_eq!(
            create(&app, Some(&vendor), json!({ "u": "ftp://x" }))
                .await
                .code(),
            Some("BAD_USER_INPUT"),
            "{b}"
        );
        assert_eq!(
            create(&app, Some(&vendor), json!({ "t": "  " }))
                .await
                .code(),
            Some("BAD_USER_INPUT"),
            "{b}"
        );
        assert_eq!(
            create(&app, None, json!({})).await.code(),
            Some("UNAUTHENTICATED"),
            "{b}"
        );

        let r = create(&app, Some(&vendor), json!({})).await;
        let p = &r.data()["deedO"]["createProduct"];
        let id = p["rowId"].as_str().unwrap_or_default().to_owned();
        assert!(id.starts_with("IM_") && id.len() == 24, "{b}: {id}");
        assert_eq!(
            (
                p["publishingStatus"].as_str(),
                p["vendor"]["rowId"].as_i64()
            ),
            (Some("DRAFT"), Some(vendor_id)),
            "{b}"
        );
        let cheap = create(
            &app,
            Some(&vendor),
            json!({ "c": "SUSTAINABLE_FASHION", "m": 30.0, "s": 20.0 }),
        )
        .await;
        let cheap = cheap.data()["deedO"]["createProduct"]["rowId"]
            .as_str()
            .unwrap_or_default()
            .to_owned();

        // Drafts are the vendor's: another vendor sees nothing and cannot change them.
        assert_eq!(
            step(&app, &other, "submitProduct", &id).await.code(),
            Some("NOT_FOUND"),
            "{b}"
        );
        assert!(public_ids(&app, "").await.is_empty(), "{b}");
        // Only suggestions are reviewed, only by moderators and admins.
        assert_eq!(
            review(&app, &moderator, &id, "PUBLISHED", None)
                .await
                .code(),
            Some("BAD_USER_INPUT"),
            "{b}"
        );
        let r = step(&app, &vendor, "submitProduct", &id).await;
        assert_eq!(
            r.data()["deedO"]["submitProduct"]["publishingStatus"],
            "SUGGESTION",
            "{b}"
        );
        assert_eq!(
            step(&app, &vendor, "submitProduct", &id).await.code(),
            Some("BAD_USER_INPUT"),
            "{b}"
        );
        assert_eq!(
            review(&app, &other, &id, "PUBLISHED", None).await.code(),
            Some("FORBIDDEN"),
            "{b}"
        );
        // A token claiming a role the account does not have is not enough.
        let forged = app.token("deed_o", &vendor_id.to_string());
        assert_eq!(
            review(&app, &forged, &id, "PUBLISHED", None).await.code(),
            Some("FORBIDDEN"),
            "{b}"
        );
        let r = review(&app, &moderator, &id, "REJECTED", Some("Add a photo")).await;
        let p = &r.data()["deedO"]["reviewProduct"];
        assert_eq!(
            (p["publishingStatus"].as_str(), p["remark"].as_str()),
            (Some("REJECTED"), Some("Add a photo")),
            "{b}"
        );
        assert_eq!(
            review(&app, &moderator, &id, "PUBLISHED", None)
                .await
                .code(),
            Some("BAD_USER_INPUT"),
            "{b}"
        );
        // Rejected products go back to review; an admin publishes.
        step(&app, &vendor, "submitProduct", &id).await.data();
        let r = review(&app, &admin, &id, "PUBLISHED", None).await;
        assert_eq!(
            r.data()["deedO"]["reviewProduct"]["publishingStatus"],
            "PUBLISHED",
            "{b}"
        );
        step(&app, &vendor, "submitProduct", &cheap).await.data();
        review(&app, &moderator, &cheap, "PUBLISHED", None)
            .await
            .data();

        // Public reads: published only, by cause and price.
        let mut all = public_ids(&app, "").await;
        all.sort();
        let mut want = vec![id.clone(), cheap.clone()];
        want.sort();
        assert_eq!(all, want, "{b}");
        assert_eq!(
            public_ids(&app, "cause: GRIEF_CARE").await,
            vec![id.clone()],
            "{b}"
        );
        assert_eq!(
            public_ids(&app, "minPrice: 50").await,
            vec![id.clone()],
            "{b}"
        );
        assert_eq!(
            public_ids(&app, "maxPrice: 50").await,
            vec![cheap.clone()],
            "{b}"
        );
        assert_eq!(
            public_ids(&app, "minPrice: 10, maxPrice: 90, first: 1")
                .await
                .len(),
            1,
            "{b}"
        );
        assert!(
            public_ids(&app, "cause: GRIEF_CARE, maxPrice: 50")
                .await
                .is_empty(),
            "{b}"
        );

        // Editing: the vendor's own only (FORBIDDEN for a published foreign one), back to draft.
        let upd = "mutation($id: String!, $t: String, $s: Float) { deedO { updateProduct(id: $id, title: $t, sellingPrice: $s) { rowId title sellingPrice publishingStatus } } }";
        let r = app
            .gql(upd, json!({ "id": id, "t": "Stolen" }), Some(&other))
            .await;
        assert_eq!(r.code(), Some("FORBIDDEN"), "{b}: {}", r.body);
        let r = app
            .gql(upd, json!({ "id": id, "s": 150.0 }), Some(&vendor))
            .await;
        assert_eq!(r.code(), Some("BAD_USER_INPUT"), "{b}");
        let r = app
            .gql(upd, json!({ "id": id, "t": "Big candle" }), Some(&vendor))
            .await;
        let p = &r.data()["deedO"]["updateProduct"];
        assert_eq!(
            (p["title"].as_str(), p["publishingStatus"].as_str()),
            (Some("Big candle"), Some("DRAFT")),
            "{b}"
        );
        assert_eq!(public_ids(&app, "").await, vec![cheap.clone()], "{b}");
        assert_eq!(
            app.gql(upd, json!({ "id": "IM_missing" }), Some(&vendor))
                .await
                .code(),
            Some("NOT_FOUND"),
            "{b}"
        );
    }
}
