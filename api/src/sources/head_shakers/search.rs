//! Search over bobbleheads and public collections (HS-OP08, HS-OP31).
//!
//! A search is a connection over the table with the search's conditions added to the usual
//! access rules (private and soft-deleted rows stay hidden), so it pages, filters, orders,
//! counts and aggregates like any other list. When the viewer is a signed-in user, the search
//! is recorded in `search_queries` with its filters and result count.

use async_graphql::dynamic::{
    Field, FieldFuture, FieldValue, InputValue, ResolverContext, TypeRef,
};
use async_graphql::{ErrorExtensions, Value};
use entity::head_shakers::search_queries;
use migration::Database;
use sea_orm::ActiveValue::Set;
use sea_orm::EntityTrait;
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, Func, LikeExpr, Query};
use uuid::Uuid;

use crate::error::{ApiError, OrGql};
use crate::graphql::connection::Conn;
use crate::graphql::filter::{escape_like, input_cell};
use crate::graphql::plan::Plan;
use crate::graphql::schema::{connection_args, data, lookup_column};
use crate::graphql::spec::{Kind, Source, Table};
use crate::graphql::sql::qcol;
use crate::graphql::value::Cell;

/// Longest search text, as `search_queries.query varchar(500)`.
const MAX_QUERY: usize = 500;

fn text(ctx: &ResolverContext<'_>, name: &str) -> Option<String> {
    ctx.args
        .get(name)
        .and_then(|v| v.string().ok().map(str::to_owned))
        .filter(|s| !s.trim().is_empty())
}

fn contains(table: &str, column: &str, needle: &str) -> Expr {
    let pattern = format!("%{}%", escape_like(&needle.to_lowercase()));
    Expr::expr(Func::lower(qcol(table, column))).like(LikeExpr::new(pattern).escape('\\'))
}

fn equals_ci(table: &str, column: &str, value: &str) -> Expr {
    Expr::expr(Func::lower(qcol(table, column))).eq(value.to_lowercase())
}

/// The conditions of a bobblehead search and the filters to record.
fn bobblehead_conditions(
    ctx: &ResolverContext<'_>,
    backend: sea_orm::DbBackend,
) -> Result<(Condition, serde_json::Value), ApiError> {
    let t = "bobbleheads";
    let mut cond = Condition::all();
    let mut filters = serde_json::Map::new();
    if let Some(q) = text(ctx, "query") {
        cond = cond.add(
            Condition::any()
                .add(contains(t, "name", &q))
                .add(contains(t, "description", &q))
                .add(contains(t, "character_name", &q))
                .add(contains(t, "manufacturer", &q))
                .add(contains(t, "series", &q)),
        );
    }
    for (arg, column, key) in [
        ("category", "category", "category"),
        ("characterName", "character_name", "characterName"),
        ("manufacturer", "manufacturer", "manufacturer"),
        ("series", "series", "series"),
        ("condition", "current_condition", "condition"),
        ("status", "status", "status"),
    ] {
        if let Some(v) = text(ctx, arg) {
            cond = cond.add(equals_ci(t, column, &v));
            filters.insert(key.into(), v.into());
        }
    }
    let year = |name: &str| -> Result<Option<i64>, ApiError> {
        match ctx.args.get(name) {
            None => Ok(None),
            Some(v) if v.is_null() => Ok(None),
            Some(v) => {
                let y = v
                    .i64()
                    .map_err(|_| ApiError::input(name, "expected a year"))?;
                if !(1800..=2100).contains(&y) {
                    return Err(ApiError::input(name, "a year lies between 1800 and 2100"));
                }
                Ok(Some(y))
            }
        }
    };
    let (from, to) = (year("yearFrom")?, year("yearTo")?);
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        return Err(ApiError::input(
            "yearTo",
            "`yearTo` comes before `yearFrom`",
        ));
    }
    if let Some(f) = from {
        cond = cond.add(qcol(t, "year").gte(f));
        filters.insert("yearFrom".into(), f.into());
    }
    if let Some(to) = to {
        cond = cond.add(qcol(t, "year").lte(to));
        filters.insert("yearTo".into(), to.into());
    }
    if let Some(ids) = ctx.args.get("tagIds") {
        let ids = ids.as_value().clone();
        let mut tags = Vec::new();
        if let Value::List(items) = &ids {
            for (i, v) in items.iter().enumerate() {
                if let Cell::Uuid(u) = input_cell(Kind::Uuid, v, &format!("tagIds[{i}]"))? {
                    tags.push(u);
                }
            }
        }
        if !tags.is_empty() {
            let tagged = Query::select()
                .column(Alias::new("bobblehead_id"))
                .from(Alias::new("bobblehead_tags"))
                .and_where(
                    Expr::col(Alias::new("tag_id")).is_in(
                        tags.iter()
                            .map(|u| Expr::val(Cell::Uuid(*u).sql(Kind::Uuid, backend))),
                    ),
                )
                .to_owned();
            cond = cond.add(qcol(t, "id").in_subquery(tagged));
            filters.insert(
                "tagIds".into(),
                tags.iter()
                    .map(|u| serde_json::Value::from(u.to_string()))
                    .collect::<Vec<_>>()
                    .into(),
            );
        }
    }
    if let Some(Value::List(items)) = ctx.args.get("tags").map(|v| v.as_value().clone()) {
        let names: Vec<String> = items
            .iter()
            .filter_map(|v| match v {
                Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_lowercase()),
                _ => None,
            })
            .collect();
        if !names.is_empty() {
            let tagged = Query::select()
                .column((Alias::new("bobblehead_tags"), Alias::new("bobblehead_id")))
                .from(Alias::new("bobblehead_tags"))
                .inner_join(
                    Alias::new("tags"),
                    qcol("tags", "id")
                        .equals((Alias::new("bobblehead_tags"), Alias::new("tag_id"))),
                )
                .and_where(Expr::expr(Func::lower(qcol("tags", "name"))).is_in(names.clone()))
                .to_owned();
            cond = cond.add(qcol(t, "id").in_subquery(tagged));
            filters.insert("tags".into(), names.into());
        }
    }
    Ok((cond, serde_json::Value::Object(filters)))
}

