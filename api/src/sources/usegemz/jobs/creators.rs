//! The four `scraping_results.creators` shapes of the seed (UG-J01) as data: one description
//! drives both the validation of appended creators and the GraphQL object types they are read
//! as, so the two cannot drift apart.
//!
//! Keys are matched byte for byte (camelCase for TikTok and YouTube, snake_case for Instagram):
//! a missing key, a key of the wrong type and an unknown key (a wrongly cased one included) are
//! all `BAD_USER_INPUT` naming the exact path, e.g. `creators[3].creator.followers`.

use serde_json::Value;

use super::super::enums::{PLATFORM, SEARCH_TYPE};
use crate::error::ApiError;
use crate::graphql::spec::EnumDef;

/// The JSON type of one key of a shape.
#[derive(Debug, Clone, Copy)]
pub enum Ty {
    /// A string.
    Str,
    /// A non-negative integer that fits GraphQL `Int` (follower counts, lengths).
    Int,
    /// A non-negative 64-bit integer, answered as `BigInt` (view and like counts can pass 2³¹).
    Count,
    /// A boolean.
    Bool,
    /// An array of strings.
    StrList,
    /// Exactly this stored value of an enum (the shape's discriminator).
    Lit(&'static EnumDef, &'static str),
    /// A nested object.
    Obj(&'static Obj),
}

/// One key of a shape.
#[derive(Debug)]
pub struct Key {
    /// The JSON key, exact casing.
    pub key: &'static str,
    /// Its type.
    pub ty: Ty,
    /// Description of the GraphQL field.
    pub doc: &'static str,
}

/// An object shape and the GraphQL type it is read as.
#[derive(Debug)]
pub struct Obj {
    /// GraphQL type name.
    pub type_name: &'static str,
    /// Its description.
    pub doc: &'static str,
    /// Its keys (all required).
    pub keys: &'static [Key],
}

const fn k(key: &'static str, ty: Ty, doc: &'static str) -> Key {
    Key { key, ty, doc }
}

static TIKTOK_KEYWORD_PROFILE: Obj = Obj {
    type_name: "UsegemzTikTokKeywordProfile",
    doc: "The TikTok creator behind a video found by keyword.",
    keys: &[
        k("name", Ty::Str, "Display name."),
        k("followers", Ty::Int, "Follower count."),
        k(
            "avatarUrl",
            Ty::Str,
            "Avatar (through the app's image proxy).",
        ),
        k(
            "profilePicUrl",
            Ty::Str,
            "Profile picture (through the app's image proxy).",
        ),
        k("bio", Ty::Str, "Bio, which may contain e-mail addresses."),
        k(
            "emails",
            Ty::StrList,
            "E-mail addresses extracted from the bio.",
        ),
        k("uniqueId", Ty::Str, "Handle, e.g. `@creatorhandle`."),
        k("verified", Ty::Bool, "Whether TikTok verified the creator."),
    ],
};

static TIKTOK_STATISTICS: Obj = Obj {
    type_name: "UsegemzTikTokVideoStatistics",
    doc: "Engagement counts of a TikTok video.",
    keys: &[
        k("likes", Ty::Count, "Likes."),
        k("comments", Ty::Count, "Comments."),
        k("shares", Ty::Count, "Shares."),
        k("views", Ty::Count, "Views."),
    ],
};

static TIKTOK_VIDEO: Obj = Obj {
    type_name: "UsegemzTikTokVideo",
    doc: "The TikTok video that matched the keywords.",
    keys: &[
        k("description", Ty::Str, "Title / description."),
        k("url", Ty::Str, "Link to the video."),
        k(
            "statistics",
            Ty::Obj(&TIKTOK_STATISTICS),
            "Engagement counts.",
        ),
    ],
};

/// TikTok, keyword search.
pub static TIKTOK_KEYWORD: Obj = Obj {
    type_name: "UsegemzTikTokKeywordCreator",
    doc: "A creator found on TikTok by keyword search: the creator, the matching video and its hashtags.",
    keys: &[
        k("creator", Ty::Obj(&TIKTOK_KEYWORD_PROFILE), "The creator."),
        k("video", Ty::Obj(&TIKTOK_VIDEO), "The matching video."),
        k(
            "hashtags",
            Ty::StrList,
            "Hashtags of the video, with their leading `#`.",
        ),
        k("platform", Ty::Lit(&PLATFORM, "TikTok"), "Always `TIKTOK`."),
    ],
};

static TIKTOK_SIMILAR_PROFILE: Obj = Obj {
    type_name: "UsegemzTikTokSimilarProfile",
    doc: "A TikTok creator similar to the searched one.",
    keys: &[
        k("name", Ty::Str, "Display name."),
        k("followers", Ty::Int, "Follower count."),
        k(
            "avatarUrl",
            Ty::Str,
            "Avatar (through the app's image proxy).",
        ),
        k("bio", Ty::Str, "Bio, which may contain e-mail addresses."),
        k(
            "emails",
            Ty::StrList,
            "E-mail addresses extracted from the bio.",
        ),
        k("uniqueId", Ty::Str, "Handle, e.g. `@creatorhandle`."),
    ],
};

/// TikTok, similar search.
pub static TIKTOK_SIMILAR: Obj = Obj {
    type_name: "UsegemzTikTokSimilarCreator",
    doc: "A creator found on TikTok as similar to a target username.",
    keys: &[
        k("creator", Ty::Obj(&TIKTOK_SIMILAR_PROFILE), "The creator."),
        k("platform", Ty::Lit(&PLATFORM, "TikTok"), "Always `TIKTOK`."),
        k(
            "searchType",
            Ty::Lit(&SEARCH_TYPE, "similar"),
            "Always `SIMILAR`.",
        ),
        k(
            "targetUsername",
            Ty::Str,
            "The username the creator is similar to, e.g. `@originalcreator`.",
        ),
    ],
};

/// Instagram, similar search (flat, snake_case keys).
pub static INSTAGRAM_SIMILAR: Obj = Obj {
    type_name: "UsegemzInstagramSimilarCreator",
    doc: "A creator found on Instagram as similar to a target username (the seed's flat snake_case record).",
    keys: &[
        k("id", Ty::Str, "Instagram user id."),
        k("username", Ty::Str, "Username."),
        k("full_name", Ty::Str, "Full name."),
        k("is_private", Ty::Bool, "Whether the account is private."),
        k(
            "is_verified",
            Ty::Bool,
            "Whether Instagram verified the account.",
        ),
        k("profile_pic_url", Ty::Str, "Profile picture."),
        k(
            "platform",
            Ty::Lit(&PLATFORM, "Instagram"),
            "Always `INSTAGRAM`.",
        ),
    ],
};

static YOUTUBE_CHANNEL: Obj = Obj {
    type_name: "UsegemzYouTubeChannel",
    doc: "The YouTube channel behind a video found by keyword.",
    keys: &[
        k("name", Ty::Str, "Channel name."),
        k(
            "followers",
            Ty::Int,
            "Subscriber count (the keyword search always answers 0 here).",
        ),
        k("avatarUrl", Ty::Str, "Channel avatar."),
    ],
};

static YOUTUBE_STATISTICS: Obj = Obj {
    type_name: "UsegemzYouTubeVideoStatistics",
    doc: "Counts of a YouTube video (the keyword search answers 0 for likes and comments).",
    keys: &[
        k("views", Ty::Count, "Views."),
        k("likes", Ty::Count, "Likes (always 0 in this shape)."),
        k("comments", Ty::Count, "Comments (always 0 in this shape)."),
    ],
};

static YOUTUBE_VIDEO: Obj = Obj {
    type_name: "UsegemzYouTubeVideo",
    doc: "The YouTube video that matched the keywords.",
    keys: &[
        k("description", Ty::Str, "Video title."),
        k("url", Ty::Str, "Link to the video."),
        k("statistics", Ty::Obj(&YOUTUBE_STATISTICS), "Counts."),
    ],
};

/// YouTube, keyword search.
pub static YOUTUBE_KEYWORD: Obj = Obj {
    type_name: "UsegemzYouTubeKeywordCreator",
    doc: "A channel found on YouTube by keyword search: the channel, the matching video and its details.",
    keys: &[
        k("creator", Ty::Obj(&YOUTUBE_CHANNEL), "The channel."),
        k("video", Ty::Obj(&YOUTUBE_VIDEO), "The matching video."),
        k("hashtags", Ty::StrList, "Hashtags of the video."),
        k(
            "publishedTime",
            Ty::Str,
            "When the video was published, as the platform wrote it (e.g. `2024-01-15`).",
        ),
        k("lengthSeconds", Ty::Int, "Length of the video in seconds."),
        k(
            "platform",
            Ty::Lit(&PLATFORM, "YouTube"),
            "Always `YOUTUBE`.",
        ),
    ],
};

/// The four top-level shapes, the members of the `UsegemzCreator` union.
pub static SHAPES: [&Obj; 4] = [
    &TIKTOK_KEYWORD,
    &TIKTOK_SIMILAR,
    &INSTAGRAM_SIMILAR,
    &YOUTUBE_KEYWORD,
];

/// Every object type the shapes need, nested ones included, each once.
pub fn all_objects() -> Vec<&'static Obj> {
    fn walk(o: &'static Obj, out: &mut Vec<&'static Obj>) {
        if out.iter().any(|x| std::ptr::eq(*x, o)) {
            return;
        }
        out.push(o);
        for key in o.keys {
            if let Ty::Obj(inner) = key.ty {
                walk(inner, out);
            }
        }
    }
    let mut out = Vec::new();
    for s in SHAPES {
        walk(s, &mut out);
    }
    out
}

