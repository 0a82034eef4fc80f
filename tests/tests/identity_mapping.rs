//! How each source maps a verified token to its user and roles (`api::identity`), on the demo
//! data of every backend: Clerk ids, Auth0 ids with first sign-in, BetterAuth roles, Deed-O
//! session rows, configured usegemz admins; unknown, deleted and ended identities refused.

use api::auth::{Claimed, Issuer, Viewer};
use api::error::ApiError;
use api::identity::{Directory, resolve};
use chrono::{Duration, Utc};
use e2e::{Data, TestApp, backends};
use entity::character_creation::users as cc_users;
use entity::deed_o_auth::sea_orm_active_enums::PlatformTypesEnum;
use entity::deed_o_auth::tokens;
use entity::head_shakers::users as hs_users;
use migration::Database;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
};

fn claim(source: &str, subject: &str, issuer: Issuer) -> Claimed {
    Claimed {
        source: source.to_owned(),
        subject: subject.to_owned(),
        issuer,
        session: None,
        email: None,
        name: None,
        expires_at: u64::MAX,
    }
}

async fn viewer(app: &TestApp, directory: &Directory, c: Claimed) -> Result<Viewer, ApiError> {
    resolve(&app.conns, directory, Some(c)).await
}

/// The viewer of `c`, which must resolve.
async fn signed_in(app: &TestApp, directory: &Directory, c: Claimed) -> Viewer {
    let what = format!("{c:?}");
    viewer(app, directory, c)
        .await
        .unwrap_or_else(|e| panic!("{what}: {e:?}"))
}

/// `c` must be refused as `UNAUTHENTICATED`.
async fn refused(app: &TestApp, directory: &Directory, c: Claimed) {
    let what = format!("{c:?}");
    match viewer(app, directory, c).await {
        Err(ApiError::Unauthenticated(_)) => {}
        other => panic!("{what}: expected UNAUTHENTICATED, got {other:?}"),
    }
}

