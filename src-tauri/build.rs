fn main() {
    #[cfg(feature = "desktop")]
    desktop();
}

/// Every command the window may call is named here; each gets an
/// `allow-<command>` permission that `capabilities/default.json` grants.
#[cfg(feature = "desktop")]
fn desktop() {
    const COMMANDS: &[&str] = &["report", "chart", "imports", "remove_import", "set_norm", "import_dialog", "import_reports"];
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)).expect("tauri-build");
}
