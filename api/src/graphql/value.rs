//! Column values as the read layer carries them: read from a row by the column's [`Kind`],
//! bound into SQL, written into cursors and answered as GraphQL values — the same on
//! PostgreSQL and SQLite.

use async_graphql::{Name, Value as GqlValue};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use rust_decimal::Decimal;
use sea_orm::sea_query::Value as SqlValue;
use sea_orm::{DbBackend, QueryResult};
use uuid::Uuid;

use super::spec::{EnumDef, Kind};
use crate::error::ApiError;

/// One value of one column.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// SQL `NULL`.
    Null,
    /// Boolean.
    Bool(bool),
    /// Any integer.
    Int(i64),
    /// Floating point.
    Float(f64),
    /// Decimal, as its canonical string.
    Decimal(Decimal),
    /// Text, enum values included (stored strings).
    Text(String),
    /// UUID.
    Uuid(Uuid),
    /// Timestamp without zone (UTC).
    Timestamp(NaiveDateTime),
    /// Timestamp with zone.
    TimestampTz(DateTime<Utc>),
    /// Date.
    Date(NaiveDate),
    /// JSON document.
    Json(serde_json::Value),
}

/// A hashable key value: what foreign and primary keys hold.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    /// Integer key (`serial`).
    Int(i64),
    /// Text key.
    Text(String),
    /// UUID key.
    Uuid(Uuid),
}

impl Key {
    /// The key as a cell.
    pub fn cell(&self) -> Cell {
        match self {
            Key::Int(i) => Cell::Int(*i),
            Key::Text(s) => Cell::Text(s.clone()),
            Key::Uuid(u) => Cell::Uuid(*u),
        }
    }

    /// Parses a key of the given kind from its text form (global ids, tokens).
    pub fn parse(kind: Kind, s: &str) -> Option<Key> {
        match kind {
            Kind::Uuid => Uuid::parse_str(s).ok().map(Key::Uuid),
            Kind::Int | Kind::BigInt => s.parse().ok().map(Key::Int),
            Kind::Text => Some(Key::Text(s.to_owned())),
            _ => None,
        }
    }

    /// Text form, the inverse of [`Key::parse`].
    pub fn text(&self) -> String {
        match self {
            Key::Int(i) => i.to_string(),
            Key::Text(s) => s.clone(),
            Key::Uuid(u) => u.to_string(),
        }
    }
}

impl Cell {
    /// The cell as a key, when it is one.
    pub fn key(&self) -> Option<Key> {
        match self {
            Cell::Int(i) => Some(Key::Int(*i)),
            Cell::Text(s) => Some(Key::Text(s.clone())),
            Cell::Uuid(u) => Some(Key::Uuid(*u)),
            _ => None,
        }
    }

    /// Reads column `alias` of a row as `kind`.
    pub fn read(
        row: &QueryResult,
        alias: &str,
        kind: Kind,
        backend: DbBackend,
    ) -> Result<Cell, ApiError> {
        fn opt<T>(v: Option<T>, f: impl FnOnce(T) -> Cell) -> Cell {
            v.map(f).unwrap_or(Cell::Null)
        }
        let cell = match kind {
            Kind::Uuid => opt(row.try_get::<Option<Uuid>>("", alias)?, Cell::Uuid),
            Kind::Text | Kind::Enum(_) | Kind::TextBool => {
                opt(row.try_get::<Option<String>>("", alias)?, Cell::Text)
            }
            Kind::Int => opt(row.try_get::<Option<i32>>("", alias)?, |v| {
                Cell::Int(v.into())
            }),
            Kind::BigInt => opt(row.try_get::<Option<i64>>("", alias)?, Cell::Int),
            Kind::Float => opt(row.try_get::<Option<f64>>("", alias)?, Cell::Float),
            Kind::Decimal(scale) => {
                if backend == DbBackend::Postgres {
                    opt(row.try_get::<Option<Decimal>>("", alias)?, |d| {
                        Cell::Decimal(rescale(d, scale))
                    })
                } else {
                    // SQLite keeps decimals as REAL; answer them at the column's scale.
                    match row.try_get::<Option<f64>>("", alias)? {
                        Some(f) => Decimal::from_f64_retain(f)
                            .map(|d| Cell::Decimal(rescale(d, scale)))
                            .unwrap_or(Cell::Null),
                        None => Cell::Null,
                    }
                }
            }
            Kind::Bool => opt(row.try_get::<Option<bool>>("", alias)?, Cell::Bool),
            Kind::Timestamp => opt(
                row.try_get::<Option<NaiveDateTime>>("", alias)?,
                Cell::Timestamp,
            ),
            Kind::TimestampTz => opt(
                row.try_get::<Option<DateTime<Utc>>>("", alias)?,
                Cell::TimestampTz,
            ),
            Kind::Date => opt(row.try_get::<Option<NaiveDate>>("", alias)?, Cell::Date),
            Kind::Json => opt(
                row.try_get::<Option<serde_json::Value>>("", alias)?,
                Cell::Json,
            ),
        };
        Ok(cell)
    }

