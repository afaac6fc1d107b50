// Reports in: the preview of each file, the import in the background with
// its progress, the import report, and the history of imports.
import * as api from "./api.js";
import { cell, confirmButton, el, oneDialog, select, showError } from "./dom.js";
import { t, count, current, moment } from "./i18n.js";

const byId = (id) => document.getElementById(id);

/** The files in the preview, with the roles as the user left them. */
let waiting = [];
let roles = [];

/** Called after anything changed the figures. */
let changed = async () => {};
/** Told the first and last creation day of the files just imported. */
let imported = () => {};

export async function init(onChange, onImported) {
  changed = onChange;
  imported = onImported;
  await api.onFilesWaiting(showPreview);
  await api.onImportProgress(showProgress);
  await api.onImportFinished(finished);
  byId("preview-cancel").addEventListener("click", discard);
  byId("preview-import").addEventListener("click", startImport);
  byId("cancel-import").addEventListener("click", () => api.cancelImport());
  byId("close-report").addEventListener("click", () => { byId("import-report").hidden = true; });
}

/** Asks for files in the system's dialog, then previews them. */
export async function chooseFiles() {
  try {
    await oneDialog(() => api.chooseFiles(current()));
    await showPreview();
  } catch (e) {
    showError(e);
  }
}

/** Every waiting file with its columns, roles and first values. */
export async function showPreview() {
  try {
    // The roles' names in the language now in use, which the settings may have changed.
    [roles, waiting] = await Promise.all([api.columnRoles(current()), api.waitingFiles(current())]);
    waiting = waiting.map((file) => ({ ...file, changed: false }));
  } catch (e) {
    showError(e);
    return;
  }
  byId("preview").hidden = waiting.length === 0;
  byId("preview-files").replaceChildren(...waiting.map(previewFile));
  updateImportButton();
  if (waiting.length > 0) byId("preview").scrollIntoView({ block: "start" });
}

function previewFile(file) {
  const article = el("article", "preview-file");
  article.dataset.token = String(file.token);
  article.append(el("h3", null, file.file));
  if (file.error) {
    article.classList.add("refused");
    article.append(el("p", "refused", `${t("cannotRead")}: ${file.error.message}`));
    return article;
  }
  article.append(el("p", "facts", t("previewFacts", file.format, t("sheetsWord", file.sheets), file.header_row)));
  const notes = [];
  if (file.already_imported) notes.push(t("alreadyImported"));
  if (file.remembered) notes.push(t("rememberedNote"));
  notes.push(...file.notes);
  if (notes.length > 0) {
    const list = el("ul", "notes");
    list.append(...notes.map((n) => el("li", null, n)));
    article.append(list);
  }
  // The engine says what is missing in command-line words; here the fix is a choice below.
  const problem = el("p", "problem", file.problem ? t("needsOutcome") : "");
  problem.hidden = !file.problem;
  article.append(problem);
  const table = el("table", "columns");
  const head = document.createElement("tr");
  for (const word of ["column", "role", "firstValues"]) head.append(el("th", null, t(word)));
  table.append(el("thead"), el("tbody"));
  table.tHead.append(head);
  const choices = [["", t("notUsed")], ...roles.map((r) => [r.key, r.label])];
  const selects = [];
  file.columns.forEach((column, index) => {
    const row = document.createElement("tr");
    cell(row, column.header || "–");
    const chooser = select(choices, column.role ?? "", (role) => {
      // One column per role: the column that had it gives it up.
      file.columns.forEach((other, i) => {
        if (i !== index && role !== "" && other.role === role) {
          other.role = null;
          selects[i].value = "";
        }
      });
      column.role = role === "" ? null : role;
      file.changed = true;
      problem.hidden = hasOutcome(file);
      if (!problem.hidden) problem.textContent = t("needsOutcome");
      updateImportButton();
    });
    chooser.setAttribute("aria-label", `${t("role")}: ${column.header}`);
    selects.push(chooser);
    const roleCell = el("td");
    roleCell.append(chooser);
    row.append(roleCell);
    if (column.guess) {
      // Unsure is visible: the role is marked, and the reason is one line away.
      const mark = el("span", "guess", t("guess"));
      mark.title = column.guess;
      roleCell.append(mark);
    }
    cell(row, column.samples.filter((s) => s !== "").join(" · "), "samples");
    table.tBodies[0].append(row);
  });
  article.append(table);
  if (file.status_values.length > 0) article.append(statusValues(file));
  return article;
}

/**
 * The status column's values in the first rows, each with what the status
 * words make of it; the user names the ones they do not know. The choices
 * become the settings' words when the import starts, so the command line
 * counts the same.
 */
function statusValues(file) {
  const section = el("section", "status-values");
  const unknown = file.status_values.filter((v) => !v.known).length;
  section.append(el("h4", null, t("statusValues")));
  section.append(el("p", unknown > 0 ? "problem" : "hint", unknown > 0 ? t("statusUnknown", unknown) : t("statusKnown")));
  const table = el("table", "status-values");
  const head = document.createElement("tr");
  for (const word of ["statusValue", "rowsWord", "countsAs"]) head.append(el("th", null, t(word)));
  table.append(el("thead"), el("tbody"));
  table.tHead.append(head);
  const choices = ["sold", "lost", "open"].map((o) => [o, t(`outcome_${o}`)]);
  file.statusChoices = new Map();
  for (const value of file.status_values) {
    const row = document.createElement("tr");
    if (!value.known) row.className = "unknown";
    cell(row, value.value);
    cell(row, count(value.rows));
    const chooser = select(choices, value.outcome, (outcome) => file.statusChoices.set(value.value, outcome));
    chooser.setAttribute("aria-label", `${t("countsAs")}: ${value.value}`);
    const choice = el("td");
    choice.append(chooser);
    if (!value.known) choice.append(el("span", "guess", t("notRecognised")));
    row.append(choice);
    table.tBodies[0].append(row);
  }
  section.append(table);
  return section;
}

