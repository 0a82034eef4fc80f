//! Authorization matrices of Character Creation and Mind-vault: every query and mutation of
//! each namespace, asked by the anonymous viewer, the owner of the rows, another user, an admin
//! (by the source's data) and a valid token of another source, with the outcome each must get.
//!
//! Character Creation (seed 002): characters are private unless public (the gallery shows public
//! ones only), generations, quota and statistics belong to their user, templates are public,
//! user accounts are their own. Mind-vault (seed 003): «all queries scoped to authenticated
//! user» — summaries and what hangs off them (keyframes, tag and category links) are their
//! owner's; tags and categories themselves are the shared vocabulary (MV-A07); the BetterAuth
//! tables are the user's own (`verification`: admins only) and their secrets reach nobody.
//!
//! Besides the root fields the matrices reach private rows through nested relations (a public
//! character's generations and user, a template's characters, a tag's summary links) and
//! `totalCount`; `node(id:)`, `nodes(ids:)` and exact counts are plain assertions after
//! `authz::run`.

use Expect::{Allowed, Nothing, Refused};
use Who::{Admin, Anonymous, Foreign, Other, Owner};
use e2e::authz::{self, Case, Expect, Who, World};
use e2e::{Backend, Data, TestApp, backends};
use entity::character_creation::sea_orm_active_enums::{
    GenerationStatus, StyleType, SubscriptionTier,
};
use entity::character_creation::{character_templates, characters, generations, users};
use entity::mind_vault as mv;
use migration::Database;
use sea_orm::ActiveValue::Set;
use sea_orm::prelude::{ChronoDate, ChronoDateTime, ChronoUtc};
use sea_orm::{DatabaseConnection, EntityTrait};
use serde_json::{Value, json};
use uuid::Uuid;

const UNAUTHENTICATED: Expect = Refused("UNAUTHENTICATED");
const NOT_FOUND: Expect = Refused("NOT_FOUND");

/// A marker no viewer but the owner (or an admin) may ever see.
fn secret(what: &str) -> String {
    format!("secret-{what}-{}", Uuid::new_v4().simple())
}

fn now() -> ChronoDateTime {
    ChronoUtc::now().naive_utc()
}

