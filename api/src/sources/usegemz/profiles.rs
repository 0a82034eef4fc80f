//! usegemz user profiles, trials and admins (UG-OP01..OP10): the viewer's profile and trial,
//! onboarding, the 7-day trial, and the admin role.
//!
//! - The viewer is the Clerk id of a usegemz token; writes without one are `UNAUTHENTICATED`,
//!   the `viewer…` reads answer `null`.
//! - Admin is the token's `admin` role or the viewer's `user_profiles.is_admin` (UG-OP07).
//!   Admin-only fields answer `FORBIDDEN` to everyone else.
//! - A trial whose `trial_end_date` has passed reads as `expired` on every read — `viewerTrial`,
//!   `viewerProfile`, `userProfiles`, `node` and the `trialStatus` filter alike (the columns are
//!   computed on read, no background job is needed); the next write to that profile stores it.
//! - Optional arguments left out or `null` keep the stored value; a nullable column is cleared
//!   by naming its argument in `clear`.

mod rules;
mod service;

use std::sync::Arc;

use async_graphql::dynamic::{
    Field, FieldFuture, FieldValue, InputValue, Object, ResolverContext, Type, TypeRef,
};
use async_graphql::{ErrorExtensions, Value};
use migration::Database;
use sea_orm::DbBackend;
use sea_orm::sea_query::{Condition, Expr, ExprTrait};

use super::enums::{ONBOARDING_STEP, SUBSCRIPTION_STATUS, TRIAL_STATUS};
use crate::error::{ApiError, OrGql};
use crate::graphql::children::prefetch_rows;
use crate::graphql::context::RequestData;
use crate::graphql::fetch::{BatchKey, Loaded, Shape, Work};
use crate::graphql::filter::input_cell;
use crate::graphql::plan::Plan;
use crate::graphql::schema::object_id;
use crate::graphql::schema::{data, lookup_column};
use crate::graphql::select::columns_for;
use crate::graphql::spec::{Kind, Source, Table};
use crate::graphql::sql::qcol;
use crate::graphql::value::{Cell, Key};
use rules::{Action, MAX_DESCRIPTION, MAX_NAME, MAX_USER_ID, Trial};
use service::{NewProfile, Patch, ProfilePatch};

/// The profile fields of `createProfile` / `updateProfile`: argument, longest value, doc.
const PROFILE_ARGS: [(&str, usize, &str); 7] = [
    ("email", rules::MAX_EMAIL, "Primary e-mail address."),
    ("name", MAX_NAME, "User name (original profile field)."),
    (
        "companyName",
        MAX_NAME,
        "Company name (original profile field).",
    ),
    ("industry", MAX_NAME, "Industry (original profile field)."),
    (
        "fullName",
        MAX_NAME,
        "Full name captured during onboarding.",
    ),
    (
        "businessName",
        MAX_NAME,
        "Business or brand name captured during onboarding.",
    ),
    (
        "brandDescription",
        MAX_DESCRIPTION,
        "Brand description captured during onboarding.",
    ),
];

/// The fields `advanceOnboarding` can capture with a step.
const CAPTURE_ARGS: [&str; 3] = ["fullName", "businessName", "brandDescription"];

// ---- shared with the other usegemz groups --------------------------------------------------

/// The signed-in usegemz user's Clerk id, or `UNAUTHENTICATED`.
pub(super) fn viewer_key(data: &RequestData, source: &'static Source) -> Result<String, ApiError> {
    data.viewer
        .key_in(source.id)
        .map(str::to_owned)
        .ok_or_else(|| ApiError::Unauthenticated("sign in to usegemz to do this".into()))
}

/// The signed-in admin's Clerk id: `UNAUTHENTICATED` without a usegemz token, `FORBIDDEN` for
/// a non-admin.
pub(super) async fn require_admin(
    data: &RequestData,
    source: &'static Source,
) -> Result<String, ApiError> {
    let key = viewer_key(data, source)?;
    // `is_admin` on the profile or a configured admin id (UG-OP07, UG-A15), as identity read it.
    if data.viewer.is_admin(source.id) {
        Ok(key)
    } else {
        Err(ApiError::Forbidden(
            "only usegemz admins may do this".into(),
        ))
    }
}

/// The argument as given: `None` when left out, `Some(Value::Null)` for an explicit null.
pub(super) fn given(ctx: &ResolverContext<'_>, name: &str) -> Option<Value> {
    ctx.args.get(name).map(|v| v.as_value().clone())
}

