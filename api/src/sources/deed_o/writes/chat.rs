//! Chat groups, their members and messages (main database, members checked against the auth
//! database).
//!
//! - Only members act on a group: for anyone else it does not exist (`NOT_FOUND`), as the read
//!   layer hides it.
//! - `members` and `read_by` are JSON arrays of auth `users.id`; every read-modify-write of one
//!   runs in a transaction holding the row (`FOR UPDATE` on PostgreSQL, `BEGIN IMMEDIATE` on
//!   SQLite), so concurrent changes are never lost.
//! - `sendMessage` inserts the message and points the group's `last_message_id` at it in the
//!   same transaction. A new message is unread (`read_by` never lists its sender).

use entity::deed_o::sea_orm_active_enums::PublishingStatusEnum;
use entity::deed_o::{groups, messages, products};
use entity::deed_o_auth::users;
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QuerySelect,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::error::ApiError;
use crate::graphql::write::{begin, commit, db_error};

/// Longest group name.
const MAX_NAME: usize = 100;
/// Longest message text.
const MAX_TEXT: usize = 5000;
/// Most attachments of a message.
const MAX_ATTACHMENTS: usize = 10;
/// Most members of a group.
const MAX_MEMBERS: usize = 500;

/// One attachment: its URL and stored type (`file`, `image`, `video`, `audio`).
#[derive(Debug, Clone)]
pub struct Attachment {
    /// URL.
    pub url: String,
    /// Stored type.
    pub kind: String,
}

/// The user ids of a JSON array (numbers or numeric strings).
fn ids(v: Option<&Value>) -> Vec<i32> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| match x {
                    Value::Number(n) => n.as_i64().and_then(|i| i32::try_from(i).ok()),
                    Value::String(s) => s.parse().ok(),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Fails unless every id names an existing, not deleted user.
async fn users_exist(auth: &DatabaseConnection, arg: &str, wanted: &[i32]) -> Result<(), ApiError> {
    let found = users::Entity::find()
        .filter(users::Column::Id.is_in(wanted.iter().copied()))
        .filter(users::Column::DeletedAt.is_null())
        .count(auth)
        .await?;
    if usize::try_from(found).unwrap_or(0) != wanted.len() {
        return Err(ApiError::input(
            arg,
            "every member must be an existing user",
        ));
    }
    Ok(())
}

/// The group `id` held for the transaction, when `actor` is a member.
async fn member_of(
    txn: &DatabaseTransaction,
    actor: i32,
    id: Uuid,
) -> Result<groups::Model, ApiError> {
    groups::Entity::find_by_id(id)
        .lock_exclusive()
        .one(txn)
        .await?
        .filter(|g| ids(g.members.as_ref()).contains(&actor))
        .ok_or_else(|| ApiError::NotFound(format!("no group {id}")))
}

/// `createGroup`: a group of the creator and `members`, optionally about a product the
/// creator can see; answers its id.
pub async fn create_group(
    db: &DatabaseConnection,
    auth: &DatabaseConnection,
    actor: i32,
    name: &str,
    product: Option<String>,
    members: Vec<i32>,
) -> Result<Uuid, ApiError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Err(ApiError::input(
            "name",
            format!("needs 1 to {MAX_NAME} characters"),
        ));
    }
    let mut all = members;
    all.push(actor);
    all.sort_unstable();
    all.dedup();
    if all.len() > MAX_MEMBERS {
        return Err(ApiError::input(
            "memberIds",
            format!("at most {MAX_MEMBERS} members"),
        ));
    }
    users_exist(auth, "memberIds", &all).await?;
    if let Some(p) = &product {
        let visible = products::Entity::find_by_id(p.clone())
            .one(db)
            .await?
            .is_some_and(|x| {
                x.publishing_status == PublishingStatusEnum::Published || x.vendor_id == actor
            });
        if !visible {
            return Err(ApiError::NotFound(format!("no product {p}")));
        }
    }
    let id = Uuid::new_v4();
    let at = crate::graphql::write::now();
    // A transaction of its own, so that the answer is read back before it commits.
    let txn = begin(db).await?;
    groups::ActiveModel {
        id: Set(id),
        name: Set(name.to_owned()),
        product_id: Set(product),
        members: Set(Some(json!(all))),
        last_message_id: Set(None),
        created_at: Set(Some(at)),
        updated_at: Set(Some(at)),
    }
    .insert(&txn)
    .await
    // The product may vanish between the check and the insert: NOT_FOUND, not INTERNAL.
    .map_err(|e| db_error(e, "the group"))?;
    commit(txn).await?;
    Ok(id)
}

