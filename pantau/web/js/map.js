// The map: Natural Earth country shapes (world-atlas, bundled) drawn as vector
// polygons by Leaflet, with no tile server; events as circles per place, sized by
// mentions and coloured by type or quad; posts as rings coloured by level.
/* global L, topojson */

import { t } from "./i18n.js";
import { LEVEL_COLOURS, eventColour, eventKind, h } from "./util.js";

let worldPromise = null;

function world() {
  // One download per page load, shared by every map.
  worldPromise ??= fetch("/static/vendor/world-atlas/countries-50m.json")
    .then((r) => r.json())
    .then((topology) => topojson.feature(topology, topology.objects.countries));
  return worldPromise;
}

export class EventMap {
  constructor(element) {
    this.map = L.map(element, { worldCopyJump: true, minZoom: 1, maxZoom: 12, zoomSnap: 0.5 });
    this.map.setView([15, 30], 2);
    this.map.attributionControl.addAttribution("Natural Earth (world-atlas)");
    // The basemap gets its own pane below the overlays, so the countries that arrive
    // after the events never cover them.
    this.map.createPane("basemap").style.zIndex = 250;
    // Posts above the events: a post in a busy city must not vanish under its circles.
    this.map.createPane("posts").style.zIndex = 450;
    this.eventLayer = L.layerGroup().addTo(this.map);
    this.postLayer = L.layerGroup().addTo(this.map);
    this.fitted = false;
    this.ready = world().then((countries) => {
      L.geoJSON(countries, {
        style: { color: "#8a9199", weight: 0.6, fillColor: "#eef0ea", fillOpacity: 1 },
        interactive: false,
        pane: "basemap",
      }).addTo(this.map);
    });
  }

  /** Draw events, grouped by coordinates: one circle per place. */
  setEvents(events, colourBy) {
    this.eventLayer.clearLayers();
    const groups = new Map();
    for (const event of events) {
      if (event.lat === null || event.lon === null) continue;
      const key = `${event.lat.toFixed(3)},${event.lon.toFixed(3)}`;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(event);
    }
    for (const group of groups.values()) {
      const mentions = group.reduce((sum, e) => sum + e.num_mentions, 0);
      // The colour of the group is that of its most reported event.
      const top = group.reduce((a, b) => (b.num_mentions > a.num_mentions ? b : a));
      const circle = L.circleMarker([top.lat, top.lon], {
        radius: 5 + 3 * Math.sqrt(mentions),
        color: "#222",
        weight: 1,
        fillColor: eventColour(top, colourBy),
        fillOpacity: 0.75,
        className: "event-marker",
      });
      circle.bindPopup(() => this.popup(group), { maxWidth: 360 });
      circle.addTo(this.eventLayer);
    }
  }

  popup(group) {
    const sorted = [...group].sort((a, b) => b.num_mentions - a.num_mentions);
    const names = [...new Set(sorted.map((e) => e.place_name || e.country))].join(", ");
    return h(
      "div",
      { class: "popup" },
      h("strong", {}, names),
      h("div", {}, t("map.events_here", { n: group.length })),
      h(
        "ul",
        {},
        sorted.slice(0, 12).map((e) =>
          h(
            "li",
            {},
            h("a", { href: `#/events/${e.id}` }, `${e.date || "–"} ${eventKind(e)}`),
            ` ${e.actor_codes || "?"} → ${e.recipient_codes || "–"} (${e.num_mentions})`,
          ),
        ),
      ),
      sorted.length > 12 ? h("div", {}, t("map.more", { n: sorted.length - 12 })) : null,
    );
  }

  /** Posts as a ring of their radius and a dot, both in their level's colour. */
  setPosts(posts) {
    this.postLayer.clearLayers();
    for (const post of posts) {
      const colour = LEVEL_COLOURS[post.level] || "#555";
      const label = `${post.name}: ${t("level.name", { n: post.level ?? "?" })}`;
      L.circle([post.lat, post.lon], {
        radius: (post.radius_km || 25) * 1000,
        color: colour,
        weight: 3,
        fill: false,
        dashArray: "6 4",
        className: "post-ring",
        pane: "posts",
        interactive: false,
      }).addTo(this.postLayer);
      L.circleMarker([post.lat, post.lon], {
        radius: 7,
        color: "#fff",
        weight: 2,
        fillColor: colour,
        fillOpacity: 1,
        className: "post-marker",
        pane: "posts",
      })
        .bindTooltip(label)
        .bindPopup(() => h("div", {}, h("strong", {}, label), h("br"), h("a", { href: "#/posts" }, t("posts.open"))))
        .addTo(this.postLayer);
    }
  }

  /** Zoom to the points once, on the first data shown. */
  fit(points) {
    if (this.fitted || points.length === 0) return;
    this.fitted = true;
    this.map.fitBounds(points, { padding: [60, 60], maxZoom: 5, animate: false });
  }

  /** "west,south,east,north" of the visible map, for the bbox filter. */
  bbox() {
    const b = this.map.getBounds();
    const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
    const west = clamp(b.getWest(), -180, 180);
    const east = clamp(b.getEast(), -180, 180);
    const [w, e] = b.getEast() - b.getWest() >= 360 ? [-180, 180] : [west, east];
    return [w, clamp(b.getSouth(), -90, 90), e, clamp(b.getNorth(), -90, 90)].map((v) => v.toFixed(3)).join(",");
  }

  onMove(callback) {
    this.map.on("moveend", callback);
  }

  remove() {
    // Leaving the page in the middle of a pan or zoom: stop it first, or its next
    // animation frame looks for panes that remove() has taken away.
    this.map.stop();
    this.map.off();
    this.map.remove();
  }
}
