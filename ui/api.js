// The one door to Rust: every call the window makes goes through here.
const { invoke } = window.__TAURI__.core;

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
