//! The options of the commands that have many: export, push, serve, render (and its
//! diagrams) and trace, each a clap `Args` struct whose `///` comments are the help text.

use super::values::*;
use clap::{Args, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Options of `stroma export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// What to write.
    #[arg(long, short, ignore_case = true)]
    pub format: ExportFormat,
    /// Where to write: a directory for kgx and neo4j (required), a file for the others
    /// (default: standard output). An existing target is replaced only when the export
    /// succeeds.
    #[arg(long, short, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// The named graph the default graph's triples go into (nq, trig); named graphs keep
    /// their names.
    #[arg(
        long,
        value_name = "IRI",
        default_value = "https://w3id.org/stroma/graph"
    )]
    pub graph: String,
}

/// Options of `stroma push`.
#[derive(Debug, Args)]
pub struct PushArgs {
    /// RDF files to upload (format from the extension, or --data-format).
    pub files: Vec<PathBuf>,
    /// Upload the curated graph compiled into Stroma.
    #[arg(long)]
    pub embedded: bool,
    /// Put every triple into this named graph (default: each triple's own graph).
    #[arg(long, value_name = "IRI")]
    pub graph: Option<String>,
    /// The endpoint's Graph Store HTTP Protocol URL (Virtuoso: /sparql-graph-crud; Fuseki:
    /// the dataset's /data; `stroma serve`: /store).
    #[arg(long, value_name = "URL")]
    pub graph_store: Option<String>,
    /// Triples per request.
    #[arg(long, value_name = "N", default_value_t = 2_000)]
    pub chunk: usize,
    /// Where the chunks sent are recorded (default: under ~/.local/state/stroma, named by the
    /// endpoint, graph and source).
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,
}

/// Options of `stroma serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address and port to listen on (port 0 picks a free one; the address is printed).
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:7878")]
    pub bind: SocketAddr,
    /// Seconds a query or update may run before it is cancelled with 503 (0: no deadline).
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    pub timeout: f64,
    /// The most rows (solutions, or triples of a graph) in one answer; a cut answer carries
    /// the header `Stroma-Truncated` (0: no cap).
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub max_rows: usize,
    /// The largest request body accepted, in bytes (larger: 413).
    #[arg(long, value_name = "BYTES", default_value_t = 1024 * 1024)]
    pub max_body: usize,
    /// Seconds a client may take to send a request's headers (then the connection is
    /// closed), and again its body (then 408): a slow client cannot hold a connection open.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    pub receive_timeout: f64,
    /// How many queries or updates may run at once; more wait for a slot until their deadline
    /// (default: twice the processors).
    #[arg(long, value_name = "N")]
    pub max_concurrent: Option<usize>,
    /// Accept SPARQL updates at /update, from clients sending `Authorization: Bearer TOKEN`.
    /// On the embedded graph they last until the server stops; on --store they are kept.
    #[arg(long)]
    pub allow_update: bool,
    /// The token updates must carry (default: the STROMA_TOKEN environment variable, which,
    /// unlike an argument, other users cannot see in the process list).
    #[arg(long, value_name = "TOKEN", requires = "allow_update")]
    pub token: Option<String>,
    /// Let queries call this SERVICE endpoint (an IRI, or a prefix ending at a path boundary);
    /// repeat for several. A name that resolves to a loopback or private address is refused
    /// unless the entry names the address itself.
    #[arg(long, value_name = "IRI")]
    pub service_allow: Vec<String>,
    /// Let updates LOAD from sources under this IRI prefix (same address rules as
    /// --service-allow); repeat for several. Without it, LOAD is refused with 403.
    #[arg(long, value_name = "PREFIX", requires = "allow_update")]
    pub allow_load: Vec<String>,
    /// Answer browsers from this origin with CORS headers (`*` for any); repeat for several.
    #[arg(long, value_name = "ORIGIN")]
    pub cors: Vec<String>,
    /// Request logs on stderr: text, or one JSON object per line.
    #[arg(
        long,
        value_name = "FORMAT",
        default_value = "text",
        ignore_case = true
    )]
    pub log: LogFormat,
}

/// Options of `stroma render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    #[command(subcommand)]
    pub diagram: Diagram,
    /// Diagram format (svg, png and html need Graphviz's `dot`; html is one self-contained
    /// page with each edge's evidence on a click and a search). Default: from the -o
    /// extension, else dot.
    #[arg(long, short, global = true, ignore_case = true)]
    pub format: Option<DiagramFormat>,
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
    #[command(after_long_help = "\
