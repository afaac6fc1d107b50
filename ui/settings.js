// The settings: language, the margin per sale, below how many leads sources
// fold into one group, each source's class and merge, the status words, the
// demo data and deleting all data. Stored in the database, so the
// command line counts the same way.
import * as api from "./api.js";
import { button, confirmButton, el, select, showError } from "./dom.js";
import { t, count, use } from "./i18n.js";

const byId = (id) => document.getElementById(id);

/** Called after a setting changed the figures; it draws the open panel again. */
let changed = async () => {};

export function init(onChange) {
  changed = onChange;
  byId("open-settings").addEventListener("click", toggle);
  byId("close-settings").addEventListener("click", toggle);
  byId("save-words").addEventListener("click", saveWords);
  byId("margin").addEventListener("change", async (event) => {
    const euros = Number(event.target.value);
    await run(() => api.setMarginPerSale(event.target.value && euros > 0 ? euros : null));
    await changed();
  });
  byId("fold-below").addEventListener("change", async (event) => {
    const leads = Math.max(0, Math.round(Number(event.target.value) || 0));
    await run(() => api.setFoldSourcesBelow(leads));
    await changed();
  });
  byId("language").addEventListener("change", async (event) => {
    // Read once: a redraw of the panel still in flight may set the list back meanwhile.
    const language = event.target.value || null;
    await run(() => api.setLanguage(language));
    use(language);
    await changed();
  });
}

async function toggle() {
  const panel = byId("settings");
  panel.hidden = !panel.hidden;
  byId("open-settings").setAttribute("aria-expanded", String(!panel.hidden));
  if (!panel.hidden) {
    await show();
    panel.scrollIntoView({ block: "start" });
  }
}

async function run(action) {
  try {
    await action();
    return true;
  } catch (e) {
    showError(e);
    return false;
  }
}

/** Draws the panel from `settings`, read here when not given. */
export async function show(settings = null) {
  if (!settings) {
    try {
      settings = await api.settings();
    } catch (e) {
      showError(e);
      return;
    }
  }
  byId("language").value = settings.language ?? "";
  byId("margin").value = settings.margin_per_sale == null ? "" : String(settings.margin_per_sale);
  byId("fold-below").value = String(settings.fold_sources_below);
  showSources(settings.sources);
  byId("sold-words").value = settings.sold_words.join("\n");
  byId("lost-words").value = settings.lost_words.join("\n");
  byId("standard-words").textContent = `${t("sold")}: ${settings.standard_sold_words.join(", ")} · ${t("lost")}: ${settings.standard_lost_words.join(", ")}`;
  const demo = settings.demo;
  byId("demo-switch").replaceChildren(button(demo ? t("backToOwn") : t("tryDemo"), () => switchDemo(!demo)));
  const remove = confirmButton(t("deleteAll"), t("reallyDeleteAll"), async () => {
    if (await run(api.deleteAllData)) byId("data-message").textContent = t("deleted");
    await changed();
  }, "danger");
  byId("delete-all").replaceChildren(remove);
  byId("demo-badge").hidden = !demo;
}

function showSources(sources) {
  const others = (name) => sources.filter((s) => s.name !== name && !s.merged_into);
  const rows = sources.map((source) => {
    const row = document.createElement("tr");
    row.append(el("td", null, source.name), el("td", null, count(source.leads)));
    const classes = [["active", t("active")], ["passive", t("passiveClass")]];
    const current = source.passive ? "passive" : "active";
    const kind = select(classes, current, async (value) => {
      await run(() => api.setSourceClass(source.name, value === "passive"));
      await changed();
    });
    kind.setAttribute("aria-label", `${t("classHeading")}: ${source.name}`);
    const classCell = el("td");
    classCell.append(kind);
    if (!source.class_set) classCell.append(el("span", "muted", ` ${t("byDefault")}`));
    const merges = [["", t("keepApart")], ...others(source.name).map((s) => [s.name, s.name])];
    const merge = select(merges, source.merged_into ?? "", async (value) => {
      await run(() => api.setSourceAlias(source.name, value || null));
      await changed();
    });
    merge.setAttribute("aria-label", `${t("mergeInto")}: ${source.name}`);
    const mergeCell = el("td");
    mergeCell.append(merge);
    row.append(classCell, mergeCell);
    return row;
  });
  byId("sources").querySelector("tbody").replaceChildren(...rows);
}

async function saveWords() {
  const lines = (id) => byId(id).value.split("\n").map((w) => w.trim()).filter((w) => w !== "");
  if (await run(() => api.setStatusWords(lines("sold-words"), lines("lost-words")))) {
    byId("words-message").textContent = t("saved");
    await changed();
  }
}

/** Opens the demo data, or the user's own again. */
export async function switchDemo(on) {
  if (await run(() => api.useDemo(on))) {
    await changed();
  }
}
