//! Character Creation Platform (seed 002): Auth0-backed users with subscription tiers, the
//! characters they generate (optionally shared in a public gallery), the generation requests that
//! produce them, and the predefined character templates.
//!
//! The seed names four Prisma models without columns (CC-A01); the tables follow the migrations
//! in `migration/src/character_creation/` (inventory CC-T01..T04).
//!
//! Access decisions (admins of the source read every row):
//! - `users`: only the user themself (`Access::Owner` on `id`). No credential column exists
//!   (passwords are held by Auth0); `email` and `auth0_id` are therefore owner-only already.
//! - `characters`: public characters (`is_public = true`, the community gallery) for everyone,
//!   every character for its owner (`user_id`).
//! - `generations`: personal request tracking, only for their owner (`user_id`).
//! - `character_templates`: predefined, seeded content for everyone, active or retired: a
//!   generation keeps showing the template it came from after the template is retired. A
//!   catalogue lists `characterTemplates(where: { isActive: { eq: true } })`; only an active
//!   template takes new generations (`generateFromTemplate`, `requestGeneration(templateId:)`).
//!
//! Who moves a generation along: its owner (`updateGenerationStatus`). The seed's service
//! functions run with the signed-in user's identity and the seed names no separate worker
//! principal, so the client (or the image worker acting with the user's token) reports progress.
//! Completing a generation grants nothing the owner could not do directly: it creates the
//! owner's own character, which `createCharacter` also does; the daily quota counts requests.

pub mod mutations;
pub mod writes;
use migration::Database;

use crate::graphql::spec::{
    Access, Column, EnumDef, Kind, Lit, Relation, Source, Table, public_or_owner,
};

/// `users.subscription_tier` (CC-E01): the Free/Premium/Pro subscription tiers.
pub static SUBSCRIPTION_TIER: EnumDef = EnumDef {
    name: "CharacterCreationSubscriptionTier",
    pg_type: Some("subscription_tier"),
    doc: "Subscription tier of a user, which sets the daily generation quota.",
    values: &["FREE", "PREMIUM", "PRO"],
};

/// `style_type` of characters, generations and templates (CC-E02).
pub static STYLE_TYPE: EnumDef = EnumDef {
    name: "CharacterCreationStyleType",
    pg_type: Some("style_type"),
    doc: "Visual style of a character, a generation request or a template.",
    values: &["FANTASY", "REALISTIC", "ANIME", "CARTOON", "SCI_FI"],
};

/// `generations.status` (CC-E03): the generation workflow from request to completion.
pub static GENERATION_STATUS: EnumDef = EnumDef {
    name: "CharacterCreationGenerationStatus",
    pg_type: Some("generation_status"),
    doc: "Status of a generation request: PENDING → PROCESSING → COMPLETED or FAILED.",
    values: &["PENDING", "PROCESSING", "COMPLETED", "FAILED"],
};

/// `users.role`: administrators read every row of the source.
pub static USER_ROLE: EnumDef = EnumDef {
    name: "CharacterCreationUserRole",
    pg_type: Some("user_role"),
    doc: "Role of a user: USER, or ADMIN (reads every row of the source).",
    values: &["USER", "ADMIN"],
};

/// Public characters for everyone, all characters for their owner.
static PUBLIC_OR_OWNER: [Access; 2] = public_or_owner(&[("is_public", Lit::Bool(true))]);

