//! Aligned text tables for people: query solutions and the reports of `stats`, `search`, `show`.
//! IRIs are shortened with the graph's prefixes; literals show their lexical form.

use crate::error::Result;
use crate::vocab::Prefixes;
use oxigraph::model::Term;
use oxigraph::sparql::QueryResults;
use std::io::Write;

/// How a term reads in a table: `prefix:local` for IRIs, the value for literals.
pub fn display_term(term: &Term, prefixes: &Prefixes) -> String {
    match term {
        Term::NamedNode(node) => prefixes.curie(node.as_str()),
        Term::BlankNode(node) => format!("_:{}", node.as_str()),
        Term::Literal(literal) => match literal.language() {
            Some(lang) if lang != "en" => format!("{}@{lang}", literal.value()),
            _ => literal.value().to_owned(),
        },
        #[allow(unreachable_patterns)]
        other => other.to_string(),
    }
}

/// Writes rows under a header, each column as wide as its widest cell (counted in characters).
pub fn write_table(header: &[&str], rows: &[Vec<String>], out: &mut dyn Write) -> Result<()> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.chars().count());
            }
        }
    }
    let line = |cells: &mut dyn Iterator<Item = &str>| -> String {
        let mut text = String::new();
        for (i, cell) in cells.enumerate() {
            if i > 0 {
                text.push_str("  ");
            }
            text.push_str(cell);
            let pad = widths[i].saturating_sub(cell.chars().count());
            text.extend(std::iter::repeat_n(' ', pad));
        }
        text.trim_end().to_owned()
    };
    writeln!(out, "{}", line(&mut header.iter().copied()))?;
    let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
    writeln!(out, "{}", line(&mut rule.iter().map(String::as_str)))?;
    for row in rows {
        writeln!(out, "{}", line(&mut row.iter().map(String::as_str)))?;
    }
    Ok(())
}

/// Writes SELECT solutions or an ASK answer as a table.
pub fn write_results(
    results: QueryResults<'static>,
    prefixes: &Prefixes,
    out: &mut dyn Write,
) -> Result<()> {
    match results {
        QueryResults::Boolean(value) => {
            writeln!(out, "{}", if value { "yes" } else { "no" })?;
        }
        QueryResults::Solutions(solutions) => {
            let variables: Vec<String> = solutions
                .variables()
                .iter()
                .map(|v| v.as_str().to_owned())
                .collect();
            let mut rows = Vec::new();
            for solution in solutions {
                let solution = solution?;
                rows.push(
                    (0..variables.len())
                        .map(|i| {
                            solution
                                .get(i)
                                .map(|t| display_term(t, prefixes))
                                .unwrap_or_default()
                        })
                        .collect(),
                );
            }
            let header: Vec<&str> = variables.iter().map(String::as_str).collect();
            write_table(&header, &rows, out)?;
            writeln!(
                out,
                "({} row{})",
                rows.len(),
                if rows.len() == 1 { "" } else { "s" }
            )?;
        }
        QueryResults::Graph(_) => unreachable!("graphs are written as RDF"),
    }
    Ok(())
}
