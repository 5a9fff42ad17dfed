//! Printing what the engine's exploring commands report: `validate`, `stats`, `search`, `show`.

use super::{notes, open};
use crate::card;
use crate::cli::{CardFormat, ReportFormat, SourceArgs};
use crate::engine::explore::{SearchRequest, ShowRequest, ValidateRequest};
use crate::error::{Error, EXIT_FINDINGS};
use crate::shacl::Shapes;
use crate::table::write_table;
use anyhow::{Context, Result};
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
            Some(Shapes::parse(
                &text,
                rdf_format,
                &path.display().to_string(),
            )?)
        }
        None => None,
    };
    let engine = open(source)?;
    let report = engine
        .validate(&ValidateRequest { shapes })
        .context("validation could not run")?;
    if format == ReportFormat::Json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else if report.results.is_empty() {
        writeln!(
            out,
            "valid: {} triples conform to the shapes",
            report.triples
        )?;
    } else {
        let rows: Vec<Vec<String>> = report
            .results
            .iter()
            .map(|f| {
                vec![
                    f.severity.clone(),
                    f.focus.clone(),
                    f.path.clone(),
                    f.value.clone(),
                    f.message.clone(),
                ]
            })
            .collect();
        write_table(
            &["severity", "focus node", "path", "value", "message"],
            &rows,
            out,
        )?;
        writeln!(
            out,
            "{} violation(s), {} other finding(s)",
            report.violations,
            report.results.len() - report.violations
        )?;
    }
    Ok(if report.violations > 0 {
        EXIT_FINDINGS as u8
    } else {
        0
    })
}

pub fn stats(source: &SourceArgs, format: ReportFormat, out: &mut dyn Write) -> Result<u8> {
    let stats = open(source)?.stats()?;
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
    let report = open(source)?.search(&SearchRequest {
        text: text.to_owned(),
        limit,
    })?;
    super::notes(&report.notes);
    if format == ReportFormat::Json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
        return Ok(0);
    }
    let rows: Vec<Vec<String>> = report
        .hits
        .iter()
        .map(|h| {
            vec![
                h.id.clone(),
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
    let report = open(source)?.show(&ShowRequest {
        entity: entity.to_owned(),
    })?;
    notes(&report.notes);
    if format == CardFormat::Json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        write!(out, "{}", card::render_text(&report.card))?;
    }
    Ok(0)
}
