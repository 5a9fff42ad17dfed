//! Queries as every engine takes them: what a remote endpoint is sent is the parsed query
//! printed back, with the few forms some engines refuse rewritten into equivalent ones.

use spargebra::algebra::{Expression, GraphPattern};
use spargebra::term::{TermPattern, TriplePattern, Variable};

/// The query with the blank nodes of its patterns written as variables: the same query (a
/// blank node in a pattern is a variable that is not projected), which every engine takes.
/// The parser writes the hidden node of a path sequence (`a/rdfs:subClassOf*`) as a blank node,
/// and Virtuoso refuses one as the subject of a transitive path. Templates keep theirs.
pub fn without_blank_nodes(query: spargebra::Query) -> spargebra::Query {
    use spargebra::Query;
    match query {
        Query::Select {
            dataset,
            pattern,
            base_iri,
        } => Query::Select {
            dataset,
            pattern: unblank(pattern),
            base_iri,
        },
        Query::Construct {
            template,
            dataset,
            pattern,
            base_iri,
        } => Query::Construct {
            template,
            dataset,
            pattern: unblank(pattern),
            base_iri,
        },
        Query::Describe {
            dataset,
            pattern,
            base_iri,
        } => Query::Describe {
            dataset,
            pattern: unblank(pattern),
            base_iri,
        },
        Query::Ask {
            dataset,
            pattern,
            base_iri,
        } => Query::Ask {
            dataset,
            pattern: unblank(pattern),
            base_iri,
        },
    }
}

fn unblank(pattern: GraphPattern) -> GraphPattern {
    let down = |p: Box<GraphPattern>| Box::new(unblank(*p));
    match pattern {
        GraphPattern::Bgp { patterns } => GraphPattern::Bgp {
            patterns: patterns
                .into_iter()
                .map(|t| TriplePattern {
                    subject: unblank_term(t.subject),
                    predicate: t.predicate,
                    object: unblank_term(t.object),
                })
                .collect(),
        },
        GraphPattern::Path {
            subject,
            path,
            object,
        } => GraphPattern::Path {
            subject: unblank_term(subject),
            path,
            object: unblank_term(object),
        },
        GraphPattern::Join { left, right } => GraphPattern::Join {
            left: down(left),
            right: down(right),
        },
        GraphPattern::LeftJoin {
            left,
            right,
            expression,
        } => GraphPattern::LeftJoin {
            left: down(left),
            right: down(right),
            expression: expression.map(unblank_expression),
        },
        GraphPattern::Filter { expr, inner } => GraphPattern::Filter {
            expr: unblank_expression(expr),
            inner: down(inner),
        },
        GraphPattern::Union { left, right } => GraphPattern::Union {
            left: down(left),
            right: down(right),
        },
        GraphPattern::Graph { name, inner } => GraphPattern::Graph {
            name,
            inner: down(inner),
        },
        GraphPattern::Extend {
            inner,
            variable,
            expression,
        } => GraphPattern::Extend {
            inner: down(inner),
            variable,
            expression: unblank_expression(expression),
        },
        GraphPattern::Minus { left, right } => GraphPattern::Minus {
            left: down(left),
            right: down(right),
        },
        GraphPattern::OrderBy { inner, expression } => GraphPattern::OrderBy {
            inner: down(inner),
            expression,
        },
        GraphPattern::Project { inner, variables } => GraphPattern::Project {
            inner: down(inner),
            variables,
        },
        GraphPattern::Distinct { inner } => GraphPattern::Distinct { inner: down(inner) },
        GraphPattern::Reduced { inner } => GraphPattern::Reduced { inner: down(inner) },
        GraphPattern::Slice {
            inner,
            start,
            length,
        } => GraphPattern::Slice {
            inner: down(inner),
            start,
            length,
        },
        GraphPattern::Group {
            inner,
            variables,
            aggregates,
        } => GraphPattern::Group {
            inner: down(inner),
            variables,
            aggregates,
        },
        GraphPattern::Service {
            name,
            inner,
            silent,
        } => GraphPattern::Service {
            name,
            inner: down(inner),
            silent,
        },
        other => other,
    }
}

/// EXISTS patterns inside filters and bindings, through the operators that hold them.
fn unblank_expression(expression: Expression) -> Expression {
    let down = |e: Box<Expression>| Box::new(unblank_expression(*e));
    match expression {
        Expression::Exists(pattern) => Expression::Exists(Box::new(unblank(*pattern))),
        Expression::Not(e) => Expression::Not(down(e)),
        Expression::And(a, b) => Expression::And(down(a), down(b)),
        Expression::Or(a, b) => Expression::Or(down(a), down(b)),
        Expression::If(a, b, c) => Expression::If(down(a), down(b), down(c)),
        Expression::Coalesce(list) => {
            Expression::Coalesce(list.into_iter().map(unblank_expression).collect())
        }
        other => other,
    }
}

fn unblank_term(term: TermPattern) -> TermPattern {
    match term {
        TermPattern::BlankNode(b) => {
            let name: String = b
                .as_str()
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect();
            TermPattern::Variable(Variable::new_unchecked(format!("stroma_blank_{name}")))
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_sequence_s_hidden_node_goes_out_as_a_variable() {
        let query = spargebra::SparqlParser::new()
            .parse_query(
                "SELECT ?x WHERE { ?x <http://e/a>/<http://e/b>* <http://e/c> FILTER NOT EXISTS { ?x <http://e/d>/<http://e/e> ?y } }",
            )
            .unwrap();
        assert!(
            query.to_string().contains("_:"),
            "the parser hides a blank node: {query}"
        );
        let text = without_blank_nodes(query).to_string();
        assert!(!text.contains("_:"), "{text}");
        assert!(text.contains("?stroma_blank_"), "{text}");
        spargebra::SparqlParser::new().parse_query(&text).unwrap();
    }
}
