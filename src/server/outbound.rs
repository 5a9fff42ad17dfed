//! Outbound HTTP on behalf of a query: `SERVICE` calls and `LOAD` sources, made only to the
//! targets the operator listed (`--service-allow`, `--allow-load`). A listed target whose
//! host resolves to a loopback, private or link-local address is refused too, unless the
//! entry names that address itself (`http://127.0.0.1:7879/sparql`, `http://localhost/…`):
//! an endpoint open to the world must not become a way into the network behind it.
//!
//! Requests have no redirects (a redirect could lead anywhere), no proxy from the environment,
//! the server's query timeout, and a cap on the bytes read back.

use crate::error::{Error, Refusal};
use axum::http::Uri;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::NamedNode;
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, ReaderQueryResultsParserOutput,
};
use oxigraph::sparql::{DefaultServiceHandler, QueryEvaluationError, QuerySolutionIter};
use spargebra::algebra::GraphPattern;
use spargebra::term::{GraphName, Quad};
use std::net::{IpAddr, ToSocketAddrs};
use std::time::Duration;

/// The most bytes read back from one `SERVICE` call or `LOAD` source.
pub const MAX_RESPONSE_BYTES: u64 = 256 * 1024 * 1024;

/// The targets one kind of outbound request may reach.
#[derive(Debug, Clone, Default)]
pub struct AllowList {
    /// What the list is for, in messages ("SERVICE", "LOAD").
    what: &'static str,
    /// The flag that extends it, in messages.
    flag: &'static str,
    entries: Vec<Entry>,
}

#[derive(Debug, Clone)]
struct Entry {
    iri: String,
    /// The entry names its host as an IP address or `localhost`: the operator chose a local
    /// target on purpose.
    names_address: bool,
}

impl AllowList {
    /// Parses the operator's entries: each an `http` or `https` IRI (an endpoint, or a prefix
    /// that ends at a `/`).
    pub fn new(what: &'static str, flag: &'static str, entries: &[String]) -> Result<Self, Error> {
        let entries = entries
            .iter()
            .map(|iri| {
                let (host, _) = host_and_port(iri).ok_or_else(|| {
                    Error::Usage(format!(
                        "{flag} {iri}: expected an http:// or https:// IRI with a host"
                    ))
                })?;
                let names_address = is_address(&host);
                Ok(Entry {
                    iri: iri.clone(),
                    names_address,
                })
            })
            .collect::<Result<_, Error>>()?;
        Ok(Self {
            what,
            flag,
            entries,
        })
    }

    /// True when no target is allowed.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether `target` may be contacted: listed, and not resolving to a local address unless
    /// the entry names that address.
    pub fn check(&self, target: &str) -> Result<(), Refusal> {
        let (what, flag) = (self.what, self.flag);
        let Some(entry) = self.entries.iter().find(|e| covers(&e.iri, target)) else {
            return Err(Refusal(if self.entries.is_empty() {
                format!("{what} <{target}> refused: this server allows no {what} target (start it with {flag} {target})")
            } else {
                format!("{what} <{target}> refused: it is not on the {flag} list")
            }));
        };
        let Some((host, port)) = host_and_port(target) else {
            return Err(Refusal(format!(
                "{what} <{target}> refused: not an http:// or https:// IRI"
            )));
        };
        if entry.names_address {
            return Ok(());
        }
        let addresses = (host.as_str(), port)
            .to_socket_addrs()
            .map_err(|e| Refusal(format!("{what} <{target}>: cannot resolve {host}: {e}")))?;
        for address in addresses {
            if !is_public(address.ip()) {
                return Err(Refusal(format!(
                    "{what} <{target}> refused: {host} resolves to {}, a loopback, private or link-local address (list that address itself with {flag} to allow it)",
                    address.ip()
                )));
            }
        }
        Ok(())
    }
}

/// Whether the entry `allowed` covers `target`: the same IRI, or a prefix of it that ends at a
/// path boundary.
fn covers(allowed: &str, target: &str) -> bool {
    match target.strip_prefix(allowed) {
        Some("") => true,
        Some(rest) => allowed.ends_with('/') || rest.starts_with(['/', '?', '#']),
        None => false,
    }
}

/// Host (without IPv6 brackets) and port of an http(s) IRI.
fn host_and_port(iri: &str) -> Option<(String, u16)> {
    let uri: Uri = iri.parse().ok()?;
    let default_port = match uri.scheme_str()?.to_ascii_lowercase().as_str() {
        "http" => 80,
        "https" => 443,
        _ => return None,
    };
    let host = uri.host()?.trim_matches(['[', ']']);
    (!host.is_empty()).then(|| (host.to_owned(), uri.port_u16().unwrap_or(default_port)))
}

/// Whether a host is written as an address (an IP address, or `localhost`) rather than a name
/// DNS answers for: naming it in an allow-list chooses that address on purpose.
fn is_address(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost") || host.parse::<IpAddr>().is_ok()
}

