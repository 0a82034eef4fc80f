//! From a verified token to a [`Viewer`]: each source maps the token's subject to its own user,
//! as its seed says, and takes the viewer's roles from its own data. Role claims in tokens are
//! never trusted, so a token cannot promote its bearer, and a demoted admin loses the role with
//! the next request.
//!
//! | source | gateway token (`sub`) | provider token (`sub`) | roles from |
//! |---|---|---|---|
//! | `head_shakers` | `users.id` | Clerk id → `users.clerk_id` | `users.role` |
//! | `usegemz` | Clerk id | Clerk id | `user_profiles.is_admin`, and the configured admin ids (UG-A15) |
//! | `character_creation` | `users.id` | Auth0 id → `users.auth0_id` (CC-A10) | `users.role` |
//! | `mind_vault` | BetterAuth `user.id` | BetterAuth `user.id` | `user.role` (BetterAuth admin plugin) |
//! | `deed_o` | auth `users.id`, with `sid` the live `tokens` row | refused | auth `users.role` |
//!
//! A subject without a user row is `UNAUTHENTICATED` (a deleted account's tokens stop working),
//! except in usegemz, whose users exist in Clerk before they create a profile, and a Character
//! Creation Auth0 user signing in for the first time: the account is created from the token's
//! `email` and `name`, as the seed's Auth0 sign-up does. Deed-O sessions end when their
//! `tokens` row expires or is deleted (`signOut`).
//!
//! Resolution runs on the request's counted connections: one statement for a signed-in request
//! (two for a first Auth0 sign-in), none for an anonymous one.

use std::sync::Arc;

use entity::character_creation::sea_orm_active_enums::{SubscriptionTier, UserRole as CcUserRole};
use entity::character_creation::users as cc_users;
use entity::deed_o_auth::sea_orm_active_enums::UsersRolesEnum;
use entity::deed_o_auth::{tokens, users as do_users};
use entity::head_shakers::sea_orm_active_enums::UserRole as HsUserRole;
use entity::head_shakers::user_blocks as hs_blocks;
use entity::head_shakers::users as hs_users;
use entity::mind_vault::user as mv_user;
use entity::usegemz::user_profiles;
use migration::Database;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, JoinType, QueryFilter, QuerySelect, RelationTrait,
};
use uuid::Uuid;

use crate::auth::{Claimed, Issuer, Viewer};
use crate::db::Connections;
use crate::error::ApiError;

/// What identity resolution needs beyond the databases.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    /// Clerk ids that are usegemz admins whatever their profile says (UG-A15: the seed's admin
    /// role «works with environment variables»).
    pub usegemz_admins: Arc<[String]>,
}

impl Directory {
    /// A directory with the configured usegemz admin ids.
    pub fn new(usegemz_admins: Vec<String>) -> Self {
        Directory {
            usegemz_admins: usegemz_admins.into(),
        }
    }
}

fn unauthenticated(message: impl Into<String>) -> ApiError {
    ApiError::Unauthenticated(message.into())
}

/// The viewer a verified token stands for (`None`: anonymous).
pub async fn resolve(
    conns: &Connections,
    directory: &Directory,
    claimed: Option<Claimed>,
) -> Result<Viewer, ApiError> {
    let Some(claimed) = claimed else {
        return Ok(Viewer::anonymous());
    };
    let mut blocked_by = Vec::new();
    let (key, roles) = match claimed.source.as_str() {
        "head_shakers" => head_shakers(conns, &claimed, &mut blocked_by).await?,
        "usegemz" => usegemz(conns, directory, &claimed).await?,
        "character_creation" => character_creation(conns, &claimed).await?,
        "mind_vault" => mind_vault(conns, &claimed).await?,
        "deed_o" => deed_o(conns, &claimed).await?,
        other => {
            return Err(unauthenticated(format!(
                "invalid bearer token: `{other}` is not a gateway source"
            )));
        }
    };
    Ok(Viewer {
        session: claimed.session.filter(|_| claimed.source == "deed_o"),
        expires_at: Some(claimed.expires_at),
        user: Some((claimed.source, key)),
        roles,
        blocked_by,
    })
}

