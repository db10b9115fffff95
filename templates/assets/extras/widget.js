// The town-hall widget (/widget/?commune=INSEE[,INSEE…]&categorie=ID[,ID…]): the shops of one commune or a
// few (an intercommunality), from the prebuilt files widget/communes/<INSEE>.json. DOM calls only.

const INSEE = /^\d[0-9AB]\d{3}$/;
const params = new URLSearchParams(window.location.search);
const codes = [...new Set((params.get("commune") || "").split(",").map((c) => c.trim().toUpperCase()))]
  .filter((c) => INSEE.test(c)).slice(0, 100);
const wanted = (params.get("categorie") || "").split(",").map((c) => c.trim()).filter(Boolean);
const title = document.getElementById("widget-titre");
const status = document.getElementById("widget-etat");
const list = document.getElementById("widget-liste");

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  node.append(...children.filter((c) => c !== null && c !== undefined && c !== ""));
  return node;
}

async function commune(code) {
  const response = await fetch(`communes/${code}.json`);
  if (response.status === 404) return null; // no shop there (yet)
  if (!response.ok) throw new Error(`${code}: ${response.status}`);
  return response.json();
}

function card(m) {
  const links = m.order.map(([label, href]) => el("li", {}, href
    ? el("a", { class: "btn", href, target: "_blank", rel: "noopener" }, label)
    : el("span", { class: "btn btn-static" }, label)));
  return el("li", { class: "card" },
    el("h2", {}, el("a", { href: m.url, target: "_blank", rel: "noopener", dir: "auto" }, m.name)),
    el("p", { class: "meta" }, m.labels.join(" · "), m.where ? ` — ${m.where}` : ""),
    m.pickup ? el("p", {}, `Retrait : ${m.pickup}`) : null,
    m.delivery ? el("p", { class: "delivery" }, "Livraison possible") : null,
    el("ul", { class: "order" }, ...links));
}

async function main() {
  if (!codes.length) {
    status.textContent = "Indiquez une commune dans l'adresse : ?commune= suivi de son code INSEE.";
    return;
  }
  const found = (await Promise.all(codes.map(commune))).filter(Boolean);
  const names = found.map((c) => c.name);
  const many = found.length > 1;
  if (found.length === 1) title.textContent = `Commerces en click & collect à ${names[0]}`;
  const merchants = found.flatMap((c) => c.merchants.map((m) => ({ ...m, where: many ? c.name : "" })))
    .filter((m) => !wanted.length || m.categories.some((id) => wanted.includes(id)));
  if (many) merchants.sort((a, b) => a.name.localeCompare(b.name, "fr"));
  list.replaceChildren(...merchants.map(card));
  status.textContent = merchants.length
    ? `${merchants.length} commerce${merchants.length > 1 ? "s" : ""} : commandez, puis retirez sur place.`
    : "Aucun commerce inscrit pour l'instant.";
}

main().catch((error) => {
  status.textContent = "La liste n'a pas pu être chargée : réessayez plus tard.";
  console.error(error);
});
