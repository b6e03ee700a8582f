// Places and the situation index: where events happened, and per country and day
// the events by type and conflict intensity. Twins: /api/places and /api/index.

import { apiUrl, getJSON } from "../api.js";
import { formatDate, t } from "../i18n.js";
import { h, message } from "../util.js";

export async function render(root, params, ctx) {
  const country = params.country || "";
  ctx.setTwin(apiUrl("/places", { country }));
  root.append(h("h1", {}, t("nav.places")));
  let places;
  let index;
  try {
    [places, index] = await Promise.all([getJSON("/places", { country, limit: 200 }), getJSON("/index", { country, since: params.since, until: params.until })]);
  } catch (error) {
    root.append(message(error.message, "error"));
    return;
  }
  root.append(
    h(
      "table",
      { class: "places" },
      h("thead", {}, h("tr", {}, ["places.name", "places.country", "places.precision", "table.events", "table.mentions", "places.first", "places.last"].map((k) => h("th", {}, t(k))))),
      h(
        "tbody",
        {},
        places.map((p) =>
          h(
            "tr",
            {},
            h("td", {}, h("a", { href: `#/?${new URLSearchParams({ place: p.geonameid ?? p.name })}` }, p.name)),
            h("td", {}, p.country || "–"),
            h("td", {}, p.precision || "–"),
            h("td", { class: "num" }, p.events),
            h("td", { class: "num" }, p.mentions),
            h("td", {}, formatDate(p.first_date)),
            h("td", {}, formatDate(p.last_date)),
          ),
        ),
      ),
    ),
    h("h2", {}, t("index.title")),
    h("p", { class: "note" }, t("index.help")),
    h(
      "table",
      { class: "index" },
      h("thead", {}, h("tr", {}, ["places.country", "table.date", "table.events", "index.intensity", "index.change", "index.casualties", "index.types"].map((k) => h("th", {}, t(k))))),
      h(
        "tbody",
        {},
        [...index.rows].sort((a, b) => b.date.localeCompare(a.date) || b.intensity - a.intensity).slice(0, 300).map((r) =>
          h(
            "tr",
            {},
            h("td", {}, h("a", { href: `#/?${new URLSearchParams({ country: r.country, since: r.date, until: r.date })}` }, r.place ? `${r.place}, ${r.country}` : r.country)),
            h("td", {}, formatDate(r.date)),
            h("td", { class: "num" }, r.events),
            h("td", { class: "num" }, r.intensity),
            h("td", { class: "num" }, `${r.change > 0 ? "+" : ""}${r.change}`),
            h("td", { class: "num" }, r.dead || r.injured ? `${r.dead} / ${r.injured}` : "–"),
            h("td", {}, Object.entries(r.by_type).map(([type, n]) => `${type} ${n}`).join(", ")),
          ),
        ),
      ),
    ),
  );
}
