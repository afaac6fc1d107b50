// The dashboard: the filters, the headline against the norm, one chart and
// its table at a time.
import * as api from "./api.js";
import { cell, el, explain, showError, clearError } from "./dom.js";
import { t, current, count, day, duration, euros, monthName, percent, pointsBetween, normPercent } from "./i18n.js";

/**
 * The views, in the order of the tabs. "why" is the sources' evidence (each
 * rate beside the rate adjusted for answering speed), "volume" the
 * salespeople as points, active leads against sales.
 */
const VIEWS = ["source", "why", "salesperson", "volume", "branch", "agent", "month", "response", "phone", "matrix"];

/** Days to let a lead be decided before its conversion means much. */
const DECIDE_DAYS = 30;

/**
 * `undated`: the leads without a creation day, in no period; `imported`: the
 * first and last creation day of the files just imported, whose period the
 * dashboard shows once the lists know it.
 */
const state = { by: "source", chartUrl: null, drawn: 0, newestDay: null, undated: 0, imported: null, charted: 0, room: null, norm: 0.13 };

/** Pixels the chart leaves free under it at the foot of the first screen. */
const ROOM_BELOW = 8;
/** The page's type size in pixels (style.css's :root) on all but the largest screens. */
const PAGE_TYPE = 15;
/** Milliseconds a resize waits for the next before the chart is drawn again. */
const RESIZE_PAUSE = 150;