/// A string argument, `None` when left out or null.
pub(super) fn opt_string(ctx: &ResolverContext<'_>, name: &str) -> Option<String> {
    match given(ctx, name) {
        Some(Value::String(s)) => Some(s),
        _ => None,
    }
}

/// An argument with its description.
pub(super) fn arg(name: &str, ty: TypeRef, doc: &str) -> InputValue {
    InputValue::new(name, ty).description(doc)
}

/// A timestamp as the gateway answers it (UTC RFC 3339).
pub(super) fn timestamp(t: Option<chrono::NaiveDateTime>) -> Value {
    t.map_or(Value::Null, |t| Cell::Timestamp(t).graphql(Kind::Timestamp))
}

/// A field's answer: `None` for null (a `FieldValue` may not carry a null scalar).
pub(super) fn value_or_none(v: Value) -> Option<FieldValue<'static>> {
    match v {
        Value::Null => None,
        v => Some(FieldValue::value(v)),
    }
}

fn stored_enum(def: &'static crate::graphql::spec::EnumDef, v: &str) -> Value {
    Cell::Text(v.to_owned()).graphql(Kind::Enum(def))
}

// ---- reading profiles back ------------------------------------------------------------------

/// Whether a profile row's trial is due to expire ([`Trial::is_due`] in SQL).
fn trial_due(table: &Table) -> Condition {
    Condition::all()
        .add(qcol(table.name, "trial_status").eq("active"))
        .add(qcol(table.name, "trial_end_date").lt(Expr::val(service::now())))
}

/// `trial_status` as every read answers it — fields, filters, orderings and cursors alike:
/// an active trial whose end has passed reads as `expired` ([`Trial::at`]).
pub fn trial_status_expr(table: &Table, _backend: DbBackend) -> Expr {
    Expr::case(trial_due(table), Expr::val("expired"))
        .finally(qcol(table.name, "trial_status"))
        .into()
}

/// `subscription_status` as every read answers it: the `trialing` subscription of a trial
/// that reads as expired reads as `canceled` ([`Trial::at`]).
pub fn subscription_status_expr(table: &Table, _backend: DbBackend) -> Expr {
    let status = qcol(table.name, "subscription_status");
    let due = trial_due(table).add(status.clone().eq("trialing"));
    Expr::case(due, Expr::val("canceled"))
        .finally(status)
        .into()
}

/// The profile of `user_id` through the read layer (`elevated`: read as an admin, for a data
/// admin whose token has no `admin` role), with an expired trial read as such.
async fn profile_value(
    ctx: &ResolverContext<'_>,
    source: &'static Source,
    user_id: &str,
    elevated: bool,
) -> async_graphql::Result<Option<FieldValue<'static>>> {
    let data = data(ctx)?;
    let table = source
        .table("user_profiles")
        .ok_or_else(|| ApiError::Internal("user_profiles is not described".into()).extend())?;
    let key = lookup_column(table, "user_id").gql()?;
    let plan = Plan::of(ctx.ctx.field());
    let mut columns = columns_for(table, &plan, source);
    for name in ["trial_status", "subscription_status", "trial_end_date"] {
        if let Some(c) = table.column(name)
            && !columns.iter().any(|x| x.name == name)
        {
            columns.push(c);
        }
    }
    let mut scope = data.scope(source, table);
    if elevated && !scope.admin() {
        let mut v = (*scope.viewer).clone();
        v.roles.push("admin".into());
        scope.viewer = Arc::new(v);
    }
    let shape = Arc::new(Shape::new(table, key, columns, Work::Rows, scope));
    let parent = Key::Text(user_id.to_owned());
    let loaded = data.loader.load(BatchKey { shape, parent }).await.gql()?;
    let Loaded::Rows(rows) = loaded.as_ref() else {
        return Ok(None);
    };
    let Some(found) = rows.first() else {
        return Ok(None);
    };
    // An expired trial already reads as such: its columns are computed on read.
    let row = Arc::new(found.clone());
    prefetch_rows(&data.ctx(), source, std::slice::from_ref(&row), &plan);
    Ok(Some(FieldValue::owned_any(row)))
}

