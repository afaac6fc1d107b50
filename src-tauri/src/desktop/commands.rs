//! The commands the window may call (each named in build.rs and granted in
//! capabilities/default.json). Each validates its input, calls the engine
//! and maps the error to `{kind, message}`; the transfer types are in `views`.
//!
//! Every command is `async`: Tauri runs synchronous commands on the main
//! thread, where waiting for the store (held by a running import) or drawing
//! a million-lead chart would freeze the window.

use std::collections::BTreeMap;

use tauri::State;

use super::{AppState, ImportJob};
use crate::charts::ChartFormat;
use crate::lang::Lang;
use crate::transfer::{
    chart_format, deck_format, export_filter, export_path, roles, write_export, ChartRoom, CommandError, CommandResult, FilterOptions,
    ImportRequest, ImportResultView, ImportView, MatrixView, PreviewView, ReportView, RoleView, SettingsView, SlideSize, SlideView,
    ViewQuery,
};
use crate::vocabulary::StatusWords;

fn lang(code: &str) -> Lang {
    Lang::parse(code).unwrap_or(Lang::En)
}

/// Conversion for one dimension, period and filter, with the comparison.
#[tauri::command]
pub async fn report(state: State<'_, AppState>, query: ViewQuery, lang: String) -> CommandResult<ReportView> {
    let checked = query.check()?;
    let by = checked.by.ok_or_else(|| CommandError::invalid("the matrix has no table report".into()))?;
    let snapshot = state.snapshot()?;
    Ok(checked.report(&snapshot.table, snapshot.rows_read, by, self::lang(&lang)))
}

/// The source x salesperson matrix's numbers.
#[tauri::command]
pub async fn matrix(state: State<'_, AppState>, query: ViewQuery, lang: String) -> CommandResult<MatrixView> {
    let query = query.check()?;
    Ok(MatrixView::from(&query.matrix(&state.snapshot()?.table, self::lang(&lang))))
}

/// The view's chart as SVG bytes, laid out for the room the dashboard has
/// for it (shown at its pixels, so its text is as large as drawn); the
/// window shows them through a blob URL.
#[tauri::command]
pub async fn chart(state: State<'_, AppState>, query: ViewQuery, room: ChartRoom, lang: String) -> CommandResult<tauri::ipc::Response> {
    let query = query.check()?;
    let snapshot = state.snapshot()?;
    let options = room.fit(query.chart_options(&snapshot.table, self::lang(&lang)));
    Ok(tauri::ipc::Response::new(query.chart(&snapshot.table, &options)?))
}

/// A slide's chart for the meeting deck: SVG drawn for the slide's pixels,
/// with its rows' places for a click to spotlight one.
#[tauri::command]
pub async fn slide(state: State<'_, AppState>, query: ViewQuery, size: SlideSize, lang: String) -> CommandResult<SlideView> {
    let query = query.check()?;
    let snapshot = state.snapshot()?;
    let lang = self::lang(&lang);
    let options = size.options(lang, query.scope(&snapshot.table, lang))?;
    Ok(SlideView::new(query.drawing(&snapshot.table, &options)?))
}

/// Each slide's definitions for its footer, as the PDF deck says them.
#[tauri::command]
pub async fn slide_definitions(lang: String, norm: f64) -> CommandResult<BTreeMap<&'static str, Vec<String>>> {
    crate::transfer::slide_definitions(self::lang(&lang), norm)
}

/// The window full screen for the meeting, or back.
#[tauri::command]
pub async fn present(window: tauri::WebviewWindow, on: bool) -> CommandResult<()> {
    window.set_fullscreen(on).map_err(|e| CommandError { kind: "window", message: e.to_string() })
}

/// Asks in the system's save dialog where an export goes, suggesting
/// `name`; `None` when the user cancels. The page then asks for the export
/// at that path (a window test passes one of its own).
#[tauri::command]
pub async fn choose_export_path(app: tauri::AppHandle, name: String) -> CommandResult<Option<String>> {
    use tauri_plugin_dialog::DialogExt;
    let (label, extension) = export_filter(&name)?;
    let chosen = app.dialog().file().set_file_name(&name).add_filter(label, &[extension]).blocking_save_file();
    Ok(chosen.and_then(|file| file.into_path().ok()).map(|path| path.display().to_string()))
}

