//! The window: Tauri setup, the app's state and the command layer. The only
//! place that knows Tauri and JSON; everything it shows comes from the same
//! engine as the command line.
//!
//! Reports read a snapshot of the leads in memory (`Snapshot`), replaced
//! after every change to the store, so a filter change never waits for the
//! database, and an import running in the background (holding the store)
//! never blocks the dashboard.

mod commands;
mod instance;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use tauri::{Emitter, Manager};

use crate::import::{self, ImportOptions, Progress};
use crate::lang::Lang;
use crate::store::{self, LeadTable, Store};
use crate::transfer::{ColumnChoices, CommandError, CommandResult, ImportResultView, PreviewView, ProgressView};

/// The demo reports: a made-up dealer group (the samples the tests check),
/// July to December; November and December from its call centre's report,
/// which names the agents, so the agent view shows on first start.
const DEMO_REPORTS: &[(&str, &[u8])] = &[
    ("leads_q3_2023.xlsx", include_bytes!("../../../tests/data/samples/leads_q3_2023.xlsx")),
    ("leadrapport_oktober.xlsx", include_bytes!("../../../tests/data/samples/leadrapport_oktober.xlsx")),
    ("kcc_rapport_nov_dec.xlsx", include_bytes!("../../../tests/data/samples/kcc_rapport_nov_dec.xlsx")),
];

/// Events the window listens for.
pub const FILES_WAITING: &str = "files-waiting";
pub const IMPORT_PROGRESS: &str = "import-progress";
pub const IMPORT_FINISHED: &str = "import-finished";

/// What the dashboard reads.
pub struct Snapshot {
    pub table: LeadTable,
    /// Rows read by all imports: the start of the headline's count path.
    pub rows_read: u64,
}

impl Snapshot {
    fn load(store: &Store) -> Result<Snapshot, store::StoreError> {
        let rows_read = store.imports()?.iter().map(|i| i.rows_read).sum();
        Ok(Snapshot { table: store.lead_table()?, rows_read })
    }
}

/// Files given, chosen or dropped, waiting in the preview.
#[derive(Default)]
struct Waiting {
    next_token: u64,
    files: Vec<(u64, PathBuf)>,
}

pub struct AppState {
    store: Mutex<Store>,
    snapshot: RwLock<Arc<Snapshot>>,
    waiting: Mutex<Waiting>,
    /// Set while an import runs; `cancel` asks it to stop.
    importing: AtomicBool,
    cancel: AtomicBool,
    /// The last import's reports, until the window takes them.
    results: Mutex<Vec<ImportResultView>>,
    stores: StorePaths,
    /// The demo store is open, not the user's.
    demo: AtomicBool,
}

/// The user's store and the demo store beside it.
struct StorePaths {
    own: PathBuf,
    demo: PathBuf,
}

impl StorePaths {
    fn beside(own: PathBuf) -> StorePaths {
        let demo = own.with_file_name("demo.db");
        StorePaths { own, demo }
    }

    fn get(&self, demo: bool) -> &std::path::Path {
        if demo {
            &self.demo
        } else {
            &self.own
        }
    }
}

impl AppState {
    fn new(store: Store, stores: StorePaths, demo: bool) -> Result<AppState, String> {
        let snapshot = Snapshot::load(&store).map_err(|e| e.to_string())?;
        Ok(AppState {
            store: Mutex::new(store),
            snapshot: RwLock::new(Arc::new(snapshot)),
            waiting: Mutex::new(Waiting::default()),
            importing: AtomicBool::new(false),
            cancel: AtomicBool::new(false),
            results: Mutex::new(Vec::new()),
            stores,
            demo: AtomicBool::new(demo),
        })
    }

    pub fn snapshot(&self) -> CommandResult<Arc<Snapshot>> {
        self.snapshot.read().map(|s| Arc::clone(&s)).map_err(|_| CommandError::unavailable())
    }

    /// Reads the store; waits for a running import.
    pub fn with_store<T>(&self, f: impl FnOnce(&mut Store) -> CommandResult<T>) -> CommandResult<T> {
        let mut store = self.store.lock().map_err(|_| CommandError::unavailable())?;
        f(&mut store)
    }

    /// Changes the store, then the dashboard's snapshot. Refused while an
    /// import runs: the change would wait for it, with the window frozen.
    pub fn change_store(&self, f: impl FnOnce(&mut Store) -> CommandResult<()>) -> CommandResult<()> {
        if self.importing.load(Ordering::Acquire) {
            return Err(CommandError::busy());
        }
        self.with_store(|store| {
            f(store)?;
            self.refresh(store)
        })
    }

    fn refresh(&self, store: &Store) -> CommandResult<()> {
        let snapshot = Arc::new(Snapshot::load(store)?);
        *self.snapshot.write().map_err(|_| CommandError::unavailable())? = snapshot;
        Ok(())
    }

