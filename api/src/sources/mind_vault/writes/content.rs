//! The typed shape of `video_summary.ai_generated_content`, checked before it is stored.
//!
//! A JSON object whose known keys, when present, have these types (other keys are kept as
//! given):
//! - `summary`: string;
//! - `keyPoints`: list of strings;
//! - `topics`: list of strings;
//! - `chapters`: list of `{ title: string, startSeconds: int ≥ 0, endSeconds?: int ≥
//!   startSeconds, summary?: string }`.

use serde_json::Value;

use crate::error::ApiError;

/// The argument the content comes in.
const ARG: &str = "aiGeneratedContent";

fn bad(message: String) -> ApiError {
    ApiError::input(ARG, message)
}

fn strings(v: &Value, key: &str) -> Result<(), ApiError> {
    match v.as_array() {
        Some(items) if items.iter().all(Value::is_string) => Ok(()),
        _ => Err(bad(format!("`{key}` is a list of strings"))),
    }
}

fn seconds(v: Option<&Value>) -> Option<u64> {
    v.and_then(Value::as_u64)
}

fn chapter(i: usize, c: &Value) -> Result<(), ApiError> {
    let at = |k: &str| format!("`chapters[{i}].{k}`");
    let obj = c
        .as_object()
        .ok_or_else(|| bad(format!("`chapters[{i}]` is an object")))?;
    if !obj.get("title").is_some_and(Value::is_string) {
        return Err(bad(format!("{} is a string", at("title"))));
    }
    let start = seconds(obj.get("startSeconds"))
        .ok_or_else(|| bad(format!("{} is a whole number ≥ 0", at("startSeconds"))))?;
    match obj.get("endSeconds") {
        None | Some(Value::Null) => {}
        Some(v) => match v.as_u64() {
            Some(end) if end >= start => {}
            _ => {
                return Err(bad(format!(
                    "{} is a whole number ≥ startSeconds",
                    at("endSeconds")
                )));
            }
        },
    }
    match obj.get("summary") {
        None | Some(Value::Null | Value::String(_)) => Ok(()),
        Some(_) => Err(bad(format!("{} is a string", at("summary")))),
    }
}

/// `v` when it has the documented shape, else `BAD_USER_INPUT` on `aiGeneratedContent`.
pub fn validate(v: Value) -> Result<Value, ApiError> {
    let obj = v
        .as_object()
        .ok_or_else(|| bad("the content is a JSON object".into()))?;
    if let Some(s) = obj.get("summary")
        && !s.is_string()
    {
        return Err(bad("`summary` is a string".into()));
    }
    for key in ["keyPoints", "topics"] {
        if let Some(list) = obj.get(key) {
            strings(list, key)?;
        }
    }
    if let Some(chapters) = obj.get("chapters") {
        let list = chapters
            .as_array()
            .ok_or_else(|| bad("`chapters` is a list".into()))?;
        for (i, c) in list.iter().enumerate() {
            chapter(i, c)?;
        }
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::validate;
    use serde_json::json;

    #[test]
    fn the_documented_shape_passes() {
        let ok = json!({
            "summary": "s", "keyPoints": ["a"], "topics": [],
            "chapters": [{"title": "Intro", "startSeconds": 0}, {"title": "B", "startSeconds": 5, "endSeconds": 9, "summary": "x"}],
            "extra": 1
        });
        assert!(validate(ok).is_ok());
        assert!(validate(json!({})).is_ok());
    }

    #[test]
    fn wrong_types_are_refused() {
        for bad in [
            json!([1]),
            json!("text"),
            json!({"summary": 1}),
            json!({"keyPoints": "a"}),
            json!({"topics": [1]}),
            json!({"chapters": {}}),
            json!({"chapters": [{"startSeconds": 0}]}),
            json!({"chapters": [{"title": "a", "startSeconds": -1}]}),
            json!({"chapters": [{"title": "a", "startSeconds": 5, "endSeconds": 2}]}),
            json!({"chapters": [{"title": "a", "startSeconds": 5, "summary": 3}]}),
        ] {
            assert!(validate(bad.clone()).is_err(), "{bad}");
        }
    }
}
