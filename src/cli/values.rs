//! The closed sets of values the command line accepts (formats, organisms, products), as
//! `ValueEnum`s so that help and completions list them, and their conversions to library types.

use crate::query::OutputFormat;
use crate::vocab::SR;
use clap::ValueEnum;
use oxigraph::io::RdfFormat;
use oxigraph::sparql::results::QueryResultsFormat;

/// Formats of `stroma query`: a table, a SPARQL results format (SELECT/ASK), or an RDF format
/// (CONSTRUCT/DESCRIBE, the same names as `--data-format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryFormat {
    /// Aligned text with short IRIs.
    Table,
    /// A SPARQL 1.1 results format.
    Results(ResultsFormat),
    /// An RDF format.
    Graph(RdfFormatArg),
}

/// The SPARQL 1.1 results formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ResultsFormat {
    /// SPARQL 1.1 results CSV.
    Csv,
    /// SPARQL 1.1 results TSV.
    Tsv,
    /// SPARQL 1.1 results JSON.
    #[value(alias = "srj")]
    Json,
    /// SPARQL 1.1 results XML.
    #[value(alias = "srx")]
    Xml,
}

impl ValueEnum for QueryFormat {
    fn value_variants<'a>() -> &'a [Self] {
        use {RdfFormatArg as G, ResultsFormat as R};
        &[
            Self::Table,
            Self::Results(R::Csv),
            Self::Results(R::Tsv),
            Self::Results(R::Json),
            Self::Results(R::Xml),
            Self::Graph(G::Ttl),
            Self::Graph(G::Nt),
            Self::Graph(G::Nq),
            Self::Graph(G::Trig),
            Self::Graph(G::N3),
            Self::Graph(G::Rdfxml),
            Self::Graph(G::Jsonld),
        ]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        match self {
            Self::Table => Some(
                clap::builder::PossibleValue::new("table")
                    .help("Aligned text with short IRIs (SELECT/ASK)"),
            ),
            Self::Results(format) => format.to_possible_value(),
            Self::Graph(format) => format.to_possible_value(),
        }
    }
}

impl From<QueryFormat> for OutputFormat {
    fn from(format: QueryFormat) -> Self {
        match format {
            QueryFormat::Table => OutputFormat::Table,
            QueryFormat::Results(format) => OutputFormat::Results(match format {
                ResultsFormat::Csv => QueryResultsFormat::Csv,
                ResultsFormat::Tsv => QueryResultsFormat::Tsv,
                ResultsFormat::Json => QueryResultsFormat::Json,
                ResultsFormat::Xml => QueryResultsFormat::Xml,
            }),
            QueryFormat::Graph(format) => OutputFormat::Graph(format.into()),
        }
    }
}

/// RDF formats of input files (and of `query` answers to CONSTRUCT/DESCRIBE).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RdfFormatArg {
    /// Turtle.
    #[value(alias = "turtle")]
    Ttl,
    /// N-Triples.
    #[value(alias = "ntriples", alias = "n-triples")]
    Nt,
    /// N-Quads.
    #[value(alias = "nquads", alias = "n-quads")]
    Nq,
    /// TriG.
    Trig,
    /// N3.
    N3,
    /// RDF/XML.
    #[value(alias = "rdf", alias = "rdf-xml")]
    Rdfxml,
    /// JSON-LD.
    #[value(alias = "json-ld")]
    Jsonld,
}

impl From<RdfFormatArg> for RdfFormat {
    fn from(format: RdfFormatArg) -> Self {
        match format {
            RdfFormatArg::Ttl => RdfFormat::Turtle,
            RdfFormatArg::Nt => RdfFormat::NTriples,
            RdfFormatArg::Nq => RdfFormat::NQuads,
            RdfFormatArg::Trig => RdfFormat::TriG,
            RdfFormatArg::N3 => RdfFormat::N3,
            RdfFormatArg::Rdfxml => RdfFormat::RdfXml,
            RdfFormatArg::Jsonld => RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfileSet::empty(),
            },
        }
    }
}

/// Formats of `validate`, `stats` and `search`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Aligned text.
    Table,
    /// JSON.
    Json,
}

/// Formats of `show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CardFormat {
    /// Text for a terminal.
    Text,
    /// JSON.
    Json,
}

/// Formats of `trace`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TraceFormat {
    /// Aligned text.
    Table,
    /// CSV (the matrix only).
    Csv,
    /// JSON.
    Json,
    /// Graphviz DOT (paths only).
    #[value(alias = "gv")]
    Dot,
    /// SVG: paths through Graphviz, the matrix as a heat map.
    Svg,
    /// One self-contained HTML file of the paths: the SVG, each hop's evidence and the path's
    /// coherence on a click, a search (needs Graphviz's dot).
    #[value(alias = "htm")]
    Html,
}

