// /recherche/: the search state lives in the URL (?quoi=…&ou=…&rayon=…[&lat=…&lon=…][&type=…]
// [&livraison=1][&ouvert=1]); opening such a URL, the back button and shared links give the same results.

import { Loader, PAGE, SearchEngine } from "./engine.js";
import { registerLunr } from "./frenchtext.js";
import { clearPosition, initForm, setPosition } from "./form.js";
import { NameIndex } from "./names.js";
import { Places } from "./places.js";
import { renderNames, renderResults } from "./results.js";
import { km, lang, t } from "../i18n.js";

const root = document.getElementById("recherche");
const form = document.querySelector("form.search");
const status = document.getElementById("etat");
const list = document.getElementById("resultats");
const moreButton = document.getElementById("plus");
const mapButton = document.getElementById("voir-carte");
const loader = new Loader(root.dataset.index);
const engine = new SearchEngine(loader, loadLunr, new NameIndex(loader), lang);
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
  form.elements.rayon.querySelectorAll("option[data-auto]").forEach((o) => o.remove());
  form.elements.rayon.value = root.dataset.radii.split(" ").includes(params.rayon) ? params.rayon : root.dataset.radius;
  form.elements.type.value = params.type || "";
  form.elements.livraison.checked = params.livraison === "1";
  form.elements.ouvert.checked = params.ouvert === "1";
  if (params.type || params.livraison || params.ouvert) form.querySelector("details.refine").open = true;
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

