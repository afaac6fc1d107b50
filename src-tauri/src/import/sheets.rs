//! Every format as sheets of rows of `Cell`s. `.xlsx` and `.xlsb` stream their
//! cells (a million-row sheet never sits in memory); `.xls` and `.ods` are
//! read a sheet at a time by calamine; text and HTML are parsed as they are read.

use std::io::Cursor;

use calamine::{Data, DataRef, Dimensions, Ods, Reader, SheetType, SheetVisible, Xls, Xlsb, Xlsx};

use super::archive::{SharedBytes, ZipBytes};
use super::detect::{decode_text, Format};
use super::html;
use super::values::{parse_text_date, Cell, TextDate};
use rustc_hash::FxHashMap as FastMap;

/// Excel's own sheet size: no lead report is wider or longer, and a cell
/// beyond it is a damaged or hostile file (a reference like `MWLQKWT1`
/// would otherwise make a row of four billion cells).
pub const MAX_COLUMNS: u32 = 16_384;
pub const MAX_ROWS: u32 = 1_048_576;
/// The most cells a sheet read whole (`.ods`, HTML) may hold: 8 million is
/// 200,000 leads of 40 columns, about 250 MB in memory.
pub const MAX_TABLE_CELLS: usize = 8_000_000;

/// A cell's place as Excel names it (`XFD1048576`), for messages.
pub fn cell_name(row: u32, column: u32) -> String {
    let mut letters = Vec::new();
    let mut rest = u64::from(column) + 1;
    while rest > 0 {
        let digit = ((rest - 1) % 26) as u8;
        letters.push(char::from(b'A' + digit));
        rest = (rest - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(u64::from(row) + 1).to_string()
}

/// Why a cell's place is refused, if it lies outside Excel's sheet.
fn beyond_the_sheet(row: u32, column: u32) -> Option<String> {
    (row >= MAX_ROWS || column >= MAX_COLUMNS).then(|| {
        format!(
            "a cell at {} lies beyond the {MAX_ROWS} rows and {MAX_COLUMNS} columns (XFD) a sheet can have; the file is damaged",
            cell_name(row, column)
        )
    })
}

/// Zip-based formats read a mirror of their archive whose large parts are
/// inflated on another thread (`archive`); `.xls` reads the bytes as they are.
pub enum Workbook<'a> {
    Xlsx(Box<Xlsx<ZipBytes>>),
    Xlsb(Box<Xlsb<ZipBytes>>),
    Xls(Box<Xls<Cursor<&'a [u8]>>>),
    Ods(Box<Ods<ZipBytes>>),
    Csv { text: String, delimiter: u8 },
    Html(Vec<Vec<Vec<Cell>>>),
}

/// One sheet's rows, top to bottom. Row numbers are 0-based; empty rows may be skipped.
pub trait RowSource {
    fn next_row(&mut self) -> Result<Option<(u32, Vec<Cell>)>, String>;
    /// Only these columns are read from now on (the header is known).
    fn keep_columns(&mut self, keep: Vec<bool>);
    /// How far through the sheet, 0.0..=1.0, where the format tells.
    fn fraction_done(&self) -> Option<f64>;
    /// Text of these columns may come as `Cell::Name`; the names' texts
    /// then come from `new_names`.
    fn name_columns(&mut self, _names: Vec<bool>) {}
    /// Texts of the names first used since the last call, numbered on from
    /// the ones before (0, 1, ... per sheet).
    fn new_names(&mut self) -> Vec<String> {
        Vec::new()
    }
}

impl<'a> Workbook<'a> {
    pub fn open(shared: &'a SharedBytes, format: Format) -> Result<(Workbook<'a>, Option<&'static str>), SheetError> {
        let zip = || {
            let zip = ZipBytes::new(shared.clone());
            match zip.refusal() {
                Some(refusal) => Err(SheetError::Workbook(refusal)),
                None => Ok(zip),
            }
        };
        let bytes = shared.as_ref();
        let book = match format {
            Format::Xlsx => Workbook::Xlsx(Box::new(Xlsx::new(zip()?).map_err(|e| SheetError::Workbook(e.to_string()))?)),
            Format::Xlsb => Workbook::Xlsb(Box::new(Xlsb::new(zip()?).map_err(|e| SheetError::Workbook(e.to_string()))?)),
            Format::Xls => {
                super::ole::check(bytes).map_err(SheetError::Workbook)?;
                Workbook::Xls(Box::new(Xls::new(Cursor::new(bytes)).map_err(|e| SheetError::Workbook(e.to_string()))?))
            }
            Format::Ods => {
                super::ods::check(zip()?).map_err(SheetError::Workbook)?;
                Workbook::Ods(Box::new(Ods::new(zip()?).map_err(|e| SheetError::Workbook(e.to_string()))?))
            }
            Format::Csv => {
                let (text, encoding) = decode_text(bytes);
                let delimiter = sniff_delimiter(&text);
                return Ok((Workbook::Csv { text, delimiter }, Some(encoding)));
            }
            Format::Html => {
                let (text, encoding) = decode_text(bytes);
                return Ok((Workbook::Html(html::tables(&text).map_err(SheetError::Workbook)?), Some(encoding)));
            }
        };
        Ok((book, None))
    }

    /// The sheets worth looking at: visible worksheets (no chart sheets).
    pub fn sheet_names(&self) -> Vec<String> {
        fn visible(sheets: &[calamine::Sheet]) -> Vec<String> {
            sheets.iter().filter(|s| s.typ == SheetType::WorkSheet && s.visible == SheetVisible::Visible).map(|s| s.name.clone()).collect()
        }
        match self {
            Workbook::Xlsx(b) => visible(b.sheets_metadata()),
            Workbook::Xlsb(b) => visible(b.sheets_metadata()),
            Workbook::Xls(b) => visible(b.sheets_metadata()),
            Workbook::Ods(b) => visible(b.sheets_metadata()),
            Workbook::Csv { .. } => vec!["CSV".to_string()],
            Workbook::Html(tables) => (1..=tables.len()).map(|i| format!("Table {i}")).collect(),
        }
    }

    /// Whether plain numbers in date columns count from 1904 (old Mac Excel).
    pub fn is_1904(&self) -> bool {
        match self {
            Workbook::Xlsx(b) => b.has_1904_epoch(),
            Workbook::Xlsb(b) => b.has_1904_epoch(),
            Workbook::Xls(b) => b.has_1904_epoch(),
            _ => false,
        }
    }

    /// Merged cell areas of a sheet, where the format keeps them.
    pub fn merged_cells(&mut self, sheet: &str) -> Vec<Dimensions> {
        match self {
            Workbook::Xlsx(b) => b.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
            Workbook::Xls(b) => b.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// A sheet's rows; a sheet that cannot be opened, or a row that cannot
    /// be read, fails with the sheet's name (and how far it was read).
    pub fn rows(&mut self, sheet: &str) -> Result<SheetRows<'_>, SheetError> {
        match self.row_source(sheet) {
            Ok(source) => Ok(SheetRows { sheet: sheet.to_owned(), source, last_row: None }),
            Err(reason) => Err(SheetError::Sheet { sheet: sheet.to_owned(), reason }),
        }
    }

    fn row_source(&mut self, sheet: &str) -> Result<Box<dyn RowSource + '_>, String> {
        Ok(match self {
            Workbook::Xlsx(b) => {
                let mut reader = b.worksheet_cells_reader(sheet).map_err(|e| e.to_string())?;
                let total_rows = reader.dimensions().end.0.saturating_add(1);
                Box::new(StreamedCells::new(Box::new(move || reader.next_cell().map_err(|e| e.to_string())), total_rows))
            }
            Workbook::Xlsb(b) => {
                let mut reader = b.worksheet_cells_reader(sheet).map_err(|e| e.to_string())?;
                let total_rows = reader.dimensions().end.0.saturating_add(1);
                Box::new(StreamedCells::new(Box::new(move || reader.next_cell().map_err(|e| e.to_string())), total_rows))
            }
            Workbook::Xls(b) => Box::new(TableRows::new(range_rows(&b.worksheet_range(sheet).map_err(|e| e.to_string())?))),
            Workbook::Ods(b) => Box::new(TableRows::new(range_rows(&b.worksheet_range(sheet).map_err(|e| e.to_string())?))),
            Workbook::Csv { text, delimiter } => Box::new(CsvRows::new(text, *delimiter)),
            Workbook::Html(tables) => {
                let index: usize = sheet.trim_start_matches("Table ").parse().map_err(|_| format!("no table {sheet}"))?;
                let table = tables.get(index.wrapping_sub(1)).cloned().unwrap_or_default();
                Box::new(TableRows::new((0..).zip(table).collect()))
            }
        })
    }
}

/// What reading a workbook can fail with, and where. The import turns it
/// into the file's refusal in one place (`pipeline::ReadFailure`), adding the
/// file's name and format.
#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    /// The workbook as a whole cannot be opened.
    #[error("{0}")]
    Workbook(String),
    /// A sheet cannot be opened, or fails before its first row.
    #[error("sheet {sheet}: {reason}")]
    Sheet { sheet: String, reason: String },
    /// A row cannot be read; `after` is the last row read whole (1-based):
    /// a streamed sheet fails on a cell whose position it never learns.
    #[error("sheet {sheet}, after row {after}: {reason}")]
    Row { sheet: String, after: u32, reason: String },
    /// The columns named by the user (`--map`, the preview) do not fit the
    /// sheet's header row: the user's to mend, not a damaged file.
    #[error("sheet {sheet}: {reason}")]
    Mapping { sheet: String, reason: String },
}

/// One sheet's rows, whose failures name the sheet and how far it was read.
pub struct SheetRows<'a> {
    sheet: String,
    source: Box<dyn RowSource + 'a>,
    /// The last row read (0-based).
    last_row: Option<u32>,
}

