//! Deed-O authorization matrix: every query and mutation of `deedO`, asked by the anonymous
//! viewer, a vendor (the owner of drafts, published products and chat groups), another user,
//! a moderator, an admin and a token of another source.
//!
//! The rules (seed 004, README "Identity and roles", `api/src/sources/deed_o`):
//! - products: published ones for everyone; a vendor reads and edits their own drafts;
//!   moderators and admins read every product and review submitted ones;
//! - groups, their members and messages: for the group's members (admins read every row);
//! - users: public identity (name, role), personal fields (e-mail …) for the user only;
//! - `tokens`, `user_verifications`: for their user only; OTP codes are not in the schema.
//!
//! After the matrix: `node(id:)` per viewer, `totalCount` of root and nested connections, the
//! schema keeping OTP codes out, and Deed-O sessions ending with their `tokens` row.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use e2e::authz::{self, Case, Expect, Who, World};
use e2e::fixtures::hs_user;
use e2e::{Data, TestApp, backends};
use entity::deed_o::sea_orm_active_enums::{CausesEnum, PublishingStatusEnum};
use entity::deed_o::{groups, messages, products};
use entity::deed_o_auth::{tokens, user_verifications, users};
use migration::Database;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};
use serde_json::{Value, json};
use uuid::Uuid;

use Expect::{Allowed, Nothing, Refused};
use Who::{Admin, Anonymous, Foreign, Moderator, Other, Owner};

const UNAUTH: Expect = Refused("UNAUTHENTICATED");
const FORBIDDEN: Expect = Refused("FORBIDDEN");
const NOT_FOUND: Expect = Refused("NOT_FOUND");

const REQUEST: &str = "mutation($e: String!, $a: DeedOVerificationAction!) { deedO { requestOtp(email: $e, action: $a, platform: DEED_O) } }";
const VERIFY: &str = "mutation($r: UUID!, $c: String!) { deedO { verifyOtp(requestId: $r, code: $c) { token expiresAt user { rowId name email products { nodes { title } } messages { nodes { text } } tokens { totalCount } } } } }";

/// A unique secret marker.
fn secret(what: &str) -> String {
    format!("secret-{what}-{}", Uuid::new_v4().simple())
}

/// Asks for a code for `email`; answers the request id and the code, read from the database as
/// a mailbox would receive it.
async fn otp(app: &TestApp, email: &str, action: &str) -> (Uuid, String) {
    let r = app
        .gql(REQUEST, json!({ "e": email, "a": action }), None)
        .await;
    let id = r.data()["deedO"]["requestOtp"]
        .as_str()
        .and_then(|s| Uuid::parse_str(s).ok())
        .unwrap_or_else(|| panic!("requestOtp {email}: {}", r.body));
    let row = user_verifications::Entity::find_by_id(id)
        .one(app.db(Database::DeedOAuth))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no verification {id}"));
    (id, row.otp_code.chars().take(6).collect())
}

/// Registers `email` through `requestOtp`/`verifyOtp`: the user id, the session token and the
/// verification row.
async fn sign_up(app: &TestApp, email: &str) -> (i32, String, Uuid) {
    let (request, code) = otp(app, email, "REGISTER").await;
    sign_in(app, request, &code, email).await
}

async fn sign_in(app: &TestApp, request: Uuid, code: &str, email: &str) -> (i32, String, Uuid) {
    let r = app
        .gql(VERIFY, json!({ "r": request, "c": code }), None)
        .await;
    let s = &r.data()["deedO"]["verifyOtp"];
    let user = s["user"]["rowId"]
        .as_i64()
        .and_then(|u| i32::try_from(u).ok())
        .unwrap_or_else(|| panic!("verifyOtp {email}: {}", r.body));
    let token = s["token"].as_str().unwrap_or_default().to_owned();
    (user, token, request)
}

/// The `sid` claim of a gateway token: its `tokens` row.
fn sid(token: &str) -> i32 {
    let payload = token
        .split('.')
        .nth(1)
        .and_then(|p| URL_SAFE_NO_PAD.decode(p).ok())
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
        .unwrap_or_else(|| panic!("not a JWT: {token}"));
    payload["sid"]
        .as_i64()
        .and_then(|s| i32::try_from(s).ok())
        .unwrap_or_else(|| panic!("no sid in {payload}"))
}

/// A product of `vendor` in `status`, written directly.
async fn product(app: &TestApp, vendor: i32, title: &str, status: PublishingStatusEnum) -> String {
    let id = format!("IM_{}", &Uuid::new_v4().simple().to_string()[..21]);
    let at = sea_orm::prelude::ChronoUtc::now().naive_utc();
    products::ActiveModel {
        id: Set(id.clone()),
        cause: Set(CausesEnum::GriefCare),
        mrp: Set(100.0),
        selling_price: Set(80.0),
        vendor_id: Set(vendor),
        images: Set(json!(["https://img.example.org/1.png"])),
        title: Set(title.to_owned()),
        description: Set(format!("About {title}")),
        product_url: Set("https://shop.example.org/p".into()),
        publishing_status: Set(status),
        created_at: Set(at),
        updated_at: Set(at),
        remark: Set(None),
    }
    .insert(app.db(Database::DeedO))
    .await
    .unwrap_or_else(|e| panic!("insert product: {e}"));
    id
}