/// The deck of the view's scope as `.pdf` or `.pptx`, anonymous when the view is.
#[tauri::command]
pub async fn export_deck(state: State<'_, AppState>, query: ViewQuery, path: String, lang: String) -> CommandResult<()> {
    let (query, path) = (query.check()?, export_path(&path, &["pdf", "pptx"])?);
    let data_as_of = state.with_store(|store| Ok(store.imports()?.iter().map(|i| i.imported_at).max()))?;
    let bytes = query.deck(&state.snapshot()?.table, deck_format(&path), self::lang(&lang), data_as_of)?;
    write_export(&path, &bytes)
}

/// The view's chart as `.png` (twice its pixels), `.svg` or a one-page `.pdf`.
#[tauri::command]
pub async fn export_chart(state: State<'_, AppState>, query: ViewQuery, path: String, lang: String) -> CommandResult<()> {
    let (query, path) = (query.check()?, export_path(&path, &["png", "svg", "pdf"])?);
    let bytes = query.chart_file(&state.snapshot()?.table, chart_format(&path), self::lang(&lang))?;
    write_export(&path, &bytes)
}

/// The table under the view's chart as `.csv`.
#[tauri::command]
pub async fn export_table(state: State<'_, AppState>, query: ViewQuery, path: String, lang: String) -> CommandResult<()> {
    let (query, path) = (query.check()?, export_path(&path, &["csv"])?);
    let csv = query.table_csv(&state.snapshot()?.table, self::lang(&lang))?;
    write_export(&path, csv.as_bytes())
}

/// The view's chart as PNG bytes at twice its pixels, which the page puts
/// on the clipboard as an image.
#[tauri::command]
pub async fn chart_png(state: State<'_, AppState>, query: ViewQuery, lang: String) -> CommandResult<tauri::ipc::Response> {
    let query = query.check()?;
    let png = query.chart_file(&state.snapshot()?.table, ChartFormat::Png, self::lang(&lang))?;
    Ok(tauri::ipc::Response::new(png))
}

/// The sources, salespeople and branches to filter on.
#[tauri::command]
pub async fn filter_options(state: State<'_, AppState>) -> CommandResult<FilterOptions> {
    Ok(FilterOptions::new(&state.snapshot()?.table))
}

#[tauri::command]
pub async fn imports(state: State<'_, AppState>) -> CommandResult<Vec<ImportView>> {
    let records = state.with_store(|store| Ok(store.imports()?))?;
    Ok(records.into_iter().map(ImportView::from).collect())
}

/// Removes an import; the figures return to what they were before it.
#[tauri::command]
pub async fn remove_import(state: State<'_, AppState>, id: i64) -> CommandResult<()> {
    state.change_store(|store| Ok(store.remove_import(id)?))
}

#[tauri::command]
pub async fn settings(state: State<'_, AppState>) -> CommandResult<SettingsView> {
    let demo = state.is_demo();
    state.with_store(|store| Ok(SettingsView::new(store.settings()?, store.sources()?, demo)))
}

/// The norm, in percent as the manager types it (13 for 13%).
#[tauri::command]
pub async fn set_norm(state: State<'_, AppState>, percent: f64) -> CommandResult<()> {
    if !percent.is_finite() {
        return Err(CommandError::invalid("the norm must be a number".into()));
    }
    state.change_store(|store| Ok(store.set_norm(percent / 100.0)?))
}

/// The margin a sale earns in euros, or `None` for no euros at stake.
#[tauri::command]
pub async fn set_margin_per_sale(state: State<'_, AppState>, euros: Option<f64>) -> CommandResult<()> {
    if euros.is_some_and(|e| !e.is_finite() || e <= 0.0) {
        return Err(CommandError::invalid("the margin per sale is a positive amount of euros".into()));
    }
    state.change_store(|store| Ok(store.set_margin_per_sale(euros)?))
}

/// Below how many active leads a source folds into "Other" in the window's views (0: never).
#[tauri::command]
pub async fn set_fold_sources_below(state: State<'_, AppState>, leads: u64) -> CommandResult<()> {
    state.change_store(|store| Ok(store.set_fold_sources_below(leads)?))
}

/// "nl", "en", or `None` to follow the system.
#[tauri::command]
pub async fn set_language(state: State<'_, AppState>, language: Option<String>) -> CommandResult<()> {
    if language.as_deref().is_some_and(|l| Lang::parse(l).is_none()) {
        return Err(CommandError::invalid("the language is nl or en".into()));
    }
    state.with_store(|store| Ok(store.set_language(language.as_deref())?))
}

