//! Collections, sub-collections, tags, bobbleheads, their photos and tag links (HS-T01..T05, HS-T18).

use sea_orm_migration::prelude::*;

use super::util::{check, col, counter, flag, idx, stamp, touch, uuid_col};
use crate::common::{
    drop_tables, fk, is_pg, non_negative, not_blank, partial_index, sqlite_len_checks, uuid_pk,
};

/// Collections and everything they hold.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // HS-T01 collections
        let mut t = Table::create();
        t.table(Alias::new("collections"))
            .col(uuid_pk("id"))
            .col(uuid_col("user_id", true))
            .col(col("name").string_len(100).not_null())
            .col(col("description").text().null())
            .col(flag("is_public", true))
            .col(counter("total_items"))
            .col(
                col("total_value")
                    .decimal_len(15, 2)
                    .not_null()
                    .default(Expr::cust("0.00")),
            )
            .col(col("cover_image_url").text().null())
            .col(col("last_item_added_at").timestamp().null())
            .col(stamp(manager, "created_at"))
            .col(stamp(manager, "updated_at"))
            .check(non_negative("total_items"))
            .check(non_negative("total_value"))
            .check(not_blank(manager, "name"))
            .foreign_key(&mut fk(
                "collections",
                "user_id",
                "users",
                "id",
                ForeignKeyAction::Cascade,
            ));
        sqlite_len_checks(manager, &mut t, &[("name", 100)]);
        manager.create_table(t).await?;
        idx(manager, "collections", &["user_id"], false).await?;
        idx(manager, "collections", &["is_public"], false).await?;
        idx(manager, "collections", &["updated_at"], false).await?;
        idx(manager, "collections", &["user_id", "is_public"], false).await?;
        touch(manager, "collections").await?;

        // HS-T02 sub_collections
        let mut t = Table::create();
        t.table(Alias::new("sub_collections"))
            .col(uuid_pk("id"))
            .col(uuid_col("collection_id", true))
            .col(col("name").string_len(100).not_null())
            .col(col("description").text().null())
            .col(counter("sort_order"))
            .col(counter("item_count"))
            .col(flag("is_public", true))
            .col(col("cover_image_url").text().null())
            .col(stamp(manager, "created_at"))
            .col(stamp(manager, "updated_at"))
            .check(non_negative("item_count"))
            .check(non_negative("sort_order"))
            .check(not_blank(manager, "name"))
            .foreign_key(&mut fk(
                "sub_collections",
                "collection_id",
                "collections",
                "id",
                ForeignKeyAction::Cascade,
            ));
        sqlite_len_checks(manager, &mut t, &[("name", 100)]);
        manager.create_table(t).await?;
        idx(manager, "sub_collections", &["collection_id"], false).await?;
        idx(
            manager,
            "sub_collections",
            &["collection_id", "sort_order"],
            false,
        )
        .await?;
        touch(manager, "sub_collections").await?;

        // HS-T18 tags
        let color_check = if is_pg(manager) {
            check(r#""color" ~ '^#[0-9A-Fa-f]{6}$'"#)
        } else {
            check(
                r#""color" GLOB '#[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]'"#,
            )
        };
        let mut t = Table::create();
        t.table(Alias::new("tags"))
            .col(uuid_pk("id"))
            .col(uuid_col("user_id", true))
            .col(col("name").string_len(50).not_null())
            .col(col("color").string_len(7).null().default("#3B82F6"))
            .col(counter("usage_count"))
            .col(stamp(manager, "created_at"))
            .col(stamp(manager, "updated_at"))
            .check(color_check)
            .check(non_negative("usage_count"))
            .check(not_blank(manager, "name"))
            .foreign_key(&mut fk(
                "tags",
                "user_id",
                "users",
                "id",
                ForeignKeyAction::Cascade,
            ));
        sqlite_len_checks(manager, &mut t, &[("name", 50), ("color", 7)]);
        manager.create_table(t).await?;
        idx(manager, "tags", &["user_id", "name"], true).await?;
        touch(manager, "tags").await?;

        // HS-T03 bobbleheads
        let mut t = Table::create();
        t.table(Alias::new("bobbleheads"))
            .col(uuid_pk("id"))
            .col(uuid_col("user_id", true))
            .col(uuid_col("collection_id", true))
            .col(uuid_col("sub_collection_id", false))
            .col(col("name").string_len(200).not_null())
            .col(col("description").text().null())
            .col(col("category").string_len(50).null())
            .col(col("character_name").string_len(100).null())
            .col(col("manufacturer").string_len(100).null())
            .col(col("series").string_len(100).null())
            .col(col("year").integer().null())
            .col(col("height").decimal_len(5, 2).null())
            .col(col("weight").decimal_len(6, 2).null())
            .col(col("material").string_len(100).null())
            // HS-E19..E21 / HS-A11: free varchar, no CHECK.
            .col(
                col("current_condition")
                    .string_len(20)
                    .null()
                    .default("excellent"),
            )
            .col(col("status").string_len(20).null().default("owned"))
            .col(col("purchase_price").decimal_len(10, 2).null())
            .col(col("purchase_location").string_len(100).null())
            .col(col("acquisition_method").string_len(50).null())
            .col(col("acquisition_date").timestamp().null())
            .col(col("custom_fields").json_binary().null())
            .col(flag("is_public", true))
            .col(flag("is_featured", false))
            .col(counter("view_count"))
            .col(counter("like_count"))
            .col(counter("comment_count"))
            .col(flag("is_deleted", false))
            .col(col("deleted_at").timestamp().null())
            .col(stamp(manager, "created_at"))
            .col(stamp(manager, "updated_at"))
            .check(non_negative("view_count"))
            .check(non_negative("like_count"))
            .check(non_negative("comment_count"))
            .check(non_negative("purchase_price"))
            .check(check(r#""height" > 0"#))
            .check(check(r#""weight" > 0"#))
            .check(check(r#""year" BETWEEN 1800 AND 2100"#))
            .check(not_blank(manager, "name"))
            .check(check(r#""is_deleted" = ("deleted_at" IS NOT NULL)"#))
            .foreign_key(&mut fk(
                "bobbleheads",
                "user_id",
                "users",
                "id",
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut fk(
                "bobbleheads",
                "collection_id",
                "collections",
                "id",
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut fk(
                "bobbleheads",
                "sub_collection_id",
                "sub_collections",
                "id",
                ForeignKeyAction::SetNull,
            ));
        sqlite_len_checks(
            manager,
            &mut t,
            &[
                ("name", 200),
                ("category", 50),
                ("character_name", 100),
                ("manufacturer", 100),
                ("series", 100),
                ("material", 100),
                ("current_condition", 20),
                ("status", 20),
                ("purchase_location", 100),
                ("acquisition_method", 50),
            ],
        );
        manager.create_table(t).await?;
        for cols in [
            &["user_id"][..],
            &["collection_id"],
            &["sub_collection_id"],
            &["created_at"],
            &["user_id", "is_public"],
            &["is_featured"],
            &["is_deleted"],
            &["category"],
            &["manufacturer"],
            &["name"],
        ] {
            idx(manager, "bobbleheads", cols, false).await?;
        }
        touch(manager, "bobbleheads").await?;

        // HS-T04 bobblehead_photos
        let mut t = Table::create();
        t.table(Alias::new("bobblehead_photos"))
            .col(uuid_pk("id"))
            .col(uuid_col("bobblehead_id", true))
            .col(col("url").text().not_null())
            .col(col("alt_text").string_len(255).null())
            .col(col("caption").text().null())
            .col(counter("sort_order"))
            .col(flag("is_primary", false))
            .col(col("width").integer().null())
            .col(col("height").integer().null())
            .col(col("file_size").integer().null())
            .col(stamp(manager, "uploaded_at"))
            .check(check(r#""width" > 0"#))
            .check(check(r#""height" > 0"#))
            .check(non_negative("file_size"))
            .foreign_key(&mut fk(
                "bobblehead_photos",
                "bobblehead_id",
                "bobbleheads",
                "id",
                ForeignKeyAction::Cascade,
            ));
        sqlite_len_checks(manager, &mut t, &[("alt_text", 255)]);
        manager.create_table(t).await?;
        idx(manager, "bobblehead_photos", &["bobblehead_id"], false).await?;
        idx(
            manager,
            "bobblehead_photos",
            &["bobblehead_id", "sort_order"],
            false,
        )
        .await?;
        // HS-A16: at most one primary photo per bobblehead.
        partial_index(
            manager,
            "idx_bobblehead_photos_bobblehead_id_primary",
            "bobblehead_photos",
            &["bobblehead_id"],
            r#""is_primary""#,
            true,
        )
        .await?;

        // HS-T05 bobblehead_tags
        let mut t = Table::create();
        t.table(Alias::new("bobblehead_tags"))
            .col(uuid_pk("id"))
            .col(uuid_col("bobblehead_id", true))
            .col(uuid_col("tag_id", true))
            .col(stamp(manager, "created_at"))
            .foreign_key(&mut fk(
                "bobblehead_tags",
                "bobblehead_id",
                "bobbleheads",
                "id",
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut fk(
                "bobblehead_tags",
                "tag_id",
                "tags",
                "id",
                ForeignKeyAction::Cascade,
            ));
        manager.create_table(t).await?;
        idx(
            manager,
            "bobblehead_tags",
            &["bobblehead_id", "tag_id"],
            true,
        )
        .await?;
        idx(manager, "bobblehead_tags", &["tag_id"], false).await?;

        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "bobblehead_tags",
                "bobblehead_photos",
                "bobbleheads",
                "tags",
                "sub_collections",
                "collections",
            ],
        )
        .await
    }
}
