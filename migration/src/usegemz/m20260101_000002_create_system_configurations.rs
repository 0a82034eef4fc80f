//! `system_configurations` (UG-T05), the seed's history step `0006_chunky_proteus` (system
//! configurations).

use sea_orm_migration::prelude::*;

use crate::common::{
    checked_string, drop_tables, not_blank, sqlite_len_checks, timestamp_now, updated_at_trigger,
    uuid_pk,
};

/// UG-E11 `system_configurations.value_type`: the stated 'duration' and 'number' plus the
/// inventory's proposed 'string', 'boolean' and 'json'.
const VALUE_TYPES: &[&str] = &["string", "number", "boolean", "duration", "json"];
/// UG-E12 string booleans (UG-A08).
pub(super) const STRING_BOOLEANS: &[&str] = &["true", "false"];

fn col(name: &'static str) -> ColumnDef {
    ColumnDef::new(Alias::new(name))
}

/// Creates `system_configurations` with its `unique_category_key` constraint.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut t = Table::create();
        t.table(Alias::new("system_configurations"))
            .col(uuid_pk("id"))
            .col(col("category").string_len(50).not_null())
            .col(col("key").string_len(100).not_null())
            .col(col("value").text().not_null())
            .col(checked_string("value_type", Some(20), VALUE_TYPES).not_null())
            .col(col("description").text())
            .col(
                checked_string("is_hot_reloadable", Some(5), STRING_BOOLEANS)
                    .not_null()
                    .default("true"),
            )
            .col(timestamp_now(manager, "created_at").not_null())
            .col(timestamp_now(manager, "updated_at").not_null())
            .index(
                Index::create()
                    .name("unique_category_key")
                    .col(Alias::new("category"))
                    .col(Alias::new("key"))
                    .unique(),
            )
            .check((
                "ck_system_configurations_category_not_blank",
                not_blank(manager, "category"),
            ))
            .check((
                "ck_system_configurations_key_not_blank",
                not_blank(manager, "key"),
            ));
        sqlite_len_checks(manager, &mut t, &[("category", 50), ("key", 100)]);
        manager.create_table(t).await?;
        updated_at_trigger(manager, "system_configurations", "updated_at").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["system_configurations"]).await
    }
}
