// Alerts: every level change sent, newest first, with its reasons. Twin: /api/alerts.

import { apiUrl, getJSON } from "../api.js";
import { t } from "../i18n.js";
import { LEVEL_COLOURS, h, message } from "../util.js";
import { reasonList } from "./posts.js";

export async function render(root, params, ctx) {
  ctx.setTwin(apiUrl("/alerts"));
  root.append(h("h1", {}, t("nav.alerts")));
  let alerts;
  try {
    alerts = await getJSON("/alerts");
  } catch (error) {
    root.append(message(error.message, "error"));
    return;
  }
  if (alerts.length === 0) root.append(message(t("alerts.none")));
  root.append(
    h(
      "div",
      { class: "alerts" },
      alerts.map((a) =>
        h(
          "article",
          { class: "alert-card", style: `border-left-color:${LEVEL_COLOURS[a.level] || "#999"}` },
          h("header", {}, h("strong", {}, a.post_name || a.post), ` ${a.date || ""} · `, t("alerts.change", { from: a.previous ?? "–", to: a.level })),
          a.note ? h("p", { class: "note" }, a.note) : null,
          reasonList(a.reasons, a.level),
        ),
      ),
    ),
  );
}
