// The dashboard: one dimension at a time, its chart and its numbers.
import * as api from "./api.js";

const DIMENSIONS = [
  ["source", "Source"],
  ["salesperson", "Salesperson"],
  ["branch", "Branch"],
  ["month", "Month"],
  ["response", "Response time"],
  ["phone", "Phone number"],
];
const LANG = navigator.language.toLowerCase().startsWith("nl") ? "nl" : "en";
const percent = (x) => `${(x * 100).toFixed(1)}%`;
const normPercent = (x) => percent(x).replace(".0%", "%");

const state = { by: "source", chartUrl: null };

function cell(row, text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  row.append(td);
  return td;
}

function headlineItem(value, label, className) {
  const item = document.createElement("div");
  if (className) item.className = className;
  const strong = document.createElement("strong");
  strong.textContent = value;
  const span = document.createElement("span");
  span.textContent = label;
  item.append(strong, span);
  return item;
}

/** Days to let a lead be decided before its conversion means much. */
const DECIDE_DAYS = 30;
const isoDay = (date) => `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;

/** The chosen period as [from, to] (ISO days or months, null for open). */
function period() {
  const today = new Date();
  const y = today.getFullYear();
  const m = today.getMonth();
  switch (document.getElementById("period").value) {
    case "this-month": return [isoDay(new Date(y, m, 1)), isoDay(today)];
    case "last-month": return [isoDay(new Date(y, m - 1, 1)), isoDay(new Date(y, m, 0))];
    case "this-quarter": return [isoDay(new Date(y, m - (m % 3), 1)), isoDay(today)];
    case "year-to-date": return [isoDay(new Date(y, 0, 1)), isoDay(today)];
    case "last-12-months": return [isoDay(new Date(y, m - 11, 1)), isoDay(today)];
    case "custom": {
      const value = (id) => document.getElementById(id).value || null;
      return [value("from"), value("to")];
    }
    default: return [null, null];
  }
}

/** A warning when the period reaches into the last days: those leads are not decided yet. */
function showYoungLeads(view) {
  const young = document.getElementById("young");
  const recent = new Date();
  recent.setDate(recent.getDate() - DECIDE_DAYS);
  young.hidden = !(view.to && view.to > isoDay(recent) && view.total.leads > 0);
  young.textContent = `Leads from the last ${DECIDE_DAYS} days are often not decided yet: this period's conversion will still rise.`;
}

async function refresh() {
  const [from, to] = period();
  const error = document.getElementById("error");
  try {
    const [view, svg] = await Promise.all([
      api.report(state.by, from, to, LANG),
      api.chart(state.by, from, to, LANG),
    ]);
    error.hidden = true;
    showHeadline(view);
    showYoungLeads(view);
    showGroups(view);
    showChart(svg, view);
  } catch (e) {
    showError(e);
  }
}

function showError(e) {
  const error = document.getElementById("error");
  error.textContent = e && e.message ? e.message : String(e);
  error.hidden = false;
}

function showHeadline(view) {
  document.getElementById("norm").value = String(Math.round(view.norm * 1000) / 10);
  const t = view.total;
  const below = t.rate < view.norm;
  const items = [
    headlineItem(String(t.leads), "active leads"),
    headlineItem(String(t.sold), "sold"),
    headlineItem(percent(t.rate), `conversion (${percent(t.ci_low)} – ${percent(t.ci_high)}), norm ${normPercent(view.norm)}`, below ? "below" : ""),
    headlineItem(String(t.gap_to_norm), `more sales would have reached ${normPercent(view.norm)}`),
    headlineItem(String(view.passive_leads), "passive leads, not in the rate"),
  ];
  document.getElementById("headline").replaceChildren(...items);
}

function showGroups(view) {
  document.getElementById("group-heading").textContent = DIMENSIONS.find(([d]) => d === state.by)[1];
  const rows = view.groups.map((g) => {
    const row = document.createElement("tr");
    cell(row, g.small_sample ? `${g.label} (small sample)` : g.label, g.small_sample ? "small" : "");
    cell(row, String(g.leads));
    cell(row, String(g.sold));
    cell(row, percent(g.rate), g.rate < view.norm ? "below" : "");
    cell(row, `${percent(g.ci_low)} – ${percent(g.ci_high)}`);
    cell(row, String(g.gap_to_norm));
    return row;
  });
  document.querySelector("#groups tbody").replaceChildren(...rows);
}

