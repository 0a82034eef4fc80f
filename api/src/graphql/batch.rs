//! The per-request batch loader.
//!
//! Resolvers register keys and wait. The request's future runs under [`Batcher::drive`]: each
//! time it can make no more progress (every resolver is waiting on a key), the keys registered
//! so far go out as one batch, and every shape in the batch is one statement for all its
//! parents. Batches therefore follow the query's levels exactly, whatever the machine's speed
//! — async-graphql's stock `DataLoader` dispatches a fixed delay after the first key, which
//! splits a level's keys whenever resolving the level takes longer than the delay, and a
//! statement count that varies with CPU load would break the rule that it depends on depth only.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Wake, Waker};

use futures_util::FutureExt;
use futures_util::future::{BoxFuture, Shared, join_all};
use tokio::sync::oneshot;

use super::fetch::{BatchKey, Loaded, Shape, run};
use super::value::Key;
use crate::db::Connections;
use crate::error::ApiError;

/// A key's rows, or the error of its batch, shared by every resolver waiting on the batch: kept
/// typed so that a database outage is answered with its code and message on every path.
type Reply = Result<Arc<Loaded>, Arc<ApiError>>;
type Handle = Shared<BoxFuture<'static, Reply>>;

/// What to do with a key's rows as soon as they arrive, before the batch counts as answered:
/// prefetching registers the next level's keys here, so they join the next batch.
pub type Then = Box<dyn FnOnce(&Arc<Loaded>) + Send>;

struct State {
    waiting: Vec<(BatchKey, oneshot::Sender<Reply>, Option<Then>)>,
    /// Every key requested so far with its answer to come, by shape: a key prefetched by its
    /// parent and loaded again by its own resolver costs nothing the second time. A request
    /// has a handful of shapes and hundreds of keys, so shapes are found by a scan (the same
    /// `Arc` first, the same statement identity otherwise) rather than by hashing their long
    /// identity text with every key.
    requested: Vec<(Arc<Shape>, HashMap<Key, Handle>)>,
    /// Batches sent and not yet fully answered.
    in_flight: usize,
    /// The request's task, woken when the last batch in flight is answered.
    waker: Option<Waker>,
}

struct Inner {
    conns: Connections,
    state: Mutex<State>,
}

/// Batches the keys of one request.
#[derive(Clone)]
pub struct Batcher {
    inner: Arc<Inner>,
}

type Waiters = Vec<(Key, oneshot::Sender<Reply>, Option<Then>)>;

/// One statement of a batch: its shape, its parents in order and as a set, who waits.
type Group = (Arc<Shape>, Vec<Key>, HashSet<Key>, Waiters);