/// Whether an address is reachable on the public Internet (not loopback, private, link-local,
/// shared, documentation, multicast or unspecified).
fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                || v4.is_multicast()
                || a == 0
                || (a == 100 && (64..128).contains(&b)))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80)
        }
    }
}

/// Resolves as ureq does, then keeps only public addresses for a host given by name, so that
/// a name the allow-list check saw resolve to public addresses cannot resolve to a private one
/// a moment later when the client connects (DNS rebinding). A host written as an address, or
/// `localhost`, is kept as it is: [`AllowList::check`] let it through only because an entry
/// names it. (ureq's resolver interface is its `unversioned` API: Cargo.lock pins the version.)
#[derive(Debug, Default)]
struct PublicOnly(ureq::unversioned::resolver::DefaultResolver);

impl ureq::unversioned::resolver::Resolver for PublicOnly {
    fn resolve(
        &self,
        uri: &axum::http::Uri,
        config: &ureq::config::Config,
        timeout: ureq::unversioned::transport::NextTimeout,
    ) -> Result<ureq::unversioned::resolver::ResolvedSocketAddrs, ureq::Error> {
        let resolved = self.0.resolve(uri, config, timeout)?;
        let host = uri.host().unwrap_or_default().trim_matches(['[', ']']);
        if is_address(host) {
            return Ok(resolved);
        }
        let mut public = self.empty();
        for address in resolved.iter().filter(|a| is_public(a.ip())) {
            public.push(*address);
        }
        if public.is_empty() {
            return Err(ureq::Error::Io(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                format!("{host} resolves only to loopback, private or link-local addresses"),
            )));
        }
        Ok(public)
    }
}

/// The HTTP client and the two allow-lists.
pub struct Outbound {
    pub services: AllowList,
    pub loads: AllowList,
    agent: ureq::Agent,
}

impl Outbound {
    pub fn new(services: AllowList, loads: AllowList, timeout: Duration) -> Self {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .max_redirects(0)
            .http_status_as_error(false)
            .proxy(None)
            .user_agent(concat!("Stroma/", env!("CARGO_PKG_VERSION")))
            .build();
        let agent = ureq::Agent::with_parts(
            config,
            ureq::unversioned::transport::DefaultConnector::new(),
            PublicOnly::default(),
        );
        Self {
            services,
            loads,
            agent,
        }
    }

    /// Fetches an allowed `LOAD` source and returns its triples as quads of `destination`, for
    /// an `INSERT DATA` in the same update (so a `LOAD` is as atomic as the rest of it).
    pub fn load(&self, source: &NamedNode, destination: &GraphName) -> Result<Vec<Quad>, Error> {
        self.loads
            .check(source.as_str())
            .map_err(|r| Error::Refused(r.0))?;
        let fail = |message: String| Error::SparqlEvaluation(format!("LOAD <{source}>: {message}"));
        let response = self
            .agent
            .get(source.as_str())
            .header(
                "Accept",
                "text/turtle, application/n-triples, application/n-quads, application/trig, application/rdf+xml, application/ld+json;q=0.9",
            )
            .call()
            .map_err(|e| fail(e.to_string()))?;
        if !response.status().is_success() {
            return Err(fail(format!("the server answered {}", response.status())));
        }
        let format = response
            .body()
            .mime_type()
            .and_then(RdfFormat::from_media_type)
            .or_else(|| {
                let path = source.as_str().split(['?', '#']).next().unwrap_or("");
                path.rsplit_once('.')
                    .and_then(|(_, ext)| RdfFormat::from_extension(ext))
            })
            .ok_or_else(|| fail("the answer's Content-Type is not an RDF format".into()))?;
        let reader = response
            .into_body()
            .into_with_config()
            .limit(MAX_RESPONSE_BYTES)
            .reader();
        RdfParser::from_format(format)
            .with_base_iri(source.as_str())
            .map_err(|e| fail(e.to_string()))?
            .for_reader(reader)
            .map(|quad| {
                let quad = quad.map_err(|e| fail(e.to_string()))?;
                Ok(Quad {
                    subject: quad.subject,
                    predicate: quad.predicate,
                    object: quad.object,
                    graph_name: destination.clone(),
                })
            })
            .collect()
    }
}

/// Answers `SERVICE` calls for allowed targets (SPARQL 1.1 Protocol, POST with the pattern as
/// a SELECT), and refuses the others with [`Refusal`].
pub struct ServiceHandler(pub std::sync::Arc<Outbound>);

impl DefaultServiceHandler for ServiceHandler {
    type Error = QueryEvaluationError;