/// The tables of the `character_creation` database.
static TABLES: &[Table] = &[
    Table {
        db: Database::CharacterCreation,
        name: "users",
        type_name: "CharacterCreationUser",
        singular: "user",
        plural: "users",
        doc: "A user account with its subscription tier; credentials are held by Auth0, not stored locally.",
        pk: &["id"],
        owner: Some("id"),
        access: Access::Owner,
        always: &[],
        columns: &[
            Column::new("id", Kind::Uuid, "Identifier of the user."),
            Column::new("email", Kind::Text, "Email address of the user (unique)."),
            Column::new("name", Kind::Text, "Display name of the user.").null(),
            Column::new(
                "auth0_id",
                Kind::Text,
                "Auth0 identity the user signs in with (unique); absent until linked.",
            )
            .null(),
            Column::new(
                "subscription_tier",
                Kind::Enum(&SUBSCRIPTION_TIER),
                "Subscription tier (FREE by default), which sets the daily generation quota.",
            ),
            Column::new(
                "created_at",
                Kind::Timestamp,
                "When the account was created (UTC).",
            ),
            Column::new(
                "updated_at",
                Kind::Timestamp,
                "When the account was last modified (UTC).",
            ),
            Column::new(
                "role",
                Kind::Enum(&USER_ROLE),
                "Role of the user (USER by default; ADMIN reads every row).",
            ),
        ],
    },
    Table {
        db: Database::CharacterCreation,
        name: "characters",
        type_name: "CharacterCreationCharacter",
        singular: "character",
        plural: "characters",
        doc: "A generated character with its prompt, style, tags and metadata; it can be marked public for community sharing.",
        pk: &["id"],
        owner: Some("user_id"),
        access: Access::Any(&PUBLIC_OR_OWNER),
        always: &[],
        columns: &[
            Column::new("id", Kind::Uuid, "Identifier of the character."),
            Column::new("user_id", Kind::Uuid, "The user who owns the character."),
            Column::new("name", Kind::Text, "Name of the character."),
            Column::new(
                "prompt",
                Kind::Text,
                "Prompt the character was generated from.",
            ),
            Column::new(
                "style_type",
                Kind::Enum(&STYLE_TYPE),
                "Visual style of the character.",
            ),
            Column::new(
                "tags",
                Kind::Json,
                "Tags (a JSON array of strings) for organization and search.",
            ),
            Column::new(
                "is_public",
                Kind::Bool,
                "Whether the character is shared in the public gallery (false by default).",
            ),
            Column::new(
                "image_url",
                Kind::Text,
                "URL of the generated character image.",
            )
            .null(),
            Column::new(
                "metadata",
                Kind::Json,
                "Generation metadata of the character (model, seed, size, attributes …).",
            )
            .null(),
            Column::new(
                "template_id",
                Kind::Uuid,
                "The template the character was created from, if any.",
            )
            .null(),
            Column::new(
                "created_at",
                Kind::Timestamp,
                "When the character was created (UTC).",
            ),
            Column::new(
                "updated_at",
                Kind::Timestamp,
                "When the character was last modified (UTC).",
            ),
        ],
    },
    Table {
        db: Database::CharacterCreation,
        name: "generations",
        type_name: "CharacterCreationGeneration",
        singular: "generation",
        plural: "generations",
        doc: "A generation request tracked from request to completion; the daily quota counts them.",
        pk: &["id"],
        owner: Some("user_id"),
        access: Access::Owner,
        always: &[],
        columns: &[
            Column::new("id", Kind::Uuid, "Identifier of the generation request."),
            Column::new(
                "user_id",
                Kind::Uuid,
                "The user who requested the generation.",
            ),
            Column::new(
                "character_id",
                Kind::Uuid,
                "The character this generation produced or regenerated, if any.",
            )
            .null(),
            Column::new(
                "template_id",
                Kind::Uuid,
                "The template used for the request, if any.",
            )
            .null(),
            Column::new("prompt", Kind::Text, "Prompt of the generation request."),
            Column::new(
                "style_type",
                Kind::Enum(&STYLE_TYPE),
                "Requested visual style.",
            ),
            Column::new(
                "status",
                Kind::Enum(&GENERATION_STATUS),
                "Workflow status of the request (PENDING by default).",
            ),
            Column::new(
                "error_message",
                Kind::Text,
                "Why the generation failed, when it did.",
            )
            .null(),
            Column::new(
                "result_url",
                Kind::Text,
                "URL of the generated asset, once completed.",
            )
            .null(),
            Column::new(
                "started_at",
                Kind::Timestamp,
                "When processing started (UTC).",
            )
            .null(),
            Column::new(
                "completed_at",
                Kind::Timestamp,
                "When processing completed or failed (UTC).",
            )
            .null(),
            Column::new(
                "created_at",
                Kind::Timestamp,
                "When the request was made (UTC); orders the queue.",
            ),
            Column::new(
                "updated_at",
                Kind::Timestamp,
                "When the request was last modified (UTC).",
            ),
        ],
    },
    Table {
        db: Database::CharacterCreation,
        name: "character_templates",
        type_name: "CharacterCreationCharacterTemplate",
        singular: "characterTemplate",
        plural: "characterTemplates",
        doc: "A predefined, seeded character template with a style and a prompt template.",
        pk: &["id"],
        owner: None,
        access: Access::Everyone,
        always: &[],
        columns: &[
            Column::new("id", Kind::Uuid, "Identifier of the template."),
            Column::new("name", Kind::Text, "Name of the template (unique)."),
            Column::new("description", Kind::Text, "Description of the template.").null(),
            Column::new(
                "style_type",
                Kind::Enum(&STYLE_TYPE),
                "Visual style of the template.",
            ),
            Column::new(
                "prompt_template",
                Kind::Text,
                "Prompt template characters and generations start from.",
            ),
            Column::new(
                "tags",
                Kind::Json,
                "Tags (a JSON array of strings) of the template.",
            ),
            Column::new(
                "is_active",
                Kind::Bool,
                "Whether the template is offered (true by default).",
            ),
            Column::new(
                "created_at",
                Kind::Timestamp,
                "When the template was created (UTC).",
            ),
            Column::new(
                "updated_at",
                Kind::Timestamp,
                "When the template was last modified (UTC).",
            ),
        ],
    },
];

/// The foreign keys of the `character_creation` database (CC-R01..R05).
static RELATIONS: &[Relation] = &[
    Relation {
        from: "characters",
        column: "user_id",
        to: "users",
        to_column: "id",
        forward: "user",
        reverse: "characters",
        unique: false,
        doc: "The user who owns the character / the characters a user owns.",
    },
    Relation {
        from: "generations",
        column: "user_id",
        to: "users",
        to_column: "id",
        forward: "user",
        reverse: "generations",
        unique: false,
        doc: "The user who requested the generation / the generation requests of a user.",
    },
    Relation {
        from: "generations",
        column: "character_id",
        to: "characters",
        to_column: "id",
        forward: "character",
        reverse: "generations",
        unique: false,
        doc: "The character a generation produced / the generations of a character.",
    },
    Relation {
        from: "characters",
        column: "template_id",
        to: "character_templates",
        to_column: "id",
        forward: "template",
        reverse: "characters",
        unique: false,
        doc: "The template a character was created from / the characters created from a template.",
    },
    Relation {
        from: "generations",
        column: "template_id",
        to: "character_templates",
        to_column: "id",
        forward: "template",
        reverse: "generations",
        unique: false,
        doc: "The template a generation used / the generations that used a template.",
    },
];

/// The Character Creation source.
pub static SOURCE: Source = Source {
    id: "character_creation",
    namespace: "characterCreation",
    prefix: "CharacterCreation",
    doc: "Character Creation Platform: users with subscription tiers, generated characters and their public gallery, generation requests and predefined templates.",
    users: Database::CharacterCreation,
    tables: TABLES,
    relations: RELATIONS,
    polymorphic: &[],
    related: &[],
    computed: &[],
    array_relations: &[],
    default_orders: &[],
    queries: Some(mutations::queries),
    subscriptions: None,
    mutations: Some(mutations::build),
};