#[tokio::test]
async fn subjects_map_to_each_sources_users_with_roles_from_its_data() {
    for backend in backends() {
        let b = backend.name();
        let app = TestApp::spawn(&backend, Data::Demo).await;
        let none = Directory::default();

        // Head Shakers: Clerk ids through `clerk_id`, row ids for gateway tokens.
        let demo = "00000000-0000-4000-8000-000000000001";
        let v = signed_in(
            &app,
            &none,
            claim(
                "head_shakers",
                "user_2demoHeadShakersCollector",
                Issuer::Provider,
            ),
        )
        .await;
        assert_eq!(v.key_in("head_shakers"), Some(demo), "{b}");
        assert!(v.roles.is_empty(), "{b}: a collector has no role");
        let v = signed_in(&app, &none, claim("head_shakers", demo, Issuer::Gateway)).await;
        assert_eq!(v.key_in("head_shakers"), Some(demo), "{b}");
        refused(&app, &none, claim("head_shakers", demo, Issuer::Provider)).await;
        refused(
            &app,
            &none,
            claim(
                "head_shakers",
                "user_2demoHeadShakersCollector",
                Issuer::Gateway,
            ),
        )
        .await;
        let moderator = app.holder("head_shakers", "moderator").await;
        let v = signed_in(
            &app,
            &none,
            claim("head_shakers", &moderator, Issuer::Gateway),
        )
        .await;
        assert_eq!(v.roles, vec!["moderator".to_owned()], "{b}");
        // A soft-deleted account's tokens stop working.
        let id = uuid::Uuid::parse_str(&moderator).unwrap_or_else(|e| panic!("{e}"));
        hs_users::Entity::update_many()
            .col_expr(hs_users::Column::IsDeleted, Expr::val(true))
            .col_expr(
                hs_users::Column::DeletedAt,
                Expr::val(Utc::now().naive_utc()),
            )
            .filter(hs_users::Column::Id.eq(id))
            .exec(app.db(Database::HeadShakers))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        refused(
            &app,
            &none,
            claim("head_shakers", &moderator, Issuer::Gateway),
        )
        .await;

        // usegemz: any Clerk id is signed in; admins by profile or by configuration.
        let v = signed_in(
            &app,
            &none,
            claim("usegemz", "user_2newcomer", Issuer::Provider),
        )
        .await;
        assert_eq!(
            (v.key_in("usegemz"), v.roles.len()),
            (Some("user_2newcomer"), 0),
            "{b}"
        );
        let v = signed_in(
            &app,
            &none,
            claim("usegemz", "user_2demoUsegemzAdmin000000", Issuer::Provider),
        )
        .await;
        assert!(v.is_admin("usegemz"), "{b}: is_admin in the profile");
        let configured = Directory::new(vec!["user_2newcomer".into()]);
        let v = signed_in(
            &app,
            &configured,
            claim("usegemz", "user_2newcomer", Issuer::Provider),
        )
        .await;
        assert!(v.is_admin("usegemz"), "{b}: admin by configuration");

        // Character Creation: an Auth0 user's first sign-in creates the account, once.
        let cc = app.db(Database::CharacterCreation);
        let mut first = claim("character_creation", "auth0|newcomer42", Issuer::Provider);
        refused(&app, &none, first.clone()).await;
        first.email = Some("newcomer42@example.com".into());
        first.name = Some("New Comer".into());
        let v = signed_in(&app, &none, first.clone()).await;
        let key = v.key_in("character_creation").map(str::to_owned);
        let again = signed_in(&app, &none, first).await;
        assert_eq!(again.key_in("character_creation"), key.as_deref(), "{b}");
        let rows = cc_users::Entity::find()
            .filter(cc_users::Column::Auth0Id.eq("auth0|newcomer42"))
            .all(cc)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rows.len(), 1, "{b}: one account");
        assert_eq!(
            (rows[0].email.as_str(), rows[0].name.as_deref()),
            ("newcomer42@example.com", Some("New Comer")),
            "{b}"
        );
        assert_eq!(Some(rows[0].id.to_string()), key, "{b}");
        // An e-mail address of another account is not taken over.
        let before = cc_users::Entity::find()
            .count(cc)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let mut thief = claim("character_creation", "auth0|thief", Issuer::Provider);
        thief.email = Some("newcomer42@example.com".into());
        refused(&app, &none, thief).await;
        let after = cc_users::Entity::find()
            .count(cc)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(before, after, "{b}: nothing written");
        let admin = app.holder("character_creation", "admin").await;
        let v = signed_in(
            &app,
            &none,
            claim("character_creation", &admin, Issuer::Gateway),
        )
        .await;
        assert!(v.is_admin("character_creation"), "{b}");
        refused(
            &app,
            &none,
            claim("character_creation", "not-a-uuid", Issuer::Gateway),
        )
        .await;

        // Mind-vault: BetterAuth user ids, roles from `user.role`.
        let admin = app.holder("mind_vault", "admin").await;
        let v = signed_in(&app, &none, claim("mind_vault", &admin, Issuer::Provider)).await;
        assert!(v.is_admin("mind_vault"), "{b}");
        refused(&app, &none, claim("mind_vault", "nobody", Issuer::Provider)).await;

        // Deed-O: only its own sessions, bound to a live `tokens` row.
        let admin = app.holder("deed_o", "admin").await;
        let id: i32 = admin.parse().unwrap_or_else(|e| panic!("{e}"));
        refused(&app, &none, claim("deed_o", &admin, Issuer::Provider)).await;
        let v = signed_in(&app, &none, claim("deed_o", &admin, Issuer::Gateway)).await;
        assert!(v.is_admin("deed_o"), "{b}");
        let auth = app.db(Database::DeedOAuth);
        let row = tokens::ActiveModel {
            user_id: Set(id),
            expire_at: Set((Utc::now() + Duration::days(1)).fixed_offset()),
            platform_type: Set(PlatformTypesEnum::DeedO),
            ..Default::default()
        }
        .insert(auth)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        let mut session = claim("deed_o", &admin, Issuer::Gateway);
        session.session = Some(row.id);
        signed_in(&app, &none, session.clone()).await;
        let mut stolen = session.clone();
        stolen.subject = "1".into();
        if admin != "1" {
            refused(&app, &none, stolen).await;
        }
        tokens::Entity::update_many()
            .col_expr(
                tokens::Column::ExpireAt,
                Expr::val((Utc::now() - Duration::minutes(1)).fixed_offset()),
            )
            .filter(tokens::Column::Id.eq(row.id))
            .exec(auth)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        refused(&app, &none, session.clone()).await;
        tokens::Entity::delete_by_id(row.id)
            .exec(auth)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        refused(&app, &none, session).await;

        refused(&app, &none, claim("nope", "x", Issuer::Gateway)).await;
    }
}
