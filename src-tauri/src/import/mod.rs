//! Lead reports in, leads out: format detection, header recognition, row
//! reading, and the hand-over to the store in one transaction per file.
//!
//! The workbook is parsed on its own thread while this thread writes what
//! it has read: parsing and writing overlap, and a panic inside a reader
//! library on a malformed file ends that thread, not the app.

pub mod columns;
mod detect;
mod html;
mod rows;
mod sheets;
pub mod values;

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

use sha2::{Digest, Sha256};

pub use columns::{ColumnMap, Role};
pub use detect::Format;

use crate::model::{Lead, RowIssue};
use crate::store::{ImportRecord, ImportSummary, NewImport, Store, StoreError};
use rows::{RowKind, SheetReader};
use sheets::{RowSource, Workbook};
use values::Cell;

/// Why a file was refused. Every message names the file and says, in plain
/// words, what is wrong and where; the store is left as it was.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{file}: cannot be opened: {reason}")]
    Unopenable { file: String, reason: String },
    #[error("{file}: {reason}")]
    NotASpreadsheet { file: String, reason: String },
    #[error("{file}: the {format} cannot be read: {reason}")]
    Damaged { file: String, format: &'static str, reason: String },
    #[error(
        "{file}: no recognisable outcome column{place}. Columns found: {found}. Dertien needs at least one of: \
         a status column (Status, Fase, Stage, Resultaat), a sale date (Verkoopdatum, Sale date) or a converted \
         flag (Verkocht, Converted). If one of the columns found is the outcome, name it: \
         dertien import --map status=\"<column>\" FILE"
    )]
    NoOutcomeColumn { file: String, place: String, found: String },
    #[error("{file}: nothing to import: {detail}")]
    NoLeadRows { file: String, detail: String },
    #[error("{file}: {message}")]
    Mapping { file: String, message: String },
    #[error("{file}: import cancelled; nothing was stored")]
    Cancelled { file: String },
    #[error("{file}: {source}")]
    Store { file: String, source: StoreError },
}

impl ImportError {
    /// A stable name for the kind of refusal (the UI's `kind`).
    pub fn kind(&self) -> &'static str {
        match self {
            ImportError::Unopenable { .. } => "unopenable",
            ImportError::NotASpreadsheet { .. } => "not_a_spreadsheet",
            ImportError::Damaged { .. } => "damaged",
            ImportError::NoOutcomeColumn { .. } => "no_outcome_column",
            ImportError::NoLeadRows { .. } => "no_lead_rows",
            ImportError::Mapping { .. } => "mapping",
            ImportError::Cancelled { .. } => "cancelled",
            ImportError::Store { .. } => "store",
        }
    }
}

/// How far an import is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    pub rows: u64,
    /// 0.0..=1.0 where the format tells how far through the sheet the reader is.
    pub fraction: Option<f64>,
}

#[derive(Default)]
pub struct ImportOptions<'a> {
    /// Roles named by the user (`--map source="Kolom X"`): remembered for this header.
    pub mapping: Vec<(Role, String)>,
    pub progress: Option<&'a (dyn Fn(Progress) + Sync)>,
    pub cancel: Option<&'a AtomicBool>,
}

/// What an import did, for the import report.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportReport {
    pub record: ImportRecord,
    pub format: &'static str,
    /// The file was imported before: nothing changed.
    pub already_imported: bool,
    pub issues: Vec<RowIssue>,
}

const BATCH: usize = 4096;
const HEADER_SEARCH_ROWS: usize = 30;
const READER_THREAD: &str = "workbook-reader";

pub fn import_file(store: &mut Store, path: &Path, options: &ImportOptions<'_>) -> Result<ImportReport, ImportError> {
    let file = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let bytes = std::fs::read(path).map_err(|e| ImportError::Unopenable { file: file.clone(), reason: io_reason(&e) })?;
    import_bytes(store, &file, bytes, options)
}

