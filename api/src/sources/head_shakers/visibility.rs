//! Head Shakers visibility rules beyond ownership and `is_public`:
//! - a profile follows its owner's `profile_visibility`: `public` for everyone, `followers` for
//!   the users who follow it, `private` for its owner only (no settings row: public);
//! - whoever blocked the viewer disappears for the viewer, with their content (HS-OP26);
//! - likes and comments follow their target: on live content the viewer cannot see they are
//!   hidden; on deleted content they show, their target null;
//! - a comment held for approval (the content owner's `moderate_comments`) shows only to its
//!   author, the content's owner and moderators until the owner approves it;
//! - location, join date, last activity, collection stats and collection value follow the
//!   owner's `show_*` settings (HS-OP38): hidden values read `null` to others, and no other
//!   path derives them. Each setting guards every column holding its value
//!   (`Column::shown_by`): `show_location` the user's `location`; `show_join_date` the user's
//!   `member_since` and `created_at` (the same instant); `show_last_active` the user's
//!   `last_active_at` (the user's `updated_at`, which a profile update moves with it, is the
//!   owner's only); `show_collection_stats` a collection's `total_items` and its
//!   sub-collections' `item_count`; `show_collection_value` a collection's `total_value` and
//!   its bobbleheads' `purchase_price`. `show_real_name` guards nothing: the seed has no real
//!   name column (HS-A14). The read layer compiles a guarded column into one `CASE` over a
//!   keyed probe of the owner's settings row, used by the field, `where` and `orderBy` alike:
//!   a hidden value never matches a filter, sorts as null, is null in cursors and adds nothing
//!   to an aggregate. Counts of rows the viewer may list (`totalCount`,
//!   `aggregate { count }`) are not hidden: the rows themselves are visible.
//!
//! Admins see everything (the read layer skips these rules for them).

use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, Query};

use crate::error::ApiError;
use crate::graphql::spec::{Kind, Setting, Table};
use crate::graphql::sql::{Scope, qcol};
use crate::graphql::value::Cell;

/// `show_location` (default off).
pub static SHOW_LOCATION: Setting = Setting {
    table: "user_settings",
    user_column: "user_id",
    flag: "show_location",
    default: false,
};
/// `show_join_date` (default on).
pub static SHOW_JOIN_DATE: Setting = Setting {
    table: "user_settings",
    user_column: "user_id",
    flag: "show_join_date",
    default: true,
};
/// `show_last_active` (default off).
pub static SHOW_LAST_ACTIVE: Setting = Setting {
    table: "user_settings",
    user_column: "user_id",
    flag: "show_last_active",
    default: false,
};
/// `show_collection_stats` (default on).
pub static SHOW_COLLECTION_STATS: Setting = Setting {
    table: "user_settings",
    user_column: "user_id",
    flag: "show_collection_stats",
    default: true,
};
/// `show_collection_value` (default off).
pub static SHOW_COLLECTION_VALUE: Setting = Setting {
    table: "user_settings",
    user_column: "user_id",
    flag: "show_collection_value",
    default: false,
};

fn viewer(scope: &Scope) -> Option<Expr> {
    scope
        .viewer_cell(Kind::Uuid)
        .map(|c| Expr::val(c.sql(Kind::Uuid, scope.backend)))
}

/// `column` holds none of the users who blocked the viewer (keys read with the viewer's
/// account, [`crate::auth::Viewer::blocked_by`]): no condition at all when nobody did, as
/// for most viewers, instead of a subquery of `user_blocks` in every statement.
fn not_by_blockers(column: Expr, scope: &Scope) -> Condition {
    let blockers: Vec<Expr> = scope
        .viewer
        .blocked_by
        .iter()
        .filter_map(|k| uuid::Uuid::parse_str(k).ok())
        .map(|u| Expr::val(Cell::Uuid(u).sql(Kind::Uuid, scope.backend)))
        .collect();
    if blockers.is_empty() {
        return Condition::all();
    }
    Condition::all().add(column.is_not_in(blockers))
}

/// Rows whose owner did not block the viewer.
pub fn not_blocked(table: &'static Table, scope: &Scope) -> Result<Condition, ApiError> {
    let Some(owner) = table.owner else {
        return Ok(Condition::all());
    };
    Ok(not_by_blockers(qcol(table.name, owner), scope))
}

