//! The two threads of an import. The `workbook-reader` thread opens the
//! workbook, finds the lead sheets and sends their rows; this thread makes
//! leads of them and writes them as they come, so parsing and writing
//! overlap. A panic inside a reader library on a malformed file ends the
//! reader's thread, not the app, and comes back as the file's refusal.

use std::sync::atomic::Ordering;
use std::sync::mpsc;

use super::archive::{self, SharedBytes};
use super::columns::{ColumnMap, Role};
use super::header::{choose_lead_sheets, read_headers, Header};
use super::rows::{RowKind, SheetReader, MAX_ISSUES_KEPT};
use super::sheets::{SheetError, Workbook};
use super::values::Cell;
use super::{Format, ImportError, ParsePlan, Progress};
use crate::model::{Lead, RowIssue};
use crate::store::{ImportRecord, ImportSummary, ImportWriter, StoreError};
use crate::vocabulary::{status_note, StatusWords};
use rustc_hash::FxHashMap as FastMap;

/// Rows per message from the reader, and leads per write: the progress and
/// a cancel are looked at once a batch.
pub(super) const BATCH: usize = 512;
const READER_THREAD: &str = "workbook-reader";

/// What the reader thread sends: a lead sheet's header, then its rows.
pub(super) enum Message {
    Sheet {
        header: Box<Header>,
        branch: Option<String>,
        is_1904: bool,
        /// A text file's rows have at most this many fields: its header's.
        fields: Option<usize>,
    },
    /// Rows, the texts of the names first used in them (`Cell::Name`), and
    /// how far the reader is through the lead sheets' rows, where it knows.
    Rows(Vec<(u32, Vec<Cell>)>, Vec<String>, Option<f64>),
}

/// What the reader found besides rows.
pub(super) struct ReadSummary {
    notes: Vec<String>,
    signature: Option<String>,
}

/// The reader thread: opens the workbook, finds the lead sheets and sends
/// their rows as they are read. Making leads of them happens on the other
/// thread, beside the writing, so the two threads share the work.
pub(super) fn read_rows(bytes: &SharedBytes, plan: &ParsePlan<'_>, sender: mpsc::SyncSender<Message>) -> Result<ReadSummary, ReadFailure> {
    let options = plan.options;
    let cancelled = || ImportError::Cancelled { file: plan.file.to_owned() };
    let (mut book, encoding) = Workbook::open(bytes, plan.format)?;
    let mut notes: Vec<String> = plan.name_note.iter().cloned().collect();
    if let Some(encoding) = encoding {
        notes.push(format!("read as {} in {encoding}", plan.format.with_article()));
    }
    let (headers, first_rows) = read_headers(&mut book, plan)?;
    let (lead_sheets, skipped) = choose_lead_sheets(&headers, &first_rows, plan.file)?;
    notes.extend(skipped);
    let is_1904 = book.is_1904();
    let mut read = 0u64;
    // How far through all lead sheets, from how far through this one.
    let through = |sheet: usize, fraction: Option<f64>| fraction.map(|f| (sheet as f64 + f) / lead_sheets.len() as f64);
    for (sheet, header) in lead_sheets.iter().enumerate() {
        let branch = (lead_sheets.len() > 1 && header.map.column(Role::Branch).is_none()).then(|| header.sheet.clone());
        // A text file's row with more fields than its header has a separator
        // inside a value: every later column is shifted (ARCHITECTURE.md).
        let fields = (plan.format == Format::Csv).then_some(header.headers.len());
        sender.send(Message::Sheet { header: Box::new(header.clone()), branch, is_1904, fields }).map_err(|_| cancelled())?;
        let mut rows = book.rows(&header.sheet)?;
        rows.keep_columns(kept_columns(&header.map, header.headers.len()));
        rows.name_columns(name_columns(&header.map));
        let mut batch = Vec::with_capacity(BATCH);
        while let Some((row, cells)) = rows.next_row()? {
            if row <= header.row {
                continue;
            }
            batch.push((row, cells));
            if batch.len() == BATCH {
                read += BATCH as u64;
                if options.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
                    return Err(cancelled().into());
                }
                if let Some(progress) = options.progress {
                    progress(Progress { rows: read, fraction: rows.fraction_done() });
                }
                // A closed channel: the writer stopped, and reports why.
                let rows_read = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                sender.send(Message::Rows(rows_read, rows.new_names(), through(sheet, rows.fraction_done()))).map_err(|_| cancelled())?;
            }
        }
        read += batch.len() as u64;
        sender.send(Message::Rows(batch, rows.new_names(), through(sheet, rows.fraction_done()))).map_err(|_| cancelled())?;
    }
    if options.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
        return Err(cancelled().into());
    }
    if let Some(progress) = options.progress {
        progress(Progress { rows: read, fraction: Some(1.0) });
    }
    Ok(ReadSummary { notes, signature: lead_sheets.first().map(|h| h.signature.clone()) })
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

