//! The HTML tables some CRMs save with an `.xls` name. Only what a table
//! export needs: rows, cells, `colspan`, entities; scripts and styles skipped.

use super::sheets::{MAX_COLUMNS, MAX_TABLE_CELLS};
use super::values::Cell;

/// Every `<table>` in the document, as rows of cells; refused (with the
/// place) when a row is wider than a sheet or the tables together hold more
/// cells than a lead report can (`colspan` multiplies a few bytes).
pub fn tables(html: &str) -> Result<Vec<Vec<Vec<Cell>>>, String> {
    let mut tables: Vec<Vec<Vec<Cell>>> = Vec::new();
    let mut cells_so_far = 0usize;
    let mut row: Option<Vec<Cell>> = None;
    let mut cell: Option<(String, usize)> = None;
    let mut depth = 0usize;
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        if let Some((text, _)) = cell.as_mut() {
            text.push_str(&decode_entities(&rest[..lt]));
        }
        rest = &rest[lt..];
        let Some(gt) = rest.find('>') else { break };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with('/');
        let name: String =
            tag.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
        match (name.as_str(), closing) {
            ("script" | "style", false) => match closing_tag(rest, &name) {
                Some(i) => rest = &rest[i..],
                None => break,
            },
            ("table", false) => {
                depth += 1;
                tables.push(Vec::new());
            }
            ("table", true) => depth = depth.saturating_sub(1),
            ("tr", false) if depth > 0 => {
                finish_row(&mut tables, &mut row, &mut cell);
                row = Some(Vec::new());
            }
            ("tr", true) => finish_row(&mut tables, &mut row, &mut cell),
            ("td" | "th", false) if depth > 0 => {
                finish_cell(&mut row, &mut cell);
                let (span, width) = (colspan(tag), row.as_ref().map_or(0, Vec::len));
                cells_so_far += span;
                if width + span > MAX_COLUMNS as usize {
                    return Err(format!(
                        "table {}, row {}: more than the {MAX_COLUMNS} columns a sheet can have",
                        tables.len(),
                        rows_in(&tables) + 1
                    ));
                }
                if cells_so_far > MAX_TABLE_CELLS {
                    return Err(format!(
                        "table {}, row {}: more than the {MAX_TABLE_CELLS} cells a lead report can have",
                        tables.len(),
                        rows_in(&tables) + 1
                    ));
                }
                if row.is_none() {
                    row = Some(Vec::new());
                }
                cell = Some((String::new(), colspan(tag)));
            }
            ("td" | "th", true) => finish_cell(&mut row, &mut cell),
            ("br" | "p" | "div", _) => {
                if let Some((text, _)) = cell.as_mut() {
                    text.push(' ');
                }
            }
            _ => {}
        }
    }
    finish_row(&mut tables, &mut row, &mut cell);
    tables.retain(|t| !t.is_empty());
    Ok(tables)
}

/// Rows of the table being read so far.
fn rows_in(tables: &[Vec<Vec<Cell>>]) -> usize {
    tables.last().map_or(0, Vec::len)
}

/// Where `</name` starts in `rest`, in any case, without copying `rest`:
/// lowering the rest of the document at each `<style>` made 300,000 of
/// them take half a minute.
fn closing_tag(rest: &str, name: &str) -> Option<usize> {
    rest.match_indices("</")
        .map(|(at, _)| at)
        .find(|&at| rest.as_bytes().get(at + 2..at + 2 + name.len()).is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes())))
}

fn finish_cell(row: &mut Option<Vec<Cell>>, cell: &mut Option<(String, usize)>) {
    if let (Some(cells), Some((text, span))) = (row.as_mut(), cell.take()) {
        let text = crate::model::collapse_spaces(&text);
        cells.push(if text.is_empty() { Cell::Empty } else { Cell::Text(text) });
        cells.extend(std::iter::repeat_n(Cell::Empty, span.saturating_sub(1)));
    }
}

fn finish_row(tables: &mut [Vec<Vec<Cell>>], row: &mut Option<Vec<Cell>>, cell: &mut Option<(String, usize)>) {
    finish_cell(row, cell);
    if let (Some(cells), Some(table)) = (row.take(), tables.last_mut()) {
        table.push(cells);
    }
}

fn colspan(tag: &str) -> usize {
    let lower = tag.to_ascii_lowercase();
    let Some(i) = lower.find("colspan") else { return 1 };
    let digits: String =
        lower[i + 7..].chars().skip_while(|c| matches!(c, '=' | '"' | '\'' | ' ')).take_while(char::is_ascii_digit).collect();
    digits.parse().unwrap_or(1).clamp(1, 256)
}

fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| entity(&rest[1..e]));
        match (end, decoded) {
            (Some(e), Some(c)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "euro" => '€',
        "eacute" => 'é',
        "euml" => 'ë',
        "ouml" => 'ö',
        "uuml" => 'ü',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_cells_entities_and_spans() {
        let html = r#"<html><style>td{}</style><body><table>
            <tr><th>Bron</th><th colspan="2">Status</th></tr>
            <tr><td>Web &amp; <b>mail</b></td><td>Verkocht</td><td>&lt;x&gt;&#233;</td></tr>
            </table></body></html>"#;
        let tables = tables(html).expect("a table");
        assert_eq!(tables.len(), 1);
        assert_eq!(tables[0][0], vec![Cell::Text("Bron".into()), Cell::Text("Status".into()), Cell::Empty]);
        assert_eq!(tables[0][1][0], Cell::Text("Web & mail".into()));
        assert_eq!(tables[0][1][2], Cell::Text("<x>é".into()));
    }

    #[test]
    fn styles_are_skipped_in_linear_time() {
        let html = "<STYLE>td{}</Style>".repeat(300_000) + "<table><tr><td>Bron</td></tr></table>";
        let started = std::time::Instant::now();
        assert_eq!(tables(&html).expect("a table")[0][0], vec![Cell::Text("Bron".into())]);
        assert!(started.elapsed() < std::time::Duration::from_secs(5), "{:?}", started.elapsed());
    }

    #[test]
    fn spans_beyond_a_sheet_are_refused_by_their_place() {
        let wide = format!("<table><tr><td>Bron</td></tr><tr>{}</tr></table>", "<td colspan=256>x</td>".repeat(65));
        assert_eq!(tables(&wide).expect_err("refused"), "table 1, row 2: more than the 16384 columns a sheet can have");
        let row = format!("<tr>{}</tr>", "<td colspan=256>x</td>".repeat(60));
        let many = format!("<table>{}</table>", row.repeat(MAX_TABLE_CELLS / (256 * 60) + 1));
        assert!(tables(&many).expect_err("refused").contains("cells a lead report can have"));
    }
}
