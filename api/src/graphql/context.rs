//! What every resolver of one request can reach: the viewer, the request's counted
//! connections and its batch loader. Created per request, so no loader cache ever serves one
//! viewer's rows to another.

use std::sync::Arc;
use std::sync::atomic::AtomicUsize;

use super::batch::Batcher;
use super::spec::{Source, Table};
use super::sql::Scope;
use crate::auth::{Claimed, Viewer};
use crate::db::Connections;
use crate::error::ApiError;
use crate::events::EventBus;
use crate::identity::Directory;

/// Request-scoped data.
pub struct RequestData {
    /// Who is asking.
    pub viewer: Arc<Viewer>,
    /// Connections counting this request's statements.
    pub conns: Connections,
    /// The request's batch loader.
    pub loader: Batcher,
    /// Statements issued so far.
    pub statements: Arc<AtomicUsize>,
    /// Live events (job progress).
    pub events: EventBus,
}

impl RequestData {
    /// Data for one request of `viewer` over `conns`.
    pub fn new(viewer: Viewer, conns: &Connections, events: EventBus) -> Self {
        let statements = Arc::new(AtomicUsize::new(0));
        Self::counted(
            viewer,
            conns.counted(statements.clone()),
            statements,
            events,
        )
    }

    /// Data for one request presenting `claimed`, its viewer resolved over the request's
    /// counted connections (so the statement count includes the identity lookup).
    pub async fn signed_in(
        claimed: Option<Claimed>,
        directory: &Directory,
        conns: &Connections,
        events: EventBus,
    ) -> Result<Self, ApiError> {
        let statements = Arc::new(AtomicUsize::new(0));
        let conns = conns.counted(statements.clone());
        let viewer = crate::identity::resolve(&conns, directory, claimed).await?;
        Ok(Self::counted(viewer, conns, statements, events))
    }

    fn counted(
        viewer: Viewer,
        conns: Connections,
        statements: Arc<AtomicUsize>,
        events: EventBus,
    ) -> Self {
        let loader = Batcher::new(conns.clone());
        RequestData {
            viewer: Arc::new(viewer),
            conns,
            loader,
            statements,
            events,
        }
    }

    /// The SQL scope for reading `table` of `source`.
    pub fn scope(&self, source: &'static Source, table: &Table) -> Scope {
        Scope {
            source,
            viewer: self.viewer.clone(),
            backend: self.conns.backend(table.db),
            via: None,
        }
    }

    /// What loading needs, detached from the request's borrow (for prefetch continuations).
    pub fn ctx(&self) -> Ctx {
        Ctx {
            viewer: self.viewer.clone(),
            conns: self.conns.clone(),
            loader: self.loader.clone(),
        }
    }
}

/// The owned part of [`RequestData`] that loads need.
#[derive(Clone)]
pub struct Ctx {
    /// Who is asking.
    pub viewer: Arc<Viewer>,
    /// The request's counted connections.
    pub conns: Connections,
    /// The request's batch loader.
    pub loader: Batcher,
}

impl Ctx {
    /// The SQL scope for reading `table` of `source`.
    pub fn scope(&self, source: &'static Source, table: &Table) -> Scope {
        Scope {
            source,
            viewer: self.viewer.clone(),
            backend: self.conns.backend(table.db),
            via: None,
        }
    }
}
