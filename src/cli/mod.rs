//! The command line: clap derive definitions. The `///` comments are the help text; every
//! command shows its examples verbatim after its options (`--help`), and closed sets of values
//! (formats, organisms, products) are enums so that help and completions list them
//! ([`values`]). The options of the larger commands are in [`args`].

mod args;
mod values;

pub use args::*;
pub use values::*;

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Stroma: a knowledge graph of mesenchymal stem cells derived from human pluripotent stem
/// cells (hPSC-MSCs), built from Liu TM, World J Stem Cells 2021;13:1826.
///
/// With no options every command works on the curated graph compiled into the binary.
#[derive(Debug, Parser)]
#[command(
    name = "stroma",
    version,
    propagate_version = true,
    max_term_width = 100,
    after_long_help = EXIT_CODES
)]
pub struct Cli {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Print nothing on stderr but errors: no notes, summaries, warnings or progress bars.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more on stderr: what was opened, added, inferred, read from a cache or built, and
    /// how long each took (Stroma's tracing events at debug level); trace adds its query counts.
    #[arg(long, short, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  nothing found, or a check found problems (validate, search, trace, render trace)
  2  bad input: arguments, files, SPARQL, names, formats, shapes; or a remote endpoint that
     cannot be reached, answers an HTTP error or answers something that is not SPARQL
  3  the persistent store cannot be used (missing, held by another process, unwritable,
     failing)
  4  Graphviz's dot is missing or failed
  5  internal error (a defect in Stroma; please report it)";

/// Where the graph comes from.
#[derive(Debug, Args, Clone, Default)]
pub struct SourceArgs {
    /// Use the persistent store in DIR instead of the embedded graph (needs the `rocksdb`
    /// feature; `load` and `update` create it, other commands only read it).
    #[arg(long, global = true, value_name = "DIR")]
    pub store: Option<PathBuf>,
    /// Add an RDF file to the graph for this command only; repeat for several. The format comes
    /// from the extension (ttl, nt, nq, trig, n3, rdf, jsonld) or --data-format. Nothing is
    /// added if any file fails to parse.
    #[arg(long, global = true, value_name = "FILE")]
    pub data: Vec<PathBuf>,
    /// Format of the --data files (and of `load`'s files) when their extension does not tell.
    #[arg(long, global = true, value_name = "FORMAT", ignore_case = true)]
    pub data_format: Option<RdfFormatArg>,
    /// Start from an empty graph instead of the embedded one (use with --data).
    #[arg(long, global = true, conflicts_with = "store")]
    pub no_embedded: bool,
    /// Add what the graph's schema entails before the command runs. `rdfs`: RDFS subclass,
    /// subproperty, domain and range entailment, so `?c rdfs:subClassOf sr:MSC` finds iPSC-MSCs
    /// and `?x a st:Factor` finds what is typed with a subclass of it. Done in memory: a
    /// --store is copied, never changed. Not with --endpoint (use the server's reasoner).
    #[arg(long, global = true, value_name = "REGIME", ignore_case = true)]
    pub infer: Option<Inference>,
    #[command(flatten)]
    pub remote: RemoteArgs,
}

/// A remote SPARQL endpoint to work on instead of a graph in this process.
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Remote endpoint")]
pub struct RemoteArgs {
    /// Work on the graph behind this SPARQL endpoint (Virtuoso, QLever, Fuseki, GraphDB,
    /// Oxigraph, another `stroma serve`…) instead of the embedded one: query, stats, validate,
    /// search, show, trace, render, export and serve read through it, update writes through it,
    /// push uploads to it. Credentials come from STROMA_ENDPOINT_USER and STROMA_ENDPOINT_PASSWORD
    /// (basic) or STROMA_ENDPOINT_TOKEN (bearer), never from the command line.
    #[arg(
        long,
        global = true,
        value_name = "URL",
        conflicts_with_all = ["data", "no_embedded"]
    )]
    pub endpoint: Option<String>,
    /// Where updates go when it is not the query endpoint.
    #[arg(long, global = true, value_name = "URL")]
    pub update_endpoint: Option<String>,
    /// Send this graph as the default graph of every query that names no dataset itself;
    /// repeat for several. On engines whose default graph is the union of all graphs
    /// (Virtuoso), name the graph the data was pushed into so their system graphs stay out.
    #[arg(long, global = true, value_name = "IRI")]
    pub default_graph: Vec<String>,
    /// Seconds one request to the endpoint may take, its answer included.
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 60.0)]
    pub endpoint_timeout: f64,
    /// How many times a request answered with 429 or a 5xx status is retried, with backoff
    /// (other failures are not retried).
    #[arg(long, global = true, value_name = "N", default_value_t = 3)]
    pub retries: u32,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a SPARQL query: SPARQL text, a path to a .rq file, or the name of a named query.
    #[command(after_long_help = "\