/// A chat group of `members` about `product`, written directly.
async fn group(app: &TestApp, name: &str, product: Option<&str>, members: &[i32]) -> Uuid {
    let id = Uuid::new_v4();
    let at = sea_orm::prelude::ChronoUtc::now().naive_utc();
    groups::ActiveModel {
        id: Set(id),
        name: Set(name.to_owned()),
        product_id: Set(product.map(str::to_owned)),
        members: Set(Some(json!(members))),
        last_message_id: Set(None),
        created_at: Set(Some(at)),
        updated_at: Set(Some(at)),
    }
    .insert(app.db(Database::DeedO))
    .await
    .unwrap_or_else(|e| panic!("insert group: {e}"));
    id
}

/// A message of `sender` in `group`, which becomes the group's last message.
async fn message(app: &TestApp, group: Uuid, sender: i32, text: &str) -> Uuid {
    let db = app.db(Database::DeedO);
    let id = Uuid::new_v4();
    messages::ActiveModel {
        id: Set(id),
        sender_id: Set(sender),
        group_id: Set(group),
        text: Set(Some(text.to_owned())),
        attachments: Set(Some(json!([]))),
        read_by: Set(Some(json!([]))),
        timestamp: Set(Some(sea_orm::prelude::ChronoUtc::now().naive_utc())),
    }
    .insert(db)
    .await
    .unwrap_or_else(|e| panic!("insert message: {e}"));
    groups::Entity::update_many()
        .col_expr(groups::Column::LastMessageId, Expr::val(id))
        .filter(groups::Column::Id.eq(group))
        .exec(db)
        .await
        .unwrap_or_else(|e| panic!("last message: {e}"));
    id
}

/// Every row and token of the matrix.
struct Fixture {
    owner: i32,
    other: i32,
    friend: i32,
    moderator: i32,
    admin: i32,
    owner_email: String,
    tokens: Vec<(Who, Option<String>)>,
    friend_token: String,
    secrets: Vec<String>,
    /// Published product of the owner (public), with group `chat` about it.
    published: String,
    /// The owner's draft (private).
    draft: String,
    /// Separate rows for the destructive writes.
    draft_to_update: String,
    published_to_update: String,
    draft_to_submit: String,
    suggestion_to_reject: String,
    suggestion_to_publish: String,
    /// The owner's chat with `friend` about the published product, and its message.
    chat: Uuid,
    chat_message: Uuid,
    /// Groups for `addMember`, `removeMember`, and one about the owner's draft.
    group_to_grow: Uuid,
    group_to_shrink: Uuid,
    group_about_draft: Uuid,
    /// The owner's session row and sign-up verification.
    owner_token_row: i32,
    owner_verification: Uuid,
}

async fn arrange(app: &TestApp) -> Fixture {
    use entity::deed_o_auth::sea_orm_active_enums::UsersRolesEnum;
    let mut secrets = Vec::new();
    let mut keep = |s: String| {
        secrets.push(s.clone());
        s
    };
    // E-mails of everyone but `other` are secrets (`other` reads its own).
    let owner_email = format!("{}@example.org", keep(secret("owner")));
    let mod_email = format!("{}@example.org", keep(secret("moderator")));
    let admin_email = format!("{}@example.org", keep(secret("admin")));
    let friend_email = format!("{}@example.org", keep(secret("friend")));
    let other_email = format!("other-{}@example.org", Uuid::new_v4().simple());

    let (owner, owner_token, owner_verification) = sign_up(app, &owner_email).await;
    let (other, other_token, _) = sign_up(app, &other_email).await;
    let (friend, friend_token, _) = sign_up(app, &friend_email).await;
    let (moderator, mod_token, _) = sign_up(app, &mod_email).await;
    app.grant("deed_o", &moderator.to_string(), "moderator")
        .await;
    let (admin, admin_token, _) = sign_up(app, &admin_email).await;
    app.grant("deed_o", &admin.to_string(), "admin").await;
    // Public display names (identity is public).
    for (id, name) in [(owner, "Owner Vendor"), (other, "Other User")] {
        users::Entity::update_many()
            .col_expr(users::Column::Name, Expr::val(name))
            .filter(users::Column::Id.eq(id))
            .exec(app.db(Database::DeedOAuth))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let roles = users::Entity::find()
        .filter(users::Column::Id.is_in([moderator, admin]))
        .order_by_asc(users::Column::Id)
        .all(app.db(Database::DeedOAuth))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        roles.iter().map(|u| u.role.clone()).collect::<Vec<_>>(),
        vec![UsersRolesEnum::Moderator, UsersRolesEnum::Admin]
    );
    let hs = hs_user(app.db(Database::HeadShakers), 1).await;
    let foreign = app.token("head_shakers", &hs.to_string());

    use PublishingStatusEnum as S;
    let published = product(app, owner, "Public candle", S::Published).await;
    let draft = product(app, owner, &keep(secret("draft")), S::Draft).await;
    let draft_to_update = product(app, owner, &keep(secret("draft-update")), S::Draft).await;
    let published_to_update = product(app, owner, "Public lamp", S::Published).await;
    let draft_to_submit = product(app, owner, &keep(secret("draft-submit")), S::Draft).await;
    let suggestion_to_reject =
        product(app, owner, &keep(secret("suggestion")), S::Suggestion).await;
    // Published by the admin during the matrix: not a secret.
    let suggestion_to_publish = product(app, owner, "Soon public", S::Suggestion).await;

    let chat = group(
        app,
        &keep(secret("chat")),
        Some(&published),
        &[owner, friend],
    )
    .await;
    let chat_message = message(app, chat, friend, &keep(secret("message"))).await;
    let group_to_grow = group(app, &keep(secret("grow")), None, &[owner]).await;
    let group_to_shrink = group(app, &keep(secret("shrink")), None, &[owner, friend]).await;
    let group_about_draft = group(
        app,
        &keep(secret("about-draft")),
        Some(&draft),
        &[owner, friend],
    )
    .await;
    message(app, group_about_draft, owner, &keep(secret("draft-talk"))).await;

    let owner_token_row = sid(&owner_token);
    Fixture {
        owner,
        other,
        friend,
        moderator,
        admin,
        owner_email,
        tokens: vec![
            (Anonymous, None),
            (Owner, Some(owner_token)),
            (Other, Some(other_token)),
            (Moderator, Some(mod_token)),
            (Admin, Some(admin_token)),
            (Foreign, Some(foreign)),
        ],
        friend_token,
        secrets,
        published,
        draft,
        draft_to_update,
        published_to_update,
        draft_to_submit,
        suggestion_to_reject,
        suggestion_to_publish,
        chat,
        chat_message,
        group_to_grow,
        group_to_shrink,
        group_about_draft,
        owner_token_row,
        owner_verification,
    }
}

