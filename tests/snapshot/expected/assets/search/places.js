// « Où ? »: communes and postcodes from site/search/places/ (written by src/ccdir/places_index.py).

import { communeKey, fold } from "./frenchtext.js";
import { covering } from "./engine.js";

const WHOLE = 1, POSTCODE = 3;

function place(e, depts) {
  const [key, name, dept, postcodes, lat, lon, population, how] = e;
  return { key, name, dept, deptName: (depts[dept] || [dept])[0], postcodes: postcodes.split(" "), lat, lon,
    population, how };
}

/** Same order as places_index.rank: exact key, preferred région, whole name, population, name. */
export function rankPlaces(entries, text, depts, region, limit = 10) {
  const regionOf = (e) => (depts[e[2]] || [])[1];
  const sorted = [...entries].sort((a, b) => (
    ((a[0] !== text) - (b[0] !== text))
    || ((regionOf(a) !== region) - (regionOf(b) !== region))
    || ((a[7] !== WHOLE) - (b[7] !== WHOLE))
    || (b[6] - a[6])
    || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0)
    || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0)));
  const seen = new Set();
  const out = [];
  for (const e of sorted) {
    const id = `${e[1]}|${e[2]}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(e);
    if (out.length === limit) break;
  }
  return out;
}

export class Places {
  constructor(loader) {
    this.loader = loader;
  }

  async index() {
    return this.loader.json("places/index.json");
  }

  /** Entries whose key starts with `key` (all of them, or the precomputed best when there are too many). */
  async entries(key) {
    const idx = await this.index();
    const [lo, hi] = covering(idx.first, key);
    if (hi - lo > idx.max) {
      const t = idx.tops.indexOf(key);
      return t < 0 ? [] : this.loader.json(`places/top/${t}.json`);
    }
    const parts = [];
    for (let i = lo; i < hi; i++) parts.push(this.loader.json(`places/n/${i}.json`));
    return (await Promise.all(parts)).flat().filter((e) => e[0].startsWith(key));
  }

  /** Suggestions for what is typed in « Où ? » (2 characters or more). */
  async suggest(text, limit = 8) {
    const key = /^\s*\d/.test(text) ? text.replace(/\s/g, "") : communeKey(text);
    if (key.length < 2) return [];
    const idx = await this.index();
    return rankPlaces(await this.entries(key), key, idx.depts, idx.region, limit).map((e) => place(e, idx.depts));
  }

  /**
   * The commune meant by `text` ("Olivet", "olivet (mayenne)", "45200", "st jean de braye"):
   * {place, others} where `others` are homonyms in other départements; null when nothing matches.
   */
  async resolve(text) {
    const idx = await this.index();
    text = String(text || "").trim();
    let dept = null;
    const qualified = /^(.*\S)\s*\(([^()]+)\)$/.exec(text);
    if (qualified) {
      const q = fold(qualified[2]);
      const code = Object.keys(idx.depts).find((c) => c.toLowerCase() === q || fold(idx.depts[c][0]) === q);
      if (code) [text, dept] = [qualified[1], code];
    }
    const key = /^\d[\d\s]*$/.test(text) ? text.replace(/\s/g, "") : communeKey(text);
    if (!key) return null;
    let entries = await this.entries(key);
    if (dept) entries = entries.filter((e) => e[2] === dept);
    const exact = entries.filter((e) => e[0] === key);
    const pool = exact.length ? exact : entries;
    const ranked = rankPlaces(pool, key, idx.depts, idx.region, 50);
    if (!ranked.length) return null;
    const best = place(ranked[0], idx.depts);
    const others = ranked.slice(1)
      .filter((e) => e[7] === WHOLE || e[7] === POSTCODE)
      .filter((e) => e[7] === POSTCODE || e[1] === best.name)
      .map((e) => place(e, idx.depts));
    return { place: best, others, exact: exact.length > 0 };
  }
}

/** How to write a commune in « Où ? » so that it resolves to this one (département added for homonyms). */
export function placeLabel(p, homonyms) {
  return homonyms ? `${p.name} (${p.deptName})` : p.name;
}