/// The shape a job's creators must have: by its platform and its search type. `None` for the
/// two combinations the seed gives no shape for (Instagram keyword, YouTube similar, UG-A12).
pub fn expected(platform: &str, search_type: &str) -> Option<&'static Obj> {
    match (platform, search_type) {
        ("TikTok", "keyword") => Some(&TIKTOK_KEYWORD),
        ("TikTok", "similar") => Some(&TIKTOK_SIMILAR),
        ("Instagram", "similar") => Some(&INSTAGRAM_SIMILAR),
        ("YouTube", "keyword") => Some(&YOUTUBE_KEYWORD),
        _ => None,
    }
}

/// The shape a stored creator claims by its discriminators (UG-J01 read rule): Instagram;
/// TikTok with `searchType: "similar"`; other TikTok; YouTube. `None` for anything else.
pub fn discriminate(v: &Value) -> Option<&'static Obj> {
    match v.get("platform").and_then(Value::as_str)? {
        "Instagram" => Some(&INSTAGRAM_SIMILAR),
        "TikTok" if v.get("searchType").and_then(Value::as_str) == Some("similar") => {
            Some(&TIKTOK_SIMILAR)
        }
        "TikTok" => Some(&TIKTOK_KEYWORD),
        "YouTube" => Some(&YOUTUBE_KEYWORD),
        _ => None,
    }
}

