//! RDFS reasoning, written once. A [`Hierarchy`] holds the direct `rdfs:subClassOf` (or
//! `rdfs:subPropertyOf`) links and answers what is below what, reflexively and transitively
//! (rules rdfs5 and rdfs11 of RDF 1.1 Semantics, with rdfs6/rdfs10's reflexivity): the trace
//! projection, the diagrams, SHACL's class targets and constraints and the engine's member lists
//! all ask it. A [`Schema`] adds `rdfs:domain` and `rdfs:range` and turns into the SPARQL
//! updates that materialise what the rules rdfs2, rdfs3, rdfs7 and rdfs9 entail from a graph's
//! triples ([`Schema::updates`]), which `Engine::infer` applies until nothing new follows.
//!
//! Left out on purpose: the axiomatic triples and the rules that only restate them (every
//! resource is an `rdfs:Resource`, every property an `rdf:Property`, rdfs4, rdfs8, rdfs12,
//! rdfs13), which add a triple per term and answer no researcher's question; and datatype
//! entailment. Pure: no I/O.

use oxigraph::model::NamedNode;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::Hash;

/// What `--infer` can entail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Regime {
    /// RDFS: subclass, subproperty, domain and range entailment.
    Rdfs,
}

impl Regime {
    pub fn name(self) -> &'static str {
        match self {
            Regime::Rdfs => "rdfs",
        }
    }
}

/// Direct links from a class to its superclasses (or from a property to its superproperties),
/// and the questions about what lies below what.
#[derive(Debug, Clone)]
pub struct Hierarchy<T> {
    parents: HashMap<T, Vec<T>>,
}

impl<T> Default for Hierarchy<T> {
    fn default() -> Self {
        Self {
            parents: HashMap::new(),
        }
    }
}

impl<T: Clone + Eq + Hash + Ord> Hierarchy<T> {
    /// A hierarchy of these (child, parent) links.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (T, T)>) -> Self {
        let mut hierarchy = Self::default();
        for (child, parent) in pairs {
            hierarchy.add(child, parent);
        }
        hierarchy
    }

    /// Records that `child` is directly below `parent` (once, however often it is said).
    pub fn add(&mut self, child: T, parent: T) {
        let parents = self.parents.entry(child).or_default();
        if !parents.contains(&parent) {
            parents.push(parent);
        }
    }

    /// The direct links, for encoding.
    pub fn parents(&self) -> &HashMap<T, Vec<T>> {
        &self.parents
    }

    /// True when `class` is `ancestor` or below it through any number of links (cycles are
    /// allowed: two classes below each other are equivalent).
    pub fn is_below(&self, class: &T, ancestor: &T) -> bool {
        self.walk(class, |c| c == ancestor)
    }

    /// True when one of `types` is `class` or below it: an instance of `class`.
    pub fn has_instance_type<'a>(&self, types: impl IntoIterator<Item = &'a T>, class: &T) -> bool
    where
        T: 'a,
    {
        types.into_iter().any(|t| self.is_below(t, class))
    }

    /// `class` and everything above it, sorted.
    pub fn ancestors(&self, class: &T) -> BTreeSet<T> {
        let mut found = BTreeSet::new();
        self.walk(class, |c| {
            found.insert(c.clone());
            false
        });
        found
    }

    /// `class` and everything below it, sorted.
    pub fn descendants(&self, class: &T) -> BTreeSet<T> {
        let mut children: HashMap<&T, Vec<&T>> = HashMap::new();
        for (child, parents) in &self.parents {
            for parent in parents {
                children.entry(parent).or_default().push(child);
            }
        }
        let mut found = BTreeSet::from([class.clone()]);
        let mut stack = vec![class];
        while let Some(c) = stack.pop() {
            for child in children.get(c).into_iter().flatten() {
                if found.insert((*child).clone()) {
                    stack.push(child);
                }
            }
        }
        found
    }

    /// Every (below, above) pair with `below` strictly under `above` or equivalent to it,
    /// reflexive pairs left out: the transitive closure, sorted.
    pub fn closure(&self) -> Vec<(T, T)> {
        let mut pairs: Vec<(T, T)> = self
            .parents
            .keys()
            .flat_map(|c| {
                self.ancestors(c)
                    .into_iter()
                    .filter(move |a| a != c)
                    .map(move |a| (c.clone(), a))
            })
            .collect();
        pairs.sort();
        pairs
    }

    /// Visits `start` and everything above it once each, stopping when `stop` says so.
    fn walk(&self, start: &T, mut stop: impl FnMut(&T) -> bool) -> bool {
        let mut seen: HashSet<&T> = HashSet::new();
        let mut stack = vec![start];
        while let Some(c) = stack.pop() {
            if !seen.insert(c) {
                continue;
            }
            if stop(c) {
                return true;
            }
            if let Some(parents) = self.parents.get(c) {
                stack.extend(parents);
            }
        }
        false
    }
}

