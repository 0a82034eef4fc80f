//! The `character_creation` source's own operations (issue 5).
//!
//! Queries: `viewerQuota`, `characterStats`, `gallery`. Mutations: `requestGeneration`,
//! `generateFromTemplate`, `updateGenerationStatus`, `createCharacter`, `updateCharacter`,
//! `setCharacterPublic`, `deleteCharacter`. Every field but `gallery` needs a
//! `character_creation` token whose subject is a `users.id`; other users' rows answer
//! `NOT_FOUND`, exactly as missing ones.
//!
//! Decisions:
//! - Daily quota: the viewer's generations since UTC midnight, against the tier's limit read
//!   once from `CC_QUOTA_FREE` (default 5), `CC_QUOTA_PREMIUM` (50) and `CC_QUOTA_PRO`
//!   (unlimited); a value `unlimited`, empty or negative means no limit. A request beyond the
//!   quota is `FORBIDDEN` (the input is valid; the tier does not allow it) and writes nothing;
//!   the count and the insert share one transaction, the user row locked on PostgreSQL.
//! - Status flow: PENDING → PROCESSING → COMPLETED | FAILED, nothing else (`BAD_USER_INPUT` on
//!   `status`). FAILED needs `errorMessage`. COMPLETED creates the character in the same
//!   transaction — named `characterName` or after the prompt's first clause, tagged with the
//!   template's tags, private, its image the `resultUrl` — and links it.
//! - Tags are JSON arrays of at most 20 distinct, non-blank strings of at most 50 characters.
//! - `gallery` is the generic characters connection restricted to public characters, a text
//!   (name or prompt, ignoring case), a style and ALL of the given tags.

mod service;

pub use service::Limits;

use async_graphql::dynamic::{
    Field, FieldFuture, FieldValue, InputValue, Object, ResolverContext, Type, TypeRef,
};
use async_graphql::{ErrorExtensions, Name, Value};
use entity::character_creation::sea_orm_active_enums::StyleType;
use migration::Database;
use sea_orm::DbBackend;
use sea_orm::sea_query::{Condition, Expr, ExprTrait, Func, LikeExpr};
use uuid::Uuid;

use super::{GENERATION_STATUS, STYLE_TYPE, SUBSCRIPTION_TIER};
use crate::error::{ApiError, OrGql};
use crate::graphql::connection::Conn;
use crate::graphql::filter::{escape_like, input_cell};
use crate::graphql::plan::Plan;
use crate::graphql::schema::committed;
use crate::graphql::schema::{connection_args, data, lookup_column};
use crate::graphql::spec::{EnumDef, Kind, Source};
use crate::graphql::sql::qcol;
use crate::graphql::value::{Cell, Key};
use service::{CharacterInput, Request, StatusChange};

const QUOTA: &str = "CharacterCreationQuota";
const STATS: &str = "CharacterCreationStats";
const STYLE_COUNT: &str = "CharacterCreationStyleCount";
const STATUS_COUNT: &str = "CharacterCreationStatusCount";

/// The argument's value; `None` when absent or `null`.
fn get(ctx: &ResolverContext<'_>, name: &str) -> Option<Value> {
    match ctx.args.get(name).map(|v| v.as_value().clone()) {
        None | Some(Value::Null) => None,
        v => v,
    }
}

fn opt_uuid(ctx: &ResolverContext<'_>, name: &str) -> Result<Option<Uuid>, ApiError> {
    match get(ctx, name) {
        None => Ok(None),
        Some(v) => match input_cell(Kind::Uuid, &v, name)? {
            Cell::Uuid(u) => Ok(Some(u)),
            _ => Err(ApiError::input(name, "expected a UUID")),
        },
    }
}

fn uuid(ctx: &ResolverContext<'_>, name: &str) -> Result<Uuid, ApiError> {
    opt_uuid(ctx, name)?.ok_or_else(|| ApiError::input(name, "expected a UUID"))
}