/// Whether two shapes are one statement (one batch).
fn same(a: &Arc<Shape>, b: &Arc<Shape>) -> bool {
    Arc::ptr_eq(a, b) || a.id() == b.id()
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the state inconsistent (it is only
        // pushed to and taken), so a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

async fn dispatch(
    inner: Arc<Inner>,
    waiting: Vec<(BatchKey, oneshot::Sender<Reply>, Option<Then>)>,
) {
    let conns = inner.conns.clone();
    let mut groups: Vec<Group> = Vec::new();
    for (key, tx, then) in waiting {
        let i = match groups.iter().position(|g| same(&g.0, &key.shape)) {
            Some(i) => i,
            None => {
                groups.push((key.shape.clone(), Vec::new(), HashSet::new(), Vec::new()));
                groups.len() - 1
            }
        };
        let (_, parents, seen, waiters) = &mut groups[i];
        if seen.insert(key.parent.clone()) {
            parents.push(key.parent.clone());
        }
        waiters.push((key.parent, tx, then));
    }
    join_all(groups.into_iter().map(|(shape, parents, _, waiters)| {
        let conns = conns.clone();
        async move {
            match run(&conns, &shape, Some(&parents)).await {
                Ok(loaded) => {
                    let by: HashMap<Key, Arc<Loaded>> =
                        loaded.into_iter().map(|(k, v)| (k, Arc::new(v))).collect();
                    for (parent, tx, then) in waiters {
                        let reply = by.get(&parent).cloned().ok_or_else(|| {
                            Arc::new(ApiError::Internal(
                                "a batch answered no value for a key".to_owned(),
                            ))
                        });
                        if let (Ok(loaded), Some(then)) = (&reply, then) {
                            then(loaded);
                        }
                        let _ = tx.send(reply);
                    }
                }
                Err(e) => {
                    match &e {
                        ApiError::Database(d) if e.retryable() => {
                            tracing::warn!(error = %d, "batch failed: database unavailable")
                        }
                        ApiError::Database(d) => tracing::error!(error = %d, "batch failed"),
                        other => tracing::error!(error = ?other, "batch failed"),
                    }
                    let e = Arc::new(e);
                    for (_, tx, _) in waiters {
                        let _ = tx.send(Err(e.clone()));
                    }
                }
            }
        }
    }))
    .await;
    // Keys registered while this batch was out wait for it to be fully answered, so that the
    // next batch holds the whole next level; wake the request to send them.
    let waker = {
        let mut st = inner.lock();
        st.in_flight = st.in_flight.saturating_sub(1);
        st.waker.clone()
    };
    if let Some(w) = waker {
        w.wake();
    }
}

impl Batcher {
    /// A batcher reading through `conns`.
    pub fn new(conns: Connections) -> Self {
        let state = State {
            waiting: Vec::new(),
            requested: Vec::new(),
            in_flight: 0,
            waker: None,
        };
        Batcher {
            inner: Arc::new(Inner {
                conns,
                state: Mutex::new(state),
            }),
        }
    }

    /// Registers a key (once per request) and returns its answer to come, without waiting.
    pub fn request(&self, key: BatchKey) -> Handle {
        self.request_then(key, None)
    }

    /// [`Batcher::request`], running `then` on the rows when they arrive (only for the first
    /// request of a key: later ones find it already planned).
    pub fn request_then(&self, key: BatchKey, then: Option<Then>) -> Handle {
        let mut st = self.inner.lock();
        let slot = match st.requested.iter().position(|(s, _)| same(s, &key.shape)) {
            Some(i) => i,
            None => {
                st.requested.push((key.shape.clone(), HashMap::new()));
                st.requested.len() - 1
            }
        };
        if let Some(h) = st.requested[slot].1.get(&key.parent) {
            return h.clone();
        }
        let parent = key.parent.clone();
        let (tx, rx) = oneshot::channel();
        st.waiting.push((key, tx, then));
        let handle: Handle = async move {
            rx.await.unwrap_or_else(|_| {
                Err(Arc::new(ApiError::Internal(
                    "the batch was dropped".to_owned(),
                )))
            })
        }
        .boxed()
        .shared();
        st.requested[slot].1.insert(parent, handle.clone());
        handle
    }

    /// Forgets every answer so far: after a write, reads must see the new rows.
    pub fn invalidate(&self) {
        self.inner.lock().requested.clear();
    }

    /// Loads one key with the others of its batch. The caller must run under [`Batcher::drive`].
    pub async fn load(&self, key: BatchKey) -> Result<Arc<Loaded>, ApiError> {
        self.request(key).await.map_err(ApiError::Shared)
    }

    /// Sends the keys registered so far as one batch, unless a batch is still out (its answers
    /// may add keys of the same level); remembers `waker` to be woken when it is answered.
    fn flush(&self, waker: &Waker) {
        let waiting = {
            let mut st = self.inner.lock();
            st.waker = Some(waker.clone());
            if st.in_flight > 0 || st.waiting.is_empty() {
                return;
            }
            st.in_flight += 1;
            tracing::debug!(target: "gateway::batch", keys = st.waiting.len(), "flush");
            std::mem::take(&mut st.waiting)
        };
        tokio::spawn(dispatch(self.inner.clone(), waiting));
    }

    /// Runs `fut` (a request's execution), sending a batch whenever it waits on keys only.
    pub fn drive<F: Future>(&self, fut: F) -> Drive<F> {
        Drive {
            fut: Box::pin(fut),
            batcher: self.clone(),
        }
    }
}

/// A future whose loads are batched by level; see [`Batcher::drive`].
pub struct Drive<F: Future> {
    fut: Pin<Box<F>>,
    batcher: Batcher,
}

/// Wakes the task and remembers that it was woken.
struct Flag {
    woken: AtomicBool,
    inner: Waker,
}

impl Wake for Flag {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::SeqCst);
        self.inner.wake_by_ref();
    }
}

impl<F: Future> Future for Drive<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        loop {
            let flag = Arc::new(Flag {
                woken: AtomicBool::new(false),
                inner: cx.waker().clone(),
            });
            let waker = Waker::from(flag.clone());
            match self.fut.as_mut().poll(&mut Context::from_waker(&waker)) {
                Poll::Ready(v) => return Poll::Ready(v),
                // Some part yielded and asked to be polled again: it is not waiting on a key.
                Poll::Pending if flag.woken.load(Ordering::SeqCst) => continue,
                Poll::Pending => {
                    self.batcher.flush(cx.waker());
                    return Poll::Pending;
                }
            }
        }
    }
}

impl Batcher {
    /// [`Batcher::drive`] for a stream of results (subscriptions, queries over a stream).
    pub fn drive_stream<S: futures_util::Stream + Unpin>(&self, stream: S) -> DriveStream<S> {
        DriveStream {
            stream,
            batcher: self.clone(),
        }
    }
}

/// A stream whose loads are batched by level; see [`Batcher::drive_stream`].
pub struct DriveStream<S> {
    stream: S,
    batcher: Batcher,
}

impl<S: futures_util::Stream + Unpin> futures_util::Stream for DriveStream<S> {
    type Item = S::Item;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<S::Item>> {
        loop {
            let flag = Arc::new(Flag {
                woken: AtomicBool::new(false),
                inner: cx.waker().clone(),
            });
            let waker = Waker::from(flag.clone());
            match Pin::new(&mut self.stream).poll_next(&mut Context::from_waker(&waker)) {
                Poll::Ready(v) => return Poll::Ready(v),
                Poll::Pending if flag.woken.load(Ordering::SeqCst) => continue,
                Poll::Pending => {
                    self.batcher.flush(cx.waker());
                    return Poll::Pending;
                }
            }
        }
    }
}
