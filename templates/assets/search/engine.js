// Search engine of /recherche/: loads the index built by src/ccdir/search_index.py piece by piece and
// ranks merchants by distance. No DOM here: the page (search.js) and the tests under Node both use it.
// Index format and algorithms: docs/search-index.md.

import { stem, words } from "./frenchtext.js";
import { loadHolidays, openAt, parisNow } from "./hours.js";

export const EARTH_KM = 6371.0088;
const BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz";
const TOP_KEY = "\uffff";
export const PAGE = 20;

// --- geometry ------------------------------------------------------------------------------------------

const rad = (d) => (d * Math.PI) / 180;

/** Great-circle distance in km (= ccdir.nearby.distance_km). */
export function distanceKm(lat1, lon1, lat2, lon2) {
  const dp = rad(lat2 - lat1);
  const dl = rad(lon2 - lon1);
  const a = Math.sin(dp / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dl / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** [south, west, north, east] of a cell id such as "u0b.01" (= search_index.cell_bbox). */
export function cellBox(cell) {
  const [chars, rest = ""] = cell.split(".");
  let bits = "";
  for (const ch of chars) bits += BASE32.indexOf(ch).toString(2).padStart(5, "0");
  bits += rest;
  let s = -90, w = -180, n = 90, e = 180;
  for (let i = 0; i < bits.length; i++) {
    if (i % 2 === 0) {
      const mid = (w + e) / 2;
      if (bits[i] === "1") w = mid; else e = mid;
    } else {
      const mid = (s + n) / 2;
      if (bits[i] === "1") s = mid; else n = mid;
    }
  }
  return [s, w, n, e];
}

/** Distance in km from a point to the nearest point of a box (0 inside). */
export function boxDistanceKm(lat, lon, [s, w, n, e]) {
  return distanceKm(lat, lon, Math.min(Math.max(lat, s), n), Math.min(Math.max(lon, w), e));
}

// --- sorted chunks (= ccdir.prefixfiles) ----------------------------------------------------------------

function bisectLeft(a, x) {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < x) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/** Indices [lo, hi) of the chunks that may hold keys starting with `prefix` (= prefixfiles.covering). */
export function covering(firsts, prefix) {
  if (!firsts.length) return [0, 0];
  const lo = Math.max(0, bisectLeft(firsts, prefix) - 1);
  const hi = bisectLeft(firsts, prefix + TOP_KEY);
  return [lo, Math.max(lo + 1, hi)];
}

/** True when a and b differ by at most one insertion, deletion, substitution or swap of neighbours. */
export function withinOneEdit(a, b) {
  if (a === b) return true;
  const la = a.length, lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // swap
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

// --- loading -------------------------------------------------------------------------------------------

/** Fetches JSON files below `base` once each. `fetchJson(url)` can be replaced (tests, measurements). */
export class Loader {
  constructor(base, fetchJson = defaultFetchJson) {
    this.base = base;
    this.fetchJson = fetchJson;
    this.cache = new Map();
  }

  json(path) {
    if (!this.cache.has(path)) {
      const promise = this.fetchJson(this.base + path);
      promise.catch(() => this.cache.delete(path)); // a failed download can be tried again
      this.cache.set(path, promise);
    }
    return this.cache.get(path);
  }
}

async function defaultFetchJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} : ${response.status}`);
  return response.json();
}

/** Document numbers from [first, gap, gap…] (= search_index.ungaps). */
export function ungaps(values, from = 0) {
  const refs = [];
  let total = 0;
  for (let i = from; i < values.length; i++) {
    total += values[i];
    refs.push(total);
  }
  return refs;
}

/** The lunr.js serialisation of a term directory chunk (= search_index.unpack_lunr). */
export function unpackLunr(header, chunk) {
  const [field] = header.fields;
  const invertedIndex = [];
  const vectors = new Map();
  for (const row of chunk) {
    if (row[0][0] === "@") continue;
    const position = invertedIndex.length;
    const byRef = {};
    for (const ref of ungaps(row, 1)) {
      byRef[String(ref)] = {};
      if (!vectors.has(ref)) vectors.set(ref, []);
      vectors.get(ref).push(position, 1);
    }
    invertedIndex.push([row[0], { [field]: byRef, _index: position }]);
  }
  const fieldVectors = [...vectors.keys()].sort((a, b) => a - b).map((ref) => [`${field}/${ref}`, vectors.get(ref)]);
  return { version: header.version, fields: [field], invertedIndex, fieldVectors, pipeline: header.pipeline };
}

// --- opening hours -------------------------------------------------------------------------------------

const WEEKDAYS = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
let parisClock = null;

/** Weekday (0 = Monday) and minute of the day at `date` in France. */
export function parisTime(date) {
  parisClock = parisClock || new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/Paris", weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  });
  const parts = Object.fromEntries(parisClock.formatToParts(date).map((p) => [p.type, p.value]));
  return [WEEKDAYS[parts.weekday], Number(parts.hour) * 60 + Number(parts.minute)];
}

/** Whether weekly hours `[[days mask, start, end, …]…]` (search_index.hours_masks) are open then. */
export function isOpen(masks, [day, minute]) {
  return masks.some(([mask, ...spans]) => {
    if (!(mask & (1 << day))) return false;
    for (let i = 0; i < spans.length; i += 2) if (spans[i] <= minute && minute < spans[i + 1]) return true;
    return false;
  });
}

// --- queries -------------------------------------------------------------------------------------------

/**
 * Split « quoi » into groups: a run of words that names a category (« pain au chocolat », « fleuristes »,
 * one typo allowed on words of 5+ letters), or a single word to find in the text.
 */
export function parseQuery(text, syn) {
  const raw = words(text);
  const terms = raw.map(stem);
  const groups = [];
  let i = 0;
  while (i < terms.length) {
    let j = Math.min(terms.length, i + 4);
    for (; j > i; j--) if (syn[terms.slice(i, j).join(" ")]) break;
    if (j > i) {
      groups.push({ raw: raw.slice(i, j), terms: terms.slice(i, j), cats: syn[terms.slice(i, j).join(" ")], fuzzy: false });
      i = j;
      continue;
    }
    const cats = new Set();
    if (raw[i].length >= 5) {
      for (const key in syn) if (!key.includes(" ") && withinOneEdit(key, terms[i])) syn[key].forEach((c) => cats.add(c));
    }
    groups.push({ raw: [raw[i]], terms: [terms[i]], cats: [...cats].sort((a, b) => a - b), fuzzy: cats.size > 0 });
    i++;
  }
  return groups;
}

export class SearchEngine {
  /** `loader`: a Loader of site/search/; `getLunr()`: resolves to lunr.js with frenchtext registered. */
  constructor(loader, getLunr) {
    this.loader = loader;
    this.getLunr = getLunr;
  }

  async manifest() {
    if (!this.man) {
      const man = await this.loader.json("manifest.json");
      man.field = Object.fromEntries(man.fields.map((name, i) => [name, i]));
      this.man = man;
    }
    return this.man;
  }

  /** A record as an object with the names of manifest.fields. */
  record(row) {
    const out = {};
    this.man.fields.forEach((name, i) => { out[name] = row[i]; });
    return out;
  }

  async cellRecords(path) {
    const rows = await this.loader.json(path);
    if (!rows.decoded) rows.decoded = rows.map((row) => this.record(row));
    return rows.decoded;
  }

  /**
   * Start a search. `query`: {quoi, lat, lon, radius, kind, delivery, open, now}. Returns a Search whose
   * `results(count)` are the nearest results (the first page is loaded); `more(count)` loads further.
   */
  async search(query) {
    const man = await this.manifest();
    if (query.open && this.holidays === undefined) this.holidays = await loadHolidays(this.loader); // hours.js
    const groups = parseQuery(query.quoi || "", man.syn);
    const search = new Search(this, query, groups);
    await search.plan(false);
    await search.run(PAGE);
    if (!search.results(1).length && groups.length > 1) {
      // No merchant matches every word: show those that match at least one.
      const relaxed = new Search(this, query, groups);
      relaxed.relaxed = true;
      await relaxed.plan(true);
      await relaxed.run(PAGE);
      return relaxed;
    }
    return search;
  }

  // Full-text index, split by term: the chunks that may hold `term` (and its typos or completions).
  async chunksFor(term) {
    const dir = await this.loader.json("text.json");
    let [lo, hi] = covering(dir.t, term.slice(0, 2));
    if (hi - lo > 3) [lo, hi] = covering(dir.t, term.slice(0, 3));
    if (hi - lo > 3) [lo, hi] = covering(dir.t, term);
    return Promise.all(range(lo, hi).map((j) => this.chunk(j)));
  }

  chunk(j) {
    if (!this.chunks) this.chunks = new Map();
    if (!this.chunks.has(j)) {
      this.chunks.set(j, Promise.all([this.loader.json("text.json"), this.loader.json(`t/${j}.json`)])
        .then(([dir, rows]) => ({ dir, rows, terms: new Map(rows.map((row) => [row[0], row])), index: null })));
    }
    return this.chunks.get(j);
  }

  /** Documents holding `term`; when it is not an index term: those holding a completion of it
   *  (3+ letters typed) or a word one typo away (5+ letters), found by lunr.js. */
  termDocs(term, raw) {
    if (!this.termCache) this.termCache = new Map();
    const key = `${term} ${raw.length >= 5 ? 5 : raw.length >= 3 ? 3 : 0}`;
    if (!this.termCache.has(key)) this.termCache.set(key, this.findTermDocs(term, raw));
    return this.termCache.get(key);
  }

  async findTermDocs(term, raw) {
    const chunks = await this.chunksFor(term);
    const exact = chunks.find((c) => c.terms.has(term));
    if (exact) return new Set(ungaps(exact.terms.get(term), 1));
    const docs = new Set();
    if (raw.length < 3) return docs;
    const lunr = await this.getLunr();
    for (const c of chunks) {
      c.index = c.index || lunr.Index.load(unpackLunr(c.dir, c.rows));
      // lunr's own term matching (wildcard, edit distance), without scoring thousands of documents.
      const wanted = lunr.TokenSet.fromString(`${term}*`);
      let terms = c.index.tokenSet.intersect(wanted).toArray();
      if (raw.length >= 5) terms = terms.concat(c.index.tokenSet.intersect(lunr.TokenSet.fromFuzzyString(term, 1)).toArray());
      for (const t of terms) for (const d of ungaps(c.terms.get(t), 1)) docs.add(d);
    }
    return docs;
  }

  async categoryDocs(cat) {
    const key = `@${this.man.cats[cat][0]}`;
    const chunks = await this.chunksFor(key);
    const found = chunks.find((c) => c.terms.has(key));
    return new Set(found ? ungaps(found.terms.get(key), 1) : []);
  }
}

function range(lo, hi) {
  return Array.from({ length: Math.max(0, hi - lo) }, (_, k) => lo + k);
}

function intersect(sets) {
  let out = null;
  for (const s of sets) out = out === null ? new Set(s) : new Set([...out].filter((x) => s.has(x)));
  return out || new Set();
}

/** One search: the cells to look at, nearest first, and what was found in those already loaded. */
class Search {
  constructor(engine, query, groups) {
    this.engine = engine;
    this.man = engine.man;
    this.query = query;
    this.groups = groups;
    this.relaxed = false;
    this.radii = this.man.radii;
    this.radius = Number(query.radius) || this.radii[1];
    this.startRadius = this.radius;
    this.found = [];
    this.next = 0;
    this.seen = new Set();
    this.now = parisNow(query.now || new Date()); // hours.js: weekday, minute and date in France
    // A category query (every word names a category) never loads lunr nor the general cells.
    this.mode = !groups.length ? "all" : groups.every((g) => g.cats.length && !g.fuzzy) ? "category" : "text";
    const nameGroups = groups.filter((g) => !g.cats.length || g.fuzzy);
    this.nameTerms = nameGroups.length ? groups.flatMap((g) => g.terms) : [];
  }

  /** Decide which cells may hold results: `this.cells` = [{path, cell, docs, distance}], nearest first
   *  (`docs`: positions of the matching records in the cell, or null when the records are filtered). */
  async plan(any) {
    const { engine, man, query } = this;
    let cells = [];
    if (this.mode === "category") {
      // Load the cells of the rarest group's categories; the other groups are checked on the records.
      const groups = any ? this.groups : [this.groups.reduce((a, b) => (count(man, a) <= count(man, b) ? a : b))];
      for (const g of groups) {
        for (const cat of g.cats) {
          if (!man.cats[cat][2]) continue;
          const ids = await engine.loader.json(`c/${cat}.json`);
          ids.forEach((cell, j) => cells.push({ path: `c/${cat}/${j}.json`, cell }));
        }
      }
    } else {
      const dir = await engine.loader.json("text.json");
      let docs = null;
      if (this.mode === "text") {
        const perGroup = [];
        for (const g of this.groups) {
          const termDocs = await Promise.all(g.terms.map((t, k) => engine.termDocs(t, g.raw[k])));
          const found = intersect(termDocs); // a copy: the cached sets stay as they are
          for (const cat of g.cats) (await engine.categoryDocs(cat)).forEach((d) => found.add(d));
          perGroup.push(found);
        }
        docs = any ? new Set(perGroup.flatMap((s) => [...s])) : intersect(perGroup);
      }
      // Documents are numbered in cell order: cell i holds n[i] documents from o[i] = n[0] + … + n[i - 1].
      if (!dir.o) dir.o = [0, ...ungaps(dir.n)];
      const byCell = new Map();
      if (docs) {
        for (const d of docs) {
          const i = bisectLeft(dir.o, d + 1) - 1;
          if (!byCell.has(i)) byCell.set(i, []);
          byCell.get(i).push(d - dir.o[i]);
        }
      }
      dir.s.forEach((cell, i) => {
        if (!docs || byCell.has(i)) cells.push({ path: `s/${i}.json`, cell, docs: docs ? byCell.get(i) : null });
      });
    }
    const { lat, lon } = query;
    this.cells = cells.map((c) => ({ ...c, distance: boxDistanceKm(lat, lon, cellBox(c.cell)) }))
      .sort((a, b) => a.distance - b.distance || (a.path < b.path ? -1 : 1));
    this.any = any;
  }

  /** Load cells, nearest first, until `want` results are certain (or none is left within the radius),
   *  widening the radius along manifest.radii while fewer than manifest.min results are found. */
  async run(want) {
    for (;;) {
      while (this.next < this.cells.length && this.cells[this.next].distance <= this.radius) {
        const boundary = this.cells[this.next].distance;
        if (this.found.filter((r) => r.distance < boundary).length >= want) break;
        const batch = [];
        while (batch.length < 3 && this.next < this.cells.length && this.cells[this.next].distance <= this.radius) {
          batch.push(this.cells[this.next++]);
        }
        const results = await Promise.all(batch.map((c) => this.match(c)));
        for (const list of results) for (const r of list) this.found.push(r);
      }
      const inside = this.found.filter((r) => r.distance <= this.radius).length;
      const wider = this.radii.find((r) => r > this.radius);
      if (inside >= this.man.min || wider === undefined) break;
      this.radius = wider;
    }
    this.found.sort(compareResults);
  }

  /** The first `count` results within the radius, nearest first (name matches first for name searches). */
  results(count) {
    return this.found.filter((r) => r.distance <= this.radius).slice(0, count);
  }

  /** Whether more results may exist within the radius than `count`. */
  hasMore(count) {
    const inside = this.found.filter((r) => r.distance <= this.radius).length;
    return inside > count || (this.next < this.cells.length && this.cells[this.next].distance <= this.radius);
  }

  async more(count) {
    await this.run(count);
    return this.results(count);
  }

  async match(cell) {
    const records = await this.engine.cellRecords(cell.path);
    let hits;
    if (cell.docs) {
      hits = cell.docs.sort((a, b) => a - b).map((i) => records[i]);
    } else if (this.mode === "category" && !this.any) {
      hits = records.filter((r) => this.groups.every((g) => g.cats.some((c) => r.cats.includes(c))));
    } else {
      hits = records;
    }
    const { lat, lon, kind, delivery, open } = this.query;
    const out = [];
    for (const r of hits) {
      if (this.seen.has(r.slug)) continue; // a record with two categories is in both categories' cells
      if (kind && this.man.kinds[r.kind][0] !== kind) continue;
      if (delivery && !r.delivery) continue;
      if (open && !openAt(r.hours, this.now, this.engine.holidays)) continue; // opening hours, else pickup hours; PH
      this.seen.add(r.slug);
      out.push({ record: r, distance: distanceKm(lat, lon, r.lat, r.lon), byName: this.byName(r) });
    }
    return out;
  }

  byName(record) {
    if (!this.nameTerms.length) return false;
    const name = new Set(words(record.name).map(stem));
    return this.nameTerms.every((t) => name.has(t) || [...name].some((n) => n.startsWith(t)));
  }

}

function count(man, group) {
  return group.cats.reduce((n, c) => n + man.cats[c][2], 0);
}

function compareResults(a, b) {
  return (b.byName - a.byName) || (a.distance - b.distance) || (a.record.slug < b.record.slug ? -1 : 1);
}
