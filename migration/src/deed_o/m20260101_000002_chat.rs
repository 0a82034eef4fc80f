//! `groups` and `messages` (main database, seed “Chat Database Schema”, `chat-schema.ts`).
//!
//! The two tables reference each other (`groups.last_message_id` → `messages`,
//! `messages.group_id` → `groups`, DO-A02). PostgreSQL creates `groups` without the first key and
//! adds it once `messages` exists; SQLite declares it inline (it accepts a reference to a table
//! created later and cannot add a constraint afterwards).

use sea_orm_migration::prelude::*;

use crate::common::{
    drop_tables, fk, gin_index, index, is_pg, json_array_col, not_blank, timestamp_now,
    updated_at_trigger, uuid_pk,
};

/// Name of the foreign key `groups.last_message_id` → `messages.id`.
const LAST_MESSAGE_FK: &str = "fk_groups_last_message_id";

/// `groups.last_message_id` → `messages.id`, `ON DELETE SET NULL` (DO-R07, DO-A02).
fn last_message_fk() -> ForeignKeyCreateStatement {
    fk(
        "groups",
        "last_message_id",
        "messages",
        "id",
        ForeignKeyAction::SetNull,
    )
}

/// A message says something: non-blank `text` or at least one attachment (DO-T03 P check).
fn message_has_content(manager: &SchemaManager) -> Expr {
    if is_pg(manager) {
        Expr::cust(
            r#"("text" IS NOT NULL AND char_length(trim("text")) >= 1) OR (CASE WHEN jsonb_typeof("attachments") = 'array' THEN jsonb_array_length("attachments") ELSE 0 END) >= 1"#,
        )
    } else {
        Expr::cust(
            r#"("text" IS NOT NULL AND length(trim("text")) >= 1) OR (CASE WHEN json_type("attachments") = 'array' THEN json_array_length("attachments") ELSE 0 END) >= 1"#,
        )
    }
}

/// Creates `groups` and `messages` with their circular foreign keys.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut groups = Table::create();
        groups
            .table(Alias::new("groups"))
            .col(uuid_pk("id"))
            .col(ColumnDef::new(Alias::new("name")).text().not_null())
            .col(ColumnDef::new(Alias::new("product_id")).string())
            // Auth database user ids: a JSON array, no foreign key (DO-A03, DO-X03).
            .col(json_array_col("members"))
            .col(ColumnDef::new(Alias::new("last_message_id")).uuid())
            .col(timestamp_now(manager, "created_at"))
            .col(timestamp_now(manager, "updated_at"))
            .check((
                Alias::new("ck_groups_name_not_blank"),
                not_blank(manager, "name"),
            ))
            .foreign_key(&mut fk(
                "groups",
                "product_id",
                "products",
                "id",
                ForeignKeyAction::SetNull,
            ));
        if !is_pg(manager) {
            groups.foreign_key(&mut last_message_fk());
        }
        manager.create_table(groups.to_owned()).await?;

        manager
            .create_table(
                Table::create()
                    .table(Alias::new("messages"))
                    .col(uuid_pk("id"))
                    // Auth database user id: no foreign key and no database cascade (DO-A03,
                    // DO-X02); the service removes a hard-deleted user's messages.
                    .col(ColumnDef::new(Alias::new("sender_id")).integer().not_null())
                    .col(ColumnDef::new(Alias::new("group_id")).uuid().not_null())
                    .col(ColumnDef::new(Alias::new("text")).text())
                    .col(json_array_col("attachments"))
                    // Auth database user ids: a JSON array, no foreign key (DO-A03, DO-X04).
                    .col(json_array_col("read_by"))
                    .col(timestamp_now(manager, "timestamp"))
                    .check((
                        Alias::new("ck_messages_has_content"),
                        message_has_content(manager),
                    ))
                    .foreign_key(&mut fk(
                        "messages",
                        "group_id",
                        "groups",
                        "id",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        if is_pg(manager) {
            manager.create_foreign_key(last_message_fk()).await?;
        }

        index(
            manager,
            "idx_groups_product_id",
            "groups",
            &["product_id"],
            false,
        )
        .await?;
        gin_index(manager, "idx_groups_members", "groups", "members").await?;
        // Not in the seed: backs the `ON DELETE SET NULL` of `last_message_id`, so deleting
        // messages (a group's cascade) does not scan `groups` once per message.
        index(
            manager,
            "idx_groups_last_message_id",
            "groups",
            &["last_message_id"],
            false,
        )
        .await?;
        index(
            manager,
            "idx_messages_group_id",
            "messages",
            &["group_id"],
            false,
        )
        .await?;
        index(
            manager,
            "idx_messages_sender_id",
            "messages",
            &["sender_id"],
            false,
        )
        .await?;
        index(
            manager,
            "idx_messages_timestamp",
            "messages",
            &["timestamp"],
            false,
        )
        .await?;
        updated_at_trigger(manager, "groups", "updated_at").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if is_pg(manager) {
            manager
                .drop_foreign_key(
                    ForeignKey::drop()
                        .name(LAST_MESSAGE_FK)
                        .table(Alias::new("groups"))
                        .to_owned(),
                )
                .await?;
        }
        drop_tables(manager, &["messages", "groups"]).await
    }
}