    pub fn is_demo(&self) -> bool {
        self.demo.load(Ordering::Acquire)
    }

    /// Opens the demo store (made on first use) or the user's own again.
    pub fn switch_store(&self, demo: bool) -> CommandResult<()> {
        if self.importing.load(Ordering::Acquire) {
            return Err(CommandError::busy());
        }
        let opened = open_store(self.stores.get(demo), demo).map_err(|message| CommandError { kind: "store", message })?;
        let mut store = self.store.lock().map_err(|_| CommandError::unavailable())?;
        *store = opened;
        self.refresh(&store)?;
        self.demo.store(demo, Ordering::Release);
        Ok(())
    }

    fn add_waiting(&self, paths: impl IntoIterator<Item = PathBuf>) {
        if let Ok(mut waiting) = self.waiting.lock() {
            for path in paths {
                waiting.next_token += 1;
                let token = waiting.next_token;
                waiting.files.push((token, path));
            }
        }
    }

    /// Takes the waiting files with these tokens out of the preview.
    fn take_waiting(&self, tokens: &[u64]) -> CommandResult<Vec<PathBuf>> {
        let mut waiting = self.waiting.lock().map_err(|_| CommandError::unavailable())?;
        let mut taken = Vec::new();
        for token in tokens {
            let at = waiting.files.iter().position(|(t, _)| t == token);
            let at = at.ok_or_else(|| CommandError::invalid(format!("no file {token} is waiting")))?;
            taken.push(waiting.files.remove(at).1);
        }
        Ok(taken)
    }

    fn previews(&self, lang: Lang) -> CommandResult<Vec<PreviewView>> {
        let files = self.waiting.lock().map_err(|_| CommandError::unavailable())?.files.clone();
        self.with_store(|store| {
            Ok(files
                .into_iter()
                .map(|(token, path)| {
                    let preview = import::preview_file(store, &path, &ImportOptions::default());
                    PreviewView::new(token, import::file_name(&path), preview, lang)
                })
                .collect())
        })
    }

    fn cancel_import(&self) {
        self.cancel.store(true, Ordering::Release);
    }

    /// The finished imports' reports, said in `lang`.
    fn take_results(&self, lang: Lang) -> CommandResult<Vec<ImportResultView>> {
        let mut results = self.results.lock().map_err(|_| CommandError::unavailable())?;
        Ok(std::mem::take(&mut *results).into_iter().map(|r| r.in_lang(lang)).collect())
    }
}

/// A file to import with the roles and ignored columns the preview set.
pub struct ImportJob {
    pub path: PathBuf,
    pub columns: ColumnChoices,
}

/// Row issues shown in the window; the rest are counted in the history.
const ISSUES_SHOWN: usize = 200;

/// Imports the files one by one on a thread of their own, each whole or not
/// at all, telling the window how far it is; a cancel stops the file being
/// read (nothing of it stored) and the ones after it.
fn import_in_background(app: tauri::AppHandle, jobs: Vec<ImportJob>) -> CommandResult<()> {
    let state = app.state::<AppState>();
    if state.importing.swap(true, Ordering::AcqRel) {
        return Err(CommandError::busy());
    }
    state.cancel.store(false, Ordering::Release);
    let worker = app.clone();
    // The import is CPU and disk work: tokio's blocking pool, off the
    // window's thread and the async workers that answer the dashboard.
    tauri::async_runtime::spawn_blocking(move || {
        let state = worker.state::<AppState>();
        let results = import_jobs(&worker, &state, jobs);
        if let Ok(store) = state.store.lock() {
            let _ = state.refresh(&store);
        }
        if let Ok(mut kept) = state.results.lock() {
            *kept = results;
        }
        state.importing.store(false, Ordering::Release);
        let _ = worker.emit(IMPORT_FINISHED, ());
    });
    Ok(())
}

fn import_jobs(app: &tauri::AppHandle, state: &AppState, jobs: Vec<ImportJob>) -> Vec<ImportResultView> {
    let files = jobs.len();
    let mut results = Vec::with_capacity(files);
    for (index, ImportJob { path, columns }) in jobs.into_iter().enumerate() {
        let file = import::file_name(&path);
        if state.cancel.load(Ordering::Acquire) {
            // Stopped: the files after the one being read are not begun.
            results.push(ImportResultView::shortened(file.clone(), Err(import::ImportError::Cancelled { file }), ISSUES_SHOWN));
            continue;
        }
        // The window hears at most ten times a second.
        let last: Mutex<Option<Instant>> = Mutex::new(None);
        let report = |progress: Progress| {
            let Ok(mut last) = last.lock() else { return };
            if last.is_some_and(|at| at.elapsed() < Duration::from_millis(100)) {
                return;
            }
            *last = Some(Instant::now());
            let percent = progress.fraction.map(|f| (index as f64 + f) / files as f64 * 100.0);
            let view = ProgressView { file: file.clone(), index, files, rows: progress.rows, percent };
            let _ = app.emit(IMPORT_PROGRESS, view);
        };
        let options =
            ImportOptions { mapping: columns.roles, ignored: columns.ignored, progress: Some(&report), cancel: Some(&state.cancel) };
        let result = match state.store.lock() {
            Ok(mut store) => ImportResultView::shortened(file.clone(), import::import_file(&mut store, &path, &options), ISSUES_SHOWN),
            Err(_) => ImportResultView::refused(file.clone(), CommandError::unavailable()),
        };
        results.push(result);
    }
    results
}

