// The page's language for the scripts: French text is the key (as in the templates' gettext catalogue);
// English pages carry the translations in <script type="application/json" id="textes"> (ccdir.site.i18n).
const block = document.getElementById("textes");
const texts = block ? JSON.parse(block.textContent) : {};
export const lang = document.documentElement.lang || "fr";

/** `text` in the page's language, with {name} replaced by `values.name`. */
export function t(text, values = {}) {
  return (texts[text] || text).replace(/\{(\w+)\}/g, (all, name) => (name in values ? values[name] : all));
}

/** « 4,2 km » in French, « 4.2 km » in English. */
export function km(value) {
  const text = value < 10 ? value.toFixed(1) : String(Math.round(value));
  return `${lang === "fr" ? text.replace(".", ",") : text}\u00a0km`;
}

let hoursWords = null;

/** Hours described in French (« du mardi au samedi 10:00 – 12:00 », « mercredi 8 h – 12 h 30 ») in the page's
 * language: the words of ccdir.site.dates.when_en, from the JSON block, tried in the same order. */
export function hoursText(text) {
  const pairs = texts["@mots-horaires"];
  if (!text || !pairs) return text;
  if (!hoursWords) {
    const escape = (w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    hoursWords = { map: new Map(pairs),
      re: new RegExp(`(?<![\\p{L}\\p{N}_-])(${pairs.map(([w]) => escape(w)).join("|")})(?![\\p{L}\\p{N}_-])`, "gu") };
  }
  return text.replace(/(?<![\p{L}\p{N}_])(\d{1,2}) h(?: (\d{2}))?(?![\p{L}\p{N}_])/gu, (all, h, m) => `${h}:${m || "00"}`)
    .replace(hoursWords.re, (word) => hoursWords.map.get(word));
}