/// Every viewer, in the order they ask.
const VIEWERS: [Who; 6] = [Anonymous, Foreign, Other, Moderator, Admin, Owner];

/// A case every viewer asks with the same outcome.
fn all(case: Case, expect: Expect) -> Case {
    VIEWERS.into_iter().fold(case, |c, who| c.then(who, expect))
}

/// A read of the owner's private row: hidden from all but `allowed`.
fn private(case: Case, allowed: &[Who]) -> Case {
    let outcome = |who| {
        if allowed.contains(&who) {
            Allowed
        } else {
            Nothing
        }
    };
    VIEWERS
        .into_iter()
        .fold(case, |c, who| c.then(who, outcome(who)))
}

/// A member's act on a chat group: refused to everyone but the owner (a member), last.
fn members_only(case: Case) -> Case {
    case.then(Anonymous, UNAUTH)
        .then(Foreign, UNAUTH)
        // Not members: the group does not exist for them (moderators and admins alike).
        .then(Other, NOT_FOUND)
        .then(Moderator, NOT_FOUND)
        .then(Admin, NOT_FOUND)
        .then(Owner, Allowed)
}

/// A vendor's act on their own product: refused to everyone but its vendor, last.
fn vendor_only(case: Case) -> Case {
    case.then(Anonymous, UNAUTH)
        .then(Foreign, UNAUTH)
        // Another vendor's unpublished product does not exist for anyone else; moderators and
        // admins review products, they do not edit them.
        .then(Other, NOT_FOUND)
        .then(Moderator, NOT_FOUND)
        .then(Admin, NOT_FOUND)
        .then(Owner, Allowed)
}

const PRODUCT: &str = "rowId title publishingStatus remark vendor { rowId name email }";
const GROUP: &str = "rowId name members memberUsers { rowId email } product { title } lastMessage { text } messages { totalCount nodes { text sender { email } } }";
const MESSAGE: &str =
    "rowId text readBy sender { rowId email } readers { email } group { name members }";
const USER: &str = "rowId name role email status products { totalCount nodes { title } } messages { totalCount nodes { text } } tokens { totalCount nodes { rowId } } verifications { totalCount nodes { rowId } }";

