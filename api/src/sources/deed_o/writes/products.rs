//! Vendors' products and their publishing workflow.
//!
//! - `createProduct` writes a `draft` with an `IM_` + nanoid id for the signed-in vendor.
//! - `updateProduct` changes the vendor's own product and puts it back to `draft`.
//! - `submitProduct` moves a `draft` or `rejected` product to `suggestion`.
//! - `reviewProduct` lets a moderator or admin (the `role` of their auth `users` row) publish or
//!   reject a `suggestion`, with an optional remark.
//!
//! Each check-then-write runs in one transaction holding the row (`FOR UPDATE` on PostgreSQL,
//! `BEGIN IMMEDIATE` on SQLite), so concurrent workflow steps cannot both pass their check.
//! Another vendor's product is `NOT_FOUND` unless it is published (then `FORBIDDEN`); a step
//! from the wrong status is `BAD_USER_INPUT` naming `id`.

use entity::deed_o::products;
use entity::deed_o::sea_orm_active_enums::{CausesEnum, PublishingStatusEnum as Status};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, QuerySelect,
};
use uuid::Uuid;

use crate::auth::Viewer;
use crate::error::ApiError;
use crate::graphql::write::{begin, commit, db_error};

/// Longest title.
const MAX_TITLE: usize = 200;
/// Longest description.
const MAX_DESCRIPTION: usize = 10_000;
/// Longest URL.
const MAX_URL: usize = 2048;
/// Most images of a product.
const MAX_IMAGES: usize = 20;
/// Longest review remark.
const MAX_REMARK: usize = 2000;

/// The signed-in Deed-O user. [`crate::identity`] found the live auth `users` row (and the
/// session's `tokens` row) when the request began.
pub fn actor(viewer: &Viewer) -> Result<i32, ApiError> {
    viewer.user_in("deed_o", "Deed-O")
}

/// Whether the viewer reviews products: a moderator or an admin by their auth `users.role`.
pub fn reviewer(viewer: &Viewer) -> bool {
    viewer.has_role("deed_o", "moderator") || viewer.is_admin("deed_o")
}

/// A nanoid: 21 characters of the URL-safe alphabet from 126 random bits.
pub fn nanoid() -> String {
    const ALPHABET: &[u8; 64] = b"_-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let bits = (Uuid::new_v4().as_u128() << 64) ^ Uuid::new_v4().as_u128().rotate_left(7);
    (0..21)
        .map(|i| {
            let idx = usize::try_from((bits >> (i * 6)) & 63).unwrap_or(0);
            char::from(ALPHABET[idx])
        })
        .collect()
}

/// The editable fields of a product; `None` keeps the stored value.
#[derive(Debug, Default)]
pub struct Fields {
    /// Cause.
    pub cause: Option<CausesEnum>,
    /// Maximum retail price.
    pub mrp: Option<f64>,
    /// Selling price.
    pub selling_price: Option<f64>,
    /// Image URLs.
    pub images: Option<Vec<String>>,
    /// Title.
    pub title: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// External URL.
    pub product_url: Option<String>,
}

fn text(arg: &str, v: Option<String>, max: usize) -> Result<Option<String>, ApiError> {
    let Some(v) = v else { return Ok(None) };
    let t = v.trim();
    if t.is_empty() || t.chars().count() > max {
        return Err(ApiError::input(arg, format!("needs 1 to {max} characters")));
    }
    Ok(Some(t.to_owned()))
}

fn url(arg: &str, v: &str) -> Result<(), ApiError> {
    let ok = (v.starts_with("https://") || v.starts_with("http://"))
        && v.len() <= MAX_URL
        && v.len() > "https://".len()
        && !v.contains(char::is_whitespace);
    if ok {
        Ok(())
    } else {
        Err(ApiError::input(arg, "expected an http(s) URL"))
    }
}

impl Fields {
    /// Checks every given field (trimming texts).
    fn checked(mut self) -> Result<Self, ApiError> {
        self.title = text("title", self.title, MAX_TITLE)?;
        self.description = text("description", self.description, MAX_DESCRIPTION)?;
        if let Some(u) = &self.product_url {
            url("productUrl", u.trim())?;
            self.product_url = Some(u.trim().to_owned());
        }
        if let Some(images) = &self.images {
            if images.len() > MAX_IMAGES {
                return Err(ApiError::input(
                    "images",
                    format!("at most {MAX_IMAGES} images"),
                ));
            }
            for i in images {
                url("images", i)?;
            }
        }
        for (arg, v) in [("mrp", self.mrp), ("sellingPrice", self.selling_price)] {
            if v.is_some_and(|p| !p.is_finite() || p <= 0.0) {
                return Err(ApiError::input(arg, "a price is a positive number"));
            }
        }
        Ok(self)
    }
}

fn price_order(mrp: f64, selling: f64) -> Result<(), ApiError> {
    if selling > mrp {
        return Err(ApiError::input(
            "sellingPrice",
            "the selling price is at most the MRP",
        ));
    }
    Ok(())
}