impl SheetRows<'_> {
    pub fn next_row(&mut self) -> Result<Option<(u32, Vec<Cell>)>, SheetError> {
        match self.source.next_row() {
            Ok(row) => {
                if let Some((number, _)) = &row {
                    self.last_row = Some(*number);
                }
                Ok(row)
            }
            Err(reason) => {
                let sheet = self.sheet.clone();
                Err(match self.last_row {
                    Some(row) => SheetError::Row { sheet, after: row + 1, reason },
                    None => SheetError::Sheet { sheet, reason },
                })
            }
        }
    }

    pub fn keep_columns(&mut self, keep: Vec<bool>) {
        self.source.keep_columns(keep);
    }

    pub fn fraction_done(&self) -> Option<f64> {
        self.source.fraction_done()
    }

    pub fn name_columns(&mut self, names: Vec<bool>) {
        self.source.name_columns(names);
    }

    pub fn new_names(&mut self) -> Vec<String> {
        self.source.new_names()
    }
}

/// `;`, `,` or tab: the one that splits the most of the first lines into
/// the same number of columns (title lines above the header have fewer).
fn sniff_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).take(20).collect();
    let mut best = (b';', 0usize, 0usize);
    for delimiter in [b';', b',', b'\t'] {
        let counts: Vec<usize> = lines.iter().map(|l| count_outside_quotes(l, delimiter)).collect();
        let mut agreeing = std::collections::HashMap::new();
        for &count in counts.iter().filter(|&&c| c > 0) {
            *agreeing.entry(count).or_insert(0usize) += 1;
        }
        if let Some((&columns, &lines)) = agreeing.iter().max_by_key(|(c, n)| (**n, **c)) {
            if (lines, columns) > (best.1, best.2) {
                best = (delimiter, lines, columns);
            }
        }
    }
    best.0
}