/// Imports a report already read; `file` is its name, for the messages and
/// the history (and, by its extension, a hint of its format).
pub fn import_bytes(store: &mut Store, file: &str, bytes: Vec<u8>, options: &ImportOptions<'_>) -> Result<ImportReport, ImportError> {
    let file = file.to_owned();
    let path = Path::new(&file);
    let store_error = |source| ImportError::Store { file: file.clone(), source };
    let content_hash = hex(&Sha256::digest(&bytes));
    if options.mapping.is_empty() {
        if let Some(record) = store.import_with_hash(&content_hash).map_err(store_error)? {
            return Ok(ImportReport { record, format: "", already_imported: true, issues: Vec::new() });
        }
    }
    let format = detect::detect(&bytes).map_err(|why| ImportError::NotASpreadsheet { file: file.clone(), reason: why.to_string() })?;
    let remembered = store.remembered_mappings().map_err(store_error)?;
    let salt = store.salt().to_vec();
    let plan = ParsePlan {
        file: &file,
        format,
        name_note: misnamed(path, format),
        mapping: &options.mapping,
        remembered: &remembered,
        salt: &salt,
    };

    let mut writer = store
        .begin_import(NewImport { file_name: file.clone(), content_hash })
        .map_err(store_error)?;
    let (sender, receiver) = mpsc::sync_channel::<Vec<Lead>>(4);
    let outcome = std::thread::scope(|scope| {
        let reader = std::thread::Builder::new()
            .name(READER_THREAD.into())
            .spawn_scoped(scope, || parse(bytes, &plan, sender, options));
        let reader = match reader {
            Ok(handle) => handle,
            Err(e) => return Err(ImportError::Unopenable { file: file.clone(), reason: e.to_string() }),
        };
        let mut write_error = None;
        for batch in receiver.iter() {
            if let Err(e) = writer.add(&batch) {
                write_error = Some(e);
                break;
            }
        }
        // Dropping the receiver stops a reader still sending after a write error.
        drop(receiver);
        let parsed = reader.join();
        if let Some(e) = write_error {
            return Err(ImportError::Store { file: file.clone(), source: e });
        }
        match parsed {
            Ok(result) => result,
            Err(panic) => Err(ImportError::Damaged {
                file: file.clone(),
                format: format.name(),
                reason: format!("the reader failed on it ({}); the file is probably damaged", panic_text(&panic)),
            }),
        }
    });
    // On any refusal the writer is dropped here, uncommitted: the store is as it was.
    let parsed = outcome?;
    let record = writer.commit(parsed.summary, &parsed.issues).map_err(store_error)?;
    if let Some(signature) = parsed.signature.filter(|_| !options.mapping.is_empty()) {
        let mapping: Vec<(String, String)> = options.mapping.iter().map(|(r, c)| (r.key().to_string(), c.clone())).collect();
        store.remember_mapping(&signature, &mapping).map_err(store_error)?;
    }
    Ok(ImportReport { record, format: format.name(), already_imported: false, issues: parsed.issues })
}

struct ParsePlan<'a> {
    file: &'a str,
    format: Format,
    /// Set when the name says another format than the bytes.
    name_note: Option<String>,
    mapping: &'a [(Role, String)],
    remembered: &'a HashMap<String, Vec<(String, String)>>,
    salt: &'a [u8],
}

struct Parsed {
    summary: ImportSummary,
    issues: Vec<RowIssue>,
    /// The lead sheets' header layout, for remembering a user's mapping.
    signature: Option<String>,
}

/// A sheet's header row, found among its first rows.
#[derive(Debug, Clone)]
pub struct Header {
    pub sheet: String,
    /// 0-based row index.
    pub row: u32,
    pub headers: Vec<String>,
    pub map: ColumnMap,
    pub signature: String,
    /// The mapping came from an earlier import with the same header.
    pub remembered: bool,
}

