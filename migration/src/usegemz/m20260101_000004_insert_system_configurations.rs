//! The five stated `system_configurations` rows (UG-T05 «Configuration Examples», GW-A14).
//!
//! Ids and timestamps are fixed so every database gets identical rows and `down` removes exactly
//! these. The values are bound (uuid as a uuid value: a 16-byte blob on SQLite, `uuid` on
//! PostgreSQL); `is_hot_reloadable` takes its default `'true'`, as in the seed's `INSERT`s.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::prelude::{ChronoDate, Uuid};

/// `(id, category, key, value, value_type, description)`, as stated.
const ROWS: [(u128, &str, &str, &str, &str, &str); 5] = [
    (
        0x75670000_0000_4000_8000_000000000001,
        "email",
        "trial_day_2_delay",
        "2 days",
        "duration",
        "Delay for day 2 trial email",
    ),
    (
        0x75670000_0000_4000_8000_000000000002,
        "email",
        "trial_day_5_delay",
        "5 days",
        "duration",
        "Delay for day 5 trial email",
    ),
    (
        0x75670000_0000_4000_8000_000000000003,
        "email",
        "trial_expiry_delay",
        "7 days",
        "duration",
        "Delay for trial expiry email",
    ),
    (
        0x75670000_0000_4000_8000_000000000004,
        "api",
        "max_api_calls_testing",
        "1",
        "number",
        "API call limit for testing",
    ),
    (
        0x75670000_0000_4000_8000_000000000005,
        "api",
        "max_api_calls_production",
        "999",
        "number",
        "API call limit for production",
    ),
];

fn table() -> Alias {
    Alias::new("system_configurations")
}

fn ids() -> Vec<Uuid> {
    ROWS.iter().map(|r| Uuid::from_u128(r.0)).collect()
}

/// Inserts the stated configuration rows.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // 2026-01-01 00:00:00 UTC, the rows' fixed creation time.
        let at = ChronoDate::from_ymd_opt(2026, 1, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .ok_or_else(|| DbErr::Custom("invalid seed timestamp".to_owned()))?;
        let mut insert = Query::insert();
        insert.into_table(table()).columns(
            [
                "id",
                "category",
                "key",
                "value",
                "value_type",
                "description",
                "created_at",
                "updated_at",
            ]
            .map(Alias::new),
        );
        for (id, category, key, value, value_type, description) in ROWS {
            insert
                .values([
                    Uuid::from_u128(id).into(),
                    category.into(),
                    key.into(),
                    value.into(),
                    value_type.into(),
                    description.into(),
                    at.into(),
                    at.into(),
                ])
                .map_err(|e| DbErr::Custom(e.to_string()))?;
        }
        manager.execute(insert).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut delete = Query::delete();
        delete
            .from_table(table())
            .and_where(Expr::col(Alias::new("id")).is_in(ids()));
        manager.execute(delete).await
    }
}