/// Profiles the viewer may see (see the module doc).
pub fn profiles(table: &'static Table, scope: &Scope) -> Result<Condition, ApiError> {
    let id = qcol(table.name, "id");
    // Correlated on the user's key (a probe of `user_settings` by its unique `user_id`), not
    // `id NOT IN (every private profile)`, which reads all settings in every statement.
    let visibility = |values: &[&str]| {
        let probe = Query::select()
            .expr(Expr::cust("1"))
            .from(Alias::new("user_settings"))
            .and_where(qcol("user_settings", "user_id").eq(id.clone()))
            .and_where(
                Expr::col(Alias::new("profile_visibility"))
                    .cast_as("text")
                    .is_in(values.iter().copied()),
            )
            .to_owned();
        Expr::exists(probe)
    };
    let Some(v) = viewer(scope) else {
        return Ok(Condition::all().add(visibility(&["private", "followers"]).not()));
    };
    // A user follow is the one without a target (the table's CHECK): probed by the partial
    // unique index on (follower_id, following_id, follow_type) WHERE target_id IS NULL.
    let followed = Query::select()
        .expr(Expr::cust("1"))
        .from(Alias::new("follows"))
        .and_where(qcol("follows", "follower_id").eq(v.clone()))
        .and_where(qcol("follows", "following_id").eq(id.clone()))
        .and_where(qcol("follows", "target_id").is_null())
        .to_owned();
    let shown = Condition::any()
        .add(id.clone().eq(v.clone()))
        .add(visibility(&["private", "followers"]).not())
        .add(
            Condition::all()
                .add(visibility(&["followers"]))
                .add(Expr::exists(followed)),
        );
    Ok(Condition::all().add(shown).add(not_by_blockers(id, scope)))
}

/// Rows whose polymorphic target (`target_type` + `target_id`) is one the viewer may see, or
/// is gone: only a live target hidden from the viewer (private content) hides them. The
/// tables' polymorphic references are declared `guarded` for this: a target read inline from
/// such a row is checked for being live only.
fn targets(
    table: &'static Table,
    scope: &Scope,
    members: &[(&str, &str)],
) -> Result<Condition, ApiError> {
    let kind = || qcol(table.name, "target_type").cast_as("text");
    // Read for a target the viewer sees (its likes, its comments): that target is the one.
    if let Some((value, _)) = members
        .iter()
        .find(|(_, target)| scope.reads_under(table.name, "target_id", target))
    {
        return Ok(Condition::all().add(kind().eq(*value)));
    }
    let mut any = Condition::any();
    for (value, target) in members {
        let t = scope
            .source
            .table(target)
            .ok_or_else(|| ApiError::Internal(format!("{target} is not described")))?;
        // Both probes are correlated on the target's primary key: one index probe per row,
        // where `IN (every visible target)` or `NOT IN (every live target)` would read (and
        // hash) the whole target table in every statement that reads likes or comments.
        let visible = Query::select()
            .expr(Expr::cust("1"))
            .from(Alias::new(*target))
            .and_where(qcol(target, "id").equals((Alias::new(table.name), Alias::new("target_id"))))
            .cond_where(crate::graphql::sql::visibility(t, scope)?)
            .to_owned();
        let live = Query::select()
            .expr(Expr::cust("1"))
            .from(Alias::new(*target))
            .and_where(qcol(target, "id").equals((Alias::new(table.name), Alias::new("target_id"))))
            .cond_where(crate::graphql::sql::conds(t, t.always, scope.backend)?)
            .to_owned();
        any = any.add(
            Condition::all().add(kind().eq(*value)).add(
                Condition::any()
                    .add(Expr::exists(visible))
                    // A target that is gone (soft-deleted or never there) hides nothing:
                    // the row shows with a null target.
                    .add(Expr::exists(live).not()),
            ),
        );
    }
    Ok(any)
}

/// Likes follow their target: a like of live content the viewer cannot see is hidden too.
pub fn likes(table: &'static Table, scope: &Scope) -> Result<Condition, ApiError> {
    targets(
        table,
        scope,
        &[
            ("bobblehead", "bobbleheads"),
            ("collection", "collections"),
            ("comment", "comments"),
        ],
    )
}

/// Comments follow their target and hide with their author's block of the viewer; a comment
/// held for approval (`moderate_comments`) shows only to its author, the owner of its target and
/// moderators.
pub fn comments(table: &'static Table, scope: &Scope) -> Result<Condition, ApiError> {
    Ok(Condition::all()
        .add(not_blocked(table, scope)?)
        .add(approved_or_involved(table, scope))
        .add(targets(
            table,
            scope,
            &[("bobblehead", "bobbleheads"), ("collection", "collections")],
        )?))
}

/// Approved comments, and held ones the viewer wrote, received or moderates.
fn approved_or_involved(table: &'static Table, scope: &Scope) -> Condition {
    if scope.viewer.has_role(scope.source.id, "moderator") {
        return Condition::all();
    }
    let mut shown = Condition::any().add(qcol(table.name, "is_approved").eq(true));
    let Some(v) = viewer(scope) else {
        return shown;
    };
    shown = shown.add(qcol(table.name, "user_id").eq(v.clone()));
    for (value, target) in [("bobblehead", "bobbleheads"), ("collection", "collections")] {
        let owned = Query::select()
            .column(Alias::new("id"))
            .from(Alias::new(target))
            .and_where(Expr::col(Alias::new("user_id")).eq(v.clone()))
            .to_owned();
        shown = shown.add(
            Condition::all()
                .add(qcol(table.name, "target_type").cast_as("text").eq(value))
                .add(qcol(table.name, "target_id").in_subquery(owned)),
        );
    }
    shown
}