fn parse(
    bytes: Vec<u8>,
    plan: &ParsePlan<'_>,
    sender: mpsc::SyncSender<Vec<Lead>>,
    options: &ImportOptions<'_>,
) -> Result<Parsed, ImportError> {
    let file = plan.file.to_owned();
    let damaged = |reason: String| ImportError::Damaged { file: file.clone(), format: plan.format.name(), reason };
    let (mut book, encoding) = Workbook::open(bytes, plan.format).map_err(damaged)?;
    let mut notes: Vec<String> = plan.name_note.iter().cloned().collect();
    if let Some(encoding) = encoding {
        notes.push(format!("read as {} in {encoding}", plan.format.with_article()));
    }
    let (lead_sheets, skipped) = find_lead_sheets(&mut book, plan)?;
    notes.extend(skipped);
    let name_branches = lead_sheets.len() > 1;
    let is_1904 = book.is_1904();
    let mut summary = ImportSummary { sheets: Vec::new(), rows_read: 0, notes, issue_count: 0 };
    let mut issues = Vec::new();
    let mut batch = Vec::with_capacity(BATCH);
    for header in &lead_sheets {
        summary.sheets.push(header.sheet.clone());
        summary.notes.extend(header.map.notes.iter().map(|n| format!("sheet {}: {n}", header.sheet)));
        if header.remembered {
            summary.notes.push(format!("sheet {}: columns assigned as you mapped them before for this layout", header.sheet));
        }
        let sheet_branch = (name_branches && header.map.column(Role::Branch).is_none()).then(|| header.sheet.clone());
        if let Some(branch) = &sheet_branch {
            summary.notes.push(format!("sheet {branch} has no branch column: its leads belong to branch \"{branch}\""));
        }
        let mut reader = SheetReader::new(&header.sheet, header.headers.clone(), &header.map, sheet_branch, plan.salt, is_1904);
        let mut rows = book.rows(&header.sheet).map_err(damaged)?;
        rows.keep_columns(kept_columns(&header.map, header.headers.len()));
        let mut totals = Vec::new();
        while let Some((row, cells)) = rows.next_row().map_err(|e| damaged(format!("sheet {}: {e}", header.sheet)))? {
            if row <= header.row {
                continue;
            }
            match reader.classify(&cells) {
                RowKind::Blank | RowKind::RepeatedHeader => continue,
                RowKind::Total => {
                    totals.push(row + 1);
                    continue;
                }
                RowKind::Lead => {}
            }
            summary.rows_read += 1;
            reader.read(row, &cells, &mut batch);
            if summary.rows_read % 1024 == 0 {
                if options.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
                    return Err(ImportError::Cancelled { file });
                }
                if let Some(progress) = options.progress {
                    progress(Progress { rows: summary.rows_read, fraction: rows.fraction_done() });
                }
            }
            if batch.len() >= BATCH && sender.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH))).is_err() {
                // The writer stopped; it reports why.
                return Err(ImportError::Cancelled { file });
            }
        }
        reader.finish(&mut batch);
        if !totals.is_empty() {
            let rows: Vec<String> = totals.iter().map(u32::to_string).collect();
            summary.notes.push(format!("sheet {}: totals row {} skipped", header.sheet, rows.join(", ")));
        }
        summary.notes.append(&mut reader.notes);
        issues.append(&mut reader.issues);
    }
    if summary.rows_read == 0 {
        let sheets: Vec<String> = lead_sheets.iter().map(|h| format!("\"{}\"", h.sheet)).collect();
        return Err(ImportError::NoLeadRows {
            file,
            detail: format!("{} has a header row but no lead rows under it", sheets.join(", ")),
        });
    }
    if !batch.is_empty() && sender.send(batch).is_err() {
        return Err(ImportError::Cancelled { file });
    }
    if options.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
        return Err(ImportError::Cancelled { file });
    }
    if let Some(progress) = options.progress {
        progress(Progress { rows: summary.rows_read, fraction: Some(1.0) });
    }
    summary.issue_count = issues.len() as u64;
    let signature = lead_sheets.first().map(|h| h.signature.clone());
    Ok(Parsed { summary, issues, signature })
}

