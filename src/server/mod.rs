//! `stroma serve`: the graph over HTTP, as a SPARQL 1.1 Protocol endpoint with safe limits.
//!
//! A front end like the CLI: it parses requests ([`protocol`], pure), calls the same
//! [`Engine`] functions (`parse_query`, `answer`, `apply_update`, `write_graph`) and writes their
//! answers. Queries are evaluated and written on tokio's blocking threads, never on the async
//! workers; each carries a `CancellationToken` that the deadline cancels, and that is cancelled
//! when the client goes away (the request's future is dropped).
//!
//! Routes: `/sparql` (GET, POST; the service description when dereferenced without
//! parameters), `/update` (POST, with a bearer token, only with `--allow-update`), `/store`
//! (Graph Store Protocol reads), `/health`; the web explorer's pages at `/` ([`explorer`]).
//!
//! Limits are on by default ([`Config::default`]): read-only, a 10 s deadline, 10 000 rows,
//! 1 MiB request bodies, no `SERVICE` or `LOAD` target, no CORS.

mod description;
pub mod explorer;
mod handlers;
pub mod outbound;
pub mod protocol;
mod work;

pub use handlers::{ROWS_HEADER, TRUNCATED_HEADER};
pub use work::Health;

use crate::engine::Engine;
use crate::error::{Error, Result};
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{header, HeaderValue, Method};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use outbound::{AllowList, Outbound, ServiceHandler};
use oxigraph::sparql::{DefaultServiceHandler, QueryEvaluationError};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// The server's limits and permissions. Its `Debug` form hides the update token.
#[derive(Clone)]
pub struct Config {
    /// How long a query or update may run (None: no deadline).
    pub timeout: Option<Duration>,
    /// The most rows (solutions or triples) in an answer (None: no cap).
    pub max_rows: Option<usize>,
    /// The largest request body accepted, in bytes.
    pub max_body: usize,
    /// How long a client may take to send a request's headers, and again its body (408 and
    /// the connection closed after that).
    pub receive_timeout: Duration,
    /// How many queries or updates may be evaluated at once; others wait for a slot until
    /// their deadline.
    pub max_concurrent: usize,
    /// The bearer token updates must carry; None refuses every update.
    pub update_token: Option<String>,
    /// `SERVICE` targets that may be called (IRIs or prefixes ending at a path boundary).
    pub service_allow: Vec<String>,
    /// `LOAD` sources that may be fetched (IRIs or prefixes).
    pub load_allow: Vec<String>,
    /// Origins allowed to call from a browser (`*` for any); empty: no CORS headers.
    pub cors: Vec<String>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("timeout", &self.timeout)
            .field("max_rows", &self.max_rows)
            .field("max_body", &self.max_body)
            .field("receive_timeout", &self.receive_timeout)
            .field("max_concurrent", &self.max_concurrent)
            .field(
                "update_token",
                &self.update_token.as_ref().map(|_| "(hidden)"),
            )
            .field("service_allow", &self.service_allow)
            .field("load_allow", &self.load_allow)
            .field("cors", &self.cors)
            .finish()
    }
}

/// The default deadline of a query.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default row cap.
pub const DEFAULT_MAX_ROWS: usize = 10_000;
/// The default request body cap.
pub const DEFAULT_MAX_BODY: usize = 1024 * 1024;
/// The default time a client has to send a request's headers, and again its body.
pub const DEFAULT_RECEIVE_TIMEOUT: Duration = Duration::from_secs(10);

/// The default number of evaluations at once: twice the processors (queries wait on I/O too).
pub fn default_max_concurrent() -> usize {
    std::thread::available_parallelism().map_or(2, |n| 2 * n.get())
}

impl Default for Config {
    fn default() -> Self {
        Self {
            timeout: Some(DEFAULT_TIMEOUT),
            max_rows: Some(DEFAULT_MAX_ROWS),
            max_body: DEFAULT_MAX_BODY,
            receive_timeout: DEFAULT_RECEIVE_TIMEOUT,
            max_concurrent: default_max_concurrent(),
            update_token: None,
            service_allow: Vec::new(),
            load_allow: Vec::new(),
            cors: Vec::new(),
        }
    }
}

/// What every request shares: the engine, the limits, the outbound policy, and how many
/// evaluations are running.
pub struct Server {
    engine: Arc<Engine>,
    config: Config,
    outbound: Arc<Outbound>,
    service: Arc<dyn DefaultServiceHandler<Error = QueryEvaluationError>>,
    slots: Arc<tokio::sync::Semaphore>,
    counters: work::Counters,
    started: Instant,
}

