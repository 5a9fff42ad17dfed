//! The command line: clap derive definitions. The `///` comments are the help text.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Stroma: a knowledge graph of mesenchymal stem cells derived from human pluripotent stem
/// cells (hPSC-MSCs), built from Liu TM, World J Stem Cells 2021;13:1826.
///
/// With no options every command works on the curated graph compiled into the binary.
/// Exit codes: 0 success, 1 a check found problems (validate), 2 bad input or error.
#[derive(Debug, Parser)]
#[command(
    name = "stroma",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub source: SourceArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Where the graph comes from.
#[derive(Debug, Args, Clone, Default)]
pub struct SourceArgs {
    /// Open (or create) a persistent store in DIR instead of the embedded graph
    /// (needs the `rocksdb` feature).
    #[arg(long, global = true, value_name = "DIR")]
    pub store: Option<PathBuf>,
    /// Add RDF files to the store in use (format from the extension: ttl, nt, nq, trig, n3,
    /// rdf, jsonld). Nothing is added if any file fails to parse.
    #[arg(long, global = true, value_name = "FILE", num_args = 1..)]
    pub data: Vec<PathBuf>,
    /// Format of the --data files when their extension does not tell (ttl, nt, nq, trig, rdf,
    /// jsonld, or a media type).
    #[arg(long, global = true, value_name = "FORMAT")]
    pub data_format: Option<String>,
    /// Start from an empty graph instead of the embedded one (use with --data).
    #[arg(long, global = true, conflicts_with = "store")]
    pub no_embedded: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a SPARQL query: SPARQL text, a path to a .rq file, or the name of a named query.
    ///
    /// Examples:
    ///   stroma query factors-by-effect
    ///   stroma query 'SELECT ?f WHERE { ?f st:promotes sr:IntestinalRepair }'
    ///   stroma query my-question.rq --format csv > answer.csv
    ///   stroma query 'CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5' --format nt
    Query {
        /// SPARQL text, a .rq file, or a named query (see `stroma queries`).
        query: String,
        /// table, csv, tsv, json, xml (SELECT/ASK); ttl, nt, nq, trig, jsonld, rdfxml
        /// (CONSTRUCT/DESCRIBE). Default: table on a terminal, TSV otherwise; Turtle for graphs.
        #[arg(long, short)]
        format: Option<String>,
    },
    /// Apply a SPARQL Update to a persistent store (atomically).
    ///
    /// Examples:
    ///   stroma update --store ./db 'INSERT DATA { sr:X rdfs:label "X" }'
    ///   stroma update --store ./db changes.ru
    Update {
        /// SPARQL Update text or a path to a .ru file.
        update: String,
    },
    /// Bulk-load RDF files into a persistent store, with progress and a summary.
    ///
    /// Examples:
    ///   stroma load big.nt --store ./db
    ///   stroma load extra.ttl --store ./db --graph https://example.org/extra
    ///   stroma load --embedded --store ./db
    Load {
        /// RDF files to load (format from the extension, or --data-format).
        files: Vec<PathBuf>,
        /// Load the curated graph compiled into Stroma.
        #[arg(long)]
        embedded: bool,
        /// Put the triples into this named graph instead of the default graph.
        #[arg(long, value_name = "IRI")]
        graph: Option<String>,
    },
    /// List the named queries with the question each one answers.
    ///
    /// Example:
    ///   stroma queries
    Queries,
    /// Check the graph against SHACL shapes (the embedded ontology/shapes.ttl by default).
    /// Prints each violation with its node, path and message; exits 1 when there are any.
    ///
    /// Examples:
    ///   stroma validate
    ///   stroma validate --data my-additions.ttl
    ///   stroma validate --no-embedded --data theirs.ttl --shapes their-shapes.ttl
    Validate {
        /// A SHACL shapes file to use instead of Stroma's.
        #[arg(long, value_name = "FILE")]
        shapes: Option<PathBuf>,
        /// table or json.
        #[arg(long, short, default_value = "table")]
        format: String,
    },
    /// Count what the graph holds: entities by class, statements, studies, statements per study.
    ///
    /// Examples:
    ///   stroma stats
    ///   stroma stats --format json
    Stats {
        /// table or json.
        #[arg(long, short, default_value = "table")]
        format: String,
    },
    /// Find entities by label or synonym (case-, accent- and punctuation-insensitive, ranked).
    /// Exits 1 when nothing matches, with suggestions.
    ///
    /// Examples:
    ///   stroma search tsg6
    ///   stroma search "sjogren"
    ///   stroma search TNF-alpha --limit 5
    Search {
        /// Text to look for.
        text: String,
        /// How many hits to show.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// table or json.
        #[arg(long, short, default_value = "table")]
        format: String,
    },
    /// Show an entity card: types, labels, synonyms, cross-references, and every relation in
    /// and out with its direction, qualifiers and the studies behind it.
    ///
    /// Examples:
    ///   stroma show TSG-6
    ///   stroma show iMSC
    ///   stroma show ref:111
    ///   stroma show https://w3id.org/stroma/id/Angiogenesis --format json
    Show {
        /// An IRI, a CURIE (sr:TSG6, ref:111), a label or a synonym.
        entity: String,
        /// text or json.
        #[arg(long, short, default_value = "text")]
        format: String,
    },
    /// Trace how one entity links to another (or to every therapeutic effect), with the
    /// studies behind every hop. FROM and TO are IRIs, CURIEs, labels or synonyms.
    ///
    /// Examples:
    ///   stroma trace iPSC-MSC "intestinal repair"
    ///   stroma trace TSG-6
    ///   stroma trace iPSC-MSC angiogenesis --organism rat --product exosomes
    ///   stroma trace hESC-MSC IL-6 --undirected --max-hops 2 --format json
    ///   stroma trace --matrix --max-hops 2 --format csv
    Trace(Box<TraceArgs>),
    /// Draw diagrams with Graphviz: the review's Figure 1 as a pathway diagram computed from
    /// the graph, an entity's neighbourhood, trace paths, or a query's triples.
    ///
    /// Examples:
    ///   stroma render pathway -o pathway.svg
    ///   stroma render pathway --cell iPSC-MSC --disease "inflammatory bowel disease" -o ibd.png
    ///   stroma render neighborhood TSG-6 --depth 1 -o tsg6.svg
    ///   stroma render trace iPSC-MSC "intestinal repair" -o trace.png
    ///   stroma render query my-construct.rq --format dot
    Render(Box<RenderArgs>),
}

