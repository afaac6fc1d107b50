//! Which sheets are lead lists, and where their header rows are: the row
//! among a sheet's first ones that names the most roles, its merged cells
//! filled in, and a mapping the user made before for the same layout.

use std::collections::{BTreeSet, HashMap};

use super::columns::{self, ColumnMap, Role};
use super::sheets::{SheetError, SheetRows, Workbook};
use super::values::Cell;
use super::{ImportError, ImportOptions, ParsePlan, IGNORED};

/// How many of a sheet's first non-empty rows are searched for its header
/// (titles and filter lines may stand above it).
const HEADER_SEARCH_ROWS: usize = 30;

/// How many rows under the header are read as evidence for the columns'
/// roles (their values must not contradict them).
const EVIDENCE_ROWS: usize = 200;

/// A sheet's header row, found among its first rows.
#[derive(Debug, Clone)]
pub(super) struct Header {
    pub(super) sheet: String,
    /// 0-based row index.
    pub(super) row: u32,
    pub(super) headers: Vec<String>,
    pub(super) map: ColumnMap,
    pub(super) signature: String,
    /// The mapping came from an earlier import with the same header.
    pub(super) remembered: bool,
    /// The status column's values among the rows read as evidence, with
    /// how many rows hold each (spellings of one name together), for the
    /// preview: most rows first.
    pub(super) status_values: Vec<(String, u64)>,
}

/// Each sheet's header row, where it has one; without any, the first row's
/// texts of the first sheet (for the message).
pub(super) fn read_headers(book: &mut Workbook, plan: &ParsePlan<'_>) -> Result<(Vec<Header>, Vec<String>), SheetError> {
    let mut headers = Vec::new();
    let mut first_rows: Vec<String> = Vec::new();
    for sheet in book.sheet_names() {
        let search = |book: &mut Workbook, merges: &[calamine::Dimensions]| {
            let mut rows = book.rows(&sheet)?;
            find_header(&sheet, &mut rows, merges, plan.options, plan.remembered)
        };
        let mut found = search(book, &[])?;
        // Merged header cells leave gaps in a header row. Reading the merges
        // costs a pass over the whole sheet, so only then are they read.
        if matches!(&found, HeaderSearch::Found(h) if has_gaps(&h.headers)) {
            let merges = book.merged_cells(&sheet);
            if !merges.is_empty() {
                found = search(book, &merges)?;
            }
        }
        match found {
            HeaderSearch::Found(header) => headers.push(header),
            HeaderSearch::NotFound(texts) if first_rows.is_empty() => first_rows = texts,
            HeaderSearch::NotFound(_) => {}
        }
    }
    Ok((headers, first_rows))
}

/// The lead lists among the sheets: those with an outcome column whose roles
/// match the richest such sheet's. Returns them and notes on the skipped.
pub(super) fn choose_lead_sheets(headers: &[Header], first_rows: &[String], file: &str) -> Result<(Vec<Header>, Vec<String>), ImportError> {
    let file = file.to_owned();
    let with_outcome: Vec<&Header> = headers.iter().filter(|h| h.map.has_outcome()).collect();
    let Some(best) = with_outcome.iter().max_by_key(|h| h.map.roles.len()) else {
        let (place, found) = match headers.first() {
            Some(h) => (format!(" (sheet {}, header row {})", h.sheet, h.row + 1), columns::quoted_list(&h.headers)),
            None if first_rows.is_empty() => (String::new(), "none (the file has no text)".to_string()),
            None => (" (no header row in the first rows)".to_string(), columns::quoted_list(first_rows)),
        };
        if headers.is_empty() && first_rows.is_empty() {
            return Err(ImportError::NoLeadRows { file, detail: "the file holds no rows".to_string() });
        }
        return Err(ImportError::NoOutcomeColumn { file, place, found });
    };
    let best_roles: BTreeSet<Role> = best.map.roles.keys().copied().collect();
    let mut lead_sheets = Vec::new();
    let mut notes = Vec::new();
    for header in headers {
        let shared = header.map.roles.keys().filter(|r| best_roles.contains(r)).count();
        if header.map.has_outcome() && shared * 5 >= best_roles.len() * 4 {
            lead_sheets.push(header.clone());
        } else {
            notes.push(format!(
                "sheet {} skipped: not a lead list like the others (its columns: {})",
                header.sheet,
                columns::quoted_list(&header.headers)
            ));
        }
    }
    Ok((lead_sheets, notes))
}

enum HeaderSearch {
    Found(Header),
    /// No header row; the first row's texts, for the message.
    NotFound(Vec<String>),
}