    /// The value bound into SQL for a comparison with a column of `kind`.
    pub fn sql(&self, kind: Kind, backend: DbBackend) -> SqlValue {
        match (self, kind) {
            (Cell::Null, _) => SqlValue::String(None),
            (Cell::Bool(b), Kind::TextBool) => SqlValue::String(Some(b.to_string())),
            (Cell::Bool(b), _) => SqlValue::Bool(Some(*b)),
            (Cell::Int(i), Kind::Int) => SqlValue::Int(Some(*i as i32)),
            (Cell::Int(i), _) => SqlValue::BigInt(Some(*i)),
            (Cell::Float(f), Kind::Decimal(_)) if backend == DbBackend::Postgres => {
                SqlValue::Decimal(Decimal::from_f64_retain(*f))
            }
            (Cell::Float(f), _) => SqlValue::Double(Some(*f)),
            (Cell::Decimal(d), _) if backend == DbBackend::Postgres => SqlValue::Decimal(Some(*d)),
            (Cell::Decimal(d), _) => SqlValue::Double(Some(decimal_to_f64(*d))),
            (Cell::Text(s), _) => SqlValue::String(Some(s.clone())),
            (Cell::Uuid(u), _) => SqlValue::Uuid(Some(*u)),
            (Cell::Timestamp(t), _) => SqlValue::ChronoDateTime(Some(*t)),
            (Cell::TimestampTz(t), _) => SqlValue::ChronoDateTimeUtc(Some(*t)),
            (Cell::Date(d), _) => SqlValue::ChronoDate(Some(*d)),
            (Cell::Json(j), _) => SqlValue::Json(Some(Box::new(j.clone()))),
        }
    }

    /// The GraphQL value of the cell for a column of `kind`.
    pub fn graphql(&self, kind: Kind) -> GqlValue {
        match (self, kind) {
            (Cell::Null, _) => GqlValue::Null,
            (Cell::Text(s), Kind::Enum(_)) => GqlValue::Enum(Name::new(EnumDef::graphql_name(s))),
            (Cell::Text(s), Kind::TextBool) => GqlValue::Boolean(s == "true"),
            (Cell::Int(i), Kind::BigInt) => GqlValue::String(i.to_string()),
            (Cell::Bool(b), _) => GqlValue::Boolean(*b),
            (Cell::Int(i), _) => GqlValue::Number((*i).into()),
            (Cell::Float(f), _) => serde_json::Number::from_f64(*f)
                .map(GqlValue::Number)
                .unwrap_or(GqlValue::Null),
            (Cell::Decimal(d), _) => GqlValue::String(d.to_string()),
            (Cell::Text(s), _) => GqlValue::String(s.clone()),
            (Cell::Uuid(u), _) => GqlValue::String(u.to_string()),
            (Cell::Timestamp(t), _) => GqlValue::String(format_timestamp(t)),
            (Cell::TimestampTz(t), _) => GqlValue::String(format_timestamp(&t.naive_utc())),
            (Cell::Date(d), _) => GqlValue::String(d.format("%Y-%m-%d").to_string()),
            (Cell::Json(j), _) => GqlValue::from_json(j.clone()).unwrap_or(GqlValue::Null),
        }
    }