/// Records a search by a signed-in user (its first page; later pages are the same search).
async fn record(
    ctx: &ResolverContext<'_>,
    conn: &Conn,
    query: &str,
    filters: serde_json::Value,
) -> async_graphql::Result<()> {
    let data = data(ctx)?;
    let Some(user) = data
        .viewer
        .key_in("head_shakers")
        .and_then(|k| Uuid::parse_str(k).ok())
    else {
        return Ok(());
    };
    let count = conn.total(data).await.gql()?;
    let db = data.conns.get(Database::HeadShakers).gql()?;
    search_queries::Entity::insert(search_queries::ActiveModel {
        id: Set(Uuid::new_v4()),
        user_id: Set(Some(user)),
        session_id: Set(None),
        query: Set(query.to_owned()),
        filters: Set(Some(filters)),
        result_count: Set(Some(i32::try_from(count).unwrap_or(i32::MAX))),
        clicked_result_id: Set(None),
        clicked_result_type: Set(None),
        ip_address: Set(None),
        searched_at: Set(Some(crate::graphql::write::now())),
    })
    .exec_without_returning(db)
    .await
    .map_err(ApiError::from)
    .gql()?;
    Ok(())
}

fn table(source: &'static Source, name: &str) -> Result<&'static Table, ApiError> {
    source
        .table(name)
        .ok_or_else(|| ApiError::Internal(format!("{name} is not described")))
}

fn search_field(
    source: &'static Source,
    name: &'static str,
    of: &'static str,
    doc: &'static str,
) -> Field {
    let ty = source
        .table(of)
        .map(|t| format!("{}Connection", t.type_name))
        .unwrap_or_default();
    let field = Field::new(name, TypeRef::named_nn(ty), move |ctx| {
        FieldFuture::new(async move {
            let data = data(&ctx)?;
            let t = table(source, of).gql()?;
            let pk = lookup_column(t, "id").gql()?;
            let scope = data.scope(source, t);
            let query = ctx
                .args
                .get("query")
                .and_then(|v| v.string().ok().map(str::to_owned))
                .unwrap_or_default();
            if query.chars().count() > MAX_QUERY {
                return Err(ApiError::input(
                    "query",
                    format!("a search has at most {MAX_QUERY} characters"),
                )
                .extend());
            }
            let (cond, filters) = if of == "bobbleheads" {
                bobblehead_conditions(&ctx, scope.backend).gql()?
            } else {
                let mut c = Condition::all().add(qcol(of, "is_public").eq(true));
                if let Some(q) = text(&ctx, "query") {
                    c = c.add(Condition::any().add(contains(of, "name", &q)).add(contains(
                        of,
                        "description",
                        &q,
                    )));
                }
                (c, serde_json::json!({}))
            };
            let id = format!("search:{query}:{filters}");
            let conn = Conn::new(&Plan::of(ctx.ctx.field()), t, pk, None, scope)
                .gql()?
                .restrict(cond, &id);
            // One search is one record: the pages after the first continue it.
            let continued = ["after", "before"]
                .iter()
                .any(|a| ctx.args.get(a).is_some_and(|v| !v.is_null()));
            if !continued {
                record(&ctx, &conn, &query, filters).await?;
            }
            Ok(Some(FieldValue::owned_any(conn)))
        })
    })
    .description(doc)
    .argument(
        InputValue::new("query", TypeRef::named_nn(TypeRef::STRING))
            .description("Text to look for, ignoring case (at most 500 characters; may be empty)."),
    );
    connection_args(field, source, source.table(of))
}

/// The search fields of the `headShakers` namespace.
pub fn fields(source: &'static Source) -> Vec<Field> {
    let text_arg = |name: &str, doc: &str| {
        InputValue::new(name, TypeRef::named(TypeRef::STRING)).description(doc)
    };
    vec![
        search_field(
            source,
            "searchBobbleheads",
            "bobbleheads",
            "Bobbleheads matching a text (name, description, character, manufacturer, series) and filters, among those the viewer may see; recorded in the viewer's search history.",
        )
        .argument(text_arg("category", "Exactly this category (ignoring case)."))
        .argument(text_arg("characterName", "Exactly this character (ignoring case)."))
        .argument(text_arg("manufacturer", "Exactly this manufacturer (ignoring case)."))
        .argument(text_arg("series", "Exactly this series (ignoring case)."))
        .argument(text_arg("condition", "Exactly this condition (`mint`, `excellent` …)."))
        .argument(text_arg("status", "Exactly this status (`owned`, `for_sale` …)."))
        .argument(InputValue::new("yearFrom", TypeRef::named(TypeRef::INT)).description("Made in or after this year."))
        .argument(InputValue::new("yearTo", TypeRef::named(TypeRef::INT)).description("Made in or before this year."))
        .argument(InputValue::new("tagIds", TypeRef::named_nn_list("UUID")).description("Tagged with at least one of these tags."))
        .argument(InputValue::new("tags", TypeRef::named_nn_list(TypeRef::STRING)).description("Tagged with a tag of at least one of these names (ignoring case).")),
        search_field(
            source,
            "searchCollections",
            "collections",
            "Public collections whose name or description contains a text; recorded in the viewer's search history.",
        ),
    ]
}
