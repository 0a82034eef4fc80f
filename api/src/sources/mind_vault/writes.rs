//! The `mind_vault` source's own operations: creating video summaries from YouTube URLs, their
//! processing status flow with typed AI-generated content (validated on input, answered typed
//! as `aiContent`), the tag and category vocabularies and their links to summaries, keyframes,
//! deleting summaries and keyframes, and the viewer's filtered summary list.
//!
//! Every operation needs a Mind-vault bearer token whose subject is an existing `user.id`,
//! and touches only the viewer's own summaries (another user's summary is `NOT_FOUND`), as the
//! seed's DAO scopes every query to the signed-in user. Mutations answer the written row as
//! the read layer sees it. Arguments are validated first (`BAD_USER_INPUT` naming them).

mod content;
mod service;
mod youtube;

pub use content::COMPUTED;

use async_graphql::dynamic::{
    Field, FieldFuture, FieldValue, InputValue, ResolverContext, Type, TypeRef,
};
use async_graphql::{ErrorExtensions, Value};
use migration::Database;
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, Query};

use super::PROCESSING_STATUS;
use crate::error::{ApiError, OrGql};
use crate::graphql::connection::Conn;
use crate::graphql::filter::input_cell;
use crate::graphql::payload::Removal;
use crate::graphql::plan::Plan;
use crate::graphql::schema::committed;
use crate::graphql::schema::{connection_args, data, described as table, lookup_column};
use crate::graphql::spec::{Kind, Source};
use crate::graphql::sql::qcol;
use crate::graphql::value::{Cell, Key};
use service::{NewKeyframe, NewSummary, Vocab};

/// Longest title, description, channel name or URL accepted.
const MAX_TEXT: usize = 10_000;

/// A string argument, trimmed; `None` when absent, null or blank.
fn text(ctx: &ResolverContext<'_>, name: &str) -> Result<Option<String>, ApiError> {
    let Some(v) = ctx.args.get(name).filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let s = v
        .string()
        .map_err(|_| ApiError::input(name, "expected a string"))?
        .trim();
    if s.chars().count() > MAX_TEXT {
        return Err(ApiError::input(
            name,
            format!("at most {MAX_TEXT} characters"),
        ));
    }
    Ok((!s.is_empty()).then(|| s.to_owned()))
}

/// A required, non-blank string argument.
fn required(ctx: &ResolverContext<'_>, name: &str) -> Result<String, ApiError> {
    text(ctx, name)?.ok_or_else(|| ApiError::input(name, "must not be blank"))
}

/// An optional whole number argument ≥ 0.
fn seconds(ctx: &ResolverContext<'_>, name: &str) -> Result<Option<i32>, ApiError> {
    match ctx.args.get(name).filter(|v| !v.is_null()) {
        None => Ok(None),
        Some(v) => match v.i64().ok().and_then(|n| i32::try_from(n).ok()) {
            Some(n) if n >= 0 => Ok(Some(n)),
            _ => Err(ApiError::input(name, "a number of seconds ≥ 0")),
        },
    }
}

/// The processing status argument `name`.
fn status(ctx: &ResolverContext<'_>, name: &str) -> Result<Option<String>, ApiError> {
    match ctx.args.get(name).map(|v| v.as_value().clone()) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => match input_cell(Kind::Enum(&PROCESSING_STATUS), &v, name)? {
            Cell::Text(s) => Ok(Some(s)),
            _ => Err(ApiError::input(name, "expected a processing status")),
        },
    }
}

/// A list of ids argument (absent or null: empty).
fn ids(ctx: &ResolverContext<'_>, name: &str) -> Result<Vec<String>, ApiError> {
    let Some(v) = ctx.args.get(name).filter(|v| !v.is_null()) else {
        return Ok(Vec::new());
    };
    let list = v
        .list()
        .map_err(|_| ApiError::input(name, "expected a list of ids"))?;
    list.iter()
        .map(|v| {
            v.string()
                .map(str::to_owned)
                .map_err(|_| ApiError::input(name, "expected a list of ids"))
        })
        .collect()
}

fn arg(name: &str, ty: TypeRef, doc: &str) -> InputValue {
    InputValue::new(name, ty).description(doc)
}

fn id_arg(name: &str, doc: &str) -> InputValue {
    arg(name, TypeRef::named_nn(TypeRef::STRING), doc)
}

