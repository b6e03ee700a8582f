// Posts: a card per post with its level, since when and why (the rules that fired
// and the events behind them, each one click from its evidence), and the level
// history as a strip chart. Twins: /api/posts and /api/posts/{id}/levels.

import { apiUrl, getJSON } from "../api.js";
import { formatDate, t } from "../i18n.js";
import { LEVEL_COLOURS, h, message } from "../util.js";

const SVG = "http://www.w3.org/2000/svg";
const EVENTS_SHOWN = 2; // events quoted per rule; the event view has them all

/** One coloured cell per day, its height the level; a title gives date and level. */
function strip(levels) {
  const cell = 14;
  const height = 44;
  const root = document.createElementNS(SVG, "svg");
  root.setAttribute("width", Math.max(levels.length * cell, cell));
  root.setAttribute("height", height + 14);
  root.setAttribute("class", "strip");
  levels.forEach((day, i) => {
    const rect = document.createElementNS(SVG, "rect");
    const barH = (day.level / 4) * height;
    rect.setAttribute("x", i * cell);
    rect.setAttribute("y", height - barH);
    rect.setAttribute("width", cell - 2);
    rect.setAttribute("height", barH);
    rect.setAttribute("fill", LEVEL_COLOURS[day.level] || "#999");
    const title = document.createElementNS(SVG, "title");
    title.textContent = `${day.date}: ${t("level.name", { n: day.level })}`;
    rect.append(title);
    root.append(rect);
    if (i === 0 || i === levels.length - 1 || day.change) {
      const label = document.createElementNS(SVG, "text");
      label.setAttribute("x", i * cell);
      label.setAttribute("y", height + 12);
      label.setAttribute("class", "axis");
      label.textContent = day.date.slice(8);
      root.append(label);
    }
  });
  return root;
}

/** The rules that fired, each with its events and their evidence (one click to the
 * event, one to the article). */
export function reasonList(reasons, level = 0) {
  if (!reasons || reasons.length === 0) return h("p", { class: "note" }, t("posts.no_reasons"));
  // The rules that set the level come first; lower ones that fired too are folded away.
  const main = reasons.filter((r) => r.level >= level);
  const other = reasons.filter((r) => r.level < level);
  const list = (items) => h(
    "ul",
    { class: "reasons" },
    items.map((r) =>
      h(
        "li",
        { class: "reason" },
        h("strong", {}, r.rule),
        ` → ${t("level.name", { n: r.level })}`,
        r.description ? h("div", { class: "reason-text" }, `${r.description}${r.detail ? ` (${r.detail})` : ""}`) : null,
        h(
          "ul",
          { class: "reason-events" },
          (r.events || []).slice(0, EVENTS_SHOWN).map((e) => {
            const quote = (e.evidence || [])[0];
            return h(
              "li",
              {},
              h("a", { href: `#/events/${e.event}` }, `${(e.dates || []).at(-1) || ""} ${e.type}${e.mode ? "/" + e.mode : ""} ${e.place || e.country || ""}`),
              quote
                ? h(
                    "blockquote",
                    { class: "evidence small" },
                    quote.sentence,
                    " ",
                    quote.article_id ? h("a", { href: `#/articles/${quote.article_id}`, class: "source" }, `(${quote.outlet || quote.article})`) : `(${quote.outlet || quote.article || ""})`,
                  )
                : null,
            );
          }),
        ),
        (r.events || []).length > EVENTS_SHOWN ? h("div", { class: "note" }, t("map.more", { n: r.events.length - EVENTS_SHOWN })) : null,
      ),
    ),
  );
  return h(
    "div",
    {},
    list(main),
    other.length ? h("details", {}, h("summary", {}, t("posts.other_rules", { n: other.length })), list(other)) : null,
  );
}

async function card(post) {
  const colour = LEVEL_COLOURS[post.level] || "#999";
  const history = h("div", { class: "history" }, h("span", { class: "note" }, "…"));
  const element = h(
    "article",
    { class: "post-card", dataset: { post: post.id }, style: `border-left-color:${colour}` },
    h(
      "header",
      {},
      h("h2", {}, post.name),
      h("span", { class: "level-badge", style: `background:${colour}` }, post.level ? `${t("level.name", { n: post.level })} · ${t(`level.${post.level}`)}` : t("level.unknown")),
    ),
    h("p", { class: "meta" }, [post.country, `${post.lat.toFixed(2)}, ${post.lon.toFixed(2)}`, t("posts.radius", { km: post.radius_km })].filter(Boolean).join(" · ")),
    post.since ? h("p", {}, t("posts.since", { date: formatDate(post.since) }), post.note ? h("span", { class: "note" }, ` — ${post.note}`) : null) : null,
    h("h3", {}, t("posts.history")),
    history,
    h("h3", {}, t("posts.why")),
    reasonList(post.reasons, post.level || 0),
  );
  getJSON(`/posts/${encodeURIComponent(post.id)}/levels`)
    .then((levels) => history.replaceChildren(levels.length ? strip(levels) : h("p", { class: "note" }, t("posts.no_history"))))
    .catch((error) => history.replaceChildren(message(error.message, "error")));
  return element;
}

export async function render(root, params, ctx) {
  ctx.setTwin(apiUrl("/posts"));
  root.append(h("h1", {}, t("nav.posts")));
  let posts;
  try {
    posts = await getJSON("/posts");
  } catch (error) {
    root.append(message(error.message, "error"));
    return;
  }
  if (posts.length === 0) root.append(message(t("posts.none")));
  const cards = h("div", { class: "post-cards" });
  root.append(cards);
  for (const post of posts) cards.append(await card(post));
}