fn count_outside_quotes(line: &str, delimiter: u8) -> usize {
    let mut quoted = false;
    line.bytes()
        .filter(|&b| {
            if b == b'"' {
                quoted = !quoted;
            }
            b == delimiter && !quoted
        })
        .count()
}

type NextCell<'a> = Box<dyn FnMut() -> Result<Option<calamine::Cell<DataRef<'a>>>, String> + 'a>;

/// Rows assembled from a cell stream (cells come row by row, left to right).
struct StreamedCells<'a> {
    next: NextCell<'a>,
    pending: Option<calamine::Cell<DataRef<'a>>>,
    keep: Option<Vec<bool>>,
    total_rows: u32,
    last_row: u32,
    /// The widest row so far: a row's cells are allocated once, not grown cell by cell.
    width: usize,
    done: bool,
    /// Name columns, and each shared string met in them (by its place in
    /// the workbook's string table, which outlives the reader) with its number.
    names: Vec<bool>,
    numbers: FastMap<(usize, usize), u32>,
    fresh: Vec<String>,
}

impl<'a> StreamedCells<'a> {
    fn new(next: NextCell<'a>, total_rows: u32) -> Self {
        StreamedCells {
            next,
            pending: None,
            keep: None,
            total_rows,
            last_row: 0,
            width: 0,
            done: false,
            names: Vec::new(),
            numbers: FastMap::default(),
            fresh: Vec::new(),
        }
    }

    /// A name column's shared string as a number: the text is copied once.
    fn name(&mut self, text: &str) -> Cell {
        let next = self.numbers.len() as u32;
        let number = *self.numbers.entry((text.as_ptr() as usize, text.len())).or_insert_with(|| {
            self.fresh.push(text.to_owned());
            next
        });
        Cell::Name(number)
    }
}

