//! Lead reports in, leads out: format detection, header recognition, row
//! reading, and the hand-over to the store in one transaction per file.
//!
//! The workbook is parsed on its own thread while this thread writes what
//! it has read: parsing and writing overlap, and a panic inside a reader
//! library on a malformed file ends that thread, not the app.

mod archive;
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
use crate::store::{ImportRecord, ImportSummary, ImportWriter, NewImport, Store, StoreError};
use archive::SharedBytes;
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
    /// Columns the user chose not to use (the preview's "not used"): remembered too.
    pub ignored: Vec<String>,
    pub progress: Option<&'a (dyn Fn(Progress) + Sync)>,
    pub cancel: Option<&'a AtomicBool>,
}

/// What an import did, for the import report.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportReport {
    pub record: ImportRecord,
    /// The file was imported before: nothing changed.
    pub already_imported: bool,
    pub issues: Vec<RowIssue>,
}

const BATCH: usize = 512;
const HEADER_SEARCH_ROWS: usize = 30;
const READER_THREAD: &str = "workbook-reader";

/// The name a file goes by in messages and the history.
pub fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

pub fn import_file(store: &mut Store, path: &Path, options: &ImportOptions<'_>) -> Result<ImportReport, ImportError> {
    let file = file_name(path);
    let bytes = std::fs::read(path).map_err(|e| ImportError::Unopenable { file: file.clone(), reason: io_reason(&e) })?;
    import_bytes(store, &file, bytes, options)
}

/// Imports a report already read; `file` is its name, for the messages and
/// the history (and, by its extension, a hint of its format).
pub fn import_bytes(store: &mut Store, file: &str, bytes: Vec<u8>, options: &ImportOptions<'_>) -> Result<ImportReport, ImportError> {
    let file = file.to_owned();
    let path = Path::new(&file);
    let store_error = |source| ImportError::Store { file: file.clone(), source };
    let format = detect::detect(&bytes).map_err(|why| ImportError::NotASpreadsheet { file: file.clone(), reason: why.to_string() })?;
    let bytes = SharedBytes::new(bytes);
    let remembered = store.remembered_mappings().map_err(store_error)?;
    let salt = store.salt().to_vec();
    let plan = ParsePlan { file: &file, format, name_note: misnamed(path, format), options, remembered: &remembered };
    let mut leads = LeadRows::new(&salt);
    let outcome = read_while_consuming(
        |sender| read_rows(&bytes, &plan, sender, options),
        || {
            // The file is hashed while the reader opens the workbook.
            let content_hash = hex(&Sha256::digest(bytes.as_ref()));
            if !options.is_manual() {
                if let Some(record) = store.import_with_hash(&content_hash).map_err(ReadFailure::Store)? {
                    return Err(ReadFailure::Known(record));
                }
            }
            store.begin_import(NewImport { file_name: file.clone(), content_hash }).map_err(ReadFailure::Store)
        },
        |writer, message| leads.take(message, writer).map_err(ReadFailure::Store),
    );
    // On any refusal the writer was dropped, uncommitted: the store is as it was.
    let (read, mut writer) = match outcome {
        Ok(done) => done,
        Err(ReadFailure::Known(record)) => return Ok(ImportReport { record, already_imported: true, issues: Vec::new() }),
        Err(failure) => return Err(failure.into_error(&file, format)),
    };
    let parsed = leads.finish(read, &mut writer).map_err(store_error)?;
    if parsed.summary.rows_read == 0 {
        return Err(ImportError::NoLeadRows {
            file,
            detail: format!("{} has a header row but no lead rows under it", columns::quoted_list(&parsed.summary.sheets)),
        });
    }
    let mut summary = parsed.summary;
    if let Some(signature) = parsed.signature.filter(|_| options.is_manual()) {
        let roles = options.mapping.iter().map(|(r, c)| (r.key().to_string(), c.clone()));
        let ignored = options.ignored.iter().map(|c| (IGNORED.to_string(), c.clone()));
        summary.mapping = Some((signature, roles.chain(ignored).collect()));
    }
    let record = writer.commit(summary, &parsed.issues).map_err(store_error)?;
    Ok(ImportReport { record, already_imported: false, issues: parsed.issues })
}

