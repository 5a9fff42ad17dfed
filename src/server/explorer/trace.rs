//! The trace page (FROM and TO or a class, evidence filters, ranked paths with the evidence of
//! every hop and the coherence of each path, and their diagram) and the factor × effect
//! matrix, whose every cell opens its trace. Both call the engine as `stroma trace` does
//! ([`Engine::trace_drawn`], [`Engine::matrix`]).

use super::layout::{self, Section};
use super::{draw, engine, failed, href_with, number, status, Drawing, Shared};
use crate::engine::trace::{EvidenceFilter, MatrixRequest, TraceReport, TraceRequest};
use crate::engine::Engine;
use crate::error::{Kind, Result};
use crate::evidence::Resource;
use crate::report::{Level, MatrixReport, PathReport};
use crate::vocab::ST;
use axum::extract::Query;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use serde::Deserialize;

/// The trace form's fields, as they appear in a shareable URL.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TraceParams {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    from_class: String,
    #[serde(default)]
    to_class: String,
    /// An organism's IRI: keep evidence observed in it.
    #[serde(default)]
    organism: String,
    /// A product's IRI, or `cells` for the cells themselves.
    #[serde(default)]
    product: String,
    /// A study: reference number or name.
    #[serde(default)]
    study: String,
    coherent: Option<String>,
    undirected: Option<String>,
    comparisons: Option<String>,
    #[serde(default)]
    max_hops: String,
    #[serde(default)]
    paths: String,
}

/// The largest `max_hops` and `paths` a page may ask for: a trace page is interactive.
const MAX_HOPS: usize = 6;
const MAX_PATHS: usize = 50;
/// The most entities a trace diagram on a page may have.
const MAX_DRAWN: usize = 80;

impl TraceParams {
    fn is_set(flag: &Option<String>) -> bool {
        flag.as_deref().is_some_and(|v| !v.is_empty() && v != "0")
    }

    fn request(&self) -> TraceRequest {
        let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let defaults = TraceRequest::default();
        TraceRequest {
            from: text(&self.from),
            to: text(&self.to),
            from_class: text(&self.from_class),
            to_class: text(&self.to_class),
            max_hops: number(&self.max_hops)
                .unwrap_or(defaults.max_hops)
                .clamp(1, MAX_HOPS),
            paths: number(&self.paths)
                .unwrap_or(defaults.paths)
                .clamp(1, MAX_PATHS),
            undirected: Self::is_set(&self.undirected),
            coherent: Self::is_set(&self.coherent),
            comparisons: Self::is_set(&self.comparisons),
            filter: EvidenceFilter {
                organisms: text(&self.organism).into_iter().collect(),
                products: match self.product.trim() {
                    "" => Vec::new(),
                    "cells" => vec![None],
                    iri => vec![Some(iri.to_owned())],
                },
                study: text(&self.study),
            },
            ..defaults
        }
    }

    fn asks(&self) -> bool {
        !self.from.trim().is_empty() || !self.from_class.trim().is_empty()
    }
}

/// The choices the filters offer, read from the graph.
struct Choices {
    organisms: Vec<Resource>,
    products: Vec<Resource>,
}

fn choices(engine: &Engine) -> Result<Choices> {
    Ok(Choices {
        organisms: engine.members(&format!("{ST}Organism"))?,
        products: engine.members(&format!("{ST}CellProduct"))?,
    })
}

/// A trace and its diagram, or why there is none (the error, shown in the page).
type Traced = std::result::Result<(TraceReport, Drawing), crate::error::Error>;

pub async fn page(state: Shared, Query(params): Query<TraceParams>) -> Response {
    let asked = params.clone();
    let ran = engine(&state.0, move |engine, _, _| {
        let choices = choices(engine)?;
        if !asked.asks() {
            return Ok((choices, None));
        }
        let traced: Traced = match engine.trace_drawn(&asked.request()) {
            Ok((report, diagram)) if diagram.nodes.len() > MAX_DRAWN => {
                let why = format!(
                    "the paths pass through {} entities, more than a page draws ({MAX_DRAWN}): ask for fewer paths",
                    diagram.nodes.len()
                );
                let drawing = Drawing {
                    svg: Err(why),
                    kinds: Vec::new(),
                };
                Ok((report, drawing))
            }
            Ok((report, diagram)) => {
                let drawing = draw(engine, &diagram);
                Ok((report, drawing))
            }
            // No path, or a name that resolves to nothing: an answer for the form, not a
            // failure of the page.
            Err(error) if matches!(error.kind(), Kind::NotFound | Kind::Input) => Err(error),
            Err(error) => return Err(error),
        };
        Ok((choices, Some(traced)))
    })
    .await;
    let (choices, traced) = match ran {
        Ok(ran) => ran,
        Err(error) => return failed("Trace", Section::Trace, &error),
    };
    let title = if params.asks() {
        format!(
            "Trace {} → {}",
            or_class(&params.from, &params.from_class),
            or_class(&params.to, &params.to_class)
        )
    } else {
        "Trace".to_owned()
    };
    let body = html! {
        h1 { "Trace" }
        p.muted {
            "Ranked paths from a factor (or any entity) to a therapeutic effect, disease or other "
            "entity, every hop backed by its studies. A path is coherent when one study, or one "
            "disease model, supports all of its hops."
        }
        (form(&params, &choices))
        @match &traced {
            None => {},
            Some(Err(error)) => div.error role="alert" { pre { (error.to_string()) } },
            Some(Ok((report, svg))) => (paths(report, svg)),
        }
    };
    let status = match &traced {
        Some(Err(error)) => status(error),
        _ => axum::http::StatusCode::OK,
    };
    (status, layout::page(&title, Section::Trace, body)).into_response()
}