/** The status words with the preview's choices: a value named sold or lost joins that list and leaves the other. */
async function saveStatusChoices(files) {
  const choices = files.flatMap((f) => [...(f.statusChoices ?? new Map())]);
  if (choices.length === 0) return;
  const settings = await api.settings();
  const same = (a, b) => a.trim().toLowerCase() === b.trim().toLowerCase();
  let sold = settings.sold_words.filter((w) => !choices.some(([value]) => same(value, w)));
  let lost = settings.lost_words.filter((w) => !choices.some(([value]) => same(value, w)));
  for (const [value, outcome] of choices) {
    if (outcome === "sold") sold = [...sold, value];
    if (outcome === "lost") lost = [...lost, value];
  }
  await api.setStatusWords(sold, lost);
}

function hasOutcome(file) {
  return file.columns.some((c) => roles.some((r) => r.key === c.role && r.outcome));
}

function importable() {
  return waiting.filter((f) => !f.error);
}

function updateImportButton() {
  const files = importable();
  const go = byId("preview-import");
  go.textContent = t("importFiles", files.length);
  go.disabled = files.length === 0 || files.some((f) => !hasOutcome(f));
}

async function discard() {
  try {
    await api.discardFiles(waiting.map((f) => f.token));
  } catch (e) {
    showError(e);
  }
  await showPreview();
}

async function startImport() {
  const chosen = importable();
  const files = chosen.map((f) => ({
    token: f.token,
    columns: f.changed ? f.columns.map((c) => ({ header: c.header, role: c.role })) : null,
  }));
  const unreadable = waiting.filter((f) => f.error).map((f) => f.token);
  try {
    await saveStatusChoices(chosen);
    if (unreadable.length > 0) await api.discardFiles(unreadable);
    await api.startImport(files);
  } catch (e) {
    showError(e);
    return;
  }
  byId("preview").hidden = true;
  showProgress({ file: chosen.length > 0 ? chosen[0].file : "", index: 0, files: chosen.length, rows: 0, percent: 0 });
}

function showProgress(progress) {
  byId("progress").hidden = false;
  byId("progress-file").textContent = t("importing", progress.file, progress.index + 1, progress.files);
  byId("progress-rows").textContent = t("rowsSoFar", count(progress.rows));
  const bar = byId("progress-bar");
  if (progress.percent === null || progress.percent === undefined) {
    bar.removeAttribute("value");
  } else {
    bar.value = progress.percent;
  }
}

async function finished() {
  byId("progress").hidden = true;
  try {
    const results = await api.importResults(current());
    showReport(results);
    // The period of the leads just imported, for the dashboard to show.
    const days = results.filter((r) => r.first_day && r.last_day);
    const first = days.map((r) => r.first_day).sort()[0];
    const last = days.map((r) => r.last_day).sort().at(-1);
    imported(first, last);
  } catch (e) {
    showError(e);
  }
  await showPreview();
  await changed();
}

/** One line per file: what was read, or why it was refused; its notes and row issues behind a toggle. */
export function showReport(results) {
  if (results.length === 0) return;
  const items = results.map((result) => {
    const item = el("li", result.error ? "refused" : "");
    let summary;
    if (result.error) summary = t("refused", result.error.message);
    else if (result.already_imported) summary = t("sameFile", result.file, count(result.leads));
    else summary = t("importedLine", result.file, result);
    item.append(el("strong", null, summary));
    // The notes and row issues folded away under the line: on a laptop the
    // report must not push the dashboard off the first screen.
    const details = [...result.notes, ...result.issues.map((i) => t("issueLine", i))];
    if (details.length > 0) {
      const folded = el("details");
      const list = el("ul");
      list.append(...details.map((text) => el("li", null, text)));
      folded.append(el("summary", null, t("reportDetails", details.length)), list);
      item.append(" ", folded);
    }
    return item;
  });
  byId("import-results").replaceChildren(...items);
  byId("import-report").hidden = false;
}

/** The history: every import, each removable (the figures return to before it). */
export async function showImports() {
  const entries = await api.imports();
  const rows = entries.map((entry) => {
    const row = document.createElement("tr");
    cell(row, entry.file);
    cell(row, moment(entry.imported_at));
    for (const n of [entry.rows_read, entry.leads, entry.leads_new, entry.leads_updated, entry.leads_unchanged, entry.passive_leads, entry.issues]) {
      cell(row, count(n));
    }
    const remove = confirmButton(t("remove"), t("reallyRemove"), async () => {
      try {
        await api.removeImport(entry.id);
      } catch (e) {
        showError(e);
      }
      await changed();
    }, "remove");
    remove.setAttribute("aria-label", t("removeLabel", entry.file));
    cell(row, "").append(remove);
    return row;
  });
  byId("imports").querySelector("tbody").replaceChildren(...rows);
  byId("welcome").hidden = entries.length > 0;
  byId("dashboard").hidden = entries.length === 0;
  return entries.length;
}

