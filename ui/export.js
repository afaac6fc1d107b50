// Exports: the deck of the dashboard's scope, the view's chart and the table
// under it, each saved where the system's dialog says (Rust writes the file:
// the page has no file system), and the chart copied to the clipboard as an
// image to paste into a slide, a chat or a mail.
import * as api from "./api.js";
import { query } from "./dashboard.js";
import { clearError, oneDialog, showError } from "./dom.js";
import { t, current } from "./i18n.js";

/** What each kind writes with, by the menu's value. */
const WRITERS = { deck: api.exportDeck, chart: api.exportChart, table: api.exportTable };

export function init() {
  const menu = document.getElementById("export");
  menu.addEventListener("change", async () => {
    const choice = menu.value;
    menu.value = "";
    if (choice) await save(choice);
  });
  document.getElementById("copy-chart").addEventListener("click", copyChart);
}

/** The file name the dialog suggests: "Conversion meeting.pptx", "Conversion by source.png". */
function suggestedName(kind, extension) {
  const view = query().by;
  const name = kind === "deck" ? t("exportDeckName") : t("exportViewName", t(view));
  return `${name}.${extension}`;
}

/** `choice` is "deck.pdf", "chart.png", "table.csv", ...: asks where, then writes. */
export async function save(choice) {
  const [kind, extension] = choice.split(".");
  const status = document.getElementById("export-status");
  clearError();
  try {
    const path = await oneDialog(() => api.chooseExportPath(suggestedName(kind, extension)));
    if (!path) return;
    status.textContent = t("exporting");
    await WRITERS[kind](query(), path, current());
    status.textContent = t("exported", path);
  } catch (e) {
    status.textContent = "";
    showError(e);
  }
}

/** The view's chart on the clipboard as a PNG image. */
export async function copyChart() {
  const status = document.getElementById("export-status");
  clearError();
  try {
    // The write starts at once with the image still to come: WebKit takes a
    // clipboard write only within the user's gesture, which an await ends.
    const png = api.chartPng(query(), current());
    await navigator.clipboard.write([new ClipboardItem({ "image/png": png })]);
    status.textContent = t("copied");
  } catch (e) {
    status.textContent = "";
    showError(e);
  }
}
