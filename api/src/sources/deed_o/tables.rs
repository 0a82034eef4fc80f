//! The six tables of `deed_o`: `products`, `groups`, `messages` in the main database and
//! `users`, `tokens`, `user_verifications` in the auth database.

use migration::Database;

use super::{CAUSE, PLATFORM_TYPE, PUBLISHING_STATUS, USER_ROLE, USER_STATUS, VERIFICATION_ACTION};

use crate::graphql::spec::{Access, Column, Kind, Lit, Table};
use crate::graphql::sql::moderators;

/// Published products for everyone, all of a vendor's products for that vendor, and every
/// product for moderators (who review the submitted ones).
static PRODUCT_ACCESS: [Access; 3] = [
    Access::Where(&[("publishing_status", Lit::Str("published"))]),
    Access::Owner,
    Access::Custom(moderators),
];

/// Every described table of the source.
pub static TABLES: &[Table] = &[
    Table {
        db: Database::DeedO,
        name: "products",
        type_name: "DeedOProduct",
        singular: "product",
        plural: "products",
        doc: "A product a vendor sells for a cause, moving through a publishing workflow \
              (draft, suggestion, published or rejected).",
        pk: &["id"],
        owner: Some("vendor_id"),
        access: Access::Any(&PRODUCT_ACCESS),
        always: &[],
        columns: &[
            Column::new("id", Kind::Text, "Unique product identifier, generated with the `IM_` prefix."),
            Column::new("cause", Kind::Enum(&CAUSE), "Product category from the predefined causes."),
            Column::new("mrp", Kind::Float, "Maximum retail price."),
            Column::new("selling_price", Kind::Float, "Actual selling price (at most the MRP)."),
            Column::new("vendor_id", Kind::Int, "Id of the vendor user (auth database)."),
            Column::new("images", Kind::Json, "JSON array of image URLs (the product's media)."),
            Column::new("title", Kind::Text, "Product name."),
            Column::new("description", Kind::Text, "Product description."),
            Column::new("product_url", Kind::Text, "External product URL."),
            Column::new("publishing_status", Kind::Enum(&PUBLISHING_STATUS), "Publishing workflow status."),
            Column::new("created_at", Kind::Timestamp, "When the product was created."),
            Column::new("updated_at", Kind::Timestamp, "When the product was last updated."),
            Column::new("remark", Kind::Text, "Optional internal notes, e.g. a reviewer's remark.").null(),
        ],
    },
    Table {
        db: Database::DeedO,
        name: "groups",
        type_name: "DeedOGroup",
        singular: "group",
        plural: "groups",
        doc: "A chat group of users, optionally about a product, with a pointer to its most \
              recent message.",
        pk: &["id"],
        owner: None,
        access: Access::MemberOf("members"),
        always: &[],
        columns: &[
            Column::new("id", Kind::Uuid, "Unique group identifier."),
            Column::new("name", Kind::Text, "Group display name."),
            Column::new("product_id", Kind::Text, "The product the group is about.").null(),
            Column::new("members", Kind::Json, "JSON array of the member user ids (auth database).").null(),
            Column::new("last_message_id", Kind::Uuid, "The most recent message of the group.").null(),
            Column::new("created_at", Kind::Timestamp, "When the group was created.").null(),
            Column::new("updated_at", Kind::Timestamp, "When the group was last updated.").null(),
        ],
    },
    Table {
        db: Database::DeedO,
        name: "messages",
        type_name: "DeedOMessage",
        singular: "message",
        plural: "messages",
        doc: "A message of a group conversation: text and/or file attachments, with read receipts.",
        pk: &["id"],
        owner: Some("sender_id"),
        access: Access::Via { column: "group_id", table: "groups" },
        always: &[],
        columns: &[
            Column::new("id", Kind::Uuid, "Unique message identifier."),
            Column::new("sender_id", Kind::Int, "Id of the sending user (auth database)."),
            Column::new("group_id", Kind::Uuid, "The group the message was sent to."),
            Column::new("text", Kind::Text, "Message content.").null(),
            Column::new(
                "attachments",
                Kind::Json,
                "JSON array of file attachments, each `{ url, type }` with type file, image, video or audio, as stored; `attachmentList` answers them typed.",
            )
            .null(),
            Column::new("read_by", Kind::Json, "JSON array of the ids of users who read the message.").null(),
            Column::new("timestamp", Kind::Timestamp, "Message creation time.").null(),
        ],
    },
    Table {
        db: Database::DeedOAuth,
        name: "users",
        type_name: "DeedOUser",
        singular: "user",
        plural: "users",
        doc: "A user account of the auth database, shared by the Dobe, Cause-i and Deed-O \
              platforms, with its profile; soft-deleted users are never shown.",
        pk: &["id"],
        owner: Some("id"),
        access: Access::Everyone,
        always: &[("deleted_at", Lit::Null)],
        columns: &[
            Column::new("id", Kind::Int, "Unique user identifier."),
            Column::new("email", Kind::Text, "Email address (unique).").owner(),
            Column::new("name", Kind::Text, "Display name.").null(),
            Column::new("contact_number", Kind::BigInt, "Contact phone number.").null().owner(),
            Column::new("contact_number_country_code", Kind::Text, "Country calling code of the contact number.")
                .null()
                .owner(),
            Column::new("city", Kind::Text, "City.").null().owner(),
            Column::new("state", Kind::Text, "State.").null().owner(),
            Column::new("country", Kind::Text, "Country.").null().owner(),
            Column::new("pincode", Kind::Int, "Postal code.").null().owner(),
            Column::new("gender", Kind::Text, "Gender.").null().owner(),
            Column::new("dob", Kind::Date, "Date of birth.").null().owner(),
            Column::new("status", Kind::Enum(&USER_STATUS), "Account status.").owner(),
            Column::new(
                "registration_platform",
                Kind::Enum(&PLATFORM_TYPE),
                "The platform the user registered on.",
            )
            .owner(),
            Column::new("purpose_code", Kind::Text, "Purpose code given at registration.").null().owner(),
            Column::new("nationality", Kind::Text, "Nationality.").null().owner(),
            Column::new("ethnicity", Kind::Text, "Ethnicity.").null().owner(),
            Column::new("qualification", Kind::Text, "Educational qualification.").null().owner(),
            Column::new("profession", Kind::Text, "Profession.").null().owner(),
            Column::new("role", Kind::Enum(&USER_ROLE), "Role used for authorization."),
            Column::new("is_online", Kind::Bool, "Whether the user is currently online.").null(),
            Column::new("created_at", Kind::Timestamp, "When the account was created."),
            Column::new("updated_at", Kind::Timestamp, "When the account was last updated."),
            Column::new("deleted_at", Kind::Timestamp, "When the account was soft-deleted.").null(),
        ],
    },
    Table {
        db: Database::DeedOAuth,
        name: "tokens",
        type_name: "DeedOToken",
        singular: "token",
        plural: "tokens",
        doc: "An authentication token issued to a user for one platform, valid until it expires.",
        pk: &["id"],
        owner: Some("user_id"),
        access: Access::Owner,
        always: &[],
        columns: &[
            Column::new("id", Kind::Int, "Token identifier."),
            Column::new("user_id", Kind::Int, "The user the token was issued to."),
            Column::new("expire_at", Kind::TimestampTz, "When the token expires."),
            Column::new("platform_type", Kind::Enum(&PLATFORM_TYPE), "The platform the token is valid for."),
        ],
    },
    Table {
        db: Database::DeedOAuth,
        name: "user_verifications",
        type_name: "DeedOUserVerification",
        singular: "userVerification",
        plural: "userVerifications",
        doc: "An OTP verification record of a user for a login or registration on one platform \
              (the code itself is never exposed).",
        pk: &["id"],
        owner: Some("user_id"),
        access: Access::Owner,
        always: &[],
        columns: &[
            Column::new("id", Kind::Uuid, "Verification identifier."),
            Column::new("user_id", Kind::Int, "The user being verified."),
            Column::new("verification_source", Kind::Text, "Where the code was sent, e.g. email or sms."),
            Column::new("action_platform", Kind::Enum(&PLATFORM_TYPE), "The platform the action happens on."),
            Column::new("action", Kind::Enum(&VERIFICATION_ACTION), "The action being verified."),
            Column::new("verified", Kind::Bool, "Whether the code has been verified."),
            Column::new("expire_at", Kind::TimestampTz, "When the code expires."),
            Column::new("created_at", Kind::TimestampTz, "When the verification was created."),
            Column::new("updated_at", Kind::TimestampTz, "When the verification was last updated."),
        ],
    },
];
