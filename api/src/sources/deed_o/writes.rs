//! The `deed_o` source's own operations.
//!
//! - Sign-in by one-time code ([`otp`]): `requestOtp`, `verifyOtp` → `DeedOSession`.
//! - Vendors' products and their review ([`products`]): `createProduct`, `updateProduct`,
//!   `submitProduct`, `reviewProduct`; the query `publicProducts`.
//! - Chat ([`chat`]): `createGroup`, `addMember`, `removeMember`, `sendMessage`, `markRead`;
//!   a message's attachments typed (`DeedOMessage.attachmentList`, [`COMPUTED`]).

mod args;
pub mod chat;
mod chat_fields;
pub use chat_fields::COMPUTED;
pub mod otp;
mod product_fields;
pub mod products;

use std::sync::Arc;

use async_graphql::Value;
use async_graphql::dynamic::{
    Field, FieldFuture, FieldValue, Object, ResolverContext, Type, TypeRef,
};
use migration::Database;

use crate::error::OrGql;
use crate::graphql::schema::{data, written};
use crate::graphql::spec::{Kind, Source};
use crate::graphql::value::{Cell, Key};
use args::{arg, entity_enum, string, uuid};

/// The answer of `verifyOtp`.
const SESSION: &str = "DeedOSession";

type Resolver = for<'a> fn(ResolverContext<'a>, &'static Source) -> FieldFuture<'a>;

fn field(source: &'static Source, name: &str, ty: TypeRef, doc: &str, resolve: Resolver) -> Field {
    Field::new(name, ty, move |ctx| resolve(ctx, source)).description(doc)
}

/// Query fields of this source beyond the generic ones.
pub fn queries(source: &'static Source) -> Vec<Field> {
    vec![product_fields::public_products(source)]
}

/// Mutation fields of this source and the extra types they need.
pub fn mutations(source: &'static Source) -> (Vec<Field>, Vec<Type>) {
    let fields: Vec<Field> = vec![
        field(source, "requestOtp", TypeRef::named_nn("UUID"), "Sends a one-time code (valid 10 minutes) to log in or register; answers the request id for `verifyOtp`. Answers alike whether the email has an account, so it tells no one which emails do: an email without one gets an account (not verified yet) and a code, a known account a code whatever the action, a deleted one no code. RATE_LIMITED once the account was sent 10 codes, or had 10 wrong codes, in the last hour. The code is delivered by email, never answered.", |ctx, _| {
            FieldFuture::new(async move {
                let data = data(&ctx)?;
                let db = data.conns.get(Database::DeedOAuth).gql()?;
                let email = string(&ctx, "email").unwrap_or_default();
                let action = entity_enum(&ctx, "action", &super::VERIFICATION_ACTION).gql()?;
                let platform = entity_enum(&ctx, "platform", &super::PLATFORM_TYPE).gql()?;
                let sender = otp::sender(ctx.data_opt::<Arc<dyn otp::OtpSender>>());
                let id = otp::request(db, sender.as_ref(), &email, action, platform).await.gql()?;
                Ok(Some(FieldValue::value(Value::String(id.to_string()))))
            })
        })
        .argument(arg("email", TypeRef::named_nn(TypeRef::STRING), "The account's email address."))
        .argument(arg("action", TypeRef::named_nn(super::VERIFICATION_ACTION.name), "Log in or register."))
        .argument(arg("platform", TypeRef::named_nn(super::PLATFORM_TYPE.name), "The platform signing in (registration platform of a new account).")),
        field(source, "signOut", TypeRef::named_nn(TypeRef::BOOLEAN), "Ends the session the request's bearer token stands on: its `tokens` row is deleted and the token is refused from then on. False when the token is not a `verifyOtp` session (a development token).", |ctx, _| {
            FieldFuture::new(async move {
                let data = data(&ctx)?;
                products::actor(&data.viewer).gql()?;
                let Some(sid) = data.viewer.session else {
                    return Ok(Some(FieldValue::value(Value::Boolean(false))));
                };
                let db = data.conns.get(Database::DeedOAuth).gql()?;
                let ended = otp::sign_out(db, sid).await.gql()?;
                Ok(Some(FieldValue::value(Value::Boolean(ended))))
            })
        }),
        field(source, "verifyOtp", TypeRef::named_nn(SESSION), "Exchanges a one-time code for a session: a Deed-O bearer token valid 30 days. UNAUTHENTICATED for an expired, used or wrong code; after 5 wrong codes the request is dead. RATE_LIMITED (the code is not even checked) once the account had 10 wrong codes, over all its requests, in the last hour.", |ctx, _| {
            FieldFuture::new(async move {
                let data = data(&ctx)?;
                let db = data.conns.get(Database::DeedOAuth).gql()?;
                let request = uuid(&ctx, "requestId").gql()?;
                let code = string(&ctx, "code").unwrap_or_default();
                let session = otp::verify(db, request, &code).await.gql()?;
                let signer = ctx.data::<Arc<crate::auth::Tokens>>()?;
                let ttl = u64::try_from((session.expires_at - chrono::Utc::now()).num_seconds()).unwrap_or(0);
                let token = signer.mint_session("deed_o", &session.user.to_string(), Some(session.token), ttl).gql()?;
                data.loader.invalidate();
                Ok(Some(FieldValue::owned_any(Minted { token, session })))
            })
        })
        .argument(arg("requestId", TypeRef::named_nn("UUID"), "The id `requestOtp` answered."))
        .argument(arg("code", TypeRef::named_nn(TypeRef::STRING), "The 6-digit code received.")),
    ];
    let (product_fields, product_types) = product_fields::mutations(source);
    let mut types = vec![Type::from(session_type(source))];
    types.extend(product_types);
    let (chat_fields, chat_types) = chat_fields::mutations(source);
    types.extend(chat_types);
    (
        fields
            .into_iter()
            .chain(product_fields)
            .chain(chat_fields)
            .collect(),
        types,
    )
}

/// A session with its bearer token.
struct Minted {
    token: String,
    session: otp::Session,
}

fn session_type(source: &'static Source) -> Object {
    Object::new(SESSION)
        .description("A signed-in Deed-O session.")
        .field(
            Field::new("token", TypeRef::named_nn(TypeRef::STRING), |ctx| {
                FieldFuture::new(async move {
                    let m = ctx.parent_value.try_downcast_ref::<Minted>()?;
                    Ok(Some(FieldValue::value(Value::String(m.token.clone()))))
                })
            })
            .description("Bearer token for `Authorization: Bearer …`, for the Deed-O namespace."),
        )
        .field(
            Field::new("expiresAt", TypeRef::named_nn("DateTime"), |ctx| {
                FieldFuture::new(async move {
                    let m = ctx.parent_value.try_downcast_ref::<Minted>()?;
                    let at =
                        Cell::Timestamp(m.session.expires_at.naive_utc()).graphql(Kind::Timestamp);
                    Ok(Some(FieldValue::value(at)))
                })
            })
            .description("When the session and its token expire."),
        )
        .field(
            Field::new("user", TypeRef::named("DeedOUser"), move |ctx| {
                FieldFuture::new(async move {
                    let m = ctx.parent_value.try_downcast_ref::<Minted>()?;
                    let key = Key::Int(i64::from(m.session.user));
                    written(&ctx, source, "users", key).await
                })
            })
            .description(
                "The signed-in user (as the public sees it: personal fields need the token).",
            ),
        )
}
