// /recherche/: the search state lives in the URL (?quoi=…&ou=…&rayon=…[&lat=…&lon=…][&type=…]
// [&livraison=1][&ouvert=1]); opening such a URL, the back button and shared links give the same results.

import { Loader, PAGE, SearchEngine } from "./engine.js";
import { registerLunr } from "./frenchtext.js";
import { clearPosition, initForm, setPosition } from "./form.js";
import { Places } from "./places.js";
import { renderResults } from "./results.js";

const root = document.getElementById("recherche");
const form = document.querySelector("form.search");
const status = document.getElementById("etat");
const list = document.getElementById("resultats");
const moreButton = document.getElementById("plus");
const mapButton = document.getElementById("voir-carte");
const loader = new Loader(root.dataset.index);
const engine = new SearchEngine(loader, loadLunr);
const places = new Places(loader);
const PARAMS = ["quoi", "ou", "rayon", "lat", "lon", "type", "livraison", "ouvert"];
let current = null; // {search, shown, place}
let runId = 0;
let lunrPromise = null;
let mapModule = null;

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`${src} introuvable`));
    document.head.append(script);
  });
}

function loadLunr() {
  lunrPromise = lunrPromise || loadScript(`${root.dataset.vendor}lunr.min.js`).then(() => {
    registerLunr(window.lunr);
    return window.lunr;
  });
  return lunrPromise;
}

function readParams() {
  const url = new URLSearchParams(window.location.search);
  const params = {};
  for (const name of PARAMS) if (url.get(name)) params[name] = url.get(name).trim();
  return params;
}

function fillForm(params) {
  form.elements.quoi.value = params.quoi || "";
  form.elements.ou.value = params.ou || "";
  form.elements.rayon.value = root.dataset.radii.split(" ").includes(params.rayon) ? params.rayon : root.dataset.radius;
  form.elements.type.value = params.type || "";
  form.elements.livraison.checked = params.livraison === "1";
  form.elements.ouvert.checked = params.ouvert === "1";
  if (params.lat && params.lon) setPosition(form, params.lat, params.lon);
  else clearPosition(form);
}

function formParams() {
  const data = new FormData(form);
  const params = new URLSearchParams();
  for (const name of PARAMS) {
    const value = (data.get(name) || "").toString().trim();
    if (value) params.set(name, value);
  }
  return params;
}

function say(text, busy = false) {
  status.textContent = text;
  list.parentElement.setAttribute("aria-busy", String(busy));
}

/** « de Montargis », « d'Orléans », « du Mans », « des Ulis » */
function fromPlace(name) {
  if (/^le /i.test(name)) return `du ${name.slice(3)}`;
  if (/^les /i.test(name)) return `des ${name.slice(4)}`;
  return /^[aeiouyàâäéèêëîïôöûüœ]/i.test(name) ? `d'${name}` : `de ${name}`;
}

function km(value) {
  return value < 10 ? `${value.toFixed(1).replace(".", ",")}\u00a0km` : `${Math.round(value)}\u00a0km`;
}

async function locate(params) {
  if (params.lat && params.lon && Number.isFinite(Number(params.lat)) && Number.isFinite(Number(params.lon))) {
    return { lat: Number(params.lat), lon: Number(params.lon), label: "vous", others: [] };
  }
  if (!params.ou) return null;
  const found = await places.resolve(params.ou);
  if (!found) return undefined;
  const p = found.place;
  return { lat: p.lat, lon: p.lon, label: p.name, place: p, others: found.others };
}

async function run(params) {
  const mine = ++runId;
  current = null;
  list.replaceChildren();
  moreButton.hidden = true;
  document.getElementById("homonymes").replaceChildren();
  if (!params.quoi && !params.ou && !params.lat) {
    say("");
    return;
  }
  say("Recherche en cours…", true);
  try {
    const where = await locate(params);
    if (mine !== runId) return;
    if (where === null) {
      say("Indiquez une commune ou un code postal dans « Où ? », ou choisissez « Autour de moi ».");
      return;
    }
    if (where === undefined) {
      say(`Commune « ${params.ou} » introuvable à moins de 50 km des commerces de l'annuaire : vérifiez `
        + "l'orthographe ou indiquez le code postal.");
      return;
    }
    const search = await engine.search({
      quoi: params.quoi || "", lat: where.lat, lon: where.lon, radius: params.rayon,
      kind: params.type, delivery: params.livraison === "1", open: params.ouvert === "1",
    });
    if (mine !== runId) return;
    current = { search, where, shown: PAGE };
    show(params);
  } catch (error) {
    if (mine === runId) say("La recherche n'a pas pu se faire (connexion interrompue ?) : réessayez.");
    console.error(error);
  }
}