/// The written profile of `user_id`, read back after a write.
async fn written(
    ctx: &ResolverContext<'_>,
    source: &'static Source,
    user_id: &str,
    elevated: bool,
) -> async_graphql::Result<Option<FieldValue<'static>>> {
    data(ctx)?.loader.invalidate();
    match profile_value(ctx, source, user_id, elevated).await? {
        Some(v) => Ok(Some(v)),
        None => Err(ApiError::NotFound(format!(
            "the profile {user_id} was written, then removed before it could be read back"
        ))
        .extend()),
    }
}

// ---- the trial and admin types --------------------------------------------------------------

/// A viewer's trial as `UsegemzTrial` resolves it.
struct TrialView {
    user_id: String,
    trial: Trial,
    now: chrono::NaiveDateTime,
}

async fn trial_view(data: &RequestData, user_id: &str) -> Result<Option<TrialView>, ApiError> {
    let db = data.conns.get(Database::Usegemz)?;
    Ok(service::find(db, user_id).await?.map(|m| TrialView {
        user_id: m.user_id.clone(),
        trial: service::trial_of(&m),
        now: service::now(),
    }))
}

fn trial_type(source: &'static Source) -> Object {
    let f = |name: &'static str, ty: TypeRef, doc: &'static str| {
        Field::new(name, ty, move |ctx| {
            FieldFuture::new(async move {
                let v = ctx.parent_value.try_downcast_ref::<TrialView>()?;
                let t = v.trial.at(v.now);
                Ok(value_or_none(match name {
                    "id" => {
                        Value::String(object_id("UsegemzTrial", std::slice::from_ref(&v.user_id)))
                    }
                    "status" => stored_enum(&TRIAL_STATUS, &t.status),
                    "subscriptionStatus" => stored_enum(&SUBSCRIPTION_STATUS, &t.subscription),
                    "startDate" => timestamp(t.start),
                    "endDate" => timestamp(t.end),
                    _ => t
                        .days_left(v.now)
                        .map_or(Value::Null, |d| Value::Number(d.into())),
                }))
            })
        })
        .description(doc)
    };
    Object::new("UsegemzTrial")
        .description("The signed-in user's 7-day trial as it stands now: an active trial whose end has passed reads as expired (and its `trialing` subscription as canceled) without waiting for a job; the next write to the profile stores that.")
        .field(f("id", TypeRef::named_nn(TypeRef::ID), "Global id of the trial: one per profile."))
        .field(f("status", TypeRef::named_nn(TRIAL_STATUS.name), "Trial state (`NULL` stored reads as pending)."))
        .field(f("startDate", TypeRef::named("DateTime"), "When the trial started."))
        .field(f("endDate", TypeRef::named("DateTime"), "When the trial ends (start + 7 days)."))
        .field(f("daysLeft", TypeRef::named(TypeRef::INT), "Whole days left, rounded up, while active; 0 once expired; null otherwise."))
        .field(f("subscriptionStatus", TypeRef::named_nn(SUBSCRIPTION_STATUS.name), "Subscription state (`NULL` stored reads as none)."))
        .field(
            Field::new("profile", TypeRef::named("UsegemzUserProfile"), move |ctx| {
                FieldFuture::new(async move {
                    let user = ctx.parent_value.try_downcast_ref::<TrialView>()?.user_id.clone();
                    profile_value(&ctx, source, &user, false).await
                })
            })
            .description("The profile the trial belongs to."),
        )
}

fn admin_type() -> Object {
    let f = |name: &'static str, ty: TypeRef, doc: &'static str| {
        Field::new(name, ty, move |ctx| {
            FieldFuture::new(async move {
                let a = ctx.parent_value.try_downcast_ref::<service::AdminRow>()?;
                let text = |s: &Option<String>| s.clone().map_or(Value::Null, Value::String);
                Ok(value_or_none(match name {
                    "userId" => Value::String(a.user_id.clone()),
                    "fullName" => text(&a.full_name),
                    "email" => text(&a.email),
                    "isAdmin" => Value::Boolean(a.is_admin),
                    _ => timestamp(Some(a.updated_at)),
                }))
            })
        })
        .description(doc)
    };
    Object::new("UsegemzAdmin")
        .description("An admin user with the columns of «Get All Admin Users» (UG-OP10).")
        .field(f(
            "userId",
            TypeRef::named_nn(TypeRef::STRING),
            "Clerk user id.",
        ))
        .field(f("fullName", TypeRef::named(TypeRef::STRING), "Full name."))
        .field(f(
            "email",
            TypeRef::named(TypeRef::STRING),
            "E-mail address.",
        ))
        .field(f(
            "isAdmin",
            TypeRef::named_nn(TypeRef::BOOLEAN),
            "Always true.",
        ))
        .field(f(
            "updatedAt",
            TypeRef::named_nn("DateTime"),
            "When the profile was last updated.",
        ))
}

