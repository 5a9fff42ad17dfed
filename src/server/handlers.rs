//! The HTTP handlers: each turns a request into a protocol call ([`protocol`]), runs the
//! engine on a blocking thread within the deadline, and writes the answer with its status and
//! headers. Library errors become statuses by their kind alone: input 400, refused 403,
//! nothing found 404, timeout 503, the rest 500.

use super::protocol::{self, QueryCall, Refusal};
use super::work::{run, stream};
use super::{Rows, Server};
use crate::engine::sparql::{Answer, AnswerRequest, GraphRequest, UpdateRequest};
use crate::error::{Error, Kind};
use crate::query::{self, Limits, OutputFormat, QueryText};
use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use oxigraph::sparql::results::QueryResultsFormat;
use spargebra::GraphUpdateOperation;
use std::sync::Arc;
use std::time::Instant;

/// The header that carries how many rows an answer has.
pub const ROWS_HEADER: &str = "stroma-rows";
/// The header present when the row cap cut an answer short; its value is the cap.
pub const TRUNCATED_HEADER: &str = "stroma-truncated";

type Shared = State<Arc<Server>>;

/// A request's body, received within the server's receive timeout and under its body cap: a
/// client that trickles its body (or stalls) gets 408 and its connection is closed, instead of
/// holding the request open for as long as it likes.
pub struct Received(pub Bytes);

impl FromRequest<Arc<Server>> for Received {
    type Rejection = Response;

    async fn from_request(
        request: axum::extract::Request,
        server: &Arc<Server>,
    ) -> Result<Self, Response> {
        let within = server.config.receive_timeout;
        match tokio::time::timeout(within, Bytes::from_request(request, server)).await {
            Ok(Ok(bytes)) => Ok(Self(bytes)),
            Ok(Err(rejection)) => Err(rejection.into_response()),
            Err(_) => {
                let mut response = plain(
                    StatusCode::REQUEST_TIMEOUT,
                    format!(
                        "the request body did not arrive within {} s (--receive-timeout)",
                        within.as_secs_f64()
                    ),
                );
                response
                    .headers_mut()
                    .insert(header::CONNECTION, HeaderValue::from_static("close"));
                Err(response)
            }
        }
    }
}

pub async fn sparql_get(State(server): Shared, headers: HeaderMap, uri: Uri) -> Response {
    match protocol::query_get(uri.query()) {
        Ok(call) => query_call(server, &headers, call).await,
        Err(refusal) => refused(refusal),
    }
}

pub async fn sparql_post(
    State(server): Shared,
    headers: HeaderMap,
    uri: Uri,
    Received(body): Received,
) -> Response {
    match protocol::query_post(uri.query(), content_type(&headers), &body) {
        Ok(call) => query_call(server, &headers, call).await,
        Err(refusal) => refused(refusal),
    }
}

async fn query_call(server: Arc<Server>, headers: &HeaderMap, call: QueryCall) -> Response {
    let (text, dataset) = match call {
        QueryCall::Description => return description(&server, headers),
        QueryCall::Query { text, dataset } => (text, dataset),
    };
    let text = QueryText {
        text,
        origin: "the query".into(),
    };
    let endpoint = endpoint(headers);
    let query = match server.engine.parse_query(&text, Some(&endpoint)) {
        Ok(query) => query,
        Err(error) => return failed(&error),
    };
    let format = match protocol::negotiate(accept(headers), query::kind(&query)) {
        Ok(format) => format,
        Err(refusal) => return refused(refusal),
    };
    let limits = server.limits();
    let max_rows = server.config.max_rows;
    let link = format!("{endpoint}#max-rows");
    let answered = run(&server, limits, move |engine, evaluation| {
        let mut answer = engine.answer(AnswerRequest {
            query,
            dataset,
            format,
            limits,
            evaluation,
        })?;
        if answer.written.truncated && format == OutputFormat::Results(QueryResultsFormat::Json) {
            link_truncation(&mut answer.body, &link);
        }
        Ok(answer)
    })
    .await;
    match answered {
        Ok(answer) => answered_with(answer, format, max_rows),
        Err(error) => failed(&error),
    }
}

