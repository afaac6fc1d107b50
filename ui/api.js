// The one door to Rust: every call the window makes goes through here.
import { current } from "./i18n.js";

const tauri = window.__TAURI__.core;
const { listen } = window.__TAURI__.event;

/**
 * A command. Its error (`{kind, message}`), which Rust words in English,
 * comes back in the window's language: asked for here, once for every
 * command, from the same table that says the import's notes in Dutch.
 */
async function invoke(command, args) {
  try {
    return await tauri.invoke(command, args);
  } catch (error) {
    const lang = current();
    if (lang === "en" || !error || typeof error.message !== "string") throw error;
    let message = error.message;
    try {
      message = await tauri.invoke("say", { message, lang });
    } catch {
      // Then as Rust said it.
    }
    throw { ...error, message };
  }
}

/**
 * A view: `{by, from, to, source, salesperson, branch, compare}`; `by` is a
 * dimension or "matrix", dates are YYYY-MM-DD or YYYY-MM, names are ids.
 */
export const report = (query, lang) => invoke("report", { query, lang });

/**
 * The chart as SVG bytes, wrapped in a Blob for an <img>, laid out for
 * `room`: `{width, height}` in CSS pixels, the chart's box's width and the
 * height it may take; shown at that width, its text is as large as drawn.
 */
export async function chart(query, room, lang) {
  const bytes = await invoke("chart", { query, room, lang });
  return new Blob([new Uint8Array(bytes)], { type: "image/svg+xml" });
}

/**
 * A slide's chart for the meeting deck, drawn for `size`:
 * `{width, height, theme: "light" | "dark", anonymize, spotlight}` in device
 * pixels, `spotlight` a row's index or null. Gives `{svg, rows}`: the SVG as
 * a Blob for an <img>, and each row's `[left, top, right, bottom]` in its pixels.
 */
export async function slide(query, size, lang) {
  const { svg, rows } = await invoke("slide", { query, size, lang });
  return { svg: new Blob([svg], { type: "image/svg+xml" }), rows };
}

/** Each slide's definitions for its footer, by view name, as the PDF deck says them. */
export const slideDefinitions = (lang, norm) => invoke("slide_definitions", { lang, norm });

/** The window full screen for the meeting (true), or back. */
export const present = (on) => invoke("present", { on });

/** Asks in the system's save dialog where `name` goes: its path, or null when cancelled. */
export const chooseExportPath = (name) => invoke("choose_export_path", { name });
/** The deck of the view's scope, as the path's extension says (.pdf or .pptx). */
export const exportDeck = (query, path, lang) => invoke("export_deck", { query, path, lang });
/** The view's chart: .png (twice its pixels), .svg or .pdf. */
export const exportChart = (query, path, lang) => invoke("export_chart", { query, path, lang });
/** The table under the view's chart as .csv. */
export const exportTable = (query, path, lang) => invoke("export_table", { query, path, lang });

/** The view's chart as a PNG at twice its pixels, for the clipboard. */
export async function chartPng(query, lang) {
  const bytes = await invoke("chart_png", { query, lang });
  return new Blob([new Uint8Array(bytes)], { type: "image/png" });
}

/** The source x salesperson matrix's numbers for a view query. */
export const matrix = (query, lang) => invoke("matrix", { query, lang });

export const filterOptions = () => invoke("filter_options");
export const imports = () => invoke("imports");
export const removeImport = (id) => invoke("remove_import", { id });

export const settings = () => invoke("settings");
/** The norm in percent (13 for 13%). */
export const setNorm = (percent) => invoke("set_norm", { percent });
/** Euros a sale earns, or null: the headline then shows the euros at stake. */
export const setMarginPerSale = (euros) => invoke("set_margin_per_sale", { euros });
/** Sources with fewer active leads than `leads` fold into one group in the views (0: never). */
export const setFoldSourcesBelow = (leads) => invoke("set_fold_sources_below", { leads });
export const setLanguage = (language) => invoke("set_language", { language });
export const setSourceClass = (source, passive) => invoke("set_source_class", { source, passive });
export const setSourceAlias = (source, into) => invoke("set_source_alias", { source, into });
export const setStatusWords = (sold, lost) => invoke("set_status_words", { sold, lost });
export const deleteAllData = () => invoke("delete_all_data");
export const useDemo = (on) => invoke("use_demo", { on });

/** Opens the system's file dialog (its words in `lang`); the files chosen wait in the preview. */
export const chooseFiles = (lang) => invoke("choose_files", { lang });
/** The waiting files' previews, the engine's notes and refusals in `lang`. */
export const waitingFiles = (lang) => invoke("waiting_files", { lang });
export const columnRoles = (lang) => invoke("column_roles", { lang });
export const discardFiles = (tokens) => invoke("discard_files", { tokens });
/** `files`: `[{token, columns: null | [{header, role}]}]`. */
export const startImport = (files) => invoke("start_import", { files });
export const cancelImport = () => invoke("cancel_import");
/** The finished imports' reports, their notes, row issues and refusals in `lang`. */
export const importResults = (lang) => invoke("import_results", { lang });

/** Files arrived (dropped on the window) and wait in the preview. */
export const onFilesWaiting = (handler) => listen("files-waiting", handler);
/** `{file, index, files, rows, percent}` while an import runs. */
export const onImportProgress = (handler) => listen("import-progress", (event) => handler(event.payload));
export const onImportFinished = (handler) => listen("import-finished", handler);