impl ImportOptions<'_> {
    /// The user assigned columns by hand.
    fn is_manual(&self) -> bool {
        !self.mapping.is_empty() || !self.ignored.is_empty()
    }
}

/// How a remembered mapping marks a column the user chose not to use.
const IGNORED: &str = "ignore";

/// What a file holds, shown before anything is stored: the lead sheets, the
/// header row and each column with its role and first values.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    pub format: Format,
    /// The lead sheets (or, with a `problem`, the sheet shown).
    pub sheets: Vec<String>,
    /// Skipped sheets, a misnamed file, the columns' notes.
    pub notes: Vec<String>,
    /// The sheet whose columns are shown, and its header row (1-based).
    pub sheet: String,
    pub header_row: u32,
    pub columns: Vec<PreviewColumn>,
    /// Why the file cannot be imported as it stands (no outcome column):
    /// assigning a role in the preview can mend it.
    pub problem: Option<String>,
    /// Roles come from a mapping the user made before for this header.
    pub remembered: bool,
    /// This exact file was imported before.
    pub already_imported: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PreviewColumn {
    pub header: String,
    pub role: Option<Role>,
    /// The first values under the header (at most `PREVIEW_SAMPLES`).
    pub samples: Vec<String>,
}

pub const PREVIEW_SAMPLES: usize = 3;

pub fn preview_file(store: &Store, path: &Path, options: &ImportOptions<'_>) -> Result<Preview, ImportError> {
    let file = file_name(path);
    let bytes = std::fs::read(path).map_err(|e| ImportError::Unopenable { file: file.clone(), reason: io_reason(&e) })?;
    preview_bytes(store, &file, bytes, options)
}

/// The preview of a report already read; reads only the first rows, on the
/// reader thread (a panicking workbook library refuses the file, as in an import).
pub fn preview_bytes(store: &Store, file: &str, bytes: Vec<u8>, options: &ImportOptions<'_>) -> Result<Preview, ImportError> {
    let store_error = |source| ImportError::Store { file: file.to_owned(), source };
    let already_imported = store.import_with_hash(&hex(&Sha256::digest(&bytes))).map_err(store_error)?.is_some();
    let format = detect::detect(&bytes).map_err(|why| ImportError::NotASpreadsheet { file: file.to_owned(), reason: why.to_string() })?;
    let remembered = store.remembered_mappings().map_err(store_error)?;
    let plan = ParsePlan { file, format, name_note: misnamed(Path::new(file), format), options, remembered: &remembered };
    let damaged = |reason: String| ImportError::Damaged { file: file.to_owned(), format: format.name(), reason };
    let bytes = SharedBytes::new(bytes);
    let read = |_: mpsc::SyncSender<()>| -> Result<Preview, ImportError> {
        let (mut book, _) = Workbook::open(&bytes, format).map_err(damaged)?;
        let (headers, first_rows) = read_headers(&mut book, &plan)?;
        let mut notes: Vec<String> = plan.name_note.iter().cloned().collect();
        let (shown, sheets, problem) = match choose_lead_sheets(&headers, &first_rows, file) {
            Ok((lead_sheets, mut skipped)) => {
                notes.append(&mut skipped);
                let names = lead_sheets.iter().map(|h| h.sheet.clone()).collect();
                (lead_sheets.into_iter().next(), names, None)
            }
            Err(error @ ImportError::NoOutcomeColumn { .. }) => {
                let best = headers.into_iter().max_by_key(|h| h.map.roles.len());
                (best.clone(), best.map(|h| vec![h.sheet]).unwrap_or_default(), Some(error.to_string()))
            }
            Err(error) => return Err(error),
        };
        let Some(shown) = shown else {
            return Err(ImportError::NoLeadRows { file: file.to_owned(), detail: "no sheet has a header row".into() });
        };
        notes.extend(shown.map.notes.iter().cloned());
        let mut samples = vec![Vec::new(); shown.headers.len()];
        let mut rows = book.rows(&shown.sheet).map_err(damaged)?;
        let mut found = 0;
        while found < PREVIEW_SAMPLES {
            let Some((row, cells)) = rows.next_row().map_err(damaged)? else { break };
            if row <= shown.row || cells.iter().all(Cell::is_empty) {
                continue;
            }
            found += 1;
            for (column, cell) in cells.iter().enumerate().take(samples.len()) {
                samples[column].push(cell.as_text().unwrap_or_default());
            }
        }
        let columns = shown
            .headers
            .iter()
            .zip(samples)
            .enumerate()
            .map(|(i, (header, samples))| PreviewColumn { header: header.clone(), role: shown.map.role_of(i), samples })
            .collect();
        Ok(Preview {
            format,
            sheets,
            notes,
            sheet: shown.sheet,
            header_row: shown.row + 1,
            columns,
            problem,
            remembered: shown.remembered,
            already_imported,
        })
    };
    read_while_consuming(read, || Ok(()), |_, ()| Ok(())).map(|(preview, ())| preview).map_err(|failure| failure.into_error(file, format))
}