/// An empty cell between named ones.
fn has_gaps(headers: &[String]) -> bool {
    let named: Vec<usize> = headers.iter().enumerate().filter(|(_, h)| !h.is_empty()).map(|(i, _)| i).collect();
    named.windows(2).any(|pair| pair[1] > pair[0] + 1)
}

/// The row among the first ones that names the most roles.
fn find_header(
    sheet: &str,
    rows: &mut SheetRows<'_>,
    merges: &[calamine::Dimensions],
    options: &ImportOptions<'_>,
    remembered: &HashMap<String, Vec<(String, String)>>,
) -> Result<HeaderSearch, SheetError> {
    let mapping = &options.mapping;
    let mut window: Vec<(u32, Vec<String>)> = Vec::new();
    let mut window_cells: Vec<Vec<Cell>> = Vec::new();
    while window.len() < HEADER_SEARCH_ROWS {
        let Some((row, cells)) = rows.next_row()? else { break };
        if cells.iter().all(Cell::is_empty) {
            continue;
        }
        window.push((row, cells.iter().map(|c| c.as_text().unwrap_or_default()).collect()));
        window_cells.push(cells);
    }
    fill_vertical_merges(&mut window, merges);
    let mut best: Option<(usize, usize)> = None;
    for (index, (_, texts)) in window.iter().enumerate() {
        let signature = signature(texts);
        let named =
            mapping.iter().filter(|(_, col)| texts.iter().any(|t| columns::normalise_header(t) == columns::normalise_header(col))).count();
        let score = if remembered.contains_key(&signature) {
            usize::MAX
        } else {
            let roles: BTreeSet<Role> = texts.iter().filter_map(|t| columns::best_role(t)).map(|(r, _)| r).collect();
            roles.len() + named
        };
        if score >= 2 && best.is_none_or(|(_, s)| score > s) {
            best = Some((index, score));
        }
    }
    let Some((index, _)) = best else {
        return Ok(HeaderSearch::NotFound(window.into_iter().next().map(|(_, t)| t).unwrap_or_default()));
    };
    let (row, headers) = window.swap_remove(index);
    let mut samples = window_cells.split_off(index + 1);
    while samples.len() < EVIDENCE_ROWS {
        let Some((_, cells)) = rows.next_row()? else { break };
        samples.push(cells);
    }
    let signature = signature(&headers);
    let stored = remembered.get(&signature).filter(|_| !options.is_manual());
    let (manual, ignored): (Vec<(Role, String)>, Vec<String>) = match stored {
        None => (mapping.clone(), options.ignored.clone()),
        Some(pairs) => (
            pairs.iter().filter_map(|(role, col)| Role::parse(role).map(|r| (r, col.clone()))).collect(),
            pairs.iter().filter(|(role, _)| role == IGNORED).map(|(_, col)| col.clone()).collect(),
        ),
    };
    let map = ColumnMap::recognise(&headers, &manual, &ignored, &samples)
        .map_err(|reason| SheetError::Mapping { sheet: sheet.to_owned(), reason })?;
    let status_values = map.column(Role::Status).map(|column| value_counts(&samples, column)).unwrap_or_default();
    Ok(HeaderSearch::Found(Header { sheet: sheet.to_owned(), row, headers, map, signature, remembered: stored.is_some(), status_values }))
}

/// A column's values with how many rows hold each (spellings of one name
/// together, shown as first met), most rows first.
fn value_counts(rows: &[Vec<Cell>], column: usize) -> Vec<(String, u64)> {
    crate::model::count_names(rows.iter().filter_map(|row| row.get(column)).filter_map(Cell::as_text).map(|text| (text, 1)))
}

/// A header cell merged over two header rows counts in both.
fn fill_vertical_merges(window: &mut [(u32, Vec<String>)], merges: &[calamine::Dimensions]) {
    // A merge beyond Excel's last column is damage, not a header.
    let in_sheet = |m: &&calamine::Dimensions| m.start.1 < super::sheets::MAX_COLUMNS;
    for merge in merges.iter().filter(|m| m.start.1 == m.end.1 && m.start.0 < m.end.0).filter(in_sheet) {
        let column = merge.start.1 as usize;
        let top = window.iter().find(|(r, _)| *r == merge.start.0).and_then(|(_, t)| t.get(column)).cloned();
        let Some(top) = top.filter(|t| !t.is_empty()) else { continue };
        for (row, texts) in window.iter_mut() {
            if *row > merge.start.0 && *row <= merge.end.0 {
                if texts.len() <= column {
                    texts.resize(column + 1, String::new());
                }
                if texts[column].is_empty() {
                    texts[column].clone_from(&top);
                }
            }
        }
    }
}

/// A header layout's fingerprint: its column names, normalised.
fn signature(headers: &[String]) -> String {
    headers.iter().map(|h| columns::normalise_header(h)).collect::<Vec<_>>().join("|")
}
