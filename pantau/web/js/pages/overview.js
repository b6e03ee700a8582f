// The overview page: filters, the map, the timeline and the events table, all over
// one filter. Its JSON twins: /api/events (table and map) and /api/timeline.

import { apiUrl, getJSON } from "../api.js";
import { apply, formatDate, t } from "../i18n.js";
import { EventMap } from "../map.js";
import { drawTimeline, typeLegend } from "../timeline.js";
import { TYPES, eventColour, eventKind, h, message } from "../util.js";

const SIGNALS = [
  "unrest.protest", "unrest.riot", "unrest.casualties", "unrest.mass_arrests", "unrest.crackdown",
  "host.state_of_emergency", "host.curfew", "host.internet_shutdown", "host.troops_deployed",
  "host.foreign_forces", "host.government_falls", "host.airport_closed", "mission.attacked",
  "mission.security_increased", "mission.authorized_departure", "mission.ordered_departure",
  "mission.evacuation_considered", "mission.shelter_in_place", "mission.reduced_operations",
  "advisory.issued", "advisory.leave",
];
const FILTERS = ["country", "place", "type", "signal", "since", "until", "search", "min_sources"];
const PAGE = 50;
const MAP_PAGES = 4; // the map shows the 2,000 most reported events at most

function field(name, input) {
  return h("label", {}, h("span", { "data-i18n": `filter.${name}` }, name), input);
}

function filterForm(state) {
  const text = (name, attrs = {}) => h("input", { name, value: state[name] || "", ...attrs });
  const select = (name, options) =>
    h(
      "select",
      { name },
      h("option", { value: "", "data-i18n": "filter.any" }, "any"),
      options.map((o) => h("option", { value: o, selected: state[name] === o }, o)),
    );
  return h(
    "form",
    { class: "filters", id: "filters" },
    field("country", text("country", { size: 5, placeholder: "SDN", pattern: "[A-Za-z]{2,6}" })),
    field("place", text("place", { size: 12 })),
    field("type", select("type", TYPES)),
    field("signal", select("signal", SIGNALS)),
    field("since", text("since", { type: "date" })),
    field("until", text("until", { type: "date" })),
    field("search", text("search", { size: 14, "data-i18n-placeholder": "filter.search_hint" })),
    field("min_sources", text("min_sources", { type: "number", min: 0, style: "width:4em" })),
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "asserted", checked: state.asserted === "1" }), h("span", { "data-i18n": "filter.asserted" })),
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "inview", checked: state.inview === "1" }), h("span", { "data-i18n": "filter.inview" })),
    field("colour", h("select", { name: "colour" }, ["type", "quad"].map((o) => h("option", { value: o, selected: state.colour === o, "data-i18n": `colour.${o}` }, o)))),
    h("button", { type: "submit", "data-i18n": "filter.apply" }, "Apply"),
    h("button", { type: "button", id: "reset", "data-i18n": "filter.reset" }, "Reset"),
  );
}

