//! Evaluations on blocking threads: a slot out of `--max-concurrent`, a cancellation token, the
//! deadline, and the counts `/health` reports.
//!
//! Oxigraph checks a cancelled token whenever evaluation reads the store. A query whose time
//! goes into work in memory (a cartesian product under `COUNT`, a big sort) notices only when
//! it next reads: its client has had its 503 at the deadline, but its thread runs on until
//! then. Such an evaluation keeps its slot, so at most `--max-concurrent` threads are ever busy
//! with queries, and `/health` says `degraded` when overdue evaluations hold every slot.

use super::Server;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::query::Limits;
use crate::store::Evaluation;
use axum::body::{Body, Bytes};
use http_body::Frame;
use oxigraph::sparql::CancellationToken;
use serde::Serialize;
use std::io::Write;
use std::pin::Pin;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;
use tokio::sync::mpsc;

/// What the server is doing, for `/health`.
#[derive(Debug, Clone, Serialize)]
pub struct Health {
    /// `ok`, or `degraded` when every slot is held by an evaluation past its deadline.
    pub status: &'static str,
    pub version: &'static str,
    /// Evaluations running now.
    pub running: usize,
    /// Of those, how many are past their deadline (their clients have had a 503).
    pub overdue: usize,
    /// How many evaluations may run at once.
    pub max_concurrent: usize,
    pub uptime_seconds: u64,
}

/// The counters behind [`Health`].
#[derive(Debug, Default)]
pub struct Counters {
    running: AtomicUsize,
    overdue: AtomicUsize,
}

impl Server {
    /// What the server is doing now.
    pub fn health(&self) -> Health {
        let overdue = self.counters.overdue.load(Ordering::Relaxed);
        Health {
            status: if overdue >= self.config.max_concurrent {
                "degraded"
            } else {
                "ok"
            },
            version: env!("CARGO_PKG_VERSION"),
            running: self.counters.running.load(Ordering::Relaxed),
            overdue,
            max_concurrent: self.config.max_concurrent,
            uptime_seconds: self.started.elapsed().as_secs(),
        }
    }
}

/// The life of one evaluation: running, done, or overdue (its deadline passed first).
const RUNNING: u8 = 0;
const DONE: u8 = 1;
const OVERDUE: u8 = 2;

/// Runs `work` on a blocking thread once a slot is free, with a fresh cancellation token and
/// the server's SERVICE handler, and waits for it until the deadline. Past the deadline (in
/// the queue or running), the token is cancelled and the caller gets [`Error::Cancelled`] at
/// once. If the request is dropped (the client went away), the token is cancelled too.
pub async fn run<T: Send + 'static>(
    server: &Arc<Server>,
    limits: Limits,
    work: impl FnOnce(&Engine, Evaluation) -> Result<T> + Send + 'static,
) -> Result<T> {
    let (started, task) = spawn(server, limits.deadline, work).await?;
    let _cancel_on_drop = CancelOnDrop(started.cancel.clone());
    let joined = match limits.deadline {
        Some(deadline) => match tokio::time::timeout_at(deadline.into(), task).await {
            Ok(joined) => joined,
            Err(_) => return Err(started.overdue(server)),
        },
        None => task.await,
    };
    match joined {
        Ok(Err(Error::Cancelled(_))) if limits.deadline.is_some_and(|d| Instant::now() >= d) => {
            Err(past_deadline(server))
        }
        Ok(result) => result,
        Err(join) => Err(Error::Internal(format!("a query's thread failed: {join}"))),
    }
}

