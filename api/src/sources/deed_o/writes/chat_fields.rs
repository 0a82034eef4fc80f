//! GraphQL fields of chat groups and messages ([`super::chat`]).

use async_graphql::dynamic::{
    Enum, EnumItem, Field, FieldFuture, FieldValue, InputObject, InputValue, Object,
    ResolverContext, Type, TypeRef,
};
use async_graphql::{Name, Value};
use migration::Database;

use super::args::{arg, string, uuid};
use super::chat::{self, Attachment};
use super::field;
use super::products::actor;
use crate::error::{ApiError, OrGql};
use crate::graphql::schema::data;
use crate::graphql::schema::{committed, computed_rows};
use crate::graphql::spec::{Computed, Source};
use crate::graphql::value::{Cell, Key};

const ATTACHMENT_INPUT: &str = "DeedOAttachmentInput";
const ATTACHMENT_TYPE: &str = "DeedOAttachmentType";
/// The typed output of a message's attachments.
const ATTACHMENT: &str = "DeedOAttachment";
/// The field answering a message's attachments typed.
const ATTACHMENT_LIST: &str = "attachmentList";
/// GraphQL names of the attachment types and their stored values.
const KINDS: [(&str, &str); 4] = [
    ("FILE", "file"),
    ("IMAGE", "image"),
    ("VIDEO", "video"),
    ("AUDIO", "audio"),
];

fn int(ctx: &ResolverContext<'_>, name: &str) -> Result<i32, ApiError> {
    ctx.args
        .get(name)
        .and_then(|v| v.i64().ok())
        .and_then(|i| i32::try_from(i).ok())
        .ok_or_else(|| ApiError::input(name, "expected a user id"))
}

fn member_ids(ctx: &ResolverContext<'_>) -> Result<Vec<i32>, ApiError> {
    let Some(v) = ctx.args.get("memberIds").filter(|v| !v.is_null()) else {
        return Ok(Vec::new());
    };
    let list = v
        .list()
        .map_err(|_| ApiError::input("memberIds", "expected a list of user ids"))?;
    list.iter()
        .map(|x| {
            x.i64()
                .ok()
                .and_then(|i| i32::try_from(i).ok())
                .ok_or_else(|| ApiError::input("memberIds", "expected user ids"))
        })
        .collect()
}

fn attachments(ctx: &ResolverContext<'_>) -> Result<Vec<Attachment>, ApiError> {
    let Some(v) = ctx.args.get("attachments").filter(|v| !v.is_null()) else {
        return Ok(Vec::new());
    };
    let bad = || ApiError::input("attachments", "each attachment is { url, type }");
    let list = v.list().map_err(|_| bad())?;
    list.iter()
        .map(|item| {
            let o = item.object().map_err(|_| bad())?;
            let url = o
                .get("url")
                .and_then(|u| u.string().ok())
                .ok_or_else(bad)?
                .trim()
                .to_owned();
            let ty = o
                .get("type")
                .and_then(|t| t.enum_name().ok().map(str::to_owned))
                .ok_or_else(bad)?;
            let kind = KINDS
                .iter()
                .find(|(g, _)| *g == ty)
                .map(|(_, s)| (*s).to_owned())
                .ok_or_else(bad)?;
            Ok(Attachment { url, kind })
        })
        .collect()
}

/// Typed fields of the chat tables: `DeedOMessage.attachmentList`. The generic layer adds
/// fields to a table's type only through such entries, and a computed field reads described
/// columns, so the raw `attachments` JSON column stays listed beside it; the message rows of a
/// level are read again in one statement (keyed by id, under the messages' access rule).
pub static COMPUTED: &[Computed] = &[Computed {
    on: "messages",
    field: ATTACHMENT_LIST,
    table: "messages",
    key_column: "id",
    columns: &["id", "attachments"],
    define: attachment_list,
}];

