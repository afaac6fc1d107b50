// Meeting mode: the dashboard's scope as a full-screen deck. A title slide,
// then one slide per view in the deck's order (cli.md), each chart drawn by
// Rust for the slide's own pixels. The keyboard (and a presenter's clicker,
// which sends the same keys) moves through it. On a slide of bars or the
// matrix, Down and Up (or a click on a row) put one row in the spotlight:
// Rust draws it outlined and the others faded; Esc takes the spotlight
// away before it leaves the deck.
import * as api from "./api.js";
import { gapWords, headlineItem, query } from "./dashboard.js";
import { el, showError } from "./dom.js";
import { t, current, count, day, percent, normPercent } from "./i18n.js";

/**
 * cli.md's deck order ("why" is the evidence, "volume" the salespeople's);
 * "branch" only with more than one, "agent" only where reports name agents.
 */
const ORDER = ["headline", "source", "why", "salesperson", "matrix", "response", "month", "branch", "agent", "volume"];

/** Milliseconds the mouse may rest before it is hidden. */
const MOUSE_REST = 2000;

/**
 * `spot`: the index of the row in the spotlight (never a name: an anonymous
 * deck's page must hold none), `rows`: the current chart's rows as Rust
 * drew them, `[left, top, right, bottom]` in the image's pixels.
 */
const deck = { slides: [], at: 0, scope: null, url: null, drawn: 0, digits: "", digitTimer: 0, mouseTimer: 0, spot: null, rows: [] };

const byId = (id) => document.getElementById(id);
const showing = () => !byId("present").hidden;

export function init() {
  byId("present-start").addEventListener("click", start);
  document.addEventListener("keydown", onKey);
  byId("present").addEventListener("mousemove", () => {
    byId("present").classList.remove("resting");
    clearTimeout(deck.mouseTimer);
    deck.mouseTimer = setTimeout(() => byId("present").classList.add("resting"), MOUSE_REST);
  });
  byId("present").addEventListener("click", onClick);
  window.addEventListener("resize", () => showing() && draw());
}

/** Opens the deck of the dashboard's current scope. */
export async function start() {
  if (showing()) return;
  const scope = query();
  const lang = current();
  try {
    const [headline, options, imports] = await Promise.all([api.report({ ...scope, by: "source" }, lang), api.filterOptions(), api.imports()]);
    const [branches, definitions] = await Promise.all([api.report({ ...scope, by: "branch" }, lang), api.slideDefinitions(lang, headline.norm)]);
    const present = {
      headline: headline.total.leads > 0,
      branch: branches.groups.filter((g) => g.key !== null).length > 1,
      agent: options.agents.length > 0,
    };
    const views = ORDER.filter((view) => headline.total.leads > 0 && (present[view] ?? true));
    const newest = imports.map((i) => i.imported_at).sort().at(-1) ?? "";
    deck.scope = { query: scope, lang, headline, definitions, asOf: newest.slice(0, 10) };
    deck.slides = ["title", ...views];
    deck.at = 0;
    deck.spot = null;
  } catch (e) {
    showError(e);
    return;
  }
  byId("present").hidden = false;
  document.body.classList.add("presenting");
  byId("present").classList.toggle("dark", byId("present-theme").value === "dark");
  try {
    await api.present(true);
  } catch {
    // Full screen is a courtesy: the deck works in the window too.
  }
  byId("present").focus();
  await draw();
}

async function leave() {
  byId("present").hidden = true;
  document.body.classList.remove("presenting");
  if (deck.url) URL.revokeObjectURL(deck.url);
  deck.url = null;
  try {
    await api.present(false);
  } catch {
    // As above: leaving full screen may fail where entering did.
  }
}

function next() {
  go(deck.at + 1);
}

function go(index) {
  const to = Math.max(0, Math.min(deck.slides.length - 1, index));
  if (to === deck.at) return;
  deck.at = to;
  deck.spot = null;
  deck.rows = [];
  draw();
}

/** Puts row `index` in the spotlight (`null`: none) and draws the slide again. */
function spotlight(index) {
  if (index === deck.spot) return;
  deck.spot = index;
  draw();
}

/** Down and Up: the next or the previous row, from the first or the last. */
function moveSpotlight(step) {
  const rows = deck.rows.length;
  if (rows === 0) return;
  spotlight(deck.spot === null ? (step > 0 ? 0 : rows - 1) : Math.max(0, Math.min(rows - 1, deck.spot + step)));
}

/** A click on a row spotlights it (again: takes the spotlight away); elsewhere it goes on. */
function onClick(event) {
  const image = byId("present-chart");
  if (event.target === image && deck.rows.length > 0) {
    const box = image.getBoundingClientRect();
    const x = ((event.clientX - box.left) * image.naturalWidth) / box.width;
    const y = ((event.clientY - box.top) * image.naturalHeight) / box.height;
    const row = deck.rows.findIndex(([left, top, right, bottom]) => x >= left && x < right && y >= top && y < bottom);
    if (row >= 0) {
      spotlight(row === deck.spot ? null : row);
      return;
    }
  }
  next();
}