/// `createProduct`: a new draft of the vendor; answers its id.
pub async fn create(
    db: &DatabaseConnection,
    vendor: i32,
    fields: Fields,
) -> Result<String, ApiError> {
    let f = fields.checked()?;
    let missing = |arg: &str| ApiError::input(arg, "required");
    let mrp = f.mrp.ok_or_else(|| missing("mrp"))?;
    let selling = f.selling_price.ok_or_else(|| missing("sellingPrice"))?;
    price_order(mrp, selling)?;
    let id = format!("IM_{}", nanoid());
    let at = crate::graphql::write::now();
    // A transaction of its own, so that the answer is read back before it commits.
    let txn = begin(db).await?;
    products::ActiveModel {
        id: Set(id.clone()),
        cause: Set(f.cause.ok_or_else(|| missing("cause"))?),
        mrp: Set(mrp),
        selling_price: Set(selling),
        vendor_id: Set(vendor),
        images: Set(serde_json::json!(f.images.unwrap_or_default())),
        title: Set(f.title.ok_or_else(|| missing("title"))?),
        description: Set(f.description.ok_or_else(|| missing("description"))?),
        product_url: Set(f.product_url.ok_or_else(|| missing("productUrl"))?),
        publishing_status: Set(Status::Draft),
        created_at: Set(at),
        updated_at: Set(at),
        remark: Set(None),
    }
    .insert(&txn)
    .await
    .map_err(|e| db_error(e, "a product with this id"))?;
    commit(txn).await?;
    Ok(id)
}

/// The product `id` held for the transaction, when `vendor` may change it.
async fn own(
    txn: &DatabaseTransaction,
    vendor: i32,
    id: &str,
) -> Result<products::Model, ApiError> {
    let p = products::Entity::find_by_id(id.to_owned())
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no product {id}")))?;
    if p.vendor_id == vendor {
        return Ok(p);
    }
    if p.publishing_status == Status::Published {
        return Err(ApiError::Forbidden(
            "only the product's vendor may change it".into(),
        ));
    }
    Err(ApiError::NotFound(format!("no product {id}")))
}

/// `updateProduct`: changes the vendor's product and puts it back to draft.
pub async fn update(
    db: &DatabaseConnection,
    vendor: i32,
    id: &str,
    fields: Fields,
) -> Result<(), ApiError> {
    let f = fields.checked()?;
    let txn = begin(db).await?;
    let p = own(&txn, vendor, id).await?;
    price_order(
        f.mrp.unwrap_or(p.mrp),
        f.selling_price.unwrap_or(p.selling_price),
    )?;
    let mut m: products::ActiveModel = p.into();
    if let Some(v) = f.cause {
        m.cause = Set(v)
    }
    if let Some(v) = f.mrp {
        m.mrp = Set(v)
    }
    if let Some(v) = f.selling_price {
        m.selling_price = Set(v)
    }
    if let Some(v) = f.images {
        m.images = Set(serde_json::json!(v))
    }
    if let Some(v) = f.title {
        m.title = Set(v)
    }
    if let Some(v) = f.description {
        m.description = Set(v)
    }
    if let Some(v) = f.product_url {
        m.product_url = Set(v)
    }
    m.publishing_status = Set(Status::Draft);
    m.updated_at = Set(crate::graphql::write::now());
    m.update(&txn).await?;
    commit(txn).await?;
    Ok(())
}

/// `submitProduct`: draft or rejected → suggestion.
pub async fn submit(db: &DatabaseConnection, vendor: i32, id: &str) -> Result<(), ApiError> {
    let txn = begin(db).await?;
    let p = own(&txn, vendor, id).await?;
    if !matches!(p.publishing_status, Status::Draft | Status::Rejected) {
        return Err(ApiError::input(
            "id",
            "only a draft or rejected product can be submitted",
        ));
    }
    let mut m: products::ActiveModel = p.into();
    m.publishing_status = Set(Status::Suggestion);
    m.updated_at = Set(crate::graphql::write::now());
    m.update(&txn).await?;
    commit(txn).await?;
    Ok(())
}

/// `reviewProduct`: a moderator or admin publishes or rejects a suggestion.
pub async fn review(
    db: &DatabaseConnection,
    reviewer: bool,
    id: &str,
    publish: bool,
    remark: Option<String>,
) -> Result<(), ApiError> {
    if !reviewer {
        return Err(ApiError::Forbidden(
            "only moderators and admins review products".into(),
        ));
    }
    let remark = text("remark", remark, MAX_REMARK)?;
    let txn = begin(db).await?;
    let p = products::Entity::find_by_id(id.to_owned())
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no product {id}")))?;
    if p.publishing_status != Status::Suggestion {
        return Err(ApiError::input(
            "id",
            "only a submitted product (suggestion) can be reviewed",
        ));
    }
    let mut m: products::ActiveModel = p.into();
    m.publishing_status = Set(if publish {
        Status::Published
    } else {
        Status::Rejected
    });
    if remark.is_some() {
        m.remark = Set(remark);
    }
    m.updated_at = Set(crate::graphql::write::now());
    m.update(&txn).await?;
    commit(txn).await?;
    Ok(())
}
