//! What an import did, and the history of imports.

use serde::Serialize;

use super::{format_utc, CommandError};
use crate::import::{ImportError, ImportReport};
use crate::lang::Lang;
use crate::model::RowIssue;
use crate::store::ImportRecord;

#[derive(Debug, Serialize)]
pub struct IssueView {
    sheet: String,
    row: u32,
    column: String,
    message: String,
}

impl From<RowIssue> for IssueView {
    fn from(issue: RowIssue) -> Self {
        IssueView { sheet: issue.sheet, row: issue.row, column: issue.column, message: issue.message }
    }
}

/// What happened to one file: imported (with its counts, notes and row
/// issues), already imported, or refused with the reason.
#[derive(Debug, Default, Serialize)]
pub struct ImportResultView {
    file: String,
    imported: bool,
    already_imported: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    import_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<CommandError>,
    rows_read: u64,
    leads: u64,
    leads_new: u64,
    leads_updated: u64,
    leads_unchanged: u64,
    passive_leads: u64,
    sheets: Vec<String>,
    notes: Vec<String>,
    issues: Vec<IssueView>,
    /// All row issues, where `issues` lists only the first (the window's).
    #[serde(skip_serializing_if = "Option::is_none")]
    issue_count: Option<u64>,
    /// The first and last creation day (ISO) of the file's leads, where
    /// they have one (the window's: it shows that period after the import).
    #[serde(skip_serializing_if = "Option::is_none")]
    first_day: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_day: Option<String>,
}

impl ImportResultView {
    /// The result with every row issue kept (the command line's).
    pub fn new(file: String, result: Result<ImportReport, ImportError>) -> Self {
        match result {
            Ok(report) => {
                // The import keeps the first row issues only; then their count says how many there were.
                let count = report.record.issue_count;
                let left_out = count > report.issues.len() as u64;
                ImportResultView { issue_count: left_out.then_some(count), ..Self::imported(file, report, usize::MAX) }
            }
            Err(error) => Self::refused(file, CommandError::from(error)),
        }
    }

    /// The result with the first `shown` row issues and their count (the window's).
    pub fn shortened(file: String, result: Result<ImportReport, ImportError>, shown: usize) -> Self {
        match result {
            Ok(report) => {
                let count = report.record.issue_count;
                let days = report.created_days.map(|(first, last)| (crate::calendar::format_day(first), crate::calendar::format_day(last)));
                let (first_day, last_day) = days.unzip();
                ImportResultView { issue_count: Some(count), first_day, last_day, ..Self::imported(file, report, shown) }
            }
            Err(error) => Self::refused(file, CommandError::from(error)),
        }
    }

    fn imported(file: String, report: ImportReport, shown: usize) -> Self {
        let r = report.record;
        // A file imported before changed nothing: all its leads are unchanged.
        let (leads_new, leads_updated, leads_unchanged) =
            if report.already_imported { (0, 0, r.leads) } else { (r.leads_new, r.leads_updated, r.leads_unchanged) };
        ImportResultView {
            file,
            imported: !report.already_imported,
            already_imported: report.already_imported,
            import_id: Some(r.id),
            error: None,
            rows_read: r.rows_read,
            leads: r.leads,
            leads_new,
            leads_updated,
            leads_unchanged,
            passive_leads: r.passive_leads,
            sheets: r.sheets,
            notes: r.notes,
            issues: report.issues.into_iter().take(shown).map(IssueView::from).collect(),
            issue_count: None,
            first_day: None,
            last_day: None,
        }
    }

    pub fn refused(file: String, error: CommandError) -> Self {
        ImportResultView { file, error: Some(error), ..ImportResultView::default() }
    }

    /// The notes, row issues and refusal in `lang` (the engine writes and
    /// stores them in English).
    pub fn in_lang(self, lang: Lang) -> Self {
        ImportResultView {
            error: self.error.map(|e| e.in_lang(lang)),
            notes: self.notes.iter().map(|n| lang.say(n)).collect(),
            issues: self.issues.into_iter().map(|i| IssueView { message: lang.say(&i.message), ..i }).collect(),
            ..self
        }
    }
}

/// One import in the history.
#[derive(Debug, Serialize)]
pub struct ImportView {
    id: i64,
    file: String,
    /// `YYYY-MM-DD HH:MM UTC`.
    imported_at: String,
    sheets: Vec<String>,
    rows_read: u64,
    leads: u64,
    leads_new: u64,
    leads_updated: u64,
    leads_unchanged: u64,
    passive_leads: u64,
    issues: u64,
}

impl From<ImportRecord> for ImportView {
    fn from(r: ImportRecord) -> Self {
        ImportView {
            id: r.id,
            file: r.file_name,
            imported_at: format_utc(r.imported_at),
            sheets: r.sheets,
            rows_read: r.rows_read,
            leads: r.leads,
            leads_new: r.leads_new,
            leads_updated: r.leads_updated,
            leads_unchanged: r.leads_unchanged,
            passive_leads: r.passive_leads,
            issues: r.issue_count,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_file_says_why_and_counts_nothing() {
        let refused = ImportResultView::new("x.xlsx".into(), Err(ImportError::Cancelled { file: "x.xlsx".into() }));
        let json = serde_json::to_value(refused).expect("serialises");
        assert_eq!(json["error"]["kind"], "cancelled");
        assert_eq!(json["imported"], false);
        assert_eq!(json["rows_read"], 0);
        assert!(json.get("import_id").is_none() && json.get("issue_count").is_none(), "{json}");
    }
}