/// Runs `work` on a blocking thread as [`run`] does, but streams what it writes: the answer
/// starts once the first chunk is written (or fails with the error `work` met before writing
/// anything, so a graph that does not exist is still a 404), and then flows as it is written,
/// at the pace the client reads. The deadline bounds the time to the first byte, since a whole
/// graph of a big store legitimately takes longer; a client that goes away stops the work. An
/// error after the first byte aborts the connection, so the client sees a broken transfer,
/// never a complete-looking one.
pub async fn stream(
    server: &Arc<Server>,
    deadline: Option<Instant>,
    work: impl FnOnce(&Engine, Evaluation, &mut dyn Write) -> Result<()> + Send + 'static,
) -> Result<Body> {
    let (sender, mut receiver) = mpsc::channel::<Result<Bytes>>(4);
    let (started, _task) = spawn(server, deadline, move |engine, evaluation| {
        let mut out = Chunks::new(sender.clone());
        let written = work(engine, evaluation, &mut out).and_then(|()| Ok(out.finish()?));
        if let Err(error) = written {
            // The receiver may be gone (the client left): nobody to tell.
            let _ = sender.blocking_send(Err(error));
        }
    })
    .await?;
    let cancel_on_drop = CancelOnDrop(started.cancel.clone());
    let first = match deadline {
        Some(deadline) => match tokio::time::timeout_at(deadline.into(), receiver.recv()).await {
            Ok(first) => first,
            Err(_) => return Err(started.overdue(server)),
        },
        None => receiver.recv().await,
    };
    match first {
        None => Ok(Body::empty()),
        Some(Err(error)) => Err(error),
        Some(Ok(chunk)) => Ok(Body::new(Streamed {
            first: Some(chunk),
            receiver,
            _cancel_on_drop: cancel_on_drop,
        })),
    }
}

/// An evaluation that has started: its token, and its life for the overdue count.
struct Started {
    cancel: CancellationToken,
    state: Arc<AtomicU8>,
}

impl Started {
    /// Its deadline passed first: cancels it, counts it as overdue while its thread runs on,
    /// and gives the error for its client.
    fn overdue(&self, server: &Server) -> Error {
        self.cancel.cancel();
        server.counters.overdue.fetch_add(1, Ordering::Relaxed);
        if self
            .state
            .compare_exchange(RUNNING, OVERDUE, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            // It finished just now: it is not overdue after all.
            server.counters.overdue.fetch_sub(1, Ordering::Relaxed);
        }
        past_deadline(server)
    }
}

/// Waits for a slot until `deadline`, then runs `work` on a blocking thread with a fresh
/// cancellation token and the server's SERVICE handler; the thread holds the slot, and counts
/// as running, until it ends.
async fn spawn<T: Send + 'static>(
    server: &Arc<Server>,
    deadline: Option<Instant>,
    work: impl FnOnce(&Engine, Evaluation) -> T + Send + 'static,
) -> Result<(Started, tokio::task::JoinHandle<T>)> {
    let slot = Arc::clone(&server.slots).acquire_owned();
    let slot = match deadline {
        Some(deadline) => match tokio::time::timeout_at(deadline.into(), slot).await {
            Ok(slot) => slot,
            Err(_) => return Err(busy(server)),
        },
        None => slot.await,
    }
    .map_err(|_| Error::Internal("the evaluation slots were closed".into()))?;
    let cancel = CancellationToken::new();
    let evaluation = Evaluation {
        cancel: Some(cancel.clone()),
        service: Some(Arc::clone(&server.service)),
    };
    let state = Arc::new(AtomicU8::new(RUNNING));
    let shared = Arc::clone(server);
    let life = Arc::clone(&state);
    shared.counters.running.fetch_add(1, Ordering::Relaxed);
    let task = tokio::task::spawn_blocking(move || {
        let _slot = slot;
        let _done = Finished {
            server: &shared,
            state: &life,
        };
        work(&shared.engine, evaluation)
    });
    Ok((Started { cancel, state }, task))
}

/// The size of the chunks a stream is sent in.
const CHUNK: usize = 64 * 1024;

/// A writer on a blocking thread that hands full chunks to the response body; a body that is
/// gone (the client left) makes the next write fail, which stops the work.
struct Chunks {
    sender: mpsc::Sender<Result<Bytes>>,
    buffer: Vec<u8>,
}

impl Chunks {
    fn new(sender: mpsc::Sender<Result<Bytes>>) -> Self {
        Self {
            sender,
            buffer: Vec::with_capacity(CHUNK),
        }
    }