/// Opens the window on the store at `db` (else the app's own), or on the
/// demo store, with `files` waiting in the preview; returns the exit status.
pub fn run(db: Option<PathBuf>, demo: bool, files: Vec<PathBuf>) -> i32 {
    match open(db, demo, files) {
        Ok(()) => 0,
        Err(message) => {
            crate::cli::complain(&format!("dertien: {message}"));
            1
        }
    }
}

fn open(db: Option<PathBuf>, demo: bool, files: Vec<PathBuf>) -> Result<(), String> {
    if cfg!(target_os = "linux") && std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        return Err(format!(
            "there is no display to open the window on; the command line works without one:\n\n{}",
            crate::cli::Command::help()
        ));
    }
    let path = db.or_else(store::default_db_path).ok_or("no data folder is known on this system")?;
    // A window already open on this store takes the files (or just comes forward).
    let instance_file = path.with_extension("instance");
    if instance::hand_over(&instance_file, &files) {
        return Ok(());
    }
    let listener = instance::Listener::open(&instance_file).ok();
    let stores = StorePaths::beside(path);
    let state = AppState::new(open_store(stores.get(demo), demo)?, stores, demo)?;
    // Files from the command line ("Open with") wait in the preview.
    state.add_waiting(files);
    let app = build_app(state, listener).map_err(|error| format!("the window cannot open: {error}"))?;
    app.run(move |handle, event| {
        // macOS hands "Open with Dertien" files to the running app as URLs.
        #[cfg(target_os = "macos")]
        if let tauri::RunEvent::Opened { urls } = &event {
            let paths = urls.iter().filter_map(|url| url.to_file_path().ok());
            handle.state::<AppState>().add_waiting(paths);
            let _ = handle.emit(FILES_WAITING, ());
        }
        if let tauri::RunEvent::Exit = event {
            let _ = std::fs::remove_file(&instance_file);
        }
        let _ = handle;
    });
    Ok(())
}

/// The app with its state, its commands, the hand-over listener (a later
/// "Open with") and dropped files, each ending in the preview.
fn build_app(state: AppState, listener: Option<instance::Listener>) -> tauri::Result<tauri::App> {
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
        .setup(move |app| {
            if let Some(listener) = listener {
                let handle = app.handle().clone();
                listener.serve(move |files| {
                    handle.state::<AppState>().add_waiting(files);
                    if let Some(window) = handle.get_webview_window("main") {
                        let _ = window.unminimize();
                        let _ = window.set_focus();
                    }
                    let _ = handle.emit(FILES_WAITING, ());
                });
            }
            Ok(())
        })
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                // Rust reads dropped files; the window previews them.
                window.state::<AppState>().add_waiting(paths.iter().cloned());
                let _ = window.emit(FILES_WAITING, ());
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::report,
            commands::chart,
            commands::slide,
            commands::slide_definitions,
            commands::present,
            commands::choose_export_path,
            commands::export_deck,
            commands::export_chart,
            commands::export_table,
            commands::chart_png,
            commands::matrix,
            commands::filter_options,
            commands::imports,
            commands::remove_import,
            commands::settings,
            commands::set_norm,
            commands::set_margin_per_sale,
            commands::set_fold_sources_below,
            commands::set_language,
            commands::set_source_class,
            commands::set_source_alias,
            commands::set_status_words,
            commands::delete_all_data,
            commands::use_demo,
            commands::choose_files,
            commands::waiting_files,
            commands::column_roles,
            commands::discard_files,
            commands::start_import,
            commands::cancel_import,
            commands::import_results,
            commands::say
        ])
        .build(tauri::generate_context!())
}

/// A store, or with `demo` the demo store, filled with the demo reports on
/// first use.
fn open_store(path: &std::path::Path, demo: bool) -> Result<Store, String> {
    let mut store = Store::open(path).map_err(|e| e.to_string())?;
    if demo && store.imports().map_err(|e| e.to_string())?.is_empty() {
        for (name, bytes) in DEMO_REPORTS {
            import::import_bytes(&mut store, name, bytes.to_vec(), &ImportOptions::default()).map_err(|e| e.to_string())?;
        }
    }
    Ok(store)
}