/// The attachments of a stored `attachments` value, in order. Items without a string `url`
/// or with an unknown `type` (only writes outside the gateway make them) are left out.
fn typed_attachments(stored: &serde_json::Value) -> Vec<Attachment> {
    let Some(items) = stored.as_array() else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            let url = item.get("url")?.as_str()?;
            let kind = item.get("type")?.as_str()?;
            KINDS.iter().any(|(_, s)| *s == kind).then(|| Attachment {
                url: url.to_owned(),
                kind: kind.to_owned(),
            })
        })
        .collect()
}

fn attachment_list(source: &'static Source, _computed: &'static Computed) -> Field {
    Field::new(
        ATTACHMENT_LIST,
        TypeRef::named_nn_list_nn(ATTACHMENT),
        move |ctx| {
            FieldFuture::new(async move {
                let rows = computed_rows(&ctx, source).await?;
                let items = match rows.first().map(|r| r.get("attachments")) {
                    Some(Cell::Json(v)) => typed_attachments(v),
                    _ => Vec::new(),
                };
                Ok(Some(FieldValue::list(
                    items.into_iter().map(FieldValue::owned_any),
                )))
            })
        },
    )
    .description(
        "The message's file attachments, typed, in the order sent (empty when it has none).",
    )
}

/// `DeedOAttachment`: an [`Attachment`] as GraphQL answers it.
fn attachment_type() -> Object {
    Object::new(ATTACHMENT)
        .description("A file attached to a message.")
        .field(
            Field::new("url", TypeRef::named_nn(TypeRef::STRING), |ctx| {
                FieldFuture::new(async move {
                    let a = ctx.parent_value.try_downcast_ref::<Attachment>()?;
                    Ok(Some(FieldValue::value(Value::String(a.url.clone()))))
                })
            })
            .description("Where the file is (http or https)."),
        )
        .field(
            Field::new("type", TypeRef::named_nn(ATTACHMENT_TYPE), |ctx| {
                FieldFuture::new(async move {
                    let a = ctx.parent_value.try_downcast_ref::<Attachment>()?;
                    // `typed_attachments` keeps known kinds only, so a name is always found.
                    let name = KINDS
                        .iter()
                        .find(|(_, s)| *s == a.kind)
                        .map_or("FILE", |(g, _)| g);
                    Ok(Some(FieldValue::value(Value::Enum(Name::new(name)))))
                })
            })
            .description("What it is."),
        )
}