const byId = (id) => document.getElementById(id);
const pad = (n) => String(n).padStart(2, "0");
const isoDay = (date) => `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;

/**
 * The day relative periods count back from: today, or the newest lead's
 * day when the data ends before today (a report exported last year has a
 * "last month" with leads in it, not an empty one).
 */
function anchorDay() {
  const today = new Date();
  if (!state.newestDay) return today;
  const [y, m, d] = state.newestDay.split("-").map(Number);
  const newest = new Date(y, m - 1, d);
  return newest < today ? newest : today;
}

/** The chosen period as [from, to] (ISO days or months, null for open). */
function period() {
  // A month, quarter or year of the data: "month:2023-10", "quarter:2023-4", "year:2023".
  const [kind, which] = byId("period").value.split(":");
  if (kind === "month") return [which, which];
  if (kind === "quarter") {
    const [year, quarter] = which.split("-").map(Number);
    return [`${year}-${pad(3 * quarter - 2)}`, `${year}-${pad(3 * quarter)}`];
  }
  if (kind === "year") return [`${which}-01`, `${which}-12`];
  const today = anchorDay();
  const y = today.getFullYear();
  const m = today.getMonth();
  switch (byId("period").value) {
    case "this-month": return [isoDay(new Date(y, m, 1)), isoDay(today)];
    case "last-month": return [isoDay(new Date(y, m - 1, 1)), isoDay(new Date(y, m, 0))];
    case "this-quarter": return [isoDay(new Date(y, m - (m % 3), 1)), isoDay(today)];
    case "year-to-date": return [isoDay(new Date(y, 0, 1)), isoDay(today)];
    case "last-12-months": return [isoDay(new Date(y, m - 11, 1)), isoDay(today)];
    case "custom": return [byId("from").value || null, byId("to").value || null];
    default: return [null, null];
  }
}

/** What the filters ask for. */
export function query() {
  const [from, to] = period();
  const id = (selectId) => (byId(selectId).value === "" ? null : Number(byId(selectId).value));
  const compare = byId("compare").value || null;
  const anonymize = byId("present-anonymous").checked;
  const salesperson = anonymize ? null : id("filter-salesperson");
  return { by: state.by, from, to, branch: id("filter-branch"), source: id("filter-source"), salesperson, compare, anonymize };
}

/** The tabs, one per view. */
export function buildTabs() {
  const buttons = VIEWS.map((view) => {
    const tab = el("button", null, t(view));
    tab.type = "button";
    tab.dataset.view = view;
    tab.setAttribute("aria-pressed", String(view === state.by));
    tab.addEventListener("click", () => {
      state.by = view;
      for (const b of buttons) b.setAttribute("aria-pressed", String(b === tab));
      refresh();
    });
    return tab;
  });
  byId("dimensions").replaceChildren(...buttons);
}

/**
 * The data's own periods in the period list, after the relative ones: its
 * months newest first, and its quarters and years where it has more than
 * one. What was chosen stays chosen while it exists.
 */
function fillPeriods(months) {
  const box = byId("period");
  const chosen = box.value;
  for (const group of box.querySelectorAll("optgroup")) group.remove();
  const option = (value, text) => {
    const node = el("option", null, text);
    node.value = value;
    return node;
  };
  const group = (label, options) => {
    const node = el("optgroup");
    node.label = label;
    node.append(...options);
    return node;
  };
  const unique = (values) => [...new Set(values)];
  const quarters = unique(months.map((m) => `${m.slice(0, 4)}-${Math.ceil(Number(m.slice(5, 7)) / 3)}`));
  const years = unique(months.map((m) => m.slice(0, 4)));
  const groups = [];
  if (months.length > 0) groups.push(group(t("monthsGroup"), months.map((m) => option(`month:${m}`, monthName(m)))));
  if (quarters.length > 1) {
    groups.push(group(t("quartersGroup"), quarters.map((q) => option(`quarter:${q}`, t("quarterName", Number(q.slice(5)), q.slice(0, 4))))));
  }
  if (years.length > 1) groups.push(group(t("yearsGroup"), years.map((y) => option(`year:${y}`, y))));
  const custom = box.querySelector("option[value='custom']");
  for (const node of groups) box.insertBefore(node, custom);
  box.value = Array.from(box.options).some((o) => o.value === chosen) ? chosen : "all";
}

/**
 * After an import: the first and last creation day (ISO) of the files'
 * leads. The dashboard then shows their period, their month or their months
 * as a custom period, once the lists are read: what was just imported is
 * what the manager looks at next.
 */
export function showImported(first, last) {
  state.imported = first && last ? { first, last } : null;
}

function choosePeriodOfImport() {
  const imported = state.imported;
  state.imported = null;
  if (!imported) return;
  const [first, last] = [imported.first.slice(0, 7), imported.last.slice(0, 7)];
  const box = byId("period");
  if (first === last && Array.from(box.options).some((o) => o.value === `month:${first}`)) {
    box.value = `month:${first}`;
  } else {
    box.value = "custom";
    byId("from").value = first;
    byId("to").value = last;
  }
  byId("custom-period").hidden = box.value !== "custom";
}

/** The branch, source and salesperson lists, keeping what was chosen if it still exists. */
export async function loadFilterOptions() {
  const options = await api.filterOptions();
  state.newestDay = options.newest_day ?? null;
  state.undated = options.undated ?? 0;
  fillPeriods(options.months ?? []);
  choosePeriodOfImport();
  const anchor = anchorDay();
  const hints = [anchor < new Date() && state.newestDay ? t("periodAnchor", day(state.newestDay)) : "", undatedWords()];
  byId("period").title = hints.filter(Boolean).join(" ");
  // The agent view only where the reports name agents (a call centre, a BDC).
  const agentTab = byId("dimensions").querySelector("button[data-view='agent']");
  if (agentTab) agentTab.hidden = options.agents.length === 0;
  if (options.agents.length === 0 && state.by === "agent") {
    state.by = "source";
    for (const b of byId("dimensions").querySelectorAll("button")) b.setAttribute("aria-pressed", String(b.dataset.view === "source"));
  }
  const fill = (selectId, allWord, names) => {
    const box = byId(selectId);
    const chosen = box.value;
    const all = el("option", null, t(allWord));
    all.value = "";
    const items = names.map((n) => {
      const option = el("option", null, n.name);
      option.value = String(n.id);
      return option;
    });
    box.replaceChildren(all, ...items);
    box.value = items.some((o) => o.value === chosen) ? chosen : "";
    box.closest("label").hidden = names.length === 0;
  };
  fill("filter-branch", "allBranches", options.branches);
  fill("filter-source", "allSources", options.sources);
  // Anonymous, no salesperson's name is on the page: not even in this list.
  fill("filter-salesperson", "allSalespeople", byId("present-anonymous").checked ? [] : options.salespeople);
}

/**
 * The room the chart has, in CSS pixels (but on the largest screens, below):
 * its box's inner width, and the height from its top to the foot of the
 * first screen. Rust lays the chart out for it, and the page shows it at
 * that width: its text as large as drawn (13 px and up), the whole chart
 * under the headline without scrolling (where its rows stay readable; more
 * bars go to the table).
 */
function chartRoom() {
  const figure = document.querySelector("figure.chart");
  const style = getComputedStyle(figure);
  const px = (name) => parseFloat(style[name]) || 0;
  const top = figure.getBoundingClientRect().top + window.scrollY;
  const width = figure.clientWidth - px("paddingLeft") - px("paddingRight");
  const frame = px("paddingTop") + px("paddingBottom") + px("borderTopWidth") + px("borderBottomWidth");
  const height = window.innerHeight - top - frame - ROOM_BELOW;
  // Where the page's type is larger (style.css: a 4K screen), the chart is
  // laid out smaller and shown larger by as much, its text with the page's.
  const larger = (parseFloat(getComputedStyle(document.documentElement).fontSize) || PAGE_TYPE) / PAGE_TYPE;
  const room = (side) => Math.max(0, Math.floor(side / Math.max(1, larger)));
  return { width: room(width), height: room(height) };
}

/** Whether the chart was drawn for about this room (a scrollbar's width or a few pixels aside). */
const drawnFor = (room) => Math.abs(room.width - state.room.width) <= 2 && Math.abs(room.height - state.room.height) <= 8;

/**
 * The chart drawn again when its room changed: a resize, a panel above it
 * opened or closed. Only a chart `refresh` drew: before that, nothing to fit.
 */
async function fitChart() {
  if (state.room === null || byId("dashboard").hidden) return;
  const room = chartRoom();
  if (drawnFor(room)) return;
  state.room = room;
  const charting = ++state.charted;
  try {
    const svg = await api.chart(query(), room, current());
    if (charting === state.charted) showChart(svg, state.norm);
  } catch (e) {
    showError(e);
  }
}

let resizing = null;
/** Redraws the chart for its room after a resize (debounced), or when what is above it changes height. */
export function fitChartToWindow() {
  const later = () => {
    clearTimeout(resizing);
    resizing = setTimeout(fitChart, RESIZE_PAUSE);
  };
  window.addEventListener("resize", later);
  new ResizeObserver(later).observe(document.querySelector("main"));
}

/** Draws the current view; a newer call wins over a slower older one. */
export async function refresh() {
  const drawing = ++state.drawn;
  const charting = ++state.charted;
  const q = query();
  const lang = current();
  const room = chartRoom();
  state.room = room;
  try {
    const matrix = q.by === "matrix";
    const why = q.by === "why";
    const headlineQuery = matrix ? { ...q, by: "source" } : q;
    const [view, svg, cells] = await Promise.all([
      api.report(headlineQuery, lang),
      api.chart(q, room, lang),
      matrix ? api.matrix(q, lang) : null,
    ]);
    if (drawing !== state.drawn) return;
    clearError();
    showHeadline(view);
    showYoungLeads(view);
    showUndated(q);
    state.norm = view.norm;
    if (charting === state.charted) showChart(svg, view.norm);
    byId("groups").hidden = matrix || why;
    byId("matrix-table").hidden = !matrix;
    byId("why").hidden = !why;
    if (matrix) showMatrix(cells);
    else if (why) showWhy(view);
    else showGroups(view);
    document.body.dataset.view = q.by;
    // The headline and the lines under it may have changed height.
    fitChart();
  } catch (e) {
    showError(e);
  }
}

/** What the gap to the norm counts: the sales still needed, or that the norm is met. */
export const gapWords = (total, norm) => (total.gap_to_norm > 0 ? t("gap", norm) : t("normMet", norm));

/** A headline figure: the number large, what it counts under it (the dashboard and the deck). */
export function headlineItem(value, label, className) {
  const item = el("div", className);
  item.append(el("strong", null, value), el("span", null, label));
  return item;
}

function showHeadline(view) {
  byId("norm").value = String(Math.round(view.norm * 1000) / 10);
  const total = view.total;
  const norm = normPercent(view.norm);
  byId("headline").replaceChildren(
    headlineItem(count(total.leads), t("activeLeads")),
    headlineItem(count(total.sold), t("sold")),
    headlineItem(percent(total.rate), t("conversion", percent(total.ci_low), percent(total.ci_high), norm), total.small_sample ? "" : total.verdict),
    headlineItem(count(total.gap_to_norm), gapWords(total, norm)),
    headlineItem(count(view.passive_leads), t("passive")),
  );
  // Where a margin per sale is set: what the sales the norm asked for are worth.
  if (total.at_stake != null) byId("headline").append(headlineItem(euros(total.at_stake), t("atStake"), "at-stake"));
  const path = view.path;
  explain(byId("count-path"), t("helpDenominator"));
  // Reports pooled from different exports: what this view's groups cannot place.
  const unplaced = path.unplaced > 0 ? ` ${t(view.by === "month" ? "unplacedMonth" : "unplacedResponse", count(path.unplaced))}` : "";
  byId("count-path").textContent = t("path", count(path.rows_read), count(path.unique_leads), count(path.in_view), count(path.active)) + unplaced;
  const compared = byId("compared");
  compared.hidden = !view.compared;
  if (view.compared) {
    const delta = (total.rate - view.compared.total.rate) * 100;
    const { from, to } = view.compared.period;
    compared.textContent = t("compared", percent(view.compared.total.rate), from ? day(from) : "", to ? day(to) : "", t("points", delta));
  }
}

/** A warning when the period reaches into the last days: those leads are not decided yet. */
function showYoungLeads(view) {
  const recent = new Date();
  recent.setDate(recent.getDate() - DECIDE_DAYS);
  const young = byId("young");
  young.hidden = !(view.period.to && view.period.to > isoDay(recent) && view.total.leads > 0);
  young.textContent = t("young", DECIDE_DAYS);
}

/** The leads without a creation day, said where a period leaves them out. */
const undatedWords = () => (state.undated > 0 ? t("undatedOutside", count(state.undated)) : "");

function showUndated(q) {
  const note = byId("undated");
  note.hidden = state.undated === 0 || (q.from === null && q.to === null);
  note.textContent = undatedWords();
}

function showChart(svg, norm) {
  if (state.chartUrl) URL.revokeObjectURL(state.chartUrl);
  state.chartUrl = URL.createObjectURL(svg);
  const img = byId("chart");
  img.src = state.chartUrl;
  img.alt = t("chartAlt", t(state.by), normPercent(norm));
  img.title = t("helpChart");
}

/** A group's name, marked when its sample is small. */
const groupName = (g) => (g.small_sample ? `${g.label} (${t("smallSample")})` : g.label);

/** The unanswered share and count ("8.2% (51)"), where the reports had a first-contact column. */
const unanswered = (g) => (g.unanswered == null || !g.recorded ? "–" : `${percent(g.unanswered / g.recorded)} (${count(g.unanswered)})`);
const median = (g) => (g.median_response_minutes == null ? "–" : duration(g.median_response_minutes));

/**
 * A table row that starts as every view's does: the group, its leads, sales
 * and rate. The rate is coloured by its verdict, as the charts and the matrix
 * colour it: a small sample, or the unassigned, are not judged.
 */
function groupRow(g, judged) {
  const row = document.createElement("tr");
  const name = cell(row, groupName(g), g.small_sample ? "small" : "");
  if (g.small_sample) explain(name, t("helpSmallSample"));
  cell(row, count(g.leads));
  cell(row, count(g.sold));
  cell(row, percent(g.rate), judged && !g.small_sample && g.verdict ? `rated ${g.verdict}` : "");
  return row;
}

function showGroups(view) {
  const comparing = Boolean(view.compared);
  // metrics.md's evidence: unanswered and the median response where the view
  // adjusts (source, salesperson, branch, agent); the sales expected from the
  // sources a salesperson, branch or agent got.
  const evidence = view.adjusted_by != null;
  const expected = view.adjusted_by === "source";
  byId("group-heading").textContent = t(view.by);
  explain(document.querySelector('#groups th[data-t="interval"]'), t("helpInterval"));
  explain(document.querySelector('#groups th[data-t="verdict"]'), t("helpVerdict"));
  for (const node of document.querySelectorAll("#groups .compare-column")) node.hidden = !comparing;
  for (const node of document.querySelectorAll("#groups .evidence-column")) node.hidden = !evidence;
  for (const node of document.querySelectorAll("#groups .expected-column")) node.hidden = !expected;
  const rows = view.groups.map((g) => {
    // The unassigned leads are nobody's: apart from the people, below a line, not judged.
    const apart = (view.by === "salesperson" || view.by === "agent") && g.id == null;
    const row = groupRow(g, !apart);
    // The long tail of small sources, pooled: below a line, judged, its sources on hover.
    if (g.sources) {
      row.classList.add("folded");
      row.cells[0].title = t("foldedSources", g.sources.join(", "));
    }
    cell(row, `${percent(g.ci_low)} – ${percent(g.ci_high)}`);
    // Where a margin per sale is set, the sales the norm asked for in euros beside them.
    const stake = g.at_stake != null && g.gap_to_norm > 0 ? ` · ${euros(g.at_stake)}` : "";
    cell(row, count(g.gap_to_norm) + stake, stake ? "gap at-stake" : "gap");
    if (apart) row.classList.add("apart");
    const verdict = cell(row, g.small_sample || apart ? "–" : t(g.verdict), `verdict ${g.small_sample || apart ? "" : g.verdict}`);
    if (!g.small_sample && !apart && g.verdict === "undecided") explain(verdict, t("helpUndecided"));
    if (expected) {
      const sales = g.expected_sold == null ? null : count(Math.round(g.expected_sold));
      const text = cell(row, sales ?? "–", "expected-column");
      if (sales != null) text.title = t("expectedSentence", g.label, sales, count(g.sold));
    }
    if (evidence) {
      cell(row, unanswered(g), "evidence-column");
      cell(row, median(g), "evidence-column");
    }
    if (comparing) {
      cell(row, g.previous ? `${percent(g.previous.rate)} (${count(g.previous.leads)})` : "–", "compare-column");
      cell(row, g.previous ? t("points", (g.rate - g.previous.rate) * 100) : "–", "compare-column");
    }
    return row;
  });
  if (rows.length === 0) {
    const row = document.createElement("tr");
    // Leads without a creation date belong to no month: the month view says so, not "no leads".
    const empty = cell(row, t(view.by === "month" && view.total.leads > 0 ? "noCreationDates" : "noData"), "small");
    empty.colSpan = byId("groups").querySelectorAll("thead th:not([hidden])").length;
    rows.push(row);
  }
  byId("groups").querySelector("tbody").replaceChildren(...rows);
}

/** The Why view's words for one source, read out by a presenter. */
function whySentence(g, average) {
  const mix = g.mix_part ?? 0;
  const conversion = g.conversion_part ?? 0;
  return t("whySentence", {
    name: g.label,
    rate: percent(g.rate),
    gap: pointsBetween(g.rate - average),
    above: g.rate >= average,
    average: percent(average),
    adjusted: g.adjusted_rate == null ? null : percent(g.adjusted_rate),
    low: g.adjusted_rate == null ? null : percent(g.adjusted_ci_low),
    high: g.adjusted_rate == null ? null : percent(g.adjusted_ci_high),
    mix: pointsBetween(mix),
    later: mix < 0,
    conversion: pointsBetween(conversion),
    costs: conversion < 0,
  });
}

/** A gap to the average with its sign, in points. */
const signedPoints = (fraction) => `${fraction < 0 ? "−" : fraction > 0 ? "+" : ""}${pointsBetween(fraction)}`;

/**
 * The Why view: per source the rate beside the rate adjusted for answering
 * speed with its interval, the gap to the average split in two, and one
 * sentence per source a presenter can read out. What-ifs, not causes.
 */
function showWhy(view) {
  const average = view.total.rate;
  const head = document.createElement("tr");
  const headings = ["source", "leads", "soldHeading", "rate", "adjustedHeading", "adjustedInterval", "averageGap", "splitHeading", "unansweredHeading", "medianHeading"];
  head.append(...headings.map((key) => {
    const th = el("th", null, t(key));
    th.scope = "col";
    return th;
  }));
  byId("why-table").tHead.replaceChildren(head);
  const rows = view.groups.map((g) => {
    const row = groupRow(g, true);
    const adjusted = g.adjusted_rate != null;
    cell(row, adjusted ? percent(g.adjusted_rate) : "–", adjusted && g.adjusted_rate < view.norm ? "adjusted below" : "adjusted");
    cell(row, adjusted ? `${percent(g.adjusted_ci_low)} – ${percent(g.adjusted_ci_high)}` : "–");
    cell(row, signedPoints(g.rate - average));
    cell(row, g.mix_part == null ? "–" : t("split", pointsBetween(g.mix_part), g.mix_part < 0, pointsBetween(g.conversion_part)), "split");
    cell(row, unanswered(g));
    cell(row, median(g));
    return row;
  });
  if (rows.length === 0) {
    const row = document.createElement("tr");
    cell(row, t("noData"), "small").colSpan = headings.length;
    rows.push(row);
  }
  byId("why-table").tBodies[0].replaceChildren(...rows);
  byId("why").setAttribute("aria-label", t("why"));
  byId("why-intro").textContent = t("whyIntro");
  byId("what-if").textContent = t("whatIf");
  byId("why-sentences").replaceChildren(...view.groups.map((g) => {
    const item = el("li", null, whySentence(g, average));
    item.append(" ", el("span", "what-if-tag", t("whatIfTag")));
    return item;
  }));
}

/** The matrix's numbers: a row per salesperson, a column per source. */
function showMatrix(matrix) {
  const head = document.createElement("tr");
  head.append(el("th", null, t("salesperson")), ...matrix.sources.map((s) => el("th", null, s || "–")));
  byId("matrix-table").tHead.replaceChildren(head);
  const rows = matrix.salespeople.map((person, i) => {
    const row = document.createElement("tr");
    cell(row, person || "–");
    for (const rate of matrix.cells[i]) {
      if (rate.leads === 0) {
        cell(row, "–", "small");
        continue;
      }
      const text = `${percent(rate.rate)} · ${count(rate.sold)}/${count(rate.leads)}`;
      const className = rate.small_sample ? "small" : `verdict ${rate.verdict}`;
      cell(row, text, className).title = `${percent(rate.ci_low)} – ${percent(rate.ci_high)}`;
    }
    return row;
  });
  byId("matrix-table").tBodies[0].replaceChildren(...rows);
}

/** Wires the filters: any change redraws. */
export function wireFilters(onNormChange) {
  for (const id of ["from", "to", "filter-branch", "filter-source", "filter-salesperson", "compare"]) {
    byId(id).addEventListener("change", refresh);
  }
  byId("period").addEventListener("change", (event) => {
    byId("custom-period").hidden = event.target.value !== "custom";
    refresh();
  });
  byId("norm").addEventListener("change", (event) => {
    // A drawing still in flight shows the old norm: it must not put that
    // back into the field the user just changed (the norm's own redraw follows).
    state.drawn++;
    onNormChange(Number(event.target.value));
  });
}