Examples:
  stroma render pathway -o pathway.svg
  stroma render pathway --disease 'inflammatory bowel disease' --organism mouse -o ibd.png
  stroma render pathway --effect angiogenesis --all --format dot")]
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
        /// Keep edges supported in this organism; repeat or separate with commas for several.
        #[arg(long, value_delimiter = ',', ignore_case = true)]
        organism: Vec<Organism>,
        /// Use every statement, not only those the review reports in Figure 1.
        #[arg(long)]
        all: bool,
    },
    /// An entity and everything within --depth relations of it.
    #[command(
        alias = "neighbourhood",
        after_long_help = "\
Examples:
  stroma render neighborhood TSG-6 -o tsg6.svg
  stroma render neighbourhood 'intestinal repair' --depth 2 --format dot"
    )]
    Neighborhood {
        /// The entity at the centre: an IRI, a CURIE, a label or a synonym.
        entity: String,
        /// How many relations away from the entity to draw.
        #[arg(long, default_value_t = 1)]
        depth: usize,
    },
    /// The ranked paths of `stroma trace FROM TO`. Exits 1 when there is no path.
    #[command(after_long_help = "\
Examples:
  stroma render trace iPSC-MSC 'intestinal repair' -o trace.png
  stroma render trace TSG-6 angiogenesis --undirected --max-hops 3 --format dot")]
    Trace {
        /// Where paths start: an IRI, a CURIE, a label or a synonym.
        from: String,
        /// Where paths end: an IRI, a CURIE, a label or a synonym.
        to: String,
        /// How many paths to draw.
        #[arg(long, default_value_t = 5)]
        paths: usize,
        /// The longest path, in hops.
        #[arg(long, default_value_t = 4)]
        max_hops: usize,
        /// Walk relations in both directions.
        #[arg(long)]
        undirected: bool,
        /// Draw only coherent paths (one study or one disease model on every hop).
        #[arg(long)]
        coherent: bool,
    },
    /// The triples of a CONSTRUCT query, or the ?s ?p ?o rows of a SELECT.
    #[command(after_long_help = "\
Examples:
  stroma render query my-construct.rq --format dot
  stroma render query 'CONSTRUCT WHERE { ?s st:secretes ?o }' -o secretes.svg")]
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
    /// Keep hops supported in this organism; repeat or separate with commas for several.
    #[arg(long, value_delimiter = ',', ignore_case = true)]
    pub organism: Vec<Organism>,
    /// Keep hops supported with this product (cells: the cells themselves); repeat or separate
    /// with commas for several.
    #[arg(long, value_delimiter = ',', ignore_case = true)]
    pub product: Vec<Product>,
    /// Keep hops supported by this study (its reference number, e.g. 111).
    #[arg(long, value_name = "N")]
    pub study: Option<String>,
    /// Only follow this relation (a CURIE, IRI or label); repeat or separate with commas.
    #[arg(long, value_name = "PRED", value_delimiter = ',')]
    pub via: Vec<String>,
    /// Never follow this relation (a CURIE, IRI or label); repeat or separate with commas.
    #[arg(long, value_name = "PRED", value_delimiter = ',')]
    pub avoid: Vec<String>,
    /// Keep only coherent paths: every hop on one study, or every hop in one disease model.
    /// With --matrix, count only coherent paths.
    #[arg(long)]
    pub coherent: bool,
    /// Let --undirected paths pass through hubs, the generic nodes the ontology marks
    /// st:hub (paracrine signalling, safety, …); by default paths may only start or end there.
    #[arg(long)]
    pub through_hubs: bool,
    /// Also walk comparisons (higher in, lower in, similar in: findings against BM-MSCs or
    /// other comparators), shown with what they were compared with.
    #[arg(long)]
    pub comparisons: bool,
    /// Factor × effect matrix: which --from-class nodes (default Factor) reach which --to-class
    /// nodes (default TherapeuticEffect), with the distinct studies on the best path.
    #[arg(long)]
    pub matrix: bool,
    /// Output format. Paths: table, json, dot, svg or html (a self-contained page with each
    /// hop's evidence on a click; svg and html need Graphviz); the matrix: table, csv, json or
    /// svg (a heat map).
    #[arg(long, short, default_value = "table", ignore_case = true)]
    pub format: TraceFormat,
    /// Write to FILE instead of standard output (whole, or not at all).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}