/// The mutation fields and the attachment input and output types.
pub fn mutations(source: &'static Source) -> (Vec<Field>, Vec<Type>) {
    let group_id = || {
        arg(
            "groupId",
            TypeRef::named_nn("UUID"),
            "The group (its row id).",
        )
    };
    let user_id = || {
        arg(
            "userId",
            TypeRef::named_nn(TypeRef::INT),
            "The user (auth `users.id`).",
        )
    };
    let member = |name: &str, add: bool, ty: TypeRef, doc: &str| {
        Field::new(name, ty, move |ctx| {
            FieldFuture::new(async move {
                let data = data(&ctx)?;
                let auth = data.conns.get(Database::DeedOAuth).gql()?;
                let me = actor(&data.viewer).gql()?;
                let group = uuid(&ctx, "groupId").gql()?;
                let user = int(&ctx, "userId").gql()?;
                if !add && user == me {
                    // Leaving: the group is no longer the viewer's to read back; the answer is
                    // null once the removal committed.
                    let db = data.conns.get(Database::DeedO).gql()?;
                    chat::set_member(db, auth, me, group, user, add)
                        .await
                        .gql()?;
                    data.loader.invalidate();
                    return Ok(None);
                }
                committed(&ctx, source, "groups", async {
                    chat::set_member(data.conns.get(Database::DeedO)?, auth, me, group, user, add)
                        .await
                        .map(|_| Key::Uuid(group))
                })
                .await
            })
        })
        .description(doc)
        .argument(group_id())
        .argument(user_id())
    };
    let fields = vec![
        field(source, "createGroup", TypeRef::named_nn("DeedOGroup"), "Creates a chat group of the signed-in user (always a member) and the given users (existing accounts), optionally about a product: a published one, or one of the creator's own (NOT_FOUND otherwise).", |ctx, source| {
            FieldFuture::new(async move {
                let data = data(&ctx)?;
                let auth = data.conns.get(Database::DeedOAuth).gql()?;
                let me = actor(&data.viewer).gql()?;
                let name = string(&ctx, "name").unwrap_or_default();
                let product = string(&ctx, "productId");
                let members = member_ids(&ctx).gql()?;
                committed(&ctx, source, "groups", async { chat::create_group(data.conns.get(Database::DeedO)?, auth, me, &name, product, members).await.map(Key::Uuid) }).await
            })
        })
        .argument(arg("name", TypeRef::named_nn(TypeRef::STRING), "Display name (1 to 100 characters)."))
        .argument(arg("productId", TypeRef::named(TypeRef::STRING), "The product the group is about (`IM_…`)."))
        .argument(arg("memberIds", TypeRef::named_nn_list(TypeRef::INT), "The other members (auth `users.id`).")),
        member("addMember", true, TypeRef::named_nn("DeedOGroup"), "Adds an existing user to a group of the viewer; adding a member again changes nothing. NOT_FOUND for a group the viewer is not in."),
        member("removeMember", false, TypeRef::named("DeedOGroup"), "Removes a member (the viewer too: leaving) from a group of the viewer; answers the group, null once the viewer left. NOT_FOUND for a group the viewer is not in."),
        field(source, "sendMessage", TypeRef::named_nn("DeedOMessage"), "Sends a message with text and/or attachments to a group of the viewer; it becomes the group's last message. NOT_FOUND for a group the viewer is not in.", |ctx, source| {
            FieldFuture::new(async move {
                let data = data(&ctx)?;
                let me = actor(&data.viewer).gql()?;
                let group = uuid(&ctx, "groupId").gql()?;
                let files = attachments(&ctx).gql()?;
                committed(&ctx, source, "messages", async { chat::send(data.conns.get(Database::DeedO)?, me, group, string(&ctx, "text"), files).await.map(Key::Uuid) }).await
            })
        })
        .argument(group_id())
        .argument(arg("text", TypeRef::named(TypeRef::STRING), "The text (at most 5000 characters)."))
        .argument(arg("attachments", TypeRef::named_nn_list(ATTACHMENT_INPUT), "Files (at most 10).")),
        field(source, "markRead", TypeRef::named_nn("DeedOMessage"), "Records that the viewer read a message of one of their groups (once; a sender's own message needs no receipt). NOT_FOUND for a message of a group the viewer is not in.", |ctx, source| {
            FieldFuture::new(async move {
                let data = data(&ctx)?;
                let me = actor(&data.viewer).gql()?;
                let id = uuid(&ctx, "messageId").gql()?;
                committed(&ctx, source, "messages", async { chat::mark_read(data.conns.get(Database::DeedO)?, me, id).await.map(|_| Key::Uuid(id)) }).await
            })
        })
        .argument(arg("messageId", TypeRef::named_nn("UUID"), "The message (its row id).")),
    ];
    let mut kinds = Enum::new(ATTACHMENT_TYPE).description("What an attachment is.");
    for (g, s) in KINDS {
        kinds = kinds.item(EnumItem::new(g).description(format!("Stored as `{s}`.")));
    }
    let input = InputObject::new(ATTACHMENT_INPUT)
        .description("A file attached to a message.")
        .field(
            InputValue::new("url", TypeRef::named_nn(TypeRef::STRING))
                .description("Where the file is (http or https)."),
        )
        .field(
            InputValue::new("type", TypeRef::named_nn(ATTACHMENT_TYPE)).description("What it is."),
        );
    (
        fields,
        vec![
            Type::from(kinds),
            Type::from(input),
            Type::from(attachment_type()),
        ],
    )
}
