//! Parsing of `system_configurations.value` by its `value_type` (UG-E11, UG-OP25).
//!
//! - `number`: a finite decimal number (`1`, `999`, `0.5`, `-3`).
//! - `boolean`: `true` or `false` (any letter case).
//! - `duration`: one or more `<whole number> <unit>` parts, summed, in seconds: `2 days`,
//!   `30 minutes`, `1 hour`, `45 seconds`, `1 week`, `1 hour 30 minutes`, `90s`. Units:
//!   s/sec/secs/second/seconds, m/min/mins/minute/minutes, h/hr/hrs/hour/hours, d/day/days,
//!   w/wk/wks/week/weeks (any letter case). At most 2³¹−1 seconds (a GraphQL `Int`).
//! - `json`: any JSON document.
//! - `string`: any text.
//!
//! Surrounding whitespace is ignored for every type but `string`.

use super::super::enums::VALUE_TYPE;
use crate::error::ApiError;

/// A value parsed by its type.
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed {
    /// `number`.
    Number(f64),
    /// `boolean`.
    Boolean(bool),
    /// `duration`, in seconds.
    Duration(i64),
    /// `string`.
    String(String),
    /// `json`.
    Json(serde_json::Value),
}

/// The stored value type named by `s` (any letter case), or `BAD_USER_INPUT` on `valueType`.
pub fn value_type(s: &str) -> Result<&'static str, ApiError> {
    let wanted = s.trim().to_ascii_lowercase();
    VALUE_TYPE
        .values
        .iter()
        .find(|v| **v == wanted)
        .copied()
        .ok_or_else(|| {
            ApiError::input(
                "valueType",
                format!(
                    "unknown value type {s:?}; one of {}",
                    VALUE_TYPE.values.join(", ")
                ),
            )
        })
}

/// Seconds per duration unit, `None` for an unknown unit.
fn unit_secs(unit: &str) -> Option<i64> {
    Some(match unit {
        "s" | "sec" | "secs" | "second" | "seconds" => 1,
        "m" | "min" | "mins" | "minute" | "minutes" => 60,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3_600,
        "d" | "day" | "days" => 86_400,
        "w" | "wk" | "wks" | "week" | "weeks" => 604_800,
        _ => return None,
    })
}

/// A duration in seconds (see the module doc), `None` when it does not parse.
pub fn duration_secs(s: &str) -> Option<i64> {
    let s = s.trim().to_ascii_lowercase();
    let mut chars = s.chars().peekable();
    let mut total: i64 = 0;
    let mut parts = 0;
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            break;
        }
        let mut n = String::new();
        while let Some(c) = chars.next_if(char::is_ascii_digit) {
            n.push(c);
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut unit = String::new();
        while let Some(c) = chars.next_if(char::is_ascii_alphabetic) {
            unit.push(c);
        }
        let n: i64 = n.parse().ok()?;
        total = total.checked_add(n.checked_mul(unit_secs(&unit)?)?)?;
        parts += 1;
    }
    (parts > 0 && total <= i64::from(i32::MAX)).then_some(total)
}

/// `value` parsed as `ty` (a stored value type), or what was expected.
pub fn parse(ty: &str, value: &str) -> Result<Parsed, String> {
    let v = value.trim();
    match ty {
        "number" => v
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .map(Parsed::Number)
            .ok_or_else(|| "expected a number".to_owned()),
        "boolean" => match v.to_ascii_lowercase().as_str() {
            "true" => Ok(Parsed::Boolean(true)),
            "false" => Ok(Parsed::Boolean(false)),
            _ => Err("expected true or false".to_owned()),
        },
        "duration" => duration_secs(v).map(Parsed::Duration).ok_or_else(|| {
            "expected a duration such as `2 days`, `30 minutes` or `1 hour`".to_owned()
        }),
        "json" => serde_json::from_str(v)
            .map(Parsed::Json)
            .map_err(|e| format!("expected a JSON document: {e}")),
        "string" => Ok(Parsed::String(value.to_owned())),
        other => Err(format!("unknown value type {other}")),
    }
}

/// The value to store: trimmed for every type but `string`; `BAD_USER_INPUT` on `value` when
/// it does not parse as `ty`.
pub fn checked(ty: &str, value: &str) -> Result<String, ApiError> {
    parse(ty, value).map_err(|e| ApiError::input("value", e))?;
    Ok(if ty == "string" {
        value.to_owned()
    } else {
        value.trim().to_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_to_seconds() {
        for (s, secs) in [
            ("2 days", 172_800),
            ("5 days", 432_000),
            ("7 days", 604_800),
            ("30 minutes", 1_800),
            ("1 hour", 3_600),
            ("45 seconds", 45),
            ("1 week", 604_800),
            ("1 Hour 30 Minutes", 5_400),
            ("90s", 90),
            (" 1 day ", 86_400),
        ] {
            assert_eq!(duration_secs(s), Some(secs), "{s}");
        }
        for bad in [
            "",
            "days",
            "2",
            "2 fortnights",
            "-1 day",
            "1.5 hours",
            "99999 weeks",
            "1 day,",
        ] {
            assert_eq!(duration_secs(bad), None, "{bad}");
        }
    }

    #[test]
    fn values_parse_by_type() {
        assert_eq!(parse("number", "999"), Ok(Parsed::Number(999.0)));
        assert_eq!(parse("number", " 0.5 "), Ok(Parsed::Number(0.5)));
        for bad in ["", "abc", "NaN", "inf", "1 2"] {
            assert!(parse("number", bad).is_err(), "{bad}");
        }
        assert_eq!(parse("boolean", "TRUE"), Ok(Parsed::Boolean(true)));
        assert!(parse("boolean", "yes").is_err());
        assert_eq!(
            parse("json", r#"{"a":[1]}"#),
            Ok(Parsed::Json(serde_json::json!({"a": [1]})))
        );
        assert!(parse("json", "{").is_err());
        assert_eq!(parse("string", " x "), Ok(Parsed::String(" x ".into())));
        assert!(parse("color", "red").is_err());
        assert_eq!(value_type("Duration").ok(), Some("duration"));
        assert!(value_type("color").is_err());
        assert_eq!(checked("number", " 3 ").ok().as_deref(), Some("3"));
    }
}
