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