impl RowSource for StreamedCells<'_> {
    fn next_row(&mut self) -> Result<Option<(u32, Vec<Cell>)>, String> {
        if self.done {
            return Ok(None);
        }
        let first = match self.pending.take() {
            Some(cell) => cell,
            None => match (self.next)()? {
                Some(cell) => cell,
                None => {
                    self.done = true;
                    return Ok(None);
                }
            },
        };
        let row = first.get_position().0;
        let mut cells = Vec::with_capacity(self.width);
        let mut current = Some(first);
        while let Some(cell) = current {
            let (r, c) = cell.get_position();
            if let Some(refusal) = beyond_the_sheet(r, c) {
                return Err(refusal);
            }
            if r != row {
                self.pending = Some(cell);
                break;
            }
            let c = c as usize;
            let wanted = self.keep.as_ref().is_none_or(|k| k.get(c).copied().unwrap_or(false));
            if wanted {
                if cells.len() <= c {
                    cells.resize(c + 1, Cell::Empty);
                }
                cells[c] = match cell.get_value() {
                    DataRef::SharedString(text) if self.names.get(c).copied().unwrap_or(false) => self.name(text),
                    value => from_data_ref(value),
                };
            }
            current = (self.next)()?;
            if current.is_none() {
                self.done = true;
            }
        }
        self.last_row = row;
        self.width = self.width.max(cells.len());
        Ok(Some((row, cells)))
    }

    fn keep_columns(&mut self, keep: Vec<bool>) {
        self.keep = Some(keep);
    }

    fn fraction_done(&self) -> Option<f64> {
        (self.total_rows > 0).then(|| (f64::from(self.last_row) / f64::from(self.total_rows)).min(1.0))
    }

    fn name_columns(&mut self, names: Vec<bool>) {
        self.names = names;
    }

    fn new_names(&mut self) -> Vec<String> {
        std::mem::take(&mut self.fresh)
    }
}

fn from_data_ref(value: &DataRef<'_>) -> Cell {
    match value {
        DataRef::Empty => Cell::Empty,
        DataRef::SharedString(s) => Cell::Text((*s).to_owned()),
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => excel_date_time(dt),
        DataRef::DateTimeIso(s) => iso_date_time(s),
        DataRef::DurationIso(s) => Cell::Text(s.clone()),
        DataRef::Error(e) => Cell::Error(format!("{e}")),
    }
}

fn from_data(value: &Data) -> Cell {
    match value {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Float(f) => Cell::Number(*f),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => excel_date_time(dt),
        Data::DateTimeIso(s) => iso_date_time(s),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(format!("{e}")),
    }
}

fn excel_date_time(dt: &calamine::ExcelDateTime) -> Cell {
    // calamine clamps serials before its epoch or past 9999 to a date; as
    // numbers they are the row issues any number outside the spec's range is.
    if dt.is_duration() || !(1.0..MAX_SERIAL).contains(&dt.as_f64()) {
        return Cell::Number(dt.as_f64());
    }
    // calamine knows each value's date system (1900 or 1904); its
    // components are exact to the millisecond, so round to the second.
    let (y, m, d, h, min, s, ms) = dt.to_ymd_hms_milli();
    match crate::calendar::date(i32::from(y), u32::from(m), u32::from(d)) {
        Some(day) => {
            let secs = i64::from(h) * 3600 + i64::from(min) * 60 + i64::from(s) + i64::from(ms >= 500);
            Cell::DateTime(day * crate::calendar::SECS_PER_DAY + secs)
        }
        None => Cell::Number(dt.as_f64()),
    }
}

/// The day after 9999-12-31 as an Excel serial.
const MAX_SERIAL: f64 = 2_958_466.0;

fn iso_date_time(text: &str) -> Cell {
    match parse_text_date(text) {
        Some(TextDate::Exact(ts)) => Cell::DateTime(ts),
        _ => Cell::Text(text.to_owned()),
    }
}

/// A sheet calamine reads whole (`.xls`, `.ods`), as rows at their sheet positions.
fn range_rows(range: &calamine::Range<Data>) -> Vec<(u32, Vec<Cell>)> {
    let Some((start_row, start_col)) = range.start() else { return Vec::new() };
    range
        .rows()
        .enumerate()
        .map(|(i, row)| {
            let mut cells = vec![Cell::Empty; start_col as usize];
            cells.extend(row.iter().map(from_data));
            (start_row + i as u32, cells)
        })
        .collect()
}

struct CsvRows<'a> {
    text: &'a str,
    records: csv::StringRecordsIntoIter<&'a [u8]>,
    /// Line number (0-based) at byte `consumed`.
    line: u32,
    consumed: usize,
}

impl<'a> CsvRows<'a> {
    fn new(text: &'a str, delimiter: u8) -> Self {
        let reader = csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text.as_bytes());
        CsvRows { text, records: reader.into_records(), line: 0, consumed: 0 }
    }
}