    fn send(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buffer,
            Vec::with_capacity(CHUNK),
        ));
        self.sender.blocking_send(Ok(chunk)).map_err(|_| {
            std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client went away")
        })
    }

    fn finish(mut self) -> std::io::Result<()> {
        self.send()
    }
}

impl Write for Chunks {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK {
            self.send()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A response body fed by [`Chunks`]; dropping it (the answer sent, or the client gone)
/// cancels the work's token.
struct Streamed {
    first: Option<Bytes>,
    receiver: mpsc::Receiver<Result<Bytes>>,
    _cancel_on_drop: CancelOnDrop,
}

impl http_body::Body for Streamed {
    type Data = Bytes;
    type Error = Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>>>> {
        if let Some(first) = self.first.take() {
            return Poll::Ready(Some(Ok(Frame::data(first))));
        }
        self.receiver
            .poll_recv(context)
            .map(|chunk| chunk.map(|c| c.map(Frame::data)))
    }
}

fn past_deadline(server: &Server) -> Error {
    let seconds = server.config.timeout.map_or(0.0, |t| t.as_secs_f64());
    Error::Cancelled(format!(
        "the request ran past the server's {seconds} s deadline (--timeout) and was cancelled; narrow the query or add a LIMIT"
    ))
}

fn busy(server: &Server) -> Error {
    Error::Cancelled(format!(
        "the server is busy: all {} evaluation slots (--max-concurrent) stayed taken until the request's deadline",
        server.config.max_concurrent
    ))
}

/// Cancels the token when the request's future is dropped: at the end of the request, or
/// when the client disconnects before the answer.
struct CancelOnDrop(CancellationToken);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// Counts an evaluation out when its thread finishes, however it finishes.
struct Finished<'a> {
    server: &'a Server,
    state: &'a AtomicU8,
}

impl Drop for Finished<'_> {
    fn drop(&mut self) {
        self.server.counters.running.fetch_sub(1, Ordering::Relaxed);
        if self.state.swap(DONE, Ordering::AcqRel) == OVERDUE {
            self.server.counters.overdue.fetch_sub(1, Ordering::Relaxed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::Config;
    use crate::store::Location;
    use std::time::Duration;

    fn within(millis: u64) -> Limits {
        Limits {
            max_rows: None,
            deadline: Some(Instant::now() + Duration::from_millis(millis)),
        }
    }

    /// Work that ignores its token, as an evaluation busy in memory does, until released.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn work_past_its_deadline_is_overdue_holds_its_slot_and_degrades_health() {
        let engine = Arc::new(Engine::open(&Location::Empty).expect("an empty graph"));
        let config = Config {
            max_concurrent: 1,
            ..Config::default()
        };
        let server = Server::new(engine, config).expect("a server");
        let (release, released) = std::sync::mpsc::channel::<()>();
        let first = run(&server, within(200), move |_, _| {
            let _ = released.recv();
            Ok(())
        })
        .await;
        assert!(
            matches!(&first, Err(Error::Cancelled(m)) if m.contains("deadline")),
            "{first:?}"
        );
        let health = server.health();
        assert_eq!((health.running, health.overdue), (1, 1));
        assert_eq!(health.status, "degraded");
        // The only slot is taken: the next request waits for it until its own deadline.
        let second = run(&server, within(200), |_, _| Ok(())).await;
        assert!(
            matches!(&second, Err(Error::Cancelled(m)) if m.contains("busy")),
            "{second:?}"
        );
        release.send(()).expect("the first work waits");
        let settled = Instant::now() + Duration::from_secs(5);
        while server.health().running > 0 {
            assert!(Instant::now() < settled, "{:?}", server.health());
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let health = server.health();
        assert_eq!((health.overdue, health.status), (0, "ok"));
        let third = run(&server, within(1000), |_, _| Ok(7)).await;
        assert_eq!(third.ok(), Some(7));
    }
}
