// One event: its codes, place, dates and counts, then every mention's evidence
// sentence with the trigger highlighted and links to the article. Twin: /api/events/{id}.

import { apiUrl, getJSON } from "../api.js";
import { formatDate, t } from "../i18n.js";
import { eventKind, h, markedSentence, message, typeColour } from "../util.js";

function row(key, value) {
  return [h("dt", {}, t(key)), h("dd", {}, value ?? "–")];
}

export async function render(root, params, ctx) {
  const id = params.id;
  ctx.setTwin(apiUrl(`/events/${id}`));
  let event;
  try {
    event = await getJSON(`/events/${id}`);
  } catch (error) {
    root.append(message(error.message, "error"));
    return;
  }
  const place = event.place_name ? `${event.place_name}${event.admin1 && event.admin1 !== event.place_name ? ", " + event.admin1 : ""}, ${event.country || ""}` : event.country;
  root.append(
    h("p", {}, h("a", { href: "#/" }, `← ${t("nav.back")}`)),
    h(
      "h1",
      { class: "event-title" },
      h("i", { class: "swatch big", style: `background:${typeColour(event.type)}` }),
      eventKind(event),
      event.aux ? h("span", { class: "aux" }, ` (${t(`aux.${event.aux}`)})`) : null,
      h("small", {}, ` ${event.id}`),
    ),
    h(
      "dl",
      { class: "facts" },
      row("event.date", `${formatDate(event.date)} (${t(`precision.${event.date_precision}`)})`),
      row("event.actor", `${event.actor_codes || "?"} ${event.actor_sector || ""}`),
      row("event.recipient", `${event.recipient_codes || "–"} ${event.recipient_sector || ""}`),
      row("event.place", `${place || "–"}${event.loc_precision ? ` (${event.loc_precision})` : ""}`),
      row("event.counts", t("event.counts_text", { m: event.num_mentions, a: event.num_articles, s: event.num_sources, c: event.confidence.toFixed(2) })),
      row("event.signals", event.signals || "–"),
      row("event.cameo", event.cameo),
    ),
    h("h2", {}, t("event.evidence", { n: event.mentions.length })),
    h(
      "ol",
      { class: "mentions" },
      event.mentions.map((m) =>
        h(
          "li",
          { class: "mention" },
          h(
            "div",
            { class: "mention-head" },
            h("span", {}, formatDate(m.published)),
            h("span", { class: "outlet" }, m.outlet || "–"),
            h("span", { class: "lang" }, m.lang || ""),
            h("a", { href: `#/articles/${m.article_id}`, class: "article-link" }, m.title || m.ext_id),
            m.url ? h("a", { href: m.url, target: "_blank", rel: "noopener noreferrer" }, "↗") : null,
            m.dup_of ? h("span", { class: "dup" }, t("event.copy_of", { id: m.dup_of })) : null,
          ),
          h("blockquote", { class: "evidence" }, markedSentence(m.sentence, m.trigger_in_sentence)),
          h("div", { class: "mention-foot" }, `${t("event.trigger")}: “${m.trigger || "–"}” · ${m.coder || ""}`),
        ),
      ),
    ),
    event.record ? h("details", {}, h("summary", {}, t("event.record")), h("pre", {}, JSON.stringify(event.record, null, 2))) : null,
  );
}