impl Hierarchy<NamedNode> {
    /// `class` and the classes below it as the list of a SPARQL `IN (…)`: the types of its
    /// instances. A term that is no IRI names no class, so only itself.
    pub fn in_sparql(&self, class: &oxigraph::model::Term) -> String {
        match class {
            oxigraph::model::Term::NamedNode(class) => self
                .descendants(class)
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            other => other.to_string(),
        }
    }
}

/// The RDFS vocabulary of a graph: its class and property hierarchies, and the domains and
/// ranges of its properties.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    pub classes: Hierarchy<NamedNode>,
    pub properties: Hierarchy<NamedNode>,
    /// (property, class) from `rdfs:domain`.
    pub domains: Vec<(NamedNode, NamedNode)>,
    /// (property, class) from `rdfs:range`.
    pub ranges: Vec<(NamedNode, NamedNode)>,
}

/// The SPARQL that reads a [`Schema`]: one row per axiom, `?kind` naming it.
pub const SCHEMA_QUERY: &str = "SELECT ?kind ?s ?o WHERE {
  VALUES ?kind { rdfs:subClassOf rdfs:subPropertyOf rdfs:domain rdfs:range }
  ?s ?kind ?o FILTER(isIRI(?s) && isIRI(?o))
}";

const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";

impl Schema {
    /// A schema from the rows of [`SCHEMA_QUERY`]: (kind, subject, object).
    pub fn from_axioms(
        axioms: impl IntoIterator<Item = (NamedNode, NamedNode, NamedNode)>,
    ) -> Self {
        let mut schema = Self::default();
        for (kind, s, o) in axioms {
            match kind.as_str().strip_prefix(RDFS) {
                Some("subClassOf") => schema.classes.add(s, o),
                Some("subPropertyOf") => schema.properties.add(s, o),
                Some("domain") => schema.domains.push((s, o)),
                Some("range") => schema.ranges.push((s, o)),
                _ => {}
            }
        }
        schema.domains.sort();
        schema.domains.dedup();
        schema.ranges.sort();
        schema.ranges.dedup();
        schema
    }

    /// The updates that add what the schema entails from the graph's triples, in an order in
    /// which one pass reaches the closure for a schema that entailment does not change:
    /// subproperties first (rdfs7), then the types domains and ranges give the subjects and
    /// objects of those properties and of their subproperties (rdfs2, rdfs3), then the
    /// superclasses of every type (rdfs9). Each reads every graph and writes the default graph;
    /// the hierarchies' closures are written into the updates as `VALUES`, so none walks a
    /// property path. Empty when the schema entails nothing.
    pub fn updates(&self) -> Vec<String> {
        let mut updates = Vec::new();
        let any_graph =
            |pattern: &str| format!("{{ {pattern} }} UNION {{ GRAPH ?g {{ {pattern} }} }}");
        let sub_properties = self.properties.closure();
        if !sub_properties.is_empty() {
            updates.push(format!(
                "INSERT {{ ?x ?q ?y }} WHERE {{ VALUES (?p ?q) {{ {} }} {} }}",
                rows(&sub_properties),
                any_graph("?x ?p ?y")
            ));
        }
        // A domain or range of a property holds for its subproperties too (rdfs7 then rdfs2).
        let inherited = |axioms: &[(NamedNode, NamedNode)]| -> Vec<(NamedNode, NamedNode)> {
            let mut all: BTreeSet<(NamedNode, NamedNode)> = BTreeSet::new();
            for (property, class) in axioms {
                for sub in self.properties.descendants(property) {
                    all.insert((sub, class.clone()));
                }
            }
            all.into_iter().collect()
        };
        let domains = inherited(&self.domains);
        if !domains.is_empty() {
            updates.push(format!(
                "INSERT {{ ?x a ?c }} WHERE {{ VALUES (?p ?c) {{ {} }} {} }}",
                rows(&domains),
                any_graph("?x ?p ?y")
            ));
        }
        let ranges = inherited(&self.ranges);
        if !ranges.is_empty() {
            updates.push(format!(
                "INSERT {{ ?y a ?c }} WHERE {{ VALUES (?p ?c) {{ {} }} {} FILTER(!isLiteral(?y)) }}",
                rows(&ranges),
                any_graph("?x ?p ?y")
            ));
        }
        let superclasses = self.classes.closure();
        if !superclasses.is_empty() {
            updates.push(format!(
                "INSERT {{ ?x a ?d }} WHERE {{ VALUES (?c ?d) {{ {} }} {} }}",
                rows(&superclasses),
                any_graph("?x a ?c")
            ));
            // rdfs11: the closure itself, so `?c rdfs:subClassOf ?d` finds every ancestor.
            updates.push(format!(
                "INSERT {{ ?c rdfs:subClassOf ?d }} WHERE {{ VALUES (?c ?d) {{ {} }} }}",
                rows(&superclasses)
            ));
        }
        if !sub_properties.is_empty() {
            // rdfs5.
            updates.push(format!(
                "INSERT {{ ?p rdfs:subPropertyOf ?q }} WHERE {{ VALUES (?p ?q) {{ {} }} }}",
                rows(&sub_properties)
            ));
        }
        updates
    }
}

