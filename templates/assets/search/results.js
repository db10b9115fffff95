// One search result: what the merchant page's card shows, built with DOM calls (never innerHTML).

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
  const label = (index) => man.orderActions[index];  // the words of content/labels.py, from the manifest
  for (const index of r.order) {
    const method = man.orders[index];
    let link = null;
    if (method === "phone" && r.phone) {
      link = el("a", { class: "btn", href: `tel:${r.phone}` }, `${label(index)} ${displayPhone(r.phone)}`);
    } else if (method === "sms" && r.phone) {
      link = el("a", { class: "btn", href: `sms:${r.phone}` }, label(index));
    } else if (method === "email" && r.email) {
      const subject = encodeURIComponent(`Commande click & collect — ${r.name}`);
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

export function renderResult(result, { man, pages, km }) {
  const r = result.record;
  const tags = r.cats.map((c) => el("span", { class: "tag" }, man.cats[c][1]));
  const distance = el("span", { class: "distance", title: r.approx ? "distance depuis le centre de la commune" : "" },
    `${r.approx ? "≈ " : ""}${km(result.distance)}`);
  const meta = el("p", { class: "meta" }, distance, ...tags,
    el("span", { class: "where" }, `${r.commune} (${r.dept})`),
    el("span", { class: "kind" }, man.kinds[r.kind][1]));
  const pickup = [r.pickup, r.pickupHours ? `Horaires de retrait : ${r.pickupHours}.` : ""].filter(Boolean).join(" ");
  return el("li", { class: "card result", "data-slug": r.slug },
    el("h3", {}, el("a", { href: `${pages}commercants/${r.slug}/`, dir: "auto" }, r.name)),
    meta,
    r.delivery ? el("p", { class: "delivery" }, "Livraison possible") : null,
    orderLinks(r, man),
    pickup ? el("p", { class: "pickup" }, el("strong", {}, "Retrait : "), pickup) : null);
}

export function renderResults(list, results, options) {
  list.replaceChildren(...results.map((result) => renderResult(result, options)));
}