/// `addMember` / `removeMember`: changes a group's members (a member's act). Adding a member
/// twice or removing a non-member changes nothing.
pub async fn set_member(
    db: &DatabaseConnection,
    auth: &DatabaseConnection,
    actor: i32,
    group: Uuid,
    user: i32,
    add: bool,
) -> Result<(), ApiError> {
    if add {
        users_exist(auth, "userId", &[user]).await?;
    }
    let txn = begin(db).await?;
    let g = member_of(&txn, actor, group).await?;
    let mut members = ids(g.members.as_ref());
    let had = members.contains(&user);
    if add == had {
        return Ok(());
    }
    if add {
        if members.len() >= MAX_MEMBERS {
            return Err(ApiError::input(
                "userId",
                format!("a group has at most {MAX_MEMBERS} members"),
            ));
        }
        members.push(user);
    } else {
        members.retain(|m| *m != user);
    }
    let mut m: groups::ActiveModel = g.into();
    m.members = Set(Some(json!(members)));
    m.updated_at = Set(Some(crate::graphql::write::now()));
    m.update(&txn).await?;
    commit(txn).await?;
    Ok(())
}

/// `sendMessage`: a member's message; answers its id.
pub async fn send(
    db: &DatabaseConnection,
    actor: i32,
    group: Uuid,
    text: Option<String>,
    attachments: Vec<Attachment>,
) -> Result<Uuid, ApiError> {
    let text = text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
    if text.as_ref().is_some_and(|t| t.chars().count() > MAX_TEXT) {
        return Err(ApiError::input(
            "text",
            format!("at most {MAX_TEXT} characters"),
        ));
    }
    if attachments.len() > MAX_ATTACHMENTS {
        return Err(ApiError::input(
            "attachments",
            format!("at most {MAX_ATTACHMENTS} attachments"),
        ));
    }
    for a in &attachments {
        let ok = (a.url.starts_with("https://") || a.url.starts_with("http://"))
            && a.url.len() <= 2048
            && !a.url.contains(char::is_whitespace);
        if !ok {
            return Err(ApiError::input(
                "attachments",
                "an attachment's url is an http(s) URL",
            ));
        }
    }
    if text.is_none() && attachments.is_empty() {
        return Err(ApiError::input(
            "text",
            "a message needs text or attachments",
        ));
    }
    let txn = begin(db).await?;
    let g = member_of(&txn, actor, group).await?;
    let id = Uuid::new_v4();
    let at = crate::graphql::write::now();
    let files: Vec<Value> = attachments
        .iter()
        .map(|a| json!({ "url": a.url, "type": a.kind }))
        .collect();
    messages::ActiveModel {
        id: Set(id),
        sender_id: Set(actor),
        group_id: Set(group),
        text: Set(text),
        attachments: Set(Some(json!(files))),
        read_by: Set(Some(json!([]))),
        timestamp: Set(Some(at)),
    }
    .insert(&txn)
    .await
    .map_err(|e| db_error(e, "the message"))?;
    let mut m: groups::ActiveModel = g.into();
    m.last_message_id = Set(Some(id));
    m.updated_at = Set(Some(at));
    m.update(&txn).await?;
    commit(txn).await?;
    Ok(id)
}

/// `markRead`: adds a member (not the sender) to a message's readers once.
pub async fn mark_read(db: &DatabaseConnection, actor: i32, message: Uuid) -> Result<(), ApiError> {
    let txn = begin(db).await?;
    let missing = || ApiError::NotFound(format!("no message {message}"));
    let msg = messages::Entity::find_by_id(message)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or_else(missing)?;
    member_of(&txn, actor, msg.group_id)
        .await
        .map_err(|_| missing())?;
    let mut readers = ids(msg.read_by.as_ref());
    if msg.sender_id == actor || readers.contains(&actor) {
        return Ok(());
    }
    readers.push(actor);
    let mut m: messages::ActiveModel = msg.into();
    m.read_by = Set(Some(json!(readers)));
    m.update(&txn).await?;
    commit(txn).await?;
    Ok(())
}
