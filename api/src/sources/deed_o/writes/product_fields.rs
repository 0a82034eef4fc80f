//! GraphQL fields of the product workflow ([`super::products`]) and `publicProducts`.

use async_graphql::ErrorExtensions;
use async_graphql::dynamic::{
    Enum, EnumItem, Field, FieldFuture, FieldValue, ResolverContext, Type, TypeRef,
};
use migration::Database;
use sea_orm::sea_query::{Condition, ExprTrait};

use super::args::{arg, float, opt_entity_enum, stored, string, strings};
use super::field;
use super::products::{self, Fields};
use crate::error::{ApiError, OrGql};
use crate::graphql::connection::Conn;
use crate::graphql::plan::Plan;
use crate::graphql::schema::committed;
use crate::graphql::schema::{connection_args, data, lookup_column};
use crate::graphql::spec::Source;
use crate::graphql::sql::{qcol, value_expr};
use crate::graphql::value::{Cell, Key};

/// The decision of `reviewProduct`.
const DECISION: &str = "DeedOReviewDecision";
const PRODUCT: &str = "DeedOProduct";

fn fields_of(ctx: &ResolverContext<'_>) -> Result<Fields, ApiError> {
    Ok(Fields {
        cause: opt_entity_enum(ctx, "cause", &super::super::CAUSE)?,
        mrp: float(ctx, "mrp"),
        selling_price: float(ctx, "sellingPrice"),
        images: strings(ctx, "images")?,
        title: string(ctx, "title"),
        description: string(ctx, "description"),
        product_url: string(ctx, "productUrl"),
    })
}

fn with_fields(f: Field, required: bool) -> Field {
    let t = |name: &str| {
        if required {
            TypeRef::named_nn(name)
        } else {
            TypeRef::named(name)
        }
    };
    let images = if required {
        TypeRef::named_nn_list_nn(TypeRef::STRING)
    } else {
        TypeRef::named_nn_list(TypeRef::STRING)
    };
    f.argument(arg(
        "cause",
        t(super::super::CAUSE.name),
        "The cause the product supports.",
    ))
    .argument(arg(
        "mrp",
        t(TypeRef::FLOAT),
        "Maximum retail price (positive).",
    ))
    .argument(arg(
        "sellingPrice",
        t(TypeRef::FLOAT),
        "Selling price (positive, at most the MRP).",
    ))
    .argument(arg(
        "images",
        images,
        "Image URLs (http or https, at most 20).",
    ))
    .argument(arg(
        "title",
        t(TypeRef::STRING),
        "Name (1 to 200 characters).",
    ))
    .argument(arg(
        "description",
        t(TypeRef::STRING),
        "Description (1 to 10000 characters).",
    ))
    .argument(arg(
        "productUrl",
        t(TypeRef::STRING),
        "External product URL (http or https).",
    ))
}

fn id_arg(ctx: &ResolverContext<'_>) -> Result<String, ApiError> {
    string(ctx, "id")
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| ApiError::input("id", "required"))
}

