//! What the window exports, through the system's save dialog: the deck of
//! the dashboard's scope (PDF or PPTX), the view's chart (PNG at twice its
//! pixels, SVG, a one-page PDF) and the table under it (CSV). The same
//! engine draws them as for the command line (`deck`, `charts`, the
//! report's CSV); here the view query becomes their options.
//!
//! The page names the file (the dialog's answer); Rust writes it. A path
//! must be absolute and end in the export's own extension, so a page that
//! misbehaved could write a chart or a table, never a program or a setting.

use std::path::{Path, PathBuf};

use super::report::defused;
use super::{report_csv, CommandError, CommandResult, Query};
use crate::charts::{self, ChartFormat};
use crate::deck::{Deck, DeckChoices, DeckFormat, DeckOptions, Names};
use crate::lang::Lang;
use crate::metrics::{Matrix, Report};
use crate::model::Dimension;
use crate::store::LeadTable;

/// The exports' extensions and what the save dialog calls them.
const EXPORTS: [(&str, &str); 5] = [("pdf", "PDF"), ("pptx", "PowerPoint"), ("png", "PNG"), ("svg", "SVG"), ("csv", "CSV")];

/// A file name's extension, in lower case.
fn extension(path: &Path) -> Option<String> {
    Some(path.extension()?.to_str()?.to_lowercase())
}

/// The save dialog's filter for a suggested file name: what it is called
/// and its extension.
pub fn export_filter(name: &str) -> CommandResult<(&'static str, &'static str)> {
    let asked = extension(Path::new(name));
    EXPORTS
        .iter()
        .find(|(ext, _)| asked.as_deref() == Some(*ext))
        .map(|(ext, label)| (*label, *ext))
        .ok_or_else(|| CommandError::invalid(format!("\"{name}\" is no export")))
}

/// Where the page asks an export of one of `allowed` (extensions) to go:
/// an absolute path ending in one of them.
pub fn export_path(path: &str, allowed: &[&str]) -> CommandResult<PathBuf> {
    let path = PathBuf::from(path);
    let fits = extension(&path).is_some_and(|e| allowed.contains(&e.as_str()));
    if fits && path.is_absolute() {
        Ok(path)
    } else {
        Err(CommandError::invalid(format!(
            "cannot export to \"{}\": an absolute path ending in .{} is needed",
            path.display(),
            allowed.join(" or .")
        )))
    }
}

/// The chart format a checked path names.
pub fn chart_format(path: &Path) -> ChartFormat {
    match extension(path).as_deref() {
        Some("png") => ChartFormat::Png,
        Some("pdf") => ChartFormat::Pdf,
        _ => ChartFormat::Svg,
    }
}

/// The deck format a checked path names.
pub fn deck_format(path: &Path) -> DeckFormat {
    DeckFormat::of(path).unwrap_or(DeckFormat::Pdf)
}

/// Writes an export's bytes.
pub fn write_export(path: &Path, bytes: &[u8]) -> CommandResult<()> {
    std::fs::write(path, bytes).map_err(|e| CommandError { kind: "write", message: format!("cannot write {}: {e}", path.display()) })
}

impl Query {
    /// The deck of the query's scope, anonymous when the query is.
    pub fn deck(&self, table: &LeadTable, format: DeckFormat, lang: Lang, data_as_of: Option<i64>) -> CommandResult<Vec<u8>> {
        let names = if self.anonymize { Names::Letters { keep: None } } else { Names::Real };
        let choices = DeckChoices { fold_below: table.fold_sources_below, compare: self.compare };
        let deck = Deck::new(table, self.period, &self.filter, names, lang, choices);
        let options =
            DeckOptions { lang, theme: charts::Theme::LIGHT, anonymize: self.anonymize, scope: self.scope(table, lang), data_as_of };
        deck.write(format, &options).map_err(|e| CommandError { kind: "chart", message: e.to_string() })
    }

    /// The view's chart as a file: PNG twice as sharp as the window's, SVG,
    /// or a one-page PDF.
    pub fn chart_file(&self, table: &LeadTable, format: ChartFormat, lang: Lang) -> CommandResult<Vec<u8>> {
        let options = charts::ChartOptions { format, pixel_ratio: 2, ..self.chart_options(table, lang) };
        Ok(self.chart(table, &options)?)
    }

