//! Stroma: a knowledge graph of hPSC-derived mesenchymal stem cells and the tools to explore it.
//!
//! The pipeline is one-way: RDF files → [`store`] → SPARQL ([`query`]) → output. The command
//! layer ([`app`]) is the only place that writes to the terminal; the other modules take values
//! and return values (see ARCHITECTURE.md).

pub mod app;
pub mod card;
pub mod cli;
pub mod error;
pub mod graph;
pub mod query;
pub mod render;
pub mod report;
pub mod resolve;
pub mod shacl;
pub mod stats;
pub mod store;
pub mod table;
pub mod trace;
pub mod vocab;
