//! `deed_o`: the Deed-O backend (seed 004), one GraphQL namespace over its two databases.
//!
//! The main database ([`Database::DeedO`]) holds the marketplace and chat data (`products`,
//! `groups`, `messages`); the auth database ([`Database::DeedOAuth`]) holds the accounts
//! (`users`, `tokens`, `user_verifications`), and a bearer token names an auth `users.id`
//! (integer). The cross-database references `products.vendor_id` and `messages.sender_id` →
//! `users.id` have no foreign key (DO-A03) but are exposed as relations: the loader reads each
//! table from its own database.
//!
//! Access decisions (admins of the source bypass the row rules):
//! - `products`: published products for everyone, every product for its vendor (`vendor_id`),
//!   and every product for moderators (token role `moderator`, minted from `users.role`):
//!   they review submitted products, so they must read them (issue 5).
//! - `groups`: only for their members (the viewer's id is in the `members` JSON array).
//! - `messages`: only when their group is visible (so for the group's members).
//! - `users`: every user not soft-deleted (`deleted_at IS NULL`, for every viewer); identity
//!   (`name`, `role`, presence, timestamps) is public, every personal field (email, phone,
//!   address, gender, birth date, demographics, status, registration platform, purpose code)
//!   is readable only by the user.
//! - `tokens`, `user_verifications`: only for their user; `otp_code` is not listed at all.

pub mod mutations;
pub mod writes;
use migration::Database;

use crate::graphql::spec::ArrayRelation;
use crate::graphql::spec::{EnumDef, Relation, Source};

mod tables;

/// `causes_enum` (DO-E01): the cause a product supports.
static CAUSE: EnumDef = EnumDef {
    name: "DeedOCause",
    pg_type: Some("causes_enum"),
    doc: "The cause a product supports, from the predefined list of causes.",
    values: &[
        "Grief care",
        "Sustainable fashion",
        "Sustainable tourism",
        "Intangible culture and heritage",
        "Sustainable food and agriculture",
    ],
};

/// `publishing_status_enum` (DO-E02): a product's workflow status.
static PUBLISHING_STATUS: EnumDef = EnumDef {
    name: "DeedOPublishingStatus",
    pg_type: Some("publishing_status_enum"),
    doc: "Publishing workflow status of a product; only published products are public.",
    values: &["published", "draft", "suggestion", "rejected"],
};

/// `users_roles_enum` (DO-E03).
static USER_ROLE: EnumDef = EnumDef {
    name: "DeedOUserRole",
    pg_type: Some("users_roles_enum"),
    doc: "Role of a user, used for role-based authorization.",
    values: &["moderator", "admin", "user"],
};

/// `users_statuses_enum` (DO-E04).
static USER_STATUS: EnumDef = EnumDef {
    name: "DeedOUserStatus",
    pg_type: Some("users_statuses_enum"),
    doc: "Account status of a user: verified by OTP, not yet verified, or inactive.",
    values: &["inactive", "verified", "not-verified"],
};

/// `platform_types_enum` (DO-E05), shared by users, tokens and verifications.
static PLATFORM_TYPE: EnumDef = EnumDef {
    name: "DeedOPlatformType",
    pg_type: Some("platform_types_enum"),
    doc: "One of the platforms sharing the auth database.",
    values: &["dobe", "cause-i", "deed-o"],
};

/// `user_verification_actions_enum` (DO-E06).
static VERIFICATION_ACTION: EnumDef = EnumDef {
    name: "DeedOVerificationAction",
    pg_type: Some("user_verification_actions_enum"),
    doc: "The action an OTP verification confirms: logging in or registering.",
    values: &["login", "register"],
};

/// The Deed-O source: products, chat groups and messages, and the accounts of the auth database.
pub static SOURCE: Source = Source {
    id: "deed_o",
    namespace: "deedO",
    prefix: "DeedO",
    doc: "Deed-O backend: cause-driven products sold by vendors, product chat groups with their \
          messages, and the user accounts, tokens and OTP verifications of the auth database.",
    users: Database::DeedOAuth,
    tables: tables::TABLES,
    relations: &[
        Relation {
            from: "products",
            column: "vendor_id",
            to: "users",
            to_column: "id",
            forward: "vendor",
            reverse: "products",
            unique: false,
            doc: "The vendor user selling the product (a reference into the auth database).",
        },
        Relation {
            from: "groups",
            column: "product_id",
            to: "products",
            to_column: "id",
            forward: "product",
            reverse: "groups",
            unique: false,
            doc: "The product a chat group is about.",
        },
        Relation {
            from: "messages",
            column: "group_id",
            to: "groups",
            to_column: "id",
            forward: "group",
            reverse: "messages",
            unique: false,
            doc: "The group conversation a message belongs to.",
        },
        Relation {
            from: "groups",
            column: "last_message_id",
            to: "messages",
            to_column: "id",
            forward: "lastMessage",
            reverse: "lastMessageOf",
            unique: false,
            doc: "The most recent message of a group.",
        },
        Relation {
            from: "messages",
            column: "sender_id",
            to: "users",
            to_column: "id",
            forward: "sender",
            reverse: "messages",
            unique: false,
            doc: "The user who wrote the message (a reference into the auth database).",
        },
        Relation {
            from: "tokens",
            column: "user_id",
            to: "users",
            to_column: "id",
            forward: "user",
            reverse: "tokens",
            unique: false,
            doc: "The user an authentication token was issued to.",
        },
        Relation {
            from: "user_verifications",
            column: "user_id",
            to: "users",
            to_column: "id",
            forward: "user",
            reverse: "verifications",
            unique: false,
            doc: "The user an OTP verification record belongs to.",
        },
    ],
    polymorphic: &[],
    related: &[],
    computed: writes::COMPUTED,
    array_relations: &[
        ArrayRelation {
            from: "groups",
            column: "members",
            to: "users",
            to_column: "id",
            field: "memberUsers",
            doc: "The group's members, from the auth database (deleted users are left out).",
        },
        ArrayRelation {
            from: "messages",
            column: "read_by",
            to: "users",
            to_column: "id",
            field: "readers",
            doc: "The members who have read the message, from the auth database.",
        },
    ],
    // The newest messages first, like every other list (messages have `timestamp`, not
    // `created_at`).
    default_orders: &[("messages", &[("timestamp", true)])],
    queries: Some(mutations::queries),
    subscriptions: None,
    mutations: Some(mutations::build),
};