fn cases(f: &Fixture, verify_wrong: (Uuid, String), verify_right: (Uuid, String)) -> Vec<Case> {
    let owner = f.owner;
    vec![
        // ---- Queries ----
        // The viewer's own account, for every signed-in user; nothing otherwise.
        private(
            Case::new("viewer", "{ deedO { viewer { rowId } } }", json!({})),
            &[Other, Moderator, Admin, Owner],
        ),
        // Published products for everyone; their vendor's e-mail, their groups and the groups'
        // messages stay hidden from non-members.
        all(
            Case::new(
                "publicProducts",
                format!(
                    "{{ deedO {{ publicProducts {{ totalCount nodes {{ {PRODUCT} groups {{ totalCount nodes {{ name messages {{ nodes {{ text }} }} }} }} }} }} }} }}"
                ),
                json!({}),
            ),
            Allowed,
        ),
        // Drafts are never public, not even for their vendor or an admin.
        all(
            Case::new(
                "publicProducts",
                "query($id: String!) { deedO { publicProducts(where: { rowId: { eq: $id } }) { totalCount nodes { rowId title } } } }",
                json!({ "id": f.draft }),
            ),
            Nothing,
        ),
        // Everyone sees the published products through the table too.
        all(
            Case::new(
                "products",
                format!(
                    "{{ deedO {{ products(first: 100) {{ totalCount nodes {{ {PRODUCT} }} }} }} }}"
                ),
                json!({}),
            ),
            Allowed,
        ),
        // A draft: its vendor, moderators (they review) and admins.
        private(
            Case::new(
                "products",
                format!(
                    "query($id: String!) {{ deedO {{ products(where: {{ rowId: {{ eq: $id }} }}) {{ totalCount nodes {{ {PRODUCT} }} }} }} }}"
                ),
                json!({ "id": f.draft }),
            ),
            &[Owner, Moderator, Admin],
        ),
        // Filtering on a private column is no oracle.
        private(
            Case::new(
                "products",
                "query($v: Int!) { deedO { products(where: { vendorId: { eq: $v }, publishingStatus: { eq: DRAFT } }) { totalCount aggregate { count } nodes { rowId } } } }",
                json!({ "v": owner }),
            ),
            &[Owner, Moderator, Admin],
        ),
        private(
            Case::new(
                "product",
                format!(
                    "query($id: String!) {{ deedO {{ product(rowId: $id) {{ {PRODUCT} groups {{ totalCount nodes {{ name }} }} }} }} }}"
                ),
                json!({ "id": f.draft }),
            ),
            &[Owner, Moderator, Admin],
        ),
        // A public product: its vendor's e-mail, tokens and drafts, and its chat stay private.
        all(
            Case::new(
                "product",
                "query($id: String!) { deedO { product(rowId: $id) { rowId title vendor { rowId email tokens { totalCount } verifications { totalCount } products { totalCount nodes { title } } } groups { totalCount nodes { name lastMessage { text } } } } } }",
                json!({ "id": f.published }),
            ),
            Allowed,
        ),
        // Chat groups: their members (the owner) and admins.
        private(
            Case::new(
                "groups",
                format!(
                    "query($id: UUID!) {{ deedO {{ groups(where: {{ rowId: {{ eq: $id }} }}) {{ totalCount nodes {{ {GROUP} }} }} }} }}"
                ),
                json!({ "id": f.chat }),
            ),
            &[Owner, Admin],
        ),
        private(
            Case::new(
                "group",
                format!(
                    "query($id: UUID!) {{ deedO {{ group(rowId: $id) {{ {GROUP} }} }} }}"
                ),
                json!({ "id": f.group_about_draft }),
            ),
            &[Owner, Admin],
        ),
        private(
            Case::new(
                "messages",
                format!(
                    "query($g: UUID!) {{ deedO {{ messages(where: {{ groupId: {{ eq: $g }} }}) {{ totalCount nodes {{ {MESSAGE} }} }} }} }}"
                ),
                json!({ "g": f.chat }),
            ),
            &[Owner, Admin],
        ),
        private(
            Case::new(
                "message",
                format!(
                    "query($id: UUID!) {{ deedO {{ message(rowId: $id) {{ {MESSAGE} lastMessageOf {{ totalCount nodes {{ name }} }} }} }} }}"
                ),
                json!({ "id": f.chat_message }),
            ),
            &[Owner, Admin],
        ),
        // Users are public identities; their e-mail, drafts, messages, tokens and
        // verifications are not.
        all(
            Case::new(
                "users",
                format!(
                    "query($id: Int!) {{ deedO {{ users(where: {{ rowId: {{ eq: $id }} }}) {{ totalCount nodes {{ {USER} }} }} }} }}"
                ),
                json!({ "id": owner }),
            ),
            Allowed,
        ),
        all(
            Case::new(
                "users",
                "{ deedO { users(first: 100) { totalCount nodes { rowId name email } } } }",
                json!({}),
            ),
            Allowed,
        ),
        all(
            Case::new(
                "user",
                format!(
                    "query($id: Int!) {{ deedO {{ user(rowId: $id) {{ {USER} }} }} }}"
                ),
                json!({ "id": owner }),
            ),
            Allowed,
        ),
        // Sessions and OTP requests: their user (and admins) only.
        private(
            Case::new(
                "tokens",
                "query($u: Int!) { deedO { tokens(where: { userId: { eq: $u } }) { totalCount aggregate { count } nodes { rowId userId expireAt platformType user { email } } } } }",
                json!({ "u": owner }),
            ),
            &[Owner, Admin],
        ),
        private(
            Case::new(
                "token",
                "query($id: Int!) { deedO { token(rowId: $id) { rowId userId expireAt user { email } } } }",
                json!({ "id": f.owner_token_row }),
            ),
            &[Owner, Admin],
        ),
        private(
            Case::new(
                "userVerifications",
                "query($u: Int!) { deedO { userVerifications(where: { userId: { eq: $u } }) { totalCount nodes { rowId userId verified expireAt user { email } } } } }",
                json!({ "u": owner }),
            ),
            &[Owner, Admin],
        ),
        private(
            Case::new(
                "userVerification",
                "query($id: UUID!) { deedO { userVerification(rowId: $id) { rowId userId verified action user { email } } } }",
                json!({ "id": f.owner_verification }),
            ),
            &[Owner, Admin],
        ),
        // ---- Mutations ----
        // Anyone may ask for a login code: it goes to the account's mailbox, never answered.
        Case::new(
            "requestOtp",
            "mutation($e: String!) { deedO { requestOtp(email: $e, action: LOGIN, platform: DEED_O) } }",
            json!({ "e": f.owner_email }),
        )
        .then(Anonymous, Allowed)
        .then(Foreign, Allowed)
        .then(Other, Allowed)
        .then(Owner, Allowed),
        // A wrong code signs in no one (three attempts: the request stays alive).
        Case::new(
            "verifyOtp",
            VERIFY,
            json!({ "r": verify_wrong.0, "c": verify_wrong.1 }),
        )
        .then(Anonymous, UNAUTH)
        .then(Foreign, UNAUTH)
        .then(Other, UNAUTH),
        // The right code is a session (the user as the public sees it: no e-mail), once.
        Case::new(
            "verifyOtp",
            VERIFY,
            json!({ "r": verify_right.0, "c": verify_right.1 }),
        )
        .then(Anonymous, Allowed)
        .then(Other, UNAUTH)
        .then(Foreign, UNAUTH),
        // Signing out needs a Deed-O session (a real sign-out ends `sessions_end_with_their_row`).
        Case::new("signOut", "mutation { deedO { signOut } }", json!({}))
            .then(Anonymous, UNAUTH)
            .then(Foreign, UNAUTH),
        // Any signed-in user may sell; a token of another source is not a Deed-O user.
        Case::new(
            "createProduct",
            "mutation { deedO { createProduct(cause: GRIEF_CARE, mrp: 10, sellingPrice: 9, images: [], title: \"New\", description: \"New one\", productUrl: \"https://shop.example.org/new\") { rowId publishingStatus vendor { rowId } } } }",
            json!({}),
        )
        .then(Anonymous, UNAUTH)
        .then(Foreign, UNAUTH)
        .then(Other, Allowed)
        .then(Moderator, Allowed)
        .then(Admin, Allowed)
        .then(Owner, Allowed),
        vendor_only(Case::new(
            "updateProduct",
            format!(
                "mutation($id: String!) {{ deedO {{ updateProduct(id: $id, title: \"Renamed\") {{ {PRODUCT} }} }} }}"
            ),
            json!({ "id": f.draft_to_update }),
        )),
        // Another vendor's published product is visible, so editing it is FORBIDDEN.
        Case::new(
            "updateProduct",
            "mutation($id: String!) { deedO { updateProduct(id: $id, title: \"Stolen\") { rowId title } } }",
            json!({ "id": f.published_to_update }),
        )
        .then(Anonymous, UNAUTH)
        .then(Foreign, UNAUTH)
        .then(Other, FORBIDDEN)
        .then(Moderator, FORBIDDEN)
        .then(Admin, FORBIDDEN)
        .then(Owner, Allowed),
        vendor_only(Case::new(
            "submitProduct",
            format!(
                "mutation($id: String!) {{ deedO {{ submitProduct(id: $id) {{ {PRODUCT} }} }} }}"
            ),
            json!({ "id": f.draft_to_submit }),
        )),
        // Reviews: moderators and admins; not the vendor, not another user.
        Case::new(
            "reviewProduct",
            format!(
                "mutation($id: String!) {{ deedO {{ reviewProduct(id: $id, decision: REJECTED, remark: \"Add a photo\") {{ {PRODUCT} }} }} }}"
            ),
            json!({ "id": f.suggestion_to_reject }),
        )
        .then(Anonymous, UNAUTH)
        .then(Foreign, UNAUTH)
        .then(Other, FORBIDDEN)
        .then(Owner, FORBIDDEN)
        .then(Moderator, Allowed),
        Case::new(
            "reviewProduct",
            format!(
                "mutation($id: String!) {{ deedO {{ reviewProduct(id: $id, decision: PUBLISHED) {{ {PRODUCT} }} }} }}"
            ),
            json!({ "id": f.suggestion_to_publish }),
        )
        .then(Other, FORBIDDEN)
        .then(Owner, FORBIDDEN)
        .then(Admin, Allowed),
        // Any signed-in user starts a chat about a public product.
        Case::new(
            "createGroup",
            "mutation($p: String!, $m: [Int!]) { deedO { createGroup(name: \"About the candle\", productId: $p, memberIds: $m) { rowId name members memberUsers { rowId email } product { rowId vendor { email products { nodes { title } } } groups { totalCount nodes { name } } } } } }",
            json!({ "p": f.published, "m": [owner] }),
        )
        .then(Anonymous, UNAUTH)
        .then(Foreign, UNAUTH)
        .then(Other, Allowed)
        .then(Moderator, Allowed)
        .then(Admin, Allowed)
        .then(Owner, Allowed),
        // … but not about another vendor's draft (it does not exist for them).
        Case::new(
            "createGroup",
            "mutation($p: String!) { deedO { createGroup(name: \"Peek\", productId: $p) { rowId product { title } } } }",
            json!({ "p": f.draft }),
        )
        .then(Anonymous, UNAUTH)
        .then(Foreign, UNAUTH)
        .then(Other, NOT_FOUND)
        .then(Owner, Allowed),
        // Members only: a non-member cannot add themself.
        members_only(Case::new(
            "addMember",
            format!(
                "mutation($g: UUID!, $u: Int!) {{ deedO {{ addMember(groupId: $g, userId: $u) {{ {GROUP} }} }} }}"
            ),
            json!({ "g": f.group_to_grow, "u": f.other }),
        )),
        members_only(Case::new(
            "removeMember",
            format!(
                "mutation($g: UUID!, $u: Int!) {{ deedO {{ removeMember(groupId: $g, userId: $u) {{ {GROUP} }} }} }}"
            ),
            json!({ "g": f.group_to_shrink, "u": f.friend }),
        )),
        members_only(Case::new(
            "sendMessage",
            format!(
                "mutation($g: UUID!) {{ deedO {{ sendMessage(groupId: $g, text: \"Hello\") {{ {MESSAGE} }} }} }}"
            ),
            json!({ "g": f.chat }),
        )),
        members_only(Case::new(
            "markRead",
            format!(
                "mutation($m: UUID!) {{ deedO {{ markRead(messageId: $m) {{ {MESSAGE} }} }} }}"
            ),
            json!({ "m": f.chat_message }),
        )),
    ]
}