Examples:
  stroma query factors-by-effect
  stroma query 'SELECT ?f WHERE { ?f st:promotes sr:IntestinalRepair }'
  stroma query my-question.rq --format csv > answer.csv
  stroma query 'CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5' --format nt")]
    Query {
        /// SPARQL text, a .rq file, or a named query (see `stroma queries`).
        query: String,
        /// Output format. SELECT/ASK: table, csv, tsv, json, xml; CONSTRUCT/DESCRIBE: ttl, nt,
        /// nq, trig, n3, jsonld, rdfxml. Default: table on a terminal, TSV otherwise; Turtle for
        /// graphs.
        #[arg(long, short, ignore_case = true)]
        format: Option<QueryFormat>,
    },
    /// Apply a SPARQL Update to a persistent store, atomically (created if missing).
    #[command(after_long_help = "\
Examples:
  stroma update --store ./db 'INSERT DATA { sr:X rdfs:label \"X\" }'
  stroma update --store ./db changes.ru")]
    Update {
        /// SPARQL Update text or a path to a .ru file.
        update: String,
    },
    /// Bulk-load RDF files into a persistent store (created if missing), with progress and a
    /// summary (triples, seconds, triples/s, peak memory). All or nothing: if any file fails,
    /// or the load is interrupted, the store is left as it was.
    ///
    /// Files are parsed in parallel: N-Triples and N-Quads files of 16 MiB or more are split
    /// at line ends, several files load side by side, other formats use one parser each. A
    /// blank node stays one node across the pieces of its file, and never joins a blank node
    /// of another file or of an earlier load. Memory stays bounded whatever the file's size.
    #[command(after_long_help = "\
Examples:
  stroma load big.nt --store ./db
  stroma load part1.nt part2.nq --store ./db --threads 2
  stroma load extra.ttl --store ./db --graph https://example.org/extra
  stroma load --embedded --store ./db
  stroma load --embedded mine.ttl --store ./db")]
    Load {
        /// RDF files to load (format from the extension, or --data-format).
        files: Vec<PathBuf>,
        /// Also load the curated graph compiled into Stroma.
        #[arg(long)]
        embedded: bool,
        /// Put the triples into this named graph instead of the default graph.
        #[arg(long, value_name = "IRI")]
        graph: Option<String>,
        /// Parser and loader threads (default: the machine's cores). 1 parses each file whole,
        /// in order.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
        threads: Option<u16>,
    },
    /// List the named queries with the question each one answers.
    #[command(after_long_help = "\
Example:
  stroma queries")]
    Queries,
    /// Check the graph against SHACL shapes (the embedded ontology/shapes.ttl by default).
    /// Prints each violation with its node, path and message; exits 1 when there are any.
    #[command(after_long_help = "\
Examples:
  stroma validate
  stroma validate --data my-additions.ttl
  stroma validate --no-embedded --data theirs.ttl --shapes their-shapes.ttl")]
    Validate {
        /// A SHACL shapes file to use instead of Stroma's.
        #[arg(long, value_name = "FILE")]
        shapes: Option<PathBuf>,
        /// Output format.
        #[arg(long, short, default_value = "table", ignore_case = true)]
        format: ReportFormat,
    },
    /// Count what the graph holds: entities by class, statements, studies, statements per study.
    #[command(after_long_help = "\
