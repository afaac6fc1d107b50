// The one door to Rust: every call the window makes goes through here.
const { invoke } = window.__TAURI__.core;
const { listen } = window.__TAURI__.event;

export const report = (by, from, to, lang) => invoke("report", { by, from, to, lang });

/** The chart as SVG bytes, wrapped in a Blob for an <img>. */
export async function chart(by, from, to, lang) {
  const bytes = await invoke("chart", { by, from, to, lang });
  return new Blob([new Uint8Array(bytes)], { type: "image/svg+xml" });
}

export const imports = () => invoke("imports");

export const removeImport = (id) => invoke("remove_import", { id });

/** The norm in percent (13 for 13%). */
export const setNorm = (percent) => invoke("set_norm", { percent });

/** Opens the system's file dialog; resolves with one report per file chosen. */
export const importDialog = () => invoke("import_dialog");

/** Reports of files imported from the command line or dropped on the window. */
export const importReports = () => invoke("import_reports");

/** Calls `handler` whenever new import reports are waiting. */
export const onImportsChanged = (handler) => listen("imports-changed", handler);