/// The mutation fields and the decision enum.
pub fn mutations(source: &'static Source) -> (Vec<Field>, Vec<Type>) {
    let id = || {
        arg(
            "id",
            TypeRef::named_nn(TypeRef::STRING),
            "The product (`IM_…`).",
        )
    };
    let fields = vec![
        with_fields(field(source, "createProduct", TypeRef::named_nn(PRODUCT), "Creates a draft product sold by the signed-in vendor.", |ctx, source| {
            FieldFuture::new(async move {
                let data = data(&ctx)?;
                let vendor = products::actor(&data.viewer).gql()?;
                let f = fields_of(&ctx).gql()?;
                committed(&ctx, source, "products", async { products::create(data.conns.get(Database::DeedO)?, vendor, f).await.map(Key::Text) }).await
            })
        }), true),
        with_fields(field(source, "updateProduct", TypeRef::named_nn(PRODUCT), "Changes the given fields of the vendor's own product and puts it back to draft. NOT_FOUND for another vendor's unpublished product, FORBIDDEN for their published one.", |ctx, source| {
            FieldFuture::new(async move {
                let data = data(&ctx)?;
                let vendor = products::actor(&data.viewer).gql()?;
                let id = id_arg(&ctx).gql()?;
                let f = fields_of(&ctx).gql()?;
                committed(&ctx, source, "products", async { products::update(data.conns.get(Database::DeedO)?, vendor, &id, f).await.map(|_| Key::Text(id)) }).await
            })
        }).argument(id()), false),
        field(source, "submitProduct", TypeRef::named_nn(PRODUCT), "Submits the vendor's draft or rejected product for review (status `suggestion`).", |ctx, source| {
            FieldFuture::new(async move {
                let data = data(&ctx)?;
                let vendor = products::actor(&data.viewer).gql()?;
                let id = id_arg(&ctx).gql()?;
                committed(&ctx, source, "products", async { products::submit(data.conns.get(Database::DeedO)?, vendor, &id).await.map(|_| Key::Text(id)) }).await
            })
        }).argument(id()),
        field(source, "reviewProduct", TypeRef::named(PRODUCT), "Publishes or rejects a submitted product (status `suggestion`); moderators and admins only (FORBIDDEN otherwise). Answers the product as the reviewer may read it.", |ctx, source| {
            FieldFuture::new(async move {
                let data = data(&ctx)?;
                products::actor(&data.viewer).gql()?;
                let reviewer = products::reviewer(&data.viewer);
                let id = id_arg(&ctx).gql()?;
                let publish = match ctx.args.get("decision").and_then(|v| v.enum_name().ok().map(str::to_owned)).as_deref() {
                    Some("PUBLISHED") => true,
                    Some("REJECTED") => false,
                    _ => return Err(ApiError::input("decision", "PUBLISHED or REJECTED").extend()),
                };
                let remark = string(&ctx, "remark");
                committed(&ctx, source, "products", async { products::review(data.conns.get(Database::DeedO)?, reviewer, &id, publish, remark).await.map(|_| Key::Text(id)) }).await
            })
        })
        .argument(id())
        .argument(arg("decision", TypeRef::named_nn(DECISION), "Publish or reject."))
        .argument(arg("remark", TypeRef::named(TypeRef::STRING), "A note for the vendor (at most 2000 characters).")),
    ];
    let decision = Enum::new(DECISION)
        .description("A reviewer's decision on a submitted product.")
        .item(EnumItem::new("PUBLISHED").description("Publish: the product becomes public."))
        .item(
            EnumItem::new("REJECTED").description("Reject: the vendor may edit and submit again."),
        );
    (fields, vec![Type::from(decision)])
}

/// `publicProducts`: published products, filtered by cause and selling price.
pub fn public_products(source: &'static Source) -> Field {
    let f = Field::new(
        "publicProducts",
        TypeRef::named_nn("DeedOProductConnection"),
        move |ctx| {
            FieldFuture::new(async move {
                let data = data(&ctx)?;
                let t = source
                    .table("products")
                    .ok_or_else(|| ApiError::Internal("products is not described".into()))
                    .gql()?;
                let pk = lookup_column(t, "id").gql()?;
                let scope = data.scope(source, t);
                let status = lookup_column(t, "publishing_status").gql()?;
                let mut cond = Condition::all().add(qcol("products", "publishing_status").eq(
                    value_expr(status, &Cell::Text("published".into()), scope.backend),
                ));
                let mut id = String::from("public");
                if ctx.args.get("cause").is_some_and(|v| !v.is_null()) {
                    let cause = stored(&ctx, "cause", &super::super::CAUSE).gql()?;
                    let col = lookup_column(t, "cause").gql()?;
                    cond = cond.add(qcol("products", "cause").eq(value_expr(
                        col,
                        &Cell::Text(cause.clone()),
                        scope.backend,
                    )));
                    id.push_str(&format!(":cause={cause}"));
                }
                for (name, min) in [("minPrice", true), ("maxPrice", false)] {
                    if let Some(p) = float(&ctx, name) {
                        if !p.is_finite() {
                            return Err(ApiError::input(name, "expected a number").extend());
                        }
                        let c = qcol("products", "selling_price");
                        cond = cond.add(if min { c.gte(p) } else { c.lte(p) });
                        id.push_str(&format!(":{name}={p}"));
                    }
                }
                let conn = Conn::new(&Plan::of(ctx.ctx.field()), t, pk, None, scope)
                    .gql()?
                    .restrict(cond, &id);
                Ok(Some(FieldValue::owned_any(conn)))
            })
        },
    )
    .description(
        "Published products, for everyone: by cause and selling price range, paged like any list.",
    )
    .argument(arg(
        "cause",
        TypeRef::named(super::super::CAUSE.name),
        "Only this cause.",
    ))
    .argument(arg(
        "minPrice",
        TypeRef::named(TypeRef::FLOAT),
        "Selling price at least this.",
    ))
    .argument(arg(
        "maxPrice",
        TypeRef::named(TypeRef::FLOAT),
        "Selling price at most this.",
    ));
    connection_args(f, source, source.table("products"))
}
