// Interface strings in English and Indonesian, from /static/i18n/<lang>.json.
// Elements with data-i18n="key" get their text from the table; t() formats the rest.

const LANG_KEY = "pantau.lang";
export const LANGS = ["en", "id"];
let strings = {};
let current = "en";

export function preferredLang() {
  const saved = localStorage.getItem(LANG_KEY);
  if (LANGS.includes(saved)) return saved;
  return (navigator.language || "").toLowerCase().startsWith("id") ? "id" : "en";
}

export function currentLang() {
  return current;
}

export async function loadLang(lang) {
  const response = await fetch(`/static/i18n/${lang}.json`);
  strings = await response.json();
  current = lang;
  localStorage.setItem(LANG_KEY, lang);
  document.documentElement.lang = lang;
  apply(document);
}

/** The string of `key` with {name} replaced from `vars`; the key itself when missing. */
export function t(key, vars = {}) {
  const text = strings[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
}

export function apply(root) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-placeholder]")) {
    el.placeholder = t(el.dataset.i18nPlaceholder);
  }
  for (const el of root.querySelectorAll("[data-i18n-title]")) el.title = t(el.dataset.i18nTitle);
}

/** A date as the interface language writes it (YYYY-MM-DD in, "15 Apr 2023" out). */
export function formatDate(iso) {
  if (!iso) return "–";
  const date = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return iso;
  const locale = current === "id" ? "id-ID" : "en-GB";
  return date.toLocaleDateString(locale, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
}
