// The timeline: events per day (or per week over long spans) stacked by type, as
// SVG. Dragging across it selects a date range ("brushing"), which the overview
// applies to the map and the table; a click without a drag clears it.

import { t } from "./i18n.js";
import { h, typeColour } from "./util.js";

const SVG = "http://www.w3.org/2000/svg";
const DAY = 86400000;
const HEIGHT = 150;
const PAD = { left: 28, right: 8, top: 8, bottom: 22 };

function svg(tag, attrs = {}) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, value);
  return el;
}

const toTime = (iso) => Date.parse(`${iso}T00:00:00Z`);
const toIso = (time) => new Date(time).toISOString().slice(0, 10);

/** The dates to draw: all of them when they span two months or less, else the
 * shortest stretch holding 90% of the events, so that a few events dated years back
 * do not squash the crisis into one bar (the rest is counted in a note). */
function focusRange(days) {
  const times = days.map((d) => toTime(d.date));
  const last = times.length - 1;
  if ((times[last] - times[0]) / DAY <= 60) return [times[0], times[last]];
  const total = days.reduce((sum, d) => sum + d.total, 0);
  const need = total * 0.9;
  let best = [times[0], times[last]];
  let sum = 0;
  let i = 0;
  for (let j = 0; j <= last; j++) {
    sum += days[j].total;
    while (sum - days[i].total >= need) sum -= days[i++].total;
    if (sum >= need && times[j] - times[i] < best[1] - best[0]) best = [times[i], times[j]];
  }
  return best;
}

/**
 * Draw `data` ({types, days} from /api/timeline) into `element`.
 * `range` is the brushed [since, until] (ISO dates) or null; `onBrush` gets the new one.
 */
export function drawTimeline(element, data, { range = null, onBrush = () => {} } = {}) {
  element.replaceChildren();
  if (!data.days.length) {
    element.append(h("p", { class: "message" }, t("timeline.empty")));
    return;
  }
  const [start, end] = focusRange(data.days);
  const spanDays = Math.round((end - start) / DAY) + 1;
  const step = spanDays > 180 ? 7 : 1; // days per bar
  const buckets = Math.ceil(spanDays / step);
  const counts = Array.from({ length: buckets }, () => ({}));
  let before = 0;
  let after = 0;
  for (const day of data.days) {
    const time = toTime(day.date);
    if (time < start) before += day.total;
    else if (time > end) after += day.total;
    else {
      const bucket = counts[Math.floor((time - start) / DAY / step)];
      for (const [type, n] of Object.entries(day.counts)) bucket[type] = (bucket[type] || 0) + n;
    }
  }
  const width = Math.max(element.clientWidth, 300);
  const plotW = width - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const barW = plotW / buckets;
  const max = Math.max(1, ...counts.map((c) => Object.values(c).reduce((a, b) => a + b, 0)));
  const root = svg("svg", { width, height: HEIGHT, class: "timeline-svg", role: "img" });
  root.append(svg("text", { x: PAD.left - 4, y: PAD.top + 8, "text-anchor": "end", class: "axis" }));
  root.lastChild.textContent = String(max);
  counts.forEach((bucket, i) => {
    let y = PAD.top + plotH;
    const date = toIso(start + i * step * DAY);
    for (const type of data.types) {
      const n = bucket[type];
      if (!n) continue;
      const barH = (n / max) * plotH;
      y -= barH;
      const rect = svg("rect", {
        x: PAD.left + i * barW + 0.5,
        y,
        width: Math.max(barW - 1, 0.5),
        height: barH,
        fill: typeColour(type),
        class: "bar",
      });
      rect.append(svg("title"));
      rect.lastChild.textContent = `${date}${step > 1 ? " +6" : ""}: ${type} ${n}`;
      root.append(rect);
    }
  });
  // Date labels: about one per 90 pixels.
  const every = Math.max(1, Math.ceil(buckets / Math.max(1, Math.floor(plotW / 90))));
  for (let i = 0; i < buckets; i += every) {
    const label = svg("text", { x: PAD.left + i * barW, y: HEIGHT - 6, class: "axis" });
    label.textContent = toIso(start + i * step * DAY).slice(5);
    root.append(label);
  }
  const xOf = (iso) => PAD.left + ((toTime(iso) - start) / DAY / step) * barW;
  const brush = svg("rect", { y: PAD.top, height: plotH, class: "brush", visibility: "hidden" });
  root.append(brush);
  const showBrush = (x0, x1) => {
    brush.setAttribute("x", Math.min(x0, x1));
    brush.setAttribute("width", Math.max(Math.abs(x1 - x0), 1));
    brush.setAttribute("visibility", "visible");
  };
  if (range) showBrush(xOf(range[0]), xOf(range[1]) + barW);
  // Dragging: pointer x -> bucket -> first/last day of the buckets covered.
  const bucketAt = (x) => Math.min(buckets - 1, Math.max(0, Math.floor((x - PAD.left) / barW)));
  let from = null;
  const localX = (event) => event.clientX - root.getBoundingClientRect().left;
  root.addEventListener("pointerdown", (event) => {
    from = localX(event);
    root.setPointerCapture(event.pointerId);
  });
  root.addEventListener("pointermove", (event) => {
    if (from !== null) showBrush(from, localX(event));
  });
  root.addEventListener("pointerup", (event) => {
    if (from === null) return;
    const to = localX(event);
    const [a, b] = [bucketAt(Math.min(from, to)), bucketAt(Math.max(from, to))];
    const dragged = Math.abs(to - from) > 3;
    from = null;
    if (!dragged) return onBrush(null);
    const until = Math.min(start + (b * step + step - 1) * DAY, end);
    onBrush([toIso(start + a * step * DAY), toIso(until)]);
  });
  element.append(root);
  const notes = [];
  if (before) notes.push(t("timeline.before", { n: before, date: toIso(start) }));
  if (after) notes.push(t("timeline.after", { n: after, date: toIso(end) }));
  if (step > 1) notes.push(t("timeline.weekly"));
  notes.push(t("timeline.hint"));
  element.append(h("p", { class: "timeline-notes" }, notes.join(" · ")));
}

/** A legend of the types shown, in their colours. */
export function typeLegend(types) {
  return h(
    "div",
    { class: "legend" },
    types.map((type) => h("span", {}, h("i", { style: `background:${typeColour(type)}` }), type)),
  );
}