struct ParsePlan<'a> {
    file: &'a str,
    format: Format,
    /// Set when the name says another format than the bytes.
    name_note: Option<String>,
    options: &'a ImportOptions<'a>,
    remembered: &'a HashMap<String, Vec<(String, String)>>,
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

/// What the reader thread sends: a lead sheet's header, then its rows.
enum Message {
    Sheet {
        header: Box<Header>,
        branch: Option<String>,
        is_1904: bool,
    },
    /// Rows, and the texts of the names first used in them (`Cell::Name`).
    Rows(Vec<(u32, Vec<Cell>)>, Vec<String>),
}

/// What the reader found besides rows.
struct ReadSummary {
    notes: Vec<String>,
    signature: Option<String>,
}

/// The reader thread: opens the workbook, finds the lead sheets and sends
/// their rows as they are read. Making leads of them happens on the other
/// thread, beside the writing, so the two threads share the work.
fn read_rows(
    bytes: &SharedBytes,
    plan: &ParsePlan<'_>,
    sender: mpsc::SyncSender<Message>,
    options: &ImportOptions<'_>,
) -> Result<ReadSummary, ImportError> {
    let file = plan.file.to_owned();
    let damaged = |reason: String| ImportError::Damaged { file: file.clone(), format: plan.format.name(), reason };
    let cancelled = || ImportError::Cancelled { file: file.clone() };
    let (mut book, encoding) = Workbook::open(bytes, plan.format).map_err(damaged)?;
    let mut notes: Vec<String> = plan.name_note.iter().cloned().collect();
    if let Some(encoding) = encoding {
        notes.push(format!("read as {} in {encoding}", plan.format.with_article()));
    }
    let (lead_sheets, skipped) = find_lead_sheets(&mut book, plan)?;
    notes.extend(skipped);
    let is_1904 = book.is_1904();
    let mut read = 0u64;
    for header in &lead_sheets {
        let branch = (lead_sheets.len() > 1 && header.map.column(Role::Branch).is_none()).then(|| header.sheet.clone());
        sender.send(Message::Sheet { header: Box::new(header.clone()), branch, is_1904 }).map_err(|_| cancelled())?;
        let mut rows = book.rows(&header.sheet).map_err(damaged)?;
        rows.keep_columns(kept_columns(&header.map, header.headers.len()));
        rows.name_columns(name_columns(&header.map));
        let mut batch = Vec::with_capacity(BATCH);
        while let Some((row, cells)) = rows.next_row().map_err(|e| damaged(format!("sheet {}: {e}", header.sheet)))? {
            if row <= header.row {
                continue;
            }
            batch.push((row, cells));
            if batch.len() == BATCH {
                read += BATCH as u64;
                if options.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
                    return Err(cancelled());
                }
                if let Some(progress) = options.progress {
                    progress(Progress { rows: read, fraction: rows.fraction_done() });
                }
                // A closed channel: the writer stopped, and reports why.
                let rows_read = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                sender.send(Message::Rows(rows_read, rows.new_names())).map_err(|_| cancelled())?;
            }
        }
        read += batch.len() as u64;
        sender.send(Message::Rows(batch, rows.new_names())).map_err(|_| cancelled())?;
    }
    if options.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
        return Err(cancelled());
    }
    if let Some(progress) = options.progress {
        progress(Progress { rows: read, fraction: Some(1.0) });
    }
    Ok(ReadSummary { notes, signature: lead_sheets.first().map(|h| h.signature.clone()) })
}

