//! Commands that explore and check the knowledge graph: `validate`, `stats`, `search`, `show`.

use super::open;
use crate::card;
use crate::cli::{CardFormat, ReportFormat, SourceArgs};
use crate::error::{Error, EXIT_FINDINGS};
use crate::resolve::{self, Index};
use crate::shacl::{Severity, Shapes};
use crate::stats;
use crate::table::{display_term, write_table};
use anyhow::{Context, Result};
use serde_json::json;
use std::io::Write;
use std::path::Path;

pub fn validate(
    source: &SourceArgs,
    shapes: Option<&Path>,
    format: ReportFormat,
    out: &mut dyn Write,
) -> Result<u8> {
    let shapes = match shapes {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
                path: path.to_path_buf(),
                source,
            })?;
            let rdf_format = crate::store::format_of(path)?;
            Shapes::parse(&text, rdf_format, &path.display().to_string())?
        }
        None => Shapes::embedded()?,
    };
    let db = open(source)?;
    let findings = shapes
        .validate(&db.store, &db.prefixes)
        .context("validation could not run")?;
    let violations = findings
        .iter()
        .filter(|f| f.severity == Severity::Violation)
        .count();
    let mut labels = card::Labels::new(&db.store, &db.prefixes);
    let mut rows = Vec::new();
    for finding in &findings {
        let focus = labels.named(&finding.focus)?;
        rows.push(vec![
            format!("{:?}", finding.severity).to_lowercase(),
            if focus.label == focus.id {
                focus.id
            } else {
                format!("{} ({})", focus.id, focus.label)
            },
            finding
                .path
                .as_ref()
                .map(|p| display_term(p, &db.prefixes))
                .unwrap_or_default(),
            finding
                .value
                .as_ref()
                .map(|v| display_term(v, &db.prefixes))
                .unwrap_or_default(),
            finding.message.clone(),
        ]);
    }
    if format == ReportFormat::Json {
        let results: Vec<_> = rows
            .iter()
            .map(|r| json!({"severity": r[0], "focus": r[1], "path": r[2], "value": r[3], "message": r[4]}))
            .collect();
        let report =
            json!({"conforms": violations == 0, "triples": db.store.len()?, "results": results});
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else if findings.is_empty() {
        writeln!(
            out,
            "valid: {} triples conform to the shapes",
            db.store.len()?
        )?;
    } else {
        write_table(
            &["severity", "focus node", "path", "value", "message"],
            &rows,
            out,
        )?;
        writeln!(
            out,
            "{violations} violation(s), {} other finding(s)",
            findings.len() - violations
        )?;
    }
    Ok(if violations > 0 {
        EXIT_FINDINGS as u8
    } else {
        0
    })
}

pub fn stats(source: &SourceArgs, format: ReportFormat, out: &mut dyn Write) -> Result<u8> {
    let db = open(source)?;
    let stats = stats::stats(&db.store, &db.prefixes)?;
    if format == ReportFormat::Json {
        writeln!(out, "{}", serde_json::to_string_pretty(&stats)?)?;
        return Ok(0);
    }
    writeln!(out, "triples      {}", stats.triples)?;
    writeln!(out, "statements   {}", stats.statements)?;
    writeln!(
        out,
        "studies      {} ({} cited by statements)",
        stats.studies, stats.studies_cited_by_statements
    )?;
    if !stats.studies_without_statements.is_empty() {
        let numbers: Vec<String> = stats
            .studies_without_statements
            .iter()
            .map(i64::to_string)
            .collect();
        writeln!(out, "studies without statements: {}", numbers.join(", "))?;
    }
    writeln!(out)?;
    let rows: Vec<Vec<String>> = stats
        .entities_by_class
        .iter()
        .map(|(class, n)| vec![class.clone(), n.to_string()])
        .collect();
    write_table(&["class", "entities"], &rows, out)?;
    writeln!(out)?;
    let per_study = &stats.statements_per_study;
    if !per_study.is_empty() {
        let counts: Vec<u64> = per_study.iter().map(|(_, n)| *n).collect();
        let mut sorted = counts.clone();
        sorted.sort_unstable();
        writeln!(
            out,
            "statements per study: median {}, max {} ({})",
            sorted[sorted.len() / 2],
            counts[0],
            per_study[0].0
        )?;
        let rows: Vec<Vec<String>> = per_study
            .iter()
            .take(10)
            .map(|(s, n)| vec![s.clone(), n.to_string()])
            .collect();
        write_table(&["study", "statements"], &rows, out)?;
    }
    Ok(0)
}

pub fn search(
    source: &SourceArgs,
    text: &str,
    limit: usize,
    format: ReportFormat,
    out: &mut dyn Write,
) -> Result<u8> {
    let db = open(source)?;
    let index = Index::build(&db.store, &db.prefixes)?;
    let hits = index.search(text, limit);
    if hits.is_empty() {
        let suggestions = index.suggest(text, 5);
        let hint = if suggestions.is_empty() {
            String::new()
        } else {
            format!("; did you mean: {}?", suggestions.join(", "))
        };
        return Err(Error::NothingFound(format!("no entity matches '{text}'{hint}")).into());
    }
    if format == ReportFormat::Json {
        let hits: Vec<_> = hits
            .iter()
            .map(|h| json!({"iri": h.iri.as_str(), "label": h.label, "type": h.kind, "matched": h.matched, "score": h.score}))
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&hits)?)?;
        return Ok(0);
    }
    let rows: Vec<Vec<String>> = hits
        .iter()
        .map(|h| {
            vec![
                db.prefixes
                    .shorten(h.iri.as_str())
                    .unwrap_or_else(|| format!("<{}>", h.iri.as_str())),
                h.label.clone(),
                h.kind.clone(),
                if h.matched == h.label {
                    String::new()
                } else {
                    h.matched.clone()
                },
            ]
        })
        .collect();
    write_table(&["id", "label", "type", "matched"], &rows, out)?;
    Ok(0)
}

pub fn show(
    source: &SourceArgs,
    entity: &str,
    format: CardFormat,
    out: &mut dyn Write,
) -> Result<u8> {
    let db = open(source)?;
    let index = Index::build(&db.store, &db.prefixes)?;
    let resolved = resolve::resolve(entity, &index, &db.store, &db.prefixes)?;
    super::note(resolved.note.as_deref());
    let card = card::card(&db.store, &db.prefixes, &resolved.iri)?;
    if format == CardFormat::Json {
        writeln!(out, "{}", serde_json::to_string_pretty(&card)?)?;
    } else {
        write!(out, "{}", card::render_text(&card))?;
    }
    Ok(0)
}