/// The typed shape of a stored creator: the one it claims, when it really has it; `None`
/// (read as raw JSON) otherwise.
pub fn typed(v: &Value) -> Option<&'static Obj> {
    discriminate(v).filter(|o| check(o, v, "").is_ok())
}

fn describe(ty: Ty) -> String {
    match ty {
        Ty::Str => "a string".into(),
        Ty::Int => "a non-negative integer below 2^31".into(),
        Ty::Count => "a non-negative integer".into(),
        Ty::Bool => "a boolean".into(),
        Ty::StrList => "an array of strings".into(),
        Ty::Lit(_, v) => format!("the string \"{v}\""),
        Ty::Obj(_) => "an object".into(),
    }
}

/// Checks `v` against `obj`; the error names the offending path below `path`.
pub fn check(obj: &Obj, v: &Value, path: &str) -> Result<(), ApiError> {
    let at = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    let map = v.as_object().ok_or_else(|| {
        ApiError::input(
            if path.is_empty() { "creators" } else { path },
            format!("expected an object of the shape {}", obj.type_name),
        )
    })?;
    // Discriminators first: a record of another platform is reported as such.
    let lits = obj.keys.iter().filter(|k| matches!(k.ty, Ty::Lit(..)));
    let rest = obj.keys.iter().filter(|k| !matches!(k.ty, Ty::Lit(..)));
    for key in lits.chain(rest) {
        let p = at(key.key);
        let Some(value) = map.get(key.key) else {
            return Err(ApiError::input(
                p.clone(),
                format!("`{p}` is missing ({})", describe(key.ty)),
            ));
        };
        let ok = match key.ty {
            Ty::Str => value.is_string(),
            Ty::Int => value.as_u64().is_some_and(|n| i32::try_from(n).is_ok()),
            Ty::Count => value.as_u64().is_some_and(|n| i64::try_from(n).is_ok()),
            Ty::Bool => value.is_boolean(),
            Ty::StrList => value
                .as_array()
                .is_some_and(|a| a.iter().all(Value::is_string)),
            Ty::Lit(_, lit) => value.as_str() == Some(lit),
            Ty::Obj(inner) => {
                check(inner, value, &p)?;
                true
            }
        };
        if !ok {
            return Err(ApiError::input(
                p.clone(),
                format!("`{p}` must be {}", describe(key.ty)),
            ));
        }
    }
    if let Some(extra) = map.keys().find(|k| !obj.keys.iter().any(|x| x.key == *k)) {
        let p = at(extra);
        return Err(ApiError::input(
            p.clone(),
            format!(
                "`{p}` is not a key of {} (keys are case-sensitive)",
                obj.type_name
            ),
        ));
    }
    Ok(())
}

