//! Stroma: a knowledge graph of hPSC-derived mesenchymal stem cells and the tools to explore it.
//!
//! The pipeline is one-way: RDF files → [`store`] (the one seam every read passes through) →
//! SPARQL → the [`engine`]'s typed requests and reports → output. The command layer ([`app`])
//! only parses arguments, calls the engine and prints; the HTTP server ([`server`]) parses
//! requests, calls the same engine and answers (see ARCHITECTURE.md).

pub mod app;
pub mod card;
pub mod cli;
pub mod codec;
pub mod embedded;
pub mod engine;
pub mod error;
pub mod evidence;
pub mod export;
pub mod graph;
pub mod graphviz;
pub mod hash;
pub mod query;
pub mod rdfs;
pub mod render;
pub mod report;
pub mod resolve;
pub mod server;
pub mod shacl;
pub mod stats;
pub mod store;
pub mod table;
pub mod text;
pub mod trace;
pub mod vocab;