function onKey(event) {
  if (event.key === "F5") {
    event.preventDefault();
    if (showing()) leave();
    else start();
    return;
  }
  if (!showing()) return;
  const moves = {
    ArrowRight: () => go(deck.at + 1),
    " ": () => go(deck.at + 1),
    PageDown: () => go(deck.at + 1),
    ArrowLeft: () => go(deck.at - 1),
    PageUp: () => go(deck.at - 1),
    Home: () => go(0),
    End: () => go(deck.slides.length - 1),
    ArrowDown: () => moveSpotlight(1),
    ArrowUp: () => moveSpotlight(-1),
    // The spotlight goes first, the deck with the next Esc.
    Escape: () => (deck.spot === null ? leave() : spotlight(null)),
  };
  if (moves[event.key]) {
    event.preventDefault();
    moves[event.key]();
  } else if (/^[0-9]$/.test(event.key)) {
    // A number jumps to that slide; two digits typed quickly are one number.
    deck.digits += event.key;
    clearTimeout(deck.digitTimer);
    deck.digitTimer = setTimeout(() => {
      go(Number(deck.digits) - 1);
      deck.digits = "";
    }, 500);
  }
}

/** Draws the current slide: its title, its chart at the slide's pixels, its footer. */
async function draw() {
  const drawing = ++deck.drawn;
  const view = deck.slides[deck.at];
  const { query: scope, lang, headline } = deck.scope;
  const norm = normPercent(headline.norm);
  byId("present-title").textContent = view === "title" ? t("deckTitle") : view === "headline" ? t("headlineSlide") : t(view);
  byId("present-page").textContent = t("pageOf", deck.at + 1, deck.slides.length);
  byId("present-footer-text").textContent = footer(view);
  const body = byId("present-body");
  const image = byId("present-chart");
  if (view === "title" || view === "headline") {
    image.hidden = true;
    body.replaceChildren(...(view === "title" ? titleSlide(norm) : headlineSlide(norm)));
    body.hidden = false;
    return;
  }
  body.hidden = true;
  const ratio = window.devicePixelRatio || 1;
  const area = byId("present-area");
  const size = {
    width: Math.round(area.clientWidth * ratio),
    height: Math.round(area.clientHeight * ratio),
    theme: byId("present-theme").value,
    anonymize: byId("present-anonymous").checked,
    spotlight: deck.spot,
  };
  try {
    const { svg, rows } = await api.slide({ ...scope, by: view }, size, lang);
    if (drawing !== deck.drawn) return;
    if (deck.url) URL.revokeObjectURL(deck.url);
    deck.url = URL.createObjectURL(svg);
    deck.rows = rows;
    image.dataset.spotlight = deck.spot ?? "";
    image.src = deck.url;
    image.alt = t("chartAlt", t(view), norm);
    image.hidden = false;
  } catch (e) {
    showError(e);
  }
}

function titleSlide(norm) {
  const { headline, asOf } = deck.scope;
  return [
    el("p", "deck-scope", scopeWords()),
    el("p", "deck-period", headline.period.from ? `${day(headline.period.from)} – ${day(headline.period.to)}` : t("allLeads")),
    el("p", "deck-norm", t("deckNorm", norm)),
    el("p", "deck-as-of", t("dataAsOf", asOf ? day(asOf) : "–")),
    el("p", "deck-keys", t("deckKeys")),
  ];
}

function headlineSlide(norm) {
  const total = deck.scope.headline.total;
  const grid = el("div", "deck-headline");
  grid.append(
    headlineItem(count(total.leads), t("activeLeads")),
    headlineItem(count(total.sold), t("sold")),
    headlineItem(percent(total.rate), t("deckRate", norm), total.rate < deck.scope.headline.norm ? "below" : "above"),
    headlineItem(count(total.gap_to_norm), gapWords(total, norm)),
  );
  return [grid];
}

/** The filters in words: which leads the deck counts. */
function scopeWords() {
  const parts = [];
  for (const [id, key] of [["filter-branch", "branch"], ["filter-source", "source"], ["filter-salesperson", "salesperson"]]) {
    const chosen = byId(id).selectedOptions[0];
    if (!chosen || chosen.value === "") continue;
    // Anonymous, no salesperson's name reaches the slide, not even the scope's.
    const name = key === "salesperson" && byId("present-anonymous").checked ? t("anonymousPerson") : chosen.textContent;
    parts.push(`${t(key)}: ${name}`);
  }
  return parts.length > 0 ? parts.join(" · ") : t("allLeadsScope");
}

/** The scope, the definitions the slide uses (the PDF deck's, from Rust), and the data's date. */
function footer(view) {
  const { definitions, asOf } = deck.scope;
  return [scopeWords(), (definitions[view] ?? []).join(" "), t("dataAsOf", asOf ? day(asOf) : "–")].join(" · ");
}