/// `totalCount` of `path` (dot-separated) under `data.deedO`.
fn count(body: &Value, path: &str) -> Option<i64> {
    path.split('.')
        .fold(&body["data"]["deedO"], |v, k| match k.parse::<usize>() {
            Ok(i) => &v[i],
            Err(_) => &v[k],
        })
        .as_i64()
}

/// Root and nested `totalCount`s, `node(id:)`, and what moderators and group members see.
async fn plain_assertions(app: &TestApp, f: &Fixture) {
    let b = app.backend.name();
    let token = |who: Who| {
        f.tokens
            .iter()
            .find(|(w, _)| *w == who)
            .and_then(|(_, t)| t.as_deref())
    };
    let viewers = VIEWERS;
    let main = app.db(Database::DeedO);
    let auth = app.db(Database::DeedOAuth);

    // What the database holds for the owner.
    let mine = products::Entity::find()
        .filter(products::Column::VendorId.eq(f.owner))
        .count(main)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let published = products::Entity::find()
        .filter(products::Column::VendorId.eq(f.owner))
        .filter(products::Column::PublishingStatus.eq(PublishingStatusEnum::Published))
        .count(main)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let sessions = tokens::Entity::find()
        .filter(tokens::Column::UserId.eq(f.owner))
        .count(auth)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let requests = user_verifications::Entity::find()
        .filter(user_verifications::Column::UserId.eq(f.owner))
        .count(auth)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let sent = messages::Entity::find()
        .filter(messages::Column::SenderId.eq(f.owner))
        .count(main)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let chat_messages = messages::Entity::find()
        .filter(messages::Column::GroupId.eq(f.chat))
        .count(main)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(mine > published && published > 0 && sessions > 0 && sent > 0);
    let public_ids: Vec<String> = products::Entity::find()
        .filter(products::Column::VendorId.eq(f.owner))
        .filter(products::Column::PublishingStatus.eq(PublishingStatusEnum::Published))
        .all(main)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|p| p.id)
        .collect();
    let chats = groups::Entity::find()
        .filter(groups::Column::ProductId.is_in(public_ids))
        .all(main)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(chats.len() > 1, "{}", chats.len());
    let n = |x: u64| i64::try_from(x).unwrap_or_default();

    let q = "query($v: Int!, $g: UUID!) { deedO {
        products(where: { vendorId: { eq: $v } }) { totalCount aggregate { count } }
        groups(where: { rowId: { in: [$g] } }) { totalCount }
        messages(where: { groupId: { eq: $g } }) { totalCount }
        tokens(where: { userId: { eq: $v } }) { totalCount }
        userVerifications(where: { userId: { eq: $v } }) { totalCount }
        user(rowId: $v) { email products { totalCount } messages { totalCount } tokens { totalCount } verifications { totalCount } }
        publicProducts(where: { vendorId: { eq: $v } }) { totalCount nodes { groups { totalCount } } }
    } }";
    for who in viewers {
        let r = app
            .gql(q, json!({ "v": f.owner, "g": f.chat }), token(who))
            .await;
        let what = format!("{b} counts as {who:?}");
        assert!(r.body.get("errors").is_none(), "{what}: {}", r.body);
        // Drafts: vendor, moderators, admins. Groups, messages: members and admins. Sessions,
        // verifications, e-mail: the user and admins.
        let sees_drafts = matches!(who, Owner | Moderator | Admin);
        let sees_private = matches!(who, Owner | Admin);
        let products_seen = n(if sees_drafts { mine } else { published });
        let or0 = |yes: bool, x: u64| if yes { n(x) } else { 0 };
        let want = [
            ("products.totalCount", products_seen),
            ("products.aggregate.count", products_seen),
            ("user.products.totalCount", products_seen),
            ("groups.totalCount", or0(sees_private, 1)),
            ("messages.totalCount", or0(sees_private, chat_messages)),
            ("user.messages.totalCount", or0(sees_private, sent)),
            ("tokens.totalCount", or0(sees_private, sessions)),
            ("user.tokens.totalCount", or0(sees_private, sessions)),
            ("userVerifications.totalCount", or0(sees_private, requests)),
            ("user.verifications.totalCount", or0(sees_private, requests)),
            ("publicProducts.totalCount", n(published)),
        ];
        for (path, expected) in want {
            assert_eq!(
                count(&r.body, path),
                Some(expected),
                "{what}: {path}: {}",
                r.body
            );
        }
        let email = &r.body["data"]["deedO"]["user"]["email"];
        if sees_private {
            assert_eq!(email.as_str(), Some(f.owner_email.as_str()), "{what}");
        } else {
            // Moderators review products; they do not read e-mails.
            assert!(email.is_null(), "{what}: e-mail leaked: {}", r.body);
        }
        // The chats about the owner's public products: the viewer's own (members), all for
        // admins.
        let me = match who {
            Owner => Some(f.owner),
            Other => Some(f.other),
            Moderator => Some(f.moderator),
            Admin => Some(f.admin),
            Anonymous | Foreign => None,
        };
        let expected = chats
            .iter()
            .filter(|g| {
                who == Admin
                    || me.is_some_and(|m| {
                        g.members
                            .as_ref()
                            .and_then(Value::as_array)
                            .is_some_and(|a| a.contains(&json!(m)))
                    })
            })
            .count();
        let seen: i64 = r.body["data"]["deedO"]["publicProducts"]["nodes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p["groups"]["totalCount"].as_i64())
            .sum();
        assert_eq!(
            seen,
            i64::try_from(expected).unwrap_or_default(),
            "{what}: chats of public products: {}",
            r.body
        );
    }

    // node(id:) and nodes(ids:): a private row's global id as each viewer.
    let admin = token(Admin);
    let gid = |doc: &'static str, vars: Value| async move {
        let r = app.gql(doc, vars, admin).await;
        r.data()["deedO"]
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(|v| v["id"].as_str())
            .unwrap_or_else(|| panic!("{b}: no global id: {}", r.body))
            .to_owned()
    };
    let draft = gid(
        "query($id: String!) { deedO { product(rowId: $id) { id } } }",
        json!({ "id": f.draft }),
    )
    .await;
    let public = gid(
        "query($id: String!) { deedO { product(rowId: $id) { id } } }",
        json!({ "id": f.published }),
    )
    .await;
    let chat = gid(
        "query($id: UUID!) { deedO { group(rowId: $id) { id } } }",
        json!({ "id": f.chat }),
    )
    .await;
    let message = gid(
        "query($id: UUID!) { deedO { message(rowId: $id) { id } } }",
        json!({ "id": f.chat_message }),
    )
    .await;
    let session = gid(
        "query($id: Int!) { deedO { token(rowId: $id) { id } } }",
        json!({ "id": f.owner_token_row }),
    )
    .await;
    let verification = gid(
        "query($id: UUID!) { deedO { userVerification(rowId: $id) { id } } }",
        json!({ "id": f.owner_verification }),
    )
    .await;
    let user = gid(
        "query($id: Int!) { deedO { user(rowId: $id) { id } } }",
        json!({ "id": f.owner }),
    )
    .await;
    let rows: [(&str, &String, &[Who]); 7] = [
        ("draft", &draft, &[Owner, Moderator, Admin]),
        ("published product", &public, &viewers),
        ("group", &chat, &[Owner, Admin]),
        ("message", &message, &[Owner, Admin]),
        ("token", &session, &[Owner, Admin]),
        ("verification", &verification, &[Owner, Admin]),
        ("user", &user, &viewers),
    ];
    for who in viewers {
        for (what, id, allowed) in rows {
            let what = format!("{b} node({what}) as {who:?}");
            let r = app
                .gql(
                    "query($id: ID!) { node(id: $id) { id ... on DeedOUser { email } ... on DeedOProduct { title } } }",
                    json!({ "id": id }),
                    token(who),
                )
                .await;
            assert!(r.body.get("errors").is_none(), "{what}: {}", r.body);
            let node = &r.body["data"]["node"];
            if allowed.contains(&who) {
                assert_eq!(node["id"].as_str(), Some(id.as_str()), "{what}: {}", r.body);
            } else {
                assert!(node.is_null(), "{what}: {}", r.body);
            }
            // Nothing private of a hidden row; the owner's e-mail only to the owner and admins.
            let text = r.body.to_string();
            if !allowed.contains(&who) {
                for s in &f.secrets {
                    assert!(!text.contains(s.as_str()), "{what}: `{s}` leaked: {text}");
                }
            }
            if !matches!(who, Owner | Admin) {
                assert!(
                    !text.contains(&f.owner_email),
                    "{what}: e-mail leaked: {text}"
                );
            }
        }
        let ids: Vec<&String> = rows.iter().map(|(_, id, _)| *id).collect();
        let r = app
            .gql(
                "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
                json!({ "ids": ids }),
                token(who),
            )
            .await;
        let what = format!("{b} nodes(ids) as {who:?}");
        assert!(r.body.get("errors").is_none(), "{what}: {}", r.body);
        let entries = r.body["data"]["nodes"].as_array().map_or(0, Vec::len);
        assert_eq!(entries, ids.len(), "{what}: one entry per id: {}", r.body);
        let mut got: Vec<String> = r.body["data"]["nodes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|n| n["id"].as_str().map(str::to_owned))
            .collect();
        let mut want: Vec<String> = rows
            .iter()
            .filter(|(_, _, allowed)| allowed.contains(&who))
            .map(|(_, id, _)| (*id).clone())
            .collect();
        got.sort();
        want.sort();
        assert_eq!(got, want, "{what}: {}", r.body);
    }

    // Other users' e-mails reach no one but admins, whatever the path: the members of one's
    // own group, the sender and readers of its messages, the list of users.
    let q = "query($g: UUID!) { deedO {
        users(first: 100) { nodes { rowId email } }
        group(rowId: $g) { memberUsers { email } messages { nodes { sender { email } readers { email } } } lastMessage { sender { email } } }
        products(first: 100) { nodes { vendor { email } } }
    } }";
    let emails: Vec<(i32, String)> = users::Entity::find()
        .all(auth)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|u| (u.id, u.email))
        .collect();
    for (who, me) in [
        (Owner, Some(f.owner)),
        (Other, Some(f.other)),
        (Moderator, Some(f.moderator)),
        (Anonymous, None),
        (Foreign, None),
    ] {
        let r = app.gql(q, json!({ "g": f.chat }), token(who)).await;
        let what = format!("{b} e-mails as {who:?}");
        assert!(r.body.get("errors").is_none(), "{what}: {}", r.body);
        let text = r.body.to_string();
        for (id, email) in &emails {
            if Some(*id) != me {
                assert!(
                    !text.contains(email.as_str()),
                    "{what}: {email} leaked: {text}"
                );
            }
        }
    }

    // A member who is not the vendor sees the group, not the vendor's draft it is about.
    let r = app
        .gql(
            "query($id: UUID!) { deedO { group(rowId: $id) { name productId product { rowId title } } } }",
            json!({ "id": f.group_about_draft }),
            Some(&f.friend_token),
        )
        .await;
    let g = &r.data()["deedO"]["group"];
    assert!(
        g["name"].is_string(),
        "{b}: member reads the group: {}",
        r.body
    );
    assert!(
        g["product"].is_null(),
        "{b}: draft through a group: {}",
        r.body
    );

    // OTP codes are nowhere in the schema: not a field, not a filter, not an order.
    for t in [
        "DeedOUserVerification",
        "DeedOUserVerificationWhere",
        "DeedOUserVerificationOrderBy",
        "DeedOToken",
        "DeedOSession",
    ] {
        let r = app
            .gql(
                "query($t: String!) { __type(name: $t) { fields { name } inputFields { name } enumValues { name } } }",
                json!({ "t": t }),
                None,
            )
            .await;
        let text = r.data().to_string().to_lowercase();
        assert!(
            !text.contains("otp") && !text.contains("code"),
            "{b}: {t} exposes a code: {text}"
        );
    }
    // E-mails are no filter or order either (no oracle).
    for t in ["DeedOUserWhere", "DeedOUserOrderBy"] {
        let r = app
            .gql(
                "query($t: String!) { __type(name: $t) { inputFields { name } enumValues { name } } }",
                json!({ "t": t }),
                None,
            )
            .await;
        let text = r.data().to_string().to_lowercase();
        assert!(
            !text.contains("email"),
            "{b}: {t} filters on e-mail: {text}"
        );
    }
}