/// Rows into leads into the store, sheet by sheet, with the import report's
/// notes and issues.
struct LeadRows<'a> {
    salt: &'a [u8],
    sheet: Option<(SheetReader, Vec<u32>)>,
    /// The sheet's names so far, by number (`Cell::Name`).
    names: Vec<String>,
    summary: ImportSummary,
    issues: Vec<RowIssue>,
    /// Leads read and not yet written.
    ready: Vec<Lead>,
}

impl<'a> LeadRows<'a> {
    fn new(salt: &'a [u8]) -> Self {
        LeadRows {
            salt,
            sheet: None,
            names: Vec::new(),
            summary: ImportSummary::default(),
            issues: Vec::new(),
            ready: Vec::with_capacity(BATCH),
        }
    }

    fn take(&mut self, message: Message, writer: &mut ImportWriter<'_>) -> Result<(), StoreError> {
        match message {
            Message::Sheet { header, branch, is_1904 } => {
                self.finish_sheet(writer)?;
                self.names.clear();
                self.start_sheet(*header, branch, is_1904);
            }
            Message::Rows(rows, mut names) => {
                self.names.append(&mut names);
                let Some((reader, totals)) = self.sheet.as_mut() else { return Ok(()) };
                for (row, mut cells) in rows {
                    for cell in &mut cells {
                        cell.resolve(&self.names);
                    }
                    match reader.classify(&cells) {
                        RowKind::Blank | RowKind::RepeatedHeader => {}
                        RowKind::Total => totals.push(row + 1),
                        RowKind::Lead => {
                            self.summary.rows_read += 1;
                            reader.read(row, cells, &mut self.ready);
                        }
                    }
                }
                writer.add(&self.ready)?;
                self.ready.clear();
            }
        }
        Ok(())
    }

    fn start_sheet(&mut self, header: Header, branch: Option<String>, is_1904: bool) {
        let sheet = &header.sheet;
        self.summary.sheets.push(sheet.clone());
        self.summary.notes.extend(header.map.notes.iter().map(|n| format!("sheet {sheet}: {n}")));
        if header.remembered {
            self.summary.notes.push(format!("sheet {sheet}: columns assigned as you mapped them before for this layout"));
        }
        if let Some(branch) = &branch {
            self.summary.notes.push(format!("sheet {branch} has no branch column: its leads belong to branch \"{branch}\""));
        }
        let reader = SheetReader::new(sheet, header.headers, header.map, branch, self.salt.to_vec(), is_1904);
        self.sheet = Some((reader, Vec::new()));
    }

