// Wiring: the language, the dashboard, importing and the settings.
import * as api from "./api.js";
import * as dashboard from "./dashboard.js";
import * as exports from "./export.js";
import * as importing from "./importing.js";
import * as present from "./present.js";
import * as settings from "./settings.js";
import { showError } from "./dom.js";
import { use } from "./i18n.js";

/** After anything changed the figures: the filters, the view, the history. */
async function everything() {
  try {
    await dashboard.loadFilterOptions();
    await Promise.all([dashboard.refresh(), importing.showImports()]);
    const current = await api.settings();
    document.getElementById("demo-badge").hidden = !current.demo;
    if (!document.getElementById("settings").hidden) await settings.show(current);
  } catch (e) {
    showError(e);
  }
}

async function start() {
  try {
    use((await api.settings()).language);
  } catch (e) {
    showError(e);
  }
  dashboard.buildTabs();
  dashboard.wireFilters(async (percent) => {
    try {
      await api.setNorm(percent);
    } catch (e) {
      // The stored norm back in the field, and why the one typed was refused
      // (after the redraw, which clears old errors).
      await dashboard.refresh();
      showError(e);
      return;
    }
    await dashboard.refresh();
  });
  settings.init(async () => {
    dashboard.buildTabs();
    await everything();
  });
  await importing.init(everything, dashboard.showImported);
  present.init();
  exports.init();
  dashboard.fitChartToWindow();
  // What the page scrolls to (a view's tabs, a button) stays clear of the
  // bar at the top, one row high or two (a custom period).
  const bar = document.querySelector(".top");
  new ResizeObserver(() => {
    document.documentElement.style.scrollPaddingTop = `${bar.offsetHeight + 8}px`;
  }).observe(bar);
  // Anonymous holds for the whole window, not only the deck: the filters'
  // names and every view are drawn again without them.
  document.getElementById("present-anonymous").addEventListener("change", everything);
  for (const id of ["import", "welcome-import"]) document.getElementById(id).addEventListener("click", importing.chooseFiles);
  document.getElementById("welcome-demo").addEventListener("click", () => settings.switchDemo(true));
  await everything();
  // Files from the command line ("Open with") wait in the preview.
  await importing.showPreview();
}

start();
