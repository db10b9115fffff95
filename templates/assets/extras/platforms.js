// « Aussi sur : … » on the search page: the local platforms covering the place searched (site/plateformes.json,
// written by src/ccdir/site/localplatforms.py). Loaded only once a place is known.

import { t } from "../i18n.js";

let platforms = null;

async function load(base) {
  platforms = platforms || fetch(`${base}plateformes.json`).then((r) => (r.ok ? r.json() : []));
  return platforms;
}

/** Fill `box` with the platforms covering `place` ({name, dept}), or hide it. */
export async function showPlatforms(box, place, base) {
  const all = await load(base);
  const found = place ? all.filter((p) => p.communes.includes(`${place.name}|${place.dept}`)
    || p.departements.includes(place.dept)) : [];
  box.replaceChildren();
  box.hidden = !found.length;
  if (!found.length) return;
  box.append(t("Aussi sur : "));
  found.forEach((p, i) => {
    const a = document.createElement("a");
    a.href = p.url;
    a.rel = "noopener";
    a.textContent = p.name;
    const kind = document.createElement("span");
    kind.className = "n";
    kind.textContent = ` (${t(p.kind).toLowerCase()})`;
    box.append(...(i ? [", ", a, kind] : [a, kind]));
  });
}