/// Options of `stroma render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    #[command(subcommand)]
    pub diagram: Diagram,
    /// dot, svg or png (svg and png need Graphviz's `dot`). Default: from the -o extension,
    /// else dot.
    #[arg(long, short, global = true)]
    pub format: Option<String>,
    /// Write to FILE instead of standard output.
    #[arg(long, short, global = true, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Refuse diagrams with more nodes than this (narrow with filters or --depth).
    #[arg(long, global = true, default_value_t = 300)]
    pub max_nodes: usize,
}

/// Which diagram to draw.
#[derive(Debug, Subcommand)]
pub enum Diagram {
    /// Figure 1 of the review computed from the graph: cells → products and secreted factors →
    /// pathways and targets → therapeutic effects → diseases, with study numbers on each edge.
    Pathway {
        /// Draw what this cell type (and its subtypes) does (default: hPSC-derived MSC).
        #[arg(long)]
        cell: Option<String>,
        /// Keep the part of the diagram connected to this disease.
        #[arg(long)]
        disease: Option<String>,
        /// Keep the part of the diagram connected to this effect.
        #[arg(long)]
        effect: Option<String>,
        /// Keep edges supported in this organism.
        #[arg(long)]
        organism: Vec<String>,
        /// Use every statement, not only those the review reports in Figure 1.
        #[arg(long)]
        all: bool,
    },
    /// An entity and everything within --depth relations of it.
    #[command(alias = "neighbourhood")]
    Neighborhood {
        entity: String,
        #[arg(long, default_value_t = 1)]
        depth: usize,
    },
    /// The ranked paths of `stroma trace FROM TO`.
    Trace {
        from: String,
        to: String,
        #[arg(long, default_value_t = 5)]
        paths: usize,
        #[arg(long, default_value_t = 4)]
        max_hops: usize,
        #[arg(long)]
        undirected: bool,
    },
    /// The triples of a CONSTRUCT query, or the ?s ?p ?o rows of a SELECT.
    Query {
        /// SPARQL text, a .rq file, or a named query.
        query: String,
    },
}

/// Options of `stroma trace`.
#[derive(Debug, Args)]
pub struct TraceArgs {
    /// Where paths start (omit with --from-class or --matrix).
    pub from: Option<String>,
    /// Where paths end; without it, the best path to every node of --to-class.
    pub to: Option<String>,
    /// Start from every instance of this class (a CURIE or label, e.g. Factor).
    #[arg(long, value_name = "CLASS")]
    pub from_class: Option<String>,
    /// End at instances of this class (default: TherapeuticEffect when the graph has it).
    #[arg(long, value_name = "CLASS")]
    pub to_class: Option<String>,
    /// How many paths to show.
    #[arg(long, default_value_t = 10)]
    pub paths: usize,
    /// The longest path, in hops.
    #[arg(long, default_value_t = 4)]
    pub max_hops: usize,
    /// Walk relations in both directions.
    #[arg(long)]
    pub undirected: bool,
    /// Keep hops supported in this organism (human, mouse, rat, monkey…).
    #[arg(long, value_name = "ORGANISM")]
    pub organism: Vec<String>,
    /// Keep hops supported with this product: cells, exosomes, EVs, microvesicles,
    /// nanovesicles, conditioned medium.
    #[arg(long, value_name = "PRODUCT")]
    pub product: Vec<String>,
    /// Keep hops supported by this study (its reference number, e.g. 111).
    #[arg(long, value_name = "N")]
    pub study: Option<String>,
    /// Only follow these relations (CURIEs, IRIs or labels).
    #[arg(long, value_name = "PRED", num_args = 1..)]
    pub via: Vec<String>,
    /// Never follow these relations.
    #[arg(long, value_name = "PRED", num_args = 1..)]
    pub avoid: Vec<String>,
    /// Factor × effect matrix: which --from-class nodes (default Factor) reach which --to-class
    /// nodes (default TherapeuticEffect), with the distinct studies on the best path.
    #[arg(long)]
    pub matrix: bool,
    /// table, json, dot or svg (paths; svg needs Graphviz); table, csv, json or svg (the
    /// matrix as a heat map).
    #[arg(long, short, default_value = "table")]
    pub format: String,
}