/// Pairs of IRIs as the rows of a two-column `VALUES` block.
fn rows(pairs: &[(NamedNode, NamedNode)]) -> String {
    pairs
        .iter()
        .map(|(a, b)| format!("({a} {b})"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(pairs: &[(&'static str, &'static str)]) -> Hierarchy<&'static str> {
        Hierarchy::from_pairs(pairs.iter().copied())
    }

    #[test]
    fn a_class_is_below_itself_its_parents_and_their_parents() {
        let cells = h(&[
            ("iPSC-MSC", "hPSC-MSC"),
            ("hPSC-MSC", "MSC"),
            ("MSC", "Cell"),
        ]);
        assert!(cells.is_below(&"iPSC-MSC", &"iPSC-MSC"));
        assert!(cells.is_below(&"iPSC-MSC", &"Cell"));
        assert!(!cells.is_below(&"MSC", &"iPSC-MSC"));
        assert_eq!(
            cells.descendants(&"MSC"),
            BTreeSet::from(["MSC", "hPSC-MSC", "iPSC-MSC"])
        );
        assert_eq!(
            cells.ancestors(&"hPSC-MSC"),
            BTreeSet::from(["Cell", "MSC", "hPSC-MSC"])
        );
    }

    #[test]
    fn a_cycle_ends_the_walk_and_makes_its_classes_equivalent() {
        let cycle = h(&[("A", "B"), ("B", "A"), ("B", "C")]);
        assert!(cycle.is_below(&"A", &"C"));
        assert!(cycle.is_below(&"B", &"A"));
        assert_eq!(
            cycle.closure(),
            vec![("A", "B"), ("A", "C"), ("B", "A"), ("B", "C")]
        );
    }

    #[test]
    fn an_instance_of_a_subclass_is_an_instance_of_the_class() {
        let cells = h(&[("iPSC-MSC", "MSC")]);
        assert!(cells.has_instance_type(&["Product", "iPSC-MSC"], &"MSC"));
        assert!(!cells.has_instance_type(&["Product"], &"MSC"));
    }

    #[test]
    fn a_schema_with_nothing_to_entail_gives_no_update() {
        assert!(Schema::default().updates().is_empty());
    }

    #[test]
    fn domains_pass_down_to_subproperties() {
        let iri = |s: &str| NamedNode::new(format!("http://e.org/{s}")).expect("an IRI");
        let rdfs = |s: &str| NamedNode::new(format!("{RDFS}{s}")).expect("an IRI");
        let schema = Schema::from_axioms([
            (rdfs("subPropertyOf"), iri("suppresses"), iri("inhibits")),
            (rdfs("domain"), iri("inhibits"), iri("Agent")),
        ]);
        let updates = schema.updates().join("\n");
        assert!(updates.contains("(<http://e.org/suppresses> <http://e.org/Agent>)"));
        assert!(updates.contains("(<http://e.org/suppresses> <http://e.org/inhibits>)"));
    }
}
