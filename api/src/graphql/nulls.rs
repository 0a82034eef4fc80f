//! Null entries in a list of an interface, which async-graphql's dynamic executor cannot
//! answer: it resolves every entry through the interface, and refuses a null value there
//! ("invalid value for interface"). `nodes(ids:)` promises one entry per id, null where the
//! object is absent or hidden (clients map answers by position), so its resolver records the
//! positions of absent entries ([`Memo::null_entry`]) and this extension answers them null
//! before the executor looks at them.
//!
//! [`Memo::null_entry`]: super::context::Memo::null_entry
//!
//! The same extension takes the marker of objects that would otherwise answer `null` for `{}`
//! out of every answer (see `http::checks::empty`): one extension, since every extension
//! adds a step to the resolution of every field.

use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextResolve, NextSubscribe,
    ResolveInfo,
};
use async_graphql::{QueryPathSegment, Response, ServerResult, Value};
use futures_util::StreamExt;
use futures_util::stream::BoxStream;

use crate::http::checks::empty;

use super::context::RequestData;

/// The type of an entry of the lists this answers null entries in.
pub const ENTRY_TYPE: &str = "[Node]";

/// Registers [`NullEntriesExtension`] on a schema.
pub struct NullEntries;

impl ExtensionFactory for NullEntries {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(NullEntriesExtension)
    }
}

/// Answers the recorded entries null.
pub struct NullEntriesExtension;

#[async_graphql::async_trait::async_trait]
impl Extension for NullEntriesExtension {
    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        // Cheap first: every field of every request passes here.
        if info.parent_type == ENTRY_TYPE
            && let QueryPathSegment::Index(i) = info.path_node.segment
            && let Some(list) = info.path_node.parent
            && let Some(data) = ctx.data_opt::<RequestData>()
            && data.memo.is_null_entry(&list.to_string(), i)
        {
            return Ok(None);
        }
        next.run(ctx, info).await
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let mut response = next.run(ctx, operation_name).await;
        if ctx.data_opt::<empty::Marked>().is_some() {
            empty::strip(&mut response.data);
        }
        response
    }

    fn subscribe<'s>(
        &self,
        ctx: &ExtensionContext<'_>,
        stream: BoxStream<'s, Response>,
        next: NextSubscribe<'_>,
    ) -> BoxStream<'s, Response> {
        // A stream's context does not hold the request's data: its answers are always walked
        // (subscriptions are few; each answer is one event).
        next.run(ctx, stream)
            .map(|mut response| {
                empty::strip(&mut response.data);
                response
            })
            .boxed()
    }
}