fn or_class<'a>(name: &'a str, class: &'a str) -> &'a str {
    if name.trim().is_empty() {
        if class.trim().is_empty() {
            "therapeutic effects"
        } else {
            class
        }
    } else {
        name
    }
}

fn form(params: &TraceParams, choices: &Choices) -> Markup {
    let request = params.request();
    html! {
        form.trace action="/trace" method="get" {
            div.fields {
                (name_field("From", "from", &params.from, "e.g. TSG-6"))
                (name_field("To", "to", &params.to, "e.g. intestinal repair (empty: every effect)"))
                (name_field("or from every", "from_class", &params.from_class, "class, e.g. factor"))
                (name_field("to every", "to_class", &params.to_class, "class (default: therapeutic effect)"))
            }
            div.fields {
                label { "Organism"
                    select name="organism" {
                        option value="" { "any" }
                        @for o in &choices.organisms {
                            option value=(o.iri) selected[params.organism == o.iri] { (o.label) }
                        }
                    }
                }
                label { "Product"
                    select name="product" {
                        option value="" { "any" }
                        option value="cells" selected[params.product == "cells"] { "the cells themselves" }
                        @for p in &choices.products {
                            option value=(p.iri) selected[params.product == p.iri] { (p.label) }
                        }
                    }
                }
                label { "Study" span.hint { "number or name, e.g. 111" } input type="text" name="study" value=(params.study); }
                label { "Max hops" input type="number" name="max_hops" min="1" max=(MAX_HOPS) value=(request.max_hops); }
                label { "Paths" input type="number" name="paths" min="1" max=(MAX_PATHS) value=(request.paths); }
            }
            div.fields.checks {
                label.check { input type="checkbox" name="coherent" value="1" checked[request.coherent]; "coherent paths only" }
                label.check { input type="checkbox" name="undirected" value="1" checked[request.undirected]; "walk relations both ways" }
                label.check { input type="checkbox" name="comparisons" value="1" checked[request.comparisons]; "include comparisons (higher/lower in)" }
                button type="submit" { "Trace" }
            }
        }
    }
}

/// A field for a name (an entity or a class), with suggestions as you type and a hint that
/// stays visible while typing (an example, or what an empty field means).
pub(super) fn name_field(label: &str, name: &str, value: &str, hint: &str) -> Markup {
    html! {
        label {
            (label)
            span.hint { (hint) }
            input type="text" name=(name) value=(value)
                list="suggestions" data-suggest autocomplete="off";
        }
    }
}

/// The ranked paths with their evidence, and their diagram.
fn paths(report: &TraceReport, svg: &Drawing) -> Markup {
    html! {
        (layout::notes(&report.notes))
        p.summary {
            (report.paths.len()) " path" @if report.paths.len() != 1 { "s" }
            @if let Some(from) = &report.from { " from " (layout::entity(from)) }
            @if let Some(to) = &report.to { " to " (layout::entity(to)) }
            @if let Some(class) = &report.to_class { " to every " (class.label) }
            " within " (report.max_hops) " hop" @if report.max_hops != 1 { "s" }
            @if !report.directed { ", both ways" }
            @if report.coherent_only { ", coherent only" }
        }
        (layout::diagram(svg))
        ol.paths {
            @for path in &report.paths { li { (path_item(path)) } }
        }
    }
}

fn path_item(path: &PathReport) -> Markup {
    let coherence = &path.coherence;
    html! {
        div.path-head {
            strong { "Path " (path.rank) } " · " (path.length) " hop" @if path.length != 1 { "s" }
            " · " (path.studies) " stud" @if path.studies == 1 { "y" } @else { "ies" } " · "
            (level(coherence.level))
            @match coherence.level {
                Level::Study => {
                    " on " @for (i, c) in coherence.context.studies.iter().enumerate() {
                        @if i > 0 { ", " } (layout::citation(c))
                    }
                },
                Level::Context => { " in " (coherence.context.disease_models.join(", ")) },
                _ => {},
            }
        }
        ol.hops {
            @for (i, hop) in path.hops.iter().enumerate() {
                @let change = coherence.changes.iter().find(|c| c.hop == i + 1);
                li class=[change.map(|_| "context-change")] {
                    div.relation {
                        (layout::entity(&hop.subject)) " "
                        span.predicate {
                            @if hop.reversed { "←" } @else { "—" }
                            (hop.predicate.label)
                            @if hop.reversed { "—" } @else { "→" }
                        }
                        " " (layout::entity(&hop.object)) " "
                        (layout::path_polarity(hop.polarity))
                        @if let Some(comparison) = &hop.comparison { " " span.chip { (comparison.text()) } }
                        @if change.is_some() { " " span.badge.change title="this hop shares neither a study nor a disease model with the hops before it" { "new context" } }
                    }
                    (layout::evidence(&hop.evidence))
                }
            }
        }
    }
}