    fn finish_sheet(&mut self, writer: &mut ImportWriter<'_>) -> Result<(), StoreError> {
        let Some((mut reader, totals)) = self.sheet.take() else { return Ok(()) };
        reader.finish(&mut self.ready);
        writer.add(&self.ready)?;
        self.ready.clear();
        if !totals.is_empty() {
            let rows: Vec<String> = totals.iter().map(u32::to_string).collect();
            self.summary.notes.push(format!("sheet {}: totals row {} skipped", reader.sheet(), rows.join(", ")));
        }
        self.summary.notes.append(&mut reader.notes);
        self.issues.append(&mut reader.issues);
        Ok(())
    }

    /// The last sheet's leads, and the summary with the reader's notes first.
    fn finish(mut self, read: ReadSummary, writer: &mut ImportWriter<'_>) -> Result<Parsed, StoreError> {
        self.finish_sheet(writer)?;
        let mut notes = read.notes;
        notes.append(&mut self.summary.notes);
        self.summary.notes = notes;
        self.summary.issue_count = self.issues.len() as u64;
        Ok(Parsed { summary: self.summary, issues: self.issues, signature: read.signature })
    }
}

/// The header of every sheet, and which sheets are lead lists: those with an
/// outcome column whose roles match the richest such sheet's. Returns the
/// lead sheets and notes on the sheets skipped.
fn find_lead_sheets(book: &mut Workbook, plan: &ParsePlan<'_>) -> Result<(Vec<Header>, Vec<String>), ImportError> {
    let (headers, first_rows) = read_headers(book, plan)?;
    choose_lead_sheets(&headers, &first_rows, plan.file)
}