Examples:
  stroma stats
  stroma stats --format json")]
    Stats {
        /// Output format.
        #[arg(long, short, default_value = "table", ignore_case = true)]
        format: ReportFormat,
    },
    /// Find entities by label or synonym, ranked. Matching ignores case, accents, punctuation,
    /// Greek-letter spelling (TNFa = TNF-alpha = TNFα), plurals and US/UK spelling. Exits 1
    /// when nothing matches, with suggestions.
    #[command(after_long_help = "\
Examples:
  stroma search tsg6
  stroma search sjogren
  stroma search TNFa --limit 5
  stroma search 'tumor growth'")]
    Search {
        /// Text to look for.
        text: String,
        /// How many hits to show.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Output format.
        #[arg(long, short, default_value = "table", ignore_case = true)]
        format: ReportFormat,
    },
    /// Show an entity card: types, labels, synonyms, cross-references, and every relation in
    /// and out with its direction, qualifiers and the studies behind it. For a statement: what
    /// it states and its evidence; for an organism, disease model or product: the statements
    /// that use it.
    #[command(after_long_help = "\
Examples:
  stroma show TSG-6
  stroma show iMSC
  stroma show ref:111
  stroma show stmt:immune-tsg6-intestinal-repair
  stroma show rat
  stroma show https://w3id.org/stroma/id/Angiogenesis --format json")]
    Show {
        /// An IRI, a CURIE (sr:TSG6, ref:111), a label or a synonym, or the start of exactly
        /// one of them.
        entity: String,
        /// Output format.
        #[arg(long, short, default_value = "text", ignore_case = true)]
        format: CardFormat,
    },
    /// Trace how one entity links to another (or to every therapeutic effect), with the
    /// studies behind every hop. FROM and TO are IRIs, CURIEs, labels or synonyms.
    #[command(after_long_help = "\
Examples:
  stroma trace iPSC-MSC 'intestinal repair'
  stroma trace TSG-6
  stroma trace TSG-6 --coherent
  stroma trace IDO1 'amelioration of arthritis' --format json
  stroma trace iPSC-MSC angiogenesis --organism rat --product exosomes
  stroma trace iPSC-MSC 'intestinal repair' --via st:secretes --via st:promotes
  stroma trace hESC-MSC IL-6 --undirected --max-hops 2 --format json
  stroma trace iPSC-MSC hyaluronan --comparisons
  stroma trace --matrix --max-hops 2 --format csv
  stroma trace --matrix --coherent
  stroma trace iPSC-MSC 'intestinal repair' --format html -o trace.html")]
    Trace(Box<TraceArgs>),
    /// Draw diagrams with Graphviz: the review's Figure 1 as a pathway diagram computed from
    /// the graph, an entity's neighbourhood, trace paths, or a query's triples.
    #[command(after_long_help = "\
Examples:
  stroma render pathway -o pathway.svg
  stroma render pathway --cell iPSC-MSC --disease 'inflammatory bowel disease' -o ibd.png
  stroma render neighborhood TSG-6 --depth 1 -o tsg6.svg
  stroma render trace iPSC-MSC 'intestinal repair' -o trace.png
  stroma render pathway --disease 'inflammatory bowel disease' -o ibd.html
  stroma render query my-construct.rq --format dot")]
    Render(Box<RenderArgs>),
    /// Serve the graph over HTTP: a SPARQL 1.1 Protocol endpoint (/sparql, /update, /store,
    /// /health) with limits on by default: read-only, a 10 s deadline, 10 000 rows per answer,
    /// 1 MiB request bodies, no SERVICE or LOAD target, no CORS. Stops cleanly on Ctrl-C or
    /// SIGTERM.
    #[command(after_long_help = "\