/// What the rows of a file came to.
pub(super) struct Parsed {
    pub(super) summary: ImportSummary,
    pub(super) issues: Vec<RowIssue>,
    /// The lead sheets' header layout, for remembering a user's mapping.
    pub(super) signature: Option<String>,
}

/// Rows into leads into the store, sheet by sheet, with the import report's
/// notes and issues.
pub(super) struct LeadRows<'a> {
    salt: &'a [u8],
    sheet: Option<(SheetReader, Vec<u32>)>,
    /// The sheet's names so far, by number (`Cell::Name`).
    names: Vec<String>,
    summary: ImportSummary,
    issues: Vec<RowIssue>,
    /// Leads read and not yet written.
    ready: Vec<Lead>,
    /// Each status value with its leads, and whether a sale-date or
    /// converted column marks sales too: for `vocabulary::status_note`.
    statuses: FastMap<String, u64>,
    status_column: bool,
    sale_marked_otherwise: bool,
    words: &'a StatusWords,
}

impl<'a> LeadRows<'a> {
    pub(super) fn new(salt: &'a [u8], words: &'a StatusWords) -> Self {
        LeadRows {
            salt,
            sheet: None,
            names: Vec::new(),
            summary: ImportSummary::default(),
            issues: Vec::new(),
            ready: Vec::with_capacity(BATCH),
            statuses: FastMap::default(),
            status_column: false,
            sale_marked_otherwise: false,
            words,
        }
    }

    /// Writes the leads read so far, counting their status values.
    fn write_ready(&mut self, writer: &mut ImportWriter<'_>) -> Result<(), StoreError> {
        for status in self.ready.iter().filter_map(|lead| lead.status.as_deref()) {
            match self.statuses.get_mut(status) {
                Some(leads) => *leads += 1,
                None => {
                    self.statuses.insert(status.to_owned(), 1);
                }
            }
        }
        writer.add(&self.ready)?;
        self.ready.clear();
        Ok(())
    }

    pub(super) fn take(&mut self, message: Message, writer: &mut ImportWriter<'_>) -> Result<(), StoreError> {
        match message {
            Message::Sheet { header, branch, is_1904, fields } => {
                self.finish_sheet(writer)?;
                self.names.clear();
                self.start_sheet(*header, branch, is_1904, fields);
            }
            Message::Rows(rows, mut names, fraction) => {
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
                            if !reader.skip_shifted(row, cells.len()) {
                                reader.read(row, cells, &mut self.ready);
                            }
                        }
                    }
                }
                self.write_ready(writer)?;
                if let Some(fraction) = fraction {
                    writer.read_so_far(fraction)?;
                }
            }
        }
        Ok(())
    }

    fn start_sheet(&mut self, header: Header, branch: Option<String>, is_1904: bool, fields: Option<usize>) {
        let sheet = &header.sheet;
        self.summary.sheets.push(sheet.clone());
        self.summary.notes.extend(header.map.notes.iter().map(|n| format!("sheet {sheet}: {n}")));
        if header.remembered {
            self.summary.notes.push(format!("sheet {sheet}: columns assigned as you mapped them before for this layout"));
        }
        if let Some(branch) = &branch {
            self.summary.notes.push(format!("sheet {branch} has no branch column: its leads belong to branch \"{branch}\""));
        }
        self.status_column |= header.map.column(Role::Status).is_some();
        self.sale_marked_otherwise |= header.map.column(Role::SaleDate).is_some() || header.map.column(Role::Converted).is_some();
        let mut reader = SheetReader::new(sheet, header.headers, header.map, branch, self.salt.to_vec(), is_1904);
        reader.max_fields = fields;
        self.sheet = Some((reader, Vec::new()));
    }

    fn finish_sheet(&mut self, writer: &mut ImportWriter<'_>) -> Result<(), StoreError> {
        let Some((mut reader, totals)) = self.sheet.take() else { return Ok(()) };
        reader.finish(&mut self.ready);
        self.write_ready(writer)?;
        if !totals.is_empty() {
            let rows: Vec<String> = totals.iter().map(u32::to_string).collect();
            self.summary.notes.push(format!("sheet {}: totals row {} skipped", reader.sheet(), rows.join(", ")));
        }
        self.summary.notes.append(&mut reader.notes);
        self.summary.issue_count += reader.issues.len() as u64 + reader.issues_left_out;
        let room = MAX_ISSUES_KEPT.saturating_sub(self.issues.len());
        self.issues.extend(reader.issues.drain(..).take(room));
        Ok(())
    }

    /// The last sheet's leads, and the summary with the reader's notes first.
    pub(super) fn finish(mut self, read: ReadSummary, writer: &mut ImportWriter<'_>) -> Result<Parsed, StoreError> {
        self.finish_sheet(writer)?;
        let mut notes = read.notes;
        notes.append(&mut self.summary.notes);
        self.summary.notes = notes;
        if self.status_column {
            let values: Vec<(String, u64)> = self.statuses.drain().collect();
            self.summary.notes.extend(status_note(&values, self.words, self.sale_marked_otherwise));
        }
        let left_out = self.summary.issue_count - self.issues.len() as u64;
        if left_out > 0 {
            self.summary.notes.push(format!("the first {} row issues are listed; {left_out} more are counted only", self.issues.len()));
        }
        Ok(Parsed { summary: self.summary, issues: self.issues, signature: read.signature })
    }
}

