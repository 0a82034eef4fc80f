//! The typed shape of `video_summary.ai_generated_content`, checked before it is stored.
//!
//! A JSON object whose known keys, when present, have these types (other keys are kept as
//! given):
//! - `summary`: string;
//! - `keyPoints`: list of strings;
//! - `topics`: list of strings;
//! - `chapters`: list of `{ title: string, startSeconds: int ≥ 0, endSeconds?: int ≥
//!   startSeconds, summary?: string }` (offsets fit a GraphQL `Int`).
//!
//! The same shape is answered typed as `MindVaultVideoSummary.aiContent` ([`COMPUTED`]), beside
//! the raw `aiGeneratedContent` JSON (which keeps any other key).

use async_graphql::Value as Gql;
use async_graphql::dynamic::{Field, FieldFuture, FieldValue, Object, Type, TypeRef};
use serde_json::Value;

use crate::error::ApiError;
use crate::graphql::schema::computed_rows;
use crate::graphql::spec::{Computed, Source};
use crate::graphql::value::Cell;

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

/// A whole number of seconds ≥ 0 that fits a GraphQL `Int`.
fn seconds(v: Option<&Value>) -> Option<u64> {
    v.and_then(Value::as_u64)
        .filter(|n| i32::try_from(*n).is_ok())
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
        Some(v) => match seconds(Some(v)) {
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

/// One chapter of [`Content`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chapter {
    /// Title.
    pub title: String,
    /// Start offset in seconds.
    pub start: i32,
    /// End offset in seconds, when given.
    pub end: Option<i32>,
    /// Summary of the chapter, when given.
    pub summary: Option<String>,
}

/// The typed reading of stored content.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Content {
    /// Overall summary.
    pub summary: Option<String>,
    /// Key points (empty when absent).
    pub key_points: Vec<String>,
    /// Topics (empty when absent).
    pub topics: Vec<String>,
    /// Chapters (empty when absent).
    pub chapters: Vec<Chapter>,
}

fn string_list(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn offset(v: Option<&Value>) -> Option<i32> {
    seconds(v).and_then(|n| i32::try_from(n).ok())
}

/// Stored content read as [`Content`]; `None` unless it is an object. Content the gateway
/// stored always has the documented shape; of a value written around it, only the parts of
/// that shape are read (a chapter without a title or start is left out).
pub fn read(v: &Value) -> Option<Content> {
    let obj = v.as_object()?;
    let chapters = obj
        .get("chapters")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|c| {
                    let title = c.get("title")?.as_str()?.to_owned();
                    let start = offset(c.get("startSeconds"))?;
                    Some(Chapter {
                        title,
                        start,
                        end: offset(c.get("endSeconds")),
                        summary: c.get("summary").and_then(Value::as_str).map(str::to_owned),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    Some(Content {
        summary: obj
            .get("summary")
            .and_then(Value::as_str)
            .map(str::to_owned),
        key_points: string_list(obj.get("keyPoints")),
        topics: string_list(obj.get("topics")),
        chapters,
    })
}

/// GraphQL name of the typed content.
const CONTENT: &str = "MindVaultAiContent";
/// GraphQL name of a chapter.
const CHAPTER: &str = "MindVaultChapter";

/// `MindVaultVideoSummary.aiContent`. The generic layer adds fields to a table's type only
/// through such entries, and a computed field reads described columns, so the raw JSON column
/// stays listed beside it; the summaries of a level are read again in one statement (keyed by
/// id, under the summaries' access rule).
pub static COMPUTED: &[Computed] = &[Computed {
    on: "video_summary",
    field: "aiContent",
    table: "video_summary",
    key_column: "id",
    columns: &["id", "ai_generated_content"],
    define: content_field,
}];

fn content_field(source: &'static Source, _computed: &'static Computed) -> Field {
    Field::new("aiContent", TypeRef::named(CONTENT), move |ctx| {
        FieldFuture::new(async move {
            let rows = computed_rows(&ctx, source).await?;
            let content = match rows.first().map(|r| r.get("ai_generated_content")) {
                Some(Cell::Json(v)) => read(v),
                _ => None,
            };
            Ok(content.map(FieldValue::owned_any))
        })
    })
    .description("The AI-generated content, typed (summary, key points, topics, chapters); null while there is none. `aiGeneratedContent` answers it raw, with any other key.")
}

/// A field of a typed object answered from its Rust value `T`.
fn typed<T: Send + Sync + 'static>(
    name: &str,
    ty: TypeRef,
    doc: &str,
    get: fn(&T) -> Option<FieldValue<'static>>,
) -> Field {
    Field::new(name, ty, move |ctx| {
        FieldFuture::new(async move {
            let v = ctx.parent_value.try_downcast_ref::<T>()?;
            Ok(get(v))
        })
    })
    .description(doc)
}

fn text(s: &str) -> FieldValue<'static> {
    FieldValue::value(Gql::String(s.to_owned()))
}

fn texts(list: &[String]) -> Option<FieldValue<'static>> {
    Some(FieldValue::list(list.iter().map(|s| text(s))))
}

fn int(n: i32) -> FieldValue<'static> {
    FieldValue::value(Gql::Number(n.into()))
}