function show(params) {
  const { search, where, shown } = current;
  const results = search.results(shown);
  const man = engine.man;
  const near = where.label === "vous" ? "de vous" : fromPlace(where.label);
  const parts = [];
  if (search.radius !== search.startRadius) {
    const before = search.found.filter((r) => r.distance <= search.startRadius).length;
    const few = before === 0 ? "Aucun commerce"
      : `Seulement ${before} commerce${before > 1 ? "s" : ""}`;
    parts.push(`${few} à moins de ${search.startRadius} km : rayon élargi à ${search.radius} km.`);
  }
  if (search.relaxed) parts.push("Aucun commerce ne correspond à tous les mots : voici ceux qui correspondent à au moins un.");
  if (!results.length) {
    const what = params.quoi ? `à « ${params.quoi} » ` : "";
    parts.push(`Aucun commerce ne correspond ${what}à moins de ${search.radius} km ${near}.`);
  } else if (search.hasMore(shown)) {
    parts.push(`Les ${results.length} commerces les plus proches ${near} (moins de ${search.radius} km), du plus proche au plus loin.`);
  } else {
    parts.push(`${results.length} commerce${results.length > 1 ? "s" : ""} à moins de ${search.radius} km ${near}, du plus proche au plus loin.`);
  }
  say(parts.join(" "));
  renderResults(list, results, { man, pages: root.dataset.pages, km });
  moreButton.hidden = !search.hasMore(shown);
  showHomonyms(params, where);
  import("../extras/platforms.js").then((m) => m.showPlatforms(document.getElementById("aussi-sur"), where.place,
    root.dataset.pages)).catch(console.error); // « Aussi sur : … » (lazy)
  if (mapModule && !document.getElementById("carte").hidden) mapModule.update(results, where);
}

function showHomonyms(params, where) {
  const box = document.getElementById("homonymes");
  const others = (where.others || []).filter((p) => p.name !== where.place.name || p.dept !== where.place.dept);
  if (!others.length) return;
  box.append(document.createTextNode("Vouliez-vous dire : "));
  others.slice(0, 5).forEach((p, i) => {
    const next = new URLSearchParams(params);
    next.set("ou", `${p.name} (${p.deptName})`);
    const a = document.createElement("a");
    a.href = `?${next}`;
    a.textContent = `${p.name} (${p.deptName})`;
    box.append(...(i ? [", ", a] : [a]));
  });
  box.append(" ?");
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const params = formParams();
  const url = `${window.location.pathname}?${params}`;
  if (url !== window.location.pathname + window.location.search) window.history.pushState(null, "", url);
  run(readParams());
});

for (const name of ["rayon", "type", "livraison", "ouvert"]) {
  form.elements[name].addEventListener("change", () => {
    if (form.elements.quoi.value || form.elements.ou.value) form.requestSubmit();
  });
}

document.getElementById("homonymes").addEventListener("click", (event) => {
  const link = event.target.closest("a");
  if (!link) return;
  event.preventDefault();
  window.history.pushState(null, "", link.href);
  fillForm(readParams());
  run(readParams());
});

moreButton.addEventListener("click", async () => {
  if (!current) return;
  const first = current.shown;
  current.shown += PAGE;
  say("Chargement…", true);
  await current.search.more(current.shown);
  show(readParams());
  const next = list.children[first];
  if (next) next.querySelector("a").focus();
});

mapButton.hidden = false;
mapButton.addEventListener("click", async () => {
  const box = document.getElementById("carte");
  const opening = box.hidden;
  box.hidden = !opening;
  mapButton.setAttribute("aria-expanded", String(opening));
  mapButton.textContent = opening ? "Masquer la carte" : "Afficher la carte";
  if (!opening) return;
  mapModule = mapModule || await import("./map.js");
  await mapModule.show(box, root.dataset);
  if (current) mapModule.update(current.search.results(current.shown), current.where);
});

window.addEventListener("popstate", () => {
  fillForm(readParams());
  run(readParams());
});

initForm(form);
fillForm(readParams());
run(readParams());
