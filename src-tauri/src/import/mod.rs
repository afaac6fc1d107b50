//! Lead reports in, leads out: format detection, header recognition, row
//! reading, and the hand-over to the store in one transaction per file.
//!
//! The workbook is parsed on its own thread while this thread writes what
//! it has read (`pipeline`): parsing and writing overlap, and a panic inside
//! a reader library on a malformed file ends that thread, not the app.

mod archive;
pub mod columns;
mod detect;
mod evidence;
mod header;
mod html;
mod ods;
mod ole;
mod pipeline;
// Only the window previews a file.
#[cfg_attr(not(feature = "desktop"), allow(dead_code))]
mod preview;
mod rows;
mod sheets;
pub mod values;

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::AtomicBool;

use sha2::{Digest, Sha256};

pub use columns::Role;
pub use detect::Format;
pub use pipeline::quiet_reader_panics;
#[cfg_attr(not(feature = "desktop"), allow(unused_imports))]
pub use preview::{preview_file, Preview};

use crate::model::RowIssue;
use crate::store::{ImportRecord, NewImport, Store, StoreError};
use archive::SharedBytes;
use pipeline::{read_rows, read_while_consuming, LeadRows, ReadFailure};

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
    /// The first and last creation day of the file's leads (`None`: none
    /// dated, or the file was imported before): the window shows that period.
    pub created_days: Option<(i64, i64)>,
}

/// The name a file goes by in messages and the history.
pub fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// Reads the report at `path` and imports it, in 4 KB pages (`pages.rs`).
pub fn import_file(store: &mut Store, path: &Path, options: &ImportOptions<'_>) -> Result<ImportReport, ImportError> {
    crate::pages::without_huge_pages(|| {
        let (file, bytes) = read_report(path)?;
        import_bytes(store, &file, bytes, options)
    })
}

/// Imports a report already read; `file` is its name, for the messages and
/// the history (and, by its extension, a hint of its format).
pub fn import_bytes(store: &mut Store, file: &str, bytes: Vec<u8>, options: &ImportOptions<'_>) -> Result<ImportReport, ImportError> {
    let file = file.to_owned();
    let store_error = |source| ImportError::Store { file: file.clone(), source };
    let format = detect::detect(&bytes).map_err(|why| ImportError::NotASpreadsheet { file: file.clone(), reason: why.to_string() })?;
    let bytes = SharedBytes::new(bytes);
    let remembered = store.remembered_mappings().map_err(store_error)?;
    let salt = store.salt().to_vec();
    let words = store.settings().map_err(store_error)?.status_words;
    let plan = ParsePlan::new(&file, format, options, &remembered);
    let mut leads = LeadRows::new(&salt, &words);
    let outcome = read_while_consuming(
        |sender| read_rows(&bytes, &plan, sender),
        || {
            // The file is hashed while the reader opens the workbook.
            let content_hash = content_hash(bytes.as_ref());
            if !options.is_manual() {
                if let Some(record) = store.import_with_hash(&content_hash).map_err(ReadFailure::Store)? {
                    return Err(ReadFailure::Known(Box::new(record)));
                }
            }
            store.begin_import(NewImport { file_name: file.clone(), content_hash }).map_err(ReadFailure::Store)
        },
        |writer, message| leads.take(message, writer).map_err(ReadFailure::Store),
    );
    // On any refusal the writer was dropped, uncommitted: the store is as it was.
    let (read, mut writer) = match outcome {
        Ok(done) => done,
        Err(ReadFailure::Known(record)) => {
            return Ok(ImportReport { record: *record, already_imported: true, issues: Vec::new(), created_days: None })
        }
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
    let created_days = writer.created_days();
    let record = writer.commit(summary, &parsed.issues).map_err(store_error)?;
    Ok(ImportReport { record, already_imported: false, issues: parsed.issues, created_days })
}

impl ImportOptions<'_> {
    /// The user assigned columns by hand.
    fn is_manual(&self) -> bool {
        !self.mapping.is_empty() || !self.ignored.is_empty()
    }
}

/// How a remembered mapping marks a column the user chose not to use.
const IGNORED: &str = "ignore";

