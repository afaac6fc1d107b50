//! The commands the window may call (each named in build.rs and granted in
//! capabilities/default.json), and the types they send. Each validates its
//! input, calls the engine and maps the error to `{kind, message}`.

use serde::Serialize;
use tauri::State;

use super::AppState;
use crate::calendar;
use crate::charts::{self, ChartFormat, ChartOptions};
use crate::lang::{group_label, Lang};
use crate::metrics::{self, Period, Verdict};
use crate::model::Dimension;
use crate::store::{ImportRecord, Store};

/// An error as the window receives it.
#[derive(Debug, Serialize, PartialEq)]
pub struct CommandError {
    pub kind: &'static str,
    pub message: String,
}

impl CommandError {
    fn invalid(message: String) -> Self {
        CommandError { kind: "invalid_input", message }
    }

    /// A lock poisoned by a panic elsewhere.
    pub fn unavailable() -> Self {
        CommandError { kind: "store", message: "the store is unavailable".into() }
    }
}

impl From<crate::store::StoreError> for CommandError {
    fn from(error: crate::store::StoreError) -> Self {
        CommandError { kind: "store", message: error.to_string() }
    }
}

impl From<crate::import::ImportError> for CommandError {
    fn from(error: crate::import::ImportError) -> Self {
        CommandError { kind: error.kind(), message: error.to_string() }
    }
}

impl From<charts::ChartError> for CommandError {
    fn from(error: charts::ChartError) -> Self {
        CommandError { kind: "chart", message: error.to_string() }
    }
}

type CommandResult<T> = Result<T, CommandError>;

fn with_store<T>(state: &State<'_, AppState>, f: impl FnOnce(&mut Store) -> CommandResult<T>) -> CommandResult<T> {
    let mut store = state.store.lock().map_err(|_| CommandError::unavailable())?;
    f(&mut store)
}

/// The dimension and period a view asks for.
fn query(by: &str, from: Option<&str>, to: Option<&str>) -> CommandResult<(Dimension, Period)> {
    let by = Dimension::parse(by).ok_or_else(|| CommandError::invalid(format!("unknown dimension \"{by}\"")))?;
    let day = |text: Option<&str>, end: bool| -> CommandResult<Option<i64>> {
        text.filter(|t| !t.is_empty())
            .map(|t| calendar::parse_iso_day(t, end).ok_or_else(|| CommandError::invalid(format!("\"{t}\" is not a date"))))
            .transpose()
    };
    Ok((by, Period { from: day(from, false)?, to: day(to, true)? }))
}

#[derive(Serialize)]
pub struct RateView {
    leads: u64,
    sold: u64,
    rate: f64,
    ci_low: f64,
    ci_high: f64,
    gap_to_norm: u64,
    small_sample: bool,
    verdict: &'static str,
}

impl From<&metrics::Rate> for RateView {
    fn from(rate: &metrics::Rate) -> Self {
        let (ci_low, ci_high) = rate.interval();
        RateView {
            leads: rate.leads,
            sold: rate.sold,
            rate: rate.rate(),
            ci_low,
            ci_high,
            gap_to_norm: rate.gap_to_norm(),
            small_sample: rate.small_sample(),
            verdict: match rate.verdict() {
                Verdict::Below => "below",
                Verdict::Undecided => "undecided",
                Verdict::Above => "above",
            },
        }
    }
}

#[derive(Serialize)]
pub struct GroupView {
    key: Option<String>,
    label: String,
    #[serde(flatten)]
    rate: RateView,
}

#[derive(Serialize)]
pub struct ReportView {
    by: &'static str,
    norm: f64,
    from: Option<String>,
    to: Option<String>,
    total: RateView,
    passive_leads: u64,
    groups: Vec<GroupView>,
}

impl ReportView {
    fn new(report: &metrics::Report, lang: Lang) -> Self {
        ReportView {
            by: report.by.name(),
            norm: report.norm,
            from: report.period.map(|p| calendar::format_day(p.0)),
            to: report.period.map(|p| calendar::format_day(p.1)),
            total: RateView::from(&report.total),
            passive_leads: report.passive_leads,
            groups: report
                .groups
                .iter()
                .map(|g| GroupView { key: g.key_text(), label: group_label(report, g, lang), rate: RateView::from(&g.rate) })
                .collect(),
        }
    }
}

#[tauri::command]
pub fn report(state: State<'_, AppState>, by: String, from: Option<String>, to: Option<String>, lang: String) -> CommandResult<ReportView> {
    let (by, period) = query(&by, from.as_deref(), to.as_deref())?;
    let lang = Lang::parse(&lang).unwrap_or(Lang::En);
    let report = with_store(&state, |store| Ok(metrics::report(store, by, period)?))?;
    Ok(ReportView::new(&report, lang))
}

