//! The window: Tauri setup and the command layer. The only place that knows
//! Tauri and JSON; everything it shows comes from the same engine as the
//! command line.

mod commands;

use std::path::PathBuf;
use std::sync::Mutex;

use tauri::{Emitter, Manager};

use crate::import::{self, ImportOptions};
use crate::store::{self, Store};
use commands::ImportResultView;

/// The demo reports: a made-up dealer group (the samples the tests check).
const DEMO_REPORTS: &[(&str, &[u8])] = &[
    ("leads_q3_2023.xlsx", include_bytes!("../../../tests/data/samples/leads_q3_2023.xlsx")),
    ("leadrapport_oktober.xlsx", include_bytes!("../../../tests/data/samples/leadrapport_oktober.xlsx")),
];

pub struct AppState {
    pub store: Mutex<Store>,
    /// Import reports of files that came in without the window asking
    /// (command line, drag and drop), until the window shows them.
    pub unseen: Mutex<Vec<ImportResultView>>,
}

impl AppState {
    /// Imports files one by one, each whole or not at all; one report each.
    pub fn import(&self, paths: &[PathBuf]) -> Vec<ImportResultView> {
        paths
            .iter()
            .map(|path| {
                let name = import::file_name(path);
                let Ok(mut store) = self.store.lock() else {
                    return ImportResultView::refused(name, commands::CommandError::unavailable());
                };
                ImportResultView::new(name, import::import_file(&mut store, path, &ImportOptions::default()))
            })
            .collect()
    }

    fn keep_unseen(&self, mut reports: Vec<ImportResultView>) {
        if let Ok(mut unseen) = self.unseen.lock() {
            unseen.append(&mut reports);
        }
    }
}

/// The event that tells the window new import reports are waiting.
pub const IMPORTS_CHANGED: &str = "imports-changed";

/// Opens the window; `args` passed `cli::wants_window`.
pub fn run(args: Vec<String>) -> i32 {
    if cfg!(target_os = "linux") && std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        eprintln!("dertien: there is no display to open the window on; the command line works without one:\n\n{}", crate::cli::USAGE);
        return 1;
    }
    let mut demo = false;
    let mut db = None;
    let mut files = Vec::new();
    let mut rest = args.into_iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--demo" => demo = true,
            "--db" => db = rest.next().map(PathBuf::from),
            _ => match arg.strip_prefix("--db=") {
                Some(path) => db = Some(PathBuf::from(path)),
                None => files.push(PathBuf::from(arg)),
            },
        }
    }
    let store = match open_store(db, demo) {
        Ok(store) => store,
        Err(message) => {
            eprintln!("dertien: {message}");
            return 1;
        }
    };
    let state = AppState { store: Mutex::new(store), unseen: Mutex::new(Vec::new()) };
    state.keep_unseen(state.import(&files));
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                // Rust reads dropped files; the import runs beside the window.
                let app = window.app_handle().clone();
                let paths = paths.clone();
                std::thread::spawn(move || {
                    let state = app.state::<AppState>();
                    state.keep_unseen(state.import(&paths));
                    let _ = app.emit(IMPORTS_CHANGED, ());
                });
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::report,
            commands::chart,
            commands::imports,
            commands::remove_import,
            commands::set_norm,
            commands::import_dialog,
            commands::import_reports
        ])
        .run(tauri::generate_context!());
    match result {
        Ok(()) => 0,
        Err(error) => {
            eprintln!("dertien: the window cannot open: {error}");
            1
        }
    }
}

/// The user's store (or `--db`), or with `--demo` a store of its own beside
/// it, holding the demo reports.
fn open_store(db: Option<PathBuf>, demo: bool) -> Result<Store, String> {
    let path = db.or_else(store::default_db_path).ok_or("no data folder is known on this system")?;
    if !demo {
        return Store::open(&path).map_err(|e| e.to_string());
    }
    let demo_path = path.with_file_name("demo.db");
    let mut store = Store::open(&demo_path).map_err(|e| e.to_string())?;
    if store.imports().map_err(|e| e.to_string())?.is_empty() {
        for (name, bytes) in DEMO_REPORTS {
            import::import_bytes(&mut store, name, bytes.to_vec(), &ImportOptions::default()).map_err(|e| e.to_string())?;
        }
    }
    Ok(store)
}
