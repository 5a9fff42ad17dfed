//! The web explorer: server-rendered pages at `/` for researchers who do not write SPARQL —
//! search, entity and study pages with a clickable neighbourhood diagram, the query editor,
//! traces, the factor × effect matrix and the review's Table 1.
//!
//! A front end like the CLI: every page calls the same [`Engine`] functions (`search`, `show`,
//! `stats`, `members`, `diagram`, `trace_drawn`, `matrix`, `parse_query`, `tabulate`, `answer`)
//! on a blocking thread within the
//! server's deadline and evaluation slots ([`super::work::run`]), and only lays out their
//! reports. Templates are maud's `html!` (checked at compile time; every interpolated string is
//! escaped, so markup in a label shows as text). Pages work without JavaScript; the page script
//! adds as-you-type suggestions and turns the query page's text box into a SPARQL editor
//! (vendored CodeMirror 5). Assets are compiled into the binary.
//!
//! URLs are stable and shareable: `/entity/{id}` (a CURIE or `<iri>`), `/study/{n}`,
//! `/search?q=`, `/query?name=` or `?query=`, `/trace?from=&to=…`, `/matrix`, `/compare`.

mod compare;
mod entity;
mod layout;
mod query;
mod search;
mod trace;

use super::handlers::status_of;
use super::work::run;
use super::Server;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::query::Limits;
use crate::render::{self, Diagram, Kind};
use crate::store::Evaluation;
use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use std::sync::Arc;

type Shared = axum::extract::State<Arc<Server>>;

/// The explorer's routes, merged into the server's router.
pub fn routes() -> Router<Arc<Server>> {
    Router::new()
        .route("/", get(search::home))
        .route("/search", get(search::search))
        .route("/api/suggest", get(search::suggest))
        .route("/entity/{id}", get(entity::entity))
        .route("/study/{number}", get(entity::study))
        .route("/query", get(query::page))
        .route("/download", get(query::download))
        .route("/compare", get(compare::page))
        .route("/trace", get(trace::page))
        .route("/matrix", get(trace::matrix))
        .route("/assets/{file}", get(asset))
        .layer(axum::middleware::from_fn(secure))
}

/// Runs `work` with the engine on a blocking thread, within the server's deadline and row
/// cap, after taking an evaluation slot (as every SPARQL request does).
async fn engine<T: Send + 'static>(
    server: &Arc<Server>,
    work: impl FnOnce(&Engine, Evaluation, Limits) -> Result<T> + Send + 'static,
) -> Result<T> {
    let limits = server.limits();
    run(server, limits, move |engine, evaluation| {
        work(engine, evaluation, limits)
    })
    .await
}

/// A diagram laid out for a page: Graphviz's SVG (or why there is none) and the kinds of node it
/// shows, for the legend beside it.
pub struct Drawing {
    pub svg: std::result::Result<String, String>,
    pub kinds: Vec<Kind>,
}

/// Lays out `diagram` with Graphviz, each node a link to its page. On the blocking thread: it
/// runs `dot`. A missing Graphviz is a note on the page, not a failed page.
fn draw(engine: &Engine, diagram: &Diagram) -> Drawing {
    let dot = render::print(render::to_dot_for_page(diagram, &|node| {
        entity_href(&engine.prefixes().curie(&node.iri))
    }));
    let svg = match crate::graphviz::run_dot(&dot, "svg") {
        Ok(svg) => render::html::inline_svg(&svg),
        Err(error) => Err(error.to_string()),
    };
    let mut kinds: Vec<Kind> = diagram.nodes.iter().map(|n| n.kind).collect();
    kinds.sort();
    kinds.dedup();
    Drawing { svg, kinds }
}

/// A page's status for an error: by its kind, as for every request, except that a name that
/// names nothing is a page that does not exist (404).
fn status(error: &Error) -> StatusCode {
    match error {
        Error::UnknownEntity(_) => StatusCode::NOT_FOUND,
        _ => status_of(error),
    }
}

/// A page for an error, with its status and its message in full.
fn failed(title: &str, section: layout::Section, error: &Error) -> Response {
    let status = status(error);
    (status, layout::error_page(title, section, status, error)).into_response()
}

/// What every page is sent with: scripts only from the server itself (no page has an inline
/// script), nothing framed, no content-type sniffing.
const POLICY: &str = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

async fn secure(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_static(POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        header::HeaderValue::from_static("nosniff"),
    );
    response
}

/// A number from a form field: None when the field is empty or not a number (a cleared field
/// sends `name=`), so the page falls back to its default instead of refusing the request.
fn number(field: &str) -> Option<usize> {
    field.trim().parse().ok()
}

/// What may stay unescaped in a path segment or query value of the explorer's links.
const KEEP: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b':');

fn encode(text: &str) -> String {
    utf8_percent_encode(text, KEEP).to_string()
}

/// The page of an entity named by its id (a CURIE, or `<iri>` when no prefix fits).
pub fn entity_href(id: &str) -> String {
    format!("/entity/{}", encode(id))
}

/// A URL with query parameters, each value encoded; empty values are left out.
pub fn href_with(path: &str, params: &[(&str, &str)]) -> String {
    let query: Vec<String> = params
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

/// The files the pages load, compiled into the binary.
const ASSETS: &[(&str, &str, &str)] = &[
    (
        "stroma.css",
        "text/css; charset=utf-8",
        include_str!("assets/stroma.css"),
    ),
    (
        "stroma.js",
        "text/javascript; charset=utf-8",
        include_str!("assets/stroma.js"),
    ),
    // The query editor: CodeMirror 5 with its SPARQL mode, third-party code kept apart in
    // vendor/codemirror/ (its README.md says how it was built).
    (
        "codemirror.js",
        "text/javascript; charset=utf-8",
        include_str!("../../../vendor/codemirror/codemirror.min.js"),
    ),
    (
        "codemirror.css",
        "text/css; charset=utf-8",
        include_str!("../../../vendor/codemirror/codemirror.css"),
    ),
];

async fn asset(Path(file): Path<String>) -> Response {
    match ASSETS.iter().find(|(name, _, _)| *name == file) {
        Some((_, media_type, body)) => (
            [
                (header::CONTENT_TYPE, *media_type),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            *body,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, format!("no asset {file}")).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_encode_what_would_change_their_meaning() {
        assert_eq!(entity_href("sr:TSG-6"), "/entity/sr:TSG-6");
        assert_eq!(
            entity_href("<http://example.org/a b#c>"),
            "/entity/%3Chttp:%2F%2Fexample.org%2Fa%20b%23c%3E"
        );
        assert_eq!(
            href_with(
                "/trace",
                &[("from", "IL-6 & co"), ("to", ""), ("x", "a/b?")]
            ),
            "/trace?from=IL-6%20%26%20co&x=a%2Fb%3F"
        );
    }
}