/// A gateway token's subject as a uuid key.
fn uuid_subject(claimed: &Claimed, source: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(&claimed.subject).map_err(|_| {
        unauthenticated(format!(
            "invalid bearer token: a {source} gateway token names the user's id (a UUID)"
        ))
    })
}

/// The Head Shakers user and roles, and (into `blocked_by`) who blocked them: one statement,
/// a row per blocker (one without when nobody did).
async fn head_shakers(
    conns: &Connections,
    claimed: &Claimed,
    blocked_by: &mut Vec<String>,
) -> Result<(String, Vec<String>), ApiError> {
    let db = conns.get(Database::HeadShakers)?;
    let query = hs_users::Entity::find()
        .select_only()
        .column(hs_users::Column::Id)
        .column(hs_users::Column::Role)
        .column(hs_blocks::Column::BlockerId)
        // The blocks received: `user_blocks.blocked_id` = the user (the relation's reverse).
        .join(JoinType::LeftJoin, hs_blocks::Relation::Users2.def().rev())
        .filter(hs_users::Column::IsDeleted.eq(false));
    let query = match claimed.issuer {
        Issuer::Gateway => {
            query.filter(hs_users::Column::Id.eq(uuid_subject(claimed, "Head Shakers")?))
        }
        Issuer::Provider => query.filter(hs_users::Column::ClerkId.eq(claimed.subject.as_str())),
    };
    let rows = query
        .into_tuple::<(Uuid, HsUserRole, Option<Uuid>)>()
        .all(db)
        .await?;
    let (id, role, _) = rows
        .first()
        .cloned()
        .ok_or_else(|| unauthenticated("no Head Shakers account belongs to this token"))?;
    blocked_by.extend(rows.iter().filter_map(|(_, _, b)| b.map(|b| b.to_string())));
    let roles = match role {
        HsUserRole::Admin => vec!["admin".to_owned()],
        HsUserRole::Moderator => vec!["moderator".to_owned()],
        HsUserRole::User => Vec::new(),
    };
    Ok((id.to_string(), roles))
}

async fn usegemz(
    conns: &Connections,
    directory: &Directory,
    claimed: &Claimed,
) -> Result<(String, Vec<String>), ApiError> {
    let key = claimed.subject.clone();
    let configured = directory.usegemz_admins.contains(&key);
    let admin = configured
        || user_profiles::Entity::find()
            .select_only()
            .column(user_profiles::Column::IsAdmin)
            .filter(user_profiles::Column::UserId.eq(key.as_str()))
            .into_tuple::<Option<bool>>()
            .one(conns.get(Database::Usegemz)?)
            .await?
            .flatten()
            .unwrap_or(false);
    let roles = if admin {
        vec!["admin".to_owned()]
    } else {
        Vec::new()
    };
    Ok((key, roles))
}

async fn character_creation(
    conns: &Connections,
    claimed: &Claimed,
) -> Result<(String, Vec<String>), ApiError> {
    let db = conns.get(Database::CharacterCreation)?;
    let find = || {
        let query = cc_users::Entity::find()
            .select_only()
            .column(cc_users::Column::Id)
            .column(cc_users::Column::Role);
        match claimed.issuer {
            Issuer::Gateway => uuid_subject(claimed, "Character Creation")
                .map(|id| query.filter(cc_users::Column::Id.eq(id))),
            Issuer::Provider => {
                Ok(query.filter(cc_users::Column::Auth0Id.eq(claimed.subject.as_str())))
            }
        }
    };
    let mut found = find()?.into_tuple::<(Uuid, CcUserRole)>().one(db).await?;
    if found.is_none() && claimed.issuer == Issuer::Provider {
        provision(db, claimed).await?;
        found = find()?.into_tuple::<(Uuid, CcUserRole)>().one(db).await?;
        if found.is_none() {
            return Err(unauthenticated(
                "the e-mail address of this Auth0 user belongs to another Character Creation account",
            ));
        }
    }
    let (id, role) = found
        .ok_or_else(|| unauthenticated("no Character Creation account belongs to this token"))?;
    let roles = match role {
        CcUserRole::Admin => vec!["admin".to_owned()],
        CcUserRole::User => Vec::new(),
    };
    Ok((id.to_string(), roles))
}

