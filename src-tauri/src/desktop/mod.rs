//! The window: Tauri setup and the command layer. The only place that knows
//! Tauri and JSON; everything it shows comes from the same engine as the
//! command line.

mod commands;

use std::path::PathBuf;
use std::sync::Mutex;

use crate::import::{self, ImportOptions};
use crate::store::{self, Store};

/// The demo reports: a made-up dealer group (the samples the tests check).
const DEMO_REPORTS: &[(&str, &[u8])] = &[
    ("leads_q3_2023.xlsx", include_bytes!("../../../tests/data/samples/leads_q3_2023.xlsx")),
    ("leadrapport_oktober.xlsx", include_bytes!("../../../tests/data/samples/leadrapport_oktober.xlsx")),
];

pub struct AppState {
    pub store: Mutex<Store>,
}

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
    let mut store = store;
    for file in &files {
        if let Err(error) = import::import_file(&mut store, file, &ImportOptions::default()) {
            eprintln!("dertien: refused {error}");
        }
    }
    let result = tauri::Builder::default()
        .manage(AppState { store: Mutex::new(store) })
        .invoke_handler(tauri::generate_handler![
            commands::report,
            commands::chart,
            commands::imports,
            commands::remove_import,
            commands::set_norm
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
