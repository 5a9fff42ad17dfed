//! The files compiled into the binary by `build.rs`: the curated graph (`ontology/`, `data/`),
//! the SHACL shapes and the named queries, each as (path, text).

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
