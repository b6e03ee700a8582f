// One stored article with its coded spans marked: triggers, actors, places, dates and
// numbers, and the list of what was coded from it. Twin: /api/articles/{id}.

import { apiUrl, getJSON } from "../api.js";
import { formatDate, t } from "../i18n.js";
import { h, message } from "../util.js";

const KINDS = ["trigger", "actor", "place", "date", "number"];

function markedText(text, spans) {
  const parts = [];
  let at = 0;
  for (const span of spans) {
    if (span.start < at) continue; // the API never sends overlaps; be safe anyway
    parts.push(text.slice(at, span.start));
    parts.push(h("mark", { class: `span-${span.kind}`, title: `${t(`span.${span.kind}`)}${span.label ? ": " + span.label : ""}` }, text.slice(span.start, span.end)));
    at = span.end;
  }
  parts.push(text.slice(at));
  return parts;
}

export async function render(root, params, ctx) {
  ctx.setTwin(apiUrl(`/articles/${params.id}`));
  let article;
  try {
    article = await getJSON(`/articles/${params.id}`);
  } catch (error) {
    root.append(message(error.message, "error"));
    return;
  }
  root.append(
    h("p", {}, h("a", { href: "#/", onclick: (e) => { if (history.length > 1) { e.preventDefault(); history.back(); } } }, `← ${t("nav.back")}`)),
    h("h1", {}, article.title || article.ext_id),
    h(
      "p",
      { class: "meta" },
      [formatDate(article.published), article.outlet, article.lang, article.coder].filter(Boolean).join(" · "),
      article.url ? [" · ", h("a", { href: article.url, target: "_blank", rel: "noopener noreferrer" }, t("article.original"))] : null,
    ),
    h("div", { class: "legend spans" }, KINDS.map((k) => h("mark", { class: `span-${k}` }, t(`span.${k}`)))),
    h("div", { class: "article-text" }, markedText(article.text, article.spans)),
    h("h2", {}, t("article.coded", { n: article.mentions.length })),
    h(
      "ul",
      { class: "article-mentions" },
      article.mentions.map((m) =>
        h(
          "li",
          {},
          m.event_id ? h("a", { href: `#/events/${m.event_id}` }, `${m.type}${m.mode ? "/" + m.mode : ""}`) : `${m.type}/${m.mode}`,
          m.aux ? ` (${t(`aux.${m.aux}`)})` : "",
          ` ${formatDate(m.date)} — “${m.trigger || ""}”`,
        ),
      ),
    ),
  );
}