/// The chart as SVG bytes; the window shows them through a blob URL.
#[tauri::command]
pub fn chart(
    state: State<'_, AppState>,
    by: String,
    from: Option<String>,
    to: Option<String>,
    lang: String,
) -> CommandResult<tauri::ipc::Response> {
    let (by, period) = query(&by, from.as_deref(), to.as_deref())?;
    let lang = Lang::parse(&lang).unwrap_or(Lang::En);
    let report = with_store(&state, |store| Ok(metrics::report(store, by, period)?))?;
    let options = ChartOptions { format: ChartFormat::Svg, lang, ..ChartOptions::default() };
    Ok(tauri::ipc::Response::new(charts::render(&report, &options)?))
}

#[derive(Serialize)]
pub struct ImportView {
    id: i64,
    file: String,
    imported_at: i64,
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
            imported_at: r.imported_at,
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

#[tauri::command]
pub fn imports(state: State<'_, AppState>) -> CommandResult<Vec<ImportView>> {
    let records = with_store(&state, |store| Ok(store.imports()?))?;
    Ok(records.into_iter().map(ImportView::from).collect())
}

#[derive(Serialize)]
pub struct IssueView {
    sheet: String,
    row: u32,
    column: String,
    message: String,
}

/// What happened to one file: imported (with its counts, notes and row
/// issues), already imported, or refused with the reason.
#[derive(Serialize)]
pub struct ImportResultView {
    file: String,
    imported: bool,
    already_imported: bool,
    error: Option<CommandError>,
    record: Option<ImportView>,
    notes: Vec<String>,
    issues: Vec<IssueView>,
}

/// Row issues shown in the window; the rest are counted in the history.
const ISSUES_SHOWN: usize = 200;

impl ImportResultView {
    pub fn new(file: String, result: Result<crate::import::ImportReport, crate::import::ImportError>) -> Self {
        match result {
            Ok(report) => ImportResultView {
                file,
                imported: !report.already_imported,
                already_imported: report.already_imported,
                error: None,
                notes: report.record.notes.clone(),
                record: Some(ImportView::from(report.record)),
                issues: report
                    .issues
                    .into_iter()
                    .take(ISSUES_SHOWN)
                    .map(|i| IssueView { sheet: i.sheet, row: i.row, column: i.column, message: i.message })
                    .collect(),
            },
            Err(error) => Self::refused(file, CommandError::from(error)),
        }
    }

    pub fn refused(file: String, error: CommandError) -> Self {
        ImportResultView { file, imported: false, already_imported: false, error: Some(error), record: None, notes: Vec::new(), issues: Vec::new() }
    }
}

/// Asks for report files in the system's dialog; Rust reads what is chosen.
#[tauri::command]
pub async fn import_dialog(app: tauri::AppHandle, state: State<'_, AppState>) -> CommandResult<Vec<ImportResultView>> {
    use tauri_plugin_dialog::DialogExt;
    let chosen = app.dialog().file().add_filter("Lead reports", &["xlsx", "xlsm", "xlsb", "xls", "ods", "csv"]).blocking_pick_files();
    let paths: Vec<_> = chosen.unwrap_or_default().into_iter().filter_map(|f| f.into_path().ok()).collect();
    Ok(state.import(&paths))
}

/// Import reports of files that came from the command line or a drop.
#[tauri::command]
pub fn import_reports(state: State<'_, AppState>) -> CommandResult<Vec<ImportResultView>> {
    let mut unseen = state.unseen.lock().map_err(|_| CommandError::unavailable())?;
    Ok(std::mem::take(&mut *unseen))
}

/// Removes an import; the figures return to what they were before it.
#[tauri::command]
pub fn remove_import(state: State<'_, AppState>, id: i64) -> CommandResult<()> {
    with_store(&state, |store| Ok(store.remove_import(id)?))
}

/// The norm, in percent as the manager types it (13 for 13%).
#[tauri::command]
pub fn set_norm(state: State<'_, AppState>, percent: f64) -> CommandResult<()> {
    if !percent.is_finite() {
        return Err(CommandError::invalid("the norm must be a number".into()));
    }
    with_store(&state, |store| Ok(store.set_norm(percent / 100.0)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_reach_the_window_as_kind_and_message() {
        let error = CommandError::from(crate::import::ImportError::NoLeadRows {
            file: "leeg.xlsx".into(),
            detail: "the file holds no rows".into(),
        });
        let json = serde_json::to_value(&error).expect("serialises");
        assert_eq!(json, serde_json::json!({
            "kind": "no_lead_rows",
            "message": "leeg.xlsx: nothing to import: the file holds no rows"
        }));
        let invalid = query("colour", None, None).expect_err("not a dimension");
        assert_eq!(invalid.kind, "invalid_input");
    }
}