fn opt_enum(
    ctx: &ResolverContext<'_>,
    name: &str,
    def: &'static EnumDef,
) -> Result<Option<String>, ApiError> {
    match get(ctx, name) {
        None => Ok(None),
        Some(v) => match input_cell(Kind::Enum(def), &v, name)? {
            Cell::Text(s) => Ok(Some(s)),
            _ => Err(ApiError::input(name, format!("expected a {}", def.name))),
        },
    }
}

fn opt_string(ctx: &ResolverContext<'_>, name: &str) -> Result<Option<String>, ApiError> {
    match get(ctx, name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(ApiError::input(name, "expected a string")),
    }
}

fn opt_json(ctx: &ResolverContext<'_>, name: &str) -> Result<Option<serde_json::Value>, ApiError> {
    get(ctx, name)
        .map(|v| {
            v.into_json()
                .map_err(|_| ApiError::input(name, "expected JSON"))
        })
        .transpose()
}

fn opt_style(ctx: &ResolverContext<'_>, name: &str) -> Result<Option<StyleType>, ApiError> {
    opt_enum(ctx, name, &STYLE_TYPE)?
        .map(|s| service::style(&s, name))
        .transpose()
}

fn arg(name: &str, ty: TypeRef, doc: &str) -> InputValue {
    InputValue::new(name, ty).description(doc)
}

/// The signed-in viewer's `users.id`.
fn viewer(ctx: &ResolverContext<'_>, source: &'static Source) -> Result<Uuid, ApiError> {
    let data = data(ctx).map_err(|e| ApiError::Internal(e.message))?;
    data.viewer.user_in(source.id, "Character Creation")
}

/// An answer value as a field value (lists element by element).
fn field_value(v: Value) -> FieldValue<'static> {
    match v {
        Value::List(items) => FieldValue::list(items.into_iter().map(field_value)),
        v => FieldValue::value(v),
    }
}

