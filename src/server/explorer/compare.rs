//! `/compare?a=&b=`: one cell type against another, property by property, from
//! [`Engine::compare`] — by default primary MSCs against hPSC-MSCs, the review's Table 1 —
//! with every other comparison in the graph below it.

use super::layout::{self, Section};
use super::trace::name_field;
use super::{engine, failed, status, Shared};
use crate::engine::compare::{CompareReport, CompareRequest, ComparisonRow};
use crate::error::Kind;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use serde::Deserialize;

/// The form's fields, as they appear in a shareable URL.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CompareParams {
    #[serde(default)]
    a: String,
    #[serde(default)]
    b: String,
}

/// What the page compares when the form is empty: Table 1's two columns.
const TABLE_1: (&str, &str) = ("sr:PrimaryMSC", "sr:hPSC-MSC");

pub async fn page(state: Shared, Query(params): Query<CompareParams>) -> Response {
    let or = |given: &str, default: &str| {
        let given = given.trim();
        (if given.is_empty() { default } else { given }).to_owned()
    };
    let request = CompareRequest {
        a: or(&params.a, TABLE_1.0),
        b: or(&params.b, TABLE_1.1),
    };
    let asked = request.clone();
    let ran = engine(&state.0, move |engine, _, _| Ok(engine.compare(&asked))).await;
    let compared = match ran {
        Ok(compared) => compared,
        Err(error) => return failed("Compare", Section::Compare, &error),
    };
    let form = html! {
        form.trace action="/compare" method="get" {
            div.fields {
                (name_field("Compare", "a", &params.a, "a cell type, e.g. iPSC-MSC (empty: primary MSC)"))
                (name_field("with", "b", &params.b, "another, e.g. BM-MSC (empty: hPSC-MSC)"))
            }
            button type="submit" { "Compare" }
        }
    };
    let (title, body, code) = match &compared {
        Ok(report) => {
            let title = format!("{} compared with {}", report.a.label, report.b.label);
            let body = html! {
                h1 { (title) }
                p.muted {
                    "How one cell type fared against another, property by property, on which "
                    "studies: the review's Table 1 first, then every other finding that names a "
                    "comparator. A comparison of a broader or narrower type counts (what holds "
                    "for hPSC-MSCs holds for iPSC-MSCs)."
                }
                (form)
                (layout::notes(&report.notes))
                (tables(report))
            };
            (title, body, StatusCode::OK)
        }
        // No comparison, or a name that resolves to nothing: an answer for the form.
        Err(error) if matches!(error.kind(), Kind::NotFound | Kind::Input) => {
            let body = html! {
                h1 { "Compare" }
                (form)
                div.error role="alert" { pre { (error.to_string()) } }
            };
            ("Compare".to_owned(), body, status(error))
        }
        Err(error) => return failed("Compare", Section::Compare, error),
    };
    (code, layout::page(&title, Section::Compare, body)).into_response()
}

fn tables(report: &CompareReport) -> Markup {
    let (table_1, others): (Vec<&ComparisonRow>, Vec<&ComparisonRow>) =
        report.rows.iter().partition(|r| r.table_row.is_some());
    html! {
        @if !table_1.is_empty() {
            h2 { "Table 1 of the review" }
            div.table-wrap {
                table.compare {
                    thead { tr {
                        th { "#" } th { "Property" } th { (report.a.label) } th { (report.b.label) }
                        th { "In short" } th { "References" }
                    } }
                    tbody {
                        @for row in &table_1 {
                            tr {
                                td { (row.table_row.unwrap_or_default()) }
                                td { strong { (row.property) } }
                                td { (direction(&row.a)) }
                                td { (direction(&row.b)) }
                                td { (row.note.as_deref().unwrap_or("")) }
                                td { (references(&row.studies)) }
                            }
                        }
                    }
                }
            }
        }
        @if !others.is_empty() {
            h2 { "Other comparisons" }
            div.table-wrap {
                table.compare {
                    thead { tr {
                        th { "Property" } th { (report.a.label) } th { (report.b.label) }
                        th { "As stated" } th { "In" } th { "References" }
                    } }
                    tbody {
                        @for row in &others {
                            tr {
                                td { strong { (row.property) } }
                                td { (direction(&row.a)) }
                                td { (direction(&row.b)) }
                                td {
                                    (row.subject.label) " vs " (row.comparator.label)
                                    @if row.reversed { span.muted { " (turned around)" } }
                                }
                                td { (row.context()) }
                                td { (references(&row.studies)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Links to the studies, or "the review" for the review's own claim.
fn references(studies: &[String]) -> Markup {
    html! {
        @for (i, n) in studies.iter().enumerate() {
            @if i > 0 { ", " }
            @if n.parse::<u32>().is_ok() {
                a.study href={ "/study/" (n) } { "[" (n) "]" }
            } @else {
                "the review"
            }
        }
    }
}

fn direction(outcome: &str) -> Markup {
    html! {
        @match outcome {
            "higher" | "superior" => span.dir.up { "▲ " (outcome) },
            "lower" | "inferior" => span.dir.down { "▼ " (outcome) },
            other => span.dir { (other) },
        }
    }
}
