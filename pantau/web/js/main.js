// The dashboard's entry point: a hash router over the pages, the language switch
// and the token dialog. Routes: #/ (map, timeline, events), #/events/ID,
// #/articles/ID, #/posts, #/alerts, #/places.

import { getToken, setToken } from "./api.js";
import { loadLang, preferredLang } from "./i18n.js";
import * as alerts from "./pages/alerts.js";
import * as article from "./pages/article.js";
import * as event from "./pages/event.js";
import * as overview from "./pages/overview.js";
import * as places from "./pages/places.js";
import * as posts from "./pages/posts.js";

const ROUTES = [
  [/^\/?$/, overview, "overview"],
  [/^\/events\/(ev-[0-9a-f]+)$/, event, "overview"],
  [/^\/articles\/(\d+)$/, article, "overview"],
  [/^\/posts$/, posts, "posts"],
  [/^\/alerts$/, alerts, "alerts"],
  [/^\/places$/, places, "places"],
];

let cleanup = null;

function parseHash() {
  const hash = decodeURIComponent(location.hash.replace(/^#/, ""));
  const [path, query = ""] = hash.split("?");
  return { path: path || "/", params: Object.fromEntries(new URLSearchParams(query)) };
}

async function route() {
  const { path, params } = parseHash();
  const main = document.getElementById("page");
  if (cleanup) cleanup();
  cleanup = null;
  main.replaceChildren();
  main.dataset.ready = "";
  const found = ROUTES.find(([pattern]) => pattern.test(path));
  const [pattern, page, nav] = found || ROUTES[0];
  const match = path.match(pattern);
  if (match && match[1]) params.id = match[1];
  for (const link of document.querySelectorAll("nav a")) link.classList.toggle("active", link.dataset.page === nav);
  const ctx = {
    setTwin(url) {
      const twin = document.getElementById("json-twin");
      twin.href = url;
      twin.title = url;
    },
    rerender: route,
  };
  try {
    cleanup = (await page.render(main, params, ctx)) || null;
  } finally {
    // The browser tests wait for this: the page has fetched and drawn its data.
    main.dataset.ready = "1";
  }
}

async function start() {
  const select = document.getElementById("lang-select");
  select.value = preferredLang();
  await loadLang(select.value);
  select.addEventListener("change", async () => {
    await loadLang(select.value);
    route();
  });
  const dialog = document.getElementById("token-dialog");
  const input = document.getElementById("token-input");
  document.getElementById("token-button").addEventListener("click", () => {
    input.value = getToken();
    dialog.showModal();
  });
  dialog.addEventListener("close", () => {
    if (dialog.returnValue === "save") setToken(input.value.trim());
    if (dialog.returnValue === "clear") setToken("");
    route();
  });
  window.addEventListener("hashchange", route);
  await route();
}

start();