    fn handle(
        &self,
        service_name: &NamedNode,
        pattern: &GraphPattern,
        base_iri: Option<&oxiri::Iri<String>>,
    ) -> Result<QuerySolutionIter<'static>, QueryEvaluationError> {
        let service =
            |e: Box<dyn std::error::Error + Send + Sync>| QueryEvaluationError::Service(e);
        self.0
            .services
            .check(service_name.as_str())
            .map_err(|r| service(Box::new(r)))?;
        let query = spargebra::Query::Select {
            dataset: None,
            pattern: pattern.clone(),
            base_iri: base_iri.cloned(),
        }
        .to_string();
        let response = self
            .0
            .agent
            .post(service_name.as_str())
            .header("Content-Type", "application/sparql-query")
            .header(
                "Accept",
                "application/sparql-results+json, application/sparql-results+xml;q=0.9",
            )
            .send(query.as_bytes())
            .map_err(|e| service(format!("<{service_name}>: {e}").into()))?;
        if !response.status().is_success() {
            return Err(service(
                format!("<{service_name}> answered {}", response.status()).into(),
            ));
        }
        let format = response
            .body()
            .mime_type()
            .and_then(QueryResultsFormat::from_media_type)
            .ok_or_else(|| {
                service(format!("<{service_name}> did not answer with SPARQL results").into())
            })?;
        let reader = response
            .into_body()
            .into_with_config()
            .limit(MAX_RESPONSE_BYTES)
            .reader();
        match QueryResultsParser::from_format(format)
            .for_reader(reader)
            .map_err(|e| service(Box::new(e)))?
        {
            ReaderQueryResultsParserOutput::Solutions(solutions) => Ok(QuerySolutionIter::new(
                solutions.variables().into(),
                solutions.map(move |s| s.map_err(|e| QueryEvaluationError::Service(Box::new(e)))),
            )),
            ReaderQueryResultsParserOutput::Boolean(_) => Err(service(
                format!("<{service_name}> answered a boolean, not solutions").into(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_cover_paths_not_hosts() {
        assert!(covers(
            "https://query.wikidata.org/sparql",
            "https://query.wikidata.org/sparql"
        ));
        assert!(covers(
            "https://example.org/",
            "https://example.org/a/sparql"
        ));
        assert!(!covers(
            "https://example.org",
            "https://example.org.evil.net/sparql"
        ));
    }

    #[test]
    fn local_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.1",
            "172.16.5.4",
            "169.254.169.254",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "0.0.0.0",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        assert!(is_public("93.184.216.34".parse().unwrap()));
    }

    #[test]
    fn a_name_resolving_to_loopback_is_refused_unless_the_address_is_listed() {
        let by_name = AllowList::new(
            "SERVICE",
            "--service-allow",
            &["http://localhost.localdomain:9/sparql".into()],
        )
        .unwrap();
        // localhost.localdomain may not resolve here; either way it is refused.
        assert!(by_name
            .check("http://localhost.localdomain:9/sparql")
            .is_err());
        let by_address = AllowList::new(
            "SERVICE",
            "--service-allow",
            &["http://127.0.0.1:9/sparql".into()],
        )
        .unwrap();
        assert!(by_address.check("http://127.0.0.1:9/sparql").is_ok());
        assert!(by_address.check("http://127.0.0.1:10/sparql").is_err());
    }

    /// What the allow-list check saw is checked again where the client connects: a name that
    /// resolves to a loopback address then (DNS rebinding) is not connected to, while a target
    /// written as the address is (the check let it through because an entry names it).
    #[test]
    fn the_client_connects_to_no_private_address_behind_a_name() {
        let outbound = Outbound::new(
            AllowList::default(),
            AllowList::default(),
            Duration::from_secs(5),
        );
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        // A name other than `localhost` that resolves to loopback here: the machine's own
        // name, or Debian's for ::1.
        let hostname = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
        let Some(name) = [hostname.trim(), "ip6-localhost", "ip6-loopback"]
            .into_iter()
            .find(|name| {
                !name.is_empty()
                    && (*name, port)
                        .to_socket_addrs()
                        .is_ok_and(|mut addresses| addresses.any(|a| a.ip().is_loopback()))
            })
        else {
            // No name other than localhost resolves to loopback on this machine: nothing to try.
            return;
        };
        let by_name = outbound
            .agent
            .get(format!("http://{name}:{port}/sparql"))
            .call()
            .expect_err("a name resolving to loopback is not connected to");
        assert!(
            by_name.to_string().contains("resolves only to loopback"),
            "{by_name}"
        );
        // The same server by its address is reached: it accepts the connection.
        let reached = std::thread::spawn(move || listener.accept().is_ok());
        let by_address = outbound
            .agent
            .get(format!("http://127.0.0.1:{port}/sparql"))
            .config()
            .timeout_global(Some(Duration::from_millis(300)))
            .build()
            .call();
        assert!(by_address.is_err(), "the listener never answers");
        assert!(
            reached.join().unwrap(),
            "the address itself was connected to"
        );
    }
}
