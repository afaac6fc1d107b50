fn main() {
    #[cfg(feature = "desktop")]
    desktop();
}

/// Every command the window may call is named here; each gets an
/// `allow-<command>` permission that `capabilities/default.json` grants.
#[cfg(feature = "desktop")]
fn desktop() {
    const COMMANDS: &[&str] = &[
        "report",
        "chart",
        "slide",
        "slide_definitions",
        "present",
        "choose_export_path",
        "export_deck",
        "export_chart",
        "export_table",
        "chart_png",
        "matrix",
        "filter_options",
        "imports",
        "remove_import",
        "settings",
        "set_norm",
        "set_margin_per_sale",
        "set_fold_sources_below",
        "set_language",
        "set_source_class",
        "set_source_alias",
        "set_status_words",
        "delete_all_data",
        "use_demo",
        "choose_files",
        "waiting_files",
        "column_roles",
        "discard_files",
        "start_import",
        "cancel_import",
        "import_results",
        "say",
    ];
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)).expect("tauri-build");
}