/// Each sheet's header row, where it has one; without any, the first row's
/// texts of the first sheet (for the message).
fn read_headers(book: &mut Workbook, plan: &ParsePlan<'_>) -> Result<(Vec<Header>, Vec<String>), ImportError> {
    let file = plan.file.to_owned();
    let mut headers = Vec::new();
    let mut first_rows: Vec<String> = Vec::new();
    for sheet in book.sheet_names() {
        let search = |book: &mut Workbook, merges: &[calamine::Dimensions]| {
            let mut rows = book.rows(&sheet).map_err(|reason| ImportError::Damaged {
                file: file.clone(),
                format: plan.format.name(),
                reason: format!("sheet {sheet}: {reason}"),
            })?;
            find_header(&sheet, rows.as_mut(), merges, plan.options, plan.remembered)
                .map_err(|message| ImportError::Mapping { file: file.clone(), message })
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
fn choose_lead_sheets(headers: &[Header], first_rows: &[String], file: &str) -> Result<(Vec<Header>, Vec<String>), ImportError> {
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
    rows: &mut dyn RowSource,
    merges: &[calamine::Dimensions],
    options: &ImportOptions<'_>,
    remembered: &HashMap<String, Vec<(String, String)>>,
) -> Result<HeaderSearch, String> {
    let mapping = &options.mapping;
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
    let signature = signature(&headers);
    let stored = remembered.get(&signature).filter(|_| !options.is_manual());
    let (manual, ignored): (Vec<(Role, String)>, Vec<String>) = match stored {
        None => (mapping.clone(), options.ignored.clone()),
        Some(pairs) => (
            pairs.iter().filter_map(|(role, col)| Role::parse(role).map(|r| (r, col.clone()))).collect(),
            pairs.iter().filter(|(role, _)| role == IGNORED).map(|(_, col)| col.clone()).collect(),
        ),
    };
    let map = ColumnMap::recognise(&headers, &manual, &ignored).map_err(|e| format!("sheet {sheet}: {e}"))?;
    Ok(HeaderSearch::Found(Header { sheet: sheet.to_owned(), row, headers, map, signature, remembered: stored.is_some() }))
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

/// Columns whose texts repeat from row to row (sources, salespeople,
/// statuses, ...): the reader passes them by number.
fn name_columns(map: &ColumnMap) -> Vec<bool> {
    let width = map.roles.values().copied().max().map_or(0, |m| m + 1);
    (0..width).map(|c| map.role_of(c).is_some_and(Role::is_name)).collect()
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

enum ReadFailure {
    Refused(ImportError),
    Store(StoreError),
    /// The reader (a workbook library, on a malformed file) panicked.
    Panicked(String),
    /// The file was imported before: nothing to do.
    Known(ImportRecord),
}

impl ReadFailure {
    fn into_error(self, file: &str, format: Format) -> ImportError {
        match self {
            ReadFailure::Refused(error) => error,
            ReadFailure::Store(source) => ImportError::Store { file: file.to_owned(), source },
            ReadFailure::Panicked(panic) => ImportError::Damaged {
                file: file.to_owned(),
                format: format.name(),
                reason: format!("the reader failed on it ({panic}); the file is probably damaged"),
            },
            ReadFailure::Known(record) => {
                ImportError::Mapping { file: file.to_owned(), message: format!("already imported as import {}", record.id) }
            }
        }
    }
}

/// Runs `read` on a thread of its own; meanwhile `start` runs here (the
/// store's side of the work, beside the reader's opening of the workbook),
/// then each message the reader sends goes to `consume` as it comes, so
/// reading and writing overlap. A panic in `read` ends its thread only and
/// comes back as `Panicked`; on any failure what `start` made (the store
/// writer) is dropped, uncommitted.
fn read_while_consuming<M: Send, T: Send, S>(
    read: impl FnOnce(mpsc::SyncSender<M>) -> Result<T, ImportError> + Send,
    start: impl FnOnce() -> Result<S, ReadFailure>,
    mut consume: impl FnMut(&mut S, M) -> Result<(), ReadFailure>,
) -> Result<(T, S), ReadFailure> {
    let (sender, receiver) = mpsc::sync_channel::<M>(4);
    std::thread::scope(|scope| {
        let reader = std::thread::Builder::new()
            .name(READER_THREAD.into())
            .spawn_scoped(scope, move || read(sender))
            .map_err(|e| ReadFailure::Panicked(e.to_string()))?;
        let mut consumed = start();
        if let Ok(state) = consumed.as_mut() {
            for message in receiver.iter() {
                if let Err(failure) = consume(state, message) {
                    consumed = Err(failure);
                    break;
                }
            }
        }
        // Dropping the receiver stops a reader still sending after a failure.
        drop(receiver);
        let read = reader.join();
        let state = consumed?;
        match read {
            Ok(result) => result.map(|read| (read, state)).map_err(ReadFailure::Refused),
            Err(panic) => Err(ReadFailure::Panicked(panic_text(&panic))),
        }
    })
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
        if !matches!(std::thread::current().name(), Some(READER_THREAD | archive::INFLATE_THREAD)) {
            default(info);
        }
    }));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ResponseBucket;

    fn lead(n: u8) -> Lead {
        Lead {
            identity: [n; 16],
            created: None,
            first_contact: None,
            sale_date: None,
            source: Some("Website".into()),
            salesperson: None,
            branch: None,
            status: Some("Verkocht".into()),
            brand: None,
            model: None,
            lead_type: None,
            kind: None,
            sold_flag: false,
            has_phone: false,
            response: ResponseBucket::None,
        }
    }

    #[test]
    fn a_reader_panic_mid_file_is_a_refusal_and_stores_nothing() {
        quiet_reader_panics();
        let mut store = Store::open_in_memory().expect("store");
        let failure = {
            let outcome = read_while_consuming(
                |sender| -> Result<(), ImportError> {
                    sender.send(vec![lead(1), lead(2)]).ok();
                    panic!("index out of bounds in a malformed record");
                },
                || store.begin_import(NewImport { file_name: "kapot.xlsx".into(), content_hash: "x".into() }).map_err(ReadFailure::Store),
                |writer, leads| writer.add(&leads).map_err(ReadFailure::Store),
            );
            match outcome {
                Err(ReadFailure::Panicked(message)) => message,
                _ => panic!("the panic must come back as a failure"),
            }
        };
        assert!(failure.contains("index out of bounds"), "{failure}");
        assert!(store.imports().expect("imports").is_empty(), "the writer was dropped uncommitted");
        assert!(store.rollup(crate::model::Dimension::Source, None).expect("rollup").is_empty());
    }

    fn data(file: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data").join(file)
    }

    #[test]
    fn a_preview_shows_roles_and_first_values_and_stores_nothing() {
        let store = Store::open_in_memory().expect("store");
        let preview = preview_file(&store, &data("fixtures/export_1252.csv"), &ImportOptions::default()).expect("preview");
        assert_eq!((preview.sheets.clone(), preview.header_row, preview.problem.clone()), (vec!["CSV".to_string()], 2, None));
        let column = |header: &str| preview.columns.iter().find(|c| c.header == header).expect("column");
        assert_eq!(column("Bron").role, Some(Role::Source));
        assert_eq!(column("Bron").samples, ["Website", "Website", "Telefoon"]);
        assert_eq!(column("Verkoper").samples[1], "René van Dijk", "read as Windows-1252");
        assert!(store.imports().expect("imports").is_empty());
        assert!(preview_file(&store, &data("fixtures/truncated.xlsx"), &ImportOptions::default()).is_err());
        assert!(matches!(
            preview_file(&store, &data("fixtures/not_a_spreadsheet.xlsx"), &ImportOptions::default()),
            Err(ImportError::NotASpreadsheet { .. })
        ));
    }

    #[test]
    fn a_role_named_in_the_preview_mends_a_file_and_is_remembered() {
        let mut store = Store::open_in_memory().expect("store");
        let path = data("fixtures/unnamed_outcome.csv");
        let preview = preview_file(&store, &path, &ImportOptions::default()).expect("preview");
        assert!(preview.problem.as_deref().is_some_and(|p| p.contains("no recognisable outcome column")), "{:?}", preview.problem);
        assert_eq!(
            preview.columns.iter().map(|c| c.header.as_str()).collect::<Vec<_>>(),
            ["Leadnummer", "Datum", "Bron", "Verkoper", "Afloop", "Regio"]
        );
        assert!(matches!(import_file(&mut store, &path, &ImportOptions::default()), Err(ImportError::NoOutcomeColumn { .. })));

        let chosen =
            ImportOptions { mapping: vec![(Role::Status, "Afloop".into())], ignored: vec!["Bron".into()], ..ImportOptions::default() };
        let mended = preview_file(&store, &path, &chosen).expect("preview");
        assert_eq!(mended.problem, None);
        let role = |p: &Preview, header: &str| p.columns.iter().find(|c| c.header == header).and_then(|c| c.role);
        assert_eq!((role(&mended, "Afloop"), role(&mended, "Bron")), (Some(Role::Status), None));
        let report = import_file(&mut store, &path, &chosen).expect("imports");
        assert_eq!(report.record.leads, 4);
        let by_source = crate::metrics::report(&store, crate::model::Dimension::Source, crate::metrics::Period::ALL).expect("report");
        assert_eq!((by_source.total.sold, by_source.groups.len(), by_source.groups[0].name.clone()), (2, 1, None), "no source read");

        let again = preview_file(&store, &path, &ImportOptions::default()).expect("preview");
        assert!(again.remembered && again.already_imported);
        assert_eq!((role(&again, "Afloop"), role(&again, "Bron"), again.problem), (Some(Role::Status), None, None));
    }

    #[test]
    fn a_cancelled_import_stores_nothing() {
        let mut store = Store::open_in_memory().expect("store");
        let cancel = AtomicBool::new(false);
        let seen = std::sync::Mutex::new(Vec::new());
        // Cancelled from the progress report, as the window's Stop button does mid-file.
        let progress = |p: Progress| {
            seen.lock().expect("lock").push(p.rows);
            cancel.store(true, Ordering::Relaxed);
        };
        let options = ImportOptions { progress: Some(&progress), cancel: Some(&cancel), ..ImportOptions::default() };
        let result = import_file(&mut store, &data("samples/leads_q3_2023.xlsx"), &options);
        assert!(matches!(result, Err(ImportError::Cancelled { .. })), "{result:?}");
        assert_eq!(*seen.lock().expect("lock"), [BATCH as u64], "stopped at the next batch");
        assert!(store.imports().expect("imports").is_empty());
        assert!(store.lead_table().expect("table").rows.is_empty());
        let again = import_file(&mut store, &data("samples/leads_q3_2023.xlsx"), &ImportOptions::default()).expect("imports");
        assert_eq!(again.record.leads, 6000, "the file imports whole afterwards");
    }

    #[test]
    fn a_sheet_inflated_on_its_own_thread_imports_like_the_same_rows_as_text() {
        // 20,000 rows make a sheet of several MB: it reaches calamine in
        // chunks from the inflating thread (archive.rs), its header read twice.
        let header = ["Lead ID", "Aanmaakdatum", "Bron", "Verkoper", "Status"];
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        let mut csv = header.join(";") + "\n";
        for row in 0..=20_000u32 {
            let cells = match row {
                0 => header.map(String::from),
                _ => [
                    format!("L{row:06}"),
                    format!("2023-{:02}-{:02} 09:{:02}", 1 + row % 12, 1 + row % 28, row % 60),
                    ["Website", "Facebook Lead Ads", "AutoTrack", "Telefoon"][row as usize % 4].to_string(),
                    format!("Verkoper {}", row % 17),
                    if row % 7 == 0 { "Verkocht" } else { "Open" }.to_string(),
                ],
            };
            for (column, text) in cells.iter().enumerate() {
                sheet.write_string(row, column as u16, text).expect("cell");
            }
            if row > 0 {
                csv += &(cells.join(";") + "\n");
            }
        }
        let xlsx = book.save_to_buffer().expect("workbook");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&xlsx)).expect("zip");
        assert!(zip.by_name("xl/worksheets/sheet1.xml").expect("sheet").size() > 2 << 20, "a sheet of several chunks");
        let mut stores = Vec::new();
        for (file, bytes) in [("groot.xlsx", xlsx), ("groot.csv", csv.into_bytes())] {
            let mut store = Store::open_in_memory().expect("store");
            let report = import_bytes(&mut store, file, bytes, &ImportOptions::default()).expect("imports");
            assert_eq!((report.record.leads, report.issues.len()), (20_000, 0), "{file}");
            stores.push(store);
        }
        for dimension in crate::model::Dimension::ALL {
            let [xlsx, csv] = [&stores[0], &stores[1]].map(|store| store.rollup(dimension, None).expect("rollup"));
            assert!(!xlsx.is_empty());
            assert_eq!(xlsx, csv, "{dimension:?}");
        }
    }

    #[test]
    fn batches_are_written_while_the_reader_reads() {
        let mut store = Store::open_in_memory().expect("store");
        let read = read_while_consuming(
            |sender| {
                for n in 0..3 {
                    sender.send(vec![lead(n)]).map_err(|_| ImportError::Cancelled { file: "goed.xlsx".into() })?;
                }
                Ok(7)
            },
            || store.begin_import(NewImport { file_name: "goed.xlsx".into(), content_hash: "y".into() }).map_err(ReadFailure::Store),
            |writer, leads| writer.add(&leads).map_err(ReadFailure::Store),
        );
        let Ok((7, writer)) = read else { panic!("the reader's result and the writer come back") };
        let record = writer.commit(ImportSummary { rows_read: 3, ..ImportSummary::default() }, &[]).expect("commit");
        assert_eq!((record.leads, record.leads_new), (3, 3));
    }
}