/// Validates a batch of creators for a job of `platform` and `search_type`: a non-empty array
/// of records of the job's shape; for the combinations without a seed shape, objects whose
/// `platform` is the job's (stored as given, read as raw JSON unless they match a shape).
pub fn validate_batch(
    creators: &Value,
    platform: &str,
    search_type: &str,
) -> Result<usize, ApiError> {
    let list = creators
        .as_array()
        .ok_or_else(|| ApiError::input("creators", "expected a JSON array of creators"))?;
    if list.is_empty() {
        return Err(ApiError::input(
            "creators",
            "a batch has at least one creator",
        ));
    }
    let shape = expected(platform, search_type);
    for (i, c) in list.iter().enumerate() {
        let path = format!("creators[{i}]");
        match shape {
            Some(obj) => check(obj, c, &path)?,
            None => {
                let map = c
                    .as_object()
                    .ok_or_else(|| ApiError::input(path.clone(), "expected an object"))?;
                if map.get("platform").and_then(Value::as_str) != Some(platform) {
                    return Err(ApiError::input(
                        format!("{path}.platform"),
                        format!("`{path}.platform` must be the job's platform \"{platform}\""),
                    ));
                }
            }
        }
    }
    Ok(list.len())
}

fn get<'a>(v: &'a Value, paths: &[&[&str]]) -> Option<&'a Value> {
    paths.iter().find_map(|p| {
        p.iter()
            .try_fold(v, |cur, key| cur.get(key))
            .filter(|x| !x.is_null())
    })
}

/// Follower count of a creator (`creator.followers`, or a top-level `followers`).
pub fn followers(v: &Value) -> Option<i64> {
    get(v, &[&["creator", "followers"], &["followers"]]).and_then(Value::as_i64)
}

/// Whether the platform verified a creator (`creator.verified`, `is_verified`, `verified`);
/// shapes without the information count as not verified.
pub fn verified(v: &Value) -> bool {
    get(
        v,
        &[&["creator", "verified"], &["is_verified"], &["verified"]],
    )
    .and_then(Value::as_bool)
    .unwrap_or(false)
}

/// Whether a creator has a contact e-mail (`creator.emails`, `emails`, or `email`).
pub fn has_email(v: &Value) -> bool {
    let listed = get(v, &[&["creator", "emails"], &["emails"]])
        .and_then(Value::as_array)
        .is_some_and(|a| {
            a.iter()
                .any(|e| e.as_str().is_some_and(|s| !s.trim().is_empty()))
        });
    listed
        || get(v, &[&["email"]])
            .and_then(Value::as_str)
            .is_some_and(|s| !s.trim().is_empty())
}

/// The platform a creator names (`platform`).
pub fn platform(v: &Value) -> Option<&str> {
    v.get("platform").and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn tiktok() -> Value {
        json!({
            "creator": { "name": "A", "followers": 150000, "avatarUrl": "/a", "profilePicUrl": "/p",
                "bio": "b", "emails": ["x@y.z"], "uniqueId": "@a", "verified": true },
            "video": { "description": "d", "url": "u",
                "statistics": { "likes": 1, "comments": 2, "shares": 3, "views": 4 } },
            "hashtags": ["#t"],
            "platform": "TikTok"
        })
    }

    fn field(e: ApiError) -> Option<String> {
        match e {
            ApiError::BadUserInput { field, .. } => field,
            _ => None,
        }
    }

    #[test]
    fn shapes_validate_with_exact_paths() {
        let ok = tiktok();
        assert!(check(&TIKTOK_KEYWORD, &ok, "creators[0]").is_ok());
        assert_eq!(
            typed(&ok).map(|o| o.type_name),
            Some("UsegemzTikTokKeywordCreator")
        );
        let mut bad = ok.clone();
        bad["creator"]["followers"] = json!("many");
        let e = check(&TIKTOK_KEYWORD, &bad, "creators[3]").err();
        assert_eq!(
            e.and_then(field).as_deref(),
            Some("creators[3].creator.followers")
        );
        let mut cased = ok.clone();
        if let Some(c) = cased["creator"].as_object_mut() {
            c.remove("avatarUrl");
            c.insert("avatarURL".into(), json!("/a"));
        }
        let e = check(&TIKTOK_KEYWORD, &cased, "creators[0]").err();
        assert_eq!(
            e.and_then(field).as_deref(),
            Some("creators[0].creator.avatarUrl")
        );
        let e = validate_batch(&json!([ok]), "YouTube", "keyword").err();
        assert_eq!(e.and_then(field).as_deref(), Some("creators[0].platform"));
    }

    #[test]
    fn filters_read_every_shape() {
        let t = tiktok();
        assert_eq!(followers(&t), Some(150000));
        assert!(verified(&t) && has_email(&t));
        let ig = json!({ "is_verified": true, "platform": "Instagram" });
        assert!(verified(&ig) && !has_email(&ig) && followers(&ig).is_none());
        assert_eq!(all_objects().len(), 11);
    }
}
