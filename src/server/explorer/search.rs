//! The home page, search results and the suggestions the search box shows as you type — all
//! from the resolver's ranking ([`Engine::search`]): exact names first, then names that start
//! with the text, then names that contain it.

use super::layout::{self, Section};
use super::{engine, entity_href, failed, Shared};
use crate::engine::explore::{SearchHit, SearchRequest};
use crate::error::Kind;
use axum::extract::Query;
use axum::response::{IntoResponse, Response};
use axum::Json;
use maud::{html, Markup};
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    q: String,
}

/// How many suggestions the search box shows, and how many hits a results page lists.
const SUGGESTIONS: usize = 10;
const HITS: usize = 50;

/// The home page's way into each section: (link, name, what it answers).
const SECTIONS: [(&str, &str, &str); 4] = [
    (
        "/trace?from=TSG-6&to=intestinal%20repair",
        "Trace",
        "Which factors lead to which therapeutic effects, hop by hop, each backed by its studies.",
    ),
    (
        "/matrix",
        "Matrix",
        "Every factor against every therapeutic effect; each cell opens its trace.",
    ),
    (
        "/compare",
        "Compare",
        "The review's Table 1: hPSC-MSCs against primary MSCs, property by property.",
    ),
    (
        "/query",
        "Query",
        "SPARQL with the named queries one click away; results to download.",
    ),
];

pub async fn home(state: Shared) -> Response {
    let stats = engine(&state.0, |engine, _, _| engine.stats()).await;
    let body = html! {
        section.hero {
            h1 { "Stroma" }
            p.lede {
                "A knowledge graph of mesenchymal stem cells derived from human pluripotent stem "
                "cells (hPSC-MSCs): cell types, markers, factors, pathways, diseases, therapeutic "
                "effects and the studies behind every claim."
            }
            (search_form(""))
            @if let Ok(stats) = &stats {
                p.muted {
                    "This graph: " (stats.triples) " triples · " (stats.statements) " statements · "
                    (stats.studies) " studies"
                }
            }
            p.muted {
                "The curated graph compiled into Stroma comes from Liu TM, "
                i { "World J Stem Cells" } " 2021;13:1826 (CC BY-NC 4.0), and the 134 studies it cites."
            }
        }
        section.cards {
            @for (href, name, what) in SECTIONS {
                a.card href=(href) { h2 { (name) } p { (what) } }
            }
        }
    };
    layout::page("Explore", Section::Search, body).into_response()
}

fn search_form(text: &str) -> Markup {
    html! {
        form.search action="/search" method="get" role="search" {
            input #q type="search" name="q" value=(text) aria-label="Search"
                aria-describedby="search-hint" autocomplete="off" list="suggestions" data-suggest autofocus;
            button type="submit" { "Search" }
        }
        p #search-hint .hint {
            "A cell type, marker, factor, pathway, disease, effect or study: e.g. TSG-6, iPSC-MSC, colitis, exosomes."
        }
    }
}

pub async fn search(state: Shared, Query(params): Query<SearchParams>) -> Response {
    let text = params.q.trim().to_owned();
    if text.is_empty() {
        return home(state).await;
    }
    let request = SearchRequest {
        text: text.clone(),
        limit: HITS,
    };
    let found = engine(&state.0, move |engine, _, _| engine.search(&request)).await;
    let title = format!("Search: {text}");
    let mut status = axum::http::StatusCode::OK;
    let body = match found {
        Ok(report) => html! {
            h1 { "Search" }
            (search_form(&text))
            p.muted {
                @if report.hits.len() == HITS {
                    "The best " (HITS) " entities matching"
                } @else {
                    (report.hits.len()) @if report.hits.len() == 1 { " entity matches" } @else { " entities match" }
                }
                " “" (text) "”"
            }
            ol.hits {
                @for hit in &report.hits {
                    li {
                        a.entity href=(entity_href(&hit.id)) { (hit.label) }
                        " " span.kind { (hit.kind) }
                        @if hit.matched != hit.label { " " span.muted { "(" (hit.matched) ")" } }
                        " " code { (hit.id) }
                    }
                }
            }
        },
        // No hit is a 404 (as for a trace without a path) that keeps the form and says what
        // was meant, perhaps.
        Err(error) if error.kind() == Kind::NotFound => {
            status = super::status(&error);
            html! {
                h1 { "Search" }
                (search_form(&text))
                p.note { (error.to_string()) }
            }
        }
        Err(error) => return failed(&title, Section::Search, &error),
    };
    (status, layout::page(&title, Section::Search, body)).into_response()
}

/// One suggestion for the search box: what to show, and where it leads.
#[derive(Debug, Serialize)]
pub struct Suggestion {
    #[serde(flatten)]
    hit: SearchHit,
    id: String,
    href: String,
}

/// `GET /api/suggest?q=`: the best matches as JSON, best first (an empty list when none).
pub async fn suggest(state: Shared, Query(params): Query<SearchParams>) -> Response {
    let text = params.q.trim().to_owned();
    if text.is_empty() {
        return Json(Vec::<Suggestion>::new()).into_response();
    }
    let request = SearchRequest {
        text,
        limit: SUGGESTIONS,
    };
    match engine(&state.0, move |engine, _, _| engine.search(&request)).await {
        Ok(report) => Json(
            report
                .hits
                .into_iter()
                .map(|hit| Suggestion {
                    id: hit.id.clone(),
                    href: entity_href(&hit.id),
                    hit,
                })
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Err(error) if error.kind() == Kind::NotFound => {
            Json(Vec::<Suggestion>::new()).into_response()
        }
        Err(error) => (super::status_of(&error), error.to_string()).into_response(),
    }
}