/// An object type whose fields read the parent object value by name.
fn value_object(name: &str, doc: &str, fields: &[(&'static str, TypeRef, &str)]) -> Object {
    let mut o = Object::new(name).description(doc);
    for (f, ty, d) in fields {
        let key: &'static str = f;
        o = o.field(
            Field::new(*f, ty.clone(), move |ctx| {
                FieldFuture::new(async move {
                    let v = match ctx.parent_value.as_value() {
                        Some(Value::Object(m)) => m.get(key).cloned().unwrap_or(Value::Null),
                        _ => Value::Null,
                    };
                    Ok(Some(field_value(v)))
                })
            })
            .description(*d),
        );
    }
    o
}

fn enum_value(s: &str) -> Value {
    Value::Enum(Name::new(s))
}

fn object(pairs: Vec<(&str, Value)>) -> Value {
    Value::Object(pairs.into_iter().map(|(k, v)| (Name::new(k), v)).collect())
}

/// The types of the query answers.
fn types() -> Vec<Type> {
    let int = || TypeRef::named_nn(TypeRef::INT);
    vec![
        value_object(
            QUOTA,
            "The viewer's daily generation quota (UTC days).",
            &[
                (
                    "tier",
                    TypeRef::named_nn(SUBSCRIPTION_TIER.name),
                    "The viewer's subscription tier.",
                ),
                (
                    "limit",
                    TypeRef::named(TypeRef::INT),
                    "Generations allowed per UTC day; null: unlimited.",
                ),
                (
                    "usedToday",
                    int(),
                    "Generations requested since UTC midnight.",
                ),
                (
                    "remaining",
                    TypeRef::named(TypeRef::INT),
                    "Generations left today; null: unlimited.",
                ),
                (
                    "quotaExceeded",
                    TypeRef::named_nn(TypeRef::BOOLEAN),
                    "Whether a further request today is refused.",
                ),
            ],
        )
        .into(),
        value_object(
            STYLE_COUNT,
            "Characters of one style.",
            &[
                (
                    "styleType",
                    TypeRef::named_nn(STYLE_TYPE.name),
                    "The style.",
                ),
                ("count", int(), "How many."),
            ],
        )
        .into(),
        value_object(
            STATUS_COUNT,
            "Generations in one status.",
            &[
                (
                    "status",
                    TypeRef::named_nn(GENERATION_STATUS.name),
                    "The status.",
                ),
                ("count", int(), "How many."),
            ],
        )
        .into(),
        value_object(
            STATS,
            "The viewer's character statistics.",
            &[
                ("totalCharacters", int(), "All the viewer's characters."),
                ("publicCharacters", int(), "Those shared in the gallery."),
                ("privateCharacters", int(), "Those not shared."),
                (
                    "byStyle",
                    TypeRef::named_nn_list_nn(STYLE_COUNT),
                    "Characters per style, every style listed.",
                ),
                (
                    "totalGenerations",
                    int(),
                    "All the viewer's generation requests.",
                ),
                (
                    "generationsByStatus",
                    TypeRef::named_nn_list_nn(STATUS_COUNT),
                    "Generations per status, every status listed.",
                ),
            ],
        )
        .into(),
    ]
}

/// A case-insensitive "contains" on `characters.column`.
fn contains(column: &str, needle: &str) -> Expr {
    let pattern = format!("%{}%", escape_like(&needle.to_lowercase()));
    Expr::expr(Func::lower(qcol("characters", column))).like(LikeExpr::new(pattern).escape('\\'))
}

/// The gallery's conditions and an id naming them.
fn gallery_condition(
    ctx: &ResolverContext<'_>,
    backend: DbBackend,
) -> Result<(Condition, String), ApiError> {
    let mut cond = Condition::all().add(qcol("characters", "is_public").eq(true));
    let search = opt_string(ctx, "search")?
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty());
    if let Some(s) = &search {
        if s.chars().count() > 200 {
            return Err(ApiError::input(
                "search",
                "a search has at most 200 characters",
            ));
        }
        cond = cond.add(
            Condition::any()
                .add(contains("name", s))
                .add(contains("prompt", s)),
        );
    }
    let style = opt_enum(ctx, "styleType", &STYLE_TYPE)?;
    if let Some(s) = &style {
        let col = Expr::col((
            sea_orm::sea_query::Alias::new("characters"),
            sea_orm::sea_query::Alias::new("style_type"),
        ));
        cond = cond.add(
            col.cast_as(sea_orm::sea_query::Alias::new("text"))
                .eq(s.as_str()),
        );
    }
    let tags = match opt_json(ctx, "tags")? {
        None => serde_json::Value::Array(Vec::new()),
        Some(v) => service::check_tags(&v, "tags")?,
    };
    let list: Vec<String> = tags
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    if !list.is_empty() {
        if backend == DbBackend::Postgres {
            cond = cond.add(Expr::cust_with_values(
                r#""characters"."tags" @> CAST($1 AS jsonb)"#,
                [tags.to_string()],
            ));
        } else {
            for t in &list {
                cond = cond.add(Expr::cust_with_values(
                    r#"EXISTS (SELECT 1 FROM json_each("characters"."tags") WHERE json_each.value = ?)"#,
                    [t.clone()],
                ));
            }
        }
    }
    let id = serde_json::json!({ "search": search, "style": style, "tags": list }).to_string();
    Ok((cond, id))
}

type Resolver = for<'a> fn(ResolverContext<'a>, &'static Source) -> FieldFuture<'a>;

fn field(source: &'static Source, name: &str, ty: TypeRef, doc: &str, resolve: Resolver) -> Field {
    Field::new(name, ty, move |ctx| resolve(ctx, source)).description(doc)
}

/// Query fields of this source beyond the generic ones.
pub fn queries(source: &'static Source) -> Vec<Field> {
    let gallery = field(source, "gallery", TypeRef::named_nn("CharacterCreationCharacterConnection"), "The public character gallery: public characters matching a text (name or prompt, ignoring case), a style and ALL of the given tags; pages, filters and orders like `characters`. No token needed.", |ctx, source| {
        FieldFuture::new(async move {
            let data = data(&ctx)?;
            let t = source.table("characters").ok_or_else(|| ApiError::Internal("characters is not described".into()).extend())?;
            let pk = lookup_column(t, "id").gql()?;
            let scope = data.scope(source, t);
            let (cond, id) = gallery_condition(&ctx, scope.backend).gql()?;
            let conn = Conn::new(&Plan::of(ctx.ctx.field()), t, pk, None, scope)
                .gql()?
                .restrict(cond, &format!("gallery:{id}"));
            Ok(Some(FieldValue::owned_any(conn)))
        })
    })
    .argument(arg("search", TypeRef::named(TypeRef::STRING), "Text in the name or prompt, ignoring case (at most 200 characters)."))
    .argument(arg("styleType", TypeRef::named(STYLE_TYPE.name), "Only this style."))
    .argument(arg("tags", TypeRef::named_nn_list(TypeRef::STRING), "Only characters with ALL of these tags."));
    vec![
        field(
            source,
            "viewerQuota",
            TypeRef::named_nn(QUOTA),
            "The viewer's daily generation quota.",
            |ctx, source| {
                FieldFuture::new(async move {
                    let user = viewer(&ctx, source).gql()?;
                    let db = data(&ctx)?.conns.get(Database::CharacterCreation).gql()?;
                    let q = service::quota(db, &limits(&ctx), user).await.gql()?;
                    let opt = |v: Option<i64>| v.map_or(Value::Null, |n| Value::Number(n.into()));
                    Ok(Some(FieldValue::value(object(vec![
                        ("tier", enum_value(q.tier)),
                        ("limit", opt(q.limit)),
                        ("usedToday", Value::Number(q.used.into())),
                        ("remaining", opt(q.remaining())),
                        ("quotaExceeded", Value::Boolean(q.exceeded())),
                    ]))))
                })
            },
        ),
        field(
            source,
            "characterStats",
            TypeRef::named_nn(STATS),
            "The viewer's character statistics: totals, public/private, counts per style and generations per status.",
            |ctx, source| {
                FieldFuture::new(async move {
                    let user = viewer(&ctx, source).gql()?;
                    let db = data(&ctx)?.conns.get(Database::CharacterCreation).gql()?;
                    let s = service::stats(db, user).await.gql()?;
                    let public: i64 = s.characters.iter().filter(|c| c.1).map(|c| c.2).sum();
                    let total: i64 = s.characters.iter().map(|c| c.2).sum();
                    let by_style = STYLE_TYPE.values.iter().map(|v| {
                        let n: i64 = s.characters.iter().filter(|c| c.0 == *v).map(|c| c.2).sum();
                        object(vec![
                            ("styleType", enum_value(v)),
                            ("count", Value::Number(n.into())),
                        ])
                    });
                    let by_status = GENERATION_STATUS.values.iter().map(|v| {
                        let n: i64 = s
                            .generations
                            .iter()
                            .filter(|g| g.0 == *v)
                            .map(|g| g.1)
                            .sum();
                        object(vec![
                            ("status", enum_value(v)),
                            ("count", Value::Number(n.into())),
                        ])
                    });
                    let generations: i64 = s.generations.iter().map(|g| g.1).sum();
                    Ok(Some(FieldValue::value(object(vec![
                        ("totalCharacters", Value::Number(total.into())),
                        ("publicCharacters", Value::Number(public.into())),
                        ("privateCharacters", Value::Number((total - public).into())),
                        ("byStyle", Value::List(by_style.collect())),
                        ("totalGenerations", Value::Number(generations.into())),
                        ("generationsByStatus", Value::List(by_status.collect())),
                    ]))))
                })
            },
        ),
        connection_args(gallery, source, source.table("characters")),
    ]
}

/// The character arguments of a create (`create`) or an update.
fn character_input(ctx: &ResolverContext<'_>, create: bool) -> Result<CharacterInput, ApiError> {
    let given = |n: &str| ctx.args.get(n).is_some();
    let name = opt_string(ctx, "name")?
        .map(|n| service::check_name(&n, "name"))
        .transpose()?;
    let prompt = opt_string(ctx, "prompt")?
        .map(|p| service::check_prompt(&p, "prompt"))
        .transpose()?;
    if create && name.is_none() {
        return Err(ApiError::input("name", "the name is blank"));
    }
    if create && prompt.is_none() {
        return Err(ApiError::input("prompt", "the prompt is blank"));
    }
    let tags = opt_json(ctx, "tags")?
        .map(|t| service::check_tags(&t, "tags"))
        .transpose()?;
    let metadata = if given("metadata") {
        let m = opt_json(ctx, "metadata")?;
        if m.as_ref().is_some_and(|m| !m.is_object()) {
            return Err(ApiError::input("metadata", "metadata is a JSON object"));
        }
        Some(m)
    } else {
        None
    };
    let image_url = if given("imageUrl") {
        let u = opt_string(ctx, "imageUrl")?
            .map(|u| u.trim().to_owned())
            .filter(|u| !u.is_empty());
        if let Some(u) = &u
            && !(u.starts_with("https://") || u.starts_with("http://"))
        {
            return Err(ApiError::input(
                "imageUrl",
                "an image URL starts with http:// or https://",
            ));
        }
        Some(u)
    } else {
        None
    };
    let is_public = match get(ctx, "isPublic") {
        None => None,
        Some(Value::Boolean(b)) => Some(b),
        Some(_) => return Err(ApiError::input("isPublic", "expected a boolean")),
    };
    Ok(CharacterInput {
        name,
        prompt,
        style: opt_style(ctx, "styleType")?,
        tags,
        is_public,
        image_url,
        metadata,
        template: if create {
            opt_uuid(ctx, "templateId")?
        } else {
            None
        },
    })
}

fn character_args(f: Field, create: bool) -> Field {
    let s = |nn: bool| {
        if nn {
            TypeRef::named_nn(TypeRef::STRING)
        } else {
            TypeRef::named(TypeRef::STRING)
        }
    };
    let style = if create {
        TypeRef::named_nn(STYLE_TYPE.name)
    } else {
        TypeRef::named(STYLE_TYPE.name)
    };
    let f = f
        .argument(arg("name", s(create), "Name (1 to 100 characters)."))
        .argument(arg("prompt", s(create), "Prompt (1 to 2000 characters)."))
        .argument(arg("styleType", style, "Style."))
        .argument(arg(
            "tags",
            TypeRef::named("JSON"),
            "Tags: a JSON array of at most 20 strings of 1 to 50 characters.",
        ))
        .argument(arg(
            "isPublic",
            TypeRef::named(TypeRef::BOOLEAN),
            "Shared in the gallery.",
        ))
        .argument(arg(
            "imageUrl",
            TypeRef::named(TypeRef::STRING),
            "Image URL (http or https; null clears it).",
        ))
        .argument(arg(
            "metadata",
            TypeRef::named("JSON"),
            "Metadata, a JSON object (null clears it).",
        ));
    if create {
        f.argument(arg(
            "templateId",
            TypeRef::named("UUID"),
            "An active template the character comes from.",
        ))
    } else {
        f.argument(arg("id", TypeRef::named_nn("UUID"), "The character."))
    }
}

fn generation_fields(source: &'static Source) -> Vec<Field> {
    let gen_ty = || TypeRef::named_nn("CharacterCreationGeneration");
    vec![
        field(source, "requestGeneration", gen_ty(), "Requests a generation (PENDING) for the viewer. FORBIDDEN, writing nothing, when the viewer's daily quota (see `viewerQuota`) is used up.", |ctx, source| {
            FieldFuture::new(async move {
                let user = viewer(&ctx, source).gql()?;
                let prompt = service::check_prompt(&opt_string(&ctx, "prompt").gql()?.unwrap_or_default(), "prompt").gql()?;
                let style = opt_style(&ctx, "styleType").gql()?.ok_or_else(|| ApiError::input("styleType", "a style type is needed").extend())?;
                let template = opt_uuid(&ctx, "templateId").gql()?;
                let db = data(&ctx)?.conns.get(Database::CharacterCreation).gql()?;
                committed(&ctx, source, "generations", async { service::request_generation(db, &limits(&ctx), user, Request { prompt: Some(prompt), style: Some(style), template }).await.map(Key::Uuid) }).await
            })
        })
        .argument(arg("prompt", TypeRef::named_nn(TypeRef::STRING), "Prompt (1 to 2000 characters)."))
        .argument(arg("styleType", TypeRef::named_nn(STYLE_TYPE.name), "Style."))
        .argument(arg("templateId", TypeRef::named("UUID"), "An active template to start from.")),
        field(source, "generateFromTemplate", gen_ty(), "Requests a generation from an active template: its style, and its prompt template unless `prompt` is given. Counts against the daily quota like `requestGeneration`.", |ctx, source| {
            FieldFuture::new(async move {
                let user = viewer(&ctx, source).gql()?;
                let template = uuid(&ctx, "templateId").gql()?;
                let prompt = opt_string(&ctx, "prompt").gql()?.map(|p| service::check_prompt(&p, "prompt")).transpose().gql()?;
                let db = data(&ctx)?.conns.get(Database::CharacterCreation).gql()?;
                committed(&ctx, source, "generations", async { service::request_generation(db, &limits(&ctx), user, Request { prompt, style: None, template: Some(template) }).await.map(Key::Uuid) }).await
            })
        })
        .argument(arg("templateId", TypeRef::named_nn("UUID"), "The template (active)."))
        .argument(arg("prompt", TypeRef::named(TypeRef::STRING), "Prompt instead of the template's (1 to 2000 characters).")),
        field(source, "updateGenerationStatus", gen_ty(), "Moves one of the viewer's generations along PENDING → PROCESSING → COMPLETED | FAILED (anything else is BAD_USER_INPUT). COMPLETED creates its character in the same transaction (named `characterName` or after the prompt, tagged as the template, image `resultUrl`) and links it; FAILED needs and keeps `errorMessage`.", |ctx, source| {
            FieldFuture::new(async move {
                let user = viewer(&ctx, source).gql()?;
                let id = uuid(&ctx, "id").gql()?;
                let status = opt_enum(&ctx, "status", &GENERATION_STATUS).gql()?.ok_or_else(|| ApiError::input("status", "a status is needed").extend())?;
                let change = StatusChange {
                    status,
                    error: opt_string(&ctx, "errorMessage").gql()?,
                    result_url: opt_string(&ctx, "resultUrl").gql()?,
                    name: opt_string(&ctx, "characterName").gql()?,
                };
                let db = data(&ctx)?.conns.get(Database::CharacterCreation).gql()?;
                committed(&ctx, source, "generations", async { service::update_status(db, user, id, change).await.map(|_| Key::Uuid(id)) }).await
            })
        })
        .argument(arg("id", TypeRef::named_nn("UUID"), "The generation."))
        .argument(arg("status", TypeRef::named_nn(GENERATION_STATUS.name), "The next status."))
        .argument(arg("errorMessage", TypeRef::named(TypeRef::STRING), "Why it failed (FAILED)."))
        .argument(arg("resultUrl", TypeRef::named(TypeRef::STRING), "The generated asset (COMPLETED)."))
        .argument(arg("characterName", TypeRef::named(TypeRef::STRING), "Name of the created character (COMPLETED; default from the prompt).")),
    ]
}

fn character_fields(source: &'static Source) -> Vec<Field> {
    let ch = || TypeRef::named_nn("CharacterCreationCharacter");
    vec![
        character_args(
            field(
                source,
                "createCharacter",
                ch(),
                "Creates a character of the viewer (private unless `isPublic`).",
                |ctx, source| {
                    FieldFuture::new(async move {
                        let user = viewer(&ctx, source).gql()?;
                        let input = character_input(&ctx, true).gql()?;
                        let db = data(&ctx)?.conns.get(Database::CharacterCreation).gql()?;
                        committed(&ctx, source, "characters", async {
                            service::create_character(db, user, input)
                                .await
                                .map(Key::Uuid)
                        })
                        .await
                    })
                },
            ),
            true,
        ),
        character_args(
            field(
                source,
                "updateCharacter",
                ch(),
                "Changes the given fields of one of the viewer's characters.",
                |ctx, source| {
                    FieldFuture::new(async move {
                        let user = viewer(&ctx, source).gql()?;
                        let id = uuid(&ctx, "id").gql()?;
                        let input = character_input(&ctx, false).gql()?;
                        let db = data(&ctx)?.conns.get(Database::CharacterCreation).gql()?;
                        committed(&ctx, source, "characters", async {
                            service::update_character(db, user, id, input)
                                .await
                                .map(|_| Key::Uuid(id))
                        })
                        .await
                    })
                },
            ),
            false,
        ),
        field(
            source,
            "setCharacterPublic",
            ch(),
            "Shares one of the viewer's characters in the gallery, or stops sharing it.",
            |ctx, source| {
                FieldFuture::new(async move {
                    let user = viewer(&ctx, source).gql()?;
                    let id = uuid(&ctx, "id").gql()?;
                    let is_public = match get(&ctx, "isPublic") {
                        Some(Value::Boolean(b)) => b,
                        _ => return Err(ApiError::input("isPublic", "expected a boolean").extend()),
                    };
                    let input = CharacterInput {
                        is_public: Some(is_public),
                        ..Default::default()
                    };
                    let db = data(&ctx)?.conns.get(Database::CharacterCreation).gql()?;
                    committed(&ctx, source, "characters", async {
                        service::update_character(db, user, id, input)
                            .await
                            .map(|_| Key::Uuid(id))
                    })
                    .await
                })
            },
        )
        .argument(arg("id", TypeRef::named_nn("UUID"), "The character."))
        .argument(arg(
            "isPublic",
            TypeRef::named_nn(TypeRef::BOOLEAN),
            "Shared or not.",
        )),
        field(
            source,
            "deleteCharacter",
            TypeRef::named_nn("CharacterCreationDeleteCharacterPayload"),
            "Deletes one of the viewer's characters (its generations stay, unlinked); answers its global id.",
            |ctx, source| {
                FieldFuture::new(async move {
                    let user = viewer(&ctx, source).gql()?;
                    let id = uuid(&ctx, "id").gql()?;
                    let data = data(&ctx)?;
                    let db = data.conns.get(Database::CharacterCreation).gql()?;
                    service::delete_character(db, user, id).await.gql()?;
                    let characters = crate::graphql::payload::table(source, "characters")?;
                    crate::graphql::payload::Removal::of(characters, Some(Key::Uuid(id))).answer(&ctx)
                })
            },
        )
        .argument(arg("id", TypeRef::named_nn("UUID"), "The character.")),
    ]
}

/// Mutation fields of this source and the extra types they need.
pub fn mutations(source: &'static Source) -> (Vec<Field>, Vec<Type>) {
    let mut fields = generation_fields(source);
    fields.extend(character_fields(source));
    let mut types = types();
    types.push(
        crate::graphql::payload::payload(
            source,
            "CharacterCreationDeleteCharacterPayload",
            "What `deleteCharacter` removed.",
            Some("character"),
            &[],
        )
        .into(),
    );
    (fields, types)
}

/// The quotas the gateway was configured with (the defaults when built without settings).
fn limits(ctx: &ResolverContext<'_>) -> service::Limits {
    ctx.data_opt::<service::Limits>()
        .copied()
        .unwrap_or_default()
}