/// Query fields of this source beyond the generic ones.
pub fn queries(source: &'static Source) -> Vec<Field> {
    let field = Field::new(
        "summaries",
        TypeRef::named_nn("MindVaultVideoSummaryConnection"),
        move |ctx| {
            FieldFuture::new(async move {
                let st = status(&ctx, "status").gql()?;
                let tags = ids(&ctx, "tagIds").gql()?;
                let categories = ids(&ctx, "categoryIds").gql()?;
                let data = data(&ctx)?;
                let actor = service::actor(&data.viewer).gql()?;
                let t = table(source, "video_summary").gql()?;
                let pk = lookup_column(t, "id").gql()?;
                let mut cond = Condition::all().add(qcol("video_summary", "user_id").eq(actor.as_str()));
                if let Some(s) = &st {
                    cond = cond.add(qcol("video_summary", "processing_status").eq(s.as_str()));
                }
                for (vocab, list) in [(Vocab::Tag, &tags), (Vocab::Category, &categories)] {
                    let (link, column) = vocab.link();
                    for id in list {
                        let linked = Query::select()
                            .column(Alias::new("video_summary_id"))
                            .from(Alias::new(link))
                            .and_where(Expr::col(Alias::new(column)).eq(id.as_str()))
                            .to_owned();
                        cond = cond.add(qcol("video_summary", "id").in_subquery(linked));
                    }
                }
                let key = format!(
                    "summaries:{actor}:{}:{}:{}",
                    st.unwrap_or_default(),
                    tags.join(","),
                    categories.join(",")
                );
                let conn = Conn::new(
                    &Plan::of(ctx.ctx.field()),
                    t,
                    pk,
                    None,
                    data.scope(source, t),
                )
                .gql()?
                .restrict(cond, &key);
                Ok(Some(FieldValue::owned_any(conn)))
            })
        },
    )
    .description("The viewer's video summaries, optionally only those in a processing status, carrying every given tag and every given category; pages, filters and orders like any list. UNAUTHENTICATED without a Mind-vault token.")
    .argument(arg("status", TypeRef::named(PROCESSING_STATUS.name), "Only summaries in this processing status."))
    .argument(arg("tagIds", TypeRef::named_nn_list(TypeRef::STRING), "Only summaries carrying every one of these tags."))
    .argument(arg("categoryIds", TypeRef::named_nn_list(TypeRef::STRING), "Only summaries in every one of these categories."));
    vec![connection_args(
        field,
        source,
        source.table("video_summary"),
    )]
}

type Resolver = for<'a> fn(ResolverContext<'a>, &'static Source) -> FieldFuture<'a>;

fn field(source: &'static Source, name: &str, ty: &str, doc: &str, resolve: Resolver) -> Field {
    Field::new(name, TypeRef::named_nn(ty), move |ctx| resolve(ctx, source)).description(doc)
}

/// A link mutation (`attachTag` …): answers the summary.
fn link_field(source: &'static Source, name: &str, vocab: Vocab, attach: bool) -> Field {
    let what = vocab.table();
    let (arg_name, doc) = match (vocab, attach) {
        (Vocab::Tag, true) => (
            "tagId",
            "Attaches a tag to one of the viewer's summaries; attaching twice is a no-op. NOT_FOUND for another user's summary or a missing tag.",
        ),
        (Vocab::Tag, false) => (
            "tagId",
            "Detaches a tag from one of the viewer's summaries; detaching an absent tag is a no-op.",
        ),
        (Vocab::Category, true) => (
            "categoryId",
            "Puts one of the viewer's summaries in a category; doing it twice is a no-op. NOT_FOUND for another user's summary or a missing category.",
        ),
        (Vocab::Category, false) => (
            "categoryId",
            "Takes one of the viewer's summaries out of a category; a no-op when it is not in it.",
        ),
    };
    Field::new(
        name,
        TypeRef::named_nn("MindVaultVideoSummary"),
        move |ctx| {
            FieldFuture::new(async move {
                let summary = required(&ctx, "summaryId").gql()?;
                let target = required(&ctx, arg_name).gql()?;
                let data = data(&ctx)?;
                let db = data.conns.get(Database::MindVault).gql()?;
                let actor = service::actor(&data.viewer).gql()?;
                committed(&ctx, source, "video_summary", async {
                    service::link(db, &actor, &summary, vocab, &target, attach)
                        .await
                        .map(|_| Key::Text(summary))
                })
                .await
            })
        },
    )
    .description(doc)
    .argument(id_arg("summaryId", "The viewer's video summary."))
    .argument(id_arg(arg_name, &format!("The {what}.")))
}

/// A vocabulary creation (`createTag`, `createCategory`).
fn vocab_field(source: &'static Source, name: &str, vocab: Vocab, ty: &str) -> Field {
    let what = vocab.table();
    Field::new(name, TypeRef::named_nn(ty), move |ctx| {
        FieldFuture::new(async move {
            let n = required(&ctx, "name").gql()?;
            if n.chars().count() > service::MAX_NAME {
                return Err(ApiError::input(
                    "name",
                    format!("at most {} characters", service::MAX_NAME),
                )
                .extend());
            }
            let description = text(&ctx, "description").gql()?;
            let data = data(&ctx)?;
            let db = data.conns.get(Database::MindVault).gql()?;
            service::actor(&data.viewer).gql()?;
            committed(&ctx, source, what, async { service::create_vocab(db, vocab, &n, description).await.map(Key::Text) }).await
        })
    })
    .description(format!("Creates a {what} of the shared vocabulary (names are unique: CONFLICT when taken; trimmed, 1 to 100 characters)."))
    .argument(arg("name", TypeRef::named_nn(TypeRef::STRING), "Its name."))
    .argument(arg("description", TypeRef::named(TypeRef::STRING), "Its description."))
}