    /// The table under the view's chart as CSV: its report's groups (cli.md's
    /// columns), or the matrix's cells one per line; names as the view shows
    /// them (letters when anonymous).
    pub fn table_csv(&self, table: &LeadTable, lang: Lang) -> CommandResult<String> {
        let csv = match self.by {
            Some(by) => report_csv(&self.named_report(table, by, lang), lang),
            None => matrix_csv(&self.matrix(table, lang)),
        };
        csv.map_err(|e| CommandError { kind: "write", message: e.to_string() })
    }

    /// The report by `by` (the long tail of sources folded as in the
    /// window), salespeople and agents by their letters when anonymous.
    fn named_report(&self, table: &LeadTable, by: Dimension, lang: Lang) -> Report {
        let (mut report, _) = self.reports(table, by, false);
        if self.anonymize && matches!(by, Dimension::Salesperson | Dimension::Agent) {
            let options = charts::ChartOptions { lang, anonymize: true, ..charts::ChartOptions::default() };
            charts::Aliases::new(&report, &options).rename_report(&mut report);
        }
        report
    }
}

/// The matrix as CSV: a line per salesperson and source with its figures.
fn matrix_csv(matrix: &Matrix) -> Result<String, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(["salesperson", "source", "leads", "sold", "rate"])?;
    for (person, row) in matrix.salespeople.iter().zip(&matrix.cells) {
        for (source, rate) in matrix.sources.iter().zip(row) {
            if rate.leads == 0 {
                continue;
            }
            let rate_text = format!("{:.6}", rate.rate());
            out.write_record([defused(person.clone()), defused(source.clone()), rate.leads.to_string(), rate.sold.to_string(), rate_text])?;
        }
    }
    let bytes = out.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The exported table and deck fold the long tail of sources as the window's views do.
    #[test]
    fn the_exported_table_and_deck_fold_the_long_tail_as_the_window_does() {
        let mut store = crate::store::Store::open_in_memory().expect("store");
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/fixtures/long_tail.csv");
        crate::import::import_file(&mut store, &path, &crate::import::ImportOptions::default()).expect("imports");
        let query = super::super::ViewQuery { by: "source".into(), ..Default::default() }.check().expect("a query");
        let table = store.lead_table().expect("table");
        assert_eq!(table.fold_sources_below, crate::metrics::FOLD_SOURCES_BELOW, "folded by default");
        let csv = query.table_csv(&table, Lang::Nl).expect("csv");
        assert!(csv.contains("\nOverige (4 bronnen),12,3,") && !csv.contains("testone"), "{csv}");
        let deck = query.deck(&table, DeckFormat::Pdf, Lang::En, None).expect("deck");
        assert!(!deck.is_empty());
        store.set_fold_sources_below(0).expect("setting");
        let table = store.lead_table().expect("table");
        let csv = query.table_csv(&table, Lang::Nl).expect("csv");
        assert!(csv.contains("\ntestone,1,0,") && !csv.contains("Overige"), "0 folds nothing: {csv}");
    }

    #[test]
    fn a_path_must_be_absolute_and_end_in_the_exports_extension() {
        let root = if cfg!(windows) { "C:\\Users\\me\\" } else { "/home/me/" };
        let deck = export_path(&format!("{root}deck.PPTX"), &["pdf", "pptx"]).expect("a deck");
        assert_eq!(deck_format(&deck), DeckFormat::Pptx);
        assert!(export_path("deck.pptx", &["pdf", "pptx"]).is_err(), "relative");
        assert!(export_path(&format!("{root}.bashrc"), &["csv"]).is_err(), "no other file");
        assert!(export_path(&format!("{root}table.csv"), &["png", "svg", "pdf"]).is_err(), "a chart's command writes no table");
        assert_eq!(chart_format(&export_path(&format!("{root}c.png"), &["png"]).expect("png")), ChartFormat::Png);
        assert_eq!(export_filter("Conversie.pptx").expect("known"), ("PowerPoint", "pptx"));
        assert!(export_filter("x.exe").is_err());
    }
}
