//! IRIs of the Stroma vocabulary and of the standard vocabularies it reuses, and the prefix
//! table used to shorten IRIs for people.

/// Stroma's classes and relations.
pub const ST: &str = "https://w3id.org/stroma/vocab#";
/// Stroma's entities (cell types, factors, diseases, …).
pub const SR: &str = "https://w3id.org/stroma/id/";
/// The review's references (`ref:111`) and the review itself (`ref:review`).
pub const REF: &str = "https://w3id.org/stroma/ref/";
/// Statement nodes.
pub const STMT: &str = "https://w3id.org/stroma/statement/";

pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
pub const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
pub const OWL: &str = "http://www.w3.org/2002/07/owl#";
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
pub const PROV: &str = "http://www.w3.org/ns/prov#";
pub const DCTERMS: &str = "http://purl.org/dc/terms/";
pub const BIBO: &str = "http://purl.org/ontology/bibo/";
pub const SH: &str = "http://www.w3.org/ns/shacl#";
/// The Biolink model's classes and predicates (KGX exports; `ontology/biolink.ttl` maps to them).
pub const BIOLINK: &str = "https://w3id.org/biolink/vocab/";

/// `prov:wasDerivedFrom`: a statement's source study.
pub const PROV_WAS_DERIVED_FROM: &str = "http://www.w3.org/ns/prov#wasDerivedFrom";

/// The prefixes Stroma knows without being told, in the order they are tried.
pub const DEFAULT_PREFIXES: &[(&str, &str)] = &[
    ("st", ST),
    ("sr", SR),
    ("ref", REF),
    ("stmt", STMT),
    ("rdf", RDF),
    ("rdfs", RDFS),
    ("owl", OWL),
    ("xsd", XSD),
    ("skos", SKOS),
    ("prov", PROV),
    ("dcterms", DCTERMS),
    ("bibo", BIBO),
    ("sh", SH),
    ("biolink", BIOLINK),
];

/// A prefix table: IRIs are shortened with the longest matching namespace.
#[derive(Debug, Clone, Default)]
pub struct Prefixes {
    entries: Vec<(String, String)>,
}

impl Prefixes {
    /// Stroma's own prefixes.
    pub fn stroma() -> Self {
        let mut prefixes = Self::default();
        for (name, iri) in DEFAULT_PREFIXES {
            prefixes.add(name, iri);
        }
        prefixes
    }

    /// Adds a prefix unless the name or the namespace is already known.
    pub fn add(&mut self, name: &str, iri: &str) {
        if iri.is_empty() || self.entries.iter().any(|(n, i)| n == name || i == iri) {
            return;
        }
        self.entries.push((name.to_owned(), iri.to_owned()));
    }

    /// `prefix:local` when a namespace matches and the rest is a plain local name.
    pub fn shorten(&self, iri: &str) -> Option<String> {
        self.entries
            .iter()
            .filter(|(_, ns)| iri.starts_with(ns.as_str()))
            .max_by_key(|(_, ns)| ns.len())
            .and_then(|(name, ns)| {
                let local = &iri[ns.len()..];
                let plain = local
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
                    && !local.ends_with('.');
                plain.then(|| format!("{name}:{local}"))
            })
    }

    /// How an IRI reads for people: `prefix:local` when a prefix fits, else `<iri>`.
    pub fn curie(&self, iri: &str) -> String {
        self.shorten(iri).unwrap_or_else(|| format!("<{iri}>"))
    }

    /// Expands `prefix:local` to a full IRI when the prefix is known.
    pub fn expand(&self, curie: &str) -> Option<String> {
        let (name, local) = curie.split_once(':')?;
        if local.starts_with("//") {
            return None;
        }
        self.entries
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, ns)| format!("{ns}{local}"))
    }

    /// The IRI that `text` spells, if it spells one: `<iri>`, an absolute `http(s)://` or
    /// `urn:` IRI, or a CURIE with a known prefix. The one parser of IRIs people type; names
    /// (labels, synonyms) are the resolver's business.
    pub fn iri_of(&self, text: &str) -> Option<String> {
        let text = text.trim();
        if let Some(inner) = text.strip_prefix('<').and_then(|t| t.strip_suffix('>')) {
            return Some(inner.to_owned());
        }
        if ["http://", "https://", "urn:"]
            .iter()
            .any(|scheme| text.starts_with(scheme))
        {
            return Some(text.to_owned());
        }
        self.expand(text)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries.iter().map(|(n, i)| (n.as_str(), i.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortens_with_longest_namespace_and_expands_back() {
        let prefixes = Prefixes::stroma();
        let iri = format!("{SR}iPSC-MSC");
        assert_eq!(prefixes.shorten(&iri).as_deref(), Some("sr:iPSC-MSC"));
        assert_eq!(
            prefixes.expand("sr:iPSC-MSC").as_deref(),
            Some(iri.as_str())
        );
        assert_eq!(prefixes.shorten("http://example.org/a/b"), None);
        assert_eq!(prefixes.shorten(&format!("{SR}a/b")), None);
    }

    #[test]
    fn iri_of_reads_brackets_absolute_iris_and_curies_only() {
        let prefixes = Prefixes::stroma();
        let iri = format!("{SR}TSG6");
        assert_eq!(prefixes.iri_of(&format!("<{iri}>")), Some(iri.clone()));
        assert_eq!(prefixes.iri_of(&format!(" {iri} ")), Some(iri.clone()));
        assert_eq!(prefixes.iri_of("sr:TSG6"), Some(iri));
        assert_eq!(prefixes.iri_of("TSG-6"), None);
        assert_eq!(prefixes.iri_of("nope:TSG6"), None);
    }
}