// ---- argument parsing -------------------------------------------------------------------------

/// The `clear` argument: names of profile arguments whose columns become null, each one of
/// the profile arguments and not also given a value.
fn clears(ctx: &ResolverContext<'_>) -> Result<Vec<String>, ApiError> {
    let names: Vec<String> = match given(ctx, "clear") {
        Some(Value::List(items)) => items
            .into_iter()
            .filter_map(|v| match v {
                Value::String(s) => Some(s),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    for n in &names {
        if !PROFILE_ARGS.iter().any(|(a, _, _)| a == n) {
            return Err(ApiError::input("clear", format!("{n} cannot be cleared")));
        }
        if !matches!(given(ctx, n), None | Some(Value::Null)) {
            return Err(ApiError::input(
                "clear",
                format!("{n} is both given and cleared"),
            ));
        }
    }
    Ok(names)
}

/// One profile argument as a checked patch.
fn patch(
    ctx: &ResolverContext<'_>,
    name: &str,
    clear: &[String],
) -> Result<Patch<String>, ApiError> {
    if clear.iter().any(|c| c == name) {
        return Ok(Some(None));
    }
    let max = PROFILE_ARGS
        .iter()
        .find(|(a, _, _)| *a == name)
        .map_or(MAX_NAME, |(_, m, _)| *m);
    match given(ctx, name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if name == "email" => Ok(Some(Some(rules::email(name, &s)?))),
        Some(Value::String(s)) => Ok(Some(Some(rules::text(name, &s, max)?))),
        Some(_) => Err(ApiError::input(name, "expected a string")),
    }
}

/// The profile arguments of a mutation (`only`: a subset of them).
fn profile_patch(
    ctx: &ResolverContext<'_>,
    only: Option<&[&str]>,
    clear: &[String],
) -> Result<ProfilePatch, ApiError> {
    let get = |name: &str| -> Result<Patch<String>, ApiError> {
        if only.is_some_and(|o| !o.contains(&name)) {
            return Ok(None);
        }
        patch(ctx, name, clear)
    };
    Ok(ProfilePatch {
        email: get("email")?,
        name: get("name")?,
        company_name: get("companyName")?,
        industry: get("industry")?,
        full_name: get("fullName")?,
        business_name: get("businessName")?,
        brand_description: get("brandDescription")?,
    })
}

fn step_arg(ctx: &ResolverContext<'_>, name: &str) -> Result<Option<String>, ApiError> {
    match given(ctx, name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => match input_cell(Kind::Enum(&ONBOARDING_STEP), &v, name)? {
            Cell::Text(s) => Ok(Some(s)),
            _ => Err(ApiError::input(name, "expected a UsegemzOnboardingStep")),
        },
    }
}

fn user_id_arg(ctx: &ResolverContext<'_>) -> Result<String, ApiError> {
    rules::text(
        "userId",
        &opt_string(ctx, "userId").unwrap_or_default(),
        MAX_USER_ID,
    )
}

// ---- fields -----------------------------------------------------------------------------------

type Resolver = for<'a> fn(ResolverContext<'a>, &'static Source) -> FieldFuture<'a>;

fn field(source: &'static Source, name: &str, ty: TypeRef, doc: &str, resolve: Resolver) -> Field {
    Field::new(name, ty, move |ctx| resolve(ctx, source)).description(doc)
}

fn with_profile_args(mut f: Field, only: Option<&[&str]>) -> Field {
    for (name, max, doc) in PROFILE_ARGS {
        if only.is_none_or(|o| o.contains(&name)) {
            f = f.argument(arg(
                name,
                TypeRef::named(TypeRef::STRING),
                &format!("{doc} At most {max} characters; not blank."),
            ));
        }
    }
    f
}

/// Query fields of this group.
pub fn queries(source: &'static Source) -> Vec<Field> {
    vec![
        field(
            source,
            "viewerProfile",
            TypeRef::named("UsegemzUserProfile"),
            "The signed-in user's profile with its trial data (UG-OP01); null when signed out or without a profile. An active trial whose end has passed reads as expired here.",
            |ctx, source| {
                FieldFuture::new(async move {
                    let data = data(&ctx)?;
                    let Some(key) = data.viewer.key_in(source.id) else {
                        return Ok(None);
                    };
                    let key = key.to_owned();
                    profile_value(&ctx, source, &key, false).await
                })
            },
        ),
        field(
            source,
            "viewerTrial",
            TypeRef::named("UsegemzTrial"),
            "The signed-in user's trial as it stands now (expiry computed on read); null when signed out or without a profile.",
            |ctx, source| {
                FieldFuture::new(async move {
                    let data = data(&ctx)?;
                    let Some(key) = data.viewer.key_in(source.id) else {
                        return Ok(None);
                    };
                    let view = trial_view(data, key).await.gql()?;
                    Ok(view.map(FieldValue::owned_any))
                })
            },
        ),
        field(
            source,
            "admins",
            TypeRef::named_nn_list_nn("UsegemzAdmin"),
            "Every user whose profile has `is_admin` (UG-OP10), by full name (unnamed last) then user id. Admins only.",
            |ctx, source| {
                FieldFuture::new(async move {
                    let data = data(&ctx)?;
                    require_admin(data, source).await.gql()?;
                    let db = data.conns.get(Database::Usegemz).gql()?;
                    let list = service::admins(db).await.gql()?;
                    Ok(Some(FieldValue::list(
                        list.into_iter().map(FieldValue::owned_any),
                    )))
                })
            },
        ),
    ]
}

async fn trial_action(
    ctx: &ResolverContext<'_>,
    source: &'static Source,
    action: Action,
) -> async_graphql::Result<Option<FieldValue<'static>>> {
    let data = data(ctx)?;
    let key = viewer_key(data, source).gql()?;
    let db = data.conns.get(Database::Usegemz).gql()?;
    service::trial(db, &key, action).await.gql()?;
    data.loader.invalidate();
    let view = trial_view(data, &key).await.gql()?;
    match view {
        Some(v) => Ok(Some(FieldValue::owned_any(v))),
        None => Err(ApiError::Internal(format!("profile {key} vanished")).extend()),
    }
}

/// Mutation fields of this group and the extra types they need.
pub fn mutations(source: &'static Source) -> (Vec<Field>, Vec<Type>) {
    let profile = || TypeRef::named_nn("UsegemzUserProfile");
    let trial = || TypeRef::named_nn("UsegemzTrial");
    let create = field(source, "createProfile", profile(), "Creates the signed-in user's profile (UG-OP02) with a pending trial, no subscription and no admin role; CONFLICT when it exists.", |ctx, source| {
        FieldFuture::new(async move {
            let data = data(&ctx)?;
            let key = viewer_key(data, source).gql()?;
            let p = profile_patch(&ctx, None, &[]).gql()?;
            let step = step_arg(&ctx, "onboardingStep").gql()?.unwrap_or_else(|| "pending".into());
            let new = NewProfile {
                email: p.email.flatten(),
                name: p.name.flatten(),
                company_name: p.company_name.flatten(),
                industry: p.industry.flatten(),
                full_name: p.full_name.flatten(),
                business_name: p.business_name.flatten(),
                brand_description: p.brand_description.flatten(),
                onboarding_step: step,
            };
            let db = data.conns.get(Database::Usegemz).gql()?;
            service::create(db, &key, new).await.gql()?;
            written(&ctx, source, &key, false).await
        })
    })
    .argument(arg("onboardingStep", TypeRef::named(ONBOARDING_STEP.name), "Initial onboarding step; default PENDING (the seed's example creates completed profiles)."));
    let update = field(source, "updateProfile", profile(), "Changes the signed-in user's profile fields; NOT_FOUND without a profile.", |ctx, source| {
        FieldFuture::new(async move {
            let data = data(&ctx)?;
            let key = viewer_key(data, source).gql()?;
            let clear = clears(&ctx).gql()?;
            let p = profile_patch(&ctx, None, &clear).gql()?;
            let db = data.conns.get(Database::Usegemz).gql()?;
            service::update_profile(db, &key, p).await.gql()?;
            written(&ctx, source, &key, false).await
        })
    })
    .argument(arg("clear", TypeRef::named_nn_list(TypeRef::STRING), "Arguments whose values become null: email, name, companyName, industry, fullName, businessName, brandDescription."));
    let advance = field(source, "advanceOnboarding", profile(), "Moves the signed-in user's onboarding to `step` (order: pending → info_captured → intent_captured → completed), capturing the given onboarding fields with it. Forward one step at a time, or staying, is allowed; skipping a step is BAD_USER_INPUT on `step` (a reason does not change that); going back is BAD_USER_INPUT on `step` unless a `reason` is given (then it is logged, not stored: the table has no column for it).", |ctx, source| {
        FieldFuture::new(async move {
            let data = data(&ctx)?;
            let key = viewer_key(data, source).gql()?;
            let step = step_arg(&ctx, "step")
                .gql()?
                .ok_or_else(|| ApiError::input("step", "step is required"))
                .gql()?;
            let reason = opt_string(&ctx, "reason");
            if let Some(r) = &reason {
                rules::text("reason", r, MAX_DESCRIPTION).gql()?;
            }
            let capture = profile_patch(&ctx, Some(&CAPTURE_ARGS), &[]).gql()?;
            let db = data.conns.get(Database::Usegemz).gql()?;
            service::advance_onboarding(db, &key, &step, reason.as_deref(), capture).await.gql()?;
            written(&ctx, source, &key, false).await
        })
    })
    .argument(arg("step", TypeRef::named_nn(ONBOARDING_STEP.name), "The step to move to."))
    .argument(arg("reason", TypeRef::named(TypeRef::STRING), "Why onboarding goes back (required to go back; not blank)."));
    let start = field(
        source,
        "startTrial",
        trial(),
        "Starts the signed-in user's 7-day trial (UG-OP04): status active, start now and end now + 7 days together, subscription trialing. Only from a pending trial — a trial is started once, so after an expiry, a cancel or a conversion it is BAD_USER_INPUT; NOT_FOUND without a profile.",
        |ctx, source| {
            FieldFuture::new(async move { trial_action(&ctx, source, Action::Start).await })
        },
    );
    let cancel = field(
        source,
        "cancelTrial",
        trial(),
        "Cancels the signed-in user's active trial: status cancelled, subscription canceled. BAD_USER_INPUT unless active (an expired trial is stored as expired and refused).",
        |ctx, source| {
            FieldFuture::new(async move { trial_action(&ctx, source, Action::Cancel).await })
        },
    );
    let convert = field(
        source,
        "convertTrial",
        trial(),
        "Converts the signed-in user's active or expired trial to a paid subscription: status converted, subscription active. BAD_USER_INPUT from any other state.",
        |ctx, source| {
            FieldFuture::new(async move { trial_action(&ctx, source, Action::Convert).await })
        },
    );
    let promote = field(source, "promoteAdmin", profile(), "Gives a user's profile the admin role (UG-OP08); a no-op for an admin. Admins only; NOT_FOUND when the user has no profile.", |ctx, source| {
        FieldFuture::new(async move { set_admin(&ctx, source, true).await })
    })
    .argument(arg("userId", TypeRef::named_nn(TypeRef::STRING), "Clerk id of the user."));
    let demote = field(source, "demoteAdmin", profile(), "Takes the admin role from a user's profile (UG-OP09); a no-op for a non-admin. Admins only; demoting the last admin (for instance yourself when you are the only one) is BAD_USER_INPUT on `userId`.", |ctx, source| {
        FieldFuture::new(async move { set_admin(&ctx, source, false).await })
    })
    .argument(arg("userId", TypeRef::named_nn(TypeRef::STRING), "Clerk id of the user."));
    let fields = vec![
        with_profile_args(create, None),
        with_profile_args(update, None),
        with_profile_args(advance, Some(&CAPTURE_ARGS)),
        start,
        cancel,
        convert,
        promote,
        demote,
    ];
    (
        fields,
        vec![Type::from(trial_type(source)), Type::from(admin_type())],
    )
}

async fn set_admin(
    ctx: &ResolverContext<'_>,
    source: &'static Source,
    admin: bool,
) -> async_graphql::Result<Option<FieldValue<'static>>> {
    let data = data(ctx)?;
    require_admin(data, source).await.gql()?;
    let target = user_id_arg(ctx).gql()?;
    let db = data.conns.get(Database::Usegemz).gql()?;
    service::set_admin(db, &target, admin).await.gql()?;
    written(ctx, source, &target, true).await
}
