// Small helpers shared by the pages: building elements without innerHTML (article
// text and evidence are untrusted), and the colours of types, quads and levels.

/** h("a", {href: "#/"}, "text", child) -> an element; null/false children are skipped. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export const TYPES = [
  "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
  "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT", "ADVISE",
];

// Cooperation in blues and greens, conflict from yellow to dark red, ADVISE purple.
const TYPE_COLOURS = {
  AGREE: "#1f78b4", CONSULT: "#6baed6", SUPPORT: "#2c7fb8", CONCEDE: "#41b6c4",
  COOPERATE: "#238b45", AID: "#74c476", RETREAT: "#a1d99b", REQUEST: "#9ecae1",
  ACCUSE: "#fdae6b", REJECT: "#fd8d3c", THREATEN: "#f16913", PROTEST: "#e6550d",
  SANCTION: "#a63603", MOBILIZE: "#cb181d", COERCE: "#a50f15", ASSAULT: "#67000d",
  ADVISE: "#6a51a3",
};
const QUAD_COLOURS = { 1: "#6baed6", 2: "#238b45", 3: "#fd8d3c", 4: "#a50f15", 0: "#999999" };
export const LEVEL_COLOURS = { 1: "#2ca25f", 2: "#f0c419", 3: "#f07b16", 4: "#c81d25" };

export function typeColour(type) {
  return TYPE_COLOURS[type] || "#999999";
}

export function quadColour(quad) {
  return QUAD_COLOURS[quad] || QUAD_COLOURS[0];
}

/** The colour of an event under the "colour by" choice ("type" or "quad"). */
export function eventColour(event, by) {
  return by === "quad" ? quadColour(event.quad) : typeColour(event.type);
}

export function eventKind(event) {
  return event.type + (event.mode ? `/${event.mode}` : "");
}

/** A sentence with [start, end) marked: a <span> holding text and one <mark>. */
export function markedSentence(sentence, range, className = "trigger") {
  if (!range) return h("span", {}, sentence);
  const [start, end] = range;
  return h(
    "span",
    {},
    sentence.slice(0, start),
    h("mark", { class: className }, sentence.slice(start, end)),
    sentence.slice(end),
  );
}

export function message(text, kind = "info") {
  return h("p", { class: `message ${kind}` }, text);
}
