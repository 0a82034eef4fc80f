//! What every resolver of one request can reach: the viewer, the request's counted
//! connections and its batch loader. Created per request, so no loader cache ever serves one
//! viewer's rows to another.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex};

use async_graphql::{Context, Positioned, parser::types::Field};

use super::batch::Batcher;
use super::connection::ConnSpec;
use super::plan::Plan;
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
    /// What the request's resolvers would otherwise rebuild for every row.
    pub memo: Arc<Memo>,
}

/// Per-request memo of what depends on a field of the document and not on the row it is
/// resolved for: the field's [`Plan`] and, per table, its connection's [`ConnSpec`]. A list
/// of 200 rows would otherwise rebuild both 200 times (arguments, ordering, columns, inline
/// fields and statement shape).
#[derive(Default)]
pub struct Memo {
    /// By the address of the field in the request's document, which outlives the request.
    plans: Mutex<HashMap<usize, Arc<Plan>>>,
    /// By the address of the field's plan (kept alive here, so it is never reused) and of the
    /// parent's table.
    conns: Mutex<HashMap<(usize, usize), Built>>,
    /// Entries of lists answered null (see `nulls`), by the list's path and the position.
    nulls: Mutex<HashMap<String, HashSet<usize>>>,
}

/// A memoized connection spec with the plan it was built from.
type Built = (Arc<Plan>, Arc<ConnSpec>);

impl Memo {
    /// The plan of the field `ctx` resolves.
    pub fn plan(&self, ctx: &Context<'_>) -> Arc<Plan> {
        let field: &Positioned<Field> = ctx.item;
        let at = std::ptr::from_ref(field) as usize;
        if let Ok(mut plans) = self.plans.lock() {
            return plans
                .entry(at)
                .or_insert_with(|| Plan::of(ctx.field()))
                .clone();
        }
        Plan::of(ctx.field())
    }

    /// Records that entry `index` of the list at `path` is null.
    pub fn null_entry(&self, path: String, index: usize) {
        if let Ok(mut nulls) = self.nulls.lock() {
            nulls.entry(path).or_default().insert(index);
        }
    }

    /// Whether entry `index` of the list at `path` was recorded null.
    pub fn is_null_entry(&self, path: &str, index: usize) -> bool {
        self.nulls
            .lock()
            .is_ok_and(|n| n.get(path).is_some_and(|at| at.contains(&index)))
    }

    /// The connection spec of `field` on rows of `table`, built by `build` the first time.
    pub fn conn(
        &self,
        field: &Arc<Plan>,
        table: &'static Table,
        build: impl FnOnce() -> Result<ConnSpec, ApiError>,
    ) -> Result<Arc<ConnSpec>, ApiError> {
        let key = (
            Arc::as_ptr(field) as usize,
            std::ptr::from_ref(table) as usize,
        );
        if let Some((_, spec)) = self.conns.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(spec);
        }
        let spec = Arc::new(build()?);
        if let Ok(mut conns) = self.conns.lock() {
            conns.insert(key, (field.clone(), spec.clone()));
        }
        Ok(spec)
    }
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
            memo: Arc::default(),
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
            memo: self.memo.clone(),
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
    /// The request's memo.
    pub memo: Arc<Memo>,
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