/// Mutation fields of this source and the extra types they need.
pub fn mutations(source: &'static Source) -> (Vec<Field>, Vec<Type>) {
    let create = field(source, "createVideoSummary", "MindVaultVideoSummary", "Creates a pending summary of a YouTube video for the viewer. `youtubeUrl` may be any common form (watch?v=, youtu.be/, embed/, shorts/, live/, v/, on www., m., music. or youtube-nocookie.com, with extra parameters and timestamps); a bare video id or another URL is BAD_USER_INPUT. The same video twice for one user is CONFLICT. Without a title the summary is titled `YouTube video <id>`; the thumbnail is YouTube's `hqdefault` image.", |ctx, source| {
        FieldFuture::new(async move {
            let url = required(&ctx, "youtubeUrl").gql()?;
            let youtube_id = youtube::video_id(&url).ok_or_else(|| ApiError::input("youtubeUrl", "not a YouTube video URL").extend())?;
            let new = NewSummary {
                url,
                youtube_id,
                title: text(&ctx, "title").gql()?,
                description: text(&ctx, "description").gql()?,
                channel_name: text(&ctx, "channelName").gql()?,
                duration: seconds(&ctx, "duration").gql()?,
            };
            let data = data(&ctx)?;
            let db = data.conns.get(Database::MindVault).gql()?;
            let actor = service::actor(&data.viewer).gql()?;
            committed(&ctx, source, "video_summary", async { service::create_summary(db, &actor, new).await.map(Key::Text) }).await
        })
    })
    .argument(arg("youtubeUrl", TypeRef::named_nn(TypeRef::STRING), "URL of the YouTube video."))
    .argument(arg("title", TypeRef::named(TypeRef::STRING), "Title of the video."))
    .argument(arg("description", TypeRef::named(TypeRef::STRING), "Description of the video."))
    .argument(arg("channelName", TypeRef::named(TypeRef::STRING), "Name of the channel."))
    .argument(arg("duration", TypeRef::named(TypeRef::INT), "Duration in seconds (≥ 0)."));

    let update = field(source, "updateProcessingStatus", "MindVaultVideoSummary", "Moves one of the viewer's summaries along `pending → processing → completed | failed` (a pending one may also fail); any other change is BAD_USER_INPUT on `status`. `failed` needs `error`; `completed` may carry `aiGeneratedContent`, a JSON object whose `summary` is a string, `keyPoints` and `topics` lists of strings, and `chapters` a list of `{title, startSeconds, endSeconds?, summary?}`.", |ctx, source| {
        FieldFuture::new(async move {
            let id = required(&ctx, "id").gql()?;
            let to = status(&ctx, "status").gql()?.ok_or_else(|| ApiError::input("status", "required").extend())?;
            let error = text(&ctx, "error").gql()?;
            let content = match ctx.args.get("aiGeneratedContent").filter(|v| !v.is_null()) {
                None => None,
                Some(v) => {
                    let json = v.as_value().clone().into_json().map_err(|_| ApiError::input("aiGeneratedContent", "expected JSON").extend())?;
                    Some(content::validate(json).gql()?)
                }
            };
            match to.as_str() {
                "failed" if error.is_none() => return Err(ApiError::input("error", "a failure needs its error text").extend()),
                "failed" => {}
                _ if error.is_some() => return Err(ApiError::input("error", "only a failure carries an error").extend()),
                _ => {}
            }
            if content.is_some() && to != "completed" {
                return Err(ApiError::input("aiGeneratedContent", "only a completed summary carries content").extend());
            }
            let data = data(&ctx)?;
            let db = data.conns.get(Database::MindVault).gql()?;
            let actor = service::actor(&data.viewer).gql()?;
            committed(&ctx, source, "video_summary", async { service::update_status(db, &actor, &id, &to, error, content).await.map(|_| Key::Text(id)) }).await
        })
    })
    .argument(id_arg("id", "The viewer's video summary."))
    .argument(arg("status", TypeRef::named_nn(PROCESSING_STATUS.name), "The new status."))
    .argument(arg("error", TypeRef::named(TypeRef::STRING), "Why processing failed (required for `failed`, refused otherwise)."))
    .argument(arg("aiGeneratedContent", TypeRef::named("JSON"), "The generated content (only with `completed`)."));

    let keyframe = field(source, "addKeyframe", "MindVaultKeyframe", "Adds a keyframe to one of the viewer's summaries, at `timestamp` seconds (within the video's duration when known). A summary's keyframes read ordered by timestamp.", |ctx, source| {
        FieldFuture::new(async move {
            let summary = required(&ctx, "summaryId").gql()?;
            let timestamp = seconds(&ctx, "timestamp").gql()?.ok_or_else(|| ApiError::input("timestamp", "required").extend())?;
            let image_url = required(&ctx, "imageUrl").gql()?;
            if !(image_url.starts_with("https://") || image_url.starts_with("http://")) {
                return Err(ApiError::input("imageUrl", "an http(s) URL").extend());
            }
            let new = NewKeyframe { timestamp, image_url, description: text(&ctx, "description").gql()? };
            let data = data(&ctx)?;
            let db = data.conns.get(Database::MindVault).gql()?;
            let actor = service::actor(&data.viewer).gql()?;
            committed(&ctx, source, "keyframe", async { service::add_keyframe(db, &actor, &summary, new).await.map(Key::Text) }).await
        })
    })
    .argument(id_arg("summaryId", "The viewer's video summary."))
    .argument(arg("timestamp", TypeRef::named_nn(TypeRef::INT), "Offset in the video, in seconds (≥ 0)."))
    .argument(arg("imageUrl", TypeRef::named_nn(TypeRef::STRING), "URL of the keyframe image (http or https)."))
    .argument(arg("description", TypeRef::named(TypeRef::STRING), "What the keyframe shows."));

    let fields = vec![
        create,
        update,
        delete_field(
            source,
            "deleteVideoSummary",
            "Deletes one of the viewer's summaries for good, with its keyframes and its tag and category links (the tags and categories stay). NOT_FOUND for a missing summary or another user's.",
            true,
        ),
        vocab_field(source, "createTag", Vocab::Tag, "MindVaultTag"),
        vocab_field(
            source,
            "createCategory",
            Vocab::Category,
            "MindVaultCategory",
        ),
        link_field(source, "attachTag", Vocab::Tag, true),
        link_field(source, "detachTag", Vocab::Tag, false),
        link_field(source, "attachCategory", Vocab::Category, true),
        link_field(source, "detachCategory", Vocab::Category, false),
        keyframe,
        delete_field(
            source,
            "deleteKeyframe",
            "Deletes a keyframe of one of the viewer's summaries. NOT_FOUND for a missing keyframe or one of another user's summary.",
            false,
        ),
    ];
    let mut types = content::types();
    types.extend(deleted_types(source));
    (fields, types)
}