Examples:
  stroma serve
  stroma serve --bind 0.0.0.0:7878 --timeout 30 --max-rows 50000
  stroma serve --store ./db --allow-update          (token from STROMA_TOKEN)
  stroma serve --service-allow https://query.wikidata.org/sparql --cors '*'
  curl 'http://127.0.0.1:7878/sparql' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 3'
  curl -H 'Accept: text/csv' 'http://127.0.0.1:7878/sparql?query=ASK%7B%7D'")]
    Serve(Box<ServeArgs>),
    /// Upload RDF files, a persistent store (--store) or the embedded graph (--embedded) to
    /// the remote --endpoint: with the Graph Store HTTP Protocol when --graph-store names one,
    /// else (or when it turns out to have none) as INSERT DATA batches on the update endpoint.
    /// Resumable: an interrupted push started again sends only the chunks not yet confirmed.
    /// Ends with a check of the endpoint's count of each graph.
    #[command(after_long_help = "\
Examples:
  stroma push --embedded --endpoint http://127.0.0.1:8890/sparql \\
      --graph-store http://127.0.0.1:8890/sparql-graph-crud --graph https://w3id.org/stroma/graph
  stroma push big.nt --endpoint http://localhost:8890/sparql --graph urn:mine
  STROMA_ENDPOINT_TOKEN=… stroma push --store ./db \\
      --endpoint http://127.0.0.1:7878/sparql --update-endpoint http://127.0.0.1:7878/update")]
    Push(Box<PushArgs>),
    /// Export the whole graph for other tools: KGX (Biolink nodes.tsv and edges.tsv), a Neo4j
    /// bulk-import CSV pair, JSON-LD with Stroma's context, N-Quads or TriG. Works on every
    /// source (the embedded graph, --data, --store, --endpoint). Files are written beside the
    /// target and renamed into place, so a failed export leaves nothing behind.
    #[command(after_long_help = "\
Examples:
  stroma export --format kgx -o kgx/
  stroma export --format neo4j -o neo4j/
  neo4j-admin database import full --nodes=neo4j/nodes.csv \\
      --relationships=neo4j/relationships.csv --array-delimiter=U+001F --multiline-fields=true neo4j
  stroma export --format jsonld -o stroma.jsonld
  stroma export --format nq > stroma.nq
  stroma export --format trig --graph https://example.org/mine -o stroma.trig
  stroma export --format kgx -o theirs/ --no-embedded --data theirs.ttl

The mapping to Biolink is ontology/biolink.ttl; docs/exports.md describes every format.")]
    Export(Box<ExportArgs>),
    /// Compare two cell types property by property: the review's Table 1 (hPSC-MSCs against
    /// primary MSCs) and every other comparison in the graph, each with how both sides fared,
    /// where (organism, disease model, product) and on which studies. A comparison of a broader
    /// or narrower type counts (Table 1's hPSC-MSC rows hold for iPSC-MSCs against BM-MSCs), as
    /// does one stated the other way round (turned around). Exits 1 when there is none.
    #[command(after_long_help = "\
Examples:
  stroma compare iPSC-MSC BM-MSC
  stroma compare hPSC-MSC 'primary MSC'
  stroma compare hESC-MSC BM-MSC --format json")]
    Compare {
        /// The type whose side the outcomes are told from: an IRI, a CURIE, a label or a
        /// synonym.
        a: String,
        /// The type it is compared with.
        b: String,
        /// Output format.
        #[arg(long, short, default_value = "table", ignore_case = true)]
        format: ReportFormat,
    },
    /// Print a completion script for a shell: subcommands, options, and the values of closed
    /// sets (formats, organisms, products) complete with a Tab.
    #[command(after_long_help = "\
Examples:
  stroma completions bash > ~/.local/share/bash-completion/completions/stroma
  stroma completions zsh > ~/.zfunc/_stroma     (with fpath+=(~/.zfunc) before compinit)
  stroma completions fish > ~/.config/fish/completions/stroma.fish
  source <(stroma completions bash)             (this shell only)")]
    Completions {
        /// The shell to complete in.
        #[arg(ignore_case = true)]
        shell: clap_complete::Shell,
    },
    /// Print Stroma's manual page (roff, from the same definitions as --help), or write one
    /// page per command into a directory.
    #[command(after_long_help = "\
Examples:
  stroma man | man -l -
  stroma man -o ~/.local/share/man/man1 && man stroma-trace")]
    Man {
        /// Write stroma.1 and a stroma-COMMAND.1 for each command into DIR (created if
        /// missing) instead of printing stroma.1.
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
    },
}