/// Adds to the head of cut JSON results a `link` to the row cap's description (the format's
/// place for metadata). On the blocking thread: the answer may be large.
fn link_truncation(body: &mut Vec<u8>, link: &str) {
    let Ok(mut json) = serde_json::from_slice::<serde_json::Value>(body) else {
        return;
    };
    if let Some(head) = json.get_mut("head").and_then(|h| h.as_object_mut()) {
        head.insert("link".into(), serde_json::json!([link]));
    }
    if let Ok(rewritten) = serde_json::to_vec(&json) {
        *body = rewritten;
    }
}

/// An answer with its media type, row count and, when the cap cut it short, the truncation
/// header.
pub(super) fn answered_with(
    answer: Answer,
    format: OutputFormat,
    max_rows: Option<usize>,
) -> Response {
    let Answer { body, written } = answer;
    let media_type = match format {
        OutputFormat::Results(f) => f.media_type(),
        OutputFormat::Graph(f) => f.media_type(),
        OutputFormat::Table => "text/plain",
    };
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    headers.insert(header::VARY, HeaderValue::from_static("accept"));
    headers.insert(ROWS_HEADER, HeaderValue::from(written.rows));
    if written.truncated {
        if let Some(cap) = max_rows {
            headers.insert(TRUNCATED_HEADER, HeaderValue::from(cap));
        }
    }
    response.extensions_mut().insert(Rows(written.rows));
    response
}

pub async fn update(
    State(server): Shared,
    headers: HeaderMap,
    uri: Uri,
    Received(body): Received,
) -> Response {
    let Some(token) = &server.config.update_token else {
        return plain(
            StatusCode::FORBIDDEN,
            "updates are off: start `stroma serve --allow-update` (with --token or STROMA_TOKEN)",
        );
    };
    if !bearer_matches(&headers, token) {
        let mut response = plain(
            StatusCode::UNAUTHORIZED,
            "updates need `Authorization: Bearer TOKEN` with the server's token",
        );
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"stroma\""),
        );
        return response;
    }
    let call = match protocol::update_post(uri.query(), content_type(&headers), &body) {
        Ok(call) => call,
        Err(refusal) => return refused(refusal),
    };
    let text = QueryText {
        text: call.text,
        origin: "the update".into(),
    };
    let mut parsed = match server.engine.parse_update(&text, Some(&endpoint(&headers))) {
        Ok(update) => update,
        Err(error) => return failed(&error),
    };
    let loads = parsed
        .operations
        .iter()
        .any(|op| matches!(op, GraphUpdateOperation::Load { .. }));
    if loads && server.outbound.loads.is_empty() {
        return plain(
            StatusCode::FORBIDDEN,
            "LOAD refused: this server fetches no LOAD source (start it with --allow-load PREFIX)",
        );
    }
    let limits = Limits {
        max_rows: None,
        deadline: server.config.timeout.map(|t| Instant::now() + t),
    };
    let outbound = Arc::clone(&server.outbound);
    let dataset = call.dataset;
    let applied = run(&server, limits, move |engine, evaluation| {
        // A LOAD becomes an INSERT DATA of what its source holds, in the same update: all of
        // it is applied, or none.
        let mut operations = Vec::with_capacity(parsed.operations.len());
        for operation in parsed.operations.drain(..) {
            match operation {
                GraphUpdateOperation::Load {
                    silent,
                    source,
                    destination,
                } => match outbound.load(&source, &destination) {
                    Ok(data) => operations.push(GraphUpdateOperation::InsertData { data }),
                    Err(_) if silent => {}
                    Err(error) => return Err(error),
                },
                other => operations.push(other),
            }
        }
        parsed.operations = operations;
        engine.apply_update(UpdateRequest {
            update: parsed,
            dataset,
            evaluation,
        })
    })
    .await;
    match applied {
        Ok(report) => Json(report).into_response(),
        Err(error) => failed(&error),
    }
}