/** « de Montargis », « d'Orléans », « du Mans », « des Ulis »; « of Orléans » in English. */
function fromPlace(name) {
  if (lang !== "fr") return t("de {place}", { place: name });
  if (/^le /i.test(name)) return `du ${name.slice(3)}`;
  if (/^les /i.test(name)) return `des ${name.slice(4)}`;
  return /^[aeiouyàâäéèêëîïôöûüœ]/i.test(name) ? `d'${name}` : `de ${name}`;
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
  document.getElementById("ailleurs").replaceChildren();
  document.getElementById("suggestions").replaceChildren();
  if (!params.quoi && !params.ou && !params.lat) {
    say("");
    return;
  }
  say(t("Recherche en cours…"), true);
  try {
    const where = await locate(params);
    if (mine !== runId) return;
    if (where === null) {
      // No place: shops found by their name, best match first.
      const search = await engine.search({ quoi: params.quoi || "", lat: NaN, lon: NaN });
      if (mine !== runId) return;
      const place = search.names.length ? null : await places.resolve(params.quoi);
      if (mine !== runId) return;
      if (place && place.exact) {
        // A commune typed in « Quoi ? »: every shop around it.
        const p = place.place;
        const around = await engine.search({ quoi: "", lat: p.lat, lon: p.lon, radius: params.rayon });
        if (mine !== runId) return;
        current = { search: around, where: { lat: p.lat, lon: p.lon, label: p.name, place: p, others: [] }, shown: PAGE };
        show({ ...params, quoi: "" });
        say(`${t("« {quoi} » est une commune : voici les commerces autour.", { quoi: params.quoi })} ${status.textContent}`);
        return;
      }
      showNames(search.names, t("Indiquez une commune ou un code postal dans « Où ? », ou choisissez « Autour de moi », pour voir les commerces les plus proches."));
      return;
    }
    if (where === undefined) {
      say(t("Commune « {ou} » introuvable à moins de 50 km des commerces de l'annuaire : vérifiez l'orthographe ou indiquez le code postal.", { ou: params.ou }));
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
    if (mine === runId) say(t("La recherche n'a pas pu se faire (connexion interrompue ?) : réessayez."));
    console.error(error);
  }
}

/** « 20 km », or « toute la France » for the last widening step. */
function radiusText(radius) {
  return radius >= 10000 ? t("sans limite de distance") : t("à moins de {radius} km", { radius });
}

/** The radius menu shows the radius actually searched, added for the time of this answer if needed. */
function showRadius(radius) {
  const select = form.elements.rayon;
  select.querySelectorAll("option[data-auto]").forEach((o) => o.remove());
  if (![...select.options].some((o) => o.value === String(radius))) {
    const option = document.createElement("option");
    option.value = String(radius);
    option.dataset.auto = "1";
    option.textContent = radius >= 10000 ? t("Sans limite") : `${radius} km`;
    select.append(option);
  }
  select.value = String(radius);
}

function show(params) {
  const { search, where, shown } = current;
  const results = search.results(shown);
  const man = engine.man;
  const near = where.label === "vous" ? t("de vous") : fromPlace(where.label);
  const what = params.quoi ? t(" à « {quoi} »", { quoi: params.quoi }) : "";
  const parts = [];
  const lastRadius = man.radii[man.radii.length - 1];
  if (search.radius > lastRadius && results.length) {
    const first = results[0].record;
    const searched = Math.max(lastRadius, search.startRadius);
    parts.push(t("Aucun commerce ne correspond{what} à moins de {radius} km {near}. Le plus proche : {name}, à {distance} ({commune}).",
      { what, radius: searched, near, name: first.name, distance: km(results[0].distance), commune: first.commune }));
  } else if (search.radius !== search.startRadius) {
    const before = search.inside().filter((r) => r.distance <= search.startRadius).length;
    const few = before === 0 ? t("Aucun commerce") : before > 1 ? t("Seulement {n} commerces", { n: before })
      : t("Seulement {n} commerce", { n: before });
    parts.push(t("{few} à moins de {start} km : rayon élargi à {radius} km.", { few, start: search.startRadius, radius: search.radius }));
  }
  if (search.relaxed) parts.push(t("Aucun commerce ne correspond à tous les mots : voici ceux qui correspondent à au moins un."));
  if (!results.length && (params.type || params.livraison || params.ouvert)) {
    parts.push(t("Aucun commerce ne correspond{what} avec ces critères (Affiner) à moins de {radius} km {near}.", { what, radius: search.radius, near }));
  } else if (!results.length) {
    parts.push(t("Aucun commerce de l'annuaire ne correspond{what}, même loin {near}.", { what, near }));
  } else if (search.hasMore(shown)) {
    parts.push(t("Les {n} meilleurs résultats {within} {near}, du plus proche au plus loin à pertinence égale.", { n: results.length, within: radiusText(search.radius), near }));
  } else {
    const values = { n: results.length, within: radiusText(search.radius), near };
    parts.push(results.length > 1 ? t("{n} commerces {within} {near}, du plus proche au plus loin à pertinence égale.", values)
      : t("{n} commerce {within} {near}, du plus proche au plus loin à pertinence égale.", values));
  }
  say(parts.join(" "));
  showRadius(search.radius);
  renderResults(list, results, { man, pages: root.dataset.pages, km });
  moreButton.hidden = !search.hasMore(shown);
  showHomonyms(params, where);
  showOthers(search.otherNames(), t("Ailleurs, commerces de ce nom : "));
  showSuggestions(params, search.suggestions);
  import("../extras/platforms.js").then((m) => m.showPlatforms(document.getElementById("aussi-sur"), where.place,
    root.dataset.root)).catch(console.error); // « Aussi sur : … » (lazy; plateformes.json at the site's root)
  if (mapModule && !document.getElementById("carte").hidden) mapModule.update(results, where);
}

/** Shops found by name only (no place typed): name, commune, link. */
function showNames(names, hint) {
  if (!names.length) {
    say(hint);
    return;
  }
  const count = names.length > 1 ? t("{n} commerces dont le nom correspond.", { n: names.length })
    : t("{n} commerce dont le nom correspond.", { n: names.length });
  say(`${count} ${hint}`);
  renderNames(list, names, { pages: root.dataset.pages, km });
}

function showOthers(names, label) {
  const box = document.getElementById("ailleurs");
  box.replaceChildren();
  if (!names.length) return;
  box.append(label);
  names.forEach((n, i) => {
    const a = document.createElement("a");
    a.href = `${root.dataset.pages}commercants/${n.slug}/`;
    a.textContent = n.name;
    const where = ` (${n.commune}${n.distance === null ? "" : `, ${km(n.distance)}`})`;
    box.append(...(i ? [", ", a, where] : [a, where]));
  });
  box.append(".");
}

/** Nothing anywhere: categories spelt like the query, and the list of categories. */
function showSuggestions(params, labels) {
  const box = document.getElementById("suggestions");
  box.replaceChildren();
  if (current.search.results(1).length) return;
  if (labels.length) {
    box.append(t("Vouliez-vous dire : "));
    labels.forEach((label, i) => {
      const next = new URLSearchParams(params);
      next.set("quoi", label);
      const a = document.createElement("a");
      a.href = `?${next}`;
      a.textContent = label;
      box.append(...(i ? [", ", a] : [a]));
    });
    box.append(" ? ");
  }
  const all = document.createElement("a");
  all.href = `${root.dataset.pages}categories/`;
  all.textContent = t("toutes les catégories");
  box.append(t("Voir aussi "), all, ".");
}

function showHomonyms(params, where) {
  const box = document.getElementById("homonymes");
  const others = (where.others || []).filter((p) => p.name !== where.place.name || p.dept !== where.place.dept);
  if (!others.length) return;
  box.append(document.createTextNode(t("Vouliez-vous dire : ")));
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

document.getElementById("suggestions").addEventListener("click", (event) => {
  const link = event.target.closest("a");
  if (!link || !link.search) return;
  event.preventDefault();
  window.history.pushState(null, "", link.href);
  fillForm(readParams());
  run(readParams());
});

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
  say(t("Chargement…"), true);
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
  mapButton.textContent = opening ? t("Masquer la carte") : t("Afficher la carte");
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
