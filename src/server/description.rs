//! The SPARQL 1.1 Service Description of the endpoint: what it speaks (query, and update when
//! allowed), the formats it writes, federation when SERVICE targets are allowed, its dataset,
//! and its limits (the row cap has its own IRI, `…/sparql#max-rows`, which a cut JSON answer
//! links to).

use super::Config;
use crate::error::{Error, Result};
use crate::vocab::RDFS;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{BlankNode, Literal, NamedNode, Triple};

const SD: &str = "http://www.w3.org/ns/sparql-service-description#";
const FORMATS: &str = "http://www.w3.org/ns/formats/";
/// The W3C format IRIs of what the endpoint writes.
const WRITTEN: [&str; 11] = [
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "N-Quads",
    "TriG",
    "N3",
    "RDF_XML",
    "JSON-LD",
];

fn sd(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{SD}{local}"))
}

/// The description of the endpoint at `endpoint` (an IRI the handler built from a checked
/// Host header), in `format`.
pub fn write(endpoint: &str, config: &Config, format: RdfFormat) -> Result<Vec<u8>> {
    let service = NamedNode::new(endpoint)
        .map_err(|e| Error::Internal(format!("the endpoint <{endpoint}> is not an IRI: {e}")))?;
    let dataset = BlankNode::default();
    let graph = BlankNode::default();
    let mut triples = vec![
        Triple::new(service.clone(), rdf::TYPE, sd("Service")),
        Triple::new(service.clone(), sd("endpoint"), service.clone()),
        Triple::new(
            service.clone(),
            sd("supportedLanguage"),
            sd("SPARQL11Query"),
        ),
        Triple::new(service.clone(), sd("defaultDataset"), dataset.clone()),
        Triple::new(dataset.clone(), rdf::TYPE, sd("Dataset")),
        Triple::new(dataset, sd("defaultGraph"), graph.clone()),
        Triple::new(graph, rdf::TYPE, sd("Graph")),
    ];
    if config.update_token.is_some() {
        triples.push(Triple::new(
            service.clone(),
            sd("supportedLanguage"),
            sd("SPARQL11Update"),
        ));
    }
    if !config.service_allow.is_empty() {
        triples.push(Triple::new(
            service.clone(),
            sd("feature"),
            sd("BasicFederatedQuery"),
        ));
    }
    for written in WRITTEN {
        let format = NamedNode::new_unchecked(format!("{FORMATS}{written}"));
        triples.push(Triple::new(service.clone(), sd("resultFormat"), format));
    }
    let or_none = |limit: Option<String>| limit.unwrap_or_else(|| "none".into());
    let summary = format!(
        "Stroma {}: a knowledge graph of hPSC-derived mesenchymal stem cells. Limits: deadline {}, at most {} rows per answer, request bodies up to {} bytes, {} evaluations at once; updates {}.",
        env!("CARGO_PKG_VERSION"),
        or_none(config.timeout.map(|t| format!("{} s", t.as_secs_f64()))),
        or_none(config.max_rows.map(|n| n.to_string())),
        config.max_body,
        config.max_concurrent,
        if config.update_token.is_some() { "with a bearer token" } else { "off" },
    );
    triples.push(Triple::new(
        service.clone(),
        rdfs::COMMENT,
        Literal::new_simple_literal(summary),
    ));
    if let Some(max_rows) = config.max_rows {
        let cap = NamedNode::new_unchecked(format!("{endpoint}#max-rows"));
        triples.push(Triple::new(
            cap.clone(),
            rdf::VALUE,
            Literal::from(max_rows as u64),
        ));
        triples.push(Triple::new(
            cap,
            rdfs::COMMENT,
            Literal::new_simple_literal(format!(
                "Answers stop at {max_rows} rows; a cut answer has the header Stroma-Truncated. Page with LIMIT and OFFSET."
            )),
        ));
    }
    let mut serializer = RdfSerializer::from_format(format);
    if matches!(format, RdfFormat::Turtle | RdfFormat::TriG | RdfFormat::N3) {
        serializer = serializer
            .with_prefix("sd", SD)
            .and_then(|s| s.with_prefix("rdfs", RDFS))
            .map_err(|e| Error::Internal(e.to_string()))?;
    }
    let mut writer = serializer.for_writer(Vec::new());
    for triple in &triples {
        writer.serialize_triple(triple)?;
    }
    Ok(writer.finish()?)
}