/// Graph Store Protocol reads: `GET /store?default` or `GET /store?graph=IRI`.
pub async fn store(State(server): Shared, headers: HeaderMap, uri: Uri) -> Response {
    let graph = match protocol::graph_get(uri.query()) {
        Ok(graph) => graph,
        Err(refusal) => return refused(refusal),
    };
    let format = match protocol::negotiate_graph(accept(&headers)) {
        Ok(format) => format,
        Err(refusal) => return refused(refusal),
    };
    let deadline = server.config.timeout.map(|t| Instant::now() + t);
    let streamed = stream(&server, deadline, move |engine, evaluation, out| {
        let limits = Limits::default();
        engine
            .write_graph(
                GraphRequest {
                    graph,
                    format,
                    limits,
                    evaluation,
                },
                out,
            )
            .map(|_| ())
    })
    .await;
    match streamed {
        Ok(body) => {
            let mut response = (StatusCode::OK, body).into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(format.media_type()),
            );
            headers.insert(header::VARY, HeaderValue::from_static("accept"));
            response
        }
        Err(error) => failed(&error),
    }
}

/// The server's state: `ok`, or `degraded` (503) when every evaluation slot is held by an
/// evaluation past its deadline, so that no query can run until one of them ends.
pub async fn health(State(server): Shared) -> Response {
    let health = server.health();
    let status = if health.status == "ok" {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(health)).into_response()
}

pub async fn not_found(uri: Uri) -> Response {
    plain(
        StatusCode::NOT_FOUND,
        format!(
            "no such resource: {}; this server has /sparql, /update, /store and /health",
            uri.path()
        ),
    )
}

/// The SPARQL Service Description of the endpoint, in the negotiated RDF format.
fn description(server: &Server, headers: &HeaderMap) -> Response {
    let format = match protocol::negotiate_graph(accept(headers)) {
        Ok(format) => format,
        Err(refusal) => return refused(refusal),
    };
    let endpoint = endpoint(headers);
    let body = match super::description::write(&endpoint, &server.config, format) {
        Ok(body) => body,
        Err(error) => return failed(&error),
    };
    let mut response = (StatusCode::OK, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.media_type()),
    );
    response
}

/// The endpoint's IRI as the client addressed it.
fn endpoint(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:[]_".contains(c))
        })
        .unwrap_or("localhost");
    format!("http://{host}/sparql")
}

fn accept(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok())
}

fn content_type(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
}

/// Compares the bearer token in constant time (the time taken does not tell how much of a
/// guess was right).
fn bearer_matches(headers: &HeaderMap, token: &str) -> bool {
    let Some(given) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    else {
        return false;
    };
    let (a, b) = (given.trim().as_bytes(), token.as_bytes());
    let mut difference = a.len() ^ b.len();
    for (i, byte) in b.iter().enumerate() {
        difference |= usize::from(byte ^ a.get(i).copied().unwrap_or(0));
    }
    difference == 0
}

fn refused(refusal: Refusal) -> Response {
    plain(refusal.status, refusal.message)
}

/// The status of a library error, by its kind alone.
pub fn status_of(error: &Error) -> StatusCode {
    match error.kind() {
        Kind::Input => StatusCode::BAD_REQUEST,
        Kind::Refused => StatusCode::FORBIDDEN,
        Kind::NotFound => StatusCode::NOT_FOUND,
        Kind::Timeout => StatusCode::SERVICE_UNAVAILABLE,
        Kind::Remote => StatusCode::BAD_GATEWAY,
        Kind::Store | Kind::Tool | Kind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn failed(error: &Error) -> Response {
    plain(status_of(error), error.to_string())
}

fn plain(status: StatusCode, message: impl Into<String>) -> Response {
    let mut body = message.into();
    body.push('\n');
    let mut response = (status, Body::from(body)).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}