/// The largest report read. A year of leads of a large dealer group is a few
/// MB; the bound keeps a mistaken choice (a video, a disk image) from filling
/// the memory before the format is even known.
pub const MAX_FILE_BYTES: u64 = 100 << 20;

/// A report's name and bytes, or why it cannot be opened. Only regular files
/// are opened: a FIFO blocks on opening and `/dev/zero` never ends, and their
/// metadata says so without opening them. At most `MAX_FILE_BYTES` are read,
/// even from a file that grows while it is read.
fn read_report(path: &Path) -> Result<(String, Vec<u8>), ImportError> {
    use std::io::Read;
    let file = file_name(path);
    let unopenable = |reason: String| ImportError::Unopenable { file: file.clone(), reason };
    let metadata = std::fs::metadata(path).map_err(|e| unopenable(io_reason(&e)))?;
    check_regular_file(&metadata).map_err(unopenable)?;
    let opened = std::fs::File::open(path).map_err(|e| unopenable(io_reason(&e)))?;
    // The path may name another file by now: the opened one is checked again.
    let metadata = opened.metadata().map_err(|e| unopenable(io_reason(&e)))?;
    check_regular_file(&metadata).map_err(unopenable)?;
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len().min(MAX_FILE_BYTES) + 1).unwrap_or(0));
    opened.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(|e| unopenable(io_reason(&e)))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(unopenable(too_large(bytes.len() as u64)));
    }
    Ok((file, bytes))
}

fn check_regular_file(metadata: &std::fs::Metadata) -> Result<(), String> {
    if metadata.is_dir() {
        Err("it is a folder, not a file".to_string())
    } else if !metadata.is_file() {
        Err("it is not a regular file (a pipe, a device or a socket): save the report as a file and import that".to_string())
    } else if metadata.len() > MAX_FILE_BYTES {
        Err(too_large(metadata.len()))
    } else {
        Ok(())
    }
}

fn too_large(bytes: u64) -> String {
    format!("it is {} MB; Dertien reads reports up to {} MB (export a shorter period)", bytes.div_ceil(1 << 20), MAX_FILE_BYTES >> 20)
}

/// What the reader needs to know about a file besides its bytes.
struct ParsePlan<'a> {
    file: &'a str,
    format: Format,
    /// Set when the name says another format than the bytes.
    name_note: Option<String>,
    options: &'a ImportOptions<'a>,
    remembered: &'a HashMap<String, Vec<(String, String)>>,
}

impl<'a> ParsePlan<'a> {
    fn new(file: &'a str, format: Format, options: &'a ImportOptions<'a>, remembered: &'a HashMap<String, Vec<(String, String)>>) -> Self {
        ParsePlan { file, format, name_note: detect::misnamed(Path::new(file), format), options, remembered }
    }
}

/// The file's fingerprint in the import history: the same bytes are not imported twice.
fn content_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "no permission to read it".to_string(),
        _ if error.raw_os_error() == Some(21) => "it is a folder, not a file".to_string(),
        _ => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_up_to_the_limit_are_read() {
        let dir = std::env::temp_dir().join(format!("dertien-read-report-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let large = dir.join("groot.csv");
        let opened = std::fs::File::create(&large).expect("file");
        opened.set_len(MAX_FILE_BYTES + 1).expect("sparse file");
        let reason = |path: &Path| match read_report(path) {
            Err(ImportError::Unopenable { reason, .. }) => reason,
            other => panic!("{path:?} refused, not {other:?}"),
        };
        assert!(reason(&large).contains("up to 100 MB"), "{}", reason(&large));
        assert_eq!(reason(&dir), "it is a folder, not a file");
        #[cfg(unix)]
        {
            assert!(reason(Path::new("/dev/zero")).contains("not a regular file"));
            let fifo = dir.join("pijp.csv");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
            assert!(made.success());
            // Refused at once: opening it would wait for a writer for ever.
            assert!(reason(&fifo).contains("not a regular file"));
        }
        std::fs::remove_dir_all(&dir).expect("clean up");
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
}
