//! The pages' frame (head, navigation, footer) and the fragments every page shares: links to
//! entities and studies, evidence (qualifiers, comparison, studies), diagrams and notes. maud
//! escapes every interpolated string, so a label with markup shows as text.

use super::{entity_href, Drawing};
use crate::error::Error;
use crate::evidence::{Citation, Evidence, Resource};
use crate::report::Polarity;
use axum::http::StatusCode;
use maud::{html, Markup, PreEscaped, DOCTYPE};

/// The section a page belongs to, marked in the navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Search,
    Trace,
    Matrix,
    Compare,
    Query,
}

const SECTIONS: &[(Section, &str, &str)] = &[
    (Section::Search, "/", "Search"),
    (Section::Trace, "/trace", "Trace"),
    (Section::Matrix, "/matrix", "Matrix"),
    (Section::Compare, "/compare", "Compare"),
    (Section::Query, "/query", "Query"),
];

/// A whole page: `title` in the tab and the heading's place, `body` in the main column.
pub fn page(title: &str, section: Section, body: Markup) -> Markup {
    page_with(title, section, html! {}, body)
}

/// The query editor's assets, for the head of the page that has one (loaded before the page's
/// script, which turns the `<textarea>` into the editor).
pub fn editor_assets() -> Markup {
    html! {
        link rel="stylesheet" href="/assets/codemirror.css";
        script src="/assets/codemirror.js" defer {}
    }
}

/// [`page`] with more in its head (a page's own assets).
pub fn page_with(title: &str, section: Section, head: Markup, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Stroma" }
                link rel="stylesheet" href="/assets/stroma.css";
                (head)
                script src="/assets/stroma.js" defer {}
            }
            body {
                header.top {
                    a.brand href="/" { "Stroma" }
                    nav {
                        @for (s, href, name) in SECTIONS {
                            @if *s == section {
                                a.active href=(href) aria-current="page" { (name) }
                            } @else {
                                a href=(href) { (name) }
                            }
                        }
                    }
                    form.quick action="/search" method="get" role="search" {
                        label {
                            "Find "
                            input type="search" name="q" autocomplete="off"
                                list="suggestions" data-suggest;
                        }
                    }
                }
                main { (body) }
                datalist #suggestions {}
                footer {
                    "Stroma · "
                    a href="/sparql" { "SPARQL endpoint" }
                    " · "
                    a href="/health" { "health" }
                }
            }
        }
    }
}

/// A page for an error, with its status and message (the message names the input).
pub fn error_page(title: &str, section: Section, status: StatusCode, error: &Error) -> Markup {
    page(
        title,
        section,
        html! {
            h1 { (title) }
            div.error role="alert" {
                p { strong { (status.as_u16()) " " (status.canonical_reason().unwrap_or("")) } }
                pre { (error.to_string()) }
            }
            p { a href="/" { "Search for an entity" } }
        },
    )
}

/// A link to an entity's page, with its label.
pub fn entity(resource: &Resource) -> Markup {
    html! {
        a.entity href=(entity_href(&resource.id)) title=(resource.id) { (resource.label) }
    }
}

/// A study's page: `/study/N` for the review's references, else its entity page.
pub fn study_href(citation: &Citation) -> String {
    match citation.number {
        Some(n) => format!("/study/{n}"),
        None => entity_href(&format!("<{}>", citation.iri)),
    }
}

/// A study as cited: "[111] Yang H 2019", linking to its page, its title on hover.
pub fn citation(citation: &Citation) -> Markup {
    let author = citation.first_author.as_deref().unwrap_or("");
    let year = citation.year.map(|y| format!(" {y}")).unwrap_or_default();
    html! {
        a.study href=(study_href(citation)) title=[citation.title.as_deref()] {
            @if let Some(n) = citation.number { "[" (n) "] " }
            (author) (year)
        }
    }
}

/// The evidence behind a relation: each statement's qualifiers, comparison, comment and
/// studies.
pub fn evidence(evidence: &[Evidence]) -> Markup {
    html! {
        @if evidence.is_empty() {
            span.muted { "no statement behind this relation" }
        }
        @for e in evidence {
            div.evidence {
                @for (qualifier, value) in &e.qualifiers {
                    span.chip { (qualifier) ": " (value) }
                }
                // A trace hop's evidence names only the qualifiers a trace filters on.
                @if e.qualifiers.is_empty() {
                    @for (qualifier, values) in [
                        ("organism", &e.organisms), ("product", &e.products),
                        ("cell type", &e.cell_types), ("disease model", &e.disease_models),
                    ] {
                        @for value in values { span.chip { (qualifier) ": " (value) } }
                    }
                }
                @if let Some(comparison) = &e.comparison {
                    span.chip { (comparison.text()) }
                }
                @if let Some(comment) = &e.comment { p.comment { (comment) } }
                @if e.studies.is_empty() {
                    span.muted { "no study" }
                } @else {
                    @for c in &e.studies {
                        span.cites {
                            (citation(c))
                            @if let Some(title) = &c.title { " " span.title { (title) } }
                        }
                    }
                }
            }
        }
    }
}

/// The polarity of a relation as a small badge.
pub fn polarity(polarity: Option<&str>) -> Markup {
    html! {
        @match polarity {
            Some("positive") => span.badge.positive title="positive relation" { "+" },
            Some("negative") => span.badge.negative title="negative relation" { "−" },
            _ => {},
        }
    }
}

/// The same badge from the projection's polarity.
pub fn path_polarity(p: Option<Polarity>) -> Markup {
    polarity(match p {
        Some(Polarity::Positive) => Some("positive"),
        Some(Polarity::Negative) => Some("negative"),
        _ => None,
    })
}

/// How names were understood, and other notes of a report.
pub fn notes(notes: &[String]) -> Markup {
    html! {
        @for note in notes { p.note { (note) } }
    }
}

/// A diagram laid out by Graphviz, inline so its links work, with its legend; or why there
/// is none.
pub fn diagram(drawing: &Drawing) -> Markup {
    html! {
        @match &drawing.svg {
            Ok(svg) => figure.diagram role="group" aria-label="Diagram: each node links to its page" {
                (PreEscaped(svg))
                figcaption.legend {
                    @for kind in &drawing.kinds {
                        @let (_, fill) = kind.style();
                        span { span.swatch style={ "background:" (fill) } {} (kind.name()) }
                    }
                    span.arrow.positive { "→ activates, increases" }
                    span.arrow.negative { "⊣ inhibits, decreases" }
                    span.arrow.neutral { "⇢ other relation" }
                    span.muted { "· [n] = reference number in the review" }
                }
            },
            Err(why) => p.note { "No diagram: " (why) },
        }
    }
}