/// The typed content's GraphQL types.
pub fn types() -> Vec<Type> {
    let strings = || TypeRef::named_nn_list_nn(TypeRef::STRING);
    let content = Object::new(CONTENT)
        .description(
            "AI-generated content of a video summary, as `updateProcessingStatus` validates it.",
        )
        .field(typed::<Content>(
            "summary",
            TypeRef::named(TypeRef::STRING),
            "Overall summary of the video.",
            |c| c.summary.as_deref().map(text),
        ))
        .field(typed::<Content>(
            "keyPoints",
            strings(),
            "Key points (empty when none were given).",
            |c| texts(&c.key_points),
        ))
        .field(typed::<Content>(
            "topics",
            strings(),
            "Topics (empty when none were given).",
            |c| texts(&c.topics),
        ))
        .field(typed::<Content>(
            "chapters",
            TypeRef::named_nn_list_nn(CHAPTER),
            "Chapters in the order given (empty when none were given).",
            |c| {
                Some(FieldValue::list(
                    c.chapters.iter().cloned().map(FieldValue::owned_any),
                ))
            },
        ));
    let chapter = Object::new(CHAPTER)
        .description("A chapter of a summarized video.")
        .field(typed::<Chapter>(
            "title",
            TypeRef::named_nn(TypeRef::STRING),
            "Title of the chapter.",
            |c| Some(text(&c.title)),
        ))
        .field(typed::<Chapter>(
            "startSeconds",
            TypeRef::named_nn(TypeRef::INT),
            "Where it starts, in seconds.",
            |c| Some(int(c.start)),
        ))
        .field(typed::<Chapter>(
            "endSeconds",
            TypeRef::named(TypeRef::INT),
            "Where it ends, in seconds, when given.",
            |c| c.end.map(int),
        ))
        .field(typed::<Chapter>(
            "summary",
            TypeRef::named(TypeRef::STRING),
            "Summary of the chapter, when given.",
            |c| c.summary.as_deref().map(text),
        ));
    vec![Type::from(content), Type::from(chapter)]
}

#[cfg(test)]
mod tests {
    use super::{Chapter, Content, read, validate};
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
            json!({"chapters": [{"title": "a", "startSeconds": 3_000_000_000_u64}]}),
        ] {
            assert!(validate(bad.clone()).is_err(), "{bad}");
        }
    }

    #[test]
    fn stored_content_reads_typed() {
        let c = read(&json!({
            "summary": "s", "keyPoints": ["a", 1, "b"], "extra": true,
            "chapters": [{"title": "Intro", "startSeconds": 0, "endSeconds": 9, "summary": "x"}, {"title": "no start"}]
        }));
        let want = Content {
            summary: Some("s".into()),
            key_points: vec!["a".into(), "b".into()],
            topics: Vec::new(),
            chapters: vec![Chapter {
                title: "Intro".into(),
                start: 0,
                end: Some(9),
                summary: Some("x".into()),
            }],
        };
        assert_eq!(c, Some(want));
        assert_eq!(read(&json!({})), Some(Content::default()));
        assert_eq!(read(&json!([1])), None);
    }
}