/// Creates the Character Creation account of an Auth0 user signing in for the first time
/// (FREE tier, USER role). Nothing is written when the e-mail address or Auth0 id is taken.
async fn provision(db: &sea_orm::DatabaseConnection, claimed: &Claimed) -> Result<(), ApiError> {
    let email = claimed
        .email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .ok_or_else(|| {
            unauthenticated(
                "no Character Creation account is linked to this Auth0 user, and the token states no e-mail address to create one",
            )
        })?;
    let name = claimed
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    let row = cc_users::ActiveModel {
        id: Set(Uuid::new_v4()),
        email: Set(email.to_owned()),
        name: Set(name.map(str::to_owned)),
        auth0_id: Set(Some(claimed.subject.clone())),
        subscription_tier: Set(SubscriptionTier::Free),
        role: Set(CcUserRole::User),
        ..Default::default()
    };
    cc_users::Entity::insert(row)
        .on_conflict(OnConflict::new().do_nothing().to_owned())
        .try_insert()
        .exec_without_returning(db)
        .await?;
    Ok(())
}

async fn mind_vault(
    conns: &Connections,
    claimed: &Claimed,
) -> Result<(String, Vec<String>), ApiError> {
    let db = conns.get(Database::MindVault)?;
    let (id, role) = mv_user::Entity::find_by_id(claimed.subject.clone())
        .select_only()
        .column(mv_user::Column::Id)
        .column(mv_user::Column::Role)
        .into_tuple::<(String, Option<String>)>()
        .one(db)
        .await?
        .ok_or_else(|| unauthenticated("no Mind-vault account belongs to this token"))?;
    // BetterAuth's admin plugin stores one role or a comma-separated list.
    let roles = role
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|r| !r.is_empty() && *r != "user")
        .map(str::to_owned)
        .collect();
    Ok((id, roles))
}

async fn deed_o(conns: &Connections, claimed: &Claimed) -> Result<(String, Vec<String>), ApiError> {
    if claimed.issuer == Issuer::Provider {
        return Err(unauthenticated(
            "invalid bearer token: Deed-O accepts only the sessions it issues (`verifyOtp`)",
        ));
    }
    let id: i32 = claimed.subject.parse().map_err(|_| {
        unauthenticated("invalid bearer token: a Deed-O token names the user's id (an integer)")
    })?;
    let db = conns.get(Database::DeedOAuth)?;
    let user = match claimed.session {
        Some(sid) => {
            let now = chrono::Utc::now().fixed_offset();
            tokens::Entity::find_by_id(sid)
                .filter(tokens::Column::UserId.eq(id))
                .filter(tokens::Column::ExpireAt.gt(now))
                .find_also_related(do_users::Entity)
                .one(db)
                .await?
                .ok_or_else(|| unauthenticated("the Deed-O session has ended; sign in again"))?
                .1
        }
        None => do_users::Entity::find_by_id(id).one(db).await?,
    };
    let user = user
        .filter(|u| u.deleted_at.is_none())
        .ok_or_else(|| unauthenticated("no Deed-O account belongs to this token"))?;
    let roles = match user.role {
        UsersRolesEnum::Admin => vec!["admin".to_owned()],
        UsersRolesEnum::Moderator => vec!["moderator".to_owned()],
        UsersRolesEnum::User => Vec::new(),
    };
    Ok((id.to_string(), roles))
}