/// Formats of `render`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagramFormat {
    /// Graphviz DOT text.
    #[value(alias = "gv")]
    Dot,
    /// SVG (needs Graphviz's dot).
    Svg,
    /// PNG (needs Graphviz's dot).
    Png,
    /// One self-contained HTML file: the SVG, each edge's evidence on a click, a search (needs
    /// Graphviz's dot).
    #[value(alias = "htm")]
    Html,
}

impl DiagramFormat {
    /// The name `dot -T` takes (HTML pages hold an SVG).
    pub fn name(self) -> &'static str {
        match self {
            DiagramFormat::Dot => "dot",
            DiagramFormat::Svg | DiagramFormat::Html => "svg",
            DiagramFormat::Png => "png",
        }
    }
}

/// The organisms of the review's studies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Organism {
    /// Homo sapiens (patients, human cells).
    #[value(alias = "homo-sapiens")]
    Human,
    /// Mus musculus.
    #[value(alias = "mice", alias = "murine")]
    Mouse,
    /// Rattus norvegicus.
    #[value(alias = "rats")]
    Rat,
    /// A non-human primate.
    #[value(alias = "primate", alias = "monkeys")]
    Monkey,
}

impl Organism {
    /// The organism's IRI in Stroma's graph.
    pub fn iri(self) -> String {
        let local = match self {
            Organism::Human => "Human",
            Organism::Mouse => "Mouse",
            Organism::Rat => "Rat",
            Organism::Monkey => "Monkey",
        };
        format!("{SR}{local}")
    }
}

/// What was given: the cells themselves or one of their products.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Product {
    /// The cells themselves (statements with no st:product).
    #[value(alias = "cell")]
    Cells,
    /// Exosomes.
    #[value(alias = "exosome", alias = "exos")]
    Exosomes,
    /// Extracellular vesicles.
    #[value(alias = "ev", alias = "extracellular-vesicles")]
    Evs,
    /// Microvesicles.
    #[value(alias = "microvesicle", alias = "mvs")]
    Microvesicles,
    /// Nanovesicles.
    #[value(alias = "nanovesicle")]
    Nanovesicles,
    /// Conditioned medium (secretome).
    #[value(alias = "cm", alias = "secretome")]
    ConditionedMedium,
}

impl Product {
    /// The product's IRI in Stroma's graph; None for the cells themselves.
    pub fn iri(self) -> Option<String> {
        let local = match self {
            Product::Cells => return None,
            Product::Exosomes => "Exosomes",
            Product::Evs => "ExtracellularVesicles",
            Product::Microvesicles => "Microvesicles",
            Product::Nanovesicles => "Nanovesicles",
            Product::ConditionedMedium => "ConditionedMedium",
        };
        Some(format!("{SR}{local}"))
    }
}

/// How `stroma serve` writes its request logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// One line per event, `key=value` fields.
    Text,
    /// One JSON object per event.
    Json,
}

/// What `--infer` entails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Inference {
    /// RDFS: subclass, subproperty, domain and range entailment.
    Rdfs,
}

impl From<Inference> for crate::rdfs::Regime {
    fn from(inference: Inference) -> Self {
        match inference {
            Inference::Rdfs => crate::rdfs::Regime::Rdfs,
        }
    }
}

/// Formats of `stroma export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// KGX TSV in the Biolink model: nodes.tsv and edges.tsv in the -o directory.
    Kgx,
    /// nodes.csv and relationships.csv for neo4j-admin database import, in the -o directory.
    Neo4j,
    /// JSON-LD compacted with Stroma's context (ontology/context.jsonld).
    #[value(alias = "json-ld")]
    Jsonld,
    /// N-Quads, the default graph named by --graph.
    #[value(alias = "nquads", alias = "n-quads")]
    Nq,
    /// TriG, the default graph named by --graph.
    Trig,
}

impl From<ExportFormat> for crate::export::Format {
    fn from(format: ExportFormat) -> Self {
        use crate::export::Format;
        match format {
            ExportFormat::Kgx => Format::Kgx,
            ExportFormat::Neo4j => Format::Neo4j,
            ExportFormat::Jsonld => Format::JsonLd,
            ExportFormat::Nq => Format::NQuads,
            ExportFormat::Trig => Format::TriG,
        }
    }
}
