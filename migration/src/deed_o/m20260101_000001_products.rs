//! `products` (main database, seed `schema.ts`) with its two enum types and the updated-at
//! trigger function of this database.

use sea_orm_migration::prelude::*;

use crate::common::{
    create_enum, create_updated_at_function, drop_enum, drop_tables, drop_updated_at_function,
    enum_col, index, non_negative, not_blank, timestamp_now, updated_at_trigger,
};

/// `causes_enum` (DO-E01): the exact strings of the seed (DO-A08).
pub const CAUSES: &[&str] = &[
    "Grief care",
    "Sustainable fashion",
    "Sustainable tourism",
    "Intangible culture and heritage",
    "Sustainable food and agriculture",
];

/// `publishing_status_enum` (DO-E02).
pub const PUBLISHING_STATUSES: &[&str] = &["published", "draft", "suggestion", "rejected"];

/// Creates `causes_enum`, `publishing_status_enum` and `products`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_updated_at_function(manager).await?;
        create_enum(manager, "causes_enum", CAUSES).await?;
        create_enum(manager, "publishing_status_enum", PUBLISHING_STATUSES).await?;

        // `substr` rather than `LIKE 'IM\_%' ESCAPE '\'`: SQLite's LIKE ignores case, so this is
        // the form that means the same on both backends (case-sensitive prefix, non-empty suffix).
        let id_prefix = Expr::cust(r#"substr("id", 1, 3) = 'IM_' AND length("id") > 3"#);

        manager
            .create_table(
                Table::create()
                    .table(Alias::new("products"))
                    .col(
                        ColumnDef::new(Alias::new("id"))
                            .string()
                            .not_null()
                            .primary_key(),
                    )
                    .col(enum_col(manager, "cause", "causes_enum", CAUSES).not_null())
                    .col(ColumnDef::new(Alias::new("mrp")).double().not_null())
                    .col(
                        ColumnDef::new(Alias::new("selling_price"))
                            .double()
                            .not_null(),
                    )
                    // Auth database user id: no foreign key across databases (DO-A03, DO-X01).
                    .col(ColumnDef::new(Alias::new("vendor_id")).integer().not_null())
                    .col(ColumnDef::new(Alias::new("images")).json().not_null())
                    .col(ColumnDef::new(Alias::new("title")).text().not_null())
                    .col(ColumnDef::new(Alias::new("description")).text().not_null())
                    .col(ColumnDef::new(Alias::new("product_url")).text().not_null())
                    .col(
                        enum_col(
                            manager,
                            "publishing_status",
                            "publishing_status_enum",
                            PUBLISHING_STATUSES,
                        )
                        .not_null()
                        .default(Expr::cust("'draft'")),
                    )
                    .col(timestamp_now(manager, "created_at").not_null())
                    .col(timestamp_now(manager, "updated_at").not_null())
                    .col(ColumnDef::new(Alias::new("remark")).text())
                    .check((Alias::new("ck_products_id_prefix"), id_prefix))
                    .check((
                        Alias::new("ck_products_mrp_non_negative"),
                        non_negative("mrp"),
                    ))
                    .check((
                        Alias::new("ck_products_selling_price_non_negative"),
                        non_negative("selling_price"),
                    ))
                    .check((
                        Alias::new("ck_products_selling_price_le_mrp"),
                        Expr::col(Alias::new("selling_price")).lte(Expr::col(Alias::new("mrp"))),
                    ))
                    .check((
                        Alias::new("ck_products_title_not_blank"),
                        not_blank(manager, "title"),
                    ))
                    .to_owned(),
            )
            .await?;

        index(
            manager,
            "idx_products_vendor_id",
            "products",
            &["vendor_id"],
            false,
        )
        .await?;
        index(manager, "idx_products_cause", "products", &["cause"], false).await?;
        index(
            manager,
            "idx_products_publishing_status",
            "products",
            &["publishing_status"],
            false,
        )
        .await?;
        index(
            manager,
            "idx_products_created_at",
            "products",
            &["created_at"],
            false,
        )
        .await?;
        updated_at_trigger(manager, "products", "updated_at").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["products"]).await?;
        drop_enum(manager, "publishing_status_enum").await?;
        drop_enum(manager, "causes_enum").await?;
        drop_updated_at_function(manager).await
    }
}
