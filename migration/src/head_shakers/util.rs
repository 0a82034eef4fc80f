//! Column and index shorthands private to the `head_shakers` migrations.

use sea_orm_migration::prelude::*;

use crate::common;

/// A bare column definition.
pub(super) fn col(name: &'static str) -> ColumnDef {
    ColumnDef::new(Alias::new(name))
}

/// A `uuid` column; `NOT NULL` when `required` (ownership references, HS-A05).
pub(super) fn uuid_col(name: &'static str, required: bool) -> ColumnDef {
    let mut def = col(name);
    def.uuid();
    if required {
        def.not_null();
    } else {
        def.null();
    }
    def
}

/// A `boolean NOT NULL DEFAULT value` flag (HS-A05).
pub(super) fn flag(name: &'static str, value: bool) -> ColumnDef {
    let mut def = col(name);
    def.boolean().not_null().default(value);
    def
}

/// An `integer NOT NULL DEFAULT 0` counter or sort key (HS-A05).
pub(super) fn counter(name: &'static str) -> ColumnDef {
    let mut def = col(name);
    def.integer().not_null().default(0);
    def
}

/// A `timestamp DEFAULT now (UTC)` column, nullable as the seed writes it.
pub(super) fn stamp(manager: &SchemaManager, name: &'static str) -> ColumnDef {
    common::timestamp_now(manager, name)
}

/// A `timestamp NOT NULL DEFAULT now (UTC)` column (the PROPOSED tables, HS-T19..T22).
pub(super) fn stamp_required(manager: &SchemaManager, name: &'static str) -> ColumnDef {
    let mut def = common::timestamp_now(manager, name);
    def.not_null();
    def
}

/// A `CHECK` written in SQL that both backends accept (identifiers quoted by the caller).
pub(super) fn check(sql: &str) -> Expr {
    Expr::cust(sql.to_owned())
}

/// The default of an enum column (`'value'`, typed by the column on PostgreSQL).
pub(super) fn enum_default(value: &str) -> Expr {
    Expr::cust(format!("'{value}'"))
}

/// `idx_<table>_<cols>` over `cols`.
pub(super) async fn idx(
    manager: &SchemaManager<'_>,
    table: &'static str,
    cols: &[&'static str],
    unique: bool,
) -> Result<(), DbErr> {
    let name = format!("idx_{table}_{}", cols.join("_"));
    common::index(manager, &name, table, cols, unique).await
}

/// Keeps `table.updated_at` current.
pub(super) async fn touch(manager: &SchemaManager<'_>, table: &'static str) -> Result<(), DbErr> {
    common::updated_at_trigger(manager, table, "updated_at").await
}
