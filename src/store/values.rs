//! Binding terms to a query's variables as a `VALUES` table joined into its algebra: how the
//! library's queries carry the entities, triples or frontier nodes they ask about to any
//! backend (a remote endpoint has no other way to receive them), and how a batch of many
//! nodes goes out in one request.
//!
//! The table joins the query's top group, below its solution modifiers (projection, order,
//! slice, grouping), so an engine evaluates the rest of the pattern for the bound values only.

use crate::error::{Error, Result};
use oxigraph::model::Term;
use spargebra::algebra::GraphPattern;
use spargebra::term::{GroundTerm, Variable};

/// Rows of values for some variables; `None` leaves a variable unbound in that row.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub variables: Vec<String>,
    pub rows: Vec<Vec<Option<Term>>>,
}

impl Table {
    /// A table of one variable, one row per term.
    pub fn column(variable: &str, terms: impl IntoIterator<Item = Term>) -> Self {
        Self {
            variables: vec![variable.to_owned()],
            rows: terms.into_iter().map(|t| vec![Some(t)]).collect(),
        }
    }

    /// A table of one row.
    pub fn row(bindings: &[(&str, &Term)]) -> Self {
        Self {
            variables: bindings.iter().map(|(v, _)| (*v).to_owned()).collect(),
            rows: vec![bindings.iter().map(|(_, t)| Some((*t).clone())).collect()],
        }
    }

    /// The table as a `VALUES` pattern. Blank nodes cannot be sent as values (in a query they
    /// would be fresh variables), so a table holding one is refused.
    fn pattern(&self) -> Result<GraphPattern> {
        let variables = self
            .variables
            .iter()
            .map(|v| {
                Variable::new(v).map_err(|e| Error::Internal(format!("bad variable name {v}: {e}")))
            })
            .collect::<Result<_>>()?;
        let bindings = self
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|t| t.as_ref().map(ground).transpose())
                    .collect()
            })
            .collect::<Result<_>>()?;
        Ok(GraphPattern::Values {
            variables,
            bindings,
        })
    }
}

fn ground(term: &Term) -> Result<GroundTerm> {
    match term {
        Term::NamedNode(n) => Ok(GroundTerm::NamedNode(n.clone())),
        Term::Literal(l) => Ok(GroundTerm::Literal(l.clone())),
        other => Err(Error::Usage(format!(
            "{other} is a blank node: its label means nothing outside the answer it came in, so it cannot be sent back in a query (give the resource an IRI)"
        ))),
    }
}

/// The query with each table joined into its top group.
pub fn join(mut query: spargebra::Query, tables: &[Table]) -> Result<spargebra::Query> {
    for table in tables {
        let values = table.pattern()?;
        let pattern = match &mut query {
            spargebra::Query::Select { pattern, .. }
            | spargebra::Query::Ask { pattern, .. }
            | spargebra::Query::Construct { pattern, .. }
            | spargebra::Query::Describe { pattern, .. } => pattern,
        };
        let inner = std::mem::replace(pattern, GraphPattern::Bgp { patterns: vec![] });
        *pattern = join_pattern(inner, values);
    }
    Ok(query)
}

/// Joins `values` with the top group of `pattern`: through the solution modifiers, a group's
/// filters and extensions, and the left side of its OPTIONALs.
fn join_pattern(pattern: GraphPattern, values: GraphPattern) -> GraphPattern {
    match pattern {
        GraphPattern::Project { inner, variables } => GraphPattern::Project {
            inner: Box::new(join_pattern(*inner, values)),
            variables,
        },
        GraphPattern::Distinct { inner } => GraphPattern::Distinct {
            inner: Box::new(join_pattern(*inner, values)),
        },
        GraphPattern::Reduced { inner } => GraphPattern::Reduced {
            inner: Box::new(join_pattern(*inner, values)),
        },
        GraphPattern::Slice {
            inner,
            start,
            length,
        } => GraphPattern::Slice {
            inner: Box::new(join_pattern(*inner, values)),
            start,
            length,
        },
        GraphPattern::OrderBy { inner, expression } => GraphPattern::OrderBy {
            inner: Box::new(join_pattern(*inner, values)),
            expression,
        },
        GraphPattern::Group {
            inner,
            variables,
            aggregates,
        } => GraphPattern::Group {
            inner: Box::new(join_pattern(*inner, values)),
            variables,
            aggregates,
        },
        GraphPattern::Extend {
            inner,
            variable,
            expression,
        } => GraphPattern::Extend {
            inner: Box::new(join_pattern(*inner, values)),
            variable,
            expression,
        },
        GraphPattern::Filter { expr, inner } => GraphPattern::Filter {
            expr,
            inner: Box::new(join_pattern(*inner, values)),
        },
        GraphPattern::LeftJoin {
            left,
            right,
            expression,
        } => GraphPattern::LeftJoin {
            left: Box::new(join_pattern(*left, values)),
            right,
            expression,
        },
        other => GraphPattern::Join {
            left: Box::new(values),
            right: Box::new(other),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::NamedNode;

    #[test]
    fn values_join_the_top_group_below_the_modifiers() {
        let query = spargebra::SparqlParser::new()
            .parse_query(
                "SELECT DISTINCT ?x ?l WHERE { ?x <http://e/p> ?o OPTIONAL { ?x <http://e/l> ?l } } ORDER BY ?l LIMIT 5",
            )
            .unwrap();
        let x = Term::NamedNode(NamedNode::new("http://e/a").unwrap());
        let joined = join(query, &[Table::row(&[("x", &x)])])
            .unwrap()
            .to_string();
        let values = joined.find("VALUES").expect(&joined);
        assert!(values < joined.find("OPTIONAL").unwrap(), "{joined}");
        assert!(joined.contains("LIMIT 5"), "{joined}");
        // What is printed parses back.
        spargebra::SparqlParser::new().parse_query(&joined).unwrap();
    }

    #[test]
    fn blank_nodes_are_refused() {
        let query = spargebra::SparqlParser::new()
            .parse_query("SELECT ?x WHERE { ?x ?p ?o }")
            .unwrap();
        let b = Term::BlankNode(oxigraph::model::BlankNode::default());
        assert!(join(query, &[Table::column("x", [b])]).is_err());
    }
}
