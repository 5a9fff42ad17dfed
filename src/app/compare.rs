//! `stroma compare A B`: the comparisons between two cell types as a table (Table 1's rows,
//! then every other finding) or JSON.

use super::{notes, open};
use crate::cli::{ReportFormat, SourceArgs};
use crate::engine::compare::{CompareReport, CompareRequest, ComparisonRow};
use crate::table::write_table;
use anyhow::Result;
use std::io::Write;

pub fn compare(
    source: &SourceArgs,
    a: String,
    b: String,
    format: ReportFormat,
    out: &mut dyn Write,
) -> Result<u8> {
    let engine = open(source)?;
    let report = engine.compare(&CompareRequest { a, b })?;
    notes(&report.notes);
    match format {
        ReportFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?,
        ReportFormat::Table => table(&report, out)?,
    }
    Ok(0)
}

fn table(report: &CompareReport, out: &mut dyn Write) -> Result<()> {
    let (a, b) = (&report.a.label, &report.b.label);
    writeln!(
        out,
        "{a} ({}) compared with {b} ({}): {} comparisons",
        report.a.id,
        report.b.id,
        report.rows.len()
    )?;
    let (table_1, others): (Vec<&ComparisonRow>, Vec<&ComparisonRow>) =
        report.rows.iter().partition(|r| r.table_row.is_some());
    if !table_1.is_empty() {
        writeln!(out, "\nTable 1 of the review")?;
        let rows: Vec<Vec<String>> = table_1
            .iter()
            .map(|r| {
                vec![
                    r.table_row.map(|n| n.to_string()).unwrap_or_default(),
                    r.property.clone(),
                    r.a.clone(),
                    r.b.clone(),
                    stated(r),
                    r.studies.join(", "),
                    r.note.clone().unwrap_or_default(),
                ]
            })
            .collect();
        write_table(
            &["row", "property", a, b, "as stated", "refs", "note"],
            &rows,
            out,
        )?;
    }
    if !others.is_empty() {
        writeln!(out, "\nOther comparisons")?;
        let rows: Vec<Vec<String>> = others
            .iter()
            .map(|r| {
                vec![
                    r.property.clone(),
                    r.a.clone(),
                    r.b.clone(),
                    stated(r),
                    r.context(),
                    r.studies.join(", "),
                ]
            })
            .collect();
        write_table(&["property", a, b, "as stated", "in", "refs"], &rows, out)?;
    }
    Ok(())
}

/// Which types the statement names: "hPSC-MSC vs primary MSC", marked when turned around.
fn stated(row: &ComparisonRow) -> String {
    let turned = if row.reversed { " (turned around)" } else { "" };
    format!("{} vs {}{turned}", row.subject.label, row.comparator.label)
}
