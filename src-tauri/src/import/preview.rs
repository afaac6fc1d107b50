//! What a file holds, shown before anything is stored, so the user can see
//! (and mend) the columns' roles.

use std::path::Path;
use std::sync::mpsc;

use super::archive::SharedBytes;
use super::columns::Role;
use super::header::{choose_lead_sheets, read_headers};
use super::pipeline::{read_while_consuming, ReadFailure};
use super::sheets::Workbook;
use super::values::Cell;
use super::{content_hash, detect, read_report, Format, ImportError, ImportOptions, ParsePlan};
use crate::model::Outcome;
use crate::store::Store;

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
    /// The status column's values in the first rows under the header, with
    /// their rows and what the status words make of them: where the words
    /// know too few of them, the user names them here.
    pub status_values: Vec<StatusValue>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StatusValue {
    pub value: String,
    pub rows: u64,
    pub outcome: Outcome,
    /// A sold, lost or open word: the words know what it means.
    pub known: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PreviewColumn {
    pub header: String,
    pub role: Option<Role>,
    /// Why the role is only a guess (`ColumnMap::guesses`).
    pub guess: Option<String>,
    /// The first values under the header (at most `PREVIEW_SAMPLES`).
    pub samples: Vec<String>,
}

const PREVIEW_SAMPLES: usize = 3;

pub fn preview_file(store: &Store, path: &Path, options: &ImportOptions<'_>) -> Result<Preview, ImportError> {
    let (file, bytes) = read_report(path)?;
    preview_bytes(store, &file, bytes, options)
}

/// The preview of a report already read; reads only the first rows, on the
/// reader thread (a panicking workbook library refuses the file, as in an import).
pub fn preview_bytes(store: &Store, file: &str, bytes: Vec<u8>, options: &ImportOptions<'_>) -> Result<Preview, ImportError> {
    let store_error = |source| ImportError::Store { file: file.to_owned(), source };
    let already_imported = store.import_with_hash(&content_hash(&bytes)).map_err(store_error)?.is_some();
    let format = detect::detect(&bytes).map_err(|why| ImportError::NotASpreadsheet { file: file.to_owned(), reason: why.to_string() })?;
    let remembered = store.remembered_mappings().map_err(store_error)?;
    let words = store.settings().map_err(store_error)?.status_words;
    let plan = ParsePlan::new(file, format, options, &remembered);
    let bytes = SharedBytes::new(bytes);
    let read = |_: mpsc::SyncSender<()>| -> Result<Preview, ReadFailure> {
        let (mut book, _) = Workbook::open(&bytes, format)?;
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
            Err(error) => return Err(error.into()),
        };
        let Some(shown) = shown else {
            return Err(ImportError::NoLeadRows { file: file.to_owned(), detail: "no sheet has a header row".into() }.into());
        };
        notes.extend(shown.map.notes.iter().cloned());
        let mut samples = vec![Vec::new(); shown.headers.len()];
        let mut rows = book.rows(&shown.sheet)?;
        let mut found = 0;
        while found < PREVIEW_SAMPLES {
            let Some((row, cells)) = rows.next_row()? else { break };
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
            .map(|(i, (header, samples))| {
                let role = shown.map.role_of(i);
                let guess = role.and_then(|r| shown.map.guesses.get(&r).cloned());
                PreviewColumn { header: header.clone(), role, guess, samples }
            })
            .collect();
        let status_values = shown
            .status_values
            .iter()
            .map(|(value, rows)| {
                let outcome = words.outcome(&crate::model::name_key(value));
                let known = outcome != Outcome::Open || crate::vocabulary::is_open_word(value);
                StatusValue { value: value.clone(), rows: *rows, outcome, known }
            })
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
            status_values,
        })
    };
    read_while_consuming(read, || Ok(()), |_, ()| Ok(())).map(|(preview, ())| preview).map_err(|failure| failure.into_error(file, format))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::import_file;

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
    fn a_preview_lists_the_status_values_and_marks_the_unknown_and_the_guesses() {
        let mut store = Store::open_in_memory().expect("store");
        let preview = preview_file(&store, &data("fixtures/crm/dynamics_leads.csv"), &ImportOptions::default()).expect("preview");
        let values: Vec<(&str, u64, Outcome, bool)> =
            preview.status_values.iter().map(|v| (v.value.as_str(), v.rows, v.outcome, v.known)).collect();
        assert_eq!(
            values,
            [("Disqualified", 5, Outcome::Open, false), ("Open", 5, Outcome::Open, true), ("Qualified", 5, Outcome::Open, false)]
        );
        store.set_status_words(&crate::vocabulary::StatusWords { sold: vec!["qualified".into()], lost: vec![] }).expect("words");
        let preview = preview_file(&store, &data("fixtures/crm/dynamics_leads.csv"), &ImportOptions::default()).expect("preview");
        assert!(preview.status_values.iter().any(|v| v.value == "Qualified" && v.outcome == Outcome::Sold && v.known));

        let kcc = preview_file(&store, &data("fixtures/crm/kcc_export.csv"), &ImportOptions::default()).expect("preview");
        let column = |header: &str| kcc.columns.iter().find(|c| c.header == header).expect("column");
        assert_eq!(column("Kanaal").guess.as_deref(), Some("column \"Kanaal\" as the source: \"Campagne\" fits as well"));
        assert_eq!(column("KCC-medewerker").guess, None);
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
}
