//! The factor × effect matrix as a self-contained SVG heat map. Pure.

/// The factor × effect matrix as a self-contained SVG heat map: one row per factor, one column
/// per effect, each cell shaded by the number of distinct studies on the best path (blank
/// when out of reach), with the count written in it and a tooltip. `rows` and `columns` pick
/// the indices to draw.
pub fn heat_map(matrix: &crate::report::MatrixReport, rows: &[usize], columns: &[usize]) -> String {
    use std::fmt::Write as _;
    let xml = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let (cell, left, top) = (28usize, 260usize, 170usize);
    // Room on the right for the last rotated column label.
    let width = left + columns.len() * cell + 150;
    let height = top + rows.len() * cell + 40;
    let max = rows
        .iter()
        .flat_map(|r| columns.iter().filter_map(|c| matrix.cells[*r][*c]))
        .max()
        .unwrap_or(1)
        .max(1);
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="Helvetica, Arial, sans-serif" font-size="11">"#
    );
    let _ = writeln!(
        svg,
        r#"<text x="10" y="18" font-size="14">Factors × therapeutic effects: distinct studies on the best path</text>"#
    );
    for (j, c) in columns.iter().enumerate() {
        let x = left + j * cell + cell / 2;
        let _ = writeln!(
            svg,
            r#"<text transform="translate({x},{}) rotate(-55)">{}</text>"#,
            top - 6,
            xml(&matrix.columns[*c].label)
        );
    }
    for (i, r) in rows.iter().enumerate() {
        let y = top + i * cell;
        let _ = writeln!(
            svg,
            r#"<text x="{}" y="{}" text-anchor="end">{}</text>"#,
            left - 6,
            y + cell / 2 + 4,
            xml(&matrix.rows[*r].label)
        );
        for (j, c) in columns.iter().enumerate() {
            let x = left + j * cell;
            let (fill, text) = match matrix.cells[*r][*c] {
                Some(n) => {
                    // From pale to deep green with the number of studies.
                    let t = n as f64 / max as f64;
                    let shade = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
                    (
                        format!(
                            "#{:02x}{:02x}{:02x}",
                            shade(229.0, 56.0),
                            shade(245.0, 118.0),
                            shade(224.0, 29.0)
                        ),
                        n.to_string(),
                    )
                }
                None => ("#ffffff".to_owned(), String::new()),
            };
            let tip = format!(
                "{} → {}: {}",
                matrix.rows[*r].label,
                matrix.columns[*c].label,
                if text.is_empty() {
                    "out of reach".to_owned()
                } else {
                    format!("{text} stud(ies)")
                }
            );
            let _ = writeln!(
                svg,
                r##"<g><title>{}</title><rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="{fill}" stroke="#cccccc"/><text x="{}" y="{}" text-anchor="middle">{text}</text></g>"##,
                xml(&tip),
                x + cell / 2,
                y + cell / 2 + 4
            );
        }
    }
    svg.push_str("</svg>\n");
    svg
}