/// The header of every sheet, and which sheets are lead lists: those with an
/// outcome column whose roles match the richest such sheet's. Returns the
/// lead sheets and notes on the sheets skipped.
fn find_lead_sheets(book: &mut Workbook, plan: &ParsePlan<'_>) -> Result<(Vec<Header>, Vec<String>), ImportError> {
    let file = plan.file.to_owned();
    let mut headers = Vec::new();
    let mut first_rows: Vec<String> = Vec::new();
    for sheet in book.sheet_names() {
        let merges = book.merged_cells(&sheet);
        let mut rows = book.rows(&sheet).map_err(|reason| ImportError::Damaged {
            file: file.clone(),
            format: plan.format.name(),
            reason: format!("sheet {sheet}: {reason}"),
        })?;
        let found = find_header(&sheet, rows.as_mut(), &merges, plan.mapping, plan.remembered)
            .map_err(|message| ImportError::Mapping { file: file.clone(), message })?;
        match found {
            Ok(header) => headers.push(header),
            Err(texts) if first_rows.is_empty() => first_rows = texts,
            Err(_) => {}
        }
    }
    let with_outcome: Vec<&Header> = headers.iter().filter(|h| h.map.has_outcome()).collect();
    let Some(best) = with_outcome.iter().max_by_key(|h| h.map.roles.len()) else {
        let (place, found) = match headers.first() {
            Some(h) => (format!(" (sheet {}, header row {})", h.sheet, h.row + 1), columns::quoted_list(&h.headers)),
            None if first_rows.is_empty() => (String::new(), "none (the file has no text)".to_string()),
            None => (" (no header row in the first rows)".to_string(), columns::quoted_list(&first_rows)),
        };
        if headers.is_empty() && first_rows.is_empty() {
            return Err(ImportError::NoLeadRows { file, detail: "the file holds no rows".to_string() });
        }
        return Err(ImportError::NoOutcomeColumn { file, place, found });
    };
    let best_roles: BTreeSet<Role> = best.map.roles.keys().copied().collect();
    let mut lead_sheets = Vec::new();
    let mut notes = Vec::new();
    for header in &headers {
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

/// The row among the first ones that names the most roles. `Ok(Err(texts))`:
/// no header row, with the first row's texts for the message.
fn find_header(
    sheet: &str,
    rows: &mut dyn RowSource,
    merges: &[calamine::Dimensions],
    mapping: &[(Role, String)],
    remembered: &HashMap<String, Vec<(String, String)>>,
) -> Result<Result<Header, Vec<String>>, String> {
    let mut window: Vec<(u32, Vec<String>)> = Vec::new();
    while window.len() < HEADER_SEARCH_ROWS {
        let Some((row, cells)) = rows.next_row()? else { break };
        if cells.iter().all(Cell::is_empty) {
            continue;
        }
        window.push((row, cells.iter().map(|c| c.as_text().unwrap_or_default()).collect()));
    }
    fill_vertical_merges(&mut window, merges);
    let mut best: Option<(usize, usize)> = None;
    for (index, (_, texts)) in window.iter().enumerate() {
        let signature = signature(texts);
        let named = mapping.iter().filter(|(_, col)| texts.iter().any(|t| columns::normalise_header(t) == columns::normalise_header(col))).count();
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
        return Ok(Err(window.into_iter().next().map(|(_, t)| t).unwrap_or_default()));
    };
    let (row, headers) = window.swap_remove(index);
    let signature = signature(&headers);
    let stored = remembered.get(&signature);
    let manual: Vec<(Role, String)> = if !mapping.is_empty() {
        mapping.to_vec()
    } else {
        stored
            .map(|m| m.iter().filter_map(|(role, col)| Role::parse(role).map(|r| (r, col.clone()))).collect())
            .unwrap_or_default()
    };
    let map = ColumnMap::recognise(&headers, &manual).map_err(|e| format!("sheet {sheet}: {e}"))?;
    Ok(Ok(Header { sheet: sheet.to_owned(), row, headers, map, signature, remembered: mapping.is_empty() && stored.is_some() }))
}

/// A header cell merged over two header rows counts in both.
fn fill_vertical_merges(window: &mut [(u32, Vec<String>)], merges: &[calamine::Dimensions]) {
    for merge in merges.iter().filter(|m| m.start.1 == m.end.1 && m.start.0 < m.end.0) {
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

/// Role columns, and every column before the first of them (where a
/// "Totaal" label stands).
fn kept_columns(map: &ColumnMap, width: usize) -> Vec<bool> {
    let first = map.roles.values().copied().min().unwrap_or(0);
    let width = width.max(map.roles.values().copied().max().map_or(0, |m| m + 1));
    (0..width).map(|c| c <= first || map.role_of(c).is_some()).collect()
}

/// "named .csv but is an Excel workbook (.xlsx): read as that".
fn misnamed(path: &Path, format: Format) -> Option<String> {
    let extension = path.extension()?.to_str()?.to_lowercase();
    let expected = match extension.as_str() {
        "xlsx" | "xlsm" => Format::Xlsx,
        "xlsb" => Format::Xlsb,
        "xls" => Format::Xls,
        "ods" => Format::Ods,
        "csv" | "txt" | "tsv" => Format::Csv,
        "htm" | "html" => Format::Html,
        _ => return None,
    };
    (expected != format).then(|| format!("the file is named .{extension} but is {}: read as that", format.with_article()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "no permission to read it".to_string(),
        _ if error.raw_os_error() == Some(21) => "it is a folder, not a file".to_string(),
        _ => error.to_string(),
    }
}

fn panic_text(payload: &Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown error".to_string())
}

/// Keeps panics in the workbook reader thread off the terminal: they become
/// the file's refusal message instead.
pub fn quiet_reader_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().name() != Some(READER_THREAD) {
            default(info);
        }
    }));
}
