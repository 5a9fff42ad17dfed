//! Fuzzes the SPARQL 1.1 Protocol's request rules (src/server/protocol.rs: `params`,
//! `query_get`, `query_post`, `update_post`, `graph_get`, `negotiate`, `negotiate_graph`) on
//! arbitrary URL query strings, bodies, `Content-Type` and `Accept` headers.
//!
//! Checks, beyond "no panic": every refusal has a 4xx status (406 for negotiation, 400 or 415
//! for the rest); parameters survive being percent-encoded again and re-parsed; a GET without
//! parameters asks for the service description, and a query taken from the URL or a direct
//! body is exactly what was sent; negotiation answers a graph with an RDF format and
//! solutions or a boolean with a results format, and without an `Accept` header always
//! answers.

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use stroma::query::{OutputFormat, ResultKind};
use stroma::server::protocol::{
    graph_get, negotiate, negotiate_graph, params, query_get, query_post, update_post, QueryCall,
    Refusal,
};

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    url: Option<&'a str>,
    /// 0: no header; 1, 2, 3: a form, a SPARQL query, a SPARQL update, followed by `suffix`
    /// (parameters such as `; charset=…`); otherwise `suffix` alone.
    content_type: u8,
    suffix: &'a str,
    accept: Option<&'a str>,
    kind: u8,
    body: &'a [u8],
}

const MEDIA_TYPES: [&str; 3] = [
    "application/x-www-form-urlencoded",
    "application/sparql-query",
    "application/sparql-update",
];

/// A refusal must be the client's fault.
fn refused(refusal: &Refusal, allowed: &[u16], what: &str) {
    assert!(
        refusal.status.is_client_error() && allowed.contains(&refusal.status.as_u16()),
        "{what}: refused with {} ({})",
        refusal.status,
        refusal.message
    );
}

/// `a=1&b=2` again from decoded pairs, every byte but letters and digits percent-encoded.
fn encode(pairs: &[(String, String)]) -> String {
    let part = |text: &str| -> String {
        text.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    char::from(b).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    };
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", part(k), part(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fuzz_target!(|input: Input| {
    let url = input.url;
    match params(url.unwrap_or("")) {
        Ok(pairs) => {
            let segments = url
                .unwrap_or("")
                .split('&')
                .filter(|s| !s.is_empty())
                .count();
            assert_eq!(pairs.len(), segments, "one pair per segment of {url:?}");
            let again = params(&encode(&pairs)).expect("re-encoded parameters parse");
            // A pair whose key and value are both empty encodes as "=", which is one pair again.
            assert_eq!(again, pairs, "parameters of {url:?} change when re-encoded");
        }
        Err(refusal) => refused(&refusal, &[400], "params"),
    }

    match query_get(url) {
        Ok(QueryCall::Description) => {
            assert!(
                params(url.unwrap_or("")).is_ok_and(|p| p.is_empty()),
                "the description for {url:?}, which has parameters"
            );
        }
        Ok(QueryCall::Query { text, .. }) => {
            let pairs = params(url.unwrap_or("")).expect("parameters that gave a query");
            let sent: Vec<&String> = pairs
                .iter()
                .filter(|(k, _)| k == "query")
                .map(|(_, v)| v)
                .collect();
            assert_eq!(sent, [&text], "the query of {url:?}");
        }
        Err(refusal) => refused(&refusal, &[400], "query_get"),
    }

    let content_type = match input.content_type {
        0 => None,
        n @ 1..=3 => Some(format!(
            "{}{}",
            MEDIA_TYPES[usize::from(n - 1)],
            input.suffix
        )),
        _ => Some(input.suffix.to_owned()),
    };
    let content_type = content_type.as_deref();
    let direct = |media: &str| {
        content_type.is_some_and(|ct| {
            ct.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .eq_ignore_ascii_case(media)
        })
    };
    match query_post(url, content_type, input.body) {
        Ok(QueryCall::Query { text, .. }) => {
            if direct(MEDIA_TYPES[1]) {
                assert_eq!(text.as_bytes(), input.body, "a direct query is the body");
            }
        }
        Ok(QueryCall::Description) => panic!("a POST answered with the description"),
        Err(refusal) => refused(&refusal, &[400, 415], "query_post"),
    }
    match update_post(url, content_type, input.body) {
        Ok(call) => {
            if direct(MEDIA_TYPES[2]) {
                assert_eq!(
                    call.text.as_bytes(),
                    input.body,
                    "a direct update is the body"
                );
            }
        }
        Err(refusal) => refused(&refusal, &[400, 415], "update_post"),
    }
    if let Err(refusal) = graph_get(url) {
        refused(&refusal, &[400], "graph_get");
    }

    let kind = [
        ResultKind::Solutions,
        ResultKind::Boolean,
        ResultKind::Graph,
    ][usize::from(input.kind % 3)];
    for accept in [input.accept, None] {
        match negotiate(accept, kind) {
            Ok(OutputFormat::Graph(_)) => assert!(kind == ResultKind::Graph),
            Ok(OutputFormat::Results(_)) => assert!(kind != ResultKind::Graph),
            Ok(OutputFormat::Table) => panic!("negotiated a text table"),
            Err(refusal) => {
                assert!(accept.is_some(), "no Accept header refused");
                refused(&refusal, &[406], "negotiate");
            }
        }
        if let Err(refusal) = negotiate_graph(accept) {
            assert!(accept.is_some(), "no Accept header refused for a graph");
            refused(&refusal, &[406], "negotiate_graph");
        }
    }
});