impl Server {
    /// A server on `engine` with `config`; fails on a malformed allow-list entry.
    pub fn new(engine: Arc<Engine>, config: Config) -> Result<Arc<Self>> {
        let services = AllowList::new("SERVICE", "--service-allow", &config.service_allow)?;
        let loads = AllowList::new("LOAD", "--allow-load", &config.load_allow)?;
        let outbound = Arc::new(Outbound::new(
            services,
            loads,
            config.timeout.unwrap_or(DEFAULT_TIMEOUT),
        ));
        if config.max_concurrent == 0 {
            return Err(Error::Usage("--max-concurrent must be at least 1".into()));
        }
        if config.update_token.as_deref().is_some_and(str::is_empty) {
            return Err(Error::Usage(
                "the update token is empty: give a real secret".into(),
            ));
        }
        Ok(Arc::new(Self {
            engine,
            service: Arc::new(ServiceHandler(Arc::clone(&outbound))),
            outbound,
            slots: Arc::new(tokio::sync::Semaphore::new(config.max_concurrent)),
            counters: work::Counters::default(),
            config,
            started: Instant::now(),
        }))
    }
}

impl Server {
    /// A request's limits: the row cap, and the deadline counted from now.
    pub(crate) fn limits(&self) -> crate::query::Limits {
        crate::query::Limits {
            max_rows: self.config.max_rows,
            deadline: self.config.timeout.map(|t| Instant::now() + t),
        }
    }
}

/// The routes, with the body cap, CORS (when configured) and request logs.
pub fn router(server: Arc<Server>) -> Result<Router> {
    let mut router = Router::new()
        .route(
            "/sparql",
            get(handlers::sparql_get).post(handlers::sparql_post),
        )
        .route("/update", axum::routing::post(handlers::update))
        .route("/store", get(handlers::store))
        .route("/health", get(handlers::health))
        .merge(explorer::routes())
        .fallback(handlers::not_found)
        .layer(DefaultBodyLimit::max(server.config.max_body))
        .with_state(Arc::clone(&server));
    if !server.config.cors.is_empty() {
        router = router.layer(cors(&server.config.cors)?);
    }
    Ok(router.layer(middleware::from_fn(log)))
}

fn cors(origins: &[String]) -> Result<CorsLayer> {
    let allow = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        let origins = origins
            .iter()
            .map(|o| {
                HeaderValue::from_str(o)
                    .map_err(|_| Error::Usage(format!("--cors {o}: not a valid origin")))
            })
            .collect::<Result<Vec<_>>>()?;
        AllowOrigin::list(origins)
    };
    Ok(CorsLayer::new()
        .allow_origin(allow)
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE, header::ACCEPT, header::AUTHORIZATION])
        .expose_headers([
            header::HeaderName::from_static(handlers::ROWS_HEADER),
            header::HeaderName::from_static(handlers::TRUNCATED_HEADER),
        ]))
}

/// The rows an answer carried, left on the response for the request log.
#[derive(Debug, Clone, Copy)]
pub struct Rows(pub usize);

/// One structured log event per request: method, path, status, duration, rows.
async fn log(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    let rows = response.extensions().get::<Rows>().map(|r| r.0);
    tracing::info!(
        target: "stroma::http",
        method = %method,
        path = %path,
        status = response.status().as_u16(),
        duration_ms = (started.elapsed().as_secs_f64() * 1e6).round() / 1e3,
        rows = rows,
        "request"
    );
    response
}

/// Serves `router` on `listener` until SIGINT or SIGTERM, then stops accepting connections
/// and lets the requests in flight finish (each is bounded by the deadline). A connection
/// whose client takes longer than `receive_timeout` to send a request's headers is closed
/// (hyper's header timeout; [`handlers::Received`] bounds the body the same way).
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    receive_timeout: Duration,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let connections = hyper_util::server::graceful::GracefulShutdown::new();
    let stop = shutdown();
    tokio::pin!(stop);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors, a connection reset before it was accepted: wait a
                // moment instead of spinning, and go on serving the others.
                Err(error) => {
                    tracing::warn!(target: "stroma::http", %error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let service = hyper_util::service::TowerToHyperService::new(router.clone());
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(receive_timeout)
            .serve_connection(TokioIo::new(stream), service);
        let connection = connections.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(target: "stroma::http", %error, "connection ended");
            }
        });
    }
    drop(listener);
    connections.shutdown().await;
    Ok(())
}

async fn shutdown() {
    let interrupt = async {
        // If the handler cannot be installed, only SIGTERM stops the server.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!(target: "stroma::http", "shutting down: finishing the requests in flight");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_debug_form_hides_the_update_token() {
        let config = Config {
            update_token: Some("s3cret".into()),
            ..Config::default()
        };
        let shown = format!("{config:?}");
        assert!(
            !shown.contains("s3cret") && shown.contains("(hidden)"),
            "{shown}"
        );
    }
}