/// A Deed-O session ends with its `tokens` row: expired or deleted, its bearer token answers
/// 401 `UNAUTHENTICATED`; another session of the same user lives on.
async fn sessions_end_with_their_row(app: &TestApp) {
    let b = app.backend.name();
    let auth = app.db(Database::DeedOAuth);
    let email = format!("session-{}@example.org", Uuid::new_v4().simple());
    let (user, first, _) = sign_up(app, &email).await;
    let (request, code) = otp(app, &email, "LOGIN").await;
    let (_, second, _) = sign_in(app, request, &code, &email).await;
    let (first_row, second_row) = (sid(&first), sid(&second));
    assert_ne!(first_row, second_row, "{b}");
    let mine = "{ deedO { tokens { totalCount } } }";
    let works = |token: String| async move {
        let r = app.gql(mine, json!({}), Some(&token)).await;
        assert_eq!(r.status, 200, "{b}: {}", r.body);
        assert_eq!(
            count(&r.body, "tokens.totalCount"),
            Some(2),
            "{b}: {}",
            r.body
        );
    };
    let refused = |token: String, why: &'static str| async move {
        let r = app.gql(mine, json!({}), Some(&token)).await;
        assert_eq!(r.status, 401, "{b}: {why}: {}", r.body);
        assert_eq!(r.code(), Some("UNAUTHENTICATED"), "{b}: {why}: {}", r.body);
        assert!(r.body["data"].is_null(), "{b}: {why}: {}", r.body);
    };
    works(first.clone()).await;
    works(second.clone()).await;

    // The first session expires: its token stops working, the second still works.
    let past: sea_orm::prelude::DateTimeWithTimeZone = "2000-01-01T00:00:00+00:00"
        .parse()
        .unwrap_or_else(|e| panic!("{e}"));
    let done = tokens::Entity::update_many()
        .col_expr(tokens::Column::ExpireAt, Expr::val(past))
        .filter(tokens::Column::Id.eq(first_row))
        .exec(auth)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(done.rows_affected, 1, "{b}");
    refused(first.clone(), "expired session").await;
    let r = app.gql(mine, json!({}), Some(&second)).await;
    assert_eq!(
        count(&r.body, "tokens.totalCount"),
        Some(2),
        "{b}: {}",
        r.body
    );

    // The second signs out: its row is gone and its token stops working too.
    let r = app
        .gql("mutation { deedO { signOut } }", json!({}), Some(&second))
        .await;
    assert_eq!(r.data()["deedO"]["signOut"], true, "{b}");
    let left = tokens::Entity::find_by_id(second_row)
        .one(auth)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(left.is_none(), "{b}: the session row is deleted");
    refused(second.clone(), "signed-out session").await;
    // A development token stands on no session: nothing to end.
    let dev = app.token("deed_o", &user.to_string());
    let r = app
        .gql("mutation { deedO { signOut } }", json!({}), Some(&dev))
        .await;
    assert_eq!(r.data()["deedO"]["signOut"], false, "{b}");
    // Mutations too.
    let r = app
        .gql(
            "mutation { deedO { createGroup(name: \"After sign-out\") { rowId } } }",
            json!({}),
            Some(&second),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (401, Some("UNAUTHENTICATED")),
        "{b}: {}",
        r.body
    );

    // A session row of another user is no session of this one.
    let (_, third, _) = sign_up(
        app,
        &format!("third-{}@example.org", Uuid::new_v4().simple()),
    )
    .await;
    let borrowed = api::auth::Tokens::new(&app.secret)
        .mint_session("deed_o", &user.to_string(), Some(sid(&third)), 3600)
        .unwrap_or_else(|e| panic!("{e:?}"));
    refused(borrowed, "another user's session row").await;
    // A fresh login works again.
    let (request, code) = otp(app, &email, "LOGIN").await;
    let (_, fresh, _) = sign_in(app, request, &code, &email).await;
    let r = app.gql(mine, json!({}), Some(&fresh)).await;
    assert_eq!(r.status, 200, "{b}: {}", r.body);
    // A deleted account's live session ends too.
    users::Entity::update_many()
        .col_expr(
            users::Column::DeletedAt,
            Expr::val(sea_orm::prelude::ChronoUtc::now().naive_utc()),
        )
        .filter(users::Column::Id.eq(user))
        .exec(auth)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    refused(fresh, "deleted account").await;
}

#[tokio::test]
async fn authorization_matrix() {
    for backend in backends() {
        let app = TestApp::spawn(&backend, Data::Empty).await;
        let f = arrange(&app).await;
        // OTP requests of the owner for the verifyOtp cases: one to fail, one to succeed.
        let (wrong, code) = otp(&app, &f.owner_email, "LOGIN").await;
        let wrong = (
            wrong,
            if code == "000000" { "111111" } else { "000000" }.to_owned(),
        );
        let right = otp(&app, &f.owner_email, "LOGIN").await;
        let cases = cases(&f, wrong, right);
        let world = World {
            app: &app,
            namespace: "deedO",
            query_type: "DeedOQuery",
            mutation_type: "DeedOMutation",
            tokens: f.tokens.clone(),
            secrets: f.secrets.clone(),
        };
        authz::run(&world, &cases).await;
        plain_assertions(&app, &f).await;
        sessions_end_with_their_row(&app).await;
    }
}
