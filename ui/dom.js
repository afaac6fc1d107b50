// Building the page from data: text always as text, never as markup.

/** An element with a class and text. */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

/** A table cell appended to `row`. */
export function cell(row, text, className) {
  const td = el("td", className, text);
  row.append(td);
  return td;
}

export function button(text, onClick, className) {
  const node = el("button", className, text);
  node.type = "button";
  node.addEventListener("click", onClick);
  return node;
}

/** Marks `node` as a term with a short explanation on hover (dotted underline). */
export function explain(node, text) {
  node.classList.add("term");
  node.title = text;
  return node;
}

/** A <select> with `[value, label]` options. */
export function select(options, value, onChange) {
  const node = document.createElement("select");
  for (const [optionValue, label] of options) {
    const option = el("option", null, label);
    option.value = optionValue;
    node.append(option);
  }
  node.value = value;
  if (onChange) node.addEventListener("change", () => onChange(node.value));
  return node;
}

/**
 * A button that asks once more before it acts: the first press arms it
 * with `armedText`, the second runs `action`.
 */
export function confirmButton(text, armedText, action, className) {
  const node = button(text, async () => {
    if (node.dataset.armed !== "true") {
      node.dataset.armed = "true";
      node.textContent = armedText;
      return;
    }
    node.disabled = true;
    await action();
  }, className);
  return node;
}

/** Shows an error from Rust (`{kind, message}`) or the page. */
export function showError(error) {
  const box = document.getElementById("error");
  box.textContent = error && error.message ? error.message : String(error);
  box.hidden = false;
}

export function clearError() {
  document.getElementById("error").hidden = true;
}

/** The controls that open a system dialog (a file to import, a place to save). */
const DIALOG_OPENERS = ["import", "welcome-import", "export"];
let dialogOpen = false;

/**
 * Runs `ask`, a command that opens a system dialog, unless one is open
 * already: the dialog does not hold the page, and a second click would
 * open a second dialog over the first. The openers are disabled meanwhile.
 * Returns `ask`'s answer, or `undefined` when a dialog was open.
 */
export async function oneDialog(ask) {
  if (dialogOpen) return undefined;
  dialogOpen = true;
  for (const id of DIALOG_OPENERS) document.getElementById(id).disabled = true;
  try {
    return await ask();
  } finally {
    dialogOpen = false;
    for (const id of DIALOG_OPENERS) document.getElementById(id).disabled = false;
  }
}
