//! Entity and study pages: the card [`Engine::show`] builds (types, labels, synonyms,
//! cross-references, relations grouped by predicate with direction, qualifiers and studies),
//! and the entity's neighbourhood drawn by the render module and Graphviz, each node a link to
//! its own page. A study's page is the same card: its record, and every statement derived
//! from it.

use super::layout::{self, Section};
use super::{draw, engine, entity_href, failed, number, Drawing, Shared};
use crate::card::{Card, Relation};
use crate::engine::diagram::DiagramRequest;
use crate::engine::explore::{CardReport, ShowRequest};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::vocab::REF;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use serde::Deserialize;

/// The most nodes a neighbourhood diagram on a page may have.
const MAX_NODES: usize = 60;

#[derive(Debug, Default, Deserialize)]
pub struct EntityParams {
    /// How many relations away the neighbourhood diagram reaches (1 to 3).
    #[serde(default)]
    depth: String,
}

pub async fn entity(
    state: Shared,
    Path(id): Path<String>,
    Query(params): Query<EntityParams>,
) -> Response {
    let depth = number(&params.depth).unwrap_or(1).clamp(1, 3);
    let title = id.clone();
    match engine(&state.0, move |engine, _, _| {
        card_page(engine, &id, Some(depth))
    })
    .await
    {
        Ok((report, svg)) => page(&report, svg.as_ref(), depth),
        Err(error) => failed(&title, Section::Search, &error),
    }
}

pub async fn study(state: Shared, Path(number): Path<String>) -> Response {
    let title = format!("Study {number}");
    if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit()) {
        let error = Error::Usage(format!(
            "/study/{number}: a study is named by its reference number in the review, e.g. /study/111"
        ));
        return failed(&title, Section::Search, &error);
    }
    let id = format!("<{REF}{number}>");
    // A study is not a node of the trace graph: its page lists its statements instead.
    match engine(&state.0, move |engine, _, _| card_page(engine, &id, None)).await {
        Ok((report, svg)) => page(&report, svg.as_ref(), 1),
        Err(error) => failed(&title, Section::Search, &error),
    }
}

/// The card of what `id` names, and its neighbourhood within `depth` relations as inline SVG
/// (or why there is none).
fn card_page(
    engine: &Engine,
    id: &str,
    depth: Option<usize>,
) -> Result<(CardReport, Option<Drawing>)> {
    let report = engine.show(&ShowRequest {
        entity: id.to_owned(),
    })?;
    let Some(depth) = depth else {
        return Ok((report, None));
    };
    let request = DiagramRequest::Neighbourhood {
        entity: format!("<{}>", report.card.iri),
        depth,
    };
    let drawing = match engine.diagram(&request, MAX_NODES) {
        Ok(drawn) => Some(draw(engine, &drawn.diagram)),
        Err(Error::TooLarge { nodes, max, .. }) => Some(Drawing {
            svg: Err(format!(
                "within {depth} relations there are {nodes} entities, more than a page draws ({max}): choose a lower depth"
            )),
            kinds: Vec::new(),
        }),
        // Not a node of the trace graph (a class, a study, a property): nothing to draw.
        Err(Error::UnknownEntity(_) | Error::NothingFound(_)) => None,
        Err(error) => return Err(error),
    };
    Ok((report, drawing))
}

fn page(report: &CardReport, svg: Option<&Drawing>, depth: usize) -> Response {
    let card = &report.card;
    let body = html! {
        (layout::notes(&report.notes))
        h1 { (card.label) }
        p.ids {
            code { (card.id) }
            @for t in &card.types { " " span.kind { (t) } }
        }
        @if let Some(definition) = &card.definition { p.definition { (definition) } }
        (facts(card))
        @if let Some(statement) = &card.statement {
            h2 { "States" }
            (relation(statement, Direction::Both))
        }
        @if !card.supports.is_empty() {
            h2 { "Statements derived from this study (" (card.supports.len()) ")" }
            (relations(&card.supports, Direction::Both))
        }
        @if let Some(svg) = svg {
        h2 { "Neighbourhood" }
        p.muted {
            "Within " (depth) " relation" @if depth > 1 { "s" } " — depth: "
            @for d in 1..=3_usize {
                @if d == depth { strong { (d) } } @else {
                    a href={ (entity_href(&card.id)) "?depth=" (d) } { (d) }
                }
                " "
            }
            "· click a node to open its page"
        }
        (layout::diagram(svg))
        }
        @if !card.outgoing.is_empty() {
            h2 { "Relations out (" (card.outgoing.len()) ")" }
            (relations(&card.outgoing, Direction::Out))
        }
        @if !card.incoming.is_empty() {
            h2 { "Relations in (" (card.incoming.len()) ")" }
            (relations(&card.incoming, Direction::In))
        }
        @if !card.used_by.is_empty() {
            h2 { "Statements that name it as a qualifier (" (card.used_by.len()) ")" }
            ul.relations {
                @for used in &card.used_by {
                    li {
                        span.muted { "as " (used.qualifier.label) ": " }
                        (relation(&used.relation, Direction::Both))
                    }
                }
            }
        }
    };
    layout::page(&card.label, Section::Search, body).into_response()
}

/// Synonyms, cross-references and literal properties (a study's record among them).
fn facts(card: &Card) -> Markup {
    html! {
        dl.facts {
            @if !card.synonyms.is_empty() {
                dt { "Synonyms" } dd { (card.synonyms.join("; ")) }
            }
            @if !card.cross_references.is_empty() {
                dt { "Cross-references" }
                dd { @for x in &card.cross_references { code { (x) } " " } }
            }
            @for (property, value) in &card.properties {
                dt { (property) } dd { (value) }
            }
            dt { "IRI" } dd { code { (card.iri) } }
        }
    }
}

/// Which end of a relation the page's entity is, so the other end is what is shown.
#[derive(Clone, Copy)]
enum Direction {
    Out,
    In,
    Both,
}

/// Relations grouped by predicate (in the order the card lists them), with direction.
fn relations(relations: &[Relation], direction: Direction) -> Markup {
    let mut groups: Vec<(&str, Vec<&Relation>)> = Vec::new();
    for r in relations {
        match groups.iter_mut().find(|(p, _)| *p == r.predicate.iri) {
            Some((_, members)) => members.push(r),
            None => groups.push((&r.predicate.iri, vec![r])),
        }
    }
    html! {
        @for (_, members) in &groups {
            @let predicate = &members[0].predicate;
            section.group {
                h3 {
                    @match direction {
                        Direction::Out => { "→ " (predicate.label) },
                        Direction::In => { "← " (predicate.label) },
                        Direction::Both => { (predicate.label) },
                    }
                    " " span.muted { "(" (members.len()) ")" }
                }
                ul.relations {
                    @for r in members { li { (relation(r, direction)) } }
                }
            }
        }
    }
}

/// One relation: the other end (or the whole triple), its polarity and its evidence.
fn relation(r: &Relation, direction: Direction) -> Markup {
    html! {
        div.relation {
            @match direction {
                Direction::Out => { (layout::entity(&r.object)) },
                Direction::In => { (layout::entity(&r.subject)) },
                Direction::Both => {
                    (layout::entity(&r.subject)) " "
                    span.predicate { "—" (r.predicate.label) "→" } " "
                    (layout::entity(&r.object))
                },
            }
            " " (layout::polarity(r.polarity.as_deref()))
        }
        (layout::evidence(&r.evidence))
    }
}
