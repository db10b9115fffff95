// One search result: what the merchant page's card shows, built with DOM calls (never innerHTML).

import { hoursText, lang, t } from "../i18n.js";

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else node.setAttribute(key, value);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined && c !== ""));
  return node;
}

/** "+33238000000" → "02 38 00 00 00"; other countries stay in international form. */
export function displayPhone(e164) {
  if (/^\+33\d{9}$/.test(e164)) return `0${e164.slice(3)}`.replace(/(\d{2})(?=\d)/g, "$1 ");
  return e164;
}

function orderLinks(r, man) {
  const items = [];
  const label = (index) => t(man.orderActions[index]);  // the words of content/labels.py, from the manifest
  for (const index of r.order) {
    const method = man.orders[index];
    let link = null;
    if (method === "phone" && r.phone) {
      link = el("a", { class: "btn", href: `tel:${r.phone}` }, `${label(index)} ${displayPhone(r.phone)}`);
    } else if (method === "sms" && r.phone) {
      link = el("a", { class: "btn", href: `sms:${r.phone}` }, label(index));
    } else if (method === "email" && r.email) {
      const subject = encodeURIComponent(t("Commande click & collect — {name}", { name: r.name }));
      link = el("a", { class: "btn", href: `mailto:${r.email}?subject=${subject}` }, label(index));
    } else if ((method === "website" || method === "marketplace") && r.url) {
      link = el("a", { class: "btn", href: r.url, rel: "noopener nofollow" }, label(index));
    } else if (method === "on_site") {
      items.push(el("li", { class: "order-note" }, label(index)));  // said, not a button: nothing to press
    }
    if (link) items.push(el("li", {}, link));
  }
  return el("ul", { class: "order" }, ...items);
}

// Where a point of sale stands, by kind (`pk`: the index in ccdir.content.model.POINT_KINDS), for pages
// in another language than French: the French `at` (« au marché de Romorantin-Lanthenay ») comes from
// the index, with French elisions; the commune is the record's.
const WHERE = [
  (v) => t("à la boutique de {city}", v), (v) => t("à la ferme de {city}", v), (v) => t("au marché de {city}", v),
  (v) => t("au drive fermier de {city}", v), (v) => t("à l'AMAP de {city}", v), (v) => t("au casier de {city}", v),
  (v) => t("chez un commerce partenaire de {city}", v),
];

const PARTNER = 6;

function where(r) {
  if (lang === "fr" || !Number.isInteger(r.pk)) return r.at;
  if (r.pk < 0) return t("à {city}", { city: r.commune });  // the main address
  // a partner's point is « chez <its name> » when it has one (ccdir.content.outlets.Outlet.where)
  const partner = r.pk === PARTNER && /^chez (?!un commerce partenaire de )(.+)$/.exec(r.at);
  return partner ? t("chez {name}", { name: partner[1] }) : WHERE[r.pk]({ city: r.commune });
}

/** Where and when for a point-of-sale record: « au marché de Romorantin-Lanthenay, mercredi 8 h – 12 h 30, à 4,2 km ». */
export function pointText(r, distance) {
  return [where(r), hoursText(r.when), t("à {distance}", { distance: `${r.approx ? "≈ " : ""}${distance}` })].filter(Boolean).join(", ");
}

export function renderResult(result, { man, pages, km }) {
  const r = result.record;
  const tags = r.cats.map((c) => el("span", { class: "tag" }, lang === "en" ? man.cats[c][3] : man.cats[c][1]));
  const distance = el("span", { class: "distance", title: r.approx ? t("distance depuis le centre de la commune") : "" },
    `${r.approx ? "≈ " : ""}${km(result.distance)}`);
  const meta = el("p", { class: "meta" }, distance, ...tags,
    el("span", { class: "where" }, `${r.commune} (${r.dept})`),
    el("span", { class: "kind" }, t(man.kinds[r.kind][1])));
  // the merchant's own words stay French: marked so that a screen reader reads them in French
  const note = r.pickup ? (lang === "fr" ? r.pickup : el("span", { lang: "fr" }, r.pickup)) : "";
  const hours = r.pickupHours ? t("Horaires de retrait : {hours}.", { hours: hoursText(r.pickupHours) }) : "";
  const pickup = [note, note && hours ? " " : "", hours].filter(Boolean);
  return el("li", { class: "card result", "data-slug": r.slug },
    el("h3", {}, el("a", { href: `${pages}commercants/${r.slug}/`, dir: "auto" }, r.name)),
    meta,
    r.at ? el("p", { class: "point" }, pointText(r, km(result.distance))) : null,
    r.delivery ? el("p", { class: "delivery" }, t("Livraison possible")) : null,
    orderLinks(r, man),
    pickup.length ? el("p", { class: "pickup" }, el("strong", {}, t("Retrait : ")), ...pickup) : null);
}

export function renderResults(list, results, options) {
  list.replaceChildren(...results.map((result) => renderResult(result, options)));
}

/** Shops found by their name only (name index: no phone nor hours): name, commune, distance if known. */
export function renderNames(list, names, { pages, km }) {
  list.replaceChildren(...names.map((n) => el("li", { class: "card result", "data-slug": n.slug },
    el("h3", {}, el("a", { href: `${pages}commercants/${n.slug}/`, dir: "auto" }, n.name)),
    el("p", { class: "meta" }, n.distance === null ? null : el("span", { class: "distance" }, `≈ ${km(n.distance)}`),
      el("span", { class: "where" }, `${n.commune} (${n.dept})`)))));
}