/// A path's coherence as a labelled badge.
fn level(level: Level) -> Markup {
    html! { span class={ "level " (level_class(level)) } { (level_text(level)) } }
}

fn level_text(level: Level) -> &'static str {
    match level {
        Level::Study => "coherent: one study",
        Level::Context => "coherent: one disease model",
        Level::Mixed => "mixed: the context changes",
        Level::Unsupported => "a hop has no evidence",
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct MatrixParams {
    /// The rows' class (factors when empty).
    #[serde(default)]
    from_class: String,
    /// The columns' class (therapeutic effects when empty).
    #[serde(default)]
    to_class: String,
    coherent: Option<String>,
}

/// `GET /matrix`: every node of one class (factors) against every node of another
/// (therapeutic effects) it reaches; each cell is the number of studies on the best path and
/// links to that trace.
pub async fn matrix(state: Shared, Query(params): Query<MatrixParams>) -> Response {
    let coherent = TraceParams::is_set(&params.coherent);
    let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let request = MatrixRequest {
        from_class: text(&params.from_class),
        to_class: text(&params.to_class),
        trace: TraceRequest {
            coherent,
            ..TraceRequest::default()
        },
    };
    let report = match engine(&state.0, move |engine, _, _| engine.matrix(&request)).await {
        Ok(report) => Ok(report),
        // A class this graph does not have: an answer for the form, not a failed page.
        Err(error) if matches!(error.kind(), Kind::NotFound | Kind::Input) => Err(error),
        Err(error) => return failed("Matrix", Section::Matrix, &error),
    };
    let rows = text(&params.from_class).unwrap_or_else(|| "factors".into());
    let columns = text(&params.to_class).unwrap_or_else(|| "therapeutic effects".into());
    let body = html! {
        h1 { (rows) " × " (columns) }
        p.muted {
            "Each cell counts the studies on the best path from the row to the column; its "
            "colour says whether one study or one disease model supports every hop. "
            "Click a cell for its trace."
        }
        form.trace action="/matrix" method="get" {
            div.fields {
                (name_field("Rows: every", "from_class", &params.from_class, "class (default: factor)"))
                (name_field("Columns: every", "to_class", &params.to_class, "class (default: therapeutic effect)"))
                label.check { input type="checkbox" name="coherent" value="1" checked[coherent]; "coherent paths only" }
                button type="submit" { "Show" }
            }
        }
        @match &report {
            Ok(report) => {
                (layout::notes(&report.notes))
                (matrix_table(report))
                p.legend {
                    span class="level study" { "one study" } " "
                    span class="level context" { "one disease model" } " "
                    span class="level mixed" { "mixed contexts" } " "
                    span class="level unsupported" { "a hop without evidence" }
                }
            },
            Err(error) => div.error role="alert" { pre { (error.to_string()) } },
        }
    };
    let status = match &report {
        Ok(_) => axum::http::StatusCode::OK,
        Err(error) => status(error),
    };
    (status, layout::page("Matrix", Section::Matrix, body)).into_response()
}

fn matrix_table(report: &MatrixReport) -> Markup {
    let (rows, columns) = report.reached();
    html! {
        @if rows.is_empty() {
            p.note { "No row reaches a column within the hops." }
        } @else {
            div.table-wrap {
                table.matrix {
                    thead { tr {
                        th.corner { "factor \\ effect" }
                        @for c in &columns {
                            th.col { span { (report.columns[*c].label) } }
                        }
                    } }
                    tbody {
                        @for r in &rows {
                            @let row = &report.rows[*r];
                            tr {
                                th.row { (layout::entity(row)) }
                                @for c in &columns {
                                    @let column = &report.columns[*c];
                                    @match (report.cells[*r][*c], report.coherence[*r][*c]) {
                                        (Some(studies), Some(level)) => td {
                                            a class={ "cell " (level_class(level)) }
                                                href=(href_with("/trace", &[
                                                    ("from", &row.id), ("to", &column.id),
                                                    ("coherent", if report.coherent_only { "1" } else { "" }),
                                                ]))
                                                title={ (row.label) " → " (column.label) ": " (studies) " stud" @if studies == 1 { "y" } @else { "ies" } ", " (level_text(level)) }
                                                aria-label={ (row.label) " → " (column.label) ": " (studies) " stud" @if studies == 1 { "y" } @else { "ies" } ", " (level_text(level)) } {
                                                (studies)
                                            }
                                        },
                                        _ => td {},
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn level_class(level: Level) -> &'static str {
    match level {
        Level::Study => "study",
        Level::Context => "context",
        Level::Mixed => "mixed",
        Level::Unsupported => "unsupported",
    }
}