impl RowSource for CsvRows<'_> {
    fn next_row(&mut self) -> Result<Option<(u32, Vec<Cell>)>, String> {
        let Some(record) = self.records.next() else { return Ok(None) };
        let record = record.map_err(|e| format!("line {}: {e}", self.line + 1))?;
        if record.len() > MAX_COLUMNS as usize {
            let line = self.line + 1;
            return Err(format!("a line after line {line} has {} columns, more than the {MAX_COLUMNS} a sheet can have", record.len()));
        }
        // The record's first line, counted from its byte offset: blank lines
        // and line breaks inside quotes count as the spreadsheet shows them.
        let mut start = record.position().map_or(self.consumed, |p| p.byte() as usize).clamp(self.consumed, self.text.len());
        // The reader reports a record after blank lines at the first blank line.
        while matches!(self.text.as_bytes().get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        self.line += self.text.as_bytes()[self.consumed..start].iter().filter(|&&b| b == b'\n').count() as u32;
        self.consumed = start;
        let row = self.line;
        let cells = record.iter().map(|field| if field.trim().is_empty() { Cell::Empty } else { Cell::Text(field.to_owned()) }).collect();
        Ok(Some((row, cells)))
    }

    fn keep_columns(&mut self, _keep: Vec<bool>) {}

    fn fraction_done(&self) -> Option<f64> {
        (!self.text.is_empty()).then(|| self.consumed as f64 / self.text.len() as f64)
    }
}

struct TableRows {
    rows: std::vec::IntoIter<(u32, Vec<Cell>)>,
    total: usize,
}

impl TableRows {
    fn new(rows: Vec<(u32, Vec<Cell>)>) -> Self {
        TableRows { total: rows.len(), rows: rows.into_iter() }
    }
}

impl RowSource for TableRows {
    fn next_row(&mut self) -> Result<Option<(u32, Vec<Cell>)>, String> {
        Ok(self.rows.next())
    }

    fn keep_columns(&mut self, _keep: Vec<bool>) {}

    fn fraction_done(&self) -> Option<f64> {
        (self.total > 0).then(|| 1.0 - self.rows.len() as f64 / self.total as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_beyond_excels_sheet_are_refused_by_their_place() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(1_048_575, MAX_COLUMNS - 1), "XFD1048576");
        assert_eq!(beyond_the_sheet(MAX_ROWS - 1, MAX_COLUMNS - 1), None);
        let refusal = beyond_the_sheet(0, MAX_COLUMNS).expect("refused");
        assert!(refusal.starts_with("a cell at XFE1 lies beyond"), "{refusal}");
        assert!(beyond_the_sheet(MAX_ROWS, 0).is_some_and(|r| r.contains("A1048577")));
        assert!(beyond_the_sheet(u32::MAX, u32::MAX).is_some());
    }

    #[test]
    fn date_serials_beyond_the_calendar_stay_numbers() {
        use calamine::{ExcelDateTime, ExcelDateTimeType};
        for serial in [0.0, -5.0, 1e12, MAX_SERIAL] {
            assert_eq!(excel_date_time(&ExcelDateTime::new(serial, ExcelDateTimeType::DateTime, false)), Cell::Number(serial));
        }
        let day = crate::calendar::date(2023, 7, 3).expect("a date");
        let cell = excel_date_time(&ExcelDateTime::new(45110.5, ExcelDateTimeType::DateTime, false));
        assert_eq!(cell, Cell::DateTime(day * crate::calendar::SECS_PER_DAY + 12 * 3600));
    }

    #[test]
    fn delimiters_are_sniffed_past_title_lines() {
        assert_eq!(sniff_delimiter("Leads oktober\nBron;Status;Datum\nWeb;Open;1-10-2023\n"), b';');
        assert_eq!(sniff_delimiter("Source,Status\n\"Web, form\",Sold\n"), b',');
        assert_eq!(sniff_delimiter("Bron\tStatus\tDatum, tijd\nWeb\tOpen\t1-10-2023, 10:00\n"), b'\t');
    }

    #[test]
    fn csv_rows_keep_their_line_numbers() {
        let text = "Bron;Status\n\nWeb;\"Open\nnog\"\nTelefoon;Verkocht\n";
        let mut rows = CsvRows::new(text, b';');
        let mut seen = Vec::new();
        while let Some((row, cells)) = rows.next_row().expect("valid csv") {
            seen.push((row, cells.len()));
        }
        assert_eq!(seen, vec![(0, 2), (2, 2), (4, 2)]);
    }
}