fn far_future() -> ChronoDateTime {
    ChronoDate::from_ymd_opt(2099, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_else(now)
}

/// A read of the owner's private rows: the owner and the admin see them, nobody else does (no
/// error: private rows are simply not there).
fn private(field: &'static str, doc: &str, vars: Value) -> Case {
    Case::new(field, doc, vars)
        .then(Anonymous, Nothing)
        .then(Foreign, Nothing)
        .then(Other, Nothing)
        .then(Owner, Allowed)
        .then(Admin, Allowed)
}

/// A read of public content: everyone sees it (nested private rows stay hidden, which the
/// world's secrets check).
fn public(field: &'static str, doc: &str, vars: Value) -> Case {
    Case::new(field, doc, vars)
        .then(Anonymous, Allowed)
        .then(Foreign, Allowed)
        .then(Other, Allowed)
        .then(Owner, Allowed)
        .then(Admin, Allowed)
}

/// A write on one of the owner's rows: no token (or another source's) is UNAUTHENTICATED,
/// another user's and even an admin's is NOT_FOUND (writes touch the viewer's own rows only,
/// and someone else's row answers exactly as a missing one); the owner's goes through, last.
fn owners_write(field: &'static str, doc: &str, vars: Value) -> Case {
    Case::new(field, doc, vars)
        .then(Anonymous, UNAUTHENTICATED)
        .then(Foreign, UNAUTHENTICATED)
        .then(Other, NOT_FOUND)
        .then(Admin, NOT_FOUND)
        .then(Owner, Allowed)
}

/// An operation on the viewer's own account (their quota, their new rows): needs a token of
/// the source; every signed-in user gets their own answer.
fn signed_in(field: &'static str, doc: &str, vars: Value) -> Case {
    Case::new(field, doc, vars)
        .then(Anonymous, UNAUTHENTICATED)
        .then(Foreign, UNAUTHENTICATED)
        .then(Other, Allowed)
        .then(Admin, Allowed)
        .then(Owner, Allowed)
}

fn token_of(tokens: &[(Who, Option<String>)], who: Who) -> Option<&str> {
    tokens
        .iter()
        .find(|(w, _)| *w == who)
        .and_then(|(_, t)| t.as_deref())
}

/// `path` (dot-separated) of the data of `doc` asked by `who`, failing on errors.
async fn read(
    app: &TestApp,
    tokens: &[(Who, Option<String>)],
    who: Who,
    doc: &str,
    vars: Value,
    path: &str,
) -> Value {
    let r = app.gql(doc, vars, token_of(tokens, who)).await;
    let mut v = r.data();
    for p in path.split('.') {
        v = &v[p];
    }
    v.clone()
}

/// A count (`totalCount`, a statistic) as `who` sees it.
async fn count(
    app: &TestApp,
    tokens: &[(Who, Option<String>)],
    who: Who,
    doc: &str,
    vars: Value,
    path: &str,
) -> i64 {
    let v = read(app, tokens, who, doc, vars, path).await;
    v.as_i64()
        .unwrap_or_else(|| panic!("{who:?}: {path} of {doc} is not a number: {v}"))
}

/// `node(id:)` and `nodes(ids:)` answer the object with global id `id` exactly to `seen_by`;
/// to everyone else `node` and the entry of `nodes` are null, without an error.
async fn node_visible_to(
    app: &TestApp,
    tokens: &[(Who, Option<String>)],
    what: &str,
    id: &str,
    seen_by: &[Who],
) {
    let b = app.backend.name();
    for (who, token) in tokens {
        let r = app
            .gql(
                "query($id: ID!) { node(id: $id) { id } nodes(ids: [$id]) { id } }",
                json!({ "id": id }),
                token.as_deref(),
            )
            .await;
        let data = r.data();
        let seen = seen_by.contains(who);
        let node = &data["node"];
        let nodes = data["nodes"].as_array().cloned().unwrap_or_default();
        if seen {
            assert_eq!(node["id"], id, "{b} node({what}) as {who:?}: {}", r.body);
            assert_eq!(nodes.len(), 1, "{b} nodes([{what}]) as {who:?}: {}", r.body);
        } else {
            assert!(node.is_null(), "{b} node({what}) as {who:?}: {}", r.body);
            assert_eq!(
                nodes,
                vec![serde_json::Value::Null],
                "{b} nodes([{what}]) as {who:?}: {}",
                r.body
            );
        }
    }
}

/// The names of the scalar (and enum) fields of a GraphQL object type, for documents that
/// select everything a type exposes.
async fn scalar_fields(app: &TestApp, type_name: &str) -> Vec<String> {
    let r = app
        .gql(
            "query($t: String!) { __type(name: $t) { fields { name type { kind ofType { kind ofType { kind } } } } } }",
            json!({ "t": type_name }),
            None,
        )
        .await;
    let fields = r.data()["__type"]["fields"]
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("no type {type_name}: {}", r.body));
    fields
        .iter()
        .filter(|f| {
            let mut t = &f["type"];
            while t["kind"] == "NON_NULL" || t["kind"] == "LIST" {
                t = &t["ofType"];
            }
            t["kind"] == "SCALAR" || t["kind"] == "ENUM"
        })
        .filter_map(|f| f["name"].as_str().map(str::to_owned))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Character Creation
// ---------------------------------------------------------------------------------------------

async fn cc_user(db: &DatabaseConnection, email: &str, name: &str, auth0: Option<String>) -> Uuid {
    let id = Uuid::new_v4();
    users::Entity::insert(users::ActiveModel {
        id: Set(id),
        email: Set(email.to_owned()),
        name: Set(Some(name.to_owned())),
        auth0_id: Set(auth0),
        subscription_tier: Set(SubscriptionTier::Pro),
        created_at: Set(now()),
        updated_at: Set(now()),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await
    .unwrap_or_else(|e| panic!("cc user: {e}"));
    id
}

async fn cc_character(
    db: &DatabaseConnection,
    user: Uuid,
    name: &str,
    prompt: &str,
    public: bool,
    template: Option<Uuid>,
) -> Uuid {
    let id = Uuid::new_v4();
    characters::Entity::insert(characters::ActiveModel {
        id: Set(id),
        user_id: Set(user),
        name: Set(name.to_owned()),
        prompt: Set(prompt.to_owned()),
        style_type: Set(StyleType::Fantasy),
        tags: Set(json!(["hero"])),
        is_public: Set(public),
        image_url: Set(None),
        metadata: Set(None),
        template_id: Set(template),
        created_at: Set(now()),
        updated_at: Set(now()),
    })
    .exec_without_returning(db)
    .await
    .unwrap_or_else(|e| panic!("cc character: {e}"));
    id
}

async fn cc_generation(
    db: &DatabaseConnection,
    user: Uuid,
    character: Option<Uuid>,
    template: Option<Uuid>,
    prompt: &str,
    status: GenerationStatus,
) -> Uuid {
    let id = Uuid::new_v4();
    let done = status == GenerationStatus::Completed;
    generations::Entity::insert(generations::ActiveModel {
        id: Set(id),
        user_id: Set(user),
        character_id: Set(character),
        template_id: Set(template),
        prompt: Set(prompt.to_owned()),
        style_type: Set(StyleType::Fantasy),
        status: Set(status),
        error_message: Set(None),
        result_url: Set(done.then(|| "https://img.example.com/result.png".to_owned())),
        started_at: Set(done.then(now)),
        completed_at: Set(done.then(now)),
        created_at: Set(now()),
        updated_at: Set(now()),
    })
    .exec_without_returning(db)
    .await
    .unwrap_or_else(|e| panic!("cc generation: {e}"));
    id
}

async fn mv_user(db: &DatabaseConnection, id: &str, name: &str, email: &str) {
    mv::user::Entity::insert(mv::user::ActiveModel {
        id: Set(id.to_owned()),
        name: Set(name.to_owned()),
        email: Set(email.to_owned()),
        email_verified: Set(true),
        image: Set(None),
        created_at: Set(now()),
        updated_at: Set(now()),
        role: Set(None),
    })
    .exec_without_returning(db)
    .await
    .unwrap_or_else(|e| panic!("mv user: {e}"));
}

/// The global id of a Character Creation row, as its owner reads it.
async fn cc_global_id(app: &TestApp, owner: &str, field: &str, row: Uuid) -> String {
    let doc =
        format!("query($id: UUID!) {{ characterCreation {{ {field}(rowId: $id) {{ id }} }} }}");
    let r = app.gql(&doc, json!({ "id": row }), Some(owner)).await;
    r.data()["characterCreation"][field]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no global id of {field} {row}: {}", r.body))
        .to_owned()
}

const CC_QUOTA: &str =
    "{ characterCreation { viewerQuota { tier limit usedToday remaining quotaExceeded } } }";
const CC_STATS: &str = "{ characterCreation { characterStats { totalCharacters publicCharacters privateCharacters totalGenerations byStyle { styleType count } generationsByStatus { status count } } } }";
const CC_GALLERY: &str = "{ characterCreation { gallery(first: 50) { totalCount nodes { rowId name prompt tags user { email name auth0Id } generations { totalCount nodes { prompt } } template { name } } } } }";
const CC_GALLERY_SEARCH: &str = "query($s: String) { characterCreation { gallery(search: $s, first: 50) { totalCount nodes { name prompt } } } }";
const CC_GALLERY_PRIVATE: &str = "{ characterCreation { gallery(where: { isPublic: { eq: false } }) { totalCount nodes { name } } } }";
const CC_USERS: &str = "query($id: UUID!) { characterCreation { users(where: { rowId: { eq: $id } }) { totalCount aggregate { count } nodes { rowId email name auth0Id role } } } }";
const CC_ALL_USERS: &str =
    "{ characterCreation { users(first: 50) { totalCount nodes { rowId email name auth0Id } } } }";
const CC_USER: &str = "query($id: UUID!) { characterCreation { user(rowId: $id) { rowId email name auth0Id characters { totalCount nodes { name } } generations { totalCount nodes { prompt } } } } }";
const CC_CHARACTERS: &str = "query($id: UUID!) { characterCreation { characters(where: { rowId: { eq: $id } }) { totalCount aggregate { count } nodes { name prompt metadata } } } }";
const CC_ALL_CHARACTERS: &str = "{ characterCreation { characters(first: 50) { totalCount nodes { name prompt user { email name } generations { totalCount nodes { prompt } } } } } }";
const CC_CHARACTER: &str = "query($id: UUID!) { characterCreation { character(rowId: $id) { rowId name prompt isPublic user { email name } generations { totalCount nodes { prompt } } template { name } } } }";
const CC_GENERATIONS: &str = "{ characterCreation { generations(first: 50) { totalCount aggregate { count } nodes { prompt status character { name } user { email } } } } }";
const CC_GENERATION: &str = "query($id: UUID!) { characterCreation { generation(rowId: $id) { rowId prompt status user { email } character { name } template { name } } } }";
const CC_TEMPLATES: &str = "{ characterCreation { characterTemplates(first: 50) { totalCount nodes { rowId name characters { totalCount nodes { name prompt } } generations { totalCount nodes { prompt } } } } } }";
const CC_TEMPLATE: &str = "query($id: UUID!) { characterCreation { characterTemplate(rowId: $id) { rowId name promptTemplate characters { totalCount nodes { name prompt } } generations { totalCount nodes { prompt } } } } }";

const CC_REQUEST: &str = "mutation($t: UUID) { characterCreation { requestGeneration(prompt: \"A brave knight\", styleType: FANTASY, templateId: $t) { rowId status template { characters { totalCount nodes { name } } } } } }";
const CC_FROM_TEMPLATE: &str = "mutation($t: UUID!) { characterCreation { generateFromTemplate(templateId: $t) { rowId prompt status template { generations { totalCount nodes { prompt } } } } } }";
const CC_STATUS: &str = "mutation($id: UUID!) { characterCreation { updateGenerationStatus(id: $id, status: PROCESSING) { rowId status prompt } } }";
const CC_CREATE: &str = "mutation($t: UUID) { characterCreation { createCharacter(name: \"New hero\", prompt: \"A new hero\", styleType: ANIME, templateId: $t) { rowId isPublic template { characters { totalCount nodes { name prompt } } } } } }";
const CC_UPDATE: &str = "mutation($id: UUID!) { characterCreation { updateCharacter(id: $id, name: \"Renamed hero\") { rowId name prompt } } }";
const CC_SET_PUBLIC: &str = "mutation($id: UUID!) { characterCreation { setCharacterPublic(id: $id, isPublic: true) { rowId isPublic } } }";
const CC_DELETE: &str =
    "mutation($id: UUID!) { characterCreation { deleteCharacter(id: $id) { deletedId } } }";

async fn character_creation_matrix(backend: &Backend) {
    let app = TestApp::spawn(backend, Data::Empty).await;
    let b = backend.name();
    let db = app.db(Database::CharacterCreation).clone();

    // The owner's account is private: its e-mail, name and Auth0 id are secret markers.
    let (o_email, o_name, o_auth0) = (secret("email"), secret("name"), secret("auth0"));
    let owner = cc_user(&db, &o_email, &o_name, Some(o_auth0.clone())).await;
    let other = cc_user(
        &db,
        &format!("other-{}@example.com", Uuid::new_v4()),
        "Other",
        None,
    )
    .await;
    let admin = cc_user(
        &db,
        &format!("admin-{}@example.com", Uuid::new_v4()),
        "Admin",
        None,
    )
    .await;
    app.grant("character_creation", &admin.to_string(), "admin")
        .await;
    // A signed-in Mind-vault user: anonymous here.
    let foreign = format!("mvForeign{}", Uuid::new_v4().simple());
    mv_user(
        app.db(Database::MindVault),
        &foreign,
        "Foreign",
        &format!("{foreign}@example.com"),
    )
    .await;

    let template = Uuid::new_v4();
    character_templates::Entity::insert(character_templates::ActiveModel {
        id: Set(template),
        name: Set("Elf ranger".into()),
        description: Set(None),
        style_type: Set(StyleType::Fantasy),
        prompt_template: Set("An elven ranger, green cloak".into()),
        tags: Set(json!(["fantasy", "elf"])),
        is_active: Set(true),
        created_at: Set(now()),
        updated_at: Set(now()),
    })
    .exec_without_returning(&db)
    .await
    .unwrap_or_else(|e| panic!("template: {e}"));

    // Public: in the gallery, readable by all. Its generation is still the owner's own.
    let public_char = cc_character(
        &db,
        owner,
        "Public hero",
        "A public hero",
        true,
        Some(template),
    )
    .await;
    // Private: name and prompt are secret markers.
    let (p_name, p_prompt) = (secret("char-name"), secret("char-prompt"));
    let private_char = cc_character(&db, owner, &p_name, &p_prompt, false, Some(template)).await;
    let gen_prompt = secret("gen-prompt");
    let generation = cc_generation(
        &db,
        owner,
        Some(public_char),
        Some(template),
        &gen_prompt,
        GenerationStatus::Completed,
    )
    .await;
    // Rows for the writes, one per destructive operation.
    let flow_prompt = secret("flow-prompt");
    let flow = cc_generation(
        &db,
        owner,
        None,
        Some(template),
        &flow_prompt,
        GenerationStatus::Pending,
    )
    .await;
    let (upd_name, upd_prompt) = (secret("upd-name"), secret("upd-prompt"));
    let to_update = cc_character(&db, owner, &upd_name, &upd_prompt, false, None).await;
    // Becomes public during the matrix: nothing secret in it.
    let to_publish = cc_character(&db, owner, "Soon public", "Soon shared", false, None).await;
    let (del_name, del_prompt) = (secret("del-name"), secret("del-prompt"));
    let to_delete = cc_character(&db, owner, &del_name, &del_prompt, false, None).await;

    let token = |u: Uuid| Some(app.token("character_creation", &u.to_string()));
    let tokens = vec![
        (Anonymous, None),
        (Owner, token(owner)),
        (Other, token(other)),
        (Admin, token(admin)),
        (Foreign, Some(app.token("mind_vault", &foreign))),
    ];

    // Counts before the matrix writes anything: private rows are not counted for others.
    let (t, p, s) = (
        json!({ "id": template }),
        json!({ "id": public_char }),
        json!({ "id": private_char }),
    );
    let hidden_counts = [
        (
            CC_TEMPLATE,
            &t,
            "characterTemplate.characters.totalCount",
            1,
            "a template's characters: the public one",
        ),
        (
            CC_TEMPLATE,
            &t,
            "characterTemplate.generations.totalCount",
            0,
            "a template's generations",
        ),
        (
            CC_CHARACTER,
            &p,
            "character.generations.totalCount",
            0,
            "a public character's generations",
        ),
        (
            CC_ALL_CHARACTERS,
            &json!({}),
            "characters.totalCount",
            1,
            "characters: the public one",
        ),
        (
            CC_GALLERY,
            &json!({}),
            "gallery.totalCount",
            1,
            "the gallery: the public one",
        ),
        (
            CC_GENERATIONS,
            &json!({}),
            "generations.aggregate.count",
            0,
            "generations aggregate",
        ),
        (
            CC_CHARACTERS,
            &s,
            "characters.aggregate.count",
            0,
            "a private character's aggregate",
        ),
    ];
    for who in [Anonymous, Foreign, Other] {
        for (doc, vars, path, want, why) in &hidden_counts {
            let path = format!("characterCreation.{path}");
            let n = count(&app, &tokens, who, doc, (*vars).clone(), &path).await;
            assert_eq!(n, *want, "{b} as {who:?}: {why}");
        }
    }
    // Statistics and quota are the viewer's own, also for an admin.
    for (who, chars, public, gens) in [(Owner, 5, 1, 2), (Other, 0, 0, 0), (Admin, 0, 0, 0)] {
        let what = format!("{b} as {who:?}");
        let path = "characterCreation.characterStats";
        let s = read(&app, &tokens, who, CC_STATS, json!({}), path).await;
        assert_eq!(s["totalCharacters"], chars, "{what}: {s}");
        assert_eq!(s["publicCharacters"], public, "{what}: {s}");
        assert_eq!(s["totalGenerations"], gens, "{what}: {s}");
        let path = "characterCreation.viewerQuota";
        let q = read(&app, &tokens, who, CC_QUOTA, json!({}), path).await;
        assert_eq!(q["usedToday"], gens, "{what}: {q}");
    }

    let secrets = vec![
        o_email,
        o_name,
        o_auth0,
        p_name.clone(),
        p_prompt,
        gen_prompt,
        flow_prompt,
        upd_name,
        upd_prompt,
        del_name,
        del_prompt,
    ];
    let id = |u: Uuid| json!({ "id": u });
    let t = json!({ "t": template });
    let cases = vec![
        // The viewer's own account, for every signed-in user of the source; nothing otherwise.
        Case::new(
            "viewer",
            "{ characterCreation { viewer { rowId } } }",
            json!({}),
        )
        .then(Anonymous, Nothing)
        .then(Foreign, Nothing)
        .then(Other, Allowed)
        .then(Admin, Allowed)
        .then(Owner, Allowed),
        // The viewer's own quota and statistics: a token of the source is needed.
        signed_in("viewerQuota", CC_QUOTA, json!({})),
        signed_in("characterStats", CC_STATS, json!({})),
        // The gallery is public; the private characters, the owner's account and the
        // generations of a public character stay out of it.
        public("gallery", CC_GALLERY, json!({})),
        // Searching the gallery for a private character's name finds nothing, even for its
        // owner and an admin: the gallery is the public characters only.
        Case::new("gallery", CC_GALLERY_SEARCH, json!({ "s": p_name }))
            .then(Anonymous, Nothing)
            .then(Foreign, Nothing)
            .then(Other, Nothing)
            .then(Owner, Nothing)
            .then(Admin, Nothing),
        // Nor does a `where` asking for private characters widen it.
        Case::new("gallery", CC_GALLERY_PRIVATE, json!({}))
            .then(Anonymous, Nothing)
            .then(Other, Nothing)
            .then(Owner, Nothing)
            .then(Admin, Nothing),
        // Accounts are their user's own (and the admin's to read).
        private("users", CC_USERS, id(owner)),
        Case::new("users", CC_ALL_USERS, json!({}))
            .then(Anonymous, Nothing)
            .then(Foreign, Nothing)
            .then(Other, Allowed) // their own account only: the owner's is a secret
            .then(Owner, Allowed)
            .then(Admin, Allowed),
        private("user", CC_USER, id(owner)),
        // A private character: nobody but its owner and the admin, not even counted.
        private("characters", CC_CHARACTERS, id(private_char)),
        public("characters", CC_ALL_CHARACTERS, json!({})),
        private("character", CC_CHARACTER, id(private_char)),
        public("character", CC_CHARACTER, id(public_char)),
        // Generations are personal request tracking.
        private("generations", CC_GENERATIONS, json!({})),
        private("generation", CC_GENERATION, id(generation)),
        // Templates are public; their characters only the public ones, their generations none.
        public("characterTemplates", CC_TEMPLATES, json!({})),
        public("characterTemplate", CC_TEMPLATE, id(template)),
        // Requests and new characters are the viewer's own; the template they show keeps
        // other users' rows hidden.
        signed_in("requestGeneration", CC_REQUEST, t.clone()),
        signed_in("generateFromTemplate", CC_FROM_TEMPLATE, t.clone()),
        signed_in("createCharacter", CC_CREATE, t),
        // The owner's rows: only the owner may change them.
        owners_write("updateGenerationStatus", CC_STATUS, id(flow)),
        owners_write("updateCharacter", CC_UPDATE, id(to_update)),
        owners_write("setCharacterPublic", CC_SET_PUBLIC, id(to_publish)),
        owners_write("deleteCharacter", CC_DELETE, id(to_delete)),
    ];
    let world = World {
        app: &app,
        namespace: "characterCreation",
        query_type: "CharacterCreationQuery",
        mutation_type: "CharacterCreationMutation",
        tokens: tokens.clone(),
        secrets,
    };
    authz::run(&world, &cases).await;

    // node(id:) and nodes(ids:): private rows reach their owner and the admin only.
    let owner_token = token(owner).unwrap_or_default();
    let seen = [Owner, Admin];
    let everyone = [Anonymous, Foreign, Other, Owner, Admin];
    let gid = cc_global_id(&app, &owner_token, "character", private_char).await;
    node_visible_to(&app, &tokens, "private character", &gid, &seen).await;
    let gid = cc_global_id(&app, &owner_token, "generation", generation).await;
    node_visible_to(&app, &tokens, "generation", &gid, &seen).await;
    let gid = cc_global_id(&app, &owner_token, "user", owner).await;
    node_visible_to(&app, &tokens, "owner's account", &gid, &seen).await;
    let gid = cc_global_id(&app, &owner_token, "character", public_char).await;
    node_visible_to(&app, &tokens, "public character", &gid, &everyone).await;
    let gid = cc_global_id(&app, &owner_token, "characterTemplate", template).await;
    node_visible_to(&app, &tokens, "template", &gid, &everyone).await;

    // The refused writes changed nothing; the owner's did.
    let c = read(
        &app,
        &tokens,
        Owner,
        CC_CHARACTER,
        id(to_update),
        "characterCreation.character",
    )
    .await;
    assert_eq!(
        c["name"], "Renamed hero",
        "{b}: updateCharacter by its owner"
    );
    let g = read(
        &app,
        &tokens,
        Owner,
        CC_GENERATION,
        id(flow),
        "characterCreation.generation",
    )
    .await;
    assert_eq!(g["status"], "PROCESSING", "{b}: one legal status change");
    let c = read(
        &app,
        &tokens,
        Owner,
        CC_CHARACTER,
        id(to_delete),
        "characterCreation.character",
    )
    .await;
    assert!(c.is_null(), "{b}: deleted by its owner only: {c}");
}

#[tokio::test]
async fn character_creation_authorization_matrix() {
    for backend in backends() {
        character_creation_matrix(&backend).await;
    }
}

// ---------------------------------------------------------------------------------------------
// Mind-vault
// ---------------------------------------------------------------------------------------------

struct Summary<'a> {
    id: &'a str,
    user: &'a str,
    youtube: &'a str,
    title: &'a str,
    status: &'a str,
    content: Option<Value>,
}

impl<'a> Summary<'a> {
    /// A summary still `pending`, with no AI content yet.
    fn pending(id: &'a str, user: &'a str, youtube: &'a str, title: &'a str) -> Self {
        Summary {
            id,
            user,
            youtube,
            title,
            status: "pending",
            content: None,
        }
    }
}

async fn mv_summary(db: &DatabaseConnection, s: Summary<'_>) {
    mv::video_summary::Entity::insert(mv::video_summary::ActiveModel {
        id: Set(s.id.to_owned()),
        user_id: Set(s.user.to_owned()),
        youtube_url: Set(format!("https://www.youtube.com/watch?v={}", s.youtube)),
        youtube_id: Set(s.youtube.to_owned()),
        title: Set(s.title.to_owned()),
        description: Set(Some(format!("{} (description)", s.title))),
        channel_name: Set(None),
        duration: Set(Some(600)),
        thumbnail_url: Set(None),
        processing_status: Set(s.status.to_owned()),
        processing_error: Set(None),
        ai_generated_content: Set(s.content),
        created_at: Set(now()),
        updated_at: Set(now()),
    })
    .exec_without_returning(db)
    .await
    .unwrap_or_else(|e| panic!("mv summary: {e}"));
}

/// A keyframe `id` of the summary `summary`, at `timestamp` seconds.
async fn mv_keyframe(
    db: &DatabaseConnection,
    id: &str,
    summary: &str,
    timestamp: i32,
    image_url: &str,
    description: Option<String>,
) {
    mv::keyframe::Entity::insert(mv::keyframe::ActiveModel {
        id: Set(id.to_owned()),
        video_summary_id: Set(summary.to_owned()),
        timestamp: Set(timestamp),
        image_url: Set(image_url.to_owned()),
        description: Set(description),
        created_at: Set(now()),
    })
    .exec_without_returning(db)
    .await
    .unwrap_or_else(|e| panic!("keyframe: {e}"));
}

/// The global id of a Mind-vault row, as `token` reads it by `args`.
async fn mv_global_id(app: &TestApp, token: &str, field: &str, vars: Value) -> String {
    let (decl, args) = if vars.get("b").is_some() {
        ("$a: String!, $b: String!", "videoSummaryId: $a, tagId: $b")
    } else {
        ("$a: String!", "rowId: $a")
    };
    let doc = format!("query({decl}) {{ mindVault {{ {field}({args}) {{ id }} }} }}");
    let r = app.gql(&doc, vars, Some(token)).await;
    r.data()["mindVault"][field]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no global id of {field}: {}", r.body))
        .to_owned()
}

const MV_SUMMARIES: &str = "query($t: [String!], $c: [String!]) { mindVault { summaries(tagIds: $t, categoryIds: $c, first: 50) { totalCount nodes { title description aiGeneratedContent keyframes { nodes { description } } } } } }";
const MV_SUMMARIES_OF: &str = "query($id: String!) { mindVault { summaries(where: { userId: { eq: $id } }) { totalCount nodes { title } } } }";
const MV_USERS: &str = "query($id: String!) { mindVault { users(where: { rowId: { eq: $id } }) { totalCount aggregate { count } nodes { rowId name email } } } }";
const MV_USER: &str = "query($id: String!) { mindVault { user(rowId: $id) { rowId name email videoSummaries { totalCount nodes { title } } sessions { totalCount nodes { rowId } } accounts { totalCount nodes { accountId } } } } }";
const MV_VIDEO_SUMMARIES: &str = "query($id: String!) { mindVault { videoSummaries(where: { userId: { eq: $id } }, first: 50) { totalCount aggregate { count } nodes { title description aiGeneratedContent user { email } } } } }";
const MV_VIDEO_SUMMARY: &str = "query($id: String!) { mindVault { videoSummary(rowId: $id) { title description aiGeneratedContent user { name email } keyframes { totalCount nodes { description } } videoSummaryTags { nodes { tag { name } } } } } }";
const MV_TAGS: &str = "{ mindVault { tags(first: 50) { totalCount nodes { rowId name videoSummaryTags { totalCount nodes { videoSummary { title } } } } } } }";
const MV_TAG: &str = "query($id: String!) { mindVault { tag(rowId: $id) { rowId name videoSummaryTags { totalCount nodes { videoSummaryId videoSummary { title user { email } } } } } } }";
const MV_CATEGORIES: &str = "{ mindVault { categories(first: 50) { totalCount nodes { rowId name videoSummaryCategories { totalCount nodes { videoSummary { title } } } } } } }";
const MV_CATEGORY: &str = "query($id: String!) { mindVault { category(rowId: $id) { rowId name videoSummaryCategories { totalCount nodes { videoSummaryId videoSummary { title } } } } } }";
const MV_KEYFRAMES: &str = "{ mindVault { keyframes(first: 50) { totalCount aggregate { count } nodes { description videoSummary { title } } } } }";
const MV_KEYFRAME: &str = "query($id: String!) { mindVault { keyframe(rowId: $id) { rowId description videoSummary { title } } } }";
const MV_SUMMARY_TAGS: &str = "{ mindVault { videoSummaryTags(first: 50) { totalCount nodes { videoSummaryId tagId videoSummary { title } } } } }";
const MV_SUMMARY_TAG: &str = "query($s: String!, $t: String!) { mindVault { videoSummaryTag(videoSummaryId: $s, tagId: $t) { videoSummaryId videoSummary { title } } } }";
const MV_SUMMARY_CATEGORIES: &str = "{ mindVault { videoSummaryCategories(first: 50) { totalCount nodes { videoSummaryId categoryId videoSummary { title } } } } }";
const MV_SUMMARY_CATEGORY: &str = "query($s: String!, $c: String!) { mindVault { videoSummaryCategory(videoSummaryId: $s, categoryId: $c) { videoSummaryId videoSummary { title } } } }";
const MV_SESSIONS: &str = "{ mindVault { sessions(first: 50) { totalCount aggregate { count } nodes { rowId userId user { email } } } } }";
const MV_SESSION: &str =
    "query($id: String!) { mindVault { session(rowId: $id) { rowId userId user { email } } } }";
const MV_ACCOUNTS: &str = "{ mindVault { accounts(first: 50) { totalCount aggregate { count } nodes { rowId accountId providerId user { email } } } } }";
const MV_ACCOUNT: &str = "query($id: String!) { mindVault { account(rowId: $id) { rowId accountId providerId scope } } }";
const MV_VERIFICATIONS: &str = "{ mindVault { verifications(first: 50) { totalCount aggregate { count } nodes { rowId identifier } } } }";
const MV_VERIFICATION: &str =
    "query($id: String!) { mindVault { verification(rowId: $id) { rowId identifier } } }";

const MV_FLOW: &str = "query($id: String!) { mindVault { videoSummary(rowId: $id) { title processingStatus keyframes { totalCount } videoSummaryTags { totalCount } } } }";

const MV_CREATE: &str = "mutation { mindVault { createVideoSummary(youtubeUrl: \"https://youtu.be/zzzzzzzzzz1\", duration: 300) { rowId processingStatus user { rowId } } } }";
const MV_CREATE_URL: &str = "mutation($u: String!) { mindVault { createVideoSummary(youtubeUrl: $u) { rowId title user { rowId } } } }";
const MV_STATUS: &str = "mutation($id: String!) { mindVault { updateProcessingStatus(id: $id, status: PROCESSING) { processingStatus title } } }";
const MV_TAG_CREATE: &str = "mutation($n: String!) { mindVault { createTag(name: $n) { rowId name videoSummaryTags { totalCount nodes { videoSummary { title } } } } } }";
const MV_CATEGORY_CREATE: &str = "mutation($n: String!) { mindVault { createCategory(name: $n) { rowId name videoSummaryCategories { totalCount } } } }";
const MV_ATTACH_TAG: &str = "mutation($s: String!, $t: String!) { mindVault { attachTag(summaryId: $s, tagId: $t) { title videoSummaryTags { totalCount } } } }";
const MV_ATTACH_WALK: &str = "mutation($s: String!, $t: String!) { mindVault { attachTag(summaryId: $s, tagId: $t) { title videoSummaryTags { nodes { tag { name videoSummaryTags { totalCount nodes { videoSummaryId videoSummary { title user { email } } } } } } } } } }";
const MV_DETACH_TAG: &str = "mutation($s: String!, $t: String!) { mindVault { detachTag(summaryId: $s, tagId: $t) { title videoSummaryTags { totalCount } } } }";
const MV_ATTACH_CAT: &str = "mutation($s: String!, $t: String!) { mindVault { attachCategory(summaryId: $s, categoryId: $t) { title videoSummaryCategories { totalCount } } } }";
const MV_DETACH_CAT: &str = "mutation($s: String!, $t: String!) { mindVault { detachCategory(summaryId: $s, categoryId: $t) { title videoSummaryCategories { totalCount } } } }";
const MV_KEYFRAME_ADD: &str = "mutation($s: String!) { mindVault { addKeyframe(summaryId: $s, timestamp: 30, imageUrl: \"https://img.example.com/k.jpg\") { rowId timestamp videoSummary { title } } } }";
const MV_DELETE_SUMMARY: &str =
    "mutation($id: String!) { mindVault { deleteVideoSummary(id: $id) { deletedId } } }";
const MV_DELETE_KEYFRAME: &str =
    "mutation($id: String!) { mindVault { deleteKeyframe(id: $id) { deletedId } } }";

async fn mind_vault_matrix(backend: &Backend) {
    let app = TestApp::spawn(backend, Data::Empty).await;
    let b = backend.name();
    let db = app.db(Database::MindVault).clone();
    let unique = || Uuid::new_v4().simple().to_string();

    // The owner's account is private: name and e-mail are secret markers.
    let (o_name, o_email) = (secret("name"), secret("email"));
    let owner = format!("mvOwner{}", unique());
    let other = format!("mvOther{}", unique());
    let admin = format!("mvAdmin{}", unique());
    mv_user(&db, &owner, &o_name, &o_email).await;
    mv_user(&db, &other, "Other", &format!("{other}@example.com")).await;
    mv_user(&db, &admin, "Admin", &format!("{admin}@example.com")).await;
    app.grant("mind_vault", &admin, "admin").await;
    // A signed-in Character Creation user: anonymous here.
    let foreign = cc_user(
        app.db(Database::CharacterCreation),
        &format!("foreign-{}@example.com", unique()),
        "Foreign",
        None,
    )
    .await;

    // The owner's summary with AI content, a keyframe, a tag and a category.
    let (title, summary_text, kf_text) = (secret("title"), secret("summary"), secret("keyframe"));
    let summary = unique()[..21].to_owned();
    mv_summary(
        &db,
        Summary {
            id: &summary,
            user: &owner,
            youtube: "aaaaaaaaaa1",
            title: &title,
            status: "completed",
            content: Some(json!({ "summary": summary_text, "keyPoints": [], "topics": [] })),
        },
    )
    .await;
    let keyframe = unique();
    let k0 = "https://img.example.com/k0.jpg";
    mv_keyframe(&db, &keyframe, &summary, 12, k0, Some(kf_text.clone())).await;
    // The shared vocabulary: public names, private links.
    let (tag, category) = (unique(), unique());
    mv::tag::Entity::insert(mv::tag::ActiveModel {
        id: Set(tag.clone()),
        name: Set(format!("tag-{tag}")),
        description: Set(None),
        created_at: Set(now()),
    })
    .exec_without_returning(&db)
    .await
    .unwrap_or_else(|e| panic!("tag: {e}"));
    mv::category::Entity::insert(mv::category::ActiveModel {
        id: Set(category.clone()),
        name: Set(format!("category-{category}")),
        description: Set(None),
        created_at: Set(now()),
    })
    .exec_without_returning(&db)
    .await
    .unwrap_or_else(|e| panic!("category: {e}"));
    mv::video_summary_tag::Entity::insert(mv::video_summary_tag::ActiveModel {
        video_summary_id: Set(summary.clone()),
        tag_id: Set(tag.clone()),
    })
    .exec_without_returning(&db)
    .await
    .unwrap_or_else(|e| panic!("tag link: {e}"));
    mv::video_summary_category::Entity::insert(mv::video_summary_category::ActiveModel {
        video_summary_id: Set(summary.clone()),
        category_id: Set(category.clone()),
    })
    .exec_without_returning(&db)
    .await
    .unwrap_or_else(|e| panic!("category link: {e}"));
    // Rows for the writes.
    let (flow_title, link_title) = (secret("flow-title"), secret("link-title"));
    let flow = unique();
    let linked = unique();
    for (id, youtube, t) in [
        (&flow, "aaaaaaaaaa2", &flow_title),
        (&linked, "aaaaaaaaaa3", &link_title),
    ] {
        mv_summary(&db, Summary::pending(id, &owner, youtube, t)).await;
    }

    // Another user's own summary (nothing secret in it).
    let others_summary = unique();
    let s = Summary::pending(&others_summary, &other, "bbbbbbbbbb1", "Other's video");
    mv_summary(&db, s).await;

    // BetterAuth rows: their tokens, password, client details and verification value are
    // secrets nobody reads, not even their owner or an admin.
    let never: Vec<String> = [
        "session-token",
        "ip-address",
        "user-agent",
        "access-token",
        "refresh-token",
        "id-token",
        "password",
        "verification-value",
    ]
    .iter()
    .map(|w| secret(w))
    .collect();
    let (session, account, verification) = (unique(), unique(), unique());
    mv::session::Entity::insert(mv::session::ActiveModel {
        id: Set(session.clone()),
        expires_at: Set(far_future()),
        token: Set(never[0].clone()),
        created_at: Set(now()),
        updated_at: Set(now()),
        ip_address: Set(Some(never[1].clone())),
        user_agent: Set(Some(never[2].clone())),
        user_id: Set(owner.clone()),
    })
    .exec_without_returning(&db)
    .await
    .unwrap_or_else(|e| panic!("session: {e}"));
    let provider_account = secret("provider-account");
    mv::account::Entity::insert(mv::account::ActiveModel {
        id: Set(account.clone()),
        account_id: Set(provider_account.clone()),
        provider_id: Set("google".into()),
        user_id: Set(owner.clone()),
        access_token: Set(Some(never[3].clone())),
        refresh_token: Set(Some(never[4].clone())),
        id_token: Set(Some(never[5].clone())),
        access_token_expires_at: Set(Some(far_future())),
        refresh_token_expires_at: Set(None),
        scope: Set(Some("openid email".into())),
        password: Set(Some(never[6].clone())),
        created_at: Set(now()),
        updated_at: Set(now()),
    })
    .exec_without_returning(&db)
    .await
    .unwrap_or_else(|e| panic!("account: {e}"));
    // A verification of the owner's e-mail: admins only.
    mv::verification::Entity::insert(mv::verification::ActiveModel {
        id: Set(verification.clone()),
        identifier: Set(o_email.clone()),
        value: Set(never[7].clone()),
        expires_at: Set(far_future()),
        created_at: Set(Some(now())),
        updated_at: Set(Some(now())),
    })
    .exec_without_returning(&db)
    .await
    .unwrap_or_else(|e| panic!("verification: {e}"));

    let token = |u: &str| Some(app.token("mind_vault", u));
    let tokens = vec![
        (Anonymous, None),
        (Owner, token(&owner)),
        (Other, token(&other)),
        (Admin, token(&admin)),
        (
            Foreign,
            Some(app.token("character_creation", &foreign.to_string())),
        ),
    ];

    // Counts before the matrix writes: the shared vocabulary's links to the owner's summary,
    // the owner's keyframes and sessions are counted for the owner and the admin only.
    let (tv, cv) = (json!({ "id": tag }), json!({ "id": category }));
    let owner_counts = [
        (
            MV_TAG,
            &tv,
            "tag.videoSummaryTags.totalCount",
            "a tag's summary links",
        ),
        (
            MV_CATEGORY,
            &cv,
            "category.videoSummaryCategories.totalCount",
            "a category's links",
        ),
        (
            MV_KEYFRAMES,
            &json!({}),
            "keyframes.aggregate.count",
            "keyframes aggregate",
        ),
        (
            MV_SESSIONS,
            &json!({}),
            "sessions.aggregate.count",
            "sessions aggregate",
        ),
    ];
    for (who, want) in [
        (Anonymous, 0),
        (Foreign, 0),
        (Other, 0),
        (Owner, 1),
        (Admin, 1),
    ] {
        for (doc, vars, path, why) in &owner_counts {
            let path = format!("mindVault.{path}");
            let n = count(&app, &tokens, who, doc, (*vars).clone(), &path).await;
            assert_eq!(n, want, "{b} as {who:?}: {why}");
        }
    }

    // Rows the owner deletes during the matrix (after the counts above): a summary of their
    // own, and a keyframe on the summary the matrix links.
    let doomed = unique();
    let s = Summary::pending(&doomed, &owner, "aaaaaaaaaa4", "Doomed video");
    mv_summary(&db, s).await;
    let doomed_frame = unique();
    let k9 = "https://img.example.com/k9.jpg";
    mv_keyframe(&db, &doomed_frame, &linked, 3, k9, None).await;

    let mut secrets = vec![
        o_name,
        o_email,
        title,
        summary_text,
        kf_text,
        flow_title.clone(),
        link_title,
        provider_account,
    ];
    secrets.extend(never.iter().cloned());
    let id = |s: &str| json!({ "id": s });
    let link = json!({ "s": linked, "t": tag });
    let cat_link = json!({ "s": linked, "t": category });
    let cases = vec![
        // The viewer's own account, for every signed-in user of the source; nothing otherwise.
        Case::new("viewer", "{ mindVault { viewer { rowId } } }", json!({}))
            .then(Anonymous, Nothing)
            .then(Foreign, Nothing)
            .then(Other, Allowed)
            .then(Admin, Allowed)
            .then(Owner, Allowed),
        // The viewer's own summaries: a Mind-vault token is needed; another user and even an
        // admin get their own (none), never the owner's, also when filtering by its tag.
        Case::new(
            "summaries",
            MV_SUMMARIES,
            json!({ "t": [tag], "c": [category] }),
        )
        .then(Anonymous, UNAUTHENTICATED)
        .then(Foreign, UNAUTHENTICATED)
        .then(Other, Nothing)
        .then(Admin, Nothing)
        .then(Owner, Allowed),
        // A `where` naming the owner does not widen it.
        Case::new("summaries", MV_SUMMARIES_OF, id(&owner))
            .then(Anonymous, UNAUTHENTICATED)
            .then(Other, Nothing)
            .then(Admin, Nothing)
            .then(Owner, Allowed),
        // Accounts are their user's own (and the admin's to read).
        private("users", MV_USERS, id(&owner)),
        private("user", MV_USER, id(&owner)),
        // Summaries and everything hanging off them are their owner's.
        private("videoSummaries", MV_VIDEO_SUMMARIES, id(&owner)),
        private("videoSummary", MV_VIDEO_SUMMARY, id(&summary)),
        private("keyframes", MV_KEYFRAMES, json!({})),
        private("keyframe", MV_KEYFRAME, id(&keyframe)),
        private("videoSummaryTags", MV_SUMMARY_TAGS, json!({})),
        private(
            "videoSummaryTag",
            MV_SUMMARY_TAG,
            json!({ "s": summary, "t": tag }),
        ),
        private("videoSummaryCategories", MV_SUMMARY_CATEGORIES, json!({})),
        private(
            "videoSummaryCategory",
            MV_SUMMARY_CATEGORY,
            json!({ "s": summary, "c": category }),
        ),
        // The shared vocabulary is readable, its links to private summaries are not.
        public("tags", MV_TAGS, json!({})),
        public("tag", MV_TAG, id(&tag)),
        public("categories", MV_CATEGORIES, json!({})),
        public("category", MV_CATEGORY, id(&category)),
        // BetterAuth: sessions and accounts are their user's; verifications admins' only.
        private("sessions", MV_SESSIONS, json!({})),
        private("session", MV_SESSION, id(&session)),
        private("accounts", MV_ACCOUNTS, json!({})),
        private("account", MV_ACCOUNT, id(&account)),
        Case::new("verifications", MV_VERIFICATIONS, json!({}))
            .then(Anonymous, Nothing)
            .then(Foreign, Nothing)
            .then(Other, Nothing)
            .then(Owner, Nothing)
            .then(Admin, Allowed),
        Case::new("verification", MV_VERIFICATION, id(&verification))
            .then(Anonymous, Nothing)
            .then(Foreign, Nothing)
            .then(Other, Nothing)
            .then(Owner, Nothing)
            .then(Admin, Allowed),
        // Every signed-in user creates their own summaries (one video per user: the same URL
        // is no conflict across users).
        signed_in("createVideoSummary", MV_CREATE, json!({})),
        // The owner's video, created by another user: no CONFLICT telling it exists elsewhere.
        Case::new(
            "createVideoSummary",
            MV_CREATE_URL,
            json!({ "u": "https://youtu.be/aaaaaaaaaa1" }),
        )
        .then(Other, Allowed)
        .then(Admin, Allowed),
        // Vocabulary: any signed-in user adds to it; names are unique, so one case each.
        Case::new(
            "createTag",
            MV_TAG_CREATE,
            json!({ "n": format!("t-{}", unique()) }),
        )
        .then(Anonymous, UNAUTHENTICATED)
        .then(Foreign, UNAUTHENTICATED)
        .then(Other, Allowed),
        Case::new(
            "createTag",
            MV_TAG_CREATE,
            json!({ "n": format!("t-{}", unique()) }),
        )
        .then(Owner, Allowed),
        Case::new(
            "createTag",
            MV_TAG_CREATE,
            json!({ "n": format!("t-{}", unique()) }),
        )
        .then(Admin, Allowed),
        Case::new(
            "createCategory",
            MV_CATEGORY_CREATE,
            json!({ "n": format!("c-{}", unique()) }),
        )
        .then(Anonymous, UNAUTHENTICATED)
        .then(Foreign, UNAUTHENTICATED)
        .then(Other, Allowed),
        Case::new(
            "createCategory",
            MV_CATEGORY_CREATE,
            json!({ "n": format!("c-{}", unique()) }),
        )
        .then(Owner, Allowed),
        // The owner's summaries: only the owner changes them.
        owners_write("updateProcessingStatus", MV_STATUS, id(&flow)),
        owners_write("attachTag", MV_ATTACH_TAG, link.clone()),
        // Another user tags their own summary with the owner's tag; from the tag back to the
        // summaries carrying it they reach their own only.
        Case::new(
            "attachTag",
            MV_ATTACH_WALK,
            json!({ "s": others_summary, "t": tag }),
        )
        .then(Other, Allowed),
        owners_write("detachTag", MV_DETACH_TAG, link),
        owners_write("attachCategory", MV_ATTACH_CAT, cat_link.clone()),
        owners_write("detachCategory", MV_DETACH_CAT, cat_link),
        owners_write("addKeyframe", MV_KEYFRAME_ADD, json!({ "s": linked })),
        // Deleting: only the owner, and another user's row answers as a missing one.
        owners_write("deleteKeyframe", MV_DELETE_KEYFRAME, id(&doomed_frame)),
        owners_write("deleteVideoSummary", MV_DELETE_SUMMARY, id(&doomed)),
        Case::new("deleteVideoSummary", MV_DELETE_SUMMARY, id("missing")).then(Owner, NOT_FOUND),
    ];
    let world = World {
        app: &app,
        namespace: "mindVault",
        query_type: "MindVaultQuery",
        mutation_type: "MindVaultMutation",
        tokens: tokens.clone(),
        secrets,
    };
    authz::run(&world, &cases).await;

    // node(id:) and nodes(ids:): the owner's rows reach the owner and the admin only, the
    // verification the admin only, the vocabulary everyone.
    let owner_token = token(&owner).unwrap_or_default();
    let admin_token = token(&admin).unwrap_or_default();
    let seen = [Owner, Admin];
    let one = |v: &str| json!({ "a": v });
    let gid = mv_global_id(&app, &owner_token, "videoSummary", one(&summary)).await;
    node_visible_to(&app, &tokens, "summary", &gid, &seen).await;
    let gid = mv_global_id(&app, &owner_token, "keyframe", one(&keyframe)).await;
    node_visible_to(&app, &tokens, "keyframe", &gid, &seen).await;
    let gid = mv_global_id(&app, &owner_token, "user", one(&owner)).await;
    node_visible_to(&app, &tokens, "owner's account", &gid, &seen).await;
    let gid = mv_global_id(&app, &owner_token, "session", one(&session)).await;
    node_visible_to(&app, &tokens, "session", &gid, &seen).await;
    let gid = mv_global_id(&app, &owner_token, "account", one(&account)).await;
    node_visible_to(&app, &tokens, "account", &gid, &seen).await;
    let pair = json!({ "a": summary, "b": tag });
    let gid = mv_global_id(&app, &owner_token, "videoSummaryTag", pair).await;
    node_visible_to(&app, &tokens, "summary tag link", &gid, &seen).await;
    let gid = mv_global_id(&app, &admin_token, "verification", one(&verification)).await;
    node_visible_to(&app, &tokens, "verification", &gid, &[Admin]).await;
    let gid = mv_global_id(&app, &owner_token, "tag", one(&tag)).await;
    node_visible_to(
        &app,
        &tokens,
        "tag",
        &gid,
        &[Anonymous, Foreign, Other, Owner, Admin],
    )
    .await;

    // The BetterAuth secrets reach nobody: every field the schema offers on sessions,
    // accounts and verifications, asked by the owner and the admin.
    let mut parts = Vec::new();
    for (field, type_name) in [
        ("sessions", "MindVaultSession"),
        ("accounts", "MindVaultAccount"),
        ("verifications", "MindVaultVerification"),
    ] {
        let fields = scalar_fields(&app, type_name).await;
        parts.push(format!(
            "{field}(first: 100) {{ nodes {{ {} }} }}",
            fields.join(" ")
        ));
    }
    let doc = format!("{{ mindVault {{ {} }} }}", parts.join(" "));
    for who in [Owner, Admin] {
        let r = app.gql(&doc, json!({}), token_of(&tokens, who)).await;
        let text = r.data().to_string();
        assert!(text.contains(&session), "{b} {who:?}: {text}");
        for s in &never {
            assert!(
                !text.contains(s.as_str()),
                "{b} {who:?}: `{s}` leaked: {text}"
            );
        }
    }

    // The refused writes changed nothing; the owner's did.
    let s = read(
        &app,
        &tokens,
        Owner,
        MV_FLOW,
        id(&flow),
        "mindVault.videoSummary",
    )
    .await;
    assert_eq!(s["title"], flow_title.as_str(), "{b}: {s}");
    assert_eq!(
        s["processingStatus"], "PROCESSING",
        "{b}: one legal status change: {s}"
    );
    let s = read(
        &app,
        &tokens,
        Owner,
        MV_FLOW,
        id(&linked),
        "mindVault.videoSummary",
    )
    .await;
    assert_eq!(
        s["keyframes"]["totalCount"], 1,
        "{b}: one keyframe added, one deleted, by the owner: {s}"
    );
    assert_eq!(
        s["videoSummaryTags"]["totalCount"], 0,
        "{b}: attached then detached: {s}"
    );
    let s = read(
        &app,
        &tokens,
        Owner,
        MV_FLOW,
        id(&doomed),
        "mindVault.videoSummary",
    )
    .await;
    assert!(s.is_null(), "{b}: deleted by the owner: {s}");
}

#[tokio::test]
async fn mind_vault_authorization_matrix() {
    for backend in backends() {
        mind_vault_matrix(&backend).await;
    }
}