/// The payloads of `deleteVideoSummary` and `deleteKeyframe`.
fn deleted_types(source: &'static Source) -> Vec<Type> {
    use crate::graphql::payload::{Changed, payload};
    let summary = Changed {
        field: "videoSummary",
        ty: "MindVaultVideoSummary",
        union: false,
        doc: "The summary the keyframe belonged to.",
    };
    vec![
        payload(
            source,
            "MindVaultDeleteVideoSummaryPayload",
            "What `deleteVideoSummary` removed.",
            Some("video summary"),
            &[],
        )
        .into(),
        payload(
            source,
            "MindVaultDeleteKeyframePayload",
            "What `deleteKeyframe` removed and changed.",
            Some("keyframe"),
            &[summary],
        )
        .into(),
    ]
}

/// `deleteVideoSummary` (`summary`) or `deleteKeyframe`: answers the deleted row's global id
/// (and the keyframe's summary).
fn delete_field(source: &'static Source, name: &str, doc: &str, summary: bool) -> Field {
    let what = if summary {
        "The viewer's video summary."
    } else {
        "The keyframe, on one of the viewer's summaries."
    };
    let payload = if summary {
        "MindVaultDeleteVideoSummaryPayload"
    } else {
        "MindVaultDeleteKeyframePayload"
    };
    Field::new(name, TypeRef::named_nn(payload), move |ctx| {
        FieldFuture::new(async move {
            let id = required(&ctx, "id").gql()?;
            let data = data(&ctx)?;
            let db = data.conns.get(Database::MindVault).gql()?;
            let actor = service::actor(&data.viewer).gql()?;
            let key = Some(Key::Text(id.clone()));
            let removal = if summary {
                service::delete_summary(db, &actor, &id).await.gql()?;
                Removal::of(table(source, "video_summary").gql()?, key)
            } else {
                let parent = service::delete_keyframe(db, &actor, &id).await.gql()?;
                Removal::of(table(source, "keyframe").gql()?, key).changed(
                    "videoSummary",
                    table(source, "video_summary").gql()?,
                    Key::Text(parent),
                )
            };
            removal.answer(&ctx)
        })
    })
    .description(doc)
    .argument(id_arg("id", what))
}