    /// The cell as JSON, for cursors.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Cell::Null => J::Null,
            Cell::Bool(b) => J::Bool(*b),
            Cell::Int(i) => J::from(*i),
            Cell::Float(f) => J::from(*f),
            Cell::Decimal(d) => J::String(d.to_string()),
            Cell::Text(s) => J::String(s.clone()),
            Cell::Uuid(u) => J::String(u.to_string()),
            Cell::Timestamp(t) => J::String(format_timestamp(t)),
            Cell::TimestampTz(t) => J::String(format_timestamp(&t.naive_utc())),
            Cell::Date(d) => J::String(d.format("%Y-%m-%d").to_string()),
            Cell::Json(j) => j.clone(),
        }
    }

    /// Reads a cell of `kind` back from its cursor JSON.
    pub fn from_json(kind: Kind, v: &serde_json::Value) -> Option<Cell> {
        use serde_json::Value as J;
        if v.is_null() {
            return Some(Cell::Null);
        }
        Some(match kind {
            Kind::Uuid => Cell::Uuid(Uuid::parse_str(v.as_str()?).ok()?),
            Kind::Text | Kind::Enum(_) | Kind::TextBool => Cell::Text(v.as_str()?.to_owned()),
            Kind::Int | Kind::BigInt => Cell::Int(v.as_i64()?),
            Kind::Float => Cell::Float(v.as_f64()?),
            Kind::Decimal(_) => Cell::Decimal(v.as_str()?.parse().ok()?),
            Kind::Bool => Cell::Bool(v.as_bool()?),
            Kind::Timestamp => Cell::Timestamp(parse_timestamp(v.as_str()?)?),
            Kind::TimestampTz => Cell::TimestampTz(parse_timestamp(v.as_str()?)?.and_utc()),
            Kind::Date => Cell::Date(NaiveDate::parse_from_str(v.as_str()?, "%Y-%m-%d").ok()?),
            Kind::Json => match v {
                J::Null => Cell::Null,
                other => Cell::Json(other.clone()),
            },
        })
    }
}

fn rescale(mut d: Decimal, scale: Option<u32>) -> Decimal {
    match scale {
        Some(s) => {
            d = d.round_dp(s);
            d.rescale(s);
            d
        }
        None => d.normalize(),
    }
}

fn decimal_to_f64(d: Decimal) -> f64 {
    use rust_decimal::prelude::ToPrimitive;
    d.to_f64().unwrap_or(0.0)
}

/// RFC 3339 in UTC with microsecond precision (`2026-11-22T20:47:13.123456Z`): what both
/// backends store, so an answered value round-trips into cursors and filters unchanged (at
/// milliseconds, rows sharing one were repeated or skipped across pages, and `eq` on an
/// answered value matched nothing). Finer digits (nanoseconds, which no write stores) are
/// cut.
pub fn format_timestamp(t: &NaiveDateTime) -> String {
    t.and_utc().format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// Parses RFC 3339 (any offset, converted to UTC) or a naive `YYYY-MM-DDTHH:MM:SS[.f]` taken as UTC.
pub fn parse_timestamp(s: &str) -> Option<NaiveDateTime> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.naive_utc());
    }
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f"))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_round_trip() {
        let t = parse_timestamp("2026-11-22T20:47:13.123456Z").unwrap_or_default();
        assert_eq!(format_timestamp(&t), "2026-11-22T20:47:13.123456Z");
        let t = parse_timestamp("2026-11-22T20:47:13.123Z").unwrap_or_default();
        assert_eq!(format_timestamp(&t), "2026-11-22T20:47:13.123000Z");
        let t = parse_timestamp("2026-11-22T21:47:13+01:00").unwrap_or_default();
        assert_eq!(format_timestamp(&t), "2026-11-22T20:47:13.000000Z");
    }

    #[test]
    fn decimals_keep_their_scale() {
        let d = Decimal::from_f64_retain(12.5).unwrap_or_default();
        assert_eq!(rescale(d, Some(2)).to_string(), "12.50");
    }
}