function showChart(svg, view) {
  if (state.chartUrl) URL.revokeObjectURL(state.chartUrl);
  state.chartUrl = URL.createObjectURL(svg);
  const img = document.getElementById("chart");
  img.src = state.chartUrl;
  img.alt = `Conversion by ${state.by} against the norm of ${percent(view.norm)}`;
}

async function showImports() {
  const rows = (await api.imports()).map((i) => {
    const row = document.createElement("tr");
    cell(row, i.file);
    cell(row, new Date(i.imported_at * 1000).toLocaleString());
    for (const n of [i.rows_read, i.leads, i.leads_new, i.leads_updated, i.leads_unchanged, i.passive_leads, i.issues]) {
      cell(row, String(n));
    }
    cell(row, "").append(removeButton(i));
    return row;
  });
  document.querySelector("#imports tbody").replaceChildren(...rows);
}

/** Remove, then "Really remove?": a second press removes the import. */
function removeButton(entry) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "remove";
  button.textContent = "Remove";
  button.setAttribute("aria-label", `Remove the import of ${entry.file}`);
  button.addEventListener("click", async () => {
    if (button.dataset.armed !== "true") {
      button.dataset.armed = "true";
      button.textContent = "Really remove?";
      return;
    }
    await api.removeImport(entry.id);
    await Promise.all([showImports(), refresh()]);
  });
  return button;
}

function buildNav() {
  const buttons = DIMENSIONS.map(([by, label]) => {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = label;
    button.setAttribute("aria-pressed", String(by === state.by));
    button.addEventListener("click", () => {
      state.by = by;
      for (const b of buttons) b.setAttribute("aria-pressed", String(b === button));
      refresh();
    });
    return button;
  });
  document.getElementById("dimensions").replaceChildren(...buttons);
}

/** One line per file: what was read, or why it was refused; then notes and row issues. */
function showImportResults(results) {
  if (results.length === 0) return;
  const items = results.map((result) => {
    const item = document.createElement("li");
    const summary = document.createElement("strong");
    const r = result.record;
    if (result.error) {
      item.className = "refused";
      summary.textContent = `Refused: ${result.error.message}`;
    } else if (result.already_imported) {
      summary.textContent = `${result.file}: imported before, nothing changed (${r.leads} leads).`;
    } else {
      summary.textContent = `${result.file}: ${r.rows_read} rows read → ${r.leads} leads (${r.leads_new} new, ${r.leads_updated} updated, ${r.leads_unchanged} unchanged), ${r.passive_leads} passive, ${r.issues} row ${r.issues === 1 ? "issue" : "issues"}.`;
    }
    item.append(summary);
    const details = [...result.notes, ...result.issues.map((i) => `sheet ${i.sheet}, row ${i.row}${i.column ? `, column ${i.column}` : ""}: ${i.message}`)];
    if (details.length > 0) {
      const list = document.createElement("ul");
      list.append(...details.map((text) => {
        const li = document.createElement("li");
        li.textContent = text;
        return li;
      }));
      item.append(list);
    }
    return item;
  });
  document.getElementById("import-results").replaceChildren(...items);
  document.getElementById("import-report").hidden = false;
}

async function afterImport(results) {
  showImportResults(results);
  await Promise.all([showImports(), refresh()]);
}

buildNav();
document.getElementById("import").addEventListener("click", async () => {
  try {
    await afterImport(await api.importDialog());
  } catch (e) {
    showError(e);
  }
});
api.onImportsChanged(async () => afterImport(await api.importReports()));
api.importReports().then(showImportResults, showError);
for (const id of ["from", "to"]) document.getElementById(id).addEventListener("change", refresh);
document.getElementById("period").addEventListener("change", (event) => {
  document.getElementById("custom-period").hidden = event.target.value !== "custom";
  refresh();
});
document.getElementById("norm").addEventListener("change", async (event) => {
  const percent = Number(event.target.value);
  try {
    await api.setNorm(percent);
    await refresh();
  } catch (e) {
    showError(e);
  }
});
refresh();
showImports();