export async function render(root, params, ctx) {
  const state = { colour: "type", sort: "-date", offset: "0", ...params };
  const form = filterForm(state);
  const mapBox = h("div", { id: "map", class: "map" });
  const timelineBox = h("div", { id: "timeline", class: "timeline" });
  const legendBox = h("div", { id: "legend" });
  const mapNote = h("p", { class: "note", id: "map-note" });
  const tableBox = h("div", { id: "events-table" });
  root.append(
    form,
    h("div", { class: "overview" }, h("div", { class: "map-col" }, mapBox, mapNote), h("div", { class: "side-col" }, h("h2", { "data-i18n": "timeline.title" }), timelineBox, legendBox)),
    tableBox,
  );
  apply(root);
  const map = new EventMap(mapBox);
  await map.ready;

  const query = (withBrush) => {
    const q = {};
    for (const name of FILTERS) q[name] = state[name];
    if (state.asserted === "1") q.asserted = "true";
    if (state.inview === "1") q.bbox = map.bbox();
    if (withBrush && state.from) q.since = state.since && state.since > state.from ? state.since : state.from;
    if (withBrush && state.to) q.until = state.until && state.until < state.to ? state.until : state.to;
    return q;
  };
  const saveState = () => {
    const kept = Object.fromEntries(Object.entries(state).filter(([k, v]) => v && !(k === "offset" && v === "0")));
    history.replaceState(null, "", `#/?${new URLSearchParams(kept)}`);
  };

  async function refreshTable() {
    const q = { ...query(true), sort: state.sort, offset: state.offset, limit: PAGE };
    ctx.setTwin(apiUrl("/events", q));
    try {
      const page = await getJSON("/events", q);
      tableBox.replaceChildren(eventsTable(page, state, (change) => {
        Object.assign(state, change);
        saveState();
        refreshTable();
      }));
    } catch (error) {
      tableBox.replaceChildren(message(error.message, "error"));
    }
  }

  async function refreshMap() {
    const q = { ...query(true), sort: "-mentions", limit: 500 };
    const events = [];
    let total = 0;
    try {
      for (let page = 0; page < MAP_PAGES; page++) {
        const got = await getJSON("/events", { ...q, offset: page * 500 });
        events.push(...got.items);
        total = got.total;
        if (got.next_offset === null) break;
      }
    } catch (error) {
      mapNote.textContent = error.message;
      return;
    }
    map.setEvents(events, state.colour);
    const located = events.filter((e) => e.lat !== null);
    mapNote.textContent = t("map.note", { shown: located.length, total });
    // With a country filter, zoom to the events placed in it, not to every capital
    // its government talked to.
    const code = (state.country || "").toUpperCase();
    const inside = located.filter((e) => e.country === code);
    const focus = inside.length ? inside : located;
    if (state.inview !== "1") map.fit(focus.map((e) => [e.lat, e.lon]));
  }

  async function refreshTimeline() {
    try {
      const data = await getJSON("/timeline", query(false));
      const range = state.from && state.to ? [state.from, state.to] : null;
      drawTimeline(timelineBox, data, {
        range,
        onBrush: (picked) => {
          state.from = picked ? picked[0] : "";
          state.to = picked ? picked[1] : "";
          state.offset = "0";
          saveState();
          refreshTimeline();
          refreshMap();
          refreshTable();
        },
      });
      legendBox.replaceChildren(typeLegend(data.types));
    } catch (error) {
      timelineBox.replaceChildren(message(error.message, "error"));
    }
  }

  async function refreshPosts() {
    try {
      map.setPosts(await getJSON("/posts"));
    } catch {
      map.setPosts([]); // no monitor, or no token: the map still shows events
    }
  }

  const refreshAll = () => Promise.all([refreshTimeline(), refreshMap(), refreshTable(), refreshPosts()]);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    for (const name of [...FILTERS, "colour"]) state[name] = (data.get(name) || "").trim();
    state.asserted = data.get("asserted") ? "1" : "";
    state.inview = data.get("inview") ? "1" : "";
    state.offset = "0";
    saveState();
    refreshAll();
  });
  form.querySelector("#reset").addEventListener("click", () => {
    for (const key of Object.keys(state)) delete state[key];
    Object.assign(state, { colour: "type", sort: "-date", offset: "0" });
    saveState();
    ctx.rerender();
  });
  let moved = null;
  map.onMove(() => {
    if (state.inview !== "1") return;
    clearTimeout(moved);
    moved = setTimeout(refreshAll, 300);
  });
  await refreshAll();
  return () => map.remove();
}

function eventsTable(page, state, change) {
  const header = (key, sortKey) => {
    const active = state.sort.replace("-", "") === sortKey;
    const next = active && !state.sort.startsWith("-") ? `-${sortKey}` : sortKey;
    const arrow = active ? (state.sort.startsWith("-") ? " ▼" : " ▲") : "";
    return h("th", {}, sortKey ? h("a", { href: "#", onclick: (e) => { e.preventDefault(); change({ sort: next, offset: "0" }); } }, t(key) + arrow) : t(key));
  };
  const rows = page.items.map((e) =>
    h(
      "tr",
      { class: "event-row", dataset: { id: e.id }, onclick: () => { location.hash = `#/events/${e.id}`; } },
      h("td", { class: "nowrap" }, formatDate(e.date)),
      h("td", {}, h("i", { class: "swatch", style: `background:${eventColour(e, state.colour)}` }), h("a", { href: `#/events/${e.id}` }, eventKind(e)), e.aux ? h("span", { class: "aux" }, ` ${t(`aux.${e.aux}`)}`) : null),
      h("td", {}, `${e.actor_codes || "?"} ${e.actor_sector || ""} → ${e.recipient_codes || "–"} ${e.recipient_sector || ""}`),
      h("td", {}, e.place_name ? `${e.place_name}, ${e.country || ""}` : e.country || "–"),
      h("td", { class: "num" }, e.num_mentions),
      h("td", { class: "num" }, e.num_sources),
      h("td", { class: "signals" }, e.signals.split(" ").filter(Boolean).map((s) => h("span", { class: "signal" }, s))),
    ),
  );
  const offset = page.offset;
  return h(
    "div",
    {},
    h("table", { class: "events" }, h("thead", {}, h("tr", {}, header("table.date", "date"), header("table.event", "type"), header("table.actors"), header("table.place", "country"), header("table.mentions", "mentions"), header("table.sources", "sources"), header("table.signals"))), h("tbody", {}, rows)),
    page.items.length === 0 ? message(t("table.none")) : null,
    h(
      "div",
      { class: "pager" },
      h("button", { type: "button", disabled: offset === 0, onclick: () => change({ offset: String(Math.max(0, offset - page.limit)) }) }, t("table.prev")),
      h("span", {}, t("table.range", { from: page.total ? offset + 1 : 0, to: offset + page.items.length, total: page.total })),
      h("button", { type: "button", disabled: page.next_offset === null, onclick: () => change({ offset: String(page.next_offset) }) }, t("table.next")),
    ),
  );
}