/// A source active (`passive = false`), passive, or back to the default (`None`).
#[tauri::command]
pub async fn set_source_class(state: State<'_, AppState>, source: String, passive: Option<bool>) -> CommandResult<()> {
    state.change_store(|store| Ok(store.set_source_class(&source, passive)?))
}

/// Merges `source` into `into`, or (`None`) counts it apart again.
#[tauri::command]
pub async fn set_source_alias(state: State<'_, AppState>, source: String, into: Option<String>) -> CommandResult<()> {
    state.change_store(|store| Ok(store.set_source_alias(&source, into.as_deref())?))
}

/// Status words meaning sold or lost, beyond the standard ones.
#[tauri::command]
pub async fn set_status_words(state: State<'_, AppState>, sold: Vec<String>, lost: Vec<String>) -> CommandResult<()> {
    let clean = |words: Vec<String>| words.into_iter().map(|w| w.trim().to_owned()).filter(|w| !w.is_empty()).collect();
    let words = StatusWords { sold: clean(sold), lost: clean(lost) };
    state.change_store(|store| Ok(store.set_status_words(&words)?))
}

/// Deletes every lead and import; the settings stay.
#[tauri::command]
pub async fn delete_all_data(state: State<'_, AppState>) -> CommandResult<()> {
    state.change_store(|store| Ok(store.delete_all_data()?))
}

/// Switches between the demo data and the user's own.
#[tauri::command]
pub async fn use_demo(state: State<'_, AppState>, on: bool) -> CommandResult<()> {
    state.switch_store(on)
}

/// Asks for report files in the system's dialog; they wait in the preview.
#[tauri::command]
pub async fn choose_files(app: tauri::AppHandle, state: State<'_, AppState>, lang: String) -> CommandResult<()> {
    use tauri_plugin_dialog::DialogExt;
    let reports = self::lang(&lang).lead_reports();
    let chosen = app.dialog().file().add_filter(reports, &["xlsx", "xlsm", "xlsb", "xls", "ods", "csv"]).blocking_pick_files();
    state.add_waiting(chosen.unwrap_or_default().into_iter().filter_map(|f| f.into_path().ok()));
    Ok(())
}

/// The preview of every file waiting for the user's go. Reads the files'
/// first rows, so it runs off the window's thread.
#[tauri::command]
pub async fn waiting_files(state: State<'_, AppState>, lang: String) -> CommandResult<Vec<PreviewView>> {
    state.previews(self::lang(&lang))
}

/// The roles a column can take, named in `lang`.
#[tauri::command]
pub async fn column_roles(lang: String) -> Vec<RoleView> {
    roles(self::lang(&lang))
}

/// Takes files out of the preview without importing them.
#[tauri::command]
pub async fn discard_files(state: State<'_, AppState>, tokens: Vec<u64>) -> CommandResult<()> {
    state.take_waiting(&tokens).map(|_| ())
}

/// Imports previewed files in the background; progress and the results
/// arrive as events (`import-progress`, `import-finished`).
#[tauri::command]
pub async fn start_import(app: tauri::AppHandle, state: State<'_, AppState>, files: Vec<ImportRequest>) -> CommandResult<()> {
    let choices = files.iter().map(ImportRequest::choices).collect::<CommandResult<Vec<_>>>()?;
    let paths = state.take_waiting(&files.iter().map(|f| f.token).collect::<Vec<_>>())?;
    let jobs = paths.into_iter().zip(choices).map(|(path, columns)| ImportJob { path, columns });
    super::import_in_background(app, jobs.collect())
}

/// Stops the running import; the file being read is stored not at all.
#[tauri::command]
pub async fn cancel_import(state: State<'_, AppState>) -> CommandResult<()> {
    state.cancel_import();
    Ok(())
}

/// A message from Rust in `lang`: the commands' errors, which the engine
/// and the commands word in English (`Lang::say`); the window asks for
/// every error it shows, in one place (`ui/api.js`).
#[tauri::command]
pub async fn say(message: String, lang: String) -> String {
    self::lang(&lang).say(&message)
}

/// The last import's reports, for a window that opened after it ended.
#[tauri::command]
pub async fn import_results(state: State<'_, AppState>, lang: String) -> CommandResult<Vec<ImportResultView>> {
    state.take_results(self::lang(&lang))
}