/// Why reading a file stopped, from either thread.
pub(super) enum ReadFailure {
    Refused(ImportError),
    /// The workbook, a sheet or a row could not be read.
    Sheet(SheetError),
    Store(StoreError),
    /// The reader (a workbook library, on a malformed file) panicked.
    Panicked(String),
    /// The file was imported before: nothing to do. Boxed, as the record
    /// would make every `Result` that carries a failure large.
    Known(Box<ImportRecord>),
}

impl From<ImportError> for ReadFailure {
    fn from(error: ImportError) -> Self {
        ReadFailure::Refused(error)
    }
}

impl From<SheetError> for ReadFailure {
    fn from(error: SheetError) -> Self {
        ReadFailure::Sheet(error)
    }
}

impl ReadFailure {
    /// The file's refusal: the one place a reader's failure gains the
    /// file's name and format.
    pub(super) fn into_error(self, file: &str, format: Format) -> ImportError {
        let file = file.to_owned();
        // A reader library's message may quote the file at length.
        let shortened = |reason: String| match reason.char_indices().nth(MAX_REASON_CHARS) {
            Some((cut, _)) => format!("{}…", &reason[..cut]),
            None => reason,
        };
        match self {
            ReadFailure::Refused(error) => error,
            ReadFailure::Sheet(error @ SheetError::Mapping { .. }) => ImportError::Mapping { file, message: error.to_string() },
            ReadFailure::Sheet(error) => ImportError::Damaged { file, format: format.name(), reason: shortened(error.to_string()) },
            ReadFailure::Store(source) => ImportError::Store { file, source },
            ReadFailure::Panicked(panic) => ImportError::Damaged {
                file,
                format: format.name(),
                reason: format!("the reader failed on it ({panic}); the file is probably damaged"),
            },
            ReadFailure::Known(record) => ImportError::Mapping { file, message: format!("already imported as import {}", record.id) },
        }
    }
}

/// The longest reason a refusal gives.
const MAX_REASON_CHARS: usize = 400;

/// Messages the reader may send ahead of the writer. The writer's longest
/// pause is sorting a first import's run (half a million leads at a million,
/// about 50 ms: `ImportWriter::read_so_far`); 32 batches of 512 rows, about
/// 8 MB, keep the reader reading through it.
const MESSAGES_AHEAD: usize = 32;

/// Runs `read` on a thread of its own; meanwhile `start` runs here (the
/// store's side of the work, beside the reader's opening of the workbook),
/// then each message the reader sends goes to `consume` as it comes, so
/// reading and writing overlap. A panic in `read` ends its thread only and
/// comes back as `Panicked`; on any failure what `start` made (the store
/// writer) is dropped, uncommitted.
pub(super) fn read_while_consuming<M: Send, T: Send, S>(
    read: impl FnOnce(mpsc::SyncSender<M>) -> Result<T, ReadFailure> + Send,
    start: impl FnOnce() -> Result<S, ReadFailure>,
    mut consume: impl FnMut(&mut S, M) -> Result<(), ReadFailure>,
) -> Result<(T, S), ReadFailure> {
    let (sender, receiver) = mpsc::sync_channel::<M>(MESSAGES_AHEAD);
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
            Ok(result) => result.map(|read| (read, state)),
            Err(panic) => Err(ReadFailure::Panicked(panic_text(&panic))),
        }
    })
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
    use crate::import::{import_bytes, import_file, ImportOptions};
    use crate::model::ResponseBucket;
    use crate::store::{NewImport, Store};

    fn lead(n: u8) -> Lead {
        Lead {
            identity: [n; 16],
            created: None,
            first_contact: None,
            sale_date: None,
            source: Some("Website".into()),
            salesperson: None,
            branch: None,
            agent: None,
            status: Some("Verkocht".into()),
            brand: None,
            model: None,
            lead_type: None,
            kind: None,
            sold_flag: false,
            has_phone: false,
            response: ResponseBucket::None,
            contact_recorded: false,
        }
    }

    #[test]
    fn a_reader_panic_mid_file_is_a_refusal_and_stores_nothing() {
        quiet_reader_panics();
        let mut store = Store::open_in_memory().expect("store");
        let failure = {
            let outcome = read_while_consuming(
                |sender| -> Result<(), ReadFailure> {
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

    fn data(file: &str) -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data").join(file)
    }

    #[test]
    fn a_cancelled_import_stores_nothing() {
        let mut store = Store::open_in_memory().expect("store");
        let cancel = std::sync::atomic::AtomicBool::new(false);
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

    /// A workbook whose sheet "Leads" has a cell the XML reader cannot
    /// parse at the start of row `bad` (1-based).
    fn damaged_at_row(bad: u32) -> Vec<u8> {
        with_cell_at_row(bad, &format!("<c r=\"Z{bad}\"><v>1</x></c>"))
    }

    /// A workbook whose sheet "Leads" has `cell` (XML) first in row `row`.
    fn with_cell_at_row(bad: u32, cell: &str) -> Vec<u8> {
        use std::io::{Read, Write};
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet().set_name("Leads").expect("name");
        for row in 0..200u32 {
            let cells = if row == 0 { ["Bron", "Status"] } else { ["Website", "Open"] };
            for (column, text) in cells.into_iter().enumerate() {
                sheet.write_string(row, column as u16, text).expect("cell");
            }
        }
        let xlsx = book.save_to_buffer().expect("workbook");
        let mut original = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).expect("zip");
        let mut damaged = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for i in 0..original.len() {
            let mut part = original.by_index(i).expect("part");
            let name = part.name().expect("name").into_owned();
            let mut bytes = Vec::new();
            part.read_to_end(&mut bytes).expect("read");
            if name == "xl/worksheets/sheet1.xml" {
                let text = String::from_utf8(bytes).expect("xml");
                let row = text.find(&format!("<row r=\"{bad}\"")).expect("row");
                let end = row + text[row..].find('>').expect("tag") + 1;
                bytes = format!("{}{cell}{}", &text[..end], &text[end..]).into_bytes();
            }
            damaged.start_file(name, zip::write::SimpleFileOptions::default()).expect("start");
            damaged.write_all(&bytes).expect("write");
        }
        damaged.finish().expect("finish").into_inner()
    }

    #[test]
    fn a_cell_beyond_excels_last_column_or_row_is_refused_not_allocated() {
        // MWLQKWT once made a row of four billion cells (137 GB).
        for (at, cell) in [(5, "MWLQKWT5"), (150, "ZZZZZZ150"), (7, "A4000000000")] {
            let xml = format!("<c r=\"{cell}\" t=\"inlineStr\"><is><t>x</t></is></c>");
            let mut store = Store::open_in_memory().expect("store");
            let error = import_bytes(&mut store, "breed.xlsx", with_cell_at_row(at, &xml), &ImportOptions::default()).expect_err("refused");
            let message = error.to_string();
            assert_eq!(error.kind(), "damaged", "{message}");
            assert!(message.contains("sheet Leads") && message.contains("lies beyond the 1048576 rows and 16384 columns"), "{message}");
        }
    }

    #[test]
    fn a_million_row_issues_are_counted_and_the_first_thousand_kept() {
        let mut csv = String::from("Lead ID;Aanmaakdatum;Status\n");
        for row in 0..3000 {
            csv += &format!("L{row};gisteren;Open\n");
        }
        let mut store = Store::open_in_memory().expect("store");
        let report = import_bytes(&mut store, "slecht.csv", csv.into_bytes(), &ImportOptions::default()).expect("imports");
        assert_eq!((report.record.issue_count, report.issues.len()), (3000, MAX_ISSUES_KEPT));
        assert_eq!(report.issues[0].row, 2);
        assert!(report.record.notes.iter().any(|n| n == "the first 1000 row issues are listed; 2000 more are counted only"));
    }

    #[test]
    fn a_row_that_cannot_be_read_is_refused_with_its_sheet_and_the_rows_read_before_it() {
        // Row 100 is read after the header search; row 5 within it. The
        // reader streams a row's cells ahead of it, so the row before the
        // damaged one is not yet read whole.
        for (bad, position) in [(100, "sheet Leads, after row 98: "), (5, "sheet Leads, after row 3: ")] {
            let mut store = Store::open_in_memory().expect("store");
            let error = import_bytes(&mut store, "kapot.xlsx", damaged_at_row(bad), &ImportOptions::default()).expect_err("refused");
            let message = error.to_string();
            assert_eq!(error.kind(), "damaged", "{message}");
            assert!(message.starts_with(&format!("kapot.xlsx: the Excel workbook (.xlsx) cannot be read: {position}")), "{message}");
            assert!(store.imports().expect("imports").is_empty());
        }
    }
}
